/*
 * cli_jsonl.c - one JSONL article line: {"id": ..., "text": ..., other
 * keys passed through to the records}.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "st_util.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/*
 * The fast reader (issue 6): json_loadb built a jansson object for each
 * line, copied it whole for the passed-through keys and left the text to
 * be copied again; a fifth of `stance quotes`.  This reader handles what
 * articles look like: an object whose "text" is a string, "id" a string
 * or an integer, other keys anything.  It unescapes text and id into one
 * buffer and hands only the other members (if any) to jansson, as a small
 * object of their own, so their values are exactly what jansson made of
 * them before.  It accepts nothing jansson refuses: whatever it does not
 * understand or finds wrong (a bad escape, invalid UTF-8, a control byte,
 * a repeated "text" or "id", an odd number...) sends the line to the full
 * jansson parse, which then gives the same result or the same message.
 */
typedef struct fast_line {
    const char *p, *end;
} fast_line;

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void skip_ws(fast_line *l)
{
    while (l->p < l->end && is_ws(*l->p))
        l->p++;
}

static int hex4(const char *p, const char *end, uint32_t *v)
{
    if (end - p < 4)
        return 0;
    uint32_t x = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        x <<= 4;
        if (c >= '0' && c <= '9')
            x |= (uint32_t)(c - '0');
        else if (c >= 'a' && c <= 'f')
            x |= (uint32_t)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            x |= (uint32_t)(c - 'A' + 10);
        else
            return 0;
    }
    *v = x;
    return 1;
}

/*
 * Unescapes the string at l->p (just after its opening quote) into *at,
 * moving *at past it and l->p past the closing quote.  Returns 0 when the
 * string is not one jansson accepts.
 */
static int fast_string(fast_line *l, char **at)
{
    const unsigned char *p = (const unsigned char *)l->p, *end = (const unsigned char *)l->end;
    char *o = *at;
    for (;;) {
#ifdef __SSE2__
        /* Sixteen bytes at a time, copied before they are checked (the
         * buffer has room for a block past the line: fast_parse); as
         * signed bytes, controls and bytes >= 0x80 are both below 0x20. */
        const __m128i space = _mm_set1_epi8(0x20), quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
        unsigned mask = 0;
        while (end - p >= 16) {
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
            _mm_storeu_si128((__m128i *)(void *)o, x);
            mask = (unsigned)_mm_movemask_epi8(_mm_or_si128(
                _mm_cmplt_epi8(x, space), _mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, backslash))));
            if (mask != 0)
                break;
            p += 16;
            o += 16;
        }
        if (mask != 0) {
            unsigned k = (unsigned)__builtin_ctz(mask);
            p += k;
            o += k;
        } else
#endif
        {
            /* The last bytes of the line. */
            size_t run = st_json_plain_prefix((const char *)p, (size_t)(end - p));
            memcpy(o, p, run);
            p += run;
            o += run;
            if (p == end)
                return 0;
        }
        unsigned char c = *p;
        if (c >= 0x80) {
            /* Copied as it is once known to be UTF-8: E1..EC, EE..EF and
             * two continuation bytes (curly quotes, dashes) are. */
            if (end - p >= 3 && (unsigned char)(c - 0xE1) <= 0x0E && c != 0xED && (p[1] & 0xC0) == 0x80 &&
                (p[2] & 0xC0) == 0x80) {
                o[0] = (char)c;
                o[1] = (char)p[1];
                o[2] = (char)p[2];
                p += 3;
                o += 3;
                continue;
            }
            int32_t cp;
            size_t k = st_utf8_decode_any((const char *)p, (size_t)(end - p), &cp);
            if (cp < 0)
                return 0;
            memcpy(o, p, k);
            p += k;
            o += k;
            continue;
        }
        if (c == '"') {
            p++;
            break;
        }
        if (c != '\\' || end - p < 2)
            return 0; /* a control byte, or a backslash at the end */
        char e = (char)p[1];
        p += 2;
        switch (e) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '/': *o++ = '/'; break;
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'n': *o++ = '\n'; break;
        case 'r': *o++ = '\r'; break;
        case 't': *o++ = '\t'; break;
        case 'u': {
            uint32_t u;
            if (!hex4((const char *)p, (const char *)end, &u))
                return 0;
            p += 4;
            if (u >= 0xDC00 && u <= 0xDFFF)
                return 0;
            if (u >= 0xD800 && u <= 0xDBFF) {
                uint32_t lo;
                if (end - p < 6 || p[0] != '\\' || p[1] != 'u' || !hex4((const char *)p + 2, (const char *)end, &lo) ||
                    lo < 0xDC00 || lo > 0xDFFF)
                    return 0;
                p += 6;
                u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
            }
            /* Each escape is at least as long as its UTF-8 (6 bytes for at
             * most 3, 12 for 4), so the output never outgrows the line. */
            o += st_utf8_encode((int32_t)u, o);
            break;
        }
        default:
            return 0;
        }
    }
    l->p = (const char *)p;
    *at = o;
    return 1;
}

