/* proposal_json.c - a proposal as one line of the JSON Lines feed (the canonical
 * form, also hashed for the content hash). */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ideabank/buf.h"
#include "ideabank/error.h"
#include "ideabank/proposal.h"
#include "ideabank/num.h"

/* The record is written straight into the buffer, byte for byte as cJSON_PrintUnformatted
 * printed the cJSON tree this file used to build (every stored content hash is over
 * these bytes): keys in a fixed order, no spaces, strings escaped as cJSON escapes
 * them, numbers printed by cJSON itself.  An import hashes one record per proposal, and
 * the tree's allocations and copies were a tenth of its time. */
typedef struct jw {
	ib_buf *b;
	int rc;	   /* sticky: the first failure */
	int first; /* nothing written yet in the current object or array */
} jw;

/* Append z[0..n): in place while the buffer has room (a record is a few dozen of these),
 * else through ib_buf_add, which grows it or fails. */
static inline void put(jw *w, const char *z, size_t n)
{
	ib_buf *b = w->b;
	if (!w->rc && b->n + n < b->alloc && b->n + n <= b->cap) {
		memcpy(b->z + b->n, z, n);
		b->n += n;
		b->z[b->n] = '\0';
	} else if (!w->rc) {
		w->rc = ib_buf_add(b, z, n);
	}
}

/* The bytes a JSON string cannot hold as they are: below 32, '"' and '\\'. */
static const unsigned char escaped[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, ['"'] = 1, ['\\'] = 1};

/* A JSON string as cJSON prints it: \" \\ \b \f \n \r \t, other bytes below 32 as
 * \u00xx, everything else (UTF-8 included) as it is. */
static void put_str(jw *w, const char *z)
{
	const unsigned char *p = (const unsigned char *)z, *run = p;
	put(w, "\"", 1);
	for (; *p; p++) {
		if (!escaped[*p])
			continue; /* the common case: one look-up per byte */
		put(w, (const char *)run, (size_t)(p - run));
		char esc[8];
		switch (*p) {
		case '"':
		case '\\':
			esc[0] = '\\', esc[1] = (char)*p, esc[2] = '\0';
			break;
		case '\b':
			memcpy(esc, "\\b", 3);
			break;
		case '\f':
			memcpy(esc, "\\f", 3);
			break;
		case '\n':
			memcpy(esc, "\\n", 3);
			break;
		case '\r':
			memcpy(esc, "\\r", 3);
			break;
		case '\t':
			memcpy(esc, "\\t", 3);
			break;
		default:
			snprintf(esc, sizeof esc, "\\u%04x", *p);
		}
		put(w, esc, strlen(esc));
		run = p + 1;
	}
	put(w, (const char *)run, (size_t)(p - run));
	put(w, "\"", 1);
}

/* A number as cJSON 1.7 prints it: %1.15g, or %1.17g when that does not read back;
 * NaN and infinities as null. */
static void put_number(jw *w, double v)
{
	if (v >= INT_MIN && v <= INT_MAX && v == (double)(int)v && !(v == 0 && signbit(v))) {
		/* a whole number of up to 10 digits, as cJSON's %1.15g prints it (-0.0 is
		 * "-0" there), without cJSON_PrintPreallocated's locale look-up and sprintf:
		 * most of the record's numbers are years and whole kroner */
		char z[16], *e = z + sizeof z, *q = e;
		long long x = (int)v;
		int neg = x < 0;
		unsigned long long u = neg ? (unsigned long long)-x : (unsigned long long)x;
		do
			*--q = (char)('0' + u % 10);
		while ((u /= 10) > 0);
		if (neg)
			*--q = '-';
		put(w, q, (size_t)(e - q));
		return;
	}
	cJSON n;
	memset(&n, 0, sizeof n);
	n.type = cJSON_Number;
	cJSON_SetNumberHelper(&n, v);
	char z[64];
	if (!cJSON_PrintPreallocated(&n, z, (int)sizeof z, 0)) {
		if (!w->rc)
			w->rc = IB_ENOMEM;
		return;
	}
	put(w, z, strlen(z));
}

/* The separator before the next key or element. */
static void next(jw *w)
{
	if (!w->first)
		put(w, ",", 1);
	w->first = 0;
}

/* A key: the literals below, which need no escaping. */
static void key(jw *w, const char *k)
{
	next(w);
	put(w, "\"", 1);
	put(w, k, strlen(k));
	put(w, "\":", 2);
}

