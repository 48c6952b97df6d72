/* web_basket.c - "Valgte forslag" (/kurv): the proposals in kurv= with Idébanken's
 * totals (count, total effect, effect per inhabitant, projected onto "Min kommune",
 * where that municipality's own proposals count as they are), and /kurv.csv: the CSV
 * of `basket export --csv` (cli_basket_csv()). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web_int.h"

typedef struct row {
	ib_proposal *p;
	char kommune[64];
	double per_inhabitant; /* kr., IB_NA when unknown */
	long population;
	int population_year;
	char *population_source; /* "Danmarks Statistik, FOLK1AM 2023M01" */
	double projected;	 /* kr., IB_NA without Min kommune */
} row;

typedef struct totals {
	double effect, per, projected;
	int unknown;
} totals;

/* Load the basket's proposals; ids that do not exist are reported in missing. */
static row *load(web_ctx *c, size_t *n, totals *t, char *missing, size_t mn)
{
	row *rows = calloc(c->n_basket + 1, sizeof *rows);
	*n = 0;
	memset(t, 0, sizeof *t);
	missing[0] = '\0';
	for (size_t i = 0; rows && i < c->n_basket; i++) {
		row *r = &rows[*n];
		ib_error err = {0};
		if (ib_store_get_proposal(c->s, c->basket[i], &r->p, &err)) {
			size_t l = strlen(missing);
			snprintf(missing + l, mn - l, "%s%lld", l ? ", " : "",
				 (long long)c->basket[i]);
			continue;
		}
		(*n)++;
		ib_municipality m;
		char code[8];
		snprintf(code, sizeof code, "%03d", r->p->kommunekode);
		if (ib_store_find_municipality(c->s, code, &m, NULL) == IB_OK)
			snprintf(r->kommune, sizeof r->kommune, "%s", m.name);
		else
			snprintf(r->kommune, sizeof r->kommune, "%s", code);
		r->per_inhabitant = IB_NA;
		r->projected = IB_NA;
		if (!ib_is_na(r->p->effect_kr) &&
		    ib_store_population(c->s, r->p->kommunekode, r->p->budget_year, &r->population,
					&r->population_year, &r->population_source,
					NULL) == IB_OK &&
		    r->population > 0)
			r->per_inhabitant = r->p->effect_kr / (double)r->population;
		if (c->has_pj)
			r->projected = cli_basket_projected(r->p, r->per_inhabitant, &c->pj);
		if (ib_is_na(r->p->effect_kr))
			t->unknown++;
		else
			t->effect += r->p->effect_kr;
		if (!ib_is_na(r->per_inhabitant))
			t->per += r->per_inhabitant;
		if (!ib_is_na(r->projected))
			t->projected += r->projected;
	}
	return rows;
}

static void free_rows(row *rows, size_t n)
{
	for (size_t i = 0; rows && i < n; i++) {
		ib_proposal_free(rows[i].p);
		free(rows[i].population_source);
	}
	free(rows);
}

