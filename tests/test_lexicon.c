/*
 * test_lexicon.c - the cue lexicons and their loader.
 *
 * Runs from the repository root: the first tests load the real
 * training-data/lexicon/ and check it line by line; the others feed
 * malformed text through st_lexicon_parse and check longest matching.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "st_lexicon.h"

#define LEXICON_DIR "training-data/lexicon"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

/* Splits a term at its spaces into a NULL-terminated array (one block). */
static char **split_words(const char *term, size_t *n)
{
    size_t len = strlen(term), count = 1;
    for (size_t i = 0; i < len; i++)
        count += term[i] == ' ';
    char **words = malloc((count + 1) * sizeof *words + len + 1);
    assert_non_null(words);
    char *copy = (char *)(words + count + 1);
    memcpy(copy, term, len + 1);
    size_t k = 0;
    words[k++] = copy;
    for (char *p = copy; *p; p++) {
        if (*p == ' ') {
            *p = '\0';
            words[k++] = p + 1;
        }
    }
    words[k] = NULL;
    *n = count;
    return words;
}

/* Counts the data lines (all lines but the header) of a file. */
static size_t count_data_lines(const char *path)
{
    FILE *fp = fopen(path, "r");
    if (fp == NULL)
        return 0;
    char *line = NULL;
    size_t cap = 0, lines = 0;
    while (getline(&line, &cap, fp) > 0)
        lines++;
    free(line);
    fclose(fp);
    return lines ? lines - 1 : 0;
}

static st_lexicon *load_real(void)
{
    st_lexicon *lex = NULL;
    st_diag diag;
    memset(&diag, 0, sizeof diag);
    st_status status = st_lexicon_load(LEXICON_DIR, &lex, &diag);
    if (status != ST_OK)
        print_error("%s:%zu:%zu: %s\n", diag.file ? diag.file : "?", diag.line,
                    diag.column, diag.message);
    assert_int_equal(status, ST_OK);
    assert_non_null(lex);
    return lex;
}

/* ------------------------------------------------------------------ */
/* The real lexicon                                                    */

static void test_real_lexicon_loads(void **state)
{
    (void)state;
    st_lexicon *lex = load_real();
    for (int k = 0; k < ST_LEXICON_KIND_COUNT; k++) {
        st_lexicon_kind kind = (st_lexicon_kind)k;
        size_t n = st_lexicon_count(lex, kind);
        print_message("lexicon: %-17s %4zu entries\n", st_lexicon_kind_name(kind), n);
        assert_true(n > 0);
    }
    assert_true(st_lexicon_count(lex, ST_LEXICON_THREAT) >= 300);
    assert_true(st_lexicon_count(lex, ST_LEXICON_CONCILIATION) >= 300);
    st_lexicon_free(lex);
}

/* Every line of every file became an entry (nothing skipped). */
static void test_real_every_line_parses(void **state)
{
    (void)state;
    st_lexicon *lex = load_real();
    for (int k = 0; k < ST_LEXICON_KIND_COUNT; k++) {
        st_lexicon_kind kind = (st_lexicon_kind)k;
        const char *file = st_lexicon_kind_file(kind);
        size_t len = strlen(LEXICON_DIR) + strlen(file) + 2;
        char *path = malloc(len);
        assert_non_null(path);
        snprintf(path, len, "%s/%s", LEXICON_DIR, file);
        assert_int_equal(access(path, R_OK), 0);
        assert_int_equal(count_data_lines(path), st_lexicon_count(lex, kind));
        free(path);
    }
    st_lexicon_free(lex);
}

/*
 * Weights in range (and of the right sign), every term matches itself as
 * its own longest match (so no duplicates), and no term is both a threat
 * and a conciliation cue.
 */
