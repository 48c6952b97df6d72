/* cmd_room.c - `ideabank room`: where a municipality has room.  Every area the
 * database can compare (or every function), each against its peers as `peers`
 * compares it, sorted by the mulighedsrum with the total of the positive ones; the
 * movement over every year held; each area's functions; the comparison per person of
 * the target group; and the bank's ideas in the areas with room.  The columns are one
 * table (room_cols) that the terminal, CSV, JSON and the web page (web_room.c) read. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli.h"
#include "opt.h"

enum { O_FUNCTIONS = CLI_OPT_FIRST, O_MEASURE, O_TARGET_GROUP, O_IDEAS, O_JSON, O_CSV };

static const cli_option options[] = {
    CLI_PEER_OPTIONS,
    {O_FUNCTIONS, "--functions", NULL, "every REGK31 function the database holds, not KL's areas",
     NULL},
    {O_MEASURE, "--measure", "M",
     "inhabitant (default) or target: kr. per person of the\n"
     "area's target group (data/target_groups.csv) where the\n"
     "database holds population by age (fetch aldersfordeling)",
     "inhabitant target"},
    {O_TARGET_GROUP, "--target-group", "G",
     "the target group of --measure target where an area has it,\n"
     "e.g. \"80+ år\" (default: each area's first)",
     NULL},
    {O_IDEAS, "--ideas", "N", "ideas listed per area with room (default 3; 0: none)", NULL},
    {O_JSON, "--json", NULL, "machine output: JSON", NULL},
    {O_CSV, "--csv", NULL, "machine output for Excel: ';', decimal comma, UTF-8 BOM", NULL},
    {0, NULL, NULL, NULL, NULL},
};

static const cli_command spec = {
    "room",
    "ideabank room KOMMUNE [options]",
    "Where is the room: every area the database can compare, each as `peers --area`\n"
    "compares it (the REGK31 functions it holds that data/area_functions.csv maps to\n"
    "the area), sorted by the mulighedsrum = (own - benchmark) x inhabitants, with the\n"
    "total of the positive ones; under each area its functions, own figure against the\n"
    "benchmark in every year held (index, benchmark = 100, and rank; a year without\n"
    "figures is a gap), and the bank's best ideas in the areas with room, projected\n"
    "onto the municipality.  Kr. are current prices.\n",
    options,
    "exit codes: 0 ok, 2 usage, 3 unknown municipality, year or target group\n",
    "@kommune",
    0,
};

/* ---- the columns ------------------------------------------------------------------ */

static double col_own(const ib_room_line *l)
{
	return l->main ? l->main->own_kr : IB_NA;
}
static double col_bench(const ib_room_line *l)
{
	return l->main ? l->main->benchmark : IB_NA;
}
static double col_rank(const ib_room_line *l)
{
	return l->main ? l->main->own_rank : IB_NA;
}
static double col_ranked(const ib_room_line *l)
{
	return l->main ? l->main->n_ranked : IB_NA;
}
static double col_room(const ib_room_line *l)
{
	return l->main && !ib_is_na(l->main->mulighedsrum_kr) ? round(l->main->mulighedsrum_kr)
							      : IB_NA;
}
static double col_share(const ib_room_line *l)
{
	return l->main && !ib_is_na(l->main->mulighedsrum_share) ? l->main->mulighedsrum_share * 100
								 : IB_NA;
}
static double col_scale(const ib_room_line *l)
{
	return l->main ? (double)l->main->inhabitants : IB_NA;
}

const cli_room_col cli_room_cols[] = {
    {"egen", "own", "Egen", 0, 9, col_own},
    {"benchmark", "benchmark", "Benchmark", 0, 9, col_bench},
    {"rang", "rank", "Rang", 0, 4, col_rank},
    {"af", "ranked", "af", 0, 3, col_ranked},
    {"mulighedsrum_kr", "mulighedsrum_kr", "Mulighedsrum, kr.", 0, 17, col_room},
    {"mulighedsrum_pct", "mulighedsrum_pct", "% af egen", 1, 9, col_share},
    {"skaleret_med", "scaled_by", "Skaleret med", 0, 0, col_scale},
    {NULL, NULL, NULL, 0, 0, NULL},
};

