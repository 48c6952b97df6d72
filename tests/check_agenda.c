/* check_agenda.c - the agenda source end to end: `fetch` of Greve's recorded agenda API
 * (285 meetings, 2022-2024) from the local test server (tests/support/fakeserver.c),
 * exact counts per outcome and reason, a second fetch that downloads nothing (all 304)
 * and leaves the database file byte-identical, a changed meeting that is fetched again,
 * the same meetings imported from disk, a Danish search that finds a Greve case, and
 * proposal identity (same titles in two catalogues, alternatives of one case). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <zlib.h>

#include <cJSON.h>

#include "fakeserver.h"
#include "ideabank.h"
#include "ideabank/agenda.h"
#include "testutil.h"

static fs_server *srv;
static ib_store *s;
static char db_path[1024];

/* Two attachments the test server serves (seed documents stand in for the real PDFs):
 * "Kan-skal-katalog - ØU" of 22 April 2024 and "Direktionens budgetforslag 2025-28" of
 * 4 September 2024.  Every other proposal attachment answers 404. */
#define ATT_CATALOGUE "5fac11ce-197e-454b-b4f1-8e2aa4abbbde"
#define ATT_BUDGET "1e8d0478-3f25-427b-8a75-822f4d58e157"

static void serve_seed(const char *id, const char *seed)
{
	ib_buf b;
	ib_error err = {0};
	ib_buf_init(&b, 0);
	char path[256];
	snprintf(path, sizeof path, "data/seeds/%s", seed);
	ck_assert_msg(ib_buf_read_file(&b, path, &err) == IB_OK, "%s", err.msg);
	snprintf(path, sizeof path, "/vis/pdf/bilag/%s/", id);
	fs_file(srv, path, b.z, b.n, "application/pdf");
	ib_buf_free(&b);
}

static void setup(void)
{
	srv = fs_start(tu_shared(""));
	ck_assert_msg(srv != NULL, "cannot start the test server (shared data at %s)",
		      tu_shared(""));
	snprintf(db_path, sizeof db_path, "%s", tu_tmp_path("agenda.db"));
	ib_error err = {0};
	ck_assert_int_eq(ib_store_open(db_path, &s, &err), IB_OK);
	const char *ref[] = {"data/kommuner.csv"};
	ck_assert_msg(ib_import_files(s, ref, 1, NULL, &err) == IB_OK, "%s", err.msg);
	serve_seed(ATT_CATALOGUE, "000_23be4988dae89e7a.txt");
	serve_seed(ATT_BUDGET, "002_d8b1185091388949.txt");
}

static void teardown(void)
{
	ib_store_close(s);
	fs_stop(srv);
}

static const char *config(void)
{
	static char buf[2048];
	snprintf(buf, sizeof buf,
		 "{\"sources\": [{\"name\": \"greve\", \"agenda\": "
		 "\"http://127.0.0.1:%d/api/agenda\", \"kommunekode\": \"253\", \"from\": "
		 "\"2022-01-01\", \"to\": \"2024-12-31\", \"delay_ms\": 0, \"enabled\": false}]}",
		 fs_port(srv));
	return buf;
}

static ib_fetch_opts opts(const char *cache)
{
	ib_fetch_opts o;
	ib_fetch_opts_default(&o);
	o.config = config();
	o.config_name = "test.json";
	static const char *only[] = {"greve"};
	o.only = only;
	o.n_only = 1;
	o.http.timeout_ms = 10000;
	o.http.backoff_ms = 5;
	o.http.cache_dir = cache;
	return o;
}

static long reason_count(const ib_agenda_report *r, const char *outcome, const char *reason)
{
	for (size_t i = 0; i < r->n_reasons; i++)
		if (!strcmp(r->reasons[i].outcome, outcome) &&
		    !strcmp(r->reasons[i].reason, reason))
			return r->reasons[i].n;
	return 0;
}

/* The expected outcome of the whole Greve agenda, for fetch and import alike: items
 * per outcome and reason. */
static const struct {
	const char *outcome, *reason;
	long n;
} expected[] = {
    {"skipped", "frigivelse af midler, der allerede er afsat", 270},
    {"skipped", "status eller orientering uden forslag", 233},
    {"skipped", "orientering uden forslag", 631},
    {"skipped", "ingen økonomisk effekt pr. budgetår", 2475},
    {"skipped", "drøftelse uden forslag", 7},
    {"skipped", "ingen beløb for kommende budgetår (regnskab, statistik, prognoser)", 24},
    {"flagged",
     "forslag med økonomi pr. budgetår, med flag om det, der ikke kunne læses (se ideabank show)",
     32},
    {"skipped", "takster", 6},
    {"skipped", "eksternt finansieret projekt", 13},
    {"skipped", "regnskab", 79},
    {"skipped", "dagsordenens godkendelse", 285},
    {"skipped", "opfølgning på hele budgettet", 139},
    {"skipped", "tilskud til foreninger og andre", 45},
    {"skipped", "venteliste", 6},
    {"skipped", "budget for et fælleskommunalt selskab", 8},
    {"skipped", "kommunegaranti for et lån", 30},
    {"skipped", "lukket punkt", 5},
    {"skipped", "statistik", 1},
};

