/* check_search.c - search filters, sorting, effect per inhabitant and facets, on the
 * mini fixture (5 proposals in 3 municipalities). */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ideabank.h"
#include "testutil.h"

#define MINI(f) tu_fixture("mini/" f)

static ib_store *store;

static void setup(void)
{
	store = tu_store_with("search.db", MINI("kommuner.csv"), MINI("folketal.csv"),
			      MINI("spending.csv"), MINI("proposals.jsonl"), NULL);
}

static void teardown(void)
{
	ib_error err = {0};
	ck_assert_msg(ib_store_check(store, &err) == IB_OK, "%s", err.msg);
	ib_store_close(store);
}

/* Run a search and return the ids in order as "4,1,3". */
static const char *ids(const ib_search_opts *o, size_t *total)
{
	static char out[256];
	ib_result *r = NULL;
	ib_error err = {0};
	ck_assert_msg(ib_search(store, o, &r, &err) == IB_OK, "%s", err.msg);
	out[0] = '\0';
	for (size_t i = 0; i < r->n; i++) {
		size_t n = strlen(out);
		snprintf(out + n, sizeof out - n, "%s%lld", i ? "," : "", (long long)r->hits[i].id);
	}
	if (total)
		*total = r->total;
	ib_result_free(r);
	return out;
}

START_TEST(sort_orders)
{
	ib_search_opts o = {0};
	size_t total;
	/* without words: by effect, unknown effect last */
	ck_assert_str_eq(ids(&o, &total), "4,3,1,2,5");
	ck_assert_uint_eq(total, 5);
	/* per inhabitant: 10.100.000/671.714 = 15,04; 150.000/34.847 = 4,30;
	   304.000/580.184 = 0,52; -300.000/34.847 = -8,61; unknown last */
	o.sort = IB_SORT_PER_INHABITANT;
	ck_assert_str_eq(ids(&o, NULL), "4,1,3,2,5");
	o.limit = 2;
	ck_assert_str_eq(ids(&o, &total), "4,1");
	ck_assert_uint_eq(total, 5);
}
END_TEST

START_TEST(filters)
{
	ib_search_opts o = {0};
	o.area = "Skoler";
	ck_assert_str_eq(ids(&o, NULL), "5");
	o = (ib_search_opts){0};
	o.year_from = 2021;
	o.year_to = 2024;
	ck_assert_str_eq(ids(&o, NULL), "1,2,5");
	o.year_from = o.year_to = 2016;
	ck_assert_str_eq(ids(&o, NULL), "3");
	o = (ib_search_opts){0};
	o.kommunekode = 329;
	ck_assert_str_eq(ids(&o, NULL), "1,2");
	o = (ib_search_opts){0};
	o.region = "Hovedstaden";
	ck_assert_str_eq(ids(&o, NULL), "4,3");
	o.region = "Region Hovedstaden";
	ck_assert_str_eq(ids(&o, NULL), "4,3");
	o = (ib_search_opts){0};
	o.kind = "investering";
	ck_assert_str_eq(ids(&o, NULL), "3");
	o = (ib_search_opts){0};
	o.adopted_only = 1;
	ck_assert_str_eq(ids(&o, NULL), "3");
	o.kommunekode = 329;
	size_t total = 99;
	ck_assert_str_eq(ids(&o, &total), "");
	ck_assert_uint_eq(total, 0);
}
END_TEST

/* Population in the budget year (1,2: 34.847; 3: 580.184; 4: 671.714; 5: 207.000) and
   yearly effect (4: 10.100.000; 3: 304.000; 1: 150.000; 2: -300.000; 5: unknown). */
