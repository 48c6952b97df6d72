/* peers.c - spending per inhabitant against peer municipalities (RåderumsBenchmark). */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ideabank/buf.h"
#include "ideabank/num.h"
#include "ideabank/peers.h"
#include "store_int.h"

extern const char ib_area_functions_csv[];

#define MAX_FUNCS 32

/* The functions data/area_functions.csv maps to area (canonical), into codes[][16]. */
static int area_functions(const char *area, char codes[][16], int max)
{
	int n = 0;
	const char *z = ib_area_functions_csv;
	z = strchr(z, '\n'); /* header */
	while (z && *++z && n < max) {
		const char *semi = strchr(z, ';');
		const char *nl = strchr(z, '\n');
		if (!semi || (nl && semi > nl))
			break;
		const char *f = semi + 1, *fe = strchr(f, ';');
		if (fe && (size_t)(semi - z) == strlen(area) &&
		    !strncmp(z, area, (size_t)(semi - z)) && fe - f < 16) {
			memcpy(codes[n], f, (size_t)(fe - f));
			codes[n][fe - f] = '\0';
			n++;
		}
		z = nl;
	}
	return n;
}

const char *ib_function_area(const char *function_code)
{
	for (size_t i = 0; i < ib_n_areas; i++) {
		char codes[MAX_FUNCS][16];
		int n = area_functions(ib_areas[i], codes, MAX_FUNCS);
		for (int k = 0; k < n; k++)
			if (!strcmp(codes[k], function_code))
				return ib_areas[i];
	}
	return NULL;
}

/* One municipality's figures for the comparison. */
typedef struct muni {
	int code, group;
	char name[64];
	double kr;
	long inhabitants;
	long inhabitants_10y_before;   /* population ten years before the year; 0 when missing */
	double share_young, share_old; /* NAN when not fetched */
} muni;

static int cmp_kr(const void *a, const void *b)
{
	const muni *x = a, *y = b;
	if (x->kr != y->kr)
		return x->kr < y->kr ? -1 : 1;
	return x->code - y->code;
}

