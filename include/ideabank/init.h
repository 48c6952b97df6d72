/* init.h - process-wide set-up of the libraries ideabank builds on. */
#ifndef IDEABANK_INIT_H
#define IDEABANK_INIT_H

/* Set up, once per process, what the library's threads share: libcurl's global state
 * (curl_global_init) and libxml2's parser (xmlInitParser).  Safe to call from any
 * thread, any number of times (pthread_once); the library's entry points that need it
 * (ib_fetch_run(), ib_http_fetch(), the HTML reader) call it themselves, and a program
 * that starts threads of its own calls it before.  Rule tables are not loaded here:
 * each module loads its own once (pthread_once) when first used.  Returns IB_OK, or
 * IB_ENOMEM when libcurl cannot be set up (then every call says so). */
int ib_init(void);

#endif
