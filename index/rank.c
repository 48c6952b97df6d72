/* rank.c - ideabank's relevance: FTS5's bm25 (same weights, k1 and b) where a phrase in
 * half of the indexed rows or more (of 1.000 or more) contributes 0, computed per row for SQL (ib_bm25) or
 * for a whole set of documents in one call (ib_rank_all), both with the same arithmetic
 * in the same order, so the fast and the plain search give equal scores. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ideabank/array.h"
#include "rank.h"
#include "tokenizer.h"

/* bm25's constants, as FTS5's bm25() has them */
#define K1 1.2
#define B 0.75
#define N_COLS 3
static const double weight[N_COLS] = {10.0, 4.0, 1.0}; /* title, summary, text */

/* How often the walk of a phrase's rows asks job->stop: every this many rows. */
#define STOP_TICK 4096

/* The stop rule holds in a bank of this many rows or more: a small bank (one
 * municipality's own ideas) keeps FTS5's ranking of its common words, where a word in
 * half of it may be its topic. */
#define STOP_MIN_ROWS 1000

/* The count of rows at which a phrase stops ranking in a bank of n rows (half of them),
 * or INT64_MAX in a small bank. */
static int64_t stop_at(int64_t n)
{
	return n >= STOP_MIN_ROWS ? (n + 1) / 2 : INT64_MAX;
}

/* The idf of a phrase in df of n rows: 0 when the stop rule holds (in half of them or
 * more, in a bank of STOP_MIN_ROWS or more), else as FTS5's bm25 has it (at least
 * 1e-6). */
static double idf_of(int64_t df, int64_t n)
{
	if (df >= stop_at(n))
		return 0;
	double idf = log(((double)n - (double)df + 0.5) / ((double)df + 0.5));
	return idf > 0 ? idf : 1e-6;
}

/* The length normalisation of a row of len tokens. */
static double norm_of(unsigned len, double avgdl)
{
	return K1 * (1 - B + B * (double)len / avgdl);
}

/* One phrase's share of a row's score: freq its weighted count of instances. */
static double share_of(double idf, double freq, double norm)
{
	return idf * (freq * (K1 + 1)) / (freq + norm);
}

/* The weighted instance count of each phrase in the current row (freq[0..n)). */
static int row_freqs(const Fts5ExtensionApi *api, Fts5Context *fts, double *freq, int n)
{
	int n_inst = 0, rc = api->xInstCount(fts, &n_inst);
	memset(freq, 0, (size_t)n * sizeof *freq);
	for (int i = 0; i < n_inst && rc == SQLITE_OK; i++) {
		int phrase, col, off;
		rc = api->xInst(fts, i, &phrase, &col, &off);
		if (rc == SQLITE_OK && phrase >= 0 && phrase < n && col >= 0 && col < N_COLS)
			freq[phrase] += weight[col];
	}
	return rc;
}

/* The weighted instance count of phrase 0 in the current row (a walk's one phrase):
 * what row_freqs() counts for it, read from its position list alone. */
static int phrase_freq(const Fts5ExtensionApi *api, Fts5Context *fts, double *freq)
{
	Fts5PhraseIter it;
	int col, off;
	double f = 0;
	int rc = api->xPhraseFirst(fts, 0, &it, &col, &off);
	for (; rc == SQLITE_OK && col >= 0; api->xPhraseNext(fts, &it, &col, &off))
		if (col < N_COLS)
			f += weight[col];
	*freq = f;
	return rc;
}

/* The rows and average length of the index. */
static int index_stats(const Fts5ExtensionApi *api, Fts5Context *fts, int64_t *n_rows,
		       double *avgdl)
{
	sqlite3_int64 n = 0, tokens = 0;
	int rc = api->xRowCount(fts, &n);
	if (rc == SQLITE_OK)
		rc = api->xColumnTotalSize(fts, -1, &tokens);
	*n_rows = n;
	*avgdl = n > 0 ? (double)tokens / (double)n : 1;
	if (*avgdl <= 0)
		*avgdl = 1;
	return rc;
}

/* ---- ib_bm25: per row ----------------------------------------------------------- */

/* What ib_bm25 keeps for the whole query (FTS5 auxdata). */
typedef struct bm25_query {
	int n_phrase;
	double avgdl;
	double *idf;
	double *freq;
} bm25_query;

static void bm25_query_free(void *p)
{
	bm25_query *q = p;
	if (!q)
		return;
	IB_FREE_ALL(q->idf, q->freq, q);
}

typedef struct df_count {
	int64_t df, half; /* rows seen; the count at which the phrase stops ranking */
} df_count;

static int count_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *arg)
{
	(void)api;
	(void)fts;
	df_count *c = arg;
	return ++c->df >= c->half ? SQLITE_DONE : SQLITE_OK;
}

