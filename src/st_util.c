/*
 * st_util.c - status strings, diagnostics, growable storage, UTF-8
 * decoding and code point classes shared by the library modules.
 */
#include "st_util.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

const char *st_strerror(st_status status)
{
    switch (status) {
    case ST_OK: return "success";
    case ST_ERR_NOMEM: return "out of memory";
    case ST_ERR_IO: return "input/output error";
    case ST_ERR_INPUT: return "malformed input";
    case ST_ERR_MODEL: return "bad model";
    case ST_ERR_USAGE: return "invalid arguments";
    }
    return "unknown error";
}

void st_diag_clear(st_diag *diag)
{
    if (diag == NULL)
        return;
    diag->file = NULL;
    diag->line = 0;
    diag->column = 0;
    diag->offset = (size_t)-1;
    diag->message[0] = '\0';
}

st_status st_diag_fail(st_diag *diag, st_status status, const char *fmt, ...)
{
    if (diag) {
        st_diag_clear(diag);
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(diag->message, sizeof diag->message, fmt, ap);
        va_end(ap);
    }
    return status;
}

/* ------------------------------------------------------------------ */

st_status st_buf_grow(st_buf *buf, size_t extra)
{
    /* +1 keeps room for a terminating NUL so callers can hand the data
     * out as a C string without another reallocation. */
    if (extra > SIZE_MAX - buf->len - 1)
        return ST_ERR_NOMEM;
    size_t need = buf->len + extra + 1;
    if (need <= buf->cap)
        return ST_OK;
    size_t cap = buf->cap ? buf->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *data = realloc(buf->data, cap);
    if (data == NULL)
        return ST_ERR_NOMEM;
    buf->data = data;
    buf->cap = cap;
    return ST_OK;
}

st_status st_buf_append(st_buf *buf, const void *bytes, size_t n)
{
    if (n == 0)
        return ST_OK;
    st_status status = st_buf_reserve(buf, n);
    if (status != ST_OK)
        return status;
    memcpy(buf->data + buf->len, bytes, n);
    buf->len += n;
    return ST_OK;
}

st_status st_buf_push(st_buf *buf, char byte)
{
    if (buf->len + 1 >= buf->cap) {
        st_status status = st_buf_reserve(buf, 1);
        if (status != ST_OK)
            return status;
    }
    buf->data[buf->len++] = byte;
    return ST_OK;
}

void st_buf_free(st_buf *buf)
{
    free(buf->data);
    buf->data = NULL;
    buf->len = 0;
    buf->cap = 0;
}

/* ------------------------------------------------------------------ */
/* Record formatting (st_util.h)                                        */

/* 1: the byte ends a run of bytes JSON writes as they are (controls,
 * quote, backslash) or starts a multi-byte sequence to check. */
static const unsigned char json_stop[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* '"' */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, /* '\\' */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

size_t st_json_plain_prefix(const char *s, size_t n)
{
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    size_t i = 0;
#ifdef __SSE2__
    /* Sixteen at a time: as signed bytes, controls and bytes >= 0x80 are
     * both below 0x20. */
    const __m128i space = _mm_set1_epi8(0x20), quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
    while (i + 16 <= n) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i stop = _mm_or_si128(_mm_cmplt_epi8(x, space),
                                    _mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, backslash)));
        unsigned mask = (unsigned)_mm_movemask_epi8(stop);
        if (mask)
            return i + (size_t)__builtin_ctz(mask);
        i += 16;
    }
#endif
    while (i + 8 <= n) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        /* A high bit in t for any byte < 0x20, == '"', == '\\' or >= 0x80
         * (the usual "has a zero byte" / "has a byte less than" tests,
         * exact as a yes/no for the whole word). */
        uint64_t q = x ^ (ones * '"'), b = x ^ (ones * '\\');
        uint64_t t = ((x - ones * 0x20) & ~x) | ((q - ones) & ~q) | ((b - ones) & ~b) | x;
        t &= highs;
        if (t)
            break;
        i += 8;
    }
    while (i < n && !json_stop[(unsigned char)s[i]])
        i++;
    return i;
}

