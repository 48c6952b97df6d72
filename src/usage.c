/* usage.c - every command's option table (usage.h): its synopsis, what it is for, its
 * options with their help and how their values complete. */
#include "usage.h"
#include "cli.h"

/* --json and --csv, of search, peers and room */
#define FORMAT_OPTIONS                                                                             \
	{OPT_JSON, "--json", NULL, "machine output: JSON", NULL},                                  \
	{                                                                                          \
		OPT_CSV, "--csv", NULL, "machine output for Excel: ';', decimal comma, UTF-8 BOM", \
		    NULL                                                                           \
	}

/* a comparison's: peers and room */
#define PEER_OPTIONS                                                                               \
	{OPT_PEER_YEAR, "--year", "Y", "accounts year (default: the latest with figures)", NULL},  \
	    {OPT_PEER_METHOD, "--method", "M",                                                     \
	     "group (default): the same DST municipality group;\n"                                 \
	     "nearest: the k nearest on the DST group (same 0, other 1)\n"                         \
	     "and z-scored log inhabitants, population growth over ten\n"                          \
	     "years and (when fetched) shares aged 0-16 and 65+;\n"                                \
	     "lower:N: the municipality N places cheaper;\n"                                       \
	     "list:A,B,C: your own peers",                                                         \
	     "group nearest lower: list:"},                                                        \
	    {OPT_PEER_K, "--k", "N", "nearest: how many peers (default 10)", NULL},                \
	    {OPT_PEER_WEIGHTS, "--weights", "S,G,V,Y,O",                                           \
	     "nearest: weights of size, group, growth (vækst), young, old\n"                      \
	     "(default 1,1,1,1,1; four numbers S,G,Y,O: growth 0)",                                \
	     NULL},                                                                                \
	{                                                                                          \
		OPT_PEER_BENCHMARK, "--benchmark", "B",                                            \
		    "mean (default), median or lowest-quartile", "mean median lowest-quartile"     \
	}

static const cli_option import_opts[] = {
    {IMPORT_EXPLAIN, "--explain", NULL,
     "documents: which rule rows of data/layout_rules.csv (and of the\n"
     "extractor's data/extract_rules.csv) read each part; agenda answers:\n"
     "the outcome and reason of every item and what decided it",
     NULL},
    {IMPORT_KOMMUNE, "--kommune", "NAME", "the files are saved agenda answers of this municipality",
     "@kommune"},
    {0, NULL, NULL, NULL, NULL},
};

const cli_command cmd_import_spec = {
    "import",
    "ideabank import [--explain] FILE...\n"
    "ideabank import --kommune NAME [--explain] MEETING.json[.gz]|DIR...",
    "Load proposal feeds (.jsonl, or .csv with the same columns), published budget\n"
    "documents (.pdf through pdftotext, or .txt) and reference files\n"
    "(municipalities, population, spending: ';'-separated CSV told apart by their\n"
    "header) into the database.  Every file is checked before anything is stored; one\n"
    "bad line rejects the whole import and names the file and line.  A proposal already\n"
    "stored with the same content is left alone; a changed one is updated in place.\n"
    "\n"
    "With --kommune, the files are saved answers of a municipality's agenda API\n"
    "(/dagsorden/{id}, .json or .json.gz, or directories of them): every item is\n"
    "stored in a case, skipped with a reason, or stored with a flag, as by `fetch`.\n",
    import_opts,
    NULL,
    "@file",
    0,
};

