/* statbank.c - StatBank metadata, request bodies and answers.  See statbank.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "csv.h"
#include "ideabank/array.h"
#include "ideabank/buf.h"
#include "ideabank/num.h"
#include "ideabank/statbank.h"

/* Variable ids compared the way StatBank spells them in different places ("Tid" in
 * metadata, "TID" in CSV headers, "OMRÅDE"): ASCII case and Latin-1 letters in UTF-8
 * (Æ Ø Å) folded. */
int ib_sb_same_id(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
	unsigned char px = 0, py = 0;
	for (;; x++, y++) {
		unsigned cx = *x, cy = *y;
		if (cx >= 'A' && cx <= 'Z')
			cx += 32;
		if (cy >= 'A' && cy <= 'Z')
			cy += 32;
		if (px == 0xC3 && cx >= 0x80 && cx <= 0x9E && cx != 0x97)
			cx += 0x20;
		if (py == 0xC3 && cy >= 0x80 && cy <= 0x9E && cy != 0x97)
			cy += 0x20;
		if (cx != cy)
			return 0;
		if (!cx)
			return 1;
		px = *x, py = *y;
	}
}

static char *dup(const char *z)
{
	return z ? strdup(z) : NULL;
}

/* ---- tableinfo ------------------------------------------------------------ */

void ib_sb_tableinfo_free(ib_sb_tableinfo *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n_vars; i++) {
		ib_sb_var *v = &t->vars[i];
		for (size_t k = 0; k < v->n_values; k++) {
			free(v->values[k].id);
			free(v->values[k].text);
		}
		IB_FREE_ALL(v->values, v->id, v->text);
	}
	IB_FREE_ALL(t->vars, t->id, t->text, t->unit, t->updated);
	memset(t, 0, sizeof *t);
}

static int not_utf8(const char *name, const char *text, size_t len, ib_error *err)
{
	size_t bad = ib_utf8_invalid_at(text, len);
	if (bad == len)
		return IB_OK;
	return ib_error_set(err, IB_EPARSE, "%s: not valid UTF-8 (byte 0x%02X at offset %zu)", name,
			    (unsigned char)text[bad], bad);
}

static const char *str_of(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

int ib_sb_tableinfo_parse(const char *name, const char *json, size_t len, ib_sb_tableinfo *out,
			  ib_error *err)
{
	memset(out, 0, sizeof *out);
	if (not_utf8(name, json, len, err))
		return IB_EPARSE;
	cJSON *root = cJSON_ParseWithLength(json, len);
	if (!root)
		return ib_error_set(err, IB_EPARSE, "%s: not valid JSON", name);
	int rc = IB_OK;
	const cJSON *vars = cJSON_GetObjectItemCaseSensitive(root, "variables");
	if (!str_of(root, "id") || !cJSON_IsArray(vars)) {
		rc = ib_error_set(err, IB_EPARSE, "%s: table information without %s", name,
				  str_of(root, "id") ? "'variables'" : "'id'");
		goto out;
	}
	out->id = dup(str_of(root, "id"));
	out->text = dup(str_of(root, "text"));
	out->unit = dup(str_of(root, "unit"));
	out->updated = dup(str_of(root, "updated"));
	size_t n = (size_t)cJSON_GetArraySize(vars);
	out->vars = calloc(n ? n : 1, sizeof *out->vars);
	if (!out->vars) {
		rc = ib_error_set(err, IB_ENOMEM, NULL);
		goto out;
	}
	const cJSON *v;
	cJSON_ArrayForEach(v, vars)
	{
		ib_sb_var *var = &out->vars[out->n_vars];
		const cJSON *vals = cJSON_GetObjectItemCaseSensitive(v, "values");
		if (!str_of(v, "id") || !cJSON_IsArray(vals)) {
			rc = ib_error_set(err, IB_EPARSE, "%s: variable %zu without id or values",
					  name, out->n_vars + 1);
			goto out;
		}
		out->n_vars++;
		var->id = dup(str_of(v, "id"));
		var->text = dup(str_of(v, "text"));
		var->time = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(v, "time"));
		var->elimination = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(v, "elimination"));
		size_t m = (size_t)cJSON_GetArraySize(vals);
		var->values = calloc(m ? m : 1, sizeof *var->values);
		if (!var->values) {
			rc = ib_error_set(err, IB_ENOMEM, NULL);
			goto out;
		}
		const cJSON *x;
		cJSON_ArrayForEach(x, vals)
		{
			if (!str_of(x, "id") || !str_of(x, "text")) {
				rc = ib_error_set(err, IB_EPARSE,
						  "%s: variable %s: a value without id or text",
						  name, var->id);
				goto out;
			}
			var->values[var->n_values].id = dup(str_of(x, "id"));
			var->values[var->n_values].text = dup(str_of(x, "text"));
			var->n_values++;
		}
	}
