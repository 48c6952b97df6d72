/* web_search.c - the search page (/), its CSV download (/resultater.csv) and
 * /api/search: filters, facet counts that narrow the search, sorting, paging, the
 * projection onto "Min kommune" and the basket links. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web_int.h"

#define PER_PAGE 50

/* The search arguments a link on the page carries on. */
static const char *const search_keys[] = {"q",	  "omraade",  "aar",  "kommune", "region",
					  "type", "vedtaget", "sort", "side",	 NULL};

typedef struct search_req {
	const char *q;
	ib_search_opts o;
	int projected;
	int page; /* 1-based */
	char da[700], en[700];
	char suggest[64]; /* kommune=: the name da suggests ("Mente du X?"), "" */
	int status;	  /* 0, or 400 with da/en saying why */
	ib_result *res;	  /* every match counted (total, facets, effect sum); the page's hits */
} search_req;

static int bad(search_req *sr, const char *da, const char *en)
{
	snprintf(sr->da, sizeof sr->da, "%s", da);
	snprintf(sr->en, sizeof sr->en, "%s", en);
	sr->status = 400;
	return -1;
}

/* bad() with the value v put into the Danish and English formats (each one %s). */
static int bad_value(search_req *sr, const char *da, const char *en, const char *v)
{
	snprintf(sr->da, sizeof sr->da, da, v);
	snprintf(sr->en, sizeof sr->en, en, v);
	sr->status = 400;
	return -1;
}

/* A field of blanks is an empty field: "" for it, else v. */
static const char *filled(const char *v)
{
	return v[strspn(v, " \t")] ? v : "";
}

/* folketal= and effekt= into o (cli_population_filter, cli_effect_filter). */
static int parse_ranges(web_ctx *c, search_req *sr)
{
	static const struct {
		const char *key;
		int (*filter)(const char *z, ib_search_opts *o);
		const char *da, *en;
	} ranges[] = {
	    {"folketal", cli_population_filter,
	     "Folketal skal være et antal indbyggere eller et interval som 20.000-60.000, "
	     "20.000.. (mindst) eller ..60.000 (højst).",
	     "folketal: expected a number or range of inhabitants like 20.000-60.000, 20000.. "
	     "or ..60000"},
	    {"effekt", cli_effect_filter,
	     "Effekt skal være kr. om året: et beløb eller et interval som 100.000-1.000.000, "
	     "1.000.000.. (mindst) eller ..500.000 (højst).",
	     "effekt: expected an amount or range in kr. like 100.000-1.000.000, 1.000.000.. "
	     "or ..500000"},
	};
	for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
		const char *v = filled(web_param0(c, ranges[i].key));
		if (*v && ranges[i].filter(v, &sr->o))
			return bad(sr, ranges[i].da, ranges[i].en);
	}
	return 0;
}

