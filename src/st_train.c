/*
 * st_train.c - stratified cross-validation, the parameter search, the
 * final model (libsvm or liblinear) and the training report.  See
 * st_train.h.
 */
#include "st_train.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linear.h>

#include "st_util.h"

static const double grid_c[] = {0.03, 0.1, 0.3, 1, 3, 10};
static const double grid_gamma[] = {0.1, 0.3, 1, 3};
/* Stop searching along C after this many values in a row without a gain. */
#define GRID_PATIENCE 2
/* liblinear's stopping tolerance (its own default for this solver). */
#define LIBLINEAR_EPS 0.01


static void progress(const st_train_options *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void progress(const st_train_options *o, const char *fmt, ...)
{
    if (!o->progress)
        return;
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    o->progress(o->progress_ctx, msg);
}

/* ------------------------------------------------------------------ */
/* Folds: splitmix64, the same sequence on every machine               */

static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

/* A uniform integer in [0, n) without modulo bias. */
static size_t uniform(uint64_t *state, size_t n)
{
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t r;
    do
        r = splitmix64(state);
    while (r >= limit);
    return (size_t)(r % n);
}

/*
 * fold[i] for each of n items of label[i] (0..nlabels-1): within each
 * label the items are shuffled (Fisher-Yates) and dealt to the folds in
 * turn, the deal going on from label to label, so every fold gets its
 * share of every label.
 */
static st_status deal_folds(size_t n, const int *label, int nlabels, int folds, uint64_t state, int *fold)
{
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    if (!order)
        return ST_ERR_NOMEM;
    size_t deal = 0;
    for (int l = 0; l < nlabels; l++) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (label[i] == l)
                order[m++] = i;
        for (size_t i = m; i > 1; i--) {
            size_t j = uniform(&state, i);
            size_t t = order[i - 1];
            order[i - 1] = order[j];
            order[j] = t;
        }
        for (size_t i = 0; i < m; i++)
            fold[order[i]] = (int)(deal++ % (size_t)folds);
    }
    free(order);
    return ST_OK;
}

static st_status make_folds(const st_dataset *ds, int folds, int seed, int *fold)
{
    size_t n = st_dataset_count(ds);
    int *label = malloc((n ? n : 1) * sizeof *label);
    if (!label)
        return ST_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        label[i] = st_dataset_row(ds, i)->label;
    st_status status = deal_folds(n, label, ST_LABEL_COUNT, folds, (uint64_t)(unsigned)seed, fold);
    free(label);
    return status;
}

/* ------------------------------------------------------------------ */
/* Features: every row extracted once                                   */

static st_example example_of(const st_row *row)
{
    st_example ex = {row->quote, row->quote_len, row->sentence, row->sentence_len};
    return ex;
}

/*
 * Every feature of every row, by a global id (the order of first sight
 * in `all`, whose counts are the number of rows a feature occurs in).
 * A fold's vocabulary is then the names whose count over the fold's
 * training rows reaches min_count, numbered in byte order of the names,
 * exactly what extracting those rows again and st_vocab_prune would
 * give; a fold's vectors are the cached values (st_feature_value) put
 * through st_vector_normalize, exactly what st_vectorize would give.  One extraction per row instead of two per fold.
 */
typedef struct feature_cache {
    st_vocab *all;
    size_t rows;
    size_t *start;     /* row i: entries start[i] .. start[i + 1) */
    uint32_t *gid;     /* 1-based ids in `all` */
    double *value;     /* st_feature_value of raw value and scale; NAN: no node */
    size_t entries, entries_cap;
    uint32_t *by_name; /* the global ids in byte order of their names */
} feature_cache;

static void cache_clear(feature_cache *c)
{
    st_vocab_free(c->all);
    free(c->start);
    free(c->gid);
    free(c->value);
    free(c->by_name);
    memset(c, 0, sizeof *c);
}

typedef struct name_ref {
    const char *name;
    size_t len;
    uint32_t gid;
} name_ref;

/* st_vocab_prune's order: bytes, then the shorter first. */
static int name_ref_cmp(const void *a, const void *b)
{
    const name_ref *x = a, *y = b;
    return st_vocab_name_order(x->name, x->len, y->name, y->len);
}

static st_status cache_build(st_extractor *x, const st_dataset *ds, feature_cache *c, st_diag *diag)
{
    memset(c, 0, sizeof *c);
    size_t n = st_dataset_count(ds);
    c->rows = n;
    st_status status = st_vocab_new(&c->all);
    c->start = malloc((n + 1) * sizeof *c->start);
    if (status != ST_OK || !c->start)
        return st_diag_fail(diag, ST_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        c->start[i] = c->entries;
        const st_row *row = st_dataset_row(ds, i);
        st_example ex = example_of(row);
        if ((status = st_extractor_run(x, &ex)) != ST_OK)
            return st_diag_fail(diag, status, "%s:%zu: feature extraction failed: %s", row->file, row->line,
                        st_strerror(status));
        size_t count = st_extractor_count(x);
        if (c->entries + count > c->entries_cap) {
            size_t cap = c->entries_cap ? c->entries_cap : 1 << 16;
            while (cap < c->entries + count)
                cap *= 2;
            uint32_t *g = realloc(c->gid, cap * sizeof *g);
            if (g)
                c->gid = g;
            double *r = realloc(c->value, cap * sizeof *r);
            if (r)
                c->value = r;
            if (!g || !r)
                return st_diag_fail(diag, ST_ERR_NOMEM, "out of memory");
            c->entries_cap = cap;
        }
        for (size_t k = 0; k < count; k++) {
            size_t len;
            const char *name = st_extractor_name(x, k, &len);
            int id;
            if ((status = st_vocab_add(c->all, name, len, &id)) != ST_OK)
                return st_diag_fail(diag, status, "out of memory");
            c->gid[c->entries] = (uint32_t)id;
            double raw = st_extractor_value(x, k);
            c->value[c->entries] = raw > 0 && isfinite(raw) ? st_feature_value(raw, st_extractor_scale(x, k)) : NAN;
            c->entries++;
        }
    }
    c->start[n] = c->entries;
    size_t ngid = st_vocab_size(c->all);
    name_ref *refs = malloc((ngid ? ngid : 1) * sizeof *refs);
    c->by_name = malloc((ngid ? ngid : 1) * sizeof *c->by_name);
    if (!refs || !c->by_name) {
        free(refs);
        return st_diag_fail(diag, ST_ERR_NOMEM, "out of memory");
    }
    for (size_t g = 1; g <= ngid; g++) {
        refs[g - 1].name = st_vocab_name(c->all, (int)g);
        refs[g - 1].len = strlen(refs[g - 1].name);
        refs[g - 1].gid = (uint32_t)g;
    }
    qsort(refs, ngid, sizeof *refs, name_ref_cmp);
    for (size_t r = 0; r < ngid; r++)
        c->by_name[r] = refs[r].gid;
    free(refs);
    return ST_OK;
}

/*
 * map[gid] = the id of a vocabulary made from the rows outside one fold
 * (skip[gid]: the count of gid within that fold; NULL: every row), 0
 * for a name under min_count.  Returns the vocabulary's size.
 */
