/* check_fetch.c - the fetcher against a local StatBank look-alike (tests/support/
 * fakeserver.c on 127.0.0.1): FOLK1A and REGK31 in CSV and JSON-stat, request splitting,
 * conditional requests, feeds and documents by URL, and the fault matrix.  After every
 * failed fetch the database file is byte-identical.  Expected figures are Statistics
 * Denmark's (SOURCES.md anchors: Ringsted 36.356 on 1 January 2024, København 667.099
 * on 1 January 2025; REGK31 2024 3.22.01 Ringsted 5.564 kr per inhabitant). */
#include <arpa/inet.h>
#include <check.h>
#include <math.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fakeserver.h"
#include "ideabank.h"
#include "testutil.h"

static fs_server *srv;
static ib_store *s;
static char db_path[1024];

static void setup(void)
{
	srv = fs_start(tu_shared(""));
	ck_assert_msg(srv != NULL, "cannot start the test server (shared data at %s)",
		      tu_shared(""));
	snprintf(db_path, sizeof db_path, "%s", tu_tmp_path("fetch.db"));
	ib_error err = {0};
	ck_assert_int_eq(ib_store_open(db_path, &s, &err), IB_OK);
	const char *ref[] = {"data/kommuner.csv"};
	ck_assert_msg(ib_import_files(s, ref, 1, NULL, &err) == IB_OK, "%s", err.msg);
}

static void teardown(void)
{
	ib_store_close(s);
	fs_stop(srv);
}

/* A config with the test server's StatBank and the given sources (JSON text). */
static const char *config(const char *format, long max_cells, const char *sources)
{
	static char buf[8192];
	snprintf(buf, sizeof buf,
		 "{\"statbank\": {\"url\": \"http://127.0.0.1:%d/v1\", \"format\": \"%s\","
		 " \"max_cells\": %ld}, \"sources\": [%s]}",
		 fs_port(srv), format, max_cells, sources);
	return buf;
}

#define FOLK1A_2024_2025                                                                           \
	"{\"name\": \"folketal\", \"statbank\": \"FOLK1A\", \"use\": \"population\","              \
	" \"select\": {\"OMRÅDE\": \"*\", \"Tid\": \"2024..2025\"}}"
#define FOLK1A_2024                                                                                \
	"{\"name\": \"folketal\", \"statbank\": \"FOLK1A\", \"use\": \"population\","              \
	" \"select\": {\"OMRÅDE\": \"*\", \"Tid\": \"2024..2024\"}}"
#define REGK31_2024                                                                                \
	"{\"name\": \"regnskab\", \"statbank\": \"REGK31\", \"use\": \"spending\","                \
	" \"select\": {\"OMRÅDE\": \"*\", \"FUNKTION\": [\"3.22.01\", \"5.30.26\"],"              \
	" \"DRANST\": \"1\", \"ART\": \"I alt (netto)\","                                          \
	" \"PRISENHED\": \"Pr. indbygger, løbende priser (kr.)\", \"Tid\": \"2024\"}}"

static ib_fetch_opts opts(const char *cfg)
{
	ib_fetch_opts o;
	ib_fetch_opts_default(&o);
	o.config = cfg;
	o.config_name = "test.json";
	o.http.timeout_ms = 500;
	o.http.connect_timeout_ms = 500;
	o.http.backoff_ms = 5;
	o.http.max_attempts = 3;
	o.http.max_retry_after_s = 2;
	return o;
}

static int run(ib_fetch_opts *o, ib_fetch_report *rep, ib_error *err)
{
	memset(err, 0, sizeof *err);
	return ib_fetch_run(s, o, rep, err);
}

static void fetch_ok(ib_fetch_opts *o, ib_fetch_report *rep)
{
	ib_error err;
	int rc = run(o, rep, &err);
	ck_assert_msg(rc == IB_OK, "fetch: %s", err.msg);
}

/* ---- the StatBank formats on real recorded answers ------------------------------ */

