/* portals.c - the built-in table of agenda portals (data/agenda_portals.csv) and the
 * addresses a portal gives its meetings and items.  See portals.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "ideabank/portals.h"

extern const char ib_agenda_portals_csv[]; /* data/agenda_portals.csv, built in */

int ib_portals(ib_portal **out, size_t *n, ib_error *err)
{
	*out = NULL;
	*n = 0;
	ib_csv c;
	ib_portal *p;
	int rc = IB_CSV_TABLE(ib_agenda_portals_csv, &c, p, err);
	if (rc)
		return rc;
	const ib_csv_row *h = c.n ? &c.rows[0] : NULL;
	int c_code = h ? ib_csv_col(h, "kommunekode") : -1,
	    c_name = h ? ib_csv_col(h, "kommune") : -1, c_sys = h ? ib_csv_col(h, "system") : -1,
	    c_host = h ? ib_csv_col(h, "host") : -1;
	if (c_code < 0 || c_name < 0 || c_sys < 0 || c_host < 0) {
		ib_csv_free(&c);
		free(p);
		return ib_error_set(err, IB_EPARSE, "data/agenda_portals.csv: unexpected header");
	}
	for (size_t i = 1; i < c.n && !rc; i++) {
		const ib_csv_row *r = &c.rows[i];
		if (r->n != h->n || strlen(r->f[c_code]) != 3 ||
		    strspn(r->f[c_code], "0123456789") != 3) {
			rc = ib_error_set(err, IB_EPARSE, "data/agenda_portals.csv:%d: bad row",
					  r->line);
			break;
		}
		ib_portal *x = &p[(*n)++];
		x->kommunekode = atoi(r->f[c_code]);
		snprintf(x->kommune, sizeof x->kommune, "%s", r->f[c_name]);
		snprintf(x->system, sizeof x->system, "%s", r->f[c_sys]);
		snprintf(x->host, sizeof x->host, "%s", r->f[c_host]);
	}
	ib_csv_free(&c);
	if (rc) {
		free(p);
		*n = 0;
		return rc;
	}
	*out = p;
	return IB_OK;
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
