/* cmd_show.c - `ideabank show ID`: everything about one proposal. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "opt.h"
#include "records.h"
#include "usage.h"

static void field(const char *label, const char *value)
{
	cli_cell(stdout, label, 26, 0);
	printf(" %s\n", value && *value ? cli_text(value, 0) : "-");
}

/* label and "N kr" with what follows, "-" when v is unknown. */
static void kr_field(const char *label, double v, const char *after)
{
	char b[64], line[160];
	snprintf(line, sizeof line, "%s kr%s", ib_num_format(v, 0, b, sizeof b), after);
	field(label, ib_is_na(v) ? NULL : line);
}

static const char *tri_da(int v)
{
	return v == 1 ? "ja" : v == 0 ? "nej" : "ukendt";
}

/* The yearly table turned: a line per column of cli_year_cols that has figures (the
 * label, then a value per year), the line each year was read from last. */
static void print_years(const ib_proposal *p)
{
	cli_cols_ctx x = {0};
	cli_val v;
	for (const cli_col *c = cli_year_cols; c->key; c++) {
		int source = !strcmp(c->key, "kilde");
		if (source ? !cli_year_sources(p) : c->head ? !cli_year_col_any(p, c) : 0)
			continue;
		cli_cell(stdout,
			 source	   ? (cli_year_pages(p) ? "Kilde (side:linje)" : "Kilde (linje)")
			 : c->head ? c->head
				   : "",
			 26, 0);
		for (size_t i = 0; i < p->n_years; i++) {
			char b[64];
			cli_year y = {p, i};
			cli_col_get(c, &y, &x, CLI_TERM, &v);
			fputc(' ', stdout);
			cli_cell(stdout, v.num ? ib_num_format(v.x, v.decimals, b, sizeof b) : v.z,
				 9, 1);
		}
		fputc('\n', stdout);
	}
}

static void print_text_block(const char *label, const char *z)
{
	if (!z || !*z)
		return;
	printf("\n%s:\n%s\n", label, cli_text(z, 1));
}

