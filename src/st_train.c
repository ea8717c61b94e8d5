/*
 * st_train.c - stratified cross-validation, the parameter search, the
 * final libsvm model and the training report.  See st_train.h.
 */
#include "st_train.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "st_util.h"

static const double grid_c[] = {0.03, 0.1, 0.3, 1, 3, 10};
static const double grid_gamma[] = {0.1, 0.3, 1, 3};
/* Stop searching along C after this many values in a row without a gain. */
#define GRID_PATIENCE 2

static st_status fail(st_diag *diag, st_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static st_status fail(st_diag *diag, st_status status, const char *fmt, ...)
{
    if (diag) {
        st_diag_clear(diag);
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(diag->message, sizeof diag->message, fmt, ap);
        va_end(ap);
    }
    return status;
}

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
 * fold[i] for every row: within each label the rows are shuffled
 * (Fisher-Yates) and dealt to the folds in turn, the deal going on from
 * label to label, so every fold gets its share of every label.
 */
static st_status make_folds(const st_dataset *ds, int folds, int seed, int *fold)
{
    size_t n = st_dataset_count(ds);
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    if (!order)
        return ST_ERR_NOMEM;
    uint64_t state = (uint64_t)(unsigned)seed;
    size_t deal = 0;
    for (int l = 0; l < ST_LABEL_COUNT; l++) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (st_dataset_row(ds, i)->label == l)
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

/* ------------------------------------------------------------------ */
/* Vectors                                                             */

static st_example example_of(const st_row *row)
{
    st_example ex = {row->quote, row->quote_len, row->sentence, row->sentence_len};
    return ex;
}

/* The vocabulary of the rows whose fold differs from `skip` (-1: all rows). */
static st_status build_vocab(st_extractor *x, const st_dataset *ds, const int *fold, int skip, int min_count,
                             st_vocab **out, st_diag *diag)
{
    st_vocab *all = NULL;
    st_status status = st_vocab_new(&all);
    if (status != ST_OK)
        return fail(diag, status, "out of memory");
    size_t n = st_dataset_count(ds);
    for (size_t i = 0; i < n && status == ST_OK; i++) {
        if (skip >= 0 && fold[i] == skip)
            continue;
        const st_row *row = st_dataset_row(ds, i);
        st_example ex = example_of(row);
        status = st_extractor_run(x, &ex);
        if (status != ST_OK) {
            fail(diag, status, "%s:%zu: feature extraction failed: %s", row->file, row->line, st_strerror(status));
            break;
        }
        size_t count = st_extractor_count(x);
        for (size_t k = 0; k < count && status == ST_OK; k++) {
            size_t len;
            const char *name = st_extractor_name(x, k, &len);
            status = st_vocab_add(all, name, len, NULL);
        }
        if (status != ST_OK)
            fail(diag, status, "out of memory");
    }
    if (status == ST_OK && (status = st_vocab_prune(all, (size_t)min_count, out)) != ST_OK)
        fail(diag, status, "out of memory");
    st_vocab_free(all);
    return status;
}

/* Rows as a libsvm problem: all node arrays in one block. */
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

/* Packs the rows with (in_fold ? fold == which : fold != which); which < 0: all. */
static st_status pack(st_extractor *x, const st_vocab *v, const st_dataset *ds, const int *fold, int which,
                      int in_fold, packed *out, st_diag *diag)
{
    memset(out, 0, sizeof *out);
    size_t n = st_dataset_count(ds), m = 0;
    for (size_t i = 0; i < n; i++)
        m += which < 0 || (fold[i] == which) == (in_fold != 0);
    size_t *offset = malloc((m ? m : 1) * sizeof *offset);
    out->y = malloc((m ? m : 1) * sizeof *out->y);
    out->x = malloc((m ? m : 1) * sizeof *out->x);
    out->row = malloc((m ? m : 1) * sizeof *out->row);
    st_vector vec = {0};
    size_t used = 0, cap = 0;
    st_status status = ST_OK;
    if (!offset || !out->y || !out->x || !out->row) {
        status = fail(diag, ST_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        if (!(which < 0 || (fold[i] == which) == (in_fold != 0)))
            continue;
        const st_row *row = st_dataset_row(ds, i);
        st_example ex = example_of(row);
        if ((status = st_extractor_run(x, &ex)) != ST_OK || (status = st_vectorize(x, v, &vec)) != ST_OK) {
            fail(diag, status, "%s:%zu: feature extraction failed: %s", row->file, row->line, st_strerror(status));
            goto done;
        }
        size_t need = vec.count + 1;
        if (cap - used < need) {
            size_t grown = cap ? cap : 4096;
            while (grown - used < need)
                grown *= 2;
            struct svm_node *nodes = realloc(out->nodes, grown * sizeof *nodes);
            if (!nodes) {
                status = fail(diag, ST_ERR_NOMEM, "out of memory");
                goto done;
            }
            out->nodes = nodes;
            cap = grown;
        }
        memcpy(out->nodes + used, vec.nodes, need * sizeof *vec.nodes);
        offset[out->n] = used;
        out->y[out->n] = row->label;
        out->row[out->n] = i;
        out->n++;
        used += need;
        out->features += vec.count + vec.unseen;
        out->unseen += vec.unseen;
    }
    for (size_t k = 0; k < out->n; k++)
        out->x[k] = out->nodes + offset[k];
done:
    free(offset);
    st_vector_clear(&vec);
    if (status != ST_OK)
        packed_clear(out);
    return status;
}

/* ------------------------------------------------------------------ */
/* libsvm                                                              */

static st_status train_svm(const packed *p, const st_params *params, double c, double gamma, size_t nfeatures,
                           int probability, struct svm_model **out, st_diag *diag)
{
    *out = NULL;
    if (p->n > (size_t)INT32_MAX)
        return fail(diag, ST_ERR_USAGE, "too many training rows for libsvm");
    size_t counts[ST_LABEL_COUNT] = {0};
    for (size_t i = 0; i < p->n; i++)
        counts[(int)p->y[i]]++;
    int present = 0;
    for (int l = 0; l < ST_LABEL_COUNT; l++)
        present += counts[l] > 0;
    if (present < 2)
        return fail(diag, ST_ERR_INPUT, "training needs rows of at least two labels");

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
    sp.probability = probability;
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
        return fail(diag, ST_ERR_USAGE, "libsvm: %s", why);
    /* libsvm draws its probability folds with rand(): seed it right before
     * (only the final model asks for probabilities, from one thread). */
    if (probability)
        srand((unsigned)params->seed);
    struct svm_model *model = svm_train(&prob, &sp);
    if (!model)
        return fail(diag, ST_ERR_NOMEM, "libsvm could not train a model");
    /* weight arrays live on this stack frame: the model must not keep them. */
    model->param.nr_weight = 0;
    model->param.weight = NULL;
    model->param.weight_label = NULL;
    *out = model;
    return ST_OK;
}

/* ------------------------------------------------------------------ */
/* Cross-validation: the folds train in parallel threads.  Fold models
 * have no probability estimates (libsvm would draw their folds from the
 * shared rand()), so each fold is deterministic on its own and the folds'
 * counts are pooled in fold order.  They label by libsvm's pairwise vote;
 * the final model labels by the most probable label, which agrees with
 * the vote on almost every row. */

typedef struct fold_data {
    packed train, test;
    size_t nfeatures;
} fold_data;

typedef struct fold_job {
    fold_data *fold;
    const st_params *params;
    double c, gamma;
    st_metrics metrics;
    st_status status;
    st_diag diag;
} fold_job;

static void run_fold(fold_job *job)
{
    st_metrics_clear(&job->metrics);
    st_diag_clear(&job->diag);
    job->status = ST_OK;
    if (job->fold->test.n == 0)
        return;
    struct svm_model *model = NULL;
    job->status = train_svm(&job->fold->train, job->params, job->c, job->gamma, job->fold->nfeatures, 0, &model,
                            &job->diag);
    if (job->status != ST_OK)
        return;
    for (size_t i = 0; i < job->fold->test.n; i++) {
        int l = (int)svm_predict(model, job->fold->test.x[i]);
        st_metrics_add(&job->metrics, (int)job->fold->test.y[i], l >= 0 && l < ST_LABEL_COUNT ? l : ST_LABEL_NEUTRAL);
    }
    svm_free_and_destroy_model(&model);
}

typedef struct fold_pool {
    fold_job *jobs;
    int count;
    int next;
    pthread_mutex_t lock;
} fold_pool;

static void *fold_worker(void *arg)
{
    fold_pool *pool = arg;
    for (;;) {
        pthread_mutex_lock(&pool->lock);
        int f = pool->next < pool->count ? pool->next++ : -1;
        pthread_mutex_unlock(&pool->lock);
        if (f < 0)
            return NULL;
        run_fold(&pool->jobs[f]);
    }
}

static int worker_count(int folds)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    if (cpus < 1)
        cpus = 1;
    if (cpus > 16)
        cpus = 16;
    return cpus < folds ? (int)cpus : folds;
}

static st_status cross_validate(fold_data *folds, int k, const st_params *params, double c, double gamma,
                                const st_train_options *o, st_metrics *m, st_diag *diag)
{
    st_metrics_clear(m);
    if (gamma > 0)
        progress(o, "cross-validation: C=%g gamma=%g, %d folds", c, gamma, k);
    else
        progress(o, "cross-validation: C=%g, %d folds", c, k);
    fold_job *jobs = calloc((size_t)k, sizeof *jobs);
    if (!jobs)
        return fail(diag, ST_ERR_NOMEM, "out of memory");
    for (int f = 0; f < k; f++) {
        jobs[f].fold = &folds[f];
        jobs[f].params = params;
        jobs[f].c = c;
        jobs[f].gamma = gamma;
    }
    fold_pool pool = {jobs, k, 0, PTHREAD_MUTEX_INITIALIZER};
    int nthreads = worker_count(k);
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
        return fail(diag, ST_ERR_NOMEM, "out of memory");
    r->grid = grid;
    grid[r->grid_count].c = c;
    grid[r->grid_count].gamma = gamma;
    grid[r->grid_count].cv = *m;
    r->grid_count++;
    return ST_OK;
}

/* Searches (or just evaluates) the parameters; fills r->grid and r->chosen. */
static st_status search(fold_data *folds, int k, const st_params *params, const st_train_options *o,
                        st_train_report *r, st_diag *diag)
{
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
            st_status status = cross_validate(folds, k, params, cs[i], gamma, o, &m, diag);
            if (status != ST_OK)
                return status;
            if ((status = add_point(r, cs[i], gamma, &m, diag)) != ST_OK)
                return status;
            double f1 = st_metrics_macro_f1(&m);
            if (f1 > best) {
                best = f1;
                r->chosen = r->grid_count - 1;
            }
            if (f1 > best_here) {
                best_here = f1;
                worse = 0;
            } else if (++worse >= GRID_PATIENCE) {
                break;
            }
        }
    }
    return ST_OK;
}

