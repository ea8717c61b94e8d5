/*
 * st_lexicon.c - cue lexicons: loading, validation and longest-match
 * lookup.  See st_lexicon.h for the file format and the contracts.
 *
 * Each kind keeps
 *  - its entries in file order (one allocation per entry holding
 *    "term\0weight\0note\0");
 *  - an open-addressing table on the whole term, to find duplicates and
 *    terms that are both threat and conciliation cues while parsing;
 *  - an open-addressing table on the first word of each term, whose slot
 *    names a run of `order` holding the entries that begin with that word,
 *    longest first, so the first entry that matches is the longest.
 * The first-word index is rebuilt (in time linear in the number of
 * entries, with a counting sort on the number of words) at the end of
 * every successful parse.
 */
#include "st_lexicon.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__)
#define ST_PRINTF_LIKE(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define ST_PRINTF_LIKE(fmt, args)
#endif

/* Longest piece of a term or weight quoted inside a diagnostic. */
#define QUOTE_MAX 60

typedef struct lex_entry {
    char *term;              /* owns the block "term\0weight\0note\0" */
    const char *weight_text; /* inside the block */
    const char *note;        /* inside the block */
    double weight;
    size_t term_len;
    size_t ntokens;
    size_t line;             /* line of the text it came from */
} lex_entry;

typedef struct lex_group {
    const char *word; /* first word, borrowed from an entry; NULL: empty slot */
    size_t word_len;
    size_t start;     /* first position in `order` */
    size_t count;     /* number of entries in the run */
} lex_group;

typedef struct lex_list {
    lex_entry *entries;
    size_t count;
    size_t capacity;
    size_t *terms;       /* entry index + 1, 0 for an empty slot */
    size_t terms_cap;    /* a power of two, or 0 */
    lex_group *groups;
    size_t groups_cap;   /* a power of two, or 0 */
    size_t *order;       /* entry indices, grouped by first word */
} lex_list;

struct st_lexicon {
    lex_list lists[ST_LEXICON_KIND_COUNT];
};

static const struct {
    const char *name;
    const char *file;
    int required;
} kind_info[ST_LEXICON_KIND_COUNT] = {
    {"threat", "threat.tsv", 1},
    {"conciliation", "conciliation.tsv", 1},
    {"negator", "negators.tsv", 0},
    {"intensifier", "intensifiers.tsv", 0},
    {"downtoner", "downtoners.tsv", 0},
    {"conditional", "conditionals.tsv", 0},
    {"hedge", "hedges.tsv", 0},
    {"attribution-verb", "attribution-verbs.tsv", 0},
};

static int kind_valid(st_lexicon_kind kind)
{
    return (int)kind >= 0 && kind < ST_LEXICON_KIND_COUNT;
}

const char *st_lexicon_kind_name(st_lexicon_kind kind)
{
    return kind_valid(kind) ? kind_info[kind].name : NULL;
}

const char *st_lexicon_kind_file(st_lexicon_kind kind)
{
    return kind_valid(kind) ? kind_info[kind].file : NULL;
}

int st_lexicon_kind_required(st_lexicon_kind kind)
{
    return kind_valid(kind) ? kind_info[kind].required : 0;
}

/* ------------------------------------------------------------------ */
/* Diagnostics                                                         */

static void set_diag(st_diag *diag, const char *file, size_t line,
                     size_t column, size_t offset, const char *fmt, ...)
    ST_PRINTF_LIKE(6, 7);

static void set_diag(st_diag *diag, const char *file, size_t line,
                     size_t column, size_t offset, const char *fmt, ...)
{
    va_list ap;
    if (diag == NULL)
        return;
    diag->file = file;
    diag->line = line;
    diag->column = column;
    diag->offset = offset;
    va_start(ap, fmt);
    vsnprintf(diag->message, sizeof diag->message, fmt, ap);
    va_end(ap);
}

/*
 * The number of bytes of s[0..len) to show in a message: at most
 * QUOTE_MAX, cut at a UTF-8 character boundary.  *more is set when the
 * text was cut.
 */
