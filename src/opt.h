/* opt.h - a command's options as one table, as git's parse-options OPT_* arrays: the
 * parser (cli_getopt), `--help`, did-you-mean, the completion script
 * (docs/gen-completion.sh reads `ideabank CMD --completion-helper`) and the man page
 * check (tests/cli/cases/man_page.sh) all read the same table. */
#ifndef IDEABANK_OPT_H
#define IDEABANK_OPT_H

#include <stdio.h>

/* What cli_getopt() returns besides an option's id. */
enum {
	CLI_OPT_STOP = -1,   /* stop: --help printed (rc EXIT_OK) or a usage error (rc 2) */
	CLI_OPT_END = 0,     /* the command line is read */
	CLI_OPT_OPERAND = 1, /* a word that is no option (the value in *val) */
	CLI_OPT_FIRST = 2    /* the first id an option may have */
};

/* One option.  values says how the completion script offers its value: "@kommune"
 * (municipality names), "@area" (KL's areas), "@file", "@none" (only the user knows
 * it) or words separated by blanks ("mean median lowest-quartile"). */
typedef struct cli_option {
	int id;		    /* returned by cli_getopt(); 0 ends a table */
	const char *name;   /* "--year" */
	const char *arg;    /* the value's name in the help ("Y | Y1..Y2"); NULL: a switch */
	const char *help;   /* what it does; '\n' continues on the next line */
	const char *values; /* with arg: how its value completes; NULL is "@none" */
} cli_option;

/* A command: its help is synopsis, about, the options and footer; operands says how
 * its operands complete (as cli_option.values, "@command" for command names, words:
 * only as the first operand), NULL: none. */
typedef struct cli_command {
	const char *name;     /* "search" */
	const char *synopsis; /* "ideabank search [QUERY...] [options]"; each further line
				 is printed under the first, after the "usage: " */
	const char *about;    /* paragraphs, each line ending in '\n' */
	const cli_option *opts;
	const char *footer; /* "exit codes: ...\n", or NULL */
	const char *operands;
	int dash_operands; /* a word starting with one '-' is an operand (search's -word) */
} cli_command;

/* The state of reading one command line: CLI_GETOPT(cmd, argc, argv) starts it. */
typedef struct cli_getopt {
	const cli_command *cmd;
	int argc;
	char **argv;
	int i;	  /* the word read last */
	int rest; /* after "--": every word is an operand */
	int rc;	  /* after CLI_OPT_STOP: the exit code */
} cli_getopt;
#define CLI_GETOPT(c, n, v)                                                                        \
	{                                                                                          \
		(c), (n), (v), 0, 0, 0                                                             \
	}

/* The next option or operand of argv[1..argc): returns the option's id with its value
 * in *val ("--name VALUE" or "--name=VALUE"; NULL for a switch), CLI_OPT_OPERAND with
 * the word in *val, CLI_OPT_END at the end, or CLI_OPT_STOP with g->rc set: "-h" or
 * "--help" printed the help (EXIT_OK), "--completion-helper" printed the table for the
 * completion script (EXIT_OK), or a usage error was printed (EXIT_USAGE): an unknown
 * option (with the nearest one suggested), a value missing, or a value given to a
 * switch. */
int cli_getopt_next(cli_getopt *g, const char **val);

/* The name of option id of c ("--year"), "" when it has none. */
const char *cli_opt_name(const cli_command *c, int id);

/* Print the options' lines of a help text: name and value, the help from column 24. */
void cli_help_options(FILE *f, const cli_option *opts);
/* Print the command's help (usage, about, options, footer) to f. */
void cli_help(FILE *f, const cli_command *c);
/* Print the command's options for docs/gen-completion.sh, one a line: "--name -" for a
 * switch, "--name VALUES" for an option with a value; then "operands SPEC" when it
 * takes operands. */
void cli_completion_helper(FILE *f, const cli_command *c);
/* For a command whose options another binary reads (the lean binary's import, fetch
 * and serve): 1 with *rc set when argv is CMD --help, -h or --completion-helper (done
 * here), else 0. */
int cli_help_only(const cli_command *c, int argc, char **argv, int *rc);

/* For a command that takes no options and no operands (stats, check): 1 with *rc set
 * when it must stop (its help printed, or "CMD takes no arguments" for any word), else
 * 0. */
int cli_getopt_none(const cli_command *c, int argc, char **argv, int *rc);

/* The usage error of a value option name cannot take: "NAME: expected WHAT, got 'V'";
 * returns EXIT_USAGE. */
int cli_bad_value(const char *name, const char *what, const char *v);

/* A whole number from lo to hi in v, the value of option name, into *out: EXIT_OK, or
 * EXIT_USAGE with "NAME: expected LO to HI, got 'V'" printed (what as the expectation
 * instead when not NULL: "NAME: expected WHAT, got 'V'"). */
int cli_opt_long(const char *name, const char *v, long lo, long hi, const char *what, long *out);

/* Option matching for main()'s --db, which may stand anywhere: "--name VALUE" or
 * "--name=VALUE".  Returns 1 and sets *val (and advances *i) when argv[*i] is that
 * option; prints a usage error and returns -1 when the value is missing; 0 when
 * argv[*i] is another word. */
int cli_opt_value(int argc, char **argv, int *i, const char *name, const char **val);

#endif
