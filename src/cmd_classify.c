/* cmd_classify.c - `stance classify`: quotes (or sentences) with labels and probabilities. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "st_dataset.h"
#include "st_model.h"

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
    "  -h, --help          this help\n"
    "\n"
    "examples:\n"
    "  stance classify samples/summit.txt\n"
    "  stance classify --format table --explain samples/summit.txt\n"
    "  stance classify --unit sentence --format tsv article.txt\n"
    "  stance classify quotes.tsv > labelled.jsonl\n"
    "\n"
    "Each JSONL record holds the fields of 'stance quotes' plus \"label\" and\n"
    "\"probabilities\" (and \"explain\" with --explain); a sentence record holds doc,\n"
    "index, sentence, speaker, mention, start, end, label and probabilities.\n"
    "Exit status: 0 success, 1 bad input, model or I/O, 2 usage error.\n";

typedef struct classify_run {
    cli_format format;
    cli_input input;
    st_text_options text;
    FILE *out;
    int sentence_unit;
    int explain;
    size_t explain_k;
    const st_model *model;
    st_extractor *x;
    st_explanation expl;
    cli_explain_item *items;
    size_t items_capacity;
} classify_run;

/* Labels one example and writes its record.  0, or -1 on a write error
 * or out of memory (message printed). */
static int label_and_write(classify_run *run, cli_record *r, const st_example *ex)
{
    st_prediction p;
    st_status s = st_model_predict(run->model, run->x, ex, &p, run->explain ? run->explain_k : 0,
                                   run->explain ? &run->expl : NULL);
    if (s != ST_OK) {
        cli_error("%s: %s", r->doc, st_strerror(s));
        return -1;
    }
    r->label = st_label_name(p.label);
    r->probabilities = p.probability;
    if (run->explain) {
        if (run->expl.count > run->items_capacity) {
            cli_explain_item *items = realloc(run->items, run->expl.count * sizeof *items);
            if (!items) {
                cli_error("out of memory");
                return -1;
            }
            run->items = items;
            run->items_capacity = run->expl.count;
        }
        for (size_t i = 0; i < run->expl.count; i++) {
            run->items[i].name = run->expl.items[i].name;
            run->items[i].value = run->expl.items[i].contribution;
        }
        r->has_explain = 1;
        r->explain = run->items;
        r->explain_count = run->expl.count;
    }
    return cli_write_record(run->out, run->format, r) == 0 ? 0 : -1;
}

/* Reports what cleaning replaced; the first few by offset, then a count. */
static void report_problems(const char *name, const st_doc *doc)
{
    size_t n = st_doc_problem_count(doc);
    for (size_t i = 0; i < n && i < 5; i++) {
        const st_problem *p = st_doc_problem(doc, i);
        cli_error("%s: %s at byte %zu, replaced by U+FFFD", name,
                  p->kind == ST_PROBLEM_NUL ? "NUL byte" : "invalid UTF-8", p->offset);
    }
    if (n > 5)
        cli_error("%s: %zu more invalid bytes replaced", name, n - 5);
}

