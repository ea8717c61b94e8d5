/*
 * test_model.c - training, the model bundle and prediction.
 *
 * Runs from the repository root: trains small models on
 * tests/fixtures/model/tiny.tsv with the lexicon of training-data/, saves
 * them under a temporary directory, and checks that
 *  - a saved and reloaded bundle predicts exactly as the trained model;
 *  - training twice with the same seed gives byte-identical bundles;
 *  - any byte altered, a file truncated or missing, another format
 *    version, or a directory that is no bundle is refused with a message
 *    naming the file;
 *  - saving replaces a bundle atomically and refuses anything else;
 *  - explanations and the training report hold what they promise;
 *  - the linear fast path gives libsvm's decision values and probabilities
 *    (within 1e-9) on every row of tiny.tsv and of the holdout, on the
 *    default model with training-data/test.tsv, and on random sparse
 *    vectors, for three classes and for two;
 *  - model.svm read by st_svmfile_parse is the model svm_load_model reads;
 *  - liblinear trains the same kind of bundle (pairwise weight vectors in
 *    model.svm), which reloads, explains and matches libsvm's functions;
 *  - one fold worker or four give byte-identical bundles, with either
 *    solver.
 */
#define _GNU_SOURCE /* mkdtemp, nftw */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "st_dataset.h"
#include "st_model.h"
#include "st_sha256.h"
#include "st_svmfile.h"
#include "st_train.h"
#include "st_weights.h"
#include "test_stride.h"

#define LEXICON_DIR "training-data/lexicon"
#define TINY "tests/fixtures/model/tiny.tsv"
#define HOLDOUT "tests/fixtures/model/holdout.tsv"

typedef struct fixture {
    char root[64];        /* temporary directory for bundles */
    st_lexicon *lex;
    st_dataset *data;
    st_dataset *holdout;
    st_model *trained;    /* trained in memory */
    char bundle[128];     /* trained, saved here */
} fixture;

static fixture fx;

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

static char *path_join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *s = malloc(n);
    assert_non_null(s);
    snprintf(s, n, "%s/%s", a, b);
    return s;
}

static char *slurp(const char *path, size_t *size)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    size_t got;
    while ((got = fread(buf + len, 1, cap - len, fp)) > 0) {
        len += got;
        if (len == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
    }
    fclose(fp);
    *size = len;
    return buf;
}

static void spit(const char *path, const char *data, size_t size)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, size, fp), size);
    assert_int_equal(fclose(fp), 0);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void remove_tree(const char *path)
{
    nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Copies a bundle (files and the lexicon/ directory) to `to`. */
static void copy_bundle(const char *from, const char *to)
{
    assert_int_equal(mkdir(to, 0755), 0);
    DIR *d = opendir(from);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char *src = path_join(from, e->d_name), *dst = path_join(to, e->d_name);
        struct stat st;
        assert_int_equal(stat(src, &st), 0);
        if (S_ISDIR(st.st_mode)) {
            copy_bundle(src, dst);
        } else {
            size_t size;
            char *data = slurp(src, &size);
            assert_non_null(data);
            spit(dst, data, size);
            free(data);
        }
        free(src);
        free(dst);
    }
    closedir(d);
}

/* The file names a bundle's MANIFEST lists. */
static size_t manifest_names(const char *bundle, char names[32][64])
{
    char *mpath = path_join(bundle, "MANIFEST");
    size_t size;
    char *text = slurp(mpath, &size);
    assert_non_null(text);
    size_t n = 0;
    char *save = NULL;
    text = realloc(text, size + 1);
    text[size] = '\0';
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (strlen(line) > 66 && line[64] == ' ' && line[65] == ' ') {
            assert_true(n < 32);
            snprintf(names[n++], 64, "%s", line + 66);
        }
    }
    free(text);
    free(mpath);
    return n;
}

static int files_equal(const char *a, const char *b)
{
    size_t na, nb;
    char *da = slurp(a, &na), *db = slurp(b, &nb);
    int same = da && db && na == nb && memcmp(da, db, na) == 0;
    free(da);
    free(db);
    return same;
}

static st_status train(const st_params *params, const st_dataset *holdout, st_model **model,
                       st_train_report *report, st_diag *diag)
{
    st_train_options o = {.params = params, .lexicon = fx.lex, .holdout = holdout};
    return st_train(fx.data, &o, model, report, diag);
}

/* Loads `dir` expecting failure; the message must hold `what`. */
static void expect_refused(const char *dir, const char *what)
{
    st_model *m = NULL;
    st_diag diag;
    st_diag_clear(&diag);
    st_status s = st_model_load(dir, &m, &diag);
    if (s == ST_OK)
        fail_msg("%s loaded, expected \"%s\"", dir, what);
    assert_int_equal(s, ST_ERR_MODEL);
    assert_null(m);
    if (!strstr(diag.message, what))
        fail_msg("message \"%s\" lacks \"%s\"", diag.message, what);
}

/* ------------------------------------------------------------------ */

