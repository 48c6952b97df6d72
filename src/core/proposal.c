/* proposal.c - the proposal record: allocation, years, flags, and the fixed lists
 * of areas and kinds. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ideabank/array.h"
#include "ideabank/error.h"
#include "ideabank/num.h"
#include "ideabank/proposal.h"

const char *const ib_areas[] = {
    "Administration",	"Beskæftigelse og Erhverv",
    "Teknik og miljø",	"Ældre og sundhed",
    "Kultur og fritid", "Daginstitutioner",
    "Udsatte børn",	"Udsatte voksne og borgere med handicap",
    "Skoler",
};
const size_t ib_n_areas = sizeof ib_areas / sizeof ib_areas[0];

const char *const ib_kinds[] = {
    "effektivisering", "investering", "servicereduktion", "innovation", "andet",
};
const size_t ib_n_kinds = sizeof ib_kinds / sizeof ib_kinds[0];

/* net_mismatch, net_sign_reversed: the rows against the printed net, per year;
 * overview_mismatch: a proposal's page against the document's overview table;
 * total_mismatch: a printed total against its parts; parts_mismatch: a printed
 * subtotal (Samlet varig ændring, Samlede implementeringsomkostninger) against the
 * rows above it. */
const char *const ib_inconsistency_flags[] = {
    "net_mismatch",   "net_sign_reversed", "overview_mismatch",
    "total_mismatch", "parts_mismatch",	   NULL,
};

int ib_flag_is_inconsistency(const char *code)
{
	for (size_t i = 0; code && ib_inconsistency_flags[i]; i++)
		if (!strcmp(code, ib_inconsistency_flags[i]))
			return 1;
	return 0;
}

void ib_fold_ascii(const char *z, char *out, size_t n)
{
	size_t j = 0;
	const unsigned char *p = (const unsigned char *)z;
	while (*p && j + 3 < n) {
		if (p[0] == 0xC3 && p[1]) {
			const char *rep = NULL;
			switch (p[1]) {
			case 0xA6:
			case 0x86:
				rep = "ae";
				break;
			case 0xB8:
			case 0x98:
				rep = "oe";
				break;
			case 0xA5:
			case 0x85:
				rep = "aa";
				break;
			}
			if (rep) {
				out[j++] = rep[0];
				out[j++] = rep[1];
				p += 2;
				continue;
			}
		}
		out[j++] = (*p >= 'A' && *p <= 'Z') ? (char)(*p + 32) : (char)*p;
		p++;
	}
	out[j] = '\0';
}

void ib_fold_key(const char *z, char *out, size_t n)
{
	char a[512];
	ib_fold_ascii(z, a, sizeof a);
	size_t j = 0;
	for (const char *p = a; *p && j + 1 < n; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || (*p & 0x80)))
			continue; /* "Høje-Taastrup" is "Høje Taastrup" */
		out[j++] = *p;
		/* ø typed as o or oe, å as a or aa (æ is always ae) */
		if ((p[0] == 'o' && p[1] == 'e') || (p[0] == 'a' && p[1] == 'a'))
			p++;
	}
	if (n)
		out[j] = '\0';
}

static const char *canonical(const char *const *list, size_t n, const char *z)
{
	if (!z)
		return NULL;
	char a[256], b[256];
	ib_fold_key(z, a, sizeof a);
	for (size_t i = 0; i < n; i++) {
		ib_fold_key(list[i], b, sizeof b);
		if (strcmp(a, b) == 0)
			return list[i];
	}
	return NULL;
}

const char *ib_area_canonical(const char *z)
{
	return canonical(ib_areas, ib_n_areas, z);
}

const char *ib_kind_canonical(const char *z)
{
	return canonical(ib_kinds, ib_n_kinds, z);
}

ib_proposal *ib_proposal_new(void)
{
	ib_proposal *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->adopted = IB_ADOPTED_UNKNOWN;
	p->effect_kr = IB_NA;
	p->impl_cost_kr = IB_NA;
	return p;
}

void ib_followup_free(ib_followup *f)
{
	if (!f)
		return;
	IB_FREE_ALL(f->adoption, f->full_implementation, f->status, f->remark, f->source, f);
}

void ib_proposal_free(ib_proposal *p)
{
	if (!p)
		return;
	IB_FREE_ALL(p->ref, p->title, p->summary, p->text, p->committee, p->source, p->content_hash,
		    p->years);
	for (size_t i = 0; i < p->n_flags; i++) {
		free(p->flags[i].code);
		free(p->flags[i].message);
	}
	free(p->flags);
	ib_followup_free(p->followup);
	free(p->case_key);
	free(p->variant);
	for (size_t i = 0; i < p->n_appearances; i++) {
		ib_appearance *a = &p->appearances[i];
		IB_FREE_ALL(a->committee, a->date, a->item, a->decision, a->url);
	}
	free(p->appearances);
	free(p);
}

int ib_proposal_add_appearance(ib_proposal *p, const ib_appearance *a)
{
	ib_appearance c = {0};
	if (ib_strset(&c.committee, a->committee) || ib_strset(&c.date, a->date) ||
	    ib_strset(&c.item, a->item) || ib_strset(&c.decision, a->decision) ||
	    ib_strset(&c.url, a->url) || IB_APPEND(p->appearances, p->n_appearances, c)) {
		IB_FREE_ALL(c.committee, c.date, c.item, c.decision, c.url);
		return IB_ENOMEM;
	}
	return IB_OK;
}

void ib_proposal_identity(const ib_proposal *p, char *out, size_t n)
{
	if (p->case_key)
		snprintf(out, n, "case|%s|%s", p->case_key, p->variant ? p->variant : "");
	else if (p->ref)
		snprintf(out, n, "doc|%d|%s|%s|%s", p->budget_year, p->source ? p->source : "",
			 p->ref, p->variant ? p->variant : "");
	else
		snprintf(out, n, "doc|%d|%s|p%d|%s|%s", p->budget_year,
			 p->source ? p->source : "", p->page, p->title ? p->title : "",
			 p->variant ? p->variant : "");
}

ib_proposal_year ib_proposal_year_blank(int year)
{
	ib_proposal_year y = {year, IB_NA, IB_NA, IB_NA, IB_NA, IB_NA, 0, 0};
	return y;
}

int ib_proposal_add_year(ib_proposal *p, const ib_proposal_year *y)
{
	return IB_APPEND(p->years, p->n_years, *y);
}

int ib_proposal_add_flag(ib_proposal *p, const char *code, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	ib_flag f = {strdup(code), strdup(msg)};
	if (!f.code || !f.message || IB_APPEND(p->flags, p->n_flags, f)) {
		IB_FREE_ALL(f.code, f.message);
		return IB_ENOMEM;
	}
	return IB_OK;
}

int ib_strset(char **dst, const char *src)
{
	char *z = NULL;
	if (src && !(z = strdup(src)))
		return IB_ENOMEM;
	free(*dst);
	*dst = z;
	return IB_OK;
}

int ib_proposal_list_push(ib_proposal_list *l, ib_proposal *p)
{
	if (IB_GROW(l->items, l->n, l->alloc, 16)) {
		ib_proposal_free(p);
		return IB_ENOMEM;
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
