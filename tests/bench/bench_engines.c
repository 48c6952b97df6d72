/* bench_engines.c - ideabank, raw SQLite FTS5 and PostgreSQL 15 side by side on one
 * generated corpus and one query mix (tests/bench/run.sh drives it; Xapian is
 * tests/bench/bench_xapian.py).
 *
 *   bench_engines gen N SEEDDIR CORPUS     write a deterministic corpus of N proposals
 *   bench_engines ideabank CORPUS QUERIES DB
 *   bench_engines ideabank-u61 CORPUS DB   the load only, with unicode61 (no queries)
 *   bench_engines fts5 CORPUS QUERIES DB
 *   bench_engines pg CORPUS QUERIES SOCKETDIR
 *   bench_engines feed CORPUS DB           the corpus as a JSON Lines feed (DB.jsonl),
 *                                          imported by ib_import_files: streamed
 *
 * The corpus is a TAB-separated file of our own making (id, kommunekode, budget year,
 * area, kind, effect kr., title, text; no TAB or newline inside a field), its text
 * built from the sentences of the seed documents and a few domain compounds, so common
 * words (og, forslaget, hjemmepleje) hit 10-60 % of the proposals as in real banks.
 * A query line is "words|area|year" (area and year may be empty).  Every engine does
 * the same call per query: the top 20 by relevance and the number of matches per area
 * and per budget year over every match, filters applied.  Output lines, TAB-separated:
 *   load ENGINE SECONDS BYTES   (feed: BYTES of the database; "feed ideabank-feed
 *                                  BYTES" gives the feed file's)
 *   query ENGINE NO COUNT P50_MS P95_MS MAX_MS
 *   rss ENGINE KB */
#include <dirent.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "ideabank.h"
#include "tokenizer.h" /* index/'s, for the unicode61 variant's own connection */

#define RUNS 7	/* timed runs per query, after one warm-up */
#define TOP_K 20
#define MAX_QUERIES 128

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const char *msg)
{
	fprintf(stderr, "bench_engines: %s: %s\n", what, msg);
	exit(1);
}

/* xorshift64*: the same corpus on every machine */
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ull;
}
static size_t pick(size_t n)
{
	return (size_t)(rnd() % n);
}

/* ---- corpus ---------------------------------------------------------------------- */

static const int codes[98] = {
    101, 147, 151, 153, 155, 157, 159, 161, 163, 165, 167, 169, 173, 175, 183, 185, 187,
    190, 201, 210, 217, 219, 223, 230, 240, 250, 253, 259, 260, 265, 269, 270, 306, 316,
    320, 326, 329, 330, 336, 340, 350, 360, 370, 376, 390, 400, 410, 420, 430, 440, 450,
    461, 479, 480, 482, 492, 510, 530, 540, 550, 561, 563, 573, 575, 580, 607, 615, 621,
    630, 657, 661, 665, 671, 706, 707, 710, 727, 730, 740, 741, 746, 751, 756, 760, 766,
    773, 779, 787, 791, 810, 813, 820, 825, 840, 846, 849, 851, 860};

/* domain compounds: a first part and a head, as Danish budget documents join them */
static const char *const first[] = {
    "hjemme", "pleje", "sygepleje", "velfærds", "skole", "dag", "bo", "job", "energi", "bil",
    "løn", "rehabiliterings", "visitations", "medicin", "vikar", "indkøbs", "ældre", "handicap",
};
static const char *const head[] = {
    "pleje", "hjem", "teknologi", "center", "tilbud", "udgifter", "flåde", "besparelse",
    "område", "ordning", "indsats", "personale", "team", "forløb", "robotter", "aftale",
};
#define N_FIRST (sizeof first / sizeof first[0])
#define N_HEAD (sizeof head / sizeof head[0])

typedef struct sentences {
	char **z;
	size_t n, cap;
} sentences;

