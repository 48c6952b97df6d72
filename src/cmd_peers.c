/* cmd_peers.c - `ideabank peers`: spending per inhabitant against peer municipalities,
 * the benchmark and the mulighedsrum, with a bar chart on a terminal. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli.h"
#include "opt.h"

enum { O_FUNCTION = CLI_OPT_FIRST, O_AREA, O_IDEAS, O_CHART, O_NO_CHART, O_JSON, O_CSV };

static const cli_option options[] = {
    {O_FUNCTION, "--function", "CODE", "a REGK31 function, e.g. 3.22.01 (Folkeskoler)", NULL},
    {O_AREA, "--area", "AREA",
     "one of KL's nine areas: the sum of its functions\n"
     "(data/area_functions.csv)",
     "@area"},
    CLI_PEER_OPTIONS,
    {O_IDEAS, "--ideas", NULL,
     "also list the best-ranked proposals in the area, projected\n"
     "onto the municipality",
     NULL},
    {O_CHART, "--chart", NULL, "bar chart of all municipalities (default: on a terminal)", NULL},
    {O_NO_CHART, "--no-chart", NULL, "no bar chart", NULL},
    {O_JSON, "--json", NULL, "machine output: JSON", NULL},
    {O_CSV, "--csv", NULL, "machine output for Excel: ';', decimal comma, UTF-8 BOM", NULL},
    {0, NULL, NULL, NULL, NULL},
};

static const cli_command spec = {
    "peers",
    "ideabank peers KOMMUNE (--function CODE | --area AREA) [options]",
    "Compare a municipality's net operating expenditure per inhabitant (REGK31) with its\n"
    "peers: own figure, each peer's, the benchmark, the mulighedsrum = (own - benchmark)\n"
    "x inhabitants in kr. and as a share of own spending, and the rank among all\n"
    "municipalities (1 = lowest spending).\n",
    options,
    "exit codes: 0 ok, 2 usage, 3 unknown municipality, area, function or year\n",
    "@kommune",
    0,
};

int cli_peer_option(ib_peer_opts *o, int id, const char *v)
{
	ib_error err = {0};
	long n;
	switch (id) {
	case CLI_PEER_YEAR:
		if (cli_opt_long("--year", v, 1990, 2100, "a year", &n))
			return EXIT_USAGE;
		o->year = (int)n;
		return EXIT_OK;
	case CLI_PEER_K:
		if (cli_opt_long("--k", v, 1, 97, NULL, &n))
			return EXIT_USAGE;
		o->k = (int)n;
		return EXIT_OK;
	case CLI_PEER_WEIGHTS:
		if (!ib_peer_weights_parse(v, o))
			return EXIT_OK;
		cli_error("--weights: expected five finite numbers S,G,V,Y,O (or four, S,G,Y,O), "
			  "none negative, got '%s'",
			  v);
		return EXIT_USAGE;
	case CLI_PEER_BENCHMARK:
		if (!ib_benchmark_parse(v, &o->benchmark, &err))
			return EXIT_OK;
		break;
	default: /* CLI_PEER_METHOD */
		if (!ib_peer_method_parse(v, o, &err))
			return EXIT_OK;
	}
	cli_error("%s", err.msg);
	return EXIT_USAGE;
}

static void fmt_kr(double v, int decimals, char *out, size_t n)
{
	if (ib_is_na(v))
		snprintf(out, n, "-");
	else
		ib_num_format(v, decimals, out, n);
}

/* Municipalities sorted by kr. per inhabitant, the own bar marked, the benchmark as a
 * line through the bars. */
static void print_chart(const ib_peer_set *p, const ib_cli *cli)
{
	double max = 0;
	for (size_t i = 0; i < p->n_all; i++)
		if (p->all[i].kr > max)
			max = p->all[i].kr;
	if (max <= 0)
		return;
	int width = cli->width > 60 ? cli->width - 36 : 24;
	int bench = ib_is_na(p->benchmark) ? -1 : (int)lround(p->benchmark / max * width);
	printf("\nAlle kommuner, kr. pr. indbygger (%d); ┃ = benchmark, ◀ = %s, * = "
	       "sammenligningskommune\n",
	       p->year, p->self.name);
	for (size_t i = 0; i < p->n_all; i++) {
		const ib_peer_row *r = &p->all[i];
		int is_peer = 0;
		for (size_t j = 0; j < p->n_peers; j++)
			is_peer |= p->peers[j].code == r->code;
		int own = r->code == p->self.code;
		int len = (int)lround(r->kr / max * width);
		char name[72];
		snprintf(name, sizeof name, "%s%s", is_peer ? "*" : " ", r->name);
		cli_cell(stdout, name, 18, 0);
		fputc(' ', stdout);
		for (int k = 0; k < width; k++) {
			if (k == bench)
				fputs("┃", stdout);
			else if (k < len)
				fputs(own ? "█" : "▒", stdout);
			else
				fputc(' ', stdout);
		}
		char kr[32];
		fmt_kr(r->kr, 0, kr, sizeof kr);
		printf(" %8s%s\n", kr, own ? " ◀" : "");
	}
}

