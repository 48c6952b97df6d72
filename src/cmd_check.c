/* cmd_check.c - `ideabank check`: is the database whole?  SQLite's integrity_check,
 * its foreign keys, and FTS5's integrity-check of the search index, which needs
 * ideabank's Danish tokenizer (the sqlite3 shell says "no such tokenizer:
 * ideabank_da").  For users and support: it reads only. */
#include <string.h>

#include "cli.h"
#include "opt.h"

static const cli_command spec = {
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

int cmd_check(int argc, char **argv, ib_cli *cli)
{
	const char *v;
	cli_getopt g = CLI_GETOPT(&spec, argc, argv);
	int id = cli_getopt_next(&g, &v);
	if (id == CLI_OPT_STOP)
		return g.rc;
	if (id != CLI_OPT_END) {
		cli_error("check takes no arguments, got '%s'", v);
		return EXIT_USAGE;
	}
	ib_store *s = cli_open_store(cli, CLI_READ);
	if (!s)
		return EXIT_STORE;
	ib_error err = {0};
	ib_stats *st = NULL;
	int rc = ib_store_check(s, &err);
	if (!rc)
		rc = ib_store_stats(s, &st, &err);
	ib_store_close(s);
	if (rc) {
		ib_error_prefix(&err, "database '%s'", cli->db_path);
		cli_error("%s", err.msg);
		return EXIT_STORE;
	}
	char p[64], m[64];
	printf("database '%s': ok\n", cli->db_path);
	printf("  integrity_check: ok\n");
	printf("  foreign keys: ok\n");
	printf("  search index: ok (%s proposals; %s municipalities)\n",
	       cli_num((double)st->n_proposals, 0, p), cli_num((double)st->n_municipalities, 0, m));
	ib_stats_free(st);
	return EXIT_OK;
}
