/*
 * stance.h - public API of libstance.
 *
 * libstance reads political news: it splits an article into sentences,
 * finds every quotation and who said it, and (with a model) labels each
 * quote threatening, conciliatory or neutral.
 *
 * Conventions (hold for every function below):
 *  - The library never prints and never exits.  Functions that can fail
 *    return an st_status and, when given a non-NULL st_diag, fill it with
 *    the place and a one-line reason.  Only the command-line layer talks
 *    to the user.
 *  - Every string inside the library is valid UTF-8 (see st_doc_new).
 *    Every position is a byte offset; st_doc_source_offset maps an offset
 *    in the normalised text back to the caller's original bytes.
 *  - Ownership: st_x_new()/st_x_free() pairs; *_free(NULL) is a no-op.
 *    A pointer returned by an accessor is borrowed from its owner and is
 *    valid until the owner is freed.
 */
#ifndef STANCE_H
#define STANCE_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ST_VERSION "0.1.0"

/* ------------------------------------------------------------------ */
/* Status and diagnostics                                              */

typedef enum st_status {
    ST_OK = 0,
    ST_ERR_NOMEM,  /* an allocation failed */
    ST_ERR_IO,     /* reading or writing failed (errno is kept in diag) */
    ST_ERR_INPUT,  /* the input is malformed (bad UTF-8 with strict, bad TSV/JSONL) */
    ST_ERR_MODEL,  /* a model bundle is missing, damaged or of another version */
    ST_ERR_USAGE   /* the caller passed arguments that make no sense */
} st_status;

/* A short English description of a status ("out of memory", ...). */
const char *st_strerror(st_status status);

/*
 * Where and why something failed.  `file` is borrowed (the caller's name
 * for the input); line and column are 1-based, 0 when not applicable;
 * `offset` is a byte offset into the input, or (size_t)-1.
 */
typedef struct st_diag {
    const char *file;
    size_t line;
    size_t column;
    size_t offset;
    char message[256];
} st_diag;

/* Clears a diagnostic (file NULL, positions unknown, empty message). */
void st_diag_clear(st_diag *diag);

/* ------------------------------------------------------------------ */
/* Spans                                                               */

/* A half-open byte range [start, end) into a document's text. */
typedef struct st_span {
    size_t start;
    size_t end;
} st_span;

/* ------------------------------------------------------------------ */
/* Documents: UTF-8 at the boundary (st_text.c)                        */

typedef struct st_doc st_doc;

/* Options for st_doc_new.  Zero-initialise for the defaults. */
typedef struct st_text_options {
    int strict; /* non-zero: invalid UTF-8 or a NUL byte is an error */
} st_text_options;

/*
 * Builds a document from `size` raw bytes (copied; the caller keeps
 * `bytes`).  The text is cleaned once, here:
 *  - a leading byte order mark is dropped;
 *  - CRLF and lone CR become LF;
 *  - invalid UTF-8 sequences and NUL bytes become U+FFFD (each one is
 *    recorded, see st_doc_problem) or, with options->strict, fail with
 *    ST_ERR_INPUT and the offset of the first one in diag;
 *  - other C0 controls except TAB and LF become a space;
 *  - the text is put in Unicode NFC.
 * Positions in the cleaned text map back to the original bytes with
 * st_doc_source_offset.  On success *out owns a new document.
 */
st_status st_doc_new(const char *bytes, size_t size,
                     const st_text_options *options, st_doc **out,
                     st_diag *diag);
void st_doc_free(st_doc *doc);

/* The cleaned, NUL-terminated text and its length in bytes. */
const char *st_doc_text(const st_doc *doc);
size_t st_doc_size(const st_doc *doc);

/*
 * The byte offset in the original input of the cleaned text's byte
 * `offset` (offset == st_doc_size maps to the input's size).  Inside a
 * run that NFC changed, offsets map to the start of the run.
 */
size_t st_doc_source_offset(const st_doc *doc, size_t offset);

/* What the cleaning replaced: invalid UTF-8 or NUL, at an input offset. */
typedef enum st_problem_kind { ST_PROBLEM_INVALID_UTF8, ST_PROBLEM_NUL } st_problem_kind;
typedef struct st_problem {
    st_problem_kind kind;
    size_t offset; /* byte offset in the original input */
} st_problem;
size_t st_doc_problem_count(const st_doc *doc);
const st_problem *st_doc_problem(const st_doc *doc, size_t index);

