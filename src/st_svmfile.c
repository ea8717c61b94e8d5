/*
 * st_svmfile.c - the strict reader of libsvm's text model.  See
 * st_svmfile.h for what is accepted.
 */
#include "st_svmfile.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct reader {
    const char *p, *end;
    size_t line;
    st_diag *diag;
} reader;

static st_status bad(reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static st_status bad(reader *r, const char *fmt, ...)
{
    if (r->diag) {
        r->diag->line = r->line;
        r->diag->column = 0;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(r->diag->message, sizeof r->diag->message, fmt, ap);
        va_end(ap);
    }
    return ST_ERR_MODEL;
}

/* The next line [*s, *e) without its newline; 0 at the end of the text,
 * -1 for a last line without a newline (svm_save_model ends every line). */
static int next_line(reader *r, const char **s, const char **e)
{
    if (r->p >= r->end)
        return 0;
    r->line++;
    const char *nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
    if (!nl)
        return -1;
    *s = r->p;
    *e = nl;
    r->p = nl + 1;
    return 1;
}

/* The next field of a line: 1 and [*fs, *fs + *fn); 0 at the end of the
 * line; -1 for an empty field (two spaces, a leading space, a tab...). */
static int next_field(const char **pos, const char *eol, const char **fs, size_t *fn)
{
    const char *p = *pos;
    if (p >= eol)
        return 0;
    const char *q = p;
    while (q < eol && *q != ' ')
        q++;
    if (q == p)
        return -1;
    *fs = p;
    *fn = (size_t)(q - p);
    *pos = q < eol ? q + 1 : q; /* one space; a trailing one ends the line */
    return 1;
}

/* Powers of ten that doubles hold exactly. */
static const double exact_pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                     1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/*
 * A finite decimal: [+-]digits[.digits][(e|E)[+-]digits], at least one
 * digit before the exponent.  Up to 15 significant digits and a decimal
 * exponent within +-22, the value is one exact integer times or divided
 * by one exact power of ten, so one correctly rounded operation gives
 * what strtod gives; anything else goes to strtod.
 */
static int parse_double(const char *s, size_t n, double *out)
{
    const char *p = s, *end = s + n;
    int neg = 0;
    if (p < end && (*p == '-' || *p == '+'))
        neg = *p++ == '-';
    /* Up to 19 digits (leading zeros included) go into mant; with at most
     * 15 of them the value is below 2^53 and exact. */
    uint64_t mant = 0;
    int nd = 0, exp10 = 0, digits = 0, dropped = 0;
    unsigned d;
    for (; p < end && (d = (unsigned)(*p - '0')) < 10; p++, digits++) {
        if (nd < 19) {
            mant = mant * 10 + d;
            nd++;
        } else {
            exp10++; /* a digit past the 19th: only strtod is exact */
            dropped = 1;
        }
    }
    if (p < end && *p == '.') {
        for (p++; p < end && (d = (unsigned)(*p - '0')) < 10; p++, digits++) {
            if (nd < 19) {
                mant = mant * 10 + d;
                nd++;
                exp10--;
            } else {
                dropped = 1;
            }
        }
    }
    if (digits == 0)
        return 0;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        int eneg = 0;
        if (p < end && (*p == '-' || *p == '+'))
            eneg = *p++ == '-';
        int e = 0, edigits = 0;
        for (; p < end && (d = (unsigned)(*p - '0')) < 10; p++, edigits++)
            if (e < 10000)
                e = e * 10 + (int)d;
        if (edigits == 0)
            return 0;
        exp10 += eneg ? -e : e;
    }
    if (p != end)
        return 0;
    if (mant == 0 && !dropped) {
        *out = neg ? -0.0 : 0.0;
        return 1;
    }
    if (!dropped && nd <= 15 && exp10 >= -22 && exp10 <= 22) {
        double v = (double)mant;
        v = exp10 < 0 ? v / exact_pow10[-exp10] : v * exact_pow10[exp10];
        *out = neg ? -v : v;
        return 1;
    }
    char buf[64];
    if (n >= sizeof buf)
        return 0;
    memcpy(buf, s, n);
    buf[n] = '\0';
    char *stop;
    errno = 0;
    double v = strtod(buf, &stop);
    if (stop != buf + n || !isfinite(v))
        return 0;
    *out = v;
    return 1;
}

