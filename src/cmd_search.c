/* cmd_search.c - `ideabank search`: keyword search with filters, as a table, JSON or
 * CSV, with facet counts. */
#include <float.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli.h"

static const char usage_text[] =
    "usage: ideabank search [QUERY...] [options]\n"
    "\n"
    "Find proposals.  Words are ANDed; without words every proposal matches.\n"
    "Effect per inhabitant = effect in kr / the municipality's population in the\n"
    "budget year (the nearest earlier year when that is missing; the year used is shown).\n"
    "\n"
    "options:\n"
    "  --area AREA           one of KL's nine areas, e.g. \"Ældre og sundhed\"\n"
    "  --year Y | Y1..Y2     budget year or range\n"
    "  --kommune NAME|CODE   one municipality\n"
    "  --region R            e.g. Sjælland or \"Region Sjælland\"\n"
    "  --kind K              effektivisering, investering, servicereduktion, innovation, andet\n"
    "  --adopted             only proposals known to be adopted\n"
    "  --population A..B     municipalities of A to B inhabitants in the proposal's\n"
    "                        budget year (open ends allowed: 20.000.., ..60000)\n"
    "  --effect A..B         yearly effect in kr. (1.000.000.., ..-500.000); proposals\n"
    "                        with unknown effect are left out\n"
    "  --sort S              relevance (default with words), effect (default without),\n"
    "                        per-inhabitant, projected (with --for), score\n"
    "  --for NAME|CODE       project each idea onto that municipality: effect per\n"
    "                        inhabitant x its latest population\n"
    "  --explain             with --sort score: print each factor of the score\n"
    "  --limit N             at most N results (default 20 on a terminal table, else all)\n"
    "  --facets              counts per area, budget year, municipality and kind\n"
    "  --snippets            the matched words in context under each result\n"
    "  --json | --csv        machine output (CSV: ';', decimal comma, UTF-8 BOM)\n"
    "\n"
    "exit codes: 0 results, 1 no results, 2 usage, 3 data error, 4 database error\n";

/* Parse a range "A..B", "A.." or "..B" of Danish-notation numbers into *lo and *hi
 * (IB_NA for an open end).  -1 when z is not such a range or lo > hi. */
static int parse_range(const char *z, double *lo, double *hi)
{
	const char *dots = strstr(z, "..");
	if (!dots || strcmp(z, "..") == 0)
		return -1;
	char a[64];
	size_t n = (size_t)(dots - z);
	if (n >= sizeof a)
		return -1;
	memcpy(a, z, n);
	a[n] = '\0';
	*lo = *hi = IB_NA;
	if (n && ib_num_parse(a, lo))
		return -1;
	if (dots[2] && ib_num_parse(dots + 2, hi))
		return -1;
	if (!ib_is_na(*lo) && !ib_is_na(*hi) && *lo > *hi)
		return -1;
	return 0;
}

/* --population A..B into o: whole inhabitants, at least 1 at a closed end. */
static int population_range(const char *z, ib_search_opts *o)
{
	double lo, hi;
	if (parse_range(z, &lo, &hi) || (!ib_is_na(lo) && (lo < 0 || lo != (long)lo)) ||
	    (!ib_is_na(hi) && (hi < 1 || hi != (long)hi || hi > 1e9))) {
		cli_error("--population: expected a range of inhabitants like 20.000..60.000, "
			  "20000.. or ..60000, got '%s'",
			  z);
		return EXIT_USAGE;
	}
	o->pop_min = ib_is_na(lo) ? 0 : (long)lo;
	o->pop_max = ib_is_na(hi) ? 0 : (long)hi;
	return EXIT_OK;
}

/* --effect A..B into o.  The library reads a bound of 0 as an open end; an effect is
 * never 0 (unknown is null), so "0.." is "more than 0" and "..0" "less than 0". */
static int effect_range(const char *z, ib_search_opts *o)
{
	double lo, hi;
	if (parse_range(z, &lo, &hi)) {
		cli_error("--effect: expected a range in kr. like 1.000.000.., ..500000 or "
			  "100.000..1.000.000, got '%s'",
			  z);
		return EXIT_USAGE;
	}
	o->effect_min = lo == 0 ? DBL_MIN : lo;
	o->effect_max = hi == 0 ? -DBL_MIN : hi;
	return EXIT_OK;
}

