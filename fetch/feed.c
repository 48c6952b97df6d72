/* feed.c - read the project's proposal feeds (JSON Lines and CSV) with validation.
 *
 * Both formats go through one validator over a cJSON object, so a CSV row and a JSON
 * line obey the same rules and give the same messages. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "csv.h"
#include "ideabank/buf.h"
#include "ideabank/feed.h"
#include "ideabank/num.h"

int ib_proposal_list_push(ib_proposal_list *l, ib_proposal *p)
{
	if (l->n == l->alloc) {
		size_t a = l->alloc ? l->alloc * 2 : 16;
		ib_proposal **v = realloc(l->items, a * sizeof *v);
		if (!v) {
			ib_proposal_free(p);
			return IB_ENOMEM;
		}
		l->items = v;
		l->alloc = a;
	}
	l->items[l->n++] = p;
	return IB_OK;
}

void ib_proposal_list_free(ib_proposal_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		ib_proposal_free(l->items[i]);
	free(l->items);
	l->items = NULL;
	l->n = l->alloc = 0;
}

/* "got ..." text for a JSON value: strings quoted, others as JSON. */
static void got(const cJSON *v, char *out, size_t n)
{
	char *z = cJSON_PrintUnformatted(v);
	if (!z) {
		snprintf(out, n, "?");
		return;
	}
	if (strlen(z) > 60)
		snprintf(out, n, "%.57s...", z);
	else
		snprintf(out, n, "%s", z);
	cJSON_free(z);
}

static int bad(ib_error *err, const char *field, const char *want, const cJSON *v)
{
	char g[80];
	got(v, g, sizeof g);
	return ib_error_set(err, IB_EPARSE, "%s: expected %s, got %s", field, want, g);
}

static int is_null(const cJSON *v)
{
	return !v || cJSON_IsNull(v) || (cJSON_IsString(v) && v->valuestring[0] == '\0');
}

/* A number: JSON number or a Danish-notation string; null/"" = unknown. */
static int get_num(const cJSON *o, const char *field, double *out, ib_error *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, field);
	*out = IB_NA;
	if (is_null(v))
		return IB_OK;
	if (cJSON_IsNumber(v)) {
		*out = v->valuedouble;
		return IB_OK;
	}
	if (cJSON_IsString(v) && ib_num_parse(v->valuestring, out) == IB_OK)
		return IB_OK;
	return bad(err, field, "a number", v);
}

/* An integer in [lo, hi]; *out = 0 when absent and not required. */
static int get_int(const cJSON *o, const char *field, int lo, int hi, int required,
		   const char *want, int *out, ib_error *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, field);
	*out = 0;
	if (is_null(v)) {
		if (required)
			return ib_error_set(err, IB_EPARSE, "%s: missing", field);
		return IB_OK;
	}
	double d;
	if (cJSON_IsNumber(v)) {
		d = v->valuedouble;
	} else if (cJSON_IsString(v)) {
		const char *z = v->valuestring;
		for (const char *c = z; *c; c++)
			if (!isdigit((unsigned char)*c))
				return bad(err, field, want, v);
		d = atof(z);
	} else {
		return bad(err, field, want, v);
	}
	/* the range first: converting a double beyond long's range is undefined */
	if (!(d >= lo && d <= hi) || d != (double)(int)d)
		return bad(err, field, want, v);
	*out = (int)d;
	return IB_OK;
}

/* A string; *out NULL when absent.  Copies. */
static int get_str(const cJSON *o, const char *field, int required, char **out, ib_error *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, field);
	*out = NULL;
	if (is_null(v)) {
		if (required)
			return ib_error_set(err, IB_EPARSE, "%s: missing", field);
		return IB_OK;
	}
	if (cJSON_IsNumber(v)) { /* a CSV "ref" of 217 may arrive as a number */
		char num[32];
		snprintf(num, sizeof num, "%.15g", v->valuedouble);
		*out = strdup(num);
	} else if (cJSON_IsString(v)) {
		*out = strdup(v->valuestring);
	} else {
		return bad(err, field, "a string", v);
	}
	return *out ? IB_OK : ib_error_set(err, IB_ENOMEM, NULL);
}