/*
 * The values of model.svm repeat: each support vector is an L2-normalised
 * tf vector, so most of its values are one number, and the same strings
 * recur from line to line (175,000 values, 4,000 distinct strings in the
 * default model).  A small direct-mapped cache of number strings already
 * read (pointers into the text, alive for the whole parse) gives a
 * repeated string the value parse_double gave it, exactly, after one
 * short comparison.
 */
#define VALUE_CACHE_SIZE 256

typedef struct value_cache {
    const char *s[VALUE_CACHE_SIZE];
    size_t n[VALUE_CACHE_SIZE];
    double v[VALUE_CACHE_SIZE];
} value_cache;

static size_t value_slot(const char *s, size_t n)
{
    /* The last digits vary the most between strings of one length. */
    unsigned h = (unsigned)n * 0x9Du;
    h ^= (unsigned char)s[n - 1] * 0x3Bu;
    if (n > 1)
        h ^= (unsigned char)s[n - 2] * 0x1Fu;
    if (n > 2)
        h += (unsigned char)s[n - 3] * 0x07u;
    return (h ^ (h >> 8)) & (VALUE_CACHE_SIZE - 1);
}

/* parse_double through the cache. */
static int cached_double(value_cache *c, const char *s, size_t n, double *out)
{
    if (n == 0)
        return 0;
    size_t slot = value_slot(s, n);
    if (c->n[slot] == n && memcmp(c->s[slot], s, n) == 0) {
        *out = c->v[slot];
        return 1;
    }
    if (!parse_double(s, n, out))
        return 0;
    c->s[slot] = s;
    c->n[slot] = n;
    c->v[slot] = *out;
    return 1;
}

/* Digits only, at most `max`. */
static int parse_count(const char *s, size_t n, long max, long *out)
{
    if (n == 0 || n > 10)
        return 0;
    long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    if (v > max)
        return 0;
    *out = v;
    return 1;
}

/* Reads the next line, which must start with the field `key`; *pos and
 * *eol delimit the rest. */
static st_status keyed_line(reader *r, const char *key, const char **pos, const char **eol)
{
    const char *s, *e;
    int got = next_line(r, &s, &e);
    if (got == 0) {
        r->line++; /* the line that should be there */
        return bad(r, "missing \"%s\" (truncated model)", key);
    }
    if (got < 0)
        return bad(r, "the last line has no newline (truncated model)");
    const char *fs;
    size_t fn;
    const char *p = s;
    if (next_field(&p, e, &fs, &fn) != 1 || fn != strlen(key) || memcmp(fs, key, fn) != 0) {
        int shown = (int)(e - s > 40 ? 40 : e - s);
        return bad(r, "expected \"%s\", found \"%.*s\"", key, shown, s);
    }
    *pos = p;
    *eol = e;
    return ST_OK;
}

/* The next line's first field is `key` (the line is not consumed). */
static int peek_key(const reader *r, const char *key)
{
    size_t n = strlen(key);
    return (size_t)(r->end - r->p) > n && memcmp(r->p, key, n) == 0 && (r->p[n] == ' ' || r->p[n] == '\n');
}

/* Exactly `count` numbers after the key. */
static st_status number_list(reader *r, const char *key, const char *pos, const char *eol, double *out,
                             size_t count)
{
    const char *fs;
    size_t fn, i = 0;
    int got;
    while ((got = next_field(&pos, eol, &fs, &fn)) == 1) {
        if (i == count)
            return bad(r, "\"%s\": more than %zu values", key, count);
        if (!parse_double(fs, fn, &out[i]))
            return bad(r, "\"%s\": \"%.*s\" is not a finite number", key, (int)(fn > 40 ? 40 : fn), fs);
        i++;
    }
    if (got < 0)
        return bad(r, "\"%s\": empty field (stray space or tab)", key);
    if (i != count)
        return bad(r, "\"%s\": %zu values, expected %zu", key, i, count);
    return ST_OK;
}

