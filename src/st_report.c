/*
 * st_report.c - per-speaker aggregation of labelled quotes, speaker
 * merging across documents and the report writers.  See st_report.h and
 * docs/report.md.
 */
#include "st_report.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <utf8proc.h>

#include "st_words.h"

/* Probabilities are kept as integers in units of 1e-9: sums then add up
 * exactly in any order, which makes merged shards equal to the whole. */
#define NANO 1000000000LL
#define REPORT_FORMAT "stance-report 1"
#define UNATTRIBUTED "(unattributed)"

enum { MOST_THREATENING = 0, MOST_CONCILIATORY = 1 };

/* ------------------------------------------------------------------ */
/* Diagnostics                                                         */

static void set_message(st_diag *diag, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_message(st_diag *diag, const char *fmt, ...)
{
    if (!diag)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(diag->message, sizeof diag->message, fmt, ap);
    va_end(ap);
}

/* ------------------------------------------------------------------ */
/* Storage                                                             */

typedef struct kept_quote {
    long long index;
    char *quote;
    int label;
    long long probability[ST_LABEL_COUNT]; /* units of 1e-9 */
} kept_quote;

/* The best quote of a cell for one label. */
typedef struct extreme {
    int set;
    long long probability; /* of the label, units of 1e-9 */
    long long index;
    const char *doc;       /* interned */
    char *quote;           /* owned */
    int label;
} extreme;

/* Everything known about one speaker name in one document. */
typedef struct cell {
    const char *doc;      /* interned */
    const char *speaker;  /* interned; NULL = unattributed */
    unsigned long long quotes;
    unsigned long long labels[ST_LABEL_COUNT];
    unsigned long long sums[ST_LABEL_COUNT]; /* probability sums, 1e-9 */
    extreme most[2];
    kept_quote *kept;
    size_t kept_count, kept_capacity;
} cell;

struct st_report {
    int flags;
    /* interned strings: open addressing, power-of-two size */
    char **strings;
    size_t string_capacity, string_count;
    /* cells and their index (slot = cell number + 1, 0 = empty) */
    cell *cells;
    size_t cell_count, cell_capacity;
    size_t *slots;
    size_t slot_capacity;
    unsigned long long quotes;
};

static size_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211u;
    }
    return (size_t)h;
}

static int grow_array(void **items, size_t *capacity, size_t count, size_t size)
{
    if (count < *capacity)
        return 0;
    size_t cap = *capacity ? *capacity * 2 : 16;
    if (cap < *capacity || cap > SIZE_MAX / size)
        return -1;
    void *p = realloc(*items, cap * size);
    if (!p)
        return -1;
    *items = p;
    *capacity = cap;
    return 0;
}

static int intern_rehash(st_report *r)
{
    size_t cap = r->string_capacity ? r->string_capacity * 2 : 256;
    char **table = calloc(cap, sizeof *table);
    if (!table)
        return -1;
    for (size_t i = 0; i < r->string_capacity; i++) {
        char *s = r->strings[i];
        if (!s)
            continue;
        size_t j = hash_bytes(s, strlen(s)) & (cap - 1);
        while (table[j])
            j = (j + 1) & (cap - 1);
        table[j] = s;
    }
    free(r->strings);
    r->strings = table;
    r->string_capacity = cap;
    return 0;
}

/* The one copy of s[0..n) the report keeps (n bytes without a NUL). */
static const char *intern(st_report *r, const char *s, size_t n)
{
    if ((r->string_count + 1) * 2 > r->string_capacity && intern_rehash(r) != 0)
        return NULL;
    size_t mask = r->string_capacity - 1;
    size_t j = hash_bytes(s, n) & mask;
    for (; r->strings[j]; j = (j + 1) & mask) {
        const char *t = r->strings[j];
        if (strncmp(t, s, n) == 0 && t[n] == '\0')
            return t;
    }
    char *copy = malloc(n + 1);
    if (!copy)
        return NULL;
    memcpy(copy, s, n);
    copy[n] = '\0';
    r->strings[j] = copy;
    r->string_count++;
    return copy;
}

static size_t cell_hash(const char *doc, const char *speaker)
{
    uint64_t h = (uint64_t)(uintptr_t)doc * 0x9E3779B97F4A7C15u;
    h ^= (uint64_t)(uintptr_t)speaker + 0x632BE59BD9B4E019u + (h << 6) + (h >> 2);
    h ^= h >> 29;
    return (size_t)h;
}

static int cells_rehash(st_report *r)
{
    size_t cap = r->slot_capacity ? r->slot_capacity * 2 : 256;
    size_t *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < r->cell_count; i++) {
        size_t j = cell_hash(r->cells[i].doc, r->cells[i].speaker) & (cap - 1);
        while (slots[j])
            j = (j + 1) & (cap - 1);
        slots[j] = i + 1;
    }
    free(r->slots);
    r->slots = slots;
    r->slot_capacity = cap;
    return 0;
}

/* The cell of (doc, speaker), both interned; created when new. */
static cell *get_cell(st_report *r, const char *doc, const char *speaker)
{
    if ((r->cell_count + 1) * 2 > r->slot_capacity && cells_rehash(r) != 0)
        return NULL;
    size_t mask = r->slot_capacity - 1;
    size_t j = cell_hash(doc, speaker) & mask;
    for (; r->slots[j]; j = (j + 1) & mask) {
        cell *c = &r->cells[r->slots[j] - 1];
        if (c->doc == doc && c->speaker == speaker)
            return c;
    }
    if (grow_array((void **)&r->cells, &r->cell_capacity, r->cell_count, sizeof *r->cells) != 0)
        return NULL;
    cell *c = &r->cells[r->cell_count];
    memset(c, 0, sizeof *c);
    c->doc = doc;
    c->speaker = speaker;
    r->slots[j] = ++r->cell_count;
    return c;
}

st_status st_report_new(int flags, st_report **out)
{
    *out = NULL;
    st_report *r = calloc(1, sizeof *r);
    if (!r)
        return ST_ERR_NOMEM;
    r->flags = flags;
    *out = r;
    return ST_OK;
}

void st_report_free(st_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->cell_count; i++) {
        cell *c = &r->cells[i];
        free(c->most[0].quote);
        free(c->most[1].quote);
        for (size_t k = 0; k < c->kept_count; k++)
            free(c->kept[k].quote);
        free(c->kept);
    }
    free(r->cells);
    free(r->slots);
    for (size_t i = 0; i < r->string_capacity; i++)
        free(r->strings[i]);
    free(r->strings);
    free(r);
}

size_t st_report_quote_count(const st_report *r)
{
    return (size_t)r->quotes;
}

static int compare_pointers(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)*(const char *const *)a, y = (uintptr_t)*(const char *const *)b;
    return x < y ? -1 : x > y;
}

size_t st_report_document_count(const st_report *r)
{
    if (r->cell_count == 0)
        return 0;
    const char **docs = malloc(r->cell_count * sizeof *docs);
    if (!docs)
        return 0;
    for (size_t i = 0; i < r->cell_count; i++)
        docs[i] = r->cells[i].doc;
    qsort(docs, r->cell_count, sizeof *docs, compare_pointers);
    size_t n = 0;
    for (size_t i = 0; i < r->cell_count; i++)
        n += i == 0 || docs[i] != docs[i - 1];
    free(docs);
    return n;
}

/* ------------------------------------------------------------------ */
/* Adding                                                              */

/* a is a better pick than b (b may be unset).  A total order on the
 * stored fields, so the pick does not depend on the order of input. */
static int extreme_better(const extreme *a, const extreme *b)
{
    if (!b->set)
        return a->set;
    if (!a->set)
        return 0;
    if (a->probability != b->probability)
        return a->probability > b->probability;
    int c = strcmp(a->doc, b->doc);
    if (c)
        return c < 0;
    if (a->index != b->index)
        return a->index < b->index;
    c = strcmp(a->quote, b->quote);
    if (c)
        return c < 0;
    return a->label < b->label;
}

/* Offers a candidate (quote borrowed) to slot; copies it when it wins. */
static st_status offer_extreme(extreme *slot, const extreme *candidate)
{
    if (!extreme_better(candidate, slot))
        return ST_OK;
    char *copy = strdup(candidate->quote);
    if (!copy)
        return ST_ERR_NOMEM;
    free(slot->quote);
    *slot = *candidate;
    slot->quote = copy;
    return ST_OK;
}

static int probability_units(double p, long long *out)
{
    if (!isfinite(p) || p < -1e-9 || p > 1 + 1e-9)
        return -1;
    long long v = llround(p * (double)NANO);
    *out = v < 0 ? 0 : v > NANO ? NANO : v;
    return 0;
}

static int add_checked(unsigned long long *sum, unsigned long long v)
{
    if (*sum > ULLONG_MAX - v)
        return -1;
    *sum += v;
    return 0;
}

st_status st_report_add(st_report *r, const st_report_record *rec, st_diag *diag)
{
    if (!rec->doc) {
        set_message(diag, "record has no document name");
        return ST_ERR_INPUT;
    }
    if (!rec->quote) {
        set_message(diag, "record has no quote");
        return ST_ERR_INPUT;
    }
    if (rec->label < 0 || rec->label >= ST_LABEL_COUNT) {
        set_message(diag, "unknown label");
        return ST_ERR_INPUT;
    }
    long long units[ST_LABEL_COUNT];
    for (int l = 0; l < ST_LABEL_COUNT; l++) {
        if (probability_units(rec->probability[l], &units[l]) != 0) {
            set_message(diag, "probability of %s is not a number in [0, 1]", st_label_name(l));
            return ST_ERR_INPUT;
        }
    }
    const char *doc = intern(r, rec->doc, strlen(rec->doc));
    const char *speaker = rec->speaker ? intern(r, rec->speaker, strlen(rec->speaker)) : NULL;
    if (!doc || (rec->speaker && !speaker))
        return ST_ERR_NOMEM;
    cell *c = get_cell(r, doc, speaker);
    if (!c)
        return ST_ERR_NOMEM;
    if (r->flags & ST_REPORT_KEEP_QUOTES) {
        if (grow_array((void **)&c->kept, &c->kept_capacity, c->kept_count, sizeof *c->kept) != 0)
            return ST_ERR_NOMEM;
        kept_quote *k = &c->kept[c->kept_count];
        k->quote = strdup(rec->quote);
        if (!k->quote)
            return ST_ERR_NOMEM;
        k->index = rec->index;
        k->label = rec->label;
        memcpy(k->probability, units, sizeof units);
        c->kept_count++;
    }
    for (int m = 0; m < 2; m++) {
        int label = m == MOST_THREATENING ? ST_LABEL_THREATENING : ST_LABEL_CONCILIATORY;
        extreme e = {1, units[label], rec->index, doc, (char *)rec->quote, rec->label};
        st_status s = offer_extreme(&c->most[m], &e);
        if (s != ST_OK)
            return s;
    }
    c->quotes++;
    c->labels[rec->label]++;
    for (int l = 0; l < ST_LABEL_COUNT; l++)
        c->sums[l] += (unsigned long long)units[l];
    r->quotes++;
    return ST_OK;
}

