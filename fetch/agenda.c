/* agenda.c - committee agendas into cases: meetings, items, classification with
 * reasons, one case per case number.  See agenda.h. */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cJSON.h>
#include <zlib.h>

#include "csv.h"
#include "ideabank/agenda.h"
#include "ideabank/buf.h"
#include "ideabank/doc.h"
#include "ideabank/extract.h"
#include "ideabank/hash.h"
#include "ideabank/num.h"

extern const char ib_agenda_rules_csv[];     /* data/agenda_rules.csv */
extern const char ib_decision_rules_csv[];   /* data/decision_rules.csv */
extern const char ib_attachment_words_csv[]; /* data/attachment_words.csv */
extern const char ib_extract_rules_csv[];    /* data/extract_rules.csv: its variant words */

/* ---- the rule tables ------------------------------------------------------------ */

typedef struct rule {
	char *kind;   /* agenda rules: skip / art; decisions: yes, no, pending, none */
	char *field;  /* titel / resume (agenda rules only) */
	char *needle; /* folded */
	char *value;  /* reason, kind or meaning */
} rule;

typedef struct rules {
	rule *r;
	size_t n;
	int loaded; /* 1 loaded, -1 failed */
} rules;

static rules agenda_rules, decision_rules, attachment_words, variant_words;

static char *fold(const char *z)
{
	size_t n = strlen(z) * 2 + 1;
	char *out = malloc(n);
	if (out)
		ib_fold_ascii(z, out, n);
	return out;
}

/* Load a compiled-in table once.  cols: which columns hold kind, field, needle and
 * value (-1: none). */
static int load_rules(rules *t, const char *csv, int c_kind, int c_field, int c_needle, int c_value)
{
	if (t->loaded)
		return t->loaded > 0 ? IB_OK : IB_ENOMEM;
	ib_csv c;
	t->loaded = -1;
	if (ib_csv_parse(csv, strlen(csv), ';', &c, NULL))
		return IB_ENOMEM;
	t->r = calloc(c.n ? c.n : 1, sizeof *t->r);
	int rc = t->r ? IB_OK : IB_ENOMEM;
	for (size_t i = 1; i < c.n && !rc; i++) {
		const ib_csv_row *row = &c.rows[i];
		int need = c_value > c_needle ? c_value : c_needle;
		if ((int)row->n <= need)
			continue;
		rule *r = &t->r[t->n++];
		r->kind = c_kind >= 0 ? strdup(row->f[c_kind]) : NULL;
		r->field = c_field >= 0 ? strdup(row->f[c_field]) : NULL;
		r->needle = fold(row->f[c_needle]);
		r->value = c_value >= 0 ? strdup(row->f[c_value]) : NULL;
		if (!r->needle || (c_kind >= 0 && !r->kind) || (c_field >= 0 && !r->field) ||
		    (c_value >= 0 && !r->value))
			rc = IB_ENOMEM;
	}
	ib_csv_free(&c);
	if (!rc)
		t->loaded = 1;
	return rc;
}

static int rules_ready(void)
{
	int rc = load_rules(&agenda_rules, ib_agenda_rules_csv, 0, 1, 2, 3);
	if (!rc)
		rc = load_rules(&decision_rules, ib_decision_rules_csv, 1, -1, 0, 2);
	if (!rc)
		rc = load_rules(&attachment_words, ib_attachment_words_csv, -1, -1, 0, 1);
	if (!rc)
		rc = load_rules(&variant_words, ib_extract_rules_csv, 0, 1, 2, 3);
	return rc;
}

static int is_letter(unsigned char c)
{
	return isalnum(c) || c >= 0x80;
}

/* needle occurs in the folded hay as whole words */
static int has_words(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		if ((p == hay || !is_letter((unsigned char)p[-1])) &&
		    !is_letter((unsigned char)p[n]))
			return 1;
	return 0;
}

/* ---- reading meetings -------------------------------------------------------- */

typedef struct item {
	size_t meeting; /* index into the caller's meetings */
	char *meeting_id, *committee, *date, *when, *no, *case_no, *title, *url;
	char *text; /* plain text; only read for items with a costed table */
	char *summary, *decision;
	ib_xresult x;
	const char *skip; /* reason of a skip rule, or NULL */
	int historical;	  /* tables of years, but none with amounts for years to come */
	int x_failed;	  /* the case text could not be read */
	size_t order;	  /* position in the input: meetings, then items */
} item;

