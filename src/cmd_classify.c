/* cmd_classify.c - `stance classify`: quotes (or sentences) with labels and probabilities. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "st_dataset.h"
#include "st_model.h"
#include "st_util.h"

#define DEFAULT_EXPLAIN 5

static const char help[] =
    "usage: stance classify [options] [FILE...]\n"
    "\n"
    "Labels every quotation of each article threatening, conciliatory or neutral,\n"
    "with the speaker and the probability of each label.  With --unit sentence\n"
    "every sentence of the article is labelled instead (narration carries tone\n"
    "too).  A TSV quote table (header row; column quote required, sentence used\n"
    "as context, id and speaker carried over) gives one record per row, in order.\n"
    "FILE '-' or none reads standard input.\n"
    "\n"
    "options:\n"
    "  -m, --model DIR     model bundle (default: $STANCE_MODEL, else models/default\n"
    "                      beside the binary, else the installed one)\n"
    "  -f, --format FMT    jsonl (default), tsv, csv or table\n"
    "  -i, --input KIND    text (one article per file), jsonl (one article per line:\n"
    "                      {\"id\": ..., \"text\": ...}) or tsv (a quote table);\n"
    "                      default: by extension (.jsonl, .tsv), else text\n"
    "  -u, --unit UNIT     quote (default) or sentence\n"
    "  -e, --explain[=K]   the K (default 5) features that weigh most toward the\n"
    "                      chosen label (linear models)\n"
    "      --strict        fail on invalid UTF-8 or NUL bytes in articles instead of\n"
    "                      replacing them with U+FFFD\n"
    "  -o, --output FILE   write to FILE (through a temporary file and a rename)\n"
    "  -j, --jobs N        N worker threads sharing the model (default 1; 0: one\n"
    "                      per processor); the output is the same, byte for byte,\n"
    "                      in input order\n"
    "  -h, --help          this help\n"
    "\n"
    "examples:\n"
    "  stance classify samples/summit.txt\n"
    "  stance classify --format table --explain samples/summit.txt\n"
    "  stance classify --unit sentence --format tsv article.txt\n"
    "  stance classify quotes.tsv > labelled.jsonl\n"
    "  stance classify --jobs 4 --input jsonl < big.jsonl > labelled.jsonl\n"
    "  stance classify --input jsonl big.jsonl | stance report\n"
    "\n"
    "Each JSONL record holds the fields of 'stance quotes' plus \"label\" and\n"
    "\"probabilities\" (and \"explain\" with --explain); a sentence record holds doc,\n"
    "index, sentence, speaker, mention, start, end, label and probabilities.\n"
    "JSONL articles and TSV rows stream: memory does not grow with the input and\n"
    "records come out as their input is read.  A progress line is shown on stderr\n"
    "for long runs when stderr is a terminal.  'man stance' has more.\n"
    "Exit status: 0 success, 1 bad input, model or I/O, 2 usage error.\n";

typedef struct classify_run {
    cli_format format;
    cli_input input;
    st_text_options text;
    int sentence_unit;
    int explain;
    size_t explain_k;
    const st_model *model; /* shared by the workers, read-only */
    const char *model_dir;
} classify_run;

/* One worker: its own extractor and scratch buffers; `out` is where the
 * current item's records go. */
typedef struct classify_worker {
    const classify_run *run;
    st_extractor *x;
    st_explanation expl;
    cli_explain_item *items;
    size_t items_capacity;
    FILE *out;
    size_t records;
    st_buf scratch; /* records are built here (cli_append_record) */
    /* The table name last checked for UTF-8 (a file operand: the same
     * string, unchanged, for every row of the file) and the answer. */
    const char *checked_name;
    int name_utf8;
} classify_worker;

/* Labels one example and adds its record to w->scratch, which the
 * caller writes (cli_flush_records).  0, or -1 when out of memory
 * (message printed) or the record cannot be made. */
static int label_and_write(classify_worker *w, cli_record *r, const st_example *ex)
{
    const classify_run *run = w->run;
    st_prediction p;
    st_status s = st_model_predict(run->model, w->x, ex, &p, run->explain ? run->explain_k : 0,
                                   run->explain ? &w->expl : NULL);
    if (s != ST_OK) {
        cli_error("%s: %s", r->doc, st_strerror(s));
        return -1;
    }
    r->label = st_label_name(p.label);
    r->probabilities = p.probability;
    if (run->explain) {
        if (w->expl.count > w->items_capacity) {
            cli_explain_item *items = realloc(w->items, w->expl.count * sizeof *items);
            if (!items) {
                cli_error("out of memory");
                return -1;
            }
            w->items = items;
            w->items_capacity = w->expl.count;
        }
        for (size_t i = 0; i < w->expl.count; i++) {
            w->items[i].name = w->expl.items[i].name;
            w->items[i].value = w->expl.items[i].contribution;
        }
        r->has_explain = 1;
        r->explain = w->items;
        r->explain_count = w->expl.count;
    }
    if (cli_append_record(&w->scratch, run->format, r) != 0)
        return -1;
    w->records++;
    return 0;
}

