/* extract.c - the engine of the layout-independent extractor: a table read as a grid
 * of cell texts (extract_html.c, extract_text.c) becomes an ib_xtable through the rule
 * table data/extract_rules.csv (units, sign legends, total labels, count words, anlæg
 * words, variant words, year header words), and ib_extract_apply() turns a table into
 * a proposal's yearly table. */
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "doc_int.h"
#include "extract_int.h"
#include "ideabank/array.h"
#include "ideabank/buf.h"
#include "ideabank/num.h"

extern const char ib_extract_rules_csv[];

/* ---- the rule table ------------------------------------------------------------ */

typedef struct x_rule {
	char kind[24];	/* unit, sign, total, count, anlaeg, variant, year_prefix, year_suffix,
			   generic_heading */
	char match[8];	/* exact, prefix, start, suffix, word, stem, has, legend */
	char text[96];	/* folded (and for legends without blanks) */
	char value[32]; /* as in the table */
	int line;	/* line in the CSV */
} x_rule;

static x_rule *rules;
static size_t n_rules;

char *x_fold(const char *z, int no_blanks)
{
	char *sq = x_squeeze(z ? z : "");
	if (!sq)
		return NULL;
	size_t n = strlen(sq) * 2 + 4; /* ib_fold_ascii keeps 3 bytes spare */
	char *out = malloc(n);
	if (out)
		ib_fold_ascii(sq, out, n);
	free(sq);
	if (out && no_blanks) {
		char *w = out;
		for (const char *r = out; *r; r++)
			if (*r != ' ')
				*w++ = *r;
		*w = '\0';
	}
	return out;
}

static int loaded; /* 1 loaded, -1 failed */
static pthread_once_t load_once = PTHREAD_ONCE_INIT;

static void load_rules(void)
{
	ib_csv c;
	loaded = -1;
	if (IB_CSV_TABLE(ib_extract_rules_csv, &c, rules, NULL))
		return;
	for (size_t i = 1; i < c.n; i++) {
		const ib_csv_row *r = &c.rows[i];
		if (r->n < 4)
			continue;
		x_rule *x = &rules[n_rules];
		snprintf(x->kind, sizeof x->kind, "%s", r->f[0]);
		snprintf(x->match, sizeof x->match, "%s", r->f[1]);
		snprintf(x->value, sizeof x->value, "%s", r->f[3]);
		x->line = r->line;
		char *t = x_fold(r->f[2], !strcmp(x->match, "legend"));
		if (!t)
			continue;
		snprintf(x->text, sizeof x->text, "%s", t);
		free(t);
		if (*x->text)
			n_rules++;
	}
	loaded = 1;
	ib_csv_free(&c);
}

/* Load the rule table once per process (pthread_once); 0 when it cannot be read (then
 * nothing matches). */
static int rules_loaded(void)
{
	pthread_once(&load_once, load_rules);
	return loaded > 0;
}

/* Letters and digits, and every byte of a multi-byte UTF-8 letter. */
static int is_wordc(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c >= 0x80;
}

/* Where rule x matches folded text h at or after from, or NULL. */
static const char *rule_find(const x_rule *x, const char *h, const char *from)
{
	size_t tl = strlen(x->text), hl = strlen(h);
	const char *t = x->text;
	if (!strcmp(x->match, "exact"))
		return from == h && !strcmp(h, t) ? h : NULL;
	if (!strcmp(x->match, "start"))
		return from == h && !strncmp(h, t, tl) ? h : NULL;
	if (!strcmp(x->match, "prefix"))
		return from == h && !strncmp(h, t, tl) &&
			       (!is_wordc((unsigned char)h[tl]) ||
				!is_wordc((unsigned char)t[tl - 1]))
			   ? h
			   : NULL;
	if (!strcmp(x->match, "suffix"))
		return from == h && hl >= tl && !strcmp(h + hl - tl, t) &&
			       (hl == tl || !is_wordc((unsigned char)h[hl - tl - 1]) ||
				!is_wordc((unsigned char)t[0]))
			   ? h + hl - tl
			   : NULL;
	if (!strcmp(x->match, "has") || !strcmp(x->match, "legend"))
		return strstr(from, t);
	if (!strcmp(x->match, "stem")) {
		/* the start of a word: "anlæg" in "Anlægsudgifter", not in "brandanlæg" */
		for (const char *p = strstr(from, t); p; p = strstr(p + 1, t))
			if (p == h || !is_wordc((unsigned char)p[-1]))
				return p;
		return NULL;
	}
	/* word: whole words on both sides */
	for (const char *p = strstr(from, t); p; p = strstr(p + 1, t)) {
		int before =
		    p == h || !is_wordc((unsigned char)p[-1]) || !is_wordc((unsigned char)t[0]);
		int after = !is_wordc((unsigned char)p[tl]) || !is_wordc((unsigned char)t[tl - 1]);
		if (before && after)
			return p;
	}
	return NULL;
}

