/*
 * st_model.c - the model bundle: save (atomic), load (verified), predict,
 * explain.  See st_model.h for the layout and the guarantees.
 */
#define _GNU_SOURCE /* renameat2, d_type */
#include "st_model.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <signal.h> /* kill(pid, 0): is a temporary directory's writer alive */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "st_sha256.h"
#include "st_svmfile.h"
#include "st_util.h"
#include "st_weights.h"

#define VERSION_TAG "stance-model-bundle"
#define MANIFEST_NAME "MANIFEST"
#define MANIFEST_LAST "manifest "
#define LABELS_TEXT "threatening\nconciliatory\nneutral\n"
/* No bundle file is larger than this; a bigger one is not ours. */
#define MAX_FILE_SIZE ((size_t)1 << 30)

struct st_model {
    /* The libsvm model.  Loaded with a linear kernel it is folded: only
     * model.svm's header (the weights come from weights.bin), and the
     * whole model is parsed from svm_text, the verified bytes, the first
     * time anyone asks (st_model_svm). */
    struct svm_model *svm;
    int folded;
    char *svm_text;
    size_t svm_size;
    size_t svm_mapped; /* svm_text is a mapping of this length; 0: malloc'ed */
    struct svm_model *full;  /* folded: the whole model, once asked for */
    pthread_mutex_t full_lock; /* folded: guards full */
    struct svm_node *storage; /* rows of the training problem (trained models only) */
    st_vocab *vocab;
    st_params params;
    st_lexicon *lex;
    char *lexicon_text[ST_LEXICON_KIND_COUNT];
    size_t lexicon_size[ST_LEXICON_KIND_COUNT];
    char *metrics;
    size_t metrics_len;
    int class_label[ST_LABEL_COUNT]; /* our label of libsvm class k */
    int nr_class;
    double *weights;  /* linear kernel: (nfeatures + 1) rows of npairs */
    size_t npairs;    /* nr_class (nr_class - 1) / 2 */
    size_t nfeatures; /* vocabulary size */
};

/* ------------------------------------------------------------------ */
/* Diagnostics: messages are self-contained ("PATH: problem"), file NULL,
 * because the paths are built here and would not outlive the call. */


/* Rewrites a diagnostic from a parser as "DIR/NAME:LINE: message". */
static st_status rewrap(st_diag *diag, st_status status, const char *dir, const char *name)
{
    if (!diag)
        return status;
    char msg[sizeof diag->message];
    memcpy(msg, diag->message, sizeof msg);
    if (!msg[0])
        snprintf(msg, sizeof msg, "%s", st_strerror(status));
    size_t line = diag->line, column = diag->column;
    if (line && column)
        return st_diag_fail(diag, status, "%s/%s:%zu:%zu: %s", dir, name, line, column, msg);
    if (line)
        return st_diag_fail(diag, status, "%s/%s:%zu: %s", dir, name, line, msg);
    return st_diag_fail(diag, status, "%s/%s: %s", dir, name, msg);
}

static char *join(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    char *s = malloc(na + nb + 2);
    if (!s)
        return NULL;
    memcpy(s, a, na);
    s[na] = '/';
    memcpy(s + na + 1, b, nb + 1);
    return s;
}

static char *copy_string(const char *s, size_t n)
{
    char *c = malloc(n + 1);
    if (c) {
        memcpy(c, s, n);
        c[n] = '\0';
    }
    return c;
}

/* ------------------------------------------------------------------ */
/* The model object                                                    */

static void quiet(const char *s)
{
    (void)s;
}

void st_model_quiet_libsvm(void)
{
    svm_set_print_string_function(quiet);
}

static void release_bytes(char *data, size_t mapped);

void st_model_free(st_model *m)
{
    if (!m)
        return;
    if (m->svm)
        svm_free_and_destroy_model(&m->svm);
    if (m->folded) {
        if (m->full)
            svm_free_and_destroy_model(&m->full);
        release_bytes(m->svm_text, m->svm_mapped);
        pthread_mutex_destroy(&m->full_lock);
    }
    free(m->storage);
    st_vocab_free(m->vocab);
    st_lexicon_free(m->lex);
    for (int k = 0; k < ST_LEXICON_KIND_COUNT; k++)
        free(m->lexicon_text[k]);
    free(m->metrics);
    free(m->weights);
    free(m);
}

const st_params *st_model_params(const st_model *m)
{
    return &m->params;
}

const st_lexicon *st_model_lexicon(const st_model *m)
{
    return m->lex;
}

const st_vocab *st_model_vocab(const st_model *m)
{
    return m->vocab;
}

const struct svm_model *st_model_svm(const st_model *m)
{
    if (!m->folded)
        return m->svm;
    /* Built once, under the lock; the model is const to its users, not
     * to this (it was allocated writable by st_model_load). */
    st_model *w = (st_model *)m;
    pthread_mutex_lock(&w->full_lock);
    if (!w->full) {
        /* Only the header was parsed at load: vectors damaged under
         * valid checksums (a hand-made bundle) fail here, as memory can. */
        if (st_svmfile_parse(w->svm_text, w->svm_size, ST_LABEL_COUNT, w->nfeatures, &w->full, NULL) != ST_OK)
            w->full = NULL;
    }
    const struct svm_model *full = w->full;
    pthread_mutex_unlock(&w->full_lock);
    return full;
}

int st_model_can_explain(const st_model *m)
{
    return m->weights != NULL;
}

const char *st_model_metrics(const st_model *m)
{
    return m->metrics ? m->metrics : "";
}

st_status st_model_set_metrics(st_model *m, const char *json, size_t len)
{
    char *c = copy_string(json, len);
    if (!c)
        return ST_ERR_NOMEM;
    free(m->metrics);
    m->metrics = c;
    m->metrics_len = len;
    return ST_OK;
}

st_status st_model_extractor_new(const st_model *m, st_extractor **out)
{
    return st_extractor_new(m->lex, &m->params, out);
}

/*
 * Checks the libsvm model against the rest of the bundle and fills the
 * class map: C-SVC, the kernel of params, 2 or 3 classes that are our
 * labels, probability information, feature indices within the vocabulary.
 */
static st_status check_svm(st_model *m, const char *where, st_diag *diag)
{
    const struct svm_model *s = m->svm;
    if (svm_get_svm_type(s) != C_SVC)
        return st_diag_fail(diag, ST_ERR_MODEL, "%s: not a C-SVC model", where);
    int kernel = m->params.kernel == ST_KERNEL_RBF ? RBF : LINEAR;
    if (s->param.kernel_type != kernel)
        return st_diag_fail(diag, ST_ERR_MODEL, "%s: kernel differs from params.tsv", where);
    if (s->nr_class < 2 || s->nr_class > ST_LABEL_COUNT)
        return st_diag_fail(diag, ST_ERR_MODEL, "%s: %d classes (expected 2 or 3)", where, s->nr_class);
    int seen[ST_LABEL_COUNT] = {0};
    for (int k = 0; k < s->nr_class; k++) {
        int l = s->label[k];
        if (l < 0 || l >= ST_LABEL_COUNT || seen[l])
            return st_diag_fail(diag, ST_ERR_MODEL, "%s: unexpected class label %d", where, l);
        seen[l] = 1;
        m->class_label[k] = l;
    }
    m->nr_class = s->nr_class;
    if (!svm_check_probability_model(s))
        return st_diag_fail(diag, ST_ERR_MODEL, "%s: the model has no probability information", where);
    size_t nfeat = st_vocab_size(m->vocab);
    /* Folded, the reader checked every index against the vocabulary. */
    for (int i = 0; i < s->l && !m->folded; i++) {
        for (const struct svm_node *n = s->SV[i]; n->index != -1; n++) {
            if (n->index < 1 || (size_t)n->index > nfeat)
                return st_diag_fail(diag, ST_ERR_MODEL, "%s: feature index %d outside the vocabulary (1..%zu)", where,
                            n->index, nfeat);
        }
    }
    m->nfeatures = nfeat;
    return ST_OK;
}

