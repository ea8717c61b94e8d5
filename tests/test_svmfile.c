/*
 * test_svmfile.c - the strict reader of libsvm's model text.
 *
 * A small valid model, then one change at a time: every change is
 * refused with ST_ERR_MODEL, the line it is on and a message saying what
 * is wrong (each of them once made, or could make, svm_load_model read or
 * write out of bounds, or would be read by it differently from what was
 * written).  The fuzz regression inputs of tests/fuzz/regressions/
 * fuzz_bundle/ (model.svm after their first byte) are refused too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "st_svmfile.h"

static const char valid[] = "svm_type c_svc\n"
                            "kernel_type linear\n"
                            "nr_class 3\n"
                            "total_sv 4\n"
                            "rho 0.5 -0.25 1e-3\n"
                            "label 0 1 2\n"
                            "probA -3.5 -3.25 -3\n"
                            "probB 0.1 0 -0.05\n"
                            "nr_sv 2 1 1\n"
                            "SV\n"
                            "1 0 1:0.5 7:0.25 \n"
                            "0.5 0.25 2:1 \n"
                            "-1 1 3:-0.75 9:1E2 10:.5 \n"
                            "0 -1 \n";

static st_status parse(const char *text, struct svm_model **m, st_diag *diag)
{
    st_diag_clear(diag);
    return st_svmfile_parse(text, strlen(text), 3, 10, m, diag);
}

static void test_valid(void **state)
{
    (void)state;
    struct svm_model *m = NULL;
    st_diag diag;
    assert_int_equal(parse(valid, &m, &diag), ST_OK);
    assert_int_equal(m->nr_class, 3);
    assert_int_equal(m->l, 4);
    assert_int_equal(m->param.kernel_type, LINEAR);
    assert_true(m->rho[2] == 1e-3);
    assert_true(m->probB[1] == 0);
    assert_int_equal(m->nSV[0], 2);
    assert_true(m->sv_coef[0][2] == -1 && m->sv_coef[1][2] == 1);
    assert_int_equal(m->SV[2][1].index, 9);
    assert_true(m->SV[2][1].value == 100);
    assert_true(m->SV[2][2].value == 0.5);
    assert_int_equal(m->SV[2][3].index, -1);
    assert_int_equal(m->SV[3][0].index, -1);
    assert_true(svm_check_probability_model(m));
    /* libsvm predicts with it and frees it. */
    struct svm_node x[] = {{1, 1.0}, {9, 0.5}, {-1, 0}};
    double prob[3];
    double label = svm_predict_probability(m, x, prob);
    assert_true(label >= 0 && label <= 2);
    svm_free_and_destroy_model(&m);

    /* Without probA/probB, and with an rbf kernel. */
    const char *rbf = "svm_type c_svc\nkernel_type rbf\ngamma 0.5\nnr_class 2\ntotal_sv 1\nrho 0\nlabel 2 0\n"
                      "nr_sv 0 1\nSV\n1 4:2\n";
    assert_int_equal(parse(rbf, &m, &diag), ST_OK);
    assert_int_equal(m->param.kernel_type, RBF);
    assert_true(m->param.gamma == 0.5);
    assert_null(m->probA);
    svm_free_and_destroy_model(&m);
}

/* valid with the first occurrence of `from` replaced by `to`. */
static char *edit(const char *from, const char *to)
{
    const char *at = strstr(valid, from);
    assert_non_null(at);
    size_t n = strlen(valid) - strlen(from) + strlen(to);
    char *s = malloc(n + 1);
    assert_non_null(s);
    size_t head = (size_t)(at - valid);
    memcpy(s, valid, head);
    memcpy(s + head, to, strlen(to));
    strcpy(s + head + strlen(to), at + strlen(from));
    return s;
}

static void refused(const char *from, const char *to, size_t line, const char *why)
{
    char *text = edit(from, to);
    struct svm_model *m = NULL;
    st_diag diag;
    st_status status = parse(text, &m, &diag);
    if (status != ST_ERR_MODEL || m != NULL)
        fail_msg("accepted with \"%s\" -> \"%s\"", from, to);
    if (diag.line != line || !strstr(diag.message, why))
        fail_msg("\"%s\" -> \"%s\": line %zu \"%s\", expected line %zu \"%s\"", from, to, diag.line,
                 diag.message, line, why);
    /* Folding the vectors into weights refuses it with the same words. */
    double w[3 * 11] = {0};
    int folded;
    st_diag fdiag;
    st_diag_clear(&fdiag);
    assert_int_equal(st_svmfile_parse_folded(text, strlen(text), 3, 10, w, &m, &folded, &fdiag), ST_ERR_MODEL);
    assert_null(m);
    assert_int_equal(fdiag.line, diag.line);
    assert_string_equal(fdiag.message, diag.message);
    free(text);
}

