/* search.h - full-text search over proposals with filters, sorting and facets. */
#ifndef IDEABANK_SEARCH_H
#define IDEABANK_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "fts_query.h" /* IB_Q_*: why a query was refused */
#include "store.h"

typedef enum ib_sort {
	IB_SORT_DEFAULT = 0, /* relevance with a query, effect without */
	IB_SORT_RELEVANCE,
	IB_SORT_EFFECT,
	IB_SORT_PER_INHABITANT,
	IB_SORT_SCORE /* the ranking score: see ib_score */
} ib_sort;

/* Which proposals an adopted filter keeps (ib_search_opts.adopted_is). */
typedef enum ib_adopted_filter {
	IB_ADOPTED_ANY = 0,
	IB_ADOPTED_IS_YES,
	IB_ADOPTED_IS_NO,
	IB_ADOPTED_IS_UNKNOWN
} ib_adopted_filter;

typedef struct ib_search_opts {
	const char *query; /* user's words, or NULL/"" for all proposals */
	const char *area;  /* canonical area or NULL */
	int year_from;	   /* budget year range, 0 = open */
	int year_to;
	int kommunekode;    /* 0 = any */
	const char *region; /* "Region Sjælland" or "Sjælland"; NULL = any */
	const char *kind;   /* canonical kind or NULL */
	int adopted_only;		/* the same as adopted_is = IB_ADOPTED_IS_YES */
	ib_adopted_filter adopted_is;	/* adopted, not adopted or unknown; 0 = any */
	long pop_min, pop_max;	       /* population in the budget year; 0 = open */
	double effect_min, effect_max; /* yearly effect, kr.; 0 or IB_NA = open */
	ib_sort sort;
	int limit;	 /* 0 = no limit */
	int offset;	 /* matches in the order skipped before the hits returned (paging) */
	int no_snippets; /* 1: no snippet for the hits (a CSV, a table without them) */
	/* the query's budget: SQLite VM steps and milliseconds of the calling thread's CPU
	 * time (0 = IB_SEARCH_MAX_STEPS, IB_SEARCH_MAX_MS); a search that would spend more
	 * fails with IB_ECOST */
	long max_steps;
	int max_ms;
} ib_search_opts;

/* a search of all 35.000 proposals of the benchmark, facets and all, takes ~3.300.000 */
#define IB_SEARCH_MAX_STEPS 50000000L
#define IB_SEARCH_MAX_MS 5000

/* The ranking score, 0..1, and its factors (each 0..1), as `--explain` shows them:
 *   score = 0,35 relevance + 0,30 effect + 0,15 payback + 0,15 evidence + 0,05 recency
 * relevance: bm25 against the best hit (1 without a query); effect: effect per
 * inhabitant against the largest in the result (0 when unknown or not a saving);
 * payback: 1 / (1 + implementation cost / yearly effect in years), 0,5 when the cost is
 * unknown, 0 when the effect is; evidence: adopted 1, unknown 0,5, not adopted 0,25,
 * +0,25 with a follow-up (at most 1), -0,25 per arithmetic flag (at least 0);
 * recency: budget year against the result's oldest and newest. */
typedef struct ib_score {
	double relevance, effect, payback, evidence, recency, total;
} ib_score;

typedef struct ib_hit {
	int64_t id;
	int kommunekode;
	char *kommune;
	int budget_year;
	char *ref;
	char *title;
	const char *area; /* canonical or NULL */
	const char *kind;
	int adopted;
	double effect_kr;      /* IB_NA when unknown */
	double per_inhabitant; /* kr per inhabitant, IB_NA when effect or population unknown */
	long population;       /* 0 when unknown */
	int population_year;   /* year of the population figure used, 0 when unknown */
	char *population_source; /* its source: "Danmarks Statistik, FOLK1AM 2024M01" */
	double relevance;      /* bm25 score (lower = better), 0 without a query */
	char *snippet;	       /* matched text with \x02 ... \x03 around hits; NULL without query */
	double impl_cost_kr;   /* implementation cost, IB_NA when unknown */
	int n_flags;	       /* flags that are inconsistencies (ib_inconsistency_flags) */
	int has_followup;      /* a status report follows the case up */
	ib_score score;	       /* filled for IB_SORT_SCORE */
	char *source;	       /* file name or URL the proposal was read from; NULL when none */
	int page;	       /* the source's page the proposal is on, 0 when none */
} ib_hit;

typedef struct ib_facet {
	char *value;
	long n;
} ib_facet;

typedef struct ib_result {
	ib_hit *hits;
	size_t n;     /* hits returned (after offset and limit) */
	size_t total; /* matches before offset and limit */
	/* facets over every match: area, budget year, municipality, kind, region (as
	   stored: "Region Sjælland") and adopted ("yes", "no", "unknown") */
	ib_facet *by_area, *by_year, *by_kommune, *by_kind, *by_region, *by_adopted;
	size_t n_by_area, n_by_year, n_by_kommune, n_by_kind, n_by_region, n_by_adopted;
	double effect_sum;     /* kr. a year, over every match with a known effect */
	size_t n_effect_known; /* how many those are */
} ib_result;

/* Whether a stored region ("Region Sjælland") is the one a user names ("Sjælland" or
 * "Region Sjælland"), as the region filter reads it. */
int ib_region_matches(const char *stored, const char *name);

/* Run a search.  Caller frees *out with ib_result_free().  A query that cannot be
 * understood (or is over 1,000 bytes or 32 words) fails with IB_EARG, a message and an
 * IB_Q_* detail (fts_query.h); it never reaches SQLite raw.  One that would cost more
 * than its budget fails with IB_ECOST ("query is too costly ..."), never a stall. */
int ib_search(ib_store *s, const ib_search_opts *o, ib_result **out, ib_error *err);
void ib_result_free(ib_result *r);

/* Whether s keeps the search facts it read for its next search (keep = 1, the default:
 * a server or a script that searches many times reads each block of facts once per
 * change of the database), or holds those of one block at a time (keep = 0: a process
 * that searches once, whose memory stays small whatever the size of the bank). */
void ib_search_keep_facts(ib_store *s, int keep);

#endif
