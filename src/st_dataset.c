/* st_dataset.c - labelled quote tables: header by name, rows streamed or kept. */
#include "st_dataset.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "st_sha256.h"
#include "st_util.h"

static const char *const label_names[ST_LABEL_COUNT] = {"threatening", "conciliatory", "neutral"};

const char *st_label_name(int label)
{
    return label >= 0 && label < ST_LABEL_COUNT ? label_names[label] : NULL;
}

int st_label_parse(const char *text, size_t len)
{
    for (int i = 0; i < ST_LABEL_COUNT; i++) {
        if (strlen(label_names[i]) == len && memcmp(label_names[i], text, len) == 0)
            return i;
    }
    return ST_LABEL_NONE;
}

/* ------------------------------------------------------------------ */

enum { COL_ID, COL_LABEL, COL_QUOTE, COL_SENTENCE, COL_SPEAKER, COL_COUNT };
static const char *const column_names[COL_COUNT] = {"id", "label", "quote", "sentence", "speaker"};

struct st_tsv_reader {
    FILE *fp;
    const char *name;
    int flags;
    int column[COL_COUNT]; /* field index of each known column, -1 if absent */
    size_t nfields;        /* fields of the header */
    char *line;            /* getline buffer */
    size_t cap;
    size_t lineno;
    size_t *starts;        /* field starts in line, nfields of them */
    st_sha256 sha;         /* of every byte read */
};

