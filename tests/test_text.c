/*
 * test_text.c - unit tests for st_doc_* (UTF-8 at the boundary), the
 * UTF-8 decoder and status helpers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <utf8proc.h>

#include "stance.h"
#include "st_util.h"

static st_doc *make_doc(const char *bytes, size_t size)
{
    st_doc *doc = NULL;
    st_diag diag;
    st_diag_clear(&diag);
    assert_int_equal(st_doc_new(bytes, size, NULL, &doc, &diag), ST_OK);
    assert_non_null(doc);
    return doc;
}

static void assert_text(const st_doc *doc, const char *expected, size_t size)
{
    assert_int_equal(st_doc_size(doc), size);
    assert_memory_equal(st_doc_text(doc), expected, size);
    assert_int_equal(st_doc_text(doc)[size], '\0');
}

static void test_plain_ascii(void **state)
{
    (void)state;
    const char *in = "Hello, world.\nSecond line\tTab.";
    st_doc *doc = make_doc(in, strlen(in));
    assert_text(doc, in, strlen(in));
    for (size_t i = 0; i <= strlen(in); i++)
        assert_int_equal(st_doc_source_offset(doc, i), i);
    assert_int_equal(st_doc_problem_count(doc), 0);
    assert_null(st_doc_problem(doc, 0));
    st_doc_free(doc);
}

static void test_empty(void **state)
{
    (void)state;
    st_doc *doc = make_doc("", 0);
    assert_text(doc, "", 0);
    assert_int_equal(st_doc_source_offset(doc, 0), 0);
    st_doc_free(doc);
    doc = make_doc(NULL, 0);
    assert_text(doc, "", 0);
    st_doc_free(doc);
    st_doc_free(NULL);
}

static void test_bom_dropped(void **state)
{
    (void)state;
    st_doc *doc = make_doc("\xEF\xBB\xBF" "abc", 6);
    assert_text(doc, "abc", 3);
    assert_int_equal(st_doc_source_offset(doc, 0), 3);
    assert_int_equal(st_doc_source_offset(doc, 2), 5);
    assert_int_equal(st_doc_source_offset(doc, 3), 6);
    st_doc_free(doc);
    /* Only a leading BOM is dropped; inside it is a character (U+FEFF). */
    doc = make_doc("a\xEF\xBB\xBF", 4);
    assert_text(doc, "a\xEF\xBB\xBF", 4);
    st_doc_free(doc);
    /* A BOM alone. */
    doc = make_doc("\xEF\xBB\xBF", 3);
    assert_text(doc, "", 0);
    assert_int_equal(st_doc_source_offset(doc, 0), 3);
    st_doc_free(doc);
}

static void test_line_ends(void **state)
{
    (void)state;
    const char *in = "a\r\nb\rc\r\n\r\nd";
    st_doc *doc = make_doc(in, strlen(in));
    assert_text(doc, "a\nb\nc\n\nd", 8);
    /* Every byte maps to the byte it came from (the LF of a CRLF). */
    size_t expected[] = {0, 2, 3, 4, 5, 7, 9, 10, 11};
    for (size_t i = 0; i <= 8; i++)
        assert_int_equal(st_doc_source_offset(doc, i), expected[i]);
    st_doc_free(doc);
}

static void test_controls(void **state)
{
    (void)state;
    const char in[] = "a\x01" "b\x1f" "c\td\x7f";
    st_doc *doc = make_doc(in, sizeof in - 1);
    assert_text(doc, "a b c\td\x7f", 8);
    assert_int_equal(st_doc_source_offset(doc, 3), 3);
    st_doc_free(doc);
}

static size_t count_fffd(const st_doc *doc)
{
    size_t n = 0;
    const char *t = st_doc_text(doc);
    for (size_t i = 0; i + 2 < st_doc_size(doc); i++)
        if (memcmp(t + i, "\xEF\xBF\xBD", 3) == 0)
            n++;
    return n;
}