static st_status count_list(reader *r, const char *key, const char *pos, const char *eol, long max, long *out,
                            size_t count)
{
    const char *fs;
    size_t fn, i = 0;
    int got;
    while ((got = next_field(&pos, eol, &fs, &fn)) == 1) {
        if (i == count)
            return bad(r, "\"%s\": more than %zu values", key, count);
        if (!parse_count(fs, fn, max, &out[i]))
            return bad(r, "\"%s\": \"%.*s\" is not a whole number in 0..%ld", key, (int)(fn > 40 ? 40 : fn), fs,
                       max);
        i++;
    }
    if (got < 0)
        return bad(r, "\"%s\": empty field (stray space or tab)", key);
    if (i != count)
        return bad(r, "\"%s\": %zu values, expected %zu", key, i, count);
    return ST_OK;
}

/* A line "key VALUE" with one word value. */
static st_status word_line(reader *r, const char *key, const char **word, size_t *len)
{
    const char *pos, *eol;
    st_status status = keyed_line(r, key, &pos, &eol);
    if (status != ST_OK)
        return status;
    const char *extra;
    size_t en;
    if (next_field(&pos, eol, word, len) != 1 || next_field(&pos, eol, &extra, &en) != 0)
        return bad(r, "\"%s\" takes one value", key);
    return ST_OK;
}

static int word_is(const char *w, size_t n, const char *s)
{
    return n == strlen(s) && memcmp(w, s, n) == 0;
}

typedef struct parts {
    int k, kernel;
    double gamma;
    long l;
    double rho[64], prob_a[64], prob_b[64];
    int has_prob;
    long label[16], nsv[16];
    double **coef;
    struct svm_node **sv;
    struct svm_node *nodes;
    double *weights; /* linear, folded: the per-pair weights instead of the above (borrowed) */
} parts;

static void parts_free(parts *m)
{
    if (m->coef)
        for (int i = 0; i < m->k - 1; i++)
            free(m->coef[i]);
    free(m->coef);
    free(m->sv);
    free(m->nodes);
}

static st_status read_header(reader *r, int max_class, parts *m)
{
    /* Initialised for -O3, which cannot see that word_line sets them. */
    const char *w = NULL, *pos = NULL, *eol = NULL;
    size_t wn = 0;
    st_status status;
    if ((status = word_line(r, "svm_type", &w, &wn)) != ST_OK)
        return status;
    if (!word_is(w, wn, "c_svc"))
        return bad(r, "svm_type \"%.*s\": only c_svc models are read", (int)(wn > 40 ? 40 : wn), w);
    if ((status = word_line(r, "kernel_type", &w, &wn)) != ST_OK)
        return status;
    if (word_is(w, wn, "linear"))
        m->kernel = LINEAR;
    else if (word_is(w, wn, "rbf"))
        m->kernel = RBF;
    else
        return bad(r, "kernel_type \"%.*s\": only linear and rbf are read", (int)(wn > 40 ? 40 : wn), w);
    if (m->kernel == RBF) {
        if ((status = keyed_line(r, "gamma", &pos, &eol)) != ST_OK ||
            (status = number_list(r, "gamma", pos, eol, &m->gamma, 1)) != ST_OK)
            return status;
        if (!(m->gamma > 0))
            return bad(r, "gamma must be positive");
    }
    long k = 0;
    if ((status = keyed_line(r, "nr_class", &pos, &eol)) != ST_OK ||
        (status = count_list(r, "nr_class", pos, eol, max_class, &k, 1)) != ST_OK)
        return status;
    if (k < 2)
        return bad(r, "nr_class %ld: a classifier has 2 to %d classes", k, max_class);
    m->k = (int)k;
    size_t pairs = (size_t)(k * (k - 1) / 2);
    if ((status = keyed_line(r, "total_sv", &pos, &eol)) != ST_OK ||
        (status = count_list(r, "total_sv", pos, eol, INT_MAX, &m->l, 1)) != ST_OK)
        return status;
    if (m->l < 1)
        return bad(r, "total_sv is 0: a model has support vectors");
    if ((status = keyed_line(r, "rho", &pos, &eol)) != ST_OK ||
        (status = number_list(r, "rho", pos, eol, m->rho, pairs)) != ST_OK)
        return status;
    if ((status = keyed_line(r, "label", &pos, &eol)) != ST_OK ||
        (status = count_list(r, "label", pos, eol, max_class - 1, m->label, (size_t)k)) != ST_OK)
        return status;
    for (int i = 0; i < k; i++)
        for (int j = 0; j < i; j++)
            if (m->label[i] == m->label[j])
                return bad(r, "label %ld listed twice", m->label[i]);
    if (peek_key(r, "probA")) {
        if ((status = keyed_line(r, "probA", &pos, &eol)) != ST_OK ||
            (status = number_list(r, "probA", pos, eol, m->prob_a, pairs)) != ST_OK ||
            (status = keyed_line(r, "probB", &pos, &eol)) != ST_OK ||
            (status = number_list(r, "probB", pos, eol, m->prob_b, pairs)) != ST_OK)
            return status;
        m->has_prob = 1;
    }
    if ((status = keyed_line(r, "nr_sv", &pos, &eol)) != ST_OK ||
        (status = count_list(r, "nr_sv", pos, eol, INT_MAX, m->nsv, (size_t)k)) != ST_OK)
        return status;
    long sum = 0;
    for (int i = 0; i < k; i++)
        sum += m->nsv[i];
    if (sum != m->l)
        return bad(r, "nr_sv adds up to %ld, total_sv is %ld", sum, m->l);
    if ((status = keyed_line(r, "SV", &pos, &eol)) != ST_OK)
        return status;
    if (pos != eol)
        return bad(r, "\"SV\" takes no value");
    return ST_OK;
}

