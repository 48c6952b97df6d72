/* web_peers.c - "Sammenlign udgifter" (/sammenlign) and /api/peers: a municipality's
 * spending per inhabitant against its peers with the numbers of `ideabank peers`
 * (index/peers.c), a bar chart of all municipalities drawn as inline SVG on the
 * server, the mulighedsrum, and a link to the ideas in that area scaled to it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web_int.h"

typedef struct peers_req {
	ib_peer_opts o;
	const char *benchmark_name;
	char da[700], en[700];
	const char *suggest_key; /* the argument da's "Mente du X?" corrects, or NULL */
	char suggest[700];	 /* that argument corrected */
} peers_req;

static int bad(peers_req *pr, const char *da, const char *en)
{
	snprintf(pr->da, sizeof pr->da, "%s", da);
	snprintf(pr->en, sizeof pr->en, "%s", en);
	return -1;
}

/* Positive whole number in z (at most max), else 0. */
static int count_arg(const char *z, int max)
{
	char *end;
	long v = strtol(z, &end, 10);
	return *z && !*end && v > 0 && v <= max ? (int)v : 0;
}

/* The municipality, year, method and benchmark of a comparison from the address (the
 * page's words: kommune, aar, metode, n, k, liste, benchmark). */
static int parse_peer_opts(web_ctx *c, ib_peer_opts *o, const char **benchmark_name, peers_req *pr)
{
	*benchmark_name = "gennemsnit";
	o->kommune = web_param0(c, "kommune");
	if (!*o->kommune && c->has_pj)
		o->kommune = c->pj.m.name;
	const char *v = web_param0(c, "aar");
	if (*v) {
		int y = count_arg(v, 2100);
		if (y < 1990)
			return bad(pr, "Regnskabsår skal være et år som 2024.",
				   "aar: expected a year such as 2024");
		o->year = y;
	}
	v = web_param0(c, "metode");
	const char *n = web_param0(c, "n"), *k = web_param0(c, "k"), *list = web_param0(c, "liste");
	if (!strncmp(v, "lower:", 6))
		n = v + 6, v = "lower";
	else if (!strncmp(v, "list:", 5))
		list = v + 5, v = "list";
	else if (!*v && *list)
		v = "list"; /* a list of one's own without a method is that method */
	if (!*v || !strcmp(v, "group")) {
		o->method = IB_PEER_GROUP;
	} else if (!strcmp(v, "nearest")) {
		o->method = IB_PEER_NEAREST;
		if (*k && !(o->k = count_arg(k, 97)))
			return bad(pr, "Antal nærmeste skal være et tal fra 1 til 97.",
				   "k: expected 1 to 97");
	} else if (!strcmp(v, "lower")) {
		o->method = IB_PEER_LOWER;
		if (*n && !(o->lower_n = count_arg(n, 97)))
			return bad(pr, "Antal pladser billigere skal være et tal fra 1 til 97.",
				   "n: expected 1 to 97");
	} else if (!strcmp(v, "list")) {
		o->method = IB_PEER_LIST;
		if (!*list)
			return bad(pr,
				   "Skriv de kommuner, du vil sammenligne med, adskilt af komma.",
				   "method list needs liste=A,B,C");
		o->list = list;
		/* each name, so that a typo gets a suggestion in Danish */
		for (const char *p = list; *p;) {
			size_t len = strcspn(p, ",");
			char name[128];
			snprintf(name, sizeof name, "%.*s", (int)ib_utf8_prefix(p, len, 127), p);
			char *z = name + strspn(name, " ");
			for (size_t e = strlen(z); e && z[e - 1] == ' ';)
				z[--e] = '\0';
			ib_municipality m;
			char name_ok[64];
			if (*z && !web_find_municipality_ex(c, z, &m, pr->da, pr->en, sizeof pr->da,
							    name_ok, sizeof name_ok)) {
				/* the list with this name corrected */
				if (*name_ok) {
					pr->suggest_key = "liste";
					size_t lead = (size_t)(z - name), end = lead + strlen(z);
					snprintf(pr->suggest, sizeof pr->suggest, "%.*s%s%s",
						 (int)(p - list + lead), list, name_ok,
						 end <= len ? p + end : p + len);
				}
				return -1;
			}
			p += len;
			p += *p == ',';
		}
	} else {
		return bad(pr,
			   "Ukendt metode; vælg samme kommunegruppe, nærmeste, billigere eller "
			   "egen liste.",
			   "metode: expected group, nearest, lower or list");
	}
	v = web_param0(c, "benchmark");
	if (!*v || !strcmp(v, "mean"))
		o->benchmark = IB_BENCH_MEAN;
	else if (!strcmp(v, "median"))
		o->benchmark = IB_BENCH_MEDIAN, *benchmark_name = "median";
	else if (!strcmp(v, "lowest-quartile"))
		o->benchmark = IB_BENCH_LOWER_QUARTILE, *benchmark_name = "nedre kvartil";
	else
		return bad(pr, "Ukendt benchmark; vælg gennemsnit, median eller nedre kvartil.",
			   "benchmark: expected mean, median or lowest-quartile");
	if (!*o->kommune)
		return bad(pr, "Vælg en kommune at sammenligne.", "kommune is required");
	ib_municipality m;
	if (!web_find_municipality_ex(c, o->kommune, &m, pr->da, pr->en, sizeof pr->da, pr->suggest,
				      sizeof pr->suggest)) {
		pr->suggest_key = "kommune";
		return -1;
	}
	return 0;
}

