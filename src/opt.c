/* opt.c - reading a command line by the command's option table (opt.h), and what the
 * table gives besides: the help text, did-you-mean and the completion helper. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "opt.h"

/* The column the help of an option starts in. */
#define HELP_COLUMN 24

void cli_help_options(FILE *f, const cli_option *opts)
{
	for (const cli_option *o = opts; o->id; o++) {
		int w = fprintf(f, "  %s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
		const char *h = o->help;
		if (w >= HELP_COLUMN - 1) {
			fputc('\n', f);
			w = 0;
		}
		while (*h) {
			size_t n = strcspn(h, "\n");
			fprintf(f, "%*s%.*s\n", HELP_COLUMN - w, "", (int)n, h);
			h += n + (h[n] == '\n');
			w = 0;
		}
	}
}

void cli_help(FILE *f, const cli_command *c)
{
	/* the synopsis: "usage: " before the first line, as many blanks before the others */
	const char *s = c->synopsis;
	for (int first = 1; *s; first = 0) {
		size_t n = strcspn(s, "\n");
		fprintf(f, "%s%.*s\n", first ? "usage: " : "       ", (int)n, s);
		s += n + (s[n] == '\n');
	}
	if (c->about)
		fprintf(f, "\n%s", c->about);
	if (c->opts && c->opts[0].id) {
		fputs("\noptions:\n", f);
		cli_help_options(f, c->opts);
	}
	if (c->footer)
		fprintf(f, "\n%s", c->footer);
}

void cli_completion_helper(FILE *f, const cli_command *c)
{
	for (const cli_option *o = c->opts; o && o->id; o++)
		fprintf(f, "%s %s\n", o->name, !o->arg ? "-" : o->values ? o->values : "@none");
	if (c->operands)
		fprintf(f, "operands %s\n", c->operands);
}

/* --help, -h or --completion-helper in a; 1 when done (printed). */
static int help_word(const cli_command *c, const char *a)
{
	if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
		cli_help(stdout, c);
		return 1;
	}
	if (!strcmp(a, "--completion-helper")) {
		cli_completion_helper(stdout, c);
		return 1;
	}
	return 0;
}

int cli_help_only(const cli_command *c, int argc, char **argv, int *rc)
{
	if (argc != 2 || !help_word(c, argv[1]))
		return 0;
	*rc = EXIT_OK;
	return 1;
}

/* The usage error of a word that is no option of c, with the nearest option named. */
static int unknown(const cli_command *c, const char *word)
{
	const char *cands[64];
	size_t n = 0;
	for (const cli_option *o = c->opts; o && o->id && n < 63; o++)
		cands[n++] = o->name;
	cands[n++] = "--help";
	char want[64];
	snprintf(want, sizeof want, "%.*s", (int)strcspn(word, "="), word);
	const char *near = want[0] == '-' ? cli_nearest(want, cands, n) : NULL;
	if (near)
		cli_error("unknown option '%s' for %s; did you mean '%s'?", word, c->name, near);
	else
		cli_error("unknown option '%s' for %s; see 'ideabank %s --help'", word, c->name,
			  c->name);
	return EXIT_USAGE;
}

static int stop(cli_getopt *g, int rc)
{
	g->rc = rc;
	return CLI_OPT_STOP;
}

int cli_getopt_next(cli_getopt *g, const char **val)
{
	*val = NULL;
	if (++g->i >= g->argc)
		return CLI_OPT_END;
	const char *a = g->argv[g->i];
	int dashed = a[0] == '-' && a[1] != '\0';
	if (g->rest || !dashed || (g->cmd->dash_operands && a[1] != '-' && strcmp(a, "-h"))) {
		*val = a;
		return CLI_OPT_OPERAND;
	}
	if (!strcmp(a, "--")) {
		g->rest = 1;
		return cli_getopt_next(g, val);
	}
	if (help_word(g->cmd, a))
		return stop(g, EXIT_OK);
	size_t len = strcspn(a, "=");
	for (const cli_option *o = g->cmd->opts; o && o->id; o++) {
		if (strlen(o->name) != len || strncmp(a, o->name, len) != 0)
			continue;
		if (!o->arg) {
			if (a[len] == '=') {
				cli_error("option '%s' takes no value", o->name);
				return stop(g, EXIT_USAGE);
			}
		} else if (a[len] == '=') {
			*val = a + len + 1;
		} else if (g->i + 1 < g->argc) {
			*val = g->argv[++g->i];
		} else {
			cli_error("option '%s' needs a value", o->name);
			return stop(g, EXIT_USAGE);
		}
		return o->id;
	}
	return stop(g, unknown(g->cmd, a));
}

int cli_getopt_none(const cli_command *c, int argc, char **argv, int *rc)
{
	const char *v;
	cli_getopt g = CLI_GETOPT(c, argc, argv);
	int id = cli_getopt_next(&g, &v);
	if (id == CLI_OPT_END)
		return 0;
	if (id == CLI_OPT_STOP) {
		*rc = g.rc;
		return 1;
	}
	cli_error("%s takes no arguments, got '%s'", c->name, v);
	*rc = EXIT_USAGE;
	return 1;
}

const char *cli_opt_name(const cli_command *c, int id)
{
	for (const cli_option *o = c->opts; o && o->id; o++)
		if (o->id == id)
			return o->name;
	return "";
}

int cli_bad_value(const char *name, const char *what, const char *v)
{
	cli_error("%s: expected %s, got '%s'", name, what, v);
	return EXIT_USAGE;
}

int cli_opt_long(const char *name, const char *v, long lo, long hi, const char *what, long *out)
{
	char *end;
	long k = strtol(v, &end, 10);
	if (!*v || *end || k < lo || k > hi) {
		char range[64];
		snprintf(range, sizeof range, "%ld to %ld", lo, hi);
		return cli_bad_value(name, what ? what : range, v);
	}
	*out = k;
	return EXIT_OK;
}

int cli_opt_value(int argc, char **argv, int *i, const char *name, const char **val)
{
	const char *a = argv[*i];
	size_t n = strlen(name);
	if (strncmp(a, name, n) != 0)
		return 0;
	if (a[n] == '=') {
		*val = a + n + 1;
		return 1;
	}
	if (a[n] != '\0')
		return 0;
	if (*i + 1 >= argc) {
		cli_error("option '%s' needs a value", name);
		return -1;
	}
	*val = argv[++*i];
	return 1;
}
