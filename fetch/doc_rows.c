/* doc_rows.c - a proposal's table of yearly amounts read as rows named by rule rows
 * (table, row, align, row_next, row_label rules), and its check rules: flags, never
 * corrections; the effect follows the document's majority (README: "Published
 * documents"). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc_int.h"
#include "ideabank/num.h"

/* Most numbers read from one line. */
#define TAIL_MAX 32

static const char *name_of(const doc_rule *x)
{
	return *x->arg ? x->arg : x->text;
}

/* The row rule named name, or NULL. */
static const doc_rule *row_rule(const doc_ctx *c, const char *name)
{
	foreach_rule (x, "row")
		if (!strcmp(name_of(x), name))
			return x;
	return NULL;
}

const doc_row *doc_table_row(const doc_table *t, const char *z, int by_role)
{
	for (size_t i = 0; t && i < t->n_rows; i++)
		if (t->rows[i].rule &&
		    !strcmp(by_role ? t->rows[i].rule->value : t->rows[i].name, z))
			return &t->rows[i];
	return NULL;
}

void doc_table_free(doc_table *t)
{
	if (t)
		free(t->rows);
}

/* The first table rule's line in [from, to) with year columns on it or within the
 * rule's lines (a first year may stand alone on the line above the others). */
static int find_years(const doc_ctx *c, size_t from, size_t to, doc_table *t)
{
	const ib_doc *d = c->d;
	for (size_t i = from; i < to; i++) {
		const doc_rule *x = doc_rule_find(c, "table", NULL, d->line[i], NULL);
		int lone = 0, years[DOC_MAX_COLS], ny;
		for (size_t k = i; x && k <= i + (size_t)x->lines && k < to; k++) {
			double v[TAIL_MAX];
			size_t ll;
			if (k > i && ib_doc_tail_numbers(d->line[k], v, TAIL_MAX, NULL, &ll) == 1 &&
			    !ll && v[0] >= 1990 && v[0] <= 2100 && v[0] == floor(v[0]))
				lone = (int)v[0];
			else if ((ny = doc_year_columns(d->line[k], years, DOC_MAX_COLS - 1)) > 0) {
				if (lone && years[0] == lone + 1)
					t->years[t->ncols++] = lone;
				for (int j = 0; j < ny; j++)
					t->years[t->ncols++] = years[j];
				t->rule = x, t->title_line = i, t->years_line = k;
				return 1;
			}
		}
	}
	return 0;
}

/* A row printed with a dash cell before a number ("Service - 205 205 205 205") reads
 * "- 205" = -205, one value short: when every lone dash read as an empty (0) cell
 * gives one value per column, that is the reading.  Returns the values now in v. */
static int dash_cells(const char *z, size_t label_len, int ncols, double *v, int n)
{
	char tail[512];
	size_t k = 0, rest = 0;
	for (const char *p = z + label_len; *p && k + 2 < sizeof tail; p++)
		tail[k++] =
		    *p == '-' && (p == z + label_len || p[-1] == ' ') && p[1] == ' ' ? '0' : *p;
	tail[k] = '\0';
	double w[TAIL_MAX];
	int ph = 0, m = ib_doc_tail_numbers(tail, w, TAIL_MAX, &ph, &rest);
	if (m != ncols || rest || ph)
		return n;
	memcpy(v, w, sizeof w[0] * (size_t)m);
	return m;
}

/* Whether the next non-blank line in [i, to) goes on in lower case: a number on the
 * line before is inside a sentence ("et 12" / "ugers forløb"), not a cell. */
static int sentence_goes_on(const ib_doc *d, size_t i, size_t to)
{
	while (i < to && doc_is_blank(d->line[i]))
		i++;
	return i < to && doc_lower_start(d->line[i]);
}

/* Add up to the row's free columns of values v[0..n) to r; returns how many it took. */
static int add_values(doc_row *r, const double *v, int n, int ph, size_t line, const char *printed,
		      int ncols)
{
	int take = n < ncols - r->n ? n : ncols - r->n;
	r->line = r->n ? r->line : line;
	for (int k = 0; k < take; k++)
		r->v[r->n++] = v[k];
	r->ph += take < n ? 0 : ph;
	doc_label_add(r->printed, sizeof r->printed, printed);
	return take;
}