static void print_text(const ib_peer_set *p, const char *benchmark_name)
{
	int with_distance = *p->indicators != '\0';
	char own[32], bench[32], mr[48], share[32], pop[32];
	fmt_kr(p->own_kr, 0, own, sizeof own);
	fmt_kr(p->benchmark, 0, bench, sizeof bench);
	fmt_kr(p->mulighedsrum_kr, 0, mr, sizeof mr);
	fmt_kr(ib_is_na(p->mulighedsrum_share) ? IB_NA : p->mulighedsrum_share * 100, 1, share,
	       sizeof share);
	fmt_kr((double)p->inhabitants, 0, pop, sizeof pop);
	printf("%s (%03d): %s, %d\n", p->self.name, p->self.code, p->what, p->year);
	printf("Kilde: %s\n", p->source);
	printf("Sammenlignet med: %s (%zu %s); benchmark: %s\n\n", p->method, p->n_peers,
	       p->n_peers == 1 ? "kommune" : "kommuner", benchmark_name);
	cli_cell(stdout, "Rang", 5, 1);
	fputs("  ", stdout);
	cli_cell(stdout, "Kommune", 20, 0);
	fputs("  ", stdout);
	cli_cell(stdout, "Kr. pr. indb.", 13, 1);
	if (with_distance) {
		fputs("  ", stdout);
		cli_cell(stdout, "Afstand", 8, 1);
	}
	fputc('\n', stdout);
	int own_shown = 0;
	for (size_t i = 0; i < p->n_peers || !own_shown; i++) {
		/* the own row in its place among the peers */
		int put_own = !own_shown && (i == p->n_peers || p->peers[i].kr > p->own_kr);
		const ib_peer_row *r = put_own ? NULL : &p->peers[i];
		char rank[16], kr[32], name[80], dist[32] = "";
		if (put_own) {
			snprintf(rank, sizeof rank, "%d", p->own_rank);
			snprintf(name, sizeof name, "%s (egen)", p->self.name);
			fmt_kr(p->own_kr, 0, kr, sizeof kr);
			own_shown = 1;
			i--;
		} else {
			snprintf(rank, sizeof rank, "%d", r->rank);
			snprintf(name, sizeof name, "%s", r->name);
			fmt_kr(r->kr, 0, kr, sizeof kr);
			fmt_kr(r->distance, 2, dist, sizeof dist);
		}
		cli_cell(stdout, rank, 5, 1);
		fputs("  ", stdout);
		cli_cell(stdout, name, 20, 0);
		fputs("  ", stdout);
		cli_cell(stdout, kr, 13, 1);
		if (with_distance) {
			fputs("  ", stdout);
			cli_cell(stdout, dist, 8, 1);
		}
		fputc('\n', stdout);
	}
	printf("\nEgen udgift:   %s kr. pr. indbygger (rang %d af %d; 1 = lavest)\n", own,
	       p->own_rank, p->n_ranked);
	printf("Benchmark:     %s kr. pr. indbygger\n", bench);
	printf("Mulighedsrum:  %s kr. om året (%s %% af egen udgift; %s indbyggere, %d)\n", mr,
	       share, pop, p->population_year);
	if (!ib_is_na(p->mulighedsrum_kr) && p->mulighedsrum_kr < 0)
		printf("               %s bruger allerede mindre end benchmark\n", p->self.name);
	if (with_distance)
		printf("Afstand:       kommunegruppe 0 eller 1 plus z-scorede indikatorer, "
		       "euklidisk\n");
	if (*p->ties)
		printf("Lige udgift:   %s\n", p->ties);
}

