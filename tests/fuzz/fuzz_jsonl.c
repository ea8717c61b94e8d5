/*
 * fuzz_jsonl.c - the JSONL article reader: every line of the input goes
 * through cli_jsonl_parse (what `stance quotes --input jsonl` does per
 * line), then its text through st_doc_new and st_article_read, and every
 * quote record is written in each output format.  A JSONL record must
 * read back as a JSON object carrying the quote and the passed-through
 * keys.
 */
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "fuzz.h"
#include "fuzz_walk.h"

static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    devnull = fopen("/dev/null", "w");
    return 0;
}

static void write_records(const char *id, const st_doc *doc, const st_article *article, json_t *extra)
{
    const char *clean = st_doc_text(doc);
    for (size_t i = 0; i < st_article_quote_count(article); i++) {
        const st_attributed_quote *q = st_article_quote(article, i);
        st_span s = st_article_sentence(article, q->sentence);
        cli_record r = {
            .doc = id,
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
        char *buf = NULL;
        size_t len = 0;
        FILE *mem = open_memstream(&buf, &len);
        FUZZ_CHECK(mem != NULL);
        FUZZ_CHECK(cli_write_record(mem, CLI_FORMAT_JSONL, &r) == 0);
        FUZZ_CHECK(fclose(mem) == 0);
        FUZZ_CHECK(len > 0 && buf[len - 1] == '\n');
        FUZZ_CHECK(memchr(buf, '\n', len) == buf + len - 1); /* one line */
        json_error_t err;
        json_t *back = json_loadb(buf, len, JSON_ALLOW_NUL, &err);
        FUZZ_CHECK(json_is_object(back));
        json_t *quote = json_object_get(back, "quote");
        FUZZ_CHECK(json_is_string(quote));
        FUZZ_CHECK(json_string_length(quote) == r.quote_len &&
                   memcmp(json_string_value(quote), r.quote, r.quote_len) == 0);
        if (extra) {
            const char *key;
            json_t *value;
            json_object_foreach(extra, key, value) {
                FUZZ_CHECK(json_object_get(back, key) != NULL);
            }
        }
        json_decref(back);
        free(buf);
        if (devnull) {
            cli_write_record(devnull, CLI_FORMAT_TSV, &r);
            cli_write_record(devnull, CLI_FORMAT_CSV, &r);
            cli_write_record(devnull, CLI_FORMAT_TABLE, &r);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data, *end = p + size;
    size_t lineno = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        const char *line = p;
        p = nl ? nl + 1 : end;
        lineno++;
        len = cli_line_length(line, len);
        if (len == 0)
            continue;
        cli_jsonl_article a;
        int rc = cli_jsonl_parse(line, len, lineno, &a);
        if (rc != 0) {
            FUZZ_CHECK(a.message[0] != '\0');
            FUZZ_CHECK(a.object == NULL && a.extra == NULL);
            continue;
        }
        FUZZ_CHECK(a.text != NULL && a.id != NULL);
        st_doc *doc = NULL;
        st_diag diag;
        st_diag_clear(&diag);
        st_text_options options = {0};
        if (st_doc_new(a.text, a.text_len, &options, &doc, &diag) == ST_OK) {
            st_article *article = fuzz_walk_article(doc, a.text_len);
            if (article)
                write_records(a.id, doc, article, a.extra);
            st_article_free(article);
            st_doc_free(doc);
        }
        cli_jsonl_article_clear(&a);
    }
    return 0;
}