static void check_counts(const ib_agenda_report *a)
{
	/* on a difference, the whole table as it came out (to compare with expected[]) */
	int same = a->n_reasons == sizeof expected / sizeof expected[0];
	for (size_t i = 0; same && i < a->n_reasons; i++)
		same = reason_count(a, expected[i].outcome, expected[i].reason) == expected[i].n;
	for (size_t i = 0; !same && i < a->n_reasons; i++)
		fprintf(stderr, "    {\"%s\", \"%s\", %ld},\n", a->reasons[i].outcome,
			a->reasons[i].reason, a->reasons[i].n);
	if (!same)
		fprintf(stderr, "cases %ld, stored %ld, items %ld/%ld/%ld\n", a->cases,
			a->cases_stored, a->proposals, a->flagged, a->skipped);
	ck_assert_int_eq(a->meetings, 285);
	ck_assert_int_eq(a->items, 4289);
	ck_assert_int_eq(a->cases, 1256);
	ck_assert_int_eq(a->cases_stored, 7);
	ck_assert_int_eq(a->proposals, 0);
	ck_assert_int_eq(a->flagged, 32);
	ck_assert_int_eq(a->skipped, 4257);
	long sum = 0;
	for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
		long n = reason_count(a, expected[i].outcome, expected[i].reason);
		ck_assert_msg(n == expected[i].n, "%s '%s': %ld items, expected %ld",
			      expected[i].outcome, expected[i].reason, n, expected[i].n);
		sum += n;
	}
	ck_assert_int_eq(sum, 4289);
	ck_assert_uint_eq(a->n_reasons, sizeof expected / sizeof expected[0]);
}

/* ---- the gold file ------------------------------------------------------------- */

typedef struct score {
	int fields, matched, classes_wrong;
} score;

static void field(score *sc, int ok, const char *the_case, const char *what, const char *want,
		  const char *got)
{
	sc->fields++;
	if (ok)
		sc->matched++;
	else
		fprintf(stderr, "gold mismatch: %s %s: want %s, got %s\n", the_case, what, want,
			got);
}

/* Compare one year table of the gold with the stored proposal id. */
static void compare_nets(score *sc, const char *the_case, const char *variant, const cJSON *nets,
			 const char *id)
{
	const cJSON *y;
	cJSON_ArrayForEach(y, nets)
	{
		char sql[512], want[64], what[128];
		snprintf(sql, sizeof sql,
			 "SELECT coalesce((SELECT CAST(round(net * 1000) AS INTEGER) FROM"
			 " proposal_year WHERE proposal_id = %s AND year = %s), 'none')",
			 id, y->string);
		const char *got = tu_text(s, sql);
		snprintf(want, sizeof want, "%.0f", y->valuedouble);
		snprintf(what, sizeof what, "%s%snet %s", variant ? variant : "",
			 variant ? " " : "", y->string);
		field(sc, !strcmp(got, want), the_case, what, want, got);
	}
}

/* Hold the stored Greve cases against tests/gold/greve-agenda.json (made by hand from
 * the case HTML): classification, committees (as a set), adopted, alternatives and net
 * per budget year in kr. */
