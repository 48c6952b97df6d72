/* check_store.c - the SQLite store: schema, ingest, upserts, look-ups, all-or-nothing
 * imports.  Every test ends with the integrity and FTS5 integrity checks. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ideabank.h"
#include "faultvfs.h"
#include "ideabank/buf.h"
#include "store_int.h"
#include "testutil.h"

#define MINI(f) tu_fixture("mini/" f)

static void check_integrity(ib_store *s)
{
	ib_error err = {0};
	ck_assert_msg(ib_store_check(s, &err) == IB_OK, "%s", err.msg);
}

static ib_store *mini_store(void)
{
	return tu_store_with("mini.db", MINI("kommuner.csv"), MINI("folketal.csv"),
			     MINI("spending.csv"), MINI("proposals.jsonl"), NULL);
}

START_TEST(schema_version)
{
	ib_store *s = tu_store_with("v.db", NULL);
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL),
			 SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_int(st, 0), IB_SCHEMA_VERSION);
	sqlite3_finalize(st);
	/* a database from the future is refused, not guessed at */
	ck_assert_int_eq(sqlite3_exec(s->db, "PRAGMA user_version=999", NULL, NULL, NULL),
			 SQLITE_OK);
	char path[512];
	snprintf(path, sizeof path, "%s", s->path);
	ib_store_close(s);
	ib_error err = {0};
	ck_assert_int_eq(ib_store_open(path, &s, &err), IB_ESCHEMA);
	ck_assert_ptr_null(s);
	char want[700];
	snprintf(want, sizeof want,
		 "database '%s': database schema version 999 is newer than this program's (%d)",
		 path, IB_SCHEMA_VERSION);
	ck_assert_str_eq(err.msg, want);
}
END_TEST

START_TEST(foreign_database_refused)
{
	const char *path = tu_tmp_path("foreign.db");
	sqlite3 *db;
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	ib_store *s = NULL;
	ib_error err = {0};
	ck_assert_int_eq(ib_store_open(path, &s, &err), IB_ESCHEMA);
	ck_assert_ptr_nonnull(strstr(err.msg, "not an ideabank database"));
}
END_TEST

START_TEST(import_counts)
{
	ib_store *s = tu_store_with("c.db", NULL);
	const char *files[] = {MINI("proposals.jsonl"), MINI("kommuner.csv"), MINI("folketal.csv"),
			       MINI("spending.csv")};
	/* the feed comes first on the command line; municipalities are still stored first */
	static char paths[4][512];
	for (int i = 0; i < 4; i++)
		snprintf(paths[i], sizeof paths[i], "%s", files[i]);
	const char *p[4] = {paths[0], paths[1], paths[2], paths[3]};
	ib_import_report rep;
	ib_error err = {0};
	ck_assert_int_eq(ib_import_files(s, p, 4, &rep, &err), IB_OK);
	ck_assert_int_eq(rep.municipalities, 3);
	ck_assert_int_eq(rep.population, 5);
	ck_assert_int_eq(rep.spending, 2);
	ck_assert_int_eq(rep.proposals_new, 5);
	ck_assert_int_eq(tu_count(s, "proposal_year"), 4);
	ck_assert_int_eq(tu_count(s, "proposal_flag"), 1);
	ck_assert_int_eq(tu_count(s, "followup"), 1);
	/* the same feed again changes nothing */
	ck_assert_int_eq(ib_import_files(s, p, 1, &rep, &err), IB_OK);
	ck_assert_int_eq(rep.proposals_new, 0);
	ck_assert_int_eq(rep.proposals_unchanged, 5);
	ck_assert_int_eq(tu_count(s, "proposal"), 5);
	check_integrity(s);
	ib_store_close(s);
}
END_TEST

START_TEST(import_bad_line_changes_nothing)
{
	ib_store *s = mini_store();
	long before = tu_count(s, "proposal"), years = tu_count(s, "proposal_year");
	const char *bad = tu_write_file(
	    "feed.jsonl", "{\"kommunekode\":\"329\",\"budget_year\":2022,\"title\":\"Ny idé\","
			  "\"source\":\"x\"}\n"
			  "{\"kommunekode\":\"329\",\"budget_year\":\"20x1\",\"title\":\"t\","
			  "\"source\":\"x\"}\n");
	ib_error err = {0};
	ib_import_report rep;
	ck_assert_int_eq(ib_import_files(s, &bad, 1, &rep, &err), IB_EPARSE);
	ck_assert_str_eq(err.msg, "feed.jsonl:2: budget_year: expected a year, got \"20x1\"");
	ck_assert_int_eq(tu_count(s, "proposal"), before);
	ck_assert_int_eq(tu_count(s, "proposal_year"), years);
	ck_assert_int_eq(rep.proposals_new, 0);
	check_integrity(s);
	ib_store_close(s);
}
END_TEST

