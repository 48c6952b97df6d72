/* search.c - full-text search with filters, sorting, population-scaled effects and
 * facet counts computed over the whole result set in the same pass. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ideabank/buf.h"
#include "ideabank/num.h"
#include "ideabank/search.h"
#include "store_int.h"

/* bm25 weights for title, summary and text: a word in the title counts most. */
#define W_TITLE "10.0"
#define W_SUMMARY "4.0"
#define W_TEXT "1.0"

static void hit_free(ib_hit *h)
{
	free(h->kommune);
	free(h->ref);
	free(h->title);
	free(h->snippet);
	free(h->source);
}

static void facets_free(ib_facet *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(f[i].value);
	free(f);
}

void ib_result_free(ib_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->total; i++)
		hit_free(&r->hits[i]);
	free(r->hits);
	facets_free(r->by_area, r->n_by_area);
	facets_free(r->by_year, r->n_by_year);
	facets_free(r->by_kommune, r->n_by_kommune);
	facets_free(r->by_kind, r->n_by_kind);
	free(r);
}

static int facet_add(ib_facet **f, size_t *n, const char *value)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*f)[i].value, value) == 0) {
			(*f)[i].n++;
			return IB_OK;
		}
	ib_facet *v = realloc(*f, (*n + 1) * sizeof *v);
	if (!v)
		return IB_ENOMEM;
	*f = v;
	if (!(v[*n].value = strdup(value)))
		return IB_ENOMEM;
	v[*n].n = 1;
	(*n)++;
	return IB_OK;
}

static int facet_cmp(const void *a, const void *b)
{
	const ib_facet *x = a, *y = b;
	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return strcmp(x->value, y->value);
}

static char *dup_col(sqlite3_stmt *st, int i)
{
	const unsigned char *z = sqlite3_column_text(st, i);
	return z ? strdup((const char *)z) : NULL;
}

/* A search's budget, checked by SQLite's progress handler every STEP_TICK VM steps:
 * returning non-zero interrupts the statement (SQLITE_INTERRUPT). */
#define STEP_TICK 100

typedef struct budget {
	long steps, max_steps;
	double deadline; /* seconds of this thread's CPU time */
	int max_ms;
	int over; /* 1 steps, 2 time */
} budget;

/* The CPU time of this thread: the work a search does, not the time it waits for a
 * busy machine or a cold disk (one connection per thread, so this is its search's). */
static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int over_budget(void *p)
{
	budget *b = p;
	b->steps += STEP_TICK;
	if (b->steps > b->max_steps)
		b->over = 1;
	else if (now_s() > b->deadline)
		b->over = 2;
	return b->over;
}

/* The error of a statement that stopped: IB_ECOST when the budget interrupted it. */
static int step_failed(ib_store *s, const budget *b, ib_error *err, const char *what)
{
	if (b->over == 1)
		return ib_error_set(
		    err, IB_ECOST, "query is too costly (over %ld steps); use fewer or rarer words",
		    b->max_steps);
	if (b->over == 2)
		return ib_error_set(err, IB_ECOST,
				    "query is too costly (over %d ms of CPU time); use fewer or rarer"
				    " words",
				    b->max_ms);
	return ib_store_dberr(s, err, what);
}

/* Fill in the snippet of each returned hit, the matched words between \x02 and \x03. */
static int add_snippets(ib_store *s, const char *match, ib_result *r, const budget *b,
			ib_error *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db,
			       "SELECT snippet(proposal_fts, -1, char(2), char(3), '…', 16)"
			       " FROM proposal_fts WHERE proposal_fts MATCH ?1 AND rowid = ?2",
			       -1, &st, NULL) != SQLITE_OK)
		return ib_store_dberr(s, err, "cannot prepare snippets");
	int rc = IB_OK;
	sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
	for (size_t i = 0; i < r->n && !rc; i++) {
		sqlite3_bind_int64(st, 2, r->hits[i].id);
		int step = sqlite3_step(st);
		if (step == SQLITE_ROW && sqlite3_column_text(st, 0) &&
		    !(r->hits[i].snippet = dup_col(st, 0)))
			rc = ib_error_set(err, IB_ENOMEM, NULL);
		else if (step != SQLITE_ROW && step != SQLITE_DONE)
			rc = step_failed(s, b, err, "cannot make snippets");
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return rc;
}

