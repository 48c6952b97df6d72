/* doc_tables.c - a document no block rule describes, read as its proposals through its
 * tables of yearly amounts (extract.h): one proposal per case and model, titled by the
 * case's own heading, a summary table held against each model's own table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc_int.h"
#include "extract_int.h"
#include "ideabank/buf.h"
#include "ideabank/documents.h"

/* One part that reads a proposal: a whole table, or one row of a summary by model. */
typedef struct part {
	const ib_xtable *t;
	long row; /* -1: the whole table */
} part;

typedef struct prop {
	char *title, *variant;
	const char *how;   /* where the title is from */
	size_t title_line; /* 1-based; 0 when not a line */
	size_t from, to;   /* the case's lines */
	part parts[16];
	size_t n_parts;
} prop;

/* Whether line i stands alone as a heading: short, between blank lines, no sentence,
 * no cells, no numbers at its end. */
static int is_heading(const ib_doc *d, size_t i)
{
	const char *z = doc_skip_blank(d->line[i]);
	size_t n = strlen(z), ll;
	double v[4];
	while (n > 0 && (z[n - 1] == ' ' || z[n - 1] == '\t'))
		n--;
	return n && n <= 200 && !strchr(z, '\t') && z[n - 1] != '.' && z[n - 1] != ',' &&
	       ib_doc_tail_numbers(z, v, 4, NULL, &ll) < 2 &&
	       (i == 0 || doc_is_blank(d->line[i - 1])) &&
	       (i + 1 >= d->n_lines || doc_is_blank(d->line[i + 1]));
}

/* The nearest heading in [from, at) that names a proposal (no section, no model), or
 * -1. */
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

/* Where cases begin: each section heading like the document's first one; *n = 0 when
 * it has none. */
static size_t *case_starts(const ib_doc *d, size_t *n)
{
	size_t *s = calloc(d->n_lines + 1, sizeof *s);
	char *first = NULL;
	*n = 0;
	for (size_t i = 0; s && i < d->n_lines; i++) {
		char *k = is_heading(d, i) && x_generic_heading(d->line[i]) ? x_fold(d->line[i], 0)
									    : NULL;
		size_t len = k ? strcspn(k, ":") : 0;
		if (k && !first)
			first = strndup(k, len);
		if (k && first && strlen(first) == len && !strncmp(k, first, len))
			s[(*n)++] = i;
		free(k);
	}
	free(first);
	return s;
}

/* The case of the table at line at: its lines into pr, its heading's line (-1 none).
 * With sections, a case runs from the heading above its first section to the next
 * case's heading; without, the nearest heading above the table names it. */
static long case_of(const ib_doc *d, const size_t *starts, size_t n, size_t at, prop *pr)
{
	size_t k = 0, lo;
	long h;
	pr->to = d->n_lines;
	if (!n) {
		h = heading_above(d, 0, at);
		pr->from = h >= 0 ? (size_t)h : 0;
		return h;
	}
	while (k + 1 < n && starts[k + 1] <= at)
		k++;
	lo = k ? starts[k - 1] + 1 : 0;
	h = heading_above(d, lo, starts[k]);
	pr->from = h >= 0 ? (size_t)h : lo;
	if (k + 1 < n) {
		long next = heading_above(d, starts[k] + 1, starts[k + 1]);
		pr->to = next >= 0 ? (size_t)next : starts[k + 1];
	}
	return h;
}

/* z cut to its first sentence (a full stop after a word of three letters or more and
 * before a capital: not "15,675 mio. kr." or "den 14. juni"), at most 150 bytes (then
 * at a word, with "…"); in place. */