static const cli_option fetch_opts[] = {
    {FETCH_CONFIG, "--config", "FILE",
     "sources config (default: $IDEABANK_SOURCES, else the\n"
     "built-in data/sources.json; see --print-config)",
     "@file"},
    {FETCH_ONLY, "--only", "NAME",
     "fetch only this source (repeatable; also one that is\n"
     "\"enabled\": false)",
     NULL},
    {FETCH_AGENDAS, "--agendas", NULL, "every municipality's agenda portal instead of the config",
     NULL},
    {FETCH_KOMMUNE, "--kommune", "NAME",
     "with --agendas: only this municipality (name or code;\n"
     "repeatable)",
     "@kommune"},
    {FETCH_FROM, "--from", "DATE",
     "agenda meetings from this date, 2025-01-01 (default: the\n"
     "source's \"from\"; --agendas: 1 January last year)",
     NULL},
    {FETCH_TO, "--to", "DATE",
     "agenda meetings up to this date (default: the source's\n"
     "\"to\"; --agendas: today)",
     NULL},
    {FETCH_HOSTS, "--hosts", "N", "agenda portals fetched at once (default 4)", NULL},
    {FETCH_DRY_RUN, "--dry-run", NULL,
     "download and check everything, report what would change,\n"
     "store nothing",
     NULL},
    {FETCH_CACHE, "--cache", "DIR",
     "saved responses for conditional requests, and the portals'\n"
     "cookies (default: $XDG_CACHE_HOME/ideabank or\n"
     "~/.cache/ideabank)",
     "@file"},
    {FETCH_NO_CACHE, "--no-cache", NULL, "always download in full", NULL},
    {FETCH_TIMEOUT, "--timeout", "S", "give up on a request after S seconds (default 120)", NULL},
    {FETCH_STALL, "--stall", "S",
     "give up on an attempt that receives under 100 bytes/s for\n"
     "S seconds (default 30; 0: never)",
     NULL},
    {FETCH_RETRIES, "--retries", "N", "retries after a failed attempt (default 3)", NULL},
    {FETCH_BACKOFF_MS, "--backoff-ms", "MS",
     "wait before the first retry, doubled each time (default 1000)", NULL},
    {FETCH_DELAY_MS, "--delay-ms", "MS",
     "agenda sources: pause between requests to one portal\n"
     "(default: the source's delay_ms, else 200; --agendas: 400)",
     NULL},
    {FETCH_EXPLAIN, "--explain", NULL,
     "agenda sources: every item's outcome, reason and what decided it", NULL},
    {FETCH_PRINT_CONFIG, "--print-config", NULL, "print the built-in sources config and exit",
     NULL},
    {0, NULL, NULL, NULL, NULL},
};

const cli_command cmd_fetch_spec = {
    "fetch",
    "ideabank fetch [--config FILE] [--only NAME]... [--dry-run]\n"
    "               [--cache DIR | --no-cache] [--timeout SECONDS]\n"
    "               [--stall SECONDS] [--retries N] [--backoff-ms MS]\n"
    "               [--delay-ms MS] [--explain] [--print-config]\n"
    "ideabank fetch --agendas [--kommune NAME]... [--from DATE] [--to DATE]\n"
    "               [--hosts N] [--delay-ms MS] [other options as above]",
    "Download the sources listed in the sources config and store what changed:\n"
    "population (FOLK1A) and its age structure, spending per inhabitant (REGK31)\n"
    "from Statistics Denmark's StatBank API, proposal feeds and published documents\n"
    "by URL, committee agendas (proposals from agenda items and their attachments).\n"
    "Each source is stored in its own transaction: one that fails leaves the\n"
    "database as it was, says why, and the others still update.  Every stored row\n"
    "points to the fetched body it came from (URL, time, HTTP status, ETag, SHA-256).\n"
    "\n"
    "With --agendas, the committee agendas of every municipality whose agenda portal\n"
    "is a FirstAgenda-style one (88 of 98, built in), each in its own transaction;\n"
    "the others are named with their agenda system as not supported yet.  A portal\n"
    "is read in a session (its front page first, for the cookie its API asks for),\n"
    "one request at a time, several portals at once; a summary per municipality\n"
    "ends the run.\n",
    fetch_opts,
    "exit codes: 0 every source fetched, 3 a source's data was bad, 4 database\n"
    "error, 5 a source could not be downloaded\n",
    NULL,
    0,
};

