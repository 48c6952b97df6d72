/* http.c - downloads on libcurl's multi interface: retries with backoff, Retry-After,
 * size cap, conditional requests against an on-disk cache.  See http.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "ideabank/array.h"
#include "ideabank/hash.h"
#include "ideabank/http.h"
#include "ideabank/init.h"

void ib_http_opts_default(ib_http_opts *o)
{
	memset(o, 0, sizeof *o);
	o->connect_timeout_ms = 10000;
	o->timeout_ms = 120000;
	o->low_speed_bytes = 100;
	o->low_speed_s = 30;
	o->max_bytes = IB_BUF_DEFAULT_CAP;
	o->max_file_bytes = IB_HTTP_FILE_CAP;
	o->max_redirects = 5;
	o->max_attempts = 4;
	o->backoff_ms = 1000;
	o->max_retry_after_s = 120;
	o->max_parallel = 4;
}

void ib_http_resp_free(ib_http_resp *r)
{
	if (!r)
		return;
	ib_buf_free(&r->body);
	IB_FREE_ALL(r->etag, r->last_modified, r->content_type, r->file);
	r->etag = r->last_modified = r->content_type = r->file = NULL;
}

/* ---- the cache: <dir>/<key>.body and <dir>/<key>.meta ----------------------- */

typedef struct cache_meta {
	char etag[512], last_modified[128], content_type[256], sha256[65];
} cache_meta;

static void cache_path(char *out, size_t n, const char *dir, const char *key, const char *ext)
{
	snprintf(out, n, "%s/%s.%s", dir, key, ext);
}

/* Read the meta file of key; 0 when there is a usable entry. */
static int cache_meta_load(const char *dir, const char *key, cache_meta *m)
{
	char path[4096], line[1024];
	memset(m, 0, sizeof *m);
	cache_path(path, sizeof path, dir, key, "meta");
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = 0;
		char *tab = strchr(line, '\t');
		if (!tab)
			continue;
		*tab++ = 0;
		if (!strcmp(line, "etag"))
			snprintf(m->etag, sizeof m->etag, "%s", tab);
		else if (!strcmp(line, "last-modified"))
			snprintf(m->last_modified, sizeof m->last_modified, "%s", tab);
		else if (!strcmp(line, "content-type"))
			snprintf(m->content_type, sizeof m->content_type, "%s", tab);
		else if (!strcmp(line, "sha256"))
			snprintf(m->sha256, sizeof m->sha256, "%s", tab);
	}
	fclose(f);
	return (m->etag[0] || m->last_modified[0]) && strlen(m->sha256) == 64 ? 0 : -1;
}

int ib_http_mkdirs(const char *dir)
{
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s", dir);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(tmp, 0755) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(tmp, 0755) && errno != EEXIST ? -1 : 0;
}

static int write_atomic(const char *path, const void *data, size_t n)
{
	char tmp[4200];
	snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid());
	FILE *f = fopen(tmp, "wb");
	if (!f)
		return -1;
	int ok = fwrite(data, 1, n, f) == n;
	ok = (fclose(f) == 0) && ok;
	if (!ok || rename(tmp, path)) {
		remove(tmp);
		return -1;
	}
	return 0;
}

/* Copy the file from to path through a temporary file and a rename, hashing what is
 * copied into hex when hex is not NULL; 0 on success. */
static int copy_atomic(const char *from, const char *path, char hex[65])
{
	char tmp[4200], chunk[65536];
	snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid());
	FILE *in = fopen(from, "rb"), *out = in ? fopen(tmp, "wb") : NULL;
	int ok = in && out;
	ib_sha256 h;
	ib_sha256_init(&h);
	size_t got;
	while (ok && (got = fread(chunk, 1, sizeof chunk, in)) > 0) {
		ok = fwrite(chunk, 1, got, out) == got;
		ib_sha256_update(&h, chunk, got);
	}
	ok = ok && !ferror(in);
	if (in)
		fclose(in);
	if (out)
		ok = (fclose(out) == 0) && ok;
	if (!ok || rename(tmp, path)) {
		remove(tmp);
		return -1;
	}
	if (hex)
		ib_sha256_hex_final(&h, hex);
	return 0;
}

