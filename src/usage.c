/* usage.c - the option tables of the commands the lean binary hands to ideabank-full
 * (import, fetch, serve), kept here so that `ideabank help CMD` needs none of the
 * heavy libraries those commands link. */
#include "cli.h"
#include "usage.h"

static const cli_option import_opts[] = {
    {IMPORT_EXPLAIN, "--explain", NULL,
     "documents: which rule rows of data/layout_rules.csv (and of the\n"
     "extractor's data/extract_rules.csv) read each part; agenda answers:\n"
     "the outcome and reason of every item and what decided it",
     NULL},
    {IMPORT_KOMMUNE, "--kommune", "NAME",
     "the files are saved agenda answers of this municipality", "@kommune"},
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
    {FETCH_TIMEOUT, "--timeout", "S", "give up on a request after S seconds (default 120)",
     NULL},
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
    {SERVE_BIND, "--bind", "ADDRESS", "the IPv4 address listened on (default 127.0.0.1)",
     NULL},
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
