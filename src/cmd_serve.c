/* cmd_serve.c - `ideabank serve`: the web page on a local HTTP server (libmicrohttpd).
 * One polling thread owns the database connection; the main thread waits for a
 * signal to stop. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "cli.h"
#include "web.h"

static const char usage_text[] =
    "usage: ideabank serve [--port N] [--bind ADDRESS] | --render PATH\n"
    "\n"
    "Serve the web page (search form, one page per proposal, /api/search as JSON) on\n"
    "http://ADDRESS:N/ (default 127.0.0.1:8080; --port 0 picks a free port).  Stop with\n"
    "Ctrl-C.  --render PATH prints the response for one request path, e.g.\n"
    "'/?q=robot&sort=effect', without starting a server.\n";

typedef struct serve_ctx {
	ib_store *store;
	ib_buf url; /* scratch: path and re-encoded query string */
} serve_ctx;

static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *key,
			       const char *value)
{
	(void)kind;
	ib_buf *b = cls;
	ib_buf_addc(b, strchr(b->z ? b->z : "", '?') ? '&' : '?');
	web_url_esc(b, key);
	ib_buf_addc(b, '=');
	web_url_esc(b, value ? value : "");
	return MHD_YES;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload,
			      size_t *upload_size, void **con_cls)
{
	(void)version;
	(void)upload;
	(void)upload_size;
	(void)con_cls;
	serve_ctx *ctx = cls;
	web_response r;
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
		static const char msg[] = "method not allowed\n";
		struct MHD_Response *resp = MHD_create_response_from_buffer(
		    sizeof msg - 1, (void *)msg, MHD_RESPMEM_PERSISTENT);
		enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_METHOD_NOT_ALLOWED, resp);
		MHD_destroy_response(resp);
		return ret;
	}
	ib_buf_reset(&ctx->url);
	ib_buf_adds(&ctx->url, url);
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_arg, &ctx->url);
	web_handle(ctx->store, ib_buf_str(&ctx->url), &r);
	struct MHD_Response *resp = MHD_create_response_from_buffer(
	    r.body.n, r.body.z ? r.body.z : (void *)"", MHD_RESPMEM_MUST_COPY);
	MHD_add_response_header(resp, "Content-Type", r.content_type);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	enum MHD_Result ret = MHD_queue_response(c, (unsigned)r.status, resp);
	MHD_destroy_response(resp);
	ib_buf_free(&r.body);
	return ret;
}

int cmd_serve(int argc, char **argv, ib_cli *cli)
{
	const char *port_z = "8080", *bind_z = "127.0.0.1", *render = NULL, *v;
	for (int i = 1; i < argc; i++) {
		int r;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(usage_text, stdout);
			return EXIT_OK;
		} else if ((r = cli_opt_value(argc, argv, &i, "--port", &v)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
			port_z = v;
		} else if ((r = cli_opt_value(argc, argv, &i, "--bind", &v)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
			bind_z = v;
		} else if ((r = cli_opt_value(argc, argv, &i, "--render", &v)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
			render = v;
		} else {
			cli_error("unknown argument '%s' for serve; see 'ideabank serve --help'",
				  argv[i]);
			return EXIT_USAGE;
		}
	}
	char *end;
	long port = strtol(port_z, &end, 10);
	if (*end || port < 0 || port > 65535) {
		cli_error("--port: expected a port number 0-65535, got '%s'", port_z);
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
		web_response r;
		web_handle(s, render, &r);
		fwrite(r.body.z ? r.body.z : "", 1, r.body.n, stdout);
		ib_buf_free(&r.body);
		ib_store_close(s);
		return r.status < 300 ? EXIT_OK : r.status < 500 ? EXIT_DATA : EXIT_STORE;
	}
	/* block the stop signals before the server thread starts, then wait for them */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	serve_ctx ctx = {s, {0}};
	ib_buf_init(&ctx.url, 8192);
	struct MHD_Daemon *d =
	    MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, (uint16_t)port, NULL, NULL, handle,
			     &ctx, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
			     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_END);
	if (!d) {
		cli_error("cannot listen on %s:%ld", bind_z, port);
		ib_buf_free(&ctx.url);
		ib_store_close(s);
		return EXIT_NETWORK;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	printf("serving http://%s:%u/ (Ctrl-C stops)\n", bind_z,
	       info ? (unsigned)info->port : (unsigned)port);
	fflush(stdout);
	int sig;
	sigwait(&stop, &sig);
	MHD_stop_daemon(d);
	ib_buf_free(&ctx.url);
	ib_store_close(s);
	return EXIT_OK;
}
