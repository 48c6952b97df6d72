/* check_agenda_merge.c - a case is the sum of every meeting stored: importing all of
 * Greve's recorded meetings (../shared/data/greve-agendas), then each meeting again on
 * its own, leaves every case exactly as it was (adopted, appearances, source, money:
 * the whole proposal as the feed writes it, and every item's outcome); a meeting from
 * which a case's item was taken out changes that case, and the original meeting
 * brings it back. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>
#include <zlib.h>

#include "ideabank.h"
#include "ideabank/agenda.h"
#include "store_int.h"
#include "testutil.h"

static ib_store *s;

static void setup(void)
{
	ib_error err = {0};
	ck_assert_int_eq(ib_store_open(tu_tmp_path("merge.db"), &s, &err), IB_OK);
	const char *ref[] = {"data/kommuner.csv"};
	ck_assert_msg(ib_import_files(s, ref, 1, NULL, &err) == IB_OK, "%s", err.msg);
}

static void teardown(void)
{
	ib_store_close(s);
}

/* Every agenda case's proposals as feed lines (with ids), then every item's outcome:
 * what a reader of the bank sees of the cases.  Caller frees. */
static char *snapshot(void)
{
	ib_buf b;
	ib_buf_init(&b, 0);
	int64_t *ids = NULL;
	size_t n = 0;
	ib_error err = {0};
	ck_assert_int_eq(ib_store_proposal_ids(s, &ids, &n, &err), IB_OK);
	for (size_t i = 0; i < n; i++) {
		ib_proposal *p = NULL;
		ck_assert_int_eq(ib_store_get_proposal(s, ids[i], &p, &err), IB_OK);
		ck_assert_int_eq(ib_feed_write_jsonl(&b, p, 1), IB_OK);
		ib_proposal_free(p);
	}
	free(ids);
	ck_assert_int_eq(ib_buf_adds(&b, tu_text(s, "SELECT group_concat(x, '\n') FROM (SELECT"
						       " meeting_id || ' ' || item || ' ' || outcome"
						       " || ' ' || reason || ' ' ||"
						       " coalesce(proposal_id, '-') AS x FROM"
						       " agenda_item ORDER BY meeting_id, seq)")),
			 IB_OK);
	char *z = strdup(ib_buf_str(&b));
	ib_buf_free(&b);
	return z;
}

static int import1(const char *path, ib_agenda_report *a)
{
	ib_error err = {0};
	int rc = ib_agenda_import(s, "Greve", &path, 1, a, &err);
	ck_assert_msg(rc == IB_OK, "%s: %s", path, err.msg);
	return rc;
}

/* The first line where a and b differ, for the failure message (static buffer). */
static const char *first_difference(const char *a, const char *b)
{
	static char out[1200];
	size_t line = 1;
	const char *la = a, *lb = b;
	while (*a && *a == *b) {
		if (*a == '\n') {
			line++;
			la = a + 1;
			lb = b + 1;
		}
		a++, b++;
	}
	snprintf(out, sizeof out, "line %zu:\n  was %.400s\n  now %.400s", line, la, lb);
	return out;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

START_TEST(each_meeting_again)
{
	const char *dir = tu_shared("data/greve-agendas/dagsorden");
	char dirpath[1024];
	snprintf(dirpath, sizeof dirpath, "%s", dir);
	ib_agenda_report a;
	import1(dirpath, &a);
	long stored = a.proposals_new;
	ck_assert_int_gt(stored, 0);
	ib_agenda_report_free(&a);
	char *before = snapshot();

	DIR *d = opendir(dirpath);
	ck_assert_ptr_nonnull(d);
	char *names[400];
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < 400)
		if (strstr(e->d_name, ".json.gz"))
			names[n++] = strdup(e->d_name);
	closedir(d);
	qsort(names, n, sizeof *names, by_name);
	ck_assert_uint_eq(n, 285);
	for (size_t i = 0; i < n; i++) {
		char path[1400];
		snprintf(path, sizeof path, "%s/%s", dirpath, names[i]);
		import1(path, &a);
		ck_assert_msg(a.proposals_new == 0 && a.proposals_updated == 0 &&
				  a.proposals_removed == 0,
			      "%s: %ld new, %ld updated, %ld removed", names[i], a.proposals_new,
			      a.proposals_updated, a.proposals_removed);
		ib_agenda_report_free(&a);
		free(names[i]);
	}
	char *after = snapshot();
	ck_assert_msg(!strcmp(before, after), "cases changed: %s", first_difference(before, after));
	free(after);
	ib_error err = {0};
	ck_assert_int_eq(ib_store_check(s, &err), IB_OK);
	free(before);
}
END_TEST