/* Writes the records label_and_write added since records_before was
 * w->records; the records before a failed one are written, as one by
 * one.  rc, or -1 on a write error. */
static int flush_records(classify_worker *w, int rc, size_t records_before)
{
    if (cli_flush_records(w->out, &w->scratch) != 0) {
        w->records = records_before;
        return -1;
    }
    return rc;
}


static int classify_article(void *ctx, const char *name, const char *id, size_t line, const char *text,
                            size_t size, json_t *extra)
{
    classify_worker *w = ctx;
    const classify_run *run = w->run;
    st_doc *doc = NULL;
    st_article *article = NULL;
    int read = cli_read_article(name, line, text, size, &run->text, &doc, &article);
    if (read != 0)
        return read;
    const char *clean = st_doc_text(doc);
    int rc = 0;
    /* The record's doc checked for UTF-8 once for the article's records,
     * not once per record (the writer fixes a name that is not). */
    const char *doc_name = id ? id : name;
    size_t doc_len = strlen(doc_name);
    int doc_utf8 = st_utf8_clean_prefix(doc_name, doc_len) == doc_len;
    size_t records_before = w->records;
    w->scratch.len = 0;
    if (run->sentence_unit) {
        for (size_t i = 0; i < st_article_sentence_count(article) && rc == 0; i++) {
            st_span s = st_article_sentence(article, i);
            const char *mention = NULL;
            const char *speaker = st_article_sentence_speaker(article, i, &mention);
            cli_record r = {
                .doc_utf8 = doc_utf8,
                .doc = doc_name,
                .index = i,
                .sentence_unit = 1,
                .speaker = speaker,
                .mention = speaker ? mention : NULL,
                .sentence = clean + s.start,
                .sentence_len = s.end - s.start,
                .start = st_doc_source_offset(doc, s.start),
                .end = st_doc_source_offset(doc, s.end),
                .extra = extra,
            };
            st_example ex = {clean + s.start, s.end - s.start, NULL, 0};
            rc = label_and_write(w, &r, &ex);
        }
    } else {
        for (size_t i = 0; i < st_article_quote_count(article) && rc == 0; i++) {
            const st_attributed_quote *q = st_article_quote(article, i);
            st_span s = st_article_sentence(article, q->sentence);
            cli_record r = {
                .doc_utf8 = doc_utf8,
                .doc = doc_name,
                .index = i,
                .quote = clean + q->quote.inner.start,
                .quote_len = q->quote.inner.end - q->quote.inner.start,
                .speaker = q->speaker,
                .mention = q->mention,
                .sentence = clean + s.start,
                .sentence_len = s.end - s.start,
                .start = st_doc_source_offset(doc, q->quote.inner.start),
                .end = st_doc_source_offset(doc, q->quote.inner.end),
                .extra = extra,
            };
            st_example ex = {r.quote, r.quote_len, r.sentence, r.sentence_len};
            rc = label_and_write(w, &r, &ex);
        }
    }
    rc = flush_records(w, rc, records_before);
    st_article_free(article);
    st_doc_free(doc);
    return rc;
}

/* One row of a quote table: one record, carrying the row's id. */
static int classify_row(classify_worker *w, const cli_unit *u)
{
    if (u->name != w->checked_name) {
        size_t n = strlen(u->name);
        w->name_utf8 = st_utf8_clean_prefix(u->name, n) == n;
        w->checked_name = u->name;
    }
    cli_record r = {
        .doc_utf8 = w->name_utf8,
        .doc = u->name,
        .id = u->id,
        .index = u->index,
        .quote = u->quote,
        .quote_len = u->quote_len,
        .speaker = u->speaker && u->speaker_len ? u->speaker : NULL,
        .sentence = u->sentence,
        .sentence_len = u->sentence_len,
        .no_offsets = 1,
    };
    st_example ex = {u->quote, u->quote_len, u->sentence, u->sentence_len};
    size_t records_before = w->records;
    w->scratch.len = 0;
    return flush_records(w, label_and_write(w, &r, &ex), records_before);
}

