/* check_peers.c - peer comparison and baskets on the project's Statistics Denmark
 * figures (data/: REGK31 2024, FOLK1A/FOLK1AM).  Expected values are computed by hand
 * from data/regk31_2024.csv and data/folketal.csv (awk one-liners in the comments). */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ideabank.h"
#include "testutil.h"

static ib_store *s;

static void setup(void)
{
	s = tu_store_with("peers.db", "data/kommuner.csv", "data/folketal.csv",
			  "data/regk31_2023.csv", "data/regk31_2024.csv", "data/proposals.jsonl",
			  NULL);
}

static void teardown(void)
{
	ib_store_close(s);
}

static ib_peer_set *peers(ib_peer_opts *o)
{
	ib_peer_set *p = NULL;
	ib_error err = {0};
	ck_assert_msg(ib_peers(s, o, &p, &err) == IB_OK, "%s", err.msg);
	return p;
}

/* Ringsted (329, Oplandskommuner), 3.22.01 Folkeskoler, 2024: own 5.564 kr.; the 22
 * other Oplandskommuner sum to 165.716 kr. (mean 7.205,04); 36.356 inhabitants
 * (FOLK1AM 2024M01): mulighedsrum (5.564 - 7.205,043478) x 36.356 = -59.661.777 kr. */
START_TEST(group_comparison)
{
	ib_peer_opts o = {.kommune = "Ringsted", .function = "3.22.01"};
	ib_peer_set *p = peers(&o);
	ck_assert_int_eq(p->year, 2024);
	ck_assert_double_eq(p->own_kr, 5564);
	ck_assert_uint_eq(p->n_peers, 23);
	ck_assert_double_eq_tol(p->benchmark, 165716.0 / 23, 1e-9);
	ck_assert_int_eq(p->inhabitants, 36356);
	ck_assert_int_eq(p->population_year, 2024);
	ck_assert_double_eq_tol(p->mulighedsrum_kr, (5564 - 165716.0 / 23) * 36356, 1e-6);
	ck_assert_int_eq((long)llround(p->mulighedsrum_kr), -59661777);
	ck_assert_double_eq_tol(p->mulighedsrum_share, (5564 - 165716.0 / 23) / 5564, 1e-12);
	/* rank among all 98: 4.778 4.862 4.996 5.125 5.542 5.564 -> 6th cheapest */
	ck_assert_int_eq(p->own_rank, 6);
	ck_assert_int_eq(p->n_ranked, 98);
	ck_assert_str_eq(p->what, "3.22.01 Folkeskoler");
	ck_assert_str_eq(p->area, "Skoler");
	/* peers sorted, lowest first: Nyborg 5.542 is the only cheaper Oplandskommune */
	ck_assert_str_eq(p->peers[0].name, "Nyborg");
	ck_assert_double_eq(p->peers[0].kr, 5542);
	ib_peer_set_free(p);
}
END_TEST

/* lower:5 from rank 6 is rank 1, Bornholm 4.778: (5.564 - 4.778) x 36.356 = 28.575.816 */
START_TEST(lower_n)
{
	ib_peer_opts o = {
	    .kommune = "329", .function = "3.22.01", .method = IB_PEER_LOWER, .lower_n = 5};
	ib_peer_set *p = peers(&o);
	ck_assert_uint_eq(p->n_peers, 1);
	ck_assert_str_eq(p->peers[0].name, "Bornholm");
	ck_assert_double_eq(p->benchmark, 4778);
	ck_assert_double_eq(p->mulighedsrum_kr, 786.0 * 36356);
	ck_assert_str_eq(p->note, "");
	ib_peer_set_free(p);
	/* lower:10 from rank 6 cannot go 10 places down: the cheapest, with a note */
	o.lower_n = 10;
	p = peers(&o);
	ck_assert_str_eq(p->peers[0].name, "Bornholm");
	ck_assert_str_eq(p->note, "Ringsted is number 6; fewer than 10 are cheaper, so the "
				  "cheapest is used");
	ib_peer_set_free(p);
}
END_TEST

/* list: Køge 7.208, Roskilde 7.718, Sorø 6.934; median 7.208; lowest quartile
 * 6.934 + 0,5 x (7.208 - 6.934) = 7.071 */
