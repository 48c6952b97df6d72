/* check_stream.c - JSON Lines feeds of any size: streamed line by line into the import's
 * one transaction, all or nothing, with the checks of a feed read whole (UTF-8 per line,
 * duplicate identities naming both lines, a cap on one line only); a fetched feed
 * downloaded to a file, never held in memory. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "fakeserver.h"
#include "ideabank.h"
#include "testutil.h"

/* Bytes of a generated proposal's follow-up remark: a column not in the search index,
 * so a feed of many megabytes stays quick to store. */
#define REMARK_BYTES 35000

/* How a generated feed is made: n proposals titled "Forslag 1" ... "Forslag n" with an
 * effect of i * scale kr and a follow-up remark of remark bytes (a column not in the
 * search index, so a feed of many megabytes stays quick to store).  Line bad (0: none)
 * has an invalid budget year; line again (0: none) repeats line of's proposal. */
typedef struct feed_spec {
	long n, scale;
	size_t remark;
	long bad, again, of;
} feed_spec;

/* Write the feed spec describes to a fresh file name; returns its path and its size in
 * *bytes. */
static const char *write_feed(const char *name, feed_spec spec, size_t *bytes)
{
	const char *path = tu_tmp_path(name);
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	char *remark = malloc(spec.remark + 1);
	ck_assert_ptr_nonnull(remark);
	for (size_t i = 0; i < spec.remark; i++)
		remark[i] = i % 8 == 7 ? ' ' : (char)('a' + i % 26);
	remark[spec.remark] = '\0';
	for (long i = 1; i <= spec.n; i++) {
		long title = i == spec.again ? spec.of : i;
		fprintf(f,
			"{\"kommunekode\":\"329\",\"budget_year\":%s,\"title\":\"Forslag %ld\","
			"\"kind\":\"effektivisering\",\"effect_kr\":%ld,\"source\":\"stor.jsonl\"%"
			"s%s%s}\n",
			i == spec.bad ? "\"20x1\"" : "2030", title, i * spec.scale,
			spec.remark ? ",\"followup\":{\"remark\":\"" : "", remark,
			spec.remark ? "\"}" : "");
	}
	free(remark);
	long size = ftell(f);
	ck_assert_int_eq(fclose(f), 0);
	if (bytes)
		*bytes = (size_t)size;
	return path;
}

/* Import paths[0..n-1]; returns the code, err and rep filled. */
static int import(ib_store *s, const char *path, ib_import_report *rep, ib_error *err)
{
	const char *paths[] = {path};
	memset(err, 0, sizeof *err);
	return ib_import_files(s, paths, 1, rep, err);
}

static ib_store *open_store(const char *name)
{
	ib_store *s = NULL;
	ib_error err = {0};
	ck_assert_int_eq(ib_store_open(tu_tmp_path(name), &s, &err), IB_OK);
	const char *ref[] = {"data/kommuner.csv"};
	ck_assert_msg(ib_import_files(s, ref, 1, NULL, &err) == IB_OK, "%s", err.msg);
	return s;
}

/* A feed larger than the 64 MiB cap a feed once had imports with the exact counts; again,
 * every proposal is unchanged.  A bad line near its end leaves the database file
 * byte for byte as it was, and the error names the file and the line. */
START_TEST(large_feed)
{
	const long n = 2000;
	size_t bytes;
	const char *good = write_feed("stor.jsonl", (feed_spec){n, 1000, 35000, 0, 0, 0}, &bytes);
	ck_assert_uint_gt(bytes, IB_BUF_DEFAULT_CAP);
	const char *broken =
	    write_feed("stor.jsonl", (feed_spec){n, 1000, 35000, 1990, 0, 0}, NULL);

	const char *db = tu_tmp_path("large.db");
	ib_store *s = NULL;
	ib_error err = {0};
	ck_assert_int_eq(ib_store_open(db, &s, &err), IB_OK);
	const char *first[] = {"data/kommuner.csv", "data/proposals.jsonl"};
	ck_assert_msg(ib_import_files(s, first, 2, NULL, &err) == IB_OK, "%s", err.msg);
	long before_n = tu_count(s, "proposal"), before_f = tu_count(s, "followup");
	ck_assert_int_eq(before_n, 31);
	ib_store_close(s);
	char before[65];
	snprintf(before, sizeof before, "%s", tu_file_sha(db));

	ck_assert_int_eq(ib_store_open(db, &s, &err), IB_OK);
	ib_import_report rep;
	ck_assert_int_eq(import(s, broken, &rep, &err), IB_EPARSE);
	ck_assert_str_eq(err.msg, "stor.jsonl:1990: budget_year: expected a year, got \"20x1\"");
	ck_assert_int_eq(rep.proposals_new, 0);
	ck_assert_int_eq(tu_count(s, "proposal"), before_n);
	ib_store_close(s);
	ck_assert_str_eq(tu_file_sha(db), before);

	ck_assert_int_eq(ib_store_open(db, &s, &err), IB_OK);
	ck_assert_msg(import(s, good, &rep, &err) == IB_OK, "%s", err.msg);
	ck_assert_int_eq(rep.proposals_new, n);
	ck_assert_int_eq(rep.proposals_updated, 0);
	ck_assert_int_eq(rep.proposals_unchanged, 0);
	ck_assert_int_eq(tu_count(s, "proposal"), before_n + n);
	ck_assert_int_eq(tu_count(s, "followup"), before_f + n);
	ck_assert_str_eq(tu_text(s, "SELECT effect_kr FROM proposal WHERE title='Forslag 1999'"),
			 "1999000.0");
	ck_assert_str_eq(tu_text(s, "SELECT length(remark) FROM followup JOIN proposal p ON "
				    "p.id=proposal_id WHERE p.title='Forslag 2000'"),
			 "35000");
	ck_assert_int_eq(ib_store_check(s, &err), IB_OK);
	ib_store_close(s);
}
END_TEST