/* Steps over one JSON value, to a ',' '}' or white space outside it;
 * jansson checks the value later.  0 when its end is not found. */
static int skip_value(fast_line *l)
{
    int depth = 0;
    while (l->p < l->end) {
        char c = *l->p;
        if (c == '"') {
            for (l->p++; l->p < l->end && *l->p != '"'; l->p++)
                if (*l->p == '\\')
                    l->p++;
            if (l->p >= l->end)
                return 0;
            l->p++;
            if (depth == 0)
                return 1;
        } else if (c == '{' || c == '[') {
            depth++;
            l->p++;
        } else if (c == '}' || c == ']') {
            if (depth == 0)
                return 1;
            l->p++;
            if (--depth == 0)
                return 1;
        } else if (depth == 0 && (c == ',' || is_ws(c))) {
            return 1;
        } else {
            l->p++;
        }
    }
    return depth == 0;
}

/* An integer as jansson reads it (-?(0|[1-9][0-9]*), at most 18 digits
 * so it cannot overflow); 0 for anything else, reals included. */
static int fast_integer(fast_line *l, long long *v)
{
    const char *p = l->p;
    int neg = p < l->end && *p == '-';
    p += neg;
    const char *digits = p;
    while (p < l->end && *p >= '0' && *p <= '9')
        p++;
    size_t n = (size_t)(p - digits);
    if (n == 0 || n > 18 || (n > 1 && digits[0] == '0'))
        return 0;
    if (p < l->end && (*p == '.' || *p == 'e' || *p == 'E'))
        return 0;
    long long x = 0;
    for (const char *d = digits; d < p; d++)
        x = x * 10 + (*d - '0');
    *v = neg ? -x : x;
    l->p = p;
    return 1;
}

