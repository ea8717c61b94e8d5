/*
 * fuzz_lexicon.c - the lexicon loader: st_lexicon_parse for every kind.
 * The first input byte chooses the kind (modulo the number of kinds); the
 * rest is the file text.  On success the entries must survive a round
 * trip through st_lexicon_format, every term must match itself with
 * st_lexicon_match, and parsing the same text again must fail (duplicates)
 * and leave the lexicon as it was.
 */
#include <string.h>

#include "fuzz.h"
#include "st_lexicon.h"

#define MAX_TOKENS 64

/* Splits a term at its single spaces into tokens (copied into buf). */
static size_t split_term(const char *term, char *buf, size_t bufsize, const char **tokens)
{
    size_t n = strlen(term);
    if (n + 1 > bufsize)
        return 0;
    memcpy(buf, term, n + 1);
    size_t count = 0;
    char *p = buf;
    for (;;) {
        if (count == MAX_TOKENS)
            return 0;
        tokens[count++] = p;
        char *sp = strchr(p, ' ');
        if (!sp)
            break;
        *sp = '\0';
        p = sp + 1;
    }
    return count;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    st_lexicon_kind kind = (st_lexicon_kind)(data[0] % ST_LEXICON_KIND_COUNT);
    const char *text = (const char *)data + 1;
    size_t n = size - 1;

    st_lexicon *lex = NULL;
    FUZZ_CHECK(st_lexicon_new(&lex) == ST_OK);
    st_diag diag;
    st_diag_clear(&diag);
    st_status status = st_lexicon_parse(kind, "fuzz.tsv", text, n, lex, &diag);
    if (status != ST_OK) {
        FUZZ_CHECK(status == ST_ERR_INPUT || status == ST_ERR_NOMEM);
        FUZZ_CHECK(diag.message[0] != '\0');
        for (int k = 0; k < ST_LEXICON_KIND_COUNT; k++)
            FUZZ_CHECK(st_lexicon_count(lex, (st_lexicon_kind)k) == 0);
        st_lexicon_free(lex);
        return 0;
    }
    size_t count = st_lexicon_count(lex, kind);

    /* Every entry is well formed and matches itself. */
    char buf[4096];
    const char *tokens[MAX_TOKENS];
    for (size_t i = 0; i < count; i++) {
        const char *term = NULL, *note = NULL;
        double weight = 0;
        FUZZ_CHECK(st_lexicon_entry(lex, kind, i, &term, &weight, &note));
        FUZZ_CHECK(term && term[0] && note);
        FUZZ_CHECK(weight >= ST_LEXICON_WEIGHT_MIN && weight <= ST_LEXICON_WEIGHT_MAX);
        size_t ntok = split_term(term, buf, sizeof buf, tokens);
        if (ntok == 0)
            continue;
        size_t len = 0, index = (size_t)-1;
        FUZZ_CHECK(st_lexicon_match_entry(lex, kind, tokens, ntok, &len, &index));
        FUZZ_CHECK(len == ntok);
        FUZZ_CHECK(index < count);
    }
    FUZZ_CHECK(!st_lexicon_entry(lex, kind, count, NULL, NULL, NULL));

    /* The same text again: every term is a duplicate now. */
    if (count > 0) {
        st_diag_clear(&diag);
        FUZZ_CHECK(st_lexicon_parse(kind, NULL, text, n, lex, &diag) == ST_ERR_INPUT);
        FUZZ_CHECK(st_lexicon_count(lex, kind) == count);
    }

    /* Round trip through the formatter. */
    char *copy = NULL;
    size_t copy_size = 0;
    FUZZ_CHECK(st_lexicon_format(lex, kind, &copy, &copy_size) == ST_OK);
    FUZZ_CHECK(copy[copy_size] == '\0');
    st_lexicon *again = NULL;
    FUZZ_CHECK(st_lexicon_new(&again) == ST_OK);
    st_diag_clear(&diag);
    FUZZ_CHECK(st_lexicon_parse(kind, NULL, copy, copy_size, again, &diag) == ST_OK);
    FUZZ_CHECK(st_lexicon_count(again, kind) == count);
    for (size_t i = 0; i < count; i++) {
        const char *t1, *t2, *n1, *n2;
        double w1, w2;
        FUZZ_CHECK(st_lexicon_entry(lex, kind, i, &t1, &w1, &n1));
        FUZZ_CHECK(st_lexicon_entry(again, kind, i, &t2, &w2, &n2));
        FUZZ_CHECK(strcmp(t1, t2) == 0 && strcmp(n1, n2) == 0 && w1 == w2);
    }
    char *copy2 = NULL;
    size_t copy2_size = 0;
    FUZZ_CHECK(st_lexicon_format(again, kind, &copy2, &copy2_size) == ST_OK);
    FUZZ_CHECK(copy2_size == copy_size && memcmp(copy, copy2, copy_size) == 0);
    free(copy);
    free(copy2);
    st_lexicon_free(again);
    st_lexicon_free(lex);
    return 0;
}
