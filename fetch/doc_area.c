/* doc_area.c - KL fagområde from a proposal's committee, title and summary.
 *
 * The rules are data/area_rules.csv, compiled into the program (build/gen): columns
 * felt (titel, udvalg or resume), indeholder (text to look for, compared without case
 * and with æ/ø/å folded), omraade (one of KL's nine areas), kommunekode (the one
 * municipality a rule holds in, such as a committee's abbreviation; empty = all) and
 * begrundelse.  Rules are tried top to bottom; the first whose text occurs in the named
 * field wins.  Title rules come first because one committee can span several areas. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "ideabank/doc.h"

extern const char ib_area_rules_csv[];

static const char *field_of(const ib_proposal *p, const char *felt)
{
	if (!strcmp(felt, "titel"))
		return p->title;
	if (!strcmp(felt, "udvalg"))
		return p->committee;
	if (!strcmp(felt, "resume"))
		return p->summary;
	return NULL;
}

static ib_csv rules;
static int loaded; /* 1 loaded, -1 failed */
static pthread_once_t load_once = PTHREAD_ONCE_INIT;

static void load_rules(void)
{
	loaded =
	    ib_csv_parse(ib_area_rules_csv, strlen(ib_area_rules_csv), ';', &rules, NULL) == IB_OK
		? 1
		: -1;
}

const char *ib_doc_area_in(const ib_proposal *p, int kommunekode)
{
	pthread_once(&load_once, load_rules);
	if (loaded < 0 || rules.n < 2)
		return NULL;
	for (size_t i = 1; i < rules.n; i++) {
		const ib_csv_row *r = &rules.rows[i];
		if (r->n < 4 || (*r->f[3] && atoi(r->f[3]) != kommunekode))
			continue;
		const char *z = field_of(p, r->f[0]);
		const char *area = ib_area_canonical(r->f[2]);
		if (!z || !area)
			continue;
		size_t n = strlen(z) * 2 + 1;
		char *hay = malloc(n);
		char needle[256];
		if (!hay)
			return NULL;
		ib_fold_ascii(z, hay, n);
		ib_fold_ascii(r->f[1], needle, sizeof needle);
		int hit = *needle && strstr(hay, needle) != NULL;
		free(hay);
		if (hit)
			return area;
	}
	return NULL;
}

const char *ib_doc_area(const ib_proposal *p)
{
	return ib_doc_area_in(p, p->kommunekode);
}
