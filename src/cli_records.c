/* cli_records.c - the quote record in JSONL, TSV, CSV and table form. */
#include "cli.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "st_dataset.h"
#include "st_util.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

const char *cli_utf8_name(const char *name, char **copy)
{
    *copy = NULL;
    size_t n = strlen(name), i = 0;
    if (st_utf8_clean_prefix(name, n) == n) /* per record: the quick yes */
        return name;
    int32_t cp = 0;
    /* At most 3 bytes (U+FFFD) for each byte; one U+FFFD for each maximal
     * ill-formed subsequence, as st_text.c and Python's "replace" do. */
    char *out = malloc(3 * n + 1), *at = out;
    if (!out)
        return NULL;
    for (i = 0; i < n;) {
        size_t k = st_utf8_decode(name + i, n - i, &cp);
        if (cp < 0) {
            memcpy(at, "\xEF\xBF\xBD", 3);
            at += 3;
        } else {
            memcpy(at, name + i, k);
            at += k;
        }
        i += k;
    }
    *at = '\0';
    *copy = out;
    return out;
}

int cli_write_labelled_header(FILE *fp, cli_format format, int sentence_unit, int explain)
{
    const char *sep = format == CLI_FORMAT_CSV ? "," : "\t";
    const char *end = format == CLI_FORMAT_CSV ? "\r\n" : "\n";
    static const char *const quote_cols[] = {"doc", "id", "index", "speaker", "mention", "start", "end", "quote",
                                             "sentence", NULL};
    static const char *const sentence_cols[] = {"doc", "index", "speaker", "mention", "start", "end", "sentence",
                                                NULL};
    if (format != CLI_FORMAT_TSV && format != CLI_FORMAT_CSV)
        return 0;
    const char *const *cols = sentence_unit ? sentence_cols : quote_cols;
    for (size_t i = 0; cols[i]; i++) {
        if (i)
            fputs(sep, fp);
        fputs(cols[i], fp);
    }
    fprintf(fp, "%slabel", sep);
    for (int l = 0; l < ST_LABEL_COUNT; l++)
        fprintf(fp, "%sp_%s", sep, st_label_name(l));
    if (explain)
        fprintf(fp, "%sexplain", sep);
    fputs(end, fp);
    return ferror(fp) ? -1 : 0;
}

int cli_write_header(FILE *fp, cli_format format)
{
    switch (format) {
    case CLI_FORMAT_TSV:
        fputs("doc\tid\tindex\tspeaker\tmention\tstart\tend\tquote\tsentence\n", fp);
        break;
    case CLI_FORMAT_CSV:
        fputs("doc,id,index,speaker,mention,start,end,quote,sentence\r\n", fp);
        break;
    default:
        break;
    }
    return ferror(fp) ? -1 : 0;
}

/*
 * Records are built in one buffer and written with one fwrite (issue 6:
 * jansson objects, json_dumps and stdio per field cost ~15k instructions
 * a record).  The bytes are those jansson and printf wrote before: JSON
 * strings as json_dumps escapes them (st_buf_json_string), numbers as
 * "%zu" / "%.4f" (st_buf_uint, st_buf_fixed; tests/test_text.c compares
 * them with snprintf), and keys in the order of the old json object.
 */
static inline int put(st_buf *b, const char *s, size_t n)
{
    /* Most pieces are a few bytes and fit: no call for those. */
    if (b->cap - b->len > n) {
        memcpy(b->data + b->len, s, n);
        b->len += n;
        return 0;
    }
    return st_buf_append(b, s, n) == ST_OK ? 0 : -1;
}
#define PUT_LIT(b, lit) put((b), (lit), sizeof(lit) - 1)

#ifdef __SSE2__ /* put_json's block path only */
/* The escape of an ASCII byte JSON must escape (c < 0x20, '"', '\\'),
 * as jansson writes it, at o; returns its length. */
