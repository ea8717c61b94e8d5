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

/*
 * Messages of one thread can be captured instead of printed: between
 * cli_capture_begin and cli_capture_end, cli_error and cli_diag_error of
 * the calling thread append to the capture (worker threads, so their
 * messages come out in input order).  cli_capture_take hands over what was
 * captured so far (*text malloc'ed, NULL when nothing) and goes on
 * capturing.  Returns -1 when out of memory (text lost), else 0.
 */
typedef struct cli_capture {
    FILE *fp;    /* open_memstream, opened at the first message */
    char *text;
    size_t size;
} cli_capture;
void cli_capture_begin(cli_capture *capture);
int cli_capture_take(cli_capture *capture, char **text, size_t *size);
void cli_capture_end(cli_capture *capture);
/* Writes captured messages to stderr (clearing a progress line first). */
void cli_messages_write(const char *text, size_t size);

/* A progress line on stderr (the calling thread must be the only one
 * printing): cli_progress_show redraws it in place, cli_progress_clear
 * erases it; cli_error clears it before a message. */
void cli_progress_show(const char *line);
void cli_progress_clear(void);

/*
 * Cleans one article's bytes and reads it (sentences, quotes, speakers),
 * printing what cleaning replaced and any failure as "stance: NAME:LINE:
 * ...".  On 0 the caller owns *doc and *article; 1 is bad input (reported),
 * -1 is out of memory (reported).
 */
int cli_read_article(const char *name, size_t line, const char *text, size_t size,
                     const st_text_options *options, st_doc **doc, st_article **article);

/* Reads all of `path` ("-" = standard input) into *data (NUL-terminated,
 * caller frees).  On failure prints the reason and returns -1. */
int cli_read_all(const char *path, char **data, size_t *size);

/* Output: standard output, or a temporary file renamed over `path` on
 * success, so a failed or interrupted run never leaves a half file. */
typedef struct cli_output {
    FILE *fp;
    char *path;      /* final name, NULL for stdout */
    char *temp_path; /* where we write until commit */
    int error;       /* errno of a write that failed before close (the
                      * stream may not fail the same way again), or 0 */
    char *buffer;    /* fp's stdio buffer when we gave it one, freed after
                      * fclose */
} cli_output;
int cli_output_open(cli_output *out, const char *path, char *const *inputs, int ninputs);
/* Prints "PATH: refusing to write over an input file" and returns -1 when
 * `path` is one of the inputs (same device and inode), else 0.  Used by
 * cli_output_open and by train before it spends minutes training. */
int cli_refuse_input(const char *path, char *const *inputs, int ninputs);
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

/* ------------------------------------------------------------------ */
/* Options (cli_options.c)                                             */

/*
 * The message for getopt_long's answer `c` (':' for a missing value, '?'
 * for an unknown option; the optstring must start with ':'), naming the
 * command and its --help.  Returns CLI_EXIT_USAGE.
 */
int cli_option_error(const char *command, int c, char *const *argv);
/*
 * The values of --format (jsonl, tsv, csv, table), --input (text, jsonl
 * and, when `tables`, tsv) and --jobs (cli_parse_jobs).  0, or -1 with
 * "COMMAND: unknown ... 'ARG' (...)" printed: the caller exits with
 * CLI_EXIT_USAGE.
 */
int cli_format_option(const char *command, const char *arg, cli_format *out);
int cli_input_option(const char *command, const char *arg, int tables, cli_input *out);
int cli_jobs_option(const char *command, const char *arg, int *jobs);
/* The FILE operands after getopt (argv + optind), or "-" (standard input)
 * alone when there are none; *count is their number. */
char **cli_operands(int argc, char **argv, int *count);
/*
 * The long options of a command that takes the feature and training
 * parameters (train, features): `nfixed` entries left zero for the
 * command's own options (the caller fills them), then one per parameter
 * (getopt value `first` + its index; a boolean's value is optional), then
 * the terminator.  malloc'ed; NULL when out of memory (message printed).
 */
struct option;
struct st_params;
struct option *cli_param_longopts(size_t nfixed, int first);
/* Sets parameter `index` from an option's value (NULL, a bare boolean:
 * "1").  0, or -1 with "COMMAND: why" printed. */
int cli_param_option(const char *command, struct st_params *params, size_t index, const char *arg);

/*
 * Every reader of an input file opens it the same way: `name` "-" is
 * standard input, anything else is opened "rb"; a failure prints
 * "stance: NAME: reason" and gives NULL.  cli_close_input closes what
 * cli_open_input opened and leaves standard input (and NULL) alone.
 */
FILE *cli_open_input(const char *name);
void cli_close_input(FILE *fp);
/* A directory opens but cannot be read as an article or a report: prints
 * "NAME: Is a directory" and returns -1 when fp is one, else 0. */