/* Split a seed text into sentences of 6 to 40 words, TABs and newlines made spaces. */
static void add_sentences(sentences *s, char *text)
{
	for (char *p = text; *p; p++)
		if (*p == '\t' || *p == '\n' || *p == '\r')
			*p = ' ';
	char *a = text;
	while (*a) {
		char *e = strstr(a, ". ");
		size_t len = e ? (size_t)(e - a) + 1 : strlen(a);
		int words = 0, letters = 0, digits = 0;
		for (size_t i = 0; i < len; i++) {
			if (a[i] != ' ' && (i == 0 || a[i - 1] == ' '))
				words++;
			if ((unsigned char)a[i] >= 0xC3 || (a[i] >= 'a' && a[i] <= 'z'))
				letters++;
			if (a[i] >= '0' && a[i] <= '9')
				digits++;
		}
		if (words >= 6 && words <= 40 && letters > 4 * digits) {
			while (*a == ' ')
				a++, len--;
			if (s->n == s->cap) {
				s->cap = s->cap ? 2 * s->cap : 1024;
				s->z = realloc(s->z, s->cap * sizeof *s->z);
				if (!s->z)
					die("gen", "out of memory");
			}
			char *z = malloc(len + 1);
			if (!z)
				die("gen", "out of memory");
			/* squeeze runs of spaces */
			size_t k = 0;
			for (size_t i = 0; i < len; i++)
				if (a[i] != ' ' || (k && z[k - 1] != ' '))
					z[k++] = a[i];
			z[k] = 0;
			s->z[s->n++] = z;
		}
		if (!e)
			break;
		a = e + 2;
	}
}

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *z = malloc((size_t)len + 1);
	if (!z || fread(z, 1, (size_t)len, f) != (size_t)len)
		die(path, "cannot read");
	z[len] = 0;
	fclose(f);
	if (n)
		*n = (size_t)len;
	return z;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void gen(long n, const char *seeddir, const char *out)
{
	sentences s = {0};
	DIR *d = opendir(seeddir);
	if (!d)
		die(seeddir, "cannot open");
	char *names[64];
	size_t nn = 0;
	struct dirent *e;
	while ((e = readdir(d)) && nn < 64)
		if (strstr(e->d_name, ".txt"))
			names[nn++] = strdup(e->d_name);
	closedir(d);
	qsort(names, nn, sizeof *names, cmp_str); /* readdir order is not deterministic */
	for (size_t i = 0; i < nn; i++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", seeddir, names[i]);
		char *z = slurp(path, NULL);
		if (!z)
			die(path, "cannot read");
		add_sentences(&s, z);
		free(z);
		free(names[i]);
	}
	if (s.n < 100)
		die(seeddir, "too few sentences in the seed documents");
	FILE *f = fopen(out, "w");
	if (!f)
		die(out, "cannot write");
	for (long i = 1; i <= n; i++) {
		const char *c1 = first[pick(N_FIRST)], *h1 = head[pick(N_HEAD)];
		const char *c2 = first[pick(N_FIRST)], *h2 = head[pick(N_HEAD)];
		const char *t = s.z[pick(s.n)];
		/* title: a compound and the first words of a seed sentence */
		char title[160];
		int tw = 0;
		size_t k = 0;
		while (t[k] && tw < 6) {
			if (t[k] == ' ')
				tw++;
			k++;
		}
		snprintf(title, sizeof title, "%s%s: %.*s", c1, h1,
			 (int)(k && t[k - 1] == ' ' ? k - 1 : k), t);
		fprintf(f, "%ld\t%d\t%d\t%s\t%s\t%ld\t%s\t", i, codes[pick(98)],
			2016 + (int)pick(11), ib_areas[pick(ib_n_areas)], ib_kinds[pick(ib_n_kinds)],
			(long)(pick(5000) + 1) * 1000 * (pick(10) ? 1 : -1), title);
		/* text: 2 to 7 seed sentences with the two compounds woven in */
		int ns = 1 + (int)pick(4);
		for (int j = 0; j < ns; j++)
			fprintf(f, "%s%s", j ? " " : "", s.z[pick(s.n)]);
		static const char *const tail[] = {
		    " Forslaget vedrører %s%s og %s%s.\n", " Det gælder %s%s, %s%s.\n",
		    " Indsatsen omfatter %s%s samt %s%s.\n", " Se %s%s, %s%s.\n"};
		fprintf(f, tail[pick(4)], c1, h1, c2, h2);
	}
	fclose(f);
	for (size_t i = 0; i < s.n; i++)
		free(s.z[i]);
	free(s.z);
}