static size_t json_escape(char *o, unsigned char c)
{
    static const char hex[] = "0123456789ABCDEF";
    o[0] = '\\';
    switch (c) {
    case '"': o[1] = '"'; return 2;
    case '\\': o[1] = '\\'; return 2;
    case '\b': o[1] = 'b'; return 2;
    case '\f': o[1] = 'f'; return 2;
    case '\n': o[1] = 'n'; return 2;
    case '\r': o[1] = 'r'; return 2;
    case '\t': o[1] = 't'; return 2;
    default:
        memcpy(o + 1, "u00", 3);
        o[4] = hex[c >> 4];
        o[5] = hex[c & 15];
        return 6;
    }
}
#endif

/*
 * A JSON string, the bytes st_buf_json_string writes (jansson's: '"',
 * '\\' and controls escaped, UTF-8 as it is); -1 when out of memory or
 * not UTF-8 (jansson refused those, and the record was not written).
 * Quotes and sentences are long, mostly ASCII, with a few curly quotes
 * and dashes: sixteen bytes are checked and copied at a time, and a
 * block that holds a byte to look at is copied all the same, the
 * output going on from that byte (a well-formed sequence copied, an
 * escape written over the rest).  The last block overlaps the one
 * before it (the bytes already done masked off); a string under sixteen
 * bytes is read through a padded copy.
 */
static int put_json(st_buf *b, const char *s, size_t n)
{
#ifdef __SSE2__
    /* Room for the plain case, the quotes and a block's overshoot; each
     * escape makes more (at most 6 bytes for 1). */
    if (n > SIZE_MAX / 2 || (b->cap - b->len <= n + 40 && st_buf_reserve(b, n + 40) != ST_OK))
        return -1;
    size_t len0 = b->len;
    char *o = b->data + len0;
    *o++ = '"';
    char pad[16];
    const char *src = s;
    size_t m = n;
    if (n < 16) {
        /* Spaces are plain: only the string's own bytes can stop. */
        memset(pad, ' ', sizeof pad);
        if (n)
            memcpy(pad, s, n);
        src = pad;
        m = 16;
    }
    const __m128i space = _mm_set1_epi8(0x20), quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
    /* As signed bytes, controls and bytes >= 0x80 are both below 0x20. */
#define JSON_STOPS(x)                                                                                          \
    ((unsigned)_mm_movemask_epi8(                                                                              \
        _mm_or_si128(_mm_cmplt_epi8(x, space), _mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, backslash)))))
    size_t i = 0, j;
    int escaped = 0;
    for (;;) {
        /* Whole blocks: copied, then checked. */
        unsigned mask = 0;
        while (i + 16 <= m) {
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(src + i));
            _mm_storeu_si128((__m128i *)(void *)o, x);
            if ((mask = JSON_STOPS(x)) != 0)
                break;
            i += 16;
            o += 16;
        }
        if (mask != 0) {
            j = i + (size_t)__builtin_ctz(mask);
            o += j - i;
        } else {
            if (i >= n) { /* a padded string's one block: its own bytes */
                o -= i - n;
                break;
            }
            /* The last block overlaps the one before, the bytes before i
             * masked off.  Until an escape the output is the input byte
             * for byte, so they go where they went. */
            size_t at = m - 16;
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(src + at));
            mask = JSON_STOPS(x) & (~0u << (i - at));
            j = mask ? at + (size_t)__builtin_ctz(mask) : n;
            if (!escaped)
                _mm_storeu_si128((__m128i *)(void *)(o - (i - at)), x);
            else
                memcpy(o, s + i, j - i);
            o += j - i;
            if (mask == 0)
                break;
        }
        unsigned char c = (unsigned char)s[j];
        if (c >= 0x80) {
            /* E1..EC, EE..EF and two continuation bytes: well formed. */
            size_t k;
            const unsigned char *u = (const unsigned char *)s + j;
            if (n - j >= 3 && (unsigned char)(c - 0xE1) <= 0x0E && c != 0xED && (u[1] & 0xC0) == 0x80 &&
                (u[2] & 0xC0) == 0x80) {
                k = 3;
                o[0] = (char)c;
                o[1] = (char)u[1];
                o[2] = (char)u[2];
            } else {
                int32_t cp;
                k = st_utf8_decode_any(s + j, n - j, &cp);
                if (cp < 0) {
                    b->len = len0;
                    return -1;
                }
                memcpy(o, u, k);
            }
            o += k;
            i = j + k;
        } else {
            /* An escape: room for it and the rest as it stands. */
            b->len = (size_t)(o - b->data);
            if (b->cap - b->len <= n - j + 48 && st_buf_reserve(b, n - j + 48) != ST_OK) {
                b->len = len0;
                return -1;
            }
            o = b->data + b->len;
            o += json_escape(o, c);
            escaped = 1;
            i = j + 1;
        }
        if (i >= n)
            break;
    }
