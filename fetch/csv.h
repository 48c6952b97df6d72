/* csv.h - a small CSV reader for the formats ideabank meets: ';' or ',' separated,
 * optional UTF-8 BOM, CRLF or LF, double-quoted fields with "" escapes. */
#ifndef IDEABANK_CSV_H
#define IDEABANK_CSV_H

#include <stddef.h>

#include "ideabank/error.h"

typedef struct ib_csv_row {
	char **f; /* fields, NUL-terminated, owned by the table */
	size_t n;
	int line; /* 1-based line number where the row starts */
} ib_csv_row;

typedef struct ib_csv {
	ib_csv_row *rows;
	size_t n;
} ib_csv;

/* Parse text (len bytes) into out.  sep is ';' or ',', or 0 to take ';' when the
 * first line has one and ',' otherwise.  Blank lines are skipped.  Fails with
 * IB_EPARSE (unterminated quote: message gives the line) or IB_ENOMEM; out is then
 * empty.  Caller frees with ib_csv_free(). */
int ib_csv_parse(const char *text, size_t len, char sep, ib_csv *out, ib_error *err);
void ib_csv_free(ib_csv *c);

/* A rule table compiled in (a data/ CSV file: ';' separated, a header row, then one
 * rule a row) parsed into c, and room for a record a rule in *records (the address of
 * a T *, size bytes each, zeroed; at least one): the caller reads c's rows into it,
 * then frees c.  Fails like ib_csv_parse() or with IB_ENOMEM, leaving c empty and
 * *records NULL. */
int ib_csv_table(const char *text, ib_csv *c, void *records, size_t size, ib_error *err);
/* ib_csv_table() into the array v (a T *). */
#define IB_CSV_TABLE(text, c, v, err) ib_csv_table((text), (c), &(v), sizeof *(v), (err))

/* A record read from a rule table's row (h its header row) into rec (zeroed): IB_OK, or
 * an error code with err set, which ends the reading. */
typedef int (*ib_csv_record_fn)(const ib_csv_row *h, const ib_csv_row *row, void *rec,
				ib_error *err);
/* A built-in rule table (as ib_csv_table()) read into an array of records, one a row by
 * read: *records (the address of a T *, size bytes each) and *n.  The caller frees
 * *records with free().  On failure (read's code, or ib_csv_table()'s) *records is
 * NULL and *n 0. */
int ib_csv_records(const char *text, ib_csv_record_fn read, void *records, size_t size, size_t *n,
		   ib_error *err);
/* ib_csv_records() into the array v (a T *) of n records (a size_t). */
#define IB_CSV_RECORDS(text, read, v, n, err)                                                      \
	ib_csv_records((text), (read), &(v), sizeof *(v), &(n), (err))

/* Index of the column named name in the header row h, or -1. */
int ib_csv_col(const ib_csv_row *h, const char *name);

#endif
