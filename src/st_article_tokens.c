/*
 * st_article_tokens.c - the reader's tokens: a sentence's narration (the
 * words outside its quotes) split into words, possessives, marks and
 * quote tokens, each word with its flags (capitalised, dotted, ...) and
 * the word lists holding it, found in one probe as the word is read.
 * Part of the article reader (st_article.c); shared types in
 * st_article_int.h.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "st_article_int.h"

/* ------------------------------------------------------------------ */
/* Tokens                                                              */

/* Lower-case ASCII copy of a byte range into a scratch buffer. */
st_status st_rd_lower_copy(st_buf *buf, const char *s, size_t n)
{
    buf->len = 0;
    st_status st = st_buf_reserve(buf, n + 1);
    if (st != ST_OK)
        return st;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        buf->data[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
    }
    buf->len = n;
    buf->data[n] = '\0';
    return ST_OK;
}
/* ------------------------------------------------------------------ */
/* The per-sentence working state                                      */

/* The tokens array's first size: most articles' longest sentence fits,
 * so the array (kept from one sentence to the next) seldom grows from
 * st_grow's first 16. */
enum { TOKENS_FIRST = 128 };

static st_status grow_tokens(sentence_state *s)
{
    if (s->capacity == 0) {
        token *t = malloc(TOKENS_FIRST * sizeof *t);
        if (!t)
            return ST_ERR_NOMEM;
        s->tokens = t;
        s->capacity = TOKENS_FIRST;
        return ST_OK;
    }
    void *items = s->tokens;
    st_status st = st_grow(&items, &s->capacity, s->count, sizeof(token));
    if (st == ST_OK)
        s->tokens = items;
    return st;
}

/* Inline: once per token of every sentence; the array grows rarely (it
 * is kept from one sentence to the next). */
static inline st_status push_token(sentence_state *s, token t)
{
    if (s->count == s->capacity) {
        st_status st = grow_tokens(s);
        if (st != ST_OK)
            return st;
    }
    s->tokens[s->count++] = t;
    return ST_OK;
}

/* 1 for ASCII letters and digits (a byte >= 0x80 is neither). */
static const unsigned char alnum_byte[256] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
    ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1,
    ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1,
    ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1,
    ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1,
    ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1,
    ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
};

static inline int is_word_cp(int32_t cp)
{
    if (cp >= 0 && cp < 0x80)
        return alnum_byte[cp];
    return st_cp_is_letter(cp) || st_cp_is_digit(cp) ||
           (cp >= 0x300 && cp <= 0x36F); /* combining marks stay in words */
}

/* Letter classes of a finished word token. */
static unsigned word_flags(const char *text, size_t start, size_t end)
{
    unsigned flags = 0;
    size_t letters = 0, upper = 0, dots = 0;
    int first = 1;
    size_t i = start;
    /* ASCII first, as the general loop below would count it. */
    while (i < end && (unsigned char)text[i] < 0x80) {
        char c = text[i++];
        if (c >= 'A' && c <= 'Z') {
            letters++;
            upper++;
            if (first)
                flags |= TF_CAP;
            first = 0;
        } else if (c >= 'a' && c <= 'z') {
            letters++;
            if (first)
                flags |= TF_LOWER;
            first = 0;
        } else if (c == '.') {
            dots++;
        } else if (first && c >= '0' && c <= '9') {
            flags |= TF_DIGIT;
            first = 0;
        }
    }
    while (i < end) {
        int32_t cp;
        size_t n = st_utf8_decode(text + i, end - i, &cp);
        if (cp == '.')
            dots++;
        if (st_cp_is_letter(cp)) {
            letters++;
            if (st_cp_is_upper(cp))
                upper++;
            if (first)
                flags |= st_cp_is_upper(cp) ? TF_CAP : (st_cp_is_lower(cp) ? TF_LOWER : 0);
            first = 0;
        } else if (first && st_cp_is_digit(cp)) {
            flags |= TF_DIGIT;
            first = 0;
        }
        i += n;
    }
    if (letters >= 2 && upper == letters)
        flags |= TF_ALLCAPS;
    if (dots)
        flags |= TF_DOTTED;
    /* "al-Mansouri", "bin-Zayed": a lower-case particle joined to a
     * capitalised name is a capitalised name. */
    if (flags & TF_LOWER) {
        const char *hy = memchr(text + start, '-', end - start);
        if (hy && hy + 1 < text + end && st_words_has(ST_WORDS_NAME_PARTICLE, text + start, (size_t)(hy - (text + start)))) {
            int32_t cp;
            st_utf8_decode(hy + 1, (size_t)(text + end - hy - 1), &cp);
            if (st_cp_is_upper(cp))
                flags = (flags & ~(unsigned)TF_LOWER) | TF_CAP;
        }
    }
    return flags;
}