#undef JSON_STOPS
    *o++ = '"';
    b->len = (size_t)(o - b->data);
    return 0;
#else
    return st_buf_json_string(b, s, n) == ST_OK ? 0 : -1;
#endif
}

/* "00" to "99": two digits a copy. */
static const char digit_pairs[201] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                                     "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                                     "8081828384858687888990919293949596979899";

/* "%zu" of v (the bytes st_buf_uint writes): the digits counted, then
 * written from the last, two at a time (an index and two offsets a
 * record; tests/test_records.c compares it with printf). */
static int put_uint(st_buf *b, size_t v)
{
    if (b->cap - b->len <= 24 && st_buf_reserve(b, 24) != ST_OK)
        return -1;
    uint64_t x = (uint64_t)v;
    size_t n = 1;
    for (uint64_t t = x; t >= 10; t /= 10)
        n++;
    char *o = b->data + b->len;
    size_t i = n;
    while (x >= 100) {
        i -= 2;
        memcpy(o + i, digit_pairs + 2 * (x % 100), 2);
        x /= 100;
    }
    if (x >= 10)
        memcpy(o, digit_pairs + 2 * x, 2);
    else
        o[0] = (char)('0' + x);
    b->len += n;
    return 0;
}

/*
 * "%.4f" of x, the bytes st_buf_fixed(b, x, 4) writes, with its rounding
 * (the exact value, a true tie to even) but without its general digit
 * loops: three of these end every classify record (issue 6).  Only
 * 0 <= x < 10^5 with the sign bit clear (every probability) is done here;
 * the rest (-0, negatives, large, inf, nan) is st_buf_fixed's.
 * tests/test_records.c compares it with snprintf.
 */
static int put_fixed4(st_buf *b, double x)
{
    double p = x * 1e4;
    if (!(p >= 0 && p < 1e9) || signbit(x))
        return st_buf_fixed(b, x, 4) == ST_OK ? 0 : -1;
    if (b->cap - b->len <= 16 && st_buf_reserve(b, 16) != ST_OK)
        return -1;
    /* p < 2^52: the conversion truncates, as floor would; frac is on p's
     * grid, the product's rounding error (fma) matters only at one half. */
    uint32_t q = (uint32_t)p;
    double frac = p - (double)q;
    if (frac > 0.5)
        q++;
    else if (frac == 0.5) {
        double e = fma(x, 1e4, -p);
        if (e > 0 || (e == 0 && (q & 1)))
            q++;
    }
    char *o = b->data + b->len;
    uint32_t ip = q / 10000, fp = q % 10000;
    size_t n = 0;
    if (ip < 10) {
        o[n++] = (char)('0' + ip);
    } else {
        char tmp[8];
        size_t k = sizeof tmp;
        while (ip != 0) {
            tmp[--k] = (char)('0' + ip % 10);
            ip /= 10;
        }
        memcpy(o, tmp + k, sizeof tmp - k);
        n = sizeof tmp - k;
    }
    o[n] = '.';
    memcpy(o + n + 1, digit_pairs + 2 * (fp / 100), 2);
    memcpy(o + n + 3, digit_pairs + 2 * (fp % 100), 2);
    b->len += n + 5;
    return 0;
}

