/* cmd_check.c - `ideabank check`: is the database whole?  SQLite's integrity_check,
 * its foreign keys, and FTS5's integrity-check of the search index, which needs
 * ideabank's Danish tokenizer (the sqlite3 shell says "no such tokenizer:
 * ideabank_da").  For users and support: it reads only. */
#include <string.h>

#include "cli.h"
#include "opt.h"
#include "usage.h"

int cmd_check(int argc, char **argv, ib_cli *cli)
{
	int stop;
	if (cli_getopt_none(&cmd_check_spec, argc, argv, &stop))
		return stop;
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
