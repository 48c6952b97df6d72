/* cli.h - what the subcommands share: the context, exit codes, option parsing and
 * output helpers.  Only src/ prints. */
#ifndef IDEABANK_CLI_H
#define IDEABANK_CLI_H

#include <stdio.h>

#include "ideabank.h"

/* Exit codes (documented in README.md and `ideabank --help`). */
enum {
	EXIT_OK = 0,
	EXIT_NO_RESULTS = 1,
	EXIT_USAGE = 2,
	EXIT_DATA = 3,	/* bad input, unknown id or municipality, failed checks */
	EXIT_STORE = 4, /* database or file system */
	EXIT_NETWORK = 5
};

typedef struct ib_cli {
	const char *db_path; /* --db, $IDEABANK_DB, or the per-user default */
	int db_default;	     /* db_path is the per-user default (its folder is made) */
	int is_tty;	     /* stdout is a terminal */
	int width;	     /* terminal width for tables */
	char **argv;	     /* the command line as main() got it, for cli_run_full() */
} ib_cli;

typedef enum out_format { OUT_TABLE, OUT_JSON, OUT_CSV } out_format;

/* Print "ideabank: <msg>" to stderr. */
void cli_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
/* Print err's message and return the exit code for its rc. */
int cli_fail(const ib_error *err);
int cli_exit_code(int rc);

/* How a subcommand opens the store: read commands never create or change anything. */
typedef enum cli_store_mode { CLI_READ, CLI_WRITE } cli_store_mode;

/* Open the store at cli->db_path: CLI_READ read-only (a missing file is an error;
 * notes on stderr that the index awaits a rebuild), CLI_WRITE for writing.  A write
 * open that finds no database creates it, seeded with the built-in reference data
 * (municipalities, population, REGK31 spending), in a transaction held until
 * cli_close_store(): a command that fails leaves no database behind.  The per-user
 * default database's folder is made when missing; a folder given with --db or
 * $IDEABANK_DB must exist.  Prints the error and returns NULL on failure (exit
 * EXIT_STORE, or what cli_exit_code() gives). */
ib_store *cli_open_store(const ib_cli *cli, cli_store_mode mode);
/* Close a store of cli_open_store(); ok says the command succeeded, so that a
 * database it created is kept (and, on a terminal, said so on stderr); when not ok
 * that database is discarded.  Returns EXIT_OK, or the exit code of a failed commit
 * (printed).  Accepts NULL. */
int cli_close_store(ib_store *s, int ok);

/* Parse a proposal ID (a positive decimal number within int64_t).  Prints the usage
 * error ("... is out of range", "... must be a positive number") and returns
 * EXIT_USAGE, or EXIT_OK with *id set. */
int cli_parse_id(const char *z, int64_t *id);

/* The candidate nearest to word by edit distance when it is close enough to be a
 * typing slip (at most 2 edits, a third of the length for long words), else NULL. */
const char *cli_nearest(const char *word, const char *const *cands, size_t n);
/* The search filters --population and --effect (folketal= and effekt= on the web
 * page) into o, by the one range syntax (ib_range_parse): whole inhabitants, a bound
 * of 0 open; an effect of exactly 0 is in no range ("0.." is more than 0, "..0" less).
 * 0, or -1 when z is not such a range. */
int cli_population_filter(const char *z, ib_search_opts *o);
int cli_effect_filter(const char *z, ib_search_opts *o);
/* A proposal's source for people: "title, publisher, side N (URL or file)" when the
 * document title map knows it, else "source, side N" (page 0: no page).  Writes to
 * out (size n) and returns it. */
const char *cli_source_text(const char *source, int page, char *out, size_t n);
/* The progress bar of long library work (ib_progress_fn) on stderr: an import of
 * 1.000 proposals or more, any search index rebuild; cleared when done. */
void cli_progress(void *ctx, const char *what, size_t done, size_t total);
/* 1 when output to the terminal may use colour or bold: stdout is a terminal and
 * $NO_COLOR is unset or empty (https://no-color.org). */
