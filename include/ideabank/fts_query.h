/* fts_query.h - a user's search words as a safe FTS5 MATCH expression. */
#ifndef IDEABANK_FTS_QUERY_H
#define IDEABANK_FTS_QUERY_H

#include "error.h"

/* Why a query was refused with IB_EARG, in ib_error's detail: for a caller that words
 * the error in its own language. */
enum {
	IB_Q_TOO_LONG = 1,   /* over 1,000 bytes */
	IB_Q_NOT_UTF8,	     /* not valid UTF-8 */
	IB_Q_TOO_MANY_WORDS, /* over 32 words */
	IB_Q_ONLY_EXCLUDED,  /* only -words: nothing to search for */
};

/* Turn user words into a safe FTS5 MATCH expression: each word becomes a quoted
 * string; words are ANDed.  Writes to *out (caller frees); sets *out to NULL when the
 * query has no searchable word.  A word given twice is searched once.  Fails with
 * IB_EARG and an IB_Q_* detail: over 1,000 bytes, over 32 words, not UTF-8, only
 * excluded words. */
int ib_fts_query_build(const char *user, char **out, ib_error *err);

#endif
