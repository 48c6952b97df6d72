/* records.c - every record's column table (records.h, cols.h): a proposal as a line
 * (a search hit, a basket line, an idea), a row of a peer comparison, a line of the
 * room report and a year of a proposal's yearly table, each column with its name, its
 * labels and its value for the terminal, CSV, JSON and the web page.  What is made
 * of them (the JSON documents, the CSVs) is reports.c's; the basket is basket.c's. */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "records.h"

/* ---- a proposal as a line ------------------------------------------------------------ */

#define LINE(rec) ((const cli_line *)(rec))
#define HIT(rec) (LINE(rec)->h)

static void line_id(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x;
	if (f == CLI_JSON)
		cli_val_num(v, (double)HIT(rec)->id);
	else
		snprintf(v->buf, sizeof v->buf, "%lld", (long long)HIT(rec)->id),
		    cli_val_text(v, v->buf);
}

static void line_code(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	snprintf(v->buf, sizeof v->buf, "%03d", HIT(rec)->kommunekode);
	cli_val_text(v, v->buf);
}

static void line_kommune(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	cli_val_text(v, HIT(rec)->kommune ? HIT(rec)->kommune : "");
}

static void line_year(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x;
	if (f == CLI_JSON)
		cli_val_num(v, HIT(rec)->budget_year);
	else
		snprintf(v->buf, sizeof v->buf, "%d", HIT(rec)->budget_year),
		    cli_val_text(v, v->buf);
}

static void line_ref(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	cli_val_text(v, HIT(rec)->ref);
}

static void line_title(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	cli_val_text(v, HIT(rec)->title ? HIT(rec)->title : "");
}

static void line_area(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	cli_val_text(v, HIT(rec)->area);
}

static void line_kind(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x;
	/* the JSON names the kind always; the CSV leaves an unknown one empty */
	cli_val_text(v, HIT(rec)->kind ? HIT(rec)->kind : f == CLI_JSON ? "andet" : NULL);
}

static void line_adopted(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x;
	int a = HIT(rec)->adopted;
	if (f == CLI_JSON)
		cli_val_text(v, a == 1 ? "yes" : a == 0 ? "no" : "unknown");
	else
		cli_val_text(v, a == 1 ? "ja" : a == 0 ? "nej" : "ukendt");
}

static void line_effect(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	cli_val_num(v, HIT(rec)->effect_kr);
}

static void line_per(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x;
	double p = HIT(rec)->per_inhabitant;
	/* kr per inhabitant to the øre in JSON: more digits would be noise */
	cli_val_num(v, f == CLI_JSON && !ib_is_na(p) ? round(p * 100) / 100 : p);
}

static void line_population(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	cli_val_num(v, HIT(rec)->population > 0 ? (double)HIT(rec)->population : IB_NA);
}

static void line_population_year(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x;
	const ib_hit *h = HIT(rec);
	int known = f == CLI_JSON ? h->population > 0 : h->population_year != 0;
	cli_val_num(v, known ? h->population_year : IB_NA);
}

static void line_population_source(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x;
	const ib_hit *h = HIT(rec);
	if (f == CLI_JSON)
		cli_val_text(v, h->population > 0 ? h->population_source : NULL);
	else
		cli_val_text(v, h->population_source ? h->population_source : "");
}

/* "591.481 (2016)": the population and its year, for people */
static void line_population_text(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	const ib_hit *h = HIT(rec);
	if (h->population <= 0)
		return;
	char n[64];
	snprintf(v->buf, sizeof v->buf, "%s (%d)",
		 ib_num_format((double)h->population, 0, n, sizeof n), h->population_year);
	cli_val_text(v, v->buf);
}

static void line_projected(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x;
	const cli_line *l = LINE(rec);
	if (f == CLI_HTML && l->own && !ib_is_na(l->h->effect_kr)) {
		/* never projected onto its own municipality: its own effect, said so */
		cli_val_num(v, l->h->effect_kr);
		snprintf(v->buf, sizeof v->buf, " (eget)");
		v->z = v->buf;
		return;
	}
	cli_val_num(v,
		    f == CLI_JSON && !ib_is_na(l->projected) ? round(l->projected) : l->projected);
}

static void line_pj_kommune(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)rec, (void)f;
	cli_val_text(v, x->pj->m.name);
}

static void line_pj_population(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)rec, (void)f;
	cli_val_num(v, (double)x->pj->inhabitants);
}

