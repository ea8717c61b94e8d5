/*
 * test_sentences.c - unit tests for st_sentences_split and st_spans_*.
 * More cases, with prose, live in tests/spec/sentences.txt.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "stance.h"

/* Splits `text` (with its quotes) and expects exactly the given sentences. */
static void expect(const char *text, size_t count, ...)
{
    st_quote_list quotes = {0};
    st_span_list spans = {0};
    assert_int_equal(st_quotes_find(text, strlen(text), &quotes), ST_OK);
    assert_int_equal(st_sentences_split(text, strlen(text), &quotes, &spans), ST_OK);
    va_list ap;
    va_start(ap, count);
    for (size_t i = 0; i < count && i < spans.count; i++) {
        const char *want = va_arg(ap, const char *);
        size_t n = spans.items[i].end - spans.items[i].start;
        char *got = malloc(n + 1);
        assert_non_null(got);
        memcpy(got, text + spans.items[i].start, n);
        got[n] = '\0';
        assert_string_equal(got, want);
        free(got);
    }
    va_end(ap);
    assert_int_equal(spans.count, count);
    st_spans_clear(&spans);
    st_quotes_clear(&quotes);
}

static void test_basic(void **state)
{
    (void)state;
    expect("One. Two! Three? Four", 4, "One.", "Two!", "Three?", "Four");
    expect("  Padded.   Again.  ", 2, "Padded.", "Again.");
    expect("", 0);
    expect("   \n\t\n", 0);
}

static void test_line_breaks(void **state)
{
    (void)state;
    expect("No period here\nNext line\n\nThird", 3, "No period here", "Next line", "Third");
    expect("Ends with mr\nanother", 2, "Ends with mr", "another");
}

static void test_next_start(void **state)
{
    (void)state;
    expect("It rose 5. 6 fell.", 2, "It rose 5.", "6 fell.");
    expect("He left. “We won,” she said.", 2, "He left.", "“We won,” she said.");
    expect("He left. (Later he returned.)", 2, "He left.", "(Later he returned.)");
    expect("He left. and then", 1, "He left. and then");
    expect("Он ушёл. Она осталась.", 2, "Он ушёл.", "Она осталась.");
}

static void test_titles(void **state)
{
    (void)state;
    expect("Mr. Smith met Dr. Jones and Gen. Milley. They talked.", 2,
           "Mr. Smith met Dr. Jones and Gen. Milley.", "They talked.");
    expect("Sen. Ted Cruz and Rep. Ilhan Omar spoke with Gov. Newsom.", 1,
           "Sen. Ted Cruz and Rep. Ilhan Omar spoke with Gov. Newsom.");
    expect("Lt. Col. Ann Lee and Sgt. Maj. Bo Kim left.", 1,
           "Lt. Col. Ann Lee and Sgt. Maj. Bo Kim left.");
}

static void test_months_numbers(void **state)
{
    (void)state;
    expect("On Jan. 5 the talks began. On Sept. 12 they ended.", 2,
           "On Jan. 5 the talks began.", "On Sept. 12 they ended.");
    expect("Resolution No. 2334 passed. No. It failed.", 3, "Resolution No. 2334 passed.",
           "No.", "It failed.");
    expect("Growth was 3.5 percent. Debt hit 1.000.000 euros.", 2,
           "Growth was 3.5 percent.", "Debt hit 1.000.000 euros.");
}

static void test_initials_acronyms(void **state)
{
    (void)state;
    expect("J. R. Smith spoke.", 1, "J. R. Smith spoke.");
    expect("The U.S. Army and the U.N. Security Council met.", 1,
           "The U.S. Army and the U.N. Security Council met.");
    expect("He flew to the U.S. The talks failed.", 2, "He flew to the U.S.", "The talks failed.");
    expect("Sanctions by the E.U. were lifted.", 1, "Sanctions by the E.U. were lifted.");
}

static void test_other_abbreviations(void **state)
{
    (void)state;
    expect("Acme Inc. Chief Jane Doe and Foo Corp. Chairman met.", 1,
           "Acme Inc. Chief Jane Doe and Foo Corp. Chairman met.");
    expect("Talks e.g. Geneva and Vienna vs. Minsk.", 1, "Talks e.g. Geneva and Vienna vs. Minsk.");
    expect("They met at 10 a.m. Tuesday. It was early.", 2, "They met at 10 a.m. Tuesday.",
           "It was early.");
    expect("They met at 10 a.m. The talks lasted.", 2, "They met at 10 a.m.", "The talks lasted.");
    expect("It costs approx. 5 dollars.", 1, "It costs approx. 5 dollars.");
}

static void test_ellipsis(void **state)
{
    (void)state;
    expect("We waited... and waited. Then it came.", 2, "We waited... and waited.",
           "Then it came.");
    expect("We waited… and waited.", 1, "We waited… and waited.");
    expect("We waited... Then it came.", 2, "We waited...", "Then it came.");
}