START_TEST(recorded_answers)
{
	ib_buf b;
	ib_error err = {0};
	const char *vars[] = {"HERKOMST1", "Tid"};
	ib_sb_data d;

	ib_buf_init(&b, 0);
	ck_assert_int_eq(ib_buf_read_file(&b,
					  tu_shared("data/dst-api-fixtures/"
						    "STRAF42_data_en_HERKOMST1-00_TID-2023.csv"),
					  &err),
			 IB_OK);
	ck_assert_int_eq(ib_sb_parse_csv("STRAF42.csv", b.z, b.n, vars, 2, NULL, &d, &err), IB_OK);
	ck_assert_uint_eq(d.n_obs, 1);
	ck_assert_str_eq(d.var_ids[0], "HERKOMST1");
	ck_assert_str_eq(d.var_ids[1], "TID");
	ck_assert_str_eq(d.label[0], "Total");
	ck_assert_str_eq(d.label[1], "2023");
	ck_assert_double_eq(d.value[0], 233454);
	ib_sb_data_free(&d);
	ib_buf_free(&b);

	ib_buf_init(&b, 0);
	ck_assert_int_eq(ib_buf_read_file(&b,
					  tu_shared("data/dst-api-fixtures/STRAF42_data_en_"
						    "HERKOMST1-00_TID-2023.jsonstat.json"),
					  &err),
			 IB_OK);
	ck_assert_int_eq(ib_sb_parse_jsonstat("STRAF42.json", b.z, b.n, vars, 2, &d, &err), IB_OK);
	ck_assert_uint_eq(d.n_obs, 1);
	ck_assert_uint_eq(d.n_vars, 2); /* ContentsCode has one value and is dropped */
	ck_assert_str_eq(d.code[0], "00");
	ck_assert_str_eq(d.label[0], "Total");
	ck_assert_str_eq(d.code[1], "2023");
	ck_assert_double_eq(d.value[0], 233454);
	ib_sb_data_free(&d);
	ib_buf_free(&b);

	ib_sb_tableinfo t;
	ib_buf_init(&b, 0);
	ck_assert_int_eq(
	    ib_buf_read_file(&b, tu_shared("data/dst-api-fixtures/STRAF42_tableinfo_da.json"),
			     &err),
	    IB_OK);
	ck_assert_int_eq(ib_sb_tableinfo_parse("STRAF42", b.z, b.n, &t, &err), IB_OK);
	ck_assert_str_eq(t.updated, "2025-03-25T08:00:00");
	ck_assert_uint_eq(t.n_vars, 6);
	const ib_sb_var *tid = ib_sb_var_find(&t, "TID");
	ck_assert_ptr_nonnull(tid);
	ck_assert_int_eq(tid->time, 1);
	ck_assert_uint_eq(tid->n_values, 30);
	/* selections: a year range on the time variable, ids, texts, text prefixes */
	ib_sb_select sel;
	const char *years[] = {"2020..2022"};
	ck_assert_int_eq(ib_sb_resolve(&t, "Tid", years, 1, &sel, &err), IB_OK);
	ck_assert_uint_eq(sel.n, 3);
	ck_assert_str_eq(sel.ids[0], "2020");
	ck_assert_str_eq(sel.ids[2], "2022");
	ib_sb_select_free(&sel);
	const char *sex[] = {"Mænd", "K"};
	ck_assert_int_eq(ib_sb_resolve(&t, "KØN", sex, 2, &sel, &err), IB_OK);
	ck_assert_str_eq(sel.ids[0], "M");
	ck_assert_str_eq(sel.ids[1], "K");
	ib_sb_select_free(&sel);
	const char *decision[] = {"11"};
	ck_assert_int_eq(ib_sb_resolve(&t, "AFGØRELSE", decision, 1, &sel, &err), IB_OK);
	ck_assert_str_eq(sel.ids[0], "11");
	ib_sb_select_free(&sel);
	const char *bad[] = {"X"};
	ck_assert_int_eq(ib_sb_resolve(&t, "KØN", bad, 1, &sel, &err), IB_ENOTFOUND);
	ck_assert_str_eq(err.msg,
			 "STRAF42: variable KØN has no value 'X' (values: TOT … VIRKSOMHEDER)");
	ck_assert_int_eq(ib_sb_resolve(&t, "OMRÅDE", bad, 1, &sel, &err), IB_ENOTFOUND);
	ck_assert_str_eq(err.msg, "STRAF42: no variable 'OMRÅDE' (the table has HERKOMST1, "
				  "OVERTRÆD, AFGØRELSE, ALDER, KØN, Tid)");
	ib_sb_tableinfo_free(&t);
	ib_buf_free(&b);
}
END_TEST

START_TEST(request_splitting)
{
	char *area[] = {"101", "147", "329"}, *tid[] = {"2023K1", "2024K1", "2025K1", "2026K1"};
	ib_sb_select sel[2] = {{"OMRÅDE", area, 3}, {"Tid", tid, 4}};
	char **bodies;
	size_t n;
	ib_error err = {0};
	ck_assert_int_eq(ib_sb_request_bodies("FOLK1A", sel, 2, "CSV", "da", 12, &bodies, &n, &err),
			 IB_OK);
	ck_assert_uint_eq(n, 1);
	free(bodies[0]);
	free(bodies);
	/* 12 cells, at most 6 a request: Tid (the larger) in two halves */
	ck_assert_int_eq(ib_sb_request_bodies("FOLK1A", sel, 2, "CSV", "da", 6, &bodies, &n, &err),
			 IB_OK);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(bodies[0], "{\"table\":\"FOLK1A\",\"lang\":\"da\",\"format\":\"CSV\","
				    "\"valuePresentation\":\"Default\",\"variables\":[{\"code\":"
				    "\"OMRÅDE\",\"values\":[\"101\",\"147\",\"329\"]},{\"code\":"
				    "\"Tid\",\"values\":[\"2023K1\",\"2024K1\"]}]}");
	ck_assert_ptr_nonnull(strstr(bodies[1], "[\"2025K1\",\"2026K1\"]"));
	for (size_t i = 0; i < n; i++)
		free(bodies[i]);
	free(bodies);
	/* at most 2: one quarter and two areas, then one */
	ck_assert_int_eq(ib_sb_request_bodies("FOLK1A", sel, 2, "CSV", "da", 2, &bodies, &n, &err),
			 IB_OK);
	ck_assert_uint_eq(n, 8);
	for (size_t i = 0; i < n; i++)
		free(bodies[i]);
	free(bodies);
}
END_TEST

