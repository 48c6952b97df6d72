/* check_doc.c - the document importer.
 *
 * Its golden documents are data: each case in tests/doc/cases/ is a document (the seeds
 * and the fixture of an unseen layout, as links to data/seeds/ and tests/fixtures/)
 * beside NAME.expected.json, what ib_doc_parse() reads in it: reader, municipality,
 * budget year, failed checks, notes, --explain lines, and every proposal and follow-up
 * as its feed record; doc_cases runs them all (tests/support/cases.h; UPDATE=1 rewrites
 * the expected files).  What stays here is not one document and one result: the Ringsted
 * gold file in ../shared (its own format), Danish table numbers, the PDF path, documents
 * changed or damaged here, imports, and properties over every proposal. */
#include <check.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cases.h"
#include "ideabank.h"
#include "runner.h"
#include "testutil.h"

#define SEED_000 "data/seeds/000_23be4988dae89e7a.txt"
#define SEED_001 "data/seeds/001_9096374421a980e5.txt"

static ib_doc *load(const char *path)
{
	ib_doc *d = NULL;
	ib_error err = {0};
	ck_assert_msg(ib_doc_load(path, &d, &err) == IB_OK, "%s", err.msg);
	return d;
}

static void parse_ok(const char *path, ib_doc_result *r)
{
	ib_doc *d = load(path);
	ib_error err = {0};
	ck_assert_msg(ib_doc_parse(d, r, &err) == IB_OK, "%s", err.msg);
	ib_doc_free(d);
}

static const ib_proposal *by_ref(const ib_doc_result *r, const char *ref)
{
	for (size_t i = 0; i < r->proposals.n; i++)
		if (r->proposals.items[i]->ref && !strcmp(r->proposals.items[i]->ref, ref))
			return r->proposals.items[i];
	ck_abort_msg("no proposal %s", ref);
	return NULL;
}

static int has_flag(const ib_proposal *p, const char *code)
{
	for (size_t i = 0; i < p->n_flags; i++)
		if (!strcmp(p->flags[i].code, code))
			return 1;
	return 0;
}

/* The gold array (or null) against one column of the yearly table. */
static void same_column(const ib_proposal *p, const cJSON *gold, size_t offset, const char *what)
{
	for (size_t k = 0; k < p->n_years; k++) {
		double got = *(const double *)((const char *)&p->years[k] + offset);
		const cJSON *g = cJSON_IsArray(gold) ? cJSON_GetArrayItem(gold, (int)k) : NULL;
		if (!g || cJSON_IsNull(g))
			ck_assert_msg(isnan(got), "%s %s %d: expected unknown, got %g", p->ref,
				      what, p->years[k].year, got);
		else
			ck_assert_msg(!isnan(got) && fabs(got - g->valuedouble) < 1e-9,
				      "%s %s %d: expected %g, got %g", p->ref, what,
				      p->years[k].year, g->valuedouble, got);
	}
}

/* The first n words of z, blanks collapsed. */
static void first_words(const char *z, int n, char *out, size_t size)
{
	size_t k = 0;
	int words = 0;
	out[0] = '\0';
	while (*z && words < n) {
		while (*z == ' ')
			z++;
		const char *e = z;
		while (*e && *e != ' ')
			e++;
		if (e > z) {
			k += (size_t)snprintf(out + k, size - k, "%s%.*s", words ? " " : "",
					      (int)(e - z), z);
			words++;
		}
		z = e;
	}
}

/* Every field of the 8 Ringsted proposals against the gold file made by hand from the
 * document (its flags, provenance and effects are in the case 000_23be4988dae89e7a). */
START_TEST(ringsted_matches_gold)
{
	ib_buf b;
	ib_error err = {0};
	ib_buf_init(&b, 0);
	ck_assert_msg(ib_buf_read_file(&b, tu_shared("gold/ringsted-b2021.json"), &err) == IB_OK,
		      "%s", err.msg);
	cJSON *gold = cJSON_Parse(b.z);
	ck_assert_ptr_nonnull(gold);
	ib_doc_result r;
	parse_ok(SEED_000, &r);
	ck_assert_str_eq(r.reader, "blocks");
	ck_assert_str_eq(r.kommune, "Ringsted");
	ck_assert_int_eq(r.budget_year, cJSON_GetObjectItem(gold, "budget_year")->valueint);
	const cJSON *props = cJSON_GetObjectItem(gold, "proposals");
	ck_assert_int_eq(r.proposals.n, cJSON_GetArraySize(props));
	const cJSON *g;
	cJSON_ArrayForEach(g, props)
	{
		const char *ref = cJSON_GetObjectItem(g, "ref")->valuestring;
		const ib_proposal *p = by_ref(&r, ref);
		ck_assert_str_eq(p->title, cJSON_GetObjectItem(g, "title")->valuestring);
		ck_assert_str_eq(p->committee, cJSON_GetObjectItem(g, "committee")->valuestring);
		ck_assert_str_eq(p->kind, cJSON_GetObjectItem(g, "kind")->valuestring);
		ck_assert_int_eq(p->budget_year, 2021);
		const cJSON *years = cJSON_GetObjectItem(g, "years");
		ck_assert_int_eq(p->n_years, cJSON_GetArraySize(years));
		for (size_t k = 0; k < p->n_years; k++)
			ck_assert_int_eq(p->years[k].year,
					 cJSON_GetArrayItem(years, (int)k)->valueint);
		same_column(p, cJSON_GetObjectItem(g, "net_effect"),
			    offsetof(ib_proposal_year, net), "net");
		same_column(p, cJSON_GetObjectItem(g, "investment"),
			    offsetof(ib_proposal_year, investment), "investment");
		same_column(p, cJSON_GetObjectItem(g, "expenses"),
			    offsetof(ib_proposal_year, expenses), "expenses");
		same_column(p, cJSON_GetObjectItem(g, "income"), offsetof(ib_proposal_year, income),
			    "income");
		same_column(p, cJSON_GetObjectItem(g, "fte"), offsetof(ib_proposal_year, fte),
			    "fte");
		char words[400];
		first_words(p->summary, 12, words, sizeof words);
		ck_assert_str_eq(words, cJSON_GetObjectItem(g, "summary_first_words")->valuestring);
	}
	/* the gold file's overview checks: all subtotals and the total add up */
	ck_assert_int_eq(r.n_failed_checks, 0);
	ib_doc_result_free(&r);
	cJSON_Delete(gold);
	ib_buf_free(&b);
}
END_TEST

