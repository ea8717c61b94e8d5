/* cmd_features.c - `stance features`: the named features of each quote (debugging). */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "st_dataset.h"
#include "st_features.h"
#include "st_lexicon.h"
#include "st_model.h"
#include "st_params.h"

static void print_help(void)
{
    fputs("usage: stance features [options] [FILE...]\n"
          "\n"
          "Shows the named features of every quote of each article (text or JSONL),\n"
          "or of every row of a quote table (TSV), as the classifier sees them.\n"
          "FILE '-' or none reads standard input.\n"
          "\n"
          "With a model (the default), features are extracted with the model's lexicon\n"
          "and parameters, and each one is shown with its vocabulary id and its value\n"
          "in the vector (sublinear tf, L2-normalised); features the model never saw\n"
          "have a null id.  With --lexicon or any feature parameter, no model is used:\n"
          "the raw features of that lexicon and those parameters are shown.\n"
          "\n"
          "options:\n"
          "  -m, --model DIR     model bundle (default: $STANCE_MODEL, else models/default\n"
          "                      beside the binary, else the installed model)\n"
          "  -l, --lexicon DIR   no model: cue lexicons from DIR (default without a model:\n"
          "                      training-data/lexicon, here or beside the binary)\n"
          "  -f, --format FMT    jsonl (default: one record per quote) or tsv (one line\n"
          "                      per feature: doc id index feature raw vocab weight), or\n"
          "                      libsvm (with a model: one line per quote, \"LABEL ID:VALUE\n"
          "                      ...\", the vector the model sees, for libsvm's and\n"
          "                      liblinear's own tools; LABEL is the row's label as\n"
          "                      0 threatening, 1 conciliatory, 2 neutral, else 2)\n"
          "  -i, --input KIND    text, jsonl or tsv; default: by extension (.jsonl, .tsv),\n"
          "                      else text\n"
          "  -o, --output FILE   write to FILE (through a temporary file and a rename)\n"
          "  -h, --help          this help\n"
          "\n"
          "feature parameters (no model; see 'stance train --help'):\n",
          stdout);
    for (size_t i = 0; i < st_param_count(); i++) {
        const st_param_info *p = st_param_info_at(i);
        if (!p->feature)
            continue;
        char opt[64];
        snprintf(opt, sizeof opt, "--%s %s", p->option, p->range);
        printf("  %-25s %s (default %s)\n", opt, p->help, p->default_value);
    }
    fputs("\n"
          "examples:\n"
          "  stance features --format tsv training-data/test.tsv | grep lex:\n"
          "  stance features --lexicon training-data/lexicon --ngram 3 article.txt\n"
          "\n"
          "Exit status: 0 success, 1 bad input, model or I/O, 2 usage error.\n",
          stdout);
}

typedef struct features_run {
    cli_format format;
    cli_input input;
    FILE *out;
    st_extractor *x;
    const st_vocab *vocab; /* NULL without a model */
    st_vector vector;
    int libsvm; /* --format libsvm */
} features_run;

/* A number as JSON: an integer when it is one, else rounded to 6 decimals. */
static json_t *json_number(double v)
{
    if (v == floor(v) && fabs(v) < 1e15)
        return json_integer((json_int_t)v);
    return json_real(round(v * 1e6) / 1e6);
}

