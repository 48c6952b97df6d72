/* check_room.c - the overview across areas (ib_room, `ideabank room`) on the project's
 * Statistics Denmark figures (data/: REGK31 2016-2024, FOLK1A/FOLK1AM).  Every line
 * must be what ib_peers() and `peers --json` give for that area, function and year;
 * some numbers are checked by hand against the REGK31 files (awk one-liners in the
 * comments); population by age comes from the test StatBank (tests/support/
 * fakeserver.c, whose ages are made up: fs_age_count) in StatBank's CSV format. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "fakeserver.h"
#include "ideabank.h"
#include "testutil.h"

static ib_store *s;
static char db_path[256];

static char base_dir[64], base_path[128];

/* The sample database, made once (the unchecked fixture: in the runner's process). */
static void make_base(void)
{
	static const char *const files[] = {
	    "data/kommuner.csv",    "data/folketal.csv",    "data/regk31_2016.csv",
	    "data/regk31_2017.csv", "data/regk31_2018.csv", "data/regk31_2019.csv",
	    "data/regk31_2020.csv", "data/regk31_2021.csv", "data/regk31_2022.csv",
	    "data/regk31_2023.csv", "data/regk31_2024.csv", "data/proposals.jsonl"};
	/* a folder of its own: testutil's is removed by the first test process to exit */
	snprintf(base_dir, sizeof base_dir, "/tmp/ideabank-room-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(base_dir));
	snprintf(base_path, sizeof base_path, "%s/base.db", base_dir);
	ib_store *b = NULL;
	ib_error err = {0};
	ck_assert_msg(ib_store_open(base_path, &b, &err) == IB_OK, "%s", err.msg);
	ck_assert_msg(ib_import_files(b, files, sizeof files / sizeof files[0], NULL, &err) ==
			  IB_OK,
		      "%s", err.msg);
	ib_store_close(b);
}

static void remove_base(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", base_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", base_dir);
}

/* Each test on a copy of its own. */
static void setup(void)
{
	/* (tests run in processes of their own, all forked from the one that made the
	   base: the process id keeps their copies apart) */
	snprintf(db_path, sizeof db_path, "%s.%ld.db", base_path, (long)getpid());
	FILE *in = fopen(base_path, "rb"), *out = fopen(db_path, "wb");
	ck_assert(in && out);
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, in)) > 0)
		ck_assert_uint_eq(fwrite(chunk, 1, n, out), n);
	fclose(in);
	ck_assert_int_eq(fclose(out), 0);
	ib_error err = {0};
	ck_assert_msg(ib_store_open(db_path, &s, &err) == IB_OK, "%s", err.msg);
}

static void teardown(void)
{
	ib_store_close(s);
}

static ib_room_report *room(const ib_room_opts *o)
{
	ib_room_report *r = NULL;
	ib_error err = {0};
	ck_assert_msg(ib_room(s, o, &r, &err) == IB_OK, "%s", err.msg);
	return r;
}

static const ib_room_line *line_of(const ib_room_report *r, const char *name)
{
	for (size_t i = 0; i < r->n_lines; i++)
		if (!strcmp(r->lines[i].name, name) || !strcmp(r->lines[i].code, name))
			return &r->lines[i];
	ck_abort_msg("no line '%s'", name);
	return NULL;
}

static const ib_room_cell *cell_of(const ib_room_report *r, const ib_room_line *l, int year)
{
	for (size_t i = 0; i < r->n_years; i++)
		if (l->cells[i].year == year)
			return &l->cells[i];
	ck_abort_msg("no year %d", year);
	return NULL;
}