/* Parse "2021" or "2021..2024". */
static int parse_years(const char *z, int *from, int *to)
{
	char *end;
	long a = strtol(z, &end, 10);
	long b = a;
	if (end == z)
		return -1;
	if (strncmp(end, "..", 2) == 0) {
		const char *q = end + 2;
		b = strtol(q, &end, 10);
		if (end == q)
			return -1;
	}
	if (*end || a < 1990 || a > 2100 || b < a || b > 2100)
		return -1;
	*from = (int)a;
	*to = (int)b;
	return 0;
}

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
	/* ID  Kommune  År  Titel  Effekt (kr)  Kr. pr. indb.  Folketal (år)  [I X (kr)] */
	const size_t w_id = 4, w_kom = 14, w_year = 4, w_eff = 13, w_per = 13, w_pop = 16;
	const size_t w_proj = pj ? 16 : 0;
	size_t fixed =
	    w_id + w_kom + w_year + w_eff + w_per + w_pop + 6 * 2 + (pj ? w_proj + 2 : 0);
	size_t w_title = cli->width > (int)fixed + 20 ? (size_t)cli->width - fixed : 20;
	cli_cell(stdout, "ID", w_id, 1);
	fputs("  ", stdout);
	cli_cell(stdout, "Kommune", w_kom, 0);
	fputs("  ", stdout);
	cli_cell(stdout, "År", w_year, 0);
	fputs("  ", stdout);
	cli_cell(stdout, "Titel", w_title, 0);
	fputs("  ", stdout);
	cli_cell(stdout, "Effekt (kr)", w_eff, 1);
	fputs("  ", stdout);
	cli_cell(stdout, "Kr. pr. indb.", w_per, 1);
	fputs("  ", stdout);
	cli_cell(stdout, "Folketal (år)", w_pop, 1);
	if (pj) {
		char head[96];
		snprintf(head, sizeof head, "I %s (kr)", pj->m.name);
		fputs("  ", stdout);
		cli_cell(stdout, head, w_proj, 1);
	}
	fputc('\n', stdout);
	for (size_t i = 0; i < r->n; i++) {
		const ib_hit *h = &r->hits[i];
		char id[24], year[8], eff[64], per[64], pop[96], popn[64];
		snprintf(id, sizeof id, "%lld", (long long)h->id);
		snprintf(year, sizeof year, "%d", h->budget_year);
		ib_num_format(h->effect_kr, 0, eff, sizeof eff);
		if (ib_is_na(h->effect_kr))
			snprintf(eff, sizeof eff, "ukendt");
		ib_num_format(h->per_inhabitant, 2, per, sizeof per);
		if (ib_is_na(h->per_inhabitant))
			snprintf(per, sizeof per, "ukendt");
		if (h->population > 0) {
			ib_num_format((double)h->population, 0, popn, sizeof popn);
			snprintf(pop, sizeof pop, "%s (%d)", popn, h->population_year);
		} else {
			snprintf(pop, sizeof pop, "ukendt");
		}
		cli_cell(stdout, id, w_id, 1);
		fputs("  ", stdout);
		cli_cell(stdout, h->kommune, w_kom, 0);
		fputs("  ", stdout);
		cli_cell(stdout, year, w_year, 0);
		fputs("  ", stdout);
		cli_cell(stdout, h->title, w_title, 0);
		fputs("  ", stdout);
		cli_cell(stdout, eff, w_eff, 1);
		fputs("  ", stdout);
		cli_cell(stdout, per, w_per, 1);
		fputs("  ", stdout);
		cli_cell(stdout, pop, w_pop, 1);
		if (pj) {
			char proj[64];
			double x = cli_projected(h, pj);
			if (ib_is_na(x))
				snprintf(proj, sizeof proj, "ukendt");
			else
				ib_num_format(x, 0, proj, sizeof proj);
			fputs("  ", stdout);
			cli_cell(stdout, proj, w_proj, 1);
		}
		fputc('\n', stdout);
		if (explain)
			print_explain(h);
		if (snippets && h->snippet)
			print_snippet(h->snippet, cli_color(cli));
	}
	if (r->n < r->total)
		printf("(%zu of %zu shown; use --limit)\n", r->n, r->total);
	if (pj) {
		char n[32];
		ib_num_format((double)pj->inhabitants, 0, n, sizeof n);
		printf("I %s: effekt pr. indbygger x %s indbyggere (%d; kilde: %s)\n", pj->m.name,
		       n, pj->year, pj->source);
	}
}

static int print_json(const ib_result *r, const char *query, int facets, const cli_projection *pj,
		      int with_score)
{
	cJSON *o = cli_search_json_ex(r, query, facets, pj, with_score);
	char *z = o ? cJSON_Print(o) : NULL;
	cJSON_Delete(o);
	if (!z)
		return EXIT_STORE;
	puts(z);
	cJSON_free(z);
	return EXIT_OK;
}

