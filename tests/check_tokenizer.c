/* check_tokenizer.c - the Danish tokenizer: Snowball's reference vocabulary, compound
 * splits, ASCII spellings, query syntax, and the judged queries on the sample corpus. */
#include <check.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ideabank.h"
#include "testutil.h"
#include "tokenizer.h"

#define SNOWBALL "/usr/share/snowball/data/danish/"

/* Every word of Snowball's Danish vocabulary stems to the reference output.  The few
 * words where Debian's libstemmer and snowball-data disagree would be listed in
 * tests/snowball-danish-differences.txt; today that list is empty. */
START_TEST(stemmer_matches_snowball_vocabulary)
{
	FILE *voc = fopen(SNOWBALL "voc.txt", "r");
	FILE *exp = fopen(SNOWBALL "output.txt", "r");
	ck_assert_msg(voc && exp, "install snowball-data (" SNOWBALL ")");
	char w[256], want[256], got[256];
	long n = 0, diff = 0;
	while (fgets(w, sizeof w, voc) && fgets(want, sizeof want, exp)) {
		w[strcspn(w, "\r\n")] = '\0';
		want[strcspn(want, "\r\n")] = '\0';
		ib_da_stem(w, strlen(w), got, sizeof got);
		if (strcmp(got, want) != 0) {
			if (diff < 5)
				fprintf(stderr, "stem(%s) = %s, Snowball says %s\n", w, got, want);
			diff++;
		}
		n++;
	}
	fclose(voc);
	fclose(exp);
	ck_assert_int_gt(n, 20000);
	ck_assert_int_eq(diff, 0);
}
END_TEST

/* The parts of word as "a|b"; the splitter reads the word from an exact-size buffer
 * without a NUL, as FTS5 hands it over (under the sanitizer build a read past the word
 * fails the test). */
static const char *split(const char *word)
{
	static char out[512];
	ib_da_part p[8];
	size_t len = strlen(word);
	char *exact = malloc(len ? len : 1);
	ck_assert_ptr_nonnull(exact);
	memcpy(exact, word, len);
	int n = ib_da_split(exact, len, p, 8);
	free(exact);
	size_t k = 0;
	out[0] = '\0';
	for (int i = 0; i < n; i++)
		k += (size_t)snprintf(out + k, sizeof out - k, "%s%.*s", i ? "|" : "", (int)p[i].n,
				      word + p[i].start);
	return out;
}

START_TEST(compound_splits)
{
	ck_assert(ib_da_have_wordlist());
	ck_assert_str_eq(split("softwarerobotter"), "software|robotter");
	ck_assert_str_eq(split("sygefravær"), "syge|fravær");
	ck_assert_str_eq(split("loftslifte"), "lofts|lifte");
	ck_assert_str_eq(split("medicindispenseringsrobotter"), "medicin|dispenserings|robotter");
	ck_assert_str_eq(split("velfærdsteknologier"), "velfærd|teknologier");
	ck_assert_str_eq(split("hjemmeplejen"), "hjemme|plejen");
	ck_assert_str_eq(split("sygeplejeklinikker"), "sygepleje|klinikker");
	/* words that must stay whole */
	static const char *whole[] = {
	    "konsulent", "investering",	    "kommunen",	      "besparelser", "ansættelse",
	    "borger",	 "effektivisering", "rehabilitering", "2021",	     "medarbejdere"};
	for (size_t i = 0; i < sizeof whole / sizeof whole[0]; i++)
		ck_assert_msg(!*split(whole[i]), "%s split as %s", whole[i], split(whole[i]));
}
END_TEST

/* A word may begin with a 3-letter head of data/short_heads.csv, and only when no
 * longer word of up to 6 letters begins it; other short parts are never split off. */