static void page(web_ctx *c, const row *rows, size_t n, const totals *t, const char *missing)
{
	ib_buf *b = &c->r->body;
	web_page_head(c, "Valgte forslag", "kurv");
	ib_buf_adds(b, "<h2>Valgte forslag</h2>\n");
	if (*missing) {
		char msg[400];
		snprintf(msg, sizeof msg, "Disse forslag findes ikke og er sprunget over: %s.",
			 missing);
		web_page_error(c, msg);
	}
	if (!n) {
		ib_buf_adds(b, "<p>Du har ikke valgt nogen forslag endnu. Vælg dem fra <a href=\"");
		web_href(b, c, "/", NULL, NULL);
		ib_buf_adds(b, "\">søgningen</a> eller fra et forslags side; de gemmes i "
			       "adressen, så du kan dele den.</p>\n");
		web_page_foot(c);
		return;
	}
	ib_buf_adds(b, "<div class=\"sum\">");
	if (c->has_pj) {
		ib_buf_adds(b, "<p>I ");
		web_html(b, c->pj.m.name);
		ib_buf_adds(b, ": <strong>");
		web_signed(b, t->projected, 0);
		ib_buf_adds(b, " kr. om året</strong> for de ");
		ib_buf_addf(b, "%zu forslag: hvert forslags effekt pr. indbygger × ", n);
		web_num(b, (double)c->pj.inhabitants, 0);
		ib_buf_addf(b, " indbyggere (%d; ", c->pj.year);
		web_html(b, c->pj.source);
		ib_buf_adds(b, "); ");
		web_html(b, c->pj.m.name);
		ib_buf_adds(b, "s egne forslag med deres egen effekt.</p>\n");
	} else {
		ib_buf_adds(b, "<p class=\"note\">Vælg Min kommune øverst for at se, hvad "
			       "forslagene giver i din kommune.</p>\n");
	}
	ib_buf_addf(b, "<p><strong>%zu forslag</strong>; i de kommuner, der foreslog dem, i alt ",
		    n);
	web_signed(b, t->effect, 0);
	ib_buf_adds(b, " kr. om året");
	if (t->unknown)
		ib_buf_addf(b, " (%d med ukendt effekt tæller ikke med)", t->unknown);
	ib_buf_adds(b, " og ");
	web_signed(b, t->per, 2);
	ib_buf_adds(b, " kr. pr. indbygger (summen af hvert forslags).</p>\n</div>\n");
	ib_buf_adds(b, "<p class=\"tools\"><a href=\"");
	web_href(b, c, "/kurv.csv", NULL, NULL);
	ib_buf_adds(b, "\" download>Hent som CSV (Excel)</a> <a href=\"");
	web_href(b, c, "/kurv", NULL, "kurv", "", NULL);
	ib_buf_adds(b, "\">Fjern alle</a></p>\n<p class=\"note\" id=\"forklaring\">Effekt: kr. om "
		       "året ved fuld indfasning, i budgetårets priser; + = besparelse, − = "
		       "merudgift. Pr. indbygger: effekten delt med kommunens folketal i "
		       "budgetåret, det år effekten er regnet for.</p>\n<table class=\"cards\" "
		       "aria-describedby=\"forklaring\">\n"
		       "<thead><tr><th>Forslag</th><th class=\"n\">Effekt<small>kr./år, + = "
		       "besparelse</small></th><th class=\"n\">Pr. indbygger<small>kr./år, "
		       "budgetårets folketal</small></th><th class=\"n\">Folketal<small>"
		       "(budgetår)</small></th>");
	if (c->has_pj) {
		ib_buf_adds(b, "<th class=\"n\">I ");
		web_html(b, c->pj.m.name);
		ib_buf_addf(b, "<small>kr./år, folketal %d</small></th>", c->pj.year);
	}
	ib_buf_adds(b, "<th>Valgt</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < n; i++) {
		const row *r = &rows[i];
		char id[24];
		snprintf(id, sizeof id, "%lld", (long long)r->p->id);
		ib_buf_addf(b, "<tr id=\"f%s\"><td class=\"t\"><a id=\"t%s\" href=\"", id, id);
		web_href(b, c, "/forslag", NULL, "id", id, NULL);
		ib_buf_adds(b, "\">");
		web_html(b, r->p->title);
		ib_buf_adds(b, "</a><br><span class=\"note\">");
		web_html(b, r->kommune);
		ib_buf_addf(b, " · %d</span></td><td class=\"n\" data-l=\"Effekt, kr./år\">",
			    r->p->budget_year);
		web_signed(b, r->p->effect_kr, 0);
		ib_buf_adds(b, "</td><td class=\"n\" data-l=\"Pr. indbygger, kr./år\">");
		web_signed(b, r->per_inhabitant, 2);
		ib_buf_adds(b, "</td><td class=\"n\" data-l=\"Folketal (år)\">");
		if (r->population > 0) {
			web_num(b, (double)r->population, 0);
			ib_buf_addf(b, " (%d)", r->population_year);
		} else {
			ib_buf_adds(b, "ukendt");
		}
		ib_buf_adds(b, "</td>");
		if (c->has_pj) {
			ib_buf_adds(b, "<td class=\"n\" data-l=\"I ");
			web_html(b, c->pj.m.name);
			ib_buf_adds(b, ", kr./år\">");
			web_signed(b, r->projected, 0);
			if (r->p->kommunekode == c->pj.m.code)
				ib_buf_adds(b, " (eget)");
			ib_buf_adds(b, "</td>");
		}
		ib_buf_adds(b, "<td data-l=\"\">");
		web_basket_toggle(b, c, r->p->id, NULL);
		ib_buf_adds(b, "</td></tr>\n");
	}
	ib_buf_adds(b, "</tbody></table>\n");
	web_page_foot(c);
}

static void csv(web_ctx *c, const row *rows, size_t n)
{
	char *z = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&z, &len);
	ib_proposal **ps = calloc(n + 1, sizeof *ps);
	if (!f || !ps) {
		if (f)
			fclose(f);
		free(z);
		free(ps);
		web_error_page(c, 500, "Der er ikke hukommelse nok; prøv igen.");
		return;
	}
	for (size_t i = 0; i < n; i++)
		ps[i] = rows[i].p;
	cli_basket_csv(f, c->s, ps, n, c->has_pj ? &c->pj : NULL);
	free(ps);
	fclose(f);
	ib_buf_reset(&c->r->body);
	ib_buf_add(&c->r->body, z, len);
	free(z);
	c->r->content_type = "text/csv; charset=utf-8";
	c->r->filename = "valgte-forslag.csv";
}

void web_basket(web_ctx *c, int format)
{
	size_t n;
	totals t;
	char missing[300];
	row *rows = load(c, &n, &t, missing, sizeof missing);
	if (!rows)
		web_error_page(c, 500, "Der er ikke hukommelse nok; prøv igen.");
	else if (format == WEB_CSV)
		csv(c, rows, n);
	else
		page(c, rows, n, &t, missing);
	free_rows(rows, n);
}
