/* room.c - the overview across areas (ib_room): every area (or function) the database
 * can compare, each year compared by ib_peers_compare() as ib_peers() compares it.
 *
 * The figures are read once (spending, population, population by age) into arrays
 * indexed by function, year and municipality, so that the report over every area and
 * every year costs a few queries, not one per comparison. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "ideabank/array.h"
#include "ideabank/num.h"
#include "ideabank/room.h"
#include "peers_int.h"
#include "sql.h"
#include "store_int.h"

extern const char ib_target_groups_csv[];

#define MAX_YEARS 64

/* A target group from a row of data/target_groups.csv (ib_csv_record_fn). */
static int read_group(const ib_csv_row *h, const ib_csv_row *row, void *rec, ib_error *err)
{
	(void)h;
	ib_target_group *x = rec;
	char *end = NULL;
	long from = row->n == 5 ? strtol(row->f[2], &end, 10) : -1;
	int from_ok = end && end != row->f[2] && !*end && from >= 0 && from < 999;
	long to = 999;
	int to_ok = 1;
	if (row->n == 5 && *row->f[3]) {
		to = strtol(row->f[3], &end, 10);
		to_ok = !*end && to >= from && to < 999;
	}
	x->area = row->n == 5 ? ib_area_canonical(row->f[0]) : NULL;
	if (row->n != 5 || !x->area || !from_ok || !to_ok || !*row->f[1] ||
	    strlen(row->f[1]) >= sizeof x->name)
		return ib_error_set(err, IB_EPARSE,
				    "data/target_groups.csv:%d: expected an area, a group name, "
				    "the first age, the last age (empty: no limit) and a reason",
				    row->line);
	snprintf(x->name, sizeof x->name, "%s", row->f[1]);
	x->age_from = (int)from;
	x->age_to = (int)to;
	snprintf(x->reason, sizeof x->reason, "%s", row->f[4]);
	return IB_OK;
}

int ib_target_groups(ib_target_group **out, size_t *n, ib_error *err)
{
	return IB_CSV_RECORDS(ib_target_groups_csv, read_group, *out, *n, err);
}

/* ---- the figures, read once ------------------------------------------------------ */

typedef struct room_data {
	ib_store *s;
	const ib_room_opts *o;
	ib_room_report *r;
	/* municipalities: index by code (-1: not in the registry) */
	size_t n_m;
	ib_municipality *m;
	int m_of_code[1000];
	/* spending: val[(f * n_y + y) * n_m + m], NAN when missing */
	size_t n_f;
	char **f_code;
	char **f_name; /* [f * n_y + y]: the name the lowest code gives, or NULL */
	int *f_name_code;
	size_t n_y;
	int years[MAX_YEARS];
	double *val;
	/* population, population by age: [m * n_py + (year - py0)] */
	int py0;
	size_t n_py;
	long *pop;	       /* 0: none */
	double *young, *old;   /* NAN: none */
	long *age_total;       /* persons of every age; 0: none */
	long *persons;	       /* [g][m][py]: persons of group g */
	int self_m;	       /* self's index in m */
	ib_municipality *list; /* the list method's municipalities */
	size_t n_list;
} room_data;

static size_t year_index(const room_data *d, int year)
{
	for (size_t i = 0; i < d->n_y; i++)
		if (d->years[i] == year)
			return i;
	return d->n_y;
}

