/* error.h - ideabank's return codes and the error detail carried beside them.
 *
 * Library code never prints: a function that fails returns one of these codes and,
 * when given an ib_error, fills it with a one-line, lowercase message in git's style
 * ("feed.jsonl:17: budget_year: expected a year, got \"20x1\"").  Only src/ prints. */
#ifndef IDEABANK_ERROR_H
#define IDEABANK_ERROR_H

#include <stddef.h>

/* Always add new codes last.  Never remove or renumber one. */
typedef enum ib_rc {
	IB_OK = 0,
	IB_ENOMEM,    /* out of memory */
	IB_EIO,	      /* file could not be read or written */
	IB_EDB,	      /* SQLite failed */
	IB_EPARSE,    /* input is malformed (feed line, number, document) */
	IB_ENOTFOUND, /* no such proposal, municipality, year ... */
	IB_EARG,      /* a caller passed something invalid (bad option value) */
	IB_ESCHEMA,   /* the database is newer than this program, or not ours */
	IB_ETOOBIG,   /* a buffer, body or query exceeded its cap */
	IB_ENET,      /* network failure (connect, timeout, HTTP status) */
	IB_EDUP,      /* an item is given twice */
	IB_ECHECK,    /* imported, but an arithmetic or template check failed */
	IB_ECOST,     /* a query would cost more than its budget (steps or time) */
	IB_RC_COUNT
} ib_rc;

typedef struct ib_error {
	int rc;
	int detail; /* a finer reason where a caller words the error itself (search.h's
		       IB_Q_*), 0 when none; ib_error_set() clears it */
	char msg[512];
} ib_error;

/* A short English description of rc; never NULL. */
const char *ib_strerror(int rc);

/* Set e (if not NULL) to rc and a printf-formatted message, detail 0; returns rc so
 * callers can write `return ib_error_set(e, IB_EPARSE, "...")`.  When fmt is NULL the
 * message becomes ib_strerror(rc). */
int ib_error_set(ib_error *e, int rc, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Prefix e->msg with "prefix: " (used to add a file name and line number). */
void ib_error_prefix(ib_error *e, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

void ib_error_clear(ib_error *e);

#endif
