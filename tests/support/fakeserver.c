/* fakeserver.c - a local StatBank look-alike with fault injection.  See fakeserver.h. */
#include <arpa/inet.h>
#include <math.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cJSON.h>
#include <microhttpd.h>
#include <zlib.h>

#include "fakeserver.h"
#include "ideabank/buf.h"
#include "ideabank/error.h"
#include "ideabank/hash.h"

#define MAX_AREAS 128
#define MAX_TIMES 128
#define MAX_FUNS 32
/* REGK31 2016-2024: every year of ../shared/data/dst-regk31-per-inhabitant */
#define N_REGK_YEARS 9
#define FIRST_REGK_YEAR 2016
#define MAX_RULES 16
#define MAX_PORTALS 8
#define MAX_COUNTS 4096

typedef struct fs_value {
	char id[16], text[200];
} fs_value;

typedef struct fs_var {
	const char *id, *text;
	int time;
	fs_value *v;
	size_t n;
} fs_var;

typedef struct fs_table {
	const char *id, *text, *updated;
	fs_var vars[6];
	size_t n_vars;
} fs_table;

typedef struct rule {
	char host[128]; /* "": any host */
	char prefix[128];
	fs_fault f;
	long arg;
	int times;
	char *body;
	size_t len;
	char ctype[64];
} rule;

typedef struct file {
	char path[128];
	char *body;
	size_t len;
	char ctype[64];
} file;

/* A FirstAgenda-style portal under one host name. */
typedef struct portal {
	char host[128];
	char dir[256]; /* recorded answers, under the shared folder */
	char *list;    /* the committee list, only the meetings served */
	size_t list_len;
	char **ids; /* the meetings served */
	size_t n_ids;
} portal;

struct fs_server {
	struct MHD_Daemon *d;
	int port;
	pthread_mutex_t mu;
	/* FOLK1A: areas x quarters; REGK31: areas x functions x years */
	fs_value areas[MAX_AREAS];
	size_t n_areas;
	fs_value quarters[MAX_TIMES];
	size_t n_quarters;
	long pop[MAX_AREAS][MAX_TIMES];
	fs_value funs[MAX_FUNS];
	size_t n_funs;
	fs_value years[N_REGK_YEARS];
	double regk[MAX_AREAS][MAX_FUNS][N_REGK_YEARS];
	fs_value ages[127], sex[3], civil[5], dranst[2], art[2], prisenhed[2];
	fs_table folk1a, regk31;
	rule rules[MAX_RULES];
	file files[16];
	size_t n_files;
	long max_cells;
	char shared[512]; /* the shared data folder: the agenda API's recorded answers */
	portal portals[MAX_PORTALS];
	size_t n_portals;
	/* counters */
	struct {
		char prefix[200];
		long n;
	} counts[MAX_COUNTS];
	size_t n_counts;
	long not_modified, bytes;
	char last_sha[8][2][128]; /* prefix, sha */
	long long last_ms;	  /* the last request's arrival (monotonic ms), 0: none */
	long min_gap_ms;	  /* the shortest time between two arrivals, -1: none */
};

static long long mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

long fs_age_count(int code, int age)
{
	return age > 105 ? 0 : 100 + (code * 31 + age * 17) % 200;
}

/* ---- loading the figures --------------------------------------------------------- */

static int area_index(fs_server *s, const char *code, const char *name)
{
	for (size_t i = 0; i < s->n_areas; i++)
		if (code ? !strcmp(s->areas[i].id, code) : !strcmp(s->areas[i].text, name))
			return (int)i;
	if (!code || s->n_areas == MAX_AREAS)
		return -1;
	snprintf(s->areas[s->n_areas].id, 16, "%s", code);
	snprintf(s->areas[s->n_areas].text, 200, "%s", name);
	return (int)s->n_areas++;
}

static int quarter_index(fs_server *s, const char *q)
{
	for (size_t i = 0; i < s->n_quarters; i++)
		if (!strcmp(s->quarters[i].id, q))
			return (int)i;
	if (s->n_quarters == MAX_TIMES)
		return -1;
	snprintf(s->quarters[s->n_quarters].id, 16, "%s", q);
	snprintf(s->quarters[s->n_quarters].text, 200, "%s", q);
	return (int)s->n_quarters++;
}

static int load_population(fs_server *s, const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	char line[512];
	int first = 1;
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = 0;
		if (first) {
			first = 0;
			continue;
		}
		char *code = strtok(line, ";"), *name = strtok(NULL, ";"), *q = strtok(NULL, ";"),
		     *n = strtok(NULL, ";");
		if (!code || !name || !q || !n)
			continue;
		int a = area_index(s, code, name);
		int t = quarter_index(s, q);
		if (a < 0 || t < 0)
			continue;
		s->pop[a][t] = atol(n);
		s->pop[0][t] += atol(n);
	}
	fclose(f);
	return 0;
}

