/* rec_years.c - a year of a proposal's yearly table (records.h): investment, expenses,
 * income, net and FTEs as the document prints them, and where each year was read.
 * `show` and /forslag print the table turned: a line per column, a column per year. */
#include <stddef.h>

#include "records.h"

#define YEAR(rec) (&((const cli_year *)(rec))->p->years[((const cli_year *)(rec))->i])

/* The figure at offset off of the year: whole numbers without decimals, unknown "?". */
static void figure(const void *rec, cli_fmt f, cli_val *v, size_t off)
{
	double x = *(const double *)((const char *)YEAR(rec) + off);
	if (ib_is_na(x) && (f == CLI_TERM || f == CLI_HTML)) {
		v->z = "?";
		return;
	}
	v->num = 1;
	v->x = x;
	v->decimals = x == (double)(long long)x ? 0 : 2;
}

#define FIGURE(name, field)                                                                  \
	static void name(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)     \
	{                                                                                    \
		(void)x;                                                                     \
		figure(rec, f, v, offsetof(ib_proposal_year, field));                        \
	}
FIGURE(get_investment, investment)
FIGURE(get_expenses, expenses)
FIGURE(get_income, income)
FIGURE(get_net, net)
FIGURE(get_fte, fte)

static void get_year(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	(void)x, (void)f;
	snprintf(v->buf, sizeof v->buf, "%d", YEAR(rec)->year);
	v->z = v->buf;
}

/* Where the year was read: "page:line" in a document with pages, else the line. */
static void get_source(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
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
    {.key = "aar", .get = get_year},
    {.key = "investering", .head = "Investering", .label = "Investering", .get = get_investment},
    {.key = "udgifter", .head = "Udgifter", .label = "Udgifter", .get = get_expenses},
    {.key = "indtaegter", .head = "Indtægter", .label = "Indtægter", .get = get_income},
    {.key = "netto", .head = "Netto", .label = "Netto", .get = get_net},
    {.key = "aarsvaerk", .head = "Årsværk", .label = "Årsværk", .get = get_fte},
    {.key = "kilde", .get = get_source},
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
