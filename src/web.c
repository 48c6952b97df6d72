/* web.c - ideabank's web site: the router (path to page), the checks every request
 * passes first (argument count and length, NUL, UTF-8), "Min kommune" and the basket
 * read from the URL, the style sheet and favicon, and /api/municipalities.  The pages
 * are web_*.c, the helpers they share web_page.c.  Labels are Danish; every figure
 * names its source. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "web_int.h"

/* The style sheet in parts (each under C's 4095-byte string limit), served as one. */
static const char *const style_css[] = {
    "*{box-sizing:border-box}\n"
    "body{font-family:system-ui,sans-serif;margin:0 auto;max-width:78em;padding:0 1em 2em;"
    "color:#222;background:#fff;line-height:1.4}\n"
    "a{color:#0b57a4}\n"
    /* a focus ring on every control, 3:1 against white and the blue buttons */
    "a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,"
    "summary:focus-visible,[tabindex]:focus-visible{outline:3px solid #c25e00;"
    "outline-offset:2px}\n"
    ".skip{position:absolute;left:-999em;top:.3em;background:#fff;padding:.3em .6em}"
    ".skip:focus{left:1em}\n"
    ".vh{position:absolute!important;width:1px;height:1px;overflow:hidden;"
    "clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap}\n"
    "header{display:flex;flex-wrap:wrap;align-items:center;gap:.5em 1.5em;"
    "border-bottom:2px solid #0b57a4;padding:.6em 0;margin-bottom:1em}\n"
    "h2{font-size:1.35em}h3{font-size:1.1em}\n"
    "header h1{font-size:1.3em;margin:0}header h1 a{text-decoration:none}\n"
    "nav{display:flex;flex-wrap:wrap;gap:.3em 1em}nav a.on{font-weight:bold;color:#222}\n"
    "form.mine{display:flex;flex-wrap:wrap;gap:.3em;align-items:center;margin-left:auto}\n"
    ".mine-now{font-size:.9em;color:#444}\n"
    "form.f,.f .grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(9em,1fr));"
    "gap:.5em 1em;margin-bottom:1em;align-items:end}\n"
    "form.f .wide{grid-column:1/-1}.f .grid{margin:.5em 0 0}\n"
    ".qline{display:flex;flex-wrap:wrap;gap:.3em;align-items:end}"
    ".qline label{flex:1 1 12em}\n"
    "label{display:flex;flex-direction:column;font-size:.85em;color:#444;gap:.15em}\n"
    "input,select,button{font:inherit;padding:.35em .4em;max-width:100%;min-width:0}\n"
    "::placeholder{color:#6b6b6b;opacity:1}\n"
    "button{background:#0b57a4;color:#fff;border:0;border-radius:3px;cursor:pointer}\n"
    "summary{cursor:pointer;color:#0b57a4;font-weight:bold}\n",
    "table{border-collapse:collapse;width:100%}\n"
    "caption{text-align:left;font-size:.9em;color:#444;padding:.2em 0}\n"
    "th,td{padding:.3em .5em;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}\n"
    "th small{display:block;font-weight:normal;color:#444}\n"
    "td.n,th.n{text-align:right}td.n{white-space:nowrap}\n"
    "dd,.pre,p,li{overflow-wrap:anywhere}td.t{overflow-wrap:break-word;width:45%}\n"
    "tr[id]{scroll-margin-top:.5em}table.rank tr.own{font-weight:bold}table.rank td.t{width:auto}\n"
    "mark{background:#fe6}.snip{color:#555;font-size:.9em}\n"
    ".err{color:#a00;font-weight:bold}.flag{color:#a00}.note{color:#555;font-size:.9em}\n"
    ".layout{display:grid;grid-template-columns:15em minmax(0,1fr);gap:1.5em}\n"
    ".facets h3{font-size:.95em;margin:.8em 0 .2em}.facets ul{list-style:none;margin:0;"
    "padding:0;font-size:.9em}.facets li{margin:.1em 0}.facets .on{font-weight:bold}\n"
    ".tools{display:flex;flex-wrap:wrap;gap:.5em 1.5em;align-items:baseline;margin:.5em 0}"
    ".tools h2{margin:0;font-size:1.1em}.tools p{margin:0}\n"
    ".pages{display:flex;gap:1em;margin:1em 0}\n"
    ".kurv{white-space:nowrap}\n"
    ".sum{background:#f3f6fa;padding:.6em 1em;border-radius:4px}\n"
    ".pre{white-space:pre-wrap}\n"
    "figure{margin:1em 0}svg.chart{display:block;width:100%;height:6em;background:#fafafa}\n"
    ".legend .key{display:inline-block;white-space:nowrap;margin-right:1em}"
    ".legend .sw{display:inline-block;width:.9em;height:.9em;margin-right:.3em;"
    "vertical-align:middle}.l-own{background:#c0392b}.l-peer{background:#0b57a4}"
    ".l-other{background:#bbb}.l-bench{background:#222;height:.2em!important}\n"
    ".hbars{list-style:none;padding:0;margin:.5em 0}.hbars li{display:grid;"
    "grid-template-columns:11em minmax(3em,1fr) 7em;gap:.6em;align-items:center;"
    "margin:.15em 0}.hbars svg{width:100%;height:1.1em;display:block}"
    ".hbars .v{text-align:right;white-space:nowrap}.hbars .own{font-weight:bold}\n"
    "dl{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.2em 1em}"
    "dt{font-weight:bold}dd{margin:0;min-width:0}\n",
    "details.more{margin:.2em 0}details.facets{margin-bottom:1em}\n"
    /* the comparison form shows the fields of the method chosen (all without :has) */
    "@supports selector(:has(a)){form.peers .m-lower,form.peers .m-nearest,"
    "form.peers .m-list{display:none}"
    "form.peers:has(option[value=lower]:checked) .m-lower,"
    "form.peers:has(option[value=nearest]:checked) .m-nearest,"
    "form.peers:has(option[value=list]:checked) .m-list{display:flex}}\n"
    ".wrap{overflow-x:auto}\n"
    "footer{margin-top:2em;color:#555;font-size:.85em}\n"
    /* wide screens: the filters and facets are always open, their summary a heading
     * (where a browser can style a details element's content; elsewhere they fold) */
    "@supports selector(::details-content){@media (min-width:44.01em){"
    "details.more::details-content,"
    "details.facets::details-content{content-visibility:visible;display:block}"
    "details.more>summary,details.facets>summary{list-style:none;cursor:default;"
    "color:#444;font-size:.9em}"
    "details.more>summary::-webkit-details-marker,details.facets>summary::-webkit-details-"
    "marker{display:none}}}\n",
    "@media (max-width:44em){.layout{grid-template-columns:minmax(0,1fr);gap:0}"
    "form.mine{margin-left:0}"
    "table.cards thead{position:absolute;width:1px;height:1px;overflow:hidden;"
    "clip:rect(0 0 0 0);clip-path:inset(50%)}"
    "table.cards tr{display:block;border:1px solid #ddd;"
    "border-radius:4px;margin:.5em 0;padding:.3em}table.cards td{display:flex;"
    "justify-content:space-between;gap:1em;border:0;padding:.15em .3em;text-align:right;"
    "white-space:normal}"
    "table.cards td::before{content:attr(data-l);color:#555;text-align:left}"
    "table.cards td.t{display:block;text-align:left;width:auto;overflow-wrap:anywhere}"
    "table.cards td.t::before{content:none}"
    "dl{grid-template-columns:minmax(0,1fr);gap:0}dt{font-weight:normal;font-size:.85em;"
    "color:#444;margin-top:.4em}"
    ".hbars li{grid-template-columns:7.5em minmax(2em,1fr) 6em;gap:.4em}"
    "table.rank{font-size:.9em}table.rank th,table.rank td{padding:.3em .25em}}\n",
    NULL};