st_status st_buf_json_string(st_buf *buf, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t start_len = buf->len;
    /* Room for the common case (nothing escaped) at once; escapes grow it. */
    if (n > SIZE_MAX - 3 || st_buf_reserve(buf, n + 2) != ST_OK)
        return ST_ERR_NOMEM;
    buf->data[buf->len++] = '"';
    size_t i = 0, run = 0; /* s[run..i) is still to be copied as it is */
    while (i < n) {
        i += st_json_plain_prefix(s + i, n - i);
        if (i == n)
            break;
        unsigned char c = u[i];
        if (c >= 0x80) {
            /* Written as it is once known to be UTF-8. */
            int32_t cp;
            size_t k = st_utf8_decode_any(s + i, n - i, &cp);
            if (cp < 0) {
                buf->len = start_len;
                return ST_ERR_INPUT;
            }
            i += k;
            continue;
        }
        char esc[7];
        size_t elen = 2;
        esc[0] = '\\';
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default: {
            static const char hex[] = "0123456789ABCDEF";
            memcpy(esc + 1, "u00", 3);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            elen = 6;
        }
        }
        if (st_buf_append(buf, s + run, i - run) != ST_OK || st_buf_append(buf, esc, elen) != ST_OK)
            goto nomem;
        i++;
        run = i;
    }
    if (st_buf_append(buf, s + run, n - run) != ST_OK || st_buf_push(buf, '"') != ST_OK)
        goto nomem;
    buf->data[buf->len] = '\0';
    return ST_OK;
nomem:
    buf->len = start_len;
    return ST_ERR_NOMEM;
}

/* Digits of v, at least `width` of them (zeros in front). */
/* 10^k for k = 0..19: a number's digit count by comparisons. */
static const uint64_t pow10_u64[20] = {
    1u, 10u, 100u, 1000u, 10000u, 100000u, 1000000u, 10000000u, 100000000u, 1000000000u,
    10000000000u, 100000000000u, 1000000000000u, 10000000000000u, 100000000000000u,
    1000000000000000u, 10000000000000000u, 100000000000000000u, 1000000000000000000u,
    10000000000000000000u,
};

/* The decimal digits of v, left-padded with zeros to `width` (<= 20),
 * written straight to out (no copy through a scratch buffer: this runs
 * for every number of every record). */