static int cmp_row(const void *a, const void *b)
{
	const ib_peer_row *x = a, *y = b;
	if (x->kr != y->kr)
		return x->kr < y->kr ? -1 : 1;
	return x->code - y->code;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Years with spending figures for the functions, as "2020, 2023, 2024". */
static void years_with_data(ib_store *s, const char *in_list, int n_codes, char *out, size_t n)
{
	out[0] = '\0';
	char sql[1024];
	/* a year counts when some municipality has every function of the list in it (as
	   the comparison itself requires) */
	snprintf(sql, sizeof sql,
		 "SELECT DISTINCT year FROM (SELECT year FROM spending WHERE function_code IN (%s)"
		 " GROUP BY year, kommunekode HAVING count(*) = %d) ORDER BY year",
		 in_list, n_codes);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return;
	size_t k = 0;
	while (sqlite3_step(st) == SQLITE_ROW && k < n)
		k += (size_t)snprintf(out + k, n - k, "%s%d", k ? ", " : "",
				      sqlite3_column_int(st, 0));
	sqlite3_finalize(st);
}

static double benchmark_of(const ib_peer_row *rows, size_t n, ib_benchmark b)
{
	if (!n)
		return IB_NA;
	double *v = malloc(n * sizeof *v);
	if (!v)
		return IB_NA;
	for (size_t i = 0; i < n; i++)
		v[i] = rows[i].kr;
	qsort(v, n, sizeof *v, cmp_double);
	double r = 0;
	if (b == IB_BENCH_MEAN) {
		for (size_t i = 0; i < n; i++)
			r += v[i];
		r /= (double)n;
	} else {
		double q = b == IB_BENCH_MEDIAN ? 0.5 : 0.25;
		double h = (double)(n - 1) * q;
		size_t lo = (size_t)floor(h);
		size_t hi = lo + 1 < n ? lo + 1 : lo;
		r = v[lo] + (h - (double)lo) * (v[hi] - v[lo]);
	}
	free(v);
	return r;
}

static void add_peer(ib_peer_set *p, const muni *m, int rank, double distance)
{
	ib_peer_row *r = &p->peers[p->n_peers++];
	r->code = m->code;
	snprintf(r->name, sizeof r->name, "%s", m->name);
	r->kr = m->kr;
	r->rank = rank;
	r->distance = distance;
}

/* When all[at] shares its kr. per inhabitant with others, append to out (size n) which
 * municipalities tie and how the ranking ordered them (by code: cmp_kr). */
static void describe_tie(const muni *all, size_t n_all, size_t at, char *out, size_t n)
{
	size_t lo = at, hi = at;
	while (lo > 0 && all[lo - 1].kr == all[at].kr)
		lo--;
	while (hi + 1 < n_all && all[hi + 1].kr == all[at].kr)
		hi++;
	size_t len = strlen(out);
	if (hi == lo || len + 1 >= n || strstr(out, all[lo].name))
		return;
	char kr[32];
	ib_num_format(all[at].kr, 0, kr, sizeof kr);
	len += (size_t)snprintf(out + len, n - len, "%s", len ? " " : "");
	for (size_t i = lo; i <= hi && len < n; i++)
		len += (size_t)snprintf(out + len, n - len, "%s%s",
					i == lo	  ? ""
					: i == hi ? " og "
						  : ", ",
					all[i].name);
	if (len < n)
		snprintf(out + len, n - len,
			 " har samme udgift, %s kr. pr. indbygger (plads %zu-%zu); lige tal er "
			 "ordnet efter kommunekode, så %s har plads %zu.",
			 kr, lo + 1, hi + 1, all[at].name, at + 1);
}

/* The z-scored indicators of nearest: each municipality's values, NAN when missing. */
enum { IND_SIZE, IND_GROWTH, IND_YOUNG, IND_OLD, N_IND };

static const char *const ind_name[N_IND] = {"indbyggertal (log)", "befolkningsudvikling",
					    "andel 0-16 år", "andel 65+ år"};

static double indicator(const muni *m, int j)
{
	switch (j) {
	case IND_SIZE:
		return m->inhabitants > 0 ? log((double)m->inhabitants) : NAN;
	case IND_GROWTH:
		return m->inhabitants > 0 && m->inhabitants_10y_before > 0
			   ? (double)m->inhabitants / (double)m->inhabitants_10y_before - 1
			   : NAN;
	case IND_YOUNG:
		return m->share_young;
	default:
		return m->share_old;
	}
}

/* nearest: the k municipalities closest to me on the structural indicators the
 * database holds.  Numeric indicators are z-scored over all municipalities with
 * figures (a missing value counts as the mean); the DST group is a category: 0 apart
 * in the same group, 1 otherwise.  distance = sqrt(sum w_j (z_j - z_j,me)^2 +
 * w_group [group differs]).  An indicator is used when its weight is not 0 and it
 * varies; p->method names the ones used.  Ties in distance go to the lower code. */
static int nearest_peers(ib_peer_set *p, const ib_peer_opts *o, const muni *all, size_t n_all,
			 size_t me, ib_error *err)
{
	int k = o->k > 0 ? o->k : 10;
	double w[N_IND] = {o->w_size, o->w_growth, o->w_young, o->w_old};
	double w_group = o->w_group;
	if (!w[0] && !w[1] && !w[2] && !w[3] && !w_group)
		w[0] = w[1] = w[2] = w[3] = w_group = 1;
	double *z = calloc(n_all * N_IND, sizeof *z);
	double *dist = calloc(n_all, sizeof *dist);
	if (!z || !dist) {
		free(z);
		free(dist);
		return ib_error_set(err, IB_ENOMEM, NULL);
	}
	int used[N_IND] = {0};
	for (int j = 0; j < N_IND; j++) {
		double sum = 0, sq = 0;
		size_t cnt = 0;
		for (size_t i = 0; i < n_all; i++) {
			double v = indicator(&all[i], j);
			if (!isnan(v))
				sum += v, sq += v * v, cnt++;
		}
		double mean = cnt ? sum / (double)cnt : 0;
		double var = cnt > 1 ? (sq - (double)cnt * mean * mean) / (double)(cnt - 1) : 0;
		double sd = var > 0 ? sqrt(var) : 0;
		used[j] = w[j] > 0 && sd > 0;
		for (size_t i = 0; i < n_all; i++) {
			double v = indicator(&all[i], j);
			z[i * N_IND + j] = (isnan(v) || !used[j]) ? 0 : (v - mean) / sd;
		}
	}
	for (size_t i = 0; i < n_all; i++) {
		double d = all[i].group != all[me].group ? w_group : 0;
		for (int j = 0; j < N_IND; j++) {
			double dz = z[i * N_IND + j] - z[me * N_IND + j];
			d += used[j] ? w[j] * dz * dz : 0;
		}
		dist[i] = sqrt(d);
	}
	for (int picked = 0; picked < k; picked++) {
		size_t best = n_all;
		for (size_t i = 0; i < n_all; i++) {
			if (i == me || dist[i] < 0)
				continue;
			if (best == n_all || dist[i] < dist[best] ||
			    (dist[i] == dist[best] && all[i].code < all[best].code))
				best = i;
		}
		if (best == n_all)
			break;
		add_peer(p, &all[best], (int)best + 1, dist[best]);
		dist[best] = -1;
	}
	/* say what the distance was measured on */
	size_t len = (size_t)snprintf(p->indicators, sizeof p->indicators, "%s",
				      w_group > 0 ? "kommunegruppe (samme 0, anden 1)" : "");
	for (int j = 0; j < N_IND && len < sizeof p->indicators; j++) {
		if (!used[j])
			continue;
		char extra[48] = "";
		if (j == IND_GROWTH)
			snprintf(extra, sizeof extra, " %d-%d", p->year - 10, p->year);
		len += (size_t)snprintf(p->indicators + len, sizeof p->indicators - len, "%s%s%s",
					len ? ", " : "", ind_name[j], extra);
	}
	snprintf(p->method, sizeof p->method, "de %d nærmeste på %s", k,
		 *p->indicators ? p->indicators : "ingen indikatorer");
	if ((int)p->n_peers < k)
		snprintf(p->note, sizeof p->note, "only %zu peers have figures; %d were asked for",
			 p->n_peers, k);
	free(z);
	free(dist);
	return IB_OK;
}

int ib_peers(ib_store *s, const ib_peer_opts *o, ib_peer_set **out, ib_error *err)
{
	*out = NULL;
	ib_peer_set *p = calloc(1, sizeof *p);
	if (!p)
		return ib_error_set(err, IB_ENOMEM, NULL);
	int rc = ib_store_find_municipality(s, o->kommune, &p->self, err);
	if (rc) {
		free(p);
		return rc;
	}
	/* which functions */
	char codes[MAX_FUNCS][16];
	int n_codes = 0;
	if (o->area) {
		const char *area = ib_area_canonical(o->area);
		if (!area) {
			free(p);
			return ib_error_set(
			    err, IB_ENOTFOUND,
			    "unknown area '%s' (one of KL's nine: Administration, "
			    "Beskæftigelse og Erhverv, Teknik og miljø, Ældre og "
			    "sundhed, Kultur og fritid, Daginstitutioner, Udsatte børn, "
			    "Udsatte voksne og borgere med handicap, Skoler)",
			    o->area);
		}
		p->area = area;
		n_codes = area_functions(area, codes, MAX_FUNCS);
	} else if (o->function) {
		snprintf(codes[0], sizeof codes[0], "%s", o->function);
		n_codes = 1;
		p->area = ib_function_area(o->function);
	}
	if (!n_codes) {
		free(p);
		return ib_error_set(err, IB_EARG,
				    "say what to compare: --function CODE or --area AREA");
	}
	ib_buf in;
	ib_buf_init(&in, 0);
	for (int i = 0; i < n_codes; i++)
		ib_buf_addf(&in, "%s'%s'", i ? "," : "", codes[i]);
	/* codes come from our table or the user: quote-free by construction below */
	for (const char *c = o->function ? o->function : ""; *c; c++)
		if (!((*c >= '0' && *c <= '9') || *c == '.')) {
			ib_buf_free(&in);
			free(p);
			return ib_error_set(
			    err, IB_EARG,
			    "function must be a REGK31 code such as 3.22.01, got '%s'",
			    o->function);
		}
	/* the year */
	int year = o->year;
	char sql[2048];
	sqlite3_stmt *st = NULL;
	if (!year) {
		snprintf(sql, sizeof sql,
			 "SELECT max(year) FROM spending WHERE function_code IN (%s)", in.z);
		if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK &&
		    sqlite3_step(st) == SQLITE_ROW)
			year = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
		if (!year) {
			rc = ib_error_set(
			    err, IB_ENOTFOUND, "unknown %s '%s': no REGK31 figures for it",
			    o->area ? "area" : "function", o->area ? o->area : o->function);
			ib_buf_free(&in);
			free(p);
			return rc;
		}
	}
	p->year = year;
	/* every municipality's kr. per inhabitant (sum over the functions) */
	snprintf(sql, sizeof sql,
		 "SELECT m.kommunekode, m.name, m.group_code, sum(s.kr_per_inhabitant),"
		 " count(*), min(s.function_name), min(s.source),"
		 " (SELECT inhabitants FROM population q WHERE q.kommunekode = m.kommunekode"
		 "  AND q.year <= ?1 ORDER BY q.year DESC LIMIT 1),"
		 " (SELECT share_0_16 FROM population_age a WHERE a.kommunekode = m.kommunekode"
		 "  AND a.year <= ?1 ORDER BY a.year DESC LIMIT 1),"
		 " (SELECT share_65_plus FROM population_age a WHERE a.kommunekode = m.kommunekode"
		 "  AND a.year <= ?1 ORDER BY a.year DESC LIMIT 1),"
		 " (SELECT inhabitants FROM population q WHERE q.kommunekode = m.kommunekode"
		 "  AND q.year = ?1 - 10)"
		 " FROM spending s JOIN municipality m ON m.kommunekode = s.kommunekode"
		 " WHERE s.year = ?1 AND s.function_code IN (%s)"
		 " GROUP BY m.kommunekode HAVING count(*) = %d ORDER BY m.kommunekode",
		 in.z, n_codes);
	muni *all = calloc(128, sizeof *all);
	size_t n_all = 0;
	char fname[256] = "";
	if (!all)
		rc = ib_error_set(err, IB_ENOMEM, NULL);
	else if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		rc = ib_store_dberr(s, err, "cannot read spending");
	if (!rc) {
		sqlite3_bind_int(st, 1, year);
		while (sqlite3_step(st) == SQLITE_ROW && n_all < 128) {
			muni *m = &all[n_all++];
			m->code = sqlite3_column_int(st, 0);
			snprintf(m->name, sizeof m->name, "%s",
				 (const char *)sqlite3_column_text(st, 1));
			m->group = sqlite3_column_int(st, 2);
			m->kr = sqlite3_column_double(st, 3);
			if (!*fname && n_codes == 1)
				snprintf(fname, sizeof fname, "%s",
					 (const char *)sqlite3_column_text(st, 5));
			m->inhabitants = (long)sqlite3_column_int64(st, 7);
			m->share_young = sqlite3_column_type(st, 8) == SQLITE_NULL
					     ? NAN
					     : sqlite3_column_double(st, 8);
			m->share_old = sqlite3_column_type(st, 9) == SQLITE_NULL
					   ? NAN
					   : sqlite3_column_double(st, 9);
			m->inhabitants_10y_before = (long)sqlite3_column_int64(st, 10);
		}
		sqlite3_finalize(st);
	}
	if (!rc && !n_all) {
		char years[256];
		years_with_data(s, in.z, n_codes, years, sizeof years);
		if (*years)
			rc = ib_error_set(err, IB_ENOTFOUND,
					  "no REGK31 figures for %s in %d; years with figures: %s",
					  o->area ? o->area : o->function, year, years);
		else
			rc = ib_error_set(err, IB_ENOTFOUND,
					  "unknown function '%s': no REGK31 figures for it",
					  o->area ? o->area : o->function);
	}
	if (n_codes == 1)
		snprintf(p->what, sizeof p->what, "%s %s", codes[0], fname);
	else {
		size_t k = (size_t)snprintf(p->what, sizeof p->what, "%s (", p->area);
		for (int i = 0; i < n_codes && k < sizeof p->what; i++)
			k += (size_t)snprintf(p->what + k, sizeof p->what - k, "%s%s",
					      i ? ", " : "", codes[i]);
		if (k < sizeof p->what)
			snprintf(p->what + k, sizeof p->what - k, ")");
	}
	snprintf(p->source, sizeof p->source,
		 "Danmarks Statistik, REGK31 %d, nettodriftsudgifter, kr. pr. indbygger", year);
	ib_buf_free(&in);
	/* rank everyone */
	const muni *self = NULL;
	if (!rc) {
		qsort(all, n_all, sizeof *all, cmp_kr);
		p->all = calloc(n_all, sizeof *p->all);
		p->peers = calloc(n_all + 1, sizeof *p->peers);
		if (!p->all || !p->peers)
			rc = ib_error_set(err, IB_ENOMEM, NULL);
	}
	for (size_t i = 0; !rc && i < n_all; i++) {
		ib_peer_row *r = &p->all[p->n_all++];
		r->code = all[i].code;
		snprintf(r->name, sizeof r->name, "%s", all[i].name);
		r->kr = all[i].kr;
		r->rank = (int)i + 1;
		if (all[i].code == p->self.code) {
			self = &all[i];
			p->own_rank = (int)i + 1;
		}
	}
	p->n_ranked = (int)n_all;
	if (!rc && !self)
		rc = ib_error_set(err, IB_ENOTFOUND, "no REGK31 figures for %s in %d", p->self.name,
				  year);
	if (!rc) {
		p->own_kr = self->kr;
		char *src = NULL;
		if (ib_store_population(s, self->code, year, &p->inhabitants, &p->population_year,
					&src, NULL) != IB_OK)
			p->inhabitants = 0;
		free(src);
	}
	/* choose the peers */
	if (!rc) {
		switch (o->method) {
		case IB_PEER_GROUP:
			for (size_t i = 0; i < n_all; i++)
				if (all[i].group == self->group && all[i].code != self->code)
					add_peer(p, &all[i], (int)i + 1, 0);
			snprintf(p->method, sizeof p->method, "samme kommunegruppe (%s)",
				 p->self.group_name);
			break;
		case IB_PEER_NEAREST:
			rc = nearest_peers(p, o, all, n_all, (size_t)(self - all), err);
			break;
		case IB_PEER_LOWER: {
			int n = o->lower_n > 0 ? o->lower_n : 5;
			int target = p->own_rank - n;
			if (target < 1) {
				target = 1;
				snprintf(
				    p->note, sizeof p->note,
				    "%s is number %d; fewer than %d are cheaper, so the cheapest "
				    "is used",
				    p->self.name, p->own_rank, n);
			}
			if (target == p->own_rank)
				snprintf(p->note, sizeof p->note, "%s already spends the least",
					 p->self.name);
			else
				add_peer(p, &all[target - 1], target, 0);
			/* ties decide both places: the own and the peer's */
			describe_tie(all, n_all, (size_t)(p->own_rank - 1), p->ties,
				     sizeof p->ties);
			if (target != p->own_rank)
				describe_tie(all, n_all, (size_t)(target - 1), p->ties,
					     sizeof p->ties);
			snprintf(p->method, sizeof p->method,
				 "kommunen %d pladser lavere i rangordenen", n);
			break;
		}
		case IB_PEER_LIST: {
			char *list = strdup(o->list ? o->list : "");
			if (!list) {
				rc = ib_error_set(err, IB_ENOMEM, NULL);
				break;
			}
			for (char *save = NULL, *t = strtok_r(list, ",", &save); t && !rc;
			     t = strtok_r(NULL, ",", &save)) {
				while (*t == ' ')
					t++;
				ib_municipality m;
				rc = ib_store_find_municipality(s, t, &m, err);
				if (rc)
					break;
				size_t i = 0;
				while (i < n_all && all[i].code != m.code)
					i++;
				if (i == n_all) {
					rc = ib_error_set(err, IB_ENOTFOUND,
							  "no REGK31 figures for %s in %d", m.name,
							  year);
					break;
				}
				int dup = m.code == p->self.code;
				for (size_t j = 0; j < p->n_peers; j++)
					dup |= p->peers[j].code == m.code;
				if (!dup)
					add_peer(p, &all[i], (int)i + 1, 0);
			}
			free(list);
			if (!rc && !p->n_peers)
				rc =
				    ib_error_set(err, IB_EARG, "list: names no municipality but %s",
						 p->self.name);
			snprintf(p->method, sizeof p->method, "egen liste");
			break;
		}
		}
	}
	free(all);
	if (!rc && !p->n_peers && !*p->note)
		snprintf(p->note, sizeof p->note, "no peers");
	if (!rc) {
		qsort(p->peers, p->n_peers, sizeof *p->peers, cmp_row);
		p->benchmark = o->method == IB_PEER_LOWER && p->n_peers
				   ? p->peers[0].kr
				   : benchmark_of(p->peers, p->n_peers, o->benchmark);
		if (p->n_peers && p->inhabitants > 0) {
			p->mulighedsrum_kr = (p->own_kr - p->benchmark) * (double)p->inhabitants;
			p->mulighedsrum_share =
			    p->own_kr != 0 ? (p->own_kr - p->benchmark) / p->own_kr : IB_NA;
		} else {
			p->mulighedsrum_kr = IB_NA;
			p->mulighedsrum_share = IB_NA;
		}
		if (!p->n_peers)
			p->benchmark = IB_NA;
	}
	if (rc) {
		ib_peer_set_free(p);
		return rc;
	}
	*out = p;
	return IB_OK;
}

void ib_peer_set_free(ib_peer_set *p)
{
	if (!p)
		return;
	free(p->peers);
	free(p->all);
	free(p);
}
