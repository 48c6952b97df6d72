/* check_extract.c - the layout-independent extractor: synthetic HTML and text for each
 * rule, real Greve agenda tables from ../shared, the proposal it makes, and hostile
 * input. */
#include <check.h>
#include <cjson/cJSON.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "ideabank.h"
#include "testutil.h"

/* Two numbers equal but for the last bits of a decimal fraction ("-3.601,7"). */
static int EQ(double a, double b)
{
	return fabs(a - b) < 1e-9 * (fabs(b) + 1);
}

/* Extract from an HTML string; fails the test on error. */
static void html_ok(const char *html, ib_xresult *r)
{
	ib_error err = {0};
	ck_assert_msg(ib_extract_html(html, strlen(html), r, &err) == IB_OK, "%s", err.msg);
}

static void row_is(const ib_xtable *t, size_t i, const char *label, ib_xrow_kind kind,
		   const double *v)
{
	ck_assert_uint_lt(i, t->n_rows);
	ck_assert_str_eq(t->rows[i].label, label);
	ck_assert_int_eq(t->rows[i].kind, kind);
	for (int k = 0; k < t->n_years; k++) {
		if (isnan(v[k]))
			ck_assert_msg(isnan(t->rows[i].v[k]), "%s col %d: %g", label, k,
				      t->rows[i].v[k]);
		else
			ck_assert_msg(EQ(t->rows[i].v[k], v[k]), "%s col %d: %g, not %g", label, k,
				      t->rows[i].v[k], v[k]);
	}
}

/* ---- synthetic HTML ----------------------------------------------------------- */

START_TEST(html_basic_table)
{
	const char *html =
	    "<h4>Økonomiske konsekvenser</h4><p>Tabel 1. Effekt (1.000 kr.)</p>"
	    "<table><tr><td>Forslag</td><td>2025</td><td>2026</td><td>2027</td></tr>"
	    "<tr><td><p>Merudgift</p></td><td>250</td><td>500</td><td>500</td></tr>"
	    "<tr><td>Besparelse</td><td>-975</td><td>-1.950</td><td>-1.950</td></tr>"
	    "<tr><td>I alt</td><td>-725</td><td>-1.450</td><td>-1.450</td></tr></table>"
	    "<p>+ = merudgift, - = mindreudgift/merindtægt</p>";
	ib_xresult r;
	html_ok(html, &r);
	ck_assert_uint_eq(r.n, 1);
	const ib_xtable *t = &r.tables[0];
	ck_assert_int_eq(t->table_no, 1);
	ck_assert_int_eq(t->n_years, 3);
	ck_assert_int_eq(t->years[0], 2025);
	ck_assert_int_eq(t->years[2], 2027);
	ck_assert_str_eq(t->year_text[1], "2026");
	ck_assert(t->unit_kr == 1000);
	ck_assert_str_eq(t->unit_text, "Tabel 1. Effekt (1.000 kr.)");
	ck_assert_str_eq(t->caption, "Tabel 1. Effekt (1.000 kr.)");
	ck_assert_int_eq(t->sign, 1);
	ck_assert_str_eq(t->sign_text, "+ = merudgift, - = mindreudgift/merindtægt");
	ck_assert_ptr_null(t->variant);
	ck_assert_uint_eq(t->n_rows, 3);
	row_is(t, 0, "Merudgift", IB_XROW_MONEY, (double[]){250, 500, 500});
	row_is(t, 1, "Besparelse", IB_XROW_MONEY, (double[]){-975, -1950, -1950});
	row_is(t, 2, "I alt", IB_XROW_TOTAL, (double[]){-725, -1450, -1450});
	ck_assert_int_eq(t->total_row, 2);
	ck_assert_int_eq(t->rows[2].line, 4);
	ck_assert_int_eq(t->rows[2].n, 3);
	ck_assert_uint_eq(r.n_notes, 0);

	ib_proposal *p = ib_proposal_new();
	ck_assert_int_eq(ib_extract_apply(t, p), IB_OK);
	ck_assert_uint_eq(p->n_years, 3);
	ck_assert(p->years[0].net == -725 && p->years[1].net == -1450);
	ck_assert(isnan(p->years[0].investment));
	ck_assert(p->effect_kr == 1450000);
	ck_assert_int_eq(p->full_year, 2026);
	ck_assert_uint_eq(p->n_flags, 0);
	ck_assert_int_eq(p->years[2].line, 4);
	ib_proposal_free(p);
	ib_xresult_free(&r);
}
END_TEST

/* A table of anlæg only (a construction budget) states spending, not a lasting
 * change in operating costs: effect unknown, the spending is the cost, and a flag. */
START_TEST(html_investment_only)
{
	const char *html =
	    "<p>Anlægsbevilling (1.000 kr.)</p>"
	    "<table><tr><td></td><td>2024</td><td>2025</td></tr>"
	    "<tr><td>Anlæg, asfalt</td><td>6.690</td><td>14.525</td></tr>"
	    "<tr><td>I alt</td><td>6.690</td><td>14.525</td></tr></table>"
	    "<p>+ = merudgift, - = mindreudgift/merindtægt</p>";
	ib_xresult r;
	html_ok(html, &r);
	ck_assert_uint_eq(r.n, 1);
	ib_proposal *p = ib_proposal_new();
	ck_assert_int_eq(ib_extract_apply(&r.tables[0], p), IB_OK);
	ck_assert_uint_eq(p->n_years, 2);
	ck_assert(p->years[1].net == 14525 && p->years[1].investment == 14525);
	ck_assert(isnan(p->effect_kr));
	ck_assert_int_eq(p->full_year, 0);
	ck_assert(p->impl_cost_kr == 21215000);
	ck_assert_uint_eq(p->n_flags, 1);
	ck_assert_str_eq(p->flags[0].code, "investment_only");
	ck_assert_str_eq(p->flags[0].message, "Tabel 1 indeholder kun anlægsbeløb; forslagets "
					      "varige driftseffekt står ikke i tabellen og er ukendt");
	ib_proposal_free(p);
	ib_xresult_free(&r);
}
END_TEST

START_TEST(html_text_and_sections)
{
	const char *html =
	    "<div><h3>Beslutning</h3><span>Godkendt.<br>Fraværende: A</span></div>"
	    "<h3>Fremstilling</h3><span><h4><strong>Resume</strong></h4><p>Kort &amp; godt.</p>"
	    "<p><strong>Økonomiske konsekvenser:</strong></p><p>Se  tabel.</p>"
	    "<table><tr><th>A</th><th colspan=\"2\">2025</th></tr>"
	    "<tr><td><p>x</p><p>y</p></td><td>1</td><td>2</td></tr></table>"
	    "<img src=\"a.png\"><script>var x;</script><p>Slut&nbsp;her</p></span>";
	char *t = ib_html_text(html, strlen(html));
	ck_assert_ptr_nonnull(t);
	ck_assert_str_eq(t, "Beslutning\n\nGodkendt.\nFraværende: A\n\nFremstilling\n\nResume\n\n"
			    "Kort & godt.\n\nØkonomiske konsekvenser:\n\nSe tabel.\n\n"
			    "A\t2025\nx y\t1\t2\n\nSlut her\n");
	free(t);
	char *s = ib_html_section(html, strlen(html), "beslutning");
	ck_assert_str_eq(s, "Godkendt.\nFraværende: A");
	free(s);
	s = ib_html_section(html, strlen(html), "Resume");
	ck_assert_str_eq(s, "Kort & godt.");
	free(s);
	s = ib_html_section(html, strlen(html), "okonomiske konsekvenser");
	ck_assert_ptr_null(s);
	s = ib_html_section(html, strlen(html), "Økonomiske konsekvenser");
	ck_assert_str_eq(s, "Se tabel.\n\nA\t2025\nx y\t1\t2\n\nSlut her");
	free(s);
	/* Fremstilling runs to the end: its h4 and bold headings are below it */
	s = ib_html_section(html, strlen(html), "FREMSTILLING");
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s, "Resume\n\nKort & godt.\n\nØkonomiske konsekvenser:\n\nSe tabel.\n\n"
			    "A\t2025\nx y\t1\t2\n\nSlut her");
	free(s);
	ck_assert_ptr_null(ib_html_section(html, strlen(html), "Indstilling"));
}
END_TEST

