/*
 * st_text.c - UTF-8 at the boundary: validate, clean and NFC-normalise a
 * document once, keeping a sparse map from cleaned offsets back to the
 * caller's original bytes.
 *
 * The offset map is a sorted array of anchors.  An anchor {clean, source}
 * says that from cleaned offset `clean` on (up to the next anchor) the
 * cleaned bytes map to source + (offset - clean), i.e. they were copied
 * verbatim; a "flat" anchor says they all map to `source`, because they
 * were produced by a replacement (U+FFFD) or by NFC rewriting a run.
 * Anchors are only added where the mapping changes, so plain text costs a
 * single anchor whatever its length.
 */
#include "st_util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

typedef struct st_anchor {
    size_t clean;
    size_t source;
    int flat;
} st_anchor;

struct st_doc {
    char *text;           /* owned, NUL-terminated cleaned text */
    size_t size;
    size_t source_size;   /* length of the caller's input */
    st_anchor *anchors;   /* owned, sorted by clean, anchors[0].clean == 0 */
    size_t anchor_count;
    size_t anchor_capacity;
    st_problem *problems; /* owned, in input order */
    size_t problem_count;
    size_t problem_capacity;
};

/* State of one st_doc_new call. */
typedef struct builder {
    const char *in;
    size_t size;
    st_buf out;
    st_doc *doc;
    /* Source offset of the last output byte when it is an ASCII byte copied
     * verbatim, else SIZE_MAX: a base letter can compose with the marks
     * that follow it, so NFC of a run may need that byte too. */
    size_t last_ascii_source;
    /* Scratch space for utf8proc (code points, then re-encoded UTF-8);
     * reused for every run so normalising costs no allocation per word. */
    utf8proc_int32_t *scratch;
    size_t scratch_capacity;
} builder;

static const char replacement[3] = {'\xEF', '\xBF', '\xBD'}; /* U+FFFD */

/* Records that cleaned bytes from `clean` on map to `source` (flat or
 * shifted), merging with the last anchor when nothing changes. */
static st_status add_anchor(st_doc *doc, size_t clean, size_t source, int flat)
{
    if (doc->anchor_count > 0 && doc->anchors[doc->anchor_count - 1].clean == clean) {
        /* A later rule at the same place wins (e.g. a flat NFC run
         * starting where a dropped CR left an anchor). */
        doc->anchor_count--;
    }
    if (doc->anchor_count > 0) {
        const st_anchor *last = &doc->anchors[doc->anchor_count - 1];
        if (!flat && !last->flat && source >= last->source &&
            source - last->source == clean - last->clean)
            return ST_OK; /* same shift: the last anchor already covers it */
    }
    void *items = doc->anchors;
    if (st_grow(&items, &doc->anchor_capacity, doc->anchor_count, sizeof(st_anchor)) != ST_OK)
        return ST_ERR_NOMEM;
    doc->anchors = items;
    st_anchor anchor = {clean, source, flat};
    doc->anchors[doc->anchor_count++] = anchor;
    return ST_OK;
}

static st_status add_problem(st_doc *doc, st_problem_kind kind, size_t offset)
{
    void *items = doc->problems;
    if (st_grow(&items, &doc->problem_capacity, doc->problem_count, sizeof(st_problem)) != ST_OK)
        return ST_ERR_NOMEM;
    doc->problems = items;
    st_problem problem = {kind, offset};
    doc->problems[doc->problem_count++] = problem;
    return ST_OK;
}

/* Replaces `length` source bytes at `source` by U+FFFD. */
static st_status emit_replacement(builder *b, size_t source, size_t length)
{
    size_t clean = b->out.len;
    st_status status = add_anchor(b->doc, clean, source, 1);
    if (status == ST_OK)
        status = st_buf_append(&b->out, replacement, sizeof replacement);
    if (status == ST_OK)
        status = add_anchor(b->doc, clean + sizeof replacement, source + length, 0);
    b->last_ascii_source = SIZE_MAX;
    return status;
}

/* ------------------------------------------------------------------ */
/* NFC by runs                                                         */

static int is_hangul_jamo(int32_t cp)
{
    /* utf8proc composes Hangul algorithmically, outside its tables. */
    return (cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0xA960 && cp <= 0xA97F) ||
           (cp >= 0xD7B0 && cp <= 0xD7FF);
}