/* ---- the cases in tests/doc/cases ----------------------------------------------- */

static cJSON *list_json(const ib_proposal_list *l)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < l->n; i++) {
		ib_buf b;
		ib_buf_init(&b, 0);
		ck_assert_int_eq(ib_feed_write_jsonl(&b, l->items[i], 0), IB_OK);
		cJSON *rec = cJSON_Parse(ib_buf_str(&b));
		ck_assert_ptr_nonnull(rec);
		/* the record's bytes are cJSON's print of its value, so the expected value
		   fixes them too */
		char *z = cJSON_PrintUnformatted(rec);
		ck_assert_uint_eq(strlen(z) + 1, b.n);
		ck_assert(!memcmp(z, b.z, b.n - 1) && b.z[b.n - 1] == '\n');
		free(z);
		cJSON_AddItemToArray(a, rec);
		ib_buf_free(&b);
	}
	return a;
}

static cJSON *lines_json(char *const *lines, size_t n)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(lines[i]));
	return a;
}

/* A case's document as ib_doc_parse() reads it; its proposals and follow-ups as their
 * feed records (ib_feed_write_jsonl()). */
static cJSON *doc_case_json(const char *path)
{
	ib_doc_result r;
	parse_ok(path, &r);
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "reader", r.reader);
	cJSON_AddItemToObject(o, "kommune", tu_json_str(r.kommune));
	cJSON_AddNumberToObject(o, "budget_year", r.budget_year);
	cJSON_AddNumberToObject(o, "failed_checks", r.n_failed_checks);
	cJSON_AddItemToObject(o, "notes", lines_json(r.notes, r.n_notes));
	cJSON_AddItemToObject(o, "explain", lines_json(r.explain, r.n_explain));
	cJSON_AddItemToObject(o, "proposals", list_json(&r.proposals));
	cJSON_AddItemToObject(o, "followups", list_json(&r.followups));
	ib_doc_result_free(&r);
	return o;
}

START_TEST(doc_cases)
{
	tu_case_check(_i, doc_case_json);
}
END_TEST

/* ---- parts ----------------------------------------------------------------------- */

START_TEST(tail_numbers)
{
	double v[12];
	int ph = 0;
	size_t label = 0;
	ck_assert_int_eq(ib_doc_tail_numbers("Tekst - 50 -150 - 300 - 300", v, 12, &ph, &label), 4);
	ck_assert(v[0] == -50 && v[1] == -150 && v[2] == -300 && v[3] == -300);
	ck_assert_int_eq(label, 6);
	ck_assert_int_eq(ib_doc_tail_numbers("Indtægter -  -350 -350 -350", v, 12, &ph, NULL), 4);
	ck_assert(v[0] == 0 && v[1] == -350);
	ck_assert_int_eq(ib_doc_tail_numbers("½ ½ ½ ½", v, 12, &ph, NULL), 4);
	ck_assert(v[3] == 0.5);
	ck_assert_int_eq(ib_doc_tail_numbers("Netto effekt y y", v, 12, &ph, NULL), 2);
	ck_assert(isnan(v[0]) && ph == 2);
	ck_assert_int_eq(ib_doc_tail_numbers("-1.071 −1.857 -0,5", v, 12, &ph, NULL), 3);
	ck_assert(v[0] == -1071 && v[1] == -1857 && v[2] == -0.5);
	/* an en dash or a lone hyphen ending a line of text is not a number */
	ck_assert_int_eq(ib_doc_tail_numbers("behov – ", v, 12, &ph, &label), 0);
	ck_assert_int_eq(ib_doc_tail_numbers("Social- og Sundheds -", v, 12, &ph, &label), 0);
	ck_assert_int_eq(ib_doc_tail_numbers("3.723 1.388 573 - -", v, 12, &ph, NULL), 5);
	ck_assert(v[3] == 0 && v[4] == 0);
	ck_assert_int_eq(ib_doc_tail_numbers("Tilbagebetalingstid 6 år", v, 12, &ph, NULL), 0);
}
END_TEST

