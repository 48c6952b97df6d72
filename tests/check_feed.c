/* check_feed.c - the JSON Lines and CSV proposal feeds: parsing, validation messages,
 * round trips, and the CSV reader underneath. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "ideabank.h"
#include "testutil.h"

static const char good_line[] =
    "{\"kommunekode\":\"329\",\"budget_year\":2021,\"ref\":\"239\",\"title\":\"Skærmbesøg\","
    "\"kind\":\"effektivisering\",\"area\":\"aeldre og sundhed\",\"adopted\":\"yes\","
    "\"effect_kr\":\"125.000\",\"source\":\"000.txt\",\"years\":[{\"year\":2022,\"net\":-125,"
    "\"investment\":275,\"fte\":\"0,5\",\"page\":8,\"line\":900}]}\n";

/* Parse one JSONL text expecting failure; return the message. */
static const char *jsonl_error(const char *text)
{
	static ib_error err;
	ib_proposal_list l = {0};
	memset(&err, 0, sizeof err);
	ck_assert_int_ne(ib_feed_parse_jsonl("feed.jsonl", text, strlen(text), &l, &err), IB_OK);
	ck_assert_uint_eq(l.n, 0);
	return err.msg;
}

START_TEST(jsonl_good)
{
	ib_proposal_list l = {0};
	ib_error err = {0};
	ck_assert_int_eq(ib_feed_parse_jsonl("f", good_line, strlen(good_line), &l, &err), IB_OK);
	ck_assert_uint_eq(l.n, 1);
	const ib_proposal *p = l.items[0];
	ck_assert_int_eq(p->kommunekode, 329);
	ck_assert_int_eq(p->budget_year, 2021);
	ck_assert_str_eq(p->ref, "239");
	ck_assert_str_eq(p->title, "Skærmbesøg");
	ck_assert_str_eq(p->area, "Ældre og sundhed");
	ck_assert_str_eq(p->kind, "effektivisering");
	ck_assert_int_eq(p->adopted, IB_ADOPTED_YES);
	ck_assert_double_eq(p->effect_kr, 125000);
	ck_assert(ib_is_na(p->impl_cost_kr));
	ck_assert_uint_eq(p->n_years, 1);
	ck_assert_int_eq(p->years[0].year, 2022);
	ck_assert_double_eq(p->years[0].net, -125);
	ck_assert_double_eq(p->years[0].fte, 0.5);
	ck_assert(ib_is_na(p->years[0].income));
	ck_assert_int_eq(p->years[0].line, 900);
	ib_proposal_list_free(&l);
}
END_TEST

