/* fuzz_query.c - the query parser (index/fts_query.c).  Whatever the user types, the
 * expression it builds is valid FTS5 syntax: it prepares and runs against an FTS5
 * table without an error (user text never reaches FTS5 as syntax). */
#include <sqlite3.h>
#include <stdlib.h>

#include "fuzz.h"

static sqlite3 *db;

static void open_db(void)
{
	if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
	    sqlite3_exec(db,
			 "CREATE VIRTUAL TABLE t USING fts5(a, tokenize='unicode61 remove_diacritics 0');"
			 "INSERT INTO t VALUES ('hjemmepleje robot og skærmbesøg'), ('ældre \"borgere\"');",
			 NULL, NULL, NULL) != SQLITE_OK)
		fuzz_fail("cannot create the FTS5 table: %s", sqlite3_errmsg(db));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!db)
		open_db();
	char *z = fuzz_cstr(data, size);
	char *match = NULL;
	ib_error err = {0};
	int rc = ib_fts_query_build(z, &match, &err);
	if (rc != IB_OK && rc != IB_EARG && rc != IB_ETOOBIG)
		fuzz_fail("unexpected code %d: %s", rc, err.msg);
	if (rc != IB_OK && match)
		fuzz_fail("failed (%s) but returned an expression", err.msg);
	if (match) {
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(db, "SELECT rowid FROM t WHERE t MATCH ?", -1, &st, NULL))
			fuzz_fail("prepare: %s", sqlite3_errmsg(db));
		sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			;
		if (rc != SQLITE_DONE)
			fuzz_fail("query '%s' built '%s', which FTS5 refuses: %s", z, match,
				  sqlite3_errmsg(db));
		sqlite3_finalize(st);
	}
	free(match);
	free(z);
	return 0;
}
