/* doc_blocks.c - a document read as proposal blocks (block and case rules), each with
 * its fields, type, table (doc_rows.c) or status row; before the first block its
 * budget year, overview (doc_overview.c) and list of cases. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc_int.h"
#include "ideabank/array.h"
#include "ideabank/buf.h"
#include "ideabank/num.h"

typedef struct block {
	const doc_rule *rule;
	size_t from, to;
	long near; /* line of the rule's near text */
	doc_hit hit, near_hit;
} block;

/* ---- the budget year ------------------------------------------------------------- */

/* The year budget_year rule x gives on line z (at its start, or at any word). */
static int year_at(const doc_rule *x, const char *z, int anywhere)
{
	doc_hit h;
	for (const char *p = doc_skip_blank(z); *p; p += strspn(p, " \t(")) {
		if (doc_rule_match(x, p, &h))
			return h.year + atoi(x->value);
		if (!anywhere)
			break;
		p += strcspn(p, " \t(");
	}
	return 0;
}

int doc_budget_year(const doc_ctx *c, size_t head, long *line)
{
	/* a name in the heading, a line that begins with one, a meeting's date */
	for (int pass = 0; pass < 3; pass++)
		for (size_t i = 0; i < (pass ? c->d->n_lines : head) && i < c->d->n_lines; i++)
			foreach_rule (x, "budget_year") {
				int y = (atoi(x->value) != 0) == (pass == 2)
					    ? year_at(x, c->d->line[i], pass != 1)
					    : 0;
				if (!y)
					continue;
				if (line)
					*line = (long)i;
				doc_explain(c,
					    "budget year %d: line %zu by layout_rules.csv:%d (%s)",
					    y, i + 1, x->csv_line, x->text);
				return y;
			}
	return 0;
}

int doc_year_of(const doc_ctx *c, const char *z)
{
	const char *slash = strchr(z, '/'); /* "OFS 21/22": the second year of the span */
	if (slash && slash > z && slash[-1] >= '0' && slash[-1] <= '9' && slash[1] >= '0' &&
	    slash[1] <= '9')
		return 2000 + atoi(slash + 1);
	foreach_rule (x, "budget_year")
		if (!atoi(x->value) && year_at(x, z, 1))
			return year_at(x, z, 1);
	const char *y = strpbrk(z, "0123456789");
	return y && atoi(y) >= 1990 && atoi(y) <= 2100 ? atoi(y) : 0;
}

/* ---- blocks and fields ------------------------------------------------------------ */

/* Whether rule x starts a block at line i: it matches, and its near text follows
 * within its lines (0: before it matches again). */
static int block_at(const doc_ctx *c, const doc_rule *x, size_t i, block *b)
{
	const ib_doc *d = c->d;
	doc_rule near = *x;
	near.text = x->arg, near.match = strchr(x->arg, '{') ? "pattern" : "has";
	*b = (block){x, i, d->n_lines, -1, {0}, {0}};
	if (!doc_rule_match(x, d->line[i], &b->hit))
		return 0;
	for (size_t j = i + 1; j < d->n_lines && (x->lines ? j <= i + (size_t)x->lines
							   : !doc_rule_match(x, d->line[j], NULL));
	     j++)
		if (doc_rule_match(&near, d->line[j], &b->near_hit))
			return b->near = (long)j, 1;
	return 0;
}

/* The blocks of the document, in order; *n their count (0: none). */
static block *find_blocks(const doc_ctx *c, size_t *n)
{
	block *b = NULL, one;
	*n = 0;
	for (size_t i = 0; i < c->d->n_lines; i++) {
		int found = 0;
		foreach_rule (x, "block")
			found = found || block_at(c, x, i, &one);
		foreach_rule (x, "case")
			found = found || block_at(c, x, i, &one);
		block *grown = found ? realloc(b, (*n + 1) * sizeof *b) : NULL;
		if (found && !grown) {
			free(b);
			*n = 0;
			return NULL;
		}
		if (found && *n)
			grown[*n - 1].to = i;
		if (found)
			b = grown, b[(*n)++] = one;
	}
	return b;
}

/* Whether line z begins a field (any field rule). */
static int field_line(const doc_ctx *c, const char *z)
{
	return doc_rule_find(c, "field", NULL, z, NULL) != NULL;
}

