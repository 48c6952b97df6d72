/* fuzz.h - what the libFuzzer targets under tests/fuzz/ share.
 *
 * Every target defines LLVMFuzzerTestOneInput().  `make fuzz` links it with libFuzzer
 * (clang); `make check` links it with replay.c (any compiler) and feeds it every file
 * under tests/fuzz/regress/<target>/ and tests/fuzz/corpus/<target>/.  A target checks
 * what must hold for any input and calls fuzz_fail() when it does not, so a broken
 * property is a crash for libFuzzer and a failed test for the replay. */
#ifndef IDEABANK_FUZZ_H
#define IDEABANK_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "ideabank.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* data[0..size) as a NUL-terminated string (stops at the first NUL byte).  Caller
 * frees.  Aborts when out of memory. */
char *fuzz_cstr(const uint8_t *data, size_t size);

/* Print "fuzz: <what>" with the printf-formatted detail to stderr and abort(). */
void fuzz_fail(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2), noreturn))
#endif
    ;

/* The store the search and web targets run against: a scratch database in $TMPDIR
 * (removed at exit) holding the sample (data/kommuner.csv, data/folketal.csv,
 * data/proposals.jsonl, read relative to the working directory, the repository's
 * root).  Opened on first use; aborts when it cannot be built. */
ib_store *fuzz_store(void);

/* 1 when p[0..n) is valid UTF-8. */
int fuzz_utf8_ok(const void *p, size_t n);

#endif
