/* extract_html.c - agenda case text (an HTML fragment) read with libxml2's HTML
 * parser: one walk over the tree gives the plain text, the headings with the text under
 * them, and every <table> as a grid of cell texts for the extractor's engine. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "extract_int.h"
#include "ideabank/array.h"
#include "ideabank/buf.h"
#include "ideabank/init.h"

/* Deepest element nesting walked; content below it is left out. */
#define WALK_MAX_DEPTH 400

typedef struct heading {
	size_t start, end; /* the heading's text in the plain text */
	int level;	   /* 1-6 for <h1>-<h6>; a paragraph in bold: as the heading before */
	int bold;	   /* a paragraph in bold */
	char *name;
} heading;

typedef struct table_span {
	size_t start, end; /* the table's text in the plain text */
} table_span;

typedef struct walker {
	ib_buf text;
	int rc;
	int in_cell; /* depth of table cells: line breaks become blanks there */
	size_t cell_no;
	heading *heads;
	size_t n_heads;
	x_grid *grids; /* with_tables only */
	table_span *spans;
	size_t n_grids;
	int with_tables;
	int table_no;
} walker;

static int is(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

static int is_heading(const xmlNode *n)
{
	const char *z = (const char *)n->name;
	return z[0] == 'h' && z[1] >= '1' && z[1] <= '6' && !z[2];
}

static int is_block(const xmlNode *n)
{
	static const char *const blocks[] = {
	    "div", "li",     "ul",	"ol",	"blockquote", "section", "article", "caption",
	    "dl",  "dt",     "dd",	"pre",	"center",     "header",	 "footer",  "form",
	    "nav", "figure", "address", "main", "aside",      "hr",	 "tbody",   "thead"};
	for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++)
		if (!strcmp((const char *)n->name, blocks[i]))
			return 1;
	return 0;
}

static int is_skipped(const xmlNode *n)
{
	static const char *const skip[] = {"script",   "style",	 "img",	   "head", "title",
					   "noscript", "object", "iframe", "svg",  "template"};
	for (size_t i = 0; i < sizeof skip / sizeof skip[0]; i++)
		if (!strcmp((const char *)n->name, skip[i]))
			return 1;
	return 0;
}

/* ---- the plain text ---------------------------------------------------------- */

static char last_char(const walker *w)
{
	return w->text.n ? w->text.z[w->text.n - 1] : '\0';
}

static void trim_blanks(walker *w)
{
	while (w->text.n && w->text.z[w->text.n - 1] == ' ')
		w->text.z[--w->text.n] = '\0';
}

static void add_c(walker *w, char c)
{
	if (!w->rc)
		w->rc = ib_buf_addc(&w->text, c);
}

/* A line break (lines > 0: at least that many; 2 leaves a blank line). */
static void line_break(walker *w, int lines)
{
	if (w->in_cell) {
		char c = last_char(w);
		if (w->text.n && c != ' ' && c != '\t' && c != '\n')
			add_c(w, ' ');
		return;
	}
	trim_blanks(w);
	if (!w->text.n)
		return;
	int have = 0;
	for (size_t i = w->text.n; i > 0 && w->text.z[i - 1] == '\n' && have < 2; i--)
		have++;
	while (have < lines) {
		add_c(w, '\n');
		have++;
	}
}

/* Text of a text node: HTML blanks (and U+00A0) collapse to one blank. */
static void add_text(walker *w, const unsigned char *z)
{
	for (; z && *z && !w->rc;) {
		int blank = *z == ' ' || *z == '\t' || *z == '\n' || *z == '\r' || *z == '\f';
		size_t k = 1;
		if (z[0] == 0xC2 && z[1] == 0xA0) {
			blank = 1;
			k = 2;
		}
		if (blank) {
			char c = last_char(w);
			if (w->text.n && c != ' ' && c != '\n' && c != '\t')
				add_c(w, ' ');
		} else {
			add_c(w, (char)*z);
		}
		z += k;
	}
}

