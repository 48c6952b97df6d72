/* doc_rows.c - a proposal's table of yearly amounts read as rows named by rule rows.
 *
 * A table rule finds the table ("Økonomiske konsekvenser", "Tabel 1") and its year
 * columns; it ends at a table_end rule or a field.  A line that begins with a row
 * rule's text starts a named row; label lines without numbers continue a label; the
 * values of a row may follow on later lines.  Short named rows are placed by align
 * rules (else they are unknown), a row printed without a label takes the place a
 * row_next rule gives it.  Rows are read as printed; the check rules (a net against
 * the other rows, a subtotal against the rows above it, a total against named rows)
 * become flags, never corrections, and the effect follows the majority of the document
 * when the printed net disagrees with both its rows and the overview. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc_int.h"
#include "ideabank/buf.h"
#include "ideabank/num.h"

/* Most numbers read from one line. */
#define TAIL_MAX 32

static const char *name_of(const doc_rule *x)
{
	return *x->arg ? x->arg : x->text;
}

/* The row rule whose name is name, or NULL. */
static const doc_rule *row_rule(const doc_ctx *c, const char *name)
{
	for (const doc_rule *x = doc_rule_next("row", NULL, c->code); x;
	     x = doc_rule_next("row", x, c->code))
		if (!strcmp(name_of(x), name))
			return x;
	return NULL;
}

const doc_row *doc_table_row(const doc_table *t, const char *name)
{
	for (size_t i = 0; t && i < t->n_rows; i++)
		if (t->rows[i].rule && !strcmp(t->rows[i].name, name))
			return &t->rows[i];
	return NULL;
}

const doc_row *doc_table_role(const doc_table *t, const char *role)
{
	for (size_t i = 0; t && i < t->n_rows; i++)
		if (t->rows[i].rule && !strcmp(t->rows[i].rule->value, role))
			return &t->rows[i];
	return NULL;
}

void doc_table_free(doc_table *t)
{
	if (t)
		free(t->rows);
}

/* ---- finding the table ------------------------------------------------------------ */

/* The first table rule's line in [from, to) with year columns on it or within the
 * rule's lines (a first year may stand alone on the line above the others). */
static int find_years(const doc_ctx *c, size_t from, size_t to, doc_table *t)
{
	const ib_doc *d = c->d;
	for (size_t i = from; i < to; i++) {
		const doc_rule *x = doc_rule_find(c, "table", NULL, d->line[i], NULL);
		int lone = 0;
		for (size_t k = i; x && k <= i + (size_t)x->lines && k < to; k++) {
			double v[TAIL_MAX];
			size_t ll;
			int n = ib_doc_tail_numbers(d->line[k], v, TAIL_MAX, NULL, &ll);
			if (k > i && n == 1 && ll == 0 && v[0] >= 1990 && v[0] <= 2100 &&
			    v[0] == floor(v[0])) {
				lone = (int)v[0];
				continue;
			}
			int years[DOC_MAX_COLS];
			int ny = doc_year_columns(d->line[k], years, DOC_MAX_COLS - 1);
			if (!ny)
				continue;
			if (lone && years[0] == lone + 1)
				t->years[t->ncols++] = lone;
			for (int j = 0; j < ny; j++)
				t->years[t->ncols++] = years[j];
			t->rule = x;
			t->title_line = i;
			t->years_line = k;
			return 1;
		}
	}
	return 0;
}

/* ---- reading rows ----------------------------------------------------------------- */

/* A row printed with a dash cell before a number ("Service - 205 205 205 205") reads as
 * "- 205" = -205 and comes out one value short.  When reading every lone dash as an
 * empty (0) cell gives exactly one value per column, that is the reading used.  Returns
 * the number of values now in v. */
static int dash_cells(const char *z, size_t label_len, int ncols, double *v, int n)
{
	char tail[512];
	size_t k = 0;
	for (const char *p = z + label_len; *p && k + 2 < sizeof tail; p++) {
		int lone = *p == '-' && (p == z + label_len || p[-1] == ' ') && p[1] == ' ';
		tail[k++] = lone ? '0' : *p;
	}
	tail[k] = '\0';
	double w[TAIL_MAX];
	int ph = 0;
	size_t rest = 0;
	int m = ib_doc_tail_numbers(tail, w, TAIL_MAX, &ph, &rest);
	if (m != ncols || rest != 0 || ph)
		return n;
	memcpy(v, w, sizeof w[0] * (size_t)m);
	return m;
}