/*
 * For a linear kernel: each pairwise classifier collapsed into one dense
 * weight vector, w = sum(coef * SV), stored feature-major (the npairs
 * weights of feature f at weights[f * npairs]) so that a prediction reads
 * one short run per feature of the example.
 */
static st_status compute_weights(st_model *m)
{
    const struct svm_model *s = m->svm;
    free(m->weights);
    m->weights = NULL;
    if (s->param.kernel_type != LINEAR)
        return ST_OK;
    int k = s->nr_class;
    size_t npairs = (size_t)k * (size_t)(k - 1) / 2, width = m->nfeatures + 1;
    if (width > SIZE_MAX / sizeof(double) / npairs)
        return ST_ERR_NOMEM;
    m->weights = calloc(npairs * width, sizeof(double));
    if (!m->weights)
        return ST_ERR_NOMEM;
    m->npairs = npairs;
    int start[ST_LABEL_COUNT];
    start[0] = 0;
    for (int i = 1; i < k; i++)
        start[i] = start[i - 1] + s->nSV[i - 1];
    size_t p = 0;
    for (int i = 0; i < k; i++) {
        for (int j = i + 1; j < k; j++, p++) {
            double *w = m->weights + p;
            /* libsvm's svm_predict_values: coef sv_coef[j-1] for class i's
             * vectors and sv_coef[i] for class j's; dec > 0 votes for i. */
            for (int t = 0; t < s->nSV[i]; t++) {
                int sv = start[i] + t;
                double c = s->sv_coef[j - 1][sv];
                for (const struct svm_node *n = s->SV[sv]; n->index != -1; n++)
                    w[(size_t)n->index * npairs] += c * n->value;
            }
            for (int t = 0; t < s->nSV[j]; t++) {
                int sv = start[j] + t;
                double c = s->sv_coef[i][sv];
                for (const struct svm_node *n = s->SV[sv]; n->index != -1; n++)
                    w[(size_t)n->index * npairs] += c * n->value;
            }
        }
    }
    return ST_OK;
}

/* Gives m its own copy of every kind of `lex`: the text the bundle will
 * hold (st_lexicon_format), and the entries, copied rather than parsed
 * back from that text (st_lexicon_copy_kind gives what the parse would). */
static st_status copy_lexicon(st_model *m, const st_lexicon *lex, st_diag *diag)
{
    st_status status = st_lexicon_new(&m->lex);
    if (status != ST_OK)
        return st_diag_fail(diag, status, "out of memory");
    for (int k = 0; k < ST_LEXICON_KIND_COUNT; k++) {
        status = st_lexicon_format(lex, (st_lexicon_kind)k, &m->lexicon_text[k], &m->lexicon_size[k]);
        if (status == ST_OK)
            status = st_lexicon_copy_kind(m->lex, lex, (st_lexicon_kind)k);
        if (status != ST_OK)
            return st_diag_fail(diag, status, "lexicon %s: %s", st_lexicon_kind_file((st_lexicon_kind)k),
                                st_strerror(status));
    }
    return ST_OK;
}

/* What svm_save_model + svm_load_model do to a support vector's values
 * ("%.8g"), done in place, so a model fresh from training predicts
 * exactly as the bundle it is saved to. */
static void round_like_saved(struct svm_model *s)
{
    for (int i = 0; i < s->l; i++) {
        for (struct svm_node *n = s->SV[i]; n->index != -1; n++) {
            char buf[64];
            snprintf(buf, sizeof buf, "%.8g", n->value);
            n->value = strtod(buf, NULL);
        }
    }
}

st_status st_model_new_trained(struct svm_model *svm, struct svm_node *storage, st_vocab *vocab,
                               const st_params *params, const st_lexicon *lex, st_model **out, st_diag *diag)
{
    *out = NULL;
    st_model *m = calloc(1, sizeof *m);
    if (!m) {
        svm_free_and_destroy_model(&svm);
        free(storage);
        st_vocab_free(vocab);
        return st_diag_fail(diag, ST_ERR_NOMEM, "out of memory");
    }
    m->svm = svm;
    m->storage = storage;
    m->vocab = vocab;
    m->params = *params;
    /* svm_train keeps the caller's weight arrays by pointer; drop them. */
    svm->param.nr_weight = 0;
    svm->param.weight = NULL;
    svm->param.weight_label = NULL;
    round_like_saved(svm);
    st_status status = copy_lexicon(m, lex, diag);
    if (status == ST_OK)
        status = check_svm(m, "trained model", diag);
    if (status == ST_OK && (status = compute_weights(m)) != ST_OK)
        st_diag_fail(diag, status, "out of memory");
    if (status != ST_OK) {
        st_model_free(m);
        return status;
    }
    *out = m;
    return ST_OK;
}

/* ------------------------------------------------------------------ */
/* Prediction                                                          */

void st_explanation_clear(st_explanation *e)
{
    if (!e)
        return;
    free(e->items);
    memset(e, 0, sizeof *e);
}

/*
 * libsvm's probability estimates, reproduced step for step (libsvm 3.24,
 * svm.cpp: sigmoid_predict, multiclass_probability and the pairwise part
 * of svm_predict_probability), so that the fast path gives libsvm's
 * numbers: tests/test_model.c compares both on every row of a training
 * set and on random vectors.
 */
static double sigmoid_predict(double decision_value, double a, double b)
{
    double fApB = decision_value * a + b;
    /* 1-p used later; avoid catastrophic cancellation */
    if (fApB >= 0) {
        /* libsvm calls exp(-fApB) twice; once gives the same number. */
        double e = exp(-fApB);
        return e / (1.0 + e);
    }
    return 1.0 / (1 + exp(fApB));
}

/* Wu, Lin and Weng's second method: pairwise probabilities r to p.
 * Inlined into multiclass_probability with k a constant where it can be
 * (three labels, the usual case), so the loops unroll; the floating
 * point operations and their order stay libsvm's either way. */
static inline __attribute__((always_inline)) void multiclass_probability_k(int k, double r[ST_LABEL_COUNT][ST_LABEL_COUNT],
                                                                           double *p)
{
    double q[ST_LABEL_COUNT][ST_LABEL_COUNT], qp[ST_LABEL_COUNT];
    int max_iter = k > 100 ? k : 100;
    double pqp, eps = 0.005 / k;
    for (int t = 0; t < k; t++) {
        p[t] = 1.0 / k;
        q[t][t] = 0;
        for (int j = 0; j < t; j++) {
            q[t][t] += r[j][t] * r[j][t];
            q[t][j] = q[j][t];
        }
        for (int j = t + 1; j < k; j++) {
            q[t][t] += r[j][t] * r[j][t];
            q[t][j] = -r[j][t] * r[t][j];
        }
    }
    for (int iter = 0; iter < max_iter; iter++) {
        /* stopping condition, recalculate QP, pQP for numerical accuracy */
        pqp = 0;
        for (int t = 0; t < k; t++) {
            qp[t] = 0;
            for (int j = 0; j < k; j++)
                qp[t] += q[t][j] * p[j];
            pqp += p[t] * qp[t];
        }
        double max_error = 0;
        for (int t = 0; t < k; t++) {
            double error = fabs(qp[t] - pqp);
            if (error > max_error)
                max_error = error;
        }
        if (max_error < eps)
            break;
        for (int t = 0; t < k; t++) {
            double diff = (-qp[t] + pqp) / q[t][t];
            p[t] += diff;
            pqp = (pqp + diff * (diff * q[t][t] + 2 * qp[t])) / (1 + diff) / (1 + diff);
            for (int j = 0; j < k; j++) {
                qp[j] = (qp[j] + diff * q[t][j]) / (1 + diff);
                p[j] /= (1 + diff);
            }
        }
    }
}

static void multiclass_probability(int k, double r[ST_LABEL_COUNT][ST_LABEL_COUNT], double *p)
{
    if (k == 3)
        multiclass_probability_k(3, r, p);
    else
        multiclass_probability_k(k, r, p);
}

