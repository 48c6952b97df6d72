/* cmd_show.c - `ideabank show ID`: everything about one proposal. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "opt.h"

enum { O_JSON = CLI_OPT_FIRST };

static const cli_option options[] = {
    {O_JSON, "--json", NULL, "the proposal as a line of the JSON Lines feed, with its id", NULL},
    {0, NULL, NULL, NULL, NULL},
};

static const cli_command spec = {
    "show",
    "ideabank show ID [--json]",
    "Everything about one proposal: facts, effect per inhabitant with the population\n"
    "figure used, the yearly table (1000 kr, as printed, negative = saving) with the\n"
    "page and line each row was read from, arithmetic flags, follow-up and full text.\n",
    options,
    NULL,
    NULL,
    0,
};

static void field(const char *label, const char *value)
{
	cli_cell(stdout, label, 26, 0);
	printf(" %s\n", value && *value ? cli_text(value, 0) : "-");
}

static const char *tri_da(int v)
{
	return v == 1 ? "ja" : v == 0 ? "nej" : "ukendt";
}

/* One row of the yearly table: label, then a value per year. */
static void year_row(const ib_proposal *p, const char *label, size_t off)
{
	int any = 0;
	for (size_t i = 0; i < p->n_years; i++)
		if (!ib_is_na(*(const double *)((const char *)&p->years[i] + off)))
			any = 1;
	if (!any)
		return;
	cli_cell(stdout, label, 26, 0);
	for (size_t i = 0; i < p->n_years; i++) {
		char b[64];
		double v = *(const double *)((const char *)&p->years[i] + off);
		fputc(' ', stdout);
		int decimals = v == (double)(long long)v ? 0 : 2;
		cli_cell(stdout, ib_is_na(v) ? "?" : ib_num_format(v, decimals, b, sizeof b), 9, 1);
	}
	fputc('\n', stdout);
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
		cli_cell(stdout, "", 26, 0);
		for (size_t i = 0; i < p->n_years; i++) {
			snprintf(b, sizeof b, "%d", p->years[i].year);
			fputc(' ', stdout);
			cli_cell(stdout, b, 9, 1);
		}
		fputc('\n', stdout);
		year_row(p, "Investering", offsetof(ib_proposal_year, investment));
		year_row(p, "Udgifter", offsetof(ib_proposal_year, expenses));
		year_row(p, "Indtægter", offsetof(ib_proposal_year, income));
		year_row(p, "Netto", offsetof(ib_proposal_year, net));
		year_row(p, "Årsværk", offsetof(ib_proposal_year, fte));
		int any_src = 0, any_page = 0;
		for (size_t i = 0; i < p->n_years; i++) {
			if (p->years[i].page || p->years[i].line)
				any_src = 1;
			if (p->years[i].page)
				any_page = 1;
		}
		if (any_src) {
			cli_cell(stdout, any_page ? "Kilde (side:linje)" : "Kilde (linje)", 26, 0);
			for (size_t i = 0; i < p->n_years; i++) {
				if (any_page)
					snprintf(b, sizeof b, "%d:%d", p->years[i].page,
						 p->years[i].line);
				else
					snprintf(b, sizeof b, "%d", p->years[i].line);
				fputc(' ', stdout);
				cli_cell(stdout, b, 9, 1);
			}
			fputc('\n', stdout);
		}
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
		field("  Samlet investering:",
		      ib_is_na(f->total_investment_kr)
			  ? NULL
			  : (snprintf(line, sizeof line, "%s kr",
				      ib_num_format(f->total_investment_kr, 0, b, sizeof b)),
			     line));
		field("  Effekt, fuld indfasning:",
		      ib_is_na(f->effect_full_kr)
			  ? NULL
			  : (snprintf(line, sizeof line, "%s kr (som trykt i statusrapporten)",
				      ib_num_format(f->effect_full_kr, 0, b, sizeof b)),
			     line));
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
	cli_getopt g = CLI_GETOPT(&spec, argc, argv);
	while ((id = cli_getopt_next(&g, &v)) != CLI_OPT_END) {
		if (id == CLI_OPT_STOP)
			return g.rc;
		if (id == O_JSON) {
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
		if (ib_feed_write_jsonl(&b, p, 1) == IB_OK)
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
