/* dst_convert.c - Statistics Denmark's municipality list, FOLK1A/FOLK1AM population
 * and REGK31 spending, and the agenda portal of every municipality, as kept in
 * shared/data, into the project's reference files. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "csv.h"
#include "ideabank/buf.h"
#include "ideabank/dst.h"
#include "ideabank/num.h"

#define MAX_KOMMUNER 128

typedef struct kommune {
	int code;
	char name[64];
} kommune;

static int load_csv(const char *path, ib_csv *csv, ib_error *err)
{
	ib_buf b;
	ib_buf_init(&b, 0);
	int rc = ib_buf_read_file(&b, path, err);
	if (!rc) {
		rc = ib_csv_parse(b.z, b.n, 0, csv, err);
		if (rc)
			ib_error_prefix(err, "%s", path);
	}
	ib_buf_free(&b);
	return rc;
}

/* Write b to path via path.tmp and rename. */
static int write_atomic(const char *path, const ib_buf *b, ib_error *err)
{
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	FILE *f = fopen(tmp, "wb");
	if (!f)
		return ib_error_set(err, IB_EIO, "cannot write '%s': %s", tmp, strerror(errno));
	size_t w = fwrite(b->z, 1, b->n, f);
	int bad = w != b->n || fclose(f) != 0;
	if (bad || rename(tmp, path) != 0) {
		remove(tmp);
		return ib_error_set(err, IB_EIO, "cannot write '%s': %s", path, strerror(errno));
	}
	return IB_OK;
}

static int municipalities(const char *dir, const char *outdir, kommune *k, int *nk,
			  ib_dst_report *rep, ib_error *err)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/derived/kommuner_master.csv", dir);
	ib_csv csv;
	int rc = load_csv(path, &csv, err);
	if (rc)
		return rc;
	const ib_csv_row *h = csv.n ? &csv.rows[0] : NULL;
	int c_code = h ? ib_csv_col(h, "kommunekode") : -1,
	    c_name = h ? ib_csv_col(h, "kommune") : -1;
	int c_reg = h ? ib_csv_col(h, "region") : -1;
	int c_gk = h ? ib_csv_col(h, "kommunegruppe_kode") : -1;
	int c_g = h ? ib_csv_col(h, "kommunegruppe") : -1;
	if (c_code < 0 || c_name < 0 || c_reg < 0 || c_gk < 0 || c_g < 0) {
		ib_csv_free(&csv);
		return ib_error_set(err, IB_EPARSE, "%s: unexpected header", path);
	}
	ib_buf b;
	ib_buf_init(&b, 0);
	ib_buf_adds(&b, "kommunekode;kommune;region;gruppe_kode;gruppe;kilde\n");
	*nk = 0;
	for (size_t i = 1; i < csv.n && !rc; i++) {
		const ib_csv_row *r = &csv.rows[i];
		if (r->n != h->n || *nk >= MAX_KOMMUNER) {
			rc = ib_error_set(err, IB_EPARSE, "%s:%d: expected %zu fields", path,
					  r->line, h->n);
			break;
		}
		k[*nk].code = atoi(r->f[c_code]);
		snprintf(k[*nk].name, sizeof k[*nk].name, "%s", r->f[c_name]);
		(*nk)++;
		ib_buf_addf(&b,
			    "%s;%s;%s;%s;%s;Danmarks Statistik: Kommunegrupper (nomenklatur) og "
			    "regioner\n",
			    r->f[c_code], r->f[c_name], r->f[c_reg], r->f[c_gk], r->f[c_g]);
		rep->municipalities++;
	}
	ib_csv_free(&csv);
	if (!rc) {
		snprintf(path, sizeof path, "%s/kommuner.csv", outdir);
		rc = write_atomic(path, &b, err);
	}
	ib_buf_free(&b);
	return rc;
}

static int known_code(const kommune *k, int nk, int code)
{
	for (int i = 0; i < nk; i++)
		if (k[i].code == code)
			return 1;
	return 0;
}

static int code_of(const kommune *k, int nk, const char *name)
{
	for (int i = 0; i < nk; i++)
		if (strcmp(k[i].name, name) == 0)
			return k[i].code;
	return 0;
}

