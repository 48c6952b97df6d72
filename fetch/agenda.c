/* agenda.c - committee agendas into cases: meetings read and stored, items grouped into
 * cases (one per case number), each case classified by agenda_classify.c and stored
 * with its items' outcomes.  See agenda.h. */
#include <ctype.h>
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cJSON.h>
#include <zlib.h>

#include "agenda_int.h"
#include "ideabank/agenda.h"
#include "ideabank/array.h"
#include "ideabank/buf.h"
#include "ideabank/doc.h"
#include "ideabank/extract.h"
#include "ideabank/hash.h"
#include "ideabank/num.h"
#include "ideabank/portals.h"

extern const char ib_attachment_words_csv[]; /* data/attachment_words.csv */

static ag_rules attachment_words;
static pthread_once_t rules_once = PTHREAD_ONCE_INIT;
static int rules_rc;

static void load_rules(void)
{
	rules_rc = ag_rules_ready();
	if (!rules_rc)
		rules_rc = ag_load_rules(&attachment_words, ib_attachment_words_csv, -1, -1, 0, 1);
}

/* The classifier's tables and the attachment words, once per process (pthread_once).
 * IB_OK or IB_ENOMEM. */
static int rules_ready(void)
{
	pthread_once(&rules_once, load_rules);
	return rules_rc;
}

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

/* The address item p of meeting m (Id id) is cited by: its page on the portal, else
 * the answer's URL#punkt-N. */
static void cite_url(const ib_agenda_meeting *m, const char *id, const cJSON *p, char *url,
		     size_t n)
{
	const char *no = jstr(p, "Punktnummer");
	if (m->site)
		ib_portal_item_url(m->site, id, jstr(p, "Id"), no, url, n);
	else
		snprintf(url, n, "%s#punkt-%s", m->url, no ? no : "?");
}

int ib_agenda_attachments(const ib_agenda_meeting *m, size_t n, ib_agenda_report *rep,
			  ib_error *err)
{
	memset(rep, 0, sizeof *rep);
	if (rules_ready())
		return ib_error_set(err, IB_ENOMEM, NULL);
	int rc = IB_OK;
	for (size_t i = 0; i < n && !rc; i++) {
		cJSON *root = cJSON_ParseWithLength(m[i].body, m[i].len);
		const cJSON *list =
		    root ? cJSON_GetObjectItemCaseSensitive(root, "Dagsordenpunkter") : NULL;
		const char *id = root ? jstr(root, "Id") : NULL;
		const cJSON *p;
		if (id && cJSON_IsArray(list))
			cJSON_ArrayForEach(p, list)
			{
				char url[2048];
				cite_url(&m[i], id, p, url, sizeof url);
				if ((rc = note_attachments(
					 cJSON_GetObjectItemCaseSensitive(p, "Bilag"), url, rep)))
					break;
			}
		cJSON_Delete(root);
	}
	if (rc) {
		ib_agenda_report_free(rep);
		return ib_error_set(err, IB_ENOMEM, NULL);
	}
	return IB_OK;
}

/* ---- storing meetings ---------------------------------------------------------- */

/* A growable list of strings. */
typedef struct names {
	char **z;
	size_t n, alloc;
} names;

static int names_add(names *l, const char *z)
{
	if (IB_GROW(l->z, l->n, l->alloc, 64))
		return IB_ENOMEM;
	if (!(l->z[l->n] = strdup(z)))
		return IB_ENOMEM;
	l->n++;
	return IB_OK;
}