int ib_http_cache_save(const ib_http_opts *o, const ib_http_resp *r, ib_error *err)
{
	if (!o->cache_dir || !*o->cache_dir || r->err.rc || (!r->etag && !r->last_modified))
		return IB_OK;
	char path[4096];
	if (ib_http_mkdirs(o->cache_dir))
		return ib_error_set(err, IB_EIO, "cannot create cache directory '%s': %s",
				    o->cache_dir, strerror(errno));
	ib_buf meta;
	ib_buf_init(&meta, 0);
	int rc = ib_buf_addf(&meta, "etag\t%s\nlast-modified\t%s\ncontent-type\t%s\nsha256\t%s\n",
			     r->etag ? r->etag : "", r->last_modified ? r->last_modified : "",
			     r->content_type ? r->content_type : "", r->sha256);
	if (rc) {
		ib_buf_free(&meta);
		return ib_error_set(err, rc, NULL);
	}
	/* body first: a meta file never points at a body that is not there */
	cache_path(path, sizeof path, o->cache_dir, r->cache_key, "body");
	if (!r->from_cache && (r->file ? copy_atomic(r->file, path, NULL)
				       : write_atomic(path, r->body.z ? r->body.z : "", r->body.n)))
		rc = ib_error_set(err, IB_EIO, "cannot write cache file '%s': %s", path,
				  strerror(errno));
	cache_path(path, sizeof path, o->cache_dir, r->cache_key, "meta");
	if (!rc && write_atomic(path, meta.z, meta.n))
		rc = ib_error_set(err, IB_EIO, "cannot write cache file '%s': %s", path,
				  strerror(errno));
	ib_buf_free(&meta);
	return rc;
}

/* ---- one transfer ------------------------------------------------------------ */

typedef struct xfer {
	size_t index;
	const ib_http_req *req;
	ib_http_resp *resp;
	const ib_http_opts *o;
	CURL *easy;
	struct curl_slist *headers;
	struct curl_slist *connect_to;
	int conditional; /* sent with validators from the cache */
	cache_meta meta;
	int too_big;
	FILE *out;	       /* req->to_file while the body is written to it */
	ib_sha256 hash;	       /* of what was written to out */
	int write_error;       /* errno of a failed write to out */
	long long ready_at_ms; /* not before (retry backoff) */
	unsigned seed;	       /* of the retries' jitter (rand_r: no state shared) */
	int active, finished;
} xfer;

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
	xfer *x = ud;
	size_t len = size * n;
	if (x->out) {
		if (x->o->max_file_bytes && x->resp->size + len > x->o->max_file_bytes) {
			x->too_big = 1;
			return 0;
		}
		if (fwrite(p, 1, len, x->out) != len) {
			x->write_error = errno ? errno : EIO;
			return 0;
		}
		ib_sha256_update(&x->hash, p, len);
		x->resp->size += len;
		return len;
	}
	if (x->resp->body.n + len > x->o->max_bytes) {
		x->too_big = 1;
		return 0;
	}
	return ib_buf_add(&x->resp->body, p, len) == IB_OK ? len : 0;
}

static int on_progress(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		       curl_off_t ulnow)
{
	(void)ultotal, (void)ulnow;
	xfer *x = ud;
	if (x->o->progress)
		x->o->progress(x->o->progress_ctx, x->index, (size_t)dlnow, (size_t)dltotal, 0);
	return 0;
}

static char *dup_header(CURL *easy, const char *name)
{
	struct curl_header *h = NULL;
	if (curl_easy_header(easy, name, 0, CURLH_HEADER, -1, &h) != CURLHE_OK || !h->value)
		return NULL;
	return strdup(h->value);
}

