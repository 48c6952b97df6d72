/* fuzz_feed_csv.c - the CSV feed reader (fetch/feed.c over fetch/csv.c).  Whatever
 * parses must write back canonically as JSON Lines (feed_check.h); a failure leaves the
 * list untouched. */
#include <string.h>

#include "feed_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ib_proposal_list l = {0};
	ib_error err = {0};
	if (ib_feed_parse_csv("fuzz.csv", (const char *)data, size, &l, &err) == IB_OK)
		feed_round_trip(&l);
	else if (l.n)
		fuzz_fail("failed with %zu proposals appended: %s", l.n, err.msg);
	ib_proposal_list_free(&l);
	return 0;
}
