/* cli_inputs.c - walking the articles of every input file. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_jsonl_parse(const char *line, size_t len, size_t lineno, cli_jsonl_article *out)
{
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
        snprintf(out->message, sizeof out->message, "missing \"text\" string");
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
    article->extra = NULL;
    article->object = NULL;
    article->text = NULL;
    article->id = NULL;
}

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
