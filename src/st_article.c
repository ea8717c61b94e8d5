/*
 * st_article.c - an article's sentences, quotes, and who said each quote.
 *
 * The reader works the way a careful human reads newswire:
 *  1. quotes are found first (st_quotes_find), then sentences, so that a
 *     sentence end inside a quote never separates it from its attribution;
 *  2. each sentence's narration (the words outside quotes) is split into
 *     tokens, and noun phrases that can name a speaker are picked out:
 *     names with titles ("Foreign Minister Amara Diallo"),
 *     institutions ("the State Department"), places used for governments
 *     ("Washington"), pronouns and role nouns ("the minister");
 *  3. every such mention is resolved to an entity of the article, in text
 *     order, so "Diallo" and "she" later point to "Amara Diallo";
 *  4. each quote takes its speaker from the first rule that applies:
 *     an attribution right after it ("...," Diallo said / said Diallo),
 *     the subject of the nearest speech verb before it (Diallo warned of
 *     a "firm" answer), a reporting clause later in the sentence, the
 *     subject of the sentence for a partial quote, and last the speaker
 *     of the previous quote when the quote stands alone.
 * Nothing here guesses: a quote with no attribution gets no speaker.
 * All work is linear in the text, with a bounded look-around per quote.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "stance.h"
#include "st_arena.h"
#include "st_util.h"
#include "st_words.h"
#include "st_words_data.h"
#include "st_words8.h"

/* ------------------------------------------------------------------ */
/* Tokens                                                              */

enum token_kind { TK_WORD, TK_POSS, TK_PUNCT, TK_QUOTE };
enum {
    TF_CAP = 1,      /* first letter upper case */
    TF_ALLCAPS = 2,  /* two or more letters, all upper case (NATO, UAW) */
    TF_LOWER = 4,    /* first letter lower case */
    TF_DOTTED = 8,   /* letter-dot-letter form: U.S., p.m. */
    TF_DIGIT = 16,
    TF_INITIAL = 32  /* a capital and a dot: the "M." of Linda M. Carter */
};

typedef struct token {
    size_t start, end;
    int kind;
    unsigned flags;
    size_t quote;   /* TK_QUOTE: index in the article's quote list */
    int32_t cp;     /* TK_PUNCT: the code point */
    unsigned lists; /* TK_WORD: bit (1 << list) for each word list holding it */
    uint64_t w8;    /* TK_WORD of ASCII, 1 to 8 bytes: its lower-case bytes,
                     * byte k at bits 8k (see pack8); 0 otherwise */
} token;

/* A noun phrase that can name a speaker. */
enum np_kind { NP_PERSON, NP_ORG, NP_ROLE, NP_PRONOUN_PERSON, NP_PRONOUN_GROUP };

typedef struct np {
    size_t first, last;   /* token indices, inclusive (determiner included) */
    int kind;
    int entity;           /* resolved entity, -1 if none */
    long verb;            /* verb_after(last), asked once: -1 if none */
} np;

/* An entity: one person or body of the article. */
enum entity_kind { ENT_PERSON, ENT_ORG };

typedef struct entity {
    int kind;
    const char *name;  /* display name, in the article's arena */
    const char *roles; /* " minister chief " style list of role words, in the arena */
    const char *acronym; /* the acronym the story also calls it by (arena), or NULL */
    size_t name_tokens;
    int spoke;       /* has been a speaker */
    int prev_same;   /* previous person with the same surname, or -1 */
    int gender;      /* 0 unknown, 1 he, 2 she: from titles and pronouns */
} entity;

/*
 * Finds entities by key in constant time, so that an article with a
 * hundred thousand names is read in linear time.  Keys are lower-cased
 * and prefixed by kind: "p:" surname -> latest person with it (older ones
 * chain through prev_same), "o:" name -> institution, "r:" role word ->
 * latest entity given that role.
 */
/* 16 bytes, so that the first 64 slots (1 KB) come from malloc's
 * per-thread cache. */
typedef struct index_slot {
    const char *key; /* NUL-terminated, in the article's arena; NULL: an empty slot */
    uint32_t hash;   /* low bits of the key's hash, compared before the bytes */
    int value;
} index_slot;

typedef struct name_index {
    index_slot *slots;
    size_t count, capacity; /* capacity is 0 or a power of two */
} name_index;

/* A key being looked up: its bytes (NUL-terminated) and their hash,
 * computed as make_key writes them.  The hash covers the name and then
 * the kind, so that one name is looked up under another kind without a
 * second pass over it (key_set_kind). */
typedef struct index_key {
    st_buf buf;
    size_t name_hash; /* of the lower-cased name alone */
    size_t hash;      /* name_hash, then the kind byte */
} index_key;

struct st_article {
    const st_doc *doc;
    st_span_list sentences;
    st_quote_list quotes;
    st_attributed_quote *attributed; /* parallel to quotes.items */
    size_t *quote_sentence;
    entity *entities;
    size_t entity_count, entity_capacity;
    const char **mentions;           /* mention strings (in the arena), one per quote */
    name_index index;
    size_t legal_form_bodies;        /* bodies also indexed without their legal form */
    int *sentence_speaker;           /* per sentence: entity reported, or -1 */
    const char **sentence_mention;   /* per sentence: mention (in the arena), or NULL */
    st_arena arena;                  /* owns every string above, the index keys and the
                                      * per-quote and per-sentence arrays */
};

/* Lower-case ASCII copy of a byte range into a scratch buffer. */
static st_status lower_copy(st_buf *buf, const char *s, size_t n)
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

typedef struct sentence_state {
    const char *text;
    size_t size;             /* text's length: a scan may read ahead up to it */
    const st_words8 *words8; /* the short words' table (st_words8_get) */
    token *tokens;
    size_t count, capacity;
    size_t quotes;     /* TK_QUOTE tokens among them: 0 spares the quote passes */
    np *nps;
    size_t np_count, np_capacity;
    int *np_ending;    /* np index ending at token i, or -1 */
    int *np_starting;  /* np index starting at token i, or -1 */
    size_t map_capacity;
} sentence_state;

static size_t tok_len(const token *t) { return t->end - t->start; }

/* Whether token i is `word` (lower-case ASCII), ignoring ASCII case.
 * Always called with a literal: its length is known at compile time and
 * most tokens fail on the length alone. */
static inline int tok_is_n(const sentence_state *s, size_t i, const char *word, size_t n)
{
    const token *t = &s->tokens[i];
    if (t->kind != TK_WORD || tok_len(t) != n)
        return 0;
    const char *w = s->text + t->start;
    for (size_t k = 0; k < n; k++) {
        char c = w[k];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (c != word[k])
            return 0;
    }
    return 1;
}
/* A literal of 1 to 8 bytes packed as pack8 packs a token's bytes; the
 * compiler folds it to a constant. */
#define LIT8_BYTE(w, k) \
    ((k) < sizeof(w) - 1 ? (uint64_t)(unsigned char)(w)[(k) < sizeof(w) - 1 ? (k) : 0] << (8 * (k)) : 0)
#define LIT8(w) \
    (LIT8_BYTE(w, 0) | LIT8_BYTE(w, 1) | LIT8_BYTE(w, 2) | LIT8_BYTE(w, 3) | LIT8_BYTE(w, 4) | \
     LIT8_BYTE(w, 5) | LIT8_BYTE(w, 6) | LIT8_BYTE(w, 7))
/* Short words (nearly every literal asked about) by one compare of the
 * packed bytes: w8 is 0 for any token that is not an ASCII word of at
 * most 8 bytes, and a literal's pack is never 0.  Longer ones byte by
 * byte. */
#define tok_is(s, i, word)                                                                          \
    (sizeof(word) - 1 <= 8 ? (s)->tokens[i].w8 == LIT8("" word)                                    \
                           : tok_is_n((s), (i), "" word, sizeof(word) - 1))

static int tok_in(const sentence_state *s, size_t i, st_word_list list)
{
    return (s->tokens[i].lists >> list) & 1u;
}

/* Whether tokens i and i + 1 are one of the list's two-word entries
 * ("Coast Guard"): the lists' pairs are no token's bits, so they are
 * asked by text, and only where a rule reads a two-word name. */
static int tok_pair_in(const sentence_state *s, size_t i, st_word_list list)
{
    if (i + 1 >= s->count || s->tokens[i].kind != TK_WORD || s->tokens[i + 1].kind != TK_WORD)
        return 0;
    const token *a = &s->tokens[i], *b = &s->tokens[i + 1];
    return st_words_has_pair(list, s->text + a->start, a->end - a->start, s->text + b->start, b->end - b->start);
}

static int tok_punct(const sentence_state *s, size_t i, int32_t cp)
{
    return s->tokens[i].kind == TK_PUNCT && s->tokens[i].cp == cp;
}

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
static inline __attribute__((always_inline)) unsigned table_lists(const char *low, size_t len, size_t hash)
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

