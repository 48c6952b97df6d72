/* rec_line.c - a proposal as a line of a list (records.h): a search hit, a basket line,
 * an idea.  Its column table is what `search` prints as a table, CSV and JSON, what
 * /, /resultater.csv and /api/search show, and `basket list`, `basket export --csv`,
 * /kurv and /kurv.csv; the basket's loading and totals are here too. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "records.h"

#define LINE(rec) ((const cli_line *)(rec))
#define HIT(rec) (LINE(rec)->h)

/* ---- the columns ------------------------------------------------------------------ */

static void text(cli_val *v, const char *z)
{
	v->z = z;
}

static void num(cli_val *v, double x)
{
	v->num = 1;
	v->x = x;
}

static void get_id(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x;
	if (f == CLI_JSON)
		num(v, (double)HIT(rec)->id);
	else
		snprintf(v->buf, sizeof v->buf, "%lld", (long long)HIT(rec)->id), text(v, v->buf);
}

static void get_code(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	snprintf(v->buf, sizeof v->buf, "%03d", HIT(rec)->kommunekode);
	text(v, v->buf);
}

static void get_kommune(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	text(v, HIT(rec)->kommune ? HIT(rec)->kommune : "");
}

static void get_year(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x;
	if (f == CLI_JSON)
		num(v, HIT(rec)->budget_year);
	else
		snprintf(v->buf, sizeof v->buf, "%d", HIT(rec)->budget_year), text(v, v->buf);
}

static void get_ref(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	text(v, HIT(rec)->ref);
}

static void get_title(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	text(v, HIT(rec)->title ? HIT(rec)->title : "");
}

static void get_area(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	text(v, HIT(rec)->area);
}

static void get_kind(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x;
	/* the JSON names the kind always; the CSV leaves an unknown one empty */
	text(v, HIT(rec)->kind ? HIT(rec)->kind : f == CLI_JSON ? "andet" : NULL);
}

static void get_adopted(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x;
	int a = HIT(rec)->adopted;
	if (f == CLI_JSON)
		text(v, a == 1 ? "yes" : a == 0 ? "no" : "unknown");
	else
		text(v, a == 1 ? "ja" : a == 0 ? "nej" : "ukendt");
}

static void get_effect(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	num(v, HIT(rec)->effect_kr);
}

static void get_per(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x;
	double p = HIT(rec)->per_inhabitant;
	/* kr per inhabitant to the øre in JSON: more digits would be noise */
	num(v, f == CLI_JSON && !ib_is_na(p) ? round(p * 100) / 100 : p);
}

static void get_population(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	num(v, HIT(rec)->population > 0 ? (double)HIT(rec)->population : IB_NA);
}

static void get_population_year(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x;
	const ib_hit *h = HIT(rec);
	int known = f == CLI_JSON ? h->population > 0 : h->population_year != 0;
	num(v, known ? h->population_year : IB_NA);
}

static void get_population_source(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x;
	const ib_hit *h = HIT(rec);
	if (f == CLI_JSON)
		text(v, h->population > 0 ? h->population_source : NULL);
	else
		text(v, h->population_source ? h->population_source : "");
}

/* "591.481 (2016)": the population and its year, for people */
static void get_population_text(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	const ib_hit *h = HIT(rec);
	if (h->population <= 0)
		return;
	char n[64];
	snprintf(v->buf, sizeof v->buf, "%s (%d)",
		 ib_num_format((double)h->population, 0, n, sizeof n), h->population_year);
	text(v, v->buf);
}

static void get_projected(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x;
	const cli_line *l = LINE(rec);
	if (f == CLI_HTML && l->own) {
		/* never projected onto its own municipality: its own effect, said so */
		num(v, l->h->effect_kr);
		snprintf(v->buf, sizeof v->buf, " (eget)");
		v->z = v->buf;
		return;
	}
	num(v, f == CLI_JSON && !ib_is_na(l->projected) ? round(l->projected) : l->projected);
}

static void get_pj_kommune(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)rec, (void)f;
	text(v, x->pj->m.name);
}

static void get_pj_population(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)rec, (void)f;
	num(v, (double)x->pj->inhabitants);
}

static void get_pj_year(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)rec, (void)f;
	num(v, x->pj->year);
}

static void get_score(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	num(v, HIT(rec)->score.total);
}

