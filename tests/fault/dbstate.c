/* dbstate.c - what the fault tests read from a database after a kill or a run: a
 * search through a read-only connection (what a reader sees first after a crash), then
 * PRAGMA integrity_check and FTS5's integrity-check (ib_store_check() on a writer's
 * connection), then one line naming the state of the generated proposals (tests/fault/genfeed.sh):
 *   "none N"  no generated proposal, N proposals in all
 *   "A N"     every generated proposal is variant A's, N of them
 *   "B N"     likewise for B
 *   "mixed a b"  a of A and b of B: a half-applied import (the test fails)
 * Exit 0 when the checks pass, 1 when they do not (the message on stderr). */
#include <stdio.h>
#include <string.h>

#include "ideabank.h"
#include "store_int.h"

static long count(ib_store *s, const char *sql)
{
	sqlite3_stmt *st;
	long n = -1;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fputs("usage: dbstate DB\n", stderr);
		return 2;
	}
	ib_store *s = NULL;
	ib_error err = {0};
	ib_search_opts o = {.query = "genereret", .limit = 5};
	ib_result *r = NULL;
	if (ib_store_open_readonly(argv[1], &s, &err) || ib_search(s, &o, &r, &err)) {
		fprintf(stderr, "dbstate: read-only: %s\n", err.msg);
		ib_store_close(s);
		return 1;
	}
	ib_result_free(r);
	ib_store_close(s);
	s = NULL;
	if (ib_store_open(argv[1], &s, &err) || ib_store_check(s, &err)) {
		fprintf(stderr, "dbstate: %s\n", err.msg);
		ib_store_close(s);
		return 1;
	}
	long all = count(s, "SELECT count(*) FROM proposal");
	long a = count(s, "SELECT count(*) FROM proposal WHERE summary LIKE 'Variant A:%'");
	long b = count(s, "SELECT count(*) FROM proposal WHERE summary LIKE 'Variant B:%'");
	/* the index agrees with the rows: every generated proposal is found by its words */
	long fts = count(s, "SELECT count(*) FROM proposal_fts WHERE proposal_fts MATCH 'genereret'");
	ib_store_close(s);
	if (all < 0 || a < 0 || b < 0 || fts != a + b) {
		fprintf(stderr, "dbstate: %ld rows, %ld A, %ld B, %ld found in the index\n", all, a, b,
			fts);
		return 1;
	}
	if (a && b)
		printf("mixed %ld %ld\n", a, b);
	else if (a)
		printf("A %ld\n", a);
	else if (b)
		printf("B %ld\n", b);
	else
		printf("none %ld\n", all);
	return 0;
}