START_TEST(short_heads)
{
	ck_assert_str_eq(split("lønudgifter"), "løn|udgifter");
	ck_assert_str_eq(split("løntilskud"), "løn|tilskud");
	ck_assert_str_eq(split("bilflåde"), "bil|flåde");
	ck_assert_str_eq(split("busdrift"), "bus|drift");
	ck_assert_str_eq(split("madordning"), "mad|ordning");
	static const char *whole[] = {"billeder", "billigere", "billedet", "lønsom",
				      "vejledning", "madrasser", "bilister", "solcelle"};
	for (size_t i = 0; i < sizeof whole / sizeof whole[0]; i++)
		ck_assert_msg(!*split(whole[i]), "%s split as %s", whole[i], split(whole[i]));
	/* not at the start of a part after the first: drikke|billet, never drikke|bil|let */
	ck_assert_str_eq(split("drikkebillet"), "drikke|billet");
}
END_TEST

/* A noun in -ering and its verb's forms share a stem: koordinering finds koordinerende
 * and koordinerende finds koordinering. */
START_TEST(derivational_stems)
{
	ib_store *s = tu_store_with("deriv.db", "data/kommuner.csv", NULL);
	static const char *const text[] = {"en koordinerende sygeplejerske",
					   "koordinering af indsatsen", "visiterede borgere",
					   "levering af mad", "leve et godt liv"};
	ib_error err = {0};
	for (int i = 0; i < 5; i++) {
		ib_proposal *p = ib_proposal_new();
		char title[32];
		snprintf(title, sizeof title, "Forslag %d", i + 1);
		p->kommunekode = 253;
		p->budget_year = 2024;
		p->title = strdup(title);
		p->text = strdup(text[i]);
		p->source = strdup("test");
		ck_assert_msg(ib_store_put_proposal(s, p, NULL, &err) == IB_OK, "%s", err.msg);
		ib_proposal_free(p);
	}
	static const char *const q[][2] = {
	    {"koordinering", "Forslag 1,Forslag 2"}, {"koordinerende", "Forslag 1,Forslag 2"},
	    {"visitering", "Forslag 3"},	       {"visiterede", "Forslag 3"},
	    {"levering", "Forslag 4"}, /* "lev" is too short a base: not leve */
	};
	for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
		ib_search_opts o = {0};
		o.query = q[i][0];
		o.sort = IB_SORT_EFFECT; /* ties by id: the order of the texts */
		ib_result *r = NULL;
		ck_assert_int_eq(ib_search(s, &o, &r, &err), IB_OK);
		char got[128] = "";
		for (size_t k = 0; k < r->n; k++) {
			size_t n = strlen(got);
			snprintf(got + n, sizeof got - n, "%s%s", k ? "," : "", r->hits[k].title);
		}
		ck_assert_msg(strcmp(got, q[i][1]) == 0, "%s found %s", q[i][0], got);
		ib_result_free(r);
	}
	ck_assert_int_eq(ib_store_check(s, &err), IB_OK);
	ib_store_close(s);
}
END_TEST

/* Snippets tokenize each hit's text again, through a memo of each word's stems: a word
 * met the second time (in the same text, or in the next search) is marked as the first
 * was, its derivational stem included. */
START_TEST(snippets_remembered)
{
	ib_store *s = tu_store_with("snippets.db", "data/kommuner.csv", NULL);
	ib_error err = {0};
	ib_proposal *p = ib_proposal_new();
	p->kommunekode = 253;
	p->budget_year = 2024;
	p->title = strdup("Forslag");
	p->text = strdup("En koordinerende sygeplejerske og et koordinerende team: koordinering");
	p->source = strdup("test");
	ck_assert_msg(ib_store_put_proposal(s, p, NULL, &err) == IB_OK, "%s", err.msg);
	ib_proposal_free(p);
	for (int i = 0; i < 2; i++) {
		ib_search_opts o = {0};
		o.query = i ? "koordinerende" : "koordinering";
		ib_result *r = NULL;
		ck_assert_int_eq(ib_search(s, &o, &r, &err), IB_OK);
		ck_assert_uint_eq(r->n, 1);
		ck_assert_str_eq(r->hits[0].snippet,
				 "En \x02koordinerende\x03 sygeplejerske og et \x02koordinerende\x03"
				 " team: \x02koordinering\x03");
		ib_result_free(r);
	}
	ck_assert_int_eq(ib_store_check(s, &err), IB_OK);
	ib_store_close(s);
}
END_TEST