/* A passed-through JSONL value as json_dumps wrote it inside the record. */
static int put_json_value(st_buf *b, json_t *value)
{
    switch (json_typeof(value)) {
    case JSON_STRING:
        return put_json(b, json_string_value(value), json_string_length(value));
    case JSON_INTEGER: {
        json_int_t v = json_integer_value(value);
        if (v < 0 && put(b, "-", 1))
            return -1;
        return st_buf_uint(b, v < 0 ? 0 - (uint64_t)v : (uint64_t)v) == ST_OK ? 0 : -1;
    }
    case JSON_TRUE: return PUT_LIT(b, "true");
    case JSON_FALSE: return PUT_LIT(b, "false");
    case JSON_NULL: return PUT_LIT(b, "null");
    default: {
        char *dumped = json_dumps(value, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
        if (!dumped)
            return -1;
        int rc = put(b, dumped, strlen(dumped));
        free(dumped);
        return rc;
    }
    }
}

static int is_label_key(const char *key)
{
    return strcmp(key, "label") == 0 || strcmp(key, "probabilities") == 0 || strcmp(key, "explain") == 0;
}

/* Whether the record's own fields include `key` (a passed-through key of
 * the same name is dropped, as json_object_get(o, key) did). */
static int is_record_key(const cli_record *r, const char *key)
{
    static const char *const always[] = {"doc", "index", "speaker", "mention", "sentence", "start", "end"};
    for (size_t i = 0; i < sizeof always / sizeof *always; i++)
        if (strcmp(key, always[i]) == 0)
            return 1;
    if (!r->sentence_unit && strcmp(key, "quote") == 0)
        return 1;
    return r->id && !r->sentence_unit && strcmp(key, "id") == 0;
}

/* The passed-through keys, each after a comma. */
static int extra_fields(st_buf *b, const cli_record *r)
{
    const char *key;
    json_t *value;
    json_object_foreach(r->extra, key, value) {
        if (is_record_key(r, key) || (r->label && is_label_key(key)))
            continue;
        if (put(b, ",", 1) || put_json(b, key, strlen(key)) || put(b, ":", 1) || put_json_value(b, value))
            return -1;
    }
    return 0;
}

/*
 * The classify fields, `,"label":...,"probabilities":{...},"explain":[...]`.
 * Numbers are written with a fixed 4 decimals (jansson would print
 * 0.81000000000000005), so records are short and byte-stable.
 */
static int label_fields(st_buf *b, const cli_record *r)
{
    if (PUT_LIT(b, ",\"label\":") || put_json(b, r->label, strlen(r->label)) || PUT_LIT(b, ",\"probabilities\":{"))
        return -1;
    for (int l = 0; l < ST_LABEL_COUNT; l++) {
        /* ,"name": written at once (a label name is a plain word, as
         * the old writer's put calls wrote it): once per label of every
         * labelled record. */
        const char *name = st_label_name(l);
        size_t n = strlen(name);
        if (b->cap - b->len <= n + 4 && st_buf_reserve(b, n + 4) != ST_OK)
            return -1;
        char *o = b->data + b->len;
        if (l)
            *o++ = ',';
        *o++ = '"';
        memcpy(o, name, n);
        o += n;
        *o++ = '"';
        *o++ = ':';
        b->len = (size_t)(o - b->data);
        if (put_fixed4(b, r->probabilities ? r->probabilities[l] : 0.0))
            return -1;
    }
    if (put(b, "}", 1))
        return -1;
    if (!r->has_explain)
        return 0;
    if (PUT_LIT(b, ",\"explain\":["))
        return -1;
    for (size_t i = 0; i < r->explain_count; i++) {
        if (put(b, i ? ",[" : "[", i ? 2 : 1) || put_json(b, r->explain[i].name, strlen(r->explain[i].name)) ||
            put(b, ",", 1) || put_fixed4(b, r->explain[i].value) || put(b, "]", 1))
            return -1;
    }
    return put(b, "]", 1);
}

/* The fields in the order of the old json object: its own keys, then
 * the passed-through ones (after the label fields when labelled). */
static int jsonl_record(st_buf *b, const cli_record *r)
{
    if (PUT_LIT(b, "{\"doc\":") || put_json(b, r->doc, strlen(r->doc)))
        return -1;
    if (r->id && !r->sentence_unit && (PUT_LIT(b, ",\"id\":") || put_json(b, r->id, strlen(r->id))))
        return -1;
    if (PUT_LIT(b, ",\"index\":") || put_uint(b, r->index))
        return -1;
    if (!r->sentence_unit && (PUT_LIT(b, ",\"quote\":") || put_json(b, r->quote, r->quote_len)))
        return -1;
    if (PUT_LIT(b, ",\"speaker\":") || (r->speaker ? put_json(b, r->speaker, strlen(r->speaker)) : PUT_LIT(b, "null")))
        return -1;
    if (PUT_LIT(b, ",\"mention\":") || (r->mention ? put_json(b, r->mention, strlen(r->mention)) : PUT_LIT(b, "null")))
        return -1;
    if (PUT_LIT(b, ",\"sentence\":") ||
        (r->sentence ? put_json(b, r->sentence, r->sentence_len) : PUT_LIT(b, "null")))
        return -1;
    if (r->no_offsets) {
        if (PUT_LIT(b, ",\"start\":null,\"end\":null"))
            return -1;
    } else if (PUT_LIT(b, ",\"start\":") || put_uint(b, r->start) || PUT_LIT(b, ",\"end\":") || put_uint(b, r->end)) {
        return -1;
    }
    if (r->label && label_fields(b, r))
        return -1;
    if (r->extra && extra_fields(b, r))
        return -1;
    return PUT_LIT(b, "}\n");
}

/* 1: a byte TSV or CSV fields escape or quote (tsv_field, csv_field). */
static inline int tsv_special(unsigned char c)
{
    return c == '\t' || c == '\n' || c == '\r' || c == '\\';
}
static inline int csv_special(unsigned char c)
{
    return c == ',' || c == '"' || c == '\n' || c == '\r';
}

/* The length of the longest prefix of s[0..n) without a byte TSV
 * escapes; eight bytes at a time (fields are long runs of plain text). */
static size_t tsv_plain_prefix(const char *s, size_t n)
{
    size_t i = 0;
    for (;;) {
#ifdef __SSE2__
        /* Sixteen at a time first: bytes below 0x0E (unsigned) or '\\'. */
        const __m128i lim = _mm_set1_epi8(0x0E), bs = _mm_set1_epi8('\\');
        while (i + 16 <= n) {
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
            __m128i ok = _mm_cmpeq_epi8(_mm_max_epu8(x, lim), x);
            if ((_mm_movemask_epi8(ok) ^ 0xFFFF) | _mm_movemask_epi8(_mm_cmpeq_epi8(x, bs)))
                break;
            i += 16;
        }
#endif
        /* \t \n \r are all below 0x0E: a word without bytes below 0x0E
         * or a backslash holds nothing to escape. */
        while (i + 8 <= n) {
            uint64_t x = st_swar_load(s + i);
            if (st_swar_below(x, 0x0E) | st_swar_has(x, '\\'))
                break;
            i += 8;
        }
        /* The word that may hold one (another control byte goes on). */
        size_t stop = i + 8 < n ? i + 8 : n;
        for (; i < stop; i++)
            if (tsv_special((unsigned char)s[i]))
                return i;
        if (i == n)
            return n;
    }
}

/* Whether s[0..n) holds a byte that makes CSV quote the field. */
static int csv_needs_quotes(const char *s, size_t n)
{
    size_t i = 0;
    while (i + 8 <= n) {
        uint64_t x = st_swar_load(s + i);
        if (st_swar_below(x, 0x0E) | st_swar_has(x, ',') | st_swar_has(x, '"')) {
            for (size_t j = i; j < i + 8; j++)
                if (csv_special((unsigned char)s[j]))
                    return 1;
        }
        i += 8;
    }
    for (; i < n; i++)
        if (csv_special((unsigned char)s[i]))
            return 1;
    return 0;
}

/* Whether an aligned-or-not word of 8 bytes holds a byte TSV escapes
 * (or another control byte below 0x0E: the escaping loop tells). */
static inline int tsv_word_plain(uint64_t x)
{
    return !(st_swar_below(x, 0x0E) | st_swar_has(x, '\\'));
}

static int tsv_field_escaped(st_buf *b, const char *s, size_t n);

/*
 * TSV cannot hold tabs or line breaks inside a field: escape them the
 * way most TSV readers undo (\t, \n, \r, \\).  Almost every field has
 * nothing to escape: it is checked and copied in the same pass, sixteen
 * bytes at a time (the last block overlapping the one before, so no byte
 * loop at the end); a short field as one or two overlapping words.  A
 * field with a byte to look at goes to tsv_field_escaped from the first
 * block that may hold it.
 */
static int tsv_field(st_buf *b, const char *s, size_t n)
{
    if (b->cap - b->len <= n + 16 && st_buf_reserve(b, n + 16) != ST_OK)
        return -1;
    char *d = b->data + b->len;
    size_t i = 0;
    if (n >= 16) {
#ifdef __SSE2__
        const __m128i lim = _mm_set1_epi8(0x0E), bs = _mm_set1_epi8('\\');
        /* Bytes below 0x0E (unsigned) or a backslash stop a block. */
#define TSV_STOPS(x) \
    ((_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_max_epu8(x, lim), x)) ^ 0xFFFF) | _mm_movemask_epi8(_mm_cmpeq_epi8(x, bs)))
        __m128i x;
        while (i + 16 <= n) {
            x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
            _mm_storeu_si128((__m128i *)(void *)(d + i), x);
            if (TSV_STOPS(x))
                break;
            i += 16;
        }
        if (i == n) {
            b->len += n;
            return 0;
        }
        if (i + 16 > n) {
            x = _mm_loadu_si128((const __m128i *)(const void *)(s + n - 16));
            if (!TSV_STOPS(x)) {
                _mm_storeu_si128((__m128i *)(void *)(d + n - 16), x);
                b->len += n;
                return 0;
            }
        }
#undef TSV_STOPS
#endif
    } else if (n >= 8) {
        uint64_t x0 = st_swar_load(s), x1 = st_swar_load(s + n - 8);
        if (tsv_word_plain(x0) && tsv_word_plain(x1)) {
            memcpy(d, &x0, 8);
            memcpy(d + n - 8, &x1, 8);
            b->len += n;
            return 0;
        }
    } else {
        for (; i < n && !tsv_special((unsigned char)s[i]); i++)
            d[i] = s[i];
        if (i == n) {
            b->len += n;
            return 0;
        }
    }
    b->len += i;
    return tsv_field_escaped(b, s + i, n - i);
}

