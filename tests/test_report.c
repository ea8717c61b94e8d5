/*
 * test_report.c - unit tests for st_report: aggregation, speaker merging,
 * tone and its interval, the exact merge of shard reports, the writers
 * and their escaping, and bad input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "st_report.h"

enum { T = ST_LABEL_THREATENING, C = ST_LABEL_CONCILIATORY, N = ST_LABEL_NEUTRAL };

static void add(st_report *r, const char *doc, long long index, const char *speaker, int label, double pt,
                double pc, double pn, const char *quote)
{
    st_report_record rec = {doc, index, quote, speaker, label, {pt, pc, pn}};
    st_diag diag;
    st_diag_clear(&diag);
    assert_int_equal(st_report_add(r, &rec, &diag), ST_OK);
}

/* The report written in `format` as a malloc'ed string. */
static char *render(const st_report *r, const st_report_options *o)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_non_null(fp);
    st_diag diag;
    st_diag_clear(&diag);
    assert_int_equal(st_report_write(r, o, fp, &diag), ST_OK);
    assert_int_equal(fclose(fp), 0);
    return buf;
}

static const st_report_row *find_row(const st_report_rows *rows, const char *speaker)
{
    for (size_t i = 0; i < st_report_rows_count(rows); i++) {
        const st_report_row *row = st_report_rows_get(rows, i);
        if ((!speaker && !row->speaker) || (speaker && row->speaker && strcmp(row->speaker, speaker) == 0))
            return row;
    }
    fail_msg("no row for %s", speaker ? speaker : "(unattributed)");
    return NULL;
}

/* ------------------------------------------------------------------ */

static void test_aggregate(void **state)
{
    (void)state;
    st_report *r;
    assert_int_equal(st_report_new(0, &r), ST_OK);
    add(r, "a.txt", 0, "Irena Dalwick", N, 0.12, 0.08, 0.80, "turning point,");
    add(r, "a.txt", 1, "Irena Dalwick", C, 0.05, 0.81, 0.14, "the table is still worth sitting at");
    add(r, "a.txt", 2, "Irena Dalwick", T, 0.91, 0.03, 0.06, "to act together and without delay");
    add(r, "b.txt", 0, "Dalwick", T, 0.84, 0.02, 0.14, "quick, costly");
    add(r, "b.txt", 1, "Anselm Korvath", N, 0.18, 0.10, 0.72, "plain answers");
    add(r, "b.txt", 2, NULL, N, 0.20, 0.10, 0.70, "Peace now");
    assert_int_equal(st_report_quote_count(r), 6);
    assert_int_equal(st_report_document_count(r), 2);

    st_report_rows *rows;
    assert_int_equal(st_report_rows_new(r, NULL, NULL, &rows), ST_OK);
    assert_int_equal(st_report_rows_count(rows), 3);
    const st_report_row *b = st_report_rows_get(rows, 0);
    assert_string_equal(b->speaker, "Irena Dalwick");
    assert_int_equal(b->quotes, 4);
    assert_int_equal(b->documents, 2);
    assert_int_equal(b->labels[T], 2);
    assert_int_equal(b->labels[C], 1);
    assert_int_equal(b->labels[N], 1);
    assert_float_equal(b->share[T], 0.5, 1e-12);
    assert_float_equal(b->tone, -0.25, 1e-12);
    assert_true(b->tone_low < b->tone && b->tone < b->tone_high);
    assert_float_equal(b->mean_probability[T], (0.12 + 0.05 + 0.91 + 0.84) / 4, 1e-9);
    assert_float_equal(b->mean_probability[C], (0.08 + 0.81 + 0.03 + 0.02) / 4, 1e-9);
    assert_string_equal(b->most_threatening.quote, "to act together and without delay");
    assert_string_equal(b->most_threatening.doc, "a.txt");
    assert_int_equal(b->most_threatening.index, 2);
    assert_int_equal(b->most_threatening.label, T);
    assert_float_equal(b->most_threatening.probability, 0.91, 1e-12);
    assert_string_equal(b->most_conciliatory.quote, "the table is still worth sitting at");
    assert_int_equal(b->name_count, 2);
    assert_string_equal(b->names[0], "Dalwick");
    assert_string_equal(b->names[1], "Irena Dalwick");
    assert_string_equal(st_report_rows_get(rows, 1)->speaker, "Anselm Korvath");
    /* The unattributed row is last, whatever its size. */
    const st_report_row *u = st_report_rows_get(rows, 2);
    assert_null(u->speaker);
    assert_int_equal(u->quotes, 1);
    assert_int_equal(u->name_count, 0);
    st_report_rows_free(rows);

    /* One document only; names are still merged over the whole report. */
    assert_int_equal(st_report_rows_new(r, NULL, "b.txt", &rows), ST_OK);
    assert_int_equal(st_report_rows_count(rows), 3);
    b = find_row(rows, "Irena Dalwick");
    assert_int_equal(b->quotes, 1);
    assert_int_equal(b->documents, 1);
    assert_int_equal(b->name_count, 1);
    assert_string_equal(b->names[0], "Dalwick");
    st_report_rows_free(rows);
    st_report_free(r);
}

