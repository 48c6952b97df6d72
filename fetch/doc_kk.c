/* doc_kk.c - København's templates: business cases "Smarte investeringer i
 * kernevelfærden" (seed 001), effektiviserings- and innovationsforslag (seed 002),
 * and the status report on earlier investment and innovation cases (seed 003).
 *
 * Both proposal templates carry "Tabel 1" with year columns and the rows "Samlet varig
 * ændring" (the lasting change, negative = saving) and "Samlede
 * implementeringsomkostninger"; business cases add "Samlet økonomisk påvirkning", their
 * sum.  Cells left blank leave no trace in the text, so a short row is aligned by the
 * rule of the template - lasting changes come last, implementation costs first - and
 * flagged, and the sum is checked where it is printed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc_int.h"
#include "ideabank/buf.h"
#include "ideabank/num.h"

#define KK_MAX_ROWS 48

typedef struct kk_table {
	int years[DOC_MAX_COLS];
	int ncols;
	doc_row rows[KK_MAX_ROWS];
	int n_rows;
} kk_table;

/* "2. Baggrund og formål": a numbered section heading. */
static int section_heading(const char *z)
{
	z = doc_skip_blank(z);
	if (!(*z >= '1' && *z <= '9'))
		return 0;
	while (*z >= '0' && *z <= '9')
		z++;
	if (*z != '.' || z[1] != ' ')
		return 0;
	z = doc_skip_blank(z + 1);
	unsigned char c = (unsigned char)*z;
	return (c >= 'A' && c <= 'Z') || c == 0xC3;
}

static void label_add(char *dst, size_t n, const char *z)
{
	size_t k = strlen(dst);
	char part[512];
	snprintf(part, sizeof part, "%s", z);
	doc_squeeze(part);
	if (!*part)
		return;
	/* "implementeringsomkostnin-" + "ger" */
	if (k > 1 && dst[k - 1] == '-' && dst[k - 2] != ' ' && *part >= 'a' && *part <= 'z')
		dst[--k] = '\0';
	else if (k && k + 1 < n)
		dst[k++] = ' ', dst[k] = '\0';
	snprintf(dst + k, n - k, "%s", part);
}

/* A row printed with a dash cell before a number ("Service - 205 205 205 205") reads as
 * "- 205" = -205 and comes out one value short.  When reading every lone dash as an
 * empty (0) cell gives exactly one value per column, that is the reading used.  Returns
 * the number of values now in v. */
static int dash_cells(const char *z, size_t label_len, int ncols, double *v, int n)
{
	char tail[512];
	size_t k = 0;
	for (const char *p = z + label_len; *p && k + 2 < sizeof tail; p++) {
		int lone = *p == '-' && (p == z + label_len || p[-1] == ' ') && p[1] == ' ';
		tail[k++] = lone ? '0' : *p;
	}
	tail[k] = '\0';
	double w[DOC_MAX_COLS];
	int ph = 0;
	size_t rest = 0;
	int m = ib_doc_tail_numbers(tail, w, DOC_MAX_COLS, &ph, &rest);
	if (m != ncols || rest != 0 || ph)
		return n;
	memcpy(v, w, sizeof w[0] * (size_t)m);
	return m;
}

/* Read Tabel 1 between from and to into rows of label + values. */
static int read_table1(const ib_doc *d, size_t from, size_t to, kk_table *t)
{
	memset(t, 0, sizeof *t);
	long t1 = doc_find(d, from, to, "Tabel 1");
	if (t1 < 0)
		return 0;
	char label[512] = "";
	int lone_year = 0;
	for (size_t i = (size_t)t1 + 1; i < to && t->n_rows < KK_MAX_ROWS; i++) {
		const char *z = d->line[i];
		if (doc_starts(z, "Tabel 2") || section_heading(z) ||
		    doc_starts(z, "Alle besparelser") || doc_starts(z, "*"))
			break;
		if (!t->ncols) {
			/* a first year can sit alone on the line above the others */
			double one[DOC_MAX_COLS];
			size_t ll;
			if (ib_doc_tail_numbers(z, one, DOC_MAX_COLS, NULL, &ll) == 1 && ll == 0 &&
			    one[0] >= 1990 && one[0] <= 2100 && one[0] == (int)one[0]) {
				lone_year = (int)one[0];
				continue;
			}
			int years[DOC_MAX_COLS];
			int n = doc_year_columns(z, years, DOC_MAX_COLS - 1);
			if (n > 0) {
				if (lone_year && years[0] == lone_year + 1)
					t->years[t->ncols++] = lone_year;
				for (int k = 0; k < n; k++)
					t->years[t->ncols++] = years[k];
				label[0] = '\0';
			}
			continue;
		}
		double v[DOC_MAX_COLS];
		size_t label_len;
		int ph = 0;
		int n = ib_doc_tail_numbers(z, v, DOC_MAX_COLS, &ph, &label_len);
		if (n && n < t->ncols)
			n = dash_cells(z, label_len, t->ncols, v, n);
		char part[512];
		snprintf(part, sizeof part, "%.*s", (int)label_len, z);
		label_add(label, sizeof label, part);
		if (!n)
			continue;
		doc_row *r = &t->rows[t->n_rows++];
		snprintf(r->label, sizeof r->label, "%s", label);
		memcpy(r->v, v, sizeof v[0] * (size_t)n);
		r->n = n;
		r->n_placeholders = ph;
		r->line = i;
		label[0] = '\0';
	}
	return t->ncols > 0;
}

/* The row whose label contains name and does not go on with ", ..." (so "Samlede
 * implementeringsomkostninger" is not "..., service"), or NULL. */
