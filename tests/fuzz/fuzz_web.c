/* fuzz_web.c - the web request handler (src/web*.c's web_handle(), what `serve` and
 * `serve --render` call) on the sample store.  The input is the request's path and
 * query string, split and percent-decoded as `serve --render` does (libmicrohttpd's
 * unescaping); a line after it is the Accept-Language header.  Every answer has an
 * HTTP status, a content type and a body that is valid UTF-8; JSON answers parse. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <microhttpd.h>

#include "fuzz.h"
#include "web.h"

static size_t unescape(char *z)
{
	return MHD_http_unescape(z);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ib_store *s = fuzz_store();
	char *z = fuzz_cstr(data, size);
	char *nl = strchr(z, '\n');
	if (nl)
		*nl = '\0';
	web_request rq;
	char *storage = NULL;
	if (web_request_split(z, unescape, &rq, &storage) != IB_OK)
		fuzz_fail("'%s': cannot split the request", z);
	rq.accept_language = nl ? nl + 1 : NULL;
	web_response r;
	web_handle(s, &rq, &r);
	if (r.status < 200 || r.status > 599 || !r.content_type)
		fuzz_fail("'%s': status %d, content type %s", z, r.status,
			  r.content_type ? r.content_type : "none");
	if (!fuzz_utf8_ok(r.body.z, r.body.n))
		fuzz_fail("'%s': the body is not valid UTF-8", z);
	if (strstr(r.content_type, "json")) {
		cJSON *j = cJSON_ParseWithLength(r.body.z ? r.body.z : "", r.body.n);
		if (!j)
			fuzz_fail("'%s': the JSON answer does not parse:\n%s", z, ib_buf_str(&r.body));
		cJSON_Delete(j);
	}
	ib_buf_free(&r.body);
	free(storage);
	free(z);
	return 0;
}
