/* cmd_room.c - `ideabank room`: where a municipality has room.  Every area the
 * database can compare (or every function), each against its peers as `peers`
 * compares it, sorted by the mulighedsrum with the total of the positive ones; the
 * movement over every year held; each area's functions; the comparison per person of
 * the target group; and the bank's ideas in the areas with room.  Its columns are
 * records.c's cli_room_cols, which the CSV, JSON (reports.c) and the web page
 * (web_room.c) read too. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "opt.h"
#include "records.h"
#include "usage.h"

/* A number for the terminal, "-" when unknown. */
static void fmt(double v, int decimals, char *out, size_t n)
{
	if (ib_is_na(v))
		snprintf(out, n, "-");
	else
		ib_num_format(v, decimals, out, n);
}

/* ---- terminal --------------------------------------------------------------------- */

/* How many lines are per person of their target group. */
static size_t lines_per_target(const ib_room_report *r)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n_lines; i++)
		n += r->lines[i].uses_target != 0;
	return n;
}

static void print_overview(const ib_room_report *r, const cli_cols_ctx *x, int width)
{
	int w_name = width >= 110 ? 40 : 28;
	cli_cell(stdout, r->n_lines && *r->lines[0].code ? "Funktion" : "Fagområde", (size_t)w_name,
		 0);
	fputs("  ", stdout);
	cli_cols_term_head(stdout, cli_room_cols, cli_room_view, x, 0);
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
		fputs("  ", stdout);
		cli_room_row row = {l, NULL, NULL};
		cli_cols_term_row(stdout, cli_room_cols, cli_room_view, &row, x, 0);
		fputc('\n', stdout);
	}
	char total[64];
	ib_num_format(round(r->total_positive_kr), 0, total, sizeof total);
	printf("\nMulighedsrum i alt: %s kr. om året (summen af de %zu positive)\n", total,
	       r->n_positive);
	/* what the kr. are scaled by, and how to read the rank */
	const ib_peer_set *m = NULL;
	for (size_t i = 0; i < r->n_lines && !m; i++)
		if (r->lines[i].main && !r->lines[i].uses_target)
			m = r->lines[i].main;
	const cli_room_aux *a = x->aux;
	char pop[32];
	if (m)
		printf("Mulighedsrum = (egen - benchmark) x %s indbyggere (%d; %s)\n",
		       ib_num_format((double)m->inhabitants, 0, pop, sizeof pop),
		       m->population_year,
		       a->population_source ? a->population_source : "Danmarks Statistik, FOLK1A");
	if (lines_per_target(r))
		printf("%s x personer i målgruppen (%s)\n",
		       m ? "  pr. målgruppe:" : "Mulighedsrum = (egen - benchmark)", r->age_source);
	printf("Rang: 1 = lavest udgift; af: kommunerne med tal\n");
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
	cli_cols_ctx x = cli_line_ctx(&pj, 0, 0);
	x.na = "-";
	for (size_t i = 0; i < l->ideas->n; i++) {
		const ib_hit *h = &l->ideas->hits[i];
		char src[96];
		snprintf(src, sizeof src, "%s %d, %s", h->kommune, h->budget_year,
			 h->adopted == 1   ? "vedtaget"
			 : h->adopted == 0 ? "ikke vedtaget"
					   : "vedtagelse ukendt");
		fputs("  ", stdout);
		cli_line line = cli_line_of_hit(h, &pj);
		cli_cols_term_row(stdout, cli_line_cols, "id:5 titel:44 projiceret_kr:12", &line,
				  &x, 0);
		printf(" kr. om året  %s\n", src);
	}
	printf("  Flere: ideabank search --area \"%s\" --sort score --for %s\n", l->area,
	       r->self.name);
}