START_TEST(population_and_effect_ranges)
{
	ib_search_opts o = {0};
	o.pop_min = 200000;
	ck_assert_str_eq(ids(&o, NULL), "4,3,5");
	o.pop_min = 20000;
	o.pop_max = 300000;
	ck_assert_str_eq(ids(&o, NULL), "1,2,5");
	o.pop_min = 34848; /* one more than Ringsted's 2021 figure */
	ck_assert_str_eq(ids(&o, NULL), "5");
	o = (ib_search_opts){0};
	o.effect_min = 150000; /* inclusive; unknown effects are outside every range */
	ck_assert_str_eq(ids(&o, NULL), "4,3,1");
	o.effect_min = IB_NA;
	o.effect_max = 200000;
	ck_assert_str_eq(ids(&o, NULL), "1,2");
	o.effect_max = IB_NA; /* both ends open: everything */
	ck_assert_str_eq(ids(&o, NULL), "4,3,1,2,5");
	o.effect_min = 100000;
	o.pop_max = 100000;
	ck_assert_str_eq(ids(&o, NULL), "1");
	o.query = "hjemmeplejen"; /* 1 and 3 have the word; 3 is too large */
	ck_assert_str_eq(ids(&o, NULL), "1");
}
END_TEST

START_TEST(source_and_title_map)
{
	ib_search_opts o = {.kommunekode = 101};
	ib_result *r = NULL;
	ib_error err = {0};
	ck_assert_int_eq(ib_search(store, &o, &r, &err), IB_OK);
	ck_assert_uint_eq(r->n, 2);
	ck_assert_str_eq(r->hits[0].source, "002.txt");
	ck_assert_str_eq(r->hits[1].source, "001.txt");
	ib_result_free(r);
	/* the map knows the seed documents by name, with any extension or folder */
	ck_assert_str_eq(ib_source_title("000_23be4988dae89e7a.txt"),
			 "Investeringsforslag, Budget 2021");
	ck_assert_str_eq(ib_source_title("/tmp/x/000_23be4988dae89e7a.pdf"),
			 "Investeringsforslag, Budget 2021");
	const ib_document_info *d = ib_document_lookup("001_9096374421a980e5.txt");
	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(d->publisher, "Københavns Kommune");
	ck_assert_str_eq(d->url, "");
	ck_assert_ptr_null(ib_source_title("000.txt"));
	ck_assert_str_eq(ib_source_title("000_23be4988dae89e7a"),
			 "Investeringsforslag, Budget 2021");
	ck_assert_ptr_null(ib_source_title("https://example.org/000_23be4988dae89e7a.txt"));
	ck_assert_ptr_null(ib_source_title(""));
	ck_assert_ptr_null(ib_source_title(NULL));
}
END_TEST

START_TEST(per_inhabitant_and_population_year)
{
	ib_search_opts o = {0};
	ib_result *r = NULL;
	ib_error err = {0};
	ck_assert_int_eq(ib_search(store, &o, &r, &err), IB_OK);
	/* hits: 4,3,1,2,5 */
	ck_assert_int_eq(r->hits[0].population, 671714);
	ck_assert_int_eq(r->hits[0].population_year, 2026);
	ck_assert_double_eq_tol(r->hits[0].per_inhabitant, 15.0361, 0.0001);
	ck_assert_int_eq(r->hits[2].population_year, 2021);
	ck_assert_double_eq_tol(r->hits[2].per_inhabitant, 4.3045, 0.0001);
	ck_assert_str_eq(r->hits[2].kommune, "Ringsted");
	ck_assert_str_eq(r->hits[2].ref, "240");
	ck_assert(ib_is_na(r->hits[4].effect_kr));
	ck_assert(ib_is_na(r->hits[4].per_inhabitant));
	ck_assert_int_eq(r->hits[4].population, 207000);
	ib_result_free(r);
}
END_TEST

START_TEST(facets)
{
	ib_search_opts o = {0};
	o.limit = 1; /* facets count the whole result set, not the page */
	ib_result *r = NULL;
	ib_error err = {0};
	ck_assert_int_eq(ib_search(store, &o, &r, &err), IB_OK);
	ck_assert_uint_eq(r->n, 1);
	ck_assert_uint_eq(r->n_by_area, 3);
	ck_assert_str_eq(r->by_area[0].value, "Ældre og sundhed");
	ck_assert_int_eq(r->by_area[0].n, 3);
	ck_assert_str_eq(r->by_area[1].value, "Skoler");
	ck_assert_str_eq(r->by_area[2].value, "Teknik og miljø");
	ck_assert_uint_eq(r->n_by_kommune, 3);
	ck_assert_str_eq(r->by_kommune[0].value, "København");
	ck_assert_int_eq(r->by_kommune[0].n, 2);
	ck_assert_uint_eq(r->n_by_year, 4);
	ck_assert_str_eq(r->by_year[0].value, "2021");
	ck_assert_int_eq(r->by_year[0].n, 2);
	ck_assert_uint_eq(r->n_by_kind, 3);
	ck_assert_str_eq(r->by_kind[0].value, "effektivisering");
	ck_assert_int_eq(r->by_kind[0].n, 3);
	ib_result_free(r);
}
END_TEST