START_TEST(own_list)
{
	ib_peer_opts o = {.kommune = "Ringsted",
			  .function = "3.22.01",
			  .method = IB_PEER_LIST,
			  .list = "Køge, Roskilde,340,Ringsted",
			  .benchmark = IB_BENCH_MEDIAN};
	ib_peer_set *p = peers(&o);
	ck_assert_uint_eq(p->n_peers, 3); /* Ringsted itself is left out */
	ck_assert_double_eq(p->benchmark, 7208);
	ck_assert_double_eq(p->mulighedsrum_kr, -1644.0 * 36356);
	ib_peer_set_free(p);
	o.benchmark = IB_BENCH_LOWER_QUARTILE;
	p = peers(&o);
	ck_assert_double_eq(p->benchmark, 7071);
	ib_peer_set_free(p);
	o.benchmark = IB_BENCH_MEAN;
	p = peers(&o);
	ck_assert_double_eq_tol(p->benchmark, (7208 + 7718 + 6934) / 3.0, 1e-9);
	ib_peer_set_free(p);
}
END_TEST

/* nearest, size only (weights 1,0,0,0), k = 3: the three municipalities whose 2024
 * population is closest to Ringsted's 36.356 on a log scale: Brønderslev 36.614,
 * Tønder 36.651, Vesthimmerlands 36.012; their 3.22.01: 8.957, 6.041, 7.039. */
START_TEST(nearest_fixed_indicators)
{
	ib_peer_opts o = {.kommune = "Ringsted",
			  .function = "3.22.01",
			  .method = IB_PEER_NEAREST,
			  .k = 3,
			  .w_size = 1};
	ib_peer_set *p = peers(&o);
	ck_assert_uint_eq(p->n_peers, 3);
	ck_assert_str_eq(p->peers[0].name, "Tønder");
	ck_assert_str_eq(p->peers[1].name, "Vesthimmerlands");
	ck_assert_str_eq(p->peers[2].name, "Brønderslev");
	ck_assert_double_eq_tol(p->benchmark, (8957 + 6041 + 7039) / 3.0, 1e-9);
	ib_peer_set_free(p);
	/* k beyond the municipalities there are: a note, not an error */
	o.k = 97;
	o.w_size = 0;
	p = peers(&o);
	ck_assert_uint_eq(p->n_peers, 97);
	ib_peer_set_free(p);
}
END_TEST

/* --area sums the functions data/area_functions.csv maps: Skoler = 3.22.01 + 3.22.05 +
 * 3.22.08 + 3.22.10; for Ringsted 2024: 5.564 + 925 + 1.992 + 1.514 = 9.995 */
/* nearest with the default weights: the DST group as a category (0 same, 1 other) plus
 * z-scored log population 2024 and growth 2014-2024 (no age shares stored).  By hand:
 * awk -F';' 'FNR==1{f++;next} f==1{g[$1]=$4} f==2&&$2==2024{p[$1]=$3}
 *   f==2&&$2==2014{q[$1]=$3} END{for(c in p){x[c]=log(p[c]);y[c]=p[c]/q[c]-1;n++;
 *   sx+=x[c];sy+=y[c];qx+=x[c]^2;qy+=y[c]^2} mx=sx/n;my=sy/n;
 *   sdx=sqrt((qx-n*mx*mx)/(n-1));sdy=sqrt((qy-n*my*my)/(n-1));
 *   for(c in p) if(c!="101") print sqrt(((x[c]-x["101"])/sdx)^2+
 *   ((y[c]-y["101"])/sdy)^2+(g[c]!=g["101"])), c}' data/kommuner.csv data/folketal.csv
 *   | sort -n | head
 * gives Aarhus 1,299498, Aalborg 2,084484, Odense 2,314951, Vejle, Horsens, Silkeborg,
 * Roskilde, Høje-Taastrup, Skanderborg, Kolding 3,131468; then Holbæk 3,198663.  With
 * the group as a number (1-5) Viborg and Randers were among them. */
