/* fetch.c - `ideabank fetch`: sources config, two download rounds (metadata and
 * documents, then StatBank data), one transaction per source; agenda portals (from
 * the config, or every municipality's with --agendas) one session per host, several
 * hosts at once.  See fetch.h. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cJSON.h>

#include "ideabank/array.h"
#include "ideabank/buf.h"
#include "ideabank/fetch.h"
#include "ideabank/hash.h"
#include "ideabank/import.h"
#include "ideabank/init.h"
#include "ideabank/portals.h"
#include "ideabank/progress.h"
#include "ideabank/statbank.h"

extern const char ib_sources_json[]; /* data/sources.json, built in by the Makefile */

#define MAX_SELECT 12

typedef enum src_kind { SRC_STATBANK, SRC_FEED, SRC_DOCUMENT, SRC_AGENDA } src_kind;
typedef enum sb_use { USE_POPULATION, USE_AGE, USE_SPENDING } sb_use;

typedef struct source {
	char *name;
	src_kind kind;
	char *url;    /* feed or document URL; StatBank: the API's base URL */
	char *format; /* feed: "jsonl"/"csv"; StatBank: "CSV"/"JSONSTAT" */
	/* StatBank */
	char *table;
	sb_use use;
	char *sel_var[MAX_SELECT];
	char **sel_val[MAX_SELECT];
	size_t sel_n[MAX_SELECT], n_sel;
	char *lang;
	long max_cells;
	/* agenda: url is the API base ({base}/udvalgsliste, {base}/dagsorden/{id}) */
	int kommunekode;
	char *site;	  /* the portal as requested: front page {site}/, attachments
			     {site}/vis/pdf/bilag/{id}/ */
	char *cite;	  /* the portal as its items are cited ({cite}/vis?id=...) */
	char *host;	  /* the portal's host: one session and one request at a time */
	char *connect_to; /* tests: the curl CONNECT_TO entry of the host, or NULL */
	char *system;	  /* --agendas: a portal's system that is not supported, or NULL */
	struct host *h;	  /* while the agendas run: the host's state, shared with the
			     other sources on it */
	char *from, *to;
	char **committees;
	size_t n_committees;
	long delay_ms;
	int attachments;
	int enabled;
	char **m_url; /* meetings */
	ib_http_resp *m_resp;
	size_t n_m;
	/* state */
	ib_fetch_source_report *rep;
	int failed;
	int unresolved;		 /* it failed because its host's name could not be resolved */
	int resolved;		 /* a request of it reached its host (the name resolved) */
	size_t first_req, n_req; /* this source's requests in the current round */
	ib_sb_tableinfo info;
	ib_http_resp meta; /* tableinfo, or the feed/document body */
	char **bodies;	   /* StatBank data request bodies */
	size_t n_bodies;
	ib_http_resp *data;	/* their answers */
	char *dl_dir, *dl_file; /* feed: the private directory and file its body goes to */
} source;

typedef struct config {
	source *src;
	size_t n;
} config;

static void source_free(source *s)
{
	IB_FREE_ALL(s->name, s->url, s->format, s->table, s->lang);
	for (size_t i = 0; i < s->n_sel; i++) {
		ib_strings_free(s->sel_val[i], s->sel_n[i]);
		free(s->sel_var[i]);
	}
	ib_sb_tableinfo_free(&s->info);
	ib_http_resp_free(&s->meta);
	for (size_t i = 0; i < s->n_bodies; i++) {
		free(s->bodies[i]);
		if (s->data)
			ib_http_resp_free(&s->data[i]);
	}
	IB_FREE_ALL(s->bodies, s->data, s->site, s->cite, s->host, s->connect_to, s->system,
		    s->from, s->to);
	ib_strings_free(s->committees, s->n_committees);
	for (size_t i = 0; i < s->n_m; i++) {
		free(s->m_url[i]);
		if (s->m_resp)
			ib_http_resp_free(&s->m_resp[i]);
	}
	free(s->m_url);
	free(s->m_resp);
	if (s->dl_file)
		remove(s->dl_file);
	if (s->dl_dir)
		rmdir(s->dl_dir);
	free(s->dl_file);
	free(s->dl_dir);
}

static void config_free(config *c)
{
	IB_FREE_EACH(c->src, c->n, source_free);
}

void ib_fetch_opts_default(ib_fetch_opts *o)
{
	memset(o, 0, sizeof *o);
	o->config_name = "data/sources.json (built in)";
	o->delay_ms = -1;
	o->max_hosts = 4;
	ib_http_opts_default(&o->http);
}

void ib_fetch_report_free(ib_fetch_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		IB_FREE_ALL(r->src[i].name, r->src[i].what, r->src[i].error, r->src[i].system);
		ib_agenda_report_free(r->src[i].agenda);
		free(r->src[i].agenda);
		ib_strings_free(r->src[i].notes, r->src[i].n_notes);
	}
	free(r->src);
	memset(r, 0, sizeof *r);
}

/* ---- the config --------------------------------------------------------------- */

static int cfg_err(ib_error *err, const char *cfg, const char *where, const char *fmt,
		   const char *arg)
{
	char msg[400];
	snprintf(msg, sizeof msg, fmt, arg);
	return ib_error_set(err, IB_EPARSE, "%s: %s: %s", cfg, where, msg);
}

static int keys_allowed(const cJSON *o, const char *const *allowed, const char *cfg,
			const char *where, ib_error *err)
{
	const cJSON *k;
	cJSON_ArrayForEach(k, o)
	{
		int ok = 0;
		for (const char *const *a = allowed; *a && !ok; a++)
			ok = !strcmp(*a, k->string);
		if (!ok)
			return cfg_err(err, cfg, where, "unknown key '%s'", k->string);
	}
	return IB_OK;
}