static int setup(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR");
    snprintf(fx.root, sizeof fx.root, "%s/stance-model-test.XXXXXX", tmp && strlen(tmp) < 30 ? tmp : "/tmp");
    if (!mkdtemp(fx.root))
        return -1;
    st_diag diag;
    if (st_lexicon_load(LEXICON_DIR, &fx.lex, &diag) != ST_OK)
        return -1;
    if (st_dataset_new(&fx.data) != ST_OK || st_dataset_new(&fx.holdout) != ST_OK)
        return -1;
    if (st_dataset_read_file(fx.data, TINY, ST_DATASET_LABELLED, &diag) != ST_OK ||
        st_dataset_read_file(fx.holdout, HOLDOUT, ST_DATASET_LABELLED, &diag) != ST_OK)
        return -1;
    st_params params;
    st_params_default(&params);
    st_train_report report;
    if (train(&params, fx.holdout, &fx.trained, &report, &diag) != ST_OK) {
        fprintf(stderr, "train: %s\n", diag.message);
        return -1;
    }
    st_train_report_clear(&report);
    snprintf(fx.bundle, sizeof fx.bundle, "%s/tiny", fx.root);
    if (st_model_save(fx.trained, fx.bundle, &diag) != ST_OK) {
        fprintf(stderr, "save: %s\n", diag.message);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    st_model_free(fx.trained);
    st_dataset_free(fx.data);
    st_dataset_free(fx.holdout);
    st_lexicon_free(fx.lex);
    remove_tree(fx.root);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Tests                                                               */

static void test_bundle_layout(void **state)
{
    (void)state;
    char names[32][64];
    size_t n = manifest_names(fx.bundle, names);
    static const char *const expected[] = {
        "VERSION", "labels", "params.tsv", "vocab.tsv", "model.svm", "weights.bin", "lexicon/threat.tsv",
        "lexicon/conciliation.tsv", "lexicon/negators.tsv", "lexicon/intensifiers.tsv",
        "lexicon/downtoners.tsv", "lexicon/conditionals.tsv", "lexicon/hedges.tsv",
        "lexicon/attribution-verbs.tsv", "metrics.json",
    };
    assert_int_equal(n, sizeof expected / sizeof expected[0]);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(names[i], expected[i]);
        char *p = path_join(fx.bundle, names[i]);
        size_t size;
        char *data = slurp(p, &size);
        assert_non_null(data);
        free(data);
        free(p);
    }
    char *p = path_join(fx.bundle, "VERSION");
    size_t size;
    char *data = slurp(p, &size);
    char want[64];
    snprintf(want, sizeof want, "stance-model-bundle %d\n", ST_MODEL_FORMAT_VERSION);
    assert_int_equal(size, strlen(want));
    assert_memory_equal(data, want, size);
    free(data);
    free(p);
    /* The lexicon copy is byte for byte the lexicon trained with. */
    char *a = path_join(fx.bundle, "lexicon/threat.tsv");
    assert_true(files_equal(a, LEXICON_DIR "/threat.tsv"));
    free(a);
    /* No temporary directory is left beside the bundle. */
    DIR *d = opendir(fx.root);
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        assert_null(strstr(e->d_name, ".tmp."));
    closedir(d);
}

static void test_reload_predicts_the_same(void **state)
{
    (void)state;
    st_model *loaded = NULL;
    st_diag diag;
    assert_int_equal(st_model_load(fx.bundle, &loaded, &diag), ST_OK);
    assert_true(st_params_equal(st_model_params(loaded), st_model_params(fx.trained)));
    assert_int_equal(st_vocab_size(st_model_vocab(loaded)), st_vocab_size(st_model_vocab(fx.trained)));
    assert_true(st_model_can_explain(loaded));
    st_extractor *x1 = NULL, *x2 = NULL;
    assert_int_equal(st_model_extractor_new(fx.trained, &x1), ST_OK);
    assert_int_equal(st_model_extractor_new(loaded, &x2), ST_OK);
    st_explanation e1 = {0}, e2 = {0};
    for (size_t i = 0; i < st_dataset_count(fx.holdout); i++) {
        const st_row *r = st_dataset_row(fx.holdout, i);
        st_example ex = {r->quote, r->quote_len, r->sentence, r->sentence_len};
        st_prediction p1, p2;
        assert_int_equal(st_model_predict(fx.trained, x1, &ex, &p1, 5, &e1), ST_OK);
        assert_int_equal(st_model_predict(loaded, x2, &ex, &p2, 5, &e2), ST_OK);
        assert_int_equal(p1.label, p2.label);
        double sum = 0.0;
        for (int l = 0; l < ST_LABEL_COUNT; l++) {
            assert_true(p1.probability[l] == p2.probability[l]);
            sum += p1.probability[l];
        }
        assert_true(sum > 0.999 && sum < 1.001);
        /* The label is the most probable one. */
        for (int l = 0; l < ST_LABEL_COUNT; l++)
            assert_true(p1.probability[p1.label] >= p1.probability[l]);
        assert_int_equal(e1.count, e2.count);
        for (size_t k = 0; k < e1.count; k++) {
            assert_string_equal(e1.items[k].name, e2.items[k].name);
            assert_true(e1.items[k].contribution == e2.items[k].contribution);
        }
    }
    st_explanation_clear(&e1);
    st_explanation_clear(&e2);
    st_extractor_free(x1);
    st_extractor_free(x2);
    st_model_free(loaded);
}

static void test_explanation(void **state)
{
    (void)state;
    st_extractor *x = NULL;
    assert_int_equal(st_model_extractor_new(fx.trained, &x), ST_OK);
    st_explanation e = {0};
    size_t nonempty = 0;
    for (size_t i = 0; i < st_dataset_count(fx.data); i++) {
        const st_row *r = st_dataset_row(fx.data, i);
        st_example ex = {r->quote, r->quote_len, r->sentence, r->sentence_len};
        st_prediction p;
        assert_int_equal(st_model_predict(fx.trained, x, &ex, &p, 3, &e), ST_OK);
        assert_true(e.count <= 3);
        nonempty += e.count > 0;
        for (size_t k = 0; k < e.count; k++) {
            assert_non_null(e.items[k].name);
            assert_true(st_vocab_find(st_model_vocab(fx.trained), e.items[k].name, strlen(e.items[k].name)) > 0);
            assert_true(e.items[k].contribution > 0.0);
            if (k)
                assert_true(e.items[k - 1].contribution >= e.items[k].contribution);
        }
    }
    assert_true(nonempty > st_dataset_count(fx.data) / 2);
    /* Without a request there is no explanation work, and NULL is fine. */
    const st_row *r = st_dataset_row(fx.data, 0);
    st_example ex = {r->quote, r->quote_len, NULL, 0};
    st_prediction p;
    assert_int_equal(st_model_predict(fx.trained, x, &ex, &p, 0, NULL), ST_OK);
    /* An empty quote gives a prediction too. */
    st_example empty = {"", 0, NULL, 0};
    assert_int_equal(st_model_predict(fx.trained, x, &empty, &p, 3, &e), ST_OK);
    assert_true(p.label >= 0 && p.label < ST_LABEL_COUNT);
    st_explanation_clear(&e);
    st_extractor_free(x);
}

static void test_reproducible(void **state)
{
    (void)state;
    st_params params;
    st_params_default(&params);
    st_model *again = NULL;
    st_train_report report;
    st_diag diag;
    assert_int_equal(train(&params, fx.holdout, &again, &report, &diag), ST_OK);
    st_train_report_clear(&report);
    char *dir = path_join(fx.root, "again");
    assert_int_equal(st_model_save(again, dir, &diag), ST_OK);
    st_model_free(again);
    char names[32][64];
    size_t n = manifest_names(fx.bundle, names);
    for (size_t i = 0; i < n; i++) {
        char *a = path_join(fx.bundle, names[i]), *b = path_join(dir, names[i]);
        if (!files_equal(a, b))
            fail_msg("%s differs between two runs with the same seed", names[i]);
        free(a);
        free(b);
    }
    char *a = path_join(fx.bundle, "MANIFEST"), *b = path_join(dir, "MANIFEST");
    assert_true(files_equal(a, b));
    free(a);
    free(b);

    /* Another seed draws other folds: the report (at least) differs. */
    params.seed = 7;
    assert_int_equal(train(&params, fx.holdout, &again, &report, &diag), ST_OK);
    st_train_report_clear(&report);
    char *dir2 = path_join(fx.root, "seed7");
    assert_int_equal(st_model_save(again, dir2, &diag), ST_OK);
    st_model_free(again);
    a = path_join(fx.bundle, "MANIFEST");
    b = path_join(dir2, "MANIFEST");
    assert_false(files_equal(a, b));
    free(a);
    free(b);
    remove_tree(dir);
    remove_tree(dir2);
    free(dir);
    free(dir2);
}

/* Every file: one byte altered, truncated, removed. */
static void test_damage_is_refused(void **state)
{
    (void)state;
    char names[32][64];
    size_t n = manifest_names(fx.bundle, names);
    char *copy = path_join(fx.root, "damaged");
    for (size_t i = 0; i < n; i++) {
        for (int how = 0; how < 3; how++) {
            copy_bundle(fx.bundle, copy);
            char *p = path_join(copy, names[i]);
            size_t size;
            char *data = slurp(p, &size);
            assert_non_null(data);
            char want[256];
            if (how == 0) {
                data[size / 2] ^= 0x01;
                spit(p, data, size);
                snprintf(want, sizeof want, "%s: checksum mismatch (file altered or truncated)", p);
            } else if (how == 1) {
                spit(p, data, size - 1);
                snprintf(want, sizeof want, "%s: checksum mismatch (file altered or truncated)", p);
            } else {
                assert_int_equal(unlink(p), 0);
                snprintf(want, sizeof want, "%s: missing from the bundle", p);
            }
            expect_refused(copy, want);
            free(data);
            free(p);
            remove_tree(copy);
        }
    }
    /* The manifest itself: any byte, truncation, or removal. */
    char *m = path_join(copy, "MANIFEST");
    size_t size;
    copy_bundle(fx.bundle, copy);
    char *data = slurp(m, &size);
    char want[256];
    snprintf(want, sizeof want, "%s: checksum mismatch (file altered or truncated)", m);
    for (size_t at = 0; at < size; at += 37) {
        data[at] ^= 0x04;
        spit(m, data, size);
        if (at < 19) /* the version tag: not a manifest at all */
            expect_refused(copy, "MANIFEST");
        else
            expect_refused(copy, want);
        data[at] ^= 0x04;
    }
    spit(m, data, size - 10);
    expect_refused(copy, want);
    unlink(m);
    expect_refused(copy, "not a model bundle (no MANIFEST)");
    free(data);
    free(m);
    remove_tree(copy);
    free(copy);
}

/* A bundle of another format version (the one before this build's: an
 * old bundle), consistent in itself. */
static void test_other_version(void **state)
{
    (void)state;
    const int other = ST_MODEL_FORMAT_VERSION - 1;
    assert_true(other >= 1 && other <= 9); /* one digit, rewritten in place below */
    char *copy = path_join(fx.root, "version-other");
    copy_bundle(fx.bundle, copy);
    char *v = path_join(copy, "VERSION"), *m = path_join(copy, "MANIFEST");
    char version[64];
    snprintf(version, sizeof version, "stance-model-bundle %d\n", other);
    spit(v, version, strlen(version));
    size_t size;
    char *text = slurp(m, &size);
    text = realloc(text, size + 1);
    text[size] = '\0';
    /* Rewrite: version line, VERSION's checksum, the self checksum. */
    assert_int_equal(text[strlen("stance-model-bundle ")], '0' + ST_MODEL_FORMAT_VERSION);
    text[strlen("stance-model-bundle ")] = (char)('0' + other);
    char hex[ST_SHA256_HEX_SIZE];
    st_sha256_hex(version, strlen(version), hex);
    char *line = strstr(text, "  VERSION\n");
    assert_non_null(line);
    memcpy(line - 64, hex, 64);
    char *last = strstr(text, "manifest ");
    st_sha256_hex(text, (size_t)(last - text), hex);
    memcpy(last + 9, hex, 64);
    spit(m, text, size);
    char want[256];
    snprintf(want, sizeof want, "%s: model bundle format version %d; this stance reads version %d", copy, other,
             ST_MODEL_FORMAT_VERSION);
    expect_refused(copy, want);
    free(text);
    free(v);
    free(m);
    remove_tree(copy);
    free(copy);
}

static void test_not_a_bundle(void **state)
{
    (void)state;
    char *none = path_join(fx.root, "nothing-here");
    expect_refused(none, "no model bundle here");
    char *file = path_join(fx.root, "plain-file");
    spit(file, "x", 1);
    expect_refused(file, "not a model bundle");
    char *empty = path_join(fx.root, "empty");
    assert_int_equal(mkdir(empty, 0755), 0);
    expect_refused(empty, "not a model bundle (no MANIFEST)");
    /* Trailing slashes name the same bundle. */
    char *slashed = path_join(fx.bundle, "");
    st_model *m = NULL;
    st_diag diag;
    assert_int_equal(st_model_load(slashed, &m, &diag), ST_OK);
    st_model_free(m);
    unlink(file);
    rmdir(empty);
    free(none);
    free(file);
    free(empty);
    free(slashed);
}

static void test_save_replaces_only_bundles(void **state)
{
    (void)state;
    st_diag diag;
    char *dir = path_join(fx.root, "replace");
    copy_bundle(fx.bundle, dir);
    char *extra = path_join(dir, "stale-file");
    spit(extra, "old", 3);
    /* Over an existing bundle: replaced whole (the stale file is gone). */
    assert_int_equal(st_model_save(fx.trained, dir, &diag), ST_OK);
    struct stat st;
    assert_int_not_equal(stat(extra, &st), 0);
    st_model *m = NULL;
    assert_int_equal(st_model_load(dir, &m, &diag), ST_OK);
    st_model_free(m);
    /* Over a directory that is not a bundle: refused, left alone. */
    char *other = path_join(fx.root, "not-a-bundle");
    assert_int_equal(mkdir(other, 0755), 0);
    char *keep = path_join(other, "keep.txt");
    spit(keep, "keep", 4);
    assert_int_equal(st_model_save(fx.trained, other, &diag), ST_ERR_USAGE);
    assert_non_null(strstr(diag.message, "exists and is not a model bundle"));
    assert_int_equal(stat(keep, &st), 0);
    /* Over a regular file: refused. */
    assert_int_equal(st_model_save(fx.trained, keep, &diag), ST_ERR_USAGE);
    /* Into a directory that does not exist: an I/O error, nothing left. */
    char *deep = path_join(fx.root, "no/such/dir");
    assert_int_equal(st_model_save(fx.trained, deep, &diag), ST_ERR_IO);
    /* An empty directory may be filled. */
    char *empty = path_join(fx.root, "empty-target");
    assert_int_equal(mkdir(empty, 0755), 0);
    assert_int_equal(st_model_save(fx.trained, empty, &diag), ST_OK);
    /* No temporary directories left anywhere. */
    DIR *d = opendir(fx.root);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strstr(e->d_name, ".tmp.") || strstr(e->d_name, ".old."))
            fail_msg("left behind: %s", e->d_name);
    }
    closedir(d);
    remove_tree(dir);
    remove_tree(other);
    remove_tree(empty);
    free(dir);
    free(extra);
    free(other);
    free(keep);
    free(deep);
    free(empty);
}