/* tsv_field, a plain run then an escape at a time. */
static int tsv_field_escaped(st_buf *b, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t run = i + tsv_plain_prefix(s + i, n - i);
        if (put(b, s + i, run - i))
            return -1;
        if (run == n)
            break;
        const char *esc = s[run] == '\t' ? "\\t" : s[run] == '\n' ? "\\n" : s[run] == '\r' ? "\\r" : "\\\\";
        if (put(b, esc, 2))
            return -1;
        i = run + 1;
    }
    return 0;
}

/* The same escaping straight to a stream, for writers that do not build
 * records in a buffer (stance features). */
int cli_put_tsv(FILE *fp, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t run = i + tsv_plain_prefix(s + i, n - i);
        if (run > i && fwrite(s + i, 1, run - i, fp) != run - i)
            return -1;
        if (run == n)
            break;
        const char *esc = s[run] == '\t' ? "\\t" : s[run] == '\n' ? "\\n" : s[run] == '\r' ? "\\r" : "\\\\";
        if (fwrite(esc, 1, 2, fp) != 2)
            return -1;
        i = run + 1;
    }
    return 0;
}

/* RFC 4180: quote a field that holds a comma, quote or line break. */
static int csv_field(st_buf *b, const char *s, size_t n)
{
    if (!csv_needs_quotes(s, n))
        return put(b, s, n);
    if (put(b, "\"", 1))
        return -1;
    size_t i = 0;
    while (i < n) {
        const char *q = memchr(s + i, '"', n - i);
        size_t run = q ? (size_t)(q - s) + 1 : n; /* through the quote */
        if (put(b, s + i, run - i) || (q && put(b, "\"", 1)))
            return -1;
        i = run;
    }
    return put(b, "\"", 1);
}