/* ---- real Greve agenda tables --------------------------------------------------- */

/* The case text (Felter[].Html) of item `item` (1-based) of a recorded Greve meeting
 * in ../shared.  Caller frees. */
static char *greve_html(const char *meeting, int item)
{
	char rel[256];
	snprintf(rel, sizeof rel, "data/greve-agendas/dagsorden/%s.json.gz", meeting);
	gzFile f = gzopen(tu_shared(rel), "rb");
	ck_assert_msg(f != NULL, "cannot open %s", tu_shared(rel));
	size_t cap = 1 << 20, n = 0;
	char *text = malloc(cap);
	int k;
	while ((k = gzread(f, text + n, (unsigned)(cap - n - 1))) > 0) {
		n += (size_t)k;
		if (cap - n < 2)
			text = realloc(text, cap *= 2);
		ck_assert_ptr_nonnull(text);
	}
	gzclose(f);
	text[n] = '\0';
	cJSON *j = cJSON_Parse(text);
	free(text);
	ck_assert_ptr_nonnull(j);
	cJSON *it = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "Dagsordenpunkter"), item - 1);
	ck_assert_ptr_nonnull(it);
	cJSON *fe = cJSON_GetArrayItem(cJSON_GetObjectItem(it, "Felter"), 0);
	const char *html = cJSON_GetStringValue(cJSON_GetObjectItem(fe, "Html"));
	ck_assert_ptr_nonnull(html);
	char *out = strdup(html);
	cJSON_Delete(j);
	return out;
}

/* Extract the costed tables of a Greve item; r is filled. */
static void greve(const char *meeting, int item, ib_xresult *r)
{
	char *html = greve_html(meeting, item);
	html_ok(html, r);
	free(html);
}

/* The table with number no in r. */
static const ib_xtable *table_no(const ib_xresult *r, int no)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->tables[i].table_no == no)
			return &r->tables[i];
	ck_abort_msg("no table %d", no);
	return NULL;
}

/* Apply t to a new proposal; caller frees. */
static ib_proposal *applied(const ib_xtable *t)
{
	ib_proposal *p = ib_proposal_new();
	ck_assert_int_eq(ib_extract_apply(t, p), IB_OK);
	ck_assert_uint_eq(p->n_years, (size_t)t->n_years);
	return p;
}

static void nets_are(const ib_proposal *p, const double *net)
{
	for (size_t k = 0; k < p->n_years; k++)
		ck_assert_msg(EQ(p->years[k].net, net[k]), "%d: net %g, not %g", p->years[k].year,
			      p->years[k].net, net[k]);
}

/* The flag codes of p joined by blanks, for one exact comparison. */
static const char *flag_codes(const ib_proposal *p)
{
	static char buf[512];
	buf[0] = '\0';
	for (size_t i = 0; i < p->n_flags; i++) {
		size_t n = strlen(buf);
		snprintf(buf + n, sizeof buf - n, "%s%s", i ? " " : "", p->flags[i].code);
	}
	return buf;
}

/* 1.000 kr. in the header's label cell, a year header "2024?", a "Samlet
 * nettobesparelse" total, no legend: the rows say the sign ("Merudgift" printed
 * positive, "Besparelse" and "nettobesparelse" negative), so it is not assumed. */
START_TEST(greve_thousands_in_header)
{
	ib_xresult r;
	greve("0ad50843-03c2-4154-80a8-ebbe6dbdeb0d", 4, &r);
	ck_assert_uint_eq(r.n, 1);
	const ib_xtable *t = table_no(&r, 1);
	ck_assert_int_eq(t->n_years, 2);
	ck_assert_int_eq(t->years[1], 2024);
	ck_assert_str_eq(t->year_text[1], "2024?");
	ck_assert(t->unit_kr == 1000);
	ck_assert_str_eq(t->unit_text, "Beregnet nettobesparelse (i 1.000 kr.)");
	ck_assert_str_eq(t->sign_text, "Merudgift til 1,0 årsværk i Akuttilbuddet");
	ck_assert_int_eq(t->sign, 1);
	ck_assert_uint_eq(t->n_rows, 3);
	row_is(t, 0, "Merudgift til 1,0 årsværk i Akuttilbuddet", IB_XROW_MONEY,
	       (double[]){250, 500});
	row_is(t, 1, "Besparelse eksterne botilbud (3 stk.)", IB_XROW_MONEY,
	       (double[]){-975, -1950});
	row_is(t, 2, "Samlet nettobesparelse", IB_XROW_TOTAL, (double[]){-725, -1450});
	ck_assert_int_eq(t->total_row, 2);
	ib_proposal *p = applied(t);
	nets_are(p, (double[]){-725, -1450});
	ck_assert(p->effect_kr == 1450000);
	ck_assert_int_eq(p->full_year, 2024);
	ck_assert_str_eq(flag_codes(p), "");
	ib_proposal_free(p);
	ib_xresult_free(&r);
}
END_TEST

/* Savings printed positive under a saving's heading and an expense printed negative:
 * positive = saving; rows that disagree leave the sign assumed. */
START_TEST(html_sign_from_row_words)
{
	ib_xresult r;
	html_ok("<table><tr><td>Nettobesparelse (t.kr.)</td><td>2026</td><td>2027</td></tr>"
		"<tr><td>Mindreudgift til vikarer</td><td>300</td><td>600</td></tr>"
		"<tr><td>Merudgift til et nyt system</td><td>-100</td><td>-100</td></tr>"
		"<tr><td>I alt</td><td>200</td><td>500</td></tr></table>",
		&r);
	ck_assert_uint_eq(r.n, 1);
	ck_assert_int_eq(r.tables[0].sign, -1);
	ck_assert_str_eq(r.tables[0].sign_text, "Mindreudgift til vikarer");
	ib_proposal *p = applied(&r.tables[0]);
	nets_are(p, (double[]){-200, -500});
	ck_assert_str_eq(flag_codes(p), "");
	ib_proposal_free(p);
	ib_xresult_free(&r);
	html_ok("<table><tr><td>t.kr.</td><td>2026</td><td>2027</td></tr>"
		"<tr><td>Besparelse på rengøring</td><td>-300</td><td>-300</td></tr>"
		"<tr><td>Merudgift til materialer</td><td>-50</td><td>-50</td></tr>"
		"<tr><td>I alt</td><td>-350</td><td>-350</td></tr></table>",
		&r);
	ck_assert_ptr_null(r.tables[0].sign_text);
	ib_xresult_free(&r);
}
END_TEST

/* "Mio. kr." alone in the header, one column "Beløb 2023" among other columns, a label
 * cell spanning two rows (the second row is one cell short). */