/* Two comparisons are the same: every figure, every peer, every word. */
static void same_set(const ib_peer_set *a, const ib_peer_set *b, const char *what)
{
	ck_assert_msg(a && b, "%s: missing", what);
	ck_assert_str_eq(a->what, b->what);
	ck_assert_str_eq(a->source, b->source);
	ck_assert_str_eq(a->method, b->method);
	ck_assert_str_eq(a->note, b->note);
	ck_assert_str_eq(a->ties, b->ties);
	ck_assert_str_eq(a->indicators, b->indicators);
	ck_assert_ptr_eq(a->area, b->area);
	ck_assert_int_eq(a->year, b->year);
	ck_assert_msg(a->own_kr == b->own_kr, "%s: own %g != %g", what, a->own_kr, b->own_kr);
	ck_assert_int_eq(a->own_rank, b->own_rank);
	ck_assert_int_eq(a->n_ranked, b->n_ranked);
	ck_assert_int_eq(a->inhabitants, b->inhabitants);
	ck_assert_int_eq(a->population_year, b->population_year);
	ck_assert_msg(a->benchmark == b->benchmark ||
			  (ib_is_na(a->benchmark) && ib_is_na(b->benchmark)),
		      "%s: benchmark %.17g != %.17g", what, a->benchmark, b->benchmark);
	ck_assert_msg(a->mulighedsrum_kr == b->mulighedsrum_kr ||
			  (ib_is_na(a->mulighedsrum_kr) && ib_is_na(b->mulighedsrum_kr)),
		      "%s: mulighedsrum %.17g != %.17g", what, a->mulighedsrum_kr,
		      b->mulighedsrum_kr);
	ck_assert_uint_eq(a->n_peers, b->n_peers);
	for (size_t i = 0; i < a->n_peers; i++) {
		ck_assert_int_eq(a->peers[i].code, b->peers[i].code);
		ck_assert_int_eq(a->peers[i].rank, b->peers[i].rank);
		ck_assert(a->peers[i].kr == b->peers[i].kr);
		ck_assert(a->peers[i].distance == b->peers[i].distance);
	}
	ck_assert_uint_eq(a->n_all, b->n_all);
}

static ib_peer_set *peers_of(ib_peer_opts o, const char *area, const char *function, int year)
{
	o.area = area;
	o.function = function;
	o.year = year;
	ib_peer_set *p = NULL;
	ib_error err = {0};
	ck_assert_msg(ib_peers(s, &o, &p, &err) == IB_OK, "%s", err.msg);
	return p;
}

/* Every line and every function under it, for every peer method and benchmark, is the
 * comparison ib_peers() makes; so is every year of the movement (first two cases). */
static const struct {
	const char *kommune;
	ib_peer_opts o;
} cases[] = {
    {"Ringsted", {.method = IB_PEER_GROUP}},
    {"Ringsted", {.method = IB_PEER_LOWER, .lower_n = 5, .benchmark = IB_BENCH_MEDIAN}},
    {"København", {.method = IB_PEER_NEAREST, .k = 7}},
    {"Ringsted", {.method = IB_PEER_NEAREST, .w_size = 1, .w_group = 2}},
    {"Greve", {.method = IB_PEER_LIST, .list = "Køge, Solrød,Roskilde"}},
    {"Læsø", {.method = IB_PEER_GROUP, .benchmark = IB_BENCH_LOWER_QUARTILE}},
    {"101", {.method = IB_PEER_LOWER, .lower_n = 3}},
};