/* TSV's explain column: name=value pairs joined by ';', names escaped. */
static int tsv_explain(st_buf *b, const cli_record *r)
{
    for (size_t i = 0; i < r->explain_count; i++)
        if ((i && put(b, ";", 1)) || tsv_field(b, r->explain[i].name, strlen(r->explain[i].name)) ||
            put(b, "=", 1) || put_fixed4(b, r->explain[i].value))
            return -1;
    return 0;
}

/* CSV's explain column is quoted as a whole: built first. */
static int csv_explain(st_buf *b, const cli_record *r)
{
    st_buf col = {0};
    int rc = 0;
    for (size_t i = 0; i < r->explain_count && rc == 0; i++)
        rc = (i && put(&col, ";", 1)) || put(&col, r->explain[i].name, strlen(r->explain[i].name)) ||
             put(&col, "=", 1) || put_fixed4(&col, r->explain[i].value) ? -1 : 0;
    if (rc == 0)
        rc = csv_field(b, col.data ? col.data : "", col.len);
    st_buf_free(&col);
    return rc;
}

/* What a delimited format writes differently: TSV and CSV records are
 * the same columns in the same order (cli_header). */
typedef struct delimited {
    char sep;                                          /* '\t' or ',' */
    int (*field)(st_buf *, const char *, size_t);      /* one escaped field */
    int (*explain)(st_buf *, const cli_record *);      /* the explain column */
    const char *eol;                                   /* "\n" or "\r\n" */
} delimited;

