/* doc_int.h - what the document reader's parts share: lines and numbers (doc.c), the
 * layout rule table and its matcher (doc_rules.c), proposal blocks and their fields
 * (doc_blocks.c), tables of named rows and their checks (doc_rows.c), the overview
 * (doc_overview.c), and documents read as tables (doc_tables.c).  Private to fetch/. */
#ifndef IDEABANK_DOC_INT_H
#define IDEABANK_DOC_INT_H

#include <stdarg.h>
#include <stddef.h>

#include "ideabank/doc.h"

/* Most year columns a table may have. */
#define DOC_MAX_COLS 12

/* ---- lines, text and numbers (doc.c) ---------------------------------------------- */

/* z with leading blanks (ASCII, NBSP) skipped. */
const char *doc_skip_blank(const char *z);
/* Whether line z is empty or only blanks. */
int doc_is_blank(const char *z);
/* Lines [from, to) joined with single spaces, blanks collapsed, words split by a
 * line-end hyphen rejoined ("omkostnin-" + "ger"), bullet glyphs dropped; skip bytes
 * of the first line are left out.  Caller frees; NULL when out of memory. */
char *doc_join(const ib_doc *d, size_t from, size_t to, size_t skip);
/* Like doc_join but keeps paragraph breaks (a blank line becomes "\n"); lines whose
 * omit[i] is set (omit may be NULL) count as blank. */
char *doc_join_text(const ib_doc *d, size_t from, size_t to, const unsigned char *omit);
/* Shorten a summary in place to its first sentences (about 400 bytes; never inside
 * brackets); returns z. */
char *doc_summary(char *z);
/* Collapse blanks in z in place and trim it; returns z. */
char *doc_squeeze(char *z);
/* Append z to the label dst (size n), a blank between, a word split by a line-end
 * hyphen rejoined. */
void doc_label_add(char *dst, size_t n, const char *z);
/* The years on line z when every number at its end is a year (1990-2100) and there
 * are at least two; 0 otherwise.  Years go to years[0..max). */
int doc_year_columns(const char *z, int *years, int max);
/* Values in Danish notation, "?" for unknown: "185, -315, -515, -815". */
void doc_list_values(const double *v, int n, int decimals, char *out, size_t size);
/* Append one printf-formatted line (at most 511 bytes) to the array *lines of *n
 * strings, growing it; the array owns the copy.  IB_OK or IB_ENOMEM. */
int doc_lines_addv(char ***lines, size_t *n, const char *fmt, va_list ap);
/* Whether two amounts in 1000 kr agree (to half a krone). */
int doc_near_equal(double a, double b);
/* Fill the proposal's effect and full-phase-in year from its yearly nets (1000 kr,
 * negative = saving): effect = -(last year's net) in kr when known. */
void doc_effect_from_net(ib_proposal *p);
/* The municipality the text names ("X Kommune" whose X, or its genitive, is in the
 * registry; else a registry name standing as a word), else the publisher the title map
 * (data/documents.csv) gives the document; newly allocated, or NULL. */
char *doc_find_kommune(const ib_doc *d);
/* The registry's code of municipality name, 0 when it has none. */
int doc_registry_code(const char *name);

/* ---- the layout rule table (doc_rules.c) ------------------------------------------ */

/* One row of data/layout_rules.csv.  Strings live as long as the program. */
typedef struct doc_rule {
	const char *kind, *match, *text, *value, *arg, *why;
	int lines;	 /* the lines column, 0 when empty */
	int kommunekode; /* 0: the rule holds in every municipality */
	int csv_line;	 /* line in layout_rules.csv */
} doc_rule;

/* Where a rule matched a line: the match's bytes and a pattern's captures. */
typedef struct doc_hit {
	const char *start, *end; /* the matched text */
	const char *title;	 /* {title}: the rest of the line, NULL when none */
	char ref[16];		 /* {ref} or {code}, "" when none */
	int nr, year;		 /* {nr}, {year}; 0 when none */
} doc_hit;

/* The document being read: its text, the result, the municipality's code (rules with
 * another kommunekode do not apply). */
typedef struct doc_ctx {
	const ib_doc *d;
	ib_doc_result *r;
	int code;
} doc_ctx;

/* Rules of kind in file order: pass NULL for the first, the last one for the next;
 * NULL at the end.  Rules of another municipality than code are skipped. */
const doc_rule *doc_rule_next(const char *kind, const doc_rule *after, int code);
/* Whether rule x matches line z (match start, has, word, line or pattern); fills h
 * (may be NULL).  Text is compared without case, blank runs as one blank. */
int doc_rule_match(const doc_rule *x, const char *z, doc_hit *h);
/* The first rule of kind (value equal to value when not NULL) that matches z, or NULL. */
const doc_rule *doc_rule_find(const doc_ctx *c, const char *kind, const char *value, const char *z,
			      doc_hit *h);
/* The first line in [from, to) that a rule of kind (value as in doc_rule_find) matches,
 * or -1; *which (may be NULL) gets the rule. */