/* ---- corpus and query reading ---------------------------------------------------- */

typedef struct row {
	long id;
	int code, year;
	const char *area, *kind, *title, *text;
	long effect;
} row;

/* Read the next corpus line into r (pointers into line, which is modified); 0 at end. */
static int next_row(FILE *f, char **line, size_t *cap, row *r)
{
	if (getline(line, cap, f) < 0)
		return 0;
	char *fld[8];
	char *p = *line;
	for (int i = 0; i < 8; i++) {
		fld[i] = p;
		p = strchr(p, i < 7 ? '\t' : '\n');
		if (!p && i < 7)
			die("corpus", "a line has fewer than 8 fields");
		if (p)
			*p++ = 0;
	}
	r->id = atol(fld[0]);
	r->code = atoi(fld[1]);
	r->year = atoi(fld[2]);
	r->area = fld[3];
	r->kind = fld[4];
	r->effect = atol(fld[5]);
	r->title = fld[6];
	r->text = fld[7];
	return 1;
}

typedef struct query {
	char words[512], area[64];
	int year;
} query;

static size_t read_queries(const char *path, query *q)
{
	FILE *f = fopen(path, "r");
	if (!f)
		die(path, "cannot open");
	char line[512];
	size_t n = 0;
	while (fgets(line, sizeof line, f) && n < MAX_QUERIES) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		line[strcspn(line, "\n")] = 0;
		char *a = strchr(line, '|'), *y = a ? strchr(a + 1, '|') : NULL;
		if (!a || !y)
			die(path, "a query line is not words|area|year");
		*a++ = 0;
		*y++ = 0;
		snprintf(q[n].words, sizeof q[n].words, "%s", line);
		snprintf(q[n].area, sizeof q[n].area, "%s", a);
		q[n].year = atoi(y);
		n++;
	}
	fclose(f);
	return n;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void report_query(const char *engine, size_t no, long count, double *ms)
{
	qsort(ms, RUNS, sizeof *ms, cmp_double);
	/* p95 of 7 runs: the nearest rank, the 7th */
	printf("query\t%s\t%zu\t%ld\t%.2f\t%.2f\t%.2f\n", engine, no + 1, count, ms[RUNS / 2],
	       ms[(int)(0.95 * RUNS + 0.999) - 1], ms[RUNS - 1]);
	fflush(stdout);
}

static void report_rss(const char *engine)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("rss\t%s\t%ld\n", engine, ru.ru_maxrss);
}

static long file_size(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 ? (long)sb.st_size : 0;
}

/* ---- ideabank -------------------------------------------------------------------- */

/* ideabank's pipeline with FTS5's unicode61 in place of the Danish tokenizer, to split
 * the load time: the bench's own database gets a proposal_fts declared with unicode61
 * (same columns, same external content) before the load, so every other step of the
 * load (identity, content hash, proposal row and its indexes, triggers) is the
 * product's. */
static void use_unicode61(const char *db)
{
	sqlite3 *h;
	if (sqlite3_open(db, &h) != SQLITE_OK)
		die(db, "cannot open");
	char *msg = NULL;
	/* dropping the table connects to it: its tokenizer must be known */
	if (ib_tokenizer_register(h) != SQLITE_OK)
		die(db, sqlite3_errmsg(h));
	if (sqlite3_exec(h,
			 "DROP TABLE proposal_fts;"
			 "CREATE VIRTUAL TABLE proposal_fts USING fts5(title, summary, text,"
			 " content='proposal', content_rowid='id',"
			 " tokenize='unicode61 remove_diacritics 0');",
			 NULL, NULL, &msg) != SQLITE_OK)
		die(db, msg);
	sqlite3_close(h);
}

/* Load the corpus into a new ideabank database at db (with unicode61 when u61) through
 * ib_store_put_proposal in one transaction, as an import does; print the load line
 * for engine. */
