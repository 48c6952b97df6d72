/* search.c - full-text search with filters, sorting, population-scaled effects and
 * facet counts computed over the whole result set in the same pass. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "facts.h"
#include "fts_query_int.h"
#include "ideabank/array.h"
#include "ideabank/buf.h"
#include "ideabank/num.h"
#include "ideabank/search.h"
#include "rank.h"
#include "search_int.h"
#include "sql.h"
#include "store_int.h"

typedef struct ib_search_cache ib_search_cache;

/* The year of the population figure a proposal p is scaled with: its budget year, else
 * the nearest earlier year, else the nearest later one. */
#define POP_YEAR                                                                              \
	"coalesce((SELECT max(year) FROM population q WHERE q.kommunekode ="                  \
	"  p.kommunekode AND q.year <= p.budget_year), (SELECT min(year) FROM"                \
	"  population q WHERE q.kommunekode = p.kommunekode AND q.year > p.budget_year))"

static void hit_free(ib_hit *h)
{
	IB_FREE_ALL(h->kommune, h->ref, h->title, h->snippet, h->source, h->population_source);
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
	IB_FREE_EACH(r->hits, r->n, hit_free);
	facets_free(r->by_area, r->n_by_area);
	facets_free(r->by_year, r->n_by_year);
	facets_free(r->by_kommune, r->n_by_kommune);
	facets_free(r->by_kind, r->n_by_kind);
	facets_free(r->by_region, r->n_by_region);
	facets_free(r->by_adopted, r->n_by_adopted);
	free(r);
}

static int facet_add(ib_facet **f, size_t *n, const char *value)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*f)[i].value, value) == 0) {
			(*f)[i].n++;
			return IB_OK;
		}
	ib_facet x = {strdup(value), 1};
	if (!x.value || IB_APPEND(*f, *n, x)) {
		free(x.value);
		return IB_ENOMEM;
	}
	return IB_OK;
}

static int facet_cmp(const void *a, const void *b)
{
	const ib_facet *x = a, *y = b;
	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return strcmp(x->value, y->value);
}

/* Sort each facet by count; qsort must not be given NULL, even for no elements (a
 * facet nothing was counted in). */
static void sort_facets(ib_result *r)
{
	if (r->n_by_area)
		qsort(r->by_area, r->n_by_area, sizeof *r->by_area, facet_cmp);
	if (r->n_by_year)
		qsort(r->by_year, r->n_by_year, sizeof *r->by_year, facet_cmp);
	if (r->n_by_kommune)
		qsort(r->by_kommune, r->n_by_kommune, sizeof *r->by_kommune, facet_cmp);
	if (r->n_by_kind)
		qsort(r->by_kind, r->n_by_kind, sizeof *r->by_kind, facet_cmp);
	if (r->n_by_region)
		qsort(r->by_region, r->n_by_region, sizeof *r->by_region, facet_cmp);
	if (r->n_by_adopted)
		qsort(r->by_adopted, r->n_by_adopted, sizeof *r->by_adopted, facet_cmp);
}

/* The adopted facet's value of an ib_adopted value. */
static const char *adopted_word(int adopted)
{
	return adopted == IB_ADOPTED_YES ? "yes" : adopted == IB_ADOPTED_NO ? "no" : "unknown";
}

/* Does a proposal adopted so (an ib_adopted value) pass o's adopted filters? */
static int adopted_passes(const ib_search_opts *o, int adopted)
{
	if (o->adopted_only && adopted != IB_ADOPTED_YES)
		return 0;
	switch (o->adopted_is) {
	case IB_ADOPTED_IS_YES:
		return adopted == IB_ADOPTED_YES;
	case IB_ADOPTED_IS_NO:
		return adopted == IB_ADOPTED_NO;
	case IB_ADOPTED_IS_UNKNOWN:
		return adopted != IB_ADOPTED_YES && adopted != IB_ADOPTED_NO;
	default:
		return 1;
	}
}

/* Keep the hits [offset, offset + limit) of r's r->total in order (limit 0: all after
 * offset), freeing the others; r->n says how many are kept. */
static void page_hits(ib_result *r, const ib_search_opts *o)
{
	size_t from = o->offset > 0 ? (size_t)o->offset : 0;
	if (from > r->total)
		from = r->total;
	size_t n = r->total - from;
	if (o->limit > 0 && (size_t)o->limit < n)
		n = (size_t)o->limit;
	for (size_t i = 0; i < r->total; i++)
		if (i < from || i >= from + n)
			hit_free(&r->hits[i]);
	if (from && n)
		memmove(r->hits, r->hits + from, n * sizeof *r->hits);
	r->n = n;
}

/* A search's budget, checked by SQLite's progress handler every STEP_TICK VM steps:
 * returning non-zero interrupts the statement (SQLITE_INTERRUPT).  The CPU clock is a
 * system call: it is read every CLOCK_TICKS checks only. */
#define STEP_TICK 100
#define CLOCK_TICKS 32

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
	else if (b->steps % (STEP_TICK * CLOCK_TICKS) == 0 && now_s() > b->deadline)
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
		    !(r->hits[i].snippet = ib_col_dup(st, 0)))
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

/* The columns a hit is read from (read_hit) and the tables they come from, up to the
 * WHERE: with a query the FTS5 table joined to its proposals, else every proposal.  The
 * population is the municipality's in the budget year, else the nearest earlier year,
 * else the nearest later one. */
static void hit_select(ib_buf *sql, int with_match)
{
	ib_buf_adds(sql, "SELECT p.id, p.kommunekode, m.name, p.budget_year, p.ref, p.title,"
			 " p.area, p.kind, p.adopted, p.effect_kr, pop.inhabitants, pop.year,"
			 " p.impl_cost_kr,"
			 " (SELECT group_concat(f.code, ' ') FROM proposal_flag f"
			 "  WHERE f.proposal_id = p.id),"
			 " EXISTS (SELECT 1 FROM followup u WHERE u.proposal_id = p.id),"
			 " p.source, m.region, pop.source,");
	if (with_match)
		ib_buf_adds(sql, " ib_bm25(proposal_fts), p.source_page"
				 " FROM proposal_fts JOIN proposal p ON p.id = proposal_fts.rowid");
	else
		ib_buf_adds(sql, " 0, p.source_page FROM proposal p");
	ib_buf_adds(sql, " JOIN municipality m ON m.kommunekode = p.kommunekode"
			 " LEFT JOIN population pop ON pop.kommunekode = p.kommunekode AND"
			 " pop.year = " POP_YEAR);
}