static void test_real_entries_are_sound(void **state)
{
    (void)state;
    st_lexicon *lex = load_real();
    for (int k = 0; k < ST_LEXICON_KIND_COUNT; k++) {
        st_lexicon_kind kind = (st_lexicon_kind)k;
        for (size_t i = 0; i < st_lexicon_count(lex, kind); i++) {
            const char *term = NULL, *note = NULL;
            double weight = 0;
            assert_true(st_lexicon_entry(lex, kind, i, &term, &weight, &note));
            assert_true(weight >= ST_LEXICON_WEIGHT_MIN && weight <= ST_LEXICON_WEIGHT_MAX);
            if (kind == ST_LEXICON_THREAT || kind == ST_LEXICON_CONCILIATION ||
                kind == ST_LEXICON_INTENSIFIER)
                assert_true(weight > 0);
            if (kind == ST_LEXICON_DOWNTONER)
                assert_true(weight < 0);
            assert_true(term[0] != '\0');

            size_t n, len = 0, index = SIZE_MAX;
            char **words = split_words(term, &n);
            assert_true(st_lexicon_match_entry(lex, kind, (const char *const *)words, n,
                                               &len, &index));
            assert_int_equal(len, n);
            if (index != i)
                print_error("%s: \"%s\" matched entry %zu, not itself (%zu)\n",
                            st_lexicon_kind_file(kind), term, index, i);
            assert_int_equal(index, i);

            if (kind == ST_LEXICON_THREAT || kind == ST_LEXICON_CONCILIATION) {
                st_lexicon_kind other = kind == ST_LEXICON_THREAT
                                            ? ST_LEXICON_CONCILIATION
                                            : ST_LEXICON_THREAT;
                size_t olen = 0;
                int both = st_lexicon_match(lex, other, (const char *const *)words, n,
                                            &olen, NULL) && olen == n;
                if (both)
                    print_error("\"%s\" is both a threat and a conciliation cue\n", term);
                assert_false(both);
            }
            free(words);
        }
    }
    st_lexicon_free(lex);
}

/* The cues the labelling guide names are all there. */
static void test_real_has_guide_cues(void **state)
{
    (void)state;
    static const char *const threat[] = {
        "pay a heavy price", "all options are on the table", "will not hesitate",
        "swift and severe", "red line", "retaliate", "ultimatum", "walking on thin ice",
        "will regret", "face the consequences", "crushing response", NULL};
    static const char *const conciliation[] = {
        "without preconditions", "ready to talk", "dialogue", "de-escalate",
        "ceasefire", "good faith", "common ground", "no intention of", NULL};
    st_lexicon *lex = load_real();
    for (int pass = 0; pass < 2; pass++) {
        const char *const *list = pass ? conciliation : threat;
        st_lexicon_kind kind = pass ? ST_LEXICON_CONCILIATION : ST_LEXICON_THREAT;
        for (size_t i = 0; list[i]; i++) {
            size_t n, len = 0;
            char **words = split_words(list[i], &n);
            int found = st_lexicon_match(lex, kind, (const char *const *)words, n, &len,
                                         NULL) && len == n;
            if (!found)
                print_error("missing %s cue \"%s\"\n", st_lexicon_kind_name(kind), list[i]);
            assert_true(found);
            free(words);
        }
    }
    st_lexicon_free(lex);
}

/* ------------------------------------------------------------------ */
/* Malformed input                                                     */

typedef struct bad_case {
    const char *text;
    size_t size; /* 0: strlen(text) */
    size_t line;
    const char *message; /* a substring of the message */
} bad_case;

#define H "term\tweight\tnote\n"