static void test_quotes(void **state)
{
    (void)state;
    expect("“The river is ours too. We will not wait,” Dalwick said. Korvath shrugged.", 2,
           "“The river is ours too. We will not wait,” Dalwick said.", "Korvath shrugged.");
    expect("“The sluices stay open.” Next came Korvath.", 2, "“The sluices stay open.”",
           "Next came Korvath.");
    expect("He said, “I will go. You stay.” Then he left.", 2, "He said, “I will go. You stay.”",
           "Then he left.");
    /* Unclosed: the rest of the paragraph is one sentence. */
    expect("He said “we will fight. We will win. Never give up\nNew paragraph.", 2,
           "He said “we will fight. We will win. Never give up", "New paragraph.");
    /* Without a quote list, the text still splits at sentence ends. */
    st_span_list spans = {0};
    const char *t = "“A. B.” C.";
    assert_int_equal(st_sentences_split(t, strlen(t), NULL, &spans), ST_OK);
    assert_true(spans.count >= 1);
    st_spans_clear(&spans);
}

static void test_closers_after_terminal(void **state)
{
    (void)state;
    expect("(He left.) Then she came.", 2, "(He left.)", "Then she came.");
    expect("He shouted \"Go!\" She went.", 2, "He shouted \"Go!\"", "She went.");
    expect("Really?! Yes.", 2, "Really?!", "Yes.");
}

static void test_spans_api(void **state)
{
    (void)state;
    st_span_list list = {0};
    for (size_t i = 0; i < 1000; i++)
        assert_int_equal(st_spans_push(&list, i, i + 1), ST_OK);
    assert_int_equal(list.count, 1000);
    assert_int_equal(list.items[999].start, 999);
    assert_true(list.capacity >= 1000);
    st_spans_clear(&list);
    assert_null(list.items);
    assert_int_equal(list.count, 0);
    st_spans_clear(NULL);
    assert_int_equal(st_sentences_split(NULL, 0, NULL, &list), ST_OK);
    assert_int_equal(list.count, 0);
    assert_int_equal(st_sentences_split("x", 1, NULL, NULL), ST_ERR_USAGE);
}

/* Linear: a long line of abbreviations and a long line without spaces. */
static void test_large(void **state)
{
    (void)state;
    const char unit[] = "Mr. U.S. Gen. J. No. 5 e.g. the... ";
    size_t n = 200000;
    size_t len = n * (sizeof unit - 1);
    char *text = malloc(len + 1);
    assert_non_null(text);
    for (size_t i = 0; i < n; i++)
        memcpy(text + i * (sizeof unit - 1), unit, sizeof unit - 1);
    st_span_list spans = {0};
    assert_int_equal(st_sentences_split(text, len, NULL, &spans), ST_OK);
    st_spans_clear(&spans);
    memset(text, '.', len);
    assert_int_equal(st_sentences_split(text, len, NULL, &spans), ST_OK);
    assert_int_equal(spans.count, 1);
    st_spans_clear(&spans);
    free(text);
}

/* The scan skips plain text a word at a time: a terminal, an ellipsis or
 * a full-width mark must be found at every offset and alignment. */
static void test_every_alignment(void **state)
{
    (void)state;
    static const char *const ends[] = {".", "!", "?", "\xE2\x80\xA6", "?!"};
    char text[96], first[64];
    for (size_t e = 0; e < sizeof ends / sizeof *ends; e++) {
        for (size_t pad = 0; pad < 40; pad++) {
            memset(first, 'x', pad);
            snprintf(first + pad, sizeof first - pad, "%s", ends[e]);
            snprintf(text, sizeof text, "Word%s Then more", first);
            char want[96];
            snprintf(want, sizeof want, "Word%s", first);
            expect(text, 2, want, "Then more");
        }
    }
    for (size_t pad = 0; pad < 24; pad++) {
        memset(text, 'y', pad);
        snprintf(text + pad, sizeof text - pad, "\xE3\x80\x82" "z");
        char want[64];
        memset(want, 'y', pad);
        snprintf(want + pad, sizeof want - pad, "\xE3\x80\x82");
        expect(text, 2, want, "z");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),
        cmocka_unit_test(test_line_breaks),
        cmocka_unit_test(test_next_start),
        cmocka_unit_test(test_titles),
        cmocka_unit_test(test_months_numbers),
        cmocka_unit_test(test_initials_acronyms),
        cmocka_unit_test(test_other_abbreviations),
        cmocka_unit_test(test_ellipsis),
        cmocka_unit_test(test_quotes),
        cmocka_unit_test(test_closers_after_terminal),
        cmocka_unit_test(test_spans_api),
        cmocka_unit_test(test_large),
        cmocka_unit_test(test_every_alignment),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