/* A streamed feed imported again: unchanged; with other content: updated in place. */
START_TEST(import_again)
{
	ib_store *s = open_store("again.db");
	const char *feed = write_feed("f.jsonl", (feed_spec){1500, 1000, 0, 0, 0, 0}, NULL);
	const char *changed = write_feed("f.jsonl", (feed_spec){1500, 2000, 0, 0, 0, 0}, NULL);
	ib_import_report rep;
	ib_error err;
	ck_assert_msg(import(s, feed, &rep, &err) == IB_OK, "%s", err.msg);
	ck_assert_int_eq(rep.proposals_new, 1500);
	ck_assert_msg(import(s, feed, &rep, &err) == IB_OK, "%s", err.msg);
	ck_assert_int_eq(rep.proposals_new, 0);
	ck_assert_int_eq(rep.proposals_updated, 0);
	ck_assert_int_eq(rep.proposals_unchanged, 1500);
	ck_assert_msg(import(s, changed, &rep, &err) == IB_OK, "%s", err.msg);
	ck_assert_int_eq(rep.proposals_new, 0);
	ck_assert_int_eq(rep.proposals_updated, 1500);
	ck_assert_int_eq(rep.proposals_unchanged, 0);
	ck_assert_int_eq(tu_count(s, "proposal"), 1500);
	ck_assert_str_eq(tu_text(s, "SELECT effect_kr FROM proposal WHERE title='Forslag 1500'"),
			 "3000000.0");
	ib_store_close(s);
}
END_TEST

/* Two lines with one identity far apart are named both, once the whole feed has
 * parsed: a malformed line after the repeat is named instead. */
START_TEST(duplicates_far_apart)
{
	ib_store *s = open_store("dup.db");
	ib_import_report rep;
	ib_error err;
	const char *dup = write_feed("dup.jsonl", (feed_spec){6000, 1, 0, 0, 5500, 3}, NULL);
	ck_assert_int_eq(import(s, dup, &rep, &err), IB_EDUP);
	ck_assert_str_eq(err.msg, "dup.jsonl:5500: the same proposal as line 3 (kommunekode 329, "
				  "budget year 2030, title 'Forslag 3')");
	ck_assert_int_eq(tu_count(s, "proposal"), 0);
	const char *both = write_feed("dup.jsonl", (feed_spec){6000, 1, 0, 5900, 5500, 3}, NULL);
	ck_assert_int_eq(import(s, both, &rep, &err), IB_EPARSE);
	ck_assert_str_eq(err.msg, "dup.jsonl:5900: budget_year: expected a year, got \"20x1\"");
	ck_assert_int_eq(tu_count(s, "proposal"), 0);
	ib_store_close(s);
}
END_TEST

/* One line over the cap of a line is refused by its number before anything is stored;
 * a line just at the cap is only a line (here: invalid JSON). */
