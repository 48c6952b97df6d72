/* schema.c - the database schema and its forward migrations.
 *
 * PRAGMA user_version holds the schema version.  Each migration step brings the
 * database from version N-1 to N inside one transaction; a database newer than this
 * program is refused rather than guessed at. */
#include <stdio.h>

#include "ideabank/error.h"
#include "ideabank/progress.h"
#include "facts.h"
#include "rank.h"
#include "store_int.h"
#include "tokenizer.h"

/* Pieces of SQL more than one version writes: the proposal table's columns of version
 * 1, and the triggers that kept the full-text index in step with it from version 1 to
 * 5 (their FTS5 statements, the old row's text out and the new row's in). */
#define PROPOSAL_COLUMNS_V1                                                                        \
	"  id INTEGER PRIMARY KEY,"                                                                \
	"  kommunekode INTEGER NOT NULL REFERENCES municipality,"                                  \
	"  budget_year INTEGER NOT NULL,"                                                          \
	"  ref TEXT,"                                                                              \
	"  title TEXT NOT NULL,"                                                                   \
	"  summary TEXT,"                                                                          \
	"  text TEXT,"                                                                             \
	"  area TEXT,"                                                                             \
	"  committee TEXT,"                                                                        \
	"  kind TEXT NOT NULL,"                                                                    \
	"  adopted INTEGER CHECK(adopted IN (0, 1)),"                                              \
	"  full_year INTEGER,"                                                                     \
	"  effect_kr REAL,"                                                                        \
	"  impl_cost_kr REAL,"                                                                     \
	"  source TEXT NOT NULL,"                                                                  \
	"  source_page INTEGER,"                                                                   \
	"  content_hash TEXT NOT NULL,"
#define FTS_DELETE_OLD                                                                             \
	"  INSERT INTO proposal_fts(proposal_fts, rowid, title, summary, text)"                    \
	"  VALUES ('delete', old.id, old.title, old.summary, old.text);"
#define FTS_INSERT_NEW                                                                             \
	"  INSERT INTO proposal_fts(rowid, title, summary, text)"                                  \
	"  VALUES (new.id, new.title, new.summary, new.text);"
#define FTS_TRIGGERS_V1                                                                            \
	"CREATE TRIGGER proposal_ai AFTER INSERT ON proposal BEGIN" FTS_INSERT_NEW "END;"          \
	"CREATE TRIGGER proposal_ad AFTER DELETE ON proposal BEGIN" FTS_DELETE_OLD "END;"          \
	"CREATE TRIGGER proposal_au AFTER UPDATE ON proposal BEGIN" FTS_DELETE_OLD FTS_INSERT_NEW  \
	"END;"

