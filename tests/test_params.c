/*
 * test_params.c - the parameter table: defaults, parsing and validation,
 * option spellings, and the params.tsv round trip.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "st_params.h"

/* Every row's default is a valid value, and the defaults validate. */
static void test_defaults_valid(void **state)
{
    (void)state;
    st_params p, q;
    st_params_default(&p);
    assert_int_equal(st_params_validate(&p, NULL), ST_OK);
    for (size_t i = 0; i < st_param_count(); i++) {
        const st_param_info *info = st_param_info_at(i);
        assert_non_null(info);
        st_diag diag;
        st_diag_clear(&diag);
        q = p;
        assert_int_equal(st_params_set(&q, info->name, info->default_value, &diag), ST_OK);
        assert_true(st_params_equal(&p, &q));
        /* The default as written back reads as the default text. */
        char text[32];
        st_params_value(&p, i, text, sizeof text);
        assert_string_equal(text, info->default_value);
    }
    assert_null(st_param_info_at(st_param_count()));
    assert_int_equal(p.kernel, ST_KERNEL_LINEAR);
    assert_int_equal(p.folds, 5);
    assert_int_equal(p.ngram, 2);
    assert_int_equal(p.negation_window, 3);
    assert_int_equal(p.use_quote, 1);
    assert_true(p.c == 1.0);
}

static void test_names_and_options(void **state)
{
    (void)state;
    int i = st_param_find("negation_window");
    assert_true(i >= 0);
    assert_int_equal(st_param_find("negation-window"), i);
    const st_param_info *info = st_param_info_at((size_t)i);
    assert_string_equal(info->name, "negation_window");
    assert_string_equal(info->option, "negation-window");
    assert_int_equal(info->type, ST_PARAM_INT);
    assert_int_equal(info->feature, 1);
    assert_int_equal(st_param_info_at((size_t)st_param_find("kernel"))->feature, 0);
    assert_int_equal(st_param_find("nope"), -1);
    assert_int_equal(st_param_find(""), -1);
    assert_int_equal(st_param_find(NULL), -1);
    /* Names are unique and options have no underscore. */
    for (size_t a = 0; a < st_param_count(); a++) {
        assert_null(strchr(st_param_info_at(a)->option, '_'));
        for (size_t b = a + 1; b < st_param_count(); b++)
            assert_string_not_equal(st_param_info_at(a)->name, st_param_info_at(b)->name);
    }
}

/* Sets name=value and expects failure with a message holding `needle`. */
static void expect_bad(const char *name, const char *value, const char *needle)
{
    st_params p, before;
    st_params_default(&p);
    before = p;
    st_diag diag;
    st_diag_clear(&diag);
    assert_int_equal(st_params_set(&p, name, value, &diag), ST_ERR_USAGE);
    assert_true(st_params_equal(&p, &before));
    if (strstr(diag.message, needle) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", diag.message, needle);
}

static void test_set_validates(void **state)
{
    (void)state;
    expect_bad("folds", "1", "out of range 2..20");
    expect_bad("folds", "21", "out of range");
    expect_bad("folds", "5x", "not an integer");
    expect_bad("folds", "", "not an integer");
    expect_bad("folds", " 5", "not an integer");
    expect_bad("folds", "5.0", "not an integer");
    expect_bad("folds", "99999999999999999999", "not an integer");
    expect_bad("seed", "-1", "out of range");
    expect_bad("c", "0", "out of range 1e-4..1e4");
    expect_bad("c", "1e5", "out of range");
    expect_bad("c", "nan", "not a number");
    expect_bad("c", "inf", "not a number");
    expect_bad("c", "0x10", "not a number");
    expect_bad("c", "1,5", "not a number");
    expect_bad("kernel", "poly", "not one of linear|rbf");
    expect_bad("kernel", "", "not one of");
    expect_bad("use_context", "2", "not 0 or 1");
    expect_bad("bogus", "1", "unknown parameter \"bogus\"");
    expect_bad("ngram", "4", "--ngram: \"4\" is out of range 1..3");

    st_params p;
    st_params_default(&p);
    assert_int_equal(st_params_set(&p, "kernel", "rbf", NULL), ST_OK);
    assert_int_equal(p.kernel, ST_KERNEL_RBF);
    assert_int_equal(st_params_set(&p, "context-window", "0", NULL), ST_OK);
    assert_int_equal(p.context_window, 0);
    assert_int_equal(st_params_set(&p, "c", "0.03", NULL), ST_OK);
    assert_true(p.c == 0.03);
    assert_int_equal(st_params_set(&p, "seed", "2147483647", NULL), ST_OK);
    assert_int_equal(p.seed, 2147483647);
    const char *yes[] = {"1", "yes", "true", "on"}, *no[] = {"0", "no", "false", "off"};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(st_params_set(&p, "grid", yes[i], NULL), ST_OK);
        assert_int_equal(p.grid, 1);
        assert_int_equal(st_params_set(&p, "grid", no[i], NULL), ST_OK);
        assert_int_equal(p.grid, 0);
    }
    assert_int_equal(st_params_set(&p, NULL, "1", NULL), ST_ERR_USAGE);
    assert_int_equal(st_params_set(&p, "grid", NULL, NULL), ST_ERR_USAGE);

    /* validate catches a field set behind the table's back */
    st_params_default(&p);
    p.folds = 1;
    st_diag diag;
    st_diag_clear(&diag);
    assert_int_equal(st_params_validate(&p, &diag), ST_ERR_USAGE);
    assert_non_null(strstr(diag.message, "--folds"));
    st_params_default(&p);
    p.kernel = 7;
    assert_int_equal(st_params_validate(&p, NULL), ST_ERR_USAGE);
    st_params_default(&p);
    p.c = -1;
    assert_int_equal(st_params_validate(&p, NULL), ST_ERR_USAGE);
}