static size_t put_digits(char *out, uint64_t v, int width)
{
    size_t n = 1;
    while (n < 20 && v >= pow10_u64[n])
        n++;
    if (n < (size_t)width)
        n = (size_t)width;
    for (size_t i = n; i-- > 0;) {
        out[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return n;
}

st_status st_buf_uint(st_buf *buf, uint64_t v)
{
    st_status status = st_buf_reserve(buf, 20);
    if (status != ST_OK)
        return status;
    buf->len += put_digits(buf->data + buf->len, v, 1);
    return ST_OK;
}

st_status st_buf_fixed(st_buf *buf, double x, int decimals)
{
    static const double pow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
    char out[64];
    if (decimals < 0 || decimals > 9)
        return ST_ERR_USAGE;
    double a = fabs(x);
    /* x * 10^d exactly is p + e (fma gives the rounding error of the
     * product); p below 2^52 keeps p - floor(p) and the integers exact. */
    double p = a * pow10[decimals];
    if (!(p < 4503599627370496.0)) { /* 2^52; also inf and nan */
        int n = snprintf(out, sizeof out, "%.*f", decimals, x);
        if (n < 0)
            return ST_ERR_IO;
        if ((size_t)n < sizeof out)
            return st_buf_append(buf, out, (size_t)n);
        st_status status = st_buf_reserve(buf, (size_t)n);
        if (status != ST_OK)
            return status;
        snprintf(buf->data + buf->len, (size_t)n + 1, "%.*f", decimals, x);
        buf->len += (size_t)n;
        return ST_OK;
    }
    /* 0 <= p < 2^52: the conversion truncates, as floor would. */
    uint64_t q = (uint64_t)p;
    double frac = p - (double)q;
    /* printf rounds the exact value: above half up, below down, a true
     * tie to even.  frac is on p's grid, so e (at most half a step) only
     * matters when frac is exactly one half, the only case that needs it. */
    if (frac > 0.5)
        q++;
    else if (frac == 0.5) {
        double e = fma(a, pow10[decimals], -p);
        if (e > 0 || (e == 0 && (q & 1)))
            q++;
    }
    /* Sign, up to 16 integer digits, the point and 9 decimals. */
    st_status status = st_buf_reserve(buf, 32);
    if (status != ST_OK)
        return status;
    char *o = buf->data + buf->len;
    size_t len = 0;
    if (signbit(x))
        o[len++] = '-';
    len += put_digits(o + len, q / pow10_u64[decimals], 1);
    if (decimals > 0) {
        o[len++] = '.';
        len += put_digits(o + len, q % pow10_u64[decimals], decimals);
    }
    buf->len += len;
    return ST_OK;
}

st_status st_grow(void **items, size_t *capacity, size_t count, size_t item_size)
{
    if (count < *capacity)
        return ST_OK;
    size_t cap = *capacity ? *capacity : 16;
    while (cap <= count) {
        if (cap > SIZE_MAX / 2 / item_size)
            return ST_ERR_NOMEM;
        cap *= 2;
    }
    void *grown = realloc(*items, cap * item_size);
    if (grown == NULL)
        return ST_ERR_NOMEM;
    *items = grown;
    *capacity = cap;
    return ST_OK;
}

/* ------------------------------------------------------------------ */
/* UTF-8 (Unicode 3.9, Table 3-7: well-formed byte sequences)          */

size_t st_utf8_decode_any(const char *s, size_t n, int32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    if (n == 0) {
        *cp = -1;
        return 0;
    }
    unsigned char b0 = u[0];
    if (b0 < 0x80) {
        *cp = b0;
        return 1;
    }
    /* E1..EC and EE..EF with two continuation bytes: always well formed
     * (no overlong or surrogate range to check), and the common case by
     * far: curly quotes, dashes, ellipses. */
    if (n >= 3 && (unsigned char)(b0 - 0xE1) <= 0x0E && b0 != 0xED && (u[1] & 0xC0) == 0x80 &&
        (u[2] & 0xC0) == 0x80) {
        *cp = (int32_t)((b0 & 0x0Fu) << 12 | (u[1] & 0x3Fu) << 6 | (u[2] & 0x3Fu));
        return 3;
    }
    size_t need;
    unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
    int32_t value;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        need = 2;
        value = b0 & 0x1F;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        need = 3;
        value = b0 & 0x0F;
        if (b0 == 0xE0)
            lo = 0xA0; /* overlong */
        else if (b0 == 0xED)
            hi = 0x9F; /* surrogates */
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        need = 4;
        value = b0 & 0x07;
        if (b0 == 0xF0)
            lo = 0x90; /* overlong */
        else if (b0 == 0xF4)
            hi = 0x8F; /* above U+10FFFF */
    } else {
        /* 80..C1 and F5..FF never start a sequence. */
        *cp = -1;
        return 1;
    }
    /* The maximal subpart is the lead byte plus every continuation byte
     * that still fits a well-formed sequence. */
    for (size_t i = 1; i < need; i++) {
        unsigned char min = i == 1 ? lo : 0x80, max = i == 1 ? hi : 0xBF;
        if (i >= n || u[i] < min || u[i] > max) {
            *cp = -1;
            return i;
        }
        value = (value << 6) | (u[i] & 0x3F);
    }
    *cp = value;
    return need;
}

size_t st_utf8_clean_prefix(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    for (;;) {
#ifdef __SSE2__
        /* Sixteen at a time: as signed bytes, NUL and bytes >= 0x80 are
         * exactly those below 1; a block holding one stops at it. */
        const __m128i one = _mm_set1_epi8(1);
        for (; i + 16 <= n; i += 16) {
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
            unsigned bits = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(x, one));
            if (bits) {
                i += (size_t)__builtin_ctz(bits);
                break;
            }
        }
#else
        /* Plain ASCII a word at a time: no NUL, no byte >= 0x80. */
        while (i + 8 <= n) {
            uint64_t x = st_swar_load(s + i);
            if (st_swar_below(x, 1) | st_swar_high(x))
                break;
            i += 8;
        }
#endif
        /* Then byte by byte to a NUL or a byte >= 0x80 (the one the
         * blocks stopped at, or one among the last few bytes). */
        while (i < n && (unsigned char)(u[i] - 1u) < 0x7Fu)
            i++;
        if (i >= n)
            return n;
        if (u[i] == 0)
            return i;
        /* E1..EC and EE..EF with two continuation bytes (curly quotes,
         * dashes: nearly every non-ASCII character of news) are well
         * formed without a decoder call; see st_utf8_decode_any. */
        if (n - i >= 3 && (unsigned char)(u[i] - 0xE1) <= 0x0E && u[i] != 0xED && (u[i + 1] & 0xC0) == 0x80 &&
            (u[i + 2] & 0xC0) == 0x80) {
            i += 3;
            continue;
        }
        int32_t cp;
        size_t k = st_utf8_decode_any(s + i, n - i, &cp);
        if (cp < 0)
            return i;
        i += k;
    }
}