static void line_pj_year(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)rec, (void)f;
	cli_val_num(v, x->pj->year);
}

static void line_score(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	cli_val_num(v, HIT(rec)->score.total);
}

static void json_score(cJSON *o, const void *rec, const cli_cols_ctx *x)
{
	(void)x;
	const ib_score *s = &HIT(rec)->score;
	const struct {
		const char *key;
		double v;
	} parts[] = {{"total", s->total},     {"relevance", s->relevance}, {"effect", s->effect},
		     {"payback", s->payback}, {"evidence", s->evidence},   {"recency", s->recency}};
	cJSON *sc = cJSON_AddObjectToObject(o, "score");
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
		cJSON_AddNumberToObject(sc, parts[i].key, round(parts[i].v * 1000) / 1000);
}

static int is_http(const char *z)
{
	return z && (!strncmp(z, "https://", 8) || !strncmp(z, "http://", 7));
}

static void line_source(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	cli_val_text(v, HIT(rec)->source);
}

static void line_source_title(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	const ib_document_info *d = ib_document_lookup(HIT(rec)->source);
	cli_val_text(v, d ? d->title : NULL);
}

static void line_source_url(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	const ib_document_info *d = ib_document_lookup(HIT(rec)->source);
	cli_val_text(v, d && *d->url ? d->url : NULL);
}

/* The CSV's source: the document's title (data/documents.csv), else the source as it
 * was read (a web address, or the file's name). */
static void line_kilde(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	const char *src = HIT(rec)->source;
	const ib_document_info *d = ib_document_lookup(src);
	cli_val_text(v, d ? d->title : !src ? "" : is_http(src) ? src : ib_base_name(src));
}

/* Its web address: the document's, else the source's own when it is one. */
static void line_kilde_url(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	const char *src = HIT(rec)->source;
	const ib_document_info *d = ib_document_lookup(src);
	cli_val_text(v, d && *d->url ? d->url : is_http(src) ? src : "");
}

static void line_page(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	cli_val_num(v, HIT(rec)->page > 0 ? HIT(rec)->page : IB_NA);
}

static void line_alternative_of(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	if (LINE(rec)->alternative_of)
		snprintf(v->buf, sizeof v->buf, "%lld", (long long)LINE(rec)->alternative_of);
	cli_val_text(v, v->buf);
}

/* The snippet as clean text plus the matches' offsets and lengths in code points. */
static void json_snippet(cJSON *x, const void *rec, const cli_cols_ctx *ctx)
{
	(void)ctx;
	const char *z = HIT(rec)->snippet;
	if (!z)
		return;
	ib_buf t;
	ib_buf_init(&t, 0);
	cJSON *m = cJSON_CreateArray();
	long cp = 0, start = -1;
	for (const unsigned char *p = (const unsigned char *)z; *p; p++) {
		if (*p == 2) {
			start = cp;
		} else if (*p == 3) {
			if (start >= 0) {
				cJSON *o = cJSON_CreateObject();
				cJSON_AddNumberToObject(o, "start", (double)start);
				cJSON_AddNumberToObject(o, "length", (double)(cp - start));
				cJSON_AddItemToArray(m, o);
			}
			start = -1;
		} else if (*p >= 0x20 || *p == '\n' || *p == '\t') {
			ib_buf_addc(&t, (char)*p);
			cp += (*p & 0xC0) != 0x80;
		}
	}
	cJSON_AddStringToObject(x, "snippet", ib_buf_str(&t));
	cJSON_AddItemToObject(x, "snippet_matches", m);
	ib_buf_free(&t);
}

