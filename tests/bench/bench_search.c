/* bench_search.c - import and search at KL's scale and ten times it.
 *
 * Builds a synthetic corpus of N proposals (default 35.000: ten times the ~3.500 KL
 * reads by hand each year) spread over the 98 municipalities, imports it in one
 * transaction and times typical searches (a query word occurs in about a fifth of
 * the proposals, so result sets run to thousands).  Prints measurements beside the targets
 * and exits non-zero when a target is missed.  Run with `make bench`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "ideabank.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *const words[] = {
    "hjemmepleje",    "skærmbesøg",	"velfærdsteknologi",
    "robotter",	      "medicin",	"rehabilitering",
    "sygefravær",     "jobcenter",	"folkeskole",
    "daginstitution", "energi",		"bygninger",
    "indkøb",	      "digitalisering", "administration",
    "kørsel",	      "plejehjem",	"botilbud",
    "forebyggelse",   "sygedagpenge",	"ledelse",
    "vikarer",	      "licenser",	"træning",
};
#define NW (sizeof words / sizeof words[0])

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 35000;
	const char *db = argc > 2 ? argv[2] : "build/bench.db";
	int fail = 0;
	remove(db);
	ib_store *s;
	ib_error err = {0};
	if (ib_store_open(db, &s, &err)) {
		fprintf(stderr, "bench: %s\n", err.msg);
		return 1;
	}
	/* municipalities and population from data/ */
	const char *ref[] = {"data/kommuner.csv", "data/folketal.csv"};
	if (ib_import_files(s, ref, 2, NULL, &err)) {
		fprintf(stderr, "bench: %s\n", err.msg);
		return 1;
	}
	int codes[98] = {101, 147, 151, 153, 155, 157, 159, 161, 163, 165, 167, 169, 173, 175,
			 183, 185, 187, 190, 201, 210, 217, 219, 223, 230, 240, 250, 253, 259,
			 260, 265, 269, 270, 306, 316, 320, 326, 329, 330, 336, 340, 350, 360,
			 370, 376, 390, 400, 410, 420, 430, 440, 450, 461, 479, 480, 482, 492,
			 510, 530, 540, 550, 561, 563, 573, 575, 580, 607, 615, 621, 630, 657,
			 661, 665, 671, 706, 707, 710, 727, 730, 740, 741, 746, 751, 756, 760,
			 766, 773, 779, 787, 791, 810, 813, 820, 825, 840, 846, 849, 851, 860};
	srand(42);
	double t0 = now();
	if (ib_store_begin(s, &err)) {
		fprintf(stderr, "bench: %s\n", err.msg);
		return 1;
	}
	ib_buf text;
	ib_buf_init(&text, 0);
	for (long i = 0; i < n; i++) {
		ib_proposal *p = ib_proposal_new();
		char title[256];
		snprintf(title, sizeof title, "Forslag %ld om %s og %s", i, words[rand() % NW],
			 words[rand() % NW]);
		ib_buf_reset(&text);
		/* 300 words: mostly filler from a 5.000-word vocabulary, 2 % topic words, so
		   a topic word occurs in about a fifth of the proposals */
		for (int k = 0; k < 300; k++) {
			if (rand() % 50 == 0)
				ib_buf_addf(&text, "%s%s", k ? " " : "", words[rand() % NW]);
			else
				ib_buf_addf(&text, "%sord%d", k ? " " : "", rand() % 5000);
		}
		p->kommunekode = codes[i % 98];
		p->budget_year = 2016 + (int)(i % 11);
		p->title = strdup(title);
		p->summary = strdup(words[rand() % NW]);
		p->text = strdup(text.z);
		p->source = strdup("bench");
		p->kind = ib_kinds[i % ib_n_kinds];
		p->area = ib_areas[i % ib_n_areas];
		p->effect_kr = (double)(rand() % 5000) * 1000;
		if (ib_store_put_proposal(s, p, NULL, &err)) {
			fprintf(stderr, "bench: %s\n", err.msg);
			return 1;
		}
		ib_proposal_free(p);
	}
	ib_buf_free(&text);
	if (ib_store_commit(s, &err)) {
		fprintf(stderr, "bench: %s\n", err.msg);
		return 1;
	}
	double t_import = now() - t0;
	double per_1000 = t_import / (double)n * 1000;
	printf("bench: import %ld proposals (300 words each): %.2f s (%.3f s per 1.000; target "
	       "< 0,5 s per 1.000)\n",
	       n, t_import, per_1000);
	if (per_1000 > 0.5)
		fail = 1;

	static const char *const queries[] = {"hjemmepleje", "robotter medicin", "skærmbesøg",
					      "sygefravær jobcenter", NULL};
	for (const char *const *q = queries; *q; q++) {
		double lat[21];
		size_t total = 0;
		for (int r = 0; r < 21; r++) {
			ib_search_opts o = {0};
			o.query = *q;
			o.limit = 20;
			o.sort = r % 2 ? IB_SORT_PER_INHABITANT : IB_SORT_RELEVANCE;
			ib_result *res;
			double a = now();
			if (ib_search(s, &o, &res, &err)) {
				fprintf(stderr, "bench: %s\n", err.msg);
				return 1;
			}
			lat[r] = now() - a;
			total = res->total;
			ib_result_free(res);
		}
		qsort(lat, 21, sizeof lat[0], cmp_double);
		printf("bench: search '%s': %zu matches, median %.1f ms (target < 250 ms)\n", *q,
		       total, lat[10] * 1000);
		if (lat[10] > 0.25)
			fail = 1;
	}
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("bench: peak memory %ld MB (target < 256 MB)\n", ru.ru_maxrss / 1024);
	if (ru.ru_maxrss / 1024 > 256)
		fail = 1;
	ib_store_close(s);
	printf("bench: %s\n", fail ? "a target was missed" : "all targets met");
	return fail;
}
