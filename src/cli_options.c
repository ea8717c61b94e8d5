/*
 * cli_options.c - option values the subcommands share, parsed and
 * refused in one place, so that every command spells a bad value's
 * message alike ("COMMAND: unknown format 'X' (...)") and a new command
 * cannot drift from the others.
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "st_params.h"

int cli_option_error(const char *command, int c, char *const *argv)
{
    if (c == ':')
        cli_error("%s: option '%s' needs a value (try 'stance %s --help')", command, argv[optind - 1], command);
    else if (optopt && optopt < 256) /* a long option's value is no character */
        cli_error("%s: unknown option '-%c' (try 'stance %s --help')", command, optopt, command);
    else
        cli_error("%s: unknown option '%s' (try 'stance %s --help')", command, argv[optind - 1], command);
    return CLI_EXIT_USAGE;
}

int cli_format_option(const char *command, const char *arg, cli_format *out)
{
    if (cli_parse_format(arg, out) == 0)
        return 0;
    cli_error("%s: unknown format '%s' (jsonl, tsv, csv, table)", command, arg);
    return -1;
}

int cli_input_option(const char *command, const char *arg, int tables, cli_input *out)
{
    cli_input kind;
    if (cli_parse_input(arg, &kind) == 0 && (tables || kind != CLI_INPUT_TSV)) {
        *out = kind;
        return 0;
    }
    cli_error("%s: unknown input kind '%s' (%s)", command, arg, tables ? "text, jsonl, tsv" : "text, jsonl");
    return -1;
}

int cli_jobs_option(const char *command, const char *arg, int *jobs)
{
    if (cli_parse_jobs(arg, jobs) == 0)
        return 0;
    cli_error("%s: --jobs %s: expected a number of threads, 1..256, or 0 for one per processor", command, arg);
    return -1;
}

char **cli_operands(int argc, char **argv, int *count)
{
    static char *stdin_only[] = {"-"};
    if (optind < argc) {
        *count = argc - optind;
        return argv + optind;
    }
    *count = 1;
    return stdin_only;
}

struct option *cli_param_longopts(size_t nfixed, int first)
{
    size_t nparams = st_param_count();
    struct option *longopts = calloc(nfixed + nparams + 1, sizeof *longopts);
    if (!longopts) {
        cli_error("out of memory");
        return NULL;
    }
    for (size_t i = 0; i < nparams; i++) {
        const st_param_info *p = st_param_info_at(i);
        longopts[nfixed + i] = (struct option){p->option, p->type == ST_PARAM_BOOL ? optional_argument
                                                                                    : required_argument,
                                               NULL, first + (int)i};
    }
    /* calloc left the terminating {NULL, 0, NULL, 0} */
    return longopts;
}

int cli_param_option(const char *command, st_params *params, size_t index, const char *arg)
{
    const st_param_info *p = st_param_info_at(index);
    st_diag diag;
    st_diag_clear(&diag);
    if (st_params_set(params, p->name, arg ? arg : "1", &diag) == ST_OK)
        return 0;
    cli_error("%s: %s", command, diag.message);
    return -1;
}