static void test_parse_errors(void **state)
{
    (void)state;
    static const bad_case cases[] = {
        {"", 0, 1, "empty file"},
        {"term\tweight\n", 0, 1, "wrong header"},
        {"Term\tweight\tnote\n", 0, 1, "wrong header"},
        {"term,weight,note\n", 0, 1, "wrong header"},
        {H "red line\t2\tok\nretaliate\tx\t\n", 0, 3, "weight \"x\" is not a number"},
        {H "a\tnan\t\n", 0, 2, "weight \"nan\" is not a number"},
        {H "a\tinf\t\n", 0, 2, "is not a number"},
        {H "a\t 1\t\n", 0, 2, "is not a number"},
        {H "a\t1.5x\t\n", 0, 2, "is not a number"},
        {H "a\t0x1\t\n", 0, 2, "is not a number"},
        {H "a\t\tnote\n", 0, 2, "empty weight"},
        {H "a\t3.5\t\n", 0, 2, "weight 3.5 is out of range [-3, 3]"},
        {H "a\t-4\t\n", 0, 2, "out of range"},
        {H "a\t1e999\t\n", 0, 2, "out of range"},
        {H "a\t-1\t\n", 0, 2, "must be positive"},
        {H "a\t0\t\n", 0, 2, "must be positive"},
        {H "a\t1\t\nb\t2\t\na\t3\t\n", 0, 4, "duplicate term \"a\" (first on line 2)"},
        {H "\t1\tnote\n", 0, 2, "empty term"},
        {H "a\t1\n", 0, 2, "expected 3 tab-separated fields (term, weight, note), found 2"},
        {H "a\t1\tb\tc\n", 0, 2, "found 4"},
        {H "a 1 note\n", 0, 2, "found 1"},
        {H "a\t1\t\n\nb\t1\t\n", 0, 3, "empty line"},
        {H "Red line\t1\t\n", 0, 2, "must be lowercase"},
        {H "red  line\t1\t\n", 0, 2, "single spaces"},
        {H " red line\t1\t\n", 0, 2, "single spaces"},
        {H "red line \t1\t\n", 0, 2, "single spaces"},
        {H "red\xffline\t1\t\n", 0, 2, "not valid UTF-8"},
        {H "red\xc0\xafline\t1\t\n", 0, 2, "not valid UTF-8"},
        {H "a\t1\tnote\x01\n", 0, 2, "control character"},
        {H "ok\t1\t\nred\0line\t1\t\n", sizeof(H "ok\t1\t\nred\0line\t1\t\n") - 1, 3, "NUL byte"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const bad_case *c = &cases[i];
        st_lexicon *lex = NULL;
        assert_int_equal(st_lexicon_new(&lex), ST_OK);
        st_diag diag;
        memset(&diag, 0, sizeof diag);
        size_t size = c->size ? c->size : strlen(c->text);
        st_status status = st_lexicon_parse(ST_LEXICON_THREAT, "threat.tsv", c->text,
                                            size, lex, &diag);
        if (status != ST_ERR_INPUT || diag.line != c->line ||
            strstr(diag.message, c->message) == NULL)
            print_error("case %zu: status %d, %s:%zu: %s (expected line %zu, \"%s\")\n",
                        i, (int)status, diag.file ? diag.file : "?", diag.line,
                        diag.message, c->line, c->message);
        assert_int_equal(status, ST_ERR_INPUT);
        assert_string_equal(diag.file, "threat.tsv");
        assert_int_equal(diag.line, c->line);
        assert_non_null(strstr(diag.message, c->message));
        /* A failed parse leaves the lexicon as it was. */
        assert_int_equal(st_lexicon_count(lex, ST_LEXICON_THREAT), 0);
        st_lexicon_free(lex);
    }
}

static void test_parse_error_columns(void **state)
{
    (void)state;
    st_lexicon *lex = NULL;
    st_diag diag;
    assert_int_equal(st_lexicon_new(&lex), ST_OK);
    const char *text = H "retaliate\tx\t\n";
    assert_int_equal(st_lexicon_parse(ST_LEXICON_THREAT, NULL, text, strlen(text), lex,
                                      &diag),
                     ST_ERR_INPUT);
    assert_string_equal(diag.file, "threat.tsv"); /* the kind's file by default */
    assert_int_equal(diag.line, 2);
    assert_int_equal(diag.column, 11);
    assert_int_equal(diag.offset, strlen(H) + 10);
    st_lexicon_free(lex);
}

static void test_sign_rules_per_kind(void **state)
{
    (void)state;
    st_lexicon *lex = NULL;
    st_diag diag;
    assert_int_equal(st_lexicon_new(&lex), ST_OK);
    const char *neg = H "slightly\t-0.5\t\n";
    const char *pos = H "very\t0.5\t\n";
    assert_int_equal(st_lexicon_parse(ST_LEXICON_DOWNTONER, NULL, neg, strlen(neg), lex, &diag),
                     ST_OK);
    assert_int_equal(st_lexicon_parse(ST_LEXICON_INTENSIFIER, NULL, neg, strlen(neg), lex, &diag),
                     ST_ERR_INPUT);
    assert_non_null(strstr(diag.message, "must be positive"));
    assert_int_equal(st_lexicon_parse(ST_LEXICON_DOWNTONER, "d.tsv", pos, strlen(pos), lex, &diag),
                     ST_ERR_INPUT);
    assert_non_null(strstr(diag.message, "must be negative"));
    assert_string_equal(diag.file, "d.tsv");
    /* Closed-class lists take any weight in range. */
    const char *hedge = H "may\t1\tmodal\nperhaps\t-0.5\t\n";
    assert_int_equal(st_lexicon_parse(ST_LEXICON_HEDGE, NULL, hedge, strlen(hedge), lex, &diag),
                     ST_OK);
    assert_int_equal(st_lexicon_count(lex, ST_LEXICON_HEDGE), 2);
    st_lexicon_free(lex);
}

static void test_threat_and_conciliation_are_disjoint(void **state)
{
    (void)state;
    st_lexicon *lex = NULL;
    st_diag diag;
    assert_int_equal(st_lexicon_new(&lex), ST_OK);
    const char *threat = H "red line\t2\t\nstrike\t1\t\n";
    const char *concil = H "dialogue\t2\t\nred line\t1\t\n";
    assert_int_equal(st_lexicon_parse(ST_LEXICON_THREAT, NULL, threat, strlen(threat), lex,
                                      &diag),
                     ST_OK);
    assert_int_equal(st_lexicon_parse(ST_LEXICON_CONCILIATION, NULL, concil, strlen(concil),
                                      lex, &diag),
                     ST_ERR_INPUT);
    assert_string_equal(diag.file, "conciliation.tsv");
    assert_int_equal(diag.line, 3);
    assert_non_null(strstr(diag.message, "also a threat cue"));
    assert_int_equal(st_lexicon_count(lex, ST_LEXICON_CONCILIATION), 0);
    /* A second parse of the same kind sees the first one's entries. */
    const char *again = H "strike\t2\t\n";
    assert_int_equal(st_lexicon_parse(ST_LEXICON_THREAT, NULL, again, strlen(again), lex,
                                      &diag),
                     ST_ERR_INPUT);
    assert_non_null(strstr(diag.message, "already in the lexicon"));
    assert_int_equal(st_lexicon_count(lex, ST_LEXICON_THREAT), 2);
    st_lexicon_free(lex);
}

static void test_parse_accepts_crlf_and_no_final_newline(void **state)
{
    (void)state;
    st_lexicon *lex = NULL;
    st_diag diag;
    assert_int_equal(st_lexicon_new(&lex), ST_OK);
    const char *text = "term\tweight\tnote\r\nsanction\t1.5\tnoun\r\nstrike\t1\tlast";
    assert_int_equal(st_lexicon_parse(ST_LEXICON_THREAT, NULL, text, strlen(text), lex,
                                      &diag),
                     ST_OK);
    assert_int_equal(st_lexicon_count(lex, ST_LEXICON_THREAT), 2);
    const char *term, *note;
    double weight;
    assert_true(st_lexicon_entry(lex, ST_LEXICON_THREAT, 1, &term, &weight, &note));
    assert_string_equal(term, "strike");
    assert_string_equal(note, "last");
    assert_true(weight == 1.0);
    assert_false(st_lexicon_entry(lex, ST_LEXICON_THREAT, 2, &term, &weight, &note));
    /* A header alone is an empty list. */
    const char *empty = H;
    assert_int_equal(st_lexicon_parse(ST_LEXICON_HEDGE, NULL, empty, strlen(empty), lex,
                                      &diag),
                     ST_OK);
    assert_int_equal(st_lexicon_count(lex, ST_LEXICON_HEDGE), 0);
    st_lexicon_free(lex);
}

/* ------------------------------------------------------------------ */
/* Matching                                                            */

static void test_longest_match(void **state)
{
    (void)state;
    st_lexicon *lex = NULL;
    st_diag diag;
    assert_int_equal(st_lexicon_new(&lex), ST_OK);
    const char *threat = H "will\t0.5\t\n"
                           "will not hesitate to strike\t3\t\n"
                           "will not hesitate\t2.5\t\n"
                           "red line\t2\t\n"
                           "pay a heavy price\t3\t\n"
                           "pay\t0.2\t\n";
    assert_int_equal(st_lexicon_parse(ST_LEXICON_THREAT, NULL, threat, strlen(threat), lex,
                                      &diag),
                     ST_OK);
    const char *sentence[] = {"we", "will", "not", "hesitate", "to", "act", "."};
    size_t len = 0;
    double weight = 0;
    assert_false(st_lexicon_match(lex, ST_LEXICON_THREAT, sentence, 7, &len, &weight));
    assert_true(st_lexicon_match(lex, ST_LEXICON_THREAT, sentence + 1, 6, &len, &weight));
    assert_int_equal(len, 3);
    assert_true(weight == 2.5);
    /* Only two tokens available: the three-word phrase cannot match. */
    assert_true(st_lexicon_match(lex, ST_LEXICON_THREAT, sentence + 1, 2, &len, &weight));
    assert_int_equal(len, 1);
    assert_true(weight == 0.5);

    const char *strike[] = {"will", "not", "hesitate", "to", "strike", "back"};
    assert_true(st_lexicon_match(lex, ST_LEXICON_THREAT, strike, 6, &len, &weight));
    assert_int_equal(len, 5);
    assert_true(weight == 3.0);

    const char *price[] = {"pay", "a", "heavy", "price"};
    assert_true(st_lexicon_match(lex, ST_LEXICON_THREAT, price, 4, &len, &weight));
    assert_int_equal(len, 4);
    assert_true(st_lexicon_match(lex, ST_LEXICON_THREAT, price, 3, &len, &weight));
    assert_int_equal(len, 1);

    const char *near[] = {"red", "lines"};
    assert_false(st_lexicon_match(lex, ST_LEXICON_THREAT, near, 2, &len, &weight));
    const char *prefix[] = {"redline"};
    assert_false(st_lexicon_match(lex, ST_LEXICON_THREAT, prefix, 1, &len, &weight));
    const char *part[] = {"re", "d line"};
    assert_false(st_lexicon_match(lex, ST_LEXICON_THREAT, part, 2, &len, &weight));

    /* Kinds are separate; bad arguments never match. */
    assert_false(st_lexicon_match(lex, ST_LEXICON_CONCILIATION, strike, 6, &len, &weight));
    assert_false(st_lexicon_match(lex, ST_LEXICON_THREAT, strike, 0, &len, &weight));
    assert_false(st_lexicon_match(NULL, ST_LEXICON_THREAT, strike, 6, &len, &weight));
    assert_false(st_lexicon_match(lex, ST_LEXICON_KIND_COUNT, strike, 6, &len, &weight));
    assert_int_equal(len, 1); /* untouched by the failed lookups */
    st_lexicon_free(lex);
}

static void test_real_lexicon_matches_phrases(void **state)
{
    (void)state;
    st_lexicon *lex = load_real();
    const char *text[] = {"they", "will", "pay", "a", "heavy", "price", "if", "they", "cross",
                          "the", "red", "line"};
    size_t n = sizeof text / sizeof text[0];
    size_t len = 0;
    double weight = 0;
    assert_true(st_lexicon_match(lex, ST_LEXICON_THREAT, text + 2, n - 2, &len, &weight));
    assert_int_equal(len, 4); /* "pay a heavy price", not "pay" alone */
    assert_true(weight >= 2);
    assert_true(st_lexicon_match(lex, ST_LEXICON_THREAT, text + 10, 2, &len, &weight));
    assert_int_equal(len, 2);
    assert_true(st_lexicon_match(lex, ST_LEXICON_CONDITIONAL, text + 6, n - 6, &len, &weight));
    const char *talk[] = {"the", "door", "remains", "open", "for", "dialogue"};
    assert_true(st_lexicon_match(lex, ST_LEXICON_CONCILIATION, talk + 1, 5, &len, &weight));
    assert_int_equal(len, 3);
    const char *said[] = {"according", "to", "officials"};
    assert_true(st_lexicon_match(lex, ST_LEXICON_ATTRIBUTION_VERB, said, 3, &len, &weight));
    assert_int_equal(len, 2);
    const char *neg[] = {"n't"};
    assert_true(st_lexicon_match(lex, ST_LEXICON_NEGATOR, neg, 1, &len, &weight));
    st_lexicon_free(lex);
}

/* ------------------------------------------------------------------ */
/* Round trip and loading                                              */

static void test_format_round_trip(void **state)
{
    (void)state;
    st_lexicon *lex = load_real();
    for (int k = 0; k < ST_LEXICON_KIND_COUNT; k++) {
        st_lexicon_kind kind = (st_lexicon_kind)k;
        char *text = NULL, *again = NULL;
        size_t size = 0, size2 = 0;
        st_diag diag;
        assert_int_equal(st_lexicon_format(lex, kind, &text, &size), ST_OK);
        assert_int_equal(strlen(text), size);
        st_lexicon *copy = NULL;
        assert_int_equal(st_lexicon_new(&copy), ST_OK);
        assert_int_equal(st_lexicon_parse(kind, "copy", text, size, copy, &diag), ST_OK);
        assert_int_equal(st_lexicon_count(copy, kind), st_lexicon_count(lex, kind));
        assert_int_equal(st_lexicon_format(copy, kind, &again, &size2), ST_OK);
        assert_int_equal(size, size2);
        assert_memory_equal(text, again, size);
        free(text);
        free(again);
        st_lexicon_free(copy);
    }
    st_lexicon_free(lex);
}

/* st_lexicon_copy_kind gives what formatting and parsing again gave:
 * the same text, entries, weights, notes and matches. */
static void test_copy_kind_equals_round_trip(void **state)
{
    (void)state;
    st_lexicon *lex = load_real();
    st_lexicon *copy = NULL;
    assert_int_equal(st_lexicon_new(&copy), ST_OK);
    for (int k = 0; k < ST_LEXICON_KIND_COUNT; k++) {
        st_lexicon_kind kind = (st_lexicon_kind)k;
        assert_int_equal(st_lexicon_copy_kind(copy, lex, kind), ST_OK);
        size_t n = st_lexicon_count(lex, kind);
        assert_true(n > 0);
        assert_int_equal(st_lexicon_count(copy, kind), n);
        char *text = NULL, *again = NULL;
        size_t size = 0, size2 = 0;
        assert_int_equal(st_lexicon_format(lex, kind, &text, &size), ST_OK);
        assert_int_equal(st_lexicon_format(copy, kind, &again, &size2), ST_OK);
        assert_int_equal(size, size2);
        assert_memory_equal(text, again, size);
        free(text);
        free(again);
        for (size_t i = 0; i < n; i++) {
            const char *t1, *t2, *n1, *n2;
            double w1, w2;
            assert_true(st_lexicon_entry(lex, kind, i, &t1, &w1, &n1));
            assert_true(st_lexicon_entry(copy, kind, i, &t2, &w2, &n2));
            assert_string_equal(t1, t2);
            assert_ptr_not_equal(t1, t2); /* the copy owns its own bytes */
            assert_true(w1 == w2);
            assert_string_equal(n1, n2);
            /* Every term matches itself in the copy, as the same entry. */
            size_t nw = 0;
            char **words = split_words(t1, &nw);
            size_t len1 = 0, len2 = 0, i1 = 0, i2 = 0;
            assert_true(st_lexicon_match_entry(lex, kind, (const char *const *)words, nw, &len1, &i1));
            assert_true(st_lexicon_match_entry(copy, kind, (const char *const *)words, nw, &len2, &i2));
            assert_int_equal(len1, len2);
            assert_int_equal(i1, i2);
            free(words);
        }
    }
    /* A second copy of a kind the destination holds is refused. */
    assert_int_equal(st_lexicon_copy_kind(copy, lex, ST_LEXICON_THREAT), ST_ERR_USAGE);
    st_lexicon_free(copy);
    st_lexicon_free(lex);
}

/* A threat term that is a conciliation cue of the destination is refused,
 * as parsing it there would be, and nothing is copied. */
static void test_copy_kind_rival_refused(void **state)
{
    (void)state;
    static const char threats[] = ST_LEXICON_HEADER "\nwalk out\t1\t\nsanction\t2\t\n";
    static const char offers[] = ST_LEXICON_HEADER "\nsanction\t1\tnot really\n";
    st_lexicon *src = NULL, *dst = NULL;
    st_diag diag;
    assert_int_equal(st_lexicon_new(&src), ST_OK);
    assert_int_equal(st_lexicon_new(&dst), ST_OK);
    assert_int_equal(st_lexicon_parse(ST_LEXICON_THREAT, "t", threats, sizeof threats - 1, src, &diag), ST_OK);
    assert_int_equal(st_lexicon_parse(ST_LEXICON_CONCILIATION, "c", offers, sizeof offers - 1, dst, &diag), ST_OK);
    assert_int_equal(st_lexicon_copy_kind(dst, src, ST_LEXICON_THREAT), ST_ERR_INPUT);
    assert_int_equal(st_lexicon_count(dst, ST_LEXICON_THREAT), 0);
    /* Kinds with no rival copy whatever the destination holds. */
    assert_int_equal(st_lexicon_parse(ST_LEXICON_HEDGE, "h", threats, sizeof threats - 1, src, &diag), ST_OK);
    assert_int_equal(st_lexicon_copy_kind(dst, src, ST_LEXICON_HEDGE), ST_OK);
    assert_int_equal(st_lexicon_count(dst, ST_LEXICON_HEDGE), 2);
    assert_int_equal(st_lexicon_copy_kind(dst, dst, ST_LEXICON_NEGATOR), ST_ERR_USAGE);
    st_lexicon_free(src);
    st_lexicon_free(dst);
}

static void write_file(const char *dir, const char *name, const char *text, size_t size)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(text, 1, size, fp), size);
    assert_int_equal(fclose(fp), 0);
}

