/* store.c - open the database, ingest reference data and proposals, look them up. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "facts.h"
#include "ideabank/buf.h"
#include "ideabank/feed.h"
#include "ideabank/hash.h"
#include "ideabank/num.h"
#include "store_int.h"

int ib_store_dberr(ib_store *s, ib_error *err, const char *what)
{
	int code = sqlite3_errcode(s->db);
	if (code == SQLITE_FULL)
		return ib_error_set(err, IB_EDB, "%s: disk full writing '%s'", what, s->path);
	return ib_error_set(err, IB_EDB, "%s: %s", what, sqlite3_errmsg(s->db));
}

/* How long a writer waits for another writer (an import or fetch) to finish before
 * giving up, and how long a reader waits out a writer's rare exclusive moments (WAL
 * recovery after a crash). */
#define WRITE_WAIT_MS 300000
#define READ_WAIT_MS 30000

/* A writer keeps statement journals (an UPDATE whose triggers write the FTS5 index has
 * one) in memory, not in a temporary file per statement.  Its page cache may grow to
 * 256 MiB (allocated as pages are touched): an import inserts into the proposal table's
 * indexes and the full-text index all over the file, and with SQLite's default 2 MiB it
 * spilled pages to the WAL and read them back over and over (100k proposals: 3,7 s of
 * system time, 1,5 s with the larger cache).  A reader's page cache may grow to 64 MiB:
 * a search of a large bank does not read the same pages again and again. */
#define WRITER_PRAGMA "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-262144"
/* A store is used by one thread at a time (serve takes a connection per request from
 * its pool): connections open without SQLite's per-connection mutex (multi-thread
 * mode), which every bind, step and column call took and gave back. */
#define READER_PRAGMA "PRAGMA cache_size=-65536"

/* A new store for path, not yet opened; NULL when out of memory. */
static ib_store *store_new(const char *path, int wait_ms)
{
	ib_store *s = calloc(1, sizeof *s);
	if (s && !(s->path = strdup(path))) {
		free(s);
		return NULL;
	}
	if (s)
		s->wait_ms = wait_ms;
	return s;
}

/* Set err for a failed open of s: rc is an SQLite code of s->db, msg (may be NULL) says
 * more.  Returns IB_EDB. */
static int open_error(ib_store *s, int rc, const char *msg, ib_error *err)
{
	if (rc == SQLITE_BUSY)
		return ib_error_set(
		    err, IB_EDB, "database '%s' is busy: another import or fetch held it for %d s",
		    s->path, s->wait_ms / 1000);
	if (rc == SQLITE_FULL)
		return ib_error_set(err, IB_EDB, "cannot open database '%s': disk full", s->path);
	return ib_error_set(err, IB_EDB, "cannot open database '%s': %s", s->path,
			    msg	    ? msg
			    : s->db ? sqlite3_errmsg(s->db)
				    : sqlite3_errstr(rc));
}

/* Fail opening s: open_error(), then close s. */
static int open_failed(ib_store *s, int rc, const char *msg, ib_error *err)
{
	open_error(s, rc, msg, err);
	ib_store_close(s);
	return IB_EDB;
}

/* The folder of path into dir (size n): "." when path names none. */
static void folder_of(const char *path, char *dir, size_t n)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(dir, n, ".");
	else if (slash == path)
		snprintf(dir, n, "/");
	else
		snprintf(dir, n, "%.*s", (int)(slash - path), path);
}

/* 1 when the file s has open is no longer the one at its path (removed or replaced
 * since it was opened). */
static int file_moved(ib_store *s)
{
	int moved = 0;
	sqlite3_file_control(s->db, "main", SQLITE_FCNTL_HAS_MOVED, &moved);
	return moved;
}

/* From now on s's connection never removes the WAL and shared-memory files by name
 * when it closes: the names may belong to a new database by then. */
static void keep_companion_names(ib_store *s)
{
	int on = 1;
	sqlite3_file_control(s->db, "main", SQLITE_FCNTL_PERSIST_WAL, &on);
}

/* Open s->path for writing: the connection, its busy timeout, pragmas, WAL journal
 * and SQL functions.  The folder must exist: a database is never made in a folder
 * that is not there. */