static doc_row *new_row(doc_table *t, size_t line)
{
	doc_row *r = &t->rows[t->n_rows++];
	memset(r, 0, sizeof *r);
	r->at = line;
	return r;
}

static void read_rows(const doc_ctx *c, doc_table *t)
{
	const ib_doc *d = c->d;
	doc_row *cur = NULL;
	char pending[512] = "", label[512];
	for (size_t i = t->years_line + 1; i < t->end; i++) {
		const char *z = d->line[i];
		if (doc_is_blank(z))
			continue;
		const doc_rule *x = doc_rule_find(c, "row", NULL, z, NULL);
		double v[TAIL_MAX];
		size_t ll;
		int ph = 0, n = ib_doc_tail_numbers(z, v, TAIL_MAX, &ph, &ll);
		n = n && n < t->ncols ? dash_cells(z, ll, t->ncols, v, n) : n;
		snprintf(label, sizeof label, "%.*s", (int)ll, z);
		doc_squeeze(label);
		if (!x && n && *label && n < t->ncols && sentence_goes_on(d, i + 1, t->end)) {
			snprintf(label, sizeof label, "%s", z);
			n = 0, doc_squeeze(label);
		}
		if (x) { /* a named row begins */
			pending[0] = '\0';
			cur = new_row(t, i);
			cur->rule = x;
			snprintf(cur->label, sizeof cur->label, "%s", label);
		} else if (!n) { /* more of a label */
			doc_label_add(cur && cur->rule && !cur->n ? cur->label : pending,
				      sizeof pending, label);
			continue;
		} else if (cur && cur->n < t->ncols && !*pending && (!*label || cur->rule)) {
			if (*label && !cur->n) /* the values of the row above */
				doc_label_add(cur->label, sizeof cur->label, label);
		} else { /* a row of its own; a sentence before it is no label */
			cur = new_row(t, i);
			if (strlen(pending) <= 100 &&
			    (!*pending || pending[strlen(pending) - 1] != '.'))
				doc_label_add(cur->label, sizeof cur->label, pending);
			doc_label_add(cur->label, sizeof cur->label, label);
			cur->unnamed = !*cur->label;
			pending[0] = '\0';
		}
		int took = n ? add_values(cur, v, n, ph, i, z + ll, t->ncols) : 0;
		if (took < n) { /* more values than columns: a row without a label */
			cur = new_row(t, i);
			cur->unnamed = 1;
			add_values(cur, v + took, n - took, 0, i, "", t->ncols);
		}
	}
}

/* Name the rows (a row started by a row rule, or whose whole label begins with one; of
 * two rows of a name, the one printed with the name alone, else the first), then give
 * a row without a label the place a row_next rule gives it after the named row above
 * it (a single value beside a side column is no yearly value), and a named row whose
 * own label names another row (row_label rules) that row, when the table has none. */