static void test_extreme_ties(void **state)
{
    (void)state;
    /* Equal probabilities: the earlier document, then the lower index,
     * whatever the order of input. */
    for (int order = 0; order < 2; order++) {
        st_report *r;
        assert_int_equal(st_report_new(0, &r), ST_OK);
        if (order == 0) {
            add(r, "b.txt", 0, "X", T, 0.7, 0.1, 0.2, "second doc");
            add(r, "a.txt", 5, "X", T, 0.7, 0.1, 0.2, "first doc, later quote");
            add(r, "a.txt", 3, "X", T, 0.7, 0.1, 0.2, "first doc, earlier quote");
        } else {
            add(r, "a.txt", 3, "X", T, 0.7, 0.1, 0.2, "first doc, earlier quote");
            add(r, "a.txt", 5, "X", T, 0.7, 0.1, 0.2, "first doc, later quote");
            add(r, "b.txt", 0, "X", T, 0.7, 0.1, 0.2, "second doc");
        }
        st_report_rows *rows;
        assert_int_equal(st_report_rows_new(r, NULL, NULL, &rows), ST_OK);
        const st_report_row *x = st_report_rows_get(rows, 0);
        assert_string_equal(x->most_threatening.quote, "first doc, earlier quote");
        assert_string_equal(x->most_conciliatory.quote, "first doc, earlier quote");
        st_report_rows_free(rows);
        st_report_free(r);
    }
}

static void test_tone(void **state)
{
    (void)state;
    double t, lo, hi;
    st_report_tone(0, 0, 0, &t, &lo, &hi);
    assert_true(t == 0 && lo == 0 && hi == 0);
    /* Values from the Wilson formula computed independently. */
    st_report_tone(2, 2, 3, &t, &lo, &hi);
    assert_float_equal(t, 0.0, 1e-12);
    assert_float_equal(lo, -0.5952566127870293, 1e-9);
    assert_float_equal(hi, 0.5952566127870293, 1e-9);
    st_report_tone(0, 1, 0, &t, &lo, &hi);
    assert_float_equal(t, 1.0, 1e-12);
    assert_float_equal(lo, -0.5869013712455251, 1e-9);
    assert_float_equal(hi, 1.0, 1e-12);
    st_report_tone(1, 0, 0, &t, &lo, &hi);
    assert_float_equal(t, -1.0, 1e-12);
    assert_float_equal(lo, -1.0, 1e-12);
    assert_float_equal(hi, 0.5869013712455251, 1e-9);
    st_report_tone(3, 5, 2, &t, &lo, &hi);
    assert_float_equal(t, 0.2, 1e-12);
    assert_float_equal(lo, -0.37465246053268353, 1e-9);
    assert_float_equal(hi, 0.6636393405875276, 1e-9);
    /* Ten times the evidence, a narrower interval around the same tone. */
    double t2, lo2, hi2;
    st_report_tone(30, 50, 20, &t2, &lo2, &hi2);
    assert_float_equal(t2, 0.2, 1e-12);
    assert_float_equal(lo2, 0.0040051735821236, 1e-9);
    assert_float_equal(hi2, 0.3811974271350822, 1e-9);
    assert_true(hi2 - lo2 < hi - lo);
    /* Always inside [-1, 1] and around the tone. */
    for (size_t a = 0; a < 6; a++)
        for (size_t b = 0; b < 6; b++)
            for (size_t c = 0; c < 6; c++) {
                if (a + b + c == 0)
                    continue;
                st_report_tone(a, b, c, &t, &lo, &hi);
                assert_true(-1 <= lo && lo <= t && t <= hi && hi <= 1);
            }
}