static int open_writer(ib_store *s, ib_error *err)
{
	int rc = sqlite3_open_v2(s->path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
				 NULL);
	if (rc != SQLITE_OK) {
		char dir[4096];
		struct stat sb;
		folder_of(s->path, dir, sizeof dir);
		if (stat(s->path, &sb) != 0 && stat(dir, &sb) != 0 && errno == ENOENT)
			return ib_error_set(
			    err, IB_EIO, "cannot create database '%s': folder '%s' does not exist",
			    s->path, dir);
		return open_error(s, rc, NULL, err);
	}
	sqlite3_busy_timeout(s->db, s->wait_ms);
	/* WAL: readers keep reading the last commit while a writer writes, and a failed
	 * write leaves the database file as it was */
	sqlite3_stmt *st = NULL;
	rc = sqlite3_exec(s->db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(s->db, WRITER_PRAGMA, NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(s->db, "PRAGMA journal_mode=WAL", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			const char *mode = (const char *)sqlite3_column_text(st, 0);
			rc = mode && strcmp(mode, "wal") == 0 ? SQLITE_OK : SQLITE_CANTOPEN;
		}
		sqlite3_finalize(st);
	}
	if (rc == SQLITE_CANTOPEN)
		return open_error(s, rc, "cannot use the WAL journal here", err);
	if (rc != SQLITE_OK)
		return open_error(s, sqlite3_errcode(s->db), NULL, err);
	if (ib_schema_register(s->db, err)) {
		ib_error_prefix(err, "database '%s'", s->path);
		return IB_EDB;
	}
	return IB_OK;
}

/* Give up a database this open was creating: nothing of it stays.  When this open
 * made the file, the file and its WAL and shared-memory files are removed while the
 * write lock is still held, so that a writer waiting for the lock finds its file
 * moved (file_moved) and opens the path again instead of writing to a removed file. */
static void discard_creation(ib_store *s)
{
	s->creating = 0;
	if (!s->made_file || !s->db)
		return;
	int locked = !sqlite3_get_autocommit(s->db);
	if (!locked) {
		/* the open failed before creating, or a failed commit ended the
		 * transaction: lock again on a fresh connection (the old one may be in
		 * SQLite's error state after a failed write), not waiting (a lock held is
		 * another creator at work), and remove the file only if it holds no
		 * database */
		for (int i = 0; i < IB_STMT_N; i++) {
			sqlite3_finalize(s->put[i]);
			s->put[i] = NULL;
		}
		keep_companion_names(s);
		sqlite3_close_v2(s->db);
		s->db = NULL;
		s->in_tx = 0;
		if (sqlite3_open_v2(s->path, &s->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
			return;
		int version, empty = 0;
		if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK) {
			s->in_tx = 1;
			locked = ib_schema_state(s->db, &version, &empty, NULL) == IB_OK && empty;
		} else {
			/* locking an empty file writes its first page, which a full disk
			 * refuses: an empty file holds nothing, and a creator that opened it
			 * meanwhile finds it moved once it has the lock */
			struct stat sb;
			if (stat(s->path, &sb) == 0 && sb.st_size == 0)
				unlink(s->path);
			return;
		}
	}
	keep_companion_names(s);
	if (locked && !file_moved(s)) {
		size_t n = strlen(s->path) + 8;
		char *z = malloc(n);
		unlink(s->path);
		if (z) {
			snprintf(z, n, "%s-wal", s->path);
			unlink(z);
			snprintf(z, n, "%s-shm", s->path);
			unlink(z);
			free(z);
		}
	}
}

/* Create the tables of s's empty database and seed it (c->seed), in one transaction:
 * committed here, or held for ib_store_publish() when c->hold.  When another creator
 * got the lock first, s is left as that one made it (s->created stays 0).  *retry = 1
 * when the file was removed while this open waited for the lock (a creator failed and
 * discarded it): the caller opens the path again.  On failure the transaction is
 * still open and s->creating set: ib_store_close() discards it. */
static int create(ib_store *s, const ib_store_create *c, int *retry, ib_error *err)
{
	*retry = 0;
	int rc = ib_store_begin(s, err);
	if (rc)
		return rc;
	if (file_moved(s)) {
		ib_store_rollback(s);
		*retry = 1;
		return IB_OK;
	}
	int version, empty;
	rc = ib_schema_state(s->db, &version, &empty, err);
	if (rc || !empty) {
		ib_store_rollback(s);
		if (rc)
			ib_error_prefix(err, "database '%s'", s->path);
		return rc;
	}
	s->creating = 1;
	rc = ib_schema_create(s->db, err);
	if (!rc && c && c->seed && (rc = c->seed(s, c->ctx, err)) != IB_OK)
		ib_error_prefix(err, "cannot seed the new database");
	if (rc) {
		ib_error_prefix(err, "database '%s'", s->path);
		return rc;
	}
	s->created = 1;
	return c && c->hold ? IB_OK : ib_store_publish(s, err);
}

int ib_store_open_ex(const char *path, const ib_store_create *c, ib_store **out, ib_error *err)
{
	*out = NULL;
	for (int attempt = 0;; attempt++) {
		ib_store *s = store_new(path, WRITE_WAIT_MS);
		if (!s)
			return ib_error_set(err, IB_ENOMEM, NULL);
		struct stat sb;
		s->made_file = stat(path, &sb) != 0 && errno == ENOENT;
		int version, empty = 0, retry = 0;
		int rc = open_writer(s, err);
		if (!rc && (rc = ib_schema_state(s->db, &version, &empty, err)) != IB_OK)
			ib_error_prefix(err, "database '%s'", path);
		if (!rc && empty)
			rc = create(s, c, &retry, err);
		if (!rc && retry && attempt < 8) {
			keep_companion_names(s);
			ib_store_close(s);
			continue;
		}
		if (!rc && retry)
			rc = ib_error_set(err, IB_EDB, "database '%s' keeps being replaced", path);
		if (!rc && !s->created && (rc = ib_schema_migrate(s->db, err)) != IB_OK)
			ib_error_prefix(err, "database '%s'", path);
		if (rc) {
			s->creating = s->made_file; /* leave no file this open made */
			ib_store_close(s);
			return rc;
		}
		*out = s;
		return IB_OK;
	}
}

int ib_store_open(const char *path, ib_store **out, ib_error *err)
{
	return ib_store_open_ex(path, NULL, out, err);
}

int ib_store_publish(ib_store *s, ib_error *err)
{
	if (!s || !s->creating)
		return IB_OK;
	if (s->in_tx != 1)
		return ib_error_set(err, IB_EARG, "database '%s': a transaction is still open",
				    s->path);
	if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		ib_store_dberr(s, err, "cannot commit the new database");
		discard_creation(s);
		return IB_EDB;
	}
	s->in_tx = 0;
	s->creating = 0;
	return IB_OK;
}

int ib_store_created(const ib_store *s)
{
	return s && s->created;
}

/* 1 when nobody can change the database at path from here: this process may write
 * neither the file nor its folder, and no WAL file is beside it (every commit is in
 * the file).  A reader of a WAL database needs a shared-memory file beside it, which a
 * read-only folder cannot hold ("attempt to write a readonly database"); such a
 * database is read as immutable instead. */
static int unwritable_here(const char *path)
{
	char dir[4096], wal[4200];
	struct stat sb;
	folder_of(path, dir, sizeof dir);
	snprintf(wal, sizeof wal, "%s-wal", path);
	return access(path, W_OK) != 0 && access(dir, W_OK) != 0 && stat(wal, &sb) != 0 &&
	       errno == ENOENT;
}

/* "file:PATH?immutable=1" with PATH escaped for a URI; caller frees.  NULL when out
 * of memory. */
static char *immutable_uri(const char *path)
{
	ib_buf b;
	ib_buf_init(&b, 0);
	int rc = ib_buf_adds(&b, "file:");
	for (const unsigned char *p = (const unsigned char *)path; !rc && *p; p++)
		rc = isalnum(*p) || strchr("/._-~", *p) ? ib_buf_addc(&b, (char)*p)
							: ib_buf_addf(&b, "%%%02X", *p);
	if (!rc)
		rc = ib_buf_adds(&b, "?immutable=1");
	if (rc) {
		ib_buf_free(&b);
		return NULL;
	}
	return ib_buf_detach(&b);
}

int ib_store_open_readonly(const char *path, ib_store **out, ib_error *err)
{
	*out = NULL;
	struct stat sb;
	if (stat(path, &sb) != 0) {
		if (errno == ENOENT)
			return ib_error_set(err, IB_EIO,
					    "no database at '%s' (an import or fetch creates one)",
					    path);
		return ib_error_set(err, IB_EIO, "cannot open database '%s': %s", path,
				    strerror(errno));
	}
	if (!S_ISREG(sb.st_mode))
		return ib_error_set(err, IB_EIO, "cannot open database '%s': not a file", path);
	ib_store *s = store_new(path, READ_WAIT_MS);
	if (!s)
		return ib_error_set(err, IB_ENOMEM, NULL);
	s->readonly = 1;
	char *uri = unwritable_here(path) ? immutable_uri(path) : NULL;
	int rc = uri ? sqlite3_open_v2(uri, &s->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
						 NULL)
		     : sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
	free(uri);
	if (rc != SQLITE_OK)
		return open_failed(s, rc, NULL, err);
	sqlite3_busy_timeout(s->db, s->wait_ms);
	if (sqlite3_exec(s->db, READER_PRAGMA, NULL, NULL, NULL) != SQLITE_OK)
		return open_failed(s, sqlite3_errcode(s->db), NULL, err);
	rc = ib_schema_register(s->db, err);
	if (!rc)
		rc = ib_schema_check(s->db, &s->wordlist_changed, err);
	if (rc) {
		ib_error_prefix(err, "database '%s'", path);
		ib_store_close(s);
		return rc;
	}
	*out = s;
	return IB_OK;
}

int ib_store_wordlist_changed(const ib_store *s)
{
	return s->wordlist_changed;
}

void ib_store_set_wait(ib_store *s, int ms)
{
	s->wait_ms = ms;
	sqlite3_busy_timeout(s->db, ms);
}

void ib_store_close(ib_store *s)
{
	if (!s)
		return;
	if (s->creating)
		discard_creation(s);
	while (s->in_tx)
		ib_store_rollback(s);
	free(s->fetch_source);
	ib_buf_free(&s->record);
	ib_search_cache_free(s->search_cache);
	for (int i = 0; i < IB_STMT_N; i++)
		sqlite3_finalize(s->put[i]);
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

static int fold_facts(ib_store *s, ib_error *err);

/* Nested transactions are savepoints inside the outermost one (a fetch runs an
 * import inside its own transaction). */
int ib_store_begin(ib_store *s, ib_error *err)
{
	char sql[64];
	if (s->in_tx)
		snprintf(sql, sizeof sql, "SAVEPOINT ib%d", s->in_tx);
	else
		snprintf(sql, sizeof sql, "BEGIN IMMEDIATE");
	if (s->readonly)
		return ib_error_set(err, IB_EARG, "database '%s' was opened read-only", s->path);
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
		if (sqlite3_errcode(s->db) == SQLITE_BUSY)
			return ib_error_set(
			    err, IB_EDB,
			    "database '%s' is busy: another import or fetch held it for %d s",
			    s->path, s->wait_ms / 1000);
		return ib_store_dberr(s, err, "cannot start transaction");
	}
	if (!s->in_tx)
		memset(s->muni_known, 0, sizeof s->muni_known);
	s->in_tx++;
	return IB_OK;
}

int ib_store_commit(ib_store *s, ib_error *err)
{
	char sql[64];
	if (s->in_tx > 1)
		snprintf(sql, sizeof sql, "RELEASE ib%d", s->in_tx - 1);
	else
		snprintf(sql, sizeof sql, "COMMIT");
	/* the search facts of what the transaction wrote go into their blocks with it */
	if (s->in_tx == 1 && fold_facts(s, err)) {
		ib_store_rollback(s);
		return IB_EDB;
	}
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
		ib_store_dberr(s, err, "cannot commit");
		ib_store_rollback(s);
		return IB_EDB;
	}
	s->in_tx--;
	return IB_OK;
}

void ib_store_rollback(ib_store *s)
{
	memset(s->muni_known, 0, sizeof s->muni_known);
	char sql[64];
	if (s->in_tx > 1)
		snprintf(sql, sizeof sql, "ROLLBACK TO ib%d; RELEASE ib%d", s->in_tx - 1,
			 s->in_tx - 1);
	else
		snprintf(sql, sizeof sql, "ROLLBACK");
	sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	if (s->in_tx > 0)
		s->in_tx--;
}

/* Prepare sql or set err. */
static int prep(ib_store *s, const char *sql, sqlite3_stmt **st, ib_error *err)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK)
		return ib_store_dberr(s, err, "cannot prepare statement");
	return IB_OK;
}

