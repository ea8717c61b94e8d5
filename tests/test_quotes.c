/*
 * test_quotes.c - unit tests for st_quotes_find: one test per rule.
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

static const char *current; /* the text of the last find() */

static st_quote_list find(const char *text)
{
    st_quote_list list = {0};
    current = text;
    assert_int_equal(st_quotes_find(text, strlen(text), &list), ST_OK);
    return list;
}

static void check(const st_quote_list *list, size_t index, const char *inner, int closed,
                  int continues)
{
    assert_true(index < list->count);
    const st_quote *q = &list->items[index];
    size_t n = q->inner.end - q->inner.start;
    char *got = malloc(n + 1);
    assert_non_null(got);
    memcpy(got, current + q->inner.start, n);
    got[n] = '\0';
    assert_string_equal(got, inner);
    free(got);
    assert_int_equal(q->closed, closed);
    assert_int_equal(q->continues, continues);
    assert_true(q->outer.start < q->inner.start || q->outer.start == q->inner.start);
    assert_true(q->outer.end >= q->inner.end);
}

/* Expects exactly the given inner texts, all closed and not continuing. */
static void expect(const char *text, size_t count, ...)
{
    st_quote_list list = find(text);
    assert_int_equal(list.count, count);
    va_list ap;
    va_start(ap, count);
    for (size_t i = 0; i < count; i++)
        check(&list, i, va_arg(ap, const char *), 1, 0);
    va_end(ap);
    st_quotes_clear(&list);
}

static void test_curly_double(void **state)
{
    (void)state;
    const char *t = "“We will respond,” he said.";
    st_quote_list list = find(t);
    assert_int_equal(list.count, 1);
    check(&list, 0, "We will respond,", 1, 0);
    assert_int_equal(list.items[0].outer.start, 0);
    assert_int_equal(list.items[0].outer.end, strlen("“We will respond,”"));
    assert_int_equal(list.items[0].inner.start, strlen("“"));
    st_quotes_clear(&list);
    st_quotes_clear(&list); /* clearing twice is fine */
    st_quotes_clear(NULL);
}

static void test_partial_quote(void **state)
{
    (void)state;
    expect("Velm threatened “painful” penalties.", 1, "painful");
    expect("a “turning point,” as she sat down", 1, "turning point,");
}

static void test_multi_sentence(void **state)
{
    (void)state;
    expect("“We won’t finish tonight. But I do mean to try,” Dalwick told Korvath.", 1,
           "We won’t finish tonight. But I do mean to try,");
}

static void test_two_quotes_one_paragraph(void **state)
{
    (void)state;
    expect("“Yes,” he said. “No.”", 2, "Yes,", "No.");
}

static void test_nested(void **state)
{
    (void)state;
    expect("“Better than waiting for the ‘perfect moment,’ surely,” he said.", 1,
           "Better than waiting for the ‘perfect moment,’ surely,");
    expect("“He called it “absurd” today,” she said.", 1, "He called it “absurd” today,");
    expect("\"He said 'no' twice,\" she said.", 1, "He said 'no' twice,");
    /* An outer closer pops inner marks that never closed. */
    expect("“They said ‘never again,” he recalled.", 1, "They said ‘never again,");
}

static void test_continuation(void **state)
{
    (void)state;
    const char *t = "“The first paragraph runs on.\n\n“And this one closes,” he said.\nNext.";
    st_quote_list list = find(t);
    assert_int_equal(list.count, 2);
    check(&list, 0, "The first paragraph runs on.", 0, 1);
    check(&list, 1, "And this one closes,", 1, 0);
    /* Nothing spans the paragraph break. */
    assert_true(list.items[0].outer.end <= strlen("“The first paragraph runs on."));
    st_quotes_clear(&list);

    /* Unclosed, next paragraph without a mark: ends at the paragraph end. */
    t = "He said “we are ready to talk\nThe meeting ended.";
    list = find(t);
    assert_int_equal(list.count, 1);
    check(&list, 0, "we are ready to talk", 0, 0);
    st_quotes_clear(&list);

    /* Blank lines and indentation before the next mark. */
    t = "«Nous sommes prêts\n  \n   « et nous le resterons », a-t-il dit.";
    list = find(t);
    assert_int_equal(list.count, 2);
    check(&list, 0, "Nous sommes prêts", 0, 1);
    check(&list, 1, "et nous le resterons", 1, 0);
    st_quotes_clear(&list);
}

static void test_german(void **state)
{
    (void)state;
    expect("„Wir sind bereit“, sagte er.", 1, "Wir sind bereit");
    expect("„Wir sind bereit”, sagte er.", 1, "Wir sind bereit");
    expect("„Das nennt er ‚Frieden‘, nicht wahr“, sagte sie.", 1,
           "Das nennt er ‚Frieden‘, nicht wahr");
    expect("Er sagte ‚nein‘ dazu.", 1, "nein");
}

static void test_french(void **state)
{
    (void)state;
    expect("« Nous ne céderons pas », a déclaré le ministre.", 1, "Nous ne céderons pas");
    expect("«Non», dit-il.", 1, "Non");
    expect("»Nej«, sagde han.", 1, "Nej");
    expect("‹Oui› et ›Ja‹.", 2, "Oui", "Ja");
}

static void test_cjk(void **state)
{
    (void)state;
    expect("彼は「平和を望む」と述べた。", 1, "平和を望む");
    expect("『戦争』", 1, "戦争");
}

static void test_straight(void **state)
{
    (void)state;
    expect("\"We will respond,\" he said.", 1, "We will respond,");
    expect("He called it \"absurd\" and \"dangerous\".", 2, "absurd", "dangerous");
    expect("The 5\" screen and a 3' board.", 0);
    expect("(\"quoted\") and —\"dashed\"", 2, "quoted", "dashed");
    expect("'We are ready,' she said.", 1, "We are ready,");
}