static void open_(jw *w, const char *c)
{
	put(w, c, 1);
	w->first = 1;
}

static void close_(jw *w, const char *c)
{
	put(w, c, 1);
	w->first = 0;
}

static void add_str(jw *w, const char *k, const char *v)
{
	key(w, k);
	if (v)
		put_str(w, v);
	else
		put(w, "null", 4);
}

static void add_num(jw *w, const char *k, double v)
{
	key(w, k);
	if (ib_is_na(v))
		put(w, "null", 4);
	else
		put_number(w, v);
}

static void add_int0(jw *w, const char *k, int v)
{
	key(w, k);
	if (v)
		put_number(w, v);
	else
		put(w, "null", 4);
}

static const char *tri(int v)
{
	return v == 1 ? "yes" : v == 0 ? "no" : "unknown";
}

int ib_proposal_write_jsonl(ib_buf *b, const ib_proposal *p, int with_id)
{
	jw w = {b, IB_OK, 1};
	char code[8];
	snprintf(code, sizeof code, "%03d", p->kommunekode);
	open_(&w, "{");
	if (with_id) {
		key(&w, "id");
		put_number(&w, (double)p->id);
	}
	add_str(&w, "kommunekode", code);
	key(&w, "budget_year");
	put_number(&w, p->budget_year);
	add_str(&w, "ref", p->ref);
	add_str(&w, "title", p->title);
	add_str(&w, "summary", p->summary);
	add_str(&w, "text", p->text);
	add_str(&w, "area", p->area);
	add_str(&w, "committee", p->committee);
	add_str(&w, "kind", p->kind);
	add_str(&w, "adopted", tri(p->adopted));
	add_int0(&w, "full_year", p->full_year);
	add_num(&w, "effect_kr", p->effect_kr);
	add_num(&w, "impl_cost_kr", p->impl_cost_kr);
	add_str(&w, "source", p->source);
	add_int0(&w, "page", p->page);
	key(&w, "years");
	open_(&w, "[");
	for (size_t i = 0; i < p->n_years; i++) {
		const ib_proposal_year *y = &p->years[i];
		next(&w);
		open_(&w, "{");
		key(&w, "year");
		put_number(&w, y->year);
		add_num(&w, "net", y->net);
		add_num(&w, "investment", y->investment);
		add_num(&w, "expenses", y->expenses);
		add_num(&w, "income", y->income);
		add_num(&w, "fte", y->fte);
		add_int0(&w, "page", y->page);
		add_int0(&w, "line", y->line);
		close_(&w, "}");
	}
	close_(&w, "]");
	key(&w, "flags");
	open_(&w, "[");
	for (size_t i = 0; i < p->n_flags; i++) {
		next(&w);
		open_(&w, "{");
		add_str(&w, "code", p->flags[i].code);
		add_str(&w, "message", p->flags[i].message);
		close_(&w, "}");
	}
	close_(&w, "]");
	if (p->followup) {
		const ib_followup *f = p->followup;
		key(&w, "followup");
		open_(&w, "{");
		add_str(&w, "adoption", f->adoption);
		add_num(&w, "total_investment_kr", f->total_investment_kr);
		add_num(&w, "effect_full_kr", f->effect_full_kr);
		add_str(&w, "full_implementation", f->full_implementation);
		add_str(&w, "compensating", tri(f->compensating));
		add_str(&w, "status", f->status);
		add_str(&w, "remark", f->remark);
		add_str(&w, "source", f->source);
		add_int0(&w, "page", f->page);
		close_(&w, "}");
	}
	/* newer optional keys only when set, so older records keep their content hash */
	if (p->case_key)
		add_str(&w, "case_key", p->case_key);
	if (p->variant)
		add_str(&w, "variant", p->variant);
	if (p->n_appearances) {
		key(&w, "appearances");
		open_(&w, "[");
		for (size_t i = 0; i < p->n_appearances; i++) {
			const ib_appearance *a = &p->appearances[i];
			next(&w);
			open_(&w, "{");
			add_str(&w, "committee", a->committee);
			add_str(&w, "date", a->date);
			add_str(&w, "item", a->item);
			add_str(&w, "decision", a->decision);
			add_str(&w, "url", a->url);
			close_(&w, "}");
		}
		close_(&w, "]");
	}
	if (with_id)
		add_str(&w, "content_hash", p->content_hash);
	close_(&w, "}");
	put(&w, "\n", 1);
	return w.rc;
}
