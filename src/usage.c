/* usage.c - the help texts of the commands the lean binary hands to ideabank-full
 * (import, fetch, serve, convert-dst), kept here so that `ideabank help CMD` needs
 * none of the heavy libraries those commands link. */
#include "cli.h"

const char cmd_import_usage[] =
    "usage: ideabank import FILE...\n"
    "       ideabank import --kommune NAME [--explain] MEETING.json[.gz]|DIR...\n"
    "\n"
    "Load proposal feeds (.jsonl, or .csv with the same columns), published budget\n"
    "documents (.pdf through pdftotext, or .txt) and reference files\n"
    "(municipalities, population, spending: ';'-separated CSV told apart by their\n"
    "header) into the database.  Every file is checked before anything is stored; one\n"
    "bad line rejects the whole import and names the file and line.  A proposal already\n"
    "stored with the same content is left alone; a changed one is updated in place.\n"
    "\n"
    "With --kommune, the files are saved answers of a municipality's agenda API\n"
    "(/dagsorden/{id}, .json or .json.gz, or directories of them): every item is\n"
    "stored in a case, skipped with a reason, or stored with a flag, as by `fetch`;\n"
    "--explain lists the outcome and reason of every item.\n";

const char cmd_fetch_usage[] =
    "usage: ideabank fetch [--config FILE] [--only NAME]... [--dry-run]\n"
    "                      [--cache DIR | --no-cache] [--timeout SECONDS]\n"
    "                      [--stall SECONDS] [--retries N] [--backoff-ms MS]\n"
    "                      [--delay-ms MS] [--explain] [--print-config]\n"
    "\n"
    "Download the sources listed in the sources config and store what changed:\n"
    "population (FOLK1A) and its age structure, spending per inhabitant (REGK31)\n"
    "from Statistics Denmark's StatBank API, proposal feeds and published documents\n"
    "by URL, committee agendas (proposals from agenda items and their attachments).\n"
    "Each source is stored in its own transaction: one that fails leaves the\n"
    "database as it was, says why, and the others still update.  Every stored row\n"
    "points to the fetched body it came from (URL, time, HTTP status, ETag, SHA-256).\n"
    "\n"
    "options:\n"
    "  --config FILE     sources config (default: $IDEABANK_SOURCES, else the\n"
    "                    built-in data/sources.json; see --print-config)\n"
    "  --only NAME       fetch only this source (repeatable; also one that is\n"
    "                    \"enabled\": false)\n"
    "  --dry-run         download and check everything, report what would change,\n"
    "                    store nothing\n"
    "  --cache DIR       saved responses for conditional requests (default:\n"
    "                    $XDG_CACHE_HOME/ideabank or ~/.cache/ideabank)\n"
    "  --no-cache        always download in full\n"
    "  --timeout S       give up on a request after S seconds (default 120)\n"
    "  --stall S         give up on an attempt that receives under 100 bytes/s for\n"
    "                    S seconds (default 30; 0: never)\n"
    "  --retries N       retries after a failed attempt (default 3)\n"
    "  --backoff-ms MS   wait before the first retry, doubled each time (default 1000)\n"
    "  --delay-ms MS     agenda sources: pause between requests (default: the\n"
    "                    source's delay_ms, else 200)\n"
    "  --explain         agenda sources: the outcome and reason of every item\n"
    "  --print-config    print the built-in sources config and exit\n"
    "\n"
    "exit codes: 0 every source fetched, 3 a source's data was bad, 4 database\n"
    "error, 5 a source could not be downloaded\n";

const char cmd_serve_usage[] =
    "usage: ideabank serve [--port N] [--bind ADDRESS] [--threads N] | --render PATH\n"
    "\n"
    "Serve the web page (search, proposals, selected proposals, peer comparison and the\n"
    "JSON API under /api/) on http://ADDRESS:N/ (default 127.0.0.1:8080; --port 0 picks a\n"
    "free port).  N worker threads (default 4) answer, each with its own database\n"
    "connection.  Stop with Ctrl-C.  --render PATH prints the response for one request\n"
    "path, e.g. '/?q=robot&sort=effect', without starting a server.\n";

const char cmd_convert_dst_usage[] =
    "usage: ideabank convert-dst DATADIR OUTDIR\n"
    "\n"
    "Convert Statistics Denmark's municipality list, FOLK1A/FOLK1AM population and\n"
    "REGK31 spending as kept in DATADIR (the project's shared/data) into the project's\n"
    "reference files in OUTDIR: kommuner.csv, folketal.csv and regk31_<year>.csv.\n"
    "`make sample-data` runs it on ../shared/data.\n";
