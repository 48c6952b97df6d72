/* agenda_classify.c - what an agenda case is.  An item is read once into its parts
 * (the sections named by data/agenda_sections.csv: summary, recommendation, decision,
 * description, economy, earlier decisions), its costed tables (the extractor) and the
 * amounts in its running text (amounts.c).  A case (its items, oldest first) is then
 * classified from those parts: the rule rows of data/agenda_rules.csv say what it is
 * (agenda business, a budget follow-up, a loan guarantee, a grant, money from outside,
 * a construction pool), its money per budget year is read from a table or the text,
 * and the outcome carries a reason code and its Danish text (data/agenda_reasons.csv)
 * and a line saying which parts and rule rows decided it.  The proposals of a costed
 * case are made here (one per alternative); storing them is agenda.c's.  Works on a
 * case's items whatever their source and never touches the store. */
#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agenda_int.h"
#include "csv.h"
#include "doc_int.h"
#include "ideabank/buf.h"
#include "ideabank/doc.h"
#include "ideabank/extract.h"
#include "ideabank/num.h"

extern const char ib_agenda_rules_csv[];    /* data/agenda_rules.csv */
extern const char ib_agenda_sections_csv[]; /* data/agenda_sections.csv */
extern const char ib_agenda_reasons_csv[];  /* data/agenda_reasons.csv */
extern const char ib_agenda_flags_csv[];    /* data/agenda_flags.csv */
extern const char ib_decision_rules_csv[];  /* data/decision_rules.csv */
extern const char ib_extract_rules_csv[];   /* data/extract_rules.csv: its variant words */

/* The parts' names in the rule tables (column "del"). */
static const char *const part_names[AG_N_PARTS] = {"titel",
						   "resume",
						   "indstilling",
						   "beslutning",
						   "sagsfremstilling",
						   "\xC3\xB8konomi",
						   "forl\xC3\xB8\x62", /* forløb */
						   "andet",
						   "tekst"};

/* Most budget years one case's money may span. */
#define YEARS 24

/* ---- small helpers ------------------------------------------------------------ */

char *ag_fold(const char *z)
{
	size_t n = strlen(z) * 2 + 4;
	char *out = malloc(n);
	if (out)
		ib_fold_ascii(z, out, n);
	return out;
}

static int is_letter(unsigned char c)
{
	return isalnum(c) || c >= 0x80;
}