/* yes/no/unknown (or true/false/null) -> 1/0/-1 */
static int get_tri(const cJSON *o, const char *field, int *out, ib_error *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, field);
	*out = -1;
	if (is_null(v))
		return IB_OK;
	if (cJSON_IsBool(v)) {
		*out = cJSON_IsTrue(v) ? 1 : 0;
		return IB_OK;
	}
	if (cJSON_IsString(v)) {
		const char *z = v->valuestring;
		if (!strcmp(z, "yes") || !strcmp(z, "ja")) {
			*out = 1;
			return IB_OK;
		}
		if (!strcmp(z, "no") || !strcmp(z, "nej")) {
			*out = 0;
			return IB_OK;
		}
		if (!strcmp(z, "unknown"))
			return IB_OK;
	}
	return bad(err, field, "yes, no or unknown", v);
}

static int check_keys(const cJSON *o, const char *const *allowed, const char *where, ib_error *err)
{
	for (const cJSON *c = o->child; c; c = c->next) {
		int ok = 0;
		for (const char *const *a = allowed; *a; a++)
			if (strcmp(c->string, *a) == 0)
				ok = 1;
		if (!ok)
			return ib_error_set(err, IB_EPARSE, "%sunknown field \"%s\"", where,
					    c->string);
	}
	return IB_OK;
}

static const char *const proposal_keys[] = {
    "id",     "kommunekode", "budget_year", "ref",     "title",	    "summary",	    "text",
    "area",   "committee",   "kind",	    "adopted", "full_year", "effect_kr",    "impl_cost_kr",
    "source", "page",	     "years",	    "flags",   "followup",  "content_hash", "case_key",
    "variant", "appearances", NULL,
};
static const char *const appearance_keys[] = {
    "committee", "date", "item", "decision", "url", NULL,
};
static const char *const year_keys[] = {
    "year", "net", "investment", "expenses", "income", "fte", "page", "line", NULL,
};
static const char *const followup_keys[] = {
    "adoption",	      "total_investment_kr",
    "effect_full_kr", "full_implementation",
    "compensating",   "status",
    "remark",	      "source",
    "page",	      NULL,
};

static int read_years(const cJSON *arr, ib_proposal *p, ib_error *err)
{
	if (is_null(arr))
		return IB_OK;
	if (!cJSON_IsArray(arr))
		return bad(err, "years", "an array", arr);
	int i = 0;
	const cJSON *y;
	cJSON_ArrayForEach(y, arr)
	{
		char where[32];
		snprintf(where, sizeof where, "years[%d]: ", i);
		if (!cJSON_IsObject(y))
			return bad(err, "years", "an array of objects", arr);
		ib_proposal_year r = ib_proposal_year_blank(0);
		int rc = check_keys(y, year_keys, where, err);
		if (!rc)
			rc = get_int(y, "year", 1990, 2100, 1, "a year", &r.year, err);
		if (!rc)
			rc = get_num(y, "net", &r.net, err);
		if (!rc)
			rc = get_num(y, "investment", &r.investment, err);
		if (!rc)
			rc = get_num(y, "expenses", &r.expenses, err);
		if (!rc)
			rc = get_num(y, "income", &r.income, err);
		if (!rc)
			rc = get_num(y, "fte", &r.fte, err);
		if (!rc)
			rc = get_int(y, "page", 1, 100000, 0, "a page number", &r.page, err);
		if (!rc)
			rc = get_int(y, "line", 1, 10000000, 0, "a line number", &r.line, err);
		if (rc) {
			if (strncmp(err->msg, where, strlen(where)) != 0)
				ib_error_prefix(err, "years[%d]", i);
			return rc;
		}
		for (size_t k = 0; k < p->n_years; k++)
			if (p->years[k].year == r.year)
				return ib_error_set(err, IB_EPARSE, "years: year %d given twice",
						    r.year);
		if (ib_proposal_add_year(p, &r))
			return ib_error_set(err, IB_ENOMEM, NULL);
		i++;
	}
	return IB_OK;
}

