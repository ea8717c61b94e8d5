/* cmd_train.c - `stance train`: labelled quotes -> a model bundle and a report. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmd.h"
#include "st_dataset.h"
#include "st_lexicon.h"
#include "st_metrics.h"
#include "st_model.h"
#include "st_params.h"
#include "st_train.h"

static const char help_head[] =
    "usage: stance train [options] DATA... -o DIR\n"
    "\n"
    "Trains a model bundle from labelled quote tables (TSV with a header; columns\n"
    "quote and label required, sentence used as context, others ignored) and prints\n"
    "a report: per-label precision, recall, F1 and support, macro-F1, accuracy and\n"
    "the confusion matrix, for the cross-validation folds and, separately, for the\n"
    "holdout table.  DATA '-' reads standard input.\n"
    "\n"
    "options:\n"
    "  -o, --output DIR    the bundle to write; built beside it and renamed into\n"
    "                      place, an existing bundle is replaced only at the end\n"
    "      --holdout FILE  labelled table never trained on, scored separately\n"
    "                      (may be given more than once)\n"
    "      --lexicon DIR   cue lexicons (default: training-data/lexicon, here or\n"
    "                      beside the binary); the bundle keeps a copy\n"
    "  -h, --help          this help\n"
    "\n"
    "parameters (recorded in the bundle's params.tsv):\n";

static const char help_tail[] =
    "\n"
    "examples:\n"
    "  stance train training-data/train.tsv --holdout training-data/test.tsv -o models/default\n"
    "  stance train --grid --folds 10 data.tsv -o models/tuned\n"
    "  stance train --kernel rbf --grid data.tsv -o models/rbf\n"
    "  stance train --solver liblinear --grid big.tsv -o models/big\n"
    "\n"
    "--solver auto (the default) trains with libsvm below 20000 rows and with\n"
    "liblinear from 20000 rows on (libsvm's time grows about as rows^2.6 here,\n"
    "liblinear's about linearly); both write the same kind of bundle.\n"
    "\n"
    "Cross-validation on written training data overstates accuracy on real\n"
    "reporting: judge a model by its holdout figures and by 'stance eval'.\n"
    "Exit status: 0 success, 1 bad data or I/O, 2 usage error.\n";

static void print_help(void)
{
    fputs(help_head, stdout);
    for (size_t i = 0; i < st_param_count(); i++) {
        const st_param_info *p = st_param_info_at(i);
        char left[64];
        if (p->type == ST_PARAM_BOOL)
            snprintf(left, sizeof left, "--%s[=0|1]", p->option);
        else
            snprintf(left, sizeof left, "--%s %s", p->option, p->range);
        printf("  %s %-30s %s (default %s)\n", strcmp(p->name, "c") == 0 ? "-c," : "   ", left, p->help,
               p->default_value);
    }
    fputs(help_tail, stdout);
}

static void show_progress(void *ctx, const char *message)
{
    (void)ctx;
    fprintf(stderr, "\r\033[Kstance train: %s", message);
    fflush(stderr);
}

/* The report, CRFsuite-style, on fp. */
static void print_report(FILE *fp, const st_train_report *r, const st_params *params, const st_dataset *data,
                         const st_dataset *holdout)
{
    for (size_t i = 0; i < st_dataset_file_count(data); i++)
        fprintf(fp, "Training data: %s (%zu rows, sha256 %s)\n", st_dataset_file_name(data, i),
                st_dataset_file_rows(data, i), st_dataset_file_sha256(data, i));
    fprintf(fp, "Rows: %zu (", r->rows);
    for (int l = 0; l < ST_LABEL_COUNT; l++)
        fprintf(fp, "%s%s %zu", l ? ", " : "", st_label_name(l), r->label_rows[l]);
    fprintf(fp, ")\n");
    char value[64];
    fputs("Parameters:", fp);
    for (size_t i = 0; i < st_param_count(); i++)
        fprintf(fp, " %s=%s", st_param_info_at(i)->name, st_params_value(params, i, value, sizeof value));
    fputc('\n', fp);
    if (r->grid_count > 1) {
        fprintf(fp, "Parameter search by %d-fold cross-validation (macro-F1):\n", r->folds);
        for (size_t i = 0; i < r->grid_count; i++) {
            if (r->grid[i].gamma > 0)
                fprintf(fp, "    C=%g gamma=%g: %.3f%s\n", r->grid[i].c, r->grid[i].gamma,
                        st_metrics_macro_f1(&r->grid[i].cv), i == r->chosen ? "  (chosen)" : "");
            else
                fprintf(fp, "    C=%g: %.3f%s\n", r->grid[i].c, st_metrics_macro_f1(&r->grid[i].cv),
                        i == r->chosen ? "  (chosen)" : "");
        }
    }
    fprintf(fp, "Model: C=%g", r->c);
    if (params->kernel == ST_KERNEL_RBF)
        fprintf(fp, ", rbf gamma=%g", r->gamma);
    else
        fputs(", linear kernel", fp);
    if (r->solver == ST_SOLVER_LIBLINEAR)
        fprintf(fp, ", %zu features (min_count %d), liblinear: %zu pairwise weight vectors\n", r->features,
                params->min_count, r->support_vectors);
    else
        fprintf(fp, ", %zu features (min_count %d), %zu support vectors\n", r->features, params->min_count,
                r->support_vectors);
    fprintf(fp, "\nCross-validation (%d folds, stratified, seed %d):\n", r->folds, params->seed);
    st_metrics_write_table(&r->cv, fp, 0);
    if (r->has_holdout) {
        fputs("\nHoldout:", fp);
        for (size_t i = 0; i < st_dataset_file_count(holdout); i++)
            fprintf(fp, "%s %s (%zu rows)", i ? "," : "", st_dataset_file_name(holdout, i),
                    st_dataset_file_rows(holdout, i));
        double unseen = r->holdout_features ? 100.0 * (double)r->holdout_unseen / (double)r->holdout_features : 0.0;
        fprintf(fp, "; %.1f%% of feature occurrences unseen in training\n", unseen);
        st_metrics_write_table(&r->holdout, fp, 0);
        fprintf(fp, "\nMacro-F1: cross-validation %.3f, holdout %.3f (gap %+.3f)\n", st_metrics_macro_f1(&r->cv),
                st_metrics_macro_f1(&r->holdout), st_metrics_macro_f1(&r->holdout) - st_metrics_macro_f1(&r->cv));
    } else {
        fputs("\nHoldout: none (--holdout FILE scores the model on rows it never saw)\n", fp);
    }
    fputs("Note: cross-validation on written training data overstates accuracy on real reporting;\n"
          "the holdout figures, and 'stance eval' on real reporting, are the ones to trust.\n",
          fp);
}

