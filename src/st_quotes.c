/*
 * st_quotes.c - finds quotations by their marks.
 *
 * One linear pass over each paragraph (a line), code point by code point,
 * with a stack of open quotation marks.  Each open mark knows which
 * closing marks it accepts; a per-closer count of open marks accepting it
 * answers "can this mark close anything?" in O(1), so even 100,000
 * unbalanced marks stay linear: every stack entry is pushed and popped at
 * most once.
 */
#include "st_util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The closing marks, as bit numbers in an opener's `accepts` mask. */
enum closer {
    CL_RDQ,    /* ” U+201D */
    CL_LDQ,    /* “ U+201C (closes „) */
    CL_RSQ,    /* ’ U+2019 */
    CL_LSQ,    /* ‘ U+2018 (closes ‚) */
    CL_RAQUO,  /* » U+00BB */
    CL_LAQUO,  /* « U+00AB (closes » in »…«) */
    CL_RSAQUO, /* › U+203A */
    CL_LSAQUO, /* ‹ U+2039 (closes › in ›…‹) */
    CL_CORNER, /* 」 U+300D */
    CL_WHITE_CORNER, /* 』 U+300F */
    CL_DQ,     /* " */
    CL_SQ,     /* ' */
    CL_COUNT
};

typedef struct open_mark {
    size_t start;        /* offset of the opening mark */
    size_t after;        /* offset just after it */
    unsigned accepts;    /* bit set of enum closer */
    int straight;        /* " or ': kept only if the quote holds a letter */
} open_mark;

typedef struct scanner {
    const char *text;
    size_t size;
    open_mark *stack;
    size_t depth;
    size_t capacity;
    size_t open_count[CL_COUNT]; /* open marks accepting each closer */
    st_quote_list *out;
} scanner;

#define BIT(c) (1u << (c))

/* The closers an opening mark accepts; 0 when cp never opens. */
static unsigned opener_accepts(int32_t cp)
{
    switch (cp) {
    case 0x201C: return BIT(CL_RDQ) | BIT(CL_LDQ); /* “…” (and the “…“ typo) */
    case 0x2018: return BIT(CL_RSQ);               /* ‘…’ */
    case 0x00AB: return BIT(CL_RAQUO);             /* «…» */
    case 0x00BB: return BIT(CL_LAQUO);             /* »…« */
    case 0x201E: return BIT(CL_LDQ) | BIT(CL_RDQ); /* „…“ „…” */
    case 0x201A: return BIT(CL_LSQ) | BIT(CL_RSQ); /* ‚…‘ ‚…’ */
    case 0x2039: return BIT(CL_RSAQUO);            /* ‹…› */
    case 0x203A: return BIT(CL_LSAQUO);            /* ›…‹ */
    case 0x300C: return BIT(CL_CORNER);            /* 「…」 */
    case 0x300E: return BIT(CL_WHITE_CORNER);      /* 『…』 */
    case '"': return BIT(CL_DQ);
    case '\'': return BIT(CL_SQ);
    default: return 0;
    }
}

/* The closer number of cp, or -1. */
static int closer_of(int32_t cp)
{
    switch (cp) {
    case 0x201D: return CL_RDQ;
    case 0x201C: return CL_LDQ;
    case 0x2019: return CL_RSQ;
    case 0x2018: return CL_LSQ;
    case 0x00BB: return CL_RAQUO;
    case 0x00AB: return CL_LAQUO;
    case 0x203A: return CL_RSAQUO;
    case 0x2039: return CL_LSAQUO;
    case 0x300D: return CL_CORNER;
    case 0x300F: return CL_WHITE_CORNER;
    case '"': return CL_DQ;
    case '\'': return CL_SQ;
    default: return -1;
    }
}

static int is_opening_mark(int32_t cp)
{
    return opener_accepts(cp) != 0;
}

/* Code point at text[pos] (within [.., end)), or -1 at the end. */
static int32_t cp_at(const char *text, size_t pos, size_t end)
{
    int32_t cp = -1;
    if (pos < end)
        st_utf8_decode(text + pos, end - pos, &cp);
    return cp;
}

/* ’90s, '05: two digits then a non-digit (an optional s). */
static int decade_shape(const char *text, size_t pos, size_t end)
{
    return pos + 2 <= end && text[pos] >= '0' && text[pos] <= '9' && text[pos + 1] >= '0' &&
           text[pos + 1] <= '9' && (pos + 2 == end || text[pos + 2] < '0' || text[pos + 2] > '9');
}

static st_status push_quote(st_quote_list *list, st_quote quote)
{
    if (list->count == list->capacity) { /* st_grow only when full */
        void *items = list->items;
        if (st_grow(&items, &list->capacity, list->count, sizeof(st_quote)) != ST_OK)
            return ST_ERR_NOMEM;
        list->items = items;
    }
    list->items[list->count++] = quote;
    return ST_OK;
}

