/* cli_common.c - messages, input files and safe output for the CLI. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The capture of the calling thread, NULL when messages go to stderr. */
static _Thread_local cli_capture *current_capture;
/* Whether a progress line is on the terminal (touched by one thread). */
static int progress_visible;

void cli_progress_show(const char *line)
{
    fprintf(stderr, "\r%s\033[K", line);
    fflush(stderr);
    progress_visible = 1;
}

void cli_progress_clear(void)
{
    if (!progress_visible)
        return;
    fputs("\r\033[K", stderr);
    fflush(stderr);
    progress_visible = 0;
}

void cli_capture_begin(cli_capture *capture)
{
    memset(capture, 0, sizeof *capture);
    current_capture = capture;
}

int cli_capture_take(cli_capture *capture, char **text, size_t *size)
{
    *text = NULL;
    *size = 0;
    if (!capture->fp)
        return 0;
    int failed = fclose(capture->fp) != 0;
    capture->fp = NULL;
    if (failed || !capture->text) {
        free(capture->text);
        capture->text = NULL;
        return -1;
    }
    *text = capture->text;
    *size = capture->size;
    capture->text = NULL;
    capture->size = 0;
    return 0;
}

void cli_capture_end(cli_capture *capture)
{
    char *text;
    size_t size;
    cli_capture_take(capture, &text, &size);
    free(text);
    if (current_capture == capture)
        current_capture = NULL;
}

void cli_messages_write(const char *text, size_t size)
{
    if (!text || size == 0)
        return;
    cli_progress_clear();
    fwrite(text, 1, size, stderr);
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    cli_capture *c = current_capture;
    FILE *fp = stderr;
    if (c) {
        if (!c->fp)
            c->fp = open_memstream(&c->text, &c->size);
        fp = c->fp;
    }
    if (!fp) {
        fp = stderr; /* out of memory: better early than never */
        c = NULL;
    }
    if (!c)
        cli_progress_clear();
    fputs("stance: ", fp);
    va_start(ap, fmt);
    vfprintf(fp, fmt, ap);
    va_end(ap);
    fputc('\n', fp);
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

FILE *cli_open_input(const char *name)
{
    FILE *fp = strcmp(name, "-") == 0 ? stdin : fopen(name, "rb");
    if (!fp)
        cli_error("%s: %s", name, strerror(errno));
    return fp;
}

void cli_close_input(FILE *fp)
{
    if (fp && fp != stdin)
        fclose(fp);
}

int cli_refuse_directory(FILE *fp, const char *name)
{
    struct stat st;
    if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
        cli_error("%s: %s", name, strerror(EISDIR));
        return -1;
    }
    return 0;
}

int cli_read_all(const char *path, char **data, size_t *size)
{
    FILE *fp = cli_open_input(path);
    if (!fp)
        return -1;
    if (cli_refuse_directory(fp, path) != 0) {
        cli_close_input(fp);
        return -1;
    }
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    if (!buf) {
        cli_error("%s: out of memory", path);
        cli_close_input(fp);
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
    cli_close_input(fp);
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

int cli_refuse_input(const char *path, char *const *inputs, int ninputs)
{
    for (int i = 0; i < ninputs; i++) {
        if (strcmp(inputs[i], "-") != 0 && same_file(inputs[i], path)) {
            cli_error("%s: refusing to write over an input file", path);
            return -1;
        }
    }
    return 0;
}

/*
 * Robustness (issue 7): INT, TERM or HUP during a run with -o removes the
 * temporary file before the process dies of the signal, so that only
 * SIGKILL (or a crash) can leave FILE.tmp.XXXXXX behind; FILE itself is
 * never touched until the rename.  One output file per process.
 */
static const char *volatile pending_temp;

static void remove_temp_and_die(int sig)
{
    const char *temp = pending_temp;
    if (temp)
        unlink(temp);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void watch_temp(const char *temp)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    pending_temp = temp;
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction old, act;
        if (sigaction(sigs[i], NULL, &old) != 0 || old.sa_handler == SIG_IGN)
            continue; /* nohup and friends: stay ignored */
        memset(&act, 0, sizeof act);
        act.sa_handler = remove_temp_and_die;
        sigemptyset(&act.sa_mask);
        sigaction(sigs[i], &act, NULL);
    }
}

static int output_open(cli_output *out, const char *path, char *const *inputs, int ninputs)
{
    memset(out, 0, sizeof *out);
    if (!path || strcmp(path, "-") == 0) {
        out->fp = stdout;
        return 0;
    }
    if (cli_refuse_input(path, inputs, ninputs) != 0)
        return -1;
    /*
     * Robustness (issue 7): only a regular file is replaced by temporary
     * file and rename.  A device, FIFO or socket (-o /dev/null, /dev/full,
     * /dev/stdout, a named pipe) is written in place: renaming over it
     * would, as root, replace /dev/null itself with a regular file.  A
     * directory is refused before any work.  A symbolic link is followed,
     * so the file it names is replaced, not the link.
     */
    struct stat st;
    char *resolved = NULL;
    mode_t keep_mode = 0;
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            cli_error("%s: %s", path, strerror(EISDIR));
            return -1;
        }
        if (!S_ISREG(st.st_mode)) {
            out->fp = fopen(path, "w");
            if (!out->fp) {
                cli_error("%s: %s", path, strerror(errno));
                return -1;
            }
            out->path = strdup(path);
            if (!out->path) {
                cli_error("%s: out of memory", path);
                cli_output_abort(out);
                return -1;
            }
            return 0; /* temp_path NULL: no rename at close */
        }
        keep_mode = st.st_mode & 0777; /* the new file keeps the old one's mode */
        struct stat lst;
        if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
            resolved = realpath(path, NULL);
    }
    const char *final = resolved ? resolved : path;
    size_t n = strlen(final);
    out->path = malloc(n + 1);
    out->temp_path = malloc(n + 16);
    if (!out->path || !out->temp_path) {
        cli_error("%s: out of memory", path);
        free(resolved);
        cli_output_abort(out);
        return -1;
    }
    memcpy(out->path, final, n + 1);
    free(resolved);
    snprintf(out->temp_path, n + 16, "%s.tmp.XXXXXX", out->path);
    int fd = mkstemp(out->temp_path);
    if (fd < 0) {
        cli_error("%s: %s", path, strerror(errno));
        free(out->temp_path);
        out->temp_path = NULL;
        cli_output_abort(out);
        return -1;
    }
    /* mkstemp makes 0600; an output file should get the usual umask mode
     * (or the mode of the file it replaces). */
    if (!keep_mode) {
        mode_t mask = umask(0);
        umask(mask);
        keep_mode = 0666 & ~mask;
    }
    (void)fchmod(fd, keep_mode);
    watch_temp(out->temp_path);
    out->fp = fdopen(fd, "w");
    if (!out->fp) {
        cli_error("%s: %s", path, strerror(errno));
        close(fd);
        cli_output_abort(out);
        return -1;
    }
    return 0;
}