static void load_ideabank(const char *engine, const char *corpus, const char *db, int u61)
{
	remove(db);
	char wal[4096];
	snprintf(wal, sizeof wal, "%s-wal", db);
	remove(wal);
	ib_store *s;
	ib_error err = {0};
	if (ib_store_open(db, &s, &err))
		die(db, err.msg);
	const char *ref[] = {"data/kommuner.csv", "data/folketal.csv"};
	if (ib_import_files(s, ref, 2, NULL, &err))
		die("reference data", err.msg);
	if (u61) {
		ib_store_close(s);
		use_unicode61(db);
		if (ib_store_open(db, &s, &err))
			die(db, err.msg);
	}
	FILE *f = fopen(corpus, "r");
	if (!f)
		die(corpus, "cannot open");
	double t0 = now();
	if (ib_store_begin(s, &err))
		die("begin", err.msg);
	char *line = NULL;
	size_t cap = 0;
	row r;
	while (next_row(f, &line, &cap, &r)) {
		ib_proposal *p = ib_proposal_new();
		p->kommunekode = r.code;
		p->budget_year = r.year;
		p->title = strdup(r.title);
		p->text = strdup(r.text);
		p->source = strdup("bench");
		/* the corpus repeats a title now and then: its row id keeps each its own, as
		   every other engine indexes every line (and as the feed does) */
		char ref[32];
		snprintf(ref, sizeof ref, "%ld", r.id);
		p->ref = strdup(ref);
		p->kind = ib_kind_canonical(r.kind);
		p->area = ib_area_canonical(r.area);
		p->effect_kr = (double)r.effect;
		if (ib_store_put_proposal(s, p, NULL, &err))
			die("put", err.msg);
		ib_proposal_free(p);
	}
	if (ib_store_commit(s, &err))
		die("commit", err.msg);
	double load = now() - t0;
	free(line);
	fclose(f);
	ib_store_close(s);
	printf("load\t%s\t%.2f\t%ld\n", engine, load, file_size(db) + file_size(wal));
	fflush(stdout);
}

static void run_ideabank(const char *corpus, const char *qpath, const char *db)
{
	ib_store *s;
	ib_error err = {0};
	load_ideabank("ideabank", corpus, db, 0);

	/* searches through a read-only store, as `ideabank search` and `serve` open it */
	if (ib_store_open_readonly(db, &s, &err))
		die(db, err.msg);
	static query q[MAX_QUERIES];
	size_t nq = read_queries(qpath, q);
	for (size_t i = 0; i < nq; i++) {
		double ms[RUNS];
		long count = 0;
		for (int k = -1; k < RUNS; k++) {
			ib_search_opts o = {0};
			o.query = q[i].words;
			o.area = q[i].area[0] ? q[i].area : NULL;
			o.year_from = o.year_to = q[i].year;
			o.limit = TOP_K;
			o.sort = IB_SORT_RELEVANCE;
			o.max_ms = 600000;
			o.max_steps = 1L << 40;
			ib_result *res;
			double a = now();
			if (ib_search(s, &o, &res, &err))
				die(q[i].words, err.msg);
			if (k >= 0)
				ms[k] = (now() - a) * 1000;
			count = (long)res->total;
			ib_result_free(res);
		}
		report_query("ideabank", i, count, ms);
	}
	ib_store_close(s);
	report_rss("ideabank");
}

/* The corpus written as a JSON Lines feed at DB.jsonl, then imported into a fresh DB
 * by ib_import_files() as `ideabank import` does (streamed, one transaction); the time
 * and peak memory are the import's (the writing comes first, in this process). */