static const char *get_s(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int is_http_url(const char *z)
{
	return z && (!strncmp(z, "http://", 7) || !strncmp(z, "https://", 8));
}

static int parse_select(source *s, const cJSON *sel, const char *cfg, const char *where,
			ib_error *err)
{
	const cJSON *v;
	cJSON_ArrayForEach(v, sel)
	{
		if (s->n_sel == MAX_SELECT)
			return cfg_err(err, cfg, where, "more than %s variables in 'select'", "12");
		size_t i = s->n_sel;
		size_t n = cJSON_IsArray(v) ? (size_t)cJSON_GetArraySize(v) : 1;
		if (!cJSON_IsArray(v) && !cJSON_IsString(v))
			return cfg_err(err, cfg, where,
				       "select.%s: expected a value or a list of values",
				       v->string);
		if (n == 0)
			return cfg_err(err, cfg, where, "select.%s: empty list", v->string);
		s->sel_var[i] = strdup(v->string);
		s->sel_val[i] = calloc(n, sizeof(char *));
		s->n_sel++;
		if (!s->sel_var[i] || !s->sel_val[i])
			return ib_error_set(err, IB_ENOMEM, NULL);
		const cJSON *x = cJSON_IsArray(v) ? v->child : v;
		for (size_t k = 0; k < n; k++, x = x->next) {
			if (!cJSON_IsString(x))
				return cfg_err(err, cfg, where, "select.%s: values must be strings",
					       v->string);
			if (!(s->sel_val[i][k] = strdup(x->valuestring)))
				return ib_error_set(err, IB_ENOMEM, NULL);
			s->sel_n[i]++;
		}
	}
	return IB_OK;
}

static int has_select(const source *s, const char *var)
{
	for (size_t i = 0; i < s->n_sel; i++)
		if (ib_sb_same_id(s->sel_var[i], var))
			return 1;
	return 0;
}

/* An agenda source: the API base, the municipality, optional dates, committees, delay
 * and whether attachments are read. */
static int parse_agenda(source *s, const cJSON *o, const char *base, const char *cfg,
			const char *where, ib_error *err)
{
	s->kind = SRC_AGENDA;
	if (!is_http_url(base))
		return cfg_err(err, cfg, where, "agenda: expected an http(s) URL, got '%s'", base);
	size_t len = strlen(base);
	while (len && base[len - 1] == '/')
		len--;
	s->url = strndup(base, len);
	const char *code = get_s(o, "kommunekode");
	if (!code || strlen(code) != 3 || strspn(code, "0123456789") != 3)
		return cfg_err(err, cfg, where, "%s",
			       "an agenda source needs 'kommunekode': a 3-digit code as a string");
	s->kommunekode = atoi(code);
	/* attachments live beside the API: https://host/api/agenda -> https://host */
	const char *site = get_s(o, "site");
	if (site && !is_http_url(site))
		return cfg_err(err, cfg, where, "site: expected an http(s) URL, got '%s'", site);
	if (site) {
		size_t n = strlen(site);
		while (n && site[n - 1] == '/')
			n--;
		s->site = strndup(site, n);
	} else if (s->url) {
		const char *host = strstr(s->url, "://") + 3;
		const char *slash = strchr(host, '/');
		s->site = slash ? strndup(s->url, (size_t)(slash - s->url)) : strdup(s->url);
	}
	if (s->site) {
		const char *host = strstr(s->site, "://") + 3;
		s->host = strndup(host, strcspn(host, "/?#"));
		s->cite = strdup(s->site);
	}
	static const char *const dates[] = {"from", "to"};
	for (int i = 0; i < 2; i++) {
		const char *d = get_s(o, dates[i]);
		if (!d && cJSON_GetObjectItemCaseSensitive(o, dates[i]))
			return cfg_err(err, cfg, where, "%s: expected a date \"2022-01-01\"",
				       dates[i]);
		if (d && (strlen(d) != 10 || d[4] != '-' || d[7] != '-'))
			return cfg_err(err, cfg, where, "expected a date like 2022-01-01, got '%s'",
				       d);
		if (d && !(*(i ? &s->to : &s->from) = strdup(d)))
			return ib_error_set(err, IB_ENOMEM, NULL);
	}
	const cJSON *cl = cJSON_GetObjectItemCaseSensitive(o, "committees");
	if (cl && !cJSON_IsArray(cl))
		return cfg_err(err, cfg, where, "%s", "committees: expected a list of names");
	size_t n = cl ? (size_t)cJSON_GetArraySize(cl) : 0;
	if (n && !(s->committees = calloc(n, sizeof *s->committees)))
		return ib_error_set(err, IB_ENOMEM, NULL);
	const cJSON *v;
	cJSON_ArrayForEach(v, cl)
	{
		if (!cJSON_IsString(v))
			return cfg_err(err, cfg, where, "%s", "committees: expected names");
		if (!(s->committees[s->n_committees++] = strdup(v->valuestring)))
			return ib_error_set(err, IB_ENOMEM, NULL);
	}
	const cJSON *dl = cJSON_GetObjectItemCaseSensitive(o, "delay_ms");
	if (dl && (!cJSON_IsNumber(dl) || dl->valuedouble < 0 || dl->valuedouble > 60000))
		return cfg_err(err, cfg, where, "%s", "delay_ms: expected 0 to 60000");
	s->delay_ms = dl ? (long)dl->valuedouble : 200;
	const cJSON *at = cJSON_GetObjectItemCaseSensitive(o, "attachments");
	if (at && !cJSON_IsBool(at))
		return cfg_err(err, cfg, where, "%s", "attachments: expected true or false");
	s->attachments = !at || cJSON_IsTrue(at);
	if (!s->url || !s->site || !s->host || !s->cite)
		return ib_error_set(err, IB_ENOMEM, NULL);
	return IB_OK;
}

static int parse_config(const char *cfg, const char *text, config *c, ib_error *err)
{
	memset(c, 0, sizeof *c);
	cJSON *root = cJSON_Parse(text);
	if (!root)
		return ib_error_set(err, IB_EPARSE, "%s: not valid JSON", cfg);
	int rc = IB_OK;
	static const char *const top_keys[] = {"statbank", "sources", "comment", NULL};
	static const char *const sb_keys[] = {"url", "lang", "format", "max_cells", NULL};
	static const char *const src_keys[] = {
	    "name",	"statbank",   "use",	  "select",	 "format",  "feed",
	    "document", "comment",    "agenda",	  "kommunekode", "site",    "from",
	    "to",	"committees", "delay_ms", "attachments", "enabled", NULL};
	const cJSON *sb = cJSON_GetObjectItemCaseSensitive(root, "statbank");
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "sources");
	if ((rc = keys_allowed(root, top_keys, cfg, "top level", err)))
		goto out;
	if (sb && (rc = keys_allowed(sb, sb_keys, cfg, "statbank", err)))
		goto out;
	const char *sb_url = sb ? get_s(sb, "url") : NULL;
	const char *sb_lang = sb && get_s(sb, "lang") ? get_s(sb, "lang") : "da";
	const char *sb_format = sb && get_s(sb, "format") ? get_s(sb, "format") : "CSV";
	const cJSON *mc = sb ? cJSON_GetObjectItemCaseSensitive(sb, "max_cells") : NULL;
	long max_cells = cJSON_IsNumber(mc) ? (long)mc->valuedouble : IB_SB_MAX_CELLS;
	if (!sb_url)
		sb_url = "https://api.statbank.dk/v1";
	if (!is_http_url(sb_url)) {
		rc = cfg_err(err, cfg, "statbank.url", "expected an http(s) URL, got '%s'", sb_url);
		goto out;
	}
	if (strcasecmp(sb_format, "CSV") && strcasecmp(sb_format, "JSONSTAT")) {
		rc = cfg_err(err, cfg, "statbank.format", "expected CSV or JSONSTAT, got '%s'",
			     sb_format);
		goto out;
	}
	if (max_cells < 1 || max_cells > IB_SB_MAX_CELLS) {
		rc = cfg_err(err, cfg, "statbank.max_cells", "expected 1 to %s", "1000000");
		goto out;
	}
	if (!cJSON_IsArray(list)) {
		rc = cfg_err(err, cfg, "top level", "%s", "expected a 'sources' list");
		goto out;
	}
	size_t n = (size_t)cJSON_GetArraySize(list);
	c->src = calloc(n ? n : 1, sizeof *c->src);
	if (!c->src) {
		rc = ib_error_set(err, IB_ENOMEM, NULL);
		goto out;
	}
	const cJSON *o;
	cJSON_ArrayForEach(o, list)
	{
		char where[64];
		snprintf(where, sizeof where, "sources[%zu]", c->n);
		source *s = &c->src[c->n++];
		if (!cJSON_IsObject(o)) {
			rc = cfg_err(err, cfg, where, "%s", "expected an object");
			goto out;
		}
		if ((rc = keys_allowed(o, src_keys, cfg, where, err)))
			goto out;
		const char *name = get_s(o, "name");
		if (!name || !*name) {
			rc = cfg_err(err, cfg, where, "%s", "a source needs a 'name'");
			goto out;
		}
		for (size_t k = 0; k + 1 < c->n; k++)
			if (!strcmp(c->src[k].name, name)) {
				rc = cfg_err(err, cfg, where, "the name '%s' is used twice", name);
				goto out;
			}
		s->name = strdup(name);
		snprintf(where, sizeof where, "source '%.40s'", name);
		const char *table = get_s(o, "statbank"), *feed = get_s(o, "feed"),
			   *doc = get_s(o, "document"), *agenda = get_s(o, "agenda");
		if (!!table + !!feed + !!doc + !!agenda != 1) {
			rc = cfg_err(
			    err, cfg, where, "%s",
			    "give exactly one of 'statbank', 'feed', 'document' and 'agenda'");
			goto out;
		}
		const cJSON *en = cJSON_GetObjectItemCaseSensitive(o, "enabled");
		if (en && !cJSON_IsBool(en)) {
			rc = cfg_err(err, cfg, where, "%s", "enabled: expected true or false");
			goto out;
		}
		s->enabled = !en || cJSON_IsTrue(en);
		const char *fmt = get_s(o, "format");
		if (agenda) {
			if ((rc = parse_agenda(s, o, agenda, cfg, where, err)))
				goto out;
		} else if (table) {
			s->kind = SRC_STATBANK;
			s->table = strdup(table);
			s->url = strdup(sb_url);
			s->lang = strdup(sb_lang);
			s->max_cells = max_cells;
			s->format = strdup(fmt ? fmt : sb_format);
			for (char *p = s->format; p && *p; p++)
				*p = (char)toupper((unsigned char)*p);
			if (s->format && strcmp(s->format, "CSV") &&
			    strcmp(s->format, "JSONSTAT")) {
				rc = cfg_err(err, cfg, where,
					     "format: expected CSV or JSONSTAT, got '%s'", fmt);
				goto out;
			}
			const char *use = get_s(o, "use");
			if (!use) {
				rc = cfg_err(err, cfg, where, "%s",
					     "a StatBank source needs 'use': population, "
					     "population_age or spending");
				goto out;
			}
			if (!strcmp(use, "population"))
				s->use = USE_POPULATION;
			else if (!strcmp(use, "population_age"))
				s->use = USE_AGE;
			else if (!strcmp(use, "spending"))
				s->use = USE_SPENDING;
			else {
				rc =
				    cfg_err(err, cfg, where,
					    "use: expected population, population_age or spending, "
					    "got '%s'",
					    use);
				goto out;
			}
			const cJSON *sel = cJSON_GetObjectItemCaseSensitive(o, "select");
			if (!cJSON_IsObject(sel)) {
				rc =
				    cfg_err(err, cfg, where, "%s",
					    "a StatBank source needs 'select': {variable: values}");
				goto out;
			}
			if ((rc = parse_select(s, sel, cfg, where, err)))
				goto out;
			const char *need[3] = {"OMRÅDE", "Tid",
					       s->use == USE_AGE	? "ALDER"
					       : s->use == USE_SPENDING ? "FUNKTION"
									: NULL};
			for (int k = 0; k < 3; k++)
				if (need[k] && !has_select(s, need[k])) {
					rc = cfg_err(err, cfg, where, "select: '%s' is needed",
						     need[k]);
					goto out;
				}
		} else {
			const char *url = feed ? feed : doc;
			s->kind = feed ? SRC_FEED : SRC_DOCUMENT;
			if (!is_http_url(url)) {
				rc = cfg_err(err, cfg, where, "expected an http(s) URL, got '%s'",
					     url);
				goto out;
			}
			s->url = strdup(url);
			if (fmt && strcmp(fmt, "jsonl") && strcmp(fmt, "csv") &&
			    strcmp(fmt, "pdf") && strcmp(fmt, "txt")) {
				rc = cfg_err(err, cfg, where,
					     "format: expected jsonl, csv, pdf or txt, got '%s'",
					     fmt);
				goto out;
			}
			s->format = fmt ? strdup(fmt) : NULL;
		}
		if (!s->name || !s->url) {
			rc = ib_error_set(err, IB_ENOMEM, NULL);
			goto out;
		}
	}
out:
	cJSON_Delete(root);
	if (rc)
		config_free(c);
	return rc;
}

/* ---- StatBank: from tableinfo to request bodies -------------------------------- */

static int build_requests(source *s, ib_error *err)
{
	ib_sb_select sel[MAX_SELECT] = {0};
	int rc = IB_OK;
	size_t n = 0;
	for (; n < s->n_sel && !rc; n++)
		rc = ib_sb_resolve(&s->info, s->sel_var[n], (const char *const *)s->sel_val[n],
				   s->sel_n[n], &sel[n], err);
	if (rc) {
		n--;
		goto out;
	}
	for (size_t i = 0; i < n && !rc; i++) {
		const ib_sb_var *v = ib_sb_var_find(&s->info, sel[i].var);
		/* a quarterly table gives a year's population on its first day: K1 */
		if (v->time && s->use != USE_SPENDING) {
			size_t k = 0;
			for (size_t j = 0; j < sel[i].n; j++) {
				const char *q = strchr(sel[i].ids[j], 'K');
				if (!q || !strcmp(q, "K1"))
					sel[i].ids[k++] = sel[i].ids[j];
				else
					free(sel[i].ids[j]);
			}
			sel[i].n = k;
		}
		int core = v->time || ib_sb_same_id(sel[i].var, "OMRÅDE") ||
			   (s->use == USE_AGE && ib_sb_same_id(sel[i].var, "ALDER")) ||
			   (s->use == USE_SPENDING && ib_sb_same_id(sel[i].var, "FUNKTION"));
		if (!core && sel[i].n != 1)
			rc = ib_error_set(err, IB_EARG,
					  "%s: select exactly one value of %s (got %zu)", s->table,
					  sel[i].var, sel[i].n);
		if (!core && s->use == USE_SPENDING && ib_sb_same_id(sel[i].var, "PRISENHED")) {
			const char *text = NULL;
			for (size_t k = 0; k < v->n_values; k++)
				if (!strcmp(v->values[k].id, sel[i].ids[0]))
					text = v->values[k].text;
			if (!text || !strstr(text, "indbygger"))
				rc = ib_error_set(
				    err, IB_EARG,
				    "%s: spending is stored per inhabitant: select the "
				    "PRISENHED value per inhabitant, not '%s'",
				    s->table, text ? text : sel[i].ids[0]);
		}
	}
	if (!rc)
		rc = ib_sb_request_bodies(s->table, sel, n, s->format, s->lang, s->max_cells,
					  &s->bodies, &s->n_bodies, err);
	if (!rc && !(s->data = calloc(s->n_bodies ? s->n_bodies : 1, sizeof *s->data)))
		rc = ib_error_set(err, IB_ENOMEM, NULL);
out:
	for (size_t i = 0; i < n; i++)
		ib_sb_select_free(&sel[i]);
	return rc;
}

