/* doc_tables.c - a document no block rule describes, read as its proposals through its
 * tables of yearly amounts (the extractor, extract_text.c).
 *
 * A table belongs to a case: where the document's section headings (generic_heading
 * rules: Resume, Økonomiske konsekvenser, ...) repeat, each case begins at its first
 * section, and its title is the heading above that (else a title field, the document's
 * title in the title map, the first sentence of its summary).  A table's model is its
 * variant (Model A, Scenarie 2); a table whose rows are models is a summary that gives
 * each model its row.  One proposal per case and model: its table when it has one of
 * its own, else its summary row; the summary row and any other table of the same
 * proposal are held against it (overview_mismatch).  The municipality and the budget
 * year are the document's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc_int.h"
#include "extract_int.h"
#include "ideabank/buf.h"
#include "ideabank/documents.h"

/* Say which rules of data/extract_rules.csv read table t. */
static void explain_table(const doc_ctx *c, const ib_xtable *t)
{
	char what[512];
	int n = snprintf(what, sizeof what, "table %d (line %d): years %d-%d", t->table_no, t->line,
			 t->years[0], t->years[t->n_years - 1]);
	if (t->unit_text && n < (int)sizeof what)
		n += snprintf(what + n, sizeof what - (size_t)n,
			      "; unit from '%s' (extract_rules.csv:%d)", t->unit_text,
			      x_rule_line("unit", t->unit_text));
	if (t->sign_text && n < (int)sizeof what)
		n += snprintf(what + n, sizeof what - (size_t)n,
			      "; sign from '%s' (extract_rules.csv:%d)", t->sign_text,
			      x_rule_line("sign", t->sign_text));
	if (t->total_row >= 0 && n < (int)sizeof what)
		n += snprintf(what + n, sizeof what - (size_t)n,
			      "; total '%s' (extract_rules.csv:%d)", t->rows[t->total_row].label,
			      x_rule_line("total", t->rows[t->total_row].label));
	if (t->variant && n < (int)sizeof what)
		snprintf(what + n, sizeof what - (size_t)n, "; model '%s' (extract_rules.csv:%d)",
			 t->variant, x_rule_line("variant", t->variant));
	doc_explain(c, "%s", what);
}

/* One part that reads a proposal: a whole table, or one row of a summary by model. */
typedef struct part {
	const ib_xtable *t;
	long row; /* -1: the whole table */
} part;

typedef struct prop {
	char *title, *variant;
	size_t title_line; /* 1-based; 0 when the title is not a heading */
	const char *title_how;
	size_t from, to; /* the case's lines */
	part parts[16];
	size_t n_parts;
} prop;

/* Whether line i stands alone as a heading: short, between blank lines, not a
 * sentence, no cells, no numbers at its end. */
static int is_heading(const ib_doc *d, size_t i)
{
	const char *z = doc_skip_blank(d->line[i]);
	size_t n = strlen(z);
	while (n > 0 && (z[n - 1] == ' ' || z[n - 1] == '\t'))
		n--;
	double v[4];
	size_t ll;
	if (!n || n > 200 || strchr(z, '\t') || z[n - 1] == '.' || z[n - 1] == ',' ||
	    ib_doc_tail_numbers(z, v, 4, NULL, &ll) > 1)
		return 0;
	return (i == 0 || doc_is_blank(d->line[i - 1])) &&
	       (i + 1 >= d->n_lines || doc_is_blank(d->line[i + 1]));
}

/* The heading's text, folded for comparing section names; caller frees. */
static char *heading_key(const ib_doc *d, size_t i)
{
	char *k = x_fold(d->line[i], 0);
	size_t n = k ? strlen(k) : 0;
	while (n && (k[n - 1] == ':' || k[n - 1] == ' '))
		k[--n] = '\0';
	return k;
}

/* Lines where a case begins: each occurrence of the document's first section heading;
 * *n = 0 when it has no section headings. */