/* Read and check the arguments; 0 when the search can run. */
static int parse(web_ctx *c, search_req *sr)
{
	char da[700], en[700];
	memset(sr, 0, sizeof *sr);
	sr->page = 1;
	sr->q = web_param0(c, "q");
	size_t ql = strlen(sr->q);
	if (ql > WEB_QUERY_MAX) {
		snprintf(da, sizeof da,
			 "Søgeteksten er for lang: %zu byte; højst %d. Brug færre ord.", ql,
			 WEB_QUERY_MAX);
		snprintf(en, sizeof en, "query too long (%zu bytes, at most %d)", ql,
			 WEB_QUERY_MAX);
		return bad(sr, da, en);
	}
	/* a query of blanks is no query */
	sr->o.query = sr->q[strspn(sr->q, " \t\r\n")] ? sr->q : NULL;
	const char *v = web_param0(c, "omraade");
	if (*v && !(sr->o.area = ib_area_canonical(v))) {
		return bad_value(sr, "Ukendt fagområde »%.200s«.", "unknown area '%.200s'", v);
	}
	v = filled(web_param0(c, "aar"));
	if (*v && ib_years_parse(v, &sr->o.year_from, &sr->o.year_to)) {
		return bad_value(
		    sr,
		    "Budgetår skal være et år eller et interval som 2021-2024, "
		    "2021..2024 eller 2021.. (fra 2021), ikke »%.100s«.",
		    "aar: expected a year or a range like 2021-2024 or 2021..2024, got "
		    "'%.100s'",
		    v);
	}
	v = web_param0(c, "kommune");
	ib_municipality m;
	if (*v) {
		if (!web_find_municipality_ex(c, v, &m, da, en, sizeof da, sr->suggest,
					      sizeof sr->suggest))
			return bad(sr, da, en);
		sr->o.kommunekode = m.code;
	}
	v = web_param0(c, "region");
	if (*v) {
		size_t n;
		const ib_municipality *all = web_municipalities(c, &n);
		int known = 0;
		for (size_t i = 0; i < n && !known; i++)
			known = ib_region_matches(all[i].region, v);
		if (!known)
			return bad_value(sr,
					 "Ukendt region »%.100s«; regionerne er Hovedstaden, "
					 "Sjælland, Syddanmark, Midtjylland og Nordjylland.",
					 "unknown region '%.100s'", v);
		sr->o.region = v;
	}
	v = web_param0(c, "type");
	if (*v && !(sr->o.kind = ib_kind_canonical(v))) {
		return bad_value(sr,
				 "Ukendt type »%.100s«; typerne er effektivisering, investering, "
				 "servicereduktion, innovation og andet.",
				 "unknown kind '%.100s'", v);
	}
	if (parse_ranges(c, sr))
		return -1;
	v = web_param0(c, "vedtaget");
	if (!strcmp(v, "ja"))
		sr->o.adopted_is = IB_ADOPTED_IS_YES;
	else if (!strcmp(v, "nej"))
		sr->o.adopted_is = IB_ADOPTED_IS_NO;
	else if (!strcmp(v, "ukendt"))
		sr->o.adopted_is = IB_ADOPTED_IS_UNKNOWN;
	else if (*v)
		return bad(sr, "Vedtaget skal være ja, nej eller ukendt.",
			   "vedtaget: expected ja, nej or ukendt");
	v = web_param0(c, "sort");
	if (!*v)
		sr->o.sort = IB_SORT_DEFAULT;
	else if (!strcmp(v, "relevance"))
		sr->o.sort = IB_SORT_RELEVANCE;
	else if (!strcmp(v, "effect"))
		sr->o.sort = IB_SORT_EFFECT;
	else if (!strcmp(v, "per-inhabitant"))
		sr->o.sort = IB_SORT_PER_INHABITANT;
	else if (!strcmp(v, "score"))
		sr->o.sort = IB_SORT_SCORE;
	else if (!strcmp(v, "projected"))
		sr->o.sort = IB_SORT_PER_INHABITANT, sr->projected = 1;
	else
		return bad(sr,
			   "Ukendt sortering; vælg relevans, effekt, effekt pr. indbygger, score "
			   "eller projiceret.",
			   "sort: expected relevance, effect, per-inhabitant, score or projected");
	if (sr->projected && !c->has_pj)
		return bad(sr, "Sortering efter projiceret effekt kræver Min kommune.",
			   "sort=projected needs for=KOMMUNE");
	v = web_param0(c, "side");
	if (*v) {
		char *end;
		long p = strtol(v, &end, 10);
		if (*end || p < 1 || p > 100000)
			return bad(sr, "Side skal være et positivt tal.",
				   "side: expected a positive number");
		sr->page = (int)p;
	}
	return 0;
}

/* Run the search: every match is counted (total, facets, effect sum), the hits of the
 * page shown are read (with their snippets); all = every hit, without snippets (CSV). */