/* Fill h from a row of hit_select's columns. */
static void read_hit(sqlite3_stmt *st, ib_hit *h)
{
	memset(h, 0, sizeof *h);
	h->id = sqlite3_column_int64(st, 0);
	h->kommunekode = sqlite3_column_int(st, 1);
	h->kommune = ib_col_dup(st, 2);
	h->budget_year = sqlite3_column_int(st, 3);
	h->ref = ib_col_dup(st, 4);
	h->title = ib_col_dup(st, 5);
	h->area = ib_area_canonical((const char *)sqlite3_column_text(st, 6));
	h->kind = ib_kind_canonical((const char *)sqlite3_column_text(st, 7));
	h->adopted = ib_col_int_or(st, 8, IB_ADOPTED_UNKNOWN);
	h->effect_kr = ib_col_num(st, 9);
	h->population = (long)sqlite3_column_int64(st, 10);
	h->population_year = sqlite3_column_int(st, 11);
	h->per_inhabitant = (!ib_is_na(h->effect_kr) && h->population > 0)
				? h->effect_kr / (double)h->population
				: IB_NA;
	h->impl_cost_kr = ib_col_num(st, 12);
	h->n_flags = count_inconsistencies((const char *)sqlite3_column_text(st, 13));
	h->has_followup = sqlite3_column_int(st, 14);
	h->source = ib_col_dup(st, 15);
	h->population_source = ib_col_dup(st, 17);
	h->relevance = sqlite3_column_double(st, 18); /* 16: the region, for its facet */
	h->page = sqlite3_column_int(st, 19);
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

int ib_search_plain(ib_store *s, const ib_search_opts *o, ib_result **out, ib_error *err)
{
	*out = NULL;
	char *match = NULL;
	int rc = ib_fts_query_shape(o->query, &match, NULL, NULL, NULL, err);
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
	hit_select(&sql, match != NULL);
	ib_buf_adds(&sql, " WHERE 1");
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
	if (o->adopted_is == IB_ADOPTED_IS_YES)
		ib_buf_adds(&sql, " AND p.adopted = 1");
	else if (o->adopted_is == IB_ADOPTED_IS_NO)
		ib_buf_adds(&sql, " AND p.adopted = 0");
	else if (o->adopted_is == IB_ADOPTED_IS_UNKNOWN)
		ib_buf_adds(&sql, " AND (p.adopted IS NULL OR p.adopted NOT IN (0, 1))");
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
		ib_buf_adds(&sql, " ORDER BY 19, p.id");
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
		if (IB_GROW(r->hits, r->total, alloc, 32)) {
			rc = ib_error_set(err, IB_ENOMEM, NULL);
			break;
		}
		ib_hit *h = &r->hits[r->total++];
		read_hit(st, h);
		char year[8];
		snprintf(year, sizeof year, "%d", h->budget_year);
		const char *region = (const char *)sqlite3_column_text(st, 16);
		if (facet_add(&r->by_area, &r->n_by_area, h->area ? h->area : "(ikke angivet)") ||
		    facet_add(&r->by_year, &r->n_by_year, year) ||
		    facet_add(&r->by_kommune, &r->n_by_kommune, h->kommune ? h->kommune : "") ||
		    facet_add(&r->by_kind, &r->n_by_kind, h->kind ? h->kind : "andet") ||
		    facet_add(&r->by_region, &r->n_by_region, region ? region : "") ||
		    facet_add(&r->by_adopted, &r->n_by_adopted, adopted_word(h->adopted)))
			rc = ib_error_set(err, IB_ENOMEM, NULL);
		if (!ib_is_na(h->effect_kr)) {
			r->effect_sum += h->effect_kr;
			r->n_effect_known++;
		}
	}
	if (!rc && step != SQLITE_DONE)
		rc = step_failed(s, &b, err, "search failed");
	sqlite3_finalize(st);
	if (!rc && sort == IB_SORT_SCORE)
		score_hits(r, match != NULL);
	if (r)
		page_hits(r, o);
	/* snippets only for the hits returned: computing them for every match is what
	   made large result sets slow */
	if (!rc && match && r->n && !o->no_snippets)
		rc = add_snippets(s, match, r, &b, err);
	sqlite3_progress_handler(s->db, 0, NULL, NULL);
	free(match);
	if (rc) {
		ib_result_free(r);
		return rc;
	}
	sort_facets(r);
	*out = r;
	return IB_OK;
}

/* ---- The fast path: the facts every match needs, read from the blocks ---------------
 *
 * Facet counts and filters need a few facts of every match; reading them from each
 * matching proposal row (area and kind lie behind the text, on overflow pages) and
 * resolving its population with two correlated subqueries per row was most of a
 * search's cost, and SQLite's sorter over every match most of the rest.  So the writer
 * keeps the facts of every proposal in blocks of IB_FACT_SLOTS ids (facts.h); a search
 * streams the FTS5 rowids, reads the block of each match (once: the rowids ascend),
 * filters and counts facets by small integer codes, keeps the best `limit` in a bounded
 * heap, and reads whole rows for those alone.  A store keeps the blocks it decoded for
 * its next search (serve) and reloads only those the database changed since, or holds
 * one at a time (ib_search_keep_facts: a process that searches once).  The results
 * are exactly those of ib_search_plain(): the same filters, order and ties (id). */

typedef struct fact {
	double effect; /* IB_NA when unknown */
	int64_t id;
	unsigned len;	     /* tokens in its indexed text, all columns (FTS5's docsize) */
	int year;
	short muni;	     /* index into search_cache.muni */
	unsigned char area;  /* label code (search_cache.area) */
	unsigned char kind;  /* likewise */
	signed char adopted; /* 1 adopted, 0 not, -1 unknown */
} fact;

#define MAX_LABELS IB_FACT_LABELS

/* The most blocks a cache indexes (ids below 2^34); a bank beyond: plain SQL. */
#define MAX_BLOCKS ((int64_t)1 << 24)

typedef struct muni_info {
	int code;
	char *name, *region;
} muni_info;

/* The decoded facts of one block that can be hits (a proposal whose municipality is
 * known), in id order, and each slot's index in them. */
typedef struct fact_blk {
	fact *f;
	int n;
	short at[IB_FACT_SLOTS]; /* -1: no hit in that slot */
} fact_blk;

/* A pending fact (facts.h): laid over its block's stored facts. */
typedef struct pend {
	fact f;	  /* f.id always set; f.muni -1: no municipality, never a hit */
	int code; /* its kommunekode */
	int gone; /* the proposal was deleted */
} pend;

/* Room for ranking up to cap documents: ids ascending, lengths, relevances, and
 * ib_rank_all's scratch.  Kept with the cache, so a search allocates nothing per match
 * once it has grown. */
typedef struct rank_room {
	int64_t *id;
	unsigned *len;
	double *rel, *scratch;
	size_t cap;
} rank_room;

struct ib_search_cache {
	int64_t *stamp;	 /* per block: the stamp of its stored row, 0 when it has none */
	fact_blk **blk;	 /* per block: its decoded facts, NULL until read */
	size_t n_block;	 /* blocks 0 .. n_block - 1, every stored and pending one */
	int keep;	 /* keep every block read, decoded (else one block's blob, `raw`) */
	int64_t raw_at; /* not kept: the block whose blob get_block holds (-1 none), read in
			   place until the statement is reset */
	ib_fact_view view;	 /* on get_block's blob of raw_at */
	size_t raw_lo, raw_hi;	 /* its pending facts: pend[raw_lo .. raw_hi) */
	fact tmp;		 /* not kept: the fact fact_get returned last */
	pend *pend;		 /* pending facts, by id */
	size_t n_pend;
	sqlite3_stmt *get_block; /* reads a block's blob */
	short *muni_of;		 /* kommunekode (0 .. 65535) -> index into muni, -1 none */
	rank_room room;
	muni_info *muni;
	size_t n_muni;
	ib_fact_labels labels;			   /* the stored codes */
	char *area[MAX_LABELS], *kind[MAX_LABELS]; /* every code's text; NULL for SQL NULL */
	size_t n_area, n_kind;			   /* the stored codes, then pending texts' */
	int owned_from[2];			   /* area[]/kind[] entries owned from here on */
	struct pop_row *pop;			   /* every population figure */
	size_t n_pop;
	long *pop_at; /* per municipality and year in YEAR_SPAN: inhabitants + 1, 0 not yet */
	int unfit;    /* the data does not fit the codes: plain SQL */
	int provisional; /* read inside the caller's transaction (cache_get) */
	int64_t id_min, id_max; /* the proposal ids lie between these (max < min: none) */
	sqlite3_int64 changes; /* sqlite3_total_changes64 when read */
	int data_version;      /* PRAGMA data_version when read */
	int loaded;	       /* read from the database (changes, data_version hold) */
};

#define YEAR_MIN 1900
#define YEAR_SPAN 400 /* budget years YEAR_MIN .. YEAR_MIN + YEAR_SPAN - 1 counted by index */

static void blk_free(fact_blk *b)
{
	if (b)
		free(b->f);
	free(b);
}

/* Let go of the blob a search that keeps no facts holds (get_block reset). */
static void raw_release(ib_search_cache *c)
{
	if (c->raw_at >= 0 && c->get_block)
		sqlite3_reset(c->get_block);
	c->raw_at = -1;
}

/* Forget every decoded block. */
static void blocks_drop(ib_search_cache *c)
{
	for (size_t i = 0; c->blk && i < c->n_block; i++) {
		blk_free(c->blk[i]);
		c->blk[i] = NULL;
	}
	raw_release(c);
}

static void munis_free(muni_info *m, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(m[i].name);
		free(m[i].region);
	}
	free(m);
}

/* Free the texts of the codes pending facts added (those the stored labels have are
 * theirs). */
static void extra_labels_free(ib_search_cache *c)
{
	for (size_t i = (size_t)c->owned_from[0]; i < c->n_area; i++)
		free(c->area[i]);
	for (size_t i = (size_t)c->owned_from[1]; i < c->n_kind; i++)
		free(c->kind[i]);
	c->n_area = (size_t)c->owned_from[0];
	c->n_kind = (size_t)c->owned_from[1];
}

/* Forget everything c holds: it is as new, keeping its keep setting. */
static void cache_clear(ib_search_cache *c)
{
	blocks_drop(c);
	IB_FREE_ALL(c->blk, c->stamp, c->pend, c->muni_of);
	sqlite3_finalize(c->get_block);
	munis_free(c->muni, c->n_muni);
	extra_labels_free(c);
	ib_fact_labels_free(&c->labels);
	IB_FREE_ALL(c->pop, c->pop_at, c->room.id, c->room.len, c->room.rel, c->room.scratch);
	int keep = c->keep;
	memset(c, 0, sizeof *c);
	c->raw_at = -1;
	c->keep = keep;
}

