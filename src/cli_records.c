/* cli_records.c - the quote record in JSONL, TSV, CSV and table form. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include "st_dataset.h"
#include "st_util.h"

const char *cli_utf8_name(const char *name, char **copy)
{
    *copy = NULL;
    size_t n = strlen(name), i = 0;
    int32_t cp = 0;
    while (i < n && (i += st_utf8_decode(name + i, n - i, &cp), cp >= 0))
        ;
    if (cp >= 0)
        return name;
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

/* TSV cannot hold tabs or line breaks inside a field: escape them the
 * way most TSV readers undo (\t, \n, \r, \\). */
static int put_tsv(FILE *fp, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        switch (s[i]) {
        case '\t': fputs("\\t", fp); break;
        case '\n': fputs("\\n", fp); break;
        case '\r': fputs("\\r", fp); break;
        case '\\': fputs("\\\\", fp); break;
        default: fputc(s[i], fp);
        }
    }
    return 0;
}

/* RFC 4180: quote a field that holds a comma, quote or line break. */
static void put_csv(FILE *fp, const char *s, size_t n)
{
    int needs = 0;
    for (size_t i = 0; i < n && !needs; i++)
        needs = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    if (!needs) {
        fwrite(s, 1, n, fp);
        return;
    }
    fputc('"', fp);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            fputc('"', fp);
        fputc(s[i], fp);
    }
    fputc('"', fp);
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

/* Appends text to a growing string; returns -1 when out of memory. */
static int cat(char **s, size_t *len, size_t *cap, const char *text, size_t n)
{
    if (*len + n + 1 > *cap) {
        size_t c = *cap ? *cap : 256;
        while (*len + n + 1 > c)
            c *= 2;
        char *grown = realloc(*s, c);
        if (!grown)
            return -1;
        *s = grown;
        *cap = c;
    }
    memcpy(*s + *len, text, n);
    *len += n;
    (*s)[*len] = '\0';
    return 0;
}

/* A JSON string literal by jansson, appended. */
static int cat_json_string(char **s, size_t *len, size_t *cap, const char *text)
{
    json_t *str = json_string(text);
    if (!str)
        return -1;
    char *dumped = json_dumps(str, JSON_ENCODE_ANY);
    json_decref(str);
    if (!dumped)
        return -1;
    int rc = cat(s, len, cap, dumped, strlen(dumped));
    free(dumped);
    return rc;
}

/*
 * The classify fields, `,"label":...,"probabilities":{...},"explain":[...]`.
 * Numbers are written with a fixed 4 decimals (jansson would print
 * 0.81000000000000005), so records are short and byte-stable.
 */
static int label_fields(const cli_record *r, char **s, size_t *len, size_t *cap)
{
    char num[64];
    if (cat(s, len, cap, ",\"label\":", 9) || cat_json_string(s, len, cap, r->label) ||
        cat(s, len, cap, ",\"probabilities\":{", 18))
        return -1;
    for (int l = 0; l < ST_LABEL_COUNT; l++) {
        int n = snprintf(num, sizeof num, "%s\"%s\":%.4f", l ? "," : "", st_label_name(l),
                         r->probabilities ? r->probabilities[l] : 0.0);
        if (cat(s, len, cap, num, (size_t)n))
            return -1;
    }
    if (cat(s, len, cap, "}", 1))
        return -1;
    if (!r->has_explain)
        return 0;
    if (cat(s, len, cap, ",\"explain\":[", 12))
        return -1;
    for (size_t i = 0; i < r->explain_count; i++) {
        if (cat(s, len, cap, i ? ",[" : "[", i ? 2 : 1) || cat_json_string(s, len, cap, r->explain[i].name))
            return -1;
        int n = snprintf(num, sizeof num, ",%.4f]", r->explain[i].value);
        if (cat(s, len, cap, num, (size_t)n))
            return -1;
    }
    return cat(s, len, cap, "]", 1);
}

static int is_label_key(const char *key)
{
    return strcmp(key, "label") == 0 || strcmp(key, "probabilities") == 0 || strcmp(key, "explain") == 0;
}

