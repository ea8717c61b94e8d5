/* cli_inputs.c - walking the articles of every input file. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

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
        json_error_t err;
        json_t *obj = json_loadb(line, len, JSON_ALLOW_NUL, &err);
        if (!obj || !json_is_object(obj)) {
            cli_error("%s:%zu:%d: %s", name, lineno, obj ? 1 : err.column,
                      obj ? "not a JSON object" : err.text);
            json_decref(obj);
            rc = 1;
            continue;
        }
        json_t *text = json_object_get(obj, "text");
        if (!json_is_string(text)) {
            cli_error("%s:%zu: missing \"text\" string", name, lineno);
            json_decref(obj);
            rc = 1;
            continue;
        }
        json_t *idv = json_object_get(obj, "id");
        char idbuf[32];
        const char *id = NULL;
        if (json_is_string(idv))
            id = json_string_value(idv);
        else if (json_is_integer(idv)) {
            snprintf(idbuf, sizeof idbuf, "%lld", (long long)json_integer_value(idv));
            id = idbuf;
        }
        char docname[64];
        if (!id) {
            snprintf(docname, sizeof docname, "%zu", lineno);
        }
        json_t *extra = json_deep_copy(obj);
        if (!extra) {
            cli_error("%s:%zu: out of memory", name, lineno);
            json_decref(obj);
            rc = 1;
            break;
        }
        json_object_del(extra, "text");
        json_object_del(extra, "id");
        int r = fn(ctx, name, id ? id : docname, lineno, json_string_value(text), json_string_length(text),
                   json_object_size(extra) ? extra : NULL);
        json_decref(extra);
        json_decref(obj);
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
