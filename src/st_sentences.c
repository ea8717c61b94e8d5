/*
 * st_sentences.c - splits a text into sentences.
 *
 * One left-to-right pass per paragraph (a line).  A sentence ends at a run
 * of terminals (. ! ? …), optionally followed by closing quote marks or
 * brackets, then white space, then something that starts a sentence (an
 * upper-case or caseless letter, a digit, an opening mark or bracket).
 * Abbreviations, quotations and ellipses veto some of these ends.  Every
 * look-back or look-ahead is bounded or covers bytes the pass then skips,
 * so the whole split stays linear.
 */
#include "st_util.h"

#include <stdlib.h>
#include <string.h>

st_status st_spans_push(st_span_list *list, size_t start, size_t end)
{
    if (list->count == list->capacity) { /* st_grow only when full */
        void *items = list->items;
        if (st_grow(&items, &list->capacity, list->count, sizeof(st_span)) != ST_OK)
            return ST_ERR_NOMEM;
        list->items = items;
    }
    st_span span = {start, end};
    list->items[list->count++] = span;
    return ST_OK;
}

void st_spans_clear(st_span_list *list)
{
    if (list == NULL)
        return;
    free(list->items);
    list->items = NULL;
    list->count = 0;
    list->capacity = 0;
}

/* ------------------------------------------------------------------ */
/* Abbreviations                                                       */

enum abbreviation_kind {
    /* Never ends a sentence: a title, a month, a Latin connective. */
    ABBR_NEVER,
    /* Does not end a sentence before a number (No. 5), does otherwise. */
    ABBR_BEFORE_NUMBER,
    /* Ends a sentence only when a clear sentence starter follows
     * ("at 5 p.m. The talks", "Acme Inc. The company"). */
    ABBR_UNLESS_STARTER
};

/*
 * The abbreviations, spelled as they appear before their final period
 * ("e.g" for "e.g.").  Matching is case-sensitive: "Gen." is a title,
 * "gen." is not.  A single capital letter (an initial, "J. Smith") and
 * dotted capitals (U.S., U.N., E.U.) are recognised by shape, not listed:
 * initials never end a sentence, dotted capitals end one only before a
 * clear sentence starter.  Company suffixes and "etc." very often close a
 * sentence in news copy, so they end one before a clear starter too.
 */
/* The longest word of the table below ("approx"): a longer word skips the
 * search.  Keep it in step with the table. */
#define MAX_LISTED_ABBREVIATION 6
#define ABBR(w, k) {w, sizeof(w) - 1, k}
static const struct {
    const char *word;
    size_t len; /* strlen(word), so most entries are turned away by length */
    enum abbreviation_kind kind;
} abbreviations[] = {
    /* titles */
    ABBR("Mr", ABBR_NEVER), ABBR("Mrs", ABBR_NEVER), ABBR("Ms", ABBR_NEVER), ABBR("Dr", ABBR_NEVER),
    ABBR("Prof", ABBR_NEVER), ABBR("Gen", ABBR_NEVER), ABBR("Lt", ABBR_NEVER), ABBR("Col", ABBR_NEVER),
    ABBR("Maj", ABBR_NEVER), ABBR("Capt", ABBR_NEVER), ABBR("Sgt", ABBR_NEVER), ABBR("Adm", ABBR_NEVER),
    ABBR("Cmdr", ABBR_NEVER), ABBR("Gov", ABBR_NEVER), ABBR("Sen", ABBR_NEVER), ABBR("Rep", ABBR_NEVER),
    ABBR("Rev", ABBR_NEVER), ABBR("St", ABBR_NEVER), ABBR("Sr", ABBR_NEVER), ABBR("Jr", ABBR_NEVER),
    ABBR("Mt", ABBR_NEVER), ABBR("Ft", ABBR_NEVER), ABBR("Pres", ABBR_NEVER), ABBR("Amb", ABBR_NEVER),
    ABBR("Insp", ABBR_NEVER), ABBR("Supt", ABBR_NEVER), ABBR("Brig", ABBR_NEVER),
    /* "Ir." (insinyur, ingenieur): the engineer's degree title of Indonesian
     * and Dutch names, written like "Dr." and often after it ("Dr. Ir. Name") */
    ABBR("Ir", ABBR_NEVER),
    /* months (May is a word) */
    ABBR("Jan", ABBR_NEVER), ABBR("Feb", ABBR_NEVER), ABBR("Mar", ABBR_NEVER), ABBR("Apr", ABBR_NEVER),
    ABBR("Jun", ABBR_NEVER), ABBR("Jul", ABBR_NEVER), ABBR("Aug", ABBR_NEVER), ABBR("Sep", ABBR_NEVER),
    ABBR("Sept", ABBR_NEVER), ABBR("Oct", ABBR_NEVER), ABBR("Nov", ABBR_NEVER), ABBR("Dec", ABBR_NEVER),
    /* numbers */
    ABBR("No", ABBR_BEFORE_NUMBER), ABBR("Nos", ABBR_BEFORE_NUMBER),
    /* Latin and other connectives, always followed by more of the sentence */
    ABBR("vs", ABBR_NEVER), ABBR("e.g", ABBR_NEVER), ABBR("i.e", ABBR_NEVER), ABBR("approx", ABBR_NEVER),
    /* often the last word of a sentence */
    ABBR("Inc", ABBR_UNLESS_STARTER), ABBR("Corp", ABBR_UNLESS_STARTER), ABBR("Ltd", ABBR_UNLESS_STARTER),
    ABBR("Co", ABBR_UNLESS_STARTER), ABBR("etc", ABBR_UNLESS_STARTER), ABBR("a.m", ABBR_UNLESS_STARTER),
    ABBR("p.m", ABBR_UNLESS_STARTER),
};
#undef ABBR


