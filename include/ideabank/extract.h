/* extract.h - one layout-independent reader of costed proposals.
 *
 * Municipal documents print a proposal's money as a table of budget years: agenda
 * items as HTML tables, PDFs through `pdftotext -layout` as columns, text copied from
 * a browser as TAB-separated cells.  The extractor finds such tables whatever the
 * layout: the year columns ("2025", "2025 (fra 1. juli)", "B2026", "2026-priser"), the
 * unit wherever it is printed (header, caption, row label, cell suffix), the sign
 * legend, the total row with its component rows, rows that count things rather than
 * money, drift vs anlæg, and alternatives (model 1/2/3, scenarios) as variants.  The
 * words it knows (units, sign legends, total labels, count words, anlæg words, variant
 * words, year header words) are a rule table (data/extract_rules.csv, compiled in), not
 * code.  Tables are reported as printed; whether one is a proposal is the caller's call.
 *
 * Amounts stay as printed in the table (ib_xtable.unit_kr says what one printed unit
 * is in kr); ib_extract_apply() turns a table into the feed model: years in 1000 kr,
 * negative = saving, effect_kr at full phase-in. */
#ifndef IDEABANK_EXTRACT_H
#define IDEABANK_EXTRACT_H

#include <stddef.h>

#include "doc.h"
#include "error.h"
#include "proposal.h"

/* Most year columns a table may have. */
#define IB_X_MAX_COLS 16

typedef enum ib_xrow_kind {
	IB_XROW_MONEY = 0, /* an amount per year */
	IB_XROW_TOTAL,	   /* the total ("I alt", "Netto", "Total", "… i alt") */
	IB_XROW_COUNT	   /* not money: "Antal …", årsværk, pladser, borgere */
} ib_xrow_kind;

typedef struct ib_xrow {
	char *label;		 /* the row's label as printed, blanks collapsed */
	double v[IB_X_MAX_COLS]; /* per year column, as printed (unit_kr); IB_NA blank */
	int n;			 /* columns with a number (== the table's n_years when complete) */
	ib_xrow_kind kind;
	int anlaeg; /* 1 anlæg / investment, 0 drift (operating), -1 not said */
	int line;   /* text: 1-based line of the row; HTML: 1-based row in the table (<tr>) */
} ib_xrow;

typedef struct ib_xtable {
	int years[IB_X_MAX_COLS];	/* budget year of each column */
	char *year_text[IB_X_MAX_COLS]; /* the column header as printed ("2025 (fra 1. juli)") */
	int n_years;
	double unit_kr;	 /* kr per printed unit: 1, 1000 or 1000000; 0 = not printed */
	char *unit_text; /* the text the unit was read from, NULL when not printed */
	int sign;	 /* +1: positive = more expense (feed's sign); -1: positive = saving */
	char *sign_text; /* the legend the sign was read from, NULL when assumed (+1) */
	char *caption;	 /* <caption>, else the heading or paragraph (text: the line) just
			    before the table; NULL if none */
	char *variant;	 /* "Model 2", "Scenarie B" when the table is an alternative */
	ib_xrow *rows;
	size_t n_rows;
	long total_row; /* index into rows of the total row, -1 when there is none; other
			   rows matching a total label (subtotals) are IB_XROW_TOTAL too */
	char *pool;	/* the label that shows the table disposes of a pool ("Rest til
			   fordeling"), NULL when it does not */
	int finance;	/* 1: the table holds finance items only (instalments, interest) */
	int table_no;	/* 1-based position of the table in the item / document */
	int page;	/* text: page of the table's first row, 0 unknown */
	int line;	/* text: 1-based line of the year header */
} ib_xtable;

typedef struct ib_xresult {
	ib_xtable *tables; /* only tables with year columns and at least one money row */
	size_t n;
	char **notes; /* what could not be read, one Danish line each (become flags) */
	size_t n_notes;
} ib_xresult;

/* Find the costed tables in an HTML fragment (an agenda item's case text) with
 * libxml2's HTML parser; inline images and scripts are ignored.  On success *out holds
 * zero or more tables; the caller frees it with ib_xresult_free().  Fails with
 * IB_EPARSE (not parseable at all, not UTF-8), IB_ETOOBIG (over 2 GB) or IB_ENOMEM;
 * *out is empty then. */
int ib_extract_html(const char *html, size_t len, ib_xresult *out, ib_error *err);

/* The same for lines [from, to) of a text document (pdftotext -layout columns, or
 * TAB-separated cells; a table starts at a header line of year columns).  to == 0
 * means the whole document.  Tables are numbered from 1 within [from, to).  Fails with
 * IB_ENOMEM only. */
int ib_extract_doc(const ib_doc *d, size_t from, size_t to, ib_xresult *out, ib_error *err);

/* Free r's contents (not r); accepts NULL and an emptied result. */
void ib_xresult_free(ib_xresult *r);

/* Fill p's yearly table and effect from t: each year's net (the total row, else the sum
 * of the money rows) converted to 1000 kr with the feed's sign (negative = saving),
 * investment from anlæg rows, effect_kr = minus the last year's net in kr, full_year
 * that year, and p->page from t.  Problems become flags on p (missing unit assumed,
 * total that does not add up, incomplete rows).  Returns IB_OK or IB_ENOMEM. */
int ib_extract_apply(const ib_xtable *t, ib_proposal *p);

/* An HTML fragment as plain text: block elements end lines, a blank line between
 * paragraphs, each table row one line with its cells separated by TABs, entities
 * decoded, U+00A0 a blank, images and scripts dropped; content nested deeper than 400
 * elements is left out.  Caller frees ("" for no text).  NULL when out of memory or
 * not UTF-8. */
char *ib_html_text(const char *html, size_t len);

/* The text under each <h1>-<h6> (or bold paragraph) heading of an agenda item's case
 * text: "Beslutning", "Indstilling", "Økonomiske konsekvenser", "Resume", ...
 * Returns the section's plain text (as ib_html_text(), trimmed; caller frees) for the
 * first heading that matches heading (compared without case, æ/ø/å folded, a final ':'
 * ignored), or NULL when there is none.  A section runs to the next heading of the same
 * or a higher level; a bold paragraph is a peer of the heading before it. */
char *ib_html_section(const char *html, size_t len, const char *heading);

/* An HTML fragment read in one walk (ib_html_read()): its plain text as ib_html_text()
 * makes it, every heading with the text under it, and its costed tables with where
 * each stands in the text. */
typedef struct ib_html_heading {
	char *name;	   /* the heading as printed, blanks collapsed */
	int level;	   /* 1-6 for <h1>-<h6>; a paragraph in bold: the level before it */
	int bold;	   /* 1: a paragraph in bold, not an <hN> */
	size_t start, end; /* the heading's own text in text */
} ib_html_heading;

typedef struct ib_html_doc {
	char *text; /* the plain text ("" for none) */
	size_t len;
	ib_html_heading *heads; /* in order */
	size_t n_heads;
	ib_xresult x;	  /* the costed tables (when read with tables) */
	size_t *table_at; /* x.tables[i] starts at text[table_at[i]] */
} ib_html_doc;

/* Read html once into *out: text, headings and (with_tables) the costed tables.  The
 * caller frees *out with ib_html_doc_free().  Fails as ib_extract_html(); *out is
 * empty then. */
int ib_html_read(const char *html, size_t len, int with_tables, ib_html_doc *out, ib_error *err);

/* Free d's contents (not d); accepts an emptied doc. */
void ib_html_doc_free(ib_html_doc *d);

#endif