static size_t fold_map(const feature_cache *c, const uint32_t *skip, int min_count, uint32_t *map)
{
    size_t ngid = st_vocab_size(c->all), next = 0;
    map[0] = 0;
    for (size_t r = 0; r < ngid; r++) {
        uint32_t g = c->by_name[r];
        size_t count = st_vocab_count(c->all, (int)g) - (skip ? skip[g] : 0);
        map[g] = count >= (size_t)min_count ? (uint32_t)++next : 0;
    }
    return next;
}

/* Rows as a libsvm (or liblinear) problem: all node arrays in one block. */
typedef struct packed {
    size_t n;
    double *y;
    struct svm_node **x;
    struct svm_node *nodes; /* storage the rows point into */
    size_t *row;            /* dataset index of each packed row */
    size_t features;        /* feature occurrences (known + unseen) */
    size_t unseen;
} packed;

static void packed_clear(packed *p)
{
    free(p->y);
    free(p->x);
    free(p->nodes);
    free(p->row);
    memset(p, 0, sizeof *p);
}

/*
 * Packs the rows with (in_fold ? fold == which : fold != which); which < 0:
 * all.  bias > 0: each row ends with the node (bias, 1), liblinear's bias
 * feature.
 */
static st_status pack(const feature_cache *c, const uint32_t *map, const st_dataset *ds, const int *fold,
                      int which, int in_fold, int bias, packed *out, st_diag *diag)
{
    memset(out, 0, sizeof *out);
    size_t n = c->rows, m = 0, total = 0;
    for (size_t i = 0; i < n; i++) {
        if (which < 0 || (fold[i] == which) == (in_fold != 0)) {
            m++;
            total += c->start[i + 1] - c->start[i] + 2; /* features, bias, terminator */
        }
    }
    size_t *offset = malloc((m ? m : 1) * sizeof *offset);
    out->y = malloc((m ? m : 1) * sizeof *out->y);
    out->x = malloc((m ? m : 1) * sizeof *out->x);
    out->row = malloc((m ? m : 1) * sizeof *out->row);
    out->nodes = malloc((total ? total : 1) * sizeof *out->nodes);
    if (!offset || !out->y || !out->x || !out->row || !out->nodes) {
        free(offset);
        packed_clear(out);
        return st_diag_fail(diag, ST_ERR_NOMEM, "out of memory");
    }
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(which < 0 || (fold[i] == which) == (in_fold != 0)))
            continue;
        struct svm_node *v = out->nodes + used;
        size_t count = 0, unseen = 0;
        for (size_t e = c->start[i]; e < c->start[i + 1]; e++) {
            uint32_t id = map[c->gid[e]];
            if (id == 0) {
                unseen++;
                continue;
            }
            double value = c->value[e];
            if (isnan(value))
                continue; /* as st_vectorize: a raw value <= 0 adds no node */
            v[count].index = (int)id;
            v[count].value = value;
            count++;
        }
        count = st_vector_normalize(v, count);
        out->features += count + unseen;
        out->unseen += unseen;
        if (bias > 0) {
            v[count].index = bias;
            v[count].value = 1.0;
            count++;
            v[count].index = -1;
            v[count].value = 0;
        }
        offset[out->n] = used;
        out->y[out->n] = st_dataset_row(ds, i)->label;
        out->row[out->n] = i;
        out->n++;
        used += count + 1;
    }
    for (size_t k = 0; k < out->n; k++)
        out->x[k] = out->nodes + offset[k];
    free(offset);
    return ST_OK;
}

/* ------------------------------------------------------------------ */
/* libsvm                                                              */

/* C-SVC without probability estimates: libsvm's own (-b 1) would cost
 * another 5-fold cross-validation of every pair on the full data, drawn
 * from the shared rand(); the final model's sigmoids are fitted on the
 * decision values of our folds instead (calibrate_pairs). */
static st_status train_svm(const packed *p, const st_params *params, double c, double gamma, size_t nfeatures,
                           struct svm_model **out, st_diag *diag)
{
    *out = NULL;
    if (p->n > (size_t)INT32_MAX)
        return st_diag_fail(diag, ST_ERR_USAGE, "too many training rows for libsvm");
    size_t counts[ST_LABEL_COUNT] = {0};
    for (size_t i = 0; i < p->n; i++)
        counts[(int)p->y[i]]++;
    int present = 0;
    for (int l = 0; l < ST_LABEL_COUNT; l++)
        present += counts[l] > 0;
    if (present < 2)
        return st_diag_fail(diag, ST_ERR_INPUT, "training needs rows of at least two labels");

    int weight_label[ST_LABEL_COUNT];
    double weight[ST_LABEL_COUNT];
    struct svm_parameter sp;
    memset(&sp, 0, sizeof sp);
    sp.svm_type = C_SVC;
    sp.kernel_type = params->kernel == ST_KERNEL_RBF ? RBF : LINEAR;
    sp.gamma = gamma > 0 ? gamma : 1.0 / (double)(nfeatures ? nfeatures : 1);
    sp.cache_size = 200;
    sp.eps = 1e-3;
    sp.C = c;
    sp.shrinking = 1;
    sp.probability = 0;
    if (params->class_weight == ST_CLASS_WEIGHT_BALANCED) {
        for (int l = 0; l < ST_LABEL_COUNT; l++) {
            if (!counts[l])
                continue;
            weight_label[sp.nr_weight] = l;
            weight[sp.nr_weight] = (double)p->n / ((double)present * (double)counts[l]);
            sp.nr_weight++;
        }
        sp.weight_label = weight_label;
        sp.weight = weight;
    }
    struct svm_problem prob = {(int)p->n, p->y, p->x};
    const char *why = svm_check_parameter(&prob, &sp);
    if (why)
        return st_diag_fail(diag, ST_ERR_USAGE, "libsvm: %s", why);
    struct svm_model *model = svm_train(&prob, &sp);
    if (!model)
        return st_diag_fail(diag, ST_ERR_NOMEM, "libsvm could not train a model");
    /* weight arrays live on this stack frame: the model must not keep them. */
    model->param.nr_weight = 0;
    model->param.weight = NULL;
    model->param.weight_label = NULL;
    *out = model;
    return ST_OK;
}

/* ------------------------------------------------------------------ */
/* liblinear: one-vs-one, like libsvm                                   */

/*
 * A linear model as libsvm's C-SVC would have it: for each pair of
 * classes (i, j), i < j, in the order the classes first appear in the
 * data, a weight vector and a bias with dec = w.x - rho > 0 voting for i,
 * and (when calibrated) Platt's sigmoid of dec.  Each pair is a binary
 * liblinear problem: L2-regularised squared hinge loss, solved in the
 * primal by its trust-region Newton method, which draws no random
 * numbers (liblinear's dual solvers shuffle with the process-wide
 * rand(), so parallel folds would not be reproducible), with a bias
 * feature of value 1 and the balanced class weights of the libsvm path.
 */