/* Words that, after an ambiguous abbreviation, clearly begin a sentence. */
static const char *const sentence_starters[] = {
    "The", "He", "She", "They", "It", "We", "I", "But", "In", "On", "A", "An", "This",
    "That", "These", "Those", "There", "His", "Her", "Their", "Its", "However", "Meanwhile",
    "After", "When", "While", "If", "And", "Yet", "So", "At", "As",
};

/* The longest abbreviation we look back for; anything longer is a word. */
#define MAX_ABBREVIATION 16

/* Is the word starting at text[pos] (up to end) a clear sentence starter? */
static int clear_starter(const char *text, size_t pos, size_t end)
{
    size_t n = 0;
    while (pos + n < end && n <= MAX_ABBREVIATION &&
           ((text[pos + n] >= 'a' && text[pos + n] <= 'z') ||
            (text[pos + n] >= 'A' && text[pos + n] <= 'Z')))
        n++;
    for (size_t k = 0; k < sizeof sentence_starters / sizeof *sentence_starters; k++)
        if (sentence_starters[k][0] == text[pos] && strlen(sentence_starters[k]) == n &&
            memcmp(sentence_starters[k], text + pos, n) == 0)
            return 1;
    return 0;
}

/*
 * Does the period at text[dot] end a sentence whose next one would start
 * at text[next]?  Looks back at most MAX_ABBREVIATION bytes for the word
 * before the period (letters and inner periods: "Mr", "U.S", "e.g").
 */
static int period_ends_sentence(const char *text, size_t floor, size_t dot, size_t next,
                                size_t end)
{
    size_t start = dot;
    while (start > floor && dot - start < MAX_ABBREVIATION) {
        size_t p = st_utf8_prev(text, floor, start);
        int32_t cp;
        st_utf8_decode(text + p, start - p, &cp);
        if (!st_cp_is_letter(cp) && cp != '.')
            break;
        start = p;
    }
    if (start == dot)
        return 1; /* "5." or ")." : no word before the period */
    if (dot - start >= MAX_ABBREVIATION) {
        /* Longer than any abbreviation, unless the look-back stopped in
         * the middle of a longer word; either way, not an abbreviation. */
        return 1;
    }
    const char *word = text + start;
    size_t n = dot - start;
    while (n > 0 && word[0] == '.') { /* "...Mr" cannot happen, ".U.S" can */
        word++;
        n--;
    }
    for (size_t k = 0; n <= MAX_LISTED_ABBREVIATION && k < sizeof abbreviations / sizeof *abbreviations; k++) {
        /* The length and the first letter turn most away. */
        if (abbreviations[k].len != n || abbreviations[k].word[0] != word[0] ||
            memcmp(abbreviations[k].word, word, n) != 0)
            continue;
        switch (abbreviations[k].kind) {
        case ABBR_NEVER:
            return 0;
        case ABBR_BEFORE_NUMBER:
            return !(text[next] >= '0' && text[next] <= '9');
        case ABBR_UNLESS_STARTER:
            return clear_starter(text, next, end);
        }
    }
    /* By shape: letters separated by single periods. */
    int32_t cp;
    size_t len = st_utf8_decode(word, n, &cp);
    if (len == n && st_cp_is_upper(cp))
        return 0; /* an initial: "J. Smith" */
    size_t letters = 0, i = 0;
    int dotted = 1;
    while (i < n && dotted) {
        len = st_utf8_decode(word + i, n - i, &cp);
        if (!st_cp_is_letter(cp))
            dotted = 0;
        letters++;
        i += len;
        if (i < n) {
            if (word[i] != '.')
                dotted = 0;
            i++;
        }
    }
    if (dotted && letters >= 2)
        return clear_starter(text, next, end); /* U.S., U.N., E.U. */
    return 1;
}