/* Version 1: the walking skeleton's tables and a unicode61 FTS5 index. */
static const char schema_v1[] =
    "CREATE TABLE municipality("
    "  kommunekode INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  region TEXT NOT NULL,"
    "  group_code INTEGER NOT NULL,"
    "  group_name TEXT NOT NULL,"
    "  source TEXT NOT NULL);"
    "CREATE TABLE population("
    "  kommunekode INTEGER NOT NULL REFERENCES municipality,"
    "  year INTEGER NOT NULL,"
    "  inhabitants INTEGER NOT NULL CHECK(inhabitants > 0),"
    "  source TEXT NOT NULL,"
    "  PRIMARY KEY(kommunekode, year)) WITHOUT ROWID;"
    "CREATE TABLE spending("
    "  kommunekode INTEGER NOT NULL REFERENCES municipality,"
    "  year INTEGER NOT NULL,"
    "  function_code TEXT NOT NULL,"
    "  function_name TEXT NOT NULL,"
    "  kr_per_inhabitant REAL NOT NULL,"
    "  source TEXT NOT NULL,"
    "  PRIMARY KEY(kommunekode, year, function_code)) WITHOUT ROWID;"
    "CREATE TABLE proposal(" PROPOSAL_COLUMNS_V1 "  UNIQUE(kommunekode, budget_year, title));"
    "CREATE INDEX proposal_year_idx ON proposal(budget_year);"
    "CREATE TABLE proposal_year("
    "  proposal_id INTEGER NOT NULL REFERENCES proposal ON DELETE CASCADE,"
    "  year INTEGER NOT NULL,"
    "  net REAL, investment REAL, expenses REAL, income REAL, fte REAL,"
    "  source_page INTEGER, source_line INTEGER,"
    "  PRIMARY KEY(proposal_id, year)) WITHOUT ROWID;"
    "CREATE TABLE proposal_flag("
    "  proposal_id INTEGER NOT NULL REFERENCES proposal ON DELETE CASCADE,"
    "  seq INTEGER NOT NULL,"
    "  code TEXT NOT NULL,"
    "  message TEXT NOT NULL,"
    "  PRIMARY KEY(proposal_id, seq)) WITHOUT ROWID;"
    "CREATE TABLE followup("
    "  proposal_id INTEGER PRIMARY KEY REFERENCES proposal ON DELETE CASCADE,"
    "  adoption TEXT, total_investment_kr REAL, effect_full_kr REAL,"
    "  full_implementation TEXT, compensating INTEGER, status TEXT, remark TEXT,"
    "  source TEXT, source_page INTEGER);"
    /* provenance of fetched bodies: every row a fetch stores points here */
    "CREATE TABLE fetch_log("
    "  id INTEGER PRIMARY KEY,"
    "  url TEXT NOT NULL,"
    "  fetched_at TEXT NOT NULL,"
    "  http_status INTEGER,"
    "  etag TEXT,"
    "  last_modified TEXT,"
    "  sha256 TEXT,"
    "  bytes INTEGER);"
    "ALTER TABLE population ADD COLUMN fetch_id INTEGER REFERENCES fetch_log;"
    "ALTER TABLE spending ADD COLUMN fetch_id INTEGER REFERENCES fetch_log;"
    "ALTER TABLE proposal ADD COLUMN fetch_id INTEGER REFERENCES fetch_log;"
    /* age structure for peer selection (FOLK1A by age) */
    "CREATE TABLE population_age("
    "  kommunekode INTEGER NOT NULL REFERENCES municipality,"
    "  year INTEGER NOT NULL,"
    "  share_0_16 REAL,"
    "  share_65_plus REAL,"
    "  source TEXT NOT NULL,"
    "  fetch_id INTEGER REFERENCES fetch_log,"
    "  PRIMARY KEY(kommunekode, year)) WITHOUT ROWID;"
    /* KL's areas to REGK31 functions, for peer comparison by area */
    "CREATE TABLE area_function("
    "  area TEXT NOT NULL,"
    "  function_code TEXT NOT NULL,"
    "  source TEXT NOT NULL,"
    "  PRIMARY KEY(area, function_code)) WITHOUT ROWID;"
    /* named baskets of selected ideas */
    "CREATE TABLE basket("
    "  name TEXT NOT NULL,"
    "  proposal_id INTEGER NOT NULL REFERENCES proposal ON DELETE CASCADE,"
    "  added_at TEXT NOT NULL DEFAULT (datetime('now')),"
    "  PRIMARY KEY(name, proposal_id)) WITHOUT ROWID;"
    "CREATE VIRTUAL TABLE proposal_fts USING fts5("
    "  title, summary, text, content='proposal', content_rowid='id',"
    "  tokenize='unicode61 remove_diacritics 0');" FTS_TRIGGERS_V1;

/* Version 2: the full-text index uses ideabank's Danish tokenizer (stemming, compound
 * parts, ASCII spellings).  The index is rebuilt from the proposal table. */
static const char schema_v2[] =
    /* settings of the index: 'fts_wordlist' is the word list it was built with */
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
    "DROP TRIGGER proposal_ai;"
    "DROP TRIGGER proposal_ad;"
    "DROP TRIGGER proposal_au;"
    "DROP TABLE proposal_fts;"
    "CREATE VIRTUAL TABLE proposal_fts USING fts5("
    "  title, summary, text, content='proposal', content_rowid='id',"
    "  tokenize='ideabank_da');"
    FTS_TRIGGERS_V1
    "INSERT INTO proposal_fts(proposal_fts) VALUES ('rebuild');";

/* Version 3: fetch provenance says which configured source, which request and which
 * version of a StatBank table a body came from. */