static int clip(const char *s, size_t len, int *more)
{
    size_t n = len;
    *more = 0;
    if (n > QUOTE_MAX) {
        n = QUOTE_MAX;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
        *more = 1;
    }
    return (int)n;
}

/* ------------------------------------------------------------------ */
/* Hash tables                                                         */

static uint64_t hash_bytes(const char *s, size_t len)
{
    uint64_t h = 14695981039346656037ull; /* FNV-1a */
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h;
}

/* Index of the entry whose term is s[0..len), or SIZE_MAX. */
static size_t term_find(const lex_list *list, const char *s, size_t len)
{
    if (list->terms_cap == 0)
        return SIZE_MAX;
    size_t mask = list->terms_cap - 1;
    for (size_t i = (size_t)hash_bytes(s, len) & mask;; i = (i + 1) & mask) {
        size_t slot = list->terms[i];
        if (slot == 0)
            return SIZE_MAX;
        const lex_entry *e = &list->entries[slot - 1];
        if (e->term_len == len && memcmp(e->term, s, len) == 0)
            return slot - 1;
    }
}

/* Puts entry `index` in the term table (which has room for it). */
static void term_insert(lex_list *list, size_t index)
{
    const lex_entry *e = &list->entries[index];
    size_t mask = list->terms_cap - 1;
    size_t i = (size_t)hash_bytes(e->term, e->term_len) & mask;
    while (list->terms[i] != 0)
        i = (i + 1) & mask;
    list->terms[i] = index + 1;
}

/* Refills the term table from entries[0..count). */
static void term_rehash(lex_list *list)
{
    if (list->terms_cap == 0)
        return;
    memset(list->terms, 0, list->terms_cap * sizeof *list->terms);
    for (size_t i = 0; i < list->count; i++)
        term_insert(list, i);
}

/* Makes room in the term table for `n` entries (load at most one half). */
static st_status term_reserve(lex_list *list, size_t n)
{
    if (n <= list->terms_cap / 2)
        return ST_OK;
    size_t cap = list->terms_cap ? list->terms_cap : 16;
    while (n > cap / 2) {
        if (cap > SIZE_MAX / 2 / sizeof *list->terms)
            return ST_ERR_NOMEM;
        cap *= 2;
    }
    size_t *terms = calloc(cap, sizeof *terms);
    if (terms == NULL)
        return ST_ERR_NOMEM;
    free(list->terms);
    list->terms = terms;
    list->terms_cap = cap;
    term_rehash(list);
    return ST_OK;
}

/* Length of the first word of a term. */
static size_t first_word_len(const char *term)
{
    return strcspn(term, " ");
}

/* The group slot for word[0..len) in groups[0..cap): its slot or an empty one. */
static size_t group_slot(const lex_group *groups, size_t cap, const char *word,
                         size_t len)
{
    size_t mask = cap - 1;
    size_t i = (size_t)hash_bytes(word, len) & mask;
    while (groups[i].word != NULL &&
           !(groups[i].word_len == len && memcmp(groups[i].word, word, len) == 0))
        i = (i + 1) & mask;
    return i;
}

/*
 * Rebuilds the first-word index of a list.  Linear: one pass to count
 * each group, prefix sums for the runs, a counting sort of the entries by
 * number of words (longest first), one pass to fill the runs.  On failure
 * the old index is kept.
 */