/* The lists holding key k, whose pack8 is w8.  Inline: once per word. */
static inline __attribute__((always_inline)) unsigned key_lists(const st_words8 *t, const word_key *k, uint64_t w8)
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
static const unsigned char ascii_lower[256] = {
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
        k->low[i] = (char)ascii_lower[c];
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
        if (hy + 1 < n && (table_lists(k->low, hy, fnv1a(k->low, hy)) & (1u << ST_WORDS_NAME_PARTICLE)) &&
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
        key.low[w - i] = (char)ascii_lower[c];
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
    unsigned initial = 0, flags, lists;
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
            unsigned dotted_lists = key_lists(s->words8, &dotted, dotted_w8);
            if ((flags & TF_DOTTED) || initial ||
                (dotted_lists & ((1u << ST_WORDS_TITLE) | (1u << ST_WORDS_NOT_NAME)))) {
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
static st_status tokenize(sentence_state *s, const st_quote_list *quotes, size_t *next_quote,
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

/* ------------------------------------------------------------------ */
/* Noun phrases                                                        */

static int ends_with(const sentence_state *s, size_t i, const char *suffix)
{
    const token *t = &s->tokens[i];
    size_t n = strlen(suffix);
    return t->end - t->start > n && memcmp(s->text + t->end - n, suffix, n) == 0;
}

static int is_cap_word(const sentence_state *s, size_t i)
{
    const token *t = &s->tokens[i];
    return t->kind == TK_WORD && (t->flags & TF_CAP);
}

/* "spokeswoman He Lan", "said He Lan", "Ms. He", "Asked about it, He
 * said": the Chinese family name He, written with a capital where the
 * pronoun would have none: not first in the sentence nor after a mark
 * that may open one (a dateline's dash, a quote), but after a comma, a
 * title or role word, or another word and before a second name word. */
static int family_name_he(const sentence_state *s, size_t i)
{
    const token *t = &s->tokens[i];
    if (i == 0 || !(t->flags & TF_CAP) || (t->flags & TF_ALLCAPS) || !tok_is(s, i, "he"))
        return 0;
    const token *p = &s->tokens[i - 1];
    if (p->kind == TK_PUNCT && p->cp == ',')
        return 1;
    if (p->kind != TK_WORD && p->kind != TK_POSS)
        return 0;
    if (tok_in(s, i - 1, ST_WORDS_TITLE) || tok_in(s, i - 1, ST_WORDS_ROLE))
        return 1;
    return i + 1 < s->count && is_cap_word(s, i + 1) && !tok_in(s, i + 1, ST_WORDS_NOT_NAME);
}

/* Can token i be part of a proper name phrase? */
static int name_part(const sentence_state *s, size_t i)
{
    if (!is_cap_word(s, i))
        return 0;
    /* Days, months, "But", "The": never part of a name. */
    return !tok_in(s, i, ST_WORDS_NOT_NAME) || family_name_he(s, i);
}

/* A lower-case word that belongs in a name phrase as a title or role
 * ("alliance chief Jens Larsen", "the foreign minister"). */
static int role_part(const sentence_state *s, size_t i)
{
    const token *t = &s->tokens[i];
    return t->kind == TK_WORD && !(t->flags & TF_CAP) &&
           (tok_in(s, i, ST_WORDS_ROLE) || tok_in(s, i, ST_WORDS_TITLE));
}

static int is_pronoun(const sentence_state *s, size_t i, int *group)
{
    if (tok_is(s, i, "he") || tok_is(s, i, "she")) {
        *group = 0;
        return 1;
    }
    if (tok_is(s, i, "they") || tok_is(s, i, "it")) {
        *group = 1;
        return 1;
    }
    return 0;
}

static inline __attribute__((always_inline)) int is_determiner(const sentence_state *s, size_t i)
{
    /* Asked of nearly every token: compares of the packed bytes, picked
     * by the first byte (most tokens start with none of a, h, i, t, and
     * a word that does meets two compares at most). */
    uint64_t w = s->tokens[i].w8;
    switch ((unsigned char)w) {
    case 'a':
        return w == LIT8("a") || w == LIT8("an");
    case 'h':
        return w == LIT8("his") || w == LIT8("her");
    case 'i':
        return w == LIT8("its");
    case 't':
        return w == LIT8("the") || w == LIT8("their");
    default:
        return 0;
    }
}

/* "a Kremlin spokesman", "an EU official": one to three capitalised
 * words naming a body, then a role word. */
static int body_then_role(const sentence_state *s, size_t k)
{
    size_t m = k;
    while (m < s->count && m < k + 3 && name_part(s, m))
        m++;
    return m > k && m < s->count && role_part(s, m);
}

/* A lower-case institution word ("the coast guard", "the rebel group")
 * or noun for a kind of body ("the utility", "the regional bloc"): it
 * can only stand for a body the article has named. */
static int org_head_word(const sentence_state *s, size_t i)
{
    const token *t = &s->tokens[i];
    return t->kind == TK_WORD && (t->flags & TF_LOWER) &&
           (tok_in(s, i, ST_WORDS_ORG_HEAD) || tok_in(s, i, ST_WORDS_BODY_KIND)) && !role_part(s, i);
}

/* A capitalised title or institution word: "Minister", "Commission". */
static int capital_office_word(const sentence_state *s, size_t i)
{
    return is_cap_word(s, i) &&
           (tok_in(s, i, ST_WORDS_TITLE) || tok_in(s, i, ST_WORDS_ROLE) || tok_in(s, i, ST_WORDS_ORG_HEAD));
}

/* "on" after a capitalised institution word, before the field it works
 * on ("Intergovernmental Authority on Development", "Committee on
 * Foreign Relations", "Commission on Human Rights"): a capitalised word
 * must follow, no day ("the Commission on Monday") and no place or
 * nationality ("the Council on Syria's ...": what it spoke about). */
static int serves_on(const sentence_state *s, size_t j)
{
    return tok_is(s, j, "on") && j > 0 && j + 1 < s->count && is_cap_word(s, j - 1) &&
           tok_in(s, j - 1, ST_WORDS_ORG_HEAD) && name_part(s, j + 1) && !tok_in(s, j + 1, ST_WORDS_PLACE) &&
           !tok_in(s, j + 1, ST_WORDS_NATIONALITY);
}

/* "to" and a capitalised verb after an institution word, naming what
 * the body was set up to do ("Committee to Protect Journalists",
 * "Coalition to Save Lake Nakuru", "Alliance to End Plastic Waste"): a
 * capitalised word that names no place, nationality, title, role or
 * body must follow, and another capitalised word after it ("the
 * Commission to Brussels", "urged the Council to Act" stay apart). */
static int serves_to(const sentence_state *s, size_t j)
{
    return tok_is(s, j, "to") && j > 0 && j + 2 < s->count && is_cap_word(s, j - 1) &&
           tok_in(s, j - 1, ST_WORDS_ORG_HEAD) && name_part(s, j + 1) && name_part(s, j + 2) &&
           !(s->tokens[j + 1].lists & (1u << ST_WORDS_PLACE | 1u << ST_WORDS_NATIONALITY | 1u << ST_WORDS_TITLE |
                                       1u << ST_WORDS_ROLE | 1u << ST_WORDS_ORG_HEAD));
}

/* "of" or "for" after an institution word, or "on" (serves_on): what
 * the body serves ("Ministry of the Interior", "Office for the
 * Coordination of ..."). */
static int serves_word(const sentence_state *s, size_t j)
{
    return tok_is(s, j, "of") || (tok_is(s, j, "for") && j > 0 && capital_office_word(s, j - 1)) ||
           serves_on(s, j) || serves_to(s, j);
}

/* The token after a state's formal name from k ("Republic of
 * Kazakhstan", "Democratic People’s Republic of Korea", "Russian
 * Federation"): capitalised words, joined by "of" or a possessive, at
 * least one of them a place or a nationality; 0 when the words from k
 * are no such name.  At most STATE_NAME_WORDS tokens are read. */
enum { STATE_NAME_WORDS = 8 };
static size_t state_name_end(const sentence_state *s, size_t k, size_t n)
{
    size_t end = 0, stop = k + STATE_NAME_WORDS < n ? k + STATE_NAME_WORDS : n;
    int place = 0;
    while (k < stop && name_part(s, k)) {
        place |= tok_in(s, k, ST_WORDS_PLACE) || tok_in(s, k, ST_WORDS_NATIONALITY);
        end = ++k;
        if (k + 1 < stop && (tok_is(s, k, "of") || s->tokens[k].kind == TK_POSS) && name_part(s, k + 1))
            k++;
    }
    return place ? end : 0;
}

/* The token after a run of name particles from i ("van der", "de la"),
 * three at most: no name has more. */
static size_t particle_run_end(const sentence_state *s, size_t i, size_t n)
{
    size_t k = i;
    while (k < n && k < i + 3 && tok_in(s, k, ST_WORDS_NAME_PARTICLE))
        k++;
    return k;
}

/* The end of a run of at most three linking words of a foreign body's
 * name from token i ("für den", "pour le", "do"): a name_link word, then
 * name particles or links. */
static size_t link_run_end(const sentence_state *s, size_t i, size_t n)
{
    size_t k = i;
    while (k < n && k < i + 3 && (tok_in(s, k, ST_WORDS_NAME_LINK) || tok_in(s, k, ST_WORDS_NAME_PARTICLE)))
        k++;
    return k;
}

/* "\"...,\" de la Barra said", "ole Sankale told": a surname whose
 * particle has no capital stands alone on a later reference, so a run
 * of lower-case particles ending on a name word opens a name (the
 * phrase reads on from the particles as inside "Inès de la Peña"). */
static int particle_opens_name(const sentence_state *s, size_t i)
{
    if (!tok_in(s, i, ST_WORDS_NAME_PARTICLE))
        return 0;
    size_t k = particle_run_end(s, i, s->count);
    return k < s->count && name_part(s, k);
}

/* The end of the run of capitalised name words from token i, or i when
 * one of them is a title or role word: such a run names no field or
 * holder. */
static size_t untitled_run_end(const sentence_state *s, size_t i)
{
    size_t k = i;
    while (k < s->count && name_part(s, k)) {
        if (tok_in(s, k, ST_WORDS_TITLE) || tok_in(s, k, ST_WORDS_ROLE))
            return i;
        k++;
    }
    return k;
}

/* One capitalised title word at token i that is no role and ends the
 * run of name words ("Industry and Trade", "Foreign Affairs and Trade",
 * "Justice and Interior"): a title with no name after it has no holder,
 * so it is rather the last field of the body's name than an office. */
static int lone_title_field(const sentence_state *s, size_t i)
{
    return tok_in(s, i, ST_WORDS_TITLE) && !tok_in(s, i, ST_WORDS_ROLE) &&
           !(i + 1 < s->count && name_part(s, i + 1));
}

/* Token i ends on a suffix of an abstract noun ("Unity", "Social
 * Protection", "Local Government", "Public Works Management"): a field,
 * rarely a person's surname. */
static int abstract_noun(const sentence_state *s, size_t i)
{
    return ends_with(s, i, "tion") || ends_with(s, i, "sion") || ends_with(s, i, "ity") ||
           ends_with(s, i, "ment") || ends_with(s, i, "ness") || ends_with(s, i, "ism");
}

/* The capitalised words from token i on, up to the phrase's end, name
 * part of an institution's field: at least one, none a title or role
 * (unless a lone title word, lone_title_field), and no possessive after
 * them ("Ethiopia's minister").  Two words or more that end the phrase
 * are rather a person joined to the body ("The Ministry of Health and
 * John Mwangi said"), unless the last is an abstract noun ("Ministry of
 * Labour and Social Protection", "Government of Reconciliation and
 * National Unity"); a field of several words goes on with "of" ("Hajj
 * and Umrah Operators of Nigeria"). */
static int field_after_and(const sentence_state *s, size_t i)
{
    size_t k = untitled_run_end(s, i);
    if (k == i && name_part(s, i) && lone_title_field(s, i))
        k = i + 1;
    if (k == i || (k < s->count && s->tokens[k].kind == TK_POSS))
        return 0;
    return k == i + 1 || (k < s->count && serves_word(s, k)) || abstract_noun(s, k - 1);
}

/* Tokens [first, end) hold a capitalised title, not an institution, and
 * "of" or "for" after it: an office's field follows ("Minister of
 * Water Resources"). */
static int titled_field_before(const sentence_state *s, size_t first, size_t end)
{
    for (size_t o = first + 1; o < end; o++)
        if (serves_word(s, o) && is_cap_word(s, o - 1) && tok_in(s, o - 1, ST_WORDS_TITLE) &&
            !tok_in(s, o - 1, ST_WORDS_ORG_HEAD))
            return 1;
    return 0;
}

/* From token i, one word more of an office's field and a holder's name
 * of two words or more ("Irrigation Yerzhan Tolegenov"): three
 * capitalised words or more, none a title or role, no possessive after
 * them.  Two words are rather a second person ("the Minister of Finance
 * and Ana Ruiz said"). */
static int holder_after_field(const sentence_state *s, size_t i)
{
    size_t k = untitled_run_end(s, i);
    return k >= i + 3 && !(k < s->count && s->tokens[k].kind == TK_POSS);
}

/* From token i after "and" in a title's field, the field's last one or
 * two words and a comma, then the holder's name in apposition, two
 * capitalised words or more closed by a comma ("Minister of Mines and
 * Geology, Ibrahima Sory Camara, said"): the title is whole, and its
 * role goes to the holder (complement_roles).  A name not closed by a
 * comma may be rather a list ("the Minister of Trade and Finance,
 * Brazil and Chile"). */
static int appositive_after_field(const sentence_state *s, size_t i)
{
    size_t k = i;
    while (k < s->count && k < i + 2 && name_part(s, k) && !tok_in(s, k, ST_WORDS_ROLE))
        k++; /* a field may be a title's word: "Mines and Energy" */
    if (k == i || k + 1 >= s->count || !tok_punct(s, k, ','))
        return 0;
    size_t e = untitled_run_end(s, k + 1);
    return e >= k + 3 && e < s->count && tok_punct(s, e, ',');
}

/* From token i after "of the" in a title, one word naming the office's
 * field and a holder's name of two words or more: the field may be a
 * title word ("the Interior") or an institution's ("the Treasury", "the
 * Navy"), but no person's role ("Secretary of the President"). */
static int holder_after_the_field(const sentence_state *s, size_t i)
{
    if (!name_part(s, i) || (tok_in(s, i, ST_WORDS_ROLE) && !tok_in(s, i, ST_WORDS_ORG_HEAD)))
        return 0;
    size_t k = untitled_run_end(s, i + 1);
    return k >= i + 3 && !(k < s->count && s->tokens[k].kind == TK_POSS);
}

/* From a comma at j, the items of a list of fields joined by commas up
 * to "and" ("Agriculture, Livestock and Fisheries", "Foreign,
 * Commonwealth and Development Office"): returns the token of the
 * "and", or 0.  An item is one to three capitalised words, not ending on
 * the head of a title ("Deputy Minister": a person follows; "International
 * Trade" is a field), and a lone place word is rather another actor ("the
 * Ministry of Defence, Britain and France"). */
static size_t list_and_after_comma(const sentence_state *s, size_t j)
{
    size_t k = j, n = s->count;
    while (k < n && tok_punct(s, k, ',')) {
        size_t m = k + 1;
        while (m < n && m < k + 4 && name_part(s, m)) {
            int last = !(m + 1 < n && name_part(s, m + 1));
            if (last && tok_in(s, m, ST_WORDS_ROLE))
                return 0;
            m++;
        }
        if (m == k + 1 || (m == k + 2 && tok_in(s, k + 1, ST_WORDS_PLACE)) || m == n)
            return 0;
        if (tok_is(s, m, "and"))
            return m;
        k = m;
    }
    return 0;
}

/* Do the capitalised words before the comma at j open right after a
 * possessive inside the phrase that opens at i ("Britain's Foreign,
 * Commonwealth and Development Office")?  A country's possessive names
 * whose body follows, as "the" does: the list is the body's name. */
static int list_after_possessive(const sentence_state *s, size_t i, size_t j)
{
    size_t k = j;
    while (k > i && name_part(s, k - 1))
        k--;
    return k < j && k > i && s->tokens[k - 1].kind == TK_POSS;
}

/* From token i, capitalised words ending on a capitalised institution
 * word ("Development Office"): the last field of a list and the body's
 * head. */
static int ends_on_office(const sentence_state *s, size_t i)
{
    size_t k = i;
    while (k < s->count && name_part(s, k))
        k++;
    return k > i && tok_in(s, k - 1, ST_WORDS_ORG_HEAD);
}

/* Do the capitalised words before the "and" at j, opening right after
 * the determiner or a possessive of the phrase that opens at i, and
 * those after it, ending on a capitalised institution word, name one
 * body ("the International Boundary and Water Commission", "the U.S.
 * Fish and Wildlife Service", "Mexico's National Water and Sanitation
 * Commission")?  News names a body by the fields it oversees before its
 * institution word, as it names one by a field after "of".  The words
 * before "and" are no body already ("the Kremlin and Foreign Ministry",
 * "the White House and State Department": two bodies), no title or role
 * ("the Prime Minister and Foreign Office") and do not end on a place or
 * nationality ("the United States and European Union"). */
static int fields_and_office(const sentence_state *s, size_t i, size_t j)
{
    size_t k = j;
    while (k > i && name_part(s, k - 1)) {
        k--;
        if (tok_in(s, k, ST_WORDS_ORG_HEAD) || tok_in(s, k, ST_WORDS_TITLE) || tok_in(s, k, ST_WORDS_ROLE))
            return 0;
    }
    if (k == j || k == i || !(s->tokens[k - 1].kind == TK_POSS || is_determiner(s, k - 1)) ||
        tok_in(s, j - 1, ST_WORDS_PLACE) || tok_in(s, j - 1, ST_WORDS_NATIONALITY))
        return 0;
    return ends_on_office(s, j + 1);
}

/* How many capitalised words from token k name an armed or uniformed
 * service ("Navy", "Army", "Coast Guard", "Air Force": the service
 * list); 0 when none. */
static size_t service_name_len(const sentence_state *s, size_t k)
{
    if (k >= s->count || !is_cap_word(s, k))
        return 0;
    if (tok_in(s, k, ST_WORDS_SERVICE))
        return 1;
    if (k + 1 < s->count && is_cap_word(s, k + 1) && tok_pair_in(s, k, ST_WORDS_SERVICE))
        return 2;
    return 0;
}

/* "The Somali Navy and Coast Guard, which ..., said", "the Ghanaian
 * Army and Air Force": two services after one nationality, joined by
 * "and" at j, are one body, the nation's combined force, as news names
 * it (the nationality qualifies both).  Only a service name after "and"
 * that ends the name, with no nationality or "Royal" of its own ("the
 * Royal Navy and Royal Marines" stay two), and only one service name
 * before it, right after the nationality that opens the phrase at i (or
 * follows its determiner): "the Kremlin and Foreign Ministry", "the
 * White House and State Department" name no service and stay two. */
static int services_joined(const sentence_state *s, size_t i, size_t j)
{
    size_t k = j >= 2 && service_name_len(s, j - 2) == 2 ? j - 2 : j - 1;
    if (k <= i || service_name_len(s, k) != j - k || !tok_in(s, k - 1, ST_WORDS_NATIONALITY) ||
        !(k - 1 == i || (k - 2 == i && is_determiner(s, i))))
        return 0;
    size_t after = service_name_len(s, j + 1);
    return after && !name_part(s, j + 1 + after);
}

/* A lower-case word for a kind of place ("the Sakhalin region"). */
static int region_noun(const sentence_state *s, size_t i)
{
    return tok_in(s, i, ST_WORDS_REGION);
}

/* "government", "cabinet", "ministry", "parliament": a lower-case word
 * for an institution, which "of" and a place make that place's body
 * ("the government of the Comoros", "the cabinet of Kenya").  Not
 * "people" or "citizens": they are no institution that speaks. */
static int lower_institution(const sentence_state *s, size_t i)
{
    const token *t = &s->tokens[i];
    return t->kind == TK_WORD && (t->flags & TF_LOWER) && tok_in(s, i, ST_WORDS_ORG_HEAD);
}

/* The phrase from first to last is "<institution> of [the] <state>"
 * ("government of the Comoros", "parliament of Kenya", "foreign
 * ministry of Kenya"): the body of
 * that state, named with its institution word (resolve_named keeps the
 * word, as in "Comoros's government"). */
static __attribute__((noinline)) int institution_of_state(const sentence_state *s, size_t first, size_t last)
{
    /* "foreign ministry of Kenya": up to two lower-case modifiers
     * before the institution word belong to the body's name. */
    for (size_t h = first; h < first + 3 && h + 2 <= last && (s->tokens[h].flags & TF_LOWER); h++) {
        if (!lower_institution(s, h) || !tok_is(s, h + 1, "of"))
            continue;
        size_t k = h + 2 + (tok_is(s, h + 2, "the") ? 1 : 0);
        return k <= last && state_name_end(s, k, last + 1) == last + 1;
    }
    return 0;
}

static int relative_pronoun(const sentence_state *s, size_t i);

/* "the Fujian coast guard said", "China's central bank, which ...",
 * "the Kenyan regulator": a lower-case institution word or kind of
 * body at h heads a phrase after capitalised words or a possessive, as
 * a role word does ("the Chinese ministry"), when the word after it
 * (k = h + 1) goes on with no noun it could modify ("the Chinese navy
 * ship", "coast guard officers": the head is further on).  "who" is
 * the pronoun in lower case, never the WHO.  A phrase opened by "a"
 * before its capitals (from `first`: "a private Swiss bank") is no
 * body the story names, only one of a kind. */
static int indefinite_head(const sentence_state *s, size_t i);
static int institution_head(const sentence_state *s, size_t first, size_t h, size_t k)
{
    if (!org_head_word(s, h) || tok_is(s, h, "who") || indefinite_head(s, first))
        return 0;
    if (k >= s->count)
        return 1;
    const token *t = &s->tokens[k];
    return t->kind != TK_WORD || !(t->flags & TF_LOWER) || tok_in(s, k, ST_WORDS_SPEECH_VERB) ||
           tok_in(s, k, ST_WORDS_VERBISH) || tok_in(s, k, ST_WORDS_AUX_ADVERB) ||
           tok_in(s, k, ST_WORDS_PREPOSITION) || tok_in(s, k, ST_WORDS_NOT_NAME) || relative_pronoun(s, k) ||
           tok_is(s, k, "and") || ends_with(s, k, "ed");
}

/* "complaint", "formal complaint", "open letter": from token k, at most
 * two lower-case modifiers and a document (the document list) in lower
 * case.  Returns the document's index, or 0.  Asked only after an
 * owner's possessive: a document there speaks for its owner. */
static size_t document_after(const sentence_state *s, size_t k, size_t n)
{
    for (size_t end = k + 3; k < n && k < end; k++) {
        const token *t = &s->tokens[k];
        if (t->kind != TK_WORD || !(t->flags & TF_LOWER))
            return 0;
        if (tok_in(s, k, ST_WORDS_DOCUMENT))
            return k;
        if (tok_in(s, k, ST_WORDS_VERBISH) || tok_in(s, k, ST_WORDS_PREPOSITION) ||
            tok_in(s, k, ST_WORDS_NOT_NAME) || tok_in(s, k, ST_WORDS_SPEECH_VERB) || role_part(s, k))
            return 0;
    }
    return 0;
}

/*
 * Reads a noun phrase starting at token i; returns the index one past its
 * last token, or i when none starts here.  Sets *kind.
 */
static size_t read_np(const sentence_state *s, size_t i, int *kind)
{
    /* Asked at every token: a phrase opens on a word that is a pronoun,
     * a determiner or a capitalised word; anything else fails every rule
     * below at once. */
    const token *t = &s->tokens[i];
    if (t->kind != TK_WORD || (!(t->flags & TF_CAP) && !t->w8))
        return i;
    size_t n = s->count;
    int group;
    if (is_pronoun(s, i, &group) && !family_name_he(s, i)) {
        *kind = group ? NP_PRONOUN_GROUP : NP_PRONOUN_PERSON;
        return i + 1;
    }
    /* A word without a capital opens a phrase only as a determiner or
     * a name particle: every rule below wants a capital, a determiner
     * before a role, or a token of the phrase before the one it looks
     * at. */
    int det = is_determiner(s, i);
    if (!det && !(t->flags & TF_CAP) && !particle_opens_name(s, i))
        return i;
    size_t j = i;
    int has_det = 0;
    if (det) {
        has_det = 1;
        j++;
        /* "the paramilitary Northern Brigades", "a senior official":
         * up to three lower-case modifiers before a name or role. */
        size_t k = j, mods = 0, poss = 0;
        while (k < n && mods < 3 &&
               ((s->tokens[k].kind == TK_WORD && (s->tokens[k].flags & TF_LOWER) && !role_part(s, k) &&
                 !tok_in(s, k, ST_WORDS_SPEECH_VERB) && !tok_in(s, k, ST_WORDS_VERBISH) &&
                 !tok_in(s, k, ST_WORDS_PREPOSITION) && !tok_in(s, k, ST_WORDS_NOT_NAME)) ||
                (s->tokens[k].kind == TK_POSS && mods > 0))) {
            if (s->tokens[k].kind == TK_POSS && !poss)
                poss = k;
            k++;
            mods++;
        }
        /* "the central bank's complaint", "the coast guard's report": a
         * body named by lower-case words and its institution word, then
         * a document after the possessive (resolve_any_phrase). */
        if (poss && org_head_word(s, poss - 1)) {
            size_t d = document_after(s, poss + 1, n);
            if (d) {
                *kind = NP_ROLE;
                return d + 1;
            }
        }
        /* "Its complaint says", "their open letter said", "his letter
         * reads": a document after a possessive pronoun speaks for its
         * owner, so the phrase is that pronoun's (resolved as "it",
         * "they", "he", "she"). */
        if (!tok_is(s, i, "the") && !tok_is(s, i, "a") && !tok_is(s, i, "an")) {
            size_t d = document_after(s, j, n);
            if (d) {
                *kind = tok_is(s, i, "its") || tok_is(s, i, "their") ? NP_PRONOUN_GROUP : NP_PRONOUN_PERSON;
                return d + 1;
            }
        }
        /* "a" and "an" introduce a role ("a senior official"), never a
         * name ("a day after Nowak ..."). */
        int indefinite = tok_is(s, i, "a") || tok_is(s, i, "an");
        if (k < n && (role_part(s, k) || (!indefinite && name_part(s, k)) ||
                      (indefinite && k == j && body_then_role(s, k))))
            j = k;
        else if (!indefinite && k > j && org_head_word(s, k - 1)) {
            *kind = NP_ROLE; /* "the coast guard": resolve_role finds the body */
            return k;
        }
        else if (indefinite)
            return i;
    }
    else if (!(t->flags & TF_CAP))
        j = particle_run_end(s, i, n); /* "de la Barra": the name after the particles */
    size_t body = j, last_good = j;
    int caps = 0, roles = 0, served = 0;
    while (j < n) {
        if (name_part(s, j)) {
            caps++;
            j++;
            last_good = j;
            continue;
        }
        if (role_part(s, j) && (caps || has_det || roles)) {
            roles++;
            j++;
            last_good = j;
            continue;
        }
        /* "the Peruvian and Chilean joint statement", "Chilean joint statement":
         * modifiers joined by "and", or lower-case adjectives, before a
         * role head two words on at most. */
        if (caps && j + 1 < n && (tok_is(s, j, "and") || (s->tokens[j].flags & TF_LOWER))) {
            size_t k = j + (tok_is(s, j, "and") ? 1 : 0), seen = 0;
            while (k < n && seen < 2 && (name_part(s, k) || (s->tokens[k].kind == TK_WORD &&
                                                              (s->tokens[k].flags & TF_LOWER) &&
                                                              !role_part(s, k) && !tok_is(s, k, "and") &&
                                                              !tok_in(s, k, ST_WORDS_SPEECH_VERB) &&
                                                              !tok_in(s, k, ST_WORDS_VERBISH) &&
                                                              !tok_in(s, k, ST_WORDS_NOT_NAME) &&
                                                              !tok_in(s, k, ST_WORDS_PREPOSITION) &&
                                                              !ends_with(s, k, "ed") && !ends_with(s, k, "ing")))) {
                k++;
                seen++;
            }
            if (k < n && k > j && role_part(s, k) && !tok_in(s, k, ST_WORDS_TITLE)) {
                j = k + 1;
                roles++;
                last_good = j;
                continue;
            }
            /* "The Fujian coast guard said", "the Chinese navy, which" */
            if (k > j && !tok_is(s, j, "and") && institution_head(s, i, k - 1, k)) {
                j = last_good = k;
                roles++;
                continue;
            }
        }
        /* "the Office of the Trade Representative", "Ministry of the
         * Interior", "Office for the Coordination of ...": an institution
         * named by what it serves. */
        if (j > body && j + 2 < n && serves_word(s, j) && tok_is(s, j + 1, "the") &&
            tok_in(s, j - 1, ST_WORDS_ORG_HEAD) && is_cap_word(s, j - 1) && name_part(s, j + 2)) {
            j += 2;
            served = 1;
            continue;
        }
        /* "Deputy Secretary of the Interior Carla Brandvold", "Secretary
         * of the Navy Ana Ruiz": a title's field may open on "the" too,
         * when the holder's name follows it (never "the Secretary of the
         * Interior said", which names an office, not a person). */
        if (j > body && j == last_good && j + 2 < n && tok_is(s, j, "of") && tok_is(s, j + 1, "the") &&
            titled_field_before(s, body, j + 1) && holder_after_the_field(s, j + 2)) {
            j += 2;
            continue;
        }
        /* "Ministry of Water Resources and Irrigation of the Republic of
         * Kazakhstan", "Ministry of National Defence of the Democratic
         * People’s Republic of Korea": after the field a body serves,
         * "of the" and a state's formal name say whose body it is, and
         * belong to its name as "of Nigeria" does after a field.
         * "The government of the Comoros", "the cabinet of the
         * Philippines": so do they after a lower-case institution word,
         * as "of Kenya" does (the rule for "of" and a capital below). */
        if ((served || (roles && !caps)) && j == last_good && j + 2 < n && tok_is(s, j, "of") &&
            tok_is(s, j + 1, "the") && (served || lower_institution(s, j - 1))) {
            size_t e = state_name_end(s, j + 2, n);
            if (e) {
                j = last_good = e;
                caps += !served; /* the state's name: a phrase with capitals */
                continue;
            }
        }
        /* "the Border Service for the Sakhalin region": the place the
         * institution serves may end on a word for a kind of place. */
        if (served && j == last_good && region_noun(s, j)) {
            last_good = ++j;
            continue;
        }
        /* "Secretary of State", "Bureau of African Affairs", "de la Cruz";
         * "Minister for Fisheries", "Commission for Human Rights": "for"
         * only after a capitalised title or institution word, so that
         * "thanked Dutheil for Paris's help" stays two phrases. */
        if (j > body && j + 1 < n && name_part(s, j + 1) &&
            (serves_word(s, j) || tok_in(s, j, ST_WORDS_NAME_PARTICLE))) {
            if (serves_word(s, j) && tok_in(s, j - 1, ST_WORDS_ORG_HEAD) && is_cap_word(s, j - 1))
                served = 1;
            j++;
            continue;
        }
        /* "The Ministry of Trade and Industry", "the Association of Hajj
         * and Umrah Operators of Nigeria": the field an institution serves
         * may join two names with "and" (never a title or role after it:
         * "the Ministry of Defence and Foreign Minister X"). */
        if (served && j == last_good && tok_is(s, j, "and") && field_after_and(s, j + 1)) {
            j++;
            continue;
        }
        /* "Vice Minister of Water Resources and Irrigation Yerzhan
         * Tolegenov": a title's field may join two names with "and"
         * before the holder's name. */
        if (!served && j == last_good && tok_is(s, j, "and") && titled_field_before(s, body, j) &&
            (holder_after_field(s, j + 1) || appositive_after_field(s, j + 1))) {
            j++;
            continue;
        }
        /* "Lotte van der Kamp", "Inès de la Peña": particles come in
         * runs of two or three, and only the last meets the surname. */
        if (j > body && tok_in(s, j, ST_WORDS_NAME_PARTICLE)) {
            size_t k = particle_run_end(s, j, n);
            if (k > j + 1 && k < n && name_part(s, k)) {
                j = k;
                continue;
            }
        }
        /* "Wasser für den Sahel", "Action pour le Développement",
         * "Fundação do Sol": a body named in another language joins its
         * capitalised words with that language's prepositions and
         * articles, as a person's name joins them with particles. */
        if (j > body && j == last_good && caps && tok_in(s, j, ST_WORDS_NAME_LINK)) {
            size_t k = link_run_end(s, j, n);
            if (k < n && name_part(s, k)) {
                j = k;
                continue;
            }
        }
        /* "Korea Hydro & Nuclear Power", "Procter & Gamble": an
         * ampersand joins capitalised words into one company's name. */
        if (tok_punct(s, j, '&') && j > body && j == last_good && caps && j + 1 < n && name_part(s, j + 1)) {
            j++;
            continue;
        }
        /* "the Rail Drivers’ Union": a plural possessive mark joined to
         * the word before it. */
        if (s->tokens[j].kind == TK_PUNCT && (s->tokens[j].cp == 0x2019 || s->tokens[j].cp == '\'') &&
            j > body && s->tokens[j].start == s->tokens[j - 1].end && j + 1 < n && name_part(s, j + 1)) {
            j++;
            continue;
        }
        /* "The central bank's complaint", "Sudan's amended complaint":
         * a document after its owner's possessive ends the phrase;
         * resolve_any_phrase gives the owner. */
        if (s->tokens[j].kind == TK_POSS && j > body && j == last_good) {
            size_t d = document_after(s, j + 1, n);
            if (d) {
                last_good = d + 1;
                break;
            }
        }
        /* Peru's Foreign Ministry, Ortiz's envoy Nora Quist */
        if (s->tokens[j].kind == TK_POSS && j > body && j + 1 < n &&
            (name_part(s, j + 1) || role_part(s, j + 1))) {
            j++;
            continue;
        }
        /* "South Korea's unification minister": a possessive, one or two
         * modifiers and a role. */
        if (s->tokens[j].kind == TK_POSS && j > body) {
            size_t k = j + 1;
            while (k < n && k < j + 3 && s->tokens[k].kind == TK_WORD && (s->tokens[k].flags & TF_LOWER) &&
                   !role_part(s, k) && !tok_in(s, k, ST_WORDS_NOT_NAME) && !tok_in(s, k, ST_WORDS_VERBISH) &&
                   !tok_in(s, k, ST_WORDS_SPEECH_VERB))
                k++;
            if (k < n && k > j + 1 && role_part(s, k)) {
                j = k;
                continue;
            }
            /* "China's coast guard said", "Kenya's central bank" */
            if (k > j + 1 && institution_head(s, i, k - 1, k)) {
                j = last_good = k;
                roles++;
                continue;
            }
        }
        /* "The Securities and Exchange Commission", "Mexico's National
         * Water and Sanitation Commission": two fields joined by "and"
         * before the institution word. */
        if (tok_is(s, j, "and") && j == last_good && caps && !roles && !served &&
            (fields_and_office(s, i, j) || services_joined(s, i, j))) {
            j++;
            continue;
        }
        /* "the Ministry of Agriculture, Livestock and Fisheries", "the
         * Foreign, Commonwealth and Development Office": a body's fields
         * listed with commas, then "and" and the last field (what the
         * body serves, or words ending on its institution word). */
        if (tok_punct(s, j, ',') && j == last_good && caps && !roles) {
            size_t a = list_and_after_comma(s, j);
            if (a && ((served && field_after_and(s, a + 1)) ||
                      ((served || has_det || list_after_possessive(s, i, j)) && ends_on_office(s, a + 1)))) {
                j = a + 1;
                continue;
            }
        }
        break;
    }
    if (last_good == body)
        return i;
    /* A role phrase must end on its role word: "the minister", not "the
     * minister's". */
    *kind = caps ? NP_PERSON : NP_ROLE; /* refined by classify_np */
    return last_good;
}

/* ------------------------------------------------------------------ */
/* Entities                                                            */

/* FNV-1a, one byte at a time as make_key writes the key. */
#define KEY_HASH_SEED ((size_t)1469598103934665603u)
#define KEY_HASH_STEP(h, c) (((h) ^ (unsigned char)(c)) * (size_t)1099511628211u)

static index_slot *index_find(const name_index *ix, const index_key *key)
{
    if (!ix->capacity)
        return NULL;
    size_t mask = ix->capacity - 1;
    for (size_t i = key->hash & mask;; i = (i + 1) & mask) {
        index_slot *slot = &ix->slots[i];
        if (!slot->key)
            return NULL;
        /* Keys hold no NUL: equal bytes up to len and a NUL there
         * (strncmp stops at a shorter key's end, memcmp might not). */
        if (slot->hash == (uint32_t)key->hash && strncmp(slot->key, key->buf.data, key->buf.len) == 0 &&
            slot->key[key->buf.len] == '\0')
            return slot;
    }
}

static int index_get(const name_index *ix, const index_key *key)
{
    const index_slot *slot = index_find(ix, key);
    return slot ? slot->value : -1;
}

/*
 * Maps key to value: replaces an existing value when `replace`, else
 * leaves it.  *old (may be NULL) gets the value the key had, -1 when it
 * was new.  One probe sequence for what index_get + index_put did.
 */
static st_status index_set(name_index *ix, st_arena *arena, const index_key *key, int value, int replace, int *old)
{
    index_slot *found = index_find(ix, key);
    if (old)
        *old = found ? found->value : -1;
    if (found) {
        if (replace)
            found->value = value;
        return ST_OK;
    }
    if ((ix->count + 1) * 2 > ix->capacity) {
        size_t cap = ix->capacity ? ix->capacity * 2 : 64;
        index_slot *slots = calloc(cap, sizeof *slots);
        if (!slots)
            return ST_ERR_NOMEM;
        for (size_t i = 0; i < ix->capacity; i++) {
            if (!ix->slots[i].key)
                continue;
            size_t j = ix->slots[i].hash & (cap - 1);
            while (slots[j].key)
                j = (j + 1) & (cap - 1);
            slots[j] = ix->slots[i];
        }
        free(ix->slots);
        ix->slots = slots;
        ix->capacity = cap;
    }
    char *copy = st_arena_strndup(arena, key->buf.data, key->buf.len);
    if (!copy)
        return ST_ERR_NOMEM;
    size_t j = key->hash & (ix->capacity - 1);
    while (ix->slots[j].key)
        j = (j + 1) & (ix->capacity - 1);
    ix->slots[j].key = copy;
    ix->slots[j].hash = (uint32_t)key->hash;
    ix->slots[j].value = value;
    ix->count++;
    return ST_OK;
}

static st_status index_put(name_index *ix, st_arena *arena, const index_key *key, int value)
{
    return index_set(ix, arena, key, value, 1, NULL);
}

static void index_free(name_index *ix)
{
    free(ix->slots); /* the keys are the arena's */
    memset(ix, 0, sizeof *ix);
}

/* Builds "p:name" style keys, lower-cased, in a scratch buffer. */
static st_status make_key(index_key *key, char kind, const char *s, size_t n)
{
    st_buf *buf = &key->buf;
    if (buf->cap < n + 3) {
        buf->len = 0;
        st_status st = st_buf_reserve(buf, n + 3);
        if (st != ST_OK)
            return st;
    }
    char *d = buf->data;
    d[0] = kind;
    d[1] = ':';
    size_t h = KEY_HASH_SEED;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = ascii_lower[(unsigned char)s[i]];
        d[i + 2] = (char)c;
        h = KEY_HASH_STEP(h, c);
    }
    buf->len = n + 2;
    d[buf->len] = '\0';
    key->name_hash = h;
    key->hash = KEY_HASH_STEP(h, kind);
    return ST_OK;
}

/* The same name under another kind ("p:lam" -> "f:lam"). */
static void key_set_kind(index_key *key, char kind)
{
    key->buf.data[0] = kind;
    key->hash = KEY_HASH_STEP(key->name_hash, kind);
}

static const char *last_word(const char *name, size_t *len);

/* Indexes a body's initials ("Rapid Support Forces" -> "a:rsf"), so
 * that the acronym the story goes on with finds the full name as first
 * given.  The first body with those initials keeps them. */
static st_status index_initials(st_article *a, index_key *key, int id)
{
    const char *name = a->entities[id].name;
    st_buf initials = {0};
    st_status st = ST_OK;
    for (const char *w = name; st == ST_OK && *w; w++)
        if ((w == name || w[-1] == ' ') && *w >= 'A' && *w <= 'Z')
            st = st_buf_push(&initials, *w);
    if (st == ST_OK && initials.len >= 2 && (st = make_key(key, 'a', initials.data, initials.len)) == ST_OK)
        st = index_set(&a->index, &a->arena, key, id, 0, NULL);
    st_buf_free(&initials);
    return st;
}

/* Is the name word w[0..n) one that news style drops on a second
 * reference's behalf: a lower-case particle ("de", "la"), a capitalised
 * one ("Ould", "Abu") or an initial ("W.")? */
static int no_short_form(const char *w, size_t n)
{
    if (n < 2 || w[n - 1] == '.' || (*w >= 'a' && *w <= 'z'))
        return 1;
    return st_words_has(ST_WORDS_NAME_PARTICLE, w, n);
}

/* The word before the run of particles that ends at `w` in `name`
 * ("Menjívar" in "Claudia Menjívar de Ayala"), its length in *wl; or
 * `name` itself when no word stands before the run or that word opens
 * the name (the first name in "Lotte van der Kamp"), so no short form. */
static const char *before_particles(const char *name, const char *w, size_t *wl)
{
    for (int runs = 0; runs < 3 && w > name; runs++) {
        const char *end = w - 1, *b = end;
        while (b > name && b[-1] != ' ')
            b--;
        *wl = (size_t)(end - b);
        if (!st_words_has(ST_WORDS_NAME_PARTICLE, b, *wl))
            return b > name ? b : name;
        w = b;
    }
    return name;
}

/*
 * Indexes (key 'v') the short forms news style uses on second reference
 * for a person whose surname (`sur`, the last word) alone does not
 * cover them:
 *  - the first of two surnames, the word before the last of a name of
 *    three words or more ("Cordero" for "Rafael Cordero Peña", "Mwamba"
 *    for "Jean-Claude Mwamba Kasongo");
 *  - a surname without the particle joined to it ("Jubouri" for "Abbas
 *    al-Jubouri");
 *  - the surname before a particle and a husband's or second surname
 *    ("Menjívar" for "Claudia Menjívar de Ayala").
 * find_person asks these only for a lone word that is no known surname
 * or family name, so a full name never meets them and two people who
 * share a word are never merged through them.  The latest person wins,
 * as for surnames.
 */
static st_status index_short_forms(st_article *a, index_key *key, int id, const char *sur, size_t sl)
{
    const char *name = a->entities[id].name;
    st_status st = ST_OK;
    const char *prev = sur - 1; /* the space before the surname */
    const char *w = prev;
    while (w > name && w[-1] != ' ')
        w--;
    size_t wl = (size_t)(prev - w);
    if (w > name && st_words_has(ST_WORDS_NAME_PARTICLE, w, wl))
        w = before_particles(name, w, &wl);
    if (w > name && !no_short_form(w, wl) && (st = make_key(key, 'v', w, wl)) == ST_OK)
        st = index_put(&a->index, &a->arena, key, id);
    const char *hy = memchr(sur, '-', sl);
    if (st == ST_OK && hy && hy + 1 < sur + sl && st_words_has(ST_WORDS_NAME_PARTICLE, sur, (size_t)(hy - sur)) &&
        (st = make_key(key, 'v', hy + 1, (size_t)(sur + sl - hy - 1))) == ST_OK)
        st = index_put(&a->index, &a->arena, key, id);
    return st;
}

/* The name after an owner's possessive ("South Korea's Joint Chiefs of
 * Staff" -> "Joint Chiefs of Staff"), or the whole name. */
static const char *past_owner(const char *name)
{
    const char *poss = strstr(name, "\xe2\x80\x99s ");
    const char *plain = strstr(name, "'s ");
    if (!poss || (plain && plain < poss))
        poss = plain;
    return poss ? strchr(poss, ' ') + 1 : name;
}

/* The first " of ", " for ", " in " or " on " in name, or NULL: where
 * a body's short name ends ("International Court" of "International
 * Court of Justice"; "EU delegation" of "EU delegation in Chisinau",
 * seat_after; "Intergovernmental Authority" of "... on Development",
 * serves_on).  One pass over the name's spaces. */
static const char *first_link_word(const char *name)
{
    for (const char *p = strchr(name, ' '); p; p = strchr(p + 1, ' ')) {
        if ((p[1] == 'o' && (p[2] == 'f' || p[2] == 'n') && p[3] == ' ') ||
            (p[1] == 'i' && p[2] == 'n' && p[3] == ' ') ||
            (p[1] == 'f' && p[2] == 'o' && p[3] == 'r' && p[4] == ' '))
            return p;
    }
    return NULL;
}

/* The name after a nationality opening it ("High Commission" of "French
 * High Commission"), when two words or more follow; else the name. */
static const char *past_nationality(const char *name)
{
    const char *sp = strchr(name, ' ');
    if (!sp || !strchr(sp + 1, ' ') || !st_words_has(ST_WORDS_NATIONALITY, name, (size_t)(sp - name)))
        return name;
    return sp + 1;
}

/* A body is also called without its owner or its nationality and by
 * the words before its "of", "for" or "on" ("the Joint Chiefs" for
 * "South Korea's Joint Chiefs of Staff", "the High Commission" for "the
 * French High Commission", "the International Court" for "International
 * Court of Justice"): both index it, when the short name has two words
 * or more and no body holds it yet.  The first "of" or "for" is meant,
 * not the last ("Treatment of Prisoners of War"). */
static st_status index_short_names(st_article *a, index_key *key, int id)
{
    const char *name = a->entities[id].name, *rest = past_owner(name);
    st_status st = ST_OK;
    if (rest == name)
        rest = past_nationality(name);
    if (rest != name && (st = make_key(key, 'o', rest, strlen(rest))) == ST_OK)
        st = index_set(&a->index, &a->arena, key, id, 0, NULL);
    const char *of = first_link_word(rest);
    if (st == ST_OK && of && memchr(rest, ' ', (size_t)(of - rest)) &&
        (st = make_key(key, 'o', rest, (size_t)(of - rest))) == ST_OK)
        st = index_set(&a->index, &a->arena, key, id, 0, NULL);
    return st;
}

/* A company is called without its legal form on later references
 * ("Arvo Mining" for "Arvo Mining Ltd", "Tien Shan Gold" for "Tien Shan
 * Gold Corp"): the name before a capitalised last word of that list
 * indexes it too, when no body holds it yet. */
static st_status index_without_legal_form(st_article *a, index_key *key, int id)
{
    const char *name = a->entities[id].name;
    const char *sp = strrchr(name, ' ');
    if (!sp || !(sp[1] >= 'A' && sp[1] <= 'Z') || !st_words_has(ST_WORDS_COMPANY_SUFFIX, sp + 1, strlen(sp + 1)))
        return ST_OK;
    a->legal_form_bodies++;
    st_status st = make_key(key, 'o', name, (size_t)(sp - name));
    return st == ST_OK ? index_set(&a->index, &a->arena, key, id, 0, NULL) : st;
}

/* `key` is scratch space for index keys (the reader's, reused). */
static st_status add_entity(st_article *a, index_key *key, int kind, const char *name, size_t len,
                            size_t name_tokens, int *out)
{
    if (a->entity_count == a->entity_capacity) {
        void *items = a->entities;
        st_status st = st_grow(&items, &a->entity_capacity, a->entity_count, sizeof(entity));
        if (st != ST_OK)
            return st;
        a->entities = items;
    }
    entity *e = &a->entities[a->entity_count];
    memset(e, 0, sizeof *e);
    e->name = st_arena_strndup(&a->arena, name, len);
    if (!e->name)
        return ST_ERR_NOMEM;
    e->roles = " ";
    e->kind = kind;
    e->name_tokens = name_tokens;
    e->prev_same = -1;
    int id = (int)a->entity_count++;
    *out = id;
    /* Index the new entity: persons by surname, institutions by name. */
    st_status st;
    if (kind == ENT_PERSON) {
        size_t sl;
        const char *sur = last_word(e->name, &sl);
        st = make_key(key, 'p', sur, sl);
        if (st == ST_OK)
            st = index_set(&a->index, &a->arena, key, id, 1, &e->prev_same);
        /* Names written family name first ("Lam Wai-keung" ... "Lam"):
         * the first word finds the person too. */
        const char *sp = memchr(e->name, ' ', len);
        if (st == ST_OK && sp && (st = make_key(key, 'f', e->name, (size_t)(sp - e->name))) == ST_OK)
            st = index_set(&a->index, &a->arena, key, id, 0, NULL);
        if (st == ST_OK && sp)
            st = index_short_forms(a, key, id, sur, sl);
    } else {
        st = make_key(key, 'o', e->name, len);
        if (st == ST_OK)
            st = index_put(&a->index, &a->arena, key, id);
        if (st == ST_OK)
            st = index_initials(a, key, id);
        if (st == ST_OK)
            st = index_short_names(a, key, id);
        if (st == ST_OK)
            st = index_without_legal_form(a, key, id);
        /* By its last word, for "the union" when its president holds
         * that word as a role (resolve_role). */
        size_t wl;
        const char *w = last_word(e->name, &wl);
        if (st == ST_OK && (st = make_key(key, 'l', w, wl)) == ST_OK)
            st = index_put(&a->index, &a->arena, key, id);
    }
    return st;
}

static int has_role(const entity *e, const char *role)
{
    size_t n = strlen(role);
    for (const char *p = e->roles; (p = strstr(p, role)) != NULL; p++) {
        if (p[-1] == ' ' && p[n] == ' ')
            return 1;
    }
    return 0;
}

/* Abbreviated titles stand for the same role as the full word, so that
 * "Gov. Ortega" and "the governor" meet. */
static const char *role_key(const char *word)
{
    static const char *const pairs[][2] = {
        {"adm.", "admiral"}, {"amb.", "ambassador"}, {"brig.", "brigadier"}, {"capt.", "captain"},
        {"cmdr.", "commander"}, {"insp.", "inspector"}, {"supt.", "superintendent"},
        {"col.", "colonel"}, {"gen.", "general"}, {"gov.", "governor"}, {"lt.", "lieutenant"},
        {"maj.", "major"}, {"pres.", "president"}, {"prof.", "professor"}, {"rep.", "representative"},
        {"sen.", "senator"}, {"sgt.", "sergeant"}, {"spokesman", "spokesperson"},
        {"spokeswoman", "spokesperson"}, {"chairman", "chair"}, {"chairwoman", "chair"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        if (word[0] == pairs[i][0][0] && strcmp(word, pairs[i][0]) == 0) /* first bytes first: no call */
            return pairs[i][1];
    return word;
}

/* What a title says of a person's gender, for he/she: 1 male, 2 female. */
static int title_gender(const char *word)
{
    static const char *const male[] = {"mr.", "mr", "spokesman", "chairman", "congressman", "king", "prince",
                                       "sir", "lord", "father", "brother", "emir", "sheikh"};
    static const char *const female[] = {"mrs.", "mrs", "ms.", "ms", "miss", "spokeswoman", "chairwoman",
                                         "congresswoman", "queen", "princess", "lady", "dame", "sister"};
    for (size_t i = 0; i < sizeof male / sizeof male[0]; i++)
        if (word[0] == male[i][0] && strcmp(word, male[i]) == 0)
            return 1;
    for (size_t i = 0; i < sizeof female / sizeof female[0]; i++)
        if (word[0] == female[i][0] && strcmp(word, female[i]) == 0)
            return 2;
    return 0;
}

/* Gives entity `id` a role word and makes it the latest holder of it. */
static st_status add_role(st_article *a, index_key *key, int id, const char *role)
{
    entity *e = &a->entities[id];
    if (!e->gender)
        e->gender = title_gender(role);
    role = role_key(role);
    size_t n = strlen(role);
    st_status st = make_key(key, 'r', role, n);
    if (st == ST_OK)
        st = index_put(&a->index, &a->arena, key, id);
    if (st != ST_OK)
        return st;
    if (has_role(e, role))
        return ST_OK;
    /* A longer copy in the arena; the old one stays there unused. */
    size_t have = strlen(e->roles);
    char *grown = st_arena_alloc(&a->arena, have + n + 2);
    if (!grown)
        return ST_ERR_NOMEM;
    memcpy(grown, e->roles, have);
    memcpy(grown + have, role, n);
    grown[have + n] = ' ';
    grown[have + n + 1] = '\0';
    e->roles = grown;
    return ST_OK;
}

/* The last word of a display name (its surname). */
static const char *last_word(const char *name, size_t *len)
{
    const char *sp = strrchr(name, ' ');
    const char *w = sp ? sp + 1 : name;
    *len = strlen(w);
    return w;
}

/* ------------------------------------------------------------------ */
/* Reading state across sentences                                      */

enum { RECENT = 8 };

typedef struct reader {
    st_article *a;
    sentence_state s;
    st_buf scratch;
    index_key key;       /* index keys */
    int salient_person;  /* latest person who was a subject or speaker */
    int salient_group;   /* latest institution or place that was */
    int last_speaker;    /* entity of the latest attributed quote */
    size_t last_speaker_paragraph;
    int have_last_speaker;
    int recent[RECENT];       /* recent subject persons, most recent first */
    int prev_persons[RECENT]; /* persons named in the previous sentence */
    int prev_subject;         /* main subject of the previous sentence */
    int prev_voice;           /* body an unnamed voice ("the spokesman")
                               * spoke for as that sentence's subject */
    int kind_body;            /* latest name right after a kind noun: "state carrier X" */
    int prev_had_quote;       /* did the previous sentence hold a quote? */
    size_t prev_paragraph;
    size_t sentence;          /* index of the sentence being read */
    size_t body;              /* its first token after a dateline */
    struct pending_role *pending; /* quotes said by a role not yet named */
    size_t npending, pending_cap;
} reader;

/*
 * A quote whose speaker is a role the story has not named yet:
 * "Romania's finance minister on Tuesday accused the bank of
 * 'strangling' growth", with "Finance Minister Radu Voinea" in the next
 * paragraph, as wire ledes do.  The person named with those role words
 * within PENDING_REACH sentences takes the quote.
 */
typedef struct pending_role {
    size_t quote;
    size_t sentence;
    const char *words;   /* the role words, lower case: "finance minister" (arena) */
    const char *mention; /* the phrase as written (arena) */
} pending_role;
enum { PENDING_REACH = 3 };

/* A dateline opens a story ("GENEVA (AP) —", "JAKARTA, Indonesia —",
 * "LASK:"): capitals, commas and an agency up to a dash or colon.  It
 * names a place, never a speaker.  Returns the first token after it. */
static size_t skip_dateline(const sentence_state *s)
{
    int shouting = 0;
    for (size_t i = 0; i < s->count && i < 12; i++) {
        const token *t = &s->tokens[i];
        if (t->kind == TK_WORD) {
            if (t->flags & TF_ALLCAPS)
                shouting = 1;
            else if (!(t->flags & (TF_CAP | TF_DIGIT)))
                return 0;
            continue;
        }
        if (t->kind != TK_PUNCT)
            return 0;
        if (t->cp == 0x2014 || t->cp == 0x2013 || t->cp == '-' || t->cp == ':')
            return shouting ? i + 1 : 0;
        if (t->cp != ',' && t->cp != '(' && t->cp != ')' && t->cp != '/' && t->cp != '.')
            return 0;
    }
    return 0;
}

/* Token range text, for building names. */
static st_status append_tokens(reader *r, st_buf *out, size_t first, size_t last)
{
    out->len = 0;
    for (size_t i = first; i <= last; i++) {
        const token *t = &r->s.tokens[i];
        /* Words keep their spacing; a mark joined to a word stays joined. */
        if (out->len && i > first && t->start > r->s.tokens[i - 1].end) {
            st_status st = st_buf_push(out, ' ');
            if (st != ST_OK)
                return st;
        }
        st_status st = st_buf_append(out, r->s.text + t->start, t->end - t->start);
        if (st != ST_OK)
            return st;
    }
    st_status st = st_buf_reserve(out, 1);
    if (st != ST_OK)
        return st;
    out->data[out->len] = '\0';
    return ST_OK;
}

/* "East African Community", "the Andean Community": "Community" after
 * another capitalised word ends a body's name.  It is no institution
 * word in the lists: "the international community" names no body. */
static int capital_community(const sentence_state *s, size_t i)
{
    return tok_is(s, i, "community") && i > 0 && is_cap_word(s, i - 1);
}

/* The token after a run of Malay honorifics opening the name at
 * `start` ("Datuk Seri Azman bin Haji Rosli", "Tan Sri Kamal Idris",
 * "Haji Osman Yeop"), or `start` when none does.  A conferred rank is
 * written before the name on first reference and dropped after ("Azman
 * said"), so it is no part of the name.  A rank word that is also a
 * name ("Tan", "Sri") counts only in a run of two or more, or right
 * after an honorific the name walk stopped at (before "Sri", also a
 * place word for "Sri Lanka", or after the apostrophe that ends
 * "Dato’", a punctuation token); at
 * least one name word is left. */
#define HONORIFIC_LISTS (1u << ST_WORDS_HONORIFIC | 1u << ST_WORDS_HONORIFIC_RANK)
static size_t honorific_run_end(const sentence_state *s, size_t first, size_t start, size_t end)
{
    size_t k = start;
    size_t before = start > first && (tok_punct(s, start - 1, 0x2019) || tok_punct(s, start - 1, '\'')) ? start - 1 : start;
    int alone = before > first && tok_in(s, before - 1, ST_WORDS_HONORIFIC);
    while (k + 1 < end && (s->tokens[k].flags & TF_CAP) && (s->tokens[k].lists & HONORIFIC_LISTS)) {
        alone |= tok_in(s, k, ST_WORDS_HONORIFIC);
        k++;
    }
    return alone || k - start >= 2 ? k : start;
}

/* Is token i a plain name word (not a title, role, institution, place or
 * nationality)?  The trailing run of these is a person's name. */
static int personal_name_word(const sentence_state *s, size_t i)
{
    const token *t = &s->tokens[i];
    if (t->kind != TK_WORD || !(t->flags & TF_CAP))
        return 0;
    if (t->flags & TF_INITIAL)
        return 1;
    if (t->flags & (TF_ALLCAPS | TF_DOTTED))
        return 0;
    return !tok_in(s, i, ST_WORDS_TITLE) && !tok_in(s, i, ST_WORDS_ROLE) && !tok_in(s, i, ST_WORDS_ORG_HEAD) &&
           !tok_in(s, i, ST_WORDS_PLACE) && !tok_in(s, i, ST_WORDS_NATIONALITY) &&
           (!tok_in(s, i, ST_WORDS_NOT_NAME) || family_name_he(s, i)) && !capital_community(s, i);
}

/* Finds the person entity for a name, or -1.  A surname alone matches the
 * latest person with that surname; a full name must agree on the first
 * name when both are known. */
static int find_person(reader *r, const char *first, size_t first_len, const char *last, size_t last_len)
{
    const st_article *a = r->a;
    if (make_key(&r->key, 'p', last, last_len) != ST_OK)
        return -1;
    int found = index_get(&a->index, &r->key);
    if (found < 0 && !first) {
        key_set_kind(&r->key, 'f');
        if ((found = index_get(&a->index, &r->key)) >= 0)
            return found;
        key_set_kind(&r->key, 'v'); /* "Cordero", "Jubouri": index_short_forms */
        return index_get(&a->index, &r->key);
    }
    for (int k = found; k >= 0; k = a->entities[k].prev_same) {
        const entity *e = &a->entities[k];
        if (first && e->name_tokens >= 2) {
            size_t fl = (size_t)(strchr(e->name, ' ') - e->name);
            if (fl != first_len || strncasecmp(e->name, first, first_len) != 0)
                continue;
        }
        return (int)k;
    }
    return -1;
}

/* "the Saudi ministry" after "the Saudi Foreign Ministry": a body's
 * first word and lower-case institution word, standing for the latest
 * body holding that word whose name starts and ends the same (*out -1
 * when none). */
static st_status shortened_body(reader *r, size_t first, size_t last, int *out)
{
    sentence_state *s = &r->s;
    *out = -1;
    const token *f = &s->tokens[first], *h = &s->tokens[last];
    if (first == last || !(h->flags & TF_LOWER) || !tok_in(s, last, ST_WORDS_ORG_HEAD))
        return ST_OK;
    /* (r->scratch holds the phrase's name: only the key buffer is free.) */
    st_status st = make_key(&r->key, 'r', s->text + h->start, tok_len(h));
    if (st != ST_OK)
        return st;
    int id = index_get(&r->a->index, &r->key);
    if (id < 0 || r->a->entities[id].kind != ENT_ORG)
        return ST_OK;
    const char *name = r->a->entities[id].name;
    size_t fl = tok_len(f), wl;
    const char *w = last_word(name, &wl);
    if (strncasecmp(name, s->text + f->start, fl) != 0 || name[fl] != ' ' || wl != tok_len(h) ||
        strncasecmp(w, s->text + h->start, wl) != 0)
        return ST_OK;
    *out = id;
    return ST_OK;
}

/* "the Commission" after "the European Commission", "the Senate" after
 * "the Philippine Senate": after "the", a lone capitalised institution
 * word is the short form news uses for the body just named in full, the
 * latest body holding that word whose name ends on it (*out -1 when
 * none).  A name going on past the word ("Commission on Human Rights")
 * is another body's; so is one the word alone names. */
static st_status body_by_head(reader *r, const np *p, size_t head, int *out)
{
    sentence_state *s = &r->s;
    *out = -1;
    const token *h = &s->tokens[head];
    if (head != p->first + 1 || !tok_is(s, p->first, "the") || !(h->flags & TF_CAP) ||
        !tok_in(s, head, ST_WORDS_ORG_HEAD))
        return ST_OK;
    /* (r->scratch holds the phrase's name: only the key buffer is free.) */
    st_status st = make_key(&r->key, 'r', s->text + h->start, tok_len(h));
    if (st != ST_OK)
        return st;
    int id = index_get(&r->a->index, &r->key);
    if (id < 0 || r->a->entities[id].kind != ENT_ORG || r->a->entities[id].name_tokens < 2)
        return ST_OK;
    size_t wl;
    const char *w = last_word(r->a->entities[id].name, &wl);
    if (wl == tok_len(h) && strncasecmp(w, s->text + h->start, wl) == 0)
        *out = id;
    return ST_OK;
}

/* Remembers the acronym a body was also called by (the first one). */
static st_status note_acronym(st_article *a, entity *e, const char *acr, size_t len)
{
    if (!e->acronym && !(e->acronym = st_arena_strndup(&a->arena, acr, len)))
        return ST_ERR_NOMEM;
    return ST_OK;
}

/* "Confederation of African Football", "Agency for Energy Regulation":
 * after a capitalised institution word and "of" or "for", capitalised
 * words with no title, role or possessive among them, up to `name_start`,
 * name what the institution serves, so the words after them do too (not
 * a person "Football").  "Ministry of Defence spokesman John Smith" has
 * a role between: the name is a person's. */
/* A title or role word at k in an institution's field heads a person's
 * title when it stands right before the name ("Ministry of Defence
 * Minister John Smith"); before another word of the field it only
 * qualifies that word ("Ministry of Foreign Affairs and Worship",
 * "Ministry of Trade and Industry").  A capitalised title before a
 * single last word qualifies it too ("General Directorate of General
 * Security"): news names a new holder in full, and a holder named by
 * the surname alone is found by resolve_named first. */
static int heads_title(const sentence_state *s, size_t k, size_t name_start, size_t name_end)
{
    return k + 1 == name_start && (tok_in(s, k, ST_WORDS_TITLE) || tok_in(s, k, ST_WORDS_ROLE)) &&
           !(name_end == name_start + 1 && is_cap_word(s, k));
}

static int serves_institution(const sentence_state *s, size_t first, size_t name_start, size_t name_end)
{
    for (size_t o = first + 1; o < name_start; o++) {
        if (!serves_word(s, o) || !is_cap_word(s, o - 1) || !tok_in(s, o - 1, ST_WORDS_ORG_HEAD))
            continue;
        for (size_t k = o + 1; k < name_start; k++)
            if (!(is_cap_word(s, k) || tok_is(s, k, "the") || tok_is(s, k, "and") || tok_punct(s, k, ',')) ||
                heads_title(s, k, name_start, name_end))
                return 0;
        return 1;
    }
    return 0;
}

/* The seat after a lower-case institution word and "in" when no
 * word of the place list names it ("the Community secretariat in
 * Arusha", "the union office in Port Kembla"): one or two capitalised
 * name words from token i, none a title, role or institution word, and
 * no possessive or "of" after them (a name going on).  Returns the last
 * token, or 0. */
static size_t town_seat(const sentence_state *s, size_t i)
{
    size_t k = untitled_run_end(s, i);
    if (k == i || k > i + 2 || tok_in(s, k - 1, ST_WORDS_ORG_HEAD) ||
        (k < s->count && (s->tokens[k].kind == TK_POSS || tok_is(s, k, "of"))))
        return 0;
    return k - 1;
}

/* "The EU delegation in Chisinau", "the Russian embassy in Berlin": a
 * lower-case institution word names a kind of body, and the place after
 * "in" tells which one (a capitalised name is one already).  Returns the
 * last token of the place (words of the place list, as capitals are, or
 * a town no list holds: town_seat), or 0 when the phrase from `first`
 * to `last` has none.  A capitalised body ending on its institution
 * word or named by what it serves takes a country too ("the United
 * Nations Support Mission in Libya", "the Council of Christian Churches
 * in Madagascar"): such bodies are named for the country they work in;
 * a capital after it is only where it sits ("the Ministry of Health in
 * Nairobi"). */
static size_t seat_after(const sentence_state *s, size_t first, size_t last)
{
    if (last + 2 >= s->count || !tok_is(s, last + 1, "in"))
        return 0;
    int lower = (s->tokens[last].flags & TF_LOWER) && tok_in(s, last, ST_WORDS_ORG_HEAD);
    if (!lower && !(is_cap_word(s, last) && (tok_in(s, last, ST_WORDS_ORG_HEAD) ||
                                             serves_institution(s, first, last + 1, last + 1))))
        return 0;
    size_t end = 0;
    for (size_t k = last + 2; k < s->count && is_cap_word(s, k) && tok_in(s, k, ST_WORDS_PLACE); k++)
        end = k;
    if (lower && !end)
        end = town_seat(s, last + 2);
    if (!lower && end) {
        const token *t = &s->tokens[end];
        if (end != last + 2 || st_words_capital_country(s->text + t->start, t->end - t->start))
            return 0;
    }
    return end;
}

/* Appends " in <place>" (the words from the "in" at `in` to `end`, one
 * space apart) to the name in r->scratch, which stays NUL-terminated. */
static st_status append_seat(reader *r, size_t in, size_t end)
{
    const sentence_state *s = &r->s;
    st_status st = ST_OK;
    for (size_t k = in; k <= end && st == ST_OK; k++) {
        const token *t = &s->tokens[k];
        if ((st = st_buf_push(&r->scratch, ' ')) == ST_OK)
            st = st_buf_append(&r->scratch, s->text + t->start, tok_len(t));
    }
    if (st == ST_OK && (st = st_buf_push(&r->scratch, '\0')) == ST_OK)
        r->scratch.len--;
    return st;
}

/* "the RSF" after "the Rapid Support Forces", "a WTO spokesman" after
 * "the World Trade Organization": a lone all-capital word (not dotted,
 * "U.S.") is the body whose initials it spells, which is then also shown
 * by it.  *out is that body or -1.  Uses r->key. */
static st_status acronym_body(reader *r, size_t i, int *out)
{
    const sentence_state *s = &r->s;
    const token *t = &s->tokens[i];
    *out = -1;
    if (!(t->flags & TF_ALLCAPS) || (t->flags & TF_DOTTED))
        return ST_OK;
    st_status st = make_key(&r->key, 'a', s->text + t->start, tok_len(t));
    if (st != ST_OK)
        return st;
    *out = index_get(&r->a->index, &r->key);
    return *out >= 0 ? note_acronym(r->a, &r->a->entities[*out], s->text + t->start, tok_len(t)) : ST_OK;
}

/*
 * A body the story also calls by its acronym is shown by both, "United
 * Auto Workers (UAW)": a reader who knows it by either recognises it, and
 * a search for either finds it.  Done once reading is over, since the
 * name is an index key and is compared while reading.
 */
static st_status show_acronyms(st_article *a)
{
    for (size_t i = 0; i < a->entity_count; i++) {
        entity *e = &a->entities[i];
        if (!e->acronym || strstr(e->name, e->acronym))
            continue;
        size_t n = strlen(e->name), m = strlen(e->acronym);
        char *shown = st_arena_alloc(&a->arena, n + m + 4);
        if (!shown)
            return ST_ERR_NOMEM;
        memcpy(shown, e->name, n);
        memcpy(shown + n, " (", 2);
        memcpy(shown + n + 2, e->acronym, m);
        memcpy(shown + n + 2 + m, ")", 2);
        e->name = shown; /* the old name stays in the arena, unused */
    }
    return ST_OK;
}

/* Whether tokens [from, last] hold an institution word: "Port of
 * Rotterdam Authority" is one body, where "Ingrid Solberg of Norway" is
 * a person and her country. */
static int org_head_after(const sentence_state *s, size_t from, size_t last)
{
    for (size_t i = from; i <= last; i++)
        if (tok_in(s, i, ST_WORDS_ORG_HEAD))
            return 1;
    return 0;
}

static st_status claim_pending(reader *r, int person, size_t from, size_t to);

/* "Ould Cheikh" after "Sidi Ould Cheikh", "García Lorca" after "Ana
 * García Lorca": a name of two words or more that ends a known person's
 * fuller name is that person (a particle or a double surname, not a
 * first name that disagrees).  Case aside: a particle takes a capital
 * where it opens the sentence ("Van Dijk said" after "Pieter van
 * Dijk").  r->key must still hold the surname key
 * find_person built, which add_entity then uses. */
static int name_tail_of(reader *r, const char *name, size_t len)
{
    const st_article *a = r->a;
    for (int k = index_get(&a->index, &r->key); k >= 0; k = a->entities[k].prev_same) {
        const entity *e = &a->entities[k];
        size_t el = strlen(e->name);
        if (e->kind == ENT_PERSON && el > len && e->name[el - len - 1] == ' ' &&
            strncasecmp(e->name + el - len, name, len) == 0)
            return k;
    }
    return -1;
}

/* "bin", "ibn", "bint": a particle of descent, "son (daughter) of", that
 * opens the father's name inside a person's ("Suleiman bin Hamad
 * Khamis"); news names such a person later by it ("Bin Hamad said"). */
static int descent_particle(const sentence_state *s, size_t i)
{
    return tok_in(s, i, ST_WORDS_DESCENT);
}

/* Does the person's name hold the words of tokens [from, to], spaced as
 * names are, after its first word? */
static int name_holds_words(const sentence_state *s, const char *name, size_t from, size_t to)
{
    for (const char *sp = strchr(name, ' '); sp; sp = strchr(sp + 1, ' ')) {
        const char *q = sp + 1;
        size_t t = from;
        for (; t <= to; t++) {
            const token *w = &s->tokens[t];
            if (strncasecmp(q, s->text + w->start, tok_len(w)) != 0)
                break;
            q += tok_len(w);
            if (t < to && *q++ != ' ')
                break;
        }
        if (t > to && (*q == ' ' || *q == '\0'))
            return 1;
    }
    return 0;
}

/* "Bin Hamad said", ""...," bin Hamad said": a particle of descent and
 * the father's name, found in no person's surname, name the latest
 * person whose full name holds them ("Suleiman bin Hamad Khamis"), or
 * -1.  The name tokens are [name_start, name_end); a lower-case
 * particle stands before them.  Asked only for a name of one or two
 * words that found nobody. */
static int person_by_descent(reader *r, size_t first, size_t name_start, size_t name_end)
{
    const sentence_state *s = &r->s;
    size_t d = name_end;
    if (name_end - name_start == 2 && descent_particle(s, name_start))
        d = name_start;
    else if (name_end - name_start == 1 && name_start > first && descent_particle(s, name_start - 1))
        d = name_start - 1;
    if (d == name_end)
        return -1;
    const st_article *a = r->a;
    for (size_t k = a->entity_count; k-- > 0;) {
        const entity *e = &a->entities[k];
        if (e->kind == ENT_PERSON && e->name_tokens > 2 && name_holds_words(s, e->name, d, name_end - 1))
            return (int)k;
    }
    return -1;
}

/* "Gov. Ortega" when the story has a Governor Rafael Ortega and a
 * Senator Marta Ortega: of the people with the surname, the latest who
 * holds a title of tokens [from, to) is meant, not merely the latest
 * named.  *id (the latest) stays when none holds one. */
static st_status titled_namesake(reader *r, size_t from, size_t to, int *id)
{
    const sentence_state *s = &r->s;
    const st_article *a = r->a;
    for (size_t i = from; i < to; i++) {
        if (!tok_in(s, i, ST_WORDS_TITLE) && !tok_in(s, i, ST_WORDS_ROLE))
            continue;
        const token *t = &s->tokens[i];
        st_status st = lower_copy(&r->scratch, s->text + t->start, tok_len(t));
        if (st != ST_OK)
            return st;
        const char *role = role_key(r->scratch.data);
        for (int k = *id; k >= 0; k = a->entities[k].prev_same) {
            if (has_role(&a->entities[k], role)) {
                *id = k;
                return ST_OK;
            }
        }
    }
    return ST_OK;
}

static inline int is_speech_verb(const sentence_state *s, size_t i);

/* "Talks resumed in Oslo", "Residents of Lorn reported": a lone word
 * that opens the sentence is capitalised by its place, so the capital
 * says nothing of a name.  Unless the sentence has it speak (the way news
 * brings in a speaker by one name: "Karimi said"; or a quote its own),
 * it stands for a person or body only when the story already named one
 * by it; otherwise it is nobody, so that a later "she", or a quote
 * standing alone after the sentence, does not go to it. */
static int capital_by_position(const reader *r, const np *p, size_t name_start)
{
    const sentence_state *s = &r->s;
    if (name_start != r->body || p->first != name_start || is_speech_verb(s, (size_t)p->verb))
        return 0;
    /* "Naypyitaw rejected the report as '...'": a quote with no verb of
     * speech in its sentence is the subject's (the partial-quote rule),
     * so the sentence does make the word a speaker. */
    if (!s->quotes)
        return 1;
    for (size_t i = 0; i < s->count; i++)
        if (is_speech_verb(s, i))
            return 1;
    return 0;
}

/* "San Salvador", "Buenos Aires", "Kuala Lumpur": tokens i and i + 1,
 * two capitalised words one space apart, spell a capital of two words.
 * Returns its country, or NULL. */
static const char *two_word_capital(const sentence_state *s, size_t i)
{
    if (i + 1 >= s->count || !is_cap_word(s, i) || !is_cap_word(s, i + 1))
        return NULL;
    const token *a = &s->tokens[i], *b = &s->tokens[i + 1];
    if (b->start != a->end + 1 || s->text[a->end] != ' ')
        return NULL;
    return st_words_capital_country(s->text + a->start, b->end - a->start);
}

/* The country the capital at tokens [first, last] stands for ("Lima",
 * "San Salvador"), or NULL.  Every capital of one word is in the place
 * list (tests/test_words_table.c): the token's list bits spare most
 * words the search.  Kept out of resolve_named, whose every phrase would
 * otherwise pay for the code. */
static __attribute__((noinline)) const char *capital_named(const sentence_state *s, size_t first, size_t last)
{
    if (last == first + 1)
        return two_word_capital(s, first);
    if (first != last || !tok_in(s, first, ST_WORDS_PLACE))
        return NULL;
    const token *t = &s->tokens[first];
    return st_words_capital_country(s->text + t->start, t->end - t->start);
}

/* Resolves a name-bearing or institution phrase to an entity, creating it. */
/* "Ministry of Health Minister Okafor" after Okafor was named: one
 * word after a capitalised title is the person the story knows. */
static int known_titled_surname(reader *r, size_t name_start, size_t name_end)
{
    const sentence_state *s = &r->s;
    if (name_end != name_start + 1 || !is_cap_word(s, name_start - 1) ||
        !(tok_in(s, name_start - 1, ST_WORDS_TITLE) || tok_in(s, name_start - 1, ST_WORDS_ROLE)))
        return 0;
    const token *t = &s->tokens[name_start];
    return find_person(r, NULL, 0, s->text + t->start, t->end - t->start) >= 0;
}

/* "Arvo Mining said" after "Arvo Mining Ltd": a name with no title
 * before it that a company was indexed by without its legal form
 * (index_without_legal_form) is that company, not a person: *known. */
static st_status company_without_legal_form(reader *r, size_t first, size_t end, int *known)
{
    st_status st = append_tokens(r, &r->scratch, first, end - 1);
    if (st == ST_OK)
        st = make_key(&r->key, 'o', r->scratch.data, r->scratch.len);
    if (st != ST_OK)
        return st;
    int id = index_get(&r->a->index, &r->key);
    *known = id >= 0 && r->a->entities[id].kind == ENT_ORG;
    return ST_OK;
}

static st_status token_role(reader *r, size_t t, int id);

/* Does a linking word of a foreign body's name (name_link: "für", "do",
 * "pour"), with at most two particles after it ("für den", "pour le"),
 * stand right before token `start`, after `first`? */
static int linked_name(const sentence_state *s, size_t first, size_t start)
{
    size_t k = start;
    while (k > first + 1 && k + 2 > start && tok_in(s, k - 1, ST_WORDS_NAME_PARTICLE))
        k--;
    return k > first + 1 && tok_in(s, k - 1, ST_WORDS_NAME_LINK);
}

/* The name words start at token k, right after "of" or "for" (or "of
 * the") that follows a title, not an institution: "Secretary of
 * Commerce ...", "Secretary of the Interior ...". */
static int titled_serves(const sentence_state *s, size_t first, size_t k)
{
    if (k > first + 2 && tok_is(s, k - 1, "the") && tok_is(s, k - 2, "of"))
        k--;
    return k > first + 1 && serves_word(s, k - 1) &&
           (tok_in(s, k - 2, ST_WORDS_TITLE) || tok_in(s, k - 2, ST_WORDS_ROLE)) &&
           !tok_in(s, k - 2, ST_WORDS_ORG_HEAD);
}

static st_status resolve_named(reader *r, np *p, int subject)
{
    sentence_state *s = &r->s;
    st_article *a = r->a;
    size_t first = p->first;
    if (is_determiner(s, first))
        first++;
    /* The personal name: the trailing run of plain capitalised words,
     * before an "of" that gives a person's country ("Ingrid Solberg of
     * Norway"). */
    size_t name_end = p->last + 1, name_start;
    for (size_t o = first + 1; o <= p->last; o++) {
        if (tok_is(s, o, "of") && personal_name_word(s, o - 1) && !org_head_after(s, o + 1, p->last)) {
            name_end = o;
            break;
        }
    }
    name_start = name_end;
    for (;;) {
        if (name_start > first && personal_name_word(s, name_start - 1)) {
            name_start--;
            continue;
        }
        /* "Hassan Sheikh Mohamud", "Abdirahman Sheikh Nur Warsame":
         * "Sheikh" after a given name is a word of the name (Somali and
         * South Asian names), not the title it is before a name
         * ("Foreign Minister Sheikh Abdullah"). */
        if (name_start > first + 1 && tok_in(s, name_start - 1, ST_WORDS_TITLE) && tok_is(s, name_start - 1, "sheikh") &&
            is_cap_word(s, name_start - 1) && personal_name_word(s, name_start - 2)) {
            name_start -= 2;
            continue;
        }
        /* "de la Cruz", "van der Kamp": a run of particles belongs to
         * the name when a name word stands before it. */
        size_t k = name_start;
        while (k > first && k + 3 > name_start && tok_in(s, k - 1, ST_WORDS_NAME_PARTICLE))
            k--;
        if (k == name_start || k == first || !personal_name_word(s, k - 1))
            break;
        name_start = k - 1;
    }
    /* "Director General Sofia Brandt": a place name right before a
     * personal name is a first name. */
    if (name_start > first && name_start < name_end && personal_name_word(s, name_end - 1) &&
        tok_in(s, name_start - 1, ST_WORDS_PLACE) && !tok_in(s, name_start - 1, ST_WORDS_TITLE) &&
        !tok_in(s, name_start - 1, ST_WORDS_NATIONALITY) && !(s->tokens[name_start - 1].flags & TF_ALLCAPS) &&
        (name_start - 1 == first || !tok_in(s, name_start - 2, ST_WORDS_PLACE)))
        name_start--;
    /* A Malay honorific opening the name marks a person, as a title
     * does, and is no part of the name. */
    int honorific = 0;
    if (name_start < name_end && (s->tokens[name_start].lists & HONORIFIC_LISTS)) {
        size_t past = honorific_run_end(s, first, name_start, name_end);
        honorific = past > name_start;
        name_start = past;
    }
    /* "Secretary of Commerce Mark Delaney", "Minister for Fisheries Anton
     * Belsky": after a title (not an institution) and "of" or "for", the
     * first word names the office's field and the words after it the
     * holder, when two or more of them are left. */
    if (name_start > first + 1 && name_end - name_start >= 3 && titled_serves(s, first, name_start))
        name_start++;
    /* "Vice Minister of Water Resources and Irrigation Yerzhan Tolegenov":
     * after "and" in a title's field, the first word ends the field. */
    else if (name_start > first + 1 && tok_is(s, name_start - 1, "and") &&
             titled_field_before(s, first, name_start - 1))
        name_start = name_end - name_start >= 3 ? name_start + 1 : name_end;
    /* "Bureau of African Affairs", "Office of the Water Regulator",
     * "Minister for Fisheries": words after "of" (or "for" after a title)
     * name a thing, not a person. */
    if (name_start > first && name_start < name_end &&
        (serves_word(s, name_start - 1) ||
         (name_start - 1 > first && tok_is(s, name_start - 1, "the") && serves_word(s, name_start - 2))))
        name_start = name_end;
    /* "Procter & Gamble", "Korea Hydro & Nuclear Power": the words after
     * an ampersand end a company's name, never a person's. */
    if (name_start > first && tok_punct(s, name_start - 1, '&'))
        name_start = name_end;
    /* "Fundação do Sol", "Wasser für den Sahel": the words after a
     * foreign body's linking word (past its articles) end the body's
     * name, never a person's. */
    else if (name_start > first && linked_name(s, first, name_start))
        name_start = name_end;
    if (name_start < name_end && serves_institution(s, first, name_start, name_end) &&
        !known_titled_surname(r, name_start, name_end))
        name_start = name_end;
    size_t name_tokens = name_end - name_start;
    st_status st;
    int prefix_role = honorific;
    for (size_t i = first; i < name_start; i++)
        if (tok_in(s, i, ST_WORDS_TITLE) || tok_in(s, i, ST_WORDS_ROLE))
            prefix_role = 1;
    /* "the gas company Rusgaz", "the ruling party Georgian Unity": a name
     * right after an institution word is the institution's, unless that
     * word is a title's field ("Secretary of the Treasury Ana Ruiz") or
     * ends one ("Minister of Foreign Affairs Ana Ruiz", "Minister of
     * Justice and Constitutional Affairs Ana Ruiz"). */
    int org_marked = name_start > first && tok_in(s, name_start - 1, ST_WORDS_ORG_HEAD) &&
                     !tok_in(s, name_start - 1, ST_WORDS_TITLE) && !titled_serves(s, first, name_start - 1) &&
                     !titled_field_before(s, first, name_start - 1);
    /* "Georgian Unity": a nationality and one name is a body, not a person. */
    int only_nationality = name_start > first && name_tokens == 1;
    for (size_t i = first; i < name_start && only_nationality; i++)
        if (!tok_in(s, i, ST_WORDS_NATIONALITY))
            only_nationality = 0;
    int by_position = name_tokens == 1 && subject && !prefix_role && capital_by_position(r, p, name_start);
    int is_person = 0;
    if (!org_marked && !only_nationality &&
        (name_tokens >= 2 || (name_tokens == 1 && (prefix_role || (subject && !by_position)))))
        is_person = 1;
    /* "San Salvador said", "Buenos Aires said": a capital of two words
     * names no person (it stands for its government, as "Lima" does). */
    if (is_person && name_tokens == 2 && name_start == first && two_word_capital(s, name_start))
        is_person = 0;
    if (is_person && a->legal_form_bodies && name_start == first) {
        int known = 0;
        if ((st = company_without_legal_form(r, first, name_end, &known)) != ST_OK)
            return st;
        is_person = !known;
    }
    /* The institution word before the name ("the space corporation
     * Orbita"), a role of the body: "the corporation" later is it. */
    size_t marker = 0;
    if (org_marked && name_tokens > 0) {
        marker = name_start - 1;
        first = name_start; /* display the institution's own name */
    }
    if (name_tokens == 1 && !is_person && !org_marked && !only_nationality) {
        const token *t = &s->tokens[name_start];
        size_t dummy_len = t->end - t->start;
        if (find_person(r, NULL, 0, s->text + t->start, dummy_len) >= 0)
            is_person = 1;
    }
    if (is_person) {
        const token *lt = &s->tokens[name_end - 1];
        const token *ft = &s->tokens[name_start];
        const char *fname = name_tokens >= 2 ? s->text + ft->start : NULL;
        size_t flen = name_tokens >= 2 ? ft->end - ft->start : 0;
        int id = find_person(r, fname, flen, s->text + lt->start, lt->end - lt->start);
        if (id >= 0 && name_tokens == 1 && prefix_role && a->entities[id].prev_same >= 0 &&
            (st = titled_namesake(r, first, name_start, &id)) != ST_OK)
            return st;
        if ((st = append_tokens(r, &r->scratch, name_start, name_end - 1)) != ST_OK)
            return st;
        if (id < 0 && name_tokens >= 2)
            id = name_tail_of(r, r->scratch.data, r->scratch.len);
        if (id < 0 && name_tokens <= 2)
            id = person_by_descent(r, first, name_start, name_end);
        if (id < 0) {
            if ((st = add_entity(a, &r->key, ENT_PERSON, r->scratch.data, r->scratch.len, name_tokens, &id)) != ST_OK)
                return st;
        } else if (name_tokens > a->entities[id].name_tokens) {
            /* A fuller form of the name: keep it for display. */
            const char *longer = st_arena_strndup(&a->arena, r->scratch.data, r->scratch.len);
            if (!longer)
                return ST_ERR_NOMEM;
            a->entities[id].name = longer;
            a->entities[id].name_tokens = name_tokens;
        }
        for (size_t i = first; i < name_start; i++) {
            if (tok_in(s, i, ST_WORDS_TITLE) || tok_in(s, i, ST_WORDS_ROLE) || tok_in(s, i, ST_WORDS_ORG_HEAD)) {
                const token *t = &s->tokens[i];
                if ((st = lower_copy(&r->scratch, s->text + t->start, t->end - t->start)) != ST_OK)
                    return st;
                if ((st = add_role(a, &r->key, id, r->scratch.data)) != ST_OK)
                    return st;
            }
        }
        p->kind = NP_PERSON;
        p->entity = id;
        return r->npending && name_start > first ? claim_pending(r, id, first, name_start) : ST_OK;
    }
    /* An institution or place: the phrase itself, without "the" and a
     * trailing possessive. */
    size_t last = p->last;
    while (last > first && s->tokens[last].kind == TK_POSS)
        last--;
    /* "The Hague", "The Gambia": names that carry their article. */
    if (first > p->first && tok_is(s, p->first, "the") && first == last && tok_in(s, first, ST_WORDS_ARTICLE_PLACE))
        first = p->first;
    /* "the paramilitary Northern Brigades": the name starts at its
     * first capital; but "the government of the Comoros" is the state's
     * government, a body named with its institution word, not the state. */
    if (first < last && (s->tokens[first].flags & TF_LOWER) && !institution_of_state(s, first, last))
        while (first < last && s->tokens[first].kind == TK_WORD && (s->tokens[first].flags & TF_LOWER))
            first++;
    if ((st = append_tokens(r, &r->scratch, first, last)) != ST_OK)
        return st;
    size_t seat = first < last ? seat_after(s, first, last) : 0;
    if (seat && (st = append_seat(r, last + 1, seat)) != ST_OK)
        return st;
    /* A capital standing for its government ("Lima said"): keep the
     * article's word and name the country, so readers and the report
     * see whose voice it is. */
    const char *country = seat ? NULL : capital_named(s, first, last);
    if (country) {
        if ((st = st_buf_append(&r->scratch, " (", 2)) != ST_OK ||
            (st = st_buf_append(&r->scratch, country, strlen(country))) != ST_OK ||
            (st = st_buf_append(&r->scratch, ")", 2)) != ST_OK)
            return st;
        r->scratch.len--; /* the NUL appended with ")" */
    }
    if ((st = make_key(&r->key, 'o', r->scratch.data, r->scratch.len)) != ST_OK)
        return st;
    int id = index_get(&a->index, &r->key);
    if (id < 0 && first == last && (st = acronym_body(r, first, &id)) != ST_OK)
        return st;
    if (id < 0 && (st = shortened_body(r, first, last, &id)) != ST_OK)
        return st;
    if (id < 0 && first == last && (st = body_by_head(r, p, first, &id)) != ST_OK)
        return st;
    if (id < 0 && by_position) {
        p->kind = NP_ORG; /* nobody the story knows: no new body either */
        p->entity = -1;
        return ST_OK;
    }
    if (id < 0 && (st = add_entity(a, &r->key, ENT_ORG, r->scratch.data, r->scratch.len, last - first + 1, &id)) != ST_OK)
        return st;
    for (size_t i = first; i <= last; i++) {
        if (tok_in(s, i, ST_WORDS_ORG_HEAD) || tok_in(s, i, ST_WORDS_ROLE)) {
            const token *t = &s->tokens[i];
            if ((st = lower_copy(&r->scratch, s->text + t->start, t->end - t->start)) != ST_OK)
                return st;
            if ((st = add_role(a, &r->key, id, r->scratch.data)) != ST_OK)
                return st;
        }
    }
    if (marker && (st = token_role(r, marker, id)) != ST_OK)
        return st;
    p->kind = NP_ORG;
    p->entity = id;
    return ST_OK;
}

static st_status resolve_named(reader *r, np *p, int subject);

/* The body an unnamed source speaks for ("a Kremlin spokesman", "a
 * Commission official"): a body the article named before - by its name
 * or by its institution word ("the European Commission" ... "a
 * Commission spokesman") - or one named by an institution word itself
 * ("a Pentagon official").  A nationality or a word nobody was named by
 * ("a Western diplomat") names no body.  The role then belongs to the
 * body, so that "the spokesman" later speaks for it too. */
/* "spokesman", "spokeswoman", "spokesperson": a word for the voice of
 * a body, never a source of its own. */
static int spokes_word(const sentence_state *s, size_t i)
{
    const token *t = &s->tokens[i];
    return tok_len(t) > 6 && memcmp(s->text + t->start, "spokes", 6) == 0;
}

/* "The Dutch Foreign Ministry said it was "...," and a spokesman said
 * ...": an unnamed spokesman speaking in a clause joined by "and" to one
 * where a body spoke speaks for that body (news adds its voice's words
 * to the body's), and holds the word as a role, as in "a Kremlin
 * spokesman" (resolve_unnamed_voice).  The body is the sentence's first
 * one outside a prepositional phrase that a speech verb follows. */
static st_status voice_after_body_spoke(reader *r, np *p)
{
    const sentence_state *s = &r->s;
    if (p->first == 0 || !tok_is(s, p->first - 1, "and") || !spokes_word(s, p->last) || p->verb < 0 ||
        !is_speech_verb(s, (size_t)p->verb))
        return ST_OK;
    for (size_t k = 0; k < s->np_count; k++) {
        const np *x = &s->nps[k];
        if (x->entity < 0 || r->a->entities[x->entity].kind != ENT_ORG || x->verb < 0 ||
            !is_speech_verb(s, (size_t)x->verb) || (x->first > 0 && tok_in(s, x->first - 1, ST_WORDS_PREPOSITION)))
            continue;
        const token *h = &s->tokens[p->last];
        st_status st = lower_copy(&r->scratch, s->text + h->start, tok_len(h));
        if (st == ST_OK)
            st = add_role(r->a, &r->key, x->entity, r->scratch.data);
        if (st == ST_OK)
            p->entity = x->entity;
        return st;
    }
    return ST_OK;
}

static st_status resolve_unnamed_voice(reader *r, np *p)
{
    sentence_state *s = &r->s;
    st_article *a = r->a;
    size_t f = p->first + 1, l = p->last;
    while (l > f && !is_cap_word(s, l - 1))
        l--;
    if (l == f)
        return voice_after_body_spoke(r, p);
    np body = {f, l - 1, NP_ORG, -1, -1};
    st_status st = append_tokens(r, &r->scratch, body.first, body.last);
    if (st == ST_OK)
        st = make_key(&r->key, 'o', r->scratch.data, r->scratch.len);
    if (st != ST_OK)
        return st;
    int id = index_get(&a->index, &r->key);
    if (id < 0 && body.first == body.last && (st = acronym_body(r, body.first, &id)) != ST_OK)
        return st;
    int institution = tok_in(s, body.last, ST_WORDS_ORG_HEAD) || tok_in(s, body.last, ST_WORDS_ROLE);
    if (id < 0 && institution && body.first == body.last) {
        const token *t = &s->tokens[body.first];
        if ((st = lower_copy(&r->scratch, s->text + t->start, tok_len(t))) != ST_OK)
            return st;
        const char *word = role_key(r->scratch.data);
        if ((st = make_key(&r->key, 'r', word, strlen(word))) != ST_OK)
            return st;
        id = index_get(&a->index, &r->key);
    }
    /* "a Pentagon official", "a Finance Ministry official": the body. */
    if (id < 0 && institution && (st = resolve_named(r, &body, 0)) == ST_OK)
        id = body.entity;
    if (st != ST_OK || id < 0 || a->entities[id].kind != ENT_ORG)
        return st;
    const token *h = &s->tokens[p->last];
    if ((st = lower_copy(&r->scratch, s->text + h->start, tok_len(h))) != ST_OK ||
        (st = add_role(a, &r->key, id, r->scratch.data)) != ST_OK)
        return st;
    p->entity = id;
    return ST_OK;
}

/* "the group", "the movement", "the coalition": words a story uses to
 * refer back to the armed group, party or alliance it has just named
 * ("The M23 said ... the rebel group said"), as it does with "the
 * company" and "the party" (role words already).  Not "the police" or
 * "the court": those are too often another body than the story's. */
static int collective_word(const sentence_state *s, size_t i)
{
    return tok_in(s, i, ST_WORDS_COLLECTIVE);
}

/* The latest institution whose name ends in the word ("the union" ->
 * Mineworkers' Solidarity Union), or -1.  `key` is scratch space. */
static st_status body_named_by(st_article *a, index_key *key, const char *word, size_t len, int *out)
{
    st_status st = make_key(key, 'l', word, len);
    *out = st == ST_OK ? index_get(&a->index, key) : -1;
    return st;
}

/* "the ad hoc committee of bondholders", "the association of
 * importers": a definite institution word with "of" and one or two
 * lower-case words ending in a plural describes a body of its own, not
 * one named before.  Returns the token after the description, or
 * p->last when the phrase has none. */
static size_t described_body_end(const sentence_state *s, const np *p)
{
    if (!tok_is(s, p->first, "the") || p->last + 2 >= s->count || !tok_is(s, p->last + 1, "of"))
        return p->last;
    for (size_t k = p->last + 2; k < s->count && k < p->last + 4; k++) {
        const token *t = &s->tokens[k];
        if (t->kind != TK_WORD || !(t->flags & TF_LOWER) || is_determiner(s, k) || tok_in(s, k, ST_WORDS_PREPOSITION) ||
            tok_in(s, k, ST_WORDS_VERBISH) || tok_in(s, k, ST_WORDS_SPEECH_VERB) || tok_in(s, k, ST_WORDS_AUX_ADVERB))
            return p->last;
        if (s->text[t->end - 1] == 's' && tok_len(t) > 3 && !ends_with(s, k, "ss"))
            return k;
    }
    return p->last;
}

static long verb_after(const sentence_state *s, size_t i);

/* The body of a described phrase (described_body_end): found by its
 * words, or a new one named by them ("ad hoc committee of
 * bondholders"); its institution word becomes its role, so that "the
 * committee" later finds it. */
static st_status add_described_body(reader *r, np *p, size_t end)
{
    st_article *a = r->a;
    st_status st = append_tokens(r, &r->scratch, p->first + 1, end);
    if (st == ST_OK)
        st = make_key(&r->key, 'o', r->scratch.data, r->scratch.len);
    if (st != ST_OK)
        return st;
    int id = index_get(&a->index, &r->key);
    if (id < 0 && (st = add_entity(a, &r->key, ENT_ORG, r->scratch.data, r->scratch.len, end - p->first, &id)) != ST_OK)
        return st;
    const token *h = &r->s.tokens[p->last];
    if ((st = lower_copy(&r->scratch, r->s.text + h->start, tok_len(h))) != ST_OK ||
        (st = add_role(a, &r->key, id, r->scratch.data)) != ST_OK)
        return st;
    /* The phrase takes in its description, so that a verb after it
     * (past an apposition) has it as subject. */
    p->last = end;
    p->verb = verb_after(&r->s, end);
    p->entity = id;
    return ST_OK;
}

/* "the foreign minister" after "Foreign Minister Amara Diallo" and then
 * "Mauritania's oil minister, Sidi Ould Cheikh": the latest minister is
 * the wrong one.  When *holder, the latest holder of the phrase's head
 * role `head` (which may live in r->scratch), lacks another title word
 * of the phrase, the latest holder of that word who also holds the head
 * role is meant. */
static st_status holder_of_all(reader *r, const np *p, const char *head, int *holder)
{
    sentence_state *s = &r->s;
    st_article *a = r->a;
    const char *head_copy = NULL; /* head may live in r->scratch, reused below */
    for (size_t k = p->first; k < p->last; k++) {
        if (!tok_in(s, k, ST_WORDS_TITLE) || tok_in(s, k, ST_WORDS_ORG_HEAD))
            continue;
        if (!head_copy && !(head_copy = head = st_arena_strndup(&a->arena, head, strlen(head))))
            return ST_ERR_NOMEM;
        const token *t = &s->tokens[k];
        st_status st = lower_copy(&r->scratch, s->text + t->start, tok_len(t));
        if (st != ST_OK)
            return st;
        const char *word = role_key(r->scratch.data);
        if (has_role(&a->entities[*holder], word))
            continue;
        if ((st = make_key(&r->key, 'r', word, strlen(word))) != ST_OK)
            return st;
        int other = index_get(&a->index, &r->key);
        if (other >= 0 && a->entities[other].kind == ENT_PERSON && has_role(&a->entities[other], head)) {
            *holder = other;
            return ST_OK;
        }
    }
    return ST_OK;
}

/* Someone known to be a person, by a title, a role or a pronoun.  (Names
 * of bodies with no institution word, "Bafokeng Platinum", "Polar Harbour
 * Holdings", are read as persons of no gender and no role.) */
static int known_person(const entity *e)
{
    return e->kind == ENT_PERSON && (e->gender || strcmp(e->roles, " ") != 0);
}

/* "a Hong Kong company" gives a body named only by its description:
 * its name ends in a word with no capital. */
static int described_only(const entity *e)
{
    size_t len;
    const char *w = e->kind == ENT_ORG ? last_word(e->name, &len) : NULL;
    return w && len && *w >= 'a' && *w <= 'z';
}

/* "... a Hong Kong company's purchase ... The buyer, Polar Harbour
 * Holdings, said ... The company said": a body the story described
 * before it named it.  When the holder of a body's role word is such a
 * description and the previous subject is a body named in full, the
 * role word is that body's from now on. */
static st_status named_after_description(reader *r, const char *role, int *holder)
{
    st_article *a = r->a;
    int prev = r->prev_subject;
    if (prev < 0 || prev == *holder || known_person(&a->entities[prev]) || described_only(&a->entities[prev]) ||
        !described_only(&a->entities[*holder]))
        return ST_OK;
    *holder = prev;
    return add_role(a, &r->key, prev, role);
}

/* "statement", "communique": the documents (of the document list) that
 * speak for a body with no owner named before them ("the statement
 * said", "an ADB statement"); after a possessive any document of the
 * list does (owner_possessive). */
static int issued_document(const sentence_state *s, size_t k)
{
    return tok_in(s, k, ST_WORDS_ISSUED_DOCUMENT);
}

/* "the minister", "the statement": the latest entity with that role. */
static st_status resolve_role(reader *r, np *p)
{
    sentence_state *s = &r->s;
    st_article *a = r->a;
    const token *head = &s->tokens[p->last];
    st_status st = lower_copy(&r->scratch, s->text + head->start, head->end - head->start);
    if (st != ST_OK)
        return st;
    p->entity = -1;
    /* A statement or a communique speaks for the body that issued it:
     * the latest institution that spoke. */
    if (issued_document(s, p->last)) {
        p->entity = r->salient_group;
        return ST_OK;
    }
    /* "a spokesman said": an unnamed source is nobody the reader can name
     * (unless an apposition names them, see read_sentence); "a Kremlin
     * spokesman" speaks for the Kremlin. */
    if (tok_is(s, p->first, "a") || tok_is(s, p->first, "an"))
        return resolve_unnamed_voice(r, p);
    /* "the army" alone is the body even when a person took the word as
     * a role ("the army's spokesman, General X"): "the union leader"
     * finds that person, "the army said" does not. */
    size_t lead = is_determiner(s, p->first) ? p->first + 1 : p->first;
    int bare_body = lead == p->last && tok_in(s, p->last, ST_WORDS_ORG_HEAD);
    /* The head first ("the union leader" -> leader), then the other role
     * words of the phrase (-> union). */
    for (size_t k = p->last + 1; k-- > p->first;) {
        if (!tok_in(s, k, ST_WORDS_ROLE) && !tok_in(s, k, ST_WORDS_TITLE) && !tok_in(s, k, ST_WORDS_ORG_HEAD))
            continue;
        const token *t = &s->tokens[k];
        if ((st = lower_copy(&r->scratch, s->text + t->start, t->end - t->start)) != ST_OK)
            return st;
        const char *role = role_key(r->scratch.data);
        if ((st = make_key(&r->key, 'r', role, strlen(role))) != ST_OK)
            return st;
        int holder = index_get(&a->index, &r->key);
        if (holder >= 0 && bare_body && a->entities[holder].kind == ENT_PERSON &&
            (st = body_named_by(a, &r->key, s->text + s->tokens[p->last].start, tok_len(&s->tokens[p->last]),
                                &holder)) != ST_OK)
            return st;
        if (holder >= 0 && k == p->last && a->entities[holder].kind == ENT_PERSON &&
            (st = holder_of_all(r, p, role, &holder)) != ST_OK)
            return st;
        if (holder >= 0 && k == p->last && bare_body && a->entities[holder].kind == ENT_ORG &&
            (st = named_after_description(r, role, &holder)) != ST_OK)
            return st;
        if (holder >= 0) {
            p->entity = holder;
            return ST_OK;
        }
    }
    /* "The ad hoc committee of bondholders said": a body the phrase
     * describes, named by it. */
    size_t end = tok_in(s, p->last, ST_WORDS_ORG_HEAD) ? described_body_end(s, p) : p->last;
    if (end > p->last)
        return add_described_body(r, p, end);
    /* "Bafokeng Platinum rejected the demand. ... the company said": an
     * institution word with no holder is the body the story just named.
     * ("the police", "the court" with no holder name nobody: they are
     * too often another body than the story's.) */
    int kind_noun = tok_in(s, p->last, ST_WORDS_BODY_KIND);
    if (kind_noun || (tok_in(s, p->last, ST_WORDS_ORG_HEAD) &&
                      (tok_in(s, p->last, ST_WORDS_ROLE) || collective_word(s, p->last)))) {
        /* A body, never someone known to be a person (by a title, a
         * role or a pronoun): "Interior Minister Ferraresi said ... a
         * spokesman for the government" is not Ferraresi.  (Two-word
         * company names read as persons, "Bafokeng Platinum", and they
         * do stay candidates.) */
        int prev = r->prev_subject;
        /* "the airline" after "state carrier Aerolíneas Argentinas": the
         * body a kind noun named, before any name read as a person. */
        if (kind_noun && r->kind_body >= 0 && (prev < 0 || a->entities[prev].kind == ENT_PERSON))
            p->entity = r->kind_body;
        else
            p->entity = prev >= 0 && !known_person(&a->entities[prev]) ? prev : r->salient_group;
    }
    return ST_OK;
}

/* A phrase that is not a pronoun: a role standing for someone named
 * before ("the minister", "the NATO chief"), or a name or institution. */
static st_status resolve_phrase(reader *r, np *p, int subject)
{
    sentence_state *s = &r->s;
    size_t f = is_determiner(s, p->first) ? p->first + 1 : p->first;
    int names = 0;
    for (size_t k = f; k <= p->last; k++)
        if (is_cap_word(s, k) && !tok_in(s, k, ST_WORDS_TITLE) && !tok_in(s, k, ST_WORDS_ROLE))
            names = 1;
    const token *head = &s->tokens[p->last];
    int head_role = head->kind == TK_WORD && (tok_in(s, p->last, ST_WORDS_ROLE) ||
                                              (!names && tok_in(s, p->last, ST_WORDS_TITLE)) ||
                                              (!names && org_head_word(s, p->last)));
    if (head_role && !(head->flags & TF_CAP)) {
        /* "the Peruvian and Chilean joint statement" is a source of its own. */
        int document = issued_document(s, p->last);
        /* "the Chilean embassy", "the Peruvian and Chilean joint statement": a
         * body or a document named by its own words. */
        /* "an ADB statement", "a Kremlin statement": a document no one
         * named, from one body, speaks for that body as "a Kremlin
         * spokesman" does (resolve_unnamed_voice). */
        if (names && document && (tok_is(s, p->first, "a") || tok_is(s, p->first, "an"))) {
            st_status st = resolve_unnamed_voice(r, p);
            if (st != ST_OK || p->entity >= 0)
                return st;
        }
        if (names && (document || tok_in(s, p->last, ST_WORDS_ORG_HEAD)))
            return resolve_named(r, p, 0);
        p->kind = NP_ROLE;
        return resolve_role(r, p);
    }
    /* "a U.S. delegate": an unnamed source, never a body named "U.S.
     * delegate". */
    if ((tok_is(s, p->first, "a") || tok_is(s, p->first, "an")) && role_part(s, p->last)) {
        p->kind = NP_ROLE;
        return resolve_role(r, p);
    }
    if (head_role && !names && !tok_in(s, p->last, ST_WORDS_ORG_HEAD)) {
        p->kind = NP_ROLE; /* "the President" */
        return resolve_role(r, p);
    }
    return resolve_named(r, p, subject);
}

/* "The central bank's complaint accuses", "the ministry's statement
 * said": a document after its owner's possessive (read_np) speaks for
 * the owner, the words before the possessive, resolved as a phrase of
 * their own (resolve_any_phrase).  Returns the possessive's index, or 0
 * when the phrase is no such document. */
static size_t owner_possessive(const sentence_state *s, const np *p)
{
    for (size_t k = p->last; k-- > p->first + 1 && k + 3 >= p->last;)
        if (s->tokens[k].kind == TK_POSS)
            return document_after(s, k + 1, p->last + 1) == p->last ? k : 0;
    return 0;
}

/* A phrase that is not a pronoun.  One ending on a document after an
 * owner's possessive is resolved as the owner's words alone, then given
 * back its document (one call of resolve_phrase, which stays inlined
 * where every phrase passes). */
static st_status resolve_any_phrase(reader *r, np *p, int subject)
{
    size_t last = p->last;
    size_t poss = tok_in(&r->s, last, ST_WORDS_DOCUMENT) ? owner_possessive(&r->s, p) : 0;
    if (poss)
        p->last = poss - 1;
    st_status st = resolve_phrase(r, p, subject);
    if (poss)
        p->last = last;
    return st;
}

static st_status push_np(sentence_state *s, np p)
{
    if (s->np_count == s->np_capacity) {
        void *items = s->nps;
        st_status st = st_grow(&items, &s->np_capacity, s->np_count, sizeof(np));
        if (st != ST_OK)
            return st;
        s->nps = items;
    }
    s->nps[s->np_count++] = p;
    return ST_OK;
}

/* ------------------------------------------------------------------ */
/* Verbs and subjects                                                  */

/* A word in -ed of four letters or more: a verb in the past (or its
 * participle) after a subject. */
static int past_form(const sentence_state *s, size_t j)
{
    const token *t = &s->tokens[j];
    return tok_len(t) > 3 && memcmp(s->text + t->end - 2, "ed", 2) == 0;
}

/* A word of speech with no ending of tense or person ("post", "call",
 * "offer"): not past, not in -s, not in -ing, and none of the irregular
 * pasts of the list. */
static int bare_speech_form(const sentence_state *s, size_t i)
{
    const token *t = &s->tokens[i];
    /* The irregular pasts first: "said" is most of the list's use. */
    return !tok_in(s, i, ST_WORDS_IRREGULAR_SPEECH_PAST) && s->text[t->end - 1] != 's' && !past_form(s, i) &&
           !ends_with(s, i, "ing");
}

/* "a", "an", and the quantifiers that, like them, open a phrase naming
 * one thing ("any European reply", "every Water Board promise",
 * "another union call").  Not "each", which also follows a plural
 * subject ("they each call for"). */
static int singular_opener(const sentence_state *s, size_t k)
{
    return tok_in(s, k, ST_WORDS_SINGULAR_OPENER);
}

/* How many words may stand between "a" and the noun it opens. */
enum { INDEFINITE_MODIFIERS = 3 };

/* "a senior Commonwealth post", "an EU offer", "any European reply": is
 * token i the head of a phrase opened by "a", "an" or a quantifier of
 * one (singular_opener), the words between (at most
 * INDEFINITE_MODIFIERS) its modifiers?  Such a phrase is one thing, and
 * a verb in its bare form cannot have it for subject.  No
 * word between may be a plural in -s, a preposition or "few" ("a few
 * people say", "a group of analysts say": the verb's subject is
 * plural). */
static int indefinite_head(const sentence_state *s, size_t i)
{
    for (size_t k = i; k-- > 0 && i - k <= INDEFINITE_MODIFIERS + 1;) {
        const token *t = &s->tokens[k];
        if (t->kind != TK_WORD)
            return 0;
        if (singular_opener(s, k))
            return 1;
        if (s->text[t->end - 1] == 's' || tok_in(s, k, ST_WORDS_PREPOSITION) || tok_is(s, k, "few") ||
            is_determiner(s, k))
            return 0;
    }
    return 0;
}

/* A word that opens a noun phrase as a determiner does but says how
 * many or which ("any European reply", "every Greek offer", "no Kenyan
 * answer", "this French proposal"): what follows it is a noun phrase,
 * never a subject and its verb.  "that" is left out: it also opens a
 * clause ("said that Greek farmers ..."). */
static int quantifier(const sentence_state *s, size_t i)
{
    /* singular_opener's words (any, every, another; a and an are
     * determiners anyway), then the ones that also open a plural or
     * follow a plural subject, which indefinite_head must not take. */
    return singular_opener(s, i) || tok_in(s, i, ST_WORDS_QUANTIFIER);
}

/* is_speech_verb past its first test: token i is a lower-case word of the
 * speech verb list. */
static int speech_verb_use(const sentence_state *s, size_t i)
{
    const token *t = &s->tokens[i];
    /* "banners that read", "the man who said": a relative clause's verb. */
    if (i > 0 && (tok_is(s, i - 1, "that") || tok_is(s, i - 1, "which")) &&
        (tok_in(s, i, ST_WORDS_IRREGULAR_SPEECH_PAST) ||
         (tok_len(t) > 3 && memcmp(s->text + t->end - 2, "ed", 2) == 0)))
        return 1;
    if (i > 0 && (is_determiner(s, i - 1) || tok_is(s, i - 1, "that") || tok_is(s, i - 1, "this") ||
                  tok_is(s, i - 1, "his") || tok_is(s, i - 1, "her") || tok_is(s, i - 1, "its") ||
                  tok_is(s, i - 1, "their") || tok_is(s, i - 1, "our") || tok_is(s, i - 1, "to")))
        return 0;
    /* "dismissed the Israeli remarks as ...", "Russian warnings": after a
     * nationality, a word in -s is a plural noun, not a verb of speech
     * ("the Israeli said" keeps its verb). */
    if (i > 0 && tok_in(s, i - 1, ST_WORDS_NATIONALITY) && s->text[t->end - 1] == 's')
        return 0;
    /* "the figure in the Senegalese claim", "a Greek warning", "any
     * European reply": after a determiner or a quantifier and a
     * nationality, a word of speech in no past form is the head noun the
     * nationality qualifies ("the French said", "the Greek claimed" keep
     * their verbs). */
    if (i > 1 && tok_in(s, i - 1, ST_WORDS_NATIONALITY) && (is_determiner(s, i - 2) || quantifier(s, i - 2)) &&
        !past_form(s, i) && !tok_is(s, i, "said") && !tok_is(s, i, "told") && !tok_is(s, i, "wrote"))
        return 0;
    /* "called the government's offer "..."", "Lima's warning": after a
     * possessive, a word of speech in no past form is a noun ("she's
     * warned", "he's said" keep their verbs). */
    if (i > 0 && s->tokens[i - 1].kind == TK_POSS && !past_form(s, i) && !tok_is(s, i, "said") &&
        !tok_is(s, i, "told") && !tok_is(s, i, "wrote"))
        return 0;
    /* "for a senior Commonwealth post": modifiers between "a" and a
     * word of speech in its bare form make it a noun, as "a" right
     * before it does. */
    if (i > 1 && bare_speech_form(s, i) && indefinite_head(s, i))
        return 0;
    /* "would not call off the strike": "call off" cancels, it says
     * nothing. */
    if (i + 1 < s->count && tok_is(s, i + 1, "off") && tok_in(s, i, ST_WORDS_CALL_FORM))
        return 0;
    return 1;
}

/* A speech verb used as a verb, not as a noun ("that warning", "a call").
 * Asked of nearly every token: the list bit (0 for anything but a word)
 * turns most away inline. */
static inline int is_speech_verb(const sentence_state *s, size_t i)
{
    const token *t = &s->tokens[i];
    if (!(t->lists & (1u << ST_WORDS_SPEECH_VERB)) || t->kind != TK_WORD || !(t->flags & TF_LOWER))
        return 0;
    return speech_verb_use(s, i);
}

static int np_after(const sentence_state *s, size_t v);

/* "X said the mast stood “…” according to Soviet-era maps.", "according
 * to UN figures,": capitalised words that only qualify a lower-case record
 * word ending the clause name where a fact comes from, not a speaker, so
 * "according to" attributes nothing and the quote keeps the sentence's
 * speaker.  "according to the Kremlin", "according to Defence Minister
 * X", "according to a Foreign Ministry statement" still name the source. */
static int according_to_record(const sentence_state *s, size_t i)
{
    int k = np_after(s, i + 1);
    if (k < 0)
        return 0;
    size_t w = s->nps[k].last + 1;
    if (w >= s->count || s->tokens[w].kind != TK_WORD || !(s->tokens[w].flags & TF_LOWER) ||
        !tok_in(s, w, ST_WORDS_RECORD))
        return 0;
    return w + 1 == s->count || s->tokens[w + 1].kind == TK_PUNCT;
}

static int is_according_to(const sentence_state *s, size_t i)
{
    return i + 1 < s->count && tok_is(s, i, "according") && tok_is(s, i + 1, "to") && !according_to_record(s, i);
}


/* How many words an appositive between commas may hold, not counting a
 * parenthesis inside it. */
enum { APPOSITIVE_WORDS = 9, ROLE_APPOSITIVE_WORDS = 16, PARENTHESIS_REACH = 8 };

/* Does the appositive opened by the comma at j begin with a role, after
 * at most a determiner (", president of ...", ", the head of ...", ", a
 * senior adviser to ...")?  Such an appositive says what a person does
 * and where, and news copy strings places and bodies onto it with "of"
 * and "in" (", president of an association of olive mills in Jaén
 * province,"), so it may run longer than other words between commas. */
static int role_appositive(const sentence_state *s, size_t j)
{
    size_t k = j + 1;
    if (k < s->count && is_determiner(s, k))
        k++;
    return k < s->count && s->tokens[k].kind == TK_WORD && (s->tokens[k].flags & TF_LOWER) &&
           (tok_in(s, k, ST_WORDS_ROLE) || tok_in(s, k, ST_WORDS_TITLE));
}

/* "who", "which": a relative clause opens here. */
static int relative_pronoun(const sentence_state *s, size_t i)
{
    return tok_is(s, i, "who") || tok_is(s, i, "which");
}

/* Does the segment after the comma at j open a relative clause ("X, who
 * chairs ..., said", "The ministry, whose ..., urged")?  News writes such
 * a clause, of any length, between a subject and its verb; it ends at
 * its closing comma and never holds a quote, so its words are not
 * counted against an appositive's reach. */
static int opens_relative_clause(const sentence_state *s, size_t j)
{
    return j + 1 < s->count && (relative_pronoun(s, j + 1) || tok_is(s, j + 1, "whose"));
}

/* Does the segment from token a up to the comma at k hold a verb? */
static int segment_has_verb(const sentence_state *s, size_t a, size_t k)
{
    for (size_t i = a; i < k; i++)
        if (s->tokens[i].kind == TK_WORD && (s->tokens[i].flags & TF_LOWER) &&
            (is_speech_verb(s, i) || tok_in(s, i, ST_WORDS_VERBISH) || past_form(s, i)))
            return 1;
    return 0;
}

/* The comma ahead of token k (no further than a quote or the sentence's
 * end), or 0. */
static size_t next_comma(const sentence_state *s, size_t k)
{
    while (k < s->count && !tok_punct(s, k, ',') && s->tokens[k].kind != TK_QUOTE)
        k++;
    return k < s->count && tok_punct(s, k, ',') ? k : 0;
}

/* "The Guyana Defence Force, whose chief of staff, Brigadier Marlon
 * Fredericks, flew to the border post ..., said": a clause opened by
 * "whose" at the comma j names its subject first and may put that
 * subject's name in apposition before the clause's verb.  The comma at
 * k after "whose <noun>" with no verb yet cannot close the clause: the
 * name after it is closed by a second comma, and the clause by a third.
 * Returns that third comma, or 0 when the clause is no such one. */
static size_t whose_clause_end(const sentence_state *s, size_t j, size_t k)
{
    if (!tok_is(s, j + 1, "whose") || segment_has_verb(s, j + 2, k))
        return 0;
    size_t name_end = next_comma(s, k + 1);
    int name = s->np_starting[k + 1];
    if (!name_end || name < 0 || s->nps[name].kind != NP_PERSON || s->nps[name].last + 1 != name_end)
        return 0;
    return next_comma(s, name_end + 1);
}

/* The token that ends the appositive opened by the comma at j: the
 * closing comma, or the token where the search gave up (a quote, the
 * end, or one word too many: APPOSITIVE_WORDS, or ROLE_APPOSITIVE_WORDS
 * when it opens on a role).  A parenthesis inside is stepped over and
 * not counted: news copy gives a body's acronym in brackets after its
 * name (", chief executive of the Ghana Cocoa Board (COCOBOD), told"),
 * and that makes the appositive no longer to read. */
static size_t apposition_end(const sentence_state *s, size_t j)
{
    size_t k = j + 1, n = s->count;
    int limit = APPOSITIVE_WORDS;
    for (int words = 0; k < n && !tok_punct(s, k, ',') && s->tokens[k].kind != TK_QUOTE; words++) {
        /* The relative-clause and role tests only when the plain reach
         * runs out: a relative clause runs to its closing comma. */
        if (words == limit && limit == APPOSITIVE_WORDS && opens_relative_clause(s, j)) {
            while (k < n && !tok_punct(s, k, ',') && s->tokens[k].kind != TK_QUOTE)
                k++;
            return k;
        }
        if (words == limit) {
            if (limit == ROLE_APPOSITIVE_WORDS || !role_appositive(s, j))
                break;
            limit = ROLE_APPOSITIVE_WORDS;
        }
        if (tok_punct(s, k, '(')) {
            size_t c = k + 1;
            while (c < n && c < k + PARENTHESIS_REACH && !tok_punct(s, c, ')') && !tok_punct(s, c, ','))
                c++;
            if (c < n && tok_punct(s, c, ')')) {
                k = c + 1;
                continue;
            }
        }
        k++;
    }
    /* One compare, and more only after "whose". */
    size_t end = k < n && tok_punct(s, k, ',') && j + 1 < n && tok_is(s, j + 1, "whose") ? whose_clause_end(s, j, k) : 0;
    return end ? end : k;
}

/* Does a verb follow the phrase ending at token i (after adverbs, an
 * appositive or a time phrase)?  Returns the verb's index or -1. */
static long verb_after(const sentence_state *s, size_t i)
{
    size_t j = i + 1, n = s->count;
    for (int guard = 0; j < n && guard < 16; guard++) {
        if (tok_in(s, j, ST_WORDS_AUX_ADVERB) && !tok_in(s, j, ST_WORDS_VERBISH) && !is_speech_verb(s, j)) {
            j++;
            continue;
        }
        if (tok_in(s, j, ST_WORDS_DAY_OPENER) && j + 1 < n &&
            tok_in(s, j + 1, ST_WORDS_NOT_NAME) && (s->tokens[j + 1].flags & TF_CAP)) {
            j += 2;
            continue;
        }
        if (tok_punct(s, j, ',')) {
            /* ", the foreign minister," or ", meanwhile," */
            size_t k = apposition_end(s, j);
            if (k < n && tok_punct(s, k, ',') && k > j + 1) {
                /* "X, a senior official of Y, the largest party in the
                 * north, said": a second appositive opens on a
                 * determiner (no verb does), so its comma opens one more
                 * segment to step over; so does a relative clause ("X,
                 * Russia's envoy in Riga, who was summoned ..., told"). */
                j = k + 1 < n && (is_determiner(s, k + 1) || relative_pronoun(s, k + 1)) ? k : k + 1;
                continue;
            }
            /* "..., Gen. Osman Haroun, blamed": the phrase was itself an
             * appositive; its comma closes it before the verb, which may
             * be any verb in the past ("The envoy to Chad, X, praised"). */
            if (j + 1 < n && s->tokens[j + 1].kind == TK_WORD && (s->tokens[j + 1].flags & TF_LOWER) &&
                (is_speech_verb(s, j + 1) || tok_in(s, j + 1, ST_WORDS_VERBISH) || past_form(s, j + 1))) {
                j++;
                break;
            }
            return -1;
        }
        if (tok_punct(s, j, '(')) {
            size_t k = j + 1;
            while (k < n && k < j + 8 && !tok_punct(s, k, ')'))
                k++;
            if (k < n && tok_punct(s, k, ')')) {
                j = k + 1;
                continue;
            }
            return -1;
        }
        break;
    }
    if (j >= n || s->tokens[j].kind != TK_WORD || !(s->tokens[j].flags & TF_LOWER))
        return -1;
    if (is_speech_verb(s, j) || tok_in(s, j, ST_WORDS_VERBISH) || past_form(s, j))
        return (long)j;
    return -1;
}

/* "near", "in", "at": a preposition that places what comes before it. */
static int place_preposition(const sentence_state *s, size_t i)
{
    return tok_is(s, i, "in") || tok_is(s, i, "at") || tok_is(s, i, "near");
}

/* Do the words before the preposition at token at name someone without a
 * name: "a" or "an" opening the clause (at the sentence's start or after
 * a mark), then up to INDEFINITE_MODIFIERS + 1 lower-case words that no
 * phrase holds ("A shopkeeper near the Friendship Gate", "A fruit seller
 * in Moreh")? */
static int unnamed_before(const sentence_state *s, size_t at)
{
    for (size_t k = at; k-- > 0 && k + INDEFINITE_MODIFIERS + 2 > at;) {
        const token *t = &s->tokens[k];
        if (tok_is(s, k, "a") || tok_is(s, k, "an"))
            return k + 1 < at && (k == 0 || s->tokens[k - 1].kind != TK_WORD);
        if (t->kind != TK_WORD || !(t->flags & TF_LOWER))
            return 0;
        if (is_speech_verb(s, k) || tok_in(s, k, ST_WORDS_VERBISH) || tok_in(s, k, ST_WORDS_PREPOSITION))
            return 0;
    }
    return 0;
}

/* "The Chilean embassy in Lima called", "A senior official in Baghdad,
 * who asked not to be named, said", "A senior official near the border
 * said": the phrase before a prepositional phrase is the subject, not the
 * place or thing in it.  Returns that phrase, else `k` itself; -1 when a
 * place follows someone news leaves unnamed ("A shopkeeper near the
 * Friendship Gate, who asked not to be named, said"): the place does not
 * speak, and nobody the reader can name does. */
static int past_preposition(const sentence_state *s, int k)
{
    const np *p = &s->nps[k];
    if (p->first < 2)
        return k;
    size_t at = p->first - 1;
    int place = place_preposition(s, at);
    if (!place && !tok_is(s, at, "of") && !tok_is(s, at, "from") && !tok_is(s, at, "for") && !tok_is(s, at, "to"))
        return k;
    if (s->np_ending[at - 1] >= 0)
        return s->np_ending[at - 1];
    return place && unnamed_before(s, at) ? -1 : k;
}

/* "Gerard Lindqvist, chief executive of the mining company, Nautilon
 * Metals, said": a name in apposition to the object of "of" or "for"
 * (`object`, "the mining company") names that object when the role
 * phrase it completes is itself in apposition to a person; that person
 * is the subject.  ("A member of the committee, Jonas Feldhaus, said":
 * no person before the role, the name is the subject.)  Returns the
 * person's phrase, or -1. */
static int apposed_complement_owner(const sentence_state *s, const np *object)
{
    if (object->first == 0 || !(tok_is(s, object->first - 1, "of") || tok_is(s, object->first - 1, "for")))
        return -1;
    for (size_t k = object->first - 1; k-- > 0 && k + 8 > object->first;) {
        if (s->tokens[k].kind == TK_QUOTE)
            return -1;
        if (!tok_punct(s, k, ','))
            continue;
        int person = k > 0 ? s->np_ending[k - 1] : -1;
        return person >= 0 && s->nps[person].kind == NP_PERSON ? person : -1;
    }
    return -1;
}

/* How far back, in tokens, subject_before looks for the comma that opens
 * an apposition or relative clause closed by the comma before a verb. */
enum { APPOSITION_REACH = 24 };

/* The reach ran out at token k, inside the words before a comma: when
 * they are a relative clause ("Mariela Souto, who chairs the commission
 * set up under ..., said"), its opening comma, else k.  The walk goes on
 * to the comma (no further than a quote or the sentence's start) only
 * in this rare case, so ordinary sentences cost nothing more. */
static long relative_clause_opening(const sentence_state *s, long k)
{
    long c = k;
    while (c >= 0 && !tok_punct(s, (size_t)c, ',') && s->tokens[c].kind != TK_QUOTE)
        c--;
    return c >= 0 && tok_punct(s, (size_t)c, ',') && opens_relative_clause(s, (size_t)c) ? c : k;
}

/* The comma at k closes a person's name in apposition: when that name
 * is the subject of a clause opened by "whose" ("The Guyana Defence
 * Force, whose chief of staff, Brigadier Marlon Fredericks, flew ...,
 * said"), the comma that opens the clause (whose_clause_end leads from
 * it to j, the comma before the verb), else k.  Two compares at most for
 * any other comma. */
static long whose_clause_opening(const sentence_state *s, long k, long j)
{
    int name = s->np_ending[k - 1];
    if (name < 0 || s->nps[name].kind != NP_PERSON || s->nps[name].first < 2 ||
        !tok_punct(s, s->nps[name].first - 1, ','))
        return k;
    long c = (long)s->nps[name].first - 2;
    while (c >= 0 && c > k - APPOSITION_REACH && !tok_punct(s, (size_t)c, ',') && s->tokens[c].kind != TK_QUOTE)
        c--;
    return c > 0 && tok_punct(s, (size_t)c, ',') && whose_clause_end(s, (size_t)c, s->nps[name].first - 1) == (size_t)j ? c : k;
}

/* "Zora Lint, a senior official of Nova Lista, the largest party in
 * the north, said": news copy may follow a person's appositive with a
 * second that describes what the first named; the second is no subject
 * (even when it ends on a capitalised word read as a name, "the largest
 * party of Kosovo's Serbs"), the person before both is.  `k` is the
 * comma that opens the second, which must open on a determiner (a
 * description, not "..., Tom Hale, said"; verb_after steps over it on
 * the same sign) or be a relative clause opened by "who" or "which"
 * (then the person must open the clause); the segment before
 * it must open, after a comma, on a phrase that is no person or on a
 * word with no capital (a role or description, "a senior official of
 * ...", "chairman of ...") right after a person's name.
 * Returns that person's phrase, or -1. */
static int person_before_apposition(const sentence_state *s, long k)
{
    /* A relative clause after the appositive ("X, Sweden's envoy in
     * Riga, who was summoned ..., told"; "X, head of the Y Union, which
     * represents ..., said") tells more of the person or of what the
     * appositive named: either way the person speaks. */
    if ((size_t)k + 1 >= s->count || !(is_determiner(s, (size_t)k + 1) || relative_pronoun(s, (size_t)k + 1)))
        return -1;
    long c = k - 1;
    while (c >= 0 && c > k - APPOSITION_REACH && !tok_punct(s, (size_t)c, ',') && s->tokens[c].kind != TK_QUOTE)
        c--;
    if (c <= 0 || !tok_punct(s, (size_t)c, ',') || c + 1 >= k)
        return -1;
    /* "a senior official of ...", or a bare role no phrase opens on
     * ("chairman of the Rural Doctors Union"). */
    int described = s->np_starting[c + 1];
    int role = described >= 0 ? s->nps[described].kind != NP_PERSON : (s->tokens[c + 1].flags & TF_LOWER) != 0;
    int person = s->np_ending[c - 1];
    if (!role || person < 0 || s->nps[person].kind != NP_PERSON)
        return -1;
    /* After a relative clause, the person must open the clause (at the
     * sentence's start or after punctuation): in "After meeting Hale,
     * the minister, who ..., said" Hale is an object, not the one the
     * appositive describes. */
    size_t f = s->nps[person].first;
    if (relative_pronoun(s, (size_t)k + 1) && f > 0 && s->tokens[f - 1].kind == TK_WORD)
        return -1;
    return person;
}

/* The subject of the verb at token v: the phrase right before it, past
 * adverbs, auxiliaries, a time phrase, an appositive, a parenthesis or a
 * coordinated tail ("Seoul and its partners have threatened").  -1 when
 * nothing fits. */
static int subject_before(const sentence_state *s, size_t v)
{
    long j = (long)v - 1;
    for (int guard = 0; j >= 0 && guard < 16; guard++) {
        if (s->np_ending[j] >= 0)
            return past_preposition(s, s->np_ending[j]);
        const token *t = &s->tokens[j];
        if (t->kind == TK_WORD && (tok_in(s, (size_t)j, ST_WORDS_AUX_ADVERB) ||
                                   ((t->flags & TF_LOWER) && tok_len(t) > 3 &&
                                    memcmp(s->text + t->end - 2, "ly", 2) == 0))) {
            j--;
            continue;
        }
        if (t->kind == TK_WORD && (t->flags & TF_CAP) && tok_in(s, (size_t)j, ST_WORDS_NOT_NAME) && j > 0 &&
            tok_in(s, (size_t)j - 1, ST_WORDS_DAY_OPENER)) {
            j -= 2;
            continue;
        }
        if (tok_punct(s, (size_t)j, ',')) {
            /* "The French envoy, Anne-Claire Dufour, said": a name in
             * apposition is the speaker; "Diallo, the minister, said" and
             * "Diallo, meanwhile, said": the phrase before the commas.
             * The segment may be long: "X, a spokesman for the U.S.
             * Navy's Bahrain-based Fifth Fleet, said", "The ministry,
             * whose country has long carried messages between Tehran and
             * Western capitals, urged". */
            long k = j - 1;
            while (k >= 0 && k > j - APPOSITION_REACH && !tok_punct(s, (size_t)k, ',') &&
                   s->tokens[k].kind != TK_QUOTE)
                k--;
            if (k >= 0 && k == j - APPOSITION_REACH)
                k = relative_clause_opening(s, k);
            else if (k > 0 && tok_punct(s, (size_t)k, ','))
                k = whose_clause_opening(s, k, j);
            /* The segment between the commas opens with a person
             * ("Tevita Fonua of Tonga"), or the person phrase ends
             * right at the comma. */
            if (k >= 0 && tok_punct(s, (size_t)k, ',') && (size_t)k + 1 < (size_t)j) {
                int opening = s->np_starting[k + 1];
                int head = k > 0 ? s->np_ending[k - 1] : -1;
                int outer = opening >= 0 && head >= 0 ? apposed_complement_owner(s, &s->nps[head]) : -1;
                if (outer >= 0)
                    return outer;
                int first = person_before_apposition(s, k);
                if (first >= 0)
                    return first;
                if (opening >= 0 && s->nps[opening].kind == NP_PERSON)
                    return opening;
                /* "Kapanadze's party, Georgian Unity, said": a named body
                 * in apposition to a role phrase. */
                if (opening >= 0 && s->nps[opening].kind == NP_ORG &&
                    (head < 0 || s->nps[head].kind == NP_ROLE ||
                     (s->tokens[s->nps[head].last].flags & TF_LOWER)))
                    return opening;
            }
            int inner = j > 0 ? s->np_ending[j - 1] : -1;
            if (inner >= 0 && s->nps[inner].kind == NP_PERSON && s->nps[inner].first > 0 &&
                tok_punct(s, s->nps[inner].first - 1, ','))
                return inner;
            if (k > 0 && tok_punct(s, (size_t)k, ',') && k < j - 1 && s->np_ending[k - 1] >= 0)
                return past_preposition(s, s->np_ending[k - 1]);
            return -1;
        }
        /* "..., Lucia Cordero, who said": the relative pronoun stands for
         * the phrase before it. */
        if (tok_is(s, (size_t)j, "who") || tok_is(s, (size_t)j, "which")) {
            j--;
            if (j >= 0 && tok_punct(s, (size_t)j, ','))
                j--;
            continue;
        }
        if (tok_punct(s, (size_t)j, ')')) {
            long k = j - 1;
            while (k >= 0 && k > j - 8 && !tok_punct(s, (size_t)k, '('))
                k--;
            if (k >= 0 && tok_punct(s, (size_t)k, '(')) {
                j = k - 1;
                continue;
            }
            return -1;
        }
        /* "... called the reaction in Seoul and Tokyo “…” and warned": a
         * verb right after "and" or "but" is coordinated, and its
         * subject is the clause's (subject_of_verb), never a tail. */
        if (tok_is(s, (size_t)j, "and") || tok_is(s, (size_t)j, "but"))
            return -1;
        /* "Seoul and its partners": a short tail after "and" */
        for (long k = j - 1; k >= 0 && k >= j - 3; k--) {
            /* ("&" would be a punctuation token, never a word: it joins
             * company names, "Procter & Gamble", and is left to them.) */
            if (tok_is(s, (size_t)k, "and")) {
                if (k > 0 && s->np_ending[k - 1] >= 0)
                    return s->np_ending[k - 1];
                break;
            }
        }
        return -1;
    }
    return -1;
}

/* Past up to three lower-case words from j ending on a role word, the
 * person phrase that follows; -1 if none. */
static int role_lead_person(const sentence_state *s, size_t j)
{
    for (size_t k = j; k < s->count && k < j + 3; k++) {
        const token *t = &s->tokens[k];
        if (t->kind != TK_WORD || !(t->flags & TF_LOWER) || is_speech_verb(s, k) ||
            tok_in(s, k, ST_WORDS_VERBISH) || tok_in(s, k, ST_WORDS_PREPOSITION) || is_determiner(s, k))
            return -1;
        int next = k + 1 < s->count ? s->np_starting[k + 1] : -1;
        if (role_part(s, k) && next >= 0 && s->nps[next].kind == NP_PERSON)
            return next;
    }
    return -1;
}

/* Wire copy puts a bare role before a name without "the" ("opposition
 * leader Grace Obi told", "said party spokesman Tom Reyes"), and may
 * name the body first ("BGB sector commander Lt. Col. Shafiqul Haque
 * said": "BGB" is a phrase of its own, the role words after it are
 * not): the person phrase after the role.  Returns its np index, or the
 * np starting at j (-1 if none). */
static int np_past_role_lead(const sentence_state *s, size_t j)
{
    if (j >= s->count)
        return -1;
    int at = s->np_starting[j];
    if (at < 0)
        return role_lead_person(s, j);
    int person = s->nps[at].kind == NP_PERSON ? -1 : role_lead_person(s, s->nps[at].last + 1);
    return person >= 0 ? person : at;
}

/* The phrase right after token v ("said Nora Quist"), past a time phrase. */
static int np_after(const sentence_state *s, size_t v)
{
    size_t j = v + 1;
    if (j + 1 < s->count && tok_is(s, j, "on") && tok_in(s, j + 1, ST_WORDS_NOT_NAME))
        j += 2;
    int k = np_past_role_lead(s, j);
    /* "according to the commission's chairman, Ahmad Fauzi,": the name. */
    if (k >= 0 && s->nps[k].kind != NP_PERSON) {
        size_t c = s->nps[k].last + 1;
        if (c + 1 < s->count && tok_punct(s, c, ',') && s->np_starting[c + 1] >= 0 &&
            s->nps[s->np_starting[c + 1]].kind == NP_PERSON)
            return s->np_starting[c + 1];
    }
    return k;
}

/* "The head of France's largest farm union, Claire Mercier, said": a
 * person named in apposition to a phrase that is no person, and that the
 * apposition pass did not make hers, is whom the sentence is about (as
 * subject_before already takes it for the verb), so a later "she" finds
 * her, not the body.  Returns k or the person's phrase. */
static int appositive_person(const sentence_state *s, size_t k)
{
    const np *x = &s->nps[k];
    if (x->kind == NP_PERSON || k + 1 >= s->np_count)
        return (int)k;
    const np *y = &s->nps[k + 1];
    if (y->kind == NP_PERSON && y->entity >= 0 && y->entity != x->entity && y->first == x->last + 2 &&
        tok_punct(s, x->last + 1, ','))
        return (int)k + 1;
    return (int)k;
}

/* The main subject: the first phrase, not inside a prepositional phrase,
 * that a verb follows.  -1 when none. */
static int main_subject(const sentence_state *s, size_t before)
{
    for (size_t k = 0; k < s->np_count; k++) {
        const np *p = &s->nps[k];
        if (p->last >= before)
            break;
        if (p->first > 0 && tok_in(s, p->first - 1, ST_WORDS_PREPOSITION))
            continue;
        if (p->verb >= 0)
            return appositive_person(s, k);
    }
    return -1;
}

/* ------------------------------------------------------------------ */
/* Attribution                                                         */

typedef struct attribution {
    int np;        /* np index in the sentence, -1 none */
} attribution;

/* The verb after phrase k, past a prepositional tail that places the
 * speaker ("Ingrid Hauge of the foreign ministry told", ""...," the
 * Union of Tea Pickers in Malawi said"), or -1. */
static long verb_after_np(const sentence_state *s, int k)
{
    size_t last = s->nps[k].last;
    long v = s->nps[k].verb; /* verb_after(last), asked once */
    if (v >= 0 || last + 2 >= s->count)
        return v;
    if (!tok_is(s, last + 1, "of") && !tok_is(s, last + 1, "from") && !tok_is(s, last + 1, "at") &&
        !tok_is(s, last + 1, "in"))
        return -1;
    int tail = s->np_starting[last + 2];
    if (tail < 0)
        return -1;
    /* "UNHCR's representative in Kenya, Hélène Moreau, told": a name
     * in apposition to the seat is the one the verb goes with. */
    if (tok_is(s, last + 1, "in") && s->nps[tail].verb != (long)s->nps[tail].last + 1)
        return -1;
    return s->nps[tail].verb;
}

/* A word of a portfolio's phrase: a capitalised word, "of" or "for" after
 * an office word, "the", or an owner's possessive ("Ukraine's Deputy
 * Minister for Communities"). */
static int portfolio_word(const sentence_state *s, size_t i)
{
    return is_cap_word(s, i) || serves_word(s, i) || tok_is(s, i, "the") || s->tokens[i].kind == TK_POSS;
}

/* Phrase k holds a title word with capitals, not its last word, from
 * token `from` on: with `served` one followed by "of" or "for" ("Minister
 * of Mining"), else any ("Minister"). */
static int holds_title(const sentence_state *s, int k, size_t from, int served)
{
    const np *p = &s->nps[k];
    for (size_t i = from; i < p->last; i++)
        if (is_cap_word(s, i) && tok_in(s, i, ST_WORDS_TITLE) && (!served || serves_word(s, i + 1)))
            return 1;
    return 0;
}

/* "Kenyan Tourism and Wildlife Minister Esther Naisula said",
 * "Information, Publicity and Broadcasting Services Minister X told",
 * "Minister of Mining and Heavy Industry X told", "Minister of Police,
 * National Security and Correctional Services X told": a title whose
 * portfolio joins fields with commas and "and" is read as phrases of
 * capitalised words, then the person with the last field.  From phrase
 * k, phrases of portfolio words joined by "," lead to "and" and a
 * person; the title is that person's (a title word before the name) or
 * the first phrase's, an office word and its "of" or "for"; the first
 * phrase is no person and the fields after it hold no title, so "Smith,
 * Jones and Brown said" (no title) and "the EU, Britain and President
 * Ruiz said" (a list of speakers) are untouched.
 * Returns the person's phrase, or -1. */
static int portfolio_holder(const sentence_state *s, int k)
{
    /* A lone capital before the list's comma ("Water, Sanitation and
     * ...") may have been read as a name; a person named more fully is
     * a list of speakers. */
    if (s->nps[k].kind == NP_PERSON && s->nps[k].first != s->nps[k].last)
        return -1;
    int titled = holds_title(s, k, s->nps[k].first, 1);
    for (int cur = k;;) {
        const np *p = &s->nps[cur];
        if (p->kind == NP_PRONOUN_PERSON || p->kind == NP_PRONOUN_GROUP || p->last + 2 >= s->count)
            return -1;
        for (size_t i = p->first; i <= p->last; i++)
            if (!portfolio_word(s, i))
                return -1;
        if (cur != k && holds_title(s, cur, p->first, 0))
            return -1;
        int next = s->np_starting[p->last + 2];
        if (next < 0)
            return -1;
        if (tok_punct(s, p->last + 1, ',')) {
            cur = next;
            continue;
        }
        if (!tok_is(s, p->last + 1, "and") || s->nps[next].kind != NP_PERSON)
            return -1;
        /* The person's own title ends the last field ("Broadcasting
         * Services Minister"); one first ("President Ruiz") is a second
         * speaker of a list, not a portfolio's holder. */
        return titled || holds_title(s, next, s->nps[next].first + 1, 0) ? next : -1;
    }
}

/* "“...,” Peru's Minister of Trade and Tourism, Rosa Vidal, told", "“...,”
 * the commander of the Armed Forces, Gen. Olek Pavan, said": after a
 * quote news names the office first and its holder between commas right
 * before the verb (v), as it does before a quote; the holder speaks, not
 * the title (read as a body of its own) nor a role no entity holds.
 * subject_before takes that name in the quote-last order; here, phrase
 * k is no person (or, with `field`, the last field of a portfolio's list,
 * whose capitals may read as a name: "Minister of Foreign Affairs, Trade
 * and International Cooperation, X, told") and the apposition pass did
 * not make it the holder's.  Returns the holder's phrase, or k. */
static int apposed_holder(const sentence_state *s, int k, size_t v, int field)
{
    const np *x = &s->nps[k];
    if ((x->kind == NP_PERSON && !field) || v < x->last + 4 || !tok_punct(s, v - 1, ','))
        return k;
    int h = s->np_ending[v - 2];
    if (h <= k)
        return k;
    const np *y = &s->nps[h];
    if (y->kind != NP_PERSON || y->entity < 0 || y->entity == x->entity || !tok_punct(s, y->first - 1, ','))
        return k;
    return h;
}

/* Rule 1: an attribution right after the quote. */
static int attribution_after(const sentence_state *s, size_t q)
{
    size_t j = q + 1, n = s->count;
    while (j < n && s->tokens[j].kind == TK_PUNCT && (s->tokens[j].cp == ',' || s->tokens[j].cp == 0x2014 ||
                                                      s->tokens[j].cp == 0x2013))
        j++;
    if (j >= n)
        return -1;
    if (is_speech_verb(s, j))
        return np_after(s, j);
    if (is_according_to(s, j))
        return np_after(s, j + 1);
    int k = np_past_role_lead(s, j), holder = -1;
    if (k >= 0) {
        holder = portfolio_holder(s, k);
        k = holder >= 0 ? holder : k;
    }
    long v = k >= 0 ? verb_after_np(s, k) : -1;
    if (v >= 0 && is_speech_verb(s, (size_t)v))
        return apposed_holder(s, k, (size_t)v, holder >= 0);
    return -1;
}

/* "after Nowak drew criticism for saying": the nearest phrase before
 * token v, outside a prepositional phrase, that a verb follows; -1 when
 * none. */
static int nearest_with_verb(const sentence_state *s, size_t v)
{
    for (size_t k = s->np_count; k-- > 0;) {
        const np *p = &s->nps[k];
        if (p->last >= v)
            continue;
        if (p->first > 0 && tok_in(s, p->first - 1, ST_WORDS_PREPOSITION))
            continue;
        if (p->verb >= 0)
            return (int)k;
    }
    return -1;
}

static int subject_of_verb(const sentence_state *s, size_t v, int depth);

/* "X said ASEAN should ... and that his delegation had offered “…”": a
 * verb of speech whose subject names nobody ("his delegation", a few
 * lower-case words after "that", no phrase the reader knows) inside a clause
 * opened by "that" after an earlier verb of speech reports that verb's
 * speaker.  Returns the earlier verb's subject, or -1. */
static int reported_clause(const sentence_state *s, size_t v, int depth)
{
    size_t k = v;
    while (k > 0 && v - k < 5) {
        k--;
        const token *t = &s->tokens[k];
        if (tok_is(s, k, "that"))
            break;
        if (t->kind != TK_WORD || !(t->flags & TF_LOWER) || s->np_starting[k] >= 0 || is_speech_verb(s, k))
            return -1;
    }
    if (!tok_is(s, k, "that") || k + 1 == v || depth >= 4)
        return -1;
    while (k-- > 0)
        if (is_speech_verb(s, k))
            return subject_of_verb(s, k, depth + 1);
    return -1;
}

/* The subject of speech verb v, following the verb's shape. */
static int subject_of_verb(const sentence_state *s, size_t v, int depth)
{
    if (is_according_to(s, v))
        return np_after(s, v + 1);
    /* ", adding that ...", ", calling it ...": the subject of the clause
     * before (the previous speech verb) or of the sentence.  A quote
     * whose comma stands inside its marks ("called it '...,' adding
     * that") ends that clause the same way. */
    if (ends_with(s, v, "ing") && v > 0 && (tok_punct(s, v - 1, ',') || s->tokens[v - 1].kind == TK_QUOTE)) {
        for (size_t k = v - 1; k-- > 0 && depth < 4;) {
            if (is_speech_verb(s, k) && !(ends_with(s, k, "ing") && k > 0 && tok_punct(s, k - 1, ',')))
                return subject_of_verb(s, k, depth + 1);
        }
        return main_subject(s, v);
    }
    /* "banners that read ...": the relative clause's noun, if it names
     * anyone; a thing says nothing. */
    if (v >= 1 && (tok_is(s, v - 1, "that") || tok_is(s, v - 1, "which")))
        return v >= 2 ? s->np_ending[v - 2] : -1;
    /* "quoting President Salem as saying", "quoted him as saying" */
    if (v >= 2 && tok_is(s, v - 1, "as") && s->np_ending[v - 2] >= 0)
        return s->np_ending[v - 2];
    int subj = subject_before(s, v);
    if (subj >= 0)
        return subj;
    if (v == 0 || s->tokens[v - 1].kind == TK_QUOTE || tok_punct(s, v - 1, ','))
        return np_after(s, v);
    /* "..., and instead accused", "... but added": coordinated verbs
     * share the subject.  After "but" the nearest phrase with a verb
     * names it when it is the main subject's person ("Mauritania's oil
     * minister, Sidi Ould Cheikh, called ... but said": the name).
     * When the sentence's main subject names nobody ("The embassy in
     * Berlin called ... and warned": its verb is past "in Berlin"), the
     * subject of the verb of speech before is the one. */
    int but = v > 1 && (tok_is(s, v - 1, "but") || tok_is(s, v - 2, "but"));
    if (v > 1 && (tok_is(s, v - 1, "and") || tok_is(s, v - 2, "and") || but)) {
        int lead = main_subject(s, v);
        if (lead >= 0 && s->nps[lead].entity >= 0) {
            int near = but ? nearest_with_verb(s, v) : -1;
            return near >= 0 && s->nps[near].entity == s->nps[lead].entity ? near : lead;
        }
        for (size_t k = v - 1; k-- > 0 && depth < 4;)
            if (is_speech_verb(s, k)) {
                int shared = subject_of_verb(s, k, depth + 1);
                return shared >= 0 ? shared : lead;
            }
        return lead;
    }
    int reporter = reported_clause(s, v, depth);
    return reporter >= 0 ? reporter : nearest_with_verb(s, v);
}

/* "the shoal, which Manila calls Ayungin, and that ...", "what they call":
 * a verb of naming in a relative clause gives a name to a thing.  It
 * reports the quote that is its object ("which she called '...'") and no
 * other, so a quote further on belongs to the verb before it
 * (attribution_before). */
static int naming_clause(const sentence_state *s, size_t v)
{
    if (!tok_in(s, v, ST_WORDS_NAMING_VERB))
        return 0;
    for (size_t k = v; k-- > 0 && k + 5 > v;) {
        if (s->tokens[k].kind != TK_WORD)
            return 0;
        if (tok_is(s, k, "which") || tok_is(s, k, "what"))
            return 1;
    }
    return 0;
}

/* Is the quote at q the object of the verb at v: a few words on, no
 * mark between ("which Beijing called a '...'", "described as '...'")? */
static int names_quote(const sentence_state *s, size_t v, size_t q)
{
    if (q > v + 4)
        return 0;
    for (size_t k = v + 1; k < q; k++)
        if (s->tokens[k].kind != TK_WORD)
            return 0;
    return 1;
}

/* Rule 2: the nearest speech verb before the quote.  NOBODY when the
 * verb's subject is a thing ("banners that read"): no later rule may then
 * guess. */
enum { NOBODY = -2 };
static int coordinated_that(const sentence_state *s, size_t that);
static int future_act_reporter(const sentence_state *s, int subject);
static int is_place_np(const sentence_state *s, int k);
static int place_clause_reporter(const sentence_state *s, int subject);
/* "the ambassador had been told that ...", "she was asked": the subject
 * of a passive "told" or "asked" is who heard the words, never who said
 * them, so the verb names no speaker and an earlier one may. */
static int addressee_passive(const sentence_state *s, size_t k)
{
    if (k == 0 || !(tok_is(s, k, "told") || tok_is(s, k, "asked")))
        return 0;
    return tok_in(s, k - 1, ST_WORDS_PASSIVE_BE);
}
/* "would", "will", "could": a modal before a verb makes its act one still
 * to come (or only possible).  "had", "has", "have": the perfect, in a
 * reported clause, tells of an act gone by ("X said Nigeria had asked
 * for '...'"): the reporter retells it.  Either way the quoted words are
 * the reporter's own (future_act_reporter). */
static int is_retold_aux(const sentence_state *s, size_t i)
{
    return tok_in(s, i, ST_WORDS_RETOLD_AUX);
}
static int attribution_before(const sentence_state *s, size_t q)
{
    for (size_t k = q; k-- > 0;) {
        if (tok_is(s, k, "that") && !(k + 1 < s->count && is_speech_verb(s, k + 1))) {
            int first = coordinated_that(s, k);
            if (first >= 0)
                return first;
        }
        if ((is_speech_verb(s, k) || is_according_to(s, k)) && !(naming_clause(s, k) && !names_quote(s, k, q))) {
            if (addressee_passive(s, k))
                continue;
            int subject = subject_of_verb(s, k, 0);
            if (subject < 0 && k >= 1 && (tok_is(s, k - 1, "that") || tok_is(s, k - 1, "which")))
                return NOBODY;
            /* "China said through Foreign Ministry spokesman Liu Hanqing
             * that ...": the person it spoke through says the words. */
            if (k + 2 < q && tok_is(s, k + 1, "through")) {
                int voice = np_after(s, k + 1);
                if (voice >= 0 && s->nps[voice].kind == NP_PERSON)
                    return voice;
            }
            if (subject >= 0 && k >= 1 && is_retold_aux(s, k - 1)) {
                int reporter = future_act_reporter(s, subject);
                if (reporter >= 0)
                    return reporter;
            }
            if (subject >= 0 && is_place_np(s, subject)) {
                int reporter = place_clause_reporter(s, subject);
                if (reporter >= 0)
                    return reporter;
            }
            return subject;
        }
    }
    return -1;
}

/* "X said the strike would go on, and that the union was '...'", "...
 * but that it would not ...": a clause opened by "and that" or "but
 * that", with no verb of speech of its own before the quote, is a second
 * object of the sentence's first verb of speech, whose speaker goes on
 * (the nouns and verbs in between, "the offer", "the federation was",
 * speak for no one).  Returns that verb's subject, or -1 when "that" is
 * not so joined or no verb of speech with a subject comes before. */
static int coordinated_that(const sentence_state *s, size_t that)
{
    size_t j = that;
    if (j > 0 && (tok_is(s, j - 1, "and") || tok_is(s, j - 1, "but")))
        j--;
    else
        return -1;
    for (size_t k = 0; k < j; k++) {
        if (!is_speech_verb(s, k) && !is_according_to(s, k))
            continue;
        int subject = subject_of_verb(s, k, 1);
        if (subject >= 0)
            return subject;
    }
    return -1;
}

/* "Minister X said Egypt would ask the federation to keep police away
 * from '...'": a verb of speech after a modal ("would ask", "will
 * demand") in a clause reported by an earlier verb of speech is an act
 * still to come, and one after "had" or "has" ("X said Nigeria had asked
 * for '...'") an act the reporter retells, so the quoted words are the
 * reporter's, not those of the clause's subject.  Only when that subject is a body or a place ("the
 * government" too) and the reporter a person.  Returns the reporter's phrase, or -1. */
static int future_act_reporter(const sentence_state *s, int subject)
{
    const np *inner = &s->nps[subject];
    /* "the government", "the ministry": a role phrase on an institution
     * word is a body too. */
    if (inner->kind != NP_ORG && inner->kind != NP_PRONOUN_GROUP &&
        !(inner->kind == NP_ROLE && tok_in(s, inner->last, ST_WORDS_ORG_HEAD)))
        return -1;
    for (size_t k = inner->first; k-- > 0;) {
        if (!is_speech_verb(s, k))
            continue;
        int outer = subject_of_verb(s, k, 1);
        if (outer >= 0 && outer != subject &&
            (s->nps[outer].kind == NP_PERSON || s->nps[outer].kind == NP_PRONOUN_PERSON))
            return outer;
        return -1;
    }
    return -1;
}

/* A country or capital ("Belize", "Ottawa", "the United States"): a body
 * phrase whose words are all place words, bar "the" and a nationality
 * word ("North Korea"). */
static int is_place_np(const sentence_state *s, int k)
{
    const np *p = &s->nps[k];
    if (p->kind != NP_ORG)
        return 0;
    int place = 0;
    for (size_t i = p->first; i <= p->last; i++) {
        if (tok_in(s, i, ST_WORDS_PLACE))
            place = 1;
        else if (!tok_in(s, i, ST_WORDS_NATIONALITY) && !tok_is(s, i, "the") && s->tokens[i].kind != TK_POSS)
            return 0;
    }
    return place;
}

/* "She said Ottawa had made the request and expected '...'", "Hartono
 * said Jakarta welcomed the idea and hoped to agree a date '...'", "The
 * ministry ..., adding that Athens would ask its partners '...'": in
 * news a country or capital that is the subject of a clause reported by
 * a person or body is metonymy for the reporter's own government, so
 * whatever verb the clause holds (a second verb after "and", a verb of
 * no speech, a noun read as one: "a protest note"), its quoted words
 * are the reporter's.  The clause must open right after the reporting
 * verb or after its "that" (a place after ", and" heads a clause of its
 * own).  Returns the reporter's phrase: a person, or a body that is no
 * place itself; else -1. */
static int place_clause_reporter(const sentence_state *s, int subject)
{
    size_t first = s->nps[subject].first;
    if (first == 0)
        return -1;
    size_t k = first - 1;
    if (tok_is(s, k, "that")) {
        /* "told reporters on Monday that": words only back to the verb. */
        while (k-- > 0 && s->tokens[k].kind == TK_WORD && !is_speech_verb(s, k))
            ;
        if (k == (size_t)-1)
            return -1;
    }
    if (!is_speech_verb(s, k) || addressee_passive(s, k))
        return -1;
    int outer = subject_of_verb(s, k, 1);
    if (outer < 0 || outer == subject || s->nps[outer].kind == NP_ROLE || is_place_np(s, outer))
        return -1;
    if (s->nps[outer].entity >= 0 && s->nps[outer].entity == s->nps[subject].entity)
        return -1;
    return outer;
}

/* Rule 3: a reporting clause later in the sentence. */
static int attribution_later(const sentence_state *s, size_t q)
{
    for (size_t j = q + 1; j < s->count; j++) {
        if (s->tokens[j].kind == TK_QUOTE) {
            int k = attribution_after(s, j);
            if (k >= 0)
                return k;
            continue;
        }
        if (!tok_punct(s, j, ','))
            continue;
        size_t v = j + 1;
        if (v >= s->count)
            break;
        if (is_speech_verb(s, v) && np_after(s, v) >= 0)
            return np_after(s, v);
        int k = np_past_role_lead(s, v);
        if (k >= 0) {
            long verb = verb_after_np(s, k);
            if (verb >= 0 && is_speech_verb(s, (size_t)verb))
                return k;
        }
    }
    return -1;
}

/* "a briefing paper from the Asia Peace Institute entitled '...'", "a
 * report by the bank titled '...'": a document's title speaks for the
 * body or person the document is from, named within the phrase before
 * "entitled" (no mark between).  Returns that phrase, or -1. */
static int document_issuer(const sentence_state *s, size_t q)
{
    if (q < 3 || !(tok_is(s, q - 1, "entitled") || tok_is(s, q - 1, "titled")))
        return -1;
    for (size_t j = q - 1; j-- > 0 && j + 12 > q;) {
        if (s->tokens[j].kind != TK_WORD && s->tokens[j].kind != TK_POSS)
            return -1;
        int k = s->np_ending[j];
        if (k < 0)
            continue;
        const np *p = &s->nps[k];
        if (p->entity >= 0 && p->first > 0 && (tok_is(s, p->first - 1, "from") || tok_is(s, p->first - 1, "by")))
            return k;
    }
    return -1;
}

/* Only punctuation besides the quote: the sentence is the quote. */
static int quote_only(const sentence_state *s)
{
    size_t quotes = 0;
    for (size_t i = 0; i < s->count; i++) {
        if (s->tokens[i].kind == TK_QUOTE)
            quotes++;
        else if (s->tokens[i].kind != TK_PUNCT)
            return 0;
    }
    return quotes == 1;
}

/* ------------------------------------------------------------------ */
/* The sentence pass                                                   */

static st_status token_role(reader *r, size_t t, int id);

/* "central bank governor Osman Kheir told", "said opposition leader Ana
 * Ruiz": a lower-case title right before a person's name (no capital,
 * so read_np did not open the phrase on it) is the person's role, so
 * that "the governor added" later finds the person. */
static st_status note_role_before_name(reader *r, const np *p)
{
    const sentence_state *s = &r->s;
    if (r->a->entities[p->entity].kind != ENT_PERSON || !tok_in(s, p->first - 1, ST_WORDS_TITLE) ||
        !tok_in(s, p->first - 1, ST_WORDS_ROLE))
        return ST_OK;
    return token_role(r, p->first - 1, p->entity);
}

/* "Pilots at state carrier Aerolíneas Argentinas", "the lender Banco
 * Sur": a name right after a lower-case noun for a kind of body names a
 * body (a name of two words with no institution word was read as a
 * person; it becomes a body unless known to be a person), and "the
 * airline" later, with no body for subject before it, is that body. */
static void note_kind_body(reader *r, const np *p)
{
    entity *e = &r->a->entities[p->entity];
    if (!(r->s.tokens[p->first].flags & TF_CAP) || known_person(e))
        return;
    e->kind = ENT_ORG;
    r->kind_body = p->entity;
}

/* "The Russian space corporation Orbita", "the state agency Rosgeo": a
 * name right after a lower-case institution word that a determiner
 * opens (up to two words between) names a body of that kind, unless
 * known to be a person, and the word is its role, so that "the
 * corporation said" later is that body.  The phrase did not take the
 * word in when a capital or a third modifier stood before it.  The
 * determiner keeps out words of other uses ("three times Okafor"). */
static st_status note_institution_before_name(reader *r, const np *p)
{
    const sentence_state *s = &r->s;
    size_t w = p->first - 1, k = w;
    for (int n = 0; n < 3 && k > 0; n++) {
        k--;
        if (s->tokens[k].kind != TK_WORD)
            return ST_OK;
        if (is_determiner(s, k)) {
            entity *e = &r->a->entities[p->entity];
            if (known_person(e))
                return ST_OK;
            e->kind = ENT_ORG;
            return token_role(r, w, p->entity);
        }
    }
    return ST_OK;
}

/* A lower-case word right before a named phrase that says what the name
 * is: a kind of body (note_kind_body), an institution word
 * (note_institution_before_name) or a title (note_role_before_name).
 * Asked for every phrase, so the common case (no such word) is one test
 * of the word's flags and lists. */
static st_status note_word_before_name(reader *r, const np *p)
{
    if (p->entity < 0 || p->first == 0)
        return ST_OK;
    const token *w = &r->s.tokens[p->first - 1];
    if (!(w->flags & TF_LOWER) ||
        !(w->lists & (1u << ST_WORDS_BODY_KIND | 1u << ST_WORDS_TITLE | 1u << ST_WORDS_ORG_HEAD)))
        return ST_OK;
    if (w->lists & 1u << ST_WORDS_BODY_KIND)
        note_kind_body(r, p);
    else if (!(w->lists & 1u << ST_WORDS_TITLE)) {
        st_status st = note_institution_before_name(r, p);
        if (st != ST_OK)
            return st;
    }
    return note_role_before_name(r, p);
}

static st_status grow_maps(sentence_state *s)
{
    if (s->map_capacity >= s->count + 1)
        return ST_OK;
    size_t cap = s->count + 16;
    int *e = realloc(s->np_ending, cap * sizeof *e);
    if (!e)
        return ST_ERR_NOMEM;
    s->np_ending = e;
    int *b = realloc(s->np_starting, cap * sizeof *b);
    if (!b)
        return ST_ERR_NOMEM;
    s->np_starting = b;
    s->map_capacity = cap;
    return ST_OK;
}

/* "a spokesman for the Ministry of Defence ... "...," the spokesman
 * said": a role word for a person (no institution word) that names no
 * one but stands for a body (voice_for_body, resolve_unnamed_voice).
 * Returns that body when phrase p is such a voice, else -1. */
static int voice_of_body(const reader *r, const np *p)
{
    const sentence_state *s = &r->s;
    if (p->kind != NP_ROLE || p->entity < 0 || r->a->entities[p->entity].kind != ENT_ORG)
        return -1;
    size_t h = p->last;
    if (!(s->tokens[h].flags & TF_LOWER) || !tok_in(s, h, ST_WORDS_ROLE) || tok_in(s, h, ST_WORDS_ORG_HEAD) ||
        tok_in(s, h, ST_WORDS_BODY_KIND) || tok_in(s, h, ST_WORDS_DOCUMENT))
        return -1;
    return p->entity;
}

static void mark_salient(reader *r, int entity_id)
{
    if (entity_id < 0)
        return;
    if (r->a->entities[entity_id].kind != ENT_PERSON) {
        r->salient_group = entity_id;
        return;
    }
    r->salient_person = entity_id;
    /* Move (or add) the person to the front of the recent list. */
    size_t at = RECENT - 1;
    for (size_t i = 0; i < RECENT; i++)
        if (r->recent[i] == entity_id) {
            at = i;
            break;
        }
    memmove(r->recent + 1, r->recent, at * sizeof r->recent[0]);
    r->recent[0] = entity_id;
}

/* "Asked whether the Water Project could be drawn in, she said", "When
 * asked about Okafor, he said": a sentence opening with an asked clause
 * names in it the topic of the question, never who answers it, so the
 * phrases between its opening and the pronoun at token at are no
 * antecedent.  Returns the token where the clause opens, or at. */
static size_t asked_topic_from(const reader *r, size_t at)
{
    const sentence_state *s = &r->s;
    size_t b = r->body;
    if (b < at && tok_is(s, b, "when") && b + 1 < at)
        b++;
    return b < at && tok_is(s, b, "asked") ? b : at;
}

/* Does the sentence name a person before the phrase being read? */
static int person_named_before(const reader *r)
{
    const sentence_state *s = &r->s;
    for (size_t k = 0; k < s->np_count; k++) {
        int e = s->nps[k].entity;
        if (e >= 0 && r->a->entities[e].kind == ENT_PERSON)
            return 1;
    }
    return 0;
}

/* he/she: a person named earlier in the same sentence ("Wahyuni said she
 * would"), else the most recent subject or speaker, skipping people whose
 * known gender does not fit.  The pronoun then teaches the gender. */
static int resolve_pronoun(reader *r, size_t at)
{
    sentence_state *s = &r->s;
    st_article *a = r->a;
    int want = tok_is(s, at, "she") || tok_is(s, at, "her") ? 2 : 1; /* "her letter" */
    /* ""...," the spokesman said. He said ...": the unnamed voice of a
     * body that led the previous sentence goes on speaking for the body,
     * unless this sentence names a person first. */
    if (r->prev_voice >= 0 && !person_named_before(r))
        return r->prev_voice;
    int found = -1;
    size_t topic = asked_topic_from(r, at);
    /* First someone known to fit, then someone not known not to. */
    for (int exact = 1; exact >= 0 && found < 0; exact--) {
        /* Someone not known to fit: first one outside a prepositional
         * phrase ("Solís said ... near Isla Portillos, in what she
         * called": not the place read as a name), then anyone. */
        for (int placed = 0; placed <= 1 && found < 0; placed++) {
            for (size_t k = s->np_count; k-- > 0 && found < 0;) {
                const np *p = &s->nps[k];
                int e = p->entity;
                if (!exact && !placed && p->first > 0 && tok_in(s, p->first - 1, ST_WORDS_PREPOSITION))
                    continue;
                if (p->first >= topic && p->last < at)
                    continue;
                if (p->kind == NP_PERSON && e >= 0 && a->entities[e].kind == ENT_PERSON &&
                    (a->entities[e].gender == want || (!exact && !a->entities[e].gender)))
                    found = e;
            }
        }
        /* A known fit among the people of the previous sentence ("Le
         * Sueur met Arnaud, the fishermen's spokesman. ... he said"). */
        for (size_t i = 0; exact && i < RECENT && found < 0; i++) {
            int e = r->prev_persons[i];
            if (e >= 0 && a->entities[e].gender == want)
                found = e;
        }
        /* Among earlier subjects, anyone not known not to fit: an old
         * "she" must not outrank the person just named. */
        for (size_t i = 0; !exact && i < RECENT && found < 0; i++) {
            int e = r->recent[i];
            if (e >= 0 && (a->entities[e].gender == want || (!exact && !a->entities[e].gender)))
                found = e;
        }
    }
    if (found < 0)
        found = r->salient_person;
    if (found >= 0 && !a->entities[found].gender)
        a->entities[found].gender = want;
    return found;
}

/* A copy of the words of a phrase, as the article wrote them (in the
 * article's arena). */
static const char *np_text(st_article *a, const sentence_state *s, const np *p)
{
    const token *f = &s->tokens[p->first], *l = &s->tokens[p->last];
    return st_arena_strndup(&a->arena, s->text + f->start, l->end - f->start);
}

/* The lower-case words of tokens [from, to), one space between. */
static st_status words_lower(const sentence_state *s, size_t from, size_t to, st_buf *out)
{
    out->len = 0;
    st_status st = st_buf_reserve(out, 1);
    for (size_t i = from; i < to && st == ST_OK; i++) {
        const token *t = &s->tokens[i];
        if (t->kind != TK_WORD)
            continue;
        if (out->len > 0)
            st = st_buf_push(out, ' ');
        for (size_t k = t->start; k < t->end && st == ST_OK; k++) {
            char c = s->text[k];
            st = st_buf_push(out, (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c);
        }
    }
    if (st == ST_OK)
        st = st_buf_reserve(out, 1);
    if (st == ST_OK)
        out->data[out->len] = '\0';
    return st;
}

/* Quote quote_index was said by role phrase p, which names nobody yet:
 * remembered for the person the story names with those words. */
static st_status add_pending(reader *r, size_t quote_index, const np *p)
{
    sentence_state *s = &r->s;
    size_t from = p->first;
    for (size_t t = p->first; t < p->last; t++)
        if (s->tokens[t].kind == TK_POSS)
            from = t + 1; /* "Romania's finance minister": the role is after the owner */
    if (is_determiner(s, from))
        from++;
    if (from > p->last || !(tok_in(s, p->last, ST_WORDS_ROLE) || tok_in(s, p->last, ST_WORDS_TITLE)))
        return ST_OK;
    if (r->npending == r->pending_cap) {
        size_t cap = r->pending_cap ? r->pending_cap * 2 : 4;
        pending_role *grown = realloc(r->pending, cap * sizeof *grown);
        if (!grown)
            return ST_ERR_NOMEM;
        r->pending = grown;
        r->pending_cap = cap;
    }
    st_status st = words_lower(s, from, p->last + 1, &r->scratch);
    if (st != ST_OK)
        return st;
    pending_role *pr = &r->pending[r->npending];
    pr->quote = quote_index;
    pr->sentence = r->sentence;
    pr->words = st_arena_strndup(&r->a->arena, r->scratch.data, r->scratch.len);
    pr->mention = np_text(r->a, s, p);
    if (!pr->words || !pr->mention)
        return ST_ERR_NOMEM;
    r->npending++;
    return ST_OK;
}

/* Do the title words `have` name the role of the pending words in the
 * other order ("trade minister" in "minister of trade and industrial
 * development", "fisheries minister" in "minister for fisheries")?
 * News names an office both ways, the short form in a lede and the
 * formal one with the name. */
static int role_of_field(const char *have, size_t hl, const char *words, size_t wl)
{
    size_t ml = wl;
    while (ml > 0 && words[ml - 1] != ' ')
        ml--;
    if (ml-- < 2)
        return 0; /* one word: no field to find */
    const char *role = words + ml + 1;
    size_t rl = wl - ml - 1;
    /* (have is NUL-terminated: strncmp stops at its end.) */
    for (size_t at = 0; at + rl + 4 + ml <= hl; at++) {
        const char *h = have + at;
        if ((at && h[-1] != ' ') || strncmp(h, role, rl) != 0 || h[rl] != ' ')
            continue;
        const char *f = h + rl + 1;
        size_t sl = !strncmp(f, "of ", 3) ? 3 : (!strncmp(f, "for ", 4) ? 4 : 0);
        if (sl && f + sl + ml <= have + hl && !strncmp(f + sl, words, ml) &&
            (f + sl + ml == have + hl || f[sl + ml] == ' '))
            return 1;
    }
    return 0;
}

/* Person `person`, just named after the words of tokens [from, to)
 * ("Finance Minister Radu Voinea"), takes the quotes pending for a role
 * those words end with; pending roles out of reach are dropped. */
static st_status claim_pending(reader *r, int person, size_t from, size_t to)
{
    st_status st = words_lower(&r->s, from, to, &r->scratch);
    if (st != ST_OK)
        return st;
    const char *have = r->scratch.data;
    size_t hl = r->scratch.len, kept = 0;
    for (size_t i = 0; i < r->npending; i++) {
        pending_role *pr = &r->pending[i];
        size_t wl = strlen(pr->words);
        int near = r->sentence - pr->sentence <= PENDING_REACH;
        int fits = (wl <= hl && memcmp(have + hl - wl, pr->words, wl) == 0 && (wl == hl || have[hl - wl - 1] == ' ')) ||
                   role_of_field(have, hl, pr->words, wl);
        st_attributed_quote *aq = &r->a->attributed[pr->quote];
        if (near && fits && aq->speaker_id < 0) {
            aq->speaker_id = person;
            r->a->mentions[pr->quote] = pr->mention;
            r->a->entities[person].spoke = 1;
            continue;
        }
        if (near)
            r->pending[kept++] = *pr;
    }
    r->npending = kept;
    return ST_OK;
}

static st_status set_speaker(reader *r, size_t quote_index, int np_index)
{
    st_article *a = r->a;
    sentence_state *s = &r->s;
    const np *p = &s->nps[np_index];
    if (p->entity < 0)
        return p->kind == NP_ROLE ? add_pending(r, quote_index, p) : ST_OK;
    st_attributed_quote *aq = &a->attributed[quote_index];
    aq->speaker_id = p->entity;
    const char *m = np_text(a, s, p);
    if (!m)
        return ST_ERR_NOMEM;
    a->mentions[quote_index] = m;
    a->entities[p->entity].spoke = 1;
    return ST_OK;
}

static size_t paragraph_of(const char *text, size_t *cursor, size_t *paragraph, size_t pos)
{
    while (*cursor < pos) {
        const char *nl = memchr(text + *cursor, '\n', pos - *cursor);
        if (!nl) {
            *cursor = pos;
            break;
        }
        (*paragraph)++;
        *cursor = (size_t)(nl - text) + 1;
    }
    return *paragraph;
}

/* Phrases x and y side by side with a comma between: "X, the Y". */
static int apposed(const sentence_state *s, const np *x, const np *y)
{
    return y->first == x->last + 2 && tok_punct(s, x->last + 1, ',');
}

/* Whichever of x and y is of the kind (x first), or NULL. */
static np *of_kind(np *x, np *y, int kind)
{
    return x->kind == kind ? x : (y->kind == kind ? y : NULL);
}

/* Gives entity `id` the role word at token t, lower-cased, so that
 * "the <word>" finds it later. */
static st_status token_role(reader *r, size_t t, int id)
{
    const token *h = &r->s.tokens[t];
    st_status st = lower_copy(&r->scratch, r->s.text + h->start, tok_len(h));
    return st == ST_OK ? add_role(r->a, &r->key, id, r->scratch.data) : st;
}

/* "The fishermen's organisation, the Normandy Fishing Committee,": an
 * institution word in apposition to a named body is that body, and
 * becomes one of its roles. */
static st_status join_body_apposition(reader *r)
{
    sentence_state *s = &r->s;
    for (size_t k = 0; k + 1 < s->np_count; k++) {
        np *x = &s->nps[k], *y = &s->nps[k + 1];
        if (!apposed(s, x, y))
            continue;
        np *role = of_kind(x, y, NP_ROLE);
        np *body = of_kind(x, y, NP_ORG);
        if (!role || !body || body->entity < 0 || !tok_in(s, role->last, ST_WORDS_ORG_HEAD))
            continue;
        st_status st = token_role(r, role->last, body->entity);
        if (st != ST_OK)
            return st;
        role->entity = body->entity;
    }
    return ST_OK;
}

/* "A spokesman for the Defence Ministry", "an official of the bank": an
 * unnamed source speaks for the body named right after "for" or "of",
 * as "a Kremlin spokesman" does for the one named before its role word
 * (resolve_unnamed_voice); the role becomes the body's, so that "the
 * spokesman" later speaks for it too.  The body is read after the role,
 * so this waits for the sentence's phrases. */
static st_status voice_for_body(reader *r)
{
    sentence_state *s = &r->s;
    for (size_t k = 0; k + 1 < s->np_count; k++) {
        np *x = &s->nps[k], *y = &s->nps[k + 1];
        if (x->kind != NP_ROLE || x->entity >= 0 || !(tok_is(s, x->first, "a") || tok_is(s, x->first, "an")) ||
            y->first != x->last + 2 || !(tok_is(s, x->last + 1, "for") || tok_is(s, x->last + 1, "of")) ||
            y->kind != NP_ORG || y->entity < 0 || r->a->entities[y->entity].kind != ENT_ORG)
            continue;
        st_status st = token_role(r, x->last, y->entity);
        if (st != ST_OK)
            return st;
        x->entity = y->entity;
    }
    return ST_OK;
}

/* "The governor of Córdoba, Rafael Ortega,": the phrase is read as the
 * place it names, yet its role words before "of", "to" or "for" are the
 * person's in apposition, so "the governor" and "Gov. Ortega" find him.
 * A country's possessive may come first ("France's Minister for
 * Fisheries, X,"): the roles are after it. */
static st_status complement_roles(reader *r, const np *q, int person)
{
    const sentence_state *s = &r->s;
    size_t f = is_determiner(s, q->first) ? q->first + 1 : q->first;
    if (f + 1 < q->last && s->tokens[f + 1].kind == TK_POSS)
        f += 2;
    size_t k = f;
    while (k < q->last && (tok_in(s, k, ST_WORDS_ROLE) || tok_in(s, k, ST_WORDS_TITLE)))
        k++;
    if (k == f || !(tok_is(s, k, "of") || tok_is(s, k, "to") || tok_is(s, k, "for")))
        return ST_OK;
    for (size_t i = f; i < k; i++) {
        st_status st = token_role(r, i, person);
        if (st != ST_OK)
            return st;
    }
    return ST_OK;
}

static st_status read_sentence(reader *r, size_t sentence_index, size_t *next_quote, size_t paragraph)
{
    st_article *a = r->a;
    sentence_state *s = &r->s;
    r->sentence = sentence_index;
    st_span span = a->sentences.items[sentence_index];
    st_status st = tokenize(s, &a->quotes, next_quote, span.start, span.end);
    if (st != ST_OK)
        return st;
    if ((st = grow_maps(s)) != ST_OK)
        return st;
    for (size_t i = 0; i < s->count; i++)
        s->np_ending[i] = s->np_starting[i] = -1;
    s->np_count = 0;

    /* Noun phrases, resolved in text order. */
    size_t body = (span.start == 0 || s->text[span.start - 1] == '\n') ? skip_dateline(s) : 0;
    r->body = body;
    for (size_t i = body; i < s->count;) {
        int kind;
        size_t end = read_np(s, i, &kind);
        if (end == i) {
            i++;
            continue;
        }
        np p = {i, end - 1, kind, -1, verb_after(s, end - 1)};
        /* A lone nationality adjective ("Russian disinformation") or a
         * dateline ("GENEVA (AP)") names nobody. */
        int subject = p.verb >= 0;
        if (kind == NP_PERSON || kind == NP_ROLE) {
            size_t f = is_determiner(s, p.first) ? p.first + 1 : p.first;
            int all_nat = 1;
            for (size_t k = f; k <= p.last; k++)
                if (!tok_in(s, k, ST_WORDS_NATIONALITY))
                    all_nat = 0;
            if (all_nat && !subject) {
                i = end;
                continue;
            }
        }
        if (kind == NP_PRONOUN_PERSON)
            p.entity = resolve_pronoun(r, i);
        else if (kind == NP_PRONOUN_GROUP) {
            /* "Rusgaz said it would ...": the first body of the sentence
             * outside a prepositional phrase, else the last body that spoke
             * or led a sentence. */
            p.entity = r->salient_group;
            for (size_t k = 0; k < s->np_count; k++) {
                int e = s->nps[k].entity;
                if (e >= 0 && r->a->entities[e].kind == ENT_ORG &&
                    !(s->nps[k].first > 0 && tok_in(s, s->nps[k].first - 1, ST_WORDS_PREPOSITION))) {
                    p.entity = e;
                    break;
                }
            }
        }
        else if ((st = resolve_any_phrase(r, &p, subject)) != ST_OK) {
            return st;
        }
        if ((st = note_word_before_name(r, &p)) != ST_OK)
            return st;
        if ((st = push_np(s, p)) != ST_OK)
            return st;
        s->np_ending[p.last] = (int)s->np_count - 1;
        s->np_starting[p.first] = (int)s->np_count - 1;
        i = p.last + 1 > end ? p.last + 1 : end; /* a described body grows (add_described_body) */
    }

    /* Apposition: "Wahyuni, the opposition leader," and "The French envoy,
     * Anne-Claire Dufour," name one person; the role joins the person so
     * that "the envoy" finds her later. */
    for (size_t k = 0; k + 1 < s->np_count; k++) {
        np *x = &s->nps[k], *y = &s->nps[k + 1];
        if (!apposed(s, x, y))
            continue;
        np *person = of_kind(x, y, NP_PERSON);
        np *role = of_kind(x, y, NP_ROLE);
        if (person && !role && person->entity >= 0 &&
            (st = complement_roles(r, person == x ? y : x, person->entity)) != ST_OK)
            return st;
        if (!person || !role || person->entity < 0 || tok_in(s, role->last, ST_WORDS_ORG_HEAD))
            continue;
        for (size_t t = role->first; t <= role->last; t++) {
            if (!tok_in(s, t, ST_WORDS_ROLE) && !tok_in(s, t, ST_WORDS_TITLE) && !tok_in(s, t, ST_WORDS_ORG_HEAD))
                continue;
            if ((st = token_role(r, t, person->entity)) != ST_OK)
                return st;
        }
        role->entity = person->entity;
    }

    if ((st = join_body_apposition(r)) != ST_OK || (st = voice_for_body(r)) != ST_OK)
        return st;

    /* "Kim Soo-yeon is the defence ministry's spokeswoman": a person
     * introduced by a role takes it. */
    for (size_t k = 0; k + 1 < s->np_count; k++) {
        np *x = &s->nps[k], *y = &s->nps[k + 1];
        if (x->kind != NP_PERSON || x->entity < 0 || y->first != x->last + 2)
            continue;
        if (!tok_is(s, x->last + 1, "is") && !tok_is(s, x->last + 1, "was") && !tok_is(s, x->last + 1, "becomes"))
            continue;
        for (size_t t = y->first; t <= y->last; t++) {
            if (!tok_in(s, t, ST_WORDS_ROLE) && !tok_in(s, t, ST_WORDS_TITLE))
                continue;
            if ((st = token_role(r, t, x->entity)) != ST_OK)
                return st;
        }
    }

    /* Quotes of this sentence. */
    int first_subject = main_subject(s, s->count);
    for (size_t i = 0; s->quotes && i < s->count; i++) {
        if (s->tokens[i].kind != TK_QUOTE)
            continue;
        size_t qi = s->tokens[i].quote;
        a->quote_sentence[qi] = sentence_index;
        int k = attribution_after(s, i);
        if (k < 0)
            k = attribution_before(s, i);
        if (k == -1)
            k = attribution_later(s, i);
        if (k == -1)
            k = document_issuer(s, i);
        if (k == -1 && !quote_only(s) && first_subject >= 0 && s->nps[first_subject].first < i)
            k = first_subject;
        if (k >= 0 && (s->nps[k].entity >= 0 || s->nps[k].kind == NP_ROLE)) {
            if ((st = set_speaker(r, qi, k)) != ST_OK)
                return st;
        } else if (quote_only(s) && !r->prev_had_quote && r->prev_subject >= 0 &&
                   paragraph <= r->prev_paragraph + 1) {
            /* A quote standing alone after a sentence about someone
             * ("Melnyk dismissed the offer." "They offer a truce...") is
             * that someone speaking. */
            a->attributed[qi].speaker_id = r->prev_subject;
        } else if (quote_only(s) && r->have_last_speaker && paragraph <= r->last_speaker_paragraph + 1) {
            /* Otherwise it goes on with the previous speaker. */
            a->attributed[qi].speaker_id = r->last_speaker;
        }
        if (a->attributed[qi].speaker_id >= 0) {
            r->last_speaker = a->attributed[qi].speaker_id;
            r->last_speaker_paragraph = paragraph;
            r->have_last_speaker = 1;
        }
    }

    /* Whom the sentence reports: its first attributed quote's speaker, or
     * the subject of its first speech verb ("Diallo warned that ..."). */
    int reported = -1, reported_np = -1;
    for (size_t i = 0; s->quotes && i < s->count && reported < 0; i++)
        if (s->tokens[i].kind == TK_QUOTE)
            reported = a->attributed[s->tokens[i].quote].speaker_id;
    for (size_t i = 0; i < s->count && reported < 0; i++) {
        if (s->tokens[i].kind == TK_WORD && (is_speech_verb(s, i) || is_according_to(s, i))) {
            int k = subject_of_verb(s, i, 0);
            if (k >= 0 && s->nps[k].entity >= 0) {
                reported = s->nps[k].entity;
                reported_np = k;
            }
        }
    }
    a->sentence_speaker[sentence_index] = reported;
    if (reported_np >= 0 && !(a->sentence_mention[sentence_index] = np_text(a, s, &s->nps[reported_np])))
        return ST_ERR_NOMEM;

    /* Salience for pronouns: the sentence's subject, then its speakers.
     * With no quote, the one it reports speaking comes last: "The convoy
     * leaves at dawn, said Gen. Anya Dorvel, who ..." puts her words in
     * the story, and the "she said" that follows goes on with her, not
     * with the convoy's sentence's subject or an earlier speaker. */
    if (first_subject >= 0)
        mark_salient(r, s->nps[first_subject].entity);
    if (!s->quotes && reported >= 0)
        mark_salient(r, reported);
    r->prev_subject = first_subject >= 0 ? s->nps[first_subject].entity : -1;
    r->prev_voice = first_subject >= 0 ? voice_of_body(r, &s->nps[first_subject]) : -1;
    size_t np_persons = 0;
    for (size_t k = s->np_count; k-- > 0 && np_persons < RECENT;) {
        int e = s->nps[k].entity;
        if (e >= 0 && a->entities[e].kind == ENT_PERSON)
            r->prev_persons[np_persons++] = e;
    }
    while (np_persons < RECENT)
        r->prev_persons[np_persons++] = -1;
    r->prev_paragraph = paragraph;
    r->prev_had_quote = s->quotes > 0;
    for (size_t i = 0; s->quotes && i < s->count; i++) {
        if (s->tokens[i].kind == TK_QUOTE)
            mark_salient(r, a->attributed[s->tokens[i].quote].speaker_id);
    }
    return ST_OK;
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */

st_status st_article_read(const st_doc *doc, st_article **out, st_diag *diag)
{
    (void)diag;
    *out = NULL;
    st_article *a = calloc(1, sizeof *a);
    if (!a)
        return ST_ERR_NOMEM;
    a->doc = doc;
    const char *text = st_doc_text(doc);
    size_t size = st_doc_size(doc);
    st_status st = st_quotes_find(text, size, &a->quotes);
    if (st == ST_OK)
        st = st_sentences_split(text, size, &a->quotes, &a->sentences);
    if (st != ST_OK) {
        st_article_free(a);
        return st;
    }
    /* Per-quote and per-sentence arrays from the arena: no malloc or
     * free of their own. */
    size_t nq = a->quotes.count;
    a->attributed = st_arena_calloc(&a->arena, nq, sizeof *a->attributed);
    a->quote_sentence = st_arena_calloc(&a->arena, nq, sizeof *a->quote_sentence);
    a->mentions = st_arena_calloc(&a->arena, nq, sizeof *a->mentions);
    size_t ns = a->sentences.count;
    a->sentence_speaker = st_arena_calloc(&a->arena, ns, sizeof *a->sentence_speaker);
    a->sentence_mention = st_arena_calloc(&a->arena, ns, sizeof *a->sentence_mention);
    if (!a->attributed || !a->quote_sentence || !a->mentions || !a->sentence_speaker || !a->sentence_mention) {
        st_article_free(a);
        return ST_ERR_NOMEM;
    }
    for (size_t i = 0; i < nq; i++)
        a->attributed[i].speaker_id = -1;
    for (size_t i = 0; i < ns; i++)
        a->sentence_speaker[i] = -1;

    reader r;
    memset(&r, 0, sizeof r);
    r.a = a;
    r.s.text = text;
    r.s.size = size;
    r.s.words8 = st_words8_get();
    r.salient_person = r.salient_group = r.last_speaker = r.prev_subject = r.kind_body = r.prev_voice = -1;
    for (size_t i = 0; i < RECENT; i++)
        r.recent[i] = r.prev_persons[i] = -1;
    size_t next_quote = 0, cursor = 0, paragraph = 0;
    for (size_t k = 0; k < a->sentences.count && st == ST_OK; k++) {
        size_t par = paragraph_of(text, &cursor, &paragraph, a->sentences.items[k].start);
        st = read_sentence(&r, k, &next_quote, par);
    }
    if (st == ST_OK)
        st = show_acronyms(a);
    free(r.pending); /* its strings are the arena's */
    free(r.s.tokens);
    free(r.s.nps);
    free(r.s.np_ending);
    free(r.s.np_starting);
    st_buf_free(&r.scratch);
    st_buf_free(&r.key.buf);
    if (st != ST_OK) {
        st_article_free(a);
        return st;
    }
    /* A quoted paragraph left open continues in the next one: the pieces
     * share a speaker (the attribution usually comes with the last). */
    for (size_t i = nq; i-- > 0;) {
        if (a->quotes.items[i].continues && a->attributed[i].speaker_id < 0 && i + 1 < nq)
            a->attributed[i].speaker_id = a->attributed[i + 1].speaker_id;
    }
    for (size_t i = 0; i < nq; i++) {
        st_attributed_quote *aq = &a->attributed[i];
        aq->quote = a->quotes.items[i];
        aq->sentence = a->quote_sentence[i];
        aq->speaker = aq->speaker_id >= 0 ? a->entities[aq->speaker_id].name : NULL;
        aq->mention = aq->speaker_id >= 0 ? a->mentions[i] : NULL;
    }
    *out = a;
    return ST_OK;
}

void st_article_free(st_article *a)
{
    if (!a)
        return;
    st_spans_clear(&a->sentences);
    st_quotes_clear(&a->quotes);
    free(a->entities);
    index_free(&a->index);
    st_arena_free(&a->arena);
    free(a);
}

size_t st_article_sentence_count(const st_article *a) { return a->sentences.count; }

st_span st_article_sentence(const st_article *a, size_t index) { return a->sentences.items[index]; }

const char *st_article_sentence_speaker(const st_article *a, size_t index, const char **mention)
{
    if (mention)
        *mention = NULL;
    if (index >= a->sentences.count || !a->sentence_speaker || a->sentence_speaker[index] < 0)
        return NULL;
    if (mention)
        *mention = a->sentence_mention[index];
    return a->entities[a->sentence_speaker[index]].name;
}

size_t st_article_quote_count(const st_article *a) { return a->quotes.count; }

const st_attributed_quote *st_article_quote(const st_article *a, size_t index) { return &a->attributed[index]; }