static void test_report(void **state)
{
    (void)state;
    st_params params;
    st_params_default(&params);
    params.grid = 1;
    st_model *m = NULL;
    st_train_report r;
    st_diag diag;
    assert_int_equal(train(&params, fx.holdout, &m, &r, &diag), ST_OK);
    assert_int_equal(r.rows, 90);
    assert_int_equal(r.label_rows[0], 30);
    assert_int_equal(r.folds, 5);
    assert_true(r.grid_count >= 3 && r.grid_count <= 6);
    assert_true(r.chosen < r.grid_count);
    for (size_t i = 0; i < r.grid_count; i++) {
        assert_int_equal(st_metrics_total(&r.grid[i].cv), 90);
        assert_true(st_metrics_macro_f1(&r.grid[i].cv) <= st_metrics_macro_f1(&r.grid[r.chosen].cv));
    }
    assert_true(r.c == r.grid[r.chosen].c);
    assert_true(st_params_equal(st_model_params(m), &params) == 0 || r.c == params.c);
    assert_true(st_model_params(m)->c == r.c);
    assert_int_equal(st_metrics_total(&r.cv), 90);
    assert_true(r.has_holdout);
    assert_int_equal(st_metrics_total(&r.holdout), 24);
    assert_true(r.features == st_vocab_size(st_model_vocab(m)));
    assert_true(r.holdout_unseen <= r.holdout_features);

    /* metrics.json: JSON, with the data version. */
    json_error_t err;
    json_t *o = json_loads(st_model_metrics(m), 0, &err);
    if (!o)
        fail_msg("metrics.json: %s", err.text);
    json_t *data = json_array_get(json_object_get(o, "data"), 0);
    assert_string_equal(json_string_value(json_object_get(data, "sha256")), st_dataset_file_sha256(fx.data, 0));
    assert_string_equal(json_string_value(json_object_get(data, "file")), TINY);
    assert_int_equal(json_integer_value(json_object_get(o, "rows")), 90);
    assert_true(json_is_object(json_object_get(o, "holdout")));
    assert_string_equal(json_string_value(json_object_get(json_object_get(o, "params"), "kernel")), "linear");
    json_decref(o);
    st_train_report_clear(&r);
    st_model_free(m);
}

