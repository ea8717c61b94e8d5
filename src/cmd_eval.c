/* cmd_eval.c - `stance eval`: score a model bundle on labelled quote tables. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "st_dataset.h"
#include "st_metrics.h"
#include "st_model.h"

static const char help[] =
    "usage: stance eval [options] DATA...\n"
    "\n"
    "Labels every row of labelled quote tables (TSV with a header; columns quote\n"
    "and label required, sentence used as context, others ignored) with a model\n"
    "and compares with the gold labels: per-label precision, recall, F1 and\n"
    "support, macro-F1 (the mean of the three F1), accuracy and the confusion\n"
    "matrix, over all the tables together.  The figures are computed as\n"
    "../shared/tools/score-labels computes them.  DATA '-' reads standard input.\n"
    "\n"
    "options:\n"
    "  -m, --model DIR     model bundle (default: $STANCE_MODEL, else models/default\n"
    "                      beside the binary, else the installed one)\n"
    "  -f, --format FMT    table (default) or json\n"
    "  -o, --output FILE   write to FILE (through a temporary file and a rename)\n"
    "  -h, --help          this help\n"
    "\n"
    "examples:\n"
    "  stance eval training-data/test.tsv\n"
    "  stance eval --model models/x --format json ../shared/eval/dev.tsv\n"
    "\n"
    "Exit status: 0 success, 1 bad data, model or I/O, 2 usage error.\n";

typedef struct table_result {
    const char *name;
    size_t rows;
    st_metrics metrics;
} table_result;

/* Labels every row of one table, adding to `all` and `one`.  0 or 1. */
static int eval_table(const st_model *model, st_extractor *x, const char *name, st_metrics *all, table_result *one,
                      size_t *features, size_t *unseen)
{
    cli_table t;
    if (cli_table_open(&t, name, ST_DATASET_LABELLED | ST_TSV_NO_CHECKSUM) != 0)
        return 1;
    st_status s;
    int rc = 0;
    for (;;) {
        st_row row;
        int done;
        if ((s = st_tsv_reader_next(t.reader, &row, &done, &t.diag)) != ST_OK) {
            cli_diag_error(&t.diag, s);
            rc = 1;
            break;
        }
        if (done)
            break;
        st_example ex = {row.quote, row.quote_len, row.sentence, row.sentence_len};
        st_prediction p;
        if ((s = st_model_predict(model, x, &ex, &p, 0, NULL)) != ST_OK) {
            cli_error("%s:%zu: %s", name, row.line, st_strerror(s));
            rc = 1;
            break;
        }
        st_metrics_add(all, row.label, p.label);
        st_metrics_add(&one->metrics, row.label, p.label);
        one->rows++;
        *features += p.features + p.unseen;
        *unseen += p.unseen;
    }
    cli_table_close(&t);
    return rc;
}

static void put_json_string(FILE *fp, const char *s)
{
    /* Robustness (issue 7): a path that is not UTF-8 was written as null;
     * its bad bytes become U+FFFD instead. */
    char *copy = NULL;
    const char *text = cli_utf8_name(s, &copy);
    json_t *str = text ? json_string(text) : NULL;
    char *dumped = str ? json_dumps(str, JSON_ENCODE_ANY) : NULL;
    fputs(dumped ? dumped : "null", fp);
    free(dumped);
    json_decref(str);
    free(copy);
}

int cmd_eval(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"model", required_argument, NULL, 'm'},
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *model_arg = NULL, *output = NULL;
    int json = 0;
    int c;
    opterr = 0;
    optind = 0;
    while ((c = getopt_long(argc, argv, ":m:f:o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'm': model_arg = optarg; break;
        case 'f':
            if (strcmp(optarg, "table") == 0)
                json = 0;
            else if (strcmp(optarg, "json") == 0)
                json = 1;
            else {
                cli_error("eval: unknown format '%s' (table, json)", optarg);
                return CLI_EXIT_USAGE;
            }
            break;
        case 'o': output = optarg; break;
        case 'h': fputs(help, stdout); return CLI_EXIT_OK;
        default:
            return cli_option_error("eval", c, argv);
        }
    }
    if (optind >= argc) {
        cli_error("eval: no labelled data (stance eval DATA...)");
        return CLI_EXIT_USAGE;
    }
    char *dir = NULL;
    st_model *model = cli_load_model(model_arg, &dir);
    if (!model)
        return CLI_EXIT_FAILURE;
    st_extractor *x = NULL;
    st_status s = st_model_extractor_new(model, &x);
    if (s != ST_OK) {
        cli_error("%s: %s", dir, st_strerror(s));
        st_model_free(model);
        free(dir);
        return CLI_EXIT_FAILURE;
    }
    int ntables = argc - optind;
    table_result *tables = calloc((size_t)ntables, sizeof *tables);
    st_metrics all;
    st_metrics_clear(&all);
    size_t features = 0, unseen = 0;
    int status = CLI_EXIT_OK;
    if (!tables) {
        cli_error("out of memory");
        status = CLI_EXIT_FAILURE;
    }
    for (int i = 0; tables && i < ntables; i++) {
        tables[i].name = argv[optind + i];
        if (eval_table(model, x, argv[optind + i], &all, &tables[i], &features, &unseen) != 0)
            status = CLI_EXIT_FAILURE;
    }
    if (status == CLI_EXIT_OK) {
        cli_output out;
        if (cli_output_open(&out, output, argv + optind, ntables) != 0) {
            status = CLI_EXIT_FAILURE;
        } else {
            FILE *fp = out.fp;
            double unseen_pct = features ? 100.0 * (double)unseen / (double)features : 0.0;
            if (json) {
                fputs("{\"model\": ", fp);
                put_json_string(fp, dir);
                fputs(", \"data\": [", fp);
                for (int i = 0; i < ntables; i++) {
                    fputs(i ? ", {\"file\": " : "{\"file\": ", fp);
                    put_json_string(fp, tables[i].name);
                    fprintf(fp, ", \"rows\": %zu, \"macro_f1\": %.6f}", tables[i].rows,
                            st_metrics_macro_f1(&tables[i].metrics));
                }
                fprintf(fp, "],\n \"feature_occurrences\": %zu, \"unseen\": %zu,\n \"metrics\": ", features, unseen);
                st_metrics_write_json(&all, fp, 1);
                fputs("}\n", fp);
            } else {
                fprintf(fp, "Model: %s\n", dir);
                for (int i = 0; i < ntables; i++)
                    fprintf(fp, "Data: %s (%zu rows)\n", tables[i].name, tables[i].rows);
                fprintf(fp, "Features: %.1f%% of occurrences unseen in training\n", unseen_pct);
                st_metrics_write_table(&all, fp, 0);
            }
            if (cli_output_close(&out) != 0)
                status = CLI_EXIT_FAILURE;
        }
    }
    free(tables);
    st_extractor_free(x);
    st_model_free(model);
    free(dir);
    return status;
}