static int write_jsonl(FILE *fp, const cli_record *r)
{
    json_t *o = json_object();
    json_t *rest = json_object(); /* the passed-through keys, written last */
    if (!o || !rest) {
        json_decref(o);
        json_decref(rest);
        return -1;
    }
    int bad = 0;
    bad |= json_object_set_new(o, "doc", json_string(r->doc));
    if (r->id && !r->sentence_unit)
        bad |= json_object_set_new(o, "id", json_string(r->id));
    bad |= json_object_set_new(o, "index", json_integer((json_int_t)r->index));
    if (!r->sentence_unit)
        bad |= json_object_set_new(o, "quote", json_stringn(r->quote, r->quote_len));
    bad |= json_object_set_new(o, "speaker", r->speaker ? json_string(r->speaker) : json_null());
    bad |= json_object_set_new(o, "mention", r->mention ? json_string(r->mention) : json_null());
    bad |= json_object_set_new(o, "sentence", r->sentence ? json_stringn(r->sentence, r->sentence_len) : json_null());
    bad |= json_object_set_new(o, "start", r->no_offsets ? json_null() : json_integer((json_int_t)r->start));
    bad |= json_object_set_new(o, "end", r->no_offsets ? json_null() : json_integer((json_int_t)r->end));
    if (r->extra) {
        const char *key;
        json_t *value;
        json_object_foreach(r->extra, key, value) {
            if (json_object_get(o, key) || (r->label && is_label_key(key)))
                continue;
            bad |= json_object_set(r->label ? rest : o, key, value);
        }
    }
    int rc = -1;
    char *s = NULL;
    if (!bad)
        s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (s && r->label) {
        /* Reopen the object: its fields, the label fields, then the rest. */
        size_t len = strlen(s), cap = len + 1;
        len--; /* drop the closing brace */
        s[len] = '\0';
        int failed = label_fields(r, &s, &len, &cap);
        if (!failed && json_object_size(rest)) {
            char *more = json_dumps(rest, JSON_COMPACT | JSON_PRESERVE_ORDER);
            failed = !more || cat(&s, &len, &cap, ",", 1) || cat(&s, &len, &cap, more + 1, strlen(more) - 2);
            free(more);
        }
        if (failed || cat(&s, &len, &cap, "}", 1)) {
            free(s);
            s = NULL;
        }
    }
    if (s) {
        fputs(s, fp);
        fputc('\n', fp);
        free(s);
        rc = 0;
    }
    json_decref(o);
    json_decref(rest);
    return rc;
}

/* Code points, not bytes: the table is for eyes. */
static size_t display_width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

/* The label columns of TSV / CSV (after a separator). */
static void label_columns(FILE *fp, const cli_record *r, char sep)
{
    fputs(r->label, fp);
    for (int l = 0; l < ST_LABEL_COUNT; l++)
        fprintf(fp, "%c%.4f", sep, r->probabilities ? r->probabilities[l] : 0.0);
    if (!r->has_explain)
        return;
    fputc(sep, fp);
    /* name=value pairs joined by ';' (names never hold TAB or line breaks) */
    char num[64];
    for (size_t i = 0; i < r->explain_count; i++) {
        if (i)
            fputc(';', fp);
        if (sep == '\t') {
            put_tsv(fp, r->explain[i].name, strlen(r->explain[i].name));
            fprintf(fp, "=%.4f", r->explain[i].value);
        } else {
            fputs(r->explain[i].name, fp);
            fprintf(fp, "=%.4f", r->explain[i].value);
        }
    }
    (void)num;
}

static int write_record(FILE *fp, cli_format format, const cli_record *r);

/* CSV's explain column must be quoted as a whole: build it first. */
static void csv_explain(FILE *fp, const cli_record *r)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *mem = open_memstream(&buf, &size);
    if (!mem) {
        fputs("", fp);
        return;
    }
    for (size_t i = 0; i < r->explain_count; i++)
        fprintf(mem, "%s%s=%.4f", i ? ";" : "", r->explain[i].name, r->explain[i].value);
    fclose(mem);
    put_csv(fp, buf ? buf : "", size);
    free(buf);
}

int cli_write_record(FILE *fp, cli_format format, const cli_record *r)
{
    /* Robustness (issue 7): a file name that is not UTF-8 made jansson
     * fail, reported as "out of memory" with no record written.  The doc
     * field gets U+FFFD for the bad bytes instead, in every format. */
    char *doc_copy = NULL;
    const char *doc = cli_utf8_name(r->doc, &doc_copy);
    if (!doc)
        return -1;
    cli_record fixed;
    if (doc_copy) {
        fixed = *r;
        fixed.doc = doc;
        r = &fixed;
    }
    int rc = write_record(fp, format, r);
    free(doc_copy);
    return rc;
}