START_TEST(import_unknown_municipality_rolls_back)
{
	ib_store *s = mini_store();
	/* the first proposal is fine, the second names a municipality not in the registry */
	const char *bad = tu_write_file(
	    "f2.jsonl", "{\"kommunekode\":\"329\",\"budget_year\":2022,\"title\":\"Ny idé\","
			"\"source\":\"x\"}\n"
			"{\"kommunekode\":\"999\",\"budget_year\":2022,\"title\":\"t\","
			"\"source\":\"x\"}\n");
	ib_error err = {0};
	ck_assert_int_eq(ib_import_files(s, &bad, 1, NULL, &err), IB_ENOTFOUND);
	ck_assert_str_eq(err.msg, "proposal 't': unknown kommunekode 999 (import the municipality "
				  "registry first)");
	ck_assert_int_eq(tu_count(s, "proposal"), 5);
	check_integrity(s);
	ib_store_close(s);
}
END_TEST

static size_t progress_calls, progress_last_done, progress_total;
static void count_progress(void *ctx, const char *what, size_t done, size_t total)
{
	(void)ctx;
	ck_assert_str_eq(what, "search index");
	progress_calls++;
	progress_last_done = done;
	progress_total = total;
}

/* An index built with another word list is rebuilt, row by row with progress, by the
 * next writer: every proposal is indexed again and FTS5's integrity check holds. */
