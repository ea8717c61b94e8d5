/* cli_inputs.c - walking the articles of every input file. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "st_dataset.h"

size_t cli_line_length(const char *line, size_t len)
{
    while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        len--;
    return len;
}

void cli_jsonl_report(const char *name, size_t line, const cli_jsonl_article *a)
{
    if (a->has_column)
        cli_error("%s:%zu:%d: %s", name, line, a->column, a->message);
    else
        cli_error("%s:%zu: %s", name, line, a->message);
}

/*
 * The non-empty lines of a JSONL file, for the two readers below (the
 * article walk and the unit reader): one place opens the file, reads it
 * with getline, counts lines and strips line endings.  Each reader keeps
 * its own policy on read errors (jsonl_lines_failed tells and reports).
 */
typedef struct jsonl_lines {
    const char *name;
    FILE *fp;
    char *line;    /* the current line, without its line ending */
    size_t cap;
    size_t lineno; /* of the current line, counting empty ones */
    size_t len;    /* of the current line */
    size_t read;   /* bytes read for it, line ending included */
} jsonl_lines;

/* 0, or 1 when the file cannot be opened (reported). */
static int jsonl_lines_open(jsonl_lines *l, const char *name)
{
    *l = (jsonl_lines){.name = name};
    l->fp = cli_open_input(name);
    return l->fp ? 0 : 1;
}

/* 1 with the next non-empty line, 0 at the end of the file (or an error). */
static int jsonl_lines_next(jsonl_lines *l)
{
    ssize_t n;
    while ((n = getline(&l->line, &l->cap, l->fp)) > 0) {
        l->lineno++;
        l->read = (size_t)n;
        l->len = cli_line_length(l->line, (size_t)n);
        if (l->len != 0)
            return 1;
    }
    return 0;
}

/* 1 when reading failed (reported as "NAME: reason"), else 0. */
static int jsonl_lines_failed(const jsonl_lines *l)
{
    if (!ferror(l->fp))
        return 0;
    cli_error("%s: %s", l->name, strerror(errno));
    return 1;
}

static void jsonl_lines_close(jsonl_lines *l)
{
    free(l->line);
    cli_close_input(l->fp);
}

/* One article per line; other keys pass through to the records. */
static int each_jsonl(const char *name, cli_article_fn fn, void *ctx)
{
    jsonl_lines l;
    if (jsonl_lines_open(&l, name) != 0)
        return 1;
    int rc = 0;
    while (jsonl_lines_next(&l)) {
        cli_jsonl_article a;
        int p = cli_jsonl_parse(l.line, l.len, l.lineno, &a);
        if (p != 0) {
            cli_jsonl_report(name, l.lineno, &a);
            rc = 1;
            if (p < 0)
                break;
            continue;
        }
        int r = fn(ctx, name, a.id, l.lineno, a.text, a.text_len, a.extra);
        cli_jsonl_article_clear(&a);
        if (r < 0) {
            rc = -1;
            break;
        }
        rc |= r;
    }
    if (jsonl_lines_failed(&l))
        rc = rc < 0 ? rc : 1;
    jsonl_lines_close(&l);
    return rc;
}


int cli_each_article(char *const *files, int nfiles, cli_input requested, cli_article_fn fn, void *ctx)
{
    int status = 0;
    for (int i = 0; i < nfiles; i++) {
        const char *name = files[i];
        int r;
        cli_input kind = cli_input_for(name, requested);
        if (kind == CLI_INPUT_TSV) {
            cli_error("%s: expected articles (text or jsonl), not a quote table", name);
            status = 1;
            continue;
        }
        if (kind == CLI_INPUT_JSONL) {
            r = each_jsonl(name, fn, ctx);
        } else {
            char *data;
            size_t size;
            if (cli_read_all(name, &data, &size) != 0) {
                status = 1;
                continue;
            }
            r = fn(ctx, name, NULL, 0, data, size, NULL);
            free(data);
        }
        if (r < 0)
            return -1;
        if (r > 0)
            status = 1;
    }
    return status;
}

/* ------------------------------------------------------------------ */
/* Units: the items of quotes and classify (cli.h)                     */