START_TEST(jsonl_errors)
{
	ck_assert_str_eq(
	    jsonl_error("{\"kommunekode\":\"329\",\"budget_year\":\"20x1\",\"title\":\"t\","
			"\"source\":\"s\"}"),
	    "feed.jsonl:1: budget_year: expected a year, got \"20x1\"");
	ck_assert_str_eq(jsonl_error("\n\n{\"kommunekode\":\"329\",\"budget_year\":2021,"
				     "\"source\":\"s\"}"),
			 "feed.jsonl:3: title: missing");
	ck_assert_str_eq(
	    jsonl_error("{\"kommunekode\":\"32a\",\"budget_year\":2021,\"title\":\"t\","
			"\"source\":\"s\"}"),
	    "feed.jsonl:1: kommunekode: expected a 3-digit kommunekode, got \"32a\"");
	ck_assert_str_eq(jsonl_error("{\"kommunekode\":329,\"budget_year\":2021,\"titel\":\"t\"}"),
			 "feed.jsonl:1: unknown field \"titel\"");
	ck_assert_str_eq(jsonl_error("{\"kommunekode\":329,\"budget_year\":2021,\"title\":\"t\","
				     "\"source\":\"s\",\"kind\":\"spareforslag\"}"),
			 "feed.jsonl:1: kind: expected effektivisering, investering, "
			 "servicereduktion, innovation or andet, got \"spareforslag\"");
	ck_assert_str_eq(jsonl_error("{\"kommunekode\":329,\"budget_year\":2021,\"title\":\"t\","
				     "\"source\":\"s\",\"effect_kr\":\"mange\"}"),
			 "feed.jsonl:1: effect_kr: expected a number, got \"mange\"");
	ck_assert_str_eq(jsonl_error("{\"kommunekode\":329,\"budget_year\":2021,\"title\":\"t\","
				     "\"source\":\"s\",\"years\":[{\"year\":2021,\"net\":true}]}"),
			 "feed.jsonl:1: years[0]: net: expected a number, got true");
	ck_assert_str_eq(
	    jsonl_error("{\"kommunekode\":329,\"budget_year\":2021,\"title\":\"t\","
			"\"source\":\"s\",\"years\":[{\"year\":2021},{\"year\":2021}]}"),
	    "feed.jsonl:1: years: year 2021 given twice");
	ck_assert_str_eq(jsonl_error("{\"kommunekode\":329,\"budget_year\":2021,\"title\":\"t\","
				     "\"source\":\"s\",\"area\":\"Sundhed\"}"),
			 "feed.jsonl:1: area: expected one of KL's nine areas, got \"Sundhed\"");
	ck_assert_str_eq(jsonl_error("{\"kommunekode\":329,\"budget_year\":2021,\"title\":\"t\","
				     "\"source\":\"s\",\"followup\":{\"compensating\":\"måske\"}}"),
			 "feed.jsonl:1: followup: compensating: expected yes, no or unknown, got "
			 "\"måske\"");
	ck_assert_str_eq(jsonl_error("{\"kommunekode\":329,"), "feed.jsonl:1: invalid JSON");
	ck_assert_str_eq(jsonl_error("[1,2]"), "feed.jsonl:1: expected a JSON object");
	ck_assert_str_eq(jsonl_error("\n  \n"), "feed.jsonl: no proposals in feed");
}
END_TEST

START_TEST(jsonl_all_or_nothing)
{
	/* a good first line and a bad second: nothing is appended */
	char text[4096];
	snprintf(
	    text, sizeof text, "%s%s", good_line,
	    "{\"kommunekode\":\"329\",\"budget_year\":1800,\"title\":\"t\",\"source\":\"s\"}\n");
	ib_proposal_list l = {0};
	ib_error err = {0};
	ck_assert_int_eq(ib_feed_parse_jsonl("feed.jsonl", text, strlen(text), &l, &err),
			 IB_EPARSE);
	ck_assert_str_eq(err.msg, "feed.jsonl:2: budget_year: expected a year, got 1800");
	ck_assert_uint_eq(l.n, 0);
}
END_TEST

START_TEST(jsonl_round_trip)
{
	/* parse the mini fixture, write it, parse the output, write again: identical */
	ib_buf in, out1, out2;
	ib_error err = {0};
	ib_buf_init(&in, 0);
	ib_buf_init(&out1, 0);
	ib_buf_init(&out2, 0);
	ck_assert_int_eq(ib_buf_read_file(&in, tu_fixture("mini/proposals.jsonl"), &err), IB_OK);
	ib_proposal_list a = {0}, b = {0};
	ck_assert_int_eq(ib_feed_parse_jsonl("mini", in.z, in.n, &a, &err), IB_OK);
	ck_assert_uint_eq(a.n, 5);
	for (size_t i = 0; i < a.n; i++)
		ck_assert_int_eq(ib_proposal_write_jsonl(&out1, a.items[i], 0), IB_OK);
	ck_assert_int_eq(ib_feed_parse_jsonl("out1", out1.z, out1.n, &b, &err), IB_OK);
	for (size_t i = 0; i < b.n; i++)
		ck_assert_int_eq(ib_proposal_write_jsonl(&out2, b.items[i], 0), IB_OK);
	ck_assert_str_eq(out1.z, out2.z);
	/* the canonical form of the fourth line keeps the follow-up */
	ck_assert_ptr_nonnull(strstr(out1.z,
				     "\"followup\":{\"adoption\":\"Budget 2026\","
				     "\"total_investment_kr\":null,\"effect_full_kr\":-10100000,"));
	ib_proposal_list_free(&a);
	ib_proposal_list_free(&b);
	ib_buf_free(&in);
	ib_buf_free(&out1);
	ib_buf_free(&out2);
}
END_TEST