static int read_flags(const cJSON *arr, ib_proposal *p, ib_error *err)
{
	if (is_null(arr))
		return IB_OK;
	if (!cJSON_IsArray(arr))
		return bad(err, "flags", "an array", arr);
	const cJSON *f;
	cJSON_ArrayForEach(f, arr)
	{
		const cJSON *code = cJSON_GetObjectItemCaseSensitive(f, "code");
		const cJSON *msg = cJSON_GetObjectItemCaseSensitive(f, "message");
		if (!cJSON_IsString(code) || !cJSON_IsString(msg))
			return bad(err, "flags", "objects with code and message", f);
		if (ib_proposal_add_flag(p, code->valuestring, "%s", msg->valuestring))
			return ib_error_set(err, IB_ENOMEM, NULL);
	}
	return IB_OK;
}

static int read_followup(const cJSON *o, ib_proposal *p, ib_error *err)
{
	if (is_null(o))
		return IB_OK;
	if (!cJSON_IsObject(o))
		return bad(err, "followup", "an object", o);
	ib_followup *f = calloc(1, sizeof *f);
	if (!f)
		return ib_error_set(err, IB_ENOMEM, NULL);
	p->followup = f;
	int rc = check_keys(o, followup_keys, "followup: ", err);
	if (!rc)
		rc = get_str(o, "adoption", 0, &f->adoption, err);
	if (!rc)
		rc = get_num(o, "total_investment_kr", &f->total_investment_kr, err);
	if (!rc)
		rc = get_num(o, "effect_full_kr", &f->effect_full_kr, err);
	if (!rc)
		rc = get_str(o, "full_implementation", 0, &f->full_implementation, err);
	if (!rc)
		rc = get_tri(o, "compensating", &f->compensating, err);
	if (!rc)
		rc = get_str(o, "status", 0, &f->status, err);
	if (!rc)
		rc = get_str(o, "remark", 0, &f->remark, err);
	if (!rc)
		rc = get_str(o, "source", 0, &f->source, err);
	if (!rc)
		rc = get_int(o, "page", 1, 100000, 0, "a page number", &f->page, err);
	if (rc && strncmp(err->msg, "followup", 8) != 0)
		ib_error_prefix(err, "followup");
	return rc;
}

static int read_appearances(const cJSON *arr, ib_proposal *p, ib_error *err)
{
	if (is_null(arr))
		return IB_OK;
	if (!cJSON_IsArray(arr))
		return bad(err, "appearances", "an array", arr);
	int i = 0;
	const cJSON *o;
	cJSON_ArrayForEach(o, arr)
	{
		char where[40];
		snprintf(where, sizeof where, "appearances[%d]: ", i++);
		if (!cJSON_IsObject(o))
			return bad(err, "appearances", "an array of objects", arr);
		ib_appearance a = {0};
		int rc = check_keys(o, appearance_keys, where, err);
		if (!rc)
			rc = get_str(o, "committee", 0, &a.committee, err);
		if (!rc)
			rc = get_str(o, "date", 0, &a.date, err);
		if (!rc)
			rc = get_str(o, "item", 0, &a.item, err);
		if (!rc)
			rc = get_str(o, "decision", 0, &a.decision, err);
		if (!rc)
			rc = get_str(o, "url", 0, &a.url, err);
		if (!rc && ib_proposal_add_appearance(p, &a))
			rc = ib_error_set(err, IB_ENOMEM, NULL);
		free(a.committee), free(a.date), free(a.item), free(a.decision), free(a.url);
		if (rc) {
			if (strncmp(err->msg, where, strlen(where)) != 0)
				ib_error_prefix(err, "appearances[%d]", i - 1);
			return rc;
		}
	}
	return IB_OK;
}