static const char schema_v3[] = "ALTER TABLE fetch_log ADD COLUMN source TEXT;"
				"ALTER TABLE fetch_log ADD COLUMN method TEXT;"
				"ALTER TABLE fetch_log ADD COLUMN request_sha256 TEXT;"
				"ALTER TABLE fetch_log ADD COLUMN table_updated TEXT;"
				"CREATE INDEX fetch_log_url_idx ON fetch_log(url, sha256);";

/* Version 4: a proposal's identity is its position in its source (document and ref or
 * page, or the agenda case and its variant) instead of its title, so generic titles of
 * two catalogues and a case's alternatives no longer overwrite each other.  The
 * proposal table is rebuilt with the new key (same ids; foreign keys are off during
 * migrations); agenda cases keep every appearance; agenda meetings and the outcome of
 * every item are recorded. */
static const char schema_v4[] =
    "CREATE TABLE proposal_v4("
    PROPOSAL_COLUMNS_V1
    "  fetch_id INTEGER REFERENCES fetch_log,"
    "  case_key TEXT,"
    "  variant TEXT,"
    "  ident TEXT NOT NULL,"
    "  UNIQUE(kommunekode, ident));"
    /* the same text as ib_proposal_identity() for a proposal without case or variant */
    "INSERT INTO proposal_v4 SELECT id, kommunekode, budget_year, ref, title, summary, text,"
    "  area, committee, kind, adopted, full_year, effect_kr, impl_cost_kr, source,"
    "  source_page, content_hash, fetch_id, NULL, NULL,"
    "  CASE WHEN ref IS NOT NULL THEN 'doc|' || budget_year || '|' || source || '|' || ref"
    "  || '|' ELSE 'doc|' || budget_year || '|' || source || '|p' || coalesce(source_page, 0)"
    "  || '|' || title || '|' END FROM proposal;"
    "DROP TRIGGER proposal_ai;"
    "DROP TRIGGER proposal_ad;"
    "DROP TRIGGER proposal_au;"
    "DROP TABLE proposal;"
    "ALTER TABLE proposal_v4 RENAME TO proposal;"
    "CREATE INDEX proposal_year_idx ON proposal(budget_year);"
    "CREATE INDEX proposal_case_idx ON proposal(kommunekode, case_key);"
    FTS_TRIGGERS_V1
    "INSERT INTO proposal_fts(proposal_fts) VALUES ('rebuild');"
    "CREATE TABLE appearance("
    "  proposal_id INTEGER NOT NULL REFERENCES proposal ON DELETE CASCADE,"
    "  seq INTEGER NOT NULL,"
    "  committee TEXT, date TEXT, item TEXT, decision TEXT, url TEXT,"
    "  PRIMARY KEY(proposal_id, seq)) WITHOUT ROWID;"
    "CREATE TABLE agenda_meeting("
    "  kommunekode INTEGER NOT NULL REFERENCES municipality,"
    "  meeting_id TEXT NOT NULL,"
    "  committee TEXT,"
    "  date TEXT,"
    "  url TEXT NOT NULL,"
    "  sha256 TEXT NOT NULL,"
    "  fetch_id INTEGER REFERENCES fetch_log,"
    "  PRIMARY KEY(kommunekode, meeting_id)) WITHOUT ROWID;"
    "CREATE TABLE agenda_item("
    "  kommunekode INTEGER NOT NULL,"
    "  meeting_id TEXT NOT NULL,"
    "  item TEXT NOT NULL,"
    "  case_number TEXT,"
    "  title TEXT,"
    "  outcome TEXT NOT NULL CHECK(outcome IN ('proposal', 'skipped', 'flagged')),"
    "  reason TEXT NOT NULL,"
    "  proposal_id INTEGER REFERENCES proposal ON DELETE SET NULL,"
    "  PRIMARY KEY(kommunekode, meeting_id, item),"
    "  FOREIGN KEY(kommunekode, meeting_id) REFERENCES agenda_meeting) WITHOUT ROWID;";

/* Version 5: a covering index of the facts every search needs (search.c reads them for
 * every proposal through it, never the rows with their text). */
static const char schema_v5[] = "CREATE INDEX proposal_facts_idx ON proposal(kommunekode,"
				" budget_year, area, kind, adopted, effect_kr);";

