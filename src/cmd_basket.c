/* cmd_basket.c - `ideabank basket`: a named selection of ideas with Idébanken's totals
 * (number of ideas, total effect, effect per inhabitant, projected effect). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "opt.h"
#include "records.h"
#include "usage.h"

/* The basket as a table (the columns of search's) and Idébanken's totals. */
static void print_list(const cli_basket *k, const cli_projection *pj, const ib_cli *cli)
{
	cli_cols_ctx x = cli_line_ctx(pj, 0, 1);
	cli_cols_term_head(stdout, cli_line_cols, cli_line_term_view, &x, cli->width);
	fputc('\n', stdout);
	for (size_t i = 0; i < k->n; i++) {
		cli_cols_term_row(stdout, cli_line_cols, cli_line_term_view, &k->lines[i], &x,
				  cli->width);
		fputc('\n', stdout);
	}
	char t[32], p1[32], p2[32];
	ib_num_format(k->effect, 0, t, sizeof t);
	ib_num_format(k->per_inhabitant, 2, p1, sizeof p1);
	printf("\nI alt: %zu %s; effekt %s kr. om året%s; %s kr. pr. indbygger\n", k->n,
	       k->n == 1 ? "idé" : "idéer", t,
	       k->n_unknown ? " (idéer med ukendt effekt tæller ikke med)" : "", p1);
	char alt[1024];
	if (*cli_basket_alternatives(k, alt, sizeof alt))
		printf("Alternativer i samme sag kan ikke lægges sammen; summerne tæller det "
		       "første, du har valgt: %s\n",
		       alt);
	if (pj) {
		char pop[32];
		ib_num_format(k->projected, 0, p2, sizeof p2);
		ib_num_format((double)pj->inhabitants, 0, pop, sizeof pop);
		printf("Projiceret på %s: %s kr. om året (%s indbyggere, %d; %s egne idéer "
		       "uomregnet)\n",
		       pj->m.name, p2, pop, pj->year, pj->m.name);
	}
}

/* list and export: the basket's ideas, as a table with totals or as CSV. */
static int show_basket(ib_store *s, const char *name, const char *for_kommune, int csv,
		       const ib_cli *cli)
{
	cli_projection proj, *pj = NULL;
	if (for_kommune) {
		int rc = cli_projection_for(s, for_kommune, &proj);
		if (rc != EXIT_OK)
			return rc;
		pj = &proj;
	}
	int64_t *ids = NULL;
	size_t n = 0;
	ib_error err = {0};
	cli_basket k = {0};
	int rc = ib_basket_ids(s, name, &ids, &n, &err);
	if (!rc)
		rc = cli_basket_load(s, ids, n, pj, &k, &err);
	free(ids);
	if (rc) {
		cli_basket_free(&k);
		return cli_fail(&err);
	}
	for (size_t i = 0; i < k.n_missing; i++)
		cli_error("note: proposal %lld of basket '%s' is no longer stored",
			  (long long)k.missing[i], name);
	if (csv)
		cli_basket_csv(stdout, &k, pj);
	else if (!k.n)
		printf("basket '%s' is empty\n", name);
	else
		print_list(&k, pj, cli);
	cli_basket_free(&k);
	return EXIT_OK;
}

int cmd_basket(int argc, char **argv, ib_cli *cli)
{
	const char *name = "standard", *for_kommune = NULL, *action = NULL, *v;
	int csv = 0, id;
	char **args = calloc((size_t)argc + 1, sizeof *args);
	int n_args = 0;
	if (!args)
		return EXIT_STORE;
	cli_getopt g = CLI_GETOPT(&cmd_basket_spec, argc, argv);
	while ((id = cli_getopt_next(&g, &v)) > CLI_OPT_END) {
		if (id == BASKET_CSV) {
			csv = 1;
		} else if (id == BASKET_NAME && !*v) {
			cli_error("option '--name' needs a basket name");
			free(args);
			return EXIT_USAGE;
		} else if (id == BASKET_NAME) {
			name = v;
		} else if (id == BASKET_FOR) {
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
		rc = show_basket(s, name, for_kommune, csv, cli);
	}
	free(ids);
	int closed = writes ? cli_close_store(s, rc == EXIT_OK) : (ib_store_close(s), EXIT_OK);
	return rc != EXIT_OK ? rc : closed;
}
