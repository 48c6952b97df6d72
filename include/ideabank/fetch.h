/* fetch.h - `ideabank fetch`: bring the bank up to date from the sources config, or
 * every municipality's committee agendas.
 *
 * The sources config (JSON, documented in README.md; data/sources.json is built in)
 * lists StatBank tables to pull (FOLK1A population, FOLK1A by age, REGK31 spending),
 * proposal feeds by URL, published documents by URL and agenda portals.  All downloads
 * of a round run in parallel; each source is then stored in its own transaction
 * together with the fetch_log rows its rows point to, so a source that fails leaves
 * the database as it was while the others still update.
 *
 * Agenda portals (config "agenda" sources, or with `agendas` every municipality's
 * FirstAgenda-style portal from data/agenda_portals.csv) are read one session per host:
 * the front page first (it sets the cookie the API asks for; kept in a cookie file per
 * host, {cache}/cookies/{host}), then the committee list and the meetings one request
 * at a time with the host's delay.  An answer that is a web page where JSON is
 * expected renews the session once, then fails the host.  Several hosts run at once
 * (max_hosts threads); the store is written by one of them at a time, one transaction
 * per municipality.  Progress is reported through ib_progress("agendas", meetings
 * downloaded, meetings listed so far). */
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
	/* every municipality's agenda portal (data/agenda_portals.csv) instead of the
	 * config: those on a FirstAgenda-style portal are fetched, the others reported
	 * with their system (unsupported in the report) */
	int agendas;
	const char *const *kommuner; /* with agendas: only these (names or codes) */
	size_t n_kommuner;
	/* agenda meetings dated from..to ("2025-01-01"); NULL: the config source's own,
	 * for portals from 1 January last year to today */
	const char *from, *to;
	int max_hosts; /* agenda hosts fetched at once, default 4 */
	/* FOR TESTS ONLY: portal hosts are asked over http at another address.  Entries
	 * separated by blanks or commas: "ADDRESS:PORT" for every host, "HOST=ADDRESS:PORT"
	 * for one; the Host header and the URLs keep the portal's host name.  NULL: none */
	const char *portal_connect;
	ib_fetch_progress_fn progress;
	void *progress_ctx;
} ib_fetch_opts;

/* A portal's pause between requests unless --delay-ms says otherwise, as the public
 * scanner that read 77 of them uses. */
#define IB_PORTAL_DELAY_MS 400

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
	long unpublished;      /* spending figures of a function and year that is 0 in
				  every municipality (not published: left out, not 0) */
	long proposals_new, proposals_updated, proposals_unchanged;
	int kommunekode;	  /* agenda sources: the municipality */
	char *system;		  /* agendas: the portal's system when not supported; or NULL */
	int unsupported;	  /* agendas: on a system ideabank cannot read yet (or none
				     known): not fetched, not a failure */
	long meetings;		  /* agenda sources: meetings listed in the date range */
	ib_agenda_report *agenda; /* agenda sources: items per outcome and reason; else NULL
				     (also when nothing changed) */
	long attachments_read;	  /* agenda attachments imported through the document reader */
	char **notes;		  /* agenda attachments that could not be read, one line each */
	size_t n_notes;
} ib_fetch_source_report;

typedef struct ib_fetch_report {
	ib_fetch_source_report *src;
	size_t n;
	long failed;
	/* every source tried failed because no host name could be resolved (a name that
	 * does not resolve is asked twice; after three portal hosts that failed so, and
	 * none reached, the other portals are not tried): the machine is likely offline */
	int offline;
} ib_fetch_report;
void ib_fetch_report_free(ib_fetch_report *r);

/* Run the fetch described by o against s.  A config that cannot be read fails at once
 * (IB_EPARSE naming the config and key, IB_ENOTFOUND for an unknown --only name) and
 * nothing is fetched.  Otherwise every source is tried: rep (caller frees with
 * ib_fetch_report_free()) says what each did; the return is IB_OK when all succeeded,
 * else the code of the first that failed (err holds its message). */
int ib_fetch_run(ib_store *s, const ib_fetch_opts *o, ib_fetch_report *rep, ib_error *err);

#endif
