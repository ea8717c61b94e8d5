/* st_words.c - lookups in the sorted word lists of st_words_data.c. */
#include "st_words.h"
#include "st_words_data.h"

#include <string.h>

static unsigned char lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

/* Compares word[0..len) ASCII-case-insensitively with a lowercase entry. */
static int compare(const char *word, size_t len, const char *entry)
{
    size_t i = 0;
    for (; i < len && entry[i]; i++) {
        int d = (int)lower((unsigned char)word[i]) - (int)(unsigned char)entry[i];
        if (d)
            return d;
    }
    if (i < len)
        return 1;
    return entry[i] ? -1 : 0;
}

/* What a binary search looks for: one word, or two (w2 != NULL) to be
 * compared with a two-word entry as "w1 w2". */
typedef struct {
    const char *w1, *w2;
    size_t n1, n2;
} key;

/* Compares "w1 w2" (ASCII case folded) with a lower-case entry of two
 * words, without building the joined string. */
static int compare_pair(const key *k, const char *entry)
{
    size_t i = 0;
    for (; i < k->n1 && entry[i]; i++) {
        int d = (int)lower((unsigned char)k->w1[i]) - (int)(unsigned char)entry[i];
        if (d)
            return d;
    }
    if (i < k->n1)
        return 1;
    if (entry[i] != ' ')
        return (int)' ' - (int)(unsigned char)entry[i];
    return compare(k->w2, k->n2, entry + i + 1);
}

static int find(const char *const *list, size_t count, const key *k)
{
    size_t lo = 0, hi = count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = k->w2 ? compare_pair(k, list[mid]) : compare(k->w1, k->n1, list[mid]);
        if (c == 0)
            return 1;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
}

st_list_bits st_words_lists(const char *word, size_t len)
{
    /* No entry is this long; the bound keeps the lower-case copy small. */
    char low[40];
    if (len == 0 || len >= sizeof low)
        return 0;
    size_t h = 1469598103934665603u;
    for (size_t i = 0; i < len; i++) {
        low[i] = (char)lower((unsigned char)word[i]);
        h ^= (unsigned char)low[i];
        h *= 1099511628211u;
    }
    low[len] = '\0';
    size_t mask = st_words_table_size - 1;
    /* The first byte before the call: most probes end on another word. */
    for (size_t i = h & mask; st_words_table[i].word; i = (i + 1) & mask)
        if (st_words_table[i].word[0] == low[0] && strcmp(st_words_table[i].word, low) == 0)
            return st_words_table[i].lists;
    return 0;
}

int st_words_has(st_word_list list, const char *word, size_t len)
{
    /* Binary search in the list, ASCII case folded.  The lists hold
     * lower-case ASCII (one entry, "n't", with an ASCII apostrophe); a
     * typographic apostrophe is not mapped here, so "n’t" matches only
     * if the caller maps it first. */
    key k = {word, NULL, len, 0};
    switch (list) {
#define CASE(id, name) case id: return find(st_words_##name, st_words_##name##_count, &k);
    CASE(ST_WORDS_SPEECH_VERB, speech_verb)
    CASE(ST_WORDS_VERBISH, verbish)
    CASE(ST_WORDS_AUX_ADVERB, aux_adverb)
    CASE(ST_WORDS_TITLE, title)
    CASE(ST_WORDS_ROLE, role)
    CASE(ST_WORDS_ORG_HEAD, org_head)
    CASE(ST_WORDS_PLACE, place)
    CASE(ST_WORDS_NATIONALITY, nationality)
    CASE(ST_WORDS_NOT_NAME, not_name)
    CASE(ST_WORDS_PREPOSITION, preposition)
    CASE(ST_WORDS_NAME_PARTICLE, name_particle)
    CASE(ST_WORDS_BODY_KIND, body_kind)
    CASE(ST_WORDS_COMPANY_SUFFIX, company_suffix)
    CASE(ST_WORDS_HONORIFIC, honorific)
    CASE(ST_WORDS_HONORIFIC_RANK, honorific_rank)
    CASE(ST_WORDS_DOCUMENT, document)
    CASE(ST_WORDS_NAME_LINK, name_link)
    CASE(ST_WORDS_RECORD, record)
    CASE(ST_WORDS_SERVICE, service)
    CASE(ST_WORDS_REGION, region)
    CASE(ST_WORDS_DESCENT, descent)
    CASE(ST_WORDS_ARTICLE_PLACE, article_place)
    CASE(ST_WORDS_COLLECTIVE, collective)
    CASE(ST_WORDS_ISSUED_DOCUMENT, issued_document)
    CASE(ST_WORDS_SINGULAR_OPENER, singular_opener)
    CASE(ST_WORDS_QUANTIFIER, quantifier)
    CASE(ST_WORDS_DAY_OPENER, day_opener)
    CASE(ST_WORDS_NAMING_VERB, naming_verb)
    CASE(ST_WORDS_CALL_FORM, call_form)
    CASE(ST_WORDS_PASSIVE_BE, passive_be)
    CASE(ST_WORDS_RETOLD_AUX, retold_aux)
    CASE(ST_WORDS_IRREGULAR_SPEECH_PAST, irregular_speech_past)
    CASE(ST_WORDS_RANK, rank)
    CASE(ST_WORDS_TIME_OPENER, time_opener)
    CASE(ST_WORDS_COMPASS, compass)
    CASE(ST_WORDS_FIELD_MODIFIER, field_modifier)
    CASE(ST_WORDS_SEAT_HEAD, seat_head)
    CASE(ST_WORDS_HEARER_VERB, hearer_verb)
    CASE(ST_WORDS_NAME_TITLE, name_title)
    CASE(ST_WORDS_CAP_ORG_HEAD, cap_org_head)
    CASE(ST_WORDS_DIVISION, division)
#undef CASE
    case ST_WORDS_COUNT:
        break;
    }
    return 0;
}

int st_words_has_pair(st_word_list list, const char *w1, size_t n1, const char *w2, size_t n2)
{
    /* The same binary search as st_words_has, over the list's pairs
     * (st_words_pairs is in st_word_list order). */
    if ((size_t)list >= st_words_pairs_count)
        return 0;
    const st_word_pairs *p = &st_words_pairs[list];
    key k = {w1, w2, n1, n2};
    return w2 != NULL && find(p->pairs, p->count, &k);
}

const char *st_words_capital_country(const char *word, size_t len)
{
    size_t lo = 0, hi = st_words_capitals_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = compare(word, len, st_words_capitals[mid].capital);
        if (c == 0)
            return st_words_capitals[mid].country;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}