static void test_invalid_maximal_subparts(void **state)
{
    (void)state;
    /* Unicode 15, Table 3-8: 61 F1 80 80 E1 80 C2 62 80 63 80 BF 64. */
    const char in[] = "\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64";
    st_doc *doc = make_doc(in, sizeof in - 1);
    const char want[] = "a\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" "b\xEF\xBF\xBD"
                        "c\xEF\xBF\xBD\xEF\xBF\xBD" "d";
    assert_text(doc, want, sizeof want - 1);
    assert_int_equal(st_doc_problem_count(doc), 6);
    size_t offsets[] = {1, 4, 6, 8, 10, 11};
    for (size_t i = 0; i < 6; i++) {
        assert_int_equal(st_doc_problem(doc, i)->kind, ST_PROBLEM_INVALID_UTF8);
        assert_int_equal(st_doc_problem(doc, i)->offset, offsets[i]);
    }
    /* Replacements map to the start of what they replaced. */
    assert_int_equal(st_doc_source_offset(doc, 1), 1);
    assert_int_equal(st_doc_source_offset(doc, 2), 1);
    assert_int_equal(st_doc_source_offset(doc, 4), 4);
    assert_int_equal(st_doc_source_offset(doc, 10), 7); /* b */
    assert_int_equal(st_doc_source_offset(doc, sizeof want - 2), 12); /* d */
    st_doc_free(doc);
}

static void test_invalid_kinds(void **state)
{
    (void)state;
    struct {
        const char *in;
        size_t replacements;
    } cases[] = {
        {"\xC0\xAF", 2},         /* overlong '/' */
        {"\xE0\x80\xAF", 3},     /* overlong, 3 bytes */
        {"\xED\xA0\x80", 3},     /* surrogate D800 */
        {"\xED\xBF\xBF", 3},     /* surrogate DFFF */
        {"\xF4\x90\x80\x80", 4}, /* above U+10FFFF */
        {"\xF5\x80", 2},
        {"\xFF", 1},
        {"\xE2\x82", 1},         /* truncated at the end */
        {"\xF0\x9F\x98", 1},     /* truncated 4-byte */
        {"\x80", 1},             /* lone continuation */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        st_doc *doc = make_doc(cases[i].in, strlen(cases[i].in));
        assert_int_equal(count_fffd(doc), cases[i].replacements);
        assert_int_equal(st_doc_problem_count(doc), cases[i].replacements);
        assert_int_equal(st_doc_size(doc), 3 * cases[i].replacements);
        assert_int_equal(st_doc_source_offset(doc, st_doc_size(doc)), strlen(cases[i].in));
        st_doc_free(doc);
    }
    /* Valid extremes stay. */
    const char ok[] = "\xEF\xBF\xBF\xF4\x8F\xBF\xBF\xED\x9F\xBF\xF0\x90\x80\x80";
    st_doc *doc = make_doc(ok, sizeof ok - 1);
    assert_text(doc, ok, sizeof ok - 1);
    assert_int_equal(st_doc_problem_count(doc), 0);
    st_doc_free(doc);
}

static void test_nul(void **state)
{
    (void)state;
    const char in[] = "ab\0cd";
    st_doc *doc = make_doc(in, 5);
    assert_text(doc, "ab\xEF\xBF\xBD" "cd", 7);
    assert_int_equal(st_doc_problem_count(doc), 1);
    assert_int_equal(st_doc_problem(doc, 0)->kind, ST_PROBLEM_NUL);
    assert_int_equal(st_doc_problem(doc, 0)->offset, 2);
    assert_int_equal(st_doc_source_offset(doc, 5), 3);
    assert_int_equal(st_doc_source_offset(doc, 7), 5);
    st_doc_free(doc);
}