START_TEST(pdf_path)
{
	/* a PDF made during the test from seed 000's text (poppler-utils can't write PDF,
	 * so a minimal one-page PDF is built by hand around a few lines of the seed) */
	if (access("/usr/bin/pdftotext", X_OK) != 0)
		ck_abort_msg("pdftotext missing: install poppler-utils");
	static const char *lines[] = {"239 - Skaermbesoeg i hjemmeplejen",
				      "Forslagets indhold:", "Skaermbesoeg."};
	ib_buf content, pdf;
	ib_buf_init(&content, 0);
	ib_buf_init(&pdf, 0);
	ib_buf_adds(&content, "BT /F1 12 Tf 72 720 Td 14 TL\n");
	for (size_t i = 0; i < 3; i++)
		ib_buf_addf(&content, "(%s) Tj T*\n", lines[i]);
	ib_buf_adds(&content, "ET\n");
	long off[6];
	ib_buf_adds(&pdf, "%PDF-1.4\n");
	off[1] = (long)pdf.n;
	ib_buf_adds(&pdf, "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n");
	off[2] = (long)pdf.n;
	ib_buf_adds(&pdf, "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n");
	off[3] = (long)pdf.n;
	ib_buf_adds(&pdf, "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
			  "/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >> endobj\n");
	off[4] = (long)pdf.n;
	ib_buf_addf(&pdf, "4 0 obj << /Length %zu >> stream\n%sendstream endobj\n", content.n,
		    content.z);
	off[5] = (long)pdf.n;
	ib_buf_adds(&pdf, "5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> "
			  "endobj\n");
	long xref = (long)pdf.n;
	ib_buf_adds(&pdf, "xref\n0 6\n0000000000 65535 f \n");
	for (int i = 1; i <= 5; i++)
		ib_buf_addf(&pdf, "%010ld 00000 n \n", off[i]);
	ib_buf_addf(&pdf, "trailer << /Size 6 /Root 1 0 R >>\nstartxref\n%ld\n%%%%EOF\n", xref);
	const char *path = tu_write_file("doc.pdf", pdf.z);
	ib_doc *d = load(path);
	ck_assert_str_eq(d->name, "doc.pdf");
	int found = 0;
	for (size_t i = 0; i < d->n_lines; i++)
		if (strstr(d->line[i], "239 - Skaermbesoeg i hjemmeplejen")) {
			found = 1;
			ck_assert_int_eq(d->page[i], 1); /* pdftotext pages are counted */
		}
	ck_assert(found);
	ib_doc_free(d);
	/* not a PDF at all: pdftotext fails and says why; bad input, as a damaged .txt is
	 * (before: IB_EIO, exit 4) */
	const char *bad = tu_write_file("broken.pdf", "this is not a pdf");
	ib_error err = {0};
	ck_assert_int_eq(ib_doc_load(bad, &d, &err), IB_EPARSE);
	ck_assert_msg(strstr(err.msg, "broken.pdf: not a readable PDF: pdftotext reports 'Syntax "
				      "Error") != NULL,
		      "%s", err.msg);
	/* no such file: said as such (before: "pdftotext failed (exit 1): not a readable PDF") */
	char missing[4096];
	snprintf(missing, sizeof missing, "%s.gone.pdf", bad);
	ck_assert_int_eq(ib_doc_load(missing, &d, &err), IB_EIO);
	char want[4200];
	snprintf(want, sizeof want, "cannot open '%s': No such file or directory", missing);
	ck_assert_str_eq(err.msg, want);
	ib_buf_free(&content);
	ib_buf_free(&pdf);
}
END_TEST

/* The Unicode code point of the UTF-8 sequence at *z (advanced past it). */
static unsigned utf8_next(const unsigned char **z)
{
	const unsigned char *p = *z;
	unsigned c = p[0];
	int k = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
	if (k)
		c &= 0x3F >> k;
	for (int i = 1; i <= k; i++)
		c = (c << 6) | (p[i] & 0x3F);
	*z = p + 1 + k;
	return c;
}

/* A PDF of a whole seed text, made here because poppler-utils cannot write PDF: one
 * line of the text per line of Courier, 80 lines a page, every character given a
 * one-byte code (ASCII as itself, the rest from 128 up) that a ToUnicode map turns
 * back into the character, so pdftotext -layout gives the text back. */
