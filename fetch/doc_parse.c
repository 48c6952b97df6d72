/* doc_parse.c - ib_doc_parse(): the municipality a document names, then its proposal
 * blocks found by the layout rules (doc_blocks.c), else its tables (doc_tables.c). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc_int.h"
#include "embedded.h"
#include "ideabank/array.h"
#include "ideabank/documents.h"

/* ---- the municipality ------------------------------------------------------------ */

/* The registry's row (data/kommuner.csv, compiled in: code;name;...) whose name is
 * z[0..n) exactly, or NULL. */
static const char *registry_row(const char *z, size_t n)
{
	const ib_embedded_file *f = &ib_reference_files[0];
	for (size_t i = 1; i < f->n; i++) {
		const char *name = strchr(f->lines[i], ';');
		const char *end = name ? strchr(name + 1, ';') : NULL;
		if (end && (size_t)(end - name - 1) == n && !memcmp(name + 1, z, n))
			return f->lines[i];
	}
	return NULL;
}

/* The code of the registry's municipality name, 0 if none. */
static int registry_code(const char *name)
{
	const char *row = name ? registry_row(name, strlen(name)) : NULL;
	return row ? atoi(row) : 0;
}

/* z[0..n) as a registry name, or its genitive ("Xs Kommune" is X): the name's
 * length, 0 when neither is. */
static size_t registry_name(const char *z, size_t n)
{
	if (n && registry_row(z, n))
		return n;
	if (n > 1 && z[n - 1] == 's' && registry_row(z, n - 1))
		return n - 1;
	if (n > 1 && z[n - 1] == '\'' && registry_row(z, n - 1)) /* "X' Kommune" */
		return n - 1;
	return 0;
}

/* The first registry name standing as a whole word in z, or NULL (caller frees). */
static char *registry_name_in(const char *z)
{
	const ib_embedded_file *f = &ib_reference_files[0];
	for (size_t i = 1; i < f->n; i++) {
		const char *name = strchr(f->lines[i], ';');
		char nm[64];
		snprintf(nm, sizeof nm, "%.*s", name ? (int)strcspn(name + 1, ";") : 0,
			 name ? name + 1 : "");
		/* a whole word: no letter or digit (ASCII or UTF-8) on either side */
		for (const char *h = *nm ? strstr(z, nm) : NULL; h; h = strstr(h + 1, nm))
			if ((h == z ||
			     ((unsigned char)h[-1] < 0x80 && !isalnum((unsigned char)h[-1]))) &&
			    (unsigned char)h[strlen(nm)] < 0x80 &&
			    !isalnum((unsigned char)h[strlen(nm)]))
				return strdup(nm);
	}
	return NULL;
}

/* The municipality in "X Kommune" (z), or NULL when there is none. */
static char *kommune_in(const char *z)
{
	for (const char *k = strstr(z, " Kommune"); k; k = strstr(k + 1, " Kommune")) {
		const char *w = k;
		while (w > z && w[-1] != ' ' && w[-1] != '(' && w[-1] != '\t')
			w--;
		unsigned char c = (unsigned char)*w;
		size_t n = registry_name(w, (size_t)(k - w));
		if (((c >= 'A' && c <= 'Z') || c == 0xC3) && n)
			return strndup(w, n);
	}
	return NULL;
}

/* The municipality the text names ("X Kommune", X or its genitive in the registry, else
 * a registry name as a word), else the title map's publisher of the document; caller
 * frees; NULL if none. */
static char *find_kommune(const ib_doc *d)
{
	for (size_t i = 0; i < d->n_lines; i++) {
		char *name = kommune_in(d->line[i]);
		if (name)
			return name;
	}
	/* no "X Kommune": the first line naming a municipality of the registry */
	for (size_t i = 0; i < d->n_lines; i++) {
		char *name = registry_name_in(d->line[i]);
		if (name)
			return name;
	}
	/* else the source: the title map's publisher ("X Kommune") */
	const ib_document_info *doc = ib_document_lookup(d->name);
	char publisher[128];
	snprintf(publisher, sizeof publisher, " %s", doc ? doc->publisher : "");
	return kommune_in(publisher);
}

void ib_doc_result_free(ib_doc_result *r)
{
	if (!r)
		return;
	free(r->kommune);
	ib_proposal_list_free(&r->proposals);
	ib_proposal_list_free(&r->followups);
	ib_strings_free(r->notes, r->n_notes);
	ib_strings_free(r->explain, r->n_explain);
	memset(r, 0, sizeof *r);
}

int ib_doc_parse(const ib_doc *d, ib_doc_result *r, ib_error *err)
{
	memset(r, 0, sizeof *r);
	doc_ctx c = {d, r, 0};
	r->kommune = find_kommune(d);
	c.code = registry_code(r->kommune);
	int got = doc_read_blocks(&c, err);
	got = got ? got : doc_read_tables(&c, err);
	const char *why = !got	    ? "no proposal of a known layout and no table of yearly amounts"
			  : got < 0 ? NULL
			  : !r->kommune ? "the document names no municipality ('X Kommune')"
			  : !r->proposals.n && !r->followups.n
			      ? "its layout is recognised but no proposal could be read"
			      : NULL;
	if (got < 0 || why) {
		if (why)
			ib_error_set(err, IB_EPARSE, "%s: %s; nothing imported", d->name, why);
		ib_doc_result_free(r);
		return err && err->rc ? err->rc : IB_EPARSE;
	}
	ib_proposal_list *lists[] = {&r->proposals, &r->followups};
	for (int l = 0; l < 2; l++)
		for (size_t k = 0; k < lists[l]->n; k++)
			if (!lists[l]->items[k]->area)
				lists[l]->items[k]->area =
				    ib_doc_area_in(lists[l]->items[k], c.code);
	return IB_OK;
}