static void bind_text(sqlite3_stmt *st, int i, const char *z)
{
	if (z)
		sqlite3_bind_text(st, i, z, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

/* bind_text for a kept statement stepped and cleared (stmt_done) while z lives: SQLite
 * reads z in place instead of copying it (a proposal's text is bound twice per put). */
static void bind_static(sqlite3_stmt *st, int i, const char *z)
{
	if (z)
		sqlite3_bind_text(st, i, z, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static void bind_num(sqlite3_stmt *st, int i, double v)
{
	if (ib_is_na(v))
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_double(st, i, v);
}

static void bind_int0(sqlite3_stmt *st, int i, int v)
{
	if (v)
		sqlite3_bind_int(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

static double col_num(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? IB_NA : sqlite3_column_double(st, i);
}

static char *col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *z = sqlite3_column_text(st, i);
	return z ? strdup((const char *)z) : NULL;
}

/* The SQL of the statements ib_store_put_* keep prepared, by enum ib_store_stmt.  A
 * proposal's fetch_id is written with its row (?21; a file import keeps an updated
 * row's): a second UPDATE would fire proposal_au and index its text twice more. */
static const char *const stmt_sql[IB_STMT_N] = {
    [IB_STMT_MUNICIPALITY_KNOWN] = "SELECT 1 FROM municipality WHERE kommunekode=?1",
    [IB_STMT_PROPOSAL_FIND] = "SELECT id, content_hash FROM proposal WHERE kommunekode=?1 AND"
			      " ident=?2",
    [IB_STMT_PROPOSAL_INSERT] =
	"INSERT INTO proposal(kommunekode,budget_year,ref,title,summary,text,area,committee,"
	"kind,adopted,full_year,effect_kr,impl_cost_kr,source,source_page,content_hash,"
	"case_key,variant,ident,fetch_id)"
	" VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?18,?19,?20,?21)"
	" ON CONFLICT(kommunekode, ident) DO NOTHING",
    [IB_STMT_PROPOSAL_UPDATE] =
	"UPDATE proposal SET kommunekode=?1,budget_year=?2,ref=?3,title=?4,summary=?5,"
	"text=?6,area=?7,committee=?8,kind=?9,adopted=?10,full_year=?11,effect_kr=?12,"
	"impl_cost_kr=?13,source=?14,source_page=?15,content_hash=?16,case_key=?18,"
	"variant=?19,ident=?20,fetch_id=coalesce(?21,fetch_id) WHERE id=?17",
    /* what the AFTER INSERT trigger did before schema version 6 */
    [IB_STMT_PROPOSAL_FTS] = "INSERT INTO proposal_fts(rowid, title, summary, text)"
			     " VALUES(?1, ?2, ?3, ?4)",
    [IB_STMT_YEAR_DELETE] = "DELETE FROM proposal_year WHERE proposal_id=?1",
    [IB_STMT_FLAG_DELETE] = "DELETE FROM proposal_flag WHERE proposal_id=?1",
    [IB_STMT_FOLLOWUP_DELETE] = "DELETE FROM followup WHERE proposal_id=?1",
    [IB_STMT_APPEARANCE_DELETE] = "DELETE FROM appearance WHERE proposal_id=?1",
    [IB_STMT_YEAR] = "INSERT INTO proposal_year(proposal_id,year,net,investment,expenses,income,"
		     "fte,source_page,source_line) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)",
    [IB_STMT_FLAG] = "INSERT INTO proposal_flag(proposal_id,seq,code,message)"
		     " VALUES(?1,?2,?3,?4)",
    [IB_STMT_APPEARANCE] = "INSERT INTO appearance(proposal_id,seq,committee,date,item,decision,"
			   "url) VALUES(?1,?2,?3,?4,?5,?6,?7)",
    [IB_STMT_FOLLOWUP] =
	"INSERT INTO followup(proposal_id,adoption,total_investment_kr,effect_full_kr,"
	"full_implementation,compensating,status,remark,source,source_page)"
	" VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
    [IB_STMT_AGENDA_ITEM] = "INSERT OR REPLACE INTO agenda_item(kommunekode,meeting_id,item,seq,"
			    "case_number,case_key,title,url,html) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)",
    [IB_STMT_AGENDA_OUTCOME] = "UPDATE agenda_item SET outcome=?4, reason=?5, proposal_id=?6"
			       " WHERE kommunekode=?1 AND meeting_id=?2 AND item=?3",
    [IB_STMT_AGENDA_TEXT] = "SELECT html FROM agenda_item WHERE id=?1",
    /* a new proposal's search facts (facts.h); an update's and a delete's are noted by
       the triggers proposal_au and proposal_ad */
    [IB_STMT_FACT_PENDING] = "INSERT OR REPLACE INTO fact_pending(id,kommunekode,budget_year,"
			     "area,kind,adopted,effect_kr) VALUES(?1,?2,?3,?4,?5,?6,?7)",
};

/* The kept statement i of s in *st, prepared on first use; the caller binds and steps
 * it, then hands it back with stmt_done() or sqlite3_reset(). */
static int stmt(ib_store *s, enum ib_store_stmt i, sqlite3_stmt **st, ib_error *err)
{
	*st = NULL;
	if (!s->put[i] && sqlite3_prepare_v3(s->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
					     &s->put[i], NULL) != SQLITE_OK) {
		ib_store_dberr(s, err, "cannot prepare statement");
		return IB_EDB;
	}
	*st = s->put[i];
	return IB_OK;
}

/* Step a kept write statement to completion and reset it, bindings cleared, for the
 * next call. */
static int stmt_done(ib_store *s, sqlite3_stmt *st, ib_error *err, const char *what)
{
	int out = IB_OK;
	if (sqlite3_step(st) != SQLITE_DONE)
		out = ib_store_dberr(s, err, what);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return out;
}

/* Step a write statement to completion and finalize it. */
static int step_done(ib_store *s, sqlite3_stmt *st, ib_error *err, const char *what)
{
	int rc = sqlite3_step(st);
	int out = IB_OK;
	if (rc != SQLITE_DONE)
		out = ib_store_dberr(s, err, what);
	sqlite3_finalize(st);
	return out;
}

int ib_store_put_municipality(ib_store *s, const ib_municipality *m, const char *source,
			      ib_error *err)
{
	sqlite3_stmt *st;
	if (prep(s,
		 "INSERT INTO municipality(kommunekode,name,region,group_code,group_name,source)"
		 " VALUES(?1,?2,?3,?4,?5,?6) ON CONFLICT(kommunekode) DO UPDATE SET"
		 " name=excluded.name, region=excluded.region, group_code=excluded.group_code,"
		 " group_name=excluded.group_name, source=excluded.source",
		 &st, err))
		return IB_EDB;
	sqlite3_bind_int(st, 1, m->code);
	bind_text(st, 2, m->name);
	bind_text(st, 3, m->region);
	sqlite3_bind_int(st, 4, m->group_code);
	bind_text(st, 5, m->group_name);
	bind_text(st, 6, source);
	return step_done(s, st, err, "cannot store municipality");
}

/* Is code a stored municipality?  Remembered for codes below 1.024 while the
 * transaction lasts (no other connection writes meanwhile; a rollback forgets). */
static int known_municipality(ib_store *s, int code, ib_error *err)
{
	int remember = s->in_tx > 0 && code >= 0 && code < 1024;
	if (remember && (s->muni_known[code / 64] >> (code % 64) & 1))
		return IB_OK;
	sqlite3_stmt *st;
	if (stmt(s, IB_STMT_MUNICIPALITY_KNOWN, &st, err))
		return IB_EDB;
	sqlite3_bind_int(st, 1, code);
	int found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	if (!found)
		return ib_error_set(
		    err, IB_ENOTFOUND,
		    "unknown kommunekode %03d (import the municipality registry first)", code);
	if (remember)
		s->muni_known[code / 64] |= (uint64_t)1 << (code % 64);
	return IB_OK;
}

int ib_store_set_fetch(ib_store *s, int64_t fetch_id, const char *source)
{
	free(s->fetch_source);
	s->fetch_source = NULL;
	s->fetch_id = fetch_id;
	if (source && !(s->fetch_source = strdup(source)))
		return IB_ENOMEM;
	return IB_OK;
}

void ib_store_changes_take(ib_store *s, ib_store_changes *out)
{
	*out = s->changes;
	memset(&s->changes, 0, sizeof s->changes);
}

/* Whether a row is stored and how it compares: sql selects one boolean, "the stored
 * values equal ?4 (and ?5)", for the row keyed by ?1, ?2 (and ?3, key3).  Returns 0
 * absent, 1 same, 2 different; -1 on error. */
static int stored_state(ib_store *s, const char *sql, int code, int year, const char *key3,
			double a, double b, ib_error *err)
{
	sqlite3_stmt *st;
	if (prep(s, sql, &st, err))
		return -1;
	sqlite3_bind_int(st, 1, code);
	sqlite3_bind_int(st, 2, year);
	if (key3)
		bind_text(st, 3, key3);
	sqlite3_bind_double(st, 4, a);
	if (sqlite3_bind_parameter_count(st) >= 5)
		sqlite3_bind_double(st, 5, b);
	int state = 0;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		state = sqlite3_column_int(st, 0) ? 1 : 2;
	else if (rc != SQLITE_DONE)
		state = -1;
	sqlite3_finalize(st);
	if (state < 0)
		ib_store_dberr(s, err, "cannot read stored value");
	return state;
}

/* Count the row and say whether it needs writing. */
static int needs_write(ib_store *s, int state)
{
	if (state == 1) {
		s->changes.unchanged++;
		return s->fetch_id == 0; /* files rewrite their source; fetches keep the first */
	}
	if (state == 0)
		s->changes.added++;
	else
		s->changes.changed++;
	return 1;
}

int ib_store_put_population(ib_store *s, int kommunekode, int year, long inhabitants,
			    const char *source, ib_error *err)
{
	if (known_municipality(s, kommunekode, err))
		return err ? err->rc : IB_ENOTFOUND;
	int state = stored_state(s,
				 "SELECT inhabitants = ?4 FROM population WHERE kommunekode=?1 AND"
				 " year=?2",
				 kommunekode, year, NULL, (double)inhabitants, 0, err);
	if (state < 0)
		return IB_EDB;
	if (!needs_write(s, state))
		return IB_OK;
	sqlite3_stmt *st;
	if (prep(s,
		 "INSERT OR REPLACE INTO population(kommunekode,year,inhabitants,source,fetch_id)"
		 " VALUES(?1,?2,?3,?4,?5)",
		 &st, err))
		return IB_EDB;
	sqlite3_bind_int(st, 1, kommunekode);
	sqlite3_bind_int(st, 2, year);
	sqlite3_bind_int64(st, 3, inhabitants);
	bind_text(st, 4, source);
	if (s->fetch_id)
		sqlite3_bind_int64(st, 5, s->fetch_id);
	return step_done(s, st, err, "cannot store population");
}

/* Whether the stored persons by age of kommunekode in year are by_age[0..n_ages):
 * 1 same, 0 not; -1 on error. */
static int ages_same(ib_store *s, int kommunekode, int year, const long *by_age, int n_ages,
		     ib_error *err)
{
	sqlite3_stmt *st;
	if (prep(s,
		 "SELECT age, inhabitants FROM population_by_age WHERE kommunekode=?1 AND"
		 " year=?2 ORDER BY age",
		 &st, err))
		return -1;
	sqlite3_bind_int(st, 1, kommunekode);
	sqlite3_bind_int(st, 2, year);
	int same = 1, k = 0, rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (k >= n_ages || sqlite3_column_int(st, 0) != k ||
		    sqlite3_column_int64(st, 1) != by_age[k++])
			same = 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		ib_store_dberr(s, err, "cannot read stored value");
		return -1;
	}
	return same && k == n_ages;
}

int ib_store_put_population_age(ib_store *s, int kommunekode, int year, double share_0_16,
				double share_65_plus, const long *by_age, int n_ages,
				const char *source, ib_error *err)
{
	if (known_municipality(s, kommunekode, err))
		return err ? err->rc : IB_ENOTFOUND;
	int state = stored_state(s,
				 "SELECT share_0_16 = ?4 AND share_65_plus = ?5 FROM population_age"
				 " WHERE kommunekode=?1 AND year=?2",
				 kommunekode, year, NULL, share_0_16, share_65_plus, err);
	if (state < 0)
		return IB_EDB;
	if (state == 1 && by_age) {
		int same = ages_same(s, kommunekode, year, by_age, n_ages, err);
		if (same < 0)
			return IB_EDB;
		state = same ? 1 : 2;
	}
	if (!needs_write(s, state))
		return IB_OK;
	sqlite3_stmt *st;
	if (prep(s,
		 "INSERT OR REPLACE INTO population_age(kommunekode,year,share_0_16,share_65_plus,"
		 "source,fetch_id) VALUES(?1,?2,?3,?4,?5,?6)",
		 &st, err))
		return IB_EDB;
	sqlite3_bind_int(st, 1, kommunekode);
	sqlite3_bind_int(st, 2, year);
	sqlite3_bind_double(st, 3, share_0_16);
	sqlite3_bind_double(st, 4, share_65_plus);
	bind_text(st, 5, source);
	if (s->fetch_id)
		sqlite3_bind_int64(st, 6, s->fetch_id);
	int rc = step_done(s, st, err, "cannot store population by age");
	if (rc || !by_age)
		return rc;
	if (prep(s, "DELETE FROM population_by_age WHERE kommunekode=?1 AND year=?2", &st, err))
		return IB_EDB;
	sqlite3_bind_int(st, 1, kommunekode);
	sqlite3_bind_int(st, 2, year);
	if ((rc = step_done(s, st, err, "cannot store population by age")))
		return rc;
	if (prep(s,
		 "INSERT INTO population_by_age(kommunekode,year,age,inhabitants,source,fetch_id)"
		 " VALUES(?1,?2,?3,?4,?5,?6)",
		 &st, err))
		return IB_EDB;
	sqlite3_bind_int(st, 1, kommunekode);
	sqlite3_bind_int(st, 2, year);
	bind_text(st, 5, source);
	if (s->fetch_id)
		sqlite3_bind_int64(st, 6, s->fetch_id);
	for (int a = 0; a < n_ages && !rc; a++) {
		sqlite3_bind_int(st, 3, a);
		sqlite3_bind_int64(st, 4, by_age[a]);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = ib_store_dberr(s, err, "cannot store population by age");
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return rc;
}

int ib_store_population_by_age_missing(ib_store *s, int year, int *missing, ib_error *err)
{
	sqlite3_stmt *st;
	*missing = 0;
	if (prep(s,
		 "SELECT 1 FROM population_age a WHERE a.year=?1 AND NOT EXISTS (SELECT 1 FROM"
		 " population_by_age b WHERE b.kommunekode=a.kommunekode AND b.year=a.year)"
		 " LIMIT 1",
		 &st, err))
		return IB_EDB;
	sqlite3_bind_int(st, 1, year);
	int rc = sqlite3_step(st);
	*missing = rc == SQLITE_ROW;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ib_store_dberr(s, err, "cannot read population by age");
	return IB_OK;
}

int ib_store_put_spending(ib_store *s, int kommunekode, int year, const char *function_code,
			  const char *function_name, double kr_per_inhabitant, const char *source,
			  ib_error *err)
{
	if (known_municipality(s, kommunekode, err))
		return err ? err->rc : IB_ENOTFOUND;
	int state = stored_state(s,
				 "SELECT kr_per_inhabitant = ?4 FROM spending WHERE kommunekode=?1"
				 " AND year=?2 AND function_code=?3",
				 kommunekode, year, function_code, kr_per_inhabitant, 0, err);
	if (state < 0)
		return IB_EDB;
	if (!needs_write(s, state))
		return IB_OK;
	sqlite3_stmt *st;
	if (prep(s,
		 "INSERT OR REPLACE INTO spending(kommunekode,year,function_code,function_name,"
		 "kr_per_inhabitant,source,fetch_id) VALUES(?1,?2,?3,?4,?5,?6,?7)",
		 &st, err))
		return IB_EDB;
	sqlite3_bind_int(st, 1, kommunekode);
	sqlite3_bind_int(st, 2, year);
	bind_text(st, 3, function_code);
	bind_text(st, 4, function_name);
	sqlite3_bind_double(st, 5, kr_per_inhabitant);
	bind_text(st, 6, source);
	if (s->fetch_id)
		sqlite3_bind_int64(st, 7, s->fetch_id);
	return step_done(s, st, err, "cannot store spending");
}

int ib_store_put_fetch(ib_store *s, const ib_fetch_record *r, int64_t *id, ib_error *err)
{
	sqlite3_stmt *st;
	if (prep(s,
		 "INSERT INTO fetch_log(url,fetched_at,http_status,etag,last_modified,sha256,bytes,"
		 "source,method,request_sha256,table_updated)"
		 " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
		 &st, err))
		return IB_EDB;
	bind_text(st, 1, r->url);
	bind_text(st, 2, r->fetched_at);
	sqlite3_bind_int(st, 3, r->http_status);
	bind_text(st, 4, r->etag);
	bind_text(st, 5, r->last_modified);
	bind_text(st, 6, r->sha256);
	sqlite3_bind_int64(st, 7, r->bytes);
	bind_text(st, 8, r->source);
	bind_text(st, 9, r->method);
	bind_text(st, 10, r->request_sha256);
	bind_text(st, 11, r->table_updated);
	int rc = step_done(s, st, err, "cannot record the fetch");
	if (!rc)
		*id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

/* The latest fetch_log row of a body with this sha256 from this URL and request
 * (request_sha256 NULL: a GET) into *id, 0 when there is none. */
static int fetch_log_last(ib_store *s, const char *url, const char *request_sha256,
			  const char *sha256, int64_t *id, ib_error *err)
{
	sqlite3_stmt *st;
	*id = 0;
	if (prep(s,
		 "SELECT max(id) FROM fetch_log WHERE url=?1 AND sha256=?2 AND"
		 " request_sha256 IS ?3",
		 &st, err))
		return IB_EDB;
	bind_text(st, 1, url);
	bind_text(st, 2, sha256);
	bind_text(st, 3, request_sha256);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ib_store_dberr(s, err, "cannot read the fetch log");
	return IB_OK;
}

int ib_store_fetch_seen(ib_store *s, const char *url, const char *request_sha256,
			const char *sha256, int *seen, ib_error *err)
{
	int64_t id = 0;
	int rc = fetch_log_last(s, url, request_sha256, sha256, &id, err);
	*seen = !rc && id > 0;
	return rc;
}

int ib_store_fetch_id(ib_store *s, const char *url, const char *sha256, int64_t *id,
		      ib_error *err)
{
	return fetch_log_last(s, url, NULL, sha256, id, err);
}

static int put_children(ib_store *s, const ib_proposal *p, ib_error *err)
{
	sqlite3_stmt *st;
	for (size_t i = 0; i < p->n_years; i++) {
		const ib_proposal_year *y = &p->years[i];
		if (stmt(s, IB_STMT_YEAR, &st, err))
			return IB_EDB;
		sqlite3_bind_int64(st, 1, p->id);
		sqlite3_bind_int(st, 2, y->year);
		bind_num(st, 3, y->net);
		bind_num(st, 4, y->investment);
		bind_num(st, 5, y->expenses);
		bind_num(st, 6, y->income);
		bind_num(st, 7, y->fte);
		bind_int0(st, 8, y->page);
		bind_int0(st, 9, y->line);
		if (stmt_done(s, st, err, "cannot store proposal year"))
			return IB_EDB;
	}
	for (size_t i = 0; i < p->n_flags; i++) {
		if (stmt(s, IB_STMT_FLAG, &st, err))
			return IB_EDB;
		sqlite3_bind_int64(st, 1, p->id);
		sqlite3_bind_int(st, 2, (int)i + 1);
		bind_text(st, 3, p->flags[i].code);
		bind_text(st, 4, p->flags[i].message);
		if (stmt_done(s, st, err, "cannot store proposal flag"))
			return IB_EDB;
	}
	for (size_t i = 0; i < p->n_appearances; i++) {
		const ib_appearance *a = &p->appearances[i];
		if (stmt(s, IB_STMT_APPEARANCE, &st, err))
			return IB_EDB;
		sqlite3_bind_int64(st, 1, p->id);
		sqlite3_bind_int(st, 2, (int)i + 1);
		bind_text(st, 3, a->committee);
		bind_text(st, 4, a->date);
		bind_text(st, 5, a->item);
		bind_text(st, 6, a->decision);
		bind_text(st, 7, a->url);
		if (stmt_done(s, st, err, "cannot store appearance"))
			return IB_EDB;
	}
	if (p->followup) {
		const ib_followup *f = p->followup;
		if (stmt(s, IB_STMT_FOLLOWUP, &st, err))
			return IB_EDB;
		sqlite3_bind_int64(st, 1, p->id);
		bind_text(st, 2, f->adoption);
		bind_num(st, 3, f->total_investment_kr);
		bind_num(st, 4, f->effect_full_kr);
		bind_text(st, 5, f->full_implementation);
		if (f->compensating < 0)
			sqlite3_bind_null(st, 6);
		else
			sqlite3_bind_int(st, 6, f->compensating);
		bind_text(st, 7, f->status);
		bind_text(st, 8, f->remark);
		bind_text(st, 9, f->source);
		bind_int0(st, 10, f->page);
		if (stmt_done(s, st, err, "cannot store follow-up"))
			return IB_EDB;
	}
	return IB_OK;
}

static int delete_children(ib_store *s, int64_t id, ib_error *err)
{
	static const enum ib_store_stmt del[] = {IB_STMT_YEAR_DELETE, IB_STMT_FLAG_DELETE,
						 IB_STMT_FOLLOWUP_DELETE, IB_STMT_APPEARANCE_DELETE};
	for (size_t i = 0; i < sizeof del / sizeof del[0]; i++) {
		sqlite3_stmt *st;
		if (stmt(s, del[i], &st, err))
			return IB_EDB;
		sqlite3_bind_int64(st, 1, id);
		if (stmt_done(s, st, err, "cannot replace proposal"))
			return IB_EDB;
	}
	return IB_OK;
}

/* Fold the pending search facts into their blocks every this many new proposals:
 * an import of a large feed keeps the pending table small, and each block is written
 * about once. */
#define FOLD_EVERY 4096

static int fold_facts(ib_store *s, ib_error *err)
{
	s->n_pending = 0;
	if (ib_facts_fold(s->db) != SQLITE_OK)
		return ib_store_dberr(s, err, "cannot store the search facts");
	return IB_OK;
}

/* Note the search facts of the new proposal p (stored as p->id) as pending. */
static int note_facts(ib_store *s, const ib_proposal *p, ib_error *err)
{
	sqlite3_stmt *st;
	if (stmt(s, IB_STMT_FACT_PENDING, &st, err))
		return IB_EDB;
	sqlite3_bind_int64(st, 1, p->id);
	sqlite3_bind_int(st, 2, p->kommunekode);
	sqlite3_bind_int(st, 3, p->budget_year);
	bind_static(st, 4, p->area);
	bind_static(st, 5, p->kind ? p->kind : "andet");
	if (p->adopted != IB_ADOPTED_UNKNOWN)
		sqlite3_bind_int(st, 6, p->adopted);
	bind_num(st, 7, p->effect_kr);
	if (stmt_done(s, st, err, "cannot store the search facts"))
		return IB_EDB;
	return ++s->n_pending >= FOLD_EVERY ? fold_facts(s, err) : IB_OK;
}

/* The id and content hash of the stored proposal with p's identity into *id (0 when
 * none) and *same (its hash is hex). */
static int find_proposal(ib_store *s, const ib_proposal *p, const char *ident,
			 const char *hex, int64_t *id, int *same, ib_error *err)
{
	sqlite3_stmt *st;
	*id = 0;
	*same = 0;
	if (stmt(s, IB_STMT_PROPOSAL_FIND, &st, err))
		return IB_EDB;
	sqlite3_bind_int(st, 1, p->kommunekode);
	bind_text(st, 2, ident);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		*same = strcmp((const char *)sqlite3_column_text(st, 1), hex) == 0;
	}
	sqlite3_reset(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return ib_store_dberr(s, err, "cannot look up proposal");
	return IB_OK;
}

/* Bind p's columns to a kept INSERT or UPDATE of a proposal (old_id: the row updated). */
static void bind_proposal(ib_store *s, sqlite3_stmt *st, const ib_proposal *p,
			  const char *hex, const char *ident, int64_t old_id)
{
	sqlite3_bind_int(st, 1, p->kommunekode);
	sqlite3_bind_int(st, 2, p->budget_year);
	bind_static(st, 3, p->ref);
	bind_static(st, 4, p->title);
	bind_static(st, 5, p->summary);
	bind_static(st, 6, p->text);
	bind_static(st, 7, p->area);
	bind_static(st, 8, p->committee);
	bind_static(st, 9, p->kind ? p->kind : "andet");
	if (p->adopted == IB_ADOPTED_UNKNOWN)
		sqlite3_bind_null(st, 10);
	else
		sqlite3_bind_int(st, 10, p->adopted);
	bind_int0(st, 11, p->full_year);
	bind_num(st, 12, p->effect_kr);
	bind_num(st, 13, p->impl_cost_kr);
	bind_static(st, 14, p->source);
	bind_int0(st, 15, p->page);
	bind_static(st, 16, hex);
	if (old_id)
		sqlite3_bind_int64(st, 17, old_id);
	bind_static(st, 18, p->case_key);
	bind_static(st, 19, p->variant);
	bind_static(st, 20, ident);
	if (s->fetch_id)
		sqlite3_bind_int64(st, 21, s->fetch_id);
}

/* After this many new proposals in a row a put inserts first and looks the identity up
 * only when the insert finds it taken: an import of new proposals searches the identity
 * index once per proposal, not twice. */
#define INSERT_FIRST_AFTER 16

int ib_store_put_proposal(ib_store *s, ib_proposal *p, int *result, ib_error *err)
{
	int rc = known_municipality(s, p->kommunekode, err);
	if (rc)
		return rc;
	if (s->fetch_source && ib_strset(&p->source, s->fetch_source))
		return ib_error_set(err, IB_ENOMEM, NULL);
	/* the content hash covers the canonical record without id and hash (in a buffer
	   the store keeps: an import writes one record per proposal) */
	if (!s->record.cap)
		ib_buf_init(&s->record, 0);
	ib_buf_reset(&s->record);
	rc = ib_feed_write_jsonl(&s->record, p, 0);
	if (rc)
		return ib_error_set(err, rc, "cannot serialise proposal '%s'", p->title);
	char hex[65];
	ib_sha256_hex(s->record.z, s->record.n, hex);
	if (ib_strset(&p->content_hash, hex))
		return ib_error_set(err, IB_ENOMEM, NULL);

	char ident[2048];
	ib_proposal_identity(p, ident, sizeof ident);
	int64_t old_id = 0;
	int same = 0, inserted = 0;
	sqlite3_stmt *st;
	/* the insert does nothing when the identity is taken: then it is looked up */
	for (int find = s->new_in_a_row < INSERT_FIRST_AFTER; !inserted && !old_id; find = 1) {
		if (find && find_proposal(s, p, ident, hex, &old_id, &same, err))
			return IB_EDB;
		if (old_id)
			break;
		if (stmt(s, IB_STMT_PROPOSAL_INSERT, &st, err))
			return IB_EDB;
		bind_proposal(s, st, p, hex, ident, 0);
		if (stmt_done(s, st, err, "cannot store proposal"))
			return IB_EDB;
		inserted = sqlite3_changes(s->db) > 0;
		if (!inserted && find)
			return ib_error_set(err, IB_EDB, "cannot store proposal '%s': its identity"
							 " is taken and not found",
					    p->title);
	}
	if (old_id && same) {
		s->new_in_a_row = 0;
		p->id = old_id;
		if (result)
			*result = IB_PUT_UNCHANGED;
		return IB_OK;
	}
	if (old_id) {
		if (delete_children(s, old_id, err) ||
		    stmt(s, IB_STMT_PROPOSAL_UPDATE, &st, err))
			return IB_EDB;
		bind_proposal(s, st, p, hex, ident, old_id);
		if (stmt_done(s, st, err, "cannot store proposal"))
			return IB_EDB;
	}
	s->new_in_a_row = old_id ? 0 : s->new_in_a_row + 1;
	p->id = old_id ? old_id : sqlite3_last_insert_rowid(s->db);
	if (!old_id) {
		/* a new row is indexed here (an updated one by the proposal_au trigger) */
		if (stmt(s, IB_STMT_PROPOSAL_FTS, &st, err))
			return IB_EDB;
		sqlite3_bind_int64(st, 1, p->id);
		bind_static(st, 2, p->title);
		bind_static(st, 3, p->summary);
		bind_static(st, 4, p->text);
		if (stmt_done(s, st, err, "cannot index proposal"))
			return IB_EDB;
		if (note_facts(s, p, err))
			return IB_EDB;
	}
	if (result)
		*result = old_id ? IB_PUT_UPDATED : IB_PUT_NEW;
	return put_children(s, p, err);
}

int ib_store_put_agenda_meeting(ib_store *s, int kommunekode, const char *meeting_id,
				const char *committee, const char *date, const char *starts,
				const char *url, const char *sha256, ib_error *err)
{
	sqlite3_stmt *st;
	if (prep(s, "DELETE FROM agenda_item WHERE kommunekode=?1 AND meeting_id=?2", &st, err))
		return IB_EDB;
	sqlite3_bind_int(st, 1, kommunekode);
	bind_text(st, 2, meeting_id);
	if (step_done(s, st, err, "cannot replace agenda items"))
		return IB_EDB;
	if (prep(s,
		 "INSERT OR REPLACE INTO agenda_meeting(kommunekode,meeting_id,committee,date,url,"
		 "sha256,fetch_id,starts) VALUES(?1,?2,?3,?4,?5,?6,?7,?8)",
		 &st, err))
		return IB_EDB;
	sqlite3_bind_int(st, 1, kommunekode);
	bind_text(st, 2, meeting_id);
	bind_text(st, 3, committee);
	bind_text(st, 4, date);
	bind_text(st, 5, url);
	bind_text(st, 6, sha256);
	if (s->fetch_id)
		sqlite3_bind_int64(st, 7, s->fetch_id);
	bind_text(st, 8, starts);
	return step_done(s, st, err, "cannot store agenda meeting");
}

int ib_store_put_agenda_item(ib_store *s, const ib_agenda_item_rec *r, ib_error *err)
{
	sqlite3_stmt *st;
	if (stmt(s, IB_STMT_AGENDA_ITEM, &st, err))
		return IB_EDB;
	sqlite3_bind_int(st, 1, r->kommunekode);
	bind_text(st, 2, r->meeting_id);
	bind_text(st, 3, r->item);
	sqlite3_bind_int(st, 4, r->seq);
	bind_text(st, 5, r->case_number);
	bind_text(st, 6, r->case_key);
	bind_text(st, 7, r->title);
	bind_text(st, 8, r->url);
	if (r->html)
		sqlite3_bind_blob64(st, 9, r->html, r->html_len, SQLITE_STATIC);
	return stmt_done(s, st, err, "cannot store agenda item");
}

int ib_store_set_agenda_outcome(ib_store *s, int kommunekode, const char *meeting_id,
				const char *item, const char *outcome, const char *reason,
				int64_t proposal_id, ib_error *err)
{
	sqlite3_stmt *st;
	if (stmt(s, IB_STMT_AGENDA_OUTCOME, &st, err))
		return IB_EDB;
	sqlite3_bind_int(st, 1, kommunekode);
	bind_text(st, 2, meeting_id);
	bind_text(st, 3, item);
	bind_text(st, 4, outcome);
	bind_text(st, 5, reason);
	if (proposal_id)
		sqlite3_bind_int64(st, 6, proposal_id);
	return stmt_done(s, st, err, "cannot store agenda item outcome");
}

int ib_store_agenda_meeting_cases(ib_store *s, int kommunekode, const char *meeting_id,
				  int (*fn)(void *ctx, const char *case_key), void *ctx,
				  ib_error *err)
{
	sqlite3_stmt *st;
	if (prep(s,
		 "SELECT DISTINCT case_key FROM agenda_item WHERE kommunekode=?1 AND meeting_id=?2",
		 &st, err))
		return IB_EDB;
	sqlite3_bind_int(st, 1, kommunekode);
	bind_text(st, 2, meeting_id);
	int rc, out = IB_OK;
	while (!out && (rc = sqlite3_step(st)) == SQLITE_ROW)
		out = fn(ctx, (const char *)sqlite3_column_text(st, 0));
	if (!out && rc != SQLITE_DONE)
		out = ib_store_dberr(s, err, "cannot read agenda items");
	sqlite3_finalize(st);
	return out;
}

int ib_store_agenda_meeting_stored(ib_store *s, int kommunekode, const char *url,
				   const char *sha256, int *stored, ib_error *err)
{
	sqlite3_stmt *st;
	*stored = 0;
	if (prep(s,
		 "SELECT 1 FROM agenda_meeting WHERE kommunekode=?1 AND url=?2 AND sha256=?3",
		 &st, err))
		return IB_EDB;
	sqlite3_bind_int(st, 1, kommunekode);
	bind_text(st, 2, url);
	bind_text(st, 3, sha256);
	int rc = sqlite3_step(st);
	*stored = rc == SQLITE_ROW;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ib_store_dberr(s, err, "cannot read agenda meetings");
	return IB_OK;
}

int ib_store_agenda_case_waiting(ib_store *s, int kommunekode, const char *case_key,
				 long *waiting, ib_error *err)
{
	sqlite3_stmt *st;
	*waiting = 0;
	if (prep(s,
		 "SELECT count(*) FROM agenda_legacy l WHERE l.kommunekode=?1 AND l.case_key=?2"
		 " AND NOT EXISTS (SELECT 1 FROM agenda_meeting m WHERE m.kommunekode=l.kommunekode"
		 " AND m.meeting_id=l.meeting_id)",
		 &st, err))
		return IB_EDB;
	sqlite3_bind_int(st, 1, kommunekode);
	bind_text(st, 2, case_key);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*waiting = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return ib_store_dberr(s, err, "cannot read agenda cases");
	if (*waiting)
		return IB_OK;
	if (prep(s, "DELETE FROM agenda_legacy WHERE kommunekode=?1 AND case_key=?2", &st, err))
		return IB_EDB;
	sqlite3_bind_int(st, 1, kommunekode);
	bind_text(st, 2, case_key);
	return step_done(s, st, err, "cannot update agenda cases");
}

int ib_store_agenda_meeting_owner(ib_store *s, const char *meeting_id, int *owner,
				  ib_error *err)
{
	sqlite3_stmt *st;
	*owner = 0;
	if (prep(s, "SELECT kommunekode FROM agenda_meeting WHERE meeting_id=?1 LIMIT 1", &st,
		 err))
		return IB_EDB;
	bind_text(st, 1, meeting_id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*owner = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ib_store_dberr(s, err, "cannot read agenda meetings");
	return IB_OK;
}

/* One row of a case's items, read before its case text. */
typedef struct case_row {
	int64_t id, fetch_id;
	char *z[8]; /* meeting_id, item, case_number, title, url, committee, date, starts */
	int seq;
} case_row;

int ib_store_agenda_case(ib_store *s, int kommunekode, const char *case_key,
			 int (*fn)(void *ctx, const ib_agenda_stored_item *it), void *ctx,
			 ib_error *err)
{
	sqlite3_stmt *st, *text = NULL;
	/* the rows first, the case texts after: sorting rows that carry their text would
	   copy every text through the sorter */
	if (prep(s,
		 "SELECT i.id, i.meeting_id, i.item, i.case_number, i.title, i.url, m.committee,"
		 " m.date, m.starts, i.seq, m.fetch_id FROM agenda_item i JOIN agenda_meeting m"
		 " USING(kommunekode, meeting_id) WHERE i.kommunekode=?1 AND i.case_key=?2"
		 " ORDER BY m.starts, i.meeting_id, i.seq",
		 &st, err))
		return IB_EDB;
	sqlite3_bind_int(st, 1, kommunekode);
	bind_text(st, 2, case_key);
	case_row *rows = NULL;
	size_t n = 0, alloc = 0;
	int rc, out = IB_OK;
	while (!out && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == alloc) {
			size_t a = alloc ? alloc * 2 : 8;
			case_row *v = realloc(rows, a * sizeof *v);
			if (!v) {
				out = ib_error_set(err, IB_ENOMEM, NULL);
				break;
			}
			rows = v;
			alloc = a;
		}
		case_row *r = &rows[n++];
		memset(r, 0, sizeof *r);
		r->id = sqlite3_column_int64(st, 0);
		for (int i = 0; i < 8 && !out; i++)
			if (sqlite3_column_type(st, i + 1) != SQLITE_NULL &&
			    !(r->z[i] = col_dup(st, i + 1)))
				out = ib_error_set(err, IB_ENOMEM, NULL);
		r->seq = sqlite3_column_int(st, 9);
		r->fetch_id = sqlite3_column_int64(st, 10);
	}
	if (!out && rc != SQLITE_DONE)
		out = ib_store_dberr(s, err, "cannot read agenda case");
	sqlite3_finalize(st);
	if (!out && stmt(s, IB_STMT_AGENDA_TEXT, &text, err))
		out = IB_EDB;
	for (size_t i = 0; i < n && !out; i++) {
		sqlite3_bind_int64(text, 1, rows[i].id);
		if (sqlite3_step(text) != SQLITE_ROW) {
			out = ib_store_dberr(s, err, "cannot read agenda case text");
			sqlite3_reset(text);
			break;
		}
		const case_row *r = &rows[i];
		ib_agenda_stored_item it = {r->z[0],
					    r->z[1],
					    r->z[2],
					    r->z[3],
					    r->z[4],
					    r->seq,
					    r->z[5],
					    r->z[6],
					    r->z[7],
					    sqlite3_column_blob(text, 0),
					    (size_t)sqlite3_column_bytes(text, 0),
					    r->fetch_id};
		out = fn(ctx, &it);
		sqlite3_reset(text);
	}
	for (size_t i = 0; i < n; i++)
		for (int k = 0; k < 8; k++)
			free(rows[i].z[k]);
	free(rows);
	return out;
}

int ib_store_prune_case(ib_store *s, int kommunekode, const char *case_key,
			const int64_t *keep, size_t n_keep, long *n_deleted, ib_error *err)
{
	sqlite3_stmt *st, *del;
	*n_deleted = 0;
	if (prep(s, "SELECT id FROM proposal WHERE kommunekode=?1 AND case_key=?2", &st, err))
		return IB_EDB;
	if (prep(s, "DELETE FROM proposal WHERE id=?1", &del, err)) {
		sqlite3_finalize(st);
		return IB_EDB;
	}
	sqlite3_bind_int(st, 1, kommunekode);
	bind_text(st, 2, case_key);
	int rc, out = IB_OK;
	while (!out && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		int kept = 0;
		for (size_t i = 0; i < n_keep && !kept; i++)
			kept = keep[i] == id;
		if (kept)
			continue;
		sqlite3_bind_int64(del, 1, id);
		if (sqlite3_step(del) != SQLITE_DONE)
			out = ib_store_dberr(s, err, "cannot delete proposal");
		sqlite3_reset(del);
		if (!out)
			(*n_deleted)++;
	}
	if (!out && rc != SQLITE_DONE)
		out = ib_store_dberr(s, err, "cannot read agenda case");
	sqlite3_finalize(st);
	sqlite3_finalize(del);
	return out;
}

int ib_store_find_proposal(ib_store *s, int kommunekode, const char *title, int64_t *id,
			   ib_error *err)
{
	sqlite3_stmt *st;
	if (prep(s,
		 "SELECT id FROM proposal WHERE kommunekode=?1 AND title=?2 COLLATE NOCASE"
		 " ORDER BY budget_year DESC, id LIMIT 1",
		 &st, err))
		return IB_EDB;
	sqlite3_bind_int(st, 1, kommunekode);
	bind_text(st, 2, title);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		return IB_OK;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ib_store_dberr(s, err, "cannot look up proposal");
	return ib_error_set(err, IB_ENOTFOUND, "no proposal titled '%s'", title);
}

int ib_store_get_proposal(ib_store *s, int64_t id, ib_proposal **out, ib_error *err)
{
	*out = NULL;
	sqlite3_stmt *st;
	if (prep(s,
		 "SELECT kommunekode,budget_year,ref,title,summary,text,area,committee,kind,"
		 "adopted,full_year,effect_kr,impl_cost_kr,source,source_page,content_hash,"
		 "case_key,variant FROM proposal WHERE id=?1",
		 &st, err))
		return IB_EDB;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return ib_error_set(err, IB_ENOTFOUND, "no proposal with id %lld", (long long)id);
	}
	ib_proposal *p = ib_proposal_new();
	if (!p) {
		sqlite3_finalize(st);
		return ib_error_set(err, IB_ENOMEM, NULL);
	}
	p->id = id;
	p->kommunekode = sqlite3_column_int(st, 0);
	p->budget_year = sqlite3_column_int(st, 1);
	p->ref = col_dup(st, 2);
	p->title = col_dup(st, 3);
	p->summary = col_dup(st, 4);
	p->text = col_dup(st, 5);
	p->area = ib_area_canonical((const char *)sqlite3_column_text(st, 6));
	p->committee = col_dup(st, 7);
	p->kind = ib_kind_canonical((const char *)sqlite3_column_text(st, 8));
	p->adopted = sqlite3_column_type(st, 9) == SQLITE_NULL ? IB_ADOPTED_UNKNOWN
							       : sqlite3_column_int(st, 9);
	p->full_year = sqlite3_column_int(st, 10);
	p->effect_kr = col_num(st, 11);
	p->impl_cost_kr = col_num(st, 12);
	p->source = col_dup(st, 13);
	p->page = sqlite3_column_int(st, 14);
	p->content_hash = col_dup(st, 15);
	p->case_key = col_dup(st, 16);
	p->variant = col_dup(st, 17);
	sqlite3_finalize(st);

	int rc = IB_OK;
	if (prep(s,
		 "SELECT year,net,investment,expenses,income,fte,source_page,source_line"
		 " FROM proposal_year WHERE proposal_id=?1 ORDER BY year",
		 &st, err)) {
		ib_proposal_free(p);
		return IB_EDB;
	}
	sqlite3_bind_int64(st, 1, id);
	while (!rc && sqlite3_step(st) == SQLITE_ROW) {
		ib_proposal_year y = {sqlite3_column_int(st, 0),
				      col_num(st, 1),
				      col_num(st, 2),
				      col_num(st, 3),
				      col_num(st, 4),
				      col_num(st, 5),
				      sqlite3_column_int(st, 6),
				      sqlite3_column_int(st, 7)};
		rc = ib_proposal_add_year(p, &y);
	}
	sqlite3_finalize(st);
	if (!rc &&
	    prep(s, "SELECT code,message FROM proposal_flag WHERE proposal_id=?1 ORDER BY seq", &st,
		 err) == IB_OK) {
		sqlite3_bind_int64(st, 1, id);
		while (!rc && sqlite3_step(st) == SQLITE_ROW)
			rc = ib_proposal_add_flag(p, (const char *)sqlite3_column_text(st, 0), "%s",
						  (const char *)sqlite3_column_text(st, 1));
		sqlite3_finalize(st);
	}
	if (!rc && prep(s,
			"SELECT adoption,total_investment_kr,effect_full_kr,full_implementation,"
			"compensating,status,remark,source,source_page FROM followup"
			" WHERE proposal_id=?1",
			&st, err) == IB_OK) {
		sqlite3_bind_int64(st, 1, id);
		if (sqlite3_step(st) == SQLITE_ROW) {
			ib_followup *f = calloc(1, sizeof *f);
			if (!f) {
				rc = IB_ENOMEM;
			} else {
				f->adoption = col_dup(st, 0);
				f->total_investment_kr = col_num(st, 1);
				f->effect_full_kr = col_num(st, 2);
				f->full_implementation = col_dup(st, 3);
				f->compensating = sqlite3_column_type(st, 4) == SQLITE_NULL
						      ? -1
						      : sqlite3_column_int(st, 4);
				f->status = col_dup(st, 5);
				f->remark = col_dup(st, 6);
				f->source = col_dup(st, 7);
				f->page = sqlite3_column_int(st, 8);
				p->followup = f;
			}
		}
		sqlite3_finalize(st);
	}
	if (!rc && prep(s,
			"SELECT committee,date,item,decision,url FROM appearance"
			" WHERE proposal_id=?1 ORDER BY seq",
			&st, err) == IB_OK) {
		sqlite3_bind_int64(st, 1, id);
		while (!rc && sqlite3_step(st) == SQLITE_ROW) {
			ib_appearance a = {
			    (char *)sqlite3_column_text(st, 0), (char *)sqlite3_column_text(st, 1),
			    (char *)sqlite3_column_text(st, 2), (char *)sqlite3_column_text(st, 3),
			    (char *)sqlite3_column_text(st, 4)};
			rc = ib_proposal_add_appearance(p, &a);
		}
		sqlite3_finalize(st);
	}
	if (rc) {
		ib_proposal_free(p);
		return ib_error_set(err, rc, NULL);
	}
	*out = p;
	return IB_OK;
}

/* Fold a municipality name for matching: ib_fold_ascii(), a trailing " kommune"
 * dropped, then ib_fold_key(). */
static void fold_name(const char *z, char *out, size_t n)
{
	ib_fold_ascii(z, out, n);
	size_t len = strlen(out);
	if (len > 8 && strcmp(out + len - 8, " kommune") == 0)
		out[len - 8] = '\0';
	ib_fold_key(out, out, n); /* typed in ASCII: "Kobenhavn", "Hoeje Taastrup" */
}

static void row_to_municipality(sqlite3_stmt *st, ib_municipality *m)
{
	m->code = sqlite3_column_int(st, 0);
	snprintf(m->name, sizeof m->name, "%s", (const char *)sqlite3_column_text(st, 1));
	snprintf(m->region, sizeof m->region, "%s", (const char *)sqlite3_column_text(st, 2));
	m->group_code = sqlite3_column_int(st, 3);
	snprintf(m->group_name, sizeof m->group_name, "%s",
		 (const char *)sqlite3_column_text(st, 4));
}

int ib_store_find_municipality(ib_store *s, const char *q, ib_municipality *out, ib_error *err)
{
	sqlite3_stmt *st;
	if (prep(s,
		 "SELECT kommunekode,name,region,group_code,group_name FROM municipality"
		 " ORDER BY kommunekode",
		 &st, err))
		return IB_EDB;
	char want[128], have[128];
	fold_name(q, want, sizeof want);
	int is_code = want[0] != '\0';
	for (const char *c = want; *c; c++)
		if (!isdigit((unsigned char)*c))
			is_code = 0;
	int code = is_code ? atoi(want) : -1;
	int best = 99, found = 0;
	char sugg[3][64] = {{0}};
	int sugg_d[3] = {99, 99, 99};
	while (sqlite3_step(st) == SQLITE_ROW) {
		fold_name((const char *)sqlite3_column_text(st, 1), have, sizeof have);
		if ((is_code && sqlite3_column_int(st, 0) == code) ||
		    (!is_code && strcmp(want, have) == 0)) {
			row_to_municipality(st, out);
			found = 1;
			break;
		}
		int d = ib_edit_distance(want, have);
		if (d < best)
			best = d;
		for (int k = 0; k < 3; k++)
			if (d < sugg_d[k]) {
				for (int m = 2; m > k; m--) {
					sugg_d[m] = sugg_d[m - 1];
					memcpy(sugg[m], sugg[m - 1], sizeof sugg[m]);
				}
				sugg_d[k] = d;
				snprintf(sugg[k], sizeof sugg[k], "%s",
					 (const char *)sqlite3_column_text(st, 1));
				break;
			}
	}
	sqlite3_finalize(st);
	if (found)
		return IB_OK;
	if (!sugg[0][0])
		return ib_error_set(
		    err, IB_ENOTFOUND,
		    "unknown municipality '%s' (the registry is empty: import it first)", q);
	if (is_code)
		return ib_error_set(err, IB_ENOTFOUND, "unknown municipality code '%s'", q);
	return ib_error_set(err, IB_ENOTFOUND,
			    "unknown municipality '%s'; did you mean %s, %s or %s?", q, sugg[0],
			    sugg[1], sugg[2]);
}

int ib_store_municipalities(ib_store *s, ib_municipality **out, size_t *n, ib_error *err)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st;
	if (prep(s,
		 "SELECT kommunekode,name,region,group_code,group_name FROM municipality"
		 " ORDER BY kommunekode",
		 &st, err))
		return IB_EDB;
	ib_municipality *v = NULL;
	size_t alloc = 0;
	int rc = IB_OK, step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == alloc) {
			ib_municipality *w = realloc(v, (alloc = alloc ? alloc * 2 : 128) * sizeof *w);
			if (!w) {
				rc = ib_error_set(err, IB_ENOMEM, NULL);
				break;
			}
			v = w;
		}
		row_to_municipality(st, &v[(*n)++]);
	}
	if (!rc && step != SQLITE_DONE)
		rc = ib_store_dberr(s, err, "cannot list municipalities");
	sqlite3_finalize(st);
	if (rc) {
		free(v);
		*n = 0;
		return rc;
	}
	*out = v;
	return IB_OK;
}

int ib_store_population(ib_store *s, int kommunekode, int year, long *inhabitants, int *year_used,
			char **source, ib_error *err)
{
	sqlite3_stmt *st;
	if (prep(s,
		 "SELECT inhabitants, year, source FROM population WHERE kommunekode=?1"
		 " ORDER BY (year > ?2), abs(year - ?2) LIMIT 1",
		 &st, err))
		return IB_EDB;
	sqlite3_bind_int(st, 1, kommunekode);
	sqlite3_bind_int(st, 2, year);
	int rc = IB_OK;
	if (sqlite3_step(st) == SQLITE_ROW) {
		*inhabitants = (long)sqlite3_column_int64(st, 0);
		if (year_used)
			*year_used = sqlite3_column_int(st, 1);
		if (source && !(*source = col_dup(st, 2)))
			rc = ib_error_set(err, IB_ENOMEM, NULL);
	} else {
		rc = ib_error_set(err, IB_ENOTFOUND, "no population figure for kommunekode %03d",
				  kommunekode);
	}
	sqlite3_finalize(st);
	return rc;
}

static int count_query(ib_store *s, const char *sql, long *n, ib_error *err)
{
	sqlite3_stmt *st;
	if (prep(s, sql, &st, err))
		return IB_EDB;
	*n = sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return IB_OK;
}

static int group_query(ib_store *s, const char *sql, ib_count **out, size_t *n, ib_error *err)
{
	sqlite3_stmt *st;
	if (prep(s, sql, &st, err))
		return IB_EDB;
	size_t alloc = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (*n == alloc) {
			alloc = alloc ? alloc * 2 : 16;
			ib_count *v = realloc(*out, alloc * sizeof *v);
			if (!v) {
				sqlite3_finalize(st);
				return ib_error_set(err, IB_ENOMEM, NULL);
			}
			*out = v;
		}
		const unsigned char *z = sqlite3_column_text(st, 0);
		(*out)[*n].label = strdup(z ? (const char *)z : "(ingen)");
		(*out)[*n].n = (long)sqlite3_column_int64(st, 1);
		(*n)++;
	}
	sqlite3_finalize(st);
	return IB_OK;
}

/* A count's label and number, sorted by tally_cmp: most first, then by label (none
 * first, as SQL orders NULL). */
typedef struct tally_row {
	const char *label; /* NULL: SQL NULL */
	long n;
} tally_row;

static int tally_cmp(const void *a, const void *b)
{
	const tally_row *x = a, *y = b;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	if (!x->label || !y->label)
		return !y->label - !x->label;
	return strcmp(x->label, y->label);
}

/* Append rows v[0..n) to *out as counts (a NULL label as "(ingen)"). */
static int tally_take(const tally_row *v, size_t n, ib_count **out, size_t *n_out)
{
	*out = n ? calloc(n, sizeof **out) : NULL;
	if (n && !*out)
		return IB_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		(*out)[i].label = strdup(v[i].label ? v[i].label : "(ingen)");
		(*out)[i].n = v[i].n;
		*n_out = i + 1;
		if (!(*out)[i].label)
			return IB_ENOMEM;
	}
	return IB_OK;
}