/* The first rule of kind that matches folded text h, or NULL; *at gets the match. */
static const x_rule *rule_first(const char *kind, const char *h, const char **at)
{
	if (!rules_loaded() || !h)
		return NULL;
	for (size_t i = 0; i < n_rules; i++) {
		if (strcmp(rules[i].kind, kind))
			continue;
		const char *p = rule_find(&rules[i], h, h);
		if (p) {
			if (at)
				*at = p;
			return &rules[i];
		}
	}
	return NULL;
}

/* Whether the match at p in h follows a number ("17,7 mio. kr." is an amount, not the
 * table's unit). */
static int after_number(const char *h, const char *p)
{
	while (p > h && p[-1] == ' ')
		p--;
	return p > h && p[-1] >= '0' && p[-1] <= '9';
}

/* The unit printed in text z (not right after a number), in kr; 0 when none. */
static double unit_in(const char *z)
{
	if (!z || !rules_loaded())
		return 0;
	char *h = x_fold(z, 0);
	double kr = 0;
	for (size_t i = 0; h && i < n_rules && !kr; i++) {
		if (strcmp(rules[i].kind, "unit"))
			continue;
		for (const char *p = rule_find(&rules[i], h, h); p;
		     p = rule_find(&rules[i], h, p + 1)) {
			if (!after_number(h, p)) {
				kr = atof(rules[i].value);
				break;
			}
			/* an amount's unit: no shorter unit word may match inside it */
			memset((char *)p, '#', strlen(rules[i].text));
			if (strcmp(rules[i].match, "word") && strcmp(rules[i].match, "has"))
				break;
		}
	}
	free(h);
	return kr;
}

/* The sign legend in z: +1 positive = expense, -1 positive = saving, 0 none. */
static int sign_in(const char *z)
{
	char *h = x_fold(z, 1);
	const x_rule *x = rule_first("sign", h, NULL);
	free(h);
	return x ? (atoi(x->value) < 0 ? -1 : 1) : 0;
}

/* Whether label z (folded, trailing ':' and '*' dropped) matches a rule of kind; the
 * rule's value goes to *value when given. */
static int label_is(const char *kind, const char *z, int *value)
{
	char *h = x_fold(z, 0);
	if (!h)
		return 0;
	size_t n = strlen(h);
	while (n > 0 && (h[n - 1] == ':' || h[n - 1] == '*' || h[n - 1] == ' '))
		h[--n] = '\0';
	const x_rule *x = rule_first(kind, h, NULL);
	free(h);
	if (x && value)
		*value = atoi(x->value);
	return x != NULL;
}

int x_generic_heading(const char *z)
{
	return label_is("generic_heading", z, NULL);
}

/* ---- strings ----------------------------------------------------------------- */

/* z with runs of blanks (and control characters) as one space, none at either end. */
char *x_squeeze(const char *z)
{
	size_t n = strlen(z);
	char *out = malloc(n + 1);
	if (!out)
		return NULL;
	char *w = out;
	int blank = 1;
	for (const unsigned char *r = (const unsigned char *)z; *r;) {
		size_t k = 0;
		/* blanks, and control characters (C0, DEL, C1) as blanks: no stored text
		   holds one (a feed line refuses them) */
		if (*r <= 0x20 || *r == 0x7F)
			k = 1;
		else if (r[0] == 0xC2 && (r[1] == 0xA0 || (r[1] >= 0x80 && r[1] <= 0x9F)))
			k = 2;
		if (k) {
			r += k;
			if (!blank)
				*w++ = ' ';
			blank = 1;
			continue;
		}
		*w++ = (char)*r++;
		blank = 0;
	}
	while (w > out && w[-1] == ' ')
		w--;
	*w = '\0';
	return out;
}

/* A copy of z cut to at most max bytes on a UTF-8 boundary; NULL for NULL. */
static char *dup_cut(const char *z, size_t max)
{
	if (!z)
		return NULL;
	size_t n = strlen(z);
	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)z[n] & 0xC0) == 0x80)
			n--;
	}
	return strndup(z, n);
}

/* ---- grids ------------------------------------------------------------------- */

