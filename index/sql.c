/* sql.c - one SQL statement run with a sticky return code (sql.h), and the store's
 * database errors as messages. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ideabank/array.h"
#include "ideabank/num.h"
#include "sql.h"
#include "store_int.h"

int ib_store_dberr(ib_store *s, ib_error *err, const char *what)
{
	int code = sqlite3_errcode(s->db);
	if (code == SQLITE_FULL)
		return ib_error_set(err, IB_EDB, "%s: disk full writing '%s'", what, s->path);
	return ib_error_set(err, IB_EDB, "%s: %s", what, sqlite3_errmsg(s->db));
}

int ib_sql_fail(ib_sql *q, int code, const char *fmt, ...)
{
	if (*q->rc)
		return *q->rc;
	*q->rc = code;
	if (!q->err)
		return code;
	if (!fmt)
		return ib_error_set(q->err, code, NULL);
	q->err->rc = code;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(q->err->msg, sizeof q->err->msg, fmt, ap);
	va_end(ap);
	return code;
}

/* The database's error as q's failure, what saying what failed. */
static void db_fail(ib_sql *q, const char *what)
{
	if (!*q->rc)
		*q->rc = ib_store_dberr(q->s, q->err, what);
}

/* Bind fmt's values from ap to q->st (sql.h says the letters): one to each of its
 * parameters, else q fails. */
static void bind(ib_sql *q, const char *fmt, va_list ap)
{
	sqlite3_stmt *st = q->st;
	int rc = SQLITE_OK, i = 1;
	for (const char *f = fmt; f && *f && rc == SQLITE_OK; f++, i++) {
		switch (*f) {
		case 'i': {
			rc = sqlite3_bind_int(st, i, va_arg(ap, int));
			break;
		}
		case 'I':
		case 'o': {
			int v = va_arg(ap, int);
			int null = *f == 'I' ? v == 0 : v < 0;
			rc = null ? sqlite3_bind_null(st, i) : sqlite3_bind_int(st, i, v);
			break;
		}
		case 'l':
		case 'L': {
			int64_t v = va_arg(ap, int64_t);
			rc = *f == 'L' && v == 0 ? sqlite3_bind_null(st, i)
						 : sqlite3_bind_int64(st, i, v);
			break;
		}
		case 'd':
		case 'D': {
			double v = va_arg(ap, double);
			rc = *f == 'D' && ib_is_na(v) ? sqlite3_bind_null(st, i)
						      : sqlite3_bind_double(st, i, v);
			break;
		}
		case 't':
		case 's': {
			const char *z = va_arg(ap, const char *);
			rc = !z ? sqlite3_bind_null(st, i)
				: sqlite3_bind_text(st, i, z, -1,
						    *f == 's' ? SQLITE_STATIC : SQLITE_TRANSIENT);
			break;
		}
		case 'b': {
			const void *z = va_arg(ap, const void *);
			size_t n = va_arg(ap, size_t);
			rc = !z ? sqlite3_bind_null(st, i)
				: sqlite3_bind_blob64(st, i, z, n, SQLITE_STATIC);
			break;
		}
		case 'v': {
			char **v = va_arg(ap, char **);
			size_t n = va_arg(ap, size_t);
			for (size_t k = 0; k < n && rc == SQLITE_OK; k++, i++)
				rc = sqlite3_bind_text(st, i, v[k], -1, SQLITE_STATIC);
			i--;
			break;
		}
		case '-':
			break;
		default:
			rc = SQLITE_MISUSE;
		}
	}
	if (rc == SQLITE_OK && i - 1 != sqlite3_bind_parameter_count(st))
		ib_sql_fail(q, IB_EDB, "cannot bind %d values to %d parameters", i - 1,
			    sqlite3_bind_parameter_count(st));
	else if (rc != SQLITE_OK)
		ib_sql_fail(q, rc == SQLITE_NOMEM ? IB_ENOMEM : IB_EDB, "cannot bind value %d: %s",
			    i - 1, sqlite3_errstr(rc));
}