START_TEST(greve_millions_rowspan)
{
	ib_xresult r;
	greve("00393471-d65b-4f4c-89c4-1c9227749377", 6, &r);
	ck_assert_uint_eq(r.n, 1);
	const ib_xtable *t = table_no(&r, 1);
	ck_assert_int_eq(t->n_years, 1);
	ck_assert_str_eq(t->year_text[0], "Beløb 2023");
	ck_assert(t->unit_kr == 1000000);
	ck_assert_str_eq(t->unit_text, "Mio. kr.");
	ck_assert_str_eq(t->caption, "Tabel 1. Niveau for kompenserende tiltag indstillet af "
				     "MED-organisationen og Chefgruppen");
	ck_assert_uint_eq(t->n_rows, 3);
	row_is(t, 0, "Kompenserende besparelser Fra MED-organisationen", IB_XROW_MONEY,
	       (double[]){-7.6});
	row_is(t, 1, "Fra ledelsen", IB_XROW_MONEY, (double[]){-14.9});
	row_is(t, 2, "I alt", IB_XROW_TOTAL, (double[]){-22.5});
	ib_proposal *p = applied(t);
	nets_are(p, (double[]){-22500});
	ck_assert(EQ(p->effect_kr, 22500000));
	ib_proposal_free(p);
	ib_xresult_free(&r);
}
END_TEST

/* The unit as a cell suffix ("525.026 kr."), a "Netto" total that is gross minus
 * refund (the refund printed positive): the total is used and flagged. */
START_TEST(greve_kroner_cell_suffix)
{
	ib_xresult r;
	greve("34cb8461-750b-47e1-9eac-ab1a9125a2aa", 8, &r);
	ck_assert_uint_eq(r.n, 1);
	const ib_xtable *t = table_no(&r, 1);
	ck_assert_int_eq(t->n_years, 4);
	ck_assert(t->unit_kr == 1);
	ck_assert_str_eq(t->unit_text, "525.026 kr.");
	row_is(t, 0, "Brutto", IB_XROW_MONEY, (double[]){525026, 543402, 562421, 582106});
	row_is(t, 1, "Statslig refusion", IB_XROW_MONEY,
	       (double[]){183759, 190190, 196847, 203737});
	row_is(t, 2, "Netto", IB_XROW_TOTAL, (double[]){341266, 353211, 365573, 378368});
	ib_proposal *p = applied(t);
	nets_are(p, (double[]){341.266, 353.211, 365.573, 378.368});
	ck_assert(EQ(p->effect_kr, -378368));
	ck_assert_str_eq(flag_codes(p), "sign_assumed total_mismatch");
	ck_assert_str_eq(
	    p->flags[1].message,
	    "Tabel 1: rækken 'Netto' svarer ikke til summen af de øvrige rækker i 4 af "
	    "4 år (2025: 341.266, summen er 708.785); totalen er brugt");
	ib_proposal_free(p);
	ib_xresult_free(&r);
}
END_TEST

/* A legend in the paragraph after the table ("*Note: + = udgift og - = indtægt"), drift
 * and anlæg rows, a named total ("Ændring i likvide aktiver, i alt"), and a table of
 * text only (the time plan) that is not reported. */
START_TEST(greve_legend_after_table)
{
	ib_xresult r;
	greve("0fb02bb4-4b9b-4237-bbed-3ca80f70ec2d", 12, &r);
	ck_assert_uint_eq(r.n, 2);
	ck_assert_int_eq(r.tables[0].table_no, 1);
	ck_assert_int_eq(r.tables[1].table_no, 2);
	const ib_xtable *t = table_no(&r, 1);
	ck_assert(t->unit_kr == 1000000);
	ck_assert_int_eq(t->sign, 1);
	ck_assert_str_eq(t->sign_text, "*Note: + = udgift og - = indtægt");
	ck_assert_uint_eq(t->n_rows, 10);
	row_is(t, 0, "Indtægter – Skatter, tilskud og udligning", IB_XROW_MONEY,
	       (double[]){-3601.7, -3802.4, -4002.9, -4182.1});
	ck_assert_int_eq(t->rows[0].anlaeg, -1);
	ck_assert_int_eq(t->rows[1].anlaeg, 0);
	ck_assert_str_eq(t->rows[4].label, "Anlægsudgifter, netto");
	ck_assert_int_eq(t->rows[4].anlaeg, 1);
	row_is(t, 9, "Ændring i likvide aktiver, i alt", IB_XROW_TOTAL,
	       (double[]){59.8, 46, 27.4, 19.3});
	ck_assert_int_eq(t->total_row, 9);
	ck_assert_int_eq(t->rows[9].line, 11);
	ib_proposal *p = applied(t);
	nets_are(p, (double[]){59800, 46000, 27400, 19300});
	ck_assert(EQ(p->years[0].investment, 139600));
	ck_assert(EQ(p->years[3].investment, 144800));
	ck_assert_int_eq(p->years[0].line, 11);
	ib_proposal_free(p);
	/* table 2: one column "Budget 2024" */
	t = table_no(&r, 2);
	ck_assert_int_eq(t->n_years, 1);
	ck_assert_str_eq(t->year_text[0], "Budget 2024");
	ib_xresult_free(&r);
}
END_TEST

/* Year headers with a price level in parentheses ("Budget 2023 (2024-priser)"), a
 * section label with a sign ("Indtægter (-)"), two named subtotals: the last is the
 * table's total. */
START_TEST(greve_price_level_subtotals)
{
	ib_xresult r;
	greve("0fb02bb4-4b9b-4237-bbed-3ca80f70ec2d", 14, &r);
	const ib_xtable *t = table_no(&r, 2);
	ck_assert_int_eq(t->n_years, 2);
	ck_assert_int_eq(t->years[0], 2023);
	ck_assert_int_eq(t->years[1], 2024);
	ck_assert_str_eq(t->year_text[0], "Budget 2023 (2024-priser)");
	ck_assert(t->unit_kr == 1000);
	ck_assert_str_eq(t->sign_text, "Indtægter (-)");
	ck_assert_uint_eq(t->n_rows, 12);
	row_is(t, 2, "Indtægter i alt", IB_XROW_TOTAL, (double[]){-38600, -39344});
	ck_assert_str_eq(t->rows[1].label, "Indtægter, ABA (automatiske brandalarmeringsanlæg)");
	ck_assert_int_eq(t->rows[1].anlaeg, -1);
	row_is(t, 11, "Udgifter i alt", IB_XROW_TOTAL, (double[]){38600, 39344});
	ck_assert_int_eq(t->total_row, 11);
	ck_assert_int_eq(t->rows[11].line, 15);
	ib_xresult_free(&r);
}
END_TEST

/* "I t. kr." as the header's label; no total row: the net is the sum of the rows; a
 * footnote mark after a number ("-87*"). */
START_TEST(greve_tkr_no_total)
{
	ib_xresult r;
	greve("1574a65b-11b1-46a0-8721-03a5f3713be7", 7, &r);
	const ib_xtable *t = table_no(&r, 1);
	ck_assert(t->unit_kr == 1000);
	ck_assert_str_eq(t->unit_text, "I t. kr.");
	ck_assert_int_eq(t->total_row, -1);
	row_is(t, 0, "Nuværende periodisering af besparelse", IB_XROW_MONEY,
	       (double[]){-87, -1325, -1325, -1325});
	ib_proposal *p = applied(t);
	nets_are(p, (double[]){-174, -1850, -2225, -2650});
	ck_assert(p->effect_kr == 2650000);
	ck_assert_int_eq(p->full_year, 2026);
	ib_proposal_free(p);
	ib_xresult_free(&r);
}
END_TEST

/* A table of places (no unit, no count word) is reported as printed; its proposal says
 * the unit is assumed.  "+ 11" reads as 11. */