static void pop(scanner *s)
{
    open_mark *m = &s->stack[--s->depth];
    /* The accepted closers' bits only (a mark accepts one or two). */
    for (unsigned a = m->accepts; a != 0; a &= a - 1)
        s->open_count[__builtin_ctz(a)]--;
}

static st_status push(scanner *s, size_t start, size_t after, unsigned accepts, int straight)
{
    if (s->depth == s->capacity) { /* st_grow only when full */
        void *items = s->stack;
        if (st_grow(&items, &s->capacity, s->depth, sizeof(open_mark)) != ST_OK)
            return ST_ERR_NOMEM;
        s->stack = items;
    }
    open_mark m = {start, after, accepts, straight};
    s->stack[s->depth++] = m;
    for (unsigned a = accepts; a != 0; a &= a - 1)
        s->open_count[__builtin_ctz(a)]++;
    return ST_OK;
}

/* 1 when text[start..end) holds a code point that is not punctuation or
 * white space (a quote of only "..." is no quote); with `letter`, only a
 * letter counts. */
static int has_content(const char *text, size_t start, size_t end, int letter)
{
    while (start < end) {
        int32_t cp;
        start += st_utf8_decode(text + start, end - start, &cp);
        if (letter ? st_cp_is_letter(cp) : (!st_cp_is_space(cp) && !st_cp_is_punct(cp)))
            return 1;
    }
    return 0;
}

/* Closes the innermost open mark accepting `closer`, dropping any open
 * inside it; a quote closed at the bottom of the stack is emitted. */
static st_status close_quote(scanner *s, int closer, size_t mark_start, size_t mark_end)
{
    while (s->depth > 0 && !(s->stack[s->depth - 1].accepts & BIT(closer)))
        pop(s);
    if (s->depth == 0)
        return ST_OK; /* cannot happen: open_count said one accepts it */
    open_mark m = s->stack[s->depth - 1];
    pop(s);
    if (s->depth > 0)
        return ST_OK; /* nested: part of the outer quote's text */
    st_quote q;
    q.inner = st_span_trim(s->text, m.after, mark_start);
    q.outer.start = m.start;
    q.outer.end = mark_end;
    q.closed = 1;
    q.continues = 0;
    if (!has_content(s->text, q.inner.start, q.inner.end, 0))
        return ST_OK;
    return push_quote(s->out, q);
}

/* Does the paragraph after `pos` (skipping blank lines) open with a mark? */
static int next_paragraph_opens(const char *text, size_t pos, size_t size)
{
    while (pos < size) {
        int32_t cp;
        size_t len = st_utf8_decode(text + pos, size - pos, &cp);
        if (st_cp_is_space(cp)) {
            pos += len;
            continue;
        }
        if (!is_opening_mark(cp))
            return 0;
        if (cp == '\'' || cp == '"') {
            /* Only if it would open here: followed by a letter or digit. */
            int32_t next = cp_at(text, pos + len, size);
            return st_cp_is_letter(next) || st_cp_is_digit(next) || is_opening_mark(next);
        }
        return 1;
    }
    return 0;
}