static cJSON *row_json(const ib_peer_row *r, int with_distance)
{
	cJSON *x = cJSON_CreateObject();
	char code[8];
	snprintf(code, sizeof code, "%03d", r->code);
	cJSON_AddStringToObject(x, "kommunekode", code);
	cJSON_AddStringToObject(x, "kommune", r->name);
	cJSON_AddNumberToObject(x, "kr_per_inhabitant", r->kr);
	cJSON_AddNumberToObject(x, "rank", r->rank);
	if (with_distance)
		cJSON_AddNumberToObject(x, "distance", round(r->distance * 1000) / 1000);
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
	for (size_t i = 0; i < p->n_peers; i++)
		cJSON_AddItemToArray(peers, row_json(&p->peers[i], *p->indicators != '\0'));
	return o;
}

static int print_json(const ib_peer_set *p, const char *benchmark_name)
{
	cJSON *o = cli_peers_json(p, benchmark_name);
	char *z = cJSON_Print(o);
	cJSON_Delete(o);
	if (!z)
		return EXIT_STORE;
	puts(z);
	cJSON_free(z);
	return EXIT_OK;
}

/* One CSV row of the comparison: code, name, role, kr., rank, distance, and source. */
static void csv_row(const ib_peer_set *p, const ib_peer_row *r, const char *role)
{
	char b[16] = "";
	if (r->code)
		snprintf(b, sizeof b, "%03d", r->code);
	csv_field(stdout, b, 1);
	csv_field(stdout, r->name, 0);
	csv_field(stdout, role, 0);
	csv_num(stdout, r->kr, 2);
	if (r->rank)
		csv_num(stdout, r->rank, 0);
	else
		csv_field(stdout, "", 0);
	if (*p->indicators && r->code && r->code != p->self.code)
		csv_num(stdout, r->distance, 3);
	else
		csv_field(stdout, "", 0);
}

/* The terminal's table for Excel: own row, peers, then the benchmark and the
 * mulighedsrum (kr. and % of own spending) with the population it was scaled by;
 * every row names its source. */
static void print_csv(ib_store *s, const ib_peer_set *p, const char *benchmark_name)
{
	csv_begin(stdout);
	const char *cols[] = {"kommunekode", "kommune", "rolle",	   "kr_pr_indbygger",
			      "rang",	     "afstand", "mulighedsrum_kr", "mulighedsrum_pct",
			      "indbyggere",  "kilde"};
	for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
		csv_field(stdout, cols[i], i == 0);
	csv_end_row(stdout);
	const char *kilde = p->source;
	ib_peer_row own = {.code = p->self.code, .kr = p->own_kr, .rank = p->own_rank};
	snprintf(own.name, sizeof own.name, "%s", p->self.name);
	csv_row(p, &own, "egen");
	csv_num(stdout, p->mulighedsrum_kr, 0);
	csv_num(stdout, ib_is_na(p->mulighedsrum_share) ? IB_NA : p->mulighedsrum_share * 100, 1);
	csv_num(stdout, (double)p->inhabitants, 0);
	/* the population's own StatBank table and period ("FOLK1AM 2024M01") */
	char pop[320], *psrc = NULL;
	long inhabitants;
	int year_used;
	if (ib_store_population(s, p->self.code, p->population_year, &inhabitants, &year_used,
				&psrc, NULL) == IB_OK && psrc)
		snprintf(pop, sizeof pop, "%s; indbyggere: %s", kilde, psrc);
	else
		snprintf(pop, sizeof pop, "%s; indbyggere: Danmarks Statistik, folketal %d", kilde,
			 p->population_year);
	free(psrc);
	csv_field(stdout, pop, 0);
	csv_end_row(stdout);
	for (size_t i = 0; i < p->n_peers; i++) {
		csv_row(p, &p->peers[i], "sammenligning");
		csv_field(stdout, "", 0);
		csv_field(stdout, "", 0);
		csv_field(stdout, "", 0);
		csv_field(stdout, kilde, 0);
		csv_end_row(stdout);
	}
	ib_peer_row bench = {.kr = p->benchmark};
	snprintf(bench.name, sizeof bench.name, "benchmark (%s)", benchmark_name);
	csv_row(p, &bench, "benchmark");
	csv_field(stdout, "", 0);
	csv_field(stdout, "", 0);
	csv_field(stdout, "", 0);
	csv_field(stdout, kilde, 0);
	csv_end_row(stdout);
}