out:
	cJSON_Delete(root);
	if (rc)
		ib_sb_tableinfo_free(out);
	return rc;
}

const ib_sb_var *ib_sb_var_find(const ib_sb_tableinfo *t, const char *id)
{
	for (size_t i = 0; i < t->n_vars; i++)
		if (ib_sb_same_id(t->vars[i].id, id))
			return &t->vars[i];
	return NULL;
}

/* ---- selections ----------------------------------------------------------- */

void ib_sb_select_free(ib_sb_select *s)
{
	if (!s)
		return;
	ib_strings_free(s->ids, s->n);
	free(s->var);
	memset(s, 0, sizeof *s);
}

static int select_add(ib_sb_select *s, const char *id)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->ids[i], id))
			return IB_OK;
	return ib_strings_add(&s->ids, &s->n, id);
}

/* "2008..2026": the years, or 0. */
static int year_range(const char *z, int *lo, int *hi)
{
	int a, b, used = 0;
	if (sscanf(z, "%4d..%4d%n", &a, &b, &used) == 2 && z[used] == 0 && a <= b) {
		*lo = a, *hi = b;
		return 1;
	}
	return 0;
}

static int value_matches(const ib_sb_value *v, const char *want)
{
	if (!strcmp(v->id, want) || !strcmp(v->text, want))
		return 1;
	size_t n = strlen(want);
	return n > 0 && !strncmp(v->text, want, n) && v->text[n] == ' ';
}

int ib_sb_resolve(const ib_sb_tableinfo *t, const char *var, const char *const *wanted, size_t n,
		  ib_sb_select *out, ib_error *err)
{
	memset(out, 0, sizeof *out);
	const ib_sb_var *v = ib_sb_var_find(t, var);
	if (!v) {
		ib_buf names;
		ib_buf_init(&names, 4096);
		for (size_t i = 0; i < t->n_vars; i++)
			ib_buf_addf(&names, "%s%s", i ? ", " : "", t->vars[i].id);
		ib_error_set(err, IB_ENOTFOUND, "%s: no variable '%s' (the table has %s)", t->id,
			     var, ib_buf_str(&names));
		ib_buf_free(&names);
		return IB_ENOTFOUND;
	}
	if (!(out->var = strdup(v->id)))
		return ib_error_set(err, IB_ENOMEM, NULL);
	int rc = IB_OK;
	for (size_t w = 0; w < n && !rc; w++) {
		int lo, hi, found = 0;
		if (!strcmp(wanted[w], "*")) {
			for (size_t k = 0; k < v->n_values && !rc; k++)
				rc = select_add(out, v->values[k].id);
			continue;
		}
		int year_only = strlen(wanted[w]) == 4 && strspn(wanted[w], "0123456789") == 4;
		if (v->time && year_only) {
			/* a year on a quarterly or monthly table: its periods */
			lo = hi = atoi(wanted[w]);
			for (size_t k = 0; k < v->n_values; k++)
				if (!strcmp(v->values[k].id, wanted[w]))
					year_only = 0;
		}
		if (v->time && (year_only || year_range(wanted[w], &lo, &hi))) {
			for (size_t k = 0; k < v->n_values && !rc; k++) {
				int y = atoi(v->values[k].id);
				if (y >= lo && y <= hi) {
					rc = select_add(out, v->values[k].id);
					found = 1;
				}
			}
		} else {
			for (size_t k = 0; k < v->n_values && !rc; k++)
				if (value_matches(&v->values[k], wanted[w])) {
					rc = select_add(out, v->values[k].id);
					found = 1;
					break;
				}
		}
		if (rc)
			break;
		if (!found) {
			ib_error_set(err, IB_ENOTFOUND,
				     "%s: variable %s has no value '%s' (values: %s%s%s%s)", t->id,
				     v->id, wanted[w], v->n_values ? v->values[0].id : "",
				     v->n_values > 1 ? " … " : "",
				     v->n_values > 1 ? v->values[v->n_values - 1].id : "",
				     v->time ? ", by period" : "");
			ib_sb_select_free(out);
			return IB_ENOTFOUND;
		}
	}
	if (rc) {
		ib_sb_select_free(out);
		return ib_error_set(err, rc, NULL);
	}
	return IB_OK;
}