static void test_strict(void **state)
{
    (void)state;
    st_text_options options = {1};
    st_doc *doc = (st_doc *)&options; /* must be reset to NULL on failure */
    st_diag diag;
    st_diag_clear(&diag);
    diag.file = "in.txt";
    const char in[] = "ok\nline two \xC3(";
    assert_int_equal(st_doc_new(in, sizeof in - 1, &options, &doc, &diag), ST_ERR_INPUT);
    assert_null(doc);
    assert_int_equal(diag.offset, 12);
    assert_int_equal(diag.line, 2);
    assert_int_equal(diag.column, 10);
    assert_string_equal(diag.message, "invalid UTF-8 at byte 12");
    assert_string_equal(diag.file, "in.txt");

    st_diag_clear(&diag);
    assert_int_equal(st_doc_new("abc\0", 4, &options, &doc, &diag), ST_ERR_INPUT);
    assert_string_equal(diag.message, "NUL byte at byte 3");
    assert_int_equal(diag.offset, 3);

    /* Lines end at LF and at a lone CR; a CRLF ends one line (the line
     * is counted only when strict mode fails, from the start). */
    st_diag_clear(&diag);
    const char crlf[] = "\xEF\xBB\xBF" "a\r\nb\rc\n\r\nd \xC3\xA9\xFF";
    assert_int_equal(st_doc_new(crlf, sizeof crlf - 1, &options, &doc, &diag), ST_ERR_INPUT);
    assert_int_equal(diag.offset, 16);
    assert_int_equal(diag.line, 5);
    assert_int_equal(diag.column, 5);
    st_diag_clear(&diag);
    assert_int_equal(st_doc_new("x\r", 2, &options, &doc, &diag), ST_OK);
    st_doc_free(doc);
    assert_int_equal(st_doc_new("x\r\0", 3, &options, &doc, &diag), ST_ERR_INPUT);
    assert_int_equal(diag.line, 2);
    assert_int_equal(diag.column, 1);

    /* Valid input passes in strict mode; diag may be NULL. */
    assert_int_equal(st_doc_new("caf\xC3\xA9", 5, &options, &doc, NULL), ST_OK);
    assert_int_equal(st_doc_problem_count(doc), 0);
    st_doc_free(doc);
    assert_int_equal(st_doc_new("\xFF", 1, &options, &doc, NULL), ST_ERR_INPUT);
}

static void test_nfc(void **state)
{
    (void)state;
    /* e + COMBINING ACUTE -> é, composed with the ASCII letter before. */
    const char in[] = "Caf" "e\xCC\x81" " ok";
    st_doc *doc = make_doc(in, sizeof in - 1);
    assert_text(doc, "Caf\xC3\xA9 ok", 8);
    assert_int_equal(st_doc_source_offset(doc, 2), 2);
    assert_int_equal(st_doc_source_offset(doc, 3), 3); /* é -> the e */
    assert_int_equal(st_doc_source_offset(doc, 4), 3); /* inside the run */
    assert_int_equal(st_doc_source_offset(doc, 5), 6); /* space */
    assert_int_equal(st_doc_source_offset(doc, 7), 8);
    assert_int_equal(st_doc_source_offset(doc, 8), 9);
    st_doc_free(doc);

    /* Already NFC: untouched, offsets identical. */
    const char nfc[] = "Z\xC3\xBCrich \xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0 \xE5\x8C\x97\xE4\xBA\xAC";
    doc = make_doc(nfc, sizeof nfc - 1);
    assert_text(doc, nfc, sizeof nfc - 1);
    for (size_t i = 0; i <= sizeof nfc - 1; i++)
        assert_int_equal(st_doc_source_offset(doc, i), i);
    st_doc_free(doc);

    /* Hangul jamo compose: U+1100 U+1161 -> U+AC00. */
    doc = make_doc("\xE1\x84\x80\xE1\x85\xA1", 6);
    assert_text(doc, "\xEA\xB0\x80", 3);
    st_doc_free(doc);

    /* Canonical reordering of marks: a + U+0301 (230) + U+0316 (220). */
    doc = make_doc("xa\xCC\x81\xCC\x96y", 7);
    assert_text(doc, "x\xC3\xA1\xCC\x96y", 6);
    assert_int_equal(st_doc_source_offset(doc, 5), 6); /* y */
    st_doc_free(doc);

    /* A singleton: U+212B ANGSTROM SIGN -> U+00C5. */
    doc = make_doc("1 \xE2\x84\xAB.", 6);
    assert_text(doc, "1 \xC3\x85.", 5);
    assert_int_equal(st_doc_source_offset(doc, 4), 5);
    st_doc_free(doc);

    /* A mark after a replacement does not compose with anything. */
    doc = make_doc("\xFF\xCC\x81", 3);
    assert_text(doc, "\xEF\xBF\xBD\xCC\x81", 5);
    assert_int_equal(st_doc_source_offset(doc, 3), 1);
    st_doc_free(doc);
}

/* Pieces for random documents: which ones NFC or cleaning may change does
 * not matter, the property below holds for all of them. */
