/* check_extract.c - the layout-independent extractor.
 *
 * Its same-shape runs are data: each case in tests/extract/cases/ is an input (NAME.html
 * an HTML fragment, NAME.txt a text document, NAME.item an item of a recorded agenda
 * answer in ../shared) beside NAME.expected.json, every table the extractor finds in it
 * (years, unit, sign, caption, variant, rows) and the proposal ib_extract_apply() makes
 * of each (net per year, effect, flags); extract_cases runs them all (tests/support/
 * cases.h; UPDATE=1 rewrites the expected files).  What stays here is not one input and
 * one result: limits on generated input, invalid input, the plain text and sections of
 * HTML, a part of a document, documents read by their tables, and HTML against its text
 * over every recorded Greve meeting. */
#include <check.h>
#include <cjson/cJSON.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "cases.h"
#include "ideabank.h"
#include "runner.h"
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

/* The case text (Felter[].Html) of item `item` (1-based) of a recorded agenda answer at
 * rel under ../shared.  Caller frees. */
static char *item_html(const char *rel, int item)
{
	gzFile f = gzopen(tu_shared(rel), "rb");
	ck_assert_msg(f != NULL, "cannot open %s", tu_shared(rel));
	ib_buf b;
	ib_buf_init(&b, 0);
	char chunk[65536];
	for (int k; (k = gzread(f, chunk, sizeof chunk)) > 0;)
		ck_assert_int_eq(ib_buf_add(&b, chunk, (size_t)k), IB_OK);
	gzclose(f);
	cJSON *j = cJSON_Parse(ib_buf_str(&b));
	ib_buf_free(&b);
	ck_assert_msg(j != NULL, "%s is not JSON", rel);
	cJSON *it = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "Dagsordenpunkter"), item - 1);
	ck_assert_msg(it != NULL, "%s has no item %d", rel, item);
	cJSON *fe = cJSON_GetArrayItem(cJSON_GetObjectItem(it, "Felter"), 0);
	const char *html = cJSON_GetStringValue(cJSON_GetObjectItem(fe, "Html"));
	ck_assert_ptr_nonnull(html);
	char *out = strdup(html);
	cJSON_Delete(j);
	return out;
}

/* The case text of item `item` of a recorded Greve meeting.  Caller frees. */
static char *greve_html(const char *meeting, int item)
{
	char rel[256];
	snprintf(rel, sizeof rel, "data/greve-agendas/dagsorden/%s.json.gz", meeting);
	return item_html(rel, item);
}

/* ---- the cases in tests/extract/cases --------------------------------------------- */

static const char *const row_kinds[] = {"money", "total", "count"};

/* The proposal ib_extract_apply() makes of t. */
static cJSON *proposal_json(const ib_xtable *t)
{
	ib_proposal *p = ib_proposal_new();
	ck_assert_int_eq(ib_extract_apply(t, p), IB_OK);
	cJSON *o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "effect_kr", tu_json_num(p->effect_kr));
	cJSON_AddNumberToObject(o, "full_year", p->full_year);
	cJSON_AddItemToObject(o, "impl_cost_kr", tu_json_num(p->impl_cost_kr));
	cJSON_AddNumberToObject(o, "page", p->page);
	cJSON *years = cJSON_AddArrayToObject(o, "years");
	for (size_t k = 0; k < p->n_years; k++) {
		const ib_proposal_year *y = &p->years[k];
		cJSON *e = cJSON_CreateObject();
		cJSON_AddNumberToObject(e, "year", y->year);
		cJSON_AddItemToObject(e, "net", tu_json_num(y->net));
		cJSON_AddItemToObject(e, "investment", tu_json_num(y->investment));
		cJSON_AddItemToObject(e, "expenses", tu_json_num(y->expenses));
		cJSON_AddItemToObject(e, "income", tu_json_num(y->income));
		cJSON_AddItemToObject(e, "fte", tu_json_num(y->fte));
		cJSON_AddNumberToObject(e, "page", y->page);
		cJSON_AddNumberToObject(e, "line", y->line);
		cJSON_AddItemToArray(years, e);
	}
	cJSON *flags = cJSON_AddArrayToObject(o, "flags");
	for (size_t i = 0; i < p->n_flags; i++) {
		cJSON *f = cJSON_CreateObject();
		cJSON_AddStringToObject(f, "code", p->flags[i].code);
		cJSON_AddStringToObject(f, "message", p->flags[i].message);
		cJSON_AddItemToArray(flags, f);
	}
	ib_proposal_free(p);
	return o;
}