START_TEST(line_over_cap)
{
	ib_store *s = open_store("cap.db");
	const char *path = write_feed("huge.jsonl", (feed_spec){3, 1, 0, 0, 0, 0}, NULL);
	FILE *f = fopen(path, "ab");
	ck_assert_ptr_nonnull(f);
	char *line = malloc(IB_FEED_LINE_CAP + 1);
	ck_assert_ptr_nonnull(line);
	memset(line, ' ', IB_FEED_LINE_CAP + 1);
	line[0] = '[';
	ck_assert_uint_eq(fwrite(line, 1, IB_FEED_LINE_CAP + 1, f), IB_FEED_LINE_CAP + 1);
	ck_assert_int_ne(fputs("\n", f), EOF);
	ck_assert_int_eq(fclose(f), 0);
	ib_import_report rep;
	ib_error err;
	ck_assert_int_eq(import(s, path, &rep, &err), IB_ETOOBIG);
	ck_assert_str_eq(err.msg, "huge.jsonl:4: line longer than 64 MiB (one proposal a line)");
	ck_assert_int_eq(tu_count(s, "proposal"), 0);

	const char *at_cap = write_feed("cap.jsonl", (feed_spec){3, 1, 0, 0, 0, 0}, NULL);
	f = fopen(at_cap, "ab");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(line, 1, IB_FEED_LINE_CAP, f), IB_FEED_LINE_CAP);
	ck_assert_int_eq(fclose(f), 0);
	free(line);
	ck_assert_int_eq(import(s, at_cap, &rep, &err), IB_EPARSE);
	ck_assert_str_eq(err.msg, "cap.jsonl:4: invalid JSON");
	ck_assert_int_eq(tu_count(s, "proposal"), 0);
	ib_store_close(s);
}
END_TEST

/* The first pass over a file: proposals counted, blank lines and a byte order mark
 * skipped, the last newline seen or missed; UTF-8 checked line by line. */
START_TEST(scan)
{
	const char *one = "{\"kommunekode\":329,\"budget_year\":2030,\"title\":\"Idé\","
			  "\"source\":\"s\"}";
	char text[512];
	snprintf(text, sizeof text, "\xEF\xBB\xBF%s\n\n  \n%s", one, one);
	ib_feed_scan sc;
	ib_error err = {0};
	ck_assert_int_eq(ib_feed_scan_jsonl(tu_write_file("a.jsonl", text), "a.jsonl", &sc, &err),
			 IB_OK);
	ck_assert_uint_eq(sc.n, 2);
	ck_assert_uint_eq(sc.bytes, strlen(text));
	ck_assert_int_eq(sc.ends_with_newline, 0);
	snprintf(text, sizeof text, "%s\n%s\n", one, one);
	ck_assert_int_eq(ib_feed_scan_jsonl(tu_write_file("b.jsonl", text), "b.jsonl", &sc, &err),
			 IB_OK);
	ck_assert_int_eq(sc.ends_with_newline, 1);
	ck_assert_int_eq(
	    ib_feed_scan_jsonl(tu_write_file("c.jsonl", "\n \n"), "c.jsonl", &sc, &err), IB_EPARSE);
	ck_assert_str_eq(err.msg, "c.jsonl: no proposals in feed");
	snprintf(text, sizeof text, "%s\n{\"title\":\"\xE6ldre\"}\n", one);
	ck_assert_int_eq(ib_feed_scan_jsonl(tu_write_file("d.jsonl", text), "d.jsonl", &sc, &err),
			 IB_EPARSE);
	ck_assert_str_eq(err.msg, "d.jsonl:2: not valid UTF-8 (byte 0xE6)");
	ck_assert_int_eq(ib_feed_scan_jsonl(tu_tmp_path("none.jsonl"), "none.jsonl", &sc, &err),
			 IB_EIO);
}
END_TEST

/* A document's follow-up case attaches to a proposal of a feed streamed in the same
 * import, as it would to one held in memory; importing the same again changes nothing. */
START_TEST(followup_finds_streamed_proposal)
{
	ib_buf all;
	ib_buf_init(&all, 0);
	ib_error err = {0};
	ck_assert_int_eq(ib_buf_read_file(&all, "data/proposals.jsonl", &err), IB_OK);
	const char *su04 = strstr(all.z, "\"ref\":\"SU04\"");
	ck_assert_ptr_nonnull(su04);
	const char *start = su04;
	while (start > all.z && start[-1] != '\n')
		start--;
	const char *end = strchr(su04, '\n');
	cJSON *o = cJSON_ParseWithLength(start, (size_t)(end - start));
	ck_assert_ptr_nonnull(o);
	cJSON_DeleteItemFromObject(o, "followup");
	cJSON_ReplaceItemInObject(o, "adopted", cJSON_CreateString("unknown"));
	char *line = cJSON_PrintUnformatted(o);
	ib_buf feed;
	ib_buf_init(&feed, 0);
	ck_assert_int_eq(ib_buf_addf(&feed, "%s\n", line), IB_OK);
	const char *path = tu_write_file("su04.jsonl", feed.z);
	cJSON_free(line);
	cJSON_Delete(o);
	ib_buf_free(&feed);
	ib_buf_free(&all);

	ib_store *s = open_store("mixed.db");
	const char *paths[] = {path, "data/seeds/003_6fd791036310d2b9.txt"};
	ib_import_report rep;
	ck_assert_msg(ib_import_files(s, paths, 2, &rep, &err) == IB_OK, "%s", err.msg);
	ck_assert_int_eq(rep.proposals_new, 15);
	ck_assert_int_eq(rep.followups_attached, 1);
	ib_import_report_free(&rep);
	int64_t id = 0;
	ck_assert_int_eq(ib_store_find_proposal(s, 101,
						"Brug af kunstig intelligens ved daglig "
						"planlægning af besøg hos borgere",
						&id, &err),
			 IB_OK);
	ib_proposal *p = NULL;
	ck_assert_int_eq(ib_store_get_proposal(s, id, &p, &err), IB_OK);
	ck_assert_ptr_nonnull(p->followup);
	ck_assert_str_eq(p->followup->full_implementation, "Ultimo 2026");
	ck_assert_int_eq(p->adopted, IB_ADOPTED_YES);
	ib_proposal_free(p);
	ck_assert_msg(ib_import_files(s, paths, 2, &rep, &err) == IB_OK, "%s", err.msg);
	ck_assert_int_eq(rep.proposals_new, 0);
	ck_assert_int_eq(rep.proposals_updated, 0);
	ck_assert_int_eq(rep.proposals_unchanged, 15);
	ib_import_report_free(&rep);
	ib_store_close(s);
}
END_TEST