/* Whether n's own text is all in bold (<strong>, <b>) and short: a heading written
 * as a paragraph. */
static int bold_text(const xmlNode *n, int bold, int *any)
{
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (c->type == XML_TEXT_NODE) {
			for (const xmlChar *z = c->content; z && *z;) {
				if (z[0] == 0xC2 && z[1] == 0xA0) {
					z += 2;
					continue;
				}
				if (*z != ' ' && *z != '\n' && *z != '\r' && *z != '\t') {
					if (!bold)
						return 0;
					*any = 1;
				}
				z++;
			}
		} else if (c->type == XML_ELEMENT_NODE) {
			if (is(c, "table") || is(c, "p") || is(c, "div") || is(c, "img"))
				return 0;
			if (!bold_text(c, bold || is(c, "strong") || is(c, "b"), any))
				return 0;
		}
	}
	return 1;
}

static int bold_paragraph(const xmlNode *n)
{
	int any = 0;
	if (!bold_text(n, 0, &any) || !any)
		return 0;
	xmlChar *z = xmlNodeGetContent(n);
	size_t len = z ? strlen((const char *)z) : 0;
	xmlFree(z);
	return len <= 120;
}

/* ---- tables as grids ----------------------------------------------------------- */

/* Append the rows of table t (not those of tables nested in it) to g. */
static int grid_rows(const xmlNode *n, const xmlNode *t, x_grid *g, int *row_no)
{
	int rc = IB_OK;
	for (const xmlNode *c = n->children; c && !rc; c = c->next) {
		if (c->type != XML_ELEMENT_NODE || is(c, "table"))
			continue;
		if (is(c, "caption") && !g->caption) {
			xmlChar *z = xmlNodeGetContent(c);
			g->caption = x_squeeze(z ? (const char *)z : "");
			xmlFree(z);
			if (!g->caption)
				rc = IB_ENOMEM;
			continue;
		}
		if (!is(c, "tr")) {
			rc = grid_rows(c, t, g, row_no);
			continue;
		}
		const char **cells = calloc(X_MAX_CELLS + 1, sizeof *cells);
		xmlChar **own = calloc(X_MAX_CELLS + 1, sizeof *own);
		size_t nc = 0, no = 0;
		int cut = 0;
		if (!cells || !own)
			rc = IB_ENOMEM;
		for (const xmlNode *td = c->children; td && !rc; td = td->next) {
			if (!is(td, "td") && !is(td, "th"))
				continue;
			xmlChar *z = xmlNodeGetContent(td);
			own[no++] = z;
			xmlChar *span = xmlGetProp(td, (const xmlChar *)"colspan");
			long k = span ? strtol((const char *)span, NULL, 10) : 1;
			xmlFree(span);
			if (k < 1)
				k = 1;
			if (k > X_MAX_SPAN)
				k = X_MAX_SPAN;
			for (long i = 0; i < k; i++) {
				if (nc == X_MAX_CELLS) {
					cut = 1;
					break;
				}
				cells[nc++] = i == 0 && z ? (const char *)z : "";
			}
			if (no == X_MAX_CELLS || cut) {
				cut = 1;
				break;
			}
		}
		(*row_no)++;
		if (!rc)
			rc = x_grid_add_row(g, cells, nc, *row_no, 0);
		if (cut)
			g->cut = 1;
		for (size_t i = 0; own && i < no; i++)
			xmlFree(own[i]);
		free(own);
		free(cells);
	}
	return rc;
}

static void walk(walker *w, const xmlNode *n, int depth);

