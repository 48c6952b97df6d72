/* doc_blocks.c - a document read as proposal blocks.
 *
 * A block starts where a block rule (a proposal) or a case rule (a status report's
 * follow-up case) matches a line and its near text follows within the rule's lines:
 * "217 - Title" over "Forslagets indhold", "SU01. Title" under an
 * EFFEKTIVISERINGSFORSLAG header, "3. Title" over the form's "Udfyldes for alle
 * forslag".  It runs to the next block.  In it, field rules give the title, summary,
 * committee, adoption and kept text; kind rules the type (a ticked box, a header, a
 * ticked "Ja"); doc_rows.c the table.  Before the first block: the budget year, the
 * overview (doc_overview.c), a word that calls the proposals adopted, and the list of
 * cases.  A case's row of the status table is read as cells that follow one another
 * (column rules say which kinds, in order). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc_int.h"
#include "ideabank/buf.h"
#include "ideabank/num.h"

typedef struct block {
	const doc_rule *rule;
	size_t from, to;
	long near; /* line of the rule's near text */
	doc_hit hit, near_hit;
} block;

/* ---- the budget year ------------------------------------------------------------- */

/* The year a budget_year rule x gives at z (at the line's start, or at any word when
 * anywhere), 0 if none. */
static int year_at(const doc_rule *x, const char *z, int anywhere)
{
	doc_hit h;
	for (const char *p = doc_skip_blank(z); *p;) {
		if (doc_rule_match(x, p, &h))
			return h.year + (int)doc_rule_number(x);
		if (!anywhere)
			break;
		/* the next word */
		while (*p && *p != ' ' && *p != '\t' && *p != '(')
			p++;
		while (*p == ' ' || *p == '\t' || *p == '(')
			p++;
	}
	return 0;
}

int doc_budget_year(const doc_ctx *c, size_t head, long *line)
{
	const ib_doc *d = c->d;
	/* the heading (a name in it), a line that begins with one, a meeting's date */
	for (int pass = 0; pass < 3; pass++)
		for (size_t i = 0; i < (pass ? d->n_lines : head) && i < d->n_lines; i++)
			for (const doc_rule *x = doc_rule_next("budget_year", NULL, c->code); x;
			     x = doc_rule_next("budget_year", x, c->code)) {
				if ((doc_rule_number(x) != 0) != (pass == 2))
					continue;
				int y = year_at(x, d->line[i], pass == 0 || pass == 2);
				if (y) {
					if (line)
						*line = (long)i;
					doc_explain(
					    c,
					    "budget year %d: line %zu by layout_rules.csv:%d "
					    "(%s)",
					    y, i + 1, x->csv_line, x->text);
					return y;
				}
			}
	return 0;
}

int doc_year_of(const doc_ctx *c, const char *z)
{
	/* "OFS 21/22": the second year of a fiscal span */
	const char *slash = strchr(z, '/');
	if (slash && slash > z && slash[-1] >= '0' && slash[-1] <= '9' && slash[1] >= '0' &&
	    slash[1] <= '9')
		return 2000 + atoi(slash + 1);
	for (const doc_rule *x = doc_rule_next("budget_year", NULL, c->code); x;
	     x = doc_rule_next("budget_year", x, c->code)) {
		int y = doc_rule_number(x) == 0 ? year_at(x, z, 1) : 0;
		if (y)
			return y;
	}
	const char *y = strpbrk(z, "0123456789");
	return y && atoi(y) >= 1990 && atoi(y) <= 2100 ? atoi(y) : 0;
}

/* ---- blocks and fields ------------------------------------------------------------ */

/* Where rule x's near text is found after line i: within x->lines lines, or (lines 0)
 * before the rule matches again.  -1 if not. */
static long near_line(const doc_ctx *c, const doc_rule *x, size_t i, doc_hit *h)
{
	doc_rule near = *x;
	near.text = x->arg;
	near.match = strchr(x->arg, '{') ? "pattern" : "has";
	for (size_t k = i + 1; k < c->d->n_lines && (!x->lines || k <= i + (size_t)x->lines); k++) {
		if (doc_rule_match(&near, c->d->line[k], h))
			return (long)k;
		if (!x->lines && doc_rule_match(x, c->d->line[k], NULL))
			break;
	}
	return -1;
}