static st_status index_build(lex_list *list)
{
    size_t n = list->count;
    size_t cap = 16;
    while (cap / 2 < n) {
        if (cap > SIZE_MAX / 2 / sizeof(lex_group))
            return ST_ERR_NOMEM;
        cap *= 2;
    }
    size_t max_tokens = 0;
    for (size_t i = 0; i < n; i++)
        if (list->entries[i].ntokens > max_tokens)
            max_tokens = list->entries[i].ntokens;
    if (max_tokens >= SIZE_MAX / sizeof(size_t))
        return ST_ERR_NOMEM;

    lex_group *groups = calloc(cap, sizeof *groups);
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    size_t *slot_of = malloc((n ? n : 1) * sizeof *slot_of);
    size_t *sorted = malloc((n ? n : 1) * sizeof *sorted);
    size_t *by_len = calloc(max_tokens + 2, sizeof *by_len);
    if (groups == NULL || order == NULL || slot_of == NULL || sorted == NULL ||
        by_len == NULL) {
        free(groups);
        free(order);
        free(slot_of);
        free(sorted);
        free(by_len);
        return ST_ERR_NOMEM;
    }

    for (size_t i = 0; i < n; i++) {
        const lex_entry *e = &list->entries[i];
        size_t len = first_word_len(e->term);
        size_t s = group_slot(groups, cap, e->term, len);
        if (groups[s].word == NULL) {
            groups[s].word = e->term;
            groups[s].word_len = len;
        }
        groups[s].count++;
        slot_of[i] = s;
        by_len[e->ntokens]++;
    }
    size_t start = 0;
    for (size_t s = 0; s < cap; s++) {
        if (groups[s].word == NULL)
            continue;
        groups[s].start = start;
        start += groups[s].count;
        groups[s].count = 0;
    }
    /* Counting sort, longest first and stable (file order within a length). */
    size_t pos = 0;
    for (size_t len = max_tokens + 1; len-- > 0;) {
        size_t c = by_len[len];
        by_len[len] = pos;
        pos += c;
    }
    for (size_t i = 0; i < n; i++)
        sorted[by_len[list->entries[i].ntokens]++] = i;
    for (size_t k = 0; k < n; k++) {
        size_t i = sorted[k];
        lex_group *g = &groups[slot_of[i]];
        order[g->start + g->count++] = i;
    }
    free(slot_of);
    free(sorted);
    free(by_len);

    free(list->groups);
    free(list->order);
    list->groups = groups;
    list->groups_cap = cap;
    list->order = order;
    return ST_OK;
}

/* ------------------------------------------------------------------ */
/* Lexicon objects                                                     */

static void list_truncate(lex_list *list, size_t count)
{
    for (size_t i = count; i < list->count; i++)
        free(list->entries[i].term);
    if (list->count > count) {
        list->count = count;
        term_rehash(list);
    }
}

static void list_free(lex_list *list)
{
    list_truncate(list, 0);
    free(list->entries);
    free(list->terms);
    free(list->groups);
    free(list->order);
    memset(list, 0, sizeof *list);
}

st_status st_lexicon_new(st_lexicon **out)
{
    if (out == NULL)
        return ST_ERR_USAGE;
    *out = calloc(1, sizeof **out);
    return *out ? ST_OK : ST_ERR_NOMEM;
}

void st_lexicon_free(st_lexicon *lex)
{
    if (lex == NULL)
        return;
    for (int k = 0; k < ST_LEXICON_KIND_COUNT; k++)
        list_free(&lex->lists[k]);
    free(lex);
}

size_t st_lexicon_count(const st_lexicon *lex, st_lexicon_kind kind)
{
    if (lex == NULL || !kind_valid(kind))
        return 0;
    return lex->lists[kind].count;
}

int st_lexicon_entry(const st_lexicon *lex, st_lexicon_kind kind,
                     size_t index, const char **term, double *weight,
                     const char **note)
{
    if (lex == NULL || !kind_valid(kind) || index >= lex->lists[kind].count)
        return 0;
    const lex_entry *e = &lex->lists[kind].entries[index];
    if (term)
        *term = e->term;
    if (weight)
        *weight = e->weight;
    if (note)
        *note = e->note;
    return 1;
}

/* ------------------------------------------------------------------ */
/* Parsing                                                             */

typedef struct parse_state {
    st_lexicon *lex;
    st_lexicon_kind kind;
    const char *name;     /* file name for diagnostics */
    size_t line;          /* number of the current line */
    size_t offset;        /* byte offset of the current line's start */
    size_t count_before;  /* entries of the kind before this parse */
    st_diag *diag;
} parse_state;

static void parse_error(const parse_state *ps, size_t column, const char *fmt,
                        ...) ST_PRINTF_LIKE(3, 4);

