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

/*
 * One JSONL input line parsed (what cli_each_article does per line; also
 * the entry point of tests/fuzz/fuzz_jsonl.c).  Never prints.
 */
typedef struct cli_jsonl_article {
    json_t *object;      /* the parsed line (owned) */
    const char *text;    /* the "text" string, borrowed from object */
    size_t text_len;
    const char *id;      /* "id" as text, else the line number; borrowed */
    json_t *extra;       /* the other keys (owned), NULL when none */
    char idbuf[32];
    int has_column;      /* on error: whether `column` is known */
    int column;
    char message[160];   /* on error: why the line is not an article */
} cli_jsonl_article;
/*
 * Parses line[0..len) (without its newline; lineno names an article that
 * has no id).  Returns 0 with *out filled (release with
 * cli_jsonl_article_clear), 1 when the line is not an article (message,
 * column) or -1 when out of memory.  Nothing to release unless 0.
 */
int cli_jsonl_parse(const char *line, size_t len, size_t lineno, cli_jsonl_article *out);
void cli_jsonl_article_clear(cli_jsonl_article *article);

/* One feature of an explanation: its name and its contribution. */
typedef struct cli_explain_item {
    const char *name;
    double value;
} cli_explain_item;

/*
 * One quote record as DESIGN.md describes it.  Fields added for classify
 * are zero in a plain quote record (designated initialisers leave them so).
 */
typedef struct cli_record {
    const char *doc;
    const char *id;        /* may be NULL */
    size_t index;
    const char *quote;  size_t quote_len;
    const char *speaker;   /* NULL = unattributed */
    const char *mention;   /* NULL = none */
    const char *sentence; size_t sentence_len; /* sentence NULL = unknown (null) */
    size_t start, end;     /* byte offsets in the original input */
    json_t *extra;         /* borrowed: keys passed through from JSONL input, or NULL */
    /* classify */
    int no_offsets;        /* 1: start/end unknown (a TSV row): null / empty */
    int sentence_unit;     /* 1: a sentence record (no quote, no id) */
    const char *label;     /* NULL: no label, probabilities or explain fields */
    const double *probabilities; /* 3 values, label order threatening,
                                    conciliatory, neutral (with label) */
    int has_explain;       /* 1: write the explain field (possibly empty) */
    const cli_explain_item *explain;
    size_t explain_count;
} cli_record;

/* Writers.  `header` is called once before the first record. */
int cli_write_header(FILE *fp, cli_format format);
/*
 * The header of classify's records: the quote columns (or, for the
 * sentence unit, doc index speaker mention start end sentence), then
 * label, p_threatening, p_conciliatory, p_neutral and, with explain, explain.
 */
int cli_write_labelled_header(FILE *fp, cli_format format, int sentence_unit, int explain);
int cli_write_record(FILE *fp, cli_format format, const cli_record *record);

/* ------------------------------------------------------------------ */
/* Models (cli_model.c)                                                */

/*
 * The model directory to use: `requested` (--model) if given, else
 * $STANCE_MODEL if set and non-empty, else models/default beside the
 * binary (BIN/../models/default, or BIN/../../models/default for a build
 * tree like build/asan/, when it holds a MANIFEST), else the installed
 * STANCE_MODEL_DIR.  Returns a malloc'ed path, or NULL (out of
 * memory; message printed).
 */
char *cli_model_dir(const char *requested);
/* A path relative to the binary's parent directory, when that exists
 * (NULL otherwise); malloc'ed. */
char *cli_beside_binary(const char *relative);

#endif
