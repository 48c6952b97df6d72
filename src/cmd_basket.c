/* cmd_basket.c - `ideabank basket`: a named selection of ideas with Idébanken's totals
 * (number of ideas, total effect, effect per inhabitant, projected effect). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "opt.h"

enum { O_NAME = CLI_OPT_FIRST, O_FOR, O_CSV };

static const cli_option options[] = {
    {O_NAME, "--name", "NAME", "the basket (default 'standard')", NULL},
    {O_FOR, "--for", "KOMMUNE", "project the ideas onto this municipality", "@kommune"},
    {O_CSV, "--csv", NULL, "list or export as CSV for Excel", NULL},
    {0, NULL, NULL, NULL, NULL},
};

static const cli_command spec = {
    "basket",
    "ideabank basket add ID... | rm ID... | list | clear | export --csv\n"
    "                [--name NAME] [--for KOMMUNE]",
    "Keep a selection of proposals in the database (basket 'standard' unless --name).\n"
    "list and export show each idea and the totals: number of ideas, total yearly\n"
    "effect (kr.), effect per inhabitant (the sum of each idea's), and with --for the\n"
    "projected effect there: the sum of effect per inhabitant x its latest population\n"
    "(its own ideas count as they are, not projected onto it).  export --csv has the\n"
    "columns of search --csv, the population's source and, with --for, the projection's\n"
    "municipality, population and year.\n",
    options,
    NULL,
    "add rm list clear export",
    0,
};

typedef struct row {
	ib_proposal *p;
	double per_inhabitant; /* kr., IB_NA when unknown */
	long population;
	int population_year;
	char *population_source; /* "Danmarks Statistik, FOLK1AM 2023M01" */
} row;

double cli_basket_projected(const ib_proposal *p, double per_inhabitant, const cli_projection *pj)
{
	if (!pj)
		return IB_NA;
	if (p->kommunekode == pj->m.code)
		return p->effect_kr; /* its own proposal: not projected onto itself */
	if (ib_is_na(per_inhabitant) || pj->inhabitants <= 0)
		return IB_NA;
	return per_inhabitant * (double)pj->inhabitants;
}

static const char *adopted_da(int a)
{
	return a == 1 ? "ja" : a == 0 ? "nej" : "ukendt";
}

void cli_basket_csv(FILE *f, ib_store *s, ib_proposal *const *ps, size_t n,
		    const cli_projection *pj)
{
	static const char *const cols[] = {"id",
					   "kommunekode",
					   "kommune",
					   "budgetaar",
					   "ref",
					   "titel",
					   "omraade",
					   "type",
					   "vedtaget",
					   "effekt_kr",
					   "kr_pr_indbygger",
					   "folketal",
					   "folketal_aar",
					   "folketal_kilde",
					   "projiceret_kr",
					   "projiceret_kommune",
					   "projiceret_folketal",
					   "projiceret_folketal_aar"};
	size_t n_cols = sizeof cols / sizeof cols[0] - (pj ? 0 : 4);
	csv_begin(f);
	for (size_t i = 0; i < n_cols; i++)
		csv_field(f, cols[i], i == 0);
	csv_end_row(f);
	for (size_t i = 0; i < n; i++) {
		const ib_proposal *p = ps[i];
		char v[32], code[8];
		ib_municipality m = {0};
		snprintf(code, sizeof code, "%03d", p->kommunekode);
		if (ib_store_find_municipality(s, code, &m, NULL) != IB_OK)
			snprintf(m.name, sizeof m.name, "%s", code);
		long pop = 0;
		int pop_year = 0;
		char *pop_source = NULL;
		double per = IB_NA;
		if (ib_store_population(s, p->kommunekode, p->budget_year, &pop, &pop_year,
					&pop_source, NULL) != IB_OK)
			pop = 0, pop_year = 0;
		else if (pop > 0 && !ib_is_na(p->effect_kr))
			per = p->effect_kr / (double)pop;
		snprintf(v, sizeof v, "%lld", (long long)p->id);
		csv_field(f, v, 1);
		csv_field(f, code, 0);
		csv_field(f, m.name, 0);
		snprintf(v, sizeof v, "%d", p->budget_year);
		csv_field(f, v, 0);
		csv_field(f, p->ref, 0);
		csv_field(f, p->title, 0);
		csv_field(f, p->area, 0);
		csv_field(f, p->kind, 0);
		csv_field(f, adopted_da(p->adopted), 0);
		csv_num(f, p->effect_kr, 0);
		csv_num(f, per, 2);
		csv_num(f, pop > 0 ? (double)pop : IB_NA, 0);
		csv_num(f, pop_year ? pop_year : IB_NA, 0);
		csv_field(f, pop_source ? pop_source : "", 0);
		free(pop_source);
		if (pj) {
			csv_num(f, cli_basket_projected(p, per, pj), 0);
			csv_field(f, pj->m.name, 0);
			csv_num(f, (double)pj->inhabitants, 0);
			csv_num(f, pj->year, 0);
		}
		csv_end_row(f);
	}
}

