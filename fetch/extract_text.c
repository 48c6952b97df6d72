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

/* Whether line z is a header of year columns; if so its cells go to g as its first
 * row and *tab says whether the table's cells are TAB-separated. */
static int header_line(const char *z, x_grid *g, int line, int page, int *tab, int *rc)
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
	if (*tab ? years >= 1 && first >= 1 : years >= 2) {
		/* a layout header may print no label before its years */
		const char *row[X_MAX_CELLS + 1];
		size_t n = 0;
		if (first == 0)
			row[n++] = "";
		for (size_t j = 0; j < c.n && n < X_MAX_CELLS; j++)
			row[n++] = c.cell[j];
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
			for (int k = 0; k < ny; k++) {
				snprintf(text[k], sizeof text[k], "%d", ys[k]);
				row[k + 1] = text[k];
			}
			*rc = label ? x_grid_add_row(g, row, (size_t)ny + 1, line, page) : IB_ENOMEM;
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

/* Add a layout row: the label, then the numbers right-aligned under the header's
 * last cells. */
static int layout_row(x_grid *g, const char *label, const double *v, int n, size_t width,
		      int line, int page)
{
	char text[TEXT_MAX_VALUES][48];
	const char *row[X_MAX_CELLS];
	size_t cols = width > 1 ? width - 1 : 1;
	if ((size_t)n > cols) {
		v += (size_t)n - cols;
		n = (int)cols;
	}
	size_t k = 0;
	row[k++] = label;
	while (k < width - (size_t)n && k < X_MAX_CELLS)
		row[k++] = "";
	for (int i = 0; i < n && k < X_MAX_CELLS; i++) {
		if (ib_is_na(v[i]))
			snprintf(text[i], sizeof text[i], "x");
		else
			ib_num_plain(v[i], 6, 1, text[i], sizeof text[i]);
		row[k++] = text[i];
	}
	return x_grid_add_row(g, row, k, line, page);
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
		int tab = 0;
		if (!header_line(d->line[i], &g, (int)i + 1, d->page[i], &tab, &rc)) {
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
		int n_pending = 0;
		for (; j < to && !rc; j++) {
			const char *z = d->line[j];
			int line = (int)j + 1, page = d->page[j];
			if (doc_is_blank(z)) {
				if (++blanks > (tab ? 0 : 1))
					break;
				continue;
			}
			x_grid probe;
			memset(&probe, 0, sizeof probe);
			int probe_tab, probe_rc = IB_OK;
			int next_header = header_line(z, &probe, line, page, &probe_tab, &probe_rc);
			x_grid_free(&probe);
			if (next_header)
				break;
			blanks = 0;
			if (tab) {
				if (!strchr(z, '\t'))
					break;
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
				if (len > 100 || n_pending == 2) {
					free(label);
					break;
				}
				if (pending.n)
					rc = ib_buf_addc(&pending, ' ');
				if (!rc)
					rc = ib_buf_adds(&pending, label);
				n_pending++;
				free(label);
				continue;
			}
			if (n_pending && *label) {
				/* the lines before were a section heading of their own */
				const char *row[1] = {ib_buf_str(&pending)};
				rc = x_grid_add_row(&g, row, 1, line - 1, page);
			} else if (n_pending) {
				free(label);
				label = strdup(ib_buf_str(&pending));
				if (!label)
					rc = IB_ENOMEM;
			}
			ib_buf_reset(&pending);
			n_pending = 0;
			if (!rc)
				rc = layout_row(&g, label, v, n, width, line, page);
			free(label);
		}
		ib_buf_free(&pending);
		if (!rc) {
			g.after = line_near(d, from, j - 1, +1, to);
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
