/* cmd_report.c - `stance report`: per-speaker tone over all inputs. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmd.h"
#include "st_model.h"
#include "st_report.h"
#include "st_util.h"

static const char help[] =
    "usage: stance report [options] [FILE...]\n"
    "\n"
    "Aggregates labelled quotes by speaker over every input: quotes, count and\n"
    "share of each label, a tone index (conciliatory - threatening) / quotes in\n"
    "[-1, 1] with a 95% interval, mean probabilities, the most threatening and\n"
    "most conciliatory quote, and the number of documents.  Speakers are merged\n"
    "across documents (\"Blinken\" and \"Antony Blinken\" are one person; a capital\n"
    "shown with its country, \"Tehran (Iran)\", is that country).\n"
    "\n"
    "Each FILE is recognised by its content ('-' or none reads standard input):\n"
    "  - `stance classify --format jsonl` records (one JSON object per line);\n"
    "  - `stance report --format json` output, to merge reports of shards;\n"
    "  - articles, text (one per file) or JSONL ({\"id\": ..., \"text\": ...}),\n"
    "    labelled here with the model.\n"
    "\n"
    "options:\n"
    "  -f, --format FMT      table (default), json, csv or html\n"
    "  -o, --output FILE     write to FILE (through a temporary file and a rename)\n"
    "  -i, --input KIND      records, report, text or jsonl (articles) instead of\n"
    "                        recognising each file by its content\n"
    "      --min-quotes N    only speakers with at least N quotes\n"
    "      --speaker NAME    only this speaker (repeatable; \"Blinken\" selects\n"
    "                        \"Antony Blinken\"; \"(unattributed)\" the unattributed row)\n"
    "      --sort KEY        quotes (default: most first), tone (most threatening\n"
    "                        first) or name\n"
    "      --by doc          one block per document\n"
    "  -m, --model DIR       model bundle for article inputs (default: $STANCE_MODEL,\n"
    "                        else models/default beside the binary, else the\n"
    "                        installed one)\n"
    "      --strict          articles: fail on invalid UTF-8 or NUL bytes\n"
    "      --title TEXT      title of the HTML report\n"
    "  -h, --help            this help\n"
    "\n"
    "examples:\n"
    "  stance classify --format jsonl news/*.txt > labelled.jsonl\n"
    "  stance report labelled.jsonl\n"
    "  stance report --format html -o report.html labelled.jsonl\n"
    "  stance report --speaker Blinken --speaker Lavrov --by doc labelled.jsonl\n"
    "  map/reduce: stance classify --format jsonl shard1/* | stance report --format json > r1.json\n"
    "              ... then: stance report --format json r1.json r2.json r3.json\n"
    "\n"
    "The JSON report keeps, besides the figures, the merge state of every speaker\n"
    "(\"sources\"), so reports of disjoint shards merge into exactly the report of\n"
    "the whole; filter (--min-quotes, --speaker) only at the last step.  Colour only\n"
    "when standard output is a terminal and NO_COLOR is not set.  docs/report.md\n"
    "describes every key.  Exit status: 0 success, 1 bad input, model or I/O (the\n"
    "report of the good input is still written), 2 usage error.\n";

typedef enum input_kind { KIND_AUTO, KIND_TEXT, KIND_ARTICLES, KIND_RECORDS, KIND_REPORT, KIND_QUOTES } input_kind;

typedef struct report_run {
    st_report *report;
    input_kind input;
    const char *model_option;
    st_text_options text;
    st_model *model;       /* loaded at the first article */
    st_extractor *x;
    int model_failed;
    char *quote;           /* scratch copy of one quote */
    size_t quote_capacity;
} report_run;

/* st_buf_append that keeps the data allocated and NUL-terminated even
 * when nothing was appended: what is read is handed on as a C string. */
static int append_text(st_buf *b, const char *s, size_t n)
{
    if (st_buf_reserve(b, n) != ST_OK || st_buf_append(b, s, n) != ST_OK)
        return -1;
    b->data[b->len] = '\0';
    return 0;
}

/* Reads the rest of fp into b.  0, or -1 (message printed). */
static int read_rest(FILE *fp, const char *name, st_buf *b)
{
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0) {
        if (append_text(b, chunk, got) != 0) {
            cli_error("%s: out of memory", name);
            return -1;
        }
    }
    if (ferror(fp)) {
        cli_error("%s: %s", name, strerror(errno));
        return -1;
    }
    if (!b->data && append_text(b, "", 0) != 0) {
        cli_error("%s: out of memory", name);
        return -1;
    }
    return 0;
}


