/* extract_text.c - tables in text documents for the extractor's engine: a header line
 * of year columns, then rows of a label and numbers.  Two layouts: cells separated by
 * TABs (text copied from a browser), and pdftotext -layout columns (cells separated by
 * runs of blanks, the numbers at the end of the line as ib_doc_tail_numbers() reads
 * them). */
#include <stdlib.h>
#include <string.h>

#include "doc_int.h"
#include "extract_int.h"
#include "ideabank/buf.h"
#include "ideabank/num.h"

/* Most numbers read from one line of a layout table. */
#define TEXT_MAX_VALUES 32

/* A line's cells.  sep '\t': split at TABs; ' ': split at runs of two or more
 * blanks.  Cells point into a copy the caller frees (*own). */
typedef struct cells {
	char *own;
	const char *cell[X_MAX_CELLS];
	size_t n;
} cells;

static int split(const char *z, char sep, cells *c)
{
	c->n = 0;
	c->own = strdup(z);
	if (!c->own)
		return IB_ENOMEM;
	char *p = c->own;
	if (sep == ' ')
		p = (char *)doc_skip_blank(p);
	while (c->n < X_MAX_CELLS) {
		char *e = sep == '\t' ? strchr(p, '\t') : strstr(p, "  ");
		c->cell[c->n++] = p;
		if (!e)
			break;
		*e = '\0';
		p = e + 1;
		if (sep == ' ')
			p = (char *)doc_skip_blank(p);
		if (sep == ' ' && !*p)
			break;
	}
	return IB_OK;
}

/* The display column just after byte offset `end` of z (UTF-8 characters counted). */
static int column_at(const char *z, size_t end)
{
	int col = 0;
	for (size_t i = 0; i < end && z[i]; i++)
		col += ((unsigned char)z[i] & 0xC0) != 0x80;
	return col;
}

/* The end columns of the blank-separated tokens of z from byte `from` on, a lone minus
 * joined to the number after it ("- 300") as ib_doc_tail_numbers() reads it.  Returns
 * the number of tokens (at most max). */
static int token_ends(const char *z, size_t from, int *ends, int max)
{
	int n = 0;
	const char *p = z + from;
	for (;;) {
		p = doc_skip_blank(p);
		if (!*p || n == max)
			break;
		const char *e = p;
		while (*e && *e != ' ' && *e != '\t' &&
		       !((unsigned char)e[0] == 0xC2 && (unsigned char)e[1] == 0xA0))
			e++;
		int dash =
		    (e - p == 1 && *p == '-') || (e - p == 3 && !strncmp(p, "\xE2\x88\x92", 3));
		const char *q = doc_skip_blank(e);
		if (dash && *q >= '0' && *q <= '9') {
			e = q;
			while (*e && *e != ' ' && *e != '\t')
				e++;
		}
		ends[n++] = column_at(z, (size_t)(e - z));
		p = e;
	}
	return n;
}

/* Whether line z is a header of year columns; if so its cells go to g as its first
 * row, *tab says whether the table's cells are TAB-separated, and ends[] (layout
 * only) the display column where each header cell ends. */
static int header_line(const char *z, x_grid *g, int line, int page, int *tab, int *rc, int *ends)
{
	cells c;
	*tab = strchr(z, '\t') != NULL;
	if ((*rc = split(z, *tab ? '\t' : ' ', &c)) != IB_OK)
		return 0;
	int y, years = 0;
	size_t first = c.n;
	for (size_t j = 0; j < c.n; j++)
		if (x_year_header(c.cell[j], &y)) {
			years++;
			if (first == c.n)
				first = j;
		}
	int is_header = 0;
	if (*tab ? (years >= 1 && first >= 1) || years >= 2 : years >= 2) {
		/* a layout header may print no label before its years (its rows do) */
		const char *row[X_MAX_CELLS + 1];
		size_t n = 0;
		if (first == 0 && !*tab) {
			ends[n] = 0;
			row[n++] = "";
		}
		for (size_t j = 0; j < c.n && n < X_MAX_CELLS; j++) {
			ends[n] = column_at(z, (size_t)(c.cell[j] - c.own) + strlen(c.cell[j]));
			row[n++] = c.cell[j];
		}
		*rc = x_grid_add_row(g, row, n, line, page);
		is_header = 1;
	} else if (!*tab) {
		/* plain years at the end of the line, single-spaced */
		int ys[IB_X_MAX_COLS];
		int ny = doc_year_columns(z, ys, IB_X_MAX_COLS);
		if (ny >= 2) {
			size_t label_len = 0;
			double v[IB_X_MAX_COLS + 1];
			ib_doc_tail_numbers(z, v, IB_X_MAX_COLS + 1, NULL, &label_len);
			char *label = strndup(z, label_len);
			char text[IB_X_MAX_COLS][8];
			const char *row[IB_X_MAX_COLS + 1];
			row[0] = label ? label : "";
			ends[0] = column_at(z, label_len);
			if (token_ends(z, label_len, ends + 1, ny) != ny)
				ends[0] = -1; /* positions unknown: align to the right */
			for (int k = 0; k < ny; k++) {
				snprintf(text[k], sizeof text[k], "%d", ys[k]);
				row[k + 1] = text[k];
			}
			*rc =
			    label ? x_grid_add_row(g, row, (size_t)ny + 1, line, page) : IB_ENOMEM;
			free(label);
			is_header = 1;
		}
	}
	free(c.own);
	return is_header && !*rc;
}