START_TEST(stems)
{
	char out[64];
	static const char *pair[][2] = {{"robotter", "robot"},
					{"hjemmeplejen", "hjemmeplej"},
					{"hjemmepleje", "hjemmeplej"},
					{"besparelser", "bespar"},
					{"kørebøger", "kørebøg"}};
	for (size_t i = 0; i < sizeof pair / sizeof pair[0]; i++)
		ck_assert_str_eq(ib_da_stem(pair[i][0], strlen(pair[i][0]), out, sizeof out),
				 pair[i][1]);
}
END_TEST

static ib_store *sample;

static void open_sample(void)
{
	sample = tu_store_with("sample.db", "data/kommuner.csv", "data/folketal.csv",
			       "data/proposals.jsonl", NULL);
}

static void close_sample(void)
{
	ib_store_close(sample);
}

/* Titles of the hits, '|'-separated, at most limit. */
static const char *titles(const char *q, int limit)
{
	static char out[8192];
	ib_search_opts o = {0};
	o.query = q;
	o.limit = limit;
	ib_result *r = NULL;
	ib_error err = {0};
	ck_assert_msg(ib_search(sample, &o, &r, &err) == IB_OK, "%s: %s", q, err.msg);
	size_t k = 0;
	out[0] = '\0';
	for (size_t i = 0; i < r->n; i++)
		k += (size_t)snprintf(out + k, sizeof out - k, "%s%s", i ? "|" : "",
				      r->hits[i].title);
	ib_result_free(r);
	return out;
}

START_TEST(robot_finds_compounds)
{
	const char *t = titles("robot", 0);
	ck_assert_ptr_nonnull(strstr(t, "Anvendelse af medicindispenseringsrobotter"));
	ck_assert_ptr_nonnull(strstr(t, "Softwarerobotter sparer arbejdskraft"));
	ck_assert_str_eq(titles("fravær", 0),
			 "1 årsværk til en styrket indsats til nedbringelse af "
			 "sygefravær og reduktion af udgifter til sygedagpenge|"
			 "2 årsværk til en styrkelse af en tidlig afklaring til "
			 "relevant indsats for bedre og kortere jobafklarings- og "
			 "sygedagpengeforløb");
	/* inflections: hjemmeplejen finds hjemmepleje */
	ck_assert_ptr_nonnull(
	    strstr(titles("hjemmeplejen", 0), "Online syge- og hjemmepleje med skærmbesøg"));
}
END_TEST

START_TEST(ascii_spellings)
{
	/* "aeldre" finds what "ældre" finds, and the plain word is unaffected */
	ck_assert_str_eq(titles("aeldre", 0), titles("ældre", 0));
	ck_assert(*titles("ældre", 0));
	ck_assert_str_eq(titles("skaermbesoeg", 0), titles("skærmbesøg", 0));
	ck_assert_str_eq(titles("raadgivning", 0), titles("rådgivning", 0));
}
END_TEST