static int start(CURLM *multi, xfer *x)
{
	const ib_http_opts *o = x->o;
	ib_http_resp *r = x->resp;
	ib_buf_reset(&r->body);
	r->size = 0;
	x->too_big = 0;
	x->write_error = 0;
	if (x->req->to_file) {
		if (x->out)
			fclose(x->out);
		if (!(x->out = fopen(x->req->to_file, "wb"))) {
			ib_error_set(&r->err, IB_EIO, "cannot write '%s': %s", x->req->to_file,
				     strerror(errno));
			x->finished = 1;
			return IB_OK;
		}
		ib_sha256_init(&x->hash);
	}
	curl_slist_free_all(x->headers);
	x->headers = NULL;
	/* a retry gets a new handle (connections stay pooled in the multi handle): the old
	 * one writes its cookie file when cleaned up, and curl_easy_reset() would lose the
	 * list of cookie files it was given (libcurl 7.88 does not free it) */
	if (x->easy)
		curl_easy_cleanup(x->easy);
	if (!(x->easy = curl_easy_init()))
		return IB_ENOMEM;
	CURL *e = x->easy;
	curl_easy_setopt(e, CURLOPT_URL, x->req->url);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(e, CURLOPT_MAXREDIRS, (long)o->max_redirects);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, o->timeout_ms);
	if (o->low_speed_s > 0 && o->low_speed_bytes > 0) {
		curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, o->low_speed_bytes);
		curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, o->low_speed_s);
	}
	size_t cap = x->req->to_file ? o->max_file_bytes : o->max_bytes;
	if (cap)
		curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)cap);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_USERAGENT, IB_HTTP_USER_AGENT);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(e, CURLOPT_PRIVATE, x);
	if (o->progress) {
		curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
		curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, on_progress);
		curl_easy_setopt(e, CURLOPT_XFERINFODATA, x);
	}
	if (x->req->body) {
		char ct[300];
		snprintf(ct, sizeof ct, "Content-Type: %s",
			 x->req->content_type ? x->req->content_type : "application/json");
		x->headers = curl_slist_append(x->headers, ct);
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, x->req->body);
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(x->req->body));
	}
	if (x->conditional) {
		char h[700];
		if (x->meta.etag[0]) {
			snprintf(h, sizeof h, "If-None-Match: %s", x->meta.etag);
			x->headers = curl_slist_append(x->headers, h);
		}
		if (x->meta.last_modified[0]) {
			snprintf(h, sizeof h, "If-Modified-Since: %s", x->meta.last_modified);
			x->headers = curl_slist_append(x->headers, h);
		}
	}
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->headers);
	if (o->cookie_jar) {
		curl_easy_setopt(e, CURLOPT_COOKIEFILE, o->cookie_jar);
		curl_easy_setopt(e, CURLOPT_COOKIEJAR, o->cookie_jar);
	}
	if (o->connect_to) {
		if (!x->connect_to && !(x->connect_to = curl_slist_append(NULL, o->connect_to)))
			return IB_ENOMEM;
		curl_easy_setopt(e, CURLOPT_CONNECT_TO, x->connect_to);
	}
	r->attempts++;
	x->active = 1;
	return curl_multi_add_handle(multi, e) == CURLM_OK ? IB_OK : IB_ENOMEM;
}

static int retryable_curl(CURLcode c)
{
	return c == CURLE_COULDNT_CONNECT || c == CURLE_OPERATION_TIMEDOUT ||
	       c == CURLE_RECV_ERROR || c == CURLE_SEND_ERROR || c == CURLE_PARTIAL_FILE ||
	       c == CURLE_GOT_NOTHING || c == CURLE_COULDNT_RESOLVE_HOST;
}

/* Whether a timed-out attempt was stopped by the low-speed limit rather than the total
 * timeout: curl gives both as CURLE_OPERATION_TIMEDOUT, but only the limit stops a
 * connected transfer before the total time is up, and never before its own period has
 * passed (so a total timeout shorter than that period is always the timeout, however
 * busy the machine). */