/*
 * One pass over an all-ASCII word (nearly every word of English news)
 * gives both its letter classes (word_flags) and its lower-case bytes:
 * the word lists are then looked up directly, without a second pass over
 * a short word or a binary search per list.  A word of 1 to 8 bytes (the
 * most) is found by its packed bytes in st_words8; a longer one by the
 * FNV-1a hash of its bytes in st_words_table, the key st_words_lists
 * hashes, computed only then.  Same answers as word_flags +
 * st_words_lists + st_words_has (tests/test_words_table.c checks that the
 * table holds exactly the lists, tests/test_words8.c that st_words8 holds
 * its short entries).
 */
enum { WORD_KEY_MAX = 40 }; /* st_words_lists' bound: no entry is this long */
#define FNV_OFFSET ((size_t)1469598103934665603u)
#define FNV_PRIME ((size_t)1099511628211u)

typedef struct word_key {
    char low[WORD_KEY_MAX + 16]; /* + 16: narration_token stores 16 bytes at a time */
    size_t len; /* >= WORD_KEY_MAX: too long for any list */
} word_key;

static inline size_t fnv1a(const char *low, size_t len)
{
    size_t h = FNV_OFFSET;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)low[i]) * FNV_PRIME;
    return h;
}

/* The lists holding low[0..len) (len < WORD_KEY_MAX, hash its FNV-1a). */
static inline __attribute__((always_inline)) st_list_bits table_lists(const char *low, size_t len, size_t hash)
{
    size_t mask = st_words_table_size - 1;
    for (size_t i = hash & mask; st_words_table[i].word; i = (i + 1) & mask) {
        /* Byte by byte, inline: low holds no NUL, so the entry's NUL
         * stops the loop too, and most probes stop on the first byte. */
        const char *w = st_words_table[i].word;
        size_t j = 0;
        while (j < len && w[j] == low[j])
            j++;
        if (j == len && w[len] == '\0')
            return st_words_table[i].lists;
    }
    return 0;
}

/* "Order" names a body ("the National Order of Pharmacists", "the Order
 * of Lawyers said"), "order" a command or a sequence ("a court order",
 * "in order to"): such a word is an institution word only capitalised,
 * and every test of the org_head bit, in either case, then holds. */
static st_list_bits cap_org_head(st_list_bits lists, unsigned flags)
{
    return (flags & TF_LOWER) ? lists : lists | ST_LIST_BIT(ST_WORDS_ORG_HEAD);
}

/* The lists holding key k, whose pack8 is w8.  Inline: once per word. */
static inline __attribute__((always_inline)) st_list_bits key_lists(const st_words8 *t, const word_key *k, uint64_t w8)
{
    if (k->len <= 8)
        return w8 ? st_words8_lists(t, w8) : 0;
    return k->len < WORD_KEY_MAX ? table_lists(k->low, k->len, fnv1a(k->low, k->len)) : 0;
}

/* A word key's bytes packed for tok_is: byte k at bits 8k; 0 when the
 * word is longer than 8 bytes.  ascii_word zeroes low[0..8) first, so the
 * bytes past a short word are 0. */
static uint64_t pack8(const word_key *k)
{
    if (k->len > 8)
        return 0;
    uint64_t v;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    memcpy(&v, k->low, sizeof v);
#else
    v = 0;
    for (size_t j = 0; j < k->len; j++)
        v |= (uint64_t)(unsigned char)k->low[j] << (8 * j);
#endif
    return v;
}

/* The key of the word with a final '.' appended ("Gen" -> "gen."). */
static void key_add_dot(word_key *k)
{
    if (k->len + 1 < WORD_KEY_MAX)
        k->low[k->len] = '.';
    k->len++;
}

