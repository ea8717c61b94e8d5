/*
 * st_util.h - small internals shared by the library modules (not part of
 * the public API; never installed).
 *
 *  - st_buf: a growable byte buffer.  The buffer owns `data`; release it
 *    with st_buf_free, or take it over with st_buf_detach.
 *  - st_grow: grows any (items, capacity) array so that one more item fits.
 *  - UTF-8 decoding (strict, "maximal subpart" practice) and code point
 *    classes used to recognise punctuation by code point, never by byte.
 *  - st_span_trim: trims Unicode white space off a span of valid UTF-8.
 */
#ifndef ST_UTIL_H
#define ST_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "stance.h"

/* Clears diag and sets a self-contained message (file, line and column
 * none: the message names what failed); returns status, so that callers
 * can `return st_diag_fail(diag, ST_ERR_INPUT, "...", ...)`.  diag may be
 * NULL. */
st_status st_diag_fail(st_diag *diag, st_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ------------------------------------------------------------------ */
/* Growable storage                                                    */

typedef struct st_buf {
    char *data;  /* owned; NULL until the first append */
    size_t len;
    size_t cap;
} st_buf;

/* Makes room for `extra` more bytes plus a terminating NUL.  Inline when
 * there is room already (every append asks), st_buf_grow otherwise. */
st_status st_buf_grow(st_buf *buf, size_t extra);
static inline st_status st_buf_reserve(st_buf *buf, size_t extra)
{
    if (buf->cap > buf->len && extra < buf->cap - buf->len)
        return ST_OK;
    return st_buf_grow(buf, extra);
}
st_status st_buf_append(st_buf *buf, const void *bytes, size_t n);
st_status st_buf_push(st_buf *buf, char byte);
/* Frees the data and zeroes the buffer. */
void st_buf_free(st_buf *buf);

/*
 * Record writing without stdio or jansson per field (issue 6): these
 * append to a buffer the exact bytes the old writers produced, so a
 * record is built once and written with one fwrite.
 *
 * st_buf_json_string: a JSON string literal, byte for byte what jansson's
 *   json_dumps writes for json_stringn(s, n) (\" \\ \b \f \n \r \t,
 *   other controls as \u00XX upper-case, everything else raw).
 *   ST_ERR_INPUT (nothing appended) when s is not valid UTF-8, where
 *   jansson refused to make the string.
 * st_buf_uint: the decimal digits of v ("%zu" / "%lld" for v >= 0).
 * st_buf_fixed: what printf's "%.<decimals>f" writes for x (decimals
 *   0..9), exactly: correctly rounded, ties to even, "-0.0000" for
 *   negative values that round to zero; snprintf itself for what the fast
 *   path does not cover (huge values, inf, nan).
 */
st_status st_buf_json_string(st_buf *buf, const char *s, size_t n);
/*
 * Bytes s[0..n) that need no look in a JSON string: the length of the
 * longest prefix without a control byte, '"', '\\' or a byte >= 0x80.
 * Eight bytes at a time (what JSON writing and reading spend their time
 * on is long runs of plain text).
 */
size_t st_json_plain_prefix(const char *s, size_t n);
st_status st_buf_uint(st_buf *buf, uint64_t v);
st_status st_buf_fixed(st_buf *buf, double x, int decimals);

/*
 * Ensures (*items) has room for count + 1 elements of item_size bytes,
 * doubling the capacity.  On failure *items and *capacity are unchanged
 * and ST_ERR_NOMEM is returned.
 */
st_status st_grow(void **items, size_t *capacity, size_t count, size_t item_size);

/* ------------------------------------------------------------------ */
/* UTF-8                                                               */

/*
 * Decodes one UTF-8 sequence from s[0..n).  Returns the number of bytes
 * consumed (0 only when n == 0).  On success *cp is the code point; on an
 * invalid sequence *cp is -1 and the return value is the length of the
 * maximal invalid subpart (at least 1), so that each one becomes a single
 * U+FFFD.  Overlongs, surrogates, values above U+10FFFF and truncated
 * sequences are invalid.
 */
size_t st_utf8_decode_any(const char *s, size_t n, int32_t *cp);
/* Most text is ASCII: that case inline, the rest out of line. */
static inline size_t st_utf8_decode(const char *s, size_t n, int32_t *cp)
{
    if (n && (unsigned char)s[0] < 0x80) {
        *cp = (unsigned char)s[0];
        return 1;
    }
    return st_utf8_decode_any(s, n, cp);
}

/*
 * The length of the longest prefix of s[0..n) that is valid UTF-8 and
 * holds no NUL byte (n when all of it is): where a check of text stops.
 * ASCII eight bytes at a time, since nearly all input is plain ASCII.
 */
size_t st_utf8_clean_prefix(const char *s, size_t n);

/* Start of the code point that ends at `pos` (pos > floor), never below
 * floor.  An ASCII byte inline, the rest out of line. */
size_t st_utf8_prev_any(const char *text, size_t floor, size_t pos);
static inline size_t st_utf8_prev(const char *text, size_t floor, size_t pos)
{
    if (pos > floor && (unsigned char)text[pos - 1] < 0x80)
        return pos - 1;
    return st_utf8_prev_any(text, floor, pos);
}

/* Encodes cp (assumed valid) into out[0..4); returns the length. */
size_t st_utf8_encode(int32_t cp, char *out);

/* ------------------------------------------------------------------ */
/* Eight bytes at a time                                               */

/*
 * Scanning loops skip long runs of plain text a word (8 bytes) at a time
 * with these tests, then look at the word that holds something byte by
 * byte.  Each is exact as a yes/no for the whole word (the usual "has a
 * zero byte" trick): non-zero iff some byte of x is c (st_swar_has), is
 * below n, n <= 0x80 (st_swar_below), or is 0x80 or above (st_swar_high).
 */
#define ST_SWAR_ONES 0x0101010101010101ULL
#define ST_SWAR_HIGHS 0x8080808080808080ULL
static inline uint64_t st_swar_load(const char *p)
{
    uint64_t x;
    memcpy(&x, p, sizeof x);
    return x;
}
static inline uint64_t st_swar_has(uint64_t x, unsigned char c)
{
    uint64_t y = x ^ (ST_SWAR_ONES * c);
    return (y - ST_SWAR_ONES) & ~y & ST_SWAR_HIGHS;
}
static inline uint64_t st_swar_below(uint64_t x, unsigned char n)
{
    return (x - ST_SWAR_ONES * n) & ~x & ST_SWAR_HIGHS;
}
static inline uint64_t st_swar_high(uint64_t x)
{
    return x & ST_SWAR_HIGHS;
}

/*
 * The scanners' runs of plain text, sixteen bytes at a time where SSE2 is
 * (every x86-64), eight otherwise:
 * st_find_marks: offset of the first byte of s[0..n) that is a, b or c
 *   (repeat one to look for fewer) or >= 0x80; n when there is none.
 * st_find_control: offset of the first byte below 0x20 or >= 0x80; n
 *   when there is none.
 */
static inline size_t st_find_marks(const char *s, size_t n, char a, char b, char c)
{
    size_t i = 0;
#ifdef __SSE2__
    const __m128i va = _mm_set1_epi8(a), vb = _mm_set1_epi8(b), vc = _mm_set1_epi8(c);
    for (; i + 16 <= n; i += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, va), _mm_cmpeq_epi8(x, vb)), _mm_cmpeq_epi8(x, vc));
        unsigned bits = (unsigned)(_mm_movemask_epi8(m) | _mm_movemask_epi8(x));
        if (bits)
            return i + (size_t)__builtin_ctz(bits);
    }