/*
 * The ':' in [p, end), eight bytes at a time (this pass over the whole
 * text cost more than the rest of the parse): a byte of x equal to ':'
 * is a zero byte of y, which the carry-free test below marks with its
 * high bit, exactly (no false positives); the marks add up per byte lane
 * for up to 255 words, then the lanes are summed.
 */
static size_t count_colons(const char *p, const char *end)
{
    const uint64_t ones = 0x0101010101010101ULL, low7 = 0x7f7f7f7f7f7f7f7fULL;
    size_t total = 0;
    while ((size_t)(end - p) >= 8) {
        uint64_t lanes = 0;
        for (int i = 0; i < 255 && (size_t)(end - p) >= 8; i++, p += 8) {
            uint64_t x;
            memcpy(&x, p, 8);
            uint64_t y = x ^ (ones * ':');
            uint64_t t = ((y & low7) + low7) | y; /* high bit clear: y's byte is 0 */
            lanes += (~t >> 7) & ones;
        }
        total += (size_t)((lanes * ones) >> 56);
    }
    for (; p < end; p++)
        total += *p == ':';
    return total;
}

/* The length of the field at s: up to the next space or eol. */
static size_t field_length(const char *s, const char *eol)
{
    const char *q = s;
    while (q < eol && *q != ' ')
        q++;
    return (size_t)(q - s);
}

/*
 * The leading ASCII digits of p[0..8), eight bytes at a time: how many
 * there are (0..8) and, in *value, the number they spell.  A byte is a
 * digit when its high nibble is 3 and adding 6 leaves it there; a carry
 * out of a byte (0xFA and up, not a digit) can only spoil the bytes after
 * it, past the first non-digit.  The bytes must be readable; on a
 * big-endian machine the plain loop runs.
 */
static inline unsigned leading_digits(const char *p, uint64_t *value)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && (defined(__GNUC__) || defined(__clang__))
    const uint64_t high = 0xF0F0F0F0F0F0F0F0ULL, threes = 0x3030303030303030ULL;
    uint64_t x;
    memcpy(&x, p, 8);
    uint64_t bad = ((x & high) ^ threes) | (((x + 0x0606060606060606ULL) & high) ^ threes);
    unsigned n = bad ? (unsigned)__builtin_ctzll(bad) / 8 : 8;
    if (n == 0) {
        *value = 0;
        return 0;
    }
    /* The n digits as byte values, moved to the top bytes (leading zeros
     * below them), then paired: 2, 4, 8 digits per lane. */
    x = (x - threes) << (8 * (8 - n));
    x = (x * 10 + (x >> 8)) & 0x00FF00FF00FF00FFULL;
    x = (x * 100 + (x >> 16)) & 0x0000FFFF0000FFFFULL;
    x = (x * 10000 + (x >> 32)) & 0xFFFFFFFFULL;
    *value = x;
    return n;