/* Free the cache c (NULL allowed): the store's attached_free. */
static void cache_free(void *c)
{
	if (c)
		cache_clear(c);
	free(c);
}

/* The cache the search keeps with s, made (empty, keeping facts) when make is 1 and
 * there is none; NULL when there is none or no memory for it. */
static ib_search_cache *cache_of(ib_store *s, int make)
{
	if (s->attached && s->attached_free == cache_free)
		return s->attached;
	if (!make || s->attached)
		return NULL;
	ib_search_cache *c = calloc(1, sizeof *c);
	if (c) {
		c->raw_at = -1;
		c->keep = 1;
		s->attached = c;
		s->attached_free = cache_free;
	}
	return c;
}

/* A process that searches once reads every page once or twice: a page cache of 16 MiB
 * keeps its memory small.  (A memory map read faster by a few per cent, but the kernel
 * maps the pages around each one read, and a search of a bank of 1.000.000 resided in
 * 70-90 MB.) */
#define ONCE_CACHE_SIZE "PRAGMA cache_size=-16384"

void ib_search_keep_facts(ib_store *s, int keep)
{
	if (!keep)
		sqlite3_exec(s->db, ONCE_CACHE_SIZE, NULL, NULL, NULL);
	ib_search_cache *c = cache_of(s, 1);
	if (c) {
		blocks_drop(c);
		c->keep = keep;
	}
}