static void print_rows(ib_store *s, const row *rows, size_t n, const cli_projection *pj, int csv)
{
	double total = 0, per = 0, proj = 0;
	int unknown = 0;
	if (csv) {
		ib_proposal **ps = calloc(n + 1, sizeof *ps);
		for (size_t i = 0; ps && i < n; i++)
			ps[i] = rows[i].p;
		if (ps)
			cli_basket_csv(stdout, s, ps, n, pj);
		free(ps);
		return;
	}
	printf("%5s  %-12s  %4s  %-44s  %12s  %9s%s\n", "ID", "Kommune", "År", "Titel",
	       "Effekt (kr)", "Kr./indb.", pj ? "   Projiceret (kr)" : "");
	for (size_t i = 0; i < n; i++) {
		const row *r = &rows[i];
		const ib_proposal *p = r->p;
		double x = cli_basket_projected(p, r->per_inhabitant, pj);
		if (ib_is_na(p->effect_kr))
			unknown++;
		else
			total += p->effect_kr;
		if (!ib_is_na(r->per_inhabitant))
			per += r->per_inhabitant;
		if (!ib_is_na(x))
			proj += x;
		char id[24], year[8];
		snprintf(id, sizeof id, "%lld", (long long)p->id);
		snprintf(year, sizeof year, "%d", p->budget_year);
		ib_municipality m = {0};
		char code[8];
		snprintf(code, sizeof code, "%03d", p->kommunekode);
		if (ib_store_find_municipality(s, code, &m, NULL) != IB_OK)
			snprintf(m.name, sizeof m.name, "%s", code);
		char eff[32], pi[32], pr[32];
		if (ib_is_na(p->effect_kr))
			snprintf(eff, sizeof eff, "ukendt");
		else
			ib_num_format(p->effect_kr, 0, eff, sizeof eff);
		if (ib_is_na(r->per_inhabitant))
			snprintf(pi, sizeof pi, "ukendt");
		else
			ib_num_format(r->per_inhabitant, 2, pi, sizeof pi);
		if (ib_is_na(x))
			snprintf(pr, sizeof pr, "ukendt");
		else
			ib_num_format(x, 0, pr, sizeof pr);
		cli_cell(stdout, id, 5, 1);
		fputs("  ", stdout);
		cli_cell(stdout, m.name, 12, 0);
		fputs("  ", stdout);
		cli_cell(stdout, year, 4, 0);
		fputs("  ", stdout);
		cli_cell(stdout, p->title, 44, 0);
		fputs("  ", stdout);
		cli_cell(stdout, eff, 12, 1);
		fputs("  ", stdout);
		cli_cell(stdout, pi, 9, 1);
		if (pj) {
			fputs("  ", stdout);
			cli_cell(stdout, pr, 16, 1);
		}
		fputc('\n', stdout);
	}
	char t[32], p1[32], p2[32];
	ib_num_format(total, 0, t, sizeof t);
	ib_num_format(per, 2, p1, sizeof p1);
	printf("\nI alt: %zu %s; effekt %s kr. om året%s; %s kr. pr. indbygger\n", n,
	       n == 1 ? "idé" : "idéer", t,
	       unknown ? " (idéer med ukendt effekt tæller ikke med)" : "", p1);
	if (pj) {
		char pop[32];
		ib_num_format(proj, 0, p2, sizeof p2);
		ib_num_format((double)pj->inhabitants, 0, pop, sizeof pop);
		printf("Projiceret på %s: %s kr. om året (%s indbyggere, %d; %s egne idéer "
		       "uomregnet)\n",
		       pj->m.name, p2, pop, pj->year, pj->m.name);
	}
}

