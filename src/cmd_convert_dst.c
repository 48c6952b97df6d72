/* cmd_convert_dst.c - `ideabank convert-dst DIR OUTDIR`: Statistics Denmark's files
 * into the project's reference files (see include/ideabank/dst.h). */
#include <string.h>

#include "cli.h"

static const char usage_text[] =
    "usage: ideabank convert-dst DATADIR OUTDIR\n"
    "\n"
    "Convert Statistics Denmark's municipality list, FOLK1A/FOLK1AM population and\n"
    "REGK31 spending as kept in DATADIR (the project's shared/data) into the project's\n"
    "reference files in OUTDIR: kommuner.csv, folketal.csv and regk31_<year>.csv; and\n"
    "the agenda system and host of every municipality\n"
    "(agenda-portals/dagsorden_portaler.json) into agenda_portals.csv.\n"
    "`make sample-data` runs it on ../shared/data.\n";

int cmd_convert_dst(int argc, char **argv, ib_cli *cli)
{
	(void)cli;
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(usage_text, stdout);
		return EXIT_OK;
	}
	if (argc != 3) {
		cli_error(
		    "convert-dst needs DATADIR and OUTDIR; see 'ideabank convert-dst --help'");
		return EXIT_USAGE;
	}
	ib_dst_report rep;
	ib_error err = {0};
	if (ib_dst_convert(argv[1], argv[2], &rep, &err))
		return cli_fail(&err);
	printf("wrote %ld municipalities, %ld population figures, %ld spending figures "
	       "(%d years) to %s\n",
	       rep.municipalities, rep.population, rep.spending, rep.n_spending_years, argv[2]);
	printf("wrote %ld agenda portals (%ld FirstAgenda-style, %ld on other systems, %ld "
	       "none known) to %s\n",
	       rep.portals, rep.portals_firstagenda,
	       rep.portals - rep.portals_firstagenda - rep.portals_none, rep.portals_none, argv[2]);
	if (rep.unpublished_functions)
		printf("left out %d function-years whose every figure is 0 (not published)\n",
		       rep.unpublished_functions);
	return EXIT_OK;
}
