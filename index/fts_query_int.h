/* fts_query_int.h - private to index/: the search's view of a query expression. */
#ifndef IDEABANK_FTS_QUERY_INT_H
#define IDEABANK_FTS_QUERY_INT_H

#include "ideabank/error.h"

/* ib_fts_query_build(), and the shape of the expression it makes: its first
 * *n_positive phrases are the words searched for, any after them excluded ones (NOT);
 * *n_phrase all of them; *has_or = 1 when some are joined by OR (else every positive
 * phrase must match).  n_positive, n_phrase and has_or may be NULL. */
int ib_fts_query_shape(const char *user, char **out, int *n_positive, int *n_phrase, int *has_or,
		       ib_error *err);

#endif
