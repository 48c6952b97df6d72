/* web_proposal.c - one proposal (/forslag?id=N) with everything `ideabank show`
 * prints, projected onto "Min kommune", and /api/proposal/N (the JSON of `show
 * --json`). */
#include <ctype.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web_int.h"

static const char *tri_da(int v)
{
	return v == 1 ? "ja" : v == 0 ? "nej" : "ukendt";
}

static void dl_start(ib_buf *b, const char *label)
{
	ib_buf_adds(b, "<dt>");
	web_html(b, label);
	ib_buf_adds(b, "</dt><dd>");
}

static void dl(ib_buf *b, const char *label, const char *value)
{
	dl_start(b, label);
	web_html(b, value && *value ? value : "–");
	ib_buf_adds(b, "</dd>\n");
}

static void dl_kr(ib_buf *b, const char *label, double v, const char *suffix)
{
	dl_start(b, label);
	if (ib_is_na(v)) {
		ib_buf_adds(b, "ukendt");
	} else {
		web_num(b, v, 0);
		ib_buf_adds(b, suffix);
	}
	ib_buf_adds(b, "</dd>\n");
}

/* A yearly figure: whole numbers without decimals, unknown as "?". */
static void year_value(ib_buf *b, double v)
{
	if (ib_is_na(v))
		ib_buf_adds(b, "?");
	else
		web_num(b, v, v != floor(v) ? 2 : 0);
}

static void year_row(ib_buf *b, const ib_proposal *p, const char *label, size_t off)
{
	int any = 0;
	for (size_t i = 0; i < p->n_years; i++)
		if (!ib_is_na(*(const double *)((const char *)&p->years[i] + off)))
			any = 1;
	if (!any)
		return;
	ib_buf_adds(b, "<tr><th>");
	web_html(b, label);
	ib_buf_adds(b, "</th>");
	for (size_t i = 0; i < p->n_years; i++) {
		ib_buf_adds(b, "<td class=\"n\">");
		year_value(b, *(const double *)((const char *)&p->years[i] + off));
		ib_buf_adds(b, "</td>");
	}
	ib_buf_adds(b, "</tr>\n");
}

/* The source: the document's title from the title map (linked to where it is
 * published) or, unknown there, its name, linked when it is a web address. */
static void source(ib_buf *b, const char *z, int page)
{
	if (!z || !*z) {
		ib_buf_adds(b, "ukendt");
		return;
	}
	const ib_document_info *doc = ib_document_lookup(z);
	const char *url = doc && *doc->url ? doc->url
			  : !strncmp(z, "https://", 8) || !strncmp(z, "http://", 7) ? z
										     : NULL;
	if (url) {
		ib_buf_adds(b, "<a rel=\"noopener noreferrer\" href=\"");
		web_html(b, url);
		ib_buf_adds(b, "\">");
	}
	web_html(b, doc ? doc->title : url ? z : ib_base_name(z));
	if (url)
		ib_buf_adds(b, "</a>");
	if (doc && doc->publisher && *doc->publisher) {
		ib_buf_adds(b, " (");
		web_html(b, doc->publisher);
		ib_buf_adds(b, ")");
	}
	if (page)
		ib_buf_addf(b, ", side %d", page);
	if (doc) {
		ib_buf_adds(b, " <span class=\"note\">");
		web_html(b, ib_base_name(z));
		ib_buf_adds(b, "</span>");
	}
}

/* The title's distinctive words (4 letters or more, at most 8) joined by OR. */
static void similar_query(const char *title, char *out, size_t n)
{
	size_t used = 0;
	int words = 0;
	out[0] = '\0';
	for (const char *p = title; *p && words < 8;) {
		while (*p && !isalnum((unsigned char)*p) && !((unsigned char)*p >= 0xC3))
			p++;
		const char *w = p;
		size_t letters = 0;
		while (*p && (isalnum((unsigned char)*p) || (unsigned char)*p >= 0x80)) {
			letters += ((unsigned char)*p & 0xC0) != 0x80;
			p++;
		}
		if (letters < 4 || (size_t)(p - w) > 60)
			continue;
		int k =
		    snprintf(out + used, n - used, "%s%.*s", words ? " OR " : "", (int)(p - w), w);
		if (k < 0 || (size_t)k >= n - used)
			break;
		used += (size_t)k;
		words++;
	}
}

