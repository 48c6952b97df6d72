/* proposal_json.c - a proposal as one line of the JSON Lines feed (the canonical
 * form, also hashed for the content hash). */
#include <stdio.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "ideabank/buf.h"
#include "ideabank/error.h"
#include "ideabank/feed.h"
#include "ideabank/num.h"

/* The tree lives only while it is printed, so its keys (string literals) and string
 * values (the proposal's) are referenced, not copied: the store builds one per put for
 * the content hash.  The printed text is the same either way. */
static void add_str(cJSON *o, const char *k, const char *v)
{
	cJSON_AddItemToObjectCS(o, k, v ? cJSON_CreateStringReference(v) : cJSON_CreateNull());
}

static void add_num(cJSON *o, const char *k, double v)
{
	cJSON_AddItemToObjectCS(o, k, ib_is_na(v) ? cJSON_CreateNull() : cJSON_CreateNumber(v));
}

static void add_int0(cJSON *o, const char *k, int v)
{
	cJSON_AddItemToObjectCS(o, k, v ? cJSON_CreateNumber(v) : cJSON_CreateNull());
}

static const char *tri(int v)
{
	return v == 1 ? "yes" : v == 0 ? "no" : "unknown";
}

int ib_feed_write_jsonl(ib_buf *b, const ib_proposal *p, int with_id)
{
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return IB_ENOMEM;
	char code[8];
	snprintf(code, sizeof code, "%03d", p->kommunekode);
	if (with_id)
		cJSON_AddNumberToObject(o, "id", (double)p->id);
	cJSON_AddStringToObject(o, "kommunekode", code);
	cJSON_AddNumberToObject(o, "budget_year", p->budget_year);
	add_str(o, "ref", p->ref);
	add_str(o, "title", p->title);
	add_str(o, "summary", p->summary);
	add_str(o, "text", p->text);
	add_str(o, "area", p->area);
	add_str(o, "committee", p->committee);
	add_str(o, "kind", p->kind);
	cJSON_AddStringToObject(o, "adopted", tri(p->adopted));
	add_int0(o, "full_year", p->full_year);
	add_num(o, "effect_kr", p->effect_kr);
	add_num(o, "impl_cost_kr", p->impl_cost_kr);
	add_str(o, "source", p->source);
	add_int0(o, "page", p->page);
	cJSON *years = cJSON_AddArrayToObject(o, "years");
	for (size_t i = 0; years && i < p->n_years; i++) {
		const ib_proposal_year *y = &p->years[i];
		cJSON *r = cJSON_CreateObject();
		if (!r)
			break;
		cJSON_AddNumberToObject(r, "year", y->year);
		add_num(r, "net", y->net);
		add_num(r, "investment", y->investment);
		add_num(r, "expenses", y->expenses);
		add_num(r, "income", y->income);
		add_num(r, "fte", y->fte);
		add_int0(r, "page", y->page);
		add_int0(r, "line", y->line);
		cJSON_AddItemToArray(years, r);
	}
	cJSON *flags = cJSON_AddArrayToObject(o, "flags");
	for (size_t i = 0; flags && i < p->n_flags; i++) {
		cJSON *r = cJSON_CreateObject();
		if (!r)
			break;
		add_str(r, "code", p->flags[i].code);
		add_str(r, "message", p->flags[i].message);
		cJSON_AddItemToArray(flags, r);
	}
	if (p->followup) {
		const ib_followup *f = p->followup;
		cJSON *r = cJSON_AddObjectToObject(o, "followup");
		if (r) {
			add_str(r, "adoption", f->adoption);
			add_num(r, "total_investment_kr", f->total_investment_kr);
			add_num(r, "effect_full_kr", f->effect_full_kr);
			add_str(r, "full_implementation", f->full_implementation);
			cJSON_AddStringToObject(r, "compensating", tri(f->compensating));
			add_str(r, "status", f->status);
			add_str(r, "remark", f->remark);
			add_str(r, "source", f->source);
			add_int0(r, "page", f->page);
		}
	}
	/* newer optional keys only when set, so older records keep their content hash */
	if (p->case_key)
		cJSON_AddStringToObject(o, "case_key", p->case_key);
	if (p->variant)
		cJSON_AddStringToObject(o, "variant", p->variant);
	cJSON *apps = p->n_appearances ? cJSON_AddArrayToObject(o, "appearances") : NULL;
	for (size_t i = 0; apps && i < p->n_appearances; i++) {
		const ib_appearance *a = &p->appearances[i];
		cJSON *r = cJSON_CreateObject();
		if (!r)
			break;
		add_str(r, "committee", a->committee);
		add_str(r, "date", a->date);
		add_str(r, "item", a->item);
		add_str(r, "decision", a->decision);
		add_str(r, "url", a->url);
		cJSON_AddItemToArray(apps, r);
	}
	if (with_id)
		add_str(o, "content_hash", p->content_hash);
	char *z = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (!z)
		return IB_ENOMEM;
	int rc = ib_buf_adds(b, z);
	if (!rc)
		rc = ib_buf_addc(b, '\n');
	cJSON_free(z);
	return rc;
}