START_TEST(greve_no_unit)
{
	ib_xresult r;
	greve("00393471-d65b-4f4c-89c4-1c9227749377", 10, &r);
	ck_assert_uint_eq(r.n, 2);
	const ib_xtable *t = table_no(&r, 2);
	ck_assert(t->unit_kr == 0);
	ck_assert_ptr_null(t->unit_text);
	ck_assert_ptr_null(t->caption);
	row_is(t, 2, "Differencen", IB_XROW_MONEY, (double[]){11, 8, -40, -93});
	ib_proposal *p = applied(t);
	ck_assert_str_eq(flag_codes(p), "unit_assumed sign_assumed");
	ck_assert_str_eq(p->flags[0].message,
			 "Tabel 2 angiver ikke enheden; beløbene er antaget at være i 1.000 kr.");
	ib_proposal_free(p);
	ib_xresult_free(&r);
}
END_TEST

/* Kroner in the header ("Budget i kr. (2022-PL)"), cells of text ("Afklares") read as
 * not printed, a "Total" row. */
START_TEST(greve_kroner_text_cells)
{
	ib_xresult r;
	greve("1332a734-086d-46d5-9987-c2e01a69c8ca", 23, &r);
	const ib_xtable *t = table_no(&r, 1);
	ck_assert(t->unit_kr == 1);
	ck_assert_str_eq(t->unit_text, "Budget i kr. (2022-PL)");
	ck_assert_uint_eq(t->n_rows, 13);
	row_is(t, 1, "Indsats 1 - Tryghedsvandring", IB_XROW_MONEY,
	       (double[]){10000, NAN, NAN, NAN});
	ck_assert_int_eq(t->rows[1].n, 1);
	row_is(t, 12, "Total", IB_XROW_TOTAL, (double[]){-500551, -810551, -810551, -810551});
	ib_proposal *p = applied(t);
	nets_are(p, (double[]){-500.551, -810.551, -810.551, -810.551});
	ck_assert(p->effect_kr == 810551);
	ck_assert_int_eq(p->full_year, 2023);
	ck_assert_str_eq(flag_codes(p), "sign_assumed incomplete_row total_mismatch");
	ck_assert_str_eq(p->flags[1].message,
			 "6 række(r) i tabel 1 mangler beløb for et eller flere år; de manglende "
			 "beløb er ikke talt med");
	ib_proposal_free(p);
	ib_xresult_free(&r);
}
END_TEST

/* A construction project's appropriation: "Rådighedsbeløb (1.000 kr.)" in the header's
 * label cell makes every row anlæg, so the table gives no yearly effect. */
START_TEST(greve_appropriation)
{
	ib_xresult r;
	greve("d027dca2-166a-4e61-9854-a4387923bbff", 24, &r);
	const ib_xtable *t = table_no(&r, 1);
	ck_assert_uint_eq(t->n_rows, 2);
	ck_assert_int_eq(t->rows[0].anlaeg, 1);
	ck_assert_str_eq(t->rows[0].label, "Strandskole, genhusning");
	ib_proposal *p = applied(t);
	ck_assert(isnan(p->effect_kr));
	/* the cost is the table's own total (its first row, printed as one merged cell,
	   is not read as a row) */
	ck_assert(EQ(p->impl_cost_kr, 144004000));
	ck_assert_str_eq(flag_codes(p), "sign_assumed total_mismatch investment_only");
	ib_proposal_free(p);
	ib_xresult_free(&r);
}
END_TEST

/* A savings table whose row cuts a pool ("pulje til fordeling") is no pool's
 * disposition: its effect stands. */
START_TEST(html_pool_cut_is_a_saving)
{
	const char *html =
	    "<p>Besparelse (1.000 kr.)</p>"
	    "<table><tr><td></td><td>2025</td><td>2026</td></tr>"
	    "<tr><td>Reduktion af pulje til fordeling</td><td>-500</td><td>-500</td></tr>"
	    "<tr><td>Færre vikarer</td><td>-250</td><td>-300</td></tr></table>"
	    "<p>+ = merudgift, - = mindreudgift/merindtægt</p>";
	ib_xresult r;
	html_ok(html, &r);
	ck_assert_uint_eq(r.n, 1);
	ck_assert_ptr_null(r.tables[0].pool);
	ib_proposal *p = ib_proposal_new();
	ck_assert_int_eq(ib_extract_apply(&r.tables[0], p), IB_OK);
	ck_assert(p->effect_kr == 800000);
	ck_assert_uint_eq(p->n_flags, 0);
	ib_proposal_free(p);
	ib_xresult_free(&r);
}
END_TEST

/* Finance items (a loan's instalments and the interest saved) say how a decision is
 * financed, not a yearly effect; the note "+ er lig merudgifter, - er lig
 * mindreudgifter" after the table is its sign legend. */
START_TEST(greve_finance_items)
{
	ib_xresult r;
	greve("d3964d13-a62d-4d0e-a1b7-2e9406a634b0", 30, &r);
	const ib_xtable *t = table_no(&r, 1);
	ck_assert_int_eq(t->finance, 1);
	ck_assert_int_eq(t->sign, 1);
	ck_assert_ptr_nonnull(t->sign_text);
	row_is(t, 0, "Afdrag på lån / delvis indfrielse", IB_XROW_MONEY,
	       (double[]){5100, -226, -234, -242});
	ib_proposal *p = applied(t);
	ck_assert(isnan(p->effect_kr));
	ck_assert_int_eq(p->full_year, 0);
	ck_assert_str_eq(flag_codes(p), "finance_items");
	ck_assert_str_eq(p->flags[0].message,
			 "Tabel 1 viser finansposter (afdrag og renter på lån); forslagets varige "
			 "driftseffekt står ikke i tabellen og er ukendt");
	ib_proposal_free(p);
	ib_xresult_free(&r);
}
END_TEST

/* Millions with three decimals ("7,675"), an anlæg row whose amounts become the
 * investment, a "Sum" total; a pool shared out ("nye anlæg til fordeling"), so no
 * yearly effect. */
START_TEST(greve_millions_decimals_anlaeg)
{
	ib_xresult r;
	greve("0d39ed49-0661-4032-94be-1228d2799239", 30, &r);
	const ib_xtable *t = table_no(&r, 1);
	ck_assert(t->unit_kr == 1000000);
	ck_assert_str_eq(t->unit_text, "Pulje (mio. kr.)");
	row_is(t, 0, "Vej og Landskab - nye anlæg til fordeling", IB_XROW_MONEY,
	       (double[]){7.675, 10, 10, 10});
	ck_assert_int_eq(t->rows[0].anlaeg, 1);
	row_is(t, 2, "Sum", IB_XROW_TOTAL, (double[]){11.175, 13.5, 13.5, 13.5});
	ib_proposal *p = applied(t);
	nets_are(p, (double[]){11175, 13500, 13500, 13500});
	ck_assert(EQ(p->years[0].investment, 7675));
	ck_assert(isnan(p->effect_kr));
	ck_assert_int_eq(p->full_year, 0);
	ck_assert_str_eq(flag_codes(p), "sign_assumed pool_disposition");
	ck_assert_str_eq(p->flags[1].message,
			 "Tabel 1 fordeler en pulje ('Vej og Landskab - nye anlæg til fordeling');"
			 " den viser ikke forslagets varige effekt, som er ukendt");
	ib_proposal_free(p);
	ib_xresult_free(&r);
}
END_TEST

/* A pool's disposition without a total row (the pool, "Disponering:" and what is
 * taken of it, "Rest til fordeling"): no net per year, for its rows add up to nothing
 * the table prints. */
