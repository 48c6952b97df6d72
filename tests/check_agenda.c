/* check_agenda.c - the agenda source end to end: `fetch` of Greve's recorded agenda API
 * (285 meetings, 2022-2024) from the local test server (tests/support/fakeserver.c),
 * exact counts per outcome and reason, a second fetch that downloads nothing (all 304)
 * and leaves the database file byte-identical, a changed meeting that is fetched again,
 * the same meetings imported from disk, a Danish search that finds a Greve case, and
 * proposal identity (same titles in two catalogues, alternatives of one case). */
#include <check.h>
#include <glob.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <cJSON.h>
#include <sqlite3.h>

#include "fakeserver.h"
#include "ideabank.h"
#include "ideabank/agenda.h"
#include "testutil.h"

static fs_server *srv;
static ib_store *s;
static char db_path[1024];

/* Two attachments the test server serves (seed documents stand in for the real PDFs):
 * "Kan-skal-katalog - ØU" of 22 April 2024 and "Direktionens budgetforslag 2025-28" of
 * 4 September 2024.  Every other proposal attachment answers 404. */
#define ATT_CATALOGUE "5fac11ce-197e-454b-b4f1-8e2aa4abbbde"
#define ATT_BUDGET "1e8d0478-3f25-427b-8a75-822f4d58e157"

static void serve_seed(const char *id, const char *seed)
{
	ib_buf b;
	ib_error err = {0};
	ib_buf_init(&b, 0);
	char path[256];
	snprintf(path, sizeof path, "data/seeds/%s", seed);
	ck_assert_msg(ib_buf_read_file(&b, path, &err) == IB_OK, "%s", err.msg);
	snprintf(path, sizeof path, "/vis/pdf/bilag/%s/", id);
	fs_file(srv, path, b.z, b.n, "application/pdf");
	ib_buf_free(&b);
}

static void setup(void)
{
	srv = fs_start(tu_shared(""));
	ck_assert_msg(srv != NULL, "cannot start the test server (shared data at %s)",
		      tu_shared(""));
	snprintf(db_path, sizeof db_path, "%s", tu_tmp_path("agenda.db"));
	ib_error err = {0};
	ck_assert_int_eq(ib_store_open(db_path, &s, &err), IB_OK);
	const char *ref[] = {"data/kommuner.csv"};
	ck_assert_msg(ib_import_files(s, ref, 1, NULL, &err) == IB_OK, "%s", err.msg);
	serve_seed(ATT_CATALOGUE, "000_23be4988dae89e7a.txt");
	serve_seed(ATT_BUDGET, "002_d8b1185091388949.txt");
}

static void teardown(void)
{
	ib_store_close(s);
	fs_stop(srv);
}

static const char *config(void)
{
	static char buf[2048];
	snprintf(buf, sizeof buf,
		 "{\"sources\": [{\"name\": \"greve\", \"agenda\": "
		 "\"http://127.0.0.1:%d/api/agenda\", \"kommunekode\": \"253\", \"from\": "
		 "\"2022-01-01\", \"to\": \"2024-12-31\", \"delay_ms\": 0, \"enabled\": false}]}",
		 fs_port(srv));
	return buf;
}

static ib_fetch_opts opts(const char *cache)
{
	ib_fetch_opts o;
	ib_fetch_opts_default(&o);
	o.config = config();
	o.config_name = "test.json";
	static const char *only[] = {"greve"};
	o.only = only;
	o.n_only = 1;
	o.http.timeout_ms = 10000;
	o.http.backoff_ms = 5;
	o.http.cache_dir = cache;
	return o;
}

static long reason_count(const ib_agenda_report *r, const char *outcome, const char *code)
{
	for (size_t i = 0; i < r->n_reasons; i++)
		if (!strcmp(r->reasons[i].outcome, outcome) && !strcmp(r->reasons[i].code, code))
			return r->reasons[i].n;
	return 0;
}

/* The expected outcome of the whole Greve agenda, for fetch and import alike: items
 * per outcome and reason code (data/agenda_reasons.csv). */
static const struct {
	const char *outcome, *code;
	long n;
} expected[] = {
    {"skipped", "construction_pool", 315},
    {"skipped", "agenda_business", 1414},
    {"skipped", "no_measure", 1304},
    {"skipped", "no_yearly_amount", 230},
    {"proposal", "text", 273},
    {"skipped", "loan_guarantee", 75},
    {"skipped", "external_funding", 97},
    {"skipped", "grant", 176},
    {"flagged", "table", 33},
    {"skipped", "budget_overview", 284},
    {"skipped", "totals_only", 60},
    {"proposal", "table+text", 24},
    {"proposal", "table", 4},
};

static void check_counts(const ib_agenda_report *a)
{
	/* on a difference, the whole table as it came out (to compare with expected[]) */
	int same = a->n_reasons == sizeof expected / sizeof expected[0];
	for (size_t i = 0; same && i < a->n_reasons; i++)
		same = reason_count(a, expected[i].outcome, expected[i].code) == expected[i].n;
	for (size_t i = 0; !same && i < a->n_reasons; i++)
		fprintf(stderr, "    {\"%s\", \"%s\", %ld},\n", a->reasons[i].outcome,
			a->reasons[i].code, a->reasons[i].n);
	if (!same)
		fprintf(stderr, "cases %ld, stored %ld, items %ld/%ld/%ld\n", a->cases,
			a->cases_stored, a->proposals, a->flagged, a->skipped);
	ck_assert_int_eq(a->meetings, 285);
	ck_assert_int_eq(a->items, 4289);
	ck_assert_int_eq(a->cases, 1256);
	ck_assert_int_eq(a->cases_stored, 74);
	ck_assert_int_eq(a->proposals, 301);
	ck_assert_int_eq(a->flagged, 33);
	ck_assert_int_eq(a->skipped, 3955);
	long sum = 0;
	for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
		long n = reason_count(a, expected[i].outcome, expected[i].code);
		ck_assert_msg(n == expected[i].n, "%s '%s': %ld items, expected %ld",
			      expected[i].outcome, expected[i].code, n, expected[i].n);
		sum += n;
	}
	ck_assert_int_eq(sum, 4289);
	ck_assert_uint_eq(a->n_reasons, sizeof expected / sizeof expected[0]);
}

/* ---- the gold ----------------------------------------------------------------- */

/* The gold files: $IDEABANK_AGENDA_GOLD (paths separated by ':'; the labellers' files
 * while they work), else tests/gold/greve-agenda.json (the first 30 cases) and after it
 * every other tests/gold/greve*.json in name order.  A later file's record of a case
 * replaces an earlier one's (a review relabels the first 30). */
static size_t gold_files(char ***out)
{
	const char *env = getenv("IDEABANK_AGENDA_GOLD");
	char **v = NULL;
	size_t n = 0;
	if (env && *env) {
		char *copy = strdup(env), *save = NULL;
		for (char *t = strtok_r(copy, ":", &save); t; t = strtok_r(NULL, ":", &save)) {
			v = realloc(v, (n + 1) * sizeof *v);
			v[n++] = strdup(t);
		}
		free(copy);
	} else {
		static const char first[] = "tests/gold/greve-agenda.json";
		glob_t g;
		if (glob("tests/gold/greve*.json", 0, NULL, &g) == 0) {
			for (int pass = 0; pass < 2; pass++)
				for (size_t i = 0; i < g.gl_pathc; i++) {
					if ((pass == 0) != !strcmp(g.gl_pathv[i], first))
						continue;
					v = realloc(v, (n + 1) * sizeof *v);
					v[n++] = strdup(g.gl_pathv[i]);
				}
			globfree(&g);
		}
	}
	*out = v;
	return n;
}

/* The field kinds scored, in the order they are printed. */
enum {
	F_CLASS,
	F_REASON,
	F_COMMITTEES,
	F_ALTERNATIVES,
	F_ADOPTED,
	F_NET,
	F_NET_YEARS,
	F_CONSTRUCTION,
	F_ONE_OFF,
	F_WITHIN_FRAME,
	F_KINDS
};
static const char *const field_names[F_KINDS] = {
    "classification", "reason",	      "committees",	 "alternatives", "adopted",
    "net_kr",	      "net_kr years", "construction_kr", "one_off",	 "within_frame"};

