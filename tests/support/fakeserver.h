/* fakeserver.h - a local HTTP server for the fetcher's tests (libmicrohttpd).
 *
 * Listens on 127.0.0.1 on a free port and answers like api.statbank.dk/v1 for FOLK1A
 * and REGK31: /v1/tableinfo and POST /v1/data in CSV and JSON-stat, built from the
 * Statistics Denmark figures in the shared data folder (FOLK1A totals and REGK31 per
 * inhabitant are real; population by single year of age is SYNTHETIC: see
 * fs_age_count()).  /api/agenda/udvalgsliste and /api/agenda/dagsorden/{id} answer
 * like a FirstAgenda publication API from the recorded Greve answers in the shared
 * folder (data/greve-agendas, gunzipped, application/json).  Other paths serve files
 * the test registers; a registered file takes precedence over a recorded meeting.  Every 200 answer
 * carries an ETag and Last-Modified and honours If-None-Match with 304.  Faults are
 * injected per path (and host) for a number of requests.
 *
 * Agenda portals: fs_portal() serves a FirstAgenda-style portal under a host name (the
 * request's Host header, its port dropped), as the real ones behave: GET / answers the
 * portal's front page, which sets the session cookie; an /api/ request without that
 * cookie is answered 302 to /.  Several hosts, each with its own recorded answers,
 * make several municipalities on one server (the fetcher reaches them through its
 * test-only override, IDEABANK_PORTAL_CONNECT / ib_fetch_opts.portal_connect). */
#ifndef IDEABANK_FAKESERVER_H
#define IDEABANK_FAKESERVER_H

#include <stddef.h>

typedef struct fs_server fs_server;

typedef enum fs_fault {
	FS_NONE,
	FS_STATUS_500,	  /* HTTP 500 */
	FS_429,		  /* HTTP 429 with Retry-After: <arg> seconds */
	FS_SLOW,	  /* wait <arg> ms before answering */
	FS_TRUNCATE,	  /* announce the full length, send half, close */
	FS_BIG,		  /* a body of <arg> bytes (length announced) */
	FS_BIG_CHUNKED,	  /* a body of <arg> bytes without a length */
	FS_BODY,	  /* this body instead (fs_fault_body) with status 200 */
	FS_REDIRECT_LOOP, /* 302 to the same path */
	FS_TRICKLE,	  /* a body of <arg> bytes without a length, one byte every 200 ms */
	FS_NO_SESSION	  /* a portal's answer as to a request without the session cookie:
			     302 to / (on an /api/ path), or the front page without its cookie */
} fs_fault;

/* Start the server; shared is the shared data folder.  NULL on failure. */
fs_server *fs_start(const char *shared);
void fs_stop(fs_server *s);
int fs_port(const fs_server *s);
/* The next `times` requests whose path starts with prefix get fault f (arg as above). */
void fs_fault_set(fs_server *s, const char *prefix, fs_fault f, long arg, int times);
/* Forget every fault not yet used up. */
void fs_faults_clear(fs_server *s);
/* As fs_fault_set, for the requests to host only (a portal's host name). */
void fs_fault_host(fs_server *s, const char *host, const char *prefix, fs_fault f, long arg,
		   int times);
/* Serve a FirstAgenda-style portal under host (up to 8): recorded answers from dir in
 * the shared folder ("data/greve-agendas", "data/other-agendas/middelfart"; its
 * udvalgsliste.json and dagsorden/{id}.json or .json.gz), the committee list keeping
 * only the meetings dated from..to (NULL: open), and only those meetings served.  The
 * front page / sets the cookie "FirstAgendaSession" (its value names the host); an
 * /api/ request without it is answered 302 to /.  Returns the number of meetings
 * served, -1 when dir cannot be read. */
int fs_portal(fs_server *s, const char *host, const char *dir, const char *from, const char *to);
/* The meeting ids host serves, in list order (NULL past the last). */
const char *fs_portal_meeting(fs_server *s, const char *host, int i);
/* For FS_BODY: the body (copied) and its content type. */
void fs_fault_body(fs_server *s, const char *prefix, const char *body, size_t len,
		   const char *content_type, int times);
/* Serve body (copied) at path with 200 (up to 16 paths; path under 128 bytes). */
void fs_file(fs_server *s, const char *path, const char *body, size_t len,
	     const char *content_type);
/* Largest number of cells a data request may ask for (default 1,000,000); above it the
 * server answers 400 as StatBank does. */
void fs_max_cells(fs_server *s, long n);
/* Counters since the start: requests to paths starting with prefix (a request to a
 * portal also counts as "HOST/path": fs_requests(s, "dagsordener.greve.dk/api/")), of
 * which answered 304, and the body bytes sent with 200. */
long fs_requests(fs_server *s, const char *prefix);
long fs_not_modified(fs_server *s);
/* The shortest time between the arrivals of two requests one after the other, in ms
 * (any paths and hosts); -1 before the second request. */
long fs_min_gap_ms(fs_server *s);
long fs_bytes_sent(fs_server *s);
/* SHA-256 (hex) of the last 200 body sent for prefix, "" when none. */
const char *fs_last_sha(fs_server *s, const char *prefix);

/* The synthetic count of persons of age a in municipality code in any quarter. */
long fs_age_count(int code, int age);

#endif
