/* cli_common.c - messages, input files and safe output for the CLI. */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void cli_error(const char *fmt, ...)
{
    va_list ap;
    fputs("stance: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void cli_diag_error(const st_diag *diag, st_status status)
{
    const char *msg = diag->message[0] ? diag->message : st_strerror(status);
    if (diag->file && diag->line && diag->column)
        cli_error("%s:%zu:%zu: %s", diag->file, diag->line, diag->column, msg);
    else if (diag->file && diag->line)
        cli_error("%s:%zu: %s", diag->file, diag->line, msg);
    else if (diag->file)
        cli_error("%s: %s", diag->file, msg);
    else
        cli_error("%s", msg);
}

int cli_read_all(const char *path, char **data, size_t *size)
{
    int is_stdin = strcmp(path, "-") == 0;
    FILE *fp = is_stdin ? stdin : fopen(path, "rb");
    if (!fp) {
        cli_error("%s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
        cli_error("%s: %s", path, strerror(EISDIR));
        if (!is_stdin)
            fclose(fp);
        return -1;
    }
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    if (!buf) {
        cli_error("%s: out of memory", path);
        if (!is_stdin)
            fclose(fp);
        return -1;
    }
    for (;;) {
        if (cap - len < 2) {
            if (cap > ((size_t)-1) / 2) {
                errno = ENOMEM;
                break;
            }
            char *grown = realloc(buf, cap * 2);
            if (!grown) {
                errno = ENOMEM;
                break;
            }
            buf = grown;
            cap *= 2;
        }
        size_t got = fread(buf + len, 1, cap - len - 1, fp);
        len += got;
        if (got == 0)
            break;
    }
    int failed = ferror(fp) || errno == ENOMEM;
    int saved = errno;
    if (!is_stdin)
        fclose(fp);
    if (failed) {
        cli_error("%s: %s", path, strerror(saved ? saved : EIO));
        free(buf);
        return -1;
    }
    buf[len] = '\0';
    *data = buf;
    *size = len;
    return 0;
}

/* The same file, by device and inode: an output must never replace an input. */
static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    if (stat(a, &sa) != 0 || stat(b, &sb) != 0)
        return 0;
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

int cli_output_open(cli_output *out, const char *path, char *const *inputs, int ninputs)
{
    memset(out, 0, sizeof *out);
    if (!path || strcmp(path, "-") == 0) {
        out->fp = stdout;
        return 0;
    }
    for (int i = 0; i < ninputs; i++) {
        if (strcmp(inputs[i], "-") != 0 && same_file(inputs[i], path)) {
            cli_error("%s: refusing to write over an input file", path);
            return -1;
        }
    }
    size_t n = strlen(path);
    out->path = malloc(n + 1);
    out->temp_path = malloc(n + 16);
    if (!out->path || !out->temp_path) {
        cli_error("%s: out of memory", path);
        cli_output_abort(out);
        return -1;
    }
    memcpy(out->path, path, n + 1);
    snprintf(out->temp_path, n + 16, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(out->temp_path);
    if (fd < 0) {
        cli_error("%s: %s", path, strerror(errno));
        free(out->temp_path);
        out->temp_path = NULL;
        cli_output_abort(out);
        return -1;
    }
    /* mkstemp makes 0600; an output file should get the usual umask mode. */
    mode_t mask = umask(0);
    umask(mask);
    (void)fchmod(fd, 0666 & ~mask);
    out->fp = fdopen(fd, "w");
    if (!out->fp) {
        cli_error("%s: %s", path, strerror(errno));
        close(fd);
        cli_output_abort(out);
        return -1;
    }
    return 0;
}

int cli_output_close(cli_output *out)
{
    const char *name = out->path ? out->path : "standard output";
    int failed = 0;
    if (fflush(out->fp) != 0 || ferror(out->fp))
        failed = errno ? errno : EIO;
    if (out->path) {
        if (fclose(out->fp) != 0 && !failed)
            failed = errno ? errno : EIO;
        out->fp = NULL;
        if (!failed && rename(out->temp_path, out->path) != 0)
            failed = errno;
    }
    if (failed) {
        cli_error("%s: write error: %s", name, strerror(failed));
        cli_output_abort(out);
        return -1;
    }
    free(out->path);
    free(out->temp_path);
    memset(out, 0, sizeof *out);
    return 0;
}

void cli_output_abort(cli_output *out)
{
    if (out->path && out->fp)
        fclose(out->fp);
    if (out->temp_path)
        unlink(out->temp_path);
    free(out->path);
    free(out->temp_path);
    memset(out, 0, sizeof *out);
}

int cli_parse_input(const char *arg, cli_input *out)
{
    if (strcmp(arg, "text") == 0) *out = CLI_INPUT_TEXT;
    else if (strcmp(arg, "jsonl") == 0) *out = CLI_INPUT_JSONL;
    else if (strcmp(arg, "tsv") == 0) *out = CLI_INPUT_TSV;
    else return -1;
    return 0;
}

int cli_parse_format(const char *arg, cli_format *out)
{
    if (strcmp(arg, "jsonl") == 0) *out = CLI_FORMAT_JSONL;
    else if (strcmp(arg, "tsv") == 0) *out = CLI_FORMAT_TSV;
    else if (strcmp(arg, "csv") == 0) *out = CLI_FORMAT_CSV;
    else if (strcmp(arg, "table") == 0) *out = CLI_FORMAT_TABLE;
    else return -1;
    return 0;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

cli_input cli_input_for(const char *path, cli_input requested)
{
    if (requested != CLI_INPUT_AUTO)
        return requested;
    if (ends_with(path, ".jsonl") || ends_with(path, ".ndjson"))
        return CLI_INPUT_JSONL;
    if (ends_with(path, ".tsv"))
        return CLI_INPUT_TSV;
    return CLI_INPUT_TEXT;
}
