/*
 * st_features.c - tokeniser, feature extractor, vocabulary, vectoriser.
 * See st_features.h for the contracts and the feature names.
 *
 * The extractor works on two token streams per text:
 *  - the split stream (st_tokens): folded words with contractions split
 *    (don't -> do n't), used for the q: and c: n-grams;
 *  - the matching stream: the same tokens with the contraction pieces
 *    spelt out (n't -> not, 'll -> will, 're -> are, 've -> have,
 *    'm -> am, 'd -> would), used for the lexicons.  The extractor keeps
 *    its own copy of the lexicon in which every entry written with a
 *    contraction ("won't back down") also appears spelt out ("will not
 *    back down"), so both spellings in a text match both in the lexicon.
 */
#include "st_features.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "st_util.h"

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */

/*
 * Feature-name hashing.  A polynomial over the bytes, p(s) = sum of
 * s[i] B^(n-1-i) mod 2^64, because the polynomial of a concatenation
 * follows from its pieces' (p(XY) = p(X) B^|Y| + p(Y)): the fast path
 * (st_extractor_run_vector) hashes "q:" + token + " " + token from each
 * token's polynomial, computed once, without building the name.  The
 * polynomial's low bits are weak (bit 0 is the parity of the bytes'
 * sum), so tables use name_mix of it and the length.  Internal only:
 * nothing saved depends on it (vocabulary ids follow the names' byte
 * order, features their order of appearance), and every table compares
 * the bytes on a hash hit, so a collision costs time, never a result.
 */
#define POLY_B 0x9E3779B97F4A7C15ULL

/* A piece of a feature name: its bytes, their polynomial and B^len. */
typedef struct piece {
    const char *s;
    size_t len;
    uint64_t p;
    uint64_t pw;
} piece;

static uint64_t poly_bytes(const char *s, size_t n, uint64_t *pw)
{
    uint64_t p = 0, w = 1;
    for (size_t i = 0; i < n; i++) {
        p = p * POLY_B + (unsigned char)s[i];
        w *= POLY_B;
    }
    if (pw)
        *pw = w;
    return p;
}

static uint64_t poly_pow(size_t n)
{
    uint64_t w = 1;
    while (n-- > 0)
        w *= POLY_B;
    return w;
}