static const delimited tsv_format = {'\t', tsv_field, tsv_explain, "\n"};
static const delimited csv_format = {',', csv_field, csv_explain, "\r\n"};

static int delimited_record(st_buf *b, const cli_record *r, const delimited *f)
{
    const char sep[2] = {f->sep, f->sep};
    if (f->field(b, r->doc, strlen(r->doc)) || put(b, sep, 1))
        return -1;
    if (!r->sentence_unit && ((r->id && f->field(b, r->id, strlen(r->id))) || put(b, sep, 1)))
        return -1;
    if (put_uint(b, r->index) || put(b, sep, 1))
        return -1;
    if ((r->speaker && f->field(b, r->speaker, strlen(r->speaker))) || put(b, sep, 1))
        return -1;
    if (r->mention && f->field(b, r->mention, strlen(r->mention)))
        return -1;
    if (r->no_offsets ? put(b, sep, 2)
                      : (put(b, sep, 1) || put_uint(b, r->start) || put(b, sep, 1) || put_uint(b, r->end)))
        return -1;
    if (put(b, sep, 1))
        return -1;
    if (!r->sentence_unit && (f->field(b, r->quote, r->quote_len) || put(b, sep, 1)))
        return -1;
    if (r->sentence && f->field(b, r->sentence, r->sentence_len))
        return -1;
    if (r->label) {
        if (put(b, sep, 1) || put(b, r->label, strlen(r->label)))
            return -1;
        for (int l = 0; l < ST_LABEL_COUNT; l++)
            if (put(b, sep, 1) || put_fixed4(b, r->probabilities ? r->probabilities[l] : 0.0))
                return -1;
        if (r->has_explain && (put(b, sep, 1) || f->explain(b, r)))
            return -1;
    }
    return put(b, f->eol, strlen(f->eol));
}

/* Code points, not bytes: the table is for eyes. */
static size_t display_width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

/*
 * Text for a terminal: C1 control characters (U+0080..U+009F, bytes C2 80
 * to C2 9F) become a space, as the reader already makes of C0 ones, so
 * that a quote holding U+009B (CSI) cannot drive the terminal.  The
 * machine formats keep the text as it is.
 */
static int put_display(st_buf *b, const char *s, size_t n)
{
    size_t from = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        if ((unsigned char)s[i] != 0xC2 || (unsigned char)s[i + 1] > 0x9F || (unsigned char)s[i + 1] < 0x80)
            continue;
        if (put(b, s + from, i - from) || put(b, " ", 1))
            return -1;
        from = i + 2;
        i++;
    }
    return put(b, s + from, n - from);
}

/* The table record (for eyes), with the bytes stdio's "%s #%zu  %s",
 * "  %-12s %.2f" and "%s %s %+.3f" wrote before. */