/* ------------------------------------------------------------------ */

void st_train_report_clear(st_train_report *r)
{
    if (!r)
        return;
    free(r->grid);
    memset(r, 0, sizeof *r);
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
            return fail(diag, ST_ERR_INPUT, "%s:%zu: the row has no label", st_dataset_row(data, i)->file,
                        st_dataset_row(data, i)->line);
        r->label_rows[l]++;
    }
    int present = 0;
    for (int l = 0; l < ST_LABEL_COUNT; l++)
        present += r->label_rows[l] > 0;
    if (present < 2)
        return fail(diag, ST_ERR_INPUT, "training needs rows of at least two labels (%zu rows given)", n);
    if (n < (size_t)k)
        return fail(diag, ST_ERR_INPUT, "%d-fold cross-validation needs at least %d rows (%zu given)", k, k, n);

    st_model_quiet_libsvm();
    st_extractor *x = NULL;
    int *fold = NULL;
    fold_data *folds = NULL;
    st_vocab *vocab = NULL;
    packed all = {0};
    struct svm_model *svm = NULL;
    st_model *model = NULL;
    char *json = NULL;

    if ((status = st_extractor_new(o->lexicon, params, &x)) != ST_OK) {
        fail(diag, status, "cannot set up feature extraction: %s", st_strerror(status));
        goto done;
    }
    fold = malloc(n * sizeof *fold);
    folds = calloc((size_t)k, sizeof *folds);
    if (!fold || !folds) {
        status = fail(diag, ST_ERR_NOMEM, "out of memory");
        goto done;
    }
    if ((status = make_folds(data, k, params->seed, fold)) != ST_OK) {
        fail(diag, status, "out of memory");
        goto done;
    }

    /* Each fold: its own vocabulary and vectors, built once for the search. */
    for (int f = 0; f < k; f++) {
        progress(o, "features: fold %d/%d", f + 1, k);
        st_vocab *fv = NULL;
        if ((status = build_vocab(x, data, fold, f, params->min_count, &fv, diag)) != ST_OK)
            goto done;
        folds[f].nfeatures = st_vocab_size(fv);
        status = pack(x, fv, data, fold, f, 0, &folds[f].train, diag);
        if (status == ST_OK)
            status = pack(x, fv, data, fold, f, 1, &folds[f].test, diag);
        st_vocab_free(fv);
        if (status != ST_OK)
            goto done;
    }
    if ((status = search(folds, k, params, o, r, diag)) != ST_OK)
        goto done;
    r->c = r->grid[r->chosen].c;
    r->cv = r->grid[r->chosen].cv;
    for (int f = 0; f < k; f++) {
        packed_clear(&folds[f].train);
        packed_clear(&folds[f].test);
    }

    /* The final model on every row. */
    progress(o, "final model: C=%g", r->c);
    if ((status = build_vocab(x, data, fold, -1, params->min_count, &vocab, diag)) != ST_OK)
        goto done;
    if ((status = pack(x, vocab, data, fold, -1, 0, &all, diag)) != ST_OK)
        goto done;
    if ((status = train_svm(&all, params, r->c, r->grid[r->chosen].gamma, st_vocab_size(vocab), 1, &svm, diag)) !=
        ST_OK)
        goto done;
    r->gamma = params->kernel == ST_KERNEL_RBF ? svm->param.gamma : 0.0;
    r->features = st_vocab_size(vocab);
    r->support_vectors = (size_t)svm->l;
    /* The model takes the problem's storage (its support vectors point
     * into it), the vocabulary and the libsvm model. */
    st_params final_params = *params;
    final_params.c = r->c;
    if (params->kernel == ST_KERNEL_RBF)
        final_params.gamma = r->grid[r->chosen].gamma;
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
            fail(diag, status, "cannot set up feature extraction: %s", st_strerror(status));
            goto done;
        }
        for (size_t i = 0; i < r->holdout_rows; i++) {
            const st_row *row = st_dataset_row(o->holdout, i);
            st_example ex = example_of(row);
            st_prediction p;
            status = st_model_predict(model, hx, &ex, &p, 0, NULL);
            if (status != ST_OK) {
                fail(diag, status, "%s:%zu: %s", row->file, row->line, st_strerror(status));
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
        fail(diag, status, "out of memory");
        goto done;
    }
    if ((status = st_model_set_metrics(model, json, len)) != ST_OK) {
        fail(diag, status, "out of memory");
        goto done;
    }
    *out = model;
    model = NULL;

done:
    free(json);
    st_model_free(model);
    if (svm)
        svm_free_and_destroy_model(&svm);
    packed_clear(&all);
    st_vocab_free(vocab);
    if (folds) {
        for (int f = 0; f < k; f++) {
            packed_clear(&folds[f].train);
            packed_clear(&folds[f].test);
        }
    }
    free(folds);
    free(fold);
    st_extractor_free(x);
    if (status != ST_OK)
        st_train_report_clear(r);
    return status;
}

/* ------------------------------------------------------------------ */
/* The report as JSON                                                  */

static void json_string(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
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
