/* cmd_search.c - `ideabank search`: keyword search with filters, as a table, JSON or
 * CSV, with facet counts. */
#include <float.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "opt.h"
#include "records.h"
#include "usage.h"

static void print_facets(const char *label, const ib_facet *f, size_t n)
{
	printf("%s:", label);
	for (size_t i = 0; i < n; i++)
		printf("%s %s (%ld)", i ? "," : "", cli_text(f[i].value, 0), f[i].n);
	printf("\n");
}

/* The snippet for a terminal: \x02..\x03 become bold on a tty, [..] elsewhere. */
static void print_snippet(const char *z, int tty)
{
	fputs("      ", stdout);
	for (const char *p = z; *p; p++) {
		if (*p == '\x02')
			fputs(tty ? "\x1b[1m" : "[", stdout);
		else if (*p == '\x03')
			fputs(tty ? "\x1b[0m" : "]", stdout);
		else if (*p == '\n' || *p == '\r' || *p == '\t')
			fputc(' ', stdout);
		else if ((unsigned char)*p < 0x20 || *p == 0x7F)
			fputs("\xEF\xBF\xBD", stdout); /* never a control character raw */
		else if ((unsigned char)p[0] == 0xC2 && (unsigned char)p[1] >= 0x80 &&
			 (unsigned char)p[1] <= 0x9F)
			fputs("\xEF\xBF\xBD", stdout), p++;
		else
			fputc(*p, stdout);
	}
	fputc('\n', stdout);
}

static void print_explain(const ib_hit *h)
{
	char t[5][16], tot[16];
	const double v[5] = {h->score.relevance, h->score.effect, h->score.payback,
			     h->score.evidence, h->score.recency};
	for (int i = 0; i < 5; i++)
		ib_num_format(v[i], 2, t[i], sizeof t[i]);
	ib_num_format(h->score.total, 3, tot, sizeof tot);
	printf("      score %s = 0,35 x relevans %s + 0,30 x effekt %s + 0,15 x tilbagebetaling "
	       "%s + 0,15 x evidens %s + 0,05 x aktualitet %s\n",
	       tot, t[0], t[1], t[2], t[3], t[4]);
}

static void print_table(const ib_result *r, const ib_cli *cli, int snippets,
			const cli_projection *pj, int explain)
{
	cli_cols_ctx x = cli_line_ctx(pj, 0, 0);
	cli_cols_term_head(stdout, cli_line_cols, cli_line_term_view, &x, cli->width);
	fputc('\n', stdout);
	for (size_t i = 0; i < r->n; i++) {
		cli_line l = cli_line_of_hit(&r->hits[i], pj);
		cli_cols_term_row(stdout, cli_line_cols, cli_line_term_view, &l, &x, cli->width);
		fputc('\n', stdout);
		if (explain)
			print_explain(l.h);
		if (snippets && l.h->snippet)
			print_snippet(l.h->snippet, cli_color(cli));
	}
	if (r->n < r->total)
		printf("(%zu of %zu shown; use --limit)\n", r->n, r->total);
	if (pj) {
		char n[32];
		ib_num_format((double)pj->inhabitants, 0, n, sizeof n);
		printf("I %s: effekt pr. indbygger x %s indbyggere (%d; kilde: %s); egne forslag "
		       "uomregnet\n",
		       pj->m.name, n, pj->year, pj->source);
	}
}

static void print_csv(const ib_result *r, const cli_projection *pj, int with_score)
{
	cli_cols_ctx x = cli_line_ctx(pj, with_score, 0);
	csv_begin(stdout);
	cli_cols_csv_head(stdout, cli_line_cols, &x);
	for (size_t i = 0; i < r->n; i++) {
		cli_line l = cli_line_of_hit(&r->hits[i], pj);
		cli_cols_csv_row(stdout, cli_line_cols, &l, &x);
	}
}

/* Whether some stored municipality lies in region r ("Sjælland" or "Region Sjælland"). */
static int known_region(ib_store *s, const char *r)
{
	ib_municipality *all = NULL;
	size_t n = 0;
	int known = 0;
	if (ib_store_municipalities(s, &all, &n, NULL))
		return 1; /* cannot tell: the search itself says what it finds */
	for (size_t i = 0; i < n && !known; i++)
		known = ib_region_matches(all[i].region, r);
	free(all);
	return known;
}

