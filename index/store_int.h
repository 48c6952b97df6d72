/* store_int.h - private to index/: the store's internals, shared by its modules. */
#ifndef IDEABANK_STORE_INT_H
#define IDEABANK_STORE_INT_H

#include <sqlite3.h>

#include "facts.h"
#include "ideabank/buf.h"
#include "ideabank/search.h"
#include "ideabank/store.h"

/* The write statements of ib_store_put_* kept prepared across calls (store.c): an
 * import puts thousands of rows, and preparing an INSERT whose triggers write the
 * full-text index costs more than running it. */
enum ib_store_stmt {
	IB_STMT_MUNICIPALITY_KNOWN,
	IB_STMT_PROPOSAL_FIND,
	IB_STMT_PROPOSAL_INSERT,
	IB_STMT_PROPOSAL_UPDATE,
	IB_STMT_PROPOSAL_FTS,
	IB_STMT_YEAR_DELETE,
	IB_STMT_FLAG_DELETE,
	IB_STMT_FOLLOWUP_DELETE,
	IB_STMT_APPEARANCE_DELETE,
	IB_STMT_YEAR,
	IB_STMT_FLAG,
	IB_STMT_APPEARANCE,
	IB_STMT_FOLLOWUP,
	IB_STMT_AGENDA_ITEM,
	IB_STMT_AGENDA_OUTCOME,
	IB_STMT_AGENDA_TEXT,
	IB_STMT_FACT_PENDING,
	IB_STMT_N
};

struct ib_store {
	sqlite3 *db;
	char *path;
	int in_tx;		  /* transaction depth: savepoints inside the outermost */
	int readonly;		  /* opened with ib_store_open_readonly */
	int wait_ms;		  /* busy timeout: how long to wait for a writer */
	int wordlist_changed;	  /* read-only: the index awaits a rebuild by a writer */
	int created;		  /* this open created the database (its tables, its seed) */
	int creating;		  /* created, held uncommitted until ib_store_publish() */
	int made_file;		  /* there was no file at path before this open */
	int64_t fetch_id;	  /* provenance of rows put now (ib_store_set_fetch) */
	char *fetch_source;	  /* URL given as the source of proposals put now */
	ib_store_changes changes; /* since ib_store_changes_take */
	long n_pending;		  /* new proposals' facts noted since the last fold */
	ib_buf record;		  /* a proposal's canonical record, for its content hash */
	int new_in_a_row;	  /* proposals put new one after the other, up to now */
	uint64_t muni_known[16];  /* municipality codes 0-1023 known in this transaction */
	struct ib_search_cache *search_cache; /* facts every search needs (search.c) */
	int search_once;		      /* keep no facts between searches */
	sqlite3_stmt *put[IB_STMT_N];	      /* prepared on first use, finalized on close */
};

typedef struct ib_search_cache ib_search_cache;

/* Free the search cache (NULL allowed) (search.c). */
void ib_search_cache_free(ib_search_cache *c);

/* ib_search() with the whole result read and sorted in SQL: every match's row read,
 * population resolved per row.  The reference the fast path is tested against, and the
 * path of IB_SORT_SCORE.  Takes and returns what ib_search() does (search.c). */
int ib_search_plain(ib_store *s, const ib_search_opts *o, ib_result **out, ib_error *err);

/* Every stored proposal counted by its facts (facts.h), for stats: by kommunekode, by
 * budget year and by area code.  The caller zeroes *t and gives it by_code and by_year
 * of 65.536 entries each. */
typedef struct ib_fact_tally {
	long total;
	long *by_code, *by_year;
	long by_area[IB_FACT_LABELS];
	const char *area[IB_FACT_LABELS]; /* each code's text, NULL for SQL NULL; the store's */
	size_t n_area;
	int unfit; /* the facts do not fit their codes: count with SQL */
} ib_fact_tally;

/* Fill t; fails as searches fail (search.c). */
int ib_search_tally(ib_store *s, ib_fact_tally *t, ib_error *err);

/* Set err from the database's current error message, prefixed with what. */
int ib_store_dberr(ib_store *s, ib_error *err, const char *what);

/* Create or migrate the schema to IB_SCHEMA_VERSION (schema.c). */
int ib_schema_migrate(sqlite3 *db, ib_error *err);

/* The schema version into *version; *empty = 1 for a database without tables (a new
 * file, or one whose creation never committed).  Fails with IB_ESCHEMA for a database
 * newer than this program or not ours, IB_EDB (schema.c). */
int ib_schema_state(sqlite3 *db, int *version, int *empty, ib_error *err);

/* Create every table of IB_SCHEMA_VERSION in an empty database, inside the caller's
 * transaction, so that a database is created whole or not at all (schema.c). */
int ib_schema_create(sqlite3 *db, ib_error *err);

/* For a read-only connection: the schema must be this program's version (IB_ESCHEMA
 * otherwise, saying a write command upgrades it); *wordlist_changed = 1 when the index
 * was built with another word list (left for the next write to rebuild) (schema.c). */
int ib_schema_check(sqlite3 *db, int *wordlist_changed, ib_error *err);

/* Register ideabank's SQL helpers and tokenizers on a fresh connection (schema.c). */
int ib_schema_register(sqlite3 *db, ib_error *err);

#endif
