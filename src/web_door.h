/* web_door.h - the front door of `ideabank serve` (web_door.c): it reads every request
 * head before libmicrohttpd does, answers what libmicrohttpd would answer itself with
 * ideabank's headers, and holds the requests still being read to a budget. */
#ifndef IDEABANK_WEB_DOOR_H
#define IDEABANK_WEB_DOOR_H

#include <microhttpd.h>

/* Seconds a client has to send its request head, from the moment it connected. */
#define WEB_DOOR_HEAD_S 5
/* Request heads arriving at once from one address, and from all.  A new connection
 * always gets in: past WEB_DOOR_PER_ADDRESS, the address's oldest head still arriving
 * gives way (429) once it has taken WEB_DOOR_SLOW_MS; past WEB_DOOR_PENDING, the
 * oldest of all (408). */
#define WEB_DOOR_PER_ADDRESS 8
#define WEB_DOOR_SLOW_MS 1000
#define WEB_DOOR_PENDING 256
/* Connections answered and being closed (what their client still sends read away). */
#define WEB_DOOR_DRAINING 128
/* Longest request target (414 past it) and request head (431 past it), bytes. */
#define WEB_DOOR_URI_MAX 16384
#define WEB_DOOR_HEAD_MAX 32768
/* Requests of one address that libmicrohttpd may hold (being answered or sent). */
#define WEB_DOOR_PER_ADDRESS_ACTIVE 128

/* The policy every answer carries (Content-Security-Policy). */
#define WEB_CSP                                                                                    \
	"default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "               \
	"frame-ancestors 'none'; base-uri 'none'"
/* The headers every answer carries besides its Content-Type, as raw header lines;
 * "Connection: close": every request of a connection passes the door. */
#define WEB_SECURITY_HEADERS_RAW                                                                   \
	"X-Content-Type-Options: nosniff\r\nX-Frame-Options: DENY\r\nReferrer-Policy: "            \
	"same-origin\r\nContent-Security-Policy: " WEB_CSP "\r\nConnection: close\r\n"

/* What the door did since it started. */
typedef struct web_door_stats {
	long handed;	     /* heads handed to libmicrohttpd */
	long refused_budget; /* answered 429: gave way to its address's newer connection */
	long evicted;	     /* answered 408: gave way to a new connection (the oldest) */
	long timed_out;	     /* answered 408: no head within WEB_DOOR_HEAD_S */
	long refused_size;   /* answered 414 or 431 */
	long refused_bad;    /* answered 400 or 505 */
	long refused_busy;   /* answered 503: libmicrohttpd holds its limit */
} web_door_stats;

typedef struct web_door web_door;

/* A door for the listening socket listen_fd (non-blocking, the caller's); NULL when
 * out of memory.  Pass it as the cls of web_door_notify to the daemons, then run it. */
web_door *web_door_new(int listen_fd);
/* libmicrohttpd's MHD_OPTION_NOTIFY_CONNECTION callback (cls: the door): counts the
 * connections it holds per address. */
void web_door_notify(void *cls, struct MHD_Connection *c, void **socket_context,
		     enum MHD_ConnectionNotificationCode code);
/* Start the door's thread: complete heads go to pages, CSV downloads (/resultater.csv,
 * /kurv.csv) to exports; each daemon holds at most its limit (503 past it).  The
 * daemons run without a listen socket and with MHD_USE_ITC.  0, or -1 (errno). */
int web_door_run(web_door *d, struct MHD_Daemon *pages, unsigned pages_limit,
		 struct MHD_Daemon *exports, unsigned exports_limit);
/* A copy of the counters. */
void web_door_stats_get(web_door *d, web_door_stats *out);
/* Stop the thread and close what the door holds (not the listening socket); accepts
 * NULL. */
void web_door_stop(web_door *d);

#endif