static void run_feed(const char *corpus, const char *db)
{
	char feed[4096], wal[4096];
	snprintf(feed, sizeof feed, "%s.jsonl", db);
	snprintf(wal, sizeof wal, "%s-wal", db);
	remove(db);
	remove(wal);
	FILE *in = fopen(corpus, "r"), *out = fopen(feed, "wb");
	if (!in || !out)
		die(in ? feed : corpus, "cannot open");
	char *line = NULL;
	size_t cap = 0;
	row r;
	ib_buf b;
	ib_buf_init(&b, 0);
	while (next_row(in, &line, &cap, &r)) {
		ib_proposal *p = ib_proposal_new();
		p->kommunekode = r.code;
		p->budget_year = r.year;
		p->title = strdup(r.title);
		p->text = strdup(r.text);
		p->source = strdup("bench");
		/* the corpus repeats a title now and then: its row id keeps each its own */
		char ref[32];
		snprintf(ref, sizeof ref, "%ld", r.id);
		p->ref = strdup(ref);
		p->kind = ib_kind_canonical(r.kind);
		p->area = ib_area_canonical(r.area);
		p->effect_kr = (double)r.effect;
		ib_buf_reset(&b);
		if (ib_proposal_write_jsonl(&b, p, 0) || fwrite(b.z, 1, b.n, out) != b.n)
			die(feed, "cannot write");
		ib_proposal_free(p);
	}
	ib_buf_free(&b);
	free(line);
	fclose(in);
	if (fclose(out))
		die(feed, "cannot write");

	ib_store *s;
	ib_error err = {0};
	if (ib_store_open(db, &s, &err))
		die(db, err.msg);
	const char *ref[] = {"data/kommuner.csv", "data/folketal.csv"};
	if (ib_import_files(s, ref, 2, NULL, &err))
		die("reference data", err.msg);
	const char *paths[] = {feed};
	ib_import_report rep;
	double t0 = now();
	if (ib_import_files(s, paths, 1, &rep, &err))
		die(feed, err.msg);
	double load = now() - t0;
	ib_store_close(s);
	ib_import_report_free(&rep);
	printf("load\tideabank-feed\t%.2f\t%ld\n", load, file_size(db) + file_size(wal));
	printf("feed\tideabank-feed\t%ld\t%ld\n", file_size(feed), rep.proposals_new);
	report_rss("ideabank-feed");
	remove(feed);
}

/* ---- raw SQLite FTS5 ------------------------------------------------------------- */

static void exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		die(sql, msg);
}

/* The query words as an FTS5 expression: each word or "phrase" an FTS5 string, ANDed. */
static void fts5_expr(const char *w, char *out, size_t n)
{
	size_t k = 0;
	while (*w && k + 8 < n) {
		while (*w == ' ')
			w++;
		if (!*w)
			break;
		const char *e;
		if (*w == '"') {
			w++;
			e = strchr(w, '"');
			if (!e)
				e = w + strlen(w);
		} else {
			e = w + strcspn(w, " ");
		}
		out[k++] = '"';
		for (const char *p = w; p < e && k + 4 < n; p++) {
			if (*p == '"')
				out[k++] = '"';
			out[k++] = *p;
		}
		out[k++] = '"';
		out[k++] = ' ';
		w = *e == '"' ? e + 1 : e;
	}
	out[k ? k - 1 : 0] = 0;
}