void st_model_probabilities(const struct svm_model *s, const double *dec, double *prob)
{
    int k = s->nr_class;
    double min_prob = 1e-7;
    double pairwise[ST_LABEL_COUNT][ST_LABEL_COUNT];
    int p = 0;
    for (int i = 0; i < k; i++) {
        for (int j = i + 1; j < k; j++, p++) {
            double v = sigmoid_predict(dec[p], s->probA[p], s->probB[p]);
            v = v > min_prob ? v : min_prob;
            pairwise[i][j] = v < 1 - min_prob ? v : 1 - min_prob;
            pairwise[j][i] = 1 - pairwise[i][j];
        }
    }
    if (k == 2) {
        /* libsvm 3.24 takes a single pair's probability as it is. */
        prob[0] = pairwise[0][1];
        prob[1] = pairwise[1][0];
    } else {
        multiclass_probability(k, pairwise, prob);
    }
}

void st_model_decision_values(const st_model *m, const struct svm_node *nodes, double *dec)
{
    size_t np = m->npairs;
    double sum[ST_LABEL_COUNT * (ST_LABEL_COUNT - 1) / 2] = {0};
    size_t top = m->nfeatures;
    /* An index outside the vocabulary has no weight (libsvm's dot product
     * ignores it too); never read past the table. */
    if (np == 3) {
        for (const struct svm_node *n = nodes; n->index != -1; n++) {
            if (n->index < 1 || (size_t)n->index > top)
                continue;
            const double *w = m->weights + (size_t)n->index * 3;
            sum[0] += w[0] * n->value;
            sum[1] += w[1] * n->value;
            sum[2] += w[2] * n->value;
        }
    } else {
        for (const struct svm_node *n = nodes; n->index != -1; n++) {
            if (n->index < 1 || (size_t)n->index > top)
                continue;
            const double *w = m->weights + (size_t)n->index * np;
            for (size_t p = 0; p < np; p++)
                sum[p] += w[p] * n->value;
        }
    }
    for (size_t p = 0; p < np; p++)
        dec[p] = sum[p] - m->svm->rho[p];
}

st_status st_model_predict_vector(const st_model *m, const struct svm_node *nodes, st_prediction *out)
{
    double prob[ST_LABEL_COUNT] = {0};
    int best = 0;
    if (m->weights) {
        /* The fast path: one pass over the example's features. */
        double dec[ST_LABEL_COUNT * (ST_LABEL_COUNT - 1) / 2];
        st_model_decision_values(m, nodes, dec);
        st_model_probabilities(m->svm, dec, prob);
        for (int k = 1; k < m->nr_class; k++)
            if (prob[k] > prob[best])
                best = k;
    } else {
        double label = svm_predict_probability(m->svm, nodes, prob);
        for (int k = 0; k < m->nr_class; k++)
            if (m->svm->label[k] == (int)lround(label))
                best = k;
    }
    for (int l = 0; l < ST_LABEL_COUNT; l++)
        out->probability[l] = 0.0;
    for (int k = 0; k < m->nr_class; k++)
        out->probability[m->class_label[k]] = prob[k];
    out->label = m->class_label[best];
    return ST_OK;
}

static int by_contribution(const void *a, const void *b)
{
    const st_explain_item *x = a, *y = b;
    if (x->contribution != y->contribution)
        return x->contribution > y->contribution ? -1 : 1;
    return strcmp(x->name, y->name);
}

static st_status explain(const st_model *m, const struct svm_node *nodes, int label, size_t k,
                         st_explanation *e)
{
    e->count = 0;
    if (!m->weights || k == 0)
        return ST_OK;
    int c = -1;
    for (int i = 0; i < m->nr_class; i++)
        if (m->class_label[i] == label)
            c = i;
    if (c < 0)
        return ST_OK;
    for (const struct svm_node *n = nodes; n->index != -1; n++) {
        if (n->index < 1 || (size_t)n->index > m->nfeatures)
            continue;
        double sum = 0.0;
        size_t p = 0;
        for (int i = 0; i < m->nr_class; i++) {
            for (int j = i + 1; j < m->nr_class; j++, p++) {
                double w = m->weights[(size_t)n->index * m->npairs + p];
                if (i == c)
                    sum += w * n->value;
                else if (j == c)
                    sum -= w * n->value;
            }
        }
        if (!(sum > 0.0))
            continue;
        if (e->count == e->capacity &&
            st_grow((void **)&e->items, &e->capacity, e->count, sizeof *e->items) != ST_OK)
            return ST_ERR_NOMEM;
        e->items[e->count].name = st_vocab_name(m->vocab, n->index);
        e->items[e->count].contribution = sum;
        e->count++;
    }
    if (e->count > 1) /* items is NULL while nothing was added */
        qsort(e->items, e->count, sizeof *e->items, by_contribution);
    if (e->count > k)
        e->count = k;
    return ST_OK;
}

st_status st_model_predict(const st_model *m, st_extractor *x, const st_example *example, st_prediction *out,
                           size_t explain_k, st_explanation *explanation)
{
    /* The fast path: the vector straight from the text, no feature names
     * built (the same vector as st_extractor_run + st_vectorize). */
    const st_vector *v = NULL;
    st_status status = st_extractor_run_vector(x, m->vocab, example, &v);
    if (status != ST_OK)
        return status;
    st_model_predict_vector(m, v->nodes, out);
    out->features = v->count;
    out->unseen = v->unseen;
    if (explanation)
        status = explain(m, v->nodes, out->label, explain_k, explanation);
    return status;
}

/* ------------------------------------------------------------------ */
/* Files                                                               */

/* Reads a whole file (any size up to MAX_FILE_SIZE, no seeking). */
static int read_file(const char *path, char **data, size_t *size)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return errno ? errno : EIO;
    st_buf buf = {0};
    int err = 0;
    /* One allocation of the file's size when it has one (the loop still
     * reads to the end, whatever the size turns out to be): growing by
     * doubling copied the 3 MB model.svm several times. */
    struct stat st;
    size_t hint = 1 << 16;
    if (fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        (uintmax_t)st.st_size < (uintmax_t)MAX_FILE_SIZE)
        hint = (size_t)st.st_size + 1; /* +1: the read that finds the end */
    if (st_buf_reserve(&buf, hint) != ST_OK)
        err = ENOMEM;
    while (!err) {
        if (buf.cap - buf.len - 1 == 0 && st_buf_reserve(&buf, 1 << 16) != ST_OK) {
            err = ENOMEM;
            break;
        }
        size_t got = fread(buf.data + buf.len, 1, buf.cap - buf.len - 1, fp);
        buf.len += got;
        if (buf.len > MAX_FILE_SIZE) {
            err = EFBIG;
            break;
        }
        if (got == 0) {
            if (ferror(fp))
                err = errno ? errno : EIO;
            break;
        }
    }
    fclose(fp);
    if (err) {
        st_buf_free(&buf);
        return err;
    }
    if (!buf.data && st_buf_reserve(&buf, 0) != ST_OK)
        return ENOMEM;
    buf.data[buf.len] = '\0';
    *data = buf.data;
    *size = buf.len;
    return 0;
}

/*
 * Reads a whole file as read_file does, but maps it from the page cache
 * when it is a regular file of 64 KiB or more whose size is not a
 * multiple of the page size: no copy, and none of the fresh pages a
 * buffer of its size costs (model.svm, weights.bin and vocab.tsv are 80%
 * of a bundle; reading them was a sixth of loading one).  Past the end
 * of a file the last page of its mapping reads as zeros, so the bytes end
 * in a NUL as read_file's do, which the parsers rely on.  *mapped is the
 * mapping's length, or 0 for bytes from read_file; release_bytes frees
 * either.  The mapping is private and read-only; bundles are replaced by
 * rename (st_model_save), never rewritten in place, so the file under it
 * does not change while it is mapped.
 */
