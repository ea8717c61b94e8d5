/* cmd_quotes.c - `stance quotes`: every quote of every article and its speaker. */
#include <getopt.h>
#include <stdlib.h>

#include "cli.h"
#include "cmd.h"
#include "st_util.h"

static const char help[] =
    "usage: stance quotes [options] [FILE...]\n"
    "\n"
    "Finds every quotation in each article and the person or body who said it.\n"
    "FILE '-' or none reads standard input.  No model is needed.\n"
    "\n"
    "options:\n"
    "  -f, --format FMT   jsonl (default), tsv, csv or table\n"
    "  -i, --input KIND   text (one article per file) or jsonl (one article per\n"
    "                     line: {\"id\": ..., \"text\": ...}); default: by extension\n"
    "                     (.jsonl), else text\n"
    "      --strict       fail on invalid UTF-8 or NUL bytes instead of replacing\n"
    "                     them with U+FFFD\n"
    "  -o, --output FILE  write to FILE (through a temporary file and a rename)\n"
    "  -j, --jobs N       N worker threads (default 1; 0: one per processor); the\n"
    "                     output is the same, byte for byte, in input order\n"
    "  -h, --help         this help\n"
    "\n"
    "examples:\n"
    "  stance quotes article.txt\n"
    "  stance quotes --format table samples/summit.txt\n"
    "  stance quotes --input jsonl < articles.jsonl > quotes.jsonl\n"
    "  stance quotes --jobs 4 --format tsv -o quotes.tsv big.jsonl\n"
    "\n"
    "Each record holds doc, index, quote, speaker (null when nobody can be\n"
    "named), mention, sentence, and start/end: byte offsets of the quoted words\n"
    "in the input.  JSONL input streams: memory does not grow with the input and\n"
    "records come out as their articles are read.  A progress line is shown on\n"
    "stderr for long runs when stderr is a terminal.  'man stance' has more.\n"
    "Exit status: 0 success, 1 bad input or I/O, 2 usage error.\n";

typedef struct quotes_run {
    cli_format format;
    cli_input input;
    st_text_options text;
} quotes_run;

/* One worker: the run's settings and where the current item goes. */
typedef struct quotes_worker {
    const quotes_run *run;
    FILE *out;
    size_t records;
    st_buf scratch; /* an article's records are built here (cli_append_record) */
} quotes_worker;


/* Reads one article and writes its records.  Returns 0, or 1 on bad input. */
static int quote_article(void *ctx, const char *name, const char *id, size_t line, const char *text,
                         size_t size, json_t *extra)
{
    quotes_worker *w = ctx;
    const quotes_run *run = w->run;
    st_doc *doc = NULL;
    st_article *article = NULL;
    int read = cli_read_article(name, line, text, size, &run->text, &doc, &article);
    if (read != 0)
        return read;
    const char *clean = st_doc_text(doc);
    int rc = 0;
    /* The doc checked for UTF-8 once for the article's records, and the
     * records written with one fwrite (cli_append_record). */
    const char *doc_name = id ? id : name;
    size_t doc_len = strlen(doc_name);
    int doc_utf8 = st_utf8_clean_prefix(doc_name, doc_len) == doc_len;
    size_t records_before = w->records;
    w->scratch.len = 0;
    for (size_t i = 0; i < st_article_quote_count(article); i++) {
        const st_attributed_quote *q = st_article_quote(article, i);
        st_span s = st_article_sentence(article, q->sentence);
        cli_record r = {
            .doc_utf8 = doc_utf8,
            .doc = doc_name,
            .id = NULL,
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
        if (cli_append_record(&w->scratch, run->format, &r) != 0) {
            rc = -1;
            break;
        }
        w->records++;
    }
    /* The records before a failed one are written, as one by one. */
    if (cli_flush_records(w->out, &w->scratch) != 0) {
        rc = -1;
        w->records = records_before;
    }
    st_article_free(article);
    st_doc_free(doc);
    return rc;
}

static void *worker_new(void *ctx)
{
    quotes_worker *w = calloc(1, sizeof *w);
    if (!w)
        cli_error("out of memory");
    else
        w->run = ctx;
    return w;
}

static void worker_free(void *worker)
{
    quotes_worker *w = worker;
    if (!w)
        return;
    st_buf_free(&w->scratch);
    free(w);
}

static int process(void *worker, void *item, FILE *out, size_t *records)
{
    quotes_worker *w = worker;
    w->out = out;
    w->records = 0;
    int rc = cli_unit_article(item, quote_article, w);
    *records += w->records;
    return rc;
}

static int write_header(FILE *fp, void *ctx)
{
    const quotes_run *run = ctx;
    return cli_write_header(fp, run->format);
}

int cmd_quotes(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"format", required_argument, NULL, 'f'},
        {"input", required_argument, NULL, 'i'},
        {"output", required_argument, NULL, 'o'},
        {"strict", no_argument, NULL, 'S'},
        {"jobs", required_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    quotes_run run = {.format = CLI_FORMAT_JSONL, .input = CLI_INPUT_AUTO};
    const char *output = NULL;
    int jobs = 1;
    int c;
    opterr = 0;
    optind = 0;
    while ((c = getopt_long(argc, argv, ":f:i:o:j:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (cli_format_option("quotes", optarg, &run.format) != 0)
                return CLI_EXIT_USAGE;
            break;
        case 'i':
            if (cli_input_option("quotes", optarg, 0, &run.input) != 0)
                return CLI_EXIT_USAGE;
            break;
        case 'o': output = optarg; break;
        case 'S': run.text.strict = 1; break;
        case 'j':
            if (cli_jobs_option("quotes", optarg, &jobs) != 0)
                return CLI_EXIT_USAGE;
            break;
        case 'h': fputs(help, stdout); return CLI_EXIT_OK;
        default:
            return cli_option_error("quotes", c, argv);
        }
    }
    static const cli_pool_ops ops = {worker_new, worker_free, process, cli_unit_free};
    cli_unit_source source = {
        .requested = run.input,
        .table_refusal = "expected articles (text or jsonl), not a quote table",
    };
    source.files = cli_operands(argc, argv, &source.nfiles);
    return cli_run_units(output, jobs, &source, write_header, &ops, &run);
}