/* Whether the next non-blank line in [i, to) goes on in lower case: a number on the
 * line before it is inside a sentence ("et 12" / "ugers forløb"), not a cell. */
static int sentence_goes_on(const ib_doc *d, size_t i, size_t to)
{
	while (i < to && doc_is_blank(d->line[i]))
		i++;
	const unsigned char *w = (const unsigned char *)doc_skip_blank(i < to ? d->line[i] : "");
	return (*w >= 'a' && *w <= 'z') ||
	       (w[0] == 0xC3 && (w[1] == 0xA6 || w[1] == 0xB8 || w[1] == 0xA5));
}

/* Whether a label is prose (a long text or a sentence), not a row's label. */
static int is_prose(const char *z)
{
	size_t n = strlen(z);
	return n > 100 || (n > 0 && z[n - 1] == '.');
}

/* Add up to the row's free columns of values to r; returns how many were taken. */
static int add_values(doc_row *r, const double *v, int n, int ph, size_t line, const char *printed,
		      int ncols)
{
	int take = n < ncols - r->n ? n : ncols - r->n;
	if (!r->n)
		r->line = line;
	for (int k = 0; k < take; k++)
		r->v[r->n++] = v[k];
	r->ph += take < n ? 0 : ph;
	doc_label_add(r->printed, sizeof r->printed, printed);
	return take;
}

static doc_row *new_row(doc_table *t)
{
	doc_row *r = &t->rows[t->n_rows++];
	memset(r, 0, sizeof *r);
	return r;
}

static void read_rows(const doc_ctx *c, doc_table *t)
{
	const ib_doc *d = c->d;
	doc_row *cur = NULL;
	char pending[512] = "";
	for (size_t i = t->years_line + 1; i < t->end; i++) {
		const char *z = d->line[i];
		if (doc_is_blank(z))
			continue;
		const doc_rule *x = doc_rule_find(c, "row", NULL, z, NULL);
		double v[TAIL_MAX];
		size_t ll;
		int ph = 0;
		int n = ib_doc_tail_numbers(z, v, TAIL_MAX, &ph, &ll);
		if (n && n < t->ncols)
			n = dash_cells(z, ll, t->ncols, v, n);
		char label[512];
		snprintf(label, sizeof label, "%.*s", (int)ll, z);
		doc_squeeze(label);
		if (!x && n && *label && n < t->ncols && sentence_goes_on(d, i + 1, t->end)) {
			snprintf(label, sizeof label, "%s", z);
			doc_squeeze(label);
			n = 0;
		}
		if (x) {
			pending[0] = '\0';
			cur = new_row(t);
			cur->rule = x;
			snprintf(cur->label, sizeof cur->label, "%s", label);
		} else if (!n) {
			if (cur && cur->rule && !cur->n)
				doc_label_add(cur->label, sizeof cur->label, label);
			else
				doc_label_add(pending, sizeof pending, label);
			continue;
		} else if (cur && cur->n < t->ncols && !*pending && (!*label || cur->rule)) {
			if (*label && !cur->n)
				doc_label_add(cur->label, sizeof cur->label, label);
		} else {
			cur = new_row(t);
			if (!is_prose(pending))
				doc_label_add(cur->label, sizeof cur->label, pending);
			doc_label_add(cur->label, sizeof cur->label, label);
			cur->unnamed = !*cur->label;
			pending[0] = '\0';
		}
		int took = n ? add_values(cur, v, n, ph, i, z + ll, t->ncols) : 0;
		if (took < n) {
			/* more values than columns: a row of its own, printed without a label */
			cur = new_row(t);
			cur->unnamed = 1;
			add_values(cur, v + took, n - took, 0, i, "", t->ncols);
		}
	}
}

/* Name the rows: a row started by a row rule, or whose whole label begins with one;
 * of two rows of one name the one printed with the name alone wins. */
static void name_rows(const doc_ctx *c, doc_table *t)
{
	for (size_t i = 0; i < t->n_rows; i++) {
		doc_row *r = &t->rows[i];
		doc_hit h;
		const doc_rule *x = r->rule ? r->rule : doc_rule_find(c, "row", NULL, r->label, &h);
		if (!x || !doc_rule_match(x, r->label, &h)) {
			r->rule = NULL;
			continue;
		}
		r->rule = x;
		r->name = name_of(x);
		r->sub = doc_skip_blank(h.end);
	}
	for (size_t i = 0; i < t->n_rows; i++) {
		doc_row *r = &t->rows[i];
		for (size_t k = 0; r->rule && k < t->n_rows; k++) {
			doc_row *o = &t->rows[k];
			if (k == i || !o->rule || strcmp(o->name, r->name))
				continue;
			/* r gives way to a row of its name printed alone, or to one before it */
			if ((!*o->sub && *r->sub) || (k < i && !*o->sub == !*r->sub))
				r->rule = NULL, r->name = NULL;
		}
	}
}