typedef struct linear_pairs {
    int k;                     /* classes */
    int label[ST_LABEL_COUNT]; /* our label of class i */
    size_t width;              /* of each weight row: feature ids 0..nfeat + 1 */
    double *w;                 /* pair p: w[p * width + id] */
    double rho[ST_LABEL_COUNT], prob_a[ST_LABEL_COUNT], prob_b[ST_LABEL_COUNT];
} linear_pairs;

static void quiet_liblinear(const char *s)
{
    (void)s;
}

/* Platt's sigmoid fit, as libsvm's sigmoid_train (Lin, Lin and Weng's
 * Newton method with backtracking; labels > 0 are the positive class). */
static void sigmoid_train(size_t l, const double *dec, const signed char *label, double *a_out, double *b_out)
{
    double prior1 = 0, prior0 = 0;
    for (size_t i = 0; i < l; i++) {
        if (label[i] > 0)
            prior1 += 1;
        else
            prior0 += 1;
    }
    int max_iter = 100;
    double min_step = 1e-10, sigma = 1e-12, eps = 1e-5;
    double hi = (prior1 + 1.0) / (prior1 + 2.0), lo = 1 / (prior0 + 2.0);
    double a = 0.0, b = log((prior0 + 1.0) / (prior1 + 1.0)), fval = 0.0;
    for (size_t i = 0; i < l; i++) {
        double t = label[i] > 0 ? hi : lo;
        double f = dec[i] * a + b;
        fval += f >= 0 ? t * f + log(1 + exp(-f)) : (t - 1) * f + log(1 + exp(f));
    }
    for (int iter = 0; iter < max_iter; iter++) {
        double h11 = sigma, h22 = sigma, h21 = 0.0, g1 = 0.0, g2 = 0.0;
        for (size_t i = 0; i < l; i++) {
            double f = dec[i] * a + b, p, q;
            if (f >= 0) {
                p = exp(-f) / (1.0 + exp(-f));
                q = 1.0 / (1.0 + exp(-f));
            } else {
                p = 1.0 / (1.0 + exp(f));
                q = exp(f) / (1.0 + exp(f));
            }
            double d2 = p * q, t = label[i] > 0 ? hi : lo, d1 = t - p;
            h11 += dec[i] * dec[i] * d2;
            h22 += d2;
            h21 += dec[i] * d2;
            g1 += dec[i] * d1;
            g2 += d1;
        }
        if (fabs(g1) < eps && fabs(g2) < eps)
            break;
        double det = h11 * h22 - h21 * h21;
        double da = -(h22 * g1 - h21 * g2) / det, db = -(-h21 * g1 + h11 * g2) / det;
        double gd = g1 * da + g2 * db, step = 1;
        while (step >= min_step) {
            double na = a + step * da, nb = b + step * db, nf = 0.0;
            for (size_t i = 0; i < l; i++) {
                double t = label[i] > 0 ? hi : lo;
                double f = dec[i] * na + nb;
                nf += f >= 0 ? t * f + log(1 + exp(-f)) : (t - 1) * f + log(1 + exp(f));
            }
            if (nf < fval + 0.0001 * step * gd) {
                a = na;
                b = nb;
                fval = nf;
                break;
            }
            step /= 2.0;
        }
        if (step < min_step)
            break;
    }
    *a_out = a;
    *b_out = b;
}

/* One binary problem: rows x[0..l) with labels +1 / -1 and class costs
 * cp, cn.  Writes w (width entries, by feature id) and *rho so that
 * dec = w.x - rho > 0 means +1.  warm (nfeat + 1 entries, may be NULL):
 * liblinear's solution for the same rows at a smaller C, its starting
 * point when *warm_valid, and this solution afterwards (the search along
 * C starts each fold's next point where the last one ended, as
 * liblinear's own parameter search does). */
static st_status train_binary(struct svm_node **x, double *y, size_t l, size_t nfeat, double c, double cp,
                              double cn, double *warm, int *warm_valid, double *w, size_t width, double *rho,
                              st_diag *diag)
{
    memset(w, 0, width * sizeof *w);
    *rho = 0;
    int has_pos = 0, has_neg = 0;
    for (size_t i = 0; i < l; i++) {
        if (y[i] > 0)
            has_pos = 1;
        else
            has_neg = 1;
    }
    if (!has_pos || !has_neg) {
        /* One class only: a constant decision for it. */
        *rho = has_pos ? -1 : 1;
        return ST_OK;
    }
    int weight_label[2] = {+1, -1};
    double weight[2] = {cp, cn};
    struct problem prob = {(int)l, (int)nfeat + 1, y, (struct feature_node **)x, 1.0};
    struct parameter param;
    memset(&param, 0, sizeof param);
    param.solver_type = L2R_L2LOSS_SVC;
    param.eps = LIBLINEAR_EPS;
    param.C = c;
    param.nr_weight = 2;
    param.weight_label = weight_label;
    param.weight = weight;
    param.p = 0.1;
    if (warm && *warm_valid)
        param.init_sol = warm;
    const char *why = check_parameter(&prob, &param);
    if (why)
        return st_diag_fail(diag, ST_ERR_USAGE, "liblinear: %s", why);
    struct model *m = train(&prob, &param);
    if (!m)
        return st_diag_fail(diag, ST_ERR_NOMEM, "liblinear could not train a model");
    if (warm) {
        memcpy(warm, m->w, (nfeat + 1) * sizeof *warm);
        *warm_valid = 1;
    }
    double sign = m->label[0] == 1 ? 1.0 : -1.0;
    for (size_t f = 1; f <= nfeat; f++)
        w[f] = sign * m->w[f - 1];
    *rho = -sign * m->w[nfeat];
    free_and_destroy_model(&m);
    return ST_OK;
}

static double pair_decision(const double *w, double rho, const struct svm_node *x)
{
    double sum = 0;
    for (; x->index != -1; x++)
        sum += w[x->index] * x->value;
    return sum - rho;
}

/* The pairwise vote, as libsvm's svm_predict: our label. */
static int linear_pairs_vote(const linear_pairs *lp, const struct svm_node *x)
{
    int vote[ST_LABEL_COUNT] = {0};
    size_t p = 0;
    for (int i = 0; i < lp->k; i++)
        for (int j = i + 1; j < lp->k; j++, p++)
            vote[pair_decision(lp->w + p * lp->width, lp->rho[p], x) > 0 ? i : j]++;
    int best = 0;
    for (int i = 1; i < lp->k; i++)
        if (vote[i] > vote[best])
            best = i;
    return lp->label[best];
}

/*
 * Cross-validated decision values, kept from the search for Platt's
 * sigmoids: for each row (dataset order) and each pair of our labels
 * (a, b), a < b, in the order (0,1), (0,2), (1,2), the decision of the
 * fold model that did not see the row, positive for a; NAN when that
 * fold had no such pair.
 */
#define LABEL_PAIRS (ST_LABEL_COUNT * (ST_LABEL_COUNT - 1) / 2)

static int label_pair(int a, int b)
{
    int lo = a < b ? a : b, hi = a < b ? b : a;
    return lo == 0 ? hi - 1 : 2; /* (0,1) 0, (0,2) 1, (1,2) 2 */
}