typedef struct score {
	int fields, matched, classes_wrong, cases;
	int n[F_KINDS], ok[F_KINDS];
} score;

static void field(score *sc, int kind, int ok, const char *the_case, const char *want,
		  const char *got)
{
	sc->fields++;
	sc->n[kind]++;
	if (ok) {
		sc->matched++;
		sc->ok[kind]++;
	} else if (getenv("IDEABANK_AGENDA_GOLD_VERBOSE")) {
		fprintf(stderr, "gold mismatch: %s %s: want %s, got %s\n", the_case,
			field_names[kind], want, got);
	}
}

static const char *yes_no(int v)
{
	return v == IB_ADOPTED_YES ? "yes" : v == IB_ADOPTED_NO ? "no" : "unknown";
}

/* Whether a gold reason is one of SPEC.md's codes (the first 30 cases carry free text). */
static int is_code(const char *z)
{
	static const char *const codes[] = {"table",
					    "text",
					    "table+text",
					    "agenda_business",
					    "budget_overview",
					    "loan_guarantee",
					    "grant",
					    "external_funding",
					    "construction_pool",
					    "totals_only",
					    "no_yearly_amount",
					    "no_measure"};
	for (size_t i = 0; z && i < sizeof codes / sizeof codes[0]; i++)
		if (!strcmp(z, codes[i]))
			return 1;
	return 0;
}

/* The items of the report that belong to gold case key k: its case number, or an item
 * without one named "MEETING#punkt-N" (or "MEETING#N"). */
static size_t case_items(const ib_agenda_report *rep, const char *k, const ib_agenda_item_out **v,
			 size_t max)
{
	size_t n = 0;
	const char *hash = strchr(k, '#');
	for (size_t i = 0; i < rep->n_out && n < max; i++) {
		const ib_agenda_item_out *o = &rep->out[i];
		int mine = 0;
		if (!hash) {
			mine = o->case_number && !strcmp(o->case_number, k);
		} else if (!o->case_number) {
			const char *no = hash + 1;
			if (!strncmp(no, "punkt-", 6))
				no += 6;
			mine = strlen(o->meeting_id) == (size_t)(hash - k) &&
			       !strncmp(o->meeting_id, k, (size_t)(hash - k)) &&
			       !strcmp(o->item, no);
		}
		if (mine)
			v[n++] = o;
	}
	return n;
}

/* The stored case key of gold key k ("MEETING#N" is stored "MEETING#punkt-N"). */
static void stored_key(const char *k, char *out, size_t n)
{
	const char *hash = strchr(k, '#');
	if (hash && strncmp(hash + 1, "punkt-", 6))
		snprintf(out, n, "%.*s#punkt-%s", (int)(hash - k), k, hash + 1);
	else
		snprintf(out, n, "%s", k);
}

/* The yearly table of one stored proposal against the gold's net (and construction)
 * per year: each year's net, no year with a net that the gold lacks, the construction
 * amounts, one_off and within_frame. */
static void compare_money(score *sc, const char *k, const char *variant, const cJSON *gold_case,
			  const cJSON *nets, const ib_proposal *p)
{
	char what[256], want[64], got[64];
	const cJSON *y;
	int extra = 0;
	cJSON_ArrayForEach(y, nets)
	{
		const ib_proposal_year *py = NULL;
		for (size_t i = 0; p && i < p->n_years; i++)
			if (p->years[i].year == atoi(y->string))
				py = &p->years[i];
		double v = py && !ib_is_na(py->net) ? round(py->net * 1000.0) : NAN;
		snprintf(what, sizeof what, "%s%s%s", k, variant ? " " : "",
			 variant ? variant : "");
		snprintf(want, sizeof want, "%s: %.0f", y->string, y->valuedouble);
		snprintf(got, sizeof got, "%s: %.0f", y->string, v);
		field(sc, F_NET, !isnan(v) && v == round(y->valuedouble), what, want, got);
	}
	for (size_t i = 0; p && i < p->n_years; i++)
		if (!ib_is_na(p->years[i].net)) {
			char yy[16];
			snprintf(yy, sizeof yy, "%d", p->years[i].year);
			extra += cJSON_GetObjectItemCaseSensitive(nets, yy) == NULL;
		}
	snprintf(got, sizeof got, "%d year(s) more", extra);
	field(sc, F_NET_YEARS, p && !extra, k, "no other year", got);
	/* construction per year, when the gold or the proposal states any */
	const cJSON *cons = cJSON_GetObjectItemCaseSensitive(gold_case, "construction_kr");
	int n_got = 0, same = 1, n_want = cJSON_GetArraySize(cons);
	for (size_t i = 0; p && i < p->n_years; i++) {
		if (ib_is_na(p->years[i].investment))
			continue;
		n_got++;
		char yy[16];
		snprintf(yy, sizeof yy, "%d", p->years[i].year);
		const cJSON *w = cJSON_GetObjectItemCaseSensitive(cons, yy);
		same &= w && round(w->valuedouble) == round(p->years[i].investment * 1000.0);
	}
	if (n_want || n_got) {
		snprintf(want, sizeof want, "%d year(s)", n_want);
		snprintf(got, sizeof got, "%d year(s)", n_got);
		field(sc, F_CONSTRUCTION, same && n_got == n_want, k, want, got);
	}
	static const struct {
		const char *key;
		int kind;
	} flags[] = {{"one_off", F_ONE_OFF}, {"within_frame", F_WITHIN_FRAME}};
	for (size_t f = 0; f < 2; f++) {
		const cJSON *w = cJSON_GetObjectItemCaseSensitive(gold_case, flags[f].key);
		if (!cJSON_IsBool(w))
			continue;
		int has = 0;
		for (size_t i = 0; p && i < p->n_flags; i++)
			has |= !strcmp(p->flags[i].code, flags[f].key);
		field(sc, flags[f].kind, p && has == cJSON_IsTrue(w), k,
		      cJSON_IsTrue(w) ? "true" : "false", has ? "true" : "false");
	}
}

/* Hold the cases of the import in rep (and the store) against the gold files (made by
 * hand from the case HTML, ../shared/gold/SPEC.md): classification, reason code,
 * committees (in order of first appearance), alternatives, adopted (per alternative),
 * net per budget year in kr (and no other year), construction per year, one_off and
 * within_frame. */