static void test_rbf(void **state)
{
    (void)state;
    st_params params;
    st_params_default(&params);
    params.kernel = ST_KERNEL_RBF;
    st_model *m = NULL;
    st_train_report r;
    st_diag diag;
    assert_int_equal(train(&params, NULL, &m, &r, &diag), ST_OK);
    assert_false(r.has_holdout);
    assert_false(st_model_can_explain(m));
    assert_true(r.gamma > 0);
    char *dir = path_join(fx.root, "rbf");
    assert_int_equal(st_model_save(m, dir, &diag), ST_OK);
    st_model *loaded = NULL;
    assert_int_equal(st_model_load(dir, &loaded, &diag), ST_OK);
    st_extractor *x = NULL;
    assert_int_equal(st_model_extractor_new(loaded, &x), ST_OK);
    st_explanation e = {0};
    const st_row *row = st_dataset_row(fx.holdout, 0);
    st_example ex = {row->quote, row->quote_len, row->sentence, row->sentence_len};
    st_prediction p;
    assert_int_equal(st_model_predict(loaded, x, &ex, &p, 5, &e), ST_OK);
    assert_int_equal(e.count, 0);
    st_explanation_clear(&e);
    st_extractor_free(x);
    st_model_free(loaded);
    st_model_free(m);
    st_train_report_clear(&r);
    remove_tree(dir);
    free(dir);
}

static void test_training_errors(void **state)
{
    (void)state;
    st_params params;
    st_params_default(&params);
    st_dataset *one = NULL;
    st_diag diag;
    assert_int_equal(st_dataset_new(&one), ST_OK);
    const char *text = "label\tquote\nneutral\ta\nneutral\tb\nneutral\tc\nneutral\td\nneutral\te\n";
    FILE *fp = fmemopen((void *)text, strlen(text), "r");
    assert_int_equal(st_dataset_read(one, fp, "one.tsv", ST_DATASET_LABELLED, &diag), ST_OK);
    fclose(fp);
    st_train_options o = {.params = &params, .lexicon = fx.lex};
    st_model *m = NULL;
    st_train_report r;
    assert_int_equal(st_train(one, &o, &m, &r, &diag), ST_ERR_INPUT);
    assert_non_null(strstr(diag.message, "at least two labels"));
    assert_null(m);
    st_dataset_free(one);

    st_dataset *few = NULL;
    assert_int_equal(st_dataset_new(&few), ST_OK);
    text = "label\tquote\nneutral\ta\nthreatening\tb\n";
    fp = fmemopen((void *)text, strlen(text), "r");
    assert_int_equal(st_dataset_read(few, fp, "few.tsv", ST_DATASET_LABELLED, &diag), ST_OK);
    fclose(fp);
    assert_int_equal(st_train(few, &o, &m, &r, &diag), ST_ERR_INPUT);
    assert_non_null(strstr(diag.message, "5-fold cross-validation needs at least 5 rows"));
    st_dataset_free(few);
}


/* ------------------------------------------------------------------ */
/* The fast path against libsvm                                        */

#define DEFAULT_MODEL "models/default"
#define DEFAULT_TEST "training-data/test.tsv"

typedef struct compared {
    size_t vectors;
    double max_dec, max_prob; /* largest differences seen */
} compared;

/* One vector through both paths: decision values, probabilities, label. */
static void compare_vector(const st_model *m, const struct svm_node *x, compared *c)
{
    const struct svm_model *svm = st_model_svm(m);
    int k = svm->nr_class, pairs = k * (k - 1) / 2;
    double dec_lib[3], dec_fast[3], prob_lib[3], prob_fast[3];
    svm_predict_values(svm, x, dec_lib);
    st_model_decision_values(m, x, dec_fast);
    for (int p = 0; p < pairs; p++) {
        double d = fabs(dec_lib[p] - dec_fast[p]);
        if (d > c->max_dec)
            c->max_dec = d;
        if (!(d <= 1e-9))
            fail_msg("decision value %d: libsvm %.17g, fast path %.17g", p, dec_lib[p], dec_fast[p]);
    }
    double label = svm_predict_probability(svm, x, prob_lib);
    st_model_probabilities(svm, dec_fast, prob_fast);
    int best = 0;
    for (int i = 0; i < k; i++) {
        double d = fabs(prob_lib[i] - prob_fast[i]);
        if (d > c->max_prob)
            c->max_prob = d;
        if (!(d <= 1e-9))
            fail_msg("vector %zu, %d classes: probability %d: libsvm %.17g, fast path %.17g", c->vectors, k, i,
                     prob_lib[i], prob_fast[i]);
        if (prob_fast[i] > prob_fast[best])
            best = i;
    }
    /* The label: libsvm's, unless two probabilities tie within 1e-9. */
    int lib = -1;
    for (int i = 0; i < k; i++)
        if (svm->label[i] == (int)label)
            lib = i;
    assert_true(lib >= 0);
    if (lib != best)
        assert_true(fabs(prob_fast[lib] - prob_fast[best]) <= 1e-9);
    /* And st_model_predict_vector says the same. */
    st_prediction pred;
    assert_int_equal(st_model_predict_vector(m, x, &pred), ST_OK);
    if (pred.label != svm->label[lib])
        assert_true(fabs(prob_fast[lib] - prob_fast[best]) <= 1e-9);
    for (int i = 0; i < k; i++)
        assert_true(fabs(pred.probability[svm->label[i]] - prob_lib[i]) <= 1e-9);
    c->vectors++;
}

/* Every row of ds (every Nth with STANCE_TEST_STRIDE, test_stride.h) as
 * the model vectorises it. */
static void compare_rows(const st_model *m, const st_dataset *ds, compared *c)
{
    st_extractor *x = NULL;
    assert_int_equal(st_model_extractor_new(m, &x), ST_OK);
    st_vector v = {0};
    size_t stride = test_row_stride();
    for (size_t i = 0; i < st_dataset_count(ds); i += stride) {
        const st_row *r = st_dataset_row(ds, i);
        st_example ex = {r->quote, r->quote_len, r->sentence, r->sentence_len};
        assert_int_equal(st_extractor_run(x, &ex), ST_OK);
        assert_int_equal(st_vectorize(x, st_model_vocab(m), &v), ST_OK);
        compare_vector(m, v.nodes, c);
    }
    st_vector_clear(&v);
    st_extractor_free(x);
}

