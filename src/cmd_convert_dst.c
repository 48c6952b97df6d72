/* cmd_convert_dst.c - `ideabank convert-dst DIR OUTDIR`: Statistics Denmark's files
 * into the project's reference files (see include/ideabank/dst.h). */
#include <string.h>

#include "cli.h"
#include "opt.h"
#include "usage.h"

int cmd_convert_dst(int argc, char **argv, ib_cli *cli)
{
	(void)cli;
	const char *dir[2], *v;
	int n = 0, id;
	cli_getopt g = CLI_GETOPT(&cmd_convert_dst_spec, argc, argv);
	while ((id = cli_getopt_next(&g, &v)) != CLI_OPT_END) {
		if (id == CLI_OPT_STOP)
			return g.rc;
		if (n == 2) {
			n++;
			break;
		}
		dir[n++] = v;
	}
	if (n != 2) {
		cli_error(
		    "convert-dst needs DATADIR and OUTDIR; see 'ideabank convert-dst --help'");
		return EXIT_USAGE;
	}
	ib_dst_report rep;
	ib_error err = {0};
	if (ib_dst_convert(dir[0], dir[1], &rep, &err))
		return cli_fail(&err);
	printf("wrote %ld municipalities, %ld population figures, %ld spending figures "
	       "(%d years) to %s\n",
	       rep.municipalities, rep.population, rep.spending, rep.n_spending_years, dir[1]);
	printf("wrote %ld agenda portals (%ld FirstAgenda-style, %ld on other systems, %ld "
	       "none known) to %s\n",
	       rep.portals, rep.portals_firstagenda,
	       rep.portals - rep.portals_firstagenda - rep.portals_none, rep.portals_none, dir[1]);
	if (rep.unpublished_functions)
		printf("left out %d function-years whose every figure is 0 (not published)\n",
		       rep.unpublished_functions);
	return EXIT_OK;
}