START_TEST(greve_pool_disposition_no_net)
{
	ib_xresult r;
	greve("1332a734-086d-46d5-9987-c2e01a69c8ca", 7, &r);
	const ib_xtable *t = NULL;
	for (size_t i = 0; i < r.n && !t; i++)
		if (r.tables[i].pool)
			t = &r.tables[i];
	ck_assert_ptr_nonnull(t);
	ck_assert_int_lt(t->total_row, 0);
	ib_proposal *p = applied(t);
	for (size_t k = 0; k < p->n_years; k++)
		ck_assert_msg(isnan(p->years[k].net), "%d: net %g", p->years[k].year,
			      p->years[k].net);
	ck_assert(isnan(p->effect_kr));
	ck_assert_ptr_nonnull(strstr(flag_codes(p), "pool_disposition"));
	ib_proposal_free(p);
	ib_xresult_free(&r);
}
END_TEST

/* The unit inside the year header ("2024 (i t. kr.)"); two "i alt" rows, the last is
 * the total; a label-only row is left out. */
START_TEST(greve_unit_in_year_header)
{
	ib_xresult r;
	greve("b57b78a4-d8f8-4ed8-84af-0c36dd21c093", 3, &r);
	const ib_xtable *t = table_no(&r, 1);
	ck_assert_int_eq(t->n_years, 1);
	ck_assert_str_eq(t->year_text[0], "2024 (i t. kr.)");
	ck_assert(t->unit_kr == 1000);
	ck_assert_uint_eq(t->n_rows, 3);
	row_is(t, 0, "497 Rækkefølgeplanen i alt", IB_XROW_TOTAL, (double[]){18550});
	row_is(t, 1, "522 Renovering af Tune skole", IB_XROW_MONEY, (double[]){7050});
	row_is(t, 2, "Udmøntes i alt", IB_XROW_TOTAL, (double[]){7050});
	ck_assert_int_eq(t->total_row, 2);
	ck_assert_int_eq(t->rows[1].line, 4);
	ib_xresult_free(&r);
}
END_TEST

/* "Afledte driftsudgifter (1.000 kr.)": a total that adds up is not flagged. */
START_TEST(greve_total_adds_up)
{
	ib_xresult r;
	greve("efe495ec-339d-45d2-b46a-63a1ceefe570", 5, &r);
	const ib_xtable *t = table_no(&r, 2);
	ck_assert_uint_eq(t->n_rows, 6);
	row_is(t, 3, "Forsikringer", IB_XROW_MONEY, (double[]){6, 6, 6, 6});
	row_is(t, 5, "Afledte driftsudgifter i alt", IB_XROW_TOTAL,
	       (double[]){1430, 1430, 1430, 1430});
	ck_assert_int_eq(t->rows[4].anlaeg, 0);
	ib_proposal *p = applied(t);
	nets_are(p, (double[]){1430, 1430, 1430, 1430});
	ck_assert_str_eq(flag_codes(p), "sign_assumed");
	ck_assert(p->effect_kr == -1430000);
	ck_assert_int_eq(p->full_year, 2022);
	ib_proposal_free(p);
	ib_xresult_free(&r);
}
END_TEST

/* ---- one synthetic table per rule ------------------------------------------------ */

/* The only costed table of html. */
static void one_table(const char *html, ib_xresult *r)
{
	html_ok(html, r);
	ck_assert_uint_eq(r->n, 1);
}

START_TEST(rule_units)
{
	ib_xresult r;
	/* mio.kr. without a blank, in the header */
	one_table("<table><tr><td>mio.kr.</td><td>2025</td></tr><tr><td>A</td><td>0,5</td></tr>"
		  "</table>",
		  &r);
	ck_assert(r.tables[0].unit_kr == 1000000);
	ib_xresult_free(&r);
	/* t.kr. in the caption */
	one_table("<p>Udgifter i t.kr.</p><table><tr><td></td><td>2025</td></tr><tr><td>A</td>"
		  "<td>5</td></tr></table>",
		  &r);
	ck_assert(r.tables[0].unit_kr == 1000);
	ck_assert_str_eq(r.tables[0].unit_text, "Udgifter i t.kr.");
	ib_xresult_free(&r);
	/* in a row label, and an amount in the caption is not a unit */
	one_table("<p>Rammen er 17,7 mio. kr.</p><table><tr><td></td><td>2025</td><td>2026</td>"
		  "</tr><tr><td>Løn</td><td>-0,2</td><td>-0,4</td></tr><tr><td>I alt (beløb i mio. "
		  "kr.)</td><td>-0,2</td><td>-0,4</td></tr></table>",
		  &r);
	ck_assert(r.tables[0].unit_kr == 1000000);
	ck_assert_str_eq(r.tables[0].unit_text, "I alt (beløb i mio. kr.)");
	ck_assert_int_eq(r.tables[0].total_row, 1);
	ib_proposal *p = applied(&r.tables[0]);
	nets_are(p, (double[]){-200, -400});
	ib_proposal_free(p);
	ib_xresult_free(&r);
	/* a cell suffix */
	one_table("<table><tr><td></td><td>2025</td></tr><tr><td>Tilskud</td><td>34.880 kr."
		  "</td></tr></table>",
		  &r);
	ck_assert(r.tables[0].unit_kr == 1);
	ck_assert_str_eq(r.tables[0].unit_text, "34.880 kr.");
	row_is(&r.tables[0], 0, "Tilskud", IB_XROW_MONEY, (double[]){34880});
	ib_xresult_free(&r);
	/* only an amount in the caption: no unit */
	one_table("<p>Rammen er 17,7 mio. kr.</p><table><tr><td></td><td>2025</td></tr><tr><td>A"
		  "</td><td>5</td></tr></table>",
		  &r);
	ck_assert(r.tables[0].unit_kr == 0);
	ib_xresult_free(&r);
}
END_TEST

START_TEST(rule_sign_legends)
{
	ib_xresult r;
	one_table("<p>Negative tal er besparelser</p><table><tr><td>1.000 kr.</td><td>2025</td>"
		  "</tr><tr><td>A</td><td>-5</td></tr></table>",
		  &r);
	ck_assert_int_eq(r.tables[0].sign, 1);
	ck_assert_str_eq(r.tables[0].sign_text, "Negative tal er besparelser");
	ib_xresult_free(&r);
	one_table("<table><tr><td>1.000 kr. (-) = besparelse</td><td>2025</td></tr><tr><td>A"
		  "</td><td>-5</td></tr></table>",
		  &r);
	ck_assert_int_eq(r.tables[0].sign, 1);
	ck_assert_str_eq(r.tables[0].sign_text, "1.000 kr. (-) = besparelse");
	ib_xresult_free(&r);
	/* savings printed positive: the feed's sign is the opposite */
	one_table("<table><tr><td>1.000 kr.</td><td>2025</td><td>2026</td></tr><tr><td>Mindre "
		  "løn</td><td>100</td><td>200</td></tr></table><p>+ = besparelse, - = merudgift"
		  "</p>",
		  &r);
	ck_assert_int_eq(r.tables[0].sign, -1);
	ib_proposal *p = applied(&r.tables[0]);
	nets_are(p, (double[]){-100, -200});
	ck_assert(p->effect_kr == 200000);
	ck_assert_str_eq(flag_codes(p), "");
	ib_proposal_free(p);
	ib_xresult_free(&r);
}
END_TEST

