/* doc_int.h - what the document reader's parts share: lines and numbers (doc.c), the
 * layout rules and their matcher (doc_rules.c), proposal blocks (doc_blocks.c), tables
 * of named rows and their checks (doc_rows.c), the overview (doc_overview.c) and
 * documents read by their tables (doc_tables.c); ib_doc_parse() (doc_parse.c) chooses
 * between the readers.  Private to fetch/. */
#ifndef IDEABANK_DOC_INT_H
#define IDEABANK_DOC_INT_H

#include <stdarg.h>
#include <stddef.h>

#include "ideabank/array.h"
#include "ideabank/doc.h"

/* Most year columns a table may have. */
#define DOC_MAX_COLS 12

/* ---- lines, text and numbers (doc.c) ---------------------------------------------- */

/* z with leading blanks (ASCII, NBSP) skipped; whether z is only blanks. */
const char *doc_skip_blank(const char *z);
int doc_is_blank(const char *z);
/* Lines [from, to) joined with single blanks, words split by a line-end hyphen
 * rejoined, bullets dropped, skip bytes of the first line left out; doc_join_text keeps
 * a blank line as "\n", and lines with omit[i] set (omit may be NULL) count as blank.
 * Caller frees; NULL when out of memory. */
char *doc_join(const ib_doc *d, size_t from, size_t to, size_t skip);
char *doc_join_text(const ib_doc *d, size_t from, size_t to, const unsigned char *omit);
/* z shortened in place to its first sentences (about 400 bytes; a sentence does not
 * end inside brackets); blanks collapsed in place.  Both return z. */
char *doc_summary(char *z);
char *doc_squeeze(char *z);
/* Whether z (after blanks) begins with a lower-case letter: it goes on a text above. */
int doc_lower_start(const char *z);
/* Append z to the label dst (size n), a word split by a line-end hyphen rejoined. */
void doc_label_add(char *dst, size_t n, const char *z);
/* The years at the end of line z (at least two, 1990-2100, each one more), 0 if none. */
int doc_year_columns(const char *z, int *years, int max);
/* v[0..n) in Danish notation, "?" for unknown: "185, -315, -515". */
void doc_list_values(const double *v, int n, int decimals, char *out, size_t size);
/* Whether two amounts in 1000 kr agree (to half a krone). */
int doc_near_equal(double a, double b);
/* p's effect (-(last year's net) in kr) and full-phase-in year from its yearly nets. */
void doc_effect_from_net(ib_proposal *p);

/* ---- the layout rules (doc_rules.c) ------------------------------------------------ */

/* One row of data/layout_rules.csv; its strings live as long as the program. */
typedef struct doc_rule {
	const char *kind, *match, *text, *value, *arg, *why;
	int lines;	 /* the lines column, 0 when empty */
	int kommunekode; /* 0: the rule holds in every municipality */
	int csv_line;	 /* its line in layout_rules.csv */
} doc_rule;

/* Where a rule matched a line: the matched bytes and a pattern's captures. */
typedef struct doc_hit {
	const char *start, *end;
	const char *title; /* {title}: the rest of the line */
	char ref[16];	   /* {ref} or {code}, "" when none */
	int nr, year;	   /* {nr}, {year} */
} doc_hit;

/* The document being read, its result, and its municipality's code (rules of another
 * municipality do not apply). */
typedef struct doc_ctx {
	const ib_doc *d;
	ib_doc_result *r;
	int code;
} doc_ctx;

/* The rules of kind in file order (after: NULL for the first), for municipality code. */
const doc_rule *doc_rule_next(const char *kind, const doc_rule *after, int code);
#define foreach_rule(x, kind)                                                                      \
	for (const doc_rule *x = doc_rule_next(kind, NULL, c->code); x;                            \
	     x = doc_rule_next(kind, x, c->code))
/* Whether rule x matches line z; h (may be NULL) gets where. */
int doc_rule_match(const doc_rule *x, const char *z, doc_hit *h);
/* The first line in [from, to) rule x matches, or -1. */
long doc_match_line(const doc_rule *x, const ib_doc *d, size_t from, size_t to, doc_hit *h);
/* The first rule of kind (of value when not NULL) that matches z, or NULL. */
const doc_rule *doc_rule_find(const doc_ctx *c, const char *kind, const char *value, const char *z,
			      doc_hit *h);
/* The first line in [from, to) such a rule matches (*which: the rule), or -1. */
long doc_rule_line(const doc_ctx *c, const char *kind, const char *value, size_t from, size_t to,
		   const doc_rule **which, doc_hit *h);
/* Append a line of --explain output, or a document note (printf formats); IB_OK or
 * IB_ENOMEM. */