static int data_version(sqlite3 *db)
{
	sqlite3_stmt *st;
	int v = -1;
	if (sqlite3_prepare_v2(db, "PRAGMA data_version", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int muni_find(const ib_search_cache *c, int code)
{
	size_t lo = 0, hi = c->n_muni;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (c->muni[mid].code < code)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < c->n_muni && c->muni[lo].code == code ? (int)lo : -1;
}

/* A population figure: the municipality's inhabitants in a year. */
typedef struct pop_row {
	int code, year;
	long inhabitants;
} pop_row;

/* Every population figure, sorted by municipality and year; caller frees *out. */
static int pop_load(ib_store *s, const budget *b, pop_row **out, size_t *n, ib_error *err)
{
	sqlite3_stmt *st;
	size_t alloc = 0;
	int rc = IB_OK, step = SQLITE_DONE;
	*out = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(s->db,
			       "SELECT kommunekode, year, inhabitants FROM population ORDER BY 1, 2",
			       -1, &st, NULL) != SQLITE_OK)
		return ib_store_dberr(s, err, "cannot prepare search");
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		if (IB_GROW(*out, *n, alloc, 2048)) {
			rc = ib_error_set(err, IB_ENOMEM, NULL);
			break;
		}
		pop_row *p = &(*out)[(*n)++];
		p->code = sqlite3_column_int(st, 0);
		p->year = sqlite3_column_int(st, 1);
		p->inhabitants = (long)sqlite3_column_int64(st, 2);
	}
	if (!rc && step != SQLITE_DONE)
		rc = step_failed(s, b, err, "search failed");
	sqlite3_finalize(st);
	if (rc) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

/* The inhabitants POP_YEAR picks for municipality code in budget year year: that
 * year's, else the nearest earlier year's, else the nearest later one's; 0 when the
 * municipality has no figure. */
static long pop_of(const pop_row *v, size_t n, int code, int year)
{
	size_t lo = 0, hi = n;
	while (lo < hi) { /* the first row of code */
		size_t mid = (lo + hi) / 2;
		if (v[mid].code < code)
			lo = mid + 1;
		else
			hi = mid;
	}
	long before = 0, after = 0;
	for (size_t i = lo; i < n && v[i].code == code; i++) {
		if (v[i].year <= year)
			before = v[i].inhabitants; /* ascending: the last is the nearest */
		else if (!after)
			after = v[i].inhabitants;
	}
	return before ? before : after;
}

/* The inhabitants f's budget year is scaled with (pop_of), looked up once per
 * municipality and year. */
static long pop_for(ib_search_cache *c, const fact *f)
{
	if (f->year < YEAR_MIN || f->year >= YEAR_MIN + YEAR_SPAN)
		return pop_of(c->pop, c->n_pop, c->muni[f->muni].code, f->year);
	long *p = &c->pop_at[(size_t)f->muni * YEAR_SPAN + (size_t)(f->year - YEAR_MIN)];
	if (!*p)
		*p = pop_of(c->pop, c->n_pop, c->muni[f->muni].code, f->year) + 1;
	return *p - 1;
}

/* Read the municipalities into *out (by code); caller frees with munis_free. */
static int munis_load(ib_store *s, const budget *b, muni_info **out, size_t *n,
		      ib_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = IB_OK, step = SQLITE_DONE;
	size_t alloc = 0;
	*out = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(s->db,
			       "SELECT kommunekode, name, region FROM municipality ORDER BY 1", -1,
			       &st, NULL) != SQLITE_OK)
		return ib_store_dberr(s, err, "cannot prepare search");
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		if (IB_GROW(*out, *n, alloc, 128)) {
			rc = ib_error_set(err, IB_ENOMEM, NULL);
			break;
		}
		muni_info *m = &(*out)[(*n)++];
		m->code = sqlite3_column_int(st, 0);
		m->name = ib_col_dup(st, 1);
		m->region = ib_col_dup(st, 2);
		if (!m->name || !m->region)
			rc = ib_error_set(err, IB_ENOMEM, NULL);
	}
	if (!rc && step != SQLITE_DONE)
		rc = step_failed(s, b, err, "search failed");
	sqlite3_finalize(st);
	if (rc) {
		munis_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

static int same_text(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static int munis_same(const muni_info *a, size_t na, const muni_info *b, size_t nb)
{
	if (na != nb)
		return 0;
	for (size_t i = 0; i < na; i++)
		if (a[i].code != b[i].code || strcmp(a[i].name, b[i].name) != 0 ||
		    strcmp(a[i].region, b[i].region) != 0)
			return 0;
	return 1;
}

/* The code of label z (NULL allowed) in v[0..*n), added (a copy, owned) when new; -1
 * when v is full or out of memory. */
static int label_code(char **v, size_t *n, const char *z)
{
	for (size_t i = 0; i < *n; i++)
		if (same_text(v[i], z))
			return (int)i;
	if (*n == MAX_LABELS)
		return -1;
	char *d = NULL;
	if (z && !(d = strdup(z)))
		return -1;
	v[*n] = d;
	return (int)(*n)++;
}

/* Take the stored labels l into c (c->labels freed first); 1 when a code that c had
 * now stands for another text (every decoded block is stale). */
static int labels_take(ib_search_cache *c, ib_fact_labels *l)
{
	extra_labels_free(c);
	int changed = 0;
	for (int f = 0; f < 2; f++) {
		char **v = f ? c->kind : c->area;
		size_t *n = f ? &c->n_kind : &c->n_area;
		for (int i = 0; i < l->n[f]; i++) {
			const char *t = l->text[f][i];
			int is_null = ib_fact_label_find(l, f, NULL) == i;
			if ((size_t)i < *n && !same_text(v[i], is_null ? NULL : t))
				changed = 1;
		}
		if (l->n[f] < (int)*n)
			changed = 1;
		for (int i = 0; i < l->n[f]; i++)
			v[i] = ib_fact_label_find(l, f, NULL) == i ? NULL : l->text[f][i];
		*n = (size_t)l->n[f];
		c->owned_from[f] = l->n[f];
	}
	ib_fact_labels_free(&c->labels);
	c->labels = *l;
	return changed;
}

/* Read the pending facts (facts.h) into a new c->pend, by id. */
static int pend_load(ib_store *s, const budget *b, ib_search_cache *c, ib_error *err)
{
	sqlite3_stmt *st = NULL;
	size_t alloc = 0;
	int rc = IB_OK, step = SQLITE_DONE;
	free(c->pend);
	c->pend = NULL;
	c->n_pend = 0;
	if (sqlite3_prepare_v2(s->db,
			       "SELECT p.id, p.kommunekode, p.budget_year, p.area, p.kind,"
			       " p.adopted, p.effect_kr, d.sz FROM fact_pending p LEFT JOIN"
			       " proposal_fts_docsize d ON d.id = p.id ORDER BY p.id",
			       -1, &st, NULL) != SQLITE_OK)
		return ib_store_dberr(s, err, "cannot prepare search");
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		if (IB_GROW(c->pend, c->n_pend, alloc, 64)) {
			rc = ib_error_set(err, IB_ENOMEM, NULL);
			break;
		}
		pend *p = &c->pend[c->n_pend++];
		memset(p, 0, sizeof *p);
		p->f.id = sqlite3_column_int64(st, 0);
		p->gone = sqlite3_column_type(st, 1) == SQLITE_NULL;
		if (p->gone)
			continue;
		p->code = sqlite3_column_int(st, 1);
		/* no municipality: never a hit (the plain search joins it) */
		int muni = muni_find(c, p->code);
		int area = label_code(c->area, &c->n_area, (const char *)sqlite3_column_text(st, 3));
		int kind = label_code(c->kind, &c->n_kind, (const char *)sqlite3_column_text(st, 4));
		if (area < 0 || kind < 0) {
			c->unfit = 1;
			continue;
		}
		p->f.muni = (short)muni;
		p->f.year = sqlite3_column_int(st, 2);
		p->f.area = (unsigned char)area;
		p->f.kind = (unsigned char)kind;
		p->f.adopted = (signed char)ib_col_int_or(st, 5, -1);
		p->f.effect = ib_col_num(st, 6);
		p->f.len = ib_fact_varint_sum(sqlite3_column_blob(st, 7),
					      sqlite3_column_bytes(st, 7));
	}
	if (!rc && step != SQLITE_DONE)
		rc = step_failed(s, b, err, "search failed");
	sqlite3_finalize(st);
	return rc;
}

/* Forget the decoded blocks that pending facts of p[0..n) fall in. */
static void pend_blocks_drop(ib_search_cache *c, const pend *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int64_t b = p[i].f.id >> IB_FACT_BITS;
		if (b >= 0 && (size_t)b < c->n_block && c->blk[b]) {
			blk_free(c->blk[b]);
			c->blk[b] = NULL;
		}
		if (b == c->raw_at)
			raw_release(c);
	}
}

/* Read every stored block's stamp into c (room for n_min blocks at least, the pending
 * ones), forgetting the decoded blocks whose stamp changed. */
static int stamps_load(ib_store *s, const budget *b, ib_search_cache *c, int64_t n_min,
		       ib_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = IB_OK, step = SQLITE_DONE;
	int64_t *stamp = NULL;
	size_t n = 0, alloc = 0;
	if (sqlite3_prepare_v2(s->db,
			       "SELECT block, stamp FROM fact_block INDEXED BY fact_block_stamp_idx",
			       -1, &st, NULL) != SQLITE_OK)
		return ib_store_dberr(s, err, "cannot prepare search");
	while (!rc && !c->unfit && (step = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t block = sqlite3_column_int64(st, 0);
		if (block < 0 || block >= MAX_BLOCKS) {
			c->unfit = 1; /* ids no cache indexes: plain SQL */
			break;
		}
		if ((size_t)block >= alloc) {
			size_t a = alloc ? alloc : 64;
			while (a <= (size_t)block)
				a *= 2;
			int64_t *v = realloc(stamp, a * sizeof *v);
			if (!v) {
				rc = ib_error_set(err, IB_ENOMEM, NULL);
				break;
			}
			memset(v + alloc, 0, (a - alloc) * sizeof *v);
			stamp = v;
			alloc = a;
		}
		stamp[block] = sqlite3_column_int64(st, 1);
		if ((size_t)block >= n)
			n = (size_t)block + 1;
	}
	if (!rc && !c->unfit && step != SQLITE_DONE)
		rc = step_failed(s, b, err, "search failed");
	sqlite3_finalize(st);
	if (!rc && !c->unfit && n_min > (int64_t)n) {
		if (n_min >= MAX_BLOCKS) {
			c->unfit = 1;
		} else {
			int64_t *v = realloc(stamp, (size_t)n_min * sizeof *v);
			if (!v)
				rc = ib_error_set(err, IB_ENOMEM, NULL);
			else {
				memset(v + n, 0, ((size_t)n_min - n) * sizeof *v);
				stamp = v;
				n = (size_t)n_min;
			}
		}
	}
	if (rc || c->unfit) {
		free(stamp);
		return rc;
	}
	/* a block decoded before keeps its facts when its stamp is the same */
	fact_blk **blk = calloc(n ? n : 1, sizeof *blk);
	if (!blk) {
		free(stamp);
		return ib_error_set(err, IB_ENOMEM, NULL);
	}
	for (size_t i = 0; i < c->n_block; i++) {
		if (i < n && c->stamp[i] == stamp[i])
			blk[i] = c->blk[i];
		else
			blk_free(c->blk[i]);
	}
	if (c->raw_at >= 0 && ((size_t)c->raw_at >= n || (size_t)c->raw_at >= c->n_block ||
			       c->stamp[c->raw_at] != stamp[c->raw_at]))
		raw_release(c);
	free(c->blk);
	free(c->stamp);
	c->blk = blk;
	c->stamp = stamp;
	c->n_block = n;
	return IB_OK;
}

/* Bring c up to the database: municipalities, population figures, labels, pending
 * facts and block stamps read again; the decoded blocks that changed are forgotten.
 * Reading these is outside the search's budget (a few rows per block and per
 * municipality), once per change. */
static int cache_refresh(ib_store *s, const budget *b, ib_search_cache *c, ib_error *err)
{
	c->data_version = data_version(s->db);
	c->changes = sqlite3_total_changes64(s->db);
	c->unfit = 0;
	raw_release(c); /* its pending facts are found again */
	c->id_min = 1;
	c->id_max = 0;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "SELECT (SELECT min(id) FROM proposal), (SELECT max(id) FROM proposal)", -1, &st, NULL) !=
	    SQLITE_OK)
		return ib_store_dberr(s, err, "cannot prepare search");
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		c->id_min = sqlite3_column_int64(st, 0);
		c->id_max = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	muni_info *muni = NULL;
	size_t n_muni = 0;
	int rc = munis_load(s, b, &muni, &n_muni, err);
	if (rc)
		return rc;
	if (!munis_same(muni, n_muni, c->muni, c->n_muni))
		blocks_drop(c); /* each fact's municipality is an index into the list */
	munis_free(c->muni, c->n_muni);
	c->muni = muni;
	c->n_muni = n_muni;
	if (!c->muni_of && !(c->muni_of = malloc(65536 * sizeof *c->muni_of)))
		return ib_error_set(err, IB_ENOMEM, NULL);
	for (size_t i = 0; i < 65536; i++)
		c->muni_of[i] = -1;
	for (size_t i = 0; i < n_muni; i++)
		if (muni[i].code >= 0 && muni[i].code < 65536)
			c->muni_of[muni[i].code] = (short)i;
	free(c->pop);
	free(c->pop_at); /* zero pages until a population filter or order reads them */
	if (!(c->pop_at = calloc((n_muni ? n_muni : 1) * YEAR_SPAN, sizeof *c->pop_at)))
		return ib_error_set(err, IB_ENOMEM, NULL);
	rc = pop_load(s, b, &c->pop, &c->n_pop, err);
	ib_fact_labels l;
	if (!rc && ib_fact_labels_read(s->db, &l) != SQLITE_OK)
		rc = ib_store_dberr(s, err, "cannot read the search facts");
	if (!rc && labels_take(c, &l))
		blocks_drop(c);
	/* pending facts change the blocks they fall in, those before and those now */
	pend_blocks_drop(c, c->pend, c->n_pend);
	if (!rc)
		rc = pend_load(s, b, c, err);
	if (rc)
		return rc;
	pend_blocks_drop(c, c->pend, c->n_pend);
	int64_t n_min = 0;
	if (c->n_pend) {
		int64_t last = c->pend[c->n_pend - 1].f.id >> IB_FACT_BITS;
		if (c->pend[0].f.id < 0)
			c->unfit = 1;
		n_min = last + 1;
	}
	if (c->unfit)
		return IB_OK;
	return stamps_load(s, b, c, n_min, err);
}

/* Read block i's blob (none when it has no row) with st; it stays valid until st is
 * reset.  IB_OK, or the failure (c->unfit when it is no block this program knows). */
static int blob_read(ib_store *s, const budget *b, ib_search_cache *c, int64_t i,
		     ib_fact_view *v, ib_error *err)
{
	memset(v, 0, sizeof *v);
	if (!c->stamp[i])
		return IB_OK;
	if (!c->get_block &&
	    sqlite3_prepare_v3(s->db, "SELECT facts FROM fact_block WHERE block = ?1", -1,
			       SQLITE_PREPARE_PERSISTENT, &c->get_block, NULL) != SQLITE_OK)
		return ib_store_dberr(s, err, "cannot prepare search");
	sqlite3_stmt *st = c->get_block;
	sqlite3_bind_int64(st, 1, i);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		if (ib_fact_view_init(v, sqlite3_column_blob(st, 0), sqlite3_column_bytes(st, 0)) !=
		    SQLITE_OK) {
			c->unfit = 1; /* not a block this program knows: plain SQL */
			sqlite3_reset(st);
		} else if (v->unfit) {
			c->unfit = 1;
		}
		return IB_OK;
	}
	sqlite3_reset(st);
	return step == SQLITE_DONE ? IB_OK : step_failed(s, b, err, "search failed");
}