/* Population: one row per municipality and year, from the first quarter. */
static int population(const char *dir, const char *outdir, const kommune *k, int nk,
		      ib_dst_report *rep, ib_error *err)
{
	static const char *const files[] = {
	    "derived/folk1a_kommuner_2008K1-2020K3.csv",
	    "derived/folketal_kommuner_2020K4-2026K1.csv",
	};
	ib_buf b;
	ib_buf_init(&b, 0);
	ib_buf_adds(&b, "kommunekode;aar;folketal;kilde\n");
	int rc = IB_OK;
	for (size_t fi = 0; fi < 2 && !rc; fi++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, files[fi]);
		ib_csv csv;
		rc = load_csv(path, &csv, err);
		if (rc)
			break;
		const ib_csv_row *h = csv.n ? &csv.rows[0] : NULL;
		int c_code = h ? ib_csv_col(h, "kommunekode") : -1;
		int c_q = h ? ib_csv_col(h, "kvartal") : -1;
		int c_n = h ? ib_csv_col(h, "folketal") : -1;
		if (c_code < 0 || c_q < 0 || c_n < 0)
			rc = ib_error_set(err, IB_EPARSE, "%s: unexpected header", path);
		for (size_t i = 1; i < csv.n && !rc; i++) {
			const ib_csv_row *r = &csv.rows[i];
			if (r->n != h->n) {
				rc = ib_error_set(err, IB_EPARSE, "%s:%d: expected %zu fields",
						  path, r->line, h->n);
				break;
			}
			const char *q = r->f[c_q];
			int code = atoi(r->f[c_code]);
			/* first quarter only; Christiansø (411) is not a municipality */
			if (strlen(q) != 6 || strcmp(q + 4, "K1") != 0 || !known_code(k, nk, code))
				continue;
			int year = atoi(q);
			double n;
			if (ib_num_parse(r->f[c_n], &n) || n <= 0) {
				rc = ib_error_set(err, IB_EPARSE,
						  "%s:%d: folketal: expected a count, got \"%s\"",
						  path, r->line, r->f[c_n]);
				break;
			}
			/* From 2022 the derived file takes K1 from FOLK1AM's January figure. */
			if (year >= 2022)
				ib_buf_addf(&b, "%03d;%d;%.0f;Danmarks Statistik, FOLK1AM %dM01\n",
					    code, year, n, year);
			else
				ib_buf_addf(&b, "%03d;%d;%.0f;Danmarks Statistik, FOLK1A %dK1\n",
					    code, year, n, year);
			rep->population++;
		}
		ib_csv_free(&csv);
	}
	if (!rc) {
		char path[4096];
		snprintf(path, sizeof path, "%s/folketal.csv", outdir);
		rc = write_atomic(path, &b, err);
	}
	ib_buf_free(&b);
	return rc;
}

static int spending_year(const char *path, int year, const char *outdir, const kommune *k, int nk,
			 ib_dst_report *rep, ib_error *err)
{
	ib_csv csv;
	int rc = load_csv(path, &csv, err);
	if (rc)
		return rc;
	/* A function whose every figure (Hele landet included) is 0 was not published
	   that year (REGK31 2016 has no elderly-care figures): such zeros are not
	   spending, so the function is left out of that year's file and counted. */
	const char *zero_fn[64];
	size_t n_zero = 0;
	for (size_t i = 0; i < csv.n && n_zero < 64; i++) {
		const ib_csv_row *r = &csv.rows[i];
		if (r->n != 5 || (n_zero && strcmp(zero_fn[n_zero - 1], r->f[2]) == 0))
			continue;
		int all_zero = 1;
		for (size_t j = 0; j < csv.n && all_zero; j++)
			if (csv.rows[j].n == 5 && strcmp(csv.rows[j].f[2], r->f[2]) == 0 &&
			    strcmp(csv.rows[j].f[4], "0") != 0)
				all_zero = 0;
		if (all_zero)
			zero_fn[n_zero++] = r->f[2];
	}
	ib_buf b;
	ib_buf_init(&b, 0);
	ib_buf_adds(&b, "kommunekode;aar;funktion;funktionsnavn;kr_pr_indbygger;kilde\n");
	for (size_t i = 0; i < csv.n && !rc; i++) {
		const ib_csv_row *r = &csv.rows[i];
		int unpublished = 0;
		for (size_t z = 0; z < n_zero && r->n == 5; z++)
			unpublished |= strcmp(zero_fn[z], r->f[2]) == 0;
		if (unpublished) {
			if (strcmp(r->f[3], "Hele landet") == 0)
				rep->unpublished_functions++;
			continue;
		}
		if (r->n != 5) {
			rc = ib_error_set(err, IB_EPARSE, "%s:%d: expected 5 fields, got %zu", path,
					  r->line, r->n);
			break;
		}
		if (strcmp(r->f[3], "Hele landet") == 0)
			continue;
		int code = code_of(k, nk, r->f[3]);
		if (!code) {
			rc = ib_error_set(err, IB_EPARSE, "%s:%d: unknown municipality \"%s\"",
					  path, r->line, r->f[3]);
			break;
		}
		const char *fn = r->f[2];
		const char *sp = strchr(fn, ' ');
		double v;
		if (!sp || ib_num_parse(r->f[4], &v)) {
			rc = ib_error_set(err, IB_EPARSE, "%s:%d: cannot read function or value",
					  path, r->line);
			break;
		}
		ib_buf_addf(&b, "%03d;%d;%.*s;%s;%.0f;Danmarks Statistik, REGK31 %d, %s, %s\n",
			    code, year, (int)(sp - fn), fn, sp + 1, v, year, r->f[1], r->f[0]);
		rep->spending++;
	}
	ib_csv_free(&csv);
	if (!rc) {
		char out[4096];
		snprintf(out, sizeof out, "%s/regk31_%d.csv", outdir, year);
		rc = write_atomic(out, &b, err);
	}
	ib_buf_free(&b);
	return rc;
}