/* regk31_<year>.csv: "prisenhed","art","x.xx.xx name","område",value */
static int load_regk(fs_server *s, const char *path, int y)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	char line[1024];
	while (fgets(line, sizeof line, f)) {
		char *fld[5];
		int k = 0;
		char *p = line;
		while (k < 5 && *p) {
			if (*p == '"') {
				fld[k++] = ++p;
				p = strchr(p, '"');
				if (!p)
					break;
				*p++ = 0;
				if (*p == ',')
					p++;
			} else {
				fld[k++] = p;
				p[strcspn(p, ",\r\n")] = 0;
				break;
			}
		}
		if (k != 5)
			continue;
		int a = strcmp(fld[3], "Hele landet") ? area_index(s, NULL, fld[3]) : 0;
		size_t fi = 0;
		while (fi < s->n_funs && strcmp(s->funs[fi].text, fld[2]))
			fi++;
		if (fi == s->n_funs && s->n_funs < MAX_FUNS) {
			fs_value *v = &s->funs[s->n_funs++];
			snprintf(v->text, sizeof v->text, "%s", fld[2]);
			/* StatBank's function codes: the digits of "3.22.01" */
			snprintf(v->id, sizeof v->id, "%c%c%c%c%c", fld[2][0], fld[2][2], fld[2][3],
				 fld[2][5], fld[2][6]);
		}
		if (a >= 0 && fi < MAX_FUNS)
			s->regk[a][fi][y] = atof(fld[4]);
	}
	fclose(f);
	return 0;
}

static void set_values(fs_value *v, size_t n, const char *const *pairs)
{
	for (size_t i = 0; i < n; i++) {
		snprintf(v[i].id, sizeof v[i].id, "%s", pairs[2 * i]);
		snprintf(v[i].text, sizeof v[i].text, "%s", pairs[2 * i + 1]);
	}
}

static void build_tables(fs_server *s)
{
	static const char *const sex[] = {"TOT", "I alt", "1", "Mænd", "2", "Kvinder"};
	static const char *const civil[] = {"TOT", "I alt",	     "U", "Ugift",
					    "G",   "Gift/separeret", "E", "Enke/enkemand",
					    "F",   "Fraskilt"};
	static const char *const dranst[] = {"1", "1 Drift", "3", "3 Anlæg"};
	static const char *const art[] = {"TOT", "I alt (netto)", "UE", "Udgifter excl. interne"};
	static const char *const pris[] = {"INDL", "Pr. indbygger, løbende priser (kr.)", "LOBM",
					   "Løbende priser (1.000 kr.)"};
	set_values(s->sex, 3, sex);
	set_values(s->civil, 5, civil);
	set_values(s->dranst, 2, dranst);
	set_values(s->art, 2, art);
	set_values(s->prisenhed, 2, pris);
	snprintf(s->ages[0].id, 16, "IALT");
	snprintf(s->ages[0].text, 200, "Alder i alt");
	for (int a = 0; a < 126; a++) {
		snprintf(s->ages[a + 1].id, 16, "%d", a);
		snprintf(s->ages[a + 1].text, 200, "%d år", a);
	}
	for (int y = 0; y < N_REGK_YEARS; y++) {
		snprintf(s->years[y].id, 16, "%d", FIRST_REGK_YEAR + y);
		snprintf(s->years[y].text, 200, "%d", FIRST_REGK_YEAR + y);
	}
	fs_table *t = &s->folk1a;
	*t = (fs_table){.id = "FOLK1A",
			.text = "Befolkningen den 1. i kvartalet",
			.updated = "2026-08-11T08:00:00",
			.n_vars = 5};
	t->vars[0] = (fs_var){"OMRÅDE", "område", 0, s->areas, s->n_areas};
	t->vars[1] = (fs_var){"KØN", "køn", 0, s->sex, 3};
	t->vars[2] = (fs_var){"ALDER", "alder", 0, s->ages, 127};
	t->vars[3] = (fs_var){"CIVILSTAND", "civilstand", 0, s->civil, 5};
	t->vars[4] = (fs_var){"Tid", "tid", 1, s->quarters, s->n_quarters};
	t = &s->regk31;
	*t = (fs_table){.id = "REGK31",
			.text = "Kommunernes regnskaber på funktioner",
			.updated = "2026-05-22T08:00:00",
			.n_vars = 6};
	t->vars[0] = (fs_var){"OMRÅDE", "område", 0, s->areas, s->n_areas};
	t->vars[1] = (fs_var){"FUNKTION", "funktion", 0, s->funs, s->n_funs};
	t->vars[2] = (fs_var){"DRANST", "dranst", 0, s->dranst, 2};
	t->vars[3] = (fs_var){"ART", "art", 0, s->art, 2};
	t->vars[4] = (fs_var){"PRISENHED", "prisenhed", 0, s->prisenhed, 2};
	t->vars[5] = (fs_var){"Tid", "tid", 1, s->years, N_REGK_YEARS};
}

/* The value of one cell; idx[] has a value index for every variable of t. */
static double cell(fs_server *s, const fs_table *t, const size_t *idx, int age_asked)
{
	if (t == &s->folk1a) {
		if (idx[1] != 0 || idx[3] != 0)
			return NAN;
		if (!age_asked)
			return (double)s->pop[idx[0]][idx[4]];
		if (idx[0] == 0)
			return NAN;
		int code = atoi(s->areas[idx[0]].id);
		if (idx[2] > 0)
			return (double)fs_age_count(code, (int)idx[2] - 1);
		long sum = 0;
		for (int a = 0; a < 126; a++)
			sum += fs_age_count(code, a);
		return (double)sum;
	}
	if (idx[2] != 0 || idx[3] != 0 || idx[4] != 0)
		return NAN;
	return s->regk[idx[0]][idx[1]][idx[5]];
}

/* ---- answers ---------------------------------------------------------------------- */