/* ---- fetching -------------------------------------------------------------------- */

static void check_population(void)
{
	ck_assert_str_eq(tu_text(s, "SELECT inhabitants FROM population WHERE kommunekode=329"
				    " AND year=2024"),
			 "36356");
	ck_assert_str_eq(tu_text(s, "SELECT inhabitants FROM population WHERE kommunekode=101"
				    " AND year=2025"),
			 "667099");
	ck_assert_str_eq(tu_text(s, "SELECT source FROM population WHERE kommunekode=329"
				    " AND year=2024"),
			 "Danmarks Statistik, FOLK1A 2024K1 (StatBank-API)");
	ck_assert_int_eq(tu_count(s, "population"), 196);
}

START_TEST(population_csv)
{
	ib_fetch_opts o = opts(config("CSV", 1000000, FOLK1A_2024_2025));
	ib_fetch_report rep;
	fetch_ok(&o, &rep);
	ck_assert_uint_eq(rep.n, 1);
	ck_assert_int_eq(rep.src[0].rc, IB_OK);
	ck_assert_int_eq(rep.src[0].rows.added, 196);
	ck_assert_int_eq(rep.src[0].skipped, 4); /* Hele landet and Christiansø, two years */
	ck_assert_int_eq(rep.src[0].requests, 2);
	check_population();
	/* provenance: every row points to the recorded body */
	ck_assert_int_eq(tu_count(s, "fetch_log"), 1);
	char want[200];
	snprintf(want, sizeof want, "http://127.0.0.1:%d/v1/data|POST|200|folketal|%s|%s",
		 fs_port(srv), fs_last_sha(srv, "/v1/data"), "2026-08-11T08:00:00");
	ck_assert_str_eq(tu_text(s, "SELECT url||'|'||method||'|'||http_status||'|'||source||'|'||"
				    "sha256||'|'||table_updated FROM fetch_log"),
			 want);
	ck_assert_str_eq(tu_text(s, "SELECT count(*) FROM population p JOIN fetch_log f"
				    " ON f.id = p.fetch_id"),
			 "196");
	ib_fetch_report_free(&rep);
}
END_TEST

START_TEST(population_jsonstat_split)
{
	/* 100 areas x 2 quarters = 200 cells; at most 50 a request: four requests */
	fs_max_cells(srv, 50);
	ib_fetch_opts o = opts(config("JSONSTAT", 50, FOLK1A_2024_2025));
	ib_fetch_report rep;
	fetch_ok(&o, &rep);
	ck_assert_int_eq(fs_requests(srv, "/v1/data"), 4);
	ck_assert_int_eq(rep.src[0].rows.added, 196);
	check_population();
	ck_assert_int_eq(tu_count(s, "fetch_log"), 4);
	ib_fetch_report_free(&rep);
	/* the server's own limit is what the splitting protects against */
	ib_fetch_opts big = opts(config("JSONSTAT", 1000000, FOLK1A_2024_2025));
	ib_error err;
	ck_assert_int_eq(run(&big, &rep, &err), IB_ENET);
	ck_assert_ptr_nonnull(strstr(err.msg, "/v1/data: HTTP 400 after 1 attempt"));
	ib_fetch_report_free(&rep);
}
END_TEST