/* One value: the rest of the line after the label (up to another label on it), else
 * the next non-blank line that is neither a field nor a label of its own ("Version:");
 * a value that ends in '+' or '-' goes on over the next line.  Caller frees. */
static char *field_value(const doc_ctx *c, const char *rest, size_t i, size_t to)
{
	const ib_doc *d = c->d;
	const char *stop = NULL;
	foreach_rule (x, "field") {
		doc_rule any = *x;
		any.match = "has";
		doc_hit h;
		if (doc_rule_match(&any, rest, &h) && (!stop || h.start < stop))
			stop = h.start;
	}
	char v[512];
	snprintf(v, sizeof v, "%.*s", (int)(stop ? (size_t)(stop - rest) : strlen(rest)), rest);
	size_t k = i + 1, n;
	for (; !*doc_squeeze(v) && k < to && k < i + 6; k++) {
		const char *z = doc_skip_blank(d->line[k]);
		size_t w = strcspn(z, " \t:");
		if (*z && (field_line(c, z) || (w && z[w] == ':')))
			break;
		snprintf(v, sizeof v, "%s", z);
	}
	for (; (n = strlen(v)) && (v[n - 1] == '+' || v[n - 1] == '-') && k < to; k++)
		if (!doc_is_blank(d->line[k])) {
			if (field_line(c, d->line[k]))
				break;
			doc_label_add(v, sizeof v, d->line[k]);
		}
	return *v ? strdup(v) : NULL;
}

char *doc_field(const doc_ctx *c, const char *role, size_t from, size_t to, long *at,
		const doc_rule **which)
{
	const ib_doc *d = c->d;
	foreach_rule (x, "field") {
		doc_hit h;
		long l = strcmp(x->value, role) ? -1 : doc_match_line(x, d, from, to, &h);
		size_t i = (size_t)l;
		if (l < 0)
			continue;
		if (at)
			*at = (long)i, *which = x;
		if (strcmp(role, "title") && strcmp(role, "summary"))
			return field_value(c, h.end, i, to);
		size_t first = i, skip = (size_t)(h.end - d->line[i]), end = i + 1;
		if (!strcmp(x->match, "line")) { /* a heading: the paragraph under it */
			for (first++, skip = 0; first < to && doc_is_blank(d->line[first]);)
				first++;
			for (end = first; end < to && !doc_is_blank(d->line[end]);)
				end++;
		}
		while (x->match[0] != 'l' && end < (role[0] == 't' && i + 6 < to ? i + 6 : to) &&
		       !field_line(c, d->line[end])) /* a title: six lines at most */
			end++;
		return doc_join(d, first, end, skip);
	}
	return NULL;
}

/* Append a line (printf format) to p's text. */
static int text_add(ib_proposal *p, const char *fmt, ...)
{
	ib_buf b;
	va_list ap;
	ib_buf_init(&b, 0);
	ib_buf_addf(&b, "%s\n", p->text);
	va_start(ap, fmt);
	int rc = ib_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	free(p->text);
	p->text = rc ? NULL : ib_buf_detach(&b);
	ib_buf_free(&b);
	return p->text ? IB_OK : IB_ENOMEM;
}

/* The tick mark right before z in line (after blanks): 1 ticked, 0 empty, -1 none. */
static int tick_before(const doc_ctx *c, const char *line, const char *z)
{
	while (z > line && (z[-1] == ' ' || z[-1] == '\t'))
		z--;
	foreach_rule (x, "tick") {
		size_t n = strlen(x->text);
		const char *at = z - n;
		if (at >= line && !strncmp(at, x->text, n) &&
		    (at == line || x->match[0] == 'h' || at[-1] == ' ' || at[-1] == '\t'))
			return atoi(x->value);
	}
	return -1;
}

/* The type: a box ticked among two or more (kind_box rules; the text after a ticked
 * "Label:" is kept), an answer ticked after a question (kind_yes rules). */
