/* stats.c - ib_store_stats(): what the store holds, counted (ideabank stats).  The
 * proposals are counted from the search facts (search.c) when they fit their codes,
 * else with SQL. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ideabank/array.h"
#include "ideabank/store.h"
#include "search_int.h"
#include "sql.h"

/* The first column of sql's one row into *n. */
static void count_query(ib_sql *q, const char *sql, long *n)
{
	int64_t v = 0;
	ib_sql_first(q, &v, "cannot count", sql, NULL);
	*n = (long)v;
}

/* Append a count of label (NULL: "(ingen)", as SQL's NULL) to *out of *n; IB_ENOMEM. */
static int count_add(ib_count **out, size_t *n, const char *label, long count)
{
	ib_count x = {strdup(label ? label : "(ingen)"), count};
	if (!x.label || IB_APPEND(*out, *n, x)) {
		free(x.label);
		return IB_ENOMEM;
	}
	return IB_OK;
}

/* The rows of sql (label, count) appended to *out of *n. */
static void group_query(ib_sql *q, const char *sql, ib_count **out, size_t *n)
{
	ib_sql_open(q, "cannot count", sql, NULL);
	while (ib_sql_row(q))
		if (count_add(out, n, (const char *)sqlite3_column_text(q->st, 0),
			      (long)sqlite3_column_int64(q->st, 1)))
			ib_sql_fail(q, IB_ENOMEM, NULL);
	ib_sql_close(q);
}

/* A count's label and number, sorted by tally_cmp: most first, then by label (none
 * first, as SQL orders NULL). */
typedef struct tally_row {
	const char *label; /* NULL: SQL NULL */
	long n;
} tally_row;

static int tally_cmp(const void *a, const void *b)
{
	const tally_row *x = a, *y = b;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	if (!x->label || !y->label)
		return !y->label - !x->label;
	return strcmp(x->label, y->label);
}

/* Rows v[0..n), sorted, appended to *out of *n_out. */
static int tally_take(tally_row *v, size_t n, ib_count **out, size_t *n_out)
{
	if (n)
		qsort(v, n, sizeof *v, tally_cmp);
	for (size_t i = 0; i < n; i++)
		if (count_add(out, n_out, v[i].label, v[i].n))
			return IB_ENOMEM;
	return IB_OK;
}

/* The proposal counts of st from the search facts (ib_search_tally): no row of the
 * proposal table is read.  *done = 0 when the facts do not fit their codes. */
static int stats_from_facts(ib_store *s, ib_stats *st, int *done, ib_error *err)
{
	ib_fact_tally t;
	memset(&t, 0, sizeof t);
	*done = 0;
	tally_row *v = malloc(65536 * sizeof *v);
	t.by_code = calloc(65536, sizeof *t.by_code);
	t.by_year = calloc(65536, sizeof *t.by_year);
	int rc = v && t.by_code && t.by_year ? ib_search_tally(s, &t, err)
					     : ib_error_set(err, IB_ENOMEM, NULL);
	ib_municipality *m = NULL;
	size_t n_m = 0, n = 0;
	if (!rc && !t.unfit) {
		*done = 1;
		st->n_proposals = t.total;
		rc = ib_store_municipalities(s, &m, &n_m, err);
		for (size_t i = 0; i < n_m && !rc; i++) {
			int code = m[i].code;
			if (code >= 0 && code <= 65535 && t.by_code[code])
				v[n++] = (tally_row){m[i].name, t.by_code[code]};
		}
		if (!rc)
			rc = tally_take(v, n, &st->by_municipality, &st->n_by_municipality);
		for (int y = 0; y < 65536 && !rc; y++) {
			char z[16];
			if (!t.by_year[y])
				continue;
			snprintf(z, sizeof z, "%d", y);
			rc = count_add(&st->by_year, &st->n_by_year, z, t.by_year[y]);
		}
		n = 0;
		for (size_t i = 0; i < t.n_area; i++)
			if (t.by_area[i])
				v[n++] = (tally_row){t.area[i], t.by_area[i]};
		if (!rc)
			rc = tally_take(v, n, &st->by_area, &st->n_by_area);
		if (rc == IB_ENOMEM)
			rc = ib_error_set(err, IB_ENOMEM, NULL);
	}
	IB_FREE_ALL(m, v, t.by_code, t.by_year);
	return rc;
}

int ib_store_stats(ib_store *s, ib_stats **out, ib_error *err)
{
	ib_stats *st = calloc(1, sizeof *st);
	if (!st)
		return ib_error_set(err, IB_ENOMEM, NULL);
	int rc = IB_OK, done = 0;
	ib_sql q = IB_SQL(s, &rc, err);
	count_query(&q, "SELECT count(*) FROM municipality", &st->n_municipalities);
	count_query(&q, "SELECT count(*) FROM population", &st->n_population);
	count_query(&q, "SELECT count(*) FROM spending", &st->n_spending);
	if (!rc)
		rc = stats_from_facts(s, st, &done, err);
	/* facts that do not fit their codes: the proposal rows counted in SQL */
	if (!done) {
		count_query(&q, "SELECT count(*) FROM proposal", &st->n_proposals);
		group_query(&q,
			    "SELECT m.name, count(*) FROM proposal p JOIN municipality m"
			    " USING(kommunekode) GROUP BY m.name ORDER BY count(*) DESC, m.name",
			    &st->by_municipality, &st->n_by_municipality);
		group_query(&q,
			    "SELECT budget_year, count(*) FROM proposal GROUP BY budget_year"
			    " ORDER BY budget_year",
			    &st->by_year, &st->n_by_year);
		group_query(&q,
			    "SELECT area, count(*) FROM proposal GROUP BY area"
			    " ORDER BY count(*) DESC, area",
			    &st->by_area, &st->n_by_area);
	}
	if (rc) {
		ib_stats_free(st);
		return rc;
	}
	*out = st;
	return IB_OK;
}

static void counts_free(ib_count *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(c[i].label);
	free(c);
}

void ib_stats_free(ib_stats *st)
{
	if (!st)
		return;
	counts_free(st->by_municipality, st->n_by_municipality);
	counts_free(st->by_year, st->n_by_year);
	counts_free(st->by_area, st->n_by_area);
	free(st);
}