/* Read a gzip file whole (static-size cap: the meetings are under 4 MB). */
static char *read_gz(const char *path)
{
	gzFile f = gzopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	size_t cap = 8u << 20, n = 0;
	char *z = malloc(cap + 1);
	int k;
	while ((k = gzread(f, z + n, (unsigned)(cap - n))) > 0)
		n += (size_t)k;
	gzclose(f);
	z[n] = 0;
	return z;
}

/* Byrådet's meeting of 19 June 2023 decided case 23-003614 (Model B adopted).  Without
 * that item the case has one appearance fewer and its source moves to the latest other
 * appearance with the case's table; adoption stays (Sundheds- og Omsorgsudvalget's
 * "Godkendt" of 5 February 2024 is the last decision either way); the original meeting
 * restores it all. */
START_TEST(meeting_without_an_item)
{
	const char *dir = tu_shared("data/greve-agendas/dagsorden");
	char path[1200];
	snprintf(path, sizeof path, "%s", dir);
	ib_agenda_report a;
	import1(path, &a);
	ib_agenda_report_free(&a);
	char *before = snapshot();
	const char *adopted_sql = "SELECT group_concat(coalesce(adopted, '-'), ',') FROM (SELECT"
				  " adopted FROM proposal WHERE case_key = '23-003614' ORDER BY"
				  " variant)";
	const char *appearances_sql =
	    "SELECT count(*) FROM appearance WHERE proposal_id = (SELECT id FROM proposal WHERE"
	    " case_key = '23-003614' AND variant = 'Model B')";
	ck_assert_str_eq(tu_text(s, adopted_sql), "0,1");
	ck_assert_str_eq(tu_text(s, appearances_sql), "8");

	snprintf(path, sizeof path, "%s/55490cd5-c0a9-465c-9b10-4c85da773fc4.json.gz", dir);
	char *json = read_gz(path);
	cJSON *root = cJSON_Parse(json);
	ck_assert_ptr_nonnull(root);
	cJSON *items = cJSON_GetObjectItemCaseSensitive(root, "Dagsordenpunkter");
	int taken = 0;
	for (int i = cJSON_GetArraySize(items); i-- > 0;) {
		cJSON *it = cJSON_GetArrayItem(items, i);
		const cJSON *no = cJSON_GetObjectItemCaseSensitive(it, "SagsNummer");
		if (cJSON_IsString(no) && !strcmp(no->valuestring, "23-003614")) {
			cJSON_DeleteItemFromArray(items, i);
			taken++;
		}
	}
	ck_assert_int_eq(taken, 1);
	char *changed = cJSON_PrintUnformatted(root);
	const char *cut = tu_write_file("55490cd5-c0a9-465c-9b10-4c85da773fc4.json", changed);
	import1(cut, &a);
	ck_assert_int_eq(a.proposals_updated, 2);
	ib_agenda_report_free(&a);
	ck_assert_str_eq(tu_text(s, adopted_sql), "0,1");
	ck_assert_str_eq(tu_text(s, appearances_sql), "7");
	ck_assert_str_eq(tu_text(s, "SELECT count(*) FROM appearance a JOIN proposal p ON"
				    " p.id = a.proposal_id WHERE p.case_key = '23-003614' AND"
				    " a.committee LIKE 'Byråd%'"),
			 "0");

	import1(path, &a);
	ck_assert_int_eq(a.proposals_updated, 2);
	ib_agenda_report_free(&a);
	char *after = snapshot();
	ck_assert_msg(!strcmp(before, after), "not restored: %s", first_difference(before, after));
	ib_error err = {0};
	ck_assert_int_eq(ib_store_check(s, &err), IB_OK);
	free(before);
	free(after);
	free(changed);
	free(json);
	cJSON_Delete(root);
}
END_TEST

