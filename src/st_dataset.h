/*
 * st_dataset.h - labelled quote tables (TSV) and the label set.
 *
 * A quote table is UTF-8 text with a header row; columns are found by
 * name: `quote` (required), `label` (required when ST_DATASET_LABELLED is
 * asked for: training and evaluation), `sentence` (the whole sentence, for
 * context), `speaker` and `id` (optional); any other column is ignored.
 * Every row has exactly as many TAB-separated fields as the header; a
 * field is taken as it is (no quoting, no escapes), like Python's csv
 * module with QUOTE_NONE.  Lines may be of any length; a CR before the LF
 * and a byte order mark before the header are dropped; an empty line is
 * skipped.  A NUL byte or invalid UTF-8 is an error.
 *
 * Errors are ST_ERR_INPUT (or ST_ERR_IO / ST_ERR_NOMEM) with diag->file
 * the name given by the caller (borrowed), diag->line and diag->column
 * (1-based, the column a byte column) and a message such as
 *     unknown label "threat" (expected threatening, conciliatory or neutral)
 *
 * Two ways to read: st_tsv_reader streams one row at a time (memory does
 * not grow with the input; for classify), st_dataset keeps every row (for
 * training and evaluation).  Nothing here prints.
 */
#ifndef ST_DATASET_H
#define ST_DATASET_H

#include <stddef.h>
#include <stdio.h>

#include "stance.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Labels, in the fixed order every report and model uses.             */

enum {
    ST_LABEL_THREATENING = 0,
    ST_LABEL_CONCILIATORY = 1,
    ST_LABEL_NEUTRAL = 2,
    ST_LABEL_COUNT = 3,
    ST_LABEL_NONE = -1
};

/* "threatening", "conciliatory", "neutral"; NULL out of range. */
const char *st_label_name(int label);
/* The label named by text[0..len), or ST_LABEL_NONE. */
int st_label_parse(const char *text, size_t len);

/* ------------------------------------------------------------------ */
/* Rows                                                                */

/*
 * One row.  Strings are NUL-terminated and borrowed from the reader or
 * dataset.  A column the table lacks gives NULL and length 0.
 */
typedef struct st_row {
    const char *file;      /* name of the table the row came from */
    size_t line;           /* 1-based line number in that table */
    const char *id;        size_t id_len;
    const char *quote;     size_t quote_len;
    const char *sentence;  size_t sentence_len;
    const char *speaker;   size_t speaker_len;
    int label;             /* ST_LABEL_*, ST_LABEL_NONE without a label column */
} st_row;

/* Flags for reading. */
enum {
    ST_DATASET_LABELLED = 1, /* the label column is required */
    /* The caller never asks for st_tsv_reader_sha256 (classify, eval):
     * hashing every byte cost more than reading and checking them. */
    ST_TSV_NO_CHECKSUM = 2
};

/* ------------------------------------------------------------------ */
/* Streaming reader                                                    */

typedef struct st_tsv_reader st_tsv_reader;

/*
 * Reads the header of a table from fp (borrowed; never seeks, so pipes
 * work).  `name` (borrowed, must outlive the reader) names the table in
 * diagnostics and rows.  On success *out owns a new reader.
 */
st_status st_tsv_reader_new(FILE *fp, const char *name, int flags,
                            st_tsv_reader **out, st_diag *diag);
void st_tsv_reader_free(st_tsv_reader *reader);

/*
 * Reads the next row into *row (valid until the next call or the free).
 * Returns ST_OK with *done = 0 for a row, ST_OK with *done = 1 at the end,
 * or an error (the reader may be called again to go on with the next
 * line).
 */
st_status st_tsv_reader_next(st_tsv_reader *reader, st_row *row, int *done,
                             st_diag *diag);

/* Whether the table has an id / label column. */
int st_tsv_reader_has_id(const st_tsv_reader *reader);
int st_tsv_reader_has_label(const st_tsv_reader *reader);

/* SHA-256 (64 hex digits) of every byte read so far; after the last row,
 * the checksum of the whole table (the data version a model records).
 * Not for a reader made with ST_TSV_NO_CHECKSUM (it gives the hash of
 * nothing). */
void st_tsv_reader_sha256(const st_tsv_reader *reader, char hex[65]);

/* ------------------------------------------------------------------ */
/* Whole tables in memory                                              */

typedef struct st_dataset st_dataset;

st_status st_dataset_new(st_dataset **out);
void st_dataset_free(st_dataset *ds);

/*
 * Appends every row of the table in fp (name borrowed, must outlive the
 * dataset).  Stops at the first bad row: rows read before it stay.
 */
st_status st_dataset_read(st_dataset *ds, FILE *fp, const char *name,
                          int flags, st_diag *diag);
/* Opens `path` ("-" is standard input) and reads it; the path is copied. */
st_status st_dataset_read_file(st_dataset *ds, const char *path, int flags,
                               st_diag *diag);

size_t st_dataset_count(const st_dataset *ds);

/* The tables read, in order: name, SHA-256 of their bytes, rows kept. */
size_t st_dataset_file_count(const st_dataset *ds);
const char *st_dataset_file_name(const st_dataset *ds, size_t index);
const char *st_dataset_file_sha256(const st_dataset *ds, size_t index);
size_t st_dataset_file_rows(const st_dataset *ds, size_t index);
/* Row i (NULL out of range), valid until the dataset is freed. */
const st_row *st_dataset_row(const st_dataset *ds, size_t index);

#ifdef __cplusplus
}
#endif

#endif /* ST_DATASET_H */
