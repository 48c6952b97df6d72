/* csv.c - the CSV reader. */
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "ideabank/array.h"
#include "ideabank/buf.h"

static int push_field(ib_csv_row *r, ib_buf *b)
{
	return ib_strings_take(&r->f, &r->n, ib_buf_detach(b));
}

static int push_row(ib_csv *c, ib_csv_row *r)
{
	return IB_APPEND(c->rows, c->n, *r);
}

static void row_free(ib_csv_row *r)
{
	ib_strings_free(r->f, r->n);
	r->f = NULL;
	r->n = 0;
}

int ib_csv_parse(const char *text, size_t len, char sep, ib_csv *out, ib_error *err)
{
	out->rows = NULL;
	out->n = 0;
	const char *p = text, *end = text + len;
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	if (!sep) {
		sep = ',';
		for (const char *q = p; q < end && *q != '\n'; q++)
			if (*q == ';') {
				sep = ';';
				break;
			}
	}
	ib_buf b;
	ib_buf_init(&b, 0);
	ib_csv_row row = {NULL, 0, 1};
	int line = 1, rc = IB_OK;
	int row_has_content = 0;
	while (p < end && !rc) {
		char ch = *p;
		if (ch == '"' && b.n == 0) {
			int start_line = line;
			p++;
			for (;;) {
				if (p >= end) {
					rc = ib_error_set(err, IB_EPARSE,
							  "%d: unterminated quoted field",
							  start_line);
					break;
				}
				if (*p == '"') {
					if (p + 1 < end && p[1] == '"') {
						rc = ib_buf_addc(&b, '"');
						p += 2;
						continue;
					}
					p++;
					break;
				}
				if (*p == '\n')
					line++;
				rc = ib_buf_addc(&b, *p++);
				if (rc)
					break;
			}
			if (!rc)
				rc = ib_buf_add(&b, "", 0); /* an empty quoted field still exists */
			row_has_content = 1;
			continue;
		}
		if (ch == sep) {
			rc = push_field(&row, &b);
			row_has_content = 1;
			p++;
			continue;
		}
		if (ch == '\r' && p + 1 < end && p[1] == '\n') {
			p++;
			continue;
		}
		if (ch == '\n') {
			if (row_has_content || b.n) {
				rc = push_field(&row, &b);
				if (!rc)
					rc = push_row(out, &row);
				if (rc)
					row_free(&row);
			}
			row = (ib_csv_row){NULL, 0, line + 1};
			row_has_content = 0;
			line++;
			p++;
			continue;
		}
		rc = ib_buf_addc(&b, ch);
		row_has_content = 1;
		p++;
	}
	if (!rc && (row_has_content || b.n)) {
		rc = push_field(&row, &b);
		if (!rc)
			rc = push_row(out, &row);
	}
	if (rc) {
		row_free(&row);
		ib_csv_free(out);
		if (rc == IB_ENOMEM)
			ib_error_set(err, rc, NULL);
	}
	ib_buf_free(&b);
	return rc;
}

int ib_csv_table(const char *text, ib_csv *c, void *records, size_t size, ib_error *err)
{
	void *v = NULL;
	int rc = ib_csv_parse(text, strlen(text), ';', c, err);
	if (!rc && !(v = calloc(c->n > 1 ? c->n - 1 : 1, size))) {
		ib_csv_free(c);
		rc = ib_error_set(err, IB_ENOMEM, NULL);
	}
	memcpy(records, &v, sizeof v); /* records is the address of a T *: one representation */
	return rc;
}

int ib_csv_records(const char *text, ib_csv_record_fn read, void *records, size_t size, size_t *n,
		   ib_error *err)
{
	ib_csv c;
	char *v = NULL;
	*n = 0;
	int rc = ib_csv_table(text, &c, &v, size, err);
	for (size_t i = 1; !rc && i < c.n; i++)
		if (!(rc = read(&c.rows[0], &c.rows[i], v + *n * size, err)))
			(*n)++;
	ib_csv_free(&c); /* empty after a failed ib_csv_table() */
	if (rc) {
		free(v);
		v = NULL;
		*n = 0;
	}
	memcpy(records, &v, sizeof v); /* as ib_csv_table() */
	return rc;
}

void ib_csv_free(ib_csv *c)
{
	if (!c)
		return;
	IB_FREE_EACH(c->rows, c->n, row_free);
	c->rows = NULL;
	c->n = 0;
}

int ib_csv_col(const ib_csv_row *h, const char *name)
{
	for (size_t i = 0; i < h->n; i++)
		if (strcmp(h->f[i], name) == 0)
			return (int)i;
	return -1;
}