/* The nearest non-blank line before line i (not before from), squeezed; or NULL. */
static char *line_near(const ib_doc *d, size_t from, size_t i, int step, size_t to)
{
	for (int gap = 0; gap < 3; gap++) {
		if (step < 0 ? i <= from : i + 1 >= to)
			return NULL;
		i = step < 0 ? i - 1 : i + 1;
		if (!doc_is_blank(d->line[i]))
			return x_squeeze(d->line[i]);
	}
	return NULL;
}

/* Add a layout row: the label, then each number under the header cell whose end is
 * nearest to the number's end (pdftotext -layout keeps the columns), or, when the
 * positions are not known, the numbers right-aligned under the header's last cells. */
static int layout_row(x_grid *g, const char *z, size_t label_len, const char *label,
		      const double *v, int n, size_t width, const int *ends, int line, int page)
{
	char text[TEXT_MAX_VALUES][48];
	const char *row[X_MAX_CELLS];
	size_t at[TEXT_MAX_VALUES];
	size_t cols = width > 1 ? width - 1 : 1;
	if ((size_t)n > cols) {
		v += (size_t)n - cols;
		n = (int)cols;
	}
	int pos[TEXT_MAX_VALUES];
	int placed = ends[0] >= 0 && token_ends(z, label_len, pos, TEXT_MAX_VALUES) == n;
	for (int i = 0; i < n; i++)
		at[i] = width - (size_t)n + (size_t)i;
	if (placed) {
		/* nearest header cell, in order, leaving room for the numbers after it */
		size_t next = 1;
		for (int i = 0; i < n; i++) {
			size_t best = next, last = width - (size_t)(n - i);
			for (size_t c = next; c <= last; c++)
				if (abs(ends[c] - pos[i]) < abs(ends[best] - pos[i]))
					best = c;
			at[i] = best;
			next = best + 1;
		}
	}
	for (size_t k = 0; k < width && k < X_MAX_CELLS; k++)
		row[k] = "";
	row[0] = label;
	for (int i = 0; i < n && at[i] < X_MAX_CELLS; i++) {
		if (ib_is_na(v[i]))
			snprintf(text[i], sizeof text[i], "x");
		else
			ib_num_plain(v[i], 6, 1, text[i], sizeof text[i]);
		row[at[i]] = text[i];
	}
	return x_grid_add_row(g, row, width < X_MAX_CELLS ? width : X_MAX_CELLS, line, page);
}

