/* agenda_int.h - what agenda.c (meetings read and stored) and agenda_classify.c (what a
 * case is: its parts, money, outcome and reason, the proposals made of it) share.
 * Private to fetch/. */
#ifndef IDEABANK_AGENDA_INT_H
#define IDEABANK_AGENDA_INT_H

#include <stddef.h>
#include <stdint.h>

#include "ideabank/extract.h"
#include "ideabank/proposal.h"

/* ---- rule tables ------------------------------------------------------------------ */

typedef struct ag_rule {
	char *kind;   /* agenda rules: skip / art; decisions: yes, no, pending, none */
	char *field;  /* titel / resume (agenda rules only) */
	char *needle; /* folded */
	char *value;  /* reason, kind or meaning */
} ag_rule;

typedef struct ag_rules {
	ag_rule *r;
	size_t n;
	int loaded; /* 1 loaded, -1 failed */
} ag_rules;

/* Load a compiled-in ';' table once into t.  c_*: the columns of kind, field, needle
 * and value (-1: none); the needle is folded (ag_fold).  IB_OK or IB_ENOMEM. */
int ag_load_rules(ag_rules *t, const char *csv, int c_kind, int c_field, int c_needle, int c_value);

/* z folded for matching (ASCII lower case, æ/ø/å as ae/oe/aa); caller frees; NULL when
 * out of memory. */
char *ag_fold(const char *z);

/* Whether needle occurs in the folded hay as whole words. */
int ag_has_words(const char *hay, const char *needle);

/* Collapse blanks (and U+00A0) and trim z in place; returns z. */
char *ag_squeeze(char *z);

/* ---- items ------------------------------------------------------------------------ */

/* One agenda item: one appearance of a case on one meeting's agenda. */
typedef struct item {
	int64_t fetch_id; /* its meeting's fetch_log row, 0 for a file */
	char *meeting_id, *committee, *date, *when, *no, *case_no, *title, *url;
	char *text; /* plain text; only read for items with a costed table */
	char *summary, *decision;
	ib_xresult x;
	const char *skip; /* reason of a skip rule, or NULL */
	int historical;	  /* tables of years, but none with amounts for years to come */
	int x_failed;	  /* the case text could not be read */
	size_t order;	  /* slot in the report's out[] (input meetings' items), or NO_SLOT */
} item;

#define NO_SLOT ((size_t)-1) /* an item of a meeting stored before */

/* Free what it owns (not it). */
void ag_item_free(item *it);

/* Read an item's case text html[0..len-1] into it: its parts, tables and text.  The
 * item's title and date must be set.  IB_OK or IB_ENOMEM (a text that cannot be read
 * sets it->x_failed). */
int ag_item_read(item *it, const char *html, size_t len);

/* The case an item belongs to: its case number, else "MEETING#punkt-N". */
void ag_case_key(const item *it, char *out, size_t n);

/* qsort order of item pointers: by case, then date, then input order. */
int ag_by_case(const void *a, const void *b);

/* Load the classifier's rule tables (once).  IB_OK or IB_ENOMEM. */
int ag_rules_ready(void);

/* ---- cases ------------------------------------------------------------------------ */

/* What a case became. */
typedef struct ag_outcome {
	const char *outcome; /* "proposal", "flagged" or "skipped" */
	const char *reason;  /* Danish, from the rule tables */
	ib_proposal **p;     /* the proposals made of it (one per alternative), owned */
	size_t n_p;
	const item *src; /* the appearance the proposals come from, NULL when skipped */
} ag_outcome;

/* Classify case c[0..n-1] (its appearances, oldest first) of municipality kommunekode
 * and make its proposals.  out is the caller's; free with ag_outcome_free().  IB_OK or
 * IB_ENOMEM. */
int ag_classify(item **c, size_t n, int kommunekode, ag_outcome *out);

/* Free out's contents (not out); accepts an emptied outcome. */
void ag_outcome_free(ag_outcome *out);

#endif