/* The unknown-area error: the areas named, exit 3 (a data error, as peers --area). */
static int unknown_area(const char *v)
{
	cli_error("unknown area '%s'; the areas are: Administration, Beskæftigelse og Erhverv, "
		  "Teknik og miljø, Ældre og sundhed, Kultur og fritid, Daginstitutioner, Udsatte "
		  "børn, Udsatte voksne og borgere med handicap, Skoler",
		  v);
	return EXIT_DATA;
}

/* --sort's words: relevance, effect, per-inhabitant, projected, score. */
static int parse_sort(const char *v, ib_search_opts *o, int *projected)
{
	static const struct {
		const char *word;
		ib_sort sort;
	} sorts[] = {{"relevance", IB_SORT_RELEVANCE},
		     {"effect", IB_SORT_EFFECT},
		     {"per-inhabitant", IB_SORT_PER_INHABITANT},
		     {"projected", IB_SORT_PER_INHABITANT},
		     {"score", IB_SORT_SCORE}};
	for (size_t i = 0; i < sizeof sorts / sizeof sorts[0]; i++)
		if (!strcmp(v, sorts[i].word)) {
			o->sort = sorts[i].sort;
			*projected = !strcmp(v, "projected");
			return EXIT_OK;
		}
	return cli_bad_value("--sort", "relevance, effect, per-inhabitant, projected or score", v);
}

/* One option of search into o and the flags; EXIT_OK or the error's exit code. */
typedef struct search_args {
	ib_search_opts o;
	out_format fmt;
	int facets, snippets, limit_set, explain, sort_projected;
	const char *kommune, *for_kommune;
	ib_buf q;
} search_args;

static int search_option(search_args *a, int id, const char *v)
{
	ib_search_opts *o = &a->o;
	long n;
	switch (id) {
	case OPT_JSON:
		a->fmt = OUT_JSON;
		break;
	case OPT_CSV:
		a->fmt = OUT_CSV;
		break;
	case SEARCH_EXPLAIN:
		a->explain = 1;
		break;
	case SEARCH_FOR:
		a->for_kommune = v;
		break;
	case SEARCH_FACETS:
		a->facets = 1;
		break;
	case SEARCH_SNIPPETS:
		a->snippets = 1;
		break;
	case SEARCH_ADOPTED:
		o->adopted_only = 1;
		break;
	case SEARCH_AREA:
		if (!(o->area = ib_area_canonical(v)))
			return unknown_area(v);
		break;
	case SEARCH_KIND:
		o->kind = ib_kind_canonical(v);
		return o->kind ? EXIT_OK
			       : cli_bad_value("--kind",
					       "effektivisering, investering, servicereduktion, "
					       "innovation or andet",
					       v);
	case SEARCH_YEAR:
		return ib_years_parse(v, &o->year_from, &o->year_to)
			   ? cli_bad_value("--year",
					   "a year or a range like 2021-2024, 2021..2024 or 2021..",
					   v)
			   : EXIT_OK;
	case SEARCH_POPULATION:
		return cli_population_filter(v, o)
			   ? cli_bad_value("--population",
					   "a range of inhabitants like 20.000..60.000, 20000.. or "
					   "..60000",
					   v)
			   : EXIT_OK;
	case SEARCH_EFFECT:
		return cli_effect_filter(v, o) ? cli_bad_value("--effect",
							       "a range in kr. like 1.000.000.., "
							       "..500000 or 100.000..1.000.000",
							       v)
					       : EXIT_OK;
	case SEARCH_KOMMUNE:
		a->kommune = v;
		break;
	case SEARCH_REGION:
		o->region = v;
		break;
	case SEARCH_SORT:
		return parse_sort(v, o, &a->sort_projected);
	case SEARCH_LIMIT:
		if (cli_opt_long("--limit", v, 1, 1000000, "a positive number", &n))
			return EXIT_USAGE;
		o->limit = (int)n;
		a->limit_set = 1;
		break;
	default: /* a word of the query */
		if (a->q.n)
			ib_buf_addc(&a->q, ' ');
		ib_buf_adds(&a->q, v);
	}
	return EXIT_OK;
}

