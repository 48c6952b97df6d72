/* usage.h - every command's option table (src/usage.c): what each command takes, its
 * help and how its values complete, in one place.  The lean binary links it too, so
 * that `ideabank help CMD` for import, fetch and serve needs none of the heavy
 * libraries those commands link.  The ids are what cli_getopt_next() returns. */
#ifndef IDEABANK_USAGE_H
#define IDEABANK_USAGE_H

#include "opt.h"

/* Options several commands share: the output formats; a comparison's (peers, room). */
enum {
	OPT_JSON = 90,
	OPT_CSV,
	OPT_PEER_YEAR = 100,
	OPT_PEER_METHOD,
	OPT_PEER_K,
	OPT_PEER_WEIGHTS,
	OPT_PEER_BENCHMARK
};

enum {
	SEARCH_AREA = CLI_OPT_FIRST,
	SEARCH_YEAR,
	SEARCH_KOMMUNE,
	SEARCH_REGION,
	SEARCH_KIND,
	SEARCH_ADOPTED,
	SEARCH_POPULATION,
	SEARCH_EFFECT,
	SEARCH_SORT,
	SEARCH_FOR,
	SEARCH_EXPLAIN,
	SEARCH_LIMIT,
	SEARCH_FACETS,
	SEARCH_SNIPPETS
};
enum { GLOBAL_DB = CLI_OPT_FIRST, GLOBAL_HELP, GLOBAL_VERSION };
enum { SHOW_JSON = CLI_OPT_FIRST };
enum { EXPORT_WITH_IDS = CLI_OPT_FIRST };
enum { PEERS_FUNCTION = CLI_OPT_FIRST, PEERS_AREA, PEERS_IDEAS, PEERS_CHART, PEERS_NO_CHART };
enum { ROOM_FUNCTIONS = CLI_OPT_FIRST, ROOM_MEASURE, ROOM_TARGET_GROUP, ROOM_IDEAS };
enum { BASKET_NAME = CLI_OPT_FIRST, BASKET_FOR, BASKET_CSV };
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

extern const cli_command cmd_search_spec, cmd_show_spec, cmd_import_spec, cmd_fetch_spec,
    cmd_export_spec, cmd_stats_spec, cmd_peers_spec, cmd_room_spec, cmd_basket_spec, cmd_serve_spec,
    cmd_check_spec, cmd_convert_dst_spec;
/* ideabank's own options (main.c) */
extern const cli_command cmd_global_spec;

#endif
