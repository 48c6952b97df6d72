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

#define IB_SCHEMA_VERSION 9

/* Open for writing (creating when missing, migrating when older) the database at path,
 * in WAL journal mode so that readers are never blocked by it.  A writer waits up to
 * 5 minutes for another writer's transaction to end.  On success *out is a store the
 * caller closes with ib_store_close().  Fails with IB_EDB, IB_EIO or IB_ESCHEMA (a
 * database newer than this program, or not ours). */
int ib_store_open(const char *path, ib_store **out, ib_error *err);

/* How a database is created when ib_store_open_ex() finds none (no file, an empty
 * file, or one whose creation never committed: a kill, a full disk). */
typedef struct ib_store_create {
	/* Fills the new database inside the transaction that creates its tables (the
	 * built-in reference data); NULL: tables only.  Fails with any code, err set. */
	int (*seed)(ib_store *s, void *ctx, ib_error *err);
	void *ctx;
	/* 1: the creating transaction stays open until ib_store_publish(), so that the
	 * first command's own work commits with the database; closing the store without
	 * publishing leaves no database behind (the file too is removed when this open
	 * made it).  0: committed before ib_store_open_ex() returns. */
	int hold;
} ib_store_create;

/* ib_store_open() that creates a missing or empty database whole or not at all: its
 * tables and c's seed in one transaction, so a kill, a full disk or a failed seed
 * leaves no half-made database for the next open to trip over.  Two processes
 * creating one database at once: one creates, the other waits for it and opens what
 * it made.  The folder of path must exist (IB_EIO "folder '...' does not exist"
 * otherwise).  c may be NULL (tables only). */
int ib_store_open_ex(const char *path, const ib_store_create *c, ib_store **out, ib_error *err);
/* Commit the creation held open by ib_store_create.hold (no-op otherwise): the
 * transactions of the command's work must have ended.  On failure (IB_EDB, e.g. disk
 * full) the new database is discarded as on close. */
int ib_store_publish(ib_store *s, ib_error *err);
/* 1 when this open of s created its database. */
int ib_store_created(const ib_store *s);
/* Open an existing database at path read-only (one connection per reader thread): it
 * never creates, migrates or rewrites anything.  Fails with IB_EIO when there is no
 * file at path ("no database at 'PATH' ..."), IB_ESCHEMA when its schema is older or
 * newer than this program's or it is not ours, IB_EDB otherwise.  Writes through it
 * fail with IB_EARG.  On success the caller closes *out with ib_store_close(). */
int ib_store_open_readonly(const char *path, ib_store **out, ib_error *err);
/* 1 when s is read-only and its full-text index was built with another compound word
 * list than this process's (see tokenizer.h): searches still work, with the old
 * compound parts, until the next write (ib_store_open) rebuilds the index. */
int ib_store_wordlist_changed(const ib_store *s);
/* Wait up to ms milliseconds for another connection's lock (default: 5 minutes for a
 * writer, 30 s for a reader) before failing with "database 'PATH' is busy". */
void ib_store_set_wait(ib_store *s, int ms);
/* Close the store; accepts NULL. */
void ib_store_close(ib_store *s);

/* Transactions.  begin/commit return IB_OK or IB_EDB; rollback never fails.  They
 * nest: an inner begin/commit is a savepoint of the outer transaction. */
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

/* Rows written from now on point to fetch_log row fetch_id (0: none, as for imported
 * files), and proposals name source (may be NULL: their own) as their source, keeping
 * their page.  While a fetch id is set, a population or spending row whose value is
 * already stored is left as it is, keeping the provenance of the fetch or file that
 * first gave that value.  Fails with IB_ENOMEM. */
int ib_store_set_fetch(ib_store *s, int64_t fetch_id, const char *source);
/* Rows the population, age and spending puts added, changed and found unchanged since
 * the last call; the counts are reset. */
typedef struct ib_store_changes {
	long added, changed, unchanged;
} ib_store_changes;
void ib_store_changes_take(ib_store *s, ib_store_changes *out);

/* Shares of the population aged 0-16 and 65 or over (FOLK1A by age), for peer
 * selection, and with by_age (may be NULL) the persons of each age 0..n_ages-1, for
 * comparisons per person of a target group.  One municipality and year counts as one
 * row added, changed or unchanged.  Fails like ib_store_put_population(). */
int ib_store_put_population_age(ib_store *s, int kommunekode, int year, double share_0_16,
				double share_65_plus, const long *by_age, int n_ages,
				const char *source, ib_error *err);

/* *missing = 1 when a municipality's shares by age for year are stored but not its
 * persons by age (population_by_age, new in schema 8: empty in a database made before
 * it), so that an answer already stored must be stored again.  Fails with IB_EDB. */
int ib_store_population_by_age_missing(ib_store *s, int year, int *missing, ib_error *err);

/* Provenance of one fetched body: a row of fetch_log. */
typedef struct ib_fetch_record {
	const char *source; /* name of the source in the sources config */
	const char *url;
	const char *method;	    /* "GET" or "POST" */
	const char *request_sha256; /* SHA-256 of the POST body; NULL for GET */
	const char *fetched_at;	    /* UTC, ISO 8601 */
	int http_status;	    /* 200, or 304 when the cached copy was used */
	const char *etag, *last_modified;
	const char *sha256; /* of the body */
	long long bytes;
	const char *table_updated; /* StatBank's 'updated' of the table; NULL otherwise */
} ib_fetch_record;
/* Record r and set *id to its row id.  Fails with IB_EDB. */
int ib_store_put_fetch(ib_store *s, const ib_fetch_record *r, int64_t *id, ib_error *err);
/* *seen = 1 when a body with this sha256 from this URL (and request) was stored by an
 * earlier fetch. */
