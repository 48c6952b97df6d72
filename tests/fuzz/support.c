/* support.c - helpers shared by the fuzz targets (see fuzz.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

char *fuzz_cstr(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t n = nul ? (size_t)(nul - data) : size;
	char *z = malloc(n + 1);
	if (!z)
		abort();
	memcpy(z, data, n);
	z[n] = '\0';
	return z;
}

void fuzz_fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("fuzz: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	abort();
}

int fuzz_utf8_ok(const void *p, size_t n)
{
	return ib_utf8_invalid_at(p, n) == n;
}

static char store_path[512];
static ib_store *store;

static void store_remove(void)
{
	ib_store_close(store);
	store = NULL;
	unlink(store_path);
}

ib_store *fuzz_store(void)
{
	if (store)
		return store;
	const char *tmp = getenv("TMPDIR");
	snprintf(store_path, sizeof store_path, "%s/ideabank-fuzz-%ld.db", tmp && *tmp ? tmp : "/tmp",
		 (long)getpid());
	unlink(store_path);
	ib_error err = {0};
	const char *files[] = {"data/kommuner.csv", "data/folketal.csv", "data/proposals.jsonl"};
	if (ib_store_open(store_path, &store, &err) ||
	    ib_import_files(store, files, sizeof files / sizeof *files, NULL, &err))
		fuzz_fail("cannot build the sample store '%s': %s", store_path, err.msg);
	atexit(store_remove);
	return store;
}