/* ---- request bodies --------------------------------------------------------- */

typedef struct body_list {
	char **z;
	size_t n;
} body_list;

static double cells_of(const ib_sb_select *sel, size_t n)
{
	double c = 1;
	for (size_t i = 0; i < n; i++)
		c *= (double)sel[i].n;
	return c;
}

static int emit_body(const char *table, const ib_sb_select *sel, size_t n, const char *format,
		     const char *lang, body_list *out)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *vars = NULL;
	int ok = o && cJSON_AddStringToObject(o, "table", table) &&
		 cJSON_AddStringToObject(o, "lang", lang) &&
		 cJSON_AddStringToObject(o, "format", format) &&
		 cJSON_AddStringToObject(o, "valuePresentation", "Default") &&
		 (vars = cJSON_AddArrayToObject(o, "variables"));
	for (size_t i = 0; i < n && ok; i++) {
		cJSON *v = cJSON_CreateObject(), *vals = NULL;
		ok = v && cJSON_AddItemToArray(vars, v) &&
		     cJSON_AddStringToObject(v, "code", sel[i].var) &&
		     (vals = cJSON_AddArrayToObject(v, "values"));
		for (size_t k = 0; k < sel[i].n && ok; k++) {
			cJSON *s = cJSON_CreateString(sel[i].ids[k]);
			ok = s && cJSON_AddItemToArray(vals, s);
		}
	}
	char *z = ok ? cJSON_PrintUnformatted(o) : NULL;
	cJSON_Delete(o);
	return ib_strings_take(&out->z, &out->n, z);
}

/* Emit sel as one body when small enough, else split its largest variable into as
 * many parts as needed and recurse. */
static int split(const char *table, ib_sb_select *sel, size_t n, const char *format,
		 const char *lang, long max_cells, body_list *out)
{
	double cells = cells_of(sel, n);
	if (cells <= (double)max_cells)
		return emit_body(table, sel, n, format, lang, out);
	size_t big = 0;
	for (size_t i = 1; i < n; i++)
		if (sel[i].n > sel[big].n)
			big = i;
	size_t all = sel[big].n;
	double rest = cells / (double)all;
	size_t chunk = rest >= (double)max_cells ? 1 : (size_t)((double)max_cells / rest);
	char **ids = sel[big].ids;
	int rc = IB_OK;
	for (size_t at = 0; at < all && !rc; at += chunk) {
		sel[big].ids = ids + at;
		sel[big].n = all - at < chunk ? all - at : chunk;
		rc = split(table, sel, n, format, lang, max_cells, out);
	}
	sel[big].ids = ids;
	sel[big].n = all;
	return rc;
}

int ib_sb_request_bodies(const char *table, const ib_sb_select *sel, size_t n, const char *format,
			 const char *lang, long max_cells, char ***bodies, size_t *n_bodies,
			 ib_error *err)
{
	*bodies = NULL;
	*n_bodies = 0;
	for (size_t i = 0; i < n; i++)
		if (sel[i].n == 0)
			return ib_error_set(err, IB_EARG, "%s: no values asked for variable %s",
					    table, sel[i].var);
	if (max_cells < 1)
		max_cells = IB_SB_MAX_CELLS;
	ib_sb_select *copy = malloc((n ? n : 1) * sizeof *copy);
	if (!copy)
		return ib_error_set(err, IB_ENOMEM, NULL);
	memcpy(copy, sel, n * sizeof *copy);
	body_list out = {0};
	int rc = split(table, copy, n, format, lang, max_cells, &out);
	free(copy);
	if (rc) {
		ib_strings_free(out.z, out.n);
		return ib_error_set(err, rc, NULL);
	}
	*bodies = out.z;
	*n_bodies = out.n;
	return IB_OK;
}

/* ---- answers ---------------------------------------------------------------- */

void ib_sb_data_free(ib_sb_data *d)
{
	if (!d)
		return;
	size_t cells = d->n_obs * d->n_vars;
	for (size_t i = 0; i < cells; i++) {
		if (d->code && d->label && d->code[i] != d->label[i])
			free(d->code[i]);
		if (d->label)
			free(d->label[i]);
	}
	ib_strings_free(d->var_ids, d->n_vars);
	IB_FREE_ALL(d->code, d->label, d->value);
	memset(d, 0, sizeof *d);
}