/* Version 6: the store indexes a new proposal's text itself, right after its INSERT
 * (store.c), instead of an AFTER INSERT trigger.  A write to the full-text index from
 * a trigger makes every proposal INSERT in an import's transaction open a statement
 * journal, and FTS5 writes its pending terms out as a new index segment at each one:
 * a bulk import wrote one segment per proposal and merged them again, half its time.
 * Updates and deletes, rare in an import, keep their triggers. */
static const char schema_v6[] = "DROP TRIGGER proposal_ai;";

/* Version 7: an agenda item keeps what its case is derived from — its case key, its
 * position in the meeting, its address and its case text (deflated by fetch/agenda.c) —
 * so that storing one meeting again derives each of its cases from every meeting
 * stored, not from that meeting alone.  The meeting keeps its start (date and time), by
 * which a case's appearances are ordered.  Items and meetings stored before have no
 * case text: they are dropped, and agenda_legacy remembers which meetings each case
 * had, so that a case keeps its proposals as they are until every one of those
 * meetings is stored again (then it is derived like any other). */
static const char schema_v7[] =
    /* the meetings each case had: until all of them are stored again, the case keeps
       the proposals it has (ib_store_agenda_case_waiting) */
    "CREATE TABLE agenda_legacy("
    "  kommunekode INTEGER NOT NULL,"
    "  case_key TEXT NOT NULL,"
    "  meeting_id TEXT NOT NULL,"
    "  PRIMARY KEY(kommunekode, case_key, meeting_id)) WITHOUT ROWID;"
    "INSERT OR IGNORE INTO agenda_legacy SELECT kommunekode, CASE WHEN case_number IS NOT NULL"
    "  AND case_number <> '' THEN case_number ELSE meeting_id || '#punkt-' || item END,"
    "  meeting_id FROM agenda_item;"
    "DROP TABLE agenda_item;"
    "DELETE FROM agenda_meeting;"
    "ALTER TABLE agenda_meeting ADD COLUMN starts TEXT;"
    "CREATE TABLE agenda_item("
    "  id INTEGER PRIMARY KEY,"
    "  kommunekode INTEGER NOT NULL,"
    "  meeting_id TEXT NOT NULL,"
    "  item TEXT NOT NULL,"
    "  seq INTEGER NOT NULL,"
    "  case_number TEXT,"
    "  case_key TEXT NOT NULL,"
    "  title TEXT,"
    "  url TEXT,"
    "  outcome TEXT CHECK(outcome IN ('proposal', 'skipped', 'flagged')),"
    "  reason TEXT,"
    "  proposal_id INTEGER REFERENCES proposal ON DELETE SET NULL,"
    "  html BLOB," /* last: a row's other columns are read without its overflow pages */
    "  UNIQUE(kommunekode, meeting_id, item),"
    "  FOREIGN KEY(kommunekode, meeting_id) REFERENCES agenda_meeting);"
    "CREATE INDEX agenda_item_case_idx ON agenda_item(kommunekode, case_key);";

/* Version 8: FOLK1A by single year of age, kept whole, so that spending can be compared
 * per person of an area's target group (data/target_groups.csv: 0-5, 6-16, 65+ ...). */
static const char schema_v8[] = "CREATE TABLE population_by_age("
				"  kommunekode INTEGER NOT NULL REFERENCES municipality,"
				"  year INTEGER NOT NULL,"
				"  age INTEGER NOT NULL CHECK(age >= 0),"
				"  inhabitants INTEGER NOT NULL CHECK(inhabitants >= 0),"
				"  source TEXT NOT NULL,"
				"  fetch_id INTEGER REFERENCES fetch_log,"
				"  PRIMARY KEY(kommunekode, year, age)) WITHOUT ROWID;";

/* Version 9: the facts every search needs are kept in blocks of 1.024 proposal ids
 * (facts.h), which a process reads for the matches of its search instead of every
 * proposal's row; the covering index they were read through before goes.  The triggers
 * of an update and a delete note the proposal's facts as pending (a new proposal's are
 * noted by the store, which indexes its text too); the store folds pending facts into
 * the blocks at every commit, and after this migration.  The budget year index goes as
 * well (`stats` counts from the facts); the case index holds agenda cases only; FTS5
 * keeps more terms in memory (below). */
