/* web.h - the web page: HTML (Danish), CSV and JSON responses rendered from the store.
 * Used by `ideabank serve`; rendering is separate from the HTTP server so that it can
 * be tested without a network (`ideabank serve --render PATH`).  The server hands over
 * the query arguments libmicrohttpd parsed; --render splits its PATH the same way. */
#ifndef IDEABANK_WEB_H
#define IDEABANK_WEB_H

#include "ideabank.h"

/* Most query arguments a request may carry; more get 400 with a page. */
#define WEB_MAX_ARGS 64
/* Longest value of one argument, bytes; a longer one gets 414 with a page that echoes
 * none of the address (a 200 KB q= was echoed twice into a 406 KB page). */
#define WEB_ARG_MAX 4096

typedef struct web_arg {
	const char *key;
	const char *value; /* "" for a key without '=' */
} web_arg;

typedef struct web_request {
	const char *path; /* "/forslag", without the query string */
	web_arg args[WEB_MAX_ARGS];
	size_t n_args;
	int too_many_args;	     /* more than WEB_MAX_ARGS were given */
	int nul;		     /* the address held %00 (a NUL cuts a C string short) */
	const char *accept_language; /* the Accept-Language header, or NULL */
} web_request;

typedef struct web_response {
	int status;		  /* HTTP status */
	const char *content_type; /* static string */
	const char *filename;	  /* static; when set, a download (Content-Disposition) */
	ib_buf body;
} web_response;

/* Render the response to rq from store s.  The caller initialises nothing in r and
 * frees r->body with ib_buf_free(). */
void web_handle(ib_store *s, const web_request *rq, web_response *r);

/* Split "PATH?k=v&..." for --render: '+' is a space, %XX decoded (by unescape, which
 * decodes in place and returns the new length, e.g. libmicrohttpd's MHD_http_unescape).
 * The request points into *storage, which the caller frees with free().  Returns IB_OK
 * or IB_ENOMEM. */
int web_request_split(const char *path_and_query, size_t (*unescape)(char *), web_request *rq,
		      char **storage);

/* Append z percent-encoded (RFC 3986 unreserved characters kept) to b. */
void web_url_esc(ib_buf *b, const char *z);

#endif
