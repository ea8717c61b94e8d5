/*
 * st_words8.h - the word lists' entries of 1 to 8 ASCII bytes, found by
 * their packed bytes.  Internal to libstance.
 *
 * The article reader packs a short ASCII word's lower-case bytes into one
 * uint64_t (byte k at bits 8k, the bytes past the word 0) as it reads it.
 * st_words_table is keyed by the FNV-1a hash of the bytes, which costs a
 * multiply per byte and a byte-wise compare per probe; nearly every word
 * of news is 8 bytes or shorter, so this second table, built once from
 * st_words_table, hashes the packed word with one multiply and compares
 * one integer per probe.  Same answers as st_words_table for every word
 * of 1 to 8 ASCII bytes (tests/test_words8.c).
 */
#ifndef ST_WORDS8_H
#define ST_WORDS8_H

#include <stdint.h>

#include "st_words.h"

/* 4096 slots for some 1,200 short entries: a miss, the usual answer,
 * stops after about 1.5 probes. */
enum { ST_WORDS8_BITS = 12, ST_WORDS8_SLOTS = 1 << ST_WORDS8_BITS };

typedef struct st_words8 {
    uint64_t key[ST_WORDS8_SLOTS];  /* packed word; 0: an empty slot */
    st_list_bits lists[ST_WORDS8_SLOTS]; /* ST_LIST_BIT(list) per list */
} st_words8;

/* The table, filled on the first call (under pthread_once: any thread). */
const st_words8 *st_words8_get(void);

static inline uint32_t st_words8_slot(uint64_t w8)
{
    return (uint32_t)((w8 * 0x9E3779B97F4A7C15ull) >> (64 - ST_WORDS8_BITS));
}

/* The lists holding the packed word w8 (not 0). */
static inline st_list_bits st_words8_lists(const st_words8 *t, uint64_t w8)
{
    for (uint32_t i = st_words8_slot(w8);; i = (i + 1) & (ST_WORDS8_SLOTS - 1)) {
        if (t->key[i] == w8)
            return t->lists[i];
        if (t->key[i] == 0)
            return 0;
    }
}

#endif