int x_grid_add_row(x_grid *g, const char *const *cells, size_t n, int line, int page)
{
	if (g->n >= X_MAX_ROWS) {
		g->cut = 1;
		return IB_OK;
	}
	if (n > X_MAX_CELLS) {
		n = X_MAX_CELLS;
		g->cut = 1;
	}
	x_row *grown = realloc(g->rows, (g->n + 1) * sizeof *grown);
	if (!grown)
		return IB_ENOMEM;
	g->rows = grown;
	x_row *r = &g->rows[g->n];
	r->cell = calloc(n ? n : 1, sizeof *r->cell);
	r->n = 0;
	r->line = line;
	r->page = page;
	if (!r->cell)
		return IB_ENOMEM;
	g->n++;
	for (size_t i = 0; i < n; i++) {
		r->cell[i] = x_squeeze(cells[i] ? cells[i] : "");
		if (!r->cell[i])
			return IB_ENOMEM;
		r->n++;
	}
	return IB_OK;
}

void x_grid_free(x_grid *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->n; i++) {
		ib_strings_free(g->rows[i].cell, g->rows[i].n);
	}
	IB_FREE_ALL(g->rows, g->caption, g->after);
	memset(g, 0, sizeof *g);
}

/* ---- cells ------------------------------------------------------------------- */

enum { CELL_BLANK = 0, CELL_NUMBER, CELL_PLACEHOLDER, CELL_TEXT };

/* Read a value cell: a Danish number, perhaps with a unit after it ("34.880 kr."), a
 * note in parentheses after it ("750 (1.700)") or a '+' before it; a dash alone is
 * zero; "x" or "?" is a placeholder.  *unit gets the unit printed in the cell (kr), 0
 * when none. */
static int cell_value(const char *cell, double *v, double *unit)
{
	*v = IB_NA;
	*unit = 0;
	char *h = x_fold(cell, 0);
	if (!h)
		return CELL_TEXT;
	size_t n = strlen(h);
	int kind = CELL_TEXT;
	/* a unit after the number */
	for (size_t i = 0; rules_loaded() && i < n_rules; i++) {
		const x_rule *x = &rules[i];
		size_t tl = strlen(x->text);
		if (strcmp(x->kind, "unit") || tl >= n || strcmp(h + n - tl, x->text))
			continue;
		unsigned char c = (unsigned char)h[n - tl - 1];
		if (c == ' ' || (c >= '0' && c <= '9')) {
			*unit = atof(x->value);
			n -= tl;
			h[n] = '\0';
			break;
		}
	}
	while (n > 0 && (h[n - 1] == ' ' || h[n - 1] == '*'))
		h[--n] = '\0';
	/* a note in parentheses after the number */
	if (n > 0 && h[n - 1] == ')') {
		char *open = strrchr(h, '(');
		if (open && open > h) {
			n = (size_t)(open - h);
			h[n] = '\0';
			while (n > 0 && h[n - 1] == ' ')
				h[--n] = '\0';
		}
	}
	const char *z = h;
	if (*z == '+') {
		z++;
		while (*z == ' ')
			z++;
	}
	if (!*z) {
		kind = CELL_BLANK;
	} else if (!strcmp(z, "-") || !strcmp(z, "\xE2\x88\x92") || !strcmp(z, "\xE2\x80\x93")) {
		*v = 0;
		kind = CELL_NUMBER;
	} else if (!strcmp(z, "x") || !strcmp(z, "?") || !strcmp(z, "y")) {
		kind = CELL_PLACEHOLDER;
	} else if (ib_num_parse(z, v) == IB_OK) {
		kind = CELL_NUMBER;
	} else {
		*v = IB_NA;
	}
	free(h);
	return kind;
}

int x_year_header(const char *z, int *year)
{
	char *h = x_fold(z, 0);
	if (!h)
		return 0;
	const char *cand[64];
	size_t nc = 0;
	cand[nc++] = h;
	for (size_t i = 0; rules_loaded() && i < n_rules && nc < 64; i++)
		if (!strcmp(rules[i].kind, "year_prefix") && rule_find(&rules[i], h, h)) {
			const char *p = h + strlen(rules[i].text);
			while (*p == ' ')
				p++;
			cand[nc++] = p;
		}
	int ok = 0;
	for (size_t c = 0; c < nc && !ok; c++) {
		const char *p = cand[c];
		if (!(p[0] >= '0' && p[0] <= '9' && p[1] >= '0' && p[1] <= '9' && p[2] >= '0' &&
		      p[2] <= '9' && p[3] >= '0' && p[3] <= '9') ||
		    (p[4] >= '0' && p[4] <= '9'))
			continue;
		int y = atoi(p);
		if (y < 1990 || y > 2100)
			continue;
		const char *rest = p + 4;
		while (*rest == ' ')
			rest++;
		/* trailing marks of a footnote or doubt */
		size_t rl = strlen(rest);
		while (rl > 0 && strchr("*?:.", rest[rl - 1]))
			rl--;
		if (rl == 0 || rest[0] == '(') {
			ok = 1;
		} else {
			for (size_t i = 0; rules_loaded() && i < n_rules && !ok; i++)
				if (!strcmp(rules[i].kind, "year_suffix") &&
				    !strncmp(rest, rules[i].text, strlen(rules[i].text)))
					ok = 1;
		}
		if (ok)
			*year = y;
	}
	free(h);
	return ok;
}