static int read_or_map(const char *path, char **data, size_t *size, size_t *mapped)
{
    *mapped = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        struct stat st;
        long page = sysconf(_SC_PAGESIZE);
        if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && page > 0 && st.st_size >= (off_t)1 << 16 &&
            (uintmax_t)st.st_size < (uintmax_t)MAX_FILE_SIZE && st.st_size % page != 0) {
            size_t n = (size_t)st.st_size;
            void *p = mmap(NULL, n, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
            if (p != MAP_FAILED) {
                close(fd);
                *data = p;
                *size = n;
                *mapped = n;
                return 0;
            }
        }
        close(fd);
    }
    return read_file(path, data, size);
}

/* Frees bytes from read_or_map (mapped: its *mapped) or read_file (0). */
static void release_bytes(char *data, size_t mapped)
{
    if (mapped)
        munmap(data, mapped);
    else
        free(data);
}

static void sha_hex(const char *data, size_t size, char hex[ST_SHA256_HEX_SIZE])
{
    st_sha256_hex(data, size, hex);
}

/* ------------------------------------------------------------------ */
/* Loading                                                             */

typedef struct manifest_entry {
    char *name;
    char hex[ST_SHA256_HEX_SIZE];
    int checked;
} manifest_entry;

typedef struct manifest {
    manifest_entry *items;
    size_t count, capacity;
} manifest;

static void manifest_clear(manifest *mf)
{
    for (size_t i = 0; i < mf->count; i++)
        free(mf->items[i].name);
    free(mf->items);
    memset(mf, 0, sizeof *mf);
}

static const manifest_entry *manifest_find(const manifest *mf, const char *name)
{
    for (size_t i = 0; i < mf->count; i++)
        if (strcmp(mf->items[i].name, name) == 0)
            return &mf->items[i];
    return NULL;
}

static int is_hex64(const char *s, size_t n)
{
    if (n != 64)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

/* A bundle file name: lowercase letters, digits, '.', '-', '_', one
 * optional "lexicon/" directory, no "..". */
static int safe_name(const char *s, size_t n)
{
    if (n == 0 || n > 200 || s[0] == '.' || s[0] == '/')
        return 0;
    int slashes = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '/') {
            if (++slashes > 1 || i + 1 == n || s[i + 1] == '.')
                return 0;
        } else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                     c == '-' || c == '_')) {
            return 0;
        }
    }
    return 1;
}

