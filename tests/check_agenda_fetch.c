/* check_agenda_fetch.c - every municipality's agendas: the built-in portal table
 * (data/agenda_portals.csv, made by `ideabank convert-dst`), the committee lists of other
 * municipalities, the address a case cites, and `ideabank fetch --agendas` against the
 * test server (tests/support/fakeserver.c) serving several portals that, like the real
 * ones, answer their API only in the session their front page opens: one asks to wait
 * (429 with Retry-After), one is down, one stalls, one never gives a session, one lets
 * its session expire once; a second run is all 304 with the database file unchanged;
 * a changed meeting is fetched again; a run killed (-9) halfway keeps what it
 * committed and the next run completes it. */
#include <check.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "fakeserver.h"
#include "ideabank.h"
#include "ideabank/agenda.h"
#include "ideabank/portals.h"
#include "testutil.h"

static fs_server *srv;
static ib_store *s;
static char db_path[1024];

static void setup(void)
{
	srv = fs_start(tu_shared(""));
	ck_assert_msg(srv != NULL, "cannot start the test server (shared data at %s)",
		      tu_shared(""));
	snprintf(db_path, sizeof db_path, "%s", tu_tmp_path("agendas.db"));
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

/* ---- the portal table ------------------------------------------------------------ */

START_TEST(portal_table)
{
	ib_portal *p = NULL;
	size_t n = 0;
	ib_error err = {0};
	ck_assert_int_eq(ib_portals(&p, &n, &err), IB_OK);
	ck_assert_uint_eq(n, 98);
	size_t supported = 0;
	for (size_t i = 0; i < n; i++)
		supported += (size_t)ib_portal_supported(&p[i]);
	ck_assert_uint_eq(supported, 88);
	/* "Nordfyns Kommune" in the list is the registry's Nordfyns */
	const ib_portal *x = ib_portal_of(p, n, 480);
	ck_assert_str_eq(x->kommune, "Nordfyns");
	ck_assert_str_eq(x->host, "dagsordener.nordfynskommune.dk");
	x = ib_portal_of(p, n, 820);
	ck_assert_str_eq(x->kommune, "Vesthimmerlands");
	ck_assert_str_eq(x->host, "dagsordener.vesthimmerland.dk");
	x = ib_portal_of(p, n, 183);
	ck_assert_str_eq(x->system, "none");
	ck_assert_int_eq(ib_portal_supported(x), 0);
	x = ib_portal_of(p, n, 530);
	ck_assert_str_eq(x->system, "meetingsplus");
	ck_assert_str_eq(x->host, "billund.meetingsplus.dk");
	ck_assert_int_eq(ib_portal_supported(x), 0);
	x = ib_portal_of(p, n, 101);
	ck_assert_str_eq(x->system, "kk_jsonapi");
	ck_assert_str_eq(x->host, "");
	ck_assert_ptr_null(ib_portal_of(p, n, 411));
	free(p);

	char url[300];
	ib_portal_item_url("https://dagsordener.greve.dk", "9bc22f7f-1f4f", "e3ad-b729", "23", url,
			   sizeof url);
	ck_assert_str_eq(url,
			 "https://dagsordener.greve.dk/vis?id=9bc22f7f-1f4f&punktid=e3ad-b729");
	ib_portal_item_url("https://x.dk", "a b&c", NULL, "4", url, sizeof url);
	ck_assert_str_eq(url, "https://x.dk/vis?id=a%20b%26c#punkt-4");
	ib_portal_item_url("https://x.dk", "m", "", NULL, url, sizeof url);
	ck_assert_str_eq(url, "https://x.dk/vis?id=m#punkt-?");
	ib_portal_item_url("https://x.dk", "meeting", "item", "1", url, 20);
	ck_assert_str_eq(url, "https://x.dk/vis?id");
}
END_TEST

/* A copy of the shared data folder's Statistics Denmark files (links) with the portal
 * list text, for the conversion. */
static const char *data_dir_with_portals(const char *list)
{
	static char dir[1024];
	snprintf(dir, sizeof dir, "%s", tu_tmp_path("data"));
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	static const char *const links[] = {"derived", "dst-regk31-per-inhabitant"};
	char shared[PATH_MAX];
	ck_assert_ptr_nonnull(realpath(tu_shared("data"), shared));
	for (int i = 0; i < 2; i++) {
		char from[PATH_MAX + 100], to[1200];
		snprintf(from, sizeof from, "%s/%s", shared, links[i]);
		snprintf(to, sizeof to, "%s/%s", dir, links[i]);
		ck_assert_int_eq(symlink(from, to), 0);
	}
	char path[1200];
	snprintf(path, sizeof path, "%s/agenda-portals", dir);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof path, "%s/agenda-portals/dagsorden_portaler.json", dir);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(list, f);
	fclose(f);
	return dir;
}