int web_peer_opts(web_ctx *c, ib_peer_opts *o, const char **benchmark_name, char *da, char *en,
		  size_t n_msg)
{
	peers_req pr; /* for its messages */
	memset(&pr, 0, sizeof pr);
	int rc = parse_peer_opts(c, o, benchmark_name, &pr);
	snprintf(da, n_msg, "%s", pr.da);
	snprintf(en, n_msg, "%s", pr.en);
	return rc;
}

static int parse(web_ctx *c, peers_req *pr)
{
	memset(pr, 0, sizeof *pr);
	pr->benchmark_name = "gennemsnit";
	ib_peer_opts *o = &pr->o;
	const char *area = web_param0(c, "omraade"), *fn = web_param0(c, "funktion");
	if (*fn)
		o->function = fn;
	else if (*area)
		o->area = area;
	else
		o->area = "Ældre og sundhed";
	return parse_peer_opts(c, o, &pr->benchmark_name, pr);
}

/* Why ib_peers() failed, in Danish, from what the request asked (not from the
 * library's English message): a year without figures (when the same comparison
 * without the year can be made), an unknown function or area. */
static void peers_error_da(web_ctx *c, const peers_req *pr, const ib_error *err, char *da, size_t n)
{
	ib_peer_opts latest = pr->o;
	ib_peer_set *any = NULL;
	latest.year = 0;
	int year_only =
	    err->rc == IB_ENOTFOUND && pr->o.year && ib_peers(c->s, &latest, &any, NULL) == IB_OK;
	ib_peer_set_free(any);
	if (year_only) {
		/* the years there are: those the same comparison has figures for */
		char years[200] = "";
		size_t used = 0;
		for (int y = 2007; y <= 2030; y++) {
			ib_peer_opts o = pr->o;
			ib_peer_set *p = NULL;
			o.year = y;
			if (ib_peers(c->s, &o, &p, NULL) == IB_OK) {
				int w = snprintf(years + used, sizeof years - used, "%s%d",
						 used ? ", " : "", y);
				if (w > 0 && (size_t)w < sizeof years - used)
					used += (size_t)w;
			}
			ib_peer_set_free(p);
		}
		snprintf(da, n, "Der er ingen regnskabstal for %d. Der er tal for %s.", pr->o.year,
			 used ? years : "ingen år");
	} else if (err->rc == IB_ENOTFOUND && pr->o.function) {
		snprintf(da, n, "Ukendt funktion »%s«; skriv en REGK31-funktion som 3.22.01.",
			 pr->o.function);
	} else if (err->rc == IB_ENOTFOUND && pr->o.area) {
		snprintf(da, n, "Ukendt fagområde »%s«.", pr->o.area);
	} else if (err->rc == IB_EARG && pr->o.function) {
		snprintf(da, n, "Funktionen skal være en REGK31-kode som 3.22.01, ikke »%s«.",
			 pr->o.function);
	} else {
		snprintf(da, n, "Sammenligningen kunne ikke laves.");
	}
}

/* A text field of one method: shown only while that method is chosen (the style
 * sheet, by the select's :checked option). */
