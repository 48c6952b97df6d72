/* usage.h - the option tables of the commands the lean binary hands to ideabank-full
 * (import, fetch, serve), kept in src/usage.c so that the lean `ideabank help CMD`
 * prints them without the heavy libraries those commands link. */
#ifndef IDEABANK_USAGE_H
#define IDEABANK_USAGE_H

#include "opt.h"

enum { IMPORT_EXPLAIN = CLI_OPT_FIRST, IMPORT_KOMMUNE };
enum {
	FETCH_CONFIG = CLI_OPT_FIRST,
	FETCH_ONLY,
	FETCH_AGENDAS,
	FETCH_KOMMUNE,
	FETCH_FROM,
	FETCH_TO,
	FETCH_HOSTS,
	FETCH_DRY_RUN,
	FETCH_CACHE,
	FETCH_NO_CACHE,
	FETCH_TIMEOUT,
	FETCH_STALL,
	FETCH_RETRIES,
	FETCH_BACKOFF_MS,
	FETCH_DELAY_MS,
	FETCH_EXPLAIN,
	FETCH_PRINT_CONFIG
};
enum { SERVE_PORT = CLI_OPT_FIRST, SERVE_BIND, SERVE_THREADS, SERVE_RENDER };

extern const cli_command cmd_import_spec, cmd_fetch_spec, cmd_serve_spec;

#endif
