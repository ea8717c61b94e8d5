/*
 * tests/test_stride.h - how many rows the slow equivalence tests skip.
 *
 * Every row by default, or every Nth with STANCE_TEST_STRIDE=N: `make
 * asan` sets 8, since the sanitizers look for memory errors, which a
 * share of the rows exercises as well as all of them, at a fraction of
 * the time (tests/test_fastpath.c, tests/test_model.c).
 */
#ifndef TEST_STRIDE_H
#define TEST_STRIDE_H

#include <stddef.h>
#include <stdlib.h>

static inline size_t test_row_stride(void)
{
    const char *e = getenv("STANCE_TEST_STRIDE");
    long n = e ? strtol(e, NULL, 10) : 1;
    return n >= 1 && n <= 1000 ? (size_t)n : 1;
}

#endif