const cli_col cli_line_cols[] = {
    {.key = "id", .json = "id", .head = "ID", .width = 4, .flags = COL_RIGHT, .get = line_id},
    {.key = "kommunekode", .json = "kommunekode", .get = line_code},
    {.key = "kommune", .json = "kommune", .head = "Kommune", .width = 14, .get = line_kommune},
    {.key = "budgetaar", .json = "budget_year", .head = "År", .width = 4, .get = line_year},
    {.key = "ref", .json = "ref", .get = line_ref},
    {.key = "titel",
     .json = "title",
     .head = "Titel",
     .width = -1,
     .flags = COL_TITLE,
     .get = line_title},
    {.key = "omraade", .json = "area", .get = line_area},
    {.key = "type", .json = "kind", .get = line_kind},
    {.key = "vedtaget", .json = "adopted", .get = line_adopted},
    {.key = "effekt_kr",
     .json = "effect_kr",
     .head = "Effekt (kr)",
     .label = "Effekt",
     .note = "kr./år, + = besparelse",
     .cell = "Effekt, kr./år",
     .width = 13,
     .flags = COL_RIGHT | COL_SIGNED,
     .get = line_effect},
    {.key = "kr_pr_indbygger",
     .json = "effect_per_inhabitant_kr",
     .head = "Kr. pr. indb.",
     .label = "Pr. indbygger",
     .note = "kr./år, budgetårets folketal",
     .cell = "Pr. indbygger, kr./år",
     .width = 13,
     .decimals = 2,
     .flags = COL_RIGHT | COL_SIGNED,
     .get = line_per},
    {.key = "folketal", .json = "population", .get = line_population},
    {.key = "folketal_aar", .json = "population_year", .get = line_population_year},
    {.key = "folketal_kilde", .json = "population_source", .get = line_population_source},
    {.key = "folketal_og_aar",
     .head = "Folketal (år)",
     .label = "Folketal",
     .note = "(budgetår)",
     .cell = "Folketal (år)",
     .width = 16,
     .flags = COL_NO_CSV | COL_RIGHT,
     .get = line_population_text},
    {.key = "projiceret_kr",
     .json = "projected_kr",
     .head = "I {kommune} (kr)",
     .label = "I {kommune}",
     .note = "kr./år, folketal {aar}",
     .cell = "I {kommune}, kr./år",
     .width = 16,
     .need = COL_PJ,
     .flags = COL_RIGHT | COL_SIGNED,
     .get = line_projected},
    {.key = "projiceret_kommune", .need = COL_PJ | COL_BASKET, .get = line_pj_kommune},
    {.key = "projiceret_folketal", .need = COL_PJ | COL_BASKET, .get = line_pj_population},
    {.key = "projiceret_folketal_aar", .need = COL_PJ | COL_BASKET, .get = line_pj_year},
    {.key = "score",
     .label = "Score",
     .cell = "Score",
     .decimals = 3,
     .need = COL_SCORE,
     .flags = COL_RIGHT,
     .get = line_score,
     .json_fn = json_score},
    {.key = "source", .json = "source", .flags = COL_NO_CSV, .get = line_source},
    {.key = "source_title", .json = "source_title", .flags = COL_NO_CSV, .get = line_source_title},
    {.key = "source_url", .json = "source_url", .flags = COL_NO_CSV, .get = line_source_url},
    {.key = "kilde", .get = line_kilde},
    {.key = "kilde_url", .get = line_kilde_url},
    {.key = "kilde_side", .get = line_page},
    {.key = "alternativ_til", .need = COL_BASKET, .get = line_alternative_of},
    {.key = "snippet", .flags = COL_NO_CSV, .get = line_source, .json_fn = json_snippet},
    {.key = NULL},
};

const char cli_line_term_view[] =
    "id kommune budgetaar titel effekt_kr kr_pr_indbygger folketal_og_aar projiceret_kr";
const char cli_line_html_view[] = "effekt_kr kr_pr_indbygger folketal_og_aar projiceret_kr score";

cli_line cli_line_of_hit(const ib_hit *h, const cli_projection *pj)
{
	cli_line l = {h, cli_projected(h, pj), pj && h->kommunekode == pj->m.code, 0};
	return l;
}

cli_cols_ctx cli_line_ctx(const cli_projection *pj, int with_score, int basket)
{
	cli_cols_ctx x = {0};
	x.pj = pj;
	x.have = (pj ? COL_PJ : 0) | (with_score ? COL_SCORE : 0) | (basket ? COL_BASKET : 0);
	return x;
}

/* ---- a row of a peer comparison ------------------------------------------------------ */

#define PEER(rec) ((const cli_peer_line *)(rec))

static void peer_code(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	if (PEER(rec)->r->code)
		snprintf(v->buf, sizeof v->buf, "%03d", PEER(rec)->r->code);
	cli_val_text(v, v->buf);
}

static void peer_name(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	cli_val_text(v, PEER(rec)->r->name);
}

static const char *const peer_roles[] = {"egen", "sammenligning", "benchmark"};