static void parse_error(const parse_state *ps, size_t column, const char *fmt, ...)
{
    va_list ap;
    st_diag *diag = ps->diag;
    if (diag == NULL)
        return;
    diag->file = ps->name;
    diag->line = ps->line;
    diag->column = column;
    diag->offset = ps->offset + (column ? column - 1 : 0);
    va_start(ap, fmt);
    vsnprintf(diag->message, sizeof diag->message, fmt, ap);
    va_end(ap);
}

/* Length of the valid UTF-8 prefix of s[0..len) (== len when all valid). */
static size_t utf8_valid_prefix(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned c = p[i];
        size_t n;
        unsigned min;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            n = 1, min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2, min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3, min = 0x10000;
        } else {
            return i;
        }
        if (len - i <= n)
            return i;
        unsigned cp = c & (0x3Fu >> n);
        for (size_t k = 1; k <= n; k++) {
            if ((p[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (p[i + k] & 0x3Fu);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += n + 1;
    }
    return len;
}

/*
 * Checks a text field (term or note): valid UTF-8, no control characters.
 * `what` names the field; `column` is the field's first column.
 */
static int check_text(const parse_state *ps, const char *s, size_t len,
                      const char *what, size_t column)
{
    size_t valid = utf8_valid_prefix(s, len);
    if (valid < len) {
        parse_error(ps, column + valid, "%s is not valid UTF-8", what);
        return 0;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7F) {
            parse_error(ps, column + i, "%s contains control character 0x%02X",
                        what, c);
            return 0;
        }
    }
    return 1;
}

/* Whether a weight field looks like a plain decimal number. */
static int decimal_chars(const char *s)
{
    if (*s == '\0')
        return 0;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || *s == '+' || *s == '-' || *s == '.' ||
              *s == 'e' || *s == 'E'))
            return 0;
    return 1;
}

static st_status entries_reserve(lex_list *list, size_t n)
{
    if (n <= list->capacity)
        return ST_OK;
    size_t cap = list->capacity ? list->capacity : 64;
    while (cap < n) {
        if (cap > SIZE_MAX / 2 / sizeof(lex_entry))
            return ST_ERR_NOMEM;
        cap *= 2;
    }
    lex_entry *entries = realloc(list->entries, cap * sizeof *entries);
    if (entries == NULL)
        return ST_ERR_NOMEM;
    list->entries = entries;
    list->capacity = cap;
    return ST_OK;
}

/* The other kind a term may not also belong to, or KIND_COUNT for none. */
static st_lexicon_kind rival_kind(st_lexicon_kind kind)
{
    if (kind == ST_LEXICON_THREAT)
        return ST_LEXICON_CONCILIATION;
    if (kind == ST_LEXICON_CONCILIATION)
        return ST_LEXICON_THREAT;
    return ST_LEXICON_KIND_COUNT;
}