/* Groups of names: shown[i] for each name, in any order of input. */
static void check_groups(const char *const *names, size_t n, const char *const *expected)
{
    const char **shown = calloc(n, sizeof *shown);
    const char **rev = calloc(n, sizeof *rev);
    const char **rev_shown = calloc(n, sizeof *rev_shown);
    assert_non_null(shown);
    assert_non_null(rev);
    assert_non_null(rev_shown);
    assert_int_equal(st_report_group_names(names, n, shown), ST_OK);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(shown[i], expected[i]) != 0)
            fail_msg("%s: shown as \"%s\", expected \"%s\"", names[i], shown[i], expected[i]);
        rev[i] = names[n - 1 - i];
    }
    assert_int_equal(st_report_group_names(rev, n, rev_shown), ST_OK);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(rev_shown[n - 1 - i], expected[i]);
    free(shown);
    free(rev);
    free(rev_shown);
}

static void test_group_names(void **state)
{
    (void)state;
    {
        const char *names[] = {"Dalwick", "Irena Dalwick", "Secretary of State Irena Dalwick",
                               "U.S. Secretary of State Irena Dalwick"};
        const char *want[] = {"Irena Dalwick", "Irena Dalwick", "Irena Dalwick", "Irena Dalwick"};
        check_groups(names, 4, want);
    }
    {   /* Only the titled form: shown without its title. */
        const char *names[] = {"Dalwick", "Secretary of State Irena Dalwick"};
        const char *want[] = {"Irena Dalwick", "Irena Dalwick"};
        check_groups(names, 2, want);
    }
    {   /* Two people, one surname: the bare surname fits both, so stays alone. */
        const char *names[] = {"Marta Ortega", "Rafael Ortega", "Ortega"};
        const char *want[] = {"Marta Ortega", "Rafael Ortega", "Ortega"};
        check_groups(names, 3, want);
    }
    {   /* ... but joins the only one that fits. */
        const char *names[] = {"Marta Ortega", "Ortega", "Gov. Ortega"};
        const char *want[] = {"Marta Ortega", "Marta Ortega", "Marta Ortega"};
        check_groups(names, 3, want);
    }
    {   /* A capital shown with its country is that country. */
        const char *names[] = {"Sarkand (Oberia)", "Oberia", "Velm (Estria)", "Lusan (Tavria)"};
        const char *want[] = {"Oberia", "Oberia", "Velm (Estria)", "Lusan (Tavria)"};
        check_groups(names, 4, want);
    }
    {   /* Institutions keep their name; the fuller one is shown. */
        const char *names[] = {"Water Department", "Estrian Water Department", "Treasury Department",
                               "Karsenian Foreign Ministry", "Ostravian Foreign Ministry"};
        const char *want[] = {"Estrian Water Department", "Estrian Water Department", "Treasury Department",
                              "Karsenian Foreign Ministry", "Ostravian Foreign Ministry"};
        check_groups(names, 5, want);
    }
    {   /* A fuller personal name wins over a longer title. */
        const char *names[] = {"Foreign Minister Korvath", "Anselm Korvath", "Korvath", "Prime Minister"};
        const char *want[] = {"Anselm Korvath", "Anselm Korvath", "Anselm Korvath", "Prime Minister"};
        check_groups(names, 4, want);
    }
    {   /* Middle initials: an ordered subset, one chain. */
        const char *names[] = {"Hugh Brannick", "Hugo T. Brannick", "Brannick", "Lena Brannick"};
        const char *want[] = {"Hugh Brannick", "Hugo T. Brannick", "Brannick", "Lena Brannick"};
        check_groups(names, 4, want);
    }
    {
        const char *names[] = {"John Smith", "John A. Smith", "Smith"};
        const char *want[] = {"John A. Smith", "John A. Smith", "John A. Smith"};
        check_groups(names, 3, want);
    }
}

/* Deterministic pseudo-random records: several documents, name variants,
 * unattributed quotes, ties. */
typedef struct gen_record {
    char doc[32];
    long long index;
    const char *speaker;
    int label;
    double p[3];
    char quote[48];
} gen_record;

