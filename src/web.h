/* web.h - the web page: HTML (Danish) and JSON responses rendered from the store.
 * Used by `ideabank serve`; rendering is separate from the HTTP server so that it can
 * be tested without a network (`ideabank serve --render PATH`). */
#ifndef IDEABANK_WEB_H
#define IDEABANK_WEB_H

#include "ideabank.h"

typedef struct web_response {
	int status;		  /* HTTP status */
	const char *content_type; /* static string */
	ib_buf body;
} web_response;

/* Render the response for a request path with its query string ("/?q=robot&aar=2021").
 * The caller initialises nothing; frees r->body with ib_buf_free(). */
void web_handle(ib_store *s, const char *path_and_query, web_response *r);

/* Append z percent-encoded (RFC 3986 unreserved characters kept) to b. */
void web_url_esc(ib_buf *b, const char *z);

#endif