static void worker_free(void *worker)
{
    classify_worker *w = worker;
    if (!w)
        return;
    st_explanation_clear(&w->expl);
    free(w->items);
    st_buf_free(&w->scratch);
    st_extractor_free(w->x);
    free(w);
}

static void *worker_new(void *ctx)
{
    const classify_run *run = ctx;
    classify_worker *w = calloc(1, sizeof *w);
    if (!w) {
        cli_error("out of memory");
        return NULL;
    }
    w->run = run;
    st_status s = st_model_extractor_new(run->model, &w->x);
    if (s != ST_OK) {
        cli_error("%s: %s", run->model_dir, st_strerror(s));
        worker_free(w);
        return NULL;
    }
    return w;
}

static int process(void *worker, void *item, FILE *out, size_t *records)
{
    classify_worker *w = worker;
    const cli_unit *u = item;
    w->out = out;
    w->records = 0;
    int rc = u->kind == CLI_UNIT_ROW ? classify_row(w, u) : cli_unit_article(u, classify_article, w);
    *records += w->records;
    return rc;
}

static int write_header(FILE *fp, void *ctx)
{
    const classify_run *run = ctx;
    return cli_write_labelled_header(fp, run->format, run->sentence_unit, run->explain);
}

int cmd_classify(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"model", required_argument, NULL, 'm'},
        {"format", required_argument, NULL, 'f'},
        {"input", required_argument, NULL, 'i'},
        {"unit", required_argument, NULL, 'u'},
        {"explain", optional_argument, NULL, 'e'},
        {"output", required_argument, NULL, 'o'},
        {"strict", no_argument, NULL, 'S'},
        {"jobs", required_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    classify_run run = {.format = CLI_FORMAT_JSONL, .input = CLI_INPUT_AUTO, .explain_k = DEFAULT_EXPLAIN};
    const char *output = NULL, *model_arg = NULL;
    int jobs = 1;
    int c;
    opterr = 0;
    optind = 0;
    while ((c = getopt_long(argc, argv, ":m:f:i:u:e::o:j:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'm': model_arg = optarg; break;
        case 'f':
            if (cli_format_option("classify", optarg, &run.format) != 0)
                return CLI_EXIT_USAGE;
            break;
        case 'i':
            if (cli_input_option("classify", optarg, 1, &run.input) != 0)
                return CLI_EXIT_USAGE;
            break;
        case 'u':
            if (strcmp(optarg, "quote") == 0)
                run.sentence_unit = 0;
            else if (strcmp(optarg, "sentence") == 0)
                run.sentence_unit = 1;
            else {
                cli_error("classify: unknown unit '%s' (quote, sentence)", optarg);
                return CLI_EXIT_USAGE;
            }
            break;
        case 'e': {
            run.explain = 1;
            if (optarg) {
                char *end;
                errno = 0;
                long k = strtol(optarg, &end, 10);
                if (errno || end == optarg || *end || k < 1 || k > 1000) {
                    cli_error("classify: --explain=%s: expected a number of features, 1..1000", optarg);
                    return CLI_EXIT_USAGE;
                }
                run.explain_k = (size_t)k;
            }
            break;
        }
        case 'o': output = optarg; break;
        case 'S': run.text.strict = 1; break;
        case 'j':
            if (cli_jobs_option("classify", optarg, &jobs) != 0)
                return CLI_EXIT_USAGE;
            break;
        case 'h': fputs(help, stdout); return CLI_EXIT_OK;
        default:
            return cli_option_error("classify", c, argv);
        }
    }
    int nfiles;
    char **files = cli_operands(argc, argv, &nfiles);

    char *dir = NULL;
    st_model *model = cli_load_model(model_arg, &dir);
    if (!model)
        return CLI_EXIT_FAILURE;
    run.model = model;
    run.model_dir = dir;
    if (run.explain && !st_model_can_explain(model))
        cli_error("classify: %s is not a linear model; --explain lists no features", dir);

    static const cli_pool_ops ops = {worker_new, worker_free, process, cli_unit_free};
    cli_unit_source source = {
        .files = files,
        .nfiles = nfiles,
        .requested = run.input,
        .table_refusal = run.sentence_unit ? "--unit sentence needs articles (text or jsonl), not a quote table"
                                           : NULL,
    };
    int status = cli_run_units(output, jobs, &source, write_header, &ops, &run);
    st_model_free(model);
    free(dir);
    return status;
}