START_TEST(lines_are_peers)
{
	ib_room_opts o = {.peer = cases[_i].o};
	o.peer.kommune = cases[_i].kommune;
	ib_room_report *r = room(&o);
	ck_assert_int_eq(r->year, 2024);
	ck_assert_uint_eq(r->n_lines, 9); /* KL's nine areas, all held */
	ck_assert_uint_eq(r->n_years, 9);
	double total = 0;
	for (size_t i = 0; i < r->n_lines; i++) {
		const ib_room_line *l = &r->lines[i];
		ck_assert_ptr_eq(l->main, l->per_inhabitant);
		ib_peer_set *p = peers_of(o.peer, l->area, NULL, 0);
		same_set(l->per_inhabitant, p, l->name);
		ib_peer_set_free(p);
		for (size_t k = 0; k < l->n_parts; k++) {
			p = peers_of(o.peer, NULL, l->parts[k].code, 0);
			same_set(l->parts[k].per_inhabitant, p, l->parts[k].code);
			ck_assert_ptr_eq(l->parts[k].area, l->area);
			ib_peer_set_free(p);
		}
		/* every year for the first two cases (ib_peers per year is slow) */
		for (size_t y = 0; _i < 2 && y < r->n_years; y++) {
			const ib_room_cell *c = &l->cells[y];
			ib_peer_opts po = o.peer;
			po.area = l->area;
			po.year = c->year;
			p = NULL;
			ib_error err = {0};
			int rc = ib_peers(s, &po, &p, &err);
			ck_assert_int_eq(c->ok, rc == IB_OK && !ib_is_na(p->benchmark));
			if (c->ok) {
				ck_assert(c->own == p->own_kr);
				ck_assert(c->benchmark == p->benchmark);
				ck_assert_int_eq(c->rank, p->own_rank);
				ck_assert_int_eq(c->n_ranked, p->n_ranked);
				ck_assert(c->mulighedsrum_kr == p->mulighedsrum_kr);
				ck_assert_double_eq_tol(c->index, p->own_kr / p->benchmark * 100,
							1e-9);
			}
			ib_peer_set_free(p);
		}
		/* sorted by mulighedsrum, largest first, those without one (no peer
		   cheaper) last */
		double v = l->main->mulighedsrum_kr;
		if (i && !ib_is_na(v))
			ck_assert(r->lines[i - 1].main->mulighedsrum_kr >= v);
		if (i && ib_is_na(r->lines[i - 1].main->mulighedsrum_kr))
			ck_assert(ib_is_na(v));
		if (v > 0)
			total += v;
	}
	ck_assert_double_eq_tol(r->total_positive_kr, total, 1e-6);
	ib_room_free(r);
}
END_TEST

/* By hand, group method, mean, 2024 (data/regk31_2024.csv, data/kommuner.csv,
 * data/folketal.csv):
 *   awk -F';' -v k=329 -v f='5.25.14' 'FNR==1{next} FILENAME~/kommuner/{g[$1]=$4;next}
 *     FILENAME~/folketal/{if($2==2024)p[$1]=$3;next} $3~("^(" f ")$"){kr[$1]+=$5}
 *     END{for(c in kr) if(g[c]==g[k]&&c!=k){s+=kr[c];n++}
 *     print kr[k], n, s, p[k], (kr[k]-s/n)*p[k]}'
 *     data/kommuner.csv data/folketal.csv data/regk31_2024.csv
 * and the rank: awk -F';' -v k=329 -v f='5.25.14' 'FNR==1{next} $3~("^(" f ")$")
 *     {kr[$1]+=$5} END{r=1; for(c in kr) if(kr[c]<kr[k]||(kr[c]==kr[k]&&c+0<k+0)) r++;
 *     print r}' data/regk31_2024.csv
 * Ringsted (329, Oplandskommuner, 36.356 inhabitants):
 *   Daginstitutioner (5.25.14): own 3.968, 23 peers sum 74.256, rank 67;
 *     mulighedsrum (3.968 - 74.256/23) x 36.356 = 26.884.472 kr. (18,6 %)
 *   Kultur og fritid (f='0.32.31|3.32.50'): own 443 + 457 = 900, peers sum 15.590,
 *     rank 58; (900 - 15.590/23) x 36.356 = 8.077.355 kr.
 * København (101, Hovedstadskommuner, 659.350 inhabitants):
 *   Daginstitutioner: own 4.954, 23 peers sum 109.280, rank 87;
 *     (4.954 - 109.280/23) x 659.350 = 133.647.378 kr.
 *   Kultur og fritid: own 493, peers sum 27.532, rank 14;
 *     (493 - 27.532/23) x 659.350 = -464.211.067 kr. (already below: -142,8 %)
 * Movement, Ringsted Kultur og fritid (the same one-liner on regk31_2016.csv and
 * regk31_2020.csv): 2016 own 872, peers' mean 13.714/23, index 146,2, rank 71; 2020 own
 * 917, peers' mean 14.017/23, index 150,5, rank 68. */