static score compare_gold(void)
{
	ib_buf b;
	ib_error err = {0};
	ib_buf_init(&b, 0);
	ck_assert_msg(ib_buf_read_file(&b, "tests/gold/greve-agenda.json", &err) == IB_OK, "%s",
		      err.msg);
	cJSON *root = cJSON_Parse(b.z);
	ck_assert_ptr_nonnull(root);
	score sc = {0};
	const cJSON *c;
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(root, "cases"))
	{
		const char *k = cJSON_GetObjectItemCaseSensitive(c, "case")->valuestring;
		const char *cls =
		    cJSON_GetObjectItemCaseSensitive(c, "classification")->valuestring;
		char sql[1024];
		snprintf(
		    sql, sizeof sql,
		    "SELECT count(*) FROM proposal WHERE kommunekode = 253 AND case_key = '%s'", k);
		int n = atoi(tu_text(s, sql));
		const char *got_cls = n ? "proposal" : "skipped";
		field(&sc, !strcmp(cls, got_cls), k, "classification", cls, got_cls);
		if (strcmp(cls, got_cls))
			sc.classes_wrong++;
		/* committees: every meeting an item of the case was on */
		ib_buf want;
		ib_buf_init(&want, 0);
		const cJSON *cm;
		cJSON *sorted = cJSON_CreateArray();
		cJSON_ArrayForEach(cm, cJSON_GetObjectItemCaseSensitive(c, "committees"))
		    cJSON_AddItemToArray(sorted, cJSON_CreateString(cm->valuestring));
		/* sort the wanted names the way SQLite's group_concat below orders them */
		int m = cJSON_GetArraySize(sorted);
		const char *names[16];
		for (int i = 0; i < m && i < 16; i++)
			names[i] = cJSON_GetArrayItem(sorted, i)->valuestring;
		for (int i = 0; i < m; i++)
			for (int j = i + 1; j < m; j++)
				if (strcmp(names[j], names[i]) < 0) {
					const char *t = names[i];
					names[i] = names[j];
					names[j] = t;
				}
		for (int i = 0; i < m; i++)
			ib_buf_addf(&want, "%s%s", i ? "|" : "", names[i]);
		snprintf(
		    sql, sizeof sql,
		    "SELECT coalesce(group_concat(committee, '|'), '') FROM (SELECT DISTINCT"
		    " m.committee FROM"
		    " agenda_item i JOIN agenda_meeting m USING (kommunekode, meeting_id) WHERE"
		    " i.kommunekode = 253 AND i.case_number = '%s' ORDER BY m.committee)",
		    k);
		const char *got = tu_text(s, sql);
		field(&sc, !strcmp(got, ib_buf_str(&want)), k, "committees", ib_buf_str(&want),
		      got);
		cJSON_Delete(sorted);
		ib_buf_free(&want);
		if (strcmp(cls, "proposal") || !n) {
			continue;
		}
		snprintf(sql, sizeof sql,
			 "SELECT CASE max(adopted) WHEN 1 THEN 'yes' WHEN 0 THEN 'no' ELSE"
			 " 'unknown' END FROM proposal WHERE kommunekode = 253 AND case_key = '%s'",
			 k);
		const char *adopted = cJSON_GetObjectItemCaseSensitive(c, "adopted")->valuestring;
		got = tu_text(s, sql);
		field(&sc, !strcmp(got, adopted), k, "adopted", adopted, got);
		const cJSON *alts = cJSON_GetObjectItemCaseSensitive(c, "alternatives");
		int n_alt = cJSON_GetArraySize(alts);
		char want_n[16], got_n[16];
		snprintf(want_n, sizeof want_n, "%d", n_alt ? n_alt : 1);
		snprintf(got_n, sizeof got_n, "%d", n);
		field(&sc, n == (n_alt ? n_alt : 1), k, "alternatives", want_n, got_n);
		if (!n_alt) {
			snprintf(
			    sql, sizeof sql,
			    "SELECT id FROM proposal WHERE kommunekode = 253 AND case_key = '%s'"
			    " ORDER BY id LIMIT 1",
			    k);
			char id[32];
			snprintf(id, sizeof id, "%s", tu_text(s, sql));
			compare_nets(&sc, k, NULL, cJSON_GetObjectItemCaseSensitive(c, "net_kr"),
				     id);
			continue;
		}
		const cJSON *a;
		cJSON_ArrayForEach(a, alts)
		{
			const char *v = cJSON_GetObjectItemCaseSensitive(a, "variant")->valuestring;
			snprintf(
			    sql, sizeof sql,
			    "SELECT coalesce(max(id), 0) FROM proposal WHERE kommunekode = 253 AND"
			    " case_key = '%s' AND variant = '%s' COLLATE NOCASE",
			    k, v);
			char id[32];
			snprintf(id, sizeof id, "%s", tu_text(s, sql));
			compare_nets(&sc, k, v, cJSON_GetObjectItemCaseSensitive(a, "net_kr"), id);
			/* the alternative the council chose is adopted, the others are not */
			const cJSON *ad = cJSON_GetObjectItemCaseSensitive(a, "adopted");
			if (ad) {
				snprintf(sql, sizeof sql,
					 "SELECT CASE adopted WHEN 1 THEN 'yes' WHEN 0 THEN 'no' ELSE"
					 " 'unknown' END FROM proposal WHERE id = %s",
					 id);
				got = tu_text(s, sql);
				field(&sc, !strcmp(got, ad->valuestring), k, "adopted",
				      ad->valuestring, got);
			}
		}
	}
	cJSON_Delete(root);
	ib_buf_free(&b);
	fprintf(stderr, "gold: %d of %d fields match (%.1f %%), %d classifications wrong\n",
		sc.matched, sc.fields, 100.0 * sc.matched / sc.fields, sc.classes_wrong);
	return sc;
}