static void print_proposal(ib_store *s, const ib_proposal *p)
{
	char b[128], c[128], line[512];
	ib_municipality m;
	ib_error err = {0};
	snprintf(b, sizeof b, "%03d", p->kommunekode);
	if (ib_store_find_municipality(s, b, &m, &err) == IB_OK)
		snprintf(line, sizeof line, "%s (%03d), %s, %s", m.name, m.code, m.region,
			 m.group_name);
	else
		snprintf(line, sizeof line, "%03d", p->kommunekode);
	printf("Forslag %lld: %s\n\n", (long long)p->id, cli_text(p->title, 0));
	field("Kommune:", line);
	snprintf(b, sizeof b, "%d", p->budget_year);
	field("Budgetår:", b);
	field("Reference:", p->ref);
	field("Fagområde:", p->area);
	field("Udvalg/forvaltning:", p->committee);
	field("Type:", p->kind);
	field("Vedtaget:", tri_da(p->adopted));
	snprintf(b, sizeof b, "%d", p->full_year);
	field("Fuldt indfaset:", p->full_year ? b : NULL);
	if (ib_is_na(p->effect_kr)) {
		field("Effekt:", "ukendt");
	} else {
		snprintf(line, sizeof line,
			 "%s kr om året ved fuld indfasning (positiv = besparelse)",
			 ib_num_format(p->effect_kr, 0, b, sizeof b));
		field("Effekt:", line);
		long pop;
		int year_used;
		char *src = NULL;
		if (ib_store_population(s, p->kommunekode, p->budget_year, &pop, &year_used, &src,
					&err) == IB_OK) {
			snprintf(line, sizeof line, "%s kr (folketal %s, %d%s; kilde: %s)",
				 ib_num_format(p->effect_kr / (double)pop, 2, b, sizeof b),
				 ib_num_format((double)pop, 0, c, sizeof c), year_used,
				 year_used != p->budget_year ? ", nærmeste år med tal" : "", src);
			field("Effekt pr. indbygger:", line);
			free(src);
		} else {
			field("Effekt pr. indbygger:", "ukendt (intet folketal)");
		}
	}
	if (!ib_is_na(p->impl_cost_kr)) {
		snprintf(line, sizeof line, "%s kr",
			 ib_num_format(p->impl_cost_kr, 0, b, sizeof b));
		field("Implementeringsudgift:", line);
	}
	field("Kilde:", cli_source_text(p->source, p->page, line, sizeof line));
	if (p->case_key) {
		snprintf(line, sizeof line, "%s%s%s", p->case_key, p->variant ? ", " : "",
			 p->variant ? p->variant : "");
		field("Sag:", line);
	}
	field("Indholds-hash:", p->content_hash);
	if (p->n_appearances)
		printf("\nBehandlet:\n");
	for (size_t i = 0; i < p->n_appearances; i++) {
		const ib_appearance *a = &p->appearances[i];
		printf("  %s  %s, punkt %s: %s\n    %s\n", a->date ? cli_text(a->date, 0) : "",
		       a->committee ? cli_text(a->committee, 0) : "",
		       a->item ? cli_text(a->item, 0) : "",
		       a->decision ? cli_text(a->decision, 0) : "(ingen beslutning endnu)",
		       a->url ? cli_text(a->url, 0) : "");
	}

	print_text_block("Resumé", p->summary);

	if (p->n_years) {
		printf("\nØkonomi (1.000 kr., som trykt; negativ = besparelse):\n");
		print_years(p);
	}
	if (p->n_flags) {
		printf("\nKontrol:\n");
		for (size_t i = 0; i < p->n_flags; i++)
			printf("  ! %s: %s\n", cli_text(p->flags[i].code, 0),
			       cli_text(p->flags[i].message, 0));
	}
	if (p->followup) {
		const ib_followup *f = p->followup;
		printf("\nOpfølgning:\n");
		field("  Vedtaget:", f->adoption);
		kr_field("  Samlet investering:", f->total_investment_kr, "");
		kr_field("  Effekt, fuld indfasning:", f->effect_full_kr,
			 " (som trykt i statusrapporten)");
		field("  Fuld implementering:", f->full_implementation);
		field("  Kompenserende handling:", tri_da(f->compensating));
		field("  Status:", f->status);
		field("  Bemærkning:", f->remark);
		if (f->source)
			field("  Kilde:", cli_source_text(f->source, f->page, line, sizeof line));
	}
	print_text_block("Tekst", p->text);
}

int cmd_show(int argc, char **argv, ib_cli *cli)
{
	const char *idz = NULL, *v;
	int json = 0, id;
	cli_getopt g = CLI_GETOPT(&cmd_show_spec, argc, argv);
	while ((id = cli_getopt_next(&g, &v)) != CLI_OPT_END) {
		if (id == CLI_OPT_STOP)
			return g.rc;
		if (id == SHOW_JSON) {
			json = 1;
		} else if (idz) {
			cli_error("show takes one ID, got '%s' and '%s'", idz, v);
			return EXIT_USAGE;
		} else {
			idz = v;
		}
	}
	if (!idz) {
		cli_error("show needs a proposal ID (see 'ideabank search')");
		return EXIT_USAGE;
	}
	int64_t pid;
	if (cli_parse_id(idz, &pid) != EXIT_OK)
		return EXIT_USAGE;
	ib_store *s = cli_open_store(cli, CLI_READ);
	if (!s)
		return EXIT_STORE;
	ib_proposal *p = NULL;
	ib_error err = {0};
	int rc = EXIT_OK;
	if (ib_store_get_proposal(s, pid, &p, &err)) {
		rc = cli_fail(&err);
	} else if (json) {
		ib_buf b;
		ib_buf_init(&b, 0);
		if (ib_proposal_write_jsonl(&b, p, 1) == IB_OK)
			fputs(b.z, stdout);
		else
			rc = EXIT_STORE;
		ib_buf_free(&b);
	} else {
		print_proposal(s, p);
	}
	ib_proposal_free(p);
	ib_store_close(s);
	return rc;
}
