/* rec_room.c - a line of the room report (records.h): an area or a function against
 * its peers.  Its column table is what `room` prints as its overview, CSV and JSON and
 * what /raaderum and /api/raaderum show. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "records.h"

#define ROW(rec) ((const cli_room_row *)(rec))
#define MAIN(rec) (ROW(rec)->l ? ROW(rec)->l->main : NULL)

const char *cli_room_unit(const ib_room_line *l, char *out, size_t n)
{
	if (l->uses_target && l->group)
		snprintf(out, n, "kr. pr. person %s", l->group->name);
	else
		snprintf(out, n, "kr. pr. indbygger");
	return out;
}

const char *cli_room_label(const ib_room_line *l, char *out, size_t n)
{
	if (*l->code)
		snprintf(out, n, "%s %s", l->code, l->name);
	else
		snprintf(out, n, "%s", l->name);
	return out;
}

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

/* ---- the columns ------------------------------------------------------------------ */

static void text(cli_val *v, const char *z)
{
	v->z = z;
}

/* A figure of the line's comparison: for people "" (or "ingen tal" in the first
 * column) when the line has no figures that year; JSON to the øre. */
static void figure(const void *rec, cli_fmt f, cli_val *v, double x, int first)
{
	if (!MAIN(rec) && ROW(rec)->l && (f == CLI_TERM || f == CLI_HTML)) {
		text(v, first && f == CLI_TERM ? "ingen tal" : "");
		return;
	}
	v->num = 1;
	v->x = f == CLI_JSON && !ib_is_na(x) ? round(x * 100) / 100 : x;
}

static void get_role(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	text(v, ROW(rec)->role);
}

static void json_function(cJSON *o, const void *rec, const cli_cols_ctx *x)
{
	(void)x;
	if (*ROW(rec)->l->code)
		cJSON_AddStringToObject(o, "function", ROW(rec)->l->code);
}

/* The CSV's area is the row's (an area's functions: the area's); the JSON's the
 * line's own. */
static void get_area(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x;
	text(v, f == CLI_JSON ? ROW(rec)->l->area : ROW(rec)->area ? ROW(rec)->area : "");
}

static void get_code(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	text(v, ROW(rec)->l ? ROW(rec)->l->code : "");
}

static void get_name(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	text(v, ROW(rec)->l ? ROW(rec)->l->name : "positive mulighedsrum");
}

static void json_reason(cJSON *o, const void *rec, const cli_cols_ctx *x)
{
	(void)x;
	if (*ROW(rec)->l->code)
		cJSON_AddStringToObject(o, "reason", ROW(rec)->l->reason);
}

static void get_measure(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	if (!ROW(rec)->l)
		text(v, "kr.");
	else
		text(v, cli_room_unit(ROW(rec)->l, v->buf, sizeof v->buf));
}

static void get_own(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x;
	figure(rec, f, v, MAIN(rec) ? MAIN(rec)->own_kr : IB_NA, 1);
}

static void get_bench(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x;
	figure(rec, f, v, MAIN(rec) ? MAIN(rec)->benchmark : IB_NA, 0);
}

static void get_rank(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x;
	figure(rec, f, v, MAIN(rec) ? MAIN(rec)->own_rank : IB_NA, 0);
}

static void get_ranked(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x;
	figure(rec, f, v, MAIN(rec) ? MAIN(rec)->n_ranked : IB_NA, 0);
}

static void get_room(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	const ib_room_report *r = x->aux ? ((const cli_room_aux *)x->aux)->r : NULL;
	const ib_peer_set *m = MAIN(rec);
	double kr = !ROW(rec)->l && r			      ? round(r->total_positive_kr)
		    : m && !ib_is_na(m->mulighedsrum_kr) ? round(m->mulighedsrum_kr)
							     : IB_NA;
	figure(rec, f, v, kr, 0);
	/* room to free money: marked on the web page */
	if (v->num && kr > 0)
		v->cls = "pos";
}

static void get_share(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x;
	const ib_peer_set *m = MAIN(rec);
	figure(rec, f, v,
	       m && !ib_is_na(m->mulighedsrum_share) ? m->mulighedsrum_share * 100 : IB_NA, 0);
}