static void remove_file(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    unlink(path);
}

static void test_load_directory(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_lexicon.XXXXXX";
    assert_non_null(mkdtemp(dir));
    st_lexicon *lex = NULL;
    st_diag diag;

    /* No threat.tsv. */
    memset(&diag, 0, sizeof diag);
    assert_int_equal(st_lexicon_load(dir, &lex, &diag), ST_ERR_IO);
    assert_null(lex);
    assert_string_equal(diag.file, "threat.tsv");
    assert_non_null(strstr(diag.message, "cannot open"));

    /* threat.tsv but no conciliation.tsv. */
    write_file(dir, "threat.tsv", H "retaliate\t2\t\n", strlen(H "retaliate\t2\t\n"));
    assert_int_equal(st_lexicon_load(dir, &lex, &diag), ST_ERR_IO);
    assert_null(lex);
    assert_string_equal(diag.file, "conciliation.tsv");

    /* Both required files: the optional ones are empty lists. */
    write_file(dir, "conciliation.tsv", H "dialogue\t2\t\n", strlen(H "dialogue\t2\t\n"));
    assert_int_equal(st_lexicon_load(dir, &lex, &diag), ST_OK);
    assert_int_equal(st_lexicon_count(lex, ST_LEXICON_THREAT), 1);
    assert_int_equal(st_lexicon_count(lex, ST_LEXICON_CONCILIATION), 1);
    assert_int_equal(st_lexicon_count(lex, ST_LEXICON_HEDGE), 0);
    st_lexicon_free(lex);
    lex = NULL;

    /* An error in an optional file names that file and line. */
    write_file(dir, "hedges.tsv", H "may\t1\t\nmight\tlots\t\n", strlen(H "may\t1\t\nmight\tlots\t\n"));
    assert_int_equal(st_lexicon_load(dir, &lex, &diag), ST_ERR_INPUT);
    assert_null(lex);
    assert_string_equal(diag.file, "hedges.tsv");
    assert_int_equal(diag.line, 3);
    assert_int_equal(diag.column, 7);
    assert_string_equal(diag.message, "weight \"lots\" is not a number");
    remove_file(dir, "hedges.tsv");

    /* A term in both files. */
    write_file(dir, "conciliation.tsv", H "dialogue\t2\t\nretaliate\t1\t\n",
               strlen(H "dialogue\t2\t\nretaliate\t1\t\n"));
    assert_int_equal(st_lexicon_load(dir, &lex, &diag), ST_ERR_INPUT);
    assert_string_equal(diag.file, "conciliation.tsv");
    assert_int_equal(diag.line, 3);

    /* A very long line (no fixed-size buffer) and a NUL byte in a file. */
    size_t long_len = 200000;
    char *big = malloc(strlen(H) + long_len + 16);
    assert_non_null(big);
    strcpy(big, H);
    size_t pos = strlen(H);
    for (size_t i = 0; i < long_len; i++)
        big[pos++] = (i % 8 == 7) ? ' ' : 'a';
    big[pos++] = 'b';
    memcpy(big + pos, "\t1\tlong\n", 8);
    pos += 8;
    write_file(dir, "conciliation.tsv", big, pos);
    assert_int_equal(st_lexicon_load(dir, &lex, &diag), ST_OK);
    assert_int_equal(st_lexicon_count(lex, ST_LEXICON_CONCILIATION), 1);
    st_lexicon_free(lex);
    lex = NULL;
    free(big);
    write_file(dir, "conciliation.tsv", H "dia\0logue\t2\t\n", sizeof(H "dia\0logue\t2\t\n") - 1);
    assert_int_equal(st_lexicon_load(dir, &lex, &diag), ST_ERR_INPUT);
    assert_int_equal(diag.line, 2);
    assert_int_equal(diag.column, 4);
    assert_non_null(strstr(diag.message, "NUL"));

    remove_file(dir, "threat.tsv");
    remove_file(dir, "conciliation.tsv");
    assert_int_equal(rmdir(dir), 0);
}

