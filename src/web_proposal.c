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

/* Where an agenda item can be read: the agenda portal's page of its meeting.  The
 * portals the agenda source reads (FirstAgenda's publication API, README "Committee
 * agendas") show a meeting at {site}/vis?id={meeting id}. */
static const char portal_meeting_path[] = "/vis?id=";

static int is_http(const char *z)
{
	return z && (!strncmp(z, "https://", 8) || !strncmp(z, "http://", 7));
}

/* The scheme and host of an http(s) URL into out: "https://dagsordener.greve.dk". */
static void url_site(const char *url, char *out, size_t n)
{
	const char *host = strstr(url, "://") + 3;
	size_t len = (size_t)(host - url) + strcspn(host, "/?#");
	snprintf(out, n, "%.*s", (int)len, url);
}

/* The site of the agenda source the built-in sources config has for a municipality
 * ("site", else the agenda API's scheme and host); "" when it has none. */
static void config_site(int kommunekode, char *out, size_t n)
{
	extern const char ib_sources_json[];
	out[0] = '\0';
	cJSON *root = cJSON_Parse(ib_sources_json);
	const cJSON *src;
	cJSON_ArrayForEach(src, cJSON_GetObjectItemCaseSensitive(root, "sources"))
	{
		const cJSON *agenda = cJSON_GetObjectItemCaseSensitive(src, "agenda");
		const cJSON *code = cJSON_GetObjectItemCaseSensitive(src, "kommunekode");
		const cJSON *site = cJSON_GetObjectItemCaseSensitive(src, "site");
		if (!cJSON_IsString(agenda) || !cJSON_IsString(code) ||
		    atoi(code->valuestring) != kommunekode)
			continue;
		if (cJSON_IsString(site) && is_http(site->valuestring))
			snprintf(out, n, "%s", site->valuestring);
		else if (is_http(agenda->valuestring))
			url_site(agenda->valuestring, out, n);
		break;
	}
	cJSON_Delete(root);
}

typedef struct meeting_find {
	const char *item_url;
	char meeting_id[128];
} meeting_find;

static int find_meeting(void *ctx, const ib_agenda_stored_item *it)
{
	meeting_find *f = ctx;
	if (!it->url || strcmp(it->url, f->item_url) != 0)
		return 0;
	snprintf(f->meeting_id, sizeof f->meeting_id, "%s", it->meeting_id);
	return 1;
}

/* The portal address of an agenda item of p: item_url itself when it is the item's page
 * on the portal; else (item_url as stored before: the meeting's URL or file name,
 * "#punkt-N") the meeting's page, its id from the stored agenda, the site from the
 * meeting's URL or else from the municipality's agenda source.  0 and out filled, or
 * -1 when either is unknown. */
static int agenda_portal(web_ctx *c, const ib_proposal *p, const char *item_url, char *out,
			 size_t n)
{
	if (is_http(item_url) && strstr(item_url, portal_meeting_path)) {
		/* already the item's page on the portal (ib_portal_item_url) */
		snprintf(out, n, "%s", item_url);
		return 0;
	}
	meeting_find f = {item_url, ""};
	if (p->case_key)
		ib_store_agenda_case(c->s, p->kommunekode, p->case_key, find_meeting, &f, NULL);
	char site[512] = "";
	size_t mlen = strcspn(item_url, "#");
	if (is_http(item_url)) {
		url_site(item_url, site, sizeof site);
		if (!*f.meeting_id) { /* the meeting URL's last part: .../dagsorden/{id} */
			const char *slash = item_url + mlen;
			while (slash > item_url && slash[-1] != '/')
				slash--;
			snprintf(f.meeting_id, sizeof f.meeting_id, "%.*s",
				 (int)(item_url + mlen - slash), slash);
		}
	} else {
		config_site(p->kommunekode, site, sizeof site);
	}
	if (!*site || !*f.meeting_id)
		return -1;
	ib_buf u;
	ib_buf_init(&u, 0);
	ib_buf_adds(&u, site);
	ib_buf_adds(&u, portal_meeting_path);
	web_url_esc(&u, f.meeting_id);
	snprintf(out, n, "%s", ib_buf_str(&u));
	ib_buf_free(&u);
	return 0;
}

/* The item number of an agenda item address ("…#punkt-23" -> "23"), NULL when none. */
static const char *item_number(const char *item_url)
{
	const char *h = item_url ? strstr(item_url, "#punkt-") : NULL;
	return h ? h + 7 : NULL;
}

static void link_open(ib_buf *b, const char *url)
{
	ib_buf_adds(b, "<a rel=\"noopener noreferrer\" href=\"");
	web_html(b, url);
	ib_buf_adds(b, "\">");
}