/* One row's decisions v of a model with k classes label[0..k) (pairs in
 * libsvm's order) into d (LABEL_PAIRS entries, by label_pair). */
static void store_decisions(int k, const int *label, const double *v, double *d)
{
    for (int q = 0; q < LABEL_PAIRS; q++)
        d[q] = NAN;
    size_t p = 0;
    for (int i = 0; i < k; i++)
        for (int j = i + 1; j < k; j++, p++)
            d[label_pair(label[i], label[j])] = label[i] < label[j] ? v[p] : -v[p];
}

/* The decision values of the test rows by a fold's pairs, into dec. */
static void record_decisions(const linear_pairs *lp, const packed *test, double *dec)
{
    for (size_t r = 0; r < test->n; r++) {
        double v[LABEL_PAIRS];
        size_t p = 0;
        for (int i = 0; i < lp->k; i++)
            for (int j = i + 1; j < lp->k; j++, p++)
                v[p] = pair_decision(lp->w + p * lp->width, lp->rho[p], test->x[r]);
        store_decisions(lp->k, lp->label, v, dec + test->row[r] * LABEL_PAIRS);
    }
}

/*
 * Platt's sigmoid for each pair of a final model with k classes
 * label[0..k) (pairs in libsvm's order), fitted on the rows of its two
 * labels from their cross-validated decision values: what libsvm's -b 1
 * does with an internal cross-validation of each pair, here on the
 * decision values the folds computed anyway.  Into prob_a, prob_b.
 */
static st_status calibrate_pairs(int k, const int *label, const st_dataset *ds, const double *dec,
                                 double *prob_a, double *prob_b, st_diag *diag)
{
    size_t n = st_dataset_count(ds);
    double *d = malloc((n ? n : 1) * sizeof *d);
    signed char *lab = malloc(n ? n : 1);
    if (!d || !lab) {
        free(d);
        free(lab);
        return st_diag_fail(diag, ST_ERR_NOMEM, "out of memory");
    }
    size_t p = 0;
    for (int i = 0; i < k; i++) {
        for (int j = i + 1; j < k; j++, p++) {
            int li = label[i], lj = label[j], q = label_pair(li, lj);
            size_t m = 0;
            for (size_t r = 0; r < n; r++) {
                int l = st_dataset_row(ds, r)->label;
                double v = dec[r * LABEL_PAIRS + q];
                if ((l != li && l != lj) || isnan(v))
                    continue;
                d[m] = li < lj ? v : -v;
                lab[m] = l == li ? 1 : -1;
                m++;
            }
            sigmoid_train(m, d, lab, &prob_a[p], &prob_b[p]);
        }
    }
    free(d);
    free(lab);
    return ST_OK;
}

static void linear_pairs_clear(linear_pairs *lp)
{
    free(lp->w);
    memset(lp, 0, sizeof *lp);
}

/* Warm starts of one fold's pairs along the C search (train_binary). */
typedef struct warm_start {
    double *w[LABEL_PAIRS];
    int valid[LABEL_PAIRS];
} warm_start;

static void warm_start_clear(warm_start *ws)
{
    for (int p = 0; p < LABEL_PAIRS; p++)
        free(ws->w[p]);
    memset(ws, 0, sizeof *ws);
}

static st_status train_linear(const packed *p, const st_params *params, double c, size_t nfeat, warm_start *ws,
                              linear_pairs *lp, st_diag *diag)
{
    memset(lp, 0, sizeof *lp);
    size_t counts[ST_LABEL_COUNT] = {0};
    int cls_of[ST_LABEL_COUNT] = {-1, -1, -1};
    for (size_t i = 0; i < p->n; i++) {
        int l = (int)p->y[i];
        if (counts[l]++ == 0) {
            cls_of[l] = lp->k;
            lp->label[lp->k++] = l;
        }
    }
    if (lp->k < 2)
        return st_diag_fail(diag, ST_ERR_INPUT, "training needs rows of at least two labels");
    double cost[ST_LABEL_COUNT];
    for (int i = 0; i < lp->k; i++) {
        cost[i] = 1.0;
        if (params->class_weight == ST_CLASS_WEIGHT_BALANCED)
            cost[i] = (double)p->n / ((double)lp->k * (double)counts[lp->label[i]]);
    }
    size_t npairs = (size_t)lp->k * (size_t)(lp->k - 1) / 2;
    lp->width = nfeat + 2;
    lp->w = calloc(npairs * lp->width, sizeof *lp->w);
    struct svm_node **sx = malloc((p->n ? p->n : 1) * sizeof *sx);
    double *sy = malloc((p->n ? p->n : 1) * sizeof *sy);
    st_status status = ST_OK;
    if (!lp->w || !sx || !sy) {
        status = st_diag_fail(diag, ST_ERR_NOMEM, "out of memory");
        goto done;
    }
    size_t pair = 0;
    for (int i = 0; i < lp->k && status == ST_OK; i++) {
        for (int j = i + 1; j < lp->k && status == ST_OK; j++, pair++) {
            size_t m = 0;
            for (size_t r = 0; r < p->n; r++) {
                int cl = cls_of[(int)p->y[r]];
                if (cl == i || cl == j) {
                    sx[m] = p->x[r];
                    sy[m] = cl == i ? +1 : -1;
                    m++;
                }
            }
            double *warm = NULL;
            if (ws) {
                if (!ws->w[pair] && !(ws->w[pair] = malloc((nfeat + 1) * sizeof *ws->w[pair]))) {
                    status = st_diag_fail(diag, ST_ERR_NOMEM, "out of memory");
                    break;
                }
                warm = ws->w[pair];
            }
            status = train_binary(sx, sy, m, nfeat, c, cost[i], cost[j], warm, ws ? &ws->valid[pair] : NULL,
                                  lp->w + pair * lp->width, lp->width, &lp->rho[pair], diag);
        }
    }
done:
    free(sx);
    free(sy);
    if (status != ST_OK)
        linear_pairs_clear(lp);
    return status;
}

/*
 * The pairs as a libsvm model, so that the bundle, the fast path, the
 * explanations and libsvm's own svm-predict read it like any other: the
 * weight vector of pair (i, j) is one "support vector" of class i whose
 * coefficient is 1 for that pair and 0 for class i's other pairs, and
 * rho is the pair's bias.  libsvm's svm_predict_values then computes
 * exactly w.x - rho for each pair.
 */