START_TEST(age_and_spending)
{
	ib_fetch_opts o = opts(config(
	    "CSV", 1000000,
	    "{\"name\": \"alder\", \"statbank\": \"FOLK1A\", \"use\": \"population_age\","
	    " \"select\": {\"OMRÅDE\": \"*\", \"ALDER\": \"*\", \"Tid\": \"2025\"}}," REGK31_2024));
	ib_fetch_report rep;
	fetch_ok(&o, &rep);
	ck_assert_int_eq(rep.src[0].rows.added, 98);
	ck_assert_int_eq(rep.src[1].rows.added, 196);
	/* synthetic ages (fakeserver.c): shares computed here from the same counts */
	double young = 0, old = 0, all = 0;
	for (int a = 0; a <= 125; a++) {
		long n = fs_age_count(329, a);
		all += (double)n;
		young += a <= 16 ? (double)n : 0;
		old += a >= 65 ? (double)n : 0;
	}
	char want[100];
	snprintf(want, sizeof want, "%.12f|%.12f", young / all, old / all);
	ck_assert_str_eq(tu_text(s, "SELECT printf('%.12f|%.12f', share_0_16, share_65_plus)"
				    " FROM population_age WHERE kommunekode=329 AND year=2025"),
			 want);
	ck_assert_str_eq(tu_text(s, "SELECT kr_per_inhabitant||'|'||function_name||'|'||source"
				    " FROM spending WHERE kommunekode=329 AND year=2024 AND"
				    " function_code='3.22.01'"),
			 "5564.0|Folkeskoler|Danmarks Statistik, REGK31 2024, netto, pr. indbygger "
			 "(StatBank-API)");
	ib_fetch_report_free(&rep);
	/* spending is per inhabitant: 1000 kr is refused before anything is asked */
	ib_fetch_opts k = opts(
	    config("CSV", 1000000,
		   "{\"name\": \"regnskab\", \"statbank\": \"REGK31\", \"use\": \"spending\","
		   " \"select\": {\"OMRÅDE\": \"*\", \"FUNKTION\": \"3.22.01\", \"DRANST\": \"1\","
		   " \"ART\": \"TOT\", \"PRISENHED\": \"LOBM\", \"Tid\": \"2024\"}}"));
	ib_error err;
	ck_assert_int_eq(run(&k, &rep, &err), IB_EARG);
	ck_assert_str_eq(err.msg,
			 "regnskab: REGK31: spending is stored per inhabitant: select the "
			 "PRISENHED value per inhabitant, not 'Løbende priser (1.000 kr.)'");
	ib_fetch_report_free(&rep);
}
END_TEST

/* REGK31 2016 and 2017 publish no elderly-care figures: Statistics Denmark answers 0 for
 * every municipality.  Such a function-year is left out and counted, never stored as
 * spending of 0; folkeskole figures of the same answer are stored. */
START_TEST(unpublished_function_years)
{
	ib_fetch_opts o = opts(config(
	    "CSV", 1000000,
	    "{\"name\": \"regnskab\", \"statbank\": \"REGK31\", \"use\": \"spending\","
	    " \"select\": {\"OMRÅDE\": \"*\", \"FUNKTION\": [\"3.22.01\", \"5.30.26\"],"
	    " \"DRANST\": \"1\", \"ART\": \"I alt (netto)\","
	    " \"PRISENHED\": \"Pr. indbygger, løbende priser (kr.)\", \"Tid\": \"2016..2018\"}}"));
	ib_fetch_report rep;
	fetch_ok(&o, &rep);
	/* 3.22.01 in 2016-2018 and 5.30.26 in 2018: 4 x 98; 5.30.26 in 2016-2017 left out */
	ck_assert_int_eq(rep.src[0].rows.added, 4 * 98);
	ck_assert_int_eq(rep.src[0].unpublished, 2 * 98);
	ck_assert_str_eq(tu_text(s, "SELECT group_concat(year, ',') FROM (SELECT DISTINCT year"
				    " FROM spending WHERE function_code='5.30.26' ORDER BY year)"),
			 "2018");
	ib_fetch_report_free(&rep);
}
END_TEST

START_TEST(conditional_second_fetch)
{
	ib_fetch_opts o = opts(config("CSV", 1000000, FOLK1A_2024 "," REGK31_2024));
	o.http.cache_dir = tu_tmp_path("cache");
	ib_fetch_report rep;
	fetch_ok(&o, &rep);
	ib_fetch_report_free(&rep);
	long bytes = fs_bytes_sent(srv), logged = tu_count(s, "fetch_log");
	char before[65];
	snprintf(before, sizeof before, "%s", tu_file_sha(db_path));

	fetch_ok(&o, &rep);
	/* four conditional requests (two tableinfo, two data), all 304, nothing sent */
	ck_assert_int_eq(fs_not_modified(srv), 4);
	ck_assert_int_eq(fs_bytes_sent(srv), bytes);
	for (size_t i = 0; i < rep.n; i++) {
		ck_assert_int_eq(rep.src[i].unchanged, 1);
		ck_assert_int_eq(rep.src[i].not_modified, 2);
		ck_assert_int_eq(rep.src[i].bytes, 0);
	}
	ck_assert_int_eq(tu_count(s, "fetch_log"), logged);
	ck_assert_str_eq(tu_file_sha(db_path), before);
	ib_fetch_report_free(&rep);

	/* without the cache the same bodies are downloaded, found already stored, and the
	 * database is still not touched */
	o.http.cache_dir = NULL;
	fetch_ok(&o, &rep);
	ck_assert_int_eq(rep.src[0].unchanged, 1);
	ck_assert_int_gt(fs_bytes_sent(srv), bytes);
	ck_assert_str_eq(tu_file_sha(db_path), before);
	ib_fetch_report_free(&rep);
}
END_TEST