/* A row printed without a label takes the place a row_next rule gives it after the
 * named row above it, when the table has no row of that name; a single value beside a
 * side column is no yearly value; anything else is left out, and said so. */
static int place_unnamed(const doc_ctx *c, doc_table *t, ib_proposal *p)
{
	int rc = IB_OK;
	for (size_t i = 0; i < t->n_rows && !rc; i++) {
		doc_row *r = &t->rows[i];
		if (!r->unnamed || r->rule)
			continue;
		const doc_row *above = NULL;
		for (size_t k = 0; k < i; k++)
			if (t->rows[k].rule)
				above = &t->rows[k];
		char printed[256];
		doc_list_values(r->v, r->n, 0, printed, sizeof printed);
		const doc_rule *to = NULL;
		for (const doc_rule *x = doc_rule_next("row_next", NULL, c->code);
		     x && above && r->n == t->ncols && !to;
		     x = doc_rule_next("row_next", x, c->code))
			if (doc_rule_match(x, above->name, NULL) && !doc_table_row(t, x->value))
				to = row_rule(c, x->value);
		if (to) {
			r->rule = to;
			r->name = name_of(to);
			r->sub = "";
			rc = ib_proposal_add_flag(
			    p, "unnamed_row",
			    "værdierne %s i linje %zu har ingen rækketekst; læst "
			    "som %s",
			    printed, r->line + 1, r->name);
			doc_explain(
			    c,
			    "  line %zu: values without a label read as %s (layout_rules.csv:%d)",
			    r->line + 1, r->name, to->csv_line);
		} else if (r->n == 1 && t->side) {
			rc = doc_note(c->r,
				      "%s: %s printed in the '%s' column (line %zu); not a yearly "
				      "value",
				      p->ref ? p->ref : p->title, printed, t->side, r->line + 1);
		} else {
			rc = ib_proposal_add_flag(
			    p, "unplaced_values",
			    "værdierne %s i linje %zu hører ikke til nogen række; "
			    "udeladt",
			    printed, r->line + 1);
		}
	}
	return rc;
}

/* A named row whose own label names another row (row_label rules: "Udgifter:
 * Investering i ...") is that row when the table has none. */
static int rows_from_label(const doc_ctx *c, doc_table *t, ib_proposal *p)
{
	int rc = IB_OK;
	for (size_t i = 0; i < t->n_rows && !rc; i++) {
		doc_row *r = &t->rows[i];
		const doc_rule *x = NULL;
		for (x = doc_rule_next("row_label", NULL, c->code); x && r->rule;
		     x = doc_rule_next("row_label", x, c->code))
			if (!strcmp(r->name, x->arg) && doc_rule_match(x, r->sub, NULL) &&
			    !doc_table_row(t, x->value) && row_rule(c, x->value))
				break;
		if (!x || !r->rule)
			continue;
		rc = ib_proposal_add_flag(p, "row_from_label",
					  "'%s' er trykt som en %s-række; læst som %s", r->sub,
					  r->name, x->value);
		doc_explain(c,
			    "  line %zu: the %s row read as %s by its label (layout_rules.csv:%d)",
			    r->line + 1, r->name, x->value, x->csv_line);
		r->rule = row_rule(c, x->value);
		r->name = name_of(r->rule);
	}
	return rc;
}

/* Place a short row's values in the first or last columns (align), the rest blank. */
static void place(const doc_table *t, const doc_row *r, int last, double *v, int *blank)
{
	int n = r->n < t->ncols ? r->n : t->ncols;
	int shift = last ? t->ncols - n : 0;
	for (int k = 0; k < t->ncols; k++) {
		v[k] = IB_NA;
		blank[k] = k < shift || k >= shift + n;
	}
	for (int k = 0; k < n; k++)
		v[shift + k] = r->v[k];
}