/* The blocks of the document, in order; *n gets their count (0: none). */
static block *find_blocks(const doc_ctx *c, size_t *n)
{
	const ib_doc *d = c->d;
	block *b = NULL;
	*n = 0;
	for (size_t i = 0; i < d->n_lines; i++) {
		static const char *const kinds[] = {"block", "case"};
		for (int k = 0; k < 2; k++)
			for (const doc_rule *x = doc_rule_next(kinds[k], NULL, c->code); x;
			     x = doc_rule_next(kinds[k], x, c->code)) {
				block one = {x, i, d->n_lines, -1, {0}, {0}};
				if (!doc_rule_match(x, d->line[i], &one.hit) ||
				    (one.near = near_line(c, x, i, &one.near_hit)) < 0)
					continue;
				block *grown = realloc(b, (*n + 1) * sizeof *b);
				if (!grown) {
					free(b);
					*n = 0;
					return NULL;
				}
				b = grown;
				if (*n)
					b[*n - 1].to = i;
				b[(*n)++] = one;
				k = 2;
				break;
			}
	}
	return b;
}

/* Whether line z begins a field (any field rule). */
static int field_line(const doc_ctx *c, const char *z)
{
	return doc_rule_find(c, "field", NULL, z, NULL) != NULL;
}

/* Whether line z begins with a label of its own ("Version: ..."): no field's value. */
static int own_label(const char *z)
{
	z = doc_skip_blank(z);
	size_t k = strcspn(z, " \t:");
	return k > 0 && z[k] == ':';
}

/* Where another field's label begins in z (at a word), or NULL. */
static const char *next_label(const doc_ctx *c, const char *z)
{
	const char *best = NULL;
	for (const doc_rule *x = doc_rule_next("field", NULL, c->code); x;
	     x = doc_rule_next("field", x, c->code)) {
		doc_rule any = *x;
		any.match = "has";
		doc_hit h;
		if (doc_rule_match(&any, z, &h) && (!best || h.start < best))
			best = h.start;
	}
	return best;
}

/* One value: the rest of the line after the label (up to another label), else the next
 * non-blank line that is no field of its own; a value that ends in '+' or '-' goes on
 * over the next line.  Caller frees; NULL when empty. */
static char *field_value(const doc_ctx *c, const char *rest, size_t i, size_t to)
{
	const ib_doc *d = c->d;
	const char *stop = next_label(c, rest);
	char v[512];
	snprintf(v, sizeof v, "%.*s", (int)(stop ? (size_t)(stop - rest) : strlen(rest)), rest);
	doc_squeeze(v);
	size_t k = i + 1;
	for (; !*v && k < to && k < i + 6; k++)
		if (!doc_is_blank(d->line[k])) {
			if (field_line(c, d->line[k]) || own_label(d->line[k]))
				break;
			snprintf(v, sizeof v, "%s", d->line[k]);
			doc_squeeze(v);
		}
	for (size_t n = strlen(v); n && (v[n - 1] == '+' || v[n - 1] == '-') && k < to; k++) {
		if (doc_is_blank(d->line[k]))
			continue;
		if (field_line(c, d->line[k]))
			break;
		doc_label_add(v, sizeof v, d->line[k]);
		n = strlen(v);
	}
	return *v ? strdup(v) : NULL;
}

/* The first field of role in [from, to): its value (a title or summary runs over the
 * lines up to the next field, stop, or a blank line after a heading's paragraph).
 * *at gets the line.  Caller frees; NULL when there is none. */
static char *field(const doc_ctx *c, const char *role, size_t from, size_t to, long stop, long *at,
		   const doc_rule **which)
{
	const ib_doc *d = c->d;
	for (const doc_rule *x = doc_rule_next("field", NULL, c->code); x;
	     x = doc_rule_next("field", x, c->code)) {
		if (strcmp(x->value, role))
			continue;
		doc_hit h;
		long i = -1;
		for (size_t k = from; k < to && i < 0; k++)
			if (doc_rule_match(x, d->line[k], &h))
				i = (long)k;
		if (i < 0)
			continue;
		if (at)
			*at = i;
		if (which)
			*which = x;
		if (strcmp(role, "title") && strcmp(role, "summary"))
			return field_value(c, h.end, (size_t)i, to);
		size_t first = (size_t)i, skip = (size_t)(h.end - d->line[i]), end = first + 1;
		if (!strcmp(x->match, "line")) { /* a heading: the paragraph under it */
			for (first++; first < to && doc_is_blank(d->line[first]); first++)
				;
			skip = 0;
			for (end = first; end < to && !doc_is_blank(d->line[end]); end++)
				;
		} else {
			while (end < to && (long)end != stop && !field_line(c, d->line[end]))
				end++;
		}
		return doc_join(d, first, end, skip);
	}
	return NULL;
}

