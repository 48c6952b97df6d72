/* testutil.c - helpers shared by the Check unit tests. */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store_int.h"
#include "testutil.h"

static char tmp_dir[256];

static void cleanup(void)
{
	if (tmp_dir[0]) {
		char cmd[512];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp_dir);
		if (system(cmd) != 0)
			fprintf(stderr, "cannot remove %s\n", tmp_dir);
	}
}

/* A ring of path buffers, so several results can be used in one call. */
static char *next_path(void)
{
	static char ring[16][512];
	static int k;
	k = (k + 1) % 16;
	return ring[k];
}

const char *tu_tmp_path(const char *name)
{
	static int seq;
	if (!tmp_dir[0]) {
		snprintf(tmp_dir, sizeof tmp_dir, "/tmp/ideabank-test-XXXXXX");
		ck_assert_ptr_nonnull(mkdtemp(tmp_dir));
		atexit(cleanup);
	}
	/* each path in a folder of its own, so the file keeps the name asked for */
	char *path = next_path();
	snprintf(path, 512, "%s/%d", tmp_dir, ++seq);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	size_t n = strlen(path);
	snprintf(path + n, 512 - n, "/%s", name);
	return path;
}

const char *tu_fixture(const char *rel)
{
	char *path = next_path();
	snprintf(path, 512, "tests/fixtures/%s", rel);
	return path;
}

const char *tu_shared(const char *rel)
{
	char *path = next_path();
	const char *dir = getenv("IDEABANK_SHARED");
	snprintf(path, 512, "%s/%s", dir && *dir ? dir : "../shared", rel);
	return path;
}

ib_store *tu_store_with(const char *name, ...)
{
	ib_store *s = NULL;
	ib_error err = {0};
	int rc = ib_store_open(tu_tmp_path(name), &s, &err);
	ck_assert_msg(rc == IB_OK, "open: %s", err.msg);
	const char *paths[32];
	size_t n = 0;
	va_list ap;
	va_start(ap, name);
	const char *p;
	while ((p = va_arg(ap, const char *)) != NULL && n < 32)
		paths[n++] = p;
	va_end(ap);
	if (n) {
		rc = ib_import_files(s, paths, n, NULL, &err);
		ck_assert_msg(rc == IB_OK, "import: %s", err.msg);
	}
	return s;
}

long tu_count(ib_store *s, const char *table)
{
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(s->db, sql, -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	long n = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

const char *tu_write_file(const char *name, const char *text)
{
	const char *path = tu_tmp_path(name);
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	return path;
}

const char *tu_text(ib_store *s, const char *sql)
{
	static char out[4096];
	sqlite3_stmt *st;
	ck_assert_msg(sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK, "%s: %s", sql,
		      sqlite3_errmsg(s->db));
	int rc = sqlite3_step(st);
	ck_assert_msg(rc == SQLITE_ROW, "%s: no row", sql);
	const unsigned char *z = sqlite3_column_text(st, 0);
	snprintf(out, sizeof out, "%s", z ? (const char *)z : "NULL");
	sqlite3_finalize(st);
	return out;
}

const char *tu_file_sha(const char *path)
{
	static char hex[65];
	ib_buf b;
	ib_buf_init(&b, 0);
	ck_assert_int_eq(ib_buf_read_file(&b, path, NULL), IB_OK);
	ib_sha256_hex(b.z ? b.z : "", b.n, hex);
	ib_buf_free(&b);
	return hex;
}
