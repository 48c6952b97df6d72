/* agenda_classify.c - what an agenda case is: an item's parts (summary, decision,
 * tables), the case's outcome with its reason from the rule tables, and the proposals
 * made of it (one per alternative).  Works on a case's items whatever their source; it
 * never touches the store.  See agenda_int.h. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agenda_int.h"
#include "csv.h"
#include "ideabank/doc.h"
#include "ideabank/extract.h"
#include "ideabank/num.h"

extern const char ib_agenda_rules_csv[];   /* data/agenda_rules.csv */
extern const char ib_decision_rules_csv[]; /* data/decision_rules.csv */
extern const char ib_extract_rules_csv[];  /* data/extract_rules.csv: its variant words */

typedef ag_rule rule;

static ag_rules agenda_rules, decision_rules, variant_words;

char *ag_fold(const char *z)
{
	size_t n = strlen(z) * 2 + 1;
	char *out = malloc(n);
	if (out)
		ib_fold_ascii(z, out, n);
	return out;
}

/* Load a compiled-in table once.  cols: which columns hold kind, field, needle and
 * value (-1: none). */
int ag_load_rules(ag_rules *t, const char *csv, int c_kind, int c_field, int c_needle, int c_value)
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
		r->needle = ag_fold(row->f[c_needle]);
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

int ag_rules_ready(void)
{
	int rc = ag_load_rules(&agenda_rules, ib_agenda_rules_csv, 0, 1, 2, 3);
	if (!rc)
		rc = ag_load_rules(&decision_rules, ib_decision_rules_csv, 1, -1, 0, 2);
	if (!rc)
		rc = ag_load_rules(&variant_words, ib_extract_rules_csv, 0, 1, 2, 3);
	return rc;
}

static int is_letter(unsigned char c)
{
	return isalnum(c) || c >= 0x80;
}

/* needle occurs in the folded hay as whole words */
int ag_has_words(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		if ((p == hay || !is_letter((unsigned char)p[-1])) &&
		    !is_letter((unsigned char)p[n]))
			return 1;
	return 0;
}
void ag_item_free(item *it)
{
	free(it->meeting_id), free(it->committee), free(it->date), free(it->when);
	free(it->no), free(it->case_no), free(it->title), free(it->url);
	free(it->text), free(it->summary), free(it->decision);
	ib_xresult_free(&it->x);
}
char *ag_squeeze(char *z)
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
	char *ft = ag_fold(title ? title : ""), *fs = ag_fold(summary ? summary : "");
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
int ag_item_read(item *it, const char *html, size_t len)
{
	if (len) {
		it->summary = ib_html_section(html, len, "Resume");
		it->decision = ib_html_section(html, len, "Beslutning");
	}
	if (it->summary && !*ag_squeeze(it->summary)) {
		free(it->summary);
		it->summary = NULL;
	}
	if (it->decision && !*ag_squeeze(it->decision)) {
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
/* ---- cases ------------------------------------------------------------------- */

/* The case an item belongs to: its case number, else the item itself. */
void ag_case_key(const item *it, char *out, size_t n)
{
	if (it->case_no)
		snprintf(out, n, "%s", it->case_no);
	else
		snprintf(out, n, "%s#punkt-%s", it->meeting_id, it->no);
}

int ag_by_case(const void *a, const void *b)
{
	const item *x = *(item *const *)a, *y = *(item *const *)b;
	char ka[256], kb[256];
	ag_case_key(x, ka, sizeof ka);
	ag_case_key(y, kb, sizeof kb);
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
	char *f = ag_fold(decision);
	const rule *hit = NULL;
	for (size_t i = 0; f && i < decision_rules.n && !hit; i++)
		if (*decision_rules.r[i].needle && ag_has_words(f, decision_rules.r[i].needle))
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
		char *f = c[i]->decision ? ag_fold(c[i]->decision) : NULL;
		int named = -1, n_named = 0;
		for (size_t k = 0; f && k < n_t; k++) {
			char *v = tables[k]->variant ? ag_fold(tables[k]->variant) : NULL;
			if (v && *v && ag_has_words(f, v)) {
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
	char *f = ag_fold(label ? label : "");
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

/* Make the proposals of case c[0..n-1] (appearances oldest first) from the appearance
 * src, which has costed tables, into out; *flagged is set when one has a flag. */
static int make_proposals(int kommunekode, item **c, size_t n, const item *src, ag_outcome *out,
			  int *flagged)
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
	*flagged = 0;
	out->p = calloc(n_t ? n_t : 1, sizeof *out->p);
	if (!out->p)
		return IB_ENOMEM;
	int rc = IB_OK;
	for (size_t k = 0; k < n_t && !rc; k++) {
		const ib_xtable *t = tables[k];
		ib_proposal *p = ib_proposal_new();
		if (!p)
			return IB_ENOMEM;
		out->p[out->n_p++] = p;
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
		ag_case_key(src, key, sizeof key);
		if (!rc && ib_strset(&p->case_key, key))
			rc = IB_ENOMEM;
		p->kind = kind ? ib_kind_canonical(kind->value) : "andet";
		if (!p->kind)
			p->kind = "andet";
		p->adopted = adopted;
		if (n_t > 1 && t->variant && adopted == IB_ADOPTED_YES)
			p->adopted = chosen < 0		   ? IB_ADOPTED_UNKNOWN
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
	}
	return rc;
}

int ag_classify(item **c, size_t n, int kommunekode, ag_outcome *out)
{
	memset(out, 0, sizeof *out);
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
	out->outcome = "skipped";
	if (skip) {
		out->reason = skip;
	} else if (!src && historical) {
		out->reason = "ingen beløb for kommende budgetår (regnskab, statistik, prognoser)";
	} else if (!src && unreadable) {
		out->reason = "sagsfremstillingen kunne ikke læses";
	} else if (!src) {
		out->reason = "ingen økonomisk effekt pr. budgetår";
	} else {
		int flagged = 0;
		int rc = make_proposals(kommunekode, c, n, src, out, &flagged);
		if (rc) {
			ag_outcome_free(out);
			return rc;
		}
		out->src = src;
		out->outcome = flagged ? "flagged" : "proposal";
		out->reason = flagged
				  ? "forslag med økonomi pr. budgetår, med flag om det, der ikke "
				    "kunne læses (se ideabank show)"
				  : "forslag med økonomi pr. budgetår";
	}
	return IB_OK;
}

void ag_outcome_free(ag_outcome *out)
{
	for (size_t i = 0; out && i < out->n_p; i++)
		ib_proposal_free(out->p[i]);
	if (out) {
		free(out->p);
		memset(out, 0, sizeof *out);
	}
}
