/* web.c - ideabank's web page: a search form with results, one page per proposal,
 * and /api/search returning JSON.  Labels are Danish; every figure names its source. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli.h"
#include "web.h"

#define QUERY_PARAM_MAX 1000

/* Percent-decode s[0..n) into out (NUL-terminated); '+' is a space. */
static void url_decode(const char *s, size_t n, char *out, size_t cap)
{
	size_t j = 0;
	for (size_t i = 0; i < n && j + 1 < cap; i++) {
		if (s[i] == '+') {
			out[j++] = ' ';
		} else if (s[i] == '%' && i + 2 < n && s[i + 1] && s[i + 2] &&
			   strchr("0123456789abcdefABCDEF", s[i + 1]) &&
			   strchr("0123456789abcdefABCDEF", s[i + 2])) {
			char hex[3] = {s[i + 1], s[i + 2], 0};
			out[j++] = (char)strtol(hex, NULL, 16);
			i += 2;
		} else {
			out[j++] = s[i];
		}
	}
	out[j] = '\0';
}

/* Value of parameter name in query string q ("a=1&b=2"), decoded into out; 0 if absent. */
static int param(const char *q, const char *name, char *out, size_t cap)
{
	size_t nl = strlen(name);
	out[0] = '\0';
	while (q && *q) {
		const char *amp = strchr(q, '&');
		size_t len = amp ? (size_t)(amp - q) : strlen(q);
		if (len > nl && strncmp(q, name, nl) == 0 && q[nl] == '=') {
			url_decode(q + nl + 1, len - nl - 1, out, cap);
			return 1;
		}
		q = amp ? amp + 1 : NULL;
	}
	return 0;
}

static void html_esc(ib_buf *b, const char *z)
{
	for (; z && *z; z++) {
		switch (*z) {
		case '<':
			ib_buf_adds(b, "&lt;");
			break;
		case '>':
			ib_buf_adds(b, "&gt;");
			break;
		case '&':
			ib_buf_adds(b, "&amp;");
			break;
		case '"':
			ib_buf_adds(b, "&quot;");
			break;
		case '\'':
			ib_buf_adds(b, "&#39;");
			break;
		case '\x02':
			ib_buf_adds(b, "<mark>");
			break;
		case '\x03':
			ib_buf_adds(b, "</mark>");
			break;
		default:
			ib_buf_addc(b, *z);
		}
	}
}

void web_url_esc(ib_buf *b, const char *z)
{
	for (const unsigned char *p = (const unsigned char *)z; p && *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-_.~", *p))
			ib_buf_addc(b, (char)*p);
		else
			ib_buf_addf(b, "%%%02X", *p);
	}
}

static void page_head(ib_buf *b, const char *title)
{
	ib_buf_adds(b, "<!DOCTYPE html>\n<html lang=\"da\">\n<head>\n<meta charset=\"utf-8\">\n"
		       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		       "<title>");
	html_esc(b, title);
	ib_buf_adds(b, " – ideabank</title>\n<style>\n"
		       "body{font-family:system-ui,sans-serif;margin:2em auto;max-width:70em;"
		       "padding:0 1em;color:#222}\n"
		       "table{border-collapse:collapse;width:100%}\n"
		       "th,td{padding:.3em .5em;border-bottom:1px solid #ddd;text-align:left;"
		       "vertical-align:top}\n"
		       "td.n,th.n{text-align:right;white-space:nowrap}\n"
		       "form{display:flex;flex-wrap:wrap;gap:.5em;margin-bottom:1em}\n"
		       "mark{background:#fe6}\n.snip{color:#555;font-size:.9em}\n"
		       ".flag{color:#a00}\nfooter{margin-top:2em;color:#666;font-size:.85em}\n"
		       "</style>\n</head>\n<body>\n<h1><a href=\"/\">ideabank</a></h1>\n");
}

static void page_foot(ib_buf *b)
{
	ib_buf_adds(b,
		    "<footer>Befolkningstal og kommunale regnskaber: Danmarks Statistik "
		    "(FOLK1A, FOLK1AM, REGK31). Forslag: kommunernes offentliggjorte "
		    "budgetforslag; kilden står ved hvert forslag.</footer>\n</body>\n</html>\n");
}

static void num(ib_buf *b, double v, int decimals)
{
	char z[64];
	if (ib_is_na(v))
		ib_buf_adds(b, "ukendt");
	else
		ib_buf_adds(b, ib_num_format(v, decimals, z, sizeof z));
}