/* The proposal counts of st from the search facts (ib_search_tally): no row of the
 * proposal table is read.  *done = 0 when the facts do not fit their codes. */
static int stats_from_facts(ib_store *s, ib_stats *st, int *done, ib_error *err)
{
	ib_fact_tally t;
	memset(&t, 0, sizeof t);
	*done = 0;
	tally_row *v = malloc(65536 * sizeof *v);
	t.by_code = calloc(65536, sizeof *t.by_code);
	t.by_year = calloc(65536, sizeof *t.by_year);
	int rc = v && t.by_code && t.by_year ? ib_search_tally(s, &t, err)
					     : ib_error_set(err, IB_ENOMEM, NULL);
	ib_municipality *m = NULL;
	size_t n_m = 0;
	if (!rc && !t.unfit) {
		*done = 1;
		st->n_proposals = t.total;
		size_t n = 0;
		rc = ib_store_municipalities(s, &m, &n_m, err);
		for (size_t i = 0; i < n_m && !rc; i++) {
			int code = m[i].code;
			if (code < 0 || code > 65535 || !t.by_code[code])
				continue;
			v[n].label = m[i].name;
			v[n++].n = t.by_code[code];
		}
		if (!rc) {
			qsort(v, n, sizeof *v, tally_cmp);
			rc = tally_take(v, n, &st->by_municipality, &st->n_by_municipality);
		}
		n = 0;
		for (int y = 0; y < 65536 && !rc; y++)
			if (t.by_year[y]) {
				char z[16];
				snprintf(z, sizeof z, "%d", y);
				ib_count *c = realloc(st->by_year, (n + 1) * sizeof *c);
				if (!c || !(c[n].label = strdup(z))) {
					if (c)
						st->by_year = c;
					rc = IB_ENOMEM;
					break;
				}
				st->by_year = c;
				c[n].n = t.by_year[y];
				st->n_by_year = ++n;
			}
		n = 0;
		for (size_t i = 0; i < t.n_area && !rc; i++)
			if (t.by_area[i]) {
				v[n].label = t.area[i];
				v[n++].n = t.by_area[i];
			}
		if (!rc) {
			qsort(v, n, sizeof *v, tally_cmp);
			rc = tally_take(v, n, &st->by_area, &st->n_by_area);
		}
		if (rc == IB_ENOMEM)
			rc = ib_error_set(err, IB_ENOMEM, NULL);
	}
	free(m);
	free(v);
	free(t.by_code);
	free(t.by_year);
	return rc;
}