/* The measure of a line in Danish: "kr. pr. indbygger", "kr. pr. person 0-5 år". */
const char *cli_room_unit(const ib_room_line *l, char *out, size_t n)
{
	if (l->uses_target && l->group)
		snprintf(out, n, "kr. pr. person %s", l->group->name);
	else
		snprintf(out, n, "kr. pr. indbygger");
	return out;
}

/* A number for the terminal, "-" when unknown. */
static void fmt(double v, int decimals, char *out, size_t n)
{
	if (ib_is_na(v))
		snprintf(out, n, "-");
	else
		ib_num_format(v, decimals, out, n);
}

/* The line's label: an area's name, or "3.22.01 Folkeskoler". */
const char *cli_room_label(const ib_room_line *l, char *out, size_t n)
{
	if (*l->code)
		snprintf(out, n, "%s %s", l->code, l->name);
	else
		snprintf(out, n, "%s", l->name);
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

/* ---- terminal --------------------------------------------------------------------- */

static void print_overview(const ib_room_report *r, int width)
{
	int w_name = width >= 110 ? 40 : 28;
	cli_cell(stdout, r->n_lines && *r->lines[0].code ? "Funktion" : "Fagområde", (size_t)w_name,
		 0);
	for (const cli_room_col *c = cli_room_cols; c->key; c++)
		if (c->width) {
			fputs("  ", stdout);
			cli_cell(stdout, c->label, (size_t)c->width, 1);
		}
	fputc('\n', stdout);
	for (size_t i = 0; i < r->n_lines; i++) {
		const ib_room_line *l = &r->lines[i];
		char label[360];
		cli_room_label(l, label, sizeof label);
		if (l->uses_target) {
			size_t k = strlen(label);
			snprintf(label + k, sizeof label - k, " (pr. %s)", l->group->name);
		}
		cli_cell(stdout, label, (size_t)w_name, 0);
		for (const cli_room_col *c = cli_room_cols; c->key; c++) {
			if (!c->width)
				continue;
			char v[64];
			fmt(c->get(l), c->decimals, v, sizeof v);
			fputs("  ", stdout);
			cli_cell(stdout, l->main ? v : (c == cli_room_cols ? "ingen tal" : ""),
				 (size_t)c->width, 1);
		}
		fputc('\n', stdout);
	}
	char total[64];
	ib_num_format(round(r->total_positive_kr), 0, total, sizeof total);
	printf("\nMulighedsrum i alt: %s kr. om året (summen af de %zu positive)\n", total,
	       r->n_positive);
}

static void print_movement(const ib_room_report *r, int width)
{
	int w_name = width >= 130 ? 40 : 28, w_cell = 9;
	size_t first = 0;
	/* as many years as the width holds, the latest kept */
	while (r->n_years - first > 1 && (int)(r->n_years - first) * (w_cell + 1) + w_name > width)
		first++;
	printf("\nUdvikling: indeks (benchmark = 100) / rang; uden tal: -\n");
	cli_cell(stdout, "", (size_t)w_name, 0);
	for (size_t y = first; y < r->n_years; y++) {
		char yy[16];
		snprintf(yy, sizeof yy, "%d", r->years[y]);
		fputc(' ', stdout);
		cli_cell(stdout, yy, (size_t)w_cell, 1);
	}
	fputc('\n', stdout);
	for (size_t i = 0; i < r->n_lines; i++) {
		const ib_room_line *l = &r->lines[i];
		char label[360];
		cli_cell(stdout, cli_room_label(l, label, sizeof label), (size_t)w_name, 0);
		for (size_t y = first; y < r->n_years; y++) {
			const ib_room_cell *c = &l->cells[y];
			char v[48] = "-", ix[32];
			if (c->ok && !ib_is_na(c->index)) {
				ib_num_format(c->index, 0, ix, sizeof ix);
				snprintf(v, sizeof v, "%s/%d", ix, c->rank);
			}
			fputc(' ', stdout);
			cli_cell(stdout, v, (size_t)w_cell, 1);
		}
		fputc('\n', stdout);
	}
}

static void print_ideas(const ib_room_report *r, const ib_room_line *l)
{
	if (!l->ideas)
		return;
	cli_projection pj = cli_room_projection(r);
	if (!l->ideas->n) {
		printf("  Ingen idéer i banken inden for %s.\n", l->area);
		return;
	}
	char pop[32];
	ib_num_format((double)pj.inhabitants, 0, pop, sizeof pop);
	printf("  Idéer inden for %s (%zu i banken, bedste score først), projiceret på %s "
	       "(%s indbyggere, %d):\n",
	       l->area, l->ideas->total, r->self.name, pop, pj.year);
	for (size_t i = 0; i < l->ideas->n; i++) {
		const ib_hit *h = &l->ideas->hits[i];
		char id[24], proj[48], src[96];
		snprintf(id, sizeof id, "%lld", (long long)h->id);
		fmt(cli_projected(h, &pj), 0, proj, sizeof proj);
		snprintf(src, sizeof src, "%s %d, %s", h->kommune, h->budget_year,
			 h->adopted == 1   ? "vedtaget"
			 : h->adopted == 0 ? "ikke vedtaget"
					   : "vedtagelse ukendt");
		fputs("  ", stdout);
		cli_cell(stdout, id, 5, 1);
		fputs("  ", stdout);
		cli_cell(stdout, h->title, 44, 0);
		fputs("  ", stdout);
		cli_cell(stdout, proj, 12, 1);
		printf(" kr.  %s\n", src);
	}
	printf("  Flere: ideabank search --area \"%s\" --sort score --for %s\n", l->area,
	       r->self.name);
}

static void print_details(const ib_room_report *r)
{
	for (size_t i = 0; i < r->n_lines; i++) {
		const ib_room_line *l = &r->lines[i];
		char label[360], unit[64], room[64], share[32];
		cli_room_label(l, label, sizeof label);
		printf("\n%s", label);
		if (!l->main) {
			printf(": ingen tal for %d\n", r->year);
			continue;
		}
		fmt(round(l->main->mulighedsrum_kr), 0, room, sizeof room);
		fmt(col_share(l), 1, share, sizeof share);
		printf(": mulighedsrum %s kr. (%s %% af egen udgift), %s\n", room, share,
		       cli_room_unit(l, unit, sizeof unit));
		if (l->per_target && !l->uses_target) {
			char own[32], bench[32], tr[48];
			fmt(l->per_target->own_kr, 0, own, sizeof own);
			fmt(l->per_target->benchmark, 0, bench, sizeof bench);
			fmt(round(l->per_target->mulighedsrum_kr), 0, tr, sizeof tr);
			printf("  Pr. person %s (FOLK1A %d): egen %s kr., benchmark %s kr., rang "
			       "%d af "
			       "%d, mulighedsrum %s kr.\n",
			       l->group->name, l->age_year, own, bench, l->per_target->own_rank,
			       l->per_target->n_ranked, tr);
		} else if (l->uses_target && l->per_inhabitant) {
			char own[32], bench[32], tr[48];
			fmt(l->per_inhabitant->own_kr, 0, own, sizeof own);
			fmt(l->per_inhabitant->benchmark, 0, bench, sizeof bench);
			fmt(round(l->per_inhabitant->mulighedsrum_kr), 0, tr, sizeof tr);
			printf("  Pr. indbygger: egen %s kr., benchmark %s kr., rang %d af %d, "
			       "mulighedsrum %s kr.\n",
			       own, bench, l->per_inhabitant->own_rank, l->per_inhabitant->n_ranked,
			       tr);
		}
		for (size_t k = 0; k < l->n_parts; k++) {
			const ib_room_line *p = &l->parts[k];
			char name[360], own[32], bench[32], pr[48];
			cli_room_label(p, name, sizeof name);
			fmt(col_own(p), 0, own, sizeof own);
			fmt(col_bench(p), 0, bench, sizeof bench);
			fmt(col_room(p), 0, pr, sizeof pr);
			fputs("  ", stdout);
			cli_cell(stdout, name, 44, 0);
			fputs("  ", stdout);
			cli_cell(stdout, own, 8, 1);
			fputs("  ", stdout);
			cli_cell(stdout, bench, 9, 1);
			fputs("  ", stdout);
			cli_cell(stdout, pr, 14, 1);
			fputc('\n', stdout);
		}
		print_ideas(r, l);
	}
}

/* How many lines are per person of their target group. */
static size_t lines_per_target(const ib_room_report *r)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n_lines; i++)
		n += r->lines[i].uses_target != 0;
	return n;
}