int ib_sb_data_var(const ib_sb_data *d, const char *id)
{
	for (size_t v = 0; v < d->n_vars; v++)
		if (ib_sb_same_id(d->var_ids[v], id))
			return (int)v;
	return -1;
}

static int data_alloc(ib_sb_data *d, size_t n_vars, size_t n_obs)
{
	d->n_vars = n_vars;
	d->var_ids = calloc(n_vars ? n_vars : 1, sizeof *d->var_ids);
	d->code = calloc(n_vars * n_obs + 1, sizeof *d->code);
	d->label = calloc(n_vars * n_obs + 1, sizeof *d->label);
	d->value = calloc(n_obs + 1, sizeof *d->value);
	return d->var_ids && d->code && d->label && d->value ? IB_OK : IB_ENOMEM;
}

/* A StatBank number: "..", "" and "-" are missing; lang=da writes a decimal comma. */
static int sb_number(const char *z, double *out)
{
	if (!*z || !strcmp(z, "..") || !strcmp(z, "-") || !strcmp(z, ":")) {
		*out = NAN;
		return IB_OK;
	}
	for (const char *p = z; *p; p++)
		if (!(*p >= '0' && *p <= '9') && *p != '-' && *p != ',')
			return IB_EPARSE;
	return ib_num_parse(z, out);
}

int ib_sb_parse_csv(const char *name, const char *text, size_t len, const char *const *vars,
		    size_t n_vars, const ib_sb_tableinfo *t, ib_sb_data *out, ib_error *err)
{
	memset(out, 0, sizeof *out);
	if (not_utf8(name, text, len, err))
		return IB_EPARSE;
	ib_csv csv;
	int rc = ib_csv_parse(text, len, ';', &csv, err);
	if (rc) {
		ib_error_prefix(err, "%s", name);
		return rc;
	}
	if (csv.n == 0) {
		ib_csv_free(&csv);
		return ib_error_set(err, IB_EPARSE, "%s: empty answer", name);
	}
	const ib_csv_row *h = &csv.rows[0];
	int ok = h->n == n_vars + 1 && ib_sb_same_id(h->f[n_vars], "INDHOLD");
	for (size_t v = 0; v < n_vars && ok; v++) {
		int found = 0;
		for (size_t k = 0; k < n_vars; k++)
			found |= ib_sb_same_id(h->f[v], vars[k]);
		ok = found;
	}
	if (!ok) {
		ib_buf want, got;
		ib_buf_init(&want, 1024);
		ib_buf_init(&got, 1024);
		for (size_t v = 0; v < n_vars; v++)
			ib_buf_addf(&want, "%s;", vars[v]);
		ib_buf_adds(&want, "INDHOLD");
		for (size_t k = 0; k < h->n; k++)
			ib_buf_addf(&got, "%s%s", k ? ";" : "", h->f[k]);
		ib_error_set(err, IB_EPARSE, "%s:%d: expected the columns %s, got %s", name,
			     h->line, ib_buf_str(&want), ib_buf_str(&got));
		ib_buf_free(&want);
		ib_buf_free(&got);
		ib_csv_free(&csv);
		return IB_EPARSE;
	}
	size_t n_obs = csv.n - 1, row = 0;
	if ((rc = data_alloc(out, n_vars, n_obs)))
		goto fail;
	for (size_t v = 0; v < n_vars; v++)
		if (!(out->var_ids[v] = strdup(h->f[v]))) {
			rc = IB_ENOMEM;
			goto fail;
		}
	const ib_sb_var *tv[64] = {0};
	for (size_t v = 0; v < n_vars && v < 64 && t; v++)
		tv[v] = ib_sb_var_find(t, h->f[v]);
	for (size_t i = 0; i < n_obs; i++) {
		const ib_csv_row *r = &csv.rows[i + 1];
		row = i;
		if (r->n != n_vars + 1) {
			rc = ib_error_set(err, IB_EPARSE, "%s:%d: expected %zu fields, got %zu",
					  name, r->line, n_vars + 1, r->n);
			goto fail;
		}
		for (size_t v = 0; v < n_vars; v++) {
			size_t c = i * n_vars + v;
			if (!(out->label[c] = strdup(r->f[v]))) {
				rc = IB_ENOMEM;
				goto fail;
			}
			out->code[c] = out->label[c];
			if (v < 64 && tv[v]) {
				const ib_sb_var *var = tv[v];
				size_t k = 0;
				while (k < var->n_values && strcmp(var->values[k].text, r->f[v]) &&
				       strcmp(var->values[k].id, r->f[v]))
					k++;
				if (k == var->n_values) {
					rc = ib_error_set(err, IB_EPARSE,
							  "%s:%d: %s: unknown value '%s'", name,
							  r->line, var->id, r->f[v]);
					goto fail;
				}
				if (!(out->code[c] = strdup(var->values[k].id))) {
					rc = IB_ENOMEM;
					goto fail;
				}
			}
		}
		if (sb_number(r->f[n_vars], &out->value[i])) {
			rc = ib_error_set(err, IB_EPARSE,
					  "%s:%d: INDHOLD: expected a number, got \"%s\"", name,
					  r->line, r->f[n_vars]);
			goto fail;
		}
		out->n_obs++;
		if (isnan(out->value[i]))
			out->n_missing++;
	}
	ib_csv_free(&csv);
	return IB_OK;
fail:
	ib_csv_free(&csv);
	if (rc == IB_ENOMEM)
		ib_error_set(err, rc, NULL);
	/* the rows read so far and the one being read own their strings */
	if (out->label && n_obs)
		out->n_obs = row + 1;
	ib_sb_data_free(out);
	return rc;
}