static size_t *case_starts(const ib_doc *d, size_t *n)
{
	size_t *s = calloc(d->n_lines + 1, sizeof *s);
	char *first = NULL;
	*n = 0;
	for (size_t i = 0; s && i < d->n_lines; i++) {
		if (!is_heading(d, i) || !x_generic_heading(d->line[i]))
			continue;
		char *k = heading_key(d, i);
		if (k && !first)
			first = strdup(k);
		if (k && first && !strcmp(k, first))
			s[(*n)++] = i;
		free(k);
	}
	free(first);
	return s;
}

/* The nearest heading in [from, at) naming a proposal (no section, no model), or -1. */
static long heading_above(const ib_doc *d, size_t from, size_t at)
{
	for (size_t i = at; i-- > from;) {
		if (!is_heading(d, i) || x_generic_heading(d->line[i]))
			continue;
		char *v = x_variant(d->line[i]);
		free(v);
		if (!v)
			return (long)i;
	}
	return -1;
}

/* The case of a table at line at: its lines into pr, its heading's line (-1 none).
 * With sections, a case runs from the heading above its first section to the next
 * case's heading; without, the nearest heading above the table names it. */
static long case_of(const ib_doc *d, const size_t *starts, size_t n, size_t at, prop *pr)
{
	pr->to = d->n_lines;
	if (!n) {
		long h = heading_above(d, 0, at);
		pr->from = h >= 0 ? (size_t)h : 0;
		return h;
	}
	size_t k = 0;
	while (k + 1 < n && starts[k + 1] <= at)
		k++;
	size_t lo = k ? starts[k - 1] + 1 : 0;
	long h = heading_above(d, lo, starts[k]);
	pr->from = h >= 0 ? (size_t)h : lo;
	if (k + 1 < n) {
		long next = heading_above(d, starts[k] + 1, starts[k + 1]);
		pr->to = next >= 0 ? (size_t)next : starts[k + 1];
	}
	return h;
}

/* A title without the budget year the heading names with it ("Budget 2025: Title",
 * "Title – B2025"); z is changed in place. */
static char *strip_budget(const doc_ctx *c, char *z)
{
	for (const doc_rule *x = doc_rule_next("budget_year", NULL, c->code); x;
	     x = doc_rule_next("budget_year", x, c->code)) {
		doc_hit h;
		for (char *p = z; *p; p++) {
			if (p > z && ((unsigned char)p[-1] >= 'A' || p[-1] == '\''))
				continue;
			if (!doc_rule_match(x, p, &h) || h.start != doc_skip_blank(p))
				continue;
			const char *rest = h.end + strspn(h.end, " :-,\xE2\x80\x93");
			if (p == z && *rest) /* "Budget 2025: Title" */
				memmove(z, rest, strlen(rest) + 1);
			else if (!*rest && p > z) /* "Title – Budget 2025" */
				*p = '\0';
			else
				continue;
			size_t n = strlen(z);
			while (n && strchr(" :-,(\x93\x80\xE2", z[n - 1]))
				z[--n] = '\0';
			return z;
		}
	}
	return z;
}

/* z cut to its first sentence (a full stop after a word of three letters or more,
 * before a capital: not "15,675 mio. kr." or "den 14. juni"), at most 150 bytes (then
 * cut at a word, with "…"); z is changed in place. */
static char *first_sentence(char *z)
{
	size_t n = z ? strlen(z) : 0, word = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char next = (unsigned char)z[i + 2];
		if (z[i] == '.' && (z[i + 1] == ' ' || !z[i + 1]) && word >= 3 &&
		    (!z[i + 1] || (next >= 'A' && next <= 'Z') || next == 0xC3)) {
			n = i;
			break;
		}
		unsigned char ch = (unsigned char)z[i];
		word = ch == ' ' ? 0 : (ch >= '0' && ch <= '9') ? 0 : word + ((ch & 0xC0) != 0x80);
	}
	if (n > 150) {
		for (n = 150; n > 0 && z[n] != ' ';)
			n--;
		memcpy(z + n, " \xE2\x80\xA6", 5); /* " …" */
		n += 4;
	}
	if (z)
		z[n] = '\0';
	return z;
}