int cmd_train(int argc, char **argv)
{
    enum { OPT_HOLDOUT = 1000, OPT_LEXICON, OPT_PARAM };
    struct option *longopts = cli_param_longopts(4, OPT_PARAM);
    if (!longopts)
        return CLI_EXIT_FAILURE;
    size_t k = 0;
    longopts[k++] = (struct option){"output", required_argument, NULL, 'o'};
    longopts[k++] = (struct option){"holdout", required_argument, NULL, OPT_HOLDOUT};
    longopts[k++] = (struct option){"lexicon", required_argument, NULL, OPT_LEXICON};
    longopts[k++] = (struct option){"help", no_argument, NULL, 'h'};

    st_params params;
    st_params_default(&params);
    const char *output = NULL, *lexicon_dir = NULL;
    char **holdouts = calloc((size_t)argc + 1, sizeof *holdouts);
    int nholdouts = 0;
    int status = CLI_EXIT_USAGE;
    st_dataset *data = NULL, *holdout = NULL;
    st_lexicon *lex = NULL;
    st_model *model = NULL;
    st_train_report report = {0};
    if (!holdouts) {
        cli_error("out of memory");
        free(longopts);
        return CLI_EXIT_FAILURE;
    }

    int c;
    opterr = 0;
    optind = 0;
    while ((c = getopt_long(argc, argv, ":o:c:h", longopts, NULL)) != -1) {
        if (c >= OPT_PARAM || c == 'c') {
            size_t index = c == 'c' ? (size_t)st_param_find("c") : (size_t)(c - OPT_PARAM);
            if (cli_param_option("train", &params, index, optarg) != 0)
                goto done;
            continue;
        }
        switch (c) {
        case 'o': output = optarg; break;
        case OPT_HOLDOUT: holdouts[nholdouts++] = optarg; break;
        case OPT_LEXICON: lexicon_dir = optarg; break;
        case 'h':
            print_help();
            status = CLI_EXIT_OK;
            goto done;
        default:
            status = cli_option_error("train", c, argv);
            goto done;
        }
    }
    if (!output) {
        cli_error("train: no output bundle (-o DIR)");
        goto done;
    }
    if (optind >= argc) {
        cli_error("train: no training data (stance train DATA... -o DIR)");
        goto done;
    }
    status = CLI_EXIT_FAILURE;
    /* Issue 7: -o onto an input is refused before minutes of training
     * (the bundle writer would refuse it too, but only at the end). */
    if (cli_refuse_input(output, argv + optind, argc - optind) != 0 ||
        cli_refuse_input(output, holdouts, nholdouts) != 0)
        goto done;

    if (!(lex = cli_load_lexicon("train", lexicon_dir)))
        goto done;
    st_diag diag;
    st_diag_clear(&diag);
    st_status s;
    if (st_dataset_new(&data) != ST_OK || st_dataset_new(&holdout) != ST_OK) {
        cli_error("out of memory");
        goto done;
    }
    for (int i = optind; i < argc; i++) {
        if ((s = st_dataset_read_file(data, argv[i], ST_DATASET_LABELLED, &diag)) != ST_OK) {
            cli_diag_error(&diag, s);
            goto done;
        }
    }
    for (int i = 0; i < nholdouts; i++) {
        if ((s = st_dataset_read_file(holdout, holdouts[i], ST_DATASET_LABELLED, &diag)) != ST_OK) {
            cli_diag_error(&diag, s);
            goto done;
        }
    }

    st_train_options options = {
        .params = &params,
        .lexicon = lex,
        .holdout = nholdouts ? holdout : NULL,
        .progress = isatty(STDERR_FILENO) ? show_progress : NULL,
    };
    s = st_train(data, &options, &model, &report, &diag);
    if (options.progress)
        fputs("\r\033[K", stderr);
    if (s != ST_OK) {
        cli_diag_error(&diag, s);
        status = s == ST_ERR_USAGE ? CLI_EXIT_USAGE : CLI_EXIT_FAILURE;
        goto done;
    }
    /* Saving takes a moment: hold back interrupts meanwhile, so that ^C
     * leaves either the old bundle or the new one and no temporary
     * directory (a pending signal acts once the save is over). */
    sigset_t block, saved;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    sigprocmask(SIG_BLOCK, &block, &saved);
    s = st_model_save(model, output, &diag);
    sigprocmask(SIG_SETMASK, &saved, NULL);
    if (s != ST_OK) {
        cli_diag_error(&diag, s);
        goto done;
    }
    print_report(stdout, &report, st_model_params(model), data, nholdouts ? holdout : NULL);
    printf("\nModel bundle written to %s\n", output);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("standard output: write error: %s", strerror(errno ? errno : EIO));
        goto done;
    }
    status = CLI_EXIT_OK;

done:
    st_train_report_clear(&report);
    st_model_free(model);
    st_dataset_free(data);
    st_dataset_free(holdout);
    st_lexicon_free(lex);
    free(holdouts);
    free(longopts);
    return status;
}