/* The tick mark right before z in line (after blanks): 1 ticked, 0 empty, -1 none. */
static int tick_before(const doc_ctx *c, const char *line, const char *z)
{
	while (z > line && (z[-1] == ' ' || z[-1] == '\t'))
		z--;
	for (const doc_rule *x = doc_rule_next("tick", NULL, c->code); x;
	     x = doc_rule_next("tick", x, c->code)) {
		size_t n = strlen(x->text);
		const char *at = z - n;
		if (at >= line && !strncmp(at, x->text, n) &&
		    (at == line || !strcmp(x->match, "has") || at[-1] == ' ' || at[-1] == '\t'))
			return (int)doc_rule_number(x);
	}
	return -1;
}

/* The type: a ticked box (kind_box rules; the free text after a ticked "Label:" is
 * kept), a ticked answer after a question (kind_yes rules). */
static int read_kind(const doc_ctx *c, const block *b, long table, ib_proposal *p)
{
	const ib_doc *d = c->d;
	int rc = IB_OK;
	for (size_t i = b->from; i < b->to; i++) {
		int n_boxes = 0, n_ticked = 0;
		const doc_rule *ticked = NULL;
		const char *label = NULL, *label_end = NULL;
		for (const doc_rule *x = doc_rule_next("kind_box", NULL, c->code); x;
		     x = doc_rule_next("kind_box", x, c->code)) {
			doc_hit h;
			if (!doc_rule_match(x, d->line[i], &h))
				continue;
			int t = tick_before(c, d->line[i], h.start);
			n_boxes += t >= 0;
			if (t > 0)
				n_ticked++, ticked = x, label = h.start, label_end = h.end;
		}
		if (n_boxes < 2)
			continue;
		if (n_ticked != 1)
			return ib_proposal_add_flag(p, "kind_unclear",
						    "%d typebokse er afkrydset; type læst som %s",
						    n_ticked, p->kind);
		p->kind =
		    ib_kind_canonical(ticked->value) ? ib_kind_canonical(ticked->value) : p->kind;
		doc_explain(c, "  kind %s: the box ticked on line %zu (layout_rules.csv:%d)",
			    p->kind, i + 1, ticked->csv_line);
		char *other = *label_end == ':' && table > (long)i
				  ? doc_join(d, i + 1, (size_t)table, 0)
				  : NULL;
		if (other && *other && p->text) {
			ib_buf t;
			ib_buf_init(&t, 0);
			ib_buf_addf(&t, "%s\nType: %.*s: %s", p->text, (int)(label_end - label),
				    label, other);
			free(p->text);
			p->text = ib_buf_detach(&t);
		}
		free(other);
		break;
	}
	for (const doc_rule *x = doc_rule_next("kind_yes", NULL, c->code); x;
	     x = doc_rule_next("kind_yes", x, c->code)) {
		long q = -1;
		for (size_t i = b->from; i < b->to && q < 0; i++)
			q = doc_rule_match(x, d->line[i], NULL) ? (long)i : -1;
		doc_rule yes = {"", "start", x->arg, "", "", "", 0, 0, 0};
		for (long k = q + 1; q >= 0 && k <= q + x->lines && k < (long)b->to; k++)
			for (const doc_rule *t = doc_rule_next("tick", NULL, c->code); t;
			     t = doc_rule_next("tick", t, c->code)) {
				doc_hit h;
				if (doc_rule_number(t) == 1 && doc_rule_match(t, d->line[k], &h) &&
				    doc_rule_match(&yes, h.end, NULL) &&
				    ib_kind_canonical(x->value)) {
					p->kind = ib_kind_canonical(x->value);
					doc_explain(c,
						    "  kind %s: '%s' ticked on line %ld "
						    "(layout_rules.csv:%d)",
						    p->kind, x->arg, k + 1, x->csv_line);
				}
			}
	}
	return rc;
}

/* ---- a status report's case -------------------------------------------------------- */