/* Change one recorded meeting: its body with every "Godkendt." decision made "Ikke
 * godkendt." (served instead of the recorded answer). */
static void change_meeting(const char *id)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/data/greve-agendas/dagsorden/%s.json.gz", tu_shared(""),
		 id);
	gzFile f = gzopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	ib_buf b, out;
	ib_buf_init(&b, 0);
	ib_buf_init(&out, 0);
	char chunk[65536];
	int k;
	while ((k = gzread(f, chunk, sizeof chunk)) > 0)
		ib_buf_add(&b, chunk, (size_t)k);
	gzclose(f);
	const char *p = b.z, *hit;
	while ((hit = strstr(p, "Godkendt."))) {
		ib_buf_add(&out, p, (size_t)(hit - p));
		ib_buf_adds(&out, "Ikke godkendt.");
		p = hit + 9;
	}
	ib_buf_adds(&out, p);
	snprintf(path, sizeof path, "/api/agenda/dagsorden/%s", id);
	fs_file(srv, path, out.z, out.n, "application/json; charset=utf-8");
	ib_buf_free(&b);
	ib_buf_free(&out);
}

START_TEST(greve_fetch_incremental)
{
	const char *cache = tu_tmp_path("cache");
	ib_fetch_opts o = opts(cache);
	ib_fetch_report rep;
	ib_error err = {0};
	int rc = ib_fetch_run(s, &o, &rep, &err);
	ck_assert_msg(rc == IB_OK, "fetch: %s", err.msg);
	ck_assert_uint_eq(rep.n, 1);
	ck_assert_ptr_nonnull(rep.src[0].agenda);
	check_counts(rep.src[0].agenda);
	const ib_agenda_report *a = rep.src[0].agenda;
	/* the committee list, 285 meetings, and the proposal attachments one by one */
	ck_assert_int_eq(fs_requests(srv, "/api/agenda/udvalgsliste"), 1);
	ck_assert_int_eq(fs_requests(srv, "/api/agenda/dagsorden/"), 285);
	ck_assert_int_eq(fs_requests(srv, "/vis/pdf/bilag/"), (long)a->n_att);
	ck_assert_int_eq(rep.src[0].attachments_read, 2);
	ck_assert_uint_eq(rep.src[0].n_notes, a->n_att - 2);
	ck_assert_int_eq(tu_count(s, "agenda_meeting"), 285);
	ck_assert_int_eq(tu_count(s, "agenda_item"), 4289);
	ck_assert_str_eq(tu_text(s, "SELECT count(*) FROM proposal WHERE kommunekode=253"
				    " AND case_key IS NOT NULL"),
			 tu_text(s, "SELECT count(*) FROM proposal WHERE case_key IS NOT NULL"));
	ck_assert_int_eq(ib_store_check(s, &err), IB_OK);
	ib_fetch_report_free(&rep);

	/* the hand-made gold: at least 98 % of its fields, every classification */
	score sc = compare_gold();
	ck_assert_int_ge(sc.fields, 80);
	ck_assert_int_eq(sc.classes_wrong, 0);
	ck_assert_msg(sc.matched * 100 >= sc.fields * 98, "gold: %d of %d fields", sc.matched,
		      sc.fields);

	/* the second fetch: everything answers 304, nothing is written */
	char before[65];
	snprintf(before, sizeof before, "%s", tu_file_sha(db_path));
	long bytes = fs_bytes_sent(srv);
	rc = ib_fetch_run(s, &o, &rep, &err);
	ck_assert_msg(rc == IB_OK, "second fetch: %s", err.msg);
	ck_assert_int_eq(rep.src[0].unchanged, 1);
	ck_assert_int_eq(rep.src[0].not_modified, 286);
	ck_assert_int_eq(rep.src[0].requests, 286);
	ck_assert_int_eq(fs_bytes_sent(srv), bytes);
	ck_assert_str_eq(tu_file_sha(db_path), before);
	ib_fetch_report_free(&rep);

	/* a meeting that changed is downloaded again and its case updated */
	const char *changed = "8104a4a0-8a0e-40db-a0d7-7f5d6bb6acd3";
	change_meeting(changed);
	rc = ib_fetch_run(s, &o, &rep, &err);
	ck_assert_msg(rc == IB_OK, "third fetch: %s", err.msg);
	ck_assert_int_eq(rep.src[0].unchanged, 0);
	/* the list, 284 meetings and the two attachments served before */
	ck_assert_int_eq(rep.src[0].not_modified, 287);
	ck_assert_int_eq(rep.src[0].agenda->meetings, 285);
	ck_assert_str_eq(tu_text(s, "SELECT count(*) FROM fetch_log WHERE url LIKE"
				    " '%/dagsorden/8104a4a0-8a0e-40db-a0d7-7f5d6bb6acd3'"),
			 "2");
	ck_assert_str_eq(tu_text(s,
				 "SELECT m.sha256 = f.sha256 FROM agenda_meeting m JOIN fetch_log f"
				 " ON f.id = m.fetch_id WHERE m.meeting_id ="
				 " '8104a4a0-8a0e-40db-a0d7-7f5d6bb6acd3'"),
			 "1");
	ck_assert_str_eq(
	    tu_text(s, "SELECT max(id) = (SELECT fetch_id FROM agenda_meeting WHERE"
		       " meeting_id = '8104a4a0-8a0e-40db-a0d7-7f5d6bb6acd3') FROM"
		       " fetch_log WHERE url LIKE '%8104a4a0-8a0e-40db-a0d7-7f5d6bb6acd3'"),
	    "1");
	ck_assert_int_eq(ib_store_check(s, &err), IB_OK);
	ib_fetch_report_free(&rep);
}
END_TEST