void cli_unit_free(void *unit)
{
    cli_unit *u = unit;
    if (!u)
        return;
    /* A row's or a JSONL line's data lives in the unit's own block
     * (unit_with_data); a text file's is its own allocation. */
    if (u->data != (char *)(u + 1))
        free(u->data);
    free(u);
}

static cli_unit *unit_new(cli_unit_kind kind, const char *name, size_t line)
{
    cli_unit *u = calloc(1, sizeof *u);
    if (!u) {
        cli_error("%s: out of memory", name);
        return NULL;
    }
    u->kind = kind;
    u->name = name;
    u->line = line;
    return u;
}

/*
 * A unit with a data buffer of `bytes` (a JSONL line, a table row's
 * fields) right after it, in one block: one malloc and one free an item
 * instead of a calloc, a malloc and two frees (rows are small and many;
 * cli_unit_free knows such data by its place).  NULL when out of memory
 * (reported).
 */
static cli_unit *unit_with_data(cli_unit_kind kind, const char *name, size_t line, size_t bytes)
{
    cli_unit *u = bytes <= SIZE_MAX - sizeof *u ? malloc(sizeof *u + bytes) : NULL;
    if (!u) {
        cli_error("%s:%zu: out of memory", name, line);
        return NULL;
    }
    *u = (cli_unit){.kind = kind, .name = name, .line = line, .data = (char *)(u + 1)};
    return u;
}

/* One unit per non-empty line; the line is parsed by whoever processes it. */
static int units_of_jsonl(const char *name, cli_pool *pool)
{
    jsonl_lines l;
    if (jsonl_lines_open(&l, name) != 0)
        return 1;
    int rc = 0;
    while (jsonl_lines_next(&l)) {
        cli_unit *u = unit_with_data(CLI_UNIT_JSONL, name, l.lineno, l.len + 1);
        if (!u) {
            rc = -1;
            break;
        }
        memcpy(u->data, l.line, l.len);
        u->data[l.len] = '\0';
        u->size = l.len;
        if (cli_pool_submit(pool, u, l.read) != 0) {
            rc = -1;
            break;
        }
    }
    if (rc == 0 && jsonl_lines_failed(&l))
        rc = 1;
    jsonl_lines_close(&l);
    return rc;
}

/* Copies `len` bytes of `s` (NULL stays NULL) to *at; returns the copy. */
static const char *copy_field(char **at, const char *s, size_t len)
{
    if (!s)
        return NULL;
    char *copy = *at;
    memcpy(copy, s, len);
    copy[len] = '\0';
    *at += len + 1;
    return copy;
}

int cli_table_open(cli_table *t, const char *name, int flags)
{
    st_diag_clear(&t->diag);
    t->reader = NULL;
    t->fp = cli_open_input(name);
    if (!t->fp)
        return 1;
    st_status s = st_tsv_reader_new(t->fp, name, flags, &t->reader, &t->diag);
    if (s != ST_OK) {
        cli_diag_error(&t->diag, s);
        cli_table_close(t);
        return 1;
    }
    return 0;
}

void cli_table_close(cli_table *t)
{
    st_tsv_reader_free(t->reader);
    t->reader = NULL;
    cli_close_input(t->fp);
    t->fp = NULL;
}

/* One unit per row of a quote table, the row's fields copied. */
static int units_of_table(const char *name, cli_pool *pool)
{
    cli_table t;
    if (cli_table_open(&t, name, ST_TSV_NO_CHECKSUM) != 0)
        return 1;
    st_status s;
    int rc = 0;
    for (size_t index = 0; rc >= 0; index++) {
        st_row row;
        int done;
        if ((s = st_tsv_reader_next(t.reader, &row, &done, &t.diag)) != ST_OK) {
            /* A bad row is reported and skipped; the rest still count. */
            cli_diag_error(&t.diag, s);
            rc = 1;
            if (s != ST_ERR_INPUT)
                break;
            continue;
        }
        if (done)
            break;
        size_t bytes = (row.id ? row.id_len + 1 : 0) + (row.quote ? row.quote_len + 1 : 0) +
                       (row.sentence ? row.sentence_len + 1 : 0) + (row.speaker ? row.speaker_len + 1 : 0) + 1;
        cli_unit *u = unit_with_data(CLI_UNIT_ROW, name, row.line, bytes);
        if (!u) {
            rc = -1;
            break;
        }
        char *at = u->data;
        u->size = bytes;
        u->index = index;
        u->id = copy_field(&at, row.id, row.id_len);
        u->quote = copy_field(&at, row.quote, row.quote_len);
        u->quote_len = row.quote_len;
        u->sentence = copy_field(&at, row.sentence, row.sentence_len);
        u->sentence_len = row.sentence_len;
        u->speaker = copy_field(&at, row.speaker, row.speaker_len);
        u->speaker_len = row.speaker_len;
        if (cli_pool_submit(pool, u, bytes) != 0)
            rc = -1;
    }
    cli_table_close(&t);
    return rc;
}

