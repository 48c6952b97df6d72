/* reports.c - the documents made of the records (records.h): `search --json` and
 * /api/search, `peers --json` and --csv and /api/peers, `room --json` and --csv and
 * /api/raaderum; the order of a comparison's rows and how its peers were chosen. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "records.h"

/* ---- search --json ---------------------------------------------------------------- */

/* A new JSON object naming municipality m: kommunekode ("329"), kommune. */
static cJSON *json_municipality(const ib_municipality *m)
{
	cJSON *o = cJSON_CreateObject();
	char code[8];
	snprintf(code, sizeof code, "%03d", m->code);
	cJSON_AddStringToObject(o, "kommunekode", code);
	cJSON_AddStringToObject(o, "kommune", m->name);
	return o;
}

static cJSON *facets_json(const ib_facet *f, size_t n)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; a && i < n; i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "value", f[i].value);
		cJSON_AddNumberToObject(o, "count", (double)f[i].n);
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

cJSON *cli_search_json(const ib_result *r, const char *query, int facets, const cli_projection *pj,
		       int with_score)
{
	cJSON *o = cJSON_CreateObject();
	if (query)
		cJSON_AddStringToObject(o, "query", query);
	else
		cJSON_AddNullToObject(o, "query");
	cJSON_AddNumberToObject(o, "total", (double)r->total);
	cJSON *arr = cJSON_AddArrayToObject(o, "results");
	cli_cols_ctx x = cli_line_ctx(pj, with_score, 0);
	for (size_t i = 0; i < r->n; i++) {
		cli_line l = cli_line_of_hit(&r->hits[i], pj);
		cJSON *h = cJSON_CreateObject();
		cli_cols_json(h, cli_line_cols, &l, &x);
		cJSON_AddItemToArray(arr, h);
	}
	if (pj) {
		cJSON *f = json_municipality(&pj->m);
		cJSON_AddItemToObject(o, "projected_for", f);
		cJSON_AddNumberToObject(f, "population", (double)pj->inhabitants);
		cJSON_AddNumberToObject(f, "population_year", pj->year);
		cJSON_AddStringToObject(f, "population_source", pj->source);
	}
	if (facets) {
		cJSON *f = cJSON_AddObjectToObject(o, "facets");
		cJSON_AddItemToObject(f, "area", facets_json(r->by_area, r->n_by_area));
		cJSON_AddItemToObject(f, "budget_year", facets_json(r->by_year, r->n_by_year));
		cJSON_AddItemToObject(f, "kommune", facets_json(r->by_kommune, r->n_by_kommune));
		cJSON_AddItemToObject(f, "kind", facets_json(r->by_kind, r->n_by_kind));
	}
	return o;
}

/* key: z in o, unless z is "" (not known, or not asked). */
static void json_text(cJSON *o, const char *key, const char *z)
{
	if (*z)
		cJSON_AddStringToObject(o, key, z);
}

/* The mulighedsrum of comparison p: kr. and share of own spending. */
static void json_room(cJSON *o, const ib_peer_set *p)
{
	cli_json_num(o, "mulighedsrum_kr",
		     ib_is_na(p->mulighedsrum_kr) ? IB_NA : round(p->mulighedsrum_kr));
	cli_json_num(
	    o, "mulighedsrum_share",
	    ib_is_na(p->mulighedsrum_share) ? IB_NA : round(p->mulighedsrum_share * 10000) / 10000);
}

/* ---- peers ------------------------------------------------------------------------- */