#define doc_explain(c, ...) ib_strings_addf(&(c)->r->explain, &(c)->r->n_explain, __VA_ARGS__)
#define doc_note(r, ...) ib_strings_addf(&(r)->notes, &(r)->n_notes, __VA_ARGS__)

/* ---- tables of named rows (doc_rows.c) --------------------------------------------- */

typedef struct doc_row {
	char label[512];	 /* as printed, lines joined */
	double v[DOC_MAX_COLS];	 /* per year column once placed; IB_NA unknown */
	int blank[DOC_MAX_COLS]; /* a cell a short row's placement left blank */
	int n, ph;		 /* values read, of which placeholders */
	size_t at, line;	 /* lines of its label and of its first value */
	char printed[256];	 /* the values as printed */
	const doc_rule *rule;	 /* the row rule that names it, NULL for a part row */
	const char *name;	 /* its name (the rule's arg, else its text) */
	const char *sub;	 /* the label after the name */
	int unnamed;		 /* printed without a label */
} doc_row;

typedef struct doc_table {
	const doc_rule *rule; /* the table rule that found it */
	size_t title_line, years_line, end;
	int years[DOC_MAX_COLS];
	int ncols;
	doc_row *rows;
	size_t n_rows;
	const char *side; /* a column beside the years printed in the table, or NULL */
} doc_table;

/* The table of yearly amounts in lines [from, to) into t; what could not be read
 * becomes flags on p and notes.  1 found, 0 none (p flagged no_table), -1 no memory. */
int doc_table_read(const doc_ctx *c, size_t from, size_t to, ib_proposal *p, doc_table *t);
/* p's yearly table, effect and implementation cost from t. */
int doc_table_apply(const doc_ctx *c, const doc_table *t, ib_proposal *p);
/* The check rules over t, and the effect by majority when the overview's net figures
 * ov (per column, IB_NA none; ov may be NULL) and the rows agree against the net. */
int doc_table_check(const doc_ctx *c, const doc_table *t, const double *ov, int rounded,
		    ib_proposal *p);
/* The named row of t whose name (by_role: whose rule's value, "net", ...) is z, or NULL. */
const doc_row *doc_table_row(const doc_table *t, const char *z, int by_role);
void doc_table_free(doc_table *t);

/* ---- the overview (doc_overview.c) ------------------------------------------------- */

typedef struct doc_overview doc_overview;
/* The overview table in lines [0, to) (*out NULL when none); its subtotals are checked
 * as notes.  Then its cases matched to the proposals (props[i] read from tables[i]),
 * a case's net figures in t's columns (0 when p has none), and each case held against
 * its proposal (a case with a reference but no proposal fails, IB_EPARSE). */
int doc_overview_read(const doc_ctx *c, size_t to, doc_overview **out);
void doc_overview_match(const doc_ctx *c, doc_overview *o, ib_proposal **props,
			const doc_table *tables, size_t n);
int doc_overview_series(doc_overview *o, const ib_proposal *p, const doc_table *t, double *ov,
			int *rounded);
int doc_overview_check(const doc_ctx *c, doc_overview *o, ib_error *err);
void doc_overview_free(doc_overview *o);
/* Another table's figures (net, inv per years[0..n), either may be NULL) against p's:
 * a difference is an overview_mismatch flag naming where and the rows; a figure
 * rounded to rounded (> 1) agrees.  *state: 0 none compared, 1 agree, 2 differ. */
int doc_overview_compare(const char *where, const int *years, int n, const double *net,
			 const double *inv, const char *net_name, const char *inv_name, int rounded,
			 ib_proposal *p, int *state);

/* ---- the readers (doc_blocks.c, doc_tables.c) --------------------------------------- */

/* The document as its blocks, or as its tables: 1 read, 0 none, -1 failed (err set). */
int doc_read_blocks(doc_ctx *c, ib_error *err);
int doc_read_tables(doc_ctx *c, ib_error *err);
/* The first field of role (field rules) in lines [from, to): its value; a title or
 * summary runs to the next field (after a heading: its paragraph).  *at and *which
 * (may be NULL, both or neither) get its line and rule.  Caller frees; NULL if none. */
char *doc_field(const doc_ctx *c, const char *role, size_t from, size_t to, long *at,
		const doc_rule **which);
/* The budget year budget_year rules find: in the heading (lines [0, head)), at a line's
 * start, from a meeting's date; 0 if none.  doc_year_of: of a text ("OFS 21/22"). */
int doc_budget_year(const doc_ctx *c, size_t head, long *line);
int doc_year_of(const doc_ctx *c, const char *z);

#endif