static void print_text(const ib_room_report *r, const ib_cli *cli)
{
	printf("%s (%03d): mulighedsrum %d, %s\n", r->self.name, r->self.code, r->year,
	       lines_per_target(r) ? "kr. pr. person i målgruppen (de øvrige pr. indbygger)"
				   : "kr. pr. indbygger");
	printf("Sammenlignet med: %s; benchmark: %s\n", r->method, r->benchmark_name);
	printf("Kilde: %s", r->source);
	if (*r->age_source)
		printf("; målgrupper: %s", r->age_source);
	printf("\n\n");
	print_overview(r, cli->width);
	print_movement(r, cli->width);
	print_details(r);
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

/* The line's figures in its measure, by the column table. */
static void line_cols(cJSON *x, const ib_room_line *l)
{
	char unit[64];
	cJSON_AddStringToObject(x, "measure", cli_room_unit(l, unit, sizeof unit));
	for (const cli_room_col *c = cli_room_cols; c->key; c++) {
		double v = c->get(l);
		add_num(x, c->json, ib_is_na(v) ? IB_NA : round(v * 100) / 100);
	}
}

static cJSON *line_json(const ib_room_report *r, const ib_room_line *l, int top)
{
	cJSON *x = cJSON_CreateObject();
	if (*l->code)
		cJSON_AddStringToObject(x, "function", l->code);
	if (l->area)
		cJSON_AddStringToObject(x, "area", l->area);
	else
		cJSON_AddNullToObject(x, "area");
	cJSON_AddStringToObject(x, "name", l->name);
	if (*l->code)
		cJSON_AddStringToObject(x, "reason", l->reason);
	line_cols(x, l);
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

/* One row per line and per function of an area: the columns, then index and rank per
 * year (a gap empty), then the source. */
static void csv_line(const ib_room_report *r, const ib_room_line *l, const char *role,
		     const char *area)
{
	char unit[64];
	csv_field(stdout, role, 1);
	csv_field(stdout, area ? area : "", 0);
	csv_field(stdout, l->code, 0);
	csv_field(stdout, l->name, 0);
	csv_field(stdout, cli_room_unit(l, unit, sizeof unit), 0);
	for (const cli_room_col *c = cli_room_cols; c->key; c++)
		csv_num(stdout, c->get(l), c->decimals);
	for (size_t y = 0; y < r->n_years; y++) {
		const ib_room_cell *c = l->cells ? &l->cells[y] : NULL;
		csv_num(stdout, c && c->ok ? c->index : IB_NA, 1);
		csv_num(stdout, c && c->ok ? c->rank : IB_NA, 0);
	}
	csv_field(stdout, l->main ? l->main->source : "", 0);
	csv_end_row(stdout);
}

static void print_csv(const ib_room_report *r)
{
	csv_begin(stdout);
	const char *head[] = {"rolle", "omraade", "funktion", "navn", "maal"};
	for (size_t i = 0; i < 5; i++)
		csv_field(stdout, head[i], i == 0);
	for (const cli_room_col *c = cli_room_cols; c->key; c++)
		csv_field(stdout, c->key, 0);
	for (size_t y = 0; y < r->n_years; y++) {
		char k[32];
		snprintf(k, sizeof k, "indeks_%d", r->years[y]);
		csv_field(stdout, k, 0);
		snprintf(k, sizeof k, "rang_%d", r->years[y]);
		csv_field(stdout, k, 0);
	}
	csv_field(stdout, "kilde", 0);
	csv_end_row(stdout);
	for (size_t i = 0; i < r->n_lines; i++) {
		const ib_room_line *l = &r->lines[i];
		csv_line(r, l, *l->code ? "funktion" : "fagområde", l->area);
		for (size_t k = 0; k < l->n_parts; k++)
			csv_line(r, &l->parts[k], "funktion i fagområdet", l->area);
	}
	csv_field(stdout, "i alt", 1);
	csv_field(stdout, "", 0);
	csv_field(stdout, "", 0);
	csv_field(stdout, "positive mulighedsrum", 0);
	csv_field(stdout, "kr.", 0);
	for (const cli_room_col *c = cli_room_cols; c->key; c++)
		csv_num(stdout, c->get == col_room ? round(r->total_positive_kr) : IB_NA, 0);
	for (size_t y = 0; y < r->n_years; y++) {
		csv_field(stdout, "", 0);
		csv_field(stdout, "", 0);
	}
	csv_field(stdout, r->source, 0);
	csv_end_row(stdout);
}

/* ---- options ---------------------------------------------------------------------- */

/* One option or operand of room into o; EXIT_OK or the error's exit code. */
static int room_option(ib_room_opts *o, out_format *fmt, int id, const char *v)
{
	long n;
	switch (id) {
	case O_JSON:
	case O_CSV:
		*fmt = id == O_JSON ? OUT_JSON : OUT_CSV;
		break;
	case O_FUNCTIONS:
		o->functions = 1;
		break;
	case O_IDEAS:
		if (cli_opt_long("--ideas", v, 0, 50, NULL, &n))
			return EXIT_USAGE;
		o->n_ideas = (int)n;
		break;
	case O_MEASURE:
		if (!strcmp(v, "inhabitant") || !strcmp(v, "target")) {
			o->measure = v[0] == 't' ? IB_ROOM_PER_TARGET : IB_ROOM_PER_INHABITANT;
			break;
		}
		cli_error("--measure: expected inhabitant or target, got '%s'", v);
		return EXIT_USAGE;
	case O_TARGET_GROUP:
		o->target_group = v;
		o->measure = IB_ROOM_PER_TARGET;
		break;
	case CLI_OPT_OPERAND:
		if (o->peer.kommune) {
			cli_error("room reports on one municipality; got '%s' and '%s'",
				  o->peer.kommune, v);
			return EXIT_USAGE;
		}
		o->peer.kommune = v;
		break;
	default:
		return cli_peer_option(&o->peer, id, v);
	}
	return EXIT_OK;
}

int cmd_room(int argc, char **argv, ib_cli *cli)
{
	ib_room_opts o;
	memset(&o, 0, sizeof o);
	o.n_ideas = 3;
	out_format fmt_out = OUT_TABLE;
	const char *v;
	int id, rc = EXIT_OK;
	cli_getopt g = CLI_GETOPT(&spec, argc, argv);
	while (rc == EXIT_OK && (id = cli_getopt_next(&g, &v)) > CLI_OPT_END)
		rc = room_option(&o, &fmt_out, id, v);
	if (rc != EXIT_OK || id == CLI_OPT_STOP)
		return rc != EXIT_OK ? rc : g.rc;
	if (!o.peer.kommune) {
		cli_error("room needs a municipality; see 'ideabank room --help'");
		return EXIT_USAGE;
	}
	ib_store *s = cli_open_store(cli, CLI_READ);
	if (!s)
		return EXIT_STORE;
	ib_room_report *rep = NULL;
	ib_error err = {0};
	if (ib_room(s, &o, &rep, &err)) {
		rc = cli_fail(&err);
		goto done;
	}
	if (o.measure == IB_ROOM_PER_TARGET && !lines_per_target(rep))
		fprintf(stderr,
			"ideabank: note: no population by age for %s in %d or before (fetch "
			"--only aldersfordeling): every area is per inhabitant\n",
			rep->self.name, rep->year);
	if (fmt_out == OUT_JSON) {
		cJSON *j = cli_room_json(rep);
		char *z = j ? cJSON_Print(j) : NULL;
		cJSON_Delete(j);
		if (z) {
			puts(z);
			cJSON_free(z);
		} else {
			rc = EXIT_STORE;
		}
	} else if (fmt_out == OUT_CSV) {
		print_csv(rep);
	} else {
		print_text(rep, cli);
	}
done:
	ib_room_free(rep);
	ib_store_close(s);
	return rc;
}