static void test_value_text(void **state)
{
    (void)state;
    st_params p;
    st_params_default(&p);
    char text[32];
    int c = st_param_find("c");
    assert_int_equal(st_params_set(&p, "c", "0.1", NULL), ST_OK);
    assert_string_equal(st_params_value(&p, (size_t)c, text, sizeof text), "0.1");
    assert_int_equal(st_params_set(&p, "c", "1e-4", NULL), ST_OK);
    assert_string_equal(st_params_value(&p, (size_t)c, text, sizeof text), "0.0001");
    assert_int_equal(st_params_set(&p, "c", "0.3333333333333333", NULL), ST_OK);
    st_params_value(&p, (size_t)c, text, sizeof text);
    assert_true(strtod(text, NULL) == p.c);
    assert_string_equal(st_params_value(&p, 9999, text, sizeof text), "");
    assert_string_equal(st_params_value(&p, (size_t)st_param_find("kernel"), text, sizeof text), "linear");
}

static void test_round_trip(void **state)
{
    (void)state;
    st_params p, q;
    st_params_default(&p);
    assert_int_equal(st_params_set(&p, "kernel", "rbf", NULL), ST_OK);
    assert_int_equal(st_params_set(&p, "c", "0.3", NULL), ST_OK);
    assert_int_equal(st_params_set(&p, "gamma", "0.125", NULL), ST_OK);
    assert_int_equal(st_params_set(&p, "seed", "42", NULL), ST_OK);
    assert_int_equal(st_params_set(&p, "use_you", "0", NULL), ST_OK);
    assert_int_equal(st_params_set(&p, "class_weight", "none", NULL), ST_OK);
    char *text = NULL, *again = NULL;
    size_t size = 0, size2 = 0;
    assert_int_equal(st_params_format(&p, &text, &size), ST_OK);
    assert_int_equal(strlen(text), size);
    assert_non_null(strstr(text, "kernel\trbf\n"));
    assert_non_null(strstr(text, "c\t0.3\n"));
    assert_non_null(strstr(text, "use_you\t0\n"));
    st_params_default(&q);
    assert_int_equal(st_params_parse(text, size, "params.tsv", &q, NULL), ST_OK);
    assert_true(st_params_equal(&p, &q));
    assert_int_equal(st_params_format(&q, &again, &size2), ST_OK);
    assert_int_equal(size, size2);
    assert_memory_equal(text, again, size);
    /* one line per row, in table order */
    size_t lines = 0;
    for (size_t i = 0; i < size; i++)
        lines += text[i] == '\n';
    assert_int_equal(lines, st_param_count());
    assert_int_equal(strncmp(text, st_param_info_at(0)->name, strlen(st_param_info_at(0)->name)), 0);

    /* st_params_write gives the same bytes */
    FILE *fp = tmpfile();
    assert_non_null(fp);
    assert_int_equal(st_params_write(&p, fp), ST_OK);
    rewind(fp);
    char *read = malloc(size + 16);
    assert_non_null(read);
    assert_int_equal(fread(read, 1, size + 16, fp), size);
    assert_memory_equal(read, text, size);
    fclose(fp);
    free(read);
    free(text);
    free(again);
}

/* Parses text and expects failure at line `line` with `needle`. */
static void expect_parse_error(const char *text, size_t line, const char *needle)
{
    st_params p, before;
    st_params_default(&p);
    p.seed = 77;
    before = p;
    st_diag diag;
    st_diag_clear(&diag);
    assert_int_equal(st_params_parse(text, strlen(text), "params.tsv", &p, &diag), ST_ERR_MODEL);
    assert_true(st_params_equal(&p, &before));
    assert_string_equal(diag.file, "params.tsv");
    assert_int_equal(diag.line, line);
    if (strstr(diag.message, needle) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", diag.message, needle);
}

static void test_parse(void **state)
{
    (void)state;
    expect_parse_error("kernel\tlinear\nbogus\t1\n", 2, "unknown parameter \"bogus\"");
    expect_parse_error("seed\t1\nseed\t2\n", 2, "given twice");
    expect_parse_error("seed 1\n", 1, "name<TAB>value");
    expect_parse_error("folds\t1\n", 1, "out of range");
    expect_parse_error("folds\t5\n\n", 2, "name<TAB>value");
    expect_parse_error("negation-window\t3\n", 1, "unknown parameter"); /* the file uses names */
    expect_parse_error("kernel\tlinear\textra\n", 1, "not one of");

    /* A missing row keeps its default; CRLF and a last line without LF are fine. */
    st_params p, d;
    st_params_default(&d);
    st_params_default(&p);
    const char *text = "seed\t9\r\nngram\t3";
    assert_int_equal(st_params_parse(text, strlen(text), NULL, &p, NULL), ST_OK);
    assert_int_equal(p.seed, 9);
    assert_int_equal(p.ngram, 3);
    assert_int_equal(p.folds, d.folds);
    /* empty text: the defaults */
    p.seed = 5;
    assert_int_equal(st_params_parse("", 0, NULL, &p, NULL), ST_OK);
    assert_true(st_params_equal(&p, &d));
    /* NUL inside */
    const char nul[] = "seed\t1\0\n";
    assert_int_equal(st_params_parse(nul, sizeof nul - 1, NULL, &p, NULL), ST_ERR_MODEL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_valid),
        cmocka_unit_test(test_names_and_options),
        cmocka_unit_test(test_set_validates),
        cmocka_unit_test(test_value_text),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_parse),
    };
    return cmocka_run_group_tests_name("params", tests, NULL, NULL);
}
