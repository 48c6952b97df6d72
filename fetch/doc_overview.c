/* doc_overview.c - the overview table before a document's proposals: a row per case
 * (by reference or an overview_case rule), group subtotals and the total checked as
 * notes, each case held against its proposal's own table (overview_mismatch). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc_int.h"
#include "ideabank/buf.h"
#include "ideabank/num.h"

typedef struct ov_item {
	int kind; /* 0 case, 1 group subtotal, 2 total */
	char ref[16], label[512];
	double net[DOC_MAX_COLS], inv[DOC_MAX_COLS];
	int n_net, n_inv;
	size_t line; /* of the net values, else of the label */
	int group;   /* its group's subtotal, -1 none */
	ib_proposal *p;
	const doc_table *t;
} ov_item;

struct doc_overview {
	int years[DOC_MAX_COLS], ncols;
	int rounded; /* said to be rounded: to 100 or 10 (what its figures allow), else 0 */
	ov_item *items;
	size_t n;
};

void doc_overview_free(doc_overview *o)
{
	if (o)
		free(o->items);
	free(o);
}

/* A short label in capitals ("SAMU", "ÆGU"): a group of the overview. */
static int is_group_label(const char *z)
{
	size_t len = strlen(z);
	for (size_t i = 0; i < len; i++)
		if (!(z[i] >= 'A' && z[i] <= 'Z') &&
		    !((unsigned char)z[i] == 0xC3 && (unsigned char)z[i + 1] >= 0x80 &&
		      (unsigned char)z[i++ + 1] <= 0x9E))
			return 0;
	return len >= 2 && len <= 12;
}

static void add_values(double *dst, int *n, int max, const double *v, int k)
{
	for (int j = 0; j < k && *n < max; j++)
		dst[(*n)++] = v[j];
}

/* Subtotals against their cases, the total against the subtotals (or the cases). */
static int check_sums(doc_overview *o, ib_doc_result *r)
{
	int rc = IB_OK, groups = 0;
	for (size_t i = 0; i < o->n; i++)
		groups |= o->items[i].kind == 1;
	for (size_t i = 0; i < o->n && !rc; i++) {
		const ov_item *it = &o->items[i];
		double sum[DOC_MAX_COLS] = {0};
		char parts[256] = "", printed[256], computed[256];
		int ok = 1;
		if (it->kind == 0 || it->n_net != o->ncols)
			continue;
		for (size_t j = 0; j < o->n; j++) {
			const ov_item *m = &o->items[j];
			size_t at = strlen(parts);
			if (it->kind == 1 ? m->kind || m->group != (int)i : m->kind != groups)
				continue;
			snprintf(parts + at, sizeof parts - at, "%s%.63s", at ? " + " : "",
				 m->kind == 0 && *m->ref ? m->ref : m->label);
			for (int k = 0; k < m->n_net && k < o->ncols; k++)
				sum[k] += ib_is_na(m->net[k]) ? 0 : m->net[k];
		}
		for (int k = 0; k < o->ncols; k++)
			ok &= doc_near_equal(sum[k], it->net[k]);
		doc_list_values(it->net, o->ncols, 0, printed, sizeof printed);
		doc_list_values(sum, o->ncols, 0, computed, sizeof computed);
		r->n_failed_checks += !ok;
		rc = ok ? doc_note(r, "check ok: overview %s = %s (%s)", it->label, parts, printed)
			: doc_note(r, "check failed: overview %s prints %s but %s adds up to %s",
				   it->label, printed, parts, computed);
	}
	return rc;
}