START_TEST(greve_import_from_disk)
{
	const char *dir[] = {tu_shared("data/greve-agendas/dagsorden")};
	ib_agenda_report a;
	ib_error err = {0};
	int rc = ib_agenda_import(s, "Greve", dir, 1, &a, &err);
	ck_assert_msg(rc == IB_OK, "import: %s", err.msg);
	check_counts(&a);
	ck_assert_int_eq(
	    a.proposals_new,
	    atol(tu_text(s, "SELECT count(*) FROM proposal WHERE case_key IS NOT NULL")));
	long stored = a.proposals_new;
	ib_agenda_report_free(&a);
	/* the cases are searchable in Danish: "tomgangsleje" (rent for empty homes) is in
	 * the two alternatives of 23-003614 and in Freyas Kvarter's text */
	ib_search_opts so = {0};
	so.query = "tomgangsleje";
	ib_result *res = NULL;
	ck_assert_int_eq(ib_search(s, &so, &res, &err), IB_OK);
	ck_assert_uint_eq(res->n, 3);
	for (size_t i = 0; i < res->n; i++)
		ck_assert_int_eq(res->hits[i].kommunekode, 253);
	ck_assert_str_eq(tu_text(s, "SELECT group_concat(title, ' | ') FROM (SELECT title FROM"
				    " proposal WHERE case_key = '23-003614' ORDER BY variant)"),
			 "Stop for visitation af plejekrævende ældre til ledige plejeboliger i"
			 " Grønlykkeparken og Dahliahuset (Model A) | Stop for visitation af"
			 " plejekrævende ældre til ledige plejeboliger i Grønlykkeparken og"
			 " Dahliahuset (Model B)");
	ib_result_free(res);
	/* again: every case unchanged */
	ck_assert_int_eq(ib_agenda_import(s, "253", dir, 1, &a, &err), IB_OK);
	ck_assert_int_eq(a.proposals_new, 0);
	ck_assert_int_eq(a.proposals_updated, 0);
	ck_assert_int_eq(a.proposals_unchanged, stored);
	ib_agenda_report_free(&a);
	ck_assert_int_eq(ib_store_check(s, &err), IB_OK);

	/* a file that is not a meeting answer, and no municipality */
	const char *bad[] = {tu_write_file("list.json", "{\"Udvalg\": {}}")};
	ck_assert_int_eq(ib_agenda_import(s, "Greve", bad, 1, &a, &err), IB_EPARSE);
	char want[1200];
	snprintf(want, sizeof want,
		 "%s: not an agenda meeting (expected Id, Udvalg.Navn, Moede.Dato and "
		 "Dagsordenpunkter)",
		 bad[0]);
	ck_assert_str_eq(err.msg, want);
	ck_assert_int_eq(ib_agenda_import(s, "Atlantis", dir, 1, &a, &err), IB_ENOTFOUND);
}
END_TEST