/* Byte classes for ascii_word: AC_LETTER, AC_LOWER (lower-case letter),
 * AC_DOT, AC_HYPHEN, AC_ALNUM (letter or digit, for the tokenizer's
 * scan), AC_JOIN (' : &, the other connectors a word may hold), AC_COMMA
 * (a comma, inside a word only between digits: thousands_comma); AC_OTHER
 * for a byte >= 0x80 (the general path's
 * business). */
enum { AC_LETTER = 1, AC_LOWER = 2, AC_DOT = 4, AC_HYPHEN = 8, AC_OTHER = 16, AC_ALNUM = 32, AC_JOIN = 64, AC_COMMA = 128 };
static const unsigned char ascii_class[256] = {
#define U2(x) [x] = AC_LETTER | AC_ALNUM, [x + 1] = AC_LETTER | AC_ALNUM
#define L2(x) [x] = AC_LETTER | AC_LOWER | AC_ALNUM, [x + 1] = AC_LETTER | AC_LOWER | AC_ALNUM
    U2('A'), U2('C'), U2('E'), U2('G'), U2('I'), U2('K'), U2('M'), U2('O'), U2('Q'), U2('S'), U2('U'), U2('W'),
    U2('Y'), L2('a'), L2('c'), L2('e'), L2('g'), L2('i'), L2('k'), L2('m'), L2('o'), L2('q'), L2('s'), L2('u'),
    L2('w'), L2('y'), ['.'] = AC_DOT, ['-'] = AC_HYPHEN, ['\''] = AC_JOIN, [':'] = AC_JOIN, ['&'] = AC_JOIN,
    [','] = AC_COMMA,
    ['0'] = AC_ALNUM, ['1'] = AC_ALNUM, ['2'] = AC_ALNUM, ['3'] = AC_ALNUM, ['4'] = AC_ALNUM,
    ['5'] = AC_ALNUM, ['6'] = AC_ALNUM, ['7'] = AC_ALNUM, ['8'] = AC_ALNUM, ['9'] = AC_ALNUM,
#undef U2
#undef L2
#define X8(x) [x] = AC_OTHER, [x + 1] = AC_OTHER, [x + 2] = AC_OTHER, [x + 3] = AC_OTHER, [x + 4] = AC_OTHER, \
              [x + 5] = AC_OTHER, [x + 6] = AC_OTHER, [x + 7] = AC_OTHER
#define X64(x) X8(x), X8(x + 8), X8(x + 16), X8(x + 24), X8(x + 32), X8(x + 40), X8(x + 48), X8(x + 56)
    X64(0x80), X64(0xC0),
#undef X64
#undef X8
};

/* ASCII lower case, other bytes unchanged. */
const unsigned char st_rd_ascii_lower[256] = {
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
    16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31,
    32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47,
    48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63,
    64, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111,
    112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 91, 92, 93, 94, 95,
    96, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111,
    112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 127,
    128, 129, 130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 140, 141, 142, 143,
    144, 145, 146, 147, 148, 149, 150, 151, 152, 153, 154, 155, 156, 157, 158, 159,
    160, 161, 162, 163, 164, 165, 166, 167, 168, 169, 170, 171, 172, 173, 174, 175,
    176, 177, 178, 179, 180, 181, 182, 183, 184, 185, 186, 187, 188, 189, 190, 191,
    192, 193, 194, 195, 196, 197, 198, 199, 200, 201, 202, 203, 204, 205, 206, 207,
    208, 209, 210, 211, 212, 213, 214, 215, 216, 217, 218, 219, 220, 221, 222, 223,
    224, 225, 226, 227, 228, 229, 230, 231, 232, 233, 234, 235, 236, 237, 238, 239,
    240, 241, 242, 243, 244, 245, 246, 247, 248, 249, 250, 251, 252, 253, 254, 255,
};

/* word_flags and the key of text[start, end) when every byte is ASCII
 * and the word fits a key; 0 (nothing set) otherwise, for the general
 * path.  A word token starts on a letter or digit, so its first byte
 * alone gives TF_CAP, TF_LOWER or TF_DIGIT. */
static inline __attribute__((always_inline)) unsigned key_flags(const unsigned char *w, size_t n, unsigned seen,
                                                                const word_key *k);

