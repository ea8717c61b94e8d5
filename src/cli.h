/*
 * cli.h - what the subcommands share: messages, reading inputs, safe
 * output files, and the quote record writers.  Only the command-line
 * layer (main.c, cmd_*.c, cli_*.c) includes this; the library never
 * prints.
 */
#ifndef STANCE_CLI_H
#define STANCE_CLI_H

#include <stdio.h>
#include <jansson.h>
#include "stance.h"

/* Exit statuses of the command line (DESIGN.md). */
enum { CLI_EXIT_OK = 0, CLI_EXIT_FAILURE = 1, CLI_EXIT_USAGE = 2 };

/* "stance: " + message + newline on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A library failure: "stance: FILE:LINE:COL: message" from diag. */
void cli_diag_error(const st_diag *diag, st_status status);

/* Reads all of `path` ("-" = standard input) into *data (NUL-terminated,
 * caller frees).  On failure prints the reason and returns -1. */
int cli_read_all(const char *path, char **data, size_t *size);

/* Output: standard output, or a temporary file renamed over `path` on
 * success, so a failed or interrupted run never leaves a half file. */
typedef struct cli_output {
    FILE *fp;
    char *path;      /* final name, NULL for stdout */
    char *temp_path; /* where we write until commit */
} cli_output;
int cli_output_open(cli_output *out, const char *path, char *const *inputs, int ninputs);
/* Flushes and checks for write errors (a full disk fails loudly), then
 * renames into place.  Returns 0 or -1 (message printed). */
int cli_output_close(cli_output *out);
/* Discards a temporary output after an error. */
void cli_output_abort(cli_output *out);

/* Input kinds and output formats. */
typedef enum cli_input { CLI_INPUT_AUTO, CLI_INPUT_TEXT, CLI_INPUT_JSONL, CLI_INPUT_TSV } cli_input;
typedef enum cli_format { CLI_FORMAT_JSONL, CLI_FORMAT_TSV, CLI_FORMAT_CSV, CLI_FORMAT_TABLE } cli_format;
int cli_parse_input(const char *arg, cli_input *out);
int cli_parse_format(const char *arg, cli_format *out);
/* The input kind of a file: by --input, else by extension, else text. */
cli_input cli_input_for(const char *path, cli_input requested);

/*
 * Calls fn once per article of every input: a text file is one article, a
 * JSONL file one per line ({"id": ..., "text": ...}; other keys come as
 * `extra`, borrowed for the call).  `doc_id` is the JSONL id (or line
 * number), NULL for text files; `line` the JSONL line or 0.  fn returns 0,
 * 1 for bad input (reported; the walk goes on) or -1 to stop (a write
 * error).  Returns 0, 1 if any input was bad or unreadable, or -1.
 */
typedef int (*cli_article_fn)(void *ctx, const char *name, const char *doc_id, size_t line,
                              const char *text, size_t size, json_t *extra);
int cli_each_article(char *const *files, int nfiles, cli_input requested, cli_article_fn fn, void *ctx);

/* One quote record as DESIGN.md describes it. */
typedef struct cli_record {
    const char *doc;
    const char *id;        /* may be NULL */
    size_t index;
    const char *quote;  size_t quote_len;
    const char *speaker;   /* NULL = unattributed */
    const char *mention;   /* NULL = none */
    const char *sentence; size_t sentence_len;
    size_t start, end;     /* byte offsets in the original input */
    json_t *extra;         /* borrowed: keys passed through from JSONL input, or NULL */
} cli_record;

/* Writers.  `header` is called once before the first record. */
int cli_write_header(FILE *fp, cli_format format);
int cli_write_record(FILE *fp, cli_format format, const cli_record *record);

#endif
