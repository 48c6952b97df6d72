/* store.h - the SQLite index: open, ingest, and look up.
 *
 * One database file holds municipalities, population, spending and proposals with an
 * FTS5 index over their text.  The schema is versioned with PRAGMA user_version and
 * migrated forward on open.  Ingest happens inside ib_store_begin()/commit(): callers
 * roll back on the first error so a failed import or fetch stores nothing. */
#ifndef IDEABANK_STORE_H
#define IDEABANK_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "proposal.h"

typedef struct ib_store ib_store;

#define IB_SCHEMA_VERSION 2

/* Open (creating when missing, migrating when older) the database at path.  On
 * success *out is a store the caller closes with ib_store_close().  Fails with
 * IB_EDB, IB_EIO or IB_ESCHEMA (a database newer than this program). */
int ib_store_open(const char *path, ib_store **out, ib_error *err);
/* Close the store; accepts NULL. */
void ib_store_close(ib_store *s);

/* Transactions.  begin/commit return IB_OK or IB_EDB; rollback never fails. */
int ib_store_begin(ib_store *s, ib_error *err);
int ib_store_commit(ib_store *s, ib_error *err);
void ib_store_rollback(ib_store *s);

/* Ingest.  Each replaces an existing row with the same key. */
int ib_store_put_municipality(ib_store *s, const ib_municipality *m, const char *source,
			      ib_error *err);
int ib_store_put_population(ib_store *s, int kommunekode, int year, long inhabitants,
			    const char *source, ib_error *err);
int ib_store_put_spending(ib_store *s, int kommunekode, int year, const char *function_code,
			  const char *function_name, double kr_per_inhabitant, const char *source,
			  ib_error *err);

typedef enum ib_put_result { IB_PUT_NEW = 1, IB_PUT_UPDATED, IB_PUT_UNCHANGED } ib_put_result;
/* Store p.  A proposal is identified by (kommunekode, budget_year, title): when one
 * exists with the same content it is left alone (*result = IB_PUT_UNCHANGED), when its
 * content differs it is replaced in place, keeping its id.  Sets p->id and
 * p->content_hash.  Fails with IB_ENOTFOUND for an unknown municipality. */
int ib_store_put_proposal(ib_store *s, ib_proposal *p, int *result, ib_error *err);

/* Look up one proposal with its years, flags and follow-up.  Caller frees *out with
 * ib_proposal_free().  IB_ENOTFOUND when there is no such id. */
int ib_store_get_proposal(ib_store *s, int64_t id, ib_proposal **out, ib_error *err);

/* The id of the proposal of municipality kommunekode titled title (case-insensitive;
 * the latest budget year when several).  IB_ENOTFOUND when there is none. */
int ib_store_find_proposal(ib_store *s, int kommunekode, const char *title, int64_t *id,
			   ib_error *err);

/* Find a municipality by 3-digit code or by name (case-insensitive, "Kommune" suffix
 * and ASCII spellings such as "Koebenhavn" accepted).  IB_ENOTFOUND otherwise, with a
 * message suggesting the closest names. */
int ib_store_find_municipality(ib_store *s, const char *name_or_code, ib_municipality *out,
			       ib_error *err);
/* Population of a municipality for a year: the figure for that year when stored,
 * else the nearest earlier year, else the nearest later one.  *year_used says which;
 * *source (may be NULL) receives a copy the caller frees.  IB_ENOTFOUND when none. */
int ib_store_population(ib_store *s, int kommunekode, int year, long *inhabitants,
			int *year_used, char **source, ib_error *err);

/* Ids of all stored proposals in id order.  Caller frees *ids with free(). */
int ib_store_proposal_ids(ib_store *s, int64_t **ids, size_t *n, ib_error *err);

/* Baskets: named lists of selected proposals (Idébanken's "udvalgte forslag").
 * add fails with IB_ENOTFOUND for an unknown proposal (adding twice is no error);
 * remove with IB_ENOTFOUND when the proposal is not in the basket. */
int ib_basket_add(ib_store *s, const char *name, int64_t id, ib_error *err);
int ib_basket_remove(ib_store *s, const char *name, int64_t id, ib_error *err);
/* Empty the basket; *removed (may be NULL) receives how many were in it. */
int ib_basket_clear(ib_store *s, const char *name, long *removed, ib_error *err);
/* The basket's proposal ids in the order they were added.  Caller frees *ids. */
int ib_basket_ids(ib_store *s, const char *name, int64_t **ids, size_t *n, ib_error *err);

/* Counts for `ideabank stats`. */
typedef struct ib_count {
	char *label;
	long n;
} ib_count;
typedef struct ib_stats {
	long n_proposals, n_municipalities, n_population, n_spending;
	ib_count *by_municipality, *by_year, *by_area;
	size_t n_by_municipality, n_by_year, n_by_area;
} ib_stats;
/* Caller frees *out with ib_stats_free(). */
int ib_store_stats(ib_store *s, ib_stats **out, ib_error *err);
void ib_stats_free(ib_stats *st);

/* Integrity: PRAGMA integrity_check plus the FTS5 'integrity-check' command.
 * IB_OK when both pass, IB_EDB with the first complaint otherwise. */
int ib_store_check(ib_store *s, ib_error *err);

#endif
