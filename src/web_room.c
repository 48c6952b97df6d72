/* web_room.c - "Råderum" (/raaderum) and /api/raaderum: the report of `ideabank room`
 * (index/room.c) in a browser.  The overview table (the columns of cli_room_cols), one
 * small line per area over the years held drawn as SVG on the server (index against
 * the benchmark, every line on the same scale, a gap where a year has no figures),
 * then per area its functions, the comparison per person of the target group and the
 * bank's ideas scaled to the municipality.  /raaderum.css prints it on A4: no
 * navigation or form, the charts kept, each area on a page of its own, the sources and
 * the date of the figures at the foot. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web_int.h"

const char web_room_css[] =
    "table.room td.spark{width:11em}svg.spark{width:10em;height:2.4em;display:block}\n"
    "svg.trend{width:100%;max-width:40em;height:auto;display:block}\n"
    "section.area{border-top:1px solid #ccc;margin-top:1.5em}\n"
    "section.area h3{margin:.8em 0 .3em}\n"
    "ol.ideas{padding-left:1.4em}ol.ideas li{margin:.3em 0}\n"
    /* room to free money is good news: green, not the red of a warning */
    ".pos{color:#1a6b1a;font-weight:bold}\n"
    "footer.kilder{margin-top:2em;border-top:2px solid #0b57a4;padding-top:.5em;"
    "font-size:.85em;color:#444}\n"
    "figure{margin:1em 0}\n"
    "@media (max-width:44em){table.room td.spark{width:auto}svg.spark{width:8em}"
    "table.cards td.why{display:block;text-align:left}table.cards td.why::before{display:block}}\n"
    "@page{size:A4;margin:15mm}\n"
    "@media print{body{max-width:none;padding:0;font-size:10pt}"
    "header,nav,form,footer:not(.kilder),.noprint{display:none!important}"
    "a{color:inherit;text-decoration:none}"
    "section.area{break-before:page;border-top:0;margin-top:0}"
    "svg,table,tr{break-inside:avoid}"
    "table.cards thead{display:table-header-group}table.cards tr{display:table-row}"
    "table.cards td{display:table-cell}table.cards td::before{content:none}"
    "footer.kilder{break-inside:avoid}}\n";

typedef struct room_req {
	ib_room_opts o;
	const char *benchmark_name;
	char da[700], en[700];
} room_req;

static int bad(room_req *rr, const char *da, const char *en)
{
	snprintf(rr->da, sizeof rr->da, "%s", da);
	snprintf(rr->en, sizeof rr->en, "%s", en);
	return -1;
}

static int parse(web_ctx *c, room_req *rr)
{
	memset(rr, 0, sizeof *rr);
	if (web_peer_opts(c, &rr->o.peer, &rr->benchmark_name, rr->da, rr->en, sizeof rr->da))
		return -1;
	rr->o.n_ideas = 3;
	const char *v = web_param0(c, "maal");
	if (!*v || !strcmp(v, "indbygger"))
		rr->o.measure = IB_ROOM_PER_INHABITANT;
	else if (!strcmp(v, "maalgruppe"))
		rr->o.measure = IB_ROOM_PER_TARGET;
	else
		return bad(rr, "Mål skal være pr. indbygger eller pr. person i målgruppen.",
			   "maal: expected indbygger or maalgruppe");
	v = web_param0(c, "gruppe");
	if (*v) {
		rr->o.target_group = v;
		rr->o.measure = IB_ROOM_PER_TARGET;
	}
	v = web_param0(c, "funktioner");
	rr->o.functions = *v && strcmp(v, "0") && strcmp(v, "nej");
	if (!*rr->o.peer.kommune)
		return bad(rr, "Vælg en kommune.", "kommune is required");
	ib_municipality m;
	if (!web_find_municipality(c, rr->o.peer.kommune, &m, rr->da, rr->en, sizeof rr->da))
		return -1;
	return 0;
}