/* Validate one feed object into a new proposal. */
static int proposal_from_json(const cJSON *o, ib_proposal **out, ib_error *err)
{
	*out = NULL;
	if (!cJSON_IsObject(o))
		return ib_error_set(err, IB_EPARSE, "expected a JSON object");
	ib_proposal *p = ib_proposal_new();
	if (!p)
		return ib_error_set(err, IB_ENOMEM, NULL);
	char *area = NULL, *kind = NULL;
	int rc = check_keys(o, proposal_keys, "", err);
	if (!rc)
		rc = get_int(o, "kommunekode", 101, 999, 1, "a 3-digit kommunekode",
			     &p->kommunekode, err);
	if (!rc)
		rc = get_int(o, "budget_year", 1990, 2100, 1, "a year", &p->budget_year, err);
	if (!rc)
		rc = get_str(o, "ref", 0, &p->ref, err);
	if (!rc)
		rc = get_str(o, "title", 1, &p->title, err);
	if (!rc)
		rc = get_str(o, "summary", 0, &p->summary, err);
	if (!rc)
		rc = get_str(o, "text", 0, &p->text, err);
	if (!rc)
		rc = get_str(o, "area", 0, &area, err);
	if (!rc && area && !(p->area = ib_area_canonical(area)))
		rc = bad(err, "area", "one of KL's nine areas",
			 cJSON_GetObjectItemCaseSensitive(o, "area"));
	if (!rc)
		rc = get_str(o, "committee", 0, &p->committee, err);
	if (!rc)
		rc = get_str(o, "kind", 0, &kind, err);
	if (!rc) {
		p->kind = kind ? ib_kind_canonical(kind) : "andet";
		if (!p->kind)
			rc = bad(
			    err, "kind",
			    "effektivisering, investering, servicereduktion, innovation or andet",
			    cJSON_GetObjectItemCaseSensitive(o, "kind"));
	}
	if (!rc)
		rc = get_tri(o, "adopted", &p->adopted, err);
	if (!rc)
		rc = get_int(o, "full_year", 1990, 2100, 0, "a year", &p->full_year, err);
	if (!rc)
		rc = get_num(o, "effect_kr", &p->effect_kr, err);
	if (!rc)
		rc = get_num(o, "impl_cost_kr", &p->impl_cost_kr, err);
	if (!rc)
		rc = get_str(o, "source", 1, &p->source, err);
	if (!rc)
		rc = get_int(o, "page", 1, 100000, 0, "a page number", &p->page, err);
	if (!rc)
		rc = read_years(cJSON_GetObjectItemCaseSensitive(o, "years"), p, err);
	if (!rc)
		rc = read_flags(cJSON_GetObjectItemCaseSensitive(o, "flags"), p, err);
	if (!rc)
		rc = read_followup(cJSON_GetObjectItemCaseSensitive(o, "followup"), p, err);
	if (!rc)
		rc = get_str(o, "case_key", 0, &p->case_key, err);
	if (!rc)
		rc = get_str(o, "variant", 0, &p->variant, err);
	if (!rc)
		rc = read_appearances(cJSON_GetObjectItemCaseSensitive(o, "appearances"), p, err);
	free(area);
	free(kind);
	if (rc) {
		ib_proposal_free(p);
		return rc;
	}
	*out = p;
	return IB_OK;
}

/* Lines of a feed's proposals, beside the list, for messages naming two of them. */
typedef struct line_list {
	int *v;
	size_t n, alloc;
} line_list;

static int line_push(line_list *l, int line)
{
	if (l->n == l->alloc) {
		size_t a = l->alloc ? l->alloc * 2 : 16;
		int *v = realloc(l->v, a * sizeof *v);
		if (!v)
			return IB_ENOMEM;
		l->v = v;
		l->alloc = a;
	}
	l->v[l->n++] = line;
	return IB_OK;
}

/* A proposal and its line, ordered by identity (the store's key: kommunekode, budget
 * year, title), then by line. */
typedef struct ident {
	const ib_proposal *p;
	int line;
	char *key; /* ib_proposal_identity() */
} ident;

static int same_identity(const ident *x, const ident *y)
{
	return x->p->kommunekode == y->p->kommunekode && strcmp(x->key, y->key) == 0;
}

