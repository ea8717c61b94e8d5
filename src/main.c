/* main.c - the stance command: dispatch to one subcommand per file. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"

static const struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} commands[] = {
    {"quotes", cmd_quotes, "quotes and speakers, no model needed"},
    {"classify", cmd_classify, "quotes (or every sentence) with labels and probabilities"},
    {"train", cmd_train, "train a model bundle from labelled TSV"},
    {"eval", cmd_eval, "score a model on labelled TSV"},
    {"features", cmd_features, "show the features of each quote (debugging)"},
    {"report", cmd_report, "per-speaker tone over all inputs"},
};

static void usage(FILE *fp)
{
    fputs("usage: stance COMMAND [options] [FILE...]\n"
          "\n"
          "Reads political news and says who threatened, who offered to talk and who\n"
          "stated facts.\n"
          "\n"
          "commands:\n", fp);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(fp, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fputs("\n"
          "Run 'stance COMMAND --help' (or 'stance help COMMAND') for a command's\n"
          "options and examples, 'man stance' for the manual.  --version prints the\n"
          "version, alone or as a command's first option.\n"
          "Exit status: 0 success, 1 bad input, data, model or I/O, 2 usage error.\n", fp);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    const struct command *command = NULL;
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            command = &commands[i];
    /* stance help COMMAND = stance COMMAND --help */
    if (strcmp(argv[1], "help") == 0 && argc == 3) {
        for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
            if (strcmp(argv[2], commands[i].name) == 0) {
                char *help_argv[] = {argv[2], "--help", NULL};
                return commands[i].run(2, help_argv);
            }
        }
        cli_error("unknown command '%s' (try 'stance --help')", argv[2]);
        return CLI_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0 || (command && argc > 2 && strcmp(argv[2], "--version") == 0)) {
        printf("stance %s\n", ST_VERSION);
        return CLI_EXIT_OK;
    }
    if (command)
        return command->run(argc - 1, argv + 1);
    if (argv[1][0] == '-')
        cli_error("unknown option '%s' (try 'stance --help')", argv[1]);
    else
        cli_error("unknown command '%s' (try 'stance --help')", argv[1]);
    return CLI_EXIT_USAGE;
}
