/* doc_rules.c - the layout rule table: data/layout_rules.csv compiled in (columns kind,
 * match, text, value, arg, lines, kommunekode, why), read once, and the matcher its
 * rules are tried with.  Text is compared without case (Æ Ø Å and other Latin-1
 * capitals too), a run of blanks as one blank.  Match kinds: start (the line begins
 * with it), has (at the start of a word anywhere), word (a whole word), line (the whole
 * line, a final ':' ignored) and pattern (placeholders {ref} {nr} {code} {year} {title}
 * {Title} {any}, anchored at the line's start). */
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
	if (ib_csv_parse(ib_layout_rules_csv, strlen(ib_layout_rules_csv), ';', &table, NULL) ||
	    table.n < 2 || !(rules = calloc(table.n, sizeof *rules)))
		return;
	for (size_t i = 1; i < table.n; i++) {
		const ib_csv_row *r = &table.rows[i];
		if (r->n < 8 || !*r->f[2])
			continue;
		doc_rule *x = &rules[n_rules++];
		x->kind = r->f[0];
		x->match = r->f[1];
		x->text = r->f[2];
		x->value = r->f[3];
		x->arg = r->f[4];
		x->why = r->f[7];
		x->lines = atoi(r->f[5]);
		x->kommunekode = atoi(r->f[6]);
		x->csv_line = r->line;
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

double doc_rule_number(const doc_rule *x)
{
	return atof(x->value);
}

/* ---- characters ------------------------------------------------------------------ */

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
	if (!u[0])
		return 0;
	if (u[0] == 0xC3 && u[1]) {
		unsigned b = u[1];
		if (b >= 0x80 && b <= 0x9E && b != 0x97)
			b += 0x20; /* À-Þ -> à-þ */
		*c = 0xC300 | b;
		return 2;
	}
	*c = u[0] >= 'A' && u[0] <= 'Z' ? u[0] + 32u : u[0];
	return 1;
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
	const char *p = z - 1;
	while (p > line && ((unsigned char)*p & 0xC0) == 0x80)
		p--;
	return word_at(p);
}

/* Where text t matches at z: the end in z, or NULL.  A blank in t matches a run. */
static const char *text_at(const char *z, const char *t)
{
	while (*t) {
		if (*t == ' ') {
			size_t k = blank_at(z);
			if (!k)
				return NULL;
			while ((k = blank_at(z)) > 0)
				z += k;
			while (*t == ' ')
				t++;
			continue;
		}
		unsigned a, b;
		size_t ka = fold_at(z, &a), kb = fold_at(t, &b);
		if (!ka || a != b)
			return NULL;
		z += ka;
		t += kb;
	}
	return z;
}

/* ---- patterns -------------------------------------------------------------------- */

static int digits(const char *z)
{
	int k = 0;
	while (z[k] >= '0' && z[k] <= '9')
		k++;
	return k;
}