START_TEST(rule_totals_variants_counts)
{
	ib_xresult r;
	one_table("<h4>Model 2: halv åbningstid</h4><table><tr><td>1.000 kr.</td><td>2025</td>"
		  "<td>2026</td></tr><tr><td>Antal pladser</td><td>40</td><td>30</td></tr>"
		  "<tr><td>Årsværk</td><td>-1,5</td><td>-3</td></tr><tr><td>Løn</td><td>-600"
		  "</td><td>-1.200</td></tr><tr><td>Drift</td><td>-50</td><td>-100</td></tr>"
		  "<tr><td>Merudgifter i alt v. model 2</td><td>-650</td><td>-1.300</td></tr>"
		  "</table><p>- = mindreudgift</p>",
		  &r);
	const ib_xtable *t = &r.tables[0];
	ck_assert_str_eq(t->variant, "Model 2");
	ck_assert_str_eq(t->caption, "Model 2: halv åbningstid");
	ck_assert_uint_eq(t->n_rows, 5);
	row_is(t, 0, "Antal pladser", IB_XROW_COUNT, (double[]){40, 30});
	row_is(t, 1, "Årsværk", IB_XROW_COUNT, (double[]){-1.5, -3});
	row_is(t, 4, "Merudgifter i alt v. model 2", IB_XROW_TOTAL, (double[]){-650, -1300});
	ck_assert_int_eq(t->total_row, 4);
	ib_proposal *p = applied(t);
	nets_are(p, (double[]){-650, -1300});
	ck_assert(p->years[1].fte == -3);
	ck_assert_str_eq(flag_codes(p), "");
	ib_proposal_free(p);
	ib_xresult_free(&r);
	/* the variant in the total's label; "Netto" and "Total" totals */
	one_table("<table><tr><td>1.000 kr.</td><td>2025</td></tr><tr><td>A</td><td>1</td></tr>"
		  "<tr><td>Netto, scenarie B</td><td>1</td></tr></table>",
		  &r);
	ck_assert_str_eq(r.tables[0].variant, "Scenarie B");
	ck_assert_int_eq(r.tables[0].total_row, 1);
	ib_xresult_free(&r);
	one_table("<table><tr><td>Alternativ 3 (1.000 kr.)</td><td>2025</td></tr><tr><td>A</td>"
		  "<td>1</td></tr><tr><td>Total:</td><td>1</td></tr></table>",
		  &r);
	ck_assert_str_eq(r.tables[0].variant, "Alternativ 3");
	ck_assert_int_eq(r.tables[0].rows[1].kind, IB_XROW_TOTAL);
	ib_xresult_free(&r);
	/* "model" in prose names no variant; a table of counts only is no costed table */
	html_ok("<p>En ny model for visitation</p><table><tr><td></td><td>2025</td></tr><tr>"
		"<td>Antal borgere</td><td>12</td></tr></table><table><tr><td></td><td>2025</td>"
		"</tr><tr><td>A</td><td>12</td></tr></table>",
		&r);
	ck_assert_uint_eq(r.n, 1);
	ck_assert_int_eq(r.tables[0].table_no, 2);
	ck_assert_ptr_null(r.tables[0].variant);
	ib_xresult_free(&r);
}
END_TEST

START_TEST(rule_year_headers)
{
	ib_xresult r;
	one_table("<table><tr><td>1.000 kr.</td><td>2025 (fra 1. juli)</td><td>B2026</td>"
		  "<td>Budget 2027</td><td>2028 og frem</td><td>2026-priser</td><td>2025-2028</td>"
		  "<td>R2022</td></tr><tr><td>A</td><td>-50</td><td>-100</td><td>-100</td>"
		  "<td>-100</td><td>7</td><td>-350</td><td>3</td></tr></table>",
		  &r);
	const ib_xtable *t = &r.tables[0];
	ck_assert_int_eq(t->n_years, 4);
	ck_assert_int_eq(t->years[0], 2025);
	ck_assert_int_eq(t->years[1], 2026);
	ck_assert_int_eq(t->years[2], 2027);
	ck_assert_int_eq(t->years[3], 2028);
	ck_assert_str_eq(t->year_text[0], "2025 (fra 1. juli)");
	ck_assert_str_eq(t->year_text[1], "B2026");
	row_is(t, 0, "A", IB_XROW_MONEY, (double[]){-50, -100, -100, -100});
	ib_proposal *p = applied(t);
	ck_assert_str_eq(flag_codes(p), "sign_assumed partial_year");
	ck_assert_str_eq(p->flags[1].message,
			 "Kolonnen '2025 (fra 1. juli)' i tabel 1 dækker ikke hele året");
	ck_assert(p->effect_kr == 100000);
	ck_assert_int_eq(p->full_year, 2026);
	ib_proposal_free(p);
	ib_xresult_free(&r);
	/* years not in order are no year columns (a comparison "2022 | 2021") */
	html_ok("<table><tr><td></td><td>2022</td><td>2021</td></tr><tr><td>A</td><td>1</td>"
		"<td>2</td></tr></table>",
		&r);
	ck_assert_uint_eq(r.n, 0);
	ib_xresult_free(&r);
}
END_TEST

START_TEST(rule_danish_numbers)
{
	ib_xresult r;
	one_table("<table><tr><td>1.000 kr.</td><td>2025</td><td>2026</td><td>2027</td><td>2028"
		  "</td><td>2029</td></tr><tr><td>A</td><td>\xE2\x88\x92"
		  "300</td><td>- 300</td><td>-</td><td>0,5</td><td>-1.071</td></tr><tr><td>B</td>"
		  "<td>x</td><td></td><td>12 %</td><td>+ 4</td><td>750 (1.700)</td></tr></table>",
		  &r);
	const ib_xtable *t = &r.tables[0];
	row_is(t, 0, "A", IB_XROW_MONEY, (double[]){-300, -300, 0, 0.5, -1071});
	row_is(t, 1, "B", IB_XROW_MONEY, (double[]){NAN, NAN, NAN, 4, 750});
	ck_assert_int_eq(t->rows[0].n, 5);
	ck_assert_int_eq(t->rows[1].n, 2);
	ib_xresult_free(&r);
}
END_TEST

/* ---- hostile input ------------------------------------------------------------- */