static int ascii_word(const char *text, size_t start, size_t end, unsigned *flags_out, word_key *k)
{
    size_t n = end - start;
    if (n >= WORD_KEY_MAX)
        return 0;
    const unsigned char *w = (const unsigned char *)text + start;
    memset(k->low, 0, 8); /* for pack8 */
    /* The loop does only what every word needs; letter counts and the
     * hyphen, rarely needed, are looked at again below when they are. */
    unsigned seen = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned c = w[i];
        seen |= ascii_class[c];
        k->low[i] = (char)st_rd_ascii_lower[c];
    }
    if (seen & AC_OTHER)
        return 0;
    k->len = n;
    *flags_out = key_flags(w, n, seen, k);
    return 1;
}

/* The letter classes of an ASCII word w[0..n) (n >= 1) whose bytes'
 * classes or together to seen and whose key k holds, as word_flags gives
 * them. */
static inline __attribute__((always_inline)) unsigned key_flags(const unsigned char *w, size_t n, unsigned seen,
                                                                const word_key *k)
{
    unsigned flags = 0;
    if (w[0] >= 'A' && w[0] <= 'Z')
        flags = TF_CAP;
    else if (w[0] >= 'a' && w[0] <= 'z')
        flags = TF_LOWER;
    else if (w[0] >= '0' && w[0] <= '9')
        flags = TF_DIGIT;
    if ((seen & AC_LETTER) && !(seen & AC_LOWER)) {
        size_t letters = 0;
        for (size_t i = 0; i < n && letters < 2; i++)
            letters += ascii_class[w[i]] & AC_LETTER;
        if (letters >= 2)
            flags |= TF_ALLCAPS;
    }
    if (seen & AC_DOT)
        flags |= TF_DOTTED;
    /* "al-Mansouri": see word_flags. */
    if ((flags & TF_LOWER) && (seen & AC_HYPHEN)) {
        size_t hy = (size_t)((const unsigned char *)memchr(w, '-', n) - w);
        if (hy + 1 < n && (table_lists(k->low, hy, fnv1a(k->low, hy)) & ST_LIST_BIT(ST_WORDS_NAME_PARTICLE)) &&
            w[hy + 1] >= 'A' && w[hy + 1] <= 'Z')
            flags = (flags & ~(unsigned)TF_LOWER) | TF_CAP;
    }
    return flags;
}

#ifdef __SSE2__
/* 16 - r bytes on: r bytes 0xFF, then 0 (the first r bytes of a block). */
static const unsigned char run_keep[32] = {
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
};

/*
 * The run of ASCII letters and digits at the start of the 16 bytes at t,
 * at most room long: its length (16 when the block is all of them), its
 * lower-case bytes stored at low[0..16) with 0 past the run (pack8 wants
 * them so), the bits of its upper- and lower-case letters.  The same key
 * and classes as narration_token's byte loop.
 */
static inline __attribute__((always_inline)) size_t key_block(const char *t, size_t room, char *low,
                                                              unsigned *upper, unsigned *lower)
{
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)t);
    /* A range test as one signed compare: c in [lo, lo + n) iff
     * c + (0x80 - lo) is below -0x80 + n as a signed byte (a byte
     * >= 0x80 never is). */
    __m128i case20 = _mm_set1_epi8(0x20);
    __m128i alpha = _mm_cmplt_epi8(_mm_add_epi8(_mm_or_si128(x, case20), _mm_set1_epi8((char)(0x80 - 'a'))),
                                   _mm_set1_epi8((char)(-0x80 + 26)));
    __m128i digit =
        _mm_cmplt_epi8(_mm_add_epi8(x, _mm_set1_epi8((char)(0x80 - '0'))), _mm_set1_epi8((char)(-0x80 + 10)));
    unsigned alnum = (unsigned)_mm_movemask_epi8(_mm_or_si128(alpha, digit));
    size_t r = (size_t)__builtin_ctz(~alnum); /* <= 16: ~alnum has bit 16 */
    if (r > room)
        r = room;
    __m128i keep = _mm_loadu_si128((const __m128i *)(const void *)(run_keep + 16 - r));
    _mm_storeu_si128((__m128i *)(void *)low, _mm_and_si128(_mm_or_si128(x, _mm_and_si128(alpha, case20)), keep));
    /* Bit 0x20 of each byte to its top bit: a letter's case. */
    unsigned letters = (unsigned)_mm_movemask_epi8(alpha) & (unsigned)_mm_movemask_epi8(keep);
    unsigned small = (unsigned)_mm_movemask_epi8(_mm_slli_epi16(x, 2));
    *upper = letters & ~small;
    *lower = letters & small;
    return r;
}

