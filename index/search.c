/* search.c - full-text search with filters, sorting, population-scaled effects and
 * facet counts computed over the whole result set in the same pass. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ideabank/buf.h"
#include "ideabank/num.h"
#include "ideabank/search.h"
#include "rank.h"
#include "store_int.h"

/* The year of the population figure a proposal p is scaled with: its budget year, else
 * the nearest earlier year, else the nearest later one. */
#define POP_YEAR                                                                              \
	"coalesce((SELECT max(year) FROM population q WHERE q.kommunekode ="                  \
	"  p.kommunekode AND q.year <= p.budget_year), (SELECT min(year) FROM"                \
	"  population q WHERE q.kommunekode = p.kommunekode AND q.year > p.budget_year))"

static void hit_free(ib_hit *h)
{
	free(h->kommune);
	free(h->ref);
	free(h->title);
	free(h->snippet);
	free(h->source);
	free(h->population_source);
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
	for (size_t i = 0; i < r->n; i++)
		hit_free(&r->hits[i]);
	free(r->hits);
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

static char *dup_col(sqlite3_stmt *st, int i)
{
	const unsigned char *z = sqlite3_column_text(st, i);
	return z ? strdup((const char *)z) : NULL;
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
	h->population_source = dup_col(st, 17);
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

/* ---- The fast path: what every match needs, held in memory per store ----------------
 *
 * Facet counts and filters need a few facts of every match; reading them from each
 * matching proposal row (area and kind lie behind the text, on overflow pages) and
 * resolving its population with two correlated subqueries per row was most of a
 * search's cost, and SQLite's sorter over every match most of the rest.  So the facts
 * of every proposal are read once into a compact array (sorted by id, refreshed when
 * the database changes); a search streams the FTS5 rowids (with bm25 when ranking by
 * relevance), filters and counts facets by small integer codes, keeps the best `limit`
 * in a bounded heap, and reads whole rows for those alone.  The results are exactly
 * those of ib_search_plain(): the same filters, order and ties (id). */

typedef struct fact {
	int64_t id;
	double effect; /* IB_NA when unknown */
	long pop;      /* inhabitants in the year used, 0 when unknown */
	int year;
	unsigned len;	       /* tokens in its indexed text, all columns (FTS5's docsize) */
	short muni;	       /* index into search_cache.muni */
	unsigned char area;    /* index into search_cache.area (the distinct stored texts) */
	unsigned char kind;    /* likewise */
	signed char adopted;   /* 1 adopted, 0 not, -1 unknown */
} fact;

#define MAX_LABELS 255 /* distinct stored areas or kinds the cache codes; more: plain SQL */

typedef struct muni_info {
	int code;
	char *name, *region;
} muni_info;

/* Room for ranking up to cap documents: ids ascending, lengths, relevances, and
 * ib_rank_all's scratch.  Kept with the cache, so a search allocates nothing per match. */
typedef struct rank_room {
	int64_t *id;
	unsigned *len;
	double *rel, *scratch;
	size_t cap;
} rank_room;

struct ib_search_cache {
	fact *f;
	size_t n;
	rank_room room;
	muni_info *muni;
	size_t n_muni;
	char *area[MAX_LABELS], *kind[MAX_LABELS]; /* stored text; NULL for SQL NULL */
	size_t n_area, n_kind;
	sqlite3_int64 changes; /* sqlite3_total_changes64 when read */
	int data_version;      /* PRAGMA data_version when read */
};

void ib_search_cache_free(ib_search_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_muni; i++) {
		free(c->muni[i].name);
		free(c->muni[i].region);
	}
	for (size_t i = 0; i < c->n_area; i++)
		free(c->area[i]);
	for (size_t i = 0; i < c->n_kind; i++)
		free(c->kind[i]);
	free(c->muni);
	free(c->f);
	free(c->room.id);
	free(c->room.len);
	free(c->room.rel);
	free(c->room.scratch);
	free(c);
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

/* Index of label z (NULL allowed) in v[*n], added when new; -1 when v is full or out
 * of memory. */
static int label_code(char **v, size_t *n, const char *z)
{
	for (size_t i = 0; i < *n; i++)
		if ((!v[i] && !z) || (v[i] && z && strcmp(v[i], z) == 0))
			return (int)i;
	if (*n == MAX_LABELS)
		return -1;
	char *d = NULL;
	if (z && !(d = strdup(z)))
		return -1;
	v[*n] = d;
	return (int)(*n)++;
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
		if (*n == alloc) {
			alloc = alloc ? 2 * alloc : 2048;
			pop_row *v = realloc(*out, alloc * sizeof *v);
			if (!v) {
				rc = ib_error_set(err, IB_ENOMEM, NULL);
				break;
			}
			*out = v;
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

static int fact_cmp(const void *a, const void *b)
{
	const fact *x = a, *y = b;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* The sum of the varints (SQLite's encoding) in z[0..n): a docsize row's token count
 * over every column. */
static unsigned varint_sum(const unsigned char *z, int n)
{
	unsigned sum = 0;
	int i = 0;
	while (i < n) {
		uint64_t v = 0;
		int k = 0;
		for (; i < n && k < 8 && (z[i] & 0x80); i++, k++)
			v = (v << 7) | (z[i] & 0x7F);
		if (i < n)
			v = k == 8 ? (v << 8) | z[i++] : (v << 7) | z[i++];
		sum += (unsigned)v;
	}
	return sum;
}

/* Every fact's text length in tokens from FTS5's docsize table, in one scan in id order
 * (the facts' order too); a proposal not in the index keeps 0.  *unfit = 1 when the
 * table cannot be read (the caller searches with plain SQL). */
static int lens_load(ib_store *s, const budget *b, ib_search_cache *c, int *unfit,
		     ib_error *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "SELECT id, sz FROM proposal_fts_docsize", -1, &st,
			       NULL) != SQLITE_OK) {
		*unfit = 1;
		return IB_OK;
	}
	size_t i = 0;
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW && i < c->n) {
		int64_t id = sqlite3_column_int64(st, 0);
		while (i < c->n && c->f[i].id < id)
			i++;
		if (i < c->n && c->f[i].id == id)
			c->f[i].len = varint_sum(sqlite3_column_blob(st, 1),
						 sqlite3_column_bytes(st, 1));
	}
	int rc = step == SQLITE_ROW || step == SQLITE_DONE
		     ? IB_OK
		     : step_failed(s, b, err, "search failed");
	sqlite3_finalize(st);
	return rc;
}

/* Read the facts of every proposal into a new cache.  IB_ECOST/IB_EDB as searches
 * fail; IB_ENOTSUP (returned as 1 with *c NULL) when the data does not fit the codes. */
static int cache_load(ib_store *s, const budget *b, ib_search_cache **out, ib_error *err)
{
	*out = NULL;
	ib_search_cache *c = calloc(1, sizeof *c);
	if (!c)
		return ib_error_set(err, IB_ENOMEM, NULL);
	c->data_version = data_version(s->db);
	c->changes = sqlite3_total_changes64(s->db);
	sqlite3_stmt *st = NULL;
	int rc = IB_OK, step;
	size_t alloc = 0;
	if (sqlite3_prepare_v2(s->db,
			       "SELECT kommunekode, name, region FROM municipality ORDER BY 1", -1,
			       &st, NULL) != SQLITE_OK)
		rc = ib_store_dberr(s, err, "cannot prepare search");
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		if (c->n_muni == alloc) {
			alloc = alloc ? 2 * alloc : 128;
			muni_info *v = realloc(c->muni, alloc * sizeof *v);
			if (!v) {
				rc = ib_error_set(err, IB_ENOMEM, NULL);
				break;
			}
			c->muni = v;
		}
		muni_info *m = &c->muni[c->n_muni++];
		m->code = sqlite3_column_int(st, 0);
		m->name = dup_col(st, 1);
		m->region = dup_col(st, 2);
		if (!m->name || !m->region)
			rc = ib_error_set(err, IB_ENOMEM, NULL);
	}
	if (!rc && step != SQLITE_DONE)
		rc = step_failed(s, b, err, "search failed");
	sqlite3_finalize(st);
	st = NULL;
	pop_row *pop = NULL;
	size_t n_pop = 0;
	if (!rc)
		rc = pop_load(s, b, &pop, &n_pop, err);
	alloc = 0;
	/* the covering index: no row with its text is read; in its order, sorted below */
	if (!rc && sqlite3_prepare_v2(s->db,
				      "SELECT id, kommunekode, budget_year, area, kind, adopted,"
				      " effect_kr FROM proposal INDEXED BY proposal_facts_idx",
				      -1, &st, NULL) != SQLITE_OK)
		rc = ib_store_dberr(s, err, "cannot prepare search");
	int unfit = 0;
	while (!rc && !unfit && (step = sqlite3_step(st)) == SQLITE_ROW) {
		int muni = muni_find(c, sqlite3_column_int(st, 1));
		if (muni < 0)
			continue; /* no municipality: never a hit (the plain search joins it) */
		if (c->n == alloc) {
			alloc = alloc ? 2 * alloc : 1024;
			fact *v = realloc(c->f, alloc * sizeof *v);
			if (!v) {
				rc = ib_error_set(err, IB_ENOMEM, NULL);
				break;
			}
			c->f = v;
		}
		fact *f = &c->f[c->n++];
		f->id = sqlite3_column_int64(st, 0);
		f->year = sqlite3_column_int(st, 2);
		int area = label_code(c->area, &c->n_area, (const char *)sqlite3_column_text(st, 3));
		int kind = label_code(c->kind, &c->n_kind, (const char *)sqlite3_column_text(st, 4));
		if (area < 0 || kind < 0) {
			unfit = 1;
			break;
		}
		f->muni = (short)muni;
		f->area = (unsigned char)area;
		f->kind = (unsigned char)kind;
		f->adopted = sqlite3_column_type(st, 5) == SQLITE_NULL
				 ? -1
				 : (signed char)sqlite3_column_int(st, 5);
		f->effect = sqlite3_column_type(st, 6) == SQLITE_NULL
				? IB_NA
				: sqlite3_column_double(st, 6);
		f->pop = pop_of(pop, n_pop, c->muni[muni].code, f->year);
		f->len = 0;
	}
	free(pop);
	if (!rc && !unfit && c->n > 1)
		qsort(c->f, c->n, sizeof *c->f, fact_cmp);
	if (!rc && !unfit && step != SQLITE_DONE)
		rc = step_failed(s, b, err, "search failed");
	sqlite3_finalize(st);
	if (!rc && !unfit)
		rc = lens_load(s, b, c, &unfit, err);
	if (rc || unfit) {
		ib_search_cache_free(c);
		return rc;
	}
	*out = c;
	return IB_OK;
}

/* The cache of s, (re)read when the database changed since; *c NULL when the data
 * does not fit it (the caller searches with plain SQL).  Reading it is outside the
 * search's budget: it is linear in the bank, once per change, and a budget that cut it
 * short would fail every later search as well. */
static int cache_get(ib_store *s, budget *b, ib_search_cache **c, ib_error *err)
{
	ib_search_cache *old = s->search_cache;
	if (old && old->changes == sqlite3_total_changes64(s->db) &&
	    old->data_version == data_version(s->db)) {
		*c = old;
		return IB_OK;
	}
	ib_search_cache_free(old);
	s->search_cache = NULL;
	sqlite3_progress_handler(s->db, 0, NULL, NULL);
	int rc = cache_load(s, b, c, err);
	sqlite3_progress_handler(s->db, STEP_TICK, over_budget, b);
	b->deadline = now_s() + b->max_ms / 1000.0;
	if (!rc)
		s->search_cache = *c;
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
static int filter_init(const ib_search_cache *c, const ib_search_opts *o, filter *x)
{
	memset(x, 0, sizeof *x);
	x->o = o;
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
	if (o->pop_min > 0 && (!f->pop || f->pop < o->pop_min))
		return 0;
	if (o->pop_max > 0 && (!f->pop || f->pop > o->pop_max))
		return 0;
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

#define YEAR_MIN 1900
#define YEAR_SPAN 400 /* budget years YEAR_MIN .. YEAR_MIN + YEAR_SPAN - 1 counted by index */

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

/* The fact of id: the next one at or after *pos when ids come in ascending order (the
 * FTS5 rowid stream), else by binary search; NULL when absent. */
static const fact *fact_of(const ib_search_cache *c, int64_t id, size_t *pos)
{
	size_t i = *pos;
	if (i < c->n && c->f[i].id > id)
		i = 0;
	/* the stream's next id is mostly a few facts on: gallop, then search the span */
	size_t step = 1, hi = i;
	while (hi < c->n && c->f[hi].id < id) {
		i = hi + 1;
		hi += step;
		step *= 2;
	}
	if (hi > c->n)
		hi = c->n;
	size_t lo = i;
	if (hi < c->n)
		hi++;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (c->f[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	*pos = lo;
	return lo < c->n && c->f[lo].id == id ? &c->f[lo] : NULL;
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

/* Room for n documents in c->room; IB_ENOMEM when there is none. */
static int room_get(ib_search_cache *c, size_t n)
{
	rank_room *r = &c->room;
	if (n <= r->cap)
		return IB_OK;
	free(r->id);
	free(r->len);
	free(r->rel);
	free(r->scratch);
	r->id = malloc(n * sizeof *r->id);
	r->len = malloc(n * sizeof *r->len);
	r->rel = malloc(n * sizeof *r->rel);
	r->scratch = malloc(n * sizeof *r->scratch);
	r->cap = r->id && r->len && r->rel && r->scratch ? n : 0;
	return r->cap ? IB_OK : IB_ENOMEM;
}

/* What collect mode's accept needs: a search's filters, counts and cache. */
typedef struct collect_ctx {
	ib_search_cache *c;
	const filter *x;
	counts *k;
	ib_result *r;
	size_t pos; /* fact_of's position */
} collect_ctx;

/* ib_rank_job.accept: the match id is ranked when it is a proposal passing the
 * filters; it is counted in the facets and put in the room at index at. */
static int collect_accept(void *arg, int64_t id, size_t at)
{
	collect_ctx *x = arg;
	const fact *f = fact_of(x->c, id, &x->pos);
	if (!f || !fact_passes(x->x, f))
		return 0;
	x->r->total++;
	if (count_fact(x->k, f))
		return -1;
	x->c->room.id[at] = f->id;
	x->c->room.len[at] = f->len;
	return 1;
}

/* The relevance of the documents r->id[0..*n) (ascending; r->len their lengths in
 * tokens) for q, into r->rel[0..*n), computed in C by one ib_rank_all() call; n_match:
 * the rows the query matches in all.  With collect (a query of one phrase, the room
 * big enough for every proposal), the documents are found by the same walk: *n comes
 * back set, and collect's counts and result total are filled. */
static int rank_docs(ib_store *s, const ranked_query *q, int64_t n_match, rank_room *r,
		     size_t *n, collect_ctx *collect, budget *b, ib_error *err)
{
	for (size_t i = 0; i < *n; i++)
		r->rel[i] = 0;
	if (!collect && (!*n || q->n_positive < 1))
		return IB_OK;
	ib_rank_job job = {r->id, r->len, collect ? 0 : *n, q->n_positive, !q->has_or, n_match,
			   r->rel, r->scratch, rank_stop, b, 0, NULL, NULL};
	if (collect) {
		job.accept = collect_accept;
		job.accept_arg = collect;
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
	if (room_get(c, n))
		return ib_error_set(err, IB_ENOMEM, NULL);
	size_t pos = 0;
	for (size_t i = 0; i < n; i++) {
		const fact *f = fact_of(c, v[i].id, &pos);
		c->room.id[i] = v[i].id;
		c->room.len[i] = f ? f->len : 0;
	}
	size_t n_ranked = n;
	int rc = rank_docs(s, q, n_match, &c->room, &n_ranked, NULL, b, err);
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
		       ib_sort sort, budget *b, ib_result *r, int *done, ib_error *err)
{
	*done = 0;
	ib_search_cache *c = NULL;
	int rc = cache_get(s, b, &c, err);
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
	    !(k.muni = calloc(c->n_muni ? c->n_muni : 1, sizeof *k.muni)) ||
	    (sort == IB_SORT_RELEVANCE && room_get(c, c->n))) {
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
	size_t pos = 0, next = 0;
	int64_t n_match = 0;
	int step = SQLITE_DONE;
	while (!rc && !collect) {
		const fact *f;
		if (q->match) {
			if ((step = sqlite3_step(st)) != SQLITE_ROW)
				break;
			n_match++;
			if (!(f = fact_of(c, sqlite3_column_int64(st, 0), &pos)))
				continue; /* not a proposal with a municipality: no hit */
		} else {
			if (next == c->n)
				break;
			f = &c->f[next++];
		}
		if (!fact_passes(&flt, f))
			continue;
		r->total++;
		if (count_fact(&k, f)) {
			rc = ib_error_set(err, IB_ENOMEM, NULL);
			break;
		}
		if (sort == IB_SORT_RELEVANCE) { /* ranked when every match is known */
			c->room.id[n_rank] = f->id; /* each fact passes once: n_rank <= c->n */
			c->room.len[n_rank++] = f->len;
			continue;
		}
		cand x = {0, 0, f->id, 0};
		if (sort == IB_SORT_EFFECT) {
			x.last = ib_is_na(f->effect);
			x.key = x.last ? 0 : f->effect;
		} else if (sort == IB_SORT_PER_INHABITANT) {
			x.last = ib_is_na(f->effect) || !f->pop;
			x.key = x.last ? 0 : f->effect / (double)f->pop;
		}
		if (topk_add(&t, &x))
			rc = ib_error_set(err, IB_ENOMEM, NULL);
	}
	if (!rc && q->match && !collect && step != SQLITE_DONE)
		rc = step_failed(s, b, err, "search failed");
	sqlite3_finalize(st);
	if (!rc && sort == IB_SORT_RELEVANCE) {
		collect_ctx cc = {c, &flt, &k, r, 0};
		rc = rank_docs(s, q, n_match, &c->room, &n_rank, collect ? &cc : NULL, b, err);
		for (size_t i = 0; i < n_rank && !rc; i++) {
			cand x = {c->room.rel[i], c->room.rel[i], c->room.id[i], 0};
			if (topk_add(&t, &x))
				rc = ib_error_set(err, IB_ENOMEM, NULL);
		}
	} else if (!rc && q->match)
		rc = rank_chosen(s, c, q, n_match, t.v, t.n, b, err);
	if (!rc && counts_to_facets(c, &k, r))
		rc = ib_error_set(err, IB_ENOMEM, NULL);
	if (!rc) {
		if (t.n > 1)
			qsort(t.v, t.n, sizeof *t.v, t.ascending ? cand_cmp_asc : cand_cmp_desc);
		if (skip > t.n)
			skip = t.n;
		rc = fetch_hits(s, t.v ? t.v + skip : NULL, t.n - skip, r, b, err);
		/* A row the cache knows is gone: a change the cache could not see (a rolled
		   back transaction leaves the change counter as it was).  Forget the cache and
		   let the caller search with plain SQL, which is exact. */
		if (rc == IB_ENOTFOUND) {
			ib_search_cache_free(s->search_cache);
			s->search_cache = NULL;
			*done = 0;
			rc = IB_OK;
		}
	}
	free(t.v);
	free(k.muni);
	free(flt.muni_ok);
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
	rc = search_fast(s, o, &q, sort, &b, r, &done, err);
	if (!rc && done && match && r->n && !o->no_snippets)
		rc = add_snippets(s, match, r, &b, err);
	sqlite3_progress_handler(s->db, 0, NULL, NULL);
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