START_TEST(index_rebuild_reports_progress)
{
	ib_store *s = mini_store();
	char path[512];
	snprintf(path, sizeof path, "%s", s->path);
	ck_assert_int_eq(sqlite3_exec(s->db, "UPDATE meta SET value = 'another list'"
					     " WHERE key = 'fts_wordlist'",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	ib_store_close(s);
	ib_set_progress(count_progress, NULL);
	ib_error err = {0};
	ck_assert_msg(ib_store_open(path, &s, &err) == IB_OK, "%s", err.msg);
	ib_set_progress(NULL, NULL);
	ck_assert_uint_eq(progress_calls, 5);
	ck_assert_uint_eq(progress_last_done, 5);
	ck_assert_uint_eq(progress_total, 5);
	ck_assert_str_eq(tu_text(s, "SELECT value != 'another list' FROM meta"
				    " WHERE key = 'fts_wordlist'"),
			 "1");
	ib_search_opts q = {.query = "hjemmeplejen"};
	ib_result *r = NULL;
	ck_assert_int_eq(ib_search(s, &q, &r, &err), IB_OK);
	ck_assert_uint_eq(r->total, 2);
	ib_result_free(r);
	check_integrity(s);
	ib_store_close(s);
}
END_TEST

START_TEST(reference_data_built_in)
{
	ib_store *s = tu_store_with("ref.db", NULL);
	ib_error err = {0};
	ib_import_report rep;
	ck_assert_int_eq(ib_import_reference(s, &rep, &err), IB_OK);
	/* wc -l data/kommuner.csv data/folketal.csv data/regk31_*.csv, less the headers */
	ck_assert_int_eq(rep.municipalities, 98);
	ck_assert_int_eq(rep.population, 1862);
	ck_assert_int_eq(rep.spending, 21462);
	ck_assert_int_eq(tu_count(s, "municipality"), 98);
	ck_assert_str_eq(tu_text(s, "SELECT source FROM population WHERE kommunekode = 329"
				    " AND year = 2021"),
			 "Danmarks Statistik, FOLK1A 2021K1");
	ck_assert_str_eq(tu_text(s, "SELECT inhabitants FROM population WHERE kommunekode = 253"
				    " AND year = 2024"),
			 "52157");
	ib_import_report_free(&rep);
	check_integrity(s);
	ib_store_close(s);
}
END_TEST

START_TEST(import_texts_all_or_nothing)
{
	ib_store *s = mini_store();
	const char *pop = "kommunekode;aar;folketal;kilde\n329;2030;35000;x\n";
	const char *bad = "kommunekode;aar;folketal;kilde\n329;2031;many;x\n";
	ib_import_text t[] = {{"a.csv", pop, strlen(pop)}, {"b.csv", bad, strlen(bad)}};
	ib_error err = {0};
	long before = tu_count(s, "population");
	ck_assert_int_eq(ib_import_texts(s, t, 2, NULL, &err), IB_EPARSE);
	ck_assert_str_eq(err.msg, "b.csv:2: folketal: expected a positive count, got \"many\"");
	ck_assert_int_eq(tu_count(s, "population"), before);
	ck_assert_int_eq(ib_import_texts(s, t, 1, NULL, &err), IB_OK);
	ck_assert_int_eq(tu_count(s, "population"), before + 1);
	check_integrity(s);
	ib_store_close(s);
}
END_TEST

START_TEST(import_bad_reference_file)
{
	ib_store *s = mini_store();
	const char *bad = tu_write_file("pop.csv", "kommunekode;aar;folketal;kilde\n"
						   "329;2022;35906;x\n"
						   "329;2023;mange;x\n");
	ib_error err = {0};
	ck_assert_int_eq(ib_import_files(s, &bad, 1, NULL, &err), IB_EPARSE);
	char want[700];
	snprintf(want, sizeof want, "%s:3: folketal: expected a positive count, got \"mange\"",
		 bad);
	ck_assert_str_eq(err.msg, want);
	/* 35.906 is not accepted either: reference counts are plain digits */
	const char *bad2 = tu_write_file("pop2.csv", "kommunekode;aar;folketal;kilde\n"
						     "329;2022;35.906;x\n");
	ck_assert_int_eq(ib_import_files(s, &bad2, 1, NULL, &err), IB_EPARSE);
	snprintf(want, sizeof want, "%s:2: folketal: expected a positive count, got \"35.906\"",
		 bad2);
	ck_assert_str_eq(err.msg, want);
	ck_assert_int_eq(tu_count(s, "population"), 5);
	const char *xml = tu_write_file("notes.xml", "<hello/>");
	ck_assert_int_eq(ib_import_files(s, &xml, 1, NULL, &err), IB_EARG);
	snprintf(want, sizeof want,
		 "%s: unsupported file type (expected .jsonl, .csv, .pdf or .txt)", xml);
	ck_assert_str_eq(err.msg, want);
	/* a text document in no known template: nothing is stored */
	const char *txt = tu_write_file("notes.txt", "hello\n");
	ck_assert_int_eq(ib_import_files(s, &txt, 1, NULL, &err), IB_EPARSE);
	ck_assert_str_eq(err.msg,
			 "notes.txt: no proposal of a known layout and no table of yearly amounts; "
			 "nothing imported");
	ck_assert_int_eq(tu_count(s, "proposal"), 5);
	ib_store_close(s);
}
END_TEST

START_TEST(proposal_round_trip_and_update)
{
	ib_store *s = mini_store();
	ib_proposal *p = NULL;
	ib_error err = {0};
	ck_assert_int_eq(ib_store_get_proposal(s, 1, &p, &err), IB_OK);
	ck_assert_str_eq(p->title, "Anvendelse af medicindispenseringsrobotter");
	ck_assert_str_eq(p->area, "Ældre og sundhed");
	ck_assert_int_eq(p->full_year, 2024);
	ck_assert_double_eq(p->effect_kr, 150000);
	ck_assert_uint_eq(p->n_years, 2);
	ck_assert_double_eq(p->years[1].expenses, -1150);
	ck_assert_int_eq(p->years[1].line, 1040);
	ck_assert_uint_eq(strlen(p->content_hash), 64);
	char old_hash[65];
	snprintf(old_hash, sizeof old_hash, "%s", p->content_hash);

	/* same key, new content: updated in place, id kept, children replaced */
	ck_assert_int_eq(ib_strset(&p->summary, "Ny tekst"), IB_OK);
	p->n_years = 1;
	int result = 0;
	ck_assert_int_eq(ib_store_begin(s, &err), IB_OK);
	ck_assert_int_eq(ib_store_put_proposal(s, p, &result, &err), IB_OK);
	ck_assert_int_eq(ib_store_commit(s, &err), IB_OK);
	ck_assert_int_eq(result, IB_PUT_UPDATED);
	ck_assert_int_eq(p->id, 1);
	ck_assert_str_ne(p->content_hash, old_hash);
	ib_proposal_free(p);
	ck_assert_int_eq(ib_store_get_proposal(s, 1, &p, &err), IB_OK);
	ck_assert_str_eq(p->summary, "Ny tekst");
	ck_assert_uint_eq(p->n_years, 1);
	ib_proposal_free(p);

	ck_assert_int_eq(ib_store_get_proposal(s, 4, &p, &err), IB_OK);
	ck_assert_ptr_nonnull(p->followup);
	ck_assert_str_eq(p->followup->status, "grøn");
	ck_assert_int_eq(p->followup->compensating, 0);
	ck_assert_double_eq(p->followup->effect_full_kr, -10100000);
	ck_assert_int_eq(p->adopted, IB_ADOPTED_NO);
	ib_proposal_free(p);
	ck_assert_int_eq(ib_store_get_proposal(s, 3, &p, &err), IB_OK);
	ck_assert_uint_eq(p->n_flags, 1);
	ck_assert_str_eq(p->flags[0].code, "net_mismatch");
	ib_proposal_free(p);

	ck_assert_int_eq(ib_store_get_proposal(s, 77, &p, &err), IB_ENOTFOUND);
	ck_assert_str_eq(err.msg, "no proposal with id 77");
	ck_assert_int_eq(tu_count(s, "proposal"), 5);
	check_integrity(s);
	ib_store_close(s);
}
END_TEST

START_TEST(find_municipality)
{
	ib_store *s = mini_store();
	ib_municipality m;
	ib_error err = {0};
	ck_assert_int_eq(ib_store_find_municipality(s, "329", &m, &err), IB_OK);
	ck_assert_str_eq(m.name, "Ringsted");
	ck_assert_int_eq(m.group_code, 4);
	ck_assert_int_eq(ib_store_find_municipality(s, "koebenhavns kommune", &m, &err),
			 IB_ENOTFOUND);
	ck_assert_int_eq(ib_store_find_municipality(s, "Koebenhavn Kommune", &m, &err), IB_OK);
	ck_assert_int_eq(m.code, 101);
	ck_assert_int_eq(ib_store_find_municipality(s, "ODENSE", &m, &err), IB_OK);
	ck_assert_int_eq(ib_store_find_municipality(s, "Ringstd", &m, &err), IB_ENOTFOUND);
	ck_assert_str_eq(err.msg, "unknown municipality 'Ringstd'; did you mean Ringsted, Odense "
				  "or København?");
	ck_assert_int_eq(ib_store_find_municipality(s, "999", &m, &err), IB_ENOTFOUND);
	ck_assert_str_eq(err.msg, "unknown municipality code '999'");
	ib_store_close(s);
}
END_TEST

START_TEST(population_fallback)
{
	ib_store *s = mini_store();
	long n = 0;
	int year = 0;
	char *src = NULL;
	ib_error err = {0};
	ck_assert_int_eq(ib_store_population(s, 329, 2021, &n, &year, &src, &err), IB_OK);
	ck_assert_int_eq(n, 34847);
	ck_assert_int_eq(year, 2021);
	ck_assert_str_eq(src, "Danmarks Statistik, FOLK1A 2021K1");
	free(src);
	/* a later year falls back to the nearest earlier one */
	ck_assert_int_eq(ib_store_population(s, 329, 2024, &n, &year, NULL, &err), IB_OK);
	ck_assert_int_eq(year, 2021);
	/* before the first figure: the nearest later one */
	ck_assert_int_eq(ib_store_population(s, 329, 2010, &n, &year, NULL, &err), IB_OK);
	ck_assert_int_eq(year, 2020);
	ck_assert_int_eq(n, 34500);
	ck_assert_int_eq(ib_store_population(s, 999, 2010, &n, &year, NULL, &err), IB_ENOTFOUND);
	ck_assert_str_eq(err.msg, "no population figure for kommunekode 999");
	ib_store_close(s);
}
END_TEST

START_TEST(stats)
{
	ib_store *s = mini_store();
	ib_stats *st = NULL;
	ib_error err = {0};
	ck_assert_int_eq(ib_store_stats(s, &st, &err), IB_OK);
	ck_assert_int_eq(st->n_proposals, 5);
	ck_assert_int_eq(st->n_municipalities, 3);
	ck_assert_uint_eq(st->n_by_municipality, 3);
	ck_assert_str_eq(st->by_municipality[0].label, "København");
	ck_assert_int_eq(st->by_municipality[0].n, 2);
	ck_assert_uint_eq(st->n_by_year, 4);
	ck_assert_str_eq(st->by_year[0].label, "2016");
	ck_assert_str_eq(st->by_area[0].label, "Ældre og sundhed");
	ck_assert_int_eq(st->by_area[0].n, 3);
	ib_stats_free(st);
	ib_store_close(s);
}
END_TEST

START_TEST(readonly_missing_file)
{
	char path[512];
	snprintf(path, sizeof path, "%s/x.db", tu_tmp_path("nodir"));
	ib_store *s = NULL;
	ib_error err = {0};
	ck_assert_int_eq(ib_store_open_readonly(path, &s, &err), IB_EIO);
	ck_assert_ptr_null(s);
	char want[700];
	snprintf(want, sizeof want, "no database at '%s' (an import or fetch creates one)", path);
	ck_assert_str_eq(err.msg, want);
	/* nothing was created: neither the file nor its folder */
	struct stat sb;
	ck_assert_int_ne(stat(tu_tmp_path("nodir"), &sb), 0);
}
END_TEST

START_TEST(readonly_older_schema)
{
	ib_store *s = tu_store_with("old.db", NULL);
	char path[512];
	snprintf(path, sizeof path, "%s", s->path);
	ck_assert_int_eq(sqlite3_exec(s->db, "PRAGMA user_version=2", NULL, NULL, NULL),
			 SQLITE_OK);
	ib_store_close(s);
	ib_error err = {0};
	ck_assert_int_eq(ib_store_open_readonly(path, &s, &err), IB_ESCHEMA);
	ck_assert_ptr_null(s);
	char want[700];
	snprintf(want, sizeof want,
		 "database '%s': database schema version 2 is older than this program's (%d);"
		 " an import or fetch upgrades it",
		 path, IB_SCHEMA_VERSION);
	ck_assert_str_eq(err.msg, want);
	/* the read-only open left the version alone */
	sqlite3 *db;
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_int(st, 0), 2);
	sqlite3_finalize(st);
	sqlite3_close(db);
	/* an empty file is no database of ours yet either */
	const char *empty = tu_write_file("empty.db", "");
	ck_assert_int_eq(ib_store_open_readonly(empty, &s, &err), IB_ESCHEMA);
	snprintf(want, sizeof want,
		 "database '%s': database is empty; an import or fetch creates its tables", empty);
	ck_assert_str_eq(err.msg, want);
}
END_TEST

/* WAL: a reader sees the last commit while a writer is inside its transaction, and a
 * second writer waits, then fails with a clear message. */
/* Version 6: a bank of version 5 loses its AFTER INSERT trigger; the store indexes a
 * new proposal itself, exactly once (the FTS5 integrity check compares the index with
 * the proposal table), its stored proposals are found as before and put again are
 * unchanged. */
START_TEST(migrates_v5_insert_trigger)
{
	ib_store *s = mini_store();
	char path[512];
	snprintf(path, sizeof path, "%s", s->path);
	/* the bank as version 5 left it */
	ck_assert_int_eq(
	    sqlite3_exec(s->db,
			 "CREATE TRIGGER proposal_ai AFTER INSERT ON proposal BEGIN"
			 "  INSERT INTO proposal_fts(rowid, title, summary, text)"
			 "  VALUES (new.id, new.title, new.summary, new.text);"
			 "END; ALTER TABLE agenda_meeting DROP COLUMN starts; DROP TABLE population_by_age;"
			 " DROP TABLE agenda_legacy;"
			 " PRAGMA user_version=5",
			 NULL, NULL, NULL),
	    SQLITE_OK);
	ib_store_close(s);
	ib_error err = {0};
	ck_assert_msg(ib_store_open(path, &s, &err) == IB_OK, "%s", err.msg);
	ck_assert_int_eq(atoi(tu_text(s, "PRAGMA user_version")), IB_SCHEMA_VERSION);
	ck_assert_str_eq(tu_text(s, "SELECT group_concat(name, ' ') FROM (SELECT name FROM"
				    " sqlite_schema WHERE type = 'trigger' ORDER BY name)"),
			 "proposal_ad proposal_au");
	ib_search_opts q = {.query = "hjemmeplejen"};
	ib_result *r = NULL;
	ck_assert_msg(ib_search(s, &q, &r, &err) == IB_OK, "%s", err.msg);
	ck_assert_uint_eq(r->total, 2);
	ib_result_free(r);
	for (int64_t id = 1; id <= 5; id++) {
		ib_proposal *p = NULL;
		int result = 0;
		ck_assert_int_eq(ib_store_get_proposal(s, id, &p, &err), IB_OK);
		ck_assert_int_eq(ib_store_put_proposal(s, p, &result, &err), IB_OK);
		ck_assert_int_eq(result, IB_PUT_UNCHANGED);
		ib_proposal_free(p);
	}
	ib_proposal *p = ib_proposal_new();
	p->kommunekode = 329;
	p->budget_year = 2022;
	p->title = strdup("Fælles vikarkorps");
	p->text = strdup("Vikarkorpset dækker dagtilbuddene.");
	p->source = strdup("test");
	int result = 0;
	ck_assert_int_eq(ib_store_put_proposal(s, p, &result, &err), IB_OK);
	ck_assert_int_eq(result, IB_PUT_NEW);
	ck_assert_int_eq(p->id, 6);
	ib_proposal_free(p);
	q.query = "vikarkorps";
	ck_assert_msg(ib_search(s, &q, &r, &err) == IB_OK, "%s", err.msg);
	ck_assert_uint_eq(r->total, 1);
	ck_assert_int_eq(r->hits[0].id, 6);
	ib_result_free(r);
	check_integrity(s);
	ib_store_close(s);
}
END_TEST

START_TEST(readers_not_blocked_by_writer)
{
	ib_store *w = mini_store();
	char path[512];
	snprintf(path, sizeof path, "%s", w->path);
	ck_assert_str_eq(tu_text(w, "PRAGMA journal_mode"), "wal");
	ib_error err = {0};
	ck_assert_int_eq(ib_store_begin(w, &err), IB_OK);
	ck_assert_int_eq(sqlite3_exec(w->db, "DELETE FROM basket; UPDATE proposal SET"
					     " title = title || ' (ny)'",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	ib_store *r = NULL;
	ck_assert_msg(ib_store_open_readonly(path, &r, &err) == IB_OK, "%s", err.msg);
	ck_assert_int_eq(ib_store_wordlist_changed(r), 0);
	ck_assert_int_eq(tu_count(r, "proposal"), 5);
	ck_assert_str_eq(tu_text(r, "SELECT count(*) FROM proposal WHERE title LIKE '%(ny)'"),
			 "0");
	ib_result *res = NULL;
	ib_search_opts q = {0};
	q.query = "robot";
	ck_assert_msg(ib_search(r, &q, &res, &err) == IB_OK, "%s", err.msg);
	ib_result_free(res);
	/* a read-only store refuses to write */
	ck_assert_int_eq(ib_store_begin(r, &err), IB_EARG);
	char want[700];
	snprintf(want, sizeof want, "database '%s' was opened read-only", path);
	ck_assert_str_eq(err.msg, want);

	ib_store *w2 = NULL;
	ck_assert_msg(ib_store_open(path, &w2, &err) == IB_OK, "%s", err.msg);
	ib_store_set_wait(w2, 1000);
	ck_assert_int_eq(ib_store_begin(w2, &err), IB_EDB);
	snprintf(want, sizeof want,
		 "database '%s' is busy: another import or fetch held it for 1 s", path);
	ck_assert_str_eq(err.msg, want);
	ib_store_close(w2);

	ck_assert_int_eq(ib_store_commit(w, &err), IB_OK);
	/* the reader's next statement sees the commit */
	ck_assert_str_eq(tu_text(r, "SELECT count(*) FROM proposal WHERE title LIKE '%(ny)'"),
			 "5");
	check_integrity(w);
	ib_store_close(r);
	ib_store_close(w);
}
END_TEST

/* A disk that fills up during an import: the import fails with SQLite's "disk full",
 * and the database file is byte-identical afterwards, with no WAL or journal left
 * beside it, wherever the disk filled up. */
START_TEST(disk_full_leaves_database_unchanged)
{
	ib_store *s = mini_store();
	char path[512], wal[600], journal[600];
	snprintf(path, sizeof path, "%s", s->path);
	snprintf(wal, sizeof wal, "%s-wal", path);
	snprintf(journal, sizeof journal, "%s-journal", path);
	ib_store_close(s);
	char before[65];
	snprintf(before, sizeof before, "%s", tu_file_sha(path));
	/* 400 proposals of ~4 KB: far more than SQLite's default page cache holds */
	ib_buf feed;
	ib_buf_init(&feed, 0);
	for (int i = 0; i < 400; i++) {
		int rc = ib_buf_addf(&feed,
				     "{\"kommunekode\":\"329\",\"budget_year\":2023,"
				     "\"title\":\"Forslag %d\",\"source\":\"x\",\"text\":\"",
				     i);
		ck_assert_int_eq(rc, IB_OK);
		for (int k = 0; k < 200; k++)
			ck_assert_int_eq(ib_buf_addf(&feed, "ord%d tekst%d ", k, i), IB_OK);
		ck_assert_int_eq(ib_buf_adds(&feed, "\"}\n"), IB_OK);
	}
	const char *file = tu_write_file("big.jsonl", ib_buf_str(&feed));
	ib_buf_free(&feed);
	ck_assert_int_eq(tu_faultvfs_install(), SQLITE_OK);
	/* where the disk fills: at the first page the cache spills to the WAL, a few pages
	 * later, and while the commit writes the rest (the whole import writes ~2,3 MB) */
	static const long long limits[] = {0, 65536, 1800000};
	static const char *const what[] = {"proposal 'Forslag 99': cannot store proposal",
					   "proposal 'Forslag 112': cannot store proposal",
					   "cannot commit"};
	for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) {
		ib_error err = {0};
		ck_assert_msg(ib_store_open(path, &s, &err) == IB_OK, "%s", err.msg);
		/* a writer's cache holds 256 MiB: SQLite's default 2 MiB makes this small
		 * import spill to the WAL as a large one does */
		ck_assert_int_eq(sqlite3_exec(s->db, "PRAGMA cache_size=-500", NULL, NULL, NULL),
				 SQLITE_OK);
		tu_faultvfs_limit(limits[i]);
		ck_assert_int_eq(ib_import_files(s, &file, 1, NULL, &err), IB_EDB);
		ck_assert_msg(tu_faultvfs_refused() > 0, "limit %lld", limits[i]);
		char want[700];
		snprintf(want, sizeof want, "%s: disk full writing '%s'", what[i], path);
		ck_assert_str_eq(err.msg, want);
		ib_store_close(s);
		tu_faultvfs_limit(-1);
		ck_assert_str_eq(tu_file_sha(path), before);
		struct stat sb;
		ck_assert_msg(stat(wal, &sb) != 0, "WAL left after limit %lld", limits[i]);
		ck_assert_msg(stat(journal, &sb) != 0, "journal left after limit %lld", limits[i]);
	}
	tu_faultvfs_uninstall();
	ib_error err = {0};
	ck_assert_int_eq(ib_store_open(path, &s, &err), IB_OK);
	ck_assert_int_eq(tu_count(s, "proposal"), 5);
	check_integrity(s);
	ib_store_close(s);
}
END_TEST

/* ---- a new database is created whole or not at all ---------------------------------- */

static int seed_reference(ib_store *s, void *ctx, ib_error *err)
{
	(void)ctx;
	return ib_import_reference(s, NULL, err);
}

/* A seed that stores the reference data, then fails (as a kill or a bad input would
 * end a first import part-way). */
static int seed_then_fail(ib_store *s, void *ctx, ib_error *err)
{
	(void)ctx;
	int rc = ib_import_reference(s, NULL, err);
	return rc ? rc : ib_error_set(err, IB_EPARSE, "the seed gave up");
}

static int file_exists(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0;
}

/* The companion files of path (-wal, -shm, -journal): 1 when any is there. */
static int companions_exist(const char *path)
{
	static const char *const ext[] = {"-wal", "-shm", "-journal"};
	char z[600];
	for (size_t i = 0; i < 3; i++) {
		snprintf(z, sizeof z, "%s%s", path, ext[i]);
		if (file_exists(z))
			return 1;
	}
	return 0;
}

/* Before: a failed seed left a database with tables and no reference data, for good
 * ("unknown kommunekode 329 (import the municipality registry first)" ever after);
 * an empty file was taken as created and never seeded. */
START_TEST(new_database_whole_or_nothing)
{
	const char *path = tu_tmp_path("new.db");
	ib_store *s = NULL;
	ib_error err = {0};
	ib_store_create fail = {seed_then_fail, NULL, 0};
	ck_assert_int_eq(ib_store_open_ex(path, &fail, &s, &err), IB_EPARSE);
	ck_assert_ptr_null(s);
	char want[700];
	snprintf(want, sizeof want, "database '%s': cannot seed the new database: the seed gave up",
		 path);
	ck_assert_str_eq(err.msg, want);
	/* the file did not exist: nothing is left of it */
	ck_assert_int_eq(file_exists(path), 0);
	ck_assert_int_eq(companions_exist(path), 0);

	/* an empty file (touch, or a creation that never committed) is created in place,
	 * seeded; a failed seed leaves it empty, and the next open creates it whole */
	const char *empty = tu_write_file("empty.db", "");
	ck_assert_int_eq(ib_store_open_ex(empty, &fail, &s, &err), IB_EPARSE);
	ck_assert_int_eq(file_exists(empty), 1);
	ck_assert_int_eq(ib_store_open_readonly(empty, &s, &err), IB_ESCHEMA);
	ck_assert_ptr_nonnull(strstr(err.msg, "database is empty"));
	ib_store_create seed = {seed_reference, NULL, 0};
	ck_assert_msg(ib_store_open_ex(empty, &seed, &s, &err) == IB_OK, "%s", err.msg);
	ck_assert_int_eq(ib_store_created(s), 1);
	ck_assert_int_eq(tu_count(s, "municipality"), 98);
	ck_assert_int_eq(tu_count(s, "spending"), 21462);
	ck_assert_int_eq(atoi(tu_text(s, "PRAGMA user_version")), IB_SCHEMA_VERSION);
	check_integrity(s);
	ib_store_close(s);
	/* opened again: nothing is created or seeded twice */
	ck_assert_msg(ib_store_open_ex(empty, &seed, &s, &err) == IB_OK, "%s", err.msg);
	ck_assert_int_eq(ib_store_created(s), 0);
	ck_assert_int_eq(tu_count(s, "municipality"), 98);
	ib_store_close(s);
}
END_TEST

/* A held creation: the first command's work commits with the database, or nothing
 * stays (before: a failed 'basket add 1' on a new path left a seeded 2,3 MB file). */
START_TEST(new_database_held_until_published)
{
	const char *path = tu_tmp_path("held.db");
	ib_store *s = NULL;
	ib_error err = {0};
	ib_store_create hold = {seed_reference, NULL, 1};
	const char *feed = MINI("proposals.jsonl");
	ck_assert_msg(ib_store_open_ex(path, &hold, &s, &err) == IB_OK, "%s", err.msg);
	ck_assert_int_eq(ib_store_created(s), 1);
	/* a reader sees no database yet */
	ib_store *r = NULL;
	ck_assert_int_eq(ib_store_open_readonly(path, &r, &err), IB_ESCHEMA);
	ck_assert_int_eq(ib_import_files(s, &feed, 1, NULL, &err), IB_OK);
	ib_store_close(s); /* not published: the command failed */
	ck_assert_int_eq(file_exists(path), 0);
	ck_assert_int_eq(companions_exist(path), 0);

	ck_assert_msg(ib_store_open_ex(path, &hold, &s, &err) == IB_OK, "%s", err.msg);
	ck_assert_int_eq(ib_import_files(s, &feed, 1, NULL, &err), IB_OK);
	ck_assert_int_eq(ib_store_publish(s, &err), IB_OK);
	ib_store_close(s);
	ck_assert_msg(ib_store_open_readonly(path, &r, &err) == IB_OK, "%s", err.msg);
	ck_assert_int_eq(tu_count(r, "proposal"), 5);
	ck_assert_int_eq(tu_count(r, "municipality"), 98);
	ib_store_close(r);
}
END_TEST

/* The folder of a new database must exist (before: it was made, /nonexistent/dir
 * and all). */
START_TEST(new_database_folder_must_exist)
{
	char dir[512], path[600];
	snprintf(dir, sizeof dir, "%s/nodir", tu_tmp_path("x"));
	snprintf(path, sizeof path, "%s/x.db", dir);
	ib_store *s = NULL;
	ib_error err = {0};
	ck_assert_int_eq(ib_store_open(path, &s, &err), IB_EIO);
	char want[1400];
	snprintf(want, sizeof want, "cannot create database '%s': folder '%s' does not exist", path,
		 dir);
	ck_assert_str_eq(err.msg, want);
	ck_assert_int_eq(file_exists(dir), 0);
}
END_TEST

/* A full disk while a database is created: "disk full", and no file is left (before:
 * a database with tables and no reference data, refused ever after). */
START_TEST(new_database_disk_full)
{
	ck_assert_int_eq(tu_faultvfs_install(), SQLITE_OK);
	static const long long limits[] = {0, 4096, 65536, 1000000};
	for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) {
		char name[32];
		snprintf(name, sizeof name, "full%zu.db", i);
		const char *path = tu_tmp_path(name);
		ib_store *s = NULL;
		ib_error err = {0};
		ib_store_create seed = {seed_reference, NULL, 0};
		tu_faultvfs_limit(limits[i]);
		ck_assert_int_eq(ib_store_open_ex(path, &seed, &s, &err), IB_EDB);
		ck_assert_ptr_null(s);
		ck_assert_msg(strstr(err.msg, "disk full") != NULL, "limit %lld: %s", limits[i],
			      err.msg);
		tu_faultvfs_limit(-1);
		ck_assert_msg(!file_exists(path), "limit %lld: file left", limits[i]);
		ck_assert_msg(!companions_exist(path), "limit %lld: companion left", limits[i]);
		/* the disk has room again: the database is created whole */
		ck_assert_msg(ib_store_open_ex(path, &seed, &s, &err) == IB_OK, "%s", err.msg);
		ck_assert_int_eq(tu_count(s, "municipality"), 98);
		ib_store_close(s);
	}
	tu_faultvfs_uninstall();
}
END_TEST

/* Two creators at once: the second waits for the first; when the first gives up (its
 * file removed while it held the lock), the second finds its file moved and creates
 * the database anew instead of writing to the removed file (before: 'cannot migrate
 * database to version 1: table municipality already exists'). */
START_TEST(new_database_racing_creators)
{
	const char *path = tu_tmp_path("race.db");
	char p[512];
	snprintf(p, sizeof p, "%s", path);
	ib_store *s = NULL;
	ib_error err = {0};
	ib_store_create hold = {seed_reference, NULL, 1};
	/* fork before any connection is open: a child must not inherit SQLite's state of
	 * the parent's open files */
	int go[2];
	ck_assert_int_eq(pipe(go), 0);
	fflush(NULL);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char byte;
		close(go[1]);
		if (read(go[0], &byte, 1) != 1)
			_exit(2);
		ib_store *c = NULL;
		ib_store_create seed = {seed_reference, NULL, 0};
		const char *feed = MINI("proposals.jsonl");
		int ok = ib_store_open_ex(p, &seed, &c, &err) == IB_OK && ib_store_created(c) &&
			 ib_import_files(c, &feed, 1, NULL, &err) == IB_OK;
		if (!ok)
			fprintf(stderr, "child: %s\n", err.msg);
		ib_store_close(c);
		_exit(ok ? 0 : 1);
	}
	close(go[0]);
	ck_assert_msg(ib_store_open_ex(p, &hold, &s, &err) == IB_OK, "%s", err.msg);
	ck_assert_int_eq(write(go[1], "x", 1), 1);
	close(go[1]);
	usleep(300000);	   /* the child waits for the lock */
	ib_store_close(s); /* the first creator gives up */
	int status = 0;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child failed");
	ck_assert_msg(ib_store_open_readonly(p, &s, &err) == IB_OK, "%s", err.msg);
	ck_assert_int_eq(tu_count(s, "proposal"), 5);
	ck_assert_int_eq(tu_count(s, "municipality"), 98);
	ib_store_close(s);
	ck_assert_msg(ib_store_open(p, &s, &err) == IB_OK, "%s", err.msg);
	check_integrity(s);
	ib_store_close(s);
}
END_TEST

