/* fts_query.h - a user's search words as a safe FTS5 MATCH expression. */
#ifndef IDEABANK_FTS_QUERY_H
#define IDEABANK_FTS_QUERY_H

#include "error.h"

/* Turn user words into a safe FTS5 MATCH expression: each word becomes a quoted
 * string; words are ANDed.  Writes to *out (caller frees); sets *out to NULL when the
 * query has no searchable word.  A word given twice is searched once.  Fails with
 * IB_EARG: over 1,000 bytes, over 32 words, not UTF-8, only excluded words. */
int ib_fts_query_build(const char *user, char **out, ib_error *err);

#endif