/* The title of the case of lines [pr->from, pr->to) whose heading is line h (-1 none):
 * a title field, the heading, the title map's title, the first sentence of the case's
 * summary, the table's caption.  Caller frees. */
static char *case_title(const doc_ctx *c, prop *pr, long h, const ib_xtable *t)
{
	const ib_doc *d = c->d;
	char *z = NULL;
	for (const doc_rule *x = doc_rule_next("field", NULL, c->code); x && !z;
	     x = doc_rule_next("field", x, c->code)) {
		doc_hit h;
		for (size_t i = pr->from; i < pr->to && !z && !strcmp(x->value, "title"); i++)
			if (doc_rule_match(x, d->line[i], &h) && !doc_is_blank(h.end)) {
				z = x_squeeze(h.end);
				pr->title_line = i + 1, pr->title_how = "a title field";
			}
	}
	if (!z && h >= 0) {
		z = x_squeeze(d->line[h]);
		pr->title_line = (size_t)h + 1, pr->title_how = "the heading that begins the case";
	}
	const ib_document_info *info = z ? NULL : ib_document_lookup(d->name);
	if (info && *info->title) {
		z = strdup(info->title);
		pr->title_how = "the title map (data/documents.csv)";
	}
	for (const doc_rule *x = doc_rule_next("field", NULL, c->code); x && !z;
	     x = doc_rule_next("field", x, c->code)) {
		if (strcmp(x->value, "summary") || strcmp(x->match, "line"))
			continue;
		long i = doc_rule_line(c, "field", "summary", pr->from, pr->to, NULL, NULL);
		size_t k = i >= 0 ? (size_t)i + 1 : pr->to;
		while (k < pr->to && doc_is_blank(d->line[k]))
			k++;
		if (k < pr->to) {
			z = first_sentence(x_squeeze(d->line[k]));
			pr->title_line = k + 1, pr->title_how = "the first sentence of the summary";
		}
	}
	if (!z && t->caption && *t->caption) {
		size_t n = strlen(t->caption);
		if (n > 150)
			for (n = 150; n > 0 && t->caption[n] != ' ';)
				n--;
		z = strndup(t->caption, n ? n : strlen(t->caption));
		pr->title_how = "the table's caption";
	}
	if (!z) {
		char tab[32];
		snprintf(tab, sizeof tab, "Tabel %d", t->table_no);
		z = strdup(tab);
		pr->title_how = "the table's number";
	}
	return z ? strip_budget(c, z) : NULL;
}

/* The models a table's rows name ("Model A", "Model B"), when at least two do: the
 * table is a summary by model.  Returns their count; names[i] for row i (caller frees). */
static int row_models(const ib_xtable *t, char **names)
{
	int n = 0;
	for (size_t i = 0; i < t->n_rows; i++) {
		names[i] = t->rows[i].kind == IB_XROW_MONEY ? x_variant(t->rows[i].label) : NULL;
		int seen = 0;
		for (size_t k = 0; k < i && names[i]; k++)
			seen |= names[k] && !strcmp(names[k], names[i]);
		n += names[i] && !seen;
	}
	return n;
}

/* The proposal of key (title, variant), added when new. */
static prop *prop_of(prop **v, size_t *n, const char *title, const char *variant)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*v)[i].title, title) &&
		    !strcmp((*v)[i].variant ? (*v)[i].variant : "", variant ? variant : ""))
			return &(*v)[i];
	prop *grown = realloc(*v, (*n + 1) * sizeof **v);
	if (!grown)
		return NULL;
	*v = grown;
	prop *p = &grown[(*n)++];
	memset(p, 0, sizeof *p);
	p->title = strdup(title);
	p->variant = variant ? strdup(variant) : NULL;
	return p->title ? p : NULL;
}

/* The part as a table of its own (one row of a summary keeps its header). */
static ib_xtable part_table(const part *pt)
{
	ib_xtable t = *pt->t;
	if (pt->row >= 0) {
		t.rows = &pt->t->rows[pt->row];
		t.n_rows = 1;
		t.total_row = -1;
	}
	return t;
}

