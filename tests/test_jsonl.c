/*
 * test_jsonl.c - the fast JSONL article reader (cli_jsonl.c) against
 * jansson on the strings it unescapes.
 *
 * fast_string reads sixteen bytes at a time, a line's last ones byte by
 * byte: each kind of byte it stops at (the closing quote, every escape,
 * a control byte, UTF-8 of each length, bad and truncated sequences) is
 * tried at every offset of texts of every length up to 60, with the text
 * the line's last member (its end near the line's end) and its first.
 * Whenever the fast reader takes a line, its text and id are the ones
 * jansson reads; a line it leaves goes to jansson anyway.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/cli_jsonl.c"

/* Checks one line: fast_parse, if it takes it, reads what jansson does. */
static void check_line(const char *line, size_t len, int *taken)
{
    /* The line in a buffer of its own size (+ NUL), as the units hold it,
     * so that ASan sees any read past it. */
    char *copy = malloc(len + 1);
    assert_non_null(copy);
    memcpy(copy, line, len);
    copy[len] = '\0';
    cli_jsonl_article fast;
    memset(&fast, 0, sizeof fast);
    int rc = fast_parse(copy, len, 7, &fast);
    assert_true(rc == 0 || rc == 1);
    json_error_t err;
    json_t *obj = json_loadb(copy, len, JSON_ALLOW_NUL, &err);
    if (rc == 1) {
        (*taken)++;
        assert_non_null(obj);
        json_t *text = json_object_get(obj, "text");
        assert_true(json_is_string(text));
        assert_int_equal(fast.text_len, json_string_length(text));
        assert_memory_equal(fast.text, json_string_value(text), fast.text_len);
        json_t *id = json_object_get(obj, "id");
        if (json_is_string(id))
            assert_string_equal(fast.id, json_string_value(id));
        cli_jsonl_article_clear(&fast);
    }
    json_decref(obj);
    free(copy);
}

static void test_strings_every_offset(void **state)
{
    (void)state;
    /* As they appear inside a JSON string literal. */
    static const char *const pieces[] = {
        "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t", "\\u00e9", "\\u20AC", "\\ud83d\\ude00",
        "\\ud83d", "\\ude00", "\\x", "\\u12", "\xC3\xA9", "\xE2\x80\x9C", "\xE2\x80\x9D", "\xED\x9F\xBF",
        "\xEF\xBF\xBD", "\xF0\x9F\x98\x80", "\xE0\xA0\x80", "\xFF", "\xC0\xAF", "\xED\xA0\x80", "\xE2\x80",
        "\x80", "\x01", "\x1F", "\x7F", "\"", "\\",
    };
    const size_t np = sizeof pieces / sizeof *pieces;
    char text[128], line[512];
    int taken = 0;
    for (size_t n = 0; n <= 60; n++) {
        for (size_t at = 0; at <= n; at++) {
            for (size_t k = 0; k < np; k++) {
                /* n letters, pieces[k] at `at`, pieces[k + 3] further on. */
                size_t len = 0;
                for (size_t i = 0; i < at; i++)
                    text[len++] = (char)('a' + (i * 7) % 26);
                size_t pl = strlen(pieces[k]);
                memcpy(text + len, pieces[k], pl);
                len += pl;
                size_t gap = (n - at) / 2;
                for (size_t i = 0; i < gap; i++)
                    text[len++] = (char)('A' + (i * 3) % 26);
                const char *other = pieces[(k + 3) % np];
                memcpy(text + len, other, strlen(other));
                len += strlen(other);
                for (size_t i = at + gap; i < n; i++)
                    text[len++] = (char)('a' + (i * 5) % 26);
                /* The text last (its end near the line's), then first. */
                int m = snprintf(line, sizeof line, "{\"id\": \"%.*s\", \"text\": \"%.*s\"}", (int)(len % 20),
                                 text, (int)len, text);
                assert_true(m > 0 && (size_t)m < sizeof line);
                check_line(line, (size_t)m, &taken);
                m = snprintf(line, sizeof line, "{\"text\":\"%.*s\",\"id\":\"doc-%zu\",\"n\":[1,2,3]}", (int)len,
                             text, n);
                assert_true(m > 0 && (size_t)m < sizeof line);
                check_line(line, (size_t)m, &taken);
            }
        }
    }
    /* Most lines are articles the fast reader takes. */
    assert_true(taken > 40000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strings_every_offset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