static char *tableinfo_json(const fs_table *t)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "id", t->id);
	cJSON_AddStringToObject(o, "text", t->text);
	cJSON_AddStringToObject(o, "unit", "-");
	cJSON_AddStringToObject(o, "updated", t->updated);
	cJSON_AddBoolToObject(o, "active", 1);
	cJSON *vars = cJSON_AddArrayToObject(o, "variables");
	for (size_t i = 0; i < t->n_vars; i++) {
		cJSON *v = cJSON_CreateObject();
		cJSON_AddStringToObject(v, "id", t->vars[i].id);
		cJSON_AddStringToObject(v, "text", t->vars[i].text);
		cJSON_AddBoolToObject(v, "elimination", !t->vars[i].time);
		cJSON_AddBoolToObject(v, "time", t->vars[i].time);
		cJSON *vals = cJSON_AddArrayToObject(v, "values");
		for (size_t k = 0; k < t->vars[i].n; k++) {
			cJSON *x = cJSON_CreateObject();
			cJSON_AddStringToObject(x, "id", t->vars[i].v[k].id);
			cJSON_AddStringToObject(x, "text", t->vars[i].v[k].text);
			cJSON_AddItemToArray(vals, x);
		}
		cJSON_AddItemToArray(vars, v);
	}
	char *z = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return z;
}

static void upper(char *out, size_t n, const char *z)
{
	size_t k = 0;
	for (; *z && k + 1 < n; z++) {
		unsigned char c = (unsigned char)*z;
		out[k++] = (char)(c >= 'a' && c <= 'z' ? c - 32 : c);
	}
	out[k] = 0;
}

/* Answer a data request; *status is 200 or 400 (message in the body). */
static char *data_answer(fs_server *s, const char *req, int *status, const char **ctype)
{
	*status = 400;
	*ctype = "text/json; charset=utf-8";
	cJSON *o = cJSON_Parse(req);
	const char *table = o ? cJSON_GetStringValue(cJSON_GetObjectItem(o, "table")) : NULL;
	const char *format = o ? cJSON_GetStringValue(cJSON_GetObjectItem(o, "format")) : NULL;
	const fs_table *t = !table			   ? NULL
			    : !strcasecmp(table, "FOLK1A") ? &s->folk1a
			    : !strcasecmp(table, "REGK31") ? &s->regk31
							   : NULL;
	if (!t || !format) {
		cJSON_Delete(o);
		return strdup(
		    "{\"errorTypeCode\":\"TABLE-NOTFOUND\",\"message\":\"Tabellen findes ikke\"}");
	}
	/* requested variables in request order, each with value indices */
	size_t var_of[6], n_req = 0, *vals[6] = {0}, n_vals[6] = {0};
	double cells = 1;
	const cJSON *v;
	cJSON_ArrayForEach(v, cJSON_GetObjectItem(o, "variables"))
	{
		const char *code = cJSON_GetStringValue(cJSON_GetObjectItem(v, "code"));
		size_t i = 0;
		while (code && i < t->n_vars && strcasecmp(t->vars[i].id, code))
			i++;
		if (!code || i == t->n_vars || n_req == 6)
			goto bad;
		var_of[n_req] = i;
		const cJSON *ids = cJSON_GetObjectItem(v, "values");
		vals[n_req] = calloc((size_t)cJSON_GetArraySize(ids) + 1, sizeof(size_t));
		const cJSON *x;
		cJSON_ArrayForEach(x, ids)
		{
			size_t k = 0;
			while (k < t->vars[i].n &&
			       strcmp(t->vars[i].v[k].id, cJSON_GetStringValue(x)))
				k++;
			if (k == t->vars[i].n)
				goto bad;
			vals[n_req][n_vals[n_req]++] = k;
		}
		cells *= (double)n_vals[n_req];
		n_req++;
	}
	if (cells > (double)s->max_cells) {
		for (size_t i = 0; i < n_req; i++)
			free(vals[i]);
		cJSON_Delete(o);
		return strdup(
		    "{\"errorTypeCode\":\"EXTRACT-TOO-LARGE\",\"message\":\"Der er for mange "
		    "celler i udtrækket\"}");
	}
	int age_asked = 0;
	for (size_t i = 0; i < n_req; i++)
		age_asked |= t == &s->folk1a && var_of[i] == 2;
	ib_buf b;
	ib_buf_init(&b, 0);
	int csv = !strcasecmp(format, "CSV");
	size_t n_cells = (size_t)cells;
	cJSON *js = NULL, *values = NULL;
	if (csv) {
		ib_buf_adds(&b, "\xEF\xBB\xBF");
		for (size_t i = 0; i < n_req; i++) {
			char up[64];
			upper(up, sizeof up, t->vars[var_of[i]].id);
			ib_buf_addf(&b, "%s;", up);
		}
		ib_buf_adds(&b, "INDHOLD\r\n");
	} else {
		js = cJSON_CreateObject();
		cJSON *ds = cJSON_AddObjectToObject(js, "dataset");
		cJSON *dim = cJSON_AddObjectToObject(ds, "dimension");
		cJSON *idl = cJSON_CreateArray(), *szl = cJSON_CreateArray();
		for (size_t i = 0; i < n_req; i++) {
			const fs_var *fv = &t->vars[var_of[i]];
			if (fv->time) {
				cJSON *cc = cJSON_AddObjectToObject(dim, "ContentsCode");
				cJSON_AddStringToObject(cc, "label", "Indhold");
				cJSON *cat = cJSON_AddObjectToObject(cc, "category");
				cJSON_AddNumberToObject(cJSON_AddObjectToObject(cat, "index"),
							t->id, 0);
				cJSON_AddStringToObject(cJSON_AddObjectToObject(cat, "label"),
							t->id, t->text);
				cJSON_AddItemToArray(idl, cJSON_CreateString("ContentsCode"));
				cJSON_AddItemToArray(szl, cJSON_CreateNumber(1));
			}
			cJSON *d = cJSON_AddObjectToObject(dim, fv->id);
			cJSON_AddStringToObject(d, "label", fv->text);
			cJSON *cat = cJSON_AddObjectToObject(d, "category");
			cJSON *ix = cJSON_AddObjectToObject(cat, "index");
			cJSON *lb = cJSON_AddObjectToObject(cat, "label");
			for (size_t k = 0; k < n_vals[i]; k++) {
				cJSON_AddNumberToObject(ix, fv->v[vals[i][k]].id, (double)k);
				cJSON_AddStringToObject(lb, fv->v[vals[i][k]].id,
							fv->v[vals[i][k]].text);
			}
			cJSON_AddItemToArray(idl, cJSON_CreateString(fv->id));
			cJSON_AddItemToArray(szl, cJSON_CreateNumber((double)n_vals[i]));
		}
		cJSON_AddItemToObject(dim, "id", idl);
		cJSON_AddItemToObject(dim, "size", szl);
		cJSON_AddStringToObject(ds, "label", t->text);
		cJSON_AddStringToObject(ds, "source", "Danmarks Statistik");
		cJSON_AddStringToObject(ds, "updated", t->updated);
		values = cJSON_AddArrayToObject(ds, "value");
	}
	for (size_t c = 0; c < n_cells; c++) {
		size_t idx[6] = {0}, rest = c, pos[6];
		for (size_t i = n_req; i-- > 0;) {
			pos[i] = rest % n_vals[i];
			rest /= n_vals[i];
			idx[var_of[i]] = vals[i][pos[i]];
		}
		double x = cell(s, t, idx, age_asked);
		if (csv) {
			for (size_t i = 0; i < n_req; i++)
				ib_buf_addf(&b, "%s;", t->vars[var_of[i]].v[idx[var_of[i]]].text);
			if (isnan(x))
				ib_buf_adds(&b, "..\r\n");
			else
				ib_buf_addf(&b, "%.0f\r\n", x);
		} else {
			cJSON_AddItemToArray(values,
					     isnan(x) ? cJSON_CreateNull() : cJSON_CreateNumber(x));
		}
	}
	for (size_t i = 0; i < n_req; i++)
		free(vals[i]);
	cJSON_Delete(o);
	*status = 200;
	if (csv) {
		*ctype = "text/csv; charset=utf-8";
		return ib_buf_detach(&b);
	}
	char *z = cJSON_PrintUnformatted(js);
	cJSON_Delete(js);
	return z;
bad:
	for (size_t i = 0; i < 6; i++)
		free(vals[i]);
	cJSON_Delete(o);
	return strdup("{\"errorTypeCode\":\"VALUE-NOTFOUND\",\"message\":\"Ukendt variabel eller "
		      "værdi\"}");
}