static int pattern_at(const char *line, const char *z, const char *t, doc_hit *h)
{
	while (*t) {
		if (*t != '{') {
			if (*t == ' ') {
				if (!blank_at(z))
					return 0;
				for (size_t k; (k = blank_at(z)) > 0;)
					z += k;
				t++;
				continue;
			}
			unsigned a, b;
			size_t ka = fold_at(z, &a), kb = fold_at(t, &b);
			if (!ka || a != b)
				return 0;
			z += ka, t += kb;
			continue;
		}
		const char *close = strchr(t, '}');
		if (!close)
			return 0;
		size_t tl = (size_t)(close - t) + 1;
		int k = digits(z);
		if (!strncmp(t, "{ref}", tl) || !strncmp(t, "{nr}", tl)) {
			if (k < 1 || k > 4)
				return 0;
			if (t[1] == 'r')
				snprintf(h->ref, sizeof h->ref, "%.*s", k, z);
			else
				h->nr = atoi(z);
			z += k;
		} else if (!strncmp(t, "{code}", tl)) {
			int a = 0;
			while (z[a] >= 'A' && z[a] <= 'Z' && a < 5)
				a++;
			k = digits(z + a);
			if (!a || a > 4 || k < 1 || k > 3)
				return 0;
			snprintf(h->ref, sizeof h->ref, "%.*s", a + k, z);
			z += a + k;
			z += *z == '.';
		} else if (!strncmp(t, "{year}", tl)) {
			int y = k == 4 ? atoi(z) : 0;
			if (y < 1990 || y > 2100)
				return 0;
			h->year = y;
			z += 4;
		} else if (!strncmp(t, "{title}", tl) || !strncmp(t, "{Title}", tl)) {
			unsigned c;
			if (!fold_at(z, &c) || blank_at(z))
				return 0;
			if (t[1] == 'T' &&
			    !((*z >= 'A' && *z <= 'Z') ||
			      ((unsigned char)z[0] == 0xC3 && (unsigned char)z[1] < 0x9F)))
				return 0;
			h->title = z;
			z += strlen(z);
		} else if (!strncmp(t, "{any}", tl)) {
			for (const char *q = z;; q++) {
				doc_hit try = *h;
				if (pattern_at(line, q, close + 1, &try)) {
					*h = try;
					return 1;
				}
				if (!*q)
					return 0;
			}
		} else {
			return 0;
		}
		t = close + 1;
	}
	h->end = z;
	return 1;
}

int doc_rule_match(const doc_rule *x, const char *z, doc_hit *h)
{
	doc_hit local;
	if (!h)
		h = &local;
	memset(h, 0, sizeof *h);
	const char *p = doc_skip_blank(z);
	const char *e = NULL;
	/* a match that ends in a letter or digit must end a word */
	const char *last = x->text + strlen(x->text);
	while (last > x->text && ((unsigned char)*--last & 0xC0) == 0x80)
		;
	int word_end = *x->text && word_at(last);
	if (!strcmp(x->match, "pattern")) {
		h->start = p;
		return pattern_at(z, p, x->text, h);
	}
	if (!strcmp(x->match, "start") || !strcmp(x->match, "line")) {
		e = text_at(p, x->text);
		if (!e || (word_end && word_at(e)))
			return 0;
		if (x->match[0] == 'l') {
			const char *rest = doc_skip_blank(e);
			rest = doc_skip_blank(rest + (*rest == ':'));
			if (*rest)
				return 0;
		}
		h->start = p, h->end = e;
		return 1;
	}
	/* has, word: at the start of a word (or wherever the text begins with no letter) */
	int word_start = word_at(x->text);
	for (const char *q = z; *q; q++) {
		if (((unsigned char)*q & 0xC0) == 0x80 || (word_start && word_before(z, q)))
			continue;
		e = text_at(q, x->text);
		if (!e || (x->match[0] == 'w' && word_end && word_at(e)))
			continue;
		h->start = q, h->end = e;
		return 1;
	}
	return 0;
}

const doc_rule *doc_rule_find(const doc_ctx *c, const char *kind, const char *value, const char *z,
			      doc_hit *h)
{
	for (const doc_rule *x = doc_rule_next(kind, NULL, c->code); x;
	     x = doc_rule_next(kind, x, c->code))
		if ((!value || !strcmp(x->value, value)) && doc_rule_match(x, z, h))
			return x;
	return NULL;
}

long doc_rule_line(const doc_ctx *c, const char *kind, const char *value, size_t from, size_t to,
		   const doc_rule **which, doc_hit *h)
{
	for (size_t i = from; i < to && i < c->d->n_lines; i++) {
		const doc_rule *x = doc_rule_find(c, kind, value, c->d->line[i], h);
		if (x) {
			if (which)
				*which = x;
			return (long)i;
		}
	}
	return -1;
}

int doc_explain(const doc_ctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = doc_lines_addv(&c->r->explain, &c->r->n_explain, fmt, ap);
	va_end(ap);
	return rc;
}

int doc_note(ib_doc_result *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = doc_lines_addv(&r->notes, &r->n_notes, fmt, ap);
	va_end(ap);
	return rc;
}