static uint64_t load64(const char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static uint32_t load32(const char *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static uint16_t load16(const char *p)
{
    uint16_t v;
    memcpy(&v, p, 2);
    return v;
}

/* memcmp(a, b, n) == 0 for the short strings of names, without a call:
 * two overlapping loads cover 2 to 16 bytes, never reading past n. */
static inline __attribute__((always_inline)) int bytes_equal(const char *a, const char *b, size_t n)
{
    if (n >= 8) {
        for (size_t i = 0; i + 8 < n; i += 8)
            if (load64(a + i) != load64(b + i))
                return 0;
        return load64(a + n - 8) == load64(b + n - 8);
    }
    if (n >= 4)
        return load32(a) == load32(b) && load32(a + n - 4) == load32(b + n - 4);
    if (n >= 2)
        return load16(a) == load16(b) && load16(a + n - 2) == load16(b + n - 2);
    return n == 0 || a[0] == b[0];
}

static void piece_set(piece *pc, const char *s, size_t n)
{
    pc->s = s;
    pc->len = n;
    pc->p = poly_bytes(s, n, &pc->pw);
}

static uint64_t name_mix(uint64_t p, size_t len)
{
    uint64_t h = p ^ ((uint64_t)len * 0xD6E8FEB86659FD93ULL);
    h ^= h >> 32;
    h *= 0xD6E8FEB86659FD93ULL;
    h ^= h >> 32;
    h *= 0xD6E8FEB86659FD93ULL;
    return h ^ (h >> 32);
}

static uint64_t hash_bytes(const char *s, size_t n)
{
    return name_mix(poly_bytes(s, n, NULL), n);
}

static size_t vector_finish(struct svm_node *nodes, size_t count);

/* st_feature_value, inline for the fast path. */
static inline double feature_value(double raw, double scale)
{
    if (!(raw > 0) || !isfinite(raw))
        return 0;
    if (raw == 1.0)
        return scale; /* (1 + log(1)) * scale, log(1) being exactly 0 */
    return (1.0 + log(raw)) * scale;
}

/* Grows an array of item_size items to hold at least `need` items. */
static st_status grow_to(void **items, size_t *capacity, size_t need, size_t item_size)
{
    if (need <= *capacity)
        return ST_OK;
    size_t cap = *capacity ? *capacity : 16;
    while (cap < need) {
        if (cap > SIZE_MAX / 2 / item_size)
            return ST_ERR_NOMEM;
        cap *= 2;
    }
    if (cap > SIZE_MAX / item_size)
        return ST_ERR_NOMEM;
    void *p = realloc(*items, cap * item_size);
    if (p == NULL)
        return ST_ERR_NOMEM;
    *items = p;
    *capacity = cap;
    return ST_OK;
}

/* Resizes one of several parallel arrays to `count` items (*items keeps
 * its old block when realloc fails, so the owner still frees it). */
static int resize_array(void **items, size_t count, size_t item_size)
{
    void *p = realloc(*items, count * item_size);
    if (p == NULL)
        return 0;
    *items = p;
    return 1;
}

static int is_apostrophe(int32_t cp)
{
    return cp == '\'' || cp == 0x2019 || cp == 0x02BC || cp == 0x2018;
}

static int is_hyphen(int32_t cp)
{
    return cp == '-' || cp == 0x2010 || cp == 0x2011;
}

static int is_mark(int32_t cp)
{
    if (cp < 0x300)
        return 0;
    utf8proc_category_t c = utf8proc_category(cp);
    return c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_MC || c == UTF8PROC_CATEGORY_ME;
}

static int is_word_char(int32_t cp)
{
    if (cp < 0)
        return 0;
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    return st_cp_is_letter(cp) || st_cp_is_digit(cp) || is_mark(cp);
}

static int is_alpha_char(int32_t cp)
{
    if (cp < 0)
        return 0;
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    return st_cp_is_letter(cp);
}

static int is_digit_char(int32_t cp)
{
    if (cp < 0)
        return 0;
    if (cp < 0x80)
        return cp >= '0' && cp <= '9';
    return st_cp_is_digit(cp);
}

/* Decodes the code point at pos (end of text: cp = -2, length 0). */
static size_t cp_at(const char *text, size_t len, size_t pos, int32_t *cp)
{
    if (pos >= len) {
        *cp = -2;
        return 0;
    }
    unsigned char b = (unsigned char)text[pos];
    if (b < 0x80) {
        *cp = b;
        return 1;
    }
    return st_utf8_decode(text + pos, len - pos, cp);
}

static int ascii_prefix_ci(const char *text, size_t len, size_t pos, const char *prefix)
{
    size_t n = strlen(prefix);
    if (len - pos < n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = text[pos + i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != prefix[i])
            return 0;
    }
    return 1;
}

/* Whether a URL starts at text[pos] (http://, https://, www., any case);
 * its second byte, t or w, rules out most words first (we, with, have). */
static inline int url_at(const char *text, size_t len, size_t pos)
{
    unsigned char b1 = pos + 1 < len ? (unsigned char)text[pos + 1] | 0x20 : 0;
    if (b1 != 't' && b1 != 'w')
        return 0;
    return ascii_prefix_ci(text, len, pos, "http://") || ascii_prefix_ci(text, len, pos, "https://") ||
           ascii_prefix_ci(text, len, pos, "www.");
}

/* ------------------------------------------------------------------ */
/* Tokens                                                              */

/*
 * The word cache's hash of a token's bytes (see word_entry): eight bytes
 * at a time, the last ones zero-padded, the first byte lowest, mixed with
 * the length.  Not the names' polynomial: the tokeniser gets it from the
 * folded bytes it has just written, a word at a time.
 */
static inline uint64_t hash_step(uint64_t h, uint64_t w)
{
    h = (h ^ w) * 0x9E3779B97F4A7C15ULL;
    return h ^ (h >> 32);
}

static inline uint64_t hash_end(uint64_t h)
{
    return h ^ (h >> 29);
}

static inline uint64_t hash_start(size_t n)
{
    return (uint64_t)n * 0xD6E8FEB86659FD93ULL;
}

/* The bytes s[0..n) (n <= 8) as a number, the first byte lowest. */
static inline uint64_t le_bytes(const char *s, size_t n)
{
    uint64_t w = 0;
    for (size_t j = 0; j < n; j++)
        w |= (uint64_t)(unsigned char)s[j] << (8 * j);
    return w;
}

static inline uint64_t token_hash(const char *s, size_t n)
{
    uint64_t h = hash_start(n);
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        h = hash_step(h, le_bytes(s + i, 8));
    if (i < n)
        h = hash_step(h, le_bytes(s + i, n - i));
    return hash_end(h);
}

static inline uint64_t token_hash1(unsigned char b)
{
    return hash_end(hash_step(hash_start(1), b));
}

/* TOK_STEP: the first token of a step of the scanner (tokenize_from).
 * TOK_NEAR: the token's step read no byte past the one after the token
 * (nor tested for the end of the text further),
 * and, for a word starting with h or w (the URL test), none past the
 * eighth from its start (see quote_from_sentence). */
enum { TOK_WORD = 1, TOK_CAP = 2, TOK_STEP = 4, TOK_NEAR = 8 };
/* The high four bits of a token's flags, when not 0 and not TOK_NEAR: how
 * many bytes past the token its step read at most (or tested the end of
 * the text at), under the same rule for words starting with h or w. */
#define TOK_REACH(r) ((unsigned char)((r) << 4))

struct st_tokens {
    st_buf text;          /* token strings, each NUL-terminated */
    size_t *offsets;      /* start of token i in text.data */
    uint64_t *hash;       /* token_hash of token i (the extractor's word cache) */
    st_span *spans;
    unsigned char *flags;
    const char **array;   /* pointers into text.data, valid after st_tokenize */
    size_t count;
    size_t capacity;      /* of offsets, spans, flags, array */
    int32_t *fold;        /* scratch for utf8proc */
    size_t fold_cap;
    st_buf word;          /* scratch: the folded word being built */
    st_buf pre;           /* scratch: a non-ASCII word before utf8proc */
    int odd;              /* a folded word holds a space or a colon */
    int urls;             /* a token is a URL */
};

st_status st_tokens_new(st_tokens **out)
{
    *out = calloc(1, sizeof **out);
    return *out ? ST_OK : ST_ERR_NOMEM;
}

void st_tokens_free(st_tokens *t)
{
    if (t == NULL)
        return;
    st_buf_free(&t->text);
    st_buf_free(&t->word);
    st_buf_free(&t->pre);
    free(t->offsets);
    free(t->hash);
    free(t->spans);
    free(t->flags);
    free(t->array);
    free(t->fold);
    free(t);
}

static st_status tokens_reserve(st_tokens *t, size_t need)
{
    if (need <= t->capacity)
        return ST_OK;
    size_t cap = t->capacity ? t->capacity : 32;
    while (cap < need) {
        if (cap > SIZE_MAX / 2 / sizeof(st_span))
            return ST_ERR_NOMEM;
        cap *= 2;
    }
    if (!resize_array((void **)&t->offsets, cap, sizeof *t->offsets) ||
        !resize_array((void **)&t->hash, cap, sizeof *t->hash) ||
        !resize_array((void **)&t->spans, cap, sizeof *t->spans) ||
        !resize_array((void **)&t->flags, cap, sizeof *t->flags) ||
        !resize_array((void **)&t->array, cap, sizeof *t->array))
        return ST_ERR_NOMEM;
    t->capacity = cap;
    return ST_OK;
}

static st_status tokens_push(st_tokens *t, const char *s, size_t n, size_t start,
                             size_t end, unsigned char flags)
{
    /* The usual case, room for the token already: no calls. */
    if (t->count >= t->capacity || t->text.cap - t->text.len < n + 2) {
        st_status status = tokens_reserve(t, t->count + 1);
        if (status == ST_OK)
            status = st_buf_reserve(&t->text, n + 1);
        if (status != ST_OK)
            return status;
    }
    size_t off = t->text.len;
    memcpy(t->text.data + off, s, n);
    t->text.data[off + n] = '\0';
    t->text.len += n + 1;
    t->offsets[t->count] = off;
    t->hash[t->count] = token_hash(s, n);
    t->spans[t->count].start = start;
    t->spans[t->count].end = end;
    t->flags[t->count] = flags;
    t->count++;
    return ST_OK;
}

/*
 * Folds text[start..end) (one word) into t->word: apostrophes become ',
 * hyphens -, ASCII letters lowercase; a word with non-ASCII bytes goes
 * through utf8proc (compatibility composition, case folding, default
 * ignorables removed).
 */
static st_status fold_word(st_tokens *t, const char *text, size_t start, size_t end)
{
    t->word.len = 0;
    int ascii = 1;
    for (size_t i = start; i < end; i++)
        if ((unsigned char)text[i] >= 0x80)
            ascii = 0;
    st_status status = st_buf_reserve(&t->word, end - start);
    if (status != ST_OK)
        return status;
    if (ascii) {
        for (size_t i = start; i < end; i++) {
            char c = text[i];
            if (c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
            t->word.data[t->word.len++] = c;
        }
        t->word.data[t->word.len] = '\0';
        return ST_OK;
    }
    /* Map apostrophes and hyphens first, code point by code point, into
     * the scratch, then let utf8proc fold what remains. */
    st_buf *pre = &t->pre;
    pre->len = 0;
    for (size_t i = start; i < end;) {
        int32_t cp;
        size_t n = cp_at(text, end, i, &cp);
        if (is_apostrophe(cp))
            status = st_buf_push(pre, '\'');
        else if (is_hyphen(cp))
            status = st_buf_push(pre, '-');
        else
            status = st_buf_append(pre, text + i, n);
        if (status != ST_OK)
            return status;
        i += n;
    }
    utf8proc_option_t options = UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                                UTF8PROC_CASEFOLD | UTF8PROC_IGNORE;
    utf8proc_ssize_t got = -1;
    for (int attempt = 0; attempt < 2; attempt++) {
        size_t want = attempt == 0 ? pre->len + 1 : (size_t)got + 1;
        if ((status = grow_to((void **)&t->fold, &t->fold_cap, want, sizeof *t->fold)) != ST_OK)
            return status;
        got = utf8proc_decompose((const utf8proc_uint8_t *)pre->data, (utf8proc_ssize_t)pre->len,
                                 t->fold, (utf8proc_ssize_t)t->fold_cap - 1, options);
        if (got < 0 || (size_t)got < t->fold_cap)
            break;
    }
    if (got >= 0 && (size_t)got < t->fold_cap) {
        got = utf8proc_normalize_utf32(t->fold, got, options);
        if (got >= 0)
            got = utf8proc_reencode(t->fold, got, options);
    } else {
        got = -1;
    }
    if (got < 0) {
        /* Cannot happen for valid input; keep the mapped bytes. */
        status = st_buf_append(&t->word, pre->data, pre->len);
    } else {
        status = st_buf_append(&t->word, (const char *)t->fold, (size_t)got);
    }
    /* Compatibility folding can bring a space or a colon into a word (the
     * fast path's n-gram keys assume none: see ngram_key). */
    if (status == ST_OK && (memchr(t->word.data, ' ', t->word.len) || memchr(t->word.data, ':', t->word.len)))
        t->odd = 1;
    if (status == ST_OK && st_buf_reserve(&t->word, 0) == ST_OK)
        t->word.data[t->word.len] = '\0';
    return status;
}

/* Emits the word text[start..end) with contractions split. */
static st_status emit_word(st_tokens *t, const char *text, size_t start, size_t end)
{
    st_status status = fold_word(t, text, start, end);
    if (status != ST_OK)
        return status;
    int32_t first;
    cp_at(text, end, start, &first);
    unsigned char flags = TOK_WORD | (st_cp_is_upper(first) ? TOK_CAP : 0);
    const char *w = t->word.data;
    size_t n = t->word.len;

    if (n == 0)
        return ST_OK; /* only ignorable code points */
    if (is_digit_char(first))
        return tokens_push(t, "<num>", 5, start, end, flags);

    /* Where the last apostrophe is, in the original and the folded word. */
    size_t apos_orig = (size_t)-1;
    for (size_t i = start; i < end;) {
        int32_t cp;
        size_t k = cp_at(text, end, i, &cp);
        if (is_apostrophe(cp))
            apos_orig = i;
        i += k;
    }
    const char *apos = NULL;
    for (size_t i = 0; i < n; i++)
        if (w[i] == '\'')
            apos = w + i;

    /* ...n't: don't -> do n't, won't -> will n't, can't -> can n't. */
    if (apos != NULL && apos_orig != (size_t)-1 && n >= 4 && strcmp(w + n - 3, "n't") == 0 &&
        apos == w + n - 2 && apos_orig > start) {
        size_t base_len = n - 3;
        const char *base = w;
        if (base_len == 2 && memcmp(w, "wo", 2) == 0)
            base = "will", base_len = 4;
        else if (base_len == 2 && memcmp(w, "ca", 2) == 0)
            base = "can", base_len = 3;
        else if (base_len == 3 && memcmp(w, "sha", 3) == 0)
            base = "shall", base_len = 5;
        size_t split = apos_orig; /* the n, when it is one byte */
        if (text[apos_orig - 1] == 'n' || text[apos_orig - 1] == 'N')
            split = apos_orig - 1;
        char copy[8];
        if (base != w) {
            memcpy(copy, base, base_len);
            base = copy;
        }
        /* base may point into t->word, which tokens_push does not touch. */
        if ((status = tokens_push(t, base, base_len, start, split, flags)) != ST_OK)
            return status;
        return tokens_push(t, "n't", 3, split, end, TOK_WORD);
    }
    if (n == 6 && memcmp(w, "cannot", 6) == 0) {
        if ((status = tokens_push(t, "can", 3, start, start + 3, flags)) != ST_OK)
            return status;
        return tokens_push(t, "n't", 3, start + 3, end, TOK_WORD);
    }
    /* Clitics: Russia's -> russia 's, we'll -> we 'll, ... */
    if (apos != NULL && apos > w && apos_orig != (size_t)-1) {
        const char *suffix = apos + 1;
        static const char *const clitics[] = {"s", "re", "ve", "ll", "d", "m"};
        for (size_t k = 0; k < sizeof clitics / sizeof clitics[0]; k++) {
            if (strcmp(suffix, clitics[k]) == 0) {
                size_t base_len = (size_t)(apos - w);
                if ((status = tokens_push(t, w, base_len, start, apos_orig, flags)) != ST_OK)
                    return status;
                return tokens_push(t, apos, n - base_len, apos_orig, end, TOK_WORD);
            }
        }
    }
    return tokens_push(t, w, n, start, end, flags);
}

/* ASCII letters and digits folded (lowercase), 0 for any other byte. */
static const char ascii_word_fold[256] = {
    ['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4', ['5'] = '5', ['6'] = '6', ['7'] = '7',
    ['8'] = '8', ['9'] = '9',
    ['a'] = 'a', ['b'] = 'b', ['c'] = 'c', ['d'] = 'd', ['e'] = 'e', ['f'] = 'f', ['g'] = 'g', ['h'] = 'h',
    ['i'] = 'i', ['j'] = 'j', ['k'] = 'k', ['l'] = 'l', ['m'] = 'm', ['n'] = 'n', ['o'] = 'o', ['p'] = 'p',
    ['q'] = 'q', ['r'] = 'r', ['s'] = 's', ['t'] = 't', ['u'] = 'u', ['v'] = 'v', ['w'] = 'w', ['x'] = 'x',
    ['y'] = 'y', ['z'] = 'z',
    ['A'] = 'a', ['B'] = 'b', ['C'] = 'c', ['D'] = 'd', ['E'] = 'e', ['F'] = 'f', ['G'] = 'g', ['H'] = 'h',
    ['I'] = 'i', ['J'] = 'j', ['K'] = 'k', ['L'] = 'l', ['M'] = 'm', ['N'] = 'n', ['O'] = 'o', ['P'] = 'p',
    ['Q'] = 'q', ['R'] = 'r', ['S'] = 's', ['T'] = 't', ['U'] = 'u', ['V'] = 'v', ['W'] = 'w', ['X'] = 'x',
    ['Y'] = 'y', ['Z'] = 'z',
};

/*
 * Whether the code point at u[f] (the end of the text: none) is neither
 * a letter nor a digit, judged from its first bytes: an ASCII byte other
 * than a letter or digit, or U+2000..U+203F (general punctuation).  0
 * also when it cannot tell cheaply (the caller takes the general path).
 */
static int ends_no_word(const unsigned char *u, size_t len, size_t f)
{
    if (f >= len)
        return 1;
    if (u[f] < 0x80)
        return ascii_word_fold[u[f]] == 0;
    return u[f] == 0xE2 && len - f >= 3 && u[f + 1] == 0x80 && (u[f + 2] & 0xC0) == 0x80;
}

/* Room for one more token of `bytes` bytes (its NUL included). */
static inline st_status token_room(st_tokens *t, size_t bytes)
{
    if (t->count < t->capacity && t->text.cap - t->text.len > bytes)
        return ST_OK;
    st_status status = tokens_reserve(t, t->count + 1);
    return status == ST_OK ? st_buf_reserve(&t->text, bytes) : status;
}

/* A one-byte token (its polynomial is the byte), without tokens_push's
 * copy loop and hashing: the scanner's marks and dots. */
static inline st_status push_byte(st_tokens *t, unsigned char b, size_t start, size_t end, unsigned char flags)
{
    st_status status = token_room(t, 2);
    if (status != ST_OK)
        return status;
    size_t off = t->text.len;
    t->text.data[off] = (char)b;
    t->text.data[off + 1] = '\0';
    t->text.len += 2;
    t->offsets[t->count] = off;
    t->hash[t->count] = token_hash1(b);
    t->spans[t->count].start = start;
    t->spans[t->count].end = end;
    t->flags[t->count] = flags;
    t->count++;
    return ST_OK;
}

/* A U+2010..U+2027 mark (E2 80 c) at text[pos], as tokens_push would
 * push its three bytes, the hash made from them without its loop. */
static inline st_status push_mark3(st_tokens *t, unsigned char c, size_t pos)
{
    st_status status = token_room(t, 4);
    if (status != ST_OK)
        return status;
    size_t count = t->count, off = t->text.len;
    char *d = t->text.data + off;
    d[0] = (char)0xE2;
    d[1] = (char)0x80;
    d[2] = (char)c;
    d[3] = '\0';
    t->text.len = off + 4;
    t->offsets[count] = off;
    t->hash[count] = hash_end(hash_step(hash_start(3), 0x80E2u | ((uint64_t)c << 16)));
    t->spans[count].start = pos;
    t->spans[count].end = pos + 3;
    t->flags[count] = TOK_NEAR | TOK_STEP;
    t->count = count + 1;
    return ST_OK;
}

/*
 * The common case: a word of ASCII letters and digits at text[pos], up to
 * a byte that cannot continue a word (no apostrophe, hyphen, inner dot or
 * comma, no non-ASCII letter or mark): no decoding, no contraction rules,
 * folded while it is copied into place.  A word before a dot or a comma
 * or a general punctuation mark (U+2000..U+203F) that cannot join it to
 * more is taken here too, as the general path would cut it.  Returns 1 with the token pushed
 * and *end set, 0 when the word needs the general path (nothing pushed),
 * -1 out of memory.
 */
static int ascii_word(st_tokens *t, const char *text, size_t len, size_t pos, size_t *end)
{
    if (t->count + 2 > t->capacity && tokens_reserve(t, t->count + 2) != ST_OK)
        return -1;
    if (t->text.cap - t->text.len < len - pos + 8 && st_buf_reserve(&t->text, len - pos + 7) != ST_OK)
        return -1;
    char *w = t->text.data + t->text.len;
    const unsigned char *u = (const unsigned char *)text;
    size_t e = pos;
    char c;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    /* ASCII letters eight bytes at a time while they are in the text,
     * lowercased by setting 0x20: which bytes are letters comes from
     * byte-wise range tests on the bytes with 0x20 set and the high bit
     * cleared (each below 0x80, so no sum carries into the next byte).
     * A digit or the end of the word stops it; the loop below goes on
     * from there, byte by byte.  The copy may write a few bytes past
     * the word: the room reserved above covers them, and the token's NUL
     * and later tokens overwrite them. */
    while (len - e >= 8) {
        const uint64_t high = 0x8080808080808080ULL;
        uint64_t v = load64(text + e);
        uint64_t l = (v | 0x2020202020202020ULL) & ~high;
        uint64_t letter = (l + 0x1F1F1F1F1F1F1F1FULL) & ~(l + 0x0505050505050505ULL) & ~v & high;
        uint64_t folded = v | (letter >> 2);
        memcpy(w + (e - pos), &folded, 8);
        uint64_t stop = letter ^ high;
        if (stop != 0) {
            e += (size_t)__builtin_ctzll(stop) >> 3;
            break;
        }
        e += 8;
    }
#endif
    while (e < len && (c = ascii_word_fold[u[e]]) != 0) {
        w[e - pos] = c;
        e++;
    }
    unsigned char next = e < len ? u[e] : ' ';
    unsigned char near = TOK_NEAR;
    if (next == '.' || next == ',') {
        /* The general path goes on past the mark only into a letter or a
         * digit ("3.5", "U.S"): before anything else the word ends here,
         * the step having read the mark and the first byte after it, or
         * the three of U+2000..U+203F (so not TOK_NEAR). */
        if (!ends_no_word(u, len, e + 1))
            return 0;
        near = TOK_REACH(e + 1 < len && u[e + 1] >= 0x80 ? 4 : 2);
    } else if (next >= 0x80) {
        /* A closing curly quote, a dash: U+2000..U+203F is no letter,
         * digit or mark; only the apostrophes U+2018, U+2019 and the
         * hyphens U+2010, U+2011 may join the word to what follows. */
        if (!(next == 0xE2 && len - e >= 3 && u[e + 1] == 0x80 && (u[e + 2] & 0xC0) == 0x80 &&
              u[e + 2] != 0x90 && u[e + 2] != 0x91 && u[e + 2] != 0x98 && u[e + 2] != 0x99))
            return 0;
        near = TOK_REACH(3);
    } else if (next == '\'' || next == '-') {
        return 0;
    }
    size_t n = e - pos;
    unsigned char flags = TOK_WORD | TOK_STEP | near | (u[pos] >= 'A' && u[pos] <= 'Z' ? TOK_CAP : 0);
    uint64_t h;
    if (u[pos] <= '9') {
        memcpy(w, "<num>", 5);
        n = 5;
        h = token_hash(w, 5);
    } else if (n == 6 && memcmp(w, "cannot", 6) == 0) {
        if (tokens_push(t, "can", 3, pos, pos + 3, flags) != ST_OK ||
            tokens_push(t, "n't", 3, pos + 3, e, TOK_WORD) != ST_OK)
            return -1;
        *end = e;
        return 1;
    } else {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        /* token_hash from one load: the buffer has room for eight bytes
         * past the word (those past it masked off). */
        if (n <= 8) {
            h = hash_end(hash_step(hash_start(n), load64(w) & (n == 8 ? ~(uint64_t)0 : ((uint64_t)1 << (8 * n)) - 1)));
        } else {
            /* The same, a word at a time, the last one masked too. */
            size_t i = 8;
            h = hash_step(hash_start(n), load64(w));
            for (; i + 8 <= n; i += 8)
                h = hash_step(h, load64(w + i));
            if (i < n)
                h = hash_step(h, load64(w + i) & (((uint64_t)1 << (8 * (n - i))) - 1));
            h = hash_end(h);
        }
#else
        h = token_hash(w, n);
#endif
    }
    w[n] = '\0';
    /* (count and len read once: the size_t stores could alias them.) */
    size_t count = t->count, tlen = t->text.len;
    t->offsets[count] = tlen;
    t->hash[count] = h;
    t->spans[count].start = pos;
    t->spans[count].end = e;
    t->flags[count] = flags;
    t->text.len = tlen + n + 1;
    t->count = count + 1;
    *end = e;
    return 1;
}

/*
 * One step of the scanner's general path at text[pos]: what the fast
 * cases of tokenize_from leave (non-ASCII text, URLs, words with
 * apostrophes, hyphens or inner dots, dot runs, the rest); returns the
 * position past it, the status in *result.  Out of line, so that the ASCII loop keeps its variables in
 * registers.
 */
static __attribute__((noinline)) size_t scan_general(st_tokens *t, const char *text, size_t len, size_t pos,
                                                     st_status *result)
{
    st_status status = ST_OK;
    {
    int32_t cp;
    size_t n = cp_at(text, len, pos, &cp);
    if (cp < 0 || cp < 0x20 || cp == 0x7F || st_cp_is_space(cp) ||
        (cp >= 0x80 && cp < 0xA0) || (cp >= 0x80 && utf8proc_category(cp) == UTF8PROC_CATEGORY_CF)) {
        pos += n;
        goto done;
    }
    /* URLs: up to the next space, less trailing punctuation. */
    if ((cp == 'h' || cp == 'H' || cp == 'w' || cp == 'W') && url_at(text, len, pos)) {
        size_t end = pos;
        while (end < len) {
            int32_t c;
            size_t k = cp_at(text, len, end, &c);
            if (c < 0x21 || st_cp_is_space(c))
                break;
            end += k;
        }
        while (end > pos) {
            size_t prev = st_utf8_prev(text, pos, end);
            int32_t c;
            cp_at(text, len, prev, &c);
            if (c == '/' || !(st_cp_is_punct(c) || c < 0))
                break;
            end = prev;
        }
        status = tokens_push(t, "<url>", 5, pos, end, TOK_WORD);
        t->urls = 1;
        pos = end;
        goto done;
    }
    if (is_word_char(cp)) {
        size_t end = pos + n;
        int32_t prev = cp;
        int dotted = 0;        /* an abbreviation's inner dot was taken */
        size_t segment = 1;    /* letters in the current dot segment */
        for (;;) {
            int32_t c, next;
            size_t k = cp_at(text, len, end, &c);
            if (k == 0)
                break;
            if (is_word_char(c)) {
                end += k;
                prev = c;
                segment++;
                continue;
            }
            size_t k2 = cp_at(text, len, end + k, &next);
            if ((is_apostrophe(c) || is_hyphen(c)) && is_word_char(prev) && is_word_char(next)) {
                end += k + k2;
                prev = next;
                segment = 1;
                continue;
            }
            if ((c == '.' || c == ',') && is_digit_char(prev) && is_digit_char(next)) {
                end += k + k2;
                prev = next;
                continue;
            }
            if (c == '.' && segment == 1 && is_alpha_char(prev) && is_alpha_char(next)) {
                /* U.S, e.g: single letters joined by dots */
                size_t k3;
                int32_t after;
                k3 = cp_at(text, len, end + k + k2, &after);
                (void)k3;
                if (!is_word_char(after)) {
                    end += k + k2;
                    prev = next;
                    dotted = 1;
                    segment = 1;
                    continue;
                }
            }
            if (c == '.' && dotted && segment == 1) {
                end += k; /* the final dot of U.S. */
            }
            break;
        }
        status = emit_word(t, text, pos, end);
        pos = end;
        goto done;
    }
    /* Punctuation and symbols: one code point each; dot runs and the
     * ellipsis are one token. */
    if (cp == '.' || cp == 0x2026) {
        size_t end = pos + n;
        size_t dots = cp == '.' ? 1 : 3;
        for (;;) {
            int32_t c;
            size_t k = cp_at(text, len, end, &c);
            if (c != '.' && c != 0x2026)
                break;
            dots += c == '.' ? 1 : 3;
            end += k;
        }
        if (dots >= 3)
            status = tokens_push(t, "\xE2\x80\xA6", 3, pos, end, 0);
        else
            status = tokens_push(t, ".", 1, pos, pos + 1, 0), end = pos + 1;
        pos = end;
        goto done;
    }
    if (is_apostrophe(cp))
        status = tokens_push(t, "'", 1, pos, pos + n, 0);
    else
        status = tokens_push(t, text + pos, n, pos, pos + n, 0);
    pos += n;
    }
done:
    *result = status;
    return pos;
}

/*
 * Appends the tokens of text[pos..len) to t, scanning from pos as from
 * the start of a text (the scanner keeps no state between steps: each
 * step, one token or one split word or one skipped code point, starts
 * afresh, and looks at no byte before it).  The first token of each step
 * is flagged TOK_STEP, so that a caller can tell where a scan of a text
 * that shares bytes with this one would have started a step (see
 * quote_from_sentence).  t->array is not updated.
 */
static st_status tokenize_from(st_tokens *t, const char *text, size_t len, size_t pos)
{
    st_status status = ST_OK;
    size_t step = t->count; /* the first token of the current step */
    while (pos < len && status == ST_OK) {
        unsigned char b = (unsigned char)text[pos];
        /* ASCII spaces and controls (st_cp_is_space's ASCII ones are all
         * at or below 0x20): steps of their own that make no token, so
         * a run of them is skipped before the step bookkeeping. */
        if (b <= 0x20 || b == 0x7F) {
            do
                pos++;
            while (pos < len && ((b = (unsigned char)text[pos]) <= 0x20 || b == 0x7F));
            if (pos == len)
                break;
        }
        /* The fast cases below flag their token TOK_STEP themselves;
         * the general path's first token is flagged after it. */
        step = t->count;
        if (ascii_word_fold[b] != 0) {
            /* (A URL, which starts with h or w, takes the general path.) */
            if (!((b == 'h' || b == 'H' || b == 'w' || b == 'W') && url_at(text, len, pos))) {
                size_t end;
                int got = ascii_word(t, text, len, pos, &end);
                if (got < 0) {
                    status = ST_ERR_NOMEM;
                    break;
                }
                if (got > 0) {
                    pos = end;
                    continue;
                }
            }
        } else if (b < 0x80 && b != '.' && b != '\'') {
            /* Other ASCII punctuation and symbols: a token each. */
            status = push_byte(t, b, pos, pos + 1, TOK_NEAR | TOK_STEP);
            pos++;
            continue;
        } else if (b == '.' && !(len - pos >= 2 && (text[pos + 1] == '.' ||
                                                     (len - pos >= 4 && (unsigned char)text[pos + 1] == 0xE2 &&
                                                      (unsigned char)text[pos + 2] == 0x80 &&
                                                      (unsigned char)text[pos + 3] == 0xA6)))) {
            /* A lone dot (no dot or ellipsis next, which would make a run):
             * what the general path below gives it, having read one byte
             * past it, or three for a U+2000..U+203F mark. */
            status = push_byte(t, '.', pos, pos + 1,
                               TOK_STEP | TOK_REACH(len - pos >= 2 && (unsigned char)text[pos + 1] == 0xE2 ? 3 : 1));
            pos++;
            continue;
        } else if (b == 0xE2 && len - pos >= 3 && (unsigned char)text[pos + 1] == 0x80 &&
                   (unsigned char)text[pos + 2] >= 0x90 && (unsigned char)text[pos + 2] <= 0xA7 &&
                   (unsigned char)text[pos + 2] != 0xA6) {
            /* U+2010..U+2027 but the ellipsis: dashes, curly quotes,
             * bullets, a token each (a curly apostrophe is '); none is a
             * space, a format character or a word character. */
            unsigned char c = (unsigned char)text[pos + 2];
            if (c == 0x98 || c == 0x99)
                status = push_byte(t, '\'', pos, pos + 3, TOK_NEAR | TOK_STEP);
            else
                status = push_mark3(t, c, pos);
            pos += 3;
            continue;
        }
        pos = scan_general(t, text, len, pos, &status);
        if (t->count > step)
            t->flags[step] |= TOK_STEP;
    }
    return status;
}

/* t->array from t->offsets (after the text buffer has settled). */
static void tokens_index(st_tokens *t)
{
    for (size_t i = 0; i < t->count; i++)
        t->array[i] = t->text.data + t->offsets[i];
}

/* st_tokenize without t->array: the extractor's own token sets never
 * set it (its pieces, text_tokens.tokp, hold the same pointers, set in
 * text_tokens_setup), as nothing outside this file sees them. */
static st_status tokenize_text(st_tokens *t, const char *text, size_t len)
{
    t->count = 0;
    t->text.len = 0;
    t->odd = 0;
    t->urls = 0;
    st_status status = tokenize_from(t, text, len, 0);
    if (status != ST_OK)
        t->count = 0;
    return status;
}

st_status st_tokenize(st_tokens *t, const char *text, size_t len)
{
    st_status status = tokenize_text(t, text, len);
    if (status == ST_OK)
        tokens_index(t);
    return status;
}

size_t st_tokens_count(const st_tokens *t)
{
    return t ? t->count : 0;
}

const char *st_tokens_get(const st_tokens *t, size_t index)
{
    if (t == NULL || index >= t->count)
        return NULL;
    return t->array[index];
}

const char *const *st_tokens_array(const st_tokens *t)
{
    return (const char *const *)t->array;
}

st_span st_tokens_span(const st_tokens *t, size_t index)
{
    st_span none = {0, 0};
    if (t == NULL || index >= t->count)
        return none;
    return t->spans[index];
}

int st_tokens_is_word(const st_tokens *t, size_t index)
{
    if (t == NULL || index >= t->count)
        return 0;
    return (t->flags[index] & TOK_WORD) != 0;
}

/* The matching-stream spelling of a split token. */
static const char *spell_out(const char *tok)
{
    if (tok[0] != '\'' && tok[0] != 'n')
        return tok;
    if (strcmp(tok, "n't") == 0)
        return "not";
    if (strcmp(tok, "'ll") == 0)
        return "will";
    if (strcmp(tok, "'re") == 0)
        return "are";
    if (strcmp(tok, "'ve") == 0)
        return "have";
    if (strcmp(tok, "'m") == 0)
        return "am";
    if (strcmp(tok, "'d") == 0)
        return "would";
    return tok;
}

/* ------------------------------------------------------------------ */
/* Vocabulary storage (the functions are further down; the fast path of
 * the extractor reads the table directly)                             */

/* A slot of the vocabulary's table: the id (0: empty) and the high half
 * of the name's hash, so that a probe rejects other names without
 * touching them. */
typedef struct vocab_slot_t {
    uint32_t id;
    uint32_t tag;
} vocab_slot_t;

/*
 * The n-gram index, for the fast path: a name "q:", "c:" or "qn:" + one
 * to three words joined by single spaces (no word empty or holding a
 * colon) is also filed under its key, the prefix and the words' ids in
 * the index's own dictionary.  Without spaces or colons in the words,
 * a name and its key determine each other, so the fast path can find an
 * n-gram from its tokens' word ids, comparing integers, not bytes.
 */
typedef struct ngram_key {
    uint32_t w[3];   /* word ids; 0 after the last word */
    uint32_t prefix; /* NG_Q, NG_C, NG_QN */
} ngram_key;

enum { NG_Q = 1, NG_C, NG_QN };

typedef struct ngram_slot {
    ngram_key key;
    uint32_t id; /* the name's id; 0: empty slot */
} ngram_slot;

typedef struct vocab_word {
    uint64_t hash; /* hash_bytes of the word */
    size_t off;    /* in names */
    size_t len;    /* 0: empty slot */
    uint32_t wid;  /* 1, 2, ... */
} vocab_word;

struct st_vocab {
    st_buf names;      /* NUL-terminated names */
    size_t *offsets;   /* offsets[id - 1] */
    size_t *lengths;
    size_t *counts;
    size_t size;
    size_t capacity;
    vocab_slot_t *table;
    size_t table_cap;
    vocab_word *words; /* the n-gram index's dictionary */
    size_t words_cap;  /* a power of two, or 0 */
    size_t nwords;
    ngram_slot *ngrams;
    size_t ngrams_cap; /* a power of two, or 0 */
    size_t nngrams;
    uint64_t serial;   /* unique to this vocabulary (see wc_vocab_stamp) */
    int ngram_indexed; /* the index is kept (vocabularies made to predict with) */
    int ngram_broken;  /* an allocation failed: the index is incomplete */
};

static uint64_t mix64(uint64_t k);

static size_t ngram_slot_of(const ngram_key *k, size_t mask)
{
    uint64_t a = ((uint64_t)k->w[0] << 32) | k->w[1];
    uint64_t b = ((uint64_t)k->w[2] << 8) | k->prefix;
    uint64_t h = a * 0x9E3779B97F4A7C15ULL + b * 0xC2B2AE3D27D4EB4FULL;
    return (size_t)(h ^ (h >> 29) ^ (h >> 47)) & mask;
}

static inline int ngram_key_equal(const ngram_key *a, const ngram_key *b)
{
    /* The four fields as two 64-bit words, compared without a branch
     * between them (the same answer as field by field). */
    uint64_t a0, a1, b0, b1;
    memcpy(&a0, a->w, 8);
    memcpy(&a1, &a->w[2], 8);
    memcpy(&b0, b->w, 8);
    memcpy(&b1, &b->w[2], 8);
    return ((a0 ^ b0) | (a1 ^ b1)) == 0;
}

/* The id of the n-gram key in a vocabulary's table (mask: its size - 1,
 * the size not 0), 0 when none. */
static inline __attribute__((always_inline)) uint32_t ngram_table_find(const ngram_slot *table, size_t mask,
                                                                       const ngram_key *k)
{
    for (size_t i = ngram_slot_of(k, mask); table[i].id != 0; i = (i + 1) & mask)
        if (ngram_key_equal(&table[i].key, k))
            return table[i].id;
    return 0;
}

/* The id of the n-gram key in v, 0 when none. */
static inline __attribute__((always_inline)) uint32_t vocab_ngram_find(const st_vocab *v, const ngram_key *k)
{
    if (v->ngrams_cap == 0)
        return 0;
    size_t mask = v->ngrams_cap - 1;
    for (size_t i = ngram_slot_of(k, mask); v->ngrams[i].id != 0; i = (i + 1) & mask)
        if (ngram_key_equal(&v->ngrams[i].key, k))
            return v->ngrams[i].id;
    return 0;
}

/* The word id of s[0..len) (hash: hash_bytes) in v's dictionary, 0 when none. */
static uint32_t vocab_word_find(const st_vocab *v, const char *s, size_t len, uint64_t hash)
{
    if (v->words_cap == 0)
        return 0;
    size_t mask = v->words_cap - 1;
    for (size_t i = (size_t)hash & mask; v->words[i].len != 0; i = (i + 1) & mask) {
        const vocab_word *w = &v->words[i];
        if (w->hash == hash && w->len == len && bytes_equal(v->names.data + w->off, s, len))
            return w->wid;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Extractor                                                           */

typedef struct feature {
    size_t name_off; /* in x->names */
    size_t name_len;
    uint64_t hash;   /* hash_bytes of the name (the vocabulary's too) */
    double value;
    double scale;    /* applied after sublinear tf, before L2 */
} feature;

/* A tokenised text and its matching stream. */
typedef struct text_tokens {
    st_tokens *tokens;
    uint32_t *wi;       /* per token: its entry in the word cache (x->wc) */
    piece *tokp;        /* per token: the token's bytes and length (its
                           polynomial is its word cache entry's: see
                           token_piece); its matching spelling is the
                           entry's too (match_piece) */
    uint32_t *vw;       /* per word token, fast path: its n-gram word id */
    size_t match_cap;
    size_t *words;      /* indices of word tokens */
    size_t words_cap;
    size_t nwords;
    unsigned cues_any;  /* the CUE_* bits of its tokens, or'ed (loops
                           that act on a cue skip texts without it) */
} text_tokens;

/*
 * The extractor's lexicon matcher: every word of every entry gets an id
 * (lex_word, a hash table), and the entries form a trie over the ids, so
 * that one walk from a token finds the longest entry of every kind that
 * starts there (what st_lexicon_match_entry gives, kind by kind).  Words
 * are compared whole, like st_lexicon's: a token equals an entry's word
 * or matches nothing (terms have single spaces, so a word never holds
 * one, and a token that holds one never matches).
 */
typedef struct lex_word {
    uint64_t hash; /* name_mix of the word */
    const char *s; /* borrowed from the lexicon; NULL: empty slot */
    size_t len;
    uint32_t id;   /* 1, 2, ... */
    uint32_t node; /* its node under the trie's root (0: starts no entry) */
} lex_word;

typedef struct trie_node {
    uint32_t entry[ST_LEXICON_KIND_COUNT]; /* entry index + 1 of the term ending here, per kind */
    unsigned ends;  /* kinds with a term ending here */
    unsigned below; /* kinds with a term ending here or deeper */
} trie_node;

typedef struct trie_edge {
    uint64_t key; /* (node << 32) | word id; 0: empty slot */
    uint32_t child;
} trie_edge;

/* The fixed pieces of feature names. */
enum {
    K_SPACE, K_Q, K_C, K_QN, K_V, K_LEXTERM, K_NEG, K_COND, K_PLUS_WILL, K_HEDGE, K_INT, K_DOWN,
    K_MODAL, K_DASH_NOT, K_GOING_TO, K_YOU, K_YOU_PLUS, K_PUNCT, K_CAP,
    K_LEX_THREAT, K_LEX_THREAT_NEG, K_LEX_CONC, K_LEX_CONC_NEG,
    K_CLEX_THREAT, K_CLEX_THREAT_NEG, K_CLEX_CONC, K_CLEX_CONC_NEG,
    K_LEN0, K_LEN1, K_LEN5, K_LEN10, K_LEN20, K_LEN40, K_PARTIAL, K_QUESTION,
    K_NOT, K_WILL, K_ARE, K_HAVE, K_AM, K_WOULD, K_EMPTY,
    K_ACT_THREAT, K_ACT_CONC, K_SUBJ_NONE, K_SUBJ_WE, K_SUBJ_YOU, K_SUBJ_THEY,
    K_ACT_FUT, K_ACT_READY, K_ACT_MUST, K_ACT_MAY,
    K_SHALL, K_SHOULD, K_MUST, K_MAY, K_MIGHT, K_CAN, K_COULD,
    K_COUNT
};
static const char *const fixed_names[K_COUNT] = {
    " ", "q:", "c:", "qn:", "v:", "lexterm:", ":neg", "cond:", "+will", "hedge:", "int:", "down:",
    "modal:", "-not", "modal:going-to", "you:you", "you:you+", "punct:", "<cap>",
    "lex:threat", "lex:threat:neg", "lex:conciliation", "lex:conciliation:neg",
    "clex:threat", "clex:threat:neg", "clex:conciliation", "clex:conciliation:neg",
    "len:0", "len:1-4", "len:5-9", "len:10-19", "len:20-39", "len:40+", "partial", "question",
    "not", "will", "are", "have", "am", "would", "",
    "act:threat:", "act:conciliation:", "-", "we", "you", "they",
    "+future", "+ready", "+must", "+may",
    "shall", "should", "must", "may", "might", "can", "could",
};

/*
 * The word cache: per distinct token (its bytes), what the extractor
 * looks up for it: the lexicon matcher's word for its matching-stream
 * spelling and, for the fast path, its n-gram word id and the ids of its
 * unigrams in the vocabulary last used.  Kept across runs, since a stream
 * of news repeats its words; emptied between runs once it holds WC_MAX
 * entries (a run's tokens refer to their entries by index).  Distinct
 * tokens have distinct entries, so tokens compare by entry.
 */
enum { WC_MAX = 1 << 15 };

/* What the feature groups test a token for: of its matching spelling
 * (modal, future modal, not/never, going, to, second person, you, clause
 * end, sentence end), of the token itself (! ? ..., ?, quote mark). */
enum {
    CUE_MODAL = 1, CUE_FUTURE = 2, CUE_NOT_NEVER = 4, CUE_GOING = 8, CUE_TO = 16, CUE_SECOND = 32, CUE_YOU = 64,
    CUE_CLAUSE_END = 128, CUE_SENT_END = 256, CUE_PUNCT = 512, CUE_QMARK = 1024, CUE_QUOTE_MARK = 2048
};
struct piece;
static unsigned word_cues(const struct piece *tok, const struct piece *spelled);
static int pronoun_person(const struct piece *pc);
static int modal_piece(const struct piece *pc);
static int commitment(const struct piece *pc);

typedef struct word_entry {
    uint64_t hash;   /* token_hash of the token's bytes */
    uint64_t p, pw;  /* their polynomial and B^len (see piece) */
    size_t off;      /* the bytes, in x->wc_text */
    size_t len;
    const struct piece *spell; /* the fixed piece of its matching spelling
                                  (x->fixed[K_NOT..]), NULL: itself */
    uint32_t lwid;   /* lexicon word id of the matching spelling, 0: none */
    uint32_t node;   /* its trie node under the root, 0: none */
    unsigned kinds;  /* nodes[node].below */
    unsigned cues;   /* CUE_* of the token (see word_cues) */
    int modal;       /* the fixed piece spelling its matching spelling when
                        that is a modal (K_WILL, K_SHALL, ...), else -1 */
    int person;      /* pronoun_person of its matching spelling */
    int commit;      /* commitment of its matching spelling */
    uint32_t vstamp; /* the fields below hold for vocabulary stamp x->vstamp */
    uint32_t vw;     /* n-gram word id: the vocabulary's, else above its words */
    uint32_t uni[3]; /* ids of the q:, c:, qn: unigram of the word, 0: none */
} word_entry;

/* Fast path: the vocabulary id of a name made of pieces that live as
 * long as the extractor (a fixed prefix, a lexicon term or lemma, a fixed
 * suffix), as of vocabulary stamp `stamp` (0: empty). */
typedef struct emit_memo {
    const piece *part;
    int prefix, suffix;
    uint32_t stamp;
    int id;
    double scale; /* name_scale of the name */
} emit_memo;
enum { MEMO_SLOTS = 512 };

/* The slot of a feature id for the example being vectorised (fast path):
 * meaningful while the id's bit is set. */
typedef struct fast_slot {
    double value;
    double scale; /* name_scale of its name (n-gram keys: q:, c:, qn:, 1) */
} fast_slot;

struct st_extractor {
    st_params params;
    st_lexicon *lex; /* owned: the caller's entries plus spelt-out variants */
    lex_word *lwords;  /* the matcher (see lex_word) */
    size_t lwords_cap; /* a power of two */
    size_t nlwords;
    trie_node *nodes;  /* nodes[0] is the root */
    size_t nnodes;
    size_t nodes_cap;
    trie_edge *edges;
    size_t edges_cap;  /* a power of two */
    piece fixed[K_COUNT];
    uint64_t pow[64]; /* POLY_B^n */
    /* Per kind, per entry of lex: the term as a piece; for attribution
     * verbs the lemma (what follows "v:"). */
    piece *terms[ST_LEXICON_KIND_COUNT];
    piece *lemmas;
    text_tokens quote;
    text_tokens sentence;
    /* Fast path: quote tokens 0..qshared-1 are sentence tokens qfrom..
     * (see quote_from_sentence: their pieces point at the sentence's
     * bytes, and only their pieces, flags and word cache entries are
     * set in x->quote); sent_key holds the bytes of the
     * sentence x->sentence was made from, when sent_ok (a sentence with
     * several quotes is tokenised once). */
    size_t qfrom;
    size_t qshared;
    size_t qshared_words; /* the words among them */
    st_buf sent_key;
    int sent_ok;
    size_t *kmp;
    size_t kmp_cap;
    st_buf names;
    feature *features;
    size_t count;
    size_t capacity;
    size_t *table; /* feature index + 1; 0 = empty */
    size_t table_cap;
    st_buf scratch;
    unsigned char *negated; /* per quote token: inside a negator's scope */
    size_t negated_cap;
    int quote_negator;      /* a negator was matched in the quote (else
                               negated[] is all 0) */
    /* The fast path (st_extractor_run_vector): features found in `fast`
     * accumulate in slots[id], one per id of the vocabulary (16 bytes an
     * id: no search, no list to append to), bits/top a two-level bitmap
     * of the ids found (all zero between runs) that says which slots
     * hold this run's values and lists them in increasing order without
     * sorting; nknown counts them.  Unseen features go to the named
     * table above, which counts each name once. */
    const st_vocab *fast;
    fast_slot *slots;
    size_t nknown;
    uint64_t *bits;
    uint64_t *top;
    size_t ids_cap; /* ids 0..ids_cap-1 fit in slots and bits */
    st_vector vec;
    /* The fast path's n-grams (see ngram_key): when ngram_fast, word
     * tokens carry word ids (vw, from their word_entry); unseen n-grams
     * are counted once each through seen_ng. */
    int ngram_fast;
    /* The word cache (see word_entry): wc_table holds entry index + 1. */
    word_entry *wc;
    size_t nwc;
    size_t wc_cap;
    uint32_t *wc_table;
    size_t wc_table_cap; /* a power of two, or 0 */
    st_buf wc_text;
    /* The vocabulary the entries' vocabulary fields are for, as of
     * vstamp: its serial and what changes when names are added. */
    uint32_t vstamp;
    uint64_t vserial;
    size_t vsize, vnwords, vnngrams;
    uint32_t cap_entry; /* the entry of "<cap>" (when ngram_fast) */
    emit_memo memo[MEMO_SLOTS]; /* direct-mapped (see emit_stable) */
    /* Fast path: the ids of the act: names (see emit_act), by kind,
     * person, commitment and negation, valid for vocabulary stamp
     * act_stamp[...] (0: empty). */
    int act_id[2][4][5][2];
    double act_scale[2][4][5][2];
    uint32_t act_stamp[2][4][5][2];
    ngram_slot *seen_ng;
    size_t seen_ng_cap; /* a power of two, or 0 */
    size_t *seen_used;
    size_t nseen;
    size_t seen_used_cap;
};

static st_status text_tokens_init(text_tokens *tt)
{
    memset(tt, 0, sizeof *tt);
    return st_tokens_new(&tt->tokens);
}

static void text_tokens_free(text_tokens *tt)
{
    st_tokens_free(tt->tokens);
    free(tt->wi);
    free(tt->tokp);
    free(tt->vw);
    free(tt->words);
}

static uint64_t mix64(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xFF51AFD7ED558CCDULL;
    k ^= k >> 33;
    return k;
}

/* The lexicon word s[0..len) (hash: name_mix), NULL when none. */
static const lex_word *lex_word_find(const st_extractor *x, const char *s, size_t len, uint64_t hash)
{
    size_t mask = x->lwords_cap - 1;
    for (size_t i = (size_t)hash & mask; x->lwords[i].s != NULL; i = (i + 1) & mask) {
        const lex_word *w = &x->lwords[i];
        if (w->hash == hash && w->len == len && bytes_equal(w->s, s, len))
            return w;
    }
    return NULL;
}

/* The child of node by word id wid, 0 when none (the root is no child). */
static uint32_t trie_child(const st_extractor *x, uint32_t node, uint32_t wid)
{
    uint64_t key = ((uint64_t)node << 32) | wid;
    size_t mask = x->edges_cap - 1;
    for (size_t i = (size_t)mix64(key) & mask; x->edges[i].key != 0; i = (i + 1) & mask)
        if (x->edges[i].key == key)
            return x->edges[i].child;
    return 0;
}

/*
 * The longest entry of a kind in `want` that starts at token i of tt and
 * ends before token `to`: its length in tokens (0: none), *end the trie
 * node it ends at (whose `ends & want` are the kinds of that length).
 */
static inline __attribute__((always_inline)) size_t lex_longest_in(const st_extractor *x, const word_entry *wc,
                                                                   const uint32_t *wi, size_t i, size_t to,
                                                                   unsigned want, uint32_t *end)
{
    size_t best = 0;
    uint32_t node = wc[wi[i]].node;
    for (size_t d = 1; node != 0; d++) {
        const trie_node *nd = &x->nodes[node];
        if (nd->ends & want) {
            best = d;
            *end = node;
        }
        if (!(nd->below & want) || i + d >= to)
            break;
        uint32_t wid = wc[wi[i + d]].lwid;
        if (wid == 0)
            break;
        node = trie_child(x, node, wid);
    }
    return best;
}

/* lex_longest_in with the word cache and tt's entries read from x and tt
 * (callers whose loop keeps them in locals call lex_longest_in). */
static inline __attribute__((always_inline)) size_t lex_longest(const st_extractor *x, const text_tokens *tt, size_t i,
                                                                size_t to, unsigned want, uint32_t *end)
{
    return lex_longest_in(x, x->wc, tt->wi, i, to, want, end);
}

/* The matching-stream spelling of a split token, as a fixed piece (NULL:
 * the token itself).  Mirrors spell_out. */
static const piece *spell_out_piece(const st_extractor *x, const char *tok, size_t len)
{
    if (len > 3 || (tok[0] != '\'' && !(tok[0] == 'n' && len == 3)))
        return NULL;
    if (strcmp(tok, "n't") == 0)
        return &x->fixed[K_NOT];
    if (strcmp(tok, "'ll") == 0)
        return &x->fixed[K_WILL];
    if (strcmp(tok, "'re") == 0)
        return &x->fixed[K_ARE];
    if (strcmp(tok, "'ve") == 0)
        return &x->fixed[K_HAVE];
    if (strcmp(tok, "'m") == 0)
        return &x->fixed[K_AM];
    if (strcmp(tok, "'d") == 0)
        return &x->fixed[K_WOULD];
    return NULL;
}

/* Room in tt's per-token arrays for n tokens and the terminator. */
static st_status text_tokens_grow(text_tokens *tt, size_t n)
{
    st_status status;
    if (n + 1 > tt->match_cap) {
        size_t cap = tt->match_cap;
        if ((status = grow_to((void **)&tt->wi, &cap, n + 1, sizeof *tt->wi)) != ST_OK)
            return status;
        if (!resize_array((void **)&tt->tokp, cap, sizeof *tt->tokp) ||
            !resize_array((void **)&tt->vw, cap, sizeof *tt->vw))
            return ST_ERR_NOMEM;
        tt->match_cap = cap;
    }
    return grow_to((void **)&tt->words, &tt->words_cap, n + 1, sizeof *tt->words);
}

/* Empties the word cache (between runs: no token refers to an entry). */
static void wc_flush(st_extractor *x)
{
    if (x->wc_table)
        memset(x->wc_table, 0, x->wc_table_cap * sizeof *x->wc_table);
    x->nwc = 0;
    x->wc_text.len = 0;
    x->sent_ok = 0; /* its tokens referred to the entries */
}

/* wc_entry for a token not in the cache: its entry, made. */
static __attribute__((noinline)) st_status wc_add(st_extractor *x, const piece *pc, uint64_t hash, uint32_t *e)
{
    size_t mask = x->wc_table_cap - 1;
    size_t i = (size_t)hash & mask;
    if (x->wc_table_cap != 0)
        while (x->wc_table[i] != 0)
            i = (i + 1) & mask;
    st_status status;
    if ((x->nwc + 1) * 2 > x->wc_table_cap) {
        size_t cap = x->wc_table_cap ? x->wc_table_cap * 2 : 1024;
        uint32_t *t = calloc(cap, sizeof *t);
        if (t == NULL)
            return ST_ERR_NOMEM;
        for (size_t k = 0; k < x->nwc; k++) {
            size_t j = (size_t)x->wc[k].hash & (cap - 1);
            while (t[j] != 0)
                j = (j + 1) & (cap - 1);
            t[j] = (uint32_t)k + 1;
        }
        free(x->wc_table);
        x->wc_table = t;
        x->wc_table_cap = cap;
        mask = cap - 1;
        for (i = (size_t)hash & mask; t[i] != 0; i = (i + 1) & mask)
            ;
    }
    if (x->nwc >= UINT32_MAX / 4)
        return ST_ERR_NOMEM;
    if ((status = grow_to((void **)&x->wc, &x->wc_cap, x->nwc + 1, sizeof *x->wc)) != ST_OK)
        return status;
    size_t off = x->wc_text.len;
    if ((status = st_buf_append(&x->wc_text, pc->s, pc->len)) != ST_OK)
        return status;
    word_entry *w = &x->wc[x->nwc];
    memset(w, 0, sizeof *w);
    w->hash = hash;
    w->off = off;
    w->len = pc->len;
    w->p = poly_bytes(pc->s, pc->len, &w->pw);
    const piece *sp = spell_out_piece(x, pc->s, pc->len);
    w->spell = sp;
    const lex_word *lw = sp ? lex_word_find(x, sp->s, sp->len, name_mix(sp->p, sp->len))
                            : lex_word_find(x, pc->s, pc->len, name_mix(w->p, w->len));
    if (sp == NULL)
        sp = pc;
    w->lwid = lw ? lw->id : 0;
    w->node = lw ? lw->node : 0;
    w->kinds = w->node != 0 ? x->nodes[w->node].below : 0;
    w->cues = word_cues(pc, sp);
    w->modal = modal_piece(sp);
    w->person = pronoun_person(sp);
    w->commit = commitment(sp);
    w->vstamp = 0; /* stamps start at 1 */
    x->wc_table[i] = (uint32_t)++x->nwc;
    *e = (uint32_t)(x->nwc - 1);
    return ST_OK;
}

/* The entry of the token pc (hash: name_mix of it) in the word cache,
 * made when new, in *e.  The lookup inline, the rare insertion not. */
static inline __attribute__((always_inline)) st_status wc_entry(st_extractor *x, const piece *pc, uint64_t hash, uint32_t *e)
{
    size_t mask = x->wc_table_cap - 1;
    if (x->wc_table_cap != 0) {
        for (size_t i = (size_t)hash & mask; x->wc_table[i] != 0; i = (i + 1) & mask) {
            const word_entry *w = &x->wc[x->wc_table[i] - 1];
            if (w->hash == hash && w->len == pc->len && bytes_equal(x->wc_text.data + w->off, pc->s, pc->len)) {
                *e = x->wc_table[i] - 1;
                return ST_OK;
            }
        }
    }
    return wc_add(x, pc, hash, e);
}

/* The per-token data of tokens from.. of tt (the earlier ones are set),
 * and the terminator.  The arrays and the word cache's table are read
 * into locals: the stores through the per-token arrays could otherwise
 * alias them, and the compiler would load them again for every token
 * (only wc_add, on a miss, moves the cache's storage). */
static st_status text_tokens_setup(st_extractor *x, text_tokens *tt, size_t from)
{
    st_tokens *t = tt->tokens;
    size_t n = t->count;
    /* offsets[n] = the text's length, past the last token's NUL: a
     * token's length is the next one's offset less its own, less one,
     * for the last token too (no test per token). */
    if (n >= t->capacity && tokens_reserve(t, n + 1) != ST_OK)
        return ST_ERR_NOMEM;
    t->offsets[n] = t->text.len;
    const size_t *offsets = t->offsets;
    const uint64_t *hashes = t->hash;
    const unsigned char *flags = t->flags;
    char *data = t->text.data;
    piece *tokp = tt->tokp;
    uint32_t *wi = tt->wi;
    size_t *words = tt->words;
    size_t nwords = tt->nwords;
    /* Two loops, each with few enough values live to keep them in
     * registers: the pieces and the word list, then the word cache. */
    for (size_t i = from; i < n; i++) {
        size_t off = offsets[i];
        tokp[i].s = data + off;
        tokp[i].len = offsets[i + 1] - off - 1;
        /* (words has room for every token: no test for the store.) */
        words[nwords] = i;
        nwords += flags[i] & TOK_WORD;
    }
    tt->nwords = nwords;
    const uint32_t *table = x->wc_table;
    size_t mask = x->wc_table_cap - 1;
    const word_entry *wc = x->wc;
    const char *wc_text = x->wc_text.data;
    unsigned cues_any = tt->cues_any;
    st_status status = ST_OK;
    for (size_t i = from; i < n; i++) {
        const char *tok = tokp[i].s;
        size_t len = tokp[i].len;
        uint64_t hash = hashes[i];
        uint32_t e = UINT32_MAX;
        if (table != NULL) {
            for (size_t k = (size_t)hash & mask; table[k] != 0; k = (k + 1) & mask) {
                const word_entry *w = &wc[table[k] - 1];
                if (w->hash == hash && w->len == len && bytes_equal(wc_text + w->off, tok, len)) {
                    e = table[k] - 1;
                    break;
                }
            }
        }
        if (e == UINT32_MAX) {
            if ((status = wc_add(x, &tokp[i], hash, &e)) != ST_OK)
                break;
            table = x->wc_table;
            mask = x->wc_table_cap - 1;
            wc = x->wc;
            wc_text = x->wc_text.data;
        }
        cues_any |= wc[e].cues;
        wi[i] = e;
    }
    tt->cues_any = cues_any;
    return status;
}

/* Token t of tt as a whole name piece: its bytes, with the polynomial
 * of its word cache entry (the same bytes), into *pc. */
static const piece *token_piece(const st_extractor *x, const text_tokens *tt, size_t t, piece *pc)
{
    const word_entry *w = &x->wc[tt->wi[t]];
    pc->s = tt->tokp[t].s;
    pc->len = tt->tokp[t].len;
    pc->p = w->p;
    pc->pw = w->pw;
    return pc;
}

/* Token t's matching-stream spelling as a piece: a fixed piece (its
 * entry's), else the token's bytes (only compared, never named). */
static const piece *match_piece(const st_extractor *x, const text_tokens *tt, size_t t)
{
    const piece *sp = x->wc[tt->wi[t]].spell;
    return sp ? sp : &tt->tokp[t];
}

static st_status text_tokens_run(st_extractor *x, text_tokens *tt, const char *text, size_t len)
{
    st_status status = tokenize_text(tt->tokens, text ? text : "", text ? len : 0);
    if (status == ST_OK)
        status = text_tokens_grow(tt, tt->tokens->count);
    if (status != ST_OK)
        return status;
    tt->nwords = 0;
    tt->cues_any = 0;
    return text_tokens_setup(x, tt, 0);
}

/*
 * How far past the last byte of its token a step of the scanner may look
 * (three code points, for "U.S" and "1,000"; a URL, which looks up to
 * the next space, is never shared).
 */
#define SCAN_LOOKAHEAD 16

/*
 * Whether the step of token i of the sentence (text s) read only bytes
 * before limit: a TOK_NEAR step (the common ASCII words and marks) reads
 * one byte past its token, one with a TOK_REACH that many, and from a
 * word starting with h or w up to eight bytes for "https://"; any other,
 * up to SCAN_LOOKAHEAD.
 */
static int step_inside(const st_tokens *t, const char *s, size_t i, size_t limit)
{
    size_t end = t->spans[i].end;
    size_t reach = t->flags[i] & TOK_NEAR ? 1 : (size_t)(t->flags[i] >> 4);
    if (reach == 0)
        return end + SCAN_LOOKAHEAD <= limit;
    if (end + reach > limit)
        return 0;
    size_t start = t->spans[i].start;
    unsigned char b = (unsigned char)s[start];
    return (b != 'h' && b != 'H' && b != 'w' && b != 'W') || start + 8 <= limit;
}

/* The token of t that starts a scanner step at byte o, or t->count. */
static size_t step_at(const st_tokens *t, size_t o)
{
    size_t lo = 0, hi = t->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->spans[mid].start < o)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < t->count && t->spans[lo].start == o && (t->flags[lo] & TOK_STEP) ? lo : t->count;
}

/* Whether token i of t is a URL (its scan looked up to the next space). */
static int is_url_token(const text_tokens *tt, size_t i)
{
    const piece *pc = &tt->tokp[i];
    return (tt->tokens->flags[i] & TOK_WORD) && pc->len == 5 && memcmp(pc->s, "<url>", 5) == 0;
}

/*
 * Fast path: the quote's tokens and per-token data, taking what it can
 * from the sentence's (run already) instead of tokenising the quote's
 * words a second time.  The scanner is a sequence of steps that each
 * start afresh and read no byte before their start, so where the quote's
 * bytes q[0..L) are the sentence's s[o..o+L) and the sentence's scan
 * starts a step at o, the quote's scan makes the same steps as the
 * sentence's for as long as a step's bytes and what it looks ahead at
 * lie inside the common bytes: those tokens are shared (their pieces,
 * flags and word cache entries copied), and the quote is tokenised from
 * the end of the last one (a step boundary of both scans).  A quote not found so gets tokenised whole.
 * Same tokens, same data, as text_tokens_run on the quote:
 * tests/test_fastpath.c checks it (via the vectors) on quotes cut from
 * sentences at every offset.
 */
static st_status quote_from_sentence(st_extractor *x, const char *q, size_t qlen, const char *s, size_t slen)
{
    text_tokens *qq = &x->quote;
    const text_tokens *ss = &x->sentence;
    const st_tokens *st = ss->tokens;
    st_tokens *qt = qq->tokens;
    x->qshared = 0;
    size_t o = 0, i0 = st->count, common = 0;
    if (q != NULL && s != NULL && qlen > 0 && st->count > 0) {
        uintptr_t qa = (uintptr_t)q, sa = (uintptr_t)s;
        if (qa >= sa && qa - sa < slen) {
            /* The quote is a piece of the sentence (articles). */
            o = (size_t)(qa - sa);
            common = qlen < slen - o ? qlen : slen - o;
            i0 = step_at(st, o);
        }
        size_t want = qlen < 8 ? qlen : 8;
        for (size_t from = 0, tries = 0; i0 == st->count && from < slen && tries < 8; tries++) {
            const char *hit = memchr(s + from, q[0], slen - from);
            if (hit == NULL)
                break;
            o = (size_t)(hit - s);
            from = o + 1;
            if (slen - o < want || memcmp(hit, q, want) != 0)
                continue;
            i0 = step_at(st, o);
            if (i0 == st->count)
                continue;
            size_t max = qlen < slen - o ? qlen : slen - o;
            common = want;
            while (common + 8 <= max && load64(q + common) == load64(s + o + common))
                common += 8;
            while (common < max && q[common] == s[o + common])
                common++;
        }
    }
    size_t i1 = i0;
    if (i0 < st->count) {
        /* Both scans see the end of the text at the same place: no margin. */
        int whole = common == qlen && o + common == slen;
        size_t limit = o + common;
        /* A step ending SCAN_LOOKAHEAD bytes before the limit read
         * nothing past it (step_inside): skip those without the test,
         * when no token is a URL. */
        if (!whole && !st->urls) {
            /* (Ends increase: the first token past, by bisection.) */
            size_t lo = i1, hi = st->count;
            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (st->spans[mid].end + SCAN_LOOKAHEAD <= limit)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            i1 = lo;
        }
        while (i1 < st->count &&
               (whole || (step_inside(st, s, i1, limit) && !is_url_token(ss, i1))))
            i1++;
        /* Whole steps only (a split word's tokens go together). */
        while (i1 > i0 && i1 < st->count && !(st->flags[i1] & TOK_STEP))
            i1--;
    }
    if (i1 == i0)
        return text_tokens_run(x, qq, q, qlen);

    size_t nd = i1 - i0;
    /* The shared tokens are read through their pieces (tokp), which point
     * at the sentence's token bytes, their flags and their word cache
     * entries: those are copied.  Their bytes, offsets, hashes and spans
     * are not (only text_tokens_setup and the scanner read those, and
     * neither looks at the quote's shared tokens): the quote's own bytes
     * hold the tail's tokens alone. */
    st_status status = tokens_reserve(qt, nd);
    qt->count = 0;
    qt->text.len = 0;
    if (status != ST_OK)
        return status;
    memcpy(qt->flags, st->flags + i0, nd);
    qt->count = nd;
    /* Only the fast path reads odd, and there the sentence's decides. */
    qt->odd = st->odd;
    qt->urls = 0; /* no URL is shared (the tail's own set it) */
    status = tokenize_from(qt, q, qlen, st->spans[i1 - 1].end - o);
    if (status == ST_OK)
        status = text_tokens_grow(qq, qt->count);
    if (status != ST_OK) {
        qt->count = 0;
        return status;
    }
    {
        /* (The arrays in locals: stores through one could alias the
         * others' pointers, reloaded per token.) */
        const unsigned char *flags = qt->flags;
        piece *tokp = qq->tokp;
        uint32_t *wi = qq->wi;
        size_t *words = qq->words;
        size_t nwords = 0;
        const piece *s_tokp = ss->tokp + i0;
        const uint32_t *s_wi = ss->wi + i0;
        const word_entry *wc = x->wc;
        unsigned cues_any = 0;
        memcpy(wi, s_wi, nd * sizeof *wi);
        for (size_t i = 0; i < nd; i++) {
            tokp[i].s = s_tokp[i].s;
            tokp[i].len = s_tokp[i].len;
            cues_any |= wc[s_wi[i]].cues;
            if (flags[i] & TOK_WORD)
                words[nwords++] = i;
        }
        qq->nwords = nwords;
        qq->cues_any = cues_any;
        x->qshared_words = nwords;
    }
    if ((status = text_tokens_setup(x, qq, nd)) != ST_OK)
        return status;
    x->qfrom = i0;
    x->qshared = nd;
    return ST_OK;
}

/* Fast path: the sentence's tokens, kept from the previous run when it
 * had the same sentence (an article's sentence with several quotes). */
static st_status sentence_run(st_extractor *x, const char *s, size_t len)
{
    if (s == NULL)
        s = "", len = 0;
    if (x->sent_ok && x->sent_key.len == len && (len == 0 || memcmp(x->sent_key.data, s, len) == 0))
        return ST_OK;
    x->sent_ok = 0;
    st_status status = text_tokens_run(x, &x->sentence, s, len);
    if (status == ST_OK) {
        x->sent_key.len = 0;
        if (st_buf_append(&x->sent_key, s, len) == ST_OK)
            x->sent_ok = 1;
    }
    return status;
}

/* --- the extractor's lexicon: the caller's plus spelt-out variants --- */

/* The spelt-out form of a lexicon term, in out (empty when unchanged). */
static st_status spelt_variant(st_tokens *tok, const char *term, st_buf *out)
{
    out->len = 0;
    st_status status = st_tokenize(tok, term, strlen(term));
    if (status != ST_OK)
        return status;
    int changed = 0;
    st_buf joined = {0};
    for (size_t i = 0; i < tok->count && status == ST_OK; i++) {
        const char *s = spell_out(tok->array[i]);
        /* Glue split clitics back the way the tokeniser split them. */
        if (i > 0)
            status = st_buf_push(&joined, ' ');
        if (status == ST_OK)
            status = st_buf_append(&joined, s, strlen(s));
        if (s != tok->array[i])
            changed = 1;
    }
    if (status == ST_OK && tok->count > 0) {
        /* Unchanged unless the tokens differ from the term's words. */
        if (!changed && joined.len != strlen(term))
            changed = 1;
        else if (!changed && memcmp(joined.data, term, joined.len) != 0)
            changed = 1;
        if (changed)
            status = st_buf_append(out, joined.data, joined.len);
    }
    st_buf_free(&joined);
    if (status == ST_OK && st_buf_reserve(out, 0) == ST_OK && out->data)
        out->data[out->len] = '\0';
    return status;
}

/* Whether `term` (space-separated) is exactly an entry of kind in lex. */
static int lexicon_has(const st_lexicon *lex, st_lexicon_kind kind, const char *term,
                       const char **words, size_t nwords)
{
    size_t len, index;
    if (!st_lexicon_match_entry(lex, kind, words, nwords, &len, &index) || len != nwords)
        return 0;
    const char *found = NULL;
    st_lexicon_entry(lex, kind, index, &found, NULL, NULL);
    return found != NULL && strcmp(found, term) == 0;
}

/* Splits a space-separated term in place into words (pointers in *words). */
static st_status split_spaces(char *s, const char ***words, size_t *cap, size_t *n)
{
    *n = 0;
    char *p = s;
    for (;;) {
        st_status status = grow_to((void **)words, cap, *n + 1, sizeof **words);
        if (status != ST_OK)
            return status;
        (*words)[(*n)++] = p;
        char *sp = strchr(p, ' ');
        if (sp == NULL)
            break;
        *sp = '\0';
        p = sp + 1;
    }
    return ST_OK;
}

static st_status build_lexicon(const st_lexicon *src, st_lexicon **out)
{
    st_lexicon *lex = NULL;
    st_tokens *tok = NULL;
    st_buf variant = {0}, extra = {0}, copy = {0};
    const char **words = NULL;
    size_t words_cap = 0;
    st_status status = st_lexicon_new(&lex);
    if (status == ST_OK)
        status = st_tokens_new(&tok);
    for (int kind = 0; kind < ST_LEXICON_KIND_COUNT && status == ST_OK; kind++) {
        if ((status = st_lexicon_copy_kind(lex, src, (st_lexicon_kind)kind)) != ST_OK)
            break;
        /* Variants go in a second parse, each checked against what is
         * already there (both cue lists, for the no-overlap rule). */
        extra.len = 0;
        status = st_buf_append(&extra, ST_LEXICON_HEADER "\n", sizeof ST_LEXICON_HEADER);
        size_t added = 0;
        size_t count = st_lexicon_count(src, (st_lexicon_kind)kind);
        for (size_t i = 0; i < count && status == ST_OK; i++) {
            const char *term = NULL, *note = NULL;
            double weight = 0;
            st_lexicon_entry(src, (st_lexicon_kind)kind, i, &term, &weight, &note);
            if (term == NULL || strchr(term, '\'') == NULL)
                continue;
            if ((status = spelt_variant(tok, term, &variant)) != ST_OK)
                break;
            if (variant.len == 0)
                continue;
            copy.len = 0;
            if ((status = st_buf_append(&copy, variant.data, variant.len + 1)) != ST_OK)
                break;
            size_t nwords = 0;
            if ((status = split_spaces(copy.data, &words, &words_cap, &nwords)) != ST_OK)
                break;
            if (lexicon_has(lex, (st_lexicon_kind)kind, variant.data, words, nwords))
                continue;
            if ((kind == ST_LEXICON_THREAT &&
                 lexicon_has(lex, ST_LEXICON_CONCILIATION, variant.data, words, nwords)) ||
                (kind == ST_LEXICON_CONCILIATION &&
                 lexicon_has(lex, ST_LEXICON_THREAT, variant.data, words, nwords)))
                continue;
            /* Not already among this round's variants either. */
            int dup = 0;
            for (size_t p = sizeof ST_LEXICON_HEADER; p < extra.len && !dup;) {
                const char *line = extra.data + p;
                const char *tab = memchr(line, '\t', extra.len - p);
                const char *nl = memchr(line, '\n', extra.len - p);
                if (tab && (size_t)(tab - line) == variant.len && memcmp(line, variant.data, variant.len) == 0)
                    dup = 1;
                p = nl ? (size_t)(nl - extra.data) + 1 : extra.len;
            }
            if (dup)
                continue;
            char wtext[32];
            for (int precision = 1; precision <= 17; precision++) {
                snprintf(wtext, sizeof wtext, "%.*g", precision, weight);
                if (strtod(wtext, NULL) == weight)
                    break;
            }
            if ((status = st_buf_append(&extra, variant.data, variant.len)) != ST_OK ||
                (status = st_buf_push(&extra, '\t')) != ST_OK ||
                (status = st_buf_append(&extra, wtext, strlen(wtext))) != ST_OK ||
                (status = st_buf_append(&extra, "\tspelt out: ", 12)) != ST_OK ||
                (status = st_buf_append(&extra, term, strlen(term))) != ST_OK ||
                (status = st_buf_push(&extra, '\n')) != ST_OK)
                break;
            added++;
        }
        if (status == ST_OK && added > 0)
            status = st_lexicon_parse((st_lexicon_kind)kind, NULL, extra.data, extra.len, lex, NULL);
        if (status == ST_ERR_INPUT)
            status = ST_ERR_MODEL; /* should not happen: variants are checked */
    }
    st_buf_free(&variant);
    st_buf_free(&extra);
    st_buf_free(&copy);
    free(words);
    st_tokens_free(tok);
    if (status != ST_OK) {
        st_lexicon_free(lex);
        return status;
    }
    *out = lex;
    return ST_OK;
}

/* The id of the word s[0..len), added when new (lwords has room). */
static uint32_t lex_word_intern(st_extractor *x, const char *s, size_t len)
{
    uint64_t hash = hash_bytes(s, len);
    size_t mask = x->lwords_cap - 1;
    size_t i = (size_t)hash & mask;
    for (; x->lwords[i].s != NULL; i = (i + 1) & mask) {
        const lex_word *w = &x->lwords[i];
        if (w->hash == hash && w->len == len && memcmp(w->s, s, len) == 0)
            return w->id;
    }
    x->lwords[i].hash = hash;
    x->lwords[i].s = s;
    x->lwords[i].len = len;
    x->lwords[i].id = (uint32_t)++x->nlwords;
    x->lwords[i].node = 0;
    return x->lwords[i].id;
}

/* The child of node by wid, added when new (edges has room). */
static st_status trie_step(st_extractor *x, uint32_t node, uint32_t wid, uint32_t *child)
{
    uint64_t key = ((uint64_t)node << 32) | wid;
    size_t mask = x->edges_cap - 1;
    size_t i = (size_t)mix64(key) & mask;
    for (; x->edges[i].key != 0; i = (i + 1) & mask) {
        if (x->edges[i].key == key) {
            *child = x->edges[i].child;
            return ST_OK;
        }
    }
    st_status status = grow_to((void **)&x->nodes, &x->nodes_cap, x->nnodes + 1, sizeof *x->nodes);
    if (status != ST_OK)
        return status;
    memset(&x->nodes[x->nnodes], 0, sizeof *x->nodes);
    x->edges[i].key = key;
    x->edges[i].child = (uint32_t)x->nnodes;
    *child = (uint32_t)x->nnodes++;
    return ST_OK;
}

/* Builds the matcher from x->lex: every word once, every term a path. */
static st_status build_matcher(st_extractor *x)
{
    size_t total = 0;
    for (int kind = 0; kind < ST_LEXICON_KIND_COUNT; kind++) {
        size_t count = st_lexicon_count(x->lex, (st_lexicon_kind)kind);
        for (size_t e = 0; e < count; e++) {
            const char *term = NULL;
            st_lexicon_entry(x->lex, (st_lexicon_kind)kind, e, &term, NULL, NULL);
            for (const char *p = term; p && *p; p++)
                total += *p == ' ';
            total++;
        }
    }
    size_t cap = 16;
    while (cap < 2 * total + 2)
        cap *= 2;
    x->lwords = calloc(cap, sizeof *x->lwords);
    x->edges = calloc(cap, sizeof *x->edges);
    if (!x->lwords || !x->edges)
        return ST_ERR_NOMEM;
    x->lwords_cap = x->edges_cap = cap;
    st_status status = grow_to((void **)&x->nodes, &x->nodes_cap, 1, sizeof *x->nodes);
    if (status != ST_OK)
        return status;
    memset(&x->nodes[0], 0, sizeof *x->nodes);
    x->nnodes = 1;
    for (int kind = 0; kind < ST_LEXICON_KIND_COUNT; kind++) {
        size_t count = st_lexicon_count(x->lex, (st_lexicon_kind)kind);
        unsigned bit = 1u << kind;
        for (size_t e = 0; e < count; e++) {
            const char *term = NULL;
            st_lexicon_entry(x->lex, (st_lexicon_kind)kind, e, &term, NULL, NULL);
            if (term == NULL || *term == '\0')
                continue;
            uint32_t node = 0;
            for (const char *w = term;;) {
                size_t len = strcspn(w, " ");
                uint32_t child;
                if ((status = trie_step(x, node, lex_word_intern(x, w, len), &child)) != ST_OK)
                    return status;
                node = child;
                x->nodes[node].below |= bit;
                if (w[len] == '\0')
                    break;
                w += len + 1;
            }
            /* A term twice in one kind cannot be; the first would win. */
            if (!(x->nodes[node].ends & bit)) {
                x->nodes[node].ends |= bit;
                x->nodes[node].entry[kind] = (uint32_t)e + 1;
            }
        }
    }
    /* Each word's first step, so a token needs one lookup, not two. */
    for (size_t i = 0; i < x->lwords_cap; i++)
        if (x->lwords[i].s != NULL)
            x->lwords[i].node = trie_child(x, 0, x->lwords[i].id);
    return ST_OK;
}

/* The fixed pieces, and every lexicon entry's term (and lemma) as a piece. */
static st_status build_pieces(st_extractor *x)
{
    for (int k = 0; k < K_COUNT; k++)
        piece_set(&x->fixed[k], fixed_names[k], strlen(fixed_names[k]));
    for (size_t n = 0; n < 64; n++)
        x->pow[n] = poly_pow(n);
    for (int kind = 0; kind < ST_LEXICON_KIND_COUNT; kind++) {
        size_t count = st_lexicon_count(x->lex, (st_lexicon_kind)kind);
        x->terms[kind] = calloc(count ? count : 1, sizeof *x->terms[kind]);
        if (!x->terms[kind])
            return ST_ERR_NOMEM;
        for (size_t e = 0; e < count; e++) {
            const char *term = NULL;
            st_lexicon_entry(x->lex, (st_lexicon_kind)kind, e, &term, NULL, NULL);
            if (term == NULL)
                term = "";
            piece_set(&x->terms[kind][e], term, strlen(term));
        }
    }
    size_t count = st_lexicon_count(x->lex, ST_LEXICON_ATTRIBUTION_VERB);
    x->lemmas = calloc(count ? count : 1, sizeof *x->lemmas);
    if (!x->lemmas)
        return ST_ERR_NOMEM;
    for (size_t e = 0; e < count; e++) {
        const char *term = NULL, *note = NULL;
        st_lexicon_entry(x->lex, ST_LEXICON_ATTRIBUTION_VERB, e, &term, NULL, &note);
        /* The lemma is in the note: "lemma warn; speech verb". */
        if (note != NULL && strncmp(note, "lemma ", 6) == 0) {
            const char *l = note + 6;
            size_t n = strcspn(l, ";\t");
            while (n > 0 && l[n - 1] == ' ')
                n--;
            piece_set(&x->lemmas[e], l, n);
        } else if (term != NULL) {
            piece_set(&x->lemmas[e], term, strlen(term));
        } else {
            piece_set(&x->lemmas[e], "", 0);
        }
    }
    return ST_OK;
}

st_status st_extractor_new(const st_lexicon *lex, const st_params *params, st_extractor **out)
{
    *out = NULL;
    if (params == NULL)
        return ST_ERR_USAGE;
    st_extractor *x = calloc(1, sizeof *x);
    if (x == NULL)
        return ST_ERR_NOMEM;
    x->params = *params;
    st_status status = text_tokens_init(&x->quote);
    if (status == ST_OK)
        status = text_tokens_init(&x->sentence);
    if (status == ST_OK) {
        if (lex != NULL) {
            status = build_lexicon(lex, &x->lex);
        } else {
            status = st_lexicon_new(&x->lex);
        }
    }
    if (status == ST_OK)
        status = build_matcher(x);
    if (status == ST_OK)
        status = build_pieces(x);
    if (status != ST_OK) {
        st_extractor_free(x);
        return status;
    }
    *out = x;
    return ST_OK;
}

void st_extractor_free(st_extractor *x)
{
    if (x == NULL)
        return;
    st_lexicon_free(x->lex);
    for (int kind = 0; kind < ST_LEXICON_KIND_COUNT; kind++)
        free(x->terms[kind]);
    free(x->lemmas);
    free(x->slots);
    free(x->wc);
    free(x->wc_table);
    st_buf_free(&x->wc_text);
    free(x->seen_ng);
    free(x->seen_used);
    free(x->bits);
    free(x->top);
    st_vector_clear(&x->vec);
    free(x->lwords);
    free(x->nodes);
    free(x->edges);
    text_tokens_free(&x->quote);
    text_tokens_free(&x->sentence);
    st_buf_free(&x->sent_key);
    free(x->kmp);
    st_buf_free(&x->names);
    free(x->features);
    free(x->table);
    st_buf_free(&x->scratch);
    free(x->negated);
    free(x);
}

const st_params *st_extractor_params(const st_extractor *x)
{
    return &x->params;
}

size_t st_extractor_count(const st_extractor *x)
{
    return x ? x->count : 0;
}

const char *st_extractor_name(const st_extractor *x, size_t index, size_t *len)
{
    if (x == NULL || index >= x->count)
        return NULL;
    if (len)
        *len = x->features[index].name_len;
    return x->names.data + x->features[index].name_off;
}

double st_extractor_value(const st_extractor *x, size_t index)
{
    if (x == NULL || index >= x->count)
        return 0;
    return x->features[index].value;
}

double st_extractor_scale(const st_extractor *x, size_t index)
{
    if (x == NULL || index >= x->count)
        return 0;
    return x->features[index].scale;
}

static st_status table_rehash(st_extractor *x, size_t cap)
{
    size_t *table = calloc(cap, sizeof *table);
    if (table == NULL)
        return ST_ERR_NOMEM;
    for (size_t i = 0; i < x->count; i++) {
        const feature *f = &x->features[i];
        size_t slot = (size_t)f->hash & (cap - 1);
        while (table[slot] != 0)
            slot = (slot + 1) & (cap - 1);
        table[slot] = i + 1;
    }
    free(x->table);
    x->table = table;
    x->table_cap = cap;
    return ST_OK;
}

/* The scale of a feature in a vector, from its name. */
static double name_scale(const st_extractor *x, const char *name, size_t len)
{
    if (len == 0 || (name[0] != 'l' && name[0] != 'c'))
        return 1.0;
    if ((len >= 4 && memcmp(name, "lex:", 4) == 0) || (len >= 8 && memcmp(name, "lexterm:", 8) == 0) ||
        (len >= 5 && memcmp(name, "clex:", 5) == 0))
        return x->params.lexicon_weight;
    return 1.0;
}

/* The scale of the feature id of v (fast path), from its name. */
static double vocab_scale(const st_extractor *x, const st_vocab *v, int id)
{
    return name_scale(x, v->names.data + v->offsets[id - 1], v->lengths[id - 1]);
}

/* Adds value to the feature named name[0..len) (hash: its hash_bytes),
 * creating it. */
static st_status feat_add(st_extractor *x, const char *name, size_t len, uint64_t hash, double value)
{
    st_status status;
    if (x->table_cap == 0 || (x->count + 1) * 2 > x->table_cap) {
        size_t cap = x->table_cap ? x->table_cap * 2 : 256;
        if ((status = table_rehash(x, cap)) != ST_OK)
            return status;
    }
    size_t mask = x->table_cap - 1;
    size_t slot = (size_t)hash & mask;
    while (x->table[slot] != 0) {
        feature *f = &x->features[x->table[slot] - 1];
        if (f->hash == hash && f->name_len == len && memcmp(x->names.data + f->name_off, name, len) == 0) {
            f->value += value;
            return ST_OK;
        }
        slot = (slot + 1) & mask;
    }
    if ((status = grow_to((void **)&x->features, &x->capacity, x->count + 1, sizeof *x->features)) != ST_OK)
        return status;
    /* name may live in x->scratch, never in x->names, so appending is safe. */
    size_t off = x->names.len;
    if ((status = st_buf_append(&x->names, name, len)) != ST_OK ||
        (status = st_buf_push(&x->names, '\0')) != ST_OK)
        return status;
    feature *f = &x->features[x->count];
    f->name_off = off;
    f->name_len = len;
    f->hash = hash;
    f->value = value;
    f->scale = name_scale(x, name, len);
    x->table[slot] = ++x->count;
    return ST_OK;
}

/* Whether the concatenation of list[0..n) is name[0..len) (the lengths
 * are known to agree). */
static int pieces_equal(const char *name, const piece *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!bytes_equal(name, list[i]->s, list[i]->len))
            return 0;
        name += list[i]->len;
    }
    return 1;
}

/* The id of the name list[0..n) (hash, len) in v, 0 when unseen. */
static int vocab_find_pieces(const st_vocab *v, uint64_t hash, size_t len, const piece *const *list, size_t n)
{
    if (v->table_cap == 0)
        return 0;
    size_t mask = v->table_cap - 1;
    uint32_t tag = (uint32_t)(hash >> 32);
    for (size_t slot = (size_t)hash & mask; v->table[slot].id != 0; slot = (slot + 1) & mask) {
        uint32_t id = v->table[slot].id;
        if (v->table[slot].tag == tag && v->lengths[id - 1] == len &&
            pieces_equal(v->names.data + v->offsets[id - 1], list, n))
            return (int)id;
    }
    return 0;
}

/* Fast path: adds value to the known feature id (its slot, set on its
 * first value).  Inline: an n-gram's whole cost is a probe and this. */
static inline st_status known_add(st_extractor *x, int id, double value, double scale)
{
    uint64_t *word = &x->bits[(size_t)id >> 6];
    uint64_t bit = (uint64_t)1 << (id & 63);
    fast_slot *slot = &x->slots[id];
    if (*word & bit) {
        slot->value += value;
        return ST_OK;
    }
    *word |= bit;
    x->top[(size_t)id >> 12] |= (uint64_t)1 << (((size_t)id >> 6) & 63);
    slot->value = value;
    slot->scale = scale;
    x->nknown++;
    return ST_OK;
}

/* Fast path: an n-gram key the vocabulary lacks, counted once per key
 * (one key, one name). */
static __attribute__((noinline)) st_status key_unseen(st_extractor *x, const ngram_key *key)
{
    if ((x->nseen + 1) * 2 > x->seen_ng_cap) {
        size_t cap = x->seen_ng_cap ? x->seen_ng_cap * 2 : 64;
        ngram_slot *t = calloc(cap, sizeof *t);
        size_t *used = realloc(x->seen_used, cap * sizeof *used);
        if (!t || !used) {
            free(t);
            if (used)
                x->seen_used = used;
            return ST_ERR_NOMEM;
        }
        x->seen_used = used;
        x->seen_used_cap = cap;
        for (size_t k = 0; k < x->nseen; k++) {
            const ngram_slot *old = &x->seen_ng[x->seen_used[k]];
            size_t j = ngram_slot_of(&old->key, cap - 1);
            while (t[j].id != 0)
                j = (j + 1) & (cap - 1);
            t[j] = *old;
            used[k] = j;
        }
        free(x->seen_ng);
        x->seen_ng = t;
        x->seen_ng_cap = cap;
    }
    size_t mask = x->seen_ng_cap - 1;
    size_t i = ngram_slot_of(key, mask);
    for (; x->seen_ng[i].id != 0; i = (i + 1) & mask)
        if (ngram_key_equal(&x->seen_ng[i].key, key))
            return ST_OK;
    x->seen_ng[i].key = *key;
    x->seen_ng[i].id = 1;
    x->seen_used[x->nseen++] = i;
    return ST_OK;
}

/* Fast path: one occurrence of the n-gram key (prefix and word ids). */
static inline st_status emit_key(st_extractor *x, const ngram_key *key, double value)
{
    uint32_t id = vocab_ngram_find(x->fast, key);
    if (id != 0)
        return known_add(x, (int)id, value, 1.0);
    return key_unseen(x, key);
}

/*
 * One occurrence of the feature named by the concatenation of
 * list[0..n), adding value.  Named (st_extractor_run): into the named
 * table.  Fast (st_extractor_run_vector): a name of the vocabulary
 * accumulates by id, without the name being built; any other goes to the
 * named table, which then holds exactly the unseen names.
 */
static st_status emit_found(st_extractor *x, const piece *const *list, size_t n, double value, int *found)
{
    uint64_t p = 0;
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        p = p * list[i]->pw + list[i]->p;
        len += list[i]->len;
    }
    uint64_t hash = name_mix(p, len);
    *found = 0;
    if (x->fast) {
        int id = vocab_find_pieces(x->fast, hash, len, list, n);
        if (id != 0) {
            *found = id;
            return known_add(x, id, value, vocab_scale(x, x->fast, id));
        }
    }
    st_buf *s = &x->scratch;
    st_status status = st_buf_reserve(s, len);
    if (status != ST_OK)
        return status;
    char *out = s->data;
    for (size_t i = 0; i < n; i++) {
        memcpy(out, list[i]->s, list[i]->len);
        out += list[i]->len;
    }
    s->len = len;
    s->data[len] = '\0';
    return feat_add(x, s->data, len, hash, value);
}

static st_status emit(st_extractor *x, const piece *const *list, size_t n, double value)
{
    int found;
    return emit_found(x, list, n, value, &found);
}

/*
 * prefix (+ part, when not NULL) (+ suffix, when >= 0), part being a
 * piece that lives as long as x (a lexicon term or lemma): as emit, the
 * fast path remembering the vocabulary id of the name (a name the
 * vocabulary lacks goes the named way each time, to be counted).
 */
/* emit_stable past its memo (m: the memo slot to fill, NULL in the
 * named way), out of line so that the memo's hits cost little. */
static __attribute__((noinline)) st_status emit_stable_miss(st_extractor *x, int prefix, const piece *part, int suffix,
                                                           double value, emit_memo *m)
{
    const piece *list[3] = {&x->fixed[prefix], part, suffix >= 0 ? &x->fixed[suffix] : NULL};
    size_t n = 1;
    if (part != NULL)
        n++;
    if (suffix >= 0)
        list[n++] = &x->fixed[suffix];
    int id;
    st_status status = emit_found(x, list, n, value, &id);
    if (status == ST_OK && m != NULL && id != 0) {
        m->part = part;
        m->prefix = prefix;
        m->suffix = suffix;
        m->stamp = x->vstamp;
        m->id = id;
        m->scale = vocab_scale(x, x->fast, id);
    }
    return status;
}

static st_status emit_stable(st_extractor *x, int prefix, const piece *part, int suffix, double value)
{
    emit_memo *m = NULL;
    if (x->fast) {
        uintptr_t key = (uintptr_t)part ^ ((uintptr_t)prefix * 0x9E3779B1u) ^ ((uintptr_t)(suffix + 1) << 20);
        key ^= key >> 7;
        key ^= key >> 15;
        m = &x->memo[key & (MEMO_SLOTS - 1)];
        if (m->stamp == x->vstamp && m->part == part && m->prefix == prefix && m->suffix == suffix)
            return known_add(x, m->id, value, m->scale);
    }
    return emit_stable_miss(x, prefix, part, suffix, value, m);
}

/* A feature of one fixed piece. */
static st_status emit_fixed(st_extractor *x, int k, double value)
{
    return emit_stable(x, k, NULL, -1, value);
}

/* prefix + one piece (+ suffix, when suffix >= 0). */
static st_status emit2(st_extractor *x, int prefix, const piece *part, int suffix, double value)
{
    const piece *list[3] = {&x->fixed[prefix], part, suffix >= 0 ? &x->fixed[suffix] : NULL};
    return emit(x, list, suffix >= 0 ? 3 : 2, value);
}

/* known_add for an n-gram (value 1, scale 1) with the bitmaps, the
 * slots and the count in the caller's locals: ngrams_by_key's loop keeps
 * them in registers (stores through the bitmaps could alias x->nknown,
 * reloaded per n-gram otherwise).  The same operations, in the same
 * order, as known_add(x, id, 1.0, 1.0). */
static inline __attribute__((always_inline)) void ngram_add(uint64_t *bits, uint64_t *top, fast_slot *slots,
                                                            size_t *nknown, uint32_t id)
{
    uint64_t *word = &bits[id >> 6];
    uint64_t bit = (uint64_t)1 << (id & 63);
    fast_slot *slot = &slots[id];
    if (*word & bit) {
        slot->value += 1.0;
        return;
    }
    *word |= bit;
    top[id >> 12] |= (uint64_t)1 << ((id >> 6) & 63);
    slot->value = 1.0;
    slot->scale = 1.0;
    (*nknown)++;
}

/*
 * emit_ngrams_skip's fast path: unigrams by their entries' ids, longer
 * n-grams by key.  Each word's id (<cap> for a masked name) is worked out
 * once, as the window moves, not once per n-gram holding it; the arrays,
 * the vocabulary's table and the bitmaps are read into locals (the stores
 * could alias them otherwise, reloaded per n-gram).  The same keys in the
 * same order as one n-gram at a time.
 */
static st_status ngrams_by_key(st_extractor *x, const text_tokens *tt, size_t from, size_t to, int maxn,
                               int prefix, int mask_names, size_t skip_from, size_t skip_to)
{
    if (maxn < 1 || from >= to)
        return ST_OK;
    const int k = prefix == K_Q ? 0 : 1;
    const word_entry *wc = x->wc;
    const uint32_t cap_vw = wc[x->cap_entry].vw, cap_uni = wc[x->cap_entry].uni[k];
    const size_t *words = tt->words;
    const unsigned char *flags = tt->tokens->flags;
    const uint32_t *vw = tt->vw, *wi = tt->wi;
    const ngram_slot *table = x->fast->ngrams;
    const size_t tmask = x->fast->ngrams_cap - 1;
    const int have_table = x->fast->ngrams_cap != 0;
    uint64_t *bits = x->bits, *top = x->top;
    fast_slot *slots = x->slots;
    size_t nknown = x->nknown;
    st_status status = ST_OK;
    ngram_key key;
    key.prefix = prefix == K_Q ? NG_Q : NG_C;
    /* Word i: its token t0, whether masked m0, its id id0; carried over
     * from the previous word's bigram, which read them as its second. */
    size_t t0 = words[from];
    int m0 = mask_names && from > 0 && (flags[t0] & TOK_CAP);
    uint32_t id0 = m0 ? cap_vw : vw[t0];
    for (size_t i = from; i < to; i++) {
        if (!(i >= skip_from && i + 1 <= skip_to)) {
            uint32_t uni = m0 ? cap_uni : wc[wi[t0]].uni[k];
            if (uni != 0) {
                ngram_add(bits, top, slots, &nknown, uni);
            } else {
                key.w[0] = id0;
                key.w[1] = key.w[2] = 0;
                if ((status = key_unseen(x, &key)) != ST_OK)
                    break;
            }
        }
        if (maxn < 2 || i + 1 >= to) {
            if (i + 1 < to) {
                t0 = words[i + 1];
                m0 = mask_names && (flags[t0] & TOK_CAP); /* (i + 1 > 0) */
                id0 = m0 ? cap_vw : vw[t0];
            }
            continue;
        }
        size_t t1 = words[i + 1];
        int m1 = mask_names && (flags[t1] & TOK_CAP); /* (i + 1 > 0) */
        uint32_t id1 = m1 ? cap_vw : vw[t1];
        /* The bigram, then the trigram (maxn 3): no loop over n. */
        key.w[0] = id0;
        key.w[1] = id1;
        key.w[2] = 0;
        if (!(i >= skip_from && i + 2 <= skip_to)) {
            uint32_t id = have_table ? ngram_table_find(table, tmask, &key) : 0;
            if (id != 0)
                ngram_add(bits, top, slots, &nknown, id);
            else if ((status = key_unseen(x, &key)) != ST_OK)
                break;
        }
        if (maxn >= 3 && i + 3 <= to && !(i >= skip_from && i + 3 <= skip_to)) {
            size_t t2 = words[i + 2];
            key.w[2] = mask_names && (flags[t2] & TOK_CAP) ? cap_vw : vw[t2];
            uint32_t id = have_table ? ngram_table_find(table, tmask, &key) : 0;
            if (id != 0)
                ngram_add(bits, top, slots, &nknown, id);
            else if ((status = key_unseen(x, &key)) != ST_OK)
                break;
        }
        t0 = t1;
        m0 = m1;
        id0 = id1;
    }
    x->nknown = nknown;
    return status;
}

/*
 * n-grams of words [from, to) of tt, up to maxn words, as prefix (K_Q or
 * K_C) features; an n-gram lying wholly inside words [skip_from, skip_to)
 * is left out (the clause around a partial quote: the quote's own
 * n-grams are already there).
 */
static st_status emit_ngrams_skip(st_extractor *x, const text_tokens *tt, size_t from, size_t to,
                                  int maxn, int prefix, int mask_names, size_t skip_from, size_t skip_to)
{
    if (x->ngram_fast)
        return ngrams_by_key(x, tt, from, to, maxn, prefix, mask_names, skip_from, skip_to);
    const piece *list[6];
    piece word[3];
    list[0] = &x->fixed[prefix];
    list[2] = list[4] = &x->fixed[K_SPACE];
    for (size_t i = from; i < to; i++) {
        for (int n = 1; n <= maxn && n <= 3 && i + (size_t)n <= to; n++) {
            if (i >= skip_from && i + (size_t)n <= skip_to)
                continue;
            for (int k = 0; k < n; k++) {
                size_t w = i + (size_t)k, t = tt->words[w];
                list[1 + 2 * k] = token_piece(x, tt, t, &word[k]);
                /* A capitalised word that does not open the sentence is
                 * most often a name: the speaker, a place, a country. */
                if (mask_names && w > 0 && (tt->tokens->flags[t] & TOK_CAP))
                    list[1 + 2 * k] = &x->fixed[K_CAP];
            }
            st_status status = emit(x, list, (size_t)(2 * n), 1.0);
            if (status != ST_OK)
                return status;
        }
    }
    return ST_OK;
}

static st_status emit_ngrams(st_extractor *x, const text_tokens *tt, size_t from, size_t to,
                             int maxn, int prefix, int mask_names)
{
    return emit_ngrams_skip(x, tt, from, to, maxn, prefix, mask_names, 0, 0);
}

/* Whether token i of a equals token j of b: the same word cache entry. */
static int same_token(const text_tokens *a, size_t i, const text_tokens *b, size_t j)
{
    return a->wi[i] == b->wi[j];
}

/*
 * Finds the quote's words as a contiguous run of the sentence's words
 * (Knuth-Morris-Pratt, linear).  On success *first is the index in
 * sentence.words of the run's first word.
 */
static st_status locate_quote(st_extractor *x, int *found, size_t *first)
{
    const text_tokens *q = &x->quote, *s = &x->sentence;
    size_t m = q->nwords;
    *found = 0;
    if (m == 0 || m > s->nwords)
        return ST_OK;
    if (x->qshared > 0) {
        /* The quote was cut from the sentence at token qfrom: when its
         * words are there and its first word is nowhere before, that is
         * the first place they occur (tokens compare by entry). */
        size_t c = 0;
        while (c < s->nwords && s->words[c] < x->qfrom)
            c++;
        uint32_t w0 = q->wi[q->words[0]];
        size_t j = 0;
        while (j < c && s->wi[s->words[j]] != w0)
            j++;
        if (j == c && c + m <= s->nwords) {
            /* The shared tokens' words are the sentence's words from c
             * on, entry for entry (copies): compare only the rest. */
            size_t k = x->qshared_words;
            while (k < m && s->wi[s->words[c + k]] == q->wi[q->words[k]])
                k++;
            if (k == m) {
                *found = 1;
                *first = c;
                return ST_OK;
            }
        }
    }
    st_status status = grow_to((void **)&x->kmp, &x->kmp_cap, m, sizeof *x->kmp);
    if (status != ST_OK)
        return status;
    size_t *fail = x->kmp;
    fail[0] = 0;
    for (size_t i = 1, k = 0; i < m; i++) {
        while (k > 0 && !same_token(q, q->words[i], q, q->words[k]))
            k = fail[k - 1];
        if (same_token(q, q->words[i], q, q->words[k]))
            k++;
        fail[i] = k;
    }
    for (size_t j = 0, k = 0; j < s->nwords; j++) {
        while (k > 0 && !same_token(s, s->words[j], q, q->words[k]))
            k = fail[k - 1];
        if (same_token(s, s->words[j], q, q->words[k]))
            k++;
        if (k == m) {
            *found = 1;
            *first = j + 1 - m;
            return ST_OK;
        }
    }
    return ST_OK;
}

/* Attribution verbs in the matching stream tokens [from, to) of the sentence. */
static st_status emit_verbs(st_extractor *x, size_t from, size_t to)
{
    const text_tokens *s = &x->sentence;
    const unsigned verb = 1u << ST_LEXICON_ATTRIBUTION_VERB;
    for (size_t i = from; i < to;) {
        uint32_t end = 0;
        size_t len;
        if (!(x->wc[s->wi[i]].kinds & verb) || (len = lex_longest(x, s, i, to, verb, &end)) == 0) {
            i++;
            continue;
        }
        size_t index = x->nodes[end].entry[ST_LEXICON_ATTRIBUTION_VERB] - 1;
        /* "v:" + the lemma (see build_pieces). */
        st_status status = emit_stable(x, K_V, &x->lemmas[index], -1, 1.0);
        if (status != ST_OK)
            return status;
        i += len;
    }
    return ST_OK;
}

/* Whether the piece is exactly the word w (a string literal). */
#define PIECE_IS(pc, w) ((pc)->len == sizeof(w) - 1 && memcmp((pc)->s, (w), sizeof(w) - 1) == 0)

/* The E2 80 xx punctuation mark (U+2000..U+203F) with last byte b. */
static int is_e280(const piece *pc, unsigned char b)
{
    return pc->len == 3 && (unsigned char)pc->s[0] == 0xE2 && (unsigned char)pc->s[1] == 0x80 &&
           (unsigned char)pc->s[2] == b;
}

/* , ; : . ! ? ... em dash, en dash ( ) */
static int is_clause_end(const piece *pc)
{
    if (pc->len == 1) {
        char c = pc->s[0];
        return c == ',' || c == ';' || c == ':' || c == '.' || c == '!' || c == '?' || c == '(' || c == ')';
    }
    return is_e280(pc, 0xA6) || is_e280(pc, 0x94) || is_e280(pc, 0x93);
}

/* . ! ? ; ... */
static int is_sentence_end(const piece *pc)
{
    if (pc->len == 1) {
        char c = pc->s[0];
        return c == '.' || c == '!' || c == '?' || c == ';';
    }
    return is_e280(pc, 0xA6);
}

static int is_future_modal(const piece *pc)
{
    return PIECE_IS(pc, "will") || PIECE_IS(pc, "would") || PIECE_IS(pc, "shall");
}

/* The grammatical person of a pronoun: K_SUBJ_WE, _YOU, _THEY, or -1. */
static int pronoun_person(const piece *pc)
{
    switch (pc->len) {
    case 1: return PIECE_IS(pc, "i") ? K_SUBJ_WE : -1;
    case 2: return PIECE_IS(pc, "we") || PIECE_IS(pc, "us") || PIECE_IS(pc, "my") || PIECE_IS(pc, "me") ? K_SUBJ_WE
                   : PIECE_IS(pc, "he") ? K_SUBJ_THEY : -1;
    case 3: return PIECE_IS(pc, "our") ? K_SUBJ_WE : PIECE_IS(pc, "you") ? K_SUBJ_YOU
                   : PIECE_IS(pc, "she") || PIECE_IS(pc, "his") || PIECE_IS(pc, "her") ? K_SUBJ_THEY : -1;
    case 4: return PIECE_IS(pc, "they") || PIECE_IS(pc, "them") ? K_SUBJ_THEY : PIECE_IS(pc, "your") ? K_SUBJ_YOU : -1;
    case 5: return PIECE_IS(pc, "their") ? K_SUBJ_THEY : -1;
    default: return -1;
    }
}

/* The kind of commitment a word makes: K_ACT_FUT, _READY, _MUST, _MAY, or -1. */
static int commitment(const piece *pc)
{
    if (is_future_modal(pc) || PIECE_IS(pc, "going"))
        return K_ACT_FUT;
    if (PIECE_IS(pc, "ready") || PIECE_IS(pc, "willing") || PIECE_IS(pc, "prepared") || PIECE_IS(pc, "open"))
        return K_ACT_READY;
    if (PIECE_IS(pc, "must") || PIECE_IS(pc, "should"))
        return K_ACT_MUST;
    if (PIECE_IS(pc, "can") || PIECE_IS(pc, "could") || PIECE_IS(pc, "may") || PIECE_IS(pc, "might"))
        return K_ACT_MAY;
    return -1;
}

/*
 * act: who commits to what.  A threat or conciliation cue means one
 * thing in "we will ..." (the speaker's own promise), another in "they
 * will ..." (a warning about the other side, or a report of theirs), and
 * another with no subject at all; n-grams only see two words at a time,
 * and the pronoun and the modal are often further from the cue.  So the
 * clause's words before the cue (up to 6, not past a comma or a full
 * stop) and the cue's own give the nearest pronoun's person and the
 * nearest modal or readiness word:
 * "act:threat:we+future", "act:conciliation:we+ready", "act:threat:you+must".
 */
static st_status emit_act(st_extractor *x, const text_tokens *tt, size_t from, size_t at, size_t end,
                          st_lexicon_kind kind, int negated)
{
    int person = -1, commit = -1;
    size_t words = 0;
    /* (The tests of the words' matching spellings, from their word
     * cache entries: is_clause_end is CUE_CLAUSE_END.) */
    for (size_t k = end; k > from && words < 6 + (end - at);) {
        k--;
        const word_entry *we = &x->wc[tt->wi[k]];
        if (!(tt->tokens->flags[k] & TOK_WORD)) {
            if (k < at && (we->cues & CUE_CLAUSE_END))
                break;
            continue;
        }
        words++;
        if (person < 0)
            person = we->person;
        if (commit < 0)
            commit = we->commit;
    }
    /* A name of the vocabulary goes by its remembered id (fast path);
     * person is K_SUBJ_WE.. K_SUBJ_THEY, commit K_ACT_FUT.. K_ACT_MAY. */
    int *id = NULL;
    double *scale = NULL;
    uint32_t *stamp = NULL;
    if (x->fast) {
        size_t a = kind == ST_LEXICON_THREAT ? 0 : 1, b = person < 0 ? 0 : (size_t)(person - K_SUBJ_NONE);
        size_t c = commit < 0 ? 0 : (size_t)(commit - K_ACT_FUT) + 1, d = negated ? 1 : 0;
        id = &x->act_id[a][b][c][d];
        scale = &x->act_scale[a][b][c][d];
        stamp = &x->act_stamp[a][b][c][d];
        if (*stamp == x->vstamp)
            return known_add(x, *id, 1.0, *scale);
    }
    const piece *list[4];
    list[0] = &x->fixed[kind == ST_LEXICON_THREAT ? K_ACT_THREAT : K_ACT_CONC];
    list[1] = &x->fixed[person < 0 ? K_SUBJ_NONE : person];
    list[2] = &x->fixed[commit < 0 ? K_EMPTY : commit];
    list[3] = &x->fixed[negated ? K_NEG : K_EMPTY];
    int found = 0;
    st_status status = emit_found(x, list, 4, 1.0, &found);
    if (status == ST_OK && id != NULL && found != 0) {
        *id = found;
        *scale = vocab_scale(x, x->fast, found);
        *stamp = x->vstamp;
    }
    return status;
}

/*
 * Lexicon cues in tokens [from, to) of tt.  In the quote (context == 0):
 * threat and conciliation cues with negation scope, conditionals, degree
 * words and hedges, and x->negated marks the words inside a negator's
 * scope.  In the sentence outside the quote (context == 1): only the
 * threat and conciliation cue counts, as clex:threat, clex:conciliation
 * (":neg" when negated).  In the clause around a partial quote
 * (context == 2): the threat and conciliation cues as the quote's own
 * (lex:, lexterm:), without touching x->negated.
 */
static st_status emit_lexicon(st_extractor *x, const text_tokens *tt, size_t from, size_t to, int context)
{
    static const st_lexicon_kind kinds[] = {
        ST_LEXICON_THREAT, ST_LEXICON_CONCILIATION, ST_LEXICON_NEGATOR, ST_LEXICON_CONDITIONAL,
        ST_LEXICON_HEDGE,  ST_LEXICON_INTENSIFIER,  ST_LEXICON_DOWNTONER};
    const st_params *p = &x->params;
    size_t nkinds = context ? 3 : sizeof kinds / sizeof kinds[0];
    /* The kinds of kinds[0..nkinds) as bits (constants, not a loop per call). */
    const unsigned first3 = (1u << ST_LEXICON_THREAT) | (1u << ST_LEXICON_CONCILIATION) | (1u << ST_LEXICON_NEGATOR);
    unsigned wanted = context ? first3
                              : first3 | (1u << ST_LEXICON_CONDITIONAL) | (1u << ST_LEXICON_HEDGE) |
                                    (1u << ST_LEXICON_INTENSIFIER) | (1u << ST_LEXICON_DOWNTONER);
    size_t scope = 0; /* words still inside a negator's scope */
    st_status status = ST_OK;
    if (!context) {
        status = grow_to((void **)&x->negated, &x->negated_cap, tt->tokens->count + 1, 1);
        if (status != ST_OK)
            return status;
        memset(x->negated, 0, tt->tokens->count);
        x->quote_negator = 0;
    }
    /* In locals: the negated[] stores (bytes) could alias anything the
     * loop reads through x or tt, reloaded per token otherwise.  (Nothing
     * the loop calls adds word cache entries.) */
    const unsigned char *tflags = tt->tokens->flags;
    const uint32_t *wi = tt->wi;
    const word_entry *wc = x->wc;
    for (size_t i = from; i < to && status == ST_OK;) {
        if (!(tflags[i] & TOK_WORD)) {
            if (wc[wi[i]].cues & CUE_CLAUSE_END)
                scope = 0;
            i++;
            continue;
        }
        size_t best_len = 0, best_index = 0;
        int best = -1;
        unsigned want = wc[wi[i]].kinds & wanted;
        uint32_t end = 0;
        if (want != 0 && (best_len = lex_longest_in(x, wc, wi, i, to, want, &end)) != 0) {
            /* The longest; on a tie the first kind of kinds[]. */
            unsigned hit = x->nodes[end].ends & want;
            for (size_t k = 0; k < nkinds; k++) {
                if (hit & (1u << kinds[k])) {
                    best_index = x->nodes[end].entry[kinds[k]] - 1;
                    best = (int)k;
                    break;
                }
            }
        }
        if (best < 0) {
            if (scope > 0) {
                if (!context)
                    x->negated[i] = 1;
                scope--;
            }
            i++;
            continue;
        }
        st_lexicon_kind kind = kinds[best];
        double weight = 0;
        st_lexicon_entry(x->lex, kind, best_index, NULL, &weight, NULL);
        const piece *term = &x->terms[kind][best_index];
        int negated = scope > 0;
        size_t words_in_match = 0;
        for (size_t k = i; k < i + best_len; k++) {
            if (tflags[k] & TOK_WORD) {
                words_in_match++;
                if (!context && negated && kind != ST_LEXICON_NEGATOR)
                    x->negated[k] = 1;
            }
        }
        scope = scope > words_in_match ? scope - words_in_match : 0;
        switch (kind) {
        case ST_LEXICON_THREAT:
        case ST_LEXICON_CONCILIATION: {
            if (context == 1) {
                int base = kind == ST_LEXICON_THREAT ? (negated ? K_CLEX_THREAT_NEG : K_CLEX_THREAT)
                                                     : (negated ? K_CLEX_CONC_NEG : K_CLEX_CONC);
                status = emit_fixed(x, base, fabs(weight));
                break;
            }
            if (!p->use_lexicon)
                break;
            int base = kind == ST_LEXICON_THREAT ? (negated ? K_LEX_THREAT_NEG : K_LEX_THREAT)
                                                 : (negated ? K_LEX_CONC_NEG : K_LEX_CONC);
            status = emit_fixed(x, base, fabs(weight));
            if (status == ST_OK)
                status = emit_stable(x, K_LEXTERM, term, negated ? K_NEG : -1, 1.0);
            if (status == ST_OK && context == 0 && p->use_act)
                status = emit_act(x, tt, from, i, i + best_len, kind, negated);
            break;
        }
        case ST_LEXICON_NEGATOR:
            scope = (size_t)p->negation_window;
            if (!context)
                x->quote_negator = 1;
            break;
        case ST_LEXICON_CONDITIONAL:
            if (!p->use_conditional)
                break;
            status = emit_stable(x, K_COND, term, -1, 1.0);
            /* A will/would later in the same sentence of the quote. */
            for (size_t k = i + best_len; k < to && status == ST_OK; k++) {
                unsigned cues = wc[wi[k]].cues;
                if (cues & CUE_SENT_END)
                    break;
                if (cues & CUE_FUTURE) {
                    status = emit_stable(x, K_COND, term, K_PLUS_WILL, 1.0);
                    break;
                }
            }
            break;
        case ST_LEXICON_HEDGE:
            if (!p->use_degree)
                break;
            status = emit_fixed(x, K_HEDGE, fabs(weight));
            if (status == ST_OK)
                status = emit_stable(x, K_HEDGE, term, -1, 1.0);
            break;
        case ST_LEXICON_INTENSIFIER:
            if (!p->use_degree)
                break;
            status = emit_fixed(x, K_INT, fabs(weight));
            if (status == ST_OK)
                status = emit_stable(x, K_INT, term, -1, 1.0);
            break;
        case ST_LEXICON_DOWNTONER:
            if (!p->use_degree)
                break;
            status = emit_fixed(x, K_DOWN, fabs(weight));
            if (status == ST_OK)
                status = emit_stable(x, K_DOWN, term, -1, 1.0);
            break;
        default:
            break;
        }
        i += best_len;
    }
    return status;
}

/* qn: the quote's words inside a negator's scope ("qn:attack"). */
static st_status emit_negated_words(st_extractor *x)
{
    const text_tokens *q = &x->quote;
    st_status status = ST_OK;
    if (!x->quote_negator)
        return status; /* no word in a negator's scope */
    const size_t *words = q->words;
    const unsigned char *negated = x->negated;
    size_t nwords = q->nwords;
    for (size_t w = 0; w < nwords && status == ST_OK; w++) {
        size_t i = words[w];
        if (!negated[i])
            continue;
        if (x->ngram_fast) {
            ngram_key key = {{q->vw[i], 0, 0}, NG_QN};
            uint32_t id = x->wc[q->wi[i]].uni[2];
            status = id != 0 ? known_add(x, (int)id, 1.0, 1.0) : key_unseen(x, &key);
        } else {
            piece pc;
            status = emit2(x, K_QN, token_piece(x, q, i, &pc), -1, 1.0);
        }
    }
    return status;
}

/* will would shall should must may might can could */
static int is_modal(const piece *pc)
{
    switch (pc->len) {
    case 3: return PIECE_IS(pc, "may") || PIECE_IS(pc, "can");
    case 4: return PIECE_IS(pc, "will") || PIECE_IS(pc, "must");
    case 5: return PIECE_IS(pc, "would") || PIECE_IS(pc, "shall") || PIECE_IS(pc, "might") || PIECE_IS(pc, "could");
    case 6: return PIECE_IS(pc, "should");
    default: return 0;
    }
}

/* The fixed piece of the modal pc spells (is_modal), -1 when none. */
static int modal_piece(const piece *pc)
{
    static const int modals[] = {K_WILL, K_WOULD, K_SHALL, K_SHOULD, K_MUST, K_MAY, K_MIGHT, K_CAN, K_COULD};
    if (!is_modal(pc))
        return -1;
    for (size_t k = 0; k < sizeof modals / sizeof modals[0]; k++)
        if (pc->len == strlen(fixed_names[modals[k]]) && memcmp(pc->s, fixed_names[modals[k]], pc->len) == 0)
            return modals[k];
    return -1;
}

static int is_second_person(const piece *pc)
{
    if (pc->len < 3 || pc->s[0] != 'y')
        return 0;
    return PIECE_IS(pc, "you") || PIECE_IS(pc, "your") || PIECE_IS(pc, "yours") || PIECE_IS(pc, "yourself") ||
           PIECE_IS(pc, "yourselves");
}

/* modal: and you: features over the quote's words (matching stream). */
static st_status emit_modal_you(st_extractor *x)
{
    const text_tokens *q = &x->quote;
    const st_params *p = &x->params;
    st_status status = ST_OK;
    if (!(q->cues_any & (CUE_MODAL | CUE_GOING | CUE_SECOND)))
        return ST_OK; /* no word acts */
    const word_entry *wc = x->wc;
    const uint32_t *wi = q->wi;
    const size_t *words = q->words;
    size_t nwords = q->nwords;
    /* The cues of the words (the one after the last: none, as for ""). */
    unsigned next_cues = nwords > 0 ? wc[wi[words[0]]].cues : 0;
    for (size_t w = 0; w < nwords && status == ST_OK; w++) {
        unsigned cues = next_cues;
        next_cues = w + 1 < nwords ? wc[wi[words[w + 1]]].cues : 0;
        if (!(cues & (CUE_MODAL | CUE_GOING | CUE_SECOND)))
            continue;
        if (p->use_modal) {
            if (cues & CUE_MODAL) {
                /* The modal as its fixed piece (the same bytes as the
                 * word's matching spelling), so that emit_stable's memo
                 * serves it. */
                int neg = (next_cues & CUE_NOT_NEVER) != 0;
                status = emit_stable(x, K_MODAL, &x->fixed[wc[wi[words[w]]].modal], neg ? K_DASH_NOT : -1, 1.0);
            } else if ((cues & CUE_GOING) && (next_cues & CUE_TO)) {
                status = emit_fixed(x, K_GOING_TO, 1.0);
            }
        }
        if (status == ST_OK && p->use_you && (cues & CUE_SECOND)) {
            status = emit_fixed(x, K_YOU, 1.0);
            if (status == ST_OK && (cues & CUE_YOU) && (next_cues & CUE_MODAL))
                status = emit_stable(x, K_YOU_PLUS, &x->fixed[wc[wi[words[w + 1]]].modal], -1, 1.0);
        }
    }
    return status;
}

/* " ' curly quotes, guillemets, low-9 quote, ) ] */
static int is_quote_mark(const piece *pc)
{
    if (pc->len == 1) {
        char c = pc->s[0];
        return c == '"' || c == '\'' || c == ')' || c == ']';
    }
    if (pc->len == 2)
        return (unsigned char)pc->s[0] == 0xC2 && ((unsigned char)pc->s[1] == 0xAB || (unsigned char)pc->s[1] == 0xBB);
    return is_e280(pc, 0x9C) || is_e280(pc, 0x9D) || is_e280(pc, 0x98) || is_e280(pc, 0x9E) ||
           is_e280(pc, 0xB9) || is_e280(pc, 0xBA);
}

/* The CUE_* bits of a token (tok) with matching spelling `spelled`.  The
 * "!", "?" and "\xE2\x80\xA6" tests were strcmp on the token's string, which
 * holds no NUL. */
static unsigned word_cues(const piece *tok, const piece *spelled)
{
    unsigned c = 0;
    if (is_modal(spelled))
        c |= CUE_MODAL;
    if (is_future_modal(spelled))
        c |= CUE_FUTURE;
    if (PIECE_IS(spelled, "not") || PIECE_IS(spelled, "never"))
        c |= CUE_NOT_NEVER;
    if (PIECE_IS(spelled, "going"))
        c |= CUE_GOING;
    if (PIECE_IS(spelled, "to"))
        c |= CUE_TO;
    if (is_second_person(spelled))
        c |= CUE_SECOND;
    if (PIECE_IS(spelled, "you"))
        c |= CUE_YOU;
    if (is_clause_end(spelled))
        c |= CUE_CLAUSE_END;
    if (is_sentence_end(spelled))
        c |= CUE_SENT_END;
    if (PIECE_IS(tok, "!") || PIECE_IS(tok, "?") || PIECE_IS(tok, "\xE2\x80\xA6"))
        c |= CUE_PUNCT;
    if (PIECE_IS(tok, "?"))
        c |= CUE_QMARK;
    if (is_quote_mark(tok))
        c |= CUE_QUOTE_MARK;
    return c;
}

static st_status emit_shape(st_extractor *x)
{
    const text_tokens *q = &x->quote;
    size_t words = q->nwords, n = q->tokens->count;
    int bucket = words == 0 ? K_LEN0
                 : words < 5 ? K_LEN1
                 : words < 10 ? K_LEN5
                 : words < 20 ? K_LEN10
                 : words < 40 ? K_LEN20
                              : K_LEN40;
    st_status status = emit_fixed(x, bucket, 1.0);
    const word_entry *wc = x->wc;
    const uint32_t *wi = q->wi;
    for (size_t i = 0; i < n && status == ST_OK && (q->cues_any & CUE_PUNCT); i++) {
        if (wc[wi[i]].cues & CUE_PUNCT) {
            piece pc;
            status = emit2(x, K_PUNCT, token_piece(x, q, i, &pc), -1, 1.0);
        }
    }
    if (status == ST_OK && words > 0 && words < 5)
        status = emit_fixed(x, K_PARTIAL, 1.0);
    size_t last = n;
    while (last > 0 && (x->wc[q->wi[last - 1]].cues & CUE_QUOTE_MARK))
        last--;
    if (status == ST_OK && last > 0 && (x->wc[q->wi[last - 1]].cues & CUE_QMARK))
        status = emit_fixed(x, K_QUESTION, 1.0);
    return status;
}

static st_status sentence_word_ids(st_extractor *x, size_t from, size_t to);

/* Whether a clause of the sentence ends between words w - 1 and w (a
 * token between them whose matching spelling is_clause_end: its cue). */
static int clause_break_before(const st_extractor *x, const text_tokens *s, size_t w)
{
    for (size_t t = s->words[w - 1] + 1; t < s->words[w]; t++)
        if (x->wc[s->wi[t]].cues & CUE_CLAUSE_END)
            return 1;
    return 0;
}

/* Conjunctions that open another clause ("... 'extremely concerning' but
 * welcomed ..."): the clause's reach stops there, both ways. */
static int is_clause_conjunction(const piece *pc)
{
    switch (pc->len) {
    case 2: return PIECE_IS(pc, "or");
    case 3: return PIECE_IS(pc, "but") || PIECE_IS(pc, "and") || PIECE_IS(pc, "yet");
    case 4: return PIECE_IS(pc, "when");
    case 5: return PIECE_IS(pc, "while") || PIECE_IS(pc, "after");
    case 6: return PIECE_IS(pc, "though") || PIECE_IS(pc, "before");
    case 7: return PIECE_IS(pc, "because") || PIECE_IS(pc, "whereas");
    case 8: return PIECE_IS(pc, "although");
    default: return 0;
    }
}

/* Whether sentence word w stops the clause's reach: an attribution verb,
 * the "that" after one (before them is the reporter's frame, not the
 * speaker's words) or a conjunction opening another clause. */
static int clause_frame_word(const st_extractor *x, const text_tokens *s, size_t w)
{
    size_t t = s->words[w];
    const piece *m = match_piece(x, s, t);
    return (x->wc[s->wi[t]].kinds & (1u << ST_LEXICON_ATTRIBUTION_VERB)) || PIECE_IS(m, "that") ||
           is_clause_conjunction(m);
}

/*
 * A partial quote is a few words inside the speaker's clause ("Israel
 * will receive 'just punishment'", "promised 'severe' consequences"), and
 * LABELS.md judges the quoted words together with the clause around them.
 * The words of that clause, up to clause_words before the quote and
 * half as many after it, not past a comma, a dash, an attribution verb or
 * a conjunction (clause_frame_word), are read as quote words: their
 * q: n-grams (those not wholly inside the quote, which are there already)
 * and their threat and conciliation cues.  A quote that is a sentence of
 * its own has no such words, so this only touches quotes inside a clause.
 */
static st_status emit_clause(st_extractor *x, size_t first)
{
    const st_params *p = &x->params;
    const text_tokens *s = &x->sentence;
    size_t m = x->quote.nwords, reach = (size_t)p->clause_words;
    /* What completes the phrase on the right is short ("'severe'
     * consequences"); further right is mostly the reporter's "for ...". */
    size_t right_reach = (reach + 1) / 2;
    size_t from = first, to = first + m;
    while (from > 0 && first - from < reach && !clause_break_before(x, s, from) && !clause_frame_word(x, s, from - 1))
        from--;
    while (to < s->nwords && to - (first + m) < right_reach && !clause_break_before(x, s, to) &&
           !clause_frame_word(x, s, to))
        to++;
    if (from == first && to == first + m)
        return ST_OK;
    st_status status = ST_OK;
    if (x->ngram_fast && (status = sentence_word_ids(x, from, to)) != ST_OK)
        return status;
    if (p->use_quote &&
        (status = emit_ngrams_skip(x, s, from, to, p->ngram, K_Q, 0, first, first + m)) != ST_OK)
        return status;
    if (p->use_lexicon && p->clause_lexicon) {
        if (from < first && (status = emit_lexicon(x, s, s->words[from], s->words[first], 2)) != ST_OK)
            return status;
        if (to > first + m &&
            (status = emit_lexicon(x, s, s->words[first + m - 1] + 1, s->words[to - 1] + 1, 2)) != ST_OK)
            return status;
    }
    return ST_OK;
}

/* c: n-grams, v: verbs and clex: cues from the sentence outside the quote. */
static st_status emit_context(st_extractor *x)
{
    const st_params *p = &x->params;
    const text_tokens *s = &x->sentence;
    if (s->tokens->count == 0 || (!p->use_context && !p->use_verb && !p->context_lexicon && !p->clause_words))
        return ST_OK;
    int found = 0;
    size_t first = 0;
    st_status status = locate_quote(x, &found, &first);
    if (status != ST_OK)
        return status;
    if (!found) {
        /* Not there word for word: the verb from the whole sentence. */
        return p->use_verb ? emit_verbs(x, 0, s->tokens->count) : ST_OK;
    }
    size_t m = x->quote.nwords;
    size_t qstart = s->words[first];             /* token range of the quote */
    size_t qend = s->words[first + m - 1] + 1;
    if (p->use_verb) {
        if ((status = emit_verbs(x, 0, qstart)) != ST_OK ||
            (status = emit_verbs(x, qend, s->tokens->count)) != ST_OK)
            return status;
    }
    if (p->context_lexicon) {
        if ((status = emit_lexicon(x, s, 0, qstart, 1)) != ST_OK ||
            (status = emit_lexicon(x, s, qend, s->tokens->count, 1)) != ST_OK)
            return status;
    }
    if (p->clause_words > 0 && (status = emit_clause(x, first)) != ST_OK)
        return status;
    if (p->use_context) {
        size_t window = (size_t)p->context_window;
        size_t left_from = window == 0 || first < window ? 0 : first - window;
        size_t right_to = first + m + (window == 0 ? s->nwords : window);
        if (right_to > s->nwords || window == 0)
            right_to = s->nwords;
        if (x->ngram_fast && ((status = sentence_word_ids(x, left_from, first)) != ST_OK ||
                              (status = sentence_word_ids(x, first + m, right_to)) != ST_OK))
            return status;
        if ((status = emit_ngrams(x, s, left_from, first, p->context_ngram, K_C, p->mask_names)) != ST_OK ||
            (status = emit_ngrams(x, s, first + m, right_to, p->context_ngram, K_C, p->mask_names)) != ST_OK)
            return status;
    }
    return ST_OK;
}

/* Empties the named table (keeping the storage). */
static void named_reset(st_extractor *x)
{
    for (size_t i = 0; i < x->count; i++) {
        const feature *f = &x->features[i];
        size_t mask = x->table_cap - 1;
        size_t slot = (size_t)f->hash & mask;
        while (x->table[slot] != i + 1)
            slot = (slot + 1) & mask;
        x->table[slot] = 0;
    }
    /* Clearing single slots breaks probe chains of the others, so clear
     * all of them above before anything is looked up again. */
    x->count = 0;
    x->names.len = 0;
}

/* Fast path: brings entry e's vocabulary fields up to date for x->fast
 * and gives its n-gram word id: the vocabulary dictionary's, else one
 * above them made from the entry's index (the same for the same bytes,
 * and only ever compared with other ids).  0 when ids run out. */
static uint32_t wc_vocab(st_extractor *x, uint32_t e)
{
    word_entry *w = &x->wc[e];
    if (w->vstamp == x->vstamp)
        return w->vw;
    const st_vocab *v = x->fast;
    uint32_t id = vocab_word_find(v, x->wc_text.data + w->off, w->len, name_mix(w->p, w->len));
    w->uni[0] = w->uni[1] = w->uni[2] = 0;
    if (id == 0) {
        if (v->nwords >= UINT32_MAX / 2 - e)
            return 0;
        id = (uint32_t)(v->nwords + 1 + e);
    } else {
        static const uint32_t prefixes[3] = {NG_Q, NG_C, NG_QN};
        for (int k = 0; k < 3; k++) {
            ngram_key key = {{id, 0, 0}, prefixes[k]};
            w->uni[k] = vocab_ngram_find(v, &key);
        }
    }
    w->vw = id;
    w->vstamp = x->vstamp;
    return id;
}

/* Fast path: a new stamp for the entries' vocabulary fields when v is
 * not the vocabulary (or no longer the state of it) they were made for. */
static void wc_vocab_stamp(st_extractor *x, const st_vocab *v)
{
    if (x->vstamp != 0 && v->serial == x->vserial && v->size == x->vsize && v->nwords == x->vnwords &&
        v->nngrams == x->vnngrams)
        return;
    if (x->vstamp == UINT32_MAX) {
        for (size_t k = 0; k < x->nwc; k++)
            x->wc[k].vstamp = 0;
        for (size_t k = 0; k < MEMO_SLOTS; k++)
            x->memo[k].stamp = 0;
        memset(x->act_stamp, 0, sizeof x->act_stamp);
        x->vstamp = 0;
    }
    x->vstamp++;
    x->vserial = v->serial;
    x->vsize = v->size;
    x->vnwords = v->nwords;
    x->vnngrams = v->nngrams;
}

/* Empties this run's unseen n-grams (fast path). */
static void run_words_reset(st_extractor *x)
{
    for (size_t k = 0; k < x->nseen; k++)
        x->seen_ng[x->seen_used[k]].id = 0;
    x->nseen = 0;
}

/* Fast path: the n-gram word ids of tt's words[from..to) (0: ids ran
 * out).  The entries up to date for the vocabulary are read here, the
 * others brought up to date by wc_vocab (which moves no entry); the
 * arrays in locals, which the id stores could alias. */
static int words_vocab(st_extractor *x, text_tokens *tt, size_t from, size_t to)
{
    const word_entry *wc = x->wc;
    const uint32_t stamp = x->vstamp;
    const size_t *words = tt->words;
    const uint32_t *wi = tt->wi;
    uint32_t *vw = tt->vw;
    for (size_t w = from; w < to; w++) {
        size_t i = words[w];
        uint32_t e = wi[i];
        uint32_t id = wc[e].vstamp == stamp ? wc[e].vw : wc_vocab(x, e);
        if (id == 0)
            return 0;
        vw[i] = id;
    }
    return 1;
}

/*
 * Decides whether this run's n-grams go by key (no word of either text
 * holds a space or a colon, the vocabulary's index is whole) and gives
 * the quote's word tokens their ids.
 */
static st_status assign_word_ids(st_extractor *x)
{
    x->ngram_fast = 0;
    if (!x->fast->ngram_indexed || x->fast->ngram_broken || x->quote.tokens->odd || x->sentence.tokens->odd)
        return ST_OK;
    const piece *cap = &x->fixed[K_CAP];
    st_status status = wc_entry(x, cap, token_hash(cap->s, cap->len), &x->cap_entry);
    if (status != ST_OK)
        return status;
    if (wc_vocab(x, x->cap_entry) == 0)
        return ST_ERR_NOMEM;
    /* The sentence's words get theirs when an n-gram reads them (the
     * context window's: see sentence_word_ids). */
    text_tokens *q = &x->quote;
    if (!words_vocab(x, q, 0, q->nwords))
        return ST_ERR_NOMEM;
    x->ngram_fast = 1;
    return ST_OK;
}

/* Fast path: the word ids of the sentence's words[from..to). */
static st_status sentence_word_ids(st_extractor *x, size_t from, size_t to)
{
    return words_vocab(x, &x->sentence, from, to) ? ST_OK : ST_ERR_NOMEM;
}

/* The extraction proper, into whichever sink x is set to. */
static st_status extract(st_extractor *x, const st_example *ex)
{
    named_reset(x);
    if (ex == NULL)
        return ST_ERR_USAGE;
    if (x->nwc >= WC_MAX)
        wc_flush(x);
    st_status status;
    x->qshared = 0;
    if (x->fast) {
        /* The sentence first, so that the quote can share its tokens. */
        status = sentence_run(x, ex->sentence, ex->sentence ? ex->sentence_len : 0);
        if (status == ST_OK)
            status = quote_from_sentence(x, ex->quote, ex->quote ? ex->quote_len : 0, ex->sentence,
                                         ex->sentence ? ex->sentence_len : 0);
    } else {
        x->sent_ok = 0;
        status = text_tokens_run(x, &x->quote, ex->quote, ex->quote ? ex->quote_len : 0);
        if (status == ST_OK)
            status = text_tokens_run(x, &x->sentence, ex->sentence, ex->sentence ? ex->sentence_len : 0);
    }
    x->ngram_fast = 0;
    if (status == ST_OK && x->fast)
        status = assign_word_ids(x);
    const st_params *p = &x->params;
    if (status == ST_OK && p->use_quote)
        status = emit_ngrams(x, &x->quote, 0, x->quote.nwords, p->ngram, K_Q, 0);
    if (status == ST_OK)
        status = emit_lexicon(x, &x->quote, 0, x->quote.tokens->count, 0);
    if (status == ST_OK && p->negation_ngrams)
        status = emit_negated_words(x);
    if (status == ST_OK && (p->use_modal || p->use_you))
        status = emit_modal_you(x);
    if (status == ST_OK && p->use_shape)
        status = emit_shape(x);
    if (status == ST_OK)
        status = emit_context(x);
    if (status != ST_OK) {
        /* Leave a consistent, empty result. */
        if (x->table)
            memset(x->table, 0, x->table_cap * sizeof *x->table);
        x->count = 0;
        x->names.len = 0;
    }
    return status;
}

st_status st_extractor_run(st_extractor *x, const st_example *ex)
{
    x->fast = NULL;
    return extract(x, ex);
}

/* Room in slots and bits for the ids of v (bits all zero). */
static st_status fast_reserve(st_extractor *x, const st_vocab *v)
{
    size_t need = v->size + 1;
    if (need <= x->ids_cap)
        return ST_OK;
    size_t cap = (need + 4095) & ~(size_t)4095; /* whole words of top */
    fast_slot *slots = calloc(cap, sizeof *slots);
    uint64_t *bits = calloc(cap / 64, sizeof *bits);
    uint64_t *top = calloc(cap / 4096, sizeof *top);
    if (!slots || !bits || !top) {
        free(slots);
        free(bits);
        free(top);
        return ST_ERR_NOMEM;
    }
    free(x->slots);
    free(x->bits);
    free(x->top);
    x->slots = slots;
    x->bits = bits;
    x->top = top;
    x->ids_cap = cap;
    return ST_OK;
}

/* Clears the bitmap of the known features (after a failure). */
static void fast_forget(st_extractor *x)
{
    if (x->nknown != 0) {
        memset(x->bits, 0, x->ids_cap / 64 * sizeof *x->bits);
        memset(x->top, 0, x->ids_cap / 4096 * sizeof *x->top);
    }
    x->nknown = 0;
}

st_status st_extractor_run_vector(st_extractor *x, const st_vocab *v, const st_example *ex,
                                  const st_vector **out)
{
    *out = NULL;
    if (v == NULL)
        return ST_ERR_USAGE;
    st_status status = fast_reserve(x, v);
    if (status != ST_OK)
        return status;
    x->fast = v;
    x->nknown = 0;
    run_words_reset(x);
    wc_vocab_stamp(x, v);
    status = extract(x, ex);
    x->fast = NULL;
    x->ngram_fast = 0;
    st_vector *vec = &x->vec;
    if (status == ST_OK)
        status = grow_to((void **)&vec->nodes, &vec->capacity, x->nknown + 1, sizeof *vec->nodes);
    if (status != ST_OK) {
        fast_forget(x);
        return status;
    }
    /* The ids in increasing order, as st_vectorize's sort would leave
     * them, emptying the bitmap on the way; then what vector_finish does
     * to distinct indices (drop values <= 0, L2), in one pass with the
     * same operations in the same order. */
    size_t count = 0;
    double norm = 0;
    size_t ntop = x->ids_cap / 4096;
    for (size_t t = 0; t < ntop; t++) {
        uint64_t tw = x->top[t];
        x->top[t] = 0;
        while (tw != 0) {
            size_t wi = t * 64 + (size_t)__builtin_ctzll(tw);
            tw &= tw - 1;
            uint64_t w = x->bits[wi];
            x->bits[wi] = 0;
            while (w != 0) {
                int id = (int)(wi * 64 + (size_t)__builtin_ctzll(w));
                w &= w - 1;
                const fast_slot *kf = &x->slots[id];
                double value = kf->value;
                /* Not above 0, NaN or infinite: dropped (feature_value's
                 * test, in two comparisons). */
                if (!(value > 0 && value <= DBL_MAX))
                    continue;
                /* (Taken when the feature was added: the memos keep it
                 * with the id; n-gram names, q:, c:, qn:, have 1.) */
                double scale = kf->scale;
                /* feature_value, its test done. */
                double f = value == 1.0 ? scale : (1.0 + log(value)) * scale;
                if (!(f > 0))
                    continue;
                vec->nodes[count].index = id;
                vec->nodes[count].value = f;
                norm += vec->nodes[count].value * vec->nodes[count].value;
                count++;
            }
        }
    }
    if (norm > 0) {
        norm = sqrt(norm);
        for (size_t i = 0; i < count; i++)
            vec->nodes[i].value /= norm;
    }
    vec->nodes[count].index = -1;
    vec->nodes[count].value = 0;
    x->nknown = 0;
    vec->unseen = x->count + x->nseen;
    vec->count = count;
    *out = vec;
    return ST_OK;
}

/* ------------------------------------------------------------------ */
/* Vocabulary                                                          */

st_status st_vocab_new(st_vocab **out)
{
    /* Serials tell vocabularies apart where an address may be reused. */
    static atomic_uint_fast64_t serials;
    *out = calloc(1, sizeof **out);
    if (*out == NULL)
        return ST_ERR_NOMEM;
    (*out)->serial = (uint64_t)atomic_fetch_add(&serials, 1) + 1;
    return ST_OK;
}

void st_vocab_free(st_vocab *v)
{
    if (v == NULL)
        return;
    st_buf_free(&v->names);
    free(v->offsets);
    free(v->lengths);
    free(v->counts);
    free(v->table);
    free(v->words);
    free(v->ngrams);
    free(v);
}

size_t st_vocab_size(const st_vocab *v)
{
    return v ? v->size : 0;
}

const char *st_vocab_name(const st_vocab *v, int id)
{
    if (v == NULL || id < 1 || (size_t)id > v->size)
        return NULL;
    return v->names.data + v->offsets[id - 1];
}

size_t st_vocab_count(const st_vocab *v, int id)
{
    if (v == NULL || id < 1 || (size_t)id > v->size)
        return 0;
    return v->counts[id - 1];
}

static size_t vocab_slot(const st_vocab *v, const char *name, size_t len, uint64_t hash, int *found)
{
    size_t mask = v->table_cap - 1;
    size_t slot = (size_t)hash & mask;
    uint32_t tag = (uint32_t)(hash >> 32);
    while (v->table[slot].id != 0) {
        size_t id = v->table[slot].id;
        if (v->table[slot].tag == tag && v->lengths[id - 1] == len &&
            memcmp(v->names.data + v->offsets[id - 1], name, len) == 0) {
            *found = 1;
            return slot;
        }
        slot = (slot + 1) & mask;
    }
    *found = 0;
    return slot;
}

/* st_vocab_find with the name's hash already known. */
static int vocab_find_hashed(const st_vocab *v, const char *name, size_t len, uint64_t hash)
{
    if (v == NULL || v->table_cap == 0)
        return 0;
    int found;
    size_t slot = vocab_slot(v, name, len, hash, &found);
    return found ? (int)v->table[slot].id : 0;
}

int st_vocab_find(const st_vocab *v, const char *name, size_t len)
{
    return vocab_find_hashed(v, name, len, hash_bytes(name, len));
}

/*
 * A zeroed table for the vocabulary's hashing, its pages touched by
 * writing: calloc hands big blocks over as fresh mappings, where the
 * first probe (a read) faults the shared zero page in and the first
 * insert on the same page faults again to replace it; written first, each
 * page faults once.  (A memset after malloc would do, but compilers turn
 * the pair back into calloc.)
 */
static void *vocab_table_new(size_t n, size_t size)
{
    char *t = calloc(n, size);
    if (t)
        for (size_t i = 0; i < n * size; i += 4096)
            ((volatile char *)t)[i] = 0;
    return t;
}

static st_status vocab_rehash(st_vocab *v, size_t cap)
{
    vocab_slot_t *table = vocab_table_new(cap, sizeof *table);
    if (table == NULL)
        return ST_ERR_NOMEM;
    for (size_t id = 1; id <= v->size; id++) {
        uint64_t hash = hash_bytes(v->names.data + v->offsets[id - 1], v->lengths[id - 1]);
        size_t slot = (size_t)hash & (cap - 1);
        while (table[slot].id != 0)
            slot = (slot + 1) & (cap - 1);
        table[slot].id = (uint32_t)id;
        table[slot].tag = (uint32_t)(hash >> 32);
    }
    free(v->table);
    v->table = table;
    v->table_cap = cap;
    return ST_OK;
}

/* Room for `cap` names in the per-name arrays at once (st_vocab_add
 * doubles them from 1,024, copying and touching fresh pages each time). */
static st_status vocab_reserve(st_vocab *v, size_t cap)
{
    if (cap <= v->capacity)
        return ST_OK;
    if (!resize_array((void **)&v->offsets, cap, sizeof *v->offsets) ||
        !resize_array((void **)&v->lengths, cap, sizeof *v->lengths) ||
        !resize_array((void **)&v->counts, cap, sizeof *v->counts))
        return ST_ERR_NOMEM;
    v->capacity = cap;
    return ST_OK;
}

static int vocab_words_grow(st_vocab *v)
{
    size_t cap = v->words_cap ? v->words_cap * 2 : 1024;
    vocab_word *t = vocab_table_new(cap, sizeof *t);
    if (!t)
        return 0;
    for (size_t i = 0; i < v->words_cap; i++) {
        if (v->words[i].len == 0)
            continue;
        size_t j = (size_t)v->words[i].hash & (cap - 1);
        while (t[j].len != 0)
            j = (j + 1) & (cap - 1);
        t[j] = v->words[i];
    }
    free(v->words);
    v->words = t;
    v->words_cap = cap;
    return 1;
}

static int vocab_ngrams_grow(st_vocab *v)
{
    size_t cap = v->ngrams_cap ? v->ngrams_cap * 2 : 1024;
    ngram_slot *t = vocab_table_new(cap, sizeof *t);
    if (!t)
        return 0;
    for (size_t i = 0; i < v->ngrams_cap; i++) {
        if (v->ngrams[i].id == 0)
            continue;
        size_t j = ngram_slot_of(&v->ngrams[i].key, cap - 1);
        while (t[j].id != 0)
            j = (j + 1) & (cap - 1);
        t[j] = v->ngrams[i];
    }
    free(v->ngrams);
    v->ngrams = t;
    v->ngrams_cap = cap;
    return 1;
}

/* The word id of names[off..off+len) (hash: its hash_bytes), added when
 * new; 0 out of memory. */
static uint32_t vocab_word_intern(st_vocab *v, size_t off, size_t len, uint64_t hash)
{
    if ((v->nwords + 1) * 2 > v->words_cap && !vocab_words_grow(v))
        return 0;
    if (v->nwords >= UINT32_MAX / 2)
        return 0;
    const char *s = v->names.data + off;
    size_t mask = v->words_cap - 1;
    size_t i = (size_t)hash & mask;
    for (; v->words[i].len != 0; i = (i + 1) & mask) {
        const vocab_word *w = &v->words[i];
        if (w->hash == hash && w->len == len && bytes_equal(v->names.data + w->off, s, len))
            return w->wid;
    }
    v->words[i].hash = hash;
    v->words[i].off = off;
    v->words[i].len = len;
    v->words[i].wid = (uint32_t)++v->nwords;
    return v->words[i].wid;
}

/* Files name `id` under its n-gram key, when it has one (see ngram_key). */
static void vocab_index_ngram(st_vocab *v, uint32_t id)
{
    size_t off = v->offsets[id - 1], len = v->lengths[id - 1];
    const char *name = v->names.data + off;
    ngram_key key = {{0, 0, 0}, 0};
    size_t skip;
    if (len >= 3 && memcmp(name, "qn:", 3) == 0)
        key.prefix = NG_QN, skip = 3;
    else if (len >= 2 && memcmp(name, "q:", 2) == 0)
        key.prefix = NG_Q, skip = 2;
    else if (len >= 2 && memcmp(name, "c:", 2) == 0)
        key.prefix = NG_C, skip = 2;
    else
        return;
    /* The words: 1 to 3 (1 for qn:), none empty, none holding a colon,
     * each filed in the dictionary as it ends (i == len ends the last);
     * the scan hashes them as it goes (poly: hash_bytes before its mix). */
    size_t nwords = 0, start = skip;
    uint64_t poly = 0;
    for (size_t i = skip;; i++) {
        if (i < len) {
            char c = name[i];
            if (c == ':')
                return;
            if (c != ' ') {
                poly = poly * POLY_B + (unsigned char)c;
                continue;
            }
        }
        if (i == start || nwords == 3)
            return;
        uint32_t wid = vocab_word_intern(v, off + start, i - start, name_mix(poly, i - start));
        poly = 0;
        if (wid == 0) {
            v->ngram_broken = 1;
            return;
        }
        key.w[nwords++] = wid;
        if (i == len)
            break;
        start = i + 1;
    }
    if (key.prefix == NG_QN && nwords != 1)
        return;
    if ((v->nngrams + 1) * 2 > v->ngrams_cap && !vocab_ngrams_grow(v)) {
        v->ngram_broken = 1;
        return;
    }
    size_t mask = v->ngrams_cap - 1;
    size_t i = ngram_slot_of(&key, mask);
    while (v->ngrams[i].id != 0) {
        if (ngram_key_equal(&v->ngrams[i].key, &key))
            return; /* cannot be: the key determines the name */
        i = (i + 1) & mask;
    }
    v->ngrams[i].key = key;
    v->ngrams[i].id = id;
    v->nngrams++;
}

/*
 * Starts keeping the n-gram index, for the vocabularies a model predicts
 * with (st_vocab_parse, st_vocab_prune), not for the big one training
 * counts every feature in.  The fast path uses it when present.
 */
static void vocab_index_ngrams(st_vocab *v)
{
    if (v->ngram_indexed)
        return;
    v->ngram_indexed = 1;
    /* Tables sized once for the names that can have a key (an upper
     * bound on the n-grams), not grown and rehashed from 1024 slots up
     * while filing them: every table on the way was fresh pages. */
    size_t candidates = 0;
    for (size_t id = 1; id <= v->size; id++) {
        const char *name = v->names.data + v->offsets[id - 1];
        size_t len = v->lengths[id - 1];
        candidates += (len >= 2 && (name[0] == 'q' || name[0] == 'c') && name[1] == ':') ||
                      (len >= 3 && memcmp(name, "qn:", 3) == 0);
    }
    size_t cap = 1024;
    while (cap / 2 < candidates + 1 && cap < ((size_t)1 << 40))
        cap *= 2;
    if (cap > v->ngrams_cap && v->nngrams == 0) {
        ngram_slot *t = vocab_table_new(cap, sizeof *t);
        if (t) {
            free(v->ngrams);
            v->ngrams = t;
            v->ngrams_cap = cap;
        }
    }
    /* Words: far fewer than n-grams (5,800 for 26,000 in the default
     * model); a quarter is a guess, the table still grows past it. */
    cap = 1024;
    while (cap / 2 < candidates / 4 + 1 && cap < ((size_t)1 << 40))
        cap *= 2;
    if (cap > v->words_cap && v->nwords == 0) {
        vocab_word *t = vocab_table_new(cap, sizeof *t);
        if (t) {
            free(v->words);
            v->words = t;
            v->words_cap = cap;
        }
    }
    for (size_t id = 1; id <= v->size; id++)
        vocab_index_ngram(v, (uint32_t)id);
}

st_status st_vocab_add(st_vocab *v, const char *name, size_t len, int *id)
{
    st_status status;
    if (v->size >= (size_t)INT32_MAX - 1)
        return ST_ERR_NOMEM;
    if (v->table_cap == 0 || (v->size + 1) * 2 > v->table_cap) {
        if ((status = vocab_rehash(v, v->table_cap ? v->table_cap * 2 : 1024)) != ST_OK)
            return status;
    }
    int found;
    uint64_t hash = hash_bytes(name, len);
    size_t slot = vocab_slot(v, name, len, hash, &found);
    if (found) {
        size_t k = v->table[slot].id;
        v->counts[k - 1]++;
        if (id)
            *id = (int)k;
        return ST_OK;
    }
    if (v->size + 1 > v->capacity && (status = vocab_reserve(v, v->capacity ? v->capacity * 2 : 1024)) != ST_OK)
        return status;
    size_t off = v->names.len;
    if ((status = st_buf_append(&v->names, name, len)) != ST_OK ||
        (status = st_buf_push(&v->names, '\0')) != ST_OK) {
        v->names.len = off;
        return status;
    }
    v->offsets[v->size] = off;
    v->lengths[v->size] = len;
    v->counts[v->size] = 1;
    v->size++;
    v->table[slot].id = (uint32_t)v->size;
    v->table[slot].tag = (uint32_t)(hash >> 32);
    if (v->ngram_indexed)
        vocab_index_ngram(v, (uint32_t)v->size);
    if (id)
        *id = (int)v->size;
    return ST_OK;
}

typedef struct name_ref {
    const char *name;
    size_t len;
    size_t count;
} name_ref;

int st_vocab_name_order(const char *a, size_t alen, const char *b, size_t blen)
{
    int c = memcmp(a, b, alen < blen ? alen : blen);
    if (c != 0)
        return c;
    return alen < blen ? -1 : alen > blen;
}

static int name_ref_cmp(const void *a, const void *b)
{
    const name_ref *x = a, *y = b;
    return st_vocab_name_order(x->name, x->len, y->name, y->len);
}

st_status st_vocab_prune(const st_vocab *v, size_t min_count, st_vocab **out)
{
    *out = NULL;
    size_t n = 0;
    name_ref *refs = malloc((v->size ? v->size : 1) * sizeof *refs);
    if (refs == NULL)
        return ST_ERR_NOMEM;
    for (size_t id = 1; id <= v->size; id++) {
        if (v->counts[id - 1] < min_count)
            continue;
        refs[n].name = v->names.data + v->offsets[id - 1];
        refs[n].len = v->lengths[id - 1];
        refs[n].count = v->counts[id - 1];
        n++;
    }
    qsort(refs, n, sizeof *refs, name_ref_cmp);
    st_vocab *result = NULL;
    st_status status = st_vocab_new(&result);
    for (size_t i = 0; i < n && status == ST_OK; i++) {
        int id;
        status = st_vocab_add(result, refs[i].name, refs[i].len, &id);
        if (status == ST_OK)
            result->counts[id - 1] = refs[i].count;
    }
    free(refs);
    if (status != ST_OK) {
        st_vocab_free(result);
        return status;
    }
    vocab_index_ngrams(result);
    *out = result;
    return ST_OK;
}

#define VOCAB_HEADER "id\tfeature\tcount"

st_status st_vocab_format(const st_vocab *v, char **text, size_t *size)
{
    st_buf buf = {0};
    st_status status = st_buf_append(&buf, VOCAB_HEADER "\n", sizeof VOCAB_HEADER);
    char num[48];
    for (size_t id = 1; id <= v->size && status == ST_OK; id++) {
        int n = snprintf(num, sizeof num, "%zu\t", id);
        status = st_buf_append(&buf, num, (size_t)n);
        if (status == ST_OK)
            status = st_buf_append(&buf, v->names.data + v->offsets[id - 1], v->lengths[id - 1]);
        if (status == ST_OK) {
            n = snprintf(num, sizeof num, "\t%zu\n", v->counts[id - 1]);
            status = st_buf_append(&buf, num, (size_t)n);
        }
    }
    if (status == ST_OK)
        status = st_buf_reserve(&buf, 0);
    if (status != ST_OK) {
        st_buf_free(&buf);
        return status;
    }
    buf.data[buf.len] = '\0';
    *text = buf.data;
    *size = buf.len;
    return ST_OK;
}

st_status st_vocab_write(const st_vocab *v, FILE *fp)
{
    char *text = NULL;
    size_t size = 0;
    st_status status = st_vocab_format(v, &text, &size);
    if (status != ST_OK)
        return status;
    if (fwrite(text, 1, size, fp) != size)
        status = ST_ERR_IO;
    free(text);
    return status;
}

static st_status vocab_fail(st_diag *diag, size_t line, const char *message)
{
    if (diag != NULL) {
        diag->line = line;
        diag->column = 0;
        snprintf(diag->message, sizeof diag->message, "%s", message);
    }
    return ST_ERR_MODEL;
}

/* Parses a decimal size_t from s[0..n) (digits only). */
static int parse_size(const char *s, size_t n, size_t *out)
{
    if (n == 0 || n > 19)
        return 0;
    size_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (size_t)(s[i] - '0');
    }
    *out = v;
    return 1;
}

st_status st_vocab_parse_unindexed(const char *text, size_t size, st_vocab **out, st_diag *diag)
{
    *out = NULL;
    st_vocab *v = NULL;
    st_status status = st_vocab_new(&v);
    if (status != ST_OK)
        return status;
    /* Room for every line at once: no rehashing while reading. */
    size_t lines = 0;
    for (const char *p = text; (p = memchr(p, '\n', size - (size_t)(p - text))) != NULL; p++)
        lines++;
    size_t cap = 1024;
    while (cap / 2 < lines + 1 && cap < ((size_t)1 << 40))
        cap *= 2;
    if (cap > 1024 && (status = vocab_rehash(v, cap)) != ST_OK) {
        st_vocab_free(v);
        return status;
    }
    /* The names take less than the text (ids, tabs and counts go, a NUL
     * comes per line): one allocation, not a doubling copied each time. */
    if ((status = st_buf_reserve(&v->names, size)) != ST_OK ||
        (lines > 0 && (status = vocab_reserve(v, lines)) != ST_OK)) {
        st_vocab_free(v);
        return status;
    }
    size_t pos = 0, lineno = 0;
    while (pos < size) {
        lineno++;
        const char *line = text + pos;
        const char *nl = memchr(line, '\n', size - pos);
        size_t len = nl ? (size_t)(nl - line) : size - pos;
        pos += len + (nl != NULL);
        if (len > 0 && line[len - 1] == '\r')
            len--;
        if (memchr(line, '\0', len) != NULL) {
            status = vocab_fail(diag, lineno, "NUL byte in line");
            break;
        }
        if (lineno == 1) {
            if (len != sizeof VOCAB_HEADER - 1 || memcmp(line, VOCAB_HEADER, len) != 0) {
                status = vocab_fail(diag, lineno, "expected the header \"id<TAB>feature<TAB>count\"");
                break;
            }
            continue;
        }
        const char *tab1 = memchr(line, '\t', len);
        const char *tab2 = tab1 ? memchr(tab1 + 1, '\t', len - (size_t)(tab1 + 1 - line)) : NULL;
        if (tab1 == NULL || tab2 == NULL ||
            memchr(tab2 + 1, '\t', len - (size_t)(tab2 + 1 - line)) != NULL) {
            status = vocab_fail(diag, lineno, "expected three tab-separated fields");
            break;
        }
        size_t id, count;
        if (!parse_size(line, (size_t)(tab1 - line), &id) || id != v->size + 1) {
            status = vocab_fail(diag, lineno, "feature ids must run 1, 2, 3, ...");
            break;
        }
        const char *name = tab1 + 1;
        size_t name_len = (size_t)(tab2 - name);
        if (name_len == 0) {
            status = vocab_fail(diag, lineno, "empty feature name");
            break;
        }
        if (!parse_size(tab2 + 1, (size_t)(line + len - tab2 - 1), &count)) {
            status = vocab_fail(diag, lineno, "count is not a number");
            break;
        }
        int got;
        size_t before = v->size;
        if ((status = st_vocab_add(v, name, name_len, &got)) != ST_OK)
            break;
        if (v->size == before) {
            status = vocab_fail(diag, lineno, "feature listed twice");
            break;
        }
        v->counts[got - 1] = count;
    }
    if (status == ST_OK && lineno == 0)
        status = vocab_fail(diag, 1, "empty vocabulary file (no header)");
    if (status != ST_OK) {
        st_vocab_free(v);
        return status;
    }
    *out = v;
    return ST_OK;
}

void st_vocab_index_ngrams(st_vocab *v)
{
    vocab_index_ngrams(v);
}

st_status st_vocab_parse(const char *text, size_t size, st_vocab **out, st_diag *diag)
{
    st_status status = st_vocab_parse_unindexed(text, size, out, diag);
    if (status == ST_OK)
        vocab_index_ngrams(*out);
    return status;
}

/* ------------------------------------------------------------------ */
/* Vectors                                                             */

void st_vector_clear(st_vector *v)
{
    if (v == NULL)
        return;
    free(v->nodes);
    v->nodes = NULL;
    v->count = 0;
    v->capacity = 0;
    v->unseen = 0;
}

static int node_cmp(const void *a, const void *b)
{
    const struct svm_node *x = a, *y = b;
    return (x->index > y->index) - (x->index < y->index);
}

double st_feature_value(double raw, double scale)
{
    return feature_value(raw, scale);
}

size_t st_vector_normalize(struct svm_node *nodes, size_t count)
{
    if (count <= 256) {
        /* A quote has a few dozen features: Shell sort (Ciura's gaps)
         * beats qsort's calls through a pointer. */
        static const size_t gaps[] = {132, 57, 23, 10, 4, 1};
        for (size_t g = 0; g < sizeof gaps / sizeof gaps[0]; g++) {
            size_t gap = gaps[g];
            for (size_t i = gap; i < count; i++) {
                struct svm_node t = nodes[i];
                size_t j = i;
                while (j >= gap && nodes[j - gap].index > t.index) {
                    nodes[j] = nodes[j - gap];
                    j -= gap;
                }
                nodes[j] = t;
            }
        }
    } else {
        qsort(nodes, count, sizeof *nodes, node_cmp);
    }
    return vector_finish(nodes, count);
}

/* st_vector_normalize after the sort. */
static size_t vector_finish(struct svm_node *nodes, size_t count)
{
    /* Merge equal indices (cannot happen with distinct names; cheap to be sure). */
    size_t k = 0;
    for (size_t i = 0; i < count; i++) {
        if (k > 0 && nodes[k - 1].index == nodes[i].index)
            nodes[k - 1].value += nodes[i].value;
        else
            nodes[k++] = nodes[i];
    }
    count = k;
    /* Drop non-positive values (1 + ln v <= 0 for v <= 1/e), then L2. */
    k = 0;
    for (size_t i = 0; i < count; i++)
        if (nodes[i].value > 0)
            nodes[k++] = nodes[i];
    count = k;
    double norm = 0;
    for (size_t i = 0; i < count; i++)
        norm += nodes[i].value * nodes[i].value;
    if (norm > 0) {
        norm = sqrt(norm);
        for (size_t i = 0; i < count; i++)
            nodes[i].value /= norm;
    }
    nodes[count].index = -1;
    nodes[count].value = 0;
    return count;
}

st_status st_vectorize(const st_extractor *x, const st_vocab *v, st_vector *out)
{
    size_t n = st_extractor_count(x);
    st_status status = grow_to((void **)&out->nodes, &out->capacity, n + 1, sizeof *out->nodes);
    if (status != ST_OK)
        return status;
    out->count = 0;
    out->unseen = 0;
    for (size_t i = 0; i < n; i++) {
        const feature *f = &x->features[i];
        int id = vocab_find_hashed(v, x->names.data + f->name_off, f->name_len, f->hash);
        if (id == 0) {
            out->unseen++;
            continue;
        }
        if (!(f->value > 0) || !isfinite(f->value))
            continue;
        out->nodes[out->count].index = id;
        out->nodes[out->count].value = st_feature_value(f->value, f->scale);
        out->count++;
    }
    out->count = st_vector_normalize(out->nodes, out->count);
    return ST_OK;
}