static st_status linear_pairs_to_svm(const linear_pairs *lp, double c, struct svm_model **out, st_diag *diag)
{
    *out = NULL;
    int k = lp->k;
    size_t npairs = (size_t)k * (size_t)(k - 1) / 2, nodes = 0, nfeat = lp->width - 2;
    for (size_t p = 0; p < npairs; p++)
        for (size_t f = 1; f <= nfeat; f++)
            nodes += lp->w[p * lp->width + f] != 0;
    nodes += npairs;
    struct svm_model *m = calloc(1, sizeof *m);
    if (!m)
        return st_diag_fail(diag, ST_ERR_NOMEM, "out of memory");
    m->rho = malloc(npairs * sizeof *m->rho);
    m->probA = malloc(npairs * sizeof *m->probA);
    m->probB = malloc(npairs * sizeof *m->probB);
    m->label = malloc((size_t)k * sizeof *m->label);
    m->nSV = calloc((size_t)k, sizeof *m->nSV);
    m->sv_coef = calloc((size_t)(k - 1), sizeof *m->sv_coef);
    m->SV = malloc(npairs * sizeof *m->SV);
    struct svm_node *block = malloc(nodes * sizeof *block);
    int ok = m->rho && m->probA && m->probB && m->label && m->nSV && m->sv_coef && m->SV && block;
    for (int i = 0; ok && i < k - 1; i++)
        ok = (m->sv_coef[i] = calloc(npairs, sizeof **m->sv_coef)) != NULL;
    if (!ok) {
        if (m->sv_coef)
            for (int i = 0; i < k - 1; i++)
                free(m->sv_coef[i]);
        free(m->sv_coef);
        free(m->rho);
        free(m->probA);
        free(m->probB);
        free(m->label);
        free(m->nSV);
        free(m->SV);
        free(block);
        free(m);
        return st_diag_fail(diag, ST_ERR_NOMEM, "out of memory");
    }
    m->param.svm_type = C_SVC;
    m->param.kernel_type = LINEAR;
    m->param.C = c;
    m->nr_class = k;
    m->l = (int)npairs;
    m->free_sv = 1; /* SV[0] is the node block, as svm_load_model makes it */
    size_t used = 0, sv = 0, p = 0;
    for (int i = 0; i < k; i++)
        m->label[i] = lp->label[i];
    for (int i = 0; i < k; i++) {
        for (int j = i + 1; j < k; j++, p++, sv++) {
            /* Pairs come in libsvm's order, so the SVs are grouped by class i. */
            m->nSV[i]++;
            m->sv_coef[j - 1][sv] = 1.0;
            m->rho[p] = lp->rho[p];
            m->probA[p] = lp->prob_a[p];
            m->probB[p] = lp->prob_b[p];
            m->SV[sv] = block + used;
            const double *w = lp->w + p * lp->width;
            for (size_t f = 1; f <= nfeat; f++) {
                if (w[f] != 0) {
                    block[used].index = (int)f;
                    block[used].value = w[f];
                    used++;
                }
            }
            block[used].index = -1;
            block[used].value = 0;
            used++;
        }
    }
    *out = m;
    return ST_OK;
}

/* ------------------------------------------------------------------ */
/* Cross-validation: the folds train in parallel threads.  Fold models
 * have no probability estimates (libsvm would draw their folds from the
 * shared rand()), so each fold is deterministic on its own and the folds'
 * counts are pooled in fold order.  They label by the pairwise vote;
 * the final model labels by the most probable label, which agrees with
 * the vote on almost every row.  Each fold also records the decision
 * values of its test rows, from which the final model's sigmoids are
 * fitted. */

/* One fold: its vocabulary as a map from the cache's ids; its vectors are
 * packed by the job that trains it and freed after, so that memory holds
 * the cache and as many packed folds as there are workers, not k. */
typedef struct fold_data {
    const feature_cache *cache;
    const st_dataset *data;
    const int *fold_of; /* fold of each row */
    int index;
    uint32_t *map;
    size_t nfeatures;
    int bias;           /* liblinear's bias feature id (0: none) */
    warm_start warm;    /* liblinear */
} fold_data;

static void fold_data_clear(fold_data *f)
{
    free(f->map);
    f->map = NULL;
    warm_start_clear(&f->warm);
}

typedef struct fold_job {
    fold_data *fold;
    const st_params *params;
    int solver;
    double c, gamma;
    double *dec; /* decisions of the test rows (LABEL_PAIRS a row) */
    st_metrics metrics;
    st_status status;
    st_diag diag;
} fold_job;

/*
 * The final model on every row, without its sigmoids (they need every
 * fold's decisions).  Without a parameter search its C is known from the
 * start, so it trains in the same pool as the folds: it is the largest
 * job, and the workers share it with the folds instead of idling while
 * it trains alone after them.  Nothing in it depends on the thread it
 * runs on.
 */
typedef struct final_job {
    const packed *all;
    const st_params *params;
    int solver;
    double c, gamma;
    size_t nfeatures;
    struct svm_model *svm; /* libsvm (owned until taken) */
    linear_pairs lp;       /* liblinear (owned until taken) */
    int done;              /* run_final has run */
    st_status status;
    st_diag diag;
} final_job;

static void run_final(final_job *job)
{
    st_diag_clear(&job->diag);
    if (job->solver == ST_SOLVER_LIBLINEAR)
        job->status = train_linear(job->all, job->params, job->c, job->nfeatures, NULL, &job->lp, &job->diag);
    else
        job->status = train_svm(job->all, job->params, job->c, job->gamma, job->nfeatures, &job->svm, &job->diag);
    job->done = 1;
}

static void final_job_clear(final_job *job)
{
    if (job->svm)
        svm_free_and_destroy_model(&job->svm);
    linear_pairs_clear(&job->lp);
}

static void run_fold(fold_job *job)
{
    st_metrics_clear(&job->metrics);
    st_diag_clear(&job->diag);
    job->status = ST_OK;
    fold_data *fd = job->fold;
    packed train = {0}, test = {0};
    job->status = pack(fd->cache, fd->map, fd->data, fd->fold_of, fd->index, 1, fd->bias, &test, &job->diag);
    if (job->status != ST_OK || test.n == 0)
        goto done;
    if ((job->status = pack(fd->cache, fd->map, fd->data, fd->fold_of, fd->index, 0, fd->bias, &train,
                            &job->diag)) != ST_OK)
        goto done;
    if (job->solver == ST_SOLVER_LIBLINEAR) {
        linear_pairs lp;
        job->status = train_linear(&train, job->params, job->c, fd->nfeatures, &fd->warm, &lp, &job->diag);
        if (job->status != ST_OK)
            goto done;
        for (size_t i = 0; i < test.n; i++)
            st_metrics_add(&job->metrics, (int)test.y[i], linear_pairs_vote(&lp, test.x[i]));
        if (job->dec)
            record_decisions(&lp, &test, job->dec);
        linear_pairs_clear(&lp);
        goto done;
    }
    struct svm_model *model = NULL;
    job->status = train_svm(&train, job->params, job->c, job->gamma, fd->nfeatures, &model, &job->diag);
    if (job->status != ST_OK)
        goto done;
    for (size_t i = 0; i < test.n; i++) {
        /* svm_predict's vote, with the decision values it is made of. */
        double v[LABEL_PAIRS];
        int l = (int)svm_predict_values(model, test.x[i], v);
        st_metrics_add(&job->metrics, (int)test.y[i], l >= 0 && l < ST_LABEL_COUNT ? l : ST_LABEL_NEUTRAL);
        if (job->dec)
            store_decisions(model->nr_class, model->label, v, job->dec + test.row[i] * LABEL_PAIRS);
    }
    svm_free_and_destroy_model(&model);
done:
    packed_clear(&train);
    packed_clear(&test);
}