static void get_scale(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x;
	figure(rec, f, v, MAIN(rec) ? (double)MAIN(rec)->inhabitants : IB_NA, 0);
}

/* indeks_YEAR and rang_YEAR for every year of the report: a gap empty. */
static void csv_years(FILE *f, const void *rec, const cli_cols_ctx *x)
{
	const ib_room_report *r = ((const cli_room_aux *)x->aux)->r;
	for (size_t y = 0; y < r->n_years; y++) {
		if (!rec) {
			char k[32];
			snprintf(k, sizeof k, "indeks_%d", r->years[y]);
			csv_field(f, k, 0);
			snprintf(k, sizeof k, "rang_%d", r->years[y]);
			csv_field(f, k, 0);
			continue;
		}
		const ib_room_line *l = ROW(rec)->l;
		const ib_room_cell *c = l && l->cells ? &l->cells[y] : NULL;
		csv_num(f, c && c->ok ? c->index : IB_NA, 1);
		csv_num(f, c && c->ok ? c->rank : IB_NA, 0);
	}
}

static void get_source(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)f;
	const ib_room_report *r = ((const cli_room_aux *)x->aux)->r;
	text(v, !ROW(rec)->l ? r->source : MAIN(rec) ? MAIN(rec)->source : "");
}

static void get_method(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)f;
	const cli_room_aux *a = x->aux;
	text(v, a->method ? a->method : MAIN(rec) ? MAIN(rec)->method : a->r->method);
}

static void get_benchmark_kind(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)rec, (void)f;
	text(v, ((const cli_room_aux *)x->aux)->r->benchmark_name);
}

static void get_scale_year(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	v->num = 1;
	v->x = MAIN(rec) ? MAIN(rec)->population_year : IB_NA;
}

/* What skaleret_med counts: inhabitants (FOLK1A) or persons of the target group. */
static void get_scale_source(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)f;
	const cli_room_aux *a = x->aux;
	const ib_room_line *l = ROW(rec)->l;
	if (!MAIN(rec))
		text(v, "");
	else if (l->uses_target && l->group)
		snprintf(v->buf, sizeof v->buf, "personer %s: %s", l->group->name,
			 a->r->age_source),
		    text(v, v->buf);
	else
		snprintf(v->buf, sizeof v->buf, "indbyggere: %s",
			 a->population_source ? a->population_source : "Danmarks Statistik, FOLK1A"),
		    text(v, v->buf);
}

const cli_col cli_room_cols[] = {
    {.key = "rolle", .get = get_role},
    {.key = "function", .flags = COL_NO_CSV, .get = get_code, .json_fn = json_function},
    {.key = "omraade", .json = "area", .get = get_area},
    {.key = "funktion", .get = get_code},
    {.key = "navn", .json = "name", .get = get_name},
    {.key = "reason", .flags = COL_NO_CSV, .get = get_code, .json_fn = json_reason},
    {.key = "maal", .json = "measure", .get = get_measure},
    {.key = "egen",
     .json = "own",
     .head = "Egen",
     .label = "Egen",
     .cell = "Egen",
     .width = 9,
     .flags = COL_RIGHT,
     .get = get_own},
    {.key = "benchmark",
     .json = "benchmark",
     .head = "Benchmark",
     .label = "Benchmark",
     .cell = "Benchmark",
     .width = 9,
     .flags = COL_RIGHT,
     .get = get_bench},
    {.key = "rang",
     .json = "rank",
     .head = "Rang",
     .label = "Rang",
     .cell = "Rang",
     .width = 4,
     .flags = COL_RIGHT,
     .get = get_rank},
    {.key = "af",
     .json = "ranked",
     .head = "af",
     .label = "af",
     .cell = "af",
     .width = 3,
     .flags = COL_RIGHT,
     .get = get_ranked},
    {.key = "mulighedsrum_kr",
     .json = "mulighedsrum_kr",
     .head = "Mulighedsrum, kr.",
     .label = "Mulighedsrum, kr.",
     .cell = "Mulighedsrum, kr.",
     .width = 17,
     .flags = COL_RIGHT,
     .get = get_room},
    {.key = "mulighedsrum_pct",
     .json = "mulighedsrum_pct",
     .head = "% af egen",
     .label = "% af egen",
     .cell = "% af egen",
     .width = 9,
     .decimals = 1,
     .flags = COL_RIGHT,
     .get = get_share},
    {.key = "skaleret_med", .json = "scaled_by", .get = get_scale},
    {.key = "indeks", .csv_fn = csv_years},
    {.key = "kilde", .get = get_source},
    {.key = "metode", .get = get_method},
    {.key = "benchmarktype", .get = get_benchmark_kind},
    {.key = "skaleret_aar", .get = get_scale_year},
    {.key = "skaleret_kilde", .get = get_scale_source},
    {.key = NULL},
};