/* Random sparse vectors: 0 to 60 features anywhere in the vocabulary,
 * values of either sign, some large enough to saturate the sigmoids, and
 * every fifth one with an id past the vocabulary. */
static void compare_random(const st_model *m, size_t count, uint64_t seed, compared *c)
{
    count /= test_row_stride(); /* libsvm's side is the time, as in compare_rows */
    size_t nfeat = st_vocab_size(st_model_vocab(m));
    struct svm_node nodes[64];
    for (size_t v = 0; v < count; v++) {
        seed = seed * 6364136223846793005u + 1442695040888963407u;
        size_t n = (size_t)(seed >> 33) % 61;
        double scale = v % 7 == 0 ? 50.0 : v % 3 == 0 ? 0.2 : 1.0;
        int last = 0;
        size_t used = 0;
        for (size_t i = 0; i < n && (size_t)last < nfeat; i++) {
            seed = seed * 6364136223846793005u + 1442695040888963407u;
            size_t room = nfeat - (size_t)last;
            size_t step = 1 + (size_t)(seed >> 33) % (room < 2 * nfeat / (n + 1) + 1 ? room : 2 * nfeat / (n + 1) + 1);
            if (step > room)
                break;
            last += (int)step;
            seed = seed * 6364136223846793005u + 1442695040888963407u;
            nodes[used].index = last;
            nodes[used].value = scale * ((double)(seed >> 11) / 9007199254740992.0 * 2.0 - 1.0);
            used++;
        }
        if (v % 5 == 4) {
            /* An id past the vocabulary: libsvm ignores it, so must we. */
            nodes[used].index = (int)nfeat + 3;
            nodes[used].value = 1.0;
            used++;
        }
        nodes[used].index = -1;
        nodes[used].value = 0;
        compare_vector(m, nodes, c);
    }
}

static void test_fast_path_equals_libsvm(void **state)
{
    (void)state;
    compared c = {0};
    /* The tiny model as trained and as reloaded. */
    compare_rows(fx.trained, fx.data, &c);
    compare_rows(fx.trained, fx.holdout, &c);
    compare_random(fx.trained, 3000, 1, &c);
    st_model *loaded = NULL;
    st_diag diag;
    assert_int_equal(st_model_load(fx.bundle, &loaded, &diag), ST_OK);
    compare_rows(loaded, fx.data, &c);
    compare_random(loaded, 1000, 2, &c);
    st_model_free(loaded);

    /* The bundled model on the written holdout. */
    st_model *def = NULL;
    st_dataset *test = NULL;
    if (st_model_load(DEFAULT_MODEL, &def, &diag) != ST_OK)
        fail_msg("%s", diag.message);
    assert_int_equal(st_dataset_new(&test), ST_OK);
    assert_int_equal(st_dataset_read_file(test, DEFAULT_TEST, ST_DATASET_LABELLED, &diag), ST_OK);
    compare_rows(def, test, &c);
    compare_random(def, 3000, 3, &c);
    st_dataset_free(test);
    st_model_free(def);

    /* Two classes: libsvm's coupling of a single pair. */
    char *text = NULL;
    size_t size = 0;
    FILE *mem = open_memstream(&text, &size);
    FILE *in = fopen(TINY, "r");
    assert_non_null(in);
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, in) > 0)
        if (!strstr(line, "\tneutral\t"))
            fputs(line, mem);
    free(line);
    fclose(in);
    fclose(mem);
    st_dataset *two = NULL;
    assert_int_equal(st_dataset_new(&two), ST_OK);
    FILE *fp = fmemopen(text, size, "r");
    assert_int_equal(st_dataset_read(two, fp, "two.tsv", ST_DATASET_LABELLED, &diag), ST_OK);
    fclose(fp);
    st_params params;
    st_params_default(&params);
    st_train_options o = {.params = &params, .lexicon = fx.lex};
    st_model *m2 = NULL;
    st_train_report r;
    assert_int_equal(st_train(two, &o, &m2, &r, &diag), ST_OK);
    assert_int_equal(st_model_svm(m2)->nr_class, 2);
    compare_rows(m2, two, &c);
    compare_random(m2, 2000, 4, &c);
    st_train_report_clear(&r);
    st_model_free(m2);
    st_dataset_free(two);
    free(text);
    print_message("fast path vs libsvm: %zu vectors, largest differences %.3g (decision values), %.3g "
                  "(probabilities)\n",
                  c.vectors, c.max_dec, c.max_prob);
}

/* A loaded linear model keeps no support vectors (they are folded into
 * its weights as model.svm is read), yet st_model_svm gives the whole
 * libsvm model, the one model.svm holds, and saving writes it again. */
static void test_folded_model_whole(void **state)
{
    (void)state;
    st_model *m = NULL;
    st_diag diag;
    if (st_model_load(DEFAULT_MODEL, &m, &diag) != ST_OK)
        fail_msg("%s", diag.message);
    const struct svm_model *a = st_model_svm(m);
    assert_non_null(a);
    assert_ptr_equal(st_model_svm(m), a); /* built once */
    struct svm_model *b = svm_load_model(DEFAULT_MODEL "/model.svm");
    assert_non_null(b);
    assert_int_equal(a->l, b->l);
    for (int i = 0; i < a->l; i++) {
        const struct svm_node *x = a->SV[i], *y = b->SV[i];
        for (; x->index != -1; x++, y++) {
            assert_int_equal(x->index, y->index);
            assert_memory_equal(&x->value, &y->value, sizeof(double));
        }
        assert_int_equal(y->index, -1);
    }
    svm_free_and_destroy_model(&b);
    char *dir = path_join(fx.root, "resaved");
    assert_int_equal(st_model_save(m, dir, &diag), ST_OK);
    char *saved = path_join(dir, "model.svm");
    assert_true(files_equal(saved, DEFAULT_MODEL "/model.svm"));
    free(saved);
    free(dir);
    st_model_free(m);
}

/* The big files of the default bundle are mapped, not read (st_model.c,
 * read_or_map): damage to them is refused as to any other, and a file
 * whose size is a multiple of the page size (read, not mapped: its
 * mapping would have no NUL after it) too. */