/* Job 0 is the final model when there is one, the folds follow. */
typedef struct fold_pool {
    fold_job *jobs;
    int count;
    final_job *final; /* may be NULL */
    int next;
    pthread_mutex_t lock;
} fold_pool;

static void *fold_worker(void *arg)
{
    fold_pool *pool = arg;
    int first = pool->final ? 1 : 0;
    for (;;) {
        pthread_mutex_lock(&pool->lock);
        int f = pool->next < pool->count + first ? pool->next++ : -1;
        pthread_mutex_unlock(&pool->lock);
        if (f < 0)
            return NULL;
        if (f < first)
            run_final(pool->final);
        else
            run_fold(&pool->jobs[f - first]);
    }
}

static int worker_count(int jobs, int asked)
{
    long cpus = asked > 0 ? asked : sysconf(_SC_NPROCESSORS_ONLN);
    if (cpus < 1)
        cpus = 1;
    if (cpus > 16)
        cpus = 16;
    return cpus < jobs ? (int)cpus : jobs;
}

/* final (may be NULL): the final model, trained alongside the folds; its
 * status is the caller's to check. */
static st_status cross_validate(fold_data *folds, int k, const st_params *params, int solver, double c,
                                double gamma, double *dec, final_job *final, const st_train_options *o,
                                st_metrics *m, st_diag *diag)
{
    st_metrics_clear(m);
    if (gamma > 0)
        progress(o, "cross-validation: C=%g gamma=%g, %d folds", c, gamma, k);
    else
        progress(o, "cross-validation: C=%g, %d folds", c, k);
    fold_job *jobs = calloc((size_t)k, sizeof *jobs);
    if (!jobs)
        return st_diag_fail(diag, ST_ERR_NOMEM, "out of memory");
    for (int f = 0; f < k; f++) {
        jobs[f].fold = &folds[f];
        jobs[f].params = params;
        jobs[f].solver = solver;
        jobs[f].c = c;
        jobs[f].gamma = gamma;
        jobs[f].dec = dec;
    }
    fold_pool pool = {jobs, k, final, 0, PTHREAD_MUTEX_INITIALIZER};
    int nthreads = worker_count(k + (final ? 1 : 0), o->threads);
    pthread_t threads[16];
    int started = 0;
    for (int t = 1; t < nthreads; t++) {
        if (pthread_create(&threads[started], NULL, fold_worker, &pool) != 0)
            break; /* fewer threads: the work still gets done */
        started++;
    }
    fold_worker(&pool);
    for (int t = 0; t < started; t++)
        pthread_join(threads[t], NULL);
    st_status status = ST_OK;
    for (int f = 0; f < k && status == ST_OK; f++) {
        if (jobs[f].status != ST_OK) {
            status = jobs[f].status;
            if (diag)
                *diag = jobs[f].diag;
        } else {
            st_metrics_merge(m, &jobs[f].metrics);
        }
    }
    free(jobs);
    return status;
}

static st_status add_point(st_train_report *r, double c, double gamma, const st_metrics *m, st_diag *diag)
{
    size_t cap = r->grid_count; /* grows one at a time: a handful of points */
    st_grid_point *grid = realloc(r->grid, (cap + 1) * sizeof *grid);
    if (!grid)
        return st_diag_fail(diag, ST_ERR_NOMEM, "out of memory");
    r->grid = grid;
    grid[r->grid_count].c = c;
    grid[r->grid_count].gamma = gamma;
    grid[r->grid_count].cv = *m;
    r->grid_count++;
    return ST_OK;
}

/* Searches (or just evaluates) the parameters; fills r->grid and r->chosen.
 * *best_dec gets the cross-validated decision values at the chosen point
 * (n rows of LABEL_PAIRS; malloc'ed).  final (may be NULL): the final
 * model, trained alongside the first point's folds (without a search,
 * the only point). */
static st_status search(fold_data *folds, int k, const st_params *params, int solver, size_t n,
                        final_job *final, const st_train_options *o, st_train_report *r, double **best_dec,
                        st_diag *diag)
{
    double *dec = malloc((n ? n : 1) * LABEL_PAIRS * sizeof *dec);
    *best_dec = malloc((n ? n : 1) * LABEL_PAIRS * sizeof **best_dec);
    if (!dec || !*best_dec) {
        free(dec);
        free(*best_dec);
        *best_dec = NULL;
        return st_diag_fail(diag, ST_ERR_NOMEM, "out of memory");
    }
    st_status status = ST_OK;
    const double *cs = grid_c, *gammas = grid_gamma;
    size_t ncs = sizeof grid_c / sizeof grid_c[0], ngammas = sizeof grid_gamma / sizeof grid_gamma[0];
    if (!params->grid) {
        cs = &params->c;
        ncs = 1;
    }
    int rbf = params->kernel == ST_KERNEL_RBF;
    if (!rbf || !params->grid || params->gamma > 0) {
        gammas = rbf ? &params->gamma : NULL;
        ngammas = 1;
    }
    double best = -1.0;
    for (size_t g = 0; g < ngammas; g++) {
        double gamma = gammas ? gammas[g] : 0.0;
        double best_here = -1.0;
        int worse = 0;
        for (size_t i = 0; i < ncs; i++) {
            st_metrics m;
            status = cross_validate(folds, k, params, solver, cs[i], gamma, dec, final, o, &m, diag);
            final = NULL;
            if (status == ST_OK)
                status = add_point(r, cs[i], gamma, &m, diag);
            if (status != ST_OK)
                goto done;
            double f1 = st_metrics_macro_f1(&m);
            if (f1 > best) {
                best = f1;
                r->chosen = r->grid_count - 1;
                double *t = *best_dec;
                *best_dec = dec;
                dec = t;
            }
            if (f1 > best_here) {
                best_here = f1;
                worse = 0;
            } else if (++worse >= GRID_PATIENCE) {
                break;
            }
        }
    }
done:
    free(dec);
    if (status != ST_OK) {
        free(*best_dec);
        *best_dec = NULL;
    }
    return status;
}

/* ------------------------------------------------------------------ */

void st_train_report_clear(st_train_report *r)
{
    if (!r)
        return;
    free(r->grid);
    memset(r, 0, sizeof *r);
}

int st_train_solver(const st_params *params, size_t rows)
{
    if (params->solver != ST_SOLVER_AUTO)
        return params->solver;
    if (params->kernel == ST_KERNEL_RBF)
        return ST_SOLVER_LIBSVM;
    return rows >= ST_SOLVER_AUTO_ROWS ? ST_SOLVER_LIBLINEAR : ST_SOLVER_LIBSVM;
}

