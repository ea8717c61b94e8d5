/* cli_inputs.c - walking the articles of every input file. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "st_dataset.h"

/* One article per line; other keys pass through to the records. */
static int each_jsonl(const char *name, cli_article_fn fn, void *ctx)
{
    int is_stdin = strcmp(name, "-") == 0;
    FILE *fp = is_stdin ? stdin : fopen(name, "rb");
    if (!fp) {
        cli_error("%s: %s", name, strerror(errno));
        return 1;
    }
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    ssize_t n;
    int rc = 0;
    while ((n = getline(&line, &cap, fp)) > 0) {
        lineno++;
        size_t len = (size_t)n;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        if (len == 0)
            continue;
        cli_jsonl_article a;
        int p = cli_jsonl_parse(line, len, lineno, &a);
        if (p != 0) {
            if (a.has_column)
                cli_error("%s:%zu:%d: %s", name, lineno, a.column, a.message);
            else
                cli_error("%s:%zu: %s", name, lineno, a.message);
            rc = 1;
            if (p < 0)
                break;
            continue;
        }
        int r = fn(ctx, name, a.id, lineno, a.text, a.text_len, a.extra);
        cli_jsonl_article_clear(&a);
        if (r < 0) {
            rc = -1;
            break;
        }
        rc |= r;
    }
    if (ferror(fp)) {
        cli_error("%s: %s", name, strerror(errno));
        rc = rc < 0 ? rc : 1;
    }
    free(line);
    if (!is_stdin)
        fclose(fp);
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

/* One unit per non-empty line; the line is parsed by whoever processes it. */
static int units_of_jsonl(const char *name, cli_pool *pool)
{
    int is_stdin = strcmp(name, "-") == 0;
    FILE *fp = is_stdin ? stdin : fopen(name, "rb");
    if (!fp) {
        cli_error("%s: %s", name, strerror(errno));
        return 1;
    }
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    ssize_t n;
    int rc = 0;
    while ((n = getline(&line, &cap, fp)) > 0) {
        lineno++;
        size_t len = (size_t)n;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        if (len == 0)
            continue;
        cli_unit *u = unit_new(CLI_UNIT_JSONL, name, lineno);
        if (u) {
            u->data = malloc(len + 1);
            if (!u->data) {
                cli_error("%s:%zu: out of memory", name, lineno);
                free(u);
                u = NULL;
            }
        }
        if (!u) {
            rc = -1;
            break;
        }
        memcpy(u->data, line, len);
        u->data[len] = '\0';
        u->size = len;
        if (cli_pool_submit(pool, u, (size_t)n) != 0) {
            rc = -1;
            break;
        }
    }
    if (rc == 0 && ferror(fp)) {
        cli_error("%s: %s", name, strerror(errno));
        rc = 1;
    }
    free(line);
    if (!is_stdin)
        fclose(fp);
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

/* One unit per row of a quote table, the row's fields copied. */
static int units_of_table(const char *name, cli_pool *pool)
{
    int is_stdin = strcmp(name, "-") == 0;
    FILE *fp = is_stdin ? stdin : fopen(name, "rb");
    if (!fp) {
        cli_error("%s: %s", name, strerror(errno));
        return 1;
    }
    st_diag diag;
    st_diag_clear(&diag);
    st_tsv_reader *reader = NULL;
    st_status s = st_tsv_reader_new(fp, name, ST_TSV_NO_CHECKSUM, &reader, &diag);
    int rc = 0;
    if (s != ST_OK) {
        cli_diag_error(&diag, s);
        rc = 1;
    }
    for (size_t index = 0; reader && rc >= 0; index++) {
        st_row row;
        int done;
        if ((s = st_tsv_reader_next(reader, &row, &done, &diag)) != ST_OK) {
            /* A bad row is reported and skipped; the rest still count. */
            cli_diag_error(&diag, s);
            rc = 1;
            if (s != ST_ERR_INPUT)
                break;
            continue;
        }
        if (done)
            break;
        size_t bytes = (row.id ? row.id_len + 1 : 0) + (row.quote ? row.quote_len + 1 : 0) +
                       (row.sentence ? row.sentence_len + 1 : 0) + (row.speaker ? row.speaker_len + 1 : 0) + 1;
        cli_unit *u = unit_new(CLI_UNIT_ROW, name, row.line);
        if (u && !(u->data = malloc(bytes))) {
            cli_error("%s:%zu: out of memory", name, row.line);
            free(u);
            u = NULL;
        }
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
    st_tsv_reader_free(reader);
    if (!is_stdin)
        fclose(fp);
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
        if (a.has_column)
            cli_error("%s:%zu:%d: %s", unit->name, unit->line, a.column, a.message);
        else
            cli_error("%s:%zu: %s", unit->name, unit->line, a.message);
        return p < 0 ? -1 : 1;
    }
    int r = fn(ctx, unit->name, a.id, unit->line, a.text, a.text_len, a.extra);
    cli_jsonl_article_clear(&a);
    return r;
}