/* ---- HTTP ------------------------------------------------------------------------ */

typedef struct conn {
	ib_buf body;
} conn;

typedef struct cut_body {
	char *z;
	size_t n;
} cut_body;

static ssize_t trunc_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	cut_body *t = cls;
	if (pos >= t->n / 2)
		return MHD_CONTENT_READER_END_WITH_ERROR;
	size_t k = t->n / 2 - (size_t)pos;
	if (k > max)
		k = max;
	memcpy(buf, t->z + pos, k);
	return (ssize_t)k;
}

static ssize_t chunk_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	size_t total = (size_t)(uintptr_t)cls;
	if (pos >= total)
		return MHD_CONTENT_READER_END_OF_STREAM;
	size_t k = total - (size_t)pos < max ? total - (size_t)pos : max;
	memset(buf, 'x', k);
	return (ssize_t)k;
}

static ssize_t trickle_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	size_t total = (size_t)(uintptr_t)cls;
	if (pos >= total)
		return MHD_CONTENT_READER_END_OF_STREAM;
	if (max == 0)
		return 0;
	usleep(200000);
	buf[0] = 'x';
	return 1;
}

static void trunc_free(void *cls)
{
	cut_body *t = cls;
	free(t->z);
	free(t);
}

static void count(fs_server *s, const char *path)
{
	for (size_t i = 0; i < s->n_counts; i++)
		if (!strcmp(s->counts[i].prefix, path)) {
			s->counts[i].n++;
			return;
		}
	if (s->n_counts < MAX_COUNTS) {
		snprintf(s->counts[s->n_counts].prefix, sizeof s->counts[0].prefix, "%s", path);
		s->counts[s->n_counts++].n = 1;
	}
}

static void remember_sha(fs_server *s, const char *path, const char *sha)
{
	for (int i = 0; i < 8; i++)
		if (!s->last_sha[i][0][0] || !strcmp(s->last_sha[i][0], path)) {
			snprintf(s->last_sha[i][0], 128, "%s", path);
			snprintf(s->last_sha[i][1], 128, "%s", sha);
			return;
		}
}

