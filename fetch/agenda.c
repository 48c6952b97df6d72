/* agenda.c - committee agendas into cases: meetings read and stored, items grouped into
 * cases (one per case number), each case classified by agenda_classify.c and stored
 * with its items' outcomes.  See agenda.h. */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cJSON.h>
#include <zlib.h>

#include "agenda_int.h"
#include "ideabank/agenda.h"
#include "ideabank/buf.h"
#include "ideabank/doc.h"
#include "ideabank/extract.h"
#include "ideabank/hash.h"
#include "ideabank/num.h"

extern const char ib_attachment_words_csv[]; /* data/attachment_words.csv */

static ag_rules attachment_words;

/* ---- reading meetings -------------------------------------------------------- */

static const char *jstr(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static char *dupz(const char *z)
{
	return strdup(z ? z : "");
}

static int add_attachment(ib_agenda_report *rep, const char *id, const char *name,
			  const char *item_url)
{
	for (size_t i = 0; i < rep->n_att; i++)
		if (!strcmp(rep->att[i].id, id))
			return IB_OK;
	ib_agenda_attachment *v = realloc(rep->att, (rep->n_att + 1) * sizeof *v);
	if (!v)
		return IB_ENOMEM;
	rep->att = v;
	ib_agenda_attachment *a = &v[rep->n_att];
	a->id = strdup(id);
	a->name = strdup(name);
	a->item_url = strdup(item_url);
	if (!a->id || !a->name || !a->item_url) {
		free(a->id), free(a->name), free(a->item_url);
		return IB_ENOMEM;
	}
	rep->n_att++;
	return IB_OK;
}

/* Attachments whose names hold a word of the list. */
static int note_attachments(const cJSON *bilag, const char *item_url, ib_agenda_report *rep)
{
	const cJSON *b;
	cJSON_ArrayForEach(b, bilag)
	{
		const char *name = jstr(b, "Navn"), *id = jstr(b, "Id");
		if (!name || !id)
			continue;
		char *f = ag_fold(name);
		if (!f)
			return IB_ENOMEM;
		int hit = 0;
		for (size_t i = 0; i < attachment_words.n && !hit; i++)
			hit = *attachment_words.r[i].needle &&
			      strstr(f, attachment_words.r[i].needle) != NULL;
		free(f);
		if (hit && add_attachment(rep, id, name, item_url))
			return IB_ENOMEM;
	}
	return IB_OK;
}

/* Read meeting m (index mi) into items and store its row. */
static int read_meeting(ib_store *s, int kommunekode, const ib_agenda_meeting *m, size_t mi,
			item **items, size_t *n_items, size_t *alloc, ib_agenda_report *rep,
			ib_error *err)
{
	cJSON *root = cJSON_ParseWithLength(m->body, m->len);
	const cJSON *list =
	    root ? cJSON_GetObjectItemCaseSensitive(root, "Dagsordenpunkter") : NULL;
	const cJSON *udv = root ? cJSON_GetObjectItemCaseSensitive(root, "Udvalg") : NULL;
	const cJSON *moede = root ? cJSON_GetObjectItemCaseSensitive(root, "Moede") : NULL;
	const char *id = root ? jstr(root, "Id") : NULL;
	const char *committee = udv ? jstr(udv, "Navn") : NULL;
	const char *when = moede ? jstr(moede, "Dato") : NULL;
	if (!cJSON_IsArray(list) || !id || !committee || !when || strlen(when) < 10) {
		cJSON_Delete(root);
		return ib_error_set(
		    err, IB_EPARSE,
		    "%s: not an agenda meeting (expected Id, Udvalg.Navn, Moede.Dato "
		    "and Dagsordenpunkter)",
		    m->name);
	}
	char date[11];
	snprintf(date, sizeof date, "%s", when);
	ib_store_set_fetch(s, m->fetch_id, NULL);
	int rc = ib_store_put_agenda_meeting(s, kommunekode, id, committee, date, m->url, m->sha256,
					     err);
	ib_store_set_fetch(s, 0, NULL);
	if (rc) {
		cJSON_Delete(root);
		return rc;
	}
	rep->meetings++;
	const cJSON *p;
	cJSON_ArrayForEach(p, list)
	{
		if (*n_items == *alloc) {
			size_t a = *alloc ? *alloc * 2 : 1024;
			item *v = realloc(*items, a * sizeof *v);
			if (!v) {
				rc = IB_ENOMEM;
				break;
			}
			*items = v;
			*alloc = a;
		}
		item *it = &(*items)[*n_items];
		memset(it, 0, sizeof *it);
		it->meeting = mi;
		it->order = *n_items;
		(*n_items)++;
		rep->items++;
		const char *no = jstr(p, "Punktnummer"), *title = jstr(p, "Navn");
		const char *case_no = jstr(p, "SagsNummer");
		char url[2048];
		snprintf(url, sizeof url, "%s#punkt-%s", m->url, no ? no : "?");
		it->meeting_id = dupz(id);
		it->committee = dupz(committee);
		it->date = strndup(when, 10);
		it->when = dupz(when);
		it->no = dupz(no);
		it->case_no = case_no && *case_no ? strdup(case_no) : NULL;
		it->title = ag_squeeze(dupz(title));
		it->url = strdup(url);
		if (!it->meeting_id || !it->committee || !it->date || !it->when || !it->no ||
		    (case_no && *case_no && !it->case_no) || !it->title || !it->url) {
			rc = IB_ENOMEM;
			break;
		}
		ib_buf html;
		ib_buf_init(&html, 0);
		const cJSON *f;
		cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(p, "Felter"))
		{
			const char *h = jstr(f, "Html");
			if (h && (rc = ib_buf_adds(&html, h)))
				break;
		}
		if (!rc)
			rc = ag_item_read(it, html.z ? html.z : "", html.n);
		ib_buf_free(&html);
		if (!rc)
			rc = note_attachments(cJSON_GetObjectItemCaseSensitive(p, "Bilag"), url,
					      rep);
		if (rc)
			break;
	}
	cJSON_Delete(root);
	if (rc)
		ib_error_set(err, rc, NULL);
	return rc;
}