static int can_compose_as_second(const utf8proc_property_t *p)
{
    /* In utf8proc's tables comb_index >= 0x8000 marks the second code
     * point of a primary composition. */
    return p->comb_index != UINT16_MAX && p->comb_index >= 0x8000;
}

/* Normalises input[start..end) into the output, anchoring if it changed. */
static st_status flush_segment(builder *b, size_t start, size_t end, int suspicious)
{
    if (start >= end)
        return ST_OK;
    if (!suspicious)
        return st_buf_append(&b->out, b->in + start, end - start);

    /* Take back the verbatim ASCII byte just before, so that it can
     * compose with the marks that follow it (e + U+0301 -> é). */
    int with_previous = b->last_ascii_source != SIZE_MAX && b->last_ascii_source + 1 == start &&
                        b->out.len > 0;
    size_t source_start = with_previous ? start - 1 : start;
    const utf8proc_uint8_t *bytes = (const utf8proc_uint8_t *)b->in + source_start;
    utf8proc_ssize_t n = (utf8proc_ssize_t)(end - source_start);
    utf8proc_option_t options = UTF8PROC_STABLE | UTF8PROC_COMPOSE;

    utf8proc_ssize_t count = utf8proc_decompose(bytes, n, b->scratch,
                                                (utf8proc_ssize_t)b->scratch_capacity, options);
    if (count >= 0 && (size_t)count + 1 > b->scratch_capacity) {
        /* +1: utf8proc_reencode writes a terminating NUL. */
        size_t capacity = (size_t)count + 1;
        if (capacity > SIZE_MAX / sizeof(utf8proc_int32_t))
            return ST_ERR_NOMEM;
        utf8proc_int32_t *grown = realloc(b->scratch, capacity * sizeof(utf8proc_int32_t));
        if (grown == NULL)
            return ST_ERR_NOMEM;
        b->scratch = grown;
        b->scratch_capacity = capacity;
        count = utf8proc_decompose(bytes, n, b->scratch, (utf8proc_ssize_t)b->scratch_capacity,
                                   options);
    }
    if (count == UTF8PROC_ERROR_NOMEM)
        return ST_ERR_NOMEM;
    utf8proc_ssize_t length = count < 0 ? count : utf8proc_reencode(b->scratch, count, options);
    if (length == UTF8PROC_ERROR_NOMEM)
        return ST_ERR_NOMEM;
    if (length < 0) {
        /* Cannot happen on validated input; keep the bytes as they are. */
        return st_buf_append(&b->out, b->in + start, end - start);
    }
    const char *normal = (const char *)b->scratch;
    if ((size_t)length == (size_t)n && memcmp(normal, bytes, (size_t)n) == 0) {
        /* Already NFC: copy verbatim, no anchor needed. */
        return st_buf_append(&b->out, b->in + start, end - start);
    }
    if (with_previous) {
        b->out.len--;
        /* No anchor can lie beyond the byte taken back, but be safe. */
        while (b->doc->anchor_count > 1 && b->doc->anchors[b->doc->anchor_count - 1].clean > b->out.len)
            b->doc->anchor_count--;
    }
    size_t clean = b->out.len;
    st_status status = add_anchor(b->doc, clean, source_start, 1);
    if (status == ST_OK)
        status = st_buf_append(&b->out, normal, (size_t)length);
    if (status == ST_OK)
        status = add_anchor(b->doc, clean + (size_t)length, end, 0);
    return status;
}

/* Non-starters in a row after which a segment is cut anyway (the limit of
 * the Unicode Stream-Safe Text Format, UAX #15): canonical ordering is
 * quadratic in the length of such a sequence, so input made of nothing
 * but combining marks must not reach utf8proc in one piece. */
#define MAX_NONSTARTERS 30
/* Bytes after which a segment is cut before any starter that cannot
 * compose with what precedes it, to bound utf8proc's scratch space. */
#define LONG_SEGMENT 256

