/*
 * st_train.h - training a model bundle from labelled quotes.
 *
 *  1. Stratified k-fold cross-validation (params->folds) with folds drawn
 *     from params->seed by a fixed generator (splitmix64), so the same data
 *     and seed give the same folds on every machine.  Each fold builds its
 *     own vocabulary from its training part (min_count applies there), so
 *     no fold sees its test rows.
 *  2. With params->grid: C over {0.03, 0.1, 0.3, 1, 3, 10} (and, for the rbf
 *     kernel when params->gamma is 0, gamma over {0.1, 0.3, 1, 3}); a
 *     search along C stops once two values in a row fail to beat the best.
 *     The best cross-validated macro-F1 wins (ties: the earlier point).
 *     Without grid, params->c (and gamma) are cross-validated once for the
 *     report.
 *  3. The final model on every row, by the solver params->solver names
 *     (auto: liblinear from ST_SOLVER_AUTO_ROWS rows on with the linear
 *     kernel, else libsvm), class weights n / (k n_l) when
 *     params->class_weight is balanced, and calibrated probabilities:
 *      - libsvm: C-SVC without libsvm's probability estimates (its -b 1
 *        would run another 5-fold cross-validation of every pair on the
 *        full data); Platt's sigmoid of each pair is fitted (libsvm's
 *        sigmoid_train) on the decision values of our own folds at the
 *        chosen point, on the rows of the pair's two labels, and stored
 *        as the model's probA/probB, so predictions couple them exactly
 *        as libsvm's svm_predict_probability does;
 *      - liblinear: one-vs-one like libsvm, one binary L2-regularised
 *        squared-hinge problem per pair of labels (primal trust-region
 *        Newton, which draws no random numbers), a bias feature, and
 *        Platt's sigmoid fitted (libsvm's sigmoid_train) on decision
 *        values from a stratified 5-fold cross-validation drawn from the
 *        seed.  The pairs are stored in model.svm as a libsvm model whose
 *        "support vectors" are the pairs' weight vectors (st_train.c,
 *        linear_pairs_to_svm), so loading, the fast path, explanations
 *        and libsvm's svm-predict do not care which solver trained it.
 *  4. The holdout table, if any, is labelled by the final model exactly as
 *     `stance classify` would label it.
 * Every row's features are extracted once; each fold's vocabulary and
 * vectors are derived from that cache (the same ids and values a fresh
 * extraction would give).  The folds train in parallel threads
 * (options->threads, 0: one per CPU, at most one per job); without
 * params->grid the final model (without its sigmoids) is one more job of
 * that pool, started first as the largest.  No model draws random
 * numbers and fold models label by the pairwise vote, so every job is
 * deterministic whatever the thread count and the bundle is byte for
 * byte the same with one thread or many; the final model labels by the
 * most probable label, which agrees with the vote on almost every row.
 *
 * Nothing here prints; progress goes to an optional callback.
 */
#ifndef ST_TRAIN_H
#define ST_TRAIN_H

#include <stddef.h>
#include <stdio.h>

#include "st_dataset.h"
#include "st_lexicon.h"
#include "st_metrics.h"
#include "st_model.h"
#include "st_params.h"
#include "stance.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Called now and then with a one-line message (no newline). */
typedef void (*st_train_progress_fn)(void *ctx, const char *message);

typedef struct st_train_options {
    const st_params *params;
    const st_lexicon *lexicon;   /* borrowed; the model keeps a copy */
    const st_dataset *holdout;   /* may be NULL */
    st_train_progress_fn progress; /* may be NULL */
    void *progress_ctx;
    int threads;                 /* fold workers; 0: one per CPU */
} st_train_options;

/* One point of the parameter search. */
typedef struct st_grid_point {
    double c;
    double gamma; /* 0: linear kernel, or rbf with 1/features */
    st_metrics cv;
} st_grid_point;

typedef struct st_train_report {
    size_t rows;
    size_t label_rows[ST_LABEL_COUNT];
    int solver;            /* ST_SOLVER_LIBSVM or ST_SOLVER_LIBLINEAR, as used */
    int folds;
    st_grid_point *grid;   /* every point tried, in order (owned) */
    size_t grid_count;
    size_t chosen;         /* index into grid */
    double c, gamma;       /* of the final model (gamma as libsvm used it) */
    st_metrics cv;         /* pooled over the folds at the chosen point */
    size_t features;       /* vocabulary of the final model */
    size_t support_vectors; /* liblinear: one weight vector per pair */
    int has_holdout;
    size_t holdout_rows;
    st_metrics holdout;
    size_t holdout_features; /* feature occurrences in the holdout rows */
    size_t holdout_unseen;   /* ... of which not in the vocabulary */
} st_train_report;

void st_train_report_clear(st_train_report *report);

/* The solver params->solver picks for `rows` training rows (auto resolved). */
int st_train_solver(const st_params *params, size_t rows);

/*
 * Trains on `data` (labelled).  On success *out owns the model (with the
 * report already stored as its metrics.json) and *report is filled
 * (release with st_train_report_clear).
 */
st_status st_train(const st_dataset *data, const st_train_options *options,
                   st_model **out, st_train_report *report, st_diag *diag);

/*
 * The report as JSON (metrics.json): data tables with their SHA-256,
 * parameters, the search, cross-validation and holdout metrics.  In a new
 * malloc'ed string (*json owns it, *len its length).
 */
st_status st_train_report_json(const st_train_report *report,
                               const st_params *params,
                               const st_dataset *data,
                               const st_dataset *holdout, char **json,
                               size_t *len);

#ifdef __cplusplus
}
#endif

#endif /* ST_TRAIN_H */