int cli_color(const ib_cli *cli);

/* Number output: Danish notation for people, plain for machines. */
const char *cli_num(double v, int decimals, char buf[64]);

/* z made safe to print: every control character but TAB and line feed (C0, DEL, and
 * the C1 controls U+0080-U+009F a terminal obeys as escapes) becomes U+FFFD; unless
 * multiline, TAB and line feed become spaces.  Stored text reaches a terminal only
 * through this (cli_cell, csv_field, show): a title holding "\x1b]0;..." must not
 * retitle the terminal.  Returns z itself when it holds none, else a copy valid for
 * the next 15 calls.  NULL for NULL. */
const char *cli_text(const char *z, int multiline);

/* Display width of a UTF-8 string (code points). */
size_t cli_width(const char *z);
/* Print z padded or cut (with "…") to exactly w columns; right-aligned when right. */
void cli_cell(FILE *f, const char *z, size_t w, int right);

/* Print what became of an agenda's items: "NAME: agenda: ..." counts per outcome, the
 * reasons with their counts, and with explain one line per item. */
struct ib_agenda_report;
void cli_print_agenda(const char *name, const struct ib_agenda_report *r, int explain);

/* one or many as n is 1 or not: "1 meeting", "2 meetings". */
const char *cli_plural(long n, const char *one, const char *many);

/* Print JSON document o on stdout and delete it: EXIT_OK, or EXIT_STORE when it cannot
 * be printed (out of memory).  Accepts NULL (EXIT_STORE). */
struct cJSON;
int cli_print_json(struct cJSON *o);

/* CSV output helpers: UTF-8 BOM, ';' separator, CRLF, quoted when needed.  A text
 * cell starting with = + - @ TAB or CR is written with a leading ' (OWASP's defence
 * against formula injection: "=HYPERLINK(...)" stays text in Excel); control
 * characters are replaced as cli_text() does.  Numeric cells are written by csv_num()
 * from numbers, never from text: a minus there is a negative number (-1071), and is
 * left as it is. */
void csv_begin(FILE *f);
void csv_field(FILE *f, const char *z, int first);
void csv_num(FILE *f, double v, int decimals);
void csv_end_row(FILE *f);

/* `--for KOMMUNE`: each idea's effect per inhabitant x that municipality's population. */
typedef struct cli_projection {
	ib_municipality m;
	long inhabitants;
	int year;	 /* of the population figure */
	char source[96]; /* its kilde, e.g. "Danmarks Statistik, FOLK1AM 2026M01" */
} cli_projection;

/* The projected yearly effect of h in pj's municipality, kr., IB_NA when unknown; a proposal
 * of that municipality itself keeps its own effect. */
double cli_projected(const ib_hit *h, const cli_projection *pj);
/* Look up pj's municipality and its latest population; prints the error and returns
 * an exit code, or EXIT_OK. */
int cli_projection_for(ib_store *s, const char *kommune, cli_projection *pj);

/* One of a comparison's options (usage.h's OPT_PEER_*, id) with value v into o;
 * EXIT_OK, or EXIT_USAGE with the error printed (cmd_peers.c). */
int cli_peer_option(ib_peer_opts *o, int id, const char *v);

/* Subcommands. */
int cmd_search(int argc, char **argv, ib_cli *cli);
int cmd_show(int argc, char **argv, ib_cli *cli);
int cmd_import(int argc, char **argv, ib_cli *cli);
int cmd_stats(int argc, char **argv, ib_cli *cli);
int cmd_export(int argc, char **argv, ib_cli *cli);
int cmd_convert_dst(int argc, char **argv, ib_cli *cli);
int cmd_serve(int argc, char **argv, ib_cli *cli);
int cmd_peers(int argc, char **argv, ib_cli *cli);
int cmd_room(int argc, char **argv, ib_cli *cli);
int cmd_basket(int argc, char **argv, ib_cli *cli);
int cmd_fetch(int argc, char **argv, ib_cli *cli);
int cmd_check(int argc, char **argv, ib_cli *cli);

#endif
