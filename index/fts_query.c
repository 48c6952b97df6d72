/* fts_query.c - turn a user's words into a safe FTS5 MATCH expression.
 *
 * The user's text never reaches FTS5 syntax: every word or phrase is emitted as an
 * FTS5 string ("..." with '"' doubled).  Words are ANDed; "a phrase" stays a phrase;
 * -word excludes (NOT); word* is a prefix; OR in capitals joins its neighbours.
 * Anything else - brackets, AND, NEAR, colons, stray quotes - is just text. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fts_query_int.h"
#include "ideabank/buf.h"
#include "ideabank/fts_query.h"

#define QUERY_MAX 1000 /* bytes */
/* Words a query may search for, counting each word of a phrase: bm25 and snippet()
 * work per phrase and per match of each, so this bounds what one query costs. */
#define QUERY_WORDS_MAX 32

/* Length of the valid UTF-8 sequence at z, or 0 when invalid. */
static size_t utf8_len(const unsigned char *z)
{
	if (z[0] < 0x80)
		return 1;
	size_t n = (z[0] & 0xE0) == 0xC0   ? 2
		   : (z[0] & 0xF0) == 0xE0 ? 3
		   : (z[0] & 0xF8) == 0xF0 ? 4
					   : 0;
	if (!n || (n == 2 && z[0] < 0xC2))
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((z[i] & 0xC0) != 0x80)
			return 0;
	return n;
}

/* Code point of the valid UTF-8 sequence of length n at z. */
static unsigned long code_point(const unsigned char *z, size_t n)
{
	if (n == 1)
		return z[0];
	unsigned long c = z[0] & (0x7F >> n);
	for (size_t i = 1; i < n; i++)
		c = (c << 6) | (z[i] & 0x3F);
	return c;
}

/* Is c a sign rather than a letter or digit: Latin-1 signs (U+0080-U+00BF, × and ÷),
 * general punctuation (dashes, quotes), currency, arrows, maths and other symbols,
 * CJK and full-width punctuation, emoji?  unicode61 never indexes these, so a term made
 * only of them ("–" in "DigiRehab – rehabilitering") would be impossible to match. */
static int is_sign(unsigned long c)
{
	static const unsigned long signs[][2] = {
	    {0x80, 0xBF},	{0xD7, 0xD7},	  {0xF7, 0xF7},	    {0x2000, 0x2BFF},
	    {0x2E00, 0x2E7F},	{0x3000, 0x303F}, {0xFE10, 0xFE6F}, {0xFF00, 0xFF0F},
	    {0xFF1A, 0xFF20},	{0xFF3B, 0xFF40}, {0xFF5B, 0xFF65}, {0xFFF0, 0xFFFF},
	    {0x1F000, 0x1FAFF},
	};
	for (size_t i = 0; i < sizeof signs / sizeof signs[0]; i++)
		if (c >= signs[i][0] && c <= signs[i][1])
			return 1;
	return 0;
}

/* Does [a, b) (valid UTF-8) hold something the tokenizer would index: an ASCII letter
 * or digit, or a character from U+00C0 on that is not a sign (letters such as æ ø å)? */
static int has_word_char(const char *a, const char *b)
{
	const unsigned char *p = (const unsigned char *)a, *end = (const unsigned char *)b;
	while (p < end) {
		size_t n = utf8_len(p);
		if (!n || p + n > end)
			return 0;
		unsigned long c = code_point(p, n);
		if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= 0xC0 && !is_sign(c)))
			return 1;
		p += n;
	}
	return 0;
}

/* One term of the user's query. */
typedef struct term {
	const char *z; /* text, without quotes, '-' or '*' */
	size_t n;
	int phrase, negated, prefix, or_next; /* or_next: "OR" follows */
} term;

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The same word, phrase or prefix, negated or not (ASCII case does not matter). */
static int same_term(const term *a, const term *b)
{
	return a->n == b->n && a->phrase == b->phrase && a->negated == b->negated &&
	       a->prefix == b->prefix && strncasecmp(a->z, b->z, a->n) == 0;
}

/* Whether t[i] of n is joined to a neighbour by OR. */
static int in_or_group(const term *t, size_t n, size_t i)
{
	return (t[i].or_next && i + 1 < n) || (i > 0 && t[i - 1].or_next);
}

/* Words of a phrase: runs of non-blanks with something indexable in them. */
static size_t phrase_words(const term *t)
{
	size_t n = 0;
	for (size_t i = 0; i < t->n;) {
		while (i < t->n && is_blank(t->z[i]))
			i++;
		size_t b = i;
		while (i < t->n && !is_blank(t->z[i]))
			i++;
		n += i > b && has_word_char(t->z + b, t->z + i);
	}
	return n;
}

/* Append z[0..n) as an FTS5 string: "..." with '"' doubled. */
static int add_string(ib_buf *b, const char *z, size_t n)
{
	int rc = ib_buf_addc(b, '"');
	for (size_t i = 0; i < n && !rc; i++)
		rc = z[i] == '"' ? ib_buf_adds(b, "\"\"") : ib_buf_addc(b, z[i]);
	return rc ? rc : ib_buf_addc(b, '"');
}

static int add_term(ib_buf *b, const term *t)
{
	int rc = add_string(b, t->z, t->n);
	if (!rc && t->prefix)
		rc = ib_buf_adds(b, " *");
	return rc;
}

/* rc (ib_error_set()'s, which cleared the detail) with err's detail set to why, an
 * IB_Q_* reason. */