static const doc_row *find_row(const kk_table *t, const char *name)
{
	for (int i = 0; i < t->n_rows; i++) {
		const char *at = strstr(t->rows[i].label, name);
		if (at && at[strlen(name)] != ',')
			return &t->rows[i];
	}
	return NULL;
}

/* Row r's values in the table's columns, aligned right (last years) or left; IB_NA in
 * the columns it leaves empty. */
static void place(const kk_table *t, const doc_row *r, int right, double *out)
{
	for (int k = 0; k < t->ncols; k++)
		out[k] = IB_NA;
	if (!r)
		return;
	int n = r->n < t->ncols ? r->n : t->ncols;
	int shift = right ? t->ncols - n : 0;
	for (int k = 0; k < n; k++)
		out[shift + k] = r->v[r->n - n + k];
}

/* Place row r's values in the table's columns (place()), flagging a short or long row. */
static void align(const kk_table *t, const doc_row *r, int right, double *out, ib_proposal *p,
		  const char *name)
{
	place(t, r, right, out);
	if (!r)
		return;
	if (r->n > t->ncols)
		ib_proposal_add_flag(p, "extra_values",
				     "%s: %d værdier trykt til %d år; de sidste %d er brugt", name,
				     r->n, t->ncols, t->ncols);
	if (r->n < t->ncols)
		ib_proposal_add_flag(p, "columns_assumed",
				     "%s: %d af %d værdier trykt; placeret i de %s år", name, r->n,
				     t->ncols, right ? "sidste" : "første");
}

static void list_values(const double *v, int n, char *out, size_t size)
{
	size_t k = 0;
	out[0] = '\0';
	for (int i = 0; i < n && k < size; i++) {
		char num[48];
		if (ib_is_na(v[i]))
			snprintf(num, sizeof num, "?");
		else
			ib_num_format(v[i], 0, num, sizeof num);
		k += (size_t)snprintf(out + k, size - k, "%s%s", i ? ", " : "", num);
	}
}

/* Whether a row's label names a subtotal of Tabel 1 ("Samlet ...", "Samlede ..."). */
static int is_subtotal(const char *label)
{
	static const char *const words[] = {"Samlet ", "Samlede "};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (doc_starts(label, words[i]))
			return 1;
	return 0;
}

/* The printed subtotal total (values placed in tot) against the rows printed above it,
 * from first (after the previous total, or the table's start), placed by the same
 * rule and leaving out other subtotals;
 * a year where they differ gets a parts_mismatch flag.  Years where the subtotal or
 * every part is blank are not compared. */
static void check_parts(const kk_table *t, const doc_row *first, const doc_row *total,
			const double *tot, int right, ib_proposal *p, const char *name)
{
	double sum[DOC_MAX_COLS], bad_sum[DOC_MAX_COLS], bad_got[DOC_MAX_COLS];
	int known[DOC_MAX_COLS] = {0}, bad_years[DOC_MAX_COLS], n_bad = 0, n_parts = 0;
	for (int k = 0; k < t->ncols; k++)
		sum[k] = 0;
	for (const doc_row *r = first; r < total; r++) {
		double v[DOC_MAX_COLS];
		if (is_subtotal(r->label))
			continue; /* "Samlede implementeringsomkostninger, service" */
		place(t, r, right, v);
		n_parts++;
		for (int k = 0; k < t->ncols; k++)
			if (!ib_is_na(v[k])) {
				sum[k] += v[k];
				known[k] = 1;
			}
	}
	if (!n_parts)
		return;
	for (int k = 0; k < t->ncols; k++) {
		if (ib_is_na(tot[k]) || !known[k] || doc_near_equal(sum[k], tot[k]))
			continue;
		bad_years[n_bad] = t->years[k];
		bad_sum[n_bad] = sum[k];
		bad_got[n_bad] = tot[k];
		n_bad++;
	}
	if (!n_bad)
		return;
	char ps[256], pg[256], ys[128] = "";
	list_values(bad_sum, n_bad, ps, sizeof ps);
	list_values(bad_got, n_bad, pg, sizeof pg);
	for (int i = 0; i < n_bad; i++)
		snprintf(ys + strlen(ys), sizeof ys - strlen(ys), "%s%d", i ? ", " : "",
			 bad_years[i]);
	ib_proposal_add_flag(p, "parts_mismatch",
			     "%s %s (%s) er ikke summen af de %d rækker over den (%s)", name, ys,
			     pg, n_parts, ps);
}

