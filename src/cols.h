/* cols.h - a record rendered once: a column table per record (a proposal as a line,
 * a peer row, a room row, a row of a proposal's yearly table) that the terminal
 * table, CSV, JSON and the web page all read, as git's pretty.c formats one commit for
 * every --format.  A column has its name, its Danish labels and one getter that gives
 * its value for each output; a new field is one row of a table.
 *
 * CSV and JSON write every column of the table that has a CSV name or JSON key (and
 * whose needs the context has), in the table's order.  The terminal and the web page
 * show a view: the names of the columns they show, in their order ("id kommune
 * titel:48"; ":N" sets the terminal width there). */
#ifndef IDEABANK_COLS_H
#define IDEABANK_COLS_H

#include <stdio.h>

#include "cli.h"

struct cJSON;

typedef enum cli_fmt { CLI_TERM, CLI_CSV, CLI_JSON, CLI_HTML } cli_fmt;

/* cli_col.need and cli_cols_ctx.have: a column is written only when the context has
 * every need. */
enum {
	COL_PJ = 1,	 /* a projection onto a municipality (--for, Min kommune) */
	COL_SCORE = 2,	 /* the ranking score (--sort score) */
	COL_BASKET = 4,	 /* a basket's lines */
	COL_DISTANCE = 8 /* peers chosen by their distance (--method nearest) */
};

/* cli_col.flags */
enum {
	COL_NO_CSV = 1, /* not a CSV column (the terminal's, the web page's or JSON's only) */
	COL_RIGHT = 2,	/* right-aligned on the terminal */
	COL_SIGNED = 4, /* "+" before a positive number on the web page (effects) */
	COL_TITLE = 8	/* a title: a cut keeps its closing "(…)", the variant */
};

/* A value: a number (num, x with decimals; IB_NA unknown) or a text (z; NULL unknown or
 * none).  The getter may keep the text in buf. */
typedef struct cli_val {
	int num;
	double x;
	int decimals;
	const char *z;
	const char *cls; /* on the web page: the cell's class besides its alignment, or NULL */
	char buf[320];
} cli_val;

/* What a table is written with: what it has (COL_* needs), the projection, the text of
 * an unknown value on the terminal, and the table's own context. */
typedef struct cli_cols_ctx {
	unsigned have;
	const cli_projection *pj;
	const char *na; /* "ukendt" when NULL */
	const void *aux;
} cli_cols_ctx;

typedef struct cli_col {
	const char *key;   /* its name in views; its CSV heading unless COL_NO_CSV */
	const char *json;  /* its JSON key, or NULL */
	const char *head;  /* its terminal heading, or NULL; "{kommune}" is the projection's
			      municipality, "{aar}" its population's year */
	const char *label; /* its web heading; NULL: head (as head for {kommune}, {aar}) */
	const char *note;  /* the web heading's small print, or NULL */
	const char *cell;  /* its name on a card (data-l) on a phone; NULL: the label */
	int width;	   /* on the terminal; -1: the width the others leave */
	int decimals;
	unsigned need, flags;
	/* the value of rec for output f */
	void (*get)(const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v);
	/* JSON other than a string, number or null (an object, two keys), or NULL */
	void (*json_fn)(struct cJSON *o, const void *rec, const cli_cols_ctx *x);
	/* CSV cells other than one (a pair per year): the headings when rec is NULL, or
	   NULL; never the first column */
	void (*csv_fn)(FILE *f, const void *rec, const cli_cols_ctx *x);
} cli_col;

/* Set v to the text z (NULL: unknown), or to the number x (IB_NA: unknown). */
void cli_val_text(cli_val *v, const char *z);
void cli_val_num(cli_val *v, double x);
/* Add key: v to JSON object o, null when v is IB_NA. */
void cli_json_num(struct cJSON *o, const char *key, double v);

/* The column named key of a table ending with a NULL key, or NULL. */
const cli_col *cli_col_find(const cli_col *cols, const char *key);
/* c's web heading (label, else head) and its name on a card (cell, else that). */
const char *cli_col_label(const cli_col *c);
const char *cli_col_cell(const cli_col *c);
/* 1 when the context has what c needs. */
int cli_col_shown(const cli_col *c, const cli_cols_ctx *x);
/* c's value of rec for output f. */
void cli_col_get(const cli_col *c, const void *rec, const cli_cols_ctx *x, cli_fmt f, cli_val *v);
/* A heading or label with "{kommune}" and "{aar}" filled in from x's projection, into
 * out (size n); returns out ("" for NULL). */
const char *cli_col_text(const char *tmpl, const cli_cols_ctx *x, char *out, size_t n);
/* The next column of a view ("id kommune titel:48") from *view, advancing it; its
 * terminal width (the column's, or the view's :N) in *width.  NULL at the end, and
 * for names the table lacks or whose needs x lacks (skipped). */
const cli_col *cli_view_next(const cli_col *cols, const char **view, const cli_cols_ctx *x,
			     int *width);

/* CSV: the heading row, and a row of rec (csv_field and csv_num, CRLF). */
void cli_cols_csv_head(FILE *f, const cli_col *cols, const cli_cols_ctx *x);
void cli_cols_csv_row(FILE *f, const cli_col *cols, const void *rec, const cli_cols_ctx *x);
/* JSON: rec's columns added to object o. */
void cli_cols_json(struct cJSON *o, const cli_col *cols, const void *rec, const cli_cols_ctx *x);
/* The terminal: the heading line and a line of rec by view, two blanks between the
 * columns, table width width (for a -1 column); no line feed after either. */
void cli_cols_term_head(FILE *f, const cli_col *cols, const char *view, const cli_cols_ctx *x,
			int width);
void cli_cols_term_row(FILE *f, const cli_col *cols, const char *view, const void *rec,
		       const cli_cols_ctx *x, int width);

#endif