static char *first_sentence(char *z)
{
	size_t n = z ? strlen(z) : 0, word = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)z[i], *next = (unsigned char *)z + i + 2;
		if (ch == '.' && word >= 3 &&
		    (!z[i + 1] ||
		     (z[i + 1] == ' ' && ((*next >= 'A' && *next <= 'Z') || *next == 0xC3))))
			n = i;
		word = ch == ' ' || (ch >= '0' && ch <= '9') ? 0 : word + ((ch & 0xC0) != 0x80);
	}
	if (n > 150) {
		for (n = 150; n > 0 && z[n] != ' ';)
			n--;
		memcpy(z + n, " \xE2\x80\xA6", 4); /* " …" */
		n += 4;
	}
	if (z)
		z[n] = '\0';
	return z;
}

/* A title without the budget year its heading names ("Budget 2025: Title", "Title –
 * B2025"), in place. */
static char *strip_budget(const doc_ctx *c, char *z)
{
	foreach_rule (x, "budget_year")
		for (char *p = z; *p; p++) {
			doc_hit h;
			if ((p > z && (unsigned char)p[-1] >= 'A') || !doc_rule_match(x, p, &h) ||
			    h.start != doc_skip_blank(p))
				continue;
			const char *rest = h.end + strspn(h.end, " :-,\xE2\x80\x93");
			if (p == z && *rest)
				memmove(z, rest, strlen(rest) + 1);
			else if (!*rest && p > z)
				*p = '\0';
			else
				continue;
			for (size_t n = strlen(z); n && strchr(" :-,(\x93\x80\xE2", z[n - 1]);)
				z[--n] = '\0';
			return z;
		}
	return z;
}

/* The title of the case pr whose heading is line h (-1 none). Caller frees. */
static char *case_title(const doc_ctx *c, prop *pr, long h, const ib_xtable *t)
{
	const ib_doc *d = c->d;
	const ib_document_info *info = ib_document_lookup(d->name);
	long at = -1;
	const doc_rule *x;
	char *z = doc_field(c, "title", pr->from, pr->to, &at, &x), *summary = NULL;
	pr->how = "a title field", pr->title_line = (size_t)at + 1;
	if (!z && h >= 0)
		z = x_squeeze(d->line[h]), pr->how = "the heading that begins the case",
		pr->title_line = (size_t)h + 1;
	if (!z && info && *info->title)
		z = strdup(info->title), pr->how = "the title map (data/documents.csv)",
		pr->title_line = 0;
	if (!z && (summary = doc_field(c, "summary", pr->from, pr->to, &at, &x)) != NULL)
		z = first_sentence(summary), pr->how = "the first sentence of the summary",
		pr->title_line = (size_t)at + 1;
	if (!z)
		z = t->caption && *t->caption ? first_sentence(strdup(t->caption)) : NULL,
		pr->how = "the table's caption", pr->title_line = 0;
	if (!z && (z = malloc(32)) != NULL)
		snprintf(z, 32, "Tabel %d", t->table_no), pr->how = "the table's number";
	return z ? strip_budget(c, z) : NULL;
}

/* Say which rules of data/extract_rules.csv read table t. */
static void explain_table(const doc_ctx *c, const ib_xtable *t)
{
	ib_buf b;
	ib_buf_init(&b, 0);
	ib_buf_addf(&b, "table %d (line %d): years %d-%d", t->table_no, t->line, t->years[0],
		    t->years[t->n_years - 1]);
	if (t->unit_text)
		ib_buf_addf(&b, "; unit from '%s' (extract_rules.csv:%d)", t->unit_text,
			    x_rule_line("unit", t->unit_text));
	if (t->sign_text)
		ib_buf_addf(&b, "; sign from '%s' (extract_rules.csv:%d)", t->sign_text,
			    x_rule_line("sign", t->sign_text));
	if (t->total_row >= 0)
		ib_buf_addf(&b, "; total '%s' (extract_rules.csv:%d)", t->rows[t->total_row].label,
			    x_rule_line("total", t->rows[t->total_row].label));
	if (t->variant)
		ib_buf_addf(&b, "; model '%s' (extract_rules.csv:%d)", t->variant,
			    x_rule_line("variant", t->variant));
	doc_explain(c, "%.500s", ib_buf_str(&b));
	ib_buf_free(&b);
}