/* The status table's columns, in order (column rules). */
typedef struct column {
	const doc_rule *rule;
	const char *type; /* text, amount, date or yesno (type_len bytes) */
	size_t type_len;
	const char *name; /* as the remark names it, "" none */
} column;

static int is_type(const column *col, const char *type)
{
	return strlen(type) == col->type_len && !strncmp(col->type, type, col->type_len);
}

/* Amounts in z (an amount rule's word after a number: "9,4 mio. kr.") in kr. */
static int find_amounts(const doc_ctx *c, const char *z, double *out, int max)
{
	int n = 0;
	for (const char *p = z; *p && n < max; p++) {
		const doc_rule *x = NULL;
		for (x = doc_rule_next("amount", NULL, c->code); x;
		     x = doc_rule_next("amount", x, c->code))
			if (!strncmp(p, x->text, strlen(x->text)) && p > z &&
			    !(((unsigned char)p[-1] | 32) >= 'a' &&
			      ((unsigned char)p[-1] | 32) <= 'z'))
				break;
		if (!x)
			continue;
		const char *e = p;
		while (e > z && e[-1] == ' ')
			e--;
		const char *s = e;
		while (s > z && ((s[-1] >= '0' && s[-1] <= '9') || s[-1] == ','))
			s--;
		if (s == e)
			continue;
		const char *m = s;
		while (m > z && m[-1] == ' ' && m - z >= 2 && m[-2] == '-')
			m--;
		if (m > z && m[-1] == '-')
			m--;
		char num[48];
		double v;
		snprintf(num, sizeof num, "%.*s", (int)(e - m), m);
		if (ib_num_parse(num, &v) == IB_OK)
			out[n++] = v * doc_rule_number(x);
	}
	return n;
}

/* A date cell in z ("Ultimo 2025": a date rule's word and a year): where and how long. */
static const char *find_date(const doc_ctx *c, const char *z, size_t *len)
{
	for (const char *p = z; *p; p++)
		for (const doc_rule *x = doc_rule_next("date", NULL, c->code); x;
		     x = doc_rule_next("date", x, c->code)) {
			size_t n = strlen(x->text);
			const char *y = p + n + 1;
			if (!strncmp(p, x->text, n) && p[n] == ' ' && y[0] >= '1' && y[0] <= '2' &&
			    strspn(y, "0123456789") == 4) {
				*len = n + 5;
				return p;
			}
		}
	return NULL;
}

/* Whether z begins (after blanks) with a yes/no cell; *yes and the bytes to its end. */
static int yes_no(const doc_ctx *c, const char *z, int *yes, size_t *end)
{
	const char *w = doc_skip_blank(z);
	for (const doc_rule *x = doc_rule_next("yes", NULL, c->code); x;
	     x = doc_rule_next("yes", x, c->code)) {
		size_t k = strlen(x->text);
		if (!strncmp(w, x->text, k) && strchr(" .(", w[k] ? w[k] : ' ')) {
			*yes = (int)doc_rule_number(x);
			*end = (size_t)(w - z) + k;
			return 1;
		}
	}
	return 0;
}

/* Whether line z goes on with the cell above: its first letter is lower case. */
static int continues_cell(const char *z)
{
	const unsigned char *w = (const unsigned char *)doc_skip_blank(z);
	return (*w >= 'a' && *w <= 'z') ||
	       (w[0] == 0xC3 && (w[1] == 0xA6 || w[1] == 0xB8 || w[1] == 0xA5));
}

/* Text from line a (skipping skip bytes) up to line b, joined; "" or "." is NULL. */
static char *cell_text(const ib_doc *d, size_t a, size_t skip, size_t b)
{
	char *z = a < b ? doc_join(d, a, b, skip) : NULL;
	if (z && (!*z || !strcmp(z, "."))) {
		free(z);
		z = NULL;
	}
	return z;
}

/* The name of the column of field f, "" when none. */
static const char *column_name(const column *col, int n, const char *f)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(col[i].rule->value, f))
			return col[i].name;
	return "";
}

/* One case's row of the status table, lines [from, to), into f.  The text keeps no
 * column positions: cells follow one another in the columns' order, amounts and the
 * date are found by their words, a cell over several lines goes on with a lower-case
 * word, and yes/no cells start with their word.  The first yes/no column is the one
 * right after the date; one yes/no cell printed elsewhere belongs to the later one. */
