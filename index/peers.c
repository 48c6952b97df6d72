/* peers.c - spending per inhabitant against peer municipalities (RåderumsBenchmark):
 * the area map, the comparison shared with the overview (room.c), and ib_peers(). */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "ideabank/array.h"
#include "ideabank/buf.h"
#include "ideabank/num.h"
#include "ideabank/peers.h"
#include "peers_int.h"
#include "sql.h"
#include "store_int.h"

extern const char ib_area_functions_csv[];

/* ---- the area map ----------------------------------------------------------------- */

int ib_is_function_code(const char *z)
{
	if (!*z || *z == '.')
		return 0;
	for (const char *c = z; *c; c++)
		if (!((*c >= '0' && *c <= '9') || (*c == '.' && c[1] && c[1] != '.')))
			return 0;
	return 1;
}

/* An area rule from a row of data/area_functions.csv (ib_csv_record_fn). */
static int read_area_rule(const ib_csv_row *h, const ib_csv_row *row, void *rec, ib_error *err)
{
	(void)h;
	ib_area_rule *x = rec;
	const char *area = row->n == 3 ? row->f[0] : "";
	x->area = strcmp(area, "-") ? ib_area_canonical(area) : NULL;
	if (row->n != 3 || (!x->area && strcmp(area, "-")) || !ib_is_function_code(row->f[1]) ||
	    strlen(row->f[1]) >= sizeof x->prefix)
		return ib_error_set(err, IB_EPARSE,
				    "data/area_functions.csv:%d: expected one of KL's areas "
				    "(or -), a function code and a reason",
				    row->line);
	snprintf(x->prefix, sizeof x->prefix, "%s", row->f[1]);
	snprintf(x->reason, sizeof x->reason, "%s", row->f[2]);
	return IB_OK;
}

int ib_area_rules_load(ib_area_rule **out, size_t *n, ib_error *err)
{
	return IB_CSV_RECORDS(ib_area_functions_csv, read_area_rule, *out, *n, err);
}

const ib_area_rule *ib_area_rule_for(const ib_area_rule *rules, size_t n, const char *code)
{
	const ib_area_rule *best = NULL;
	size_t best_len = 0;
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(rules[i].prefix);
		if (!strncmp(code, rules[i].prefix, len) &&
		    (code[len] == '\0' || code[len] == '.') && len > best_len) {
			best = &rules[i];
			best_len = len;
		}
	}
	return best;
}

const char *ib_function_area(const char *function_code)
{
	ib_area_rule *rules = NULL;
	size_t n = 0;
	if (ib_area_rules_load(&rules, &n, NULL))
		return NULL;
	const ib_area_rule *r = ib_area_rule_for(rules, n, function_code);
	const char *area = r ? r->area : NULL; /* one of ib_areas: outlives the rules */
	free(rules);
	return area;
}

