/* fuzz_doc.c - the document importer on text: ib_doc_from_text() then ib_doc_parse()
 * (the four templates and the shared line/number layer of fetch/doc.c).  A parse that
 * succeeds has at least one proposal (or follow-up), and every proposal has a title
 * and an area the rule table knows, or none. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ib_doc *d = NULL;
	ib_error err = {0};
	if (ib_doc_from_text("fuzz.txt", (const char *)data, size, &d, &err) != IB_OK)
		return 0;
	ib_doc_result r;
	memset(&r, 0, sizeof r);
	if (ib_doc_parse(d, &r, &err) == IB_OK) {
		if (r.proposals.n + r.followups.n == 0)
			fuzz_fail("template %s: parse succeeded without a proposal", r.reader);
		for (size_t i = 0; i < r.proposals.n; i++) {
			const ib_proposal *p = r.proposals.items[i];
			if (!p->title || !*p->title)
				fuzz_fail("template %s: proposal %zu has no title", r.reader, i);
			const char *area = ib_doc_area(p);
			if (area && ib_area_canonical(area) != area)
				fuzz_fail("area '%s' is not one of KL's nine", area);
		}
		ib_doc_result_free(&r);
	}
	ib_doc_free(d);
	return 0;
}