static void page(web_ctx *c, const ib_proposal *p)
{
	ib_buf *b = &c->r->body;
	char line[512], x[64];
	ib_error err = {0};
	web_page_head(c, p->title, NULL);
	ib_buf_adds(b, "<h2>");
	web_html(b, p->title);
	ib_buf_adds(b, "</h2>\n<p>");
	web_basket_toggle(b, c, p->id, (const char *const[]){"id", NULL});
	ib_buf_adds(b, "</p>\n<dl>\n");
	ib_municipality m;
	snprintf(x, sizeof x, "%03d", p->kommunekode);
	if (ib_store_find_municipality(c->s, x, &m, &err) == IB_OK)
		snprintf(line, sizeof line, "%s (%03d), %s, %s", m.name, m.code, m.region,
			 m.group_name);
	else
		snprintf(line, sizeof line, "%03d", p->kommunekode);
	dl(b, "Kommune", line);
	snprintf(line, sizeof line, "%d", p->budget_year);
	dl(b, "Budgetår", line);
	dl(b, "Reference", p->ref);
	dl(b, "Fagområde", p->area);
	dl(b, "Udvalg/forvaltning", p->committee);
	dl(b, "Type", p->kind);
	dl(b, "Vedtaget", tri_da(p->adopted));
	snprintf(line, sizeof line, "%d", p->full_year);
	dl(b, "Fuldt indfaset", p->full_year ? line : NULL);
	dl_kr(b, "Effekt", p->effect_kr, " kr. om året ved fuld indfasning (positiv = besparelse)");
	if (!ib_is_na(p->effect_kr)) {
		long pop;
		int year_used;
		char *src = NULL;
		dl_start(b, "Effekt pr. indbygger");
		if (ib_store_population(c->s, p->kommunekode, p->budget_year, &pop, &year_used,
					&src, &err) == IB_OK &&
		    pop > 0) {
			double per = p->effect_kr / (double)pop;
			web_num(b, per, 2);
			ib_buf_adds(b, " kr. (folketal ");
			web_num(b, (double)pop, 0);
			ib_buf_addf(b, ", %d%s; kilde: ", year_used,
				    year_used != p->budget_year ? ", nærmeste år med tal" : "");
			web_html(b, src);
			ib_buf_adds(b, ")</dd>\n");
			if (c->has_pj) {
				snprintf(line, sizeof line, "Projiceret på %s", c->pj.m.name);
				dl_start(b, line);
				web_num(b, per * (double)c->pj.inhabitants, 0);
				ib_buf_adds(b, " kr. om året (");
				web_num(b, per, 2);
				ib_buf_adds(b, " kr. pr. indbygger × ");
				web_num(b, (double)c->pj.inhabitants, 0);
				ib_buf_addf(b, " indbyggere, %d)</dd>\n", c->pj.year);
			}
		} else {
			ib_buf_adds(b, "ukendt (intet folketal)</dd>\n");
		}
		free(src);
	}
	if (!ib_is_na(p->impl_cost_kr))
		dl_kr(b, "Implementeringsudgift", p->impl_cost_kr, " kr.");
	dl_start(b, "Kilde");
	source(b, p->source, p->page);
	ib_buf_adds(b, "</dd>\n");
	if (p->case_key) {
		dl_start(b, "Sag");
		web_html(b, p->case_key);
		if (p->variant) {
			ib_buf_adds(b, ", ");
			web_html(b, p->variant);
		}
		ib_buf_adds(b, "</dd>\n");
	}
	dl(b, "Indholds-hash", p->content_hash);
	ib_buf_adds(b, "</dl>\n");
	if (p->n_appearances) {
		/* the case's way through the committees: what "Vedtaget" is read from */
		ib_buf_adds(b, "<h3>Behandlet</h3>\n<ul class=\"behandlet\">\n");
		for (size_t i = 0; i < p->n_appearances; i++) {
			const ib_appearance *a = &p->appearances[i];
			ib_buf_adds(b, "<li>");
			web_html(b, a->date ? a->date : "");
			ib_buf_adds(b, " ");
			web_html(b, a->committee ? a->committee : "");
			ib_buf_adds(b, ", punkt ");
			web_html(b, a->item ? a->item : "");
			ib_buf_adds(b, ": ");
			web_html(b, a->decision ? a->decision : "(ingen beslutning endnu)");
			if (a->url && *a->url) {
				ib_buf_adds(b, " <span class=\"note\">");
				source(b, a->url, 0);
				ib_buf_adds(b, "</span>");
			}
			ib_buf_adds(b, "</li>\n");
		}
		ib_buf_adds(b, "</ul>\n");
	}
	if (p->summary && *p->summary) {
		ib_buf_adds(b, "<h3>Resumé</h3>\n<p class=\"pre\">");
		web_html(b, p->summary);
		ib_buf_adds(b, "</p>\n");
	}
	if (p->n_years) {
		ib_buf_adds(b, "<h3>Økonomi</h3>\n<p class=\"note\">1.000 kr., som trykt i "
			       "dokumentet; negativ = besparelse (modsat fortegn af Effekt "
			       "ovenfor).</p>\n<div class=\"wrap\"><table>\n<tr><th></th>");
		for (size_t i = 0; i < p->n_years; i++)
			ib_buf_addf(b, "<th class=\"n\">%d</th>", p->years[i].year);
		ib_buf_adds(b, "</tr>\n");
		year_row(b, p, "Investering", offsetof(ib_proposal_year, investment));
		year_row(b, p, "Udgifter", offsetof(ib_proposal_year, expenses));
		year_row(b, p, "Indtægter", offsetof(ib_proposal_year, income));
		year_row(b, p, "Netto", offsetof(ib_proposal_year, net));
		year_row(b, p, "Årsværk", offsetof(ib_proposal_year, fte));
		int any_src = 0, any_page = 0;
		for (size_t i = 0; i < p->n_years; i++) {
			any_src |= p->years[i].page || p->years[i].line;
			any_page |= p->years[i].page != 0;
		}
		if (any_src) {
			ib_buf_addf(b, "<tr><th>%s</th>",
				    any_page ? "Kilde (side:linje)" : "Kilde (linje)");
			for (size_t i = 0; i < p->n_years; i++) {
				if (any_page)
					ib_buf_addf(b, "<td class=\"n\">%d:%d</td>",
						    p->years[i].page, p->years[i].line);
				else
					ib_buf_addf(b, "<td class=\"n\">%d</td>", p->years[i].line);
			}
			ib_buf_adds(b, "</tr>\n");
		}
		ib_buf_adds(b, "</table></div>\n");
	}
	/* inconsistencies in the document's figures first, then notes on data quality */
	for (int pass = 0; pass < 2; pass++) {
		size_t n = 0;
		for (size_t i = 0; i < p->n_flags; i++)
			n += ib_flag_is_inconsistency(p->flags[i].code) == !pass;
		if (!n)
			continue;
		ib_buf_adds(b, pass ? "<h3>Bemærkninger om data</h3>\n<ul>\n"
				    : "<h3>Kontrol</h3>\n<p class=\"note\">Tallene i dokumentet "
				      "går ikke op; sådan afviger de:</p>\n<ul>\n");
		for (size_t i = 0; i < p->n_flags; i++) {
			if (ib_flag_is_inconsistency(p->flags[i].code) != !pass)
				continue;
			ib_buf_addf(b, "<li class=\"%s\">", pass ? "note" : "flag");
			web_html(b, p->flags[i].message);
			ib_buf_adds(b, " <span class=\"note\">(");
			web_html(b, p->flags[i].code);
			ib_buf_adds(b, ")</span></li>\n");
		}
		ib_buf_adds(b, "</ul>\n");
	}
	if (p->followup) {
		const ib_followup *f = p->followup;
		ib_buf_adds(b, "<h3>Opfølgning</h3>\n<dl>\n");
		dl(b, "Vedtaget", f->adoption);
		if (!ib_is_na(f->total_investment_kr))
			dl_kr(b, "Samlet investering", f->total_investment_kr, " kr.");
		if (!ib_is_na(f->effect_full_kr))
			dl_kr(b, "Effekt, fuld indfasning", f->effect_full_kr, " kr. (som trykt)");
		dl(b, "Fuld implementering", f->full_implementation);
		dl(b, "Kompenserende handling", tri_da(f->compensating));
		dl(b, "Status", f->status);
		dl(b, "Bemærkning", f->remark);
		if (f->source) {
			dl_start(b, "Kilde");
			source(b, f->source, f->page);
			ib_buf_adds(b, "</dd>\n");
		}
		ib_buf_adds(b, "</dl>\n");
	}
	if (p->text && *p->text) {
		ib_buf_adds(b, "<h3>Tekst</h3>\n<p class=\"pre\">");
		web_html(b, p->text);
		ib_buf_adds(b, "</p>\n");
	}
	char q[600];
	similar_query(p->title, q, sizeof q);
	if (*q) {
		ib_buf_adds(b, "<p><a href=\"");
		web_href(b, c, "/", NULL, "q", q, NULL);
		ib_buf_adds(b, "\">Søg efter lignende forslag</a></p>\n");
	}
	web_page_foot(c);
}

