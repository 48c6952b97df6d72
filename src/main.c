/* main.c - the `ideabank` tool: global options and the subcommand table. */
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"
#include "opt.h"
#include "usage.h"

typedef struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv, ib_cli *cli);
	const char *summary;
} cmd;

static const cmd commands[] = {
    {"search", cmd_search, "find proposals by keyword, filter, sort, scale per inhabitant"},
    {"show", cmd_show, "everything about one proposal: yearly table, flags, sources"},
    {"import", cmd_import, "load feeds and reference data, all or nothing"},
    {"fetch", cmd_fetch, "download StatBank figures, feeds and documents; store what changed"},
    {"export", cmd_export, "write stored proposals as a JSON Lines feed"},
    {"stats", cmd_stats, "counts per municipality, budget year and area"},
    {"peers", cmd_peers, "spending per inhabitant against peer municipalities, mulighedsrum"},
    {"room", cmd_room, "every area's mulighedsrum against peers, over the years, with ideas"},
    {"basket", cmd_basket, "a selection of ideas with totals, projected onto a municipality"},
    {"serve", cmd_serve, "the web page: search and proposals in a browser"},
    {"check", cmd_check, "check the database for damage (integrity, search index)"},
    {"convert-dst", cmd_convert_dst,
     "convert Statistics Denmark files into the project's reference files"},
};

static void usage(FILE *f)
{
	fputs("usage: ideabank [--db PATH] COMMAND [ARGS...]\n"
	      "\n"
	      "Find savings (råderum) in Danish municipalities' budget proposals.\n"
	      "\n"
	      "commands:\n",
	      f);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].summary);
	fputs("\noptions:\n", f);
	cli_help_options(f, cmd_global_spec.opts);
	fputs("\n"
	      "exit codes: 0 ok, 1 no results, 2 usage error, 3 data error (bad input,\n"
	      "unknown id or municipality), 4 database or file error, 5 network error\n"
	      "\n"
	      "environment: IDEABANK_DB, IDEABANK_SOURCES, IDEABANK_WORDLIST, NO_COLOR;\n"
	      "see ideabank(1)\n",
	      f);
}

static const cmd *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(name, commands[i].name) == 0)
			return &commands[i];
	return NULL;
}

/* The error for a word that is no command (or, starting with '-', no option of
 * ideabank's own), with the nearest one when one is close. */
static int not_a_command(const char *word)
{
	const char *cands[32];
	size_t n = 0;
	int option = word[0] == '-';
	for (const cli_option *o = cmd_global_spec.opts; option && o->id && n < 31; o++)
		cands[n++] = o->name;
	for (size_t i = 0; !option && i < sizeof commands / sizeof commands[0] && n < 31; i++)
		cands[n++] = commands[i].name;
	if (!option)
		cands[n++] = "help";
	const char *near = cli_nearest(word, cands, n);
	char what[512];
	if (option)
		snprintf(what, sizeof what, "unknown option '%s'", word);
	else
		snprintf(what, sizeof what, "'%s' is not a command", word);
	if (near)
		cli_error("%s; did you mean '%s'?", what, near);
	else
		cli_error("%s; see 'ideabank --help'", what);
	return EXIT_USAGE;
}

static char default_db[4096];
/* main()'s argv before --db is taken out: ib_cli.argv, what ideabank-full is handed */
static char **full_argv;

static const char *default_db_path(void)
{
	const char *env = getenv("IDEABANK_DB");
	if (env && *env)
		return env;
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	if (xdg && *xdg)
		snprintf(default_db, sizeof default_db, "%s/ideabank/ideabank.db", xdg);
	else if (home && *home)
		snprintf(default_db, sizeof default_db, "%s/.local/share/ideabank/ideabank.db",
			 home);
	else
		snprintf(default_db, sizeof default_db, "ideabank.db");
	return default_db;
}

/* The tool; main() frees what it leaves (full_argv). */
static int run(int argc, char **argv)
{
	ib_cli cli = {0};
	cli.is_tty = isatty(STDOUT_FILENO);
	cli.width = 120;
	struct winsize ws;
	if (cli.is_tty && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
		cli.width = ws.ws_col;
	else if (getenv("COLUMNS") && atoi(getenv("COLUMNS")) >= 40)
		cli.width = atoi(getenv("COLUMNS"));

	if (isatty(STDERR_FILENO))
		ib_set_progress(cli_progress, NULL);

	full_argv = malloc(((size_t)argc + 1) * sizeof *full_argv);
	if (!full_argv) {
		cli_error("out of memory");
		return EXIT_STORE;
	}
	memcpy(full_argv, argv, ((size_t)argc + 1) * sizeof *full_argv);
	cli.argv = full_argv;

	/* --db may stand anywhere before a "--"; take it out of argv */
	int n = 1;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			while (i < argc)
				argv[n++] = argv[i++];
			break;
		}
		const char *v;
		int r = cli_opt_value(argc, argv, &i, "--db", &v);
		if (r < 0)
			return EXIT_USAGE;
		if (r > 0) {
			if (!*v) {
				cli_error("option '--db' needs a path");
				return EXIT_USAGE;
			}
			cli.db_path = v;
			continue;
		}
		argv[n++] = argv[i];
	}
	argc = n;
	argv[argc] = NULL;
	if (!cli.db_path) {
		cli.db_path = default_db_path();
		cli.db_default = cli.db_path == default_db;
	}

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "help") && argc > 2) {
		/* `ideabank help CMD` is `ideabank CMD --help` */
		const cmd *c = find_command(argv[2]);
		if (!c)
			return not_a_command(argv[2]);
		char help[] = "--help";
		char *hargv[] = {argv[2], help, NULL};
		return c->fn(2, hargv, &cli);
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--completion-helper")) {
		cli_completion_helper(stdout, &cmd_global_spec);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("ideabank %s\n", IB_VERSION);
		return EXIT_OK;
	}
	const cmd *c = find_command(argv[1]);
	if (c)
		return c->fn(argc - 1, argv + 1, &cli);
	return not_a_command(argv[1]);
}

int main(int argc, char **argv)
{
	int rc = run(argc, argv);
	free(full_argv);
	return rc;
}
