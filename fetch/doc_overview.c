/* doc_overview.c - the overview table before a document's proposals, held against each
 * proposal's own table.
 *
 * The overview has year columns and a row per case: named by a reference ("217 Title
 * 300 300 300 300") or begun by an overview_case rule ("Smart investeringsforslag:
 * Title"), its label over one or more lines, its net values, and right under them an
 * investment row (overview_investment rules).  A short label in capitals with values is
 * a group's subtotal over the cases under it, a row an overview_total rule names is the
 * total.  Subtotals are checked as notes; each case is matched to its proposal (by
 * reference, else by the words of its title) and compared year by year: a difference is
 * an overview_mismatch flag, a case with a reference but no proposal fails the
 * document, and one without a proposal is a failed check. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc_int.h"
#include "ideabank/buf.h"
#include "ideabank/num.h"

typedef struct ov_item {
	int kind; /* 0 case, 1 group subtotal, 2 total */
	char ref[16];
	char label[512];
	double net[DOC_MAX_COLS], inv[DOC_MAX_COLS];
	int n_net, n_inv;
	size_t line; /* line of the net values, else of the label */
	int group;   /* index of its group's subtotal, -1 none */
	ib_proposal *p;
	const doc_table *t;
} ov_item;

struct doc_overview {
	int years[DOC_MAX_COLS];
	int ncols;
	int rounded; /* the overview says it is rounded: to 100 or 10 (what its figures allow) */
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
	if (len < 2 || len > 12)
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)z[i];
		if (ch == 0xC3 && i + 1 < len && (unsigned char)z[i + 1] >= 0x80 &&
		    (unsigned char)z[i + 1] <= 0x9E)
			i++;
		else if (!(ch >= 'A' && ch <= 'Z'))
			return 0;
	}
	return 1;
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
		groups += o->items[i].kind == 1;
	for (size_t i = 0; i < o->n && !rc; i++) {
		const ov_item *it = &o->items[i];
		if (it->kind == 0 || it->n_net != o->ncols)
			continue;
		double sum[DOC_MAX_COLS] = {0};
		char parts[256] = "";
		for (size_t j = 0; j < o->n; j++) {
			const ov_item *m = &o->items[j];
			int member = it->kind == 1 ? m->kind == 0 && m->group == (int)i
						   : m->kind == (groups ? 1 : 0);
			if (!member)
				continue;
			size_t at = strlen(parts);
			snprintf(parts + at, sizeof parts - at, "%s%.63s", at ? " + " : "",
				 m->kind == 0 && *m->ref ? m->ref : m->label);
			for (int k = 0; k < m->n_net && k < o->ncols; k++)
				if (!ib_is_na(m->net[k]))
					sum[k] += m->net[k];
		}
		int ok = 1;
		for (int k = 0; k < o->ncols; k++)
			ok &= doc_near_equal(sum[k], it->net[k]);
		char printed[256], computed[256];
		doc_list_values(it->net, o->ncols, 0, printed, sizeof printed);
		doc_list_values(sum, o->ncols, 0, computed, sizeof computed);
		if (ok) {
			rc = doc_note(r, "check ok: overview %s = %s (%s)", it->label, parts,
				      printed);
		} else {
			r->n_failed_checks++;
			rc = doc_note(r, "check failed: overview %s prints %s but %s adds up to %s",
				      it->label, printed, parts, computed);
		}
	}
	return rc;
}