static void select_option(ib_buf *b, const char *value, const char *label, const char *current)
{
	ib_buf_adds(b, "<option value=\"");
	html_esc(b, value);
	ib_buf_addc(b, '"');
	if (current && strcmp(value, current) == 0)
		ib_buf_adds(b, " selected");
	ib_buf_addc(b, '>');
	html_esc(b, label);
	ib_buf_adds(b, "</option>");
}

static void search_form(ib_buf *b, const char *q, const char *area, const char *year,
			const char *kommune, const char *sort)
{
	ib_buf_adds(b, "<form action=\"/\" method=\"get\">\n<input name=\"q\" size=\"30\" "
		       "placeholder=\"Søg i forslag, fx hjemmepleje\" value=\"");
	html_esc(b, q);
	ib_buf_adds(b, "\">\n<select name=\"omraade\">");
	select_option(b, "", "Alle fagområder", area);
	for (size_t i = 0; i < ib_n_areas; i++)
		select_option(b, ib_areas[i], ib_areas[i], area);
	ib_buf_adds(b,
		    "</select>\n<input name=\"aar\" size=\"10\" placeholder=\"Budgetår\" value=\"");
	html_esc(b, year);
	ib_buf_adds(b, "\">\n<input name=\"kommune\" size=\"14\" placeholder=\"Kommune\" value=\"");
	html_esc(b, kommune);
	ib_buf_adds(b, "\">\n<select name=\"sort\">");
	select_option(b, "relevance", "Relevans", sort);
	select_option(b, "effect", "Effekt", sort);
	select_option(b, "per-inhabitant", "Effekt pr. indbygger", sort);
	ib_buf_adds(b, "</select>\n<button>Søg</button>\n</form>\n");
}

static void error_page(web_response *r, int status, const char *msg)
{
	r->status = status;
	ib_buf_reset(&r->body);
	page_head(&r->body, "Fejl");
	ib_buf_adds(&r->body, "<p class=\"flag\">");
	html_esc(&r->body, msg);
	ib_buf_adds(&r->body, "</p>\n");
	page_foot(&r->body);
}

/* Fill o from the query string; on a bad value return a message (static). */
static const char *search_opts(ib_store *s, const char *qs, ib_search_opts *o, char *q, char *area,
			       char *year, char *kommune, char *sort)
{
	memset(o, 0, sizeof *o);
	param(qs, "q", q, QUERY_PARAM_MAX);
	param(qs, "omraade", area, 128);
	param(qs, "aar", year, 32);
	param(qs, "kommune", kommune, 128);
	param(qs, "sort", sort, 32);
	o->query = q[0] ? q : NULL;
	o->limit = 100;
	if (area[0] && !(o->area = ib_area_canonical(area)))
		return "Ukendt fagområde.";
	if (year[0]) {
		char *end;
		long a = strtol(year, &end, 10), b2 = a;
		if (strncmp(end, "..", 2) == 0)
			b2 = strtol(end + 2, &end, 10);
		if (*end || a < 1990 || b2 < a || b2 > 2100)
			return "Budgetår skal være et år eller et interval som 2021..2024.";
		o->year_from = (int)a;
		o->year_to = (int)b2;
	}
	if (kommune[0]) {
		ib_municipality m;
		ib_error err = {0};
		if (ib_store_find_municipality(s, kommune, &m, &err))
			return "Ukendt kommune.";
		o->kommunekode = m.code;
	}
	if (!strcmp(sort, "effect"))
		o->sort = IB_SORT_EFFECT;
	else if (!strcmp(sort, "per-inhabitant"))
		o->sort = IB_SORT_PER_INHABITANT;
	else if (!strcmp(sort, "relevance") || !sort[0])
		o->sort = IB_SORT_DEFAULT;
	else
		return "Ukendt sortering.";
	return NULL;
}

