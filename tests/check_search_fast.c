/* check_search_fast.c - the fast search path (facts in memory, bounded top k, facet
 * counts by code, rows read for the returned hits only) against the plain SQL search on
 * a generated corpus: the same totals, hits in the same order with the same fields and
 * snippets, the same facets, for every sort, filter and limit; and a write, from this
 * connection or another, is seen by the next search. */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ideabank.h"
#include "store_int.h"
#include "testutil.h"

static ib_store *store;

static uint64_t rng = 88172645463325252ull;
static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static const char *const words[] = {
    "hjemmepleje", "borgere", "og", "forslaget", "skærmbesøg", "robotter", "medicin",
    "lønudgifter", "bilflåde", "rehabilitering", "træning", "digitalisering",
};
#define NW (sizeof words / sizeof words[0])

static const int codes[] = {101, 147, 159, 259, 329, 461, 751, 851};

/* Store n generated proposals: few words, so many texts are equal and bm25 ties are
 * broken by id; some without area, effect or adoption; budget years from before the
 * population figures to after them. */
static void put_corpus(ib_store *s, int n, int first)
{
	ib_error err = {0};
	ck_assert_int_eq(ib_store_begin(s, &err), IB_OK);
	for (int i = 0; i < n; i++) {
		ib_proposal *p = ib_proposal_new();
		char title[64], text[256];
		snprintf(title, sizeof title, "Forslag %d om %s", first + i, words[rnd(NW)]);
		snprintf(text, sizeof text, "%s %s %s og %s", words[rnd(NW)], words[rnd(NW)],
			 words[rnd(4)], words[rnd(NW)]);
		p->kommunekode = codes[rnd(sizeof codes / sizeof codes[0])];
		p->budget_year = 2004 + (int)rnd(26);
		p->title = strdup(title);
		p->text = strdup(text);
		p->source = strdup("generated");
		p->kind = ib_kinds[rnd((unsigned)ib_n_kinds)];
		p->area = rnd(8) ? ib_areas[rnd((unsigned)ib_n_areas)] : NULL;
		p->adopted = (int)rnd(3) - 1;
		p->effect_kr = rnd(6) ? (double)((int)rnd(40) - 8) * 25000 : IB_NA;
		ck_assert_msg(ib_store_put_proposal(s, p, NULL, &err) == IB_OK, "%s", err.msg);
		ib_proposal_free(p);
	}
	ck_assert_int_eq(ib_store_commit(s, &err), IB_OK);
}

static void setup(void)
{
	store = tu_store_with("fast.db", "data/kommuner.csv", "data/folketal.csv", NULL);
	put_corpus(store, 1200, 0); /* the stop rule holds from 1.000 rows */
}

static void teardown(void)
{
	ib_error err = {0};
	ck_assert_msg(ib_store_check(store, &err) == IB_OK, "%s", err.msg);
	ib_store_close(store);
}

static int same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Same double, NaN (unknown) included. */
static int same_num(double a, double b)
{
	return (ib_is_na(a) && ib_is_na(b)) || a == b;
}

static void same_facets(const ib_facet *a, size_t na, const ib_facet *b, size_t nb,
			const char *what)
{
	ck_assert_msg(na == nb, "%s: %zu facets, plain %zu", what, na, nb);
	for (size_t i = 0; i < na; i++) {
		ck_assert_str_eq(a[i].value, b[i].value);
		ck_assert_int_eq(a[i].n, b[i].n);
	}
}