/* ---- the engine -------------------------------------------------------------- */

/* The variant ("Model 2", "Scenarie B") named in z, or NULL; caller frees. */
static char *variant_in(const char *z)
{
	if (!z || !rules_loaded())
		return NULL;
	char *h = x_fold(z, 0);
	char *out = NULL;
	for (size_t i = 0; h && i < n_rules && !out; i++) {
		if (strcmp(rules[i].kind, "variant"))
			continue;
		for (const char *p = rule_find(&rules[i], h, h); p && !out;
		     p = rule_find(&rules[i], h, p + 1)) {
			const char *t = p + strlen(rules[i].text);
			if (*t != ' ')
				continue;
			t++;
			size_t k = 0;
			while (is_wordc((unsigned char)t[k]) && k < 5)
				k++;
			if (!k || is_wordc((unsigned char)t[k]))
				continue;
			int digits = 1;
			for (size_t j = 0; j < k; j++)
				digits &= t[j] >= '0' && t[j] <= '9';
			int roman = strspn(t, "ivx") == k && k <= 4;
			if (!digits && !roman && k != 1)
				continue;
			char id[8];
			snprintf(id, sizeof id, "%.*s", (int)k, t);
			if (!digits && k == 1 && id[0] >= 'a' && id[0] <= 'z')
				id[0] = (char)(id[0] - 'a' + 'A');
			if (roman && k > 1)
				for (size_t j = 0; j < k; j++)
					id[j] = (char)(id[j] - 'a' + 'A');
			char buf[64];
			snprintf(buf, sizeof buf, "%s %s", rules[i].value, id);
			out = strdup(buf);
		}
	}
	free(h);
	return out;
}

/* The header row of g: the first of its first rows whose cells (after the first) hold
 * year headers in increasing order.  Fills cols/years; returns the row or -1. */
static long find_header(const x_grid *g, int *cols, int *years, int *n_years, int *more)
{
	for (size_t r = 0; r < g->n && r < 4; r++) {
		int n = 0, last = 0, ok = 1;
		*more = 0;
		for (size_t j = 1; j < g->rows[r].n && ok; j++) {
			int y;
			if (!x_year_header(g->rows[r].cell[j], &y)) {
				/* a row of amounts is data, not a header */
				double v, unit;
				if (cell_value(g->rows[r].cell[j], &v, &unit) == CELL_NUMBER)
					ok = 0;
				continue;
			}
			if (y <= last)
				ok = 0;
			last = y;
			if (n == IB_X_MAX_COLS) {
				*more = 1;
				continue;
			}
			cols[n] = (int)j;
			years[n] = y;
			n++;
		}
		/* a column of years ("Januar | 2024 | Godkendelse ...") is a time plan */
		if (ok && n > 0 && r + 1 < g->n && (size_t)cols[0] < g->rows[r + 1].n &&
		    g->rows[r + 1].n == g->rows[r].n) {
			int y1;
			if (x_year_header(g->rows[r + 1].cell[cols[0]], &y1))
				ok = 0;
		}
		/* a table without a label column: its first cell is the first year */
		int y0;
		if (ok && n > 0 && g->rows[r].n > 0 && x_year_header(g->rows[r].cell[0], &y0) &&
		    y0 < years[0]) {
			if (n == IB_X_MAX_COLS) {
				*more = 1;
				n--;
			}
			memmove(cols + 1, cols, (size_t)n * sizeof *cols);
			memmove(years + 1, years, (size_t)n * sizeof *years);
			cols[0] = 0;
			years[0] = y0;
			n++;
		}
		if (ok && n > 0) {
			*n_years = n;
			return (long)r;
		}
	}
	return -1;
}

/* Label of row r: its cells left of the first year column, joined by blanks ("" when
 * the table has no label column).  Rows shorter than the header are aligned to its
 * right (a label cell spanning rows above leaves them short).  Caller frees. */
static char *row_label(const x_row *r, size_t shift, int first_col)
{
	ib_buf b;
	ib_buf_init(&b, 0);
	int rc = IB_OK;
	for (size_t j = 0; j < r->n && !rc && first_col > 0; j++) {
		if ((int)(j + shift) >= first_col && j > 0)
			break;
		if (!*r->cell[j])
			continue;
		if (b.n)
			rc = ib_buf_addc(&b, ' ');
		if (!rc)
			rc = ib_buf_adds(&b, r->cell[j]);
	}
	if (rc) {
		ib_buf_free(&b);
		return NULL;
	}
	return ib_buf_detach(&b);
}