static void peer_role(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	cli_val_text(v, peer_roles[PEER(rec)->role]);
}

/* The name for people: "Ringsted (egen)", "Benchmark (gennemsnit)". */
static void peer_shown_name(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	const cli_peer_line *l = PEER(rec);
	if (l->role == PEER_ROLE_OWN)
		snprintf(v->buf, sizeof v->buf, "%s (egen)", l->r->name);
	else if (l->role == PEER_ROLE_BENCHMARK)
		snprintf(v->buf, sizeof v->buf, "Benchmark (%s)", l->benchmark_name);
	else
		snprintf(v->buf, sizeof v->buf, "%s", l->r->name);
	cli_val_text(v, v->buf);
}

static void peer_kr(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x;
	cli_val_num(v, PEER(rec)->r->kr);
	/* to the øre in the CSV, whole kroner for people */
	v->decimals = f == CLI_CSV ? 2 : 0;
}

static void peer_rank(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x;
	int rank = PEER(rec)->r->rank;
	if (!rank && f == CLI_HTML)
		cli_val_text(v, "–");
	else
		cli_val_num(v, rank ? rank : IB_NA);
}

/* The CSV's distance: a peer's (of the nearest), else empty. */
static void peer_afstand(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	const cli_peer_line *l = PEER(rec);
	cli_val_num(v, *l->p->indicators && l->role == PEER_ROLE_PEER ? l->r->distance : IB_NA);
}

static void peer_distance(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x;
	const cli_peer_line *l = PEER(rec);
	if (l->role != PEER_ROLE_PEER)
		cli_val_text(v, f == CLI_HTML ? "–" : "");
	else
		cli_val_num(v,
			    f == CLI_JSON ? round(l->r->distance * 1000) / 1000 : l->r->distance);
}

static void peer_room(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	cli_val_num(v, PEER(rec)->role == PEER_ROLE_OWN ? PEER(rec)->p->mulighedsrum_kr : IB_NA);
}

static void peer_share(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	double s = PEER(rec)->p->mulighedsrum_share;
	cli_val_num(v, PEER(rec)->role == PEER_ROLE_OWN && !ib_is_na(s) ? s * 100 : IB_NA);
}

static void peer_inhabitants(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	cli_val_num(v,
		    PEER(rec)->role == PEER_ROLE_OWN ? (double)PEER(rec)->p->inhabitants : IB_NA);
}

/* Every row names its source; the own row also the population's. */
static void peer_source(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	const cli_peer_line *l = PEER(rec);
	cli_val_text(v, l->role == PEER_ROLE_OWN && l->own_source ? l->own_source : l->p->source);
}

const cli_col cli_peer_cols[] = {
    {.key = "kommunekode", .json = "kommunekode", .get = peer_code},
    {.key = "kommune", .json = "kommune", .get = peer_name},
    {.key = "rolle", .get = peer_role},
    {.key = "kr_pr_indbygger",
     .json = "kr_per_inhabitant",
     .head = "Kr. pr. indb.",
     .label = "Kr. pr. indbygger",
     .width = 13,
     .flags = COL_RIGHT,
     .get = peer_kr},
    {.key = "rang",
     .json = "rank",
     .head = "Rang",
     .width = 5,
     .flags = COL_RIGHT,
     .get = peer_rank},
    {.key = "afstand", .decimals = 3, .get = peer_afstand},
    {.key = "distance",
     .json = "distance",
     .head = "Afstand",
     .note = "0 = ens struktur",
     .cell = "Afstand (0 = ens)",
     .width = 8,
     .decimals = 2,
     .need = COL_DISTANCE,
     .flags = COL_NO_CSV | COL_RIGHT,
     .get = peer_distance},
    {.key = "mulighedsrum_kr", .get = peer_room},
    {.key = "mulighedsrum_pct", .decimals = 1, .get = peer_share},
    {.key = "indbyggere", .get = peer_inhabitants},
    {.key = "kilde", .get = peer_source},
    {.key = "navn",
     .head = "Kommune",
     .width = 20,
     .flags = COL_NO_CSV | COL_TITLE,
     .get = peer_shown_name},
    {.key = NULL},
};

const char cli_peer_view[] = "rang navn kr_pr_indbygger distance";

