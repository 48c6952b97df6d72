/* peers_int.h - private to index/: what the peer comparison (peers.c) and the overview
 * across areas (room.c) share, so that both give the same numbers from the same code:
 * the area map of data/area_functions.csv and the comparison of one municipality's
 * figure with its peers'. */
#ifndef IDEABANK_PEERS_INT_H
#define IDEABANK_PEERS_INT_H

#include <stddef.h>

#include "ideabank/peers.h"

/* One line of data/area_functions.csv: functions whose code is prefix or starts with
 * prefix and a dot belong to area (NULL: deliberately to no area, "-" in the file). */
typedef struct ib_area_rule {
	const char *area; /* one of ib_areas, or NULL */
	char prefix[16];
	char reason[400];
} ib_area_rule;

/* The compiled-in area map.  Caller frees *out with free().  Fails with IB_EPARSE
 * (a line that is not area;function;reason, an area that is not one of KL's nine) or
 * IB_ENOMEM. */
int ib_area_rules_load(ib_area_rule **out, size_t *n, ib_error *err);
/* The rule that decides code: the one with the longest matching prefix, or NULL. */
const ib_area_rule *ib_area_rule_for(const ib_area_rule *rules, size_t n, const char *code);

/* 1 when z is "3.22.01", "3.22" or "6": digit groups separated by dots, no more. */
int ib_is_function_code(const char *z);

/* The REGK31 function codes the database holds, sorted.  Caller frees *out (each
 * string and the array) with ib_strings_free(). */
int ib_spending_functions(ib_store *s, char ***out, size_t *n, ib_error *err);

/* "Skoler (3.22.01, 3.22.05)" for an area of several functions, "3.22.01 Folkeskoler"
 * for one function (function_name its name), into out (size n), as ib_peer_set.what. */
void ib_peer_what(char *out, size_t n, const char *area, char **codes, size_t n_codes,
		  const char *function_name);

/* One municipality's figure in a comparison, with what `nearest` measures. */
typedef struct ib_peer_muni {
	int code, group;
	char name[64];
	double kr;		       /* the figure compared (kr. per inhabitant) */
	long inhabitants;	       /* latest population up to the year; 0 when none */
	long inhabitants_10y_before;   /* population ten years before the year; 0 when missing */
	double share_young, share_old; /* NAN when not fetched */
} ib_peer_muni;

/* The municipalities of o->list (names or codes separated by commas), self left out
 * and each once.  Caller frees *out with free().  Fails with IB_ENOTFOUND (an unknown
 * name, suggesting others), IB_EARG (none but self) or IB_ENOMEM. */
int ib_peers_resolve_list(ib_store *s, const ib_peer_opts *o, const ib_municipality *self,
			  ib_municipality **out, size_t *n, ib_error *err);

/* Compare p->self in p->year: rank all[0..n_all) (sorted in place, lowest first; equal
 * figures by code), choose the peers by o (list: the resolved list[0..n_list)), the
 * benchmark, and the mulighedsrum (own - benchmark) x inhabitants.  p->self, p->year,
 * p->what, p->source and p->area are the caller's.  Fills the rest of p (its arrays
 * owned by p).  Fails with IB_ENOTFOUND (self or a listed municipality without
 * figures) or IB_ENOMEM. */
int ib_peers_compare(ib_peer_set *p, const ib_peer_opts *o, ib_peer_muni *all, size_t n_all,
		     const ib_municipality *list, size_t n_list, long inhabitants,
		     int population_year, ib_error *err);

#endif