static const char favicon_svg[] =
    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 16 16\">"
    "<rect width=\"16\" height=\"16\" rx=\"3\" fill=\"#0b57a4\"/>"
    "<rect x=\"3\" y=\"8\" width=\"2.5\" height=\"5\" fill=\"#fff\"/>"
    "<rect x=\"6.75\" y=\"5\" width=\"2.5\" height=\"8\" fill=\"#fff\"/>"
    "<rect x=\"10.5\" y=\"3\" width=\"2.5\" height=\"10\" fill=\"#fe6\"/></svg>\n";

/* English before Danish in Accept-Language ("en-GB,en;q=0.9,da;q=0.5")?  The first
 * language tag named decides; quality values are written in falling order in
 * practice. */
static int prefers_english(const char *al)
{
	for (const char *p = al; p && *p;) {
		p += strspn(p, " ,");
		if (!strncasecmp(p, "da", 2) || !strncasecmp(p, "nb", 2) ||
		    !strncasecmp(p, "nn", 2))
			return 0;
		if (!strncasecmp(p, "en", 2))
			return 1;
		p += strcspn(p, ",");
	}
	return 0;
}

/* for= and kurv= from the URL into c. */
static void read_state(web_ctx *c)
{
	const char *f = web_param(c, "for");
	if (f && *f) {
		char en[sizeof c->for_msg];
		if (web_find_municipality_ex(c, f, &c->pj.m, c->for_msg, en, sizeof c->for_msg,
					     c->for_suggest, sizeof c->for_suggest)) {
			ib_error err = {0};
			char *source = NULL;
			if (ib_store_population(c->s, c->pj.m.code, 9999, &c->pj.inhabitants,
						&c->pj.year, &source, &err) == IB_OK) {
				snprintf(c->pj.source, sizeof c->pj.source, "%s",
					 source ? source : "");
				free(source);
				c->has_pj = 1;
			} else
				snprintf(c->for_msg, sizeof c->for_msg,
					 "Der er intet folketal for %s, så effekterne kan ikke "
					 "skaleres.",
					 c->pj.m.name);
		} else {
			size_t l = strlen(c->for_msg);
			snprintf(c->for_msg + l, sizeof c->for_msg - l,
				 " (Min kommune er ikke brugt.)");
		}
	}
	const char *k = web_param0(c, "kurv");
	while (*k) {
		char *end;
		errno = 0;
		long long id = strtoll(k, &end, 10);
		size_t len = strcspn(k, ",");
		if (end != k + len || id <= 0 || errno == ERANGE) {
			snprintf(
			    c->basket_msg, sizeof c->basket_msg,
			    "Valgte forslag: »%.*s« er ikke et forslags-id og er sprunget over.",
			    (int)ib_utf8_prefix(k, len, 40), k);
		} else if (c->n_basket < WEB_BASKET_MAX && !web_in_basket(c, id)) {
			c->basket[c->n_basket++] = id;
		}
		k += len;
		k += *k == ',';
	}
}