/* Loads the model at the first article.  0, or -1 (message printed). */
static int need_model(report_run *run)
{
    if (run->model)
        return 0;
    if (run->model_failed)
        return -1;
    run->model_failed = 1;
    char *dir = cli_model_dir(run->model_option);
    if (!dir)
        return -1;
    st_diag diag;
    st_diag_clear(&diag);
    st_model_quiet_libsvm();
    st_status s = st_model_load(dir, &run->model, &diag);
    if (s != ST_OK) {
        cli_diag_error(&diag, s);
        cli_error("report: articles need a model (--model DIR); classify records need none");
        free(dir);
        return -1;
    }
    free(dir);
    if (st_model_extractor_new(run->model, &run->x) != ST_OK) {
        cli_error("out of memory");
        return -1;
    }
    run->model_failed = 0;
    return 0;
}

/* As classify writes them: 4 decimals, so that a report over articles and
 * a report over classify's records of the same articles agree. */
static double as_written(double p)
{
    char num[64];
    snprintf(num, sizeof num, "%.4f", p);
    return strtod(num, NULL);
}

/* Labels every quote of one article and adds it.  0, 1 (bad input) or
 * -1 (fatal: model or memory). */
static int add_article(report_run *run, const char *name, const char *docname, size_t line, const char *text,
                       size_t size)
{
    if (need_model(run) != 0)
        return -1;
    st_doc *doc = NULL;
    st_article *article = NULL;
    int read = cli_read_article(name, line, text, size, &run->text, &doc, &article);
    if (read != 0)
        return read;
    st_diag diag;
    st_diag_clear(&diag);
    diag.file = name;
    st_status status = ST_OK;
    const char *clean = st_doc_text(doc);
    int rc = 0;
    for (size_t i = 0; i < st_article_quote_count(article) && rc == 0; i++) {
        const st_attributed_quote *q = st_article_quote(article, i);
        st_span s = st_article_sentence(article, q->sentence);
        size_t qlen = q->quote.inner.end - q->quote.inner.start;
        if (qlen + 1 > run->quote_capacity) {
            char *p = realloc(run->quote, qlen + 1);
            if (!p) {
                cli_error("out of memory");
                rc = -1;
                break;
            }
            run->quote = p;
            run->quote_capacity = qlen + 1;
        }
        memcpy(run->quote, clean + q->quote.inner.start, qlen);
        run->quote[qlen] = '\0';
        st_example ex = {run->quote, qlen, clean + s.start, s.end - s.start};
        st_prediction p;
        status = st_model_predict(run->model, run->x, &ex, &p, 0, NULL);
        if (status != ST_OK) {
            cli_error("%s: %s", name, st_strerror(status));
            rc = -1;
            break;
        }
        st_report_record rec = {docname, (long long)i, run->quote, q->speaker, p.label, {0}};
        for (int l = 0; l < ST_LABEL_COUNT; l++)
            rec.probability[l] = as_written(p.probability[l]);
        status = st_report_add(run->report, &rec, &diag);
        if (status != ST_OK) {
            cli_diag_error(&diag, status);
            rc = -1;
        }
    }
    st_article_free(article);
    st_doc_free(doc);
    return rc;
}

static int is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return 0;
    return 1;
}