int cli_refuse_directory(FILE *fp, const char *name);

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
 * A quote table (TSV with a header) open for reading row by row, for
 * every command that reads one (quotes and classify units, features,
 * eval): one place opens the file and starts the reader.  cli_table_open
 * returns 0, or 1 when the file cannot be opened or its header is bad
 * (reported; nothing to close).  `flags` are st_tsv_reader_new's; `diag`
 * is there for st_tsv_reader_next.
 */
struct st_tsv_reader;
typedef struct cli_table {
    FILE *fp;
    struct st_tsv_reader *reader;
    st_diag diag;
} cli_table;
int cli_table_open(cli_table *t, const char *name, int flags);
void cli_table_close(cli_table *t);

/* The length of line[0..len) without its line ending (trailing '\n' and
 * '\r' bytes): every JSONL reader strips lines the same way. */
size_t cli_line_length(const char *line, size_t len);

/*
 * One JSONL input line parsed (what cli_each_article does per line; also
 * the entry point of tests/fuzz/fuzz_jsonl.c).  Never prints.
 */
typedef struct cli_jsonl_article {
    json_t *object;      /* the parsed line (owned), NULL when the fast
                          * reader parsed it (cli_inputs.c) */
    char *owned;         /* text and id unescaped by the fast reader (owned) */
    const char *text;    /* the "text" string, borrowed from object or owned */
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
/* Prints why line `line` of `name` is not an article (cli_jsonl_parse's
 * message), as "NAME:LINE[:COLUMN]: message". */
void cli_jsonl_report(const char *name, size_t line, const cli_jsonl_article *a);

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
    int doc_utf8;          /* 1: doc is known to be UTF-8 (the writers
                              skip their check of it) */
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
/*
 * The same, the record built in `scratch` (an st_buf from st_util.h,
 * zeroed before the first use; the caller frees it with st_buf_free):
 * a writer that keeps one for all its records allocates nothing per
 * record.
 */
struct st_buf;
int cli_write_record_buf(FILE *fp, cli_format format, const cli_record *record, struct st_buf *scratch);
/*
 * A writer of many records at once (an article's): cli_append_record
 * adds the record's bytes to `out` (0, or -1 with nothing added, as
 * cli_write_record_buf fails), cli_flush_records writes what `out` holds
 * with one fwrite and empties it (0, or -1 on a write error; nothing held
 * is nothing written).  The bytes are cli_write_record's, record by
 * record.
 */
int cli_append_record(struct st_buf *out, cli_format format, const cli_record *record);
int cli_flush_records(FILE *fp, struct st_buf *out);

/* Writes s[0..n) to fp as one TSV field: tab, newline, carriage return
 * and backslash escaped as \t \n \r \\ (as every TSV writer here does).
 * 0, or -1 on a write error. */
int cli_put_tsv(FILE *fp, const char *s, size_t n);
/*
 * A file name made fit for a record: file names are bytes, records are
 * UTF-8 (jansson refuses anything else).  Returns `name` itself when it is
 * valid UTF-8, else a malloc'ed copy with each invalid byte replaced by
 * U+FFFD, which *copy then owns (NULL otherwise; free it).  Returns NULL
 * only when out of memory.
 */
const char *cli_utf8_name(const char *name, char **copy);

/* ------------------------------------------------------------------ */
/* Ordered parallel work (cli_jobs.c)                                  */

/*
 * A run over a stream of items (articles, JSONL lines, table rows):
 * a reader hands items in input order to cli_pool_submit; each item is
 * processed into its output records; the output comes out in input
 * order, byte for byte the same whatever the number of jobs.
 *
 * jobs == 1: everything happens in the calling thread; each item is
 *   processed inside cli_pool_submit and written straight to `out`.
 * jobs > 1:  the reader runs in its own thread, `jobs` worker threads
 *   process items from a bounded ring (at most 8 x jobs items and about
 *   64 MB of input in flight, so memory does not grow with the input),
 *   each worker writing into a buffer of its own; the calling thread
 *   writes the buffers and the messages of every item in input order.
 *   Messages of the reader and workers are captured (cli_capture) and
 *   printed in order with the output they belong to.
 * Either way, when `out` is not a regular file (a pipe, a terminal), it is
 * flushed as soon as the next item is not yet at hand, so records appear
 * while the input still arrives; and when stderr is a terminal a progress
 * line (items, records, MB, MB/s) is shown after the first half second
 * and cleared at the end.  Nothing is shown when stderr is not a terminal.
 */
typedef struct cli_pool cli_pool;

typedef struct cli_pool_ops {
    /* State of one worker (an extractor, scratch buffers), made in the
     * calling thread before any work; NULL: failed (message printed). */
    void *(*worker_new)(void *ctx);
    void (*worker_free)(void *worker);
    /*
     * Processes one item: writes its records to `out` and adds their
     * number to *records; messages go through cli_error.  Returns 0, 1
     * (bad input: reported, the run goes on) or -1 (stop the run: a
     * write error or out of memory, reported).
     */
    int (*process)(void *worker, void *item, FILE *out, size_t *records);
    void (*item_free)(void *item);
} cli_pool_ops;

/* Reads every item and submits it; returns 0, 1 (some input was bad or
 * unreadable, reported) or -1 (stopped: cli_pool_submit said so). */
typedef int (*cli_pool_reader)(void *source, cli_pool *pool);

/* Returns 0, 1 (some input bad) or -1 (stopped by a write error, with
 * errno set to it, or by a failure already reported).  `streaming`: the
 * input may arrive over time (a pipe or terminal), so output that is not
 * a regular file is flushed whenever the pool has nothing more to write
 * (a reader downstream sees each record soon); otherwise stdio's buffer
 * decides, which is one write per buffer instead of one per record. */
int cli_pool_run(int jobs, FILE *out, int streaming, const cli_pool_ops *ops, void *ctx, cli_pool_reader read,
                 void *source);
/* Hands over `item` (the pool frees it); `bytes` is its input size, for
 * the memory bound and the progress line.  Returns 0, or -1 when the run
 * is stopping (the reader should return -1 at once). */
int cli_pool_submit(cli_pool *pool, void *item, size_t bytes);

/* The --jobs value: 1..256, or "0"/"auto" for the number of processors.
 * Returns -1 when `arg` is neither. */
int cli_parse_jobs(const char *arg, int *jobs);

/*
 * The items of quotes and classify: a text file (one article), a JSONL
 * line (one article, not yet parsed) or a quote table row (copied).
 */
typedef enum cli_unit_kind { CLI_UNIT_TEXT, CLI_UNIT_JSONL, CLI_UNIT_ROW } cli_unit_kind;
typedef struct cli_unit {
    cli_unit_kind kind;
    const char *name;     /* the file as given (borrowed from argv) */
    size_t line;          /* JSONL line or table line; 0 for a text file */
    size_t index;         /* row: index of the row in its table */
    char *data;           /* text or line, NUL-terminated (owned; a JSONL line or a row: in the unit's block) */
    size_t size;
    /* rows: fields point into data (NULL when the table lacks them) */
    const char *id;
    const char *quote;    size_t quote_len;
    const char *sentence; size_t sentence_len;
    const char *speaker;  size_t speaker_len;
} cli_unit;
void cli_unit_free(void *unit);

/* Where cli_read_units reads from. */
typedef struct cli_unit_source {
    char *const *files;
    int nfiles;
    cli_input requested;
    /* What a quote table (TSV) gives: rows when NULL, else this message
     * ("FILE: " before it) and the table is skipped as bad input. */
    const char *table_refusal;
} cli_unit_source;
/* A cli_pool_reader over the files of a cli_unit_source. */
int cli_read_units(void *source, cli_pool *pool);
/*
 * The whole run of quotes and classify, one copy for both: opens `output`
 * (NULL: standard output; never over one of the source's files), writes
 * the header through header(fp, ctx), processes every unit of `source`
 * on `jobs` threads (cli_pool_run with ops and ctx) and commits the
 * output, or removes a partial one.  Returns CLI_EXIT_OK, or
 * CLI_EXIT_FAILURE when some input was bad or anything failed (reported).
 */
int cli_run_units(const char *output, int jobs, cli_unit_source *source, int (*header)(FILE *fp, void *ctx),
                  const cli_pool_ops *ops, void *ctx);
/* Calls fn for the article of a text or JSONL unit (a JSONL line is parsed
 * here; a bad line is reported and gives 1). */
int cli_unit_article(const cli_unit *unit, cli_article_fn fn, void *ctx);

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
/*
 * Loads the model cli_model_dir(requested) names.  On success returns it
 * and sets *dir_out to its directory (malloc'ed; the caller frees both);
 * on failure prints the loader's message (and, for the default model, how
 * to get one) and returns NULL with *dir_out NULL.
 */
struct st_model *cli_load_model(const char *requested, char **dir_out);
/*
 * The cue lexicon of train and features (without a model): `dir` if
 * given, else training-data/lexicon here or beside the binary.  Returns
 * it (the caller frees it), or NULL with the reason printed (a file's
 * problem as "DIR/FILE:LINE: message"; no directory found as "COMMAND:
 * no lexicon directory found ...").
 */
struct st_lexicon *cli_load_lexicon(const char *command, const char *dir);
/* A path relative to the binary's parent directory, when that exists
 * (NULL otherwise); malloc'ed. */
char *cli_beside_binary(const char *relative);

#endif
