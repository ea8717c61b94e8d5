/*
 * test_dataset.c - the labelled quote table reader and the label set.
 *
 * Tables are fed from memory (fmemopen), so every case states its input
 * in full: columns by name in any order, CRLF, a byte order mark, blank
 * lines, long lines, and each kind of error with its line and column.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "st_dataset.h"
#include "st_sha256.h"

/* Reads `text` as a table into a new dataset; returns the status. */
static st_status read_text(const char *text, size_t size, int flags, st_dataset **ds, st_diag *diag)
{
    assert_int_equal(st_dataset_new(ds), ST_OK);
    FILE *fp = fmemopen((void *)text, size, "r");
    assert_non_null(fp);
    st_diag_clear(diag);
    st_status s = st_dataset_read(*ds, fp, "table.tsv", flags, diag);
    fclose(fp);
    return s;
}

static void expect_error(const char *text, int flags, size_t line, size_t column, const char *message)
{
    st_dataset *ds;
    st_diag diag;
    assert_int_equal(read_text(text, strlen(text), flags, &ds, &diag), ST_ERR_INPUT);
    assert_string_equal(diag.file, "table.tsv");
    assert_int_equal(diag.line, line);
    assert_int_equal(diag.column, column);
    if (!strstr(diag.message, message))
        fail_msg("message \"%s\" lacks \"%s\"", diag.message, message);
    st_dataset_free(ds);
}

static void test_labels(void **state)
{
    (void)state;
    assert_string_equal(st_label_name(ST_LABEL_THREATENING), "threatening");
    assert_string_equal(st_label_name(ST_LABEL_CONCILIATORY), "conciliatory");
    assert_string_equal(st_label_name(ST_LABEL_NEUTRAL), "neutral");
    assert_null(st_label_name(3));
    assert_null(st_label_name(-1));
    assert_int_equal(st_label_parse("neutral", 7), ST_LABEL_NEUTRAL);
    assert_int_equal(st_label_parse("neutral!", 7), ST_LABEL_NEUTRAL); /* length counts */
    assert_int_equal(st_label_parse("Neutral", 7), ST_LABEL_NONE);
    assert_int_equal(st_label_parse("threat", 6), ST_LABEL_NONE);
    assert_int_equal(st_label_parse("", 0), ST_LABEL_NONE);
}

static void test_columns_by_name(void **state)
{
    (void)state;
    const char *text = "topic\tquote\tid\tlabel\tsentence\tspeaker\n"
                       "war\tWe will respond.\tx1\tthreatening\tHe said: \"We will respond.\"\tA. Person\n"
                       "talks\tLet us talk.\tx2\tconciliatory\t\t\n";
    st_dataset *ds;
    st_diag diag;
    assert_int_equal(read_text(text, strlen(text), ST_DATASET_LABELLED, &ds, &diag), ST_OK);
    assert_int_equal(st_dataset_count(ds), 2);
    const st_row *r = st_dataset_row(ds, 0);
    assert_string_equal(r->id, "x1");
    assert_string_equal(r->quote, "We will respond.");
    assert_int_equal(r->quote_len, 16);
    assert_string_equal(r->sentence, "He said: \"We will respond.\"");
    assert_string_equal(r->speaker, "A. Person");
    assert_int_equal(r->label, ST_LABEL_THREATENING);
    assert_int_equal(r->line, 2);
    assert_string_equal(r->file, "table.tsv");
    r = st_dataset_row(ds, 1);
    assert_string_equal(r->quote, "Let us talk.");
    assert_int_equal(r->sentence_len, 0);
    assert_string_equal(r->sentence, "");
    assert_int_equal(r->speaker_len, 0);
    assert_int_equal(r->label, ST_LABEL_CONCILIATORY);
    assert_null(st_dataset_row(ds, 2));
    st_dataset_free(ds);
}