static void run_fts5(const char *corpus, const char *qpath, const char *path)
{
	remove(path);
	sqlite3 *db;
	if (sqlite3_open(path, &db) != SQLITE_OK)
		die(path, "cannot open");
	exec(db, "CREATE TABLE doc(id INTEGER PRIMARY KEY, kommunekode INT, year INT, area TEXT,"
		 " kind TEXT, effect INT);"
		 "CREATE VIRTUAL TABLE fts USING fts5(title, text, tokenize='unicode61');");
	FILE *f = fopen(corpus, "r");
	if (!f)
		die(corpus, "cannot open");
	double t0 = now();
	exec(db, "BEGIN");
	sqlite3_stmt *d, *t;
	if (sqlite3_prepare_v2(db, "INSERT INTO doc VALUES(?1,?2,?3,?4,?5,?6)", -1, &d, NULL) ||
	    sqlite3_prepare_v2(db, "INSERT INTO fts(rowid, title, text) VALUES(?1,?2,?3)", -1, &t,
			       NULL))
		die("prepare", sqlite3_errmsg(db));
	char *line = NULL;
	size_t cap = 0;
	row r;
	while (next_row(f, &line, &cap, &r)) {
		sqlite3_bind_int64(d, 1, r.id);
		sqlite3_bind_int(d, 2, r.code);
		sqlite3_bind_int(d, 3, r.year);
		sqlite3_bind_text(d, 4, r.area, -1, SQLITE_STATIC);
		sqlite3_bind_text(d, 5, r.kind, -1, SQLITE_STATIC);
		sqlite3_bind_int64(d, 6, r.effect);
		sqlite3_bind_int64(t, 1, r.id);
		sqlite3_bind_text(t, 2, r.title, -1, SQLITE_STATIC);
		sqlite3_bind_text(t, 3, r.text, -1, SQLITE_STATIC);
		if (sqlite3_step(d) != SQLITE_DONE || sqlite3_step(t) != SQLITE_DONE)
			die("insert", sqlite3_errmsg(db));
		sqlite3_reset(d);
		sqlite3_reset(t);
	}
	sqlite3_finalize(d);
	sqlite3_finalize(t);
	exec(db, "COMMIT");
	double load = now() - t0;
	free(line);
	fclose(f);
	printf("load\tfts5\t%.2f\t%ld\n", load, file_size(path));
	fflush(stdout);

	static const char *const sql[3] = {
	    "SELECT fts.rowid FROM fts JOIN doc ON doc.id = fts.rowid WHERE fts MATCH ?1"
	    " AND (?2 = '' OR doc.area = ?2) AND (?3 = 0 OR doc.year = ?3)"
	    " ORDER BY bm25(fts, 10.0, 1.0) LIMIT 20",
	    "SELECT doc.area, count(*) FROM fts JOIN doc ON doc.id = fts.rowid WHERE fts MATCH ?1"
	    " AND (?2 = '' OR doc.area = ?2) AND (?3 = 0 OR doc.year = ?3) GROUP BY 1",
	    "SELECT doc.year, count(*) FROM fts JOIN doc ON doc.id = fts.rowid WHERE fts MATCH ?1"
	    " AND (?2 = '' OR doc.area = ?2) AND (?3 = 0 OR doc.year = ?3) GROUP BY 1",
	};
	sqlite3_stmt *st[3];
	for (int i = 0; i < 3; i++)
		if (sqlite3_prepare_v2(db, sql[i], -1, &st[i], NULL))
			die("prepare", sqlite3_errmsg(db));
	static query q[MAX_QUERIES];
	size_t nq = read_queries(qpath, q);
	for (size_t i = 0; i < nq; i++) {
		char expr[600];
		fts5_expr(q[i].words, expr, sizeof expr);
		double ms[RUNS];
		long count = 0;
		for (int k = -1; k < RUNS; k++) {
			double a = now();
			count = 0;
			for (int j = 0; j < 3; j++) {
				sqlite3_bind_text(st[j], 1, expr, -1, SQLITE_STATIC);
				sqlite3_bind_text(st[j], 2, q[i].area, -1, SQLITE_STATIC);
				sqlite3_bind_int(st[j], 3, q[i].year);
				int rc;
				while ((rc = sqlite3_step(st[j])) == SQLITE_ROW)
					if (j == 1)
						count += sqlite3_column_int64(st[j], 1);
				if (rc != SQLITE_DONE)
					die(expr, sqlite3_errmsg(db));
				sqlite3_reset(st[j]);
			}
			if (k >= 0)
				ms[k] = (now() - a) * 1000;
		}
		report_query("fts5", i, count, ms);
	}
	for (int i = 0; i < 3; i++)
		sqlite3_finalize(st[i]);
	sqlite3_close(db);
	report_rss("fts5");
}

/* ---- PostgreSQL 15 --------------------------------------------------------------- */

static PGresult *pq(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);
	ExecStatusType s = PQresultStatus(r);
	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK && s != PGRES_COPY_IN)
		die(sql, PQerrorMessage(c));
	return r;
}

/* Peak resident memory of this connection's server process, in kB (VmHWM). */
static long backend_hwm(PGconn *c)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", PQbackendPID(c));
	FILE *f = fopen(path, "r");
	long kb = 0;
	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, "VmHWM:", 6) == 0)
			kb = atol(line + 6);
	if (f)
		fclose(f);
	return kb;
}