/* ib_search on s and ib_search_plain give the same result for o; returns its total. */
static size_t compare(ib_store *s, const ib_search_opts *o)
{
	ib_result *f = NULL, *p = NULL;
	ib_error err = {0};
	ck_assert_msg(ib_search(s, o, &f, &err) == IB_OK, "%s", err.msg);
	ck_assert_msg(ib_search_plain(s, o, &p, &err) == IB_OK, "%s", err.msg);
	const char *q = o->query ? o->query : "(none)";
	ck_assert_msg(f->total == p->total,
		      "'%s' sort %d: total %zu, plain %zu (area %s, years %d-%d, kommune %d, region"
		      " %s, kind %s, adopted %d/%d, limit %d, offset %d)",
		      q, o->sort, f->total, p->total, o->area ? o->area : "-", o->year_from,
		      o->year_to, o->kommunekode, o->region ? o->region : "-",
		      o->kind ? o->kind : "-", o->adopted_only, o->adopted_is, o->limit, o->offset);
	ck_assert_msg(f->n == p->n, "'%s': %zu hits, plain %zu", q, f->n, p->n);
	for (size_t i = 0; i < f->n; i++) {
		const ib_hit *a = &f->hits[i], *b = &p->hits[i];
		ck_assert_msg(a->id == b->id, "'%s' sort %d area %s year %d limit %d: hit %zu is %lld,"
			      " plain %lld", q, o->sort, o->area ? o->area : "-", o->year_from,
			      o->limit, i, (long long)a->id, (long long)b->id);
		ck_assert(a->relevance == b->relevance);
		ck_assert_int_eq(a->population, b->population);
		ck_assert_int_eq(a->population_year, b->population_year);
		ck_assert(same_num(a->per_inhabitant, b->per_inhabitant));
		ck_assert(same_num(a->effect_kr, b->effect_kr));
		ck_assert_int_eq(a->adopted, b->adopted);
		ck_assert(same_str(a->kommune, b->kommune));
		ck_assert(same_str(a->title, b->title));
		ck_assert(same_str(a->area, b->area));
		ck_assert(same_str(a->kind, b->kind));
		ck_assert(same_str(a->snippet, b->snippet));
	}
	same_facets(f->by_area, f->n_by_area, p->by_area, p->n_by_area, "area");
	same_facets(f->by_year, f->n_by_year, p->by_year, p->n_by_year, "year");
	same_facets(f->by_kommune, f->n_by_kommune, p->by_kommune, p->n_by_kommune, "kommune");
	same_facets(f->by_kind, f->n_by_kind, p->by_kind, p->n_by_kind, "kind");
	same_facets(f->by_region, f->n_by_region, p->by_region, p->n_by_region, "region");
	same_facets(f->by_adopted, f->n_by_adopted, p->by_adopted, p->n_by_adopted, "adopted");
	ck_assert_uint_eq(f->n_effect_known, p->n_effect_known);
	ck_assert_msg(fabs(f->effect_sum - p->effect_sum) <= 1e-6 * (fabs(p->effect_sum) + 1),
		      "'%s': effect sum %.2f, plain %.2f", q, f->effect_sum, p->effect_sum);
	size_t total = f->total;
	ib_result_free(f);
	ib_result_free(p);
	return total;
}

static const char *const queries[] = {
    NULL, "", "og", "hjemmepleje", "borgere og", "\"og forslaget\"", "robot*",
    "medicin OR træning", "forslaget -og", "zzzz", "§",
    /* several words, phrases, prefixes, OR and NOT together; rare and common words */
    "hjemmepleje borgere", "lønudgifter bilflåde", "robot* træning", "og medicin",
    "medicin OR træning -og", "\"om hjemmepleje\" medicin", "lønudgifter OR og",
    "rehabilitering* OR bilflåde* -borgere", "forslag* digitalisering",
};
#define NQ (sizeof queries / sizeof queries[0])

START_TEST(fast_equals_plain)
{
	static const ib_sort sorts[] = {IB_SORT_DEFAULT, IB_SORT_RELEVANCE, IB_SORT_EFFECT,
					IB_SORT_PER_INHABITANT};
	static const int limits[] = {0, 1, 20, 100};
	size_t total_og = 0;
	for (size_t q = 0; q < NQ; q++)
		for (size_t s = 0; s < 4; s++)
			for (size_t l = 0; l < 4; l++) {
				ib_search_opts o = {0};
				o.query = queries[q];
				o.sort = sorts[s];
				o.limit = limits[l];
				size_t t = compare(store, &o);
				if (q == 2)
					total_og = t;
			}
	/* the comparison is not of empty results */
	ck_assert_uint_gt(total_og, 500);
}
END_TEST