static void test_optional_columns_absent(void **state)
{
    (void)state;
    const char *text = "quote\nfirst\nsecond\n";
    st_dataset *ds;
    st_diag diag;
    assert_int_equal(read_text(text, strlen(text), 0, &ds, &diag), ST_OK);
    assert_int_equal(st_dataset_count(ds), 2);
    const st_row *r = st_dataset_row(ds, 1);
    assert_string_equal(r->quote, "second");
    assert_null(r->id);
    assert_null(r->sentence);
    assert_null(r->speaker);
    assert_int_equal(r->label, ST_LABEL_NONE);
    st_dataset_free(ds);
}

static void test_crlf_bom_blank_lines(void **state)
{
    (void)state;
    const char *text = "\xEF\xBB\xBFid\tlabel\tquote\r\n"
                       "\r\n"
                       "a\tneutral\tone\r\n"
                       "\n"
                       "b\tthreatening\ttwo"; /* no final newline */
    st_dataset *ds;
    st_diag diag;
    assert_int_equal(read_text(text, strlen(text), ST_DATASET_LABELLED, &ds, &diag), ST_OK);
    assert_int_equal(st_dataset_count(ds), 2);
    assert_string_equal(st_dataset_row(ds, 0)->id, "a");
    assert_string_equal(st_dataset_row(ds, 0)->quote, "one");
    assert_int_equal(st_dataset_row(ds, 0)->line, 3);
    assert_string_equal(st_dataset_row(ds, 1)->quote, "two");
    assert_int_equal(st_dataset_row(ds, 1)->line, 5);
    st_dataset_free(ds);
}

static void test_long_line(void **state)
{
    (void)state;
    size_t n = 3 * 1024 * 1024;
    const char *head = "label\tquote\nneutral\t";
    char *text = malloc(strlen(head) + n + 2);
    assert_non_null(text);
    strcpy(text, head);
    memset(text + strlen(head), 'w', n);
    strcpy(text + strlen(head) + n, "\n");
    st_dataset *ds;
    st_diag diag;
    assert_int_equal(read_text(text, strlen(text), ST_DATASET_LABELLED, &ds, &diag), ST_OK);
    assert_int_equal(st_dataset_count(ds), 1);
    assert_int_equal(st_dataset_row(ds, 0)->quote_len, n);
    st_dataset_free(ds);
    free(text);
}

static void test_errors(void **state)
{
    (void)state;
    expect_error("", 0, 1, 0, "empty file");
    expect_error("id\tlabel\n", 0, 1, 0, "no \"quote\" column");
    expect_error("id\tquote\nx\ty\n", ST_DATASET_LABELLED, 1, 0, "no \"label\" column");
    expect_error("quote\tid\tquote\n", 0, 1, 10, "column \"quote\" appears twice");
    expect_error("id\tlabel\tquote\na\tneutral\tok\nb\tthreat\tbad\n", ST_DATASET_LABELLED, 3, 3,
                 "unknown label \"threat\"");
    expect_error("id\tlabel\tquote\na\tneutral\n", ST_DATASET_LABELLED, 2, 0,
                 "expected 3 tab-separated fields (as in the header), found 2");
    expect_error("id\tlabel\tquote\na\tneutral\tx\ty\n", ST_DATASET_LABELLED, 2, 0, "found 4");
    expect_error("label\tquote\nneutral\tab\xC3(\n", ST_DATASET_LABELLED, 2, 11, "invalid UTF-8");
    expect_error("quote\n\xFF\n", 0, 2, 1, "invalid UTF-8");
    expect_error("qu\xE2\x82ote\n", 0, 1, 3, "invalid UTF-8 in the header");

    /* A NUL byte (fmemopen with an explicit size keeps it). */
    static const char nul[] = "label\tquote\nneutral\tab\0cd\n";
    st_dataset *ds;
    st_diag diag;
    assert_int_equal(read_text(nul, sizeof nul - 1, ST_DATASET_LABELLED, &ds, &diag), ST_ERR_INPUT);
    assert_int_equal(diag.line, 2);
    assert_int_equal(diag.column, 11);
    assert_string_equal(diag.message, "NUL byte");
    st_dataset_free(ds);
}