static void method_field(ib_buf *b, const web_ctx *c, const char *method, const char *label,
			 const char *name, const char *placeholder, int numeric)
{
	ib_buf_addf(b, "<label class=\"m-%s\">%s<input name=\"%s\"%s placeholder=\"%s\" value=\"",
		    method, label, name, numeric ? " inputmode=\"numeric\"" : "", placeholder);
	web_html(b, web_param0(c, name));
	ib_buf_adds(b, "\"></label>\n");
}

void web_peer_fields(web_ctx *c)
{
	ib_buf *b = &c->r->body;
	ib_buf_adds(b, "<label>Sammenlign med<select name=\"metode\">");
	const char *m = web_param0(c, "metode");
	if (!*m && *web_param0(c, "liste"))
		m = "list";
	web_option(b, "group", "Samme kommunegruppe", m);
	web_option(b, "nearest", "De nærmeste (struktur)", m);
	web_option(b, "lower", "Kommunen N pladser billigere", m);
	web_option(b, "list", "Egen liste", m);
	ib_buf_adds(b, "</select></label>\n");
	method_field(b, c, "lower", "N pladser billigere", "n", "5", 1);
	method_field(b, c, "nearest", "Antal nærmeste", "k", "10", 1);
	method_field(b, c, "list", "Egen liste (komma mellem)", "liste", "Køge, Sorø, Faxe", 0);
	ib_buf_adds(b, "<label>Benchmark<select name=\"benchmark\">");
	const char *bm = web_param0(c, "benchmark");
	web_option(b, "mean", "Gennemsnit", bm);
	web_option(b, "median", "Median", bm);
	web_option(b, "lowest-quartile", "Nedre kvartil", bm);
	ib_buf_adds(b, "</select></label>\n");
}

static void form_html(web_ctx *c)
{
	ib_buf *b = &c->r->body;
	web_comparison_form(c, "/sammenlign", "Sammenligning");
	ib_buf_adds(b, "<label>Fagområde<select name=\"omraade\">");
	const char *area = ib_area_canonical(web_param0(c, "omraade"));
	for (size_t i = 0; i < ib_n_areas; i++)
		web_option(b, ib_areas[i], ib_areas[i], area ? area : "Ældre og sundhed");
	ib_buf_adds(b, "</select></label>\n<label>eller funktion (REGK31)<input name=\"funktion\" "
		       "placeholder=\"fx 3.22.01\" value=\"");
	web_html(b, web_param0(c, "funktion"));
	ib_buf_adds(b, "\"></label>\n<label>Regnskabsår<input name=\"aar\" inputmode=\"numeric\" "
		       "placeholder=\"seneste\" value=\"");
	web_html(b, web_param0(c, "aar"));
	ib_buf_adds(b, "\"></label>\n");
	web_peer_fields(c);
	web_state_inputs(c);
	ib_buf_adds(b, "<button>Sammenlign</button>\n</form>\n");
}

/* A legend's colour and its words, kept on one line together (a narrow screen wraps
 * between keys, never between a colour and its label); with rank, "(rang N)". */
static void legend_key(ib_buf *b, const char *cls, const char *text, int rank)
{
	ib_buf_addf(b, "<span class=\"key\"><span class=\"sw %s\"></span>", cls);
	web_html(b, text);
	if (rank)
		ib_buf_addf(b, " (rang %d)", rank);
	ib_buf_adds(b, "</span> ");
}

static int is_peer(const ib_peer_set *p, int code)
{
	for (size_t j = 0; j < p->n_peers; j++)
		if (p->peers[j].code == code)
			return 1;
	return 0;
}

/* All municipalities as columns, lowest spending left; own red, peers blue, the
 * benchmark a black line.  Bars only: the words are in the caption, readable at any
 * width. */