/* Fill p's yearly table, effect and implementation cost from Tabel 1. */
static int table_to_proposal(const ib_doc *d, const kk_table *t, ib_proposal *p)
{
	double varig[DOC_MAX_COLS], impl[DOC_MAX_COLS], total[DOC_MAX_COLS];
	const doc_row *rv = find_row(t, "Samlet varig ændring");
	const doc_row *ri = find_row(t, "Samlede implementeringsomkostninger");
	const doc_row *rt = find_row(t, "Samlet økonomisk påvirkning");
	align(t, rv, 1, varig, p, "Samlet varig ændring");
	align(t, ri, 0, impl, p, "Samlede implementeringsomkostninger");
	if (!rt && ri) {
		/* the total printed without its label, below the implementation costs */
		for (const doc_row *r = ri + 1; r < t->rows + t->n_rows && !rt; r++)
			if (!r->label[0])
				rt = r;
		if (rt) {
			char printed[256];
			list_values(rt->v, rt->n, printed, sizeof printed);
			ib_proposal_add_flag(p, "unnamed_row",
					     "værdierne %s i linje %zu har ingen rækketekst; læst "
					     "som Samlet økonomisk påvirkning",
					     printed, rt->line + 1);
		}
	}
	align(t, rt, 1, total, p, "Samlet økonomisk påvirkning");
	if (rv)
		check_parts(t, t->rows, rv, varig, 1, p, "Samlet varig ændring");
	if (ri)
		check_parts(t, rv && rv < ri ? rv + 1 : t->rows, ri, impl, 0, p,
			    "Samlede implementeringsomkostninger");
	if (!rv)
		ib_proposal_add_flag(
		    p, "no_lasting_change",
		    "Tabel 1 har ingen række 'Samlet varig ændring'; effekt ukendt");
	int rc = IB_OK;
	for (int k = 0; k < t->ncols && !rc; k++) {
		ib_proposal_year y = ib_proposal_year_blank(t->years[k]);
		y.net = varig[k];
		y.investment = impl[k];
		const doc_row *src = rv ? rv : ri;
		if (src) {
			y.page = d->page[src->line];
			y.line = (int)src->line + 1;
		}
		rc = ib_proposal_add_year(p, &y);
	}
	/* the printed total against its parts */
	if (rt && rv && ri) {
		double sum[DOC_MAX_COLS], got[DOC_MAX_COLS];
		int bad_years[DOC_MAX_COLS], n = 0;
		for (int k = 0; k < t->ncols; k++) {
			double v = ib_is_na(varig[k]) ? 0 : varig[k];
			double c = ib_is_na(impl[k]) ? 0 : impl[k];
			if (ib_is_na(total[k]) || (ib_is_na(varig[k]) && ib_is_na(impl[k])))
				continue;
			if (!doc_near_equal(v + c, total[k])) {
				bad_years[n] = t->years[k];
				sum[n] = v + c;
				got[n] = total[k];
				n++;
			}
		}
		if (n) {
			char ps[256], pg[256], ys[128] = "";
			list_values(sum, n, ps, sizeof ps);
			list_values(got, n, pg, sizeof pg);
			for (int i = 0; i < n; i++)
				snprintf(ys + strlen(ys), sizeof ys - strlen(ys), "%s%d",
					 i ? ", " : "", bad_years[i]);
			ib_proposal_add_flag(
			    p, "total_mismatch",
			    "Samlet økonomisk påvirkning %s (%s) er ikke Samlet varig "
			    "ændring + Samlede implementeringsomkostninger (%s)",
			    ys, pg, ps);
		}
	}
	doc_effect_from_net(p);
	double c = 0;
	int any = 0;
	for (int k = 0; k < t->ncols; k++)
		if (!ib_is_na(impl[k]))
			c += impl[k], any = 1;
	p->impl_cost_kr = any ? c * 1000.0 : IB_NA;
	return rc;
}

/* The value of a "Label:" field printed on the next non-blank line (or after the
 * colon on the same line). */
static char *next_value(const ib_doc *d, long at, size_t to)
{
	if (at < 0)
		return NULL;
	const char *colon = strchr(d->line[at], ':');
	if (colon && !doc_is_blank(colon + 1)) {
		char *z = strdup(colon + 1);
		return z ? doc_squeeze(z) : NULL;
	}
	for (size_t i = (size_t)at + 1; i < to && i < (size_t)at + 6; i++)
		if (!doc_is_blank(d->line[i])) {
			char *z = strdup(d->line[i]);
			return z ? doc_squeeze(z) : NULL;
		}
	return NULL;
}

/* Title, summary, forvaltning, text and Tabel 1 of one section [from, to): title
 * lines from title_from (skipping skip bytes) up to "Kort resumé". */
static int fill_common(const ib_doc *d, size_t from, size_t to, size_t title_from, size_t skip,
		       ib_doc_result *r, ib_proposal *p)
{
	long kort = doc_find(d, title_from, to, "Kort resumé:");
	long frem = doc_find_start(d, from, to, "Fremstillende");
	if (kort < 0)
		return IB_EPARSE;
	p->title = doc_join(d, title_from, (size_t)kort, skip);
	size_t kskip = (size_t)(strstr(d->line[kort], "Kort resumé:") - d->line[kort]) +
		       strlen("Kort resumé:");
	p->summary = doc_summary(
	    doc_join(d, (size_t)kort, frem > kort ? (size_t)frem : (size_t)kort + 1, kskip));
	p->committee = next_value(d, doc_find_start(d, (size_t)kort, to, "forvaltning:"), to);
	p->text = doc_join_text(d, from, to);
	p->source = strdup(d->name);
	p->page = d->page[from];
	p->budget_year = r->budget_year;
	if (!p->title || !p->summary || !p->text || !p->source)
		return IB_ENOMEM;
	kk_table t;
	if (!read_table1(d, from, to, &t)) {
		ib_proposal_add_flag(p, "no_table", "ingen 'Tabel 1' med årskolonner; tal ukendte");
		return IB_OK;
	}
	return table_to_proposal(d, &t, p);
}

static int finish(ib_doc_result *r, const ib_doc *d, int rc, ib_error *err)
{
	if (rc) {
		ib_error_set(err, rc, "%s: %s", d->name,
			     rc == IB_EPARSE ? "a proposal without 'Kort resumé'"
					     : ib_strerror(rc));
		return -1;
	}
	if (!r->kommune) {
		ib_error_set(err, IB_EPARSE, "%s: the document names no municipality", d->name);
		return -1;
	}
	return 1;
}

/* ---- business cases (001) ----------------------------------------------------- */

/* The overview before the first business case ("Oversigt over smarte investeringer"):
 * per case a label after the case marker, its net row, and its investment row. */
#define KK_MAX_OV 32

typedef struct kk_ov_case {
	char label[512];
	double net[DOC_MAX_COLS], inv[DOC_MAX_COLS];
	int n_net, n_inv;
	size_t line; /* line of the net values */
} kk_ov_case;