static int table_record(st_buf *b, const cli_record *r)
{
    const char *speaker = r->speaker ? r->speaker : "(unattributed)";
    if (put_display(b, r->doc, strlen(r->doc)) || PUT_LIT(b, " #") || put_uint(b, r->index) || PUT_LIT(b, "  ") ||
        put_display(b, speaker, strlen(speaker)))
        return -1;
    for (size_t w = display_width(speaker); w < 24; w++)
        if (put(b, " ", 1))
            return -1;
    if (r->label) {
        double p = 0.0;
        for (int l = 0; l < ST_LABEL_COUNT; l++)
            if (strcmp(st_label_name(l), r->label) == 0 && r->probabilities)
                p = r->probabilities[l];
        size_t n = strlen(r->label);
        if (PUT_LIT(b, "  ") || put(b, r->label, n))
            return -1;
        for (; n < 12; n++) /* %-12s pads bytes */
            if (put(b, " ", 1))
                return -1;
        if (put(b, " ", 1) || st_buf_fixed(b, p, 2) != ST_OK)
            return -1;
    }
    if (r->sentence_unit) {
        if (PUT_LIT(b, "  ") || (r->sentence && put_display(b, r->sentence, r->sentence_len)) || put(b, "\n", 1))
            return -1;
    } else if (PUT_LIT(b, "  \xE2\x80\x9C") || put_display(b, r->quote, r->quote_len) || /* “ */
               PUT_LIT(b, "\xE2\x80\x9D\n")) {                                   /* ” */
        return -1;
    }
    if (r->has_explain) {
        if (PUT_LIT(b, "    because:") || (r->explain_count == 0 && PUT_LIT(b, " (no feature stands out)")))
            return -1;
        for (size_t i = 0; i < r->explain_count; i++) {
            const char *name = r->explain[i].name;
            double v = r->explain[i].value;
            /* "%+.3f": a plus sign unless st_buf_fixed writes a minus. */
            if ((i && put(b, ",", 1)) || put(b, " ", 1) || put_display(b, name, strlen(name)) || put(b, " ", 1) ||
                (!signbit(v) && put(b, "+", 1)) || st_buf_fixed(b, v, 3) != ST_OK)
                return -1;
        }
        if (put(b, "\n", 1))
            return -1;
    }
    return 0;
}


int cli_write_record(FILE *fp, cli_format format, const cli_record *r)
{
    st_buf b = {0};
    int rc = cli_write_record_buf(fp, format, r, &b);
    st_buf_free(&b);
    return rc;
}

/* The record appended to `b` (its earlier bytes kept); on failure
 * nothing is appended. */
static int append_record(cli_format format, const cli_record *r, st_buf *b);

int cli_write_record_buf(FILE *fp, cli_format format, const cli_record *r, st_buf *scratch)
{
    scratch->len = 0;
    if (cli_append_record(scratch, format, r) != 0)
        return -1;
    return cli_flush_records(fp, scratch);
}

int cli_append_record(st_buf *out, cli_format format, const cli_record *r)
{
    /* Robustness (issue 7): a file name that is not UTF-8 made jansson
     * fail, reported as "out of memory" with no record written.  The doc
     * field gets U+FFFD for the bad bytes instead, in every format. */
    char *doc_copy = NULL;
    const char *doc = r->doc_utf8 ? r->doc : cli_utf8_name(r->doc, &doc_copy);
    if (!doc)
        return -1;
    cli_record fixed;
    if (doc_copy) {
        fixed = *r;
        fixed.doc = doc;
        r = &fixed;
    }
    int rc = append_record(format, r, out);
    free(doc_copy);
    return rc;
}

int cli_flush_records(FILE *fp, st_buf *out)
{
    size_t n = out->len;
    out->len = 0;
    if (n == 0)
        return 0; /* nothing written, nothing to check (as before: no record, no write) */
    if (fwrite(out->data, 1, n, fp) != n)
        return -1;
    return ferror(fp) ? -1 : 0;
}

static int append_record(cli_format format, const cli_record *r, st_buf *b)
{
    size_t len0 = b->len;
    /* Quote and sentence dominate; no reallocation for most records. */
    size_t guess = 256 + r->quote_len + r->sentence_len + r->sentence_len / 16;
    int rc = st_buf_reserve(b, guess) == ST_OK ? 0 : -1;
    if (rc == 0) {
        switch (format) {
        case CLI_FORMAT_JSONL: rc = jsonl_record(b, r); break;
        case CLI_FORMAT_TSV: rc = delimited_record(b, r, &tsv_format); break;
        case CLI_FORMAT_CSV: rc = delimited_record(b, r, &csv_format); break;
        case CLI_FORMAT_TABLE: rc = table_record(b, r); break;
        }
    }
    if (rc != 0)
        b->len = len0;
    return rc;
}