START_TEST(numbers_by_hand)
{
	ib_room_opts o = {.peer = {.kommune = "Ringsted"}};
	ib_room_report *r = room(&o);
	const ib_room_line *d = line_of(r, "Daginstitutioner");
	ck_assert_double_eq(d->main->own_kr, 3968);
	ck_assert_uint_eq(d->main->n_peers, 23);
	ck_assert_double_eq_tol(d->main->benchmark, 74256.0 / 23, 1e-9);
	ck_assert_int_eq(d->main->own_rank, 67);
	ck_assert_int_eq(d->main->inhabitants, 36356);
	ck_assert_int_eq(llround(d->main->mulighedsrum_kr), 26884472);
	ck_assert_int_eq(llround(d->main->mulighedsrum_share * 1000), 186);
	ck_assert_uint_eq(d->n_parts, 1);
	ck_assert_str_eq(d->parts[0].code, "5.25.14");
	const ib_room_line *k = line_of(r, "Kultur og fritid");
	ck_assert_uint_eq(k->n_codes, 2);
	ck_assert_str_eq(k->codes[0], "0.32.31");
	ck_assert_str_eq(k->codes[1], "3.32.50");
	ck_assert_double_eq(k->main->own_kr, 900);
	ck_assert_double_eq_tol(k->main->benchmark, 15590.0 / 23, 1e-9);
	ck_assert_int_eq(k->main->own_rank, 58);
	ck_assert_int_eq(llround(k->main->mulighedsrum_kr), 8077355);
	ck_assert_double_eq(k->parts[0].main->own_kr, 443);
	ck_assert_double_eq(k->parts[1].main->own_kr, 457);
	const ib_room_cell *c = cell_of(r, k, 2016);
	ck_assert(c->ok);
	ck_assert_double_eq(c->own, 872);
	ck_assert_double_eq_tol(c->benchmark, 13714.0 / 23, 1e-9);
	ck_assert_int_eq(llround(c->index * 10), 1462);
	ck_assert_int_eq(c->rank, 71);
	c = cell_of(r, k, 2020);
	ck_assert_double_eq(c->own, 917);
	ck_assert_double_eq_tol(c->benchmark, 14017.0 / 23, 1e-9);
	ck_assert_int_eq(llround(c->index * 10), 1505);
	ck_assert_int_eq(c->rank, 68);
	ib_room_free(r);

	o.peer.kommune = "København";
	r = room(&o);
	d = line_of(r, "Daginstitutioner");
	ck_assert_double_eq(d->main->own_kr, 4954);
	ck_assert_double_eq_tol(d->main->benchmark, 109280.0 / 23, 1e-9);
	ck_assert_int_eq(d->main->own_rank, 87);
	ck_assert_int_eq(d->main->inhabitants, 659350);
	ck_assert_int_eq(llround(d->main->mulighedsrum_kr), 133647378);
	k = line_of(r, "Kultur og fritid");
	ck_assert_double_eq(k->main->own_kr, 493);
	ck_assert_double_eq_tol(k->main->benchmark, 27532.0 / 23, 1e-9);
	ck_assert_int_eq(k->main->own_rank, 14);
	ck_assert_int_eq(llround(k->main->mulighedsrum_kr), -464211067);
	ck_assert_int_eq(llround(k->main->mulighedsrum_share * 1000), -1428);
	/* a negative room is no part of the total, and sorts below every positive one */
	ck_assert(r->lines[r->n_lines - 1].main->mulighedsrum_kr <= k->main->mulighedsrum_kr ||
		  k == &r->lines[r->n_lines - 1]);
	ib_room_free(r);
}
END_TEST

/* 2016 and 2017 have no figures for the elderly-care functions (data/: left out, not
 * 0): Ældre og sundhed is a gap there, never a zero; its other years are there. */