/* How a row of this name is placed when short: 1 last years, 0 first, -1 not at all. */
static int align_of(const doc_ctx *c, const char *name)
{
	const doc_rule *x = doc_rule_find(c, "align", NULL, name, NULL);
	return x ? !strcmp(x->value, "last") : -1;
}

/* Short and placeholder rows: placed by their align rule (columns_assumed), else
 * unknown (incomplete_row); placeholders are unknown (placeholder). */
static int finish_rows(const doc_ctx *c, doc_table *t, ib_proposal *p)
{
	int rc = IB_OK;
	for (size_t i = 0; i < t->n_rows && !rc; i++) {
		doc_row *r = &t->rows[i];
		if (!r->rule || !r->n)
			continue;
		int last = align_of(c, r->name), fte = !strcmp(r->rule->value, "fte");
		if (r->n < t->ncols && last >= 0) {
			double v[DOC_MAX_COLS];
			char printed[256];
			doc_list_values(r->v, r->n, fte, printed, sizeof printed);
			if (fte)
				rc = ib_proposal_add_flag(p, "fte_columns_assumed",
							  "%d af %d årsværk-værdier trykt (%s); "
							  "placeret i de sidste år",
							  r->n, t->ncols, printed);
			else
				rc = ib_proposal_add_flag(
				    p, "columns_assumed",
				    "%s: %d af %d værdier trykt; placeret i de "
				    "%s år",
				    r->name, r->n, t->ncols, last ? "sidste" : "første");
			place(t, r, last, v, r->blank);
			memcpy(r->v, v, sizeof v);
			r->n = t->ncols;
		} else if (r->n < t->ncols) {
			rc = ib_proposal_add_flag(
			    p, "incomplete_row",
			    "%s: %d af %d værdier trykt ('%s'); læst som ukendt", r->name, r->n,
			    t->ncols, r->printed);
			r->n = 0;
		} else if (r->ph) {
			rc = ib_proposal_add_flag(
			    p, "placeholder", "%s trykt som pladsholdere ('%s'); læst som ukendt",
			    r->name, r->printed);
		}
	}
	return rc;
}

int doc_table_read(const doc_ctx *c, size_t from, size_t to, ib_proposal *p, doc_table *t)
{
	const ib_doc *d = c->d;
	memset(t, 0, sizeof *t);
	if (!find_years(c, from, to, t))
		return ib_proposal_add_flag(p, "no_table",
					    "ingen tabel med årskolonner; tal ukendte") == IB_OK
			   ? 0
			   : -1;
	t->end = to;
	for (size_t i = t->years_line + 1; i < to && t->end == to; i++)
		if (doc_rule_find(c, "table_end", NULL, d->line[i], NULL) ||
		    doc_rule_find(c, "field", NULL, d->line[i], NULL))
			t->end = i;
	for (size_t i = t->title_line; i < t->end && !t->side; i++) {
		const doc_rule *x = doc_rule_find(c, "side_column", NULL, d->line[i], NULL);
		t->side = x ? x->text : NULL;
	}
	/* a row per line at most, and one more per line for values past the columns */
	t->rows = calloc(2 * (t->end - t->years_line) + 1, sizeof *t->rows);
	if (!t->rows)
		return -1;
	doc_explain(c,
		    "  table: line %zu by layout_rules.csv:%d (%s), year columns %d-%d on line "
		    "%zu, rows to line %zu",
		    t->title_line + 1, t->rule->csv_line, t->rule->text, t->years[0],
		    t->years[t->ncols - 1], t->years_line + 1, t->end);
	read_rows(c, t);
	name_rows(c, t);
	int rc = place_unnamed(c, t, p);
	if (!rc)
		rc = rows_from_label(c, t, p);
	if (!rc)
		rc = finish_rows(c, t, p);
	for (size_t i = 0; i < t->n_rows; i++)
		if (t->rows[i].rule)
			doc_explain(c, "  line %zu: row %s by layout_rules.csv:%d ('%s')",
				    t->rows[i].line ? t->rows[i].line + 1 : 0, t->rows[i].name,
				    t->rows[i].rule->csv_line, t->rows[i].rule->text);
	if (!rc && !doc_table_role(t, "net")) {
		char names[256] = "";
		for (const doc_rule *x = doc_rule_next("row", NULL, c->code); x;
		     x = doc_rule_next("row", x, c->code))
			if (!strcmp(x->value, "net") && !strstr(names, name_of(x)))
				snprintf(names + strlen(names), sizeof names - strlen(names),
					 "%s'%s'", *names ? " eller " : "", name_of(x));
		rc = ib_proposal_add_flag(p, "no_net_row",
					  "tabellen har ingen række %s; effekt ukendt", names);
	}
	return rc ? -1 : 1;
}

