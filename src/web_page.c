/* web_page.c - what every page of the web site uses (web_int.h): the request's
 * arguments, HTML and URL escaping, links that keep "Min kommune" and the basket, the
 * page frame (head with the navigation and the "Min kommune" form, foot), error pages
 * and lines, JSON answers, and the municipality registry with suggestions.  The router
 * (web.c) and the pages (web_search.c, web_proposal.c, web_basket.c, web_peers.c,
 * web_room.c) call it; it calls none of them. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web_int.h"

const char *web_param(const web_ctx *c, const char *key)
{
	for (size_t i = 0; i < c->rq->n_args; i++)
		if (strcmp(c->rq->args[i].key, key) == 0)
			return c->rq->args[i].value;
	return NULL;
}

const char *web_param0(const web_ctx *c, const char *key)
{
	const char *v = web_param(c, key);
	return v ? v : "";
}

void web_html(ib_buf *b, const char *z)
{
	for (const unsigned char *p = (const unsigned char *)z; p && *p; p++) {
		switch (*p) {
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
		default:
			if ((*p >= 0x20 && *p != 0x7F) || *p == '\n' || *p == '\t')
				ib_buf_addc(b, (char)*p);
		}
	}
}

void web_snippet_html(ib_buf *b, const char *z)
{
	int open = 0;
	const char *p = z;
	while (p && *p) {
		size_t run = strcspn(p, "\x02\x03");
		if (run) {
			char *part = strndup(p, run);
			web_html(b, part);
			free(part);
			p += run;
			continue;
		}
		if (*p == '\x02' && !open)
			ib_buf_adds(b, "<mark>"), open = 1;
		else if (*p == '\x03' && open)
			ib_buf_adds(b, "</mark>"), open = 0;
		p++;
	}
	if (open)
		ib_buf_adds(b, "</mark>");
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

void web_num(ib_buf *b, double v, int decimals)
{
	char z[64];
	if (ib_is_na(v))
		ib_buf_adds(b, "ukendt");
	else
		ib_buf_adds(b, ib_num_format(v, decimals, z, sizeof z));
}

void web_signed(ib_buf *b, double v, int decimals)
{
	if (!ib_is_na(v) && v > 0)
		ib_buf_addc(b, '+');
	web_num(b, v, decimals);
}

static int in_list(const char *const *keep, const char *key)
{
	if (keep && keep[0] && !strcmp(keep[0], "*"))
		return 1;
	for (size_t i = 0; keep && keep[i]; i++)
		if (!strcmp(keep[i], key))
			return 1;
	return 0;
}

static void url_v(ib_buf *b, const web_ctx *c, const char *path, const char *const *keep,
		  va_list ap)
{
	const char *ok[17], *ov[16];
	size_t no = 0;
	for (const char *k; no < 16 && (k = va_arg(ap, const char *)) != NULL; no++) {
		ok[no] = k;
		ov[no] = va_arg(ap, const char *);
	}
	ok[no] = NULL;
	ib_buf_adds(b, path);
	char sep = '?';
	for (size_t i = 0; i < c->rq->n_args; i++) {
		const web_arg *a = &c->rq->args[i];
		if (!*a->value || in_list(ok, a->key) ||
		    !(in_list(keep, a->key) || !strcmp(a->key, "for") || !strcmp(a->key, "kurv")))
			continue;
		/* only the first of a repeated key, as web_param() reads it */
		if (web_param(c, a->key) != a->value)
			continue;
		ib_buf_addc(b, sep);
		sep = '&';
		web_url_esc(b, a->key);
		ib_buf_addc(b, '=');
		web_url_esc(b, a->value);
	}
	for (size_t i = 0; i < no; i++) {
		if (!ov[i] || !*ov[i])
			continue;
		ib_buf_addc(b, sep);
		sep = '&';
		web_url_esc(b, ok[i]);
		ib_buf_addc(b, '=');
		web_url_esc(b, ov[i]);
	}
}

void web_url(ib_buf *b, const web_ctx *c, const char *path, const char *const *keep, ...)
{
	va_list ap;
	va_start(ap, keep);
	url_v(b, c, path, keep, ap);
	va_end(ap);
}