static size_t make_records(gen_record *out, size_t n)
{
    static const char *const speakers[] = {
        "Irena Dalwick", "Dalwick", "Secretary of State Irena Dalwick", "Anselm Korvath", "Korvath",
        "Marta Ortega", "Rafael Ortega", "Ortega", "Sarkand (Oberia)", "Oberia", NULL, "Information Ministry",
        "Zoë Ångström", "罗岚",
    };
    uint32_t seed = 12345;
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        gen_record *g = &out[i];
        snprintf(g->doc, sizeof g->doc, "doc-%02u.txt", (unsigned)((seed >> 8) % 9));
        g->index = (long long)i;
        g->speaker = speakers[(seed >> 16) % (sizeof speakers / sizeof speakers[0])];
        unsigned a = (seed >> 4) % 101, b = (seed >> 12) % (101 - a);
        g->p[0] = a / 100.0;
        g->p[1] = b / 100.0;
        g->p[2] = (100 - a - b) / 100.0;
        g->label = g->p[0] >= g->p[1] && g->p[0] >= g->p[2] ? T : g->p[1] >= g->p[2] ? C : N;
        snprintf(g->quote, sizeof g->quote, "quote %zu, \"said\" <%u>", i % 37, (unsigned)(seed % 7));
    }
    return n;
}

static void add_gen(st_report *r, const gen_record *g)
{
    add(r, g->doc, g->index, g->speaker, g->label, g->p[0], g->p[1], g->p[2], g->quote);
}

static void merge_text(st_report *r, const char *text)
{
    st_diag diag;
    st_diag_clear(&diag);
    st_status s = st_report_merge_json(r, text, strlen(text), &diag);
    if (s != ST_OK)
        fail_msg("merge: %s (line %zu)", diag.message, diag.line);
}

static void test_shard_merge(void **state)
{
    (void)state;
    enum { COUNT = 400, SHARDS = 4 };
    gen_record *recs = calloc(COUNT, sizeof *recs);
    assert_non_null(recs);
    make_records(recs, COUNT);
    st_report_options json = {.format = ST_REPORT_JSON};
    st_report_options by_doc = {.format = ST_REPORT_JSON, .by_doc = 1};

    st_report *whole;
    assert_int_equal(st_report_new(0, &whole), ST_OK);
    for (size_t i = 0; i < COUNT; i++)
        add_gen(whole, &recs[i]);
    char *expected = render(whole, &json);

    /* The same records in another order. */
    st_report *reversed;
    assert_int_equal(st_report_new(0, &reversed), ST_OK);
    for (size_t i = COUNT; i-- > 0;)
        add_gen(reversed, &recs[i]);
    char *got = render(reversed, &json);
    assert_string_equal(got, expected);
    free(got);
    st_report_free(reversed);

    /* Four shards (records of one document spread over several), each
     * reported, then the reports merged. */
    char *texts[SHARDS];
    for (int s = 0; s < SHARDS; s++) {
        st_report *shard;
        assert_int_equal(st_report_new(0, &shard), ST_OK);
        for (size_t i = (size_t)s; i < COUNT; i += SHARDS)
            add_gen(shard, &recs[i]);
        texts[s] = render(shard, s % 2 ? &by_doc : &json);
        st_report_free(shard);
    }
    st_report *merged;
    assert_int_equal(st_report_new(0, &merged), ST_OK);
    for (int s = SHARDS; s-- > 0;)
        merge_text(merged, texts[s]);
    got = render(merged, &json);
    assert_string_equal(got, expected);
    free(got);
    assert_int_equal(st_report_quote_count(merged), COUNT);
    assert_int_equal(st_report_document_count(merged), st_report_document_count(whole));

    /* Every other format agrees too. */
    st_report_format formats[] = {ST_REPORT_TABLE, ST_REPORT_CSV};
    for (size_t f = 0; f < 2; f++) {
        for (int bd = 0; bd < 2; bd++) {
            st_report_options o = {.format = formats[f], .by_doc = bd, .sort = ST_REPORT_SORT_TONE};
            char *a = render(whole, &o), *b = render(merged, &o);
            assert_string_equal(a, b);
            free(a);
            free(b);
        }
    }
    /* A merged report merged again is the same; several reports in one text too. */
    size_t total = 0;
    for (int s = 0; s < SHARDS; s++)
        total += strlen(texts[s]) + 1;
    char *all = malloc(total + 1);
    assert_non_null(all);
    all[0] = '\0';
    for (int s = 0; s < SHARDS; s++) {
        strcat(all, texts[s]);
        strcat(all, "\n");
    }
    st_report *concatenated;
    assert_int_equal(st_report_new(0, &concatenated), ST_OK);
    merge_text(concatenated, all);
    got = render(concatenated, &json);
    assert_string_equal(got, expected);
    free(got);
    st_report *again;
    assert_int_equal(st_report_new(0, &again), ST_OK);
    merge_text(again, expected);
    got = render(again, &json);
    assert_string_equal(got, expected);
    free(got);

    st_report_free(again);
    st_report_free(concatenated);
    free(all);
    for (int s = 0; s < SHARDS; s++)
        free(texts[s]);
    st_report_free(merged);
    st_report_free(whole);
    free(expected);
    free(recs);
}