/* "doc" and friends: strings only; jansson has checked the UTF-8. */
static const char *string_member(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

st_status st_report_add_json_record(st_report *r, const char *line, size_t len, st_diag *diag)
{
    json_error_t err;
    json_t *o = json_loadb(line, len, 0, &err);
    if (!o) {
        if (diag)
            diag->column = err.column > 0 ? (size_t)err.column : 0;
        set_message(diag, "%s", err.text);
        return ST_ERR_INPUT;
    }
    st_status status = ST_ERR_INPUT;
    st_report_record rec = {0};
    if (!json_is_object(o)) {
        set_message(diag, "not a JSON object");
        goto done;
    }
    rec.doc = string_member(o, "doc");
    rec.quote = string_member(o, "quote");
    json_t *speaker = json_object_get(o, "speaker");
    json_t *label = json_object_get(o, "label");
    json_t *probs = json_object_get(o, "probabilities");
    json_t *index = json_object_get(o, "index");
    if (!label && !probs && rec.quote) {
        set_message(diag, "record has no \"label\" (stance quotes output; report needs stance classify records)");
        goto done;
    }
    if (!rec.doc) {
        set_message(diag, "record has no \"doc\" string");
        goto done;
    }
    if (!rec.quote) {
        set_message(diag, "record has no \"quote\" string");
        goto done;
    }
    if (!speaker || !(json_is_string(speaker) || json_is_null(speaker))) {
        set_message(diag, "record has no \"speaker\" (a string or null)");
        goto done;
    }
    rec.speaker = json_is_string(speaker) ? json_string_value(speaker) : NULL;
    if (!json_is_string(label) ||
        (rec.label = st_label_parse(json_string_value(label), json_string_length(label))) == ST_LABEL_NONE) {
        set_message(diag, "record has no \"label\" threatening, conciliatory or neutral");
        goto done;
    }
    if (!json_is_object(probs)) {
        set_message(diag, "record has no \"probabilities\" object");
        goto done;
    }
    for (int l = 0; l < ST_LABEL_COUNT; l++) {
        json_t *p = json_object_get(probs, st_label_name(l));
        if (!json_is_number(p)) {
            set_message(diag, "\"probabilities\" has no number for %s", st_label_name(l));
            goto done;
        }
        rec.probability[l] = json_number_value(p);
    }
    if (index && !json_is_integer(index)) {
        set_message(diag, "\"index\" is not an integer");
        goto done;
    }
    rec.index = index ? (long long)json_integer_value(index) : 0;
    status = st_report_add(r, &rec, diag);
done:
    json_decref(o);
    return status;
}

/* ------------------------------------------------------------------ */
/* Reading a JSON report back                                          */

static int get_count(json_t *o, const char *key, unsigned long long *out)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return -1;
    *out = (unsigned long long)json_integer_value(v);
    return 0;
}

static int get_label_counts(json_t *o, const char *key, unsigned long long out[ST_LABEL_COUNT])
{
    json_t *v = json_object_get(o, key);
    if (!json_is_object(v))
        return -1;
    for (int l = 0; l < ST_LABEL_COUNT; l++)
        if (get_count(v, st_label_name(l), &out[l]) != 0)
            return -1;
    return 0;
}

/* An extreme quote of a source; *present 0 when the key is absent. */
static int get_extreme(json_t *o, const char *key, const char *doc, extreme *out)
{
    json_t *v = json_object_get(o, key);
    memset(out, 0, sizeof *out);
    if (!v)
        return 0;
    json_t *quote = json_object_get(v, "quote");
    json_t *index = json_object_get(v, "index");
    json_t *label = json_object_get(v, "label");
    json_t *p = json_object_get(v, "probability");
    if (!json_is_object(v) || !json_is_string(quote) || !json_is_integer(index) ||
        !json_is_string(label) || !json_is_number(p))
        return -1;
    int l = st_label_parse(json_string_value(label), json_string_length(label));
    long long units;
    if (l == ST_LABEL_NONE || probability_units(json_number_value(p), &units) != 0)
        return -1;
    out->set = 1;
    out->probability = units;
    out->index = (long long)json_integer_value(index);
    out->doc = doc;
    out->quote = (char *)json_string_value(quote);
    out->label = l;
    return 0;
}

/* One cell of a JSON report. */
static st_status merge_source(st_report *r, json_t *src, st_diag *diag)
{
    if (!json_is_object(src)) {
        set_message(diag, "a source is not an object");
        return ST_ERR_INPUT;
    }
    json_t *name = json_object_get(src, "name");
    const char *docname = string_member(src, "doc");
    unsigned long long quotes, labels[ST_LABEL_COUNT], sums[ST_LABEL_COUNT];
    if (!name || !(json_is_string(name) || json_is_null(name)) || !docname ||
        get_count(src, "quotes", &quotes) != 0 || get_label_counts(src, "labels", labels) != 0 ||
        get_label_counts(src, "probability_sums", sums) != 0) {
        set_message(diag, "a source lacks \"name\", \"doc\", \"quotes\", \"labels\" or \"probability_sums\"");
        return ST_ERR_INPUT;
    }
    unsigned long long total = 0;
    for (int l = 0; l < ST_LABEL_COUNT; l++) {
        if (add_checked(&total, labels[l]) != 0 || (quotes && sums[l] / quotes > (unsigned long long)NANO) ||
            (!quotes && sums[l])) {
            total = quotes + 1;
            break;
        }
    }
    if (total != quotes) {
        set_message(diag, "a source's label counts or probability sums do not fit its quotes");
        return ST_ERR_INPUT;
    }
    const char *doc = intern(r, docname, strlen(docname));
    const char *speaker = NULL;
    if (json_is_string(name))
        speaker = intern(r, json_string_value(name), json_string_length(name));
    if (!doc || (json_is_string(name) && !speaker))
        return ST_ERR_NOMEM;
    extreme most[2];
    if (get_extreme(src, "most_threatening", doc, &most[0]) != 0 ||
        get_extreme(src, "most_conciliatory", doc, &most[1]) != 0 || (quotes && (!most[0].set || !most[1].set))) {
        set_message(diag, "a source has a bad \"most_threatening\" or \"most_conciliatory\" quote");
        return ST_ERR_INPUT;
    }
    cell *c = get_cell(r, doc, speaker);
    if (!c)
        return ST_ERR_NOMEM;
    if (add_checked(&c->quotes, quotes) != 0 || add_checked(&r->quotes, quotes) != 0) {
        set_message(diag, "too many quotes");
        return ST_ERR_INPUT;
    }
    for (int l = 0; l < ST_LABEL_COUNT; l++) {
        if (add_checked(&c->labels[l], labels[l]) != 0 || add_checked(&c->sums[l], sums[l]) != 0) {
            set_message(diag, "too many quotes");
            return ST_ERR_INPUT;
        }
    }
    for (int m = 0; m < 2; m++) {
        if (most[m].set) {
            st_status s = offer_extreme(&c->most[m], &most[m]);
            if (s != ST_OK)
                return s;
        }
    }
    return ST_OK;
}

static st_status merge_speakers(st_report *r, json_t *speakers, st_diag *diag)
{
    if (!json_is_array(speakers)) {
        set_message(diag, "\"speakers\" is not an array");
        return ST_ERR_INPUT;
    }
    size_t i;
    json_t *sp;
    json_array_foreach(speakers, i, sp) {
        json_t *sources = json_object_get(sp, "sources");
        if (!json_is_array(sources)) {
            set_message(diag, "speaker %zu has no \"sources\" array (the merge state)", i + 1);
            return ST_ERR_INPUT;
        }
        size_t k;
        json_t *src;
        json_array_foreach(sources, k, src) {
            st_status s = merge_source(r, src, diag);
            if (s != ST_OK)
                return s;
        }
    }
    return ST_OK;
}

static st_status merge_one(st_report *r, json_t *root, st_diag *diag)
{
    if (!json_is_object(root)) {
        set_message(diag, "not a JSON object");
        return ST_ERR_INPUT;
    }
    const char *format = string_member(root, "format");
    if (!format) {
        set_message(diag, "not a stance report (no \"format\": \"" REPORT_FORMAT "\")");
        return ST_ERR_INPUT;
    }
    if (strcmp(format, REPORT_FORMAT) != 0) {
        set_message(diag, "report format \"%.60s\" is not supported (expected \"" REPORT_FORMAT "\")", format);
        return ST_ERR_INPUT;
    }
    json_t *by_doc = json_object_get(root, "by_doc");
    if (!by_doc)
        return merge_speakers(r, json_object_get(root, "speakers"), diag);
    if (!json_is_array(by_doc)) {
        set_message(diag, "\"by_doc\" is not an array");
        return ST_ERR_INPUT;
    }
    size_t i;
    json_t *block;
    json_array_foreach(by_doc, i, block) {
        st_status s = merge_speakers(r, json_object_get(block, "speakers"), diag);
        if (s != ST_OK)
            return s;
    }
    return ST_OK;
}