int ib_store_stats(ib_store *s, ib_stats **out, ib_error *err)
{
	ib_stats *st = calloc(1, sizeof *st);
	if (!st)
		return ib_error_set(err, IB_ENOMEM, NULL);
	int rc = count_query(s, "SELECT count(*) FROM municipality", &st->n_municipalities, err);
	if (!rc)
		rc = count_query(s, "SELECT count(*) FROM population", &st->n_population, err);
	if (!rc)
		rc = count_query(s, "SELECT count(*) FROM spending", &st->n_spending, err);
	int done = 0;
	if (!rc)
		rc = stats_from_facts(s, st, &done, err);
	/* facts that do not fit their codes: the proposal rows counted in SQL */
	if (!rc && !done)
		rc = count_query(s, "SELECT count(*) FROM proposal", &st->n_proposals, err);
	if (!rc && !done)
		rc = group_query(
		    s,
		    "SELECT m.name, count(*) FROM proposal p JOIN municipality m"
		    " USING(kommunekode) GROUP BY m.name ORDER BY count(*) DESC, m.name",
		    &st->by_municipality, &st->n_by_municipality, err);
	if (!rc && !done)
		rc = group_query(s,
				 "SELECT budget_year, count(*) FROM proposal GROUP BY budget_year"
				 " ORDER BY budget_year",
				 &st->by_year, &st->n_by_year, err);
	if (!rc && !done)
		rc = group_query(s,
				 "SELECT area, count(*) FROM proposal GROUP BY area"
				 " ORDER BY count(*) DESC, area",
				 &st->by_area, &st->n_by_area, err);
	if (rc) {
		ib_stats_free(st);
		return rc;
	}
	*out = st;
	return IB_OK;
}