static void describe(const part *pt, char *out, size_t n)
{
	if (pt->row >= 0)
		snprintf(out, n, "tabel %d, række '%s' (linje %d)", pt->t->table_no,
			 pt->t->rows[pt->row].label, pt->t->rows[pt->row].line);
	else
		snprintf(out, n, "tabel %d (linje %d)", pt->t->table_no, pt->t->line);
}

/* Proposal pr: its main part (its own table before a summary row), the others held
 * against it. */
static int make_proposal(const doc_ctx *c, const prop *pr, ib_proposal **out)
{
	const ib_doc *d = c->d;
	size_t main = 0;
	for (size_t i = 0; i < pr->n_parts; i++)
		if (pr->parts[i].row < 0) {
			main = i;
			break;
		}
	const part *mp = &pr->parts[main];
	ib_xtable t = part_table(mp);
	ib_proposal *p = ib_proposal_new();
	if (!p)
		return IB_ENOMEM;
	ib_buf b;
	ib_buf_init(&b, 0);
	ib_buf_adds(&b, pr->title);
	if (pr->variant)
		ib_buf_addf(&b, " (%s)", pr->variant);
	char ref[32];
	snprintf(ref, sizeof ref, "tabel %d", mp->t->table_no);
	p->title = ib_buf_detach(&b);
	p->ref = strdup(ref);
	p->variant = pr->variant ? strdup(pr->variant) : NULL;
	p->source = strdup(d->name);
	p->kind = "andet";
	p->budget_year = c->r->budget_year;
	unsigned char *omit = calloc(d->n_lines + 1, 1);
	for (size_t i = pr->from; omit && i < pr->to; i++)
		omit[i] = doc_rule_find(c, "template", NULL, d->line[i], NULL) != NULL;
	p->text = doc_join_text(d, pr->from, pr->to, omit);
	free(omit);
	long at = doc_rule_line(c, "field", "summary", pr->from, pr->to, NULL, NULL);
	if (at >= 0) {
		size_t k = (size_t)at + 1;
		while (k < pr->to && doc_is_blank(d->line[k]))
			k++;
		size_t e = k;
		while (e < pr->to && !doc_is_blank(d->line[e]))
			e++;
		p->summary = k < e ? doc_summary(doc_join(d, k, e, 0)) : NULL;
	}
	if (!p->summary && mp->t->caption)
		p->summary = strdup(mp->t->caption);
	int rc = p->title && p->ref && p->source && p->text ? ib_extract_apply(&t, p) : IB_ENOMEM;
	if (!rc)
		rc =
		    ib_proposal_add_flag(p, "general_layout",
					 "Dokumentets layout er ikke kendt; tabel %d (linje %d) er "
					 "læst af den generelle læser",
					 mp->t->table_no, mp->t->line);
	char what[256];
	describe(mp, what, sizeof what);
	if (pr->title_line)
		doc_explain(c, "proposal '%s': %s; title from line %zu (%s)", p->title, what,
			    pr->title_line, pr->title_how);
	else
		doc_explain(c, "proposal '%s': %s; title from %s", p->title, what, pr->title_how);
	/* the other parts of the same proposal are held against it */
	for (size_t i = 0; i < pr->n_parts && !rc; i++) {
		if (i == main)
			continue;
		ib_xtable o = part_table(&pr->parts[i]);
		ib_proposal *q = ib_proposal_new();
		if (!q || ib_extract_apply(&o, q)) {
			ib_proposal_free(q);
			rc = IB_ENOMEM;
			break;
		}
		int years[IB_X_MAX_COLS];
		double net[IB_X_MAX_COLS];
		for (size_t k = 0; k < q->n_years && k < IB_X_MAX_COLS; k++)
			years[k] = q->years[k].year, net[k] = q->years[k].net;
		char where[300];
		describe(&pr->parts[i], where, sizeof where);
		int state = 0;
		rc = doc_overview_compare(where, years, (int)q->n_years, net, NULL, "netto",
					  "investering", 0, p, &state);
		ib_proposal_free(q);
		doc_explain(c, "  held against %s: %s", where,
			    state == 2 ? "differs (overview_mismatch)"
			    : state    ? "agrees"
				       : "no year in common");
	}
	if (rc) {
		ib_proposal_free(p);
		return rc;
	}
	*out = p;
	return IB_OK;
}