/* The same meeting twice in one import, and a meeting stored for another municipality
 * imported under a wrong --kommune: refused, nothing stored. */
START_TEST(meeting_given_twice_or_elsewhere)
{
	const char *dir = tu_shared("data/greve-agendas/dagsorden");
	char gz[1200];
	snprintf(gz, sizeof gz, "%s/55490cd5-c0a9-465c-9b10-4c85da773fc4.json.gz", dir);
	char *json = read_gz(gz);
	const char *plain = tu_write_file("55490cd5-c0a9-465c-9b10-4c85da773fc4.json", json);
	const char *two[] = {gz, plain};
	ib_agenda_report a;
	ib_error err = {0};
	ck_assert_int_eq(ib_agenda_import(s, "Greve", two, 2, &a, &err), IB_EDUP);
	char want[3000];
	snprintf(want, sizeof want,
		 "%s: the same meeting (Id 55490cd5-c0a9-465c-9b10-4c85da773fc4) as %s", plain, gz);
	ck_assert_str_eq(err.msg, want);
	ck_assert_int_eq(tu_count(s, "agenda_meeting"), 0);
	import1(gz, &a);
	ib_agenda_report_free(&a);
	const char *other = plain;
	ck_assert_int_eq(ib_agenda_import(s, "Ringsted", &other, 1, &a, &err), IB_EDUP);
	snprintf(want, sizeof want,
		 "%s: meeting 55490cd5-c0a9-465c-9b10-4c85da773fc4 is stored as Greve's (253), not "
		 "Ringsted's (329); is --kommune right?",
		 plain);
	ck_assert_str_eq(err.msg, want);
	ck_assert_str_eq(tu_text(s, "SELECT count(*) FROM proposal WHERE kommunekode = 329"), "0");
	free(json);
}
END_TEST

/* A case the meetings no longer make is deleted: a meeting whose only appearance of
 * a stored case is taken out leaves no meeting holding it. */
START_TEST(case_no_longer_on_an_agenda)
{
	/* 23-000974 (Freyas Kvarter) passed four meetings; store one of them, then that
	   meeting without the item */
	const char *dir = tu_shared("data/greve-agendas/dagsorden");
	char path[1200];
	snprintf(path, sizeof path, "%s/9bc22f7f-1f4f-4d2b-8f57-ecbd62e2bd43.json.gz", dir);
	ib_agenda_report a;
	import1(path, &a);
	ib_agenda_report_free(&a);
	ck_assert_str_eq(tu_text(s, "SELECT count(*) FROM proposal WHERE case_key = '23-000974'"),
			 "1");
	char *json = read_gz(path);
	cJSON *root = cJSON_Parse(json);
	cJSON *items = cJSON_GetObjectItemCaseSensitive(root, "Dagsordenpunkter");
	for (int i = cJSON_GetArraySize(items); i-- > 0;) {
		const cJSON *no =
		    cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(items, i), "SagsNummer");
		if (cJSON_IsString(no) && !strcmp(no->valuestring, "23-000974"))
			cJSON_DeleteItemFromArray(items, i);
	}
	char *changed = cJSON_PrintUnformatted(root);
	const char *cut = tu_write_file("9bc22f7f-1f4f-4d2b-8f57-ecbd62e2bd43.json", changed);
	import1(cut, &a);
	ck_assert_int_eq(a.proposals_removed, 1);
	ib_agenda_report_free(&a);
	ck_assert_str_eq(tu_text(s, "SELECT count(*) FROM proposal WHERE case_key = '23-000974'"),
			 "0");
	ib_error err = {0};
	ck_assert_int_eq(ib_store_check(s, &err), IB_OK);
	free(changed);
	free(json);
	cJSON_Delete(root);
}
END_TEST

/* A database of schema version 6 holding agenda cases: migration 7 drops its agenda
 * items (they kept no case text) but remembers each case's meetings, so storing one of
 * them again keeps the case's proposals as they were (derived from one meeting, 23-003614
 * would lose 7 of its 8 appearances); once every meeting is stored again the case is
 * derived as in a new database. */
