/*
 * st_report.h - per-speaker tone over many documents: aggregation of
 * labelled quotes, speaker merging across documents, and the report
 * writers (table, JSON, CSV, HTML).  docs/report.md describes the output.
 *
 * The aggregate is kept as cells: one per (document, speaker name as
 * given) with integer counts, probability sums in units of 1e-9 and the
 * most threatening and most conciliatory quote of the cell.  Integers
 * add up in any order, so a report built from shards and merged (the
 * JSON report holds every cell, see st_report_merge_json) is byte for
 * byte the report built from all records at once, and the output never
 * depends on the order of the input.
 *
 * Speakers are merged when the report is written, over all names seen
 * (st_report_group_names): "Blinken", "Antony Blinken" and "Secretary of
 * State Antony Blinken" are one person, "Marta Ortega" and "Rafael
 * Ortega" are two, and a capital shown with its country ("Tehran (Iran)")
 * is that country.  Unattributed quotes (speaker NULL) have their own
 * row.
 *
 * Ownership: st_report_new / st_report_free; st_report_rows_new /
 * st_report_rows_free.  Every string a row points to is borrowed from
 * the report (valid until it is freed).  Nothing here prints: writers
 * write to the FILE* they are given and report ST_ERR_IO on a write
 * error.
 */
#ifndef ST_REPORT_H
#define ST_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "st_dataset.h"
#include "stance.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct st_report st_report;

/* Flags for st_report_new. */
enum {
    /* Keep the text of every quote (the HTML report lists them all);
     * memory then grows with the input. */
    ST_REPORT_KEEP_QUOTES = 1
};

st_status st_report_new(int flags, st_report **out);
void st_report_free(st_report *report);

/* One labelled quote, as `stance classify --format jsonl` writes it. */
typedef struct st_report_record {
    const char *doc;        /* document name or id; required */
    long long index;        /* quote number within the document */
    const char *quote;      /* the quoted words (NUL-terminated) */
    const char *speaker;    /* canonical name; NULL = unattributed */
    int label;              /* ST_LABEL_* */
    double probability[ST_LABEL_COUNT]; /* each in [0, 1] */
} st_report_record;

/* Adds one quote (strings are copied).  ST_ERR_INPUT for a bad label,
 * a probability outside [0, 1] or a missing doc or quote. */
st_status st_report_add(st_report *report, const st_report_record *record,
                        st_diag *diag);

/*
 * Adds one record given as a JSON object (one line of classify's JSONL):
 * "doc" (string), "quote" (string), "speaker" (string or null), "label",
 * "probabilities" (object with the three labels), "index" (integer,
 * optional, 0 when absent); other keys are ignored.  ST_ERR_INPUT with a
 * message (diag->column the JSON column) when the line is not such a
 * record.
 */
st_status st_report_add_json_record(st_report *report, const char *line,
                                    size_t len, st_diag *diag);

/*
 * Merges one JSON report (the output of st_report_write in
 * ST_REPORT_JSON, with or without by_doc) given as text[0..len).  The
 * cells it holds are added as if their records had been added.
 */
st_status st_report_merge_json(st_report *report, const char *text, size_t len,
                               st_diag *diag);

/* Distinct documents and quotes added so far. */
size_t st_report_document_count(const st_report *report);
size_t st_report_quote_count(const st_report *report);

/* ------------------------------------------------------------------ */
/* Output                                                              */

typedef enum st_report_format {
    ST_REPORT_TABLE,
    ST_REPORT_JSON,
    ST_REPORT_CSV,
    ST_REPORT_HTML
} st_report_format;

typedef enum st_report_sort {
    ST_REPORT_SORT_QUOTES, /* most quotes first, then by name */
    ST_REPORT_SORT_TONE,   /* most threatening tone first, then quotes, name */
    ST_REPORT_SORT_NAME    /* by name (byte order) */
} st_report_sort;

