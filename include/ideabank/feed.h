/* feed.h - the project's interchange formats.
 *
 * Proposals travel as JSON Lines (one proposal per line, see docs in README.md) or as
 * CSV with the same columns.  Reference data (municipalities, population, spending)
 * travels as ';'-separated CSV files whose header names their kind.  Readers are
 * all-or-nothing: they parse the whole input before anything is stored. */
#ifndef IDEABANK_FEED_H
#define IDEABANK_FEED_H

#include <stdio.h>

#include "error.h"
#include "proposal.h"

typedef struct ib_proposal_list {
	ib_proposal **items;
	size_t n;
	size_t alloc;
} ib_proposal_list;

/* Append p to the list, which takes ownership; on failure p is freed. */
int ib_proposal_list_push(ib_proposal_list *l, ib_proposal *p);
/* Free every proposal in l and the list's array.  Accepts NULL. */
void ib_proposal_list_free(ib_proposal_list *l);

/* Parse a JSON Lines feed held in text (len bytes); name is used in messages
 * ("name:17: budget_year: expected a year, got \"20x1\"").  On success the proposals
 * are appended to out.  On failure nothing is appended and err says where. */
int ib_feed_parse_jsonl(const char *name, const char *text, size_t len, ib_proposal_list *out,
			ib_error *err);
/* The same for a CSV feed (';' or ',' separated, header row with the JSON key names;
 * 'years' and 'flags' cells hold JSON arrays; numbers may use Danish notation). */
int ib_feed_parse_csv(const char *name, const char *text, size_t len, ib_proposal_list *out,
		      ib_error *err);

/* Write p as one JSON line (with '\n') to b, in the canonical key order.  When
 * with_id is 0 the id and content_hash are left out (used for hashing). */
struct ib_buf;
int ib_feed_write_jsonl(struct ib_buf *b, const ib_proposal *p, int with_id);

/* Kinds of reference file, told apart by their header row. */
typedef enum ib_ref_kind {
	IB_REF_NONE = 0,
	IB_REF_MUNICIPALITIES, /* kommunekode;kommune;region;gruppe_kode;gruppe;kilde */
	IB_REF_POPULATION,     /* kommunekode;aar;folketal;kilde */
	IB_REF_SPENDING	       /* kommunekode;aar;funktion;funktionsnavn;kr_pr_indbygger;kilde */
} ib_ref_kind;

/* Which reference kind text's first line announces, or IB_REF_NONE. */
ib_ref_kind ib_ref_detect(const char *text, size_t len);

#endif