static int classify_article(void *ctx, const char *name, const char *id, size_t line, const char *text,
                            size_t size, json_t *extra)
{
    classify_run *run = ctx;
    st_diag diag;
    st_diag_clear(&diag);
    diag.file = name;
    st_doc *doc = NULL;
    st_status status = st_doc_new(text, size, &run->text, &doc, &diag);
    if (status != ST_OK) {
        diag.line = line;
        cli_diag_error(&diag, status);
        return 1;
    }
    report_problems(name, doc);
    st_article *article = NULL;
    status = st_article_read(doc, &article, &diag);
    if (status != ST_OK) {
        cli_diag_error(&diag, status);
        st_doc_free(doc);
        return 1;
    }
    const char *clean = st_doc_text(doc);
    int rc = 0;
    if (run->sentence_unit) {
        for (size_t i = 0; i < st_article_sentence_count(article) && rc == 0; i++) {
            st_span s = st_article_sentence(article, i);
            const char *mention = NULL;
            const char *speaker = st_article_sentence_speaker(article, i, &mention);
            cli_record r = {
                .doc = id ? id : name,
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
            rc = label_and_write(run, &r, &ex);
        }
    } else {
        for (size_t i = 0; i < st_article_quote_count(article) && rc == 0; i++) {
            const st_attributed_quote *q = st_article_quote(article, i);
            st_span s = st_article_sentence(article, q->sentence);
            cli_record r = {
                .doc = id ? id : name,
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
            rc = label_and_write(run, &r, &ex);
        }
    }
    st_article_free(article);
    st_doc_free(doc);
    return rc;
}

/* A quote table: one record per row, in order.  0, 1 (bad input) or -1. */
static int classify_table(classify_run *run, const char *name)
{
    if (run->sentence_unit) {
        cli_error("%s: --unit sentence needs articles (text or jsonl), not a quote table", name);
        return 1;
    }
    int is_stdin = strcmp(name, "-") == 0;
    FILE *fp = is_stdin ? stdin : fopen(name, "rb");
    if (!fp) {
        cli_error("%s: %s", name, strerror(errno));
        return 1;
    }
    st_diag diag;
    st_diag_clear(&diag);
    st_tsv_reader *reader = NULL;
    st_status s = st_tsv_reader_new(fp, name, 0, &reader, &diag);
    int rc = 0;
    if (s != ST_OK) {
        cli_diag_error(&diag, s);
        rc = 1;
    }
    for (size_t index = 0; reader && rc >= 0; index++) {
        st_row row;
        int done;
        if ((s = st_tsv_reader_next(reader, &row, &done, &diag)) != ST_OK) {
            /* A bad row is reported and skipped; the rest still count. */
            cli_diag_error(&diag, s);
            rc = 1;
            if (s != ST_ERR_INPUT)
                break;
            continue;
        }
        if (done)
            break;
        cli_record r = {
            .doc = name,
            .id = row.id,
            .index = index,
            .quote = row.quote,
            .quote_len = row.quote_len,
            .speaker = row.speaker && row.speaker_len ? row.speaker : NULL,
            .sentence = row.sentence,
            .sentence_len = row.sentence_len,
            .no_offsets = 1,
        };
        st_example ex = {row.quote, row.quote_len, row.sentence, row.sentence_len};
        if (label_and_write(run, &r, &ex) != 0)
            rc = -1;
    }
    st_tsv_reader_free(reader);
    if (!is_stdin)
        fclose(fp);
    return rc;
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
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    classify_run run = {.format = CLI_FORMAT_JSONL, .input = CLI_INPUT_AUTO, .explain_k = DEFAULT_EXPLAIN};
    const char *output = NULL, *model_arg = NULL;
    int c;
    opterr = 0;
    optind = 0;
    while ((c = getopt_long(argc, argv, ":m:f:i:u:e::o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'm': model_arg = optarg; break;
        case 'f':
            if (cli_parse_format(optarg, &run.format) != 0) {
                cli_error("classify: unknown format '%s' (jsonl, tsv, csv, table)", optarg);
                return CLI_EXIT_USAGE;
            }
            break;
        case 'i':
            if (cli_parse_input(optarg, &run.input) != 0) {
                cli_error("classify: unknown input kind '%s' (text, jsonl, tsv)", optarg);
                return CLI_EXIT_USAGE;
            }
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
        case 'h': fputs(help, stdout); return CLI_EXIT_OK;
        case ':':
            cli_error("classify: option '%s' needs a value (try 'stance classify --help')", argv[optind - 1]);
            return CLI_EXIT_USAGE;
        default:
            if (optopt)
                cli_error("classify: unknown option '-%c' (try 'stance classify --help')", optopt);
            else
                cli_error("classify: unknown option '%s' (try 'stance classify --help')", argv[optind - 1]);
            return CLI_EXIT_USAGE;
        }
    }
    char *stdin_only[] = {"-"};
    char **files = optind < argc ? argv + optind : stdin_only;
    int nfiles = optind < argc ? argc - optind : 1;

    char *dir = cli_model_dir(model_arg);
    if (!dir)
        return CLI_EXIT_FAILURE;
    st_diag diag;
    st_diag_clear(&diag);
    st_model *model = NULL;
    st_status s = st_model_load(dir, &model, &diag);
    if (s != ST_OK) {
        cli_diag_error(&diag, s);
        if (!model_arg && !(getenv("STANCE_MODEL") && *getenv("STANCE_MODEL")))
            cli_error("no usable default model: give --model DIR, set STANCE_MODEL, or run 'make model'");
        free(dir);
        return CLI_EXIT_FAILURE;
    }
    run.model = model;
    if ((s = st_model_extractor_new(model, &run.x)) != ST_OK) {
        cli_error("%s: %s", dir, st_strerror(s));
        st_model_free(model);
        free(dir);
        return CLI_EXIT_FAILURE;
    }
    if (run.explain && !st_model_can_explain(model))
        cli_error("classify: %s is not a linear model; --explain lists no features", dir);

    int status = CLI_EXIT_OK;
    cli_output out;
    if (cli_output_open(&out, output, files, nfiles) != 0) {
        status = CLI_EXIT_FAILURE;
        goto done;
    }
    run.out = out.fp;
    if (cli_write_labelled_header(run.out, run.format, run.sentence_unit, run.explain) != 0)
        goto write_failed;
    for (int i = 0; i < nfiles; i++) {
        int r;
        if (cli_input_for(files[i], run.input) == CLI_INPUT_TSV)
            r = classify_table(&run, files[i]);
        else
            r = cli_each_article(files + i, 1, run.input, classify_article, &run);
        if (r < 0)
            goto write_failed;
        if (r > 0)
            status = CLI_EXIT_FAILURE;
    }
    if (cli_output_close(&out) != 0)
        status = CLI_EXIT_FAILURE;
    goto done;

write_failed:
    /* A write error is reported by close; anything else (reported already)
     * must not leave a partial output file behind. */
    if (ferror(out.fp))
        cli_output_close(&out);
    else
        cli_output_abort(&out);
    status = CLI_EXIT_FAILURE;
done:
    st_explanation_clear(&run.expl);
    free(run.items);
    st_extractor_free(run.x);
    st_model_free(model);
    free(dir);
    return status;
}