/* The byte classes (ascii_class) a block's letters or together to. */
static inline unsigned block_seen(unsigned upper, unsigned lower)
{
    return (upper ? AC_LETTER : 0u) | (lower ? AC_LETTER | AC_LOWER : 0u);
}
#endif

/* Is the comma at text[w] one that groups a number's thousands ("5,000",
 * "14,000-megawatt": a digit right before it and right after)?  Such a
 * comma stays inside the number's word: read as punctuation it would end
 * an appositive or relative clause halfway ("The X League, which
 * represents about 5,000 islanders, said"), and the segment after it
 * would have no subject. */
static inline int thousands_comma(const char *text, size_t w, size_t stop)
{
    return text[w] == ',' && w > 0 && text[w - 1] >= '0' && text[w - 1] <= '9' && w + 1 < stop &&
           text[w + 1] >= '0' && text[w + 1] <= '9';
}

/*
 * One token of narration at *at (not a quote's start), moving *at past
 * it and the spaces after it.  stop is where the next quote starts (or
 * the sentence's end): a word never runs into a quote.
 */
/* The right mark U+2019 at text[i] (n bytes) opens a name when a space,
 * a bracket or the sentence's start stands before it and a capital, then
 * a lower-case letter, after it ("’Mamosa Lerotholi", "’Maseeiso"):
 * Sesotho names write a leading elision with it.  Typography never opens
 * a quotation with U+2019 (the scanner pairs none here: it is narration),
 * so the mark is the word's first character; word_flags skips it. */
static int name_apostrophe(const char *text, size_t i, size_t n, size_t stop)
{
    if (i > 0 && text[i - 1] != ' ' && text[i - 1] != '(' && text[i - 1] != '\n')
        return 0;
    int32_t c1, c2;
    size_t m = i + n < stop ? st_utf8_decode(text + i + n, stop - i - n, &c1) : 0;
    if (m == 0 || !st_cp_is_upper(c1) || i + n + m >= stop)
        return 0;
    st_utf8_decode(text + i + n + m, stop - i - n - m, &c2);
    return st_cp_is_lower(c2);
}

