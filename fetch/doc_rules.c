/* doc_rules.c - the layout rule table: data/layout_rules.csv compiled in (columns kind,
 * match, text, value, arg, lines, kommunekode, why), read once, and the matcher its
 * rules are tried with.  Text is compared without case (Æ Ø Å and the other Latin-1
 * capitals too), a run of blanks as one blank.  Match kinds: start (the line begins
 * with it), has (at the start of a word anywhere), word (a whole word), line (the whole
 * line, a final ':' ignored) and pattern (with {ref} {nr} {code} {year} {title} {Title}
 * {any}, at the line's start). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "doc_int.h"

extern const char ib_layout_rules_csv[];

static ib_csv table;
static doc_rule *rules;
static size_t n_rules;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
	if (IB_CSV_TABLE(ib_layout_rules_csv, &table, rules, NULL))
		return;
	for (size_t i = 1; i < table.n; i++) {
		char **f = table.rows[i].f;
		if (table.rows[i].n >= 8 && *f[2])
			rules[n_rules++] = (doc_rule){f[0],	  f[1],	      f[2],
						      f[3],	  f[4],	      f[7],
						      atoi(f[5]), atoi(f[6]), table.rows[i].line};
	}
}

const doc_rule *doc_rule_next(const char *kind, const doc_rule *after, int code)
{
	pthread_once(&once, load);
	for (size_t i = after ? (size_t)(after - rules) + 1 : 0; i < n_rules; i++)
		if (!strcmp(rules[i].kind, kind) &&
		    (!rules[i].kommunekode || rules[i].kommunekode == code))
			return &rules[i];
	return NULL;
}

/* Bytes of a blank at z (space, TAB, NBSP), 0 if none. */
static size_t blank_at(const char *z)
{
	if (*z == ' ' || *z == '\t')
		return 1;
	return (unsigned char)z[0] == 0xC2 && (unsigned char)z[1] == 0xA0 ? 2 : 0;
}

/* The character at z folded to lower case into *c; its length (0 at the end). */
static size_t fold_at(const char *z, unsigned *c)
{
	const unsigned char *u = (const unsigned char *)z;
	if (u[0] == 0xC3 && u[1]) {
		unsigned b = u[1];
		*c = 0xC300 | (b >= 0x80 && b <= 0x9E && b != 0x97 ? b + 0x20 : b); /* À-Þ */
		return 2;
	}
	*c = u[0] >= 'A' && u[0] <= 'Z' ? u[0] + 32u : u[0];
	return u[0] != 0;
}

/* Whether the character at z belongs to a word (a letter or digit). */
static int word_at(const char *z)
{
	unsigned char c = (unsigned char)*z;
	if (c < 0x80)
		return (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z');
	return c >= 0xC3 && c < 0xE0; /* Latin letters; not NBSP, dashes, boxes */
}

/* Whether the character before z (in a line starting at line) belongs to a word. */
static int word_before(const char *line, const char *z)
{
	if (z == line)
		return 0;
	while (--z > line && ((unsigned char)*z & 0xC0) == 0x80)
		;
	return word_at(z);
}

/* Whether t (with placeholders) matches at z; h gets the captures and the end. */
static int pattern_at(const char *z, const char *t, doc_hit *h)
{
	while (*t) {
		const char *close = *t == '{' ? strchr(t, '}') : NULL;
		if (*t == ' ') {
			if (!blank_at(z))
				return 0;
			for (size_t k; (k = blank_at(z)) > 0;)
				z += k;
			t++;
			continue;
		}
		if (!close) {
			unsigned a, b;
			size_t ka = fold_at(z, &a), kb = fold_at(t, &b);
			if (!ka || a != b)
				return 0;
			z += ka, t += kb;
			continue;
		}
		int k = (int)strspn(z, "0123456789"), a = 0;
		char name = t[1];
		if (name == 'r' || name == 'n') { /* {ref}, {nr}: 1-4 digits */
			if (k < 1 || k > 4)
				return 0;
			if (name == 'r')
				snprintf(h->ref, sizeof h->ref, "%.*s", k, z);
			else
				h->nr = atoi(z);
			z += k;
		} else if (name == 'c') { /* {code}: "AB01", "AB01." */
			while (z[a] >= 'A' && z[a] <= 'Z' && a < 5)
				a++;
			k = (int)strspn(z + a, "0123456789");
			if (!a || a > 4 || k < 1 || k > 3)
				return 0;
			snprintf(h->ref, sizeof h->ref, "%.*s", a + k, z);
			z += a + k + (z[a + k] == '.');
		} else if (name == 'y') { /* {year} */
			h->year = k == 4 ? atoi(z) : 0;
			if (h->year < 1990 || h->year > 2100)
				return 0;
			z += 4;
		} else if (name == 't' || name == 'T') { /* {title}: the rest; {Title} capital */
			unsigned char c = (unsigned char)*z;
			if (!c || blank_at(z) ||
			    (name == 'T' && !(c >= 'A' && c <= 'Z') &&
			     !(c == 0xC3 && (unsigned char)z[1] < 0x9F)))
				return 0;
			h->title = z;
			z += strlen(z);
		} else { /* {any}: as little as will do */
			for (const char *q = z;; q++) {
				doc_hit try = *h;
				if (pattern_at(q, close + 1, &try))
					return *h = try, 1;
				if (!*q)
					return 0;
			}
		}
		t = close + 1;
	}
	h->end = z;
	return 1;
}

int doc_rule_match(const doc_rule *x, const char *z, doc_hit *h)
{
	doc_hit local;
	h = h ? h : &local;
	memset(h, 0, sizeof *h);
	const char *p = doc_skip_blank(z), *last = x->text + strlen(x->text);
	while (last > x->text && ((unsigned char)*--last & 0xC0) == 0x80)
		;
	/* a match that ends in a letter or digit must end a word */
	int word_end = *x->text && word_at(last) && x->match[0] != 'p', anywhere = 0;
	if (x->match[0] == 'h' || x->match[0] == 'w')
		p = z, anywhere = 1;
	for (; *p; p++) {
		if (anywhere &&
		    (((unsigned char)*p & 0xC0) == 0x80 || (word_at(x->text) && word_before(z, p))))
			continue;
		h->start = p;
		if (pattern_at(p, x->text, h) &&
		    !(word_end && x->match[0] != 'h' && word_at(h->end))) {
			const char *rest = doc_skip_blank(h->end);
			if (x->match[0] != 'l' || !*doc_skip_blank(rest + (*rest == ':')))
				return 1;
		}
		memset(h, 0, sizeof *h);
		if (!anywhere)
			return 0;
	}
	return 0;
}

long doc_match_line(const doc_rule *x, const ib_doc *d, size_t from, size_t to, doc_hit *h)
{
	for (size_t i = from; i < to && i < d->n_lines; i++)
		if (doc_rule_match(x, d->line[i], h))
			return (long)i;
	return -1;
}

const doc_rule *doc_rule_find(const doc_ctx *c, const char *kind, const char *value, const char *z,
			      doc_hit *h)
{
	foreach_rule (x, kind)
		if ((!value || !strcmp(x->value, value)) && doc_rule_match(x, z, h))
			return x;
	return NULL;
}

long doc_rule_line(const doc_ctx *c, const char *kind, const char *value, size_t from, size_t to,
		   const doc_rule **which, doc_hit *h)
{
	const doc_rule *x = NULL;
	size_t i = from;
	while (i < to && i < c->d->n_lines &&
	       !(x = doc_rule_find(c, kind, value, c->d->line[i], h)))
		i++;
	if (x && which)
		*which = x;
	return x ? (long)i : -1;
}