static int run(web_ctx *c, search_req *sr, int all)
{
	ib_error err = {0};
	sr->o.limit = all ? 0 : PER_PAGE;
	sr->o.offset = all ? 0 : (sr->page - 1) * PER_PAGE;
	sr->o.no_snippets = all;
	int rc = ib_search(c->s, &sr->o, &sr->res, &err);
	if (rc) {
		/* a query over its cost budget (IB_ECOST) is the client's to change: 400 */
		sr->status = rc == IB_EDB || rc == IB_ENOMEM || rc == IB_EIO ? 500 : 400;
		snprintf(sr->en, sizeof sr->en, "%s", err.msg);
		if (rc == IB_EARG && err.detail == IB_Q_ONLY_EXCLUDED)
			snprintf(sr->da, sizeof sr->da,
				 "Søgningen har kun udelukkede ord (-ord); tilføj et ord at søge "
				 "efter.");
		else if (rc == IB_EARG && err.detail == IB_Q_TOO_MANY_WORDS)
			snprintf(sr->da, sizeof sr->da,
				 "Søgningen har for mange forskellige ord; brug højst 32.");
		else if (rc == IB_EARG && err.detail == IB_Q_TOO_LONG)
			snprintf(sr->da, sizeof sr->da,
				 "Søgningen er for lang; brug højst 1.000 tegn.");
		else if (rc == IB_EARG && err.detail == IB_Q_NOT_UTF8)
			snprintf(sr->da, sizeof sr->da,
				 "Søgningen indeholder tegn, der ikke kan læses (ikke UTF-8).");
		else if (sr->status == 400)
			snprintf(sr->da, sizeof sr->da,
				 "Søgningen kan ikke udføres: den er for omfattende. Brug færre "
				 "eller mere præcise ord.");
		else
			snprintf(sr->da, sizeof sr->da, "Databasen kunne ikke læses; prøv igen.");
		return -1;
	}
	return 0;
}

static void done(search_req *sr)
{
	ib_result_free(sr->res);
}

/* Facet counts over the filtered hits. */
typedef struct count {
	char value[80];
	long n;
} count;

enum { F_AREA, F_YEAR, F_KOMMUNE, F_REGION, F_KIND, F_ADOPTED, F_COUNT };
static const char *const facet_key[F_COUNT] = {"omraade", "aar",  "kommune",
					       "region",  "type", "vedtaget"};
static const char *const facet_json[F_COUNT] = {"area",	  "budget_year", "kommune",
						"region", "kind",	 "adopted"};
static const char *const facet_label[F_COUNT] = {"Fagområde", "Budgetår", "Kommune",
						 "Region",    "Type",	  "Vedtaget"};

static int count_cmp(const void *a, const void *b)
{
	const count *x = a, *y = b;
	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return strcmp(x->value, y->value);
}

/* Facet f's counts over every match, from the search's own facets (the adopted ones
 * as the vedtaget= values); a proposal without an area is in none. */
static count *facet_counts(const search_req *sr, int f, size_t *n)
{
	const ib_result *r = sr->res;
	const ib_facet *v[F_COUNT] = {r->by_area,   r->by_year, r->by_kommune,
				      r->by_region, r->by_kind, r->by_adopted};
	const size_t nv[F_COUNT] = {r->n_by_area,   r->n_by_year, r->n_by_kommune,
				    r->n_by_region, r->n_by_kind, r->n_by_adopted};
	count *out = calloc(nv[f] + 1, sizeof *out);
	*n = 0;
	for (size_t i = 0; out && i < nv[f]; i++) {
		const char *val = v[f][i].value;
		if (f == F_AREA && !ib_area_canonical(val))
			continue; /* "(ikke angivet)" */
		if (!*val)
			continue;
		if (f == F_ADOPTED)
			val = !strcmp(val, "yes") ? "ja" : !strcmp(val, "no") ? "nej" : "ukendt";
		snprintf(out[*n].value, sizeof out->value, "%s", val);
		out[(*n)++].n = v[f][i].n;
	}
	if (out && *n > 1)
		qsort(out, *n, sizeof *out, count_cmp);
	return out;
}

/* How many of the filters in the "Flere filtre" block are set. */
static int n_filters(const web_ctx *c)
{
	static const char *const keys[] = {"omraade",  "aar",	   "kommune", "region", "type",
					   "vedtaget", "folketal", "effekt",  "sort"};
	int n = 0;
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		n += *filled(web_param0(c, keys[i])) != '\0';
	return n;
}