static const char *const pieces[] = {
    "a", "b", "Z", "7", " ", "\n", "\r\n", "\r", "\t", "\x01", "\x7f", "\xEF\xBB\xBF",
    "\xFF", "\xC3", "\xE2\x80", "\xED\xA0\x80", "\xC0\xAF", "", "\xD0\xB6" /* ж */,
    "\xCC\x81" /* U+0301 */, "\xCC\x96" /* U+0316 */, "\xC3\xA9" /* é */, "e",
    "\xE2\x80\x9C" /* “ */, "\xE1\x84\x80" /* jamo L */, "\xE1\x85\xA1" /* jamo V */,
    "\xE2\x84\xAB" /* Å sign */, "\xF0\x9F\x98\x80" /* emoji */, "\xE5\x8C\x97" /* 北 */,
};

static void test_offsets_random(void **state)
{
    (void)state;
    srand(12345);
    size_t npieces = sizeof pieces / sizeof *pieces;
    char *in = malloc(4096);
    assert_non_null(in);
    for (int round = 0; round < 2000; round++) {
        size_t n = 0;
        int count = rand() % 60;
        for (int k = 0; k < count; k++) {
            const char *p = pieces[(size_t)rand() % npieces];
            size_t len = strlen(p);
            if ((size_t)rand() % 50 == 0) {
                in[n++] = '\0';
                continue;
            }
            memcpy(in + n, p, len);
            n += len;
        }
        st_doc *doc = make_doc(in, n);
        const char *t = st_doc_text(doc);
        size_t size = st_doc_size(doc);
        size_t previous = 0;
        for (size_t o = 0; o < size; o++) {
            size_t src = st_doc_source_offset(doc, o);
            assert_true(src < n);
            assert_true(src >= previous); /* monotonic */
            previous = src;
            unsigned char c = (unsigned char)t[o];
            /* Letters, digits and ж only ever come verbatim (or at the
             * very start of a rewritten run, which maps to itself). */
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
                assert_int_equal(in[src], t[o]);
            if (o + 1 < size && memcmp(t + o, "\xD0\xB6", 2) == 0)
                assert_memory_equal(in + src, "\xD0\xB6", 2);
            if (c == '\n') /* from a LF or a CR */
                assert_true(in[src] == '\n' || in[src] == '\r');
        }
        assert_int_equal(st_doc_source_offset(doc, size), n);
        /* Output is valid UTF-8 without NUL or C0 controls but TAB/LF. */
        for (size_t o = 0; o < size;) {
            int32_t cp;
            size_t len = st_utf8_decode(t + o, size - o, &cp);
            assert_true(cp >= 0);
            assert_true(cp >= 0x20 || cp == '\t' || cp == '\n');
            o += len;
        }
        /* The whole output is in NFC, though NFC ran only on some runs. */
        utf8proc_uint8_t *nfc = NULL;
        utf8proc_ssize_t nfc_len = utf8proc_map((const utf8proc_uint8_t *)t, (utf8proc_ssize_t)size,
                                                &nfc, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
        assert_true(nfc_len >= 0);
        assert_int_equal((size_t)nfc_len, size);
        assert_memory_equal(nfc, t, size);
        free(nfc);
        st_doc_free(doc);
    }
    free(in);
}

static void test_big_line(void **state)
{
    (void)state;
    /* A 50 MB single line of mixed text: must be linear in time and memory. */
    const char unit[] = "Blinken said \xE2\x80\x9Cno\xE2\x80\x9D; e\xCC\x81t\xC3\xA9 \xD0\xB6\xD0\xB8\xD0\xB7\xD0\xBD\xD1\x8C ";
    size_t unit_len = sizeof unit - 1;
    size_t size = 50u * 1024 * 1024;
    char *in = malloc(size);
    assert_non_null(in);
    for (size_t i = 0; i < size; i += unit_len)
        memcpy(in + i, unit, size - i < unit_len ? size - i : unit_len);
    st_doc *doc = make_doc(in, size);
    assert_true(st_doc_size(doc) < size);
    assert_int_equal(st_doc_source_offset(doc, st_doc_size(doc)), size);
    st_doc_free(doc);
    free(in);
}

static void test_pathological_marks(void **state)
{
    (void)state;
    /* A base letter and 400,000 combining marks in reverse canonical
     * order: canonical ordering of one such run would be quadratic. */
    size_t pairs = 200000;
    size_t size = 1 + pairs * 4;
    char *in = malloc(2000000); /* also holds the second input */
    assert_non_null(in);
    in[0] = 'a';
    for (size_t i = 0; i < pairs; i++)
        memcpy(in + 1 + i * 4, "\xCC\x81\xCC\x96", 4); /* U+0301 (230), U+0316 (220) */
    st_doc *doc = make_doc(in, size);
    assert_int_equal(st_doc_source_offset(doc, st_doc_size(doc)), size);
    /* The first marks were reordered and composed with the a. */
    assert_memory_equal(st_doc_text(doc), "\xC3\xA1\xCC\x96", 4);
    st_doc_free(doc);

    /* A long run of precomposed letters without any ASCII. */
    size = 2000000;
    for (size_t i = 0; i < size; i += 2)
        memcpy(in + i, "\xC3\xA9", 2);
    doc = make_doc(in, size);
    assert_int_equal(st_doc_size(doc), size);
    assert_memory_equal(st_doc_text(doc), in, size);
    assert_int_equal(st_doc_source_offset(doc, 1234), 1234);
    st_doc_free(doc);
    free(in);
}

static void test_decoder(void **state)
{
    (void)state;
    int32_t cp;
    assert_int_equal(st_utf8_decode("", 0, &cp), 0);
    assert_int_equal(st_utf8_decode("A", 1, &cp), 1);
    assert_int_equal(cp, 'A');
    assert_int_equal(st_utf8_decode("\xE2\x80\x9C", 3, &cp), 3);
    assert_int_equal(cp, 0x201C);
    assert_int_equal(st_utf8_decode("\xF0\x9F\x98\x80", 4, &cp), 4);
    assert_int_equal(cp, 0x1F600);
    assert_int_equal(st_utf8_decode("\xE2\x80\x9C", 2, &cp), 2); /* truncated */
    assert_int_equal(cp, -1);
    assert_int_equal(st_utf8_decode("\xED\xA0\x80", 3, &cp), 1);
    assert_int_equal(cp, -1);
    char out[4];
    assert_int_equal(st_utf8_encode(0x201D, out), 3);
    assert_memory_equal(out, "\xE2\x80\x9D", 3);
    assert_int_equal(st_utf8_prev("a\xE2\x80\x9D", 0, 4), 1);
    st_span s = st_span_trim(" \xC2\xA0x y\t", 0, 7);
    assert_int_equal(s.start, 3);
    assert_int_equal(s.end, 6);
}

/* st_utf8_clean_prefix against a scan with the decoder, code point by
 * code point: every kind of sequence (valid of each length, the inline
 * E1..EC/EE..EF case, overlong, surrogate, truncated, stray, NUL), one
 * or two of them at every offset of plain text, every prefix length (so
 * that the sixteen-byte blocks, the bytes after them and a sequence cut
 * by the end all come up). */
static size_t clean_prefix_by_decoder(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (s[i] == '\0')
            return i;
        int32_t cp;
        size_t k = st_utf8_decode(s + i, n - i, &cp);
        if (cp < 0)
            return i;
        i += k;
    }
    return n;
}