START_TEST(query_syntax)
{
	char *q = NULL;
	ib_error err = {0};
	ck_assert_int_eq(ib_fts_query_build("a b", &q, &err), IB_OK);
	ck_assert_str_eq(q, "\"a\" AND \"b\"");
	free(q);
	ck_assert_int_eq(ib_fts_query_build("\"online hjemmepleje\" -robot skærm*", &q, &err),
			 IB_OK);
	ck_assert_str_eq(q, "\"online hjemmepleje\" AND \"skærm\" * NOT \"robot\"");
	free(q);
	ck_assert_int_eq(ib_fts_query_build("robot OR lift pleje", &q, &err), IB_OK);
	ck_assert_str_eq(q, "(\"robot\" OR \"lift\") AND \"pleje\"");
	free(q);
	ck_assert_int_eq(ib_fts_query_build("\"AND (", &q, &err), IB_OK);
	ck_assert_str_eq(q, "\"AND (\"");
	free(q);
	ck_assert_int_eq(ib_fts_query_build("§ 82b or", &q, &err), IB_OK);
	ck_assert_str_eq(q, "\"82b\" AND \"or\"");
	free(q);
	/* a free-standing dash or other sign is no term (it would match nothing) */
	ck_assert_int_eq(ib_fts_query_build("DigiRehab – rehabilitering", &q, &err), IB_OK);
	ck_assert_str_eq(q, "\"DigiRehab\" AND \"rehabilitering\"");
	free(q);
	ck_assert_int_eq(ib_fts_query_build("« pleje » — … € ½ ×", &q, &err), IB_OK);
	ck_assert_str_eq(q, "\"pleje\"");
	free(q);
	ck_assert_int_eq(ib_fts_query_build("– — …", &q, &err), IB_OK);
	ck_assert_ptr_null(q);
	ck_assert_int_eq(ib_fts_query_build("-robot", &q, &err), IB_EARG);
	ck_assert_str_eq(err.msg, "query has only excluded words; add a word to search for");
	/* a word given twice is searched once, in any ASCII case; words in an OR stay */
	ck_assert_int_eq(ib_fts_query_build("og og OG pleje og -robot -robot", &q, &err), IB_OK);
	ck_assert_str_eq(q, "\"og\" AND \"pleje\" NOT \"robot\"");
	free(q);
	ck_assert_int_eq(ib_fts_query_build("robot OR lift robot lift", &q, &err), IB_OK);
	ck_assert_str_eq(q, "(\"robot\" OR \"lift\") AND \"robot\" AND \"lift\"");
	free(q);
	/* the cost bound: at most 32 words, counting a phrase's words, and 1,000 bytes */
	char many[1200] = "";
	for (int i = 0; i < 300; i++)
		snprintf(many + 3 * i, sizeof many - 3 * (size_t)i, "og ");
	ck_assert_int_eq(ib_fts_query_build(many, &q, &err), IB_OK);
	ck_assert_str_eq(q, "\"og\"");
	free(q);
	static const char *const too_many[] = {
	    "a1 a2 a3 a4 a5 a6 a7 a8 a9 a10 a11 a12 a13 a14 a15 a16 a17 a18 a19 a20 a21 a22 a23 "
	    "a24 a25 a26 a27 a28 a29 a30 a31 a32 a33",
	    "\"a1 a2 a3 a4 a5 a6 a7 a8 a9 a10 a11 a12 a13 a14 a15 a16 a17 a18 a19 a20 a21 a22 a23 "
	    "a24 a25 a26 a27 a28 a29 a30 a31 a32 a33\"",
	    "\"a1 a2\" a3 a4 a5 a6 a7 a8 a9 a10 a11 a12 a13 a14 a15 a16 a17 a18 a19 a20 a21 a22 "
	    "a23 "
	    "a24 a25 a26 a27 a28 a29 a30 a31 a32 -a33"};
	for (size_t i = 0; i < 3; i++) {
		ck_assert_int_eq(ib_fts_query_build(too_many[i], &q, &err), IB_EARG);
		ck_assert_str_eq(err.msg, "query has too many words (33, at most 32)");
		ck_assert_ptr_null(q);
	}
	ck_assert_int_eq(ib_fts_query_build(too_many[0] + 3, &q, &err), IB_OK);
	free(q);
	memset(many, 'a', 1001);
	many[1001] = '\0';
	ck_assert_int_eq(ib_fts_query_build(many, &q, &err), IB_EARG);
	ck_assert_str_eq(err.msg, "query too long (1001 bytes, at most 1000)");
	/* results */
	ck_assert_str_eq(titles("skærmbesøg -life", 0),
			 "Online syge- og hjemmepleje med skærmbesøg");
	ck_assert_str_eq(titles("\"særlige behov\" § 82b", 0),
			 "Tidlig indsats for voksne med særlige behov – servicelovens § 82b "
			 "(UDKAST)");
	ck_assert_str_eq(titles("Tidlig indsats for voksne med særlige behov – servicelovens § 82b",
				0),
			 "Tidlig indsats for voksne med særlige behov – servicelovens § 82b "
			 "(UDKAST)");
	ck_assert_str_eq(titles("borger.dk", 0), "Borgeradgang på socialområdet via Borger.dk");
	ck_assert_str_eq(titles("sygeplejeklinik*", 0), "Flere sygeplejeklinikker i København");
	ck_assert_str_eq(
	    titles("lift OR softwarerobotter", 0),
	    "Softwarerobotter sparer arbejdskraft|Velfærdsteknologier til handicapområdet");
	ib_error e2 = {0};
	ck_assert_int_eq(ib_store_check(sample, &e2), IB_OK);
}
END_TEST