static void form_html(web_ctx *c, const ib_target_group *groups, size_t n_groups)
{
	ib_buf *b = &c->r->body;
	web_comparison_form(c, "/raaderum", "Råderum");
	ib_buf_adds(b, "<label>Regnskabsår<input name=\"aar\" inputmode=\"numeric\" "
		       "placeholder=\"seneste\" value=\"");
	web_html(b, web_param0(c, "aar"));
	ib_buf_adds(b, "\"></label>\n");
	web_peer_fields(c);
	ib_buf_adds(b, "<label>Mål<select name=\"maal\">");
	const char *m = web_param0(c, "maal");
	web_option(b, "indbygger", "Kr. pr. indbygger", m);
	web_option(b, "maalgruppe", "Kr. pr. person i målgruppen", m);
	ib_buf_adds(b, "</select></label>\n<label>Målgruppe<select name=\"gruppe\">");
	const char *g = web_param0(c, "gruppe");
	web_option(b, "", "Områdets første", g);
	for (size_t i = 0; i < n_groups; i++) {
		char label[128];
		snprintf(label, sizeof label, "%s (%s)", groups[i].name, groups[i].area);
		web_option(b, groups[i].name, label, g);
	}
	ib_buf_adds(b, "</select></label>\n<label>Vis<select name=\"funktioner\">");
	const char *f = web_param0(c, "funktioner");
	web_option(b, "", "Fagområder", f);
	web_option(b, "1", "Alle funktioner", f);
	ib_buf_adds(b, "</select></label>\n");
	web_state_inputs(c);
	ib_buf_adds(b, "<button>Vis råderum</button>\n</form>\n");
}

/* ---- the lines over the years ----------------------------------------------------- */

typedef struct scale {
	double lo, hi; /* index range shared by every chart */
} scale;

static scale common_scale(const ib_room_report *r)
{
	scale s = {100, 100};
	for (size_t i = 0; i < r->n_lines; i++)
		for (size_t y = 0; y < r->n_years; y++) {
			const ib_room_cell *c = &r->lines[i].cells[y];
			if (!c->ok || ib_is_na(c->index))
				continue;
			if (c->index < s.lo)
				s.lo = c->index;
			if (c->index > s.hi)
				s.hi = c->index;
		}
	/* round out to tens, so the scale reads well */
	s.lo = floor(s.lo / 10) * 10;
	s.hi = ceil(s.hi / 10) * 10;
	if (s.hi <= s.lo)
		s.hi = s.lo + 10;
	return s;
}

/* The line of l's index over the years in a w x h box (pad inside): one polyline per
 * run of years with figures, a dot for a lone year, the benchmark (100) dashed. */
static void trend_path(ib_buf *b, const ib_room_report *r, const ib_room_line *l, scale s, double w,
		       double h, double pad_x, double pad_y)
{
	double plot_w = w - 2 * pad_x, plot_h = h - 2 * pad_y;
	double step = r->n_years > 1 ? plot_w / (double)(r->n_years - 1) : 0;
#define Y_OF(v) (pad_y + plot_h - ((v)-s.lo) / (s.hi - s.lo) * plot_h)
	ib_buf_addf(b,
		    "<line class=\"bench\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
		    "stroke=\"#888\" stroke-width=\"1\" stroke-dasharray=\"3 2\"/>",
		    pad_x, w - pad_x, Y_OF(100.0), Y_OF(100.0));
	size_t y = 0;
	while (y < r->n_years) {
		while (y < r->n_years && !(l->cells[y].ok && !ib_is_na(l->cells[y].index)))
			y++;
		size_t start = y;
		while (y < r->n_years && l->cells[y].ok && !ib_is_na(l->cells[y].index))
			y++;
		if (y == start)
			break;
		if (y - start == 1) {
			ib_buf_addf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2\" fill=\"#0b57a4\"/>",
				    pad_x + (double)start * step, Y_OF(l->cells[start].index));
			continue;
		}
		ib_buf_adds(b, "<polyline fill=\"none\" stroke=\"#0b57a4\" stroke-width=\"2\" "
			       "points=\"");
		for (size_t k = start; k < y; k++)
			ib_buf_addf(b, "%s%.1f,%.1f", k > start ? " " : "",
				    pad_x + (double)k * step, Y_OF(l->cells[k].index));
		ib_buf_adds(b, "\"/>");
	}
#undef Y_OF
}

/* Words for a chart's title: "Udsatte børn: indeks mod benchmark 2016-2024, 115 til
 * 100; 2016 og 2017 uden tal". */