/* 1 for the ASCII bytes that are no quote mark (all but " and '). */
static const unsigned char plain_ascii[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

/* Scans one paragraph text[start..end); end is at an LF or the text end. */
static st_status scan_paragraph(scanner *s, size_t start, size_t end)
{
    const char *text = s->text;
    int32_t prev = -1;      /* previous code point in the paragraph, -1 at start */
    int prev_opened = 0;    /* the previous code point opened a quote */
    size_t pos = start;
    st_status status = ST_OK;

    while (pos < end && status == ST_OK) {
        /* Most of a paragraph is ASCII that is no quote mark: a run of it
         * only leaves its last byte as `prev`. */
        if (plain_ascii[(unsigned char)text[pos]]) {
            size_t p = pos + 1;
            p += st_find_marks(text + p, end - p, '"', '\'', '\'');
            prev = (unsigned char)text[p - 1];
            prev_opened = 0;
            pos = p;
            continue;
        }
        int32_t cp;
        size_t len = st_utf8_decode(text + pos, end - pos, &cp);
        size_t after = pos + len;
        unsigned accepts = opener_accepts(cp);
        int closer = closer_of(cp);
        int opened = 0;

        if (accepts == 0 && closer < 0) {
            prev = cp;
            prev_opened = 0;
            pos = after;
            continue;
        }
        int32_t next = cp_at(text, after, end);
        int opening_context = (prev < 0 || st_cp_is_space(prev) || st_cp_is_open_bracket(prev) ||
                               st_cp_is_dash(prev) || prev_opened) &&
                              next >= 0 && !st_cp_is_space(next);
        int can_close = closer >= 0 && s->open_count[closer] > 0;
        int between_letters = st_cp_is_letter(prev) && st_cp_is_letter(next);

        if (cp == '\'' || cp == 0x2019 || cp == 0x2018) {
            /* Apostrophes: don’t, O'Brien, ’90s, allies’ plan. */
            int single_open = s->open_count[CL_RSQ] > 0 || s->open_count[CL_SQ] > 0;
            int word_start = !st_cp_is_letter(prev) && !st_cp_is_digit(prev);
            if (between_letters) {
                /* apostrophe */
            } else if (cp != 0x2018 && word_start && decade_shape(text, after, end)) {
                /* ’90s */
            } else if (cp == 0x2019 && word_start && st_cp_is_digit(next)) {
                /* ’05 and the like */
            } else if (cp != 0x2018 && (prev == 's' || prev == 'S') && !st_cp_is_letter(next) &&
                       !single_open) {
                /* allies’ plan */
            } else if (accepts && opening_context &&
                       (st_cp_is_letter(next) || st_cp_is_digit(next) || is_opening_mark(next)) &&
                       !decade_shape(text, after, end)) {
                status = push(s, pos, after, accepts, cp == '\'');
                opened = 1;
            } else if (can_close && !st_cp_is_letter(next)) {
                status = close_quote(s, closer, pos, after);
            }
        } else if (cp == '"') {
            if (opening_context) {
                status = push(s, pos, after, accepts, 1);
                opened = 1;
            } else if (can_close) {
                status = close_quote(s, closer, pos, after);
            }
            /* else a stray mark, e.g. 5" screen */
        } else if (cp == 0x201C) {
            /* “ opens, but closes an open „ (or a “…“ typo) when it is not
             * in opening position. */
            if (can_close && !opening_context) {
                status = close_quote(s, closer, pos, after);
            } else {
                status = push(s, pos, after, accepts, 0);
                opened = 1;
            }
        } else if (cp == 0x00BB || cp == 0x203A || cp == 0x00AB || cp == 0x2039) {
            /* « » and ‹ ›: close the pair that is open, otherwise open
             * (»…« as in Danish or German books). */
            if (can_close) {
                status = close_quote(s, closer, pos, after);
            } else if (cp == 0x00AB || cp == 0x2039 || (next >= 0 && !st_cp_is_space(next))) {
                /* « opens even before a space (French spacing); » only
                 * before a word. */
                status = push(s, pos, after, accepts, 0);
                opened = 1;
            }
        } else if (accepts) {
            /* „ ‚ 「 『: only ever open; ‚ also serves as a comma, so it
             * must be followed by a word. */
            if (cp != 0x201A || (next >= 0 && !st_cp_is_space(next))) {
                status = push(s, pos, after, accepts, 0);
                opened = 1;
            }
        } else if (can_close) {
            /* ” 」 』 */
            status = close_quote(s, closer, pos, after);
        }
        prev = cp;
        prev_opened = opened;
        pos = after;
    }
    if (status != ST_OK || s->depth == 0)
        return status;

    /* Unclosed at the paragraph end: the outermost quote ends here. */
    open_mark m = s->stack[0];
    while (s->depth > 0)
        pop(s);
    st_quote q;
    q.inner = st_span_trim(text, m.after, end);
    q.outer.start = m.start;
    q.outer.end = q.inner.end > m.after ? q.inner.end : m.after;
    q.closed = 0;
    q.continues = next_paragraph_opens(text, end, s->size);
    if (!has_content(text, q.inner.start, q.inner.end, 0))
        return ST_OK;
    /* A stray straight mark that never closes is kept only when it
     * reads like words (the common missing-closing-mark typo). */
    if (m.straight && !q.continues && !has_content(text, q.inner.start, q.inner.end, 1))
        return ST_OK;
    return push_quote(s->out, q);
}

st_status st_quotes_find(const char *text, size_t size, st_quote_list *out)
{
    if (out == NULL || (text == NULL && size > 0))
        return ST_ERR_USAGE;
    scanner s = {0};
    s.text = text;
    s.size = size;
    s.out = out;
    st_status status = ST_OK;
    size_t start = 0;
    while (start < size && status == ST_OK) {
        const char *nl = memchr(text + start, '\n', size - start);
        size_t end = nl ? (size_t)(nl - text) : size;
        status = scan_paragraph(&s, start, end);
        start = end + 1;
    }
    free(s.stack);
    return status;
}

void st_quotes_clear(st_quote_list *list)
{
    if (list == NULL)
        return;
    free(list->items);
    list->items = NULL;
    list->count = 0;
    list->capacity = 0;
}