/* Zero-initialise for the defaults (table, by quotes, every speaker). */
typedef struct st_report_options {
    st_report_format format;
    st_report_sort sort;
    size_t min_quotes;             /* rows with fewer quotes are left out */
    const char *const *speakers;   /* only these speakers (see below); */
    size_t speaker_count;          /*   none: every speaker */
    int by_doc;                    /* one block per document */
    int color;                     /* table: ANSI colours */
    const char *title;             /* HTML title; NULL: "stance report" */
} st_report_options;

/*
 * Writes the report.  --speaker filtering: a row is kept when one of the
 * names equals (ASCII case-insensitively) its display name or one of the
 * names merged into it, or is a shorter form of one of them by the
 * merging rule ("Blinken" selects "Antony Blinken"); "(unattributed)"
 * selects the unattributed row.  The unattributed row always comes last.
 */
st_status st_report_write(const st_report *report, const st_report_options *options,
                          FILE *fp, st_diag *diag);

/* ------------------------------------------------------------------ */
/* Rows, for callers that lay out their own report (and for tests)     */

typedef struct st_report_example {
    const char *quote;   /* borrowed */
    const char *doc;     /* borrowed */
    long long index;
    int label;           /* the quote's label */
    double probability;  /* of threatening (most_threatening) or conciliatory */
} st_report_example;

typedef struct st_report_row {
    const char *speaker;             /* display name; NULL = unattributed */
    size_t quotes;
    size_t documents;
    size_t labels[ST_LABEL_COUNT];   /* counts in ST_LABEL_* order */
    double share[ST_LABEL_COUNT];    /* labels / quotes */
    double tone;                     /* (conciliatory - threatening) / quotes */
    double tone_low, tone_high;      /* 95% interval, see st_report_tone */
    double mean_probability[ST_LABEL_COUNT];
    st_report_example most_threatening;
    st_report_example most_conciliatory;
    size_t name_count;               /* names merged into the row, byte order */
    const char *const *names;
} st_report_row;

typedef struct st_report_rows st_report_rows;

/*
 * The rows the report would show, filtered and sorted by `options`
 * (format, by_doc and color are ignored).  `doc` non-NULL restricts the
 * rows to that document's quotes (speaker names are still merged over
 * the whole report).
 */
st_status st_report_rows_new(const st_report *report, const st_report_options *options,
                             const char *doc, st_report_rows **out);
void st_report_rows_free(st_report_rows *rows);
size_t st_report_rows_count(const st_report_rows *rows);
const st_report_row *st_report_rows_get(const st_report_rows *rows, size_t index);

/* ------------------------------------------------------------------ */
/* The pieces, for tests                                               */

/*
 * The tone of a speaker with these label counts and its 95% interval:
 * a Wilson score interval for p = (tone + 1) / 2, the share of the
 * "conciliatory side" counting a neutral quote as half, mapped back to
 * [-1, 1].  With n = 0 everything is 0.
 */
void st_report_tone(size_t threatening, size_t conciliatory, size_t neutral,
                    double *tone, double *low, double *high);

/*
 * Speaker merging over a set of distinct names.  shown[i] receives the
 * name shown for names[i]'s group, borrowed from names (a suffix of one
 * of them); names of one group get the same pointer.  Rules:
 *  - A title or role in front of a personal name is not part of it:
 *    "Secretary of State Antony Blinken" is compared as "Antony Blinken"
 *    (the words after the last title, nationality or lowercase word;
 *    names ending in an institution word such as Department or Ministry
 *    are kept whole).
 *  - "Capital (Country)" is the country: it joins "Country" and any
 *    other "X (Country)".
 *  - A name whose words are an ordered subset of a fuller name's words
 *    with the same last word merges into it when all the fuller names
 *    that fit form one chain (each an ordered subset of the next):
 *    "Blinken" < "Antony Blinken" < "Antony J. Blinken"; "Ortega" next to
 *    "Marta Ortega" and "Rafael Ortega" stays alone.
 *  - Shown: not a capital form if the group has another; then the name
 *    with the most words in its personal name; then one without a
 *    title; then byte order.  A personal name of two words or more is
 *    shown without its title.
 * The result depends only on the set of names, not their order.
 */
st_status st_report_group_names(const char *const *names, size_t count, const char **shown);

#ifdef __cplusplus
}
#endif

#endif /* ST_REPORT_H */