static void seed_pdf(const char *seed, ib_buf *pdf)
{
	ib_buf text, cmap, content;
	ib_error err = {0};
	ib_buf_init(&text, 0);
	ib_buf_init(&cmap, 0);
	ck_assert_int_eq(ib_buf_read_file(&text, seed, &err), IB_OK);
	unsigned cps[128];
	int n_cps = 0;
	for (const unsigned char *z = (const unsigned char *)text.z; *z;) {
		unsigned c = utf8_next(&z);
		int known = c < 0x80;
		for (int i = 0; i < n_cps && !known; i++)
			known = cps[i] == c;
		if (!known) {
			ck_assert_int_lt(n_cps, 128);
			cps[n_cps++] = c;
		}
	}
	ib_buf_adds(&cmap, "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
			   "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> "
			   "def\n/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
			   "1 begincodespacerange <00> <FF> endcodespacerange\n");
	int n_map = 95 + n_cps;
	for (int i = 0; i < n_map; i += 100) {
		int n = n_map - i < 100 ? n_map - i : 100;
		ib_buf_addf(&cmap, "%d beginbfchar\n", n);
		for (int j = i; j < i + n; j++)
			ib_buf_addf(&cmap, "<%02X> <%04X>\n", j < 95 ? 32 + j : 128 + j - 95,
				    j < 95 ? (unsigned)(32 + j) : cps[j - 95]);
		ib_buf_adds(&cmap, "endbfchar\n");
	}
	ib_buf_adds(&cmap, "endcmap CMapName currentdict /CMap defineresource pop end end\n");
	/* objects: 1 catalog, 2 pages, 3 font, 4 ToUnicode, then per page its object
	 * (5 + 2i) and its content (6 + 2i) */
	size_t n_lines = 1;
	for (const char *z = text.z; *z; z++)
		n_lines += *z == '\n';
	enum { PER_PAGE = 80 };
	int n_pages = (int)((n_lines + PER_PAGE - 1) / PER_PAGE);
	long *off = calloc((size_t)(5 + 2 * n_pages), sizeof *off);
	ib_buf_adds(pdf, "%PDF-1.4\n");
	off[1] = (long)pdf->n;
	ib_buf_adds(pdf, "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n");
	off[2] = (long)pdf->n;
	ib_buf_adds(pdf, "2 0 obj << /Type /Pages /Kids [");
	for (int i = 0; i < n_pages; i++)
		ib_buf_addf(pdf, " %d 0 R", 5 + 2 * i);
	ib_buf_addf(pdf, "] /Count %d >> endobj\n", n_pages);
	off[3] = (long)pdf->n;
	ib_buf_adds(pdf, "3 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Courier "
			 "/ToUnicode 4 0 R >> endobj\n");
	off[4] = (long)pdf->n;
	ib_buf_addf(pdf, "4 0 obj << /Length %zu >>\nstream\n%sendstream endobj\n", cmap.n, cmap.z);
	const unsigned char *z = (const unsigned char *)text.z;
	for (int pg = 0; pg < n_pages; pg++) {
		ib_buf_init(&content, 0);
		ib_buf_adds(&content, "BT /F1 7 Tf 20 770 Td 9 TL\n");
		for (int l = 0; l < PER_PAGE && *z; l++) {
			ib_buf_addc(&content, '(');
			while (*z && *z != '\n') {
				unsigned c = utf8_next(&z);
				if (c == '(' || c == ')' || c == '\\')
					ib_buf_addf(&content, "\\%c", (char)c);
				else if (c >= 0x80) {
					int code = 0;
					while (cps[code] != c)
						code++;
					ib_buf_addf(&content, "\\%03o", 128 + code);
				} else
					ib_buf_addc(&content, c < 32 ? ' ' : (char)c);
			}
			if (*z == '\n')
				z++;
			ib_buf_adds(&content, ") Tj T*\n");
		}
		ib_buf_adds(&content, "ET\n");
		off[5 + 2 * pg] = (long)pdf->n;
		ib_buf_addf(pdf,
			    "%d 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
			    "/Contents %d 0 R /Resources << /Font << /F1 3 0 R >> >> >> endobj\n",
			    5 + 2 * pg, 6 + 2 * pg);
		off[6 + 2 * pg] = (long)pdf->n;
		ib_buf_addf(pdf, "%d 0 obj << /Length %zu >>\nstream\n%sendstream endobj\n",
			    6 + 2 * pg, content.n, content.z);
		ib_buf_free(&content);
	}
	long xref = (long)pdf->n;
	int n_obj = 4 + 2 * n_pages;
	ib_buf_addf(pdf, "xref\n0 %d\n0000000000 65535 f \n", n_obj + 1);
	for (int i = 1; i <= n_obj; i++)
		ib_buf_addf(pdf, "%010ld 00000 n \n", off[i]);
	ib_buf_addf(pdf, "trailer << /Size %d /Root 1 0 R >>\nstartxref\n%ld\n%%%%EOF\n", n_obj + 1,
		    xref);
	free(off);
	ib_buf_free(&text);
	ib_buf_free(&cmap);
}

/* Issue 14: 50 bytes of seed 000's PDF changed in its second half.  pdftotext prints
 * syntax errors and exits 0 with what it could read; the import is refused with the
 * first error and the database is left as it was.  The undamaged PDF imports all 8. */
START_TEST(damaged_pdf_refused)
{
	if (access("/usr/bin/pdftotext", X_OK) != 0)
		ck_abort_msg("pdftotext missing: install poppler-utils");
	ib_buf pdf;
	ib_buf_init(&pdf, 0);
	seed_pdf(SEED_000, &pdf);
	const char *good = tu_write_file("seed000.pdf", pdf.z);
	/* damage: from 3/4 into the file, 50 bytes alternately '(' and '%' */
	for (size_t i = 0; i < 50; i++)
		pdf.z[pdf.n * 3 / 4 + i] = i % 2 ? '%' : '(';
	const char *bad = tu_write_file("damaged.pdf", pdf.z);
	const char *db = strdup(tu_tmp_path("damaged.db"));
	ib_store *s = NULL;
	ib_import_report rep;
	ib_error err = {0};
	const char *one[] = {"data/kommuner.csv"};
	ck_assert_int_eq(ib_store_open(db, &s, &err), IB_OK);
	ck_assert_int_eq(ib_import_files(s, one, 1, NULL, &err), IB_OK);
	one[0] = bad;
	ck_assert_int_eq(ib_import_files(s, one, 1, &rep, &err), IB_EPARSE);
	char want[512];
	snprintf(want, sizeof want,
		 "%s: damaged PDF: pdftotext reports 'Syntax Error: Unterminated string' and 1 "
		 "more error; its text may be incomplete, nothing imported",
		 bad);
	ck_assert_str_eq(err.msg, want);
	ck_assert_int_eq(tu_count(s, "proposal"), 0);
	one[0] = good;
	ck_assert_msg(ib_import_files(s, one, 1, &rep, &err) == IB_OK, "%s", err.msg);
	ck_assert_int_eq(rep.proposals_new, 8);
	ib_import_report_free(&rep);
	ck_assert_int_eq(tu_count(s, "proposal"), 8);
	ib_store_close(s);
	/* the same damage once more, now over a filled database: nothing changes */
	char *sha = strdup(tu_file_sha(db));
	ck_assert_int_eq(ib_store_open(db, &s, &err), IB_OK);
	one[0] = bad;
	ck_assert_int_eq(ib_import_files(s, one, 1, &rep, &err), IB_EPARSE);
	ck_assert_int_eq(tu_count(s, "proposal"), 8);
	ib_store_close(s);
	ck_assert_str_eq(tu_file_sha(db), sha);
	free(sha);
	free((char *)db);
	ib_buf_free(&pdf);
}
END_TEST