/* The pending facts of block i: pend[*lo .. *hi). */
static void pend_range(const ib_search_cache *c, int64_t i, size_t *lo, size_t *hi)
{
	int64_t first = i << IB_FACT_BITS;
	size_t a = 0, z = c->n_pend;
	while (a < z) {
		size_t mid = (a + z) / 2;
		if (c->pend[mid].f.id < first)
			a = mid + 1;
		else
			z = mid;
	}
	*lo = a;
	while (z < c->n_pend && c->pend[z].f.id >> IB_FACT_BITS == i)
		z++;
	*hi = a > z ? a : z;
}

/* The fact of id, in slot j of its block (read in v, its pending facts pend[lo .. hi)),
 * into *out: 1 when it is a hit, 0 when none (absent, or without a municipality). */
static int slot_fact(ib_search_cache *c, const ib_fact_view *v, size_t lo, size_t hi,
		     int64_t id, int j, fact *out)
{
	while (lo < hi) { /* pending facts are few: a short search */
		size_t mid = (lo + hi) / 2;
		if (c->pend[mid].f.id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < c->n_pend && c->pend[lo].f.id == id) {
		if (c->pend[lo].gone || c->pend[lo].f.muni < 0)
			return 0;
		*out = c->pend[lo].f;
		return 1;
	}
	ib_fact_row r;
	if (!ib_fact_view_slot(v, j, &r))
		return 0;
	int muni = c->muni_of[r.kommunekode];
	if (muni < 0)
		return 0; /* no municipality: never a hit (the plain search joins it) */
	if (r.area >= c->labels.n[0] || r.kind >= c->labels.n[1]) {
		c->unfit = 1; /* a code the labels do not have */
		return 0;
	}
	out->id = id;
	out->muni = (short)muni;
	out->year = r.year;
	out->area = (unsigned char)r.area;
	out->kind = (unsigned char)r.kind;
	out->adopted = (signed char)r.adopted;
	out->effect = r.effect;
	out->len = r.len;
	return 1;
}

/* Decode block i into *out (reusing its memory): its stored facts, with the pending
 * ones laid over them. */
static int blk_read(ib_store *s, const budget *b, ib_search_cache *c, int64_t i,
		    fact_blk **out, ib_error *err)
{
	fact_blk *k = *out;
	if (!k && !(k = *out = calloc(1, sizeof *k)))
		return ib_error_set(err, IB_ENOMEM, NULL);
	ib_fact_view v;
	int rc = blob_read(s, b, c, i, &v, err);
	if (rc)
		return rc;
	size_t lo, hi;
	pend_range(c, i, &lo, &hi);
	size_t room = (size_t)v.n + (hi - lo);
	fact *f = realloc(k->f, (room ? room : 1) * sizeof *f);
	if (!f) {
		sqlite3_reset(c->get_block);
		return ib_error_set(err, IB_ENOMEM, NULL);
	}
	k->f = f;
	k->n = 0;
	int64_t first = i << IB_FACT_BITS;
	for (int j = 0; j < IB_FACT_SLOTS; j++) {
		k->at[j] = -1;
		if (slot_fact(c, &v, lo, hi, first + j, j, &k->f[k->n]))
			k->at[j] = (short)k->n++;
	}
	if (v.z)
		sqlite3_reset(c->get_block);
	return IB_OK;
}

/* Hold block i's blob (not kept mode): get_block stays on its row, and the blob is read
 * where SQLite put it, until raw_release(). */
static int raw_read(ib_store *s, const budget *b, ib_search_cache *c, int64_t i, ib_error *err)
{
	raw_release(c);
	ib_fact_view v;
	int rc = blob_read(s, b, c, i, &v, err);
	if (rc)
		return rc;
	c->view = v;
	pend_range(c, i, &c->raw_lo, &c->raw_hi);
	c->raw_at = i; /* with no row, get_block is reset already: raw_release resets again */
	return IB_OK;
}

/* Whether block i has no facts at all: no stored row, nothing pending. */
static int block_empty(const ib_search_cache *c, int64_t i)
{
	if (c->stamp[i])
		return 0;
	size_t lo, hi;
	pend_range(c, i, &lo, &hi);
	return lo == hi;
}

/* The facts of proposal id, NULL when it is no hit (absent, or without a
 * municipality); *rc set on failure.  Not kept, the fact is valid until the next call. */
static const fact *fact_get(ib_store *s, const budget *b, ib_search_cache *c, int64_t id,
			    int *rc, ib_error *err)
{
	int64_t i = id >> IB_FACT_BITS;
	if (i < 0 || (size_t)i >= c->n_block)
		return NULL;
	int j = (int)(id & (IB_FACT_SLOTS - 1));
	if (c->keep) {
		if (!c->blk[i] && (*rc = blk_read(s, b, c, i, &c->blk[i], err)))
			return NULL;
		int at = c->blk[i]->at[j];
		return at < 0 ? NULL : &c->blk[i]->f[at];
	}
	if (c->raw_at != i && (*rc = raw_read(s, b, c, i, err)))
		return NULL;
	return slot_fact(c, &c->view, c->raw_lo, c->raw_hi, id, j, &c->tmp) ? &c->tmp : NULL;
}

/* The cache of s, brought up to the database when it changed since; *c NULL when the
 * data does not fit it (the caller searches with plain SQL).  Inside the caller's own
 * transaction (writer_tx) it is brought up every time, and what it reads then is
 * forgotten at the next search: a rollback may undo it, and the stamps given in the
 * transaction will be given again.  Reading the changes is outside the search's budget. */
static int cache_get(ib_store *s, budget *b, int writer_tx, ib_search_cache **c,
		     ib_error *err)
{
	ib_search_cache *old = cache_of(s, 1);
	*c = NULL;
	if (!old)
		return ib_error_set(err, IB_ENOMEM, NULL);
	if (old->loaded && !writer_tx && !old->provisional &&
	    old->changes == sqlite3_total_changes64(s->db) &&
	    old->data_version == data_version(s->db)) {
		*c = old->unfit ? NULL : old;
		return IB_OK;
	}
	if (old->provisional) {
		blocks_drop(old);
		free(old->pend); /* its blocks are dropped with the rest */
		old->pend = NULL;
		old->n_pend = 0;
	}
	sqlite3_progress_handler(s->db, 0, NULL, NULL);
	int rc = cache_refresh(s, b, old, err);
	sqlite3_progress_handler(s->db, STEP_TICK, over_budget, b);
	b->deadline = now_s() + b->max_ms / 1000.0;
	if (rc) {
		cache_clear(old);
		return rc;
	}
	old->loaded = 1;
	old->provisional = writer_tx;
	*c = old->unfit ? NULL : old;
	return IB_OK;
}

int ib_search_tally(ib_store *s, ib_fact_tally *t, ib_error *err)
{
	budget b = {0, 1L << 62, 1e300, 0, 0};
	int writer_tx = !sqlite3_get_autocommit(s->db);
	int own_tx = !writer_tx && sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
	ib_search_cache *c = NULL;
	int rc = cache_get(s, &b, writer_tx, &c, err);
	sqlite3_progress_handler(s->db, 0, NULL, NULL);
	if (c)
		raw_release(c);
	for (size_t i = 0; !rc && c && i < c->n_block; i++) {
		if (block_empty(c, (int64_t)i))
			continue;
		ib_fact_view v;
		if ((rc = blob_read(s, &b, c, (int64_t)i, &v, err)) || c->unfit)
			break;
		size_t lo, hi, p;
		pend_range(c, (int64_t)i, &lo, &hi);
		p = lo;
		for (int j = 0; j < IB_FACT_SLOTS; j++) {
			int64_t id = ((int64_t)i << IB_FACT_BITS) + j;
			int code, year, area;
			ib_fact_row r;
			if (p < hi && c->pend[p].f.id == id) {
				const pend *x = &c->pend[p++];
				if (x->gone)
					continue;
				code = x->code;
				year = x->f.year;
				area = x->f.area;
			} else if (ib_fact_view_slot(&v, j, &r)) {
				code = r.kommunekode;
				year = r.year;
				area = r.area;
			} else {
				continue;
			}
			if (code < 0 || code > 65535 || year < 0 || year > 65535 ||
			    (size_t)area >= c->n_area) {
				c->unfit = 1;
				break;
			}
			t->total++;
			t->by_code[code]++;
			t->by_year[year]++;
			t->by_area[area]++;
		}
		if (v.z)
			sqlite3_reset(c->get_block);
	}
	if (!rc && c && !c->unfit) {
		t->n_area = c->n_area;
		for (size_t i = 0; i < c->n_area; i++)
			t->area[i] = c->area[i];
	}
	t->unfit = !rc && (!c || c->unfit);
	if (own_tx && sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

/* A match on its way to the top k: the sort key and the id. */
typedef struct cand {
	double key; /* bm25 (lower first), or effect / per inhabitant (higher first) */
	double rel; /* bm25, 0 without a query */
	int64_t id;
	int last; /* sorts after every candidate with a key (unknown effect) */
} cand;

/* Whether a comes before b in the result's order. */
static int cand_before(const cand *a, const cand *b, int ascending)
{
	if (a->last != b->last)
		return b->last;
	if (!a->last && a->key != b->key)
		return ascending ? a->key < b->key : a->key > b->key;
	return a->id < b->id;
}

/* The bounded top k: a binary max-heap of the k best by cand_before (its root the worst
 * kept), or every candidate when k is 0. */
typedef struct topk {
	cand *v;
	size_t n, k, alloc;
	int ascending;
} topk;

static void sift_down(topk *t, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, w = i;
		if (l < t->n && cand_before(&t->v[w], &t->v[l], t->ascending))
			w = l;
		if (r < t->n && cand_before(&t->v[w], &t->v[r], t->ascending))
			w = r;
		if (w == i)
			return;
		cand x = t->v[i];
		t->v[i] = t->v[w];
		t->v[w] = x;
		i = w;
	}
}

static int topk_add(topk *t, const cand *c)
{
	if (t->k && t->n == t->k) {
		if (!cand_before(c, &t->v[0], t->ascending))
			return IB_OK;
		t->v[0] = *c;
		sift_down(t, 0);
		return IB_OK;
	}
	if (t->n == t->alloc) {
		size_t a = t->alloc ? 2 * t->alloc : 64;
		if (t->k && a > t->k)
			a = t->k;
		cand *v = realloc(t->v, a * sizeof *v);
		if (!v)
			return IB_ENOMEM;
		t->v = v;
		t->alloc = a;
	}
	size_t i = t->n++;
	t->v[i] = *c;
	if (t->k) /* sift up */
		while (i > 0 && cand_before(&t->v[(i - 1) / 2], &t->v[i], t->ascending)) {
			cand x = t->v[i];
			t->v[i] = t->v[(i - 1) / 2];
			t->v[(i - 1) / 2] = x;
			i = (i - 1) / 2;
		}
	return IB_OK;
}

/* qsort has no context argument, and serve searches on several threads at once: one
 * comparison per order, no shared state. */
static int cand_cmp_asc(const void *a, const void *b)
{
	return cand_before(a, b, 1) ? -1 : cand_before(b, a, 1) ? 1 : 0;
}

static int cand_cmp_desc(const void *a, const void *b)
{
	return cand_before(a, b, 0) ? -1 : cand_before(b, a, 0) ? 1 : 0;
}

/* A search's filters (those ib_search_plain puts in SQL), resolved against the cache's
 * codes once, so a match is tested without comparing a string. */
typedef struct filter {
	const ib_search_opts *o;
	ib_search_cache *c; /* population figures */
	int eff_min, eff_max;
	int area, kind;		/* the code of o->area, o->kind; -1 when none has that text */
	unsigned char *muni_ok; /* per municipality: passes kommunekode and region; NULL all */
} filter;

/* The code of label z among v[0..n) (stored texts, NULL for SQL NULL), -1 when none. */
static int label_find(char *const *v, size_t n, const char *z)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] && strcmp(v[i], z) == 0)
			return (int)i;
	return -1;
}

