/* portals.h - where every municipality publishes its committee agendas.
 *
 * data/agenda_portals.csv (built in; made by `ideabank convert-dst` from the list in
 * shared/data/agenda-portals) gives per kommunekode the agenda system and host:
 * "firstagenda" for a FirstAgenda-style portal (https://HOST/api/agenda/..., read by
 * ib_agenda_*), the name of another system ("meetingsplus", "aabendagsorden",
 * "kk_jsonapi", "aalborg", ...) that ideabank cannot read yet, or "none".  A portal's
 * own web page of a meeting is https://HOST/vis?id={meeting id}, and an item on it
 * https://HOST/vis?id={meeting id}&punktid={item id}: the address a stored case cites. */
#ifndef IDEABANK_PORTALS_H
#define IDEABANK_PORTALS_H

#include <stddef.h>

#include "error.h"

typedef struct ib_portal {
	int kommunekode;
	char kommune[64]; /* the registry's name */
	char system[32];  /* "firstagenda", another system's name, or "none" */
	char host[256];	  /* the portal's host name; "" when not known */
} ib_portal;

/* The built-in table, in kommunekode order: *out (n rows; caller frees with free()).
 * Fails with IB_ENOMEM, or IB_EPARSE when the table is damaged. */
int ib_portals(ib_portal **out, size_t *n, ib_error *err);

/* The row of kommunekode in p[0..n-1], or NULL. */
const ib_portal *ib_portal_of(const ib_portal *p, size_t n, int kommunekode);

/* 1 when the portal is a FirstAgenda-style one with a host, which ideabank reads. */
int ib_portal_supported(const ib_portal *p);

/* The address of an agenda item on the portal whose site is site ("https://HOST"):
 * {site}/vis?id={meeting}&punktid={item} when the item has an id, else
 * {site}/vis?id={meeting}#punkt-{no}; ids are percent-encoded where they need it.
 * Written to out (n bytes, cut short when too small). */
void ib_portal_item_url(const char *site, const char *meeting, const char *item, const char *no,
			char *out, size_t n);

#endif