/* The version number of the first line "stance-model-bundle N", or -1. */
static long parse_version_line(const char *s, size_t n)
{
    size_t tag = strlen(VERSION_TAG);
    if (n < tag + 2 || memcmp(s, VERSION_TAG, tag) != 0 || s[tag] != ' ')
        return -1;
    long v = 0;
    for (size_t i = tag + 1; i < n; i++) {
        if (s[i] < '0' || s[i] > '9' || v > 100000)
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static st_status parse_manifest(const char *dir, const char *text, size_t size, manifest *mf, st_diag *diag)
{
    /* Line 1: the format version. */
    const char *nl = memchr(text, '\n', size);
    long version = nl ? parse_version_line(text, (size_t)(nl - text)) : -1;
    if (version < 0)
        return st_diag_fail(diag, ST_ERR_MODEL, "%s/%s: not a stance model bundle manifest", dir, MANIFEST_NAME);
    /* The last line: "manifest HEX\n" over everything before it. */
    int self_ok = 0;
    size_t last = 0;
    if (size > 0 && text[size - 1] == '\n') {
        last = size - 1;
        while (last > 0 && text[last - 1] != '\n')
            last--;
        size_t len = size - 1 - last, tag = strlen(MANIFEST_LAST);
        if (len == tag + 64 && memcmp(text + last, MANIFEST_LAST, tag) == 0) {
            char hex[ST_SHA256_HEX_SIZE];
            sha_hex(text, last, hex);
            self_ok = memcmp(hex, text + last + tag, 64) == 0;
        }
    }
    if (version != ST_MODEL_FORMAT_VERSION && self_ok)
        return st_diag_fail(diag, ST_ERR_MODEL,
                    "%s: model bundle format version %ld; this stance reads version %d (retrain the model)", dir,
                    version, ST_MODEL_FORMAT_VERSION);
    if (!self_ok)
        return st_diag_fail(diag, ST_ERR_MODEL, "%s/%s: checksum mismatch (file altered or truncated)", dir, MANIFEST_NAME);
    /* The entries: "HEX  NAME". */
    size_t lineno = 1;
    for (const char *p = nl + 1; p < text + last;) {
        const char *e = memchr(p, '\n', (size_t)(text + last - p));
        size_t len = (size_t)(e - p);
        lineno++;
        if (len < 67 || !is_hex64(p, 64) || p[64] != ' ' || p[65] != ' ' || !safe_name(p + 66, len - 66))
            return st_diag_fail(diag, ST_ERR_MODEL, "%s/%s:%zu: malformed entry", dir, MANIFEST_NAME, lineno);
        if (mf->count == mf->capacity &&
            st_grow((void **)&mf->items, &mf->capacity, mf->count, sizeof *mf->items) != ST_OK)
            return st_diag_fail(diag, ST_ERR_NOMEM, "out of memory");
        manifest_entry *entry = &mf->items[mf->count];
        entry->name = copy_string(p + 66, len - 66);
        if (!entry->name)
            return st_diag_fail(diag, ST_ERR_NOMEM, "out of memory");
        memcpy(entry->hex, p, 64);
        entry->hex[64] = '\0';
        mf->count++;
        if (manifest_find(mf, entry->name) != entry)
            return st_diag_fail(diag, ST_ERR_MODEL, "%s/%s:%zu: %s listed twice", dir, MANIFEST_NAME, lineno, entry->name);
        p = e + 1;
    }
    return ST_OK;
}

/* Reads a listed file, not yet checked: *data owns the bytes, *entry is
 * its manifest entry. */
static st_status read_listed(const char *dir, manifest *mf, const char *name, char **data, size_t *size,
                             size_t *mapped, manifest_entry **entry, st_diag *diag)
{
    *data = NULL;
    *entry = (manifest_entry *)manifest_find(mf, name);
    if (!*entry)
        return st_diag_fail(diag, ST_ERR_MODEL, "%s/%s: no entry for %s (damaged bundle)", dir, MANIFEST_NAME, name);
    char *path = join(dir, name);
    if (!path)
        return st_diag_fail(diag, ST_ERR_NOMEM, "out of memory");
    int err = mapped ? read_or_map(path, data, size, mapped) : read_file(path, data, size);
    if (err) {
        st_status status = err == ENOMEM ? ST_ERR_NOMEM : ST_ERR_MODEL;
        st_diag_fail(diag, status, "%s: %s%s", path, err == ENOENT ? "missing from the bundle: " : "", strerror(err));
        free(path);
        return status;
    }
    free(path);
    return ST_OK;
}

/* Compares a file's checksum with its entry: ST_OK and the entry marked
 * checked, or the mismatch. */
static st_status check_listed(const char *dir, manifest_entry *entry, const char hex[ST_SHA256_HEX_SIZE],
                              st_diag *diag)
{
    if (memcmp(hex, entry->hex, 64) != 0)
        return st_diag_fail(diag, ST_ERR_MODEL, "%s/%s: checksum mismatch (file altered or truncated)", dir, entry->name);
    entry->checked = 1;
    return ST_OK;
}

/* Reads a listed file and checks its checksum.  *data owns the bytes:
 * malloc'ed when mapped is NULL, else as read_or_map leaves them (free
 * with release_bytes(*data, *mapped)). */
static st_status read_verified_bytes(const char *dir, manifest *mf, const char *name, char **data, size_t *size,
                                     size_t *mapped, st_diag *diag)
{
    manifest_entry *entry;
    st_status status = read_listed(dir, mf, name, data, size, mapped, &entry, diag);
    if (status != ST_OK)
        return status;
    char hex[ST_SHA256_HEX_SIZE];
    sha_hex(*data, *size, hex);
    if ((status = check_listed(dir, entry, hex, diag)) != ST_OK) {
        release_bytes(*data, mapped ? *mapped : 0);
        *data = NULL;
    }
    return status;
}

static st_status read_verified(const char *dir, manifest *mf, const char *name, char **data, size_t *size,
                               st_diag *diag)
{
    return read_verified_bytes(dir, mf, name, data, size, NULL, diag);
}

/* Work run on a thread of its own while the load goes on, or at once
 * when no thread can be started; background_join waits for it (again:
 * nothing).  Loading uses two: the prefetch and the vocabulary's index. */
typedef struct background {
    pthread_t thread;
    int threaded;
} background;

static void background_start(background *bg, void *(*fn)(void *), void *arg)
{
    bg->threaded = pthread_create(&bg->thread, NULL, fn, arg) == 0;
    if (!bg->threaded)
        fn(arg);
}

static void background_join(background *bg)
{
    if (bg->threaded)
        pthread_join(bg->thread, NULL);
    bg->threaded = 0;
}

/*
 * model.svm, the biggest file (3.5 MB for the default model), and
 * weights.bin read and checksummed on a second thread from the moment the
 * manifest is parsed, while this one reads and parses everything else
 * (model.svm's checksum alone took as long as the vocabulary's parse).
 * Nothing read there is used before the threads meet in prefetch_finish,
 * and errors are reported then, in the order they always were.  Without a
 * thread it all runs at once, in prefetch_start.
 */
#define PREFETCH_FILES 2
static const char *const prefetch_names[PREFETCH_FILES] = {"model.svm", ST_WEIGHTS_FILE};

typedef struct prefetched {
    manifest_entry *entry; /* NULL: not listed */
    char *path;            /* NULL when listed: out of memory */
    char *text;
    size_t size;
    size_t mapped; /* read_or_map's */
    int err;       /* read_or_map's */
    char hex[ST_SHA256_HEX_SIZE];
} prefetched;

typedef struct svm_prefetch {
    prefetched file[PREFETCH_FILES];
    background bg;
} svm_prefetch;

static void *prefetch_run(void *arg)
{
    svm_prefetch *pf = arg;
    for (int i = 0; i < PREFETCH_FILES; i++) {
        prefetched *f = &pf->file[i];
        if (!f->path)
            continue;
        f->err = read_or_map(f->path, &f->text, &f->size, &f->mapped);
        if (!f->err)
            sha_hex(f->text, f->size, f->hex);
    }
    return NULL;
}

/* Starts reading the files the manifest lists; a missing entry is
 * reported by prefetch_finish, in its turn. */
static void prefetch_start(const char *dir, manifest *mf, svm_prefetch *pf)
{
    memset(pf, 0, sizeof *pf);
    for (int i = 0; i < PREFETCH_FILES; i++) {
        prefetched *f = &pf->file[i];
        f->entry = (manifest_entry *)manifest_find(mf, prefetch_names[i]);
        if (f->entry)
            f->path = join(dir, prefetch_names[i]);
    }
    background_start(&pf->bg, prefetch_run, pf);
}

/* Waits for the reading thread. */
static void prefetch_wait(svm_prefetch *pf)
{
    background_join(&pf->bg);
}

/* Frees whatever the prefetch holds. */
static void prefetch_clear(svm_prefetch *pf)
{
    background_join(&pf->bg);
    for (int i = 0; i < PREFETCH_FILES; i++) {
        release_bytes(pf->file[i].text, pf->file[i].mapped);
        free(pf->file[i].path);
    }
    memset(pf, 0, sizeof *pf);
}

/* File i (prefetch_names), checked as read_verified would; on success
 * *text owns its verified bytes (release_bytes(*text, *mapped)). */
static st_status prefetch_finish(const char *dir, svm_prefetch *pf, int i, char **text, size_t *size,
                                 size_t *mapped, st_diag *diag)
{
    *text = NULL;
    *mapped = 0;
    prefetch_wait(pf);
    prefetched *f = &pf->file[i];
    if (!f->entry)
        return st_diag_fail(diag, ST_ERR_MODEL, "%s/%s: no entry for %s (damaged bundle)", dir, MANIFEST_NAME,
                            prefetch_names[i]);
    if (!f->path)
        return st_diag_fail(diag, ST_ERR_NOMEM, "out of memory");
    if (f->err) {
        st_status status = f->err == ENOMEM ? ST_ERR_NOMEM : ST_ERR_MODEL;
        return st_diag_fail(diag, status, "%s: %s%s", f->path, f->err == ENOENT ? "missing from the bundle: " : "",
                            strerror(f->err));
    }
    st_status status = check_listed(dir, f->entry, f->hex, diag);
    if (status != ST_OK)
        return status;
    *text = f->text;
    *size = f->size;
    *mapped = f->mapped;
    f->text = NULL;
    f->mapped = 0;
    return ST_OK;
}

/* An rbf model.svm, read whole. */
static st_status load_svm_full(const char *dir, svm_prefetch *pf, st_model *m, st_diag *diag)
{
    char *text = NULL;
    size_t size = 0, mapped = 0; /* set on success; -O3 cannot see that */
    st_status status = prefetch_finish(dir, pf, 0, &text, &size, &mapped, diag);
    if (status != ST_OK)
        return status;
    st_diag_clear(diag);
    status = st_svmfile_parse(text, size, ST_LABEL_COUNT, st_vocab_size(m->vocab), &m->svm, diag);
    release_bytes(text, mapped);
    if (status != ST_OK)
        return rewrap(diag, status == ST_ERR_NOMEM ? status : ST_ERR_MODEL, dir, "model.svm");
    return ST_OK;
}

/* weights.bin, its checksum already compared: decoded against model.svm's
 * header (the number of pairs) and the vocabulary. */
static st_status decode_weights(const char *dir, st_model *m, const char *data, size_t size, st_diag *diag)
{
    size_t k = (size_t)m->svm->nr_class, npairs = k * (k - 1) / 2;
    st_diag_clear(diag);
    st_status status = st_weights_decode(data, size, npairs, st_vocab_size(m->vocab), &m->weights, diag);
    if (status != ST_OK)
        return rewrap(diag, status, dir, ST_WEIGHTS_FILE);
    m->npairs = npairs;
    return ST_OK;
}

/*
 * A linear model: only model.svm's header is parsed (rho, labels, the
 * probability sigmoids); the weights come from weights.bin, written by
 * `stance train` from the same model.svm (st_weights.h), instead of
 * folding its thousands of support vectors again.  model.svm's bytes are
 * still checksummed and kept: st_model_svm parses them whole on request.
 * Errors in order: model.svm (missing, checksum), its header, weights.bin
 * (missing, checksum), weights.bin's content.
 */
static st_status load_svm_linear(const char *dir, svm_prefetch *pf, st_model *m, st_diag *diag)
{
    char *text, *wdata = NULL;
    size_t size, wsize = 0, mapped = 0, wmapped = 0;
    st_status status = prefetch_finish(dir, pf, 0, &text, &size, &mapped, diag);
    if (status != ST_OK)
        return status;
    st_diag_clear(diag);
    if ((status = st_svmfile_parse_header(text, size, ST_LABEL_COUNT, &m->svm, diag)) != ST_OK) {
        status = rewrap(diag, status == ST_ERR_NOMEM ? status : ST_ERR_MODEL, dir, "model.svm");
        goto fail;
    }
    if ((status = prefetch_finish(dir, pf, 1, &wdata, &wsize, &wmapped, diag)) != ST_OK ||
        (status = decode_weights(dir, m, wdata, wsize, diag)) != ST_OK)
        goto fail;
    release_bytes(wdata, wmapped);
    wdata = NULL;
    if (pthread_mutex_init(&m->full_lock, NULL) != 0) {
        status = st_diag_fail(diag, ST_ERR_NOMEM, "out of memory");
        goto fail;
    }
    m->folded = 1;
    m->svm_text = text;
    m->svm_size = size;
    m->svm_mapped = mapped;
    return ST_OK;
fail:
    release_bytes(wdata, wmapped);
    release_bytes(text, mapped);
    if (m->svm)
        svm_free_and_destroy_model(&m->svm);
    free(m->weights);
    m->weights = NULL;
    return status;
}

static st_status load_svm(const char *dir, svm_prefetch *pf, st_model *m, st_diag *diag)
{
    if (m->params.kernel == ST_KERNEL_LINEAR)
        return load_svm_linear(dir, pf, m, diag);
    return load_svm_full(dir, pf, m, diag);
}

/*
 * The vocabulary's n-gram index (st_vocab_index_ngrams), a third of
 * reading vocab.tsv, built on a thread of its own while this one reads
 * the lexicon, model.svm's header and the weights, which use the
 * vocabulary's size only (background).  Joined before st_model_load
 * returns, on every path.
 */
static void *index_run(void *arg)
{
    st_vocab_index_ngrams(arg);
    return NULL;
}

static st_status version_text(char *buf, size_t size)
{
    snprintf(buf, size, "%s %d\n", VERSION_TAG, ST_MODEL_FORMAT_VERSION);
    return ST_OK;
}

st_status st_model_load(const char *dir_arg, st_model **out, st_diag *diag)
{
    *out = NULL;
    /* "models/x/" and "models/x" name the same bundle; messages use the latter. */
    size_t dn = strlen(dir_arg);
    while (dn > 1 && dir_arg[dn - 1] == '/')
        dn--;
    char *dir = copy_string(dir_arg, dn);
    if (!dir)
        return st_diag_fail(diag, ST_ERR_NOMEM, "out of memory");
    st_model *m = NULL;
    manifest mf = {0};
    svm_prefetch pf = {0};
    background ix = {0};
    char *text = NULL, *path = NULL;
    size_t size = 0;
    st_status status = ST_OK;

    struct stat st;
    if (stat(dir, &st) != 0) {
        status = st_diag_fail(diag, ST_ERR_MODEL, "%s: no model bundle here: %s", dir, strerror(errno));
        goto done;
    }
    if (!S_ISDIR(st.st_mode)) {
        status = st_diag_fail(diag, ST_ERR_MODEL, "%s: not a model bundle (a bundle is a directory)", dir);
        goto done;
    }
    path = join(dir, MANIFEST_NAME);
    if (!path) {
        status = st_diag_fail(diag, ST_ERR_NOMEM, "out of memory");
        goto done;
    }
    int err = read_file(path, &text, &size);
    if (err) {
        status = st_diag_fail(diag, err == ENOMEM ? ST_ERR_NOMEM : ST_ERR_MODEL, "%s: %s%s", dir,
                      err == ENOENT ? "not a model bundle (no MANIFEST): " : "", strerror(err));
        goto done;
    }
    status = parse_manifest(dir, text, size, &mf, diag);
    free(text);
    text = NULL;
    if (status != ST_OK)
        goto done;
    prefetch_start(dir, &mf, &pf);

    m = calloc(1, sizeof *m);
    if (!m) {
        status = st_diag_fail(diag, ST_ERR_NOMEM, "out of memory");
        goto done;
    }
    char expect[64];
    version_text(expect, sizeof expect);
    if ((status = read_verified(dir, &mf, "VERSION", &text, &size, diag)) != ST_OK)
        goto done;
    if (size != strlen(expect) || memcmp(text, expect, size) != 0) {
        status = st_diag_fail(diag, ST_ERR_MODEL, "%s/VERSION: not \"%s %d\"", dir, VERSION_TAG, ST_MODEL_FORMAT_VERSION);
        goto done;
    }
    free(text);
    text = NULL;

    if ((status = read_verified(dir, &mf, "labels", &text, &size, diag)) != ST_OK)
        goto done;
    if (size != strlen(LABELS_TEXT) || memcmp(text, LABELS_TEXT, size) != 0) {
        status = st_diag_fail(diag, ST_ERR_MODEL, "%s/labels: the labels are not threatening, conciliatory, neutral", dir);
        goto done;
    }
    free(text);
    text = NULL;

    if ((status = read_verified(dir, &mf, "params.tsv", &text, &size, diag)) != ST_OK)
        goto done;
    st_diag_clear(diag);
    if ((status = st_params_parse(text, size, "params.tsv", &m->params, diag)) != ST_OK) {
        status = rewrap(diag, ST_ERR_MODEL, dir, "params.tsv");
        goto done;
    }
    free(text);
    text = NULL;

    char *vtext;
    size_t vsize, vmapped;
    if ((status = read_verified_bytes(dir, &mf, "vocab.tsv", &vtext, &vsize, &vmapped, diag)) != ST_OK)
        goto done;
    st_diag_clear(diag);
    status = st_vocab_parse_unindexed(vtext, vsize, &m->vocab, diag);
    release_bytes(vtext, vmapped);
    if (status != ST_OK) {
        status = rewrap(diag, status == ST_ERR_NOMEM ? status : ST_ERR_MODEL, dir, "vocab.tsv");
        goto done;
    }
    background_start(&ix, index_run, m->vocab);

    if ((status = st_lexicon_new(&m->lex)) != ST_OK) {
        st_diag_fail(diag, status, "out of memory");
        goto done;
    }
    for (int k = 0; k < ST_LEXICON_KIND_COUNT; k++) {
        char name[64];
        snprintf(name, sizeof name, "lexicon/%s", st_lexicon_kind_file((st_lexicon_kind)k));
        if ((status = read_verified(dir, &mf, name, &m->lexicon_text[k], &m->lexicon_size[k], diag)) != ST_OK)
            goto done;
        st_diag_clear(diag);
        status = st_lexicon_parse((st_lexicon_kind)k, name, m->lexicon_text[k], m->lexicon_size[k], m->lex, diag);
        if (status != ST_OK) {
            status = rewrap(diag, status == ST_ERR_NOMEM ? status : ST_ERR_MODEL, dir, name);
            goto done;
        }
    }

    if (manifest_find(&mf, "metrics.json")) {
        if ((status = read_verified(dir, &mf, "metrics.json", &m->metrics, &m->metrics_len, diag)) != ST_OK)
            goto done;
    }

    /* model.svm: read from the verified bytes by our strict reader, never
     * by svm_load_model (st_svmfile.h says why). */
    if ((status = load_svm(dir, &pf, m, diag)) != ST_OK)
        goto done;
    free(path);
    path = join(dir, "model.svm");
    if (!path) {
        status = st_diag_fail(diag, ST_ERR_NOMEM, "out of memory");
        goto done;
    }
    if ((status = check_svm(m, path, diag)) != ST_OK)
        goto done;
    if (!m->folded && (status = compute_weights(m)) != ST_OK) {
        st_diag_fail(diag, status, "out of memory");
        goto done;
    }
    /* Every other file the manifest lists must be intact too. */
    for (size_t i = 0; i < mf.count; i++) {
        if (mf.items[i].checked)
            continue;
        status = read_verified(dir, &mf, mf.items[i].name, &text, &size, diag);
        free(text);
        text = NULL;
        if (status != ST_OK)
            goto done;
    }

done:
    background_join(&ix); /* before st_model_free, and before the model is used */
    prefetch_clear(&pf); /* before the manifest: pf points into it */
    free(text);
    free(path);
    manifest_clear(&mf);
    free(dir);
    if (status != ST_OK) {
        st_model_free(m);
        return status;
    }
    *out = m;
    return ST_OK;
}

/* ------------------------------------------------------------------ */
/* Saving                                                              */

/* Removes a directory tree we created (regular files, up to two levels). */
static void remove_tree(const char *path, int depth)
{
    DIR *d = opendir(path);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char *child = join(path, e->d_name);
            if (!child)
                continue;
            struct stat st;
            if (lstat(child, &st) == 0) {
                if (S_ISDIR(st.st_mode)) {
                    if (depth > 0)
                        remove_tree(child, depth - 1);
                } else {
                    unlink(child);
                }
            }
            free(child);
        }
        closedir(d);
    }
    rmdir(path);
}