static void trend_title(ib_buf *b, const ib_room_report *r, const ib_room_line *l)
{
	char label[360];
	web_html(b, cli_room_label(l, label, sizeof label));
	ib_buf_addf(b, ": indeks mod benchmark (100), %d-%d", r->years[0],
		    r->years[r->n_years - 1]);
	int gaps = 0;
	for (size_t y = 0; y < r->n_years; y++)
		if (!l->cells[y].ok) {
			ib_buf_addf(b, "%s%d", gaps++ ? ", " : "; uden tal: ", r->years[y]);
		}
}

static void spark(ib_buf *b, const ib_room_report *r, const ib_room_line *l, scale s)
{
	ib_buf_adds(b, "<svg class=\"spark\" viewBox=\"0 0 120 30\" role=\"img\" "
		       "xmlns=\"http://www.w3.org/2000/svg\"><title>");
	trend_title(b, r, l);
	ib_buf_adds(b, "</title>");
	trend_path(b, r, l, s, 120, 30, 3, 3);
	ib_buf_adds(b, "</svg>");
}

/* The area's chart: the line with the years below and the scale at the left. */
static void trend(ib_buf *b, const ib_room_report *r, const ib_room_line *l, scale s)
{
	const double W = 600, H = 170, px = 40, py = 14;
	ib_buf_addf(b,
		    "<figure><svg class=\"trend\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
		    "xmlns=\"http://www.w3.org/2000/svg\"><title>",
		    W, H + 20);
	trend_title(b, r, l);
	ib_buf_adds(b, "</title>");
	trend_path(b, r, l, s, W, H, px, py);
	double plot_h = H - 2 * py,
	       step = r->n_years > 1 ? (W - 2 * px) / (double)(r->n_years - 1) : 0;
	for (size_t y = 0; y < r->n_years; y++)
		ib_buf_addf(b,
			    "<text x=\"%.1f\" y=\"%.0f\" font-size=\"12\" text-anchor=\"middle\" "
			    "fill=\"%s\">%d</text>",
			    px + (double)y * step, H + 14, l->cells[y].ok ? "#222" : "#aaa",
			    r->years[y]);
	double marks[] = {s.lo, 100, s.hi};
	for (int i = 0; i < 3; i++) {
		double yv = py + plot_h - (marks[i] - s.lo) / (s.hi - s.lo) * plot_h;
		ib_buf_addf(b,
			    "<text x=\"%.0f\" y=\"%.1f\" font-size=\"12\" text-anchor=\"end\">%.0f"
			    "</text>",
			    px - 6, yv + 4, marks[i]);
	}
	ib_buf_adds(b, "</svg><figcaption class=\"note\">Indeks: egen udgift mod benchmark "
		       "(100) hvert år; rang 1 = lavest. ");
	for (size_t y = 0; y < r->n_years; y++) {
		const ib_room_cell *c = &l->cells[y];
		ib_buf_addf(b, "%s%d: ", y ? " · " : "", c->year);
		if (c->ok && !ib_is_na(c->index)) {
			web_num(b, c->index, 0);
			ib_buf_addf(b, " (rang %d)", c->rank);
		} else {
			ib_buf_adds(b, "uden tal");
		}
	}
	ib_buf_adds(b, "</figcaption></figure>\n");
}

/* ---- the page --------------------------------------------------------------------- */

static void overview(web_ctx *c, const ib_room_report *r, const cli_cols_ctx *x, scale s)
{
	ib_buf *b = &c->r->body;
	int functions = r->n_lines && *r->lines[0].code;
	ib_buf_addf(b, "<div class=\"wrap\"><table class=\"cards room\">\n<thead><tr><th>%s</th>",
		    functions ? "Funktion" : "Fagområde");
	web_cols_head(b, cli_room_cols, cli_room_view, x);
	ib_buf_addf(b, "<th>Udvikling %d-%d</th></tr></thead>\n<tbody>\n", r->years[0],
		    r->years[r->n_years - 1]);
	for (size_t i = 0; i < r->n_lines; i++) {
		const ib_room_line *l = &r->lines[i];
		char label[360];
		ib_buf_addf(b, "<tr><td class=\"t\"><a href=\"#l%zu\">", i + 1);
		web_html(b, cli_room_label(l, label, sizeof label));
		ib_buf_adds(b, "</a>");
		if (l->uses_target) {
			ib_buf_adds(b, " <span class=\"note\">pr. person ");
			web_html(b, l->group->name);
			ib_buf_adds(b, "</span>");
		}
		if (!l->main) {
			ib_buf_addf(b, " <span class=\"note\">(ingen tal for %d)</span>", r->year);
		}
		ib_buf_adds(b, "</td>");
		cli_room_row row = {l, NULL, NULL};
		web_cols_cells(b, cli_room_cols, cli_room_view, &row, x);
		ib_buf_adds(b, "<td class=\"spark\" data-l=\"Udvikling\">");
		spark(b, r, l, s);
		ib_buf_adds(b, "</td></tr>\n");
	}
	ib_buf_adds(b, "</tbody></table></div>\n");
}

