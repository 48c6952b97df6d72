/* facts.h - private to index/: the facts every search needs (municipality, budget year,
 * area, kind, adoption, effect, length in tokens), kept by the writer in blocks of
 * IB_FACT_SLOTS proposal ids (schema version 8), so that a process searches by reading
 * the blocks its matches fall in instead of every proposal row.
 *
 * Tables: fact_block(block, stamp, facts) holds one blob per block (the proposals with
 * id >> IB_FACT_BITS == block); stamp takes a new value at every rewrite, so a reader
 * that holds decoded blocks reloads only those that changed.  fact_pending holds the
 * facts written since the last fold (a row with a NULL kommunekode: the proposal was
 * deleted): ib_store_put_proposal() adds a new proposal's row, the triggers proposal_au
 * and proposal_ad an updated or deleted one's, in the writing statement's transaction.
 * ib_facts_fold() moves them into the blocks.  A reader reads the blocks and lays the
 * pending rows over them.  fact_label gives the codes of the stored areas and kinds. */
#ifndef IDEABANK_FACTS_H
#define IDEABANK_FACTS_H

#include <sqlite3.h>
#include <stdint.h>

#define IB_FACT_BITS 10
#define IB_FACT_SLOTS (1 << IB_FACT_BITS)
#define IB_FACT_LABELS 255 /* codes per field; a bank with more is searched with plain SQL */

/* The facts of one block, one entry per slot (id = block << IB_FACT_BITS | slot). */
typedef struct ib_fact_cols {
	int n;	   /* slots in use: 0 .. n-1 (the rest are empty) */
	int unfit; /* a proposal's facts do not fit the codes: search with plain SQL */
	unsigned char present[IB_FACT_SLOTS];
	unsigned char area[IB_FACT_SLOTS], kind[IB_FACT_SLOTS]; /* label codes */
	signed char adopted[IB_FACT_SLOTS];			/* 1, 0, -1 unknown */
	uint16_t kommunekode[IB_FACT_SLOTS], year[IB_FACT_SLOTS];
	uint32_t len[IB_FACT_SLOTS];  /* tokens in the indexed text, every column */
	double effect[IB_FACT_SLOTS]; /* IB_NA when unknown */
} ib_fact_cols;

/* The stored areas (field 0) and kinds (field 1) by code; text NULL for SQL NULL. */
typedef struct ib_fact_labels {
	char *text[2][IB_FACT_LABELS];
	int n[2];
} ib_fact_labels;

/* Read fact_label into *l (empty first).  SQLite code; free with ib_fact_labels_free. */
int ib_fact_labels_read(sqlite3 *db, ib_fact_labels *l);
void ib_fact_labels_free(ib_fact_labels *l);

/* The code of text z (NULL for SQL NULL) in field f of l, or -1 when absent. */
int ib_fact_label_find(const ib_fact_labels *l, int f, const char *z);

/* Decode blob[0..n) into c.  SQLITE_CORRUPT when it is not a block this program wrote. */
int ib_fact_decode(const void *blob, int n, ib_fact_cols *c);

/* A block's blob read in place, one slot at a time (a search that needs a few of its
 * facts decodes those alone). */
typedef struct ib_fact_view {
	const unsigned char *z; /* the blob; NULL: an empty block */
	int n;			/* slots */
	int f64;		/* effects stored as doubles */
	int unfit;
} ib_fact_view;

/* One slot of a block. */
typedef struct ib_fact_row {
	int kommunekode, year, area, kind, adopted; /* adopted: 1, 0, -1 unknown */
	unsigned len;
	double effect; /* IB_NA when unknown */
} ib_fact_row;

/* Check blob[0..n) (NULL: an empty block) and set v to read it; SQLITE_CORRUPT when it is
 * not a block this program wrote.  v points into blob. */
int ib_fact_view_init(ib_fact_view *v, const void *blob, int n);

/* Slot i of v into *r: 1 when a proposal is there, else 0. */
int ib_fact_view_slot(const ib_fact_view *v, int i, ib_fact_row *r);

/* The sum of the varints (SQLite's encoding) in z[0..n): an FTS5 docsize row's token
 * count over every column. */
unsigned ib_fact_varint_sum(const unsigned char *z, int n);

/* Fold every fact_pending row into fact_block and empty fact_pending, inside the
 * caller's transaction (it may run outside one: applying the rows again gives the same
 * blocks).  The length of each proposal comes from FTS5's docsize table as it is now.
 * Returns an SQLite code. */
int ib_facts_fold(sqlite3 *db);

/* Derive the facts of every proposal again (after the full-text index was rebuilt, its
 * lengths changed): every proposal row becomes a pending row, then ib_facts_fold().
 * Returns an SQLite code. */
int ib_facts_rebuild(sqlite3 *db);

#endif