static int bm25_query_new(const Fts5ExtensionApi *api, Fts5Context *fts, bm25_query **out)
{
	*out = NULL;
	bm25_query *q = calloc(1, sizeof *q);
	if (!q)
		return SQLITE_NOMEM;
	q->n_phrase = api->xPhraseCount(fts);
	int64_t n_rows = 0;
	int rc = index_stats(api, fts, &n_rows, &q->avgdl);
	size_t n = q->n_phrase > 0 ? (size_t)q->n_phrase : 1;
	if (rc == SQLITE_OK &&
	    (!(q->idf = calloc(n, sizeof *q->idf)) || !(q->freq = calloc(n, sizeof *q->freq))))
		rc = SQLITE_NOMEM;
	for (int i = 0; i < q->n_phrase && rc == SQLITE_OK; i++) {
		df_count c = {0, stop_at(n_rows)};
		rc = c.half > 0 ? api->xQueryPhrase(fts, i, &c, count_row) : SQLITE_OK;
		q->idf[i] = idf_of(c.df, n_rows);
	}
	if (rc != SQLITE_OK) {
		bm25_query_free(q);
		return rc;
	}
	*out = q;
	return SQLITE_OK;
}

static void ib_bm25(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int n_val,
		    sqlite3_value **val)
{
	(void)n_val;
	(void)val;
	bm25_query *q = api->xGetAuxdata(fts, 0);
	int rc = SQLITE_OK;
	if (!q) {
		rc = bm25_query_new(api, fts, &q);
		if (rc == SQLITE_OK)
			rc = api->xSetAuxdata(fts, q, bm25_query_free);
	}
	int len = 0;
	if (rc == SQLITE_OK)
		rc = row_freqs(api, fts, q->freq, q->n_phrase);
	if (rc == SQLITE_OK)
		rc = api->xColumnSize(fts, -1, &len);
	if (rc != SQLITE_OK) {
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	double norm = norm_of((unsigned)len, q->avgdl), score = 0;
	for (int i = 0; i < q->n_phrase; i++)
		if (q->freq[i] > 0 && q->idf[i] > 0)
			score += share_of(q->idf[i], q->freq[i], norm);
	sqlite3_result_double(ctx, score > 0 ? -score : 0.0);
}

/* ---- ib_rank_all: a set of documents in one call ------------------------------------ */

/* The walk of one phrase's rows: its count, and the weighted count of each job document
 * it is in (scratch). */
typedef struct phrase_walk {
	ib_rank_job *job;
	size_t next; /* the first job document not yet passed */
	int64_t df, half;
	int failed; /* job->stop said stop */
	int dense;  /* the phrase is taken to be in half of the rows: rows are not weighed */
	int exact;  /* weigh every row below half (a walk made again) */
} phrase_walk;

/* How often a walk checks whether its phrase looks dense, in rows. */
#define DENSE_TICK 256

/* Has the walk, at rowid, seen so many rows that its phrase will be in half of them?
 * Only past a sixteenth of the rowids, and by a margin: a wrong guess costs a second
 * walk, never a wrong score. */
static int looks_dense(const phrase_walk *w, int64_t rowid)
{
	const ib_rank_job *job = w->job;
	double span = (double)job->id_max - (double)job->id_min + 1,
	       passed = (double)rowid - (double)job->id_min + 1;
	if (w->exact || w->half == INT64_MAX || span < 1 || passed < span / 16)
		return 0;
	return (double)w->df * span >= 1.25 * (double)w->half * passed;
}

static int walk_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *arg)
{
	phrase_walk *w = arg;
	ib_rank_job *job = w->job;
	if (++w->df >= w->half)
		return SQLITE_DONE; /* the phrase does not rank */
	if (w->df % STOP_TICK == 0 && job->stop && job->stop(job->stop_arg)) {
		w->failed = 1;
		return SQLITE_INTERRUPT;
	}
	int64_t id = api->xRowid(fts);
	if (!w->dense && w->df % DENSE_TICK == 0 && looks_dense(w, id))
		w->dense = 1;
	if (w->dense)
		return SQLITE_OK;
	while (w->next < job->n && job->id[w->next] < id)
		w->next++;
	if (w->next == job->n || job->id[w->next] != id)
		return SQLITE_OK;
	double freq = 0;
	int rc = phrase_freq(api, fts, &freq);
	job->scratch[w->next++] = freq;
	return rc;
}