int ib_sb_parse_jsonstat(const char *name, const char *text, size_t len, const char *const *vars,
			 size_t n_vars, ib_sb_data *out, ib_error *err)
{
	memset(out, 0, sizeof *out);
	if (not_utf8(name, text, len, err))
		return IB_EPARSE;
	cJSON *root = cJSON_ParseWithLength(text, len);
	if (!root)
		return ib_error_set(err, IB_EPARSE, "%s: not valid JSON", name);
	int rc = IB_OK;
	char **codes[16] = {0}, **labels[16] = {0};
	size_t size[16] = {0}, nd = 0;
	int keep[16] = {0};
	const cJSON *ds = cJSON_GetObjectItemCaseSensitive(root, "dataset");
	const cJSON *dim = cJSON_GetObjectItemCaseSensitive(ds, "dimension");
	const cJSON *ids = cJSON_GetObjectItemCaseSensitive(dim, "id");
	const cJSON *sizes = cJSON_GetObjectItemCaseSensitive(dim, "size");
	const cJSON *values = cJSON_GetObjectItemCaseSensitive(ds, "value");
	const char *missing = !ds		       ? "dataset"
			      : !dim		       ? "dataset.dimension"
			      : !cJSON_IsArray(ids)    ? "dataset.dimension.id"
			      : !cJSON_IsArray(sizes)  ? "dataset.dimension.size"
			      : !cJSON_IsArray(values) ? "dataset.value"
						       : NULL;
	if (missing) {
		rc = ib_error_set(err, IB_EPARSE, "%s: JSON-stat without '%s'", name, missing);
		goto out;
	}
	nd = (size_t)cJSON_GetArraySize(ids);
	if (nd == 0 || nd > 16 || (size_t)cJSON_GetArraySize(sizes) != nd) {
		rc = ib_error_set(err, IB_EPARSE,
				  "%s: JSON-stat: dataset.dimension.id and .size do not agree",
				  name);
		goto out;
	}
	double total = 1;
	size_t n_keep = 0;
	for (size_t d = 0; d < nd; d++) {
		const cJSON *id = cJSON_GetArrayItem(ids, (int)d);
		const cJSON *sz = cJSON_GetArrayItem(sizes, (int)d);
		/* a dimension cannot have more values than the dataset has cells */
		if (!cJSON_IsString(id) || !cJSON_IsNumber(sz) || sz->valuedouble < 1 ||
		    sz->valuedouble > (double)cJSON_GetArraySize(values)) {
			rc = ib_error_set(err, IB_EPARSE, "%s: JSON-stat: dimension %zu malformed",
					  name, d + 1);
			goto out;
		}
		size[d] = (size_t)sz->valuedouble;
		total *= (double)size[d];
		for (size_t k = 0; k < n_vars; k++)
			if (ib_sb_same_id(id->valuestring, vars[k]))
				keep[d] = 1;
		n_keep += (size_t)keep[d];
		if (!keep[d] && size[d] != 1) {
			rc = ib_error_set(err, IB_EPARSE,
					  "%s: JSON-stat: dimension %s has %zu values but was not "
					  "asked for",
					  name, id->valuestring, size[d]);
			goto out;
		}
		const cJSON *cat = cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(dim, id->valuestring), "category");
		const cJSON *index = cJSON_GetObjectItemCaseSensitive(cat, "index");
		const cJSON *label = cJSON_GetObjectItemCaseSensitive(cat, "label");
		if (!cJSON_IsObject(index) || !cJSON_IsObject(label)) {
			rc = ib_error_set(
			    err, IB_EPARSE,
			    "%s: JSON-stat without 'dataset.dimension.%s.category.%s'", name,
			    id->valuestring, cJSON_IsObject(index) ? "label" : "index");
			goto out;
		}
		if (size[d] != (size_t)cJSON_GetArraySize(index)) {
			rc = ib_error_set(err, IB_EPARSE,
					  "%s: JSON-stat: dimension %s has size %zu but %d values",
					  name, id->valuestring, size[d], cJSON_GetArraySize(index));
			goto out;
		}
		codes[d] = calloc(size[d], sizeof **codes);
		labels[d] = calloc(size[d], sizeof **labels);
		if (!codes[d] || !labels[d]) {
			rc = ib_error_set(err, IB_ENOMEM, NULL);
			goto out;
		}
		const cJSON *e;
		cJSON_ArrayForEach(e, index)
		{
			if (!cJSON_IsNumber(e) || e->valuedouble < 0 ||
			    e->valuedouble >= (double)size[d]) {
				rc = ib_error_set(err, IB_EPARSE,
						  "%s: JSON-stat: %s: index of '%s' out of range",
						  name, id->valuestring, e->string);
				goto out;
			}
			size_t pos = (size_t)e->valuedouble;
			const char *lab = str_of(label, e->string);
			codes[d][pos] = e->string;
			labels[d][pos] = (char *)(lab ? lab : e->string);
		}
		for (size_t k = 0; k < size[d]; k++)
			if (!codes[d][k]) {
				rc = ib_error_set(err, IB_EPARSE,
						  "%s: JSON-stat: %s: no category at position %zu",
						  name, id->valuestring, k);
				goto out;
			}
	}
	if ((double)cJSON_GetArraySize(values) != total) {
		rc = ib_error_set(err, IB_EPARSE, "%s: JSON-stat: %d values for %.0f cells", name,
				  cJSON_GetArraySize(values), total);
		goto out;
	}
	size_t n_obs = (size_t)total;
	if ((rc = data_alloc(out, n_keep, n_obs))) {
		ib_error_set(err, rc, NULL);
		goto out;
	}
	for (size_t d = 0, v = 0; d < nd; d++)
		if (keep[d] &&
		    !(out->var_ids[v++] = strdup(cJSON_GetArrayItem(ids, (int)d)->valuestring))) {
			rc = ib_error_set(err, IB_ENOMEM, NULL);
			goto out;
		}
	size_t i = 0;
	const cJSON *val;
	cJSON_ArrayForEach(val, values)
	{
		if (!cJSON_IsNumber(val) && !cJSON_IsNull(val)) {
			rc = ib_error_set(err, IB_EPARSE,
					  "%s: JSON-stat: value %zu is not a number", name, i + 1);
			goto out;
		}
		size_t rest = i;
		for (size_t d = nd, v = n_keep; d-- > 0;) {
			size_t pos = rest % size[d];
			rest /= size[d];
			if (!keep[d])
				continue;
			size_t c = i * n_keep + --v;
			out->code[c] = strdup(codes[d][pos]);
			out->label[c] = strdup(labels[d][pos]);
			if (!out->code[c] || !out->label[c]) {
				out->n_obs = i + 1;
				rc = ib_error_set(err, IB_ENOMEM, NULL);
				goto out;
			}
		}
		out->value[i] = cJSON_IsNumber(val) ? val->valuedouble : NAN;
		if (isnan(out->value[i]))
			out->n_missing++;
		out->n_obs = ++i;
	}
out:
	for (size_t d = 0; d < nd && d < 16; d++) {
		free(codes[d]);
		free(labels[d]);
	}
	cJSON_Delete(root);
	if (rc)
		ib_sb_data_free(out);
	return rc;
}