static void names_free(names *l)
{
	ib_strings_free(l->z, l->n);
	memset(l, 0, sizeof *l);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sort l and drop repeated strings. */
static void names_unique(names *l)
{
	if (!l->n)
		return;
	qsort(l->z, l->n, sizeof *l->z, cmp_str);
	size_t w = 1;
	for (size_t r = 1; r < l->n; r++) {
		if (!strcmp(l->z[r], l->z[w - 1]))
			free(l->z[r]);
		else
			l->z[w++] = l->z[r];
	}
	l->n = w;
}

/* The case an item belongs to: its case number, else the item itself. */
static void case_key_of(const char *case_no, const char *meeting_id, const char *no, char *out,
			size_t n)
{
	if (case_no && *case_no)
		snprintf(out, n, "%s", case_no);
	else
		snprintf(out, n, "%s#punkt-%s", meeting_id, no ? no : "?");
}

static int add_case_key(void *ctx, const char *key)
{
	return names_add(ctx, key) ? IB_ENOMEM : IB_OK;
}

/* A key of the slots and its index in input order. */
typedef struct slot_ref {
	const char *key;
	size_t index;
} slot_ref;

/* The items of the meetings being stored, by meeting id and item number, so that a
 * case read back from the store knows which of its items the report lists. */
typedef struct slots {
	names keys;	 /* "meeting id\x1fitem", in input order */
	slot_ref *order; /* the keys sorted */
} slots;

static void slot_key(const char *meeting_id, const char *no, char *out, size_t n)
{
	snprintf(out, n, "%s\x1f%s", meeting_id, no ? no : "");
}

static int by_slot(const void *a, const void *b)
{
	const slot_ref *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : (x->index > y->index) - (x->index < y->index);
}

static int slots_index(slots *sl)
{
	sl->order = malloc((sl->keys.n ? sl->keys.n : 1) * sizeof *sl->order);
	if (!sl->order)
		return IB_ENOMEM;
	for (size_t i = 0; i < sl->keys.n; i++)
		sl->order[i] = (slot_ref){sl->keys.z[i], i};
	qsort(sl->order, sl->keys.n, sizeof *sl->order, by_slot);
	return IB_OK;
}

/* The report slot of an item, or NO_SLOT when it is not of the meetings stored now. */
static size_t slot_of(const slots *sl, const char *meeting_id, const char *no)
{
	char k[512];
	slot_key(meeting_id, no, k, sizeof k);
	size_t lo = 0, hi = sl->keys.n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(sl->order[mid].key, k);
		if (!c)
			return sl->order[mid].index;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NO_SLOT;
}

/* Deflate n bytes of z into *out (malloc'd, *n_out bytes). */
static int deflate_text(const char *z, size_t n, unsigned char **out, size_t *n_out)
{
	uLongf cap = compressBound((uLong)n);
	*out = malloc(cap ? cap : 1);
	if (!*out)
		return IB_ENOMEM;
	if (compress2(*out, &cap, (const Bytef *)z, (uLong)n, 1) != Z_OK) {
		free(*out);
		*out = NULL;
		return IB_ENOMEM;
	}
	*n_out = cap;
	return IB_OK;
}

/* Inflate a stored case text into b. */
static int inflate_text(const void *z, size_t n, ib_buf *b)
{
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	if (inflateInit(&zs) != Z_OK)
		return IB_ENOMEM;
	zs.next_in = (Bytef *)z;
	zs.avail_in = (uInt)n;
	unsigned char chunk[65536];
	int zrc, rc = IB_OK;
	do {
		zs.next_out = chunk;
		zs.avail_out = sizeof chunk;
		zrc = inflate(&zs, Z_NO_FLUSH);
		if (zrc != Z_OK && zrc != Z_STREAM_END) {
			rc = IB_EPARSE;
			break;
		}
		rc = ib_buf_add(b, (const char *)chunk, sizeof chunk - zs.avail_out);
	} while (!rc && zrc != Z_STREAM_END);
	inflateEnd(&zs);
	return rc;
}

/* Store meeting m: its row and its items with their case text (replacing what the
 * meeting held before), the cases its items belong to now and before into touched,
 * each item's report slot into sl, the attachments worth reading into rep. */
static int store_meeting(ib_store *s, int kommunekode, const ib_agenda_meeting *m,
			 names *seen, names *touched, slots *sl, ib_agenda_report *rep,
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
	/* one meeting once per call: a second copy would leave the first one's report
	   slots unfilled */
	char seen_key[600];
	snprintf(seen_key, sizeof seen_key, "%s\x1f", id);
	for (size_t i = 0; i < seen->n; i++)
		if (!strncmp(seen->z[i], seen_key, strlen(seen_key))) {
			int rc = ib_error_set(err, IB_EDUP, "%s: the same meeting (Id %s) as %s",
					      m->name, id, seen->z[i] + strlen(seen_key));
			cJSON_Delete(root);
			return rc;
		}
	int owner = 0, rc = IB_OK;
	char seen_as[2600];
	snprintf(seen_as, sizeof seen_as, "%s%s", seen_key, m->name);
	if (names_add(seen, seen_as))
		rc = ib_error_set(err, IB_ENOMEM, NULL);
	if (!rc && m->named_by_user)
		rc = ib_store_agenda_meeting_owner(s, id, &owner, err);
	if (!rc && owner && owner != kommunekode) {
		char a[8], b[8];
		ib_municipality ma = {0}, mb = {0};
		snprintf(a, sizeof a, "%03d", owner);
		snprintf(b, sizeof b, "%03d", kommunekode);
		ib_store_find_municipality(s, a, &ma, NULL);
		ib_store_find_municipality(s, b, &mb, NULL);
		rc = ib_error_set(err, IB_EDUP,
				  "%s: meeting %s is stored as %s's (%03d), not %s's (%03d); is "
				  "--kommune right?",
				  m->name, id, ma.name, owner, mb.name, kommunekode);
	}
	if (rc) {
		cJSON_Delete(root);
		return rc;
	}
	char date[11];
	snprintf(date, sizeof date, "%s", when);
	/* the cases the meeting held before are derived again too */
	rc = ib_store_agenda_meeting_cases(s, kommunekode, id, add_case_key, touched, err);
	if (rc == IB_ENOMEM)
		ib_error_set(err, rc, NULL);
	ib_store_set_fetch(s, m->fetch_id, NULL);
	if (!rc)
		rc = ib_store_put_agenda_meeting(s, kommunekode, id, committee, date, when, m->url,
						 m->sha256, err);
	ib_store_set_fetch(s, 0, NULL);
	if (rc) {
		cJSON_Delete(root);
		return rc;
	}
	rep->meetings++;
	const cJSON *p;
	int seq = 0;
	cJSON_ArrayForEach(p, list)
	{
		rep->items++;
		const char *no = jstr(p, "Punktnummer"), *title = jstr(p, "Navn");
		const char *case_no = jstr(p, "SagsNummer");
		char url[2048], key[512], slot[512];
		cite_url(m, id, p, url, sizeof url);
		case_key_of(case_no, id, no ? no : "?", key, sizeof key);
		slot_key(id, no ? no : "?", slot, sizeof slot);
		char *t = ag_squeeze(dupz(title));
		ib_buf html;
		ib_buf_init(&html, 0);
		const cJSON *f;
		cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(p, "Felter"))
		{
			const char *h = jstr(f, "Html");
			if (h && (rc = ib_buf_adds(&html, h)))
				break;
		}
		unsigned char *z = NULL;
		size_t nz = 0;
		if (!rc && !t)
			rc = IB_ENOMEM;
		if (!rc && html.n)
			rc = deflate_text(html.z, html.n, &z, &nz);
		ib_buf_free(&html);
		if (!rc && (names_add(touched, key) || names_add(&sl->keys, slot)))
			rc = IB_ENOMEM;
		if (rc) {
			free(t);
			free(z);
			ib_error_set(err, rc, NULL);
			break;
		}
		ib_agenda_item_rec r = {kommunekode, id, no ? no : "?", case_no && *case_no ? case_no
									      : NULL,
					t,	     seq++, key, url, z, nz};
		rc = ib_store_put_agenda_item(s, &r, err);
		free(t);
		free(z);
		if (!rc && note_attachments(cJSON_GetObjectItemCaseSensitive(p, "Bilag"), url, rep))
			rc = ib_error_set(err, IB_ENOMEM, NULL);
		if (rc)
			break;
	}
	cJSON_Delete(root);
	return rc;
}

