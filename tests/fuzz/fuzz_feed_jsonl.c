/* fuzz_feed_jsonl.c - the JSON Lines feed reader (fetch/feed.c).  Whatever parses must
 * write back canonically (feed_check.h); a failure leaves the list untouched.  The same
 * bytes read from a file as `import` reads a feed (ib_feed_scan_jsonl(), then
 * ib_feed_stream_jsonl()) give the same outcome: the same code and message, or the same
 * proposals. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "feed_check.h"

/* ib_feed_sink: keep each streamed proposal. */
static int keep(void *ctx, ib_proposal *p, long line, ib_error *err)
{
	(void)line;
	if (ib_proposal_list_push(ctx, p))
		return ib_error_set(err, IB_ENOMEM, NULL);
	return IB_OK;
}

/* Read data[0..size) through a file as import does; *l receives the proposals.
 * *reference = 1 when the scan finds a reference file's header on the first line:
 * import reads such a file with the reference importer, not as a feed. */
static int streamed(const uint8_t *data, size_t size, ib_proposal_list *l, int *reference,
		    ib_error *err)
{
	const char *tmp = getenv("TMPDIR");
	char path[512];
	snprintf(path, sizeof path, "%s/fuzz-jsonl-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size || close(fd))
		fuzz_fail("cannot write the input to '%s'", path);
	ib_feed_scan scan;
	int rc = ib_feed_scan_jsonl(path, "fuzz.jsonl", &scan, err);
	*reference = !rc && scan.ref != IB_REF_NONE;
	if (!rc && !*reference)
		rc = ib_feed_stream_jsonl(path, "fuzz.jsonl", keep, l, err);
	unlink(path);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ib_proposal_list l = {0}, s = {0};
	ib_error err = {0}, serr = {0};
	int rc = ib_feed_parse_jsonl("fuzz.jsonl", (const char *)data, size, &l, &err);
	if (rc == IB_OK)
		feed_round_trip(&l);
	else if (l.n)
		fuzz_fail("failed with %zu proposals appended: %s", l.n, err.msg);
	int reference = 0;
	int src = streamed(data, size, &s, &reference, &serr);
	if (!reference && (src != rc || (rc && strcmp(err.msg, serr.msg))))
		fuzz_fail("read whole: %d '%s'; streamed: %d '%s'", rc, err.msg, src, serr.msg);
	if (!rc && !reference) {
		ib_buf a, b;
		ib_buf_init(&a, 0);
		ib_buf_init(&b, 0);
		for (size_t i = 0; i < l.n; i++)
			ib_proposal_write_jsonl(&a, l.items[i], 1);
		for (size_t i = 0; i < s.n; i++)
			ib_proposal_write_jsonl(&b, s.items[i], 1);
		if (a.n != b.n || memcmp(a.z, b.z, a.n))
			fuzz_fail("read whole and streamed, the proposals differ:\n%s\n%s",
				  ib_buf_str(&a), ib_buf_str(&b));
		ib_buf_free(&a);
		ib_buf_free(&b);
	}
	ib_proposal_list_free(&s);
	ib_proposal_list_free(&l);
	return 0;
}