#else
    for (; i + 8 <= n; i += 8) {
        uint64_t x = st_swar_load(s + i);
        if (st_swar_has(x, (unsigned char)a) | st_swar_has(x, (unsigned char)b) | st_swar_has(x, (unsigned char)c) |
            st_swar_high(x))
            break;
    }
#endif
    for (; i < n; i++) {
        unsigned char u = (unsigned char)s[i];
        if (u == (unsigned char)a || u == (unsigned char)b || u == (unsigned char)c || u >= 0x80)
            return i;
    }
    return n;
}

static inline size_t st_find_control(const char *s, size_t n)
{
    size_t i = 0;
#ifdef __SSE2__
    /* As signed bytes, those below 0x20 and those >= 0x80 are below 0x20. */
    const __m128i space = _mm_set1_epi8(0x20);
    for (; i + 16 <= n; i += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        unsigned bits = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(x, space));
        if (bits)
            return i + (size_t)__builtin_ctz(bits);
    }
#else
    for (; i + 8 <= n; i += 8) {
        uint64_t x = st_swar_load(s + i);
        if (st_swar_below(x, 0x20) | st_swar_high(x))
            break;
    }
#endif
    for (; i < n; i++) {
        unsigned char u = (unsigned char)s[i];
        if (u < 0x20 || u >= 0x80)
            return i;
    }
    return n;
}

/* ------------------------------------------------------------------ */
/* Code point classes (Unicode general categories via utf8proc)        */

int st_cp_is_space_any(int32_t cp);    /* white space, including NBSP */
int st_cp_is_letter_any(int32_t cp);   /* L* */
int st_cp_is_upper_any(int32_t cp);    /* Lu, Lt */
int st_cp_is_lower_any(int32_t cp);    /* Ll */
int st_cp_is_digit_any(int32_t cp);    /* Nd */
/* The same, with the ASCII answers inline: they are asked per character. */
static inline int st_cp_is_space(int32_t cp)
{
    return cp < 0x80 ? cp == ' ' || (cp >= 0x09 && cp <= 0x0D) : st_cp_is_space_any(cp);
}
static inline int st_cp_is_letter(int32_t cp)
{
    return cp < 0x80 ? (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z' : st_cp_is_letter_any(cp);
}
static inline int st_cp_is_upper(int32_t cp)
{
    return cp < 0x80 ? cp >= 'A' && cp <= 'Z' : st_cp_is_upper_any(cp);
}
static inline int st_cp_is_lower(int32_t cp)
{
    return cp < 0x80 ? cp >= 'a' && cp <= 'z' : st_cp_is_lower_any(cp);
}
static inline int st_cp_is_digit(int32_t cp)
{
    return cp < 0x80 ? cp >= '0' && cp <= '9' : st_cp_is_digit_any(cp);
}
int st_cp_is_punct(int32_t cp);        /* P* */
int st_cp_is_open_bracket(int32_t cp); /* Ps */
int st_cp_is_dash(int32_t cp);         /* Pd */

/* The span [start, end) of text without leading and trailing white space. */
st_span st_span_trim(const char *text, size_t start, size_t end);

#endif /* ST_UTIL_H */
