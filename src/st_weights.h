/*
 * st_weights.h - weights.bin, a linear bundle's collapsed pairwise weights.
 *
 * A linear model predicts by one weight vector per pair of labels,
 * w = sum(coef * SV) over model.svm's support vectors.  Folding those
 * vectors at every load cost more than the rest of the load together, so
 * `stance train` writes the folded weights once, as they come from
 * folding the model.svm it wrote (st_svmfile_parse_folded), and loading
 * reads them back bit for bit.
 *
 * Layout, every number little-endian whatever the host (the bytes are
 * assembled one by one, so a big-endian host reads the same file):
 *     0   8 bytes  "stweight"      magic
 *     8   u32      1               layout version
 *     12  u32      npairs          K(K-1)/2 for K classes
 *     16  u64      nfeatures       the vocabulary's size
 *     24  nfeatures x npairs IEEE-754 binary64: feature 1's npairs
 *         weights (libsvm's pair order), then feature 2's, ...
 * Feature 0 does not exist (libsvm indices start at 1): its row is not
 * stored.  Every weight must be finite.
 */
#ifndef ST_WEIGHTS_H
#define ST_WEIGHTS_H

#include <stddef.h>

#include "stance.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ST_WEIGHTS_FILE "weights.bin"
#define ST_WEIGHTS_HEADER_SIZE 24

/*
 * Encodes (nfeatures + 1) rows of npairs weights, feature-major as the
 * model keeps them (row 0 unused), into a malloc'ed *out of *size bytes.
 */
st_status st_weights_encode(const double *weights, size_t npairs, size_t nfeatures, char **out, size_t *size);

/*
 * Decodes data into a malloc'ed *weights of (nfeatures + 1) rows of
 * npairs (row 0 zero).  The header must name exactly npairs and
 * nfeatures (what model.svm and vocab.tsv say) and the size must match;
 * a NaN or an infinity is refused.  Errors: ST_ERR_MODEL with the problem
 * in diag (no file name: the caller adds it), ST_ERR_NOMEM.
 */
st_status st_weights_decode(const char *data, size_t size, size_t npairs, size_t nfeatures, double **weights,
                            st_diag *diag);

#ifdef __cplusplus
}
#endif

#endif /* ST_WEIGHTS_H */