static void target_line(ib_buf *b, const ib_room_line *l)
{
	const ib_peer_set *o = l->uses_target ? l->per_inhabitant : l->per_target;
	if (!o)
		return;
	ib_buf_adds(b, "<p class=\"target\">");
	if (l->uses_target)
		ib_buf_adds(b, "Pr. indbygger");
	else {
		ib_buf_adds(b, "Pr. person ");
		web_html(b, l->group->name);
		ib_buf_addf(b, " (FOLK1A %d)", l->age_year);
	}
	ib_buf_adds(b, ": egen <strong>");
	web_num(b, o->own_kr, 0);
	ib_buf_adds(b, " kr.</strong>, benchmark ");
	web_num(b, o->benchmark, 0);
	ib_buf_addf(b, " kr., rang %d af %d, mulighedsrum ", o->own_rank, o->n_ranked);
	web_num(b, ib_is_na(o->mulighedsrum_kr) ? IB_NA : round(o->mulighedsrum_kr), 0);
	ib_buf_adds(b, " kr.");
	if (!l->uses_target && l->group) {
		ib_buf_adds(b, " <span class=\"note\">(");
		web_html(b, l->group->reason);
		ib_buf_adds(b, ")</span>");
	}
	ib_buf_adds(b, "</p>\n");
}

static void parts_table(ib_buf *b, const ib_room_line *l, const cli_cols_ctx *x)
{
	if (!l->n_parts)
		return;
	ib_buf_adds(b, "<table class=\"cards parts\">\n<thead><tr><th>Funktion (REGK31)</th>");
	web_cols_head(b, cli_room_cols, cli_room_parts_view, x);
	ib_buf_adds(b, "<th>Hvorfor her</th></tr></thead>\n<tbody>\n");
	for (size_t k = 0; k < l->n_parts; k++) {
		const ib_room_line *p = &l->parts[k];
		char label[360];
		ib_buf_adds(b, "<tr><td class=\"t\">");
		web_html(b, cli_room_label(p, label, sizeof label));
		ib_buf_adds(b, "</td>");
		cli_room_row row = {p, NULL, NULL};
		web_cols_cells(b, cli_room_cols, cli_room_parts_view, &row, x);
		ib_buf_adds(b, "<td class=\"why\" data-l=\"Hvorfor\">");
		web_html(b, p->reason);
		ib_buf_adds(b, "</td></tr>\n");
	}
	ib_buf_adds(b, "</tbody></table>\n");
}

static void ideas_html(web_ctx *c, const ib_room_report *r, const ib_room_line *l)
{
	ib_buf *b = &c->r->body;
	if (!l->ideas)
		return;
	cli_projection pj = cli_room_projection(r);
	ib_buf_adds(b, "<h4>Det har andre gjort</h4>\n");
	if (!l->ideas->n) {
		ib_buf_adds(b, "<p class=\"noideas\">Ingen idéer i banken inden for ");
		web_html(b, l->area);
		ib_buf_adds(b, ".</p>\n");
		return;
	}
	ib_buf_adds(b, "<ol class=\"ideas\">\n");
	for (size_t i = 0; i < l->ideas->n; i++) {
		const ib_hit *h = &l->ideas->hits[i];
		char id[24];
		snprintf(id, sizeof id, "/forslag/%lld", (long long)h->id);
		ib_buf_adds(b, "<li><a href=\"");
		web_href(b, c, id, NULL, "for", r->self.name, NULL);
		ib_buf_adds(b, "\">");
		web_html(b, h->title);
		ib_buf_adds(b, "</a> – ");
		web_html(b, h->kommune);
		ib_buf_addf(b, " %d, %s. I ", h->budget_year,
			    h->adopted == 1   ? "vedtaget"
			    : h->adopted == 0 ? "ikke vedtaget"
					      : "vedtagelse ukendt");
		web_html(b, r->self.name);
		ib_buf_adds(b, ": <strong class=\"proj\">");
		web_num(b, ib_is_na(cli_projected(h, &pj)) ? IB_NA : round(cli_projected(h, &pj)),
			0);
		ib_buf_adds(b, " kr.</strong> om året</li>\n");
	}
	ib_buf_adds(b, "</ol>\n");
	ib_buf_addf(b, "<p class=\"more\"><a href=\"");
	web_href(b, c, "/", NULL, "omraade", l->area, "sort", "score", "for", r->self.name, NULL);
	ib_buf_addf(b, "\">Alle %zu idéer inden for ", l->ideas->total);
	web_html(b, l->area);
	ib_buf_adds(b, ", skaleret til ");
	web_html(b, r->self.name);
	ib_buf_adds(b, "</a></p>\n");
}

