/* doc.h - published budget documents (PDF or text) turned into proposals.
 *
 * A document is read into lines (pdftotext -layout for PDF, UTF-8 text as is), each
 * line knowing its page (form feeds count pages) and line number.  ib_doc_parse() reads
 * it with one engine over the layout rules (data/layout_rules.csv, compiled in): where
 * block rules find proposal blocks ("217 - Title", "SU01. Title", a business case, a
 * status report's cases), each block's fields, type box, table of named rows and the
 * document's overview are read by rule rows; any other document comes out as its
 * tables of yearly amounts (extract.h), one proposal per case and model.  Every number
 * keeps the page and line it was read from; arithmetic checks become flags on the
 * proposal; values that are not printed, or printed as placeholders, stay unknown
 * (IB_NA).  A new layout is new rule rows, not code. */
#ifndef IDEABANK_DOC_H
#define IDEABANK_DOC_H

#include <stddef.h>

#include "error.h"
#include "feed.h"
#include "proposal.h"

typedef struct ib_doc {
	char *name;	/* file name (without directories) used as the source */
	char *text;	/* the whole text; lines are NUL-terminated in place */
	char **line;	/* n_lines pointers into text */
	int *page;	/* page of each line, from 1 */
	size_t n_lines; /* line i is line number i + 1 */
} ib_doc;

/* Largest document accepted, in bytes of text. */
#define IB_DOC_MAX ((size_t)32 * 1024 * 1024)

/* Read the document at path: ".pdf" through `pdftotext -layout` (run without a
 * shell), anything else as UTF-8 text.  Caller frees *out with ib_doc_free().  Fails
 * with IB_EIO (unreadable, pdftotext missing or failing), IB_EPARSE (not UTF-8, NUL
 * bytes, or a damaged PDF: pdftotext printed errors on stderr, which it does while
 * exiting 0 with the text it could read), IB_ETOOBIG or IB_ENOMEM; the message names
 * the document. */
int ib_doc_load(const char *path, ib_doc **out, ib_error *err);
/* The same from text in memory (len bytes); name is used as the source. */
int ib_doc_from_text(const char *name, const char *text, size_t len, ib_doc **out, ib_error *err);
/* Free d; accepts NULL. */
void ib_doc_free(ib_doc *d);

typedef struct ib_doc_result {
	const char *reader; /* "blocks" (read by block rules) or "tables" (by its tables) */
	char *kommune;	    /* municipality as named in the document */
	int budget_year;    /* the document's budget year, 0 when not printed */
	ib_proposal_list proposals;
	/* Status-report cases: each carries a follow-up and is attached to an existing
	 * proposal of the same municipality and title when there is one, else stored as a
	 * proposal of its own. */
	ib_proposal_list followups;
	char **notes; /* document-level findings (cross-checks, skipped parts), one line each */
	size_t n_notes;
	char **explain; /* which rule rows read each part, one line each (import --explain) */
	size_t n_explain;
	int n_failed_checks; /* document-level checks that did not add up */
} ib_doc_result;

/* Parse d: its proposal blocks when block rules find any, else its tables of yearly
 * amounts.  Proposals get kommunekode 0: the caller resolves r->kommune against the
 * store.  Caller frees r's contents with ib_doc_result_free().  Fails with IB_EPARSE
 * ("x.txt: no proposal of a known layout and no table of yearly amounts") when neither
 * is found, when the document names no municipality, when a recognised document yields
 * no proposal, or when its overview names a proposal it does not hold; nothing is
 * returned then. */
int ib_doc_parse(const ib_doc *d, ib_doc_result *r, ib_error *err);
void ib_doc_result_free(ib_doc_result *r);

/* The KL fagområde the area rule table assigns to a proposal from its committee,
 * title and summary, or NULL.  The table is data/area_rules.csv, built into the
 * program; a rule with a kommunekode holds only for that municipality (p->kommunekode,
 * or kommunekode for ib_doc_area_in; 0 = unknown: only rules for every municipality). */
const char *ib_doc_area(const ib_proposal *p);
const char *ib_doc_area_in(const ib_proposal *p, int kommunekode);

/* Tokens at the end of line z that read as a table's numbers.  Danish notation; "-"
 * alone is 0 unless a bare number follows ("- 300" is -300); "?", "x", "y" (signed or
 * not) are placeholders read as unknown.  Up to max values go to vals (IB_NA for
 * placeholders); *n_placeholders counts those.  *label_len (may be NULL) receives the
 * length of the text before the numbers.  Returns the number of values. */
int ib_doc_tail_numbers(const char *z, double *vals, int max, int *n_placeholders,
			size_t *label_len);

#endif
