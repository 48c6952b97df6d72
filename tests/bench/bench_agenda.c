/* bench_agenda.c - importing Greve's whole recorded agenda (285 meetings, about 4.300
 * items, 2022-2024) from disk through the agenda reader, the path `fetch` takes with
 * the meetings in its cache.  Target: under 10 s of the process's CPU time; the wall
 * time and the load average are printed beside it, since on a shared machine the wall
 * time is mostly other processes' load.  Prints the outcome counts too, and exits
 * non-zero when the target is missed.  Run with `make bench` (the shared folder:
 * $IDEABANK_SHARED, default ../shared). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ideabank.h"
#include "ideabank/agenda.h"

static double clock_s(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(void)
{
	const char *shared = getenv("IDEABANK_SHARED");
	char dir[1024];
	snprintf(dir, sizeof dir, "%s/data/greve-agendas/dagsorden",
		 shared && *shared ? shared : "../shared");
	const char *db = "build/bench-agenda.db";
	remove(db);
	ib_store *s;
	ib_error err = {0};
	const char *ref[] = {"data/kommuner.csv"};
	if (ib_store_open(db, &s, &err) || ib_import_files(s, ref, 1, NULL, &err)) {
		fprintf(stderr, "bench_agenda: %s\n", err.msg);
		return 1;
	}
	const char *paths[] = {dir};
	ib_agenda_report rep;
	double t0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
	if (ib_agenda_import(s, "Greve", paths, 1, &rep, &err)) {
		fprintf(stderr, "bench_agenda: %s\n", err.msg);
		return 1;
	}
	double t = clock_s(CLOCK_MONOTONIC) - t0, cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
	ib_store_close(s);
	double load = 0;
	FILE *f = fopen("/proc/loadavg", "r");
	if (f) {
		if (fscanf(f, "%lf", &load) != 1)
			load = 0;
		fclose(f);
	}
	int ok = cpu < 10.0;
	printf("agenda import: %ld meetings, %ld items: %.2f s CPU (%.0f items/s), %.2f s wall at "
	       "load %.1f; target < 10 s CPU: %s\n",
	       rep.meetings, rep.items, cpu, (double)rep.items / cpu, t, load,
	       ok ? "met" : "MISSED");
	printf("agenda import: %ld items in proposals, %ld flagged, %ld skipped; %ld proposals "
	       "stored\n",
	       rep.proposals, rep.flagged, rep.skipped, rep.proposals_new);
	ib_agenda_report_free(&rep);
	remove(db);
	return ok ? 0 : 1;
}