static void test_filter_and_sort(void **state)
{
    (void)state;
    st_report *r;
    assert_int_equal(st_report_new(0, &r), ST_OK);
    add(r, "a", 0, "Irena Dalwick", C, 0.1, 0.8, 0.1, "q1");
    add(r, "a", 1, "Irena Dalwick", C, 0.1, 0.8, 0.1, "q2");
    add(r, "a", 2, "Irena Dalwick", T, 0.8, 0.1, 0.1, "q3");
    add(r, "a", 3, "Anselm Korvath", T, 0.8, 0.1, 0.1, "q4");
    add(r, "a", 4, "Hugo Brannick", N, 0.1, 0.1, 0.8, "q5");
    add(r, "a", 5, "Hugo Brannick", T, 0.8, 0.1, 0.1, "q6");
    add(r, "a", 6, NULL, T, 0.8, 0.1, 0.1, "q7");

    st_report_rows *rows;
    st_report_options o = {.sort = ST_REPORT_SORT_TONE};
    assert_int_equal(st_report_rows_new(r, &o, NULL, &rows), ST_OK);
    assert_int_equal(st_report_rows_count(rows), 4);
    assert_string_equal(st_report_rows_get(rows, 0)->speaker, "Anselm Korvath"); /* -1 */
    assert_string_equal(st_report_rows_get(rows, 1)->speaker, "Hugo Brannick");  /* -0.5 */
    assert_string_equal(st_report_rows_get(rows, 2)->speaker, "Irena Dalwick");  /* +1/3 */
    assert_null(st_report_rows_get(rows, 3)->speaker);
    st_report_rows_free(rows);

    o.sort = ST_REPORT_SORT_NAME;
    assert_int_equal(st_report_rows_new(r, &o, NULL, &rows), ST_OK);
    assert_string_equal(st_report_rows_get(rows, 0)->speaker, "Anselm Korvath");
    assert_string_equal(st_report_rows_get(rows, 1)->speaker, "Hugo Brannick");
    assert_string_equal(st_report_rows_get(rows, 2)->speaker, "Irena Dalwick");
    st_report_rows_free(rows);

    o.min_quotes = 2;
    assert_int_equal(st_report_rows_new(r, &o, NULL, &rows), ST_OK);
    assert_int_equal(st_report_rows_count(rows), 2);
    st_report_rows_free(rows);

    const char *const wanted[] = {"dalwick", "(unattributed)"};
    st_report_options f = {.speakers = wanted, .speaker_count = 2};
    assert_int_equal(st_report_rows_new(r, &f, NULL, &rows), ST_OK);
    assert_int_equal(st_report_rows_count(rows), 2);
    assert_string_equal(st_report_rows_get(rows, 0)->speaker, "Irena Dalwick");
    assert_null(st_report_rows_get(rows, 1)->speaker);
    st_report_rows_free(rows);

    const char *const nobody[] = {"Brannick Hugo"};
    st_report_options g = {.speakers = nobody, .speaker_count = 1};
    assert_int_equal(st_report_rows_new(r, &g, NULL, &rows), ST_OK);
    assert_int_equal(st_report_rows_count(rows), 0);
    st_report_rows_free(rows);
    st_report_free(r);
}

