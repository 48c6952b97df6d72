/* cmd_serve.c - `ideabank serve`: the web page on a local HTTP server (libmicrohttpd).
 * A front door (web_door.c) accepts every connection and reads its request head
 * first: requests still being read are held to a budget per address, in all and in
 * time, and what libmicrohttpd would answer itself (a head too long or malformed) is
 * answered with ideabank's headers.  Complete heads go to a pool of worker threads,
 * each request with a database connection of its own, so one slow request does not
 * hold the others; CSV downloads go to a worker of their own.  The main thread waits
 * for Ctrl-C or SIGTERM to stop. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

#include "cli.h"
#include "usage.h"
#include "web.h"
#include "web_door.h"

/* Connections libmicrohttpd holds (requests being answered, answers being sent) for
 * the pages and API, and for CSV downloads; the door answers 503 past them. */
#define SERVE_MAX_CONNECTIONS 256
#define SERVE_MAX_EXPORTS 64
/* Seconds a connection may stay idle in libmicrohttpd (a client not reading its answer) */
#define SERVE_TIMEOUT_S 10
#define SERVE_EXPORT_TIMEOUT_S 60
#define SERVE_MAX_THREADS 64
/* Threads that write CSV downloads: many downloads wait for them, not the pages */
#define SERVE_EXPORT_THREADS 1
/* Memory per connection: the door lets through a head of WEB_DOOR_HEAD_MAX, and every
 * argument costs some more. */
#define SERVE_MEMORY_PER_CONNECTION (256 * 1024)

/* One database connection per worker thread: a worker takes a free one for the length
 * of a request, so no two requests share a connection. */
typedef struct store_pool {
	pthread_mutex_t lock;
	pthread_cond_t freed;
	ib_store *stores[SERVE_MAX_THREADS + SERVE_EXPORT_THREADS];
	size_t n_free;
} store_pool;

static ib_store *pool_take(store_pool *p)
{
	pthread_mutex_lock(&p->lock);
	while (!p->n_free)
		pthread_cond_wait(&p->freed, &p->lock);
	ib_store *s = p->stores[--p->n_free];
	pthread_mutex_unlock(&p->lock);
	return s;
}

static void pool_give(store_pool *p, ib_store *s)
{
	pthread_mutex_lock(&p->lock);
	p->stores[p->n_free++] = s;
	pthread_cond_signal(&p->freed);
	pthread_mutex_unlock(&p->lock);
}

static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *key,
			       const char *value)
{
	(void)kind;
	web_request *rq = cls;
	if (rq->n_args < WEB_MAX_ARGS)
		rq->args[rq->n_args++] = (web_arg){key, value ? value : ""};
	else
		rq->too_many_args = 1;
	return MHD_YES;
}

/* Marks a request whose address had more arguments than a page reads. */
static int too_many_args;

/* Called with the raw address before libmicrohttpd splits its arguments: that split
 * keeps every argument in the connection's fixed memory, and a few hundred of them
 * exhausted it, so the connection closed without an answer.  An address with more
 * than WEB_MAX_ARGS arguments has its query string emptied here (the buffer is the
 * connection's own, writable) and is answered 400 by the handler. */
static void *check_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	(void)cls;
	(void)c;
	char *q = strchr((char *)uri, '?');
	size_t n = q && q[1] ? 1 : 0;
	for (const char *p = q; p && *p; p++)
		n += *p == '&';
	if (n <= WEB_MAX_ARGS)
		return NULL;
	q[1] = '\0';
	return &too_many_args;
}

