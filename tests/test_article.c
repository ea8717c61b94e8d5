/* test_article.c - speakers of quotes: attribution rules and entity
 * resolution through the public st_article API. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "stance.h"
#include "st_words.h"

/* Reads `text` and checks that quote i has speaker speakers[i] (NULL =
 * no speaker); `n` is the number of quotes expected. */
static void expect_speakers(const char *text, size_t n, const char *const *speakers)
{
    st_doc *doc = NULL;
    st_article *article = NULL;
    assert_int_equal(st_doc_new(text, strlen(text), NULL, &doc, NULL), ST_OK);
    assert_int_equal(st_article_read(doc, &article, NULL), ST_OK);
    assert_int_equal(st_article_quote_count(article), n);
    for (size_t i = 0; i < n; i++) {
        const st_attributed_quote *q = st_article_quote(article, i);
        if (!speakers[i]) {
            assert_null(q->speaker);
            assert_int_equal(q->speaker_id, -1);
        } else {
            assert_non_null(q->speaker);
            assert_string_equal(q->speaker, speakers[i]);
        }
    }
    st_article_free(article);
    st_doc_free(doc);
}

#define EXPECT(text, ...)                                                           \
    do {                                                                            \
        const char *const want[] = {__VA_ARGS__};                                   \
        expect_speakers(text, sizeof want / sizeof want[0], want);                  \
    } while (0)

static void after_and_inverted(void **state)
{
    (void)state;
    EXPECT("“We will respond,” Amara Diallo said.", "Amara Diallo");
    EXPECT("“We will respond,” said Amara Diallo, the foreign minister.", "Amara Diallo");
    EXPECT("“Talks are over,” the Kremlin said in a statement.", "Kremlin");
    EXPECT("“Nothing has changed,” according to Piotr Nowak.", "Piotr Nowak");
}

static void before_the_quote(void **state)
{
    (void)state;
    EXPECT("Foreign Minister Amara Diallo said: “We are ready.”", "Amara Diallo");
    EXPECT("Amara Diallo, meanwhile, told reporters there was “no quick deal on the dam.”", "Amara Diallo");
    EXPECT("Seoul and its partners have twice threatened “painful” tariffs over the chips.",
           "Seoul (South Korea)");
    EXPECT("The ministry’s spokeswoman, Kim Soo-yeon, warned of a “firm response.”", "Kim Soo-yeon");
}

static void partial_quotes_and_verbs_after_commas(void **state)
{
    (void)state;
    /* ", adding that": the subject of the clause before. */
    EXPECT("Alliance chief Jens Larsen on Tuesday said the raid had “crossed a line”, adding that the bloc "
           "would guard “each port and each bridge”.",
           "Jens Larsen", "Jens Larsen");
    /* A reporting clause later in the sentence covers earlier quotes. */
    EXPECT("The “night session” was “long but useful,” the Foreign Office said.", "Foreign Office", "Foreign Office");
    /* Coordinated verbs share their subject. */
    EXPECT("Peru denied the claim and instead accused its neighbour of “stirring trouble”.", "Peru");
}

static void pronouns_roles_and_surnames(void **state)
{
    (void)state;
    EXPECT("Defence Minister Lena Ortiz arrived on Monday. “We are ready,” she said. "
           "“Nothing is settled,” the minister added. “Talks go on,” Ortiz said.",
           "Lena Ortiz", "Lena Ortiz", "Lena Ortiz");
    /* Family name first: the first word finds the person. */
    EXPECT("Chief Executive Lam Wai-keung spoke first. “Today is historic,” Lam told reporters.", "Lam Wai-keung");
    /* Two people with one surname stay apart by first name. */
    EXPECT("Marta Ortega and Rafael Ortega met. “No,” Marta Ortega said. “Yes,” Rafael Ortega said.",
           "Marta Ortega", "Rafael Ortega");
    /* An appositive names the speaker: a title word is not part of the name. */
    EXPECT("The French envoy, Anne-Claire Dufour, said the truce was “fragile but holding”.", "Anne-Claire Dufour");
}

static void continuing_and_unattributed(void **state)
{
    (void)state;
    /* A quote standing alone goes on with the previous speaker. */
    EXPECT("“The buses stay in the depot,” said Nora Quist. “Monday too, if nobody calls us.”", "Nora Quist", "Nora Quist");
    /* Newswire continuation: the open paragraph shares the speaker. */
    EXPECT("“We have waited long enough.\n“Now we act,” Amara Diallo said.", "Amara Diallo", "Amara Diallo");
    /* Unnamed sources and banners: nobody to name. */
    EXPECT("“We are ready,” a spokesman said.", NULL);
    EXPECT("Protesters carried banners that read “Enough”.", NULL);
    /* A quote with nothing around it at the start of a story. */
    EXPECT("“Peace now.”", NULL);
}

