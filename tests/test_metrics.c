/*
 * test_metrics.c - confusion matrix and the figures derived from it.
 *
 * The expected values were computed with the formulas of
 * ../shared/tools/score-labels (Python floats); the doubles must agree
 * exactly, and the table must show the same 3-decimal roundings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "st_metrics.h"

/* rows gold, columns predicted */
static const size_t example[3][3] = {{40, 3, 2}, {5, 50, 3}, {6, 11, 37}};

static void fill(st_metrics *m, const size_t c[3][3])
{
    st_metrics_clear(m);
    for (int g = 0; g < 3; g++)
        for (int p = 0; p < 3; p++)
            for (size_t k = 0; k < c[g][p]; k++)
                st_metrics_add(m, g, p);
}

static void test_counts(void **state)
{
    (void)state;
    st_metrics m;
    fill(&m, example);
    assert_int_equal(st_metrics_total(&m), 157);
    assert_int_equal(st_metrics_correct(&m), 127);
    assert_int_equal(st_metrics_match(&m, 0), 40);
    assert_int_equal(st_metrics_predicted(&m, 0), 51);
    assert_int_equal(st_metrics_support(&m, 0), 45);
    assert_int_equal(st_metrics_predicted(&m, 2), 42);
    assert_int_equal(st_metrics_support(&m, 2), 54);
    /* out of range is ignored */
    st_metrics_add(&m, 3, 0);
    st_metrics_add(&m, 0, -1);
    assert_int_equal(st_metrics_total(&m), 157);
    assert_int_equal(st_metrics_support(&m, 7), 0);
}

/* Exactly Python's doubles (printed with repr). */
static void test_figures_match_score_labels(void **state)
{
    (void)state;
    st_metrics m;
    fill(&m, example);
    assert_true(st_metrics_precision(&m, 0) == 0.7843137254901961);
    assert_true(st_metrics_recall(&m, 0) == 0.8888888888888888);
    assert_true(st_metrics_f1(&m, 0) == 0.8333333333333334);
    assert_true(st_metrics_precision(&m, 1) == 0.78125);
    assert_true(st_metrics_recall(&m, 1) == 0.8620689655172413);
    assert_true(st_metrics_f1(&m, 1) == 0.8196721311475409);
    assert_true(st_metrics_precision(&m, 2) == 0.8809523809523809);
    assert_true(st_metrics_recall(&m, 2) == 0.6851851851851852);
    assert_true(st_metrics_f1(&m, 2) == 0.7708333333333335);
    assert_true(st_metrics_macro_f1(&m) == 0.8079462659380692);
    assert_true(st_metrics_accuracy(&m) == 0.8089171974522293);
}

static void test_empty_and_degenerate(void **state)
{
    (void)state;
    st_metrics m;
    st_metrics_clear(&m);
    assert_true(st_metrics_accuracy(&m) == 0.0);
    assert_true(st_metrics_macro_f1(&m) == 0.0);
    /* Everything predicted neutral: the other labels have P = 0 (nothing
     * predicted), R = 0, F1 = 0, and still count in the macro mean. */
    static const size_t all_neutral[3][3] = {{0, 0, 5}, {0, 0, 5}, {0, 0, 10}};
    fill(&m, all_neutral);
    assert_true(st_metrics_precision(&m, 0) == 0.0);
    assert_true(st_metrics_f1(&m, 0) == 0.0);
    assert_true(st_metrics_precision(&m, 2) == 0.5);
    assert_true(st_metrics_recall(&m, 2) == 1.0);
    assert_true(st_metrics_macro_f1(&m) == (2 * 0.5 * 1.0 / 1.5) / 3);
    assert_true(st_metrics_accuracy(&m) == 0.5);
    /* A label without support in the data still counts (F1 0). */
    static const size_t no_threats[3][3] = {{0, 0, 0}, {0, 4, 0}, {0, 0, 4}};
    fill(&m, no_threats);
    assert_true(st_metrics_macro_f1(&m) == 2.0 / 3);
}

static void test_merge(void **state)
{
    (void)state;
    st_metrics a, b;
    fill(&a, example);
    fill(&b, example);
    st_metrics_merge(&a, &b);
    assert_int_equal(st_metrics_total(&a), 314);
    assert_int_equal(a.confusion[2][1], 22);
}

static char *capture_table(const st_metrics *m, int indent)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *fp = open_memstream(&buf, &size);
    assert_non_null(fp);
    assert_int_equal(st_metrics_write_table(m, fp, indent), ST_OK);
    fclose(fp);
    return buf;
}

static void test_table(void **state)
{
    (void)state;
    st_metrics m;
    fill(&m, example);
    char *text = capture_table(&m, 0);
    assert_string_equal(text,
                        "Performance by label (#match, #model, #ref) (precision, recall, F1):\n"
                        "    threatening: (40, 51, 45) (0.784, 0.889, 0.833)\n"
                        "    conciliatory: (50, 64, 58) (0.781, 0.862, 0.820)\n"
                        "    neutral: (37, 42, 54) (0.881, 0.685, 0.771)\n"
                        "Macro-average precision, recall, F1: (0.816, 0.812, 0.808)\n"
                        "Accuracy: 127 / 157 (0.809)\n"
                        "Macro-F1: 0.808\n"
                        "Confusion matrix (rows gold, columns predicted):\n"
                        "                  threatening conciliatory      neutral\n"
                        "     threatening           40            3            2\n"
                        "    conciliatory            5           50            3\n"
                        "         neutral            6           11           37\n");
    free(text);
    text = capture_table(&m, 2);
    assert_true(strncmp(text, "  Performance by label", 22) == 0);
    assert_non_null(strstr(text, "\n  Accuracy: 127 / 157 (0.809)\n"));
    free(text);
}

static void test_json(void **state)
{
    (void)state;
    st_metrics m;
    fill(&m, example);
    char *buf = NULL;
    size_t size = 0;
    FILE *fp = open_memstream(&buf, &size);
    assert_non_null(fp);
    assert_int_equal(st_metrics_write_json(&m, fp, 4), ST_OK);
    fclose(fp);
    json_error_t err;
    json_t *o = json_loads(buf, 0, &err);
    if (!o)
        fail_msg("not JSON: %s: %s", err.text, buf);
    assert_int_equal(json_integer_value(json_object_get(o, "rows")), 157);
    assert_int_equal(json_integer_value(json_object_get(o, "correct")), 127);
    assert_true(json_real_value(json_object_get(o, "macro_f1")) == 0.807946);
    json_t *neutral = json_object_get(json_object_get(o, "labels"), "neutral");
    assert_true(json_real_value(json_object_get(neutral, "recall")) == 0.685185);
    assert_int_equal(json_integer_value(json_object_get(neutral, "support")), 54);
    json_t *row = json_array_get(json_object_get(o, "confusion"), 2);
    assert_int_equal(json_integer_value(json_array_get(row, 1)), 11);
    json_decref(o);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_figures_match_score_labels),
        cmocka_unit_test(test_empty_and_degenerate),
        cmocka_unit_test(test_merge),
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
