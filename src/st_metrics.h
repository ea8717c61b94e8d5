/*
 * st_metrics.h - how well predicted labels agree with gold labels.
 *
 * A confusion matrix over the three labels (st_dataset.h, fixed order
 * threatening, conciliatory, neutral) and the figures derived from it,
 * computed exactly like ../shared/tools/score-labels:
 *   precision = tp / (tp + fp)       0 when nothing was predicted
 *   recall    = tp / (tp + fn)       0 when the label has no support
 *   F1        = 2 P R / (P + R)      0 when P + R = 0
 *   macro-F1  = the mean of the three F1 (every label counts, even one
 *               without support)
 *   accuracy  = correct / total      0 for no rows
 * The table shows them rounded to 3 decimals (printf "%.3f", the same
 * rounding as Python's format), so the two agree to the digit.
 *
 * Nothing here prints by itself: the writers write to the FILE given.
 */
#ifndef ST_METRICS_H
#define ST_METRICS_H

#include <stddef.h>
#include <stdio.h>

#include "st_dataset.h"
#include "stance.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct st_metrics {
    size_t confusion[ST_LABEL_COUNT][ST_LABEL_COUNT]; /* [gold][predicted] */
} st_metrics;

void st_metrics_clear(st_metrics *m);
/* Counts one row; labels out of range are ignored. */
void st_metrics_add(st_metrics *m, int gold, int predicted);
/* Adds every count of `other` to m (pooling folds). */
void st_metrics_merge(st_metrics *m, const st_metrics *other);

size_t st_metrics_total(const st_metrics *m);
size_t st_metrics_correct(const st_metrics *m);
size_t st_metrics_match(const st_metrics *m, int label);     /* tp */
size_t st_metrics_predicted(const st_metrics *m, int label); /* tp + fp */
size_t st_metrics_support(const st_metrics *m, int label);   /* tp + fn */
double st_metrics_precision(const st_metrics *m, int label);
double st_metrics_recall(const st_metrics *m, int label);
double st_metrics_f1(const st_metrics *m, int label);
double st_metrics_accuracy(const st_metrics *m);
double st_metrics_macro_precision(const st_metrics *m);
double st_metrics_macro_recall(const st_metrics *m);
double st_metrics_macro_f1(const st_metrics *m);

/*
 * The report in CRFsuite's shape, every figure to 3 decimals:
 *
 *   Performance by label (#match, #model, #ref) (precision, recall, F1):
 *       threatening: (40, 45, 45) (0.889, 0.889, 0.889)
 *       ...
 *   Macro-average precision, recall, F1: (0.833, 0.831, 0.832)
 *   Accuracy: 130 / 157 (0.828)
 *   Macro-F1: 0.832
 *   Confusion matrix (rows gold, columns predicted):
 *   ...
 *
 * `indent` spaces go before every line.  ST_ERR_IO on a write error.
 */
st_status st_metrics_write_table(const st_metrics *m, FILE *fp, int indent);

/*
 * The same as one JSON object (no trailing newline), figures to 6
 * decimals:  {"rows": 157, "correct": 130, "accuracy": ..., "macro_precision":
 * ..., "macro_recall": ..., "macro_f1": ..., "labels": {"threatening":
 * {"precision": ..., "recall": ..., "f1": ..., "match": 40, "predicted": 45,
 * "support": 45}, ...}, "confusion": [[...], [...], [...]]}
 * Lines after the first are indented by `indent` spaces.
 */
st_status st_metrics_write_json(const st_metrics *m, FILE *fp, int indent);

#ifdef __cplusplus
}
#endif

#endif /* ST_METRICS_H */