/* The source as a link: a document by its title (data/documents.csv) and address,
 * with #page=N for a document with pages; a web address as it is; an agenda item on
 * its portal.  Without an address it says so.  page: the proposal's page, 0 none. */
static void source(web_ctx *c, const ib_proposal *p, const char *z, int page)
{
	ib_buf *b = &c->r->body;
	if (!z || !*z) {
		ib_buf_adds(b, "ukendt");
		return;
	}
	const ib_document_info *doc = ib_document_lookup(z);
	const char *url = doc && *doc->url ? doc->url : is_http(z) ? z : NULL;
	const char *item = item_number(z);
	char portal[1024];
	const ib_appearance *a = NULL;
	for (size_t i = 0; i < p->n_appearances; i++)
		if (p->appearances[i].url && !strcmp(p->appearances[i].url, z))
			a = &p->appearances[i];
	if (a && a->item)
		item = a->item;
	if (item && !doc) {
		/* an agenda item: the appearance it is, on the portal */
		int linked = agenda_portal(c, p, z, portal, sizeof portal) == 0;
		if (linked)
			link_open(b, portal);
		ib_buf_adds(b, "Dagsorden");
		if (a && a->committee) {
			ib_buf_adds(b, ", ");
			web_html(b, a->committee);
		}
		if (a && a->date) {
			ib_buf_adds(b, ", ");
			web_html(b, a->date);
		}
		ib_buf_adds(b, ", punkt ");
		web_html(b, item);
		if (linked)
			ib_buf_adds(b, "</a>");
		else
			ib_buf_adds(b, ". Dagsordenens webadresse kendes ikke.");
		return;
	}
	if (url) {
		ib_buf_adds(b, "<a rel=\"noopener noreferrer\" href=\"");
		web_html(b, url);
		if (page && !strchr(url, '#'))
			ib_buf_addf(b, "#page=%d", page); /* PDF viewers open that page */
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
	if (!url)
		ib_buf_adds(b, ". Dokumentet har ingen kendt webadresse.");
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

/* Effect per inhabitant and, with "Min kommune", the projection there (never onto the
 * proposal's own municipality). */
static void per_inhabitant(web_ctx *c, const ib_proposal *p, const char *own_name)
{
	ib_buf *b = &c->r->body;
	long pop;
	int year_used;
	char *src = NULL;
	ib_error err = {0};
	ib_buf_adds(b, "<dt>Effekt pr. indbygger</dt><dd id=\"pr-indbygger\">");
	if (ib_store_population(c->s, p->kommunekode, p->budget_year, &pop, &year_used, &src,
				&err) != IB_OK ||
	    pop <= 0) {
		ib_buf_adds(b, "ukendt (intet folketal)</dd>\n");
		free(src);
		return;
	}
	double per = p->effect_kr / (double)pop;
	web_signed(b, per, 2);
	ib_buf_adds(b, " kr. om året: effekten delt med ");
	web_num(b, (double)pop, 0);
	ib_buf_adds(b, " indbyggere i ");
	web_html(b, own_name);
	if (year_used == p->budget_year)
		ib_buf_addf(b, " i budgetåret %d", year_used);
	else
		ib_buf_addf(b, " i %d, det nærmeste år med tal før budgetåret %d", year_used,
			    p->budget_year);
	ib_buf_adds(b, " (");
	web_html(b, src);
	ib_buf_adds(b, ")</dd>\n");
	free(src);
	if (!c->has_pj)
		return;
	ib_buf_adds(b, "<dt>I ");
	web_html(b, c->pj.m.name);
	ib_buf_adds(b, "</dt><dd id=\"min-kommune\">");
	if (c->pj.m.code == p->kommunekode) {
		ib_buf_adds(b, "Det er ");
		web_html(b, c->pj.m.name);
		ib_buf_adds(b, "s eget forslag: effekten ovenfor gælder kommunen selv og omregnes "
			       "ikke.</dd>\n");
		return;
	}
	web_signed(b, per * (double)c->pj.inhabitants, 0);
	ib_buf_adds(b, " kr. om året: ");
	web_num(b, per, 2);
	ib_buf_adds(b, " kr. pr. indbygger × ");
	web_pj_basis(b, c);
	ib_buf_adds(b, "</dd>\n");
}

/* The yearly table as the document prints it, its caption saying so. */
static void years_table(ib_buf *b, const ib_proposal *p)
{
	ib_buf_adds(
	    b, "<h3 id=\"aar-for-aar\">Økonomi år for år</h3>\n<div class=\"wrap\" role=\"region\" "
	       "aria-labelledby=\"aar-for-aar\" tabindex=\"0\"><table>\n<caption>Som "
	       "dokumentet trykker tallene: 1.000 kr. pr. år, minus = besparelse — det "
	       "modsatte fortegn af Effekt ovenfor.</caption>\n<thead><tr><th "
	       "scope=\"col\">1.000 kr.</th>");
	/* turned: the years across, a line per column with figures */
	cli_cols_ctx x = {0};
	cli_val v;
	for (const cli_col *c = cli_year_cols; c->key; c++) {
		if (!strcmp(c->key, "aar")) {
			for (size_t i = 0; i < p->n_years; i++)
				ib_buf_addf(b, "<th class=\"n\" scope=\"col\">%d</th>",
					    p->years[i].year);
			ib_buf_adds(b, "</tr></thead>\n<tbody>\n");
			continue;
		}
		if (!c->head || !cli_year_col_any(p, c))
			continue;
		ib_buf_adds(b, "<tr><th scope=\"row\">");
		web_html(b, cli_col_label(c));
		ib_buf_adds(b, "</th>");
		for (size_t i = 0; i < p->n_years; i++) {
			cli_year y = {p, i};
			cli_col_get(c, &y, &x, CLI_HTML, &v);
			ib_buf_adds(b, "<td class=\"n\">");
			web_col_value(b, c, &v);
			ib_buf_adds(b, "</td>");
		}
		ib_buf_adds(b, "</tr>\n");
	}
	ib_buf_adds(b, "</tbody></table></div>\n");
}

/* Hashes, file names, line numbers and check codes: for whoever traces a figure back,
 * not for the main view. */
static void details(ib_buf *b, const ib_proposal *p)
{
	ib_buf_adds(b, "<details class=\"detaljer\"><summary>Detaljer</summary>\n<dl>\n");
	if (p->source && *p->source)
		dl(b, "Kildefil", ib_base_name(p->source));
	if (cli_year_sources(p)) {
		cli_cols_ctx x = {0};
		cli_val v;
		const cli_col *c = cli_col_find(cli_year_cols, "kilde");
		dl_start(b, cli_year_pages(p) ? "Tallene læst fra (side:linje)"
					      : "Tallene læst fra linje");
		for (size_t i = 0; i < p->n_years; i++) {
			cli_year y = {p, i};
			cli_col_get(c, &y, &x, CLI_HTML, &v);
			ib_buf_addf(b, "%s%d: ", i ? ", " : "", p->years[i].year);
			web_html(b, v.z);
		}
		ib_buf_adds(b, "</dd>\n");
	}
	if (p->followup && p->followup->source) {
		dl_start(b, "Opfølgningens fil");
		web_html(b, ib_base_name(p->followup->source));
		if (p->followup->page)
			ib_buf_addf(b, ", side %d", p->followup->page);
		ib_buf_adds(b, "</dd>\n");
	}
	for (size_t i = 0; i < p->n_appearances; i++) {
		const ib_appearance *a = &p->appearances[i];
		if (!a->url || !*a->url)
			continue;
		char label[96];
		snprintf(label, sizeof label, "Dagsorden %s", a->date ? a->date : "");
		dl(b, label, ib_base_name(a->url));
	}
	if (p->n_flags) {
		dl_start(b, "Kontrolkoder");
		for (size_t i = 0; i < p->n_flags; i++) {
			if (i)
				ib_buf_adds(b, ", ");
			web_html(b, p->flags[i].code);
		}
		ib_buf_adds(b, "</dd>\n");
	}
	dl(b, "Indholds-hash", p->content_hash);
	ib_buf_adds(b, "</dl>\n</details>\n");
}

static void page(web_ctx *c, const ib_proposal *p)
{
	ib_buf *b = &c->r->body;
	char line[512], x[64];
	ib_error err = {0};
	web_page_head(c, p->title, NULL);
	ib_buf_addf(b, "<h2 id=\"t%lld\">", (long long)p->id);
	web_html(b, p->title);
	ib_buf_adds(b, "</h2>\n<p>");
	web_basket_toggle(b, c, p->id, (const char *const[]){"id", NULL});
	ib_buf_adds(b, "</p>\n<dl>\n");
	ib_municipality m;
	snprintf(x, sizeof x, "%03d", p->kommunekode);
	const char *own_name = x;
	if (ib_store_find_municipality(c->s, x, &m, &err) == IB_OK) {
		snprintf(line, sizeof line, "%s (%03d), %s, %s", m.name, m.code, m.region,
			 m.group_name);
		own_name = m.name;
	} else {
		snprintf(line, sizeof line, "%03d", p->kommunekode);
	}
	dl(b, "Kommune", line);
	snprintf(line, sizeof line, "%d", p->budget_year);
	dl(b, "Budgetår", line);
	ib_buf_adds(b, "<dt>Effekt</dt><dd id=\"effekt\">");
	if (ib_is_na(p->effect_kr)) {
		ib_buf_adds(b, "ukendt");
	} else {
		web_signed(b, p->effect_kr, 0);
		ib_buf_adds(b, " kr. om året ved fuld indfasning");
		if (p->full_year)
			ib_buf_addf(b, " (%d)", p->full_year);
		ib_buf_addf(b, ", i budgetårets priser (%d); + = besparelse, − = merudgift",
			    p->budget_year);
	}
	ib_buf_adds(b, "</dd>\n");
	if (!ib_is_na(p->effect_kr))
		per_inhabitant(c, p, own_name);
	if (!ib_is_na(p->impl_cost_kr))
		dl_kr(b, "Implementeringsudgift", p->impl_cost_kr, " kr.");
	snprintf(line, sizeof line, "%d", p->full_year);
	dl(b, "Fuldt indfaset", p->full_year ? line : NULL);
	ib_buf_adds(b, "<dt>Kilde</dt><dd id=\"kilde\">");
	source(c, p, p->source, p->page);
	ib_buf_adds(b, "</dd>\n");
	dl(b, "Vedtaget", tri_da(p->adopted));
	dl(b, "Fagområde", p->area);
	dl(b, "Type", p->kind);
	dl(b, "Udvalg/forvaltning", p->committee);
	dl(b, "Reference", p->ref);
	if (p->case_key) {
		dl_start(b, "Sag");
		web_html(b, p->case_key);
		if (p->variant) {
			ib_buf_adds(b, ", ");
			web_html(b, p->variant);
		}
		ib_buf_adds(b, "</dd>\n");
	}
	ib_buf_adds(b, "</dl>\n");
	if (p->n_appearances) {
		/* the case's way through the committees: what "Vedtaget" is read from */
		ib_buf_adds(b, "<h3>Behandlet</h3>\n<ul class=\"behandlet\">\n");
		for (size_t i = 0; i < p->n_appearances; i++) {
			const ib_appearance *a = &p->appearances[i];
			char portal[1024];
			int linked = a->url && *a->url &&
				     agenda_portal(c, p, a->url, portal, sizeof portal) == 0;
			ib_buf_adds(b, "<li>");
			web_html(b, a->date ? a->date : "");
			ib_buf_adds(b, " ");
			web_html(b, a->committee ? a->committee : "");
			ib_buf_adds(b, ", ");
			if (linked)
				link_open(b, portal);
			ib_buf_adds(b, "punkt ");
			web_html(b, a->item ? a->item : "");
			if (linked)
				ib_buf_adds(b, "</a>");
			ib_buf_adds(b, ": ");
			web_html(b, a->decision ? a->decision : "(ingen beslutning endnu)");
			ib_buf_adds(b, "</li>\n");
		}
		ib_buf_adds(b, "</ul>\n");
	}
	if (p->summary && *p->summary) {
		ib_buf_adds(b, "<h3>Resumé</h3>\n<p class=\"pre\">");
		web_html(b, p->summary);
		ib_buf_adds(b, "</p>\n");
	}
	if (p->n_years)
		years_table(b, p);
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
			ib_buf_adds(b, "</li>\n");
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
			dl_kr(b, "Effekt, fuld indfasning", f->effect_full_kr,
			      " kr. om året, som statusrapporten trykker det (minus = besparelse)");
		dl(b, "Fuld implementering", f->full_implementation);
		dl(b, "Kompenserende handling", tri_da(f->compensating));
		dl(b, "Status", f->status);
		dl(b, "Bemærkning", f->remark);
		if (f->source) {
			dl_start(b, "Kilde");
			source(c, p, f->source, f->page);
			ib_buf_adds(b, "</dd>\n");
		}
		ib_buf_adds(b, "</dl>\n");
	}
	if (p->text && *p->text) {
		ib_buf_adds(b,
			    "<h3>Tekst</h3>\n<details class=\"tekst\"><summary>Forslagets tekst, "
			    "som kilden har den</summary>\n<p class=\"pre\">");
		web_html(b, p->text);
		ib_buf_adds(b, "</p>\n</details>\n");
	}
	details(b, p);
	char q[600];
	similar_query(p->title, q, sizeof q);
	if (*q) {
		ib_buf_adds(b, "<p><a href=\"");
		web_href(b, c, "/", NULL, "q", q, NULL);
		ib_buf_adds(b, "\">Søg efter lignende forslag</a></p>\n");
	}
	web_page_foot(c);
}

void web_proposal(web_ctx *c, int format)
{
	const char *idz = c->rest;
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
		if (ib_proposal_write_jsonl(&c->r->body, p, 1) != IB_OK)
			web_api_error(c, 500, "Forslaget kunne ikke skrives.",
				      "cannot write the proposal");
	} else {
		page(c, p);
	}
	ib_proposal_free(p);
}