START_TEST(migrated_cases_wait_for_their_meetings)
{
	const char *dir = tu_shared("data/greve-agendas/dagsorden");
	char path[1200];
	snprintf(path, sizeof path, "%s", dir);
	ib_agenda_report a;
	import1(path, &a);
	ib_agenda_report_free(&a);
	char *before = snapshot();
	/* the bank as schema version 6 left it (agenda_item of version 4) */
	char *msg = NULL;
	int rc = sqlite3_exec(
	    s->db,
	    "CREATE TABLE old_item AS SELECT kommunekode, meeting_id, item, case_number, title,"
	    " outcome, reason, proposal_id FROM agenda_item;"
	    "DROP TABLE agenda_item; DROP TABLE agenda_legacy; DROP TABLE population_by_age;"
	    "ALTER TABLE agenda_meeting DROP COLUMN starts;"
	    "CREATE TABLE agenda_item(kommunekode INTEGER NOT NULL, meeting_id TEXT NOT NULL,"
	    " item TEXT NOT NULL, case_number TEXT, title TEXT, outcome TEXT NOT NULL CHECK("
	    "outcome IN ('proposal', 'skipped', 'flagged')), reason TEXT NOT NULL, proposal_id"
	    " INTEGER REFERENCES proposal ON DELETE SET NULL, PRIMARY KEY(kommunekode,"
	    " meeting_id, item), FOREIGN KEY(kommunekode, meeting_id) REFERENCES agenda_meeting)"
	    " WITHOUT ROWID;"
	    "INSERT INTO agenda_item SELECT * FROM old_item; DROP TABLE old_item;"
	    "PRAGMA user_version=6",
	    NULL, NULL, &msg);
	ck_assert_msg(rc == SQLITE_OK, "%s", msg);
	char db[1024];
	snprintf(db, sizeof db, "%s", s->path);
	ib_store_close(s);
	ib_error err = {0};
	ck_assert_msg(ib_store_open(db, &s, &err) == IB_OK, "%s", err.msg);
	ck_assert_int_eq(tu_count(s, "agenda_item"), 0);
	ck_assert_int_eq(tu_count(s, "agenda_meeting"), 0);
	ck_assert_str_eq(tu_text(s, "SELECT count(DISTINCT meeting_id) FROM agenda_legacy"),
			 "285");

	/* Sundheds- og Omsorgsudvalget of 5 February 2024 holds two items of 23-003614 */
	snprintf(path, sizeof path, "%s/251f27f2-d274-4572-a1cb-71f141006882.json.gz", dir);
	import1(path, &a);
	ck_assert_int_ge(a.cases_waiting, 1);
	ck_assert_int_eq(a.proposals_removed, 0);
	ck_assert_int_eq(a.proposals_updated, 0);
	ib_agenda_report_free(&a);
	ck_assert_str_eq(tu_text(s, "SELECT group_concat(n, ',') FROM (SELECT count(a.seq) n FROM"
				    " proposal p JOIN appearance a ON a.proposal_id = p.id WHERE"
				    " p.case_key = '23-003614' GROUP BY p.id ORDER BY p.variant)"),
			 "8,8");

	/* every meeting again: the cases as a new database has them */
	snprintf(path, sizeof path, "%s", dir);
	import1(path, &a);
	ck_assert_int_eq(a.cases_waiting, 0);
	ib_agenda_report_free(&a);
	ck_assert_int_eq(tu_count(s, "agenda_legacy"), 0);
	char *after = snapshot();
	ck_assert_msg(!strcmp(before, after), "cases changed: %s", first_difference(before, after));
	ck_assert_int_eq(ib_store_check(s, &err), IB_OK);
	free(before);
	free(after);
}
END_TEST

int main(void)
{
	return tu_run_tests("agenda_merge", 600, setup, teardown,
			    TU_TESTS(each_meeting_again, meeting_without_an_item,
				     meeting_given_twice_or_elsewhere, case_no_longer_on_an_agenda,
				     migrated_cases_wait_for_their_meetings));
}
