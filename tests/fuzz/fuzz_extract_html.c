/* fuzz_extract_html.c - the extractor on HTML (fetch/extract_html.c over libxml2 and
 * the rule table): ib_extract_html(), each table applied to a proposal with
 * ib_extract_apply(), and ib_html_text() / ib_html_section().  Tables stay within their
 * year columns, point at a total row they have, keep their strings valid UTF-8, and a
 * proposal filled from one writes as a feed line that parses back. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "ideabank/extract.h"

static void check_text(const char *what, const char *z)
{
	if (z && !fuzz_utf8_ok(z, strlen(z)))
		fuzz_fail("%s is not valid UTF-8", what);
}

static void check_table(const ib_xtable *t)
{
	if (t->n_years < 1 || t->n_years > IB_X_MAX_COLS)
		fuzz_fail("table %d has %d year columns", t->table_no, t->n_years);
	if (t->total_row < -1 || t->total_row >= (long)t->n_rows)
		fuzz_fail("table %d: total row %ld of %zu", t->table_no, t->total_row, t->n_rows);
	for (size_t i = 0; i < t->n_rows; i++) {
		if (t->rows[i].n < 0 || t->rows[i].n > t->n_years)
			fuzz_fail("table %d row %zu has %d of %d columns", t->table_no, i,
				  t->rows[i].n, t->n_years);
		check_text("a row label", t->rows[i].label);
	}
	for (int k = 0; k < t->n_years; k++)
		check_text("a year header", t->year_text[k]);
	check_text("the caption", t->caption);
	check_text("the unit text", t->unit_text);
	check_text("the sign legend", t->sign_text);
	check_text("the variant", t->variant);

	ib_proposal *p = ib_proposal_new();
	if (!p || ib_strset(&p->title, "Fuzz") || ib_strset(&p->source, "fuzz.html"))
		abort();
	p->kommunekode = 253;
	p->budget_year = 2025;
	if (ib_extract_apply(t, p) != IB_OK)
		fuzz_fail("table %d cannot be applied to a proposal", t->table_no);
	ib_buf b;
	ib_buf_init(&b, 0);
	if (ib_proposal_write_jsonl(&b, p, 0))
		fuzz_fail("table %d: the proposal cannot be written", t->table_no);
	ib_proposal_list l = {0};
	ib_error err = {0};
	if (ib_feed_parse_jsonl("x.jsonl", b.z, b.n, &l, &err) || l.n != 1)
		fuzz_fail("table %d: the proposal's feed line does not parse: %s\n%s", t->table_no,
			  err.msg, ib_buf_str(&b));
	ib_proposal_list_free(&l);
	ib_buf_free(&b);
	ib_proposal_free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *html = (const char *)data;
	ib_xresult r;
	ib_error err = {0};
	memset(&r, 0, sizeof r);
	if (ib_extract_html(html, size, &r, &err) == IB_OK) {
		for (size_t i = 0; i < r.n; i++)
			check_table(&r.tables[i]);
		for (size_t i = 0; i < r.n_notes; i++)
			check_text("a note", r.notes[i]);
		ib_xresult_free(&r);
	}
	char *text = ib_html_text(html, size);
	free(text);
	char *section = ib_html_section(html, size, "Økonomiske konsekvenser");
	free(section);
	return 0;
}