static void item_free(item *it)
{
	free(it->meeting_id), free(it->committee), free(it->date), free(it->when);
	free(it->no), free(it->case_no), free(it->title), free(it->url);
	free(it->text), free(it->summary), free(it->decision);
	ib_xresult_free(&it->x);
}

static const char *jstr(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static char *dupz(const char *z)
{
	return strdup(z ? z : "");
}

/* Collapse blanks and trim; returns z. */
static char *squeeze(char *z)
{
	char *w = z;
	int space = 1;
	for (const char *r = z; *r; r++) {
		unsigned char c = (unsigned char)*r;
		if (isspace(c) || (c == 0xC2 && (unsigned char)r[1] == 0xA0)) {
			if (c == 0xC2)
				r++;
			if (!space)
				*w++ = ' ';
			space = 1;
		} else {
			*w++ = *r;
			space = 0;
		}
	}
	if (w > z && w[-1] == ' ')
		w--;
	*w = 0;
	return z;
}

/* The first rule of kind whose needle occurs in the named field, or NULL. */
static const rule *match_agenda(const char *kind, const char *title, const char *summary)
{
	char *ft = fold(title ? title : ""), *fs = fold(summary ? summary : "");
	const rule *hit = NULL;
	for (size_t i = 0; ft && fs && i < agenda_rules.n && !hit; i++) {
		const rule *r = &agenda_rules.r[i];
		if (strcmp(r->kind, kind) || !*r->needle)
			continue;
		const char *hay = !strcmp(r->field, "titel")	? ft
				  : !strcmp(r->field, "resume") ? fs
								: NULL;
		if (hay && strstr(hay, r->needle))
			hit = r;
	}
	free(ft);
	free(fs);
	return hit;
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
		char *f = fold(name);
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

/* A proposal's table states amounts for years to come: a table whose years all lie
 * before or in the meeting's year is history (accounts, statistics, earlier budgets),
 * and one without an amount unit holds counts (prognoses, capacity), not money. */
static int looks_ahead(const ib_xtable *t, const char *date)
{
	int year = atoi(date);
	if (t->unit_kr == 0)
		return 0; /* years without an amount unit: counts, prognoses, capacity */
	for (int c = 0; c < t->n_years; c++)
		if (t->years[c] > year)
			return 1;
	return 0;
}

/* The number of tables of it that look ahead. */
static size_t n_ahead(const item *it)
{
	size_t n = 0;
	for (size_t i = 0; i < it->x.n; i++)
		n += (size_t)looks_ahead(&it->x.tables[i], it->date);
	return n;
}

/* Read one item's case text: plain text, summary, decision and costed tables. */
static int read_case_text(item *it, const char *html, size_t len)
{
	if (len) {
		it->summary = ib_html_section(html, len, "Resume");
		it->decision = ib_html_section(html, len, "Beslutning");
	}
	if (it->summary && !*squeeze(it->summary)) {
		free(it->summary);
		it->summary = NULL;
	}
	if (it->decision && !*squeeze(it->decision)) {
		free(it->decision);
		it->decision = NULL;
	}
	const rule *r = match_agenda("skip", it->title, it->summary);
	it->skip = r ? r->value : NULL;
	/* tables and the whole text only where they can matter (a quarter of the work) */
	if (!len || it->skip)
		return IB_OK;
	ib_error e = {0};
	int rc = ib_extract_html(html, len, &it->x, &e);
	if (rc == IB_ENOMEM)
		return rc;
	if (rc)
		it->x_failed = 1;
	it->historical = it->x.n > 0 && n_ahead(it) == 0;
	if (n_ahead(it) && !(it->text = ib_html_text(html, len)))
		it->x_failed = 1;
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
		it->title = squeeze(dupz(title));
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
			rc = read_case_text(it, html.z ? html.z : "", html.n);
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

/* The case an item belongs to: its case number, else the item itself. */
static void case_key(const item *it, char *out, size_t n)
{
	if (it->case_no)
		snprintf(out, n, "%s", it->case_no);
	else
		snprintf(out, n, "%s#punkt-%s", it->meeting_id, it->no);
}

static int by_case(const void *a, const void *b)
{
	const item *x = *(item *const *)a, *y = *(item *const *)b;
	char ka[256], kb[256];
	case_key(x, ka, sizeof ka);
	case_key(y, kb, sizeof kb);
	int c = strcmp(ka, kb);
	if (!c)
		c = strcmp(x->when, y->when);
	if (!c)
		c = x->order < y->order ? -1 : x->order > y->order;
	return c;
}

/* The first rule of data/decision_rules.csv whose words occur in decision, or NULL. */
static const rule *decision_rule(const char *decision)
{
	char *f = fold(decision);
	const rule *hit = NULL;
	for (size_t i = 0; f && i < decision_rules.n && !hit; i++)
		if (*decision_rules.r[i].needle && has_words(f, decision_rules.r[i].needle))
			hit = &decision_rules.r[i];
	free(f);
	return hit;
}

/* adopted from the last decision of c[0..n-1] that decides something: an orientation
 * ("none") or a text no rule knows leaves the decision before it in force; "pending"
 * (recommended on, sent back, postponed) is unknown. */
static int adopted_of(item **c, size_t n)
{
	for (size_t i = n; i-- > 0;) {
		const rule *r = c[i]->decision ? decision_rule(c[i]->decision) : NULL;
		if (!r || !strcmp(r->kind, "none"))
			continue;
		return !strcmp(r->kind, "yes")	? IB_ADOPTED_YES
		       : !strcmp(r->kind, "no") ? IB_ADOPTED_NO
						: IB_ADOPTED_UNKNOWN;
	}
	return IB_ADOPTED_UNKNOWN;
}

/* The alternative of tables[0..n_t-1] that the latest decision naming any of them names
 * ("anbefaler model B"; the later "godkendte Økonomiudvalgets indstilling" follows it):
 * its index, or -1 when no decision names exactly one of them. */
static int chosen_variant(item **c, size_t n, const ib_xtable *const *tables, size_t n_t)
{
	for (size_t i = n; i-- > 0;) {
		char *f = c[i]->decision ? fold(c[i]->decision) : NULL;
		int named = -1, n_named = 0;
		for (size_t k = 0; f && k < n_t; k++) {
			char *v = tables[k]->variant ? fold(tables[k]->variant) : NULL;
			if (v && *v && has_words(f, v)) {
				named = (int)k;
				n_named++;
			}
			free(v);
		}
		free(f);
		if (n_named)
			return n_named == 1 ? named : -1;
	}
	return -1;
}

static int count_reason(ib_agenda_report *rep, const char *outcome, const char *reason)
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
	v[rep->n_reasons].n = 1;
	if (!v[rep->n_reasons].outcome || !v[rep->n_reasons].reason) {
		free(v[rep->n_reasons].outcome), free(v[rep->n_reasons].reason);
		return IB_ENOMEM;
	}
	rep->n_reasons++;
	return IB_OK;
}

/* Record an item's outcome in the store and the report (out[] slot by input order). */
static int record_item(ib_store *s, int kommunekode, const item *it, const char *outcome,
		       const char *reason, int64_t proposal_id, ib_agenda_report *rep,
		       ib_error *err)
{
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
	if (!o->date || !o->committee || !o->item || !o->title || !o->reason ||
	    count_reason(rep, outcome, reason))
		return ib_error_set(err, IB_ENOMEM, NULL);
	return IB_OK;
}

/* The tables a case's proposals are made from: one per variant; without variants the
 * first table that has a total row, else the first. */
static size_t pick_tables(const item *it, const ib_xtable **out, size_t max)
{
	const ib_xresult *x = &it->x;
	size_t n = 0;
	for (size_t i = 0; i < x->n && n < max; i++) {
		const ib_xtable *t = &x->tables[i];
		if (!t->variant || !looks_ahead(t, it->date))
			continue;
		int dup = 0;
		for (size_t k = 0; k < n && !dup; k++)
			dup = !strcmp(out[k]->variant, t->variant);
		if (!dup)
			out[n++] = t;
	}
	if (n)
		return n;
	for (size_t i = 0; i < x->n; i++)
		if (x->tables[i].total_row >= 0 && looks_ahead(&x->tables[i], it->date)) {
			out[0] = &x->tables[i];
			return 1;
		}
	for (size_t i = 0; i < x->n; i++)
		if (looks_ahead(&x->tables[i], it->date)) {
			out[0] = &x->tables[i];
			return 1;
		}
	return 0;
}

/* 1 when the label begins with a variant word of the extractor's rule table ("Model
 * B", "Scenarie 2"). */
static int is_variant_label(const char *label)
{
	char *f = fold(label ? label : "");
	int hit = 0;
	for (size_t i = 0; f && i < variant_words.n && !hit; i++) {
		const rule *r = &variant_words.r[i];
		size_t n = strlen(r->needle);
		hit = !strcmp(r->kind, "variant") && n && !strncmp(f, r->needle, n) &&
		      (f[n] == ' ' || f[n] == 0);
	}
	free(f);
	return hit;
}

/* A table whose money rows are each an alternative ("Model A", "Model B") and which
 * has no total: the number of such rows, else 0. */
static size_t row_variants(const ib_xtable *t)
{
	size_t n = 0;
	if (t->variant || t->total_row >= 0)
		return 0;
	for (size_t i = 0; i < t->n_rows; i++) {
		if (t->rows[i].kind != IB_XROW_MONEY)
			continue;
		if (!is_variant_label(t->rows[i].label))
			return 0;
		n++;
	}
	return n >= 2 ? n : 0;
}

/* Make and store the proposals of case c[0..n-1] (appearances oldest first) from the
 * appearance src, which has costed tables. */
static int store_case(ib_store *s, int kommunekode, const ib_agenda_meeting *m, item **c, size_t n,
		      const item *src, int64_t *first_id, int *flagged, ib_agenda_report *rep,
		      ib_error *err)
{
	const ib_xtable *picked[8];
	size_t n_p = pick_tables(src, picked, 8), n_t = 0;
	/* alternatives printed as rows of one table become one table each */
	ib_xtable split[8];
	const ib_xtable *tables[8];
	for (size_t k = 0; k < n_p && n_t < 8; k++) {
		if (!row_variants(picked[k])) {
			tables[n_t++] = picked[k];
			continue;
		}
		for (size_t r = 0; r < picked[k]->n_rows && n_t < 8; r++) {
			if (picked[k]->rows[r].kind != IB_XROW_MONEY)
				continue;
			split[n_t] = *picked[k];
			split[n_t].rows = &picked[k]->rows[r];
			split[n_t].n_rows = 1;
			split[n_t].variant = picked[k]->rows[r].label;
			tables[n_t] = &split[n_t];
			n_t++;
		}
	}
	/* alternatives: an adopted case adopted the one its decisions name, not the others;
	   when no decision names one, which was adopted is unknown */
	int adopted = adopted_of(c, n);
	int chosen = n_t > 1 && tables[0]->variant ? chosen_variant(c, n, tables, n_t) : -1;
	const rule *kind = match_agenda("art", src->title, src->summary);
	int rc = IB_OK;
	*first_id = 0;
	*flagged = 0;
	for (size_t k = 0; k < n_t && !rc; k++) {
		const ib_xtable *t = tables[k];
		ib_proposal *p = ib_proposal_new();
		if (!p)
			return ib_error_set(err, IB_ENOMEM, NULL);
		p->kommunekode = kommunekode;
		/* alternatives say which in their title, so a result list tells them apart */
		char title[1200];
		if (t->variant)
			snprintf(title, sizeof title, "%s (%s)", src->title, t->variant);
		else
			snprintf(title, sizeof title, "%s", src->title);
		if (ib_strset(&p->title, title) || ib_strset(&p->summary, src->summary) ||
		    ib_strset(&p->text, src->text) || ib_strset(&p->committee, c[0]->committee) ||
		    ib_strset(&p->source, src->url) || ib_strset(&p->ref, src->case_no) ||
		    ib_strset(&p->variant, t->variant))
			rc = IB_ENOMEM;
		char key[256];
		case_key(src, key, sizeof key);
		if (!rc && ib_strset(&p->case_key, key))
			rc = IB_ENOMEM;
		p->kind = kind ? ib_kind_canonical(kind->value) : "andet";
		if (!p->kind)
			p->kind = "andet";
		p->adopted = adopted;
		if (n_t > 1 && t->variant && adopted == IB_ADOPTED_YES)
			p->adopted = chosen < 0		  ? IB_ADOPTED_UNKNOWN
				     : (size_t)chosen == k ? IB_ADOPTED_YES
							   : IB_ADOPTED_NO;
		for (size_t i = 0; i < n && !rc; i++) {
			ib_appearance a = {c[i]->committee, c[i]->date, c[i]->no, c[i]->decision,
					   c[i]->url};
			rc = ib_proposal_add_appearance(p, &a);
		}
		if (!rc)
			rc = ib_extract_apply(t, p);
		/* the budget the case belongs to: its table's first year from the meeting's
		 * on (a table may begin with earlier years already spent) */
		p->budget_year = atoi(src->date);
		for (int y = t->n_years; y-- > 0;)
			if (t->years[y] >= atoi(src->date))
				p->budget_year = t->years[y];
		for (size_t i = 0; i < src->x.n_notes && !rc; i++)
			rc = ib_proposal_add_flag(p, "extract_note", "%s", src->x.notes[i]);
		if (!rc && t->unit_kr == 0)
			*flagged = 1;
		if (p->n_flags)
			*flagged = 1;
		p->area = ib_doc_area(p);
		if (rc) {
			ib_proposal_free(p);
			return ib_error_set(err, rc, NULL);
		}
		ib_store_set_fetch(s, m[src->meeting].fetch_id, NULL);
		int result = 0;
		rc = ib_store_put_proposal(s, p, &result, err);
		ib_store_set_fetch(s, 0, NULL);
		if (rc) {
			ib_error_prefix(err, "%s: case %s", src->url, key);
		} else {
			if (!*first_id)
				*first_id = p->id;
			if (result == IB_PUT_NEW)
				rep->proposals_new++;
			else if (result == IB_PUT_UPDATED)
				rep->proposals_updated++;
			else
				rep->proposals_unchanged++;
		}
		ib_proposal_free(p);
	}
	return rc;
}

/* Classify and store one case c[0..n-1]. */
static int do_case(ib_store *s, int kommunekode, const ib_agenda_meeting *m, item **c, size_t n,
		   ib_agenda_report *rep, ib_error *err)
{
	const char *skip = NULL;
	const item *src = NULL;
	int unreadable = 0, historical = 0;
	for (size_t i = 0; i < n; i++) {
		if (c[i]->skip && !skip)
			skip = c[i]->skip;
		if (n_ahead(c[i]) && c[i]->text)
			src = c[i]; /* the latest appearance with a costed table */
		unreadable |= c[i]->x_failed;
		historical |= c[i]->historical;
	}
	rep->cases++;
	int64_t id = 0;
	int flagged = 0, rc = IB_OK;
	const char *outcome = "skipped", *reason;
	if (skip) {
		reason = skip;
	} else if (!src && historical) {
		reason = "ingen beløb for kommende budgetår (regnskab, statistik, prognoser)";
	} else if (!src && unreadable) {
		reason = "sagsfremstillingen kunne ikke læses";
	} else if (!src) {
		reason = "ingen økonomisk effekt pr. budgetår";
	} else {
		rc = store_case(s, kommunekode, m, c, n, src, &id, &flagged, rep, err);
		if (rc)
			return rc;
		rep->cases_stored++;
		outcome = flagged ? "flagged" : "proposal";
		reason = flagged
			     ? "forslag med økonomi pr. budgetår, med flag om det, der ikke kunne "
			       "læses (se ideabank show)"
			     : "forslag med økonomi pr. budgetår";
	}
	for (size_t i = 0; i < n && !rc; i++)
		rc = record_item(s, kommunekode, c[i], outcome, reason, id, rep, err);
	return rc;
}

void ib_agenda_report_free(ib_agenda_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_reasons; i++)
		free(r->reasons[i].outcome), free(r->reasons[i].reason);
	for (size_t i = 0; i < r->n_out; i++) {
		ib_agenda_item_out *o = &r->out[i];
		free(o->date), free(o->committee), free(o->item), free(o->case_number);
		free(o->title), free(o->reason);
	}
	for (size_t i = 0; i < r->n_att; i++)
		free(r->att[i].id), free(r->att[i].name), free(r->att[i].item_url);
	for (size_t i = 0; i < r->n_lists; i++)
		free(r->lists[i]);
	free(r->reasons);
	free(r->out);
	free(r->att);
	free(r->lists);
	memset(r, 0, sizeof *r);
}

int ib_agenda_store(ib_store *s, int kommunekode, const ib_agenda_meeting *m, size_t n,
		    ib_agenda_report *rep, ib_error *err)
{
	memset(rep, 0, sizeof *rep);
	if (rules_ready())
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
		qsort(order, n_items, sizeof *order, by_case);
	}
	for (size_t i = 0; i < n_items && !rc;) {
		size_t j = i + 1;
		char a[256], b[256];
		case_key(order[i], a, sizeof a);
		while (j < n_items && (case_key(order[j], b, sizeof b), !strcmp(a, b)))
			j++;
		rc = do_case(s, kommunekode, m, order + i, j - i, rep, err);
		i = j;
	}
	free(order);
	for (size_t i = 0; i < n_items; i++)
		item_free(&items[i]);
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
	char *f = fold(name);
	int hit = 0;
	for (size_t i = 0; f && i < n && !hit; i++) {
		char *c = fold(committees[i]);
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
		for (size_t i = 0; i < lists.n; i++)
			free(lists.z[i]);
		free(lists.z);
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