/*
 * Copies the run of valid non-ASCII code points starting at *pos, in
 * segments cut where NFC cannot cross: before a starter that nothing
 * before it can compose with or reorder around, and has no canonical
 * decomposition.  Only segments holding a code point NFC may change
 * ("suspicious": a non-starter, a possible second half of a composition,
 * a Hangul jamo, or a canonical decomposition) go through utf8proc.
 * Advances *pos past the run.
 */
static st_status copy_run(builder *b, size_t *pos)
{
    size_t i = *pos;
    size_t segment = i;
    int suspicious = 0;
    int nonstarters = 0;
    while (i < b->size && (unsigned char)b->in[i] >= 0x80) {
        int32_t cp;
        size_t len = st_utf8_decode(b->in + i, b->size - i, &cp);
        if (cp < 0)
            break;
        const utf8proc_property_t *p = utf8proc_get_property(cp);
        int starter = p->combining_class == 0;
        int fixed_starter = starter && !can_compose_as_second(p) && !is_hangul_jamo(cp);
        int decomposes = p->decomp_seqindex != UINT16_MAX && p->decomp_type == 0;
        int boundary = fixed_starter && !decomposes;
        nonstarters = starter ? 0 : nonstarters + 1;
        if (nonstarters > MAX_NONSTARTERS) {
            boundary = 1;
            nonstarters = 1;
        } else if (fixed_starter && i - segment >= LONG_SEGMENT) {
            boundary = 1;
        }
        if (i == segment && boundary) {
            /* Nothing can compose with this starter: leave the ASCII byte
             * before it alone, so that it keeps its exact offset. */
            b->last_ascii_source = SIZE_MAX;
        } else if (i > segment && boundary) {
            st_status status = flush_segment(b, segment, i, suspicious);
            if (status != ST_OK)
                return status;
            /* Only a run's first segment may take back an ASCII byte. */
            b->last_ascii_source = SIZE_MAX;
            segment = i;
            suspicious = 0;
        }
        if (!starter || !fixed_starter || decomposes)
            suspicious = 1;
        i += len;
    }
    st_status status = flush_segment(b, segment, i, suspicious);
    b->last_ascii_source = SIZE_MAX;
    *pos = i;
    return status;
}

/* ------------------------------------------------------------------ */

/* A strict-mode failure at `offset`.  Its line is counted here, from the
 * start, rather than byte by byte while cleaning: it is asked at most
 * once, and everything before offset was plain (LF and lone CR end a
 * line; the LF of a CRLF ends it once). */
static void fail_at(st_diag *diag, const char *what, const char *in, size_t offset)
{
    if (diag == NULL)
        return;
    size_t line = 1, line_start = 0;
    for (size_t i = 0; i < offset; i++) {
        if (in[i] == '\n' || (in[i] == '\r' && (i + 1 >= offset || in[i + 1] != '\n'))) {
            line++;
            line_start = i + 1;
        }
    }
    diag->offset = offset;
    diag->line = line;
    diag->column = offset - line_start + 1;
    snprintf(diag->message, sizeof diag->message, "%s at byte %zu", what, offset);
}