#else
    uint64_t v = 0;
    unsigned n = 0, d;
    while (n < 8 && (d = (unsigned)(p[n] - '0')) < 10) {
        v = v * 10 + d;
        n++;
    }
    *value = v;
    return n;
#endif
}

/*
 * What svm_save_model's "%.8g" writes for almost every value of an
 * L2-normalised vector: "0." and up to 14 digits, then a space or the
 * newline.  Such a value is its digits over a power of ten, both exact
 * doubles, so the one division is what parse_double (and strtod) gives.
 * Returns the end of the field, or NULL for any other form (read then by
 * the general path).  s is inside a line that ends at eol, a '\n'.
 */
static const char *short_fraction(const char *s, const char *eol, double *out)
{
    if (s[0] != '0' || s[1] != '.')
        return NULL;
    const char *p = s + 2;
    uint64_t mant = 0;
    unsigned d;
    if (eol - p >= 8) {
        unsigned n = leading_digits(p, &mant);
        p += n;
        if (n < 8)
            goto end;
    }
    while (p - s < 16 && (d = (unsigned)(*p - '0')) < 10) {
        mant = mant * 10 + d;
        p++;
    }
end:
    if (*p != ' ' && *p != '\n')
        return NULL;
    *out = (double)mant / exact_pow10[p - s - 2];
    return p;
}

static st_status vectors_body(reader *r, size_t max_index, parts *m, value_cache *cache, size_t nnodes);

static st_status read_vectors(reader *r, size_t max_index, parts *m)
{
    /* Every node is one "INDEX:VALUE" (one ':') and every vector ends in
     * a terminator (one line): counting both bounds the node block, and
     * the shortest line ("0\n") bounds the number of lines. */
    size_t left = (size_t)(r->end - r->p);
    if ((size_t)m->l > left / 2)
        return bad(r, "total_sv %ld, but the rest of the file cannot hold that many lines", m->l);
    value_cache *cache;
    if (m->weights) {
        /* Folded: no vectors kept, nothing to size. */
        if (!(cache = calloc(1, sizeof *cache)))
            return ST_ERR_NOMEM;
        st_status status = vectors_body(r, max_index, m, cache, 0);
        free(cache);
        return status;
    }
    size_t colons = count_colons(r->p, r->end);
    size_t l = (size_t)m->l, nnodes = colons + l;
    m->coef = calloc((size_t)(m->k - 1), sizeof *m->coef);
    m->sv = malloc(l * sizeof *m->sv);
    m->nodes = malloc(nnodes * sizeof *m->nodes);
    if (!m->coef || !m->sv || !m->nodes)
        return ST_ERR_NOMEM;
    for (int i = 0; i < m->k - 1; i++)
        if (!(m->coef[i] = malloc(l * sizeof **m->coef)))
            return ST_ERR_NOMEM;
    if (!(cache = calloc(1, sizeof *cache)))
        return ST_ERR_NOMEM;
    st_status status = vectors_body(r, max_index, m, cache, nnodes);
    free(cache);
    return status;
}

/*
 * The support vectors, checked line by line.  Kept as libsvm's node
 * block, or, folded (m->weights), added into the pairwise weight vectors
 * w = sum(coef * SV) as they are read: the weights of feature f at
 * weights[f * npairs], pair p = (i, j) taking coefficient sv_coef[j-1]
 * from class i's vectors and sv_coef[i] from class j's, as libsvm's
 * svm_predict_values does.  The file lists class i's vectors before class
 * j's, so each weight receives the same products in the same order as a
 * loop over the kept vectors, pair by pair, would add them: the same
 * sums to the last bit.
 */