static void test_html_escaping(void **state)
{
    (void)state;
    st_report *r;
    assert_int_equal(st_report_new(ST_REPORT_KEEP_QUOTES, &r), ST_OK);
    add(r, "doc <1> & \"2\".txt", 0, "O'Neil & <Partners>\"", N, 0.3, 0.1, 0.6,
        "He wrote \"</script><script>alert(1)</script>\" & left <!-- -->");
    add(r, "doc <1> & \"2\".txt", 1, "Zoë Ångström", C, 0.02, 0.9, 0.08, "bereit \x01zu reden");
    st_report_options o = {.format = ST_REPORT_HTML, .title = "<title> & \"more\""};
    char *html = render(r, &o);
    assert_null(strstr(html, "<script"));
    assert_null(strstr(html, "</script"));
    assert_null(strstr(html, "<!--"));
    assert_null(strstr(html, "<Partners>"));
    assert_null(strstr(html, "\x01"));
    assert_non_null(strstr(html, "&lt;/script&gt;"));
    assert_non_null(strstr(html, "data-speaker=\"O&#39;Neil &amp; &lt;Partners&gt;&quot;\""));
    assert_non_null(strstr(html, "<title>&lt;title&gt; &amp; &quot;more&quot;</title>"));
    assert_non_null(strstr(html, "doc &lt;1&gt; &amp; &quot;2&quot;.txt"));
    assert_non_null(strstr(html, "Zoë Ångström"));
    /* One bar per speaker; no external resource. */
    size_t bars = 0;
    for (const char *p = html; (p = strstr(p, "<g class=\"bar\"")); p++)
        bars++;
    assert_int_equal(bars, 2);
    assert_null(strstr(html, "src="));
    assert_null(strstr(html, "href="));
    assert_null(strstr(html, "url("));
    free(html);

    /* CSV: RFC 4180 quoting. */
    st_report_options c = {.format = ST_REPORT_CSV};
    char *csv = render(r, &c);
    assert_non_null(strstr(csv, "\r\n\"O'Neil & <Partners>\"\"\",1,1,"));
    assert_non_null(strstr(csv, ",\"He wrote \"\"</script><script>alert(1)</script>\"\" & left <!-- -->\","));
    free(csv);

    /* Table: no control character reaches the terminal. */
    st_report_options t = {.format = ST_REPORT_TABLE};
    char *table = render(r, &t);
    assert_null(strchr(table, '\x01'));
    assert_null(strchr(table, '\033'));
    free(table);
    t.color = 1;
    table = render(r, &t);
    assert_non_null(strstr(table, "\033[32m"));
    free(table);
    st_report_free(r);
}