/* The real list converts (check_dst.c holds data/agenda_portals.csv to it); a name
 * that is no municipality, or a municipality left out, fails loudly. */
START_TEST(portal_conversion_errors)
{
	ib_buf b;
	ib_error err = {0};
	ib_buf_init(&b, 0);
	ck_assert_int_eq(
	    ib_buf_read_file(&b, tu_shared("data/agenda-portals/dagsorden_portaler.json"), &err),
	    IB_OK);
	/* "Greve" spelled as a place that is not a municipality */
	char *bad = strdup(ib_buf_str(&b));
	char *g = strstr(bad, "\"Greve\"");
	ck_assert_ptr_nonnull(g);
	memcpy(g, "\"Grave\"", 7);
	const char *dir = data_dir_with_portals(bad);
	char out[1200];
	snprintf(out, sizeof out, "%s/out", dir);
	ck_assert_int_eq(mkdir(out, 0700), 0);
	ck_assert_int_eq(ib_dst_convert(dir, out, NULL, &err), IB_EPARSE);
	char want[1600];
	snprintf(want, sizeof want,
		 "%s/agenda-portals/dagsorden_portaler.json: \"Grave\" is not a municipality of "
		 "the registry",
		 dir);
	ck_assert_str_eq(err.msg, want);
	free(bad);
	ib_buf_free(&b);
}
END_TEST

START_TEST(portal_conversion_missing)
{
	ib_error err = {0};
	const char *dir = data_dir_with_portals("{\"Nordfyns Kommune\": \"dagsordener.x.dk\"}");
	char out[1200];
	snprintf(out, sizeof out, "%s/out", dir);
	ck_assert_int_eq(mkdir(out, 0700), 0);
	ck_assert_int_eq(ib_dst_convert(dir, out, NULL, &err), IB_EPARSE);
	char want[1600];
	snprintf(want, sizeof want,
		 "%s/agenda-portals/dagsorden_portaler.json: no entry for København (101)", dir);
	ck_assert_str_eq(err.msg, want);
}
END_TEST

/* ---- committee lists of other municipalities -------------------------------------- */

static size_t meetings_in(const char *rel, const char *from, const char *to, ib_agenda_ref **r)
{
	ib_buf b;
	ib_error err = {0};
	ib_buf_init(&b, 0);
	ck_assert_int_eq(ib_buf_read_file(&b, tu_shared(rel), &err), IB_OK);
	size_t n = 0;
	int rc = ib_agenda_meetings(rel, b.z, b.n, from, to, NULL, 0, r, &n, &err);
	ck_assert_msg(rc == IB_OK, "%s", err.msg);
	ib_buf_free(&b);
	return n;
}