/* A seed with one change (the first occurrence of from after the first occurrence of
 * after, replaced by to), parsed; returns the parse code. */
static int parse_seed_changed(const char *seed, const char *after, const char *from, const char *to,
			      ib_doc_result *r, ib_error *err)
{
	ib_buf b, out;
	ib_buf_init(&b, 0);
	ib_buf_init(&out, 0);
	ck_assert_int_eq(ib_buf_read_file(&b, seed, err), IB_OK);
	const char *a = strstr(b.z, after);
	ck_assert_ptr_nonnull(a);
	const char *at = strstr(a, from);
	ck_assert_ptr_nonnull(at);
	ib_buf_add(&out, b.z, (size_t)(at - b.z));
	ib_buf_adds(&out, to);
	ib_buf_adds(&out, at + strlen(from));
	ib_doc *d = NULL;
	ck_assert_int_eq(ib_doc_from_text("changed.txt", out.z, out.n, &d, err), IB_OK);
	int rc = ib_doc_parse(d, r, err);
	ib_doc_free(d);
	ib_buf_free(&b);
	ib_buf_free(&out);
	return rc;
}

static int parse_changed(const char *after, const char *from, const char *to, ib_doc_result *r,
			 ib_error *err)
{
	return parse_seed_changed(SEED_000, after, from, to, r, err);
}

/* The document's own cross-checks: a proposal of the overview without a page of its
 * own refuses the document; a page whose table cannot be read is flagged, and the
 * overview check says its figures are missing instead of "check ok" alone. */
START_TEST(ringsted_cross_checks_missing_data)
{
	ib_doc_result r;
	ib_error err = {0};
	/* 239's heading gone: its page is read as part of 238's, 239 has no page */
	ck_assert_int_eq(parse_changed("\n239 - ", "239 - ", "Her stod: ", &r, &err), IB_EPARSE);
	ck_assert_str_eq(err.msg, "changed.txt: proposal 239 is in the overview table but has "
				  "no page of its own; the document is incomplete, nothing "
				  "imported");
	/* 240's table without its year columns: no_table, and a failed check */
	ck_assert_int_eq(parse_changed("\n240 - ",
				       "Økonomiske konsekvenser, 1000 kr. 2021 2022 "
				       "2023 2024",
				       "Økonomiske konsekvenser, 1000 kr.", &r, &err),
			 IB_OK);
	const ib_proposal *p = by_ref(&r, "240");
	ck_assert_int_eq(p->n_flags, 1);
	ck_assert_str_eq(p->flags[0].code, "no_table");
	ck_assert(isnan(p->effect_kr));
	ck_assert_int_eq(r.n_failed_checks, 1);
	ck_assert_str_eq(r.notes[r.n_notes - 1],
			 "check failed: the overview prints -150, -150, -150, -150 for 240, but "
			 "its page has no readable net effect");
	ib_doc_result_free(&r);
	/* 240's Netto effekt row label gone: its values are not placed, no_net_row */
	ck_assert_int_eq(parse_changed("\n240 - ", "Netto effekt", "", &r, &err), IB_OK);
	p = by_ref(&r, "240");
	ck_assert(has_flag(p, "no_net_row"));
	ck_assert(isnan(p->effect_kr));
	ck_assert_int_eq(r.n_failed_checks, 1);
	ib_doc_result_free(&r);
}
END_TEST

/* København business cases: an overview case with no business case is a failed check
 * (the document as printed, every case held against the overview, is the case
 * 001_9096374421a980e5). */
START_TEST(kk_overview_case_missing)
{
	ib_doc_result r;
	ib_error err = {0};
	ck_assert_int_eq(parse_seed_changed(SEED_001, "Smart investeringsforslag: CSC",
					    "CSC "
					    "\n\nSocial Mobility",
					    "Ukendt \n\nprojekt", &r, &err),
			 IB_OK);
	ck_assert_int_eq(r.n_failed_checks, 1);
	ck_assert_str_eq(r.notes[r.n_notes - 1],
			 "check failed: the overview's case 'Ukendt projekt' (line 56) has no "
			 "proposal in the document");
	ib_doc_result_free(&r);
}
END_TEST

static const ib_followup *case_followup(const ib_doc_result *r, const char *title)
{
	for (size_t i = 0; i < r->followups.n; i++)
		if (!strcmp(r->followups.items[i]->title, title))
			return r->followups.items[i]->followup;
	ck_abort_msg("no case '%s'", title);
	return NULL;
}

/* The status report: a colour printed in the title cell is the status (the report as
 * printed, with its cells over two lines joined, its Ja/Nej columns and its statuses
 * unknown, is the case 003_6fd791036310d2b9). */
START_TEST(status_colour_in_title)
{
	ib_doc_result r;
	ib_error err = {0};
	ck_assert_int_eq(parse_seed_changed("data/seeds/003_6fd791036310d2b9.txt",
					    "Vedtagelsesår: Budget 2022", "Fremtidens genop-",
					    "Fremtidens genop- (grøn)", &r, &err),
			 IB_OK);
	ck_assert_str_eq(case_followup(&r, "Fremtidens genoptræning")->status, "grøn");
	ib_doc_result_free(&r);
}
END_TEST