/* The agenda source's config errors, each before anything is fetched. */
START_TEST(agenda_config_errors)
{
	static const struct {
		const char *source, *msg;
	} cases[] = {
	    {"{\"name\": \"g\", \"agenda\": \"ftp://x/api/agenda\", \"kommunekode\": \"253\"}",
	     "test.json: source 'g': agenda: expected an http(s) URL, got 'ftp://x/api/agenda'"},
	    {"{\"name\": \"g\", \"agenda\": \"http://x/api/agenda\"}",
	     "test.json: source 'g': an agenda source needs 'kommunekode': a 3-digit code as a "
	     "string"},
	    {"{\"name\": \"g\", \"agenda\": \"http://x/api/agenda\", \"kommunekode\": \"253\","
	     " \"from\": \"1/1/2022\"}",
	     "test.json: source 'g': expected a date like 2022-01-01, got '1/1/2022'"},
	    {"{\"name\": \"g\", \"agenda\": \"http://x/api/agenda\", \"kommunekode\": \"253\","
	     " \"delay_ms\": -1}",
	     "test.json: source 'g': delay_ms: expected 0 to 60000"},
	    {"{\"name\": \"g\", \"agenda\": \"http://x/api/agenda\", \"kommunekode\": \"253\","
	     " \"enabled\": \"no\"}",
	     "test.json: source 'g': enabled: expected true or false"},
	    {"{\"name\": \"g\", \"agenda\": \"http://x/api/agenda\", \"feed\": \"http://x/f\"}",
	     "test.json: source 'g': give exactly one of 'statbank', 'feed', 'document' and "
	     "'agenda'"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char cfg[1024];
		snprintf(cfg, sizeof cfg, "{\"sources\": [%s]}", cases[i].source);
		ib_fetch_opts o = opts(NULL);
		o.config = cfg;
		o.n_only = 0;
		ib_fetch_report rep;
		ib_error err = {0};
		ck_assert_int_eq(ib_fetch_run(s, &o, &rep, &err), IB_EPARSE);
		ck_assert_str_eq(err.msg, cases[i].msg);
		ib_fetch_report_free(&rep);
	}
	/* a source that is not enabled is not fetched without --only */
	char cfg[1024];
	snprintf(cfg, sizeof cfg,
		 "{\"sources\": [{\"name\": \"g\", \"agenda\": \"http://127.0.0.1:%d/api/agenda\","
		 " \"kommunekode\": \"253\", \"enabled\": false}]}",
		 fs_port(srv));
	ib_fetch_opts o = opts(NULL);
	o.config = cfg;
	o.n_only = 0;
	ib_fetch_report rep;
	ib_error err = {0};
	ck_assert_int_eq(ib_fetch_run(s, &o, &rep, &err), IB_OK);
	ck_assert_uint_eq(rep.n, 0);
	ck_assert_int_eq(fs_requests(srv, "/"), 0);
	ib_fetch_report_free(&rep);
	/* a committee filter and a date range: Økonomiudvalget's meetings of 2024 */
	snprintf(
	    cfg, sizeof cfg,
	    "{\"sources\": [{\"name\": \"g\", \"agenda\": \"http://127.0.0.1:%d/api/agenda\","
	    " \"kommunekode\": \"253\", \"from\": \"2024-01-01\", \"to\": \"2024-12-31\","
	    " \"committees\": [\"økonomiudvalget\"], \"delay_ms\": 0, \"attachments\": false}]}",
	    fs_port(srv));
	o.config = cfg;
	ck_assert_int_eq(ib_fetch_run(s, &o, &rep, &err), IB_OK);
	ck_assert_int_eq(rep.src[0].agenda->meetings, 13);
	ck_assert_int_eq(fs_requests(srv, "/api/agenda/dagsorden/"), 13);
	ck_assert_int_eq(fs_requests(srv, "/vis/pdf/bilag/"), 0);
	ck_assert_str_eq(tu_text(s, "SELECT count(DISTINCT committee) || ' ' || min(date) || ' ' ||"
				    " max(date) FROM agenda_meeting"),
			 "1 2024-01-24 2024-11-27");
	ib_fetch_report_free(&rep);
}
END_TEST

/* Run the built tool on the test's database; its output and exit code. */
static const char *run_tool(const char *args)
{
	static char out[16384];
	const char *tool = getenv("IDEABANK");
	ck_assert_msg(tool != NULL, "set IDEABANK to the built binary (make unit does)");
	char cmd[2048];
	snprintf(cmd, sizeof cmd, "COLUMNS=120 '%s' --db '%s' %s 2>&1", tool, db_path, args);
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	size_t n = fread(out, 1, sizeof out - 1, p);
	out[n] = 0;
	int status = pclose(p);
	snprintf(out + n, sizeof out - n, "exit %d\n", WEXITSTATUS(status));
	return out;
}

/* `ideabank fetch --only` end to end: the counts it prints, then "unchanged" */
START_TEST(tool_fetch)
{
	char cfg_text[1024];
	snprintf(cfg_text, sizeof cfg_text,
		 "{\"sources\": [{\"name\": \"greve\", \"agenda\": "
		 "\"http://127.0.0.1:%d/api/agenda\", \"kommunekode\": \"253\", \"from\": "
		 "\"2024-11-01\", \"committees\": [\"Økonomiudvalget\"], \"attachments\": false,"
		 " \"enabled\": false}]}",
		 fs_port(srv));
	const char *cfg = tu_write_file("sources.json", cfg_text);
	char args[1200];
	snprintf(args, sizeof args, "fetch --config '%s' --only greve --cache '%s' --delay-ms 0",
		 cfg, tu_tmp_path("toolcache"));
	char want[2048];
	snprintf(
	    want, sizeof want,
	    "greve: agenda http://127.0.0.1:%d/api/agenda (kommune 253): 2 new proposals, 0 "
	    "updated, 0 unchanged; 3 requests, 399 KB\n"
	    "greve: agenda: 2 meetings, 38 items: 0 in proposals, 2 flagged, 36 skipped; 2 of 35 "
	    "cases stored\n"
	    "greve: skipped    3  frigivelse af midler, der allerede er afsat\n"
	    "greve: skipped   23  ingen økonomisk effekt pr. budgetår\n"
	    "greve: skipped    2  orientering uden forslag\n"
	    "greve: skipped    2  dagsordenens godkendelse\n"
	    "greve: skipped    3  opfølgning på hele budgettet\n"
	    "greve: skipped    1  status eller orientering uden forslag\n"
	    "greve: skipped    2  tilskud til foreninger og andre\n"
	    "exit 0\n",
	    fs_port(srv));
	ck_assert_str_eq(run_tool(args), want);
	ck_assert_str_eq(run_tool(args),
			 "greve: unchanged (3 requests, 3 answered 304 Not Modified)\nexit 0\n");
	/* without --only the source, which is not enabled, is left alone */
	snprintf(args, sizeof args, "fetch --config '%s' --no-cache", cfg);
	ck_assert_str_eq(run_tool(args), "exit 0\n");
	ck_assert_int_eq(fs_requests(srv, "/api/agenda/udvalgsliste"), 2);
}
END_TEST

/* ---- identity ------------------------------------------------------------------ */

static ib_proposal *make(const char *title, const char *source, int page, const char *ref)
{
	ib_proposal *p = ib_proposal_new();
	p->kommunekode = 253;
	p->budget_year = 2025;
	p->title = strdup(title);
	p->source = strdup(source);
	p->page = page;
	p->ref = ref ? strdup(ref) : NULL;
	p->kind = "effektivisering";
	p->effect_kr = 100000;
	return p;
}

static int put(ib_proposal *p)
{
	int result = 0;
	ib_error err = {0};
	ck_assert_msg(ib_store_put_proposal(s, p, &result, &err) == IB_OK, "%s", err.msg);
	ib_proposal_free(p);
	return result;
}

START_TEST(identity)
{
	/* the same generic title in two committees' catalogues: both kept */
	ck_assert_int_eq(
	    put(make("Effektivisering af administrationen", "katalog-ku.pdf", 3, NULL)),
	    IB_PUT_NEW);
	ck_assert_int_eq(
	    put(make("Effektivisering af administrationen", "katalog-tm.pdf", 7, NULL)),
	    IB_PUT_NEW);
	/* and twice in one catalogue, on two pages */
	ck_assert_int_eq(
	    put(make("Effektivisering af administrationen", "katalog-tm.pdf", 9, NULL)),
	    IB_PUT_NEW);
	/* the same again: unchanged; a changed effect: updated in place */
	ck_assert_int_eq(
	    put(make("Effektivisering af administrationen", "katalog-ku.pdf", 3, NULL)),
	    IB_PUT_UNCHANGED);
	ib_proposal *p = make("Effektivisering af administrationen", "katalog-ku.pdf", 3, NULL);
	p->effect_kr = 200000;
	ck_assert_int_eq(put(p), IB_PUT_UPDATED);
	/* a referenced proposal keeps its identity when its title is corrected */
	ck_assert_int_eq(put(make("Færre vikarer", "b2025.pdf", 4, "SU01")), IB_PUT_NEW);
	ck_assert_int_eq(put(make("Færre vikarer i dagplejen", "b2025.pdf", 4, "SU01")),
			 IB_PUT_UPDATED);
	/* alternatives of one case: one proposal per variant, same case */
	static const char *const variants[] = {"Model 2", "Model 3"};
	for (int i = 0; i < 2; i++) {
		p = make("Ny struktur på dagtilbud", "https://x/dagsorden/1#punkt-4", 0, "22-1");
		p->case_key = strdup("22-1");
		p->variant = strdup(variants[i]);
		ck_assert_int_eq(put(p), IB_PUT_NEW);
	}
	/* the case seen again at a later meeting: same identity, updated source */
	p = make("Ny struktur på dagtilbud", "https://x/dagsorden/2#punkt-7", 0, "22-1");
	p->case_key = strdup("22-1");
	p->variant = strdup("Model 2");
	ck_assert_int_eq(put(p), IB_PUT_UPDATED);
	ck_assert_int_eq(tu_count(s, "proposal"), 6);
	ck_assert_str_eq(tu_text(s, "SELECT count(*) FROM proposal WHERE case_key='22-1'"), "2");
	ib_error err = {0};
	ck_assert_int_eq(ib_store_check(s, &err), IB_OK);
}
END_TEST

/* export -> import round trip keeps case, variant and appearances */
START_TEST(feed_round_trip)
{
	ib_proposal *p =
	    make("Ny struktur på dagtilbud", "https://x/dagsorden/2#punkt-7", 0, "22-1");
	p->case_key = strdup("22-1");
	p->variant = strdup("Model 2");
	ib_appearance a = {"Skole-, Børne- og Ungeudvalget", "2023-01-09", "7", "Anbefales.",
			   "https://x/dagsorden/2#punkt-7"};
	ib_proposal_add_appearance(p, &a);
	ib_buf b;
	ib_buf_init(&b, 0);
	ck_assert_int_eq(ib_feed_write_jsonl(&b, p, 0), IB_OK);
	ib_proposal_list l = {0};
	ib_error err = {0};
	ck_assert_msg(ib_feed_parse_jsonl("x.jsonl", b.z, b.n, &l, &err) == IB_OK, "%s", err.msg);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_str_eq(l.items[0]->case_key, "22-1");
	ck_assert_str_eq(l.items[0]->variant, "Model 2");
	ck_assert_uint_eq(l.items[0]->n_appearances, 1);
	ck_assert_str_eq(l.items[0]->appearances[0].decision, "Anbefales.");
	ib_buf again;
	ib_buf_init(&again, 0);
	ck_assert_int_eq(ib_feed_write_jsonl(&again, l.items[0], 0), IB_OK);
	ck_assert_str_eq(ib_buf_str(&again), ib_buf_str(&b));
	/* stored and read back the same */
	int result;
	ck_assert_int_eq(ib_store_put_proposal(s, l.items[0], &result, &err), IB_OK);
	ib_proposal *q = NULL;
	ck_assert_int_eq(ib_store_get_proposal(s, l.items[0]->id, &q, &err), IB_OK);
	ib_buf_reset(&again);
	ck_assert_int_eq(ib_feed_write_jsonl(&again, q, 0), IB_OK);
	ck_assert_str_eq(ib_buf_str(&again), ib_buf_str(&b));
	ib_proposal_free(q);
	ib_proposal_free(p);
	ib_proposal_list_free(&l);
	ib_buf_free(&b);
	ib_buf_free(&again);
}
END_TEST

/* A database of an earlier schema (version 1, tests/fixtures/schema-v1.db) is migrated
 * to the new identity: every stored proposal put again as read is unchanged (the
 * identity the migration wrote is the one the store computes). */
START_TEST(migrates_identity)
{
	ib_buf b;
	ib_error err = {0};
	ib_buf_init(&b, 0);
	ck_assert_int_eq(ib_buf_read_file(&b, tu_fixture("schema-v1.db"), &err), IB_OK);
	const char *path = tu_tmp_path("v1.db");
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(b.z, 1, b.n, f), b.n);
	fclose(f);
	ib_buf_free(&b);
	ib_store *old = NULL;
	ck_assert_msg(ib_store_open(path, &old, &err) == IB_OK, "%s", err.msg);
	ck_assert_str_eq(tu_text(old, "PRAGMA user_version"), "7");
	ck_assert_int_eq(tu_count(old, "proposal"), 5);
	ck_assert_str_eq(tu_text(old, "SELECT count(DISTINCT ident) FROM proposal"), "5");
	int64_t *ids = NULL;
	size_t n = 0;
	ck_assert_int_eq(ib_store_proposal_ids(old, &ids, &n, &err), IB_OK);
	ck_assert_uint_eq(n, 5);
	for (size_t i = 0; i < n; i++) {
		ib_proposal *p = NULL;
		ck_assert_int_eq(ib_store_get_proposal(old, ids[i], &p, &err), IB_OK);
		int result = 0;
		ck_assert_int_eq(ib_store_put_proposal(old, p, &result, &err), IB_OK);
		ck_assert_int_eq(result, IB_PUT_UNCHANGED);
		ck_assert_int_eq(p->id, ids[i]);
		ib_proposal_free(p);
	}
	free(ids);
	ck_assert_int_eq(ib_store_check(old, &err), IB_OK);
	ib_store_close(old);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("agenda");
	TCase *tc = tcase_create("agenda");
	tcase_set_timeout(tc, 600);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, identity);
	tcase_add_test(tc, feed_round_trip);
	tcase_add_test(tc, migrates_identity);
	tcase_add_test(tc, agenda_config_errors);
	tcase_add_test(tc, tool_fetch);
	tcase_add_test(tc, greve_import_from_disk);
	tcase_add_test(tc, greve_fetch_incremental);
	suite_add_tcase(su, tc);
	SRunner *sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