/* The walk of collect mode: every row of the query's one phrase. */
static int collect_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *arg)
{
	phrase_walk *w = arg;
	ib_rank_job *job = w->job;
	if (++w->df % STOP_TICK == 0 && job->stop && job->stop(job->stop_arg)) {
		w->failed = 1;
		return SQLITE_INTERRUPT;
	}
	int64_t id = api->xRowid(fts);
	int take = job->accept(job->accept_arg, id, job->n);
	if (take < 0)
		return SQLITE_NOMEM;
	if (!take)
		return SQLITE_OK;
	if (!w->dense && w->df < w->half && w->df % DENSE_TICK == 0 && looks_dense(w, id))
		w->dense = 1;
	if (w->dense || w->df >= w->half) {
		/* the phrase does not rank: the first k documents are the result */
		if (!job->k || job->n < job->k)
			job->scratch[job->n++] = 0;
		return SQLITE_OK;
	}
	double freq = 0;
	int rc = phrase_freq(api, fts, &freq);
	job->scratch[job->n++] = freq;
	return rc;
}

/* Add phrase's share to every job document it is in (job->scratch); df its rows. */
static void add_shares(ib_rank_job *job, int64_t df, int64_t n_rows, double avgdl)
{
	double idf = idf_of(df, n_rows);
	if (idf <= 0)
		return;
	job->n_ranked++;
	for (size_t j = 0; j < job->n; j++)
		if (job->scratch[j] > 0)
			job->score[j] +=
			    share_of(idf, job->scratch[j], norm_of(job->len[j], avgdl));
}

static void ib_rank_all(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
			int n_val, sqlite3_value **val)
{
	ib_rank_job *job = n_val == 1 ? sqlite3_value_pointer(val[0], "ib_rank_job") : NULL;
	if (!job) {
		sqlite3_result_error(ctx, "ib_rank_all: no job", -1);
		return;
	}
	job->n_ranked = 0;
	for (size_t j = 0; j < job->n; j++)
		job->score[j] = 0;
	int64_t n_rows = 0;
	double avgdl = 1;
	int rc = index_stats(api, fts, &n_rows, &avgdl);
	int64_t half = stop_at(n_rows);
	if (rc == SQLITE_OK && job->accept) {
		if (api->xPhraseCount(fts) != 1) {
			sqlite3_result_error(ctx, "ib_rank_all: collect mode needs one phrase", -1);
			return;
		}
		job->recount = 0;
		phrase_walk w = {job, 0, 0, half, 0, 0, 0};
		for (int pass = 0; pass < 2 && rc == SQLITE_OK; pass++) {
			job->n = 0;
			w = (phrase_walk){job, 0, 0, half, 0, 0, pass};
			rc = api->xQueryPhrase(fts, 0, &w, collect_row);
			if (w.failed)
				rc = SQLITE_INTERRUPT;
			if (!w.dense || w.df >= half)
				break;
			job->recount = 1; /* it looked dense but is not: weigh every row */
		}
		job->n_match = w.df;
		for (size_t j = 0; j < job->n; j++)
			job->score[j] = 0;
		if (rc == SQLITE_OK)
			add_shares(job, w.df, n_rows, avgdl);
	} else if (rc == SQLITE_OK && half > 0 && !(job->pure_and && job->n_match >= half)) {
		/* (every phrase of an AND is in every match: with half the rows matching, none
		   ranks) */
		int n_phrase = api->xPhraseCount(fts);
		if (job->n_phrase < n_phrase)
			n_phrase = job->n_phrase;
		for (int p = 0; p < n_phrase && rc == SQLITE_OK; p++) {
			phrase_walk w = {job, 0, 0, half, 0, 0, 0};
			for (int pass = 0; pass < 2 && rc == SQLITE_OK; pass++) {
				w = (phrase_walk){job, 0, 0, half, 0, 0, pass};
				memset(job->scratch, 0, job->n * sizeof *job->scratch);
				rc = api->xQueryPhrase(fts, p, &w, walk_row);
				if (w.failed)
					rc = SQLITE_INTERRUPT;
				if (!w.dense || w.df >= half)
					break; /* it looked dense, is not: weigh every row */
			}
			if (rc == SQLITE_OK && w.df < half)
				add_shares(job, w.df, n_rows, avgdl);
		}
	}
	if (rc != SQLITE_OK) {
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	for (size_t j = 0; j < job->n; j++)
		job->score[j] = job->score[j] > 0 ? -job->score[j] : 0.0;
}

int ib_rank_register(sqlite3 *db)
{
	fts5_api *api = NULL;
	int rc = ib_fts5_api(db, &api);
	if (rc != SQLITE_OK)
		return rc;
	rc = api->xCreateFunction(api, "ib_bm25", NULL, ib_bm25, NULL);
	if (rc == SQLITE_OK)
		rc = api->xCreateFunction(api, "ib_rank_all", NULL, ib_rank_all, NULL);
	return rc;
}
