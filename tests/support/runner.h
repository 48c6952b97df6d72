/* runner.h - the one Check runner every tests/check_*.c uses, and the tool run from a
 * test.
 *
 * A test file lists its tests and hands them to the runner from main():
 *
 *     int main(void)
 *     {
 *             return tu_run_tests("peers", 60, setup, teardown,
 *                                 TU_TESTS(group_comparison, lower_n, own_list));
 *     }
 *
 * and with tu_run() when it has a loop test, a fixture run once, or several test
 * cases. */
#ifndef IDEABANK_RUNNER_H
#define IDEABANK_RUNNER_H

#include <check.h>
#include <stddef.h>

/* The tests of a test case in order: TU_TESTS(a, b, c), the names START_TEST gave. */
#define TU_TESTS(...) ((const TTest *const[]){__VA_ARGS__, NULL})

/* One Check test case: its tests and how they run. */
typedef struct tu_tcase {
	const char *name; /* NULL: the suite's name */
	int timeout;	  /* seconds; 0 keeps Check's default (CK_DEFAULT_TIMEOUT) */
	SFun setup;	  /* run around each test in its process (checked fixture); may be NULL */
	SFun teardown;
	SFun setup_once; /* run once for the test case (unchecked fixture); may be NULL */
	SFun teardown_once;
	const TTest *const *tests; /* NULL-ended (TU_TESTS) */
	const TTest *loop;	   /* one of tests that is a loop test, or NULL; it runs where */
	int loop_end;		   /* it stands, for _i from 0 to loop_end - 1 */
} tu_tcase;

/* Build the suite named suite from n test cases, run it (Check's CK_NORMAL output, the
 * environment's CK_RUN_CASE, CK_RUN_SUITE and CK_FORK apply) and return main()'s exit
 * code: EXIT_SUCCESS when every test passed, else EXIT_FAILURE. */
int tu_run(const char *suite, const tu_tcase *tcases, size_t n);

/* The common case: one test case, named as the suite, of tests (TU_TESTS) with a
 * timeout (0: Check's default) and a checked fixture (either may be NULL). */
int tu_run_tests(const char *suite, int timeout, SFun setup, SFun teardown,
		 const TTest *const *tests);

/* Run the built tool ($IDEABANK, which `make unit` sets) through the shell as
 *     ENV COLUMNS=120 '$IDEABANK' --db 'DB' 2>&1 ARGS
 * env (NAME=value words, may be NULL) before it, args as shell words (the caller
 * quotes; a redirection of its own such as "2>/dev/null" at its end comes after the
 * 2>&1).  Returns everything it printed, stdout and stderr together; the text stays
 * valid until the next call.  Its exit code goes to *code, or, when code is NULL, the
 * text ends with a line "exit N".  Fails the test when IDEABANK is not set. */
const char *tu_run_tool(const char *env, const char *db, const char *args, int *code);

#endif
