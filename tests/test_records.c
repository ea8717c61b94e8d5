/*
 * test_records.c - the TSV, CSV and table records against the writers
 * they replaced (a byte loop for the escapes, stdio for the numbers).
 *
 * The field scans look at a word (8 bytes) or a block (16) at a time, so
 * every special byte is tried at every offset of fields of every length;
 * the table's numbers are compared with printf's "%.2f" and "%+.3f", the
 * probabilities' and indices' formatters (put_fixed4, put_uint) with
 * "%.4f" and "%zu", and the JSON string writer (put_json) with
 * st_buf_json_string.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/cli_records.c"

/* The old writers, field by field (reference). */
static void ref_tsv_field(FILE *fp, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        switch (s[i]) {
        case '\t': fputs("\\t", fp); break;
        case '\n': fputs("\\n", fp); break;
        case '\r': fputs("\\r", fp); break;
        case '\\': fputs("\\\\", fp); break;
        default: fputc(s[i], fp);
        }
    }
}

static void ref_csv_field(FILE *fp, const char *s, size_t n)
{
    int needs = 0;
    for (size_t i = 0; i < n; i++)
        needs |= s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    if (!needs) {
        fwrite(s, 1, n, fp);
        return;
    }
    fputc('"', fp);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            fputc('"', fp);
        fputc(s[i], fp);
    }
    fputc('"', fp);
}

static const double probs[3] = {0.123449999, 0.5, 0.376550001};

static char *ref_record(cli_format format, const cli_record *r, size_t *len)
{
    char *out = NULL;
    FILE *fp = open_memstream(&out, len);
    assert_non_null(fp);
    const char *sep = format == CLI_FORMAT_CSV ? "," : "\t";
    void (*field)(FILE *, const char *, size_t) = format == CLI_FORMAT_CSV ? ref_csv_field : ref_tsv_field;
    field(fp, r->doc, strlen(r->doc));
    fprintf(fp, "%s", sep);
    field(fp, r->id, strlen(r->id));
    fprintf(fp, "%s%zu%s", sep, r->index, sep);
    field(fp, r->speaker, strlen(r->speaker));
    fprintf(fp, "%s", sep);
    field(fp, r->mention, strlen(r->mention));
    fprintf(fp, "%s%s%s", sep, sep, sep);
    field(fp, r->quote, r->quote_len);
    fprintf(fp, "%s", sep);
    field(fp, r->sentence, r->sentence_len);
    fprintf(fp, "%s%s", sep, r->label);
    for (int l = 0; l < 3; l++)
        fprintf(fp, "%s%.4f", sep, probs[l]);
    fputs(format == CLI_FORMAT_CSV ? "\r\n" : "\n", fp);
    fclose(fp);
    return out;
}

static char *record(cli_format format, const cli_record *r, st_buf *scratch, size_t *len)
{
    char *out = NULL;
    FILE *fp = open_memstream(&out, len);
    assert_non_null(fp);
    assert_int_equal(cli_write_record_buf(fp, format, r, scratch), 0);
    fclose(fp);
    return out;
}

static void test_fields_every_offset(void **state)
{
    (void)state;
    static const char specials[] = {'\t', '\n', '\r', '\\', ',', '"', '\x01', '\x0B', '\x0E', 'x'};
    char text[80];
    st_buf scratch = {0}; /* one buffer for every record, as the workers do */
    for (size_t n = 0; n <= 52; n++) {
        for (size_t at = 0; at < (n ? n : 1); at++) {
            for (size_t k = 0; k < sizeof specials; k++) {
                for (size_t i = 0; i < n; i++)
                    text[i] = (char)('a' + (i * 7) % 26);
                if (n) {
                    text[at] = specials[k];
                    text[n - 1 - at / 2] = specials[(k + 3) % sizeof specials];
                }
                text[n] = '\0';
                cli_record r = {
                    .doc = text, .id = text, .index = n, .quote = text, .quote_len = n,
                    .speaker = text, .mention = text, .sentence = text, .sentence_len = n,
                    .no_offsets = 1, .label = "neutral", .probabilities = probs,
                };
                for (cli_format f = CLI_FORMAT_TSV; f <= CLI_FORMAT_CSV; f++) {
                    size_t want_len, got_len;
                    char *want = ref_record(f, &r, &want_len);
                    char *got = record(f, &r, &scratch, &got_len);
                    assert_int_equal(got_len, want_len);
                    assert_memory_equal(got, want, want_len);
                    free(want);
                    free(got);
                }
            }
        }
    }
    st_buf_free(&scratch);
}