START_TEST(csv_feed)
{
	const char *text =
	    "\xEF\xBB\xBFkommunekode;budget_year;ref;title;kind;effect_kr;source;years\r\n"
	    "329;2021;240;\"Robotter; medicin\";effektivisering;150.000;000.txt;"
	    "\"[{\"\"year\"\":2021,\"\"net\"\":-150}]\"\r\n"
	    "101;2016;;Skærmbesøg;investering;;001.txt;\r\n";
	ib_proposal_list l = {0};
	ib_error err = {0};
	ck_assert_int_eq(ib_feed_parse_csv("f.csv", text, strlen(text), &l, &err), IB_OK);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_str_eq(l.items[0]->title, "Robotter; medicin");
	ck_assert_double_eq(l.items[0]->effect_kr, 150000);
	ck_assert_uint_eq(l.items[0]->n_years, 1);
	ck_assert_double_eq(l.items[0]->years[0].net, -150);
	ck_assert_ptr_null(l.items[1]->ref);
	ck_assert(ib_is_na(l.items[1]->effect_kr));
	ib_proposal_list_free(&l);

	const char *bad = "kommunekode;budget_year;title;source\n329;2021;a;s\n329;20x1;b;s\n";
	ck_assert_int_eq(ib_feed_parse_csv("f.csv", bad, strlen(bad), &l, &err), IB_EPARSE);
	ck_assert_str_eq(err.msg, "f.csv:3: budget_year: expected a year, got \"20x1\"");
	ck_assert_uint_eq(l.n, 0);
}
END_TEST

/* Nothing invalid is stored: text that is not UTF-8, a proposal given twice, a number
 * no field can hold are errors naming the line. */
START_TEST(invalid_input_refused)
{
	/* latin-1 "Pleje" with æ as the single byte 0xE6, on line 2 */
	ck_assert_str_eq(jsonl_error("{\"kommunekode\":329,\"budget_year\":2021,\"title\":\"a\","
				     "\"source\":\"s\"}\n"
				     "{\"kommunekode\":329,\"budget_year\":2021,\"title\":\"\xE6\","
				     "\"source\":\"s\"}\n"),
			 "feed.jsonl:2: not valid UTF-8 (byte 0xE6)");
	/* and in a field name */
	ck_assert_str_eq(jsonl_error("{\"kommunekode\":329,\"budget_year\":2021,\"title\":\"a\","
				     "\"source\":\"s\",\"\xF8\":1}\n"),
			 "feed.jsonl:1: not valid UTF-8 (byte 0xF8)");
	ck_assert_str_eq(jsonl_error("{\"kommunekode\":329,\"budget_year\":2021,\"title\":\"a\","
				     "\"source\":\"s\"}\n"
				     "{\"kommunekode\":101,\"budget_year\":2021,\"title\":\"a\","
				     "\"source\":\"s\"}\n"
				     "{\"kommunekode\":329,\"budget_year\":2021,\"title\":\"a\","
				     "\"source\":\"s\",\"effect_kr\":5}\n"),
			 "feed.jsonl:3: the same proposal as line 1 (kommunekode 329, budget year "
			 "2021, title 'a')");
	/* the identity is the source position: the same title from another source, or on
	 * another page, or with its own ref, is another proposal (schema version 4) */
	ib_proposal_list two = {0};
	ib_error e2 = {0};
	const char *other = "{\"kommunekode\":329,\"budget_year\":2021,\"title\":\"a\","
			    "\"source\":\"s\",\"page\":2}\n"
			    "{\"kommunekode\":329,\"budget_year\":2021,\"title\":\"a\","
			    "\"source\":\"t\",\"page\":2}\n"
			    "{\"kommunekode\":329,\"budget_year\":2021,\"title\":\"a\","
			    "\"source\":\"s\",\"page\":3}\n";
	ck_assert_int_eq(ib_feed_parse_jsonl("feed.jsonl", other, strlen(other), &two, &e2), IB_OK);
	ck_assert_uint_eq(two.n, 3);
	ib_proposal_list_free(&two);
	ck_assert_str_eq(jsonl_error("{\"kommunekode\":329,\"budget_year\":2021,\"title\":\"a\","
				     "\"source\":\"s\",\"page\":1e300}\n"),
			 "feed.jsonl:1: page: expected a page number, got 1e+300");
	ck_assert_str_eq(jsonl_error("{\"kommunekode\":329,\"budget_year\":-1e300,\"title\":"
				     "\"a\",\"source\":\"s\"}\n"),
			 "feed.jsonl:1: budget_year: expected a year, got -1e+300");

	ib_proposal_list l = {0};
	ib_error err = {0};
	const char *latin1 = "kommunekode;budget_year;title;source\n329;2021;a;s\n329;2021;K\xF8"
			     "b;s\n";
	ck_assert_int_eq(ib_feed_parse_csv("f.csv", latin1, strlen(latin1), &l, &err), IB_EPARSE);
	ck_assert_str_eq(err.msg, "f.csv:3: not valid UTF-8 (byte 0xF8)");
	const char *dup = "kommunekode;budget_year;title;source\n329;2021;b;s\n329;2021;a;s\n"
			  "329;2022;a;s\n\"329\";2021;\"a\";s\n329;2021;b;s\n";
	ck_assert_int_eq(ib_feed_parse_csv("f.csv", dup, strlen(dup), &l, &err), IB_EDUP);
	ck_assert_str_eq(err.msg, "f.csv:5: the same proposal as line 3 (kommunekode 329, budget "
				  "year 2021, title 'a')");
	ck_assert_uint_eq(l.n, 0);
}
END_TEST