static void table_free(ib_xtable *t)
{
	for (int k = 0; k < IB_X_MAX_COLS; k++)
		free(t->year_text[k]);
	IB_FREE_ALL(t->unit_text, t->sign_text, t->caption, t->variant, t->pool);
	for (size_t i = 0; i < t->n_rows; i++)
		free(t->rows[i].label);
	free(t->rows);
	memset(t, 0, sizeof *t);
}

char *x_variant(const char *z)
{
	return variant_in(z);
}

int x_rule_line(const char *kind, const char *z)
{
	char *h = z ? x_fold(z, !strcmp(kind, "sign")) : NULL;
	int line = 0;
	for (size_t i = 0; h && rules_loaded() && i < n_rules && !line; i++)
		if (!strcmp(rules[i].kind, kind) && rule_find(&rules[i], h, h))
			line = rules[i].line;
	free(h);
	return line;
}

/* Set the table's unit from text z (a cell, label, caption) when it names one.
 * label: keep z itself as the unit's source; else the rule's words. */
static int take_unit(ib_xtable *t, const char *z)
{
	if (t->unit_kr || !z)
		return IB_OK;
	double kr = unit_in(z);
	if (!kr)
		return IB_OK;
	t->unit_kr = kr;
	t->unit_text = dup_cut(z, 200);
	return t->unit_text ? IB_OK : IB_ENOMEM;
}

static int take_sign(ib_xtable *t, const char *z)
{
	if (t->sign_text || !z)
		return IB_OK;
	int s = sign_in(z);
	if (!s)
		return IB_OK;
	t->sign = s;
	t->sign_text = dup_cut(z, 200);
	return t->sign_text ? IB_OK : IB_ENOMEM;
}

static int take_variant(ib_xtable *t, const char *z)
{
	if (t->variant || !z)
		return IB_OK;
	t->variant = variant_in(z);
	return IB_OK;
}

