/* facts.h - private to index/: the facts every search needs (municipality, budget year,
 * area, kind, adoption, effect, length in tokens), kept by the writer in blocks of
 * IB_FACT_SLOTS proposal ids (schema version 9), so that a process searches by reading
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
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ideabank/num.h"

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

/* A block's blob, little-endian:
 *   0  format (IB_FACT_FORMAT)
 *   1  flags: IB_FACT_EFFECT_F64 (else the effects are whole numbers stored as int32),
 *      IB_FACT_UNFIT
 *   2  slots stored, n (uint16), 1 .. IB_FACT_SLOTS
 *   4  n state bytes: IB_FACT_PRESENT, adopted (from IB_FACT_ADOPTED_SHIFT: 0 unknown,
 *      1 no, 2 yes), IB_FACT_EFFECT (the effect is known)
 *      n kommunekode (uint16), n budget years (uint16), n area codes, n kind codes,
 *      n lengths (uint32), n effects (int32 or IEEE double; 0 when unknown) */
#define IB_FACT_FORMAT 1
#define IB_FACT_EFFECT_F64 1
#define IB_FACT_UNFIT 2
#define IB_FACT_HEADER 4
#define IB_FACT_PRESENT 1
#define IB_FACT_ADOPTED_SHIFT 1
#define IB_FACT_EFFECT 8

static inline unsigned ib_fact_get16(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static inline uint32_t ib_fact_get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* Slot i of v into *r: 1 when a proposal is there, else 0.  Inline: a search reads one
 * slot per match. */
static inline int ib_fact_view_slot(const ib_fact_view *v, int i, ib_fact_row *r)
{
	if (i < 0 || i >= v->n)
		return 0;
	size_t n = (size_t)v->n;
	const unsigned char *state = v->z + IB_FACT_HEADER;
	int s = state[i];
	if (!(s & IB_FACT_PRESENT))
		return 0;
	const unsigned char *code = state + n, *year = code + 2 * n, *area = year + 2 * n,
			    *kind = area + n, *len = kind + n, *eff = len + 4 * n;
	int adopted = (s >> IB_FACT_ADOPTED_SHIFT) & 3;
	r->adopted = adopted == 2 ? 1 : adopted == 1 ? 0 : -1;
	r->kommunekode = (int)ib_fact_get16(code + 2 * i);
	r->year = (int)ib_fact_get16(year + 2 * i);
	r->area = area[i];
	r->kind = kind[i];
	r->len = ib_fact_get32(len + 4 * i);
	if (!(s & IB_FACT_EFFECT)) {
		r->effect = IB_NA;
	} else if (v->f64) {
		uint64_t bits =
		    ib_fact_get32(eff + 8 * i) | (uint64_t)ib_fact_get32(eff + 8 * i + 4) << 32;
		memcpy(&r->effect, &bits, sizeof bits);
	} else {
		r->effect = (double)(int32_t)ib_fact_get32(eff + 4 * i);
	}
	return 1;
}

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