static void test_damage_in_mapped_files(void **state)
{
    (void)state;
    static const char *const big[] = {"model.svm", "vocab.tsv", "weights.bin"};
    long page = sysconf(_SC_PAGESIZE);
    assert_true(page > 0);
    char *copy = path_join(fx.root, "mapped");
    for (size_t i = 0; i < sizeof big / sizeof big[0]; i++) {
        for (int how = 0; how < 3; how++) {
            copy_bundle(DEFAULT_MODEL, copy);
            char *p = path_join(copy, big[i]);
            size_t size;
            char *data = slurp(p, &size);
            assert_non_null(data);
            assert_true(size >= 65536 && size % (size_t)page != 0); /* the mapped path */
            if (how == 0) {
                data[size - 1] ^= 0x01; /* the last byte, next to the zeros past the end */
                spit(p, data, size);
            } else if (how == 1) {
                spit(p, data, size - 1);
            } else {
                size_t padded = (size / (size_t)page + 1) * (size_t)page;
                char *more = calloc(padded, 1);
                assert_non_null(more);
                memcpy(more, data, size);
                spit(p, more, padded);
                free(more);
            }
            char want[256];
            snprintf(want, sizeof want, "%s: checksum mismatch (file altered or truncated)", p);
            expect_refused(copy, want);
            free(data);
            free(p);
            remove_tree(copy);
        }
    }
    /* Intact, the copy loads and predicts as the original. */
    copy_bundle(DEFAULT_MODEL, copy);
    st_model *a = NULL, *b = NULL;
    st_diag diag;
    assert_int_equal(st_model_load(DEFAULT_MODEL, &a, &diag), ST_OK);
    assert_int_equal(st_model_load(copy, &b, &diag), ST_OK);
    assert_int_equal(st_vocab_size(st_model_vocab(a)), st_vocab_size(st_model_vocab(b)));
    assert_non_null(st_model_svm(b));
    st_model_free(a);
    st_model_free(b);
    remove_tree(copy);
    free(copy);
}

/* model.svm through st_svmfile_parse and through svm_load_model. */
static void test_svmfile_reads_as_libsvm(void **state)
{
    (void)state;
    const char *paths[] = {DEFAULT_MODEL "/model.svm", NULL};
    char *tiny = path_join(fx.bundle, "model.svm");
    paths[1] = tiny;
    for (size_t f = 0; f < 2; f++) {
        size_t size;
        char *text = slurp(paths[f], &size);
        struct svm_model *a = NULL, *b = svm_load_model(paths[f]);
        st_diag diag;
        st_diag_clear(&diag);
        assert_non_null(b);
        if (st_svmfile_parse(text, size, ST_LABEL_COUNT, 1u << 30, &a, &diag) != ST_OK)
            fail_msg("%s:%zu: %s", paths[f], diag.line, diag.message);
        assert_int_equal(a->param.svm_type, b->param.svm_type);
        assert_int_equal(a->param.kernel_type, b->param.kernel_type);
        assert_int_equal(a->nr_class, b->nr_class);
        assert_int_equal(a->l, b->l);
        int k = a->nr_class, pairs = k * (k - 1) / 2;
        for (int i = 0; i < k; i++) {
            assert_int_equal(a->label[i], b->label[i]);
            assert_int_equal(a->nSV[i], b->nSV[i]);
        }
        for (int p = 0; p < pairs; p++) {
            assert_memory_equal(&a->rho[p], &b->rho[p], sizeof(double));
            assert_memory_equal(&a->probA[p], &b->probA[p], sizeof(double));
            assert_memory_equal(&a->probB[p], &b->probB[p], sizeof(double));
        }
        for (int i = 0; i < a->l; i++) {
            for (int j = 0; j < k - 1; j++)
                assert_memory_equal(&a->sv_coef[j][i], &b->sv_coef[j][i], sizeof(double));
            const struct svm_node *x = a->SV[i], *y = b->SV[i];
            for (; x->index != -1; x++, y++) {
                assert_int_equal(x->index, y->index);
                assert_memory_equal(&x->value, &y->value, sizeof(double));
            }
            assert_int_equal(y->index, -1);
        }
        svm_free_and_destroy_model(&a);
        svm_free_and_destroy_model(&b);
        free(text);
    }
    free(tiny);
}

/* Trains with `threads` fold workers and saves to root/name. */
static char *train_saved(const st_params *params, int threads, const char *name)
{
    st_train_options o = {.params = params, .lexicon = fx.lex, .holdout = fx.holdout, .threads = threads};
    st_model *m = NULL;
    st_train_report r;
    st_diag diag;
    if (st_train(fx.data, &o, &m, &r, &diag) != ST_OK)
        fail_msg("train: %s", diag.message);
    char *dir = path_join(fx.root, name);
    assert_int_equal(st_model_save(m, dir, &diag), ST_OK);
    st_train_report_clear(&r);
    st_model_free(m);
    return dir;
}

static void assert_bundles_equal(const char *a, const char *b)
{
    char names[32][64];
    size_t n = manifest_names(a, names);
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        char *fa = path_join(a, names[i]), *fb = path_join(b, names[i]);
        if (!files_equal(fa, fb))
            fail_msg("%s and %s differ", fa, fb);
        free(fa);
        free(fb);
    }
    char *ma = path_join(a, "MANIFEST"), *mb = path_join(b, "MANIFEST");
    assert_true(files_equal(ma, mb));
    free(ma);
    free(mb);
}

static void test_liblinear(void **state)
{
    (void)state;
    st_params params;
    st_params_default(&params);
    params.solver = ST_SOLVER_LIBLINEAR;
    params.grid = 1;
    char *one = train_saved(&params, 1, "liblinear-1");
    char *four = train_saved(&params, 4, "liblinear-4");
    assert_bundles_equal(one, four);
    st_model *m = NULL;
    st_diag diag;
    assert_int_equal(st_model_load(one, &m, &diag), ST_OK);
    assert_int_equal(st_model_params(m)->solver, ST_SOLVER_LIBLINEAR);
    assert_true(st_model_can_explain(m));
    const struct svm_model *svm = st_model_svm(m);
    assert_int_equal(svm->nr_class, 3);
    assert_int_equal(svm->l, 3); /* one weight vector per pair */
    compared c = {0};
    compare_rows(m, fx.data, &c);
    compare_rows(m, fx.holdout, &c);
    compare_random(m, 2000, 5, &c);
    /* It labels the training rows well and explains its labels. */
    st_extractor *x = NULL;
    assert_int_equal(st_model_extractor_new(m, &x), ST_OK);
    size_t right = 0;
    st_explanation e = {0};
    for (size_t i = 0; i < st_dataset_count(fx.data); i++) {
        const st_row *r = st_dataset_row(fx.data, i);
        st_example ex = {r->quote, r->quote_len, r->sentence, r->sentence_len};
        st_prediction p;
        assert_int_equal(st_model_predict(m, x, &ex, &p, 3, &e), ST_OK);
        right += p.label == r->label;
        double sum = 0;
        for (int l = 0; l < ST_LABEL_COUNT; l++)
            sum += p.probability[l];
        assert_true(sum > 0.999 && sum < 1.001);
        for (size_t k = 0; k < e.count; k++)
            assert_true(e.items[k].contribution > 0);
    }
    assert_true(right * 10 >= st_dataset_count(fx.data) * 8);
    st_explanation_clear(&e);
    st_extractor_free(x);
    st_model_free(m);
    /* rbf with liblinear is a usage error. */
    params.kernel = ST_KERNEL_RBF;
    st_train_options o = {.params = &params, .lexicon = fx.lex};
    st_train_report r;
    assert_int_equal(st_train(fx.data, &o, &m, &r, &diag), ST_ERR_USAGE);
    assert_non_null(strstr(diag.message, "linear models only"));
    free(one);
    free(four);
}