/* Parses one line (without its LF) of lexicon text. */
static st_status parse_line(parse_state *ps, const char *line, size_t len)
{
    lex_list *list = &ps->lex->lists[ps->kind];
    int more;

    if (len > 0 && line[len - 1] == '\r')
        len--;
    const char *nul = memchr(line, '\0', len);
    if (nul != NULL) {
        parse_error(ps, (size_t)(nul - line) + 1, "NUL byte in the line");
        return ST_ERR_INPUT;
    }
    if (ps->line == 1) {
        if (len != strlen(ST_LEXICON_HEADER) ||
            memcmp(line, ST_LEXICON_HEADER, len) != 0) {
            int n = clip(line, len, &more);
            parse_error(ps, 1,
                        "wrong header \"%.*s%s\": expected \"term<TAB>weight<TAB>note\"",
                        n, line, more ? "..." : "");
            return ST_ERR_INPUT;
        }
        return ST_OK;
    }
    if (len == 0) {
        parse_error(ps, 1, "empty line: expected term<TAB>weight<TAB>note");
        return ST_ERR_INPUT;
    }

    /* Split into exactly three fields. */
    const char *tab1 = memchr(line, '\t', len);
    const char *tab2 = tab1 ? memchr(tab1 + 1, '\t', len - (size_t)(tab1 + 1 - line)) : NULL;
    if (tab1 == NULL || tab2 == NULL ||
        memchr(tab2 + 1, '\t', len - (size_t)(tab2 + 1 - line)) != NULL) {
        size_t fields = 1;
        for (size_t i = 0; i < len; i++)
            fields += line[i] == '\t';
        parse_error(ps, 1,
                    "expected 3 tab-separated fields (term, weight, note), found %zu",
                    fields);
        return ST_ERR_INPUT;
    }
    const char *term = line;
    size_t term_len = (size_t)(tab1 - line);
    const char *wtext = tab1 + 1;
    size_t wlen = (size_t)(tab2 - wtext);
    const char *note = tab2 + 1;
    size_t note_len = len - (size_t)(note - line);
    size_t wcol = term_len + 2;
    size_t ncol = (size_t)(note - line) + 1;

    /* The term. */
    if (term_len == 0) {
        parse_error(ps, 1, "empty term");
        return ST_ERR_INPUT;
    }
    if (!check_text(ps, term, term_len, "term", 1))
        return ST_ERR_INPUT;
    size_t ntokens = 1;
    for (size_t i = 0; i < term_len; i++) {
        char c = term[i];
        if (c == ' ') {
            if (i == 0 || i + 1 == term_len || term[i + 1] == ' ') {
                int n = clip(term, term_len, &more);
                parse_error(ps, i + 1,
                            "term \"%.*s%s\" must have single spaces between words and none at either end",
                            n, term, more ? "..." : "");
                return ST_ERR_INPUT;
            }
            ntokens++;
        } else if (c >= 'A' && c <= 'Z') {
            int n = clip(term, term_len, &more);
            parse_error(ps, i + 1, "term \"%.*s%s\" must be lowercase", n, term,
                        more ? "..." : "");
            return ST_ERR_INPUT;
        }
    }
    if (!check_text(ps, note, note_len, "note", ncol))
        return ST_ERR_INPUT;

    /* One block holds the three fields, NUL-terminated. */
    if (len > SIZE_MAX - 3) {
        parse_error(ps, 1, "line too long");
        return ST_ERR_NOMEM;
    }
    char *block = malloc(term_len + wlen + note_len + 3);
    if (block == NULL) {
        parse_error(ps, 1, "out of memory");
        return ST_ERR_NOMEM;
    }
    memcpy(block, term, term_len);
    block[term_len] = '\0';
    char *wcopy = block + term_len + 1;
    memcpy(wcopy, wtext, wlen);
    wcopy[wlen] = '\0';
    char *ncopy = wcopy + wlen + 1;
    memcpy(ncopy, note, note_len);
    ncopy[note_len] = '\0';

    /* The weight. */
    int wn = clip(wtext, wlen, &more);
    if (wlen == 0) {
        parse_error(ps, wcol, "empty weight");
        free(block);
        return ST_ERR_INPUT;
    }
    char *end = NULL;
    errno = 0;
    double weight = decimal_chars(wcopy) ? strtod(wcopy, &end) : 0.0;
    if (end == NULL || end == wcopy || *end != '\0') {
        parse_error(ps, wcol, "weight \"%.*s%s\" is not a number", wn, wtext,
                    more ? "..." : "");
        free(block);
        return ST_ERR_INPUT;
    }
    if (errno == ERANGE || !isfinite(weight) || weight < ST_LEXICON_WEIGHT_MIN ||
        weight > ST_LEXICON_WEIGHT_MAX) {
        parse_error(ps, wcol, "weight %.*s%s is out of range [%g, %g]", wn, wtext,
                    more ? "..." : "", ST_LEXICON_WEIGHT_MIN, ST_LEXICON_WEIGHT_MAX);
        free(block);
        return ST_ERR_INPUT;
    }
    if ((ps->kind == ST_LEXICON_THREAT || ps->kind == ST_LEXICON_CONCILIATION ||
         ps->kind == ST_LEXICON_INTENSIFIER) && !(weight > 0)) {
        parse_error(ps, wcol, "weight %.*s%s must be positive for a %s entry", wn,
                    wtext, more ? "..." : "", kind_info[ps->kind].name);
        free(block);
        return ST_ERR_INPUT;
    }
    if (ps->kind == ST_LEXICON_DOWNTONER && !(weight < 0)) {
        parse_error(ps, wcol, "weight %.*s%s must be negative for a downtoner",
                    wn, wtext, more ? "..." : "");
        free(block);
        return ST_ERR_INPUT;
    }

    /* Duplicates, within the kind and across threat/conciliation. */
    int tn = clip(term, term_len, &more);
    size_t dup = term_find(list, term, term_len);
    if (dup != SIZE_MAX) {
        if (dup >= ps->count_before)
            parse_error(ps, 1, "duplicate term \"%.*s%s\" (first on line %zu)", tn,
                        term, more ? "..." : "", list->entries[dup].line);
        else
            parse_error(ps, 1, "duplicate term \"%.*s%s\" (already in the lexicon)",
                        tn, term, more ? "..." : "");
        free(block);
        return ST_ERR_INPUT;
    }
    st_lexicon_kind rival = rival_kind(ps->kind);
    if (rival != ST_LEXICON_KIND_COUNT &&
        term_find(&ps->lex->lists[rival], term, term_len) != SIZE_MAX) {
        parse_error(ps, 1,
                    "term \"%.*s%s\" is also a %s cue: a term cannot be both",
                    tn, term, more ? "..." : "", kind_info[rival].name);
        free(block);
        return ST_ERR_INPUT;
    }

    if (entries_reserve(list, list->count + 1) != ST_OK ||
        term_reserve(list, list->count + 1) != ST_OK) {
        parse_error(ps, 1, "out of memory");
        free(block);
        return ST_ERR_NOMEM;
    }
    lex_entry *e = &list->entries[list->count];
    e->term = block;
    e->weight_text = wcopy;
    e->note = ncopy;
    e->weight = weight;
    e->term_len = term_len;
    e->ntokens = ntokens;
    e->line = ps->line;
    term_insert(list, list->count);
    list->count++;
    return ST_OK;
}