static const char schema_v9[] =
    /* no constraint that can fail: a statement that could abort half way opens a
       statement journal, and FTS5 writes its pending terms out at each one (v6) */
    "CREATE TABLE fact_block("
    "  block INTEGER PRIMARY KEY,"
    "  stamp INTEGER,"
    "  facts BLOB);"
    /* the stamps alone, without the leaf pages the blobs begin on */
    "CREATE INDEX fact_block_stamp_idx ON fact_block(stamp);"
    "CREATE TABLE fact_stamp(n INTEGER);" /* the last stamp given */
    "INSERT INTO fact_stamp VALUES (0);"
    "CREATE TABLE fact_pending("
    "  id INTEGER PRIMARY KEY,"
    "  kommunekode INTEGER," /* NULL: the proposal was deleted */
    "  budget_year INTEGER, area TEXT, kind TEXT, adopted INTEGER, effect_kr REAL);"
    "CREATE TABLE fact_label("
    "  field INTEGER NOT NULL," /* 0 area, 1 kind */
    "  code INTEGER NOT NULL,"
    "  text TEXT,"
    "  PRIMARY KEY(field, code)) WITHOUT ROWID;"
    "DROP TRIGGER proposal_ad;"
    "DROP TRIGGER proposal_au;"
    "CREATE TRIGGER proposal_ad AFTER DELETE ON proposal BEGIN"
    FTS_DELETE_OLD
    "  INSERT OR REPLACE INTO fact_pending(id) VALUES (old.id);"
    "END;"
    "CREATE TRIGGER proposal_au AFTER UPDATE ON proposal BEGIN"
    FTS_DELETE_OLD
    FTS_INSERT_NEW
    "  INSERT OR REPLACE INTO fact_pending(id) SELECT old.id WHERE old.id <> new.id;"
    "  INSERT OR REPLACE INTO fact_pending VALUES (new.id, new.kommunekode, new.budget_year,"
    "  new.area, new.kind, new.adopted, new.effect_kr);"
    "END;"
    "INSERT INTO fact_pending SELECT id, kommunekode, budget_year, area, kind, adopted,"
    "  effect_kr FROM proposal;"
    "DROP INDEX proposal_facts_idx;"
    "DROP INDEX proposal_year_idx;"
    /* only agenda cases have a case key: a document's proposal is not in this index */
    "DROP INDEX proposal_case_idx;"
    "CREATE INDEX proposal_case_idx ON proposal(kommunekode, case_key)"
    "  WHERE case_key IS NOT NULL;"
    /* FTS5 keeps up to 64 MiB of a writer's terms in memory before it writes them out
       as a segment (1 MiB by default): an import writes fewer, larger segments and
       merges them less often */
    "INSERT INTO proposal_fts(proposal_fts, rank) VALUES('hashsize', 67108864);";

static const char *const migrations[] = {
    NULL, /* version 0: empty database */
    schema_v1,
    schema_v2,
    schema_v3,
    schema_v4,
    schema_v5,
    schema_v6,
    schema_v7,
    schema_v8,
    schema_v9,
};

int ib_schema_register(sqlite3 *db, ib_error *err)
{
	if (ib_tokenizer_register(db) != SQLITE_OK)
		return ib_error_set(err, IB_EDB, "cannot register the Danish tokenizer: %s",
				    sqlite3_errmsg(db));
	if (ib_rank_register(db) != SQLITE_OK)
		return ib_error_set(err, IB_EDB, "cannot register the ranking functions: %s",
				    sqlite3_errmsg(db));
	return IB_OK;
}

/* Whether the index was built with the word list this process splits compounds with
 * (see ib_da_wordlist_fingerprint): *same = 1 when it was.  fp receives this process's
 * fingerprint. */