/* The facets, collapsed on a phone (above the results) and always open on a wide
 * screen (the style sheet); a facet without values is left out. */
static void facets_html(web_ctx *c, const search_req *sr)
{
	ib_buf *b = &c->r->body;
	size_t n[F_COUNT];
	count *v[F_COUNT];
	int any = 0, active = 0;
	for (int f = 0; f < F_COUNT; f++) {
		v[f] = facet_counts(sr, f, &n[f]);
		int on = *web_param0(c, facet_key[f]) != '\0';
		active += on;
		any |= on || n[f] > 0;
	}
	if (any) {
		ib_buf_adds(b, "<details class=\"facets\"><summary>Afgræns søgningen");
		if (active)
			ib_buf_addf(b, " (%d valgt)", active);
		ib_buf_adds(b, "</summary>\n");
	}
	for (int f = 0; any && f < F_COUNT; f++) {
		const char *cur = web_param0(c, facet_key[f]);
		if (!*cur && !n[f])
			continue;
		ib_buf_addf(b, "<h3>%s</h3>\n<ul>\n", facet_label[f]);
		if (*cur) {
			ib_buf_adds(b, "<li class=\"on\">");
			web_html(b, cur);
			ib_buf_adds(b, " <a href=\"");
			web_href(b, c, "/", search_keys, facet_key[f], "", "side", "", NULL);
			ib_buf_addf(
			    b, "\" aria-label=\"Fjern afgrænsningen %s (alle)\">(alle)</a></li>\n",
			    facet_label[f]);
		}
		for (size_t i = 0; v[f] && i < n[f] && !*cur; i++) {
			ib_buf_adds(b, "<li><a href=\"");
			web_href(b, c, "/", search_keys, facet_key[f], v[f][i].value, "side", "",
				 NULL);
			ib_buf_adds(b, "\">");
			web_html(b, v[f][i].value);
			ib_buf_addf(b, "</a> (%ld)</li>\n", v[f][i].n);
		}
		ib_buf_adds(b, "</ul>\n");
	}
	if (any)
		ib_buf_adds(b, "</details>\n");
	for (int f = 0; f < F_COUNT; f++)
		free(v[f]);
}

static void field(ib_buf *b, const web_ctx *c, const char *label, const char *name,
		  const char *placeholder)
{
	ib_buf_addf(b, "<label>%s<input name=\"%s\" placeholder=\"%s\" value=\"", label, name,
		    placeholder);
	web_html(b, web_param0(c, name));
	ib_buf_adds(b, "\"></label>\n");
}