START_TEST(other_committee_lists)
{
	ib_agenda_ref *r = NULL;
	/* Middelfart: three groups, one of them "Budget" (no meetings in the copy) */
	size_t n = meetings_in("data/other-agendas/middelfart/udvalgsliste.json", NULL, NULL, &r);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(r[0].committee, "Byrådet"); /* the same day: by id */
	ck_assert_str_eq(r[0].date, "2026-08-31");
	ck_assert_str_eq(r[1].committee, "Økonomiudvalget");
	ib_agenda_refs_free(r, n);
	ck_assert_uint_eq(
	    meetings_in("data/other-agendas/middelfart/udvalgsliste.json", "2026-09-01", NULL, &r),
	    0);
	ib_agenda_refs_free(r, 0);
	/* Hvidovre: a group per election period, 1.400 meetings 2014-2026 with more fields */
	n = meetings_in("data/other-agendas/hvidovre/udvalgsliste.json", NULL, NULL, &r);
	ck_assert_uint_eq(n, 1400);
	ck_assert_str_eq(r[0].date, "2014-01-13");
	ib_agenda_refs_free(r, n);
	n = meetings_in("data/other-agendas/hvidovre/udvalgsliste.json", "2025-01-01", "2026-12-07",
			&r);
	ck_assert_uint_eq(n, 176);
	ib_agenda_refs_free(r, n);
	n = meetings_in("data/other-agendas/hvidovre/udvalgsliste.json", "2022-01-01", "2025-12-31",
			&r);
	ck_assert_uint_eq(n, 496);
	ib_agenda_refs_free(r, n);

	/* a meeting listed in two groups is one meeting */
	static const char twice[] =
	    "{\"Udvalg\": {\"A\": [{\"Navn\": \"Byrådet\", \"Moeder\": [{\"Id\": \"m1\", \"Dato\":"
	    " \"2025-03-01T17:00:00\"}, {\"Id\": \"m2\", \"Dato\": \"2025-02-01T17:00:00\"}]}],"
	    " \"Budget\": [{\"Navn\": \"Byrådet\", \"Moeder\": [{\"Id\": \"m1\", \"Dato\":"
	    " \"2025-03-01T17:00:00\"}]}, {\"Navn\": \"Tom\", \"Moeder\": null}]}}";
	ib_error err = {0};
	ck_assert_int_eq(
	    ib_agenda_meetings("x", twice, strlen(twice), NULL, NULL, NULL, 0, &r, &n, &err),
	    IB_OK);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(r[0].id, "m2");
	ck_assert_str_eq(r[1].id, "m1");
	ib_agenda_refs_free(r, n);
}
END_TEST

/* ---- the address a case cites ------------------------------------------------------ */

START_TEST(import_cites_the_portal)
{
	const char *file[] = {
	    tu_shared("data/greve-agendas/dagsorden/9bc22f7f-1f4f-4d2b-8f57-ecbd62e2bd43.json.gz")};
	ib_agenda_report a;
	ib_error err = {0};
	ck_assert_msg(ib_agenda_import(s, "Greve", file, 1, &a, &err) == IB_OK, "%s", err.msg);
	ib_agenda_report_free(&a);
	/* Freyas Kvarter, item 23 of the Byråd's meeting of 6 March 2023 */
	ck_assert_str_eq(tu_text(s, "SELECT source FROM proposal WHERE ref = '23-000974'"),
			 "https://dagsordener.greve.dk/vis?id=9bc22f7f-1f4f-4d2b-8f57-ecbd62e2bd43"
			 "&punktid=064226cd-3cf3-49d7-a5cc-17c246b837ef");
	/* Middelfart's answers (another municipality's wording) read without error */
	const char *dir[] = {tu_shared("data/other-agendas/middelfart/dagsorden")};
	ck_assert_msg(ib_agenda_import(s, "Middelfart", dir, 1, &a, &err) == IB_OK, "%s", err.msg);
	ck_assert_int_eq(a.meetings, 2);
	ck_assert_int_eq(a.items, 2);
	ib_agenda_report_free(&a);
	ck_assert_str_eq(tu_text(s, "SELECT count(*) FROM agenda_item WHERE kommunekode = 410"),
			 "2");
}
END_TEST

/* ---- `ideabank fetch --agendas` against several portals ---------------------------- */

/* Run the built tool (as a shell command line after `ideabank --db DB`) with the
 * portals pointed at the test server; output and exit code.  The test's own
 * connection is closed meanwhile, so that the tool's is the last and leaves no
 * write-ahead log behind (the database file is then all there is to compare). */
