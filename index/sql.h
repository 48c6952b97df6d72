/* sql.h - private to index/: one SQL statement run with a sticky return code.
 *
 * Every query of the store is the same few steps - prepare (or take a statement the
 * store keeps prepared), bind, step, read the columns, finalize (or reset) - and each
 * step can fail.  An ib_sql carries the first failure in *rc, as SQLite's FTS5 passes
 * `int *pRc` (ext/fts5/fts5_buffer.c): once it is set every further call is a no-op,
 * so a run of statements is written straight through, checked once at its end, and
 * fails whole.
 *
 *	int rc = IB_OK;
 *	ib_sql q = IB_SQL(s, &rc, err);
 *	ib_sql_open(&q, "cannot read population", "SELECT ... WHERE kommunekode=?1 AND"
 *		    " year=?2", "ii", code, year);
 *	while (ib_sql_row(&q))
 *		... sqlite3_column_*(q.st, i), ib_sql_text(&q, i) ...
 *	ib_sql_close(&q);
 *	return rc;
 *
 * Values are bound to ?1, ?2, ... in order by a format, one letter a value:
 *	i int			I int, 0 bound as NULL
 *	o int, below 0 bound as NULL (IB_ADOPTED_UNKNOWN, an unknown flag)
 *	l int64_t		L int64_t, 0 bound as NULL (an id or fetch_id not given)
 *	d double		D double, IB_NA bound as NULL
 *	t text (NULL as NULL), copied by SQLite
 *	s text (NULL as NULL), read in place: it must live until the statement is closed
 *	b blob: const void *, size_t; read in place like s (NULL as NULL)
 *	v texts: char **, size_t n; n of them bound to the next n places, read in place
 *	- nothing bound to this place: NULL
 * A value must have the letter's type exactly (an int64_t for l, a double for d), and
 * the format must give every parameter of the statement one (else the open fails). */
#ifndef IDEABANK_SQL_H
#define IDEABANK_SQL_H

#include <sqlite3.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "ideabank/error.h"

typedef struct ib_store ib_store;

typedef struct ib_sql {
	ib_store *s;
	int *rc;	  /* the sticky code: IB_OK until the first failure */
	ib_error *err;	  /* says what the first failure was; may be NULL */
	sqlite3_stmt *st; /* the statement open, NULL when none */
	int kept;	  /* st is one the store keeps: reset, not finalized, when closed */
	const char *what; /* what a failed step fails at: "cannot store spending" */
} ib_sql;

/* A run on store s with the sticky code *rc (IB_OK to start) and err (may be NULL). */
#define IB_SQL(s, rc, err)                                                                         \
	{                                                                                          \
		(s), (rc), (err), NULL, 0, NULL                                                    \
	}

/* Prepare sql and bind fmt's values.  A statement still open is closed first.  A
 * failure sets *q->rc (IB_EDB, "cannot prepare statement: ..."); what says what a
 * failed step of it fails at. */
void ib_sql_open(ib_sql *q, const char *what, const char *sql, const char *fmt, ...);
/* The same with the statement kept in *slot across calls: prepared there (persistent)
 * on first use, reset and its bindings cleared when closed; the caller finalizes *slot
 * (NULL allowed) when done with it. */
void ib_sql_reuse(ib_sql *q, const char *what, sqlite3_stmt **slot, const char *sql,
		  const char *fmt, ...);
/* ib_sql_open() (slot NULL) or ib_sql_reuse() with the values in ap. */
void ib_sql_vopen(ib_sql *q, const char *what, sqlite3_stmt **slot, const char *sql,
		  const char *fmt, va_list ap);
/* Step: 1 with a row to read in q->st; 0 at the end, on failure (*q->rc set: IB_EDB,
 * "what: <SQLite's message>") and when *q->rc was set before. */
int ib_sql_row(ib_sql *q);
/* Finalize (or reset) the open statement, if any; runs whatever *q->rc holds. */
void ib_sql_close(ib_sql *q);
/* ib_sql_open(), step to the end, ib_sql_close(): a write, or a statement whose rows
 * are not wanted.  Returns *q->rc. */
int ib_sql_run(ib_sql *q, const char *what, const char *sql, const char *fmt, ...);

/* Run sql (fmt's values bound) for its first row: 1 when it has one, its first column
 * as an integer in *out (out may be NULL); 0 when it has none or q fails.  The
 * statement is closed. */
int ib_sql_first(ib_sql *q, int64_t *out, const char *what, const char *sql, const char *fmt, ...);
/* The first column of every row of q's open statement, as ids, into *ids (caller
 * frees) of *n, and the statement closed.  On failure *ids is NULL and *n 0.  Returns
 * *q->rc. */
int ib_sql_ids(ib_sql *q, int64_t **ids, size_t *n);

/* Column i of the current row as a copy (caller frees), NULL for SQL NULL; out of
 * memory sets *q->rc (IB_ENOMEM) and gives NULL. */
char *ib_sql_text(ib_sql *q, int i);
/* Column i as a number, IB_NA for SQL NULL. */
double ib_sql_num(const ib_sql *q, int i);
/* Column i as an int, none for SQL NULL. */
int ib_sql_int_or(const ib_sql *q, int i, int none);

/* The same three for a statement stepped outside ib_sql (the search's own loops):
 * column i of st's current row as a copy (NULL for SQL NULL or out of memory), a
 * number (IB_NA for NULL), an int (none for NULL). */
char *ib_col_dup(sqlite3_stmt *st, int i);
double ib_col_num(sqlite3_stmt *st, int i);
int ib_col_int_or(sqlite3_stmt *st, int i, int none);

/* Set *q->rc to code and err to the printf-formatted message (fmt NULL: code's own
 * text), unless a failure is already set.  Returns *q->rc. */
int ib_sql_fail(ib_sql *q, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Set err from the database's current error message, prefixed with what; IB_EDB.  A
 * full disk says so and names the database file. */
int ib_store_dberr(ib_store *s, ib_error *err, const char *what);

#endif