static inline __attribute__((always_inline)) st_status narration_token(sentence_state *s, size_t *at, size_t stop, size_t end)
{
    const char *text = s->text;
    size_t i = *at;
    int32_t cp;
    size_t n = st_utf8_decode(text + i, end - i, &cp);
    if (st_cp_is_space(cp)) {
        *at = i + n;
        return ST_OK;
    }
    if (!is_word_cp(cp) && !(cp == 0x2019 && name_apostrophe(text, i, n, stop))) {
        token t = {i, i + n, TK_PUNCT, 0, 0, cp, 0, 0};
        st_status st = push_token(s, t);
        if (st != ST_OK)
            return st;
        *at = i + n;
        return ST_OK;
    }
    /* The word's first run of ASCII letters and digits is folded into
     * its key (lower-case bytes, byte classes) as it is scanned: most
     * words are that run alone, and are then read once (only a key of
     * more than 8 bytes is read again, for its hash: key_lists).  A word
     * that goes on (a connector, a byte >= 0x80, more than a key holds)
     * is scanned on below and keyed by ascii_word from its start. */
    word_key key;
    memset(key.low, 0, 8); /* for pack8 */
    unsigned seen = 0;
    size_t w = i;
    size_t cap = stop - i < WORD_KEY_MAX ? stop : i + WORD_KEY_MAX;
    int more = 1;
    /* A word that is the first block's run, the usual case: its letter
     * classes (key_flags') from the block's masks. */
    int fast = 0;
    unsigned fast_flags = 0;
#ifdef __SSE2__
    /* Sixteen bytes at a time where the text has them (nearly every word
     * ends in its first block); the byte loop below does the rest. */
    if (w + 16 <= s->size) {
        unsigned upper, lower;
        size_t r = key_block(text + w, cap - w, key.low, &upper, &lower);
        seen |= block_seen(upper, lower);
        if (r < 16) {
            more = 0;
            if (r > 0) {
                /* TF_CAP, TF_LOWER or TF_DIGIT from the first byte,
                 * TF_ALLCAPS for two capitals or more and no lower
                 * case; a run has no dot or hyphen.  (r == 0: a word
                 * that starts on a byte >= 0x80, for the general path.) */
                fast = 1;
                fast_flags = (upper & 1) ? TF_CAP : (lower & 1) ? TF_LOWER : TF_DIGIT;
                if (!lower && (upper & (upper - 1)))
                    fast_flags |= TF_ALLCAPS;
            }
        }
        w += r;
        while (more && w < cap && w + 16 <= s->size) {
            r = key_block(text + w, cap - w, key.low + (w - i), &upper, &lower);
            seen |= block_seen(upper, lower);
            w += r;
            more = r == 16;
        }
    }
#endif
    while (more && w < cap) {
        unsigned c = (unsigned char)text[w];
        unsigned cls = ascii_class[c];
        if (!(cls & AC_ALNUM))
            break;
        seen |= cls;
        key.low[w - i] = (char)st_rd_ascii_lower[c];
        w++;
    }
    size_t run_end = w;
    /* A space or a plain mark (',' ')' ...) ends the word there; only a
     * connector, a byte >= 0x80 or a letter past the key's room needs
     * the general look. */
    if (w < stop && (ascii_class[(unsigned char)text[w]] & (AC_OTHER | AC_ALNUM | AC_DOT | AC_HYPHEN | AC_JOIN | AC_COMMA)) &&
        (text[w] != ',' || thousands_comma(text, w, stop))) {
        while (w < stop) {
            /* ASCII letters and digits, the bulk of a word, at once. */
            while (w < stop && alnum_byte[(unsigned char)text[w]])
                w++;
            if (w >= stop)
                break;
            if (thousands_comma(text, w, stop)) {
                w++;
                continue;
            }
            int32_t c;
            size_t m = st_utf8_decode(text + w, stop - w, &c);
            if (is_word_cp(c)) {
                w += m;
                continue;
            }
            /* A connector stays inside a word when a word character follows.
             * So does the left mark U+2018 between letters: Polynesian
             * and Hawaiian names write their 'okina with it ("Lausi‘i",
             * "Nuku‘alofa", "Ka‘ahumanu"), a letter of the name that
             * the quote scanner already leaves alone (between_letters);
             * it never marks a possessive. */
            if (c == '.' || c == '-' || c == '\'' || c == 0x2019 || c == ':' || c == '&' || c == 0x2018) {
                if (w + m < stop) {
                    int32_t after;
                    st_utf8_decode(text + w + m, stop - w - m, &after);
                    if (is_word_cp(after)) {
                        /* 's at a word end is a possessive: stop before it. */
                        if ((c == '\'' || c == 0x2019) && (after == 's' || after == 'S')) {
                            size_t k = w + m + 1;
                            int32_t next_c = ' ';
                            if (k < stop)
                                st_utf8_decode(text + k, stop - k, &next_c);
                            if (k >= stop || !is_word_cp(next_c))
                                break;
                        }
                        w += m;
                        continue;
                    }
                }
            }
            break;
        }
    }
    /* U.S. and p.m.: a dotted abbreviation keeps its final dot, and so
     * do titles such as Gen. and Mr. */
    unsigned initial = 0, flags;
    st_list_bits lists;
    uint64_t w8 = 0;
    int keyed;
    if (w == run_end && w - i < WORD_KEY_MAX) {
        key.len = w - i;
        flags = fast ? fast_flags : key_flags((const unsigned char *)text + i, w - i, seen, &key);
        keyed = 1;
    } else {
        keyed = ascii_word(text, i, w, &flags, &key);
    }
    if (keyed) {
        if (w < stop && text[w] == '.') {
            if (w == i + 1 && (flags & TF_CAP))
                initial = TF_INITIAL;
            word_key dotted = key;
            key_add_dot(&dotted);
            uint64_t dotted_w8 = pack8(&dotted);
            st_list_bits dotted_lists = key_lists(s->words8, &dotted, dotted_w8);
            if ((flags & TF_DOTTED) || initial ||
                (dotted_lists & ((ST_LIST_BIT(ST_WORDS_TITLE)) | (ST_LIST_BIT(ST_WORDS_NOT_NAME))))) {
                /* The dot joins the word: only TF_DOTTED changes. */
                w++;
                flags |= TF_DOTTED;
                lists = dotted_lists;
                w8 = dotted_w8;
            } else {
                w8 = pack8(&key);
                lists = key_lists(s->words8, &key, w8);
            }
        } else {
            w8 = pack8(&key);
            lists = key_lists(s->words8, &key, w8);
        }
    } else {
        if (w < stop && text[w] == '.') {
            unsigned f = word_flags(text, i, w);
            if (w == i + 1 && (f & TF_CAP))
                initial = TF_INITIAL;
            if ((f & TF_DOTTED) || initial || st_words_has(ST_WORDS_TITLE, text + i, w - i + 1) ||
                st_words_has(ST_WORDS_NOT_NAME, text + i, w - i + 1))
                w++;
        }
        flags = word_flags(text, i, w);
        lists = st_words_lists(text + i, w - i);
    }
    if (lists & ST_LIST_BIT(ST_WORDS_CAP_ORG_HEAD))
        lists = cap_org_head(lists, flags);
    token t = {i, w, TK_WORD, flags | initial, 0, 0, lists, w8};
    st_status st = push_token(s, t);
    if (st != ST_OK)
        return st;
    i = w;
    if (i < stop && text[i] == ' ') {
        /* The usual single space before the next word, without a turn
         * of the loop (stop is at most the next quote's start). */
        do
            i++;
        while (i < stop && text[i] == ' ');
        *at = i;
        return ST_OK;
    }
    if (i < stop && (text[i] == '\'' || (unsigned char)text[i] == 0xE2)) {
        int32_t c;
        size_t m = st_utf8_decode(text + i, stop - i, &c);
        if ((c == '\'' || c == 0x2019) && i + m < stop && (text[i + m] == 's' || text[i + m] == 'S')) {
            token p = {i, i + m + 1, TK_POSS, 0, 0, 0, 0, 0};
            st = push_token(s, p);
            if (st != ST_OK)
                return st;
            i += m + 1;
        }
    }
    /* The spaces after a possessive, as after a word. */
    while (i < stop && text[i] == ' ')
        i++;
    *at = i;
    return ST_OK;
}