static int cmp_score(const void *a, const void *b)
{
	const ib_hit *x = a, *y = b;
	if (x->score.total != y->score.total)
		return x->score.total > y->score.total ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* How many of the space-separated flag codes in z (NULL: none) are inconsistencies
 * (ib_inconsistency_flags); data-quality notes do not count against the evidence. */
static int count_inconsistencies(const char *z)
{
	int n = 0;
	while (z && *z) {
		size_t k = strcspn(z, " ");
		char code[64];
		snprintf(code, sizeof code, "%.*s", (int)k, z);
		n += ib_flag_is_inconsistency(code);
		z += k + (z[k] == ' ');
	}
	return n;
}

/* The documented ranking score (search.h) for every hit, then sort by it. */
static void score_hits(ib_result *r, int with_query)
{
	double best_rel = 0, best_eff = 0;
	int y_min = 0, y_max = 0;
	for (size_t i = 0; i < r->total; i++) {
		const ib_hit *h = &r->hits[i];
		if (h->relevance < best_rel)
			best_rel = h->relevance; /* bm25: more negative is better */
		if (!ib_is_na(h->per_inhabitant) && h->per_inhabitant > best_eff)
			best_eff = h->per_inhabitant;
		if (!y_min || h->budget_year < y_min)
			y_min = h->budget_year;
		if (h->budget_year > y_max)
			y_max = h->budget_year;
	}
	for (size_t i = 0; i < r->total; i++) {
		ib_hit *h = &r->hits[i];
		ib_score *c = &h->score;
		c->relevance = with_query && best_rel < 0 ? h->relevance / best_rel : 1;
		c->effect = (!ib_is_na(h->per_inhabitant) && h->per_inhabitant > 0 && best_eff > 0)
				? h->per_inhabitant / best_eff
				: 0;
		if (ib_is_na(h->effect_kr) || h->effect_kr <= 0)
			c->payback = 0;
		else if (ib_is_na(h->impl_cost_kr))
			c->payback = 0.5;
		else
			c->payback = 1.0 / (1.0 + (h->impl_cost_kr > 0 ? h->impl_cost_kr : 0) /
						      h->effect_kr);
		c->evidence = h->adopted == IB_ADOPTED_YES  ? 1.0
			      : h->adopted == IB_ADOPTED_NO ? 0.25
							    : 0.5;
		if (h->has_followup)
			c->evidence += 0.25;
		c->evidence -= 0.25 * h->n_flags; /* inconsistencies only */
		c->evidence = c->evidence > 1 ? 1 : c->evidence < 0 ? 0 : c->evidence;
		c->recency = y_max > y_min ? (double)(h->budget_year - y_min) / (y_max - y_min) : 1;
		c->total = 0.35 * c->relevance + 0.30 * c->effect + 0.15 * c->payback +
			   0.15 * c->evidence + 0.05 * c->recency;
	}
	if (r->total > 1) /* hits is NULL when there are none: qsort wants an array */
		qsort(r->hits, r->total, sizeof *r->hits, cmp_score);
}

int ib_search(ib_store *s, const ib_search_opts *o, ib_result **out, ib_error *err)
{
	*out = NULL;
	char *match = NULL;
	int rc = ib_fts_query_build(o->query, &match, err);
	if (rc)
		return rc;
	if (o->query && o->query[0] && !match) {
		/* words with nothing searchable in them ("§", "--") find nothing */
		ib_result *r = calloc(1, sizeof *r);
		if (!r)
			return ib_error_set(err, IB_ENOMEM, NULL);
		*out = r;
		return IB_OK;
	}
	ib_buf sql;
	ib_buf_init(&sql, 0);
	ib_buf_adds(&sql, "SELECT p.id, p.kommunekode, m.name, p.budget_year, p.ref, p.title,"
			  " p.area, p.kind, p.adopted, p.effect_kr, pop.inhabitants, pop.year,"
			  " p.impl_cost_kr,"
			  " (SELECT group_concat(f.code, ' ') FROM proposal_flag f"
			  "  WHERE f.proposal_id = p.id),"
			  " EXISTS (SELECT 1 FROM followup u WHERE u.proposal_id = p.id),"
			  " p.source,");
	if (match)
		ib_buf_adds(&sql,
			    " bm25(proposal_fts, " W_TITLE ", " W_SUMMARY ", " W_TEXT ")"
			    " FROM proposal_fts JOIN proposal p ON p.id = proposal_fts.rowid");
	else
		ib_buf_adds(&sql, " 0 FROM proposal p");
	ib_buf_adds(
	    &sql, " JOIN municipality m ON m.kommunekode = p.kommunekode"
		  " LEFT JOIN population pop ON pop.kommunekode = p.kommunekode AND pop.year ="
		  " coalesce((SELECT max(year) FROM population q WHERE q.kommunekode ="
		  "  p.kommunekode AND q.year <= p.budget_year), (SELECT min(year) FROM"
		  "  population q WHERE q.kommunekode = p.kommunekode AND q.year > p.budget_year))"
		  " WHERE 1");
	if (match)
		ib_buf_adds(&sql, " AND proposal_fts MATCH ?1");
	if (o->area)
		ib_buf_adds(&sql, " AND p.area = ?2");
	if (o->year_from)
		ib_buf_adds(&sql, " AND p.budget_year >= ?3");
	if (o->year_to)
		ib_buf_adds(&sql, " AND p.budget_year <= ?4");
	if (o->kommunekode)
		ib_buf_adds(&sql, " AND p.kommunekode = ?5");
	if (o->region)
		ib_buf_adds(&sql, " AND (m.region = ?6 OR m.region = 'Region ' || ?6)");
	if (o->kind)
		ib_buf_adds(&sql, " AND p.kind = ?7");
	if (o->adopted_only)
		ib_buf_adds(&sql, " AND p.adopted = 1");
	/* population and effect ranges: 0 (and for the effect IB_NA) leaves an end open;
	   a proposal whose figure is unknown is outside every range */
	int eff_min = !ib_is_na(o->effect_min) && o->effect_min != 0;
	int eff_max = !ib_is_na(o->effect_max) && o->effect_max != 0;
	if (o->pop_min > 0)
		ib_buf_adds(&sql, " AND pop.inhabitants >= ?8");
	if (o->pop_max > 0)
		ib_buf_adds(&sql, " AND pop.inhabitants <= ?9");
	if (eff_min)
		ib_buf_adds(&sql, " AND p.effect_kr >= ?10");
	if (eff_max)
		ib_buf_adds(&sql, " AND p.effect_kr <= ?11");
	ib_sort sort = o->sort;
	if (sort == IB_SORT_DEFAULT)
		sort = match ? IB_SORT_RELEVANCE : IB_SORT_EFFECT;
	if (sort == IB_SORT_RELEVANCE && !match)
		sort = IB_SORT_EFFECT;
	switch (sort) {
	case IB_SORT_RELEVANCE:
		ib_buf_adds(&sql, " ORDER BY 17, p.id");
		break;
	case IB_SORT_PER_INHABITANT:
		ib_buf_adds(&sql, " ORDER BY (p.effect_kr IS NULL OR pop.inhabitants IS NULL),"
				  " p.effect_kr / pop.inhabitants DESC, p.id");
		break;
	default:
		ib_buf_adds(&sql, " ORDER BY (p.effect_kr IS NULL), p.effect_kr DESC, p.id");
	}
	sqlite3_stmt *st = NULL;
	if (!sql.z || sqlite3_prepare_v2(s->db, sql.z, -1, &st, NULL) != SQLITE_OK) {
		rc = ib_store_dberr(s, err, "cannot prepare search");
		ib_buf_free(&sql);
		free(match);
		return rc;
	}
	ib_buf_free(&sql);
	if (match)
		sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
	if (o->area)
		sqlite3_bind_text(st, 2, o->area, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, o->year_from);
	sqlite3_bind_int(st, 4, o->year_to);
	sqlite3_bind_int(st, 5, o->kommunekode);
	if (o->region)
		sqlite3_bind_text(st, 6, o->region, -1, SQLITE_STATIC);
	if (o->kind)
		sqlite3_bind_text(st, 7, o->kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, o->pop_min);
	sqlite3_bind_int64(st, 9, o->pop_max);
	if (eff_min)
		sqlite3_bind_double(st, 10, o->effect_min);
	if (eff_max)
		sqlite3_bind_double(st, 11, o->effect_max);

	budget b = {0, o->max_steps > 0 ? o->max_steps : IB_SEARCH_MAX_STEPS, 0,
		    o->max_ms > 0 ? o->max_ms : IB_SEARCH_MAX_MS, 0};
	b.deadline = now_s() + b.max_ms / 1000.0;
	sqlite3_progress_handler(s->db, STEP_TICK, over_budget, &b);
	ib_result *r = calloc(1, sizeof *r);
	size_t alloc = 0;
	if (!r)
		rc = ib_error_set(err, IB_ENOMEM, NULL);
	int step;
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		if (r->total == alloc) {
			alloc = alloc ? alloc * 2 : 32;
			ib_hit *v = realloc(r->hits, alloc * sizeof *v);
			if (!v) {
				rc = ib_error_set(err, IB_ENOMEM, NULL);
				break;
			}
			r->hits = v;
		}
		ib_hit *h = &r->hits[r->total++];
		memset(h, 0, sizeof *h);
		h->id = sqlite3_column_int64(st, 0);
		h->kommunekode = sqlite3_column_int(st, 1);
		h->kommune = dup_col(st, 2);
		h->budget_year = sqlite3_column_int(st, 3);
		h->ref = dup_col(st, 4);
		h->title = dup_col(st, 5);
		h->area = ib_area_canonical((const char *)sqlite3_column_text(st, 6));
		h->kind = ib_kind_canonical((const char *)sqlite3_column_text(st, 7));
		h->adopted = sqlite3_column_type(st, 8) == SQLITE_NULL ? IB_ADOPTED_UNKNOWN
								       : sqlite3_column_int(st, 8);
		h->effect_kr = sqlite3_column_type(st, 9) == SQLITE_NULL
				   ? IB_NA
				   : sqlite3_column_double(st, 9);
		h->population = (long)sqlite3_column_int64(st, 10);
		h->population_year = sqlite3_column_int(st, 11);
		h->per_inhabitant = (!ib_is_na(h->effect_kr) && h->population > 0)
					? h->effect_kr / (double)h->population
					: IB_NA;
		h->impl_cost_kr = sqlite3_column_type(st, 12) == SQLITE_NULL
				      ? IB_NA
				      : sqlite3_column_double(st, 12);
		h->n_flags = count_inconsistencies((const char *)sqlite3_column_text(st, 13));
		h->has_followup = sqlite3_column_int(st, 14);
		h->source = dup_col(st, 15);
		h->relevance = sqlite3_column_double(st, 16);
		char year[8];
		snprintf(year, sizeof year, "%d", h->budget_year);
		if (facet_add(&r->by_area, &r->n_by_area, h->area ? h->area : "(ikke angivet)") ||
		    facet_add(&r->by_year, &r->n_by_year, year) ||
		    facet_add(&r->by_kommune, &r->n_by_kommune, h->kommune ? h->kommune : "") ||
		    facet_add(&r->by_kind, &r->n_by_kind, h->kind ? h->kind : "andet"))
			rc = ib_error_set(err, IB_ENOMEM, NULL);
	}
	if (!rc && step != SQLITE_DONE)
		rc = step_failed(s, &b, err, "search failed");
	sqlite3_finalize(st);
	if (!rc && sort == IB_SORT_SCORE)
		score_hits(r, match != NULL);
	r->n = (o->limit > 0 && (size_t)o->limit < r->total) ? (size_t)o->limit : r->total;
	/* snippets only for the hits returned: computing them for every match is what
	   made large result sets slow */
	if (!rc && match && r->n)
		rc = add_snippets(s, match, r, &b, err);
	sqlite3_progress_handler(s->db, 0, NULL, NULL);
	free(match);
	if (rc) {
		ib_result_free(r);
		return rc;
	}
	if (r->total) {
		qsort(r->by_area, r->n_by_area, sizeof *r->by_area, facet_cmp);
		qsort(r->by_year, r->n_by_year, sizeof *r->by_year, facet_cmp);
		qsort(r->by_kommune, r->n_by_kommune, sizeof *r->by_kommune, facet_cmp);
		qsort(r->by_kind, r->n_by_kind, sizeof *r->by_kind, facet_cmp);
	}
	*out = r;
	return IB_OK;
}