static const char *run_tool(const char *args, int *code)
{
	ib_store_close(s);
	s = NULL;
	char env[128];
	snprintf(env, sizeof env,
		 "IDEABANK_PORTAL_CONNECT='127.0.0.1:%d dagsordener.koege.dk=127.0.0.1:1'",
		 fs_port(srv));
	const char *out = tu_run_tool(env, db_path, args, code);
	ib_error err = {0};
	ck_assert_int_eq(ib_store_open(db_path, &s, &err), IB_OK);
	return out;
}

/* 1 when text has line as one of its lines. */
static int has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	for (const char *p = strstr(text, line); p; p = strstr(p + 1, line))
		if ((p == text || p[-1] == '\n') && (p[n] == '\n' || !p[n]))
			return 1;
	return 0;
}

/* The summary row of a municipality: its meetings, items and result (the proposal and
 * skipped columns depend on the classification, which check_agenda.c tests). */
static void summary_row(const char *out, const char *name, const char *meetings, const char *items,
			const char *result)
{
	const char *p = out;
	char line[512] = "";
	while ((p = strstr(p, name))) {
		if ((p == out || p[-1] == '\n') && p[strlen(name)] == ' ') {
			snprintf(line, sizeof line, "%.*s", (int)strcspn(p, "\n"), p);
			break;
		}
		p++;
	}
	ck_assert_msg(*line, "no summary row for %s in:\n%s", name, out);
	char m[32], i[32], pr[32], sk[32], res[200];
	ck_assert_int_eq(
	    sscanf(line + strlen(name), "%31s %31s %31s %31s %199[^\n]", m, i, pr, sk, res), 5);
	ck_assert_msg(!strcmp(m, meetings) && !strcmp(i, items) && !strcmp(res, result),
		      "%s: got '%s', want %s meetings, %s items, %s", name, line, meetings, items,
		      result);
}

#define GREVE "dagsordener.greve.dk"
#define SOLROD "dagsordener.solrod.dk"
#define MIDDELFART "dagsordener.middelfart.dk"
#define STEVNS "dagsordener.stevns.dk"
#define LEJRE "dagsordener.lejre.dk"

/* Six municipalities on FirstAgenda-style portals and two that are not: Greve (Greve's
 * meetings of November 2024; its session expires once), Solrød (Greve's of June 2024;
 * asks to wait with 429 twice), Middelfart (its own two meetings), Køge (down), Stevns
 * (stalls on its meeting), Lejre (its front page never gives a session), København
 * (kk_jsonapi) and Ishøj (none known). */
static void serve_portals(void)
{
	ck_assert_int_eq(fs_portal(srv, GREVE, "data/greve-agendas", "2024-11-01", "2024-11-30"),
			 11);
	ck_assert_int_eq(fs_portal(srv, SOLROD, "data/greve-agendas", "2024-06-01", "2024-06-30"),
			 8);
	ck_assert_int_eq(fs_portal(srv, MIDDELFART, "data/other-agendas/middelfart", NULL, NULL),
			 2);
	ck_assert_int_eq(fs_portal(srv, STEVNS, "data/greve-agendas", "2024-12-01", "2024-12-31"),
			 1);
	ck_assert_int_eq(fs_portal(srv, LEJRE, "data/greve-agendas", "2024-12-01", "2024-12-31"),
			 1);
}

#define AGENDAS                                                                                    \
	"fetch --agendas --kommune Greve --kommune 269 --kommune Middelfart --kommune Køge"       \
	" --kommune Stevns --kommune Lejre --kommune København --kommune Ishøj"                  \
	" --from 2024-01-01 --to 2026-12-31 --delay-ms 0 --timeout 1 --retries 1 --hosts 6"        \
	" --backoff-ms 10"