START_TEST(years_without_figures_are_gaps)
{
	ib_room_opts o = {.peer = {.kommune = "Ringsted"}};
	ib_room_report *r = room(&o);
	const ib_room_line *e = line_of(r, "Ældre og sundhed");
	ck_assert_int_eq(r->years[0], 2016);
	ck_assert_int_eq(r->years[8], 2024);
	ck_assert(!cell_of(r, e, 2016)->ok);
	ck_assert(!cell_of(r, e, 2017)->ok);
	ck_assert(ib_is_na(cell_of(r, e, 2016)->own));
	for (int y = 2018; y <= 2024; y++)
		ck_assert_msg(cell_of(r, e, y)->ok, "%d", y);
	/* every other area has every year */
	for (size_t i = 0; i < r->n_lines; i++)
		for (size_t y = 0; r->lines[i].area != e->area && y < r->n_years; y++)
			ck_assert(r->lines[i].cells[y].ok);
	ib_room_free(r);
	/* a report for 2017: the area has no figures that year and sorts last */
	o.peer.year = 2017;
	r = room(&o);
	ck_assert_ptr_null(r->lines[r->n_lines - 1].main);
	ck_assert_str_eq(r->lines[r->n_lines - 1].name, "Ældre og sundhed");
	ib_room_free(r);
	/* a year the database has no figures for */
	o.peer.year = 2015;
	ib_room_report *none = NULL;
	ib_error err = {0};
	ck_assert_int_eq(ib_room(s, &o, &none, &err), IB_ENOTFOUND);
	ck_assert_str_eq(err.msg, "no REGK31 figures in 2015; years with figures: 2016, 2017, "
				  "2018, 2019, 2020, 2021, 2022, 2023, 2024");
	ck_assert_ptr_null(none);
}
END_TEST

/* --functions: every function held is a line, each ib_peers(function) */
START_TEST(every_function)
{
	ib_room_opts o = {.peer = {.kommune = "Ringsted", .method = IB_PEER_LOWER}, .functions = 1};
	ib_room_report *r = room(&o);
	ck_assert_uint_eq(r->n_lines, 25);
	for (size_t i = 0; i < r->n_lines; i++) {
		const ib_room_line *l = &r->lines[i];
		ib_peer_set *p = peers_of(o.peer, NULL, l->code, 0);
		same_set(l->main, p, l->code);
		ck_assert_ptr_eq(l->area, ib_function_area(l->code));
		ck_assert_uint_eq(l->n_parts, 0);
		ib_peer_set_free(p);
	}
	const ib_room_line *f = line_of(r, "5.38.45");
	ck_assert_str_eq(f->name, "Behandling af personer med stofmisbrug");
	ck_assert_str_eq(f->area, "Udsatte voksne og borgere med handicap");
	ck_assert(strstr(f->reason, "hovedfunktion 5.38") != NULL);
	ib_room_free(r);
}
END_TEST

/* The area map: the longest code decides, "-" is no area, every line parses. */
START_TEST(area_map_is_data)
{
	ck_assert_str_eq(ib_function_area("5.38.45"), "Udsatte voksne og borgere med handicap");
	ck_assert_str_eq(ib_function_area("5.38.50"), "Udsatte voksne og borgere med handicap");
	ck_assert_str_eq(ib_function_area("5.25.14"), "Daginstitutioner");
	ck_assert_str_eq(ib_function_area("5.25.17"), "Udsatte børn");
	ck_assert_str_eq(ib_function_area("4.62.81"), "Ældre og sundhed");
	ck_assert_str_eq(ib_function_area("2.22.01"), "Teknik og miljø");
	ck_assert_ptr_null(ib_function_area("5.22.07"));
	ck_assert_ptr_null(ib_function_area("7.22.05"));
	ck_assert_ptr_null(ib_function_area("9.99.99"));
	ck_assert_ptr_null(ib_function_area("5.251.4")); /* not a group of 5.25 */
	ib_target_group *g = NULL;
	size_t n = 0;
	ib_error err = {0};
	ck_assert_int_eq(ib_target_groups(&g, &n, &err), IB_OK);
	ck_assert_uint_eq(n, 6);
	ck_assert_str_eq(g[0].area, "Daginstitutioner");
	ck_assert_str_eq(g[0].name, "0-5 år");
	ck_assert_int_eq(g[0].age_from, 0);
	ck_assert_int_eq(g[0].age_to, 5);
	ck_assert_str_eq(g[3].name, "65+ år");
	ck_assert_int_eq(g[3].age_to, 999);
	free(g);
}
END_TEST

/* Ideas under the areas with room, best score first, projected onto Ringsted's latest
 * population (36.010, FOLK1AM 2026M01); an area with room and no ideas has an empty
 * list; an area without room none. */