long doc_rule_line(const doc_ctx *c, const char *kind, const char *value, size_t from, size_t to,
		   const doc_rule **which, doc_hit *h);
/* The rule's value as a number. */
double doc_rule_number(const doc_rule *x);
/* Append a line of --explain output (printf format). */
int doc_explain(const doc_ctx *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Append a document-level note (printf format). */
int doc_note(ib_doc_result *r, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* ---- tables of named rows (doc_rows.c) --------------------------------------------- */

typedef struct doc_row {
	char label[512];	 /* as printed, lines joined */
	double v[DOC_MAX_COLS];	 /* per year column once placed; IB_NA unknown */
	int blank[DOC_MAX_COLS]; /* a cell left blank by a short row's placement */
	int n, ph;		 /* values read, of which placeholders */
	size_t line;		 /* line of the first value */
	char printed[256];	 /* the values as printed */
	const doc_rule *rule;	 /* the row rule that names it, NULL for a part row */
	const char *name;	 /* the row's name (the rule's arg, else its text) */
	const char *sub;	 /* the label after the row's name */
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

/* Read the table of yearly amounts in lines [from, to) into t: found by a table rule,
 * rows named by row rules, short rows placed by align rules, unnamed rows by row_next
 * rules; what could not be read becomes flags on p and notes.  Returns 1 when a table
 * was found, 0 when not (p is flagged no_table), -1 out of memory. */
int doc_table_read(const doc_ctx *c, size_t from, size_t to, ib_proposal *p, doc_table *t);
/* The yearly table, effect and implementation cost of p from t. */
int doc_table_apply(const doc_ctx *c, const doc_table *t, ib_proposal *p);
/* The check rules over t, the effect by majority when ov (the overview's figures per
 * table column, IB_NA where none; may be NULL) and the rows agree against the printed
 * net: flags on p. */
int doc_table_check(const doc_ctx *c, const doc_table *t, const double *ov, int rounded,
		    ib_proposal *p);
/* The row named name in t, or NULL. */
const doc_row *doc_table_row(const doc_table *t, const char *name);
/* The row that gives the net (a row rule of value "net"), or NULL. */
const doc_row *doc_table_role(const doc_table *t, const char *role);
void doc_table_free(doc_table *t);

/* ---- the overview (doc_overview.c) ------------------------------------------------- */

typedef struct doc_overview doc_overview;
/* Read the overview table in lines [0, to): its year columns, a row per case (named by
 * a reference or by an overview_case rule) with its net and investment rows, group
 * subtotals and the total; the subtotal checks become notes.  *out is NULL when there
 * is no overview.  IB_OK or IB_ENOMEM. */
int doc_overview_read(const doc_ctx *c, size_t to, doc_overview **out);
/* Match the overview's cases to the proposals (props[i] read from tables[i]): by
 * reference, else the proposal whose title shares the most words with the case's (at
 * least half of the case's words of four letters or more). */
void doc_overview_match(const doc_ctx *c, doc_overview *o, ib_proposal **props,
			const doc_table *tables, size_t n);
/* The overview's net figures for p in t's year columns into ov (IB_NA where none) and
 * its rounding; 0 when p has no overview row. */
int doc_overview_series(doc_overview *o, const ib_proposal *p, const doc_table *t, double *ov,
			int *rounded);
/* Hold each overview row against its proposal (flags overview_mismatch) and say what
 * has no counterpart; a row with a reference but no proposal fails the document
 * (IB_EPARSE, err set). */
int doc_overview_check(const doc_ctx *c, doc_overview *o, ib_error *err);
void doc_overview_free(doc_overview *o);
/* Hold another table's figures (net, inv: per year of years[0..n), IB_NA none; either
 * may be NULL) against p's yearly table, a figure rounded to rounded (> 1) agreeing:
 * a difference is an overview_mismatch flag naming where ("oversigtstabellen (linje
 * 13)") and the rows (net_name, inv_name).  *state: 0 nothing compared, 1 agrees, 2
 * differs.  IB_OK or IB_ENOMEM. */
int doc_overview_compare(const char *where, const int *years, int n, const double *net,
			 const double *inv, const char *net_name, const char *inv_name, int rounded,
			 ib_proposal *p, int *state);

/* ---- readers (doc_blocks.c, doc_tables.c) ------------------------------------------ */

/* The document as proposal blocks found by block and case rules: 1 read, 0 when no
 * block rule matches, -1 failed (err set). */
int doc_read_blocks(doc_ctx *c, ib_error *err);
/* The document as its tables of yearly amounts (one proposal per case and model):
 * 1 read, 0 when it has none, -1 failed (err set). */
int doc_read_tables(doc_ctx *c, ib_error *err);
/* The document's budget year from its budget_year rules: first its heading (lines
 * [0, head)), then a line that starts with one, then a meeting's date; 0 if none.
 * *line (may be NULL) gets the 0-based line. */
int doc_budget_year(const doc_ctx *c, size_t head, long *line);
/* The budget year of a text such as "Budget 2022" or "OFS 21/22"; 0 if none. */
int doc_year_of(const doc_ctx *c, const char *z);

#endif