START_TEST(feed_and_document)
{
	ib_buf doc;
	ib_buf_init(&doc, 0);
	ck_assert_int_eq(ib_buf_read_file(&doc, "data/seeds/000_23be4988dae89e7a.txt", NULL),
			 IB_OK);
	fs_file(srv, "/dokumenter/b2021-investeringsforslag.txt", doc.z, doc.n,
		"text/plain; charset=utf-8");
	ib_buf_free(&doc);
	const char *line = "{\"kommunekode\":101,\"budget_year\":2027,\"title\":\"Fælles indkøb af "
			   "hjælpemidler\",\"kind\":\"effektivisering\",\"effect_kr\":1500000,"
			   "\"source\":\"forslag.jsonl\"}\n";
	fs_file(srv, "/feeds/forslag", line, strlen(line), "application/x-ndjson");
	char cfg[1024];
	snprintf(cfg, sizeof cfg,
		 "{\"sources\": [{\"name\": \"ringsted\", \"document\": "
		 "\"http://127.0.0.1:%d/dokumenter/b2021-investeringsforslag.txt\"},"
		 " {\"name\": \"feed\", \"feed\": \"http://127.0.0.1:%d/feeds/forslag\"}]}",
		 fs_port(srv), fs_port(srv));
	ib_fetch_opts o = opts(cfg);
	ib_fetch_report rep;
	fetch_ok(&o, &rep);
	ck_assert_int_eq(rep.src[0].proposals_new, 8);
	ck_assert_int_eq(rep.src[1].proposals_new, 1);
	char want[300];
	snprintf(want, sizeof want,
		 "http://127.0.0.1:%d/dokumenter/b2021-investeringsforslag.txt|%d|8", fs_port(srv),
		 1);
	ck_assert_str_eq(tu_text(s,
				 "SELECT p.source||'|'||count(DISTINCT p.fetch_id)||'|'||count(*)"
				 " FROM proposal p JOIN fetch_log f ON f.id=p.fetch_id"
				 " WHERE p.kommunekode=329"),
			 want);
	ck_assert_str_eq(tu_text(s, "SELECT title FROM proposal WHERE ref='239'"),
			 "Skærmbesøg i hjemmeplejen – Life-Manager");
	ib_fetch_report_free(&rep);
}
END_TEST

/* ---- faults: exact outcome, database file unchanged ----------------------------- */

typedef struct fault_case {
	const char *name;
	const char *path;
	fs_fault f;
	long arg;
	int times;
	const char *body; /* FS_BODY */
	const char *format;
	int rc;
	const char *msg; /* after "folketal: http://127.0.0.1:PORT" unless starting with '=' */
} fault_case;

static const fault_case faults[] = {
    {"slow headers", "/v1/data", FS_SLOW, 1200, 3, NULL, "CSV", IB_ENET,
     "/v1/data: no complete answer within 500 ms after 3 attempts"},
    {"500 every time", "/v1/data", FS_STATUS_500, 0, 3, NULL, "CSV", IB_ENET,
     "/v1/data: HTTP 500 after 3 attempts"},
    {"429 too long", "/v1/tableinfo", FS_429, 3600, 1, NULL, "CSV", IB_ENET,
     "/v1/tableinfo?id=FOLK1A&format=JSON&lang=da: HTTP 429, and the server asks to retry "
     "after 3600 s (more than the 2 s allowed)"},
    {"truncated body", "/v1/data", FS_TRUNCATE, 0, 3, NULL, "CSV", IB_ENET,
     "/v1/data: body truncated (connection closed before the announced length) after 3 "
     "attempts"},
    {"over the cap", "/v1/data", FS_BIG, 300000, 1, NULL, "CSV", IB_ETOOBIG,
     "/v1/data: body larger than the 200000-byte cap"},
    {"over the cap, no length", "/v1/data", FS_BIG_CHUNKED, 300000, 1, NULL, "CSV", IB_ETOOBIG,
     "/v1/data: body larger than the 200000-byte cap"},
    {"redirect loop", "/v1/tableinfo", FS_REDIRECT_LOOP, 0, 50, NULL, "CSV", IB_ENET,
     "/v1/tableinfo?id=FOLK1A&format=JSON&lang=da: more than 5 redirects after 1 attempt"},
    {"invalid JSON", "/v1/data", FS_BODY, 0, 1, "{\"dataset\": [", "JSONSTAT", IB_EPARSE,
     "=folketal: FOLK1A: not valid JSON"},
    {"JSON-stat without values", "/v1/data", FS_BODY, 0, 1,
     "{\"dataset\":{\"dimension\":{\"id\":[\"OMRÅDE\",\"Tid\"],\"size\":[1,1]}}}", "JSONSTAT",
     IB_EPARSE, "=folketal: FOLK1A: JSON-stat without 'dataset.value'"},
    {"JSON-stat without categories", "/v1/data", FS_BODY, 0, 1,
     "{\"dataset\":{\"dimension\":{\"OMRÅDE\":{},\"id\":[\"OMRÅDE\",\"Tid\"],\"size\":[1,1]},"
     "\"value\":[1]}}",
     "JSONSTAT", IB_EPARSE,
     "=folketal: FOLK1A: JSON-stat without 'dataset.dimension.OMRÅDE.category.index'"},
    {"CSV wrong header", "/v1/data", FS_BODY, 0, 1,
     "\xEF\xBB\xBFOMRÅDE;TID;VÆRDI\r\nRingsted;2025K1;36010\r\n", "CSV", IB_EPARSE,
     "=folketal: FOLK1A:1: expected the columns OMRÅDE;Tid;INDHOLD, got OMRÅDE;TID;VÆRDI"},
    {"latin-1 in UTF-8", "/v1/data", FS_BODY, 0, 1,
     "\xEF\xBB\xBFOMR\xC5"
     "DE;TID;INDHOLD\r\nK\xF8"
     "benhavn;2025K1;1\r\n",
     "CSV", IB_EPARSE, "=folketal: FOLK1A: not valid UTF-8 (byte 0xC5 at offset 6)"},
    {"CSV cut at a line end", "/v1/data", FS_BODY, 0, 1,
     "\xEF\xBB\xBFOMRÅDE;TID;INDHOLD\r\nRingsted;2025K1;36010\r\n", "CSV", IB_EPARSE,
     "=folketal: FOLK1A: the answer has 1 figures, the request asked for 200 (cut short?)"},
    {"CSV unknown area", "/v1/data", FS_BODY, 0, 1,
     "\xEF\xBB\xBFOMRÅDE;TID;INDHOLD\r\nAtlantis;2025K1;1\r\n", "CSV", IB_EPARSE,
     "=folketal: FOLK1A:2: OMRÅDE: unknown value 'Atlantis'"},
    {"tableinfo not JSON", "/v1/tableinfo", FS_BODY, 0, 1, "<html>maintenance</html>", "CSV",
     IB_EPARSE, "=folketal: FOLK1A table information: not valid JSON"},
};