static void test_bad_records(void **state)
{
    (void)state;
    st_report *r;
    assert_int_equal(st_report_new(0, &r), ST_OK);
    static const struct {
        const char *line;
        const char *message;
    } cases[] = {
        {"not json", "expected near"},
        {"[1, 2]", "not a JSON object"},
        {"{\"doc\":\"a\",\"index\":0,\"quote\":\"q\",\"speaker\":null}", "stance quotes output"},
        {"{\"quote\":\"q\",\"speaker\":null,\"label\":\"neutral\",\"probabilities\":{}}", "\"doc\""},
        {"{\"doc\":\"a\",\"quote\":\"q\",\"label\":\"neutral\",\"probabilities\":{}}", "\"speaker\""},
        {"{\"doc\":\"a\",\"quote\":\"q\",\"speaker\":1,\"label\":\"neutral\"}", "\"speaker\""},
        {"{\"doc\":\"a\",\"quote\":\"q\",\"speaker\":null,\"label\":\"threat\",\"probabilities\":{}}", "\"label\""},
        {"{\"doc\":\"a\",\"quote\":\"q\",\"speaker\":null,\"label\":\"neutral\"}", "\"probabilities\""},
        {"{\"doc\":\"a\",\"quote\":\"q\",\"speaker\":null,\"label\":\"neutral\",\"probabilities\":"
         "{\"threatening\":0.1,\"conciliatory\":0.1}}", "neutral"},
        {"{\"doc\":\"a\",\"quote\":\"q\",\"speaker\":null,\"label\":\"neutral\",\"probabilities\":"
         "{\"threatening\":1.5,\"conciliatory\":0.1,\"neutral\":0.1}}", "[0, 1]"},
        {"{\"doc\":\"a\",\"quote\":\"q\",\"speaker\":null,\"label\":\"neutral\",\"index\":\"x\",\"probabilities\":"
         "{\"threatening\":0.1,\"conciliatory\":0.1,\"neutral\":0.8}}", "\"index\""},
        {"{\"doc\":\"a\",\"quote\":\"q\\u0000\",\"speaker\":null}", "NUL"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        st_diag diag;
        st_diag_clear(&diag);
        st_status s = st_report_add_json_record(r, cases[i].line, strlen(cases[i].line), &diag);
        if (s != ST_ERR_INPUT || !strstr(diag.message, cases[i].message))
            fail_msg("%s: status %d, message \"%s\" (wanted \"%s\")", cases[i].line, (int)s, diag.message,
                     cases[i].message);
    }
    assert_int_equal(st_report_quote_count(r), 0);
    const char *good = "{\"doc\":\"a\",\"index\":3,\"quote\":\"q\",\"speaker\":\"X\",\"label\":\"neutral\","
                       "\"probabilities\":{\"threatening\":0.1,\"conciliatory\":0.2,\"neutral\":0.7},\"extra\":1}";
    st_diag diag;
    st_diag_clear(&diag);
    assert_int_equal(st_report_add_json_record(r, good, strlen(good), &diag), ST_OK);
    assert_int_equal(st_report_quote_count(r), 1);

    static const struct {
        const char *text;
        const char *message;
    } reports[] = {
        {"{\"documents\": 1}", "not a stance report"},
        {"{\"format\": \"stance-report 9\"}", "not supported"},
        {"{\"format\": \"stance-report 1\", \"speakers\": 3}", "not an array"},
        {"{\"format\": \"stance-report 1\", \"speakers\": [{\"speaker\": \"X\"}]}", "sources"},
        {"{\"format\": \"stance-report 1\", \"speakers\": [{\"sources\": [{\"name\": \"X\"}]}]}", "lacks"},
        {"{\"format\": \"stance-report 1\", \"speakers\": [{\"sources\": [{\"name\": \"X\", \"doc\": \"a\", "
         "\"quotes\": 2, \"labels\": {\"threatening\": 1, \"conciliatory\": 0, \"neutral\": 0}, "
         "\"probability_sums\": {\"threatening\": 0, \"conciliatory\": 0, \"neutral\": 0}}]}]}", "do not fit"},
        {"{\"format\": \"stance-report 1\", \"speakers\": [{\"sources\": [{\"name\": \"X\", \"doc\": \"a\", "
         "\"quotes\": 1, \"labels\": {\"threatening\": 1, \"conciliatory\": 0, \"neutral\": 0}, "
         "\"probability_sums\": {\"threatening\": 0, \"conciliatory\": 0, \"neutral\": 0}}]}]}", "most_"},
        {"{\"format\": \"stance-report 1\", \"speakers\": []}\n{\"format\": ", "end of file"},
    };
    for (size_t i = 0; i < sizeof reports / sizeof reports[0]; i++) {
        st_diag_clear(&diag);
        st_status s = st_report_merge_json(r, reports[i].text, strlen(reports[i].text), &diag);
        if (s != ST_ERR_INPUT || !strstr(diag.message, reports[i].message))
            fail_msg("%s: status %d, message \"%s\" (wanted \"%s\")", reports[i].text, (int)s, diag.message,
                     reports[i].message);
    }
    st_diag_clear(&diag);
    assert_int_equal(st_report_merge_json(r, "{\"format\": \"stance-report 1\", \"speakers\": []}\n\n{", 46, &diag),
                     ST_OK);
    st_report_free(r);
}

static void test_empty(void **state)
{
    (void)state;
    st_report *r;
    assert_int_equal(st_report_new(0, &r), ST_OK);
    st_report_format formats[] = {ST_REPORT_TABLE, ST_REPORT_JSON, ST_REPORT_CSV, ST_REPORT_HTML};
    for (size_t f = 0; f < 4; f++) {
        st_report_options o = {.format = formats[f]};
        char *text = render(r, &o);
        assert_true(strlen(text) > 0);
        free(text);
    }
    st_report_options j = {.format = ST_REPORT_JSON};
    char *text = render(r, &j);
    assert_string_equal(text, "{\n  \"format\": \"stance-report 1\",\n  \"documents\": 0,\n  \"quotes\": 0,\n"
                              "  \"speakers\": []\n}\n");
    free(text);
    st_report_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_aggregate),
        cmocka_unit_test(test_extreme_ties),
        cmocka_unit_test(test_tone),
        cmocka_unit_test(test_group_names),
        cmocka_unit_test(test_shard_merge),
        cmocka_unit_test(test_filter_and_sort),
        cmocka_unit_test(test_html_escaping),
        cmocka_unit_test(test_bad_records),
        cmocka_unit_test(test_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
