/* agenda_int.h - what agenda.c (meetings read and stored) and agenda_classify.c (what a
 * case is: its parts, money, outcome and reason, the proposals made of it) share.
 * Private to fetch/. */
#ifndef IDEABANK_AGENDA_INT_H
#define IDEABANK_AGENDA_INT_H

#include <stddef.h>
#include <stdint.h>

#include "amounts.h"
#include "ideabank/extract.h"
#include "ideabank/proposal.h"

/* ---- rule tables ------------------------------------------------------------------ */

typedef struct ag_rule {
	char *kind;   /* decisions: yes, no, pending, none */
	char *field;  /* unused by the tables below */
	char *needle; /* folded */
	char *value;  /* kind or meaning */
} ag_rule;

typedef struct ag_rules {
	ag_rule *r;
	size_t n;
	int loaded; /* 1 loaded, -1 failed */
} ag_rules;

/* Load a compiled-in ';' table into t (nothing when it is loaded).  c_*: the columns of
 * kind, field, needle and value (-1: none); the needle is folded (ag_fold).  IB_OK or
 * IB_ENOMEM.  Not thread-safe by itself: call it from a pthread_once routine. */
int ag_load_rules(ag_rules *t, const char *csv, int c_kind, int c_field, int c_needle, int c_value);

/* z folded for matching (ASCII lower case, æ/ø/å as ae/oe/aa); caller frees; NULL when
 * out of memory. */
char *ag_fold(const char *z);

/* Whether needle occurs in the folded hay as whole words. */
int ag_has_words(const char *hay, const char *needle);

/* Collapse blanks (and U+00A0) and trim z in place; returns z. */
char *ag_squeeze(char *z);

/* ---- items ------------------------------------------------------------------------ */

/* The parts of an item the classifier reads.  A section of the case text belongs to a
 * part by its heading (data/agenda_sections.csv); AG_TITLE is the item's title and
 * AG_TEXT the whole text. */
enum {
	AG_TITLE = 0,
	AG_SUMMARY,	   /* resume: "Resume", "Præsentation" */
	AG_RECOMMENDATION, /* indstilling: "Indstilling", "Forvaltningen indstiller" */
	AG_DECISION,	   /* beslutning: "Beslutning" */
	AG_DESCRIPTION,	   /* sagsfremstilling: "Sagsbeskrivelse", "Sagsfremstilling" */
	AG_ECONOMY,	   /* økonomi: "Økonomiske konsekvenser", "Økonomi og finansiering" */
	AG_HISTORY,	   /* forløb: "Sagens forløb" (earlier decisions, repeated) */
	AG_OTHER,	   /* andet: other known headings ("Lovgrundlag", "Tidsplan") */
	AG_TEXT,	   /* tekst: the whole text */
	AG_N_PARTS
};

/* One agenda item: one appearance of a case on one meeting's agenda. */
typedef struct item {
	int64_t fetch_id; /* its meeting's fetch_log row, 0 for a file */
	char *meeting_id, *committee, *date, *when, *no, *case_no, *title, *url;
	char *text;		   /* the whole case text as plain text ("" for none) */
	char *part[AG_N_PARTS];	   /* each part's text (its sections joined), NULL: absent */
	char *heading[AG_N_PARTS]; /* the first heading of each part, as printed */
	ib_xresult x;		   /* the costed tables */
	int *table_part;	   /* the part each table stands in (AG_TEXT: none) */
	ib_tamount *am;		   /* amounts in the recommendation and economy parts */
	int *am_part;		   /* the part of each (its offsets are into that part) */
	size_t n_am;
	int x_failed; /* the case text could not be read */
	size_t order; /* slot in the report's out[] (input meetings' items), or NO_SLOT */
} item;

#define NO_SLOT ((size_t)-1) /* an item of a meeting stored before */

/* Free what it owns (not it). */
void ag_item_free(item *it);

/* Read an item's case text html[0..len-1] into it: its parts, tables and amounts.
 * IB_OK or IB_ENOMEM (a text that cannot be read sets it->x_failed). */
int ag_item_read(item *it, const char *html, size_t len);

/* The case an item belongs to: its case number, else "MEETING#punkt-N". */
void ag_case_key(const item *it, char *out, size_t n);

/* qsort order of item pointers: by case, then date, then input order. */
int ag_by_case(const void *a, const void *b);

/* Load the classifier's rule tables, once per process (pthread_once: any thread may
 * call it).  IB_OK or IB_ENOMEM. */
int ag_rules_ready(void);

/* ---- cases ------------------------------------------------------------------------ */

/* What a case became. */
typedef struct ag_outcome {
	const char *outcome; /* "proposal", "flagged" or "skipped" */
	const char *code;    /* the reason's code: table, text, table+text, agenda_business,
				... (data/agenda_reasons.csv) */
	const char *reason;  /* its Danish text */
	char *explain;	     /* which parts and rule rows decided it (one line, Danish
				quotes), owned */
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