st_status st_train(const st_dataset *data, const st_train_options *o, st_model **out, st_train_report *r,
                   st_diag *diag)
{
    *out = NULL;
    memset(r, 0, sizeof *r);
    const st_params *params = o->params;
    st_status status = st_params_validate(params, diag);
    if (status != ST_OK)
        return status;
    size_t n = st_dataset_count(data);
    int k = params->folds;
    r->rows = n;
    r->folds = k;
    for (size_t i = 0; i < n; i++) {
        int l = st_dataset_row(data, i)->label;
        if (l < 0 || l >= ST_LABEL_COUNT)
            return st_diag_fail(diag, ST_ERR_INPUT, "%s:%zu: the row has no label", st_dataset_row(data, i)->file,
                        st_dataset_row(data, i)->line);
        r->label_rows[l]++;
    }
    int present = 0;
    for (int l = 0; l < ST_LABEL_COUNT; l++)
        present += r->label_rows[l] > 0;
    if (present < 2)
        return st_diag_fail(diag, ST_ERR_INPUT, "training needs rows of at least two labels (%zu rows given)", n);
    if (n < (size_t)k)
        return st_diag_fail(diag, ST_ERR_INPUT, "%d-fold cross-validation needs at least %d rows (%zu given)", k, k, n);
    int solver = st_train_solver(params, n);
    if (solver == ST_SOLVER_LIBLINEAR && params->kernel == ST_KERNEL_RBF)
        return st_diag_fail(diag, ST_ERR_USAGE, "--solver liblinear trains linear models only (use --kernel linear)");
    r->solver = solver;

    st_model_quiet_libsvm();
    set_print_string_function(quiet_liblinear);
    st_extractor *x = NULL;
    int *fold = NULL;
    fold_data *folds = NULL;
    feature_cache cache = {0};
    uint32_t *map = NULL, *fold_count = NULL;
    st_vocab *vocab = NULL;
    packed all = {0};
    struct svm_model *svm = NULL;
    st_model *model = NULL;
    char *json = NULL;
    double *cv_dec = NULL;
    final_job final = {0};
    int bias;

    if ((status = st_extractor_new(o->lexicon, params, &x)) != ST_OK) {
        st_diag_fail(diag, status, "cannot set up feature extraction: %s", st_strerror(status));
        goto done;
    }
    fold = malloc(n * sizeof *fold);
    folds = calloc((size_t)k, sizeof *folds);
    if (!fold || !folds) {
        status = st_diag_fail(diag, ST_ERR_NOMEM, "out of memory");
        goto done;
    }
    if ((status = make_folds(data, k, params->seed, fold)) != ST_OK) {
        st_diag_fail(diag, status, "out of memory");
        goto done;
    }

    /* Every row's features, once. */
    progress(o, "features: %zu rows", n);
    if ((status = cache_build(x, data, &cache, diag)) != ST_OK)
        goto done;
    size_t ngid = st_vocab_size(cache.all);
    map = malloc((ngid + 1) * sizeof *map);
    fold_count = calloc((size_t)k * (ngid + 1), sizeof *fold_count);
    if (!map || !fold_count) {
        status = st_diag_fail(diag, ST_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t e = cache.start[i]; e < cache.start[i + 1]; e++)
            fold_count[(size_t)fold[i] * (ngid + 1) + cache.gid[e]]++;

    /* Each fold: its own vocabulary, from its training rows only. */
    for (int f = 0; f < k; f++) {
        folds[f].cache = &cache;
        folds[f].data = data;
        folds[f].fold_of = fold;
        folds[f].index = f;
        if (!(folds[f].map = malloc((ngid + 1) * sizeof *folds[f].map))) {
            status = st_diag_fail(diag, ST_ERR_NOMEM, "out of memory");
            goto done;
        }
        folds[f].nfeatures = fold_map(&cache, fold_count + (size_t)f * (ngid + 1), params->min_count, folds[f].map);
        folds[f].bias = solver == ST_SOLVER_LIBLINEAR ? (int)folds[f].nfeatures + 1 : 0;
    }
    free(fold_count);
    fold_count = NULL;

    /* The final model's rows, packed before the search so that, without
     * one, the final model trains alongside the folds. */
    if ((status = st_vocab_prune(cache.all, (size_t)params->min_count, &vocab)) != ST_OK) {
        st_diag_fail(diag, status, "out of memory");
        goto done;
    }
    size_t nfeat = fold_map(&cache, NULL, params->min_count, map);
    bias = solver == ST_SOLVER_LIBLINEAR ? (int)nfeat + 1 : 0;
    if ((status = pack(&cache, map, data, fold, -1, 0, bias, &all, diag)) != ST_OK)
        goto done;
    free(map);
    map = NULL;
    final.all = &all;
    final.params = params;
    final.solver = solver;
    final.nfeatures = nfeat;
    final.c = params->c;
    final.gamma = params->kernel == ST_KERNEL_RBF ? params->gamma : 0.0;
    int overlap = !params->grid; /* one point, C known: train it with the folds */
    if ((status = search(folds, k, params, solver, n, overlap ? &final : NULL, o, r, &cv_dec, diag)) != ST_OK)
        goto done;
    r->c = r->grid[r->chosen].c;
    r->cv = r->grid[r->chosen].cv;
    for (int f = 0; f < k; f++)
        fold_data_clear(&folds[f]);
    cache_clear(&cache);

    /* The final model on every row, if not trained yet, and its sigmoids. */
    if (!final.done) {
        progress(o, "final model: C=%g", r->c);
        final.c = r->c;
        final.gamma = r->grid[r->chosen].gamma;
        run_final(&final);
    }
    if ((status = final.status) != ST_OK) {
        if (diag)
            *diag = final.diag;
        goto done;
    }
    st_params final_params = *params;
    final_params.c = r->c;
    final_params.solver = solver;
    if (params->kernel == ST_KERNEL_RBF)
        final_params.gamma = r->grid[r->chosen].gamma;
    if (solver == ST_SOLVER_LIBLINEAR) {
        linear_pairs *lp = &final.lp;
        status = calibrate_pairs(lp->k, lp->label, data, cv_dec, lp->prob_a, lp->prob_b, diag);
        if (status == ST_OK)
            status = linear_pairs_to_svm(lp, r->c, &svm, diag);
        packed_clear(&all); /* the model holds its own weight vectors */
        if (status != ST_OK)
            goto done;
    } else {
        svm = final.svm;
        final.svm = NULL;
        size_t npairs = (size_t)svm->nr_class * (size_t)(svm->nr_class - 1) / 2;
        svm->probA = malloc(npairs * sizeof *svm->probA);
        svm->probB = malloc(npairs * sizeof *svm->probB);
        if (!svm->probA || !svm->probB) {
            status = st_diag_fail(diag, ST_ERR_NOMEM, "out of memory");
            goto done;
        }
        if ((status = calibrate_pairs(svm->nr_class, svm->label, data, cv_dec, svm->probA, svm->probB, diag)) !=
            ST_OK)
            goto done;
        svm->param.probability = 1; /* as svm_train would leave it with -b 1 */
    }
    r->gamma = params->kernel == ST_KERNEL_RBF ? svm->param.gamma : 0.0;
    r->features = st_vocab_size(vocab);
    r->support_vectors = (size_t)svm->l;
    /* The model takes the problem's storage (libsvm's support vectors
     * point into it), the vocabulary and the libsvm model. */
    status = st_model_new_trained(svm, all.nodes, vocab, &final_params, o->lexicon, &model, diag);
    svm = NULL;
    all.nodes = NULL;
    vocab = NULL;
    if (status != ST_OK)
        goto done;

    if (o->holdout) {
        progress(o, "holdout: %zu rows", st_dataset_count(o->holdout));
        r->has_holdout = 1;
        r->holdout_rows = st_dataset_count(o->holdout);
        st_extractor *hx = NULL;
        if ((status = st_model_extractor_new(model, &hx)) != ST_OK) {
            st_diag_fail(diag, status, "cannot set up feature extraction: %s", st_strerror(status));
            goto done;
        }
        for (size_t i = 0; i < r->holdout_rows; i++) {
            const st_row *row = st_dataset_row(o->holdout, i);
            st_example ex = example_of(row);
            st_prediction p;
            status = st_model_predict(model, hx, &ex, &p, 0, NULL);
            if (status != ST_OK) {
                st_diag_fail(diag, status, "%s:%zu: %s", row->file, row->line, st_strerror(status));
                break;
            }
            st_metrics_add(&r->holdout, row->label, p.label);
            r->holdout_features += p.features + p.unseen;
            r->holdout_unseen += p.unseen;
        }
        st_extractor_free(hx);
        if (status != ST_OK)
            goto done;
    }

    size_t len;
    if ((status = st_train_report_json(r, &final_params, data, o->holdout, &json, &len)) != ST_OK) {
        st_diag_fail(diag, status, "out of memory");
        goto done;
    }
    if ((status = st_model_set_metrics(model, json, len)) != ST_OK) {
        st_diag_fail(diag, status, "out of memory");
        goto done;
    }
    *out = model;
    model = NULL;

done:
    free(json);
    free(cv_dec);
    final_job_clear(&final);
    st_model_free(model);
    if (svm)
        svm_free_and_destroy_model(&svm);
    packed_clear(&all);
    st_vocab_free(vocab);
    if (folds)
        for (int f = 0; f < k; f++)
            fold_data_clear(&folds[f]);
    free(folds);
    free(fold);
    free(map);
    free(fold_count);
    cache_clear(&cache);
    st_extractor_free(x);
    if (status != ST_OK)
        st_train_report_clear(r);
    return status;
}

/* ------------------------------------------------------------------ */
/* The report as JSON                                                  */

static void json_string(FILE *fp, const char *s)
{
    const unsigned char *end = (const unsigned char *)s + strlen(s);
    fputc('"', fp);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        /* Robustness (issue 7): file names are bytes; a sequence that is
         * not UTF-8 made metrics.json invalid JSON.  It becomes U+FFFD. */
        if (*p >= 0x80) {
            int32_t cp;
            size_t n = st_utf8_decode((const char *)p, (size_t)(end - p), &cp);
            if (cp < 0)
                fputs("\xEF\xBF\xBD", fp);
            else
                fwrite(p, 1, n, fp);
            p += n - 1;
            continue;
        }
        switch (*p) {
        case '"': fputs("\\\"", fp); break;
        case '\\': fputs("\\\\", fp); break;
        case '\n': fputs("\\n", fp); break;
        case '\r': fputs("\\r", fp); break;
        case '\t': fputs("\\t", fp); break;
        default:
            if (*p < 0x20)
                fprintf(fp, "\\u%04x", *p);
            else
                fputc(*p, fp);
        }
    }
    fputc('"', fp);
}

