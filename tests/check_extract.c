/* check_extract.c - the layout-independent extractor: synthetic HTML and text for each
 * rule, real Greve agenda tables from ../shared, the proposal it makes, and hostile
 * input. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ideabank.h"
#include "testutil.h"

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
			ck_assert_msg(t->rows[i].v[k] == v[k], "%s col %d: %g, not %g", label, k,
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

int main(void)
{
	Suite *su = suite_create("extract");
	TCase *tc = tcase_create("extract");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, html_basic_table);
	tcase_add_test(tc, html_text_and_sections);
	suite_add_tcase(su, tc);
	SRunner *sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