void web_href(ib_buf *b, const web_ctx *c, const char *path, const char *const *keep, ...)
{
	ib_buf u;
	ib_buf_init(&u, 0);
	va_list ap;
	va_start(ap, keep);
	url_v(&u, c, path, keep, ap);
	va_end(ap);
	web_html(b, ib_buf_str(&u));
	ib_buf_free(&u);
}

int web_in_basket(const web_ctx *c, int64_t id)
{
	for (size_t i = 0; i < c->n_basket; i++)
		if (c->basket[i] == id)
			return 1;
	return 0;
}

void web_basket_value(const web_ctx *c, int64_t add, int64_t remove, char *out, size_t n)
{
	size_t used = 0;
	out[0] = '\0';
	for (size_t i = 0; i <= c->n_basket; i++) {
		int64_t id = i < c->n_basket ? c->basket[i] : add;
		if (!id || id == remove || (i == c->n_basket && web_in_basket(c, add)))
			continue;
		int w = snprintf(out + used, n - used, "%s%lld", used ? "," : "", (long long)id);
		if (w < 0 || (size_t)w >= n - used)
			break;
		used += (size_t)w;
	}
}

void web_basket_toggle(ib_buf *b, const web_ctx *c, int64_t id, const char *const *keep)
{
	char v[WEB_BASKET_MAX * 21], anchor[32];
	int in = web_in_basket(c, id);
	web_basket_value(c, in ? 0 : id, in ? id : 0, v, sizeof v);
	ib_buf_adds(b, "<a class=\"kurv\" href=\"");
	web_href(b, c, c->rq->path, keep, "kurv", v, NULL);
	/* back to the same row (web_row_id), not the top of the page */
	snprintf(anchor, sizeof anchor, "#f%lld", (long long)id);
	ib_buf_adds(b, anchor);
	ib_buf_addf(b, "\" aria-describedby=\"t%lld\">", (long long)id);
	ib_buf_adds(b, in ? "Fjern fra valgte</a>" : "Vælg forslag</a>");
}

const ib_municipality *web_municipalities(web_ctx *c, size_t *n)
{
	if (!c->munis) {
		ib_error err = {0};
		if (ib_store_municipalities(c->s, &c->munis, &c->n_munis, &err))
			c->munis = NULL, c->n_munis = 0;
	}
	*n = c->n_munis;
	return c->munis;
}

int web_find_municipality_ex(web_ctx *c, const char *z, ib_municipality *m, char *da, char *en,
			     size_t n, char *suggest, size_t sn)
{
	ib_error err = {0};
	if (suggest && sn)
		suggest[0] = '\0';
	if (ib_store_find_municipality(c->s, z, m, &err) == IB_OK)
		return 1;
	snprintf(en, n, "%s", err.msg);
	size_t nm;
	const ib_municipality *all = web_municipalities(c, &nm);
	char want[128], have[128];
	ib_fold_ascii(z, want, sizeof want);
	int best = 99;
	const char *name = NULL;
	for (size_t i = 0; i < nm; i++) {
		ib_fold_ascii(all[i].name, have, sizeof have);
		int d = ib_edit_distance(want, have);
		if (d < best)
			best = d, name = all[i].name;
	}
	if (name && best <= 3) {
		snprintf(da, n, "Ukendt kommune »%s«. Mente du %s?", z, name);
		if (suggest && sn)
			snprintf(suggest, sn, "%s", name);
	} else {
		snprintf(da, n,
			 "Ukendt kommune »%s«. Skriv kommunens navn eller kode, fx Ringsted "
			 "eller 329.",
			 z);
	}
	return 0;
}

int web_find_municipality(web_ctx *c, const char *z, ib_municipality *m, char *da, char *en,
			  size_t n)
{
	return web_find_municipality_ex(c, z, m, da, en, n, NULL, 0);
}

void web_option(ib_buf *b, const char *value, const char *label, const char *current)
{
	ib_buf_adds(b, "<option value=\"");
	web_html(b, value);
	ib_buf_addc(b, '"');
	if (current && strcmp(value, current) == 0)
		ib_buf_adds(b, " selected");
	ib_buf_addc(b, '>');
	web_html(b, label);
	ib_buf_adds(b, "</option>");
}

