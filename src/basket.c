/* basket.c - a basket of proposals (records.h): its lines with the population and
 * projection of each, Idébanken's totals with a case's alternatives counted once, and
 * its CSV; for `basket list`, `basket export --csv`, /kurv and /kurv.csv. */
#include <stdlib.h>
#include <string.h>

#include "records.h"

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
	/* as every list's line: its own proposal is not projected onto itself */
	b->lines[i] = cli_line_of_hit(h, pj);
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
		ib_buf_addf(&t,
			    "%s%lld (%s) er et alternativ til %lld (%s) i sag %s og tæller ikke "
			    "med i summen.",
			    t.n ? " " : "", (long long)p->id, p->variant, (long long)of,
			    q ? q->variant : "", p->case_key);
	}
	snprintf(out, n, "%s", ib_buf_str(&t));
	ib_buf_free(&t);
	return out;
}
