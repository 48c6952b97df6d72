/* testutil.h - helpers shared by the Check unit tests. */
#ifndef IDEABANK_TESTUTIL_H
#define IDEABANK_TESTUTIL_H

#include <stddef.h>

#include "ideabank.h"
#include "runner.h" /* the runner every check_*.c uses, and tu_run_tool() */

/* A fresh path for a scratch database in a temporary folder (removed at exit).
 * Returns a static buffer valid until the next call. */
const char *tu_tmp_path(const char *name);
/* Path of a fixture under tests/fixtures/. */
const char *tu_fixture(const char *rel);
/* Path under the shared folder ($IDEABANK_SHARED, default ../shared). */
const char *tu_shared(const char *rel);
/* Open a new store at a fresh path and import the given files (NULL-terminated);
 * fails the test on error. */
ib_store *tu_store_with(const char *name, ...);
/* Count rows of a table (fails the test on error). */
long tu_count(ib_store *s, const char *table);
/* Write text to a fresh temporary file with the given name; returns its path. */
const char *tu_write_file(const char *name, const char *text);

/* The first column of the first row of sql as text ("NULL" for null); static buffer. */
const char *tu_text(ib_store *s, const char *sql);
/* SHA-256 of a file's bytes (static buffer). */
const char *tu_file_sha(const char *path);

#endif