static score compare_gold(const ib_agenda_report *rep)
{
	score sc;
	memset(&sc, 0, sizeof sc);
	char **files = NULL;
	size_t n_files = gold_files(&files);
	cJSON *merged = cJSON_CreateObject();
	for (size_t f = 0; f < n_files; f++) {
		ib_buf b;
		ib_error err = {0};
		ib_buf_init(&b, 0);
		ck_assert_msg(ib_buf_read_file(&b, files[f], &err) == IB_OK, "%s", err.msg);
		cJSON *root = cJSON_Parse(b.z);
		ck_assert_msg(root != NULL, "%s: not JSON", files[f]);
		const cJSON *c;
		cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(root, "cases"))
		{
			const char *k = cJSON_GetObjectItemCaseSensitive(c, "case")->valuestring;
			cJSON_DeleteItemFromObjectCaseSensitive(merged, k);
			cJSON_AddItemToObject(merged, k, cJSON_Duplicate(c, 1));
		}
		cJSON_Delete(root);
		ib_buf_free(&b);
		free(files[f]);
	}
	free(files);
	const cJSON *c;
	cJSON_ArrayForEach(c, merged)
	{
		const char *k = c->string;
		const char *cls =
		    cJSON_GetObjectItemCaseSensitive(c, "classification")->valuestring;
		const cJSON *why = cJSON_GetObjectItemCaseSensitive(c, "reason");
		const ib_agenda_item_out *items[64];
		size_t n_items = case_items(rep, k, items, 64);
		ck_assert_msg(n_items > 0, "gold case %s: no item of the import has it", k);
		sc.cases++;
		const char *got_cls = strcmp(items[0]->outcome, "skipped") ? "proposal" : "skipped";
		field(&sc, F_CLASS, !strcmp(cls, got_cls), k, cls, got_cls);
		if (strcmp(cls, got_cls)) {
			sc.classes_wrong++;
			if (getenv("IDEABANK_AGENDA_GOLD_VERBOSE"))
				fprintf(stderr,
					"gold: %s is %s (%s), the import says %s (%s): %s\n", k,
					cls, cJSON_IsString(why) ? why->valuestring : "", got_cls,
					items[0]->code, items[0]->explain);
		}
		if (cJSON_IsString(why) && is_code(why->valuestring))
			field(&sc, F_REASON, !strcmp(why->valuestring, items[0]->code), k,
			      why->valuestring, items[0]->code);
		/* committees in order of first appearance (a meeting's items of one day may
		   come in either order) */
		const cJSON *cm = cJSON_GetObjectItemCaseSensitive(c, "committees");
		int ok = 1, m = cJSON_GetArraySize(cm);
		const char *prev = "";
		for (int i = 0; i < m && ok; i++) {
			const char *name = cJSON_GetArrayItem(cm, i)->valuestring, *first = NULL;
			for (size_t j = 0; j < n_items; j++)
				if (!strcmp(items[j]->committee, name) &&
				    (!first || strcmp(items[j]->date, first) < 0))
					first = items[j]->date;
			ok = first && strcmp(first, prev) >= 0;
			prev = first ? first : prev;
		}
		for (size_t j = 0; j < n_items && ok; j++) {
			int named = 0;
			for (int i = 0; i < m && !named; i++)
				named = !strcmp(cJSON_GetArrayItem(cm, i)->valuestring,
						items[j]->committee);
			ok = named;
		}
		field(&sc, F_COMMITTEES, ok, k, "the gold's committees",
		      ok ? "the same" : "others");
		if (strcmp(cls, "proposal"))
			continue;
		/* the stored proposals of the case */
		char key[256], sql[512];
		stored_key(k, key, sizeof key);
		ib_proposal *props[8];
		size_t n_p = 0;
		snprintf(sql, sizeof sql,
			 "SELECT coalesce(group_concat(id, ' '), '') FROM (SELECT id FROM proposal"
			 " WHERE case_key = '%s' ORDER BY id)",
			 key);
		char ids[256];
		snprintf(ids, sizeof ids, "%s", tu_text(s, sql));
		for (char *t = strtok(ids, " "); t && n_p < 8; t = strtok(NULL, " ")) {
			ib_error err = {0};
			ck_assert_int_eq(ib_store_get_proposal(s, atoll(t), &props[n_p], &err),
					 IB_OK);
			n_p++;
		}
		const cJSON *alts = cJSON_GetObjectItemCaseSensitive(c, "alternatives");
		int n_alt = cJSON_GetArraySize(alts);
		int alt_ok = n_p == (size_t)(n_alt ? n_alt : 1);
		for (int i = 0; i < n_alt && alt_ok; i++) {
			const char *v =
			    cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(alts, i), "variant")
				->valuestring;
			int found = 0;
			for (size_t j = 0; j < n_p && !found; j++)
				found = props[j]->variant && !strcasecmp(props[j]->variant, v);
			alt_ok = found;
		}
		char want[32], got[32];
		snprintf(want, sizeof want, "%d", n_alt ? n_alt : 1);
		snprintf(got, sizeof got, "%zu", n_p);
		field(&sc, F_ALTERNATIVES, alt_ok, k, want, got);
		if (!n_alt) {
			const ib_proposal *p = n_p ? props[0] : NULL;
			const char *ad =
			    cJSON_GetObjectItemCaseSensitive(c, "adopted")->valuestring;
			field(&sc, F_ADOPTED, p && !strcmp(ad, yes_no(p->adopted)), k, ad,
			      p ? yes_no(p->adopted) : "none");
			compare_money(&sc, k, NULL, c,
				      cJSON_GetObjectItemCaseSensitive(c, "net_kr"), p);
		}
		const cJSON *a;
		cJSON_ArrayForEach(a, alts)
		{
			const char *v = cJSON_GetObjectItemCaseSensitive(a, "variant")->valuestring;
			const ib_proposal *p = NULL;
			for (size_t j = 0; j < n_p && !p; j++)
				if (props[j]->variant && !strcasecmp(props[j]->variant, v))
					p = props[j];
			const cJSON *ad = cJSON_GetObjectItemCaseSensitive(a, "adopted");
			if (cJSON_IsString(ad))
				field(&sc, F_ADOPTED,
				      p && !strcmp(ad->valuestring, yes_no(p->adopted)), k,
				      ad->valuestring, p ? yes_no(p->adopted) : "none");
			compare_money(&sc, k, v, c, cJSON_GetObjectItemCaseSensitive(a, "net_kr"),
				      p);
		}
		for (size_t j = 0; j < n_p; j++)
			ib_proposal_free(props[j]);
	}
	cJSON_Delete(merged);
	fprintf(stderr,
		"gold: %d cases, %d of %d fields match (%.1f %%), %d classifications wrong\n",
		sc.cases, sc.matched, sc.fields, sc.fields ? 100.0 * sc.matched / sc.fields : 0.0,
		sc.classes_wrong);
	for (int i = 0; i < F_KINDS; i++)
		fprintf(stderr, "gold:   %-16s %4d of %4d\n", field_names[i], sc.ok[i], sc.n[i]);
	return sc;
}

/* Change one recorded meeting: its body with every "Godkendt." decision made "Ikke
 * godkendt." (served instead of the recorded answer). */
static void change_meeting(const char *id)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/data/greve-agendas/dagsorden/%s.json.gz", tu_shared(""),
		 id);
	gzFile f = gzopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	ib_buf b, out;
	ib_buf_init(&b, 0);
	ib_buf_init(&out, 0);
	char chunk[65536];
	int k;
	while ((k = gzread(f, chunk, sizeof chunk)) > 0)
		ib_buf_add(&b, chunk, (size_t)k);
	gzclose(f);
	const char *p = b.z, *hit;
	while ((hit = strstr(p, "Godkendt."))) {
		ib_buf_add(&out, p, (size_t)(hit - p));
		ib_buf_adds(&out, "Ikke godkendt.");
		p = hit + 9;
	}
	ib_buf_adds(&out, p);
	snprintf(path, sizeof path, "/api/agenda/dagsorden/%s", id);
	fs_file(srv, path, out.z, out.n, "application/json; charset=utf-8");
	ib_buf_free(&b);
	ib_buf_free(&out);
}