/* ---- the agenda API (FirstAgenda-style, Greve's recorded answers) ---------------- */

/* The whole file at path, gunzipped when gz; NULL when missing or damaged. */
static char *read_body(const char *path, int gz, size_t *len)
{
	ib_buf b;
	ib_buf_init(&b, 64u << 20);
	char chunk[65536];
	int n, ok = 1;
	if (gz) {
		gzFile f = gzopen(path, "rb");
		if (!f)
			return NULL;
		while ((n = gzread(f, chunk, sizeof chunk)) > 0 && ok)
			ok = ib_buf_add(&b, chunk, (size_t)n) == IB_OK;
		ok &= n == 0;
		gzclose(f);
	} else {
		FILE *f = fopen(path, "rb");
		if (!f)
			return NULL;
		size_t k;
		while ((k = fread(chunk, 1, sizeof chunk, f)) > 0 && ok)
			ok = ib_buf_add(&b, chunk, k) == IB_OK;
		fclose(f);
	}
	if (!ok) {
		ib_buf_free(&b);
		return NULL;
	}
	*len = b.n;
	char *z = malloc(b.n + 1);
	if (z) {
		memcpy(z, b.z ? b.z : "", b.n);
		z[b.n] = 0;
	}
	ib_buf_free(&b);
	return z;
}

/* /api/agenda/udvalgsliste and /api/agenda/dagsorden/{id}: NULL when url is neither or
 * the meeting is not recorded. */
static char *agenda_answer(fs_server *s, const char *url, size_t *len)
{
	char path[1024];
	const char *id = NULL;
	if (!strcmp(url, "/api/agenda/udvalgsliste")) {
		snprintf(path, sizeof path, "%s/data/greve-agendas/udvalgsliste.json", s->shared);
		return read_body(path, 0, len);
	}
	if (strncmp(url, "/api/agenda/dagsorden/", 22))
		return NULL;
	id = url + 22;
	if (!*id || strlen(id) > 64 || strspn(id, "0123456789abcdef-") != strlen(id))
		return NULL;
	snprintf(path, sizeof path, "%s/data/greve-agendas/dagsorden/%s.json.gz", s->shared, id);
	return read_body(path, 1, len);
}

/* The portal registered for host, or NULL. */
static portal *portal_of(fs_server *s, const char *host)
{
	for (size_t i = 0; *host && i < s->n_portals; i++)
		if (!strcmp(s->portals[i].host, host))
			return &s->portals[i];
	return NULL;
}

/* A portal's /api/agenda/udvalgsliste and /api/agenda/dagsorden/{id} (only the
 * meetings it serves): NULL when url is neither or the meeting is not served. */
static char *portal_answer(fs_server *s, const portal *pt, const char *url, size_t *len)
{
	if (!strcmp(url, "/api/agenda/udvalgsliste")) {
		char *z = malloc(pt->list_len + 1);
		if (z) {
			memcpy(z, pt->list, pt->list_len + 1);
			*len = pt->list_len;
		}
		return z;
	}
	if (strncmp(url, "/api/agenda/dagsorden/", 22))
		return NULL;
	const char *id = url + 22;
	for (size_t i = 0; i < pt->n_ids; i++) {
		if (strcmp(pt->ids[i], id))
			continue;
		char path[1024];
		snprintf(path, sizeof path, "%s/%s/dagsorden/%s.json.gz", s->shared, pt->dir, id);
		char *z = read_body(path, 1, len);
		if (!z) {
			snprintf(path, sizeof path, "%s/%s/dagsorden/%s.json", s->shared, pt->dir,
				 id);
			z = read_body(path, 0, len);
		}
		return z;
	}
	return NULL;
}

