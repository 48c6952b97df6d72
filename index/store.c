/* store.c - open the database, ingest reference data and proposals, look them up. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "facts.h"
#include "ideabank/array.h"
#include "ideabank/buf.h"
#include "ideabank/hash.h"
#include "ideabank/num.h"
#include "sql.h"
#include "store_int.h"

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

/* Put s's database in WAL mode: readers keep reading the last commit while a writer
 * writes, and a failed write leaves the database file as it was.  Switching a new,
 * empty file writes its first page: of two connections that switch at once, SQLite
 * answers one SQLITE_BUSY at once, without its busy handler (upgrading the read lock
 * the statement holds could deadlock), so that one waits and tries again, up to the
 * store's wait.  SQLITE_CANTOPEN when the file system cannot hold a WAL. */
static int use_wal(ib_store *s)
{
	for (int waited = 0;; waited += 10) {
		sqlite3_stmt *st = NULL;
		int rc = sqlite3_prepare_v2(s->db, "PRAGMA journal_mode=WAL", -1, &st, NULL);
		if (rc == SQLITE_OK) {
			rc = sqlite3_step(st);
			if (rc == SQLITE_ROW) {
				const char *mode = (const char *)sqlite3_column_text(st, 0);
				rc = mode && strcmp(mode, "wal") == 0 ? SQLITE_OK : SQLITE_CANTOPEN;
			}
		}
		sqlite3_finalize(st);
		if ((rc & 0xFF) != SQLITE_BUSY || waited >= s->wait_ms)
			return rc;
		sqlite3_sleep(10);
	}
}

/* Whether this open makes the file at path: made here with O_EXCL, so that of two
 * creators at once exactly one has made it (and may remove it when it fails); the
 * other opens the file as it finds it.  Any other error is left to the open that
 * follows (it says that the folder does not exist). */