START_TEST(fault_matrix)
{
	/* a first fetch so that there is something to keep */
	ib_fetch_opts first = opts(config("CSV", 1000000, FOLK1A_2024));
	ib_fetch_report rep;
	fetch_ok(&first, &rep);
	ib_fetch_report_free(&rep);
	char before[65];
	snprintf(before, sizeof before, "%s", tu_file_sha(db_path));

	const fault_case *c = &faults[_i];
	fs_fault_set(srv, c->path, FS_NONE, 0, 0);
	if (c->f == FS_BODY)
		fs_fault_body(srv, c->path, c->body, strlen(c->body), "text/plain", c->times);
	else
		fs_fault_set(srv, c->path, c->f, c->arg, c->times);
	ib_fetch_opts o = opts(config(c->format, 1000000, FOLK1A_2024_2025));
	o.http.max_bytes = 200000;
	ib_error err;
	int rc = run(&o, &rep, &err);
	ck_assert_msg(rc == c->rc, "%s: rc %d (%s)", c->name, rc, err.msg);
	char want[600];
	if (c->msg[0] == '=')
		snprintf(want, sizeof want, "%s", c->msg + 1);
	else
		snprintf(want, sizeof want, "folketal: http://127.0.0.1:%d%s", fs_port(srv),
			 c->msg);
	ck_assert_str_eq(err.msg, want);
	ck_assert_uint_eq(rep.n, 1);
	ck_assert_int_eq(rep.failed, 1);
	ck_assert_str_eq(tu_file_sha(db_path), before);
	ck_assert_int_eq(tu_count(s, "population"), 98);
	ib_fetch_report_free(&rep);
}
END_TEST

/* A server trickling its answer fails the attempt at the low-speed limit, not at the
 * total timeout; a feed whose body ends without a newline (cut at EOF) or is not
 * UTF-8 is refused.  Nothing is stored. */
START_TEST(feed_trickled_cut_or_latin1)
{
	char before[65];
	snprintf(before, sizeof before, "%s", tu_file_sha(db_path));
	fs_fault_set(srv, "/feeds/slow", FS_TRICKLE, 100, 2);
	const char *cut = "{\"kommunekode\":101,\"budget_year\":2027,\"title\":\"a\","
			  "\"source\":\"f\"}";
	fs_file(srv, "/feeds/cut.jsonl", cut, strlen(cut), "application/x-ndjson");
	const char *latin1 = "{\"kommunekode\":101,\"budget_year\":2027,\"title\":\"\xE6\","
			     "\"source\":\"f\"}\n";
	fs_file(srv, "/feeds/latin1", latin1, strlen(latin1), "application/x-ndjson");
	static const char *const path[] = {"/feeds/slow", "/feeds/cut.jsonl", "/feeds/latin1"};
	static const char *const msg[] = {
	    "feed: http://127.0.0.1:%d/feeds/slow: slower than 100 bytes/s for 1 s after 2 "
	    "attempts",
	    "feed: http://127.0.0.1:%d/feeds/cut.jsonl: the feed does not end with a newline "
	    "(cut short?)",
	    "feed: latin1.jsonl:1: not valid UTF-8 (byte 0xE6)"};
	static const int code[] = {IB_ENET, IB_EPARSE, IB_EPARSE};
	for (int i = 0; i < 3; i++) {
		char cfg[512];
		snprintf(cfg, sizeof cfg,
			 "{\"sources\": [{\"name\": \"feed\", \"feed\": "
			 "\"http://127.0.0.1:%d%s\"}]}",
			 fs_port(srv), path[i]);
		ib_fetch_opts o = opts(cfg);
		o.http.timeout_ms = 30000;
		o.http.low_speed_s = 1;
		o.http.max_attempts = 2;
		ib_fetch_report rep;
		ib_error err;
		ck_assert_int_eq(run(&o, &rep, &err), code[i]);
		char want[300];
		snprintf(want, sizeof want, msg[i], fs_port(srv));
		ck_assert_str_eq(err.msg, want);
		ck_assert_str_eq(tu_file_sha(db_path), before);
		ck_assert_int_eq(tu_count(s, "proposal"), 0);
		ib_fetch_report_free(&rep);
	}
}
END_TEST

