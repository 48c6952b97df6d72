/* amounts.c - amounts of money in running Danish text and the budget years they are
 * for, read through the rule table data/amount_rules.csv.  See amounts.h. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amounts.h"
#include "csv.h"
#include "ideabank/error.h"
#include "ideabank/proposal.h"

extern const char ib_amount_rules_csv[];

/* Longest token kept for matching (folded); longer words are cut. */
#define TOK_MAX 48
/* Longest rule, in tokens. */
#define RULE_MAX 6
/* Tokens read of one sentence; the rest of a longer one is left out. */
#define SENT_MAX 600

typedef enum { T_WORD, T_NUM, T_PUNCT } tok_type;

typedef struct tok {
	tok_type type;
	size_t at, len;	 /* in the text */
	char f[TOK_MAX]; /* folded: lower case, æ/ø/å as ae/oe/aa */
	double v;	 /* T_NUM: the value */
	int year_like;	 /* T_NUM: four digits, 1990-2100, no separators */
	int upper;	 /* T_WORD: begins with a capital */
	int blank_before;
} tok;

/* ---- the rule table ------------------------------------------------------------ */

typedef enum {
	R_UNIT,
	R_ABBREV,
	R_YEARLY,
	R_FROM_BEFORE,
	R_IN_BEFORE,
	R_FROM_AFTER,
	R_NOT_YEAR,
	R_RANGE,
	R_RANGE_BEFORE,
	R_TOTAL,
	R_PER_UNIT,
	R_PER_UNIT_BEFORE,
	R_CUE,
	R_OPERATING,
	R_BUDGET,
	R_IN_BUDGET,
	R_LEVEL,
	R_N_KINDS
} rule_kind;

static const char *const kind_names[R_N_KINDS] = {
    "unit",	"abbrev",    "yearly",	     "from_before", "in_before", "from_after",
    "not_year", "range",     "range_before", "total",	    "per_unit",	 "per_unit_before",
    "cue",	"operating", "budget",	     "in_budget",   "level"};

typedef enum { M_SEQ, M_STEM, M_HAS } match_kind;

typedef struct arule {
	rule_kind kind;
	match_kind match;
	char t[RULE_MAX][TOK_MAX]; /* the tokens, folded; "*" is any word */
	int n;
	int last_stem; /* a "stem" rule of several words, matched as a sequence of tokens
			  that each begin with its word ("afledt drift" in "afledte
			  driftsudgifter") */
	double value;  /* unit: kr */
	ib_tcue cue;   /* cue */
	int income;    /* cue "income": a saving that is income */
	char text[64]; /* as written, for stem/has */
} arule;

static arule *rules;
static size_t n_rules;
static int loaded; /* 1 loaded, -1 failed */
static pthread_once_t load_once = PTHREAD_ONCE_INIT;

static void fold_into(const char *z, size_t n, char *out)
{
	char buf[TOK_MAX * 2];
	size_t k = n < sizeof buf - 1 ? n : sizeof buf - 1;
	memcpy(buf, z, k);
	buf[k] = '\0';
	char f[TOK_MAX * 2 + 8];
	ib_fold_ascii(buf, f, sizeof f);
	size_t fl = strlen(f);
	if (fl >= TOK_MAX)
		fl = TOK_MAX - 1;
	memcpy(out, f, fl);
	out[fl] = '\0';
}

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* A letter: ASCII, or any byte of a multi-byte UTF-8 character that is not a blank,
 * dash or quote of its own. */
static size_t letter_len(const unsigned char *z)
{
	if ((*z >= 'a' && *z <= 'z') || (*z >= 'A' && *z <= 'Z'))
		return 1;
	if (*z < 0x80)
		return 0;
	/* U+00A0, U+2010-U+201F (dashes, quotes), U+2212 are not letters */
	if (z[0] == 0xC2 && (z[1] == 0xA0 || z[1] == 0xAB || z[1] == 0xBB || z[1] == 0xBD))
		return 0;
	if (z[0] == 0xE2 && z[1] == 0x80)
		return 0;
	if (z[0] == 0xE2 && z[1] == 0x88 && z[2] == 0x92)
		return 0;
	size_t n = (*z & 0xE0) == 0xC0 ? 2 : (*z & 0xF0) == 0xE0 ? 3 : (*z & 0xF8) == 0xF0 ? 4 : 1;
	for (size_t i = 1; i < n; i++)
		if (!z[i])
			return i;
	return n;
}

/* Length of a blank at z (ASCII, U+00A0), 0 if none. */
static size_t blank_len(const unsigned char *z)
{
	if (*z == ' ' || *z == '\t' || *z == '\r' || *z == '\f' || *z == '\v')
		return 1;
	if (z[0] == 0xC2 && z[1] == 0xA0)
		return 2;
	return 0;
}