static int cmp_identity(const void *a, const void *b)
{
	const ident *x = a, *y = b;
	if (x->p->kommunekode != y->p->kommunekode)
		return x->p->kommunekode < y->p->kommunekode ? -1 : 1;
	int c = strcmp(x->key, y->key);
	if (c)
		return c;
	return (x->line > y->line) - (x->line < y->line);
}

/* Two proposals of one feed with the same identity are an error naming both lines: the
 * first line that repeats an earlier one, and that earlier one. */
static int check_duplicates(const char *name, const ib_proposal_list *l, const int *lines,
			    ib_error *err)
{
	if (l->n < 2)
		return IB_OK;
	ident *v = calloc(l->n, sizeof *v);
	if (!v)
		return ib_error_set(err, IB_ENOMEM, NULL);
	for (size_t i = 0; i < l->n; i++) {
		char key[2048];
		ib_proposal_identity(l->items[i], key, sizeof key);
		v[i] = (ident){l->items[i], lines[i], strdup(key)};
		if (!v[i].key) {
			for (size_t k = 0; k < i; k++)
				free(v[k].key);
			free(v);
			return ib_error_set(err, IB_ENOMEM, NULL);
		}
	}
	qsort(v, l->n, sizeof *v, cmp_identity);
	const ident *first = NULL, *again = NULL;
	for (size_t k = 0; k + 1 < l->n;) {
		size_t e = k + 1;
		while (e < l->n && same_identity(&v[k], &v[e]))
			e++;
		/* a run of equals, earliest line first: its second repeats its first */
		if (e - k > 1 && (!again || v[k + 1].line < again->line)) {
			first = &v[k];
			again = &v[k + 1];
		}
		k = e;
	}
	int rc = IB_OK;
	if (again)
		rc = ib_error_set(err, IB_EDUP,
				  "%s:%d: the same proposal as line %d (kommunekode %03d, budget "
				  "year %d, title '%s')",
				  name, again->line, first->line, again->p->kommunekode,
				  again->p->budget_year, again->p->title);
	for (size_t i = 0; i < l->n; i++)
		free(v[i].key);
	free(v);
	return rc;
}

/* Append parsed proposals to out only when all of them parsed. */
static int commit_list(ib_proposal_list *tmp, ib_proposal_list *out, ib_error *err)
{
	for (size_t i = 0; i < tmp->n; i++) {
		if (ib_proposal_list_push(out, tmp->items[i])) {
			/* items already moved stay owned by out; free the rest */
			for (size_t k = i + 1; k < tmp->n; k++)
				ib_proposal_free(tmp->items[k]);
			free(tmp->items);
			return ib_error_set(err, IB_ENOMEM, NULL);
		}
	}
	free(tmp->items);
	return IB_OK;
}

int ib_feed_parse_jsonl(const char *name, const char *text, size_t len, ib_proposal_list *out,
			ib_error *err)
{
	if (ib_utf8_check(name, text, len, err))
		return IB_EPARSE;
	ib_proposal_list tmp = {0};
	line_list lines = {0};
	const char *p = text, *end = text + len;
	int line = 0, rc = IB_OK;
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	while (p < end && !rc) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		line++;
		const char *q = p;
		while (q < e && isspace((unsigned char)*q))
			q++;
		if (q < e) {
			cJSON *o = cJSON_ParseWithLength(q, (size_t)(e - q));
			if (!o) {
				rc =
				    ib_error_set(err, IB_EPARSE, "%s:%d: invalid JSON", name, line);
			} else {
				ib_proposal *prop;
				rc = proposal_from_json(o, &prop, err);
				if (!rc)
					rc = ib_proposal_list_push(&tmp, prop);
				if (!rc && line_push(&lines, line))
					rc = ib_error_set(err, IB_ENOMEM, NULL);
				if (rc)
					ib_error_prefix(err, "%s:%d", name, line);
				cJSON_Delete(o);
			}
		}
		p = e + 1;
	}
	if (!rc && tmp.n == 0)
		rc = ib_error_set(err, IB_EPARSE, "%s: no proposals in feed", name);
	if (!rc)
		rc = check_duplicates(name, &tmp, lines.v, err);
	free(lines.v);
	if (rc) {
		ib_proposal_list_free(&tmp);
		return rc;
	}
	return commit_list(&tmp, out, err);
}

