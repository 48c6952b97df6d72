/* feed.c - read the project's proposal feeds (JSON Lines and CSV) with validation.
 *
 * Both formats go through one validator over a cJSON object, so a CSV row and a JSON
 * line obey the same rules and give the same messages. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "csv.h"
#include "ideabank/array.h"
#include "ideabank/buf.h"
#include "ideabank/feed.h"
#include "ideabank/hash.h"
#include "ideabank/num.h"

/* z with the characters a message must not show raw made visible as \uXXXX: C1
 * controls (U+0080-U+009F) and the byte order mark U+FEFF (cJSON escapes the C0 ones
 * itself). */
static void visible(const char *z, char *out, size_t n)
{
	size_t k = 0;
	for (const unsigned char *p = (const unsigned char *)z; *p && k + 7 < n; p++) {
		unsigned cp = 0;
		if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
			cp = p[1];
		else if (p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
			cp = 0xFEFF;
		if (cp) {
			k += (size_t)snprintf(out + k, n - k, "\\u%04X", cp);
			p += cp == 0xFEFF ? 2 : 1;
		} else {
			out[k++] = (char)*p;
		}
	}
	out[k] = '\0';
}

/* "got ..." text for a JSON value: strings quoted, others as JSON. */
static void got(const cJSON *v, char *out, size_t n)
{
	if (cJSON_IsNumber(v) && !isfinite(v->valuedouble)) {
		/* cJSON would print it as null */
		snprintf(out, n, "a number out of range");
		return;
	}
	char *z = cJSON_PrintUnformatted(v);
	if (!z) {
		snprintf(out, n, "?");
		return;
	}
	char shown[512];
	visible(z, shown, sizeof shown);
	cJSON_free(z);
	if (strlen(shown) > 60)
		snprintf(out, n, "%.57s...", shown);
	else
		snprintf(out, n, "%s", shown);
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
	if (cJSON_IsNumber(v))
		*out = v->valuedouble;
	else if (!cJSON_IsString(v) || ib_num_parse(v->valuestring, out) != IB_OK)
		return *out = IB_NA, bad(err, field, "a number", v);
	/* 1e309 is infinite to a double: stored it printed "inf kr" and exported null */
	if (!isfinite(*out))
		return *out = IB_NA, bad(err, field, "a finite number", v);
	/* a negative zero is zero: it would print as "-0" */
	if (*out == 0)
		*out = 0;
	return IB_OK;
}

/* An integer in [lo, hi]; *out = 0 when absent and not required.  A string holds
 * digits only, without leading zeros ("02023" is refused as " 2023" is), except that
 * a string of padded digits may carry them (kommunekode: DAWA writes "0101"). */
static int get_int_padded(const cJSON *o, const char *field, int lo, int hi, int required,
			  size_t padded, const char *want, int *out, ib_error *err)
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
		if (z[0] == '0' && z[1] && strlen(z) != padded)
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

static int get_int(const cJSON *o, const char *field, int lo, int hi, int required,
		   const char *want, int *out, ib_error *err)
{
	return get_int_padded(o, field, lo, hi, required, 0, want, out, err);
}

/* The first character of the text z that a text field may not hold, as a code point,
 * and its position (in characters, from 1) in *at; 0 when there is none.  A text holds
 * no control character but TAB and line feed: C0 and DEL, and the C1 controls
 * U+0080-U+009F, which a terminal obeys; nor U+FEFF, the invisible byte order mark a
 * joined file leaves.  z is valid UTF-8. */
static unsigned bad_char(const char *z, size_t *at)
{
	size_t pos = 0;
	for (const unsigned char *p = (const unsigned char *)z; *p; p++) {
		if ((*p & 0xC0) == 0x80)
			continue;
		pos++;
		unsigned cp = 0;
		if ((*p < 0x20 && *p != '\t' && *p != '\n') || *p == 0x7F)
			cp = *p;
		else if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
			cp = p[1];
		else if (p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
			cp = 0xFEFF;
		if (cp) {
			*at = pos;
			return cp;
		}
	}
	return 0;
}

/* IB_OK when the text of field holds no character bad_char() finds; else IB_EPARSE
 * naming it. */
static int text_ok(const char *field, const char *z, ib_error *err)
{
	size_t at = 0;
	unsigned cp = bad_char(z, &at);
	if (!cp)
		return IB_OK;
	if (cp == 0xFEFF)
		return ib_error_set(
		    err, IB_EPARSE,
		    "%s: byte order mark U+FEFF at character %zu (invisible; left by "
		    "joining files?)",
		    field, at);
	return ib_error_set(err, IB_EPARSE,
			    "%s: control character U+%04X at character %zu (a text may hold TAB "
			    "and line feed, no other control character)",
			    field, cp, at);
}

/* A string; *out NULL when absent.  Copies.  number_ok: an integral JSON number is
 * taken as its digits (a "ref" of 217); otherwise a number is refused ("title":123
 * is no title). */
static int get_str_or_num(const cJSON *o, const char *field, int required, int number_ok,
			  char **out, ib_error *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, field);
	*out = NULL;
	if (is_null(v)) {
		if (required)
			return ib_error_set(err, IB_EPARSE, "%s: missing", field);
		return IB_OK;
	}
	if (number_ok && cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble < 1e15 &&
	    v->valuedouble == floor(v->valuedouble)) {
		char num[32];
		snprintf(num, sizeof num, "%.0f", v->valuedouble);
		*out = strdup(num);
	} else if (cJSON_IsString(v)) {
		int rc = text_ok(field, v->valuestring, err);
		if (rc)
			return rc;
		*out = strdup(v->valuestring);
	} else {
		return bad(err, field, number_ok ? "a string or a whole number" : "a string", v);
	}
	return *out ? IB_OK : ib_error_set(err, IB_ENOMEM, NULL);
}

static int get_str(const cJSON *o, const char *field, int required, char **out, ib_error *err)
{
	return get_str_or_num(o, field, required, 0, out, err);
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

/* A key given twice in one object: cJSON keeps both and a look-up finds the first, so
 * the second would be lost without a word. */
static int check_dups(const cJSON *o, const char *where, ib_error *err)
{
	for (const cJSON *c = o->child; c; c = c->next)
		for (const cJSON *d = c->next; d; d = d->next)
			if (c->string && d->string && !strcmp(c->string, d->string))
				return ib_error_set(err, IB_EPARSE, "%sfield \"%s\" given twice",
						    where, c->string);
	return IB_OK;
}

static int check_keys(const cJSON *o, const char *const *allowed, const char *where, ib_error *err)
{
	if (check_dups(o, where, err))
		return IB_EPARSE;
	size_t n = 0, next = 0;
	while (allowed[n])
		n++;
	for (const cJSON *c = o->child; c; c = c->next) {
		int ok = 0;
		/* from the key after the last one found: a record this program wrote has its
		   keys in the order of allowed, and an import checks one per line */
		for (size_t k = 0; k < n && !ok; k++) {
			size_t i = (next + k) % n;
			if (strcmp(c->string, allowed[i]) == 0) {
				ok = 1;
				next = i + 1;
			}
		}
		if (!ok)
			return ib_error_set(err, IB_EPARSE, "%sunknown field \"%s\"", where,
					    c->string);
	}
	return IB_OK;
}

static const char *const proposal_keys[] = {
    "id",	 "kommunekode",	 "budget_year", "ref",	   "title",	  "summary",
    "text",	 "area",	 "committee",	"kind",	   "adopted",	  "full_year",
    "effect_kr", "impl_cost_kr", "source",	"page",	   "years",	  "flags",
    "followup",	 "content_hash", "case_key",	"variant", "appearances", NULL,
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
		if (check_dups(f, "flags: ", err) ||
		    text_ok("flags: code", code->valuestring, err) ||
		    text_ok("flags: message", msg->valuestring, err))
			return IB_EPARSE;
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
		rc = get_int_padded(o, "kommunekode", 101, 999, 1, 4, "a 3-digit kommunekode",
				    &p->kommunekode, err);
	if (!rc)
		rc = get_int(o, "budget_year", 1990, 2100, 1, "a year", &p->budget_year, err);
	if (!rc)
		rc = get_str_or_num(o, "ref", 0, 1, &p->ref, err);
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

/* ---- identities seen in an import: a duplicate names both of its places ---------- */

/* 96 bits of the SHA-256 of an identity, and the file (an index of ib_feed_ids.names)
 * and line that gave it (line 0: empty slot).  A million proposals take 24 MB; the
 * proposals themselves are not kept. */
typedef struct seen_entry {
	uint64_t h;
	uint32_t h2;
	uint32_t line;
	uint32_t file;
} seen_entry;

struct ib_feed_ids {
	seen_entry *seen;
	size_t n_seen, cap_seen; /* cap_seen: slots, a power of two */
	char **names;		 /* the feeds read, in order */
	size_t n_names;
};

ib_feed_ids *ib_feed_ids_new(void)
{
	return calloc(1, sizeof(ib_feed_ids));
}

void ib_feed_ids_free(ib_feed_ids *ids)
{
	if (!ids)
		return;
	ib_strings_free(ids->names, ids->n_names);
	free(ids->seen);
	free(ids);
}

/* The state of reading one feed: its name for messages, the identities seen (in this
 * feed and, with a shared ib_feed_ids, the import's earlier feeds), the first duplicate
 * found (reported when the rest of the feed has parsed, so a malformed line anywhere is
 * named first, as a feed is checked whole) and the count of proposals. */
typedef struct feed_state {
	const char *name;
	ib_feed_ids *ids, *own; /* own: made for this feed alone, freed with it */
	uint32_t file;		/* this feed's index in ids->names */
	long dup_line, dup_first;
	uint32_t dup_file; /* where dup_first is */
	int dup_code, dup_year;
	char *dup_title;
	size_t n; /* proposals read */
} feed_state;

/* Start reading the feed name, its identities recorded in ids (NULL: this feed's
 * alone).  IB_OK or IB_ENOMEM (err set); feed_finish() frees st either way. */
static int feed_start(feed_state *st, ib_feed_ids *ids, const char *name, ib_error *err)
{
	memset(st, 0, sizeof *st);
	st->name = name;
	if (!ids && !(ids = st->own = ib_feed_ids_new()))
		return ib_error_set(err, IB_ENOMEM, NULL);
	st->ids = ids;
	if (ib_strings_add(&ids->names, &ids->n_names, name))
		return ib_error_set(err, IB_ENOMEM, NULL);
	st->file = (uint32_t)(ids->n_names - 1);
	return IB_OK;
}

static uint64_t hex_bits(const char *hex, int digits)
{
	uint64_t v = 0;
	for (int i = 0; i < digits; i++) {
		char c = hex[i];
		v = v << 4 | (uint64_t)(c <= '9' ? c - '0' : c - 'a' + 10);
	}
	return v;
}

static int seen_grow(ib_feed_ids *ids)
{
	size_t cap = ids->cap_seen ? ids->cap_seen * 2 : 1024;
	seen_entry *v = calloc(cap, sizeof *v);
	if (!v)
		return IB_ENOMEM;
	for (size_t i = 0; i < ids->cap_seen; i++) {
		if (!ids->seen[i].line)
			continue;
		size_t k = (size_t)ids->seen[i].h & (cap - 1);
		while (v[k].line)
			k = (k + 1) & (cap - 1);
		v[k] = ids->seen[i];
	}
	free(ids->seen);
	ids->seen = v;
	ids->cap_seen = cap;
	return IB_OK;
}

/* Record the identity of p, read at line of st's feed; *first is the earlier line
 * with the same identity (in the feed *file), or 0 when it is new.  IB_ENOMEM, or
 * IB_ETOOBIG past 4e9 lines. */
static int seen_add(feed_state *st, const ib_proposal *p, long line, long *first, uint32_t *file)
{
	ib_feed_ids *ids = st->ids;
	*first = 0;
	if (line <= 0 || (unsigned long)line >= UINT32_MAX)
		return IB_ETOOBIG;
	if ((ids->n_seen + 1) * 2 > ids->cap_seen && seen_grow(ids))
		return IB_ENOMEM;
	char key[2048], hex[65];
	int len = snprintf(key, sizeof key, "%03d|", p->kommunekode);
	ib_proposal_identity(p, key + len, sizeof key - (size_t)len);
	ib_sha256_hex(key, strlen(key), hex);
	uint64_t h = hex_bits(hex, 16);
	uint32_t h2 = (uint32_t)hex_bits(hex + 16, 8);
	size_t k = (size_t)h & (ids->cap_seen - 1);
	for (; ids->seen[k].line; k = (k + 1) & (ids->cap_seen - 1))
		if (ids->seen[k].h == h && ids->seen[k].h2 == h2) {
			*first = ids->seen[k].line;
			*file = ids->seen[k].file;
			return IB_OK;
		}
	ids->seen[k] = (seen_entry){h, h2, (uint32_t)line, st->file};
	ids->n_seen++;
	return IB_OK;
}

/* Take the proposal p read at line into the feed's count.  Returns 1 when p should be
 * kept, 0 when it repeats an earlier line (the first such repeat is remembered for
 * feed_finish) or once a repeat has been found, or -rc on failure (err set). */
static int feed_take(feed_state *st, const ib_proposal *p, long line, ib_error *err)
{
	long first;
	uint32_t file = 0;
	int rc = seen_add(st, p, line, &first, &file);
	if (rc)
		return -ib_error_set(err, rc, rc == IB_ENOMEM ? NULL : "%s:%ld: too many lines",
				     st->name, line);
	st->n++;
	if (first && !st->dup_line) {
		st->dup_line = line;
		st->dup_first = first;
		st->dup_file = file;
		st->dup_code = p->kommunekode;
		st->dup_year = p->budget_year;
		st->dup_title = strdup(p->title);
		if (!st->dup_title)
			return -ib_error_set(err, IB_ENOMEM, NULL);
	}
	return !st->dup_line;
}

/* The end of reading a feed: rc is the reading's outcome.  Without an error, a feed
 * without proposals or with a repeated identity fails: a repeat in another feed of
 * the import names that feed and line too.  Frees st's memory. */
static int feed_finish(feed_state *st, int rc, ib_error *err)
{
	if (!rc && st->n == 0)
		rc = ib_error_set(err, IB_EPARSE, "%s: no proposals in feed", st->name);
	if (!rc && st->dup_line && st->dup_file == st->file)
		rc = ib_error_set(err, IB_EDUP,
				  "%s:%ld: the same proposal as line %ld (kommunekode %03d, budget "
				  "year %d, title '%s')",
				  st->name, st->dup_line, st->dup_first, st->dup_code, st->dup_year,
				  st->dup_title);
	else if (!rc && st->dup_line)
		rc = ib_error_set(err, IB_EDUP,
				  "%s:%ld: the same proposal as %s:%ld (kommunekode %03d, budget "
				  "year %d, title '%s'); one import takes a proposal once",
				  st->name, st->dup_line, st->ids->names[st->dup_file],
				  st->dup_first, st->dup_code, st->dup_year, st->dup_title);
	ib_feed_ids_free(st->own);
	free(st->dup_title);
	return rc;
}

/* ---- bytes no text holds ----------------------------------------------------------- */

static int raw_text_ok(const char *name, const char *text, size_t len, int json, ib_error *err);

/* 1 when a string of the JSON text z[0..len) holds the escape \u0000. */
static int json_nul_escape(const char *z, size_t len)
{
	int in_str = 0;
	for (size_t i = 0; i < len; i++) {
		if (!in_str) {
			in_str = z[i] == '"';
		} else if (z[i] == '"') {
			in_str = 0;
		} else if (z[i] == '\\' && i + 1 < len) {
			if (z[i + 1] == 'u' && i + 5 < len && !memcmp(z + i + 2, "0000", 4))
				return 1;
			i++; /* the escaped character */
		}
	}
	return 0;
}

/* Line `line` of the feed name, z[0..len) (without its '\n'), checked for what cJSON
 * and the CSV reader would pass on silently changed: a NUL byte (a C string ends
 * there, the rest of the text was lost), a byte order mark (U+FEFF, invisible: a file
 * joined to another with cat; one at the start of a file is skipped before this) and,
 * when json, the escape \u0000 in a string (cJSON decodes it into a NUL). */
static int raw_line_ok(const char *name, long line, const char *z, size_t len, int json,
		       ib_error *err)
{
	const char *nul = memchr(z, '\0', len);
	if (nul)
		return ib_error_set(
		    err, IB_EPARSE,
		    "%s:%ld: NUL byte at byte %zu (a feed is text, which holds none)", name, line,
		    (size_t)(nul - z) + 1);
	for (size_t i = 0; i + 2 < len; i++)
		if ((unsigned char)z[i] == 0xEF && (unsigned char)z[i + 1] == 0xBB &&
		    (unsigned char)z[i + 2] == 0xBF)
			return ib_error_set(err, IB_EPARSE,
					    "%s:%ld: byte order mark U+FEFF inside the file "
					    "(invisible; left by joining files?)",
					    name, line);
	if (json && json_nul_escape(z, len))
		return ib_error_set(err, IB_EPARSE,
				    "%s:%ld: \\u0000 in a string (a text holds no NUL character)",
				    name, line);
	return IB_OK;
}

/* Every line of text[0..len) (a byte order mark at its start skipped) valid UTF-8 and
 * raw_line_ok(), the first bad line named. */
int ib_feed_raw_ok(const char *name, const char *text, size_t len, ib_error *err)
{
	return raw_text_ok(name, text, len, 0, err);
}

int ib_feed_text_ok(const char *field, const char *z, ib_error *err)
{
	return text_ok(field, z, err);
}

static int raw_text_ok(const char *name, const char *text, size_t len, int json, ib_error *err)
{
	const char *p = text, *end = text + len;
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	for (long line = 1; p < end; line++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		size_t bad = ib_utf8_invalid_at(p, (size_t)(e - p));
		if (bad < (size_t)(e - p))
			return ib_error_set(err, IB_EPARSE, "%s:%ld: not valid UTF-8 (byte 0x%02X)",
					    name, line, (unsigned char)p[bad]);
		if (raw_line_ok(name, line, p, (size_t)(e - p), json, err))
			return IB_EPARSE;
		p = e + 1;
	}
	return IB_OK;
}

/* Parse one line of a JSON Lines feed (len bytes, no '\n') into *out; *out stays NULL
 * for a blank line.  Errors are prefixed with "name:line". */
static int parse_line(const char *name, long line, const char *z, size_t len, ib_proposal **out,
		      ib_error *err)
{
	*out = NULL;
	const char *e = z + len;
	while (z < e && isspace((unsigned char)*z))
		z++;
	if (z == e)
		return IB_OK;
	cJSON *o = cJSON_ParseWithLength(z, (size_t)(e - z));
	if (!o)
		return ib_error_set(err, IB_EPARSE, "%s:%ld: invalid JSON", name, line);
	int rc = proposal_from_json(o, out, err);
	cJSON_Delete(o);
	if (rc)
		ib_error_prefix(err, "%s:%ld", name, line);
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

/* Keep p (read at line) in tmp unless it repeats an earlier identity; frees it if not. */
static int keep_proposal(feed_state *st, ib_proposal_list *tmp, ib_proposal *p, long line,
			 ib_error *err)
{
	int keep = feed_take(st, p, line, err);
	if (keep <= 0) {
		ib_proposal_free(p);
		return -keep;
	}
	return ib_proposal_list_push(tmp, p) ? ib_error_set(err, IB_ENOMEM, NULL) : IB_OK;
}

int ib_feed_parse_jsonl(const char *name, const char *text, size_t len, ib_proposal_list *out,
			ib_error *err)
{
	return ib_feed_parse_jsonl_in(NULL, name, text, len, out, err);
}

int ib_feed_parse_jsonl_in(ib_feed_ids *ids, const char *name, const char *text, size_t len,
			   ib_proposal_list *out, ib_error *err)
{
	/* Every line's bytes first, then the JSON, as import's scan and stream read a file:
	 * the same bytes give the same first error either way. */
	if (raw_text_ok(name, text, len, 1, err))
		return IB_EPARSE;
	ib_proposal_list tmp = {0};
	feed_state st;
	const char *p = text, *end = text + len;
	long line = 0;
	int rc = feed_start(&st, ids, name, err);
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	while (p < end && !rc) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		ib_proposal *prop = NULL;
		rc = parse_line(name, ++line, p, (size_t)(e - p), &prop, err);
		if (!rc && prop)
			rc = keep_proposal(&st, &tmp, prop, line, err);
		p = e + 1;
	}
	rc = feed_finish(&st, rc, err);
	if (rc) {
		ib_proposal_list_free(&tmp);
		return rc;
	}
	return commit_list(&tmp, out, err);
}

/* ---- JSON Lines from a file, line by line ----------------------------------------- */

/* A file read in chunks, handed out a line at a time; a line may hold up to
 * IB_FEED_LINE_CAP bytes. */
typedef struct line_reader {
	const char *name;
	FILE *f;
	int own; /* f was opened here, and is closed here */
	char *chunk;
	size_t pos, len;
	ib_buf line; /* the current line, without its '\n' */
	long n;	     /* lines read */
	int nl;	     /* 1 when the current line ended with '\n' */
} line_reader;

enum { CHUNK = 1 << 16 };

/* Read from f, which stays the caller's (NULL: open path). */
static int reader_open(line_reader *r, FILE *f, const char *path, const char *name, ib_error *err)
{
	memset(r, 0, sizeof *r);
	r->name = name;
	ib_buf_init(&r->line, IB_FEED_LINE_CAP);
	r->chunk = malloc(CHUNK);
	if (!r->chunk)
		return ib_error_set(err, IB_ENOMEM, NULL);
	r->f = f;
	if (!f) {
		r->own = 1;
		r->f = fopen(path, "rb");
		if (!r->f)
			return ib_error_set(err, IB_EIO, "cannot open '%s': %s", path,
					    strerror(errno));
	}
	return IB_OK;
}

static void reader_close(line_reader *r)
{
	if (r->f && r->own)
		fclose(r->f);
	free(r->chunk);
	ib_buf_free(&r->line);
}

/* Read the next line into r->line.  Returns 1 with a line, 0 at the end of the file, or
 * -rc: IB_EIO, IB_ENOMEM, or IB_ETOOBIG for a line over the cap (err names the line). */
static int reader_next(line_reader *r, ib_error *err)
{
	ib_buf_reset(&r->line);
	for (;;) {
		if (r->pos == r->len) {
			r->pos = 0;
			r->len = fread(r->chunk, 1, CHUNK, r->f);
			if (!r->len) {
				if (ferror(r->f))
					return -ib_error_set(err, IB_EIO, "cannot read '%s': %s",
							     r->name, strerror(errno));
				if (!r->line.n)
					return 0;
				r->n++;
				r->nl = 0;
				return 1;
			}
		}
		const char *at = r->chunk + r->pos;
		const char *nl = memchr(at, '\n', r->len - r->pos);
		size_t k = nl ? (size_t)(nl - at) : r->len - r->pos;
		int rc = ib_buf_add(&r->line, at, k);
		if (rc == IB_ETOOBIG)
			return -ib_error_set(
			    err, rc, "%s:%ld: line longer than %zu MiB (one proposal a line)",
			    r->name, r->n + 1, (size_t)IB_FEED_LINE_CAP >> 20);
		if (rc)
			return -ib_error_set(err, rc, NULL);
		r->pos += k;
		if (nl) {
			r->pos++;
			r->n++;
			r->nl = 1;
			return 1;
		}
	}
}

/* The current line past a UTF-8 byte order mark on the first line. */
static const char *line_text(const line_reader *r, size_t *len)
{
	const char *z = ib_buf_str(&r->line);
	*len = r->line.n;
	if (r->n == 1 && *len >= 3 && memcmp(z, "\xEF\xBB\xBF", 3) == 0) {
		z += 3;
		*len -= 3;
	}
	return z;
}

/* IB_OK when the current line is valid UTF-8, else IB_EPARSE naming it and the byte. */
static int line_utf8(const line_reader *r, ib_error *err)
{
	size_t bad = ib_utf8_invalid_at(r->line.z, r->line.n);
	if (bad == r->line.n)
		return IB_OK;
	return ib_error_set(err, IB_EPARSE, "%s:%ld: not valid UTF-8 (byte 0x%02X)", r->name, r->n,
			    (unsigned char)r->line.z[bad]);
}

static int scan(FILE *f, const char *path, const char *name, ib_feed_scan *out, ib_error *err)
{
	line_reader r;
	memset(out, 0, sizeof *out);
	int rc = reader_open(&r, f, path, name, err), got = 0;
	while (!rc && (got = reader_next(&r, err)) > 0) {
		size_t len;
		const char *z = line_text(&r, &len);
		if (r.n == 1 && (out->ref = (int)ib_ref_detect(z, len)) != IB_REF_NONE)
			break; /* a reference file, not a feed */
		rc = line_utf8(&r, err);
		if (!rc)
			rc = raw_line_ok(name, r.n, z, len, 1, err);
		while (len && isspace((unsigned char)*z))
			z++, len--;
		if (len)
			out->n++;
		out->bytes += r.line.n + r.nl;
		out->ends_with_newline = r.nl;
	}
	if (!rc && got < 0)
		rc = -got;
	if (!rc && out->n == 0 && out->ref == IB_REF_NONE)
		rc = ib_error_set(err, IB_EPARSE, "%s: no proposals in feed", name);
	reader_close(&r);
	return rc;
}

int ib_feed_scan_jsonl(const char *path, const char *name, ib_feed_scan *out, ib_error *err)
{
	return scan(NULL, path, name, out, err);
}

int ib_feed_scan_jsonl_file(FILE *f, const char *name, ib_feed_scan *out, ib_error *err)
{
	return scan(f, NULL, name, out, err);
}

static int stream(FILE *f, const char *path, const char *name, ib_feed_ids *ids, ib_feed_sink sink,
		  void *ctx, ib_error *err)
{
	line_reader r;
	feed_state st;
	int rc = feed_start(&st, ids, name, err), got = 0;
	if (!rc)
		rc = reader_open(&r, f, path, name, err);
	else
		memset(&r, 0, sizeof r);
	while (!rc && (got = reader_next(&r, err)) > 0) {
		size_t len;
		const char *z = line_text(&r, &len);
		ib_proposal *p = NULL;
		rc = line_utf8(&r, err);
		if (!rc)
			rc = raw_line_ok(name, r.n, z, len, 1, err);
		if (!rc)
			rc = parse_line(name, r.n, z, len, &p, err);
		if (rc || !p)
			continue;
		int keep = feed_take(&st, p, r.n, err);
		if (keep > 0) {
			rc = sink(ctx, p, r.n, err);
		} else {
			ib_proposal_free(p);
			rc = -keep;
		}
	}
	if (!rc && got < 0)
		rc = -got;
	reader_close(&r);
	return feed_finish(&st, rc, err);
}

int ib_feed_stream_jsonl(const char *path, const char *name, ib_feed_sink sink, void *ctx,
			 ib_error *err)
{
	return stream(NULL, path, name, NULL, sink, ctx, err);
}

int ib_feed_stream_jsonl_file(FILE *f, const char *name, ib_feed_ids *ids, ib_feed_sink sink,
			      void *ctx, ib_error *err)
{
	return stream(f, NULL, name, ids, sink, ctx, err);
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
			if (json_nul_escape(cell, strlen(cell))) {
				cJSON_Delete(o);
				return ib_error_set(err, IB_EPARSE,
						    "%s: \\u0000 in a string (a text holds no NUL "
						    "character)",
						    key);
			}
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
	return ib_feed_parse_csv_in(NULL, name, text, len, out, err);
}

int ib_feed_parse_csv_in(ib_feed_ids *ids, const char *name, const char *text, size_t len,
			 ib_proposal_list *out, ib_error *err)
{
	if (ib_utf8_check(name, text, len, err) || raw_text_ok(name, text, len, 0, err))
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
	/* a column named twice: the second would be lost as a key given twice is */
	const ib_csv_row *h = &csv.rows[0];
	for (size_t i = 0; i < h->n && !rc; i++)
		for (size_t k = i + 1; k < h->n && !rc; k++)
			if (!strcmp(h->f[i], h->f[k]))
				rc =
				    ib_error_set(err, IB_EPARSE, "%s:%d: column \"%s\" given twice",
						 name, h->line, h->f[i]);
	if (rc) {
		ib_csv_free(&csv);
		return rc;
	}
	ib_proposal_list tmp = {0};
	feed_state st;
	rc = feed_start(&st, ids, name, err);
	for (size_t i = 1; i < csv.n && !rc; i++) {
		cJSON *o = NULL;
		ib_proposal *prop = NULL;
		rc = csv_row_to_json(&csv.rows[0], &csv.rows[i], &o, err);
		if (!rc)
			rc = proposal_from_json(o, &prop, err);
		if (rc)
			ib_error_prefix(err, "%s:%d", name, csv.rows[i].line);
		else
			rc = keep_proposal(&st, &tmp, prop, csv.rows[i].line, err);
		cJSON_Delete(o);
	}
	ib_csv_free(&csv);
	rc = feed_finish(&st, rc, err);
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