/* Nothing is changed silently (issue 22): each of these was stored, changed, with
 * no word before. */
START_TEST(nothing_changed_silently)
{
#define P "{\"kommunekode\":\"329\",\"budget_year\":2030,\"source\":\"s\","
	/* F1: "Test\u0000forslag" was stored as "Test"; a raw NUL cut the line too */
	ck_assert_str_eq(jsonl_error(P "\"title\":\"Test\\u0000forslag\"}\n"),
			 "feed.jsonl:1: \\u0000 in a string (a text holds no NUL character)");
	ck_assert_str_eq(jsonl_error(P "\"title\":\"ok \\\\u0000 is text\",\"text\":\"\\u0000\"}"),
			 "feed.jsonl:1: \\u0000 in a string (a text holds no NUL character)");
	static const char raw[] = P "\"title\":\"Test\0forslag\"}\n";
	ib_proposal_list l = {0};
	ib_error err = {0};
	ck_assert_int_eq(ib_feed_parse_jsonl("f.jsonl", raw, sizeof raw - 1, &l, &err), IB_EPARSE);
	ck_assert_str_eq(err.msg,
			 "f.jsonl:1: NUL byte at byte 67 (a feed is text, which holds none)");
	static const char rawcsv[] = "kommunekode;budget_year;title;source\n329;2030;a\0b;s\n";
	ck_assert_int_eq(ib_feed_parse_csv("f.csv", rawcsv, sizeof rawcsv - 1, &l, &err),
			 IB_EPARSE);
	ck_assert_str_eq(err.msg,
			 "f.csv:2: NUL byte at byte 11 (a feed is text, which holds none)");
	/* control characters (a terminal obeys them) and the invisible U+FEFF in a text;
	 * TAB and line feed are text */
	ck_assert_str_eq(jsonl_error(P "\"title\":\"a\\u001b[31m\"}"),
			 "feed.jsonl:1: title: control character U+001B at character 2 (a text "
			 "may hold TAB and line feed, no other control character)");
	ck_assert_str_eq(jsonl_error(P "\"title\":\"a\",\"summary\":\"\\r\"}"),
			 "feed.jsonl:1: summary: control character U+000D at character 1 (a text "
			 "may hold TAB and line feed, no other control character)");
	ck_assert_str_eq(jsonl_error(P "\"title\":\"a\",\"text\":\"æ\\u0085\"}"),
			 "feed.jsonl:1: text: control character U+0085 at character 2 (a text may "
			 "hold TAB and line feed, no other control character)");
	ck_assert_str_eq(jsonl_error(P "\"title\":\"\\ufeffa\"}"),
			 "feed.jsonl:1: title: byte order mark U+FEFF at character 1 (invisible; "
			 "left by joining files?)");
	ck_assert_str_eq(
	    jsonl_error(P "\"title\":\"a\",\"flags\":[{\"code\":\"x\",\"message\":\"\\u0007\"}]}"),
	    "feed.jsonl:1: flags: message: control character U+0007 at character 1 (a text may "
	    "hold TAB and line feed, no other control character)");
	const char *tabs = P "\"title\":\"a\\tb\",\"text\":\"linje 1\\nlinje 2\"}\n";
	ck_assert_int_eq(ib_feed_parse_jsonl("f", tabs, strlen(tabs), &l, &err), IB_OK);
	ck_assert_str_eq(l.items[0]->title, "a\tb");
	ib_proposal_list_free(&l);
	/* a byte order mark past the start: cJSON skipped one before each line */
	ck_assert_str_eq(jsonl_error(P "\"title\":\"a\"}\n\xEF\xBB\xBF" P "\"title\":\"b\"}\n"),
			 "feed.jsonl:2: byte order mark U+FEFF inside the file (invisible; left by "
			 "joining files?)");
	/* F2: 1e309 was stored as Inf ('show' printed "inf kr"); a Danish number too */
	ck_assert_str_eq(jsonl_error(P "\"title\":\"a\",\"effect_kr\":1e309}"),
			 "feed.jsonl:1: effect_kr: expected a finite number, got a number out of "
			 "range");
	ck_assert_str_eq(jsonl_error(P "\"title\":\"a\",\"page\":-1e999}"),
			 "feed.jsonl:1: page: expected a page number, got a number out of range");
	/* F3: -0 is stored as 0 (it printed with a sign where the sign was kept) */
	const char *zero = P "\"title\":\"a\",\"effect_kr\":-0,\"impl_cost_kr\":\"-0\","
			     "\"years\":[{\"year\":2030,\"net\":-0.0}]}\n";
	ck_assert_int_eq(ib_feed_parse_jsonl("f", zero, strlen(zero), &l, &err), IB_OK);
	ck_assert(l.items[0]->effect_kr == 0 && !signbit(l.items[0]->effect_kr));
	ck_assert(l.items[0]->impl_cost_kr == 0 && !signbit(l.items[0]->impl_cost_kr));
	ck_assert(l.items[0]->years[0].net == 0 && !signbit(l.items[0]->years[0].net));
	ib_proposal_list_free(&l);
	/* F4: a key given twice: the first won */
	ck_assert_str_eq(jsonl_error("{\"kommunekode\":\"329\",\"kommunekode\":\"101\","
				     "\"budget_year\":2030,\"title\":\"a\",\"source\":\"s\"}"),
			 "feed.jsonl:1: field \"kommunekode\" given twice");
	ck_assert_str_eq(jsonl_error(P "\"title\":\"a\",\"followup\":{\"status\":\"x\","
				       "\"status\":\"y\"}}"),
			 "feed.jsonl:1: followup: field \"status\" given twice");
	ck_assert_str_eq(jsonl_error(P "\"title\":\"a\",\"flags\":[{\"code\":\"x\",\"code\":\"y\","
				       "\"message\":\"m\"}]}"),
			 "feed.jsonl:1: flags: field \"code\" given twice");
	const char *cols = "kommunekode;budget_year;title;source;title\n329;2030;a;s;b\n";
	ck_assert_int_eq(ib_feed_parse_csv("f.csv", cols, strlen(cols), &l, &err), IB_EPARSE);
	ck_assert_str_eq(err.msg, "f.csv:1: column \"title\" given twice");
	/* F10: a number is no title; a whole number is a ref; "0101" is DAWA's 101, while
	 * leading zeros or blanks elsewhere are refused */
	ck_assert_str_eq(jsonl_error(P "\"title\":123}"),
			 "feed.jsonl:1: title: expected a string, got 123");
	ck_assert_str_eq(jsonl_error(P "\"title\":\"a\",\"ref\":2.5}"),
			 "feed.jsonl:1: ref: expected a string or a whole number, got 2.5");
	ck_assert_str_eq(jsonl_error("{\"kommunekode\":\" 101\",\"budget_year\":2030,\"title\":"
				     "\"a\",\"source\":\"s\"}"),
			 "feed.jsonl:1: kommunekode: expected a 3-digit kommunekode, got \" 101\"");
	ck_assert_str_eq(
	    jsonl_error("{\"kommunekode\":\"00101\",\"budget_year\":2030,\"title\":"
			"\"a\",\"source\":\"s\"}"),
	    "feed.jsonl:1: kommunekode: expected a 3-digit kommunekode, got \"00101\"");
	ck_assert_str_eq(jsonl_error(P "\"title\":\"a\",\"full_year\":\"02031\"}"),
			 "feed.jsonl:1: full_year: expected a year, got \"02031\"");
	const char *dawa = "{\"kommunekode\":\"0101\",\"budget_year\":2030,\"title\":\"a\","
			   "\"ref\":217,\"source\":\"s\"}\n";
	ck_assert_int_eq(ib_feed_parse_jsonl("f", dawa, strlen(dawa), &l, &err), IB_OK);
	ck_assert_int_eq(l.items[0]->kommunekode, 101);
	ck_assert_str_eq(l.items[0]->ref, "217");
	ib_proposal_list_free(&l);
	/* a message shows an invisible character it quotes */
	const char *c1 = "kommunekode;budget_year;title;source\n\xC2\x85"
			 "329;2030;a;s\n";
	ck_assert_int_eq(ib_feed_parse_csv("f.csv", c1, strlen(c1), &l, &err), IB_EPARSE);
	ck_assert_str_eq(
	    err.msg, "f.csv:2: kommunekode: expected a 3-digit kommunekode, got \"\\u0085329\"");
#undef P
}
END_TEST

