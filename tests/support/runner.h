/* runner.h - the one Check runner every tests/check_*.c uses, and the tool run from a
 * test.
 *
 * A test file lists its tests in a table and hands it to tu_run() from main():
 *
 *     int main(void)
 *     {
 *             const tu_test tests[] = {TU_TEST(schema_version), TU_LOOP(fault_matrix, 6),
 *                                      TU_END};
 *             const tu_tcase tc = {.timeout = 60, .setup = setup, .tests = tests};
 *             return tu_run("store", &tc, 1);
 *     }
 */
#ifndef IDEABANK_RUNNER_H
#define IDEABANK_RUNNER_H

#include <check.h>
#include <stddef.h>

/* One test of a table: a START_TEST name, and for a loop test how many times it runs
 * (_i from 0 to loop_end - 1; 0 for a plain test).  A table ends with TU_END. */
typedef struct tu_test {
	const TTest *test;
	int loop_end;
} tu_test;

/* clang-format off */
#define TU_TEST(t) {(t), 0}
#define TU_LOOP(t, n) {(t), (n)}
#define TU_END {NULL, 0}
/* clang-format on */

/* One Check test case: its tests and how they run. */
typedef struct tu_tcase {
	const char *name; /* NULL: the suite's name */
	int timeout;	  /* seconds; 0 keeps Check's default (CK_DEFAULT_TIMEOUT) */
	SFun setup;	  /* run around each test in its process (checked fixture); may be NULL */
	SFun teardown;
	SFun setup_once; /* run once for the test case (unchecked fixture); may be NULL */
	SFun teardown_once;
	const tu_test *tests; /* ended by TU_END */
} tu_tcase;

/* Build the suite named suite from n test cases, run it (Check's CK_NORMAL output, the
 * environment's CK_RUN_CASE, CK_RUN_SUITE and CK_FORK apply) and return main()'s exit
 * code: EXIT_SUCCESS when every test passed, else EXIT_FAILURE. */
int tu_run(const char *suite, const tu_tcase *tcases, size_t n);

/* Run the built tool ($IDEABANK, which `make unit` sets) through the shell as
 *     ENV COLUMNS=120 '$IDEABANK' --db 'DB' ARGS 2>&1
 * env (NAME=value words, may be NULL) before it, args as shell words (the caller
 * quotes).  Returns everything it printed, stdout and stderr together; the text stays
 * valid until the next call.  Its exit code goes to *code, or, when code is NULL, the
 * text ends with a line "exit N".  Fails the test when IDEABANK is not set. */
const char *tu_run_tool(const char *env, const char *db, const char *args, int *code);

#endif