cli_peer_line cli_peer_own(const ib_peer_set *p, const char *benchmark_name, ib_peer_row *row)
{
	memset(row, 0, sizeof *row);
	row->code = p->self.code;
	row->kr = p->own_kr;
	row->rank = p->own_rank;
	snprintf(row->name, sizeof row->name, "%s", p->self.name);
	cli_peer_line l = {p, row, PEER_ROLE_OWN, benchmark_name, NULL};
	return l;
}

cli_peer_line cli_peer_benchmark(const ib_peer_set *p, const char *benchmark_name, ib_peer_row *row)
{
	memset(row, 0, sizeof *row);
	row->kr = p->benchmark;
	snprintf(row->name, sizeof row->name, "benchmark (%s)", benchmark_name);
	cli_peer_line l = {p, row, PEER_ROLE_BENCHMARK, benchmark_name, NULL};
	return l;
}

cli_cols_ctx cli_peer_ctx(const ib_peer_set *p)
{
	cli_cols_ctx x = {0};
	x.have = *p->indicators ? COL_DISTANCE : 0;
	x.na = "-";
	return x;
}

/* ---- a line of the room report ------------------------------------------------------- */

#define ROOM(rec) ((const cli_room_row *)(rec))
#define MAIN(rec) (ROOM(rec)->l ? ROOM(rec)->l->main : NULL)

const char *cli_room_unit(const ib_room_line *l, char *out, size_t n)
{
	if (l->uses_target && l->group)
		snprintf(out, n, "kr. pr. person %s", l->group->name);
	else
		snprintf(out, n, "kr. pr. indbygger");
	return out;
}

const char *cli_room_label(const ib_room_line *l, char *out, size_t n)
{
	if (*l->code)
		snprintf(out, n, "%s %s", l->code, l->name);
	else
		snprintf(out, n, "%s", l->name);
	return out;
}

/* A room_figure of the line's comparison: for people "" (or "ingen tal" in the first
 * column) when the line has no figures that year; JSON to the øre. */
static void room_figure(const void *rec, cli_fmt f, cli_val *v, double x, int first)
{
	if (!MAIN(rec) && ROOM(rec)->l && (f == CLI_TERM || f == CLI_HTML)) {
		cli_val_text(v, first && f == CLI_TERM ? "ingen tal" : "");
		return;
	}
	v->num = 1;
	v->x = f == CLI_JSON && !ib_is_na(x) ? round(x * 100) / 100 : x;
}

static void room_role(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	cli_val_text(v, ROOM(rec)->role);
}

static void json_function(cJSON *o, const void *rec, const cli_cols_ctx *x)
{
	(void)x;
	if (*ROOM(rec)->l->code)
		cJSON_AddStringToObject(o, "function", ROOM(rec)->l->code);
}

/* The CSV's area is the row's (an area's functions: the area's); the JSON's the
 * line's own. */
static void room_area(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x;
	cli_val_text(v, f == CLI_JSON	  ? ROOM(rec)->l->area
			: ROOM(rec)->area ? ROOM(rec)->area
					  : "");
}

static void room_code(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	cli_val_text(v, ROOM(rec)->l ? ROOM(rec)->l->code : "");
}

static void room_name(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	cli_val_text(v, ROOM(rec)->l ? ROOM(rec)->l->name : "positive mulighedsrum");
}

static void json_reason(cJSON *o, const void *rec, const cli_cols_ctx *x)
{
	(void)x;
	if (*ROOM(rec)->l->code)
		cJSON_AddStringToObject(o, "reason", ROOM(rec)->l->reason);
}

static void room_measure(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	if (!ROOM(rec)->l)
		cli_val_text(v, "kr.");
	else
		cli_val_text(v, cli_room_unit(ROOM(rec)->l, v->buf, sizeof v->buf));
}

static void room_own(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x;
	room_figure(rec, f, v, MAIN(rec) ? MAIN(rec)->own_kr : IB_NA, 1);
}

static void room_bench(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x;
	room_figure(rec, f, v, MAIN(rec) ? MAIN(rec)->benchmark : IB_NA, 0);
}

static void room_rank(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x;
	room_figure(rec, f, v, MAIN(rec) ? MAIN(rec)->own_rank : IB_NA, 0);
}

static void room_ranked(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x;
	room_figure(rec, f, v, MAIN(rec) ? MAIN(rec)->n_ranked : IB_NA, 0);
}