START_TEST(hostile_input)
{
	ib_xresult r;
	ib_error err = {0};
	/* empty */
	html_ok("", &r);
	ck_assert_uint_eq(r.n, 0);
	ck_assert_uint_eq(r.n_notes, 0);
	ib_xresult_free(&r);
	char *t = ib_html_text("", 0);
	ck_assert_str_eq(t, "");
	free(t);
	/* unclosed tags: libxml2 closes them */
	one_table("<table><tr><td>X<td>2025<tr><td>A<td>5", &r);
	row_is(&r.tables[0], 0, "A", IB_XROW_MONEY, (double[]){5});
	ib_xresult_free(&r);
	/* a huge colspan is cut to 64 columns: the label cell right-aligned under them */
	one_table("<table><tr><td>Forslag</td><td colspan=\"1000000\">2025</td><td>2026</td>"
		  "</tr><tr><td>A</td><td>1</td><td>2</td></tr></table>",
		  &r);
	ck_assert_int_eq(r.tables[0].n_years, 2);
	row_is(&r.tables[0], 0, "A", IB_XROW_MONEY, (double[]){NAN, 2});
	ib_xresult_free(&r);
	/* 20 year columns: the first 16 are read, a note says so */
	ib_buf b;
	ib_buf_init(&b, 0);
	ib_buf_adds(&b, "<table><tr><td>1.000 kr.</td>");
	for (int i = 0; i < 20; i++)
		ib_buf_addf(&b, "<td>%d</td>", 2000 + i);
	ib_buf_adds(&b, "</tr><tr><td>A</td>");
	for (int i = 0; i < 20; i++)
		ib_buf_addf(&b, "<td>%d</td>", i);
	ib_buf_adds(&b, "</tr></table>");
	one_table(ib_buf_str(&b), &r);
	ck_assert_int_eq(r.tables[0].n_years, IB_X_MAX_COLS);
	ck_assert(r.tables[0].rows[0].v[15] == 15);
	ck_assert_uint_eq(r.n_notes, 1);
	ck_assert_str_eq(r.notes[0], "tabel 1 har flere end 16 årskolonner; kun de første er læst");
	ib_xresult_free(&r);
	/* 10,000 columns: the cells after the 256th are left out, a note says so */
	ib_buf_reset(&b);
	ib_buf_adds(&b, "<table><tr><td>1.000 kr.</td><td>2025</td>");
	for (int i = 0; i < 10000; i++)
		ib_buf_adds(&b, "<td>x</td>");
	ib_buf_adds(&b, "</tr><tr><td>A</td>");
	for (int i = 0; i < 10001; i++)
		ib_buf_addf(&b, "<td>%d</td>", i + 1);
	ib_buf_adds(&b, "</tr></table>");
	one_table(ib_buf_str(&b), &r);
	ck_assert_int_eq(r.tables[0].n_years, 1);
	row_is(&r.tables[0], 0, "A", IB_XROW_MONEY, (double[]){1});
	ck_assert_uint_eq(r.n_notes, 1);
	ck_assert_str_eq(r.notes[0],
			 "tabel 1 er for stor; kun de første 2000 rækker og 256 kolonner er læst");
	ib_xresult_free(&r);
	ib_buf_free(&b);
	/* deeper than 400 elements: the content below is left out */
	ib_buf_init(&b, 0);
	for (int i = 0; i < 5000; i++)
		ib_buf_adds(&b, "<div>");
	ib_buf_adds(&b, "dyb");
	t = ib_html_text(ib_buf_str(&b), b.n);
	ck_assert_str_eq(t, "");
	free(t);
	html_ok(ib_buf_str(&b), &r);
	ck_assert_uint_eq(r.n, 0);
	ib_xresult_free(&r);
	ib_buf_free(&b);
	/* not UTF-8 */
	const char *bad = "<p>\xFF\xFE</p>";
	ck_assert_int_eq(ib_extract_html(bad, strlen(bad), &r, &err), IB_EPARSE);
	ck_assert_str_eq(err.msg, "html is not valid UTF-8 (byte 0xFF at 3)");
	ck_assert_uint_eq(r.n, 0);
	ib_xresult_free(&r);
	ck_assert_ptr_null(ib_html_text(bad, strlen(bad)));
	ck_assert_ptr_null(ib_html_section(bad, strlen(bad), "Resume"));
	ib_xresult_free(NULL);
}
END_TEST

/* ---- text documents ------------------------------------------------------------ */

static ib_doc *text_doc(const char *name, const char *text)
{
	ib_doc *d = NULL;
	ib_error err = {0};
	ck_assert_msg(ib_doc_from_text(name, text, strlen(text), &d, &err) == IB_OK, "%s", err.msg);
	return d;
}

START_TEST(text_layout_columns)
{
	ib_doc *d = text_doc("a.txt", "Forslag 7\n\n"
				      "Beløb i 1.000 kr.\n"
				      "                       2025        2026        2027\n"
				      "Mindre løn             -400        -800        -800\n"
				      "\n"
				      "Anlæg til\n"
				      "ombygning               500\n"
				      "I alt                   100        -800        -800\n"
				      "\fNegative tal er besparelser.\n");
	ib_xresult r;
	ib_error err = {0};
	ck_assert_int_eq(ib_extract_doc(d, 0, 0, &r, &err), IB_OK);
	ck_assert_uint_eq(r.n, 1);
	const ib_xtable *t = &r.tables[0];
	ck_assert_int_eq(t->line, 4);
	ck_assert_int_eq(t->page, 1);
	ck_assert_int_eq(t->n_years, 3);
	ck_assert(t->unit_kr == 1000);
	ck_assert_str_eq(t->caption, "Beløb i 1.000 kr.");
	ck_assert_str_eq(t->sign_text, "Negative tal er besparelser.");
	ck_assert_uint_eq(t->n_rows, 3);
	row_is(t, 0, "Mindre løn", IB_XROW_MONEY, (double[]){-400, -800, -800});
	/* a label over two lines; its only number stands under the first year column */
	row_is(t, 1, "Anlæg til ombygning", IB_XROW_MONEY, (double[]){500, NAN, NAN});
	ck_assert_int_eq(t->rows[1].line, 8);
	ck_assert_int_eq(t->rows[1].anlaeg, 1);
	row_is(t, 2, "I alt", IB_XROW_TOTAL, (double[]){100, -800, -800});
	ib_xresult_free(&r);
	/* the same lines as a part of the document: from line 5 on there is no header */
	ck_assert_int_eq(ib_extract_doc(d, 4, 0, &r, &err), IB_OK);
	ck_assert_uint_eq(r.n, 0);
	ib_xresult_free(&r);
	ib_doc_free(d);
}
END_TEST

/* pdftotext columns as the seed Ringsted document prints its overview: years
 * single-spaced at the end of the header, blank lines between rows, labels over two
 * or three lines with the numbers after a blank line, a proposal without numbers. */
START_TEST(text_ringsted_overview)
{
	ib_doc *d = NULL;
	ib_error err = {0};
	ck_assert_int_eq(ib_doc_load("data/seeds/000_23be4988dae89e7a.txt", &d, &err), IB_OK);
	ib_xresult r;
	ck_assert_int_eq(ib_extract_doc(d, 0, 0, &r, &err), IB_OK);
	ck_assert_uint_ge(r.n, 1);
	const ib_xtable *t = &r.tables[0];
	ck_assert_int_eq(t->table_no, 1);
	ck_assert_int_eq(t->line, 1);
	ck_assert_int_eq(t->n_years, 4);
	ck_assert_int_eq(t->years[0], 2021);
	ck_assert_int_eq(t->years[3], 2024);
	ck_assert_uint_eq(t->n_rows, 11);
	row_is(t, 0, "PBU", IB_XROW_MONEY, (double[]){300, 300, 300, 300});
	row_is(t, 3,
	       "101 1 årsværk til en styrket indsats til nedbringelse af sygefravær og "
	       "reduktion af udgifter til sygedagpenge",
	       IB_XROW_MONEY, (double[]){185, -315, -515, -815});
	ck_assert_int_eq(t->rows[3].line, 19);
	row_is(t, 4,
	       "188 2 årsværk til en styrkelse af en tidlig afklaring til relevant indsats for "
	       "bedre og kortere jobafklarings- og sygedagpengeforløb",
	       IB_XROW_MONEY, (double[]){-121, -907, -1295, -1295});
	row_is(t, 10, "Investeringsforslag i alt", IB_XROW_TOTAL,
	       (double[]){1736, -1580, -2468, -2768});
	ck_assert_int_eq(t->total_row, 10);
	ib_xresult_free(&r);
	ib_doc_free(d);
}
END_TEST

/* A document read by its tables: budget year from the document's heading ("B2026",
 * taken out of the title), else the first year column; a year cut short at the end of
 * the text is no year. */
START_TEST(general_budget_year)
{
	const char *texts[] = {
	    "Greve Kommune, B2026\n\nForslag\t2025\t2026\nI alt (1.000 kr.)\t-1\t-2\n",
	    "Greve Kommune\n\nForslag\t2025\t2026\nI alt (1.000 kr.)\t-1\t-2\nBudget 20",
	};
	const int want[] = {2026, 2025};
	const char *title[] = {"Greve Kommune", "Greve Kommune"};
	for (int i = 0; i < 2; i++) {
		ib_doc *d = text_doc("b.txt", texts[i]);
		ib_doc_result res;
		ib_error err = {0};
		ck_assert_msg(ib_doc_parse(d, &res, &err) == IB_OK, "%s", err.msg);
		ck_assert_int_eq(res.budget_year, want[i]);
		ck_assert_uint_eq(res.proposals.n, 1);
		ck_assert_str_eq(res.proposals.items[0]->title, title[i]);
		ck_assert(res.proposals.items[0]->effect_kr == 2000);
		ib_doc_result_free(&res);
		ib_doc_free(d);
	}
}
END_TEST