/* ---- cases ------------------------------------------------------------------- */

static int count_reason(ib_agenda_report *rep, const char *outcome, const char *reason,
			const char *code)
{
	for (size_t i = 0; i < rep->n_reasons; i++)
		if (!strcmp(rep->reasons[i].outcome, outcome) &&
		    !strcmp(rep->reasons[i].reason, reason)) {
			rep->reasons[i].n++;
			return IB_OK;
		}
	ib_agenda_reason *v = realloc(rep->reasons, (rep->n_reasons + 1) * sizeof *v);
	if (!v)
		return IB_ENOMEM;
	rep->reasons = v;
	v[rep->n_reasons].outcome = strdup(outcome);
	v[rep->n_reasons].reason = strdup(reason);
	v[rep->n_reasons].code = strdup(code);
	v[rep->n_reasons].n = 1;
	if (!v[rep->n_reasons].outcome || !v[rep->n_reasons].reason || !v[rep->n_reasons].code) {
		free(v[rep->n_reasons].outcome), free(v[rep->n_reasons].reason);
		free(v[rep->n_reasons].code);
		return IB_ENOMEM;
	}
	rep->n_reasons++;
	return IB_OK;
}

/* Record an item's outcome in the store and the report (out[] slot by input order). */
static int record_item(ib_store *s, int kommunekode, const item *it, const ag_outcome *k,
		       int64_t proposal_id, ib_agenda_report *rep, ib_error *err)
{
	const char *outcome = k->outcome, *reason = k->reason;
	ib_agenda_item_rec r = {kommunekode, it->meeting_id, it->no, it->case_no,
				it->title,   outcome,	     reason, proposal_id};
	int rc = ib_store_put_agenda_item(s, &r, err);
	if (rc)
		return rc;
	if (!strcmp(outcome, "proposal"))
		rep->proposals++;
	else if (!strcmp(outcome, "skipped"))
		rep->skipped++;
	else
		rep->flagged++;
	ib_agenda_item_out *o = &rep->out[it->order];
	o->date = strdup(it->date);
	o->committee = strdup(it->committee);
	o->item = strdup(it->no);
	o->case_number = it->case_no ? strdup(it->case_no) : NULL;
	o->title = strdup(it->title);
	o->outcome = outcome;
	o->reason = strdup(reason);
	o->code = strdup(k->code);
	o->meeting_id = strdup(it->meeting_id);
	o->explain = strdup(k->explain ? k->explain : "");
	if (!o->date || !o->committee || !o->item || !o->title || !o->reason || !o->code ||
	    !o->explain || !o->meeting_id || count_reason(rep, outcome, reason, k->code))
		return ib_error_set(err, IB_ENOMEM, NULL);
	return IB_OK;
}