START_TEST(country_fetch)
{
	serve_portals();
	fs_fault_host(srv, SOLROD, "/api/agenda/udvalgsliste", FS_429, 1, 1);
	fs_fault_host(srv, SOLROD, "/api/agenda/dagsorden/", FS_429, 1, 1);
	fs_fault_host(srv, GREVE, "/api/agenda/dagsorden/", FS_NO_SESSION, 0, 1);
	fs_fault_host(srv, STEVNS, "/api/agenda/dagsorden/", FS_SLOW, 1500, 100);
	fs_fault_host(srv, LEJRE, "/", FS_NO_SESSION, 0, 100);
	char args[2048];
	snprintf(args, sizeof args, AGENDAS " --cache '%s'", tu_tmp_path("cache"));
	int code = 0;
	const char *out = run_tool(args, &code);
	ck_assert_msg(code == 5, "exit %d:\n%s", code, out);
	ck_assert_msg(has_line(out, "København: not supported yet: its agendas are on kk_jsonapi,"
				    " which ideabank cannot read yet"),
		      "%s", out);
	ck_assert_msg(has_line(out, "Ishøj: not supported yet: no agenda publication is known"),
		      "%s", out);
	ck_assert_msg(has_line(out, "Køge: failed: http://dagsordener.koege.dk/: cannot connect "
				    "after 2 attempts; nothing stored from this source"),
		      "%s", out);
	char want[1024];
	snprintf(want, sizeof want,
		 "Stevns: failed: http://" STEVNS "/api/agenda/dagsorden/%s: no complete answer "
		 "within 1000 ms after 2 attempts; nothing stored from this source",
		 fs_portal_meeting(srv, STEVNS, 0));
	ck_assert_msg(has_line(out, want), "%s", out);
	ck_assert_msg(has_line(out, "Lejre: failed: http://" LEJRE "/api/agenda/udvalgsliste: the "
				    "portal answers with a web page (redirected) instead of JSON, "
				    "also in a new session (its front page http://" LEJRE
				    "/ did not give the session it asks for); nothing stored from "
				    "this source"),
		      "%s", out);
	summary_row(out, "København", "-", "-", "not supported yet (kk_jsonapi)");
	summary_row(out, "Ishøj", "-", "-", "not supported yet (none)");
	summary_row(out, "Greve", "11", "181", "stored");
	summary_row(out, "Køge", "-", "-", "failed");
	summary_row(out, "Solrød", "8", "166", "stored");
	summary_row(out, "Stevns", "1", "-", "failed");
	summary_row(out, "Lejre", "-", "-", "failed");
	summary_row(out, "Middelfart", "2", "2", "stored");
	ck_assert_msg(has_line(out,
			       "agendas: 3 municipalities stored, 0 unchanged, 3 failed (Køge, "
			       "Stevns, Lejre), 2 not supported yet (København, Ishøj)"),
		      "%s", out);
	ck_assert_msg(
	    has_line(out, "ideabank: 3 of 6 municipalities failed; the others were stored"), "%s",
	    out);
	/* the session: a front page per host, then the API; Greve's expired session
	   renewed once (a second front page and the meeting again) */
	ck_assert_int_eq(fs_requests(srv, GREVE "/api/agenda/dagsorden/"), 12);
	ck_assert_int_eq(fs_requests(srv, SOLROD "/api/agenda/dagsorden/"), 9);
	ck_assert_int_eq(fs_requests(srv, SOLROD "/api/agenda/udvalgsliste"), 2);
	ck_assert_int_eq(fs_requests(srv, LEJRE "/api/agenda/udvalgsliste"), 2);
	ck_assert_int_eq(fs_requests(srv, LEJRE "/api/agenda/dagsorden/"), 0);

	/* every reachable municipality's meetings and cases; nothing of the failed ones */
	ck_assert_str_eq(tu_text(s, "SELECT group_concat(k || ':' || n, ' ') FROM (SELECT"
				    " kommunekode k, count(*) n FROM agenda_meeting GROUP BY k"
				    " ORDER BY k)"),
			 "253:11 269:8 410:2");
	ck_assert_str_eq(tu_text(s, "SELECT count(*) FROM agenda_item WHERE kommunekode = 253"),
			 "181");
	ck_assert_str_eq(tu_text(s, "SELECT count(*) > 0 FROM proposal WHERE kommunekode = 253"
				    " AND case_key IS NOT NULL"),
			 "1");
	/* each case cites its item on the municipality's own portal */
	ck_assert_str_eq(tu_text(s, "SELECT count(*) FROM proposal WHERE case_key IS NOT NULL AND"
				    " source NOT LIKE 'https://' || CASE kommunekode WHEN 253 THEN"
				    " 'dagsordener.greve.dk' WHEN 269 THEN 'dagsordener.solrod.dk'"
				    " END || '/vis?id=%&punktid=%'"),
			 "0");
	ib_error err = {0};
	ck_assert_int_eq(ib_store_check(s, &err), IB_OK);

	/* the second run: a new session per host, every API answer 304, nothing written */
	ib_store_close(s);
	s = NULL;
	char before[65];
	snprintf(before, sizeof before, "%s", tu_file_sha(db_path));
	out = run_tool(args, &code);
	ck_assert_msg(code == 5, "exit %d:\n%s", code, out);
	ck_assert_msg(has_line(out, "Greve: unchanged (13 requests, 12 answered 304 Not Modified)"),
		      "%s", out);
	ck_assert_msg(has_line(out, "Solrød: unchanged (10 requests, 9 answered 304 Not Modified)"),
		      "%s", out);
	ck_assert_msg(
	    has_line(out, "Middelfart: unchanged (4 requests, 3 answered 304 Not Modified)"), "%s",
	    out);
	summary_row(out, "Greve", "11", "-", "unchanged");
	ck_assert_msg(has_line(out,
			       "agendas: 0 municipalities stored, 3 unchanged, 3 failed (Køge, "
			       "Stevns, Lejre), 2 not supported yet (København, Ishøj)"),
		      "%s", out);
	ib_store_close(s);
	s = NULL;
	ck_assert_str_eq(tu_file_sha(db_path), before);
	ck_assert_int_eq(ib_store_open(db_path, &s, &err), IB_OK);

	/* a meeting of Greve changes: only it is downloaded again, and Greve stored */
	const char *id = fs_portal_meeting(srv, GREVE, 3);
	char path[300];
	snprintf(path, sizeof path, "/api/agenda/dagsorden/%s", id);
	ib_buf b;
	ib_buf_init(&b, 0);
	char file[600];
	snprintf(file, sizeof file, "data/greve-agendas/dagsorden/%s.json.gz", id);
	gzFile gz = gzopen(tu_shared(file), "rb");
	ck_assert_ptr_nonnull(gz);
	char chunk[65536];
	int k;
	while ((k = gzread(gz, chunk, sizeof chunk)) > 0)
		ib_buf_add(&b, chunk, (size_t)k);
	gzclose(gz);
	/* the meeting's place changes its first letter */
	char *sted = strstr(b.z, "\"Sted\":");
	ck_assert_ptr_nonnull(sted);
	sted = strchr(sted + 7, '"');
	ck_assert_ptr_nonnull(sted);
	ck_assert(sted[1] != 'X' && sted[1] != '"');
	sted[1] = 'X';
	fs_file(srv, path, b.z, b.n, "application/json; charset=utf-8");
	ib_buf_free(&b);
	out = run_tool(args, &code);
	ck_assert_msg(code == 5, "exit %d:\n%s", code, out);
	/* the changed meeting's 14 items are read again; the cases they hold derived from
	   all 11 meetings stored */
	summary_row(out, "Greve", "11", "14", "stored");
	summary_row(out, "Solrød", "8", "-", "unchanged");
	snprintf(want, sizeof want,
		 "SELECT count(*) FROM fetch_log WHERE url = 'http://" GREVE
		 "/api/agenda/dagsorden/%s'",
		 id);
	ck_assert_str_eq(tu_text(s, want), "2");
	ck_assert_int_eq(ib_store_check(s, &err), IB_OK);
}
END_TEST

