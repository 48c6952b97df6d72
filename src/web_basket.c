/* web_basket.c - "Valgte forslag" (/kurv): the proposals in kurv= with Idébanken's
 * totals (count, total effect, effect per inhabitant, projected onto "Min kommune",
 * where that municipality's own proposals count as they are; a case's alternatives
 * once), and /kurv.csv: the CSV of `basket export --csv`; both from basket.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web_int.h"

static void page(web_ctx *c, const cli_basket *k)
{
	ib_buf *b = &c->r->body;
	web_page_head(c, "Valgte forslag", "kurv");
	ib_buf_adds(b, "<h2>Valgte forslag</h2>\n");
	if (k->n_missing) {
		ib_buf m;
		ib_buf_init(&m, 0);
		ib_buf_adds(&m, "Disse forslag findes ikke og er sprunget over: ");
		for (size_t i = 0; i < k->n_missing; i++)
			ib_buf_addf(&m, "%s%lld", i ? ", " : "", (long long)k->missing[i]);
		ib_buf_addc(&m, '.');
		web_page_error(c, ib_buf_str(&m));
		ib_buf_free(&m);
	}
	if (!k->n) {
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
		web_signed(b, k->projected, 0);
		ib_buf_adds(b, " kr. om året</strong> for de ");
		ib_buf_addf(b, "%zu forslag: hvert forslags effekt pr. indbygger × ", k->n);
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
		    k->n);
	web_signed(b, k->effect, 0);
	ib_buf_adds(b, " kr. om året");
	if (k->n_unknown)
		ib_buf_addf(b, " (%zu med ukendt effekt tæller ikke med)", k->n_unknown);
	ib_buf_adds(b, " og ");
	web_signed(b, k->per_inhabitant, 2);
	ib_buf_adds(b, " kr. pr. indbygger (summen af hvert forslags).</p>\n");
	char alt[1024];
	if (*cli_basket_alternatives(k, alt, sizeof alt)) {
		ib_buf_adds(b, "<p class=\"alt\">Alternativer i samme sag kan ikke lægges sammen; "
			       "summerne tæller det første, du har valgt: ");
		web_html(b, alt);
		ib_buf_adds(b, "</p>\n");
	}
	ib_buf_adds(b, "</div>\n<p class=\"tools\"><a href=\"");
	web_href(b, c, "/kurv.csv", NULL, NULL);
	ib_buf_adds(b, "\" download>Hent som CSV (Excel)</a> <a href=\"");
	web_href(b, c, "/kurv", NULL, "kurv", "", NULL);
	ib_buf_adds(b, "\">Fjern alle</a></p>\n<p class=\"note\" id=\"forklaring\">Effekt: kr. om "
		       "året ved fuld indfasning, i budgetårets priser; + = besparelse, − = "
		       "merudgift. Pr. indbygger: effekten delt med kommunens folketal i "
		       "budgetåret, det år effekten er regnet for.</p>\n<table class=\"cards\" "
		       "aria-describedby=\"forklaring\">\n"
		       "<thead><tr><th>Forslag</th>");
	cli_cols_ctx x = cli_line_ctx(c->has_pj ? &c->pj : NULL, 0, 1);
	web_cols_head(b, cli_line_cols, cli_line_html_view, &x);
	ib_buf_adds(b, "<th>Valgt</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < k->n; i++)
		web_line_row(c, &k->lines[i], &x, NULL);
	ib_buf_adds(b, "</tbody></table>\n");
	web_page_foot(c);
}

static void write_csv(FILE *f, const void *arg)
{
	const web_ctx *c = ((const void *const *)arg)[0];
	const cli_basket *k = ((const void *const *)arg)[1];
	cli_basket_csv(f, k, c->has_pj ? &c->pj : NULL);
}

void web_basket(web_ctx *c, int format)
{
	cli_basket k;
	ib_error err = {0};
	if (cli_basket_load(c->s, c->basket, c->n_basket, c->has_pj ? &c->pj : NULL, &k, &err))
		web_error_page(c, 500, "Databasen kunne ikke læses; prøv igen.");
	else if (format == WEB_CSV)
		web_csv(c, write_csv, (const void *[]){c, &k}, "valgte-forslag.csv");
	else
		page(c, &k);
	cli_basket_free(&k);
}