void ib_sql_vopen(ib_sql *q, const char *what, sqlite3_stmt **slot, const char *sql,
		  const char *fmt, va_list ap)
{
	ib_sql_close(q);
	if (*q->rc)
		return;
	q->what = what;
	q->kept = slot != NULL;
	sqlite3 *db = q->s->db;
	int prepared =
	    slot ? (*slot ? SQLITE_OK
			  : sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, slot, NULL))
		 : sqlite3_prepare_v2(db, sql, -1, &q->st, NULL);
	if (slot)
		q->st = *slot;
	if (prepared != SQLITE_OK || !q->st) {
		/* a statement of only a comment or blanks prepares as NULL: a mistake here */
		if (prepared == SQLITE_OK)
			ib_sql_fail(q, IB_EDB, "cannot prepare statement: no SQL in it");
		db_fail(q, "cannot prepare statement");
		q->st = NULL;
		return;
	}
	bind(q, fmt, ap);
}

void ib_sql_open(ib_sql *q, const char *what, const char *sql, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ib_sql_vopen(q, what, NULL, sql, fmt, ap);
	va_end(ap);
}

void ib_sql_reuse(ib_sql *q, const char *what, sqlite3_stmt **slot, const char *sql,
		  const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ib_sql_vopen(q, what, slot, sql, fmt, ap);
	va_end(ap);
}

int ib_sql_row(ib_sql *q)
{
	if (*q->rc || !q->st)
		return 0;
	int step = sqlite3_step(q->st);
	if (step == SQLITE_ROW)
		return 1;
	if (step != SQLITE_DONE)
		db_fail(q, q->what ? q->what : "cannot run statement");
	return 0;
}

void ib_sql_close(ib_sql *q)
{
	if (!q->st)
		return;
	if (q->kept) {
		sqlite3_reset(q->st);
		sqlite3_clear_bindings(q->st);
	} else {
		sqlite3_finalize(q->st);
	}
	q->st = NULL;
	q->kept = 0;
}

int ib_sql_run(ib_sql *q, const char *what, const char *sql, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ib_sql_vopen(q, what, NULL, sql, fmt, ap);
	va_end(ap);
	while (ib_sql_row(q))
		;
	ib_sql_close(q);
	return *q->rc;
}

int ib_sql_first(ib_sql *q, int64_t *out, const char *what, const char *sql, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ib_sql_vopen(q, what, NULL, sql, fmt, ap);
	va_end(ap);
	int found = ib_sql_row(q);
	if (found && out)
		*out = sqlite3_column_int64(q->st, 0);
	ib_sql_close(q);
	return found;
}

int ib_sql_ids(ib_sql *q, int64_t **ids, size_t *n)
{
	size_t alloc = 0;
	*ids = NULL;
	*n = 0;
	while (ib_sql_row(q)) {
		if (IB_GROW(*ids, *n, alloc, 64)) {
			ib_sql_fail(q, IB_ENOMEM, NULL);
			break;
		}
		(*ids)[(*n)++] = sqlite3_column_int64(q->st, 0);
	}
	ib_sql_close(q);
	if (*q->rc) {
		free(*ids);
		*ids = NULL;
		*n = 0;
	}
	return *q->rc;
}

char *ib_col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *z = sqlite3_column_text(st, i);
	return z ? strdup((const char *)z) : NULL;
}

double ib_col_num(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? IB_NA : sqlite3_column_double(st, i);
}

int ib_col_int_or(sqlite3_stmt *st, int i, int none)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? none : sqlite3_column_int(st, i);
}

char *ib_sql_text(ib_sql *q, int i)
{
	char *copy = q->st ? ib_col_dup(q->st, i) : NULL;
	if (!copy && q->st && sqlite3_column_type(q->st, i) != SQLITE_NULL)
		ib_sql_fail(q, IB_ENOMEM, NULL);
	return copy;
}

double ib_sql_num(const ib_sql *q, int i)
{
	return ib_col_num(q->st, i);
}

int ib_sql_int_or(const ib_sql *q, int i, int none)
{
	return ib_col_int_or(q->st, i, none);
}