static inline int is_terminal(int32_t cp)
{
    return cp == '.' || cp == '!' || cp == '?' || cp == 0x2026 || /* … */
           cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F;           /* 。！？ */
}

/* Closing quote marks and brackets that may follow a terminal. */
static int is_closing(int32_t cp)
{
    switch (cp) {
    case '"': case '\'': case ')': case ']': case '}':
    case 0x2019: case 0x201D: case 0x00BB: case 0x203A: case 0x300D: case 0x300F:
    case 0x201C: case 0x2018: case 0x00AB: case 0x2039: /* closers of „ ‚ »…« ›…‹ */
        return 1;
    default:
        return 0;
    }
}

static int starts_sentence(int32_t cp)
{
    if (st_cp_is_upper(cp) || st_cp_is_digit(cp) || st_cp_is_open_bracket(cp))
        return 1;
    switch (cp) {
    case '"': case '\'': case 0x201C: case 0x2018: case 0x00AB: case 0x00BB: case 0x201E:
    case 0x201A: case 0x2039: case 0x203A: case 0x300C: case 0x300E:
        return 1;
    default:
        break;
    }
    /* A letter of a script without case (Arabic, CJK, ...). */
    return st_cp_is_letter(cp) && !st_cp_is_lower(cp);
}

typedef struct splitter {
    const char *text;
    const st_quote_list *quotes;
    size_t next_quote; /* first quote that may still contain a later offset */
    st_span_list *out;
} splitter;

/* Is offset `at` strictly inside a quotation?  Offsets only grow. */
static int inside_quote(splitter *s, size_t at)
{
    if (s->quotes == NULL)
        return 0;
    while (s->next_quote < s->quotes->count && s->quotes->items[s->next_quote].outer.end <= at)
        s->next_quote++;
    if (s->next_quote >= s->quotes->count)
        return 0;
    const st_quote *q = &s->quotes->items[s->next_quote];
    return q->outer.start < at && at < q->outer.end;
}

static st_status emit(splitter *s, size_t start, size_t end)
{
    st_span span = st_span_trim(s->text, start, end);
    if (span.start == span.end)
        return ST_OK;
    return st_spans_push(s->out, span.start, span.end);
}

/* The bytes that may start a terminal: . ! ? and the lead bytes of
 * U+2026, U+3002, U+FF01 and U+FF1F. */
static const unsigned char may_start_terminal[256] = {
    ['.'] = 1, ['!'] = 1, ['?'] = 1, [0xE2] = 1, [0xE3] = 1, [0xEF] = 1,
};

/* Whether s[0..n), at a lead byte of may_start_terminal, starts one of
 * the terminals of more than one byte: … (E2 80 A6), 。 (E3 80 82),
 * ！ (EF BC 81), ？ (EF BC 9F).  From the bytes: the curly quotes and
 * dashes share the lead byte E2 and are not decoded for this. */
static int terminal_sequence(const char *s, size_t n)
{
    if (n < 3)
        return 0;
    unsigned a = (unsigned char)s[0], b = (unsigned char)s[1], c = (unsigned char)s[2];
    return (a == 0xE2 && b == 0x80 && c == 0xA6) || (a == 0xE3 && b == 0x80 && c == 0x82) ||
           (a == 0xEF && b == 0xBC && (c == 0x81 || c == 0x9F));
}