static void walk_table(walker *w, const xmlNode *n, int depth)
{
	size_t k = w->n_grids;
	w->table_no++;
	line_break(w, 2);
	if (w->with_tables && !w->in_cell) {
		x_grid *g = realloc(w->grids, (k + 1) * sizeof *g);
		table_span *s = g ? realloc(w->spans, (k + 1) * sizeof *s) : NULL;
		if (g)
			w->grids = g;
		if (s)
			w->spans = s;
		if (!g || !s) {
			w->rc = IB_ENOMEM;
			return;
		}
		memset(&w->grids[k], 0, sizeof w->grids[k]);
		w->grids[k].table_no = w->table_no;
		w->spans[k].start = w->text.n;
		w->n_grids++;
		int row_no = 0;
		if (!w->rc)
			w->rc = grid_rows(n, n, &w->grids[k], &row_no);
	}
	walk(w, n->children, depth + 1);
	line_break(w, 2);
	if (w->with_tables && k < w->n_grids && w->spans)
		w->spans[k].end = w->text.n;
}

static void add_heading(walker *w, size_t start, int level)
{
	if (w->rc || w->text.n <= start)
		return;
	heading *h = realloc(w->heads, (w->n_heads + 1) * sizeof *h);
	if (!h) {
		w->rc = IB_ENOMEM;
		return;
	}
	w->heads = h;
	h = &w->heads[w->n_heads];
	h->start = start;
	h->end = w->text.n;
	h->level = level;
	h->bold = 0;
	h->name = strndup(w->text.z + start, w->text.n - start);
	if (!h->name) {
		w->rc = IB_ENOMEM;
		return;
	}
	w->n_heads++;
}

static void walk(walker *w, const xmlNode *n, int depth)
{
	if (depth > WALK_MAX_DEPTH)
		return;
	for (; n && !w->rc; n = n->next) {
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			add_text(w, n->content);
			continue;
		}
		if (n->type != XML_ELEMENT_NODE || is_skipped(n))
			continue;
		if (is(n, "br")) {
			line_break(w, 1);
		} else if (is(n, "table")) {
			walk_table(w, n, depth);
		} else if (is(n, "tr")) {
			line_break(w, 1);
			size_t saved = w->cell_no;
			w->cell_no = 0;
			walk(w, n->children, depth + 1);
			w->cell_no = saved;
			line_break(w, 1);
		} else if (is(n, "td") || is(n, "th")) {
			if (w->cell_no++ > 0) {
				trim_blanks(w);
				add_c(w, '\t');
			}
			w->in_cell++;
			walk(w, n->children, depth + 1);
			w->in_cell--;
			trim_blanks(w);
		} else if (is_heading(n) || ((is(n, "p") || is(n, "div")) && bold_paragraph(n))) {
			line_break(w, 2);
			size_t start = w->text.n;
			walk(w, n->children, depth + 1);
			trim_blanks(w);
			/* a paragraph in bold is a peer of the heading before it */
			int level = is_heading(n) ? n->name[1] - '0'
				    : w->n_heads  ? w->heads[w->n_heads - 1].level
						  : 7;
			size_t had = w->n_heads;
			if (!w->in_cell)
				add_heading(w, start, level);
			if (w->n_heads > had && !is_heading(n))
				w->heads[had].bold = 1;
			line_break(w, 2);
		} else if (is(n, "p")) {
			line_break(w, 2);
			walk(w, n->children, depth + 1);
			line_break(w, 2);
		} else if (is_block(n)) {
			line_break(w, 1);
			walk(w, n->children, depth + 1);
			line_break(w, 1);
		} else {
			walk(w, n->children, depth + 1);
		}
	}
}

static void walker_free(walker *w)
{
	ib_buf_free(&w->text);
	for (size_t i = 0; i < w->n_heads; i++)
		free(w->heads[i].name);
	free(w->heads);
	IB_FREE_EACH(w->grids, w->n_grids, x_grid_free);
	free(w->spans);
}

/* Parse html and walk it into w (with_tables: also read its tables as grids).  Returns IB_OK,
 * IB_EPARSE or IB_ENOMEM. */