static void form_html(web_ctx *c)
{
	ib_buf *b = &c->r->body;
	ib_buf_adds(b, "<h2 class=\"vh\">Søg i forslag</h2>\n"
		       "<form class=\"f\" action=\"/\" method=\"get\" role=\"search\">\n"
		       "<div class=\"wide qline\"><label>Søg i forslag<input name=\"q\" "
		       "type=\"search\" aria-describedby=\"q-tip\" "
		       "placeholder=\"fx hjemmepleje, robot, skærmbesøg\" value=\"");
	web_html(b, web_param0(c, "q"));
	ib_buf_adds(b, "\"></label><button>Søg</button></div>\n"
		       "<p class=\"note wide\" id=\"q-tip\">Alle ordene skal findes. "
		       "<code>\"skærm besøg\"</code> finder ordene i træk, <code>-robot</code> "
		       "udelukker et ord, <code>velfærd*</code> finder ord, der begynder sådan, "
		       "<code>OR</code> finder det ene eller det andet.</p>\n");
	int nf = n_filters(c);
	ib_buf_addf(b, "<details class=\"more wide\"%s><summary>Flere filtre", nf ? " open" : "");
	if (nf)
		ib_buf_addf(b, " (%d valgt)", nf);
	ib_buf_adds(b, "</summary>\n<div class=\"grid\">\n<label>Fagområde<select "
		       "name=\"omraade\">");
	const char *cur = web_param0(c, "omraade");
	const char *canon = ib_area_canonical(cur);
	web_option(b, "", "Alle fagområder", canon ? canon : "");
	for (size_t i = 0; i < ib_n_areas; i++)
		web_option(b, ib_areas[i], ib_areas[i], canon);
	ib_buf_adds(b, "</select></label>\n");
	field(b, c, "Budgetår", "aar", "fx 2021-2024");
	ib_buf_adds(b, "<label>Kommune<input name=\"kommune\" list=\"kommuner\" "
		       "placeholder=\"alle\" value=\"");
	web_html(b, web_param0(c, "kommune"));
	ib_buf_adds(b, "\"></label>\n<label>Region<select name=\"region\">");
	const char *regions[] = {"Region Hovedstaden", "Region Sjælland", "Region Syddanmark",
				 "Region Midtjylland", "Region Nordjylland"};
	cur = web_param0(c, "region");
	web_option(b, "", "Alle regioner", cur);
	for (size_t i = 0; i < 5; i++)
		web_option(b, regions[i], regions[i], cur);
	ib_buf_adds(b, "</select></label>\n<label>Type<select name=\"type\">");
	cur = web_param0(c, "type");
	web_option(b, "", "Alle typer", cur);
	for (size_t i = 0; i < ib_n_kinds; i++)
		web_option(b, ib_kinds[i], ib_kinds[i], cur);
	ib_buf_adds(b, "</select></label>\n<label>Vedtaget<select name=\"vedtaget\">");
	cur = web_param0(c, "vedtaget");
	web_option(b, "", "Alle", cur);
	web_option(b, "ja", "Ja", cur);
	web_option(b, "nej", "Nej", cur);
	web_option(b, "ukendt", "Ukendt", cur);
	ib_buf_adds(b, "</select></label>\n");
	field(b, c, "Kommunens folketal", "folketal", "fx 20.000-60.000");
	field(b, c, "Effekt, kr. om året", "effekt", "fx 1.000.000..");
	ib_buf_adds(b, "<label>Sortering<select name=\"sort\">");
	/* without sort= the search sorts by relevance with words, by effect without */
	cur = web_param0(c, "sort");
	if (!*cur) {
		const char *q = web_param0(c, "q");
		cur = q[strspn(q, " \t\r\n")] ? "relevance" : "effect";
	}
	web_option(b, "relevance", "Relevans", cur);
	web_option(b, "effect", "Effekt", cur);
	web_option(b, "per-inhabitant", "Effekt pr. indbygger", cur);
	web_option(b, "score", "Score", cur);
	if (c->has_pj)
		web_option(b, "projected", "Projiceret på min kommune", cur);
	ib_buf_adds(b, "</select></label>\n<p class=\"note wide\">Budgetår, folketal og effekt: "
		       "ét tal (præcis det) eller et interval, <code>2021-2024</code> eller "
		       "<code>2021..2024</code>; <code>20.000..</code> er mindst, "
		       "<code>..60.000</code> højst.</p>\n</div>\n</details>\n");
	web_state_inputs(c);
	ib_buf_adds(b, "</form>\n");
}

/* The legend under the result count: what each figure is. */
static void legend_html(web_ctx *c, const char *id)
{
	ib_buf *b = &c->r->body;
	ib_buf_addf(b, "<p class=\"note\" id=\"%s\">", id);
	ib_buf_adds(b, "Effekt: kr. om året ved fuld indfasning, i budgetårets priser; + = "
		       "besparelse, − = merudgift. Pr. indbygger: effekten ÷ kommunens folketal i "
		       "budgetåret, det år effekten er regnet for.");
	if (c->has_pj) {
		ib_buf_adds(b, " I ");
		web_html(b, c->pj.m.name);
		ib_buf_adds(b, ": pr. indbygger × ");
		web_pj_basis(b, c);
		ib_buf_adds(b, "; egne forslag uomregnet.");
	}
	ib_buf_adds(b, "</p>\n");
}

