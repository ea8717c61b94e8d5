/*
 * test_spec_sentences.c - runs the examples of tests/spec/sentences.txt
 * (or the file named by argv[1]) through st_doc_new, st_quotes_find and
 * st_sentences_split and compares the sentences, one per line.
 *
 * An example is written cmark-style:
 *   ```````````````````````````````` example sentences
 *   input text (one or more lines)
 *   .
 *   expected sentence 1
 *   expected sentence 2
 *   ````````````````````````````````
 * Run from the repository root.  Prints every mismatch with the line
 * number of its example and exits non-zero if there was one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stance.h"

#define FENCE "````````````````````````````````"

typedef struct text {
    char *data;
    size_t len;
    size_t cap;
} text;

static int append(text *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 256;
        while (cap < t->len + n + 1)
            cap *= 2;
        char *grown = realloc(t->data, cap);
        if (grown == NULL)
            return -1;
        t->data = grown;
        t->cap = cap;
    }
    memcpy(t->data + t->len, s, n);
    t->len += n;
    t->data[t->len] = '\0';
    return 0;
}

/* Splits `input` and writes the sentences, one per line, into `got`. */
static int run_example(const text *input, text *got)
{
    st_doc *doc = NULL;
    st_quote_list quotes = {0};
    st_span_list spans = {0};
    int rc = -1;
    if (st_doc_new(input->data, input->len, NULL, &doc, NULL) != ST_OK)
        return -1;
    const char *t = st_doc_text(doc);
    size_t size = st_doc_size(doc);
    if (st_quotes_find(t, size, &quotes) != ST_OK ||
        st_sentences_split(t, size, &quotes, &spans) != ST_OK)
        goto done;
    for (size_t i = 0; i < spans.count; i++) {
        if (append(got, t + spans.items[i].start, spans.items[i].end - spans.items[i].start) ||
            append(got, "\n", 1))
            goto done;
    }
    rc = 0;
done:
    st_spans_clear(&spans);
    st_quotes_clear(&quotes);
    st_doc_free(doc);
    return rc;
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "tests/spec/sentences.txt";
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        perror(path);
        return 1;
    }
    enum { PROSE, INPUT, EXPECTED } state = PROSE;
    text input = {0}, expected = {0}, got = {0};
    char *line = NULL;
    size_t line_cap = 0;
    ssize_t n;
    size_t line_no = 0, example_line = 0, examples = 0, failures = 0, passed = 0;
    int oom = 0;
    while ((n = getline(&line, &line_cap, f)) != -1) {
        line_no++;
        if (n > 0 && line[n - 1] == '\n')
            line[--n] = '\0';
        switch (state) {
        case PROSE:
            if (strncmp(line, FENCE " example", strlen(FENCE " example")) == 0) {
                state = INPUT;
                example_line = line_no;
                input.len = expected.len = got.len = 0;
            }
            break;
        case INPUT:
            if (strcmp(line, ".") == 0) {
                /* The last input line's newline ends the paragraph only. */
                if (input.len > 0)
                    input.len--;
                state = EXPECTED;
            } else {
                oom |= append(&input, line, (size_t)n) || append(&input, "\n", 1);
            }
            break;
        case EXPECTED:
            if (strcmp(line, FENCE) == 0) {
                examples++;
                if (input.data == NULL)
                    oom |= append(&input, "", 0);
                if (expected.data == NULL)
                    oom |= append(&expected, "", 0);
                if (oom || run_example(&input, &got) != 0) {
                    fprintf(stderr, "%s:%zu: example failed to run\n", path, example_line);
                    failures++;
                } else if (expected.len != got.len ||
                           memcmp(expected.data, got.data ? got.data : "", got.len) != 0) {
                    fprintf(stderr, "%s:%zu: example %zu differs\n--- input\n%.*s\n--- expected\n%.*s--- got\n%.*s\n",
                            path, example_line, examples, (int)input.len, input.data,
                            (int)expected.len, expected.data, (int)got.len,
                            got.data ? got.data : "");
                    failures++;
                } else {
                    passed++;
                }
                state = PROSE;
            } else {
                oom |= append(&expected, line, (size_t)n) || append(&expected, "\n", 1);
            }
            break;
        }
    }
    if (state != PROSE) {
        fprintf(stderr, "%s:%zu: example not closed\n", path, example_line);
        failures++;
    }
    free(line);
    free(input.data);
    free(expected.data);
    free(got.data);
    fclose(f);
    printf("spec sentences: %zu examples, %zu passed, %zu failed\n", examples, passed,
           failures);
    return failures == 0 && examples > 0 ? 0 : 1;
}