static void test_threads_do_not_matter(void **state)
{
    (void)state;
    st_params params;
    st_params_default(&params);
    params.grid = 1;
    char *one = train_saved(&params, 1, "libsvm-1");
    char *four = train_saved(&params, 4, "libsvm-4");
    assert_bundles_equal(one, four);
    free(one);
    free(four);
    /* Without a search the final model trains alongside the folds: still
     * the same bundle whatever the number of workers, for both solvers. */
    for (int solver = ST_SOLVER_LIBSVM; solver <= ST_SOLVER_LIBLINEAR; solver++) {
        st_params_default(&params);
        params.solver = solver;
        char name[3][32];
        char *dir[3];
        int threads[3] = {1, 2, 7};
        for (int t = 0; t < 3; t++) {
            snprintf(name[t], sizeof name[t], "overlap-%d-%d", solver, threads[t]);
            dir[t] = train_saved(&params, threads[t], name[t]);
        }
        assert_bundles_equal(dir[0], dir[1]);
        assert_bundles_equal(dir[0], dir[2]);
        for (int t = 0; t < 3; t++)
            free(dir[t]);
    }
    /* auto picks libsvm for a small table, liblinear above the threshold. */
    st_params_default(&params);
    assert_int_equal(params.solver, ST_SOLVER_AUTO);
    assert_int_equal(st_train_solver(&params, 90), ST_SOLVER_LIBSVM);
    assert_int_equal(st_train_solver(&params, ST_SOLVER_AUTO_ROWS - 1), ST_SOLVER_LIBSVM);
    assert_int_equal(st_train_solver(&params, ST_SOLVER_AUTO_ROWS), ST_SOLVER_LIBLINEAR);
    params.kernel = ST_KERNEL_RBF;
    assert_int_equal(st_train_solver(&params, ST_SOLVER_AUTO_ROWS + 1), ST_SOLVER_LIBSVM);
}

/* libsvm's final model gets Platt sigmoids fitted on the folds' decision
 * values (not libsvm's own -b 1 cross-validation): every pair has one,
 * and it rises with the decision value, as a calibration must; the
 * rbf kernel too. */
static void test_sigmoids_from_folds(void **state)
{
    (void)state;
    for (int kernel = ST_KERNEL_LINEAR; kernel <= ST_KERNEL_RBF; kernel++) {
        st_params params;
        st_params_default(&params);
        params.solver = ST_SOLVER_LIBSVM;
        params.kernel = kernel;
        st_model *m = NULL;
        st_train_report r;
        st_diag diag;
        assert_int_equal(train(&params, NULL, &m, &r, &diag), ST_OK);
        const struct svm_model *svm = st_model_svm(m);
        assert_true(svm_check_probability_model(svm));
        int pairs = svm->nr_class * (svm->nr_class - 1) / 2;
        for (int p = 0; p < pairs; p++) {
            assert_true(svm->probA[p] < 0); /* P(first class) = 1 / (1 + exp(A dec + B)) */
            assert_true(isfinite(svm->probB[p]));
        }
        st_model_free(m);
        st_train_report_clear(&r);
    }
}

/* ------------------------------------------------------------------ */
/* weights.bin                                                         */

/* The MANIFEST's self checksum recomputed over the lines before it. */
static void reseal_manifest(char *text, size_t size, const char *mpath)
{
    char hex[ST_SHA256_HEX_SIZE];
    char *last = strstr(text, "manifest ");
    assert_non_null(last);
    st_sha256_hex(text, (size_t)(last - text), hex);
    memcpy(last + 9, hex, 64);
    spit(mpath, text, size);
}

static char *slurp_text(const char *path, size_t *size)
{
    char *text = slurp(path, size);
    assert_non_null(text);
    text = realloc(text, *size + 1);
    assert_non_null(text);
    text[*size] = '\0';
    return text;
}

/* Replaces bundle/name with data and fixes its checksum and the
 * manifest's: only the loader's own checks can refuse it then. */
static void replace_sealed(const char *bundle, const char *name, const char *data, size_t size)
{
    char *p = path_join(bundle, name), *m = path_join(bundle, "MANIFEST");
    spit(p, data, size);
    size_t msize;
    char *text = slurp_text(m, &msize);
    char entry[80];
    snprintf(entry, sizeof entry, "  %s\n", name);
    char *line = strstr(text, entry);
    assert_non_null(line);
    char hex[ST_SHA256_HEX_SIZE];
    st_sha256_hex(data, size, hex);
    memcpy(line - 64, hex, 64);
    reseal_manifest(text, msize, m);
    free(text);
    free(m);
    free(p);
}

/* Removes name's line from the MANIFEST (a sealed, consistent manifest
 * that does not list it) and the file itself. */
static void unlist_sealed(const char *bundle, const char *name)
{
    char *p = path_join(bundle, name), *m = path_join(bundle, "MANIFEST");
    assert_int_equal(unlink(p), 0);
    size_t size;
    char *text = slurp_text(m, &size);
    char entry[80];
    snprintf(entry, sizeof entry, "  %s\n", name);
    char *at = strstr(text, entry);
    assert_non_null(at);
    char *start = at - 64, *end = at + strlen(entry);
    memmove(start, end, (size_t)(text + size - end) + 1);
    size -= (size_t)(end - start);
    reseal_manifest(text, size, m);
    free(text);
    free(m);
    free(p);
}

/* weights.bin, decoded, equals bit for bit what folding the bundle's
 * model.svm gives (the loader's weights before this file existed). */
static void assert_weights_are_folded(const char *bundle)
{
    char *wp = path_join(bundle, "weights.bin"), *sp = path_join(bundle, "model.svm"), *vp = path_join(bundle, "vocab.tsv");
    size_t wsize, ssize, vsize;
    char *wdata = slurp(wp, &wsize), *stext = slurp(sp, &ssize), *vtext = slurp(vp, &vsize);
    assert_non_null(wdata);
    assert_non_null(stext);
    assert_non_null(vtext);
    st_vocab *vocab = NULL;
    st_diag diag;
    st_diag_clear(&diag);
    assert_int_equal(st_vocab_parse(vtext, vsize, &vocab, &diag), ST_OK);
    size_t nfeat = st_vocab_size(vocab), npairs = ST_LABEL_COUNT * (ST_LABEL_COUNT - 1) / 2;
    double *folded = calloc((nfeat + 1) * npairs, sizeof *folded);
    assert_non_null(folded);
    struct svm_model *svm = NULL;
    int was_folded = 0;
    assert_int_equal(st_svmfile_parse_folded(stext, ssize, ST_LABEL_COUNT, nfeat, folded, &svm, &was_folded, &diag),
                     ST_OK);
    assert_true(was_folded);
    assert_int_equal(svm->nr_class, ST_LABEL_COUNT);
    double *read = NULL;
    if (st_weights_decode(wdata, wsize, npairs, nfeat, &read, &diag) != ST_OK)
        fail_msg("%s: %s", wp, diag.message);
    assert_int_equal(wsize, ST_WEIGHTS_HEADER_SIZE + nfeat * npairs * sizeof(double));
    /* Bits, not values: -0.0 against 0.0 would be a difference too. */
    assert_memory_equal(read, folded, (nfeat + 1) * npairs * sizeof(double));
    size_t nonzero = 0;
    for (size_t i = npairs; i < (nfeat + 1) * npairs; i++)
        nonzero += read[i] != 0.0;
    assert_true(nonzero > nfeat / 2); /* a real model, not zeros equal to zeros */
    svm_free_and_destroy_model(&svm);
    free(read);
    free(folded);
    st_vocab_free(vocab);
    free(wdata);
    free(stext);
    free(vtext);
    free(wp);
    free(sp);
    free(vp);
}