cJSON *cli_peers_json(const ib_peer_set *p, const char *benchmark_name)
{
	cJSON *o = json_municipality(&p->self);
	cJSON_AddStringToObject(o, "compared", p->what);
	if (p->area)
		cJSON_AddStringToObject(o, "area", p->area);
	cJSON_AddNumberToObject(o, "year", p->year);
	cJSON_AddStringToObject(o, "source", p->source);
	cJSON_AddStringToObject(o, "method", p->method);
	cJSON_AddStringToObject(o, "benchmark_kind", benchmark_name);
	cJSON_AddNumberToObject(o, "own_kr_per_inhabitant", p->own_kr);
	cJSON_AddNumberToObject(o, "rank", p->own_rank);
	cJSON_AddNumberToObject(o, "ranked", p->n_ranked);
	cli_json_num(o, "benchmark_kr_per_inhabitant",
		     ib_is_na(p->benchmark) ? IB_NA : round(p->benchmark * 100) / 100);
	cJSON_AddNumberToObject(o, "population", (double)p->inhabitants);
	cJSON_AddNumberToObject(o, "population_year", p->population_year);
	json_room(o, p);
	json_text(o, "note", p->note);
	json_text(o, "indicators", p->indicators);
	json_text(o, "ties", p->ties);
	cJSON *peers = cJSON_AddArrayToObject(o, "peers");
	cli_cols_ctx x = cli_peer_ctx(p);
	for (size_t i = 0; i < p->n_peers; i++) {
		cli_peer_line l = {p, &p->peers[i], PEER_ROLE_PEER, benchmark_name, NULL};
		cJSON *r = cJSON_CreateObject();
		cli_cols_json(r, cli_peer_cols, &l, &x);
		cJSON_AddItemToArray(peers, r);
	}
	return o;
}

void cli_peers_csv(FILE *f, const ib_peer_set *p, const char *benchmark_name,
		   const char *population_source)
{
	cli_cols_ctx x = cli_peer_ctx(p);
	ib_peer_row own_row, bench_row;
	char src[320];
	csv_begin(f);
	cli_cols_csv_head(f, cli_peer_cols, &x);
	cli_peer_line l = cli_peer_own(p, benchmark_name, &own_row);
	if (population_source)
		snprintf(src, sizeof src, "%s; indbyggere: %s", p->source, population_source);
	else
		snprintf(src, sizeof src, "%s; indbyggere: Danmarks Statistik, folketal %d",
			 p->source, p->population_year);
	l.own_source = src;
	cli_cols_csv_row(f, cli_peer_cols, &l, &x);
	for (size_t i = 0; i < p->n_peers; i++) {
		cli_peer_line r = {p, &p->peers[i], PEER_ROLE_PEER, benchmark_name, NULL};
		cli_cols_csv_row(f, cli_peer_cols, &r, &x);
	}
	l = cli_peer_benchmark(p, benchmark_name, &bench_row);
	cli_cols_csv_row(f, cli_peer_cols, &l, &x);
}

void cli_peer_rows(const ib_peer_set *p, const char *benchmark_name, int with_benchmark,
		   void (*row)(const cli_peer_line *l, void *ctx), void *ctx)
{
	ib_peer_row own_row, bench_row;
	cli_peer_line own = cli_peer_own(p, benchmark_name, &own_row);
	int own_shown = 0;
	for (size_t i = 0; i < p->n_peers; i++) {
		if (!own_shown && p->peers[i].kr > p->own_kr) {
			row(&own, ctx);
			own_shown = 1;
		}
		cli_peer_line l = {p, &p->peers[i], PEER_ROLE_PEER, benchmark_name, NULL};
		row(&l, ctx);
	}
	if (!own_shown)
		row(&own, ctx);
	if (with_benchmark) {
		cli_peer_line l = cli_peer_benchmark(p, benchmark_name, &bench_row);
		row(&l, ctx);
	}
}

const char *cli_peer_method(const ib_peer_set *p, int list, char *out, size_t n)
{
	ib_buf b;
	ib_buf_init(&b, 0);
	ib_buf_adds(&b, p->method);
	for (size_t i = 0; list && i < p->n_peers; i++)
		ib_buf_addf(&b, "%s%s", i ? ", " : ": ", p->peers[i].name);
	snprintf(out, n, "%s", ib_buf_str(&b));
	ib_buf_free(&b);
	return out;
}

/* ---- room -------------------------------------------------------------------------- */

const char *cli_room_method(const ib_room_report *r, int list, char *out, size_t n)
{
	for (size_t i = 0; i < r->n_lines; i++)
		if (r->lines[i].per_inhabitant)
			return cli_peer_method(r->lines[i].per_inhabitant, list, out, n);
	snprintf(out, n, "%s", r->method);
	return out;
}