static void render_search(ib_store *s, const char *qs, web_response *r, int api)
{
	static char q[QUERY_PARAM_MAX + 1];
	char area[128], year[32], kommune[128], sort[32];
	ib_search_opts o;
	const char *bad = search_opts(s, qs, &o, q, area, year, kommune, sort);
	if (bad) {
		if (api) {
			r->status = 400;
			r->content_type = "application/json; charset=utf-8";
			cJSON *e = cJSON_CreateObject();
			cJSON_AddStringToObject(e, "error", bad);
			char *z = cJSON_PrintUnformatted(e);
			ib_buf_adds(&r->body, z);
			ib_buf_addc(&r->body, '\n');
			cJSON_free(z);
			cJSON_Delete(e);
		} else {
			error_page(r, 400, bad);
		}
		return;
	}
	ib_result *res = NULL;
	ib_error err = {0};
	int rc = ib_search(s, &o, &res, &err);
	if (api) {
		r->content_type = "application/json; charset=utf-8";
		cJSON *root;
		if (rc) {
			r->status = rc == IB_EARG || rc == IB_ETOOBIG ? 400 : 500;
			root = cJSON_CreateObject();
			cJSON_AddStringToObject(root, "error", err.msg);
		} else {
			root = cli_search_json(res, o.query, 1);
		}
		char *z = cJSON_Print(root);
		ib_buf_adds(&r->body, z);
		ib_buf_addc(&r->body, '\n');
		cJSON_free(z);
		cJSON_Delete(root);
		ib_result_free(res);
		return;
	}
	page_head(&r->body, q[0] ? q : "Søg i forslag");
	search_form(&r->body, q, area, year, kommune, sort);
	if (rc) {
		ib_buf_adds(&r->body, "<p class=\"flag\">");
		html_esc(&r->body, err.msg);
		ib_buf_adds(&r->body, "</p>\n");
		r->status = 400;
	} else if (res->total == 0) {
		ib_buf_adds(&r->body, "<p>Ingen forslag matcher.</p>\n");
	} else {
		ib_buf_addf(&r->body, "<p>%zu forslag%s.</p>\n", res->total,
			    res->n < res->total ? " (de første 100 vises)" : "");
		ib_buf_adds(&r->body, "<table>\n<tr><th>Kommune</th><th>Budgetår</th><th>Titel</th>"
				      "<th class=\"n\">Effekt (kr.)</th><th class=\"n\">Kr. pr. "
				      "indb.</th><th class=\"n\">Folketal (år)</th></tr>\n");
		for (size_t i = 0; i < res->n; i++) {
			const ib_hit *h = &res->hits[i];
			ib_buf_adds(&r->body, "<tr><td>");
			html_esc(&r->body, h->kommune);
			ib_buf_addf(&r->body, "</td><td>%d</td><td><a href=\"/forslag?id=%lld\">",
				    h->budget_year, (long long)h->id);
			html_esc(&r->body, h->title);
			ib_buf_adds(&r->body, "</a>");
			if (h->snippet) {
				ib_buf_adds(&r->body, "<br><span class=\"snip\">");
				html_esc(&r->body, h->snippet);
				ib_buf_adds(&r->body, "</span>");
			}
			ib_buf_adds(&r->body, "</td><td class=\"n\">");
			num(&r->body, h->effect_kr, 0);
			ib_buf_adds(&r->body, "</td><td class=\"n\">");
			num(&r->body, h->per_inhabitant, 2);
			ib_buf_adds(&r->body, "</td><td class=\"n\">");
			if (h->population > 0) {
				num(&r->body, (double)h->population, 0);
				ib_buf_addf(&r->body, " (%d)", h->population_year);
			} else {
				ib_buf_adds(&r->body, "ukendt");
			}
			ib_buf_adds(&r->body, "</td></tr>\n");
		}
		ib_buf_adds(&r->body, "</table>\n");
	}
	ib_result_free(res);
	page_foot(&r->body);
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
	html_esc(b, label);
	ib_buf_adds(b, "</th>");
	for (size_t i = 0; i < p->n_years; i++) {
		double v = *(const double *)((const char *)&p->years[i] + off);
		ib_buf_adds(b, "<td class=\"n\">");
		num(b, v, v == (double)(long long)v ? 0 : 2);
		ib_buf_adds(b, "</td>");
	}
	ib_buf_adds(b, "</tr>\n");
}

static void dl(ib_buf *b, const char *label, const char *value)
{
	ib_buf_adds(b, "<dt>");
	html_esc(b, label);
	ib_buf_adds(b, "</dt><dd>");
	html_esc(b, value && *value ? value : "–");
	ib_buf_adds(b, "</dd>\n");
}

