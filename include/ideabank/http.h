/* http.h - downloads for the fetcher, on libcurl.
 *
 * Every request gets connect and total timeouts, a size cap on the body, gzip, a capped
 * number of redirects (http and https only) and ideabank's User-Agent.  Failures that
 * may pass (connection refused, timeouts, truncated bodies, HTTP 5xx, 408 and 429) are
 * retried with exponential backoff and jitter, a host name that does not resolve once
 * only (offline, every name fails so); a Retry-After header is honoured up to a
 * limit.  With a cache directory, a request whose response was saved earlier is sent
 * conditionally (If-None-Match / If-Modified-Since) and a 304 answer is served from the
 * cache.  Many requests run in parallel on curl's multi interface.  Nothing here prints:
 * progress goes to a callback the tool may draw. */
#ifndef IDEABANK_HTTP_H
#define IDEABANK_HTTP_H

#include <stddef.h>

#include "buf.h"
#include "error.h"

#define IB_HTTP_USER_AGENT "ideabank/0.1 (Danish municipal budget proposals; libcurl)"

/* Called as bytes arrive: request index, bytes so far, bytes expected (0 when not
 * known).  done is 1 once when the request has finished (either way). */
typedef void (*ib_http_progress_fn)(void *ctx, size_t index, size_t now, size_t total, int done);

/* The default cap on a feed downloaded to a file: 16 GiB, some 20 million proposals (a
 * runaway server stops there, not when the disk is full). */
#define IB_HTTP_FILE_CAP ((size_t)16 << 30)

typedef struct ib_http_opts {
	long connect_timeout_ms; /* default 10 s */
	long timeout_ms;	 /* whole transfer, default 120 s */
	size_t max_bytes;	 /* body cap, default 64 MB */
	size_t max_file_bytes;	 /* cap on a body written to a file (to_file); 0: none;
				    default IB_HTTP_FILE_CAP */
	int max_redirects;	 /* default 5 */
	int max_attempts;	 /* tries per request including the first, default 4 */
	long backoff_ms;	 /* wait before the first retry, doubled each time; default 1 s */
	long max_retry_after_s;	 /* longest Retry-After waited for, default 120 s */
	int max_parallel;	 /* transfers at once, default 4 */
	const char *cache_dir;	 /* saved responses for conditional requests; NULL: none */
	ib_http_progress_fn progress;
	void *progress_ctx;
	/* an attempt that receives fewer than low_speed_bytes a second for low_speed_s
	 * seconds fails (and is retried): a server trickling its answer cannot hold a
	 * fetch until the whole timeout.  Defaults 100 bytes/s for 30 s; 0 s: no limit */
	long low_speed_bytes;
	long low_speed_s;
	/* a cookie file (Netscape format) read before and written after every request:
	 * the session a server sets survives from one request to the next; NULL: none */
	const char *cookie_jar;
	/* one curl CONNECT_TO entry, "HOST:PORT:ADDRESS:PORT2": connections to HOST:PORT go
	 * to ADDRESS:PORT2 instead, the URL (and so the Host header and the cookies' domain)
	 * unchanged.  For tests (a portal host pointed at the local test server); NULL:
	 * none */
	const char *connect_to;
} ib_http_opts;

/* Fill o with the defaults above. */
void ib_http_opts_default(ib_http_opts *o);

typedef struct ib_http_req {
	const char *url;	  /* http:// or https:// */
	const char *body;	  /* POST body; NULL for GET */
	const char *content_type; /* of the body, e.g. "application/json" */
	/* when set, the answer's body goes to this file (made, or emptied at each attempt)
	 * and is never held in memory: the response's body stays empty, its size, sha256
	 * and file tell it, and the cap is max_file_bytes.  For feeds of any size. */
	const char *to_file;
} ib_http_req;

typedef struct ib_http_resp {
	int status;	/* HTTP status of the answer used: 200, or 304 when from the cache */
	int from_cache; /* 1: the server said 304 Not Modified and body is the saved copy */
	int attempts;	/* requests sent */
	ib_buf body;	/* the body (decoded when gzip); empty when written to a file */
	size_t size;	/* the body's bytes, in memory or in the file */
	char *file;	/* the request's to_file once the body is in it, else NULL */
	char *etag;	/* validators and type as received (or saved); NULL when absent */
	char *last_modified;
	char *content_type;
	char sha256[65];     /* of the body */
	char fetched_at[21]; /* UTC, "2026-11-25T10:00:00Z" */
	char cache_key[65];  /* SHA-256 of method, URL and body */
	int redirects;	     /* redirects followed to reach the answer */
	int unresolved;	     /* the last attempt could not resolve the host's name */
	ib_error err;	     /* err.rc is IB_OK when this request succeeded */
} ib_http_resp;

/* Run reqs[0..n-1], up to o->max_parallel at once, and fill resps[0..n-1] (which the
 * caller frees with ib_http_resp_free()).  Each response carries its own outcome in
 * resps[i].err: IB_ENET (cannot connect, timeout, too slow, truncated body, HTTP error
 * status, too many redirects; the message names the URL, what happened and how many attempts
 * were made), IB_ETOOBIG (body over the cap) or IB_ENOMEM (curl could not start the
 * download).  Returns IB_OK when every request succeeded, else the code of the first
 * that failed. */
int ib_http_fetch(const ib_http_opts *o, const ib_http_req *reqs, ib_http_resp *resps, size_t n);
/* Free a response's contents; accepts NULL. */
void ib_http_resp_free(ib_http_resp *r);

/* Save a successful response in o->cache_dir so the next request for the same method,
 * URL and body is sent conditionally.  Only call this once the body has been used (the
 * fetcher saves after its transaction commits), so the cache never holds a body the
 * database has not seen.  No-op without a cache directory or validators.  Fails with
 * IB_EIO. */
int ib_http_cache_save(const ib_http_opts *o, const ib_http_resp *r, ib_error *err);

/* Make dir and its parents (mode 0755), for the cache and the fetcher's cookie files;
 * 0 on success, else -1 with errno set. */
int ib_http_mkdirs(const char *dir);

#endif