static void room_room(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	const ib_room_report *r = x->aux ? ((const cli_room_aux *)x->aux)->r : NULL;
	const ib_peer_set *m = MAIN(rec);
	double kr = !ROOM(rec)->l && r			 ? round(r->total_positive_kr)
		    : m && !ib_is_na(m->mulighedsrum_kr) ? round(m->mulighedsrum_kr)
							 : IB_NA;
	room_figure(rec, f, v, kr, 0);
	/* room to free money: marked on the web page */
	if (v->num && kr > 0)
		v->cls = "pos";
}

static void room_share(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x;
	const ib_peer_set *m = MAIN(rec);
	room_figure(rec, f, v,
		    m && !ib_is_na(m->mulighedsrum_share) ? m->mulighedsrum_share * 100 : IB_NA, 0);
}

static void room_scale(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x;
	room_figure(rec, f, v, MAIN(rec) ? (double)MAIN(rec)->inhabitants : IB_NA, 0);
}

/* indeks_YEAR and rang_YEAR for every year of the report: a gap empty. */
static void room_years(FILE *f, const void *rec, const cli_cols_ctx *x)
{
	const ib_room_report *r = ((const cli_room_aux *)x->aux)->r;
	for (size_t y = 0; y < r->n_years; y++) {
		if (!rec) {
			char k[32];
			snprintf(k, sizeof k, "indeks_%d", r->years[y]);
			csv_field(f, k, 0);
			snprintf(k, sizeof k, "rang_%d", r->years[y]);
			csv_field(f, k, 0);
			continue;
		}
		const ib_room_line *l = ROOM(rec)->l;
		const ib_room_cell *c = l && l->cells ? &l->cells[y] : NULL;
		csv_num(f, c && c->ok ? c->index : IB_NA, 1);
		csv_num(f, c && c->ok ? c->rank : IB_NA, 0);
	}
}

static void room_source(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)f;
	const ib_room_report *r = ((const cli_room_aux *)x->aux)->r;
	cli_val_text(v, !ROOM(rec)->l ? r->source : MAIN(rec) ? MAIN(rec)->source : "");
}

static void room_method(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)f;
	const cli_room_aux *a = x->aux;
	cli_val_text(v, a->method ? a->method : MAIN(rec) ? MAIN(rec)->method : a->r->method);
}

static void room_benchmark_kind(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)rec, (void)f;
	cli_val_text(v, ((const cli_room_aux *)x->aux)->r->benchmark_name);
}

static void room_scale_year(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	v->num = 1;
	v->x = MAIN(rec) ? MAIN(rec)->population_year : IB_NA;
}

/* What skaleret_med counts: inhabitants (FOLK1A) or persons of the target group. */
static void room_scale_source(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)f;
	const cli_room_aux *a = x->aux;
	const ib_room_line *l = ROOM(rec)->l;
	if (!MAIN(rec))
		cli_val_text(v, "");
	else if (l->uses_target && l->group)
		snprintf(v->buf, sizeof v->buf, "personer %s: %s", l->group->name,
			 a->r->age_source),
		    cli_val_text(v, v->buf);
	else
		snprintf(v->buf, sizeof v->buf, "indbyggere: %s",
			 a->population_source ? a->population_source
					      : "Danmarks Statistik, FOLK1A"),
		    cli_val_text(v, v->buf);
}

const cli_col cli_room_cols[] = {
    {.key = "rolle", .get = room_role},
    {.key = "function", .flags = COL_NO_CSV, .get = room_code, .json_fn = json_function},
    {.key = "omraade", .json = "area", .get = room_area},
    {.key = "funktion", .get = room_code},
    {.key = "navn", .json = "name", .get = room_name},
    {.key = "reason", .flags = COL_NO_CSV, .get = room_code, .json_fn = json_reason},
    {.key = "maal", .json = "measure", .get = room_measure},
    {.key = "egen", .json = "own", .head = "Egen", .width = 9, .flags = COL_RIGHT, .get = room_own},
    {.key = "benchmark",
     .json = "benchmark",
     .head = "Benchmark",
     .width = 9,
     .flags = COL_RIGHT,
     .get = room_bench},
    {.key = "rang",
     .json = "rank",
     .head = "Rang",
     .width = 4,
     .flags = COL_RIGHT,
     .get = room_rank},
    {.key = "af",
     .json = "ranked",
     .head = "af",
     .width = 3,
     .flags = COL_RIGHT,
     .get = room_ranked},
    {.key = "mulighedsrum_kr",
     .json = "mulighedsrum_kr",
     .head = "Mulighedsrum, kr.",
     .width = 17,
     .flags = COL_RIGHT,
     .get = room_room},
    {.key = "mulighedsrum_pct",
     .json = "mulighedsrum_pct",
     .head = "% af egen",
     .width = 9,
     .decimals = 1,
     .flags = COL_RIGHT,
     .get = room_share},
    {.key = "skaleret_med", .json = "scaled_by", .get = room_scale},
    {.key = "indeks", .csv_fn = room_years},
    {.key = "kilde", .get = room_source},
    {.key = "metode", .get = room_method},
    {.key = "benchmarktype", .get = room_benchmark_kind},
    {.key = "skaleret_aar", .get = room_scale_year},
    {.key = "skaleret_kilde", .get = room_scale_source},
    {.key = NULL},
};