static int read_kind(const doc_ctx *c, const block *b, size_t table, ib_proposal *p)
{
	const ib_doc *d = c->d;
	for (size_t i = b->from; i < b->to; i++) {
		int n_boxes = 0, n_ticked = 0;
		const doc_rule *ticked = NULL;
		doc_hit h, th = {0};
		foreach_rule (x, "kind_box") {
			int t = doc_rule_match(x, d->line[i], &h)
				    ? tick_before(c, d->line[i], h.start)
				    : -1;
			n_boxes += t >= 0;
			if (t > 0)
				n_ticked++, ticked = x, th = h;
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
		char *other = *th.end == ':' && table > i ? doc_join(d, i + 1, table, 0) : NULL;
		int rc = other && *other ? text_add(p, "Type: %.*s: %s", (int)(th.end - th.start),
						    th.start, other)
					 : IB_OK;
		free(other);
		if (rc)
			return rc;
		break;
	}
	foreach_rule (x, "kind_yes") {
		doc_rule yes = {"", "start", x->arg, "", "", "", 0, 0, 0};
		long q = doc_match_line(x, d, b->from, b->to, NULL);
		for (long k = q + 1; q >= 0 && k <= q + x->lines && k < (long)b->to; k++)
			foreach_rule (t, "tick") {
				doc_hit h;
				if (atoi(t->value) == 1 && doc_rule_match(t, d->line[k], &h) &&
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
	return p->text ? IB_OK : IB_ENOMEM;
}

/* ---- a status report's case -------------------------------------------------------- */

/* The first match in line z of a rule of kind at or after z: *h the match. */
static const doc_rule *find_in(const doc_ctx *c, const char *kind, const char *z, doc_hit *h)
{
	const doc_rule *best = NULL;
	doc_hit one;
	foreach_rule (x, kind)
		if (doc_rule_match(x, z, &one) && (!best || one.start < h->start))
			best = x, *h = one;
	return best;
}

/* The amounts in z (a number before an amount rule's word: "9,4 mio. kr.") in kr. */
static int find_amounts(const doc_ctx *c, const char *z, double *out, int max)
{
	int n = 0;
	doc_hit h;
	for (const doc_rule *x; n < max && (x = find_in(c, "amount", z, &h)) != NULL; z = h.end) {
		const char *e = h.start, *s;
		while (e > z && e[-1] == ' ')
			e--;
		for (s = e; s > z && ((s[-1] >= '0' && s[-1] <= '9') || s[-1] == ',');)
			s--;
		while (s > z + 1 && s[-1] == ' ' && s[-2] == '-') /* "- 3,4" */
			s--;
		s -= s > z && s[-1] == '-';
		char num[48];
		double v;
		snprintf(num, sizeof num, "%.*s", (int)(e - s), s);
		if (e > s && ib_num_parse(num, &v) == IB_OK)
			out[n++] = v * atof(x->value);
	}
	return n;
}

/* Whether line z begins (after blanks) with a yes/no cell: its value, -1 if none;
 * *end gets the bytes to the cell's word's end. */
static int yes_no(const doc_ctx *c, const char *z, size_t *end)
{
	doc_hit h;
	const doc_rule *x = doc_rule_find(c, "yes", NULL, z, &h);
	if (x)
		*end = (size_t)(h.end - z);
	return x ? atoi(x->value) : -1;
}

/* Text from line a (skipping skip bytes) up to line b; "" or "." is NULL. */
static char *cell_text(const ib_doc *d, size_t a, size_t skip, size_t b)
{
	char *z = a < b ? doc_join(d, a, b, skip) : NULL;
	if (z && (!*z || !strcmp(z, ".")))
		free(z), z = NULL;
	return z;
}

/* The name a column gives its cell in the remark (its arg after ':'), "" none. */
static const char *column_name(const doc_ctx *c, const char *field)
{
	foreach_rule (x, "column")
		if (!strcmp(x->value, field) && strchr(x->arg, ':'))
			return strchr(x->arg, ':') + 1;
	return "";
}

/* One case's row of the status table, lines [from, to), into f.  The text keeps no
 * column positions: amounts go to the amount columns in order, the date is a date
 * rule's word and a year (a cell over several lines goes on in lower case), yes/no
 * cells start with their word; the first yes/no column is the one right after the
 * date, a single yes/no cell elsewhere belongs to the later one; the text between is
 * the remark, the text after the last the consequence. */
static int read_row(const doc_ctx *c, size_t from, size_t to, ib_followup *f)
{
	const ib_doc *d = c->d;
	char *row = doc_join(d, from, to, 0);
	double amt[4];
	int na = row ? find_amounts(c, row, amt, 4) : 0, ia = 0;
	free(row);
	foreach_rule (x, "column")
		if (!strncmp(x->arg, "amount", 6) && ia < na) {
			double v = amt[ia++];
			if (!strcmp(x->value, "total_investment") && v > 0)
				f->total_investment_kr = v;
			if (!strcmp(x->value, "effect_full") && v < 0)
				f->effect_full_kr = v;
		}
	size_t first_amount = from, date_line = to, date_end = 0, cell_end = to;
	while (first_amount < to && !find_amounts(c, d->line[first_amount], amt, 1))
		first_amount++;
	doc_hit h;
	for (size_t i = from; i < to && date_line == to; i++) {
		if (!find_in(c, "date", d->line[i], &h))
			continue;
		date_line = i, cell_end = i + 1;
		date_end = (size_t)(h.end - d->line[i]);
		ib_buf b;
		ib_buf_init(&b, 0);
		ib_buf_add(&b, h.start, (size_t)(h.end - h.start));
		if (doc_is_blank(h.end)) {
			while (cell_end < to && doc_is_blank(d->line[cell_end]))
				cell_end++;
			size_t k = cell_end;
			while (k < to && !doc_is_blank(d->line[k]) && doc_lower_start(d->line[k]))
				k++;
			char *more = k > cell_end ? doc_join(d, cell_end, k, 0) : NULL;
			if (more)
				ib_buf_addf(&b, " %s", more);
			free(more);
			for (cell_end = k; cell_end < to && doc_is_blank(d->line[cell_end]);)
				cell_end++;
		}
		if (!(f->full_implementation = ib_buf_detach(&b)))
			return IB_ENOMEM;
	}
	/* the yes/no cells: right after the date on its line, or starting a line below */
	size_t mark_line[2], mark_end[2], start = date_line < to ? date_line : first_amount;
	int mark[2], n_marks = 0, first_right_after = 0;
	for (size_t i = start; i < to && n_marks < 2; i++) {
		size_t off = i == date_line ? date_end : 0, end;
		int yes = (i > start || off) ? yes_no(c, d->line[i] + off, &end) : -1;
		if (i == date_line && !doc_is_blank(d->line[i] + off) && yes < 0)
			continue;
		if (yes >= 0) {
			first_right_after |= !n_marks && (off || (date_line < to && i == cell_end));
			mark_line[n_marks] = i, mark_end[n_marks] = off + end,
			mark[n_marks++] = yes;
		}
	}
	int comp = n_marks == 2 || (n_marks == 1 && first_right_after) ? 0 : -1;
	int approval = n_marks == 2 ? 1 : n_marks == 1 && comp < 0 ? 0 : -1;
	size_t rem_line = to, rem_skip = 0;
	if (comp >= 0) {
		f->compensating = mark[comp];
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
	ib_buf_adds(&b, remark ? remark : "");
	if (approval >= 0)
		ib_buf_addf(&b, "%s%s: %s.", remark ? " " : "", column_name(c, "approval"),
			    mark[approval] ? "Ja" : "Nej");
	if (after)
		ib_buf_addf(&b, " %s: %s", column_name(c, "consequence"), after);
	f->remark = b.n ? ib_buf_detach(&b) : NULL;
	ib_buf_free(&b);
	/* the status: a colour word in the title cell; the colour is a cell's fill the
	   text does not keep, so without one it is unknown */
	char *title = doc_join(d, from, first_amount, 0);
	const doc_rule *colour = title ? doc_rule_find(c, "status", NULL, title, NULL) : NULL;
	colour = colour
		     ? colour
		     : doc_rule_find(c, "status_unknown", NULL,
				     remark || after || approval >= 0 ? "filled" : "empty", NULL);
	f->status = strdup(colour ? colour->value : "ukendt");
	IB_FREE_ALL(title, remark, after);
	return f->status ? IB_OK : IB_ENOMEM;
}

/* A case: adoption, kind from the list of cases, the status table's row after the
 * columns' headings (which, like the form's instructions, are no text of the case). */
static int read_case(const doc_ctx *c, const block *b, size_t head, ib_proposal *p,
		     unsigned char *omit)
{
	const ib_doc *d = c->d;
	long first = -1, last = -1;
	foreach_rule (x, "column") {
		long i = doc_match_line(x, d, b->from, b->to, NULL);
		first = i >= 0 && (first < 0 || i < first) ? i : first;
		last = i > last ? i : last;
	}
	size_t len = last >= 0 ? strlen(d->line[last]) : 0;
	while (len && d->line[last][len - 1] == ' ')
		len--;
	last += len && d->line[last][len - 1] == '-'; /* a heading split by a hyphen */
	for (long i = first; first >= 0 && i <= last; i++)
		omit[i] = !field_line(c, d->line[i]);
	ib_followup *f = p->followup = calloc(1, sizeof *f);
	if (!f)
		return IB_ENOMEM;
	*f = (ib_followup){.total_investment_kr = IB_NA,
			   .effect_full_kr = IB_NA,
			   .compensating = -1,
			   .source = strdup(d->name),
			   .page = d->page[b->from]};
	p->adopted = IB_ADOPTED_YES;
	f->adoption = doc_field(c, "adoption", b->from, b->to, NULL, NULL);
	p->budget_year = f->adoption ? doc_year_of(c, f->adoption) : 0;
	for (size_t k = 0; k < head; k++) { /* the case's entry in the list of cases */
		doc_hit h;
		if (!doc_rule_match(b->rule, d->line[k], &h) || h.nr != b->hit.nr)
			continue;
		char *entry = doc_join(d, k, k + 4, 0);
		const doc_rule *x = entry ? doc_rule_find(c, "kind_list", NULL, entry, NULL) : NULL;
		p->kind = x && ib_kind_canonical(x->value) ? ib_kind_canonical(x->value) : p->kind;
		free(entry);
		break;
	}
	int rc = last >= 0 ? read_row(c, (size_t)last + 1, b->to, f) : IB_OK;
	p->impl_cost_kr = f->total_investment_kr;
	p->effect_kr = ib_is_na(f->effect_full_kr) ? IB_NA : -f->effect_full_kr;
	if (!rc && f->remark && !(p->summary = doc_summary(strdup(f->remark))))
		rc = IB_ENOMEM;
	doc_explain(c,
		    "  status row: lines %ld-%zu, after the columns' headings on lines %ld-%ld: "
		    "status '%s'",
		    last + 2, b->to, first + 1, last + 1, f->status ? f->status : "");
	return rc;
}

/* ---- one block ------------------------------------------------------------------- */

static int read_block(doc_ctx *c, const block *b, size_t head, ib_proposal *p, doc_table *t,
		      unsigned char *omit)
{
	const ib_doc *d = c->d;
	int is_case = !strcmp(b->rule->kind, "case"), rc = IB_OK;
	const char *ref = *b->hit.ref ? b->hit.ref : b->near_hit.ref;
	p->ref = *ref ? strdup(ref) : NULL;
	p->source = strdup(d->name);
	p->page = d->page[b->from];
	p->kind = ib_kind_canonical(b->rule->value) ? ib_kind_canonical(b->rule->value) : "andet";
	p->budget_year = c->r->budget_year;
	/* the title: in the block's line or its near line, to the next field; else a field */
	const doc_hit *th = b->near_hit.title ? &b->near_hit : b->hit.title ? &b->hit : NULL;
	size_t tl = th == &b->near_hit ? (size_t)b->near : b->from, end = tl + 1;
	long at = th ? (long)tl : -1;
	const doc_rule *x = NULL;
	while (th && end < b->to && end < tl + 6 && (long)end != b->near &&
	       !field_line(c, d->line[end]))
		end++;
	p->title = th ? doc_join(d, tl, end, (size_t)(th->title - d->line[tl]))
		      : doc_field(c, "title", b->from, b->to, &at, &x);
	if (!p->title || !p->source)
		return IB_ENOMEM;
	doc_explain(c,
		    "%s '%s', lines %zu-%zu: by layout_rules.csv:%d (%s) with '%s' on line %ld; "
		    "title on line %ld%s",
		    is_case ? "case" : "proposal", p->title, b->from + 1, b->to, b->rule->csv_line,
		    b->rule->text, b->rule->arg, b->near + 1, at + 1, x ? " (a title field)" : "");
	static const char *const roles[] = {"summary", "committee"};
	for (int i = is_case; i < 2; i++) {
		char *v = doc_field(c, roles[i], b->from, b->to, &at, &x);
		if (v)
			doc_explain(c, "  %s: line %ld by layout_rules.csv:%d (%s)", roles[i],
				    at + 1, x->csv_line, x->text);
		*(i ? &p->committee : &p->summary) = i ? v : doc_summary(v);
	}
	if (is_case)
		rc = read_case(c, b, head, p, omit);
	for (size_t i = b->from; i < b->to; i++)
		omit[i] |= doc_rule_find(c, "template", NULL, d->line[i], NULL) != NULL;
	long text_end = doc_rule_line(c, "text_end", NULL, b->from, b->to, NULL, NULL);
	p->text = doc_join_text(d, b->from, text_end > 0 ? (size_t)text_end : b->to, omit);
	if (rc || !p->text || is_case)
		return rc ? rc : p->text ? IB_OK : IB_ENOMEM;
	int got = doc_table_read(c, b->from, b->to, p, t);
	rc = got < 0 ? IB_ENOMEM : read_kind(c, b, got ? t->title_line : b->to, p);
	foreach_rule (y, "field") { /* text fields, kept in the text */
		doc_hit h;
		long i =
		    strcmp(y->value, "text") || rc ? -1 : doc_match_line(y, d, b->from, b->to, &h);
		char *v = i >= 0 ? field_value(c, h.end, (size_t)i, b->to) : NULL;
		rc = v ? text_add(p, "%.*s: %s", (int)strcspn(y->text, ":"), y->text, v) : rc;
		free(v);
	}
	return !rc && got ? doc_table_apply(c, t, p) : rc;
}

int doc_read_blocks(doc_ctx *c, ib_error *err)
{
	const ib_doc *d = c->d;
	ib_doc_result *r = c->r;
	size_t n = 0, n_props = 0;
	block *b = find_blocks(c, &n);
	if (!n)
		return 0;
	size_t head = b[0].from;
	r->reader = "blocks";
	r->budget_year = doc_budget_year(c, head, NULL);
	doc_overview *o = NULL;
	ib_proposal **props = calloc(n, sizeof *props);
	doc_table *tables = calloc(n + 1, sizeof *tables);
	unsigned char *omit = calloc(d->n_lines + 1, 1);
	int rc = props && tables && omit ? doc_overview_read(c, head, &o) : IB_ENOMEM;
	for (size_t i = 0; i < n && !rc; i++) {
		ib_proposal *p = ib_proposal_new();
		int is_case = !strcmp(b[i].rule->kind, "case");
		rc = p ? read_block(c, &b[i], head, p, &tables[n_props], omit) : IB_ENOMEM;
		if (!rc && is_case && !p->budget_year) {
			rc = doc_note(r, "case %d '%s': no adoption year printed; not imported",
				      b[i].hit.nr, p->title);
			ib_proposal_free(p);
			continue;
		}
		if (rc || (rc = ib_proposal_list_push(is_case ? &r->followups : &r->proposals, p)))
			ib_proposal_free(p);
		else if (!is_case)
			props[n_props++] = p;
	}
	/* no budget year printed: the first table's first year */
	for (size_t i = 0; i < n_props && !r->budget_year; i++)
		r->budget_year = tables[i].ncols ? tables[i].years[0] : 0;
	for (size_t i = 0; i < n_props; i++)
		props[i]->budget_year =
		    props[i]->budget_year ? props[i]->budget_year : r->budget_year;
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
	rc = rc ? rc : doc_overview_check(c, o, err);
	/* the cases listed as fully implemented (they carry no figures) */
	long done = rc || strcmp(b[0].rule->kind, "case")
			? -1
			: doc_rule_line(c, "list_done", NULL, 0, head, NULL, NULL);
	for (long k = done + 1; done >= 0 && !rc && k < (long)head; k++) {
		doc_hit h;
		char title[512];
		if (doc_rule_find(c, "list_end", NULL, d->line[k], NULL))
			break;
		if (!doc_rule_match(b[0].rule, d->line[k], &h) || !h.title)
			continue;
		snprintf(title, sizeof title, "%s", h.title);
		rc = doc_note(
		    r,
		    "case %d '%s' is fully implemented; the report gives no figures for it, "
		    "so it is not imported",
		    h.nr, doc_squeeze(title));
	}
	for (size_t i = 0; tables && i <= n_props; i++)
		doc_table_free(&tables[i]);
	IB_FREE_ALL(tables, props, omit, b);
	doc_overview_free(o);
	if (rc && (!err || !err->rc))
		ib_error_set(err, rc, "%s: %s", d->name, ib_strerror(rc));
	return rc ? -1 : 1;
}