static int wordlist_same(sqlite3 *db, char *fp, size_t n, int *same, ib_error *err)
{
	ib_da_wordlist_fingerprint(fp, n);
	sqlite3_stmt *st = NULL;
	*same = 0;
	if (sqlite3_prepare_v2(db, "SELECT value = ?1 FROM meta WHERE key = 'fts_wordlist'", -1,
			       &st, NULL) != SQLITE_OK)
		return ib_error_set(err, IB_EDB, "cannot read the index settings: %s",
				    sqlite3_errmsg(db));
	sqlite3_bind_text(st, 1, fp, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*same = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ib_error_set(err, IB_EDB, "cannot read the index settings: %s",
				    sqlite3_errmsg(db));
	return IB_OK;
}

/* Rebuild the full-text index from the proposal table row by row (FTS5's 'rebuild' in
 * steps), so that a rebuild of a large bank can report its progress. */
static int fts_rebuild(sqlite3 *db)
{
	sqlite3_stmt *count = NULL, *rows = NULL, *ins = NULL;
	size_t total = 0, done = 0;
	int rc = sqlite3_exec(db, "INSERT INTO proposal_fts(proposal_fts) VALUES ('delete-all')",
			      NULL, NULL, NULL);
	if (rc == SQLITE_OK &&
	    (rc = sqlite3_prepare_v2(db, "SELECT count(*) FROM proposal", -1, &count, NULL)) ==
		SQLITE_OK &&
	    sqlite3_step(count) == SQLITE_ROW)
		total = (size_t)sqlite3_column_int64(count, 0);
	sqlite3_finalize(count);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db,
					"SELECT id, title, summary, text FROM proposal ORDER BY id",
					-1, &rows, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db,
					"INSERT INTO proposal_fts(rowid, title, summary, text)"
					" VALUES (?1, ?2, ?3, ?4)",
					-1, &ins, NULL);
	while (rc == SQLITE_OK && sqlite3_step(rows) == SQLITE_ROW) {
		for (int i = 0; i < 4; i++)
			sqlite3_bind_value(ins, i + 1, sqlite3_column_value(rows, i));
		if (sqlite3_step(ins) != SQLITE_DONE)
			rc = SQLITE_ERROR;
		sqlite3_reset(ins);
		ib_progress("search index", ++done, total);
	}
	sqlite3_finalize(rows);
	sqlite3_finalize(ins);
	if (rc == SQLITE_OK && done < total)
		rc = SQLITE_ERROR; /* the row loop stopped on an error */
	return rc;
}

/* Record fp as the word list the index was built with (inside the caller's
 * transaction). */
static int write_wordlist(sqlite3 *db, const char *fp)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO meta VALUES ('fts_wordlist', ?1)",
				    -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, fp, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
	}
	sqlite3_finalize(st);
	return rc;
}

/* The index must have been built with the word list this process splits compounds
 * with; otherwise rebuild it. */
static int sync_wordlist(sqlite3 *db, ib_error *err)
{
	char fp[1024];
	int same = 0;
	if (wordlist_same(db, fp, sizeof fp, &same, err))
		return IB_EDB;
	if (same)
		return IB_OK;
	char *msg = NULL;
	int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, &msg);
	if (rc == SQLITE_OK)
		rc = fts_rebuild(db);
	if (rc == SQLITE_OK)
		rc = ib_facts_rebuild(db); /* every length in tokens may have changed */
	if (rc == SQLITE_OK)
		rc = write_wordlist(db, fp);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "COMMIT", NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		ib_error_set(err, IB_EDB, "cannot rebuild the search index: %s",
			     msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return IB_EDB;
	}
	return IB_OK;
}

/* Fold the facts a migration (or a writer outside this program) left pending into
 * their blocks, in a transaction of its own. */
static int fold_pending(sqlite3 *db, ib_error *err)
{
	sqlite3_stmt *st = NULL;
	int pending = 0;
	if (sqlite3_prepare_v2(db, "SELECT 1 FROM fact_pending LIMIT 1", -1, &st, NULL) ==
	    SQLITE_OK)
		pending = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	if (!pending)
		return IB_OK;
	int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = ib_facts_fold(db);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		ib_error_set(err, IB_EDB, "cannot store the search facts: %s", sqlite3_errmsg(db));
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return IB_EDB;
	}
	return IB_OK;
}

/* The schema version of db into *version, refusing a database newer than this
 * program and a version 0 one that has tables (someone else's database).  *empty = 1
 * for a version 0 database without tables. */