/* Length of a dash at z: '-', U+2013, U+2014, U+2212; 0 if none. */
static size_t dash_len(const unsigned char *z)
{
	if (*z == '-')
		return 1;
	if (z[0] == 0xE2 && z[1] == 0x80 && (z[2] == 0x93 || z[2] == 0x94))
		return 3;
	if (z[0] == 0xE2 && z[1] == 0x88 && z[2] == 0x92)
		return 3;
	return 0;
}

/* A number at z: digits with thousands dots (groups of three) and a decimal comma (or
 * a decimal point before one or two digits); its length, and *v. */
static size_t number_len(const unsigned char *z, double *v)
{
	size_t i = 0;
	double x = 0;
	while (is_digit(z[i]))
		x = x * 10 + (z[i++] - '0');
	if (!i)
		return 0;
	for (;;) {
		if (z[i] == '.' && is_digit(z[i + 1]) && is_digit(z[i + 2]) && is_digit(z[i + 3]) &&
		    !is_digit(z[i + 4])) {
			x = x * 1000 + (z[i + 1] - '0') * 100 + (z[i + 2] - '0') * 10 +
			    (z[i + 3] - '0');
			i += 4;
			continue;
		}
		break;
	}
	int dec = (z[i] == ',' && is_digit(z[i + 1])) ||
		  (z[i] == '.' && is_digit(z[i + 1]) &&
		   (!is_digit(z[i + 2]) || (is_digit(z[i + 2]) && !is_digit(z[i + 3]))));
	if (dec) {
		i++;
		double scale = 0.1;
		while (is_digit(z[i])) {
			x += (z[i++] - '0') * scale;
			scale /= 10;
		}
	} else if (z[i] == ',' && z[i + 1] == '-') {
		i++; /* "500,-" */
	}
	*v = x;
	return i;
}

/* Cut z[0..len-1] into tokens (at most max); newlines become T_PUNCT "\n". */
static size_t tokenize(const char *text, size_t at, size_t end, tok *t, size_t max)
{
	const unsigned char *z = (const unsigned char *)text;
	size_t n = 0, i = at;
	int blank = 1;
	while (i < end && n < max) {
		size_t k;
		if ((k = blank_len(z + i)) > 0) {
			i += k;
			blank = 1;
			continue;
		}
		tok *x = &t[n];
		memset(x, 0, sizeof *x);
		x->at = i;
		x->blank_before = blank;
		blank = 0;
		double v;
		if ((k = number_len(z + i, &v)) > 0 && !letter_len(z + i + k)) {
			x->type = T_NUM;
			x->v = v;
			x->year_like = k == 4 && v >= 1990 && v <= 2100;
			x->len = k;
			snprintf(x->f, TOK_MAX, "%.*s", (int)(k < TOK_MAX - 1 ? k : TOK_MAX - 1),
				 text + i);
		} else if (letter_len(z + i) || is_digit(z[i])) {
			/* a word (letters and digits: "m2", "3K") */
			size_t j = i;
			while (j < end && ((k = letter_len(z + j)) > 0 || is_digit(z[j])))
				j += k ? k : 1;
			x->type = T_WORD;
			x->len = j - i;
			x->upper = (z[i] >= 'A' && z[i] <= 'Z') ||
				   (z[i] == 0xC3 &&
				    (z[i + 1] == 0x86 || z[i + 1] == 0x98 || z[i + 1] == 0x85));
			fold_into(text + i, x->len, x->f);
		} else {
			x->type = T_PUNCT;
			k = dash_len(z + i);
			if (k) {
				snprintf(x->f, TOK_MAX, "-");
			} else {
				k = 1;
				while (z[i] >= 0x80 && i + k < end && (z[i + k] & 0xC0) == 0x80)
					k++;
				snprintf(x->f, TOK_MAX, "%.*s", (int)k, text + i);
			}
			x->len = k;
		}
		i += x->len;
		n++;
	}
	return n;
}