/* Classify and store one case c[0..n-1]. */
static int do_case(ib_store *s, int kommunekode, const ib_agenda_meeting *m, item **c, size_t n,
		   ib_agenda_report *rep, ib_error *err)
{
	ag_outcome k;
	int rc = ag_classify(c, n, kommunekode, &k);
	if (rc)
		return ib_error_set(err, rc, NULL);
	rep->cases++;
	int64_t id = 0;
	for (size_t i = 0; i < k.n_p && !rc; i++) {
		ib_proposal *p = k.p[i];
		ib_store_set_fetch(s, m[k.src->meeting].fetch_id, NULL);
		int result = 0;
		rc = ib_store_put_proposal(s, p, &result, err);
		ib_store_set_fetch(s, 0, NULL);
		if (rc) {
			ib_error_prefix(err, "%s: case %s", k.src->url, p->case_key);
			break;
		}
		if (!id)
			id = p->id;
		if (result == IB_PUT_NEW)
			rep->proposals_new++;
		else if (result == IB_PUT_UPDATED)
			rep->proposals_updated++;
		else
			rep->proposals_unchanged++;
	}
	if (!rc && k.n_p)
		rep->cases_stored++;
	for (size_t i = 0; i < n && !rc; i++)
		rc = record_item(s, kommunekode, c[i], &k, id, rep, err);
	ag_outcome_free(&k);
	return rc;
}

void ib_agenda_report_free(ib_agenda_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_reasons; i++)
		free(r->reasons[i].outcome), free(r->reasons[i].reason), free(r->reasons[i].code);
	for (size_t i = 0; i < r->n_out; i++) {
		ib_agenda_item_out *o = &r->out[i];
		free(o->date), free(o->committee), free(o->item), free(o->case_number);
		free(o->title), free(o->reason), free(o->code), free(o->explain);
		free(o->meeting_id);
	}
	for (size_t i = 0; i < r->n_att; i++)
		free(r->att[i].id), free(r->att[i].name), free(r->att[i].item_url);
	free(r->reasons);
	free(r->out);
	free(r->att);
	memset(r, 0, sizeof *r);
}

int ib_agenda_store(ib_store *s, int kommunekode, const ib_agenda_meeting *m, size_t n,
		    ib_agenda_report *rep, ib_error *err)
{
	memset(rep, 0, sizeof *rep);
	if (ag_rules_ready() ||
	    ag_load_rules(&attachment_words, ib_attachment_words_csv, -1, -1, 0, 1))
		return ib_error_set(err, IB_ENOMEM, NULL);
	item *items = NULL;
	size_t n_items = 0, alloc = 0;
	int rc = IB_OK;
	for (size_t i = 0; i < n && !rc; i++) {
		rc = read_meeting(s, kommunekode, &m[i], i, &items, &n_items, &alloc, rep, err);
	}
	item **order = rc ? NULL : calloc(n_items ? n_items : 1, sizeof *order);
	rep->out = rc ? NULL : calloc(n_items ? n_items : 1, sizeof *rep->out);
	if (!rc && (!order || !rep->out))
		rc = ib_error_set(err, IB_ENOMEM, NULL);
	if (!rc) {
		rep->n_out = n_items;
		for (size_t i = 0; i < n_items; i++)
			order[i] = &items[i];
		qsort(order, n_items, sizeof *order, ag_by_case);
	}
	for (size_t i = 0; i < n_items && !rc;) {
		size_t j = i + 1;
		char a[256], b[256];
		ag_case_key(order[i], a, sizeof a);
		while (j < n_items && (ag_case_key(order[j], b, sizeof b), !strcmp(a, b)))
			j++;
		rc = do_case(s, kommunekode, m, order + i, j - i, rep, err);
		i = j;
	}
	free(order);
	for (size_t i = 0; i < n_items; i++)
		ag_item_free(&items[i]);
	free(items);
	if (rc)
		ib_agenda_report_free(rep);
	return rc;
}