/* Headers every answer carries (the door's own answers carry the same). */
static void common_headers(struct MHD_Response *resp, const char *type)
{
	MHD_add_response_header(resp, "Content-Type", type);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	MHD_add_response_header(resp, "Content-Security-Policy", WEB_CSP);
	/* one request per connection: every request passes the door */
	MHD_add_response_header(resp, "Connection", "close");
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload,
			      size_t *upload_size, void **con_cls)
{
	(void)version;
	(void)upload;
	(void)upload_size;
	store_pool *pool = cls;
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
		static const char msg[] = "method not allowed: use GET or HEAD\n";
		struct MHD_Response *resp = MHD_create_response_from_buffer(
		    sizeof msg - 1, (void *)msg, MHD_RESPMEM_PERSISTENT);
		common_headers(resp, "text/plain; charset=utf-8");
		MHD_add_response_header(resp, "Allow", "GET, HEAD");
		enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_METHOD_NOT_ALLOWED, resp);
		MHD_destroy_response(resp);
		return ret;
	}
	web_request rq;
	memset(&rq, 0, sizeof rq);
	rq.path = url;
	rq.accept_language = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Language");
	if (*con_cls == &too_many_args)
		rq.too_many_args = 1;
	else
		MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_arg, &rq);
	web_response r;
	ib_store *s = pool_take(pool);
	web_handle(s, &rq, &r);
	pool_give(pool, s);
	struct MHD_Response *resp = MHD_create_response_from_buffer(
	    r.body.n, r.body.z ? r.body.z : (void *)"", MHD_RESPMEM_MUST_COPY);
	common_headers(resp, r.content_type);
	if (r.filename) {
		char disp[160];
		snprintf(disp, sizeof disp, "attachment; filename=\"%s\"", r.filename);
		MHD_add_response_header(resp, "Content-Disposition", disp);
	}
	enum MHD_Result ret = MHD_queue_response(c, (unsigned)r.status, resp);
	MHD_destroy_response(resp);
	ib_buf_free(&r.body);
	return ret;
}

static int stop_pipe[2] = {-1, -1};

static void on_stop(int sig)
{
	(void)sig;
	int saved = errno;
	if (write(stop_pipe[1], "x", 1) < 0) {
		/* nothing to do: the pipe holds a byte already */
	}
	errno = saved;
}

static size_t unescape(char *z)
{
	return MHD_http_unescape(z);
}

