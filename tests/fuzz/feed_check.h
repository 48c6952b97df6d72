/* feed_check.h - the property both feed fuzzers check: a parsed feed written back as
 * JSON Lines parses again to the same proposals, and writing those gives the same
 * bytes (the canonical form is a fixed point). */
#ifndef IDEABANK_FEED_CHECK_H
#define IDEABANK_FEED_CHECK_H

#include "fuzz.h"

static void feed_round_trip(ib_proposal_list *l)
{
	ib_buf a, b;
	ib_buf_init(&a, 0);
	ib_buf_init(&b, 0);
	for (size_t i = 0; i < l->n; i++)
		if (ib_proposal_write_jsonl(&a, l->items[i], 1))
			fuzz_fail("proposal %zu cannot be written", i);
	if (!fuzz_utf8_ok(a.z, a.n))
		fuzz_fail("the written feed is not valid UTF-8");
	ib_proposal_list again = {0};
	ib_error err = {0};
	if (ib_feed_parse_jsonl("again.jsonl", a.z ? a.z : "", a.n, &again, &err))
		fuzz_fail("the written feed does not parse: %s\n%s", err.msg, ib_buf_str(&a));
	if (again.n != l->n)
		fuzz_fail("%zu proposals written, %zu read back", l->n, again.n);
	for (size_t i = 0; i < again.n; i++)
		if (ib_proposal_write_jsonl(&b, again.items[i], 1))
			fuzz_fail("proposal %zu cannot be written again", i);
	if (a.n != b.n || memcmp(a.z, b.z, a.n))
		fuzz_fail("written twice, the feed differs:\n%s\n%s", ib_buf_str(&a), ib_buf_str(&b));
	ib_proposal_list_free(&again);
	ib_buf_free(&a);
	ib_buf_free(&b);
}

#endif