START_TEST(fast_equals_plain_filtered)
{
	size_t nonempty = 0;
	for (int i = 0; i < 150; i++) {
		ib_search_opts o = {0};
		o.query = queries[rnd(NQ)];
		o.sort = (ib_sort)rnd(4);
		o.limit = (int)rnd(30);
		if (rnd(2))
			o.area = ib_areas[rnd((unsigned)ib_n_areas)];
		if (rnd(3) == 0)
			o.year_from = 2008 + (int)rnd(20);
		if (rnd(3) == 0)
			o.year_to = 2008 + (int)rnd(20);
		if (rnd(4) == 0)
			o.kommunekode = codes[rnd(sizeof codes / sizeof codes[0])];
		if (rnd(5) == 0)
			o.region = rnd(2) ? "Hovedstaden" : "Region Sjælland";
		if (rnd(4) == 0)
			o.kind = ib_kinds[rnd((unsigned)ib_n_kinds)];
		o.adopted_only = rnd(5) == 0;
		if (rnd(4) == 0)
			o.adopted_is = (ib_adopted_filter)(1 + rnd(3));
		if (rnd(3) == 0)
			o.offset = (int)rnd(40);
		o.no_snippets = rnd(4) == 0;
		if (rnd(4) == 0)
			o.pop_min = 30000 + (long)rnd(30) * 1000;
		if (rnd(4) == 0)
			o.pop_max = 50000 + (long)rnd(60) * 10000;
		if (rnd(4) == 0)
			o.effect_min = rnd(2) ? 1 : 200000;
		if (rnd(4) == 0)
			o.effect_max = rnd(2) ? -1 : 500000;
		nonempty += compare(store, &o) > 0;
	}
	ck_assert_uint_gt(nonempty, 75);
	/* the adopted filter splits the matches into its three parts, each counted by the
	   adopted facet; a page of 10 from 20 on is hits 20..29 of the whole order */
	ib_search_opts o = {0};
	o.query = "og";
	ib_result *all = NULL, *part = NULL;
	ib_error err = {0};
	ck_assert_int_eq(ib_search(store, &o, &all, &err), IB_OK);
	size_t sum = 0;
	for (int a = IB_ADOPTED_IS_YES; a <= IB_ADOPTED_IS_UNKNOWN; a++) {
		o.adopted_is = (ib_adopted_filter)a;
		ck_assert_int_eq(ib_search(store, &o, &part, &err), IB_OK);
		ck_assert_uint_gt(part->total, 0);
		const char *word = a == IB_ADOPTED_IS_YES ? "yes" : a == IB_ADOPTED_IS_NO ? "no" : "unknown";
		long counted = 0;
		for (size_t i = 0; i < all->n_by_adopted; i++)
			if (!strcmp(all->by_adopted[i].value, word))
				counted = all->by_adopted[i].n;
		ck_assert_int_eq(counted, (long)part->total);
		sum += part->total;
		ib_result_free(part);
	}
	ck_assert_uint_eq(sum, all->total);
	o.adopted_is = IB_ADOPTED_ANY;
	o.offset = 20;
	o.limit = 10;
	ck_assert_int_eq(ib_search(store, &o, &part, &err), IB_OK);
	ck_assert_uint_eq(part->n, 10);
	ck_assert_uint_eq(part->total, all->total);
	for (size_t i = 0; i < 10; i++)
		ck_assert(part->hits[i].id == all->hits[20 + i].id);
	ib_result_free(part);
	ib_result_free(all);
}
END_TEST

/* ib_bm25 is FTS5's bm25 with the same weights for a phrase in under half of the rows;
 * one in half of them or more ("og" ends every generated text) contributes exactly 0. */
START_TEST(relevance_is_bm25_with_stop_rule)
{
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(store->db,
					    "SELECT ib_bm25(proposal_fts), bm25(proposal_fts, 10.0,"
					    " 4.0, 1.0) FROM proposal_fts WHERE proposal_fts MATCH ?1",
					    -1, &st, NULL),
			 SQLITE_OK);
	static const char *const rare[] = {"medicin", "lønudgifter OR bilflåde", "robot* træning"};
	for (size_t i = 0; i < 3; i++) {
		sqlite3_bind_text(st, 1, rare[i], -1, SQLITE_STATIC);
		int n = 0;
		while (sqlite3_step(st) == SQLITE_ROW) {
			double ours = sqlite3_column_double(st, 0), fts = sqlite3_column_double(st, 1);
			ck_assert_msg(ours < 0 && fabs(ours - fts) <= 1e-9 * fabs(fts),
				      "'%s': %.17g, bm25 %.17g", rare[i], ours, fts);
			n++;
		}
		ck_assert_int_gt(n, 20);
		sqlite3_reset(st);
	}
	sqlite3_bind_text(st, 1, "og", -1, SQLITE_STATIC);
	int n = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		ck_assert(sqlite3_column_double(st, 0) == 0);
		ck_assert(sqlite3_column_double(st, 1) < 0); /* bm25's 1e-6 idf */
		n++;
	}
	ck_assert_int_eq(n, 1200);
	sqlite3_finalize(st);

	/* so "og" adds nothing to a query: the same hits, order and relevance */
	ib_search_opts a = {0}, b = {0};
	a.query = "og hjemmepleje";
	b.query = "hjemmepleje";
	a.limit = b.limit = 30;
	ib_result *ra = NULL, *rb = NULL;
	ib_error err = {0};
	ck_assert_int_eq(ib_search(store, &a, &ra, &err), IB_OK);
	ck_assert_int_eq(ib_search(store, &b, &rb, &err), IB_OK);
	ck_assert_uint_eq(ra->total, rb->total);
	ck_assert_uint_eq(ra->n, 30);
	for (size_t i = 0; i < ra->n; i++) {
		ck_assert_int_eq(ra->hits[i].id, rb->hits[i].id);
		ck_assert(ra->hits[i].relevance == rb->hits[i].relevance);
		ck_assert(ra->hits[i].relevance < 0);
	}
	ib_result_free(ra);
	ib_result_free(rb);
}
END_TEST