static void chart(ib_buf *b, const ib_peer_set *p)
{
	const double W = 1000, H = 200;
	double max = 0;
	for (size_t i = 0; i < p->n_all; i++)
		if (p->all[i].kr > max)
			max = p->all[i].kr;
	if (max <= 0 || !p->n_all)
		return;
	double bw = W / (double)p->n_all;
	ib_buf_addf(b,
		    "<figure>\n<svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" "
		    "preserveAspectRatio=\"none\" role=\"img\" aria-labelledby=\"chart-title\" "
		    "xmlns=\"http://www.w3.org/2000/svg\">\n<title id=\"chart-title\">",
		    W, H);
	web_html(b, p->what);
	ib_buf_addf(b, ", kr. pr. indbygger %d, alle %zu kommuner</title>\n", p->year, p->n_all);
	for (size_t i = 0; i < p->n_all; i++) {
		const ib_peer_row *r = &p->all[i];
		double h = r->kr > 0 ? r->kr / max * H : 0;
		int own = r->code == p->self.code, peer = is_peer(p, r->code);
		ib_buf_addf(
		    b,
		    "<rect class=\"%s\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" "
		    "fill=\"%s\"><title>",
		    own	   ? "own"
		    : peer ? "peer"
			   : "other",
		    (double)i * bw + bw * 0.1, H - h, bw * 0.8, h,
		    own	   ? "#c0392b"
		    : peer ? "#0b57a4"
			   : "#bbbbbb");
		web_html(b, r->name);
		ib_buf_adds(b, ": ");
		web_num(b, r->kr, 0);
		ib_buf_addf(b, " kr. (rang %d)</title></rect>\n", r->rank);
	}
	if (!ib_is_na(p->benchmark)) {
		double y = H - p->benchmark / max * H;
		ib_buf_addf(b,
			    "<line class=\"bench\" x1=\"0\" x2=\"%.0f\" y1=\"%.2f\" y2=\"%.2f\" "
			    "stroke=\"#222\" stroke-width=\"2\" "
			    "vector-effect=\"non-scaling-stroke\"/>\n",
			    W, y, y);
	}
	ib_buf_adds(b, "</svg>\n<figcaption class=\"legend\">Alle ");
	ib_buf_addf(b, "%zu kommuner, lavest udgift til venstre, højest ", p->n_all);
	web_num(b, max, 0);
	ib_buf_adds(b, " kr.: ");
	legend_key(b, "l-own", p->self.name, p->own_rank);
	legend_key(b, "l-peer", "sammenligningskommuner", 0);
	legend_key(b, "l-other", "øvrige", 0);
	legend_key(b, "l-bench", "benchmark", 0);
	ib_buf_adds(b, "</figcaption>\n</figure>\n");
}

/* One horizontal bar: name, bar (with the benchmark's place as a line), kr. */
static void hbar(ib_buf *b, const char *name, int own, double kr, double max, double bench)
{
	ib_buf_addf(b, "<li%s><span>", own ? " class=\"own\"" : "");
	web_html(b, name);
	ib_buf_adds(b, "</span><svg viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" "
		       "aria-hidden=\"true\" focusable=\"false\">");
	if (kr > 0 && max > 0)
		ib_buf_addf(b, "<rect class=\"%s\" width=\"%.2f\" height=\"10\" fill=\"%s\"/>",
			    own ? "own" : "peer", kr / max * 100, own ? "#c0392b" : "#0b57a4");
	if (!ib_is_na(bench) && max > 0)
		ib_buf_addf(b,
			    "<line x1=\"%.2f\" x2=\"%.2f\" y1=\"0\" y2=\"10\" stroke=\"#222\" "
			    "stroke-width=\"2\" vector-effect=\"non-scaling-stroke\"/>",
			    bench / max * 100, bench / max * 100);
	ib_buf_adds(b, "</svg><span class=\"v\">");
	web_num(b, kr, 0);
	ib_buf_adds(b, " kr.</span></li>\n");
}

/* The comparison as horizontal bars: own and peers by spending, then the benchmark. */
static void hbars(ib_buf *b, const peers_req *pr, const ib_peer_set *p)
{
	double max = p->own_kr;
	for (size_t i = 0; i < p->n_peers; i++)
		if (p->peers[i].kr > max)
			max = p->peers[i].kr;
	if (!ib_is_na(p->benchmark) && p->benchmark > max)
		max = p->benchmark;
	ib_buf_adds(b, "<h3>Kr. pr. indbygger mod sammenligningskommunerne</h3>\n<ol "
		       "class=\"hbars\">\n");
	int own_shown = 0;
	for (size_t i = 0; i < p->n_peers; i++) {
		if (!own_shown && p->peers[i].kr > p->own_kr) {
			hbar(b, p->self.name, 1, p->own_kr, max, p->benchmark);
			own_shown = 1;
		}
		hbar(b, p->peers[i].name, 0, p->peers[i].kr, max, p->benchmark);
	}
	if (!own_shown)
		hbar(b, p->self.name, 1, p->own_kr, max, p->benchmark);
	char label[64];
	snprintf(label, sizeof label, "Benchmark (%s)", pr->benchmark_name);
	ib_buf_adds(b, "</ol>\n<p class=\"note legend\">");
	legend_key(b, "l-own", p->self.name, 0);
	legend_key(b, "l-peer", "sammenligningskommuner", 0);
	ib_buf m;
	ib_buf_init(&m, 0);
	ib_buf_addf(&m, "%s: ", label);
	web_num(&m, p->benchmark, 0);
	ib_buf_adds(&m, " kr.");
	legend_key(b, "l-bench", ib_buf_str(&m), 0);
	ib_buf_free(&m);
	ib_buf_adds(b, "</p>\n");
}