static void area_sections(web_ctx *c, const ib_room_report *r, const cli_cols_ctx *x, scale s)
{
	ib_buf *b = &c->r->body;
	for (size_t i = 0; i < r->n_lines; i++) {
		const ib_room_line *l = &r->lines[i];
		char label[360], unit[64];
		ib_buf_addf(b, "<section class=\"area\" id=\"l%zu\">\n<h3>", i + 1);
		web_html(b, cli_room_label(l, label, sizeof label));
		ib_buf_adds(b, "</h3>\n<p class=\"sumline\">");
		if (!l->main) {
			ib_buf_addf(b, "Ingen tal for %d.", r->year);
		} else {
			ib_buf_adds(b, "Mulighedsrum <strong>");
			web_num(b, round(l->main->mulighedsrum_kr), 0);
			ib_buf_adds(b, " kr.</strong> om året (");
			web_num(b,
				ib_is_na(l->main->mulighedsrum_share)
				    ? IB_NA
				    : l->main->mulighedsrum_share * 100,
				1);
			ib_buf_adds(b, " % af egen udgift): egen ");
			web_num(b, l->main->own_kr, 0);
			ib_buf_adds(b, ", benchmark ");
			web_num(b, l->main->benchmark, 0);
			ib_buf_adds(b, " ");
			web_html(b, cli_room_unit(l, unit, sizeof unit));
			ib_buf_addf(b, ", rang %d af %d; ", l->main->own_rank, l->main->n_ranked);
			web_num(b, (double)l->main->inhabitants, 0);
			ib_buf_addf(b, " %s (%d).",
				    l->uses_target ? "personer i målgruppen" : "indbyggere",
				    l->main->population_year);
			if (l->main->mulighedsrum_kr < 0) {
				ib_buf_adds(b, " ");
				web_html(b, r->self.name);
				ib_buf_adds(b, " bruger allerede mindre end benchmark.");
			}
		}
		ib_buf_adds(b, "</p>\n");
		target_line(b, l);
		trend(b, r, l, s);
		parts_table(b, l, x);
		if (l->reason[0]) {
			ib_buf_adds(b, "<p class=\"note\">Fagområde: ");
			web_html(b, l->area ? l->area : "intet");
			ib_buf_adds(b, " – ");
			web_html(b, l->reason);
			ib_buf_adds(b, "</p>\n");
		}
		ideas_html(c, r, l);
		if (l->area) {
			ib_buf_adds(b, "<p class=\"noprint\"><a href=\"");
			web_href(b, c, "/sammenlign",
				 (const char *const[]){"metode", "n", "k", "liste", "benchmark",
						       "aar", NULL},
				 "kommune", r->self.name, "omraade", l->area, "funktion", l->code,
				 NULL);
			ib_buf_adds(b, "\">Sammenlign ");
			web_html(b, *l->code ? l->code : l->area);
			ib_buf_adds(b, " med alle kommuner</a></p>\n");
		}
		ib_buf_adds(b, "</section>\n");
	}
}