int cmd_serve(int argc, char **argv, ib_cli *cli)
{
	const char *port_z = "8080", *bind_z = "127.0.0.1", *render = NULL, *threads_z = "4", *v;
	cli_getopt g = CLI_GETOPT(&cmd_serve_spec, argc, argv);
	for (int id; (id = cli_getopt_next(&g, &v)) != CLI_OPT_END;) {
		if (id == CLI_OPT_STOP)
			return g.rc;
		if (id == SERVE_PORT)
			port_z = v;
		else if (id == SERVE_BIND)
			bind_z = v;
		else if (id == SERVE_THREADS)
			threads_z = v;
		else if (id == SERVE_RENDER)
			render = v;
		else {
			cli_error("unknown argument '%s' for serve; see 'ideabank serve --help'",
				  v);
			return EXIT_USAGE;
		}
	}
	char *end;
	long port = strtol(port_z, &end, 10);
	if (*end || port < 0 || port > 65535) {
		cli_error("--port: expected a port number 0-65535, got '%s'", port_z);
		return EXIT_USAGE;
	}
	long threads = strtol(threads_z, &end, 10);
	if (*end || threads < 1 || threads > SERVE_MAX_THREADS) {
		cli_error("--threads: expected 1-%d, got '%s'", SERVE_MAX_THREADS, threads_z);
		return EXIT_USAGE;
	}
	struct sockaddr_in addr;
	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, bind_z, &addr.sin_addr) != 1) {
		cli_error("--bind: expected an IPv4 address, got '%s'", bind_z);
		return EXIT_USAGE;
	}
	ib_store *s = cli_open_store(cli, CLI_READ);
	if (!s)
		return EXIT_STORE;
	if (render) {
		web_request rq;
		char *storage = NULL;
		web_response r = {0};
		int rc = EXIT_OK;
		if (web_request_split(render, unescape, &rq, &storage) != IB_OK) {
			cli_error("out of memory");
			rc = EXIT_STORE;
		} else {
			web_handle(s, &rq, &r);
			fwrite(r.body.z ? r.body.z : "", 1, r.body.n, stdout);
			rc = r.status < 300 ? EXIT_OK : r.status < 500 ? EXIT_DATA : EXIT_STORE;
		}
		ib_buf_free(&r.body);
		free(storage);
		ib_store_close(s);
		return rc;
	}
	store_pool pool;
	memset(&pool, 0, sizeof pool);
	pthread_mutex_init(&pool.lock, NULL);
	pthread_cond_init(&pool.freed, NULL);
	pool.stores[pool.n_free++] = s;
	/* one read-only connection per worker: the pages' and the CSV downloads' */
	while (pool.n_free < (size_t)threads + SERVE_EXPORT_THREADS) {
		ib_store *w = cli_open_store(cli, CLI_READ);
		if (!w)
			break;
		pool.stores[pool.n_free++] = w;
	}
	int rc = EXIT_OK;
	if (pool.n_free < (size_t)threads + SERVE_EXPORT_THREADS) {
		rc = EXIT_STORE;
		goto out;
	}
	/* Ctrl-C and SIGTERM write to a pipe the main thread waits on: whichever thread
	   the signal lands on (a worker, or a sanitizer's own thread), the server stops
	   cleanly */
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	if (pipe(stop_pipe)) {
		cli_error("cannot create a pipe: %s", strerror(errno));
		rc = EXIT_STORE;
		goto out;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), one = 1;
	if (lfd >= 0)
		setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&addr, sizeof addr) != 0 ||
	    listen(lfd, 1024) != 0) {
		int why = errno;
		if (lfd >= 0)
			close(lfd);
		cli_error("cannot listen on %s:%ld: %s", bind_z, port, strerror(why));
		rc = EXIT_NETWORK;
		goto out;
	}
	web_door *door = web_door_new(lfd);
	unsigned flags =
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ITC | MHD_USE_NO_LISTEN_SOCKET;
	struct MHD_Daemon *d =
	    door ? MHD_start_daemon(
		       flags, 0, NULL, NULL, handle, &pool, MHD_OPTION_THREAD_POOL_SIZE,
		       (unsigned)threads, MHD_OPTION_CONNECTION_LIMIT,
		       (unsigned)SERVE_MAX_CONNECTIONS, MHD_OPTION_CONNECTION_TIMEOUT,
		       (unsigned)SERVE_TIMEOUT_S, MHD_OPTION_URI_LOG_CALLBACK, check_uri, NULL,
		       MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)SERVE_MEMORY_PER_CONNECTION,
		       MHD_OPTION_NOTIFY_CONNECTION, web_door_notify, door, MHD_OPTION_END)
		 : NULL;
	struct MHD_Daemon *x =
	    d ? MHD_start_daemon(flags, 0, NULL, NULL, handle, &pool, MHD_OPTION_THREAD_POOL_SIZE,
				 (unsigned)SERVE_EXPORT_THREADS, MHD_OPTION_CONNECTION_LIMIT,
				 (unsigned)SERVE_MAX_EXPORTS, MHD_OPTION_CONNECTION_TIMEOUT,
				 (unsigned)SERVE_EXPORT_TIMEOUT_S, MHD_OPTION_URI_LOG_CALLBACK,
				 check_uri, NULL, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
				 (size_t)SERVE_MEMORY_PER_CONNECTION, MHD_OPTION_NOTIFY_CONNECTION,
				 web_door_notify, door, MHD_OPTION_END)
	      : NULL;
	if (!x || web_door_run(door, d, SERVE_MAX_CONNECTIONS, x, SERVE_MAX_EXPORTS) != 0) {
		cli_error("cannot start the server: %s", strerror(errno));
		if (x)
			MHD_stop_daemon(x);
		if (d)
			MHD_stop_daemon(d);
		web_door_stop(door);
		close(lfd);
		rc = EXIT_NETWORK;
		goto out;
	}
	struct sockaddr_in bound;
	socklen_t blen = sizeof bound;
	if (getsockname(lfd, (struct sockaddr *)&bound, &blen) != 0)
		bound.sin_port = htons((uint16_t)port);
	printf("serving http://%s:%u/ (Ctrl-C stops)\n", bind_z, (unsigned)ntohs(bound.sin_port));
	fflush(stdout);
	char byte;
	while (read(stop_pipe[0], &byte, 1) < 0 && errno == EINTR)
		;
	web_door_stats st;
	web_door_stats_get(door, &st);
	web_door_stop(door);
	close(lfd);
	MHD_stop_daemon(x);
	MHD_stop_daemon(d);
	printf("stopped: %ld requests passed the door; it answered %ld itself: %ld with 408 (no "
	       "head within %d s), %ld with 408 or 429 (gave way to newer connections), %ld "
	       "with 400 or 505, %ld with 414 or 431, %ld with 503\n",
	       st.handed,
	       st.timed_out + st.evicted + st.refused_budget + st.refused_bad + st.refused_size +
		   st.refused_busy,
	       st.timed_out, WEB_DOOR_HEAD_S, st.evicted + st.refused_budget, st.refused_bad,
	       st.refused_size, st.refused_busy);
out:
	if (stop_pipe[0] >= 0) {
		close(stop_pipe[0]);
		close(stop_pipe[1]);
	}
	for (size_t i = 0; i < pool.n_free; i++)
		ib_store_close(pool.stores[i]);
	pthread_cond_destroy(&pool.freed);
	pthread_mutex_destroy(&pool.lock);
	return rc;
}
