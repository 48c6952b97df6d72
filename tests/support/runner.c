/* runner.c - the one Check runner of the unit tests, and the tool run from a test. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "ideabank.h"
#include "runner.h"

int tu_run(const char *suite, const tu_tcase *tcases, size_t n)
{
	Suite *su = suite_create(suite);
	for (size_t i = 0; i < n; i++) {
		const tu_tcase *c = &tcases[i];
		TCase *tc = tcase_create(c->name ? c->name : suite);
		if (c->timeout > 0)
			tcase_set_timeout(tc, c->timeout);
		if (c->setup_once || c->teardown_once)
			tcase_add_unchecked_fixture(tc, c->setup_once, c->teardown_once);
		if (c->setup || c->teardown)
			tcase_add_checked_fixture(tc, c->setup, c->teardown);
		int loop_found = !c->loop;
		for (const TTest *const *t = c->tests; *t; t++) {
			loop_found |= *t == c->loop;
			if (*t == c->loop)
				tcase_add_loop_test(tc, *t, 0, c->loop_end);
			else
				tcase_add_test(tc, *t);
		}
		suite_add_tcase(su, tc);
		if (!loop_found || (c->loop && c->loop_end <= 0)) {
			fprintf(stderr, "%s: loop test %s: not in the tests, or no runs\n", suite,
				c->loop->name);
			return EXIT_FAILURE;
		}
	}
	SRunner *sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

int tu_run_tests(const char *suite, int timeout, SFun setup, SFun teardown,
		 const TTest *const *tests)
{
	const tu_tcase tc = {
	    .timeout = timeout, .setup = setup, .teardown = teardown, .tests = tests};
	return tu_run(suite, &tc, 1);
}

const char *tu_run_tool(const char *env, const char *db, const char *args, int *code)
{
	static ib_buf out;
	const char *tool = getenv("IDEABANK");
	ck_assert_msg(tool != NULL, "set IDEABANK to the built binary (make unit does)");
	ib_buf cmd;
	ib_buf_init(&cmd, 0);
	ib_buf_addf(&cmd, "%s%sCOLUMNS=120 '%s' --db '%s' 2>&1 %s", env ? env : "", env ? " " : "",
		    tool, db, args);
	ib_buf_free(&out);
	ib_buf_init(&out, 0);
	FILE *p = popen(ib_buf_str(&cmd), "r");
	ck_assert_msg(p != NULL, "cannot run %s", ib_buf_str(&cmd));
	ib_buf_free(&cmd);
	char chunk[65536];
	size_t k;
	while ((k = fread(chunk, 1, sizeof chunk, p)) > 0)
		ck_assert_int_eq(ib_buf_add(&out, chunk, k), IB_OK);
	int status = pclose(p);
	int rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	if (code)
		*code = rc;
	else
		ib_buf_addf(&out, "exit %d\n", rc);
	return ib_buf_str(&out);
}