int doc_overview_read(const doc_ctx *c, size_t to, doc_overview **out)
{
	const ib_doc *d = c->d;
	doc_overview *o = calloc(1, sizeof *o);
	*out = NULL;
	if (!o || !(o->items = calloc(to + 1, sizeof *o->items))) {
		doc_overview_free(o);
		return IB_ENOMEM;
	}
	ov_item *cur = NULL;
	int group = -1, rounding = 0, ny, years[DOC_MAX_COLS];
	for (size_t i = 0; i < to; i++) {
		const char *z = d->line[i], *p = doc_skip_blank(z);
		rounding |= doc_rule_find(c, "overview_rounding", NULL, z, NULL) != NULL;
		if ((ny = doc_year_columns(z, years, DOC_MAX_COLS)) > 0) {
			if (!o->ncols)
				o->ncols = ny,
				memcpy(o->years, years, sizeof years[0] * (size_t)ny);
			cur = NULL;
			continue;
		}
		double v[DOC_MAX_COLS];
		size_t ll, digits = strspn(p, "0123456789");
		int n = ib_doc_tail_numbers(z, v, DOC_MAX_COLS, NULL, &ll);
		char label[512];
		snprintf(label, sizeof label, "%.*s", (int)ll, z);
		doc_squeeze(label);
		doc_hit h = {0};
		if (!o->ncols || doc_is_blank(z))
			continue;
		if (doc_rule_find(c, "overview_case", NULL, label, &h) ||
		    (digits && digits < 6 && (p[digits] == ' ' || p[digits] == '\t') &&
		     ll > (size_t)(p - z) + digits + 1)) {
			cur = &o->items[o->n++];
			cur->group = group, cur->line = i;
			if (!h.end)
				snprintf(cur->ref, sizeof cur->ref, "%.*s", (int)digits, p);
			memmove(label, h.end ? h.end : label + digits,
				strlen(h.end ? h.end : label + digits) + 1);
		} else if (n == o->ncols &&
			   (is_group_label(label) ||
			    doc_rule_find(c, "overview_total", NULL, label, NULL))) {
			cur = &o->items[o->n++];
			cur->kind = is_group_label(label) ? 1 : 2, cur->group = -1, cur->line = i;
			snprintf(cur->label, sizeof cur->label, "%s", label);
			add_values(cur->net, &cur->n_net, o->ncols, v, n);
			group = cur->kind == 1 ? (int)(cur - o->items) : group;
			cur = NULL;
			continue;
		}
		if (cur && cur->n_net < o->ncols) { /* more of the case: its label, its values */
			doc_label_add(cur->label, sizeof cur->label, label);
			cur->line = n && !cur->n_net ? i : cur->line;
			add_values(cur->net, &cur->n_net, o->ncols, v, n);
		} else if (cur && n == o->ncols && !cur->n_inv &&
			   doc_rule_find(c, "overview_investment", NULL, label, NULL)) {
			add_values(cur->inv, &cur->n_inv, o->ncols, v, n);
			cur = NULL;
		} else {
			cur = NULL; /* anything else ends the case */
		}
	}
	if (!o->n) {
		doc_overview_free(o);
		return IB_OK;
	}
	/* rounded to what: the largest of 100 and 10 that divides every figure */
	o->rounded = rounding ? 100 : 0;
	for (size_t i = 0; i < o->n; i++)
		for (int k = 0; k < o->ncols; k++)
			for (int unit = o->rounded; unit > 1; unit /= 10)
				if ((k < o->items[i].n_net && fmod(o->items[i].net[k], unit)) ||
				    (k < o->items[i].n_inv && fmod(o->items[i].inv[k], unit)))
					o->rounded = unit / 10;
	doc_explain(c, "overview: lines 1-%zu, years %d-%d, %zu rows%s", to, o->years[0],
		    o->years[o->ncols - 1], o->n, rounding ? ", said to be rounded" : "");
	*out = o;
	return check_sums(o, c->r);
}

/* Words of four letters or more in z, folded, as " w1 w2 ... " in out (size 1024). */
static void title_words(const char *z, char *out)
{
	char folded[1024];
	ib_fold_ascii(z, folded, sizeof folded);
	size_t k = 0;
	out[k++] = ' ';
	for (const char *p = folded; *p;) {
		p += strcspn(p, "abcdefghijklmnopqrstuvwxyz");
		size_t w = strspn(p, "abcdefghijklmnopqrstuvwxyz");
		if (w >= 4 && k + w + 2 < 1024)
			memcpy(out + k, p, w), k += w, out[k++] = ' ';
		p += w;
	}
	out[k] = '\0';
}

void doc_overview_match(const doc_ctx *c, doc_overview *o, ib_proposal **props,
			const doc_table *tables, size_t n)
{
	for (size_t i = 0; o && i < o->n; i++) {
		ov_item *it = &o->items[i];
		size_t best = n;
		int best_n = 0, n_words = 0;
		char ow[1024], pw[1024], w[128];
		title_words(it->label, ow);
		/* by reference, else by the words of the title: at least half of the case's */
		for (size_t k = 0; k < n && !it->kind && *it->ref && best == n; k++)
			best = props[k]->ref && !strcmp(props[k]->ref, it->ref) ? k : n;
		for (size_t k = 0; k < n && !it->kind && !*it->ref; k++) {
			int m = 0;
			title_words(props[k]->title, pw);
			n_words = 0;
			for (const char *q = ow + 1; *q; q = strchr(q, ' ') + 1, n_words++) {
				snprintf(w, sizeof w, " %.*s ", (int)strcspn(q, " "), q);
				m += strstr(pw, w) != NULL;
			}
			if (m > best_n)
				best_n = m, best = k;
		}
		if (best < n && (*it->ref || 2 * best_n >= n_words)) {
			it->p = props[best], it->t = &tables[best];
			doc_explain(c, "overview line %zu: '%s' held against %s", it->line + 1,
				    *it->ref ? it->ref : it->label,
				    props[best]->ref ? props[best]->ref : props[best]->title);
		}
	}
}

int doc_overview_series(doc_overview *o, const ib_proposal *p, const doc_table *t, double *ov,
			int *rounded)
{
	for (int k = 0; k < DOC_MAX_COLS; k++)
		ov[k] = IB_NA;
	for (size_t i = 0; o && i < o->n; i++) {
		const ov_item *it = &o->items[i];
		for (int k = 0; it->p == p && k < t->ncols; k++)
			for (int j = 0; j < o->ncols && j < it->n_net; j++)
				ov[k] = o->years[j] == t->years[k] ? it->net[j] : ov[k];
		if (it->p == p)
			return *rounded = o->rounded, 1;
	}
	return 0;
}