static void test_clean_prefix_like_decoder(void **state)
{
    (void)state;
    static const char *const sequences[] = {
        "\xE2\x80\x9C", "\xE2\x80\x99", "\xEF\xBF\xBD", "\xE1\x80\x80", "\xEC\xBF\xBF", "\xEE\x80\x80",
        "\xC3\xA9", "\xC2\x80", "\xDF\xBF", "\xE0\xA0\x80", "\xED\x9F\xBF", "\xF0\x9F\x98\x80", "\xF4\x8F\xBF\xBF",
        "\xE0\x80\x80", "\xED\xA0\x80", "\xC0\xAF", "\xC1\xBF", "\xF0\x80\x80\x80", "\xF4\x90\x80\x80",
        "\xF5\x80\x80\x80", "\xFF", "\x80", "\xBF", "\xE2\x80", "\xE2", "\xE1\x80\x41", "\xE2\x41\x80",
        "\xF0\x9F\x98", "\x00", "\xE2\x80\x9C\x00",
    };
    const size_t nseq = sizeof sequences / sizeof sequences[0];
    char text[128];
    for (size_t a = 0; a < nseq; a++) {
        size_t la = a == nseq - 2 ? 1 : (a == nseq - 1 ? 4 : strlen(sequences[a]));
        for (size_t b = 0; b < nseq; b += 3) {
            size_t lb = b == nseq - 2 ? 1 : (b == nseq - 1 ? 4 : strlen(sequences[b]));
            for (size_t at = 0; at < 40; at++) {
                size_t n = 0;
                for (size_t k = 0; k < at; k++)
                    text[n++] = (char)('a' + k % 26);
                memcpy(text + n, sequences[a], la);
                n += la;
                for (size_t k = 0; k < at % 19; k++)
                    text[n++] = (char)('A' + k % 26);
                memcpy(text + n, sequences[b], lb);
                n += lb;
                for (size_t k = 0; k < 20; k++)
                    text[n++] = (char)('0' + k % 10);
                for (size_t len = 0; len <= n; len++)
                    assert_int_equal(st_utf8_clean_prefix(text, len), clean_prefix_by_decoder(text, len));
            }
        }
    }
}