static int too_slow(const xfer *x)
{
	const ib_http_opts *o = x->o;
	curl_off_t total = 0, connect = 0;
	if (o->low_speed_s <= 0 || o->low_speed_bytes <= 0 ||
	    curl_easy_getinfo(x->easy, CURLINFO_TOTAL_TIME_T, &total) != CURLE_OK ||
	    curl_easy_getinfo(x->easy, CURLINFO_CONNECT_TIME_T, &connect) != CURLE_OK)
		return 0;
	long long ms = (long long)(total / 1000), period = (long long)o->low_speed_s * 1000;
	return connect > 0 && ms >= period && ms < o->timeout_ms;
}

static const char *curl_what(const xfer *x, CURLcode c, char *buf, size_t n)
{
	switch (c) {
	case CURLE_COULDNT_CONNECT:
		return "cannot connect";
	case CURLE_COULDNT_RESOLVE_HOST:
		return "cannot resolve host";
	case CURLE_OPERATION_TIMEDOUT:
		if (too_slow(x))
			snprintf(buf, n, "slower than %ld bytes/s for %ld s", x->o->low_speed_bytes,
				 x->o->low_speed_s);
		else
			snprintf(buf, n, "no complete answer within %ld ms", x->o->timeout_ms);
		return buf;
	case CURLE_PARTIAL_FILE:
		return "body truncated (connection closed before the announced length)";
	case CURLE_GOT_NOTHING:
		return "empty reply from server";
	case CURLE_TOO_MANY_REDIRECTS:
		snprintf(buf, n, "more than %d redirects", x->o->max_redirects);
		return buf;
	default:
		return curl_easy_strerror(c);
	}
}

static void utc_now(char out[21])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Load the cached body for a 304; 0 on success. */
static int serve_from_cache(xfer *x)
{
	ib_http_resp *r = x->resp;
	char path[4096];
	cache_path(path, sizeof path, x->o->cache_dir, r->cache_key, "body");
	ib_buf_reset(&r->body);
	char hex[65];
	if (x->req->to_file) {
		struct stat sb;
		if (x->out)
			fclose(x->out);
		x->out = NULL;
		if (stat(path, &sb) || copy_atomic(path, x->req->to_file, hex))
			return -1;
		r->size = (size_t)sb.st_size;
		free(r->file);
		if (!(r->file = strdup(x->req->to_file)))
			return -1;
	} else {
		if (ib_buf_read_file(&r->body, path, NULL))
			return -1;
		ib_sha256_hex(r->body.z ? r->body.z : "", r->body.n, hex);
		r->size = r->body.n;
	}
	if (strcmp(hex, x->meta.sha256))
		return -1;
	memcpy(r->sha256, hex, sizeof r->sha256);
	r->from_cache = 1;
	IB_FREE_ALL(r->etag, r->last_modified, r->content_type);
	r->etag = x->meta.etag[0] ? strdup(x->meta.etag) : NULL;
	r->last_modified = x->meta.last_modified[0] ? strdup(x->meta.last_modified) : NULL;
	r->content_type = x->meta.content_type[0] ? strdup(x->meta.content_type) : NULL;
	return 0;
}