/* ---- the committee list ------------------------------------------------------ */

void ib_agenda_refs_free(ib_agenda_ref *r, size_t n)
{
	for (size_t i = 0; r && i < n; i++)
		free(r[i].id), free(r[i].committee), free(r[i].date);
	free(r);
}

static int by_date(const void *a, const void *b)
{
	const ib_agenda_ref *x = a, *y = b;
	int c = strcmp(x->date, y->date);
	return c ? c : strcmp(x->id, y->id);
}

static int committee_wanted(const char *name, const char *const *committees, size_t n)
{
	if (!n)
		return 1;
	char *f = ag_fold(name);
	int hit = 0;
	for (size_t i = 0; f && i < n && !hit; i++) {
		char *c = ag_fold(committees[i]);
		hit = c && !strncmp(f, c, strlen(c));
		free(c);
	}
	free(f);
	return hit;
}

int ib_agenda_meetings(const char *name, const char *body, size_t len, const char *from,
		       const char *to, const char *const *committees, size_t n_committees,
		       ib_agenda_ref **out, size_t *n, ib_error *err)
{
	*out = NULL;
	*n = 0;
	cJSON *root = cJSON_ParseWithLength(body, len);
	const cJSON *u = root ? cJSON_GetObjectItemCaseSensitive(root, "Udvalg") : NULL;
	if (!cJSON_IsObject(u)) {
		cJSON_Delete(root);
		return ib_error_set(err, IB_EPARSE,
				    "%s: not a committee list (expected an object 'Udvalg')", name);
	}
	size_t alloc = 0;
	int rc = IB_OK;
	const cJSON *group, *c, *mo;
	cJSON_ArrayForEach(group, u)
	{
		cJSON_ArrayForEach(c, group)
		{
			const char *cname = jstr(c, "Navn");
			if (!cname || !committee_wanted(cname, committees, n_committees))
				continue;
			cJSON_ArrayForEach(mo, cJSON_GetObjectItemCaseSensitive(c, "Moeder"))
			{
				const char *id = jstr(mo, "Id"), *when = jstr(mo, "Dato");
				if (!id || !when || strlen(when) < 10)
					continue;
				char date[11];
				snprintf(date, sizeof date, "%s", when);
				if ((from && strcmp(date, from) < 0) ||
				    (to && strcmp(date, to) > 0))
					continue;
				if (*n == alloc) {
					alloc = alloc ? alloc * 2 : 64;
					ib_agenda_ref *v = realloc(*out, alloc * sizeof *v);
					if (!v) {
						rc = IB_ENOMEM;
						goto out;
					}
					*out = v;
				}
				ib_agenda_ref *r = &(*out)[*n];
				r->id = strdup(id);
				r->committee = strdup(cname);
				r->date = strdup(date);
				(*n)++;
				if (!r->id || !r->committee || !r->date) {
					rc = IB_ENOMEM;
					goto out;
				}
			}
		}
	}
out:
	cJSON_Delete(root);
	if (rc) {
		ib_agenda_refs_free(*out, *n);
		*out = NULL;
		*n = 0;
		return ib_error_set(err, rc, NULL);
	}
	if (*n)
		qsort(*out, *n, sizeof **out, by_date);
	return IB_OK;
}

/* ---- saved answers ----------------------------------------------------------- */