static void test_refused(void **state)
{
    (void)state;
    /* Keys: order, duplicates, unknown ones, values. */
    refused("nr_class 3\ntotal_sv 4\n", "nr_sv 2 1 1\nnr_class 3\ntotal_sv 4\n", 3, "expected \"nr_class\"");
    refused("rho 0.5 -0.25 1e-3\n", "rho 0.5 -0.25 1e-3\nrho 1 2 3\n", 6, "expected \"label\"");
    refused("svm_type c_svc", "svm_type nu_svc", 1, "only c_svc");
    refused("kernel_type linear", "kernel_type polynomial", 2, "only linear and rbf");
    refused("kernel_type linear\n", "kernel_type linear\ndegree 3\n", 3, "expected \"nr_class\"");
    refused("nr_class 3", "nr_class 4", 3, "not a whole number in 0..3");
    refused("nr_class 3", "nr_class 1", 3, "2 to 3 classes");
    refused("total_sv 4", "total_sv 0", 4, "total_sv is 0");
    refused("total_sv 4", "total_sv 99999999", 9, "nr_sv adds up to 4, total_sv is 99999999");
    refused("total_sv 4", "total_sv -4", 4, "not a whole number");
    refused("rho 0.5 -0.25 1e-3", "rho 0.5 -0.25", 5, "2 values, expected 3");
    refused("rho 0.5 -0.25 1e-3", "rho 0.5 -0.25 1e-3 4", 5, "more than 3 values");
    refused("rho 0.5", "rho nan", 5, "not a finite number");
    refused("rho 0.5", "rho inf", 5, "not a finite number");
    refused("rho 0.5", "rho 0x1p3", 5, "not a finite number");
    refused("rho 0.5", "rho 1e999", 5, "not a finite number");
    refused("rho 0.5", "rho  0.5", 5, "empty field");
    refused("rho 0.5", "rho\t0.5", 5, "expected \"rho\"");
    refused("label 0 1 2", "label 0 1 1", 6, "label 1 listed twice");
    refused("label 0 1 2", "label 0 1 3", 6, "not a whole number in 0..2");
    refused("probB 0.1 0 -0.05\n", "", 8, "expected \"probB\"");
    refused("nr_sv 2 1 1", "nr_sv 2 1 2", 9, "adds up to 5, total_sv is 4");
    refused("nr_sv 2 1 1", "nr_sv 2 1", 9, "2 values, expected 3");
    refused("SV\n", "SV 1\n", 10, "takes no value");
    /* Support vectors. */
    refused("1 0 1:0.5 7:0.25 \n", "1 0 7:0.5 1:0.25 \n", 11, "indices must increase");
    refused("1 0 1:0.5 7:0.25 \n", "1 0 1:0.5 1:0.25 \n", 11, "indices must increase");
    refused("1 0 1:0.5", "1 0 0:0.5", 11, "indices must increase");
    refused("1 0 1:0.5 7:0.25", "1 0 1:0.5 11:0.25", 11, "outside the vocabulary (1..10)");
    refused("1 0 1:0.5", "1 0 1:nan", 11, "feature value \"nan\"");
    refused("1 0 1:0.5", "1 0 1:0.5:3", 11, "feature value \"0.5:3\"");
    refused("1 0 1:0.5", "1 0 x:0.5", 11, "not INDEX:VALUE");
    refused("1 0 1:0.5", "1 0 -1:0.5", 11, "not INDEX:VALUE");
    refused("1 0 1:0.5", "1 1:0.5", 11, "coefficient \"1:0.5\"");
    refused("0.5 0.25 2:1 \n", "0.5\n", 12, "starts with 2 coefficients");
    refused("0.5 0.25 2:1", "0.5 0.25  2:1", 12, "empty field");
    refused("0 -1 \n", "", 14, "3 support vector lines, total_sv says 4");
    refused("0 -1 \n", "0 -1 \n1 1 2:1\n", 15, "text after the last");
    refused("0 -1 \n", "0 -1 ", 14, "no newline");
    refused("0 -1 \n", "0 -1 \n\n", 15, "text after the last");
}