int doc_overview_read(const doc_ctx *c, size_t to, doc_overview **out)
{
	const ib_doc *d = c->d;
	*out = NULL;
	doc_overview *o = calloc(1, sizeof *o);
	if (!o || !(o->items = calloc(to + 1, sizeof *o->items))) {
		doc_overview_free(o);
		return IB_ENOMEM;
	}
	ov_item *cur = NULL;
	int group = -1, rounding = 0;
	for (size_t i = 0; i < to; i++) {
		const char *z = d->line[i];
		rounding |= doc_rule_find(c, "overview_rounding", NULL, z, NULL) != NULL;
		int years[DOC_MAX_COLS];
		int ny = doc_year_columns(z, years, DOC_MAX_COLS);
		if (ny) {
			if (!o->ncols) {
				o->ncols = ny;
				memcpy(o->years, years, sizeof years[0] * (size_t)ny);
			}
			cur = NULL;
			continue;
		}
		if (!o->ncols || doc_is_blank(z))
			continue;
		double v[DOC_MAX_COLS];
		size_t ll;
		int n = ib_doc_tail_numbers(z, v, DOC_MAX_COLS, NULL, &ll);
		char label[512];
		snprintf(label, sizeof label, "%.*s", (int)ll, z);
		doc_squeeze(label);
		doc_hit h = {0};
		const char *p = doc_skip_blank(z);
		int digits = 0;
		while (p[digits] >= '0' && p[digits] <= '9')
			digits++;
		if (doc_rule_find(c, "overview_case", NULL, label, &h) ||
		    (digits && digits < 6 && (p[digits] == ' ' || p[digits] == '\t') &&
		     ll > (size_t)(p - z + digits) + 1)) {
			cur = &o->items[o->n++];
			cur->group = group;
			cur->line = i;
			if (h.end) {
				memmove(label, h.end, strlen(h.end) + 1);
			} else {
				snprintf(cur->ref, sizeof cur->ref, "%.*s", digits, p);
				memmove(label, label + digits, strlen(label + digits) + 1);
			}
			doc_squeeze(label);
		} else if (n == o->ncols &&
			   (is_group_label(label) ||
			    doc_rule_find(c, "overview_total", NULL, label, NULL))) {
			ov_item *g = &o->items[o->n++];
			g->kind = is_group_label(label) ? 1 : 2;
			g->group = -1;
			g->line = i;
			snprintf(g->label, sizeof g->label, "%s", label);
			add_values(g->net, &g->n_net, o->ncols, v, n);
			if (g->kind == 1)
				group = (int)(g - o->items);
			cur = NULL;
			continue;
		}
		if (!cur)
			continue;
		if (cur->n_net < o->ncols) {
			doc_label_add(cur->label, sizeof cur->label, label);
			if (n && !cur->n_net)
				cur->line = i;
			add_values(cur->net, &cur->n_net, o->ncols, v, n);
		} else if (n == o->ncols && !cur->n_inv &&
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
	if (rounding) {
		o->rounded = 100;
		for (size_t i = 0; i < o->n; i++)
			for (int k = 0; k < o->ncols; k++)
				for (int unit = o->rounded; unit > 1; unit /= 10)
					if ((k < o->items[i].n_net &&
					     fmod(o->items[i].net[k], unit)) ||
					    (k < o->items[i].n_inv &&
					     fmod(o->items[i].inv[k], unit)))
						o->rounded = unit / 10;
	}
	doc_explain(c, "overview: lines 1-%zu, year columns %d-%d, %zu rows%s", to, o->years[0],
		    o->years[o->ncols - 1], o->n, rounding ? ", said to be rounded" : "");
	*out = o;
	return check_sums(o, c->r);
}

/* ---- matching -------------------------------------------------------------------- */

/* Words of at least four letters in z, folded, as " w1 w2 ... " in out. */
static void title_words(const char *z, char *out, size_t n)
{
	char folded[1024];
	ib_fold_ascii(z, folded, sizeof folded);
	size_t k = 0;
	out[k++] = ' ';
	for (const char *p = folded; *p;) {
		while (*p && !(*p >= 'a' && *p <= 'z'))
			p++;
		const char *e = p;
		while (*e >= 'a' && *e <= 'z')
			e++;
		if (e - p >= 4 && k + (size_t)(e - p) + 2 < n) {
			memcpy(out + k, p, (size_t)(e - p));
			k += (size_t)(e - p);
			out[k++] = ' ';
		}
		p = e;
	}
	out[k] = '\0';
}

/* How many of a's words are in b (both from title_words); *n_a gets a's count. */
static int shared_words(const char *a, const char *b, int *n_a)
{
	int n = 0;
	*n_a = 0;
	for (const char *p = a + 1; *p;) {
		const char *e = strchr(p, ' ');
		char w[128];
		snprintf(w, sizeof w, " %.*s ", (int)(e - p), p);
		(*n_a)++;
		n += strstr(b, w) != NULL;
		p = e + 1;
	}
	return n;
}

void doc_overview_match(const doc_ctx *c, doc_overview *o, ib_proposal **props,
			const doc_table *tables, size_t n)
{
	for (size_t i = 0; o && i < o->n; i++) {
		ov_item *it = &o->items[i];
		if (it->kind)
			continue;
		size_t best = n;
		int best_n = 0, n_words = 0;
		char ow[1024], pw[1024];
		title_words(it->label, ow, sizeof ow);
		for (size_t k = 0; k < n && !*it->ref; k++) {
			title_words(props[k]->title, pw, sizeof pw);
			int m = shared_words(ow, pw, &n_words);
			if (m > best_n)
				best_n = m, best = k;
		}
		if (*it->ref)
			for (size_t k = 0; k < n && best == n; k++)
				if (props[k]->ref && !strcmp(props[k]->ref, it->ref))
					best = k;
		if (best < n && (*it->ref || 2 * best_n >= n_words)) {
			it->p = props[best];
			it->t = &tables[best];
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
		if (it->p != p)
			continue;
		for (int k = 0; k < t->ncols; k++)
			for (int j = 0; j < o->ncols && j < it->n_net; j++)
				if (o->years[j] == t->years[k])
					ov[k] = it->net[j];
		*rounded = o->rounded;
		return 1;
	}
	return 0;
}

/* Whether an overview figure agrees with the page's: equal, or equal once the page's is
 * rounded to the overview's unit. */
static int ov_agrees(double ov, double page, int rounded)
{
	return doc_near_equal(ov, page) ||
	       (rounded > 1 && doc_near_equal(ov, round(page / rounded) * rounded));
}

/* One overview series against p's column (net or investment); differing years are
 * appended to what ("2019: -200 mod -136").  Returns the number compared. */
static int compare(const int *years, int n, const double *v, const ib_proposal *p, int inv,
		   int rounded, char *what, size_t size, int *n_bad, int *reversed)
{
	int compared = 0;
	for (int k = 0; k < n; k++)
		for (size_t j = 0; j < p->n_years; j++) {
			double page = inv ? p->years[j].investment : p->years[j].net;
			if (p->years[j].year != years[k] || ib_is_na(page) || ib_is_na(v[k]))
				continue;
			compared++;
			if (ov_agrees(v[k], page, rounded))
				continue;
			*reversed &= doc_near_equal(v[k], -page);
			char a[48], b[48];
			size_t len = strlen(what);
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
	int compared =
	    net ? compare(years, n, net, p, 0, rounded, nets, sizeof nets, &bad_net, &rev) : 0;
	if (inv)
		compared +=
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
	int rc = IB_OK;
	for (size_t i = 0; o && i < o->n && !rc; i++) {
		ov_item *it = &o->items[i];
		if (it->kind)
			continue;
		if (!it->p && *it->ref)
			return ib_error_set(
			    err, IB_EPARSE,
			    "%s: proposal %s is in the overview table but has no page "
			    "of its own; the document is incomplete, nothing imported",
			    c->d->name, it->ref);
		if (!it->p) {
			c->r->n_failed_checks++;
			rc = doc_note(c->r,
				      "check failed: the overview's case '%s' (line %zu) has no "
				      "proposal in the document",
				      it->label, it->line + 1);
			continue;
		}
		int known = 0, page_known = 0;
		for (int k = 0; k < it->n_net; k++)
			known |= !ib_is_na(it->net[k]);
		for (size_t j = 0; j < it->p->n_years; j++)
			page_known |= !ib_is_na(it->p->years[j].net);
		const char *name = it->p->ref ? it->p->ref : it->p->title;
		if (known && !page_known) {
			char po[256];
			doc_list_values(it->net, it->n_net, 0, po, sizeof po);
			c->r->n_failed_checks++;
			rc = doc_note(
			    c->r,
			    "check failed: the overview prints %s for %s, but its page has "
			    "no readable net effect",
			    po, name);
			continue;
		}
		if (it->n_net < o->ncols)
			continue;
		const doc_row *net = doc_table_role(it->t, "net");
		const doc_row *inv = doc_table_role(it->t, "investment");
		char where[64];
		if (o->rounded > 1)
			snprintf(where, sizeof where,
				 "oversigtstabellen (linje %zu, afrundet til %d)", it->line + 1,
				 o->rounded);
		else
			snprintf(where, sizeof where, "oversigtstabellen (linje %zu)",
				 it->line + 1);
		int state = 0;
		rc = doc_overview_compare(
		    where, o->years, o->ncols, it->net, it->n_inv == o->ncols ? it->inv : NULL,
		    net ? net->name : "netto", inv ? inv->name : "investering", o->rounded, it->p,
		    &state);
	}
	/* proposals with a reference where the overview names its cases by reference */
	int by_ref = 0;
	for (size_t i = 0; o && i < o->n; i++)
		by_ref |= *o->items[i].ref != '\0';
	for (size_t k = 0; by_ref && !rc && k < c->r->proposals.n; k++) {
		const ib_proposal *p = c->r->proposals.items[k];
		int found = 0;
		for (size_t i = 0; i < o->n && !found; i++)
			found = o->items[i].p == p;
		if (!found && p->ref)
			rc = doc_note(c->r, "%s: not in the overview table", p->ref);
	}
	return rc;
}