const char cli_room_view[] = "egen benchmark rang af mulighedsrum_kr mulighedsrum_pct";
const char cli_room_parts_view[] = "egen benchmark rang mulighedsrum_kr";

cli_cols_ctx cli_room_ctx(const cli_room_aux *a)
{
	cli_cols_ctx x = {0};
	x.na = "-";
	x.aux = a;
	return x;
}

/* ---- JSON ------------------------------------------------------------------------- */

static void add_num(cJSON *o, const char *k, double v)
{
	if (ib_is_na(v))
		cJSON_AddNullToObject(o, k);
	else
		cJSON_AddNumberToObject(o, k, v);
}

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
	add_num(t, "benchmark_kr_per_person",
		ib_is_na(p->benchmark) ? IB_NA : round(p->benchmark * 100) / 100);
	cJSON_AddNumberToObject(t, "rank", p->own_rank);
	cJSON_AddNumberToObject(t, "ranked", p->n_ranked);
	cJSON_AddNumberToObject(t, "persons", (double)p->inhabitants);
	cJSON_AddNumberToObject(t, "persons_year", p->population_year);
	add_num(t, "mulighedsrum_kr",
		ib_is_na(p->mulighedsrum_kr) ? IB_NA : round(p->mulighedsrum_kr));
	add_num(t, "mulighedsrum_share",
		ib_is_na(p->mulighedsrum_share) ? IB_NA
						: round(p->mulighedsrum_share * 10000) / 10000);
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
			add_num(o, "index", ib_is_na(c->index) ? IB_NA : round(c->index * 10) / 10);
			cJSON_AddNumberToObject(o, "rank", c->rank);
			cJSON_AddNumberToObject(o, "ranked", c->n_ranked);
			add_num(o, "mulighedsrum_kr",
				ib_is_na(c->mulighedsrum_kr) ? IB_NA : round(c->mulighedsrum_kr));
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
			add_num(o, "effect_kr", h->effect_kr);
			add_num(o, "kr_per_inhabitant", h->per_inhabitant);
			double pr = cli_projected(h, &pj);
			add_num(o, "projected_kr", ib_is_na(pr) ? IB_NA : round(pr));
			cJSON_AddNumberToObject(o, "score", round(h->score.total * 1000) / 1000);
			cJSON_AddItemToArray(ideas, o);
		}
	}
	return x;
}

cJSON *cli_room_json(const ib_room_report *r)
{
	cJSON *o = cJSON_CreateObject();
	char code[8];
	snprintf(code, sizeof code, "%03d", r->self.code);
	cJSON_AddStringToObject(o, "kommunekode", code);
	cJSON_AddStringToObject(o, "kommune", r->self.name);
	cJSON_AddNumberToObject(o, "year", r->year);
	cJSON_AddStringToObject(o, "measure",
				r->measure == IB_ROOM_PER_TARGET ? "kr_per_person_in_target_group"
								 : "kr_per_inhabitant");
	cJSON_AddStringToObject(o, "method", r->method);
	cJSON_AddStringToObject(o, "benchmark_kind", r->benchmark_name);
	cJSON_AddStringToObject(o, "source", r->source);
	cJSON_AddStringToObject(o, "prices", "løbende priser");
	if (*r->age_source)
		cJSON_AddStringToObject(o, "age_source", r->age_source);
	if (*r->fetched)
		cJSON_AddStringToObject(o, "fetched", r->fetched);
	if (*r->table_updated)
		cJSON_AddStringToObject(o, "table_updated", r->table_updated);
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