/*
 * The fast forms of the node reader (up to ten index digits and "0."
 * values, read eight bytes at a time) against strtod: every length of
 * index and fraction, at the end of a line and before a space, and the
 * forms that must fall back (more digits, other shapes) read the same.
 */
static void test_nodes_as_strtod(void **state)
{
    (void)state;
    static const char *const values[] = {
        "0.", "0.5", "0.25", "0.123", "0.2358", "0.23586", "0.235863", "0.2358639", "0.23586393",
        "0.235863931", "0.0494548812", "0.12345678901", "0.999999999999", "0.1234567890123",
        "0.12345678901234", "0.123456789012345", "0.1234567890123456", "0.00000001", "0.000000000000001",
        "0.99999999", "1", "1.5", "0.5e-3", "0.50E2", "10.25", "0.0", "0.00", "0.10000000"};
    const size_t nv = sizeof values / sizeof values[0];
    char text[8192];
    /* One vector per value; index i + j * 1111111 has 1 to 10 digits. */
    int n = snprintf(text, sizeof text,
                     "svm_type c_svc\nkernel_type linear\nnr_class 2\ntotal_sv %zu\nrho 0\nlabel 0 1\n"
                     "nr_sv %zu 0\nSV\n",
                     nv, nv);
    long indices[] = {7, 42, 999, 1234, 98765, 123456, 7654321, 12345678, 123456789, 2147483647};
    for (size_t i = 0; i < nv; i++) {
        n += snprintf(text + n, sizeof text - (size_t)n, "1");
        for (size_t j = 0; j < sizeof indices / sizeof indices[0]; j++)
            n += snprintf(text + n, sizeof text - (size_t)n, " %ld:%s", indices[j], values[(i + j) % nv]);
        n += snprintf(text + n, sizeof text - (size_t)n, i % 2 ? " \n" : "\n");
    }
    assert_true((size_t)n < sizeof text);
    struct svm_model *m = NULL;
    st_diag diag;
    st_diag_clear(&diag);
    if (st_svmfile_parse(text, (size_t)n, 3, (size_t)INT32_MAX, &m, &diag) != ST_OK)
        fail_msg("line %zu: %s", diag.line, diag.message);
    for (size_t i = 0; i < nv; i++) {
        size_t j = 0;
        for (; j < sizeof indices / sizeof indices[0]; j++) {
            const struct svm_node *x = &m->SV[i][j];
            assert_int_equal(x->index, indices[j]);
            double want = strtod(values[(i + j) % nv], NULL);
            if (memcmp(&x->value, &want, sizeof want) != 0)
                fail_msg("\"%s\": %.17g, strtod %.17g", values[(i + j) % nv], x->value, want);
        }
        assert_int_equal(m->SV[i][j].index, -1);
    }
    svm_free_and_destroy_model(&m);
    /* An index of eleven digits, a value with a stray byte: refused. */
    const char *bad[] = {"1 12345678901:0.5\n", "1 5:0.23586393x\n", "1 5:0.2358639\t\n", "1 123456789:\n",
                         "1 12345678:0.2 12345678:0.1\n"};
    const char *why[] = {"not INDEX:VALUE", "feature value", "feature value", "feature value", "must increase"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        n = snprintf(text, sizeof text,
                     "svm_type c_svc\nkernel_type linear\nnr_class 2\ntotal_sv 1\nrho 0\nlabel 0 1\n"
                     "nr_sv 1 0\nSV\n%s",
                     bad[i]);
        st_diag_clear(&diag);
        assert_int_equal(st_svmfile_parse(text, (size_t)n, 3, (size_t)INT32_MAX, &m, &diag), ST_ERR_MODEL);
        if (diag.line != 9 || !strstr(diag.message, why[i]))
            fail_msg("\"%s\": line %zu \"%s\"", bad[i], diag.line, diag.message);
    }
}

/* The weights made the long way: every kept vector, pair by pair. */
static double *weights_from_vectors(const struct svm_model *s, size_t max_index)
{
    int k = s->nr_class;
    size_t npairs = (size_t)k * (size_t)(k - 1) / 2;
    double *w = calloc(npairs * (max_index + 1), sizeof *w);
    assert_non_null(w);
    int start[16];
    start[0] = 0;
    for (int i = 1; i < k; i++)
        start[i] = start[i - 1] + s->nSV[i - 1];
    size_t p = 0;
    for (int i = 0; i < k; i++) {
        for (int j = i + 1; j < k; j++, p++) {
            for (int t = 0; t < s->nSV[i]; t++)
                for (const struct svm_node *n = s->SV[start[i] + t]; n->index != -1; n++)
                    w[(size_t)n->index * npairs + p] += s->sv_coef[j - 1][start[i] + t] * n->value;
            for (int t = 0; t < s->nSV[j]; t++)
                for (const struct svm_node *n = s->SV[start[j] + t]; n->index != -1; n++)
                    w[(size_t)n->index * npairs + p] += s->sv_coef[i][start[j] + t] * n->value;
        }
    }
    return w;
}