static const cli_option serve_opts[] = {
    {SERVE_PORT, "--port", "N", "the port (default 8080; 0 picks a free port)", NULL},
    {SERVE_BIND, "--bind", "ADDRESS", "the IPv4 address listened on (default 127.0.0.1)", NULL},
    {SERVE_THREADS, "--threads", "N",
     "worker threads, each with its own database connection\n"
     "(default 4)",
     NULL},
    {SERVE_RENDER, "--render", "PATH",
     "print the response for one request path, e.g.\n"
     "'/?q=robot&sort=effect', without starting a server",
     NULL},
    {0, NULL, NULL, NULL, NULL},
};

const cli_command cmd_serve_spec = {
    "serve",
    "ideabank serve [--port N] [--bind ADDRESS] [--threads N] | --render PATH",
    "Serve the web page (search, proposals, selected proposals, peer comparison,\n"
    "råderum and the JSON API under /api/) on http://ADDRESS:N/.  Stop with Ctrl-C.\n",
    serve_opts,
    NULL,
    NULL,
    0,
};

static const cli_option search_opts[] = {
    {SEARCH_AREA, "--area", "AREA", "one of KL's nine areas, e.g. \"Ældre og sundhed\"", "@area"},
    {SEARCH_YEAR, "--year", "Y | Y1..Y2", "budget year or range (2021-2024, 2021.., ..2024)", NULL},
    {SEARCH_KOMMUNE, "--kommune", "NAME|CODE", "one municipality", "@kommune"},
    {SEARCH_REGION, "--region", "R", "e.g. Sjælland or \"Region Sjælland\"", NULL},
    {SEARCH_KIND, "--kind", "K",
     "effektivisering, investering, servicereduktion, innovation, andet",
     "effektivisering investering servicereduktion innovation andet"},
    {SEARCH_ADOPTED, "--adopted", NULL, "only proposals known to be adopted", NULL},
    {SEARCH_POPULATION, "--population", "A..B",
     "municipalities of A to B inhabitants in the proposal's\n"
     "budget year (open ends allowed: 20.000.., ..60000)",
     NULL},
    {SEARCH_EFFECT, "--effect", "A..B",
     "yearly effect in kr. (1.000.000.., ..-500.000); proposals\n"
     "with unknown effect are left out",
     NULL},
    {SEARCH_SORT, "--sort", "S",
     "relevance (default with words), effect (default without),\n"
     "per-inhabitant, projected (with --for), score",
     "relevance effect per-inhabitant projected score"},
    {SEARCH_FOR, "--for", "NAME|CODE",
     "project each idea onto that municipality: effect per\n"
     "inhabitant x its latest population",
     "@kommune"},
    {SEARCH_EXPLAIN, "--explain", NULL, "with --sort score: print each factor of the score", NULL},
    {SEARCH_LIMIT, "--limit", "N", "at most N results (default 20 on a terminal table, else all)",
     NULL},
    {SEARCH_FACETS, "--facets", NULL, "counts per area, budget year, municipality and kind", NULL},
    {SEARCH_SNIPPETS, "--snippets", NULL, "the matched words in context under each result", NULL},
    FORMAT_OPTIONS,
    {0, NULL, NULL, NULL, NULL},
};

const cli_command cmd_search_spec = {
    "search",
    "ideabank search [QUERY...] [options]",
    "Find proposals.  Words are ANDed; without words every proposal matches.\n"
    "Effect per inhabitant = effect in kr / the municipality's population in the\n"
    "budget year (the nearest earlier year when that is missing; the year used is shown).\n",
    search_opts,
    "exit codes: 0 results, 1 no results, 2 usage, 3 data error, 4 database error\n",
    NULL,
    1,
};

