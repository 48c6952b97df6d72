/* cols.c - the column engine (cols.h): a record's column table written as a terminal
 * table, CSV and JSON.  The web page's cells are web_page.c's (web_cols_*), from the
 * same tables. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cols.h"

void cli_val_text(cli_val *v, const char *z)
{
	v->num = 0;
	v->z = z;
}

void cli_val_num(cli_val *v, double x)
{
	v->num = 1;
	v->x = x;
}

void cli_json_num(cJSON *o, const char *key, double v)
{
	if (ib_is_na(v))
		cJSON_AddNullToObject(o, key);
	else
		cJSON_AddNumberToObject(o, key, v);
}

const cli_col *cli_col_find(const cli_col *cols, const char *key)
{
	for (const cli_col *c = cols; c->key; c++)
		if (!strcmp(c->key, key))
			return c;
	return NULL;
}

const char *cli_col_label(const cli_col *c)
{
	return c->label ? c->label : c->head;
}

const char *cli_col_cell(const cli_col *c)
{
	return c->cell ? c->cell : cli_col_label(c);
}

int cli_col_shown(const cli_col *c, const cli_cols_ctx *x)
{
	return (c->need & ~x->have) == 0;
}

void cli_col_get(const cli_col *c, const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v)
{
	v->num = 0;
	v->x = IB_NA;
	v->decimals = c->decimals;
	v->z = NULL;
	v->cls = NULL;
	v->buf[0] = '\0';
	c->get(rec, x, f, v);
}

const char *cli_col_text(const char *tmpl, const cli_cols_ctx *x, char *out, size_t n)
{
	ib_buf b;
	ib_buf_init(&b, 0);
	for (const char *p = tmpl; p && *p;) {
		if (!strncmp(p, "{kommune}", 9)) {
			ib_buf_adds(&b, x->pj ? x->pj->m.name : "");
			p += 9;
		} else if (!strncmp(p, "{aar}", 5)) {
			ib_buf_addf(&b, "%d", x->pj ? x->pj->year : 0);
			p += 5;
		} else {
			ib_buf_addc(&b, *p++);
		}
	}
	snprintf(out, n, "%s", ib_buf_str(&b));
	ib_buf_free(&b);
	return out;
}

const cli_col *cli_view_next(const cli_col *cols, const char **view, const cli_cols_ctx *x,
			     int *width)
{
	while (**view) {
		const char *p = *view + strspn(*view, " ");
		size_t n = strcspn(p, " :");
		char key[64];
		snprintf(key, sizeof key, "%.*s", (int)n, p);
		p += n;
		int w = -2;
		if (*p == ':')
			w = (int)strtol(p + 1, (char **)&p, 10);
		*view = p + strspn(p, " ");
		const cli_col *c = cli_col_find(cols, key);
		if (c && cli_col_shown(c, x)) {
			*width = w != -2 ? w : c->width;
			return c;
		}
	}
	return NULL;
}

void cli_cols_csv_head(FILE *f, const cli_col *cols, const cli_cols_ctx *x)
{
	int first = 1;
	for (const cli_col *c = cols; c->key; c++) {
		if ((c->flags & COL_NO_CSV) || !cli_col_shown(c, x))
			continue;
		if (c->csv_fn)
			c->csv_fn(f, NULL, x);
		else
			csv_field(f, c->key, first);
		first = 0;
	}
	csv_end_row(f);
}

void cli_cols_csv_row(FILE *f, const cli_col *cols, const void *rec, const cli_cols_ctx *x)
{
	int first = 1;
	cli_val v;
	for (const cli_col *c = cols; c->key; c++) {
		if ((c->flags & COL_NO_CSV) || !cli_col_shown(c, x))
			continue;
		if (c->csv_fn) {
			c->csv_fn(f, rec, x);
			continue;
		}
		cli_col_get(c, rec, x, CLI_CSV, &v);
		/* (a table's first column is text: csv_num writes the ';' before it) */
		if (v.num && !first)
			csv_num(f, v.x, v.decimals);
		else
			csv_field(f, v.z ? v.z : "", first);
		first = 0;
	}
	csv_end_row(f);
}

void cli_cols_json(cJSON *o, const cli_col *cols, const void *rec, const cli_cols_ctx *x)
{
	cli_val v;
	for (const cli_col *c = cols; c->key; c++) {
		if (!(c->json || c->json_fn) || !cli_col_shown(c, x))
			continue;
		if (c->json_fn) {
			c->json_fn(o, rec, x);
			continue;
		}
		cli_col_get(c, rec, x, CLI_JSON, &v);
		if (v.num)
			cli_json_num(o, c->json, v.x);
		else if (v.z)
			cJSON_AddStringToObject(o, c->json, v.z);
		else
			cJSON_AddNullToObject(o, c->json);
	}
}

/* The width a -1 column gets: what the others leave of width, at least 20. */
static int rest_width(const cli_col *cols, const char *view, const cli_cols_ctx *x, int width)
{
	int fixed = 0, n = 0, w;
	for (const cli_col *c; (c = cli_view_next(cols, &view, x, &w)) != NULL; n++)
		fixed += w > 0 ? w : 0;
	fixed += 2 * (n - 1);
	return width > fixed + 20 ? width - fixed : 20;
}

/* z cut to w columns keeping its closing "(…)" (a title's variant: "Model A"), padded. */
static void title_cell(FILE *f, const char *z, size_t w)
{
	size_t len = strlen(z), have = cli_width(z);
	const char *open = len && z[len - 1] == ')' ? strrchr(z, '(') : NULL;
	size_t tail = open ? cli_width(open) : 0;
	if (have <= w || !open || open == z || tail + 8 > w) {
		cli_cell(f, z, w, 0);
		return;
	}
	/* the head cut with its ellipsis, a blank, the tail */
	char head[512];
	snprintf(head, sizeof head, "%.*s", (int)(open - z), z);
	cli_cell(f, head, w - tail - 1, 0);
	fputc(' ', f);
	cli_cell(f, open, tail, 0);
}

static void term_cell(FILE *f, const cli_col *c, const cli_val *v, const cli_cols_ctx *x, size_t w)
{
	char b[64];
	const char *z =
	    v->num ? (ib_is_na(v->x) ? NULL : ib_num_format(v->x, v->decimals, b, sizeof b)) : v->z;
	if (!z)
		z = x->na ? x->na : "ukendt";
	if (c->flags & COL_TITLE)
		title_cell(f, cli_text(z, 0), w);
	else
		cli_cell(f, z, w, (c->flags & COL_RIGHT) != 0);
}

void cli_cols_term_head(FILE *f, const cli_col *cols, const char *view, const cli_cols_ctx *x,
			int width)
{
	int rest = rest_width(cols, view, x, width), w, n = 0;
	char head[160];
	for (const cli_col *c; (c = cli_view_next(cols, &view, x, &w)) != NULL; n++) {
		if (n)
			fputs("  ", f);
		cli_cell(f, cli_col_text(c->head, x, head, sizeof head), (size_t)(w < 0 ? rest : w),
			 (c->flags & COL_RIGHT) != 0);
	}
}

void cli_cols_term_row(FILE *f, const cli_col *cols, const char *view, const void *rec,
		       const cli_cols_ctx *x, int width)
{
	int rest = rest_width(cols, view, x, width), w, n = 0;
	cli_val v;
	for (const cli_col *c; (c = cli_view_next(cols, &view, x, &w)) != NULL; n++) {
		if (n)
			fputs("  ", f);
		cli_col_get(c, rec, x, CLI_TERM, &v);
		term_cell(f, c, &v, x, (size_t)(w < 0 ? rest : w));
	}
}
