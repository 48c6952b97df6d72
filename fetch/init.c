/* init.c - ib_init(): libcurl's and libxml2's process-wide set-up, once.  See init.h. */
#include <pthread.h>

#include <curl/curl.h>
#include <libxml/parser.h>

#include "ideabank/error.h"
#include "ideabank/init.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int init_rc;

static void init_once(void)
{
	/* neither is thread-safe in the versions Debian ships (libcurl 7.88, libxml2
	   2.9): both before any thread uses them */
	init_rc = curl_global_init(CURL_GLOBAL_DEFAULT) ? IB_ENOMEM : IB_OK;
	xmlInitParser();
}

int ib_init(void)
{
	pthread_once(&once, init_once);
	return init_rc;
}