static void print_csv(const ib_result *r, const cli_projection *pj, int with_score)
{
	csv_begin(stdout);
	const char *cols[] = {"id",	     "kommunekode", "kommune",	       "budgetaar",
			      "ref",	     "titel",	    "omraade",	       "type",
			      "vedtaget",    "effekt_kr",   "kr_pr_indbygger", "folketal",
			      "folketal_aar", "folketal_kilde"};
	for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
		csv_field(stdout, cols[i], i == 0);
	if (pj)
		csv_field(stdout, "projiceret_kr", 0);
	if (with_score)
		csv_field(stdout, "score", 0);
	csv_end_row(stdout);
	for (size_t i = 0; i < r->n; i++) {
		const ib_hit *h = &r->hits[i];
		char b[32];
		snprintf(b, sizeof b, "%lld", (long long)h->id);
		csv_field(stdout, b, 1);
		snprintf(b, sizeof b, "%03d", h->kommunekode);
		csv_field(stdout, b, 0);
		csv_field(stdout, h->kommune, 0);
		snprintf(b, sizeof b, "%d", h->budget_year);
		csv_field(stdout, b, 0);
		csv_field(stdout, h->ref, 0);
		csv_field(stdout, h->title, 0);
		csv_field(stdout, h->area, 0);
		csv_field(stdout, h->kind, 0);
		csv_field(stdout, h->adopted == 1 ? "ja" : h->adopted == 0 ? "nej" : "ukendt", 0);
		csv_num(stdout, h->effect_kr, 0);
		csv_num(stdout, h->per_inhabitant, 2);
		csv_num(stdout, h->population > 0 ? (double)h->population : IB_NA, 0);
		csv_num(stdout, h->population_year ? h->population_year : IB_NA, 0);
		/* the StatBank table and period of that population figure */
		csv_field(stdout, h->population_source ? h->population_source : "", 0);
		if (pj)
			csv_num(stdout, cli_projected(h, pj), 0);
		if (with_score)
			csv_num(stdout, h->score.total, 3);
		csv_end_row(stdout);
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

int cmd_search(int argc, char **argv, ib_cli *cli)
{
	ib_search_opts o = {.effect_min = IB_NA, .effect_max = IB_NA};
	out_format fmt = OUT_TABLE;
	int facets = 0, snippets = 0, limit_set = 0, explain = 0, sort_projected = 0;
	const char *kommune = NULL, *for_kommune = NULL, *v;
	ib_buf q;
	ib_buf_init(&q, 0);
	int r, rc = EXIT_OK;
	for (int i = 1; i < argc && rc == EXIT_OK; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(usage_text, stdout);
			ib_buf_free(&q);
			return EXIT_OK;
		} else if (!strcmp(a, "--json")) {
			fmt = OUT_JSON;
		} else if (!strcmp(a, "--csv")) {
			fmt = OUT_CSV;
		} else if (!strcmp(a, "--explain")) {
			explain = 1;
		} else if ((r = cli_opt_value(argc, argv, &i, "--for", &v)) != 0) {
			if (r < 0)
				rc = EXIT_USAGE;
			for_kommune = v;
		} else if (!strcmp(a, "--facets")) {
			facets = 1;
		} else if (!strcmp(a, "--snippets")) {
			snippets = 1;
		} else if (!strcmp(a, "--adopted")) {
			o.adopted_only = 1;
		} else if ((r = cli_opt_value(argc, argv, &i, "--area", &v)) != 0) {
			if (r < 0 || !(o.area = ib_area_canonical(v))) {
				if (r > 0)
					cli_error(
					    "unknown area '%s'; the areas are: Administration, "
					    "Beskæftigelse og Erhverv, Teknik og miljø, Ældre og "
					    "sundhed, Kultur og fritid, Daginstitutioner, Udsatte "
					    "børn, Udsatte voksne og borgere med handicap, Skoler",
					    v);
				rc = EXIT_USAGE;
			}
		} else if ((r = cli_opt_value(argc, argv, &i, "--kind", &v)) != 0) {
			if (r < 0 || !(o.kind = ib_kind_canonical(v))) {
				if (r > 0)
					cli_error(
					    "unknown kind '%s'; expected effektivisering, "
					    "investering, servicereduktion, innovation or andet",
					    v);
				rc = EXIT_USAGE;
			}
		} else if ((r = cli_opt_value(argc, argv, &i, "--year", &v)) != 0) {
			if (r < 0 || parse_years(v, &o.year_from, &o.year_to)) {
				if (r > 0)
					cli_error("--year: expected a year or a range like "
						  "2021..2024, got '%s'",
						  v);
				rc = EXIT_USAGE;
			}
		} else if ((r = cli_opt_value(argc, argv, &i, "--population", &v)) != 0) {
			rc = r < 0 ? EXIT_USAGE : population_range(v, &o);
		} else if ((r = cli_opt_value(argc, argv, &i, "--effect", &v)) != 0) {
			rc = r < 0 ? EXIT_USAGE : effect_range(v, &o);
		} else if ((r = cli_opt_value(argc, argv, &i, "--kommune", &v)) != 0) {
			if (r < 0)
				rc = EXIT_USAGE;
			kommune = v;
		} else if ((r = cli_opt_value(argc, argv, &i, "--region", &v)) != 0) {
			if (r < 0)
				rc = EXIT_USAGE;
			o.region = v;
		} else if ((r = cli_opt_value(argc, argv, &i, "--sort", &v)) != 0) {
			if (r < 0)
				rc = EXIT_USAGE;
			else if (!strcmp(v, "relevance"))
				o.sort = IB_SORT_RELEVANCE;
			else if (!strcmp(v, "effect"))
				o.sort = IB_SORT_EFFECT;
			else if (!strcmp(v, "per-inhabitant"))
				o.sort = IB_SORT_PER_INHABITANT;
			else if (r > 0 && !strcmp(v, "projected"))
				o.sort = IB_SORT_PER_INHABITANT, sort_projected = 1;
			else if (r > 0 && !strcmp(v, "score"))
				o.sort = IB_SORT_SCORE;
			else {
				cli_error("--sort: expected relevance, effect, per-inhabitant, "
					  "projected or score, "
					  "got '%s'",
					  v);
				rc = EXIT_USAGE;
			}
		} else if ((r = cli_opt_value(argc, argv, &i, "--limit", &v)) != 0) {
			char *end;
			long n = r > 0 ? strtol(v, &end, 10) : 0;
			if (r < 0 || *end || n < 1 || n > 1000000) {
				if (r > 0)
					cli_error("--limit: expected a positive number, got '%s'",
						  v);
				rc = EXIT_USAGE;
			}
			o.limit = (int)n;
			limit_set = 1;
		} else if (a[0] == '-' && a[1] == '-') {
			rc = cli_unknown_option("search", a, usage_text);
		} else {
			if (q.n)
				ib_buf_addc(&q, ' ');
			ib_buf_adds(&q, a);
		}
	}
	if (rc != EXIT_OK) {
		ib_buf_free(&q);
		return rc;
	}
	if (sort_projected && !for_kommune) {
		cli_error("--sort projected needs --for KOMMUNE");
		ib_buf_free(&q);
		return EXIT_USAGE;
	}
	if (explain && o.sort == IB_SORT_DEFAULT)
		o.sort = IB_SORT_SCORE;
	if (explain && o.sort != IB_SORT_SCORE) {
		cli_error("--explain explains the score: use it with --sort score");
		ib_buf_free(&q);
		return EXIT_USAGE;
	}
	if (!limit_set && fmt == OUT_TABLE && cli->is_tty)
		o.limit = 20;
	o.query = q.n ? q.z : NULL;
	ib_store *s = cli_open_store(cli, CLI_READ);
	if (!s) {
		ib_buf_free(&q);
		return EXIT_STORE;
	}
	/* one search: the facts of one block at a time, not the bank's */
	ib_search_keep_facts(s, 0);
	ib_error err = {0};
	ib_municipality m;
	if (o.region && !known_region(s, o.region)) {
		cli_error("unknown region '%s'; the regions are: Hovedstaden, Sjælland, Syddanmark, "
			  "Midtjylland, Nordjylland",
			  o.region);
		rc = EXIT_USAGE;
		goto done;
	}
	if (kommune) {
		if (ib_store_find_municipality(s, kommune, &m, &err)) {
			rc = cli_fail(&err);
			goto done;
		}
		o.kommunekode = m.code;
	}
	cli_projection proj, *pj = NULL;
	if (for_kommune) {
		rc = cli_projection_for(s, for_kommune, &proj);
		if (rc != EXIT_OK)
			goto done;
		pj = &proj;
	}
	int with_score = o.sort == IB_SORT_SCORE;
	/* snippets cost most of a small search: made only where they are shown */
	o.no_snippets = fmt == OUT_CSV || (fmt == OUT_TABLE && !snippets);
	ib_result *res = NULL;
	if (ib_search(s, &o, &res, &err)) {
		rc = cli_fail(&err);
		goto done;
	}
	if (fmt == OUT_JSON) {
		rc = print_json(res, o.query, facets, pj, with_score);
	} else if (fmt == OUT_CSV) {
		print_csv(res, pj, with_score);
	} else if (res->n == 0) {
		fprintf(stderr, "ideabank: no proposals match\n");
	} else {
		print_table(res, cli, snippets, pj, explain);
		if (facets) {
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
done:
	ib_store_close(s);
	ib_buf_free(&q);
	return rc;
}
