/* rec_peer.c - a row of a peer comparison (records.h): the municipality itself, a
 * peer, the benchmark.  Its column table is what `peers` prints as a table, CSV and
 * JSON and what /sammenlign and /api/peers show. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "records.h"

#define ROW(rec) ((const cli_peer_line *)(rec))

static void text(cli_val *v, const char *z)
{
	v->z = z;
}

static void num(cli_val *v, double x)
{
	v->num = 1;
	v->x = x;
}

static void get_code(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	if (ROW(rec)->r->code)
		snprintf(v->buf, sizeof v->buf, "%03d", ROW(rec)->r->code);
	text(v, v->buf);
}

static void get_name(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	text(v, ROW(rec)->r->name);
}

static const char *const role_csv[] = {"egen", "sammenligning", "benchmark"};

static void get_role(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	text(v, role_csv[ROW(rec)->role]);
}

/* The name for people: "Ringsted (egen)", "Benchmark (gennemsnit)". */
static void get_shown_name(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	const cli_peer_line *l = ROW(rec);
	if (l->role == PEER_ROLE_OWN)
		snprintf(v->buf, sizeof v->buf, "%s (egen)", l->r->name);
	else if (l->role == PEER_ROLE_BENCHMARK)
		snprintf(v->buf, sizeof v->buf, "Benchmark (%s)", l->benchmark_name);
	else
		snprintf(v->buf, sizeof v->buf, "%s", l->r->name);
	text(v, v->buf);
}

static void get_kr(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x;
	num(v, ROW(rec)->r->kr);
	/* to the øre in the CSV, whole kroner for people */
	v->decimals = f == CLI_CSV ? 2 : 0;
}

static void get_rank(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x;
	int rank = ROW(rec)->r->rank;
	if (!rank && f == CLI_HTML)
		text(v, "–");
	else
		num(v, rank ? rank : IB_NA);
}

/* The CSV's distance: a peer's (of the nearest), else empty. */
static void get_afstand(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	const cli_peer_line *l = ROW(rec);
	num(v, *l->p->indicators && l->role == PEER_ROLE_PEER ? l->r->distance : IB_NA);
}

static void get_distance(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x;
	const cli_peer_line *l = ROW(rec);
	if (l->role != PEER_ROLE_PEER)
		text(v, f == CLI_HTML ? "–" : "");
	else
		num(v, f == CLI_JSON ? round(l->r->distance * 1000) / 1000 : l->r->distance);
}

static void get_room(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	num(v, ROW(rec)->role == PEER_ROLE_OWN ? ROW(rec)->p->mulighedsrum_kr : IB_NA);
}

static void get_share(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	double s = ROW(rec)->p->mulighedsrum_share;
	num(v, ROW(rec)->role == PEER_ROLE_OWN && !ib_is_na(s) ? s * 100 : IB_NA);
}

static void get_inhabitants(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	num(v, ROW(rec)->role == PEER_ROLE_OWN ? (double)ROW(rec)->p->inhabitants : IB_NA);
}

/* Every row names its source; the own row also the population's. */
static void get_source(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	const cli_peer_line *l = ROW(rec);
	text(v, l->role == PEER_ROLE_OWN && l->own_source ? l->own_source : l->p->source);
}

const cli_col cli_peer_cols[] = {
    {.key = "kommunekode", .json = "kommunekode", .get = get_code},
    {.key = "kommune", .json = "kommune", .get = get_name},
    {.key = "rolle", .get = get_role},
    {.key = "kr_pr_indbygger",
     .json = "kr_per_inhabitant",
     .head = "Kr. pr. indb.",
     .label = "Kr. pr. indbygger",
     .cell = "Kr. pr. indbygger",
     .width = 13,
     .flags = COL_RIGHT,
     .get = get_kr},
    {.key = "rang",
     .json = "rank",
     .head = "Rang",
     .label = "Rang",
     .cell = "Rang",
     .width = 5,
     .flags = COL_RIGHT,
     .get = get_rank},
    {.key = "afstand", .decimals = 3, .get = get_afstand},
    {.key = "distance",
     .json = "distance",
     .head = "Afstand",
     .label = "Afstand",
     .note = "0 = ens struktur",
     .cell = "Afstand (0 = ens)",
     .width = 8,
     .decimals = 2,
     .need = COL_DISTANCE,
     .flags = COL_NO_CSV | COL_RIGHT,
     .get = get_distance},
    {.key = "mulighedsrum_kr", .get = get_room},
    {.key = "mulighedsrum_pct", .decimals = 1, .get = get_share},
    {.key = "indbyggere", .get = get_inhabitants},
    {.key = "kilde", .get = get_source},
    {.key = "navn",
     .head = "Kommune",
     .label = "Kommune",
     .width = 20,
     .flags = COL_NO_CSV | COL_TITLE,
     .get = get_shown_name},
    {.key = NULL},
};

const char cli_peer_view[] = "rang navn kr_pr_indbygger distance";

cli_peer_line cli_peer_own(const ib_peer_set *p, const char *benchmark_name, ib_peer_row *row)
{
	memset(row, 0, sizeof *row);
	row->code = p->self.code;
	row->kr = p->own_kr;
	row->rank = p->own_rank;
	snprintf(row->name, sizeof row->name, "%s", p->self.name);
	cli_peer_line l = {p, row, PEER_ROLE_OWN, benchmark_name, NULL};
	return l;
}

cli_peer_line cli_peer_benchmark(const ib_peer_set *p, const char *benchmark_name,
				 ib_peer_row *row)
{
	memset(row, 0, sizeof *row);
	row->kr = p->benchmark;
	snprintf(row->name, sizeof row->name, "benchmark (%s)", benchmark_name);
	cli_peer_line l = {p, row, PEER_ROLE_BENCHMARK, benchmark_name, NULL};
	return l;
}

cli_cols_ctx cli_peer_ctx(const ib_peer_set *p)
{
	cli_cols_ctx x = {0};
	x.have = *p->indicators ? COL_DISTANCE : 0;
	x.na = "-";
	return x;
}

static void add_num(cJSON *o, const char *k, double v)
{
	if (ib_is_na(v))
		cJSON_AddNullToObject(o, k);
	else
		cJSON_AddNumberToObject(o, k, v);
}

cJSON *cli_peers_json(const ib_peer_set *p, const char *benchmark_name)
{
	cJSON *o = cJSON_CreateObject();
	char code[8];
	snprintf(code, sizeof code, "%03d", p->self.code);
	cJSON_AddStringToObject(o, "kommunekode", code);
	cJSON_AddStringToObject(o, "kommune", p->self.name);
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
	add_num(o, "benchmark_kr_per_inhabitant",
		ib_is_na(p->benchmark) ? IB_NA : round(p->benchmark * 100) / 100);
	cJSON_AddNumberToObject(o, "population", (double)p->inhabitants);
	cJSON_AddNumberToObject(o, "population_year", p->population_year);
	add_num(o, "mulighedsrum_kr",
		ib_is_na(p->mulighedsrum_kr) ? IB_NA : round(p->mulighedsrum_kr));
	add_num(o, "mulighedsrum_share",
		ib_is_na(p->mulighedsrum_share) ? IB_NA
						: round(p->mulighedsrum_share * 10000) / 10000);
	if (*p->note)
		cJSON_AddStringToObject(o, "note", p->note);
	if (*p->indicators)
		cJSON_AddStringToObject(o, "indicators", p->indicators);
	if (*p->ties)
		cJSON_AddStringToObject(o, "ties", p->ties);
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