/* CSV cells that hold JSON (years, flags, followup) are parsed as JSON; all other
 * cells stay strings and are validated like JSON strings. */
static int csv_row_to_json(const ib_csv_row *h, const ib_csv_row *r, cJSON **out, ib_error *err)
{
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return ib_error_set(err, IB_ENOMEM, NULL);
	for (size_t i = 0; i < h->n; i++) {
		const char *cell = i < r->n ? r->f[i] : "";
		const char *key = h->f[i];
		cJSON *v;
		if (cell[0] == '\0') {
			continue;
		} else if (!strcmp(key, "years") || !strcmp(key, "flags") ||
			   !strcmp(key, "followup") || !strcmp(key, "appearances")) {
			v = cJSON_Parse(cell);
			if (!v) {
				cJSON_Delete(o);
				return ib_error_set(err, IB_EPARSE, "%s: invalid JSON in cell",
						    key);
			}
		} else {
			v = cJSON_CreateString(cell);
		}
		if (!v || !cJSON_AddItemToObject(o, key, v)) {
			cJSON_Delete(v);
			cJSON_Delete(o);
			return ib_error_set(err, IB_ENOMEM, NULL);
		}
	}
	*out = o;
	return IB_OK;
}

int ib_feed_parse_csv(const char *name, const char *text, size_t len, ib_proposal_list *out,
		      ib_error *err)
{
	if (ib_utf8_check(name, text, len, err))
		return IB_EPARSE;
	ib_csv csv;
	int rc = ib_csv_parse(text, len, 0, &csv, err);
	if (rc) {
		ib_error_prefix(err, "%s", name);
		return rc;
	}
	if (csv.n < 2) {
		ib_csv_free(&csv);
		return ib_error_set(err, IB_EPARSE, "%s: no proposals in feed", name);
	}
	ib_proposal_list tmp = {0};
	line_list lines = {0};
	for (size_t i = 1; i < csv.n && !rc; i++) {
		cJSON *o = NULL;
		ib_proposal *prop = NULL;
		rc = csv_row_to_json(&csv.rows[0], &csv.rows[i], &o, err);
		if (!rc)
			rc = proposal_from_json(o, &prop, err);
		if (!rc)
			rc = ib_proposal_list_push(&tmp, prop);
		if (!rc && line_push(&lines, csv.rows[i].line))
			rc = ib_error_set(err, IB_ENOMEM, NULL);
		if (rc)
			ib_error_prefix(err, "%s:%d", name, csv.rows[i].line);
		cJSON_Delete(o);
	}
	ib_csv_free(&csv);
	if (!rc)
		rc = check_duplicates(name, &tmp, lines.v, err);
	free(lines.v);
	if (rc) {
		ib_proposal_list_free(&tmp);
		return rc;
	}
	return commit_list(&tmp, out, err);
}

ib_ref_kind ib_ref_detect(const char *text, size_t len)
{
	static const struct {
		const char *header;
		ib_ref_kind kind;
	} known[] = {
	    {"kommunekode;kommune;region;gruppe_kode;gruppe;kilde", IB_REF_MUNICIPALITIES},
	    {"kommunekode;aar;folketal;kilde", IB_REF_POPULATION},
	    {"kommunekode;aar;funktion;funktionsnavn;kr_pr_indbygger;kilde", IB_REF_SPENDING},
	};
	const char *p = text;
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
		p += 3;
		len -= 3;
	}
	size_t n = 0;
	while (n < len && p[n] != '\n' && p[n] != '\r')
		n++;
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (strlen(known[i].header) == n && memcmp(known[i].header, p, n) == 0)
			return known[i].kind;
	return IB_REF_NONE;
}