int ib_region_matches(const char *stored, const char *name)
{
	return strcmp(stored, name) == 0 ||
	       (strncmp(stored, "Region ", 7) == 0 && strcmp(stored + 7, name) == 0);
}

/* Resolve o's filters against c into x; free x->muni_ok after. */
static int filter_init(ib_search_cache *c, const ib_search_opts *o, filter *x)
{
	memset(x, 0, sizeof *x);
	x->o = o;
	x->c = c;
	x->eff_min = !ib_is_na(o->effect_min) && o->effect_min != 0;
	x->eff_max = !ib_is_na(o->effect_max) && o->effect_max != 0;
	x->area = o->area ? label_find(c->area, c->n_area, o->area) : -1;
	x->kind = o->kind ? label_find(c->kind, c->n_kind, o->kind) : -1;
	if (!o->kommunekode && !o->region)
		return IB_OK;
	if (!(x->muni_ok = calloc(c->n_muni ? c->n_muni : 1, 1)))
		return IB_ENOMEM;
	for (size_t i = 0; i < c->n_muni; i++) {
		const char *r = c->muni[i].region;
		x->muni_ok[i] = (!o->kommunekode || c->muni[i].code == o->kommunekode) &&
				(!o->region || ib_region_matches(r, o->region));
	}
	return IB_OK;
}

/* Does f pass x's filters? */
static int fact_passes(const filter *x, const fact *f)
{
	const ib_search_opts *o = x->o;
	if (o->area && f->area != x->area)
		return 0;
	if (o->year_from && f->year < o->year_from)
		return 0;
	if (o->year_to && f->year > o->year_to)
		return 0;
	if (x->muni_ok && !x->muni_ok[f->muni])
		return 0;
	if (o->kind && f->kind != x->kind)
		return 0;
	if ((o->adopted_only || o->adopted_is) && !adopted_passes(o, f->adopted))
		return 0;
	if (o->pop_min > 0 || o->pop_max > 0) {
		long pop = pop_for(x->c, f);
		if (o->pop_min > 0 && (!pop || pop < o->pop_min))
			return 0;
		if (o->pop_max > 0 && (!pop || pop > o->pop_max))
			return 0;
	}
	if (x->eff_min && (ib_is_na(f->effect) || f->effect < o->effect_min))
		return 0;
	if (x->eff_max && (ib_is_na(f->effect) || f->effect > o->effect_max))
		return 0;
	return 1;
}

/* Add n to the facet value (a new one when absent). */
static int facet_add_n(ib_facet **f, size_t *nf, const char *value, long n)
{
	if (!n)
		return IB_OK;
	int rc = facet_add(f, nf, value);
	if (!rc) /* facet_add counted one */
		for (size_t i = 0; i < *nf; i++)
			if (strcmp((*f)[i].value, value) == 0)
				(*f)[i].n += n - 1;
	return rc;
}

/* Counts of one search by code, turned into ib_facet lists at the end. */
typedef struct counts {
	long *muni, area[MAX_LABELS], kind[MAX_LABELS], year[YEAR_SPAN];
	long adopted[3]; /* yes, no, unknown */
	double effect_sum;
	size_t n_effect_known;
	ib_facet *odd_years; /* years outside the span, by value */
	size_t n_odd_years;
} counts;

static int count_fact(counts *k, const fact *f)
{
	k->muni[f->muni]++;
	k->area[f->area]++;
	k->kind[f->kind]++;
	k->adopted[f->adopted == IB_ADOPTED_YES ? 0 : f->adopted == IB_ADOPTED_NO ? 1 : 2]++;
	if (!ib_is_na(f->effect)) {
		k->effect_sum += f->effect;
		k->n_effect_known++;
	}
	if (f->year >= YEAR_MIN && f->year < YEAR_MIN + YEAR_SPAN) {
		k->year[f->year - YEAR_MIN]++;
		return IB_OK;
	}
	char y[16];
	snprintf(y, sizeof y, "%d", f->year);
	return facet_add(&k->odd_years, &k->n_odd_years, y);
}