typedef struct kk_overview {
	int years[DOC_MAX_COLS];
	int ncols;
	int rounded; /* the overview says its figures are rounded: 1, 10 or 100, else 0 */
	kk_ov_case cases[KK_MAX_OV];
	int n;
} kk_overview;

/* The overview's words: what starts a case, what starts its investment row, and the
 * note that says the figures are rounded. */
static const char kk_ov_case_marker[] = "Smart investeringsforslag:";
static const char *const kk_ov_inv_labels[] = {"Anlæg"};
static const char kk_ov_rounding[] = "afrunding";

static void kk_parse_overview(const ib_doc *d, size_t to, kk_overview *ov)
{
	memset(ov, 0, sizeof *ov);
	kk_ov_case *cur = NULL;
	int rounding_note = 0;
	for (size_t i = 0; i < to; i++) {
		const char *z = d->line[i];
		rounding_note |= strstr(z, kk_ov_rounding) != NULL;
		int years[DOC_MAX_COLS];
		int ny = doc_year_columns(z, years, DOC_MAX_COLS);
		if (ny > 0) {
			if (!ov->ncols) {
				ov->ncols = ny;
				memcpy(ov->years, years, sizeof years[0] * (size_t)ny);
			}
			cur = NULL;
			continue;
		}
		const char *m = strstr(z, kk_ov_case_marker);
		if (m && ov->ncols && ov->n < KK_MAX_OV) {
			cur = &ov->cases[ov->n++];
			z = m + strlen(kk_ov_case_marker);
		}
		if (!cur || doc_is_blank(z))
			continue;
		double v[DOC_MAX_COLS];
		size_t label_len;
		int ph = 0;
		int n = ib_doc_tail_numbers(z, v, DOC_MAX_COLS, &ph, &label_len);
		char part[512];
		snprintf(part, sizeof part, "%.*s", (int)label_len, z);
		if (!cur->n_net) {
			label_add(cur->label, sizeof cur->label, part);
			if (n == ov->ncols) {
				memcpy(cur->net, v, sizeof v[0] * (size_t)n);
				cur->n_net = n;
				cur->line = i;
			}
			continue;
		}
		int inv = 0;
		for (size_t k = 0; k < sizeof kk_ov_inv_labels / sizeof kk_ov_inv_labels[0]; k++)
			inv |= doc_starts(part, kk_ov_inv_labels[k]);
		if (inv && n == ov->ncols && !cur->n_inv) {
			memcpy(cur->inv, v, sizeof v[0] * (size_t)n);
			cur->n_inv = n;
		}
		cur = NULL; /* anything else ends the case */
	}
	/* rounded to what: the largest of 100 and 10 that divides every figure */
	if (rounding_note) {
		ov->rounded = 100;
		for (int c = 0; c < ov->n; c++)
			for (int k = 0; k < ov->ncols; k++)
				for (int unit = ov->rounded; unit > 1; unit /= 10)
					if ((k < ov->cases[c].n_net &&
					     fmod(ov->cases[c].net[k], unit) != 0) ||
					    (k < ov->cases[c].n_inv &&
					     fmod(ov->cases[c].inv[k], unit) != 0))
						ov->rounded = unit / 10;
	}
}

/* Words of at least four letters in z, folded (lower case, æ/ø/å spelled out), as a
 * space-separated list with a space at each end. */
