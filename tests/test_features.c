/*
 * test_features.c - tokeniser, feature extractor, vocabulary and vectors.
 *
 * Runs from the repository root: the vector test extracts every row of
 * every training-data/parts/ table with the real lexicon and checks each vector
 * libsvm would get; the other tests use a small lexicon written here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "st_dataset.h"
#include "st_features.h"
#include "st_lexicon.h"
#include "st_params.h"

#define LEXICON_DIR "training-data/lexicon"
#define PARTS_DIR "training-data/parts"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

/* Tokens of text joined by '|'. */
static char *tokens_of(const char *text)
{
    st_tokens *t = NULL;
    assert_int_equal(st_tokens_new(&t), ST_OK);
    assert_int_equal(st_tokenize(t, text, strlen(text)), ST_OK);
    size_t len = 1;
    for (size_t i = 0; i < st_tokens_count(t); i++)
        len += strlen(st_tokens_get(t, i)) + 1;
    char *out = calloc(1, len);
    assert_non_null(out);
    for (size_t i = 0; i < st_tokens_count(t); i++) {
        if (i)
            strcat(out, "|");
        strcat(out, st_tokens_get(t, i));
    }
    st_tokens_free(t);
    return out;
}

static void expect_tokens(const char *text, const char *expected)
{
    char *got = tokens_of(text);
    if (strcmp(got, expected) != 0)
        fail_msg("tokens of \"%s\": got \"%s\", expected \"%s\"", text, got, expected);
    free(got);
}

static void add_kind(st_lexicon *lex, st_lexicon_kind kind, const char *lines)
{
    char *text = malloc(strlen(lines) + 32);
    assert_non_null(text);
    sprintf(text, "%s\n%s", ST_LEXICON_HEADER, lines);
    st_diag diag;
    st_diag_clear(&diag);
    st_status s = st_lexicon_parse(kind, NULL, text, strlen(text), lex, &diag);
    if (s != ST_OK)
        fail_msg("lexicon: %zu: %s", diag.line, diag.message);
    free(text);
}

/* A small lexicon for the extractor tests. */
static st_lexicon *small_lexicon(void)
{
    st_lexicon *lex = NULL;
    assert_int_equal(st_lexicon_new(&lex), ST_OK);
    add_kind(lex, ST_LEXICON_THREAT,
             "attack\t1.5\t\n"
             "retaliate\t2\t\n"
             "regret\t2\t\n"
             "will not hesitate\t2.5\t\n"
             "won't back down\t2\t\n"
             "pay a heavy price\t3\t\n");
    add_kind(lex, ST_LEXICON_CONCILIATION,
             "talks\t1\t\n"
             "no intention of\t2.5\t\n"
             "dialogue\t2\t\n"
             "at a moment's notice\t1\t\n");
    add_kind(lex, ST_LEXICON_NEGATOR, "not\t1\t\nn't\t1\t\nno\t1\t\nnever\t1\t\ncan't\t1\t\n");
    add_kind(lex, ST_LEXICON_CONDITIONAL, "if\t1\t\nunless\t1\t\nor else\t1\t\n");
    add_kind(lex, ST_LEXICON_INTENSIFIER, "very\t1\t\n");
    add_kind(lex, ST_LEXICON_DOWNTONER, "slightly\t-1\t\n");
    add_kind(lex, ST_LEXICON_HEDGE, "perhaps\t1\t\n");
    add_kind(lex, ST_LEXICON_ATTRIBUTION_VERB,
             "said\t1\tlemma say; speech verb\n"
             "warned\t1\tlemma warn; speech verb\n"
             "told reporters\t1\tlemma tell; speech verb\n");
    return lex;
}

/* The value of feature `name` after the last run, or NAN when absent. */
static double feature(const st_extractor *x, const char *name)
{
    for (size_t i = 0; i < st_extractor_count(x); i++) {
        size_t len;
        const char *n = st_extractor_name(x, i, &len);
        assert_int_equal(strlen(n), len);
        if (strcmp(n, name) == 0)
            return st_extractor_value(x, i);
    }
    return NAN;
}

static void run(st_extractor *x, const char *quote, const char *sentence)
{
    st_example ex = {quote, strlen(quote), sentence, sentence ? strlen(sentence) : 0};
    assert_int_equal(st_extractor_run(x, &ex), ST_OK);
}

#define assert_feature(x, name, value)                                                             \
    do {                                                                                           \
        double got_ = feature((x), (name));                                                        \
        if (!(fabs(got_ - (value)) < 1e-9))                                                        \
            fail_msg("feature %s = %g, expected %g", (name), got_, (double)(value));               \
    } while (0)
#define assert_no_feature(x, name)                                                                 \
    do {                                                                                           \
        if (!isnan(feature((x), (name))))                                                          \
            fail_msg("feature %s present (= %g)", (name), feature((x), (name)));                  \
    } while (0)

typedef struct fixture {
    st_lexicon *lex;
    st_extractor *x;
    st_params params;
} fixture;

static int setup_small(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->lex = small_lexicon();
    st_params_default(&f->params);
    assert_int_equal(st_extractor_new(f->lex, &f->params, &f->x), ST_OK);
    *state = f;
    return 0;
}