START_TEST(nearest_group_is_a_category)
{
	ib_peer_opts o = {.kommune = "København", .function = "3.22.01", .method = IB_PEER_NEAREST};
	ib_peer_set *p = peers(&o);
	ck_assert_uint_eq(p->n_peers, 10);
	ck_assert_str_eq(p->indicators, "kommunegruppe (samme 0, anden 1), indbyggertal (log), "
					"befolkningsudvikling 2014-2024");
	ck_assert_str_eq(p->method, "de 10 nærmeste på kommunegruppe (samme 0, anden 1), "
				    "indbyggertal (log), befolkningsudvikling 2014-2024");
	const char *want[] = {"Aalborg", "Aarhus",   "Horsens",	  "Høje-Taastrup", "Kolding",
			      "Odense",	 "Roskilde", "Silkeborg", "Skanderborg",   "Vejle"};
	for (size_t w = 0; w < 10; w++) {
		int found = 0;
		for (size_t i = 0; i < p->n_peers; i++)
			found |= !strcmp(p->peers[i].name, want[w]);
		ck_assert_msg(found, "%s is not among the ten nearest", want[w]);
	}
	for (size_t i = 0; i < p->n_peers; i++) {
		if (!strcmp(p->peers[i].name, "Aarhus"))
			ck_assert_double_eq_tol(p->peers[i].distance, 1.299498, 1e-6);
		if (!strcmp(p->peers[i].name, "Kolding"))
			ck_assert_double_eq_tol(p->peers[i].distance, 3.131468, 1e-6);
	}
	ib_peer_set_free(p);
	/* the group alone: every Hovedstadskommune is at 0, ties go to the lower code:
	   Frederiksberg 147, Ballerup 151, Brøndby 153 */
	o.w_group = 1;
	o.k = 3;
	p = peers(&o);
	ck_assert_str_eq(p->indicators, "kommunegruppe (samme 0, anden 1)");
	ck_assert_uint_eq(p->n_peers, 3);
	for (size_t i = 0; i < 3; i++)
		ck_assert_double_eq(p->peers[i].distance, 0);
	int codes = p->peers[0].code + p->peers[1].code + p->peers[2].code;
	ck_assert_int_eq(codes, 147 + 151 + 153);
	ib_peer_set_free(p);
}
END_TEST

/* lower:N with ties.  3.32.50 Folkebiblioteker 2024, sorted:
 * awk -F';' '$3=="3.32.50"{print $5, $1}' data/regk31_2024.csv | sort -n -k1 -k2 | head -12
 * places 8-10 are Greve 253, Kerteminde 440 and Hedensted 766, all 354 kr.; place 6 is
 * Brøndby 342; places 11-12 are Ikast-Brande 756 and Jammerbugt 849, both 363. */
START_TEST(lower_n_ties)
{
	ib_peer_opts o = {
	    .kommune = "Greve", .function = "3.32.50", .method = IB_PEER_LOWER, .lower_n = 2};
	ib_peer_set *p = peers(&o);
	ck_assert_int_eq(p->own_rank, 8);
	ck_assert_str_eq(p->peers[0].name, "Brøndby");
	ck_assert_double_eq(p->benchmark, 342);
	ck_assert_str_eq(p->ties, "Greve, Kerteminde og Hedensted har samme udgift, 354 kr. pr. "
				  "indbygger (plads 8-10); lige tal er ordnet efter kommunekode, "
				  "så Greve har plads 8.");
	ib_peer_set_free(p);
	/* Odder (13th, 368 kr.) two places lower lands on the tie of 363 */
	o.kommune = "Odder";
	p = peers(&o);
	ck_assert_str_eq(p->peers[0].name, "Ikast-Brande");
	ck_assert_str_eq(p->ties, "Ikast-Brande og Jammerbugt har samme udgift, 363 kr. pr. "
				  "indbygger (plads 11-12); lige tal er ordnet efter kommunekode, "
				  "så Ikast-Brande har plads 11.");
	ib_peer_set_free(p);
	/* no tie: nothing said */
	o.kommune = "Ringsted";
	o.function = "3.22.01";
	o.lower_n = 5;
	p = peers(&o);
	ck_assert_str_eq(p->ties, "");
	ib_peer_set_free(p);
}
END_TEST

START_TEST(area_sums_functions)
{
	ib_peer_opts o = {.kommune = "Ringsted", .area = "skoler"};
	ib_peer_set *p = peers(&o);
	ck_assert_str_eq(p->what, "Skoler (3.22.01, 3.22.05, 3.22.08, 3.22.10)");
	ck_assert_double_eq(p->own_kr, 9995);
	ib_peer_set_free(p);
	ck_assert_str_eq(ib_function_area("5.30.27"), "Ældre og sundhed");
	ck_assert_ptr_null(ib_function_area("9.99.99"));
}
END_TEST

START_TEST(errors)
{
	ib_peer_set *p = NULL;
	ib_error err = {0};
	ib_peer_opts o = {.kommune = "Ringstedt", .function = "3.22.01"};
	ck_assert_int_eq(ib_peers(s, &o, &p, &err), IB_ENOTFOUND);
	ck_assert_str_eq(
	    err.msg,
	    "unknown municipality 'Ringstedt'; did you mean Ringsted, Thisted or Næstved?");
	o.kommune = "Ringsted";
	o.function = "9.99.99";
	ck_assert_int_eq(ib_peers(s, &o, &p, &err), IB_ENOTFOUND);
	ck_assert_str_eq(err.msg, "unknown function '9.99.99': no REGK31 figures for it");
	o.function = "3.22.01'--";
	ck_assert_int_eq(ib_peers(s, &o, &p, &err), IB_EARG);
	o.function = "3.22.01";
	o.year = 2021;
	ck_assert_int_eq(ib_peers(s, &o, &p, &err), IB_ENOTFOUND);
	ck_assert_str_eq(err.msg,
			 "no REGK31 figures for 3.22.01 in 2021; years with figures: 2023, 2024");
	o.year = 0;
	o.function = NULL;
	o.area = "Ældre";
	ck_assert_int_eq(ib_peers(s, &o, &p, &err), IB_ENOTFOUND);
	o.area = NULL;
	o.function = "3.22.01";
	o.method = IB_PEER_LIST;
	o.list = "Ringsted";
	ck_assert_int_eq(ib_peers(s, &o, &p, &err), IB_EARG);
	ck_assert_ptr_null(p);
}
END_TEST