/* text folded and read whole: the same header, the same weights to the bit. */
static void check_folded(const char *text, size_t size, int max_class, size_t max_index)
{
    struct svm_model *whole = NULL, *head = NULL;
    st_diag diag;
    st_diag_clear(&diag);
    if (st_svmfile_parse(text, size, max_class, max_index, &whole, &diag) != ST_OK)
        fail_msg("line %zu: %s", diag.line, diag.message);
    size_t maxpairs = (size_t)max_class * (size_t)(max_class - 1) / 2;
    double *folded = calloc(maxpairs * (max_index + 1), sizeof *folded);
    assert_non_null(folded);
    int was_folded = -1;
    assert_int_equal(st_svmfile_parse_folded(text, size, max_class, max_index, folded, &head, &was_folded, &diag),
                     ST_OK);
    assert_int_equal(was_folded, 1);
    assert_null(head->SV);
    assert_null(head->sv_coef);
    assert_int_equal(head->nr_class, whole->nr_class);
    assert_int_equal(head->l, whole->l);
    int k = whole->nr_class;
    size_t npairs = (size_t)k * (size_t)(k - 1) / 2;
    for (int i = 0; i < k; i++) {
        assert_int_equal(head->label[i], whole->label[i]);
        assert_int_equal(head->nSV[i], whole->nSV[i]);
    }
    for (size_t p = 0; p < npairs; p++)
        assert_memory_equal(&head->rho[p], &whole->rho[p], sizeof(double));
    double *want = weights_from_vectors(whole, max_index);
    assert_memory_equal(folded, want, npairs * (max_index + 1) * sizeof(double));
    free(want);
    free(folded);
    svm_free_and_destroy_model(&head);
    svm_free_and_destroy_model(&whole);
}

static void test_folded(void **state)
{
    (void)state;
    check_folded(valid, strlen(valid), 3, 10);
    /* Two classes, the first with no vectors of its own. */
    const char *two = "svm_type c_svc\nkernel_type linear\nnr_class 2\ntotal_sv 3\nrho 0.5\nlabel 1 0\n"
                      "nr_sv 0 3\nSV\n0.5 1:0.25 3:0.5\n-1 2:1\n0.125 1:0.75 2:0.5 3:0.25\n";
    check_folded(two, strlen(two), 3, 4);
    /* The default model (the weights classify predicts with). */
    FILE *fp = fopen("models/default/model.svm", "rb");
    assert_non_null(fp);
    size_t cap = 1 << 22, size = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    size_t got;
    while ((got = fread(text + size, 1, cap - size, fp)) > 0) {
        size += got;
        if (size == cap) {
            cap *= 2;
            text = realloc(text, cap);
            assert_non_null(text);
        }
    }
    fclose(fp);
    check_folded(text, size, 3, 1u << 20);
    free(text);
    /* An rbf model is not folded: the weights stay untouched. */
    const char *rbf = "svm_type c_svc\nkernel_type rbf\ngamma 0.5\nnr_class 2\ntotal_sv 1\nrho 0\nlabel 1 0\n"
                      "nr_sv 0 1\nSV\n1 4:2\n";
    double w[3 * 11] = {0};
    struct svm_model *m = NULL;
    int was_folded = -1;
    st_diag diag;
    assert_int_equal(st_svmfile_parse_folded(rbf, strlen(rbf), 3, 10, w, &m, &was_folded, &diag), ST_OK);
    assert_int_equal(was_folded, 0);
    assert_non_null(m->SV);
    assert_true(m->SV[0][0].value == 2 && w[4 * 1] == 0);
    svm_free_and_destroy_model(&m);
    /* Folded or not, a fault is the same fault. */
    const char *broken = "svm_type c_svc\nkernel_type linear\nnr_class 2\ntotal_sv 2\nrho 0\nlabel 1 0\n"
                         "nr_sv 1 1\nSV\n1 2:0.5 1:0.5\n-1 1:1\n";
    double w2[3 * 11] = {0};
    st_diag d2;
    st_diag_clear(&diag);
    st_diag_clear(&d2);
    assert_int_equal(st_svmfile_parse(broken, strlen(broken), 3, 10, &m, &diag), ST_ERR_MODEL);
    assert_int_equal(st_svmfile_parse_folded(broken, strlen(broken), 3, 10, w2, &m, &was_folded, &d2), ST_ERR_MODEL);
    assert_null(m);
    assert_int_equal(diag.line, d2.line);
    assert_string_equal(diag.message, d2.message);
}