/* ib_store_check (ideabank check) finds a search index that disagrees with the
 * proposals and a row pointing to a missing one, on a read-only connection too (FTS5's
 * integrity-check is an INSERT to SQLite: it runs on a copy in memory there); the
 * sqlite3 shell cannot run it at all ("no such tokenizer: ideabank_da"). */
START_TEST(check_finds_damage_read_only)
{
	ib_store *s = mini_store();
	char path[512];
	snprintf(path, sizeof path, "%s", s->path);
	ib_store_close(s);
	ib_error err = {0};
	ck_assert_msg(ib_store_open_readonly(path, &s, &err) == IB_OK, "%s", err.msg);
	ck_assert_msg(ib_store_check(s, &err) == IB_OK, "%s", err.msg);
	ib_store_close(s);
	/* a title changed behind the index's back */
	ck_assert_msg(ib_store_open(path, &s, &err) == IB_OK, "%s", err.msg);
	ck_assert_int_eq(sqlite3_exec(s->db,
				      "DROP TRIGGER proposal_au;"
				      " UPDATE proposal SET title = 'Helt andet' WHERE id = 1",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	ib_store_close(s);
	ck_assert_msg(ib_store_open_readonly(path, &s, &err) == IB_OK, "%s", err.msg);
	ck_assert_int_eq(ib_store_check(s, &err), IB_EDB);
	ck_assert_str_eq(err.msg, "full-text index integrity check failed: database disk image "
				  "is malformed");
	ib_store_close(s);
	/* the checks left the file as it was */
	char before[65];
	snprintf(before, sizeof before, "%s", tu_file_sha(path));
	ck_assert_msg(ib_store_open_readonly(path, &s, &err) == IB_OK, "%s", err.msg);
	ck_assert_int_eq(ib_store_check(s, &err), IB_EDB);
	ib_store_close(s);
	ck_assert_str_eq(tu_file_sha(path), before);

	s = mini_store();
	ck_assert_int_eq(
	    sqlite3_exec(s->db,
			 "PRAGMA foreign_keys=OFF; INSERT INTO proposal_year(proposal_id,"
			 " year) VALUES (999, 2024)",
			 NULL, NULL, NULL),
	    SQLITE_OK);
	ck_assert_int_eq(ib_store_check(s, &err), IB_EDB);
	ck_assert_str_eq(
	    err.msg, "foreign key check failed: a proposal_year row refers to a missing proposal");
	ib_store_close(s);
}
END_TEST

int main(void)
{
	return tu_run_tests(
	    "store", 0, NULL, NULL,
	    TU_TESTS(schema_version, foreign_database_refused, import_counts,
		     import_bad_line_changes_nothing, import_unknown_municipality_rolls_back,
		     import_bad_reference_file, reference_data_built_in,
		     index_rebuild_reports_progress, import_texts_all_or_nothing,
		     proposal_round_trip_and_update, find_municipality, population_fallback, stats,
		     readonly_missing_file, readonly_older_schema, migrates_v5_insert_trigger,
		     readers_not_blocked_by_writer, disk_full_leaves_database_unchanged,
		     new_database_whole_or_nothing, new_database_held_until_published,
		     new_database_folder_must_exist, new_database_disk_full,
		     new_database_racing_creators, check_finds_damage_read_only));
}