int doc_read_tables(doc_ctx *c, ib_error *err)
{
	const ib_doc *d = c->d;
	ib_doc_result *r = c->r;
	ib_xresult x;
	if (ib_extract_doc(d, 0, 0, &x, err))
		return -1;
	if (!x.n) {
		ib_xresult_free(&x);
		return 0;
	}
	r->reader = "tables";
	doc_explain(c, "no block rule matches: read as the document's tables (%zu)", x.n);
	size_t head = (size_t)x.tables[0].line - 1;
	r->budget_year = doc_budget_year(c, head < 12 ? head : 12, NULL);
	if (!r->budget_year) {
		r->budget_year = x.tables[0].years[0];
		doc_explain(c, "budget year %d: none printed; the first table's first year",
			    r->budget_year);
	}
	int rc = IB_OK;
	for (size_t i = 0; i < x.n_notes && !rc; i++)
		rc = doc_note(r, "%s", x.notes[i]);
	size_t n_starts = 0;
	size_t *starts = case_starts(d, &n_starts);
	prop *props = NULL;
	size_t n_props = 0;
	if (!starts)
		rc = IB_ENOMEM;
	for (size_t i = 0; i < x.n && !rc; i++) {
		const ib_xtable *t = &x.tables[i];
		explain_table(c, t);
		prop pr = {0};
		long h = case_of(d, starts, n_starts, (size_t)t->line - 1, &pr);
		char *title = case_title(c, &pr, h, t);
		char *names[X_MAX_ROWS];
		int n_models = title ? row_models(t, names) : 0;
		for (size_t k = 0; k < t->n_rows && title && !rc; k++) {
			if (n_models < 2 || !names[k])
				continue;
			doc_explain(
			    c,
			    "  line %d: '%s' names a model (extract_rules.csv:%d): a summary row",
			    t->rows[k].line, t->rows[k].label, x_rule_line("variant", names[k]));
			prop *q = prop_of(&props, &n_props, title, names[k]);
			if (!q) {
				rc = IB_ENOMEM;
				break;
			}
			if (!q->n_parts)
				q->from = pr.from, q->to = pr.to, q->title_line = pr.title_line,
				q->title_how = pr.title_how;
			if (q->n_parts < 16)
				q->parts[q->n_parts++] = (part){t, (long)k};
		}
		for (size_t k = 0; k < t->n_rows && title; k++)
			free(names[k]);
		if (title && n_models < 2) {
			prop *q = prop_of(&props, &n_props, title, t->variant);
			if (!q)
				rc = IB_ENOMEM;
			else {
				if (!q->n_parts)
					q->from = pr.from, q->to = pr.to,
					q->title_line = pr.title_line, q->title_how = pr.title_how;
				if (q->n_parts < 16)
					q->parts[q->n_parts++] = (part){t, -1};
			}
		} else if (!title) {
			rc = IB_ENOMEM;
		}
		free(title);
	}
	for (size_t i = 0; i < n_props && !rc; i++) {
		ib_proposal *p = NULL;
		rc = make_proposal(c, &props[i], &p);
		if (!rc && (rc = ib_proposal_list_push(&r->proposals, p)) != IB_OK)
			ib_proposal_free(p);
	}
	for (size_t i = 0; i < n_props; i++)
		free(props[i].title), free(props[i].variant);
	free(props);
	free(starts);
	ib_xresult_free(&x);
	if (rc) {
		ib_error_set(err, rc, "%s: %s", d->name, ib_strerror(rc));
		return -1;
	}
	return 1;
}