static const cli_option show_opts[] = {
    {SHOW_JSON, "--json", NULL, "the proposal as a line of the JSON Lines feed, with its id", NULL},
    {0, NULL, NULL, NULL, NULL},
};

const cli_command cmd_show_spec = {
    "show",
    "ideabank show ID [--json]",
    "Everything about one proposal: facts, effect per inhabitant with the population\n"
    "figure used, the yearly table (1000 kr, as printed, negative = saving) with the\n"
    "page and line each row was read from, arithmetic flags, follow-up and full text.\n",
    show_opts,
    NULL,
    NULL,
    0,
};

static const cli_option export_opts[] = {
    {EXPORT_WITH_IDS, "--with-ids", NULL, "add each proposal's database id and content hash", NULL},
    {0, NULL, NULL, NULL, NULL},
};

const cli_command cmd_export_spec = {
    "export",
    "ideabank export [--with-ids]",
    "Write every stored proposal to standard output as a JSON Lines feed, the format\n"
    "`ideabank import` reads.\n",
    export_opts,
    NULL,
    NULL,
    0,
};

const cli_command cmd_stats_spec = {
    "stats",
    "ideabank stats",
    "Counts of municipalities, population and spending figures, and\n"
    "proposals per municipality, budget year and area.\n",
    NULL,
    NULL,
    NULL,
    0,
};

const cli_command cmd_check_spec = {
    "check",
    "ideabank check",
    "Check the database for damage: SQLite's integrity_check, its foreign keys,\n"
    "and the search index against the proposals (FTS5's integrity-check, with\n"
    "ideabank's Danish tokenizer, which the sqlite3 shell cannot load).  It only\n"
    "reads, and works on a read-only database.  Prints what it checked and exits 0\n"
    "when all is well; prints the first complaint and exits 4 otherwise.\n",
    NULL,
    NULL,
    NULL,
    0,
};

const cli_command cmd_convert_dst_spec = {
    "convert-dst",
    "ideabank convert-dst DATADIR OUTDIR",
    "Convert Statistics Denmark's municipality list, FOLK1A/FOLK1AM population and\n"
    "REGK31 spending as kept in DATADIR (the project's shared/data) into the project's\n"
    "reference files in OUTDIR: kommuner.csv, folketal.csv and regk31_<year>.csv; and\n"
    "the agenda system and host of every municipality\n"
    "(agenda-portals/dagsorden_portaler.json) into agenda_portals.csv.\n"
    "`make sample-data` runs it on ../shared/data.\n",
    NULL,
    NULL,
    "@file",
    0,
};

static const cli_option peers_opts[] = {
    {PEERS_FUNCTION, "--function", "CODE", "a REGK31 function, e.g. 3.22.01 (Folkeskoler)", NULL},
    {PEERS_AREA, "--area", "AREA",
     "one of KL's nine areas: the sum of its functions\n"
     "(data/area_functions.csv)",
     "@area"},
    PEER_OPTIONS,
    {PEERS_IDEAS, "--ideas", NULL,
     "also list the best-ranked proposals in the area, projected\n"
     "onto the municipality",
     NULL},
    {PEERS_CHART, "--chart", NULL, "bar chart of all municipalities (default: on a terminal)",
     NULL},
    {PEERS_NO_CHART, "--no-chart", NULL, "no bar chart", NULL},
    FORMAT_OPTIONS,
    {0, NULL, NULL, NULL, NULL},
};

const cli_command cmd_peers_spec = {
    "peers",
    "ideabank peers KOMMUNE (--function CODE | --area AREA) [options]",
    "Compare a municipality's net operating expenditure per inhabitant (REGK31) with its\n"
    "peers: own figure, each peer's, the benchmark, the mulighedsrum = (own - benchmark)\n"
    "x inhabitants in kr. and as a share of own spending, and the rank among all\n"
    "municipalities (1 = lowest spending).\n",
    peers_opts,
    "exit codes: 0 ok, 2 usage, 3 unknown municipality, area, function or year\n",
    "@kommune",
    0,
};