void web_proposal(web_ctx *c, const char *idz, int format)
{
	char *end;
	long long id = strtoll(idz, &end, 10);
	int json = format == WEB_JSON;
	if (!*idz || *end || id <= 0 || !isdigit((unsigned char)*idz)) {
		if (json)
			web_api_error(c, 400, "Forslagets id skal være et positivt tal.",
				      "proposal id must be a positive number");
		else
			web_error_page(c, 400, "Forslagets id skal være et positivt tal.");
		return;
	}
	ib_proposal *p = NULL;
	ib_error err = {0};
	if (ib_store_get_proposal(c->s, id, &p, &err)) {
		int nf = err.rc == IB_ENOTFOUND;
		const char *da = nf ? "Forslaget findes ikke." : "Databasen kunne ikke læses.";
		if (json)
			web_api_error(c, nf ? 404 : 500, da, err.msg);
		else
			web_error_page(c, nf ? 404 : 500, da);
		return;
	}
	if (json) {
		ib_buf_reset(&c->r->body);
		c->r->content_type = "application/json; charset=utf-8";
		if (ib_feed_write_jsonl(&c->r->body, p, 1) != IB_OK)
			web_api_error(c, 500, "Forslaget kunne ikke skrives.",
				      "cannot write the proposal");
	} else {
		page(c, p);
	}
	ib_proposal_free(p);
}