/* Ends a parse: a header must have been seen; rebuild the index. */
static st_status parse_finish(parse_state *ps)
{
    if (ps->line == 0) {
        ps->line = 1;
        parse_error(ps, 0, "empty file: expected the header \"term<TAB>weight<TAB>note\"");
        return ST_ERR_INPUT;
    }
    if (index_build(&ps->lex->lists[ps->kind]) != ST_OK) {
        parse_error(ps, 0, "out of memory");
        return ST_ERR_NOMEM;
    }
    return ST_OK;
}

st_status st_lexicon_parse(st_lexicon_kind kind, const char *name,
                           const char *text, size_t size, st_lexicon *lex,
                           st_diag *diag)
{
    if (lex == NULL || !kind_valid(kind) || (text == NULL && size > 0)) {
        set_diag(diag, name, 0, 0, (size_t)-1, "st_lexicon_parse: bad arguments");
        return ST_ERR_USAGE;
    }
    parse_state ps = {lex, kind, name ? name : kind_info[kind].file, 0, 0,
                      lex->lists[kind].count, diag};
    st_status status = ST_OK;
    size_t pos = 0;
    while (pos < size) {
        const char *nl = memchr(text + pos, '\n', size - pos);
        size_t len = nl ? (size_t)(nl - (text + pos)) : size - pos;
        ps.line++;
        ps.offset = pos;
        status = parse_line(&ps, text + pos, len);
        if (status != ST_OK)
            break;
        pos += len + (nl != NULL);
    }
    if (status == ST_OK)
        status = parse_finish(&ps);
    if (status != ST_OK)
        list_truncate(&lex->lists[kind], ps.count_before);
    return status;
}