int ag_has_words(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	if (!n)
		return 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		if ((p == hay || !is_letter((unsigned char)p[-1]) ||
		     !is_letter((unsigned char)needle[0])) &&
		    (!is_letter((unsigned char)p[n]) || !is_letter((unsigned char)needle[n - 1])))
			return 1;
	return 0;
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

/* How a rule's words are found in a folded text. */
enum { M_EXACT, M_START, M_SUFFIX, M_WORD, M_STEM, M_HAS };

static int match_kind(const char *z)
{
	return !strcmp(z, "exact")    ? M_EXACT
	       : !strcmp(z, "start")  ? M_START
	       : !strcmp(z, "suffix") ? M_SUFFIX
	       : !strcmp(z, "stem")   ? M_STEM
	       : !strcmp(z, "has")    ? M_HAS
				      : M_WORD;
}

/* Where needle is found in hay by kind m (both folded); NULL when not. */
static const char *find(int m, const char *hay, const char *needle)
{
	size_t n = strlen(needle), h = strlen(hay);
	if (!n)
		return NULL;
	switch (m) {
	case M_EXACT:
		return !strcmp(hay, needle) ? hay : NULL;
	case M_START:
		return !strncmp(hay, needle, n) ? hay : NULL;
	case M_SUFFIX:
		return h >= n && !strcmp(hay + h - n, needle) ? hay + h - n : NULL;
	case M_HAS:
		return strstr(hay, needle);
	case M_STEM:
		for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
			if (p == hay || !is_letter((unsigned char)p[-1]))
				return p;
		return NULL;
	default:
		for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
			if ((p == hay || !is_letter((unsigned char)p[-1])) &&
			    (!is_letter((unsigned char)p[n]) ||
			     !is_letter((unsigned char)needle[n - 1])))
				return p;
		return NULL;
	}
}

/* ---- the rule tables ------------------------------------------------------------ */

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
		ag_rule *r = &t->r[t->n++];
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

/* A row of data/agenda_rules.csv. */
enum {
	R_SKIP,
	R_NOTE,
	R_MEASURE,
	R_FRAME,
	R_ONE_OFF,
	R_NONE,
	R_CONTEXT,
	R_TABLE,
	R_CONSTRUCTION,
	R_NOT_FRAME,
	R_ROW_NOW,
	R_ROW_NEW,
	R_LASTING,
	R_ART,
	R_DESCRIBES,
	R_N_KINDS
};
static const char *const rule_kinds[R_N_KINDS] = {
    "skip",  "note",	     "measure",	   "frame",    "one_off",  "none",  "kontekst",
    "tabel", "anl\xC3\xA6g", "ikke_ramme", "række_nu", "række_ny", "varig", "art",
    "beskriver"};

typedef struct crule {
	int kind, part, match;
	char *needle; /* folded */
	char *words;  /* as written */
	char *value;  /* skip: the reason code; art: the kind */
	int always;   /* skip: also when the case states money ("altid") */
	int decides;  /* skip: only when the case decides something ("beslutter": a title
			 word of a pool is no pool released in an orientation) */
	int line;     /* in the file */
} crule;

typedef struct srule {
	int part, match;
	char *needle;
	int line;
} srule;

typedef struct reason_row {
	char *code, *outcome, *text;
} reason_row;

typedef struct flag_row {
	char *code, *text;
	int marks; /* makes the outcome "flagged" */
} flag_row;

static struct tables {
	int loaded; /* 1 loaded, -1 failed */
	crule *rules;
	size_t n_rules;
	srule *sections;
	size_t n_sections;
	reason_row *reasons;
	size_t n_reasons;
	flag_row *flags;
	size_t n_flags;
} tb;

static ag_rules decision_rules, variant_words;

static int part_of(const char *z)
{
	for (int i = 0; i < AG_N_PARTS; i++)
		if (!strcmp(z, part_names[i]))
			return i;
	return -1;
}

static int load_tables(void)
{
	if (tb.loaded)
		return tb.loaded > 0 ? IB_OK : IB_ENOMEM;
	tb.loaded = -1;
	ib_csv c[4];
	memset(c, 0, sizeof c);
	const char *src[4] = {ib_agenda_rules_csv, ib_agenda_sections_csv, ib_agenda_reasons_csv,
			      ib_agenda_flags_csv};
	int rc = IB_OK;
	for (int k = 0; k < 4 && !rc; k++)
		if (ib_csv_parse(src[k], strlen(src[k]), ';', &c[k], NULL))
			rc = IB_ENOMEM;
	if (!rc) {
		tb.rules = calloc(c[0].n + 1, sizeof *tb.rules);
		tb.sections = calloc(c[1].n + 1, sizeof *tb.sections);
		tb.reasons = calloc(c[2].n + 1, sizeof *tb.reasons);
		tb.flags = calloc(c[3].n + 1, sizeof *tb.flags);
		if (!tb.rules || !tb.sections || !tb.reasons || !tb.flags)
			rc = IB_ENOMEM;
	}
	/* regel;del;match;tekst;værdi;når;hvorfor */
	for (size_t i = 1; !rc && i < c[0].n; i++) {
		const ib_csv_row *r = &c[0].rows[i];
		if (r->n < 6)
			continue;
		int kind = -1, part = part_of(r->f[1]);
		for (int k = 0; k < R_N_KINDS; k++)
			if (!strcmp(r->f[0], rule_kinds[k]))
				kind = k;
		if (kind < 0 || part < 0)
			continue;
		crule *x = &tb.rules[tb.n_rules++];
		x->kind = kind;
		x->part = part;
		x->match = match_kind(r->f[2]);
		x->needle = ag_fold(r->f[3]);
		x->words = strdup(r->f[3]);
		x->value = strdup(r->f[4]);
		/* "altid", "uden_beløb", "beslutter" (uden_beløb, in a case that decides
		   something) or "altid beslutter" */
		x->always = !strncmp(r->f[5], "altid", 5);
		x->decides = strstr(r->f[5], "beslutter") != NULL;
		x->line = r->line;
		if (!x->needle || !x->words || !x->value)
			rc = IB_ENOMEM;
	}
	/* del;match;overskrift;hvorfor */
	for (size_t i = 1; !rc && i < c[1].n; i++) {
		const ib_csv_row *r = &c[1].rows[i];
		int part = r->n >= 3 ? part_of(r->f[0]) : -1;
		if (part < 0)
			continue;
		srule *x = &tb.sections[tb.n_sections++];
		x->part = part;
		x->match = match_kind(r->f[1]);
		x->needle = ag_fold(r->f[2]);
		x->line = r->line;
		if (!x->needle)
			rc = IB_ENOMEM;
	}
	/* kode;udfald;tekst */
	for (size_t i = 1; !rc && i < c[2].n; i++) {
		const ib_csv_row *r = &c[2].rows[i];
		if (r->n < 3)
			continue;
		reason_row *x = &tb.reasons[tb.n_reasons++];
		x->code = strdup(r->f[0]);
		x->outcome = strdup(r->f[1]);
		x->text = strdup(r->f[2]);
		if (!x->code || !x->outcome || !x->text)
			rc = IB_ENOMEM;
	}
	/* kode;markerer;tekst */
	for (size_t i = 1; !rc && i < c[3].n; i++) {
		const ib_csv_row *r = &c[3].rows[i];
		if (r->n < 3)
			continue;
		flag_row *x = &tb.flags[tb.n_flags++];
		x->code = strdup(r->f[0]);
		x->marks = atoi(r->f[1]);
		x->text = strdup(r->f[2]);
		if (!x->code || !x->text)
			rc = IB_ENOMEM;
	}
	for (int k = 0; k < 4; k++)
		ib_csv_free(&c[k]);
	if (!rc)
		tb.loaded = 1;
	return rc;
}

static pthread_once_t ready_once = PTHREAD_ONCE_INIT;
static int ready_rc;

static void load_all(void)
{
	ready_rc = load_tables();
	if (!ready_rc)
		ready_rc = ag_load_rules(&decision_rules, ib_decision_rules_csv, 1, -1, 0, 2);
	if (!ready_rc)
		ready_rc = ag_load_rules(&variant_words, ib_extract_rules_csv, 0, 1, 2, 3);
}

int ag_rules_ready(void)
{
	pthread_once(&ready_once, load_all);
	return ready_rc;
}

/* The reason row of code and outcome (every code the classifier gives has one). */
static const reason_row *reason_of(const char *code, const char *outcome)
{
	for (size_t i = 0; i < tb.n_reasons; i++)
		if (!strcmp(tb.reasons[i].code, code) && !strcmp(tb.reasons[i].outcome, outcome))
			return &tb.reasons[i];
	return NULL;
}

static const flag_row *flag_of(const char *code)
{
	for (size_t i = 0; i < tb.n_flags; i++)
		if (!strcmp(tb.flags[i].code, code))
			return &tb.flags[i];
	return NULL;
}

/* ---- reading an item ------------------------------------------------------------- */

void ag_item_free(item *it)
{
	free(it->meeting_id), free(it->committee), free(it->date), free(it->when);
	free(it->no), free(it->case_no), free(it->title), free(it->url);
	free(it->text);
	for (int i = 0; i < AG_N_PARTS; i++)
		free(it->part[i]), free(it->heading[i]);
	ib_xresult_free(&it->x);
	free(it->table_part);
	free(it->am);
	free(it->am_part);
}

/* The part a heading names (data/agenda_sections.csv), -1 when none; *whole is set
 * when the heading is longer than the rule's words (a recommendation printed as its
 * own heading: its text belongs to the part). */
static int section_of(const char *heading, int *whole)
{
	char *f = ag_fold(heading);
	int part = -1;
	if (f) {
		size_t n = strlen(f);
		while (n > 0 && (f[n - 1] == ':' || f[n - 1] == ' ' || f[n - 1] == '.'))
			f[--n] = '\0';
		for (size_t i = 0; i < tb.n_sections && part < 0; i++)
			if (find(tb.sections[i].match, f, tb.sections[i].needle)) {
				part = tb.sections[i].part;
				*whole = strlen(f) > strlen(tb.sections[i].needle) + 2;
			}
	}
	free(f);
	return part;
}

static int append(char **dst, const char *z, size_t n)
{
	size_t have = *dst ? strlen(*dst) : 0;
	char *v = realloc(*dst, have + n + 2);
	if (!v)
		return IB_ENOMEM;
	if (have)
		v[have++] = '\n';
	memcpy(v + have, z, n);
	v[have + n] = '\0';
	*dst = v;
	return IB_OK;
}

int ag_item_read(item *it, const char *html, size_t len)
{
	ib_html_doc d;
	ib_error e = {0};
	int rc = ib_html_read(html, len, 1, &d, &e);
	if (rc == IB_ENOMEM)
		return rc;
	if (rc) {
		it->x_failed = 1;
		it->text = strdup("");
		return it->text ? IB_OK : IB_ENOMEM;
	}
	/* the sections: a known heading's section runs to the next known heading or the
	   next real heading of the same or a higher level */
	int *kind = calloc(d.n_heads + 1, sizeof *kind);
	size_t *end = calloc(d.n_heads + 1, sizeof *end);
	int *whole = calloc(d.n_heads + 1, sizeof *whole);
	it->table_part = calloc(d.x.n + 1, sizeof *it->table_part);
	if (!kind || !end || !whole || !it->table_part)
		rc = IB_ENOMEM;
	for (size_t i = 0; !rc && i < d.n_heads; i++)
		kind[i] = section_of(d.heads[i].name, &whole[i]);
	for (size_t i = 0; !rc && i < d.n_heads; i++) {
		if (kind[i] < 0)
			continue;
		end[i] = d.len;
		for (size_t j = i + 1; j < d.n_heads; j++)
			if (kind[j] >= 0 ||
			    (!d.heads[j].bold && d.heads[j].level <= d.heads[i].level)) {
				end[i] = d.heads[j].start;
				break;
			}
		int k = kind[i];
		if (whole[i])
			rc = append(&it->part[k], d.text + d.heads[i].start,
				    d.heads[i].end - d.heads[i].start);
		if (!rc && end[i] > d.heads[i].end)
			rc = append(&it->part[k], d.text + d.heads[i].end, end[i] - d.heads[i].end);
		if (!rc && !it->part[k])
			rc = append(&it->part[k], "", 0);
		if (!rc && !it->heading[k] && !(it->heading[k] = strdup(d.heads[i].name)))
			rc = IB_ENOMEM;
	}
	for (size_t t = 0; !rc && t < d.x.n; t++) {
		it->table_part[t] = AG_TEXT;
		for (size_t i = 0; i < d.n_heads; i++)
			if (kind[i] >= 0 && d.table_at[t] >= d.heads[i].end &&
			    d.table_at[t] < end[i])
				it->table_part[t] = kind[i];
	}
	free(kind);
	free(end);
	free(whole);
	/* a decision or summary heading with nothing under it is no decision or summary
	   (the text keeps its lines: they end sentences) */
	static const int droppable[] = {AG_DECISION, AG_SUMMARY};
	for (size_t d = 0; !rc && d < 2; d++) {
		char *z = it->part[droppable[d]];
		if (z && z[strspn(z, " \t\r\n")] == '\0') {
			free(z);
			it->part[droppable[d]] = NULL;
		}
	}
	/* the amounts of the recommendation and the economy section */
	static const int amount_parts[] = {AG_RECOMMENDATION, AG_ECONOMY, AG_SUMMARY,
					   AG_DESCRIPTION};
	for (size_t k = 0; !rc && k < sizeof amount_parts / sizeof amount_parts[0]; k++) {
		const char *z = it->part[amount_parts[k]];
		if (!z || !*z)
			continue;
		ib_tamount *a = NULL;
		size_t n = 0;
		rc = ib_amounts_read(z, strlen(z), &a, &n);
		if (rc || !n) {
			free(a);
			continue;
		}
		ib_tamount *v = realloc(it->am, (it->n_am + n) * sizeof *v);
		int *p = v ? realloc(it->am_part, (it->n_am + n) * sizeof *p) : NULL;
		if (v)
			it->am = v;
		if (p)
			it->am_part = p;
		if (!v || !p) {
			free(a);
			rc = IB_ENOMEM;
			break;
		}
		for (size_t i = 0; i < n; i++) {
			it->am[it->n_am + i] = a[i];
			it->am_part[it->n_am + i] = amount_parts[k];
		}
		it->n_am += n;
		free(a);
	}
	/* the decision and the summary are shown as one paragraph each (their amounts are
	   read: offsets into them are not kept) */
	for (size_t d2 = 0; !rc && d2 < 2; d2++)
		if (it->part[droppable[d2]])
			ag_squeeze(it->part[droppable[d2]]);
	if (!rc) {
		it->x = d.x;
		memset(&d.x, 0, sizeof d.x);
		it->text = d.text;
		d.text = NULL;
	}
	ib_html_doc_free(&d);
	return rc;
}

/* ---- cases ------------------------------------------------------------------- */

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

/* The first rule of data/decision_rules.csv whose words occur in the folded text f, or
 * NULL. */
static const ag_rule *first_decision_rule(const char *f)
{
	const ag_rule *hit = NULL;
	for (size_t i = 0; f && i < decision_rules.n && !hit; i++)
		if (*decision_rules.r[i].needle && strcmp(decision_rules.r[i].kind, "follows") &&
		    ag_has_words(f, decision_rules.r[i].needle))
			hit = &decision_rules.r[i];
	return hit;
}

/* Where numbered point k ("1. Godkendt", "2) Taget til efterretning") begins in f at or
 * after from: at the start or after a space, the number, "." or ")" and a space; NULL
 * when there is none. */
static char *point_at(char *f, char *from, int k)
{
	char num[8];
	int len = snprintf(num, sizeof num, "%d", k);
	for (char *p = strstr(from, num); p; p = strstr(p + 1, num))
		if ((p == f || p[-1] == ' ') && (p[len] == '.' || p[len] == ')') &&
		    p[len + 1] == ' ')
			return p;
	return NULL;
}

/* What decision decides: the first rule of data/decision_rules.csv whose words occur in
 * it, or NULL.  A decision of numbered points in order ("1. Taget til efterretning 2.
 * Godkendt") decides per point (the words before the first point are one too): the
 * point that approves decides (yes), else one that rejects, else one that leaves it
 * open (pending), else an orientation (none). */
static const ag_rule *decision_rule(const char *decision)
{
	char *f = ag_fold(decision);
	if (!f)
		return NULL;
	char *starts[32];
	size_t n_points = 0;
	for (char *p = point_at(f, f, 1); p && n_points < 32;
	     p = point_at(f, p + 1, (int)n_points + 1))
		starts[n_points++] = p;
	const ag_rule *hit = NULL;
	if (n_points >= 2) {
		static const char *const order[] = {"yes", "no", "pending", "none"};
		int best_rank = 4;
		/* cut the text into its points, back to front */
		char *seg[33];
		size_t n_seg = 0;
		for (size_t i = n_points; i-- > 0;) {
			seg[n_seg++] = starts[i];
			if (starts[i] > f)
				starts[i][-1] = '\0';
		}
		if (starts[0] > f)
			seg[n_seg++] = f;
		for (size_t i = 0; i < n_seg; i++) {
			const ag_rule *r = first_decision_rule(seg[i]);
			for (int k = 0; r && k < best_rank; k++)
				if (!strcmp(r->kind, order[k])) {
					hit = r;
					best_rank = k;
				}
		}
	} else {
		hit = first_decision_rule(f);
	}
	free(f);
	return hit;
}

/* Whether decision approves another committee's recommendation ("Byrådet godkendte
 * Økonomiudvalgets indstilling"): a "follows" row of data/decision_rules.csv, matched
 * anywhere in a word, as the committee's name ends in it. */
static int follows_recommendation(const char *decision)
{
	char *f = ag_fold(decision);
	int hit = 0;
	for (size_t i = 0; f && i < decision_rules.n && !hit; i++)
		hit = !strcmp(decision_rules.r[i].kind, "follows") && *decision_rules.r[i].needle &&
		      strstr(f, decision_rules.r[i].needle) != NULL;
	free(f);
	return hit;
}

/* adopted from the last decision of c[0..n-1] that decides something: an orientation
 * ("none") or a text no rule knows leaves the decision before it in force; "pending"
 * (recommended on, sent back, postponed) is unknown. */
static int adopted_of(item **c, size_t n)
{
	for (size_t i = n; i-- > 0;) {
		const char *d = c[i]->part[AG_DECISION];
		const ag_rule *r = d ? decision_rule(d) : NULL;
		if (!r || !strcmp(r->kind, "none"))
			continue;
		/* approving a committee's recommendation to reject is a rejection */
		if (!strcmp(r->kind, "yes") && follows_recommendation(d))
			for (size_t j = i; j-- > 0;) {
				const char *dj = c[j]->part[AG_DECISION];
				const ag_rule *rj = dj ? decision_rule(dj) : NULL;
				if (!rj || !strcmp(rj->kind, "none"))
					continue;
				if (!strcmp(rj->kind, "no"))
					return IB_ADOPTED_NO;
				break;
			}
		return !strcmp(r->kind, "yes")	? IB_ADOPTED_YES
		       : !strcmp(r->kind, "no") ? IB_ADOPTED_NO
						: IB_ADOPTED_UNKNOWN;
	}
	return IB_ADOPTED_UNKNOWN;
}

/* The alternative of names[0..n_t-1] that the latest decision naming any of them names
 * ("anbefaler model B"; the later "godkendte Økonomiudvalgets indstilling" follows it):
 * its index, or -1 when no decision names exactly one of them. */
static int chosen_variant(item **c, size_t n, const char *const *names, size_t n_t)
{
	for (size_t i = n; i-- > 0;) {
		const char *d = c[i]->part[AG_DECISION];
		char *f = d ? ag_fold(d) : NULL;
		int named = -1, n_named = 0;
		for (size_t k = 0; f && k < n_t; k++) {
			char *v = names[k] ? ag_fold(names[k]) : NULL;
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

/* 1 when the label begins with a variant word of the extractor's rule table ("Model
 * B", "Scenarie 2"). */
static int is_variant_label(const char *label)
{
	char *f = ag_fold(label ? label : "");
	int hit = 0;
	for (size_t i = 0; f && i < variant_words.n && !hit; i++) {
		const ag_rule *r = &variant_words.r[i];
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

/* ---- what a case says ------------------------------------------------------------ */

/* Evidence for the explain line, one clause each. */
typedef struct why {
	ib_buf b;
	int rc;
} why;

static void why_add(why *w, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void why_add(why *w, const char *fmt, ...)
{
	if (w->rc)
		return;
	if (w->b.n)
		w->rc = ib_buf_adds(&w->b, "; ");
	char line[1200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (!w->rc)
		w->rc = ib_buf_adds(&w->b, line);
}

/* z cut to at most max bytes on a UTF-8 boundary, "…" added when cut, into out. */
static const char *cut(const char *z, size_t max, char *out, size_t n)
{
	size_t len = strlen(z ? z : "");
	if (len <= max || max + 4 > n) {
		snprintf(out, n, "%s", z ? z : "");
		return out;
	}
	while (max > 0 && ((unsigned char)z[max] & 0xC0) == 0x80)
		max--;
	snprintf(out, n, "%.*s\xE2\x80\xA6", (int)max, z);
	return out;
}

/* The printed name of part k of it: its heading, else the part's table name. */
static const char *part_label(const item *it, int k)
{
	if (k == AG_TITLE)
		return "titel";
	return it->heading[k] ? it->heading[k] : part_names[k];
}

/* The first rule of kind matching part of it (its folded text in f[part]); NULL when
 * none.  skip_always: -1 any, 0 only "uden_beløb" (and "beslutter"), 1 only "altid"; code: NULL
 * any. */
static const crule *rule_hit(int kind, char *const *f, const char *code, int always)
{
	for (size_t i = 0; i < tb.n_rules; i++) {
		const crule *r = &tb.rules[i];
		if (r->kind != kind || !f[r->part])
			continue;
		if (code && strcmp(r->value, code))
			continue;
		if (always >= 0 && r->always != always)
			continue;
		if (find(r->match, f[r->part], r->needle))
			return r;
	}
	return NULL;
}

/* An item's parts folded for the rules (caller frees with unfold()). */
static int fold_parts(const item *it, char **f)
{
	memset(f, 0, AG_N_PARTS * sizeof *f);
	for (int k = 0; k < AG_N_PARTS; k++) {
		const char *z = k == AG_TITLE ? it->title : k == AG_TEXT ? it->text : it->part[k];
		if (z && !(f[k] = ag_fold(z)))
			return IB_ENOMEM;
	}
	return IB_OK;
}

static void unfold(char **f)
{
	for (int k = 0; k < AG_N_PARTS; k++)
		free(f[k]);
}

/* ---- money ----------------------------------------------------------------------- */

/* A yearly amount of a case: net (operating) and construction money per budget year. */
typedef struct yearly {
	int y0;		   /* first year of the arrays */
	double net[YEARS]; /* kr, positive = more expense; NAN none */
	double anl[YEARS]; /* construction kr */
	int lasting;	   /* an amount said to last ("fra 2025", "årligt") */
	int assumed;	   /* the year assumed for an amount without one, 0 none */
} yearly;

static void yearly_init(yearly *y, int y0)
{
	y->y0 = y0;
	for (int i = 0; i < YEARS; i++)
		y->net[i] = y->anl[i] = IB_NA;
	y->lasting = y->assumed = 0;
}

static int yearly_n(const yearly *y, int anl)
{
	int n = 0;
	for (int i = 0; i < YEARS; i++)
		n += !ib_is_na(anl ? y->anl[i] : y->net[i]);
	return n;
}

/* The text money of one appearance. */
typedef struct text_money {
	yearly y;
	int n_in[YEARS]; /* net amounts added up in each year */
	int n_net, n_anl;
	ib_buf quotes; /* the sentences, for the flag and the explain line */
	int part;      /* where they stand */
} text_money;

/* Whether amount a is the measure's own money per budget year at a meeting in year
 * `year`: a saving or an expense (by the words before it) for named years from the
 * meeting's on, or said to be per year, or said to be a one-off (once: its sentence
 * says engangsudgift; it then belongs to one budget year); not a price per unit, the
 * lower end of a range, or a total over several years. */
static int is_net_amount(const ib_tamount *a, int year, int once)
{
	if (a->per_unit || a->low || a->kr == 0)
		return 0;
	if (a->cue != IB_TCUE_SAVING && a->cue != IB_TCUE_EXPENSE)
		return 0;
	if (a->year) {
		if (a->year < year)
			return 0;
		if (a->total && a->year_to != a->year && !a->yearly)
			return 0;
		return 1;
	}
	return a->yearly || once;
}

static int is_construction_amount(const ib_tamount *a, int year)
{
	return a->cue == IB_TCUE_CONSTRUCTION && !a->per_unit && !a->low && a->year &&
	       a->year >= year && a->year_to == a->year;
}

/* Whether the sentence of a (in part text z) holds a rule of kind (folded). */
static int sentence_has(const char *z, const ib_tamount *a, int kind, int part)
{
	char buf[2048];
	size_t n = a->s_len < sizeof buf - 1 ? a->s_len : sizeof buf - 1;
	memcpy(buf, z + a->s_at, n);
	buf[n] = '\0';
	char *f = ag_fold(buf);
	int hit = 0;
	for (size_t i = 0; f && i < tb.n_rules && !hit; i++)
		if (tb.rules[i].kind == kind &&
		    (tb.rules[i].part == part || tb.rules[i].part == AG_TEXT) &&
		    find(tb.rules[i].match, f, tb.rules[i].needle))
			hit = 1;
	free(f);
	return hit;
}

static int add_quote(ib_buf *b, const char *z, size_t at, size_t n)
{
	if (n > 400)
		n = 400;
	while (n > 0 && ((unsigned char)z[at + n] & 0xC0) == 0x80)
		n--;
	int rc = b->n ? ib_buf_adds(b, " | ") : IB_OK;
	if (!rc)
		rc = ib_buf_add(b, z + at, n);
	return rc;
}

static int construction_said(const item *it);

/* Read the text money of it: from the recommendation, else the economy section.  In a
 * construction appropriation only amounts its sentence calls operating money count
 * (afledt drift, driftsbesparelse): the rest is the construction's. */
static int text_money_of(const item *it, text_money *m)
{
	int construction = construction_said(it);
	int year = atoi(it->date);
	yearly_init(&m->y, year - 4);
	memset(m->n_in, 0, sizeof m->n_in);
	m->n_net = m->n_anl = 0;
	m->part = -1;
	ib_buf_reset(&m->quotes);
	static const int order[] = {AG_RECOMMENDATION, AG_ECONOMY};
	int rc = IB_OK;
	/* the amounts taken: only those can be said again */
	unsigned char *took_am = calloc(it->n_am + 1, 1);
	if (!took_am)
		return IB_ENOMEM;
	for (size_t k = 0; k < 2 && !m->n_net && !rc; k++) {
		int part = order[k];
		const char *z = it->part[part];
		size_t last_s = (size_t)-1;
		for (size_t i = 0; i < it->n_am && !rc; i++) {
			ib_tamount a_cued = it->am[i];
			const ib_tamount *a = &a_cued;
			if (it->am_part[i] != part)
				continue;
			/* an amount per year that no word calls anything is what the measure
			   costs ("Kørsel og forplejning op til 20.000 kr. årligt"), unless its
			   sentence describes a budget or someone else's money ("beskriver") */
			if (a_cued.cue == IB_TCUE_NONE && a_cued.per_year_word && !a_cued.per_unit &&
			    !sentence_has(z, a, R_DESCRIBES, part))
				a_cued.cue = IB_TCUE_EXPENSE;
			/* an amount said once, without a year: a one-off (engangsudgift), or an
			   expense the recommendation itself decides ("at der anvendes
			   50.000-100.000 kr. til …", "udgiftsbevilling på 0,141 mio. kr."): the
			   budget the case names, else the meeting's year */
			int said_once = sentence_has(z, a, R_ONE_OFF, part);
			int once = !a->year && !a->yearly &&
				   (said_once || (part == AG_RECOMMENDATION &&
						  a->cue == IB_TCUE_EXPENSE && !a->total));
			/* spent now: the meeting's year, unless its own sentence names a budget */
			int spent_now = once && !said_once;
			int net = is_net_amount(a, year, once),
			    anl = is_construction_amount(a, year);
			if (net && construction && !a->operating) {
				net = 0;
				anl = a->year && a->year >= year && a->year_to == a->year;
			}
			if (!net && !anl)
				continue;
			if (sentence_has(z, a, R_NONE, part) ||
			    (net && sentence_has(z, a, R_CONTEXT, part)))
				continue;
			/* a saving is negative whatever its print; an expense keeps a printed
			   minus ("en tillægsbevilling på -0,2 mio. kr." gives money back) */
			double kr = fabs(a->kr);
			if (net)
				kr = a->cue == IB_TCUE_SAVING ? -kr : a->kr;
			/* a yearly amount without a year: the budget the case names, else the
			   meeting's year */
			int assumed = year, assumed_to = year;
			if (!a->year) {
				/* a budget named in its own sentence: its years when per year;
				   else one named in the part or the other part: its first year */
				const char *other =
				    it->part[part == AG_ECONOMY ? AG_RECOMMENDATION : AG_ECONOMY];
				int last = 0;
				int b = ib_amounts_budget_year(z + a->s_at, a->s_len, year, &last);
				if (b && a->yearly && last > b)
					assumed_to = last;
				else
					last = 0;
				if (!b && !spent_now)
					b = ib_amounts_budget_year(z, strlen(z), year, NULL);
				if (!b && other && !spent_now)
					b = ib_amounts_budget_year(other, strlen(other), year,
								   NULL);
				if (b)
					assumed = b;
				if (!last)
					assumed_to = assumed;
				m->y.assumed = assumed;
			}
			int from = a->year ? a->year : assumed,
			    to = a->year ? a->year_to : assumed_to;
			if (to == 0) {
				to = from;
				m->y.lasting = 1;
			}
			/* "586.000 kr. i 2024 medtages i BO0 og indarbejdes som teknisk korrektion
			   til budget 2025-28": the amount lasts through the next budget's years */
			if (a->year && to == from && !a->yearly &&
			    sentence_has(z, a, R_LASTING, part)) {
				int last = 0;
				int b =
				    ib_amounts_budget_year(z + a->s_at, a->s_len, from + 1, &last);
				if (b == from + 1 && last >= b) {
					to = last;
					m->y.lasting = 1;
				}
			}
			if (a->yearly)
				m->y.lasting = 1;
			int took = 0;
			for (int y = from; y <= to; y++) {
				int i_y = y - m->y.y0;
				if (i_y < 0 || i_y >= YEARS)
					continue;
				double *slot = net ? &m->y.net[i_y] : &m->y.anl[i_y];
				/* several measures of a year add up; the same amount said again
				   for the same year is one */
				int again = 0;
				for (size_t j = 0; j < i && !again; j++) {
					const ib_tamount *b = &it->am[j];
					again =
					    took_am[j] && it->am_part[j] == part &&
					    b->s_at != a->s_at && fabs(b->kr) == fabs(a->kr) &&
					    b->cue == a->cue && (b->year ? b->year : year) <= y &&
					    (b->year_to == 0 || (b->year ? b->year_to : year) >= y);
				}
				if (again)
					continue;
				/* the net of the amounts before it, said once more ("mindreudgiften
				   på 0,019 mio. kr. tilgår kassen"): it replaces them; an amount
				   of the other sign balances them (an income that pays the
				   expenses) */
				if (net && m->n_in[i_y] >= 2 && !ib_is_na(*slot) && *slot * kr > 0 &&
				    fabs(fabs(*slot) - fabs(kr)) <= fmax(1000.0, 0.05 * fabs(kr))) {
					*slot = kr;
					took = 1;
					continue;
				}
				*slot = ib_is_na(*slot) ? kr : *slot + kr;
				if (net)
					m->n_in[i_y]++;
				took = 1;
			}
			if (!took)
				continue;
			took_am[i] = 1;
			if (net)
				m->n_net++;
			else
				m->n_anl++;
			m->part = part;
			if (a->s_at != last_s)
				rc = add_quote(&m->quotes, z, a->s_at, a->s_len);
			last_s = a->s_at;
		}
		if (!m->n_net) {
			/* construction amounts alone do not make text money */
			for (int i = 0; i < YEARS; i++)
				m->y.anl[i] = IB_NA;
			m->n_anl = 0;
			m->y.assumed = m->y.lasting = 0;
			ib_buf_reset(&m->quotes);
			memset(took_am, 0, it->n_am + 1);
		}
	}
	free(took_am);
	return rc;
}

/* Whether it states an expense and an income that go up in every year, in its
 * recommendation (else its economy section): an income appropriation that pays the
 * measure's expense ("tillægsbevilling til merudgifter på N kr. ... indtægtsbevilling
 * på N kr."), so no net money of the municipality's own.  Another saving in the same
 * part makes it a measure with a net of its own.  1 when so (q gets the sentences), 0
 * when not, -1 when out of memory. */
static int balanced_of(const item *it, ib_buf *q)
{
	static const int order[] = {AG_RECOMMENDATION, AG_ECONOMY};
	int year = atoi(it->date);
	for (size_t k = 0; k < 2; k++) {
		int part = order[k];
		const char *z = it->part[part];
		double exp[YEARS + 1], inc[YEARS + 1];
		int n_exp = 0, n_inc = 0, other = 0;
		size_t last_s = (size_t)-1;
		for (int y = 0; y <= YEARS; y++)
			exp[y] = inc[y] = 0;
		for (size_t i = 0; i < it->n_am; i++) {
			const ib_tamount *a = &it->am[i];
			if (it->am_part[i] != part || !is_net_amount(a, year, 0) ||
			    sentence_has(z, a, R_NONE, part))
				continue;
			if (a->cue == IB_TCUE_SAVING && !a->income) {
				other++;
				continue;
			}
			/* the years it is for; without one, a slot of its own */
			int from = a->year ? a->year - year + 1 : 0;
			int to = a->year ? (a->year_to ? a->year_to : a->year) - year + 1 : 0;
			for (int y = from; y <= to; y++) {
				if (y < 0 || y > YEARS)
					continue;
				if (a->cue == IB_TCUE_EXPENSE)
					exp[y] += fabs(a->kr);
				else
					inc[y] += fabs(a->kr);
			}
			if (a->cue == IB_TCUE_EXPENSE)
				n_exp++;
			else
				n_inc++;
			if (a->s_at != last_s && add_quote(q, z, a->s_at, a->s_len))
				return -1;
			last_s = a->s_at;
		}
		if (!n_exp && !n_inc && !other)
			continue;
		int same = n_exp && n_inc && !other;
		for (int y = 0; y <= YEARS && same; y++)
			same = fabs(exp[y] - inc[y]) <= 0.005 * fmax(exp[y], inc[y]);
		if (!same)
			ib_buf_reset(q);
		return same;
	}
	return 0;
}

/* Whether the economy section of it says, for no year in particular, that the case
 * has no economic consequences (a "none" row in a sentence without a year: "Indstillingen
 * har ikke på nuværende tidspunkt økonomiske konsekvenser"; "ingen budgetmæssige
 * konsekvenser i 2023" speaks of one year only). */
static int none_whole(const item *it)
{
	const char *z = it->part[AG_ECONOMY];
	char *f = z ? ag_fold(z) : NULL;
	int whole = 0;
	for (size_t i = 0; f && i < tb.n_rules && !whole; i++) {
		const crule *r = &tb.rules[i];
		if (r->kind != R_NONE || r->part != AG_ECONOMY)
			continue;
		for (const char *p = find(r->match, f, r->needle); p && !whole;
		     p = find(r->match, p + 1, r->needle)) {
			/* the sentence around it */
			const char *a = p, *b = p;
			while (a > f && a[-1] != '.' && a[-1] != '\n')
				a--;
			while (*b && *b != '.' && *b != '\n')
				b++;
			int year = 0;
			for (const char *q = a; q + 4 <= b && !year; q++)
				year = (q == a || !isdigit((unsigned char)q[-1])) && isdigit((unsigned char)q[0]) &&
				       isdigit((unsigned char)q[1]) && isdigit((unsigned char)q[2]) &&
				       isdigit((unsigned char)q[3]) && (q + 4 == b || !isdigit((unsigned char)q[4])) &&
				       (q[0] == '2' || q[0] == '1');
			whole = !year;
		}
	}
	free(f);
	return whole;
}

/* A costed table counts when it states money for the meeting's year or later, has a
 * unit and stands in a part that describes the case (not the decision or the earlier
 * meetings' decisions), and does not share out a pool. */
static int none_whole(const item *it);

static int table_counts(const item *it, size_t i)
{
	const ib_xtable *t = &it->x.tables[i];
	int year = atoi(it->date), ahead = 0;
	if (t->unit_kr == 0 || t->pool)
		return 0;
	/* the economy section says the case has no economic consequences: its tables
	   show something else (a building budget, money already spent) */
	if (none_whole(it))
		return 0;
	if (it->table_part[i] == AG_DECISION || it->table_part[i] == AG_HISTORY)
		return 0;
	for (int c = 0; c < t->n_years; c++)
		ahead |= t->years[c] >= year;
	if (!ahead)
		return 0;
	/* a table of money already set aside, a pool's plan, rates, accounts */
	if (t->caption) {
		char *f = ag_fold(t->caption);
		int ctx = 0;
		for (size_t k = 0; f && k < tb.n_rules && !ctx; k++)
			ctx = tb.rules[k].kind == R_TABLE &&
			      find(tb.rules[k].match, f, tb.rules[k].needle);
		free(f);
		if (ctx)
			return 0;
	}
	for (size_t r = 0; r < t->n_rows; r++)
		if (t->rows[r].kind != IB_XROW_COUNT && t->rows[r].n > 0)
			return 1;
	return 0;
}

static int construction_only(const item *it, const ib_xtable *t);

/* The tables a case's proposals are made from: one per variant; without variants the
 * first table that has a total row, else the first.  operating: only tables that hold
 * operating money (not construction money only). */
static size_t pick_tables(const item *it, const ib_xtable **out, size_t max, int operating)
{
	const ib_xresult *x = &it->x;
	size_t n = 0;
	for (size_t i = 0; i < x->n && n < max; i++) {
		const ib_xtable *t = &x->tables[i];
		if (!t->variant || !table_counts(it, i) || (operating && construction_only(it, t)))
			continue;
		int dup = 0;
		for (size_t k = 0; k < n && !dup; k++)
			dup = !strcmp(out[k]->variant, t->variant);
		if (!dup)
			out[n++] = t;
	}
	if (n)
		return n;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < x->n; i++) {
			const ib_xtable *t = &x->tables[i];
			if ((pass == 0 && t->total_row < 0) || !table_counts(it, i) ||
			    (operating && construction_only(it, t)))
				continue;
			out[0] = t;
			return 1;
		}
	return 0;
}

static int table_part_of(const item *it, const ib_xtable *t)
{
	for (size_t i = 0; i < it->x.n; i++)
		if (&it->x.tables[i] == t)
			return it->table_part[i];
	return AG_TEXT;
}

/* Whether t's money rows are all construction (anlæg), and whether any is. */
static void table_kinds(const ib_xtable *t, int *all_anl, int *any_anl)
{
	int money = 0, anl = 0;
	for (size_t i = 0; i < t->n_rows; i++) {
		if (t->rows[i].kind != IB_XROW_MONEY)
			continue;
		money++;
		anl += t->rows[i].anlaeg == 1;
	}
	*all_anl = money && anl == money;
	*any_anl = anl > 0;
}

/* ---- the proposals ------------------------------------------------------------------ */

/* One alternative to make a proposal of. */
typedef struct alt {
	const ib_xtable *t; /* its table, or NULL (text money) */
	const char *variant;
} alt;

static int add_flag_row(ib_proposal *p, const char *code, const char *detail)
{
	const flag_row *f = flag_of(code);
	const char *text = f ? f->text : code;
	if (detail && *detail)
		return ib_proposal_add_flag(p, code, "%s: %s", text, detail);
	return ib_proposal_add_flag(p, code, "%s", text);
}

/* The yearly table of p from y (kr): net and construction per year, in 1000 kr. */
static int years_from(ib_proposal *p, const yearly *y)
{
	int rc = IB_OK;
	for (int i = 0; i < YEARS && !rc; i++) {
		if (ib_is_na(y->net[i]) && ib_is_na(y->anl[i]))
			continue;
		ib_proposal_year r = ib_proposal_year_blank(y->y0 + i);
		r.net = ib_is_na(y->net[i]) ? IB_NA : y->net[i] / 1000.0;
		r.investment = ib_is_na(y->anl[i]) ? IB_NA : y->anl[i] / 1000.0;
		rc = ib_proposal_add_year(p, &r);
	}
	return rc;
}

/* Whether label z matches a rule of kind (rows of a table: "række_nu", "række_ny"). */
static int label_rule(int kind, const char *z)
{
	char *f = ag_fold(z ? z : "");
	int hit = 0;
	for (size_t i = 0; f && i < tb.n_rules && !hit; i++)
		hit = tb.rules[i].kind == kind && find(tb.rules[i].match, f, tb.rules[i].needle);
	free(f);
	return hit;
}

/* Fill p's years from table t: the operating rows give the net, construction rows the
 * investment per year.  A table of operating rows only goes through the extractor
 * (its flags and total); with construction rows the operating rows are summed. */
/* How a table's money and the text's go together (use_text). */
enum { TEXT_NONE, TEXT_INSTEAD };

static int years_from_table(ib_proposal *p, const ib_xtable *t, const text_money *tm, int use_text)
{
	int all_anl, any_anl;
	table_kinds(t, &all_anl, &any_anl);
	/* a table of the present state and the proposed one, without a total: the
	   proposed rows are the measure's money ("Nuværende periodisering" / "Forslag til
	   ændret budgetbesparelse") */
	int now = 0, new_rows = 0;
	for (size_t i = 0; i < t->n_rows && t->total_row < 0 && !any_anl && !use_text; i++) {
		if (t->rows[i].kind != IB_XROW_MONEY)
			continue;
		if (label_rule(R_ROW_NOW, t->rows[i].label))
			now++;
		else if (label_rule(R_ROW_NEW, t->rows[i].label))
			new_rows++;
	}
	if (now && new_rows) {
		ib_xtable v = *t;
		ib_xrow *rows = calloc(t->n_rows + 1, sizeof *rows);
		if (!rows)
			return IB_ENOMEM;
		v.rows = rows;
		v.n_rows = 0;
		for (size_t i = 0; i < t->n_rows; i++)
			if (t->rows[i].kind == IB_XROW_MONEY &&
			    label_rule(R_ROW_NEW, t->rows[i].label))
				rows[v.n_rows++] = t->rows[i];
		int rc = ib_extract_apply(&v, p);
		free(rows);
		return rc;
	}
	if (!any_anl && !use_text)
		return ib_extract_apply(t, p);
	/* the operating rows alone, through the extractor for its flags */
	ib_xtable v = *t;
	ib_xrow *rows = calloc(t->n_rows + 1, sizeof *rows);
	if (!rows)
		return IB_ENOMEM;
	v.rows = rows;
	v.n_rows = 0;
	v.total_row = -1;
	for (size_t i = 0; i < t->n_rows; i++)
		if (t->rows[i].kind == IB_XROW_MONEY && t->rows[i].anlaeg != 1)
			rows[v.n_rows++] = t->rows[i];
	int rc = IB_OK;
	if (v.n_rows && !use_text) {
		rc = ib_extract_apply(&v, p);
	} else {
		/* no operating rows: the text's money is the net */
		for (int i = 0; i < YEARS && !rc; i++) {
			if (ib_is_na(tm->y.net[i]))
				continue;
			ib_proposal_year r = ib_proposal_year_blank(tm->y.y0 + i);
			r.net = tm->y.net[i] / 1000.0;
			rc = ib_proposal_add_year(p, &r);
		}
		if (!rc)
			doc_effect_from_net(p);
	}
	/* construction per year */
	double unit = t->unit_kr > 0 ? t->unit_kr : 1000;
	double to_tkr = unit / 1000.0 * (t->sign < 0 ? -1 : 1);
	for (int k = 0; k < t->n_years && !rc; k++) {
		double inv = 0;
		int n = 0;
		for (size_t i = 0; i < t->n_rows; i++)
			if (t->rows[i].kind == IB_XROW_MONEY && t->rows[i].anlaeg == 1 &&
			    !ib_is_na(t->rows[i].v[k])) {
				inv += t->rows[i].v[k];
				n++;
			}
		if (!n)
			continue;
		ib_proposal_year *yr = NULL;
		for (size_t j = 0; j < p->n_years; j++)
			if (p->years[j].year == t->years[k])
				yr = &p->years[j];
		if (!yr) {
			ib_proposal_year r = ib_proposal_year_blank(t->years[k]);
			if ((rc = ib_proposal_add_year(p, &r)))
				break;
			/* keep the years in order */
			for (size_t j = p->n_years - 1;
			     j > 0 && p->years[j - 1].year > p->years[j].year; j--) {
				ib_proposal_year s = p->years[j];
				p->years[j] = p->years[j - 1];
				p->years[j - 1] = s;
			}
			for (size_t j = 0; j < p->n_years; j++)
				if (p->years[j].year == t->years[k])
					yr = &p->years[j];
		}
		yr->investment = inv * to_tkr;
	}
	free(rows);
	return rc;
}

/* The construction money the recommendation (else the economy section) of it states
 * per budget year ("anlægsbevilling på 2,5 mio. kr. i 2024") as p's investment, when
 * p's table has none: the implementation cost beside a table of operating money. */
static int construction_from_text(ib_proposal *p, const item *it)
{
	for (size_t y = 0; y < p->n_years; y++)
		if (!ib_is_na(p->years[y].investment))
			return IB_OK;
	int year = atoi(it->date), rc = IB_OK;
	static const int order[] = {AG_RECOMMENDATION, AG_ECONOMY};
	for (size_t k = 0; k < 2 && !rc; k++) {
		int found = 0;
		for (size_t i = 0; i < it->n_am && !rc; i++) {
			const ib_tamount *a = &it->am[i];
			if (it->am_part[i] != order[k] || !is_construction_amount(a, year) ||
			    a->operating)
				continue;
			ib_proposal_year *yr = NULL;
			for (size_t j = 0; j < p->n_years; j++)
				if (p->years[j].year == a->year)
					yr = &p->years[j];
			if (!yr) {
				ib_proposal_year r = ib_proposal_year_blank(a->year);
				if ((rc = ib_proposal_add_year(p, &r)))
					break;
				for (size_t j = p->n_years - 1;
				     j > 0 && p->years[j - 1].year > p->years[j].year; j--) {
					ib_proposal_year sw = p->years[j];
					p->years[j] = p->years[j - 1];
					p->years[j - 1] = sw;
				}
				for (size_t j = 0; j < p->n_years; j++)
					if (p->years[j].year == a->year)
						yr = &p->years[j];
			}
			/* the same amount said again for its year counts once */
			double tkr = fabs(a->kr) / 1000.0;
			if (ib_is_na(yr->investment))
				yr->investment = tkr;
			else if (fabs(yr->investment - tkr) > 0.5)
				yr->investment += tkr;
			found = 1;
		}
		if (found)
			break;
	}
	return rc;
}

/* Make the proposals of case c[0..n-1] from appearance src into out. */
static int make_proposals(int kommunekode, item **c, size_t n, const item *src, const alt *alts,
			  size_t n_alt, const text_money *tm, int use_text, int one_off,
			  const char *frame, int *flagged, ag_outcome *out)
{
	int adopted = adopted_of(c, n);
	const char *names[8];
	for (size_t k = 0; k < n_alt && k < 8; k++)
		names[k] = alts[k].variant;
	int chosen = n_alt > 1 && alts[0].variant ? chosen_variant(c, n, names, n_alt) : -1;
	char *ft = ag_fold(src->title);
	const char *kind = NULL;
	for (size_t i = 0; ft && i < tb.n_rules && !kind; i++)
		if (tb.rules[i].kind == R_ART && tb.rules[i].part == AG_TITLE &&
		    find(tb.rules[i].match, ft, tb.rules[i].needle))
			kind = tb.rules[i].value;
	free(ft);
	*flagged = 0;
	out->p = calloc(n_alt ? n_alt : 1, sizeof *out->p);
	if (!out->p)
		return IB_ENOMEM;
	int rc = IB_OK;
	char key[256];
	ag_case_key(src, key, sizeof key);
	for (size_t k = 0; k < n_alt && !rc; k++) {
		const ib_xtable *t = alts[k].t;
		ib_proposal *p = ib_proposal_new();
		if (!p)
			return IB_ENOMEM;
		out->p[out->n_p++] = p;
		p->kommunekode = kommunekode;
		/* alternatives say which in their title, so a result list tells them apart */
		char title[1200];
		if (alts[k].variant)
			snprintf(title, sizeof title, "%s (%s)", src->title, alts[k].variant);
		else
			snprintf(title, sizeof title, "%s", src->title);
		if (ib_strset(&p->title, title) || ib_strset(&p->summary, src->part[AG_SUMMARY]) ||
		    ib_strset(&p->text, src->text) || ib_strset(&p->committee, c[0]->committee) ||
		    ib_strset(&p->source, src->url) || ib_strset(&p->ref, src->case_no) ||
		    ib_strset(&p->variant, alts[k].variant) || ib_strset(&p->case_key, key))
			rc = IB_ENOMEM;
		p->kind = kind ? ib_kind_canonical(kind) : "andet";
		if (!p->kind)
			p->kind = "andet";
		p->adopted = adopted;
		if (n_alt > 1 && alts[k].variant && adopted == IB_ADOPTED_YES)
			p->adopted = chosen < 0		   ? IB_ADOPTED_UNKNOWN
				     : (size_t)chosen == k ? IB_ADOPTED_YES
							   : IB_ADOPTED_NO;
		for (size_t i = 0; i < n && !rc; i++) {
			ib_appearance a = {c[i]->committee, c[i]->date, c[i]->no,
					   c[i]->part[AG_DECISION], c[i]->url};
			rc = ib_proposal_add_appearance(p, &a);
		}
		if (!rc && t)
			rc = years_from_table(p, t, tm, use_text);
		if (!rc && t && !use_text)
			rc = construction_from_text(p, src);
		else if (!rc && !t) {
			rc = years_from(p, &tm->y);
			if (!rc)
				doc_effect_from_net(p);
		}
		/* the budget the case belongs to: its first year from the meeting's on */
		p->budget_year = atoi(src->date);
		for (size_t y = p->n_years; y-- > 0;)
			if (p->years[y].year >= atoi(src->date) && !ib_is_na(p->years[y].net))
				p->budget_year = p->years[y].year;
		if (t)
			for (size_t i = 0; i < src->x.n_notes && !rc; i++)
				rc = ib_proposal_add_flag(p, "extract_note", "%s", src->x.notes[i]);
		if (!rc && (!t || use_text))
			rc = add_flag_row(p, "from_text", ib_buf_str((ib_buf *)&tm->quotes));
		if (!rc && !t && tm->y.assumed) {
			char d[64];
			snprintf(d, sizeof d, "%d", tm->y.assumed);
			rc = add_flag_row(p, "year_assumed", d);
		}
		if (!rc && one_off) {
			/* one budget year: no lasting effect to present as a yearly saving */
			p->effect_kr = IB_NA;
			p->full_year = 0;
			rc = add_flag_row(p, "one_off", NULL);
		}
		if (!rc && frame)
			rc = add_flag_row(p, "within_frame", frame);
		int has_anl = 0;
		for (size_t y = 0; y < p->n_years; y++)
			has_anl |= !ib_is_na(p->years[y].investment);
		int has_net = 0;
		for (size_t y = 0; y < p->n_years; y++)
			has_net |= !ib_is_na(p->years[y].net);
		if (!rc && has_anl && has_net) {
			double sum = 0;
			for (size_t y = 0; y < p->n_years; y++)
				if (!ib_is_na(p->years[y].investment))
					sum += p->years[y].investment * 1000.0;
			p->impl_cost_kr = sum;
			rc = add_flag_row(p, "construction", NULL);
		}
		for (size_t f = 0; f < p->n_flags; f++) {
			const flag_row *r = flag_of(p->flags[f].code);
			if (!r || r->marks)
				*flagged = 1;
		}
		p->area = ib_doc_area(p);
	}
	return rc;
}

/* ---- the classification ------------------------------------------------------------- */

/* The appearance to read the case from: the one whose text is fullest (the latest of
 * equals). */
static const item *fullest(item **c, size_t n)
{
	const item *best = c[n - 1];
	size_t len = strlen(best->text);
	for (size_t i = n - 1; i-- > 0;)
		if (strlen(c[i]->text) > len) {
			best = c[i];
			len = strlen(best->text);
		}
	return best;
}

/* A skip code from the rows of data/agenda_rules.csv over the parts of the case: the
 * title of the fullest appearance and of the latest (unless it shows only its decision:
 * a closed item's title does not hide what the open ones decided), the other parts of the
 * appearances that decide something (fm[k]: appearance k's folded parts, NULL for one that only
 * takes note or is a plan; fm NULL: the titles only).  always: "altid" rows only (money does
 * not save the case), else "uden_beløb" and "beslutter" rows; note_only: the case only takes
 * note (an orientation), when "beslutter" rows (what the case would decide) do not apply. */
static const crule *skip_rule(item **c, size_t n, char **const *fm, const char *code, int always,
			      int note_only, const item **where)
{
	for (size_t i = 0; i < tb.n_rules; i++) {
		const crule *r = &tb.rules[i];
		if (r->kind != R_SKIP || strcmp(r->value, code) || r->always != always ||
		    (r->decides && note_only))
			continue;
		if (r->part == AG_TITLE) {
			/* a latest appearance that shows only its decision (a closed item,
			   "Lukket: …") does not hide what the open ones decided */
			const item *two[2] = {c[n - 1], fullest(c, n)};
			int shut = two[0] != two[1] && !two[0]->part[AG_RECOMMENDATION] &&
				   !two[0]->part[AG_ECONOMY] && two[1]->part[AG_RECOMMENDATION];
			for (size_t k = (size_t)shut; k < 2; k++) {
				char *f = ag_fold(two[k]->title);
				int hit = f && find(r->match, f, r->needle);
				free(f);
				if (hit) {
					*where = two[k];
					return r;
				}
			}
			continue;
		}
		for (size_t k = n; fm && k-- > 0;)
			if (fm[k] && fm[k][r->part] && find(r->match, fm[k][r->part], r->needle)) {
				*where = c[k];
				return r;
			}
	}
	return NULL;
}

static int note_only_of2(const item *it, const crule **note, int *decides);
static int plan_titled(const item *it);

/* Whether the recommendation of it only takes note (an orientation, a discussion): a
 * "note" row and no "measure" row of data/agenda_rules.csv match it; *note gets the
 * row. */
static int note_only_of(const item *it, const crule **note)
{
	return note_only_of2(it, note, NULL);
}

/* As note_only_of(); *decides (may be NULL) is set when a "measure" row matches. */
static int note_only_of2(const item *it, const crule **note, int *decides)
{
	*note = NULL;
	if (decides)
		*decides = 0;
	const char *z = it->part[AG_RECOMMENDATION];
	char *f = z ? ag_fold(z) : NULL;
	if (!f)
		return 0;
	const crule *hit = NULL, *measure = NULL;
	for (size_t i = 0; i < tb.n_rules && !measure; i++) {
		const crule *r = &tb.rules[i];
		if (r->part != AG_RECOMMENDATION || (r->kind != R_NOTE && r->kind != R_MEASURE))
			continue;
		if (!find(r->match, f, r->needle))
			continue;
		if (r->kind == R_MEASURE)
			measure = r;
		else if (!hit)
			hit = r;
	}
	free(f);
	*note = hit;
	if (decides)
		*decides = measure != NULL;
	return hit && !measure;
}

/* Whether the title of item it is one of a plan, a hearing or a consultation answer
 * (a no_measure skip row of the title): in a case number that holds several items, its
 * money is the plan's or the hearing's, not a measure's. */
static int plan_titled(const item *it)
{
	char *f = ag_fold(it->title ? it->title : "");
	int hit = 0;
	for (size_t i = 0; f && i < tb.n_rules && !hit; i++) {
		const crule *r = &tb.rules[i];
		hit = r->kind == R_SKIP && r->part == AG_TITLE && !strcmp(r->value, "no_measure") &&
		      find(r->match, f, r->needle);
	}
	free(f);
	return hit;
}

/* Whether part `part` of it matches an "anlæg" row of data/agenda_rules.csv for that
 * part. */
static int construction_in(const item *it, int part)
{
	const char *z = it->part[part];
	char *f = z ? ag_fold(z) : NULL;
	int hit = 0;
	for (size_t i = 0; f && i < tb.n_rules && !hit; i++) {
		const crule *r = &tb.rules[i];
		hit = r->kind == R_CONSTRUCTION && r->part == part && find(r->match, f, r->needle);
	}
	free(f);
	return hit;
}

/* Whether it speaks of construction money: its recommendation appropriates or moves
 * it, or its economy section names it (anlægsbevilling, bruttoanlægsforslag,
 * rådighedsbeløb). */
static int construction_said(const item *it)
{
	return construction_in(it, AG_RECOMMENDATION) || construction_in(it, AG_ECONOMY);
}

/* Whether table t of appearance it holds construction money only: every money row is
 * anlæg, or the recommendation or the economy section speaks of construction money and
 * no row (nor the caption) says drift. */
static int construction_only(const item *it, const ib_xtable *t)
{
	int all_anl, any_anl;
	table_kinds(t, &all_anl, &any_anl);
	if (all_anl)
		return 1;
	if (!construction_said(it) ||
	    ib_amounts_operating(t->caption))
		return 0;
	for (size_t r = 0; r < t->n_rows; r++)
		if (t->rows[r].kind == IB_XROW_MONEY &&
		    (t->rows[r].anlaeg == 0 || ib_amounts_operating(t->rows[r].label)))
			return 0;
	return 1;
}

/* The skip codes in the order of data/agenda_reasons.csv. */
static size_t skip_codes(const char **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < tb.n_reasons && n < max; i++) {
		if (strcmp(tb.reasons[i].outcome, "skipped"))
			continue;
		out[n++] = tb.reasons[i].code;
	}
	return n;
}

int ag_classify(item **c, size_t n, int kommunekode, ag_outcome *out)
{
	memset(out, 0, sizeof *out);
	why w;
	memset(&w, 0, sizeof w);
	ib_buf_init(&w.b, 0);
	const item *main = fullest(c, n);
	char *fm[AG_N_PARTS];
	int rc = fold_parts(main, fm);
	/* the parts the skip rows read: of every appearance that decides something (not an
	   orientation's, not a plan's), else of the fullest */
	char ***fd = calloc(n, sizeof *fd);
	size_t n_fd = 0;
	if (!fd)
		rc = IB_ENOMEM;
	for (size_t i = 0; i < n && !rc; i++) {
		const crule *nr = NULL;
		if (c[i] == main || note_only_of(c[i], &nr) || plan_titled(c[i]))
			continue;
		if (!(fd[i] = calloc(AG_N_PARTS, sizeof *fd[i])))
			rc = IB_ENOMEM;
		else
			rc = fold_parts(c[i], fd[i]);
		n_fd++;
	}
	const crule *main_note = NULL;
	for (size_t i = 0; i < n && !rc; i++)
		if (c[i] == main &&
		    (!n_fd || !(note_only_of(main, &main_note) || plan_titled(main))))
			fd[i] = fm;
	int unreadable = 1;
	for (size_t i = 0; i < n; i++)
		unreadable &= c[i]->x_failed;

	/* an orientation: the recommendation only takes note */
	const crule *note = NULL, *note_src = NULL;
	int note_only = !rc && note_only_of(main, &note);
	/* an orientation followed by an appearance that decides a measure (the plan first
	   presented, then approved) is not an orientation */
	for (size_t i = n; note_only && i-- > 0 && c[i] != main;) {
		int decides = 0;
		note_only_of2(c[i], &note_src, &decides);
		if (decides)
			note_only = 0;
	}

	/* the money: a costed table of the latest appearance that has one, else the text of
	   the fullest appearance, else of the latest that states money */
	const item *src = NULL;
	const ib_xtable *picked[8];
	size_t n_picked = 0;
	/* the latest appearance with a table of operating money, else the latest with a
	   table of construction money only */
	for (int pass = 0; pass < 2 && !n_picked && !rc; pass++)
		for (size_t i = n; i-- > 0 && !n_picked;) {
			if (note_only_of(c[i], &note_src) || plan_titled(c[i]))
				continue; /* an orientation's tables state no measure's money */
			n_picked = pick_tables(c[i], picked, 8, pass == 0);
			if (n_picked)
				src = c[i];
		}
	text_money tm;
	memset(&tm, 0, sizeof tm);
	ib_buf_init(&tm.quotes, 0);
	const item *tsrc = NULL;
	/* an appearance whose expense and income go up in every year (an income
	   appropriation that pays the expense): no net money of the municipality's own,
	   whatever a table of the expense shows */
	const item *balanced = NULL;
	char balanced_q[400] = "";
	for (int k = 0; k < 2 && !rc && !balanced; k++) {
		const item *it = k == 0 ? main : src;
		ib_buf q;
		ib_buf_init(&q, 0);
		int b = it ? balanced_of(it, &q) : 0;
		if (b > 0) {
			balanced = it;
			cut(ib_buf_str(&q), 300, balanced_q, sizeof balanced_q);
		}
		rc = b < 0 ? IB_ENOMEM : IB_OK;
		ib_buf_free(&q);
	}
	if (!rc) {
		const item *order[64];
		size_t n_o = 0;
		if (src)
			order[n_o++] = src;
		order[n_o++] = main;
		for (size_t i = n; i-- > 0 && n_o < 64;)
			order[n_o++] = c[i];
		for (size_t i = 0; i < n_o && !tsrc && !rc; i++) {
			if (note_only_of(order[i], &note_src) || plan_titled(order[i]))
				continue;
			rc = text_money_of(order[i], &tm);
			/* income that only matches the expense (money from outside): no net */
			int zero = 1;
			for (int y = 0; y < YEARS; y++)
				zero &= ib_is_na(tm.y.net[y]) || fabs(tm.y.net[y]) < 0.5;
			if (!rc && tm.n_net && !zero)
				tsrc = order[i];
		}
	}
	/* a table of construction money only states no operating effect: the text may */
	int all_anl = n_picked == 1 && construction_only(src, picked[0]);
	int table_net = n_picked && !all_anl && !(balanced && (balanced == src || balanced == main));
	int use_text = n_picked && all_anl && tsrc && tm.n_net ? TEXT_INSTEAD : TEXT_NONE;
	/* a table of finance items only (instalments and interest on a loan) states how a
	   decision is financed, not its operating effect: the operating money the text
	   states is the measure's; without it the case is the municipality's own
	   borrowing */
	int finance_only = n_picked == 1 && picked[0]->finance && table_net;
	const ib_xtable *finance_table = finance_only ? picked[0] : NULL;
	const item *finance_src = finance_only ? src : NULL;
	if (finance_only) {
		table_net = 0;
		n_picked = 0;
	}
	int text_net = !n_picked && tsrc;
	int money = (table_net || use_text || text_net) && !unreadable;
	if (note_only)
		why_add(&w,
			"%s: \xC2\xBB%s\xC2\xAB uden et tiltag (data/agenda_rules.csv linje %d)",
			part_label(main, note->part), note->words, note->line);

	const char *code = NULL;
	const crule *hit = NULL;
	const item *where = main;
	const char *codes[32];
	size_t n_codes = rc ? 0 : skip_codes(codes, 32);
	for (size_t k = 0; k < n_codes && !code; k++) {
		if (!strcmp(codes[k], "unreadable")) {
			if (unreadable)
				code = codes[k];
			continue;
		}
		where = main;
		if (!money && finance_only && !strcmp(codes[k], "loan_guarantee")) {
			code = codes[k];
			why_add(&w, "%s: tabel %d viser kun finansposter (afdrag og renter på lån)",
				part_label(finance_src, table_part_of(finance_src, finance_table)),
				finance_table->table_no);
			break;
		}
		if (!money && balanced && !strcmp(codes[k], "external_funding")) {
			code = codes[k];
			why_add(&w, "%s: udgift og indtægt går op: \xC2\xBB%s\xC2\xAB",
				part_label(balanced, AG_RECOMMENDATION), balanced_q);
			break;
		}
		hit = skip_rule(c, n, fd, codes[k], 1, note_only, &where);
		/* an orientation decides no measure: where money would come from (a pool,
		   outside, a grant) says nothing of it */
		if (!hit && !money)
			hit =
			    skip_rule(c, n, note_only ? NULL : fd, codes[k], 0, note_only, &where);
		if (hit)
			code = codes[k];
	}
	if (hit)
		why_add(&w, "%s \xC2\xBB%s\xC2\xAB (data/agenda_rules.csv linje %d: %s)",
			part_label(where, hit->part), hit->words, hit->line, hit->value);

	/* no rule: a proposal when it states money, else why not */
	if (!rc && !code && !money) {
		int year = atoi(main->date), totals = 0, amounts = 0;
		for (size_t i = 0; i < main->n_am; i++) {
			const ib_tamount *a = &main->am[i];
			amounts++;
			if (a->per_unit)
				continue;
			if ((a->cue == IB_TCUE_SAVING || a->cue == IB_TCUE_EXPENSE) && !a->yearly &&
			    (a->range || a->total || (a->year && a->year_to != a->year)) &&
			    (!a->year || a->year >= year))
				totals++;
		}
		int anl_only = n_picked && all_anl;
		/* its recommendation or economy section speaks of construction money
		   (`anlæg` rows) and no amount is the measure's: construction money */
		int anl_words = !anl_only && !note_only && !totals &&
				construction_said(main);
		if (anl_only || anl_words)
			code = "construction_pool";
		else if (note_only)
			code = "no_measure";
		else if (totals)
			code = "totals_only";
		else if (amounts || main->x.n)
			code = "no_yearly_amount";
		else
			code = "no_measure";
		why_add(&w, "%s",
			anl_only    ? "en tabel med anlægsbeløb uden driftseffekt pr. år"
			: anl_words ? "anlægsmidler uden driftseffekt pr. år"
			: totals    ? "kun samlede beløb uden år"
			: amounts || main->x.n
			    ? "beløb, men ingen nettobeløb pr. budgetår for tiltaget"
			    : "ingen beløb pr. budgetår");
	}

	if (!rc && code) {
		out->outcome = "skipped";
		out->code = code;
	} else if (!rc) {
		/* the proposals: one per alternative of the table, else one */
		alt alts[8];
		size_t n_alt = 0;
		ib_xtable split[8];
		const item *from = n_picked ? src : tsrc;
		if (n_picked && !use_text) {
			for (size_t k = 0; k < n_picked && n_alt < 8; k++) {
				if (!row_variants(picked[k])) {
					alts[n_alt].t = picked[k];
					alts[n_alt].variant = picked[k]->variant;
					n_alt++;
					continue;
				}
				for (size_t r = 0; r < picked[k]->n_rows && n_alt < 8; r++) {
					if (picked[k]->rows[r].kind != IB_XROW_MONEY)
						continue;
					split[n_alt] = *picked[k];
					split[n_alt].rows = &picked[k]->rows[r];
					split[n_alt].n_rows = 1;
					split[n_alt].variant = picked[k]->rows[r].label;
					alts[n_alt].t = &split[n_alt];
					alts[n_alt].variant = picked[k]->rows[r].label;
					n_alt++;
				}
			}
		} else if (n_picked) {
			alts[n_alt++] = (alt){picked[0], NULL};
		} else {
			alts[n_alt++] = (alt){NULL, NULL};
		}
		/* one budget year only, not said to last */
		int one_off = 0;
		if (n_picked && !use_text) {
			const ib_xtable *t = alts[0].t;
			int years = 0;
			for (int y = 0; y < t->n_years; y++) {
				int any = 0;
				for (size_t r = 0; r < t->n_rows; r++)
					any |= t->rows[r].kind != IB_XROW_COUNT &&
					       t->rows[r].anlaeg != 1 && !ib_is_na(t->rows[r].v[y]);
				years += any;
			}
			int lasting = 0;
			for (int y = 0; y < t->n_years; y++) {
				char *h = ag_fold(t->year_text[y] ? t->year_text[y] : "");
				lasting |= h && (strstr(h, "frem") || strstr(h, "ff"));
				free(h);
			}
			one_off = years == 1 && !lasting;
		} else {
			one_off = yearly_n(&tm.y, 0) == 1 && !tm.y.lasting;
		}
		char *ff[AG_N_PARTS];
		const item *fi = from ? from : main;
		rc = fold_parts(fi, ff);
		const crule *frame = rc ? NULL : rule_hit(R_FRAME, ff, NULL, -1);
		/* financed from the cash reserve or a loan: new money, not a frame's */
		if (frame && rule_hit(R_NOT_FRAME, ff, NULL, -1))
			frame = NULL;
		const crule *once = rc ? NULL : rule_hit(R_ONE_OFF, ff, NULL, -1);
		/* a rate or a fee (`varig` title rows) is set for the years to come, even when
		   the item states the change for one budget year */
		char *ft[AG_N_PARTS] = {0};
		ft[AG_TITLE] = ff[AG_TITLE];
		if (!rc && !once && rule_hit(R_LASTING, ft, NULL, -1))
			one_off = 0;
		unfold(ff);
		if (once && !tm.y.lasting && (n_picked ? 1 : yearly_n(&tm.y, 0) <= 1))
			one_off = 1;
		out->code = use_text ? "table+text" : n_picked ? "table" : "text";
		int flagged = 0;
		if (!rc)
			rc = make_proposals(kommunekode, c, n, fi, alts, n_alt, &tm, use_text,
					    one_off, frame ? frame->words : NULL, &flagged, out);
		out->src = fi;
		out->outcome = flagged ? "flagged" : "proposal";
		/* the explain line: which table, which sentences */
		if (n_picked) {
			const ib_xtable *t = picked[0];
			int tp = table_part_of(src, t);
			char cap[200];
			why_add(&w, "%s: tabel %d \xC2\xBB%s\xC2\xAB%s%s%s", part_label(src, tp),
				t->table_no, cut(t->caption, 120, cap, sizeof cap),
				t->total_row >= 0 ? ", række \xC2\xBB" : "",
				t->total_row >= 0 ? t->rows[t->total_row].label : "",
				t->total_row >= 0 ? "\xC2\xAB" : "");
			if (n_picked > 1)
				why_add(&w, "%zu alternativer", n_alt);
		}
		if (!n_picked || use_text) {
			char q[400];
			why_add(&w, "%s: \xC2\xBB%s\xC2\xAB", part_label(tsrc, tm.part),
				cut(ib_buf_str(&tm.quotes), 300, q, sizeof q));
		}
		if (frame)
			why_add(&w,
				"inden for en ramme: \xC2\xBB%s\xC2\xAB (data/agenda_rules.csv "
				"linje %d)",
				frame->words, frame->line);
		if (one_off)
			why_add(&w, "%s", "ét budgetår");
	}
	const reason_row *rr = !rc ? reason_of(out->code, out->outcome) : NULL;
	out->reason = rr ? rr->text : out->code;
	if (!rc && !w.rc)
		out->explain = ib_buf_detach(&w.b);
	if (!rc)
		rc = w.rc;
	ib_buf_free(&w.b);
	ib_buf_free(&tm.quotes);
	for (size_t i = 0; fd && i < n; i++)
		if (fd[i] && fd[i] != fm) {
			unfold(fd[i]);
			free(fd[i]);
		}
	free(fd);
	unfold(fm);
	if (rc)
		ag_outcome_free(out);
	return rc;
}

void ag_outcome_free(ag_outcome *out)
{
	for (size_t i = 0; out && i < out->n_p; i++)
		ib_proposal_free(out->p[i]);
	if (out) {
		free(out->p);
		free(out->explain);
		memset(out, 0, sizeof *out);
	}
}