static void load_rules(void)
{
	loaded = -1;
	ib_csv c;
	if (ib_csv_parse(ib_amount_rules_csv, strlen(ib_amount_rules_csv), ';', &c, NULL))
		return;
	rules = calloc(c.n ? c.n : 1, sizeof *rules);
	for (size_t i = 1; rules && i < c.n; i++) {
		const ib_csv_row *row = &c.rows[i];
		if (row->n < 4)
			continue;
		arule *r = &rules[n_rules];
		memset(r, 0, sizeof *r);
		int k = -1;
		for (int j = 0; j < R_N_KINDS && k < 0; j++)
			if (!strcmp(row->f[0], kind_names[j]))
				k = j;
		if (k < 0)
			continue;
		r->kind = (rule_kind)k;
		r->match = !strcmp(row->f[1], "stem")  ? M_STEM
			   : !strcmp(row->f[1], "has") ? M_HAS
						       : M_SEQ;
		r->value = atof(row->f[3]);
		r->income = !strcmp(row->f[3], "income");
		r->cue = !strcmp(row->f[3], "saving") || r->income ? IB_TCUE_SAVING
			 : !strcmp(row->f[3], "expense")      ? IB_TCUE_EXPENSE
			 : !strcmp(row->f[3], "context")      ? IB_TCUE_CONTEXT
			 : !strcmp(row->f[3], "construction") ? IB_TCUE_CONSTRUCTION
			 : !strcmp(row->f[3], "external")     ? IB_TCUE_EXTERNAL
							      : IB_TCUE_NONE;
		if (r->kind == R_LEVEL)
			r->cue = IB_TCUE_CONTEXT;
		fold_into(row->f[2], strlen(row->f[2]), r->text);
		tok t[RULE_MAX + 1];
		size_t nt = tokenize(row->f[2], 0, strlen(row->f[2]), t, RULE_MAX + 1);
		if (!nt || nt > RULE_MAX)
			continue;
		for (size_t j = 0; j < nt; j++)
			snprintf(r->t[j], TOK_MAX, "%s", t[j].f);
		r->n = (int)nt;
		if (nt > 1 && r->match != M_SEQ) {
			r->match = M_SEQ;
			r->last_stem = 1;
		}
		n_rules++;
	}
	ib_csv_free(&c);
	if (rules)
		loaded = 1;
}

/* Load the rule table once per process (pthread_once); 0 when it cannot be read. */
static int load(void)
{
	pthread_once(&load_once, load_rules);
	return loaded > 0;
}

/* Whether rule r matches tokens t[i..n-1] (token sequence); its length in tokens. */
static int seq_at(const arule *r, const tok *t, size_t i, size_t n)
{
	if (i + (size_t)r->n > n)
		return 0;
	for (int j = 0; j < r->n; j++) {
		const tok *x = &t[i + (size_t)j];
		if (!strcmp(r->t[j], "*")) {
			if (x->type != T_WORD)
				return 0;
			continue;
		}
		/* a stem rule of several words: each of its words begins a token */
		if (r->last_stem ? strncmp(r->t[j], x->f, strlen(r->t[j])) : strcmp(r->t[j], x->f))
			return 0;
	}
	return r->n;
}

/* The longest rule of kind matching at t[i]; its length in tokens (0: none), the rule
 * in *hit. */
static int match(rule_kind kind, const tok *t, size_t i, size_t n, const arule **hit)
{
	int best = 0;
	for (size_t k = 0; k < n_rules; k++) {
		const arule *r = &rules[k];
		if (r->kind != kind)
			continue;
		int m = 0;
		if (r->match == M_SEQ)
			m = seq_at(r, t, i, n);
		else if (i < n && t[i].type == T_WORD)
			m = r->match == M_STEM ? !strncmp(t[i].f, r->text, strlen(r->text))
					       : strstr(t[i].f, r->text) != NULL;
		if (m > best) {
			best = m;
			if (hit)
				*hit = r;
			if (r->match != M_SEQ)
				break; /* stem and has rules: the first in the table wins */
		}
	}
	return best;
}

/* ---- sentences ----------------------------------------------------------------- */

/* Whether the '.' at t[i] ends a sentence. */
static int ends_sentence(const tok *t, size_t i, size_t n)
{
	if (i + 1 >= n)
		return 1;
	const tok *next = &t[i + 1];
	/* a numbered point after it: "... hjælpemidlerne. 2. at vedtægterne ..." */
	if (next->type == T_NUM && next->blank_before && !next->year_like && next->v < 100 &&
	    i + 2 < n && (!strcmp(t[i + 2].f, ".") || !strcmp(t[i + 2].f, ")")))
		return 1;
	if (!(next->type == T_WORD && next->upper) || !next->blank_before)
		return 0;
	if (i > 0 && t[i - 1].type == T_WORD && match(R_ABBREV, t, i - 1, i, NULL))
		return 0;
	return 1;
}

/* ---- years --------------------------------------------------------------------- */

typedef struct years {
	int from, to; /* to 0: open */
	int list;     /* a list of years ("2023 og 2024"): each of from..to */
	int budget;   /* named as a budget ("i Budget 2024-27") */
	size_t end;   /* token after the phrase */
} years;

/* A year at t[i] that is a budget year (not "2023-PL"); 1 when so. */
static int budget_year(const tok *t, size_t i, size_t n)
{
	if (i >= n || t[i].type != T_NUM || !t[i].year_like)
		return 0;
	/* a number followed by a unit is an amount */
	if (match(R_UNIT, t, i + 1, n, NULL))
		return 0;
	return !match(R_NOT_YEAR, t, i + 1, n, NULL);
}