/* Issue 13's "Done when": a Greve agenda item saved as plain text (table rows as lines
 * of TAB-separated cells, as a browser's copy gives) imports with its net per year. */
START_TEST(text_greve_item_with_tabs)
{
	char *html = greve_html("0ad50843-03c2-4154-80a8-ebbe6dbdeb0d", 4);
	char *text = ib_html_text(html, strlen(html));
	free(html);
	ck_assert_ptr_nonnull(text);
	ck_assert_ptr_nonnull(strstr(text, "\nSamlet nettobesparelse\t-725\t-1.450\n"));
	const char *path = tu_write_file("freyas-kvarter.txt", text);
	free(text);
	ib_doc *d = NULL;
	ib_error err = {0};
	ck_assert_int_eq(ib_doc_load(path, &d, &err), IB_OK);
	ib_doc_result res;
	ck_assert_msg(ib_doc_parse(d, &res, &err) == IB_OK, "%s", err.msg);
	ck_assert_str_eq(res.reader, "tables");
	ck_assert_str_eq(res.kommune, "Greve");
	ck_assert_int_eq(res.budget_year, 2023);
	ck_assert_uint_eq(res.proposals.n, 1);
	const ib_proposal *p = res.proposals.items[0];
	/* no heading names the case (the text begins with its sections): the first
	   sentence of its summary, not a section heading or the file name */
	ck_assert_str_eq(p->title, "Boligfællesskabet Freyas Kvarter 40-42 har siden 2011 været "
				   "for borgere med kognitive begrænsninger");
	ck_assert_str_eq(p->ref, "tabel 1");
	ck_assert_str_eq(p->source, "freyas-kvarter.txt");
	ck_assert_uint_eq(p->n_years, 2);
	ck_assert_int_eq(p->years[0].year, 2023);
	ck_assert(p->years[0].net == -725);
	ck_assert_int_eq(p->years[1].year, 2024);
	ck_assert(p->years[1].net == -1450);
	ck_assert(p->effect_kr == 1450000);
	ck_assert_str_eq(flag_codes(p), "general_layout");
	ib_doc_result_free(&res);
	ib_doc_free(d);
}
END_TEST

/* Over every recorded Greve meeting, each item with costed tables gives the same tables
 * (years, unit, sign, net per year) from its HTML and from its text with TABs (as a
 * browser's copy gives): 148 items. */
START_TEST(greve_html_and_text_agree)
{
	DIR *dp = opendir(tu_shared("data/greve-agendas/dagsorden"));
	ck_assert_ptr_nonnull(dp);
	int items = 0;
	for (struct dirent *e; (e = readdir(dp)) != NULL;) {
		char rel[300];
		if (!strstr(e->d_name, ".json.gz"))
			continue;
		snprintf(rel, sizeof rel, "data/greve-agendas/dagsorden/%s", e->d_name);
		gzFile f = gzopen(tu_shared(rel), "rb");
		ib_buf b;
		ib_buf_init(&b, 0);
		char chunk[65536];
		for (int k; (k = gzread(f, chunk, sizeof chunk)) > 0;)
			ib_buf_add(&b, chunk, (size_t)k);
		gzclose(f);
		cJSON *j = cJSON_Parse(ib_buf_str(&b)), *it;
		ib_buf_free(&b);
		cJSON_ArrayForEach(it, cJSON_GetObjectItem(j, "Dagsordenpunkter"))
		{
			cJSON *fe = cJSON_GetArrayItem(cJSON_GetObjectItem(it, "Felter"), 0);
			const char *html = cJSON_GetStringValue(cJSON_GetObjectItem(fe, "Html"));
			ib_xresult a, t;
			ib_error err = {0};
			if (!html || ib_extract_html(html, strlen(html), &a, &err))
				continue;
			char *text = a.n ? ib_html_text(html, strlen(html)) : NULL;
			ib_doc *d = NULL;
			if (text) {
				ck_assert_int_eq(ib_doc_from_text("t.txt", text, strlen(text), &d, &err),
						 IB_OK);
				ck_assert_int_eq(ib_extract_doc(d, 0, 0, &t, &err), IB_OK);
				ck_assert_msg(a.n == t.n, "%s: %zu tables, %zu as text", e->d_name, a.n,
					      t.n);
				items++;
			}
			for (size_t i = 0; text && i < a.n; i++) {
				ib_proposal *ph = ib_proposal_new(), *pt = ib_proposal_new();
				ck_assert_int_eq(ib_extract_apply(&a.tables[i], ph), IB_OK);
				ck_assert_int_eq(ib_extract_apply(&t.tables[i], pt), IB_OK);
				ck_assert(a.tables[i].unit_kr == t.tables[i].unit_kr);
				ck_assert_int_eq(a.tables[i].sign, t.tables[i].sign);
				ck_assert_uint_eq(ph->n_years, pt->n_years);
				for (size_t k = 0; k < ph->n_years; k++)
					ck_assert_msg(ph->years[k].year == pt->years[k].year &&
							  ((isnan(ph->years[k].net) &&
							    isnan(pt->years[k].net)) ||
							   EQ(ph->years[k].net, pt->years[k].net)),
						      "%s table %zu", e->d_name, i + 1);
				ib_proposal_free(ph);
				ib_proposal_free(pt);
			}
			if (text)
				ib_xresult_free(&t);
			ib_xresult_free(&a);
			ib_doc_free(d);
			free(text);
		}
		cJSON_Delete(j);
	}
	closedir(dp);
	ck_assert_int_eq(items, 148);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("extract");
	TCase *tc = tcase_create("extract");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, html_basic_table);
	tcase_add_test(tc, html_investment_only);
	tcase_add_test(tc, greve_appropriation);
	tcase_add_test(tc, greve_finance_items);
	tcase_add_test(tc, html_pool_cut_is_a_saving);
	tcase_add_test(tc, greve_pool_disposition_no_net);
	tcase_add_test(tc, html_sign_from_row_words);
	tcase_add_test(tc, html_text_and_sections);
	tcase_add_test(tc, greve_thousands_in_header);
	tcase_add_test(tc, greve_millions_rowspan);
	tcase_add_test(tc, greve_kroner_cell_suffix);
	tcase_add_test(tc, greve_legend_after_table);
	tcase_add_test(tc, greve_price_level_subtotals);
	tcase_add_test(tc, greve_tkr_no_total);
	tcase_add_test(tc, greve_no_unit);
	tcase_add_test(tc, greve_kroner_text_cells);
	tcase_add_test(tc, greve_millions_decimals_anlaeg);
	tcase_add_test(tc, greve_unit_in_year_header);
	tcase_add_test(tc, greve_total_adds_up);
	tcase_add_test(tc, rule_units);
	tcase_add_test(tc, rule_sign_legends);
	tcase_add_test(tc, rule_totals_variants_counts);
	tcase_add_test(tc, rule_year_headers);
	tcase_add_test(tc, rule_danish_numbers);
	tcase_add_test(tc, hostile_input);
	tcase_add_test(tc, text_layout_columns);
	tcase_add_test(tc, text_ringsted_overview);
	tcase_add_test(tc, text_greve_item_with_tabs);
	tcase_add_test(tc, general_budget_year);
	tcase_add_test(tc, greve_html_and_text_agree);
	suite_add_tcase(su, tc);
	SRunner *sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