static int spending(const char *dir, const char *outdir, const kommune *k, int nk,
		    ib_dst_report *rep, ib_error *err)
{
	char sub[4096];
	snprintf(sub, sizeof sub, "%s/dst-regk31-per-inhabitant", dir);
	DIR *d = opendir(sub);
	if (!d)
		return ib_error_set(err, IB_EIO, "cannot open '%s': %s", sub, strerror(errno));
	int years[32], ny = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL && ny < 32) {
		int y;
		char tail[8];
		if (sscanf(e->d_name, "regk31_%4d.%3s", &y, tail) == 2 && strcmp(tail, "csv") == 0)
			years[ny++] = y;
	}
	closedir(d);
	/* sorted, so the output does not depend on directory order */
	for (int i = 1; i < ny; i++)
		for (int j = i; j > 0 && years[j - 1] > years[j]; j--) {
			int t = years[j];
			years[j] = years[j - 1];
			years[j - 1] = t;
		}
	int rc = IB_OK;
	for (int i = 0; i < ny && !rc; i++) {
		char path[4200];
		snprintf(path, sizeof path, "%s/regk31_%d.csv", sub, years[i]);
		rc = spending_year(path, years[i], outdir, k, nk, rep, err);
		rep->n_spending_years++;
	}
	return rc;
}

/* ---- agenda portals ---------------------------------------------------------------- */

/* The registry code of a municipality as the portal list spells it: the registry's name,
 * or that name with " Kommune" after it ("Nordfyns Kommune"), or the name with or
 * without the genitive s the registry gives some ("Vesthimmerlands"); 0 when none
 * matches. */
static int portal_code(const kommune *k, int nk, const char *name)
{
	char base[128];
	snprintf(base, sizeof base, "%s", name);
	size_t n = strlen(base);
	static const char suffix[] = " Kommune";
	if (n > sizeof suffix - 1 && !strcmp(base + n - (sizeof suffix - 1), suffix))
		base[n -= sizeof suffix - 1] = 0;
	int code = code_of(k, nk, base);
	if (!code && n > 1 && base[n - 1] == 's') {
		base[n - 1] = 0;
		code = code_of(k, nk, base);
	} else if (!code && n + 1 < sizeof base) {
		base[n] = 's', base[n + 1] = 0;
		code = code_of(k, nk, base);
	}
	return code;
}

/* A host name as the list gives it: letters, digits, '.' and '-'. */
static int is_host(const char *z)
{
	if (!z || !*z || strlen(z) > 253)
		return 0;
	for (const char *p = z; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '.' && *p != '-')
			return 0;
	return z[0] != '.' && z[0] != '-';
}

/* A system's name: lowercase letters, digits, '_' and '-' (it becomes a CSV field). */
static int is_system(const char *z)
{
	if (!z || !*z)
		return 0;
	for (const char *p = z; *p; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '_' &&
		    *p != '-')
			return 0;
	return 1;
}

typedef struct portal_row {
	const char *name, *system, *host;
} portal_row;