/* The sources, and how old the figures are. */
static void sources(web_ctx *c, const ib_room_report *r)
{
	ib_buf *b = &c->r->body;
	ib_buf_adds(b, "<footer class=\"kilder\"><p><strong>Kilder.</strong> Udgifter: ");
	web_html(b, r->source);
	ib_buf_adds(b, "; kr. er løbende priser, så beløb fra forskellige år er ikke "
		       "prisregulerede – indeks og rang er. ");
	if (*r->fetched) {
		ib_buf_adds(b, "Hentet fra Statistikbanken ");
		web_html(b, r->fetched);
		if (*r->table_updated) {
			ib_buf_adds(b, " (tabellen opdateret ");
			web_html(b, r->table_updated);
			ib_buf_adds(b, ")");
		}
		ib_buf_adds(b, ". ");
	} else {
		ib_buf_addf(b, "Fra ideabanks referencefiler (data/regk31_%d.csv ff.). ", r->year);
	}
	ib_buf_adds(b, "Indbyggere: Danmarks Statistik, FOLK1A/FOLK1AM, 1. januar i året. ");
	if (*r->age_source) {
		ib_buf_adds(b, "Målgrupper: ");
		web_html(b, r->age_source);
		ib_buf_adds(b, " (data/target_groups.csv). ");
	}
	ib_buf_adds(b, "Fagområder: de REGK31-funktioner, data/area_functions.csv lægger i "
		       "området (grunden står ved hver funktion). Idéer: kommunernes "
		       "offentliggjorte budgetforslag, projiceret med ");
	web_num(b, (double)r->projection_inhabitants, 0);
	ib_buf_addf(b, " indbyggere (%d; ", r->projection_year);
	web_html(b, r->projection_source);
	ib_buf_adds(b, ").</p></footer>\n");
}

static void result_html(web_ctx *c, const room_req *rr, const ib_room_report *r)
{
	ib_buf *b = &c->r->body;
	ib_buf_adds(b, "<h2 class=\"title\">Råderum: ");
	web_html(b, r->self.name);
	ib_buf_addf(b,
		    " (%03d), regnskab %d</h2>\n<p class=\"note\">Sammenlignet med: ", r->self.code,
		    r->year);
	web_html(b, r->method);
	ib_buf_adds(b, "; benchmark: ");
	web_html(b, rr->benchmark_name);
	ib_buf_adds(b, "; ");
	ib_buf_adds(b, r->measure == IB_ROOM_PER_TARGET
			   ? "kr. pr. person i områdets målgruppe, hvor der er tal for alder, "
			     "ellers pr. indbygger"
			   : "kr. pr. indbygger");
	ib_buf_adds(b, ". Kr. er løbende priser.</p>\n<div class=\"sum\"><p>Mulighedsrum i alt: "
		       "<strong>");
	web_num(b, round(r->total_positive_kr), 0);
	ib_buf_addf(b, " kr. om året</strong> – summen af de %zu ", r->n_positive);
	ib_buf_adds(b, r->n_lines && *r->lines[0].code ? "funktioner" : "fagområder");
	ib_buf_adds(b, ", hvor ");
	web_html(b, r->self.name);
	ib_buf_adds(b, " bruger mere end benchmark.</p>");
	/* what the kr. are scaled by, and how to read the rank */
	const ib_peer_set *m = NULL;
	int target = 0;
	for (size_t i = 0; i < r->n_lines; i++) {
		target |= r->lines[i].uses_target;
		if (!m && r->lines[i].main && !r->lines[i].uses_target)
			m = r->lines[i].main;
	}
	ib_buf_adds(b, "<p class=\"note\">Mulighedsrum = (egen udgift − benchmark) × ");
	if (m) {
		web_num(b, (double)m->inhabitants, 0);
		ib_buf_addf(b, " indbyggere (%d)", m->population_year);
	}
	if (target)
		ib_buf_adds(b, m ? ", pr. målgruppe × personer i målgruppen"
				 : "personer i målgruppen");
	ib_buf_adds(b, "; rang 1 = lavest udgift, af = kommunerne med tal.</p></div>\n");
	scale s = common_scale(r);
	cli_room_aux a = {r, NULL, NULL};
	cli_cols_ctx x = cli_room_ctx(&a);
	overview(c, r, &x, s);
	ib_buf_addf(b,
		    "<p class=\"note\">Udvikling: egen udgift mod benchmark hvert år (indeks, "
		    "benchmark = 100, stiplet), alle linjer på samme skala (%.0f-%.0f); et år "
		    "uden tal er et hul. <a class=\"noprint\" href=\"",
		    s.lo, s.hi);
	web_href(b, c, "/api/raaderum", (const char *const[]){"*", NULL}, NULL);
	ib_buf_adds(b, "\">JSON</a></p>\n");
	area_sections(c, r, &x, s);
	sources(c, r);
}

