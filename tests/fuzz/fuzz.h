/*
 * fuzz.h - what every fuzz target in tests/fuzz/ shares.
 *
 * Each target defines LLVMFuzzerTestOneInput (and may define
 * LLVMFuzzerInitialize).  Built two ways:
 *  - with clang -fsanitize=fuzzer,address,undefined (`make fuzz`), libFuzzer
 *    supplies main();
 *  - with the ordinary compiler and tests/fuzz/replay_main.c (`make
 *    fuzz-replay`, part of `make test`), which feeds every corpus and
 *    regression file to the target once.
 * FUZZ_CHECK is a hard assertion (it stays on in release builds): a
 * broken invariant must stop the fuzzer like a crash does.
 */
#ifndef STANCE_FUZZ_H
#define STANCE_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define FUZZ_CHECK(cond)                                                              \
    do {                                                                              \
        if (!(cond)) {                                                                \
            fprintf(stderr, "%s:%d: fuzz check failed: %s\n", __FILE__, __LINE__, #cond); \
            abort();                                                                  \
        }                                                                             \
    } while (0)

#endif