START_TEST(ideas_in_areas_with_room)
{
	ib_room_opts o = {.peer = {.kommune = "Ringsted"}, .n_ideas = 3};
	ib_room_report *r = room(&o);
	ck_assert_int_eq(r->projection_inhabitants, 36010);
	ck_assert_int_eq(r->projection_year, 2026);
	const ib_room_line *u = line_of(r, "Udsatte voksne og borgere med handicap");
	ck_assert_ptr_nonnull(u->ideas);
	ck_assert_uint_eq(u->ideas->total, 7);
	ck_assert_uint_eq(u->ideas->n, 3);
	for (size_t i = 1; i < u->ideas->n; i++)
		ck_assert(u->ideas->hits[i - 1].score.total >= u->ideas->hits[i].score.total);
	ib_search_opts so = {.area = u->area, .sort = IB_SORT_SCORE, .limit = 3};
	ib_result *res = NULL;
	ib_error err = {0};
	ck_assert_int_eq(ib_search(s, &so, &res, &err), IB_OK);
	for (size_t i = 0; i < 3; i++)
		ck_assert_int_eq(u->ideas->hits[i].id, res->hits[i].id);
	ib_result_free(res);
	const ib_room_line *d = line_of(r, "Daginstitutioner");
	ck_assert_ptr_nonnull(d->ideas);
	ck_assert_uint_eq(d->ideas->n, 0);
	ck_assert_ptr_null(line_of(r, "Ældre og sundhed")->ideas); /* below the benchmark */
	ib_room_free(r);
}
END_TEST

START_TEST(errors)
{
	ib_room_report *r = NULL;
	ib_error err = {0};
	ib_room_opts o = {.peer = {.kommune = "Ringstedt"}};
	ck_assert_int_eq(ib_room(s, &o, &r, &err), IB_ENOTFOUND);
	ck_assert_str_eq(
	    err.msg,
	    "unknown municipality 'Ringstedt'; did you mean Ringsted, Thisted or Næstved?");
	o.peer.kommune = "Ringsted";
	o.target_group = "90+ år";
	ck_assert_int_eq(ib_room(s, &o, &r, &err), IB_ENOTFOUND);
	ck_assert_str_eq(err.msg, "unknown target group '90+ år' (data/target_groups.csv has 0-5 "
				  "år, 6-16 år, 0-17 år, 65+ år, 80+ år, 16-64 år)");
	o.target_group = NULL;
	o.peer.method = IB_PEER_LIST;
	o.peer.list = "Ringsted";
	ck_assert_int_eq(ib_room(s, &o, &r, &err), IB_EARG);
	ck_assert_str_eq(err.msg, "list: names no municipality but Ringsted");
	ck_assert_ptr_null(r);
}
END_TEST

/* ---- per person of the target group: population by age from the test StatBank ---- */

/* Fetch FOLK1A by age for 2024 from the test server, in StatBank's CSV format. */
static void fetch_ages(fs_server *srv, const char *years)
{
	char cfg[1024];
	snprintf(cfg, sizeof cfg,
		 "{\"statbank\": {\"url\": \"http://127.0.0.1:%d/v1\", \"format\": \"CSV\"},"
		 " \"sources\": [{\"name\": \"aldersfordeling\", \"statbank\": \"FOLK1A\","
		 " \"use\": \"population_age\", \"select\": {\"OMRÅDE\": \"*\", \"ALDER\": \"*\","
		 " \"Tid\": \"%s\"}}]}",
		 fs_port(srv), years);
	ib_fetch_opts fo;
	ib_fetch_opts_default(&fo);
	fo.config = cfg;
	fo.config_name = "test.json";
	fo.http.timeout_ms = 5000;
	ib_fetch_report rep;
	ib_error err = {0};
	ck_assert_msg(ib_fetch_run(s, &fo, &rep, &err) == IB_OK, "%s", err.msg);
	ib_fetch_report_free(&rep);
}

static long persons(int code, int from, int to)
{
	long n = 0;
	for (int a = from; a <= to && a <= 125; a++)
		n += fs_age_count(code, a);
	return n;
}

/* kr. per person of the group = kr. per inhabitant x persons of every age / persons in
 * the group; the peers', benchmark and mulighedsrum follow from it, scaled by the
 * persons in the group. */