int x_grid_read(const x_grid *g, ib_xresult *out)
{
	int cols[IB_X_MAX_COLS], years[IB_X_MAX_COLS], n_years = 0, more = 0;
	long hr = find_header(g, cols, years, &n_years, &more);
	if (hr < 0)
		return IB_OK;
	ib_xtable t;
	memset(&t, 0, sizeof t);
	t.total_row = -1;
	t.sign = 1;
	t.table_no = g->table_no;
	t.n_years = n_years;
	t.line = g->rows[hr].line;
	t.page = g->rows[hr].page;
	int rc = IB_OK;
	const x_row *h = &g->rows[hr];
	for (int k = 0; k < n_years && !rc; k++) {
		t.years[k] = years[k];
		t.year_text[k] = strdup(h->cell[cols[k]]);
		if (!t.year_text[k])
			rc = IB_ENOMEM;
	}
	if (!rc && g->caption && !(t.caption = strdup(g->caption)))
		rc = IB_ENOMEM;
	t.rows = calloc(g->n, sizeof *t.rows);
	if (!t.rows)
		rc = IB_ENOMEM;

	/* the unit, legend and variant in the header and the rows above it */
	for (long r = 0; r <= hr && !rc; r++)
		for (size_t j = 0; j < g->rows[r].n && !rc; j++) {
			rc = take_unit(&t, g->rows[r].cell[j]);
			if (!rc)
				rc = take_sign(&t, g->rows[r].cell[j]);
			if (!rc && (int)j < cols[0])
				rc = take_variant(&t, g->rows[r].cell[j]);
		}
	if (!rc)
		rc = take_variant(&t, g->caption);

	/* the rows */
	double cell_unit = 0;
	const char *cell_unit_text = NULL;
	int section_anlaeg = -1, best = 0, header_finance = 0;
	size_t n_money = 0, n_finance = 0;
	/* the header's label cell can say it already: "Rådighedsbeløb (1.000 kr.)",
	   "Finansposter (beløb i 1.000 kr.)" */
	for (int j = 0; j < cols[0] && (size_t)j < h->n; j++) {
		int anl = -1;
		if (label_is("anlaeg", h->cell[j], &anl) && anl >= 0)
			section_anlaeg = anl;
		header_finance |= label_is("finance", h->cell[j], NULL);
	}
	for (size_t r = (size_t)hr + 1; r < g->n && !rc; r++) {
		const x_row *row = &g->rows[r];
		size_t shift = row->n < h->n && row->n > 1 ? h->n - row->n : 0;
		char *label = row_label(row, shift, cols[0]);
		if (!label) {
			rc = IB_ENOMEM;
			break;
		}
		ib_xrow x;
		memset(&x, 0, sizeof x);
		x.label = label;
		x.line = row->line;
		for (int k = 0; k < n_years; k++) {
			x.v[k] = IB_NA;
			long j = (long)cols[k] - (long)shift;
			if (row->n <= 1 || j < 0 || (size_t)j >= row->n)
				continue;
			double v, unit;
			int kind = cell_value(row->cell[j], &v, &unit);
			if (kind == CELL_NUMBER) {
				x.v[k] = v;
				x.n++;
			}
			if (unit && !cell_unit) {
				cell_unit = unit;
				cell_unit_text = row->cell[j];
			}
		}
		rc = take_sign(&t, label);
		/* anlæg or drift: said by the row, else by the section it is in */
		int anl = -1;
		if (!label_is("anlaeg", label, &anl))
			anl = -1;
		/* "Disponering:" alone on a row: the rows under it spend a pool */
		if (!t.pool && x.n == 0 && *label && label_is("pool_line", label, NULL) &&
		    !(t.pool = strdup(label)))
			rc = IB_ENOMEM;
		if (x.n == 0) {
			/* a label alone opens a section of anlæg or drift rows */
			if (*label && anl >= 0)
				section_anlaeg = anl;
			free(label);
			continue;
		}
		x.anlaeg = anl >= 0 ? anl : section_anlaeg;
		int prio = 0;
		if (label_is("count", label, NULL))
			x.kind = IB_XROW_COUNT;
		else if (label_is("total", label, &prio))
			x.kind = IB_XROW_TOTAL;
		if (x.kind == IB_XROW_MONEY) {
			n_money++;
			n_finance += label_is("finance", label, NULL);
		}
		if (x.kind == IB_XROW_TOTAL && prio >= best) {
			best = prio;
			t.total_row = (long)t.n_rows;
		}
		t.rows[t.n_rows++] = x;
	}

	/* the unit where the header did not say it: a cell suffix, a row label, the
	 * caption; the legend also in the paragraph after the table (where the next
	 * table's caption may name another unit) */
	if (!rc && !t.unit_kr && cell_unit) {
		t.unit_kr = cell_unit;
		t.unit_text = strdup(cell_unit_text);
		if (!t.unit_text)
			rc = IB_ENOMEM;
	}
	t.finance = n_money && (header_finance || n_finance == n_money);
	/* a pool's disposition: its last row what is left ("Rest til fordeling"), or its
	   first row the pool to share out under a header or caption that names a pool;
	   a row of a savings table that cuts a pool is neither */
	if (!rc && !t.pool && t.n_rows) {
		const char *first = t.rows[0].label, *last = t.rows[t.n_rows - 1].label;
		int header_pool = g->caption && label_is("pool_header", g->caption, NULL);
		for (int j = 0; j < cols[0] && (size_t)j < h->n && !header_pool; j++)
			header_pool = label_is("pool_header", h->cell[j], NULL);
		const char *pool = label_is("pool_rest", last, NULL) ? last
				   : header_pool && label_is("pool_first", first, NULL) ? first
											  : NULL;
		if (pool && !(t.pool = strdup(pool)))
			rc = IB_ENOMEM;
	}
	for (size_t i = 0; i < t.n_rows && !rc; i++)
		rc = take_unit(&t, t.rows[i].label);
	if (!rc)
		rc = take_unit(&t, g->caption);
	if (!rc)
		rc = take_sign(&t, g->caption);
	if (!rc)
		rc = take_sign(&t, g->after);
	if (!rc && t.total_row >= 0)
		rc = take_variant(&t, t.rows[t.total_row].label);
	/* no legend: the rows' own words may say the sign ("Merudgift til ..." printed
	   250, "Besparelse ..." printed -975, "Samlet nettobesparelse" -725 under a header
	   "Beregnet nettobesparelse"): a row that names a saving (sign_saving rows) or an
	   expense (sign_expense rows) with all its amounts of one sign votes for a
	   convention; when every vote agrees, that is the table's sign */
	if (!rc && !t.sign_text) {
		int plus = 0, minus = 0;
		const char *said = NULL;
		const char *head = cols[0] > 0 && h->n ? h->cell[0] : NULL;
		for (size_t i = 0; i < t.n_rows; i++) {
			const ib_xrow *x = &t.rows[i];
			if (x->kind == IB_XROW_COUNT || !x->n)
				continue;
			int pos = 0, neg = 0;
			for (int k = 0; k < n_years; k++) {
				pos += !ib_is_na(x->v[k]) && x->v[k] > 0;
				neg += !ib_is_na(x->v[k]) && x->v[k] < 0;
			}
			if (pos && neg)
				continue;
			/* the total speaks for the header too */
			const char *lab[2] = {x->label,
					      x->kind == IB_XROW_TOTAL ? head : NULL};
			for (int l = 0; l < 2; l++) {
				if (!lab[l])
					continue;
				int saving = label_is("sign_saving", lab[l], NULL),
				    expense = !saving && label_is("sign_expense", lab[l], NULL);
				if (!saving && !expense)
					continue;
				/* +1: positive = expense (negative = saving) */
				int vote = (saving && neg) || (expense && pos)	 ? 1
					   : (saving && pos) || (expense && neg) ? -1
										 : 0;
				plus += vote > 0;
				minus += vote < 0;
				if (vote && !said)
					said = lab[l];
				break;
			}
		}
		if (said && (plus == 0) != (minus == 0)) {
			t.sign = plus ? 1 : -1;
			t.sign_text = dup_cut(said, 200);
			if (!t.sign_text)
				rc = IB_ENOMEM;
		}
	}

	int money = 0;
	for (size_t i = 0; i < t.n_rows; i++)
		money += t.rows[i].kind != IB_XROW_COUNT;
	if (!rc && money > 0) {
		if (more)
			rc = x_note(out,
				    "tabel %d har flere end %d årskolonner; kun de første er læst",
				    t.table_no, IB_X_MAX_COLS);
		if (!rc && g->cut)
			rc = x_note(out,
				    "tabel %d er for stor; kun de første %d rækker og %d "
				    "kolonner er læst",
				    t.table_no, X_MAX_ROWS, X_MAX_CELLS);
		if (!rc && !(rc = IB_APPEND(out->tables, out->n, t)))
			return IB_OK;
	}
	table_free(&t);
	return rc;
}

