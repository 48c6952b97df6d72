/* doc_general.c - the last template: a document of a layout no template knows is read
 * by the general extractor (extract_text.c).  Each costed table becomes a proposal
 * titled by the line above it; the municipality and budget year come from the
 * document's text; what had to be assumed becomes flags. */
#include <stdlib.h>
#include <string.h>

#include "doc_int.h"
#include "extract_int.h"
#include "ideabank/buf.h"

/* The budget year a document names: "Budget 2025", "Budget 2025-28", "B2025"; 0 if
 * none. */
static int doc_budget_year(const ib_doc *d)
{
	for (size_t i = 0; i < d->n_lines; i++) {
		const char *z = d->line[i];
		for (const char *p = z; *p; p++) {
			const char *y = NULL;
			if (!strncmp(p, "Budget ", 7) || !strncmp(p, "budget ", 7))
				y = p + 7;
			else if (p[0] == 'B' && (p == z || p[-1] == ' ' || p[-1] == '('))
				y = p + 1;
			if (!y)
				continue;
			int k = 0;
			while (k < 4 && y[k] >= '0' && y[k] <= '9')
				k++;
			if (k < 4 || (y[4] >= '0' && y[4] <= '9'))
				continue;
			int year = atoi(y);
			if (year >= 1990 && year <= 2100)
				return year;
		}
	}
	return 0;
}

/* The nearest heading above line `line` (1-based): a short line standing alone
 * between blank lines that does not end a sentence; NULL if none. */
static const char *heading_above(const ib_doc *d, int line)
{
	for (long i = (long)line - 2; i >= 0; i--) {
		const char *z = doc_skip_blank(d->line[i]);
		size_t n = strlen(z);
		while (n > 0 && (z[n - 1] == ' ' || z[n - 1] == '\t'))
			n--;
		if (!n || n > 80 || strchr(z, '\t') || z[n - 1] == '.' || z[n - 1] == ',')
			continue;
		int alone = (i == 0 || doc_is_blank(d->line[i - 1])) &&
			    ((size_t)i + 1 >= d->n_lines || doc_is_blank(d->line[i + 1]));
		if (alone)
			return d->line[i];
	}
	return NULL;
}

/* The proposal of table t: titled by the nearest heading (with the document's name
 * when the heading is a section every case has), else the caption, and the variant;
 * provenance; numbers. */
static int table_proposal(const ib_doc *d, const ib_xtable *t, ib_doc_result *r, ib_proposal **out)
{
	ib_proposal *p = ib_proposal_new();
	if (!p)
		return IB_ENOMEM;
	ib_buf b;
	ib_buf_init(&b, 0);
	int rc = IB_OK;
	const char *head = heading_above(d, t->line);
	char *title = NULL;
	if (head) {
		if (!(title = x_squeeze(head)))
			rc = IB_ENOMEM;
		if (!rc)
			rc = ib_buf_adds(&b, title);
		/* "Økonomiske konsekvenser" heads every case: the document names this one */
		if (!rc && x_generic_heading(title))
			rc = ib_buf_addf(&b, " (%s)", d->name);
		free(title);
	} else if (t->caption && *t->caption) {
		/* a caption of a sentence or two: its first 150 bytes */
		size_t n = strlen(t->caption);
		if (n > 150) {
			n = 150;
			while (n > 0 && t->caption[n] != ' ')
				n--;
		}
		rc = ib_buf_add(&b, t->caption, n ? n : strlen(t->caption));
	} else {
		rc = ib_buf_addf(&b, "Tabel %d", t->table_no);
	}
	if (!rc && t->variant)
		rc = ib_buf_addf(&b, " (%s)", t->variant);
	/* the same title twice in one document: say which table */
	for (size_t i = 0; i < r->proposals.n && !rc; i++)
		if (!strcmp(r->proposals.items[i]->title, ib_buf_str(&b))) {
			rc = ib_buf_addf(&b, " (tabel %d)", t->table_no);
			break;
		}
	char ref[32];
	snprintf(ref, sizeof ref, "tabel %d", t->table_no);
	if (!rc) {
		p->title = ib_buf_detach(&b);
		p->ref = strdup(ref);
		p->source = strdup(d->name);
		p->summary = t->caption ? strdup(t->caption) : NULL;
		if (!p->title || !p->ref || !p->source || (t->caption && !p->summary))
			rc = IB_ENOMEM;
	}
	ib_buf_free(&b);
	p->kind = "andet";
	p->budget_year = r->budget_year;
	if (!rc)
		rc = ib_extract_apply(t, p);
	if (!rc)
		rc =
		    ib_proposal_add_flag(p, "general_layout",
					 "Dokumentets layout er ikke kendt; tabel %d (linje %d) er "
					 "læst af den generelle læser",
					 t->table_no, t->line);
	if (rc) {
		ib_proposal_free(p);
		return rc;
	}
	*out = p;
	return IB_OK;
}

int doc_parse_general(const ib_doc *d, ib_doc_result *r, ib_error *err)
{
	ib_xresult x;
	int rc = ib_extract_doc(d, 0, 0, &x, err);
	if (rc)
		return -1;
	if (!x.n) {
		ib_xresult_free(&x);
		return 0;
	}
	r->template_name = "general";
	r->kommune = doc_find_kommune(d);
	if (!r->kommune) {
		ib_xresult_free(&x);
		ib_error_set(
		    err, IB_EPARSE,
		    "%s: the document names no municipality ('X Kommune'); nothing imported",
		    d->name);
		return -1;
	}
	r->budget_year = doc_budget_year(d);
	if (!r->budget_year)
		r->budget_year = x.tables[0].years[0];
	for (size_t i = 0; i < x.n_notes && !rc; i++)
		rc = doc_note(r, "%s", x.notes[i]);
	for (size_t i = 0; i < x.n && !rc; i++) {
		ib_proposal *p = NULL;
		rc = table_proposal(d, &x.tables[i], r, &p);
		if (!rc && (rc = ib_proposal_list_push(&r->proposals, p)) != IB_OK)
			ib_proposal_free(p);
	}
	ib_xresult_free(&x);
	if (rc) {
		ib_error_set(err, rc, "%s: %s", d->name, ib_strerror(rc));
		return -1;
	}
	return 1;
}