START_TEST(per_target_group)
{
	fs_server *srv = fs_start(tu_shared(""));
	ck_assert_ptr_nonnull(srv);
	fetch_ages(srv, "2024");
	fs_stop(srv);
	ck_assert_int_eq(tu_count(s, "population_by_age"), 98 * 126);
	ck_assert_str_eq(tu_text(s, "SELECT inhabitants FROM population_by_age WHERE"
				    " kommunekode = 329 AND year = 2024 AND age = 3"),
			 "150"); /* fs_age_count(329, 3) = 100 + (329 x 31 + 3 x 17) % 200 */
	ib_room_opts o = {.peer = {.kommune = "Ringsted"}};
	ib_room_report *r = room(&o);
	ck_assert_str_eq(r->age_source, "Danmarks Statistik, FOLK1A efter alder, 2024-2024");
	const ib_room_line *d = line_of(r, "Daginstitutioner");
	ck_assert_ptr_eq(d->main, d->per_inhabitant); /* the measure is per inhabitant */
	ck_assert_ptr_nonnull(d->per_target);
	ck_assert_str_eq(d->group->name, "0-5 år");
	ck_assert_int_eq(d->age_year, 2024);
	/* the same comparison with each municipality's figure per 0-5-year-old */
	const ib_peer_set *pi = d->per_inhabitant, *pt = d->per_target;
	double own = 3968.0 * (double)persons(329, 0, 125) / (double)persons(329, 0, 5);
	ck_assert_double_eq_tol(pt->own_kr, own, 1e-9);
	ck_assert_int_eq(pt->inhabitants, persons(329, 0, 5));
	ck_assert_int_eq(pt->population_year, 2024);
	ck_assert_uint_eq(pt->n_peers, pi->n_peers);
	double sum = 0;
	for (size_t i = 0; i < pi->n_peers; i++) {
		int c = pi->peers[i].code;
		sum += pi->peers[i].kr * (double)persons(c, 0, 125) / (double)persons(c, 0, 5);
	}
	double bench = sum / (double)pi->n_peers;
	ck_assert_double_eq_tol(pt->benchmark, bench, 1e-6);
	ck_assert_double_eq_tol(pt->mulighedsrum_kr, (own - bench) * (double)persons(329, 0, 5),
				1e-3);
	int rank = 1;
	for (size_t i = 0; i < pi->n_all; i++) {
		int c = pi->all[i].code;
		double v = pi->all[i].kr * (double)persons(c, 0, 125) / (double)persons(c, 0, 5);
		rank += c != 329 && (v < own || (v == own && c < 329));
	}
	ck_assert_int_eq(pt->own_rank, rank);
	ck_assert_str_eq(pt->source, "Danmarks Statistik, REGK31 2024, nettodriftsudgifter, kr. "
				     "pr. person 0-5 år (FOLK1A 2024)");
	/* an area without a target group has none */
	ck_assert_ptr_null(line_of(r, "Administration")->per_target);
	ib_room_free(r);

	/* selected as the measure: the lines, their order and the movement follow it; years
	   without population by age (only 2024 is held) are gaps; Ældre og sundhed per
	   80+ år when that group is asked for */
	o.measure = IB_ROOM_PER_TARGET;
	o.target_group = "80+ år";
	r = room(&o);
	d = line_of(r, "Daginstitutioner");
	ck_assert(d->uses_target);
	ck_assert_ptr_eq(d->main, d->per_target);
	ck_assert_double_eq_tol(d->main->own_kr, own, 1e-9);
	ck_assert(cell_of(r, d, 2024)->ok);
	ck_assert(!cell_of(r, d, 2023)->ok);
	ck_assert_double_eq_tol(d->parts[0].main->own_kr, own, 1e-9);
	const ib_room_line *e = line_of(r, "Ældre og sundhed");
	ck_assert_str_eq(e->group->name, "80+ år");
	ck_assert_double_eq_tol(
	    e->main->own_kr, 12204.0 * (double)persons(329, 0, 125) / (double)persons(329, 80, 125),
	    1e-9);
	const ib_room_line *a = line_of(r, "Administration");
	ck_assert(!a->uses_target);
	ck_assert_ptr_eq(a->main, a->per_inhabitant);
	ck_assert(cell_of(r, a, 2023)->ok);
	for (size_t i = 1; i < r->n_lines; i++)
		ck_assert(r->lines[i - 1].main->mulighedsrum_kr >=
			  r->lines[i].main->mulighedsrum_kr);
	ib_room_free(r);
}
END_TEST

