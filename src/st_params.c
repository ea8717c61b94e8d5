/*
 * st_params.c - the parameter table: defaults, parsing, validation,
 * params.tsv.  See st_params.h; every per-parameter fact lives in the
 * ST_PARAMS table there.
 */
#include "st_params.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "st_util.h"

#if defined(__GNUC__)
#define ST_PRINTF_LIKE(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define ST_PRINTF_LIKE(fmt, args)
#endif

/* Longest piece of user text quoted inside a diagnostic. */
#define QUOTE_MAX 40

/* A row of the table and where its field lives in st_params.  The option
 * spelling (the name with '_' as '-') cannot be made by the preprocessor,
 * so info_table is filled once, under pthread_once. */
typedef struct param_row {
    st_param_info info;
    size_t offset; /* of the field in st_params */
} param_row;

#define ST_PARAM_ROW(name, type, def, range, help) \
    {{#name, NULL, type, def, range, help, 0}, offsetof(st_params, name)},
#define ST_PARAM_FEATURE_ROW(name, type, def, range, help) \
    {{#name, NULL, type, def, range, help, 1}, offsetof(st_params, name)},
static const param_row param_rows[] = {ST_PARAMS_MODEL(ST_PARAM_ROW) ST_PARAMS_FEATURES(ST_PARAM_FEATURE_ROW)};
#undef ST_PARAM_ROW
#undef ST_PARAM_FEATURE_ROW

#define PARAM_COUNT (sizeof param_rows / sizeof param_rows[0])

/* Option spellings, one per row, in the same order. */
#define ST_PARAM_OPTION(name, type, def, range, help) #name,
static const char *const param_names_raw[] = {ST_PARAMS(ST_PARAM_OPTION)};
#undef ST_PARAM_OPTION

/* The longest name fits this (checked by a static assertion below). */
#define OPTION_MAX 32
static char option_text[PARAM_COUNT][OPTION_MAX];
static st_param_info info_table[PARAM_COUNT];
static pthread_once_t info_once = PTHREAD_ONCE_INIT;

#define ST_PARAM_LEN_CHECK(name, type, def, range, help) \
    _Static_assert(sizeof(#name) <= OPTION_MAX, "parameter name too long");
ST_PARAMS(ST_PARAM_LEN_CHECK)
#undef ST_PARAM_LEN_CHECK

static void info_fill(void)
{
    for (size_t i = 0; i < PARAM_COUNT; i++) {
        const char *raw = param_names_raw[i];
        size_t k = 0;
        for (; raw[k] != '\0' && k + 1 < OPTION_MAX; k++)
            option_text[i][k] = raw[k] == '_' ? '-' : raw[k];
        option_text[i][k] = '\0';
        info_table[i] = param_rows[i].info;
        info_table[i].option = option_text[i];
    }
}

static void info_init(void)
{
    pthread_once(&info_once, info_fill);
}

size_t st_param_count(void)
{
    return PARAM_COUNT;
}

const st_param_info *st_param_info_at(size_t index)
{
    if (index >= PARAM_COUNT)
        return NULL;
    info_init();
    return &info_table[index];
}

/* Compares names treating '-' and '_' as the same. */
static int same_name(const char *a, const char *b)
{
    for (;; a++, b++) {
        char ca = *a == '-' ? '_' : *a;
        char cb = *b == '-' ? '_' : *b;
        if (ca != cb)
            return 0;
        if (ca == '\0')
            return 1;
    }
}

int st_param_find(const char *name)
{
    if (name == NULL)
        return -1;
    for (size_t i = 0; i < PARAM_COUNT; i++)
        if (same_name(name, param_rows[i].info.name))
            return (int)i;
    return -1;
}

static void set_message(st_diag *diag, const char *fmt, ...) ST_PRINTF_LIKE(2, 3);
static void set_message(st_diag *diag, const char *fmt, ...)
{
    if (diag == NULL)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(diag->message, sizeof diag->message, fmt, ap);
    va_end(ap);
}

/* Writes a quoted, shortened copy of s into out (for messages). */
static const char *shorten(const char *s, char *out, size_t size)
{
    size_t n = strlen(s);
    if (n + 1 <= size && n <= QUOTE_MAX) {
        memcpy(out, s, n + 1);
        return out;
    }
    size_t keep = QUOTE_MAX < size - 4 ? QUOTE_MAX : size - 4;
    /* Do not cut a UTF-8 sequence in half. */
    while (keep > 0 && ((unsigned char)s[keep] & 0xC0) == 0x80)
        keep--;
    memcpy(out, s, keep);
    memcpy(out + keep, "...", 4);
    return out;
}

/* ------------------------------------------------------------------ */
/* Values                                                              */

/* Reads an int with end-pointer and errno checks. */
static int parse_long(const char *s, long *out)
{
    if (*s == '\0' || *s == ' ' || *s == '\t')
        return 0;
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0')
        return 0;
    *out = v;
    return 1;
}

static int parse_double(const char *s, double *out)
{
    /* Plain decimal only: no hex, inf, nan or white space. */
    if (*s == '\0' || strspn(s, "0123456789+-.eE") != strlen(s))
        return 0;
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (errno != 0 || end == s || *end != '\0' || !isfinite(v))
        return 0;
    *out = v;
    return 1;
}

/* Splits "LO..HI" into doubles. */
static void range_bounds(const char *range, double *lo, double *hi)
{
    /* strtod would read "2." of "2..20" as a number: split at ".." first. */
    const char *dots = strstr(range, "..");
    char low[32];
    size_t n = dots ? (size_t)(dots - range) : strlen(range);
    if (n >= sizeof low)
        n = sizeof low - 1;
    memcpy(low, range, n);
    low[n] = '\0';
    *lo = strtod(low, NULL);
    *hi = dots ? strtod(dots + 2, NULL) : *lo;
}

/* The index of `value` among the '|'-separated choices, or -1. */
static int choice_index(const char *choices, const char *value)
{
    size_t vlen = strlen(value);
    int index = 0;
    const char *p = choices;
    for (;;) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (len == vlen && memcmp(p, value, len) == 0)
            return index;
        if (bar == NULL)
            return -1;
        p = bar + 1;
        index++;
    }
}

/* The choice `index` of the '|'-separated list, copied into out. */
static const char *choice_name(const char *choices, int index, char *out, size_t size)
{
    const char *p = choices;
    for (int i = 0; i < index; i++) {
        const char *bar = strchr(p, '|');
        if (bar == NULL) {
            out[0] = '\0';
            return out;
        }
        p = bar + 1;
    }
    const char *bar = strchr(p, '|');
    size_t len = bar ? (size_t)(bar - p) : strlen(p);
    if (len >= size)
        len = size - 1;
    memcpy(out, p, len);
    out[len] = '\0';
    return out;
}

static int parse_bool(const char *s, int *out)
{
    static const char *const yes[] = {"1", "yes", "true", "on"};
    static const char *const no[] = {"0", "no", "false", "off"};
    for (size_t i = 0; i < 4; i++) {
        if (strcmp(s, yes[i]) == 0) {
            *out = 1;
            return 1;
        }
        if (strcmp(s, no[i]) == 0) {
            *out = 0;
            return 1;
        }
    }
    return 0;
}

/* Parses value for row i into the field of p; a message on failure. */
static st_status parse_into(st_params *p, size_t i, const char *value, st_diag *diag)
{
    const param_row *row = &param_rows[i];
    char quoted[QUOTE_MAX + 8];
    char *field = (char *)p + row->offset;
    info_init();
    const char *opt = option_text[i];
    switch (row->info.type) {
    case ST_PARAM_INT: {
        long v;
        double lo, hi;
        range_bounds(row->info.range, &lo, &hi);
        if (!parse_long(value, &v)) {
            set_message(diag, "--%s: \"%s\" is not an integer", opt,
                        shorten(value, quoted, sizeof quoted));
            return ST_ERR_USAGE;
        }
        if ((double)v < lo || (double)v > hi || v < INT_MIN || v > INT_MAX) {
            set_message(diag, "--%s: \"%s\" is out of range %s", opt,
                        shorten(value, quoted, sizeof quoted), row->info.range);
            return ST_ERR_USAGE;
        }
        int iv = (int)v;
        memcpy(field, &iv, sizeof iv);
        return ST_OK;
    }
    case ST_PARAM_DOUBLE: {
        double v, lo, hi;
        range_bounds(row->info.range, &lo, &hi);
        if (!parse_double(value, &v)) {
            set_message(diag, "--%s: \"%s\" is not a number", opt,
                        shorten(value, quoted, sizeof quoted));
            return ST_ERR_USAGE;
        }
        if (v < lo || v > hi) {
            set_message(diag, "--%s: \"%s\" is out of range %s", opt,
                        shorten(value, quoted, sizeof quoted), row->info.range);
            return ST_ERR_USAGE;
        }
        memcpy(field, &v, sizeof v);
        return ST_OK;
    }
    case ST_PARAM_BOOL: {
        int v;
        if (!parse_bool(value, &v)) {
            set_message(diag, "--%s: \"%s\" is not 0 or 1", opt,
                        shorten(value, quoted, sizeof quoted));
            return ST_ERR_USAGE;
        }
        memcpy(field, &v, sizeof v);
        return ST_OK;
    }
    case ST_PARAM_ENUM: {
        int v = choice_index(row->info.range, value);
        if (v < 0) {
            set_message(diag, "--%s: \"%s\" is not one of %s", opt,
                        shorten(value, quoted, sizeof quoted), row->info.range);
            return ST_ERR_USAGE;
        }
        memcpy(field, &v, sizeof v);
        return ST_OK;
    }
    }
    return ST_ERR_USAGE;
}

void st_params_default(st_params *p)
{
    memset(p, 0, sizeof *p);
    for (size_t i = 0; i < PARAM_COUNT; i++) {
        /* Defaults are valid by construction (checked by test_params). */
        (void)parse_into(p, i, param_rows[i].info.default_value, NULL);
    }
}

st_status st_params_set(st_params *p, const char *name, const char *value,
                        st_diag *diag)
{
    char quoted[QUOTE_MAX + 8];
    if (name == NULL || value == NULL) {
        set_message(diag, "missing parameter name or value");
        return ST_ERR_USAGE;
    }
    int i = st_param_find(name);
    if (i < 0) {
        set_message(diag, "unknown parameter \"%s\"", shorten(name, quoted, sizeof quoted));
        return ST_ERR_USAGE;
    }
    st_params copy = *p;
    st_status status = parse_into(&copy, (size_t)i, value, diag);
    if (status == ST_OK)
        *p = copy;
    return status;
}

st_status st_params_validate(const st_params *p, st_diag *diag)
{
    char text[32];
    for (size_t i = 0; i < PARAM_COUNT; i++) {
        st_params scratch = *p;
        const param_row *row = &param_rows[i];
        const char *field = (const char *)p + row->offset;
        if (row->info.type == ST_PARAM_DOUBLE) {
            double v;
            memcpy(&v, field, sizeof v);
            double lo, hi;
            range_bounds(row->info.range, &lo, &hi);
            if (!isfinite(v) || v < lo || v > hi) {
                info_init();
                set_message(diag, "--%s: %g is out of range %s", option_text[i], v, row->info.range);
                return ST_ERR_USAGE;
            }
            continue;
        }
        int v;
        memcpy(&v, field, sizeof v);
        if (row->info.type == ST_PARAM_ENUM) {
            char name[32];
            if (v < 0 || choice_name(row->info.range, v, name, sizeof name)[0] == '\0') {
                info_init();
                set_message(diag, "--%s: choice %d is not one of %s", option_text[i], v, row->info.range);
                return ST_ERR_USAGE;
            }
            continue;
        }
        snprintf(text, sizeof text, "%d", v);
        st_status status = parse_into(&scratch, i, text, diag);
        if (status != ST_OK)
            return status;
    }
    return ST_OK;
}

const char *st_params_value(const st_params *p, size_t index, char *out, size_t size)
{
    if (size == 0)
        return out;
    out[0] = '\0';
    if (index >= PARAM_COUNT)
        return out;
    const param_row *row = &param_rows[index];
    const char *field = (const char *)p + row->offset;
    switch (row->info.type) {
    case ST_PARAM_INT:
    case ST_PARAM_BOOL: {
        int v;
        memcpy(&v, field, sizeof v);
        snprintf(out, size, "%d", v);
        break;
    }
    case ST_PARAM_ENUM: {
        int v;
        memcpy(&v, field, sizeof v);
        choice_name(row->info.range, v, out, size);
        break;
    }
    case ST_PARAM_DOUBLE: {
        double v;
        memcpy(&v, field, sizeof v);
        /* The shortest %g that reads back to the same double. */
        for (int precision = 1; precision <= 17; precision++) {
            snprintf(out, size, "%.*g", precision, v);
            if (strtod(out, NULL) == v)
                break;
        }
        break;
    }
    }
    return out;
}

/* ------------------------------------------------------------------ */
/* params.tsv                                                          */

st_status st_params_format(const st_params *p, char **text, size_t *size)
{
    st_buf buf = {0};
    char value[32];
    for (size_t i = 0; i < PARAM_COUNT; i++) {
        const char *name = param_rows[i].info.name;
        st_params_value(p, i, value, sizeof value);
        if (st_buf_append(&buf, name, strlen(name)) != ST_OK ||
            st_buf_push(&buf, '\t') != ST_OK ||
            st_buf_append(&buf, value, strlen(value)) != ST_OK ||
            st_buf_push(&buf, '\n') != ST_OK) {
            st_buf_free(&buf);
            return ST_ERR_NOMEM;
        }
    }
    buf.data[buf.len] = '\0';
    *text = buf.data;
    *size = buf.len;
    return ST_OK;
}

st_status st_params_write(const st_params *p, FILE *fp)
{
    char *text = NULL;
    size_t size = 0;
    st_status status = st_params_format(p, &text, &size);
    if (status != ST_OK)
        return status;
    if (fwrite(text, 1, size, fp) != size)
        status = ST_ERR_IO;
    free(text);
    return status;
}

st_status st_params_parse(const char *text, size_t size, const char *name,
                          st_params *p, st_diag *diag)
{
    st_params result;
    st_params_default(&result);
    unsigned char seen[PARAM_COUNT];
    memset(seen, 0, sizeof seen);
    st_buf line = {0};
    size_t lineno = 0, pos = 0;
    st_status status = ST_OK;
    char quoted[QUOTE_MAX + 8];

    while (pos < size) {
        lineno++;
        const char *start = text + pos;
        const char *nl = memchr(start, '\n', size - pos);
        size_t len = nl ? (size_t)(nl - start) : size - pos;
        pos += len + (nl != NULL);
        if (len > 0 && start[len - 1] == '\r')
            len--;
        if (memchr(start, '\0', len) != NULL) {
            status = ST_ERR_MODEL;
            set_message(diag, "NUL byte in line");
            break;
        }
        line.len = 0;
        if (st_buf_append(&line, start, len) != ST_OK || st_buf_reserve(&line, 0) != ST_OK) {
            status = ST_ERR_NOMEM;
            break;
        }
        line.data[line.len] = '\0';
        char *tab = strchr(line.data, '\t');
        if (tab == NULL) {
            status = ST_ERR_MODEL;
            set_message(diag, "expected \"name<TAB>value\"");
            break;
        }
        *tab = '\0';
        const char *key = line.data, *value = tab + 1;
        int i = -1;
        for (size_t k = 0; k < PARAM_COUNT; k++)
            if (strcmp(key, param_rows[k].info.name) == 0)
                i = (int)k;
        if (i < 0) {
            status = ST_ERR_MODEL;
            set_message(diag, "unknown parameter \"%s\"", shorten(key, quoted, sizeof quoted));
            break;
        }
        if (seen[i]) {
            status = ST_ERR_MODEL;
            set_message(diag, "parameter \"%s\" given twice", key);
            break;
        }
        seen[i] = 1;
        if (parse_into(&result, (size_t)i, value, diag) != ST_OK) {
            status = ST_ERR_MODEL;
            break;
        }
    }
    st_buf_free(&line);
    if (status != ST_OK) {
        if (diag != NULL) {
            diag->file = name;
            diag->line = lineno;
            diag->column = 0;
        }
        return status;
    }
    *p = result;
    return ST_OK;
}

int st_params_equal(const st_params *a, const st_params *b)
{
    for (size_t i = 0; i < PARAM_COUNT; i++) {
        const param_row *row = &param_rows[i];
        const char *fa = (const char *)a + row->offset;
        const char *fb = (const char *)b + row->offset;
        if (row->info.type == ST_PARAM_DOUBLE) {
            double x, y;
            memcpy(&x, fa, sizeof x);
            memcpy(&y, fb, sizeof y);
            if (x != y)
                return 0;
        } else {
            int x, y;
            memcpy(&x, fa, sizeof x);
            memcpy(&y, fb, sizeof y);
            if (x != y)
                return 0;
        }
    }
    return 1;
}