static void municipalities_api(web_ctx *c)
{
	size_t n;
	const ib_municipality *m = web_municipalities(c, &n);
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "total", (double)n);
	cJSON *a = cJSON_AddArrayToObject(o, "municipalities");
	for (size_t i = 0; i < n; i++) {
		cJSON *x = cJSON_CreateObject();
		char code[8];
		snprintf(code, sizeof code, "%03d", m[i].code);
		cJSON_AddStringToObject(x, "kommunekode", code);
		cJSON_AddStringToObject(x, "kommune", m[i].name);
		cJSON_AddStringToObject(x, "region", m[i].region);
		cJSON_AddNumberToObject(x, "group_code", m[i].group_code);
		cJSON_AddStringToObject(x, "group", m[i].group_name);
		long pop;
		int year;
		if (ib_store_population(c->s, m[i].code, 9999, &pop, &year, NULL, NULL) == IB_OK) {
			cJSON_AddNumberToObject(x, "population", (double)pop);
			cJSON_AddNumberToObject(x, "population_year", year);
		} else {
			cJSON_AddNullToObject(x, "population");
			cJSON_AddNullToObject(x, "population_year");
		}
		cJSON_AddItemToArray(a, x);
	}
	web_json(c, o);
}

static void asset(web_ctx *c, const char *type, const char *z)
{
	c->r->content_type = type;
	ib_buf_adds(&c->r->body, z);
}

/* The pages: a path (or, with prefix, the start of one: the rest is an id) to the
 * page and its format.  /api/municipalities is the router's own (no page). */
typedef struct route {
	const char *path;
	int prefix;
	void (*page)(web_ctx *c, int format);
	int format;
} route;

static const route routes[] = {
    {"/", 0, web_search, WEB_HTML},
    {"/resultater.csv", 0, web_search, WEB_CSV},
    {"/api/search", 0, web_search, WEB_JSON},
    {"/forslag", 0, web_proposal, WEB_HTML},
    {"/forslag/", 1, web_proposal, WEB_HTML}, /* the form /api/proposal/N has */
    {"/api/proposal/", 1, web_proposal, WEB_JSON},
    {"/kurv", 0, web_basket, WEB_HTML},
    {"/kurv.csv", 0, web_basket, WEB_CSV},
    {"/sammenlign", 0, web_peers, WEB_HTML},
    {"/api/peers", 0, web_peers, WEB_JSON},
    {"/raaderum", 0, web_room, WEB_HTML},
    {"/api/raaderum", 0, web_room, WEB_JSON},
    {"/api/municipalities", 0, NULL, WEB_JSON},
};

static const route *find_route(const char *path)
{
	for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
		const route *r = &routes[i];
		if (r->prefix ? !strncmp(path, r->path, strlen(r->path)) : !strcmp(path, r->path))
			return r;
	}
	return NULL;
}

/* Whether the pages must refuse rq: its status (400, 414) with why in Danish (da) and
 * English (en), or 0.  Too many arguments, a NUL, a value over WEB_ARG_MAX bytes, or a
 * path (path_ok 0) or argument that is not UTF-8: the path is echoed in links, the
 * arguments in forms. */