/* 1: parsed into *out; 0: let jansson parse the line; -1: out of memory. */
static int fast_parse(const char *line, size_t len, size_t lineno, cli_jsonl_article *out)
{
    fast_line l = {line, line + len};
    skip_ws(&l);
    if (l.p == l.end || *l.p != '{')
        return 0;
    l.p++;
    /* text, then id, unescaped: together never longer than the line;
     * fast_string stores sixteen bytes at a time (up to 15 past what it
     * keeps). */
    char *owned = malloc(len + 2 + 16);
    if (!owned)
        return -1;
    char *at = owned;
    const char *text = NULL, *id = NULL;
    size_t text_len = 0;
    int id_is_int = 0;
    long long id_int = 0;
    /* The other members, as "{" m1 "," m2 ... "}" for jansson. */
    st_buf others = {0};
    int ok = 0;
    for (;;) {
        skip_ws(&l);
        if (l.p == l.end || *l.p != '"')
            goto done;
        const char *key = ++l.p;
        while (l.p < l.end && *l.p != '"' && *l.p != '\\' && (unsigned char)*l.p >= 0x20)
            l.p++;
        if (l.p == l.end || *l.p != '"')
            goto done;
        size_t key_len = (size_t)(l.p - key);
        l.p++;
        skip_ws(&l);
        if (l.p == l.end || *l.p != ':')
            goto done;
        l.p++;
        skip_ws(&l);
        if (l.p == l.end)
            goto done;
        if (key_len == 4 && memcmp(key, "text", 4) == 0) {
            if (text || *l.p != '"')
                goto done;
            l.p++;
            text = at;
            if (!fast_string(&l, &at))
                goto done;
            text_len = (size_t)(at - text);
            *at++ = '\0';
        } else if (key_len == 2 && memcmp(key, "id", 2) == 0) {
            if (id || id_is_int)
                goto done;
            if (*l.p == '"') {
                l.p++;
                id = at;
                if (!fast_string(&l, &at))
                    goto done;
                *at++ = '\0';
            } else if (!fast_integer(&l, &id_int)) {
                goto done;
            } else {
                id_is_int = 1;
            }
        } else {
            const char *member = key - 1;
            if (!skip_value(&l))
                goto done;
            if (st_buf_append(&others, others.len ? "," : "{", 1) != ST_OK ||
                st_buf_append(&others, member, (size_t)(l.p - member)) != ST_OK) {
                ok = -1;
                goto done;
            }
        }
        skip_ws(&l);
        if (l.p == l.end)
            goto done;
        if (*l.p == '}') {
            l.p++;
            break;
        }
        if (*l.p != ',')
            goto done;
        l.p++;
    }
    skip_ws(&l);
    if (l.p != l.end || !text)
        goto done;
    json_t *extra = NULL;
    if (others.len) {
        if (st_buf_append(&others, "}", 1) != ST_OK) {
            ok = -1;
            goto done;
        }
        json_error_t err;
        extra = json_loadb(others.data, others.len, JSON_ALLOW_NUL, &err);
        if (!json_is_object(extra)) {
            json_decref(extra);
            goto done;
        }
        if (json_object_size(extra) == 0) {
            json_decref(extra);
            extra = NULL;
        }
    }
    memset(out, 0, sizeof *out);
    out->owned = owned;
    out->text = text;
    out->text_len = text_len;
    if (id) {
        out->id = id;
    } else {
        if (id_is_int)
            snprintf(out->idbuf, sizeof out->idbuf, "%lld", id_int);
        else
            snprintf(out->idbuf, sizeof out->idbuf, "%zu", lineno);
        out->id = out->idbuf;
    }
    out->extra = extra;
    st_buf_free(&others);
    return 1;
done:
    free(owned);
    st_buf_free(&others);
    return ok;
}

int cli_jsonl_parse(const char *line, size_t len, size_t lineno, cli_jsonl_article *out)
{
    int fast = fast_parse(line, len, lineno, out);
    if (fast != 0) {
        if (fast < 0) {
            memset(out, 0, sizeof *out);
            snprintf(out->message, sizeof out->message, "out of memory");
        }
        return fast > 0 ? 0 : -1;
    }
    memset(out, 0, sizeof *out);
    json_error_t err;
    json_t *obj = json_loadb(line, len, JSON_ALLOW_NUL, &err);
    if (!obj || !json_is_object(obj)) {
        out->has_column = 1;
        out->column = obj ? 1 : err.column;
        snprintf(out->message, sizeof out->message, "%s", obj ? "not a JSON object" : err.text);
        json_decref(obj);
        return 1;
    }
    json_t *text = json_object_get(obj, "text");
    if (!json_is_string(text)) {
        /* Issue 7: say which - absent, or there but not a string. */
        snprintf(out->message, sizeof out->message, "%s",
                 text ? "\"text\" is not a string" : "missing \"text\" string");
        json_decref(obj);
        return 1;
    }
    json_t *idv = json_object_get(obj, "id");
    if (json_is_string(idv))
        out->id = json_string_value(idv);
    else if (json_is_integer(idv)) {
        snprintf(out->idbuf, sizeof out->idbuf, "%lld", (long long)json_integer_value(idv));
        out->id = out->idbuf;
    } else {
        snprintf(out->idbuf, sizeof out->idbuf, "%zu", lineno);
        out->id = out->idbuf;
    }
    json_t *extra = json_deep_copy(obj);
    if (!extra) {
        snprintf(out->message, sizeof out->message, "out of memory");
        json_decref(obj);
        return -1;
    }
    json_object_del(extra, "text");
    json_object_del(extra, "id");
    if (json_object_size(extra) == 0) {
        json_decref(extra);
        extra = NULL;
    }
    out->object = obj;
    out->text = json_string_value(text);
    out->text_len = json_string_length(text);
    out->extra = extra;
    return 0;
}

void cli_jsonl_article_clear(cli_jsonl_article *article)
{
    json_decref(article->extra);
    json_decref(article->object);
    free(article->owned);
    article->owned = NULL;
    article->extra = NULL;
    article->object = NULL;
    article->text = NULL;
    article->id = NULL;
}