static int read_row(const doc_ctx *c, const column *col, int n_col, size_t from, size_t to,
		    ib_followup *f)
{
	const ib_doc *d = c->d;
	char *row = doc_join(d, from, to, 0);
	if (!row)
		return IB_ENOMEM;
	double amt[4];
	int na = find_amounts(c, row, amt, 4), ia = 0;
	for (int i = 0; i < n_col && ia < na; i++) {
		if (!is_type(&col[i], "amount"))
			continue;
		if (!strcmp(col[i].rule->value, "total_investment") && amt[ia] > 0)
			f->total_investment_kr = amt[ia];
		else if (!strcmp(col[i].rule->value, "effect_full") && amt[ia] < 0)
			f->effect_full_kr = amt[ia];
		ia++;
	}
	free(row);
	/* the title cell: the lines before the first amount */
	size_t first_amount = from;
	double one[1];
	while (first_amount < to && !find_amounts(c, d->line[first_amount], one, 1))
		first_amount++;
	/* the date, and the lines its cell goes on over */
	size_t date_line = to, date_end = 0, cell_end = to;
	for (size_t i = from; i < to && date_line == to; i++) {
		size_t len;
		const char *at = find_date(c, d->line[i], &len);
		if (!at)
			continue;
		date_line = i;
		date_end = (size_t)(at - d->line[i]) + len;
		cell_end = i + 1;
		ib_buf b;
		ib_buf_init(&b, 0);
		ib_buf_addf(&b, "%.*s", (int)len, at);
		if (doc_is_blank(d->line[i] + date_end)) {
			while (cell_end < to && doc_is_blank(d->line[cell_end]))
				cell_end++;
			size_t k = cell_end;
			while (k < to && !doc_is_blank(d->line[k]) && continues_cell(d->line[k]))
				k++;
			char *more = k > cell_end ? doc_join(d, cell_end, k, 0) : NULL;
			if (more)
				ib_buf_addf(&b, " %s", more);
			free(more);
			while (k < to && doc_is_blank(d->line[k]))
				k++;
			cell_end = k;
		}
		if (!(f->full_implementation = ib_buf_detach(&b)))
			return IB_ENOMEM;
	}
	/* the yes/no cells: right after the date on its line, or starting a line below */
	size_t mark_line[2], mark_end[2];
	int mark_yes[2], n_marks = 0, first_right_after = 0;
	size_t start = date_line < to ? date_line : first_amount;
	for (size_t i = start; i < to && n_marks < 2; i++) {
		size_t off = i == date_line ? date_end : 0, end;
		int yes;
		if (i == date_line && !doc_is_blank(d->line[i] + off)) {
			if (yes_no(c, d->line[i] + off, &yes, &end)) {
				first_right_after = 1;
				mark_line[n_marks] = i, mark_end[n_marks] = off + end;
				mark_yes[n_marks++] = yes;
			}
			continue;
		}
		if (i > start && yes_no(c, d->line[i], &yes, &end)) {
			if (!n_marks && date_line < to && i == cell_end)
				first_right_after = 1;
			mark_line[n_marks] = i, mark_end[n_marks] = end;
			mark_yes[n_marks++] = yes;
		}
	}
	int comp = n_marks == 2 || (n_marks == 1 && first_right_after) ? 0 : -1;
	int approval = n_marks == 2 ? 1 : n_marks == 1 && comp < 0 ? 0 : -1;
	size_t rem_line = to, rem_skip = 0;
	if (comp >= 0) {
		f->compensating = mark_yes[comp];
		rem_line = mark_line[comp], rem_skip = mark_end[comp];
	} else if (date_line < to) {
		rem_line = cell_end > date_line + 1 ? cell_end : date_line;
		rem_skip = cell_end > date_line + 1 ? 0 : date_end;
	}
	char *remark = cell_text(d, rem_line, rem_skip, approval >= 0 ? mark_line[approval] : to);
	char *after =
	    approval >= 0 ? cell_text(d, mark_line[approval], mark_end[approval], to) : NULL;
	ib_buf b;
	ib_buf_init(&b, 0);
	if (remark)
		ib_buf_adds(&b, remark);
	if (approval >= 0)
		ib_buf_addf(&b, "%s%s: %s.", remark ? " " : "", column_name(col, n_col, "approval"),
			    mark_yes[approval] ? "Ja" : "Nej");
	if (after)
		ib_buf_addf(&b, " %s: %s", column_name(col, n_col, "consequence"), after);
	f->remark = b.n ? ib_buf_detach(&b) : NULL;
	ib_buf_free(&b);
	/* the status: a colour word in the title cell; the colour is a fill the text does
	   not keep, so without one the status is unknown */
	char *title = doc_join(d, from, first_amount, 0);
	const doc_rule *colour = NULL;
	for (const doc_rule *x = doc_rule_next("status", NULL, c->code); x && title && !colour;
	     x = doc_rule_next("status", x, c->code))
		colour = doc_rule_match(x, title, NULL) ? x : NULL;
	free(title);
	f->status =
	    strdup(colour ? colour->value
		   : remark || after || approval >= 0
		       ? "ukendt: farven er ikke trykt, men kolonnerne for gul eller rød er "
			 "udfyldt"
		       : "ukendt: farven er ikke trykt, og kolonnerne for gul eller rød er "
			 "tomme");
	free(remark);
	free(after);
	return f->status ? IB_OK : IB_ENOMEM;
}