/* The table record: what fprintf wrote before. */
static void test_table(void **state)
{
    (void)state;
    static const double values[] = {0.0, -0.0, 0.00049, -0.00049, 0.0005, -0.0005, 1.23456, -2.5, 12345.6789,
                                    1e300, -1e300, INFINITY, -INFINITY, NAN};
    const size_t nv = sizeof values / sizeof *values;
    cli_explain_item items[sizeof values / sizeof *values];
    for (size_t i = 0; i < nv; i++) {
        items[i].name = i % 2 ? "w:peace" : "lex:threat\xC3\xA9";
        items[i].value = values[i];
    }
    const char *speakers[] = {NULL, "Ana", "Zo\xC3\xAB \xE2\x80\x94 a name longer than the column", ""};
    const char *labels[] = {NULL, "threatening", "conciliatory", "neutral"};
    st_buf scratch = {0};
    for (size_t s = 0; s < 4; s++) {
        for (size_t l = 0; l < 4; l++) {
            for (int unit = 0; unit < 2; unit++) {
                for (size_t count = 0; count <= nv; count += nv) {
                    cli_record r = {
                        .doc = "doc.txt", .index = 7, .quote = "We will\0act", .quote_len = 11,
                        .speaker = speakers[s], .sentence = unit ? "A sentence." : NULL, .sentence_len = 11,
                        .sentence_unit = unit, .label = labels[l], .probabilities = l == 2 ? NULL : probs,
                        .has_explain = count > 0 || l == 3, .explain = items, .explain_count = count,
                    };
                    char *want = NULL;
                    size_t want_len;
                    FILE *fp = open_memstream(&want, &want_len);
                    assert_non_null(fp);
                    const char *speaker = r.speaker ? r.speaker : "(unattributed)";
                    fprintf(fp, "%s #%zu  %s", r.doc, r.index, speaker);
                    for (size_t w = display_width(speaker); w < 24; w++)
                        fputc(' ', fp);
                    if (r.label) {
                        double p = 0.0;
                        for (int k = 0; k < 3; k++)
                            if (strcmp(st_label_name(k), r.label) == 0 && r.probabilities)
                                p = r.probabilities[k];
                        fprintf(fp, "  %-12s %.2f", r.label, p);
                    }
                    if (unit) {
                        fprintf(fp, "  %s\n", r.sentence);
                    } else {
                        fputs("  \xE2\x80\x9C", fp);
                        fwrite(r.quote, 1, r.quote_len, fp);
                        fputs("\xE2\x80\x9D\n", fp);
                    }
                    if (r.has_explain) {
                        fputs("    because:", fp);
                        if (r.explain_count == 0)
                            fputs(" (no feature stands out)", fp);
                        for (size_t i = 0; i < r.explain_count; i++)
                            fprintf(fp, "%s %s %+.3f", i ? "," : "", r.explain[i].name, r.explain[i].value);
                        fputc('\n', fp);
                    }
                    fclose(fp);
                    size_t got_len;
                    char *got = record(CLI_FORMAT_TABLE, &r, &scratch, &got_len);
                    assert_int_equal(got_len, want_len);
                    assert_memory_equal(got, want, want_len);
                    free(want);
                    free(got);
                }
            }
        }
    }
    st_buf_free(&scratch);
}

/* put_uint against printf's "%zu": every number below 100000, each
 * power of ten and its neighbours, the largest, pseudo-random ones. */