static void test_null_arguments(void **state)
{
    (void)state;
    st_lexicon_free(NULL);
    assert_int_equal(st_lexicon_count(NULL, ST_LEXICON_THREAT), 0);
    assert_false(st_lexicon_entry(NULL, ST_LEXICON_THREAT, 0, NULL, NULL, NULL));
    assert_null(st_lexicon_kind_name(ST_LEXICON_KIND_COUNT));
    assert_string_equal(st_lexicon_kind_file(ST_LEXICON_ATTRIBUTION_VERB),
                        "attribution-verbs.tsv");
    assert_true(st_lexicon_kind_required(ST_LEXICON_THREAT));
    assert_false(st_lexicon_kind_required(ST_LEXICON_HEDGE));
    st_diag diag;
    assert_int_equal(st_lexicon_parse(ST_LEXICON_THREAT, NULL, "x", 1, NULL, &diag),
                     ST_ERR_USAGE);
    assert_int_equal(st_lexicon_load(NULL, NULL, NULL), ST_ERR_USAGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_lexicon_loads),
        cmocka_unit_test(test_real_every_line_parses),
        cmocka_unit_test(test_real_entries_are_sound),
        cmocka_unit_test(test_real_has_guide_cues),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_parse_error_columns),
        cmocka_unit_test(test_sign_rules_per_kind),
        cmocka_unit_test(test_threat_and_conciliation_are_disjoint),
        cmocka_unit_test(test_parse_accepts_crlf_and_no_final_newline),
        cmocka_unit_test(test_longest_match),
        cmocka_unit_test(test_real_lexicon_matches_phrases),
        cmocka_unit_test(test_format_round_trip),
        cmocka_unit_test(test_copy_kind_equals_round_trip),
        cmocka_unit_test(test_copy_kind_rival_refused),
        cmocka_unit_test(test_load_directory),
        cmocka_unit_test(test_null_arguments),
    };
    return cmocka_run_group_tests_name("lexicon", tests, NULL, NULL);
}