/* Years at t[i]: "2025", "2025-2027", "2025-27", "2025 til 2027", "2025 og 2026",
 * "2025, 2026 og 2027", "2025 og frem". */
static int year_span(const tok *t, size_t i, size_t n, years *y)
{
	if (!budget_year(t, i, n))
		return 0;
	memset(y, 0, sizeof *y);
	y->from = y->to = (int)t[i].v;
	size_t j = i + 1;
	if (j + 1 < n && (!strcmp(t[j].f, "-") || !strcmp(t[j].f, "til")) &&
	    t[j + 1].type == T_NUM) {
		int to = (int)t[j + 1].v;
		if (t[j + 1].len == 2)
			to = y->from / 100 * 100 + to;
		if ((t[j + 1].len == 2 || budget_year(t, j + 1, n)) && to > y->from &&
		    to < y->from + 20) {
			y->to = to;
			j += 2;
		}
	} else {
		/* a list: "2023 og 2024", "2023, 2024 og 2025" */
		size_t k = j;
		int last = y->from;
		while (k + 1 < n && (!strcmp(t[k].f, ",") || !strcmp(t[k].f, "og")) &&
		       budget_year(t, k + 1, n) && (int)t[k + 1].v == last + 1) {
			last = (int)t[k + 1].v;
			k += 2;
		}
		if (last > y->from) {
			y->to = last;
			y->list = 1;
			j = k;
		}
	}
	int m = match(R_FROM_AFTER, t, j, n, NULL);
	if (m && y->to == y->from) {
		y->to = 0;
		j += (size_t)m;
	}
	y->end = j;
	return 1;
}

static int is_word(const tok *t, const char *w);

/* The token of the year after a date or a part of the year at t[j] ("1. juli 2025",
 * "1. kvartal 2025", "januar 2025", "efteråret 2024"), else j. */
static size_t date_before_year(const tok *t, size_t j, size_t n)
{
	if (j + 2 < n && t[j].type == T_NUM && !t[j].year_like && !strcmp(t[j + 1].f, ".") &&
	    t[j + 2].type == T_WORD && !t[j + 2].upper)
		return j + 3;
	if (j + 1 < n && t[j].type == T_WORD && !t[j].upper && budget_year(t, j + 1, n) &&
	    !match(R_FROM_BEFORE, t, j, n, NULL) && !match(R_IN_BEFORE, t, j, n, NULL))
		return j + 1;
	return j;
}

/* A year phrase starting at t[i]: "i 2025", "fra 2025", "2025 og frem", "i årene
 * 2025-2027", "fra 1. januar 2025". */
static int year_phrase(const tok *t, size_t i, size_t n, years *y)
{
	int from = 1, budget = 0, m = match(R_FROM_BEFORE, t, i, n, NULL);
	if (!m) {
		from = 0;
		m = match(R_IN_BUDGET, t, i, n, NULL);
		budget = m > 0;
	}
	if (!m)
		m = match(R_IN_BEFORE, t, i, n, NULL);
	if (!m)
		return 0;
	size_t j = date_before_year(t, i + (size_t)m, n);
	if (!year_span(t, j, n, y))
		return 0;
	/* "fra september 2022 til september 2024": a span */
	if (from && y->to == y->from && y->end + 1 < n && is_word(&t[y->end], "til")) {
		size_t k = date_before_year(t, y->end + 1, n);
		if (budget_year(t, k, n) && (int)t[k].v > y->from && (int)t[k].v < y->from + 20) {
			y->to = (int)t[k].v;
			y->end = k + 1;
			return 1;
		}
	}
	/* "fra 2025 til 2027" is a span, "fra 2025" on */
	if (from && y->to == y->from)
		y->to = 0;
	y->budget = budget;
	return 1;
}

/* ---- amounts ------------------------------------------------------------------- */

typedef struct found {
	ib_tamount a;
	size_t tok, end; /* the number's token; the token after its unit */
	size_t after;	 /* the token after what follows it (per year, its years) */
	int budget;	 /* its years are a budget's ("i Budget 2024-27") */
	int bound;	 /* years bound */
} found;

static int is_word(const tok *t, const char *w)
{
	return t->type == T_WORD && !strcmp(t->f, w);
}