/* Reading a case back from the store: every stored item of it becomes an item. */
typedef struct case_items {
	item *v;
	size_t n, alloc;
	const slots *sl;
	int rc;
} case_items;

static int take_item(void *ctx, const ib_agenda_stored_item *st)
{
	case_items *ci = ctx;
	if (IB_GROW(ci->v, ci->n, ci->alloc, 8))
		return IB_ENOMEM;
	item *it = &ci->v[ci->n];
	memset(it, 0, sizeof *it);
	ci->n++;
	it->fetch_id = st->fetch_id;
	it->order = slot_of(ci->sl, st->meeting_id, st->item);
	it->meeting_id = dupz(st->meeting_id);
	it->committee = dupz(st->committee);
	it->date = dupz(st->date);
	it->when = dupz(st->starts ? st->starts : st->date);
	it->no = dupz(st->item);
	it->case_no = st->case_number ? strdup(st->case_number) : NULL;
	it->title = dupz(st->title);
	it->url = dupz(st->url);
	if (!it->meeting_id || !it->committee || !it->date || !it->when || !it->no ||
	    (st->case_number && !it->case_no) || !it->title || !it->url)
		return IB_ENOMEM;
	ib_buf html;
	ib_buf_init(&html, 0);
	int rc = st->html ? inflate_text(st->html, st->html_len, &html) : IB_OK;
	if (!rc)
		rc = ag_item_read(it, html.z ? html.z : "", html.n);
	ib_buf_free(&html);
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

/* Record an item's outcome in the store, and in the report when it is an item of the
 * meetings stored now (out[] slot it->order). */
static int record_item(ib_store *s, int kommunekode, const item *it, const ag_outcome *k,
		       int64_t proposal_id, ib_agenda_report *rep, ib_error *err)
{
	const char *outcome = k->outcome, *reason = k->reason;
	int rc = ib_store_set_agenda_outcome(s, kommunekode, it->meeting_id, it->no, outcome,
					     reason, proposal_id, err);
	if (rc || it->order == NO_SLOT)
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

/* Classify and store one case c[0..n-1] (every stored appearance, oldest first); its
 * proposals that it no longer makes are deleted. */
static int do_case(ib_store *s, int kommunekode, item **c, size_t n, ib_agenda_report *rep,
		   ib_error *err)
{
	ag_outcome k;
	int rc = ag_classify(c, n, kommunekode, &k);
	if (rc)
		return ib_error_set(err, rc, NULL);
	rep->cases++;
	char key[512];
	ag_case_key(c[0], key, sizeof key);
	/* a case of a database older than schema 7 keeps its proposals until all the
	   meetings it had are stored again: derived from fewer, it would lose them */
	long waiting = 0;
	if ((rc = ib_store_agenda_case_waiting(s, kommunekode, key, &waiting, err))) {
		ag_outcome_free(&k);
		return rc;
	}
	if (waiting) {
		ag_outcome w = {.outcome = "skipped",
				.code = "waiting",
				.reason = "sagen behandledes på møder, der blev gemt før skemaversion 7"
					  " og ikke er gemt igen; dens forslag står uændret"};
		rep->cases_waiting++;
		for (size_t i = 0; i < n && !rc; i++)
			rc = record_item(s, kommunekode, c[i], &w, 0, rep, err);
		ag_outcome_free(&k);
		return rc;
	}
	int64_t *ids = calloc(k.n_p ? k.n_p : 1, sizeof *ids);
	if (!ids) {
		ag_outcome_free(&k);
		return ib_error_set(err, IB_ENOMEM, NULL);
	}
	size_t n_ids = 0;
	for (size_t i = 0; i < k.n_p && !rc; i++) {
		ib_proposal *p = k.p[i];
		ib_store_set_fetch(s, k.src->fetch_id, NULL);
		int result = 0;
		rc = ib_store_put_proposal(s, p, &result, err);
		ib_store_set_fetch(s, 0, NULL);
		if (rc) {
			ib_error_prefix(err, "%s: case %s", k.src->url, p->case_key);
			break;
		}
		ids[n_ids++] = p->id;
		if (result == IB_PUT_NEW)
			rep->proposals_new++;
		else if (result == IB_PUT_UPDATED)
			rep->proposals_updated++;
		else
			rep->proposals_unchanged++;
	}
	if (!rc && k.n_p)
		rep->cases_stored++;
	long pruned = 0;
	if (!rc)
		rc = ib_store_prune_case(s, kommunekode, key, ids, n_ids, &pruned, err);
	rep->proposals_removed += pruned;
	for (size_t i = 0; i < n && !rc; i++)
		rc = record_item(s, kommunekode, c[i], &k, n_ids ? ids[0] : 0, rep, err);
	free(ids);
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
	for (size_t i = 0; i < r->n_lists; i++)
		free(r->lists[i]);
	IB_FREE_ALL(r->reasons, r->out, r->att, r->lists);
	memset(r, 0, sizeof *r);
}

int ib_agenda_store(ib_store *s, int kommunekode, const ib_agenda_meeting *m, size_t n,
		    ib_agenda_report *rep, ib_error *err)
{
	memset(rep, 0, sizeof *rep);
	if (rules_ready())
		return ib_error_set(err, IB_ENOMEM, NULL);
	names seen = {0}, touched = {0};
	slots sl = {0};
	int rc = IB_OK;
	for (size_t i = 0; i < n && !rc; i++)
		rc = store_meeting(s, kommunekode, &m[i], &seen, &touched, &sl, rep, err);
	names_free(&seen);
	if (!rc) {
		names_unique(&touched);
		rep->out = calloc(sl.keys.n ? sl.keys.n : 1, sizeof *rep->out);
		rep->n_out = sl.keys.n;
		if (!rep->out || slots_index(&sl))
			rc = ib_error_set(err, IB_ENOMEM, NULL);
	}
	/* every case the meetings touch, derived from every meeting stored */
	case_items ci = {0};
	ci.sl = &sl;
	item **c = NULL;
	size_t c_alloc = 0;
	for (size_t k = 0; k < touched.n && !rc; k++) {
		for (size_t i = 0; i < ci.n; i++)
			ag_item_free(&ci.v[i]);
		ci.n = 0;
		rc = ib_store_agenda_case(s, kommunekode, touched.z[k], take_item, &ci, err);
		if (rc == IB_ENOMEM || rc == IB_EPARSE)
			ib_error_set(err, rc, "case %s: cannot read its stored case text",
				     touched.z[k]);
		if (!rc && !ci.n) {
			/* no meeting holds the case any more */
			long pruned = 0;
			rc = ib_store_prune_case(s, kommunekode, touched.z[k], NULL, 0, &pruned, err);
			rep->proposals_removed += pruned;
		}
		if (rc || !ci.n)
			continue;
		if (ci.n > c_alloc) {
			item **v = realloc(c, ci.n * sizeof *v);
			if (!v) {
				rc = ib_error_set(err, IB_ENOMEM, NULL);
				break;
			}
			c = v;
			c_alloc = ci.n;
		}
		for (size_t i = 0; i < ci.n; i++)
			c[i] = &ci.v[i];
		rc = do_case(s, kommunekode, c, ci.n, rep, err);
	}
	IB_FREE_EACH(ci.v, ci.n, ag_item_free);
	free(c);
	names_free(&touched);
	names_free(&sl.keys);
	free(sl.order);
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

static int by_id(const void *a, const void *b)
{
	return strcmp(((const ib_agenda_ref *)a)->id, ((const ib_agenda_ref *)b)->id);
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
				if (IB_GROW(*out, *n, alloc, 64)) {
					rc = IB_ENOMEM;
					goto out;
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
	/* one meeting may be listed in more than one group */
	if (*n)
		qsort(*out, *n, sizeof **out, by_id);
	size_t k = 0;
	for (size_t i = 0; i < *n; i++) {
		if (k && !strcmp((*out)[k - 1].id, (*out)[i].id)) {
			free((*out)[i].id), free((*out)[i].committee), free((*out)[i].date);
			continue;
		}
		(*out)[k++] = (*out)[i];
	}
	*n = k;
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
	if (!rc)
		gzerror(f, &zerr);
	gzclose(f);
	if (rc)
		return ib_error_set(err, rc, "%s: too big", path);
	/* gzread hands out what a cut file holds and ends without an error; gzerror
	 * then says Z_BUF_ERROR (before: 'not an agenda meeting' for the partial JSON) */
	if (zerr == Z_BUF_ERROR)
		return ib_error_set(err, IB_EPARSE, "%s: truncated gzip file (it ends mid-stream)",
				    path);
	if (zerr && zerr != Z_STREAM_END)
		return ib_error_set(err, IB_EPARSE, "%s: damaged gzip file", path);
	return IB_OK;
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
	/* the items cite their page on the municipality's portal, when it has one */
	ib_portal *portals = NULL;
	size_t n_portals = 0;
	char site[300] = "";
	if ((rc = ib_portals(&portals, &n_portals, err)))
		return rc;
	const ib_portal *portal = ib_portal_of(portals, n_portals, mun.code);
	if (ib_portal_supported(portal))
		snprintf(site, sizeof site, "https://%s", portal->host);
	free(portals);
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
					   0,
					   *site ? site : NULL,
					   1};
	}
	/* a saved committee list (/udvalgsliste) beside the meetings lists them and is
	   no meeting: skipped and said (before: 'not an agenda meeting') */
	names lists = {0};
	size_t n_meetings = 0;
	for (size_t i = 0; i < files.n && !rc; i++) {
		ib_agenda_ref *refs = NULL;
		size_t n_refs = 0;
		int list = ib_agenda_meetings(m[i].name, m[i].body, m[i].len, NULL, NULL, NULL, 0,
					      &refs, &n_refs, NULL) == IB_OK &&
			   n_refs > 0;
		ib_agenda_refs_free(refs, n_refs);
		if (list) {
			if (names_add(&lists, m[i].name))
				rc = ib_error_set(err, IB_ENOMEM, NULL);
			continue;
		}
		m[n_meetings++] = m[i];
	}
	if (!rc)
		rc = ib_store_begin(s, err);
	if (!rc) {
		rc = ib_agenda_store(s, mun.code, m, n_meetings, rep, err);
		if (rc)
			ib_store_rollback(s);
		else
			rc = ib_store_commit(s, err);
	}
	if (!rc) {
		rep->lists = lists.z;
		rep->n_lists = lists.n;
	} else {
		ib_strings_free(lists.z, lists.n);
	}
	for (size_t i = 0; bodies && i < files.n; i++)
		ib_buf_free(&bodies[i]);
	ib_strings_free(files.z, files.n);
	IB_FREE_ALL(bodies, m, sha);
	return rc;
}