static st_status vectors_body(reader *r, size_t max_index, parts *m, value_cache *cache, size_t nnodes)
{
    size_t l = (size_t)m->l, used = 0;
    double *w = m->weights;
    size_t npairs = (size_t)m->k * (size_t)(m->k - 1) / 2;
    long class_end = m->nsv[0]; /* folded: the vectors of class cls end there */
    int cls = 0;
    double cf[15];        /* this line's coefficients (k <= 16) */
    size_t pair_at[15];   /* folded: the pairs of this line's class... */
    double pair_coef[15]; /* ...and the coefficient of each */
    int npc = 0;
    for (size_t i = 0; i < l; i++) {
        const char *s, *e;
        int got = next_line(r, &s, &e);
        if (got == 0) {
            r->line++;
            return bad(r, "%zu support vector lines, total_sv says %ld", i, m->l);
        }
        if (got < 0)
            return bad(r, "the last line has no newline (truncated model)");
        const char *pos = s, *fs;
        size_t fn;
        for (int c = 0; c < m->k - 1; c++) {
            got = next_field(&pos, e, &fs, &fn);
            if (got != 1)
                return bad(r, "a support vector line starts with %d coefficients", m->k - 1);
            if (!cached_double(cache, fs, fn, w ? &cf[c] : &m->coef[c][i]))
                return bad(r, "coefficient \"%.*s\" is not a finite number", (int)(fn > 40 ? 40 : fn), fs);
        }
        if (w) {
            while ((long)i >= class_end && cls + 1 < m->k)
                class_end += m->nsv[++cls];
            npc = 0;
            size_t p = 0;
            for (int a = 0; a < m->k; a++) {
                for (int b = a + 1; b < m->k; b++, p++) {
                    if (a == cls) {
                        pair_at[npc] = p;
                        pair_coef[npc++] = cf[b - 1];
                    } else if (b == cls) {
                        pair_at[npc] = p;
                        pair_coef[npc++] = cf[a];
                    }
                }
            }
        } else {
            m->sv[i] = m->nodes + used;
        }
        long last = 0;
        /* The nodes, in one pass over the bytes (no separate scan for each
         * field's end): the line ends at e, a '\n', which stops every
         * digit loop below, so none needs a bound of its own. */
        while (pos < e) {
            if (*pos == ' ')
                return bad(r, "empty field (stray space or tab)");
            fs = pos;
            /* The index: up to ten digits, then the colon; the first eight
             * at once when the line has them, the rest one by one. */
            const char *colon = fs;
            long index = 0;
            unsigned d, n = 0;
            if (e - fs >= 8) {
                uint64_t v;
                n = leading_digits(fs, &v);
                index = (long)v;
                colon += n;
            }
            if (n == 0 || n == 8) {
                while (colon - fs < 10 && (d = (unsigned)(*colon - '0')) < 10) {
                    index = index * 10 + (long)d;
                    colon++;
                }
            }
            if (colon == fs || *colon != ':' || index > INT_MAX) {
                fn = field_length(fs, e);
                return bad(r, "\"%.*s\" is not INDEX:VALUE", (int)(fn > 40 ? 40 : fn), fs);
            }
            if (index <= last)
                return bad(r, "feature index %ld after %ld (indices must increase)", index, last);
            if (index < 1 || (size_t)index > max_index)
                return bad(r, "feature index %ld outside the vocabulary (1..%zu)", index, max_index);
            if (!w && used + 1 >= nnodes) /* cannot happen: one ':' per node */
                return bad(r, "more nodes than the file holds");
            double value;
            const char *v = colon + 1, *t = short_fraction(v, e, &value);
            if (!t) {
                /* Anything else: the whole field through the cache. */
                size_t vn = field_length(v, e);
                if (!cached_double(cache, v, vn, &value))
                    return bad(r, "feature value \"%.*s\" is not a finite number", (int)(vn > 40 ? 40 : vn), v);
                t = v + vn;
            }
            if (w) {
                double *wf = w + (size_t)index * npairs;
                for (int c = 0; c < npc; c++)
                    wf[pair_at[c]] += pair_coef[c] * value;
            } else {
                m->nodes[used].value = value;
                m->nodes[used].index = (int)index;
                used++;
            }
            last = index;
            pos = t < e ? t + 1 : t; /* one space; a trailing one ends the line */
        }
        if (w)
            continue;
        if (used >= nnodes)
            return bad(r, "more nodes than the file holds");
        m->nodes[used].index = -1;
        m->nodes[used].value = 0;
        used++;
    }
    if (r->p != r->end) {
        r->line++;
        return bad(r, "text after the last of the %ld support vectors", m->l);
    }
    return ST_OK;
}

