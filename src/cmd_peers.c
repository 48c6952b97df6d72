/* cmd_peers.c - `ideabank peers`: spending per inhabitant against peer municipalities,
 * the benchmark and the mulighedsrum, with a bar chart on a terminal. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "opt.h"
#include "records.h"
#include "usage.h"

int cli_peer_option(ib_peer_opts *o, int id, const char *v)
{
	ib_error err = {0};
	long n;
	switch (id) {
	case OPT_PEER_YEAR:
		if (cli_opt_long("--year", v, 1990, 2100, "a year", &n))
			return EXIT_USAGE;
		o->year = (int)n;
		return EXIT_OK;
	case OPT_PEER_K:
		if (cli_opt_long("--k", v, 1, 97, NULL, &n))
			return EXIT_USAGE;
		o->k = (int)n;
		return EXIT_OK;
	case OPT_PEER_WEIGHTS:
		if (!ib_peer_weights_parse(v, o))
			return EXIT_OK;
		return cli_bad_value(
		    "--weights", "five finite numbers S,G,V,Y,O (or four, S,G,Y,O), none negative",
		    v);
	case OPT_PEER_BENCHMARK:
		if (!ib_benchmark_parse(v, &o->benchmark, &err))
			return EXIT_OK;
		break;
	default: /* OPT_PEER_METHOD */
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

static void term_row(const cli_peer_line *l, void *x)
{
	cli_cols_term_row(stdout, cli_peer_cols, cli_peer_view, l, x, 0);
	fputc('\n', stdout);
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
	cli_cols_ctx x = cli_peer_ctx(p);
	cli_cols_term_head(stdout, cli_peer_cols, cli_peer_view, &x, 0);
	fputc('\n', stdout);
	cli_peer_rows(p, benchmark_name, 0, term_row, &x);
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

/* The terminal's table for Excel (cli_peers_csv), with the population's own StatBank
 * table and period ("FOLK1AM 2024M01"). */
static void print_csv(ib_store *s, const ib_peer_set *p, const char *benchmark_name)
{
	char *psrc = NULL;
	long inhabitants;
	int year_used;
	if (ib_store_population(s, p->self.code, p->population_year, &inhabitants, &year_used,
				&psrc, NULL) != IB_OK) {
		free(psrc);
		psrc = NULL;
	}
	cli_peers_csv(stdout, p, benchmark_name, psrc);
	free(psrc);
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
	cli_cols_ctx x = cli_line_ctx(&pj, 0, 0);
	for (size_t i = 0; i < res->n; i++) {
		cli_line l = cli_line_of_hit(&res->hits[i], &pj);
		cli_cols_term_row(stdout, cli_line_cols,
				  "id:5 kommune:12 titel:48 projiceret_kr:14", &l, &x, 0);
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
	cli_getopt g = CLI_GETOPT(&cmd_peers_spec, argc, argv);
	while (rc == EXIT_OK && (id = cli_getopt_next(&g, &v)) > CLI_OPT_END) {
		if (id == OPT_JSON || id == OPT_CSV)
			fmt = id == OPT_JSON ? OUT_JSON : OUT_CSV;
		else if (id == PEERS_IDEAS)
			ideas = 1;
		else if (id == PEERS_CHART || id == PEERS_NO_CHART)
			chart = id == PEERS_CHART;
		else if (id == PEERS_FUNCTION)
			o.function = v;
		else if (id == PEERS_AREA)
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
			rc = cli_print_json(cli_peers_json(p, benchmark_name));
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