/* Reads one file of a directory into lex; a missing optional file is fine. */
static st_status load_file(const char *dir, st_lexicon_kind kind,
                           st_lexicon *lex, st_diag *diag)
{
    const char *file = kind_info[kind].file;
    size_t dlen = strlen(dir), flen = strlen(file);
    char *path = malloc(dlen + flen + 2);
    if (path == NULL) {
        set_diag(diag, file, 0, 0, (size_t)-1, "out of memory");
        return ST_ERR_NOMEM;
    }
    memcpy(path, dir, dlen);
    path[dlen] = '/';
    memcpy(path + dlen + 1, file, flen + 1);

    FILE *fp = fopen(path, "r");
    if (fp == NULL) {
        int err = errno;
        st_status status = ST_OK;
        if (err != ENOENT || kind_info[kind].required) {
            set_diag(diag, file, 0, 0, (size_t)-1, "cannot open %s: %s", path,
                     strerror(err));
            status = ST_ERR_IO;
        }
        free(path);
        return status;
    }

    parse_state ps = {lex, kind, file, 0, 0, lex->lists[kind].count, diag};
    st_status status = ST_OK;
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    size_t offset = 0;
    while ((errno = 0, got = getline(&line, &cap, fp)) > 0) {
        size_t len = (size_t)got;
        ps.line++;
        ps.offset = offset;
        offset += len;
        if (line[len - 1] == '\n')
            len--;
        status = parse_line(&ps, line, len);
        if (status != ST_OK)
            break;
    }
    if (status == ST_OK && ferror(fp)) {
        int err = errno;
        set_diag(diag, file, ps.line, 0, (size_t)-1, "cannot read %s: %s", path,
                 strerror(err ? err : EIO));
        status = ST_ERR_IO;
    } else if (status == ST_OK && got < 0 && errno == ENOMEM) {
        set_diag(diag, file, ps.line + 1, 0, (size_t)-1, "out of memory");
        status = ST_ERR_NOMEM;
    }
    free(line);
    fclose(fp);
    free(path);
    if (status == ST_OK)
        status = parse_finish(&ps);
    if (status != ST_OK)
        list_truncate(&lex->lists[kind], ps.count_before);
    return status;
}

st_status st_lexicon_load(const char *dir, st_lexicon **out, st_diag *diag)
{
    if (out == NULL || dir == NULL) {
        set_diag(diag, NULL, 0, 0, (size_t)-1, "st_lexicon_load: bad arguments");
        return ST_ERR_USAGE;
    }
    *out = NULL;
    st_lexicon *lex = NULL;
    st_status status = st_lexicon_new(&lex);
    if (status != ST_OK) {
        set_diag(diag, dir, 0, 0, (size_t)-1, "out of memory");
        return status;
    }
    for (int k = 0; k < ST_LEXICON_KIND_COUNT; k++) {
        status = load_file(dir, (st_lexicon_kind)k, lex, diag);
        if (status != ST_OK) {
            st_lexicon_free(lex);
            return status;
        }
    }
    *out = lex;
    return ST_OK;
}

/* ------------------------------------------------------------------ */
/* Lookup                                                              */

/* Whether term (words separated by one space) equals tokens[0..n). */
static int words_match(const char *term, const char *const *tokens, size_t n)
{
    const char *p = term;
    for (size_t i = 0; i < n; i++) {
        const char *t = tokens[i];
        if (t == NULL)
            return 0;
        size_t tl = strlen(t);
        if (strncmp(p, t, tl) != 0)
            return 0;
        p += tl;
        if (i + 1 < n) {
            if (*p != ' ')
                return 0;
            p++;
        } else if (*p != '\0') {
            return 0;
        }
    }
    return 1;
}

int st_lexicon_match_entry(const st_lexicon *lex, st_lexicon_kind kind,
                           const char *const *tokens, size_t ntokens,
                           size_t *match_len, size_t *index)
{
    if (lex == NULL || !kind_valid(kind) || tokens == NULL || ntokens == 0 ||
        tokens[0] == NULL)
        return 0;
    const lex_list *list = &lex->lists[kind];
    if (list->groups_cap == 0 || list->count == 0)
        return 0;
    size_t len0 = strlen(tokens[0]);
    size_t s = group_slot(list->groups, list->groups_cap, tokens[0], len0);
    const lex_group *g = &list->groups[s];
    if (g->word == NULL)
        return 0;
    for (size_t k = 0; k < g->count; k++) {
        size_t i = list->order[g->start + k];
        const lex_entry *e = &list->entries[i];
        if (e->ntokens > ntokens)
            continue;
        if (words_match(e->term, tokens, e->ntokens)) {
            if (match_len)
                *match_len = e->ntokens;
            if (index)
                *index = i;
            return 1;
        }
    }
    return 0;
}