static void results_html(web_ctx *c, const search_req *sr)
{
	ib_buf *b = &c->r->body;
	int with_score = sr->o.sort == IB_SORT_SCORE;
	size_t total = sr->res->total;
	size_t from = (size_t)(sr->page - 1) * PER_PAGE;
	size_t to = from + sr->res->n;
	size_t pages = (total + PER_PAGE - 1) / PER_PAGE;
	ib_buf_adds(b, "<section aria-labelledby=\"resultater\">\n<div class=\"tools\">"
		       "<h2 id=\"resultater\">");
	if (!total) {
		ib_buf_adds(b, "Ingen forslag matcher</h2>");
		if (n_filters(c) || sr->o.query)
			ib_buf_adds(b, "<p>Prøv færre ord eller fjern en afgrænsning.</p>");
		ib_buf_adds(b, "</div>\n</section>\n");
		return;
	}
	web_num(b, (double)total, 0);
	ib_buf_adds(b, " forslag</h2><p>");
	if (from < to) {
		ib_buf_adds(b, "Viser ");
		web_num(b, (double)from + 1, 0);
		ib_buf_adds(b, "–");
		web_num(b, (double)to, 0);
		ib_buf_adds(b, " · ");
	}
	/* what the result spans, not a sum across municipalities and years */
	int y0 = 0, y1 = 0;
	for (size_t i = 0; i < sr->res->n_by_year; i++) {
		int y = atoi(sr->res->by_year[i].value);
		if (y && (!y0 || y < y0))
			y0 = y;
		if (y > y1)
			y1 = y;
	}
	web_num(b, (double)sr->res->n_effect_known, 0);
	ib_buf_addf(b, " med kendt effekt · %zu %s", sr->res->n_by_kommune,
		    sr->res->n_by_kommune == 1 ? "kommune" : "kommuner");
	if (y0 && y0 == y1)
		ib_buf_addf(b, ", budgetår %d", y0);
	else if (y0)
		ib_buf_addf(b, ", budgetår %d–%d", y0, y1);
	ib_buf_adds(b, "</p><a href=\"");
	web_href(b, c, "/resultater.csv", search_keys, "side", "", NULL);
	ib_buf_adds(b, "\" download>Hent som CSV (Excel)</a></div>\n");
	if (from >= to) {
		ib_buf_addf(b, "<p>Siden findes ikke; der er %zu %s.</p>\n</section>\n", pages,
			    pages == 1 ? "side" : "sider");
		return;
	}
	legend_html(c, "forklaring");
	ib_buf_adds(b, "<table class=\"cards\" aria-describedby=\"forklaring\">\n<thead><tr>"
		       "<th>Forslag</th>");
	cli_cols_ctx x = cli_line_ctx(c->has_pj ? &c->pj : NULL, with_score, 0);
	web_cols_head(b, cli_line_cols, cli_line_html_view, &x);
	ib_buf_adds(b, "<th>Valgt</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < sr->res->n; i++) {
		cli_line l = cli_line_of_hit(&sr->res->hits[i], x.pj);
		web_line_row(c, &l, &x, search_keys);
	}
	ib_buf_adds(b, "</tbody></table>\n");
	if (pages > 1) {
		ib_buf_adds(b, "<nav class=\"pages\" aria-label=\"Sider\">");
		char p[16];
		if (sr->page > 1) {
			snprintf(p, sizeof p, "%d", sr->page - 1);
			ib_buf_adds(b, "<a rel=\"prev\" href=\"");
			web_href(b, c, "/", search_keys, "side", p, NULL);
			ib_buf_adds(b, "\">← Forrige</a>");
		}
		ib_buf_addf(b, "<span>Side %d af %zu</span>", sr->page, pages);
		if ((size_t)sr->page < pages) {
			snprintf(p, sizeof p, "%d", sr->page + 1);
			ib_buf_adds(b, "<a rel=\"next\" href=\"");
			web_href(b, c, "/", search_keys, "side", p, NULL);
			ib_buf_adds(b, "\">Næste →</a>");
		}
		ib_buf_adds(b, "</nav>\n");
	}
	ib_buf_adds(b, "</section>\n");
}