static void counts_free(ib_count *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(c[i].label);
	free(c);
}

void ib_stats_free(ib_stats *st)
{
	if (!st)
		return;
	counts_free(st->by_municipality, st->n_by_municipality);
	counts_free(st->by_year, st->n_by_year);
	counts_free(st->by_area, st->n_by_area);
	free(st);
}

/* FTS5's integrity-check of the full-text index against the proposal table.  SQLite
 * takes it for an INSERT, which a read-only connection refuses: there it runs on a
 * copy of the database in memory (the backup API), so a check never writes. */
static int fts_check(ib_store *s, ib_error *err)
{
	sqlite3 *db = s->db, *mem = NULL;
	int rc = IB_OK;
	if (s->readonly) {
		sqlite3_backup *b = NULL;
		if (sqlite3_open(":memory:", &mem) != SQLITE_OK ||
		    ib_schema_register(mem, err) != IB_OK ||
		    !(b = sqlite3_backup_init(mem, "main", s->db, "main"))) {
			rc = ib_error_set(err, IB_EDB, "cannot copy the database to check it: %s",
					  sqlite3_errmsg(mem ? mem : s->db));
		} else {
			sqlite3_backup_step(b, -1);
			if (sqlite3_backup_finish(b) != SQLITE_OK)
				rc = ib_error_set(err, IB_EDB,
						  "cannot copy the database to check it: %s",
						  sqlite3_errmsg(mem));
		}
		db = mem;
	}
	/* rank 1: the index is checked against the proposal table too, not only itself */
	if (!rc &&
	    sqlite3_exec(
		db, "INSERT INTO proposal_fts(proposal_fts, rank) VALUES('integrity-check', 1)",
		NULL, NULL, NULL) != SQLITE_OK)
		rc = ib_error_set(err, IB_EDB, "full-text index integrity check failed: %s",
				  sqlite3_errmsg(db));
	sqlite3_close(mem);
	return rc;
}