static double *val_at(const room_data *d, size_t f, size_t y, size_t m)
{
	return &d->val[(f * d->n_y + y) * d->n_m + m];
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static size_t function_index(const room_data *d, const char *code)
{
	char *const *hit = bsearch(&code, d->f_code, d->n_f, sizeof *d->f_code, cmp_str);
	return hit ? (size_t)(hit - d->f_code) : d->n_f;
}

static int load_municipalities(room_data *d, ib_error *err)
{
	int rc = ib_store_municipalities(d->s, &d->m, &d->n_m, err);
	if (rc)
		return rc;
	for (int i = 0; i < 1000; i++)
		d->m_of_code[i] = -1;
	d->self_m = -1;
	for (size_t i = 0; i < d->n_m; i++) {
		if (d->m[i].code >= 0 && d->m[i].code < 1000)
			d->m_of_code[d->m[i].code] = (int)i;
		if (d->m[i].code == d->r->self.code)
			d->self_m = (int)i;
	}
	return IB_OK;
}

/* A row of spending as read, before the functions and years are known. */
typedef struct raw_row {
	int m, year, f; /* f: index into the codes in order of appearance */
	double kr;
	int name; /* index into the names in order of appearance */
} raw_row;

/* Index of z in the growable list *v (n of alloc), appending it when new. */
static int intern(char ***v, size_t *n, size_t *alloc, const char *z, size_t *last)
{
	/* rows come in key order: the same code as the last row, or the next one */
	if (*last < *n && !strcmp((*v)[*last], z))
		return (int)*last;
	if (*last + 1 < *n && !strcmp((*v)[*last + 1], z))
		return (int)++*last;
	for (size_t i = *n; i-- > 0;)
		if (!strcmp((*v)[i], z))
			return (int)(*last = i);
	if (IB_GROW(*v, *n, *alloc, 64) || !((*v)[*n] = strdup(z)))
		return -1;
	return (int)(*last = (*n)++);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* The fetch_log rows a table's rows point to, each once. */
typedef struct fetch_ids {
	sqlite3_int64 *v;
	size_t n, alloc;
} fetch_ids;

/* Add id (0: none) unless it is the last one added; IB_OK or IB_ENOMEM.  (Rows of one
 * fetch come together: the list stays short and is made unique at the end.) */
static int fetch_ids_add(fetch_ids *f, sqlite3_int64 id)
{
	if (!id || (f->n && f->v[f->n - 1] == id))
		return IB_OK;
	if (IB_GROW(f->v, f->n, f->alloc, 16))
		return IB_ENOMEM;
	f->v[f->n++] = id;
	return IB_OK;
}

static int cmp_id(const void *a, const void *b)
{
	sqlite3_int64 x = *(const sqlite3_int64 *)a, y = *(const sqlite3_int64 *)b;
	return (x > y) - (x < y);
}

/* The latest fetched_at and table_updated of the fetch_log rows f into the report. */
static int fetched_dates(room_data *d, fetch_ids *f, ib_error *err)
{
	if (!f->n)
		return IB_OK;
	qsort(f->v, f->n, sizeof *f->v, cmp_id);
	char *fetched = d->r->fetched, *updated = d->r->table_updated;
	int rc = IB_OK;
	ib_sql q = IB_SQL(d->s, &rc, err);
	sqlite3_stmt *kept = NULL;
	for (size_t i = 0; i < f->n && !rc; i++) {
		if (i && f->v[i] == f->v[i - 1])
			continue;
		ib_sql_reuse(&q, "cannot read the fetch log", &kept,
			     "SELECT fetched_at, table_updated FROM fetch_log WHERE id = ?1", "l",
			     (int64_t)f->v[i]);
		if (ib_sql_row(&q)) {
			const char *a = (const char *)sqlite3_column_text(q.st, 0);
			const char *b = (const char *)sqlite3_column_text(q.st, 1);
			if (a && strcmp(a, fetched) > 0)
				snprintf(fetched, sizeof d->r->fetched, "%s", a);
			if (b && strcmp(b, updated) > 0)
				snprintf(updated, sizeof d->r->table_updated, "%s", b);
		}
		ib_sql_close(&q);
	}
	sqlite3_finalize(kept);
	return rc;
}

/* Every figure of spending in one pass: the functions and years held, the figures
 * into val, each function's name per year (the lowest code's, as the comparison's
 * query gives it), and when the figures were fetched. */
static int load_spending(room_data *d, ib_error *err)
{
	int rc = IB_OK;
	ib_sql q = IB_SQL(d->s, &rc, err);
	ib_sql_open(&q, "cannot read spending",
		    "SELECT kommunekode, year, function_code, kr_per_inhabitant, function_name,"
		    " fetch_id FROM spending",
		    NULL);
	sqlite3_stmt *st = q.st;
	raw_row *rows = NULL;
	size_t n_rows = 0, rows_alloc = 0;
	char **codes = NULL, **names = NULL;
	size_t n_codes = 0, codes_alloc = 0, last_code = 0;
	size_t n_names = 0, names_alloc = 0, last_name = 0;
	fetch_ids fids = {0};
	while (ib_sql_row(&q)) {
		int code = sqlite3_column_int(st, 0);
		const char *fc = (const char *)sqlite3_column_text(st, 2);
		if (code < 0 || code >= 1000 || d->m_of_code[code] < 0 || !fc)
			continue; /* as the comparison's join with the registry */
		const char *name = (const char *)sqlite3_column_text(st, 4);
		if (IB_GROW(rows, n_rows, rows_alloc, 4096)) {
			ib_sql_fail(&q, IB_ENOMEM, NULL);
			break;
		}
		raw_row *x = &rows[n_rows++];
		x->m = d->m_of_code[code];
		x->year = sqlite3_column_int(st, 1);
		x->kr = sqlite3_column_double(st, 3);
		x->f = intern(&codes, &n_codes, &codes_alloc, fc, &last_code);
		x->name = intern(&names, &n_names, &names_alloc, name ? name : "", &last_name);
		if (x->f < 0 || x->name < 0 || fetch_ids_add(&fids, sqlite3_column_int64(st, 5)))
			ib_sql_fail(&q, IB_ENOMEM, NULL);
	}
	ib_sql_close(&q);
	/* the functions that are codes, sorted (as ib_spending_functions gives them) */
	int *f_of = calloc(n_codes + 1, sizeof *f_of);
	if (!rc && !f_of)
		rc = ib_error_set(err, IB_ENOMEM, NULL);
	if (!rc && n_codes) {
		if (!(d->f_code = calloc(n_codes, sizeof *d->f_code)))
			rc = ib_error_set(err, IB_ENOMEM, NULL);
		for (size_t i = 0; !rc && i < n_codes; i++)
			if (ib_is_function_code(codes[i]) &&
			    !(d->f_code[d->n_f++] = strdup(codes[i])))
				rc = ib_error_set(err, IB_ENOMEM, NULL);
		if (!rc)
			qsort(d->f_code, d->n_f, sizeof *d->f_code, cmp_str);
		for (size_t i = 0; !rc && i < n_codes; i++)
			f_of[i] = (int)function_index(d, codes[i]);
	}
	/* the years */
	for (size_t i = 0; !rc && i < n_rows; i++)
		if (year_index(d, rows[i].year) == d->n_y && d->n_y < MAX_YEARS)
			d->years[d->n_y++] = rows[i].year;
	qsort(d->years, d->n_y, sizeof *d->years, cmp_int);
	size_t cells = d->n_f * d->n_y * d->n_m;
	if (!rc) {
		d->val = malloc((cells ? cells : 1) * sizeof *d->val);
		d->f_name = calloc(d->n_f * d->n_y + 1, sizeof *d->f_name);
		d->f_name_code = calloc(d->n_f * d->n_y + 1, sizeof *d->f_name_code);
		if (!d->val || !d->f_name || !d->f_name_code)
			rc = ib_error_set(err, IB_ENOMEM, NULL);
	}
	for (size_t i = 0; !rc && i < cells; i++)
		d->val[i] = NAN;
	int last_year = 0;
	size_t y = d->n_y;
	for (size_t i = 0; !rc && i < n_rows; i++) {
		const raw_row *x = &rows[i];
		size_t f = (size_t)f_of[x->f];
		if (x->year != last_year || y == d->n_y) {
			y = year_index(d, x->year);
			last_year = x->year;
		}
		if (f >= d->n_f || y == d->n_y)
			continue;
		*val_at(d, f, y, (size_t)x->m) = x->kr;
		size_t k = f * d->n_y + y;
		int code = d->m[x->m].code;
		if (!d->f_name[k] || code < d->f_name_code[k]) {
			d->f_name[k] = names[x->name]; /* owned by names until the end */
			d->f_name_code[k] = code;
		}
	}
	for (size_t k = 0; !rc && k < d->n_f * d->n_y; k++)
		if (d->f_name[k] && !(d->f_name[k] = strdup(d->f_name[k])))
			rc = ib_error_set(err, IB_ENOMEM, NULL);
	if (rc && d->f_name)
		memset(d->f_name, 0, (d->n_f * d->n_y + 1) * sizeof *d->f_name);
	ib_strings_free(codes, n_codes);
	ib_strings_free(names, n_names);
	free(f_of);
	free(rows);
	/* when the figures were fetched, and the table's own date: of the fetches the
	   figures come from, no other */
	if (!rc)
		rc = fetched_dates(d, &fids, err);
	free(fids.v);
	return rc;
}

/* Population, its shares by age and, per target group, the persons in it. */
static int load_population(room_data *d, ib_error *err)
{
	int lo = d->n_y ? d->years[0] - 10 : 0, hi = d->n_y ? d->years[d->n_y - 1] : 0;
	int rc = IB_OK;
	ib_sql q = IB_SQL(d->s, &rc, err);
	ib_sql_open(&q, "cannot read population",
		    "SELECT min(y), max(y) FROM (SELECT min(year) y FROM population UNION ALL"
		    " SELECT max(year) FROM population UNION ALL SELECT min(year) FROM"
		    " population_by_age UNION ALL SELECT max(year) FROM population_by_age UNION"
		    " ALL SELECT min(year) FROM population_age UNION ALL SELECT max(year) FROM"
		    " population_age)",
		    NULL);
	if (ib_sql_row(&q) && sqlite3_column_type(q.st, 0) != SQLITE_NULL) {
		int a = sqlite3_column_int(q.st, 0), b = sqlite3_column_int(q.st, 1);
		if (!d->n_y || a < lo)
			lo = a;
		if (!d->n_y || b > hi)
			hi = b;
	}
	ib_sql_close(&q);
	if (rc)
		return rc;
	if (hi < lo)
		hi = lo;
	d->py0 = lo;
	d->n_py = (size_t)(hi - lo + 1);
	size_t cells = d->n_m * d->n_py;
	size_t n_g = d->r->n_groups;
	d->pop = calloc(cells + 1, sizeof *d->pop);
	d->young = malloc((cells + 1) * sizeof *d->young);
	d->old = malloc((cells + 1) * sizeof *d->old);
	d->age_total = calloc(cells + 1, sizeof *d->age_total);
	d->persons = calloc(n_g * cells + 1, sizeof *d->persons);
	if (!d->pop || !d->young || !d->old || !d->age_total || !d->persons)
		return ib_error_set(err, IB_ENOMEM, NULL);
	for (size_t i = 0; i < cells; i++)
		d->young[i] = d->old[i] = NAN;
	static const char *const sql[] = {
	    "SELECT kommunekode, year, inhabitants FROM population",
	    "SELECT kommunekode, year, share_0_16, share_65_plus FROM population_age",
	    "SELECT kommunekode, year, age, inhabitants, source FROM population_by_age"};
	char age_source[200] = "";
	int age_lo = 0, age_hi = 0;
	for (int t = 0; t < 3; t++) {
		ib_sql_open(&q, "cannot read population", sql[t], NULL);
		while (ib_sql_row(&q)) {
			sqlite3_stmt *st = q.st;
			int code = sqlite3_column_int(st, 0), year = sqlite3_column_int(st, 1);
			if (code < 0 || code >= 1000 || d->m_of_code[code] < 0 || year < d->py0 ||
			    year >= d->py0 + (int)d->n_py)
				continue;
			size_t k = (size_t)d->m_of_code[code] * d->n_py + (size_t)(year - d->py0);
			if (t == 0) {
				d->pop[k] = (long)sqlite3_column_int64(st, 2);
			} else if (t == 1) {
				if (sqlite3_column_type(st, 2) != SQLITE_NULL)
					d->young[k] = sqlite3_column_double(st, 2);
				if (sqlite3_column_type(st, 3) != SQLITE_NULL)
					d->old[k] = sqlite3_column_double(st, 3);
			} else {
				int age = sqlite3_column_int(st, 2);
				long n = (long)sqlite3_column_int64(st, 3);
				d->age_total[k] += n;
				for (size_t g = 0; g < n_g; g++)
					if (age >= d->r->groups[g].age_from &&
					    age <= d->r->groups[g].age_to)
						d->persons[g * cells + k] += n;
				if (!age_lo || year < age_lo)
					age_lo = year;
				if (year > age_hi)
					age_hi = year;
				if (!*age_source) {
					const char *z = (const char *)sqlite3_column_text(st, 4);
					snprintf(age_source, sizeof age_source, "%s", z ? z : "");
				}
			}
		}
		ib_sql_close(&q);
	}
	if (rc)
		return rc;
	if (age_hi)
		snprintf(d->r->age_source, sizeof d->r->age_source,
			 "Danmarks Statistik, FOLK1A efter alder, %d-%d", age_lo, age_hi);
	return IB_OK;
}

/* The latest year up to year with a figure in a[m * n_py + ...] (has(k)), or -1. */
static int latest_pop(const room_data *d, size_t m, int year)
{
	for (int y = year; y >= d->py0; y--)
		if (y < d->py0 + (int)d->n_py && d->pop[m * d->n_py + (size_t)(y - d->py0)] > 0)
			return y;
	return -1;
}

static int latest_age(const room_data *d, size_t m, int year)
{
	for (int y = year; y >= d->py0; y--)
		if (y < d->py0 + (int)d->n_py &&
		    d->age_total[m * d->n_py + (size_t)(y - d->py0)] > 0)
			return y;
	return -1;
}

static int latest_share(const room_data *d, size_t m, int year)
{
	for (int y = year; y >= d->py0; y--) {
		size_t k = m * d->n_py + (size_t)(y - d->py0);
		if (y < d->py0 + (int)d->n_py && (!isnan(d->young[k]) || !isnan(d->old[k])))
			return y;
	}
	return -1;
}

/* The own population of a year as ib_store_population() finds it: that year, else
 * the nearest earlier, else the nearest later one. */
static long own_population(const room_data *d, int year, int *year_used)
{
	size_t m = (size_t)d->self_m;
	int y = latest_pop(d, m, year);
	for (int z = year + 1; y < 0 && z < d->py0 + (int)d->n_py; z++)
		if (z >= d->py0 && d->pop[m * d->n_py + (size_t)(z - d->py0)] > 0)
			y = z;
	*year_used = y < 0 ? 0 : y;
	return y < 0 ? 0 : d->pop[m * d->n_py + (size_t)(y - d->py0)];
}

/* ---- one comparison -------------------------------------------------------------- */

/* Compare the sum of functions f[0..n_f) in year index y, per inhabitant (g NULL) or
 * per person of g.  *out is NULL for a gap: the municipality, or every other, has no
 * figures.  Errors of the comparison itself (a listed municipality without figures)
 * are returned. */
static int compare(room_data *d, const size_t *f, size_t n_f, size_t y, const ib_target_group *g,
		   const ib_room_line *line, ib_peer_set **out, ib_error *err)
{
	*out = NULL;
	int year = d->years[y];
	ib_peer_muni *all = calloc(d->n_m + 1, sizeof *all);
	if (!all)
		return ib_error_set(err, IB_ENOMEM, NULL);
	size_t n_all = 0, g_index = g ? (size_t)(g - d->r->groups) : 0;
	size_t cells = d->n_m * d->n_py;
	int self_in = 0, self_age_year = 0;
	for (size_t m = 0; m < d->n_m; m++) {
		double kr = 0;
		size_t k = 0;
		while (k < n_f && !isnan(*val_at(d, f[k], y, m)))
			kr += *val_at(d, f[k++], y, m);
		if (k < n_f || !n_f)
			continue;
		if (g) {
			int ay = latest_age(d, m, year);
			if (ay < 0)
				continue;
			size_t at = m * d->n_py + (size_t)(ay - d->py0);
			long persons = d->persons[g_index * cells + at];
			if (persons <= 0)
				continue;
			kr = kr * (double)d->age_total[at] / (double)persons;
			if ((int)m == d->self_m)
				self_age_year = ay;
		}
		ib_peer_muni *x = &all[n_all++];
		x->code = d->m[m].code;
		x->group = d->m[m].group_code;
		snprintf(x->name, sizeof x->name, "%s", d->m[m].name);
		x->kr = kr;
		int py = latest_pop(d, m, year);
		x->inhabitants = py < 0 ? 0 : d->pop[m * d->n_py + (size_t)(py - d->py0)];
		int y10 = year - 10;
		x->inhabitants_10y_before = y10 >= d->py0 && y10 < d->py0 + (int)d->n_py
						? d->pop[m * d->n_py + (size_t)(y10 - d->py0)]
						: 0;
		int sy = latest_share(d, m, year);
		x->share_young = sy < 0 ? NAN : d->young[m * d->n_py + (size_t)(sy - d->py0)];
		x->share_old = sy < 0 ? NAN : d->old[m * d->n_py + (size_t)(sy - d->py0)];
		self_in |= (int)m == d->self_m;
	}
	if (!self_in) {
		free(all);
		return IB_OK;
	}
	ib_peer_set *p = calloc(1, sizeof *p);
	if (!p) {
		free(all);
		return ib_error_set(err, IB_ENOMEM, NULL);
	}
	p->self = d->r->self;
	p->year = year;
	p->area = line->area;
	const char *fname = n_f == 1 ? d->f_name[f[0] * d->n_y + y] : NULL;
	ib_peer_what(p->what, sizeof p->what, line->area, line->codes, line->n_codes,
		     fname ? fname : "");
	long scale;
	int scale_year;
	if (g) {
		snprintf(p->source, sizeof p->source,
			 "Danmarks Statistik, REGK31 %d, nettodriftsudgifter, kr. pr. person %s "
			 "(FOLK1A %d)",
			 year, g->name, self_age_year);
		size_t at = (size_t)d->self_m * d->n_py + (size_t)(self_age_year - d->py0);
		scale = d->persons[g_index * cells + at];
		scale_year = self_age_year;
	} else {
		snprintf(p->source, sizeof p->source,
			 "Danmarks Statistik, REGK31 %d, nettodriftsudgifter, kr. pr. indbygger",
			 year);
		scale = own_population(d, year, &scale_year);
	}
	int rc = ib_peers_compare(p, &d->o->peer, all, n_all, d->list, d->n_list, scale, scale_year,
				  err);
	free(all);
	if (rc) {
		ib_peer_set_free(p);
		return rc;
	}
	*out = p;
	return IB_OK;
}

static void cell_of(ib_room_cell *c, int year, const ib_peer_set *p)
{
	memset(c, 0, sizeof *c);
	c->year = year;
	c->own = c->benchmark = c->index = c->mulighedsrum_kr = c->mulighedsrum_share = IB_NA;
	if (!p || ib_is_na(p->benchmark))
		return;
	c->ok = 1;
	c->own = p->own_kr;
	c->benchmark = p->benchmark;
	c->rank = p->own_rank;
	c->n_ranked = p->n_ranked;
	c->index = p->benchmark != 0 ? p->own_kr / p->benchmark * 100 : IB_NA;
	c->mulighedsrum_kr = p->mulighedsrum_kr;
	c->mulighedsrum_share = p->mulighedsrum_share;
}

/* ---- the lines -------------------------------------------------------------------- */

static const ib_target_group *group_for(const room_data *d, const char *area)
{
	const ib_target_group *first = NULL;
	for (size_t i = 0; i < d->r->n_groups; i++) {
		const ib_target_group *g = &d->r->groups[i];
		if (g->area != area)
			continue;
		if (d->o->target_group && !strcmp(g->name, d->o->target_group))
			return g;
		if (!first)
			first = g;
	}
	return first;
}

static void line_free(ib_room_line *l)
{
	ib_strings_free(l->codes, l->n_codes);
	ib_peer_set_free(l->per_inhabitant);
	ib_peer_set_free(l->per_target);
	free(l->cells);
	IB_FREE_EACH(l->parts, l->n_parts, line_free);
	ib_result_free(l->ideas);
}

/* Fill line (its codes, area, name set) for the report year and, with cells, for
 * every year. */
static int compute_line(room_data *d, ib_room_line *l, int with_cells, ib_error *err)
{
	size_t *f = calloc(l->n_codes + 1, sizeof *f);
	if (!f)
		return ib_error_set(err, IB_ENOMEM, NULL);
	size_t n_f = 0;
	for (size_t i = 0; i < l->n_codes; i++)
		f[n_f++] = function_index(d, l->codes[i]);
	size_t ry = year_index(d, d->r->year);
	int rc = IB_OK;
	if (ry < d->n_y)
		rc = compare(d, f, n_f, ry, NULL, l, &l->per_inhabitant, err);
	l->group = l->area ? group_for(d, l->area) : NULL;
	if (!rc && l->group && ry < d->n_y) {
		rc = compare(d, f, n_f, ry, l->group, l, &l->per_target, err);
		if (l->per_target)
			l->age_year = l->per_target->population_year;
	}
	l->uses_target = d->o->measure == IB_ROOM_PER_TARGET && l->per_target;
	l->main = l->uses_target ? l->per_target : l->per_inhabitant;
	if (!rc && with_cells) {
		if (!(l->cells = calloc(d->n_y + 1, sizeof *l->cells)))
			rc = ib_error_set(err, IB_ENOMEM, NULL);
		for (size_t y = 0; !rc && y < d->n_y; y++) {
			if (y == ry) {
				cell_of(&l->cells[y], d->years[y], l->main);
				continue;
			}
			ib_peer_set *p = NULL;
			ib_error ignore = {0};
			/* a year whose comparison cannot be made (a listed municipality without
			   figures) is a gap like one without figures */
			int r =
			    compare(d, f, n_f, y, l->uses_target ? l->group : NULL, l, &p, &ignore);
			if (r == IB_ENOMEM)
				rc = ib_error_set(err, IB_ENOMEM, NULL);
			cell_of(&l->cells[y], d->years[y], r ? NULL : p);
			ib_peer_set_free(p);
		}
	}
	free(f);
	return rc;
}

static int add_code(ib_room_line *l, const char *code, ib_error *err)
{
	return ib_strings_add(&l->codes, &l->n_codes, code) ? ib_error_set(err, IB_ENOMEM, NULL)
							    : IB_OK;
}

/* The name the report year (else the latest year) gives function f. */
static const char *function_name(const room_data *d, size_t f)
{
	size_t ry = year_index(d, d->r->year);
	if (ry < d->n_y && d->f_name[f * d->n_y + ry])
		return d->f_name[f * d->n_y + ry];
	for (size_t y = d->n_y; y-- > 0;)
		if (d->f_name[f * d->n_y + y])
			return d->f_name[f * d->n_y + y];
	return "";
}

static int build_lines(room_data *d, const ib_area_rule *rules, size_t n_rules, ib_error *err)
{
	ib_room_report *r = d->r;
	size_t n = d->o->functions ? d->n_f : ib_n_areas;
	if (!(r->lines = calloc(n + 1, sizeof *r->lines)))
		return ib_error_set(err, IB_ENOMEM, NULL);
	int rc = IB_OK;
	for (size_t i = 0; !rc && i < n; i++) {
		ib_room_line *l = &r->lines[r->n_lines];
		if (d->o->functions) {
			const ib_area_rule *rule = ib_area_rule_for(rules, n_rules, d->f_code[i]);
			snprintf(l->code, sizeof l->code, "%s", d->f_code[i]);
			l->area = rule ? rule->area : NULL;
			snprintf(l->name, sizeof l->name, "%s", function_name(d, i));
			snprintf(l->reason, sizeof l->reason, "%s", rule ? rule->reason : "");
			rc = add_code(l, d->f_code[i], err);
		} else {
			l->area = ib_areas[i];
			snprintf(l->name, sizeof l->name, "%s", l->area);
			for (size_t f = 0; !rc && f < d->n_f; f++) {
				const ib_area_rule *rule =
				    ib_area_rule_for(rules, n_rules, d->f_code[f]);
				if (rule && rule->area == l->area)
					rc = add_code(l, d->f_code[f], err);
			}
		}
		if (!rc && !l->n_codes)
			continue; /* an area the database holds no function of */
		r->n_lines++;
		if (!rc)
			rc = compute_line(d, l, 1, err);
		/* an area's functions, each its own comparison in the report year */
		if (!rc && !d->o->functions &&
		    !(l->parts = calloc(l->n_codes + 1, sizeof *l->parts)))
			rc = ib_error_set(err, IB_ENOMEM, NULL);
		for (size_t k = 0; !rc && !d->o->functions && k < l->n_codes; k++) {
			ib_room_line *part = &l->parts[l->n_parts++];
			const ib_area_rule *rule = ib_area_rule_for(rules, n_rules, l->codes[k]);
			snprintf(part->code, sizeof part->code, "%s", l->codes[k]);
			part->area = l->area;
			snprintf(part->name, sizeof part->name, "%s",
				 function_name(d, function_index(d, l->codes[k])));
			snprintf(part->reason, sizeof part->reason, "%s", rule ? rule->reason : "");
			rc = add_code(part, l->codes[k], err);
			/* a part has its area's group, so its area's measure */
			if (!rc)
				rc = compute_line(d, part, 0, err);
		}
	}
	return rc;
}

static int cmp_line(const void *a, const void *b)
{
	const ib_room_line *x = a, *y = b;
	double vx = x->main ? x->main->mulighedsrum_kr : IB_NA;
	double vy = y->main ? y->main->mulighedsrum_kr : IB_NA;
	int nx = ib_is_na(vx), ny = ib_is_na(vy);
	if (nx != ny)
		return nx - ny;
	if (!nx && vx != vy)
		return vx > vy ? -1 : 1;
	return strcmp(x->code, y->code) ? strcmp(x->code, y->code) : strcmp(x->name, y->name);
}

/* The bank's best ideas in each area with room. */
static int add_ideas(room_data *d, ib_error *err)
{
	ib_room_report *r = d->r;
	for (size_t i = 0; i < r->n_lines; i++) {
		ib_room_line *l = &r->lines[i];
		if (!l->area || !l->main || ib_is_na(l->main->mulighedsrum_kr) ||
		    l->main->mulighedsrum_kr <= 0)
			continue;
		ib_search_opts so = {0};
		so.area = l->area;
		so.sort = IB_SORT_SCORE;
		so.limit = d->o->n_ideas;
		so.no_snippets = 1;
		int rc = ib_search(d->s, &so, &l->ideas, err);
		if (rc)
			return rc;
	}
	return IB_OK;
}

static void data_free(room_data *d)
{
	free(d->m);
	ib_strings_free(d->f_code, d->n_f);
	for (size_t i = 0; d->f_name && i < d->n_f * d->n_y; i++)
		free(d->f_name[i]);
	IB_FREE_ALL(d->f_name, d->f_name_code, d->val, d->pop, d->young, d->old, d->age_total,
		    d->persons, d->list);
}

int ib_room(ib_store *s, const ib_room_opts *o, ib_room_report **out, ib_error *err)
{
	*out = NULL;
	ib_room_report *r = calloc(1, sizeof *r);
	if (!r)
		return ib_error_set(err, IB_ENOMEM, NULL);
	room_data d;
	memset(&d, 0, sizeof d);
	d.s = s;
	d.o = o;
	d.r = r;
	ib_area_rule *rules = NULL;
	size_t n_rules = 0;
	r->measure = o->measure;
	r->benchmark_name = ib_benchmark_name(o->peer.benchmark);
	int rc = ib_store_find_municipality(s, o->peer.kommune, &r->self, err);
	if (!rc)
		rc = ib_target_groups(&r->groups, &r->n_groups, err);
	if (!rc && o->target_group) {
		size_t i = 0;
		while (i < r->n_groups && strcmp(r->groups[i].name, o->target_group))
			i++;
		if (i == r->n_groups) {
			char names[400] = "";
			size_t k = 0;
			for (size_t j = 0; j < r->n_groups && k < sizeof names; j++)
				k += (size_t)snprintf(names + k, sizeof names - k, "%s%s",
						      j ? ", " : "", r->groups[j].name);
			rc = ib_error_set(
			    err, IB_ENOTFOUND,
			    "unknown target group '%s' (data/target_groups.csv has %s)",
			    o->target_group, names);
		}
	}
	if (!rc)
		rc = ib_area_rules_load(&rules, &n_rules, err);
	if (!rc)
		rc = load_municipalities(&d, err);
	if (!rc && d.self_m < 0)
		rc = ib_error_set(err, IB_ENOTFOUND, "no REGK31 figures for %s", r->self.name);
	if (!rc)
		rc = load_spending(&d, err);
	if (!rc && !d.n_y)
		rc = ib_error_set(err, IB_ENOTFOUND, "no REGK31 figures in the database");
	if (!rc) {
		r->year = o->peer.year ? o->peer.year : d.years[d.n_y - 1];
		if (year_index(&d, r->year) == d.n_y) {
			char years[400] = "";
			size_t k = 0;
			for (size_t i = 0; i < d.n_y && k < sizeof years; i++)
				k += (size_t)snprintf(years + k, sizeof years - k, "%s%d",
						      i ? ", " : "", d.years[i]);
			rc = ib_error_set(err, IB_ENOTFOUND,
					  "no REGK31 figures in %d; years with figures: %s",
					  r->year, years);
		}
	}
	if (!rc)
		rc = load_population(&d, err);
	if (!rc && o->peer.method == IB_PEER_LIST)
		rc = ib_peers_resolve_list(s, &o->peer, &r->self, &d.list, &d.n_list, err);
	if (!rc) {
		r->n_years = d.n_y;
		if (!(r->years = calloc(d.n_y + 1, sizeof *r->years)))
			rc = ib_error_set(err, IB_ENOMEM, NULL);
		else
			memcpy(r->years, d.years, d.n_y * sizeof *r->years);
		snprintf(
		    r->source, sizeof r->source,
		    "Danmarks Statistik, REGK31 %d-%d, nettodriftsudgifter, kr. pr. indbygger, "
		    "løbende priser",
		    d.years[0], d.years[d.n_y - 1]);
	}
	if (!rc)
		rc = build_lines(&d, rules, n_rules, err);
	if (!rc) {
		qsort(r->lines, r->n_lines, sizeof *r->lines, cmp_line);
		for (size_t i = 0; i < r->n_lines; i++) {
			const ib_peer_set *p = r->lines[i].main;
			if (p && !*r->method)
				snprintf(r->method, sizeof r->method, "%s", p->method);
			if (p && !ib_is_na(p->mulighedsrum_kr) && p->mulighedsrum_kr > 0) {
				r->total_positive_kr += p->mulighedsrum_kr;
				r->n_positive++;
			}
		}
		/* the population ideas are projected onto: the latest, as search --for */
		char *src = NULL;
		if (ib_store_population(s, r->self.code, 9999, &r->projection_inhabitants,
					&r->projection_year, &src, NULL) == IB_OK)
			snprintf(r->projection_source, sizeof r->projection_source, "%s",
				 src ? src : "");
		free(src);
	}
	if (!rc && o->n_ideas > 0)
		rc = add_ideas(&d, err);
	data_free(&d);
	free(rules);
	if (rc) {
		ib_room_free(r);
		return rc;
	}
	*out = r;
	return IB_OK;
}

void ib_room_free(ib_room_report *r)
{
	if (!r)
		return;
	IB_FREE_EACH(r->lines, r->n_lines, line_free);
	IB_FREE_ALL(r->years, r->groups, r);
}