/* ---- storing one source ------------------------------------------------------ */

/* Where a StatBank source's data requests go (and what fetch_log records). */
static void data_url(const source *s, char *out, size_t n)
{
	snprintf(out, n, "%s/data", s->url);
}

static int record_fetch(ib_store *st, const source *s, const ib_http_resp *r, const char *url,
			const char *body, int64_t *id, ib_error *err)
{
	char req_hex[65];
	if (body)
		ib_sha256_hex(body, strlen(body), req_hex);
	ib_fetch_record rec = {
	    .source = s->name,
	    .url = url,
	    .method = body ? "POST" : "GET",
	    .request_sha256 = body ? req_hex : NULL,
	    .fetched_at = r->fetched_at,
	    .http_status = r->status,
	    .etag = r->etag,
	    .last_modified = r->last_modified,
	    .sha256 = r->sha256,
	    .bytes = (long long)r->size,
	    .table_updated = s->kind == SRC_STATBANK ? s->info.updated : NULL,
	};
	return ib_store_put_fetch(st, &rec, id, err);
}

static int seen_before(ib_store *st, const char *url, const char *body, const ib_http_resp *r,
		       int *seen, ib_error *err)
{
	char req_hex[65];
	if (body)
		ib_sha256_hex(body, strlen(body), req_hex);
	return ib_store_fetch_seen(st, url, body ? req_hex : NULL, r->sha256, seen, err);
}

/* Whether a population-by-age answer to body, already stored, left persons by age
 * missing for one of the years it asks for (a database made before they were kept):
 * then it is stored again. */
static int ages_missing(ib_store *st, const char *body, int *missing, ib_error *err)
{
	*missing = 0;
	cJSON *o = cJSON_Parse(body);
	const cJSON *vars = cJSON_GetObjectItemCaseSensitive(o, "variables"), *v, *x;
	int rc = o ? IB_OK : ib_error_set(err, IB_ENOMEM, NULL);
	cJSON_ArrayForEach(v, vars)
	{
		const char *code = get_s(v, "code");
		if (!code || !ib_sb_same_id(code, "Tid"))
			continue;
		cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(v, "values"))
		{
			if (rc || *missing || !cJSON_IsString(x))
				continue;
			rc = ib_store_population_by_age_missing(st, atoi(x->valuestring), missing,
								err);
		}
	}
	cJSON_Delete(o);
	return rc;
}

/* The kommunekode of a StatBank area code when it is a stored municipality, else 0.
 * known[] remembers each code's answer (0 not asked, 1 yes, 2 no). */
static int is_municipality(ib_store *st, const char *code, signed char known[1000])
{
	if (strlen(code) != 3 || !isdigit((unsigned char)code[0]) ||
	    !isdigit((unsigned char)code[1]) || !isdigit((unsigned char)code[2]))
		return 0;
	int c = atoi(code);
	if (!known[c]) {
		ib_municipality m;
		known[c] = ib_store_find_municipality(st, code, &m, NULL) == IB_OK ? 1 : 2;
	}
	return known[c] == 1 ? c : 0;
}

/* "3.22.01 Folkeskoler" (or code "32201" with that label) into code and name. */
static int function_of(const char *code, const char *label, char *fcode, size_t nc, char *fname,
		       size_t nn)
{
	const char *sp = strchr(label, ' ');
	if (sp && sp - label == 7 && isdigit((unsigned char)label[0]) && label[1] == '.' &&
	    label[4] == '.') {
		snprintf(fcode, nc, "%.7s", label);
		snprintf(fname, nn, "%s", sp + 1);
		return 1;
	}
	if (strlen(code) == 5 && strspn(code, "0123456789") == 5) {
		snprintf(fcode, nc, "%c.%c%c.%c%c", code[0], code[1], code[2], code[3], code[4]);
		snprintf(fname, nn, "%s", sp && !strncmp(label, code, 5) ? sp + 1 : label);
		return 1;
	}
	return 0;
}

/* FOLK1A's ages run 0 to 125; an older age (none yet) counts as the last. */
#define N_AGES 126

typedef struct age_acc {
	int code, year;
	double total, young, old;
	long by_age[N_AGES];
	int bad;
} age_acc;

/* Cells a data request body asks for: the product of its variables' value counts
 * (StatBank answers every combination, ".." where there is no figure); 0 when the
 * body cannot be read. */
static double cells_asked(const char *body)
{
	cJSON *o = cJSON_Parse(body);
	const cJSON *vars = cJSON_GetObjectItemCaseSensitive(o, "variables"), *v;
	double cells = cJSON_IsArray(vars) ? 1 : 0;
	cJSON_ArrayForEach(v, vars)
	{
		cells *= cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(v, "values"));
	}
	cJSON_Delete(o);
	return cells;
}

/* A function and year of a spending answer, and whether any municipality has a figure
 * other than 0 for it: Statistics Denmark answers 0 everywhere for a function it did
 * not publish that year (REGK31's elderly care in 2016 and 2017), which is missing, not
 * spending of 0. */
typedef struct fun_year {
	char code[16];
	int year, nonzero;
} fun_year;

static fun_year *fun_year_of(fun_year *v, size_t n, const char *code, int year)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].year == year && !strcmp(v[i].code, code))
			return &v[i];
	return NULL;
}

/* The function-years of d's municipality figures, with nonzero set; *out (caller
 * frees) and *n.  IB_OK or IB_ENOMEM. */
static int spending_published(ib_store *st, const ib_sb_data *d, int v_area, int v_time, int v_fun,
			      fun_year **out, size_t *n)
{
	signed char known[1000] = {0};
	fun_year *v = NULL;
	size_t alloc = 0;
	*n = 0;
	for (size_t i = 0; i < d->n_obs; i++) {
		const char *area = d->code[i * d->n_vars + (size_t)v_area];
		if (!is_municipality(st, area, known) || isnan(d->value[i]))
			continue;
		char fcode[16], fname[300];
		if (!function_of(d->code[i * d->n_vars + (size_t)v_fun],
				 d->label[i * d->n_vars + (size_t)v_fun], fcode, sizeof fcode,
				 fname, sizeof fname))
			continue;
		int year = atoi(d->code[i * d->n_vars + (size_t)v_time]);
		fun_year *f = fun_year_of(v, *n, fcode, year);
		if (!f) {
			if (IB_GROW(v, *n, alloc, 64)) {
				free(v);
				return IB_ENOMEM;
			}
			f = &v[(*n)++];
			snprintf(f->code, sizeof f->code, "%s", fcode);
			f->year = year;
			f->nonzero = 0;
		}
		f->nonzero |= d->value[i] != 0;
	}
	*out = v;
	return IB_OK;
}

