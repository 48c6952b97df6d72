/* cmd_stats.c - `ideabank stats`: what the database holds. */
#include <string.h>

#include "cli.h"
#include "opt.h"
#include "usage.h"

/* n in Danish notation (11.956), right-aligned as the table's column */
static const char *count_text(long n, char *b, size_t size)
{
	return ib_num_format((double)n, 0, b, size);
}

static void counts(const char *title, const ib_count *c, size_t n)
{
	char b[32];
	printf("\n%s:\n", title);
	for (size_t i = 0; i < n; i++) {
		printf("  ");
		cli_cell(stdout, c[i].label, 40, 0);
		printf(" %6s\n", count_text(c[i].n, b, sizeof b));
	}
}

int cmd_stats(int argc, char **argv, ib_cli *cli)
{
	int stop;
	if (cli_getopt_none(&cmd_stats_spec, argc, argv, &stop))
		return stop;
	ib_store *s = cli_open_store(cli, CLI_READ);
	if (!s)
		return EXIT_STORE;
	ib_stats *st = NULL;
	ib_error err = {0};
	int rc = ib_store_stats(s, &st, &err);
	ib_store_close(s);
	if (rc)
		return cli_fail(&err);
	char b[32];
	/* the figures are counted, not summed: "Folketal" alone would read as inhabitants */
	printf("Kommuner:                %7s\n", count_text(st->n_municipalities, b, sizeof b));
	printf("Folketal (antal tal):    %7s\n", count_text(st->n_population, b, sizeof b));
	printf("Udgiftstal (antal tal):  %7s\n", count_text(st->n_spending, b, sizeof b));
	printf("Forslag:                 %7s\n", count_text(st->n_proposals, b, sizeof b));
	counts("Forslag pr. kommune", st->by_municipality, st->n_by_municipality);
	counts("Forslag pr. budgetår", st->by_year, st->n_by_year);
	counts("Forslag pr. fagområde", st->by_area, st->n_by_area);
	ib_stats_free(st);
	return EXIT_OK;
}