void ib_xresult_free(ib_xresult *r)
{
	if (!r)
		return;
	IB_FREE_EACH(r->tables, r->n, table_free);
	ib_strings_free(r->notes, r->n_notes);
	memset(r, 0, sizeof *r);
}

/* ---- into the feed model ------------------------------------------------------ */

/* Whether label z names staff in årsværk. */
static int is_fte(const char *z)
{
	char *h = x_fold(z, 0);
	int yes = h && strstr(h, "aarsvaerk") != NULL;
	free(h);
	return yes;
}

/* v in Danish notation with as few decimals as it needs (up to 3). */
static char *num_text(double v, char *out, size_t n)
{
	int d = 0;
	while (d < 3 && fabs(v * pow(10, d) - round(v * pow(10, d))) > 1e-9)
		d++;
	return ib_num_format(v, d, out, n);
}

int ib_extract_apply(const ib_xtable *t, ib_proposal *p)
{
	double unit = t->unit_kr > 0 ? t->unit_kr : 1000;
	double to_tkr = unit / 1000.0 * (t->sign < 0 ? -1 : 1);
	int rc = IB_OK;
	if (!t->unit_kr)
		rc = ib_proposal_add_flag(p, "unit_assumed",
					  "Tabel %d angiver ikke enheden; beløbene er antaget at "
					  "være i 1.000 kr.",
					  t->table_no);
	if (!rc && !t->sign_text)
		rc = ib_proposal_add_flag(p, "sign_assumed",
					  "Tabel %d forklarer ikke fortegnet; positive beløb er "
					  "antaget at være merudgifter",
					  t->table_no);
	size_t incomplete = 0;
	for (size_t i = 0; i < t->n_rows; i++)
		incomplete += t->rows[i].kind != IB_XROW_COUNT && t->rows[i].n < t->n_years;
	if (!rc && incomplete)
		rc = ib_proposal_add_flag(p, "incomplete_row",
					  "%zu række(r) i tabel %d mangler beløb for et eller "
					  "flere år; de manglende beløb er ikke talt med",
					  incomplete, t->table_no);
	int n_mismatch = 0, first_mismatch = 0;
	double mismatch_sum = 0;
	/* years with money, and of those the years whose every money row is anlæg */
	int n_money_years = 0, n_anlaeg_years = 0;
	double invested_kr = 0;
	for (int k = 0; k < t->n_years && !rc; k++) {
		const ib_xrow *tot = t->total_row >= 0 ? &t->rows[t->total_row] : NULL;
		double sum = 0, inv = 0, fte = IB_NA;
		int parts = 0, n_inv = 0;
		for (size_t i = 0; i < t->n_rows; i++) {
			const ib_xrow *x = &t->rows[i];
			if (ib_is_na(x->v[k]))
				continue;
			if (x->kind == IB_XROW_COUNT) {
				if (is_fte(x->label))
					fte = (ib_is_na(fte) ? 0 : fte) + x->v[k];
				continue;
			}
			if (x->kind == IB_XROW_TOTAL)
				continue;
			sum += x->v[k];
			parts++;
			if (x->anlaeg == 1) {
				inv += x->v[k];
				n_inv++;
			}
		}
		if (parts) {
			n_money_years++;
			n_anlaeg_years += n_inv == parts;
			invested_kr += inv * unit;
		}
		double net = tot && !ib_is_na(tot->v[k]) ? tot->v[k] : parts ? sum : IB_NA;
		/* a pool's disposition without a total row: the pool, what is taken of it
		   and what is left add up to nothing printed (no net) */
		if (t->pool && !tot)
			net = IB_NA;
		if (tot && !ib_is_na(tot->v[k]) && parts &&
		    fabs(sum - tot->v[k]) > 1e-6 * (fabs(sum) + 1)) {
			if (!n_mismatch++) {
				first_mismatch = k;
				mismatch_sum = sum;
			}
		}
		if (t->year_text[k]) {
			char *h = x_fold(t->year_text[k], 0);
			int partial = h && strstr(h, "(fra ") != NULL;
			free(h);
			if (partial)
				rc = ib_proposal_add_flag(
				    p, "partial_year",
				    "Kolonnen '%s' i tabel %d dækker ikke hele "
				    "året",
				    t->year_text[k], t->table_no);
		}
		ib_proposal_year y = ib_proposal_year_blank(t->years[k]);
		y.net = ib_is_na(net) ? IB_NA : net * to_tkr;
		y.investment = n_inv ? inv * unit / 1000.0 : IB_NA;
		y.fte = fte;
		y.page = t->page;
		y.line = tot ? tot->line : t->line;
		if (!rc)
			rc = ib_proposal_add_year(p, &y);
	}
	if (!rc && n_mismatch) {
		char a[48], b[48];
		rc = ib_proposal_add_flag(
		    p, "total_mismatch",
		    "Tabel %d: rækken '%s' svarer ikke til summen af de øvrige rækker i %d af %d "
		    "år (%s: %s, summen er %s); totalen er brugt",
		    t->table_no, t->rows[t->total_row].label, n_mismatch, t->n_years,
		    t->year_text[first_mismatch],
		    num_text(t->rows[t->total_row].v[first_mismatch], a, sizeof a),
		    num_text(mismatch_sum, b, sizeof b));
	}
	if (!rc) {
		doc_effect_from_net(p);
		p->page = t->page;
	}
	/* A table of anlæg only (a construction budget, an investment's periodisation)
	   states what is spent, not a lasting change in operating costs: its last year is
	   no yearly effect.  The effect stays unknown, the spending is the cost. */
	/* A pool's disposition (what a pool holds, what is spent of it, "Rest til
	   fordeling") says how money already set aside is shared out, not what a proposal
	   saves or costs a year: the effect stays unknown. */
	if (!rc && t->pool) {
		p->effect_kr = IB_NA;
		p->full_year = 0;
		rc = ib_proposal_add_flag(p, "pool_disposition",
					  "Tabel %d fordeler en pulje ('%s'); den viser ikke "
					  "forslagets varige effekt, som er ukendt",
					  t->table_no, t->pool);
	} else if (!rc && t->finance) {
		/* instalments and interest on a loan: how a decision is financed, not what
		   it changes in operating costs */
		p->effect_kr = IB_NA;
		p->full_year = 0;
		rc = ib_proposal_add_flag(p, "finance_items",
					  "Tabel %d viser finansposter (afdrag og renter på lån); "
					  "forslagets varige driftseffekt står ikke i tabellen og er "
					  "ukendt",
					  t->table_no);
	} else if (!rc && n_money_years && n_anlaeg_years == n_money_years) {
		p->effect_kr = IB_NA;
		p->full_year = 0;
		/* the table's own total when it has one (a row it could not read still
		   counts there) */
		const ib_xrow *tot = t->total_row >= 0 ? &t->rows[t->total_row] : NULL;
		if (tot) {
			invested_kr = 0;
			for (int k = 0; k < t->n_years; k++)
				if (!ib_is_na(tot->v[k]))
					invested_kr += tot->v[k] * unit;
		}
		p->impl_cost_kr = invested_kr * (t->sign < 0 ? -1 : 1);
		rc = ib_proposal_add_flag(p, "investment_only",
					  "Tabel %d indeholder kun anlægsbeløb; forslagets varige "
					  "driftseffekt står ikke i tabellen og er ukendt",
					  t->table_no);
	}
	return rc;
}