static void page(web_ctx *c)
{
	search_req sr;
	int ok = parse(c, &sr) == 0 && run(c, &sr, 0) == 0;
	const char *q = web_param0(c, "q");
	web_page_head(c, sr.o.query && strlen(q) < 200 ? q : "Søg i forslag", "soeg");
	form_html(c);
	if (!ok) {
		c->r->status = sr.status;
		web_page_error_suggest(c, sr.da, "kommune", sr.suggest);
	} else {
		ib_buf_adds(&c->r->body, "<div class=\"layout\">\n<div>\n");
		facets_html(c, &sr);
		ib_buf_adds(&c->r->body, "</div>\n");
		results_html(c, &sr);
		ib_buf_adds(&c->r->body, "</div>\n");
	}
	done(&sr);
	web_page_foot(c);
}

/* The CSV of search --csv. */
typedef struct csv_arg {
	const search_req *sr;
	const cli_projection *pj;
} csv_arg;

static void write_csv(FILE *f, const void *arg)
{
	const csv_arg *a = arg;
	cli_cols_ctx x = cli_line_ctx(a->pj, a->sr->o.sort == IB_SORT_SCORE, 0);
	csv_begin(f);
	cli_cols_csv_head(f, cli_line_cols, &x);
	for (size_t i = 0; i < a->sr->res->n; i++) {
		cli_line l = cli_line_of_hit(&a->sr->res->hits[i], a->pj);
		cli_cols_csv_row(f, cli_line_cols, &l, &x);
	}
}

static void csv(web_ctx *c)
{
	search_req sr;
	if (parse(c, &sr) || run(c, &sr, 1))
		web_error_page(c, sr.status, sr.da);
	else
		web_csv(c, write_csv, &(csv_arg){&sr, c->has_pj ? &c->pj : NULL},
			"ideabank-forslag.csv");
	done(&sr);
}

static void api(web_ctx *c)
{
	search_req sr;
	if (*c->for_msg) {
		char da[700], en[700];
		ib_municipality m;
		if (web_find_municipality(c, web_param0(c, "for"), &m, da, en, sizeof da)) {
			snprintf(da, sizeof da, "%s", c->for_msg);
			snprintf(en, sizeof en, "no population figure for '%s'", m.name);
		}
		web_api_error(c, 400, da, en);
		return;
	}
	if (parse(c, &sr) || run(c, &sr, 0)) {
		web_api_error(c, sr.status, sr.da, sr.en);
		done(&sr);
		return;
	}
	cJSON *o = cli_search_json(sr.res, sr.o.query, 0, c->has_pj ? &c->pj : NULL,
				   sr.o.sort == IB_SORT_SCORE);
	cJSON_AddNumberToObject(o, "page", sr.page);
	cJSON_AddNumberToObject(o, "per_page", PER_PAGE);
	cJSON_AddNumberToObject(o, "pages", (double)((sr.res->total + PER_PAGE - 1) / PER_PAGE));
	cJSON *facets = cJSON_AddObjectToObject(o, "facets");
	for (int f = 0; f < F_COUNT; f++) {
		size_t n;
		count *v = facet_counts(&sr, f, &n);
		cJSON *a = cJSON_AddArrayToObject(facets, facet_json[f]);
		for (size_t i = 0; v && i < n; i++) {
			cJSON *e = cJSON_CreateObject();
			cJSON_AddStringToObject(e, "value", v[i].value);
			cJSON_AddNumberToObject(e, "count", (double)v[i].n);
			cJSON_AddItemToArray(a, e);
		}
		free(v);
	}
	web_json(c, o);
	done(&sr);
}

void web_search(web_ctx *c, int format)
{
	if (format == WEB_JSON)
		api(c);
	else if (format == WEB_CSV)
		csv(c);
	else
		page(c);
}