static int counts_to_facets(const ib_search_cache *c, counts *k, ib_result *r)
{
	int rc = IB_OK;
	for (size_t i = 0; i < c->n_area && !rc; i++) {
		const char *a = ib_area_canonical(c->area[i]);
		rc = facet_add_n(&r->by_area, &r->n_by_area, a ? a : "(ikke angivet)", k->area[i]);
	}
	for (size_t i = 0; i < c->n_kind && !rc; i++) {
		const char *a = ib_kind_canonical(c->kind[i]);
		rc = facet_add_n(&r->by_kind, &r->n_by_kind, a ? a : "andet", k->kind[i]);
	}
	for (size_t i = 0; i < c->n_muni && !rc; i++)
		rc = facet_add_n(&r->by_kommune, &r->n_by_kommune, c->muni[i].name, k->muni[i]);
	for (size_t i = 0; i < c->n_muni && !rc; i++)
		rc = facet_add_n(&r->by_region, &r->n_by_region, c->muni[i].region, k->muni[i]);
	const int adopted[3] = {IB_ADOPTED_YES, IB_ADOPTED_NO, IB_ADOPTED_UNKNOWN};
	for (int i = 0; i < 3 && !rc; i++)
		rc = facet_add_n(&r->by_adopted, &r->n_by_adopted, adopted_word(adopted[i]),
				 k->adopted[i]);
	r->effect_sum = k->effect_sum;
	r->n_effect_known = k->n_effect_known;
	for (int i = 0; i < YEAR_SPAN && !rc; i++) {
		char y[16];
		snprintf(y, sizeof y, "%d", YEAR_MIN + i);
		rc = facet_add_n(&r->by_year, &r->n_by_year, y, k->year[i]);
	}
	for (size_t i = 0; i < k->n_odd_years && !rc; i++)
		rc = facet_add_n(&r->by_year, &r->n_by_year, k->odd_years[i].value,
				 k->odd_years[i].n);
	return rc ? IB_ENOMEM : IB_OK;
}