/* A huge total_sv with a matching nr_sv: refused before any allocation. */
static void test_huge_counts(void **state)
{
    (void)state;
    const char *text = "svm_type c_svc\nkernel_type linear\nnr_class 2\ntotal_sv 2000000000\nrho 0\n"
                       "label 0 1\nnr_sv 1000000000 1000000000\nSV\n1 1:1\n";
    struct svm_model *m = NULL;
    st_diag diag;
    assert_int_equal(parse(text, &m, &diag), ST_ERR_MODEL);
    assert_non_null(strstr(diag.message, "cannot hold that many lines"));
}

/* The fuzz inputs that crashed svm_load_model (model.svm after byte 0). */
static void test_fuzz_regressions(void **state)
{
    (void)state;
    const char *files[] = {"tests/fuzz/regressions/fuzz_bundle/libsvm-nr-sv-before-nr-class",
                           "tests/fuzz/regressions/fuzz_bundle/libsvm-total-sv-without-sv-lines"};
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        FILE *fp = fopen(files[f], "rb");
        assert_non_null(fp);
        char buf[4096];
        size_t n = fread(buf, 1, sizeof buf, fp);
        fclose(fp);
        assert_true(n > 1);
        struct svm_model *m = NULL;
        st_diag diag;
        st_diag_clear(&diag);
        assert_int_equal(st_svmfile_parse(buf + 1, n - 1, 3, 100, &m, &diag), ST_ERR_MODEL);
        assert_null(m);
        assert_true(diag.message[0] != '\0');
    }
}

/* The header alone: the same header as the whole parse, no vectors, and
 * the vectors neither read nor checked; a bad header is still refused. */
static void test_header_only(void **state)
{
    (void)state;
    struct svm_model *whole = NULL, *head = NULL;
    st_diag diag;
    assert_int_equal(parse(valid, &whole, &diag), ST_OK);
    st_diag_clear(&diag);
    assert_int_equal(st_svmfile_parse_header(valid, strlen(valid), 3, &head, &diag), ST_OK);
    assert_int_equal(head->nr_class, whole->nr_class);
    assert_int_equal(head->l, whole->l);
    assert_int_equal(head->param.kernel_type, LINEAR);
    for (int p = 0; p < 3; p++) {
        assert_memory_equal(&head->rho[p], &whole->rho[p], sizeof(double));
        assert_memory_equal(&head->probA[p], &whole->probA[p], sizeof(double));
        assert_memory_equal(&head->probB[p], &whole->probB[p], sizeof(double));
    }
    for (int i = 0; i < 3; i++) {
        assert_int_equal(head->label[i], whole->label[i]);
        assert_int_equal(head->nSV[i], whole->nSV[i]);
    }
    assert_null(head->SV);
    assert_null(head->sv_coef);
    svm_free_and_destroy_model(&head);
    svm_free_and_destroy_model(&whole);
    /* Vectors cut short: the whole parse refuses, the header does not. */
    size_t cut = (size_t)(strstr(valid, "0.5 0.25") - valid);
    assert_int_equal(st_svmfile_parse(valid, cut, 3, 10, &whole, &diag), ST_ERR_MODEL);
    assert_null(whole);
    assert_int_equal(st_svmfile_parse_header(valid, cut, 3, &head, &diag), ST_OK);
    svm_free_and_destroy_model(&head);
    /* A header cut before "SV" is refused. */
    cut = (size_t)(strstr(valid, "nr_sv") - valid);
    st_diag_clear(&diag);
    assert_int_equal(st_svmfile_parse_header(valid, cut, 3, &head, &diag), ST_ERR_MODEL);
    assert_null(head);
    assert_non_null(strstr(diag.message, "nr_sv"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_nodes_as_strtod),
        cmocka_unit_test(test_folded),
        cmocka_unit_test(test_huge_counts),
        cmocka_unit_test(test_fuzz_regressions),
        cmocka_unit_test(test_header_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