int ib_spending_functions(ib_store *s, char ***out, size_t *n, ib_error *err)
{
	int rc = IB_OK;
	ib_sql q = IB_SQL(s, &rc, err);
	size_t alloc = 0;
	*out = NULL;
	*n = 0;
	ib_sql_open(&q, "cannot read spending",
		    "SELECT DISTINCT function_code FROM spending ORDER BY 1", NULL);
	while (ib_sql_row(&q)) {
		const char *z = (const char *)sqlite3_column_text(q.st, 0);
		if (!z || !ib_is_function_code(z))
			continue; /* never a code: it would not name a function */
		if (IB_GROW(*out, *n, alloc, 64)) {
			ib_sql_fail(&q, IB_ENOMEM, NULL);
			break;
		}
		if (!((*out)[*n] = strdup(z)))
			ib_sql_fail(&q, IB_ENOMEM, NULL);
		else
			(*n)++;
	}
	ib_sql_close(&q);
	if (rc) {
		ib_strings_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

/* The functions of area the database holds, as the map assigns them. */
static int area_codes(ib_store *s, const char *area, char ***out, size_t *n, ib_error *err)
{
	ib_area_rule *rules = NULL;
	size_t n_rules = 0;
	char **held = NULL;
	size_t n_held = 0;
	int rc = ib_area_rules_load(&rules, &n_rules, err);
	if (!rc)
		rc = ib_spending_functions(s, &held, &n_held, err);
	*out = NULL;
	*n = 0;
	size_t k = 0;
	for (size_t i = 0; !rc && i < n_held; i++) {
		const ib_area_rule *r = ib_area_rule_for(rules, n_rules, held[i]);
		if (r && r->area == area)
			held[k++] = held[i];
		else
			free(held[i]);
	}
	free(rules);
	if (rc) {
		ib_strings_free(held, n_held);
		return rc;
	}
	*out = held;
	*n = k;
	return IB_OK;
}

/* ---- option words ----------------------------------------------------------------- */

int ib_peer_method_parse(const char *z, ib_peer_opts *o, ib_error *err)
{
	if (!strcmp(z, "group")) {
		o->method = IB_PEER_GROUP;
	} else if (!strcmp(z, "nearest")) {
		o->method = IB_PEER_NEAREST;
	} else if (!strncmp(z, "lower:", 6) && atoi(z + 6) > 0 &&
		   strspn(z + 6, "0123456789") == strlen(z + 6)) {
		o->method = IB_PEER_LOWER;
		o->lower_n = atoi(z + 6);
	} else if (!strncmp(z, "list:", 5) && z[5]) {
		o->method = IB_PEER_LIST;
		o->list = z + 5;
	} else {
		return ib_error_set(err, IB_EARG,
				    "--method: expected group, nearest, lower:N or list:A,B,C, got "
				    "'%s'",
				    z);
	}
	return IB_OK;
}

static const char *const benchmark_words[] = {"mean", "median", "lowest-quartile"};
static const char *const benchmark_names[] = {"gennemsnit", "median", "nedre kvartil"};

int ib_benchmark_parse(const char *z, ib_benchmark *b, ib_error *err)
{
	for (int i = 0; i < 3; i++)
		if (!strcmp(z, benchmark_words[i])) {
			*b = (ib_benchmark)i;
			return IB_OK;
		}
	return ib_error_set(err, IB_EARG,
			    "--benchmark: expected mean, median or lowest-quartile, got '%s'", z);
}

const char *ib_benchmark_name(ib_benchmark b)
{
	return (int)b >= 0 && (int)b < 3 ? benchmark_names[b] : benchmark_names[0];
}

int ib_peer_weights_parse(const char *z, ib_peer_opts *o)
{
	double w[5];
	int n = 0;
	const char *p = z;
	while (n < 5) {
		char *end;
		w[n] = strtod(p, &end);
		if (end == p || w[n] < 0 || !isfinite(w[n]))
			return IB_EARG;
		n++;
		p = end;
		if (*p != ',')
			break;
		p++;
	}
	if (*p != '\0' || (n != 4 && n != 5))
		return IB_EARG;
	o->w_size = w[0];
	o->w_group = w[1];
	o->w_growth = n == 5 ? w[2] : 0;
	o->w_young = w[n - 2];
	o->w_old = w[n - 1];
	return IB_OK;
}

/* ---- the comparison ------------------------------------------------------------- */

static int cmp_muni(const void *a, const void *b)
{
	const ib_peer_muni *x = a, *y = b;
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

static void add_peer(ib_peer_set *p, const ib_peer_muni *m, int rank, double distance)
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
static void describe_tie(const ib_peer_muni *all, size_t n_all, size_t at, char *out, size_t n)
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

static double indicator(const ib_peer_muni *m, int j)
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
static int nearest_peers(ib_peer_set *p, const ib_peer_opts *o, const ib_peer_muni *all,
			 size_t n_all, size_t me, ib_error *err)
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

int ib_peers_resolve_list(ib_store *s, const ib_peer_opts *o, const ib_municipality *self,
			  ib_municipality **out, size_t *n, ib_error *err)
{
	*out = NULL;
	*n = 0;
	char *list = strdup(o->list ? o->list : "");
	ib_municipality *m = calloc(strlen(list) / 2 + 2, sizeof *m);
	int rc = list && m ? IB_OK : ib_error_set(err, IB_ENOMEM, NULL);
	for (char *save = NULL, *t = rc ? NULL : strtok_r(list, ",", &save); t && !rc;
	     t = strtok_r(NULL, ",", &save)) {
		while (*t == ' ')
			t++;
		ib_municipality x;
		rc = ib_store_find_municipality(s, t, &x, err);
		if (rc)
			break;
		int dup = x.code == self->code;
		for (size_t j = 0; j < *n; j++)
			dup |= m[j].code == x.code;
		if (!dup)
			m[(*n)++] = x;
	}
	free(list);
	if (!rc && !*n)
		rc = ib_error_set(err, IB_EARG, "list: names no municipality but %s", self->name);
	if (rc) {
		free(m);
		*n = 0;
		return rc;
	}
	*out = m;
	return IB_OK;
}

int ib_peers_compare(ib_peer_set *p, const ib_peer_opts *o, ib_peer_muni *all, size_t n_all,
		     const ib_municipality *list, size_t n_list, long inhabitants,
		     int population_year, ib_error *err)
{
	int rc = IB_OK;
	/* rank everyone */
	qsort(all, n_all, sizeof *all, cmp_muni);
	p->all = calloc(n_all + 1, sizeof *p->all);
	p->peers = calloc(n_all + 1, sizeof *p->peers);
	if (!p->all || !p->peers)
		return ib_error_set(err, IB_ENOMEM, NULL);
	const ib_peer_muni *self = NULL;
	for (size_t i = 0; i < n_all; i++) {
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
	if (!self)
		return ib_error_set(err, IB_ENOTFOUND, "no REGK31 figures for %s in %d",
				    p->self.name, p->year);
	p->own_kr = self->kr;
	p->inhabitants = inhabitants;
	p->population_year = population_year;
	/* choose the peers */
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
			snprintf(p->note, sizeof p->note,
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
		describe_tie(all, n_all, (size_t)(p->own_rank - 1), p->ties, sizeof p->ties);
		if (target != p->own_rank)
			describe_tie(all, n_all, (size_t)(target - 1), p->ties, sizeof p->ties);
		snprintf(p->method, sizeof p->method, "kommunen %d pladser lavere i rangordenen",
			 n);
		break;
	}
	case IB_PEER_LIST:
		for (size_t k = 0; k < n_list && !rc; k++) {
			size_t i = 0;
			while (i < n_all && all[i].code != list[k].code)
				i++;
			if (i == n_all)
				rc = ib_error_set(err, IB_ENOTFOUND,
						  "no REGK31 figures for %s in %d", list[k].name,
						  p->year);
			else
				add_peer(p, &all[i], (int)i + 1, 0);
		}
		snprintf(p->method, sizeof p->method, "egen liste");
		break;
	}
	if (rc)
		return rc;
	if (!p->n_peers && !*p->note)
		snprintf(p->note, sizeof p->note, "no peers");
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
	return IB_OK;
}

/* ", ?2, ?3" ...: n placeholders for the codes, numbered from first. */
static void placeholders(ib_buf *b, size_t n, int first)
{
	for (size_t i = 0; i < n; i++)
		ib_buf_addf(b, "%s?%d", i ? "," : "", first + (int)i);
}

/* Years with spending figures for the functions, as "2020, 2023, 2024". */
static void years_with_data(ib_store *s, char **codes, size_t n_codes, char *out, size_t n)
{
	out[0] = '\0';
	ib_buf sql;
	ib_buf_init(&sql, 0);
	/* a year counts when some municipality has every function of the list in it (as
	   the comparison itself requires) */
	ib_buf_adds(&sql, "SELECT DISTINCT year FROM (SELECT year FROM spending WHERE"
			  " function_code IN (");
	placeholders(&sql, n_codes, 2);
	ib_buf_adds(&sql, ") GROUP BY year, kommunekode HAVING count(*) = ?1) ORDER BY year");
	int rc = sql.z ? IB_OK : IB_ENOMEM; /* a failure gives no years */
	ib_sql q = IB_SQL(s, &rc, NULL);
	ib_sql_open(&q, NULL, sql.z, "lv", (int64_t)n_codes, codes, n_codes);
	size_t k = 0;
	while (ib_sql_row(&q) && k < n)
		k += (size_t)snprintf(out + k, n - k, "%s%d", k ? ", " : "",
				      sqlite3_column_int(q.st, 0));
	ib_sql_close(&q);
	ib_buf_free(&sql);
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
	char **codes = NULL;
	size_t n_codes = 0;
	const char *what = o->area ? o->area : o->function;
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
		rc = area_codes(s, area, &codes, &n_codes, err);
		if (!rc && !n_codes)
			rc = ib_error_set(err, IB_ENOTFOUND,
					  "unknown area '%s': no REGK31 figures for it", o->area);
	} else if (o->function) {
		if (!ib_is_function_code(o->function))
			rc =
			    ib_error_set(err, IB_EARG,
					 "function must be a REGK31 code such as 3.22.01, got '%s'",
					 o->function);
		else if (!(codes = calloc(1, sizeof *codes)) || !(codes[0] = strdup(o->function)))
			rc = ib_error_set(err, IB_ENOMEM, NULL);
		else
			n_codes = 1;
		p->area = ib_function_area(o->function);
	} else {
		rc = ib_error_set(err, IB_EARG,
				  "say what to compare: --function CODE or --area AREA");
	}
	if (rc) {
		ib_strings_free(codes, n_codes);
		free(p);
		return rc;
	}
	ib_buf in;
	ib_buf_init(&in, 0);
	placeholders(&in, n_codes, 3);
	/* the year */
	int year = o->year;
	ib_buf sql;
	ib_buf_init(&sql, 0);
	ib_sql q = IB_SQL(s, &rc, err);
	if (!year) {
		ib_buf_addf(&sql, "SELECT max(year) FROM spending WHERE function_code IN (%s)",
			    in.z);
		if (!sql.z)
			ib_sql_fail(&q, IB_ENOMEM, NULL);
		ib_sql_open(&q, "cannot read spending", sql.z, "--v", codes, n_codes);
		if (ib_sql_row(&q))
			year = sqlite3_column_int(q.st, 0);
		ib_sql_close(&q);
		ib_buf_reset(&sql);
		if (!rc && !year)
			rc = ib_error_set(err, IB_ENOTFOUND,
					  "unknown %s '%s': no REGK31 figures for it",
					  o->area ? "area" : "function", what);
	}
	p->year = year;
	/* every municipality's kr. per inhabitant (sum over the functions) */
	ib_buf_addf(
	    &sql,
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
	    " GROUP BY m.kommunekode HAVING count(*) = ?2 ORDER BY m.kommunekode",
	    in.z);
	ib_peer_muni *all = calloc(128, sizeof *all);
	size_t n_all = 0;
	char fname[256] = "";
	if (!all || !sql.z)
		ib_sql_fail(&q, IB_ENOMEM, NULL);
	ib_sql_open(&q, "cannot read spending", sql.z, "ilv", year, (int64_t)n_codes, codes,
		    n_codes);
	while (n_all < 128 && ib_sql_row(&q)) {
		sqlite3_stmt *st = q.st;
		ib_peer_muni *m = &all[n_all++];
		m->code = sqlite3_column_int(st, 0);
		snprintf(m->name, sizeof m->name, "%s", (const char *)sqlite3_column_text(st, 1));
		m->group = sqlite3_column_int(st, 2);
		m->kr = sqlite3_column_double(st, 3);
		if (!*fname && n_codes == 1)
			snprintf(fname, sizeof fname, "%s",
				 (const char *)sqlite3_column_text(st, 5));
		m->inhabitants = (long)sqlite3_column_int64(st, 7);
		m->share_young = ib_sql_num(&q, 8);
		m->share_old = ib_sql_num(&q, 9);
		m->inhabitants_10y_before = (long)sqlite3_column_int64(st, 10);
	}
	ib_sql_close(&q);
	ib_buf_free(&sql);
	ib_buf_free(&in);
	if (!rc && !n_all) {
		char years[256];
		years_with_data(s, codes, n_codes, years, sizeof years);
		if (*years)
			rc = ib_error_set(err, IB_ENOTFOUND,
					  "no REGK31 figures for %s in %d; years with figures: %s",
					  what, year, years);
		else
			rc = ib_error_set(err, IB_ENOTFOUND,
					  "unknown function '%s': no REGK31 figures for it", what);
	}
	ib_peer_what(p->what, sizeof p->what, p->area, codes, n_codes, fname);
	snprintf(p->source, sizeof p->source,
		 "Danmarks Statistik, REGK31 %d, nettodriftsudgifter, kr. pr. indbygger", year);
	ib_strings_free(codes, n_codes);
	/* the own population, and the list's municipalities */
	long inhabitants = 0;
	int population_year = 0;
	ib_municipality *list = NULL;
	size_t n_list = 0;
	if (!rc && ib_store_population(s, p->self.code, year, &inhabitants, &population_year, NULL,
				       NULL) != IB_OK)
		inhabitants = 0;
	int self_has_figures = 0;
	for (size_t i = 0; i < n_all; i++)
		self_has_figures |= all[i].code == p->self.code;
	if (!rc && self_has_figures && o->method == IB_PEER_LIST)
		rc = ib_peers_resolve_list(s, o, &p->self, &list, &n_list, err);
	if (!rc)
		rc = ib_peers_compare(p, o, all, n_all, list, n_list, inhabitants, population_year,
				      err);
	free(list);
	free(all);
	if (rc) {
		ib_peer_set_free(p);
		return rc;
	}
	*out = p;
	return IB_OK;
}

void ib_peer_what(char *out, size_t n, const char *area, char **codes, size_t n_codes,
		  const char *function_name)
{
	if (n_codes == 1 && (!area || function_name)) {
		snprintf(out, n, "%s %s", codes[0], function_name ? function_name : "");
		return;
	}
	size_t k = (size_t)snprintf(out, n, "%s (", area ? area : "");
	for (size_t i = 0; i < n_codes && k < n; i++)
		k += (size_t)snprintf(out + k, n - k, "%s%s", i ? ", " : "", codes[i]);
	if (k < n)
		snprintf(out + k, n - k, ")");
}

void ib_peer_set_free(ib_peer_set *p)
{
	if (!p)
		return;
	IB_FREE_ALL(p->peers, p->all, p);
}