/* ---- the tool: `room --json` against `peers --json` ------------------------------ */

static char *run_tool(const char *args)
{
	char words[1024];
	snprintf(words, sizeof words, "%s 2>/dev/null", args); /* stdout only: the JSON */
	int code = 0;
	char *out = strdup(tu_run_tool(NULL, db_path, words, &code));
	ck_assert_msg(code == 0, "exit %d: %s", code, out);
	return out;
}

/* Each line's per_inhabitant is the document `peers KOMMUNE --area AREA --json` prints
 * with the same options, whole; each function under it is `peers --function`'s figures. */
START_TEST(tool_json_equals_peers_json)
{
	static const char *const opts[] = {"", "--method lower:5 --benchmark median",
					   "--method nearest --k 5"};
	for (size_t k = 0; k < sizeof opts / sizeof opts[0]; k++) {
		char args[512];
		snprintf(args, sizeof args, "room Ringsted --ideas 0 --json %s", opts[k]);
		char *z = run_tool(args);
		cJSON *room_doc = cJSON_Parse(z);
		free(z);
		ck_assert_ptr_nonnull(room_doc);
		const cJSON *lines = cJSON_GetObjectItem(room_doc, "lines"), *l;
		ck_assert_int_eq(cJSON_GetArraySize(lines), 9);
		cJSON_ArrayForEach(l, lines)
		{
			const char *area = cJSON_GetStringValue(cJSON_GetObjectItem(l, "area"));
			snprintf(args, sizeof args, "peers Ringsted --area '%s' --json %s", area,
				 opts[k]);
			z = run_tool(args);
			cJSON *peers_doc = cJSON_Parse(z);
			free(z);
			ck_assert_msg(
			    cJSON_Compare(cJSON_GetObjectItem(l, "per_inhabitant"), peers_doc, 1),
			    "%s %s: room's line differs from peers --json", area, opts[k]);
			/* the summary columns are the same numbers */
			ck_assert(cJSON_GetObjectItem(l, "mulighedsrum_kr")->valuedouble ==
				  cJSON_GetObjectItem(peers_doc, "mulighedsrum_kr")->valuedouble);
			ck_assert(
			    cJSON_GetObjectItem(l, "own")->valuedouble ==
			    cJSON_GetObjectItem(peers_doc, "own_kr_per_inhabitant")->valuedouble);
			cJSON_Delete(peers_doc);
			const cJSON *part;
			cJSON_ArrayForEach(part, cJSON_GetObjectItem(l, "parts"))
			{
				const char *f =
				    cJSON_GetStringValue(cJSON_GetObjectItem(part, "function"));
				snprintf(args, sizeof args,
					 "peers Ringsted --function %s --json %s", f, opts[k]);
				z = run_tool(args);
				peers_doc = cJSON_Parse(z);
				free(z);
				ck_assert(
				    cJSON_GetObjectItem(part, "mulighedsrum_kr")->valuedouble ==
				    cJSON_GetObjectItem(peers_doc, "mulighedsrum_kr")->valuedouble);
				ck_assert(
				    cJSON_GetObjectItem(part, "benchmark")->valuedouble ==
				    cJSON_GetObjectItem(peers_doc, "benchmark_kr_per_inhabitant")
					->valuedouble);
				cJSON_Delete(peers_doc);
			}
		}
		cJSON_Delete(room_doc);
	}
}
END_TEST

int main(void)
{
	const tu_tcase tc = {.timeout = 120,
			     .setup = setup,
			     .teardown = teardown,
			     .setup_once = make_base,
			     .teardown_once = remove_base,
			     .tests = TU_TESTS(lines_are_peers, numbers_by_hand,
					       years_without_figures_are_gaps, every_function,
					       area_map_is_data, ideas_in_areas_with_room, errors,
					       per_target_group, tool_json_equals_peers_json),
			     .loop = lines_are_peers,
			     .loop_end = (int)(sizeof cases / sizeof cases[0])};
	return tu_run("room", &tc, 1);
}
