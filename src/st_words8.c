/* st_words8.c - the short entries of st_words_table keyed by their packed
 * bytes (see st_words8.h). */
#include "st_words8.h"
#include "st_words_data.h"

#include <pthread.h>
#include <string.h>

static st_words8 table;
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static void table_fill(void)
{
    for (size_t e = 0; e < st_words_table_size; e++) {
        const char *w = st_words_table[e].word;
        if (!w)
            continue;
        size_t n = strlen(w);
        int ascii = 1;
        for (size_t k = 0; k < n; k++)
            ascii &= (unsigned char)w[k] < 0x80;
        /* Longer or non-ASCII words are never packed: the reader asks
         * st_words_table for those. */
        if (n == 0 || n > 8 || !ascii)
            continue;
        uint64_t v = 0;
        for (size_t k = 0; k < n; k++)
            v |= (uint64_t)(unsigned char)w[k] << (8 * k);
        uint32_t i = st_words8_slot(v);
        while (table.key[i] != 0) /* entries are distinct: no update */
            i = (i + 1) & (ST_WORDS8_SLOTS - 1);
        table.key[i] = v;
        table.lists[i] = st_words_table[e].lists;
    }
}

const st_words8 *st_words8_get(void)
{
    pthread_once(&table_once, table_fill);
    return &table;
}