static void test_weights_file_is_folded_model(void **state)
{
    (void)state;
    assert_weights_are_folded(DEFAULT_MODEL);
    assert_weights_are_folded(fx.bundle); /* libsvm, trained in setup */
    st_params params;
    st_params_default(&params);
    params.solver = ST_SOLVER_LIBLINEAR;
    char *dir = train_saved(&params, 1, "weights-liblinear");
    assert_weights_are_folded(dir);
    remove_tree(dir);
    free(dir);
    /* The loaded model predicts with exactly these weights: the trained
     * model's own decision values (its weights summed in the same order). */
    st_model *loaded = NULL;
    st_diag diag;
    assert_int_equal(st_model_load(fx.bundle, &loaded, &diag), ST_OK);
    struct svm_node x[4] = {{1, 1.0}, {2, 0.5}, {3, 1.0}, {-1, 0}};
    double a[3], b[3];
    st_model_decision_values(loaded, x, a);
    st_model_decision_values(fx.trained, x, b);
    for (int p = 0; p < 3; p++)
        assert_true(fabs(a[p] - b[p]) < 1e-12);
    st_model_free(loaded);
}

/* Sealed (checksums right) but wrong: the loader's own checks. */
static void expect_weights_refused(const char *data, size_t size, const char *what)
{
    char *copy = path_join(fx.root, "weights-bad");
    copy_bundle(fx.bundle, copy);
    replace_sealed(copy, "weights.bin", data, size);
    char want[256];
    snprintf(want, sizeof want, "%s/weights.bin: ", copy);
    expect_refused(copy, want); /* names the file */
    expect_refused(copy, what); /* and the problem */
    remove_tree(copy);
    free(copy);
}

static void put_u64_le(char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (char)(v >> (8 * i));
}

static void test_weights_file_checked(void **state)
{
    (void)state;
    char *wp = path_join(fx.bundle, "weights.bin");
    size_t size;
    char *orig = slurp(wp, &size), *data = malloc(size);
    assert_non_null(orig);
    assert_non_null(data);
    assert_true(size > ST_WEIGHTS_HEADER_SIZE + 8);
    /* Sealed as it is, the copy loads (the helpers change nothing else). */
    char *copy = path_join(fx.root, "weights-ok");
    copy_bundle(fx.bundle, copy);
    replace_sealed(copy, "weights.bin", orig, size);
    st_model *m = NULL;
    st_diag diag;
    assert_int_equal(st_model_load(copy, &m, &diag), ST_OK);
    st_model_free(m);
    remove_tree(copy);
    free(copy);
    /* Truncated by one weight, or one byte; one weight too many. */
    expect_weights_refused(orig, size - 8, "bytes, expected");
    expect_weights_refused(orig, size - 1, "bytes, expected");
    char *longer = malloc(size + 8);
    assert_non_null(longer);
    memcpy(longer, orig, size);
    memset(longer + size, 0, 8);
    expect_weights_refused(longer, size + 8, "bytes, expected");
    free(longer);
    expect_weights_refused(orig, 10, "not a weights file");
    /* Wrong counts: pairs, features (one more, one fewer). */
    memcpy(data, orig, size);
    data[12] = 1;
    expect_weights_refused(data, size, "1 pairs of labels, model.svm has 3");
    memcpy(data, orig, size);
    st_model *t = fx.trained;
    size_t nfeat = st_vocab_size(st_model_vocab(t));
    put_u64_le(data + 16, nfeat + 1);
    expect_weights_refused(data, size, "features, vocab.tsv has");
    put_u64_le(data + 16, nfeat - 1);
    expect_weights_refused(data, size, "features, vocab.tsv has");
    memcpy(data, orig, size);
    data[0] = 'S';
    expect_weights_refused(data, size, "not a weights file");
    memcpy(data, orig, size);
    data[8] = 2;
    expect_weights_refused(data, size, "weights layout 2");
    /* A NaN and an infinity. */
    double bad[2] = {NAN, INFINITY};
    for (int i = 0; i < 2; i++) {
        memcpy(data, orig, size);
        uint64_t bits;
        memcpy(&bits, &bad[i], sizeof bits);
        put_u64_le(data + ST_WEIGHTS_HEADER_SIZE + 8 * 4, bits); /* feature 2, pair 1 */
        expect_weights_refused(data, size, "feature 2: weight not a finite number");
    }
    free(data);
    free(orig);
    free(wp);
}

/* A bundle of this format version whose MANIFEST does not list
 * weights.bin (consistent otherwise) is incomplete. */
static void test_weights_file_required(void **state)
{
    (void)state;
    char *copy = path_join(fx.root, "weights-unlisted");
    copy_bundle(fx.bundle, copy);
    unlist_sealed(copy, "weights.bin");
    expect_refused(copy, "no entry for weights.bin");
    remove_tree(copy);
    free(copy);
}

/* An rbf bundle has no weights file and loads as before. */
static void test_rbf_has_no_weights_file(void **state)
{
    (void)state;
    st_params params;
    st_params_default(&params);
    params.kernel = ST_KERNEL_RBF;
    params.gamma = 0.1;
    char *dir = train_saved(&params, 1, "rbf-noweights");
    char *wp = path_join(dir, "weights.bin");
    struct stat st;
    assert_int_equal(stat(wp, &st), -1);
    char names[32][64];
    size_t n = manifest_names(dir, names);
    for (size_t i = 0; i < n; i++)
        assert_string_not_equal(names[i], "weights.bin");
    st_model *m = NULL;
    st_diag diag;
    assert_int_equal(st_model_load(dir, &m, &diag), ST_OK);
    assert_false(st_model_can_explain(m));
    st_model_free(m);
    remove_tree(dir);
    free(wp);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bundle_layout),
        cmocka_unit_test(test_reload_predicts_the_same),
        cmocka_unit_test(test_explanation),
        cmocka_unit_test(test_reproducible),
        cmocka_unit_test(test_damage_is_refused),
        cmocka_unit_test(test_other_version),
        cmocka_unit_test(test_not_a_bundle),
        cmocka_unit_test(test_save_replaces_only_bundles),
        cmocka_unit_test(test_report),
        cmocka_unit_test(test_rbf),
        cmocka_unit_test(test_training_errors),
        cmocka_unit_test(test_fast_path_equals_libsvm),
        cmocka_unit_test(test_svmfile_reads_as_libsvm),
        cmocka_unit_test(test_folded_model_whole),
        cmocka_unit_test(test_damage_in_mapped_files),
        cmocka_unit_test(test_liblinear),
        cmocka_unit_test(test_threads_do_not_matter),
        cmocka_unit_test(test_sigmoids_from_folds),
        cmocka_unit_test(test_weights_file_is_folded_model),
        cmocka_unit_test(test_weights_file_checked),
        cmocka_unit_test(test_weights_file_required),
        cmocka_unit_test(test_rbf_has_no_weights_file),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
