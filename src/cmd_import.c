/* cmd_import.c - `ideabank import FILE...`: all files or nothing. */
#include <string.h>

#include "cli.h"

static const char usage_text[] =
    "usage: ideabank import FILE...\n"
    "\n"
    "Load proposal feeds (.jsonl, or .csv with the same columns), published budget\n"
    "documents (.pdf through pdftotext, or .txt) and reference files\n"
    "(municipalities, population, spending: ';'-separated CSV told apart by their\n"
    "header) into the database.  Every file is checked before anything is stored; one\n"
    "bad line rejects the whole import and names the file and line.  A proposal already\n"
    "stored with the same content is left alone; a changed one is updated in place.\n";

int cmd_import(int argc, char **argv, ib_cli *cli)
{
	int nfiles = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(usage_text, stdout);
			return EXIT_OK;
		}
		if (argv[i][0] == '-' && argv[i][1] == '-' && argv[i][2]) {
			return cli_unknown_option("import", argv[i], usage_text);
		}
		argv[++nfiles] = argv[i];
	}
	if (!nfiles) {
		cli_error("import needs at least one file");
		return EXIT_USAGE;
	}
	ib_store *s = cli_open_store(cli, CLI_WRITE);
	if (!s)
		return EXIT_STORE;
	ib_import_report rep;
	ib_error err = {0};
	int rc = ib_import_files(s, (const char *const *)argv + 1, (size_t)nfiles, &rep, &err);
	ib_store_close(s);
	if (rc)
		return cli_fail(&err);
	for (size_t i = 0; i < rep.n_notes; i++)
		printf("note: %s\n", rep.notes[i]);
	printf("imported: %ld municipalities, %ld population figures, %ld spending figures, "
	       "%ld new proposals, %ld updated, %ld unchanged\n",
	       rep.municipalities, rep.population, rep.spending, rep.proposals_new,
	       rep.proposals_updated, rep.proposals_unchanged);
	if (rep.flagged || rep.followups_attached)
		printf(
		    "flagged: %ld proposals (see 'ideabank show ID'); follow-ups attached: %ld\n",
		    rep.flagged, rep.followups_attached);
	ib_import_report_free(&rep);
	return EXIT_OK;
}