static st_status fail(st_diag *diag, st_status status, const char *name, size_t line, size_t column,
                      const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static st_status fail(st_diag *diag, st_status status, const char *name, size_t line, size_t column,
                      const char *fmt, ...)
{
    if (diag) {
        st_diag_clear(diag);
        diag->file = name;
        diag->line = line;
        diag->column = column;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(diag->message, sizeof diag->message, fmt, ap);
        va_end(ap);
    }
    return status;
}

/*
 * Reads the next line into r->line without its line end.  Returns 1 with
 * *len set, 0 at the end of the input, or -1 on a read error.
 */
static int read_line(st_tsv_reader *r, size_t *len)
{
    errno = 0;
    ssize_t n = getline(&r->line, &r->cap, r->fp);
    if (n < 0) /* the end, a read error, or no memory for the line */
        return ferror(r->fp) || !feof(r->fp) ? -1 : 0;
    r->lineno++;
    if (!(r->flags & ST_TSV_NO_CHECKSUM))
        st_sha256_update(&r->sha, r->line, (size_t)n);
    size_t l = (size_t)n;
    if (l && r->line[l - 1] == '\n')
        l--;
    if (l && r->line[l - 1] == '\r')
        l--;
    r->line[l] = '\0';
    *len = l;
    return 1;
}

/* NUL bytes and invalid UTF-8: the first offending byte, or (size_t)-1. */
static size_t check_text(const char *s, size_t n, const char **why)
{
    size_t i = st_utf8_clean_prefix(s, n);
    if (i == n)
        return (size_t)-1;
    int32_t cp;
    st_utf8_decode(s + i, n - i, &cp);
    *why = cp < 0 ? "invalid UTF-8" : "NUL byte";
    return i;
}

/*
 * Splits the line at its tabs (in place: tabs become NULs), one memchr
 * per field.  On a count other than the header's, *count is the line's
 * field count (the rest of the line is counted for the message).
 */
static st_status split_fields(st_tsv_reader *r, size_t len, size_t *count)
{
    char *line = r->line, *end = line + len, *at = line;
    size_t k = 0;
    r->starts[k++] = 0;
    char *tab;
    while ((tab = memchr(at, '\t', (size_t)(end - at))) != NULL) {
        if (k == r->nfields) { /* too many: count them all */
            size_t n = k;
            for (; tab; tab = memchr(tab + 1, '\t', (size_t)(end - tab - 1)))
                n++;
            *count = n;
            return ST_ERR_INPUT;
        }
        *tab = '\0';
        at = tab + 1;
        r->starts[k++] = (size_t)(at - line);
    }
    *count = k;
    return k == r->nfields ? ST_OK : ST_ERR_INPUT;
}

static st_status io_error(st_tsv_reader *r, st_diag *diag)
{
    int e = errno ? errno : EIO;
    return fail(diag, ST_ERR_IO, r->name, 0, 0, "read error: %s", strerror(e));
}

st_status st_tsv_reader_new(FILE *fp, const char *name, int flags, st_tsv_reader **out, st_diag *diag)
{
    *out = NULL;
    st_tsv_reader *r = calloc(1, sizeof *r);
    if (!r)
        return fail(diag, ST_ERR_NOMEM, name, 0, 0, "out of memory");
    r->fp = fp;
    r->name = name;
    r->flags = flags; /* before the first read_line */
    st_sha256_init(&r->sha);
    for (int c = 0; c < COL_COUNT; c++)
        r->column[c] = -1;
    st_status status = ST_OK;
    size_t len = 0;
    int got = read_line(r, &len);
    if (got < 0) {
        status = io_error(r, diag);
        goto failed;
    }
    if (got == 0) {
        status = fail(diag, ST_ERR_INPUT, name, 1, 0, "empty file: expected a header row with a \"quote\" column");
        goto failed;
    }
    char *h = r->line;
    if (len >= 3 && memcmp(h, "\xEF\xBB\xBF", 3) == 0) {
        h += 3;
        len -= 3;
    }
    const char *why;
    size_t bad = check_text(h, len, &why);
    if (bad != (size_t)-1) {
        status = fail(diag, ST_ERR_INPUT, name, 1, bad + 1, "%s in the header", why);
        goto failed;
    }
    size_t n = 1;
    for (size_t i = 0; i < len; i++)
        n += h[i] == '\t';
    r->nfields = n;
    r->starts = malloc(n * sizeof *r->starts);
    if (!r->starts) {
        status = fail(diag, ST_ERR_NOMEM, name, 1, 0, "out of memory");
        goto failed;
    }
    size_t field = 0, start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && h[i] != '\t')
            continue;
        for (int c = 0; c < COL_COUNT; c++) {
            if (strlen(column_names[c]) == i - start && memcmp(column_names[c], h + start, i - start) == 0) {
                if (r->column[c] >= 0) {
                    status = fail(diag, ST_ERR_INPUT, name, 1, start + 1, "column \"%s\" appears twice in the header",
                                  column_names[c]);
                    goto failed;
                }
                r->column[c] = (int)field;
            }
        }
        field++;
        start = i + 1;
    }
    if (r->column[COL_QUOTE] < 0) {
        status = fail(diag, ST_ERR_INPUT, name, 1, 0, "no \"quote\" column in the header");
        goto failed;
    }
    if ((flags & ST_DATASET_LABELLED) && r->column[COL_LABEL] < 0) {
        status = fail(diag, ST_ERR_INPUT, name, 1, 0,
                      "no \"label\" column in the header (training and evaluation need labels)");
        goto failed;
    }
    *out = r;
    return ST_OK;

failed:
    st_tsv_reader_free(r);
    return status;
}

void st_tsv_reader_free(st_tsv_reader *r)
{
    if (!r)
        return;
    free(r->line);
    free(r->starts);
    free(r);
}

int st_tsv_reader_has_id(const st_tsv_reader *r)
{
    return r->column[COL_ID] >= 0;
}

int st_tsv_reader_has_label(const st_tsv_reader *r)
{
    return r->column[COL_LABEL] >= 0;
}

void st_tsv_reader_sha256(const st_tsv_reader *r, char hex[65])
{
    st_sha256 copy = r->sha;
    unsigned char digest[ST_SHA256_DIGEST_SIZE];
    st_sha256_final(&copy, digest);
    st_sha256_to_hex(digest, hex);
}

static void set_field(const st_tsv_reader *r, int col, size_t len, const char **text, size_t *n)
{
    int f = r->column[col];
    if (f < 0) {
        *text = NULL;
        *n = 0;
        return;
    }
    size_t start = r->starts[f];
    size_t end = (size_t)f + 1 < r->nfields ? r->starts[f + 1] - 1 : len;
    *text = r->line + start;
    *n = end - start;
}