static enum MHD_Result send_simple(struct MHD_Connection *c, int status, const char *body,
				   const char *ctype)
{
	struct MHD_Response *r =
	    MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_MUST_COPY);
	if (ctype)
		MHD_add_response_header(r, "Content-Type", ctype);
	enum MHD_Result ok = MHD_queue_response(c, (unsigned)status, r);
	MHD_destroy_response(r);
	return ok;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload,
			      size_t *upload_size, void **con_cls)
{
	(void)version;
	fs_server *s = cls;
	conn *k = *con_cls;
	if (!k) {
		k = calloc(1, sizeof *k);
		ib_buf_init(&k->body, 1 << 20);
		*con_cls = k;
		return MHD_YES;
	}
	if (*upload_size) {
		ib_buf_add(&k->body, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	/* the host asked for, without its port: a portal's, or another */
	const char *host_hdr = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
	char host[128];
	snprintf(host, sizeof host, "%.*s", host_hdr ? (int)strcspn(host_hdr, ":") : 0,
		 host_hdr ? host_hdr : "");
	pthread_mutex_lock(&s->mu);
	long long now = mono_ms();
	if (s->last_ms && (s->min_gap_ms < 0 || now - s->last_ms < s->min_gap_ms))
		s->min_gap_ms = (long)(now - s->last_ms);
	s->last_ms = now;
	portal *pt = portal_of(s, host);
	count(s, url);
	if (pt) {
		char hp[400];
		snprintf(hp, sizeof hp, "%s%s", host, url);
		count(s, hp);
	}
	rule r = {0};
	for (int i = 0; i < MAX_RULES; i++)
		if (s->rules[i].times > 0 &&
		    (!s->rules[i].host[0] || !strcmp(s->rules[i].host, host)) &&
		    !strncmp(url, s->rules[i].prefix, strlen(s->rules[i].prefix))) {
			s->rules[i].times--;
			r = s->rules[i];
			if (r.body && (r.body = malloc(s->rules[i].len + 1)))
				memcpy(r.body, s->rules[i].body, s->rules[i].len);
			break;
		}
	pthread_mutex_unlock(&s->mu);

	switch (r.f) {
	case FS_STATUS_500:
		return send_simple(c, 500, "Internal Server Error", "text/plain");
	case FS_429: {
		struct MHD_Response *resp =
		    MHD_create_response_from_buffer(4, (void *)"slow", MHD_RESPMEM_PERSISTENT);
		char ra[32];
		snprintf(ra, sizeof ra, "%ld", r.arg);
		MHD_add_response_header(resp, "Retry-After", ra);
		enum MHD_Result ok = MHD_queue_response(c, 429, resp);
		MHD_destroy_response(resp);
		return ok;
	}
	case FS_SLOW:
		usleep((useconds_t)r.arg * 1000);
		break;
	case FS_REDIRECT_LOOP: {
		struct MHD_Response *resp =
		    MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
		MHD_add_response_header(resp, "Location", url);
		enum MHD_Result ok = MHD_queue_response(c, 302, resp);
		MHD_destroy_response(resp);
		return ok;
	}
	case FS_BIG_CHUNKED: {
		struct MHD_Response *resp = MHD_create_response_from_callback(
		    MHD_SIZE_UNKNOWN, 4096, chunk_read, (void *)(uintptr_t)r.arg, NULL);
		enum MHD_Result ok = MHD_queue_response(c, 200, resp);
		MHD_destroy_response(resp);
		return ok;
	}
	case FS_TRICKLE: {
		struct MHD_Response *resp = MHD_create_response_from_callback(
		    MHD_SIZE_UNKNOWN, 64, trickle_read, (void *)(uintptr_t)r.arg, NULL);
		enum MHD_Result ok = MHD_queue_response(c, 200, resp);
		MHD_destroy_response(resp);
		return ok;
	}
	case FS_BIG: {
		struct MHD_Response *resp = MHD_create_response_from_callback(
		    (uint64_t)r.arg, 4096, chunk_read, (void *)(uintptr_t)r.arg, NULL);
		enum MHD_Result ok = MHD_queue_response(c, 200, resp);
		MHD_destroy_response(resp);
		return ok;
	}
	default:
		break;
	}

	/* a portal: its front page sets the session cookie, its API wants it */
	if (pt || !strcmp(url, "/")) {
		const char *cookie =
		    MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "FirstAgendaSession");
		int session = pt && cookie && !strcmp(cookie, host) && r.f != FS_NO_SESSION;
		if (!strcmp(url, "/")) {
			static const char page[] =
			    "<!DOCTYPE html><html><head><title>Dagsordener og referater</title>"
			    "</head><body><h1>Dagsordener og referater</h1></body></html>";
			struct MHD_Response *resp = MHD_create_response_from_buffer(
			    sizeof page - 1, (void *)page, MHD_RESPMEM_PERSISTENT);
			MHD_add_response_header(resp, "Content-Type", "text/html; charset=utf-8");
			if (pt && r.f != FS_NO_SESSION) {
				char set[300];
				snprintf(set, sizeof set, "FirstAgendaSession=%s; path=/; HttpOnly",
					 host);
				MHD_add_response_header(resp, "Set-Cookie", set);
			}
			enum MHD_Result ok = MHD_queue_response(c, 200, resp);
			MHD_destroy_response(resp);
			free(r.body);
			return ok;
		}
		if (!session && !strncmp(url, "/api/", 5)) {
			static const char moved[] =
			    "<html><head><title>Object moved</title></head><body>"
			    "<h2>Object moved to <a href=\"/\">here</a>.</h2></body></html>";
			struct MHD_Response *resp = MHD_create_response_from_buffer(
			    sizeof moved - 1, (void *)moved, MHD_RESPMEM_PERSISTENT);
			MHD_add_response_header(resp, "Content-Type", "text/html; charset=utf-8");
			MHD_add_response_header(resp, "Location", "/");
			enum MHD_Result ok = MHD_queue_response(c, 302, resp);
			MHD_destroy_response(resp);
			free(r.body);
			return ok;
		}
	}

	char *body = NULL;
	size_t len = 0;
	int status = 200;
	const char *ctype = "text/json; charset=utf-8";
	if (r.f == FS_BODY) {
		body = r.body;
		len = r.len;
		ctype = r.ctype;
		r.body = NULL;
	} else if (!strcmp(url, "/v1/tableinfo")) {
		const char *id = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "id");
		const fs_table *t = !id				? NULL
				    : !strcasecmp(id, "FOLK1A") ? &s->folk1a
				    : !strcasecmp(id, "REGK31") ? &s->regk31
								: NULL;
		if (t) {
			body = tableinfo_json(t);
		} else {
			body = strdup("{\"errorTypeCode\":\"TABLE-NOTFOUND\",\"message\":"
				      "\"Tabellen findes ikke\"}");
			status = 400;
		}
		len = strlen(body);
	} else if (!strcmp(url, "/v1/data") && !strcmp(method, "POST")) {
		body = data_answer(s, ib_buf_str(&k->body), &status, &ctype);
		len = strlen(body);
	} else {
		pthread_mutex_lock(&s->mu);
		/* a registered file takes precedence (a test's changed meeting) */
		for (size_t i = 0; i < s->n_files; i++)
			if (!strcmp(s->files[i].path, url)) {
				body = malloc(s->files[i].len + 1);
				memcpy(body, s->files[i].body, s->files[i].len);
				len = s->files[i].len;
				ctype = s->files[i].ctype;
			}
		pthread_mutex_unlock(&s->mu);
		if (!body &&
		    (body = pt ? portal_answer(s, pt, url, &len) : agenda_answer(s, url, &len)))
			ctype = "application/json; charset=utf-8";
		if (!body) {
			free(r.body);
			return send_simple(c, 404, "Not Found", "text/plain");
		}
	}
	free(r.body);
	char sha[65], etag[80];
	ib_sha256_hex(body, len, sha);
	snprintf(etag, sizeof etag, "\"%.16s\"", sha);
	const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
	struct MHD_Response *resp;
	if (status == 200 && r.f == FS_TRUNCATE) {
		cut_body *t = malloc(sizeof *t);
		t->z = body;
		t->n = len;
		resp = MHD_create_response_from_callback(len, 4096, trunc_read, t, trunc_free);
	} else if (status == 200 && inm && !strcmp(inm, etag)) {
		free(body);
		pthread_mutex_lock(&s->mu);
		s->not_modified++;
		pthread_mutex_unlock(&s->mu);
		resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
		status = 304;
	} else {
		resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
		if (status == 200) {
			pthread_mutex_lock(&s->mu);
			s->bytes += (long)len;
			remember_sha(s, url, sha);
			pthread_mutex_unlock(&s->mu);
		}
	}
	MHD_add_response_header(resp, "Content-Type", ctype);
	if (status == 200 || status == 304) {
		MHD_add_response_header(resp, "ETag", etag);
		MHD_add_response_header(resp, "Last-Modified", "Mon, 11 Aug 2026 08:00:00 GMT");
	}
	enum MHD_Result ok = MHD_queue_response(c, (unsigned)status, resp);
	MHD_destroy_response(resp);
	return ok;
}