/*
 * Splits sentence [start, end) into tokens.  A quote inside the sentence
 * becomes one TK_QUOTE token, so narration never sees quoted words.
 * Words keep inner dots, hyphens and apostrophes (U.S., so-far, don't);
 * a possessive 's becomes its own TK_POSS token.
 */
st_status st_rd_tokenize(sentence_state *s, const st_quote_list *quotes, size_t *next_quote,
                          size_t start, size_t end)
{
    s->count = 0;
    s->quotes = 0;
    size_t i = start;
    while (i < end) {
        while (*next_quote < quotes->count && quotes->items[*next_quote].outer.end <= i)
            (*next_quote)++;
        if (*next_quote < quotes->count && quotes->items[*next_quote].outer.start == i) {
            const st_quote *q = &quotes->items[*next_quote];
            token t = {q->outer.start, q->outer.end, TK_QUOTE, 0, *next_quote, 0, 0, 0};
            st_status st = push_token(s, t);
            if (st != ST_OK)
                return st;
            s->quotes++;
            i = q->outer.end > i ? q->outer.end : i + 1;
            continue;
        }
        size_t stop = end;
        if (*next_quote < quotes->count && quotes->items[*next_quote].outer.start < stop)
            stop = quotes->items[*next_quote].outer.start;
        /* The narration up to the next quote: no quote starts inside it,
         * so its tokens are read without looking at the quote list again.
         * (A quote begun before i, which tokens that start on code points
         * never meet, leaves stop <= i: one token, as the loop always did.) */
        do {
            st_status st = narration_token(s, &i, stop, end);
            if (st != ST_OK)
                return st;
        } while (i < stop);
    }
    return ST_OK;
}