int ib_extract_doc(const ib_doc *d, size_t from, size_t to, ib_xresult *out, ib_error *err)
{
	memset(out, 0, sizeof *out);
	if (to == 0 || to > d->n_lines)
		to = d->n_lines;
	int rc = IB_OK, table_no = 0;
	size_t i = from;
	while (i < to && !rc) {
		x_grid g;
		memset(&g, 0, sizeof g);
		int tab = 0, ends[X_MAX_CELLS + 1], probe_ends[X_MAX_CELLS + 1];
		if (!header_line(d->line[i], &g, (int)i + 1, d->page[i], &tab, &rc, ends)) {
			x_grid_free(&g);
			i++;
			continue;
		}
		g.table_no = ++table_no;
		g.caption = line_near(d, from, i, -1, to);
		size_t width = g.rows[0].n;
		size_t j = i + 1;
		int blanks = 0;
		ib_buf pending; /* label lines waiting for their numbers */
		ib_buf_init(&pending, 4096);
		int n_pending = 0, n_single = 0, gap = 0;
		size_t pending_from = 0;
		for (; j < to && !rc; j++) {
			const char *z = d->line[j];
			int line = (int)j + 1, page = d->page[j];
			if (doc_is_blank(z) && !(tab && strchr(z, '\t'))) {
				if (++blanks > (tab ? 0 : 3))
					break;
				gap = n_pending > 0;
				continue;
			}
			x_grid probe;
			memset(&probe, 0, sizeof probe);
			int probe_tab, probe_rc = IB_OK;
			int next_header =
			    header_line(z, &probe, line, page, &probe_tab, &probe_rc, probe_ends);
			x_grid_free(&probe);
			if (next_header)
				break;
			blanks = 0;
			if (tab) {
				if (!strchr(z, '\t')) {
					/* a cell spanning the row: a section heading; prose ends
					 * the table */
					if (strlen(z) > 100 || ++n_single > 2)
						break;
					const char *row[1] = {z};
					rc = x_grid_add_row(&g, row, 1, line, page);
					continue;
				}
				n_single = 0;
				cells c;
				rc = split(z, '\t', &c);
				if (!rc)
					rc = x_grid_add_row(&g, c.cell, c.n, line, page);
				free(c.own);
				continue;
			}
			double v[TEXT_MAX_VALUES];
			size_t label_len = 0;
			int n = ib_doc_tail_numbers(z, v, TEXT_MAX_VALUES, NULL, &label_len);
			char *label = strndup(z, label_len);
			if (!label) {
				rc = IB_ENOMEM;
				break;
			}
			doc_squeeze(label);
			if (n == 0) {
				/* a label running over lines, or a section heading; prose ends
				 * the table */
				size_t len = strlen(label);
				if (gap) {
					/* the label lines before the blank had no numbers: a row
					 * without amounts, or a section heading */
					const char *row[1] = {ib_buf_str(&pending)};
					rc =
					    x_grid_add_row(&g, row, 1, (int)pending_from + 1, page);
					ib_buf_reset(&pending);
					n_pending = 0;
					gap = 0;
				}
				if (rc || len > 100 || n_pending == 3) {
					free(label);
					break;
				}
				if (!n_pending)
					pending_from = j;
				if (pending.n)
					rc = ib_buf_addc(&pending, ' ');
				if (!rc)
					rc = ib_buf_adds(&pending, label);
				n_pending++;
				free(label);
				continue;
			}
			if (strlen(label) > 100) {
				/* a sentence that ends in a number is prose, not a row */
				free(label);
				break;
			}
			unsigned char c0 = (unsigned char)label[0];
			int continued = (c0 >= 'a' && c0 <= 'z') ||
					(c0 == 0xC3 && ((unsigned char)label[1] == 0xA6 ||
							(unsigned char)label[1] == 0xB8 ||
							(unsigned char)label[1] == 0xA5));
			if (n_pending && *label && !continued) {
				/* the lines before were a section heading of their own */
				const char *row[1] = {ib_buf_str(&pending)};
				rc = x_grid_add_row(&g, row, 1, line - 1, page);
			} else if (n_pending) {
				/* a label running over lines: the row's label is all of it */
				if (*label)
					rc = ib_buf_addf(&pending, " %s", label);
				free(label);
				label = rc ? NULL : strdup(ib_buf_str(&pending));
				if (!label) {
					rc = IB_ENOMEM;
					break;
				}
			}
			ib_buf_reset(&pending);
			n_pending = 0;
			gap = 0;
			if (!rc)
				rc = layout_row(&g, z, label_len, label, v, n, width, ends, line,
						page);
			free(label);
		}
		ib_buf_free(&pending);
		if (!rc) {
			/* lines left waiting for numbers are the text after the table */
			g.after = n_pending ? x_squeeze(d->line[pending_from])
					    : line_near(d, from, j - 1, +1, to);
			rc = x_grid_read(&g, out);
		}
		x_grid_free(&g);
		i = j;
	}
	if (rc) {
		ib_xresult_free(out);
		return ib_error_set(err, rc, "%s: %s", d->name, ib_strerror(rc));
	}
	return IB_OK;
}