st_status st_report_merge_json(st_report *r, const char *text, size_t len, st_diag *diag)
{
    size_t pos = 0, line = 1;
    for (;;) {
        while (pos < len && (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\n' || text[pos] == '\r'))
            line += text[pos++] == '\n';
        if (pos >= len)
            return ST_OK;
        json_error_t err;
        json_t *root = json_loadb(text + pos, len - pos, JSON_DISABLE_EOF_CHECK, &err);
        if (!root) {
            if (diag) {
                diag->line = line + (err.line > 0 ? (size_t)err.line - 1 : 0);
                diag->column = err.column > 0 ? (size_t)err.column : 0;
            }
            set_message(diag, "%s", err.text);
            return ST_ERR_INPUT;
        }
        if (diag)
            diag->line = line;
        st_status s = merge_one(r, root, diag);
        json_decref(root);
        if (s != ST_OK)
            return s;
        size_t end = pos + (size_t)err.position;
        for (; pos < end && pos < len; pos++)
            line += text[pos] == '\n';
    }
}

/* ------------------------------------------------------------------ */
/* Tone                                                                */

void st_report_tone(size_t threatening, size_t conciliatory, size_t neutral, double *tone, double *low,
                    double *high)
{
    double n = (double)threatening + (double)conciliatory + (double)neutral;
    if (n <= 0) {
        *tone = *low = *high = 0;
        return;
    }
    const double z = 1.959963984540054; /* the 97.5% normal quantile */
    double t = ((double)conciliatory - (double)threatening) / n;
    double p = (t + 1) / 2;
    double z2 = z * z;
    double denom = 1 + z2 / n;
    double center = (p + z2 / (2 * n)) / denom;
    double half = z * sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom;
    double lo = 2 * (center - half) - 1, hi = 2 * (center + half) - 1;
    *tone = t;
    *low = lo < -1 ? -1 : lo > t ? t : lo;
    *high = hi > 1 ? 1 : hi < t ? t : hi;
}

/* ------------------------------------------------------------------ */
/* Speaker names                                                       */

typedef struct word {
    const char *s;
    size_t n;
} word;

typedef struct name_key {
    const char *key;   /* the country of a capital form, else the name */
    size_t key_len;
    size_t first_word, word_count; /* into the word array */
} name_key;

typedef struct name_info {
    const char *name;
    size_t index;      /* in the caller's array */
    const char *key;   /* what merging compares: country, personal name or name */
    size_t key_len;
    const char *shown; /* the display form: the personal name or the name */
    int capital;       /* "Capital (Country)" */
    int role;          /* has a title or lowercase words before the personal name */
    size_t core_words; /* words of the personal name (or of the name) */
    size_t key_id;
} name_info;

/* "Tehran (Iran)": the country's span, or 0. */
static int capital_form(const char *s, const char **country, size_t *len)
{
    size_t n = strlen(s);
    if (n < 5 || s[n - 1] != ')')
        return 0;
    const char *open = strstr(s, " (");
    if (!open || open == s || strchr(open + 2, '(') || memchr(s, ')', n - 1))
        return 0;
    *country = open + 2;
    *len = (size_t)(s + n - 1 - *country);
    return *len > 0;
}

static int is_space_byte(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Splits s[0..n) on white space into words (appended). */
static int split_words(const char *s, size_t n, word **words, size_t *count, size_t *capacity)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && is_space_byte(s[i]))
            i++;
        size_t start = i;
        while (i < n && !is_space_byte(s[i]))
            i++;
        if (i > start) {
            if (grow_array((void **)words, capacity, *count, sizeof **words) != 0)
                return -1;
            (*words)[(*count)++] = (word){s + start, i - start};
        }
    }
    return 0;
}

static int word_equal(word a, word b)
{
    return a.n == b.n && memcmp(a.s, b.s, a.n) == 0;
}

static int word_compare(word a, word b)
{
    size_t n = a.n < b.n ? a.n : b.n;
    int c = memcmp(a.s, b.s, n);
    return c ? c : (a.n > b.n) - (a.n < b.n);
}

/* a's words are an ordered subset of b's, with the same last word. */
static int words_fit(const word *a, size_t na, const word *b, size_t nb)
{
    if (na == 0 || na >= nb || !word_equal(a[na - 1], b[nb - 1]))
        return 0;
    size_t j = 0;
    for (size_t i = 0; i + 1 < na; i++) {
        while (j + 1 < nb && !word_equal(a[i], b[j]))
            j++;
        if (j + 1 >= nb)
            return 0;
        j++;
    }
    return 1;
}

/*
 * The personal name inside a name with a title or role in front:
 * "Secretary of State Antony Blinken" -> "Antony Blinken" (the words after
 * the last title, nationality or lowercase word).  Names of institutions
 * ("U.S. State Department") and bare titles ("Prime Minister") are left
 * whole.  Sets in->role, in->key (the personal name, or the whole name),
 * in->shown (the personal name when it has two words or more, else the
 * whole name) and in->core_words.
 */
static int name_core(name_info *in)
{
    const char *s = in->name;
    word *w = NULL;
    size_t n = 0, cap = 0;
    if (split_words(s, strlen(s), &w, &n, &cap) != 0) {
        free(w);
        return -1;
    }
    in->key = s;
    in->key_len = strlen(s);
    in->shown = s;
    in->core_words = n;
    in->role = 0;
    if (n >= 2 && !st_words_has(ST_WORDS_TITLE, w[n - 1].s, w[n - 1].n) &&
        !st_words_has(ST_WORDS_ORG_HEAD, w[n - 1].s, w[n - 1].n)) {
        size_t first = 0; /* first word of the personal name */
        for (size_t i = 0; i + 1 < n; i++) {
            unsigned char c = (unsigned char)w[i].s[0];
            if ((c >= 'a' && c <= 'z' && !st_words_has(ST_WORDS_NAME_PARTICLE, w[i].s, w[i].n)) ||
                st_words_has(ST_WORDS_TITLE, w[i].s, w[i].n) ||
                st_words_has(ST_WORDS_NATIONALITY, w[i].s, w[i].n))
                first = i + 1;
        }
        if (first > 0) {
            in->role = 1;
            in->key = w[first].s;
            in->key_len = (size_t)(s + strlen(s) - w[first].s);
            in->core_words = n - first;
            if (in->core_words >= 2)
                in->shown = w[first].s;
        }
    }
    free(w);
    return 0;
}

