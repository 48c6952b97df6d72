/* fetch.h - `ideabank fetch`: bring the bank up to date from the sources config.
 *
 * The sources config (JSON, documented in README.md; data/sources.json is built in)
 * lists StatBank tables to pull (FOLK1A population, FOLK1A by age, REGK31 spending),
 * proposal feeds by URL and published documents by URL.  All downloads of a round run
 * in parallel; each source is then stored in its own transaction together with the
 * fetch_log rows its rows point to, so a source that fails leaves the database as it
 * was while the others still update. */
#ifndef IDEABANK_FETCH_H
#define IDEABANK_FETCH_H

#include <stddef.h>

#include "agenda.h"
#include "error.h"
#include "http.h"
#include "store.h"

/* Progress of one source's downloads; done is 1 once when they have all ended. */
typedef void (*ib_fetch_progress_fn)(void *ctx, const char *source, size_t now, size_t total,
				     int done);

typedef struct ib_fetch_opts {
	const char *config_name; /* for messages ("sources.json") */
	const char *config;	 /* the config's text; NULL: the built-in data/sources.json */
	const char *const *only; /* fetch only these sources (n_only names); none: all */
	size_t n_only;
	int dry_run;	   /* do everything, report what would change, store nothing */
	long delay_ms;	   /* agenda sources: pause between requests; -1: the source's own */
	ib_http_opts http; /* timeouts, retries, cache directory */
	ib_fetch_progress_fn progress;
	void *progress_ctx;
} ib_fetch_opts;

/* Fill o with defaults (built-in config, ib_http_opts_default()). */
void ib_fetch_opts_default(ib_fetch_opts *o);

typedef struct ib_fetch_source_report {
	char *name;
	char *what;	       /* "StatBank FOLK1A (population)", "feed https://…", ... */
	int rc;		       /* IB_OK, or why this source failed */
	char *error;	       /* one line when rc != IB_OK */
	int unchanged;	       /* every body was already stored: nothing to do */
	long requests;	       /* HTTP requests sent, retries included */
	long not_modified;     /* answered 304 and served from the cache */
	long bytes;	       /* body bytes received (0 for cached copies) */
	ib_store_changes rows; /* population, age and spending rows */
	long skipped;	       /* observations for areas that are not municipalities */
	long missing;	       /* observations without a value ("..") */
	long proposals_new, proposals_updated, proposals_unchanged;
	ib_agenda_report *agenda; /* agenda sources: items per outcome and reason; else NULL */
	long attachments_read;	  /* agenda attachments imported through the document reader */
	char **notes;		  /* agenda attachments that could not be read, one line each */
	size_t n_notes;
} ib_fetch_source_report;

typedef struct ib_fetch_report {
	ib_fetch_source_report *src;
	size_t n;
	long failed;
} ib_fetch_report;
void ib_fetch_report_free(ib_fetch_report *r);

/* Run the fetch described by o against s.  A config that cannot be read fails at once
 * (IB_EPARSE naming the config and key, IB_ENOTFOUND for an unknown --only name) and
 * nothing is fetched.  Otherwise every source is tried: rep (caller frees with
 * ib_fetch_report_free()) says what each did; the return is IB_OK when all succeeded,
 * else the code of the first that failed (err holds its message). */
int ib_fetch_run(ib_store *s, const ib_fetch_opts *o, ib_fetch_report *rep, ib_error *err);

#endif