/* Add part pt to the proposal of (pr's title, variant), new ones in order. */
static int add_part(prop **v, size_t *n, const prop *pr, const char *variant, part pt)
{
	size_t i = 0;
	while (i < *n && (strcmp((*v)[i].title, pr->title) ||
			  strcmp((*v)[i].variant ? (*v)[i].variant : "", variant ? variant : "")))
		i++;
	if (i == *n) {
		prop *grown = realloc(*v, (*n + 1) * sizeof **v);
		if (!grown)
			return IB_ENOMEM;
		*v = grown;
		grown[(*n)++] = *pr;
		grown[i].title = strdup(pr->title);
		grown[i].variant = variant ? strdup(variant) : NULL;
		if (!grown[i].title)
			return IB_ENOMEM;
	}
	if ((*v)[i].n_parts < 16)
		(*v)[i].parts[(*v)[i].n_parts++] = pt;
	return IB_OK;
}

/* A part as a table of its own (a summary's row keeps the summary's header), and what
 * it is. */
static ib_xtable part_table(const part *pt, char *what, size_t n)
{
	ib_xtable t = *pt->t;
	if (pt->row >= 0) {
		t.rows = &pt->t->rows[pt->row], t.n_rows = 1, t.total_row = -1;
		snprintf(what, n, "tabel %d, række '%.100s' (linje %d)", t.table_no, t.rows->label,
			 t.rows->line);
	} else {
		snprintf(what, n, "tabel %d (linje %d)", t.table_no, t.line);
	}
	return t;
}

/* Proposal pr: from its own table (the first part that is one), the others held
 * against it. */
static int make_proposal(const doc_ctx *c, const prop *pr, ib_proposal **out)
{
	const ib_doc *d = c->d;
	size_t main = 0, i;
	while (main < pr->n_parts && pr->parts[main].row >= 0)
		main++;
	main = main < pr->n_parts ? main : 0;
	char what[256], where[256], ref[32];
	ib_xtable t = part_table(&pr->parts[main], what, sizeof what);
	ib_proposal *p = ib_proposal_new();
	unsigned char *omit = calloc(d->n_lines + 1, 1);
	ib_buf b;
	ib_buf_init(&b, 0);
	ib_buf_addf(&b, pr->variant ? "%s (%s)" : "%s", pr->title, pr->variant);
	snprintf(ref, sizeof ref, "tabel %d", t.table_no);
	for (i = pr->from; omit && i < pr->to; i++)
		omit[i] = doc_rule_find(c, "template", NULL, d->line[i], NULL) != NULL;
	if (p) {
		p->title = ib_buf_detach(&b);
		p->ref = strdup(ref);
		p->variant = pr->variant ? strdup(pr->variant) : NULL;
		p->source = strdup(d->name);
		p->kind = "andet";
		p->budget_year = c->r->budget_year;
		p->text = omit ? doc_join_text(d, pr->from, pr->to, omit) : NULL;
		p->summary = doc_summary(doc_field(c, "summary", pr->from, pr->to, NULL, NULL));
		if (!p->summary && t.caption)
			p->summary = strdup(t.caption);
		p->committee = doc_field(c, "committee", pr->from, pr->to, NULL, NULL);
	}
	free(omit);
	ib_buf_free(&b);
	int rc =
	    p && p->title && p->ref && p->source && p->text ? ib_extract_apply(&t, p) : IB_ENOMEM;
	if (!rc)
		rc = ib_proposal_add_flag(
		    p, "general_layout",
		    "Dokumentets layout er ikke kendt; tabel %d (linje %d) er læst af den "
		    "generelle læser",
		    t.table_no, t.line);
	snprintf(where, sizeof where, " (line %zu)", pr->title_line);
	doc_explain(c, "proposal '%s': %s; title from %s%s", p ? p->title : "", what, pr->how,
		    pr->title_line ? where : "");
	for (i = 0; i < pr->n_parts && !rc; i++) { /* the other parts of the proposal */
		ib_xtable o = part_table(&pr->parts[i], where, sizeof where);
		ib_proposal *q = i == main ? NULL : ib_proposal_new();
		int years[IB_X_MAX_COLS], state = 0;
		double net[IB_X_MAX_COLS];
		if (i == main)
			continue;
		if (!q || ib_extract_apply(&o, q))
			rc = IB_ENOMEM;
		for (size_t k = 0; !rc && k < q->n_years && k < IB_X_MAX_COLS; k++)
			years[k] = q->years[k].year, net[k] = q->years[k].net;
		if (!rc)
			rc = doc_overview_compare(where, years, (int)q->n_years, net, NULL, "netto",
						  "investering", 0, p, &state);
		ib_proposal_free(q);
		doc_explain(c, "  held against %s: %s", where,
			    state == 2 ? "differs (overview_mismatch)"
			    : state    ? "agrees"
				       : "no year in common");
	}
	if (rc)
		ib_proposal_free(p);
	else
		*out = p;
	return rc;
}