static st_status split_paragraph(splitter *s, size_t start, size_t end)
{
    const char *text = s->text;
    size_t sentence = start;
    size_t pos = start;
    while (pos < end) {
        /* Only . ! ? and the lead bytes of … 。 ！ ？ can start a
         * terminal; a lead byte always starts a code point, so skipping
         * the other bytes decodes nothing differently. */
        if (!may_start_terminal[(unsigned char)text[pos]]) {
            pos++;
            for (;;) {
                pos += st_find_marks(text + pos, end - pos, '.', '!', '?');
                if (pos == end || may_start_terminal[(unsigned char)text[pos]])
                    break;
                pos++; /* a byte >= 0x80 that starts no terminal */
            }
            continue;
        }
        if ((unsigned char)text[pos] >= 0x80 && !terminal_sequence(text + pos, end - pos)) {
            /* A curly quote or dash, the usual case: its continuation
             * bytes start nothing either. */
            pos++;
            while (pos < end && ((unsigned char)text[pos] & 0xC0) == 0x80)
                pos++;
            continue;
        }
        int32_t cp;
        size_t len = st_utf8_decode(text + pos, end - pos, &cp);
        if (!is_terminal(cp)) {
            pos += len;
            continue;
        }
        /* The run of terminals: "?!", "...", "…". */
        size_t first = pos;
        size_t terminals = 0;
        int single_period = cp == '.';
        int ideographic = 0; /* 。！？ end a sentence with no space after them */
        while (pos < end) {
            len = st_utf8_decode(text + pos, end - pos, &cp);
            if (!is_terminal(cp))
                break;
            ideographic |= cp > 0x3000;
            terminals++;
            pos += len;
        }
        single_period = single_period && terminals == 1;
        size_t run_end = pos;
        /* Closing marks and brackets belong to the ending sentence. */
        size_t close_end = run_end;
        while (close_end < end) {
            len = st_utf8_decode(text + close_end, end - close_end, &cp);
            if (!is_closing(cp))
                break;
            close_end += len;
        }
        size_t next = close_end;
        while (next < end) {
            len = st_utf8_decode(text + next, end - next, &cp);
            if (!st_cp_is_space(cp))
                break;
            next += len;
        }
        if (next >= end)
            continue; /* the paragraph ends anyway */
        if (ideographic) {
            /* 「…。」 then more text: the quote's own full stop. */
            if (inside_quote(s, close_end) || close_end > run_end)
                continue;
            st_status status = emit(s, sentence, close_end);
            if (status != ST_OK)
                return status;
            sentence = next;
            pos = next;
            continue;
        }
        if (next == close_end)
            continue; /* no white space after it */
        st_utf8_decode(text + next, end - next, &cp);
        if (!starts_sentence(cp))
            continue; /* "... and then", "3.5", "e.g. the" */
        if (inside_quote(s, close_end))
            continue; /* a quote stays whole, with its attribution */
        if (single_period && close_end == run_end &&
            !period_ends_sentence(text, start, first, next, end))
            continue;
        st_status status = emit(s, sentence, close_end);
        if (status != ST_OK)
            return status;
        sentence = next;
        pos = next;
    }
    return emit(s, sentence, end);
}

st_status st_sentences_split(const char *text, size_t size, const st_quote_list *quotes,
                             st_span_list *out)
{
    if (out == NULL || (text == NULL && size > 0))
        return ST_ERR_USAGE;
    if (out->items == NULL && size / 64 > 16) {
        /* Room for a sentence per 64 bytes at once (news runs over 100
         * a sentence), not grown by doubling from 16. */
        st_span *items = malloc(size / 64 * sizeof *items);
        if (items == NULL)
            return ST_ERR_NOMEM;
        out->items = items;
        out->capacity = size / 64;
    }
    splitter s = {text, quotes, 0, out};
    size_t start = 0;
    while (start < size) {
        const char *lf = memchr(text + start, '\n', size - start);
        size_t end = lf ? (size_t)(lf - text) : size;
        st_status status = split_paragraph(&s, start, end);
        if (status != ST_OK)
            return status;
        start = end + 1;
    }
    return ST_OK;
}