static void test_status(void **state)
{
    (void)state;
    assert_string_equal(st_strerror(ST_OK), "success");
    assert_string_equal(st_strerror(ST_ERR_NOMEM), "out of memory");
    assert_true(strlen(st_strerror(ST_ERR_INPUT)) > 0);
    assert_true(strlen(st_strerror((st_status)99)) > 0);
    st_diag diag;
    memset(&diag, 'x', sizeof diag);
    st_diag_clear(&diag);
    assert_null(diag.file);
    assert_int_equal(diag.line, 0);
    assert_int_equal(diag.offset, (size_t)-1);
    assert_string_equal(diag.message, "");
    st_diag_clear(NULL);
}

/* ------------------------------------------------------------------ */
/* Record formatting: the same bytes as snprintf and jansson            */

static void check_fixed(double x, int decimals)
{
    char want[512];
    snprintf(want, sizeof want, "%.*f", decimals, x);
    st_buf b = {0};
    assert_int_equal(st_buf_fixed(&b, x, decimals), ST_OK);
    assert_non_null(b.data);
    b.data[b.len] = '\0';
    if (strcmp(b.data, want) != 0)
        fail_msg("%%.%df of %.17g: want %s, got %s", decimals, x, want, b.data);
    st_buf_free(&b);
}

static uint64_t next_random(uint64_t *state)
{
    /* xorshift64*: deterministic, no libc rand state. */
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    return *state * 2685821657736338717ULL;
}

static void test_fixed_like_printf(void **state)
{
    (void)state;
    static const double fixed[] = {
        0.0, -0.0, 1.0, -1.0, 0.5, 0.25, 0.125, 0.0625, 0.03125, 0.015625, 0.00005, 0.00015, 0.00025,
        0.99995, 0.99994999, 0.999949999999, 9.99995, 0.12345, 0.12355, 1.00005, 2.5, 3.5, 0.1, 0.2, 0.3,
        0.7, 0.81, 0.9975, 0.0025, -0.00001, -0.00005, -0.00015, 1e-300, 4.9e-324, -4.9e-324,
        2.2250738585072014e-308, 1e-5, 1e-4, 123456.78905, 4503599627.3705, 450359962737.0496, 1e11, 1e12,
        1e15, 1e16, 1e300, 1.7976931348623157e308, 9007199254740993.0, 0.49999999999999994,
    };
    for (int d = 0; d <= 9; d++) {
        for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++) {
            check_fixed(fixed[i], d);
            check_fixed(-fixed[i], d);
        }
        check_fixed(INFINITY, d);
        check_fixed(-INFINITY, d);
        check_fixed(NAN, d);
    }
    /* Every tie the 4th decimal can hold below 4: k/32 and k/20000 grids. */
    for (int k = 0; k <= 128; k++)
        check_fixed(k / 32.0, 4);
    for (int k = 0; k <= 80000; k++) {
        check_fixed(k / 20000.0, 4);
        check_fixed(k / 10000.0 + 0.00005, 4);
    }
    /* Probabilities, weights, and any bit pattern. */
    uint64_t r = 0x9E3779B97F4A7C15ULL;
    for (int i = 0; i < 60000; i++) {
        double p = (double)(next_random(&r) >> 11) / 9007199254740992.0;
        check_fixed(p, 4);
        check_fixed(p * 40 - 20, 4);
        uint64_t bits = next_random(&r);
        double any;
        memcpy(&any, &bits, sizeof any);
        check_fixed(any, 4);
        check_fixed(any, i % 10);
    }
}

