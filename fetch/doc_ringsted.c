/* doc_ringsted.c - Ringsted-style investment proposals (seed 000).
 *
 * The document opens with an overview table (committee subtotals, one row per
 * proposal, a grand total) and then has a page per proposal: "NNN - Title",
 * "Forslagets indhold:", the ticked type (☒ or X before Effektivisering,
 * Servicereduktion or Andet), the "Økonomiske konsekvenser, 1000 kr." table with year
 * columns and rows Investeringsudgifter, Udgifter, Indtægter and Netto effekt (or
 * "I alt"), "Personalemæssige konsekvenser, årsværk", and Udvalg / Center / Bevilling.
 * Rows are read as printed; the checks (rows vs net, detail page vs overview,
 * subtotals vs totals) become flags and notes, never corrections. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc_int.h"
#include "ideabank/buf.h"
#include "ideabank/num.h"

enum { ROW_INV, ROW_EXP, ROW_INC, ROW_NET, N_ROWS };
static const char *const row_name[N_ROWS] = {"Investeringsudgifter", "Udgifter", "Indtægter",
					     "Netto effekt"};

typedef struct table_row {
	double v[DOC_MAX_COLS];
	int n, ph, seen;
	size_t line;	   /* line of the first value */
	char label[256];   /* text beside the row name */
	char printed[256]; /* the values as printed */
} table_row;

/* "217 - Title": the reference, or 0 when z is not a proposal heading. */
static int heading_ref(const char *z, const char **title)
{
	z = doc_skip_blank(z);
	int ref = 0, digits = 0;
	while (*z >= '0' && *z <= '9' && digits < 5) {
		ref = ref * 10 + (*z++ - '0');
		digits++;
	}
	if (!digits || digits > 4 || strncmp(z, " - ", 3) != 0)
		return 0;
	*title = z + 3;
	return ref;
}

static void add_text(char *dst, size_t n, const char *z)
{
	size_t k = strlen(dst);
	if (k && k + 1 < n)
		dst[k++] = ' ', dst[k] = '\0';
	snprintf(dst + k, n - k, "%s", z);
	doc_squeeze(dst);
}

/* Values list in Danish notation: "185, -315, -515, -815". */
static void list_values(const double *v, int n, int decimals, char *out, size_t size)
{
	size_t k = 0;
	out[0] = '\0';
	for (int i = 0; i < n && k < size; i++) {
		char num[48];
		if (ib_is_na(v[i]))
			snprintf(num, sizeof num, "?");
		else
			ib_num_format(v[i], decimals, num, sizeof num);
		k += (size_t)snprintf(out + k, size - k, "%s%s", i ? ", " : "", num);
	}
}

/* ---- the overview table ----------------------------------------------------- */

typedef struct ov_item {
	int ref;  /* 0 for a subtotal or the total */
	int kind; /* 0 proposal, 1 committee subtotal, 2 total */
	char label[512];
	double v[DOC_MAX_COLS];
	int n;
	int group; /* index of the subtotal this proposal belongs to, -1 none */
} ov_item;

typedef struct overview {
	int years[DOC_MAX_COLS];
	int ncols;
	ov_item *items;
	size_t n;
} overview;

/* An all-capitals committee label such as "SAMU" or "ÆGU". */
static int is_committee_label(const char *z, size_t len)
{
	if (len < 2 || len > 12)
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)z[i];
		if (c == 0xC3 && i + 1 < len) { /* Æ Ø Å */
			unsigned char c2 = (unsigned char)z[i + 1];
			if (c2 != 0x86 && c2 != 0x98 && c2 != 0x85)
				return 0;
			i++;
		} else if (!(c >= 'A' && c <= 'Z')) {
			return 0;
		}
	}
	return 1;
}

