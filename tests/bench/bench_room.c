/* bench_room.c - the overview of `ideabank room` in-process on the sample database:
 * ib_room() for every one of the 98 municipalities, each report comparing every area
 * in every year held (the report, the movement and each area's functions) with the
 * group method, then with nearest and lower:5, ideas included.  Per configuration
 * the p50, p95 and max of the wall time per report are printed against the target of
 * issue 24: at most 50 ms per report (p95).  Exits non-zero when a report fails or
 * the sample is missing, not when a target is missed.  Run with `make bench`, which
 * builds build/sample.db first; IDEABANK_DB names another database. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ideabank.h"

#define TARGET_MS 50.0

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* One configuration over every municipality; returns the p95, -1 on a failed report. */
static double run(ib_store *s, const ib_municipality *m, size_t n, const char *label,
		  ib_room_opts o)
{
	double *t = calloc(n, sizeof *t);
	size_t lines = 0, years = 0, parts = 0;
	if (!t)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char code[8];
		snprintf(code, sizeof code, "%03d", m[i].code);
		o.peer.kommune = code;
		ib_room_report *r = NULL;
		ib_error err = {0};
		double t0 = now_ms();
		int rc = ib_room(s, &o, &r, &err);
		t[i] = now_ms() - t0;
		if (rc) {
			fprintf(stderr, "bench_room: %s: %s: %s\n", label, m[i].name, err.msg);
			free(t);
			return -1;
		}
		lines = r->n_lines;
		years = r->n_years;
		parts = 0;
		for (size_t k = 0; k < r->n_lines; k++)
			parts += r->lines[k].n_parts;
		ib_room_free(r);
	}
	qsort(t, n, sizeof *t, cmp_double);
	double p50 = t[n / 2], p95 = t[(n * 95 + 99) / 100 - 1], max = t[n - 1];
	printf("room: %-28s %zu reports of %zu lines x %zu years (+%zu functions): p50 %5.1f ms"
	       "  p95 %5.1f ms  max %5.1f ms\n",
	       label, n, lines, years, parts, p50, p95, max);
	free(t);
	return p95;
}

int main(void)
{
	const char *db = getenv("IDEABANK_DB");
	if (!db || !*db)
		db = "build/sample.db";
	ib_store *s = NULL;
	ib_error err = {0};
	if (ib_store_open_readonly(db, &s, &err)) {
		fprintf(stderr, "bench_room: %s (make %s)\n", err.msg, db);
		return 1;
	}
	ib_municipality *m = NULL;
	size_t n = 0;
	if (ib_store_municipalities(s, &m, &n, &err) || !n) {
		fprintf(stderr, "bench_room: %s\n", n ? err.msg : "no municipalities");
		ib_store_close(s);
		return 1;
	}
	ib_room_opts group = {.n_ideas = 3};
	ib_room_opts nearest = group, lower = group, functions = group, bare = group;
	bare.n_ideas = 0;
	nearest.peer.method = IB_PEER_NEAREST;
	lower.peer.method = IB_PEER_LOWER;
	lower.peer.lower_n = 5;
	lower.peer.benchmark = IB_BENCH_MEDIAN;
	functions.functions = 1;
	printf("room: in-process ib_room() on %s, every municipality\n", db);
	double p = run(s, m, n, "group, mean", group);
	double q = p < 0 ? -1 : run(s, m, n, "nearest", nearest);
	double l = q < 0 ? -1 : run(s, m, n, "lower:5, median", lower);
	double f = l < 0 ? -1 : run(s, m, n, "--functions, group", functions);
	double b = f < 0 ? -1 : run(s, m, n, "group, mean, no ideas", bare);
	free(m);
	ib_store_close(s);
	if (p < 0 || q < 0 || l < 0 || f < 0 || b < 0)
		return 1;
	double worst = p;
	double all[] = {q, l, f, b};
	for (int i = 0; i < 4; i++)
		worst = all[i] > worst ? all[i] : worst;
	printf("room: worst p95 %.1f ms per report; target <= %.0f ms: %s\n", worst, TARGET_MS,
	       worst <= TARGET_MS ? "met" : "MISSED");
	return 0;
}