START_TEST(text_query)
{
	ib_search_opts o = {0};
	/* both have the word in the summary; 3 also, stemmed, in its title ("hjemmepleje"),
	 * which weighs most, so it ranks first */
	o.query = "hjemmeplejen";
	ck_assert_str_eq(ids(&o, NULL), "3,1");
	o.query = "hjemmeplejen robotter";
	ck_assert_str_eq(ids(&o, NULL), "1");
	o.query = "hjemmeplejen";
	o.kommunekode = 101;
	ck_assert_str_eq(ids(&o, NULL), "3");
	o = (ib_search_opts){0};
	o.query = "ingenting_her";
	size_t total = 9;
	ck_assert_str_eq(ids(&o, &total), "");
	ck_assert_uint_eq(total, 0);

	/* snippets mark the matched words */
	ib_result *r = NULL;
	ib_error err = {0};
	o.query = "robotter";
	ck_assert_int_eq(ib_search(store, &o, &r, &err), IB_OK);
	ck_assert_uint_eq(r->n, 1);
	/* the compound in the title matches through its part, and shows as written */
	ck_assert_str_eq(r->hits[0].snippet, "Anvendelse af \x02medicindispenseringsrobotter\x03");
	ib_result_free(r);
}
END_TEST

/* A search that would cost more than its budget stops with IB_ECOST, never a stall;
 * the budget covers the search and the snippets. */
START_TEST(cost_budget)
{
	ib_search_opts o = {0};
	ib_result *r = NULL;
	ib_error err = {0};
	o.query = "hjemmeplejen";
	/* the first check, after 100 steps, stops it (the five proposals' index is one
	 * segment: the whole search takes under 200) */
	o.max_steps = 50;
	ck_assert_int_eq(ib_search(store, &o, &r, &err), IB_ECOST);
	ck_assert_str_eq(err.msg, "query is too costly (over 50 steps); use fewer or rarer words");
	ck_assert_ptr_null(r);
	o.query = NULL;
	ck_assert_int_eq(ib_search(store, &o, &r, &err), IB_ECOST);
	/* the same searches within the default budget */
	o.max_steps = 0;
	ck_assert_str_eq(ids(&o, NULL), "4,3,1,2,5");
	o.query = "hjemmeplejen";
	ck_assert_str_eq(ids(&o, NULL), "3,1");
}
END_TEST

/* No hits with the score order: nothing to sort (qsort of a NULL array was undefined
 * behaviour, caught by the sanitizer build). */
START_TEST(score_sort_without_hits)
{
	ib_search_opts o = {0};
	o.query = "zzzzqq";
	o.sort = IB_SORT_SCORE;
	size_t total = 9;
	ck_assert_str_eq(ids(&o, &total), "");
	ck_assert_uint_eq(total, 0);
}
END_TEST