int st_lexicon_match(const st_lexicon *lex, st_lexicon_kind kind,
                     const char *const *tokens, size_t ntokens,
                     size_t *match_len, double *weight)
{
    size_t len, index;
    if (!st_lexicon_match_entry(lex, kind, tokens, ntokens, &len, &index))
        return 0;
    if (match_len)
        *match_len = len;
    if (weight)
        *weight = lex->lists[kind].entries[index].weight;
    return 1;
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */

st_status st_lexicon_copy_kind(st_lexicon *dst, const st_lexicon *src,
                               st_lexicon_kind kind)
{
    if (dst == NULL || src == NULL || dst == src || !kind_valid(kind))
        return ST_ERR_USAGE;
    lex_list *to = &dst->lists[kind];
    const lex_list *from = &src->lists[kind];
    if (to->count != 0)
        return ST_ERR_USAGE;
    st_lexicon_kind rival = rival_kind(kind);
    if (rival != ST_LEXICON_KIND_COUNT)
        for (size_t i = 0; i < from->count; i++)
            if (term_find(&dst->lists[rival], from->entries[i].term,
                          from->entries[i].term_len) != SIZE_MAX)
                return ST_ERR_INPUT;
    if (entries_reserve(to, from->count) != ST_OK ||
        term_reserve(to, from->count) != ST_OK)
        return ST_ERR_NOMEM;
    for (size_t i = 0; i < from->count; i++) {
        const lex_entry *e = &from->entries[i];
        /* The block as parse_line lays it out: term, weight text, note. */
        size_t wl = strlen(e->weight_text), nl = strlen(e->note);
        char *block = malloc(e->term_len + wl + nl + 3);
        if (block == NULL) {
            list_truncate(to, 0);
            return ST_ERR_NOMEM;
        }
        memcpy(block, e->term, e->term_len + 1);
        memcpy(block + e->term_len + 1, e->weight_text, wl + 1);
        memcpy(block + e->term_len + 1 + wl + 1, e->note, nl + 1);
        lex_entry *c = &to->entries[i];
        *c = *e;
        c->term = block;
        c->weight_text = block + e->term_len + 1;
        c->note = block + e->term_len + 1 + wl + 1;
        c->line = i + 2;
        term_insert(to, i);
        to->count = i + 1;
    }
    if (index_build(to) != ST_OK) {
        list_truncate(to, 0);
        return ST_ERR_NOMEM;
    }
    return ST_OK;
}

st_status st_lexicon_format(const st_lexicon *lex, st_lexicon_kind kind,
                            char **text, size_t *size)
{
    if (text == NULL || lex == NULL || !kind_valid(kind))
        return ST_ERR_USAGE;
    *text = NULL;
    const lex_list *list = &lex->lists[kind];
    size_t total = strlen(ST_LEXICON_HEADER) + 1;
    for (size_t i = 0; i < list->count; i++) {
        const lex_entry *e = &list->entries[i];
        size_t n = e->term_len + strlen(e->weight_text) + strlen(e->note) + 3;
        if (total > SIZE_MAX - 1 - n)
            return ST_ERR_NOMEM;
        total += n;
    }
    char *buf = malloc(total + 1);
    if (buf == NULL)
        return ST_ERR_NOMEM;
    char *p = buf;
    size_t hl = strlen(ST_LEXICON_HEADER);
    memcpy(p, ST_LEXICON_HEADER, hl);
    p += hl;
    *p++ = '\n';
    for (size_t i = 0; i < list->count; i++) {
        const lex_entry *e = &list->entries[i];
        size_t wl = strlen(e->weight_text), nl = strlen(e->note);
        memcpy(p, e->term, e->term_len);
        p += e->term_len;
        *p++ = '\t';
        memcpy(p, e->weight_text, wl);
        p += wl;
        *p++ = '\t';
        memcpy(p, e->note, nl);
        p += nl;
        *p++ = '\n';
    }
    *p = '\0';
    *text = buf;
    if (size)
        *size = total;
    return ST_OK;
}