START_TEST(greve_fetch_incremental)
{
	const char *cache = tu_tmp_path("cache");
	ib_fetch_opts o = opts(cache);
	ib_fetch_report rep;
	ib_error err = {0};
	int rc = ib_fetch_run(s, &o, &rep, &err);
	ck_assert_msg(rc == IB_OK, "fetch: %s", err.msg);
	ck_assert_uint_eq(rep.n, 1);
	ck_assert_ptr_nonnull(rep.src[0].agenda);
	check_counts(rep.src[0].agenda);
	const ib_agenda_report *a = rep.src[0].agenda;
	/* the committee list, 285 meetings, and the proposal attachments one by one */
	ck_assert_int_eq(fs_requests(srv, "/api/agenda/udvalgsliste"), 1);
	ck_assert_int_eq(fs_requests(srv, "/api/agenda/dagsorden/"), 285);
	ck_assert_int_eq(fs_requests(srv, "/vis/pdf/bilag/"), (long)a->n_att);
	ck_assert_int_eq(rep.src[0].attachments_read, 2);
	ck_assert_uint_eq(rep.src[0].n_notes, a->n_att - 2);
	ck_assert_int_eq(tu_count(s, "agenda_meeting"), 285);
	ck_assert_int_eq(tu_count(s, "agenda_item"), 4289);
	ck_assert_str_eq(tu_text(s, "SELECT count(*) FROM proposal WHERE kommunekode=253"
				    " AND case_key IS NOT NULL"),
			 tu_text(s, "SELECT count(*) FROM proposal WHERE case_key IS NOT NULL"));
	ck_assert_int_eq(ib_store_check(s, &err), IB_OK);
	/* the hand-made gold (tests/gold/greve*.json, or $IDEABANK_AGENDA_GOLD while the
	   labellers work): the score is printed per field kind; the committed gold's exact
	   figures are held so that a change shows */
	/* the hand-made gold (tests/gold/greve*.json, or $IDEABANK_AGENDA_GOLD): the score is
	   printed per field kind; the committed gold's exact figures are held so that a
	   change shows */
	score sc = compare_gold(a);
	if (!getenv("IDEABANK_AGENDA_GOLD")) {
		ck_assert_int_eq(sc.cases, 518);
		ck_assert_int_eq(sc.fields, 2200);
		ck_assert_int_eq(sc.matched, 1806);
		ck_assert_int_eq(sc.classes_wrong, 22);
	}
	ib_fetch_report_free(&rep);

	/* the second fetch: a new session (the front page), everything else answers 304,
	 * nothing is written */
	char before[65];
	snprintf(before, sizeof before, "%s", tu_file_sha(db_path));
	long bytes = fs_bytes_sent(srv);
	rc = ib_fetch_run(s, &o, &rep, &err);
	ck_assert_msg(rc == IB_OK, "second fetch: %s", err.msg);
	ck_assert_int_eq(rep.src[0].unchanged, 1);
	ck_assert_int_eq(rep.src[0].not_modified, 286);
	ck_assert_int_eq(rep.src[0].requests, 287);
	ck_assert_int_eq(fs_bytes_sent(srv), bytes);
	ck_assert_str_eq(tu_file_sha(db_path), before);
	ib_fetch_report_free(&rep);

	/* a meeting that changed is downloaded again and its case updated */
	const char *changed = "8104a4a0-8a0e-40db-a0d7-7f5d6bb6acd3";
	change_meeting(changed);
	rc = ib_fetch_run(s, &o, &rep, &err);
	ck_assert_msg(rc == IB_OK, "third fetch: %s", err.msg);
	ck_assert_int_eq(rep.src[0].unchanged, 0);
	/* the list, the 284 other meetings and the changed meeting's attachment served
	   before answer 304; only the changed meeting is stored again (its cases derived
	   from every meeting stored) */
	ck_assert_int_eq(rep.src[0].not_modified, 286);
	ck_assert_int_eq(rep.src[0].agenda->meetings, 1);
	ck_assert_str_eq(tu_text(s, "SELECT count(*) FROM fetch_log WHERE url LIKE"
				    " '%/dagsorden/8104a4a0-8a0e-40db-a0d7-7f5d6bb6acd3'"),
			 "2");
	ck_assert_str_eq(tu_text(s,
				 "SELECT m.sha256 = f.sha256 FROM agenda_meeting m JOIN fetch_log f"
				 " ON f.id = m.fetch_id WHERE m.meeting_id ="
				 " '8104a4a0-8a0e-40db-a0d7-7f5d6bb6acd3'"),
			 "1");
	ck_assert_str_eq(
	    tu_text(s, "SELECT max(id) = (SELECT fetch_id FROM agenda_meeting WHERE"
		       " meeting_id = '8104a4a0-8a0e-40db-a0d7-7f5d6bb6acd3') FROM"
		       " fetch_log WHERE url LIKE '%8104a4a0-8a0e-40db-a0d7-7f5d6bb6acd3'"),
	    "1");
	ck_assert_int_eq(ib_store_check(s, &err), IB_OK);
	ib_fetch_report_free(&rep);
}
END_TEST

START_TEST(greve_import_from_disk)
{
	const char *dir[] = {tu_shared("data/greve-agendas/dagsorden")};
	ib_agenda_report a;
	ib_error err = {0};
	int rc = ib_agenda_import(s, "Greve", dir, 1, &a, &err);
	ck_assert_msg(rc == IB_OK, "import: %s", err.msg);
	check_counts(&a);
	ck_assert_int_eq(
	    a.proposals_new,
	    atol(tu_text(s, "SELECT count(*) FROM proposal WHERE case_key IS NOT NULL")));
	long stored = a.proposals_new;
	ib_agenda_report_free(&a);
	/* the cases are searchable in Danish: "tomgangsleje" (rent for empty homes) is in
	 * the two alternatives of 23-003614, in Freyas Kvarter's text and in the municipal
	 * allocation of homes in Askerød and Gersagerparken (23-005072) */
	ib_search_opts so = {0};
	so.query = "tomgangsleje";
	ib_result *res = NULL;
	ck_assert_int_eq(ib_search(s, &so, &res, &err), IB_OK);
	ck_assert_uint_eq(res->n, 4);
	for (size_t i = 0; i < res->n; i++)
		ck_assert_int_eq(res->hits[i].kommunekode, 253);
	ck_assert_str_eq(tu_text(s, "SELECT group_concat(title, ' | ') FROM (SELECT title FROM"
				    " proposal WHERE case_key = '23-003614' ORDER BY variant)"),
			 "Stop for visitation af plejekrævende ældre til ledige plejeboliger i"
			 " Grønlykkeparken og Dahliahuset (Model A) | Stop for visitation af"
			 " plejekrævende ældre til ledige plejeboliger i Grønlykkeparken og"
			 " Dahliahuset (Model B)");
	ib_result_free(res);
	/* again: every case unchanged */
	ck_assert_int_eq(ib_agenda_import(s, "253", dir, 1, &a, &err), IB_OK);
	ck_assert_int_eq(a.proposals_new, 0);
	ck_assert_int_eq(a.proposals_updated, 0);
	ck_assert_int_eq(a.proposals_unchanged, stored);
	ib_agenda_report_free(&a);
	ck_assert_int_eq(ib_store_check(s, &err), IB_OK);

	/* a file that is not a meeting answer, and no municipality */
	const char *bad[] = {tu_write_file("list.json", "{\"Udvalg\": {}}")};
	ck_assert_int_eq(ib_agenda_import(s, "Greve", bad, 1, &a, &err), IB_EPARSE);
	char want[1200];
	snprintf(want, sizeof want,
		 "%s: not an agenda meeting (expected Id, Udvalg.Navn, Moede.Dato and "
		 "Dagsordenpunkter)",
		 bad[0]);
	ck_assert_str_eq(err.msg, want);
	ck_assert_int_eq(ib_agenda_import(s, "Atlantis", dir, 1, &a, &err), IB_ENOTFOUND);
}
END_TEST