int doc_table_apply(const doc_ctx *c, const doc_table *t, ib_proposal *p)
{
	const doc_row *net = doc_table_role(t, "net"), *inv = doc_table_role(t, "investment");
	const doc_row *exp = doc_table_role(t, "expenses"), *inc = doc_table_role(t, "income");
	const doc_row *fte = doc_table_role(t, "fte");
	size_t line = net && net->n ? net->line : inv && inv->n ? inv->line : t->years_line;
	int rc = IB_OK;
	double cost = 0;
	int any = 0;
	for (int k = 0; k < t->ncols && !rc; k++) {
		ib_proposal_year y = ib_proposal_year_blank(t->years[k]);
		y.net = net && net->n ? net->v[k] : IB_NA;
		y.investment = inv && inv->n ? inv->v[k] : IB_NA;
		y.expenses = exp && exp->n ? exp->v[k] : IB_NA;
		y.income = inc && inc->n ? inc->v[k] : IB_NA;
		y.fte = fte && fte->n ? fte->v[k] : IB_NA;
		y.page = c->d->page[line];
		y.line = (int)line + 1;
		if (!ib_is_na(y.investment))
			cost += y.investment, any = 1;
		rc = ib_proposal_add_year(p, &y);
	}
	doc_effect_from_net(p);
	p->impl_cost_kr = any ? cost * 1000.0 : IB_NA;
	return rc;
}

/* ---- checks ----------------------------------------------------------------------- */

/* Whether two series agree wherever both are known (and in at least one year); b may
 * be rounded to unit. */
static int agree(const double *a, const double *b, int n, int unit)
{
	int compared = 0;
	for (int k = 0; k < n; k++) {
		if (ib_is_na(a[k]) || ib_is_na(b[k]))
			continue;
		compared++;
		if (!doc_near_equal(a[k], b[k]) &&
		    !(unit > 1 && doc_near_equal(b[k], round(a[k] / unit) * unit)))
			return 0;
	}
	return compared > 0;
}

/* The parts of check x on row r, added up per year into sum (IB_NA where a part is
 * unknown or none is printed).  Returns the number of parts. */
static int add_parts(const doc_ctx *c, const doc_rule *x, const doc_table *t, const doc_row *r,
		     double *sum)
{
	int n = 0, printed[DOC_MAX_COLS] = {0}, unknown[DOC_MAX_COLS] = {0};
	int last = align_of(c, r->name);
	size_t from = 0, at = (size_t)(r - t->rows);
	for (size_t i = 0; i < at; i++)
		if (t->rows[i].rule)
			from = i + 1;
	for (int k = 0; k < t->ncols; k++)
		sum[k] = 0;
	for (size_t i = 0; i < t->n_rows; i++) {
		const doc_row *o = &t->rows[i];
		int part;
		if (!strcmp(x->match, "rows")) /* the other named rows of money */
			part = o->rule && o != r && strcmp(o->rule->value, "fte") &&
			       strcmp(o->rule->value, "total");
		else if (!strcmp(x->match, "parts")) /* the rows above since the last named */
			part = !o->rule && i >= from && i < at &&
			       !doc_rule_find(c, "subtotal", NULL, o->label, NULL);
		else { /* sum: the rows the rule names */
			part = 0;
			for (const char *p = x->arg; o->rule && *p && !part;) {
				size_t k = strcspn(p, "+");
				part = strlen(o->name) == k && !strncmp(o->name, p, k);
				p += k + (p[k] == '+');
			}
		}
		if (!part || !o->n)
			continue;
		double v[DOC_MAX_COLS];
		int blank[DOC_MAX_COLS];
		if (o->rule)
			memcpy(v, o->v, sizeof v), memcpy(blank, o->blank, sizeof blank);
		else
			place(t, o, last > 0, v, blank);
		n++;
		for (int k = 0; k < t->ncols; k++) {
			if (!ib_is_na(v[k]))
				sum[k] += v[k], printed[k] = 1;
			else if (!blank[k])
				unknown[k] = 1;
		}
	}
	for (int k = 0; k < t->ncols; k++)
		if (unknown[k] || !printed[k])
			sum[k] = IB_NA;
	return n;
}

