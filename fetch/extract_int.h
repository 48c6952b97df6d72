/* extract_int.h - what the extractor's readers share: a table as a grid of cell texts
 * (from HTML or from text lines) and the engine that reads a grid with the rule table
 * data/extract_rules.csv.  Private to fetch/. */
#ifndef IDEABANK_EXTRACT_INT_H
#define IDEABANK_EXTRACT_INT_H

#include <stddef.h>

#include "ideabank/array.h"
#include "ideabank/extract.h"

/* Most cells kept of one row, and most columns one cell may span: wider rows are cut
 * (a note says so). */
#define X_MAX_CELLS 256
#define X_MAX_SPAN 64
/* Most rows kept of one table. */
#define X_MAX_ROWS 2000

typedef struct x_row {
	char **cell; /* cell texts, blanks collapsed, owned */
	size_t n;
	int line; /* text: 1-based line; HTML: 1-based row in the table */
	int page; /* text: page, 0 unknown */
} x_row;

/* A table as read, before the engine looks at it. */
typedef struct x_grid {
	x_row *rows;
	size_t n;
	char *caption; /* nearest heading/paragraph before the table, or <caption>; owned */
	char *after;   /* the paragraph right after the table (legends are printed there) */
	int table_no;
	int cut; /* 1 when rows or cells were left out (too many) */
} x_grid;

/* Append a row of n cells (copied) to g.  Returns IB_OK or IB_ENOMEM. */
int x_grid_add_row(x_grid *g, const char *const *cells, size_t n, int line, int page);
/* Free g's contents; accepts an emptied grid. */
void x_grid_free(x_grid *g);

/* Read g with the rule table; when it is a costed table (year columns and at least one
 * money row) append it to out.  Notes about what could not be read go to out's notes.
 * Returns IB_OK or IB_ENOMEM. */
int x_grid_read(const x_grid *g, ib_xresult *out);

/* Whether cell z heads a budget-year column ("2025", "2025 (fra 1. juli)", "B2026",
 * "Budget 2025"; not "2026-priser", "2025-2028" or "R2022"); *year gets the year. */
int x_year_header(const char *z, int *year);

/* Whether heading z is a section every case has ("Økonomiske konsekvenser",
 * "Sagsbeskrivelse": rule kind generic_heading), which names no proposal. */
int x_generic_heading(const char *z);

/* The variant ("Model 2", "Scenarie B") that text z names, or NULL (caller frees). */
char *x_variant(const char *z);

/* The line in data/extract_rules.csv of the first rule of kind that matches text z as
 * the engine matches it (a unit, sign legend, total label, variant), 0 when none. */
int x_rule_line(const char *kind, const char *z);

/* Append a Danish note (printf format) to r.  Returns IB_OK or IB_ENOMEM. */
#define x_note(r, ...) ib_strings_addf(&(r)->notes, &(r)->n_notes, __VA_ARGS__)

/* z folded for matching: blanks collapsed and trimmed, ASCII lower case, æ/ø/å spelled
 * ae/oe/aa; no_blanks drops every blank.  Caller frees; NULL when out of memory. */
char *x_fold(const char *z, int no_blanks);

/* z with blanks (ASCII, TAB, CR/LF, U+00A0) collapsed to single spaces and trimmed;
 * caller frees.  NULL when out of memory. */
char *x_squeeze(const char *z);

#endif