static void datelines_are_not_speakers(void **state)
{
    (void)state;
    EXPECT("BERLIN — The embassy said the move was “a step towards escalation”.", NULL);
    EXPECT("NAIROBI (Reuters) — Kenyan Foreign Minister Joyce Wambui warned of a “dangerous week” ahead.", "Joyce Wambui");
}

static void sentence_speakers(void **state)
{
    (void)state;
    const char *text = "Amara Diallo warned that the border would close. Rain fell.";
    st_doc *doc = NULL;
    st_article *article = NULL;
    assert_int_equal(st_doc_new(text, strlen(text), NULL, &doc, NULL), ST_OK);
    assert_int_equal(st_article_read(doc, &article, NULL), ST_OK);
    assert_int_equal(st_article_sentence_count(article), 2);
    const char *mention = NULL;
    assert_string_equal(st_article_sentence_speaker(article, 0, &mention), "Amara Diallo");
    assert_string_equal(mention, "Amara Diallo");
    assert_null(st_article_sentence_speaker(article, 1, &mention));
    assert_null(mention);
    assert_null(st_article_sentence_speaker(article, 2, NULL));
    st_article_free(article);
    st_doc_free(doc);
}

static void quotes_keep_source_offsets(void **state)
{
    (void)state;
    /* A BOM and CRLF before the quote: offsets still point into the input. */
    const char text[] = "\xEF\xBB\xBFLine one.\r\n“Hold,” Ana Ruiz said.";
    st_doc *doc = NULL;
    st_article *article = NULL;
    assert_int_equal(st_doc_new(text, sizeof text - 1, NULL, &doc, NULL), ST_OK);
    assert_int_equal(st_article_read(doc, &article, NULL), ST_OK);
    assert_int_equal(st_article_quote_count(article), 1);
    const st_attributed_quote *q = st_article_quote(article, 0);
    size_t start = st_doc_source_offset(doc, q->quote.inner.start);
    size_t end = st_doc_source_offset(doc, q->quote.inner.end);
    assert_int_equal(end - start, 5);
    assert_memory_equal(text + start, "Hold,", 5);
    st_article_free(article);
    st_doc_free(doc);
}

/* Many distinct names in one article: entity lookups must stay constant
 * time (this would take minutes if they were linear). */
static void many_names_stay_linear(void **state)
{
    (void)state;
    size_t n = 20000, cap = n * 64, len = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(text + len, cap - len, "“Yes,” Name%zu Person%zu said.\n", i, i);
    st_doc *doc = NULL;
    st_article *article = NULL;
    assert_int_equal(st_doc_new(text, len, NULL, &doc, NULL), ST_OK);
    assert_int_equal(st_article_read(doc, &article, NULL), ST_OK);
    assert_int_equal(st_article_quote_count(article), n);
    assert_string_equal(st_article_quote(article, n - 1)->speaker, "Name19999 Person19999");
    st_article_free(article);
    st_doc_free(doc);
    free(text);
}

static void word_lists(void **state)
{
    (void)state;
    assert_true(st_words_has(ST_WORDS_SPEECH_VERB, "Warned", 6));
    assert_false(st_words_has(ST_WORDS_SPEECH_VERB, "warne", 5));
    assert_true(st_words_has(ST_WORDS_TITLE, "Gen.", 4));
    assert_true(st_words_lists("kremlin", 7) & (ST_LIST_BIT(ST_WORDS_ORG_HEAD)));
    assert_int_equal(st_words_lists("", 0), 0);
    char long_word[100];
    memset(long_word, 'a', sizeof long_word);
    assert_int_equal(st_words_lists(long_word, sizeof long_word), 0);
    assert_string_equal(st_words_capital_country("Tehran", 6), "Iran");
    assert_null(st_words_capital_country("Paris.", 6));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(after_and_inverted),
        cmocka_unit_test(before_the_quote),
        cmocka_unit_test(partial_quotes_and_verbs_after_commas),
        cmocka_unit_test(pronouns_roles_and_surnames),
        cmocka_unit_test(continuing_and_unattributed),
        cmocka_unit_test(datelines_are_not_speakers),
        cmocka_unit_test(sentence_speakers),
        cmocka_unit_test(quotes_keep_source_offsets),
        cmocka_unit_test(many_names_stay_linear),
        cmocka_unit_test(word_lists),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