/* Read the whole rows of the chosen candidates into r->hits, in their order. */
static int fetch_hits(ib_store *s, const cand *v, size_t n, ib_result *r,
		      const budget *b, ib_error *err)
{
	ib_buf sql;
	ib_buf_init(&sql, 0);
	hit_select(&sql, 0); /* the full-text query again per row would reload its doclists */
	ib_buf_adds(&sql, " WHERE p.id = ?12");
	sqlite3_stmt *st = NULL;
	int rc = IB_OK;
	if (!sql.z || sqlite3_prepare_v2(s->db, sql.z, -1, &st, NULL) != SQLITE_OK)
		rc = ib_store_dberr(s, err, "cannot prepare search");
	ib_buf_free(&sql);
	if (!rc && n && !(r->hits = calloc(n, sizeof *r->hits)))
		rc = ib_error_set(err, IB_ENOMEM, NULL);
	for (size_t i = 0; i < n && !rc; i++) {
		sqlite3_bind_int64(st, 12, v[i].id);
		int step = sqlite3_step(st);
		if (step == SQLITE_ROW) {
			read_hit(st, &r->hits[r->n]);
			r->hits[r->n++].relevance = v[i].rel;
		}
		else if (step == SQLITE_DONE) /* the cache is stale: the caller drops it */
			rc = ib_error_set(err, IB_ENOTFOUND, "proposal %lld vanished",
					  (long long)v[i].id);
		else
			rc = step_failed(s, b, err, "search failed");
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return rc;
}

/* The query a fast search ranks by: its MATCH expression and shape (rank.h). */
typedef struct ranked_query {
	const char *match; /* NULL without a query */
	int n_positive;	   /* its first phrases, the words searched for */
	int n_phrase;	   /* all of them, excluded ones after */
	int has_or;
} ranked_query;

/* job->stop for ib_rank_all: the search's CPU time is up. */
static int rank_stop(void *arg)
{
	budget *b = arg;
	if (now_s() > b->deadline)
		b->over = 2;
	return b->over;
}

/* Room for n documents in c->room, what it holds kept; IB_ENOMEM when there is none. */
static int room_reserve(ib_search_cache *c, size_t n)
{
	rank_room *r = &c->room;
	if (n <= r->cap)
		return IB_OK;
	size_t cap = r->cap ? r->cap : 1024;
	while (cap < n)
		cap *= 2;
	int64_t *id = realloc(r->id, cap * sizeof *id);
	if (id)
		r->id = id;
	unsigned *len = id ? realloc(r->len, cap * sizeof *len) : NULL;
	if (len)
		r->len = len;
	double *rel = len ? realloc(r->rel, cap * sizeof *rel) : NULL;
	if (rel)
		r->rel = rel;
	double *scratch = rel ? realloc(r->scratch, cap * sizeof *scratch) : NULL;
	if (!scratch)
		return IB_ENOMEM;
	r->scratch = scratch;
	r->cap = cap;
	return IB_OK;
}

/* What collect mode's accept needs: a search's store, filters, counts and cache, and
 * the job whose arrays are the cache's room. */
typedef struct collect_ctx {
	ib_store *s;
	const budget *b;
	ib_search_cache *c;
	const filter *x;
	counts *k;
	ib_result *r;
	ib_rank_job *job;
	int rc;		/* a failure reading the facts */
	ib_error *err;
} collect_ctx;

/* ib_rank_job.accept: the match id is ranked when it is a proposal passing the
 * filters; it is counted in the facets (unless the walk is made again) and put in the
 * room at index at (grown as needed, the job's arrays with it). */
static int collect_accept(void *arg, int64_t id, size_t at)
{
	collect_ctx *x = arg;
	const fact *f = fact_get(x->s, x->b, x->c, id, &x->rc, x->err);
	if (x->rc)
		return -1;
	if (!f || !fact_passes(x->x, f))
		return 0;
	if (!x->job->recount) {
		x->r->total++;
		if (count_fact(x->k, f)) {
			x->rc = ib_error_set(x->err, IB_ENOMEM, NULL);
			return -1;
		}
	}
	if (room_reserve(x->c, at + 1)) {
		x->rc = ib_error_set(x->err, IB_ENOMEM, NULL);
		return -1;
	}
	rank_room *room = &x->c->room;
	x->job->id = room->id;
	x->job->len = room->len;
	x->job->score = room->rel;
	x->job->scratch = room->scratch;
	room->id[at] = f->id;
	room->len[at] = f->len;
	return 1;
}

/* The relevance of the documents r->id[0..*n) (ascending; r->len their lengths in
 * tokens) for q, into r->rel[0..*n), computed in C by one ib_rank_all() call; n_match:
 * the rows the query matches in all; the rowids lie in id_min .. id_max.  With collect
 * (a query of one phrase), the documents are found by the same walk: *n comes back set
 * (only the first k, 0 all, when the phrase does not rank), and collect's counts and
 * result total are filled. */
static int rank_docs(ib_store *s, const ranked_query *q, int64_t n_match, rank_room *r,
		     size_t *n, collect_ctx *collect, size_t k, int64_t id_min, int64_t id_max,
		     budget *b, ib_error *err)
{
	for (size_t i = 0; i < *n; i++)
		r->rel[i] = 0;
	if (!collect && (!*n || q->n_positive < 1))
		return IB_OK;
	ib_rank_job job = {r->id, r->len, collect ? 0 : *n, q->n_positive, !q->has_or, n_match,
			   r->rel, r->scratch, rank_stop, b, 0, NULL, NULL, id_min, id_max, k, 0};
	if (collect) {
		job.accept = collect_accept;
		job.accept_arg = collect;
		collect->job = &job;
	}
	sqlite3_stmt *st = NULL;
	int rc = IB_OK;
	if (sqlite3_prepare_v2(s->db,
			       "SELECT ib_rank_all(proposal_fts, ?2) FROM proposal_fts"
			       " WHERE proposal_fts MATCH ?1 LIMIT 1",
			       -1, &st, NULL) != SQLITE_OK)
		rc = ib_store_dberr(s, err, "cannot prepare search");
	if (!rc) {
		sqlite3_bind_text(st, 1, q->match, -1, SQLITE_STATIC);
		sqlite3_bind_pointer(st, 2, &job, "ib_rank_job", NULL);
		int step = sqlite3_step(st);
		if (step != SQLITE_ROW && step != SQLITE_DONE)
			rc = step_failed(s, b, err, "search failed");
	}
	sqlite3_finalize(st);
	*n = job.n;
	if (collect && collect->rc) /* the facts could not be read: that error, not SQLite's */
		rc = collect->rc;
	return rc;
}

static int cand_id_cmp(const void *a, const void *b)
{
	const cand *x = a, *y = b;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* The relevance of the chosen candidates v[0..n) (chosen by effect), into each one's
 * rel; v comes back in id order. */
static int rank_chosen(ib_store *s, ib_search_cache *c, const ranked_query *q,
		       int64_t n_match, cand *v, size_t n, budget *b, ib_error *err)
{
	if (n > 1)
		qsort(v, n, sizeof *v, cand_id_cmp);
	if (room_reserve(c, n))
		return ib_error_set(err, IB_ENOMEM, NULL);
	int rc = IB_OK;
	for (size_t i = 0; i < n && !rc; i++) {
		const fact *f = fact_get(s, b, c, v[i].id, &rc, err);
		c->room.id[i] = v[i].id;
		c->room.len[i] = f ? f->len : 0;
	}
	if (rc)
		return rc;
	size_t n_ranked = n;
	rc = rank_docs(s, q, n_match, &c->room, &n_ranked, NULL, 0, c->id_min, c->id_max, b,
		       err);
	for (size_t i = 0; i < n && !rc; i++)
		v[i].rel = c->room.rel[i];
	return rc;
}

/* The fast path for sort (relevance, effect or per inhabitant).  *done = 0 when the
 * data does not fit the cache's codes: the caller searches with plain SQL.  The match
 * set comes from FTS5's rowid stream, or for a one-phrase query ranked by relevance from
 * the walk that ranks it; only the matches that pass the filters are ranked
 * (rank_docs), all of them for the relevance order, else only the `limit` chosen. */
static int search_fast(ib_store *s, const ib_search_opts *o, const ranked_query *q,
		       ib_sort sort, int writer_tx, budget *b, ib_result *r, int *done,
		       ib_error *err)
{
	*done = 0;
	ib_search_cache *c = NULL;
	int rc = cache_get(s, b, writer_tx, &c, err);
	if (rc || !c)
		return rc;
	*done = 1;
	filter flt;
	counts k = {0};
	topk t = {0};
	size_t n_rank = 0; /* matches to rank by relevance, in c->room */
	size_t skip = o->offset > 0 ? (size_t)o->offset : 0;
	t.k = o->limit > 0 ? skip + (size_t)o->limit : 0;
	t.ascending = sort == IB_SORT_RELEVANCE;
	if (filter_init(c, o, &flt) ||
	    !(k.muni = calloc(c->n_muni ? c->n_muni : 1, sizeof *k.muni))) {
		free(k.muni);
		free(flt.muni_ok);
		return ib_error_set(err, IB_ENOMEM, NULL);
	}
	/* a query of one phrase ranked by relevance: its rows found and ranked in one walk */
	int collect = sort == IB_SORT_RELEVANCE && q->match && q->n_positive == 1 &&
		      q->n_phrase == 1;
	sqlite3_stmt *st = NULL;
	if (q->match && !collect) {
		if (sqlite3_prepare_v2(s->db,
				       "SELECT rowid FROM proposal_fts WHERE proposal_fts MATCH ?1",
				       -1, &st, NULL) != SQLITE_OK)
			rc = ib_store_dberr(s, err, "cannot prepare search");
		else
			sqlite3_bind_text(st, 1, q->match, -1, SQLITE_STATIC);
	}
	int64_t n_match = 0, next = 0; /* without a query: the next id */
	int step = SQLITE_DONE;
	while (!rc && !collect) {
		const fact *f;
		if (q->match) {
			if ((step = sqlite3_step(st)) != SQLITE_ROW)
				break;
			n_match++;
			f = fact_get(s, b, c, sqlite3_column_int64(st, 0), &rc, err);
			if (!f)
				continue; /* not a proposal with a municipality: no hit */
		} else {
			while ((size_t)(next >> IB_FACT_BITS) < c->n_block &&
			       block_empty(c, next >> IB_FACT_BITS))
				next = ((next >> IB_FACT_BITS) + 1) << IB_FACT_BITS;
			if ((size_t)(next >> IB_FACT_BITS) >= c->n_block)
				break;
			if (!(f = fact_get(s, b, c, next++, &rc, err)))
				continue;
		}
		if (!fact_passes(&flt, f))
			continue;
		r->total++;
		if (count_fact(&k, f) ||
		    (sort == IB_SORT_RELEVANCE && room_reserve(c, n_rank + 1))) {
			rc = ib_error_set(err, IB_ENOMEM, NULL);
			break;
		}
		if (sort == IB_SORT_RELEVANCE) { /* ranked when every match is known */
			c->room.id[n_rank] = f->id;
			c->room.len[n_rank++] = f->len;
			continue;
		}
		cand x = {0, 0, f->id, 0};
		if (sort == IB_SORT_EFFECT) {
			x.last = ib_is_na(f->effect);
			x.key = x.last ? 0 : f->effect;
		} else if (sort == IB_SORT_PER_INHABITANT) {
			long pop = pop_for(c, f);
			x.last = ib_is_na(f->effect) || !pop;
			x.key = x.last ? 0 : f->effect / (double)pop;
		}
		if (topk_add(&t, &x))
			rc = ib_error_set(err, IB_ENOMEM, NULL);
	}
	if (!rc && q->match && !collect && step != SQLITE_DONE)
		rc = step_failed(s, b, err, "search failed");
	sqlite3_finalize(st);
	if (!rc && sort == IB_SORT_RELEVANCE) {
		collect_ctx cc = {s, b, c, &flt, &k, r, NULL, IB_OK, err};
		rc = rank_docs(s, q, n_match, &c->room, &n_rank, collect ? &cc : NULL, t.k,
			       c->id_min, c->id_max, b, err);
		for (size_t i = 0; i < n_rank && !rc; i++) {
			cand x = {c->room.rel[i], c->room.rel[i], c->room.id[i], 0};
			if (topk_add(&t, &x))
				rc = ib_error_set(err, IB_ENOMEM, NULL);
		}
	} else if (!rc && q->match)
		rc = rank_chosen(s, c, q, n_match, t.v, t.n, b, err);
	if (!rc && c->unfit) /* a block the codes do not fit: plain SQL */
		*done = 0;
	if (!rc && *done && counts_to_facets(c, &k, r))
		rc = ib_error_set(err, IB_ENOMEM, NULL);
	if (!rc && *done) {
		if (t.n > 1)
			qsort(t.v, t.n, sizeof *t.v, t.ascending ? cand_cmp_asc : cand_cmp_desc);
		if (skip > t.n)
			skip = t.n;
		rc = fetch_hits(s, t.v ? t.v + skip : NULL, t.n - skip, r, b, err);
		/* A row the facts have is gone: a change the cache could not see.  Forget
		   the cache and let the caller search with plain SQL, which is exact. */
		if (rc == IB_ENOTFOUND) {
			cache_clear(c);
			*done = 0;
			rc = IB_OK;
		}
	}
	IB_FREE_ALL(t.v, k.muni, flt.muni_ok);
	facets_free(k.odd_years, k.n_odd_years);
	return rc;
}

int ib_search(ib_store *s, const ib_search_opts *o, ib_result **out, ib_error *err)
{
	ib_sort sort = o->sort;
	if (sort == IB_SORT_SCORE) /* the score's factors are relative to every hit */
		return ib_search_plain(s, o, out, err);
	*out = NULL;
	char *match = NULL;
	ranked_query q = {NULL, 0, 0, 0};
	int rc = ib_fts_query_shape(o->query, &match, &q.n_positive, &q.n_phrase, &q.has_or,
				    err);
	if (rc)
		return rc;
	q.match = match;
	ib_result *r = calloc(1, sizeof *r);
	if (!r) {
		free(match);
		return ib_error_set(err, IB_ENOMEM, NULL);
	}
	if (o->query && o->query[0] && !match) {
		/* words with nothing searchable in them ("§", "--") find nothing */
		*out = r;
		return IB_OK;
	}
	if (sort == IB_SORT_DEFAULT)
		sort = match ? IB_SORT_RELEVANCE : IB_SORT_EFFECT;
	if (sort == IB_SORT_RELEVANCE && !match)
		sort = IB_SORT_EFFECT;
	budget b = {0, o->max_steps > 0 ? o->max_steps : IB_SEARCH_MAX_STEPS, 0,
		    o->max_ms > 0 ? o->max_ms : IB_SEARCH_MAX_MS, 0};
	b.deadline = now_s() + b.max_ms / 1000.0;
	sqlite3_progress_handler(s->db, STEP_TICK, over_budget, &b);
	int done = 0;
	/* one read transaction: the facts, the full-text index and the rows of one commit
	   (unless the caller's own transaction is open: then its view) */
	int writer_tx = !sqlite3_get_autocommit(s->db);
	int own_tx = !writer_tx && sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
	rc = search_fast(s, o, &q, sort, writer_tx, &b, r, &done, err);
	if (!rc && done && match && r->n && !o->no_snippets)
		rc = add_snippets(s, match, r, &b, err);
	sqlite3_progress_handler(s->db, 0, NULL, NULL);
	ib_search_cache *c = cache_of(s, 0);
	if (c)
		raw_release(c); /* no statement left reading at the commit */
	if (own_tx && sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	free(match);
	if (!rc && !done) {
		ib_result_free(r);
		return ib_search_plain(s, o, out, err);
	}
	if (rc) {
		ib_result_free(r);
		return rc;
	}
	sort_facets(r);
	*out = r;
	return IB_OK;
}