/* Why ib_room() failed, in Danish, from what the request asked (not from the
 * library's English message): a target group no area has, a year without figures
 * (the years there are: the same report without the year), an own list that names no
 * other municipality, or what else the comparison found. */
static void room_error_da(web_ctx *c, room_req *rr, const ib_error *err,
			  const ib_target_group *groups, size_t n_groups)
{
	int group_known = 0;
	for (size_t i = 0; rr->o.target_group && i < n_groups; i++)
		group_known |= !strcmp(groups[i].name, rr->o.target_group);
	ib_room_report *all = NULL;
	ib_room_opts o = rr->o;
	o.peer.year = 0;
	o.n_ideas = 0;
	if (err->rc == IB_ENOTFOUND && rr->o.target_group && !group_known) {
		snprintf(rr->da, sizeof rr->da, "Ukendt målgruppe »%s«.", rr->o.target_group);
	} else if (err->rc == IB_ENOTFOUND && rr->o.peer.year &&
		   ib_room(c->s, &o, &all, NULL) == IB_OK) {
		ib_buf years;
		ib_buf_init(&years, 0);
		for (size_t i = 0; i < all->n_years; i++)
			ib_buf_addf(&years, "%s%d", i ? ", " : "", all->years[i]);
		snprintf(rr->da, sizeof rr->da,
			 "Der er ingen regnskabstal for %d. Der er tal for %s.", rr->o.peer.year,
			 years.n ? ib_buf_str(&years) : "ingen år");
		ib_buf_free(&years);
	} else if (err->rc == IB_EARG && rr->o.peer.method == IB_PEER_LIST) {
		/* every name of the list is a municipality (web_peer_opts): only itself */
		snprintf(rr->da, sizeof rr->da, "Listen nævner ingen anden kommune end %s.",
			 rr->o.peer.kommune);
	} else if (err->rc == IB_ENOTFOUND || err->rc == IB_EARG) {
		snprintf(rr->da, sizeof rr->da,
			 "Sammenligningen kunne ikke laves for alle områder (%s).", err->msg);
	} else {
		snprintf(rr->da, sizeof rr->da, "Råderummet kunne ikke beregnes.");
	}
	ib_room_free(all);
}

void web_room(web_ctx *c, int format)
{
	room_req rr;
	ib_room_report *r = NULL;
	ib_error err = {0};
	ib_target_group *groups = NULL;
	size_t n_groups = 0;
	ib_target_groups(&groups, &n_groups, NULL);
	int asked = format != WEB_HTML || *web_param0(c, "kommune") || c->has_pj;
	int ok = asked && parse(c, &rr) == 0 && ib_room(c->s, &rr.o, &r, &err) == IB_OK;
	if (asked && !ok && err.rc) {
		snprintf(rr.en, sizeof rr.en, "%s", err.msg);
		room_error_da(c, &rr, &err, groups, n_groups);
	}
	if (format != WEB_HTML) {
		if (ok)
			web_json(c, cli_room_json(r));
		else
			web_api_error(c, 400, rr.da, rr.en);
	} else {
		web_page_head(c, "Råderum", "sammenlign");
		ib_buf *b = &c->r->body;
		/* the page's own style sheet: a link in the body is allowed for style sheets */
		ib_buf_adds(b, "<link rel=\"stylesheet\" href=\"/raaderum.css\">\n");
		if (!ok)
			ib_buf_adds(b, "<h2>Råderum på alle fagområder</h2>\n");
		form_html(c, groups, n_groups);
		if (asked && !ok) {
			c->r->status = 400;
			web_page_error(c, rr.da);
		} else if (ok) {
			result_html(c, &rr, r);
		} else {
			ib_buf_adds(
			    b, "<p>Vælg en kommune: siden viser for hvert fagområde udgiften "
			       "mod sammenlignelige kommuner, mulighedsrummet, udviklingen over "
			       "årene og de idéer, andre kommuner har haft på området.</p>\n");
		}
		web_page_foot(c);
	}
	free(groups);
	ib_room_free(r);
}