static int schema_version(sqlite3 *db, int *version, int *empty, ib_error *err)
{
	sqlite3_stmt *st = NULL;
	*version = 0;
	*empty = 0;
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return ib_error_set(err, IB_EDB, "cannot read schema version: %s",
				    sqlite3_errmsg(db));
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return ib_error_set(err, IB_EDB, "cannot read schema version: %s",
				    sqlite3_errmsg(db));
	if (*version > IB_SCHEMA_VERSION)
		return ib_error_set(err, IB_ESCHEMA,
				    "database schema version %d is newer than this program's (%d)",
				    *version, IB_SCHEMA_VERSION);
	if (*version == 0) {
		/* an empty file only: refuse to add our tables to someone else's database */
		int tables = 0;
		if (sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_schema", -1, &st, NULL) ==
			SQLITE_OK &&
		    sqlite3_step(st) == SQLITE_ROW)
			tables = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
		if (tables > 0)
			return ib_error_set(err, IB_ESCHEMA, "not an ideabank database");
		*empty = 1;
	}
	return IB_OK;
}

int ib_schema_check(sqlite3 *db, int *wordlist_changed, ib_error *err)
{
	int version, empty;
	*wordlist_changed = 0;
	int rc = schema_version(db, &version, &empty, err);
	if (rc)
		return rc;
	if (empty)
		return ib_error_set(err, IB_ESCHEMA,
				    "database is empty; an import or fetch creates its tables");
	if (version < IB_SCHEMA_VERSION)
		return ib_error_set(err, IB_ESCHEMA,
				    "database schema version %d is older than this program's (%d);"
				    " an import or fetch upgrades it",
				    version, IB_SCHEMA_VERSION);
	char fp[1024];
	int same = 0;
	if (wordlist_same(db, fp, sizeof fp, &same, err))
		return IB_EDB;
	*wordlist_changed = !same;
	return IB_OK;
}

int ib_schema_migrate(sqlite3 *db, ib_error *err)
{
	int version, empty;
	int rc = schema_version(db, &version, &empty, err);
	if (rc)
		return rc;
	/* a migration may rebuild a table: dropping the old one must not cascade */
	if (version < IB_SCHEMA_VERSION)
		sqlite3_exec(db, "PRAGMA foreign_keys=OFF", NULL, NULL, NULL);
	while (version < IB_SCHEMA_VERSION) {
		int next = version + 1;
		char *msg = NULL;
		char pragma[64];
		snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d;", next);
		if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, &msg) != SQLITE_OK ||
		    sqlite3_exec(db, migrations[next], NULL, NULL, &msg) != SQLITE_OK ||
		    sqlite3_exec(db, pragma, NULL, NULL, &msg) != SQLITE_OK ||
		    sqlite3_exec(db, "COMMIT", NULL, NULL, &msg) != SQLITE_OK) {
			ib_error_set(err, IB_EDB, "cannot migrate database to version %d: %s", next,
				     msg ? msg : sqlite3_errmsg(db));
			sqlite3_free(msg);
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			sqlite3_exec(db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
			return IB_EDB;
		}
		version = next;
	}
	sqlite3_exec(db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
	rc = fold_pending(db, err);
	return rc ? rc : sync_wordlist(db, err);
}

int ib_schema_state(sqlite3 *db, int *version, int *empty, ib_error *err)
{
	return schema_version(db, version, empty, err);
}

int ib_schema_create(sqlite3 *db, ib_error *err)
{
	int version, empty;
	int rc = schema_version(db, &version, &empty, err);
	if (rc)
		return rc;
	if (!empty)
		return ib_error_set(err, IB_ESCHEMA, "database is not empty");
	char *msg = NULL;
	char fp[1024], pragma[64];
	for (int v = 1; v <= IB_SCHEMA_VERSION; v++)
		if (sqlite3_exec(db, migrations[v], NULL, NULL, &msg) != SQLITE_OK) {
			ib_error_set(err, IB_EDB, "cannot create tables (version %d): %s", v,
				     msg ? msg : sqlite3_errmsg(db));
			sqlite3_free(msg);
			return IB_EDB;
		}
	snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d", IB_SCHEMA_VERSION);
	ib_da_wordlist_fingerprint(fp, sizeof fp);
	if (sqlite3_exec(db, pragma, NULL, NULL, &msg) != SQLITE_OK ||
	    write_wordlist(db, fp) != SQLITE_OK) {
		ib_error_set(err, IB_EDB, "cannot create tables: %s",
			     msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return IB_EDB;
	}
	return IB_OK;
}