/* F5: one import takes a proposal once: the feeds of an import share their
 * identities, and a repeat names both places (before: the later file overwrote the
 * earlier, "1 new, 1 updated"). */
START_TEST(identities_across_feeds)
{
	ib_feed_ids *ids = ib_feed_ids_new();
	ib_proposal_list l = {0};
	ib_error err = {0};
	const char *a = "kommunekode;budget_year;title;source\n329;2030;a;s\n329;2030;b;s\n";
	const char *b = "{\"kommunekode\":\"329\",\"budget_year\":2030,\"title\":\"c\","
			"\"source\":\"s\"}\n{\"kommunekode\":\"329\",\"budget_year\":2030,"
			"\"title\":\"b\",\"source\":\"s\"}\n";
	ck_assert_int_eq(ib_feed_parse_csv_in(ids, "a.csv", a, strlen(a), &l, &err), IB_OK);
	ck_assert_int_eq(ib_feed_parse_jsonl_in(ids, "b.jsonl", b, strlen(b), &l, &err), IB_EDUP);
	ck_assert_str_eq(err.msg, "b.jsonl:2: the same proposal as a.csv:3 (kommunekode 329, "
				  "budget year 2030, title 'b'); one import takes a proposal once");
	ck_assert_uint_eq(l.n, 2);
	ib_feed_ids_free(ids);
	/* without the shared set each feed is checked alone */
	ck_assert_int_eq(ib_feed_parse_jsonl("b.jsonl", b, strlen(b), &l, &err), IB_OK);
	ck_assert_uint_eq(l.n, 4);
	ib_proposal_list_free(&l);
}
END_TEST