/* Entries of the directory path, "." and ".." left out. */
static int dir_entries(const char *path)
{
	DIR *d = opendir(path);
	ck_assert_ptr_nonnull(d);
	int n = 0;
	for (struct dirent *e; (e = readdir(d));)
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

/* A fetched feed goes to a file, not to memory: one far larger than the cap on a body
 * held in memory imports with the exact count; answered 304, the cached copy is
 * found unchanged; its own cap, when set, is named.  No temporary file is left. */
START_TEST(fetched_feed_to_file)
{
	fs_server *srv = fs_start(tu_shared(""));
	ck_assert_ptr_nonnull(srv);
	const char *path = write_feed("stor.jsonl", (feed_spec){300, 1000, 100, 0, 0, 0}, NULL);
	ib_buf feed;
	ib_buf_init(&feed, 0);
	ck_assert_int_eq(ib_buf_read_file(&feed, path, NULL), IB_OK);
	fs_file(srv, "/feeds/stor.jsonl", feed.z, feed.n, "application/x-ndjson");
	char cfg[512];
	snprintf(cfg, sizeof cfg,
		 "{\"sources\": [{\"name\": \"stor\", \"feed\": "
		 "\"http://127.0.0.1:%d/feeds/stor.jsonl\"}]}",
		 fs_port(srv));
	const char *tmp = tu_tmp_path("tmp");
	ck_assert_int_eq(mkdir(tmp, 0700), 0);
	ck_assert_int_eq(setenv("TMPDIR", tmp, 1), 0);

	ib_store *s = open_store("fetched.db");
	ib_fetch_opts o;
	ib_fetch_opts_default(&o);
	o.config = cfg;
	o.config_name = "test.json";
	o.http.max_bytes = 4096;
	o.http.cache_dir = tu_tmp_path("cache");
	ib_fetch_report rep;
	ib_error err = {0};
	ck_assert_msg(ib_fetch_run(s, &o, &rep, &err) == IB_OK, "%s", err.msg);
	ck_assert_int_eq(rep.src[0].proposals_new, 300);
	ck_assert_int_eq(rep.src[0].bytes, (long)feed.n);
	ck_assert_int_eq(tu_count(s, "proposal"), 300);
	ib_fetch_report_free(&rep);
	ck_assert_int_eq(dir_entries(tmp), 0);

	ck_assert_msg(ib_fetch_run(s, &o, &rep, &err) == IB_OK, "%s", err.msg);
	ck_assert_int_eq(rep.src[0].not_modified, 1);
	ck_assert_int_eq(rep.src[0].unchanged, 1);
	ib_fetch_report_free(&rep);

	o.http.cache_dir = NULL;
	o.http.max_file_bytes = 1000;
	ck_assert_int_eq(ib_fetch_run(s, &o, &rep, &err), IB_ETOOBIG);
	char want[300];
	snprintf(want, sizeof want,
		 "stor: http://127.0.0.1:%d/feeds/stor.jsonl: body larger than the 1000-byte cap",
		 fs_port(srv));
	ck_assert_str_eq(err.msg, want);
	ib_fetch_report_free(&rep);
	ck_assert_int_eq(dir_entries(tmp), 0);
	ck_assert_int_eq(tu_count(s, "proposal"), 300);
	unsetenv("TMPDIR");
	ib_buf_free(&feed);
	ib_store_close(s);
	fs_stop(srv);
}
END_TEST

int main(void)
{
	return tu_run_tests("stream", 300, NULL, NULL,
			    TU_TESTS(large_feed, import_again, duplicates_far_apart, line_over_cap,
				     scan, followup_finds_streamed_proposal, fetched_feed_to_file));
}