cli_projection cli_room_projection(const ib_room_report *r)
{
	cli_projection pj;
	memset(&pj, 0, sizeof pj);
	pj.m = r->self;
	pj.inhabitants = r->projection_inhabitants;
	pj.year = r->projection_year;
	snprintf(pj.source, sizeof pj.source, "%s", r->projection_source);
	return pj;
}

/* ---- JSON ------------------------------------------------------------------------- */

static cJSON *target_json(const ib_room_line *l)
{
	const ib_peer_set *p = l->per_target;
	cJSON *t = cJSON_CreateObject();
	cJSON_AddStringToObject(t, "group", l->group->name);
	cJSON_AddNumberToObject(t, "age_from", l->group->age_from);
	if (l->group->age_to < 999)
		cJSON_AddNumberToObject(t, "age_to", l->group->age_to);
	else
		cJSON_AddNullToObject(t, "age_to");
	cJSON_AddStringToObject(t, "source", p->source);
	cJSON_AddNumberToObject(t, "own_kr_per_person", p->own_kr);
	cli_json_num(t, "benchmark_kr_per_person",
		     ib_is_na(p->benchmark) ? IB_NA : round(p->benchmark * 100) / 100);
	cJSON_AddNumberToObject(t, "rank", p->own_rank);
	cJSON_AddNumberToObject(t, "ranked", p->n_ranked);
	cJSON_AddNumberToObject(t, "persons", (double)p->inhabitants);
	cJSON_AddNumberToObject(t, "persons_year", p->population_year);
	json_room(t, p);
	return t;
}

static cJSON *line_json(const ib_room_report *r, const ib_room_line *l, int top)
{
	cJSON *x = cJSON_CreateObject();
	cli_room_aux a = {r, NULL, NULL};
	cli_cols_ctx ctx = cli_room_ctx(&a);
	cli_room_row row = {l, NULL, NULL};
	cli_cols_json(x, cli_room_cols, &row, &ctx);
	if (!top)
		return x;
	cJSON *codes = cJSON_AddArrayToObject(x, "functions");
	for (size_t i = 0; i < l->n_codes; i++)
		cJSON_AddItemToArray(codes, cJSON_CreateString(l->codes[i]));
	if (l->per_inhabitant)
		cJSON_AddItemToObject(x, "per_inhabitant",
				      cli_peers_json(l->per_inhabitant, r->benchmark_name));
	else
		cJSON_AddNullToObject(x, "per_inhabitant");
	if (l->per_target)
		cJSON_AddItemToObject(x, "per_target", target_json(l));
	else
		cJSON_AddNullToObject(x, "per_target");
	cJSON *mv = cJSON_AddArrayToObject(x, "movement");
	for (size_t y = 0; y < r->n_years; y++) {
		const ib_room_cell *c = &l->cells[y];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "year", c->year);
		if (!c->ok) {
			cJSON_AddTrueToObject(o, "gap");
		} else {
			cJSON_AddNumberToObject(o, "own", c->own);
			cJSON_AddNumberToObject(o, "benchmark", round(c->benchmark * 100) / 100);
			cli_json_num(o, "index",
				     ib_is_na(c->index) ? IB_NA : round(c->index * 10) / 10);
			cJSON_AddNumberToObject(o, "rank", c->rank);
			cJSON_AddNumberToObject(o, "ranked", c->n_ranked);
			cli_json_num(o, "mulighedsrum_kr",
				     ib_is_na(c->mulighedsrum_kr) ? IB_NA
								  : round(c->mulighedsrum_kr));
		}
		cJSON_AddItemToArray(mv, o);
	}
	if (!*l->code) {
		cJSON *parts = cJSON_AddArrayToObject(x, "parts");
		for (size_t i = 0; i < l->n_parts; i++)
			cJSON_AddItemToArray(parts, line_json(r, &l->parts[i], 0));
	}
	if (l->ideas) {
		cli_projection pj = cli_room_projection(r);
		cJSON_AddNumberToObject(x, "ideas_total", (double)l->ideas->total);
		cJSON *ideas = cJSON_AddArrayToObject(x, "ideas");
		for (size_t i = 0; i < l->ideas->n; i++) {
			const ib_hit *h = &l->ideas->hits[i];
			cJSON *o = cJSON_CreateObject();
			cJSON_AddNumberToObject(o, "id", (double)h->id);
			cJSON_AddStringToObject(o, "title", h->title);
			char code[8];
			snprintf(code, sizeof code, "%03d", h->kommunekode);
			cJSON_AddStringToObject(o, "kommunekode", code);
			cJSON_AddStringToObject(o, "kommune", h->kommune);
			cJSON_AddNumberToObject(o, "budget_year", h->budget_year);
			cJSON_AddStringToObject(o, "adopted",
						h->adopted == 1	  ? "yes"
						: h->adopted == 0 ? "no"
								  : "unknown");
			cli_json_num(o, "effect_kr", h->effect_kr);
			cli_json_num(o, "kr_per_inhabitant", h->per_inhabitant);
			double pr = cli_projected(h, &pj);
			cli_json_num(o, "projected_kr", ib_is_na(pr) ? IB_NA : round(pr));
			cJSON_AddNumberToObject(o, "score", round(h->score.total * 1000) / 1000);
			cJSON_AddItemToArray(ideas, o);
		}
	}
	return x;
}