static int name_rows(const doc_ctx *c, doc_table *t, ib_proposal *p)
{
	doc_hit h;
	for (size_t i = 0; i < t->n_rows; i++) {
		doc_row *r = &t->rows[i];
		r->rule = r->rule ? r->rule : doc_rule_find(c, "row", NULL, r->label, NULL);
		if (r->rule && doc_rule_match(r->rule, r->label, &h))
			r->name = name_of(r->rule), r->sub = doc_skip_blank(h.end);
		else
			r->rule = NULL;
	}
	for (size_t i = 0; i < t->n_rows; i++)
		for (size_t k = 0; t->rows[i].rule && k < t->n_rows; k++) {
			doc_row *r = &t->rows[i], *o = &t->rows[k];
			if (k != i && o->rule && !strcmp(o->name, r->name) &&
			    ((!*o->sub && *r->sub) || (k < i && !*o->sub == !*r->sub)))
				r->rule = NULL, r->name = NULL;
		}
	int rc = IB_OK;
	for (size_t i = 0; i < t->n_rows && !rc; i++) {
		doc_row *r = &t->rows[i], *above = NULL;
		for (size_t k = 0; k < i; k++)
			above = t->rows[k].rule ? &t->rows[k] : above;
		char printed[256];
		doc_list_values(r->v, r->n, 0, printed, sizeof printed);
		const doc_rule *next = NULL;
		foreach_rule (x, "row_next")
			if (!next && r->unnamed && above && r->n == t->ncols &&
			    doc_rule_match(x, above->name, NULL) &&
			    !doc_table_row(t, x->value, 0) && row_rule(c, x->value))
				next = x;
		const doc_rule *label = NULL;
		foreach_rule (x, "row_label")
			if (!label && r->rule && !strcmp(r->name, x->arg) &&
			    doc_rule_match(x, r->sub, NULL) && !doc_table_row(t, x->value, 0) &&
			    row_rule(c, x->value))
				label = x;
		if (next) {
			r->rule = row_rule(c, next->value), r->name = name_of(r->rule), r->sub = "";
			rc = ib_proposal_add_flag(
			    p, "unnamed_row",
			    "værdierne %s i linje %zu har ingen rækketekst; læst som %s", printed,
			    r->line + 1, r->name);
			doc_explain(c, "  line %zu: no label, read as %s (layout_rules.csv:%d)",
				    r->line + 1, r->name, next->csv_line);
		} else if (label) {
			rc = ib_proposal_add_flag(p, "row_from_label",
						  "'%s' er trykt som en %s-række; læst som %s",
						  r->sub, r->name, label->value);
			doc_explain(c, "  line %zu: %s read as %s (layout_rules.csv:%d)",
				    r->line + 1, r->name, label->value, label->csv_line);
			r->rule = row_rule(c, label->value), r->name = name_of(r->rule);
		} else if (r->unnamed && r->n == 1 && t->side) {
			rc = doc_note(
			    c->r,
			    "%s: %s printed in the '%s' column (line %zu); not a yearly value",
			    p->ref ? p->ref : p->title, printed, t->side, r->line + 1);
		} else if (r->unnamed) {
			rc = ib_proposal_add_flag(
			    p, "unplaced_values",
			    "værdierne %s i linje %zu hører ikke til nogen række; udeladt", printed,
			    r->line + 1);
		}
	}
	return rc;
}

/* Place a short row's values in the first or last columns, the others blank. */
static void place(const doc_table *t, const doc_row *r, int last, double *v, int *blank)
{
	int n = r->n < t->ncols ? r->n : t->ncols, shift = last ? t->ncols - n : 0;
	for (int k = 0; k < t->ncols; k++) {
		v[k] = k >= shift && k < shift + n ? r->v[k - shift] : IB_NA;
		blank[k] = k < shift || k >= shift + n;
	}
}

/* How a row of this name is placed when short: 1 last years, 0 first, -1 not at all. */
static int align_of(const doc_ctx *c, const char *name)
{
	const doc_rule *x = doc_rule_find(c, "align", NULL, name, NULL);
	return x ? !strcmp(x->value, "last") : -1;
}