static int parse_overview(const ib_doc *d, size_t end, overview *ov)
{
	long hdr = doc_find(d, 0, end, "Titel");
	if (hdr < 0 || !(ov->ncols = doc_year_columns(d->line[hdr], ov->years, DOC_MAX_COLS)))
		return IB_OK; /* no overview: nothing to cross-check */
	ov->items = calloc(end, sizeof *ov->items);
	if (!ov->items)
		return IB_ENOMEM;
	int group = -1;
	ov_item *cur = NULL;
	for (size_t i = (size_t)hdr + 1; i < end; i++) {
		const char *z = doc_skip_blank(d->line[i]);
		if (!*z)
			continue;
		double v[DOC_MAX_COLS];
		size_t label_len;
		int ph = 0;
		int n = ib_doc_tail_numbers(z, v, DOC_MAX_COLS, &ph, &label_len);
		char label[512];
		snprintf(label, sizeof label, "%.*s", (int)label_len, z);
		doc_squeeze(label);
		const char *title = NULL;
		int ref = 0;
		if (*z >= '0' && *z <= '9') {
			ref = atoi(z);
			title = z;
			while (*title >= '0' && *title <= '9')
				title++;
			title = doc_skip_blank(title);
		}
		if (ref > 0 && label_len > (size_t)(title - z)) {
			cur = &ov->items[ov->n++];
			cur->ref = ref;
			cur->group = group;
			size_t skip = (size_t)(title - z);
			snprintf(cur->label, sizeof cur->label, "%.*s",
				 (int)(label_len > skip ? label_len - skip : 0), title);
		} else if (n == ov->ncols && is_committee_label(label, strlen(label))) {
			cur = &ov->items[ov->n++];
			cur->kind = 1;
			cur->group = -1;
			snprintf(cur->label, sizeof cur->label, "%s", label);
			group = (int)(cur - ov->items);
		} else if (n == ov->ncols && strstr(label, "i alt")) {
			cur = &ov->items[ov->n++];
			cur->kind = 2;
			cur->group = -1;
			snprintf(cur->label, sizeof cur->label, "%s", label);
		} else if (cur && cur->kind == 0) {
			add_text(cur->label, sizeof cur->label, label);
		} else {
			continue;
		}
		doc_squeeze(cur->label);
		for (int k = 0; k < n && cur->n < ov->ncols; k++)
			cur->v[cur->n++] = v[k];
	}
	return IB_OK;
}