static int refused(ib_error *err, int why, int rc)
{
	if (err)
		err->detail = why;
	return rc;
}

int ib_fts_query_build(const char *user, char **out, ib_error *err)
{
	return ib_fts_query_shape(user, out, NULL, NULL, NULL, err);
}

int ib_fts_query_shape(const char *user, char **out, int *n_positive, int *n_phrase, int *has_or,
		       ib_error *err)
{
	*out = NULL;
	if (n_positive)
		*n_positive = 0;
	if (n_phrase)
		*n_phrase = 0;
	if (has_or)
		*has_or = 0;
	if (!user)
		return IB_OK;
	size_t len = strlen(user);
	if (len > QUERY_MAX)
		return refused(err, IB_Q_TOO_LONG,
			       ib_error_set(err, IB_EARG, "query too long (%zu bytes, at most %d)",
					    len, QUERY_MAX));
	for (const unsigned char *p = (const unsigned char *)user; *p;) {
		size_t k = utf8_len(p);
		if (!k)
			return refused(err, IB_Q_NOT_UTF8,
				       ib_error_set(err, IB_EARG, "query is not valid UTF-8"));
		p += k;
	}
	/* split into terms: "a phrase", -word, word*, OR */
	term t[QUERY_MAX / 2 + 1];
	size_t nt = 0;
	const char *p = user;
	while (*p) {
		while (is_blank(*p))
			p++;
		if (!*p)
			break;
		term x = {0};
		if (*p == '-' && p[1] && !is_blank(p[1])) {
			x.negated = 1;
			p++;
		}
		if (*p == '"') {
			const char *e = strchr(p + 1, '"');
			x.phrase = 1;
			x.z = p + 1;
			x.n = e ? (size_t)(e - p - 1) : strlen(p + 1); /* unclosed: to the end */
			p = e ? e + 1 : p + strlen(p);
		} else {
			x.z = p;
			while (*p && !is_blank(*p) && *p != '"')
				p++;
			x.n = (size_t)(p - x.z);
			if (x.n > 1 && x.z[x.n - 1] == '*') {
				x.prefix = 1;
				while (x.n > 0 && x.z[x.n - 1] == '*')
					x.n--;
			}
		}
		if (!x.phrase && !x.negated && x.n == 2 && !memcmp(x.z, "OR", 2)) {
			if (nt > 0)
				t[nt - 1].or_next = 1;
			continue;
		}
		if (!has_word_char(x.z, x.z + x.n))
			continue; /* "(", "§", "-": nothing a tokenizer would index */
		t[nt++] = x;
	}
	/* OR after the last term, or before an excluded one, joins nothing */
	for (size_t i = 0; i < nt; i++)
		if (t[i].or_next && (i + 1 == nt || t[i + 1].negated || t[i].negated))
			t[i].or_next = 0;
	/* a word given twice ("og og og") is searched once, unless it is part of an OR */
	size_t kept = 0;
	for (size_t i = 0; i < nt; i++) {
		int dup = 0;
		if (!in_or_group(t, nt, i))
			for (size_t j = 0; j < kept && !dup; j++)
				dup = !in_or_group(t, kept, j) && same_term(&t[j], &t[i]);
		if (!dup)
			t[kept++] = t[i];
	}
	nt = kept;
	size_t n_words = 0;
	for (size_t i = 0; i < nt; i++)
		n_words += t[i].phrase ? phrase_words(&t[i]) : 1;
	if (n_words > QUERY_WORDS_MAX)
		return refused(err, IB_Q_TOO_MANY_WORDS,
			       ib_error_set(err, IB_EARG,
					    "query has too many words (%zu, at most %d)", n_words,
					    QUERY_WORDS_MAX));
	size_t n_pos = 0;
	for (size_t i = 0; i < nt; i++)
		n_pos += !t[i].negated;
	if (nt > 0 && n_pos == 0)
		return refused(err, IB_Q_ONLY_EXCLUDED,
			       ib_error_set(err, IB_EARG, "query has only excluded words; add a "
							  "word to search for"));
	if (n_positive)
		*n_positive = (int)n_pos;
	if (n_phrase)
		*n_phrase = (int)nt;
	for (size_t i = 0; i < nt && has_or; i++)
		*has_or |= t[i].or_next;
	ib_buf b;
	ib_buf_init(&b, 8 * QUERY_MAX);
	int rc = IB_OK, open_group = 0;
	size_t written = 0;
	/* positives: groups joined by OR, groups ANDed */
	for (size_t i = 0; i < nt && !rc; i++) {
		if (t[i].negated)
			continue;
		int starts_group = !open_group && t[i].or_next;
		if (written)
			rc = ib_buf_adds(&b, open_group ? " OR " : " AND ");
		if (!rc && starts_group) {
			rc = ib_buf_addc(&b, '(');
			open_group = 1;
		}
		if (!rc)
			rc = add_term(&b, &t[i]);
		if (!rc && open_group && !t[i].or_next) {
			rc = ib_buf_addc(&b, ')');
			open_group = 0;
		}
		written++;
	}
	for (size_t i = 0; i < nt && !rc; i++) {
		if (!t[i].negated)
			continue;
		rc = ib_buf_adds(&b, " NOT ");
		if (!rc)
			rc = add_term(&b, &t[i]);
	}
	if (rc) {
		ib_buf_free(&b);
		return ib_error_set(err, rc, NULL);
	}
	if (b.n)
		*out = ib_buf_detach(&b);
	ib_buf_free(&b);
	return IB_OK;
}