/* ------------------------------------------------------------------ */
/* Quotations (st_quotes.c)                                            */

/*
 * One quotation found in a text.  All spans index the cleaned text.
 *  - `inner`: the quoted words, between the marks, trimmed of white space;
 *  - `outer`: the same including the opening mark and, if present, the
 *    closing mark;
 *  - `closed`: 0 when the paragraph ended before a closing mark (newswire
 *    convention or a stray mark);
 *  - `continues`: 1 when the quote is unclosed at the end of its paragraph
 *    and the next paragraph opens with a quote mark, i.e. the same speaker
 *    goes on talking in the next quote.
 * Quotes nested inside another quote are part of the outer quote's text
 * and are not listed.
 */
typedef struct st_quote {
    st_span inner;
    st_span outer;
    int closed;
    int continues;
} st_quote;

/* A growable list of quotes; zero-initialise, release with st_quotes_clear. */
typedef struct st_quote_list {
    st_quote *items;
    size_t count;
    size_t capacity;
} st_quote_list;

/*
 * Appends to `out` every top-level quotation in text[0..size), in text
 * order.  Recognises “ ” ‘ ’ « » „ ‚ ‹ › 「 」 『 』 and straight " and ',
 * and tells apostrophes (don’t, Russia’s, ’90s) from quote marks.
 * Runs in time linear in size.
 */
st_status st_quotes_find(const char *text, size_t size, st_quote_list *out);
void st_quotes_clear(st_quote_list *list);

/* ------------------------------------------------------------------ */
/* Sentences (st_sentences.c)                                          */

/* A growable list of spans; zero-initialise, release with st_spans_clear. */
typedef struct st_span_list {
    st_span *items;
    size_t count;
    size_t capacity;
} st_span_list;
st_status st_spans_push(st_span_list *list, size_t start, size_t end);
void st_spans_clear(st_span_list *list);

/*
 * Appends to `out` the sentences of text[0..size) in order, each trimmed
 * of surrounding white space.  A line break always ends a sentence
 * (paragraphs are lines).  Abbreviations (Mr., U.S., Gen., Jan., No. 5,
 * initials), decimals and ellipses inside a sentence do not end it.
 * `quotes` (may be NULL) are the text's quotations: a sentence end inside
 * a quotation does not end the sentence, so a quote stays with its
 * attribution.  Linear in size.
 */
st_status st_sentences_split(const char *text, size_t size,
                             const st_quote_list *quotes, st_span_list *out);

/* ------------------------------------------------------------------ */
/* Articles: sentences, quotes and speakers together (st_article.c)   */

typedef struct st_article st_article;

/* One attributed quote of an article.  Strings are owned by the article. */
typedef struct st_attributed_quote {
    st_quote quote;          /* spans in the cleaned text */
    size_t sentence;         /* index of the sentence holding the quote */
    const char *speaker;     /* canonical name, NULL when no speaker is found */
    const char *mention;     /* the words that named the speaker, or NULL */
    int speaker_id;          /* entity number within the article, -1 if none */
} st_attributed_quote;

/*
 * Reads one article from a cleaned document (borrowed: it must outlive
 * the article): sentences, quotes, and the speaker of each quote,
 * resolving titles, surnames, pronouns and role nouns within the article.
 */
st_status st_article_read(const st_doc *doc, st_article **out, st_diag *diag);
void st_article_free(st_article *article);

size_t st_article_sentence_count(const st_article *article);
st_span st_article_sentence(const st_article *article, size_t index);
/*
 * The speaker a sentence reports, for labelling narration sentence by
 * sentence ("Diallo warned that ..." -> "Amara Diallo"): the subject of
 * the sentence's speech verb, or of a quote it holds.  NULL when the
 * sentence reports nobody.  *mention (may be NULL) gets the words.
 */
const char *st_article_sentence_speaker(const st_article *article, size_t index, const char **mention);

size_t st_article_quote_count(const st_article *article);
const st_attributed_quote *st_article_quote(const st_article *article, size_t index);

#ifdef __cplusplus
}
#endif

#endif /* STANCE_H */