static void read_sentence(const char *text, const tok *t, size_t n, size_t s_at, size_t s_end,
			  found *f, size_t *nf, size_t max)
{
	size_t first = *nf;
	for (size_t i = 0; i < n && *nf < max; i++) {
		if (t[i].type != T_NUM)
			continue;
		const arule *u = NULL;
		int m = match(R_UNIT, t, i + 1, n, &u);
		/* "50-60.000 kr.", "0,6 – 0,8 mio. kr.": the first end takes the unit */
		if (!m && i + 3 <= n && match(R_RANGE, t, i + 1, n, NULL) && i + 2 < n &&
		    t[i + 2].type == T_NUM) {
			size_t j = i + 2;
			m = match(R_UNIT, t, j + 1, n, &u);
			if (m) {
				found *x = &f[(*nf)++];
				memset(x, 0, sizeof *x);
				x->a.kr = t[i].v * u->value;
				x->a.range = 1;
				x->a.low = 1;
				x->a.at = t[i].at;
				x->a.len = t[i].len;
				x->tok = i;
				x->end = i + 1;
				x->a.s_at = s_at;
				x->a.s_len = s_end - s_at;
				continue;
			}
		}
		if (!m)
			continue;
		found *x = &f[(*nf)++];
		memset(x, 0, sizeof *x);
		x->tok = i;
		x->end = i + 1 + (size_t)m;
		x->a.kr = t[i].v * u->value;
		x->a.at = t[i].at;
		x->a.len = t[x->end - 1].at + t[x->end - 1].len - t[i].at;
		x->a.s_at = s_at;
		x->a.s_len = s_end - s_at;
		/* a minus right before the number, not the end of a range */
		if (i > 0 && !strcmp(t[i - 1].f, "-") && !t[i].blank_before &&
		    (i < 2 || t[i - 2].type != T_NUM))
			x->a.kr = -x->a.kr;
		if (i > 0 && is_word(&t[i - 1], "minus"))
			x->a.kr = -x->a.kr;
		/* the other end of a range before it */
		if (i >= 2 && t[i - 2].type == T_NUM && match(R_RANGE, t, i - 1, n, NULL))
			x->a.range = 1;
		/* "mellem 1,3 mio. og 2,5 mio.", "op til", "maksimalt" */
		for (size_t k = i >= 4 ? i - 4 : 0; k < i; k++)
			if (match(R_RANGE_BEFORE, t, k, n, NULL))
				x->a.range = 1;
		if (i >= 2 && is_word(&t[i - 1], "og") && *nf - first >= 2 &&
		    f[*nf - 2].end == i - 1 && f[*nf - 2].a.range) {
			x->a.range = 1;
			f[*nf - 2].a.low = 1;
		}
	}
	/* what follows each amount: per unit, per year, its years */
	for (size_t k = first; k < *nf; k++) {
		found *x = &f[k];
		years y;
		memset(&y, 0, sizeof y);
		size_t j = x->end;
		x->after = j;
		if (x->a.range && x->end == x->tok + 1)
			continue; /* the first end of a range: read with the other end */
		int m;
		for (int guard = 0; guard < 4 && j < n; guard++) {
			if ((m = match(R_YEARLY, t, j, n, NULL)) && !x->a.per_unit) {
				x->a.yearly = x->a.per_year_word = 1;
				j += (size_t)m;
				continue;
			}
			if ((m = match(R_PER_UNIT, t, j, n, NULL))) {
				x->a.per_unit = 1;
				j += (size_t)m;
				continue;
			}
			/* "0,354 mio. kr. i mindre indtægt i 2025", "0,7 mio. kr. om året til en
			   teknisk rettelse i 2025 og frem": what it is, then its years */
			{
				size_t k2 = j + (is_word(&t[j], "i") || is_word(&t[j], "til") ||
							 is_word(&t[j], "som")
						     ? 1
						     : 0);
				if (k2 > j && k2 < n &&
				    (is_word(&t[k2], "en") || is_word(&t[k2], "et")))
					k2++;
				const arule *h = NULL;
				int mc = k2 < n ? match(R_CUE, t, k2, n, &h) : 0;
				if (mc && h->cue != IB_TCUE_CONTEXT && k2 + (size_t)mc < n &&
				    (year_phrase(t, k2 + (size_t)mc, n, &y) ||
				     budget_year(t, k2 + (size_t)mc, n))) {
					j = k2 + (size_t)mc;
					continue;
				}
			}
			/* "(0,5 mio. kr.)", "netto", "inkl. moms" and the like are skipped */
			if (is_word(&t[j], "netto") || is_word(&t[j], "brutto") ||
			    !strcmp(t[j].f, ")")) {
				j++;
				continue;
			}
			if ((is_word(&t[j], "inkl") || is_word(&t[j], "ekskl") ||
			     is_word(&t[j], "ex")) &&
			    j + 1 < n) {
				size_t k2 = j + 1 + (!strcmp(t[j + 1].f, ".") ? 1 : 0);
				if (k2 < n && is_word(&t[k2], "moms")) {
					j = k2 + 1;
					continue;
				}
			}
			break;
		}
		if (j < n && year_phrase(t, j, n, &y)) {
			x->a.year = y.from;
			x->a.year_to = y.to;
			if (!y.to)
				x->a.yearly = 1;
			x->bound = 1;
			j = y.end;
			/* "årligt fra 2025", "fra 2025 årligt" */
			if ((m = match(R_YEARLY, t, j, n, NULL)))
				x->a.yearly = x->a.per_year_word = 1;
			x->budget = y.budget;
		} else if (j < n && budget_year(t, j, n) && year_span(t, j, n, &y) && y.to == 0) {
			/* "N kr. 2025 og frem" */
			x->a.year = y.from;
			x->a.yearly = 1;
			x->bound = 1;
		}
		x->after = j;
		/* "N og M kr. i henholdsvis 2024 og 2025": the years go to the amounts in turn */
		if (x->bound && y.list && k > first) {
			int span = y.to - y.from + 1;
			size_t before = 0;
			while (before + 1 < (size_t)span && k - before > first &&
			       !f[k - before - 1].bound && f[k - before - 1].end < x->tok)
				before++;
			if (before + 1 == (size_t)span) {
				for (size_t b = 0; b <= before; b++) {
					found *z = &f[k - before + b];
					z->a.year = z->a.year_to = y.from + (int)b;
					z->bound = 1;
				}
			}
		}
	}
	/* the words before each amount: a year phrase, per year, total, per unit, the cue */
	for (size_t k = first; k < *nf; k++) {
		found *x = &f[k];
		size_t lo =
		    k > first ? (f[k - 1].after > f[k - 1].end ? f[k - 1].after : f[k - 1].end) : 0;
		if (lo > x->tok)
			lo = x->tok;
		for (size_t j = x->tok; j-- > lo;) {
			if (x->tok - j <= 8 && match(R_YEARLY, t, j, n, NULL))
				x->a.yearly = x->a.per_year_word = 1;
			if (x->tok - j <= 8 && match(R_TOTAL, t, j, n, NULL))
				x->a.total = 1;
			if (x->tok - j <= 4 && match(R_PER_UNIT_BEFORE, t, j, n, NULL))
				x->a.per_unit = 1;
		}
		if (!x->bound) {
			/* the nearest year phrase before it in the sentence, not one that an
			   amount before it already took */
			for (size_t j = x->tok; j-- > lo;) {
				years y;
				if (year_phrase(t, j, n, &y) && y.end <= x->tok) {
					x->a.year = y.from;
					x->a.year_to = y.to;
					if (!y.to)
						x->a.yearly = 1;
					x->a.year_before = 1;
					x->bound = 1;
					x->budget = y.budget;
					break;
				}
			}
		}
		/* the cue: the nearest cue word before it in its sentence, else right after;
		   a construction word since the amount before it makes it construction money
		   ("anlægsbevilling til indtægter på 109.500 kr.") */
		const arule *c = NULL;
		size_t c_at = 0;
		/* said right after it: "0,354 mio. kr. i mindre indtægt", "N kr. i besparelse" */
		for (size_t j = x->end; j < n && j < x->end + 2 && !c; j++) {
			const arule *h = NULL;
			if (j == x->end && (is_word(&t[j], "i") || is_word(&t[j], "som")))
				continue;
			if (match(R_CUE, t, j, n, &h) && h->cue != IB_TCUE_NONE &&
			    h->cue != IB_TCUE_CONTEXT) {
				c = h;
				c_at = j;
			}
			break;
		}
		int depth = 0; /* inside a parenthesis: a remark, not what the amount is */
		for (size_t j = x->tok; j-- > 0 && !c;) {
			if (!strcmp(t[j].f, ")"))
				depth++;
			else if (!strcmp(t[j].f, "(") && depth > 0)
				depth--;
			const arule *h = NULL;
			if (!depth && match(R_CUE, t, j, n, &h) && h->cue != IB_TCUE_NONE) {
				c = h;
				c_at = j;
				/* a cue of several words that ends here says more than its last
				   word ("en mindre udgift på": less expense, not an expense) */
				for (size_t k = j; k-- > 0 && k + 3 > j;) {
					const arule *h2 = NULL;
					int m = match(R_CUE, t, k, n, &h2);
					if (m && k + (size_t)m > j && h2->cue != IB_TCUE_NONE) {
						c = h2;
						c_at = k;
					}
				}
			}
		}
		for (size_t j = x->end; j < n && j < x->end + 3 && !c; j++) {
			const arule *h = NULL;
			if (match(R_CUE, t, j, n, &h) && h->cue != IB_TCUE_NONE) {
				c = h;
				c_at = j;
			}
		}
		int operating = 0;
		for (size_t j = x->tok; j-- > 0 && !operating;)
			operating = match(R_OPERATING, t, j, n, NULL) > 0;
		for (size_t j = x->tok;
		     j-- > 0 && c && c->cue != IB_TCUE_CONSTRUCTION && !operating;) {
			const arule *h = NULL;
			if (match(R_CUE, t, j, n, &h) && h->cue == IB_TCUE_CONSTRUCTION) {
				c = h;
				c_at = j;
			}
		}
		/* "nedsættes til 5.000 kr.", "falder ... til 390.000 kr.": the level after a
		   change, not the change */
		size_t til = x->tok;
		/* "til", "til ca.", "til cirka" right before it */
		for (size_t j = x->tok; j-- > lo && x->tok - j <= 3;) {
			if (is_word(&t[j], "til")) {
				til = j;
				break;
			}
			if (!(t[j].type == T_WORD && (match(R_ABBREV, t, j, n, NULL) ||
						       is_word(&t[j], "cirka"))) &&
			    strcmp(t[j].f, "."))
				break;
		}
		if (til < x->tok) {
			/* the change word in the same clause, a few words before "til" */
			for (size_t j = til; j-- > lo && til - j <= 6 && t[j].type != T_PUNCT;) {
				const arule *h = NULL;
				if (match(R_LEVEL, t, j, n, &h)) {
					c = h;
					c_at = j;
					break;
				}
			}
		}
		/* "for budgetåret 2023 ... en merudgift på 0,5 mio. kr. mod et mindreforbrug på
		   1,2 mio. kr.": the year phrase before the amount before it covers an amount
		   that names no year but says what it is in words of its own */
		if (!x->bound && k > first && f[k - 1].bound && f[k - 1].a.year_before &&
		    f[k - 1].a.year && f[k - 1].a.year_to == f[k - 1].a.year && c &&
		    c_at > f[k - 1].end && c_at < x->tok) {
			x->a.year = x->a.year_to = f[k - 1].a.year;
			x->a.year_before = 1;
			x->bound = 1;
		}
		/* "… 50.000 kr. til en konsulent, finansieret af en konto under driften af
		   veje": operating money said after it */
		for (size_t j = x->end; j < n && !operating; j++)
			operating = match(R_OPERATING, t, j, n, NULL) > 0;
		x->a.operating = operating;
		if (c)
			snprintf(x->a.cue_word, sizeof x->a.cue_word, "%.*s",
				 (int)(t[c_at].len < sizeof x->a.cue_word - 1
					   ? t[c_at].len
					   : sizeof x->a.cue_word - 1),
				 text + t[c_at].at);
		x->a.cue = c ? c->cue : IB_TCUE_NONE;
		x->a.income = c && c->income;
		/* "fra 5.000 kr. til 40.000 kr.": the level before and after a change, not
		   the change (a limit, a rate, a budget's size) */
		if (til < x->tok && k > first && f[k - 1].end == til && f[k - 1].tok > 0 &&
		    is_word(&t[f[k - 1].tok - 1], "fra") && !f[k - 1].a.range) {
			x->a.cue = f[k - 1].a.cue = IB_TCUE_CONTEXT;
			x->a.income = f[k - 1].a.income = 0;
		}
		/* "450.000 kr. i Budget 2024-27": the budget's first year, unless per year */
		if (x->budget && !x->a.yearly && x->a.year_to > x->a.year)
			x->a.year_to = x->a.year;
		if (x->a.year && !x->a.year_to && !x->a.yearly)
			x->a.yearly = 1;
		if (x->a.year && x->a.year_to == 0)
			x->a.yearly = 1;
	}
	/* a list of amounts ("hhv. 0,058 mio. kr. (...) og 0,189 mio. kr.") shares "per year" */
	for (size_t k = first + 1; k < *nf; k++) {
		found *a = &f[k - 1], *b = &f[k];
		size_t j = a->after;
		if (j < n && !strcmp(t[j].f, "(")) {
			while (j < n && strcmp(t[j].f, ")"))
				j++;
			j++;
		}
		if (j + 1 == b->tok && (is_word(&t[j], "og") || !strcmp(t[j].f, ",")) &&
		    a->a.cue == b->a.cue && !a->bound && !b->bound) {
			int yearly = a->a.yearly || b->a.yearly;
			int word = a->a.per_year_word || b->a.per_year_word;
			a->a.yearly = b->a.yearly = yearly;
			a->a.per_year_word = b->a.per_year_word = word;
		}
	}
	/* the first end of a range takes its years from the other end */
	for (size_t k = first; k + 1 < *nf; k++)
		if (f[k].a.range && f[k].end == f[k].tok + 1 && f[k + 1].a.range) {
			f[k].a.year = f[k + 1].a.year;
			f[k].a.year_to = f[k + 1].a.year_to;
			f[k].a.yearly = f[k + 1].a.yearly;
			f[k].a.per_year_word = f[k + 1].a.per_year_word;
			f[k].a.cue = f[k + 1].a.cue;
			f[k].a.income = f[k + 1].a.income;
			memcpy(f[k].a.cue_word, f[k + 1].a.cue_word, sizeof f[k].a.cue_word);
		}
	/* a range's amount is its midpoint, carried by its upper end: "0,6-0,8 mio. kr.",
	   "mellem 1,3 og 2,5 mio. kr.", "mellem 54.400 og 68.000 kr." (the lower end
	   without a unit of its own); a ceiling ("op til 140.000 kr.") is its amount */
	for (size_t k = first; k < *nf; k++) {
		found *x = &f[k];
		if (!x->a.range || x->a.low)
			continue;
		if (k > first && f[k - 1].a.low && f[k - 1].tok + 4 >= x->tok) {
			x->a.kr = (f[k - 1].a.kr + x->a.kr) / 2;
			continue;
		}
		size_t i = x->tok;
		if (i >= 3 && t[i - 2].type == T_NUM && is_word(&t[i - 1], "og") &&
		    (k == first || f[k - 1].end <= i - 2) && x->end > i + 1) {
			const arule *u = NULL;
			if (match(R_UNIT, t, i + 1, n, &u) && u)
				x->a.kr = (t[i - 2].v * u->value * (x->a.kr < 0 ? -1 : 1) + x->a.kr) / 2;
		}
	}
}

