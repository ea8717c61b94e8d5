/*
 * st_model.h - the model bundle: one object that owns the libsvm model,
 * the feature parameters, the vocabulary, a copy of the lexicon, the label
 * order and the training report; saved and loaded as one unit.
 *
 * A bundle is a directory:
 *
 *     VERSION          "stance-model-bundle 2"  (the format version)
 *     labels           threatening, conciliatory, neutral: one a line
 *     params.tsv       st_params (st_params.h), seed included
 *     vocab.tsv        feature name <-> libsvm index (st_features.h)
 *     model.svm        libsvm's text model (svm_save_model)
 *     weights.bin      linear kernel only: model.svm's pairwise weights,
 *                      folded once by `stance train` (st_weights.h)
 *     lexicon/KIND.tsv the lexicon the model was trained with (threat.tsv, ...)
 *     metrics.json     the training report (cross-validation, holdout)
 *     MANIFEST         "stance-model-bundle 2", then "SHA256  FILE" for every
 *                      file above (sha256sum's format), then
 *                      "manifest SHA256" over all the lines before it
 *
 * Loading checks the format version first, then the manifest's own
 * checksum, then every file's checksum: a bundle of another version, a
 * file altered, truncated or missing is refused with ST_ERR_MODEL and a
 * message naming the file, e.g.
 *     models/x/model.svm: checksum mismatch (file altered or truncated)
 * Saving builds the bundle in a temporary directory beside the target,
 * fsyncs it, then swaps it in with one rename; the old bundle stays in
 * place until that rename, so no reader ever sees a half-written bundle.
 *
 * Prediction: libsvm C-SVC with probability estimates; the label is the
 * most probable one.  For a linear kernel the fast path: every pairwise
 * classifier collapsed into one dense weight vector over the feature ids,
 * w = sum(coef * SV) (read from weights.bin at load; only model.svm's
 * header is parsed then, its vectors on the first st_model_svm), so a
 * prediction is one pass over the example's features (instead of a kernel
 * value per support vector), then
 * libsvm's sigmoid and pairwise coupling, reproduced exactly: decision
 * values and probabilities equal svm_predict_values' and
 * svm_predict_probability's within 1e-9 (tests/test_model.c checks it on
 * many vectors).  The same weights give the explanations: the features
 * that pushed the decision toward the chosen label (weight x value summed
 * over the pairwise classifiers that involve it).  Other kernels go
 * through libsvm's svm_predict_probability.
 *
 * model.svm is read by st_svmfile_parse (strict, from the verified bytes),
 * never by svm_load_model, which a crafted file crashes.  For a loaded
 * linear model st_model_svm parses its vectors on first request and
 * returns NULL when that fails (out of memory, or vectors that are bad
 * under valid checksums: a hand-made bundle).
 *
 * Ownership: st_model_new_trained takes over what it is given; strings
 * returned by accessors are borrowed from the model.  A loaded model is
 * read-only: st_model_predict may run in several threads at once, each
 * with its own extractor.  Nothing here prints.
 */
#ifndef ST_MODEL_H
#define ST_MODEL_H

#include <stddef.h>

#include <libsvm/svm.h>

#include "st_dataset.h"
#include "st_features.h"
#include "st_lexicon.h"
#include "st_params.h"
#include "stance.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The bundle format this build reads and writes.  2: the act: and clause
 * features (params.tsv keys use_act, clause_words, clause_lexicon); a
 * version 1 bundle lacks those keys, and reading it with their defaults
 * would extract features it was not trained with, so it is refused.
 */
#define ST_MODEL_FORMAT_VERSION 2

typedef struct st_model st_model;

/*
 * A model from a fresh training run (for st_train).  Takes ownership of
 * `svm` (trained by svm_train), of `storage` (the malloc'ed node array the
 * svm_problem rows point into, which must live as long as the model; may
 * be NULL) and of `vocab`; copies `params` and the entries of `lex`.  On
 * failure everything given is freed.
 */
st_status st_model_new_trained(struct svm_model *svm, struct svm_node *storage,
                               st_vocab *vocab, const st_params *params,
                               const st_lexicon *lex, st_model **out,
                               st_diag *diag);

/* Loads and verifies the bundle in directory `dir`. */
st_status st_model_load(const char *dir, st_model **out, st_diag *diag);

/*
 * Writes the bundle to directory `dir` atomically (see above).  An
 * existing `dir` is replaced only when it is a bundle (it holds a
 * MANIFEST) or empty; anything else is refused (ST_ERR_USAGE).
 */
st_status st_model_save(const st_model *model, const char *dir, st_diag *diag);

void st_model_free(st_model *model);

const st_params *st_model_params(const st_model *model);
const st_lexicon *st_model_lexicon(const st_model *model);
const st_vocab *st_model_vocab(const st_model *model);
const struct svm_model *st_model_svm(const st_model *model);
/* Non-zero when explanations are available (linear kernel). */
int st_model_can_explain(const st_model *model);

/* The training report (metrics.json text); "" when none was set. */
const char *st_model_metrics(const st_model *model);
/* Replaces the training report (copied). */
st_status st_model_set_metrics(st_model *model, const char *json, size_t len);

/* An extractor configured as the model was trained (lexicon and params). */
st_status st_model_extractor_new(const st_model *model, st_extractor **out);

/* ------------------------------------------------------------------ */
/* Prediction                                                          */

typedef struct st_prediction {
    int label;                             /* ST_LABEL_* */
    double probability[ST_LABEL_COUNT];    /* in label order, sum 1 */
    size_t features;                       /* known features of the example */
    size_t unseen;                         /* features not in the vocabulary */
} st_prediction;

typedef struct st_explain_item {
    const char *name;    /* borrowed from the model's vocabulary */
    double contribution; /* toward the chosen label */
} st_explain_item;

/* Zero-initialise; st_explanation_clear frees. */
typedef struct st_explanation {
    st_explain_item *items;
    size_t count;
    size_t capacity;
} st_explanation;
void st_explanation_clear(st_explanation *explanation);

/*
 * Labels one example.  `x` must come from st_model_extractor_new for this
 * model.  When explain_k > 0 and explanation is non-NULL, it receives up
 * to explain_k features with a positive contribution toward the chosen
 * label, largest first (ties by name); empty when the model cannot
 * explain (rbf kernel).
 */
st_status st_model_predict(const st_model *model, st_extractor *x,
                           const st_example *example, st_prediction *out,
                           size_t explain_k, st_explanation *explanation);

/*
 * The same for an already vectorised example (nodes end with index -1);
 * used by training and evaluation code that vectorises itself.
 */
st_status st_model_predict_vector(const st_model *model,
                                  const struct svm_node *nodes,
                                  st_prediction *out);

/*
 * The fast path's pieces, for tests: the pairwise decision values of a
 * linear model (dec[k(k-1)/2], libsvm's order and sign; the model must be
 * linear: st_model_can_explain), and libsvm's probability estimates from
 * decision values (prob[nr_class], in libsvm's class order; svm must hold
 * probA/probB).
 */
void st_model_decision_values(const st_model *model, const struct svm_node *nodes, double *dec);
void st_model_probabilities(const struct svm_model *svm, const double *dec, double *prob);

/* libsvm prints progress to stdout unless told otherwise: silence it. */
void st_model_quiet_libsvm(void);

#ifdef __cplusplus
}
#endif

#endif /* ST_MODEL_H */