static int made_here(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

/* Open s->path for writing: the connection, its busy timeout, pragmas, WAL journal
 * and SQL functions.  The folder must exist: a database is never made in a folder
 * that is not there. */
static int open_writer(ib_store *s, ib_error *err)
{
	int rc =
	    sqlite3_open_v2(s->path, &s->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
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
	rc = sqlite3_exec(s->db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(s->db, WRITER_PRAGMA, NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = use_wal(s);
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
		s->made_file = made_here(path);
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
	int rc =
	    uri ? sqlite3_open_v2(uri, &s->db,
				  SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
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
	if (s->attached_free)
		s->attached_free(s->attached);
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
    [IB_STMT_AGENDA_ITEM] =
	"INSERT OR REPLACE INTO agenda_item(kommunekode,meeting_id,item,seq,"
	"case_number,case_key,title,url,html) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)",
    [IB_STMT_AGENDA_OUTCOME] = "UPDATE agenda_item SET outcome=?4, reason=?5, proposal_id=?6"
			       " WHERE kommunekode=?1 AND meeting_id=?2 AND item=?3",
    [IB_STMT_AGENDA_TEXT] = "SELECT html FROM agenda_item WHERE id=?1",
    /* a new proposal's search facts (facts.h); an update's and a delete's are noted by
       the triggers proposal_au and proposal_ad */
    [IB_STMT_FACT_PENDING] = "INSERT OR REPLACE INTO fact_pending(id,kommunekode,budget_year,"
			     "area,kind,adopted,effect_kr) VALUES(?1,?2,?3,?4,?5,?6,?7)",
};

/* Open the kept statement i of q's store (prepared on first use) with fmt's values
 * bound (sql.h); closing it resets it for the next call. */
static void kept(ib_sql *q, enum ib_store_stmt i, const char *what, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ib_sql_vopen(q, what, &q->s->put[i], stmt_sql[i], fmt, ap);
	va_end(ap);
}

/* kept() stepped to its end and closed: a kept write.  Returns *q->rc. */
static int kept_run(ib_sql *q, enum ib_store_stmt i, const char *what, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ib_sql_vopen(q, what, &q->s->put[i], stmt_sql[i], fmt, ap);
	va_end(ap);
	while (ib_sql_row(q))
		;
	ib_sql_close(q);
	return *q->rc;
}

int ib_store_put_municipality(ib_store *s, const ib_municipality *m, const char *source,
			      ib_error *err)
{
	int rc = IB_OK;
	ib_sql q = IB_SQL(s, &rc, err);
	return ib_sql_run(&q, "cannot store municipality",
			  "INSERT INTO municipality(kommunekode,name,region,group_code,group_name,"
			  "source) VALUES(?1,?2,?3,?4,?5,?6) ON CONFLICT(kommunekode) DO UPDATE SET"
			  " name=excluded.name, region=excluded.region,"
			  " group_code=excluded.group_code, group_name=excluded.group_name,"
			  " source=excluded.source",
			  "ittitt", m->code, m->name, m->region, m->group_code, m->group_name,
			  source);
}

/* Fail q unless code is a stored municipality.  Remembered for codes below 1.024 while
 * the transaction lasts (no other connection writes meanwhile; a rollback forgets). */
static void known_municipality(ib_sql *q, int code)
{
	ib_store *s = q->s;
	int remember = s->in_tx > 0 && code >= 0 && code < 1024;
	if (*q->rc || (remember && (s->muni_known[code / 64] >> (code % 64) & 1)))
		return;
	kept(q, IB_STMT_MUNICIPALITY_KNOWN, "cannot read municipalities", "i", code);
	int found = ib_sql_row(q);
	ib_sql_close(q);
	if (!found)
		ib_sql_fail(q, IB_ENOTFOUND,
			    "unknown kommunekode %03d (import the municipality registry first)",
			    code);
	else if (remember)
		s->muni_known[code / 64] |= (uint64_t)1 << (code % 64);
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

/* Whether a row of reference data of municipality code is stored and how it compares:
 * sql selects one boolean, "the stored values equal the new ones", for the row fmt's
 * values key.  Returns 0 absent, 1 same, 2 different; -1 when q has failed, or fails
 * now because code is not a stored municipality. */
static int stored_state(ib_sql *q, int code, const char *sql, const char *fmt, ...)
{
	known_municipality(q, code);
	va_list ap;
	va_start(ap, fmt);
	ib_sql_vopen(q, "cannot read stored value", NULL, sql, fmt, ap);
	va_end(ap);
	int state = ib_sql_row(q) ? (sqlite3_column_int(q->st, 0) ? 1 : 2) : 0;
	ib_sql_close(q);
	return *q->rc ? -1 : state;
}

/* Count the row of the given state and say whether it needs writing (0 when q has
 * failed). */
static int needs_write(ib_sql *q, int state)
{
	ib_store *s = q->s;
	if (state < 0)
		return 0;
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
	int rc = IB_OK;
	ib_sql q = IB_SQL(s, &rc, err);
	int64_t n = inhabitants;
	if (needs_write(&q, stored_state(&q, kommunekode,
					 "SELECT inhabitants = ?3 FROM population WHERE"
					 " kommunekode=?1 AND year=?2",
					 "iil", kommunekode, year, n)))
		ib_sql_run(&q, "cannot store population",
			   "INSERT OR REPLACE INTO population(kommunekode,year,inhabitants,source,"
			   "fetch_id) VALUES(?1,?2,?3,?4,?5)",
			   "iiltL", kommunekode, year, n, source, s->fetch_id);
	return rc;
}

/* Whether the stored persons by age of kommunekode in year are by_age[0..n_ages):
 * 1 same, 0 not (or q has failed). */
static int ages_same(ib_sql *q, int kommunekode, int year, const long *by_age, int n_ages)
{
	ib_sql_open(q, "cannot read stored value",
		    "SELECT age, inhabitants FROM population_by_age WHERE kommunekode=?1 AND"
		    " year=?2 ORDER BY age",
		    "ii", kommunekode, year);
	int same = 1, k = 0;
	while (ib_sql_row(q))
		if (k >= n_ages || sqlite3_column_int(q->st, 0) != k ||
		    sqlite3_column_int64(q->st, 1) != by_age[k++])
			same = 0;
	ib_sql_close(q);
	return same && k == n_ages;
}

int ib_store_put_population_age(ib_store *s, int kommunekode, int year, double share_0_16,
				double share_65_plus, const long *by_age, int n_ages,
				const char *source, ib_error *err)
{
	int rc = IB_OK;
	ib_sql q = IB_SQL(s, &rc, err);
	int state = stored_state(&q, kommunekode,
				 "SELECT share_0_16 = ?3 AND share_65_plus = ?4 FROM population_age"
				 " WHERE kommunekode=?1 AND year=?2",
				 "iidd", kommunekode, year, share_0_16, share_65_plus);
	if (state == 1 && by_age)
		state = ages_same(&q, kommunekode, year, by_age, n_ages) ? 1 : 2;
	if (!needs_write(&q, state))
		return rc;
	const char *what = "cannot store population by age";
	ib_sql_run(&q, what,
		   "INSERT OR REPLACE INTO population_age(kommunekode,year,share_0_16,"
		   "share_65_plus,source,fetch_id) VALUES(?1,?2,?3,?4,?5,?6)",
		   "iiddtL", kommunekode, year, share_0_16, share_65_plus, source, s->fetch_id);
	if (!by_age)
		return rc;
	ib_sql_run(&q, what, "DELETE FROM population_by_age WHERE kommunekode=?1 AND year=?2", "ii",
		   kommunekode, year);
	sqlite3_stmt *ins = NULL;
	for (int a = 0; a < n_ages && !rc; a++) {
		ib_sql_reuse(&q, what, &ins,
			     "INSERT INTO population_by_age(kommunekode,year,age,inhabitants,"
			     "source,fetch_id) VALUES(?1,?2,?3,?4,?5,?6)",
			     "iiiltL", kommunekode, year, a, (int64_t)by_age[a], source,
			     s->fetch_id);
		while (ib_sql_row(&q))
			;
		ib_sql_close(&q);
	}
	sqlite3_finalize(ins);
	return rc;
}

int ib_store_population_by_age_missing(ib_store *s, int year, int *missing, ib_error *err)
{
	int rc = IB_OK;
	ib_sql q = IB_SQL(s, &rc, err);
	*missing = ib_sql_first(
	    &q, NULL, "cannot read population by age",
	    "SELECT 1 FROM population_age a WHERE a.year=?1 AND NOT EXISTS (SELECT 1 FROM"
	    " population_by_age b WHERE b.kommunekode=a.kommunekode AND b.year=a.year) LIMIT 1",
	    "i", year);
	return rc;
}

int ib_store_put_spending(ib_store *s, int kommunekode, int year, const char *function_code,
			  const char *function_name, double kr_per_inhabitant, const char *source,
			  ib_error *err)
{
	int rc = IB_OK;
	ib_sql q = IB_SQL(s, &rc, err);
	if (needs_write(&q,
			stored_state(&q, kommunekode,
				     "SELECT kr_per_inhabitant = ?4 FROM spending WHERE"
				     " kommunekode=?1 AND year=?2 AND function_code=?3",
				     "iitd", kommunekode, year, function_code, kr_per_inhabitant)))
		ib_sql_run(&q, "cannot store spending",
			   "INSERT OR REPLACE INTO spending(kommunekode,year,function_code,"
			   "function_name,kr_per_inhabitant,source,fetch_id)"
			   " VALUES(?1,?2,?3,?4,?5,?6,?7)",
			   "iittdtL", kommunekode, year, function_code, function_name,
			   kr_per_inhabitant, source, s->fetch_id);
	return rc;
}

int ib_store_put_fetch(ib_store *s, const ib_fetch_record *r, int64_t *id, ib_error *err)
{
	int rc = IB_OK;
	ib_sql q = IB_SQL(s, &rc, err);
	ib_sql_run(&q, "cannot record the fetch",
		   "INSERT INTO fetch_log(url,fetched_at,http_status,etag,last_modified,sha256,"
		   "bytes,source,method,request_sha256,table_updated)"
		   " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
		   "ttitttltttt", r->url, r->fetched_at, r->http_status, r->etag, r->last_modified,
		   r->sha256, (int64_t)r->bytes, r->source, r->method, r->request_sha256,
		   r->table_updated);
	if (!rc)
		*id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

/* The latest fetch_log row of a body with this sha256 from this URL and request
 * (request_sha256 NULL: a GET) into *id, 0 when there is none. */
static int fetch_log_last(ib_store *s, const char *url, const char *request_sha256,
			  const char *sha256, int64_t *id, ib_error *err)
{
	int rc = IB_OK;
	ib_sql q = IB_SQL(s, &rc, err);
	*id = 0;
	ib_sql_first(&q, id, "cannot read the fetch log",
		     "SELECT max(id) FROM fetch_log WHERE url=?1 AND sha256=?2 AND"
		     " request_sha256 IS ?3",
		     "ttt", url, sha256, request_sha256);
	return rc;
}

int ib_store_fetch_seen(ib_store *s, const char *url, const char *request_sha256,
			const char *sha256, int *seen, ib_error *err)
{
	int64_t id = 0;
	int rc = fetch_log_last(s, url, request_sha256, sha256, &id, err);
	*seen = !rc && id > 0;
	return rc;
}

int ib_store_fetch_id(ib_store *s, const char *url, const char *sha256, int64_t *id, ib_error *err)
{
	return fetch_log_last(s, url, NULL, sha256, id, err);
}

/* Write p's years, flags, appearances and follow-up (p->id stored). */
static void put_children(ib_sql *q, const ib_proposal *p)
{
	for (size_t i = 0; i < p->n_years; i++) {
		const ib_proposal_year *y = &p->years[i];
		kept_run(q, IB_STMT_YEAR, "cannot store proposal year", "liDDDDDII", (int64_t)p->id,
			 y->year, y->net, y->investment, y->expenses, y->income, y->fte, y->page,
			 y->line);
	}
	for (size_t i = 0; i < p->n_flags; i++)
		kept_run(q, IB_STMT_FLAG, "cannot store proposal flag", "liss", (int64_t)p->id,
			 (int)i + 1, p->flags[i].code, p->flags[i].message);
	for (size_t i = 0; i < p->n_appearances; i++) {
		const ib_appearance *a = &p->appearances[i];
		kept_run(q, IB_STMT_APPEARANCE, "cannot store appearance", "lisssss",
			 (int64_t)p->id, (int)i + 1, a->committee, a->date, a->item, a->decision,
			 a->url);
	}
	const ib_followup *f = p->followup;
	if (f)
		kept_run(q, IB_STMT_FOLLOWUP, "cannot store follow-up", "lsDDsosssI",
			 (int64_t)p->id, f->adoption, f->total_investment_kr, f->effect_full_kr,
			 f->full_implementation, f->compensating, f->status, f->remark, f->source,
			 f->page);
}

static void delete_children(ib_sql *q, int64_t id)
{
	static const enum ib_store_stmt del[] = {IB_STMT_YEAR_DELETE, IB_STMT_FLAG_DELETE,
						 IB_STMT_FOLLOWUP_DELETE,
						 IB_STMT_APPEARANCE_DELETE};
	for (size_t i = 0; i < sizeof del / sizeof del[0]; i++)
		kept_run(q, del[i], "cannot replace proposal", "l", id);
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
static void note_facts(ib_sql *q, const ib_proposal *p)
{
	kept_run(q, IB_STMT_FACT_PENDING, "cannot store the search facts", "liissoD",
		 (int64_t)p->id, p->kommunekode, p->budget_year, p->area,
		 p->kind ? p->kind : "andet", p->adopted, p->effect_kr);
	if (!*q->rc && ++q->s->n_pending >= FOLD_EVERY)
		*q->rc = fold_facts(q->s, q->err);
}

/* The id and content hash of the stored proposal with p's identity into *id (0 when
 * none) and *same (its hash is hex). */
static void find_proposal(ib_sql *q, const ib_proposal *p, const char *ident, const char *hex,
			  int64_t *id, int *same)
{
	*id = 0;
	*same = 0;
	kept(q, IB_STMT_PROPOSAL_FIND, "cannot look up proposal", "is", p->kommunekode, ident);
	if (ib_sql_row(q)) {
		*id = sqlite3_column_int64(q->st, 0);
		*same = strcmp((const char *)sqlite3_column_text(q->st, 1), hex) == 0;
	}
	ib_sql_close(q);
}

/* Insert (old_id 0) or update the row old_id of p with the kept statement i. */
static void put_row(ib_sql *q, enum ib_store_stmt i, const ib_proposal *p, const char *hex,
		    const char *ident, int64_t old_id)
{
	kept_run(q, i, "cannot store proposal", "iisssssssoIDDsIsLsssL", p->kommunekode,
		 p->budget_year, p->ref, p->title, p->summary, p->text, p->area, p->committee,
		 p->kind ? p->kind : "andet", p->adopted, p->full_year, p->effect_kr,
		 p->impl_cost_kr, p->source, p->page, hex, old_id, p->case_key, p->variant, ident,
		 q->s->fetch_id);
}

/* After this many new proposals in a row a put inserts first and looks the identity up
 * only when the insert finds it taken: an import of new proposals searches the identity
 * index once per proposal, not twice. */
#define INSERT_FIRST_AFTER 16

int ib_store_put_proposal(ib_store *s, ib_proposal *p, int *result, ib_error *err)
{
	int rc = IB_OK;
	ib_sql q = IB_SQL(s, &rc, err);
	known_municipality(&q, p->kommunekode);
	if (rc)
		return rc;
	if (s->fetch_source && ib_strset(&p->source, s->fetch_source))
		return ib_error_set(err, IB_ENOMEM, NULL);
	/* the content hash covers the canonical record without id and hash (in a buffer
	   the store keeps: an import writes one record per proposal) */
	if (!s->record.cap)
		ib_buf_init(&s->record, 0);
	ib_buf_reset(&s->record);
	rc = ib_proposal_write_jsonl(&s->record, p, 0);
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
	/* the insert does nothing when the identity is taken: then it is looked up */
	for (int find = s->new_in_a_row < INSERT_FIRST_AFTER; !rc && !inserted && !old_id;
	     find = 1) {
		if (find)
			find_proposal(&q, p, ident, hex, &old_id, &same);
		if (rc || old_id)
			break;
		put_row(&q, IB_STMT_PROPOSAL_INSERT, p, hex, ident, 0);
		inserted = !rc && sqlite3_changes(s->db) > 0;
		if (!rc && !inserted && find)
			ib_sql_fail(
			    &q, IB_EDB,
			    "cannot store proposal '%s': its identity is taken and not found",
			    p->title);
	}
	if (rc)
		return rc;
	if (old_id && same) {
		s->new_in_a_row = 0;
		p->id = old_id;
		if (result)
			*result = IB_PUT_UNCHANGED;
		return IB_OK;
	}
	if (old_id) {
		delete_children(&q, old_id);
		put_row(&q, IB_STMT_PROPOSAL_UPDATE, p, hex, ident, old_id);
	}
	if (rc)
		return rc;
	s->new_in_a_row = old_id ? 0 : s->new_in_a_row + 1;
	p->id = old_id ? old_id : sqlite3_last_insert_rowid(s->db);
	if (!old_id) {
		/* a new row is indexed here (an updated one by the proposal_au trigger) */
		kept_run(&q, IB_STMT_PROPOSAL_FTS, "cannot index proposal", "lsss", (int64_t)p->id,
			 p->title, p->summary, p->text);
		note_facts(&q, p);
	}
	if (!rc && result)
		*result = old_id ? IB_PUT_UPDATED : IB_PUT_NEW;
	put_children(&q, p);
	return rc;
}

int ib_store_put_agenda_meeting(ib_store *s, int kommunekode, const char *meeting_id,
				const char *committee, const char *date, const char *starts,
				const char *url, const char *sha256, ib_error *err)
{
	int rc = IB_OK;
	ib_sql q = IB_SQL(s, &rc, err);
	ib_sql_run(&q, "cannot replace agenda items",
		   "DELETE FROM agenda_item WHERE kommunekode=?1 AND meeting_id=?2", "it",
		   kommunekode, meeting_id);
	return ib_sql_run(&q, "cannot store agenda meeting",
			  "INSERT OR REPLACE INTO agenda_meeting(kommunekode,meeting_id,committee,"
			  "date,url,sha256,fetch_id,starts) VALUES(?1,?2,?3,?4,?5,?6,?7,?8)",
			  "itttttLt", kommunekode, meeting_id, committee, date, url, sha256,
			  s->fetch_id, starts);
}

int ib_store_put_agenda_item(ib_store *s, const ib_agenda_item_rec *r, ib_error *err)
{
	int rc = IB_OK;
	ib_sql q = IB_SQL(s, &rc, err);
	return kept_run(&q, IB_STMT_AGENDA_ITEM, "cannot store agenda item", "ississssb",
			r->kommunekode, r->meeting_id, r->item, r->seq, r->case_number, r->case_key,
			r->title, r->url, (const void *)r->html, (size_t)r->html_len);
}

int ib_store_set_agenda_outcome(ib_store *s, int kommunekode, const char *meeting_id,
				const char *item, const char *outcome, const char *reason,
				int64_t proposal_id, ib_error *err)
{
	int rc = IB_OK;
	ib_sql q = IB_SQL(s, &rc, err);
	return kept_run(&q, IB_STMT_AGENDA_OUTCOME, "cannot store agenda item outcome", "issssL",
			kommunekode, meeting_id, item, outcome, reason, proposal_id);
}

int ib_store_agenda_meeting_cases(ib_store *s, int kommunekode, const char *meeting_id,
				  int (*fn)(void *ctx, const char *case_key), void *ctx,
				  ib_error *err)
{
	int rc = IB_OK;
	ib_sql q = IB_SQL(s, &rc, err);
	ib_sql_open(&q, "cannot read agenda items",
		    "SELECT DISTINCT case_key FROM agenda_item WHERE kommunekode=?1 AND"
		    " meeting_id=?2",
		    "it", kommunekode, meeting_id);
	while (ib_sql_row(&q))
		rc = fn(ctx, (const char *)sqlite3_column_text(q.st, 0));
	ib_sql_close(&q);
	return rc;
}

int ib_store_agenda_meeting_stored(ib_store *s, int kommunekode, const char *url,
				   const char *sha256, int *stored, ib_error *err)
{
	int rc = IB_OK;
	ib_sql q = IB_SQL(s, &rc, err);
	*stored = ib_sql_first(
	    &q, NULL, "cannot read agenda meetings",
	    "SELECT 1 FROM agenda_meeting WHERE kommunekode=?1 AND url=?2 AND sha256=?3", "itt",
	    kommunekode, url, sha256);
	return rc;
}

int ib_store_agenda_case_waiting(ib_store *s, int kommunekode, const char *case_key, long *waiting,
				 ib_error *err)
{
	int rc = IB_OK;
	ib_sql q = IB_SQL(s, &rc, err);
	int64_t n = 0;
	ib_sql_first(&q, &n, "cannot read agenda cases",
		     "SELECT count(*) FROM agenda_legacy l WHERE l.kommunekode=?1 AND"
		     " l.case_key=?2 AND NOT EXISTS (SELECT 1 FROM agenda_meeting m WHERE"
		     " m.kommunekode=l.kommunekode AND m.meeting_id=l.meeting_id)",
		     "it", kommunekode, case_key);
	*waiting = (long)n;
	if (rc || n)
		return rc;
	return ib_sql_run(&q, "cannot update agenda cases",
			  "DELETE FROM agenda_legacy WHERE kommunekode=?1 AND case_key=?2", "it",
			  kommunekode, case_key);
}

int ib_store_agenda_meeting_owner(ib_store *s, const char *meeting_id, int *owner, ib_error *err)
{
	int rc = IB_OK;
	ib_sql q = IB_SQL(s, &rc, err);
	int64_t code = 0;
	ib_sql_first(&q, &code, "cannot read agenda meetings",
		     "SELECT kommunekode FROM agenda_meeting WHERE meeting_id=?1 LIMIT 1", "t",
		     meeting_id);
	*owner = (int)code;
	return rc;
}

/* One row of a case's items, read before its case text. */
typedef struct case_row {
	int64_t id, fetch_id;
	char *z[8]; /* meeting_id, item, case_number, title, url, committee, date, starts */
	int seq;
} case_row;

/* The rows of the case's items into *rows (*n of them; caller frees each and the
 * array), in meeting order. */
static void case_rows(ib_sql *q, int kommunekode, const char *case_key, case_row **rows, size_t *n)
{
	size_t alloc = 0;
	/* the rows first, the case texts after: sorting rows that carry their text would
	   copy every text through the sorter */
	ib_sql_open(q, "cannot read agenda case",
		    "SELECT i.id, i.meeting_id, i.item, i.case_number, i.title, i.url,"
		    " m.committee, m.date, m.starts, i.seq, m.fetch_id FROM agenda_item i JOIN"
		    " agenda_meeting m USING(kommunekode, meeting_id) WHERE i.kommunekode=?1 AND"
		    " i.case_key=?2 ORDER BY m.starts, i.meeting_id, i.seq",
		    "it", kommunekode, case_key);
	while (ib_sql_row(q)) {
		if (IB_GROW(*rows, *n, alloc, 8)) {
			ib_sql_fail(q, IB_ENOMEM, NULL);
			break;
		}
		case_row *r = &(*rows)[(*n)++];
		memset(r, 0, sizeof *r);
		r->id = sqlite3_column_int64(q->st, 0);
		for (int i = 0; i < 8; i++)
			r->z[i] = ib_sql_text(q, i + 1);
		r->seq = sqlite3_column_int(q->st, 9);
		r->fetch_id = sqlite3_column_int64(q->st, 10);
	}
	ib_sql_close(q);
}

int ib_store_agenda_case(ib_store *s, int kommunekode, const char *case_key,
			 int (*fn)(void *ctx, const ib_agenda_stored_item *it), void *ctx,
			 ib_error *err)
{
	int rc = IB_OK;
	ib_sql q = IB_SQL(s, &rc, err);
	case_row *rows = NULL;
	size_t n = 0;
	case_rows(&q, kommunekode, case_key, &rows, &n);
	for (size_t i = 0; i < n && !rc; i++) {
		const case_row *r = &rows[i];
		kept(&q, IB_STMT_AGENDA_TEXT, "cannot read agenda case text", "l", r->id);
		if (!ib_sql_row(&q)) {
			ib_sql_fail(&q, IB_EDB, "cannot read agenda case text: item %lld is gone",
				    (long long)r->id);
			break;
		}
		ib_agenda_stored_item it = {r->z[0],
					    r->z[1],
					    r->z[2],
					    r->z[3],
					    r->z[4],
					    r->seq,
					    r->z[5],
					    r->z[6],
					    r->z[7],
					    sqlite3_column_blob(q.st, 0),
					    (size_t)sqlite3_column_bytes(q.st, 0),
					    r->fetch_id};
		rc = fn(ctx, &it);
	}
	ib_sql_close(&q);
	for (size_t i = 0; i < n; i++)
		for (int k = 0; k < 8; k++)
			free(rows[i].z[k]);
	free(rows);
	return rc;
}

int ib_store_prune_case(ib_store *s, int kommunekode, const char *case_key, const int64_t *keep,
			size_t n_keep, long *n_deleted, ib_error *err)
{
	int rc = IB_OK;
	ib_sql q = IB_SQL(s, &rc, err), del = IB_SQL(s, &rc, err);
	sqlite3_stmt *delete = NULL;
	*n_deleted = 0;
	ib_sql_open(&q, "cannot read agenda case",
		    "SELECT id FROM proposal WHERE kommunekode=?1 AND case_key=?2", "it",
		    kommunekode, case_key);
	while (ib_sql_row(&q)) {
		int64_t id = sqlite3_column_int64(q.st, 0);
		int kept_id = 0;
		for (size_t i = 0; i < n_keep && !kept_id; i++)
			kept_id = keep[i] == id;
		if (kept_id)
			continue;
		ib_sql_reuse(&del, "cannot delete proposal", &delete,
			     "DELETE FROM proposal WHERE id=?1", "l", id);
		while (ib_sql_row(&del))
			;
		ib_sql_close(&del);
		if (!rc)
			(*n_deleted)++;
	}
	ib_sql_close(&q);
	sqlite3_finalize(delete);
	return rc;
}

int ib_store_find_proposal(ib_store *s, int kommunekode, const char *title, int64_t *id,
			   ib_error *err)
{
	int rc = IB_OK;
	ib_sql q = IB_SQL(s, &rc, err);
	if (!ib_sql_first(&q, id, "cannot look up proposal",
			  "SELECT id FROM proposal WHERE kommunekode=?1 AND title=?2 COLLATE NOCASE"
			  " ORDER BY budget_year DESC, id LIMIT 1",
			  "it", kommunekode, title))
		ib_sql_fail(&q, IB_ENOTFOUND, "no proposal titled '%s'", title);
	return rc;
}

/* The proposal's own row into a new *p (NULL when q failed or there is none). */
static void proposal_row(ib_sql *q, int64_t id, ib_proposal **out)
{
	ib_sql_open(q, "cannot read proposal",
		    "SELECT kommunekode,budget_year,ref,title,summary,text,area,committee,kind,"
		    "adopted,full_year,effect_kr,impl_cost_kr,source,source_page,content_hash,"
		    "case_key,variant FROM proposal WHERE id=?1",
		    "l", id);
	ib_proposal *p = NULL;
	if (!ib_sql_row(q))
		ib_sql_fail(q, IB_ENOTFOUND, "no proposal with id %lld", (long long)id);
	else if (!(p = ib_proposal_new()))
		ib_sql_fail(q, IB_ENOMEM, NULL);
	if (p) {
		sqlite3_stmt *st = q->st;
		p->id = id;
		p->kommunekode = sqlite3_column_int(st, 0);
		p->budget_year = sqlite3_column_int(st, 1);
		p->ref = ib_sql_text(q, 2);
		p->title = ib_sql_text(q, 3);
		p->summary = ib_sql_text(q, 4);
		p->text = ib_sql_text(q, 5);
		p->area = ib_area_canonical((const char *)sqlite3_column_text(st, 6));
		p->committee = ib_sql_text(q, 7);
		p->kind = ib_kind_canonical((const char *)sqlite3_column_text(st, 8));
		p->adopted = ib_sql_int_or(q, 9, IB_ADOPTED_UNKNOWN);
		p->full_year = sqlite3_column_int(st, 10);
		p->effect_kr = ib_sql_num(q, 11);
		p->impl_cost_kr = ib_sql_num(q, 12);
		p->source = ib_sql_text(q, 13);
		p->page = sqlite3_column_int(st, 14);
		p->content_hash = ib_sql_text(q, 15);
		p->case_key = ib_sql_text(q, 16);
		p->variant = ib_sql_text(q, 17);
	}
	ib_sql_close(q);
	*out = p;
}

/* p's follow-up, when it has one. */
static void proposal_followup(ib_sql *q, ib_proposal *p)
{
	ib_sql_open(q, "cannot read proposal",
		    "SELECT adoption,total_investment_kr,effect_full_kr,full_implementation,"
		    "compensating,status,remark,source,source_page FROM followup"
		    " WHERE proposal_id=?1",
		    "l", (int64_t)p->id);
	ib_followup *f = NULL;
	if (ib_sql_row(q) && !(f = p->followup = calloc(1, sizeof *f)))
		ib_sql_fail(q, IB_ENOMEM, NULL);
	if (f) {
		f->adoption = ib_sql_text(q, 0);
		f->total_investment_kr = ib_sql_num(q, 1);
		f->effect_full_kr = ib_sql_num(q, 2);
		f->full_implementation = ib_sql_text(q, 3);
		f->compensating = ib_sql_int_or(q, 4, -1);
		f->status = ib_sql_text(q, 5);
		f->remark = ib_sql_text(q, 6);
		f->source = ib_sql_text(q, 7);
		f->page = sqlite3_column_int(q->st, 8);
	}
	ib_sql_close(q);
}

int ib_store_get_proposal(ib_store *s, int64_t id, ib_proposal **out, ib_error *err)
{
	int rc = IB_OK;
	ib_sql q = IB_SQL(s, &rc, err);
	ib_proposal *p = NULL;
	*out = NULL;
	proposal_row(&q, id, &p);
	ib_sql_open(&q, "cannot read proposal",
		    "SELECT year,net,investment,expenses,income,fte,source_page,source_line"
		    " FROM proposal_year WHERE proposal_id=?1 ORDER BY year",
		    "l", id);
	while (ib_sql_row(&q)) {
		ib_proposal_year y = {sqlite3_column_int(q.st, 0), ib_sql_num(&q, 1),
				      ib_sql_num(&q, 2),	   ib_sql_num(&q, 3),
				      ib_sql_num(&q, 4),	   ib_sql_num(&q, 5),
				      sqlite3_column_int(q.st, 6), sqlite3_column_int(q.st, 7)};
		if (ib_proposal_add_year(p, &y))
			ib_sql_fail(&q, IB_ENOMEM, NULL);
	}
	ib_sql_open(&q, "cannot read proposal",
		    "SELECT code,message FROM proposal_flag WHERE proposal_id=?1 ORDER BY seq", "l",
		    id);
	while (ib_sql_row(&q))
		if (ib_proposal_add_flag(p, (const char *)sqlite3_column_text(q.st, 0), "%s",
					 (const char *)sqlite3_column_text(q.st, 1)))
			ib_sql_fail(&q, IB_ENOMEM, NULL);
	if (!rc)
		proposal_followup(&q, p);
	ib_sql_open(&q, "cannot read proposal",
		    "SELECT committee,date,item,decision,url FROM appearance"
		    " WHERE proposal_id=?1 ORDER BY seq",
		    "l", id);
	while (ib_sql_row(&q)) {
		const char *z[5];
		for (int i = 0; i < 5; i++)
			z[i] = (const char *)sqlite3_column_text(q.st, i);
		ib_appearance a = {(char *)z[0], (char *)z[1], (char *)z[2], (char *)z[3],
				   (char *)z[4]};
		if (ib_proposal_add_appearance(p, &a))
			ib_sql_fail(&q, IB_ENOMEM, NULL);
	}
	ib_sql_close(&q);
	if (rc) {
		ib_proposal_free(p);
		return rc;
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

/* Every municipality of the registry, by code (the columns row_to_municipality reads). */
#define MUNICIPALITIES_SQL                                                                         \
	"SELECT kommunekode,name,region,group_code,group_name FROM municipality"                   \
	" ORDER BY kommunekode"

static void row_to_municipality(sqlite3_stmt *st, ib_municipality *m)
{
	m->code = sqlite3_column_int(st, 0);
	snprintf(m->name, sizeof m->name, "%s", (const char *)sqlite3_column_text(st, 1));
	snprintf(m->region, sizeof m->region, "%s", (const char *)sqlite3_column_text(st, 2));
	m->group_code = sqlite3_column_int(st, 3);
	snprintf(m->group_name, sizeof m->group_name, "%s",
		 (const char *)sqlite3_column_text(st, 4));
}

/* Keep name among the three nearest suggestions sugg (distance d of their sugg_d). */
static void suggest(char sugg[3][64], int sugg_d[3], const char *name, int d)
{
	for (int k = 0; k < 3; k++)
		if (d < sugg_d[k]) {
			for (int m = 2; m > k; m--) {
				sugg_d[m] = sugg_d[m - 1];
				memcpy(sugg[m], sugg[m - 1], sizeof sugg[m]);
			}
			sugg_d[k] = d;
			snprintf(sugg[k], sizeof sugg[k], "%s", name);
			return;
		}
}

int ib_store_find_municipality(ib_store *s, const char *q, ib_municipality *out, ib_error *err)
{
	int rc = IB_OK;
	ib_sql r = IB_SQL(s, &rc, err);
	char want[128], have[128];
	fold_name(q, want, sizeof want);
	int is_code = want[0] != '\0';
	for (const char *c = want; *c; c++)
		if (!isdigit((unsigned char)*c))
			is_code = 0;
	int code = is_code ? atoi(want) : -1;
	int found = 0;
	char sugg[3][64] = {{0}};
	int sugg_d[3] = {99, 99, 99};
	ib_sql_open(&r, "cannot read municipalities", MUNICIPALITIES_SQL, NULL);
	while (!found && ib_sql_row(&r)) {
		const char *name = (const char *)sqlite3_column_text(r.st, 1);
		fold_name(name, have, sizeof have);
		found = is_code ? sqlite3_column_int(r.st, 0) == code : strcmp(want, have) == 0;
		if (found)
			row_to_municipality(r.st, out);
		else
			suggest(sugg, sugg_d, name, ib_edit_distance(want, have));
	}
	ib_sql_close(&r);
	if (rc || found)
		return rc;
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
	int rc = IB_OK;
	ib_sql q = IB_SQL(s, &rc, err);
	ib_municipality *v = NULL;
	size_t alloc = 0;
	*out = NULL;
	*n = 0;
	ib_sql_open(&q, "cannot list municipalities", MUNICIPALITIES_SQL, NULL);
	while (ib_sql_row(&q)) {
		if (*n == alloc) {
			ib_municipality *w =
			    realloc(v, (alloc = alloc ? alloc * 2 : 128) * sizeof *w);
			if (!w) {
				ib_sql_fail(&q, IB_ENOMEM, NULL);
				break;
			}
			v = w;
		}
		row_to_municipality(q.st, &v[(*n)++]);
	}
	ib_sql_close(&q);
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
	int rc = IB_OK;
	ib_sql q = IB_SQL(s, &rc, err);
	ib_sql_open(&q, "cannot read population",
		    "SELECT inhabitants, year, source FROM population WHERE kommunekode=?1"
		    " ORDER BY (year > ?2), abs(year - ?2) LIMIT 1",
		    "ii", kommunekode, year);
	if (ib_sql_row(&q)) {
		*inhabitants = (long)sqlite3_column_int64(q.st, 0);
		if (year_used)
			*year_used = sqlite3_column_int(q.st, 1);
		if (source && !(*source = ib_sql_text(&q, 2)))
			ib_sql_fail(&q, IB_ENOMEM, NULL);
	} else {
		ib_sql_fail(&q, IB_ENOTFOUND, "no population figure for kommunekode %03d",
			    kommunekode);
	}
	ib_sql_close(&q);
	return rc;
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
	int rc = IB_OK;
	ib_sql q = IB_SQL(s, &rc, err);
	ib_sql_open(&q, "integrity check failed", "PRAGMA integrity_check", NULL);
	if (ib_sql_row(&q)) {
		const char *z = (const char *)sqlite3_column_text(q.st, 0);
		if (strcmp(z, "ok") != 0)
			ib_sql_fail(&q, IB_EDB, "integrity check failed: %s", z);
	} else {
		ib_sql_fail(&q, IB_EDB, "integrity check failed: %s", sqlite3_errmsg(s->db));
	}
	/* a row pointing to a missing one: "a proposal_year row refers to a missing
	 * proposal" (tables without rowid have no row number to give) */
	ib_sql_open(&q, "foreign key check failed", "PRAGMA foreign_key_check", NULL);
	if (ib_sql_row(&q))
		ib_sql_fail(&q, IB_EDB, "foreign key check failed: a %s row refers to a missing %s",
			    (const char *)sqlite3_column_text(q.st, 0),
			    (const char *)sqlite3_column_text(q.st, 2));
	ib_sql_close(&q);
	return rc ? rc : fts_check(s, err);
}

int ib_store_proposal_ids(ib_store *s, int64_t **ids, size_t *n, ib_error *err)
{
	int rc = IB_OK;
	ib_sql q = IB_SQL(s, &rc, err);
	ib_sql_open(&q, "cannot list proposals", "SELECT id FROM proposal ORDER BY id", NULL);
	return ib_sql_ids(&q, ids, n);
}