/* Without ST_DATASET_LABELLED an unknown label is no error (classify). */
static void test_unlabelled_tolerates_labels(void **state)
{
    (void)state;
    const char *text = "label\tquote\n?\tsomething\n";
    st_dataset *ds;
    st_diag diag;
    assert_int_equal(read_text(text, strlen(text), 0, &ds, &diag), ST_OK);
    assert_int_equal(st_dataset_row(ds, 0)->label, ST_LABEL_NONE);
    st_dataset_free(ds);
}

/* The streaming reader goes on after a bad row. */
static void test_reader_continues(void **state)
{
    (void)state;
    const char *text = "id\tquote\na\tone\nb\n\nc\tthree\n";
    FILE *fp = fmemopen((void *)text, strlen(text), "r");
    assert_non_null(fp);
    st_tsv_reader *r;
    st_diag diag;
    assert_int_equal(st_tsv_reader_new(fp, "t", 0, &r, &diag), ST_OK);
    assert_true(st_tsv_reader_has_id(r));
    assert_false(st_tsv_reader_has_label(r));
    st_row row;
    int done;
    assert_int_equal(st_tsv_reader_next(r, &row, &done, &diag), ST_OK);
    assert_false(done);
    assert_string_equal(row.id, "a");
    assert_int_equal(st_tsv_reader_next(r, &row, &done, &diag), ST_ERR_INPUT);
    assert_int_equal(diag.line, 3);
    assert_int_equal(st_tsv_reader_next(r, &row, &done, &diag), ST_OK);
    assert_false(done);
    assert_string_equal(row.quote, "three");
    assert_int_equal(row.line, 5);
    assert_int_equal(st_tsv_reader_next(r, &row, &done, &diag), ST_OK);
    assert_true(done);
    st_tsv_reader_free(r);
    fclose(fp);
}

/* The checksum covers every byte read: the data version of a model. */
static void test_sha256_of_table(void **state)
{
    (void)state;
    const char *text = "id\tlabel\tquote\r\na\tneutral\tone\r\n\r\nb\tneutral\ttwo\n";
    st_dataset *ds;
    st_diag diag;
    assert_int_equal(read_text(text, strlen(text), ST_DATASET_LABELLED, &ds, &diag), ST_OK);
    char hex[ST_SHA256_HEX_SIZE];
    st_sha256_hex(text, strlen(text), hex);
    assert_int_equal(st_dataset_file_count(ds), 1);
    assert_string_equal(st_dataset_file_sha256(ds, 0), hex);
    assert_string_equal(st_dataset_file_name(ds, 0), "table.tsv");
    assert_int_equal(st_dataset_file_rows(ds, 0), 2);
    st_dataset_free(ds);
}