int ib_store_check(ib_store *s, ib_error *err)
{
	sqlite3_stmt *st;
	if (prep(s, "PRAGMA integrity_check", &st, err))
		return IB_EDB;
	int rc = IB_OK;
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0)
		rc = ib_error_set(err, IB_EDB, "integrity check failed: %s",
				  (const char *)sqlite3_column_text(st, 0));
	else if (step != SQLITE_ROW)
		rc = ib_store_dberr(s, err, "integrity check failed");
	sqlite3_finalize(st);
	if (rc)
		return rc;
	/* a row pointing to a missing one: "a proposal_year row refers to a missing
	 * proposal" (tables without rowid have no row number to give) */
	if (prep(s, "PRAGMA foreign_key_check", &st, err))
		return IB_EDB;
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		rc = ib_error_set(err, IB_EDB,
				  "foreign key check failed: a %s row refers to a missing %s",
				  (const char *)sqlite3_column_text(st, 0),
				  (const char *)sqlite3_column_text(st, 2));
	else if (step != SQLITE_DONE)
		rc = ib_store_dberr(s, err, "foreign key check failed");
	sqlite3_finalize(st);
	if (rc)
		return rc;
	return fts_check(s, err);
}

int ib_store_proposal_ids(ib_store *s, int64_t **ids, size_t *n, ib_error *err)
{
	*ids = NULL;
	*n = 0;
	sqlite3_stmt *st;
	if (prep(s, "SELECT id FROM proposal ORDER BY id", &st, err))
		return IB_EDB;
	size_t alloc = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (*n == alloc) {
			alloc = alloc ? alloc * 2 : 64;
			int64_t *v = realloc(*ids, alloc * sizeof *v);
			if (!v) {
				sqlite3_finalize(st);
				free(*ids);
				*ids = NULL;
				*n = 0;
				return ib_error_set(err, IB_ENOMEM, NULL);
			}
			*ids = v;
		}
		(*ids)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	return IB_OK;
}