/* Subtotals against their proposals, the total against the subtotals. */
static int check_overview(const overview *ov, ib_doc_result *r)
{
	int rc = IB_OK;
	for (size_t i = 0; i < ov->n && !rc; i++) {
		const ov_item *it = &ov->items[i];
		if (it->kind == 0 || it->n != ov->ncols)
			continue;
		double sum[DOC_MAX_COLS] = {0};
		char parts[256] = "";
		for (size_t j = 0; j < ov->n; j++) {
			const ov_item *o = &ov->items[j];
			int member =
			    it->kind == 1 ? (o->kind == 0 && o->group == (int)i) : o->kind == 1;
			if (!member)
				continue;
			char ref[64];
			if (o->kind == 0)
				snprintf(ref, sizeof ref, "%d", o->ref);
			else
				snprintf(ref, sizeof ref, "%.63s", o->label);
			add_text(parts, sizeof parts, *parts ? "+" : "");
			add_text(parts, sizeof parts, ref);
			for (int k = 0; k < o->n && k < ov->ncols; k++)
				if (!ib_is_na(o->v[k]))
					sum[k] += o->v[k];
		}
		int ok = 1;
		for (int k = 0; k < ov->ncols; k++)
			ok &= doc_near_equal(sum[k], it->v[k]);
		char printed[256], computed[256];
		list_values(it->v, ov->ncols, 0, printed, sizeof printed);
		list_values(sum, ov->ncols, 0, computed, sizeof computed);
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

/* ---- one proposal page ------------------------------------------------------- */

static int row_keyword(const char *z, const char **rest)
{
	static const struct {
		const char *word;
		int row;
	} kw[] = {
	    {"Investeringsudgifter", ROW_INV}, {"Udgifter", ROW_EXP},	 {"Indtægter", ROW_INC},
	    {"Netto effekt", ROW_NET},	       {"Nettoeffekt", ROW_NET}, {"I alt", ROW_NET}};
	z = doc_skip_blank(z);
	for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++) {
		size_t n = strlen(kw[i].word);
		if (!strncmp(z, kw[i].word, n) && (z[n] == '\0' || z[n] == ' ' || z[n] == ':')) {
			*rest = z + n;
			return kw[i].row;
		}
	}
	return -1;
}

/* The text after "Name:" on line z, up to stop (when given and present). */
static void field_value(const char *z, const char *name, const char *stop, char *out, size_t n)
{
	const char *v = strstr(z, name);
	out[0] = '\0';
	if (!v)
		return;
	v += strlen(name);
	const char *e = stop ? strstr(v, stop) : NULL;
	size_t len = e ? (size_t)(e - v) : strlen(v);
	snprintf(out, n, "%.*s", (int)len, v);
	doc_squeeze(out);
}

/* Which type box is ticked on line z: "☒ Effektivisering" or "X Effektivisering". */
static const char *ticked_kind(const char *z, int *n_ticked)
{
	static const struct {
		const char *label, *kind;
	} box[] = {{"Effektivisering", "effektivisering"},
		   {"Servicereduktion", "servicereduktion"},
		   {"Andet", "andet"}};
	const char *kind = NULL;
	*n_ticked = 0;
	for (size_t i = 0; i < 3; i++) {
		const char *at = strstr(z, box[i].label);
		if (!at)
			continue;
		const char *p = at;
		while (p > z && (p[-1] == ' ' || p[-1] == '\t'))
			p--;
		int ticked = (p - z >= 3 && !strncmp(p - 3, "\xE2\x98\x92", 3)) ||
			     (p > z && p[-1] == 'X' && (p - 1 == z || p[-2] == ' '));
		if (ticked) {
			(*n_ticked)++;
			kind = box[i].kind;
		}
	}
	return kind;
}

typedef struct page_ctx {
	const ib_doc *d;
	ib_doc_result *r;
	ib_proposal *p;
	int years[DOC_MAX_COLS];
	int ncols;
	table_row row[N_ROWS];
	double rowsum[DOC_MAX_COLS]; /* the rows added up per year, IB_NA when not all known */
	double ov[DOC_MAX_COLS];     /* the overview row per year, IB_NA when not printed */
} page_ctx;

static void row_add_values(table_row *t, const double *v, int n, int ph, size_t line,
			   const char *printed)
{
	if (!t->n)
		t->line = line;
	for (int k = 0; k < n && t->n < DOC_MAX_COLS; k++)
		t->v[t->n++] = v[k];
	t->ph += ph;
	add_text(t->printed, sizeof t->printed, printed);
}

/* Values not taken by a named row.  A complete set right after a row goes to the next
 * row in printed order (Ringsted 238 prints its savings row without a name); a single
 * value beside the first row is the 'Bevilling i alt' column.  Returns the row the
 * values went to, or -1. */
static int finish_pending(page_ctx *c, table_row *pending, int after, size_t from, size_t to)
{
	int got = -1;
	if (!pending->n)
		return -1;
	char printed[256];
	list_values(pending->v, pending->n, 0, printed, sizeof printed);
	if (pending->n == c->ncols && after >= 0 && after < ROW_NET) {
		int next = after + 1;
		while (next < ROW_NET && c->row[next].n)
			next++;
		if (next < ROW_NET) {
			c->row[next] = *pending;
			c->row[next].seen = 1;
			ib_proposal_add_flag(
			    c->p, "unnamed_row",
			    "værdierne %s i linje %zu har ingen rækketekst; læst som %s", printed,
			    pending->line + 1, row_name[next]);
			got = next;
		}
	}
	if (got < 0) {
		if (pending->n == 1 && doc_find(c->d, from, to, "Bevilling i alt") >= 0)
			doc_note(c->r,
				 "%s: %s printed in the 'Bevilling i alt' column (line %zu); not a "
				 "yearly value",
				 c->p->ref, printed, pending->line + 1);
		else
			ib_proposal_add_flag(
			    c->p, "unplaced_values",
			    "værdierne %s i linje %zu hører ikke til nogen række; udeladt", printed,
			    pending->line + 1);
	}
	memset(pending, 0, sizeof *pending);
	return got;
}

static int is_budget_label(const char *z)
{
	return z[0] == 'B' && strlen(z) == 5 && z[1] >= '0' && z[1] <= '9';
}

/* Read the economic table between lines from and to. */
static int read_table(page_ctx *c, size_t from, size_t to)
{
	const ib_doc *d = c->d;
	int cur = -1, pending_after = -1;
	table_row pending = {0};
	for (size_t i = from; i < to; i++) {
		const char *rest = d->line[i];
		int kw = row_keyword(rest, &rest);
		if (kw >= 0) {
			finish_pending(c, &pending, pending_after, from, to);
			cur = kw;
			c->row[kw].seen = 1;
		}
		double v[DOC_MAX_COLS];
		size_t label_len;
		int ph = 0;
		int n = ib_doc_tail_numbers(rest, v, DOC_MAX_COLS, &ph, &label_len);
		char label[256];
		snprintf(label, sizeof label, "%.*s", (int)label_len, rest);
		doc_squeeze(label);
		if (cur >= 0 && !c->row[cur].n && !pending.n && *label && !is_budget_label(label) &&
		    strncmp(label, "Bevilling", 9) != 0)
			add_text(c->row[cur].label, sizeof c->row[cur].label, label);
		if (!n)
			continue;
		const char *printed = rest + label_len;
		if (cur >= 0 && c->row[cur].n < c->ncols && !pending.n) {
			table_row *t = &c->row[cur];
			int room = c->ncols - t->n;
			row_add_values(t, v, n < room ? n : room, ph, i, printed);
			if (n > room) {
				row_add_values(&pending, v + room, n - room, 0, i, "");
				pending_after = cur;
			}
		} else if (*label && n < c->ncols) {
			/* a number inside a sentence ("et 12 ugers forløb"), not a cell */
			continue;
		} else {
			if (!pending.n)
				pending_after = cur;
			row_add_values(&pending, v, n, ph, i, printed);
			if (pending.n >= c->ncols) {
				int got = finish_pending(c, &pending, pending_after, from, to);
				if (got >= 0)
					cur = got;
			}
		}
	}
	finish_pending(c, &pending, pending_after, from, to);
	/* "Udgifter: Investering i ..." with no Investeringsudgifter row is the investment */
	if (!c->row[ROW_INV].seen && c->row[ROW_EXP].seen &&
	    !strncmp(c->row[ROW_EXP].label, "Investering", 11)) {
		c->row[ROW_INV] = c->row[ROW_EXP];
		memset(&c->row[ROW_EXP], 0, sizeof c->row[ROW_EXP]);
		ib_proposal_add_flag(c->p, "investment_under_expenses",
				     "investeringen er trykt som en Udgifter-række ('%s')",
				     c->row[ROW_INV].label);
	}
	for (int k = 0; k < N_ROWS; k++) {
		table_row *t = &c->row[k];
		if (t->n && t->n < c->ncols) {
			ib_proposal_add_flag(c->p, "incomplete_row",
					     "%s: %d af %d værdier trykt ('%s'); læst som ukendt",
					     row_name[k], t->n, c->ncols, t->printed);
			t->n = 0;
		} else if (t->ph) {
			ib_proposal_add_flag(c->p, "placeholder",
					     "%s trykt som pladsholdere ('%s'); læst som ukendt",
					     row_name[k], t->printed);
		}
	}
	return IB_OK;
}

/* The rows added up per year into c->rowsum: IB_NA where a row is unknown or no row
 * beside the net is printed. */
static void sum_rows(page_ctx *c)
{
	for (int k = 0; k < c->ncols; k++) {
		double s = 0;
		int known = 1, rows = 0;
		for (int j = ROW_INV; j < ROW_NET; j++) {
			if (!c->row[j].n)
				continue;
			rows++;
			if (ib_is_na(c->row[j].v[k]))
				known = 0;
			else
				s += c->row[j].v[k];
		}
		c->rowsum[k] = known && rows ? s : IB_NA;
	}
}

/* Whether two yearly series agree wherever both are known (and are both known in at
 * least one year). */
static int series_agree(const double *a, const double *b, int n)
{
	int compared = 0;
	for (int k = 0; k < n; k++) {
		if (ib_is_na(a[k]) || ib_is_na(b[k]))
			continue;
		compared++;
		if (!doc_near_equal(a[k], b[k]))
			return 0;
	}
	return compared > 0;
}

/* Rows against the net, per year; a reversed sign gets its own flag.  used, when not
 * empty, says which figure the effect was read from instead of the printed net. */
static void check_rows(page_ctx *c, const char *used)
{
	double sum[DOC_MAX_COLS], net[DOC_MAX_COLS];
	int n = 0, all_reversed = 1, any = 0;
	int bad_years[DOC_MAX_COLS];
	for (int k = 0; k < c->ncols; k++) {
		if (!c->row[ROW_NET].n || ib_is_na(c->row[ROW_NET].v[k]) || ib_is_na(c->rowsum[k]))
			continue;
		double s = c->rowsum[k];
		double v = c->row[ROW_NET].v[k];
		if (!doc_near_equal(s, v)) {
			any = 1;
			if (!doc_near_equal(s, -v))
				all_reversed = 0;
			bad_years[n] = c->years[k];
			sum[n] = s;
			net[n] = v;
			n++;
		}
	}
	if (!any)
		return;
	char ps[256], pn[256], ys[128] = "";
	list_values(sum, n, 0, ps, sizeof ps);
	list_values(net, n, 0, pn, sizeof pn);
	for (int i = 0; i < n; i++)
		snprintf(ys + strlen(ys), sizeof ys - strlen(ys), "%s%d", i ? ", " : "",
			 bad_years[i]);
	if (all_reversed)
		ib_proposal_add_flag(c->p, "net_sign_reversed",
				     "Netto effekt %s (%s) har modsat fortegn af rækkerne, som "
				     "giver %s%s",
				     ys, pn, ps, used);
	else
		ib_proposal_add_flag(c->p, "net_mismatch",
				     "Netto effekt %s (%s) er ikke summen af rækkerne (%s)%s", ys,
				     pn, ps, used);
}

/* The overview row with p's reference, or NULL. */
static const ov_item *overview_row(const overview *ov, const ib_proposal *p)
{
	for (size_t i = 0; i < ov->n; i++)
		if (ov->items[i].kind == 0 && p->ref && ov->items[i].ref == atoi(p->ref))
			return &ov->items[i];
	return NULL;
}

/* The overview row's values in the page's year columns (IB_NA where not printed). */
static void overview_series(page_ctx *c, const overview *ov, const ov_item *it)
{
	for (int k = 0; k < c->ncols; k++) {
		c->ov[k] = IB_NA;
		for (int j = 0; it && j < ov->ncols && j < it->n; j++)
			if (ov->years[j] == c->years[k])
				c->ov[k] = it->v[j];
	}
}

/* When the printed net disagrees with both the rows and the overview row, and those
 * two agree, the document says twice what the net is: the effect is read from the
 * rows (the printed net stays in the yearly table, and the flag says which figure was
 * used).  With no majority, or no printed net, the printed net is used.  Fills used (a clause of
 * the flag message, "" when the printed net is used). */
static void effect_by_majority(page_ctx *c, char *used, size_t size)
{
	ib_proposal *p = c->p;
	double printed[DOC_MAX_COLS];
	used[0] = '\0';
	for (int k = 0; k < c->ncols; k++)
		printed[k] = c->row[ROW_NET].n ? c->row[ROW_NET].v[k] : IB_NA;
	doc_effect_from_net(p);
	if (ib_is_na(p->effect_kr) || series_agree(printed, c->rowsum, c->ncols) ||
	    series_agree(printed, c->ov, c->ncols) || !series_agree(c->rowsum, c->ov, c->ncols) ||
	    (size_t)c->ncols != p->n_years)
		return;
	double printed_effect = p->effect_kr;
	for (size_t k = 0; k < p->n_years; k++)
		p->years[k].net = c->rowsum[k];
	doc_effect_from_net(p);
	for (size_t k = 0; k < p->n_years; k++)
		p->years[k].net = printed[k];
	if (ib_is_na(p->effect_kr))
		return;
	char e_used[48], e_printed[48];
	ib_num_format(p->effect_kr, 0, e_used, sizeof e_used);
	if (ib_is_na(printed_effect))
		snprintf(e_printed, sizeof e_printed, "ukendt");
	else
		ib_num_format(printed_effect, 0, e_printed, sizeof e_printed);
	snprintf(used, size,
		 "; rækkerne og oversigtstabellen er enige, så effekten er læst af dem: %s kr. "
		 "(den trykte Netto effekt ville give %s kr.)",
		 e_used, e_printed);
}

static void check_against_overview(page_ctx *c, const overview *ov, const ov_item *it);

static int parse_page(const ib_doc *d, size_t from, size_t to, const overview *ov, ib_doc_result *r,
		      ib_proposal **out)
{
	page_ctx c = {.d = d, .r = r};
	ib_proposal *p = c.p = ib_proposal_new();
	if (!p)
		return IB_ENOMEM;
	const char *title = NULL;
	int ref = heading_ref(d->line[from], &title);
	char zref[16];
	snprintf(zref, sizeof zref, "%d", ref);
	long body = doc_find(d, from, to, "Forslagets indhold");
	long cons = doc_find(d, from, to, "Konsekvenser for serviceniveau");
	long type = doc_find(d, from, to, "Hvilken type forslag");
	long econ = doc_find(d, from, to, "Økonomiske konsekvenser");
	long pers = doc_find(d, from, to, "Personalemæssige konsekvenser");
	long udv = doc_find_start(d, from, to, "Udvalg:");
	int rc = IB_OK;
	char *t =
	    doc_join(d, from, body > 0 ? (size_t)body : from + 1, (size_t)(title - d->line[from]));
	if (!t)
		rc = IB_ENOMEM;
	if (!rc) {
		p->title = t;
		p->ref = strdup(zref);
		p->source = strdup(d->name);
		p->page = d->page[from];
		p->kind = "andet";
		p->budget_year = r->budget_year;
		if (!p->ref || !p->source)
			rc = IB_ENOMEM;
	}
	if (!rc && body > 0) {
		size_t skip = (size_t)(strstr(d->line[body], "indhold") - d->line[body]) + 8;
		p->summary = doc_summary(
		    doc_join(d, (size_t)body, cons > body ? (size_t)cons : (size_t)body + 1, skip));
		p->text = doc_join_text(d, from, type > 0 ? (size_t)type : to);
		if (!p->summary || !p->text)
			rc = IB_ENOMEM;
	}
	if (!rc && type > 0) {
		long box = doc_find(d, (size_t)type, to, "Effektivisering");
		int n_ticked = 0;
		const char *kind = box >= 0 ? ticked_kind(d->line[box], &n_ticked) : NULL;
		if (n_ticked == 1) {
			p->kind = ib_kind_canonical(kind);
		} else {
			ib_proposal_add_flag(p, "kind_unclear",
					     "%d typebokse er afkrydset; type læst som andet",
					     n_ticked);
		}
		if (kind && !strcmp(kind, "andet") && box >= 0 && econ > box) {
			char *other = doc_join(d, (size_t)box + 1, (size_t)econ, 0);
			if (other && *other && p->text) {
				ib_buf b;
				ib_buf_init(&b, 0);
				ib_buf_addf(&b, "%s\nType: Andet: %s", p->text, other);
				free(p->text);
				p->text = ib_buf_detach(&b);
			}
			free(other);
		}
	}
	/* the year columns: on the table's title line or just below it */
	size_t years_line = 0;
	for (long i = econ; econ >= 0 && i < econ + 8 && i < (long)to && !c.ncols; i++)
		if ((c.ncols = doc_year_columns(d->line[i], c.years, DOC_MAX_COLS)) > 0)
			years_line = (size_t)i;
	if (!rc && !c.ncols)
		ib_proposal_add_flag(p, "no_table",
				     "ingen tabel 'Økonomiske konsekvenser' med "
				     "årskolonner; tal ukendte");
	if (!rc && c.ncols)
		rc = read_table(&c, years_line + 1, pers > 0 ? (size_t)pers : to);
	if (!rc && c.ncols && !c.row[ROW_NET].seen)
		ib_proposal_add_flag(p, "no_net_row",
				     "tabellen 'Økonomiske konsekvenser' har ingen række Netto "
				     "effekt eller I alt; effekt ukendt");
	/* årsværk */
	double fte[DOC_MAX_COLS];
	int n_fte = 0;
	if (!rc && pers > 0 && c.ncols) {
		size_t end = udv > pers ? (size_t)udv : to;
		for (size_t i = (size_t)pers + 1; i < end; i++) {
			const char *z = doc_skip_blank(d->line[i]);
			if (doc_starts(z, "årsværk"))
				z += strlen("årsværk");
			double v[DOC_MAX_COLS];
			size_t label_len;
			int k = ib_doc_tail_numbers(z, v, DOC_MAX_COLS, NULL, &label_len);
			if (label_len == 0 || doc_is_blank(z))
				for (int j = 0; j < k && n_fte < c.ncols; j++)
					fte[n_fte++] = v[j];
		}
		if (n_fte > 0 && n_fte < c.ncols) {
			/* right-aligned: staffing changes follow the effect, which comes later */
			int shift = c.ncols - n_fte;
			memmove(fte + shift, fte, sizeof fte[0] * (size_t)n_fte);
			for (int j = 0; j < shift; j++)
				fte[j] = IB_NA;
			char printed[128];
			list_values(fte + shift, n_fte, 1, printed, sizeof printed);
			ib_proposal_add_flag(
			    p, "fte_columns_assumed",
			    "%d af %d årsværk-værdier trykt (%s); placeret i de sidste "
			    "år",
			    n_fte, c.ncols, printed);
			n_fte = c.ncols;
		}
	}
	/* Udvalg, Center, Bevilling */
	if (!rc && udv >= 0) {
		char v[256];
		field_value(d->line[udv], "Udvalg:", "Center:", v, sizeof v);
		if (*v)
			p->committee = strdup(v);
		char center[256] = "", bev[256] = "";
		long cl = doc_find(d, (size_t)udv, to, "Center:");
		if (cl >= 0) {
			field_value(d->line[cl], "Center:", "Bevilling:", center, sizeof center);
			size_t len = strlen(center);
			long next = cl + 1;
			while (len && (center[len - 1] == '+' || center[len - 1] == '-') &&
			       next < (long)to) {
				if (!doc_is_blank(d->line[next])) {
					if (doc_starts(d->line[next], "Bevilling:"))
						break;
					add_text(center, sizeof center, d->line[next]);
				}
				next++;
				len = strlen(center);
			}
			long bl = doc_find(d, (size_t)cl, to, "Bevilling:");
			if (bl >= 0)
				field_value(d->line[bl], "Bevilling:", NULL, bev, sizeof bev);
		}
		if (*center || *bev) {
			ib_buf b;
			ib_buf_init(&b, 0);
			ib_buf_adds(&b, p->text ? p->text : "");
			if (*center)
				ib_buf_addf(&b, "\nCenter: %s", center);
			if (*bev)
				ib_buf_addf(&b, "\nBevilling: %s", bev);
			free(p->text);
			p->text = ib_buf_detach(&b);
		}
	}
	/* the yearly table */
	for (int k = 0; !rc && k < c.ncols; k++) {
		ib_proposal_year y = ib_proposal_year_blank(c.years[k]);
		y.net = c.row[ROW_NET].n ? c.row[ROW_NET].v[k] : IB_NA;
		y.investment = c.row[ROW_INV].n ? c.row[ROW_INV].v[k] : IB_NA;
		y.expenses = c.row[ROW_EXP].n ? c.row[ROW_EXP].v[k] : IB_NA;
		y.income = c.row[ROW_INC].n ? c.row[ROW_INC].v[k] : IB_NA;
		y.fte = n_fte == c.ncols ? fte[k] : IB_NA;
		size_t line = c.row[ROW_NET].n ? c.row[ROW_NET].line : years_line;
		y.page = d->page[line];
		y.line = (int)line + 1;
		rc = ib_proposal_add_year(p, &y);
	}
	if (!rc) {
		const ov_item *it = overview_row(ov, p);
		char used[256];
		sum_rows(&c);
		overview_series(&c, ov, it);
		effect_by_majority(&c, used, sizeof used);
		check_rows(&c, used);
		check_against_overview(&c, ov, it);
		double inv = 0;
		int any = 0;
		for (size_t k = 0; k < p->n_years; k++)
			if (!ib_is_na(p->years[k].investment))
				inv += p->years[k].investment, any = 1;
		p->impl_cost_kr = any ? inv * 1000.0 : IB_NA;
	}
	if (rc) {
		ib_proposal_free(p);
		return rc;
	}
	*out = p;
	return IB_OK;
}

/* The detail page against the overview row with the same reference (it, or NULL). */
static void check_against_overview(page_ctx *c, const overview *ov, const ov_item *it)
{
	ib_proposal *p = c->p;
	if (!it) {
		if (ov->ncols)
			doc_note(c->r, "%s: not in the overview table", p->ref);
		return;
	}
	int page_known = 0, ov_known = 0;
	for (size_t j = 0; j < p->n_years; j++)
		page_known |= !ib_is_na(p->years[j].net);
	for (int k = 0; k < it->n; k++)
		ov_known |= !ib_is_na(it->v[k]);
	if (ov_known && !page_known) {
		char po[256];
		list_values(it->v, it->n, 0, po, sizeof po);
		c->r->n_failed_checks++;
		doc_note(c->r,
			 "check failed: the overview prints %s for %s, but its page has no "
			 "readable net effect",
			 po, p->ref);
		return;
	}
	if (it->n < ov->ncols || !p->n_years)
		return;
	double det[DOC_MAX_COLS];
	int same = 1, reversed = 1, compared = 0;
	for (int k = 0; k < ov->ncols; k++) {
		det[k] = IB_NA;
		for (size_t j = 0; j < p->n_years; j++)
			if (p->years[j].year == ov->years[k])
				det[k] = p->years[j].net;
		if (ib_is_na(det[k]) || ib_is_na(it->v[k]))
			continue;
		compared++;
		same &= doc_near_equal(det[k], it->v[k]);
		reversed &= doc_near_equal(det[k], -it->v[k]);
	}
	if (!compared || same)
		return;
	char pd[256], po[256];
	list_values(det, ov->ncols, 0, pd, sizeof pd);
	list_values(it->v, ov->ncols, 0, po, sizeof po);
	ib_proposal_add_flag(p, "overview_mismatch",
			     "Netto effekt på forslagets side (%s) %s oversigtstabellen (%s)", pd,
			     reversed ? "har modsat fortegn af" : "afviger fra", po);
}

int doc_parse_ringsted(const ib_doc *d, ib_doc_result *r, ib_error *err)
{
	if (doc_find(d, 0, d->n_lines, "Hvilken type forslag") < 0 ||
	    doc_find(d, 0, d->n_lines, "Økonomiske konsekvenser") < 0)
		return 0;
	size_t *heads = calloc(d->n_lines + 1, sizeof *heads);
	if (!heads)
		return ib_error_set(err, IB_ENOMEM, NULL), -1;
	size_t n_heads = 0;
	for (size_t i = 0; i < d->n_lines; i++) {
		const char *title;
		if (heading_ref(d->line[i], &title) &&
		    doc_find(d, i + 1, i + 8, "Forslagets indhold") >= 0)
			heads[n_heads++] = i;
	}
	if (!n_heads) {
		free(heads);
		return 0;
	}
	r->template_name = "ringsted-investering";
	r->kommune = doc_find_kommune(d);
	for (size_t i = 0; i < d->n_lines && !r->budget_year; i++) {
		const char *b = strstr(d->line[i], "BUDGET ");
		if (b && b[7] >= '1' && b[7] <= '2')
			r->budget_year = atoi(b + 7);
	}
	overview ov = {0};
	int rc = IB_OK;
	if (!r->kommune)
		rc =
		    ib_error_set(err, IB_EPARSE, "%s: the document names no municipality", d->name);
	else if (r->budget_year < 1990 || r->budget_year > 2100)
		rc = ib_error_set(err, IB_EPARSE,
				  "%s: no 'BUDGET yyyy' heading gives the budget year", d->name);
	if (!rc) {
		long first_version = doc_find(d, 0, heads[0], "Version:");
		rc = parse_overview(d, first_version > 0 ? (size_t)first_version : heads[0], &ov);
	}
	if (!rc)
		rc = check_overview(&ov, r);
	for (size_t h = 0; h < n_heads && !rc; h++) {
		ib_proposal *p = NULL;
		rc = parse_page(d, heads[h], h + 1 < n_heads ? heads[h + 1] : d->n_lines, &ov, r,
				&p);
		if (!rc)
			rc = ib_proposal_list_push(&r->proposals, p);
	}
	for (size_t i = 0; i < ov.n && !rc; i++) {
		const ov_item *it = &ov.items[i];
		int found = 0;
		for (size_t k = 0; k < r->proposals.n && !found && it->kind == 0; k++)
			found = atoi(r->proposals.items[k]->ref) == it->ref;
		if (it->kind == 0 && !found)
			rc =
			    ib_error_set(err, IB_EPARSE,
					 "%s: proposal %d is in the overview table but has no page "
					 "of its own; the document is incomplete, nothing imported",
					 d->name, it->ref);
	}
	free(ov.items);
	free(heads);
	if (rc) {
		if (!err || !err->rc)
			ib_error_set(err, rc, "%s: %s", d->name, ib_strerror(rc));
		return -1;
	}
	return 1;
}