static void json_score(cJSON *o, const void *rec, const cli_cols_ctx *x)
{
	(void)x;
	const ib_score *s = &HIT(rec)->score;
	const struct {
		const char *key;
		double v;
	} parts[] = {{"total", s->total},	{"relevance", s->relevance},
		     {"effect", s->effect},	{"payback", s->payback},
		     {"evidence", s->evidence}, {"recency", s->recency}};
	cJSON *sc = cJSON_AddObjectToObject(o, "score");
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
		cJSON_AddNumberToObject(sc, parts[i].key, round(parts[i].v * 1000) / 1000);
}

static int is_http(const char *z)
{
	return z && (!strncmp(z, "https://", 8) || !strncmp(z, "http://", 7));
}

static void get_source(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	text(v, HIT(rec)->source);
}

static void get_source_title(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	const ib_document_info *d = ib_document_lookup(HIT(rec)->source);
	text(v, d ? d->title : NULL);
}

static void get_source_url(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	const ib_document_info *d = ib_document_lookup(HIT(rec)->source);
	text(v, d && *d->url ? d->url : NULL);
}

/* The CSV's source: the document's title (data/documents.csv), else the source as it
 * was read (a web address, or the file's name). */
static void get_kilde(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	const char *src = HIT(rec)->source;
	const ib_document_info *d = ib_document_lookup(src);
	text(v, d ? d->title : !src ? "" : is_http(src) ? src : ib_base_name(src));
}

/* Its web address: the document's, else the source's own when it is one. */
static void get_kilde_url(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	const char *src = HIT(rec)->source;
	const ib_document_info *d = ib_document_lookup(src);
	text(v, d && *d->url ? d->url : is_http(src) ? src : "");
}

static void get_page(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	num(v, HIT(rec)->page > 0 ? HIT(rec)->page : IB_NA);
}

static void get_alternative_of(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	if (LINE(rec)->alternative_of)
		snprintf(v->buf, sizeof v->buf, "%lld", (long long)LINE(rec)->alternative_of);
	text(v, v->buf);
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
    {.key = "id", .json = "id", .head = "ID", .width = 4, .flags = COL_RIGHT, .get = get_id},
    {.key = "kommunekode", .json = "kommunekode", .get = get_code},
    {.key = "kommune", .json = "kommune", .head = "Kommune", .width = 14, .get = get_kommune},
    {.key = "budgetaar", .json = "budget_year", .head = "År", .width = 4, .get = get_year},
    {.key = "ref", .json = "ref", .get = get_ref},
    {.key = "titel", .json = "title", .head = "Titel", .width = -1, .flags = COL_TITLE,
     .get = get_title},
    {.key = "omraade", .json = "area", .get = get_area},
    {.key = "type", .json = "kind", .get = get_kind},
    {.key = "vedtaget", .json = "adopted", .get = get_adopted},
    {.key = "effekt_kr",
     .json = "effect_kr",
     .head = "Effekt (kr)",
     .label = "Effekt",
     .note = "kr./år, + = besparelse",
     .cell = "Effekt, kr./år",
     .width = 13,
     .flags = COL_RIGHT | COL_SIGNED,
     .get = get_effect},
    {.key = "kr_pr_indbygger",
     .json = "effect_per_inhabitant_kr",
     .head = "Kr. pr. indb.",
     .label = "Pr. indbygger",
     .note = "kr./år, budgetårets folketal",
     .cell = "Pr. indbygger, kr./år",
     .width = 13,
     .decimals = 2,
     .flags = COL_RIGHT | COL_SIGNED,
     .get = get_per},
    {.key = "folketal", .json = "population", .get = get_population},
    {.key = "folketal_aar", .json = "population_year", .get = get_population_year},
    {.key = "folketal_kilde", .json = "population_source", .get = get_population_source},
    {.key = "folketal_og_aar",
     .head = "Folketal (år)",
     .label = "Folketal",
     .note = "(budgetår)",
     .cell = "Folketal (år)",
     .width = 16,
     .flags = COL_NO_CSV | COL_RIGHT,
     .get = get_population_text},
    {.key = "projiceret_kr",
     .json = "projected_kr",
     .head = "I {kommune} (kr)",
     .label = "I {kommune}",
     .note = "kr./år, folketal {aar}",
     .cell = "I {kommune}, kr./år",
     .width = 16,
     .need = COL_PJ,
     .flags = COL_RIGHT | COL_SIGNED,
     .get = get_projected},
    {.key = "projiceret_kommune", .need = COL_PJ | COL_BASKET, .get = get_pj_kommune},
    {.key = "projiceret_folketal", .need = COL_PJ | COL_BASKET, .get = get_pj_population},
    {.key = "projiceret_folketal_aar", .need = COL_PJ | COL_BASKET, .get = get_pj_year},
    {.key = "score",
     .label = "Score",
     .cell = "Score",
     .decimals = 3,
     .need = COL_SCORE,
     .flags = COL_RIGHT,
     .get = get_score,
     .json_fn = json_score},
    {.key = "source", .json = "source", .flags = COL_NO_CSV, .get = get_source},
    {.key = "source_title", .json = "source_title", .flags = COL_NO_CSV, .get = get_source_title},
    {.key = "source_url", .json = "source_url", .flags = COL_NO_CSV, .get = get_source_url},
    {.key = "kilde", .get = get_kilde},
    {.key = "kilde_url", .get = get_kilde_url},
    {.key = "kilde_side", .get = get_page},
    {.key = "alternativ_til", .need = COL_BASKET, .get = get_alternative_of},
    {.key = "snippet", .flags = COL_NO_CSV, .get = get_source, .json_fn = json_snippet},
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

/* ---- search --json ---------------------------------------------------------------- */

static cJSON *facets_json(const ib_facet *f, size_t n)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; a && i < n; i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "value", f[i].value);
		cJSON_AddNumberToObject(o, "count", (double)f[i].n);
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