int cmd_basket(int argc, char **argv, ib_cli *cli)
{
	const char *name = "standard", *for_kommune = NULL, *action = NULL, *v;
	int csv = 0, id;
	char **args = calloc((size_t)argc + 1, sizeof *args);
	int n_args = 0;
	if (!args)
		return EXIT_STORE;
	cli_getopt g = CLI_GETOPT(&spec, argc, argv);
	while ((id = cli_getopt_next(&g, &v)) > CLI_OPT_END) {
		if (id == O_CSV) {
			csv = 1;
		} else if (id == O_NAME && !*v) {
			cli_error("option '--name' needs a basket name");
			free(args);
			return EXIT_USAGE;
		} else if (id == O_NAME) {
			name = v;
		} else if (id == O_FOR) {
			for_kommune = v;
		} else if (!action) {
			action = v;
		} else {
			args[n_args++] = (char *)v;
		}
	}
	if (id == CLI_OPT_STOP) {
		free(args);
		return g.rc;
	}
	static const char *const actions[] = {"add", "rm", "list", "clear", "export"};
	int known = 0;
	for (size_t i = 0; action && i < 5; i++)
		known |= !strcmp(action, actions[i]);
	if (!known) {
		if (action)
			cli_error("unknown basket action '%s' (add, rm, list, clear, export)",
				  action);
		else
			cli_error("basket needs an action: add, rm, list, clear or export");
		free(args);
		return EXIT_USAGE;
	}
	int wants_ids = !strcmp(action, "add") || !strcmp(action, "rm");
	if (wants_ids != (n_args > 0)) {
		cli_error(wants_ids ? "basket %s needs proposal IDs" : "basket %s takes no IDs",
			  action);
		free(args);
		return EXIT_USAGE;
	}
	if (!strcmp(action, "export") && !csv) {
		cli_error("basket export writes CSV: add --csv");
		free(args);
		return EXIT_USAGE;
	}
	int64_t *ids = calloc((size_t)n_args + 1, sizeof *ids);
	int rc = ids ? EXIT_OK : EXIT_STORE;
	for (int i = 0; i < n_args && rc == EXIT_OK; i++)
		rc = cli_parse_id(args[i], &ids[i]);
	free(args);
	if (rc != EXIT_OK) {
		free(ids);
		return rc;
	}
	int writes = strcmp(action, "list") != 0 && strcmp(action, "export") != 0;
	ib_store *s = cli_open_store(cli, writes ? CLI_WRITE : CLI_READ);
	if (!s) {
		free(ids);
		return EXIT_STORE;
	}
	ib_error err = {0};
	if (!strcmp(action, "add") || !strcmp(action, "rm")) {
		int add = action[0] == 'a';
		/* all or nothing; the sizes before and after say how many were new */
		int64_t *was = NULL;
		size_t before = 0, after = 0;
		int e = ib_store_begin(s, &err);
		if (!e)
			e = ib_basket_ids(s, name, &was, &before, &err);
		free(was);
		for (int i = 0; i < n_args && !e; i++)
			e = add ? ib_basket_add(s, name, ids[i], &err)
				: ib_basket_remove(s, name, ids[i], &err);
		if (!e && !(e = ib_basket_ids(s, name, &was, &after, &err)))
			free(was);
		if (!e)
			e = ib_store_commit(s, &err);
		else
			ib_store_rollback(s);
		size_t changed = add ? after - before : before - after;
		if (e)
			rc = cli_fail(&err);
		else if (add && changed < (size_t)n_args)
			printf("basket '%s': added %zu (%zu already in it)\n", name, changed,
			       (size_t)n_args - changed);
		else
			printf("basket '%s': %s %zu\n", name, add ? "added" : "removed", changed);
	} else if (!strcmp(action, "clear")) {
		long removed = 0;
		if (ib_basket_clear(s, name, &removed, &err))
			rc = cli_fail(&err);
		else
			printf("basket '%s': cleared %ld\n", name, removed);
	} else {
		cli_projection proj, *pj = NULL;
		if (for_kommune) {
			rc = cli_projection_for(s, for_kommune, &proj);
			pj = rc == EXIT_OK ? &proj : NULL;
		}
		int64_t *in = NULL;
		size_t n = 0;
		if (rc == EXIT_OK && ib_basket_ids(s, name, &in, &n, &err))
			rc = cli_fail(&err);
		row *rows = rc == EXIT_OK ? calloc(n + 1, sizeof *rows) : NULL;
		for (size_t i = 0; rows && i < n && rc == EXIT_OK; i++) {
			if (ib_store_get_proposal(s, in[i], &rows[i].p, &err)) {
				rc = cli_fail(&err);
				break;
			}
			rows[i].per_inhabitant = IB_NA;
			if (!ib_is_na(rows[i].p->effect_kr) &&
			    ib_store_population(s, rows[i].p->kommunekode, rows[i].p->budget_year,
						&rows[i].population, &rows[i].population_year,
						&rows[i].population_source, NULL) == IB_OK &&
			    rows[i].population > 0)
				rows[i].per_inhabitant =
				    rows[i].p->effect_kr / (double)rows[i].population;
		}
		if (rc == EXIT_OK && !n && !csv)
			printf("basket '%s' is empty\n", name);
		else if (rc == EXIT_OK)
			print_rows(s, rows, n, pj, csv || !strcmp(action, "export"));
		for (size_t i = 0; rows && i < n; i++) {
			ib_proposal_free(rows[i].p);
			free(rows[i].population_source);
		}
		free(rows);
		free(in);
	}
	free(ids);
	int closed = writes ? cli_close_store(s, rc == EXIT_OK) : (ib_store_close(s), EXIT_OK);
	return rc != EXIT_OK ? rc : closed;
}