void web_municipality_datalist(web_ctx *c)
{
	size_t n;
	const ib_municipality *m = web_municipalities(c, &n);
	ib_buf_adds(&c->r->body, "<datalist id=\"kommuner\">");
	for (size_t i = 0; i < n; i++) {
		ib_buf_adds(&c->r->body, "<option value=\"");
		web_html(&c->r->body, m[i].name);
		ib_buf_adds(&c->r->body, "\">");
	}
	ib_buf_adds(&c->r->body, "</datalist>\n");
}

static void nav_link(web_ctx *c, const char *path, const char *label, const char *id,
		     const char *active)
{
	ib_buf *b = &c->r->body;
	ib_buf_adds(b, "<a href=\"");
	web_href(b, c, path, NULL, NULL);
	ib_buf_addf(b, "\"%s>", active && !strcmp(id, active) ? " class=\"on\"" : "");
	web_html(b, label);
	ib_buf_adds(b, "</a>");
}

void web_page_head(web_ctx *c, const char *title, const char *active)
{
	ib_buf *b = &c->r->body;
	ib_buf_reset(b);
	c->r->content_type = "text/html; charset=utf-8";
	ib_buf_adds(b, "<!DOCTYPE html>\n<html lang=\"da\">\n<head>\n<meta charset=\"utf-8\">\n"
		       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		       "<title>");
	web_html(b, title);
	ib_buf_adds(b, " – ideabank</title>\n<link rel=\"stylesheet\" href=\"/style.css\">\n"
		       "<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">\n"
		       "</head>\n<body>\n<a class=\"skip\" href=\"#indhold\">Spring til "
		       "indholdet</a>\n<header>\n<h1><a href=\"");
	web_href(b, c, "/", NULL, NULL);
	ib_buf_adds(b, "\">ideabank</a></h1>\n<nav>");
	nav_link(c, "/", "Søg i forslag", "soeg", active);
	char label[64];
	snprintf(label, sizeof label, "Valgte forslag (%zu)", c->n_basket);
	nav_link(c, "/kurv", label, "kurv", active);
	nav_link(c, "/sammenlign", "Sammenlign udgifter", "sammenlign", active);
	ib_buf_adds(b, "</nav>\n<form class=\"mine\" method=\"get\" action=\"");
	web_html(b, c->rq->path);
	ib_buf_adds(b, "\">\n");
	for (size_t i = 0; i < c->rq->n_args; i++) {
		const web_arg *a = &c->rq->args[i];
		if (!strcmp(a->key, "for") || !strcmp(a->key, "side") || !*a->value ||
		    web_param(c, a->key) != a->value)
			continue;
		ib_buf_adds(b, "<input type=\"hidden\" name=\"");
		web_html(b, a->key);
		ib_buf_adds(b, "\" value=\"");
		web_html(b, a->value);
		ib_buf_adds(b, "\">");
	}
	ib_buf_adds(b, "<label for=\"mine\">Min kommune</label><input id=\"mine\" name=\"for\" "
		       "size=\"12\" list=\"kommuner\" autocomplete=\"off\" value=\"");
	web_html(b, web_param0(c, "for"));
	ib_buf_adds(b, "\"><button>Brug</button>");
	if (c->has_pj) {
		ib_buf_adds(b, "<span class=\"mine-now\">");
		web_num(b, (double)c->pj.inhabitants, 0);
		ib_buf_addf(b, " indbyggere (%d) · <a class=\"mine-room\" href=\"", c->pj.year);
		web_href(b, c, "/raaderum", NULL, "kommune", c->pj.m.name, NULL);
		ib_buf_adds(b, "\">råderum</a> · <a href=\"");
		web_href(b, c, c->rq->path, (const char *const[]){"*", NULL}, "for", "", NULL);
		ib_buf_adds(b, "\">fjern</a></span>");
	}
	ib_buf_adds(b, "\n</form>\n</header>\n");
	web_municipality_datalist(c);
	ib_buf_adds(b, "<main id=\"indhold\">\n");
	if (*c->for_msg)
		web_page_error_suggest(c, c->for_msg, "for", c->for_suggest);
	if (*c->basket_msg)
		web_page_error(c, c->basket_msg);
}

void web_page_foot(web_ctx *c)
{
	ib_buf_adds(&c->r->body,
		    "</main>\n<footer>Befolkningstal og kommunale regnskaber: Danmarks Statistik "
		    "(FOLK1A, FOLK1AM, REGK31). Forslag: kommunernes offentliggjorte "
		    "budgetforslag; kilden står ved hvert forslag. "
		    "<a href=\"/api/search?q=\">JSON-API</a></footer>\n</body>\n</html>\n");
}