static void print_details(const ib_room_report *r, const cli_cols_ctx *x)
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
		char pop[32];
		fmt(round(l->main->mulighedsrum_kr), 0, room, sizeof room);
		fmt(ib_is_na(l->main->mulighedsrum_share) ? IB_NA
							  : l->main->mulighedsrum_share * 100,
		    1, share, sizeof share);
		fmt((double)l->main->inhabitants, 0, pop, sizeof pop);
		printf(": mulighedsrum %s kr. om året (%s %% af egen udgift; %s %s, %d), %s; rang "
		       "%d af %d (1 = lavest udgift)\n",
		       room, share, pop, l->uses_target ? "personer i målgruppen" : "indbyggere",
		       l->main->population_year, cli_room_unit(l, unit, sizeof unit),
		       l->main->own_rank, l->main->n_ranked);
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
			char name[360];
			cli_room_row part = {&l->parts[k], NULL, NULL};
			fputs("  ", stdout);
			cli_cell(stdout, cli_room_label(&l->parts[k], name, sizeof name), 44, 0);
			fputs("  ", stdout);
			cli_cols_term_row(stdout, cli_room_cols,
					  "egen:8 benchmark:9 mulighedsrum_kr:14", &part, x, 0);
			fputc('\n', stdout);
		}
		print_ideas(r, l);
	}
}

static void print_text(const ib_room_report *r, const cli_room_aux *a, const ib_cli *cli)
{
	cli_cols_ctx x = cli_room_ctx(a);
	printf("%s (%03d): mulighedsrum %d, %s\n", r->self.name, r->self.code, r->year,
	       lines_per_target(r) ? "kr. pr. person i målgruppen (de øvrige pr. indbygger)"
				   : "kr. pr. indbygger");
	printf("Sammenlignet med: %s; benchmark: %s\n", a->method, r->benchmark_name);
	printf("Kilde: %s", r->source);
	if (*r->age_source)
		printf("; målgrupper: %s", r->age_source);
	printf("\n\n");
	print_overview(r, &x, cli->width);
	print_movement(r, cli->width);
	print_details(r, &x);
}

/* ---- options ---------------------------------------------------------------------- */

/* One option or operand of room into o; EXIT_OK or the error's exit code. */
static int room_option(ib_room_opts *o, out_format *fmt, int id, const char *v)
{
	long n;
	switch (id) {
	case OPT_JSON:
	case OPT_CSV:
		*fmt = id == OPT_JSON ? OUT_JSON : OUT_CSV;
		break;
	case ROOM_FUNCTIONS:
		o->functions = 1;
		break;
	case ROOM_IDEAS:
		if (cli_opt_long("--ideas", v, 0, 50, NULL, &n))
			return EXIT_USAGE;
		o->n_ideas = (int)n;
		break;
	case ROOM_MEASURE:
		if (!strcmp(v, "inhabitant") || !strcmp(v, "target")) {
			o->measure = v[0] == 't' ? IB_ROOM_PER_TARGET : IB_ROOM_PER_INHABITANT;
			break;
		}
		return cli_bad_value("--measure", "inhabitant or target", v);
	case ROOM_TARGET_GROUP:
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
	cli_getopt g = CLI_GETOPT(&cmd_room_spec, argc, argv);
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
	/* the population the kr. are scaled by, and the peers of an own list by name */
	char *psrc = NULL, method[1024];
	long inhabitants;
	int year_used;
	if (ib_store_population(s, rep->self.code, rep->year, &inhabitants, &year_used, &psrc,
				NULL) != IB_OK) {
		free(psrc);
		psrc = NULL;
	}
	cli_room_aux a = {
	    rep, psrc, cli_room_method(rep, o.peer.method == IB_PEER_LIST, method, sizeof method)};
	if (fmt_out == OUT_JSON)
		rc = cli_print_json(cli_room_json(rep));
	else if (fmt_out == OUT_CSV)
		cli_room_csv(stdout, &a);
	else
		print_text(rep, &a, cli);
	free(psrc);
done:
	ib_room_free(rep);
	ib_store_close(s);
	return rc;
}