/* ../shared/relevance/dev-queries.json: every "must" title in the top k. */
START_TEST(judged_queries)
{
	ib_buf b;
	ib_error err = {0};
	ib_buf_init(&b, 0);
	ck_assert_msg(ib_buf_read_file(&b, tu_shared("relevance/dev-queries.json"), &err) == IB_OK,
		      "%s", err.msg);
	cJSON *j = cJSON_Parse(b.z);
	ck_assert_ptr_nonnull(j);
	int k = cJSON_GetObjectItem(j, "k")->valueint;
	const cJSON *q;
	int n = 0;
	cJSON_ArrayForEach(q, cJSON_GetObjectItem(j, "queries"))
	{
		const char *query = cJSON_GetObjectItem(q, "q")->valuestring;
		char top[8192];
		snprintf(top, sizeof top, "%s", titles(query, k));
		/* compare case-insensitively, as the file says */
		for (char *c = top; *c; c++)
			if (*c >= 'A' && *c <= 'Z')
				*c = (char)(*c - 'A' + 'a');
		const cJSON *m;
		cJSON_ArrayForEach(m, cJSON_GetObjectItem(q, "must"))
		{
			char want[512];
			snprintf(want, sizeof want, "%s", m->valuestring);
			for (char *c = want; *c; c++)
				if (*c >= 'A' && *c <= 'Z')
					*c = (char)(*c - 'A' + 'a');
			ck_assert_msg(strstr(top, want) != NULL,
				      "query '%s': '%s' not in the top %d (%s)", query,
				      m->valuestring, k, top);
			n++;
		}
	}
	ck_assert_int_ge(n, 6);
	cJSON_Delete(j);
	ib_buf_free(&b);
}
END_TEST

/* A version 1 database (plain unicode61, made by ideabank 38ccc9d from the mini
 * fixture) is migrated on open: the index is rebuilt with the Danish tokenizer. */
START_TEST(migrates_version_1)
{
	ib_buf b;
	ib_error err = {0};
	ib_buf_init(&b, 0);
	ck_assert_int_eq(ib_buf_read_file(&b, tu_fixture("schema-v1.db"), &err), IB_OK);
	const char *path = tu_tmp_path("v1.db");
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(b.z, 1, b.n, f), b.n);
	fclose(f);
	ib_buf_free(&b);
	ib_store *s = NULL;
	ck_assert_msg(ib_store_open(path, &s, &err) == IB_OK, "%s", err.msg);
	ib_search_opts o = {0};
	o.query = "robot"; /* only a compound-splitting index finds this */
	ib_result *r = NULL;
	ck_assert_int_eq(ib_search(s, &o, &r, &err), IB_OK);
	ck_assert_uint_eq(r->n, 1);
	ck_assert_str_eq(r->hits[0].title, "Anvendelse af medicindispenseringsrobotter");
	ib_result_free(r);
	ck_assert_int_eq(tu_count(s, "proposal"), 5);
	ck_assert_int_eq(ib_store_check(s, &err), IB_OK);
	ib_store_close(s);
}
END_TEST

int main(void)
{
	const tu_tcase tcs[] = {
	    {.name = "words",
	     .timeout = 60,
	     .tests = TU_TESTS(stemmer_matches_snowball_vocabulary, compound_splits, short_heads,
			       derivational_stems, snippets_remembered, stems, migrates_version_1)},
	    {.name = "search",
	     .timeout = 60,
	     .setup_once = open_sample,
	     .teardown_once = close_sample,
	     .tests =
		 TU_TESTS(robot_finds_compounds, ascii_spellings, query_syntax, judged_queries)}};
	return tu_run("tokenizer", tcs, 2);
}
