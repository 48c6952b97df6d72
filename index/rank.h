/* rank.h - private to index/: ideabank's relevance, FTS5's bm25 with a stop rule, as
 * a per-row auxiliary function for SQL and as one call that ranks a set of documents. */
#ifndef IDEABANK_RANK_H
#define IDEABANK_RANK_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "ideabank/error.h"

/* Register ib_bm25() and ib_rank_all() as FTS5 auxiliary functions on db.  Returns an
 * SQLite code.
 *
 *   ib_bm25(proposal_fts): the relevance of the current row: FTS5's bm25 with the
 *   column weights of title, summary and text (10, 4, 1), except that in a bank of
 *   1.000 rows or more a phrase in at least half of them contributes exactly 0 (bm25
 *   gives it 1e-6), so words in half of a large bank do not rank.  Lower is better; 0
 *   when nothing ranks.
 *
 *   ib_rank_all(proposal_fts, job): the same relevance of every document of an
 *   ib_rank_job (bound with sqlite3_bind_pointer, type "ib_rank_job"), computed in one
 *   call by walking each ranked phrase's rows once; returns NULL.  Run it on one row:
 *   SELECT ib_rank_all(proposal_fts, ?2) FROM proposal_fts WHERE proposal_fts MATCH ?1
 *   LIMIT 1, where ?1 matches at least one row. */
int ib_rank_register(sqlite3 *db);

/* What ib_rank_all scores, and its answer.  The caller owns every array. */
typedef struct ib_rank_job {
	const int64_t *id;   /* the documents to score, ascending rowids */
	const unsigned *len; /* their lengths in tokens, all columns (FTS5's docsize) */
	size_t n;
	int n_phrase;	     /* phrases 0 .. n_phrase - 1 can rank (the query's positive ones) */
	int pure_and;	     /* every phrase must match: each one's rows include all matches */
	int64_t n_match;     /* rows the whole query matches */
	double *score;	     /* out: n relevances, as ib_bm25 gives them */
	double *scratch;     /* n doubles of room for ib_rank_all */
	int (*stop)(void *); /* non-zero: give up (SQLITE_INTERRUPT); polled now and then */
	void *stop_arg;
	int n_ranked; /* out: phrases that contributed (0: every score is 0) */
	/* Collect mode, for a query of one phrase (accept not NULL): the documents are
	 * found by the same walk that ranks them.  For each row the query matches, in
	 * rowid order, accept(accept_arg, rowid, at) returns 1 when the row is to be
	 * ranked (and has put its id and len at index `at`, the next free one), 0 when
	 * not, -1 on failure (SQLITE_NOMEM).  n and n_match come back set. */
	int (*accept)(void *arg, int64_t id, size_t at);
	void *accept_arg;
	/* A phrase in half of the rows or more does not rank.  While a walk finds a phrase
	 * so dense that it will (its rows so far against the part of id_min .. id_max
	 * passed; id_max < id_min: unknown), it stops weighing the rows; should it end
	 * below half after all, the walk is made again, weighing every row (in collect
	 * mode with recount = 1: accept is called again for every row, and must not count
	 * it twice).  In collect mode a phrase that does not rank needs only the first k
	 * accepted documents (0: all): the ranking is by id. */
	int64_t id_min, id_max;
	size_t k;
	int recount;
} ib_rank_job;

#endif