/* What a file holds, from its first non-blank line. */
static input_kind sniff(const char *line, size_t len)
{
    size_t i = 0;
    if (len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len && (line[i] == ' ' || line[i] == '\t'))
        i++;
    if (i >= len || line[i] != '{')
        return KIND_TEXT;
    while (len > i && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        len--;
    json_error_t err;
    json_t *o = json_loadb(line + i, len - i, 0, &err);
    if (!o) {
        /* A JSON value that goes on past the line: a pretty-printed report. */
        return err.position >= (int)(len - i) ? KIND_REPORT : KIND_RECORDS;
    }
    input_kind kind = KIND_RECORDS;
    if (json_is_object(o)) {
        if (json_object_get(o, "format") && !json_object_get(o, "quote"))
            kind = KIND_REPORT;
        else if (!json_object_get(o, "label") && !json_object_get(o, "quote") && json_object_get(o, "text"))
            kind = KIND_ARTICLES;
        else if (json_object_get(o, "quote") && !json_object_get(o, "label") && !json_object_get(o, "probabilities"))
            kind = KIND_QUOTES;
    }
    json_decref(o);
    return kind;
}

/* One line of a records or articles file.  0, 1 (bad line) or -1. */
static int handle_line(report_run *run, input_kind kind, const char *name, size_t lineno, const char *line,
                       size_t len)
{
    len = cli_line_length(line, len);
    if (lineno == 1 && len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) {
        line += 3; /* a byte order mark */
        len -= 3;
    }
    if (is_blank(line, len))
        return 0;
    if (kind == KIND_RECORDS) {
        st_diag diag;
        st_diag_clear(&diag);
        st_status s = st_report_add_json_record(run->report, line, len, &diag);
        if (s == ST_OK)
            return 0;
        diag.file = name;
        diag.line = lineno;
        cli_diag_error(&diag, s);
        return s == ST_ERR_NOMEM ? -1 : 1;
    }
    cli_jsonl_article art;
    int r = cli_jsonl_parse(line, len, lineno, &art);
    if (r < 0) {
        cli_error("%s:%zu: out of memory", name, lineno);
        return -1;
    }
    if (r > 0) {
        cli_jsonl_report(name, lineno, &art);
        return 1;
    }
    r = add_article(run, name, art.id, lineno, art.text, art.text_len);
    cli_jsonl_article_clear(&art);
    return r;
}

/* Reads one input.  0, 1 (bad input, reported) or -1 (stop). */
static int read_input(report_run *run, const char *name)
{
    FILE *fp = cli_open_input(name);
    if (!fp)
        return 1;
    if (cli_refuse_directory(fp, name) != 0) {
        cli_close_input(fp);
        return 1;
    }
    st_buf head = {0};
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    ssize_t n = 0;
    int rc = 0;
    /* The first non-blank line tells what the file is. */
    while ((n = getline(&line, &cap, fp)) > 0) {
        lineno++;
        if (append_text(&head, line, (size_t)n) != 0) {
            cli_error("%s: out of memory", name);
            rc = -1;
            goto done;
        }
        if (!is_blank(line, (size_t)n))
            break;
    }
    if (n < 0 && ferror(fp)) {
        cli_error("%s: %s", name, strerror(errno));
        rc = 1;
        goto done;
    }
    input_kind kind = run->input;
    if (kind == KIND_AUTO)
        kind = n > 0 ? sniff(line, (size_t)n) : KIND_TEXT;
    if (kind == KIND_QUOTES) {
        cli_error("%s: `stance quotes` records have no labels: give report `stance classify --format jsonl` "
                  "records, or the articles themselves", name);
        rc = 1;
        goto done;
    }
    if (kind == KIND_RECORDS || kind == KIND_ARTICLES) {
        if (n > 0)
            rc = handle_line(run, kind, name, lineno, line, (size_t)n);
        while (rc >= 0 && (n = getline(&line, &cap, fp)) > 0) {
            lineno++;
            int r = handle_line(run, kind, name, lineno, line, (size_t)n);
            rc = r < 0 ? r : (rc | r);
        }
        if (rc >= 0 && ferror(fp)) {
            cli_error("%s: %s", name, strerror(errno));
            rc = 1;
        }
        goto done;
    }
    if (read_rest(fp, name, &head) != 0) {
        rc = 1;
        goto done;
    }
    if (kind == KIND_REPORT) {
        st_diag diag;
        st_diag_clear(&diag);
        size_t bom = head.len >= 3 && memcmp(head.data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
        st_status s = st_report_merge_json(run->report, head.data + bom, head.len - bom, &diag);
        if (s != ST_OK) {
            diag.file = name;
            cli_diag_error(&diag, s);
            rc = s == ST_ERR_NOMEM ? -1 : 1;
        }
    } else if (head.len > 0 || run->input == KIND_TEXT) {
        /* Robustness (issue 7): a file name that is not UTF-8 cannot go
         * into the JSON report (jansson refused it: "out of memory" per
         * quote); the document name gets U+FFFD for the bad bytes. */
        char *copy = NULL;
        const char *docname = cli_utf8_name(name, &copy);
        if (!docname) {
            cli_error("out of memory");
            rc = -1;
        } else {
            rc = add_article(run, name, docname, 0, head.data, head.len);
        }
        free(copy);
    }
done:
    free(line);
    st_buf_free(&head);
    cli_close_input(fp);
    return rc;
}

static int parse_count(const char *arg, size_t *out)
{
    char *end;
    errno = 0;
    if (*arg == '-' || *arg == '\0')
        return -1;
    unsigned long long v = strtoull(arg, &end, 10);
    if (errno || *end || v > (size_t)-1)
        return -1;
    *out = (size_t)v;
    return 0;
}

int cmd_report(int argc, char **argv)
{
    enum { OPT_MIN_QUOTES = 256, OPT_SPEAKER, OPT_SORT, OPT_BY, OPT_STRICT, OPT_TITLE };
    static const struct option longopts[] = {
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"input", required_argument, NULL, 'i'},
        {"model", required_argument, NULL, 'm'},
        {"min-quotes", required_argument, NULL, OPT_MIN_QUOTES},
        {"speaker", required_argument, NULL, OPT_SPEAKER},
        {"sort", required_argument, NULL, OPT_SORT},
        {"by", required_argument, NULL, OPT_BY},
        {"strict", no_argument, NULL, OPT_STRICT},
        {"title", required_argument, NULL, OPT_TITLE},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    report_run run = {.input = KIND_AUTO};
    st_report_options options = {.format = ST_REPORT_TABLE};
    const char **speakers = NULL;
    size_t nspeakers = 0;
    const char *output = NULL;
    int status = CLI_EXIT_USAGE;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":f:o:i:m:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (strcmp(optarg, "table") == 0) options.format = ST_REPORT_TABLE;
            else if (strcmp(optarg, "json") == 0) options.format = ST_REPORT_JSON;
            else if (strcmp(optarg, "csv") == 0) options.format = ST_REPORT_CSV;
            else if (strcmp(optarg, "html") == 0) options.format = ST_REPORT_HTML;
            else {
                cli_error("report: unknown format '%s' (table, json, csv, html)", optarg);
                goto out;
            }
            break;
        case 'i':
            if (strcmp(optarg, "records") == 0) run.input = KIND_RECORDS;
            else if (strcmp(optarg, "report") == 0) run.input = KIND_REPORT;
            else if (strcmp(optarg, "text") == 0) run.input = KIND_TEXT;
            else if (strcmp(optarg, "jsonl") == 0) run.input = KIND_ARTICLES;
            else {
                cli_error("report: unknown input kind '%s' (records, report, text, jsonl)", optarg);
                goto out;
            }
            break;
        case 'o': output = optarg; break;
        case 'm': run.model_option = optarg; break;
        case OPT_MIN_QUOTES:
            if (parse_count(optarg, &options.min_quotes) != 0) {
                cli_error("report: --min-quotes needs a whole number, not '%s'", optarg);
                goto out;
            }
            break;
        case OPT_SPEAKER: {
            const char **grown = realloc(speakers, (nspeakers + 1) * sizeof *speakers);
            if (!grown) {
                cli_error("out of memory");
                status = CLI_EXIT_FAILURE;
                goto out;
            }
            speakers = grown;
            speakers[nspeakers++] = optarg;
            break;
        }
        case OPT_SORT:
            if (strcmp(optarg, "quotes") == 0) options.sort = ST_REPORT_SORT_QUOTES;
            else if (strcmp(optarg, "tone") == 0) options.sort = ST_REPORT_SORT_TONE;
            else if (strcmp(optarg, "name") == 0) options.sort = ST_REPORT_SORT_NAME;
            else {
                cli_error("report: unknown sort key '%s' (quotes, tone, name)", optarg);
                goto out;
            }
            break;
        case OPT_BY:
            if (strcmp(optarg, "doc") != 0) {
                cli_error("report: --by takes 'doc', not '%s'", optarg);
                goto out;
            }
            options.by_doc = 1;
            break;
        case OPT_STRICT: run.text.strict = 1; break;
        case OPT_TITLE: options.title = optarg; break;
        case 'h':
            fputs(help, stdout);
            status = CLI_EXIT_OK;
            goto out;
        case ':':
            cli_error("report: option '%s' needs a value (try 'stance report --help')", argv[optind - 1]);
            goto out;
        default:
            if (optopt)
                cli_error("report: unknown or incomplete option '-%c' (try 'stance report --help')", optopt);
            else
                cli_error("report: unknown option '%s' (try 'stance report --help')", argv[optind - 1]);
            goto out;
        }
    }
    options.speakers = speakers;
    options.speaker_count = nspeakers;
    char *stdin_only[] = {"-"};
    char **files = optind < argc ? argv + optind : stdin_only;
    int nfiles = optind < argc ? argc - optind : 1;

    status = CLI_EXIT_FAILURE;
    if (st_report_new(options.format == ST_REPORT_HTML ? ST_REPORT_KEEP_QUOTES : 0, &run.report) != ST_OK) {
        cli_error("out of memory");
        goto out;
    }
    int bad = 0;
    for (int i = 0; i < nfiles; i++) {
        int r = read_input(&run, files[i]);
        if (r < 0)
            goto out;
        bad |= r;
    }
    cli_output out;
    if (cli_output_open(&out, output, files, nfiles) != 0)
        goto out;
    const char *no_color = getenv("NO_COLOR");
    options.color = options.format == ST_REPORT_TABLE && out.fp == stdout && isatty(fileno(stdout)) &&
                    !(no_color && *no_color);
    st_diag diag;
    st_diag_clear(&diag);
    st_status s = st_report_write(run.report, &options, out.fp, &diag);
    if (s != ST_OK && s != ST_ERR_IO) {
        cli_diag_error(&diag, s);
        cli_output_abort(&out);
        goto out;
    }
    if (cli_output_close(&out) != 0) /* prints a write error */
        goto out;
    status = bad ? CLI_EXIT_FAILURE : CLI_EXIT_OK;
out:
    free(speakers);
    free(run.quote);
    st_extractor_free(run.x);
    st_model_free(run.model);
    st_report_free(run.report);
    return status;
}