/* When the printed net disagrees with both the rows and the overview, and those two
 * agree, the document says twice what the net is: the effect is read from the rows
 * (the printed net stays in the yearly table, and the flag says which figure was
 * used).  Fills used ("" when the printed net is used). */
static void majority(const doc_table *t, const doc_row *net, const double *rows, const double *ov,
		     int rounded, ib_proposal *p, char *used, size_t size)
{
	used[0] = '\0';
	if (!ov || ib_is_na(p->effect_kr) || (size_t)t->ncols != p->n_years ||
	    agree(net->v, rows, t->ncols, 0) || agree(net->v, ov, t->ncols, rounded) ||
	    !agree(rows, ov, t->ncols, rounded))
		return;
	double printed_effect = p->effect_kr;
	for (size_t k = 0; k < p->n_years; k++)
		p->years[k].net = rows[k];
	doc_effect_from_net(p);
	for (size_t k = 0; k < p->n_years; k++)
		p->years[k].net = net->v[k];
	if (ib_is_na(p->effect_kr))
		return;
	char e_used[48], e_printed[48];
	ib_num_format(p->effect_kr, 0, e_used, sizeof e_used);
	ib_num_format(printed_effect, 0, e_printed, sizeof e_printed);
	snprintf(used, size,
		 "; rækkerne og oversigtstabellen er enige, så effekten er læst af dem: %s kr. "
		 "(den trykte %s ville give %s kr.)",
		 e_used, net->name, e_printed);
}

int doc_table_check(const doc_ctx *c, const doc_table *t, const double *ov, int rounded,
		    ib_proposal *p)
{
	int rc = IB_OK;
	const doc_row *net = doc_table_role(t, "net");
	for (const doc_rule *x = doc_rule_next("check", NULL, c->code); x && !rc;
	     x = doc_rule_next("check", x, c->code)) {
		const doc_row *r = doc_table_row(t, x->text);
		double sum[DOC_MAX_COLS];
		int n_parts = r && r->n ? add_parts(c, x, t, r, sum) : 0;
		if (!n_parts)
			continue;
		char used[256] = "";
		if (r == net && strcmp(x->match, "sum"))
			majority(t, r, sum, ov, rounded, p, used, sizeof used);
		double got[DOC_MAX_COLS], want[DOC_MAX_COLS];
		int n = 0, reversed = 1;
		char years[128] = "";
		for (int k = 0; k < t->ncols; k++) {
			if (ib_is_na(r->v[k]) || ib_is_na(sum[k]) ||
			    doc_near_equal(r->v[k], sum[k]))
				continue;
			reversed &= doc_near_equal(r->v[k], -sum[k]);
			snprintf(years + strlen(years), sizeof years - strlen(years), "%s%d",
				 n ? ", " : "", t->years[k]);
			got[n] = r->v[k], want[n] = sum[k], n++;
		}
		doc_explain(c, "  check by layout_rules.csv:%d: %s against %s: %s", x->csv_line,
			    r->name, !strcmp(x->match, "sum") ? x->arg : x->match,
			    n ? "differs" : "agrees");
		if (!n)
			continue;
		char pg[256], pw[256], parts[256] = "";
		doc_list_values(got, n, 0, pg, sizeof pg);
		doc_list_values(want, n, 0, pw, sizeof pw);
		if (!strcmp(x->match, "rows"))
			snprintf(parts, sizeof parts, "rækkerne");
		else if (!strcmp(x->match, "parts"))
			snprintf(parts, sizeof parts, "de %d rækker over den", n_parts);
		else
			for (const char *q = x->arg; *q;) { /* "A+B": "A + B" */
				size_t k = strcspn(q, "+"), at = strlen(parts);
				snprintf(parts + at, sizeof parts - at, "%s%.*s", at ? " + " : "",
					 (int)k, q);
				q += k + (q[k] == '+');
			}
		if (reversed)
			rc = ib_proposal_add_flag(
			    p, "net_sign_reversed",
			    "%s %s (%s) har modsat fortegn af %s, som giver %s%s", r->name, years,
			    pg, parts, pw, used);
		else if (!strcmp(x->match, "sum"))
			rc = ib_proposal_add_flag(p, x->value, "%s %s (%s) er ikke %s (%s)%s",
						  r->name, years, pg, parts, pw, used);
		else
			rc = ib_proposal_add_flag(p, x->value,
						  "%s %s (%s) er ikke summen af %s (%s)%s", r->name,
						  years, pg, parts, pw, used);
	}
	return rc;
}