/*
 * stdio's own buffer for a file or pipe is a few KiB, one write call per
 * few KiB of records; 64 KiB cuts the calls sixteenfold, which shows on
 * large outputs.  A terminal keeps its line buffering (a person watches
 * it); without memory the stream keeps its own buffer.  Standard output's
 * buffer lives as long as the process, since stdout is flushed at exit.
 */
enum { OUTPUT_BUFFER = 1 << 16 };

static void output_buffer(cli_output *out)
{
    static char stdout_buffer[OUTPUT_BUFFER];
    static int stdout_buffered;
    if (isatty(fileno(out->fp)))
        return;
    if (out->fp == stdout) {
        if (!stdout_buffered && setvbuf(stdout, stdout_buffer, _IOFBF, sizeof stdout_buffer) == 0)
            stdout_buffered = 1;
        return;
    }
    out->buffer = malloc(OUTPUT_BUFFER);
    if (out->buffer && setvbuf(out->fp, out->buffer, _IOFBF, OUTPUT_BUFFER) != 0) {
        free(out->buffer);
        out->buffer = NULL;
    }
}

int cli_output_open(cli_output *out, const char *path, char *const *inputs, int ninputs)
{
    if (output_open(out, path, inputs, ninputs) != 0)
        return -1;
    output_buffer(out);
    return 0;
}

int cli_output_close(cli_output *out)
{
    const char *name = out->path ? out->path : "standard output";
    int failed = 0;
    errno = 0; /* a stale errno must not name the failure */
    if (fflush(out->fp) != 0 || ferror(out->fp))
        failed = errno ? errno : out->error ? out->error : EIO;
    if (out->path) {
        if (fclose(out->fp) != 0 && !failed)
            failed = errno ? errno : EIO;
        out->fp = NULL;
        /* temp_path NULL: a device or FIFO written in place, no rename. */
        if (!failed && out->temp_path && rename(out->temp_path, out->path) != 0)
            failed = errno;
        if (!failed)
            pending_temp = NULL;
    }
    if (failed) {
        cli_error("%s: write error: %s", name, strerror(failed));
        cli_output_abort(out);
        return -1;
    }
    free(out->path);
    free(out->temp_path);
    free(out->buffer);
    memset(out, 0, sizeof *out);
    return 0;
}

void cli_output_abort(cli_output *out)
{
    if (out->path && out->fp)
        fclose(out->fp);
    if (out->temp_path)
        unlink(out->temp_path);
    if (pending_temp == out->temp_path)
        pending_temp = NULL;
    free(out->path);
    free(out->temp_path);
    free(out->buffer);
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

/* Reports what cleaning replaced; the first few by offset, then a count.
 * An article from a JSONL line (line > 0) is named by its line, and the
 * offset is into its decoded "text", not into the file. */
static void report_problems(const char *name, size_t line, const st_doc *doc)
{
    size_t n = st_doc_problem_count(doc);
    const char *of_text = line ? " of its text" : "";
    for (size_t i = 0; i < n && i < 5; i++) {
        const st_problem *p = st_doc_problem(doc, i);
        const char *what = p->kind == ST_PROBLEM_NUL ? "NUL byte" : "invalid UTF-8";
        if (line)
            cli_error("%s:%zu: %s at byte %zu%s, replaced by U+FFFD", name, line, what, p->offset, of_text);
        else
            cli_error("%s: %s at byte %zu, replaced by U+FFFD", name, what, p->offset);
    }
    if (n > 5 && line)
        cli_error("%s:%zu: %zu more invalid bytes replaced", name, line, n - 5);
    else if (n > 5)
        cli_error("%s: %zu more invalid bytes replaced", name, n - 5);
}

int cli_read_article(const char *name, size_t line, const char *text, size_t size,
                     const st_text_options *options, st_doc **doc, st_article **article)
{
    st_diag diag;
    st_diag_clear(&diag);
    diag.file = name;
    *doc = NULL;
    *article = NULL;
    st_status status = st_doc_new(text, size, options, doc, &diag);
    if (status != ST_OK) {
        diag.line = line;
        cli_diag_error(&diag, status);
        return status == ST_ERR_NOMEM ? -1 : 1;
    }
    report_problems(name, line, *doc);
    status = st_article_read(*doc, article, &diag);
    if (status != ST_OK) {
        cli_diag_error(&diag, status);
        st_doc_free(*doc);
        *doc = NULL;
        return status == ST_ERR_NOMEM ? -1 : 1;
    }
    return 0;
}