/* A run killed (-9) while one portal is still being read keeps the municipality it
 * committed; the next run asks again only for what it does not have, and completes. */
START_TEST(killed_and_resumed)
{
	serve_portals();
	fs_fault_host(srv, GREVE, "/api/agenda/dagsorden/", FS_SLOW, 1000, 100);
	const char *tool = getenv("IDEABANK");
	ck_assert_ptr_nonnull(tool);
	char cache[1024], cmd[4096];
	snprintf(cache, sizeof cache, "%s", tu_tmp_path("cache"));
	snprintf(cmd, sizeof cmd,
		 "IDEABANK_PORTAL_CONNECT=127.0.0.1:%d exec '%s' --db '%s' fetch --agendas"
		 " --kommune Greve --kommune Middelfart --from 2024-01-01 --to 2026-12-31"
		 " --delay-ms 0 --cache '%s' >/dev/null 2>&1",
		 fs_port(srv), tool, db_path, cache);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	/* wait until Middelfart is committed, then kill while Greve is being read */
	int committed = 0;
	for (int i = 0; i < 600 && !committed; i++) {
		usleep(50000);
		ib_store *r = NULL;
		ib_error err = {0};
		if (ib_store_open_readonly(db_path, &r, &err) == IB_OK) {
			committed = !strcmp(tu_text(r, "SELECT count(*) FROM agenda_meeting WHERE"
						       " kommunekode = 410"),
					    "2");
			ib_store_close(r);
		}
	}
	ck_assert_msg(committed, "Middelfart was not stored within 30 s");
	ck_assert_int_eq(kill(pid, SIGKILL), 0);
	int status = 0;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFSIGNALED(status));
	ck_assert_int_lt(fs_requests(srv, GREVE "/api/agenda/dagsorden/"), 11);
	ck_assert_str_eq(tu_text(s, "SELECT count(*) FROM agenda_meeting WHERE kommunekode = 253"),
			 "0");
	ck_assert_str_eq(tu_text(s, "SELECT count(*) FROM agenda_item WHERE kommunekode = 410"),
			 "2");
	ib_error err = {0};
	ck_assert_int_eq(ib_store_check(s, &err), IB_OK);

	/* the rerun: Middelfart unchanged, Greve read and stored; a progress bar on a
	   terminal */
	fs_faults_clear(srv);
	char args[2048];
	snprintf(args, sizeof args,
		 "fetch --agendas --kommune Greve --kommune Middelfart --from 2024-01-01"
		 " --to 2026-12-31 --delay-ms 0 --cache '%s'",
		 cache);
	int code = 0;
	const char *out = run_tool(args, &code);
	ck_assert_msg(code == 0, "exit %d:\n%s", code, out);
	ck_assert_msg(strstr(out, "\nMiddelfart: unchanged (") != NULL, "%s", out);
	summary_row(out, "Greve", "11", "181", "stored");
	summary_row(out, "Middelfart", "2", "-", "unchanged");
	ck_assert_str_eq(tu_text(s, "SELECT count(*) FROM agenda_meeting WHERE kommunekode = 253"),
			 "11");
	ck_assert_int_eq(ib_store_check(s, &err), IB_OK);
}
END_TEST