/* header_only: stop at the "SV" line, as if folded (no vectors kept). */
static st_status parse_model(const char *text, size_t size, int max_class, size_t max_index, double *weights,
                             int header_only, struct svm_model **out, int *folded, st_diag *diag)
{
    *out = NULL;
    *folded = 0;
    if (max_class < 2 || max_class > 16)
        return ST_ERR_USAGE;
    reader r = {text, text + size, 0, diag};
    parts m;
    memset(&m, 0, sizeof m);
    st_status status = read_header(&r, max_class, &m);
    if (status == ST_OK && weights && m.kernel == LINEAR)
        m.weights = weights;
    if (status == ST_OK && !header_only)
        status = read_vectors(&r, max_index, &m);
    struct svm_model *model = NULL;
    int k = m.k;
    size_t pairs = (size_t)k * (size_t)(k - 1) / 2;
    if (status == ST_OK) {
        model = calloc(1, sizeof *model);
        if (model) {
            model->rho = malloc(pairs * sizeof *model->rho);
            model->label = malloc((size_t)k * sizeof *model->label);
            model->nSV = malloc((size_t)k * sizeof *model->nSV);
            if (m.has_prob) {
                model->probA = malloc(pairs * sizeof *model->probA);
                model->probB = malloc(pairs * sizeof *model->probB);
            }
        }
        if (!model || !model->rho || !model->label || !model->nSV ||
            (m.has_prob && (!model->probA || !model->probB)))
            status = ST_ERR_NOMEM;
    }
    if (status != ST_OK) {
        if (model) {
            free(model->rho);
            free(model->label);
            free(model->nSV);
            free(model->probA);
            free(model->probB);
            free(model);
        }
        parts_free(&m);
        if (status == ST_ERR_NOMEM && diag)
            snprintf(diag->message, sizeof diag->message, "out of memory");
        return status;
    }
    model->param.svm_type = C_SVC;
    model->param.kernel_type = m.kernel;
    model->param.gamma = m.gamma;
    model->nr_class = k;
    model->l = (int)m.l;
    for (size_t p = 0; p < pairs; p++) {
        model->rho[p] = m.rho[p];
        if (m.has_prob) {
            model->probA[p] = m.prob_a[p];
            model->probB[p] = m.prob_b[p];
        }
    }
    for (int i = 0; i < k; i++) {
        model->label[i] = (int)m.label[i];
        model->nSV[i] = (int)m.nsv[i];
    }
    model->sv_coef = m.coef;
    model->SV = m.sv;
    /* SV[0] is the node block, as svm_load_model makes it; folded, there
     * is none (SV and sv_coef NULL), and libsvm's free must not look. */
    model->free_sv = m.sv ? 1 : 0;
    *folded = m.weights != NULL;
    *out = model;
    return ST_OK;
}

st_status st_svmfile_parse(const char *text, size_t size, int max_class, size_t max_index,
                           struct svm_model **out, st_diag *diag)
{
    int folded;
    return parse_model(text, size, max_class, max_index, NULL, 0, out, &folded, diag);
}

st_status st_svmfile_parse_header(const char *text, size_t size, int max_class, struct svm_model **out,
                                  st_diag *diag)
{
    int folded;
    return parse_model(text, size, max_class, 0, NULL, 1, out, &folded, diag);
}

st_status st_svmfile_parse_folded(const char *text, size_t size, int max_class, size_t max_index,
                                  double *weights, struct svm_model **out, int *folded, st_diag *diag)
{
    return parse_model(text, size, max_class, max_index, weights, 0, out, folded, diag);
}