int doc_read_tables(doc_ctx *c, ib_error *err)
{
	const ib_doc *d = c->d;
	ib_doc_result *r = c->r;
	ib_xresult x;
	if (ib_extract_doc(d, 0, 0, &x, err))
		return -1;
	if (!x.n)
		return ib_xresult_free(&x), 0;
	r->reader = "tables";
	doc_explain(c, "no block rule matches: read as the document's tables (%zu)", x.n);
	size_t head = (size_t)x.tables[0].line - 1, n_starts = 0, n_props = 0;
	if (!(r->budget_year = doc_budget_year(c, head < 12 ? head : 12, NULL))) {
		r->budget_year = x.tables[0].years[0];
		doc_explain(c, "budget year %d: none printed; the first table's first year",
			    r->budget_year);
	}
	int rc = IB_OK;
	for (size_t i = 0; i < x.n_notes && !rc; i++)
		rc = doc_note(r, "%s", x.notes[i]);
	size_t *starts = case_starts(d, &n_starts);
	prop *props = NULL;
	rc = starts ? rc : IB_ENOMEM;
	for (size_t i = 0; i < x.n && !rc; i++) {
		const ib_xtable *t = &x.tables[i];
		prop pr = {0};
		long h = case_of(d, starts, n_starts, (size_t)t->line - 1, &pr);
		char *names[X_MAX_ROWS];
		size_t n_models = 0;
		explain_table(c, t);
		if (!(pr.title = case_title(c, &pr, h, t)))
			rc = IB_ENOMEM;
		for (size_t k = 0; k < t->n_rows; k++) { /* rows that name models (distinct) */
			names[k] =
			    t->rows[k].kind == IB_XROW_MONEY ? x_variant(t->rows[k].label) : NULL;
			for (size_t j = 0; j < k && names[k] && n_models < 2; j++)
				n_models += names[j] && strcmp(names[j], names[k]);
		}
		for (size_t k = 0; k < t->n_rows; k++) {
			if (!rc && n_models && names[k]) {
				doc_explain(c,
					    "  line %d: '%s' names a model (extract_rules.csv:%d)",
					    t->rows[k].line, t->rows[k].label,
					    x_rule_line("variant", names[k]));
				rc = add_part(&props, &n_props, &pr, names[k], (part){t, (long)k});
			}
			free(names[k]);
		}
		if (!rc && !n_models)
			rc = add_part(&props, &n_props, &pr, t->variant, (part){t, -1});
		free(pr.title);
	}
	for (size_t i = 0; i < n_props; i++) {
		ib_proposal *p = NULL;
		if (!rc && !(rc = make_proposal(c, &props[i], &p)) &&
		    (rc = ib_proposal_list_push(&r->proposals, p)) != IB_OK)
			ib_proposal_free(p);
		free(props[i].title), free(props[i].variant);
	}
	free(props);
	free(starts);
	ib_xresult_free(&x);
	if (rc)
		ib_error_set(err, rc, "%s: %s", d->name, ib_strerror(rc));
	return rc ? -1 : 1;
}