st_status st_tsv_reader_next(st_tsv_reader *r, st_row *row, int *done, st_diag *diag)
{
    *done = 0;
    for (;;) {
        size_t len = 0;
        int got = read_line(r, &len);
        if (got < 0)
            return io_error(r, diag);
        if (got == 0) {
            *done = 1;
            return ST_OK;
        }
        if (len == 0)
            continue;
        const char *why;
        size_t bad = check_text(r->line, len, &why);
        if (bad != (size_t)-1)
            return fail(diag, ST_ERR_INPUT, r->name, r->lineno, bad + 1, "%s", why);
        size_t count;
        if (split_fields(r, len, &count) != ST_OK)
            return fail(diag, ST_ERR_INPUT, r->name, r->lineno, 0,
                        "expected %zu tab-separated fields (as in the header), found %zu", r->nfields, count);
        memset(row, 0, sizeof *row);
        row->file = r->name;
        row->line = r->lineno;
        set_field(r, COL_ID, len, &row->id, &row->id_len);
        set_field(r, COL_QUOTE, len, &row->quote, &row->quote_len);
        set_field(r, COL_SENTENCE, len, &row->sentence, &row->sentence_len);
        set_field(r, COL_SPEAKER, len, &row->speaker, &row->speaker_len);
        row->label = ST_LABEL_NONE;
        if (r->column[COL_LABEL] >= 0) {
            const char *text;
            size_t n;
            set_field(r, COL_LABEL, len, &text, &n);
            row->label = st_label_parse(text, n);
            if (row->label == ST_LABEL_NONE && (r->flags & ST_DATASET_LABELLED)) {
                size_t col = (size_t)(text - r->line) + 1;
                if (n > 60)
                    return fail(diag, ST_ERR_INPUT, r->name, r->lineno, col,
                                "unknown label \"%.60s...\" (expected threatening, conciliatory or neutral)", text);
                return fail(diag, ST_ERR_INPUT, r->name, r->lineno, col,
                            "unknown label \"%s\" (expected threatening, conciliatory or neutral)", text);
            }
        }
        return ST_OK;
    }
}

/* ------------------------------------------------------------------ */

struct st_dataset {
    st_row *rows;
    size_t count, capacity;
    char **lines; /* one owned copy of each row's line, parallel to rows */
    char **names; /* owned file names from st_dataset_read_file */
    size_t nnames, names_capacity;
    struct table {
        const char *name;
        char sha256[ST_SHA256_HEX_SIZE];
        size_t rows;
    } *tables;
    size_t ntables, tables_capacity;
};

st_status st_dataset_new(st_dataset **out)
{
    *out = calloc(1, sizeof **out);
    return *out ? ST_OK : ST_ERR_NOMEM;
}

void st_dataset_free(st_dataset *ds)
{
    if (!ds)
        return;
    for (size_t i = 0; i < ds->count; i++)
        free(ds->lines[i]);
    for (size_t i = 0; i < ds->nnames; i++)
        free(ds->names[i]);
    free(ds->lines);
    free(ds->rows);
    free(ds->names);
    free(ds->tables);
    free(ds);
}

size_t st_dataset_count(const st_dataset *ds)
{
    return ds ? ds->count : 0;
}

const st_row *st_dataset_row(const st_dataset *ds, size_t index)
{
    return ds && index < ds->count ? &ds->rows[index] : NULL;
}

size_t st_dataset_file_count(const st_dataset *ds)
{
    return ds ? ds->ntables : 0;
}

const char *st_dataset_file_name(const st_dataset *ds, size_t index)
{
    return ds && index < ds->ntables ? ds->tables[index].name : NULL;
}

const char *st_dataset_file_sha256(const st_dataset *ds, size_t index)
{
    return ds && index < ds->ntables ? ds->tables[index].sha256 : NULL;
}

size_t st_dataset_file_rows(const st_dataset *ds, size_t index)
{
    return ds && index < ds->ntables ? ds->tables[index].rows : 0;
}