static int compare_info_key(const void *a, const void *b)
{
    const name_info *x = a, *y = b;
    size_t n = x->key_len < y->key_len ? x->key_len : y->key_len;
    int c = memcmp(x->key, y->key, n);
    if (c)
        return c;
    if (x->key_len != y->key_len)
        return x->key_len < y->key_len ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* Preferred display name first: not a capital form, the fullest
 * personal name, no title, then byte order. */
static int display_before(const name_info *a, const name_info *b)
{
    if (a->capital != b->capital)
        return a->capital < b->capital;
    if (a->core_words != b->core_words)
        return a->core_words > b->core_words;
    if (a->role != b->role)
        return a->role < b->role;
    int c = strcmp(a->shown, b->shown);
    if (c)
        return c < 0;
    return strcmp(a->name, b->name) < 0;
}

static size_t find_root(size_t *parent, size_t i)
{
    while (parent[i] != i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    return i;
}

static void unite(size_t *parent, size_t a, size_t b)
{
    a = find_root(parent, a);
    b = find_root(parent, b);
    if (a != b) {
        if (a < b)
            parent[b] = a;
        else
            parent[a] = b;
    }
}

/* Keys sorted by last word, then word count, then bytes (for buckets). */
typedef struct key_sort {
    word last;
    size_t words;
    const char *key;
    size_t len;
    size_t id;
} key_sort;

static int compare_key_sort(const void *pa, const void *pb)
{
    const key_sort *a = pa, *b = pb;
    int c = word_compare(a->last, b->last);
    if (c)
        return c;
    if (a->words != b->words)
        return a->words < b->words ? -1 : 1;
    size_t n = a->len < b->len ? a->len : b->len;
    c = memcmp(a->key, b->key, n);
    return c ? c : (a->len > b->len) - (a->len < b->len);
}

/* The merging itself: group[i] is the index of the name shown for names[i]'s
 * group, shown[i] the display form (a suffix of that name).  Either may
 * be NULL. */
static st_status group_names(const char *const *names, size_t count, size_t *group, const char **shown)
{
    if (count == 0)
        return ST_OK;
    st_status status = ST_ERR_NOMEM;
    name_info *info = calloc(count, sizeof *info);
    name_key *keys = calloc(count, sizeof *keys);
    key_sort *order = calloc(count, sizeof *order);
    size_t *parent = malloc(count * sizeof *parent);
    size_t *cand = malloc(count * sizeof *cand);
    size_t *best = malloc(count * sizeof *best);
    word *words = NULL;
    size_t word_count = 0, word_capacity = 0;
    if (!info || !keys || !order || !parent || !cand || !best)
        goto done;
    for (size_t i = 0; i < count; i++) {
        name_info *in = &info[i];
        in->name = names[i];
        in->index = i;
        if (name_core(in) != 0)
            goto done;
        const char *country;
        size_t country_len;
        in->capital = capital_form(names[i], &country, &country_len);
        if (in->capital) {
            in->key = country;
            in->key_len = country_len;
        }
    }
    /* Distinct keys, each with its words. */
    qsort(info, count, sizeof *info, compare_info_key);
    size_t nkeys = 0;
    for (size_t i = 0; i < count; i++) {
        if (i == 0 || info[i].key_len != info[i - 1].key_len ||
            memcmp(info[i].key, info[i - 1].key, info[i].key_len) != 0) {
            name_key *k = &keys[nkeys++];
            k->key = info[i].key;
            k->key_len = info[i].key_len;
            k->first_word = word_count;
            if (split_words(k->key, k->key_len, &words, &word_count, &word_capacity) != 0)
                goto done;
            k->word_count = word_count - k->first_word;
        }
        info[i].key_id = nkeys - 1;
    }
    /* Buckets of keys with one last word, shortest first. */
    for (size_t k = 0; k < nkeys; k++) {
        parent[k] = k;
        const name_key *nk = &keys[k];
        order[k] = (key_sort){nk->word_count ? words[nk->first_word + nk->word_count - 1] : (word){"", 0},
                              nk->word_count, nk->key, nk->key_len, k};
    }
    qsort(order, nkeys, sizeof *order, compare_key_sort);
    for (size_t start = 0; start < nkeys;) {
        size_t end = start + 1;
        while (end < nkeys && word_equal(order[end].last, order[start].last))
            end++;
        /* A shorter form joins the fuller forms that fit it when they
         * form one chain. */
        for (size_t i = start; i < end; i++) {
            const name_key *a = &keys[order[i].id];
            size_t nc = 0;
            for (size_t j = i + 1; j < end; j++) {
                const name_key *b = &keys[order[j].id];
                if (words_fit(words + a->first_word, a->word_count, words + b->first_word, b->word_count))
                    cand[nc++] = order[j].id;
            }
            int chain = nc > 0;
            for (size_t c = 0; c + 1 < nc && chain; c++) {
                const name_key *x = &keys[cand[c]], *y = &keys[cand[c + 1]];
                chain = words_fit(words + x->first_word, x->word_count, words + y->first_word, y->word_count);
            }
            for (size_t c = 0; chain && c < nc; c++)
                unite(parent, order[i].id, cand[c]);
        }
        start = end;
    }
    /* The display name of each group. */
    for (size_t k = 0; k < nkeys; k++)
        best[k] = SIZE_MAX;
    for (size_t i = 0; i < count; i++) {
        size_t root = find_root(parent, info[i].key_id);
        if (best[root] == SIZE_MAX || display_before(&info[i], &info[best[root]]))
            best[root] = i;
    }
    for (size_t i = 0; i < count; i++) {
        const name_info *b = &info[best[find_root(parent, info[i].key_id)]];
        if (group)
            group[info[i].index] = b->index;
        if (shown)
            shown[info[i].index] = b->shown;
    }
    status = ST_OK;
done:
    free(info);
    free(keys);
    free(order);
    free(parent);
    free(cand);
    free(best);
    free(words);
    return status;
}

st_status st_report_group_names(const char *const *names, size_t count, const char **shown)
{
    return group_names(names, count, NULL, shown);
}

/* ------------------------------------------------------------------ */
/* Rows                                                                */

/* The names of the whole report and their groups (computed once). */
typedef struct naming {
    const char **names;  /* distinct speaker names, byte order */
    size_t count;
    size_t *group;       /* group number of each name: index of its display name */
    const char **shown;  /* display form of each name's group */
} naming;

static void naming_clear(naming *nm)
{
    free(nm->names);
    free(nm->group);
    free(nm->shown);
    memset(nm, 0, sizeof *nm);
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static st_status naming_build(const st_report *r, naming *nm)
{
    memset(nm, 0, sizeof *nm);
    if (r->cell_count == 0)
        return ST_OK;
    nm->names = malloc(r->cell_count * sizeof *nm->names);
    if (!nm->names)
        return ST_ERR_NOMEM;
    size_t n = 0;
    for (size_t i = 0; i < r->cell_count; i++)
        if (r->cells[i].speaker)
            nm->names[n++] = r->cells[i].speaker;
    qsort(nm->names, n, sizeof *nm->names, compare_pointers);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (u == 0 || nm->names[i] != nm->names[u - 1])
            nm->names[u++] = nm->names[i];
    qsort(nm->names, u, sizeof *nm->names, compare_strings);
    nm->count = u;
    nm->group = malloc((u ? u : 1) * sizeof *nm->group);
    nm->shown = malloc((u ? u : 1) * sizeof *nm->shown);
    if (!nm->group || !nm->shown) {
        naming_clear(nm);
        return ST_ERR_NOMEM;
    }
    st_status s = group_names(nm->names, u, nm->group, nm->shown);
    if (s != ST_OK)
        naming_clear(nm);
    return s;
}

/* The group of a speaker name (interned); nm->count for unattributed. */
static size_t naming_group(const naming *nm, const char *speaker)
{
    if (!speaker)
        return nm->count;
    size_t lo = 0, hi = nm->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(speaker, nm->names[mid]);
        if (c == 0)
            return nm->group[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return nm->count; /* not reached: every name is listed */
}

typedef struct row_data {
    st_report_row row;
    size_t group;
    const cell **cells;  /* the row's cells, by name then document */
    size_t cell_count;
    const char **names;  /* storage for row.names */
} row_data;

struct st_report_rows {
    row_data *rows;
    size_t count;
    const cell **cells;  /* storage the rows' cell lists point into */
};

void st_report_rows_free(st_report_rows *rows)
{
    if (!rows)
        return;
    for (size_t i = 0; i < rows->count; i++)
        free(rows->rows[i].names);
    free(rows->rows);
    free(rows->cells);
    free(rows);
}

size_t st_report_rows_count(const st_report_rows *rows)
{
    return rows->count;
}

const st_report_row *st_report_rows_get(const st_report_rows *rows, size_t index)
{
    return index < rows->count ? &rows->rows[index].row : NULL;
}

typedef struct cell_ref {
    size_t group;
    const cell *c;
} cell_ref;

/* NULL (unattributed) first, then byte order. */
static int compare_names(const char *a, const char *b)
{
    if (!a || !b)
        return (a != NULL) - (b != NULL);
    return strcmp(a, b);
}

static int compare_cell_refs(const void *pa, const void *pb)
{
    const cell_ref *a = pa, *b = pb;
    if (a->group != b->group)
        return a->group < b->group ? -1 : 1;
    int c = compare_names(a->c->speaker, b->c->speaker);
    return c ? c : strcmp(a->c->doc, b->c->doc);
}

static int ascii_casecmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int x = (unsigned char)*a, y = (unsigned char)*b;
        if (x >= 'A' && x <= 'Z')
            x += 32;
        if (y >= 'A' && y <= 'Z')
            y += 32;
        if (x != y || !x)
            return x - y;
    }
}

static int word_equal_ci(word a, word b)
{
    if (a.n != b.n)
        return 0;
    for (size_t i = 0; i < a.n; i++) {
        int x = (unsigned char)a.s[i], y = (unsigned char)b.s[i];
        if (x >= 'A' && x <= 'Z')
            x += 32;
        if (y >= 'A' && y <= 'Z')
            y += 32;
        if (x != y)
            return 0;
    }
    return 1;
}

/* `want` is `name` or a shorter form of it by the merging rule, ASCII
 * case-insensitively. */
static int name_selects(const char *want, const char *name)
{
    if (ascii_casecmp(want, name) == 0)
        return 1;
    word *w = NULL;
    size_t n = 0, cap = 0;
    int ok = 0;
    if (split_words(want, strlen(want), &w, &n, &cap) == 0) {
        size_t na = n;
        if (split_words(name, strlen(name), &w, &n, &cap) == 0) {
            const word *a = w, *b = w + na;
            size_t nb = n - na;
            if (na > 0 && na < nb && word_equal_ci(a[na - 1], b[nb - 1])) {
                size_t j = 0;
                ok = 1;
                for (size_t i = 0; i + 1 < na && ok; i++) {
                    while (j + 1 < nb && !word_equal_ci(a[i], b[j]))
                        j++;
                    if (j + 1 >= nb)
                        ok = 0;
                    j++;
                }
            }
        }
    }
    free(w);
    return ok;
}

static int row_selected(const row_data *rd, const st_report_options *o)
{
    if (rd->row.quotes < o->min_quotes)
        return 0;
    if (o->speaker_count == 0)
        return 1;
    for (size_t i = 0; i < o->speaker_count; i++) {
        const char *want = o->speakers[i];
        if (!rd->row.speaker) {
            if (ascii_casecmp(want, UNATTRIBUTED) == 0)
                return 1;
            continue;
        }
        if (name_selects(want, rd->row.speaker))
            return 1;
        for (size_t k = 0; k < rd->row.name_count; k++)
            if (name_selects(want, rd->row.names[k]))
                return 1;
    }
    return 0;
}

static int compare_rows_name(const void *pa, const void *pb)
{
    const row_data *a = pa, *b = pb;
    if (!a->row.speaker || !b->row.speaker)
        return (a->row.speaker == NULL) - (b->row.speaker == NULL);
    int c = strcmp(a->row.speaker, b->row.speaker);
    return c ? c : (a->group > b->group) - (a->group < b->group);
}

static int compare_rows_quotes(const void *pa, const void *pb)
{
    const row_data *a = pa, *b = pb;
    if (!a->row.speaker || !b->row.speaker)
        return (a->row.speaker == NULL) - (b->row.speaker == NULL);
    if (a->row.quotes != b->row.quotes)
        return a->row.quotes > b->row.quotes ? -1 : 1;
    return compare_rows_name(pa, pb);
}

static int compare_rows_tone(const void *pa, const void *pb)
{
    const row_data *a = pa, *b = pb;
    if (!a->row.speaker || !b->row.speaker)
        return (a->row.speaker == NULL) - (b->row.speaker == NULL);
    /* exact: (c1 - t1) / n1 against (c2 - t2) / n2 */
    long double ta = ((long double)a->row.labels[ST_LABEL_CONCILIATORY] - a->row.labels[ST_LABEL_THREATENING]) *
                     (long double)b->row.quotes;
    long double tb = ((long double)b->row.labels[ST_LABEL_CONCILIATORY] - b->row.labels[ST_LABEL_THREATENING]) *
                     (long double)a->row.quotes;
    if (ta != tb)
        return ta < tb ? -1 : 1;
    return compare_rows_quotes(pa, pb);
}

/* Rows from the cells refs[0..n) (any order), grouped by nm. */
static st_status rows_build(const naming *nm, cell_ref *refs, size_t n, const st_report_options *o,
                            st_report_rows **out)
{
    *out = NULL;
    st_report_rows *rows = calloc(1, sizeof *rows);
    if (!rows)
        return ST_ERR_NOMEM;
    qsort(refs, n, sizeof *refs, compare_cell_refs);
    rows->cells = malloc((n ? n : 1) * sizeof *rows->cells);
    size_t groups = 0;
    for (size_t i = 0; i < n; i++)
        groups += i == 0 || refs[i].group != refs[i - 1].group;
    rows->rows = calloc(groups ? groups : 1, sizeof *rows->rows);
    const char **docs = malloc((n ? n : 1) * sizeof *docs);
    if (!rows->cells || !rows->rows || !docs) {
        free(docs);
        st_report_rows_free(rows);
        return ST_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++)
        rows->cells[i] = refs[i].c;
    for (size_t start = 0; start < n;) {
        size_t end = start + 1;
        while (end < n && refs[end].group == refs[start].group)
            end++;
        row_data *rd = &rows->rows[rows->count++];
        st_report_row *row = &rd->row;
        rd->group = refs[start].group;
        rd->cells = rows->cells + start;
        rd->cell_count = end - start;
        row->speaker = rd->group < nm->count ? nm->shown[rd->group] : NULL;
        unsigned long long q = 0, labels[ST_LABEL_COUNT] = {0}, sums[ST_LABEL_COUNT] = {0};
        const extreme *most[2] = {NULL, NULL};
        size_t names = 0;
        for (size_t i = start; i < end; i++) {
            const cell *c = refs[i].c;
            q += c->quotes;
            for (int l = 0; l < ST_LABEL_COUNT; l++) {
                labels[l] += c->labels[l];
                sums[l] += c->sums[l];
            }
            for (int m = 0; m < 2; m++)
                if (c->most[m].set && (!most[m] || extreme_better(&c->most[m], most[m])))
                    most[m] = &c->most[m];
            docs[i - start] = c->doc;
            names += c->speaker && (i == start || c->speaker != refs[i - 1].c->speaker);
        }
        qsort(docs, end - start, sizeof *docs, compare_pointers);
        for (size_t i = 0; i < end - start; i++)
            row->documents += i == 0 || docs[i] != docs[i - 1];
        row->quotes = (size_t)q;
        for (int l = 0; l < ST_LABEL_COUNT; l++) {
            row->labels[l] = (size_t)labels[l];
            row->share[l] = q ? (double)labels[l] / (double)q : 0;
            row->mean_probability[l] = q ? (double)sums[l] / (double)q / (double)NANO : 0;
        }
        st_report_tone(row->labels[ST_LABEL_THREATENING], row->labels[ST_LABEL_CONCILIATORY],
                       row->labels[ST_LABEL_NEUTRAL], &row->tone, &row->tone_low, &row->tone_high);
        st_report_example *ex[2] = {&row->most_threatening, &row->most_conciliatory};
        for (int m = 0; m < 2; m++) {
            if (!most[m])
                continue;
            ex[m]->quote = most[m]->quote;
            ex[m]->doc = most[m]->doc;
            ex[m]->index = most[m]->index;
            ex[m]->label = most[m]->label;
            ex[m]->probability = (double)most[m]->probability / (double)NANO;
        }
        rd->names = malloc((names ? names : 1) * sizeof *rd->names);
        if (!rd->names) {
            free(docs);
            st_report_rows_free(rows);
            return ST_ERR_NOMEM;
        }
        for (size_t i = start; i < end; i++) {
            const cell *c = refs[i].c;
            if (c->speaker && (i == start || c->speaker != refs[i - 1].c->speaker))
                rd->names[row->name_count++] = c->speaker;
        }
        row->names = rd->names;
        start = end;
    }
    free(docs);
    /* Filter, then sort. */
    size_t kept = 0;
    for (size_t i = 0; i < rows->count; i++) {
        if (row_selected(&rows->rows[i], o)) {
            rows->rows[kept] = rows->rows[i];
            rows->rows[kept].row.names = rows->rows[kept].names;
            kept++;
        } else {
            free(rows->rows[i].names);
        }
    }
    rows->count = kept;
    int (*cmp)(const void *, const void *) = o->sort == ST_REPORT_SORT_NAME   ? compare_rows_name
                                             : o->sort == ST_REPORT_SORT_TONE ? compare_rows_tone
                                                                              : compare_rows_quotes;
    qsort(rows->rows, rows->count, sizeof *rows->rows, cmp);
    for (size_t i = 0; i < rows->count; i++)
        rows->rows[i].row.names = rows->rows[i].names;
    *out = rows;
    return ST_OK;
}

static int compare_cell_doc(const void *pa, const void *pb)
{
    const cell_ref *a = pa, *b = pb;
    return strcmp(a->c->doc, b->c->doc);
}

/*
 * What both row builders (st_report_rows_new, blocks_build) start from:
 * the speakers' naming and a reference to every cell with its naming
 * group.  On ST_OK the caller frees *refs and clears *nm; otherwise there
 * is nothing to release.
 */
static st_status named_refs(const st_report *r, naming *nm, cell_ref **out)
{
    st_status s = naming_build(r, nm);
    if (s != ST_OK)
        return s;
    cell_ref *refs = malloc((r->cell_count ? r->cell_count : 1) * sizeof *refs);
    if (!refs) {
        naming_clear(nm);
        return ST_ERR_NOMEM;
    }
    for (size_t i = 0; i < r->cell_count; i++) {
        refs[i].c = &r->cells[i];
        refs[i].group = naming_group(nm, r->cells[i].speaker);
    }
    *out = refs;
    return ST_OK;
}

st_status st_report_rows_new(const st_report *r, const st_report_options *o, const char *doc,
                             st_report_rows **out)
{
    *out = NULL;
    st_report_options defaults = {0};
    if (!o)
        o = &defaults;
    naming nm;
    cell_ref *refs;
    st_status s = named_refs(r, &nm, &refs);
    if (s != ST_OK)
        return s;
    size_t n = r->cell_count;
    if (doc) {
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (strcmp(refs[i].c->doc, doc) == 0)
                refs[k++] = refs[i];
        n = k;
    }
    st_report_rows *rows = NULL;
    s = rows_build(&nm, refs, n, o, &rows);
    free(refs);
    if (s == ST_OK) {
        /* The rows point at names owned by the report, not by nm. */
        *out = rows;
    }
    naming_clear(&nm);
    return s;
}

/* ------------------------------------------------------------------ */
/* Writers: helpers                                                    */

/* Rounded for display: 4 decimals, and never "-0". */
static double round4(double x)
{
    double r = round(x * 10000.0) / 10000.0;
    return r == 0 ? 0.0 : r;
}

/* Integer value of the sums/counts of a row's label order. */
static const char *label_name(int l)
{
    return st_label_name(l);
}

/* A block of rows: a document (by_doc) or the whole report. */
typedef struct block {
    const char *doc;       /* NULL: the whole report */
    size_t quotes;
    st_report_rows *rows;
} block;

typedef struct blocks {
    block *items;
    size_t count;
    size_t documents;
    size_t quotes;
} blocks;

static void blocks_clear(blocks *b)
{
    for (size_t i = 0; i < b->count; i++)
        st_report_rows_free(b->items[i].rows);
    free(b->items);
    memset(b, 0, sizeof *b);
}

static st_status blocks_build(const st_report *r, const st_report_options *o, blocks *b)
{
    memset(b, 0, sizeof *b);
    b->documents = st_report_document_count(r);
    b->quotes = (size_t)r->quotes;
    size_t n = r->cell_count;
    naming nm;
    cell_ref *refs;
    st_status s = named_refs(r, &nm, &refs);
    if (s != ST_OK)
        return s;
    if (!o->by_doc) {
        b->items = calloc(1, sizeof *b->items);
        if (!b->items) {
            s = ST_ERR_NOMEM;
        } else {
            b->count = 1;
            b->items[0].quotes = b->quotes;
            s = rows_build(&nm, refs, n, o, &b->items[0].rows);
        }
    } else {
        qsort(refs, n, sizeof *refs, compare_cell_doc);
        b->items = calloc(b->documents ? b->documents : 1, sizeof *b->items);
        if (!b->items)
            s = ST_ERR_NOMEM;
        for (size_t start = 0; start < n && s == ST_OK;) {
            size_t end = start + 1;
            while (end < n && refs[end].c->doc == refs[start].c->doc)
                end++;
            block *bl = &b->items[b->count++];
            bl->doc = refs[start].c->doc;
            for (size_t i = start; i < end; i++)
                bl->quotes += (size_t)refs[i].c->quotes;
            s = rows_build(&nm, refs + start, end - start, o, &bl->rows);
            start = end;
        }
    }
    free(refs);
    naming_clear(&nm);
    if (s != ST_OK)
        blocks_clear(b);
    return s;
}

/* ------------------------------------------------------------------ */
/* JSON                                                                */

static int set_new(json_t *o, const char *key, json_t *v)
{
    return v ? json_object_set_new(o, key, v) : -1;
}

static json_t *label_object_real(const double v[ST_LABEL_COUNT])
{
    json_t *o = json_object();
    int bad = !o;
    for (int l = 0; l < ST_LABEL_COUNT && !bad; l++)
        bad |= set_new(o, label_name(l), json_real(round4(v[l])));
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *label_object_int(const unsigned long long v[ST_LABEL_COUNT])
{
    json_t *o = json_object();
    int bad = !o;
    for (int l = 0; l < ST_LABEL_COUNT && !bad; l++)
        bad |= set_new(o, label_name(l), json_integer((json_int_t)v[l]));
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *example_json(const char *quote, const char *doc, long long index, int label, long long units)
{
    json_t *o = json_object();
    int bad = !o;
    bad = bad || set_new(o, "quote", json_string(quote));
    if (doc)
        bad = bad || set_new(o, "doc", json_string(doc));
    bad = bad || set_new(o, "index", json_integer((json_int_t)index));
    bad = bad || set_new(o, "label", json_string(label_name(label)));
    bad = bad || set_new(o, "probability", json_real((double)units / (double)NANO));
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static long long units_of(double p)
{
    return llround(p * (double)NANO);
}

static json_t *source_json(const cell *c)
{
    json_t *o = json_object();
    int bad = !o;
    bad = bad || set_new(o, "name", c->speaker ? json_string(c->speaker) : json_null());
    bad = bad || set_new(o, "doc", json_string(c->doc));
    bad = bad || set_new(o, "quotes", json_integer((json_int_t)c->quotes));
    bad = bad || set_new(o, "labels", label_object_int(c->labels));
    bad = bad || set_new(o, "probability_sums", label_object_int(c->sums));
    const char *keys[2] = {"most_threatening", "most_conciliatory"};
    for (int m = 0; m < 2 && !bad; m++) {
        const extreme *e = &c->most[m];
        if (e->set)
            bad = set_new(o, keys[m], example_json(e->quote, NULL, e->index, e->label, e->probability));
    }
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* Writes `value` (stolen) on one line: "key": value (jansson's spacing,
 * reals with up to 9 significant digits, enough for 1e-9 units). */
static int put_member(FILE *fp, int indent, const char *key, json_t *value, int last)
{
    if (!value)
        return -1;
    char *text = json_dumps(value, JSON_ENCODE_ANY | JSON_REAL_PRECISION(9));
    json_decref(value);
    if (!text)
        return -1;
    json_t *k = json_string(key);
    char *ktext = k ? json_dumps(k, JSON_ENCODE_ANY) : NULL;
    json_decref(k);
    if (!ktext) {
        free(text);
        return -1;
    }
    fprintf(fp, "%*s%s: %s%s\n", indent, "", ktext, text, last ? "" : ",");
    free(ktext);
    free(text);
    return 0;
}

static json_t *interval_json(double low, double high)
{
    json_t *a = json_array();
    if (!a || json_array_append_new(a, json_real(round4(low))) || json_array_append_new(a, json_real(round4(high)))) {
        json_decref(a);
        return NULL;
    }
    return a;
}

static json_t *names_json(const st_report_row *row)
{
    json_t *names = json_array();
    for (size_t i = 0; names && i < row->name_count; i++) {
        if (json_array_append_new(names, json_string(row->names[i])) != 0) {
            json_decref(names);
            return NULL;
        }
    }
    return names;
}

/* One speaker object: figures one per line, each source on one line. */
static int put_row(FILE *fp, int indent, const row_data *rd, int last)
{
    const st_report_row *row = &rd->row;
    unsigned long long counts[ST_LABEL_COUNT];
    for (int l = 0; l < ST_LABEL_COUNT; l++)
        counts[l] = row->labels[l];
    int in = indent + 2, bad = 0;
    fprintf(fp, "%*s{\n", indent, "");
    bad |= put_member(fp, in, "speaker", row->speaker ? json_string(row->speaker) : json_null(), 0);
    bad |= put_member(fp, in, "quotes", json_integer((json_int_t)row->quotes), 0);
    bad |= put_member(fp, in, "documents", json_integer((json_int_t)row->documents), 0);
    bad |= put_member(fp, in, "labels", label_object_int(counts), 0);
    bad |= put_member(fp, in, "shares", label_object_real(row->share), 0);
    bad |= put_member(fp, in, "tone", json_real(round4(row->tone)), 0);
    bad |= put_member(fp, in, "tone_interval", interval_json(row->tone_low, row->tone_high), 0);
    bad |= put_member(fp, in, "mean_probabilities", label_object_real(row->mean_probability), 0);
    const st_report_example *ex[2] = {&row->most_threatening, &row->most_conciliatory};
    const char *keys[2] = {"most_threatening", "most_conciliatory"};
    for (int m = 0; m < 2; m++)
        if (ex[m]->quote)
            bad |= put_member(fp, in, keys[m],
                              example_json(ex[m]->quote, ex[m]->doc, ex[m]->index, ex[m]->label,
                                           units_of(ex[m]->probability)), 0);
    bad |= put_member(fp, in, "names", names_json(row), 0);
    fprintf(fp, "%*s\"sources\": [\n", in, "");
    for (size_t i = 0; i < rd->cell_count && !bad; i++) {
        json_t *src = source_json(rd->cells[i]);
        char *text = src ? json_dumps(src, JSON_REAL_PRECISION(9)) : NULL;
        json_decref(src);
        if (!text) {
            bad = 1;
            break;
        }
        fprintf(fp, "%*s%s%s\n", in + 2, "", text, i + 1 < rd->cell_count ? "," : "");
        free(text);
    }
    fprintf(fp, "%*s]\n%*s}%s\n", in, "", indent, "", last ? "" : ",");
    return bad ? -1 : 0;
}

static int put_rows(FILE *fp, int indent, const st_report_rows *rows, int last)
{
    if (rows->count == 0) {
        fprintf(fp, "%*s\"speakers\": []%s\n", indent, "", last ? "" : ",");
        return 0;
    }
    fprintf(fp, "%*s\"speakers\": [\n", indent, "");
    for (size_t i = 0; i < rows->count; i++)
        if (put_row(fp, indent + 2, &rows->rows[i], i + 1 == rows->count) != 0)
            return -1;
    fprintf(fp, "%*s]%s\n", indent, "", last ? "" : ",");
    return 0;
}

/* Streamed (no tree of the whole report in memory): pretty at the top,
 * one line per source. */
static st_status write_json(const blocks *b, const st_report_options *o, FILE *fp)
{
    int bad = 0;
    fputs("{\n", fp);
    bad |= put_member(fp, 2, "format", json_string(REPORT_FORMAT), 0);
    bad |= put_member(fp, 2, "documents", json_integer((json_int_t)b->documents), 0);
    bad |= put_member(fp, 2, "quotes", json_integer((json_int_t)b->quotes), 0);
    if (!o->by_doc) {
        bad |= put_rows(fp, 2, b->items[0].rows, 1);
    } else if (b->count == 0) {
        fputs("  \"by_doc\": []\n", fp);
    } else {
        fputs("  \"by_doc\": [\n", fp);
        for (size_t i = 0; i < b->count && !bad; i++) {
            fputs("    {\n", fp);
            bad |= put_member(fp, 6, "doc", json_string(b->items[i].doc), 0);
            bad |= put_member(fp, 6, "quotes", json_integer((json_int_t)b->items[i].quotes), 0);
            bad |= put_rows(fp, 6, b->items[i].rows, 1);
            fprintf(fp, "    }%s\n", i + 1 < b->count ? "," : "");
        }
        fputs("  ]\n", fp);
    }
    fputs("}\n", fp);
    if (bad)
        return ST_ERR_NOMEM;
    return ferror(fp) ? ST_ERR_IO : ST_OK;
}

/* ------------------------------------------------------------------ */
/* CSV (RFC 4180)                                                      */

static void csv_field(FILE *fp, const char *s)
{
    if (!s)
        return;
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, fp);
        return;
    }
    fputc('"', fp);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', fp);
        fputc(*s, fp);
    }
    fputc('"', fp);
}

static void write_csv(const blocks *b, const st_report_options *o, FILE *fp)
{
    if (o->by_doc)
        fputs("doc,", fp);
    fputs("speaker,quotes,documents,threatening,conciliatory,neutral,"
          "share_threatening,share_conciliatory,share_neutral,tone,tone_low,tone_high,"
          "mean_threatening,mean_conciliatory,mean_neutral,"
          "most_threatening_quote,most_threatening_doc,most_threatening_probability,"
          "most_conciliatory_quote,most_conciliatory_doc,most_conciliatory_probability\r\n", fp);
    for (size_t k = 0; k < b->count; k++) {
        const st_report_rows *rows = b->items[k].rows;
        for (size_t i = 0; i < rows->count; i++) {
            const st_report_row *r = &rows->rows[i].row;
            if (o->by_doc) {
                csv_field(fp, b->items[k].doc);
                fputc(',', fp);
            }
            csv_field(fp, r->speaker);
            fprintf(fp, ",%zu,%zu,%zu,%zu,%zu,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,", r->quotes,
                    r->documents, r->labels[0], r->labels[1], r->labels[2], round4(r->share[0]),
                    round4(r->share[1]), round4(r->share[2]), round4(r->tone), round4(r->tone_low),
                    round4(r->tone_high), round4(r->mean_probability[0]), round4(r->mean_probability[1]),
                    round4(r->mean_probability[2]));
            const st_report_example *ex[2] = {&r->most_threatening, &r->most_conciliatory};
            for (int m = 0; m < 2; m++) {
                csv_field(fp, ex[m]->quote);
                fputc(',', fp);
                csv_field(fp, ex[m]->doc);
                fprintf(fp, ",%.4f%s", round4(ex[m]->probability), m ? "\r\n" : ",");
            }
        }
    }
}

/* ------------------------------------------------------------------ */
/* Table                                                               */

/* Writes s with control characters replaced (no terminal escapes from
 * the data); returns its display width (wide characters count 2).  With
 * fp NULL nothing is written (display_width). */
static size_t put_clean(FILE *fp, const char *s, size_t max_width)
{
    size_t width = 0;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    while (*p) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, -1, &cp);
        if (n <= 0) {
            cp = 0xFFFD;
            n = 1;
        }
        if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
            cp = cp == '\t' || cp == '\n' ? ' ' : 0xFFFD;
        int w = utf8proc_charwidth(cp);
        if (w < 0)
            w = 0;
        if (max_width && width + (size_t)w > max_width - 1 && p[n]) {
            /* leave room for the ellipsis */
            fputs("\xE2\x80\xA6", fp);
            return width + 1;
        }
        if (fp) {
            utf8proc_uint8_t buf[4];
            utf8proc_ssize_t m = utf8proc_encode_char(cp, buf);
            fwrite(buf, 1, (size_t)m, fp);
        }
        width += (size_t)w;
        p += n;
    }
    return width;
}

/* The width put_clean gives s, nothing written: measured by the same walk
 * so that the table's columns line up with what is printed. */
static size_t display_width(const char *s)
{
    return put_clean(NULL, s, 0);
}

static void pad(FILE *fp, size_t n)
{
    while (n--)
        fputc(' ', fp);
}

#define BAR_CELLS 20
static const char *const bar_glyph[ST_LABEL_COUNT] = {"\xE2\x96\x88", "\xE2\x96\x92", "\xE2\x96\x91"}; /* █ ▒ ░ */
static const char *const label_color[ST_LABEL_COUNT] = {"\033[31m", "\033[32m", "\033[90m"};
#define COLOR_RESET "\033[0m"

/* Cells per label, BAR_CELLS in all (largest remainder). */
static void bar_cells(const size_t labels[ST_LABEL_COUNT], size_t quotes, int cells[ST_LABEL_COUNT])
{
    int total = 0;
    double rest[ST_LABEL_COUNT];
    for (int l = 0; l < ST_LABEL_COUNT; l++) {
        double exact = quotes ? (double)labels[l] * BAR_CELLS / (double)quotes : 0;
        cells[l] = (int)floor(exact);
        rest[l] = exact - cells[l];
        total += cells[l];
    }
    while (quotes && total < BAR_CELLS) {
        int best = 0;
        for (int l = 1; l < ST_LABEL_COUNT; l++)
            if (rest[l] > rest[best])
                best = l;
        cells[best]++;
        rest[best] = -1;
        total++;
    }
}

static void put_signed(FILE *fp, double v)
{
    fprintf(fp, "%+.2f", round(v * 100) / 100 == 0 ? 0.0 : v);
}

static void write_table_block(const st_report_rows *rows, const st_report_options *o, FILE *fp)
{
    static const char *const head[] = {"QUOTES", "DOCS", "THREAT", "CONCIL", "NEUTRAL"};
    size_t name_width = strlen("SPEAKER");
    for (size_t i = 0; i < rows->count; i++) {
        const char *s = rows->rows[i].row.speaker;
        size_t w = s ? display_width(s) : strlen(UNATTRIBUTED);
        if (w > name_width)
            name_width = w;
    }
    fputs("SPEAKER", fp);
    pad(fp, name_width - strlen("SPEAKER"));
    for (size_t h = 0; h < 5; h++)
        fprintf(fp, "  %7s", head[h]);
    fputs("   TONE  95% INTERVAL    LABELS\n", fp);
    for (size_t i = 0; i < rows->count; i++) {
        const st_report_row *r = &rows->rows[i].row;
        size_t w = r->speaker ? put_clean(fp, r->speaker, 0) : (fputs(UNATTRIBUTED, fp), strlen(UNATTRIBUTED));
        pad(fp, name_width - w);
        fprintf(fp, "  %7zu  %7zu  %7zu  %7zu  %7zu  ", r->quotes, r->documents, r->labels[0], r->labels[1],
                r->labels[2]);
        put_signed(fp, r->tone);
        fputs("  [", fp);
        put_signed(fp, r->tone_low);
        fputs(", ", fp);
        put_signed(fp, r->tone_high);
        fputs("]  ", fp);
        int cells[ST_LABEL_COUNT];
        bar_cells(r->labels, r->quotes, cells);
        for (int l = 0; l < ST_LABEL_COUNT; l++) {
            if (!cells[l])
                continue;
            if (o->color)
                fputs(label_color[l], fp);
            for (int k = 0; k < cells[l]; k++)
                fputs(bar_glyph[l], fp);
            if (o->color)
                fputs(COLOR_RESET, fp);
        }
        fputc('\n', fp);
    }
}

static void write_table_extremes(const st_report_rows *rows, const st_report_options *o, FILE *fp)
{
    for (size_t i = 0; i < rows->count; i++) {
        const st_report_row *r = &rows->rows[i].row;
        if (r->speaker)
            put_clean(fp, r->speaker, 0);
        else
            fputs(UNATTRIBUTED, fp);
        fputc('\n', fp);
        const st_report_example *ex[2] = {&r->most_threatening, &r->most_conciliatory};
        static const char *const what[2] = {"most threatening ", "most conciliatory"};
        int label[2] = {ST_LABEL_THREATENING, ST_LABEL_CONCILIATORY};
        if (ex[0]->quote && ex[1]->quote && ex[0]->index == ex[1]->index && strcmp(ex[0]->doc, ex[1]->doc) == 0 &&
            strcmp(ex[0]->quote, ex[1]->quote) == 0) {
            /* One quote is both: say so once. */
            fprintf(fp, "  most threatening %.2f and most conciliatory %.2f  \xE2\x80\x9C", ex[0]->probability,
                    ex[1]->probability);
            put_clean(fp, ex[0]->quote, 72);
            fputs("\xE2\x80\x9D  (", fp);
            put_clean(fp, ex[0]->doc, 0);
            fprintf(fp, " #%lld, %s)\n", ex[0]->index, label_name(ex[0]->label));
            continue;
        }
        for (int m = 0; m < 2; m++) {
            if (!ex[m]->quote)
                continue;
            fputs("  ", fp);
            if (o->color)
                fputs(label_color[label[m]], fp);
            fputs(what[m], fp);
            if (o->color)
                fputs(COLOR_RESET, fp);
            fprintf(fp, " %.2f  \xE2\x80\x9C", ex[m]->probability);
            put_clean(fp, ex[m]->quote, 72);
            fputs("\xE2\x80\x9D  (", fp);
            put_clean(fp, ex[m]->doc, 0);
            fprintf(fp, " #%lld, %s)\n", ex[m]->index, label_name(ex[m]->label));
        }
    }
}

static void write_table(const blocks *b, const st_report_options *o, FILE *fp)
{
    fprintf(fp, "%zu quote%s from %zu document%s\n", b->quotes, b->quotes == 1 ? "" : "s", b->documents,
            b->documents == 1 ? "" : "s");
    for (size_t k = 0; k < b->count; k++) {
        const st_report_rows *rows = b->items[k].rows;
        fputc('\n', fp);
        if (o->by_doc) {
            fputs("== ", fp);
            put_clean(fp, b->items[k].doc, 0);
            fprintf(fp, " (%zu quote%s) ==\n", b->items[k].quotes, b->items[k].quotes == 1 ? "" : "s");
        }
        if (rows->count == 0) {
            fputs(b->items[k].quotes ? "(no speaker matches)\n" : "(no quotes)\n", fp);
            continue;
        }
        write_table_block(rows, o, fp);
        fputc('\n', fp);
        write_table_extremes(rows, o, fp);
    }
    fputc('\n', fp);
    for (int l = 0; l < ST_LABEL_COUNT; l++) {
        if (o->color)
            fputs(label_color[l], fp);
        fputs(bar_glyph[l], fp);
        if (o->color)
            fputs(COLOR_RESET, fp);
        fprintf(fp, " %s%s", label_name(l), l + 1 < ST_LABEL_COUNT ? "  " : "\n");
    }
    fputs("tone = (conciliatory - threatening) / quotes, from -1 (all threatening) to +1 (all conciliatory);\n"
          "95% interval: Wilson score interval (docs/report.md)\n", fp);
}

/* ------------------------------------------------------------------ */
/* HTML                                                                */

/* Escapes text for HTML element content and attribute values: & < > " '
 * become entities (so no "</script>" or "-->" can survive), control
 * characters a space. */
static void html_text(FILE *fp, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '&': fputs("&amp;", fp); break;
        case '<': fputs("&lt;", fp); break;
        case '>': fputs("&gt;", fp); break;
        case '"': fputs("&quot;", fp); break;
        case '\'': fputs("&#39;", fp); break;
        default:
            if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F)
                fputc(' ', fp);
            else
                fputc(c, fp);
        }
    }
}