static void render_proposal(ib_store *s, const char *qs, web_response *r)
{
	char idz[32];
	param(qs, "id", idz, sizeof idz);
	char *end;
	long long id = strtoll(idz, &end, 10);
	if (!idz[0] || *end || id <= 0) {
		error_page(r, 400, "Forslagets id skal være et positivt tal.");
		return;
	}
	ib_proposal *p = NULL;
	ib_error err = {0};
	if (ib_store_get_proposal(s, id, &p, &err)) {
		error_page(r, err.rc == IB_ENOTFOUND ? 404 : 500,
			   err.rc == IB_ENOTFOUND ? "Forslaget findes ikke." : err.msg);
		return;
	}
	ib_buf *b = &r->body;
	char line[512], x[64], y[64];
	page_head(b, p->title);
	ib_buf_adds(b, "<h2>");
	html_esc(b, p->title);
	ib_buf_adds(b, "</h2>\n<dl>\n");
	ib_municipality m;
	snprintf(x, sizeof x, "%03d", p->kommunekode);
	if (ib_store_find_municipality(s, x, &m, &err) == IB_OK)
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
	dl(b, "Vedtaget", p->adopted == 1 ? "ja" : p->adopted == 0 ? "nej" : "ukendt");
	if (ib_is_na(p->effect_kr)) {
		dl(b, "Effekt", "ukendt");
	} else {
		snprintf(line, sizeof line, "%s kr. om året ved fuld indfasning",
			 ib_num_format(p->effect_kr, 0, x, sizeof x));
		dl(b, "Effekt", line);
		long pop;
		int year_used;
		char *src = NULL;
		if (ib_store_population(s, p->kommunekode, p->budget_year, &pop, &year_used, &src,
					&err) == IB_OK) {
			snprintf(line, sizeof line, "%s kr. (folketal %s i %d; kilde: %s)",
				 ib_num_format(p->effect_kr / (double)pop, 2, x, sizeof x),
				 ib_num_format((double)pop, 0, y, sizeof y), year_used, src);
			dl(b, "Effekt pr. indbygger", line);
			free(src);
		}
	}
	if (p->page)
		snprintf(line, sizeof line, "%s, side %d", p->source, p->page);
	else
		snprintf(line, sizeof line, "%s", p->source);
	dl(b, "Kilde", line);
	ib_buf_adds(b, "</dl>\n");
	if (p->summary && *p->summary) {
		ib_buf_adds(b, "<h3>Resumé</h3>\n<p>");
		html_esc(b, p->summary);
		ib_buf_adds(b, "</p>\n");
	}
	if (p->n_years) {
		ib_buf_adds(b, "<h3>Økonomi (1.000 kr., som trykt; negativ = besparelse)</h3>\n"
			       "<table>\n<tr><th></th>");
		for (size_t i = 0; i < p->n_years; i++)
			ib_buf_addf(b, "<th class=\"n\">%d</th>", p->years[i].year);
		ib_buf_adds(b, "</tr>\n");
		year_row(b, p, "Investering", offsetof(ib_proposal_year, investment));
		year_row(b, p, "Udgifter", offsetof(ib_proposal_year, expenses));
		year_row(b, p, "Indtægter", offsetof(ib_proposal_year, income));
		year_row(b, p, "Netto", offsetof(ib_proposal_year, net));
		year_row(b, p, "Årsværk", offsetof(ib_proposal_year, fte));
		ib_buf_adds(b, "</table>\n");
	}
	if (p->n_flags) {
		ib_buf_adds(b, "<h3>Kontrol</h3>\n<ul>\n");
		for (size_t i = 0; i < p->n_flags; i++) {
			ib_buf_adds(b, "<li class=\"flag\">");
			html_esc(b, p->flags[i].message);
			ib_buf_adds(b, "</li>\n");
		}
		ib_buf_adds(b, "</ul>\n");
	}
	if (p->text && *p->text) {
		ib_buf_adds(b, "<h3>Tekst</h3>\n<p style=\"white-space:pre-wrap\">");
		html_esc(b, p->text);
		ib_buf_adds(b, "</p>\n");
	}
	ib_buf_adds(b, "<p><a href=\"/?q=");
	web_url_esc(b, p->title);
	ib_buf_adds(b, "\">Søg efter lignende forslag</a></p>\n");
	page_foot(b);
	ib_proposal_free(p);
}

void web_handle(ib_store *s, const char *path_and_query, web_response *r)
{
	r->status = 200;
	r->content_type = "text/html; charset=utf-8";
	ib_buf_init(&r->body, 0);
	const char *qm = strchr(path_and_query, '?');
	size_t plen = qm ? (size_t)(qm - path_and_query) : strlen(path_and_query);
	const char *qs = qm ? qm + 1 : "";
	if (plen == 1 && path_and_query[0] == '/')
		render_search(s, qs, r, 0);
	else if (plen == 11 && strncmp(path_and_query, "/api/search", 11) == 0)
		render_search(s, qs, r, 1);
	else if (plen == 8 && strncmp(path_and_query, "/forslag", 8) == 0)
		render_proposal(s, qs, r);
	else
		error_page(r, 404, "Siden findes ikke.");
}