/* Basket totals, as Idébanken sums selected ideas */
START_TEST(basket)
{
	ib_error err = {0};
	int64_t ids[2];
	ck_assert_int_eq(ib_store_find_proposal(
			     s, 329, "Anvendelse af medicindispenseringsrobotter", &ids[0], &err),
			 IB_OK);
	ck_assert_int_eq(
	    ib_store_find_proposal(s, 101, "Softwarerobotter sparer arbejdskraft", &ids[1], &err),
	    IB_OK);
	ck_assert_int_eq(ib_basket_add(s, "robotter", ids[1], &err), IB_OK);
	ck_assert_int_eq(ib_basket_add(s, "robotter", ids[0], &err), IB_OK);
	ck_assert_int_eq(ib_basket_add(s, "robotter", ids[1], &err), IB_OK); /* again: no-op */
	ck_assert_int_eq(ib_basket_add(s, "robotter", 99999, &err), IB_ENOTFOUND);
	int64_t *in = NULL;
	size_t n = 0;
	ck_assert_int_eq(ib_basket_ids(s, "robotter", &in, &n, &err), IB_OK);
	ck_assert_uint_eq(n, 2);
	ck_assert(in[0] == ids[1] && in[1] == ids[0]); /* in the order added */
	free(in);
	ck_assert_int_eq(ib_basket_remove(s, "robotter", ids[1], &err), IB_OK);
	ck_assert_int_eq(ib_basket_remove(s, "robotter", ids[1], &err), IB_ENOTFOUND);
	long removed = 0;
	ck_assert_int_eq(ib_basket_clear(s, "robotter", &removed, &err), IB_OK);
	ck_assert_int_eq(removed, 1);
	ck_assert_int_eq(ib_basket_ids(s, "robotter", &in, &n, &err), IB_OK);
	ck_assert_uint_eq(n, 0);
	free(in);
}
END_TEST

/* --sort score: the documented formula, factor by factor */
START_TEST(score)
{
	ib_search_opts o = {.query = "robot", .sort = IB_SORT_SCORE};
	ib_result *r = NULL;
	ib_error err = {0};
	ck_assert_int_eq(ib_search(s, &o, &r, &err), IB_OK);
	ck_assert_uint_eq(r->n, 3);
	/* Softwarerobotter: 1.900.000 kr. / 659.350 (2024) = 2,8816 kr. per inhabitant;
	 * the best is Ringsted 240: 150.000 / 34.847 = 4,3045; payback 5,8 mio. / 1,9 mio.
	 * = 3,05 years -> 1 / 4,05; adopted with a follow-up -> evidence 1; newest year */
	const ib_hit *h = &r->hits[0];
	ck_assert_str_eq(h->title, "Softwarerobotter sparer arbejdskraft");
	ck_assert_double_eq_tol(h->score.effect, (1900000.0 / 659350) / (150000.0 / 34847), 1e-9);
	ck_assert_double_eq_tol(h->score.payback, 1 / (1 + 5800000.0 / 1900000), 1e-9);
	ck_assert_double_eq(h->score.evidence, 1);
	ck_assert_double_eq(h->score.recency, 1);
	ck_assert_double_eq_tol(h->score.total,
				0.35 * h->score.relevance + 0.30 * h->score.effect +
				    0.15 * h->score.payback + 0.15 + 0.05,
				1e-12);
	/* unknown effect is ranked, not hidden: Træning med robotteknologi is last */
	ck_assert_str_eq(r->hits[2].title, "Træning med robotteknologi");
	ck_assert_double_eq(r->hits[2].score.effect, 0);
	ib_result_free(r);
}
END_TEST

int main(void)
{
	return tu_run_tests("peers", 60, setup, teardown,
			    TU_TESTS(group_comparison, lower_n, own_list, nearest_fixed_indicators,
				     nearest_group_is_a_category, lower_n_ties, area_sums_functions,
				     errors, basket, score));
}