static void test_apostrophes(void **state)
{
    (void)state;
    expect("We don’t think Russia’s plan works.", 0);
    expect("O'Brien isn't here, it's late.", 0);
    expect("Back in the ’90s and the '80s, and in ’05.", 0);
    expect("The allies’ plan and the allies' plan.", 0);
    expect("“We don’t accept Russia’s terms,” he said.", 1, "We don’t accept Russia’s terms,");
    expect("‘We don’t accept the allies’ terms,’ he said.", 1, "We don’t accept the allies");
    expect("He said ‘no’ in the ’90s.", 1, "no");
}

static void test_unbalanced(void **state)
{
    (void)state;
    /* A stray closer is ignored. */
    expect("He said ” something.", 0);
    /* Empty or punctuation-only quotes are dropped. */
    expect("“” and “…” and \"\" and “ , ”", 0);
    /* A straight opener that never closes: kept if it holds a letter. */
    st_quote_list list = find("He said \"we will win and left");
    assert_int_equal(list.count, 1);
    check(&list, 0, "we will win and left", 0, 0);
    st_quotes_clear(&list);
    list = find("Score: \"12 34");
    assert_int_equal(list.count, 0);
    st_quotes_clear(&list);
}

static void test_start_and_end(void **state)
{
    (void)state;
    const char *t = "“Start.” middle “end.”";
    st_quote_list list = find(t);
    assert_int_equal(list.count, 2);
    assert_int_equal(list.items[0].outer.start, 0);
    assert_int_equal(list.items[1].outer.end, strlen(t));
    check(&list, 1, "end.", 1, 0);
    st_quotes_clear(&list);
    list = find("");
    assert_int_equal(list.count, 0);
    st_quotes_clear(&list);
    /* Unclosed at the very end of the text. */
    list = find("“to be continued");
    assert_int_equal(list.count, 1);
    check(&list, 0, "to be continued", 0, 0);
    st_quotes_clear(&list);
}

static void test_appends(void **state)
{
    (void)state;
    st_quote_list list = {0};
    const char *t = "“one”";
    assert_int_equal(st_quotes_find(t, strlen(t), &list), ST_OK);
    assert_int_equal(st_quotes_find(t, strlen(t), &list), ST_OK);
    assert_int_equal(list.count, 2);
    st_quotes_clear(&list);
    assert_int_equal(st_quotes_find(NULL, 0, &list), ST_OK);
    assert_int_equal(st_quotes_find(NULL, 3, &list), ST_ERR_USAGE);
}

/* 100,000 unbalanced marks: must finish quickly (linear) and stay sane. */
static void test_pathological(void **state)
{
    (void)state;
    size_t n = 100000;
    const char *marks[] = {"“", "‘", "\"", "«", "„", " ", "a", "’", "”", "'"};
    char *text = malloc(n * 5 + 1);
    assert_non_null(text);
    size_t len = 0;
    /* First all openers, then all closers of other kinds. */
    for (size_t i = 0; i < n / 2; i++) {
        const char *m = marks[i % 5];
        memcpy(text + len, m, strlen(m));
        len += strlen(m);
    }
    for (size_t i = 0; i < n / 2; i++) {
        const char *m = marks[5 + i % 5];
        memcpy(text + len, m, strlen(m));
        len += strlen(m);
    }
    st_quote_list list = {0};
    assert_int_equal(st_quotes_find(text, len, &list), ST_OK);
    assert_true(list.count <= 1);
    st_quotes_clear(&list);
    /* Many short unclosed paragraphs. */
    len = 0;
    for (size_t i = 0; i < n; i++) {
        memcpy(text + len, "“a\n", 5);
        len += 5;
    }
    assert_int_equal(st_quotes_find(text, len, &list), ST_OK);
    assert_int_equal(list.count, n);
    assert_int_equal(list.items[0].continues, 1);
    assert_int_equal(list.items[n - 1].continues, 0);
    st_quotes_clear(&list);
    free(text);
}

/* The scan skips plain text a word at a time: marks must be found at
 * every offset and alignment, straight and curly. */
static void test_every_alignment(void **state)
{
    (void)state;
    static const char *const pairs[][2] = {{"\"", "\""}, {"\xE2\x80\x9C", "\xE2\x80\x9D"}, {"'", "'"}};
    char text[128];
    for (size_t k = 0; k < sizeof pairs / sizeof *pairs; k++) {
        for (size_t pad = 0; pad < 24; pad++) {
            char lead[32];
            memset(lead, 'a', pad);
            lead[pad] = '\0';
            snprintf(text, sizeof text, "%s %sWords here%s said.", lead, pairs[k][0], pairs[k][1]);
            st_quote_list list = find(text);
            assert_int_equal(list.count, 1);
            check(&list, 0, "Words here", 1, 0);
            st_quotes_clear(&list);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_curly_double),
        cmocka_unit_test(test_partial_quote),
        cmocka_unit_test(test_multi_sentence),
        cmocka_unit_test(test_two_quotes_one_paragraph),
        cmocka_unit_test(test_nested),
        cmocka_unit_test(test_continuation),
        cmocka_unit_test(test_german),
        cmocka_unit_test(test_french),
        cmocka_unit_test(test_cjk),
        cmocka_unit_test(test_straight),
        cmocka_unit_test(test_apostrophes),
        cmocka_unit_test(test_unbalanced),
        cmocka_unit_test(test_start_and_end),
        cmocka_unit_test(test_appends),
        cmocka_unit_test(test_pathological),
        cmocka_unit_test(test_every_alignment),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