static void done_cb(void *cls, struct MHD_Connection *c, void **con_cls,
		    enum MHD_RequestTerminationCode toe)
{
	(void)cls, (void)c, (void)toe;
	conn *k = *con_cls;
	if (k) {
		ib_buf_free(&k->body);
		free(k);
		*con_cls = NULL;
	}
}

fs_server *fs_start(const char *shared)
{
	fs_server *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	pthread_mutex_init(&s->mu, NULL);
	s->max_cells = 1000000;
	s->min_gap_ms = -1;
	snprintf(s->shared, sizeof s->shared, "%s", shared);
	area_index(s, "000", "Hele landet");
	char path[1024];
	snprintf(path, sizeof path, "%s/data/derived/folk1a_kommuner_2008K1-2020K3.csv", shared);
	int bad = load_population(s, path);
	snprintf(path, sizeof path, "%s/data/derived/folketal_kommuner_2020K4-2026K1.csv", shared);
	bad |= load_population(s, path);
	for (int y = 0; y < N_REGK_YEARS && !bad; y++) {
		snprintf(path, sizeof path, "%s/data/dst-regk31-per-inhabitant/regk31_%d.csv",
			 shared, FIRST_REGK_YEAR + y);
		bad |= load_regk(s, path, y);
	}
	if (bad) {
		free(s);
		return NULL;
	}
	build_tables(s);
	struct sockaddr_in addr = {0};
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	addr.sin_port = 0;
	s->d = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD, 0,
				NULL, NULL, handle, s, MHD_OPTION_SOCK_ADDR, &addr,
				MHD_OPTION_NOTIFY_COMPLETED, done_cb, s, MHD_OPTION_END);
	if (!s->d) {
		free(s);
		return NULL;
	}
	s->port = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT)->port;
	return s;
}

void fs_stop(fs_server *s)
{
	if (!s)
		return;
	MHD_stop_daemon(s->d);
	for (int i = 0; i < MAX_RULES; i++)
		free(s->rules[i].body);
	for (size_t i = 0; i < s->n_files; i++)
		free(s->files[i].body);
	for (size_t i = 0; i < s->n_portals; i++) {
		free(s->portals[i].list);
		for (size_t k = 0; k < s->portals[i].n_ids; k++)
			free(s->portals[i].ids[k]);
		free(s->portals[i].ids);
	}
	pthread_mutex_destroy(&s->mu);
	free(s);
}

int fs_port(const fs_server *s)
{
	return s->port;
}

static rule *free_rule(fs_server *s)
{
	for (int i = 0; i < MAX_RULES; i++)
		if (s->rules[i].times <= 0) {
			free(s->rules[i].body);
			memset(&s->rules[i], 0, sizeof s->rules[i]);
			return &s->rules[i];
		}
	return &s->rules[MAX_RULES - 1];
}

void fs_fault_set(fs_server *s, const char *prefix, fs_fault f, long arg, int times)
{
	pthread_mutex_lock(&s->mu);
	rule *r = free_rule(s);
	snprintf(r->prefix, sizeof r->prefix, "%s", prefix);
	r->f = f;
	r->arg = arg;
	r->times = times;
	pthread_mutex_unlock(&s->mu);
}