/* A status report's case: its fields, the status table's row (after the columns'
 * headings), its kind from the document's list of cases. */
static int read_case(const doc_ctx *c, const block *b, size_t head, ib_proposal *p,
		     unsigned char *omit)
{
	const ib_doc *d = c->d;
	column col[16];
	int n_col = 0;
	long last = -1, first = -1;
	for (const doc_rule *x = doc_rule_next("column", NULL, c->code); x && n_col < 16;
	     x = doc_rule_next("column", x, c->code)) {
		/* arg: the column's kind, then its name in the remark ("yesno:Godkendes …") */
		size_t k = strcspn(x->arg, ":");
		col[n_col++] = (column){x, x->arg, k, x->arg[k] ? x->arg + k + 1 : ""};
		for (size_t i = b->from; i < b->to; i++)
			if (doc_rule_match(x, d->line[i], NULL)) {
				last = (long)i > last ? (long)i : last;
				first = first < 0 || (long)i < first ? (long)i : first;
				break;
			}
	}
	/* a heading split by a hyphen goes on over the next line */
	size_t len = last >= 0 ? strlen(d->line[last]) : 0;
	while (len && (d->line[last][len - 1] == ' '))
		len--;
	if (len && d->line[last][len - 1] == '-')
		last++;
	for (long i = first; first >= 0 && i <= last; i++)
		omit[i] = !field_line(c, d->line[i]);
	ib_followup *f = calloc(1, sizeof *f);
	if (!f)
		return IB_ENOMEM;
	p->followup = f;
	f->total_investment_kr = IB_NA;
	f->effect_full_kr = IB_NA;
	f->compensating = -1;
	f->source = strdup(d->name);
	f->page = d->page[b->from];
	p->adopted = IB_ADOPTED_YES;
	f->adoption = field(c, "adoption", b->from, b->to, -1, NULL, NULL);
	p->budget_year = f->adoption ? doc_year_of(c, f->adoption) : 0;
	/* the kind: the case's entry in the list before the cases */
	for (size_t k = 0; k < head; k++) {
		doc_hit h;
		if (!doc_rule_match(b->rule, d->line[k], &h) || h.nr != b->hit.nr)
			continue;
		char *entry = doc_join(d, k, k + 4, 0);
		const doc_rule *x = entry ? doc_rule_find(c, "kind_list", NULL, entry, NULL) : NULL;
		if (x && ib_kind_canonical(x->value))
			p->kind = ib_kind_canonical(x->value);
		free(entry);
		break;
	}
	int rc = last >= 0 ? read_row(c, col, n_col, (size_t)last + 1, b->to, f) : IB_OK;
	p->impl_cost_kr = f->total_investment_kr;
	p->effect_kr = ib_is_na(f->effect_full_kr) ? IB_NA : -f->effect_full_kr;
	if (!rc && f->remark && !(p->summary = doc_summary(strdup(f->remark))))
		rc = IB_ENOMEM;
	if (!rc)
		doc_explain(c,
			    "  status row: lines %ld-%zu after the columns' headings "
			    "(layout_rules.csv:%d-%d): status '%s'",
			    last + 2, b->to, col[0].rule->csv_line, col[n_col - 1].rule->csv_line,
			    f->status);
	return rc;
}