START_TEST(csv_reader)
{
	ib_csv c;
	ib_error err = {0};
	const char *t = "a;b;c\r\n\"x\"\"y\";\"multi\nline\";\r\n\r\n1;2;3";
	ck_assert_int_eq(ib_csv_parse(t, strlen(t), 0, &c, &err), IB_OK);
	ck_assert_uint_eq(c.n, 3);
	ck_assert_str_eq(c.rows[1].f[0], "x\"y");
	ck_assert_str_eq(c.rows[1].f[1], "multi\nline");
	ck_assert_str_eq(c.rows[1].f[2], "");
	ck_assert_uint_eq(c.rows[1].n, 3);
	ck_assert_int_eq(c.rows[2].line, 5);
	ck_assert_str_eq(c.rows[2].f[2], "3");
	ck_assert_int_eq(ib_csv_col(&c.rows[0], "c"), 2);
	ck_assert_int_eq(ib_csv_col(&c.rows[0], "d"), -1);
	ib_csv_free(&c);
	const char *u = "a,b\n\"open,2\n";
	ck_assert_int_eq(ib_csv_parse(u, strlen(u), 0, &c, &err), IB_EPARSE);
	ck_assert_str_eq(err.msg, "2: unterminated quoted field");
	ck_assert_uint_eq(c.n, 0);
}
END_TEST