/* DIR/agenda-portals/dagsorden_portaler.json into OUTDIR/agenda_portals.csv: per
 * municipality of the registry its agenda system ("firstagenda" for a host name, the
 * list's "type" for another system, "none" for null) and host. */
static int agenda_portals(const char *dir, const char *outdir, const kommune *k, int nk,
			  ib_dst_report *rep, ib_error *err)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/agenda-portals/dagsorden_portaler.json", dir);
	ib_buf b;
	ib_buf_init(&b, 0);
	int rc = ib_buf_read_file(&b, path, err);
	cJSON *root = rc ? NULL : cJSON_ParseWithLength(b.z ? b.z : "", b.n);
	ib_buf_free(&b);
	if (rc)
		return rc;
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return ib_error_set(err, IB_EPARSE, "%s: expected a JSON object", path);
	}
	portal_row row[MAX_KOMMUNER] = {{0}};
	const cJSON *e;
	cJSON_ArrayForEach(e, root)
	{
		int code = portal_code(k, nk, e->string);
		int i = 0;
		while (i < nk && k[i].code != code)
			i++;
		if (!code || i == nk) {
			rc = ib_error_set(err, IB_EPARSE,
					  "%s: \"%s\" is not a municipality of the registry", path,
					  e->string);
			break;
		}
		if (row[i].name) {
			rc = ib_error_set(err, IB_EPARSE, "%s: \"%s\" and \"%s\" are both %s", path,
					  row[i].name, e->string, k[i].name);
			break;
		}
		row[i].name = e->string;
		if (cJSON_IsNull(e)) {
			row[i].system = "none";
			row[i].host = "";
		} else if (cJSON_IsString(e)) {
			row[i].system = "firstagenda";
			row[i].host = e->valuestring;
		} else if (cJSON_IsObject(e)) {
			row[i].system =
			    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "type"));
			row[i].host =
			    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "host"));
			if (!row[i].host)
				row[i].host = "";
			if (!is_system(row[i].system) || !strcmp(row[i].system, "none") ||
			    !strcmp(row[i].system, "firstagenda")) {
				rc = ib_error_set(
				    err, IB_EPARSE,
				    "%s: \"%s\": expected a \"type\" naming its system", path,
				    e->string);
				break;
			}
		} else {
			rc = ib_error_set(err, IB_EPARSE,
					  "%s: \"%s\": expected a host name, an object or null",
					  path, e->string);
			break;
		}
		if (*row[i].host && !is_host(row[i].host)) {
			rc = ib_error_set(err, IB_EPARSE, "%s: \"%s\": '%s' is not a host name",
					  path, e->string, row[i].host);
			break;
		}
	}
	ib_buf_init(&b, 0);
	ib_buf_adds(&b, "kommunekode;kommune;system;host;kilde\n");
	for (int i = 0; i < nk && !rc; i++) {
		if (!row[i].name) {
			rc = ib_error_set(err, IB_EPARSE, "%s: no entry for %s (%03d)", path,
					  k[i].name, k[i].code);
			break;
		}
		ib_buf_addf(&b,
			    "%03d;%s;%s;%s;Klimatilpasning/dnnk-klimamonitor-proxy, "
			    "tools/dagsorden_portaler.json\n",
			    k[i].code, k[i].name, row[i].system, row[i].host);
		rep->portals++;
		if (!strcmp(row[i].system, "firstagenda"))
			rep->portals_firstagenda++;
		else if (!strcmp(row[i].system, "none"))
			rep->portals_none++;
	}
	cJSON_Delete(root);
	if (!rc) {
		snprintf(path, sizeof path, "%s/agenda_portals.csv", outdir);
		rc = write_atomic(path, &b, err);
	}
	ib_buf_free(&b);
	return rc;
}

int ib_dst_convert(const char *dir, const char *outdir, ib_dst_report *rep, ib_error *err)
{
	ib_dst_report local = {0};
	if (!rep)
		rep = &local;
	memset(rep, 0, sizeof *rep);
	kommune k[MAX_KOMMUNER];
	int nk = 0;
	int rc = municipalities(dir, outdir, k, &nk, rep, err);
	if (!rc)
		rc = population(dir, outdir, k, nk, rep, err);
	if (!rc)
		rc = spending(dir, outdir, k, nk, rep, err);
	if (!rc)
		rc = agenda_portals(dir, outdir, k, nk, rep, err);
	return rc;
}