const char cli_room_view[] = "egen benchmark rang af mulighedsrum_kr mulighedsrum_pct";
const char cli_room_parts_view[] = "egen benchmark rang mulighedsrum_kr";

cli_cols_ctx cli_room_ctx(const cli_room_aux *a)
{
	cli_cols_ctx x = {0};
	x.na = "-";
	x.aux = a;
	return x;
}

/* ---- a year of a proposal's yearly table -------------------------------------------- */

#define YEAR(rec) (&((const cli_year *)(rec))->p->years[((const cli_year *)(rec))->i])

/* The year_figure at offset off of the year: whole numbers without decimals, unknown "?". */
static void year_figure(const void *rec, cli_fmt f, cli_val *v, size_t off)
{
	double x = *(const double *)((const char *)YEAR(rec) + off);
	if (ib_is_na(x) && (f == CLI_TERM || f == CLI_HTML)) {
		v->z = "?";
		return;
	}
	v->num = 1;
	v->x = x;
	/* not a cast to an integer: x may be unknown (NaN) in JSON and CSV, or huge */
	v->decimals = isfinite(x) && x == trunc(x) ? 0 : 2;
}

#define YEAR_FIGURE(name, field)                                                                   \
	static void name(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)            \
	{                                                                                          \
		(void)x;                                                                           \
		year_figure(rec, f, v, offsetof(ib_proposal_year, field));                         \
	}
YEAR_FIGURE(year_investment, investment)
YEAR_FIGURE(year_expenses, expenses)
YEAR_FIGURE(year_income, income)
YEAR_FIGURE(year_net, net)
YEAR_FIGURE(year_fte, fte)

static void year_year(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	snprintf(v->buf, sizeof v->buf, "%d", YEAR(rec)->year);
	v->z = v->buf;
}

/* Where the year was read: "page:line" in a document with pages, else the line. */
static void year_source(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	const ib_proposal_year *y = YEAR(rec);
	if (cli_year_pages(((const cli_year *)rec)->p))
		snprintf(v->buf, sizeof v->buf, "%d:%d", y->page, y->line);
	else
		snprintf(v->buf, sizeof v->buf, "%d", y->line);
	v->z = v->buf;
}

const cli_col cli_year_cols[] = {
    {.key = "aar", .get = year_year},
    {.key = "investering", .head = "Investering", .get = year_investment},
    {.key = "udgifter", .head = "Udgifter", .get = year_expenses},
    {.key = "indtaegter", .head = "Indtægter", .get = year_income},
    {.key = "netto", .head = "Netto", .get = year_net},
    {.key = "aarsvaerk", .head = "Årsværk", .get = year_fte},
    {.key = "kilde", .get = year_source},
    {.key = NULL},
};

int cli_year_pages(const ib_proposal *p)
{
	for (size_t i = 0; i < p->n_years; i++)
		if (p->years[i].page)
			return 1;
	return 0;
}

int cli_year_col_any(const ib_proposal *p, const cli_col *c)
{
	cli_cols_ctx x = {0};
	cli_val v;
	for (size_t i = 0; i < p->n_years; i++) {
		cli_year y = {p, i};
		cli_col_get(c, &y, &x, CLI_JSON, &v);
		if (v.num && !ib_is_na(v.x))
			return 1;
	}
	return 0;
}

int cli_year_sources(const ib_proposal *p)
{
	for (size_t i = 0; i < p->n_years; i++)
		if (p->years[i].page || p->years[i].line)
			return 1;
	return 0;
}