void web_page_error(web_ctx *c, const char *msg)
{
	ib_buf_adds(&c->r->body, "<p class=\"err\" role=\"alert\">");
	web_html(&c->r->body, msg);
	ib_buf_adds(&c->r->body, "</p>\n");
}

void web_page_error_suggest(web_ctx *c, const char *msg, const char *key, const char *value)
{
	const char *at = value && *value ? strstr(msg, " Mente du ") : NULL;
	if (!at) {
		web_page_error(c, msg);
		return;
	}
	ib_buf *b = &c->r->body;
	char *head = strndup(msg, (size_t)(at - msg));
	ib_buf_adds(b, "<p class=\"err\" role=\"alert\">");
	web_html(b, head ? head : "");
	free(head);
	/* the name suggested is the rest of the message up to its "?" */
	const char *name = at + strlen(" Mente du ");
	size_t nl = strcspn(name, "?");
	char *shown = strndup(name, nl);
	ib_buf_adds(b, " Mente du <a href=\"");
	web_href(b, c, c->rq->path, (const char *const[]){"*", NULL}, key, value, NULL);
	ib_buf_adds(b, "\">");
	web_html(b, shown ? shown : value);
	free(shown);
	ib_buf_adds(b, "</a>");
	web_html(b, name + nl);
	ib_buf_adds(b, "</p>\n");
}

void web_error_page(web_ctx *c, int status, const char *msg)
{
	c->r->status = status;
	web_page_head(c, "Fejl", NULL);
	web_page_error(c, msg);
	ib_buf_adds(&c->r->body,
		    "<form class=\"f\" action=\"/\" method=\"get\" role=\"search\"><label "
		    "class=\"wide\">Søg i forslag<input name=\"q\" type=\"search\" "
		    "placeholder=\"fx hjemmepleje\"></label><button>Søg</button></form>\n");
	web_page_foot(c);
}

void web_json(web_ctx *c, cJSON *o)
{
	char *z = o ? cJSON_Print(o) : NULL;
	cJSON_Delete(o);
	ib_buf_reset(&c->r->body);
	c->r->content_type = "application/json; charset=utf-8";
	if (!z) {
		c->r->status = 500;
		ib_buf_adds(&c->r->body, "{\"error\": \"out of memory\", \"status\": 500}\n");
		return;
	}
	ib_buf_adds(&c->r->body, z);
	ib_buf_addc(&c->r->body, '\n');
	cJSON_free(z);
}

void web_api_error(web_ctx *c, int status, const char *da, const char *en)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "error", c->english ? en : da);
	cJSON_AddNumberToObject(o, "status", status);
	c->r->status = status;
	web_json(c, o);
}

void web_cols_head(ib_buf *b, const cli_col *cols, const char *view, const cli_cols_ctx *x)
{
	char t[160];
	int w;
	for (const cli_col *c; (c = cli_view_next(cols, &view, x, &w)) != NULL;) {
		ib_buf_adds(b, c->flags & COL_RIGHT ? "<th class=\"n\">" : "<th>");
		web_html(b, cli_col_text(cli_col_label(c), x, t, sizeof t));
		if (c->note) {
			ib_buf_adds(b, "<small>");
			web_html(b, cli_col_text(c->note, x, t, sizeof t));
			ib_buf_adds(b, "</small>");
		}
		ib_buf_adds(b, "</th>");
	}
}

void web_col_value(ib_buf *b, const cli_col *c, const cli_val *v)
{
	if (!v->num) {
		web_html(b, v->z ? v->z : "ukendt");
		return;
	}
	if (c->flags & COL_SIGNED)
		web_signed(b, v->x, v->decimals);
	else
		web_num(b, v->x, v->decimals);
	if (v->z)
		web_html(b, v->z); /* what the number is: " (eget)" */
}