/* The vector value of vocabulary id `id`, from run->vector (sorted). */
static double vector_value(const features_run *run, int id)
{
    size_t lo = 0, hi = run->vector.count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int at = run->vector.nodes[mid].index;
        if (at == id)
            return run->vector.nodes[mid].value;
        if (at < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/*
 * Extracts and writes one example.  Returns 0, 1 on a library failure
 * (reported), -1 on a write error.
 */
static int write_example_named(features_run *run, const char *doc, const char *id, size_t index,
                               const char *label, const st_example *ex);

/* Robustness (issue 7): a file name that is not UTF-8 made jansson fail
 * ("out of memory", nothing written); the doc field gets U+FFFD instead. */
static int write_example(features_run *run, const char *doc, const char *id, size_t index,
                         const char *label, const st_example *ex)
{
    char *copy = NULL;
    const char *name = cli_utf8_name(doc, &copy);
    if (!name) {
        cli_error("out of memory");
        return -1;
    }
    int rc = write_example_named(run, name, id, index, label, ex);
    free(copy);
    return rc;
}

static int write_example_named(features_run *run, const char *doc, const char *id, size_t index,
                               const char *label, const st_example *ex)
{
    st_status s = st_extractor_run(run->x, ex);
    if (s == ST_OK && run->vocab)
        s = st_vectorize(run->x, run->vocab, &run->vector);
    if (s != ST_OK) {
        cli_error("%s: %s", doc, st_strerror(s));
        return 1;
    }
    size_t n = st_extractor_count(run->x);
    if (run->libsvm) {
        int l = label ? st_label_parse(label, strlen(label)) : -1;
        fprintf(run->out, "%d", l >= 0 ? l : ST_LABEL_NEUTRAL);
        for (size_t i = 0; i < run->vector.count; i++)
            fprintf(run->out, " %d:%.17g", run->vector.nodes[i].index, run->vector.nodes[i].value);
        fputc('\n', run->out);
        return ferror(run->out) ? -1 : 0;
    }
    if (run->format == CLI_FORMAT_TSV) {
        char num[64];
        for (size_t i = 0; i < n; i++) {
            size_t len;
            const char *name = st_extractor_name(run->x, i, &len);
            cli_put_tsv(run->out, doc, strlen(doc));
            fputc('\t', run->out);
            if (id)
                cli_put_tsv(run->out, id, strlen(id));
            fprintf(run->out, "\t%zu\t", index);
            cli_put_tsv(run->out, name, len);
            snprintf(num, sizeof num, "%.6g", st_extractor_value(run->x, i));
            fprintf(run->out, "\t%s\t", num);
            if (run->vocab) {
                int vid = st_vocab_find(run->vocab, name, len);
                if (vid > 0)
                    fprintf(run->out, "%d\t%.6f", vid, vector_value(run, vid));
                else
                    fputc('\t', run->out);
            } else {
                fputc('\t', run->out);
            }
            fputc('\n', run->out);
        }
        return ferror(run->out) ? -1 : 0;
    }
    json_t *o = json_object();
    json_t *list = json_array();
    int bad = !o || !list;
    if (!bad) {
        bad |= json_object_set_new(o, "doc", json_string(doc));
        if (id)
            bad |= json_object_set_new(o, "id", json_string(id));
        bad |= json_object_set_new(o, "index", json_integer((json_int_t)index));
        bad |= json_object_set_new(o, "quote", json_stringn(ex->quote, ex->quote_len));
        if (label)
            bad |= json_object_set_new(o, "label", json_string(label));
    }
    for (size_t i = 0; i < n && !bad; i++) {
        size_t len;
        const char *name = st_extractor_name(run->x, i, &len);
        json_t *item = json_array();
        bad |= !item;
        if (bad)
            break;
        bad |= json_array_append_new(item, json_stringn(name, len));
        bad |= json_array_append_new(item, json_number(st_extractor_value(run->x, i)));
        if (run->vocab) {
            int vid = st_vocab_find(run->vocab, name, len);
            bad |= json_array_append_new(item, vid > 0 ? json_integer(vid) : json_null());
            bad |= json_array_append_new(item, vid > 0 ? json_number(vector_value(run, vid)) : json_null());
        }
        bad |= json_array_append_new(list, item);
    }
    if (!bad) {
        bad |= json_object_set(o, "features", list);
        if (run->vocab)
            bad |= json_object_set_new(o, "unseen", json_integer((json_int_t)run->vector.unseen));
    }
    json_decref(list);
    char *text = bad ? NULL : json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    if (!text) {
        cli_error("%s: out of memory", doc);
        return 1;
    }
    fputs(text, run->out);
    fputc('\n', run->out);
    free(text);
    return ferror(run->out) ? -1 : 0;
}

/* One article: every quote with its sentence. */
static int features_article(void *ctx, const char *name, const char *id, size_t line, const char *text,
                            size_t size, json_t *extra)
{
    (void)extra;
    features_run *run = ctx;
    /* The same reading as classify and quotes: what cleaning replaced
     * is reported, so features of a damaged article are not silent. */
    st_text_options options = {0};
    st_doc *doc = NULL;
    st_article *article = NULL;
    int read = cli_read_article(name, line, text, size, &options, &doc, &article);
    if (read != 0)
        return read;
    const char *clean = st_doc_text(doc);
    int rc = 0;
    for (size_t i = 0; i < st_article_quote_count(article) && rc >= 0; i++) {
        const st_attributed_quote *q = st_article_quote(article, i);
        st_span s = st_article_sentence(article, q->sentence);
        st_example ex = {clean + q->quote.inner.start, q->quote.inner.end - q->quote.inner.start,
                         clean + s.start, s.end - s.start};
        int r = write_example(run, id ? id : name, NULL, i, NULL, &ex);
        if (r != 0)
            rc = r;
    }
    st_article_free(article);
    st_doc_free(doc);
    return rc;
}

/* A quote table: every row.  Returns 0, 1 on bad input, -1 on a write error. */
static int features_table(features_run *run, const char *name)
{
    cli_table t;
    if (cli_table_open(&t, name, ST_TSV_NO_CHECKSUM) != 0)
        return 1;
    int rc = 0;
    for (size_t index = 0; rc >= 0;) {
        st_row row;
        int done = 0;
        st_diag_clear(&t.diag);
        st_status s = st_tsv_reader_next(t.reader, &row, &done, &t.diag);
        if (s != ST_OK) {
            cli_diag_error(&t.diag, s);
            rc = 1;
            if (s == ST_ERR_INPUT)
                continue;
            break;
        }
        if (done)
            break;
        st_example ex = {row.quote, row.quote_len, row.sentence, row.sentence_len};
        int r = write_example(run, name, row.id, index++, row.label >= 0 ? st_label_name(row.label) : NULL, &ex);
        if (r != 0)
            rc = r;
    }
    cli_table_close(&t);
    return rc;
}

int cmd_features(int argc, char **argv)
{
    enum { OPT_PARAM = 1000 };
    struct option *longopts = cli_param_longopts(6, OPT_PARAM);
    if (!longopts)
        return CLI_EXIT_FAILURE;
    size_t k = 0;
    longopts[k++] = (struct option){"model", required_argument, NULL, 'm'};
    longopts[k++] = (struct option){"lexicon", required_argument, NULL, 'l'};
    longopts[k++] = (struct option){"format", required_argument, NULL, 'f'};
    longopts[k++] = (struct option){"input", required_argument, NULL, 'i'};
    longopts[k++] = (struct option){"output", required_argument, NULL, 'o'};
    longopts[k++] = (struct option){"help", no_argument, NULL, 'h'};

    features_run run = {.format = CLI_FORMAT_JSONL, .input = CLI_INPUT_AUTO};
    st_params params;
    st_params_default(&params);
    const char *output = NULL, *model_arg = NULL, *lexicon_dir = NULL;
    int params_given = 0, status = CLI_EXIT_USAGE;
    st_lexicon *lex = NULL;
    st_model *model = NULL;
    char *model_dir = NULL;
    int c;
    opterr = 0;
    optind = 0;
    while ((c = getopt_long(argc, argv, ":m:l:f:i:o:h", longopts, NULL)) != -1) {
        if (c >= OPT_PARAM) {
            if (cli_param_option("features", &params, (size_t)(c - OPT_PARAM), optarg) != 0)
                goto done;
            params_given = 1;
            continue;
        }
        switch (c) {
        case 'm': model_arg = optarg; break;
        case 'l': lexicon_dir = optarg; break;
        case 'f':
            run.libsvm = strcmp(optarg, "libsvm") == 0;
            if (run.libsvm)
                break;
            if (cli_parse_format(optarg, &run.format) != 0 ||
                (run.format != CLI_FORMAT_JSONL && run.format != CLI_FORMAT_TSV)) {
                cli_error("features: unknown format '%s' (jsonl, tsv, libsvm)", optarg);
                goto done;
            }
            break;
        case 'i':
            if (cli_input_option("features", optarg, 1, &run.input) != 0)
                goto done;
            break;
        case 'o': output = optarg; break;
        case 'h':
            print_help();
            status = CLI_EXIT_OK;
            goto done;
        default:
            status = cli_option_error("features", c, argv);
            goto done;
        }
    }
    if (model_arg && (lexicon_dir || params_given)) {
        cli_error("features: --model takes the lexicon and parameters from the model; "
                  "give either --model or --lexicon/parameters");
        goto done;
    }
    status = CLI_EXIT_FAILURE;
    st_status s;
    if (lexicon_dir || params_given) {
        if (!(lex = cli_load_lexicon("features", lexicon_dir)))
            goto done;
        s = st_extractor_new(lex, &params, &run.x);
    } else {
        if (!(model_dir = cli_model_dir(model_arg)))
            goto done;
        st_diag diag;
        st_diag_clear(&diag);
        s = st_model_load(model_dir, &model, &diag);
        if (s != ST_OK) {
            cli_diag_error(&diag, s);
            goto done;
        }
        run.vocab = st_model_vocab(model);
        s = st_model_extractor_new(model, &run.x);
    }
    if (s != ST_OK) {
        cli_error("features: %s", st_strerror(s));
        goto done;
    }
    if (run.libsvm && !run.vocab) {
        cli_error("features: --format libsvm needs a model (no --lexicon or feature parameters)");
        status = CLI_EXIT_USAGE;
        goto done;
    }

    int nfiles;
    char **files = cli_operands(argc, argv, &nfiles);
    cli_output out;
    if (cli_output_open(&out, output, files, nfiles) != 0)
        goto done;
    run.out = out.fp;
    int bad = 0, failed = 0;
    if (run.format == CLI_FORMAT_TSV && !run.libsvm) {
        fputs("doc\tid\tindex\tfeature\traw\tvocab\tweight\n", run.out);
        failed = ferror(run.out) != 0;
    }
    for (int i = 0; i < nfiles && !failed; i++) {
        int r;
        if (cli_input_for(files[i], run.input) == CLI_INPUT_TSV)
            r = features_table(&run, files[i]);
        else
            r = cli_each_article(files + i, 1, run.input, features_article, &run);
        if (r < 0)
            failed = 1;
        else if (r > 0)
            bad = 1;
    }
    if (failed) {
        cli_output_close(&out); /* prints the write error */
        goto done;
    }
    if (cli_output_close(&out) != 0)
        goto done;
    status = bad ? CLI_EXIT_FAILURE : CLI_EXIT_OK;

done:
    st_vector_clear(&run.vector);
    st_extractor_free(run.x);
    st_model_free(model);
    st_lexicon_free(lex);
    free(model_dir);
    free(longopts);
    return status;
}