static const cli_option room_opts[] = {
    PEER_OPTIONS,
    {ROOM_FUNCTIONS, "--functions", NULL,
     "every REGK31 function the database holds, not KL's areas", NULL},
    {ROOM_MEASURE, "--measure", "M",
     "inhabitant (default) or target: kr. per person of the\n"
     "area's target group (data/target_groups.csv) where the\n"
     "database holds population by age (fetch aldersfordeling)",
     "inhabitant target"},
    {ROOM_TARGET_GROUP, "--target-group", "G",
     "the target group of --measure target where an area has it,\n"
     "e.g. \"80+ år\" (default: each area's first)",
     NULL},
    {ROOM_IDEAS, "--ideas", "N", "ideas listed per area with room (default 3; 0: none)", NULL},
    FORMAT_OPTIONS,
    {0, NULL, NULL, NULL, NULL},
};

const cli_command cmd_room_spec = {
    "room",
    "ideabank room KOMMUNE [options]",
    "Where is the room: every area the database can compare, each as `peers --area`\n"
    "compares it (the REGK31 functions it holds that data/area_functions.csv maps to\n"
    "the area), sorted by the mulighedsrum = (own - benchmark) x inhabitants, with the\n"
    "total of the positive ones; under each area its functions, own figure against the\n"
    "benchmark in every year held (index, benchmark = 100, and rank; a year without\n"
    "figures is a gap), and the bank's best ideas in the areas with room, projected\n"
    "onto the municipality.  Kr. are current prices.\n",
    room_opts,
    "exit codes: 0 ok, 2 usage, 3 unknown municipality, year or target group\n",
    "@kommune",
    0,
};

static const cli_option basket_opts[] = {
    {BASKET_NAME, "--name", "NAME", "the basket (default 'standard')", NULL},
    {BASKET_FOR, "--for", "KOMMUNE", "project the ideas onto this municipality", "@kommune"},
    {BASKET_CSV, "--csv", NULL, "list or export as CSV for Excel", NULL},
    {0, NULL, NULL, NULL, NULL},
};

const cli_command cmd_basket_spec = {
    "basket",
    "ideabank basket add ID... | rm ID... | list | clear | export --csv\n"
    "                [--name NAME] [--for KOMMUNE]",
    "Keep a selection of proposals in the database (basket 'standard' unless --name).\n"
    "list and export show each idea and the totals: number of ideas, total yearly\n"
    "effect (kr.), effect per inhabitant (the sum of each idea's), and with --for the\n"
    "projected effect there: the sum of effect per inhabitant x its latest population\n"
    "(its own ideas count as they are, not projected onto it).  export --csv has the\n"
    "columns of search --csv, the population's source and, with --for, the projection's\n"
    "municipality, population and year.\n",
    basket_opts,
    NULL,
    "add rm list clear export",
    0,
};

/* ideabank's own options, before the command (--db anywhere before "--"). */
static const cli_option global_opts[] = {
    {GLOBAL_DB, "--db", "PATH",
     "database file (default: $IDEABANK_DB, else\n"
     "$XDG_DATA_HOME/ideabank/ideabank.db or\n"
     "~/.local/share/ideabank/ideabank.db); import, fetch and\n"
     "basket add/rm/clear create it, other commands only read it",
     "@file"},
    {GLOBAL_HELP, "--help", NULL,
     "this text (also -h); `ideabank help COMMAND` (or\n"
     "`ideabank COMMAND --help`) for a command",
     NULL},
    {GLOBAL_VERSION, "--version", NULL, "print the version (also -V)", NULL},
    {0, NULL, NULL, NULL, NULL},
};
const cli_command cmd_global_spec = {
    "ideabank", "ideabank [--db PATH] COMMAND [ARGS...]", NULL, global_opts, NULL, "@command", 0,
};