void web_cols_cells(ib_buf *b, const cli_col *cols, const char *view, const void *rec,
		    const cli_cols_ctx *x)
{
	char t[160];
	int w;
	cli_val v;
	for (const cli_col *c; (c = cli_view_next(cols, &view, x, &w)) != NULL;) {
		cli_col_get(c, rec, x, CLI_HTML, &v);
		const char *align = c->flags & COL_RIGHT ? "n" : c->flags & COL_TITLE ? "t" : "";
		ib_buf_adds(b, "<td");
		if (*align || v.cls)
			ib_buf_addf(b, " class=\"%s%s%s\"", align, *align && v.cls ? " " : "",
				    v.cls ? v.cls : "");
		ib_buf_adds(b, " data-l=\"");
		web_html(b, cli_col_text(cli_col_cell(c), x, t, sizeof t));
		ib_buf_adds(b, "\">");
		web_col_value(b, c, &v);
		ib_buf_adds(b, "</td>");
	}
}

void web_csv(web_ctx *c, void (*write)(FILE *f, const void *arg), const void *arg,
	     const char *filename)
{
	char *z = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&z, &n);
	if (!f) {
		web_error_page(c, 500, "Der er ikke hukommelse nok; prøv igen.");
		return;
	}
	write(f, arg);
	fclose(f);
	ib_buf_reset(&c->r->body);
	ib_buf_add(&c->r->body, z, n);
	free(z);
	c->r->content_type = "text/csv; charset=utf-8";
	c->r->filename = filename;
}

void web_line_row(web_ctx *c, const cli_line *l, const cli_cols_ctx *x, const char *const *keep)
{
	ib_buf *b = &c->r->body;
	const ib_hit *h = l->h;
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)h->id);
	ib_buf_addf(b, "<tr id=\"f%s\"><td class=\"t\"><a id=\"t%s\" href=\"", id, id);
	web_href(b, c, "/forslag", NULL, "id", id, NULL);
	ib_buf_adds(b, "\">");
	web_html(b, h->title);
	ib_buf_adds(b, "</a><br><span class=\"note\">");
	web_html(b, h->kommune);
	ib_buf_addf(b, " · %d", h->budget_year);
	const char *what[] = {h->area, h->kind};
	for (size_t i = 0; i < 2; i++)
		if (what[i]) {
			ib_buf_adds(b, " · ");
			web_html(b, what[i]);
		}
	if (l->alternative_of)
		ib_buf_addf(b, " · alternativ til %lld, tæller ikke med i summen",
			    (long long)l->alternative_of);
	ib_buf_adds(b, "</span>");
	if (h->snippet) {
		ib_buf_adds(b, "<br><span class=\"snip\">");
		web_snippet_html(b, h->snippet);
		ib_buf_adds(b, "</span>");
	}
	ib_buf_adds(b, "</td>");
	web_cols_cells(b, cli_line_cols, cli_line_html_view, l, x);
	ib_buf_adds(b, "<td data-l=\"\">");
	web_basket_toggle(b, c, h->id, keep);
	ib_buf_adds(b, "</td></tr>\n");
}

void web_state_inputs(web_ctx *c)
{
	static const char *const state[] = {"for", "kurv"};
	for (size_t i = 0; i < 2; i++) {
		if (!*web_param0(c, state[i]))
			continue;
		ib_buf_addf(&c->r->body, "<input type=\"hidden\" name=\"%s\" value=\"", state[i]);
		web_html(&c->r->body, web_param0(c, state[i]));
		ib_buf_adds(&c->r->body, "\">");
	}
}

void web_pj_basis(ib_buf *b, const web_ctx *c)
{
	web_num(b, (double)c->pj.inhabitants, 0);
	ib_buf_adds(b, " indbyggere, ");
	web_html(b, c->pj.m.name);
	ib_buf_addf(b, "s seneste folketal (%d; ", c->pj.year);
	web_html(b, c->pj.source);
	ib_buf_adds(b, "), som hvis forslaget blev gennemført nu");
}

void web_comparison_form(web_ctx *c, const char *action, const char *name)
{
	ib_buf *b = &c->r->body;
	/* "peers": the style sheet shows the chosen method's field only */
	ib_buf_adds(b, "<form class=\"f peers\" action=\"");
	web_html(b, action);
	ib_buf_adds(b, "\" method=\"get\" aria-label=\"");
	web_html(b, name);
	ib_buf_adds(b, "\">\n<label>Kommune<input name=\"kommune\" list=\"kommuner\" required "
		       "value=\"");
	const char *k = web_param0(c, "kommune");
	web_html(b, *k ? k : (c->has_pj ? c->pj.m.name : ""));
	ib_buf_adds(b, "\"></label>\n");
}