static void test_sha256_vectors(void **state)
{
    (void)state;
    char hex[ST_SHA256_HEX_SIZE];
    st_sha256_hex("", 0, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    st_sha256_hex("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    st_sha256_hex(two, strlen(two), hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    /* A million 'a', fed in uneven pieces. */
    st_sha256 ctx;
    st_sha256_init(&ctx);
    char block[997];
    memset(block, 'a', sizeof block);
    size_t left = 1000000;
    while (left) {
        size_t n = left < sizeof block ? left : sizeof block;
        st_sha256_update(&ctx, block, n);
        left -= n;
    }
    unsigned char digest[ST_SHA256_DIGEST_SIZE];
    st_sha256_final(&ctx, digest);
    st_sha256_to_hex(digest, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/*
 * The line check looks at a word (8 bytes) at a time and byte by byte
 * only past a byte >= 0x80 or a NUL: a bad byte at every offset and word
 * alignment, after plain and after non-ASCII text, is found at its own
 * column with its own message, as by a decoder looking at every byte.
 */
static void expect_bad_byte_at(const char *before, size_t off, const char *bad, size_t bad_len, const char *message)
{
    char text[256];
    const char *head = "label\tquote\n";
    size_t n = strlen(head);
    memcpy(text, head, n);
    memcpy(text + n, "neutral\t", 8);
    size_t line_start = n;
    n += 8;
    size_t blen = strlen(before);
    for (size_t i = 0; i < off; i++)
        text[n++] = i < blen ? before[i] : (char)('a' + i % 26);
    size_t col = n - line_start + 1;
    memcpy(text + n, bad, bad_len);
    n += bad_len;
    memcpy(text + n, "tail text after\n", 16);
    n += 16;
    st_dataset *ds;
    st_diag diag;
    assert_int_equal(read_text(text, n, ST_DATASET_LABELLED, &ds, &diag), ST_ERR_INPUT);
    assert_int_equal(diag.line, 2);
    assert_int_equal(diag.column, col);
    assert_string_equal(diag.message, message);
    st_dataset_free(ds);
}

static void test_bad_bytes_every_offset(void **state)
{
    (void)state;
    static const struct {
        const char *bytes;
        size_t len;
        const char *message;
    } bad[] = {
        {"\xFF", 1, "invalid UTF-8"},
        {"\xC3(", 2, "invalid UTF-8"},
        {"\xE2\x82(", 3, "invalid UTF-8"},
        {"\xED\xA0\x80", 3, "invalid UTF-8"}, /* a surrogate */
        {"\xC0\xAF", 2, "invalid UTF-8"},     /* overlong */
        {"\x80", 1, "invalid UTF-8"},
        {"\0", 1, "NUL byte"},
    };
    /* Plain ASCII, then text with multi-byte characters before the bad byte. */
    const char *befores[] = {"", "\xC3\xA9t\xC3\xA9 \xE2\x80\x9Cquoted\xE2\x80\x9D and \xF0\x9F\x98\x80 more words"};
    for (size_t b = 0; b < sizeof bad / sizeof *bad; b++)
        for (size_t k = 0; k < 2; k++)
            for (size_t off = 0; off <= 40; off++) {
                /* Do not cut a character of the non-ASCII prefix in two. */
                if (k == 1 && off > 0 && off < strlen(befores[1]) &&
                    ((unsigned char)befores[1][off] & 0xC0) == 0x80)
                    continue;
                expect_bad_byte_at(befores[k], off, bad[b].bytes, bad[b].len, bad[b].message);
            }
}

/* Fields at every length: the memchr split gives each one whole. */
static void test_fields_every_length(void **state)
{
    (void)state;
    for (size_t a = 0; a < 20; a++)
        for (size_t q = 1; q < 20; q++) {
            char text[128];
            int n = snprintf(text, sizeof text, "id\tquote\tsentence\n%.*s\t%.*s\t%s\n", (int)a,
                             "abcdefghijklmnopqrstuvwxyz", (int)q, "QRSTUVWXYZQRSTUVWXYZQRSTUV", "s\xC3\xA9");
            st_dataset *ds;
            st_diag diag;
            assert_int_equal(read_text(text, (size_t)n, 0, &ds, &diag), ST_OK);
            const st_row *r = st_dataset_row(ds, 0);
            assert_int_equal(r->id_len, a);
            assert_int_equal(strlen(r->id), a);
            assert_int_equal(r->quote_len, q);
            assert_int_equal(strlen(r->quote), q);
            assert_memory_equal(r->quote, "QRSTUVWXYZQRSTUVWXYZ", q);
            assert_string_equal(r->sentence, "s\xC3\xA9");
            st_dataset_free(ds);
        }
    /* Too many and too few fields, counted in full for the message. */
    expect_error("a\tquote\tc\n1\t2\t3\t4\t5\t6\n", 0, 2, 0, "expected 3 tab-separated fields (as in the header), found 6");
    expect_error("a\tquote\tc\n\t\t\t\n", 0, 2, 0, "found 4");
    expect_error("a\tquote\tc\n\t\n", 0, 2, 0, "found 2");
    expect_error("a\tquote\tc\nx\n", 0, 2, 0, "found 1");
}

/* ST_TSV_NO_CHECKSUM changes nothing but the checksum; a dataset always
 * keeps its tables' checksums. */
static void test_no_checksum(void **state)
{
    (void)state;
    const char *text = "id\tquote\na\tone\nb\ttwo \xE2\x80\x94 2\n";
    FILE *fp = fmemopen((void *)text, strlen(text), "r");
    assert_non_null(fp);
    st_tsv_reader *r;
    st_diag diag;
    assert_int_equal(st_tsv_reader_new(fp, "t", ST_TSV_NO_CHECKSUM, &r, &diag), ST_OK);
    st_row row;
    int done;
    assert_int_equal(st_tsv_reader_next(r, &row, &done, &diag), ST_OK);
    assert_string_equal(row.quote, "one");
    assert_int_equal(st_tsv_reader_next(r, &row, &done, &diag), ST_OK);
    assert_string_equal(row.quote, "two \xE2\x80\x94 2");
    assert_int_equal(row.line, 3);
    assert_int_equal(st_tsv_reader_next(r, &row, &done, &diag), ST_OK);
    assert_true(done);
    st_tsv_reader_free(r);
    fclose(fp);

    st_dataset *ds;
    assert_int_equal(read_text(text, strlen(text), ST_TSV_NO_CHECKSUM, &ds, &diag), ST_OK);
    char hex[ST_SHA256_HEX_SIZE];
    st_sha256_hex(text, strlen(text), hex);
    assert_string_equal(st_dataset_file_sha256(ds, 0), hex);
    st_dataset_free(ds);
}

static void test_read_file_missing(void **state)
{
    (void)state;
    st_dataset *ds;
    st_diag diag;
    assert_int_equal(st_dataset_new(&ds), ST_OK);
    st_diag_clear(&diag);
    assert_int_equal(st_dataset_read_file(ds, "no/such/table.tsv", 0, &diag), ST_ERR_IO);
    assert_string_equal(diag.file, "no/such/table.tsv");
    assert_string_equal(diag.message, "No such file or directory");
    st_dataset_free(ds);
}

/* The fixture tables, as the CLI and model tests use them. */
static void test_fixtures(void **state)
{
    (void)state;
    st_dataset *ds;
    st_diag diag;
    assert_int_equal(st_dataset_new(&ds), ST_OK);
    assert_int_equal(st_dataset_read_file(ds, "tests/fixtures/model/tiny.tsv", ST_DATASET_LABELLED, &diag), ST_OK);
    assert_int_equal(st_dataset_read_file(ds, "tests/fixtures/model/holdout.tsv", ST_DATASET_LABELLED, &diag),
                     ST_OK);
    assert_int_equal(st_dataset_count(ds), 114);
    assert_int_equal(st_dataset_file_count(ds), 2);
    size_t per[ST_LABEL_COUNT] = {0};
    for (size_t i = 0; i < st_dataset_count(ds); i++) {
        const st_row *r = st_dataset_row(ds, i);
        assert_true(r->label >= 0 && r->label < ST_LABEL_COUNT);
        per[r->label]++;
        assert_non_null(strstr(r->sentence, r->quote));
    }
    assert_int_equal(per[0], 38);
    assert_int_equal(per[1], 38);
    assert_int_equal(per[2], 38);
    st_dataset_free(ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_labels),
        cmocka_unit_test(test_columns_by_name),
        cmocka_unit_test(test_optional_columns_absent),
        cmocka_unit_test(test_crlf_bom_blank_lines),
        cmocka_unit_test(test_long_line),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_unlabelled_tolerates_labels),
        cmocka_unit_test(test_reader_continues),
        cmocka_unit_test(test_sha256_of_table),
        cmocka_unit_test(test_sha256_vectors),
        cmocka_unit_test(test_bad_bytes_every_offset),
        cmocka_unit_test(test_fields_every_length),
        cmocka_unit_test(test_no_checksum),
        cmocka_unit_test(test_read_file_missing),
        cmocka_unit_test(test_fixtures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
