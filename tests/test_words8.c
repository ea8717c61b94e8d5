/*
 * test_words8.c - st_words8 (the word lists' entries of 1 to 8 ASCII
 * bytes, keyed by their packed bytes) gives the article reader the same
 * lists as st_words_lists for every word it packs: each short entry, and
 * words that are in no list.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "st_words.h"
#include "st_words8.h"
#include "st_words_data.h"

/* The packing the reader uses: byte k at bits 8k. */
static uint64_t pack(const char *w, size_t n)
{
    uint64_t v = 0;
    for (size_t k = 0; k < n; k++)
        v |= (uint64_t)(unsigned char)w[k] << (8 * k);
    return v;
}

static int is_ascii(const char *w)
{
    for (; *w; w++)
        if ((unsigned char)*w >= 0x80)
            return 0;
    return 1;
}

/* Every short ASCII entry is found with its lists; the count of slots
 * filled is the count of such entries (no entry lost, none twice). */
static void test_short_entries(void **state)
{
    (void)state;
    const st_words8 *t = st_words8_get();
    size_t shorts = 0, filled = 0;
    for (size_t i = 0; i < st_words_table_size; i++) {
        const char *w = st_words_table[i].word;
        if (!w || strlen(w) > 8 || !is_ascii(w))
            continue;
        shorts++;
        assert_int_equal(st_words8_lists(t, pack(w, strlen(w))), st_words_table[i].lists);
        assert_int_equal(st_words8_lists(t, pack(w, strlen(w))), st_words_lists(w, strlen(w)));
    }
    for (size_t i = 0; i < ST_WORDS8_SLOTS; i++)
        filled += t->key[i] != 0;
    assert_true(shorts > 1000);
    assert_int_equal(filled, shorts);
    /* Lookups leave room: a miss stops on an empty slot. */
    assert_true(filled < ST_WORDS8_SLOTS / 2);
}

/* Words in no list, and prefixes and extensions of listed ones, are in
 * none here either. */
static void test_misses(void **state)
{
    (void)state;
    const st_words8 *t = st_words8_get();
    static const char *const words[] = {
        "zzq", "the", "said", "saidx", "sai", "minister", "ministe", "kremlin", "gen.", "gen",
        "u.s.", "u.s", "a", "x", "12345678", "abcdefgh", "n't", "al", "al-", "de", "he", "she",
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        size_t n = strlen(words[i]);
        assert_int_equal(st_words8_lists(t, pack(words[i], n)), st_words_lists(words[i], n));
    }
    /* Every 1- and 2-letter word. */
    char w[3] = {0};
    for (int a = 'a'; a <= 'z'; a++) {
        w[0] = (char)a;
        w[1] = '\0';
        assert_int_equal(st_words8_lists(t, pack(w, 1)), st_words_lists(w, 1));
        for (int b = 'a'; b <= 'z'; b++) {
            w[1] = (char)b;
            assert_int_equal(st_words8_lists(t, pack(w, 2)), st_words_lists(w, 2));
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_short_entries),
        cmocka_unit_test(test_misses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