/* Moves a pointer into the reader's line to the same place in the copy. */
static const char *rebase(const char *p, const char *from, char *to)
{
    return p ? to + (p - from) : NULL;
}

static st_status keep_row(st_dataset *ds, const st_tsv_reader *r, const st_row *row)
{
    if (ds->count == ds->capacity) {
        /* Both arrays grow in step; a failure leaves the old capacity. */
        size_t cap_rows = ds->capacity, cap_lines = ds->capacity;
        if (st_grow((void **)&ds->rows, &cap_rows, ds->count, sizeof *ds->rows) != ST_OK ||
            st_grow((void **)&ds->lines, &cap_lines, ds->count, sizeof *ds->lines) != ST_OK)
            return ST_ERR_NOMEM;
        ds->capacity = cap_rows < cap_lines ? cap_rows : cap_lines;
    }
    /* The row's fields all lie in r->line; the last one ends at a NUL. */
    const char *last = row->quote;
    const char *ends[] = {row->id, row->sentence, row->speaker};
    for (size_t i = 0; i < 3; i++)
        if (ends[i] && ends[i] > last)
            last = ends[i];
    size_t size = (size_t)(last - r->line) + strlen(last) + 1;
    char *copy = malloc(size);
    if (!copy)
        return ST_ERR_NOMEM;
    memcpy(copy, r->line, size);
    st_row *kept = &ds->rows[ds->count];
    *kept = *row;
    kept->id = rebase(row->id, r->line, copy);
    kept->quote = rebase(row->quote, r->line, copy);
    kept->sentence = rebase(row->sentence, r->line, copy);
    kept->speaker = rebase(row->speaker, r->line, copy);
    ds->lines[ds->count] = copy;
    ds->count++;
    return ST_OK;
}

st_status st_dataset_read(st_dataset *ds, FILE *fp, const char *name, int flags, st_diag *diag)
{
    if (ds->ntables == ds->tables_capacity &&
        st_grow((void **)&ds->tables, &ds->tables_capacity, ds->ntables, sizeof *ds->tables) != ST_OK)
        return fail(diag, ST_ERR_NOMEM, name, 0, 0, "out of memory");
    st_tsv_reader *r = NULL;
    /* A dataset records each table's checksum (the model's data version). */
    st_status status = st_tsv_reader_new(fp, name, flags & ~ST_TSV_NO_CHECKSUM, &r, diag);
    if (status != ST_OK)
        return status;
    size_t first = ds->count;
    for (;;) {
        st_row row;
        int done;
        status = st_tsv_reader_next(r, &row, &done, diag);
        if (status != ST_OK || done)
            break;
        status = keep_row(ds, r, &row);
        if (status != ST_OK) {
            fail(diag, status, name, row.line, 0, "out of memory");
            break;
        }
    }
    if (status == ST_OK) {
        struct table *t = &ds->tables[ds->ntables++];
        t->name = name;
        t->rows = ds->count - first;
        st_tsv_reader_sha256(r, t->sha256);
    }
    st_tsv_reader_free(r);
    return status;
}

st_status st_dataset_read_file(st_dataset *ds, const char *path, int flags, st_diag *diag)
{
    if (ds->nnames == ds->names_capacity &&
        st_grow((void **)&ds->names, &ds->names_capacity, ds->nnames, sizeof *ds->names) != ST_OK)
        return fail(diag, ST_ERR_NOMEM, path, 0, 0, "out of memory");
    size_t n = strlen(path);
    char *name = malloc(n + 1);
    if (!name)
        return fail(diag, ST_ERR_NOMEM, path, 0, 0, "out of memory");
    memcpy(name, path, n + 1);
    ds->names[ds->nnames++] = name;
    int is_stdin = strcmp(path, "-") == 0;
    FILE *fp = is_stdin ? stdin : fopen(path, "rb");
    if (!fp)
        return fail(diag, ST_ERR_IO, name, 0, 0, "%s", strerror(errno));
    st_status status = st_dataset_read(ds, fp, name, flags, diag);
    if (!is_stdin)
        fclose(fp);
    return status;
}