/* Every field of a table as printed, and the proposal made of it. */
static cJSON *table_json(const ib_xtable *t)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "table_no", t->table_no);
	cJSON_AddNumberToObject(o, "page", t->page);
	cJSON_AddNumberToObject(o, "line", t->line);
	cJSON_AddItemToObject(o, "caption", tu_json_str(t->caption));
	cJSON *years = cJSON_AddArrayToObject(o, "years");
	cJSON *texts = cJSON_AddArrayToObject(o, "year_text");
	for (int k = 0; k < t->n_years; k++) {
		cJSON_AddItemToArray(years, cJSON_CreateNumber(t->years[k]));
		cJSON_AddItemToArray(texts, tu_json_str(t->year_text[k]));
	}
	cJSON_AddItemToObject(o, "unit_kr", tu_json_num(t->unit_kr));
	cJSON_AddItemToObject(o, "unit_text", tu_json_str(t->unit_text));
	cJSON_AddNumberToObject(o, "sign", t->sign);
	cJSON_AddItemToObject(o, "sign_text", tu_json_str(t->sign_text));
	cJSON_AddItemToObject(o, "variant", tu_json_str(t->variant));
	cJSON_AddItemToObject(o, "pool", tu_json_str(t->pool));
	cJSON_AddNumberToObject(o, "finance", t->finance);
	cJSON_AddNumberToObject(o, "total_row", (double)t->total_row);
	cJSON *rows = cJSON_AddArrayToObject(o, "rows");
	for (size_t i = 0; i < t->n_rows; i++) {
		const ib_xrow *x = &t->rows[i];
		cJSON *e = cJSON_CreateObject();
		cJSON_AddItemToObject(e, "label", tu_json_str(x->label));
		ck_assert_uint_lt((unsigned)x->kind, 3);
		cJSON_AddStringToObject(e, "kind", row_kinds[x->kind]);
		cJSON_AddNumberToObject(e, "anlaeg", x->anlaeg);
		cJSON_AddNumberToObject(e, "line", x->line);
		cJSON_AddNumberToObject(e, "n", x->n);
		cJSON *v = cJSON_AddArrayToObject(e, "v");
		for (int k = 0; k < t->n_years; k++)
			cJSON_AddItemToArray(v, tu_json_num(x->v[k]));
		cJSON_AddItemToArray(rows, e);
	}
	cJSON_AddItemToObject(o, "proposal", proposal_json(t));
	return o;
}

/* A case's input through the extractor: .html as an HTML fragment, .txt as a text
 * document (whole), .item as "PATH ITEM", an item of a recorded agenda answer under
 * ../shared. */
static cJSON *extract_case_json(const char *path)
{
	ib_xresult r;
	ib_error err = {0};
	int rc;
	if (ib_has_suffix(path, ".txt")) {
		ib_doc *d = NULL;
		ck_assert_msg(ib_doc_load(path, &d, &err) == IB_OK, "%s", err.msg);
		rc = ib_extract_doc(d, 0, 0, &r, &err);
		ib_doc_free(d);
	} else {
		ib_buf b;
		ib_buf_init(&b, 0);
		ck_assert_msg(ib_buf_read_file(&b, path, &err) == IB_OK, "%s", err.msg);
		char *html = NULL;
		if (ib_has_suffix(path, ".item")) {
			char rel[512];
			int item = 0;
			ck_assert_msg(sscanf(ib_buf_str(&b), "%511s %d", rel, &item) == 2,
				      "%s: not 'PATH ITEM'", path);
			html = item_html(rel, item);
		} else {
			html = ib_buf_detach(&b);
		}
		rc = ib_extract_html(html, strlen(html), &r, &err);
		free(html);
		ib_buf_free(&b);
	}
	ck_assert_msg(rc == IB_OK, "%s: %s", path, err.msg);
	cJSON *o = cJSON_CreateObject();
	cJSON *tables = cJSON_AddArrayToObject(o, "tables");
	for (size_t i = 0; i < r.n; i++)
		cJSON_AddItemToArray(tables, table_json(&r.tables[i]));
	cJSON *notes = cJSON_AddArrayToObject(o, "notes");
	for (size_t i = 0; i < r.n_notes; i++)
		cJSON_AddItemToArray(notes, cJSON_CreateString(r.notes[i]));
	ib_xresult_free(&r);
	return o;
}