static void title_words(const char *z, char *out, size_t n)
{
	char folded[512];
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

/* How many of a's words are in b (both from title_words), and how many a has. */
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

/* Whether an overview figure agrees with the page's: equal, or equal once the page's is
 * rounded to the overview's unit. */
static int ov_agrees(double ov, double page, int rounded)
{
	if (doc_near_equal(ov, page))
		return 1;
	return rounded > 1 && doc_near_equal(ov, round(page / rounded) * rounded);
}

/* One overview series against the page's values for the same years; appends the
 * differing years to what ("2019: -200 mod -136"). Returns the number compared. */
static int ov_compare(const kk_overview *ov, const double *v, const ib_proposal *p, int inv,
		      char *what, size_t size, int *n_bad)
{
	int compared = 0;
	for (int k = 0; k < ov->ncols; k++)
		for (size_t j = 0; j < p->n_years; j++) {
			if (p->years[j].year != ov->years[k])
				continue;
			double page = inv ? p->years[j].investment : p->years[j].net;
			if (ib_is_na(page) || ib_is_na(v[k]))
				continue;
			compared++;
			if (ov_agrees(v[k], page, ov->rounded))
				continue;
			char a[48], b[48];
			size_t len = strlen(what);
			snprintf(what + len, size - len, "%s%d: %s mod %s", *n_bad ? ", " : "",
				 ov->years[k], ib_num_format(v[k], 0, a, sizeof a),
				 ib_num_format(page, 0, b, sizeof b));
			(*n_bad)++;
		}
	return compared;
}

/* Each overview case against the business case whose title shares the most words with
 * it (at least half of the overview's): the lasting change against the net row, the
 * implementation costs against the investment row.  A difference is an
 * overview_mismatch flag; a case with no page is a failed check. */
static int kk_check_overview(const kk_overview *ov, ib_doc_result *r)
{
	int rc = IB_OK;
	for (int c = 0; c < ov->n && !rc; c++) {
		const kk_ov_case *oc = &ov->cases[c];
		char ow[512], pw[512];
		title_words(oc->label, ow, sizeof ow);
		ib_proposal *best = NULL;
		int best_n = 0, n_words = 0;
		for (size_t i = 0; i < r->proposals.n; i++) {
			title_words(r->proposals.items[i]->title, pw, sizeof pw);
			int n = shared_words(ow, pw, &n_words);
			if (n > best_n) {
				best_n = n;
				best = r->proposals.items[i];
			}
		}
		if (!best || 2 * best_n < n_words) {
			r->n_failed_checks++;
			rc = doc_note(r,
				      "check failed: the overview's case '%s' (line %zu) has no "
				      "business case in the document",
				      oc->label, oc->line + 1);
			continue;
		}
		char nets[256] = "", invs[256] = "";
		int bad_net = 0, bad_inv = 0;
		int compared = ov_compare(ov, oc->net, best, 0, nets, sizeof nets, &bad_net);
		if (oc->n_inv)
			compared += ov_compare(ov, oc->inv, best, 1, invs, sizeof invs, &bad_inv);
		char unit[64] = "";
		if (ov->rounded > 1)
			snprintf(unit, sizeof unit, ", afrundet til %d", ov->rounded);
		if (bad_net || bad_inv) {
			ib_buf b;
			ib_buf_init(&b, 0);
			ib_buf_addf(
			    &b,
			    "oversigtstabellen (linje %zu%s) afviger fra Tabel 1, oversigt mod "
			    "side:",
			    oc->line + 1, unit);
			if (bad_net)
				ib_buf_addf(&b, " varig ændring %s%s", nets, bad_inv ? ";" : "");
			if (bad_inv)
				ib_buf_addf(&b, " implementeringsomkostninger %s", invs);
			rc = ib_proposal_add_flag(best, "overview_mismatch", "%s", b.z ? b.z : "");
			ib_buf_free(&b);
		} else if (compared) {
			char page[600] = "";
			if (strcmp(oc->label, best->title))
				snprintf(page, sizeof page, " '%s'", best->title);
			rc = doc_note(
			    r, "check ok: overview case '%s' agrees with its business case%s%s",
			    oc->label, page, ov->rounded > 1 ? " (overview rounded)" : "");
		}
	}
	return rc;
}

int doc_parse_kk_business_case(const ib_doc *d, ib_doc_result *r, ib_error *err)
{
	long first = doc_find_start(d, 0, d->n_lines, "BUSINESS CASE");
	if (first < 0 || doc_find_start(d, (size_t)first, d->n_lines, "titel:") < 0)
		return 0;
	r->template_name = "kk-business-case";
	r->kommune = doc_find_kommune(d);
	int adopted = doc_find(d, 0, (size_t)first, "godkendt") >= 0;
	kk_overview *ov = calloc(1, sizeof *ov);
	if (!ov)
		return finish(r, d, IB_ENOMEM, err);
	kk_parse_overview(d, (size_t)first, ov);
	int rc = IB_OK;
	for (long at = first; at >= 0 && !rc;) {
		long next = doc_find_start(d, (size_t)at + 1, d->n_lines, "BUSINESS CASE");
		size_t to = next >= 0 ? (size_t)next : d->n_lines;
		long tl = doc_find_start(d, (size_t)at, to, "titel:");
		if (tl >= 0) {
			ib_proposal *p = ib_proposal_new();
			if (!p) {
				rc = IB_ENOMEM;
				break;
			}
			if (!r->budget_year) {
				kk_table t;
				if (read_table1(d, (size_t)at, to, &t))
					r->budget_year = t.years[0];
			}
			p->kind = "investering";
			p->adopted = adopted ? IB_ADOPTED_YES : IB_ADOPTED_UNKNOWN;
			size_t skip = (size_t)(strstr(d->line[tl], "titel:") - d->line[tl]) + 6;
			rc = fill_common(d, (size_t)at, to, (size_t)tl, skip, r, p);
			if (!rc)
				rc = ib_proposal_list_push(&r->proposals, p);
			else
				ib_proposal_free(p);
		}
		at = next;
	}
	if (!rc && adopted)
		rc = doc_note(r, "the overview calls these business cases approved (godkendt): "
				 "stored as adopted");
	if (!rc)
		rc = kk_check_overview(ov, r);
	free(ov);
	return finish(r, d, rc, err);
}

/* ---- effektiviserings- and innovationsforslag (002) ----------------------------- */

/* "SU01. Title" or "SU02 Title": the reference's length, 0 otherwise. */
static size_t kk_ref(const char *z)
{
	const char *s = doc_skip_blank(z);
	size_t k = 0;
	while (s[k] >= 'A' && s[k] <= 'Z' && k < 4)
		k++;
	if (!k)
		return 0;
	size_t digits = 0;
	while (s[k + digits] >= '0' && s[k + digits] <= '9')
		digits++;
	if (!digits || digits > 3)
		return 0;
	char c = s[k + digits];
	return (c == '.' || c == ' ') ? k + digits : 0;
}

static const char *header_kind(const char *z)
{
	z = doc_skip_blank(z);
	if (!strncmp(z, "EFFEKTIVISERINGSFORSLAG", 23))
		return "effektivisering";
	if (!strncmp(z, "INNOVATIONSFORSLAG", 18))
		return "innovation";
	if (!strncmp(z, "INVESTERINGSFORSLAG", 19))
		return "investering";
	return NULL;
}

/* The first line of a proposal: its header, with the reference line close below. */
static long next_header(const ib_doc *d, size_t from, long *ref_line)
{
	for (size_t i = from; i < d->n_lines; i++) {
		if (!header_kind(d->line[i]))
			continue;
		for (size_t k = i + 1; k < i + 6 && k < d->n_lines; k++)
			if (kk_ref(d->line[k])) {
				*ref_line = (long)k;
				return (long)i;
			}
	}
	return -1;
}

int doc_parse_kk_proposals(const ib_doc *d, ib_doc_result *r, ib_error *err)
{
	long ref_line;
	long first = next_header(d, 0, &ref_line);
	if (first < 0 || doc_find(d, (size_t)first, d->n_lines, "Kort resumé:") < 0)
		return 0;
	r->template_name = "kk-forslag";
	r->kommune = doc_find_kommune(d);
	for (size_t i = 0; i < d->n_lines && !r->budget_year; i++) {
		const char *b = strstr(d->line[i], "BUDGET ");
		if (b && b[7] >= '1' && b[7] <= '2')
			r->budget_year = atoi(b + 7);
	}
	int rc = r->budget_year ? IB_OK : IB_EPARSE;
	if (rc) {
		ib_error_set(err, rc, "%s: no 'BUDGET yyyy' heading gives the budget year",
			     d->name);
		return -1;
	}
	for (long at = first; at >= 0 && !rc;) {
		long this_ref = ref_line;
		long next = next_header(d, (size_t)at + 1, &ref_line);
		size_t to = next >= 0 ? (size_t)next : d->n_lines;
		ib_proposal *p = ib_proposal_new();
		if (!p) {
			rc = IB_ENOMEM;
			break;
		}
		p->kind = header_kind(d->line[at]);
		const char *rz = doc_skip_blank(d->line[this_ref]);
		size_t rn = kk_ref(d->line[this_ref]);
		p->ref = strndup(rz, rn);
		size_t skip = (size_t)(rz - d->line[this_ref]) + rn + (rz[rn] == '.');
		rc = p->ref ? fill_common(d, (size_t)at, to, (size_t)this_ref, skip, r, p)
			    : IB_ENOMEM;
		/* "Forslaget vil medføre en serviceforringelse: ☒Ja" */
		long sf = doc_find(d, (size_t)at, to, "serviceforringelse");
		for (long k = sf + 1; !rc && sf >= 0 && k < sf + 4 && k < (long)to; k++)
			if (strstr(d->line[k], "\xE2\x98\x92Ja") ||
			    strstr(d->line[k], "\xE2\x98\x92 Ja"))
				p->kind = "servicereduktion";
		if (!rc)
			rc = ib_proposal_list_push(&r->proposals, p);
		else
			ib_proposal_free(p);
		at = next;
	}
	return finish(r, d, rc, err);
}

/* ---- status report on earlier cases (003) ---------------------------------------- */

/* "3. Fremtidens genoptræning": the case number, 0 otherwise; *title after it. */
static int case_heading(const char *z, const char **title)
{
	z = doc_skip_blank(z);
	int n = 0;
	while (*z >= '0' && *z <= '9' && n < 1000)
		n = n * 10 + (*z++ - '0');
	if (!n || *z != '.')
		return 0;
	*title = doc_skip_blank(z + 1);
	return **title ? n : 0;
}

/* Amounts "9,4 mio. kr." / "-3,4 mio.kr" / "13,7 mio. Kr." in z, in order, in kr. */
static int find_amounts(const char *z, double *out, size_t *end, int max)
{
	int n = 0;
	const char *p = z;
	while (n < max && (p = strstr(p, "mio")) != NULL) {
		/* the number before "mio" */
		const char *e = p;
		while (e > z && e[-1] == ' ')
			e--;
		const char *s = e;
		while (s > z && ((s[-1] >= '0' && s[-1] <= '9') || s[-1] == ','))
			s--;
		if (s < e) {
			const char *m = s;
			while (m > z && m[-1] == ' ' && m - z >= 2 && m[-2] == '-')
				m--;
			if (m > z && m[-1] == '-')
				m--;
			char num[48];
			snprintf(num, sizeof num, "%.*s", (int)(e - m), m);
			double v;
			if (ib_num_parse(num, &v) == IB_OK) {
				out[n] = v * 1e6;
				end[n] = (size_t)(p - z) + 3;
				n++;
			}
		}
		p += 3;
	}
	return n;
}

/* ---- one case's row of the status table --------------------------------------- */

/* The cells of the row, in order: title (farvestatus), total investment, effect at full
 * phase-in, date of full implementation, earlier compensating action (Ja/Nej) - filled
 * for every case - then Bemærkning, Håndtering, whether the compensating action must be
 * approved by ØU and BR (Ja/Nej) and Konsekvens efter håndtering, filled only for cases
 * in yellow or red.  The text keeps no column positions: cells follow one another, a
 * cell that runs over several lines goes on with a lower-case word, and the two Ja/Nej
 * cells are found where a cell starts with Ja or Nej. */

/* Words that name a status colour where the table prints one (in the title cell). */
static const struct {
	const char *word; /* folded */
	const char *status;
} kk_status_words[] = {{"groen", "grøn"}, {"gul", "gul"}, {"roed", "rød"}};

/* Said when the colour is not printed and the yellow/red columns are filled, or empty. */
static const char kk_status_yellow_red[] = "gul eller rød";
static const char kk_status_unknown[] =
    "ukendt: farven er ikke trykt, og kolonnerne for gul eller rød er tomme";

/* Whether z starts (after blanks) with a Ja/Nej cell; *yes and the bytes up to the
 * word's end in *end. */
static int yes_no(const char *z, int *yes, size_t *end)
{
	const char *w = doc_skip_blank(z);
	size_t k = !strncmp(w, "Ja", 2) ? 2 : !strncmp(w, "Nej", 3) ? 3 : 0;
	if (!k || !(w[k] == ' ' || w[k] == '\0' || w[k] == '.' || w[k] == '('))
		return 0;
	*yes = w[0] == 'J';
	*end = (size_t)(w - z) + k;
	return 1;
}

/* "Primo 2026", "Medio 2025", "Ultimo 2026" in z: where it starts and its length. */
static const char *find_date(const char *z, size_t *len)
{
	static const char *const when[] = {"Primo ", "Medio ", "Ultimo "};
	const char *best = NULL;
	for (size_t w = 0; w < sizeof when / sizeof when[0]; w++) {
		const char *at = strstr(z, when[w]);
		const char *y = at ? at + strlen(when[w]) : NULL;
		if (y && y[0] >= '1' && y[0] <= '2' && y[1] >= '0' && y[1] <= '9' && y[2] >= '0' &&
		    y[2] <= '9' && y[3] >= '0' && y[3] <= '9' && (!best || at < best)) {
			best = at;
			*len = strlen(when[w]) + 4;
		}
	}
	return best;
}

/* Whether line z goes on with the cell above: its first letter is lower case. */
static int continues_cell(const char *z)
{
	const unsigned char *w = (const unsigned char *)doc_skip_blank(z);
	return (*w >= 'a' && *w <= 'z') ||
	       (w[0] == 0xC3 && (w[1] == 0xA6 || w[1] == 0xB8 || w[1] == 0xA5));
}

/* Text from line a (skipping skip bytes) up to line b, joined; "" or "." is NULL. */
static char *cell_text(const ib_doc *d, size_t a, size_t skip, size_t b)
{
	if (a >= b)
		return NULL;
	char *z = doc_join(d, a, b, skip);
	if (z && (!*z || !strcmp(z, "."))) {
		free(z);
		z = NULL;
	}
	return z;
}

/* Read one case's row (lines from..to) into f: amounts, date, compensating action,
 * remark and status. */
static int read_status_row(const ib_doc *d, size_t from, size_t to, ib_followup *f)
{
	char *row = doc_join(d, from, to, 0);
	if (!row)
		return IB_ENOMEM;
	double amt[4];
	size_t amt_end[4];
	int na = find_amounts(row, amt, amt_end, 4);
	if (na >= 1 && amt[0] > 0)
		f->total_investment_kr = amt[0];
	if (na >= 2 && amt[1] < 0)
		f->effect_full_kr = amt[1];
	free(row);
	/* the title cell: the lines before the first amount */
	size_t first_amount = from;
	while (first_amount < to && !strstr(d->line[first_amount], "mio"))
		first_amount++;
	/* the date of full implementation, and the lines its cell goes on over */
	size_t date_line = to, date_end = 0, cell_end = to;
	for (size_t i = from; i < to && date_line == to; i++) {
		size_t len;
		const char *at = find_date(d->line[i], &len);
		if (at) {
			date_line = i;
			date_end = (size_t)(at - d->line[i]) + len;
			cell_end = i + 1;
			ib_buf b;
			ib_buf_init(&b, 0);
			ib_buf_addf(&b, "%.*s", (int)len, at);
			if (doc_is_blank(d->line[i] + date_end)) {
				while (cell_end < to && doc_is_blank(d->line[cell_end]))
					cell_end++;
				size_t k = cell_end;
				while (k < to && !doc_is_blank(d->line[k]) &&
				       continues_cell(d->line[k]))
					k++;
				char *more = k > cell_end ? doc_join(d, cell_end, k, 0) : NULL;
				if (more)
					ib_buf_addf(&b, " %s", more);
				free(more);
				while (k < to && doc_is_blank(d->line[k]))
					k++;
				cell_end = k;
			}
			f->full_implementation = ib_buf_detach(&b);
			if (!f->full_implementation)
				return IB_ENOMEM;
		}
	}
	/* the Ja/Nej cells: right after the date on its line, or starting a line below */
	size_t mark_line[2], mark_end[2];
	int mark_yes[2], n_marks = 0, first_right_after = 0;
	size_t start = date_line < to ? date_line : first_amount;
	for (size_t i = start; i < to && n_marks < 2; i++) {
		size_t off = i == date_line ? date_end : 0;
		size_t end;
		int yes;
		if (i == date_line && !doc_is_blank(d->line[i] + off)) {
			if (yes_no(d->line[i] + off, &yes, &end)) {
				first_right_after = 1;
				mark_line[n_marks] = i, mark_end[n_marks] = off + end;
				mark_yes[n_marks++] = yes;
			}
			continue;
		}
		if (i > start && yes_no(d->line[i], &yes, &end)) {
			if (!n_marks && date_line < to && i == cell_end)
				first_right_after = 1;
			mark_line[n_marks] = i, mark_end[n_marks] = end;
			mark_yes[n_marks++] = yes;
		}
	}
	/* two Ja/Nej cells: compensating action and approval; one: compensating action when
	 * it follows the date, else the approval (the compensating cell left blank) */
	int comp = -1, approval = -1;
	if (n_marks == 2 || (n_marks == 1 && first_right_after))
		comp = 0;
	if (n_marks == 2)
		approval = 1;
	else if (n_marks == 1 && comp < 0)
		approval = 0;
	size_t rem_line, rem_skip;
	if (comp >= 0) {
		f->compensating = mark_yes[comp];
		rem_line = mark_line[comp], rem_skip = mark_end[comp];
	} else if (date_line < to) {
		rem_line = cell_end > date_line + 1 ? cell_end : date_line;
		rem_skip = cell_end > date_line + 1 ? 0 : date_end;
	} else {
		rem_line = to, rem_skip = 0;
	}
	char *remark = cell_text(d, rem_line, rem_skip, approval >= 0 ? mark_line[approval] : to);
	char *after =
	    approval >= 0 ? cell_text(d, mark_line[approval], mark_end[approval], to) : NULL;
	ib_buf b;
	ib_buf_init(&b, 0);
	if (remark)
		ib_buf_adds(&b, remark);
	if (approval >= 0)
		ib_buf_addf(&b, "%sGodkendes af ØU og BR: %s.", remark ? " " : "",
			    mark_yes[approval] ? "Ja" : "Nej");
	if (after)
		ib_buf_addf(&b, " Konsekvens efter håndtering: %s", after);
	f->remark = b.n ? ib_buf_detach(&b) : NULL;
	ib_buf_free(&b);
	/* the status: a colour word in the title cell, else the yellow/red columns */
	char *title = doc_join(d, from, first_amount, 0);
	char folded[1024];
	ib_fold_ascii(title ? title : "", folded, sizeof folded);
	free(title);
	const char *status = NULL;
	for (size_t k = 0; k < sizeof kk_status_words / sizeof kk_status_words[0] && !status; k++) {
		size_t n = strlen(kk_status_words[k].word);
		for (const char *w = strstr(folded, kk_status_words[k].word); w && !status;
		     w = strstr(w + 1, kk_status_words[k].word))
			if ((w == folded || !(w[-1] >= 'a' && w[-1] <= 'z')) &&
			    !(w[n] >= 'a' && w[n] <= 'z'))
				status = kk_status_words[k].status;
	}
	if (!status)
		status =
		    remark || after || approval >= 0 ? kk_status_yellow_red : kk_status_unknown;
	free(remark);
	free(after);
	f->status = strdup(status);
	return f->status ? IB_OK : IB_ENOMEM;
}

int doc_parse_status_report(const ib_doc *d, ib_doc_result *r, ib_error *err)
{
	if (doc_find(d, 0, d->n_lines, "Vedtagelsesår:") < 0)
		return 0;
	r->template_name = "status-report";
	r->kommune = doc_find_kommune(d);
	int rc = IB_OK;
	/* the list at the top names the innovation cases */
	long first_case = doc_find(d, 0, d->n_lines, "Vedtagelsesår:");
	for (size_t i = 0; i < d->n_lines && !rc; i++) {
		const char *title;
		int no = case_heading(d->line[i], &title);
		if (!no || doc_find(d, i + 1, i + 6, "Udfyldes for alle forslag") < 0)
			continue;
		long end = -1;
		for (size_t k = i + 1; k < d->n_lines && end < 0; k++) {
			const char *t2;
			if (case_heading(d->line[k], &t2) &&
			    doc_find(d, k + 1, k + 6, "Udfyldes for alle forslag") >= 0)
				end = (long)k;
		}
		size_t to = end >= 0 ? (size_t)end : d->n_lines;
		long vl = doc_find(d, i, to, "Vedtagelsesår:");
		long fl = doc_find(d, i, to, "Forvaltning:");
		long hl = doc_find(d, i, to, "ter håndtering");
		ib_proposal *p = ib_proposal_new();
		ib_followup *f = calloc(1, sizeof *f);
		if (!p || !f) {
			ib_proposal_free(p);
			free(f);
			rc = IB_ENOMEM;
			break;
		}
		p->followup = f;
		f->total_investment_kr = IB_NA;
		f->effect_full_kr = IB_NA;
		f->compensating = -1;
		p->title = strdup(title);
		doc_squeeze(p->title);
		p->ref = NULL;
		p->source = strdup(d->name);
		p->page = d->page[i];
		p->adopted = IB_ADOPTED_YES;
		f->source = strdup(d->name);
		f->page = d->page[i];
		/* innovation cases are marked so in the list at the top */
		p->kind = "investering";
		for (long k = 0; k < first_case; k++) {
			const char *t0;
			if (case_heading(d->line[k], &t0) == no) {
				char *lst = doc_join(d, (size_t)k, (size_t)k + 4, 0);
				if (lst && strstr(lst, "(innovationscase)"))
					p->kind = "innovation";
				free(lst);
				break;
			}
		}
		p->committee = fl >= 0 ? next_value(d, fl, to) : NULL;
		if (vl >= 0) {
			f->adoption = next_value(d, vl, to);
			/* "Budget 2022" -> 2022; "OFS 21/22" (overførselssag) -> 2022 */
			const char *a = f->adoption ? f->adoption : "";
			const char *y = strpbrk(a, "0123456789");
			const char *slash = strchr(a, '/');
			if (slash && slash[1] >= '0' && slash[1] <= '9')
				p->budget_year = 2000 + atoi(slash + 1);
			else if (y && atoi(y) >= 1990)
				p->budget_year = atoi(y);
		}
		if (hl >= 0 && (rc = read_status_row(d, (size_t)hl + 1, to, f)) != IB_OK) {
			ib_proposal_free(p);
			break;
		}
		p->impl_cost_kr = f->total_investment_kr;
		p->effect_kr = ib_is_na(f->effect_full_kr) ? IB_NA : -f->effect_full_kr;
		p->text = doc_join_text(d, i, to);
		p->summary = f->remark ? strdup(f->remark) : NULL;
		if (p->summary)
			doc_summary(p->summary);
		if (!p->budget_year) {
			doc_note(r, "case %d '%s': no adoption year printed; not imported", no,
				 p->title);
			ib_proposal_free(p);
			continue;
		}
		rc = ib_proposal_list_push(&r->followups, p);
	}
	/* cases listed as fully implemented have no status table */
	long full =
	    doc_find(d, 0, (size_t)(first_case > 0 ? first_case : 0), "fuldt implementeret:");
	for (long k = full + 1; !rc && full >= 0 && k < first_case; k++) {
		const char *t;
		int no = case_heading(d->line[k], &t);
		if (no) {
			char title[512];
			snprintf(title, sizeof title, "%s", t);
			doc_squeeze(title);
			rc = doc_note(r,
				      "case %d '%s' is fully implemented; the report gives no "
				      "figures for it, so it is not imported",
				      no, title);
		} else if (doc_starts(d->line[k], "De resterende")) {
			break;
		}
	}
	return finish(r, d, rc, err);
}
