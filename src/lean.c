/* lean.c - the lean `ideabank`'s commands that need curl, libxml2, zlib or libmicrohttpd
 * (import, fetch, serve).  Each prints its own help; anything else runs
 * ideabank-full with the command line and environment unchanged, as git runs
 * git-remote-https for its transports, so the read commands start without loading the
 * 40-odd libraries behind those.  The lean binary links this file in place of
 * cmd_import.c, cmd_fetch.c and cmd_serve.c; ideabank-full links those.
 *
 * Where ideabank-full is: in $IDEABANK_EXEC_PATH when set, else next to this binary (the
 * build tree), else in ../libexec/ideabank/ beside the binary's folder (installed). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "usage.h"

#define FULL_NAME "ideabank-full"

/* The path of ideabank-full into out (size n); 0, or -1 when it does not fit or this
 * binary's own path is unknown (errno set). */
static int full_path(char *out, size_t n)
{
	const char *dir = getenv("IDEABANK_EXEC_PATH");
	if (dir && *dir) {
		if ((size_t)snprintf(out, n, "%s/%s", dir, FULL_NAME) >= n)
			return errno = ENAMETOOLONG, -1;
		return 0;
	}
	char self[4096];
	ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
	if (len <= 0)
		return -1;
	self[len] = '\0';
	char *slash = strrchr(self, '/');
	if (!slash)
		return errno = ENOENT, -1;
	*slash = '\0';
	if ((size_t)snprintf(out, n, "%s/%s", self, FULL_NAME) >= n)
		return errno = ENAMETOOLONG, -1;
	if (access(out, X_OK) == 0)
		return 0;
	/* installed: PREFIX/bin/ideabank runs PREFIX/libexec/ideabank/ideabank-full */
	slash = strrchr(self, '/');
	if (slash)
		*slash = '\0';
	if ((size_t)snprintf(out, n, "%s/libexec/ideabank/%s", self, FULL_NAME) >= n)
		return errno = ENAMETOOLONG, -1;
	return 0;
}

/* Print the help for "CMD --help" / "CMD -h" (and the completion helper), else
 * replace this process with ideabank-full on cli->argv.  Returns only on help
 * (EXIT_OK) or when ideabank-full cannot be run (the error printed, EXIT_STORE). */
static int run_full(int argc, char **argv, const ib_cli *cli, const cli_command *spec)
{
	int rc;
	if (cli_help_only(spec, argc, argv, &rc))
		return rc;
	char path[4096];
	if (full_path(path, sizeof path) == 0) {
		fflush(NULL);
		execv(path, cli->argv);
		cli_error("cannot run '%s': '%s': %s", argv[0], path, strerror(errno));
	} else {
		cli_error("cannot run '%s': cannot find '%s': %s", argv[0], FULL_NAME,
			  strerror(errno));
	}
	return EXIT_STORE;
}

int cmd_import(int argc, char **argv, ib_cli *cli)
{
	return run_full(argc, argv, cli, &cmd_import_spec);
}

int cmd_fetch(int argc, char **argv, ib_cli *cli)
{
	return run_full(argc, argv, cli, &cmd_fetch_spec);
}

int cmd_serve(int argc, char **argv, ib_cli *cli)
{
	return run_full(argc, argv, cli, &cmd_serve_spec);
}