static void test_uint(void **state)
{
    (void)state;
    static const uint64_t values[] = {0, 1, 9, 10, 99, 100, 12345, 4294967295ULL, 4294967296ULL, UINT64_MAX};
    for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
        char want[32];
        snprintf(want, sizeof want, "%llu", (unsigned long long)values[i]);
        st_buf b = {0};
        assert_int_equal(st_buf_uint(&b, values[i]), ST_OK);
        assert_int_equal(b.len, strlen(want));
        assert_memory_equal(b.data, want, b.len);
        st_buf_free(&b);
    }
}

/* Our JSON string against json_dumps(json_stringn(...)). */
static void check_json_string(const char *s, size_t n)
{
    json_t *str = json_stringn(s, n);
    st_buf b = {0};
    assert_int_equal(st_buf_append(&b, "x", 1), ST_OK); /* appends, keeps what was there */
    st_status status = st_buf_json_string(&b, s, n);
    if (!str) {
        assert_int_equal(status, ST_ERR_INPUT);
        assert_int_equal(b.len, 1);
        st_buf_free(&b);
        return;
    }
    assert_int_equal(status, ST_OK);
    char *want = json_dumps(str, JSON_ENCODE_ANY);
    assert_non_null(want);
    assert_int_equal(b.len, strlen(want) + 1);
    assert_memory_equal(b.data + 1, want, strlen(want));
    free(want);
    json_decref(str);
    st_buf_free(&b);
}

static void test_json_string_like_jansson(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "", "plain", "say \"hi\"", "back\\slash", "\b\f\n\r\t", "\x01\x1f\x7f", "/ slash", "caf\xC3\xA9",
        "\xE2\x80\x9Cquoted\xE2\x80\x9D", "\xF0\x9F\x98\x80", "\xC3", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80",
        "ab\xFF" "cd", "\xE2\x80", "\xEF\xBF\xBD",
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        check_json_string(cases[i], strlen(cases[i]));
    check_json_string("a\0b", 3);
    /* Every byte alone and in pairs; random byte strings, mostly text. */
    for (int c = 0; c < 256; c++) {
        char one = (char)c;
        check_json_string(&one, 1);
        for (int d = 0; d < 256; d += 7) {
            char two[2] = {(char)c, (char)d};
            check_json_string(two, 2);
        }
    }
    /* The eight-at-a-time scan against a byte loop, at every alignment. */
    for (int c = 0; c < 256; c++) {
        char line[40];
        memset(line, 'a', sizeof line);
        for (size_t at = 0; at < sizeof line; at++) {
            line[at] = (char)c;
            int stops = c < 0x20 || c == '"' || c == '\\' || c >= 0x80;
            assert_int_equal(st_json_plain_prefix(line, sizeof line), stops ? at : sizeof line);
            line[at] = 'a';
        }
    }
    uint64_t r = 42;
    char buf[64];
    for (int i = 0; i < 100000; i++) {
        size_t n = next_random(&r) % sizeof buf;
        for (size_t k = 0; k < n; k++) {
            uint64_t v = next_random(&r);
            buf[k] = (v & 3) ? (char)(0x20 + (v >> 8) % 95) : (char)(v >> 16);
        }
        check_json_string(buf, n);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_ascii),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_bom_dropped),
        cmocka_unit_test(test_line_ends),
        cmocka_unit_test(test_controls),
        cmocka_unit_test(test_invalid_maximal_subparts),
        cmocka_unit_test(test_invalid_kinds),
        cmocka_unit_test(test_nul),
        cmocka_unit_test(test_strict),
        cmocka_unit_test(test_nfc),
        cmocka_unit_test(test_offsets_random),
        cmocka_unit_test(test_big_line),
        cmocka_unit_test(test_pathological_marks),
        cmocka_unit_test(test_decoder),
        cmocka_unit_test(test_clean_prefix_like_decoder),
        cmocka_unit_test(test_status),
        cmocka_unit_test(test_fixed_like_printf),
        cmocka_unit_test(test_uint),
        cmocka_unit_test(test_json_string_like_jansson),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
