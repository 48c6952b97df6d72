/* doc_int.h - what the document templates share: finding lines, joining text,
 * reading year columns and rows of numbers.  Private to fetch/. */
#ifndef IDEABANK_DOC_INT_H
#define IDEABANK_DOC_INT_H

#include <stdarg.h>
#include <stddef.h>

#include "ideabank/doc.h"

/* Most year columns a table may have. */
#define DOC_MAX_COLS 12

/* z with leading blanks (ASCII, NBSP) skipped. */
const char *doc_skip_blank(const char *z);
/* Whether line z is empty or only blanks. */
int doc_is_blank(const char *z);
/* Whether z, after leading blanks, starts with prefix (byte-exact). */
int doc_starts(const char *z, const char *prefix);
/* First line in [from, to) containing needle, or -1. */
long doc_find(const ib_doc *d, size_t from, size_t to, const char *needle);
/* First line in [from, to) starting (after blanks) with prefix, or -1. */
long doc_find_start(const ib_doc *d, size_t from, size_t to, const char *prefix);
/* Lines [from, to) joined with single spaces, blanks collapsed, words split by a
 * line-end hyphen rejoined ("omkostnin-" + "ger"), bullet glyphs dropped; skip bytes
 * of the first line are left out.  Caller frees; NULL when out of memory. */
char *doc_join(const ib_doc *d, size_t from, size_t to, size_t skip);
/* Like doc_join but keeps paragraph breaks (a blank line becomes "\n"). */
char *doc_join_text(const ib_doc *d, size_t from, size_t to);
/* Shorten a summary in place to its first sentences (about 400 bytes); returns z. */
char *doc_summary(char *z);
/* Collapse blanks in z in place and trim it; returns z. */
char *doc_squeeze(char *z);
/* The years on line z when every number at its end is a year (1990-2100) and there
 * are at least two; 0 otherwise.  Years go to years[0..max). */
int doc_year_columns(const char *z, int *years, int max);
/* Append one printf-formatted line (at most 511 bytes) to the array *lines of *n
 * strings, growing it; the array owns the copy.  IB_OK or IB_ENOMEM. */
int doc_lines_addv(char ***lines, size_t *n, const char *fmt, va_list ap);

/* Append a document-level note (printf format). */
int doc_note(ib_doc_result *r, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* The municipality a document names ("Ringsted Kommune", "Københavns Kommune",
 * "København"), newly allocated, or NULL. */
char *doc_find_kommune(const ib_doc *d);
/* Whether two amounts in 1000 kr agree (to half a krone). */
int doc_near_equal(double a, double b);

/* A row of numbers assembled from consecutive lines: label text, then values. */
typedef struct doc_row {
	char label[512];
	double v[DOC_MAX_COLS];
	int n;		    /* values read */
	int n_placeholders; /* of which placeholders */
	size_t line;	    /* line of the values (0-based) */
} doc_row;

/* Fill the proposal's effect, full-phase-in year and yearly table from per-year net
 * values (1000 kr, negative = saving): effect = -(last year's net) in kr when known. */
void doc_effect_from_net(ib_proposal *p);

/* Templates.  Each returns 1 when it recognises d (and then fills r, or fails with
 * err set and returns -1), 0 when d is not its kind. */
int doc_parse_ringsted(const ib_doc *d, ib_doc_result *r, ib_error *err);
int doc_parse_kk_business_case(const ib_doc *d, ib_doc_result *r, ib_error *err);
int doc_parse_kk_proposals(const ib_doc *d, ib_doc_result *r, ib_error *err);
int doc_parse_status_report(const ib_doc *d, ib_doc_result *r, ib_error *err);
/* The general extractor (extract_text.c) over a document no other template knows:
 * one proposal per table of yearly amounts; 0 when there is none. */
int doc_parse_general(const ib_doc *d, ib_doc_result *r, ib_error *err);

#endif
