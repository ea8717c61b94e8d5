/*
 * st_weights.c - weights.bin (see st_weights.h).
 */
#include "st_weights.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "st_util.h"

#define MAGIC "stweight"
#define LAYOUT_VERSION 1

static void put_le(unsigned char *p, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_le(const unsigned char *p, int bytes)
{
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

/* The body's size, or 0 when it would not fit a size_t. */
static size_t body_size(size_t npairs, size_t nfeatures)
{
    if (npairs == 0 || nfeatures > (SIZE_MAX - ST_WEIGHTS_HEADER_SIZE) / sizeof(double) / npairs - 1)
        return 0;
    return nfeatures * npairs * sizeof(double);
}

st_status st_weights_encode(const double *weights, size_t npairs, size_t nfeatures, char **out, size_t *size)
{
    *out = NULL;
    size_t body = body_size(npairs, nfeatures);
    if (body == 0 && nfeatures > 0)
        return ST_ERR_NOMEM;
    unsigned char *p = malloc(ST_WEIGHTS_HEADER_SIZE + body);
    if (!p)
        return ST_ERR_NOMEM;
    memcpy(p, MAGIC, 8);
    put_le(p + 8, LAYOUT_VERSION, 4);
    put_le(p + 12, npairs, 4);
    put_le(p + 16, nfeatures, 8);
    /* Row 0 (no feature) is skipped; the bits of each double as they are. */
    const double *w = weights + npairs;
    for (size_t i = 0; i < nfeatures * npairs; i++) {
        uint64_t bits;
        memcpy(&bits, &w[i], sizeof bits);
        put_le(p + ST_WEIGHTS_HEADER_SIZE + i * 8, bits, 8);
    }
    *out = (char *)p;
    *size = ST_WEIGHTS_HEADER_SIZE + body;
    return ST_OK;
}

/* The header against what the rest of the bundle says. */
static st_status check_header(const unsigned char *p, size_t size, size_t npairs, size_t nfeatures, st_diag *diag)
{
    if (size < ST_WEIGHTS_HEADER_SIZE || memcmp(p, MAGIC, 8) != 0)
        return st_diag_fail(diag, ST_ERR_MODEL, "not a weights file (no \"%s\" header)", MAGIC);
    uint64_t version = get_le(p + 8, 4), pairs = get_le(p + 12, 4), feats = get_le(p + 16, 8);
    if (version != LAYOUT_VERSION)
        return st_diag_fail(diag, ST_ERR_MODEL, "weights layout %llu (expected %d)", (unsigned long long)version,
                            LAYOUT_VERSION);
    if (pairs != npairs)
        return st_diag_fail(diag, ST_ERR_MODEL, "%llu pairs of labels, model.svm has %zu",
                            (unsigned long long)pairs, npairs);
    if (feats != nfeatures)
        return st_diag_fail(diag, ST_ERR_MODEL, "%llu features, vocab.tsv has %zu", (unsigned long long)feats,
                            nfeatures);
    size_t body = body_size(npairs, nfeatures);
    if ((body == 0 && nfeatures > 0) || size - ST_WEIGHTS_HEADER_SIZE != body)
        return st_diag_fail(diag, ST_ERR_MODEL, "%zu bytes, expected %zu for %zu features x %zu pairs", size,
                            (size_t)ST_WEIGHTS_HEADER_SIZE + body, nfeatures, npairs);
    return ST_OK;
}

/* Whether this host stores numbers little-endian (a constant to the
 * compiler). */
static int host_is_little_endian(void)
{
    const uint16_t probe = 1;
    unsigned char first;
    memcpy(&first, &probe, 1);
    return first == 1;
}

/* Reverses the bytes of each of n 8-byte words in place. */
static void swap_words(double *w, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char b[8];
        memcpy(b, &w[i], 8);
        uint64_t v = get_le(b, 8);
        memcpy(&w[i], &v, 8);
    }
}

st_status st_weights_decode(const char *data, size_t size, size_t npairs, size_t nfeatures, double **weights,
                            st_diag *diag)
{
    *weights = NULL;
    const unsigned char *p = (const unsigned char *)data;
    st_status status = check_header(p, size, npairs, nfeatures, diag);
    if (status != ST_OK)
        return status;
    double *w = malloc((nfeatures + 1) * npairs * sizeof *w);
    if (!w)
        return st_diag_fail(diag, ST_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < npairs; i++)
        w[i] = 0.0;
    /* One copy of the body (a byte-by-byte assembly cost six times the
     * rest of this function on the default model); a big-endian host
     * then turns each word around. */
    size_t count = nfeatures * npairs;
    memcpy(w + npairs, p + ST_WEIGHTS_HEADER_SIZE, count * sizeof *w);
    if (!host_is_little_endian())
        swap_words(w + npairs, count);
    for (size_t i = 0; i < count; i++) {
        if (!isfinite(w[npairs + i])) {
            free(w);
            return st_diag_fail(diag, ST_ERR_MODEL, "feature %zu: weight not a finite number", i / npairs + 1);
        }
    }
    *weights = w;
    return ST_OK;
}