static void json_tables(FILE *fp, const st_dataset *ds)
{
    fputc('[', fp);
    for (size_t i = 0; i < st_dataset_file_count(ds); i++) {
        fputs(i ? ",\n    {\"file\": " : "\n    {\"file\": ", fp);
        json_string(fp, st_dataset_file_name(ds, i));
        fprintf(fp, ", \"sha256\": \"%s\", \"rows\": %zu}", st_dataset_file_sha256(ds, i),
                st_dataset_file_rows(ds, i));
    }
    fputs("\n  ]", fp);
}

st_status st_train_report_json(const st_train_report *r, const st_params *params, const st_dataset *data,
                               const st_dataset *holdout, char **json, size_t *len)
{
    *json = NULL;
    *len = 0;
    char *buf = NULL;
    size_t size = 0;
    FILE *fp = open_memstream(&buf, &size);
    if (!fp)
        return ST_ERR_NOMEM;
    fprintf(fp, "{\n  \"format\": %d,\n  \"data\": ", ST_MODEL_FORMAT_VERSION);
    json_tables(fp, data);
    fprintf(fp, ",\n  \"rows\": %zu,\n  \"label_rows\": {", r->rows);
    for (int l = 0; l < ST_LABEL_COUNT; l++)
        fprintf(fp, "%s\"%s\": %zu", l ? ", " : "", st_label_name(l), r->label_rows[l]);
    fputs("},\n  \"params\": {", fp);
    for (size_t i = 0; i < st_param_count(); i++) {
        const st_param_info *info = st_param_info_at(i);
        char value[64];
        st_params_value(params, i, value, sizeof value);
        fprintf(fp, "%s\n    \"%s\": ", i ? "," : "", info->name);
        if (info->type == ST_PARAM_ENUM)
            json_string(fp, value);
        else
            fputs(value, fp);
    }
    fprintf(fp, "\n  },\n  \"features\": %zu,\n  \"support_vectors\": %zu,\n", r->features, r->support_vectors);
    fprintf(fp, "  \"chosen\": {\"c\": %.10g, \"gamma\": %.10g},\n  \"search\": [", r->c, r->gamma);
    for (size_t i = 0; i < r->grid_count; i++)
        fprintf(fp, "%s\n    {\"c\": %.10g, \"gamma\": %.10g, \"macro_f1\": %.6f, \"accuracy\": %.6f}", i ? "," : "",
                r->grid[i].c, r->grid[i].gamma, st_metrics_macro_f1(&r->grid[i].cv),
                st_metrics_accuracy(&r->grid[i].cv));
    fprintf(fp, "\n  ],\n  \"cross_validation\": {\"folds\": %d, \"metrics\": ", r->folds);
    st_metrics_write_json(&r->cv, fp, 2);
    fputs("},\n  \"holdout\": ", fp);
    if (r->has_holdout) {
        fputs("{\"data\": ", fp);
        json_tables(fp, holdout);
        fprintf(fp, ",\n    \"feature_occurrences\": %zu, \"unseen\": %zu,\n    \"metrics\": ", r->holdout_features,
                r->holdout_unseen);
        st_metrics_write_json(&r->holdout, fp, 2);
        fputs("}", fp);
    } else {
        fputs("null", fp);
    }
    fputs(",\n  \"note\": \"cross-validation on written training data overstates accuracy on real reporting; "
          "the holdout figures are the honest ones\"\n}\n",
          fp);
    int bad = ferror(fp);
    if (fclose(fp) != 0 || bad) {
        free(buf);
        return ST_ERR_NOMEM;
    }
    *json = buf;
    *len = size;
    return ST_OK;
}