/* On a terminal the run draws one progress bar, meetings downloaded of those listed. */
START_TEST(progress_bar)
{
	ck_assert_int_eq(fs_portal(srv, MIDDELFART, "data/other-agendas/middelfart", NULL, NULL),
			 2);
	const char *tool = getenv("IDEABANK");
	ck_assert_ptr_nonnull(tool);
	char cmd[4096];
	snprintf(cmd, sizeof cmd,
		 "IDEABANK_PORTAL_CONNECT=127.0.0.1:%d script -qec \"'%s' --db '%s' fetch"
		 " --agendas --kommune Middelfart --from 2026-01-01 --to 2026-12-31"
		 " --delay-ms 300 --no-cache\" /dev/null | tr '\\r' '\\n' | sed 's/\\x1b\\[K//g' |"
		 " grep -c '^agendas  *\\['",
		 fs_port(srv), tool, db_path);
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	char line[64] = "";
	ck_assert_ptr_nonnull(fgets(line, sizeof line, p));
	pclose(p);
	/* 0 of 2 and 1 of 2 meetings, then cleared */
	ck_assert_str_eq(line, "2\n");
}
END_TEST

int main(void)
{
	return tu_run_tests("agenda_fetch", 120, setup, teardown,
			    TU_TESTS(portal_table, portal_conversion_errors,
				     portal_conversion_missing, other_committee_lists,
				     import_cites_the_portal, country_fetch, killed_and_resumed,
				     progress_bar));
}