/* At most max code points of s, escaped, with an ellipsis when cut. */
static void html_text_cut(FILE *fp, const char *s, size_t max)
{
    size_t n = 0, i = 0;
    while (s[i] && n < max) {
        i++;
        while (((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
        n++;
    }
    if (!s[i]) {
        html_text(fp, s);
        return;
    }
    char *cut = strndup(s, i);
    if (!cut) {
        html_text(fp, s);
        return;
    }
    html_text(fp, cut);
    fputs("\xE2\x80\xA6", fp);
    free(cut);
}

static const char html_style[] =
    "body{font:15px/1.45 \"Liberation Sans\",Arial,Helvetica,sans-serif;color:#1d2330;background:#fff;"
    "margin:0 auto;max-width:1100px;padding:24px 32px}\n"
    "h1{font-size:26px;margin:0 0 4px}\n"
    "h2{font-size:20px;margin:28px 0 6px;padding-bottom:4px;border-bottom:1px solid #d8dce3}\n"
    "h3{font-size:17px;margin:22px 0 4px}\n"
    ".summary,.stats,.note{color:#4a5260;margin:4px 0}\n"
    ".legend{margin:10px 0 14px}\n"
    ".legend span{display:inline-block;margin-right:18px}\n"
    ".legend i{display:inline-block;width:13px;height:13px;margin-right:6px;vertical-align:-2px;border-radius:2px}\n"
    "i.threatening{background:#c62828} i.conciliatory{background:#2e7d32} i.neutral{background:#9aa3ae}\n"
    "svg.chart{display:block;margin:6px 0 10px;max-width:100%;height:auto}\n"
    "svg text{font:13px \"Liberation Sans\",Arial,sans-serif;fill:#1d2330}\n"
    "svg text.num{fill:#4a5260}\n"
    "rect.threatening{fill:#c62828} rect.conciliatory{fill:#2e7d32} rect.neutral{fill:#9aa3ae}\n"
    "rect.track{fill:#f1f3f6}\n"
    "ol.quotes{list-style:none;margin:6px 0 0;padding:0}\n"
    "ol.quotes li{border-left:5px solid #9aa3ae;background:#f7f8fa;margin:6px 0;padding:6px 12px}\n"
    "ol.quotes li.threatening{border-color:#c62828;background:#fdf0f0}\n"
    "ol.quotes li.conciliatory{border-color:#2e7d32;background:#eff8ef}\n"
    "ol.quotes q{quotes:\"\\201C\" \"\\201D\"}\n"
    ".meta{display:block;font-size:13px;color:#4a5260;margin-top:2px}\n"
    ".label{font-weight:bold;text-transform:uppercase;font-size:12px;letter-spacing:.04em}\n"
    "li.threatening .label{color:#b71c1c} li.conciliatory .label{color:#1b5e20} li.neutral .label{color:#5b6470}\n";

#define CHART_NAME_W 260
#define CHART_BAR_W 560
#define CHART_ROW_H 26

static void html_chart(FILE *fp, const st_report_rows *rows)
{
    size_t height = rows->count * CHART_ROW_H + 4;
    fprintf(fp,
            "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%zu\" "
            "viewBox=\"0 0 %d %zu\" role=\"img\" aria-label=\"Share of each label per speaker\">\n",
            CHART_NAME_W + CHART_BAR_W + 180, height, CHART_NAME_W + CHART_BAR_W + 180, height);
    for (size_t i = 0; i < rows->count; i++) {
        const st_report_row *r = &rows->rows[i].row;
        const char *name = r->speaker ? r->speaker : UNATTRIBUTED;
        fputs("<g class=\"bar\" data-speaker=\"", fp);
        html_text(fp, name);
        fprintf(fp, "\" transform=\"translate(0,%zu)\">\n<text x=\"0\" y=\"17\">", i * CHART_ROW_H);
        html_text_cut(fp, name, 34);
        fprintf(fp, "</text>\n<rect class=\"track\" x=\"%d\" y=\"3\" width=\"%d\" height=\"18\"/>\n", CHART_NAME_W,
                CHART_BAR_W);
        double x = CHART_NAME_W;
        for (int l = 0; l < ST_LABEL_COUNT; l++) {
            if (!r->labels[l])
                continue;
            double w = (double)CHART_BAR_W * (double)r->labels[l] / (double)r->quotes;
            fprintf(fp,
                    "<rect class=\"%s\" x=\"%.2f\" y=\"3\" width=\"%.2f\" height=\"18\">"
                    "<title>%s: %zu of %zu (%.0f%%)</title></rect>\n",
                    label_name(l), x, w, label_name(l), r->labels[l], r->quotes, 100 * r->share[l]);
            x += w;
        }
        fprintf(fp, "<text class=\"num\" x=\"%d\" y=\"17\">%zu quote%s, tone ", CHART_NAME_W + CHART_BAR_W + 10,
                r->quotes, r->quotes == 1 ? "" : "s");
        put_signed(fp, r->tone);
        fputs("</text>\n</g>\n", fp);
    }
    fputs("</svg>\n", fp);
}

typedef struct listed_quote {
    const char *doc;
    long long index;
    const char *quote;
    int label;
    const long long *probability; /* NULL: only the label's own is known */
    long long own;                /* for extremes: the probability it was chosen by */
    int own_label;
} listed_quote;

static int compare_listed(const void *pa, const void *pb)
{
    const listed_quote *a = pa, *b = pb;
    int c = strcmp(a->doc, b->doc);
    if (c)
        return c;
    if (a->index != b->index)
        return a->index < b->index ? -1 : 1;
    c = strcmp(a->quote, b->quote);
    if (c)
        return c;
    return a->label - b->label;
}

static st_status html_quotes(FILE *fp, const row_data *rd)
{
    size_t n = 0;
    for (size_t i = 0; i < rd->cell_count; i++) {
        const cell *c = rd->cells[i];
        n += c->kept_count == c->quotes ? c->kept_count : 2;
    }
    listed_quote *list = malloc((n ? n : 1) * sizeof *list);
    if (!list)
        return ST_ERR_NOMEM;
    size_t k = 0, missing = 0;
    for (size_t i = 0; i < rd->cell_count; i++) {
        const cell *c = rd->cells[i];
        if (c->kept_count == c->quotes) {
            for (size_t j = 0; j < c->kept_count; j++)
                list[k++] = (listed_quote){c->doc, c->kept[j].index, c->kept[j].quote, c->kept[j].label,
                                           c->kept[j].probability, 0, 0};
            continue;
        }
        /* From a merged report: only the two extreme quotes are known. */
        size_t shown = 0;
        for (int m = 0; m < 2; m++) {
            const extreme *e = &c->most[m];
            if (!e->set || (m == 1 && c->most[0].set && c->most[0].index == e->index &&
                            strcmp(c->most[0].quote, e->quote) == 0))
                continue;
            list[k++] = (listed_quote){c->doc, e->index, e->quote, e->label, NULL, e->probability,
                                       m == 0 ? ST_LABEL_THREATENING : ST_LABEL_CONCILIATORY};
            shown++;
        }
        missing += (size_t)c->quotes - shown;
    }
    qsort(list, k, sizeof *list, compare_listed);
    fputs("<ol class=\"quotes\">\n", fp);
    for (size_t i = 0; i < k; i++) {
        const listed_quote *q = &list[i];
        fprintf(fp, "<li class=\"quote %s\"><q>", label_name(q->label));
        html_text(fp, q->quote);
        fprintf(fp, "</q><span class=\"meta\"><span class=\"label\">%s</span> \xC2\xB7 ", label_name(q->label));
        if (q->probability) {
            for (int l = 0; l < ST_LABEL_COUNT; l++)
                fprintf(fp, "%s %.2f \xC2\xB7 ", label_name(l), (double)q->probability[l] / (double)NANO);
        } else {
            fprintf(fp, "%s %.2f \xC2\xB7 ", label_name(q->own_label), (double)q->own / (double)NANO);
        }
        fputs("<span class=\"doc\">", fp);
        html_text(fp, q->doc);
        fprintf(fp, "</span> #%lld</span></li>\n", q->index);
    }
    fputs("</ol>\n", fp);
    if (missing)
        fprintf(fp,
                "<p class=\"note\">%zu more quote%s not listed: merged JSON reports keep only the most "
                "threatening and the most conciliatory quote of each speaker in each document.</p>\n",
                missing, missing == 1 ? "" : "s");
    free(list);
    return ST_OK;
}

static st_status html_speakers(FILE *fp, const st_report_rows *rows, const char *heading)
{
    for (size_t i = 0; i < rows->count; i++) {
        const row_data *rd = &rows->rows[i];
        const st_report_row *r = &rd->row;
        fprintf(fp, "<section class=\"speaker\">\n<%s>", heading);
        html_text(fp, r->speaker ? r->speaker : UNATTRIBUTED);
        fprintf(fp, "</%s>\n<p class=\"stats\">%zu quote%s in %zu document%s \xC2\xB7 threatening %zu \xC2\xB7 "
                    "conciliatory %zu \xC2\xB7 neutral %zu \xC2\xB7 tone ",
                heading, r->quotes, r->quotes == 1 ? "" : "s", r->documents, r->documents == 1 ? "" : "s",
                r->labels[0], r->labels[1], r->labels[2]);
        put_signed(fp, r->tone);
        fputs(" (95% interval ", fp);
        put_signed(fp, r->tone_low);
        fputs(" to ", fp);
        put_signed(fp, r->tone_high);
        fprintf(fp, ") \xC2\xB7 mean probability: threatening %.2f, conciliatory %.2f, neutral %.2f</p>\n",
                r->mean_probability[0], r->mean_probability[1], r->mean_probability[2]);
        if (r->name_count > 1) {
            fputs("<p class=\"note\">Also named: ", fp);
            size_t shown = 0;
            for (size_t k = 0; k < r->name_count; k++) {
                if (strcmp(r->names[k], r->speaker) == 0)
                    continue;
                if (shown++)
                    fputs(", ", fp);
                html_text(fp, r->names[k]);
            }
            fputs("</p>\n", fp);
        }
        st_status s = html_quotes(fp, rd);
        if (s != ST_OK)
            return s;
        fputs("</section>\n", fp);
    }
    return ST_OK;
}

static st_status write_html(const blocks *b, const st_report_options *o, FILE *fp)
{
    const char *title = o->title ? o->title : "stance report";
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>", fp);
    html_text(fp, title);
    fprintf(fp, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>", html_style);
    html_text(fp, title);
    fprintf(fp, "</h1>\n<p class=\"summary\">%zu quote%s from %zu document%s. Tone = (conciliatory \xE2\x88\x92 "
                "threatening) / quotes, from \xE2\x88\x92" "1 to +1, with a 95%% Wilson interval.</p>\n",
            b->quotes, b->quotes == 1 ? "" : "s", b->documents, b->documents == 1 ? "" : "s");
    fputs("<p class=\"legend\">", fp);
    for (int l = 0; l < ST_LABEL_COUNT; l++)
        fprintf(fp, "<span><i class=\"%s\"></i>%s</span>", label_name(l), label_name(l));
    fputs("</p>\n", fp);
    for (size_t k = 0; k < b->count; k++) {
        const st_report_rows *rows = b->items[k].rows;
        const char *heading = "h2";
        if (o->by_doc) {
            fputs("<section class=\"document\">\n<h2>", fp);
            html_text(fp, b->items[k].doc);
            fprintf(fp, "</h2>\n<p class=\"summary\">%zu quote%s</p>\n", b->items[k].quotes,
                    b->items[k].quotes == 1 ? "" : "s");
            heading = "h3";
        }
        if (rows->count == 0)
            fprintf(fp, "<p class=\"note\">%s</p>\n", b->items[k].quotes ? "No speaker matches." : "No quotes.");
        else
            html_chart(fp, rows);
        st_status s = html_speakers(fp, rows, heading);
        if (s != ST_OK)
            return s;
        if (o->by_doc)
            fputs("</section>\n", fp);
    }
    fputs("</body>\n</html>\n", fp);
    return ST_OK;
}

/* ------------------------------------------------------------------ */

st_status st_report_write(const st_report *r, const st_report_options *o, FILE *fp, st_diag *diag)
{
    st_report_options defaults = {0};
    if (!o)
        o = &defaults;
    blocks b;
    st_status s = blocks_build(r, o, &b);
    if (s != ST_OK) {
        set_message(diag, "%s", st_strerror(s));
        return s;
    }
    switch (o->format) {
    case ST_REPORT_JSON: s = write_json(&b, o, fp); break;
    case ST_REPORT_CSV: write_csv(&b, o, fp); break;
    case ST_REPORT_HTML: s = write_html(&b, o, fp); break;
    case ST_REPORT_TABLE: write_table(&b, o, fp); break;
    }
    blocks_clear(&b);
    if (s == ST_OK && ferror(fp))
        s = ST_ERR_IO;
    if (s != ST_OK)
        set_message(diag, "%s", s == ST_ERR_IO ? "write error" : st_strerror(s));
    return s;
}