START_TEST(text_must_be_utf8)
{
	ib_doc *d = NULL;
	ib_error err = {0};
	ck_assert_int_eq(ib_doc_from_text("latin1.txt", "Udvalg\n\xe6ldre\n", 13, &d, &err),
			 IB_EPARSE);
	ck_assert_str_eq(err.msg, "latin1.txt:2: not valid UTF-8 (byte 0xE6)");
	ck_assert_int_eq(ib_doc_from_text("nul.txt", "a\0b", 3, &d, &err), IB_EPARSE);
	ck_assert_str_eq(err.msg, "nul.txt: not a text document (NUL bytes)");
}
END_TEST

/* Damaged seed 000: truncated at every 97th line, lines shuffled, random bytes.  Each
 * gives proposals or a clean error, never a crash; numbers are never invented. */
START_TEST(damaged_documents)
{
	ib_buf b;
	ib_error err = {0};
	ib_buf_init(&b, 0);
	ck_assert_int_eq(ib_buf_read_file(&b, SEED_000, &err), IB_OK);
	size_t n_ok = 0, n_err = 0;
	for (size_t cut = 0; cut < b.n; cut += 997) {
		ib_doc *d = NULL;
		/* cut on a character boundary */
		size_t k = cut;
		while (k > 0 && ((unsigned char)b.z[k] & 0xC0) == 0x80)
			k--;
		ck_assert_int_eq(ib_doc_from_text("cut.txt", b.z, k, &d, &err), IB_OK);
		ib_doc_result r;
		int rc = ib_doc_parse(d, &r, &err);
		if (rc == IB_OK) {
			n_ok++;
			for (size_t i = 0; i < r.proposals.n; i++)
				ck_assert_ptr_nonnull(r.proposals.items[i]->title);
			ib_doc_result_free(&r);
		} else {
			n_err++;
			ck_assert_msg(!strncmp(err.msg, "cut.txt: ", 9), "%s", err.msg);
		}
		ib_doc_free(d);
	}
	ck_assert(n_ok > 0 && n_err > 0);
	/* shuffled lines (a fixed permutation) */
	ib_doc *d = NULL;
	ck_assert_int_eq(ib_doc_from_text("s.txt", b.z, b.n, &d, &err), IB_OK);
	srand(7);
	for (size_t i = d->n_lines - 1; i > 0; i--) {
		size_t j = (size_t)rand() % (i + 1);
		char *t = d->line[i];
		d->line[i] = d->line[j];
		d->line[j] = t;
	}
	ib_doc_result r;
	if (ib_doc_parse(d, &r, &err) == IB_OK)
		ib_doc_result_free(&r);
	else
		ck_assert_msg(!strncmp(err.msg, "s.txt: ", 7), "%s", err.msg);
	ib_doc_free(d);
	/* random bytes: rejected as not UTF-8 or not a known template */
	for (int round = 0; round < 50; round++) {
		char junk[2048];
		for (size_t i = 0; i < sizeof junk; i++)
			junk[i] = (char)(rand() % 255 + 1);
		int rc = ib_doc_from_text("junk.txt", junk, sizeof junk, &d, &err);
		if (rc == IB_OK) {
			ck_assert_int_eq(ib_doc_parse(d, &r, &err), IB_EPARSE);
			ib_doc_free(d);
		} else {
			ck_assert_int_eq(rc, IB_EPARSE);
		}
	}
	ib_buf_free(&b);
}
END_TEST

/* Importing the seed documents stores every proposal, attaches the status report's
 * follow-up on SU04, and leaves nothing behind when one document is bad. */
/* The municipality a document names: "X Kommune" as printed, its genitive
 * ("Københavns Kommune" is København, "Horsens Kommune" stays Horsens), else the first
 * municipality of the registry named as a whole word; no municipality's name is code. */
static char *kommune_of(const char *text)
{
	ib_doc *d = NULL;
	ib_error err = {0};
	ck_assert_int_eq(ib_doc_from_text("k.txt", text, strlen(text), &d, &err), IB_OK);
	ib_doc_result r = {0};
	(void)ib_doc_parse(d, &r, &err);
	char *k = r.kommune ? strdup(r.kommune) : NULL;
	ib_doc_result_free(&r);
	ib_doc_free(d);
	return k;
}

START_TEST(document_municipality)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
	    {"Københavns Kommune\nForslag\t2025\t2026\nI alt (1.000 kr.)\t-1\t-2\n", "København"},
	    {"Horsens Kommune\nForslag\t2025\t2026\nI alt (1.000 kr.)\t-1\t-2\n", "Horsens"},
	    {"Aarhus' budget, Aarhus Kommune\nForslag\t2025\t2026\nI alt (1.000 kr.)\t-1\t-2\n",
	     "Aarhus"},
	    {"Budget 2026 for Fanø\nForslag\t2025\t2026\nI alt (1.000 kr.)\t-1\t-2\n", "Fanø"},
	    {"Budget 2026 for Greveby\nForslag\t2025\t2026\nI alt (1.000 kr.)\t-1\t-2\n", NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *k = kommune_of(cases[i].text);
		if (cases[i].want)
			ck_assert_msg(k && !strcmp(k, cases[i].want), "case %zu: %s", i,
				      k ? k : "NULL");
		else
			ck_assert_msg(!k, "case %zu: %s", i, k);
		free(k);
	}
}
END_TEST