cJSON *cli_room_json(const ib_room_report *r)
{
	cJSON *o = json_municipality(&r->self);
	cJSON_AddNumberToObject(o, "year", r->year);
	cJSON_AddStringToObject(o, "measure",
				r->measure == IB_ROOM_PER_TARGET ? "kr_per_person_in_target_group"
								 : "kr_per_inhabitant");
	cJSON_AddStringToObject(o, "method", r->method);
	cJSON_AddStringToObject(o, "benchmark_kind", r->benchmark_name);
	cJSON_AddStringToObject(o, "source", r->source);
	cJSON_AddStringToObject(o, "prices", "løbende priser");
	json_text(o, "age_source", r->age_source);
	json_text(o, "fetched", r->fetched);
	json_text(o, "table_updated", r->table_updated);
	cJSON *years = cJSON_AddArrayToObject(o, "years");
	for (size_t i = 0; i < r->n_years; i++)
		cJSON_AddItemToArray(years, cJSON_CreateNumber(r->years[i]));
	cJSON_AddNumberToObject(o, "mulighedsrum_positive_kr", round(r->total_positive_kr));
	cJSON_AddNumberToObject(o, "positive", (double)r->n_positive);
	cJSON *p = cJSON_AddObjectToObject(o, "ideas_projected_for");
	cJSON_AddNumberToObject(p, "population", (double)r->projection_inhabitants);
	cJSON_AddNumberToObject(p, "population_year", r->projection_year);
	cJSON_AddStringToObject(p, "population_source", r->projection_source);
	cJSON *lines = cJSON_AddArrayToObject(o, "lines");
	for (size_t i = 0; i < r->n_lines; i++)
		cJSON_AddItemToArray(lines, line_json(r, &r->lines[i], 1));
	return o;
}

/* ---- CSV -------------------------------------------------------------------------- */

void cli_room_csv(FILE *f, const cli_room_aux *a)
{
	const ib_room_report *r = a->r;
	cli_cols_ctx x = cli_room_ctx(a);
	csv_begin(f);
	cli_cols_csv_head(f, cli_room_cols, &x);
	for (size_t i = 0; i < r->n_lines; i++) {
		const ib_room_line *l = &r->lines[i];
		cli_room_row row = {l, *l->code ? "funktion" : "fagområde", l->area};
		cli_cols_csv_row(f, cli_room_cols, &row, &x);
		for (size_t k = 0; k < l->n_parts; k++) {
			cli_room_row part = {&l->parts[k], "funktion i fagområdet", l->area};
			cli_cols_csv_row(f, cli_room_cols, &part, &x);
		}
	}
	cli_room_row total = {NULL, "i alt", NULL};
	cli_cols_csv_row(f, cli_room_cols, &total, &x);
}
