/* portals.c - the built-in table of agenda portals (data/agenda_portals.csv) and the
 * addresses a portal gives its meetings and items.  See portals.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "ideabank/portals.h"

extern const char ib_agenda_portals_csv[]; /* data/agenda_portals.csv, built in */

/* A portal from a row of data/agenda_portals.csv (ib_csv_record_fn), its columns found
 * by the header h's names. */
static int read_portal(const ib_csv_row *h, const ib_csv_row *r, void *rec, ib_error *err)
{
	ib_portal *x = rec;
	int c_code = ib_csv_col(h, "kommunekode"), c_name = ib_csv_col(h, "kommune"),
	    c_sys = ib_csv_col(h, "system"), c_host = ib_csv_col(h, "host");
	if (c_code < 0 || c_name < 0 || c_sys < 0 || c_host < 0)
		return ib_error_set(err, IB_EPARSE, "data/agenda_portals.csv: unexpected header");
	if (r->n != h->n || strlen(r->f[c_code]) != 3 || strspn(r->f[c_code], "0123456789") != 3)
		return ib_error_set(err, IB_EPARSE, "data/agenda_portals.csv:%d: bad row", r->line);
	x->kommunekode = atoi(r->f[c_code]);
	snprintf(x->kommune, sizeof x->kommune, "%s", r->f[c_name]);
	snprintf(x->system, sizeof x->system, "%s", r->f[c_sys]);
	snprintf(x->host, sizeof x->host, "%s", r->f[c_host]);
	return IB_OK;
}

int ib_portals(ib_portal **out, size_t *n, ib_error *err)
{
	return IB_CSV_RECORDS(ib_agenda_portals_csv, read_portal, *out, *n, err);
}

const ib_portal *ib_portal_of(const ib_portal *p, size_t n, int kommunekode)
{
	for (size_t i = 0; i < n; i++)
		if (p[i].kommunekode == kommunekode)
			return &p[i];
	return NULL;
}

int ib_portal_supported(const ib_portal *p)
{
	return p && !strcmp(p->system, "firstagenda") && p->host[0];
}

/* z percent-encoded where a URL's query needs it, appended at out[*k] (n bytes). */
static void add_escaped(char *out, size_t n, size_t *k, const char *z)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)z; *p && *k + 4 < n; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p)) {
			out[(*k)++] = (char)*p;
		} else {
			out[(*k)++] = '%';
			out[(*k)++] = hex[*p >> 4];
			out[(*k)++] = hex[*p & 15];
		}
	}
	out[*k] = 0;
}

void ib_portal_item_url(const char *site, const char *meeting, const char *item, const char *no,
			char *out, size_t n)
{
	if (!n)
		return;
	int w = snprintf(out, n, "%s/vis?id=", site);
	size_t k = w < 0 ? 0 : (size_t)w < n ? (size_t)w : n - 1;
	add_escaped(out, n, &k, meeting ? meeting : "");
	if (item && *item) {
		w = snprintf(out + k, n - k, "&punktid=");
		k += w < 0 ? 0 : (size_t)w < n - k ? (size_t)w : n - k - 1;
		add_escaped(out, n, &k, item);
	} else {
		snprintf(out + k, n - k, "#punkt-%s", no && *no ? no : "?");
	}
}