/* ---- one block ------------------------------------------------------------------- */

static int read_block(doc_ctx *c, const block *b, size_t head, ib_proposal *p, doc_table *t,
		      unsigned char *omit)
{
	const ib_doc *d = c->d;
	int is_case = !strcmp(b->rule->kind, "case");
	p->ref = *b->hit.ref	    ? strdup(b->hit.ref)
		 : *b->near_hit.ref ? strdup(b->near_hit.ref)
				    : NULL;
	p->source = strdup(d->name);
	p->page = d->page[b->from];
	p->kind = ib_kind_canonical(b->rule->value) ? ib_kind_canonical(b->rule->value) : "andet";
	p->budget_year = c->r->budget_year;
	/* the title: in the block's line, its near line, or a title field */
	const doc_hit *th = b->near_hit.title ? &b->near_hit : b->hit.title ? &b->hit : NULL;
	size_t tl = th == &b->near_hit ? (size_t)b->near : b->from;
	long tat = -1;
	const doc_rule *tx = NULL;
	if (th) {
		size_t end = tl + 1;
		while (end < b->to && end < tl + 6 && (long)end != b->near &&
		       !field_line(c, d->line[end]))
			end++;
		p->title = doc_join(d, tl, end, (size_t)(th->title - d->line[tl]));
	} else {
		p->title = field(c, "title", b->from, b->to, -1, &tat, &tx);
	}
	if (!p->title)
		p->title = strdup("");
	if (!p->source || !p->title)
		return IB_ENOMEM;
	doc_explain(c,
		    "%s '%s', lines %zu-%zu: by layout_rules.csv:%d (%s) with '%s' on line %ld; "
		    "title on line %zu%s",
		    is_case ? "case" : "proposal", p->title, b->from + 1, b->to, b->rule->csv_line,
		    b->rule->text, b->rule->arg, b->near + 1, tat >= 0 ? (size_t)tat + 1 : tl + 1,
		    tx ? " (a title field)" : "");
	long sat = -1;
	const doc_rule *sx = NULL;
	if (!is_case) {
		p->summary = doc_summary(field(c, "summary", b->from, b->to, -1, &sat, &sx));
		if (sx)
			doc_explain(c, "  summary: line %ld by layout_rules.csv:%d (%s)", sat + 1,
				    sx->csv_line, sx->text);
	}
	const doc_rule *cx = NULL;
	long cat = -1;
	p->committee = field(c, "committee", b->from, b->to, -1, &cat, &cx);
	if (cx)
		doc_explain(c, "  committee '%s': line %ld by layout_rules.csv:%d (%s)",
			    p->committee ? p->committee : "", cat + 1, cx->csv_line, cx->text);
	/* the text: the block up to a text_end rule, without the form's instructions */
	int rc = IB_OK;
	if (is_case)
		rc = read_case(c, b, head, p, omit);
	for (size_t i = b->from; i < b->to; i++)
		omit[i] |= doc_rule_find(c, "template", NULL, d->line[i], NULL) != NULL;
	long end = doc_rule_line(c, "text_end", NULL, b->from, b->to, NULL, NULL);
	p->text = doc_join_text(d, b->from, end > 0 ? (size_t)end : b->to, omit);
	if (!rc && !p->text)
		rc = IB_ENOMEM;
	if (is_case || rc)
		return rc;
	int got = doc_table_read(c, b->from, b->to, p, t);
	if (got < 0)
		return IB_ENOMEM;
	rc = read_kind(c, b, got ? (long)t->title_line : (long)b->to, p);
	/* the text fields (Center, Bevilling), kept in the text */
	for (const doc_rule *x = doc_rule_next("field", NULL, c->code); x && !rc;
	     x = doc_rule_next("field", x, c->code)) {
		if (strcmp(x->value, "text"))
			continue;
		doc_hit h;
		long i = -1;
		for (size_t k = b->from; k < b->to && i < 0; k++)
			if (doc_rule_match(x, d->line[k], &h))
				i = (long)k;
		char *v = i >= 0 ? field_value(c, h.end, (size_t)i, b->to) : NULL;
		if (v) {
			ib_buf tb;
			ib_buf_init(&tb, 0);
			ib_buf_addf(&tb, "%s\n%.*s: %s", p->text, (int)strcspn(x->text, ":"),
				    x->text, v);
			free(p->text);
			if (!(p->text = ib_buf_detach(&tb)))
				rc = IB_ENOMEM;
		}
		free(v);
	}
	if (!rc && got)
		rc = doc_table_apply(c, t, p);
	return rc;
}