static int walk_html(const char *html, size_t len, int with_tables, walker *w, ib_error *err)
{
	memset(w, 0, sizeof *w);
	w->with_tables = with_tables;
	ib_buf_init(&w->text, 0);
	size_t bad = ib_utf8_invalid_at(html, len);
	if (bad < len)
		return ib_error_set(err, IB_EPARSE, "html is not valid UTF-8 (byte 0x%02X at %zu)",
				    (unsigned char)html[bad], bad);
	if (len > INT_MAX)
		return ib_error_set(err, IB_ETOOBIG, "html is larger than %d bytes", INT_MAX);
	if (len == 0)
		return IB_OK;
	ib_init(); /* libxml2's parser set up once, before threads share it */
	htmlDocPtr doc = htmlReadMemory(html, (int)len, NULL, "UTF-8",
					HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
					    HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
	if (!doc)
		return ib_error_set(err, IB_EPARSE, "html cannot be parsed");
	walk(w, xmlDocGetRootElement(doc), 0);
	xmlFreeDoc(doc);
	line_break(w, 1);
	if (w->rc)
		return ib_error_set(err, w->rc, NULL);
	return IB_OK;
}

/* ---- public ------------------------------------------------------------------ */

char *ib_html_text(const char *html, size_t len)
{
	walker w;
	if (walk_html(html, len, 0, &w, NULL)) {
		walker_free(&w);
		return NULL;
	}
	/* one final newline */
	while (w.text.n && w.text.z[w.text.n - 1] == '\n')
		w.text.z[--w.text.n] = '\0';
	if (w.text.n)
		w.rc = ib_buf_addc(&w.text, '\n');
	char *out = w.rc ? NULL : ib_buf_detach(&w.text);
	walker_free(&w);
	return out;
}

/* Whether heading text z names heading (folded, a final ':' ignored). */
static int heading_is(const char *z, const char *want)
{
	char *a = x_fold(z, 0), *b = x_fold(want, 0);
	int same = 0;
	if (a && b) {
		size_t n = strlen(a);
		while (n > 0 && (a[n - 1] == ':' || a[n - 1] == ' '))
			a[--n] = '\0';
		same = !strcmp(a, b);
	}
	free(a);
	free(b);
	return same;
}

char *ib_html_section(const char *html, size_t len, const char *heading)
{
	walker w;
	char *out = NULL;
	if (walk_html(html, len, 0, &w, NULL) == IB_OK) {
		for (size_t i = 0; i < w.n_heads && !out; i++) {
			if (!heading_is(w.heads[i].name, heading))
				continue;
			size_t end = w.text.n;
			for (size_t k = i + 1; k < w.n_heads; k++)
				if (w.heads[k].level <= w.heads[i].level) {
					end = w.heads[k].start;
					break;
				}
			size_t from = w.heads[i].end;
			while (from < end && (w.text.z[from] == '\n' || w.text.z[from] == ' '))
				from++;
			while (end > from &&
			       (w.text.z[end - 1] == '\n' || w.text.z[end - 1] == ' '))
				end--;
			out = strndup(w.text.z + from, end - from);
			if (!out)
				break;
		}
	}
	walker_free(&w);
	return out;
}

/* The last line of text t that ends at or before `at` and starts at or after `floor`;
 * NULL when there is none.  Caller frees. */
static char *line_before(const ib_buf *t, size_t floor, size_t at)
{
	size_t e = at;
	while (e > floor && (t->z[e - 1] == '\n' || t->z[e - 1] == ' '))
		e--;
	if (e <= floor)
		return NULL;
	size_t s = e;
	while (s > floor && t->z[s - 1] != '\n')
		s--;
	char *line = strndup(t->z + s, e - s);
	return line;
}

/* The first line of text t at or after `at` that ends before `ceil`; NULL if none. */
static char *line_after(const ib_buf *t, size_t at, size_t ceil)
{
	size_t s = at;
	while (s < ceil && (t->z[s] == '\n' || t->z[s] == ' '))
		s++;
	if (s >= ceil)
		return NULL;
	size_t e = s;
	while (e < ceil && t->z[e] != '\n')
		e++;
	return strndup(t->z + s, e - s);
}

/* Table i of w read into out: its caption (the line before it, at most 500 bytes) and
 * the line after it, then its rows.  IB_OK or IB_ENOMEM. */
static int grid_read(walker *w, size_t i, ib_xresult *out)
{
	x_grid *g = &w->grids[i];
	size_t floor = i ? w->spans[i - 1].end : 0;
	size_t ceil = i + 1 < w->n_grids ? w->spans[i + 1].start : w->text.n;
	if (!g->caption)
		g->caption = line_before(&w->text, floor, w->spans[i].start);
	g->after = line_after(&w->text, w->spans[i].end, ceil);
	if (g->caption && strlen(g->caption) > 500) {
		size_t n = 500;
		while (n > 0 && ((unsigned char)g->caption[n] & 0xC0) == 0x80)
			n--;
		g->caption[n] = '\0';
	}
	return x_grid_read(g, out);
}

int ib_extract_html(const char *html, size_t len, ib_xresult *out, ib_error *err)
{
	memset(out, 0, sizeof *out);
	walker w;
	int rc = walk_html(html, len, 1, &w, err);
	if (rc) {
		walker_free(&w);
		return rc;
	}
	for (size_t i = 0; i < w.n_grids && !rc; i++)
		rc = grid_read(&w, i, out);
	walker_free(&w);
	if (rc) {
		ib_xresult_free(out);
		return ib_error_set(err, rc, NULL);
	}
	return IB_OK;
}

/* ---- one walk for everything ------------------------------------------------------ */

void ib_html_doc_free(ib_html_doc *d)
{
	if (!d)
		return;
	free(d->text);
	for (size_t i = 0; i < d->n_heads; i++)
		free(d->heads[i].name);
	free(d->heads);
	ib_xresult_free(&d->x);
	free(d->table_at);
	memset(d, 0, sizeof *d);
}

int ib_html_read(const char *html, size_t len, int with_tables, ib_html_doc *out, ib_error *err)
{
	memset(out, 0, sizeof *out);
	walker w;
	int rc = walk_html(html, len, with_tables, &w, err);
	size_t *at = rc ? NULL : calloc(w.n_grids ? w.n_grids : 1, sizeof *at);
	if (!rc && !at)
		rc = ib_error_set(err, IB_ENOMEM, NULL);
	for (size_t i = 0; i < w.n_grids && !rc; i++) {
		size_t before = out->x.n;
		rc = grid_read(&w, i, &out->x);
		if (!rc && out->x.n > before)
			at[before] = w.spans[i].start;
		if (rc)
			rc = ib_error_set(err, rc, NULL);
	}
	out->table_at = at;
	if (!rc) {
		out->heads = calloc(w.n_heads ? w.n_heads : 1, sizeof *out->heads);
		if (!out->heads)
			rc = ib_error_set(err, IB_ENOMEM, NULL);
	}
	for (size_t i = 0; i < w.n_heads && !rc; i++) {
		ib_html_heading *h = &out->heads[out->n_heads++];
		h->name = x_squeeze(w.heads[i].name);
		h->level = w.heads[i].level;
		h->bold = w.heads[i].bold;
		h->start = w.heads[i].start;
		h->end = w.heads[i].end;
		if (!h->name)
			rc = ib_error_set(err, IB_ENOMEM, NULL);
	}
	if (!rc) {
		out->len = w.text.n;
		out->text = w.text.n ? ib_buf_detach(&w.text) : strdup("");
		if (!out->text)
			rc = ib_error_set(err, IB_ENOMEM, NULL);
	}
	walker_free(&w);
	if (rc)
		ib_html_doc_free(out);
	return rc;
}