/* A bank under 1.000 rows (one municipality's own ideas) keeps FTS5's ranking of every
 * word, a word in half of it too: ib_bm25 is bm25, and the hits of "og" are not in id
 * order. */
START_TEST(small_bank_ranks_every_word)
{
	ib_store *small = tu_store_with("small.db", "data/kommuner.csv", "data/folketal.csv", NULL);
	put_corpus(small, 300, 0);
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(small->db,
					    "SELECT ib_bm25(proposal_fts), bm25(proposal_fts, 10.0,"
					    " 4.0, 1.0) FROM proposal_fts WHERE proposal_fts MATCH 'og'",
					    -1, &st, NULL),
			 SQLITE_OK);
	int n = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		double ours = sqlite3_column_double(st, 0), fts = sqlite3_column_double(st, 1);
		ck_assert_msg(ours < 0 && fabs(ours - fts) <= 1e-9 * fabs(fts), "%.17g, bm25 %.17g",
			      ours, fts);
		n++;
	}
	ck_assert_int_eq(n, 300);
	sqlite3_finalize(st);
	ib_search_opts o = {0};
	o.query = "og";
	o.limit = 20;
	ck_assert_uint_eq(compare(small, &o), 300);
	ib_result *r = NULL;
	ib_error err = {0};
	ck_assert_int_eq(ib_search(small, &o, &r, &err), IB_OK);
	int in_id_order = 1;
	for (size_t k = 1; k < r->n; k++)
		in_id_order &= r->hits[k - 1].id < r->hits[k].id;
	ck_assert_int_eq(in_id_order, 0);
	ib_result_free(r);
	ib_store_close(small);
}
END_TEST

/* When no word ranks ("og" alone, or ANDed with words in half the rows), hits come in
 * id order with relevance 0, on both paths, filtered or not. */
START_TEST(unranked_hits_sort_by_id)
{
	static const char *const q[] = {"og", "og forslag*", "og -zzzz"};
	for (size_t i = 0; i < 3; i++)
		for (int filtered = 0; filtered < 2; filtered++) {
			ib_search_opts o = {0};
			o.query = q[i];
			o.limit = 25;
			o.year_from = filtered ? 2010 : 0;
			ck_assert_uint_gt(compare(store, &o), 25);
			ib_result *r = NULL;
			ib_error err = {0};
			ck_assert_int_eq(ib_search(store, &o, &r, &err), IB_OK);
			for (size_t k = 0; k < r->n; k++) {
				ck_assert(r->hits[k].relevance == 0);
				if (k)
					ck_assert_int_lt(r->hits[k - 1].id, r->hits[k].id);
			}
			ib_result_free(r);
		}
}
END_TEST

/* A write through this store, and one through another connection, are seen by the
 * next search of a store that has already searched. */
START_TEST(writes_are_seen)
{
	ib_search_opts o = {0};
	o.query = "og";
	o.limit = 5;
	size_t before = compare(store, &o);
	put_corpus(store, 50, 5000);
	size_t after = compare(store, &o);
	ck_assert_uint_gt(after, before);

	ib_store *ro = NULL;
	ib_error err = {0};
	const char *path = tu_text(store, "SELECT file FROM pragma_database_list WHERE name='main'");
	ck_assert_int_eq(ib_store_open_readonly(path, &ro, &err), IB_OK);
	ck_assert_uint_eq(compare(ro, &o), after);
	put_corpus(store, 50, 6000);
	size_t later = compare(ro, &o);
	ck_assert_uint_gt(later, after);
	ck_assert_uint_eq(compare(store, &o), later);
	ib_store_close(ro);
}
END_TEST

int main(void)
{
	return tu_run_tests("search_fast", 120, setup, teardown,
			    TU_TESTS(fast_equals_plain, fast_equals_plain_filtered, writes_are_seen,
				     relevance_is_bm25_with_stop_rule, unranked_hits_sort_by_id,
				     small_bank_ranks_every_word));
}