/* One row of the ranking table (cli_peer_rows): the own row marked. */
static void table_row(const cli_peer_line *l, void *ctx)
{
	web_ctx *c = ((void **)ctx)[0];
	const cli_cols_ctx *x = ((void **)ctx)[1];
	ib_buf *b = &c->r->body;
	ib_buf_adds(b, l->role == PEER_ROLE_OWN ? "<tr class=\"own\">" : "<tr>");
	web_cols_cells(b, cli_peer_cols, cli_peer_view, l, x);
	ib_buf_adds(b, "</tr>\n");
}

static void result_html(web_ctx *c, const peers_req *pr, const ib_peer_set *p)
{
	ib_buf *b = &c->r->body;
	ib_buf_adds(b, "<h2>");
	web_html(b, p->self.name);
	ib_buf_addf(b, " (%03d): ", p->self.code);
	web_html(b, p->what);
	ib_buf_addf(b, ", %d</h2>\n<p class=\"note\">Kilde: ", p->year);
	web_html(b, p->source);
	ib_buf_addf(b,
		    "; regnskabsårets udgifter i løbende priser (%d-kroner), pr. indbygger i "
		    "%d. Sammenlignet med: ",
		    p->year, p->year);
	web_html(b, p->method);
	ib_buf_addf(b, " (%zu %s); benchmark: ", p->n_peers,
		    p->n_peers == 1 ? "kommune" : "kommuner");
	web_html(b, pr->benchmark_name);
	ib_buf_adds(b, ".</p>\n");
	if (*p->note) {
		ib_buf_adds(b, "<p class=\"note\">");
		web_html(b, p->note);
		ib_buf_adds(b, "</p>\n");
	}
	ib_buf_adds(b, "<div class=\"sum\"><p>Egen udgift: <strong>");
	web_num(b, p->own_kr, 0);
	ib_buf_addf(b,
		    " kr. pr. indbygger</strong> (rang %d af %d; 1 = lavest). Benchmark: "
		    "<strong>",
		    p->own_rank, p->n_ranked);
	web_num(b, p->benchmark, 0);
	ib_buf_adds(b, " kr. pr. indbygger</strong>.</p>\n<p>Mulighedsrum: <strong>");
	web_num(b, ib_is_na(p->mulighedsrum_kr) ? IB_NA : round(p->mulighedsrum_kr), 0);
	ib_buf_adds(b, " kr. om året</strong> (");
	web_num(b, ib_is_na(p->mulighedsrum_share) ? IB_NA : p->mulighedsrum_share * 100, 1);
	ib_buf_adds(b, " % af egen udgift): forskellen pr. indbygger × ");
	web_num(b, (double)p->inhabitants, 0);
	ib_buf_addf(b,
		    " indbyggere, folketallet i regnskabsåret %d, som udgifterne er opgjort "
		    "med.",
		    p->population_year);
	if (!ib_is_na(p->mulighedsrum_kr) && p->mulighedsrum_kr < 0) {
		ib_buf_adds(b, " ");
		web_html(b, p->self.name);
		ib_buf_adds(b, " bruger allerede mindre end benchmark.");
	}
	ib_buf_adds(b, "</p>");
	if (c->has_pj && c->pj.year != p->population_year) {
		ib_buf_adds(b, "<p class=\"note\">Min kommune skalerer forslag med det seneste "
			       "folketal (");
		web_num(b, (double)c->pj.inhabitants, 0);
		ib_buf_addf(b,
			    ", %d), fordi et forslag gennemføres nu; her gælder "
			    "regnskabsårets.</p>",
			    c->pj.year);
	}
	ib_buf_adds(b, "</div>\n");
	hbars(b, pr, p);
	/* the nearest peers: how near each is (as peers prints it) */
	int with_distance = *p->indicators != '\0';
	ib_buf_adds(b, "<table class=\"rank\"");
	if (with_distance)
		ib_buf_adds(b, " aria-describedby=\"afstand\"");
	ib_buf_adds(b, ">\n<caption>Rang blandt alle kommuner (1 = lavest udgift)</caption>\n"
		       "<thead><tr>");
	cli_cols_ctx x = cli_peer_ctx(p);
	web_cols_head(b, cli_peer_cols, cli_peer_view, &x);
	ib_buf_adds(b, "</tr></thead>\n<tbody>\n");
	cli_peer_rows(p, pr->benchmark_name, 1, table_row, (void *[]){c, &x});
	ib_buf_adds(b, "</tbody></table>\n");
	if (with_distance) {
		ib_buf_adds(b, "<p class=\"note\" id=\"afstand\">Afstand: hvor forskellig kommunen "
			       "er fra ");
		web_html(b, p->self.name);
		ib_buf_adds(b, " på ");
		web_html(b, p->indicators);
		ib_buf_adds(b,
			    ". 0 er ens; jo større tal, jo mere forskellig. Hvert tal måles i "
			    "standardafvigelser over alle kommuner; kommunegruppen (Danmarks "
			    "Statistiks) tæller 0, når kommunen er i samme gruppe, og 1, når den "
			    "er i en anden. Afstanden er kvadratroden af summen af de kvadrerede "
			    "forskelle.</p>\n");
	}
	ib_buf_adds(b, "<h3>Alle kommuner</h3>\n");
	chart(b, p);
	if (p->area) {
		ib_buf_adds(b, "<p><a href=\"");
		web_href(b, c, "/", NULL, "omraade", p->area, "sort", "score", "for", p->self.name,
			 NULL);
		ib_buf_adds(b, "\">Se idéer inden for ");
		web_html(b, p->area);
		ib_buf_adds(b, ", skaleret til ");
		web_html(b, p->self.name);
		ib_buf_adds(b, "</a></p>\n");
	}
	ib_buf_adds(b, "<p><a class=\"to-room\" href=\"");
	web_href(b, c, "/raaderum",
		 (const char *const[]){"metode", "n", "k", "liste", "benchmark", "aar", NULL},
		 "kommune", p->self.name, NULL);
	ib_buf_adds(b, "\">Se råderummet på alle fagområder for ");
	web_html(b, p->self.name);
	ib_buf_adds(b, "</a></p>\n");
}