void fs_faults_clear(fs_server *s)
{
	pthread_mutex_lock(&s->mu);
	for (int i = 0; i < MAX_RULES; i++)
		s->rules[i].times = 0;
	pthread_mutex_unlock(&s->mu);
}

void fs_fault_host(fs_server *s, const char *host, const char *prefix, fs_fault f, long arg,
		   int times)
{
	pthread_mutex_lock(&s->mu);
	rule *r = free_rule(s);
	snprintf(r->host, sizeof r->host, "%s", host);
	snprintf(r->prefix, sizeof r->prefix, "%s", prefix);
	r->f = f;
	r->arg = arg;
	r->times = times;
	pthread_mutex_unlock(&s->mu);
}

int fs_portal(fs_server *s, const char *host, const char *dir, const char *from, const char *to)
{
	if (s->n_portals == MAX_PORTALS)
		return -1;
	char path[1024];
	snprintf(path, sizeof path, "%s/%s/udvalgsliste.json", s->shared, dir);
	size_t len = 0;
	char *text = read_body(path, 0, &len);
	cJSON *root = text ? cJSON_ParseWithLength(text, len) : NULL;
	free(text);
	cJSON *u = cJSON_GetObjectItemCaseSensitive(root, "Udvalg");
	if (!cJSON_IsObject(u)) {
		cJSON_Delete(root);
		return -1;
	}
	portal pt = {0};
	snprintf(pt.host, sizeof pt.host, "%s", host);
	snprintf(pt.dir, sizeof pt.dir, "%s", dir);
	cJSON *group, *c;
	cJSON_ArrayForEach(group, u)
	{
		cJSON_ArrayForEach(c, group)
		{
			cJSON *moeder = cJSON_GetObjectItemCaseSensitive(c, "Moeder");
			for (cJSON *m = moeder ? moeder->child : NULL, *next; m; m = next) {
				next = m->next;
				const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(m, "Id"));
				const char *when =
				    cJSON_GetStringValue(cJSON_GetObjectItem(m, "Dato"));
				char date[11] = "";
				if (when)
					snprintf(date, sizeof date, "%s", when);
				if (!id || (from && strcmp(date, from) < 0) ||
				    (to && strcmp(date, to) > 0)) {
					cJSON_Delete(cJSON_DetachItemViaPointer(moeder, m));
					continue;
				}
				char **v = realloc(pt.ids, (pt.n_ids + 1) * sizeof *v);
				if (!v)
					continue;
				pt.ids = v;
				pt.ids[pt.n_ids++] = strdup(id);
			}
		}
	}
	pt.list = cJSON_PrintUnformatted(root);
	pt.list_len = pt.list ? strlen(pt.list) : 0;
	cJSON_Delete(root);
	pthread_mutex_lock(&s->mu);
	s->portals[s->n_portals++] = pt;
	pthread_mutex_unlock(&s->mu);
	return (int)pt.n_ids;
}

const char *fs_portal_meeting(fs_server *s, const char *host, int i)
{
	portal *pt = portal_of(s, host);
	return pt && i >= 0 && (size_t)i < pt->n_ids ? pt->ids[i] : NULL;
}

void fs_fault_body(fs_server *s, const char *prefix, const char *body, size_t len,
		   const char *content_type, int times)
{
	pthread_mutex_lock(&s->mu);
	rule *r = free_rule(s);
	snprintf(r->prefix, sizeof r->prefix, "%s", prefix);
	r->f = FS_BODY;
	r->times = times;
	r->body = malloc(len + 1);
	memcpy(r->body, body, len);
	r->len = len;
	snprintf(r->ctype, sizeof r->ctype, "%s", content_type);
	pthread_mutex_unlock(&s->mu);
}

void fs_file(fs_server *s, const char *path, const char *body, size_t len, const char *content_type)
{
	pthread_mutex_lock(&s->mu);
	file *f = NULL;
	for (size_t i = 0; i < s->n_files && !f; i++)
		if (!strcmp(s->files[i].path, path))
			f = &s->files[i];
	if (!f && s->n_files < 16)
		f = &s->files[s->n_files++];
	if (f) {
		free(f->body);
		snprintf(f->path, sizeof f->path, "%s", path);
		f->body = malloc(len + 1);
		memcpy(f->body, body, len);
		f->len = len;
		snprintf(f->ctype, sizeof f->ctype, "%s", content_type);
	}
	pthread_mutex_unlock(&s->mu);
}

void fs_max_cells(fs_server *s, long n)
{
	s->max_cells = n;
}

long fs_requests(fs_server *s, const char *prefix)
{
	long n = 0;
	pthread_mutex_lock(&s->mu);
	for (size_t i = 0; i < s->n_counts; i++)
		if (!strncmp(s->counts[i].prefix, prefix, strlen(prefix)))
			n += s->counts[i].n;
	pthread_mutex_unlock(&s->mu);
	return n;
}

long fs_min_gap_ms(fs_server *s)
{
	pthread_mutex_lock(&s->mu);
	long n = s->min_gap_ms;
	pthread_mutex_unlock(&s->mu);
	return n;
}

long fs_not_modified(fs_server *s)
{
	return s->not_modified;
}

long fs_bytes_sent(fs_server *s)
{
	return s->bytes;
}

const char *fs_last_sha(fs_server *s, const char *prefix)
{
	for (int i = 0; i < 8; i++)
		if (!strcmp(s->last_sha[i][0], prefix))
			return s->last_sha[i][1];
	return "";
}