START_TEST(hostile_queries)
{
	/* FTS5 syntax in user text is never an SQLite error */
	static const char *q[] = {"\"AND (", "NEAR(a b)", "title:x", "a OR", "*",      "^x",
				  "§ 82b",   "borger.dk", "\"\"\"",  "-",    "( ) ( )"};
	for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
		ib_search_opts o = {0};
		o.query = q[i];
		ib_result *r = NULL;
		ib_error err = {0};
		ck_assert_msg(ib_search(store, &o, &r, &err) == IB_OK, "'%s': %s", q[i], err.msg);
		ib_result_free(r);
	}
	ib_search_opts o = {0};
	o.query = "\xC3\x28";
	ib_result *r = NULL;
	ib_error err = {0};
	ck_assert_int_eq(ib_search(store, &o, &r, &err), IB_EARG);
	ck_assert_str_eq(err.msg, "query is not valid UTF-8");
	ck_assert_int_eq(err.detail, IB_Q_NOT_UTF8);
	ck_assert_ptr_null(r);
	/* each refusal names its reason for a caller that words it in Danish */
	static const struct {
		const char *q;
		int detail;
	} refused[] = {{"-skole -ældre", IB_Q_ONLY_EXCLUDED},
		       {"a b c d e f g h i j k l m n o p q r s t u v w x y z aa bb cc dd ee ff gg",
			IB_Q_TOO_MANY_WORDS}};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		o.query = refused[i].q;
		ck_assert_int_eq(ib_search(store, &o, &r, &err), IB_EARG);
		ck_assert_int_eq(err.detail, refused[i].detail);
	}
	char long_q[1102];
	memset(long_q, 'a', sizeof long_q - 1);
	long_q[sizeof long_q - 1] = '\0';
	o.query = long_q;
	ck_assert_int_eq(ib_search(store, &o, &r, &err), IB_EARG);
	ck_assert_int_eq(err.detail, IB_Q_TOO_LONG);
	/* a later error of another kind clears the detail */
	ib_error_set(&err, IB_EDB, "x");
	ck_assert_int_eq(err.detail, 0);
}
END_TEST

/* The evidence factor counts only real inconsistencies: notes on data quality
 * (columns_assumed, placeholder) leave it alone, each inconsistency takes 0,25. */
START_TEST(evidence_counts_inconsistencies_only)
{
	const char *feed = tu_write_file(
	    "evidence.jsonl",
	    "{\"kommunekode\":\"329\",\"budget_year\":2021,\"title\":\"Noter om data\","
	    "\"adopted\":\"yes\",\"source\":\"e.txt\",\"flags\":["
	    "{\"code\":\"columns_assumed\",\"message\":\"a\"},"
	    "{\"code\":\"placeholder\",\"message\":\"b\"},"
	    "{\"code\":\"incomplete_row\",\"message\":\"c\"}]}\n"
	    "{\"kommunekode\":\"329\",\"budget_year\":2021,\"title\":\"Modstrid i tal\","
	    "\"adopted\":\"yes\",\"source\":\"e.txt\",\"flags\":["
	    "{\"code\":\"net_sign_reversed\",\"message\":\"a\"},"
	    "{\"code\":\"columns_assumed\",\"message\":\"b\"},"
	    "{\"code\":\"overview_mismatch\",\"message\":\"c\"}]}\n");
	ib_store *s = tu_store_with("evidence.db", MINI("kommuner.csv"), feed, NULL);
	ib_search_opts o = {.sort = IB_SORT_SCORE};
	ib_result *r = NULL;
	ib_error err = {0};
	ck_assert_msg(ib_search(s, &o, &r, &err) == IB_OK, "%s", err.msg);
	ck_assert_uint_eq(r->n, 2);
	ck_assert_str_eq(r->hits[0].title, "Noter om data");
	ck_assert_int_eq(r->hits[0].n_flags, 0);
	ck_assert_double_eq(r->hits[0].score.evidence, 1);
	ck_assert_str_eq(r->hits[1].title, "Modstrid i tal");
	ck_assert_int_eq(r->hits[1].n_flags, 2);
	ck_assert_double_eq(r->hits[1].score.evidence, 0.5);
	ib_result_free(r);
	ck_assert(ib_flag_is_inconsistency("parts_mismatch"));
	ck_assert(!ib_flag_is_inconsistency("columns_assumed"));
	ck_assert_int_eq(ib_store_check(s, &err), IB_OK);
	ib_store_close(s);
}
END_TEST

int main(void)
{
	return tu_run_tests("search", 0, setup, teardown,
			    TU_TESTS(sort_orders, cost_budget, score_sort_without_hits, filters,
				     population_and_effect_ranges, source_and_title_map,
				     per_inhabitant_and_population_year, facets, text_query,
				     hostile_queries, evidence_counts_inconsistencies_only));
}