/* A record of the rule table in csv_records: a name and a number of 1 to 9. */
typedef struct pair {
	char name[8];
	int n;
} pair;

static int read_pair(const ib_csv_row *h, const ib_csv_row *row, void *rec, ib_error *err)
{
	pair *x = rec;
	ck_assert_str_eq(h->f[0], "navn");
	if (row->n != 2 || strlen(row->f[1]) != 1 || row->f[1][0] < '1' || row->f[1][0] > '9')
		return ib_error_set(err, IB_EPARSE, "t.csv:%d: bad row", row->line);
	snprintf(x->name, sizeof x->name, "%s", row->f[0]);
	x->n = row->f[1][0] - '0';
	return IB_OK;
}

/* A rule table read into records: every row's, or none (the first bad row named). */
START_TEST(csv_records)
{
	pair *v = (pair *)&v; /* not NULL: a failure must clear it */
	size_t n = 99;
	ib_error err = {0};
	ck_assert_int_eq(IB_CSV_RECORDS("navn;tal\na;1\n\"b;c\";9\n", read_pair, v, n, &err),
			 IB_OK);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(v[0].name, "a");
	ck_assert_int_eq(v[0].n, 1);
	ck_assert_str_eq(v[1].name, "b;c");
	ck_assert_int_eq(v[1].n, 9);
	free(v);
	ck_assert_int_eq(IB_CSV_RECORDS("navn;tal\na;1\nb;0\nc;3\n", read_pair, v, n, &err),
			 IB_EPARSE);
	ck_assert_ptr_null(v);
	ck_assert_uint_eq(n, 0);
	ck_assert_str_eq(err.msg, "t.csv:3: bad row");
	ck_assert_int_eq(IB_CSV_RECORDS("navn;tal\n\"a;1\n", read_pair, v, n, &err), IB_EPARSE);
	ck_assert_ptr_null(v);
	ck_assert_str_eq(err.msg, "2: unterminated quoted field");
	ck_assert_int_eq(IB_CSV_RECORDS("navn;tal\n", read_pair, v, n, &err), IB_OK);
	ck_assert_ptr_nonnull(v); /* room for one record, none read */
	ck_assert_uint_eq(n, 0);
	free(v);
}
END_TEST

START_TEST(ref_detect)
{
	const char *k = "\xEF\xBB\xBFkommunekode;kommune;region;gruppe_kode;gruppe;kilde\r\n1";
	ck_assert_int_eq(ib_ref_detect(k, strlen(k)), IB_REF_MUNICIPALITIES);
	const char *p = "kommunekode;aar;folketal;kilde\n";
	ck_assert_int_eq(ib_ref_detect(p, strlen(p)), IB_REF_POPULATION);
	const char *s = "kommunekode;aar;funktion;funktionsnavn;kr_pr_indbygger;kilde";
	ck_assert_int_eq(ib_ref_detect(s, strlen(s)), IB_REF_SPENDING);
	const char *n = "kommunekode;aar;folketal\n";
	ck_assert_int_eq(ib_ref_detect(n, strlen(n)), IB_REF_NONE);
}
END_TEST

int main(void)
{
	return tu_run_tests("feed", 0, NULL, NULL,
			    TU_TESTS(jsonl_good, jsonl_errors, jsonl_all_or_nothing,
				     jsonl_round_trip, csv_feed, invalid_input_refused,
				     nothing_changed_silently, identities_across_feeds, csv_reader,
				     csv_records, ref_detect));
}
