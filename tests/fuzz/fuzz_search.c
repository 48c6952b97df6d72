/* fuzz_search.c - a whole search through FTS5 on the sample store (fuzz_store()):
 * the query parser, the ideabank_da tokenizer at query time, bm25, snippets, filters
 * and sorting.  After the first newline the input is also indexed as the text of a
 * proposal (inside a transaction rolled back afterwards), so the tokenizer's indexing
 * side (stemming, compound splitting) sees it too.  A search never fails with a
 * database error, never returns more hits than it counted nor more than the limit, and
 * the index passes FTS5's integrity check. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static long runs;

static void put_text(ib_store *s, const char *text)
{
	ib_proposal *p = ib_proposal_new();
	ib_error err = {0};
	int result;
	if (!p)
		abort();
	p->kommunekode = 329;
	p->budget_year = 2021;
	if (ib_strset(&p->title, "Fuzzforslag") || ib_strset(&p->text, text) ||
	    ib_strset(&p->source, "fuzz"))
		abort();
	int rc = ib_store_put_proposal(s, p, &result, &err);
	if (rc == IB_EDB)
		fuzz_fail("storing a proposal with this text failed: %s", err.msg);
	ib_proposal_free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ib_store *s = fuzz_store();
	ib_error err = {0};
	char *z = fuzz_cstr(data, size);
	char *nl = strchr(z, '\n');
	unsigned h = 0;
	for (size_t i = 0; i < size; i++)
		h = h * 31 + data[i];
	if (nl) {
		*nl = '\0';
		if (ib_store_begin(s, &err))
			fuzz_fail("begin: %s", err.msg);
		put_text(s, nl + 1);
	}
	ib_search_opts o = {0};
	o.query = z;
	o.sort = (ib_sort)(h % 5);
	o.limit = (int)(h / 5 % 3) * 5;
	if (h / 15 % 4 == 1)
		o.year_from = 2016, o.year_to = 2021;
	if (h / 15 % 4 == 2)
		o.kommunekode = 101;
	/* a page further on, an adopted filter, no snippets */
	o.offset = (int)(h / 60 % 3) * 3;
	o.adopted_is = (ib_adopted_filter)(h / 180 % 4);
	o.no_snippets = (int)(h / 720 % 2);
	ib_result *r = NULL;
	int rc = ib_search(s, &o, &r, &err);
	if (rc == IB_EDB)
		fuzz_fail("query '%s': database error reached the caller: %s", z, err.msg);
	if (rc == IB_OK) {
		if (r->n > r->total || (o.limit && r->n > (size_t)o.limit))
			fuzz_fail("query '%s': %zu hits of %zu, limit %d", z, r->n, r->total,
				  o.limit);
		if (r->n && (size_t)o.offset + r->n > r->total)
			fuzz_fail("query '%s': %zu hits from %d of %zu", z, r->n, o.offset, r->total);
		for (size_t i = 0; i < r->n; i++)
			if (!r->hits[i].title)
				fuzz_fail("query '%s': hit %zu has no title", z, i);
		ib_result_free(r);
	} else if (r) {
		fuzz_fail("query '%s' failed (%s) but returned a result", z, err.msg);
	}
	if (nl)
		ib_store_rollback(s);
	if (++runs % 256 == 0 && ib_store_check(s, &err))
		fuzz_fail("integrity after %ld searches: %s", runs, err.msg);
	free(z);
	return 0;
}
