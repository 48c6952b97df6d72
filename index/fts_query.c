/* fts_query.c - turn a user's words into a safe FTS5 MATCH expression.
 *
 * The user's text never reaches FTS5 syntax: every word is emitted as an FTS5 string
 * ("..." with '"' doubled), and words are joined with AND. */
#include <stdlib.h>
#include <string.h>

#include "ideabank/buf.h"
#include "ideabank/search.h"

#define QUERY_MAX 1000 /* bytes */

/* Length of the valid UTF-8 sequence at z, or 0 when invalid. */
static size_t utf8_len(const unsigned char *z)
{
	if (z[0] < 0x80)
		return 1;
	size_t n = (z[0] & 0xE0) == 0xC0 ? 2 : (z[0] & 0xF0) == 0xE0 ? 3
					       : (z[0] & 0xF8) == 0xF0 ? 4 : 0;
	if (!n || (n == 2 && z[0] < 0xC2))
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((z[i] & 0xC0) != 0x80)
			return 0;
	return n;
}

/* Does [a, b) hold something a tokenizer would index (a letter or digit)? */
static int has_word_char(const char *a, const char *b)
{
	for (const unsigned char *p = (const unsigned char *)a; p < (const unsigned char *)b; p++)
		if ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    *p >= 0xC0)
			return 1;
	return 0;
}

int ib_fts_query_build(const char *user, char **out, ib_error *err)
{
	*out = NULL;
	if (!user)
		return IB_OK;
	size_t len = strlen(user);
	if (len > QUERY_MAX)
		return ib_error_set(err, IB_ETOOBIG, "query too long (%zu bytes, at most %d)", len,
				    QUERY_MAX);
	for (const unsigned char *p = (const unsigned char *)user; *p;) {
		size_t k = utf8_len(p);
		if (!k)
			return ib_error_set(err, IB_EARG, "query is not valid UTF-8");
		p += k;
	}
	ib_buf b;
	ib_buf_init(&b, 4 * QUERY_MAX);
	const char *p = user;
	int rc = IB_OK;
	while (*p && !rc) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		const char *w = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			p++;
		if (p == w || !has_word_char(w, p))
			continue;
		if (b.n)
			rc = ib_buf_adds(&b, " AND ");
		if (!rc)
			rc = ib_buf_addc(&b, '"');
		for (const char *c = w; c < p && !rc; c++)
			rc = *c == '"' ? ib_buf_adds(&b, "\"\"") : ib_buf_addc(&b, *c);
		if (!rc)
			rc = ib_buf_addc(&b, '"');
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
