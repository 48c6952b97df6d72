/* amounts.h - amounts of money in running Danish text, with the budget years they are
 * for: "0,725 mio. kr. i 2023 og 1,450 mio. kr. i 2024 og frem", "120.000 kr. årligt",
 * "en besparelse på 586.000 kr. fra 2024", "fra 2026 en indtægt på 1,5 mio.".
 *
 * The text is cut into sentences and each sentence into tokens (numbers, words,
 * punctuation); the words that matter are the rule table data/amount_rules.csv (units,
 * year phrases, "per year" and "per unit" words, totals, ranges, the words that say what
 * an amount is: a saving, an expense, a budget already there, construction or operating
 * money), matched as token
 * sequences, so "mio.kr." and "mio. kr." are one rule.  The reader says what is
 * printed; whether an amount is a proposal's money is the caller's call.  Private to
 * fetch/ (and its unit test). */
#ifndef IDEABANK_AMOUNTS_H
#define IDEABANK_AMOUNTS_H

#include <stddef.h>

/* What the words next to an amount say it is (the value column of a "cue" rule). */
typedef enum ib_tcue {
	IB_TCUE_NONE = 0,
	IB_TCUE_SAVING,	 /* besparelse, mindreudgift, merindtægt, reduceres: less net spending */
	IB_TCUE_EXPENSE, /* merudgift, udgift, tillægsbevilling, forhøjes: more net spending */
	IB_TCUE_CONTEXT, /* a budget already there, a past figure, someone else's money */
	IB_TCUE_CONSTRUCTION, /* anlægsbevilling, rådighedsbeløb: construction money */
	IB_TCUE_EXTERNAL      /* paid by someone else: tilskud fra, fonden, puljemidler */
} ib_tcue;

/* One amount with a unit found in the text. */
typedef struct ib_tamount {
	double kr;	    /* the amount in kr (its unit applied); negative when printed so; the
			       upper end of a range holds the range's midpoint */
	int year;	    /* first budget year it is for; 0 when no year is named */
	int year_to;	    /* last year; 0 = open ("fra 2025", "2025 og frem"); == year for one */
	int yearly;	    /* said to be per year ("årligt", "om året", "pr. år", "fra 2025") */
	int per_year_word;  /* said so in words ("årligt", "om året", "pr. år"), not by a year */
	int total;	    /* said to be a total ("i alt", "samlet") */
	int per_unit;	    /* a price per unit ("kr. pr. time", "kr./m2", "à 250 kr.") */
	int range;	    /* one end of a range ("0,6-0,8 mio. kr.", "mellem 1,3 og 2,5 mio.") or a
			       ceiling ("op til 140.000 kr.") */
	int low;	    /* the lower end of a range: not the amount (the upper end carries the
			       range's midpoint, its amount) */
	int year_before;    /* the year phrase stands before the amount ("I 2025 ... N kr.") */
	ib_tcue cue;	    /* the nearest cue word before it in its sentence (or right after);
			       construction when its sentence names construction money before it
			       and no operating money */
	int operating;	    /* its sentence speaks of operating money ("afledt drift", "under driften") */
	int income;	    /* a saving that is income (cue value "income": indtægt, merindtægt) */
	char cue_word[48];  /* that word as printed (cut), "" for none */
	size_t at, len;	    /* the amount with its unit in the text */
	size_t s_at, s_len; /* its sentence in the text */
} ib_tamount;

/* Read the amounts of text[0..len-1] into *out (caller frees with free()); *n gets
 * their number.  Lines holding a TAB (table rows as ib_html_text() prints them) are
 * left out.  IB_OK or IB_ENOMEM (then *out is NULL and *n 0). */
int ib_amounts_read(const char *text, size_t len, ib_tamount **out, size_t *n);

/* The first budget named in text[0..len-1] ("Budget 2024-27", "budgetlægningen for
 * 2024", "teknisk rettelse til budget 2025") whose first year is min_year or later:
 * that year, else 0; *last (may be NULL) gets its last year.  A yearly amount without
 * a year of its own belongs there. */
int ib_amounts_budget_year(const char *text, size_t len, int min_year, int *last);

/* Whether z (a caption, a row label) speaks of operating money: an "operating" rule
 * ("drift", "afledt drift", "besparelse") matches it. */
int ib_amounts_operating(const char *z);

#endif