void web_peers(web_ctx *c, int format)
{
	peers_req pr;
	ib_peer_set *p = NULL;
	ib_error err = {0};
	int asked = format != WEB_HTML || *web_param0(c, "kommune") || c->has_pj;
	int ok = asked && parse(c, &pr) == 0 && ib_peers(c->s, &pr.o, &p, &err) == IB_OK;
	if (asked && !ok && err.rc) {
		peers_error_da(c, &pr, &err, pr.da, sizeof pr.da);
		snprintf(pr.en, sizeof pr.en, "%s", err.msg);
	}
	if (format != WEB_HTML) {
		if (ok)
			web_json(c, cli_peers_json(p, pr.benchmark_name));
		else
			web_api_error(c, 400, pr.da, pr.en);
		ib_peer_set_free(p);
		return;
	}
	web_page_head(c, "Sammenlign udgifter", "sammenlign");
	ib_buf_adds(&c->r->body, "<h2>Sammenlign udgifter med andre kommuner</h2>\n");
	form_html(c);
	if (asked && !ok) {
		c->r->status = 400;
		web_page_error_suggest(c, pr.da, pr.suggest_key,
				       pr.suggest_key ? pr.suggest : NULL);
	} else if (ok) {
		result_html(c, &pr, p);
	} else {
		ib_buf_adds(
		    &c->r->body,
		    "<p>Vælg en kommune og et fagområde: siden viser udgiften pr. indbygger "
		    "mod sammenlignelige kommuner, mulighedsrummet og idéer at hente.</p>\n");
	}
	ib_peer_set_free(p);
	web_page_foot(c);
}