size_t st_utf8_prev_any(const char *text, size_t floor, size_t pos)
{
    if (pos <= floor)
        return floor;
    size_t p = pos - 1;
    /* Step over at most three continuation bytes. */
    for (int k = 0; k < 3 && p > floor && ((unsigned char)text[p] & 0xC0) == 0x80; k++)
        p--;
    int32_t cp;
    if (st_utf8_decode(text + p, pos - p, &cp) != pos - p)
        return pos - 1; /* not one sequence: step a single byte */
    return p;
}

size_t st_utf8_encode(int32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* ------------------------------------------------------------------ */

static utf8proc_category_t category(int32_t cp)
{
    /* utf8proc answers CN (unassigned) for invalid values such as -1. */
    if (cp < 0 || cp > 0x10FFFF)
        return UTF8PROC_CATEGORY_CN;
    return utf8proc_category(cp);
}

int st_cp_is_space_any(int32_t cp)
{
    if (cp == ' ' || (cp >= 0x09 && cp <= 0x0D))
        return 1;
    if (cp < 0x80)
        return 0;
    if (cp == 0x85 || cp == 0x2028 || cp == 0x2029)
        return 1;
    /* Accented letters and the curly quotes and dashes of U+2010..2027,
     * the non-ASCII text asked about most (every sentence that ends on a
     * closing quote), hold no space separator in any Unicode version:
     * answered without the category lookup. */
    if ((cp > 0xA0 && cp < 0x1680) || (cp >= 0x2010 && cp <= 0x2027))
        return 0;
    return category(cp) == UTF8PROC_CATEGORY_ZS;
}

int st_cp_is_letter_any(int32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    utf8proc_category_t c = category(cp);
    return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}

int st_cp_is_upper_any(int32_t cp)
{
    if (cp < 0x80)
        return cp >= 'A' && cp <= 'Z';
    utf8proc_category_t c = category(cp);
    return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT;
}

int st_cp_is_lower_any(int32_t cp)
{
    if (cp < 0x80)
        return cp >= 'a' && cp <= 'z';
    return category(cp) == UTF8PROC_CATEGORY_LL;
}

int st_cp_is_digit_any(int32_t cp)
{
    if (cp < 0x80)
        return cp >= '0' && cp <= '9';
    return category(cp) == UTF8PROC_CATEGORY_ND;
}

int st_cp_is_punct(int32_t cp)
{
    utf8proc_category_t c = category(cp);
    return c >= UTF8PROC_CATEGORY_PC && c <= UTF8PROC_CATEGORY_PO;
}

int st_cp_is_open_bracket(int32_t cp)
{
    return category(cp) == UTF8PROC_CATEGORY_PS;
}

int st_cp_is_dash(int32_t cp)
{
    return category(cp) == UTF8PROC_CATEGORY_PD;
}

st_span st_span_trim(const char *text, size_t start, size_t end)
{
    int32_t cp;
    while (start < end) {
        /* An opening curly quote (U+2010..U+2027, E2 80 90..A7) is no
         * space: answered from its bytes, as at the end below. */
        if (end - start >= 3 && (unsigned char)text[start] == 0xE2 && (unsigned char)text[start + 1] == 0x80 &&
            (unsigned char)text[start + 2] >= 0x90 && (unsigned char)text[start + 2] <= 0xA7)
            break;
        size_t len = st_utf8_decode(text + start, end - start, &cp);
        if (!st_cp_is_space(cp))
            break;
        start += len;
    }
    while (end > start) {
        /* Most spans end on an ASCII mark or a closing curly quote: both
         * answered from the bytes.  U+2010..U+2027 (E2 80 90..A7: quotes,
         * dashes, the ellipsis) hold no space. */
        unsigned char last = (unsigned char)text[end - 1];
        if (last < 0x80) {
            if (!st_cp_is_space(last))
                break;
            end--;
            continue;
        }
        if (end - start >= 3 && (unsigned char)text[end - 3] == 0xE2 && (unsigned char)text[end - 2] == 0x80 &&
            last >= 0x90 && last <= 0xA7)
            break;
        size_t prev = st_utf8_prev(text, start, end);
        st_utf8_decode(text + prev, end - prev, &cp);
        if (!st_cp_is_space(cp))
            break;
        end = prev;
    }
    st_span span = {start, end};
    return span;
}