int ib_amounts_read(const char *text, size_t len, ib_tamount **out, size_t *n_out)
{
	*out = NULL;
	*n_out = 0;
	if (!load())
		return IB_ENOMEM;
	tok *t = malloc(SENT_MAX * sizeof *t);
	size_t max = 64, nf = 0;
	found *f = malloc(max * sizeof *f);
	if (!t || !f) {
		free(t);
		free(f);
		return IB_ENOMEM;
	}
	int rc = IB_OK;
	size_t line = 0;
	while (line < len && !rc) {
		size_t eol = line;
		while (eol < len && text[eol] != '\n')
			eol++;
		if (!memchr(text + line, '\t', eol - line)) {
			/* sentences of the line */
			size_t nt = tokenize(text, line, eol, t, SENT_MAX);
			size_t s = 0;
			for (size_t i = 0; i <= nt; i++) {
				int end = i == nt;
				if (!end && t[i].type == T_PUNCT &&
				    ((t[i].f[0] == '.' && ends_sentence(t, i, nt)) ||
				     t[i].f[0] == '!' || t[i].f[0] == '?'))
					end = 1;
				if (!end)
					continue;
				size_t e = i < nt ? i + 1 : nt;
				if (e > s) {
					if (nf + 32 > max) {
						found *g = realloc(f, max * 2 * sizeof *g);
						if (!g) {
							rc = IB_ENOMEM;
							break;
						}
						f = g;
						max *= 2;
					}
					size_t s_at = t[s].at;
					size_t s_end = t[e - 1].at + t[e - 1].len;
					read_sentence(text, t + s, e - s, s_at, s_end, f, &nf, max);
					/* token indexes were relative to the sentence */
				}
				s = e;
			}
		}
		line = eol + 1;
	}
	free(t);
	if (rc) {
		free(f);
		return rc;
	}
	ib_tamount *a = malloc((nf ? nf : 1) * sizeof *a);
	if (!a) {
		free(f);
		return IB_ENOMEM;
	}
	for (size_t i = 0; i < nf; i++)
		a[i] = f[i].a;
	free(f);
	*out = a;
	*n_out = nf;
	return IB_OK;
}