START_TEST(import_documents)
{
	ib_store *s = tu_store_with("docs.db", "data/kommuner.csv", "data/folketal.csv", NULL);
	const char *docs[] = {SEED_000, "data/seeds/001_9096374421a980e5.txt",
			      "data/seeds/002_d8b1185091388949.txt",
			      "data/seeds/003_6fd791036310d2b9.txt", NULL};
	const char *bad = tu_write_file("unknown.txt", "Et notat uden forslag.\n");
	ib_import_report rep;
	ib_error err = {0};
	docs[4] = bad;
	ck_assert_int_eq(ib_import_files(s, docs, 5, &rep, &err), IB_EPARSE);
	ck_assert_int_eq(tu_count(s, "proposal"), 0);
	ck_assert_int_eq(ib_import_files(s, docs, 4, &rep, &err), IB_OK);
	ck_assert_int_eq(rep.proposals_new, 31);
	ck_assert_int_eq(rep.followups_attached, 1);
	ck_assert_int_eq(tu_count(s, "followup"), 15);
	int64_t id = 0;
	ck_assert_int_eq(ib_store_find_proposal(s, 101,
						"Brug af kunstig intelligens ved daglig "
						"planlægning af besøg hos borgere",
						&id, &err),
			 IB_OK);
	ib_proposal *p = NULL;
	ck_assert_int_eq(ib_store_get_proposal(s, id, &p, &err), IB_OK);
	ck_assert_str_eq(p->ref, "SU04");
	ck_assert_ptr_nonnull(p->followup);
	ck_assert_str_eq(p->followup->full_implementation, "Ultimo 2026");
	ck_assert_int_eq(p->adopted, IB_ADOPTED_YES);
	ib_proposal_free(p);
	ib_import_report_free(&rep);
	/* importing again changes nothing */
	ck_assert_int_eq(ib_import_files(s, docs, 4, &rep, &err), IB_OK);
	ck_assert_int_eq(rep.proposals_new, 0);
	ck_assert_int_eq(rep.proposals_updated, 0);
	ib_import_report_free(&rep);
	ck_assert_int_eq(ib_store_check(s, &err), IB_OK);
	ib_store_close(s);
}
END_TEST

/* ---- a layout no rule was written for ------------------------------------------------ */

#define UNSEEN "tests/fixtures/unseen/visitationsstop.txt"

/* The seed or fixture at path with each pair (from, to) of edits replaced once, parsed
 * as "changed.txt"; returns the parse code. */
static int parse_edited(const char *path, const char *const *edits, size_t n, ib_doc_result *r,
			ib_error *err)
{
	ib_buf b;
	ib_buf_init(&b, 0);
	ck_assert_int_eq(ib_buf_read_file(&b, path, err), IB_OK);
	char *text = strdup(b.z);
	for (size_t i = 0; i + 1 < n; i += 2) {
		char *at = strstr(text, edits[i]);
		ck_assert_msg(at != NULL, "no '%s' in %s", edits[i], path);
		ib_buf out;
		ib_buf_init(&out, 0);
		ib_buf_add(&out, text, (size_t)(at - text));
		ib_buf_adds(&out, edits[i + 1]);
		ib_buf_adds(&out, at + strlen(edits[i]));
		free(text);
		text = ib_buf_detach(&out);
	}
	ib_doc *d = NULL;
	ck_assert_int_eq(ib_doc_from_text("changed.txt", text, strlen(text), &d, err), IB_OK);
	int rc = ib_doc_parse(d, r, err);
	ib_doc_free(d);
	free(text);
	ib_buf_free(&b);
	return rc;
}

static int explained(const ib_doc_result *r, const char *part)
{
	for (size_t i = 0; i < r->n_explain; i++)
		if (strstr(r->explain[i], part))
			return 1;
	return 0;
}

/* A Greve case text (the stop for visitation to Grønlykkeparken and Dahliahuset, years
 * moved one on, "Budget 2025" in its heading) with two models, a summary table of both
 * and a detail table of each: no rule row describes it.  As printed it is the case
 * visitationsstop (its two models, titled by its heading, in budget 2025, each read from
 * its own table and held against its row of the summary); changed here, a detail table
 * that differs from the summary and a budget year from the meeting date. */
START_TEST(unseen_layout_changed)
{
	ib_doc_result r;
	ib_error err = {0};
	/* the detail table differs from the summary: a flag, the detail table's figures */
	static const char *const b250[] = {"40       120         0\nDahliahuset                 "
					   "30        80         0\nI alt                       70 "
					   "      200         0",
					   "40       120        50\nDahliahuset                 "
					   "30        80         0\nI alt                       70 "
					   "      200        50"};
	ck_assert_int_eq(parse_edited(UNSEEN, b250, 2, &r, &err), IB_OK);
	const ib_proposal *p = r.proposals.items[1];
	ck_assert_int_eq(p->n_flags, 2);
	ck_assert_str_eq(p->flags[1].code, "overview_mismatch");
	ck_assert_str_eq(p->flags[1].message,
			 "tabel 1, række 'Model B' (linje 117) afviger fra forslagets tabel, "
			 "oversigt mod side: netto 2026: 0 mod 50");
	ck_assert_double_eq(p->effect_kr, -50000);
	ib_doc_result_free(&r);

	/* no budget in the heading, a meeting in 2024: the budget of 2025 */
	static const char *const meeting[] = {"Budget 2025: Stop", "Stop", "Byrådet\n",
					      "Byrådet, mødedato 24. juni 2024\n"};
	ck_assert_int_eq(parse_edited(UNSEEN, meeting, 4, &r, &err), IB_OK);
	ck_assert_int_eq(r.budget_year, 2025);
	ck_assert(explained(&r, "budget year 2025: line 1 by layout_rules.csv:5"));
	ib_doc_result_free(&r);
}
END_TEST

/* The budget year is the document's, however printed; its first year column only when
 * it prints none. */
