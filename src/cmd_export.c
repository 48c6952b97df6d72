/* cmd_export.c - `ideabank export`: every stored proposal as a JSON Lines feed. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "opt.h"
#include "usage.h"

int cmd_export(int argc, char **argv, ib_cli *cli)
{
	int with_ids = 0, id;
	const char *v;
	cli_getopt g = CLI_GETOPT(&cmd_export_spec, argc, argv);
	while ((id = cli_getopt_next(&g, &v)) != CLI_OPT_END) {
		if (id == CLI_OPT_STOP)
			return g.rc;
		if (id != EXPORT_WITH_IDS) {
			cli_error("unknown argument '%s' for export", v);
			return EXIT_USAGE;
		}
		with_ids = 1;
	}
	ib_store *s = cli_open_store(cli, CLI_READ);
	if (!s)
		return EXIT_STORE;
	ib_error err = {0};
	int64_t *ids = NULL;
	size_t n = 0;
	int rc = ib_store_proposal_ids(s, &ids, &n, &err);
	ib_buf b;
	ib_buf_init(&b, 0);
	for (size_t i = 0; i < n && !rc; i++) {
		ib_proposal *p = NULL;
		rc = ib_store_get_proposal(s, ids[i], &p, &err);
		if (!rc) {
			ib_buf_reset(&b);
			rc = ib_proposal_write_jsonl(&b, p, with_ids);
			if (rc)
				ib_error_set(&err, rc, NULL);
			else
				fputs(b.z, stdout);
		}
		ib_proposal_free(p);
	}
	ib_buf_free(&b);
	free(ids);
	ib_store_close(s);
	return rc ? cli_fail(&err) : EXIT_OK;
}