int ib_amounts_budget_year(const char *text, size_t len, int min_year, int *last)
{
	if (last)
		*last = 0;
	if (!load())
		return 0;
	tok *t = malloc(SENT_MAX * sizeof *t);
	if (!t)
		return 0;
	int found = 0;
	size_t line = 0;
	while (line < len && !found) {
		size_t eol = line;
		while (eol < len && text[eol] != '\n')
			eol++;
		size_t nt = tokenize(text, line, eol, t, SENT_MAX);
		for (size_t i = 0; i < nt && !found; i++) {
			int m = match(R_BUDGET, t, i, nt, NULL);
			if (!m)
				continue;
			years y;
			if (year_span(t, i + (size_t)m, nt, &y) && y.from >= min_year) {
				found = y.from;
				if (last)
					*last = y.to ? y.to : y.from;
			}
		}
		line = eol + 1;
	}
	free(t);
	return found;
}

int ib_amounts_operating(const char *z)
{
	if (!z || !load())
		return 0;
	tok *t = malloc(SENT_MAX * sizeof *t);
	if (!t)
		return 0;
	size_t n = tokenize(z, 0, strlen(z), t, SENT_MAX);
	int hit = 0;
	for (size_t i = 0; i < n && !hit; i++)
		hit = match(R_OPERATING, t, i, n, NULL) > 0;
	free(t);
	return hit;
}