static void check_uint(st_buf *b, size_t v)
{
    char want[32];
    int n = snprintf(want, sizeof want, "%zu", v);
    b->len = 0;
    assert_int_equal(put(b, "x", 1), 0);
    assert_int_equal(put_uint(b, v), 0);
    assert_int_equal(b->len, (size_t)n + 1);
    assert_memory_equal(b->data + 1, want, (size_t)n);
}

static void test_uint(void **state)
{
    (void)state;
    st_buf b = {0};
    for (size_t v = 0; v < 100000; v++)
        check_uint(&b, v);
    for (size_t p = 1; p <= SIZE_MAX / 10; p *= 10) {
        check_uint(&b, p - 1);
        check_uint(&b, p);
        check_uint(&b, p + 1);
        check_uint(&b, p * 10 - 1);
    }
    check_uint(&b, SIZE_MAX);
    check_uint(&b, SIZE_MAX - 1);
    uint64_t r = 12345;
    for (int i = 0; i < 200000; i++) {
        r = r * 6364136223846793005ULL + 1442695040888963407ULL;
        check_uint(&b, (size_t)(r >> (i % 64)));
    }
    st_buf_free(&b);
}

/* put_fixed4 against printf's "%.4f" on x: the same bytes. */
static void check_fixed4(st_buf *b, double x)
{
    char want[512];
    int n = snprintf(want, sizeof want, "%.4f", x);
    assert_true(n > 0 && (size_t)n < sizeof want);
    b->len = 0;
    assert_int_equal(put_fixed4(b, x), 0);
    if (b->len != (size_t)n || memcmp(b->data, want, (size_t)n) != 0)
        fail_msg("%.17g: got '%.*s', printf wrote '%s'", x, (int)b->len, b->data, want);
}

/* x, its neighbours one and two steps away on either side. */
static void check_fixed4_around(st_buf *b, double x)
{
    double lo = x, hi = x;
    check_fixed4(b, x);
    for (int k = 0; k < 2; k++) {
        lo = nextafter(lo, -INFINITY);
        hi = nextafter(hi, INFINITY);
        check_fixed4(b, lo);
        check_fixed4(b, hi);
    }
}

/*
 * The probabilities' formatter (put_fixed4) is printf's "%.4f": zeros
 * of both signs, 0 and 1, tiny and subnormal values, every rounding edge
 * (k + 1/2) / 10^4 and its neighbours below 3 and near its range's end
 * (10^5), ties that printf rounds to even, negatives, the large and the
 * non-finite (st_buf_fixed's), and a million pseudo-random values.
 */
static void test_fixed4(void **state)
{
    (void)state;
    st_buf b = {0};
    static const double fixed[] = {0.0, -0.0, 1.0, -1.0, 0.5, 0.25, 0.125, 0.0625, 0.03125, 0.00005, 0.00015,
                                   0.00025, 0.99995, 0.999949999, 9.99995, 99999.99995, 99999.99994, 99999.9999,
                                   100000.0, 100000.00005, 1e9, 4503599627370496.0, 1e300, -1e300, 5e-324,
                                   -5e-324, 2.2250738585072014e-308, 1e-300, 1e-5, 4.9999e-5, 5.0001e-5,
                                   -0.00005, -0.99995, 0.123449999, 0.376550001, 0.0221, 0.9521, 0.0258,
                                   INFINITY, -INFINITY, NAN, -NAN};
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        check_fixed4_around(&b, fixed[i]);
    /* Exact ties (k/2^m with four or fewer decimals plus a half step). */
    for (int k = 0; k < 64; k++)
        check_fixed4_around(&b, k / 32.0 + 0.00005);
    for (int k = 0; k <= 30000; k++) {
        check_fixed4_around(&b, (k + 0.5) / 1e4);
        check_fixed4_around(&b, k / 1e4);
    }
    for (int k = 999000000; k <= 1000000000; k += 997)
        check_fixed4_around(&b, (k + 0.5) / 1e4);
    uint64_t r = 0x9E3779B97F4A7C15ULL;
    for (int i = 0; i < 1000000; i++) {
        r = r * 6364136223846793005ULL + 1442695040888963407ULL;
        double u = (double)(r >> 11) / 9007199254740992.0; /* [0, 1) */
        check_fixed4(&b, u);
        check_fixed4(&b, u * 1e5);
        check_fixed4(&b, u * u * u * 1e-3);
        check_fixed4(&b, -u);
    }
    st_buf_free(&b);
}

