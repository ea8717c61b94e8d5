/*
 * st_svmfile.h - a strict reader of libsvm's text model (model.svm).
 *
 * libsvm's own svm_load_model trusts its input: keys out of order, a
 * count that does not match the lines that follow or an nr_sv before
 * nr_class make it read or write out of bounds (tests/fuzz/regressions/
 * fuzz_bundle/libsvm-*).  It also reads with fscanf, which costs more
 * than the rest of a bundle load together.  This reader takes the bytes
 * already read (and checksummed) from memory, accepts exactly what
 * svm_save_model writes for a C-SVC model with a linear or rbf kernel,
 * and builds the same struct svm_model svm_load_model would (one node
 * block, free_sv = 1), so libsvm's svm_predict* and
 * svm_free_and_destroy_model work on it unchanged.
 *
 * Accepted, line by line, in this order (each key once):
 *     svm_type c_svc
 *     kernel_type linear | kernel_type rbf
 *     gamma G                      (rbf only; G > 0)
 *     nr_class K                   (2..max_class)
 *     total_sv L                   (L >= 1)
 *     rho R...                     (K(K-1)/2 numbers)
 *     label N...                   (K distinct integers in 0..max_class-1)
 *     probA A...                   (K(K-1)/2 numbers; optional, with probB)
 *     probB B...                   (K(K-1)/2 numbers)
 *     nr_sv N...                   (K counts >= 0 adding up to L)
 *     SV
 *     L lines: K-1 coefficients, then INDEX:VALUE pairs with indices
 *     strictly increasing within 1..max_index; then the end of the text.
 * Fields are separated by one space (a line may end with one); numbers are
 * finite decimals (no hex, inf or nan).  Anything else is ST_ERR_MODEL
 * with the line and the problem in diag (diag->file left alone).
 */
#ifndef ST_SVMFILE_H
#define ST_SVMFILE_H

#include <stddef.h>

#include <libsvm/svm.h>

#include "stance.h"

#ifdef __cplusplus
extern "C" {
#endif

/* On success *out owns a model; free it with svm_free_and_destroy_model. */
st_status st_svmfile_parse(const char *text, size_t size, int max_class, size_t max_index,
                           struct svm_model **out, st_diag *diag);

/*
 * The same reading and the same checks, for a model that predicts by its
 * pairwise weight vectors: with a linear kernel the support vectors are
 * not kept but added, as they are read, into weights (zeroed by the
 * caller, room for max_class (max_class - 1) / 2 doubles per feature
 * 0..max_index): feature f's K(K-1)/2 pair weights at
 * weights[f * K(K-1)/2], pair (i, j) in libsvm's order, the sums libsvm's
 * svm_predict_values makes from the vectors, bit for bit.  Then *folded
 * is 1 and *out has everything but the vectors: SV and sv_coef are NULL
 * (free it with svm_free_and_destroy_model all the same; libsvm cannot
 * predict with it).  With another kernel weights is left alone, *folded
 * is 0 and *out is the whole model, as st_svmfile_parse makes it.
 */
st_status st_svmfile_parse_folded(const char *text, size_t size, int max_class, size_t max_index,
                                  double *weights, struct svm_model **out, int *folded, st_diag *diag);

/*
 * Only the header, up to and including the "SV" line, with the same
 * checks; the vectors are neither read nor checked.  *out is as a folded
 * model's (SV and sv_coef NULL; rho, label, nSV, probA/probB set): for a
 * linear bundle whose weights come from weights.bin (st_weights.h).
 */
st_status st_svmfile_parse_header(const char *text, size_t size, int max_class, struct svm_model **out,
                                  st_diag *diag);

#ifdef __cplusplus
}
#endif

#endif /* ST_SVMFILE_H */