static int write_record(FILE *fp, cli_format format, const cli_record *r)
{
    char num[64];
    switch (format) {
    case CLI_FORMAT_JSONL:
        if (write_jsonl(fp, r) != 0)
            return -1;
        break;
    case CLI_FORMAT_TSV:
        put_tsv(fp, r->doc, strlen(r->doc));
        fputc('\t', fp);
        if (!r->sentence_unit) {
            if (r->id)
                put_tsv(fp, r->id, strlen(r->id));
            fputc('\t', fp);
        }
        fprintf(fp, "%zu\t", r->index);
        if (r->speaker)
            put_tsv(fp, r->speaker, strlen(r->speaker));
        fputc('\t', fp);
        if (r->mention)
            put_tsv(fp, r->mention, strlen(r->mention));
        if (r->no_offsets)
            fputs("\t\t", fp);
        else
            fprintf(fp, "\t%zu\t%zu", r->start, r->end);
        fputc('\t', fp);
        if (!r->sentence_unit) {
            put_tsv(fp, r->quote, r->quote_len);
            fputc('\t', fp);
        }
        if (r->sentence)
            put_tsv(fp, r->sentence, r->sentence_len);
        if (r->label) {
            fputc('\t', fp);
            label_columns(fp, r, '\t');
        }
        fputc('\n', fp);
        break;
    case CLI_FORMAT_CSV:
        put_csv(fp, r->doc, strlen(r->doc));
        fputc(',', fp);
        if (!r->sentence_unit) {
            if (r->id)
                put_csv(fp, r->id, strlen(r->id));
            fputc(',', fp);
        }
        snprintf(num, sizeof num, "%zu,", r->index);
        fputs(num, fp);
        if (r->speaker)
            put_csv(fp, r->speaker, strlen(r->speaker));
        fputc(',', fp);
        if (r->mention)
            put_csv(fp, r->mention, strlen(r->mention));
        if (r->no_offsets)
            fputs(",,", fp);
        else
            fprintf(fp, ",%zu,%zu", r->start, r->end);
        fputc(',', fp);
        if (!r->sentence_unit) {
            put_csv(fp, r->quote, r->quote_len);
            fputc(',', fp);
        }
        if (r->sentence)
            put_csv(fp, r->sentence, r->sentence_len);
        if (r->label) {
            fputc(',', fp);
            fputs(r->label, fp);
            for (int l = 0; l < ST_LABEL_COUNT; l++)
                fprintf(fp, ",%.4f", r->probabilities ? r->probabilities[l] : 0.0);
            if (r->has_explain) {
                fputc(',', fp);
                csv_explain(fp, r);
            }
        }
        fputs("\r\n", fp);
        break;
    case CLI_FORMAT_TABLE: {
        const char *speaker = r->speaker ? r->speaker : "(unattributed)";
        fprintf(fp, "%s #%zu  %s", r->doc, r->index, speaker);
        for (size_t w = display_width(speaker); w < 24; w++)
            fputc(' ', fp);
        if (r->label) {
            double p = 0.0;
            for (int l = 0; l < ST_LABEL_COUNT; l++)
                if (strcmp(st_label_name(l), r->label) == 0 && r->probabilities)
                    p = r->probabilities[l];
            fprintf(fp, "  %-12s %.2f", r->label, p);
        }
        if (r->sentence_unit) {
            fputs("  ", fp);
            if (r->sentence)
                fwrite(r->sentence, 1, r->sentence_len, fp);
            fputc('\n', fp);
        } else {
            fputs("  \xE2\x80\x9C", fp); /* “ */
            fwrite(r->quote, 1, r->quote_len, fp);
            fputs("\xE2\x80\x9D\n", fp); /* ” */
        }
        if (r->has_explain) {
            fputs("    because:", fp);
            if (r->explain_count == 0)
                fputs(" (no feature stands out)", fp);
            for (size_t i = 0; i < r->explain_count; i++)
                fprintf(fp, "%s %s %+.3f", i ? "," : "", r->explain[i].name, r->explain[i].value);
            fputc('\n', fp);
        }
        break;
    }
    }
    return ferror(fp) ? -1 : 0;
}