static int teardown_small(void **state)
{
    fixture *f = *state;
    st_extractor_free(f->x);
    st_lexicon_free(f->lex);
    free(f);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Tokeniser                                                           */

static void test_contractions(void **state)
{
    (void)state;
    expect_tokens("don't", "do|n't");
    expect_tokens("won't", "will|n't");
    expect_tokens("can't", "can|n't");
    expect_tokens("Shan't", "shall|n't");
    expect_tokens("cannot", "can|n't");
    expect_tokens("isn't", "is|n't");
    expect_tokens("Russia's", "russia|'s");
    expect_tokens("we'll", "we|'ll");
    expect_tokens("they're", "they|'re");
    expect_tokens("I've", "i|'ve");
    expect_tokens("I'd", "i|'d");
    expect_tokens("I'm", "i|'m");
    /* curly apostrophes are straight ones */
    expect_tokens("Don\xE2\x80\x99t Russia\xE2\x80\x99s", "do|n't|russia|'s");
    expect_tokens("O'Brien", "o'brien");
    expect_tokens("allies' plans", "allies|'|plans");
    expect_tokens("'We will", "'|we|will");
    expect_tokens("n't", "n't");
}

static void test_numbers_urls(void **state)
{
    (void)state;
    expect_tokens("1,000 troops", "<num>|troops");
    expect_tokens("3.5 billion", "<num>|billion");
    expect_tokens("in 2022.", "in|<num>|.");
    expect_tokens("the 1990s", "the|<num>");
    expect_tokens("F-16 jets", "f-16|jets");
    expect_tokens("see https://example.com/a?b=1.", "see|<url>|.");
    expect_tokens("(www.gov.uk)", "(|<url>|)");
    expect_tokens("HTTP://X.ORG", "<url>");
    expect_tokens("$5", "$|<num>");
}

static void test_words_and_punct(void **state)
{
    (void)state;
    expect_tokens("The U.S. said", "the|u.s.|said");
    expect_tokens("Mr. Blinken", "mr|.|blinken");
    expect_tokens("de-escalate now!", "de-escalate|now|!");
    expect_tokens("Wait... what\xE2\x80\xA6", "wait|\xE2\x80\xA6|what|\xE2\x80\xA6");
    expect_tokens("a.. b", "a|.|.|b");
    expect_tokens("Why?", "why|?");
    expect_tokens("\xE2\x80\x9CNo\xE2\x80\x9D", "\xE2\x80\x9C|no|\xE2\x80\x9D");
    /* case folding beyond ASCII, compatibility forms */
    expect_tokens("\xC3\x89TATS", "\xC3\xA9tats");           /* ÉTATS -> états */
    expect_tokens("STRA\xC3\x9F" "E", "strasse");            /* STRAßE */
    expect_tokens("\xEF\xBC\xA1\xEF\xBC\xA2", "ab");         /* fullwidth AB */
    expect_tokens("", "");
    expect_tokens("  \t\n ", "");
    /* invalid UTF-8 and controls are skipped, never a crash */
    expect_tokens("a\xFF" "b\x01" "c", "a|b|c");
}

static void test_token_spans(void **state)
{
    (void)state;
    const char *text = "We won\xE2\x80\x99t go, Russia's.";
    st_tokens *t = NULL;
    assert_int_equal(st_tokens_new(&t), ST_OK);
    assert_int_equal(st_tokenize(t, text, strlen(text)), ST_OK);
    assert_int_equal(st_tokens_count(t), 8);
    const char *expect[] = {"we", "will", "n't", "go", ",", "russia", "'s", "."};
    const char *spans[] = {"We", "wo", "n\xE2\x80\x99t", "go", ",", "Russia", "'s", "."};
    for (size_t i = 0; i < 8; i++) {
        assert_string_equal(st_tokens_get(t, i), expect[i]);
        assert_string_equal(st_tokens_array(t)[i], expect[i]);
        st_span s = st_tokens_span(t, i);
        assert_int_equal(s.end - s.start, strlen(spans[i]));
        assert_memory_equal(text + s.start, spans[i], s.end - s.start);
    }
    assert_true(st_tokens_is_word(t, 0));
    assert_false(st_tokens_is_word(t, 4));
    assert_null(st_tokens_get(t, 8));
    assert_false(st_tokens_is_word(t, 99));
    /* reuse: the previous tokens are replaced */
    assert_int_equal(st_tokenize(t, "x", 1), ST_OK);
    assert_int_equal(st_tokens_count(t), 1);
    st_tokens_free(t);
    st_tokens_free(NULL);
}

/* ------------------------------------------------------------------ */
/* Extractor                                                           */

static void test_ngrams(void **state)
{
    fixture *f = *state;
    run(f->x, "We won't go", NULL);
    assert_feature(f->x, "q:we", 1);
    assert_feature(f->x, "q:we will", 1);
    assert_feature(f->x, "q:will n't", 1);
    assert_feature(f->x, "q:n't go", 1);
    assert_no_feature(f->x, "q:we will n't"); /* ngram = 2 */
    assert_feature(f->x, "len:1-4", 1);
    assert_feature(f->x, "partial", 1);
    run(f->x, "the the the", NULL);
    assert_feature(f->x, "q:the", 3);
    assert_feature(f->x, "q:the the", 2);

    st_params p = f->params;
    p.ngram = 3;
    p.use_shape = 0;
    st_extractor *x3 = NULL;
    assert_int_equal(st_extractor_new(f->lex, &p, &x3), ST_OK);
    run(x3, "We won't go", NULL);
    assert_feature(x3, "q:we will n't", 1);
    assert_no_feature(x3, "len:1-4");
    assert_no_feature(x3, "partial");
    st_extractor_free(x3);
}

static void test_negation_scope(void **state)
{
    fixture *f = *state;
    /* a cue inside the window is negated, not counted as itself */
    run(f->x, "We will not attack anyone", NULL);
    assert_feature(f->x, "lex:threat:neg", 1.5);
    assert_feature(f->x, "lexterm:attack:neg", 1);
    assert_no_feature(f->x, "lex:threat");
    assert_no_feature(f->x, "lexterm:attack");
    assert_feature(f->x, "qn:attack", 1);
    assert_feature(f->x, "qn:anyone", 1);
    assert_no_feature(f->x, "qn:will");
    assert_no_feature(f->x, "qn:not");
    /* contracted negation */
    run(f->x, "We don't want to attack", NULL);
    assert_feature(f->x, "lex:threat:neg", 1.5);
    /* the third word after the negator is in scope, the fourth not */
    run(f->x, "never in any attack", NULL);
    assert_feature(f->x, "lex:threat:neg", 1.5);
    run(f->x, "never in any case attack", NULL);
    assert_feature(f->x, "lex:threat", 1.5);
    assert_no_feature(f->x, "lex:threat:neg");
    /* punctuation ends the scope */
    run(f->x, "not now, we attack", NULL);
    assert_feature(f->x, "lex:threat", 1.5);
    /* longest match first: the phrase wins over the negator */
    run(f->x, "We have no intention of attack", NULL);
    assert_feature(f->x, "lex:conciliation", 2.5);
    assert_feature(f->x, "lexterm:no intention of", 1);
    assert_feature(f->x, "lex:threat", 1.5);
    assert_no_feature(f->x, "lex:threat:neg");
    /* a phrase with its own negation is a cue, not a negated cue */
    run(f->x, "We will not hesitate to retaliate", NULL);
    assert_feature(f->x, "lexterm:will not hesitate", 1);
    assert_feature(f->x, "lex:threat", 4.5);
    assert_no_feature(f->x, "lex:threat:neg");
    /* negated conciliation */
    run(f->x, "There will be no talks", NULL);
    assert_feature(f->x, "lex:conciliation:neg", 1);
    assert_feature(f->x, "lexterm:talks:neg", 1);

    /* negation_window 0 switches scope off */
    st_params p = f->params;
    p.negation_window = 0;
    st_extractor *x0 = NULL;
    assert_int_equal(st_extractor_new(f->lex, &p, &x0), ST_OK);
    run(x0, "We will not attack anyone", NULL);
    assert_feature(x0, "lex:threat", 1.5);
    assert_no_feature(x0, "lex:threat:neg");
    st_extractor_free(x0);
}

static void test_contraction_cues(void **state)
{
    fixture *f = *state;
    /* an entry written contracted matches the spelt-out text and back */
    run(f->x, "We will not back down", NULL);
    assert_feature(f->x, "lex:threat", 2);
    assert_feature(f->x, "lexterm:will not back down", 1);
    run(f->x, "We won\xE2\x80\x99t back down", NULL);
    assert_feature(f->x, "lex:threat", 2);
    run(f->x, "We won't hesitate", NULL);
    assert_feature(f->x, "lexterm:will not hesitate", 1);
    /* a clitic inside an entry */
    run(f->x, "ready at a moment's notice", NULL);
    assert_feature(f->x, "lex:conciliation", 1);
    /* the contracted negator entry still negates */
    run(f->x, "we can't attack", NULL);
    assert_feature(f->x, "lex:threat:neg", 1.5);
}

static void test_conditionals_modals_you(void **state)
{
    fixture *f = *state;
    run(f->x, "If they cross the line, they will regret it", NULL);
    assert_feature(f->x, "cond:if", 1);
    assert_feature(f->x, "cond:if+will", 1);
    assert_feature(f->x, "modal:will", 1);
    assert_feature(f->x, "lex:threat", 2);
    run(f->x, "If they come. We will see", NULL);
    assert_feature(f->x, "cond:if", 1);
    assert_no_feature(f->x, "cond:if+will"); /* the sentence ended */
    run(f->x, "Stop, or else", NULL);
    assert_feature(f->x, "cond:or else", 1);
    run(f->x, "You'll pay a heavy price, you know. Your move!", NULL);
    assert_feature(f->x, "you:you", 3);
    assert_feature(f->x, "you:you+will", 1);
    assert_feature(f->x, "modal:will", 1);
    assert_feature(f->x, "punct:!", 1);
    assert_feature(f->x, "lexterm:pay a heavy price", 1);
    run(f->x, "They won't and must not", NULL);
    assert_feature(f->x, "modal:will-not", 1);
    assert_feature(f->x, "modal:must-not", 1);
    run(f->x, "perhaps very slightly", NULL);
    assert_feature(f->x, "hedge:", 1);
    assert_feature(f->x, "hedge:perhaps", 1);
    assert_feature(f->x, "int:", 1);
    assert_feature(f->x, "int:very", 1);
    assert_feature(f->x, "down:", 1);
    assert_feature(f->x, "down:slightly", 1);
    run(f->x, "Are we going to talk about it now?\xE2\x80\x9D", NULL);
    assert_feature(f->x, "question", 1);
    assert_feature(f->x, "punct:?", 1);
    assert_feature(f->x, "modal:going-to", 1);
    assert_feature(f->x, "len:5-9", 1);
    assert_no_feature(f->x, "partial");
}

static void test_context(void **state)
{
    fixture *f = *state;
    const char *sentence = "Earlier, Putin warned on Sunday that \xE2\x80\x9Cthey will pay a heavy price\xE2\x80\x9D if talks fail, "
                           "officials told reporters.";
    /* the default window: two words each side of the quote */
    run(f->x, "they will pay a heavy price", sentence);
    assert_feature(f->x, "c:<cap> that", 1);
    assert_feature(f->x, "c:if talks", 1);
    assert_no_feature(f->x, "c:warned");
    assert_no_feature(f->x, "c:officials");
    assert_feature(f->x, "v:warn", 1);
    /* a window of five */
    st_params p5 = f->params;
    p5.context_window = 5;
    st_extractor *x5 = NULL;
    assert_int_equal(st_extractor_new(f->lex, &p5, &x5), ST_OK);
    run(x5, "they will pay a heavy price", sentence);
    assert_feature(x5, "v:tell", 1);
    /* context: five words each side, never the quote's own words */
    assert_feature(x5, "c:warned", 1);
    assert_feature(x5, "c:<cap> that", 1);
    assert_feature(x5, "c:if talks", 1);
    assert_feature(x5, "c:officials told", 1);
    /* names inside the sentence are masked; the cue outside is clex: */
    assert_feature(x5, "c:<cap> warned", 1);
    assert_feature(x5, "c:on <cap>", 1);
    assert_no_feature(x5, "c:putin");
    assert_feature(x5, "clex:conciliation", 1);
    assert_no_feature(x5, "c:earlier");   /* six words before the quote */
    assert_no_feature(x5, "c:reporters"); /* six words after */
    assert_no_feature(x5, "c:told reporters");
    assert_no_feature(x5, "c:pay");
    assert_no_feature(x5, "c:that they"); /* n-grams do not cross the quote */
    /* cues outside the quote are not the speaker's, except in the clause
     * the quote runs on into (below: "if talks" is read with it) */
    assert_feature(x5, "lex:threat", 3);
    st_extractor_free(x5);
    p5.clause_words = 0;
    assert_int_equal(st_extractor_new(f->lex, &p5, &x5), ST_OK);
    run(x5, "they will pay a heavy price", sentence);
    assert_no_feature(x5, "lexterm:talks");
    assert_no_feature(x5, "q:if");
    st_extractor_free(x5);
    /* matched ignoring case, marks and apostrophe style */
    run(f->x, "THEY WON'T attack", "He said: \xE2\x80\x9CThey won\xE2\x80\x99t attack.\xE2\x80\x9D");
    assert_feature(f->x, "v:say", 1);
    assert_feature(f->x, "c:he said", 1);
    assert_no_feature(f->x, "c:attack");
    /* not found: the verb of the whole sentence, no context n-grams */
    run(f->x, "something else entirely", "She said nothing.");
    assert_feature(f->x, "v:say", 1);
    assert_no_feature(f->x, "c:she");
    /* whole sentence with context_window 0, and the switches */
    st_params p = f->params;
    p.context_window = 0;
    st_extractor *x = NULL;
    assert_int_equal(st_extractor_new(f->lex, &p, &x), ST_OK);
    run(x, "they will pay a heavy price", sentence);
    assert_feature(x, "c:earlier", 1); /* opens the sentence: not masked */
    assert_feature(x, "c:told reporters", 1);
    st_extractor_free(x);
    p = f->params;
    p.mask_names = 0;
    p.context_lexicon = 0;
    assert_int_equal(st_extractor_new(f->lex, &p, &x), ST_OK);
    run(x, "they will pay a heavy price", sentence);
    assert_feature(x, "c:sunday that", 1);
    assert_no_feature(x, "c:<cap>");
    assert_no_feature(x, "clex:conciliation");
    st_extractor_free(x);
    p = f->params;
    p.use_context = 0;
    p.use_verb = 0;
    assert_int_equal(st_extractor_new(f->lex, &p, &x), ST_OK);
    run(x, "they will pay a heavy price", sentence);
    assert_no_feature(x, "v:warn");
    assert_no_feature(x, "c:warned");
    st_extractor_free(x);
}

/* The clause a partial quote completes is read with it (LABELS.md: the
 * quoted words together with the verb and clause around them). */
static void test_clause(void **state)
{
    fixture *f = *state;
    run(f->x, "heavy price",
        "Officials said that the rebels would pay a \xE2\x80\x9Cheavy price\xE2\x80\x9D soon, the agency reported.");
    /* up to four words before: stops at "that" after the verb */
    assert_feature(f->x, "q:rebels would", 1);
    assert_feature(f->x, "q:a heavy", 1); /* n-grams across the quote mark */
    assert_feature(f->x, "q:heavy price", 1); /* the quote's own, once */
    assert_no_feature(f->x, "q:that");
    assert_no_feature(f->x, "q:the");  /* five words back */
    /* two words after, not past the comma */
    assert_feature(f->x, "q:price soon", 1);
    assert_no_feature(f->x, "q:agency");
    /* cues are matched on each side of the quote, not across its edge */
    assert_no_feature(f->x, "lexterm:pay a heavy price");
    /* not past a conjunction that opens another clause, either way */
    run(f->x, "regret", "He said they would \xE2\x80\x9Cregret\xE2\x80\x9D it but offered talks.");
    assert_feature(f->x, "q:would regret", 1);
    assert_feature(f->x, "q:regret it", 1);
    assert_no_feature(f->x, "q:but");
    assert_no_feature(f->x, "lexterm:talks");
    run(f->x, "talks", "Rebels attack and he offered \xE2\x80\x9Ctalks\xE2\x80\x9D today.");
    assert_feature(f->x, "q:he offered", 1);
    assert_no_feature(f->x, "q:and");
    assert_no_feature(f->x, "lexterm:attack");
    /* a whole quote with the verb after a comma has no clause */
    run(f->x, "We will retaliate.", "\xE2\x80\x9CWe will retaliate,\xE2\x80\x9D he said.");
    assert_no_feature(f->x, "q:he");
    assert_no_feature(f->x, "q:said");
    /* a cue in the clause counts as the quote's (lex:, lexterm:) */
    run(f->x, "to the west", "Moscow would retaliate against any attack \xE2\x80\x9Cto the west\xE2\x80\x9D, he said.");
    assert_feature(f->x, "lexterm:retaliate", 1);
    assert_feature(f->x, "lexterm:attack", 1);
    /* (and still as the sentence's: clex: reads all of it outside the quote) */
    assert_feature(f->x, "clex:threat", 3.5);
}

/* act: the person and the commitment around a cue. */
static void test_act(void **state)
{
    fixture *f = *state;
    run(f->x, "We will retaliate.", NULL);
    assert_feature(f->x, "act:threat:we+future", 1);
    run(f->x, "If they attack, you will regret it", NULL);
    /* attack: "they", no modal before it; regret: "you" + will */
    assert_feature(f->x, "act:threat:they", 1);
    assert_feature(f->x, "act:threat:you+future", 1);
    run(f->x, "I am ready for dialogue", NULL);
    assert_feature(f->x, "act:conciliation:we+ready", 1);
    run(f->x, "Talks.", NULL);
    assert_feature(f->x, "act:conciliation:-", 1);
    /* negated cue: the same, marked */
    run(f->x, "We will not attack.", NULL);
    assert_feature(f->x, "act:threat:we+future:neg", 1);
    assert_no_feature(f->x, "act:threat:we+future");
    /* not past a comma before the cue */
    run(f->x, "They must go, retaliate", NULL);
    assert_feature(f->x, "act:threat:-", 1);
    /* off */
    st_params p = f->params;
    p.use_act = 0;
    st_extractor *x = NULL;
    assert_int_equal(st_extractor_new(f->lex, &p, &x), ST_OK);
    run(x, "We will retaliate.", NULL);
    assert_no_feature(x, "act:threat:we+future");
    assert_feature(x, "lexterm:retaliate", 1);
    st_extractor_free(x);
}

static void test_switches(void **state)
{
    fixture *f = *state;
    st_params p = f->params;
    p.use_quote = p.use_lexicon = p.use_conditional = p.use_degree = p.use_modal = p.use_you = p.use_shape = 0;
    p.use_context = p.use_verb = 0;
    st_extractor *x = NULL;
    assert_int_equal(st_extractor_new(f->lex, &p, &x), ST_OK);
    run(x, "If you attack, you will very much regret it!", "He said: \"If you attack, you will very much regret it!\"");
    assert_int_equal(st_extractor_count(x), 0);
    st_extractor_free(x);
}

static void test_empty_and_odd_inputs(void **state)
{
    fixture *f = *state;
    st_example ex = {NULL, 0, NULL, 0};
    assert_int_equal(st_extractor_run(f->x, &ex), ST_OK);
    assert_feature(f->x, "len:0", 1);
    assert_int_equal(st_extractor_run(f->x, NULL), ST_ERR_USAGE);
    assert_int_equal(st_extractor_count(f->x), 0);
    assert_null(st_extractor_name(f->x, 0, NULL));
    assert_true(st_extractor_value(f->x, 0) == 0);
    run(f->x, "\xFF\xFE\x80", "\xC0\xAF");
    run(f->x, "...", "...");
    /* a long repetitive quote and sentence: linear matching */
    size_t n = 200000;
    char *quote = malloc(2 * n + 3), *sentence = malloc(4 * n + 3);
    assert_non_null(quote);
    assert_non_null(sentence);
    for (size_t i = 0; i < n; i++)
        memcpy(quote + 2 * i, "a ", 2);
    memcpy(quote + 2 * n, "b", 2);
    for (size_t i = 0; i < 2 * n; i++)
        memcpy(sentence + 2 * i, "a ", 2);
    memcpy(sentence + 4 * n, "c", 2);
    run(f->x, quote, sentence);
    assert_feature(f->x, "q:a", (double)n);
    assert_feature(f->x, "q:a a", (double)(n - 1));
    assert_feature(f->x, "len:40+", 1);
    free(quote);
    free(sentence);
    assert_int_equal(st_extractor_params(f->x)->ngram, 2);
}

static void test_deterministic(void **state)
{
    fixture *f = *state;
    const char *q = "If they attack, we will not hesitate to retaliate; talks are over!";
    const char *s = "The minister warned: \"If they attack, we will not hesitate to retaliate; talks are over!\"";
    run(f->x, q, s);
    size_t n = st_extractor_count(f->x);
    char **names = calloc(n, sizeof *names);
    double *values = calloc(n, sizeof *values);
    assert_non_null(names);
    assert_non_null(values);
    for (size_t i = 0; i < n; i++) {
        names[i] = strdup(st_extractor_name(f->x, i, NULL));
        values[i] = st_extractor_value(f->x, i);
        for (const char *c = names[i]; *c; c++)
            assert_true(*c != '\t' && *c != '\n' && *c != '\r');
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(names[i], names[j]);
    }
    run(f->x, "something in between", "and more");
    st_extractor *y = NULL;
    assert_int_equal(st_extractor_new(f->lex, &f->params, &y), ST_OK);
    for (int round = 0; round < 2; round++) {
        st_extractor *z = round ? y : f->x;
        run(z, q, s);
        assert_int_equal(st_extractor_count(z), n);
        for (size_t i = 0; i < n; i++) {
            assert_string_equal(st_extractor_name(z, i, NULL), names[i]);
            assert_true(st_extractor_value(z, i) == values[i]);
        }
    }
    st_extractor_free(y);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(values);
}

/* ------------------------------------------------------------------ */
/* Vocabulary                                                          */

static void test_vocab(void **state)
{
    (void)state;
    st_vocab *v = NULL;
    assert_int_equal(st_vocab_new(&v), ST_OK);
    int id = 0;
    assert_int_equal(st_vocab_add(v, "q:b", 3, &id), ST_OK);
    assert_int_equal(id, 1);
    assert_int_equal(st_vocab_add(v, "q:a", 3, &id), ST_OK);
    assert_int_equal(id, 2);
    assert_int_equal(st_vocab_add(v, "q:b", 3, &id), ST_OK);
    assert_int_equal(id, 1);
    assert_int_equal(st_vocab_add(v, "q:bc", 3, NULL), ST_OK); /* only "q:b" */
    assert_int_equal(st_vocab_add(v, "lex:threat", 10, NULL), ST_OK);
    assert_int_equal(st_vocab_size(v), 3);
    assert_int_equal(st_vocab_find(v, "q:b", 3), 1);
    assert_int_equal(st_vocab_find(v, "q:a", 3), 2);
    assert_int_equal(st_vocab_find(v, "q:c", 3), 0);
    assert_int_equal(st_vocab_count(v, 1), 3);
    assert_int_equal(st_vocab_count(v, 2), 1);
    assert_int_equal(st_vocab_count(v, 0), 0);
    assert_string_equal(st_vocab_name(v, 3), "lex:threat");
    assert_null(st_vocab_name(v, 0));
    assert_null(st_vocab_name(v, 4));

    /* many names: the table grows */
    char name[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(name, sizeof name, "n:%d", i % 2500);
        assert_int_equal(st_vocab_add(v, name, strlen(name), NULL), ST_OK);
    }
    assert_int_equal(st_vocab_size(v), 2503);
    assert_int_equal(st_vocab_find(v, "n:1234", 6), 4 + 1234);

    /* prune: min_count, ids in byte order of the names */
    st_vocab *p = NULL;
    assert_int_equal(st_vocab_prune(v, 2, &p), ST_OK);
    assert_int_equal(st_vocab_size(p), 2501);
    assert_string_equal(st_vocab_name(p, 1), "n:0");
    assert_string_equal(st_vocab_name(p, 2), "n:1");
    assert_string_equal(st_vocab_name(p, 3), "n:10");
    assert_string_equal(st_vocab_name(p, 2501), "q:b");
    assert_int_equal(st_vocab_count(p, 2501), 3);
    assert_int_equal(st_vocab_find(p, "q:a", 3), 0);
    for (int i = 1; i < 2501; i++)
        assert_true(strcmp(st_vocab_name(p, i), st_vocab_name(p, i + 1)) < 0);

    /* write / parse round trip, byte for byte */
    char *text = NULL, *again = NULL;
    size_t size = 0, size2 = 0;
    assert_int_equal(st_vocab_format(p, &text, &size), ST_OK);
    assert_int_equal(strncmp(text, "id\tfeature\tcount\n1\tn:0\t2\n", 25), 0);
    st_vocab *r = NULL;
    assert_int_equal(st_vocab_parse(text, size, &r, NULL), ST_OK);
    assert_int_equal(st_vocab_size(r), st_vocab_size(p));
    assert_int_equal(st_vocab_format(r, &again, &size2), ST_OK);
    assert_int_equal(size, size2);
    assert_memory_equal(text, again, size);
    FILE *fp = tmpfile();
    assert_non_null(fp);
    assert_int_equal(st_vocab_write(p, fp), ST_OK);
    assert_int_equal((size_t)ftell(fp), size);
    fclose(fp);
    free(text);
    free(again);
    st_vocab_free(r);
    st_vocab_free(p);
    st_vocab_free(v);
    st_vocab_free(NULL);
}

static void expect_vocab_error(const char *text, size_t line, const char *needle)
{
    st_vocab *v = (st_vocab *)1;
    st_diag diag;
    st_diag_clear(&diag);
    assert_int_equal(st_vocab_parse(text, strlen(text), &v, &diag), ST_ERR_MODEL);
    assert_null(v);
    assert_int_equal(diag.line, line);
    if (strstr(diag.message, needle) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", diag.message, needle);
}

static void test_vocab_parse_errors(void **state)
{
    (void)state;
    expect_vocab_error("", 1, "empty");
    expect_vocab_error("id\tname\tcount\n", 1, "header");
    expect_vocab_error("id\tfeature\tcount\n2\tq:a\t1\n", 2, "1, 2, 3");
    expect_vocab_error("id\tfeature\tcount\n1\tq:a\t1\n3\tq:b\t1\n", 3, "1, 2, 3");
    expect_vocab_error("id\tfeature\tcount\n1\tq:a\t1\n2\tq:a\t1\n", 3, "twice");
    expect_vocab_error("id\tfeature\tcount\n1\t\t1\n", 2, "empty feature");
    expect_vocab_error("id\tfeature\tcount\n1\tq:a\n", 2, "three");
    expect_vocab_error("id\tfeature\tcount\n1\tq:a\t1\tx\n", 2, "three");
    expect_vocab_error("id\tfeature\tcount\n1\tq:a\t-1\n", 2, "count");
    expect_vocab_error("id\tfeature\tcount\n+1\tq:a\t1\n", 2, "1, 2, 3");
    /* CRLF and no final newline are fine; an empty vocabulary too */
    st_vocab *v = NULL;
    const char *ok = "id\tfeature\tcount\r\n1\tq:a b\t4\r\n2\tlex:threat\t7";
    assert_int_equal(st_vocab_parse(ok, strlen(ok), &v, NULL), ST_OK);
    assert_int_equal(st_vocab_size(v), 2);
    assert_string_equal(st_vocab_name(v, 1), "q:a b");
    assert_int_equal(st_vocab_count(v, 2), 7);
    st_vocab_free(v);
    assert_int_equal(st_vocab_parse("id\tfeature\tcount\n", 17, &v, NULL), ST_OK);
    assert_int_equal(st_vocab_size(v), 0);
    st_vocab_free(v);
}

/* ------------------------------------------------------------------ */
/* Vectors                                                             */

/* Sorted, distinct, 1-based, within the vocabulary, -1 terminated, L2 1 or empty. */
static void check_vector(const st_vector *vec, const st_vocab *v)
{
    assert_non_null(vec->nodes);
    assert_true(vec->count < vec->capacity);
    assert_int_equal(vec->nodes[vec->count].index, -1);
    double norm = 0;
    for (size_t i = 0; i < vec->count; i++) {
        assert_true(vec->nodes[i].index >= 1);
        assert_true((size_t)vec->nodes[i].index <= st_vocab_size(v));
        if (i > 0)
            assert_true(vec->nodes[i - 1].index < vec->nodes[i].index);
        assert_true(vec->nodes[i].value > 0);
        assert_true(isfinite(vec->nodes[i].value));
        norm += vec->nodes[i].value * vec->nodes[i].value;
    }
    if (vec->count > 0 && fabs(norm - 1.0) > 1e-9)
        fail_msg("vector norm %.12f", sqrt(norm));
}

static void test_vectorize_small(void **state)
{
    fixture *f = *state;
    st_vocab *v = NULL;
    assert_int_equal(st_vocab_new(&v), ST_OK);
    assert_int_equal(st_vocab_add(v, "q:the", 5, NULL), ST_OK);
    assert_int_equal(st_vocab_add(v, "lex:threat", 10, NULL), ST_OK);
    assert_int_equal(st_vocab_add(v, "q:attack", 8, NULL), ST_OK);
    st_vector vec = {0};
    run(f->x, "the the the attack", NULL);
    assert_int_equal(st_vectorize(f->x, v, &vec), ST_OK);
    check_vector(&vec, v);
    assert_int_equal(vec.count, 3);
    /* values: 1+ln 3, 1+ln 1.5, 1+ln 1 -> normalised */
    double a = 1 + log(3.0), b = 1 + log(1.5), c = 1.0, n = sqrt(a * a + b * b + c * c);
    assert_int_equal(vec.nodes[0].index, 1);
    assert_true(fabs(vec.nodes[0].value - a / n) < 1e-12);
    assert_int_equal(vec.nodes[1].index, 2);
    assert_true(fabs(vec.nodes[1].value - b / n) < 1e-12);
    assert_int_equal(vec.nodes[2].index, 3);
    assert_true(fabs(vec.nodes[2].value - c / n) < 1e-12);
    assert_int_equal(vec.unseen, st_extractor_count(f->x) - 3);
    /* nothing known: empty, terminated */
    run(f->x, "zebra", NULL);
    assert_int_equal(st_vectorize(f->x, v, &vec), ST_OK);
    assert_int_equal(vec.count, 0);
    assert_int_equal(vec.nodes[0].index, -1);
    assert_int_equal(vec.unseen, st_extractor_count(f->x));
    st_vector_clear(&vec);
    st_vector_clear(&vec);
    assert_null(vec.nodes);
    st_vector_clear(NULL);
    st_vocab_free(v);
}

/* Every row of every training part, with the real lexicon and default params. */
static void test_vectors_of_training_rows(void **state)
{
    (void)state;
    st_diag diag;
    st_diag_clear(&diag);
    st_lexicon *lex = NULL;
    st_status s = st_lexicon_load(LEXICON_DIR, &lex, &diag);
    if (s != ST_OK)
        fail_msg("%s: %zu: %s", diag.file ? diag.file : LEXICON_DIR, diag.line, diag.message);
    st_dataset *ds = NULL;
    assert_int_equal(st_dataset_new(&ds), ST_OK);
    DIR *dir = opendir(PARTS_DIR);
    assert_non_null(dir);
    struct dirent *e;
    char **paths = NULL;
    size_t npaths = 0;
    while ((e = readdir(dir)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".tsv") != 0)
            continue;
        paths = realloc(paths, (npaths + 1) * sizeof *paths);
        assert_non_null(paths);
        paths[npaths] = malloc(sizeof PARTS_DIR + len + 1);
        assert_non_null(paths[npaths]);
        sprintf(paths[npaths], "%s/%s", PARTS_DIR, e->d_name);
        npaths++;
    }
    closedir(dir);
    assert_true(npaths > 0);
    for (size_t i = 0; i < npaths; i++) {
        s = st_dataset_read_file(ds, paths[i], ST_DATASET_LABELLED, &diag);
        if (s != ST_OK)
            fail_msg("%s:%zu: %s", paths[i], diag.line, diag.message);
    }
    size_t rows = st_dataset_count(ds);
    assert_true(rows > 1000);

    st_params p;
    st_params_default(&p);
    st_extractor *x = NULL;
    assert_int_equal(st_extractor_new(lex, &p, &x), ST_OK);
    st_vocab *all = NULL;
    assert_int_equal(st_vocab_new(&all), ST_OK);
    for (size_t r = 0; r < rows; r++) {
        const st_row *row = st_dataset_row(ds, r);
        st_example ex = {row->quote, row->quote_len, row->sentence, row->sentence_len};
        assert_int_equal(st_extractor_run(x, &ex), ST_OK);
        assert_true(st_extractor_count(x) > 0);
        for (size_t k = 0; k < st_extractor_count(x); k++) {
            size_t len;
            const char *name = st_extractor_name(x, k, &len);
            assert_int_equal(st_vocab_add(all, name, len, NULL), ST_OK);
        }
    }
    /* Every vector against the full and the pruned vocabulary. */
    st_vocab *pruned = NULL;
    assert_int_equal(st_vocab_prune(all, (size_t)p.min_count, &pruned), ST_OK);
    assert_true(st_vocab_size(pruned) < st_vocab_size(all));
    st_vector vec = {0};
    size_t empty = 0;
    for (int round = 0; round < 2; round++) {
        const st_vocab *v = round ? pruned : all;
        for (size_t r = 0; r < rows; r++) {
            const st_row *row = st_dataset_row(ds, r);
            st_example ex = {row->quote, row->quote_len, row->sentence, row->sentence_len};
            assert_int_equal(st_extractor_run(x, &ex), ST_OK);
            assert_int_equal(st_vectorize(x, v, &vec), ST_OK);
            check_vector(&vec, v);
            if (round == 0)
                assert_int_equal(vec.unseen, 0);
            empty += vec.count == 0;
        }
    }
    assert_int_equal(empty, 0);
    /* The lexicon groups fire on real rows. */
    assert_true(st_vocab_find(pruned, "lex:threat", 10) > 0);
    assert_true(st_vocab_find(pruned, "lex:conciliation", 16) > 0);
    assert_true(st_vocab_find(pruned, "lex:threat:neg", 14) > 0);
    assert_true(st_vocab_find(pruned, "cond:if+will", 12) > 0);
    assert_true(st_vocab_find(pruned, "v:say", 5) > 0);
    st_vector_clear(&vec);
    st_vocab_free(pruned);
    st_vocab_free(all);
    st_extractor_free(x);
    st_dataset_free(ds);
    st_lexicon_free(lex);
    for (size_t i = 0; i < npaths; i++)
        free(paths[i]);
    free(paths);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_contractions),
        cmocka_unit_test(test_numbers_urls),
        cmocka_unit_test(test_words_and_punct),
        cmocka_unit_test(test_token_spans),
        cmocka_unit_test_setup_teardown(test_ngrams, setup_small, teardown_small),
        cmocka_unit_test_setup_teardown(test_negation_scope, setup_small, teardown_small),
        cmocka_unit_test_setup_teardown(test_contraction_cues, setup_small, teardown_small),
        cmocka_unit_test_setup_teardown(test_conditionals_modals_you, setup_small, teardown_small),
        cmocka_unit_test_setup_teardown(test_context, setup_small, teardown_small),
        cmocka_unit_test_setup_teardown(test_clause, setup_small, teardown_small),
        cmocka_unit_test_setup_teardown(test_act, setup_small, teardown_small),
        cmocka_unit_test_setup_teardown(test_switches, setup_small, teardown_small),
        cmocka_unit_test_setup_teardown(test_empty_and_odd_inputs, setup_small, teardown_small),
        cmocka_unit_test_setup_teardown(test_deterministic, setup_small, teardown_small),
        cmocka_unit_test(test_vocab),
        cmocka_unit_test(test_vocab_parse_errors),
        cmocka_unit_test_setup_teardown(test_vectorize_small, setup_small, teardown_small),
        cmocka_unit_test(test_vectors_of_training_rows),
    };
    return cmocka_run_group_tests_name("features", tests, NULL, NULL);
}