/* What the options say together, once all are read: --sort projected needs --for,
 * --explain the score; the limit on a terminal; a query of blanks is no query. */
static int check_args(search_args *a, const ib_cli *cli)
{
	if (a->sort_projected && !a->for_kommune) {
		cli_error("--sort projected needs --for KOMMUNE");
		return EXIT_USAGE;
	}
	if (a->explain && a->o.sort == IB_SORT_DEFAULT)
		a->o.sort = IB_SORT_SCORE;
	if (a->explain && a->o.sort != IB_SORT_SCORE) {
		cli_error("--explain explains the score: use it with --sort score");
		return EXIT_USAGE;
	}
	if (!a->limit_set && a->fmt == OUT_TABLE && cli->is_tty)
		a->o.limit = 20;
	/* as on the web page */
	a->o.query = a->q.n && a->q.z[strspn(a->q.z, " \t\r\n")] ? a->q.z : NULL;
	return EXIT_OK;
}

/* The search of a in store s, printed as a asks. */
static int run_search(search_args *a, ib_store *s, const ib_cli *cli)
{
	ib_search_opts *o = &a->o;
	ib_error err = {0};
	ib_municipality m;
	if (o->region && !known_region(s, o->region)) {
		cli_error(
		    "unknown region '%s'; the regions are: Hovedstaden, Sjælland, Syddanmark, "
		    "Midtjylland, Nordjylland",
		    o->region);
		return EXIT_USAGE;
	}
	if (a->kommune) {
		if (ib_store_find_municipality(s, a->kommune, &m, &err))
			return cli_fail(&err);
		o->kommunekode = m.code;
	}
	cli_projection proj, *pj = NULL;
	if (a->for_kommune) {
		int rc = cli_projection_for(s, a->for_kommune, &proj);
		if (rc != EXIT_OK)
			return rc;
		pj = &proj;
	}
	int with_score = o->sort == IB_SORT_SCORE, rc = EXIT_OK;
	/* snippets cost most of a small search: made only where they are shown */
	o->no_snippets = a->fmt == OUT_CSV || (a->fmt == OUT_TABLE && !a->snippets);
	ib_result *res = NULL;
	if (ib_search(s, o, &res, &err))
		return cli_fail(&err);
	if (a->fmt == OUT_JSON) {
		rc = cli_print_json(cli_search_json(res, o->query, a->facets, pj, with_score));
	} else if (a->fmt == OUT_CSV) {
		print_csv(res, pj, with_score);
	} else if (res->n == 0) {
		fprintf(stderr, "ideabank: no proposals match\n");
	} else {
		print_table(res, cli, a->snippets, pj, a->explain);
		if (a->facets) {
			printf("\n");
			print_facets("Fagområde", res->by_area, res->n_by_area);
			print_facets("Budgetår", res->by_year, res->n_by_year);
			print_facets("Kommune", res->by_kommune, res->n_by_kommune);
			print_facets("Type", res->by_kind, res->n_by_kind);
		}
	}
	if (rc == EXIT_OK && res->total == 0)
		rc = EXIT_NO_RESULTS;
	ib_result_free(res);
	return rc;
}

int cmd_search(int argc, char **argv, ib_cli *cli)
{
	search_args a = {.o = {.effect_min = IB_NA, .effect_max = IB_NA}, .fmt = OUT_TABLE};
	ib_buf_init(&a.q, 0);
	int rc = EXIT_OK, id;
	const char *v;
	cli_getopt g = CLI_GETOPT(&cmd_search_spec, argc, argv);
	while (rc == EXIT_OK && (id = cli_getopt_next(&g, &v)) > CLI_OPT_END)
		rc = search_option(&a, id, v);
	if (rc == EXIT_OK && id == CLI_OPT_STOP)
		rc = g.rc;
	else if (rc == EXIT_OK && (rc = check_args(&a, cli)) == EXIT_OK) {
		ib_store *s = cli_open_store(cli, CLI_READ);
		/* one search: the facts of one block at a time, not the bank's */
		if (s)
			ib_search_keep_facts(s, 0);
		rc = s ? run_search(&a, s, cli) : EXIT_STORE;
		ib_store_close(s);
	}
	ib_buf_free(&a.q);
	return rc;
}