/* A transfer ended: decide success, failure or another attempt. */
static void finish(xfer *x, CURLcode c)
{
	const ib_http_opts *o = x->o;
	ib_http_resp *r = x->resp;
	const char *url = x->req->url;
	long status = 0, retry_after = -1;
	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_off_t ra = -1;
	if (curl_easy_getinfo(x->easy, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK && ra > 0)
		retry_after = (long)ra;
	long redirects = 0;
	curl_easy_getinfo(x->easy, CURLINFO_REDIRECT_COUNT, &redirects);
	r->redirects = (int)redirects;
	r->status = (int)status;
	r->unresolved = c == CURLE_COULDNT_RESOLVE_HOST;
	char what[256], tmp[128];
	int retry = 0;

	if (x->too_big || c == CURLE_FILESIZE_EXCEEDED) {
		ib_error_set(&r->err, IB_ETOOBIG, "%s: body larger than the %zu-byte cap", url,
			     x->req->to_file ? o->max_file_bytes : o->max_bytes);
		goto done;
	}
	if (x->write_error) {
		ib_error_set(&r->err, IB_EIO, "%s: cannot write '%s': %s", url, x->req->to_file,
			     strerror(x->write_error));
		goto done;
	}
	if (c != CURLE_OK) {
		snprintf(what, sizeof what, "%s", curl_what(x, c, tmp, sizeof tmp));
		/* a name that does not resolve is asked once more, not max_attempts times:
		   on a machine that is offline every name fails so, at once */
		retry = retryable_curl(c) && !(r->unresolved && r->attempts >= 2);
	} else if (status == 304) {
		if (x->conditional && serve_from_cache(x) == 0) {
			r->status = 304;
			goto ok;
		}
		if (x->conditional) {
			/* the saved copy is gone or damaged: ask again without validators */
			x->conditional = 0;
			r->attempts--;
			x->ready_at_ms = now_ms();
			return;
		}
		snprintf(what, sizeof what,
			 "HTTP 304 Not Modified to a request that was not conditional");
	} else if (status < 200 || status > 299) {
		snprintf(what, sizeof what, "HTTP %ld", status);
		retry = status >= 500 || status == 429 || status == 408;
	} else {
		goto ok;
	}
	if (retry && retry_after > o->max_retry_after_s) {
		ib_error_set(
		    &r->err, IB_ENET,
		    "%s: %s, and the server asks to retry after %ld s (more than the %ld s "
		    "allowed)",
		    url, what, retry_after, o->max_retry_after_s);
		goto done;
	}
	if (retry && r->attempts < o->max_attempts) {
		long long wait = retry_after >= 0 ? retry_after * 1000LL
						  : (long long)o->backoff_ms << (r->attempts - 1);
		if (retry_after < 0 && o->backoff_ms > 0)
			wait += rand_r(&x->seed) % (o->backoff_ms / 2 + 1); /* jitter */
		x->ready_at_ms = now_ms() + wait;
		return;
	}
	ib_error_set(&r->err, IB_ENET, "%s: %s after %d attempt%s", url, what, r->attempts,
		     r->attempts == 1 ? "" : "s");
	goto done;
ok:
	if (!r->from_cache) {
		r->etag = dup_header(x->easy, "ETag");
		r->last_modified = dup_header(x->easy, "Last-Modified");
		char *ct = NULL;
		if (curl_easy_getinfo(x->easy, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK && ct)
			r->content_type = strdup(ct);
	}
	if (!r->body.z && ib_buf_add(&r->body, "", 0))
		ib_error_set(&r->err, IB_ENOMEM, NULL);
	if (x->out) {
		int failed = fclose(x->out) != 0;
		x->out = NULL;
		ib_sha256_hex_final(&x->hash, r->sha256);
		if (failed)
			ib_error_set(&r->err, IB_EIO, "%s: cannot write '%s'", url,
				     x->req->to_file);
		else if (!(r->file = strdup(x->req->to_file)))
			ib_error_set(&r->err, IB_ENOMEM, NULL);
	} else if (!r->file) {
		ib_sha256_hex(r->body.z ? r->body.z : "", r->body.n, r->sha256);
		r->size = r->body.n;
	}
done:
	x->finished = 1;
	if (x->out)
		fclose(x->out);
	x->out = NULL;
	if (o->progress)
		o->progress(o->progress_ctx, x->index, r->size, r->size, 1);
}

/* Every response not yet finished fails: curl could not be started. */
static int cannot_start(const ib_http_req *reqs, ib_http_resp *resps, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!resps[i].err.rc && !resps[i].sha256[0])
			ib_error_set(&resps[i].err, IB_ENOMEM, "%s: cannot start the download",
				     reqs[i].url);
	return IB_ENOMEM;
}

int ib_http_fetch(const ib_http_opts *o, const ib_http_req *reqs, ib_http_resp *resps, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		memset(&resps[i], 0, sizeof resps[i]);
		ib_buf_init(&resps[i].body, o->max_bytes + 1);
	}
	if (ib_init())
		return cannot_start(reqs, resps, n);
	xfer *xs = calloc(n ? n : 1, sizeof *xs);
	CURLM *multi = curl_multi_init();
	if (!xs || !multi) {
		free(xs);
		curl_multi_cleanup(multi);
		return cannot_start(reqs, resps, n);
	}
	for (size_t i = 0; i < n; i++) {
		ib_http_resp *r = &resps[i];
		utc_now(r->fetched_at);
		ib_sha256 h;
		ib_sha256_init(&h);
		const char *method = reqs[i].body ? "POST" : "GET";
		ib_sha256_update(&h, method, strlen(method) + 1);
		ib_sha256_update(&h, reqs[i].url, strlen(reqs[i].url) + 1);
		if (reqs[i].body)
			ib_sha256_update(&h, reqs[i].body, strlen(reqs[i].body));
		ib_sha256_hex_final(&h, r->cache_key);
		xs[i] = (xfer){.index = i, .req = &reqs[i], .resp = r, .o = o};
		xs[i].seed = (unsigned)now_ms() ^ (unsigned)getpid() ^ (unsigned)(i * 2654435761u);
		if (o->cache_dir && *o->cache_dir)
			xs[i].conditional =
			    cache_meta_load(o->cache_dir, r->cache_key, &xs[i].meta) == 0;
	}
	int max_par = o->max_parallel > 0 ? o->max_parallel : 1;
	size_t left = n;
	int active = 0, rc = IB_OK;
	while (left > 0 && !rc) {
		long long now = now_ms(), next = -1;
		for (size_t i = 0; i < n && active < max_par && !rc; i++) {
			xfer *x = &xs[i];
			if (x->finished || x->active)
				continue;
			if (x->ready_at_ms <= now) {
				rc = start(multi, x);
				if (x->finished) /* its file could not be made */
					left--;
				else
					active++;
			}
		}
		for (size_t i = 0; i < n; i++)
			if (!xs[i].finished && !xs[i].active &&
			    (next < 0 || xs[i].ready_at_ms < next))
				next = xs[i].ready_at_ms;
		int running = 0;
		curl_multi_perform(multi, &running);
		CURLMsg *m;
		int q;
		while ((m = curl_multi_info_read(multi, &q))) {
			if (m->msg != CURLMSG_DONE)
				continue;
			xfer *x = NULL;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
			CURLcode c = m->data.result;
			curl_multi_remove_handle(multi, m->easy_handle);
			x->active = 0;
			active--;
			finish(x, c);
			if (x->finished)
				left--;
		}
		if (!left)
			break;
		int wait = 1000;
		if (next >= 0) {
			long long d = next - now_ms();
			wait = d < 0 ? 0 : d < wait ? (int)d : wait;
		}
		if (active > 0 || wait > 0)
			curl_multi_poll(multi, NULL, 0, wait, NULL);
	}
	for (size_t i = 0; i < n; i++) {
		if (xs[i].easy) {
			if (xs[i].active)
				curl_multi_remove_handle(multi, xs[i].easy);
			curl_easy_cleanup(xs[i].easy);
		}
		curl_slist_free_all(xs[i].headers);
		curl_slist_free_all(xs[i].connect_to);
		if (xs[i].out)
			fclose(xs[i].out);
	}
	curl_multi_cleanup(multi);
	free(xs);
	if (rc)
		return cannot_start(reqs, resps, n);
	for (size_t i = 0; i < n; i++)
		if (resps[i].err.rc)
			return resps[i].err.rc;
	return IB_OK;
}
