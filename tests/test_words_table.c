/*
 * test_words_table.c - st_words_table (the hashed union of the word
 * lists) holds exactly the lists, and every capital is a place.  The article reader looks words up in
 * the table alone (one probe gives every list) where it used to ask
 * st_words_has per list, so the two must agree on every entry.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "st_words.h"
#include "st_words_data.h"

static const struct {
    st_word_list id;
    const char *const *words;
    const size_t *count;
} lists[] = {
    {ST_WORDS_SPEECH_VERB, st_words_speech_verb, &st_words_speech_verb_count},
    {ST_WORDS_VERBISH, st_words_verbish, &st_words_verbish_count},
    {ST_WORDS_AUX_ADVERB, st_words_aux_adverb, &st_words_aux_adverb_count},
    {ST_WORDS_TITLE, st_words_title, &st_words_title_count},
    {ST_WORDS_ROLE, st_words_role, &st_words_role_count},
    {ST_WORDS_ORG_HEAD, st_words_org_head, &st_words_org_head_count},
    {ST_WORDS_PLACE, st_words_place, &st_words_place_count},
    {ST_WORDS_NATIONALITY, st_words_nationality, &st_words_nationality_count},
    {ST_WORDS_NOT_NAME, st_words_not_name, &st_words_not_name_count},
    {ST_WORDS_PREPOSITION, st_words_preposition, &st_words_preposition_count},
    {ST_WORDS_NAME_PARTICLE, st_words_name_particle, &st_words_name_particle_count},
    {ST_WORDS_BODY_KIND, st_words_body_kind, &st_words_body_kind_count},
    {ST_WORDS_COMPANY_SUFFIX, st_words_company_suffix, &st_words_company_suffix_count},
    {ST_WORDS_HONORIFIC, st_words_honorific, &st_words_honorific_count},
    {ST_WORDS_HONORIFIC_RANK, st_words_honorific_rank, &st_words_honorific_rank_count},
    {ST_WORDS_DOCUMENT, st_words_document, &st_words_document_count},
    {ST_WORDS_NAME_LINK, st_words_name_link, &st_words_name_link_count},
    {ST_WORDS_RECORD, st_words_record, &st_words_record_count},
    {ST_WORDS_SERVICE, st_words_service, &st_words_service_count},
    {ST_WORDS_REGION, st_words_region, &st_words_region_count},
    {ST_WORDS_DESCENT, st_words_descent, &st_words_descent_count},
    {ST_WORDS_ARTICLE_PLACE, st_words_article_place, &st_words_article_place_count},
    {ST_WORDS_COLLECTIVE, st_words_collective, &st_words_collective_count},
    {ST_WORDS_ISSUED_DOCUMENT, st_words_issued_document, &st_words_issued_document_count},
    {ST_WORDS_SINGULAR_OPENER, st_words_singular_opener, &st_words_singular_opener_count},
    {ST_WORDS_QUANTIFIER, st_words_quantifier, &st_words_quantifier_count},
    {ST_WORDS_DAY_OPENER, st_words_day_opener, &st_words_day_opener_count},
    {ST_WORDS_NAMING_VERB, st_words_naming_verb, &st_words_naming_verb_count},
    {ST_WORDS_CALL_FORM, st_words_call_form, &st_words_call_form_count},
    {ST_WORDS_PASSIVE_BE, st_words_passive_be, &st_words_passive_be_count},
    {ST_WORDS_RETOLD_AUX, st_words_retold_aux, &st_words_retold_aux_count},
    {ST_WORDS_IRREGULAR_SPEECH_PAST, st_words_irregular_speech_past, &st_words_irregular_speech_past_count},
};

/* Every list entry is in the table with that list's bit. */
static void test_lists_in_table(void **state)
{
    (void)state;
    for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++)
        for (size_t i = 0; i < *lists[l].count; i++) {
            const char *w = lists[l].words[i];
            assert_true(strlen(w) < 40);
            assert_true(st_words_lists(w, strlen(w)) & ST_LIST_BIT(lists[l].id));
        }
}

/* Every table entry's bits are exactly the lists holding it. */
static void test_table_in_lists(void **state)
{
    (void)state;
    size_t entries = 0;
    for (size_t i = 0; i < st_words_table_size; i++) {
        const char *w = st_words_table[i].word;
        if (!w)
            continue;
        entries++;
        for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++) {
            int bit = (st_words_table[i].lists >> lists[l].id) & 1u;
            assert_int_equal(bit, st_words_has(lists[l].id, w, strlen(w)) != 0);
        }
        /* Lower case ASCII, as the reader's keys are. */
        for (const char *p = w; *p; p++)
            assert_false(*p >= 'A' && *p <= 'Z');
    }
    assert_true(entries > 0 && entries < st_words_table_size);
}

/* Every capital of one word is a place: the reader asks
 * st_words_capital_country only of such words with the place bit.  A
 * capital of more words has two or three ("San Salvador", "Dar es
 * Salaam"): the reader asks only names of two or three words. */
static void test_capitals_are_places(void **state)
{
    (void)state;
    for (size_t i = 0; i < st_words_capitals_count; i++) {
        const char *c = st_words_capitals[i].capital;
        const char *space = strchr(c, ' ');
        if (space) {
            const char *second = strchr(space + 1, ' ');
            assert_true(space > c && space[1] && space[1] != ' ');
            assert_true(!second || (second[1] && !strchr(second + 1, ' ')));
            continue;
        }
        assert_true(st_words_lists(c, strlen(c)) & (ST_LIST_BIT(ST_WORDS_PLACE)));
    }
}

/* Every list has its entry in st_words_pairs (the lists' order), and a
 * list's two-word entries are sorted, lower case, of exactly two words,
 * and found by st_words_has_pair in any case. */
static void test_pairs(void **state)
{
    (void)state;
    assert_int_equal(st_words_pairs_count, ST_WORDS_COUNT);
    for (size_t l = 0; l < st_words_pairs_count; l++) {
        const st_word_pairs *p = &st_words_pairs[l];
        for (size_t i = 0; i < p->count; i++) {
            const char *e = p->pairs[i];
            const char *space = strchr(e, ' ');
            assert_true(space && space > e && space[1] && !strchr(space + 1, ' '));
            for (const char *c = e; *c; c++)
                assert_false(*c >= 'A' && *c <= 'Z');
            if (i > 0)
                assert_true(strcmp(p->pairs[i - 1], e) < 0);
            assert_true(st_words_has_pair((st_word_list)l, e, (size_t)(space - e), space + 1, strlen(space + 1)));
            /* The pair is no entry of the one-word table. */
            assert_int_equal(st_words_lists(e, strlen(e)), 0);
        }
    }
    assert_true(st_words_has_pair(ST_WORDS_SERVICE, "Coast", 5, "Guard", 5));
    assert_true(st_words_has_pair(ST_WORDS_SERVICE, "AIR", 3, "force", 5));
    assert_false(st_words_has_pair(ST_WORDS_SERVICE, "Coast", 5, "Force", 5));
    assert_false(st_words_has_pair(ST_WORDS_SERVICE, "Coas", 4, "t Guard", 7));
    assert_false(st_words_has_pair(ST_WORDS_SERVICE, "Air", 3, "Forces", 6));
    assert_false(st_words_has_pair(ST_WORDS_TITLE, "Coast", 5, "Guard", 5));
    assert_false(st_words_has_pair(ST_WORDS_COUNT, "Coast", 5, "Guard", 5));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lists_in_table),
        cmocka_unit_test(test_table_in_lists),
        cmocka_unit_test(test_capitals_are_places),
        cmocka_unit_test(test_pairs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