static int fsync_path(const char *path, int directory)
{
    int fd = open(path, directory ? O_RDONLY | O_DIRECTORY : O_RDONLY);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    /* Some file systems cannot fsync a directory; that is not a failure. */
    if (rc != 0 && directory && (errno == EINVAL || errno == EBADF))
        rc = 0;
    close(fd);
    return rc;
}

typedef struct bundle_writer {
    const char *target; /* for messages */
    char *temp;         /* the temporary directory */
    st_buf manifest;
    st_diag *diag;
} bundle_writer;

static st_status add_to_manifest(bundle_writer *w, const char *name, const char *data, size_t size)
{
    char hex[ST_SHA256_HEX_SIZE];
    sha_hex(data, size, hex);
    if (st_buf_append(&w->manifest, hex, 64) != ST_OK || st_buf_append(&w->manifest, "  ", 2) != ST_OK ||
        st_buf_append(&w->manifest, name, strlen(name)) != ST_OK || st_buf_push(&w->manifest, '\n') != ST_OK)
        return st_diag_fail(w->diag, ST_ERR_NOMEM, "out of memory");
    return ST_OK;
}

/* Writes data to temp/name, fsyncs it, and (list) adds it to the manifest. */
static st_status write_member(bundle_writer *w, const char *name, const char *data, size_t size, int list)
{
    char *path = join(w->temp, name);
    if (!path)
        return st_diag_fail(w->diag, ST_ERR_NOMEM, "out of memory");
    st_status status = ST_OK;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0666);
    if (fd < 0) {
        status = st_diag_fail(w->diag, ST_ERR_IO, "%s: %s", path, strerror(errno));
        goto done;
    }
    size_t done_bytes = 0;
    while (done_bytes < size) {
        ssize_t n = write(fd, data + done_bytes, size - done_bytes);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            status = st_diag_fail(w->diag, ST_ERR_IO, "%s: write error: %s", path, strerror(n < 0 ? errno : EIO));
            close(fd);
            goto done;
        }
        done_bytes += (size_t)n;
    }
    if (fsync(fd) != 0) {
        status = st_diag_fail(w->diag, ST_ERR_IO, "%s: %s", path, strerror(errno));
        close(fd);
        goto done;
    }
    if (close(fd) != 0) {
        status = st_diag_fail(w->diag, ST_ERR_IO, "%s: %s", path, strerror(errno));
        goto done;
    }
    if (list)
        status = add_to_manifest(w, name, data, size);