static int store_statbank_body(ib_store *st, source *s, const char *name, const ib_http_resp *r,
			       const char *body, ib_error *err)
{
	const char *vars[MAX_SELECT];
	for (size_t i = 0; i < s->n_sel; i++)
		vars[i] = s->sel_var[i];
	ib_sb_data d;
	int rc =
	    !strcmp(s->format, "CSV")
		? ib_sb_parse_csv(name, r->body.z, r->body.n, vars, s->n_sel, &s->info, &d, err)
		: ib_sb_parse_jsonstat(name, r->body.z, r->body.n, vars, s->n_sel, &d, err);
	if (rc)
		return rc;
	/* an answer without a length that ends early at a line boundary still parses:
	   the count of rows is what tells */
	double asked = cells_asked(body);
	if (asked > 0 && (double)d.n_obs != asked) {
		rc = ib_error_set(err, IB_EPARSE,
				  "%s: the answer has %zu figures, the request asked for %.0f (cut "
				  "short?)",
				  name, d.n_obs, asked);
		ib_sb_data_free(&d);
		return rc;
	}
	int v_area = ib_sb_data_var(&d, "OMRÅDE"), v_time = ib_sb_data_var(&d, "Tid");
	int v_age = ib_sb_data_var(&d, "ALDER"), v_fun = ib_sb_data_var(&d, "FUNKTION");
	if (v_area < 0 || v_time < 0 || (s->use == USE_AGE && v_age < 0) ||
	    (s->use == USE_SPENDING && v_fun < 0)) {
		ib_sb_data_free(&d);
		return ib_error_set(err, IB_EPARSE, "%s: the answer lacks a variable asked for",
				    name);
	}
	age_acc *acc = NULL;
	size_t n_acc = 0;
	fun_year *fy = NULL;
	size_t n_fy = 0;
	if (s->use == USE_SPENDING &&
	    spending_published(st, &d, v_area, v_time, v_fun, &fy, &n_fy)) {
		ib_sb_data_free(&d);
		return ib_error_set(err, IB_ENOMEM, NULL);
	}
	signed char known[1000] = {0};
	for (size_t i = 0; i < d.n_obs && !rc; i++) {
		const char *area = d.code[i * d.n_vars + (size_t)v_area];
		const char *tid = d.code[i * d.n_vars + (size_t)v_time];
		int code = is_municipality(st, area, known);
		if (!code) {
			s->rep->skipped++;
			continue;
		}
		if (isnan(d.value[i])) {
			s->rep->missing++;
			continue;
		}
		int year = atoi(tid);
		char source[200];
		snprintf(source, sizeof source, "Danmarks Statistik, %s %s (StatBank-API)",
			 s->table, tid);
		if (s->use == USE_POPULATION) {
			rc = ib_store_put_population(st, code, year, (long)d.value[i], source, err);
		} else if (s->use == USE_SPENDING) {
			char fcode[16], fname[300];
			const char *fc = d.code[i * d.n_vars + (size_t)v_fun];
			const char *fl = d.label[i * d.n_vars + (size_t)v_fun];
			if (!function_of(fc, fl, fcode, sizeof fcode, fname, sizeof fname)) {
				rc = ib_error_set(err, IB_EPARSE,
						  "%s: FUNKTION '%s' is not a function number",
						  name, fl);
				break;
			}
			const fun_year *f = fun_year_of(fy, n_fy, fcode, year);
			if (f && !f->nonzero) {
				s->rep->unpublished++;
				continue;
			}
			snprintf(source, sizeof source,
				 "Danmarks Statistik, %s %s, netto, pr. indbygger (StatBank-API)",
				 s->table, tid);
			rc = ib_store_put_spending(st, code, year, fcode, fname, d.value[i], source,
						   err);
		} else {
			const char *age = d.code[i * d.n_vars + (size_t)v_age];
			size_t k = 0;
			while (k < n_acc && !(acc[k].code == code && acc[k].year == year))
				k++;
			if (k == n_acc) {
				age_acc x = {.code = code, .year = year};
				if (IB_APPEND(acc, n_acc, x)) {
					rc = ib_error_set(err, IB_ENOMEM, NULL);
					break;
				}
			}
			if (!strcmp(age, "IALT"))
				acc[k].total = d.value[i];
			else if (isdigit((unsigned char)age[0])) {
				int a = atoi(age);
				if (a <= 16)
					acc[k].young += d.value[i];
				if (a >= 65)
					acc[k].old += d.value[i];
				acc[k].by_age[a < N_AGES ? a : N_AGES - 1] += (long)d.value[i];
			}
		}
	}
	for (size_t k = 0; k < n_acc && !rc; k++) {
		if (acc[k].total <= 0) {
			s->rep->missing++;
			continue;
		}
		char source[200];
		snprintf(source, sizeof source,
			 "Danmarks Statistik, %s %dK1 efter alder (StatBank-API)", s->table,
			 acc[k].year);
		rc = ib_store_put_population_age(
		    st, acc[k].code, acc[k].year, acc[k].young / acc[k].total,
		    acc[k].old / acc[k].total, acc[k].by_age, N_AGES, source, err);
	}
	free(acc);
	free(fy);
	ib_sb_data_free(&d);
	return rc;
}

static const char *url_base_name(const char *url, char *out, size_t n)
{
	const char *path = strstr(url, "://");
	path = path ? strchr(path + 3, '/') : NULL;
	const char *end = path ? path + strcspn(path, "?#") : NULL;
	const char *start = end;
	while (start && start > path && start[-1] != '/')
		start--;
	size_t len = start ? (size_t)(end - start) : 0;
	size_t k = 0;
	for (size_t i = 0; i < len && k + 1 < n; i++) {
		char c = start[i];
		out[k++] = isalnum((unsigned char)c) || c == '.' || c == '-' || c == '_' ? c : '_';
	}
	out[k] = 0;
	if (!k || out[0] == '.')
		snprintf(out, n, "download");
	return out;
}

/* The name a fetched feed or document is imported under: the URL's last part, with the
 * extension the importer goes by when it has none (a document's body, r, tells a PDF;
 * a feed's is not needed, r may be NULL). */
static void body_file_name(const source *s, const ib_http_resp *r, const char *url,
			   const char *format, char *name, size_t n)
{
	url_base_name(url, name, n - 8);
	const char *ext = format;
	if (!ext && s->kind == SRC_FEED)
		ext =
		    ib_has_suffix(name, ".csv") || ib_has_suffix(name, ".ndjson") ? NULL : "jsonl";
	else if (!ext)
		ext = r && r->body.n >= 5 && !memcmp(r->body.z, "%PDF-", 5) ? "pdf"
		      : ib_has_suffix(name, ".text")			    ? NULL
									    : "txt";
	if (ext) {
		char dotted[16];
		snprintf(dotted, sizeof dotted, ".%s", ext);
		size_t len = strlen(name);
		if (!ib_has_suffix(name, dotted))
			snprintf(name + len, n - len, "%s", dotted);
	}
}

/* A new private directory under $TMPDIR (or /tmp), its path in dir (n bytes). */
static int private_dir(char *dir, size_t n, ib_error *err)
{
	const char *tmp = getenv("TMPDIR");
	if (!tmp || !*tmp)
		tmp = "/tmp";
	/* mkdtemp() replaces the six X */
	snprintf(dir, n, "%s/ideabank-fetch-XXXXXX", tmp);
	if (!mkdtemp(dir))
		return ib_error_set(err, IB_EIO, "cannot create a temporary directory in %s", tmp);
	return IB_OK;
}

/* The last byte of a body, in memory or in its file; -1 when it is empty or unreadable. */
static int last_byte(const ib_http_resp *r)
{
	if (!r->file)
		return r->body.n ? (unsigned char)r->body.z[r->body.n - 1] : -1;
	FILE *f = fopen(r->file, "rb");
	int c = f && fseek(f, -1, SEEK_END) == 0 ? fgetc(f) : -1;
	if (f)
		fclose(f);
	return c == EOF ? -1 : c;
}

/* Import the file at path in the source's transaction, adding to its counts. */
static int import_body_file(ib_store *st, source *s, const char *path, ib_error *err)
{
	ib_import_report ir;
	const char *paths[1] = {path};
	int rc = ib_import_files(st, paths, 1, &ir, err);
	if (!rc) {
		s->rep->proposals_new += ir.proposals_new;
		s->rep->proposals_updated += ir.proposals_updated;
		s->rep->proposals_unchanged += ir.proposals_unchanged;
		ib_import_report_free(&ir);
	}
	return rc;
}

/* A feed or document: import its body (inside the source's transaction).  A feed's body
 * was downloaded to a file under its own name already and is imported from there (a
 * JSON Lines feed streams, whatever its size); a body in memory is first written under its
 * own name into a private directory. */
static int store_file_body(ib_store *st, source *s, const ib_http_resp *r, const char *url,
			   const char *format, ib_error *err)
{
	char name[200], path[1024];
	body_file_name(s, r, url, format, name, sizeof name);
	/* a JSON Lines body ends with a newline: one cut at EOF just after a '}' would
	   parse, short */
	if (s->kind == SRC_FEED &&
	    (ib_has_suffix(name, ".jsonl") || ib_has_suffix(name, ".ndjson")) && r->size &&
	    last_byte(r) != '\n')
		return ib_error_set(err, IB_EPARSE,
				    "%s: the feed does not end with a newline (cut short?)",
				    s->url);
	if (r->file)
		return import_body_file(st, s, r->file, err);
	char dir_buf[512];
	int rc = private_dir(dir_buf, sizeof dir_buf, err);
	if (rc)
		return rc;
	snprintf(path, sizeof path, "%s/%s", dir_buf, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(r->body.z, 1, r->body.n, f) != r->body.n)
		rc = ib_error_set(err, IB_EIO, "cannot write '%s'", path);
	if (f && fclose(f) && !rc)
		rc = ib_error_set(err, IB_EIO, "cannot write '%s'", path);
	if (!rc)
		rc = import_body_file(st, s, path, err);
	remove(path);
	rmdir(dir_buf);
	return rc;
}

/* A feed's body goes to a file of its own name in a private directory (removed with the
 * source), so a feed of any size is never held in memory.  IB_EIO when the directory
 * cannot be made (the source fails: a feed is never read into memory instead). */
static int feed_download_file(source *s, ib_error *err)
{
	char dir[512], name[200], path[1024];
	if (s->dl_file)
		return IB_OK;
	int rc = private_dir(dir, sizeof dir, err);
	if (rc)
		return rc;
	body_file_name(s, NULL, s->url, s->format, name, sizeof name);
	snprintf(path, sizeof path, "%s/%s", dir, name);
	s->dl_dir = strdup(dir);
	s->dl_file = strdup(path);
	if (!s->dl_dir || !s->dl_file) {
		rmdir(dir);
		free(s->dl_dir), free(s->dl_file);
		s->dl_dir = s->dl_file = NULL;
		return ib_error_set(err, IB_ENOMEM, NULL);
	}
	return IB_OK;
}

static void fail_source(source *s, int rc, const char *msg)
{
	if (s->failed)
		return;
	s->failed = 1;
	s->rep->rc = rc;
	s->rep->error = strdup(msg);
}

/* s fails with r's error, and says so when its host's name could not be resolved. */
static void fail_resp(source *s, const ib_http_resp *r)
{
	if (!s->failed)
		s->unresolved = r->unresolved;
	fail_source(s, r->err.rc, r->err.msg);
}

/* Count r, an answer to s (or its failure); a request that got past the host's name
 * marks s as having reached its host. */
static void count_resp(source *s, const ib_http_resp *r)
{
	s->rep->requests += r->attempts;
	if (r->from_cache)
		s->rep->not_modified++;
	else if (!r->err.rc)
		s->rep->bytes += (long)r->size;
	if (r->attempts && !r->unresolved)
		s->resolved = 1;
}

/* ---- agenda sources: one session per portal host --------------------------------- */