int ib_agenda_is_input(const char *path)
{
	struct stat st;
	if (ib_has_suffix(path, ".json") || ib_has_suffix(path, ".json.gz"))
		return 1;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int read_gz(const char *path, ib_buf *b, ib_error *err)
{
	gzFile f = gzopen(path, "rb");
	if (!f)
		return ib_error_set(err, IB_EIO, "cannot read '%s'", path);
	char chunk[65536];
	int k, rc = IB_OK;
	while (!rc && (k = gzread(f, chunk, sizeof chunk)) > 0)
		rc = ib_buf_add(b, chunk, (size_t)k);
	int zerr = 0;
	if (!rc && k < 0)
		gzerror(f, &zerr);
	gzclose(f);
	if (rc)
		return ib_error_set(err, rc, "%s: too big", path);
	if (zerr)
		return ib_error_set(err, IB_EIO, "%s: damaged gzip file", path);
	return IB_OK;
}

typedef struct names {
	char **z;
	size_t n, alloc;
} names;

static int names_add(names *l, const char *z)
{
	if (l->n == l->alloc) {
		size_t a = l->alloc ? l->alloc * 2 : 64;
		char **v = realloc(l->z, a * sizeof *v);
		if (!v)
			return IB_ENOMEM;
		l->z = v;
		l->alloc = a;
	}
	if (!(l->z[l->n] = strdup(z)))
		return IB_ENOMEM;
	l->n++;
	return IB_OK;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Files given, directories expanded to their .json and .json.gz files (sorted). */
static int expand(const char *const *paths, size_t n, names *out, ib_error *err)
{
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		if (stat(paths[i], &st) != 0)
			return ib_error_set(err, IB_EIO, "cannot read '%s'", paths[i]);
		if (!S_ISDIR(st.st_mode)) {
			if (names_add(out, paths[i]))
				return ib_error_set(err, IB_ENOMEM, NULL);
			continue;
		}
		DIR *d = opendir(paths[i]);
		if (!d)
			return ib_error_set(err, IB_EIO, "cannot read directory '%s'", paths[i]);
		size_t first = out->n;
		struct dirent *e;
		int rc = IB_OK;
		while (!rc && (e = readdir(d))) {
			if (!ib_has_suffix(e->d_name, ".json") &&
			    !ib_has_suffix(e->d_name, ".json.gz"))
				continue;
			char p[4096];
			snprintf(p, sizeof p, "%s/%s", paths[i], e->d_name);
			rc = names_add(out, p);
		}
		closedir(d);
		if (rc)
			return ib_error_set(err, IB_ENOMEM, NULL);
		if (out->n == first)
			return ib_error_set(err, IB_ENOTFOUND,
					    "%s: no saved agenda answers (.json, .json.gz)",
					    paths[i]);
		qsort(out->z + first, out->n - first, sizeof *out->z, cmp_str);
	}
	return IB_OK;
}

int ib_agenda_import(ib_store *s, const char *kommune, const char *const *paths, size_t n,
		     ib_agenda_report *rep, ib_error *err)
{
	memset(rep, 0, sizeof *rep);
	ib_municipality mun;
	int rc = ib_store_find_municipality(s, kommune, &mun, err);
	if (rc)
		return rc;
	names files = {0};
	rc = expand(paths, n, &files, err);
	ib_buf *bodies = rc ? NULL : calloc(files.n ? files.n : 1, sizeof *bodies);
	ib_agenda_meeting *m = rc ? NULL : calloc(files.n ? files.n : 1, sizeof *m);
	char(*sha)[65] = rc ? NULL : calloc(files.n ? files.n : 1, sizeof *sha);
	if (!rc && (!bodies || !m || !sha))
		rc = ib_error_set(err, IB_ENOMEM, NULL);
	for (size_t i = 0; i < files.n && !rc; i++) {
		ib_buf_init(&bodies[i], 0);
		rc = ib_has_suffix(files.z[i], ".gz")
			 ? read_gz(files.z[i], &bodies[i], err)
			 : ib_buf_read_file(&bodies[i], files.z[i], err);
		if (rc)
			break;
		ib_sha256_hex(bodies[i].z ? bodies[i].z : "", bodies[i].n, sha[i]);
		m[i] = (ib_agenda_meeting){files.z[i],
					   ib_base_name(files.z[i]),
					   bodies[i].z ? bodies[i].z : "",
					   bodies[i].n,
					   sha[i],
					   0};
	}
	if (!rc)
		rc = ib_store_begin(s, err);
	if (!rc) {
		rc = ib_agenda_store(s, mun.code, m, files.n, rep, err);
		if (rc)
			ib_store_rollback(s);
		else
			rc = ib_store_commit(s, err);
	}
	for (size_t i = 0; bodies && i < files.n; i++)
		ib_buf_free(&bodies[i]);
	for (size_t i = 0; i < files.n; i++)
		free(files.z[i]);
	free(files.z);
	free(bodies);
	free(m);
	free(sha);
	return rc;
}