static int refused(const web_request *rq, int path_ok, char *da, char *en, size_t n)
{
	if (rq->too_many_args) {
		snprintf(da, n, "For mange parametre i adressen (højst %d).", WEB_MAX_ARGS);
		snprintf(en, n, "too many query parameters (at most %d)", WEB_MAX_ARGS);
		return 400;
	}
	if (rq->nul) {
		/* "/forslag/1%00" answered proposal 1: the NUL cut the path short */
		snprintf(da, n, "Adressen indeholder et NUL-tegn (%%00).");
		snprintf(en, n, "the address holds a NUL character (%%00)");
		return 400;
	}
	int utf8_ok = path_ok;
	for (size_t i = 0; i < rq->n_args; i++) {
		const char *k = rq->args[i].key, *v = rq->args[i].value;
		size_t len = strlen(v);
		if (len > WEB_ARG_MAX) {
			snprintf(da, n, "Et felt i adressen er for langt: %zu byte; højst %d.", len,
				 WEB_ARG_MAX);
			snprintf(en, n, "a query parameter is too long (%zu bytes, at most %d)",
				 len, WEB_ARG_MAX);
			return 414;
		}
		utf8_ok = utf8_ok && ib_utf8_invalid_at(k, strlen(k)) == strlen(k) &&
			  ib_utf8_invalid_at(v, len) == len;
	}
	if (!utf8_ok) {
		snprintf(da, n, "Adressen er ikke gyldig UTF-8.");
		snprintf(en, n, "the query string is not valid UTF-8");
		return 400;
	}
	return 0;
}

void web_handle(ib_store *s, const web_request *rq, web_response *r)
{
	r->status = 200;
	r->content_type = "text/html; charset=utf-8";
	r->filename = NULL;
	ib_buf_init(&r->body, 0);
	web_ctx c;
	memset(&c, 0, sizeof c);
	c.s = s;
	c.rq = rq;
	c.r = r;
	c.english = prefers_english(rq->accept_language);
	const char *p = rq->path;
	int api = !strncmp(p, "/api/", 5);
	if (!strcmp(p, "/style.css")) {
		for (size_t i = 0; style_css[i]; i++)
			asset(&c, "text/css; charset=utf-8", style_css[i]);
		return;
	}
	if (!strcmp(p, "/raaderum.css")) {
		asset(&c, "text/css; charset=utf-8", web_room_css);
		return;
	}
	if (!strcmp(p, "/favicon.svg") || !strcmp(p, "/favicon.ico")) {
		asset(&c, "image/svg+xml", favicon_svg);
		return;
	}
	/* the pages below refuse the address: they must not echo it either */
	web_request bare;
	memset(&bare, 0, sizeof bare);
	int path_ok = ib_utf8_invalid_at(p, strlen(p)) == strlen(p);
	bare.path = path_ok ? p : "/";
	bare.accept_language = rq->accept_language;
	char da[200], en[200];
	int status = refused(rq, path_ok, da, en, sizeof da);
	if (status) {
		c.rq = &bare;
		if (api)
			web_api_error(&c, status, da, en);
		else
			web_error_page(&c, status, da);
		goto done;
	}
	read_state(&c);
	const route *rt = find_route(p);
	if (rt && rt->page) {
		/* /forslag/N and /api/proposal/N: the id after the prefix, /forslag?id=N */
		c.rest = rt->prefix ? p + strlen(rt->path) : web_param0(&c, "id");
		rt->page(&c, rt->format);
	} else if (rt) {
		municipalities_api(&c);
	} else if (api) {
		web_api_error(&c, 404, "Adressen findes ikke i API'et.", "no such API endpoint");
	} else {
		web_error_page(&c, 404, "Siden findes ikke.");
	}
done:
	free(c.munis);
}

int web_request_split(const char *path_and_query, size_t (*unescape)(char *), web_request *rq,
		      char **storage)
{
	memset(rq, 0, sizeof *rq);
	char *z = strdup(path_and_query);
	*storage = z;
	if (!z)
		return IB_ENOMEM;
	char *q = strchr(z, '?');
	if (q)
		*q++ = '\0';
	rq->path = z;
	rq->nul = strstr(z, "%00") != NULL;
	while (q && *q) {
		char *amp = strchr(q, '&');
		if (amp)
			*amp = '\0';
		if (*q) {
			char *eq = strchr(q, '=');
			if (eq)
				*eq++ = '\0';
			for (char *t = q; *t; t++)
				if (*t == '+')
					*t = ' ';
			for (char *t = eq; t && *t; t++)
				if (*t == '+')
					*t = ' ';
			/* an unescaped %00 leaves a NUL before the end */
			if (unescape(q) != strlen(q))
				rq->nul = 1;
			if (eq && unescape(eq) != strlen(eq))
				rq->nul = 1;
			if (rq->n_args < WEB_MAX_ARGS)
				rq->args[rq->n_args++] = (web_arg){q, eq ? eq : ""};
			else
				rq->too_many_args = 1;
		}
		q = amp ? amp + 1 : NULL;
	}
	return IB_OK;
}