/* 1 for the bytes copied as they are: printable ASCII, TAB and LF. */
static const unsigned char plain_byte[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

static st_status clean_text(builder *b, const st_text_options *options, st_diag *diag)
{
    const char *in = b->in;
    size_t size = b->size;
    int strict = options != NULL && options->strict;
    size_t i = 0;
    st_status status = ST_OK;

    if (size >= 3 && memcmp(in, "\xEF\xBB\xBF", 3) == 0) {
        i = 3;
        status = add_anchor(b->doc, 0, 3, 0);
    }
    while (status == ST_OK && i < size) {
        unsigned char c = (unsigned char)in[i];
        if (c >= 0x80) {
            int32_t cp;
            size_t len = st_utf8_decode(in + i, size - i, &cp);
            if (cp >= 0) {
                status = copy_run(b, &i);
                continue;
            }
            if (strict) {
                fail_at(diag, "invalid UTF-8", in, i);
                return ST_ERR_INPUT;
            }
            status = add_problem(b->doc, ST_PROBLEM_INVALID_UTF8, i);
            if (status == ST_OK)
                status = emit_replacement(b, i, len);
            i += len;
            continue;
        }
        if (c == 0) {
            if (strict) {
                fail_at(diag, "NUL byte", in, i);
                return ST_ERR_INPUT;
            }
            status = add_problem(b->doc, ST_PROBLEM_NUL, i);
            if (status == ST_OK)
                status = emit_replacement(b, i, 1);
            i++;
            continue;
        }
        if (c == '\r') {
            if (i + 1 < size && in[i + 1] == '\n') {
                /* CRLF: drop the CR; the LF is then copied verbatim. */
                i++;
                status = add_anchor(b->doc, b->out.len, i, 0);
                continue;
            }
            /* Lone CR: one byte for one byte, the map does not move. */
            status = st_buf_push(&b->out, '\n');
            b->last_ascii_source = SIZE_MAX;
            i++;
            continue;
        }
        if (c < 0x20 && c != '\t' && c != '\n') {
            status = st_buf_push(&b->out, ' ');
            b->last_ascii_source = SIZE_MAX;
            i++;
            continue;
        }
        /* Plain ASCII, TAB and LF stay as they are: copy the stretch at once. */
        size_t j = i;
        for (;;) {
            /* Runs with no control byte and nothing above ASCII at once;
             * a TAB or LF is plain too, and the run goes on after it. */
            j += st_find_control(in + j, size - j);
            if (j == size || !plain_byte[(unsigned char)in[j]])
                break;
            j++;
        }
        status = st_buf_append(&b->out, in + i, j - i);
        b->last_ascii_source = j - 1;
        i = j;
    }
    if (status == ST_OK)
        status = add_anchor(b->doc, b->out.len, size, 0);
    return status;
}

st_status st_doc_new(const char *bytes, size_t size, const st_text_options *options,
                     st_doc **out, st_diag *diag)
{
    if (out == NULL || (bytes == NULL && size > 0))
        return ST_ERR_USAGE;
    *out = NULL;
    st_doc *doc = calloc(1, sizeof *doc);
    if (doc == NULL)
        return ST_ERR_NOMEM;
    builder b = {0};
    b.in = bytes;
    b.size = size;
    b.doc = doc;
    b.last_ascii_source = SIZE_MAX;
    doc->source_size = size;

    st_status status = add_anchor(doc, 0, 0, 0);
    /* Cleaning rarely changes the length much; start at the input size. */
    if (status == ST_OK)
        status = st_buf_reserve(&b.out, size);
    if (status == ST_OK)
        status = clean_text(&b, options, diag);
    free(b.scratch);
    if (status != ST_OK) {
        if (status == ST_ERR_NOMEM && diag != NULL) {
            diag->offset = (size_t)-1;
            snprintf(diag->message, sizeof diag->message, "out of memory");
        }
        st_buf_free(&b.out);
        st_doc_free(doc);
        return status;
    }
    if (b.out.data == NULL) {
        status = st_buf_reserve(&b.out, 0);
        if (status != ST_OK) {
            st_doc_free(doc);
            return status;
        }
    }
    b.out.data[b.out.len] = '\0';
    doc->text = b.out.data; /* ownership passes to the document */
    doc->size = b.out.len;
    *out = doc;
    return ST_OK;
}

void st_doc_free(st_doc *doc)
{
    if (doc == NULL)
        return;
    free(doc->text);
    free(doc->anchors);
    free(doc->problems);
    free(doc);
}

const char *st_doc_text(const st_doc *doc)
{
    return doc->text;
}

size_t st_doc_size(const st_doc *doc)
{
    return doc->size;
}

size_t st_doc_source_offset(const st_doc *doc, size_t offset)
{
    if (offset >= doc->size)
        return doc->source_size;
    /* Binary search for the last anchor at or before offset. */
    size_t lo = 0, hi = doc->anchor_count;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (doc->anchors[mid].clean <= offset)
            lo = mid;
        else
            hi = mid;
    }
    const st_anchor *a = &doc->anchors[lo];
    size_t source = a->flat ? a->source : a->source + (offset - a->clean);
    return source > doc->source_size ? doc->source_size : source;
}

size_t st_doc_problem_count(const st_doc *doc)
{
    return doc->problem_count;
}

const st_problem *st_doc_problem(const st_doc *doc, size_t index)
{
    if (index >= doc->problem_count)
        return NULL;
    return &doc->problems[index];
}