/* The list of cases before the first: those listed as fully implemented are noted. */
static int note_done(const doc_ctx *c, const block *b, size_t head)
{
	long at = doc_rule_line(c, "list_done", NULL, 0, head, NULL, NULL);
	int rc = IB_OK;
	for (long k = at + 1; at >= 0 && !rc && k < (long)head; k++) {
		doc_hit h;
		if (doc_rule_find(c, "list_end", NULL, c->d->line[k], NULL))
			break;
		if (!doc_rule_match(b->rule, c->d->line[k], &h) || !h.title)
			continue;
		char title[512];
		snprintf(title, sizeof title, "%s", h.title);
		doc_squeeze(title);
		rc = doc_note(c->r,
			      "case %d '%s' is fully implemented; the report gives no figures for "
			      "it, so it is not imported",
			      h.nr, title);
	}
	return rc;
}

int doc_read_blocks(doc_ctx *c, ib_error *err)
{
	const ib_doc *d = c->d;
	ib_doc_result *r = c->r;
	size_t n = 0;
	block *b = find_blocks(c, &n);
	if (!n)
		return 0;
	size_t head = b[0].from;
	r->reader = "blocks";
	r->budget_year = doc_budget_year(c, head, NULL);
	doc_overview *o = NULL;
	ib_proposal **props = calloc(n, sizeof *props);
	doc_table *tables = calloc(n, sizeof *tables);
	unsigned char *omit = calloc(d->n_lines + 1, 1);
	int rc = props && tables && omit ? doc_overview_read(c, head, &o) : IB_ENOMEM;
	size_t n_props = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		ib_proposal *p = ib_proposal_new();
		if (!p) {
			rc = IB_ENOMEM;
			break;
		}
		rc = read_block(c, &b[i], head, p, &tables[n_props], omit);
		if (!rc && !strcmp(b[i].rule->kind, "case") && !p->budget_year) {
			rc = doc_note(r, "case %d '%s': no adoption year printed; not imported",
				      b[i].hit.nr, p->title);
			ib_proposal_free(p);
			continue;
		}
		if (!rc)
			rc = ib_proposal_list_push(
			    !strcmp(b[i].rule->kind, "case") ? &r->followups : &r->proposals, p);
		else
			ib_proposal_free(p);
		if (!rc && !strcmp(b[i].rule->kind, "block"))
			props[n_props++] = p;
	}
	/* no budget year printed: the first table's first year */
	for (size_t i = 0; i < n_props && !r->budget_year; i++)
		if (tables[i].ncols)
			r->budget_year = tables[i].years[0];
	for (size_t i = 0; i < n_props; i++)
		if (!props[i]->budget_year)
			props[i]->budget_year = r->budget_year;
	const doc_rule *adopted = NULL;
	if (!rc && n_props && doc_rule_line(c, "adopted", NULL, 0, head, &adopted, NULL) >= 0) {
		for (size_t i = 0; i < n_props; i++)
			props[i]->adopted =
			    !strcmp(adopted->value, "yes") ? IB_ADOPTED_YES : IB_ADOPTED_NO;
		rc = doc_note(r, "%s: stored as adopted", adopted->why);
	}
	doc_overview_match(c, o, props, tables, n_props);
	for (size_t i = 0; i < n_props && !rc; i++) {
		double ov[DOC_MAX_COLS];
		int rounded = 0, has = doc_overview_series(o, props[i], &tables[i], ov, &rounded);
		rc = doc_table_check(c, &tables[i], has ? ov : NULL, rounded, props[i]);
	}
	if (!rc)
		rc = doc_overview_check(c, o, err);
	if (!rc && !strcmp(b[0].rule->kind, "case"))
		rc = note_done(c, &b[0], head);
	for (size_t i = 0; tables && i < n_props; i++)
		doc_table_free(&tables[i]);
	free(tables);
	free(props);
	free(omit);
	free(b);
	doc_overview_free(o);
	if (rc) {
		if (!err || !err->rc)
			ib_error_set(err, rc, "%s: %s", d->name, ib_strerror(rc));
		return -1;
	}
	return 1;
}