done:
    free(path);
    return status;
}

/* libsvm writes model.svm itself; read it back to checksum and fsync it.
 * *text receives the bytes written (malloc'ed). */
static st_status write_svm(bundle_writer *w, const struct svm_model *svm, char **text, size_t *text_size)
{
    char *path = join(w->temp, "model.svm");
    if (!path)
        return st_diag_fail(w->diag, ST_ERR_NOMEM, "out of memory");
    st_status status = ST_OK;
    char *data = NULL;
    size_t size = 0;
    errno = 0;
    if (svm_save_model(path, svm) != 0) {
        status = st_diag_fail(w->diag, ST_ERR_IO, "%s: cannot write the libsvm model: %s", path,
                      strerror(errno ? errno : EIO));
        goto done;
    }
    if (fsync_path(path, 0) != 0) {
        status = st_diag_fail(w->diag, ST_ERR_IO, "%s: %s", path, strerror(errno));
        goto done;
    }
    int err = read_file(path, &data, &size);
    if (err) {
        status = st_diag_fail(w->diag, err == ENOMEM ? ST_ERR_NOMEM : ST_ERR_IO, "%s: %s", path, strerror(err));
        goto done;
    }
    status = add_to_manifest(w, "model.svm", data, size);
    if (status == ST_OK) {
        *text = data;
        *text_size = size;
        data = NULL;
    }
done:
    free(data);
    free(path);
    return status;
}

/*
 * weights.bin: the weights folded from the model.svm just written, so the
 * loader's weights are, by construction, those folding that file gives
 * (not the trained model's own, whose sums could differ in the last bit).
 */
static st_status write_weights(bundle_writer *w, const char *svm_text, size_t svm_size, size_t nfeatures)
{
    size_t maxpairs = ST_LABEL_COUNT * (ST_LABEL_COUNT - 1) / 2;
    if (nfeatures + 1 > SIZE_MAX / sizeof(double) / maxpairs)
        return st_diag_fail(w->diag, ST_ERR_NOMEM, "out of memory");
    double *weights = calloc(maxpairs * (nfeatures + 1), sizeof *weights);
    if (!weights)
        return st_diag_fail(w->diag, ST_ERR_NOMEM, "out of memory");
    struct svm_model *svm = NULL;
    int folded = 0;
    char *data = NULL;
    size_t size = 0;
    st_diag_clear(w->diag);
    st_status status =
        st_svmfile_parse_folded(svm_text, svm_size, ST_LABEL_COUNT, nfeatures, weights, &svm, &folded, w->diag);
    if (status != ST_OK) {
        status = rewrap(w->diag, status == ST_ERR_NOMEM ? status : ST_ERR_MODEL, w->temp, "model.svm");
    } else if (!folded) {
        status = st_diag_fail(w->diag, ST_ERR_MODEL, "%s/model.svm: not a linear model", w->temp);
    } else {
        size_t npairs = (size_t)svm->nr_class * (size_t)(svm->nr_class - 1) / 2;
        /* Folded rows are maxpairs wide; the file's are npairs wide. */
        for (size_t f = 0; npairs < maxpairs && f <= nfeatures; f++)
            memmove(weights + f * npairs, weights + f * maxpairs, npairs * sizeof *weights);
        if ((status = st_weights_encode(weights, npairs, nfeatures, &data, &size)) != ST_OK)
            st_diag_fail(w->diag, status, "out of memory");
        else
            status = write_member(w, ST_WEIGHTS_FILE, data, size, 1);
    }
    if (svm)
        svm_free_and_destroy_model(&svm);
    free(data);
    free(weights);
    return status;
}

/* Whether an existing target may be replaced: a bundle or an empty directory. */
static st_status check_target(const char *target, int *exists, st_diag *diag)
{
    struct stat st;
    *exists = 0;
    if (lstat(target, &st) != 0) {
        if (errno == ENOENT)
            return ST_OK;
        return st_diag_fail(diag, ST_ERR_IO, "%s: %s", target, strerror(errno));
    }
    if (!S_ISDIR(st.st_mode))
        return st_diag_fail(diag, ST_ERR_USAGE, "%s exists and is not a model bundle; not replacing it", target);
    *exists = 1;
    char *manifest_path = join(target, MANIFEST_NAME);
    if (!manifest_path)
        return st_diag_fail(diag, ST_ERR_NOMEM, "out of memory");
    int is_bundle = access(manifest_path, F_OK) == 0;
    free(manifest_path);
    if (is_bundle)
        return ST_OK;
    DIR *d = opendir(target);
    if (!d)
        return st_diag_fail(diag, ST_ERR_IO, "%s: %s", target, strerror(errno));
    int empty = 1;
    struct dirent *e;
    while (empty && (e = readdir(d)) != NULL)
        empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
    closedir(d);
    if (!empty)
        return st_diag_fail(diag, ST_ERR_USAGE, "%s exists and is not a model bundle; not replacing it", target);
    return ST_OK;
}

/* The directory holding `path` ("." when it has no slash). */
static char *parent_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return copy_string(".", 1);
    if (slash == path)
        return copy_string("/", 1);
    return copy_string(path, (size_t)(slash - path));
}

/*
 * Robustness (issue 7): a save killed outright (SIGKILL, power loss)
 * leaves its temporary directory TARGET.tmp.PID.XXXXXX beside the target;
 * the old bundle is untouched, since only a rename puts a new one in
 * place.  The next save into the same target removes the temporary
 * directories whose process is gone (not those of a save still running).
 */
static void remove_stale_temps(const char *target)
{
    char *parent = parent_of(target);
    DIR *d = parent ? opendir(parent) : NULL;
    if (!d) {
        free(parent);
        return;
    }
    const char *slash = strrchr(target, '/');
    const char *base = slash ? slash + 1 : target;
    size_t bn = strlen(base);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        const char *name = e->d_name;
        if (strncmp(name, base, bn) != 0 || strncmp(name + bn, ".tmp.", 5) != 0)
            continue;
        const char *digits = name + bn + 5;
        char *end;
        errno = 0;
        long pid = strtol(digits, &end, 10);
        if (errno || pid <= 0 || end == digits || *end != '.' || strlen(end + 1) != 6)
            continue;
        if (pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        char *path = join(parent, name);
        if (path)
            remove_tree(path, 2);
        free(path);
    }
    closedir(d);
    free(parent);
}

