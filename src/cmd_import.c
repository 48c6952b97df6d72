/* cmd_import.c - `ideabank import FILE...`: all files or nothing. */
#include <string.h>

#include "cli.h"
#include "ideabank/agenda.h"
#include "usage.h"

/* Saved agenda answers of one municipality, through the agenda reader. */
static int import_agenda(ib_cli *cli, const char *kommune, int explain, char **files, int n)
{
	ib_store *s = cli_open_store(cli, CLI_WRITE);
	if (!s)
		return EXIT_STORE;
	ib_agenda_report rep;
	ib_error err = {0};
	int rc = ib_agenda_import(s, kommune, (const char *const *)files, (size_t)n, &rep, &err);
	int code = cli_close_store(s, rc == IB_OK);
	if (rc)
		return cli_fail(&err);
	if (code != EXIT_OK) {
		ib_agenda_report_free(&rep);
		return code;
	}
	cli_print_agenda("import", &rep, explain);
	printf("imported: %ld new %s, %ld updated, %ld unchanged", rep.proposals_new,
	       cli_plural(rep.proposals_new, "proposal", "proposals"), rep.proposals_updated,
	       rep.proposals_unchanged);
	if (rep.proposals_removed)
		printf(", %ld removed (alternatives or cases the stored meetings no longer make)",
		       rep.proposals_removed);
	printf("\n");
	if (rep.n_att)
		printf("import: %zu %s proposals; they are read by 'ideabank fetch'\n", rep.n_att,
		       cli_plural((long)rep.n_att, "attachment holds", "attachments hold"));
	ib_agenda_report_free(&rep);
	return EXIT_OK;
}

/* 1 when path is named as a file import reads (feed, document, reference file), so a
 * folder of that name is a mistake, not a folder of agenda answers. */
static int is_named_file(const char *path)
{
	static const char *const suffixes[] = {".jsonl", ".ndjson", ".csv",
					       ".pdf",	 ".txt",    ".text"};
	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++)
		if (ib_has_suffix(path, suffixes[i]))
			return 1;
	return 0;
}

int cmd_import(int argc, char **argv, ib_cli *cli)
{
	int nfiles = 0, explain = 0, id;
	const char *kommune = NULL, *val;
	cli_getopt g = CLI_GETOPT(&cmd_import_spec, argc, argv);
	while ((id = cli_getopt_next(&g, &val)) != CLI_OPT_END) {
		if (id == CLI_OPT_STOP)
			return g.rc;
		if (id == IMPORT_EXPLAIN)
			explain = 1;
		else if (id == IMPORT_KOMMUNE)
			kommune = val;
		else /* the files, in place of the words read */
			argv[++nfiles] = (char *)val;
	}
	if (!nfiles) {
		cli_error("import needs at least one file");
		return EXIT_USAGE;
	}
	for (int i = 1; i <= nfiles; i++) {
		int agenda = ib_agenda_is_input(argv[i]);
		if (agenda && !kommune && is_named_file(argv[i])) {
			/* a folder named like a feed or document is no agenda */
			cli_error("%s: is a folder, not a file", argv[i]);
			return EXIT_STORE;
		}
		if (agenda && !kommune) {
			cli_error("%s: an agenda answer does not name its municipality; give "
				  "--kommune NAME",
				  argv[i]);
			return EXIT_USAGE;
		}
		if (!agenda && kommune) {
			cli_error("%s: --kommune is for saved agenda answers (.json, .json.gz or a "
				  "directory)",
				  argv[i]);
			return EXIT_USAGE;
		}
	}
	if (kommune)
		return import_agenda(cli, kommune, explain, argv + 1, nfiles);
	ib_store *s = cli_open_store(cli, CLI_WRITE);
	if (!s)
		return EXIT_STORE;
	ib_import_report rep;
	ib_error err = {0};
	int rc = ib_import_files(s, (const char *const *)argv + 1, (size_t)nfiles, &rep, &err);
	int code = cli_close_store(s, rc == IB_OK);
	if (rc)
		return cli_fail(&err);
	if (code != EXIT_OK) {
		ib_import_report_free(&rep);
		return code;
	}
	for (size_t i = 0; explain && i < rep.n_explain; i++)
		printf("explain: %s\n", rep.explain[i]);
	for (size_t i = 0; i < rep.n_notes; i++)
		printf("note: %s\n", rep.notes[i]);
	printf("imported: %ld %s, %ld population %s, %ld spending %s, %ld new %s, %ld updated, "
	       "%ld unchanged\n",
	       rep.municipalities, cli_plural(rep.municipalities, "municipality", "municipalities"),
	       rep.population, cli_plural(rep.population, "figure", "figures"), rep.spending,
	       cli_plural(rep.spending, "figure", "figures"), rep.proposals_new,
	       cli_plural(rep.proposals_new, "proposal", "proposals"), rep.proposals_updated,
	       rep.proposals_unchanged);
	if (rep.flagged || rep.followups_attached)
		printf("flagged: %ld %s (see 'ideabank show ID'); follow-ups attached: %ld\n",
		       rep.flagged, cli_plural(rep.flagged, "proposal", "proposals"),
		       rep.followups_attached);
	ib_import_report_free(&rep);
	return EXIT_OK;
}