/* The agenda source's config errors, each before anything is fetched. */
START_TEST(agenda_config_errors)
{
	static const struct {
		const char *source, *msg;
	} cases[] = {
	    {"{\"name\": \"g\", \"agenda\": \"ftp://x/api/agenda\", \"kommunekode\": \"253\"}",
	     "test.json: source 'g': agenda: expected an http(s) URL, got 'ftp://x/api/agenda'"},
	    {"{\"name\": \"g\", \"agenda\": \"http://x/api/agenda\"}",
	     "test.json: source 'g': an agenda source needs 'kommunekode': a 3-digit code as a "
	     "string"},
	    {"{\"name\": \"g\", \"agenda\": \"http://x/api/agenda\", \"kommunekode\": \"253\","
	     " \"from\": \"1/1/2022\"}",
	     "test.json: source 'g': expected a date like 2022-01-01, got '1/1/2022'"},
	    {"{\"name\": \"g\", \"agenda\": \"http://x/api/agenda\", \"kommunekode\": \"253\","
	     " \"delay_ms\": -1}",
	     "test.json: source 'g': delay_ms: expected 0 to 60000"},
	    {"{\"name\": \"g\", \"agenda\": \"http://x/api/agenda\", \"kommunekode\": \"253\","
	     " \"enabled\": \"no\"}",
	     "test.json: source 'g': enabled: expected true or false"},
	    {"{\"name\": \"g\", \"agenda\": \"http://x/api/agenda\", \"feed\": \"http://x/f\"}",
	     "test.json: source 'g': give exactly one of 'statbank', 'feed', 'document' and "
	     "'agenda'"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char cfg[1024];
		snprintf(cfg, sizeof cfg, "{\"sources\": [%s]}", cases[i].source);
		ib_fetch_opts o = opts(NULL);
		o.config = cfg;
		o.n_only = 0;
		ib_fetch_report rep;
		ib_error err = {0};
		ck_assert_int_eq(ib_fetch_run(s, &o, &rep, &err), IB_EPARSE);
		ck_assert_str_eq(err.msg, cases[i].msg);
		ib_fetch_report_free(&rep);
	}
	/* a source that is not enabled is not fetched without --only */
	char cfg[1024];
	snprintf(cfg, sizeof cfg,
		 "{\"sources\": [{\"name\": \"g\", \"agenda\": \"http://127.0.0.1:%d/api/agenda\","
		 " \"kommunekode\": \"253\", \"enabled\": false}]}",
		 fs_port(srv));
	ib_fetch_opts o = opts(NULL);
	o.config = cfg;
	o.n_only = 0;
	ib_fetch_report rep;
	ib_error err = {0};
	ck_assert_int_eq(ib_fetch_run(s, &o, &rep, &err), IB_OK);
	ck_assert_uint_eq(rep.n, 0);
	ck_assert_int_eq(fs_requests(srv, "/"), 0);
	ib_fetch_report_free(&rep);
	/* a committee filter and a date range: Økonomiudvalget's meetings of 2024 */
	snprintf(
	    cfg, sizeof cfg,
	    "{\"sources\": [{\"name\": \"g\", \"agenda\": \"http://127.0.0.1:%d/api/agenda\","
	    " \"kommunekode\": \"253\", \"from\": \"2024-01-01\", \"to\": \"2024-12-31\","
	    " \"committees\": [\"økonomiudvalget\"], \"delay_ms\": 0, \"attachments\": false}]}",
	    fs_port(srv));
	o.config = cfg;
	ck_assert_int_eq(ib_fetch_run(s, &o, &rep, &err), IB_OK);
	ck_assert_int_eq(rep.src[0].agenda->meetings, 13);
	ck_assert_int_eq(fs_requests(srv, "/api/agenda/dagsorden/"), 13);
	ck_assert_int_eq(fs_requests(srv, "/vis/pdf/bilag/"), 0);
	ck_assert_str_eq(tu_text(s, "SELECT count(DISTINCT committee) || ' ' || min(date) || ' ' ||"
				    " max(date) FROM agenda_meeting"),
			 "1 2024-01-24 2024-11-27");
	ib_fetch_report_free(&rep);
}
END_TEST

/* Run the built tool on the test's database; its output and exit code. */
static const char *run_tool(const char *args)
{
	return tu_run_tool(NULL, db_path, args, NULL);
}

/* `ideabank fetch --only` end to end: the counts it prints, then "unchanged" */
START_TEST(tool_fetch)
{
	char cfg_text[1024];
	snprintf(cfg_text, sizeof cfg_text,
		 "{\"sources\": [{\"name\": \"greve\", \"agenda\": "
		 "\"http://127.0.0.1:%d/api/agenda\", \"kommunekode\": \"253\", \"from\": "
		 "\"2024-11-01\", \"committees\": [\"Økonomiudvalget\"], \"attachments\": false,"
		 " \"enabled\": false}]}",
		 fs_port(srv));
	const char *cfg = tu_write_file("sources.json", cfg_text);
	char args[1200];
	snprintf(args, sizeof args, "fetch --config '%s' --only greve --cache '%s' --delay-ms 0",
		 cfg, tu_tmp_path("toolcache"));
	char want[2048];
	snprintf(
	    want, sizeof want,
	    "greve: agenda http://127.0.0.1:%d/api/agenda (kommune 253): 2 new proposals, 0 "
	    "updated, 0 unchanged; 4 requests, 400 KB\n"
	    "greve: agenda: 2 meetings, 38 items: 2 stored in proposals, 36 skipped; 2 of 35 cases "
	    "stored\n"
	    "greve: skipped    6  frigivelse, bevilling eller flytning af anlægsmidler eller en "
	    "pulje uden driftseffekt pr. år (construction_pool)\n"
	    "greve: skipped   11  dagsordenens punkter: godkendelse, meddelelser, lukkede punkter, "
	    "valg og navne (agenda_business)\n"
	    "greve: skipped   10  intet tiltag med egen økonomi (orientering, status, drøftelse, "
	    "høring, plan) (no_measure)\n"
	    "greve: skipped    3  budgettet, budgetproces, opfølgning, oversigt, overførsel eller "
	    "regnskab (budget_overview)\n"
	    "greve: skipped    4  tilskud til en forening eller en anden ekstern part (grant)\n"
	    "greve: skipped    1  beløb, der ikke er tiltagets nettoøkonomi pr. budgetår (priser, "
	    "tidligere år, andres budget, allerede afsatte midler) (no_yearly_amount)\n"
	    "greve: skipped    1  betalt udefra: ingen nettoøkonomi for kommunen "
	    "(external_funding)\n"
	    "exit 0\n",
	    fs_port(srv));
	ck_assert_str_eq(run_tool(args), want);
	ck_assert_str_eq(run_tool(args),
			 "greve: unchanged (4 requests, 3 answered 304 Not Modified)\nexit 0\n");
	/* without --only the source, which is not enabled, is left alone */
	snprintf(args, sizeof args, "fetch --config '%s' --no-cache", cfg);
	ck_assert_str_eq(run_tool(args), "exit 0\n");
	ck_assert_int_eq(fs_requests(srv, "/api/agenda/udvalgsliste"), 2);
}
END_TEST

/* Attachments are downloaded before the store is taken: while one is on its way (the
 * test server holds it for 3 s) the fetch has no transaction open, and another writer
 * gets the database at once. */
START_TEST(attachments_before_the_transaction)
{
	char cfg_text[1024];
	snprintf(cfg_text, sizeof cfg_text,
		 "{\"sources\": [{\"name\": \"greve\", \"agenda\": "
		 "\"http://127.0.0.1:%d/api/agenda\", \"kommunekode\": \"253\", \"from\": "
		 "\"2024-09-01\", \"to\": \"2024-09-06\", \"delay_ms\": 0}]}",
		 fs_port(srv));
	const char *cfg = tu_write_file("sources.json", cfg_text);
	fs_fault_set(srv, "/vis/pdf/bilag/", FS_SLOW, 3000, 1);
	const char *tool = getenv("IDEABANK");
	ck_assert_msg(tool != NULL, "set IDEABANK to the built binary (make unit does)");
	char cmd[4096];
	snprintf(cmd, sizeof cmd,
		 "exec '%s' --db '%s' fetch --config '%s' --no-cache >/dev/null 2>&1", tool,
		 db_path, cfg);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 1500 && !fs_requests(srv, "/vis/pdf/bilag/"); i++)
		usleep(20000);
	ck_assert_int_eq(fs_requests(srv, "/vis/pdf/bilag/"), 1);
	/* the first attachment is being served: the database has no writer */
	sqlite3 *db = NULL;
	ck_assert_int_eq(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	int w = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	ck_assert_msg(w == SQLITE_OK, "the fetch holds the database while it downloads: %s",
		      sqlite3_errmsg(db));
	ck_assert_int_eq(sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	int status = 0;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* then everything stored: the meeting of 4 September 2024 and the proposals of
	   its budget attachment (its URL their source), the other attachments noted */
	ck_assert_str_eq(tu_text(s, "SELECT count(*) FROM agenda_meeting"), "2");
	ck_assert_str_eq(tu_text(s, "SELECT count(*) > 0 FROM proposal WHERE source LIKE"
				    " '%/vis/pdf/bilag/" ATT_BUDGET "/%'"),
			 "1");
	ck_assert_int_eq(fs_requests(srv, "/vis/pdf/bilag/"), 1);
	ib_error err = {0};
	ck_assert_int_eq(ib_store_check(s, &err), IB_OK);
}
END_TEST

/* Two sources on one host are one session at one pace: one front page, and the
 * host's delay between every two requests, also from the one source to the next. */
START_TEST(one_host_one_pace)
{
	char cfg[2048];
	snprintf(cfg, sizeof cfg,
		 "{\"sources\": [{\"name\": \"greve-oeu\", \"agenda\":"
		 " \"http://127.0.0.1:%d/api/agenda\", \"kommunekode\": \"253\", \"from\":"
		 " \"2024-11-01\", \"to\": \"2024-11-30\", \"committees\":"
		 " [\"Økonomiudvalget\"], \"delay_ms\": 250, \"attachments\": false},"
		 " {\"name\": \"greve-byraad\", \"agenda\": \"http://127.0.0.1:%d/api/agenda\","
		 " \"kommunekode\": \"253\", \"from\": \"2024-11-01\", \"to\": \"2024-11-30\","
		 " \"committees\": [\"Byråd\"], \"delay_ms\": 100, \"attachments\": false}]}",
		 fs_port(srv), fs_port(srv));
	ib_fetch_opts o = opts(NULL);
	o.config = cfg;
	o.n_only = 0;
	ib_fetch_report rep;
	ib_error err = {0};
	ck_assert_msg(ib_fetch_run(s, &o, &rep, &err) == IB_OK, "%s", err.msg);
	ck_assert_uint_eq(rep.n, 2);
	ck_assert_int_eq(rep.src[0].agenda->meetings, 2);
	ck_assert_int_eq(rep.src[1].agenda->meetings, 1);
	/* one front page; the committee list twice, once per source */
	ck_assert_int_eq(fs_requests(srv, "/") - fs_requests(srv, "/api/"), 1);
	ck_assert_int_eq(fs_requests(srv, "/api/agenda/udvalgsliste"), 2);
	ck_assert_int_eq(fs_requests(srv, "/api/agenda/dagsorden/"), 3);
	/* the longer delay of the two, after every request */
	ck_assert_int_ge(fs_min_gap_ms(srv), 245);
	ib_fetch_report_free(&rep);
}
END_TEST

/* ---- other municipalities' wording ------------------------------------------- */

/* The code of the item of rep numbered no. */
static const char *code_of(const ib_agenda_report *rep, const char *no)
{
	for (size_t i = 0; i < rep->n_out; i++)
		if (!strcmp(rep->out[i].item, no))
			return rep->out[i].code;
	return "none";
}

/* A case's stored money as one line: "2025:-250 2026:-750 ..." (1.000 kr.), investment
 * after a slash, then the flags. */
static const char *money_of(const char *case_key)
{
	static char out[1024];
	char sql[1024];
	snprintf(sql, sizeof sql,
		 "SELECT coalesce((SELECT group_concat(y, ' ') FROM (SELECT year || ':' ||"
		 " coalesce(CAST(round(net) AS INTEGER), '-') || coalesce('/' ||"
		 " CAST(round(investment) AS INTEGER), '') AS y FROM proposal_year WHERE"
		 " proposal_id = p.id ORDER BY year)), '') || ' [' || coalesce((SELECT"
		 " group_concat(code, ' ') FROM (SELECT code FROM proposal_flag WHERE proposal_id ="
		 " p.id ORDER BY seq)), '') || ']' FROM proposal p WHERE case_key = '%s'",
		 case_key);
	snprintf(out, sizeof out, "%s", tu_text(s, sql));
	return out;
}

/* Invented meetings of three other municipalities (tests/fixtures/agendas: their
 * headings, units, sign legends and decision words as those municipalities print
 * them) and Middelfart's recorded answers: every item read, classified with a reason,
 * and the costed ones stored with the right money. */
START_TEST(other_municipalities)
{
	ib_agenda_report a;
	ib_error err = {0};
	const char *aarhus[] = {"tests/fixtures/agendas/aarhus"};
	ck_assert_msg(ib_agenda_import(s, "Aarhus", aarhus, 1, &a, &err) == IB_OK, "%s", err.msg);
	ck_assert_str_eq(code_of(&a, "1"), "agenda_business");
	ck_assert_str_eq(code_of(&a, "2"), "table");
	ck_assert_str_eq(code_of(&a, "3"), "text");
	ck_assert_str_eq(code_of(&a, "4"), "no_measure");
	ck_assert_str_eq(code_of(&a, "5"), "loan_guarantee");
	ib_agenda_report_free(&a);
	/* t.kr. with "+ = merudgift, - = mindreudgift": the total row */
	ck_assert_str_eq(money_of("25-000101"), "2025:-250 2026:-750 2027:-750 2028:-750 []");
	/* "450.000 kr. årligt fra 2026 ... inden for rammen": that year, a frame */
	ck_assert_str_eq(money_of("25-000102"), "2026:450 [from_text within_frame]");

	const char *vejle[] = {"tests/fixtures/agendas/vejle"};
	ck_assert_msg(ib_agenda_import(s, "Vejle", vejle, 1, &a, &err) == IB_OK, "%s", err.msg);
	ck_assert_str_eq(code_of(&a, "1"), "agenda_business");
	ck_assert_str_eq(code_of(&a, "2"), "table");
	ck_assert_str_eq(code_of(&a, "3"), "text");
	ck_assert_str_eq(code_of(&a, "4"), "budget_overview");
	/* headings in bold, "Beslutning i Økonomiudvalget": recommended on, not decided */
	ck_assert_str_eq(
	    tu_text(s, "SELECT adopted IS NULL FROM proposal WHERE case_key = '25/4410'"), "1");
	ib_agenda_report_free(&a);
	/* mio. kr., the legend after the table */
	ck_assert_str_eq(money_of("25/4410"), "2026:-500 2027:-1000 2028:-1000 2029:-1000 []");
	/* a one-off from the cash reserve: one year, no lasting effect, not a frame */
	ck_assert_str_eq(money_of("25/4411"), "2026:200 [from_text one_off]");
	ck_assert_str_eq(tu_text(s, "SELECT coalesce(effect_kr, 'ukendt') FROM proposal WHERE"
				    " case_key = '25/4411'"),
			 "ukendt");

	const char *kolding[] = {"tests/fixtures/agendas/kolding"};
	ck_assert_msg(ib_agenda_import(s, "Kolding", kolding, 1, &a, &err) == IB_OK, "%s", err.msg);
	ck_assert_str_eq(code_of(&a, "1"), "table");
	ck_assert_str_eq(code_of(&a, "2"), "external_funding");
	ck_assert_str_eq(code_of(&a, "3"), "construction_pool");
	ib_agenda_report_free(&a);
	/* a construction appropriation: the operating rows are the effect, the anlæg
	   rows the investment */
	ck_assert_str_eq(money_of("25-7701"),
			 "2026:-60/4000 2027:-120/0 2028:-120/0 2029:-120/0 [construction]");
	ck_assert_str_eq(tu_text(s, "SELECT CAST(effect_kr AS INTEGER) || ' ' ||"
				    " CAST(impl_cost_kr AS INTEGER) FROM proposal WHERE case_key ="
				    " '25-7701'"),
			 "120000 4000000");

	/* Odense-style "Forslag til afgørelse" and "Økonomi": the rule kinds of the text
	   and the item's structure, each on an invented item */
	const char *odense[] = {"tests/fixtures/agendas/odense"};
	ck_assert_msg(ib_agenda_import(s, "Odense", odense, 1, &a, &err) == IB_OK, "%s", err.msg);
	/* a range's midpoint ("mellem 80.000 og 120.000 kr. årligt fra 2026") */
	ck_assert_str_eq(code_of(&a, "1"), "text");
	/* "nedsættes til 8.000 kr.": the new level, not the change */
	ck_assert_str_eq(code_of(&a, "2"), "no_yearly_amount");
	/* an expense paid by an income appropriation of the same amount each year: a
	   table of the expense does not make it the municipality's money */
	ck_assert_str_eq(code_of(&a, "3"), "external_funding");
	/* a one-off amount without a year: the budget the case names */
	ck_assert_str_eq(code_of(&a, "4"), "text");
	/* an amount per year that no word calls anything is an expense; a budget's size
	   in the next sentence is not */
	ck_assert_str_eq(code_of(&a, "5"), "text");
	/* the year before the first amount covers the second with its own cue word */
	ck_assert_str_eq(code_of(&a, "6"), "text");
	/* contributing to an outside body's costs, and a membership fee: grants */
	ck_assert_str_eq(code_of(&a, "7"), "grant");
	ck_assert_str_eq(code_of(&a, "8"), "grant");
	/* no legend, but the rows say the sign: not flagged */
	ck_assert_str_eq(code_of(&a, "9"), "table");
	/* an expense the recommendation decides, without a year ("at der anvendes
	   40.000-60.000 kr. til …"): one budget year, the meeting's */
	ck_assert_str_eq(code_of(&a, "10"), "text");
	/* a past year's figure ("i 2024 var på") and money already granted ("af de årlige
	   bevilgede midler") are no measure's money */
	ck_assert_str_eq(code_of(&a, "11"), "no_yearly_amount");
	ck_assert_str_eq(code_of(&a, "12"), "totals_only");
	/* an evaluation decides no measure with money of its own, whatever it prints */
	ck_assert_str_eq(code_of(&a, "13"), "no_measure");
	/* money of a decision not taken here ("Hvis det besluttes at udvide projektet, skal
	   der anvises finansiering på …"), and a limit raised "fra 50.000 kr. til 100.000
	   kr." (the levels, not a change): no measure's money */
	ck_assert_str_eq(code_of(&a, "14"), "no_yearly_amount");
	ck_assert_str_eq(code_of(&a, "15"), "no_yearly_amount");
	/* operating money said after the amount ("finansieret af en konto under driften")
	   in a case whose economy section speaks of construction money */
	ck_assert_str_eq(code_of(&a, "16"), "text");
	/* money spent now goes on the meeting's year, not on a budget named elsewhere */
	ck_assert_str_eq(code_of(&a, "17"), "text");
	/* construction money the economy section speaks of, no amount of the measure's
	   own: construction_pool, not no_yearly_amount */
	ck_assert_str_eq(code_of(&a, "18"), "construction_pool");
	/* a fee's change stated for one budget year is not a one-off: the fee stays */
	ck_assert_str_eq(code_of(&a, "19"), "text");
	ck_assert_int_eq(a.flagged, 0);
	ib_agenda_report_free(&a);
	ck_assert_str_eq(money_of("25/31010"),
			 "2025:50 [from_text year_assumed one_off within_frame]");
	ck_assert_str_eq(money_of("25/31016"),
			 "2025:80 [from_text year_assumed one_off within_frame]");
	ck_assert_str_eq(money_of("25/31017"),
			 "2025:30 [from_text year_assumed one_off within_frame]");
	ck_assert_str_eq(money_of("25/31019"), "2026:200 [from_text]");
	ck_assert_str_eq(tu_text(s, "SELECT count(*) FROM proposal WHERE case_key IN"
				    " ('25/31011', '25/31012', '25/31013', '25/31014', '25/31015',"
				    " '25/31018')"),
			 "0");
	ck_assert_str_eq(money_of("25/31001"), "2026:100 [from_text]");
	ck_assert_str_eq(money_of("25/31004"), "2026:60 [from_text year_assumed one_off]");
	ck_assert_str_eq(money_of("25/31005"), "2026:45 [from_text]");
	ck_assert_str_eq(money_of("25/31006"), "2026:-700 [from_text one_off]");
	ck_assert_str_eq(money_of("25/31009"), "2026:-500 2027:-1000 []");

	/* Horsens-style bold headings: an orientation later decided; construction,
	   finance and pool tables that state no operating effect (a new-user tester saw
	   such cases stored as ideas) */
	const char *horsens[] = {"tests/fixtures/agendas/horsens"};
	ck_assert_msg(ib_agenda_import(s, "Horsens", horsens, 1, &a, &err) == IB_OK, "%s",
		      err.msg);
	/* first an orientation, then the Byråd approves the plan: a proposal */
	ck_assert_str_eq(code_of(&a, "21"), "text");
	/* a table of loan instalments and interest only: the municipality's borrowing */
	ck_assert_str_eq(code_of(&a, "22"), "loan_guarantee");
	/* with the operating saving in the text: the text's money, not the loan's */
	ck_assert_str_eq(code_of(&a, "23"), "text");
	/* a pool's disposition (the pool, what is taken, "Rest til fordeling") */
	ck_assert_str_eq(code_of(&a, "24"), "construction_pool");
	/* "Indstillingen har ikke på nuværende tidspunkt økonomiske konsekvenser": the
	   building budget under it is no measure's money */
	ck_assert_str_eq(code_of(&a, "25"), "no_yearly_amount");
	/* a construction proposal's budget table (bruttoanlægsforslag) */
	ck_assert_str_eq(code_of(&a, "26"), "construction_pool");
	/* the saving decided in the open appearance; the latest is a closed item that shows
	   its decision only ("Lukket: …"): not agenda business */
	ck_assert_str_eq(code_of(&a, "12"), "text");
	ck_assert_str_eq(code_of(&a, "27"), "text");
	/* lost income, "en mindre udgift på", "finansieres ved en reduktion af budgettet" */
	ck_assert_str_eq(code_of(&a, "28"), "text");
	/* a construction table in one appearance, the operating cost (rent) in the text of
	   another: the operating money is the net, the construction the investment */
	ck_assert_str_eq(code_of(&a, "13"), "table+text");
	ck_assert_str_eq(code_of(&a, "29"), "table+text");
	/* a grant decided in one appearance, a fuller orientation later: the appearance
	   that decides is read */
	ck_assert_str_eq(code_of(&a, "14"), "grant");
	ck_assert_str_eq(code_of(&a, "30"), "grant");
	/* an orientation titled for spending a pool ("Udmøntning af puljen …"): it
	   releases nothing, it decides no measure */
	ck_assert_str_eq(code_of(&a, "32"), "no_measure");
	/* money already set aside spent on its purpose, no yearly money of the measure's
	   own: "finansieres af de afsatte midler" in the recommendation, "de i budgettet
	   afsatte midler" in the economy section */
	ck_assert_str_eq(code_of(&a, "33"), "construction_pool");
	ck_assert_str_eq(code_of(&a, "34"), "construction_pool");
	/* an orientation from a visit to an association ("Besøg ved foreningen …") grants
	   nothing: the title's association is who was visited */
	ck_assert_str_eq(code_of(&a, "35"), "no_measure");
	/* the owner municipalities guarantee the company's loan for a commission
	   (garantiprovision): a loan guarantee, not an owner payment */
	ck_assert_str_eq(code_of(&a, "36"), "loan_guarantee");
	/* a permission ("at det tillades, at ...") decides a measure beside an orientation
	   point; its derived operating cost "3.000 kr. ekskl. moms pr. år" is yearly */
	ck_assert_str_eq(code_of(&a, "37"), "text");
	/* "1 million kr." is a unit; the consequence "for de berørte familier" is theirs,
	   not the municipality's money (25-1118 below) */
	ck_assert_str_eq(code_of(&a, "38"), "text");
	ck_assert_str_eq(code_of(&a, "39"), "text");
	ib_agenda_report_free(&a);
	ck_assert_str_eq(money_of("25-1107"), "2026:-300 [from_text]");
	ck_assert_str_eq(money_of("25-1108"), "2026:-60 [from_text within_frame]");
	ck_assert_str_eq(money_of("25-1109"), "2026:-/2000 2027:400 [from_text construction]");
	ck_assert_str_eq(money_of("25-1117"), "2025:3 [from_text year_assumed within_frame]");
	ck_assert_str_eq(money_of("25-1118"), "2026:1000 [from_text]");
	/* the committee cannot recommend it, the Byråd approves the committee's
	   recommendation: rejected (25-1101, approved outright, stays adopted) */
	ck_assert_str_eq(tu_text(s, "SELECT group_concat(case_key || ':' || adopted, ' ') FROM"
				    " (SELECT case_key, adopted FROM proposal WHERE case_key IN"
				    " ('25-1101', '25-1111') ORDER BY case_key)"),
			 "25-1101:1 25-1111:0");
	/* a decision of numbered points, "1. Taget til efterretning 2. Godkendt": the point
	   that approves decides, the orientation beside it does not undo it */
	ck_assert_str_eq(tu_text(s, "SELECT adopted FROM proposal WHERE case_key = '25-1119'"),
			 "1");
	ck_assert_str_eq(money_of("25-1119"), "2026:-200 [from_text]");
	ck_assert_str_eq(money_of("25-1101"), "2026:-800 [from_text]");
	ck_assert_str_eq(money_of("25-1103"), "2026:-900 2027:-1800 [from_text]");
	ck_assert_str_eq(tu_text(s, "SELECT count(*) FROM proposal WHERE case_key IN"
				    " ('25-1102', '25-1104', '25-1105', '25-1106', '25-1110')"),
			 "0");

	/* Middelfart: "Præsentation", "Forvaltningen indstiller", "Sagsbeskrivelse"; the
	   local plan is read and skipped with its reason */
	const char *mf[] = {tu_shared("data/other-agendas/middelfart/dagsorden")};
	ck_assert_msg(ib_agenda_import(s, "Middelfart", mf, 1, &a, &err) == IB_OK, "%s", err.msg);
	ck_assert_int_eq(a.meetings, 2);
	ck_assert_int_eq(a.items, 2);
	ck_assert_int_eq(a.cases, 1);
	ck_assert_int_eq(a.skipped, 2);
	for (size_t i = 0; i < a.n_out; i++) {
		ck_assert_str_eq(a.out[i].code, "no_measure");
		ck_assert_str_eq(a.out[i].reason,
				 "intet tiltag med egen økonomi (orientering, status,"
				 " drøftelse, høring, plan)");
		ck_assert_ptr_nonnull(strstr(a.out[i].explain, "lokalplan"));
	}
	ib_agenda_report_free(&a);
	ck_assert_int_eq(ib_store_check(s, &err), IB_OK);
}
END_TEST

/* ---- identity ------------------------------------------------------------------ */

static ib_proposal *make(const char *title, const char *source, int page, const char *ref)
{
	ib_proposal *p = ib_proposal_new();
	p->kommunekode = 253;
	p->budget_year = 2025;
	p->title = strdup(title);
	p->source = strdup(source);
	p->page = page;
	p->ref = ref ? strdup(ref) : NULL;
	p->kind = "effektivisering";
	p->effect_kr = 100000;
	return p;
}

static int put(ib_proposal *p)
{
	int result = 0;
	ib_error err = {0};
	ck_assert_msg(ib_store_put_proposal(s, p, &result, &err) == IB_OK, "%s", err.msg);
	ib_proposal_free(p);
	return result;
}

START_TEST(identity)
{
	/* the same generic title in two committees' catalogues: both kept */
	ck_assert_int_eq(
	    put(make("Effektivisering af administrationen", "katalog-ku.pdf", 3, NULL)),
	    IB_PUT_NEW);
	ck_assert_int_eq(
	    put(make("Effektivisering af administrationen", "katalog-tm.pdf", 7, NULL)),
	    IB_PUT_NEW);
	/* and twice in one catalogue, on two pages */
	ck_assert_int_eq(
	    put(make("Effektivisering af administrationen", "katalog-tm.pdf", 9, NULL)),
	    IB_PUT_NEW);
	/* the same again: unchanged; a changed effect: updated in place */
	ck_assert_int_eq(
	    put(make("Effektivisering af administrationen", "katalog-ku.pdf", 3, NULL)),
	    IB_PUT_UNCHANGED);
	ib_proposal *p = make("Effektivisering af administrationen", "katalog-ku.pdf", 3, NULL);
	p->effect_kr = 200000;
	ck_assert_int_eq(put(p), IB_PUT_UPDATED);
	/* a referenced proposal keeps its identity when its title is corrected */
	ck_assert_int_eq(put(make("Færre vikarer", "b2025.pdf", 4, "SU01")), IB_PUT_NEW);
	ck_assert_int_eq(put(make("Færre vikarer i dagplejen", "b2025.pdf", 4, "SU01")),
			 IB_PUT_UPDATED);
	/* alternatives of one case: one proposal per variant, same case */
	static const char *const variants[] = {"Model 2", "Model 3"};
	for (int i = 0; i < 2; i++) {
		p = make("Ny struktur på dagtilbud", "https://x/dagsorden/1#punkt-4", 0, "22-1");
		p->case_key = strdup("22-1");
		p->variant = strdup(variants[i]);
		ck_assert_int_eq(put(p), IB_PUT_NEW);
	}
	/* the case seen again at a later meeting: same identity, updated source */
	p = make("Ny struktur på dagtilbud", "https://x/dagsorden/2#punkt-7", 0, "22-1");
	p->case_key = strdup("22-1");
	p->variant = strdup("Model 2");
	ck_assert_int_eq(put(p), IB_PUT_UPDATED);
	ck_assert_int_eq(tu_count(s, "proposal"), 6);
	ck_assert_str_eq(tu_text(s, "SELECT count(*) FROM proposal WHERE case_key='22-1'"), "2");
	ib_error err = {0};
	ck_assert_int_eq(ib_store_check(s, &err), IB_OK);
}
END_TEST

/* export -> import round trip keeps case, variant and appearances */
START_TEST(feed_round_trip)
{
	ib_proposal *p =
	    make("Ny struktur på dagtilbud", "https://x/dagsorden/2#punkt-7", 0, "22-1");
	p->case_key = strdup("22-1");
	p->variant = strdup("Model 2");
	ib_appearance a = {"Skole-, Børne- og Ungeudvalget", "2023-01-09", "7", "Anbefales.",
			   "https://x/dagsorden/2#punkt-7"};
	ib_proposal_add_appearance(p, &a);
	ib_buf b;
	ib_buf_init(&b, 0);
	ck_assert_int_eq(ib_proposal_write_jsonl(&b, p, 0), IB_OK);
	ib_proposal_list l = {0};
	ib_error err = {0};
	ck_assert_msg(ib_feed_parse_jsonl("x.jsonl", b.z, b.n, &l, &err) == IB_OK, "%s", err.msg);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_str_eq(l.items[0]->case_key, "22-1");
	ck_assert_str_eq(l.items[0]->variant, "Model 2");
	ck_assert_uint_eq(l.items[0]->n_appearances, 1);
	ck_assert_str_eq(l.items[0]->appearances[0].decision, "Anbefales.");
	ib_buf again;
	ib_buf_init(&again, 0);
	ck_assert_int_eq(ib_proposal_write_jsonl(&again, l.items[0], 0), IB_OK);
	ck_assert_str_eq(ib_buf_str(&again), ib_buf_str(&b));
	/* stored and read back the same */
	int result;
	ck_assert_int_eq(ib_store_put_proposal(s, l.items[0], &result, &err), IB_OK);
	ib_proposal *q = NULL;
	ck_assert_int_eq(ib_store_get_proposal(s, l.items[0]->id, &q, &err), IB_OK);
	ib_buf_reset(&again);
	ck_assert_int_eq(ib_proposal_write_jsonl(&again, q, 0), IB_OK);
	ck_assert_str_eq(ib_buf_str(&again), ib_buf_str(&b));
	ib_proposal_free(q);
	ib_proposal_free(p);
	ib_proposal_list_free(&l);
	ib_buf_free(&b);
	ib_buf_free(&again);
}
END_TEST

/* A database of an earlier schema (version 1, tests/fixtures/schema-v1.db) is migrated
 * to the new identity: every stored proposal put again as read is unchanged (the
 * identity the migration wrote is the one the store computes). */
START_TEST(migrates_identity)
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
	ib_store *old = NULL;
	ck_assert_msg(ib_store_open(path, &old, &err) == IB_OK, "%s", err.msg);
	ck_assert_int_eq(atoi(tu_text(old, "PRAGMA user_version")), IB_SCHEMA_VERSION);
	ck_assert_int_eq(tu_count(old, "proposal"), 5);
	ck_assert_str_eq(tu_text(old, "SELECT count(DISTINCT ident) FROM proposal"), "5");
	int64_t *ids = NULL;
	size_t n = 0;
	ck_assert_int_eq(ib_store_proposal_ids(old, &ids, &n, &err), IB_OK);
	ck_assert_uint_eq(n, 5);
	for (size_t i = 0; i < n; i++) {
		ib_proposal *p = NULL;
		ck_assert_int_eq(ib_store_get_proposal(old, ids[i], &p, &err), IB_OK);
		int result = 0;
		ck_assert_int_eq(ib_store_put_proposal(old, p, &result, &err), IB_OK);
		ck_assert_int_eq(result, IB_PUT_UNCHANGED);
		ck_assert_int_eq(p->id, ids[i]);
		ib_proposal_free(p);
	}
	free(ids);
	ck_assert_int_eq(ib_store_check(old, &err), IB_OK);
	ib_store_close(old);
}
END_TEST

int main(void)
{
	return tu_run_tests("agenda", 600, setup, teardown,
			    TU_TESTS(identity, feed_round_trip, migrates_identity,
				     agenda_config_errors, tool_fetch, attachments_before_the_transaction,
				     one_host_one_pace, greve_import_from_disk,
				     greve_fetch_incremental, other_municipalities));
}