cJSON *cli_search_json(const ib_result *r, const char *query, int facets,
		       const cli_projection *pj, int with_score)
{
	cJSON *o = cJSON_CreateObject();
	if (query)
		cJSON_AddStringToObject(o, "query", query);
	else
		cJSON_AddNullToObject(o, "query");
	cJSON_AddNumberToObject(o, "total", (double)r->total);
	cJSON *arr = cJSON_AddArrayToObject(o, "results");
	cli_cols_ctx x = cli_line_ctx(pj, with_score, 0);
	for (size_t i = 0; i < r->n; i++) {
		cli_line l = cli_line_of_hit(&r->hits[i], pj);
		cJSON *h = cJSON_CreateObject();
		cli_cols_json(h, cli_line_cols, &l, &x);
		cJSON_AddItemToArray(arr, h);
	}
	if (pj) {
		cJSON *f = cJSON_AddObjectToObject(o, "projected_for");
		char code[8];
		snprintf(code, sizeof code, "%03d", pj->m.code);
		cJSON_AddStringToObject(f, "kommunekode", code);
		cJSON_AddStringToObject(f, "kommune", pj->m.name);
		cJSON_AddNumberToObject(f, "population", (double)pj->inhabitants);
		cJSON_AddNumberToObject(f, "population_year", pj->year);
		cJSON_AddStringToObject(f, "population_source", pj->source);
	}
	if (facets) {
		cJSON *f = cJSON_AddObjectToObject(o, "facets");
		cJSON_AddItemToObject(f, "area", facets_json(r->by_area, r->n_by_area));
		cJSON_AddItemToObject(f, "budget_year", facets_json(r->by_year, r->n_by_year));
		cJSON_AddItemToObject(f, "kommune", facets_json(r->by_kommune, r->n_by_kommune));
		cJSON_AddItemToObject(f, "kind", facets_json(r->by_kind, r->n_by_kind));
	}
	return o;
}

/* ---- the basket ------------------------------------------------------------------- */

/* Fill b's line i from its proposal: the municipality's name, the population in the
 * budget year and the effect per inhabitant, the projection. */
static int basket_line(ib_store *s, cli_basket *b, size_t i, const cli_projection *pj,
		       ib_error *err)
{
	const ib_proposal *p = b->ps[i];
	ib_hit *h = &b->hits[i];
	ib_municipality m;
	char code[8];
	snprintf(code, sizeof code, "%03d", p->kommunekode);
	h->id = p->id;
	h->kommunekode = p->kommunekode;
	h->kommune = strdup(ib_store_find_municipality(s, code, &m, NULL) == IB_OK ? m.name : code);
	h->budget_year = p->budget_year;
	h->ref = p->ref;
	h->title = p->title;
	h->area = p->area;
	h->kind = p->kind;
	h->adopted = p->adopted;
	h->effect_kr = p->effect_kr;
	h->per_inhabitant = IB_NA;
	h->source = p->source;
	h->page = p->page;
	int rc = ib_store_population(s, p->kommunekode, p->budget_year, &h->population,
				     &h->population_year, &h->population_source, err);
	if (rc == IB_ENOTFOUND) {
		rc = IB_OK;
		h->population = 0, h->population_year = 0;
	} else if (!rc && h->population > 0 && !ib_is_na(p->effect_kr)) {
		h->per_inhabitant = p->effect_kr / (double)h->population;
	}
	cli_line *l = &b->lines[i];
	l->h = h;
	l->own = pj && p->kommunekode == pj->m.code;
	/* its own proposal is not projected onto itself */
	l->projected = !pj ? IB_NA : l->own ? p->effect_kr : cli_projected(h, pj);
	return h->kommune ? rc : IB_ENOMEM;
}

