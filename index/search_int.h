/* search_int.h - private to index/: what the search gives the store's other modules
 * (stats.c) and the tests besides ib_search(). */
#ifndef IDEABANK_SEARCH_INT_H
#define IDEABANK_SEARCH_INT_H

#include "facts.h"
#include "ideabank/search.h"

/* ib_search() with the whole result read and sorted in SQL: every match's row read,
 * population resolved per row.  The reference the fast path is tested against, and the
 * path of IB_SORT_SCORE.  Takes and returns what ib_search() does. */
int ib_search_plain(ib_store *s, const ib_search_opts *o, ib_result **out, ib_error *err);

/* Every stored proposal counted by its facts (facts.h), for stats: by kommunekode, by
 * budget year and by area code.  The caller zeroes *t and gives it by_code and by_year
 * of 65.536 entries each. */
typedef struct ib_fact_tally {
	long total;
	long *by_code, *by_year;
	long by_area[IB_FACT_LABELS];
	const char *area[IB_FACT_LABELS]; /* each code's text, NULL for SQL NULL; the store's */
	size_t n_area;
	int unfit; /* the facts do not fit their codes: count with SQL */
} ib_fact_tally;

/* Fill t; fails as searches fail. */
int ib_search_tally(ib_store *s, ib_fact_tally *t, ib_error *err);

#endif