START_TEST(extract_cases)
{
	tu_case_check(_i, extract_case_json);
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

/* ---- limits and invalid input --------------------------------------------------- */

/* Inputs made here, too large to keep as case files: 10,000 columns and elements nested
 * 5,000 deep; and HTML that is not UTF-8. */
START_TEST(hostile_input)
{
	ib_xresult r;
	ib_error err = {0};
	char *t = ib_html_text("", 0);
	ck_assert_str_eq(t, "");
	free(t);
	/* 10,000 columns: the cells after the 256th are left out, a note says so */
	ib_buf b;
	ib_buf_init(&b, 0);
	ib_buf_adds(&b, "<table><tr><td>1.000 kr.</td><td>2025</td>");
	for (int i = 0; i < 10000; i++)
		ib_buf_adds(&b, "<td>x</td>");
	ib_buf_adds(&b, "</tr><tr><td>A</td>");
	for (int i = 0; i < 10001; i++)
		ib_buf_addf(&b, "<td>%d</td>", i + 1);
	ib_buf_adds(&b, "</tr></table>");
	html_ok(ib_buf_str(&b), &r);
	ck_assert_uint_eq(r.n, 1);
	ck_assert_int_eq(r.tables[0].n_years, 1);
	ck_assert_uint_eq(r.tables[0].n_rows, 1);
	ck_assert_str_eq(r.tables[0].rows[0].label, "A");
	ck_assert_int_eq(r.tables[0].rows[0].kind, IB_XROW_MONEY);
	ck_assert(r.tables[0].rows[0].v[0] == 1);
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
	ck_assert_uint_eq(r.n_notes, 0);
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

/* A part of a document is read as a document of its own: the case text_layout_columns
 * from line 5 on has no header line, so no table. */
START_TEST(text_part_of_document)
{
	ib_doc *d = NULL;
	ib_error err = {0};
	ck_assert_int_eq(ib_doc_load("tests/extract/cases/text_layout_columns.txt", &d, &err),
			 IB_OK);
	ib_xresult r;
	ck_assert_int_eq(ib_extract_doc(d, 0, 0, &r, &err), IB_OK);
	ck_assert_uint_eq(r.n, 1);
	ck_assert_int_eq(r.tables[0].line, 4);
	ib_xresult_free(&r);
	ck_assert_int_eq(ib_extract_doc(d, 4, 0, &r, &err), IB_OK);
	ck_assert_uint_eq(r.n, 0);
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
				ck_assert_int_eq(
				    ib_doc_from_text("t.txt", text, strlen(text), &d, &err), IB_OK);
				ck_assert_int_eq(ib_extract_doc(d, 0, 0, &t, &err), IB_OK);
				ck_assert_msg(a.n == t.n, "%s: %zu tables, %zu as text", e->d_name,
					      a.n, t.n);
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
	static const char *const exts[] = {"html", "txt", "item", NULL};
	const tu_tcase tc = {.timeout = 60,
			     .tests = TU_TESTS(extract_cases, html_text_and_sections, hostile_input,
					       text_part_of_document, text_greve_item_with_tabs,
					       general_budget_year, greve_html_and_text_agree),
			     .loop = extract_cases,
			     .loop_end = tu_cases_list("tests/extract/cases", exts)};
	return tu_run("extract", &tc, 1);
}