/* Whether line i is an alternative of a case an earlier line counts: its id then. */
static int64_t counted_alternative(const cli_basket *b, size_t i)
{
	const ib_proposal *p = b->ps[i];
	for (size_t k = 0; p->case_key && p->variant && k < i; k++) {
		const ib_proposal *q = b->ps[k];
		if (q->kommunekode == p->kommunekode && q->case_key && q->variant &&
		    !strcmp(q->case_key, p->case_key) && !b->lines[k].alternative_of)
			return q->id;
	}
	return 0;
}

int cli_basket_load(ib_store *s, const int64_t *ids, size_t n, const cli_projection *pj,
		    cli_basket *b, ib_error *err)
{
	memset(b, 0, sizeof *b);
	b->ps = calloc(n + 1, sizeof *b->ps);
	b->hits = calloc(n + 1, sizeof *b->hits);
	b->lines = calloc(n + 1, sizeof *b->lines);
	if (!b->ps || !b->hits || !b->lines)
		return ib_error_set(err, IB_ENOMEM, NULL);
	for (size_t i = 0; i < n; i++) {
		ib_error e = {0};
		int rc = ib_store_get_proposal(s, ids[i], &b->ps[b->n], &e);
		if (rc == IB_ENOTFOUND) {
			if (b->n_missing < sizeof b->missing / sizeof b->missing[0])
				b->missing[b->n_missing++] = ids[i];
			continue;
		}
		if (rc) {
			*err = e;
			return rc;
		}
		rc = basket_line(s, b, b->n++, pj, err);
		if (rc)
			return rc;
	}
	for (size_t i = 0; i < b->n; i++) {
		const cli_line *l = &b->lines[i];
		b->lines[i].alternative_of = counted_alternative(b, i);
		if (l->alternative_of)
			continue;
		b->n_counted++;
		if (ib_is_na(l->h->effect_kr))
			b->n_unknown++;
		else
			b->effect += l->h->effect_kr;
		if (!ib_is_na(l->h->per_inhabitant))
			b->per_inhabitant += l->h->per_inhabitant;
		if (!ib_is_na(l->projected))
			b->projected += l->projected;
	}
	return IB_OK;
}

void cli_basket_free(cli_basket *b)
{
	for (size_t i = 0; i < b->n; i++) {
		ib_proposal_free(b->ps[i]);
		free(b->hits[i].kommune);
		free(b->hits[i].population_source);
	}
	free(b->ps);
	free(b->hits);
	free(b->lines);
	memset(b, 0, sizeof *b);
}

void cli_basket_csv(FILE *f, const cli_basket *b, const cli_projection *pj)
{
	cli_cols_ctx x = cli_line_ctx(pj, 0, 1);
	csv_begin(f);
	cli_cols_csv_head(f, cli_line_cols, &x);
	for (size_t i = 0; i < b->n; i++)
		cli_cols_csv_row(f, cli_line_cols, &b->lines[i], &x);
}

const char *cli_basket_alternatives(const cli_basket *b, char *out, size_t n)
{
	ib_buf t;
	ib_buf_init(&t, 0);
	for (size_t i = 0; i < b->n; i++) {
		int64_t of = b->lines[i].alternative_of;
		if (!of)
			continue;
		const ib_proposal *p = b->ps[i], *q = NULL;
		for (size_t k = 0; k < i && !q; k++)
			if (b->ps[k]->id == of)
				q = b->ps[k];
		ib_buf_addf(&t, "%s%lld (%s) er et alternativ til %lld (%s) i sag %s og tæller ikke "
				"med i summen.",
			    t.n ? " " : "", (long long)p->id, p->variant, (long long)of,
			    q ? q->variant : "", p->case_key);
	}
	snprintf(out, n, "%s", ib_buf_str(&t));
	ib_buf_free(&t);
	return out;
}
