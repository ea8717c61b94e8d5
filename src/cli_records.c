/* cli_records.c - the quote record in JSONL, TSV, CSV and table form. */
#include "cli.h"

#include <string.h>

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

static int write_jsonl(FILE *fp, const cli_record *r)
{
    json_t *o = json_object();
    if (!o)
        return -1;
    int bad = 0;
    bad |= json_object_set_new(o, "doc", json_string(r->doc));
    if (r->id)
        bad |= json_object_set_new(o, "id", json_string(r->id));
    bad |= json_object_set_new(o, "index", json_integer((json_int_t)r->index));
    bad |= json_object_set_new(o, "quote", json_stringn(r->quote, r->quote_len));
    bad |= json_object_set_new(o, "speaker", r->speaker ? json_string(r->speaker) : json_null());
    bad |= json_object_set_new(o, "mention", r->mention ? json_string(r->mention) : json_null());
    bad |= json_object_set_new(o, "sentence", json_stringn(r->sentence, r->sentence_len));
    bad |= json_object_set_new(o, "start", json_integer((json_int_t)r->start));
    bad |= json_object_set_new(o, "end", json_integer((json_int_t)r->end));
    if (r->extra) {
        const char *key;
        json_t *value;
        json_object_foreach(r->extra, key, value) {
            if (!json_object_get(o, key))
                bad |= json_object_set(o, key, value);
        }
    }
    int rc = -1;
    if (!bad) {
        char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
        if (s) {
            fputs(s, fp);
            fputc('\n', fp);
            free(s);
            rc = 0;
        }
    }
    json_decref(o);
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

int cli_write_record(FILE *fp, cli_format format, const cli_record *r)
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
        if (r->id)
            put_tsv(fp, r->id, strlen(r->id));
        fprintf(fp, "\t%zu\t", r->index);
        if (r->speaker)
            put_tsv(fp, r->speaker, strlen(r->speaker));
        fputc('\t', fp);
        if (r->mention)
            put_tsv(fp, r->mention, strlen(r->mention));
        fprintf(fp, "\t%zu\t%zu\t", r->start, r->end);
        put_tsv(fp, r->quote, r->quote_len);
        fputc('\t', fp);
        put_tsv(fp, r->sentence, r->sentence_len);
        fputc('\n', fp);
        break;
    case CLI_FORMAT_CSV:
        put_csv(fp, r->doc, strlen(r->doc));
        fputc(',', fp);
        if (r->id)
            put_csv(fp, r->id, strlen(r->id));
        snprintf(num, sizeof num, ",%zu,", r->index);
        fputs(num, fp);
        if (r->speaker)
            put_csv(fp, r->speaker, strlen(r->speaker));
        fputc(',', fp);
        if (r->mention)
            put_csv(fp, r->mention, strlen(r->mention));
        fprintf(fp, ",%zu,%zu,", r->start, r->end);
        put_csv(fp, r->quote, r->quote_len);
        fputc(',', fp);
        put_csv(fp, r->sentence, r->sentence_len);
        fputs("\r\n", fp);
        break;
    case CLI_FORMAT_TABLE: {
        const char *speaker = r->speaker ? r->speaker : "(unattributed)";
        fprintf(fp, "%s #%zu  %s", r->doc, r->index, speaker);
        for (size_t w = display_width(speaker); w < 24; w++)
            fputc(' ', fp);
        fputs("  \xE2\x80\x9C", fp); /* “ */
        fwrite(r->quote, 1, r->quote_len, fp);
        fputs("\xE2\x80\x9D\n", fp); /* ” */
        break;
    }
    }
    return ferror(fp) ? -1 : 0;
}