int cli_read_units(void *source, cli_pool *pool)
{
    /* A copy: a stopped run may leave this thread reading after the
     * caller's frame is gone (cli_jobs.c). */
    const cli_unit_source src = *(const cli_unit_source *)source;
    int status = 0;
    for (int i = 0; i < src.nfiles; i++) {
        const char *name = src.files[i];
        int r;
        cli_input kind = cli_input_for(name, src.requested);
        if (kind == CLI_INPUT_TSV && src.table_refusal) {
            cli_error("%s: %s", name, src.table_refusal);
            status = 1;
            continue;
        }
        if (kind == CLI_INPUT_TSV) {
            r = units_of_table(name, pool);
        } else if (kind == CLI_INPUT_JSONL) {
            r = units_of_jsonl(name, pool);
        } else {
            cli_unit *u = unit_new(CLI_UNIT_TEXT, name, 0);
            if (!u)
                return -1;
            if (cli_read_all(name, &u->data, &u->size) != 0) {
                free(u);
                status = 1;
                continue;
            }
            r = cli_pool_submit(pool, u, u->size);
        }
        if (r < 0)
            return -1;
        if (r > 0)
            status = 1;
    }
    return status;
}

int cli_unit_article(const cli_unit *unit, cli_article_fn fn, void *ctx)
{
    if (unit->kind == CLI_UNIT_TEXT)
        return fn(ctx, unit->name, NULL, 0, unit->data, unit->size, NULL);
    cli_jsonl_article a;
    int p = cli_jsonl_parse(unit->data, unit->size, unit->line, &a);
    if (p != 0) {
        cli_jsonl_report(unit->name, unit->line, &a);
        return p < 0 ? -1 : 1;
    }
    int r = fn(ctx, unit->name, a.id, unit->line, a.text, a.text_len, a.extra);
    cli_jsonl_article_clear(&a);
    return r;
}

/* Whether some input may arrive over time: one that is not a regular
 * file (standard input from a pipe or a terminal, a FIFO, a process
 * substitution).  A regular file is read to its end at once. */
static int source_streams(const cli_unit_source *source)
{
    struct stat st;
    if (source->nfiles == 0)
        return !(fstat(STDIN_FILENO, &st) == 0 && S_ISREG(st.st_mode));
    for (int i = 0; i < source->nfiles; i++) {
        const char *name = source->files[i];
        int ok = strcmp(name, "-") == 0 ? fstat(STDIN_FILENO, &st) : stat(name, &st);
        if (ok != 0 || !S_ISREG(st.st_mode))
            return 1;
    }
    return 0;
}

int cli_run_units(const char *output, int jobs, cli_unit_source *source, int (*header)(FILE *fp, void *ctx),
                  const cli_pool_ops *ops, void *ctx)
{
    cli_output out;
    if (cli_output_open(&out, output, source->files, source->nfiles) != 0)
        return CLI_EXIT_FAILURE;
    if (header(out.fp, ctx) != 0)
        goto write_failed;
    int r = cli_pool_run(jobs, out.fp, source_streams(source), ops, ctx, cli_read_units, source);
    if (r < 0) {
        out.error = errno; /* the write error, if that was it */
        goto write_failed;
    }
    if (cli_output_close(&out) != 0)
        return CLI_EXIT_FAILURE;
    return r > 0 ? CLI_EXIT_FAILURE : CLI_EXIT_OK;

write_failed:
    /* A write error is reported by close; anything else (reported already)
     * must not leave a partial output file behind. */
    if (ferror(out.fp))
        cli_output_close(&out);
    else
        cli_output_abort(&out);
    return CLI_EXIT_FAILURE;
}