/* put_json against st_buf_json_string (jansson's bytes) on s[0..n):
 * the same string, or both refusing it with the buffer as it was. */
static void check_json(st_buf *got, st_buf *want, const char *s, size_t n)
{
    got->len = want->len = 0;
    /* Something before, as in a record. */
    assert_int_equal(put(got, "{", 1), 0);
    assert_int_equal(put(want, "{", 1), 0);
    int rc = put_json(got, s, n);
    st_status st = st_buf_json_string(want, s, n);
    assert_int_equal(rc == 0, st == ST_OK);
    assert_int_equal(got->len, want->len);
    assert_memory_equal(got->data, want->data, want->len);
}

/*
 * The JSON string writer (put_json) reads sixteen bytes at a time, with
 * an overlapping last block and a padded copy of short strings: each
 * kind of byte it stops at (escapes, controls, a UTF-8 sequence of each
 * length, a bad one, a truncated one) at every offset of strings of
 * every length up to 70, next to another one further on.
 */
static void test_json_every_offset(void **state)
{
    (void)state;
    static const char *const pieces[] = {"\"", "\\", "\n", "\t", "\x01", "\x1F", "\x7F", "\b", "\f", "\r",
                                         "\xC3\xA9", "\xE2\x80\x9C", "\xE2\x80\x9D", "\xED\x9F\xBF",
                                         "\xEF\xBF\xBD", "\xF0\x9F\x98\x80", "\xE0\xA0\x80", "\xC2\x9B",
                                         "\xFF", "\xC0\xAF", "\xED\xA0\x80", "\xE2\x80", "\x80", "\xF4\x90\x80\x80",
                                         "/", " ", "\xE2"};
    const size_t np = sizeof pieces / sizeof *pieces;
    char text[128];
    st_buf got = {0}, want = {0};
    for (size_t n = 0; n <= 70; n++) {
        for (size_t at = 0; at <= n; at++) {
            for (size_t k = 0; k < np; k++) {
                for (size_t i = 0; i < n; i++)
                    text[i] = (char)('a' + (i * 5) % 26);
                size_t len = n;
                /* pieces[k] at `at`, pieces[k + 5] later (truncated at
                 * the end: the string's end inside a sequence). */
                size_t pl = strlen(pieces[k]);
                if (at + pl <= n)
                    memcpy(text + at, pieces[k], pl);
                const char *other = pieces[(k + 5) % np];
                size_t later = at + pl + (n - at) / 3;
                for (size_t q = 0; later + q < n && other[q]; q++)
                    text[later + q] = other[q];
                check_json(&got, &want, text, len);
            }
        }
    }
    /* A long text of many sequences and escapes back to back. */
    st_buf big = {0};
    for (int r = 0; r < 300; r++)
        assert_int_equal(st_buf_append(&big, pieces[r % 18], strlen(pieces[r % 18])), ST_OK);
    for (size_t cut = 0; cut <= big.len; cut += 7)
        check_json(&got, &want, big.data, cut);
    st_buf_free(&big);
    st_buf_free(&got);
    st_buf_free(&want);
}

/* A file name that is not UTF-8 gets U+FFFD; a valid one is itself. */
static void test_utf8_name(void **state)
{
    (void)state;
    char *copy;
    const char *ok = "d\xC3\xA9j\xC3\xA0-vu/long-enough-for-two-words.txt";
    assert_ptr_equal(cli_utf8_name(ok, &copy), ok);
    assert_null(copy);
    const char *name = cli_utf8_name("long-enough-for-a-word-\xFF.txt", &copy);
    assert_non_null(copy);
    assert_string_equal(name, "long-enough-for-a-word-\xEF\xBF\xBD.txt");
    free(copy);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fields_every_offset),
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_utf8_name),
        cmocka_unit_test(test_uint),
        cmocka_unit_test(test_fixed4),
        cmocka_unit_test(test_json_every_offset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