static void run_pg(const char *corpus, const char *qpath, const char *sockdir)
{
	char conninfo[4200];
	snprintf(conninfo, sizeof conninfo, "host=%s dbname=postgres user=nobody", sockdir);
	PGconn *c = PQconnectdb(conninfo);
	if (PQstatus(c) != CONNECTION_OK)
		die("postgres", PQerrorMessage(c));
	PQclear(pq(c, "DROP TABLE IF EXISTS doc"));
	PQclear(pq(c, "CREATE TABLE doc(id int PRIMARY KEY, kommunekode int, year int, area text,"
		      " kind text, effect bigint, title text, body text, tsv tsvector"
		      " GENERATED ALWAYS AS (setweight(to_tsvector('danish', title), 'A') ||"
		      " to_tsvector('danish', body)) STORED)"));
	FILE *f = fopen(corpus, "r");
	if (!f)
		die(corpus, "cannot open");
	double t0 = now();
	PQclear(pq(c, "COPY doc(id, kommunekode, year, area, kind, effect, title, body)"
		      " FROM STDIN"));
	char buf[65536];
	size_t n;
	/* the corpus has no backslash: COPY's text format takes it as it is */
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		if (PQputCopyData(c, buf, (int)n) != 1)
			die("copy", PQerrorMessage(c));
	if (PQputCopyEnd(c, NULL) != 1)
		die("copy", PQerrorMessage(c));
	PGresult *res;
	while ((res = PQgetResult(c))) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			die("copy", PQerrorMessage(c));
		PQclear(res);
	}
	fclose(f);
	PQclear(pq(c, "CREATE INDEX doc_tsv ON doc USING gin(tsv)"));
	PQclear(pq(c, "VACUUM ANALYZE doc"));
	double load = now() - t0;
	res = pq(c, "SELECT pg_total_relation_size('doc')");
	printf("load\tpostgres\t%.2f\t%s\n", load, PQgetvalue(res, 0, 0));
	PQclear(res);
	fflush(stdout);

	const char *sql =
	    "WITH m AS MATERIALIZED (SELECT id, area, year, ts_rank(tsv, q) AS r"
	    "  FROM doc, websearch_to_tsquery('danish', $1) q WHERE tsv @@ q"
	    "  AND ($2 = '' OR area = $2) AND ($3 = 0 OR year = $3))"
	    " (SELECT 0, id::text, 0::bigint FROM m ORDER BY r DESC, id LIMIT 20)"
	    " UNION ALL SELECT 1, area, count(*) FROM m GROUP BY area"
	    " UNION ALL SELECT 2, year::text, count(*) FROM m GROUP BY year";
	res = PQprepare(c, "q", sql, 3, NULL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		die("prepare", PQerrorMessage(c));
	PQclear(res);
	static query q[MAX_QUERIES];
	size_t nq = read_queries(qpath, q);
	for (size_t i = 0; i < nq; i++) {
		char year[16];
		snprintf(year, sizeof year, "%d", q[i].year);
		const char *v[3] = {q[i].words, q[i].area, year};
		double ms[RUNS];
		long count = 0;
		for (int k = -1; k < RUNS; k++) {
			double a = now();
			res = PQexecPrepared(c, "q", 3, v, NULL, NULL, 0);
			if (PQresultStatus(res) != PGRES_TUPLES_OK)
				die(q[i].words, PQerrorMessage(c));
			if (k >= 0)
				ms[k] = (now() - a) * 1000;
			count = 0;
			for (int j = 0; j < PQntuples(res); j++)
				if (atoi(PQgetvalue(res, j, 0)) == 1)
					count += atol(PQgetvalue(res, j, 2));
			PQclear(res);
		}
		report_query("postgres", i, count, ms);
	}
	printf("rss\tpostgres\t%ld\n", backend_hwm(c));
	PQfinish(c);
}

int main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "gen") == 0)
		gen(atol(argv[2]), argv[3], argv[4]);
	else if (argc == 5 && strcmp(argv[1], "ideabank") == 0)
		run_ideabank(argv[2], argv[3], argv[4]);
	else if (argc == 4 && strcmp(argv[1], "ideabank-u61") == 0) {
		load_ideabank("ideabank-u61", argv[2], argv[3], 1);
		report_rss("ideabank-u61");
	} else if (argc == 5 && strcmp(argv[1], "fts5") == 0)
		run_fts5(argv[2], argv[3], argv[4]);
	else if (argc == 5 && strcmp(argv[1], "pg") == 0)
		run_pg(argv[2], argv[3], argv[4]);
	else if (argc == 4 && strcmp(argv[1], "feed") == 0)
		run_feed(argv[2], argv[3]);
	else {
		fprintf(stderr, "usage: bench_engines gen N SEEDDIR CORPUS |"
				" (ideabank|fts5|pg) CORPUS QUERIES DB-OR-SOCKETDIR |"
				" (ideabank-u61|feed) CORPUS DB\n");
		return 2;
	}
	return 0;
}