int doc_table_read(const doc_ctx *c, size_t from, size_t to, ib_proposal *p, doc_table *t)
{
	const ib_doc *d = c->d;
	memset(t, 0, sizeof *t);
	if (!find_years(c, from, to, t))
		return ib_proposal_add_flag(p, "no_table",
					    "ingen tabel med årskolonner; tal ukendte")
			   ? -1
			   : 0;
	for (t->end = t->years_line + 1; t->end < to; t->end++)
		if (doc_rule_find(c, "table_end", NULL, d->line[t->end], NULL) ||
		    doc_rule_find(c, "field", NULL, d->line[t->end], NULL))
			break;
	for (size_t i = t->title_line; i < t->end && !t->side; i++) {
		const doc_rule *x = doc_rule_find(c, "side_column", NULL, d->line[i], NULL);
		t->side = x ? x->text : NULL;
	}
	/* a row per line at most, and one more per line for values past the columns */
	if (!(t->rows = calloc(2 * (t->end - t->years_line) + 1, sizeof *t->rows)))
		return -1;
	doc_explain(
	    c,
	    "  table: line %zu by layout_rules.csv:%d (%s), years %d-%d on line %zu, to line %zu",
	    t->title_line + 1, t->rule->csv_line, t->rule->text, t->years[0],
	    t->years[t->ncols - 1], t->years_line + 1, t->end);
	read_rows(c, t);
	int rc = name_rows(c, t, p);
	/* short rows: placed by their align rule, else unknown; placeholders unknown */
	for (size_t i = 0; i < t->n_rows && !rc; i++) {
		doc_row *r = &t->rows[i];
		if (!r->rule)
			continue;
		doc_explain(c, "  line %zu: row %s by layout_rules.csv:%d ('%s')",
			    (r->n ? r->line : r->at) + 1, r->name, r->rule->csv_line,
			    r->rule->text);
		int last = align_of(c, r->name), fte = !strcmp(r->rule->value, "fte");
		char printed[256];
		doc_list_values(r->v, r->n, fte, printed, sizeof printed);
		if (r->n && r->n < t->ncols && last >= 0) {
			if (fte)
				rc = ib_proposal_add_flag(
				    p, "fte_columns_assumed",
				    "%d af %d årsværk-værdier trykt (%s); placeret i de sidste år",
				    r->n, t->ncols, printed);
			else
				rc = ib_proposal_add_flag(
				    p, "columns_assumed",
				    "%s: %d af %d værdier trykt; placeret i de %s år", r->name,
				    r->n, t->ncols, last ? "sidste" : "første");
			doc_row placed = *r;
			place(t, &placed, last, r->v, r->blank);
			r->n = t->ncols;
		} else if (r->n && r->n < t->ncols) {
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
	if (!rc && !doc_table_row(t, "net", 1))
		rc = ib_proposal_add_flag(
		    p, "no_net_row", "tabellen har ingen række med nettoeffekten; effekt ukendt");
	return rc ? -1 : 1;
}

int doc_table_apply(const doc_ctx *c, const doc_table *t, ib_proposal *p)
{
	static const char *const roles[] = {"net", "investment", "expenses", "income", "fte"};
	const doc_row *row[5];
	for (int i = 0; i < 5; i++)
		row[i] = doc_table_row(t, roles[i], 1);
	size_t line = row[0] && row[0]->n   ? row[0]->line
		      : row[1] && row[1]->n ? row[1]->line
					    : t->years_line;
	double cost = 0;
	int rc = IB_OK, any = 0;
	for (int k = 0; k < t->ncols && !rc; k++) {
		ib_proposal_year y = ib_proposal_year_blank(t->years[k]);
		double *col[5] = {&y.net, &y.investment, &y.expenses, &y.income, &y.fte};
		for (int i = 0; i < 5; i++)
			*col[i] = row[i] && row[i]->n ? row[i]->v[k] : IB_NA;
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

/* Whether two series agree wherever both are known (in at least one year); b may be a
 * rounding of a to unit. */
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

/* The parts of check x on row r added up per year into sum (IB_NA where a part is
 * unknown or none printed): rows (the other named rows of money), parts (the rows
 * above since the last named one, no subtotal, placed as r is) or sum (the rows the
 * rule names).  Returns the number of parts. */
static int add_parts(const doc_ctx *c, const doc_rule *x, const doc_table *t, const doc_row *r,
		     double *sum)
{
	int n = 0, printed[DOC_MAX_COLS] = {0}, unknown[DOC_MAX_COLS] = {0};
	size_t from = 0, at = (size_t)(r - t->rows);
	for (size_t i = 0; i < at; i++)
		from = t->rows[i].rule ? i + 1 : from;
	for (int k = 0; k < t->ncols; k++)
		sum[k] = 0;
	for (size_t i = 0; i < t->n_rows; i++) {
		const doc_row *o = &t->rows[i];
		int part = 0;
		if (x->match[0] == 'r')
			part = o->rule && o != r && strcmp(o->rule->value, "fte") &&
			       strcmp(o->rule->value, "total");
		else if (x->match[0] == 'p')
			part = !o->rule && i >= from && i < at &&
			       !doc_rule_find(c, "subtotal", NULL, o->label, NULL);
		for (const char *q = x->arg; x->match[0] == 's' && o->rule && q && !part;
		     q = strstr(q, " + ") ? strstr(q, " + ") + 3 : NULL) /* "A + B" */
			part = !strncmp(q, o->name, strlen(o->name)) &&
			       (!q[strlen(o->name)] || q[strlen(o->name)] == ' ');
		if (!part || !o->n)
			continue;
		double v[DOC_MAX_COLS];
		int blank[DOC_MAX_COLS];
		place(t, o, o->rule ? 0 : align_of(c, r->name) > 0, v, blank);
		n++;
		for (int k = 0; k < t->ncols; k++) {
			v[k] = o->rule ? o->v[k] : v[k];
			blank[k] = o->rule ? o->blank[k] : blank[k];
			if (!ib_is_na(v[k]))
				sum[k] += v[k], printed[k] = 1;
			else if (!blank[k])
				unknown[k] = 1;
		}
	}
	for (int k = 0; k < t->ncols; k++)
		sum[k] = unknown[k] || !printed[k] ? IB_NA : sum[k];
	return n;
}

int doc_table_check(const doc_ctx *c, const doc_table *t, const double *ov, int rounded,
		    ib_proposal *p)
{
	int rc = IB_OK;
	const doc_row *net = doc_table_row(t, "net", 1);
	foreach_rule (x, "check") {
		const doc_row *r = doc_table_row(t, x->text, 0);
		double sum[DOC_MAX_COLS], got[DOC_MAX_COLS], want[DOC_MAX_COLS];
		int n_parts = r && r->n && !rc ? add_parts(c, x, t, r, sum) : 0, n = 0,
		    reversed = 1;
		if (!n_parts)
			continue;
		/* the effect by majority: the printed net against its rows and the overview */
		char used[256] = "", years[128] = "", parts[256] = "", pg[256], pw[256];
		if (r == net && ov && x->match[0] != 's' && !ib_is_na(p->effect_kr) &&
		    (size_t)t->ncols == p->n_years && !agree(r->v, sum, t->ncols, 0) &&
		    !agree(r->v, ov, t->ncols, rounded) && agree(sum, ov, t->ncols, rounded)) {
			double printed = p->effect_kr;
			for (size_t k = 0; k < p->n_years; k++)
				p->years[k].net = sum[k];
			doc_effect_from_net(p);
			for (size_t k = 0; k < p->n_years; k++)
				p->years[k].net = r->v[k];
			char e_used[48], e_printed[48];
			if (!ib_is_na(p->effect_kr))
				snprintf(used, sizeof used,
					 "; rækkerne og oversigtstabellen er enige, så effekten er "
					 "læst af "
					 "dem: %s kr. (den trykte %s ville give %s kr.)",
					 ib_num_format(p->effect_kr, 0, e_used, sizeof e_used),
					 r->name,
					 ib_num_format(printed, 0, e_printed, sizeof e_printed));
		}
		for (int k = 0; k < t->ncols; k++) {
			if (ib_is_na(r->v[k]) || ib_is_na(sum[k]) ||
			    doc_near_equal(r->v[k], sum[k]))
				continue;
			reversed &= doc_near_equal(r->v[k], -sum[k]);
			snprintf(years + strlen(years), sizeof years - strlen(years), "%s%d",
				 n ? ", " : "", t->years[k]);
			got[n] = r->v[k], want[n++] = sum[k];
		}
		doc_explain(c, "  check by layout_rules.csv:%d: %s against %s: %s", x->csv_line,
			    r->name, x->match[0] == 's' ? x->arg : x->match,
			    n ? "differs" : "agrees");
		if (!n)
			continue;
		doc_list_values(got, n, 0, pg, sizeof pg);
		doc_list_values(want, n, 0, pw, sizeof pw);
		if (x->match[0] == 'r')
			snprintf(parts, sizeof parts, "rækkerne");
		else if (x->match[0] == 'p')
			snprintf(parts, sizeof parts, "de %d rækker over den", n_parts);
		else
			snprintf(parts, sizeof parts, "%s", x->arg);
		if (reversed)
			rc = ib_proposal_add_flag(
			    p, "net_sign_reversed",
			    "%s %s (%s) har modsat fortegn af %s, som giver %s%s", r->name, years,
			    pg, parts, pw, used);
		else
			rc = ib_proposal_add_flag(
			    p, x->value, "%s %s (%s) er ikke %s%s (%s)%s", r->name, years, pg,
			    x->match[0] == 's' ? "" : "summen af ", parts, pw, used);
	}
	return rc;
}