START_TEST(refused_and_retried)
{
	/* a port nobody listens on: bind, read the port, close */
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof a;
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	int dead = ntohs(a.sin_port);
	close(fd);
	char before[65];
	snprintf(before, sizeof before, "%s", tu_file_sha(db_path));
	char cfg[1024];
	snprintf(cfg, sizeof cfg,
		 "{\"statbank\": {\"url\": \"http://127.0.0.1:%d/v1\"}, \"sources\": [" FOLK1A_2024
		 "]}",
		 dead);
	ib_fetch_opts o = opts(cfg);
	ib_fetch_report rep;
	ib_error err;
	ck_assert_int_eq(run(&o, &rep, &err), IB_ENET);
	char want[300];
	snprintf(want, sizeof want,
		 "folketal: http://127.0.0.1:%d/v1/tableinfo?id=FOLK1A&format=JSON&lang=da: cannot "
		 "connect after 3 attempts",
		 dead);
	ck_assert_str_eq(err.msg, want);
	ck_assert_str_eq(tu_file_sha(db_path), before);
	ib_fetch_report_free(&rep);

	/* 500 then 200, and 429 with Retry-After: 1: both succeed on the next attempt */
	fs_fault_set(srv, "/v1/data", FS_STATUS_500, 0, 1);
	fs_fault_set(srv, "/v1/tableinfo", FS_429, 1, 1);
	o = opts(config("CSV", 1000000, FOLK1A_2024));
	fetch_ok(&o, &rep);
	ck_assert_int_eq(fs_requests(srv, "/v1/data"), 2);
	ck_assert_int_eq(fs_requests(srv, "/v1/tableinfo"), 2);
	ck_assert_int_eq(rep.src[0].requests, 4);
	ck_assert_int_eq(rep.src[0].rows.added, 98);
	ib_fetch_report_free(&rep);
}
END_TEST

START_TEST(one_source_fails_others_update)
{
	char src[600];
	snprintf(src, sizeof src,
		 FOLK1A_2024 ", {\"name\": \"feed\", \"feed\": \"http://127.0.0.1:%d/feeds/gone\"}",
		 fs_port(srv));
	ib_fetch_opts o = opts(config("CSV", 1000000, src));
	ib_fetch_report rep;
	ib_error err;
	ck_assert_int_eq(run(&o, &rep, &err), IB_ENET);
	char want[300];
	snprintf(want, sizeof want,
		 "feed: http://127.0.0.1:%d/feeds/gone: HTTP 404 after 1 attempt", fs_port(srv));
	ck_assert_str_eq(err.msg, want);
	ck_assert_uint_eq(rep.n, 2);
	ck_assert_int_eq(rep.failed, 1);
	ck_assert_int_eq(rep.src[0].rc, IB_OK);
	ck_assert_int_eq(rep.src[0].rows.added, 98);
	ck_assert_int_eq(rep.src[1].rc, IB_ENET);
	ck_assert_int_eq(tu_count(s, "population"), 98);
	ib_fetch_report_free(&rep);
}
END_TEST