/* The best-ranked proposals in the comparison's area, projected onto the municipality. */
static int print_ideas(ib_store *s, const ib_peer_set *p)
{
	if (!p->area) {
		printf("\n(no KL area is mapped to %s, so no ideas to list)\n", p->what);
		return EXIT_OK;
	}
	cli_projection pj = {0};
	int rc = cli_projection_for(s, p->self.name, &pj);
	if (rc != EXIT_OK)
		return rc;
	ib_search_opts o = {0};
	o.area = p->area;
	o.sort = IB_SORT_SCORE;
	o.limit = 10;
	ib_result *res = NULL;
	ib_error err = {0};
	if (ib_search(s, &o, &res, &err))
		return cli_fail(&err);
	char pop[32];
	ib_num_format((double)pj.inhabitants, 0, pop, sizeof pop);
	printf("\nIdéer inden for %s (bedste score), projiceret på %s (%s indbyggere, %d):\n",
	       p->area, p->self.name, pop, pj.year);
	if (!res->n)
		printf("  ingen forslag i banken\n");
	for (size_t i = 0; i < res->n; i++) {
		const ib_hit *h = &res->hits[i];
		char proj[32];
		double x = cli_projected(h, &pj);
		if (ib_is_na(x))
			snprintf(proj, sizeof proj, "ukendt");
		else
			ib_num_format(x, 0, proj, sizeof proj);
		char id[16];
		snprintf(id, sizeof id, "%lld", (long long)h->id);
		cli_cell(stdout, id, 5, 1);
		fputs("  ", stdout);
		cli_cell(stdout, h->kommune, 12, 0);
		fputs("  ", stdout);
		cli_cell(stdout, h->title, 48, 0);
		fputs("  ", stdout);
		cli_cell(stdout, proj, 14, 1);
		fputs(" kr.\n", stdout);
	}
	ib_result_free(res);
	return EXIT_OK;
}

int cmd_peers(int argc, char **argv, ib_cli *cli)
{
	ib_peer_opts o = {0};
	out_format fmt = OUT_TABLE;
	int ideas = 0, chart = -1, rc = EXIT_OK, id;
	const char *v;
	cli_getopt g = CLI_GETOPT(&spec, argc, argv);
	while (rc == EXIT_OK && (id = cli_getopt_next(&g, &v)) > CLI_OPT_END) {
		if (id == O_JSON || id == O_CSV)
			fmt = id == O_JSON ? OUT_JSON : OUT_CSV;
		else if (id == O_IDEAS)
			ideas = 1;
		else if (id == O_CHART || id == O_NO_CHART)
			chart = id == O_CHART;
		else if (id == O_FUNCTION)
			o.function = v;
		else if (id == O_AREA)
			o.area = v;
		else if (id != CLI_OPT_OPERAND)
			rc = cli_peer_option(&o, id, v);
		else if (!o.kommune)
			o.kommune = v;
		else {
			cli_error("peers compares one municipality; got '%s' and '%s'", o.kommune,
				  v);
			rc = EXIT_USAGE;
		}
	}
	if (rc != EXIT_OK || id == CLI_OPT_STOP)
		return rc != EXIT_OK ? rc : g.rc;
	if (!o.kommune) {
		cli_error("peers needs a municipality; see 'ideabank peers --help'");
		return EXIT_USAGE;
	}
	if (!o.function == !o.area) {
		cli_error("peers needs exactly one of --function CODE and --area AREA");
		return EXIT_USAGE;
	}
	ib_store *s = cli_open_store(cli, CLI_READ);
	if (!s)
		return EXIT_STORE;
	const char *benchmark_name = ib_benchmark_name(o.benchmark);
	ib_peer_set *p = NULL;
	ib_error err = {0};
	if (ib_peers(s, &o, &p, &err)) {
		rc = cli_fail(&err);
	} else {
		if (*p->note)
			fprintf(stderr, "ideabank: note: %s\n", p->note);
		if (fmt == OUT_JSON) {
			rc = print_json(p, benchmark_name);
		} else if (fmt == OUT_CSV) {
			print_csv(s, p, benchmark_name);
		} else {
			print_text(p, benchmark_name);
			if (chart == 1 || (chart < 0 && cli->is_tty))
				print_chart(p, cli);
			if (ideas)
				rc = print_ideas(s, p);
		}
	}
	ib_peer_set_free(p);
	ib_store_close(s);
	return rc;
}