static long long mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long long ms)
{
	struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
	while (ms > 0 && nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* A portal host of the run: its session and its pace, kept across the sources on it
 * (one worker thread reads them one after the other). */
typedef struct host {
	const char *name;	/* the host name (its first source's) */
	const char *connect_to; /* tests: its CONNECT_TO entry, or NULL */
	char *jar;		/* its cookie file; NULL until its session is opened */
	long long next_ms;	/* no request before this (monotonic ms) */
	long delay_ms;		/* the pause after each request: the longest its sources ask */
	int session;		/* its front page was asked in this run */
	int resolved;		/* a request reached it: its name resolved */
	ib_error down;		/* rc set: its name could not be resolved (the message) */
} host;

/* Hosts whose names could not be resolved, while no host's could, before the machine
 * is taken to be offline and the other hosts are not tried. */
#define OFFLINE_AFTER 3

/* The run of the agenda sources: worker threads take one host at a time; the store has
 * one writer at a time, and no network request is made while it is held. */
typedef struct agenda_run {
	ib_store *st;
	const ib_fetch_opts *o;
	source **src; /* the agenda sources to fetch, those of one host next to each other */
	size_t n, next;
	host *hosts; /* src[i]->h */
	size_t n_hosts;
	pthread_mutex_t mu;	  /* next, the progress counts, resolved and unresolved */
	pthread_mutex_t store_mu; /* the store */
	size_t listed, done;	  /* meetings listed so far, and downloaded (or given up) */
	int resolved;		  /* a host of the run, or of the rounds before, was reached */
	size_t unresolved;	  /* hosts whose names could not be resolved */
	char jar_dir[512];	  /* cookie files when there is no cache directory */
} agenda_run;

/* Add to the meetings listed and done, and report the run's progress. */
static void progress_add(agenda_run *run, size_t listed, size_t done)
{
	pthread_mutex_lock(&run->mu);
	run->listed += listed;
	run->done += done;
	if (run->listed)
		ib_progress("agendas", run->done, run->listed);
	pthread_mutex_unlock(&run->mu);
}

static long host_delay(const host *h, const ib_fetch_opts *o)
{
	return o->delay_ms >= 0 ? o->delay_ms : h->delay_ms;
}

/* GET url on s's host, in the host's session (cookie file) and not before its delay
 * since its last request, whichever source asked it; the answer in r (caller frees).
 * cached: sent conditionally when the cache has the URL (else never, and never saved:
 * the front page). */
static void host_get(source *s, const ib_fetch_opts *o, const char *url, int cached,
		     ib_http_resp *r)
{
	host *h = s->h;
	ib_http_opts ho = o->http;
	ho.max_parallel = 1;
	ho.progress = NULL;
	ho.cookie_jar = h->jar;
	ho.connect_to = h->connect_to;
	if (!cached)
		ho.cache_dir = NULL;
	long long wait = h->next_ms - mono_ms();
	if (wait > 0)
		sleep_ms(wait);
	ib_http_req q = {.url = url};
	ib_http_fetch(&ho, &q, r, 1);
	count_resp(s, r);
	h->resolved |= s->resolved;
	h->next_ms = mono_ms() + host_delay(h, o);
}

/* Open (or renew) the host's session: GET its front page, which sets the cookie the
 * API asks for.  Fails with the request's error; a name that cannot be resolved marks
 * the host down. */
static int open_session(source *s, const ib_fetch_opts *o, ib_error *err)
{
	char url[600];
	snprintf(url, sizeof url, "%s/", s->site);
	ib_http_resp r;
	host_get(s, o, url, 0, &r);
	int rc = r.err.rc ? ib_error_set(err, r.err.rc, "%s", r.err.msg) : IB_OK;
	if (rc && r.unresolved && !s->h->resolved)
		ib_error_set(&s->h->down, r.err.rc, "%s", r.err.msg);
	s->h->session |= !rc;
	ib_http_resp_free(&r);
	return rc;
}

/* A web page where the API's JSON (json) or a document was expected: the portal
 * refused the request for want of its session and sent its front page.  A document
 * counts only when it came through a redirect (an attachment's own page is HTML). */
static int is_web_page(const ib_http_resp *r, int json)
{
	if (r->err.rc || (!json && !r->redirects))
		return 0;
	int html = r->content_type && strstr(r->content_type, "html") != NULL;
	for (size_t i = 0; i < r->body.n && !html; i++) {
		unsigned char c = (unsigned char)r->body.z[i];
		if (!isspace(c)) {
			html = c == '<';
			break;
		}
	}
	return html;
}

/* GET url on the portal: an answer that is a web page where JSON (json) or a document
 * is expected renews the session once and asks again; a web page again fails the
 * request (in r->err) with a message saying so. */
static void portal_get(source *s, const ib_fetch_opts *o, const char *url, int json,
		       ib_http_resp *r)
{
	host_get(s, o, url, 1, r);
	if (!is_web_page(r, json))
		return;
	ib_error e = {0};
	ib_http_resp_free(r);
	if (open_session(s, o, &e)) {
		memset(r, 0, sizeof *r);
		ib_error_set(&r->err, e.rc, "%s", e.msg);
		return;
	}
	host_get(s, o, url, 1, r);
	if (is_web_page(r, json))
		ib_error_set(&r->err, IB_ENET,
			     "%s: the portal answers with a web page%s instead of %s, also in a "
			     "new session (its front page %s/ did not give the session it asks "
			     "for)",
			     url, r->redirects ? " (redirected)" : "",
			     json ? "JSON" : "the document", s->site);
}

/* The host's cookie file: {cache}/cookies/{host}, or in a private directory of the
 * run when there is no cache. */
static int cookie_file(agenda_run *run, host *h, ib_error *err)
{
	const char *cache = run->o->http.cache_dir;
	char dir[4096], path[4400], name[300];
	size_t k = 0;
	for (const char *p = h->name; *p && k + 1 < sizeof name; p++)
		name[k++] = isalnum((unsigned char)*p) || *p == '.' || *p == '-' ? *p : '_';
	name[k] = 0;
	if (cache && *cache) {
		snprintf(dir, sizeof dir, "%s/cookies", cache);
		if (ib_http_mkdirs(dir))
			return ib_error_set(err, IB_EIO, "cannot create '%s': %s", dir,
					    strerror(errno));
	} else {
		pthread_mutex_lock(&run->mu);
		int rc =
		    run->jar_dir[0] ? IB_OK : private_dir(run->jar_dir, sizeof run->jar_dir, err);
		if (rc)
			run->jar_dir[0] = 0;
		pthread_mutex_unlock(&run->mu);
		if (rc)
			return rc;
		snprintf(dir, sizeof dir, "%s", run->jar_dir);
	}
	snprintf(path, sizeof path, "%s/%s", dir, name);
	free(h->jar);
	if (!(h->jar = strdup(path)))
		return ib_error_set(err, IB_ENOMEM, NULL);
	return IB_OK;
}

static int add_note_line(ib_fetch_source_report *r, const char *fmt, const char *a, const char *b)
{
	return ib_strings_addf(&r->notes, &r->n_notes, fmt, a, b);
}

/* An attachment of the meetings to be stored, downloaded before the store is taken. */
typedef struct att_dl {
	const ib_agenda_attachment *a;
	char url[2200];
	ib_http_resp r; /* r.err: not downloaded; else r.file: its body, on disk */
	ib_error e;	/* rc set: downloaded, but its body could not be written */
} att_dl;

/* The attachments worth reading of a source's meetings to be stored. */
typedef struct att_list {
	ib_agenda_report found; /* found.att: which */
	att_dl *v;		/* found.n_att of them, in that order */
	size_t n;
	char dir[512]; /* a private directory, {dir}/{i}/ holding v[i]'s body; "" none */
} att_list;

static void att_list_free(att_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		if (l->v[i].r.file)
			remove(l->v[i].r.file);
		ib_http_resp_free(&l->v[i].r);
		if (l->dir[0]) {
			char sub[600];
			snprintf(sub, sizeof sub, "%s/%zu", l->dir, i);
			rmdir(sub);
		}
	}
	free(l->v);
	ib_agenda_report_free(&l->found);
	if (l->dir[0])
		rmdir(l->dir);
	memset(l, 0, sizeof *l);
}

/* Move the body of l->v[i] from memory to {dir}/{i}/{its name} (the name the document
 * importer goes by), so that a source's attachments wait on disk, not in memory, to be
 * imported.  IB_EIO (cannot write) or IB_ENOMEM. */
static int spill(const source *s, att_list *l, size_t i, ib_error *err)
{
	att_dl *d = &l->v[i];
	if (!l->dir[0] && private_dir(l->dir, sizeof l->dir, err)) {
		l->dir[0] = 0;
		return err->rc;
	}
	char sub[600], name[200], path[1024];
	snprintf(sub, sizeof sub, "%s/%zu", l->dir, i);
	body_file_name(s, &d->r, d->url, NULL, name, sizeof name);
	snprintf(path, sizeof path, "%s/%s", sub, name);
	if (mkdir(sub, 0700))
		return ib_error_set(err, IB_EIO, "cannot create '%s': %s", sub, strerror(errno));
	FILE *f = fopen(path, "wb");
	int ok = f && (!d->r.body.n || fwrite(d->r.body.z, 1, d->r.body.n, f) == d->r.body.n);
	if (f && fclose(f))
		ok = 0;
	if (!ok) {
		remove(path);
		return ib_error_set(err, IB_EIO, "cannot write '%s'", path);
	}
	if (!(d->r.file = strdup(path))) {
		remove(path);
		return ib_error_set(err, IB_ENOMEM, NULL);
	}
	ib_buf_free(&d->r.body);
	return IB_OK;
}

/* The attachments worth reading of the meetings about to be stored (those not
 * stored[]), each downloaded in the host's session and pace and its body put on disk:
 * all before the store is taken.  One that cannot be downloaded or written is kept
 * with its error, to be noted on the source.  l: caller frees with att_list_free().
 * IB_OK or IB_ENOMEM. */
static int fetch_attachments(source *s, const ib_fetch_opts *o, const char *stored, att_list *l,
			     ib_error *err)
{
	memset(l, 0, sizeof *l);
	ib_agenda_meeting *m = calloc(s->n_m ? s->n_m : 1, sizeof *m);
	if (!m)
		return ib_error_set(err, IB_ENOMEM, NULL);
	size_t n = 0;
	for (size_t i = 0; i < s->n_m; i++) {
		const ib_http_resp *r = &s->m_resp[i];
		if (!stored[i])
			m[n++] = (ib_agenda_meeting){s->m_url[i],
						     s->m_url[i],
						     r->body.z ? r->body.z : "",
						     r->body.n,
						     r->sha256,
						     0,
						     s->cite,
						     0};
	}
	int rc = ib_agenda_attachments(m, n, &l->found, err);
	free(m);
	if (rc)
		return rc;
	l->n = l->found.n_att;
	if (!(l->v = calloc(l->n ? l->n : 1, sizeof *l->v))) {
		l->n = 0;
		return ib_error_set(err, IB_ENOMEM, NULL);
	}
	for (size_t i = 0; i < l->n && !rc; i++) {
		att_dl *d = &l->v[i];
		d->a = &l->found.att[i];
		snprintf(d->url, sizeof d->url, "%s/vis/pdf/bilag/%s/?redirectDirectlyToPdf=false",
			 s->site, d->a->id);
		portal_get(s, o, d->url, 0, &d->r);
		if (!d->r.err.rc && spill(s, l, i, &d->e) == IB_ENOMEM)
			rc = ib_error_set(err, IB_ENOMEM, NULL);
	}
	return rc;
}

static int store_file_body(ib_store *st, source *s, const ib_http_resp *r, const char *url,
			   const char *format, ib_error *err);

/* Read the downloaded attachments l with the document importer, each with its URL as
 * the source, inside the source's transaction (no network).  One that was not
 * downloaded, or cannot be read, is noted on the source, not a failure of it. */
static int import_attachments(ib_store *st, source *s, const att_list *l, ib_error *err)
{
	int rc = IB_OK;
	for (size_t i = 0; i < l->n && !rc; i++) {
		const att_dl *d = &l->v[i];
		if (d->r.err.rc || d->e.rc) {
			if (add_note_line(s->rep,
					  d->r.err.rc ? "attachment '%s' not downloaded: %s"
						      : "attachment '%s' not read: %s",
					  d->a->name, d->r.err.rc ? d->r.err.msg : d->e.msg))
				rc = ib_error_set(err, IB_ENOMEM, NULL);
			continue;
		}
		int64_t id = 0;
		ib_error e = {0};
		rc = record_fetch(st, s, &d->r, d->url, NULL, &id, err);
		if (!rc)
			rc = ib_store_set_fetch(st, id, d->url);
		if (!rc) {
			long before = s->rep->proposals_new + s->rep->proposals_updated +
				      s->rep->proposals_unchanged;
			int irc = store_file_body(st, s, &d->r, d->url, NULL, &e);
			if (irc == IB_ENOMEM || irc == IB_EDB)
				rc = ib_error_set(err, irc, "%s", e.msg);
			else if (irc && add_note_line(s->rep, "attachment '%s' not read: %s",
						      d->a->name, e.msg))
				rc = ib_error_set(err, IB_ENOMEM, NULL);
			else if (!irc && s->rep->proposals_new + s->rep->proposals_updated +
						 s->rep->proposals_unchanged >
					     before)
				s->rep->attachments_read++;
		}
		ib_store_set_fetch(st, 0, NULL);
	}
	return rc;
}

/* Which of s's meetings are stored already (*stored, caller frees: 1 when its body is
 * in the fetch log and the agenda holds it) and whether everything is (*all: the
 * committee list too).  Reads only. */
static int agenda_stored(ib_store *st, source *s, char **stored, int *all, ib_error *err)
{
	char list_url[2100];
	snprintf(list_url, sizeof list_url, "%s/udvalgsliste", s->url);
	int seen = 0, rc = seen_before(st, list_url, NULL, &s->meta, &seen, err);
	*all = seen;
	if (!(*stored = calloc(s->n_m ? s->n_m : 1, 1)))
		return ib_error_set(err, IB_ENOMEM, NULL);
	for (size_t i = 0; i < s->n_m && !rc; i++) {
		int held = 0;
		rc = seen_before(st, s->m_url[i], NULL, &s->m_resp[i], &seen, err);
		if (!rc && seen)
			rc = ib_store_agenda_meeting_stored(st, s->kommunekode, s->m_url[i],
							    s->m_resp[i].sha256, &held, err);
		(*stored)[i] = (char)(seen && held);
		*all &= (*stored)[i];
	}
	return rc;
}

/* Store the meetings of s not stored[] (each case they touch derived again from every
 * meeting stored) and the attachments l (NULL: none) in one transaction, rolled back in
 * a dry run.  No network request is made here. */
static int store_agenda(ib_store *st, source *s, const ib_fetch_opts *o, const char *stored,
			const att_list *l, ib_error *err)
{
	char list_url[2100];
	snprintf(list_url, sizeof list_url, "%s/udvalgsliste", s->url);
	ib_agenda_meeting *m = calloc(s->n_m ? s->n_m : 1, sizeof *m);
	s->rep->agenda = calloc(1, sizeof *s->rep->agenda);
	if (!m || !s->rep->agenda) {
		free(m);
		return ib_error_set(err, IB_ENOMEM, NULL);
	}
	int rc = ib_store_begin(st, err);
	if (rc) {
		free(m);
		return rc;
	}
	int64_t id = 0;
	int seen = 0;
	size_t n = 0;
	rc = seen_before(st, list_url, NULL, &s->meta, &seen, err);
	if (!rc && !seen)
		rc = record_fetch(st, s, &s->meta, list_url, NULL, &id, err);
	for (size_t i = 0; i < s->n_m && !rc; i++) {
		if (stored[i])
			continue;
		const ib_http_resp *r = &s->m_resp[i];
		rc = ib_store_fetch_id(st, s->m_url[i], r->sha256, &id, err);
		if (!rc && !id)
			rc = record_fetch(st, s, r, s->m_url[i], NULL, &id, err);
		m[n++] = (ib_agenda_meeting){s->m_url[i],
					     s->m_url[i],
					     r->body.z ? r->body.z : "",
					     r->body.n,
					     r->sha256,
					     id,
					     s->cite,
					     0};
	}
	ib_agenda_report *ar = s->rep->agenda;
	if (!rc)
		rc = ib_agenda_store(st, s->kommunekode, m, n, ar, err);
	if (!rc) {
		s->rep->proposals_new += ar->proposals_new;
		s->rep->proposals_updated += ar->proposals_updated;
		s->rep->proposals_unchanged += ar->proposals_unchanged;
		if (l)
			rc = import_attachments(st, s, l, err);
	}
	free(m);
	if (rc || o->dry_run)
		ib_store_rollback(st);
	else
		rc = ib_store_commit(st, err);
	return rc;
}

/* s fails without asking its host: the host's name could not be resolved for a source
 * before it, or no host's could (tried: how many hosts were tried). */
static void fail_unresolved(source *s, size_t tried)
{
	char msg[800];
	if (s->h->down.rc)
		snprintf(msg, sizeof msg, "%s", s->h->down.msg);
	else
		snprintf(msg, sizeof msg, "%s/: not tried: no host could be resolved (%zu tried)",
			 s->site, tried);
	fail_source(s, IB_ENET, msg);
	s->unresolved = 1;
}

/* One agenda source: the host's session (once per host), the committee list, every
 * listed meeting one by one; which meetings are new is read from the store, their
 * attachments downloaded, and then the whole source stored in one transaction (the
 * store taken for it, with no network wait inside).  A meeting that cannot be
 * downloaded fails the source: nothing is stored from it. */
static void agenda_source(agenda_run *run, source *s)
{
	const ib_fetch_opts *o = run->o;
	host *h = s->h;
	ib_error e = {0};
	if (h->down.rc) {
		fail_unresolved(s, 0);
		return;
	}
	if (!h->session && ((!h->jar && cookie_file(run, h, &e)) || open_session(s, o, &e))) {
		fail_source(s, e.rc, e.msg);
		s->unresolved = h->down.rc != 0;
		return;
	}
	char list_url[2100];
	snprintf(list_url, sizeof list_url, "%s/udvalgsliste", s->url);
	portal_get(s, o, list_url, 1, &s->meta);
	if (s->meta.err.rc) {
		fail_source(s, s->meta.err.rc, s->meta.err.msg);
		return;
	}
	ib_agenda_ref *refs = NULL;
	size_t n = 0;
	if (ib_agenda_meetings(list_url, s->meta.body.z ? s->meta.body.z : "", s->meta.body.n,
			       s->from, s->to, (const char *const *)s->committees, s->n_committees,
			       &refs, &n, &e)) {
		fail_source(s, e.rc, e.msg);
		return;
	}
	s->rep->meetings = (long)n;
	progress_add(run, n, 0);
	s->m_url = calloc(n ? n : 1, sizeof *s->m_url);
	s->m_resp = calloc(n ? n : 1, sizeof *s->m_resp);
	if (!s->m_url || !s->m_resp)
		fail_source(s, IB_ENOMEM, "out of memory");
	size_t i = 0;
	for (; i < n && !s->failed; i++) {
		char url[2100];
		snprintf(url, sizeof url, "%s/dagsorden/%s", s->url, refs[i].id);
		if (!(s->m_url[i] = strdup(url))) {
			fail_source(s, IB_ENOMEM, "out of memory");
			break;
		}
		s->n_m++;
		portal_get(s, o, url, 1, &s->m_resp[i]);
		progress_add(run, 0, 1);
		if (s->m_resp[i].err.rc)
			fail_source(s, s->m_resp[i].err.rc, s->m_resp[i].err.msg);
	}
	progress_add(run, 0, n - i);
	ib_agenda_refs_free(refs, n);
	if (s->failed)
		return;
	char *stored = NULL;
	int all = 0;
	pthread_mutex_lock(&run->store_mu);
	int rc = agenda_stored(run->st, s, &stored, &all, &e);
	pthread_mutex_unlock(&run->store_mu);
	att_list l = {0};
	if (!rc && !all && s->attachments)
		rc = fetch_attachments(s, o, stored, &l, &e);
	if (!rc && !all) {
		pthread_mutex_lock(&run->store_mu);
		rc = store_agenda(run->st, s, o, stored, s->attachments ? &l : NULL, &e);
		pthread_mutex_unlock(&run->store_mu);
	}
	s->rep->unchanged = !rc && all;
	if (rc) {
		fail_source(s, e.rc ? e.rc : IB_EDB, e.msg);
	} else if (!o->dry_run) {
		/* the cache may now hold what the database holds */
		ib_http_cache_save(&o->http, &s->meta, NULL);
		for (size_t k = 0; k < s->n_m; k++)
			ib_http_cache_save(&o->http, &s->m_resp[k], NULL);
		for (size_t k = 0; k < l.n; k++)
			ib_http_cache_save(&o->http, &l.v[k].r, NULL);
	}
	att_list_free(&l);
	free(stored);
}

static void *agenda_worker(void *arg)
{
	agenda_run *run = arg;
	for (;;) {
		pthread_mutex_lock(&run->mu);
		size_t i = run->next, j = i;
		while (j < run->n && (j == i || run->src[j]->h == run->src[i]->h))
			j++;
		run->next = j;
		int offline = !run->resolved && run->unresolved >= OFFLINE_AFTER;
		size_t tried = run->unresolved;
		pthread_mutex_unlock(&run->mu);
		if (i >= run->n)
			return NULL;
		for (size_t k = i; k < j; k++)
			if (offline)
				fail_unresolved(run->src[k], tried);
			else
				agenda_source(run, run->src[k]);
		if (offline)
			continue;
		const host *h = run->src[i]->h;
		pthread_mutex_lock(&run->mu);
		if (h->resolved)
			run->resolved = 1;
		else if (h->down.rc)
			run->unresolved++;
		pthread_mutex_unlock(&run->mu);
	}
}

static int by_host(const void *a, const void *b)
{
	const source *x = *(source *const *)a, *y = *(source *const *)b;
	int c = strcmp(x->host, y->host);
	return c ? c : x < y ? -1 : x > y;
}

/* Fetch and store the agenda sources src[0..n-1]: up to o->max_hosts hosts at once,
 * each in its own thread, the sources of one host one after the other in one session
 * and at the host's pace.  resolved: a host was reached before (the machine is online
 * whatever the portals' names do). */
static int run_agendas(ib_store *st, const ib_fetch_opts *o, source **src, size_t n, int resolved)
{
	if (!n)
		return IB_OK;
	agenda_run run = {.st = st, .o = o, .src = src, .n = n, .resolved = resolved};
	qsort(src, n, sizeof *src, by_host);
	if (!(run.hosts = calloc(n, sizeof *run.hosts)))
		return IB_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if (!i || strcmp(src[i]->host, src[i - 1]->host))
			run.hosts[run.n_hosts++] = (host){.name = src[i]->host,
							  .connect_to = src[i]->connect_to,
							  .delay_ms = src[i]->delay_ms};
		host *h = &run.hosts[run.n_hosts - 1];
		if (src[i]->delay_ms > h->delay_ms)
			h->delay_ms = src[i]->delay_ms;
		src[i]->h = h;
	}
	pthread_mutex_init(&run.mu, NULL);
	pthread_mutex_init(&run.store_mu, NULL);
	size_t n_threads = o->max_hosts > 1 ? (size_t)o->max_hosts : 1;
	if (n_threads > run.n_hosts)
		n_threads = run.n_hosts;
	pthread_t *t = calloc(n_threads, sizeof *t);
	size_t started = 0;
	for (size_t i = 1; t && i < n_threads; i++, started++)
		if (pthread_create(&t[i - 1], NULL, agenda_worker, &run))
			break;
	agenda_worker(&run); /* this thread works too */
	for (size_t i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	free(t);
	if (run.listed)
		ib_progress("agendas", run.listed, run.listed);
	for (size_t i = 0; i < run.n_hosts; i++) {
		if (run.jar_dir[0] && run.hosts[i].jar)
			remove(run.hosts[i].jar);
		free(run.hosts[i].jar);
	}
	if (run.jar_dir[0])
		rmdir(run.jar_dir);
	for (size_t i = 0; i < n; i++)
		src[i]->h = NULL;
	free(run.hosts);
	pthread_mutex_destroy(&run.mu);
	pthread_mutex_destroy(&run.store_mu);
	return IB_OK;
}

/* Store one source in one transaction (rolled back in a dry run). */
static int store_source(ib_store *st, source *s, int dry_run, ib_error *err)
{
	size_t n = s->kind == SRC_STATBANK ? s->n_bodies : 1;
	char url[2048];
	if (s->kind == SRC_STATBANK)
		data_url(s, url, sizeof url);
	else
		snprintf(url, sizeof url, "%s", s->url);
	int *seen = calloc(n ? n : 1, sizeof *seen), all_seen = 1, rc = IB_OK;
	if (!seen)
		return ib_error_set(err, IB_ENOMEM, NULL);
	for (size_t i = 0; i < n && !rc; i++) {
		const char *body = s->kind == SRC_STATBANK ? s->bodies[i] : NULL;
		rc = seen_before(st, url, body, s->kind == SRC_STATBANK ? &s->data[i] : &s->meta,
				 &seen[i], err);
		int missing = 0;
		if (!rc && seen[i] && s->kind == SRC_STATBANK && s->use == USE_AGE)
			rc = ages_missing(st, body, &missing, err);
		seen[i] &= !missing;
		all_seen &= seen[i];
	}
	if (!rc && all_seen)
		s->rep->unchanged = 1;
	if (rc || all_seen || (rc = ib_store_begin(st, err))) {
		free(seen);
		return rc;
	}
	ib_store_changes ch;
	ib_store_changes_take(st, &ch);
	for (size_t i = 0; i < n && !rc; i++) {
		if (seen[i])
			continue;
		int64_t id = 0;
		const ib_http_resp *r = s->kind == SRC_STATBANK ? &s->data[i] : &s->meta;
		const char *body = s->kind == SRC_STATBANK ? s->bodies[i] : NULL;
		rc = record_fetch(st, s, r, url, body, &id, err);
		if (!rc)
			rc = ib_store_set_fetch(st, id, s->kind == SRC_STATBANK ? NULL : s->url);
		if (rc)
			break;
		if (s->kind == SRC_STATBANK) {
			char name[300];
			if (n > 1)
				snprintf(name, sizeof name, "%s (answer %zu of %zu)", s->table,
					 i + 1, n);
			else
				snprintf(name, sizeof name, "%s", s->table);
			rc = store_statbank_body(st, s, name, r, body, err);
		} else {
			rc = store_file_body(st, s, &s->meta, s->url, s->format, err);
		}
	}
	free(seen);
	ib_store_set_fetch(st, 0, NULL);
	ib_store_changes_take(st, &s->rep->rows);
	if (rc || dry_run)
		ib_store_rollback(st);
	else
		rc = ib_store_commit(st, err);
	return rc;
}

/* ---- the run ----------------------------------------------------------------- */

typedef struct progress_map {
	const ib_fetch_opts *o;
	source **owner; /* request index -> source */
} progress_map;

static void on_progress(void *ctx, size_t index, size_t now, size_t total, int done)
{
	progress_map *m = ctx;
	m->o->progress(m->o->progress_ctx, m->owner[index]->name, now, total, done);
}

/* Download one round: every selected source contributes its requests. */
static int run_round(config *c, const int *selected, int round, const ib_fetch_opts *o)
{
	size_t n = 0;
	for (size_t i = 0; i < c->n; i++) {
		source *s = &c->src[i];
		s->n_req = 0;
		if (!selected[i] || s->failed || s->kind == SRC_AGENDA)
			continue;
		ib_error e = {0};
		if (round == 0 && s->kind == SRC_FEED && feed_download_file(s, &e)) {
			fail_source(s, e.rc, e.msg);
			continue;
		}
		s->first_req = n;
		s->n_req = round == 0 ? 1 : s->kind == SRC_STATBANK ? s->n_bodies : 0;
		n += s->n_req;
	}
	if (!n)
		return IB_OK;
	ib_http_req *reqs = calloc(n, sizeof *reqs);
	ib_http_resp *resps = calloc(n, sizeof *resps);
	source **owner = calloc(n, sizeof *owner);
	char **urls = calloc(n, sizeof *urls);
	if (!reqs || !resps || !owner || !urls) {
		free(reqs), free(resps), free(owner), free(urls);
		return IB_ENOMEM;
	}
	for (size_t i = 0; i < c->n; i++) {
		source *s = &c->src[i];
		for (size_t k = 0; k < s->n_req; k++) {
			size_t j = s->first_req + k;
			owner[j] = s;
			char buf[2048];
			if (round == 0 && s->kind == SRC_STATBANK)
				snprintf(buf, sizeof buf, "%s/tableinfo?id=%s&format=JSON&lang=%s",
					 s->url, s->table, s->lang);
			else if (round == 0)
				snprintf(buf, sizeof buf, "%s", s->url);
			else
				data_url(s, buf, sizeof buf);
			urls[j] = strdup(buf);
			reqs[j].url = urls[j] ? urls[j] : "";
			if (round == 0 && s->kind == SRC_FEED)
				reqs[j].to_file = s->dl_file;
			if (round == 1) {
				reqs[j].body = s->bodies[k];
				reqs[j].content_type = "application/json";
			}
		}
	}
	ib_http_opts http = o->http;
	progress_map pm = {o, owner};
	if (o->progress) {
		http.progress = on_progress;
		http.progress_ctx = &pm;
	}
	/* each response carries its own outcome, a download that could not start too */
	ib_http_fetch(&http, reqs, resps, n);
	for (size_t j = 0; j < n; j++) {
		source *s = owner[j];
		count_resp(s, &resps[j]);
		if (resps[j].err.rc)
			fail_resp(s, &resps[j]);
		if (round == 0)
			s->meta = resps[j];
		else
			s->data[j - s->first_req] = resps[j];
		memset(&resps[j], 0, sizeof resps[j]);
	}
	for (size_t j = 0; j < n; j++) {
		ib_http_resp_free(&resps[j]);
		free(urls[j]);
	}
	free(reqs), free(resps), free(owner), free(urls);
	return IB_OK;
}

/* ---- every municipality's agenda portal (--agendas) ----------------------------- */

/* The address the test-only override spec gives host ("ADDRESS:PORT"), or NULL.
 * spec: entries separated by blanks or commas, "HOST=ADDRESS:PORT" for one host and
 * "ADDRESS:PORT" for every other; out holds n bytes. */
static const char *override_for(const char *spec, const char *host, char *out, size_t n)
{
	const char *any = NULL, *hit = NULL;
	size_t any_len = 0, hit_len = 0;
	for (const char *p = spec ? spec : ""; *p;) {
		p += strspn(p, " \t,");
		size_t len = strcspn(p, " \t,");
		if (!len)
			break;
		const char *eq = memchr(p, '=', len);
		if (!eq) {
			any = p, any_len = len;
		} else if ((size_t)(eq - p) == strlen(host) && !strncmp(p, host, strlen(host))) {
			hit = eq + 1, hit_len = len - (size_t)(eq + 1 - p);
		}
		p += len;
	}
	if (!hit)
		hit = any, hit_len = any_len;
	if (!hit || !hit_len || hit_len >= n)
		return NULL;
	memcpy(out, hit, hit_len);
	out[hit_len] = 0;
	return out;
}

/* The date of today and of 1 January last year, "2026-12-07" and "2025-01-01". */
static void default_dates(char from[11], char to[11])
{
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	int year = tm.tm_year + 1900 - 1;
	snprintf(from, 11, "%04d-01-01", year < 0 ? 0 : year > 9999 ? 9999 : year);
	strftime(to, 11, "%Y-%m-%d", &tm);
}

/* Make one source of portal p: an agenda source when its system is supported, else
 * one that names its system and is not fetched. */
static int portal_source(source *s, const ib_portal *p, const ib_fetch_opts *o, ib_error *err)
{
	char from[11], to[11], addr[300], buf[600];
	default_dates(from, to);
	s->kind = SRC_AGENDA;
	s->enabled = 1;
	s->kommunekode = p->kommunekode;
	s->name = strdup(p->kommune);
	s->host = strdup(p->host);
	int ok = s->name && s->host;
	if (!ib_portal_supported(p)) {
		s->system = strdup(p->system);
		ok = ok && s->system;
	} else {
		/* tests: the host over http to the address the override gives it */
		const char *to_addr = override_for(o->portal_connect, p->host, addr, sizeof addr);
		snprintf(buf, sizeof buf, "%s://%s", to_addr ? "http" : "https", p->host);
		s->site = strdup(buf);
		snprintf(buf, sizeof buf, "https://%s", p->host);
		s->cite = strdup(buf);
		snprintf(buf, sizeof buf, "%s://%s/api/agenda", to_addr ? "http" : "https",
			 p->host);
		s->url = strdup(buf);
		if (to_addr) {
			snprintf(buf, sizeof buf, "%s:80:%s", p->host, to_addr);
			s->connect_to = strdup(buf);
			ok = ok && s->connect_to;
		}
		s->from = strdup(o->from ? o->from : from);
		s->to = strdup(o->to ? o->to : to);
		s->delay_ms = IB_PORTAL_DELAY_MS;
		s->attachments = 1;
		ok = ok && s->site && s->cite && s->url && s->from && s->to;
	}
	return ok ? IB_OK : ib_error_set(err, IB_ENOMEM, NULL);
}

/* The sources of --agendas: every municipality's portal, or those of o->kommuner
 * (names or codes, each resolved in the store), in kommunekode order. */
static int portal_sources(ib_store *st, const ib_fetch_opts *o, config *c, ib_error *err)
{
	memset(c, 0, sizeof *c);
	ib_portal *p = NULL;
	size_t n = 0;
	int rc = ib_portals(&p, &n, err);
	if (rc)
		return rc;
	char *want = calloc(n ? n : 1, 1);
	c->src = calloc(n ? n : 1, sizeof *c->src);
	if (!want || !c->src)
		rc = ib_error_set(err, IB_ENOMEM, NULL);
	for (size_t k = 0; k < o->n_kommuner && !rc; k++) {
		ib_municipality m;
		if ((rc = ib_store_find_municipality(st, o->kommuner[k], &m, err)))
			break;
		const ib_portal *x = ib_portal_of(p, n, m.code);
		if (!x)
			rc = ib_error_set(err, IB_ENOTFOUND,
					  "data/agenda_portals.csv has no row for %s (%03d)",
					  m.name, m.code);
		else
			want[x - p] = 1;
	}
	for (size_t i = 0; i < n && !rc; i++)
		if (!o->n_kommuner || want[i])
			rc = portal_source(&c->src[c->n++], &p[i], o, err);
	free(want);
	free(p);
	if (rc)
		config_free(c);
	return rc;
}

int ib_fetch_run(ib_store *st, const ib_fetch_opts *o, ib_fetch_report *rep, ib_error *err)
{
	memset(rep, 0, sizeof *rep);
	config c;
	const char *cfg = o->config_name ? o->config_name : "sources config";
	if (o->agendas && o->n_only)
		return ib_error_set(err, IB_EARG,
				    "--only names sources of the config, which "
				    "--agendas does not read");
	int rc = o->agendas ? portal_sources(st, o, &c, err)
			    : parse_config(cfg, o->config ? o->config : ib_sources_json, &c, err);
	if (rc)
		return rc;
	if (ib_init()) {
		config_free(&c);
		return ib_error_set(err, IB_ENOMEM, "cannot set up libcurl");
	}
	int *selected = calloc(c.n ? c.n : 1, sizeof *selected);
	rep->src = calloc(c.n ? c.n : 1, sizeof *rep->src);
	if (!selected || !rep->src) {
		rc = ib_error_set(err, IB_ENOMEM, NULL);
		goto out;
	}
	for (size_t k = 0; k < o->n_only; k++) {
		size_t i = 0;
		while (i < c.n && strcmp(c.src[i].name, o->only[k]))
			i++;
		if (i == c.n) {
			ib_buf names;
			ib_buf_init(&names, 4096);
			for (size_t j = 0; j < c.n; j++)
				ib_buf_addf(&names, "%s%s", j ? ", " : "", c.src[j].name);
			rc = ib_error_set(err, IB_ENOTFOUND,
					  "%s: no source named '%s' (sources: %s)", cfg, o->only[k],
					  ib_buf_str(&names));
			ib_buf_free(&names);
			goto out;
		}
		selected[i] = 1;
	}
	for (size_t i = 0; i < c.n; i++) {
		source *s = &c.src[i];
		if (!o->n_only)
			selected[i] = s->enabled;
		if (!selected[i])
			continue;
		ib_fetch_source_report *r = &rep->src[rep->n++];
		s->rep = r;
		char what[600];
		if (s->kind == SRC_STATBANK)
			snprintf(what, sizeof what, "StatBank %s (%s)", s->table,
				 s->use == USE_POPULATION ? "population"
				 : s->use == USE_AGE	  ? "population by age"
							  : "spending");
		else if (s->kind == SRC_AGENDA && s->system)
			snprintf(what, sizeof what, "%s%s%s%s", s->system, *s->host ? " (" : "",
				 s->host, *s->host ? ")" : "");
		else if (s->kind == SRC_AGENDA)
			snprintf(what, sizeof what, "agenda %s (kommune %03d)", s->url,
				 s->kommunekode);
		else
			snprintf(what, sizeof what, "%s %s",
				 s->kind == SRC_FEED ? "feed" : "document", s->url);
		r->name = strdup(s->name);
		r->what = strdup(what);
		r->kommunekode = s->kind == SRC_AGENDA ? s->kommunekode : 0;
		r->system = s->system ? strdup(s->system) : NULL;
		if (s->kind == SRC_AGENDA && (o->from || o->to) && !s->system) {
			/* --from/--to over the config's dates */
			if (o->from) {
				free(s->from);
				s->from = strdup(o->from);
			}
			if (o->to) {
				free(s->to);
				s->to = strdup(o->to);
			}
		}
		if (!r->name || !r->what || (s->system && !r->system) ||
		    (o->from && s->kind == SRC_AGENDA && !s->system && !s->from) ||
		    (o->to && s->kind == SRC_AGENDA && !s->system && !s->to)) {
			rc = ib_error_set(err, IB_ENOMEM, NULL);
			goto out;
		}
	}

	/* round 1: table metadata, feeds and documents */
	if ((rc = run_round(&c, selected, 0, o))) {
		ib_error_set(err, rc, NULL);
		goto out;
	}
	for (size_t i = 0; i < c.n; i++) {
		source *s = &c.src[i];
		if (!selected[i] || s->failed || s->kind != SRC_STATBANK)
			continue;
		ib_error e = {0};
		char name[200];
		snprintf(name, sizeof name, "%s table information", s->table);
		if (ib_sb_tableinfo_parse(name, s->meta.body.z, s->meta.body.n, &s->info, &e) ||
		    build_requests(s, &e))
			fail_source(s, e.rc, e.msg);
	}
	/* round 2: StatBank data */
	if ((rc = run_round(&c, selected, 1, o))) {
		ib_error_set(err, rc, NULL);
		goto out;
	}
	for (size_t i = 0; i < c.n; i++) {
		source *s = &c.src[i];
		if (!selected[i] || s->failed || s->kind == SRC_AGENDA)
			continue;
		ib_error e = {0};
		if (store_source(st, s, o->dry_run, &e)) {
			fail_source(s, e.rc ? e.rc : IB_EDB, e.msg);
		} else if (!o->dry_run) {
			/* the cache may now hold what the database holds */
			ib_http_cache_save(&o->http, &s->meta, NULL);
			for (size_t k = 0; k < s->n_bodies && !s->rep->unchanged; k++)
				ib_http_cache_save(&o->http, &s->data[k], NULL);
		}
	}
	/* agenda sources: a session per host, several hosts at once */
	source **agendas = calloc(c.n ? c.n : 1, sizeof *agendas);
	size_t n_agendas = 0;
	if (!agendas) {
		rc = ib_error_set(err, IB_ENOMEM, NULL);
		goto out;
	}
	int resolved = 0;
	for (size_t i = 0; i < c.n; i++) {
		if (selected[i] && c.src[i].kind == SRC_AGENDA && !c.src[i].system)
			agendas[n_agendas++] = &c.src[i];
		resolved |= c.src[i].resolved;
	}
	rc = run_agendas(st, o, agendas, n_agendas, resolved);
	free(agendas);
	if (rc) {
		ib_error_set(err, rc, NULL);
		goto out;
	}
	/* offline: every source tried failed for want of its host's address */
	size_t tried = 0, unresolved = 0;
	for (size_t i = 0; i < c.n; i++) {
		if (selected[i] && !c.src[i].system) {
			tried++;
			unresolved += c.src[i].failed && c.src[i].unresolved;
		}
	}
	rep->offline = tried && unresolved == tried;
	for (size_t i = 0; i < c.n; i++) {
		source *s = &c.src[i];
		if (!selected[i])
			continue;
		if (s->system)
			s->rep->unsupported = 1;
		if (s->failed) {
			rep->failed++;
			if (!rc) {
				rc = s->rep->rc;
				ib_error_set(err, rc, "%s: %s", s->name, s->rep->error);
			}
		}
	}
out:
	free(selected);
	config_free(&c);
	if (rc && !rep->n)
		ib_fetch_report_free(rep);
	return rc;
}