START_TEST(budget_year_forms)
{
	static const struct {
		const char *head;
		int year;
	} cases[] = {
	    {"Budget 2026-29\n\nForslag om X", 2026},
	    {"BUDGET 2021 – INVESTERINGSFORSLAG\n\nForslag om X", 2021},
	    {"Forslag om X, B2026", 2026},
	    {"Økonomiudvalget\nMødedato: 12. juni 2025\n\nForslag om X", 2026},
	    {"Forslag om X", 2024},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char text[512];
		snprintf(text, sizeof text,
			 "Greve Kommune\n%s\n\nForslag\t2024\t2025\nI alt (1.000 kr.)\t-1\t-2\n",
			 cases[i].head);
		ib_doc *d = NULL;
		ib_error err = {0};
		ck_assert_int_eq(ib_doc_from_text("b.txt", text, strlen(text), &d, &err), IB_OK);
		ib_doc_result r;
		ck_assert_msg(ib_doc_parse(d, &r, &err) == IB_OK, "%s", err.msg);
		ck_assert_msg(r.budget_year == cases[i].year, "case %zu: %d", i, r.budget_year);
		ck_assert_int_eq(r.proposals.items[0]->budget_year, cases[i].year);
		ib_doc_result_free(&r);
		ib_doc_free(d);
	}
}
END_TEST

/* A committee's abbreviation holds in its own municipality only (area_rules.csv's
 * kommunekode column). */
START_TEST(area_rules_per_municipality)
{
	ib_proposal *p = ib_proposal_new();
	p->title = strdup("Konsulent til ESCO-projektet");
	p->committee = strdup("PBU");
	ck_assert_str_eq(ib_doc_area_in(p, 329), "Teknik og miljø");
	ck_assert_ptr_null(ib_doc_area_in(p, 253));
	ck_assert_ptr_null(ib_doc_area(p)); /* kommunekode 0: not known */
	free(p->committee);
	p->committee = strdup("Teknik- og Miljøudvalget");
	ck_assert_str_eq(ib_doc_area_in(p, 253), "Teknik og miljø");
	ib_proposal_free(p);
}
END_TEST

/* Issue 27: the status report's column headings and the form's instructions are never
 * stored as a status, summary or text, and a summary is never cut inside brackets -
 * over every proposal of the seeds and of Greve's agendas. */
START_TEST(no_template_text_as_data)
{
	ib_store *s = tu_store_with("template.db", "data/kommuner.csv", NULL);
	const char *docs[] = {SEED_000, SEED_001, "data/seeds/002_d8b1185091388949.txt",
			      "data/seeds/003_6fd791036310d2b9.txt"};
	ib_import_report rep;
	ib_error err = {0};
	ck_assert_msg(ib_import_files(s, docs, 4, &rep, &err) == IB_OK, "%s", err.msg);
	ib_import_report_free(&rep);
	const char *dir[] = {tu_shared("data/greve-agendas/dagsorden")};
	ib_agenda_report a;
	ck_assert_msg(ib_agenda_import(s, "Greve", dir, 1, &a, &err) == IB_OK, "%s", err.msg);
	ib_agenda_report_free(&a);
	int64_t *ids = NULL;
	size_t n = 0, n_status = 0;
	ck_assert_int_eq(ib_store_proposal_ids(s, &ids, &n, &err), IB_OK);
	ck_assert_uint_gt(n, 31); /* the seeds' 31 and Greve's cases */
	for (size_t i = 0; i < n; i++) {
		ib_proposal *p = NULL;
		ck_assert_int_eq(ib_store_get_proposal(s, ids[i], &p, &err), IB_OK);
		ib_buf b;
		ib_buf_init(&b, 0);
		ck_assert_int_eq(ib_feed_write_jsonl(&b, p, 0), IB_OK);
		ck_assert_msg(!strstr(b.z, "Udfyldes for"), "form text stored: %s", p->title);
		const char *status = p->followup ? p->followup->status : NULL;
		if (status) {
			n_status++;
			ck_assert_msg(!strcmp(status, "grøn") || !strcmp(status, "gul") ||
					  !strcmp(status, "rød") || !strncmp(status, "ukendt: ", 8),
				      "status '%s' of %s", status, p->title);
		}
		/* a summary cut inside brackets says it is cut */
		int depth = 0;
		for (const char *z = p->summary ? p->summary : ""; *z; z++)
			depth += (*z == '(') - (*z == ')' && depth > 0);
		size_t len = p->summary ? strlen(p->summary) : 0;
		ck_assert_msg(!depth || (len > 3 && !strcmp(p->summary + len - 3, "\xE2\x80\xA6")),
			      "summary cut inside brackets: %s", p->summary);
		ib_buf_free(&b);
		ib_proposal_free(p);
	}
	ck_assert_uint_eq(n_status, 15);
	free(ids);
	ib_store_close(s);
}
END_TEST

int main(void)
{
	static const char *const exts[] = {"txt", "pdf", NULL};
	const tu_tcase tc = {
	    .timeout = 60,
	    .tests = TU_TESTS(doc_cases, ringsted_matches_gold, tail_numbers, pdf_path,
			      damaged_pdf_refused, ringsted_cross_checks_missing_data,
			      kk_overview_case_missing, status_colour_in_title, text_must_be_utf8,
			      damaged_documents, import_documents, document_municipality,
			      unseen_layout_changed, budget_year_forms, area_rules_per_municipality,
			      no_template_text_as_data),
	    .loop = doc_cases,
	    .loop_end = tu_cases_list("tests/doc/cases", exts)};
	return tu_run("doc", &tc, 1);
}