/* Puts temp in place of target (which exists): one atomic exchange where
 * the system has it, else two renames (the old bundle moves aside first). */
static st_status swap_in(bundle_writer *w, const char *target, st_diag *diag)
{
#ifdef RENAME_EXCHANGE
    if (renameat2(AT_FDCWD, w->temp, AT_FDCWD, target, RENAME_EXCHANGE) == 0) {
        remove_tree(w->temp, 2); /* now the old bundle */
        return ST_OK;
    }
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
        return st_diag_fail(diag, ST_ERR_IO, "%s: %s", target, strerror(errno));
#endif
    size_t n = strlen(target);
    char *old = malloc(n + 16);
    if (!old)
        return st_diag_fail(diag, ST_ERR_NOMEM, "out of memory");
    snprintf(old, n + 16, "%s.old.XXXXXX", target);
    if (!mkdtemp(old)) {
        st_status s = st_diag_fail(diag, ST_ERR_IO, "%s: %s", old, strerror(errno));
        free(old);
        return s;
    }
    rmdir(old); /* only the unique name was wanted */
    if (rename(target, old) != 0) {
        st_status s = st_diag_fail(diag, ST_ERR_IO, "%s: %s", target, strerror(errno));
        free(old);
        return s;
    }
    if (rename(w->temp, target) != 0) {
        st_status s = st_diag_fail(diag, ST_ERR_IO, "%s: %s", target, strerror(errno));
        (void)rename(old, target); /* put the old bundle back */
        free(old);
        return s;
    }
    remove_tree(old, 2);
    free(old);
    return ST_OK;
}

st_status st_model_save(const st_model *m, const char *dir_arg, st_diag *diag)
{
    size_t dn = strlen(dir_arg);
    while (dn > 1 && dir_arg[dn - 1] == '/')
        dn--;
    if (dn == 0 || (dn == 1 && dir_arg[0] == '/'))
        return st_diag_fail(diag, ST_ERR_USAGE, "%s: not a usable bundle directory", dir_arg);
    char *target = copy_string(dir_arg, dn);
    if (!target)
        return st_diag_fail(diag, ST_ERR_NOMEM, "out of memory");
    bundle_writer w = {.target = target, .diag = diag};
    char *text = NULL, *parent = NULL;
    size_t size;
    int exists = 0, made = 0;
    st_status status = check_target(target, &exists, diag);
    if (status != ST_OK)
        goto done;

    remove_stale_temps(target);
    w.temp = malloc(dn + 40);
    if (!w.temp) {
        status = st_diag_fail(diag, ST_ERR_NOMEM, "out of memory");
        goto done;
    }
    /* The writer's process id in the name: remove_stale_temps. */
    snprintf(w.temp, dn + 40, "%s.tmp.%ld.XXXXXX", target, (long)getpid());
    if (!mkdtemp(w.temp)) {
        status = st_diag_fail(diag, ST_ERR_IO, "%s: cannot create a temporary directory beside it: %s", target,
                      strerror(errno));
        goto done;
    }
    made = 1;
    mode_t mask = umask(0);
    umask(mask);
    (void)chmod(w.temp, 0777 & ~mask);

    char version[64];
    version_text(version, sizeof version);
    if (st_buf_append(&w.manifest, version, strlen(version)) != ST_OK) {
        status = st_diag_fail(diag, ST_ERR_NOMEM, "out of memory");
        goto done;
    }
    if ((status = write_member(&w, "VERSION", version, strlen(version), 1)) != ST_OK)
        goto done;
    if ((status = write_member(&w, "labels", LABELS_TEXT, strlen(LABELS_TEXT), 1)) != ST_OK)
        goto done;
    if ((status = st_params_format(&m->params, &text, &size)) != ST_OK) {
        st_diag_fail(diag, status, "params.tsv: %s", st_strerror(status));
        goto done;
    }
    if ((status = write_member(&w, "params.tsv", text, size, 1)) != ST_OK)
        goto done;
    free(text);
    text = NULL;
    if ((status = st_vocab_format(m->vocab, &text, &size)) != ST_OK) {
        st_diag_fail(diag, status, "vocab.tsv: %s", st_strerror(status));
        goto done;
    }
    if ((status = write_member(&w, "vocab.tsv", text, size, 1)) != ST_OK)
        goto done;
    free(text);
    text = NULL;
    /* (a loaded linear model's vectors are parsed here, first time) */
    const struct svm_model *svm = st_model_svm(m);
    if (!svm) {
        status = st_diag_fail(diag, ST_ERR_MODEL, "model.svm: the libsvm model cannot be built (out of memory?)");
        goto done;
    }
    if ((status = write_svm(&w, svm, &text, &size)) != ST_OK)
        goto done;
    if (svm->param.kernel_type == LINEAR &&
        (status = write_weights(&w, text, size, st_vocab_size(m->vocab))) != ST_OK)
        goto done;
    free(text);
    text = NULL;

    char *lexdir = join(w.temp, "lexicon");
    if (!lexdir) {
        status = st_diag_fail(diag, ST_ERR_NOMEM, "out of memory");
        goto done;
    }
    if (mkdir(lexdir, 0777) != 0) {
        status = st_diag_fail(diag, ST_ERR_IO, "%s: %s", lexdir, strerror(errno));
        free(lexdir);
        goto done;
    }
    for (int k = 0; k < ST_LEXICON_KIND_COUNT && status == ST_OK; k++) {
        char name[64];
        snprintf(name, sizeof name, "lexicon/%s", st_lexicon_kind_file((st_lexicon_kind)k));
        status = write_member(&w, name, m->lexicon_text[k], m->lexicon_size[k], 1);
    }
    if (status == ST_OK && fsync_path(lexdir, 1) != 0)
        status = st_diag_fail(diag, ST_ERR_IO, "%s: %s", lexdir, strerror(errno));
    free(lexdir);
    if (status != ST_OK)
        goto done;
    if (m->metrics &&
        (status = write_member(&w, "metrics.json", m->metrics, m->metrics_len, 1)) != ST_OK)
        goto done;

    /* The manifest's own checksum covers every line before it. */
    char hex[ST_SHA256_HEX_SIZE];
    sha_hex(w.manifest.data, w.manifest.len, hex);
    if (st_buf_append(&w.manifest, MANIFEST_LAST, strlen(MANIFEST_LAST)) != ST_OK ||
        st_buf_append(&w.manifest, hex, 64) != ST_OK || st_buf_push(&w.manifest, '\n') != ST_OK) {
        status = st_diag_fail(diag, ST_ERR_NOMEM, "out of memory");
        goto done;
    }
    if ((status = write_member(&w, MANIFEST_NAME, w.manifest.data, w.manifest.len, 0)) != ST_OK)
        goto done;
    if (fsync_path(w.temp, 1) != 0) {
        status = st_diag_fail(diag, ST_ERR_IO, "%s: %s", w.temp, strerror(errno));
        goto done;
    }

    if (exists) {
        /* The target may have appeared or changed since the check. */
        if ((status = check_target(target, &exists, diag)) != ST_OK)
            goto done;
    }
    if (exists) {
        if ((status = swap_in(&w, target, diag)) != ST_OK)
            goto done;
    } else if (rename(w.temp, target) != 0) {
        status = st_diag_fail(diag, ST_ERR_IO, "%s: %s", target, strerror(errno));
        goto done;
    }
    made = 0;
    parent = parent_of(target);
    if (parent)
        (void)fsync_path(parent, 1);

done:
    if (made)
        remove_tree(w.temp, 2);
    free(text);
    free(parent);
    free(w.temp);
    st_buf_free(&w.manifest);
    free(target);
    return status;
}