/* One series against p's column (net, or inv: investment); the differing years are
 * appended to what ("2019: -200 mod -136").  Returns the number compared. */
static int compare(const int *years, int n, const double *v, const ib_proposal *p, int inv,
		   int rounded, char *what, size_t size, int *n_bad, int *reversed)
{
	int compared = 0;
	for (int k = 0; v && k < n; k++)
		for (size_t j = 0; j < p->n_years; j++) {
			double page = inv ? p->years[j].investment : p->years[j].net;
			char a[48], b[48];
			size_t len = strlen(what);
			if (p->years[j].year != years[k] || ib_is_na(page) || ib_is_na(v[k]))
				continue;
			compared++;
			if (doc_near_equal(v[k], page) ||
			    (rounded > 1 && doc_near_equal(v[k], round(page / rounded) * rounded)))
				continue;
			*reversed &= doc_near_equal(v[k], -page);
			snprintf(what + len, size - len, "%s%d: %s mod %s", *n_bad ? ", " : "",
				 years[k], ib_num_format(v[k], 0, a, sizeof a),
				 ib_num_format(page, 0, b, sizeof b));
			(*n_bad)++;
		}
	return compared;
}

int doc_overview_compare(const char *where, const int *years, int n, const double *net,
			 const double *inv, const char *net_name, const char *inv_name, int rounded,
			 ib_proposal *p, int *state)
{
	char nets[512] = "", invs[512] = "";
	int bad_net = 0, bad_inv = 0, rev = 1, rev_inv = 1;
	int compared = compare(years, n, net, p, 0, rounded, nets, sizeof nets, &bad_net, &rev) +
		       compare(years, n, inv, p, 1, rounded, invs, sizeof invs, &bad_inv, &rev_inv);
	*state = !compared ? 0 : bad_net || bad_inv ? 2 : 1;
	if (*state < 2)
		return IB_OK;
	ib_buf b;
	ib_buf_init(&b, 0);
	ib_buf_addf(&b, "%s afviger fra forslagets tabel, oversigt mod side:", where);
	if (bad_net)
		ib_buf_addf(&b, " %s %s%s%s", net_name, nets, rev ? " (modsat fortegn)" : "",
			    bad_inv ? ";" : "");
	if (bad_inv)
		ib_buf_addf(&b, " %s %s", inv_name, invs);
	int rc = b.z ? ib_proposal_add_flag(p, "overview_mismatch", "%s", b.z) : IB_ENOMEM;
	ib_buf_free(&b);
	return rc;
}

int doc_overview_check(const doc_ctx *c, doc_overview *o, ib_error *err)
{
	int rc = IB_OK, by_ref = 0;
	for (size_t i = 0; o && i < o->n && !rc; i++) {
		ov_item *it = &o->items[i];
		int known = 0, page_known = 0, state = 0;
		by_ref |= *it->ref != '\0';
		if (it->kind)
			continue;
		if (!it->p && *it->ref)
			return ib_error_set(
			    err, IB_EPARSE,
			    "%s: proposal %s is in the overview table but has no page of its "
			    "own; the document is incomplete, nothing imported",
			    c->d->name, it->ref);
		if (!it->p) {
			c->r->n_failed_checks++;
			rc = doc_note(c->r,
				      "check failed: the overview's case '%s' (line %zu) has no "
				      "proposal in the document",
				      it->label, it->line + 1);
			continue;
		}
		for (int k = 0; k < it->n_net; k++)
			known |= !ib_is_na(it->net[k]);
		for (size_t j = 0; j < it->p->n_years; j++)
			page_known |= !ib_is_na(it->p->years[j].net);
		if (known && !page_known) {
			char po[256];
			doc_list_values(it->net, it->n_net, 0, po, sizeof po);
			c->r->n_failed_checks++;
			rc = doc_note(c->r,
				      "check failed: the overview prints %s for %s, but its page "
				      "has no readable net effect",
				      po, it->p->ref ? it->p->ref : it->p->title);
			continue;
		}
		const doc_row *net = doc_table_row(it->t, "net", 1),
			      *inv = doc_table_row(it->t, "investment", 1);
		char where[64];
		int k = snprintf(where, sizeof where, "oversigtstabellen (linje %zu", it->line + 1);
		snprintf(where + k, sizeof where - (size_t)k,
			 o->rounded > 1 ? ", afrundet til %d)" : ")", o->rounded);
		if (it->n_net == o->ncols)
			rc = doc_overview_compare(
			    where, o->years, o->ncols, it->net,
			    it->n_inv == o->ncols ? it->inv : NULL, net ? net->name : "netto",
			    inv ? inv->name : "investering", o->rounded, it->p, &state);
	}
	/* a proposal with a reference where the overview names its cases by reference */
	for (size_t k = 0; by_ref && !rc && k < c->r->proposals.n; k++) {
		const ib_proposal *p = c->r->proposals.items[k];
		size_t i = 0;
		while (i < o->n && o->items[i].p != p)
			i++;
		if (i == o->n && p->ref)
			rc = doc_note(c->r, "%s: not in the overview table", p->ref);
	}
	return rc;
}