int ib_store_fetch_seen(ib_store *s, const char *url, const char *request_sha256,
			const char *sha256, int *seen, ib_error *err);

/* *id = the latest fetch_log row of a body with this sha256 from this URL (a GET), 0
 * when there is none.  Fails with IB_EDB. */
int ib_store_fetch_id(ib_store *s, const char *url, const char *sha256, int64_t *id,
		      ib_error *err);

typedef enum ib_put_result { IB_PUT_NEW = 1, IB_PUT_UPDATED, IB_PUT_UNCHANGED } ib_put_result;
/* Store p.  A proposal is identified by its municipality and ib_proposal_identity()
 * (its agenda case and variant, else its source, budget year and ref or page and
 * title, after the fetch source of ib_store_set_fetch() is applied): when one
 * exists with the same content it is left alone (*result = IB_PUT_UNCHANGED), when its
 * content differs it is replaced in place, keeping its id.  Sets p->id and
 * p->content_hash.  Fails with IB_ENOTFOUND for an unknown municipality. */
int ib_store_put_proposal(ib_store *s, ib_proposal *p, int *result, ib_error *err);

/* Agenda meetings, their items with the case text each case is derived from, and the
 * outcome of every item (fetch/agenda.c).  A meeting is replaced by its id; its items
 * are deleted with it (ib_store_agenda_meeting_cases() first says which cases they
 * belonged to).  starts: the meeting's date and time as the agenda gives it (orders a
 * case's appearances).  Fail with IB_EDB. */
int ib_store_put_agenda_meeting(ib_store *s, int kommunekode, const char *meeting_id,
				const char *committee, const char *date, const char *starts,
				const char *url, const char *sha256, ib_error *err);

/* An agenda item as stored: outcome, reason and proposal_id are set later by
 * ib_store_set_agenda_outcome().  html is the case text as the caller encodes it
 * (fetch/agenda.c deflates it), html_len bytes; NULL when the item has none. */
typedef struct ib_agenda_item_rec {
	int kommunekode;
	const char *meeting_id, *item, *case_number, *title;
	int seq;	      /* position in the meeting, from 0 */
	const char *case_key; /* the case number, else the item's own key */
	const char *url;      /* the item's address (meeting URL#punkt-N) */
	const void *html;
	size_t html_len;
} ib_agenda_item_rec;
int ib_store_put_agenda_item(ib_store *s, const ib_agenda_item_rec *r, ib_error *err);

/* Record what became of an item: outcome "proposal", "skipped" or "flagged", its
 * reason (Danish, from the rule table), the case's first stored proposal (0: none). */
int ib_store_set_agenda_outcome(ib_store *s, int kommunekode, const char *meeting_id,
				const char *item, const char *outcome, const char *reason,
				int64_t proposal_id, ib_error *err);

/* Call fn once for each case key the stored items of a meeting belong to.  A non-zero
 * return of fn stops the walk and is returned. */
int ib_store_agenda_meeting_cases(ib_store *s, int kommunekode, const char *meeting_id,
				  int (*fn)(void *ctx, const char *case_key), void *ctx,
				  ib_error *err);

/* *stored = 1 when the meeting answer at url with this body (sha256) is stored for the
 * municipality, so storing it again would change nothing. */
int ib_store_agenda_meeting_stored(ib_store *s, int kommunekode, const char *url,
				   const char *sha256, int *stored, ib_error *err);

/* *waiting = the number of meetings a case had in a database of schema version 6 or
 * older that are not stored again yet (0: the case can be derived from the meetings
 * stored); when it is 0, the case's record of them is dropped. */
int ib_store_agenda_case_waiting(ib_store *s, int kommunekode, const char *case_key,
				 long *waiting, ib_error *err);

/* *owner = the municipality a meeting id is stored for, 0 when none. */
int ib_store_agenda_meeting_owner(ib_store *s, const char *meeting_id, int *owner,
				  ib_error *err);

/* One stored appearance of a case, with its meeting's facts. */
typedef struct ib_agenda_stored_item {
	const char *meeting_id, *item, *case_number, *title, *url;
	int seq;
	const char *committee, *date, *starts; /* the meeting's */
	const void *html;		       /* as stored; NULL when none */
	size_t html_len;
	int64_t fetch_id; /* the meeting's fetch_log row, 0 for a file */
} ib_agenda_stored_item;

/* Call fn for every stored item of a case, oldest meeting first (by its start, then
 * id), items in meeting order.  The pointers live until fn returns.  A non-zero return
 * of fn stops the walk and is returned. */
int ib_store_agenda_case(ib_store *s, int kommunekode, const char *case_key,
			 int (*fn)(void *ctx, const ib_agenda_stored_item *it), void *ctx,
			 ib_error *err);

/* Delete the proposals of an agenda case (municipality and case_key) whose ids are not
 * in keep[0..n_keep-1]: alternatives the case no longer has, or all of them when it is
 * no longer a proposal.  *n_deleted receives their number. */
int ib_store_prune_case(ib_store *s, int kommunekode, const char *case_key,
			const int64_t *keep, size_t n_keep, long *n_deleted, ib_error *err);

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
/* Every municipality in the registry, by code.  Caller frees *out with free().  Fails
 * with IB_EDB or IB_ENOMEM. */
int ib_store_municipalities(ib_store *s, ib_municipality **out, size_t *n, ib_error *err);
/* Population of a municipality for a year: the figure for that year when stored,
 * else the nearest earlier year, else the nearest later one.  *year_used says which;
 * *source (may be NULL) receives a copy the caller frees.  IB_ENOTFOUND when none. */
int ib_store_population(ib_store *s, int kommunekode, int year, long *inhabitants, int *year_used,
			char **source, ib_error *err);

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
