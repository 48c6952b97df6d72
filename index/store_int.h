/* store_int.h - private to index/: the store's internals, shared by its modules. */
#ifndef IDEABANK_STORE_INT_H
#define IDEABANK_STORE_INT_H

#include <sqlite3.h>

#include "ideabank/buf.h"
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
	int made_file;		  /* this open made the file at path (O_EXCL) */
	int64_t fetch_id;	  /* provenance of rows put now (ib_store_set_fetch) */
	char *fetch_source;	  /* URL given as the source of proposals put now */
	ib_store_changes changes; /* since ib_store_changes_take */
	long n_pending;		  /* new proposals' facts noted since the last fold */
	ib_buf record;		  /* a proposal's canonical record, for its content hash */
	int new_in_a_row;	  /* proposals put new one after the other, up to now */
	uint64_t muni_known[16];  /* municipality codes 0-1023 known in this transaction */
	sqlite3_stmt *put[IB_STMT_N]; /* prepared on first use, finalized on close */
	/* What a module above the store keeps with it between calls (the search: the facts
	 * every search needs, search.c), and how that module frees it: when the store
	 * closes, before its connection does.  The module sees the database's changes for
	 * itself (PRAGMA data_version, sqlite3_total_changes64). */
	void *attached;
	void (*attached_free)(void *attached);
};

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