START_TEST(config_errors)
{
	ib_fetch_report rep;
	ib_error err;
	ib_fetch_opts o = opts("{\"sources\": [{\"name\": \"x\", \"statbank\": \"FOLK1A\"}]}");
	ck_assert_int_eq(run(&o, &rep, &err), IB_EPARSE);
	ck_assert_str_eq(err.msg, "test.json: source 'x': a StatBank source needs 'use': "
				  "population, population_age or spending");
	o = opts("{\"sources\": [{\"name\": \"x\", \"feed\": \"file:///etc/passwd\"}]}");
	ck_assert_int_eq(run(&o, &rep, &err), IB_EPARSE);
	ck_assert_str_eq(err.msg, "test.json: source 'x': expected an http(s) URL, got "
				  "'file:///etc/passwd'");
	o = opts("{\"sources\": [], \"extra\": 1}");
	ck_assert_int_eq(run(&o, &rep, &err), IB_EPARSE);
	ck_assert_str_eq(err.msg, "test.json: top level: unknown key 'extra'");
	o = opts(config("CSV", 1000000, FOLK1A_2024));
	const char *only[] = {"nope"};
	o.only = only;
	o.n_only = 1;
	ck_assert_int_eq(run(&o, &rep, &err), IB_ENOTFOUND);
	ck_assert_str_eq(err.msg, "test.json: no source named 'nope' (sources: folketal)");
	/* the built-in config parses and names its four sources (greve: off by default) */
	ib_fetch_opts_default(&o);
	o.only = only;
	o.n_only = 1;
	ck_assert_int_eq(run(&o, &rep, &err), IB_ENOTFOUND);
	ck_assert_str_eq(err.msg, "data/sources.json (built in): no source named 'nope' (sources: "
				  "folketal, aldersfordeling, regnskab, greve)");
	ck_assert_int_eq(fs_requests(srv, "/"), 0);
}
END_TEST

START_TEST(dry_run_stores_nothing)
{
	char before[65];
	snprintf(before, sizeof before, "%s", tu_file_sha(db_path));
	ib_fetch_opts o = opts(config("CSV", 1000000, FOLK1A_2024_2025));
	o.dry_run = 1;
	ib_fetch_report rep;
	fetch_ok(&o, &rep);
	ck_assert_int_eq(rep.src[0].rows.added, 196);
	ck_assert_str_eq(tu_file_sha(db_path), before);
	ck_assert_int_eq(tu_count(s, "population"), 0);
	ib_fetch_report_free(&rep);
}
END_TEST

/* The tool itself: `ideabank fetch` against the server, then a search ranked per
 * inhabitant uses the fetched population.  $IDEABANK is the built binary. */
static const char *run_tool(const char *args)
{
	return tu_run_tool(NULL, db_path, args, NULL);
}

START_TEST(tool_fetch_then_search)
{
	const char *prop[] = {"data/proposals.jsonl"};
	ib_error err = {0};
	ck_assert_int_eq(ib_import_files(s, prop, 1, NULL, &err), IB_OK);
	const char *cfg = tu_write_file(
	    "sources.json",
	    config("CSV", 1000000,
		   "{\"name\": \"folketal\", \"statbank\": \"FOLK1A\", \"use\": \"population\","
		   " \"select\": {\"OMRÅDE\": \"*\", \"Tid\": \"2016..2021\"}}"));
	char args[1200];
	snprintf(args, sizeof args, "fetch --config '%s' --no-cache", cfg);
	ck_assert_str_eq(run_tool(args),
			 "folketal: StatBank FOLK1A (population): 588 rows added, 0 changed, 0 "
			 "unchanged; 2 requests, 23 KB\n"
			 "folketal: 0 values missing (\"..\"), 12 figures for areas that are not "
			 "municipalities skipped\n"
			 "exit 0\n");
	/* Ringsted 1 January 2021: 34.847; København 1 January 2016: 591.481 */
	ck_assert_str_eq(
	    run_tool("search skærmbesøg --sort per-inhabitant"),
	    "  ID  Kommune         År    Titel                                           "
	    "Effekt (kr)  Kr. pr. indb.     Folketal (år)\n"
	    "   7  Ringsted        2021  Skærmbesøg i hjemmeplejen – Life-Manager            "
	    "125.000           3,59     34.847 (2021)\n"
	    "   9  København       2016  Online syge- og hjemmepleje med skærmbesøg          "
	    "304.000           0,51    591.481 (2016)\n"
	    "exit 0\n");
	snprintf(args, sizeof args, "fetch --config '%s' --no-cache --dry-run", cfg);
	ck_assert_str_eq(run_tool(args),
			 "folketal: unchanged (2 requests, 0 answered 304 Not Modified)\n"
			 "dry run: nothing was stored\n"
			 "exit 0\n");
	snprintf(args, sizeof args, "fetch --config '%s' --only nope", cfg);
	char want[1200];
	snprintf(want, sizeof want,
		 "ideabank: %s: no source named 'nope' (sources: folketal)\nexit 3\n", cfg);
	ck_assert_str_eq(run_tool(args), want);
}
END_TEST

int main(void)
{
	const tu_tcase tc = {.timeout = 60,
			     .setup = setup,
			     .teardown = teardown,
			     .tests = TU_TESTS(recorded_answers, request_splitting, population_csv,
					       population_jsonstat_split, age_and_spending,
					       unpublished_function_years, conditional_second_fetch,
					       feed_and_document, feed_trickled_cut_or_latin1,
					       fault_matrix, refused_and_retried,
					       one_source_fails_others_update, config_errors,
					       dry_run_stores_nothing, tool_fetch_then_search),
			     .loop = fault_matrix,
			     .loop_end = (int)(sizeof faults / sizeof faults[0])};
	return tu_run("fetch", &tc, 1);
}
