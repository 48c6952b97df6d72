/* web_door.c - the front door of `ideabank serve`: it accepts every connection, reads
 * the request head as it arrives without taking it off the socket (MSG_PEEK), and
 * hands a complete, well-formed head to libmicrohttpd (MHD_add_connection), which
 * then reads it again and answers.  Everything libmicrohttpd would answer itself -
 * a head too long (414, 431), malformed (400) or of another HTTP version (505) - is
 * answered here, with the headers every answer of ideabank carries.  Requests still
 * being read are held to a budget: per client address, in all, and in time (a head
 * must arrive within WEB_DOOR_HEAD_S seconds), so that idle or trickling clients
 * cannot shut out others; responses say "Connection: close", so every request of a
 * connection passes the door.  CSV downloads go to a daemon of their own, so that
 * many of them do not hold the pages and the API. */
/* accept4, POLLRDHUP */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "web_door.h"

/* A connection the door holds: its head still arriving, or an answer given and what
 * the client still sends being read away before the close (so that the answer is not
 * lost to a reset). */
typedef struct door_conn {
	int fd;
	struct sockaddr_storage sa;
	socklen_t sa_len;
	uint32_t addr;	 /* IPv4 address, network order; 0 for others */
	long long since; /* accepted, ms */
	long long drain; /* 0 while the head arrives; else closing at this time, ms */
	size_t peeked;	 /* bytes of the head seen so far */
} door_conn;

/* Connections libmicrohttpd holds, per client address (a small open-addressing table
 * of the addresses seen; counts return to 0). */
typedef struct active_addr {
	uint32_t addr;
	int n;
} active_addr;

#define ACTIVE_SLOTS 4096

struct web_door {
	int listen_fd;
	int wake[2];
	struct MHD_Daemon *pages, *exports;
	unsigned pages_limit, exports_limit;
	pthread_t thread;
	int started;
	door_conn conn[WEB_DOOR_PENDING + WEB_DOOR_DRAINING];
	size_t n;
	pthread_mutex_t lock; /* guards active and stats */
	active_addr active[ACTIVE_SLOTS];
	web_door_stats stats;
};

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- what libmicrohttpd holds, per address ----------------------------------------- */

static active_addr *active_slot(web_door *d, uint32_t addr)
{
	size_t k = (addr * 2654435761u) % ACTIVE_SLOTS;
	for (size_t i = 0; i < ACTIVE_SLOTS; i++, k = (k + 1) % ACTIVE_SLOTS)
		if (d->active[k].addr == addr || (d->active[k].addr == 0 && d->active[k].n == 0))
			return &d->active[k];
	return NULL; /* 4096 addresses at once: not counted */
}

static uint32_t sockaddr_v4(const struct sockaddr *sa)
{
	return sa && sa->sa_family == AF_INET ? ((const struct sockaddr_in *)sa)->sin_addr.s_addr
					      : 0;
}

void web_door_notify(void *cls, struct MHD_Connection *c, void **socket_context,
		     enum MHD_ConnectionNotificationCode code)
{
	(void)socket_context;
	web_door *d = cls;
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	uint32_t addr = ci ? sockaddr_v4(ci->client_addr) : 0;
	if (!d || !addr)
		return;
	pthread_mutex_lock(&d->lock);
	active_addr *a = active_slot(d, addr);
	if (a) {
		a->addr = addr;
		a->n += code == MHD_CONNECTION_NOTIFY_STARTED ? 1 : -1;
		if (a->n < 0)
			a->n = 0;
	}
	pthread_mutex_unlock(&d->lock);
}

static int active_of(web_door *d, uint32_t addr)
{
	pthread_mutex_lock(&d->lock);
	active_addr *a = addr ? active_slot(d, addr) : NULL;
	int n = a && a->addr == addr ? a->n : 0;
	pthread_mutex_unlock(&d->lock);
	return n;
}

static void count(web_door *d, long *what)
{
	pthread_mutex_lock(&d->lock);
	(*what)++;
	pthread_mutex_unlock(&d->lock);
}

void web_door_stats_get(web_door *d, web_door_stats *out)
{
	pthread_mutex_lock(&d->lock);
	*out = d->stats;
	pthread_mutex_unlock(&d->lock);
}

/* ---- the door's own answers --------------------------------------------------------- */

typedef struct answer {
	int status;
	const char *reason; /* the status line's */
	const char *da;	    /* what the page says */
} answer;

static const answer A_BAD = {400, "Bad Request", "Forespørgslen kunne ikke læses."};
static const answer A_NUL = {400, "Bad Request", "Adressen indeholder et NUL-tegn (%00)."};
static const answer A_TIMEOUT = {408, "Request Timeout",
				 "Forespørgslen nåede ikke frem i tide; prøv igen."};
static const answer A_LONG_URI = {414, "URI Too Long", "Adressen er for lang."};
static const answer A_BIG_HEAD = {431, "Request Header Fields Too Large",
				  "Forespørgslens hoved er for stort."};
static const answer A_TOO_MANY = {429, "Too Many Requests",
				  "For mange forbindelser fra din adresse; prøv igen om lidt."};
static const answer A_BUSY = {503, "Service Unavailable",
			      "Serveren har travlt; prøv igen om lidt."};
static const answer A_VERSION = {505, "HTTP Version Not Supported",
				 "Serveren taler HTTP/1.0 og HTTP/1.1."};

/* Write the answer a to fd (best effort: it is small, the socket's buffer takes it)
 * as HTML, or JSON for an /api/ address, without a body for HEAD. */
static void send_answer(int fd, const answer *a, int api, int head)
{
	char body[1024], msg[2048];
	int nb =
	    api ? snprintf(body, sizeof body, "{\n\t\"error\":\t\"%s\",\n\t\"status\":\t%d\n}\n",
			   a->da, a->status)
		: snprintf(body, sizeof body,
			   "<!DOCTYPE html>\n<html lang=\"da\">\n<head>\n<meta "
			   "charset=\"utf-8\">\n<title>Fejl – ideabank</title>\n<link "
			   "rel=\"stylesheet\" href=\"/style.css\">\n</head>\n<body>\n"
			   "<h1><a href=\"/\">ideabank</a></h1>\n<p class=\"err\" "
			   "role=\"alert\">%s</p>\n</body>\n</html>\n",
			   a->da);
	int nm = snprintf(msg, sizeof msg,
			  "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n%s%s\r\n"
			  "%s",
			  a->status, a->reason,
			  api ? "application/json; charset=utf-8" : "text/html; charset=utf-8", nb,
			  WEB_SECURITY_HEADERS_RAW,
			  a->status == 429 || a->status == 503 ? "Retry-After: 5\r\n" : "",
			  head ? "" : body);
	if (nm > 0 && (size_t)nm < sizeof msg &&
	    send(fd, msg, (size_t)nm, MSG_NOSIGNAL | MSG_DONTWAIT) < 0) {
		/* the client is gone: nothing to tell */
	}
}

/* ---- reading a head ------------------------------------------------------------------ */

static int tchar(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* The end of the head in z[0..n): the offset past its blank line, or 0 when it has
 * not all arrived. */
static size_t head_end(const char *z, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++)
		if (z[i] == '\n' &&
		    (z[i + 1] == '\n' || (z[i + 1] == '\r' && i + 2 < n && z[i + 2] == '\n')))
			return i + (z[i + 1] == '\n' ? 2 : 3);
	return 0;
}

/* Check a complete head z[0..n): NULL when libmicrohttpd may have it, else the answer
 * to give.  *api: the address is under /api/; *head: the method is HEAD; *exports: a
 * CSV download. */
static const answer *check_head(const char *z, size_t n, int *api, int *head, int *exports)
{
	const char *e = z + n, *p = z;
	*api = *head = *exports = 0;
	/* request line: METHOD SP TARGET SP HTTP/1.x */
	const char *m = p;
	while (p < e && tchar((unsigned char)*p))
		p++;
	if (p == m || p >= e || *p != ' ')
		return &A_BAD;
	*head = p - m == 4 && !memcmp(m, "HEAD", 4);
	const char *t = ++p;
	while (p < e && (unsigned char)*p > 0x20 && *p != 0x7F)
		p++;
	size_t tl = (size_t)(p - t);
	if (!tl || p >= e || *p != ' ' || *t != '/')
		return &A_BAD;
	*api = tl >= 5 && !memcmp(t, "/api/", 5);
	*exports = (tl >= 15 && !memcmp(t, "/resultater.csv", 15) && (tl == 15 || t[15] == '?')) ||
		   (tl >= 9 && !memcmp(t, "/kurv.csv", 9) && (tl == 9 || t[9] == '?'));
	if (tl > WEB_DOOR_URI_MAX)
		return &A_LONG_URI;
	for (size_t i = 0; i + 2 < tl; i++)
		if (t[i] == '%' && t[i + 1] == '0' && t[i + 2] == '0')
			return &A_NUL;
	const char *v = ++p;
	while (p < e && *p != '\r' && *p != '\n')
		p++;
	size_t vl = (size_t)(p - v);
	if (vl != 8 || memcmp(v, "HTTP/", 5) || v[6] != '.' || v[5] < '0' || v[5] > '9' ||
	    v[7] < '0' || v[7] > '9')
		return &A_BAD;
	if (v[5] != '1' || (v[7] != '0' && v[7] != '1'))
		return &A_VERSION;
	/* header lines: NAME: VALUE, no folding, no bare CR */
	for (;;) {
		if (p < e && *p == '\r')
			p++;
		if (p >= e || *p != '\n')
			return &A_BAD;
		p++;
		if (p < e && (*p == '\n' || (*p == '\r' && p + 1 < e && p[1] == '\n')))
			return NULL; /* the blank line */
		const char *name = p;
		while (p < e && tchar((unsigned char)*p))
			p++;
		if (p == name || p >= e || *p != ':')
			return &A_BAD;
		int cl = p - name == 14 && !strncasecmp(name, "Content-Length", 14);
		p++;
		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		const char *val = p;
		while (p < e && *p != '\r' && *p != '\n') {
			if ((unsigned char)*p < 0x20 && *p != '\t')
				return &A_BAD;
			p++;
		}
		if (cl) {
			const char *q = val;
			while (q < p && *q >= '0' && *q <= '9')
				q++;
			while (q < p && (*q == ' ' || *q == '\t'))
				q++;
			if (q == val || q != p)
				return &A_BAD;
		}
	}
}

/* ---- the connections the door holds -------------------------------------------------- */

static void drop(web_door *d, size_t i)
{
	close(d->conn[i].fd);
	d->conn[i] = d->conn[--d->n];
}

/* Answer conn i and keep it to read away what its client still sends (closed at once
 * when the door holds too many of those). */
static void refuse(web_door *d, size_t i, const answer *a, int api, int head)
{
	door_conn *c = &d->conn[i];
	int one = 1;
	setsockopt(c->fd, SOL_SOCKET, SO_RCVLOWAT, &one, sizeof one);
	send_answer(c->fd, a, api, head);
	shutdown(c->fd, SHUT_WR);
	size_t draining = 0;
	for (size_t k = 0; k < d->n; k++)
		draining += d->conn[k].drain != 0;
	if (draining >= WEB_DOOR_DRAINING) {
		drop(d, i);
		return;
	}
	c->drain = now_ms() + 1000;
}

/* What the request line of conn i says so far, for an answer before its head is whole
 * (an address too long): whether it is under /api/, whether it is a HEAD. */
static void peek_kind(const char *z, size_t n, int *api, int *head)
{
	*head = n >= 5 && !memcmp(z, "HEAD ", 5);
	const char *sp = memchr(z, ' ', n < 16 ? n : 16);
	*api = sp && (size_t)(z + n - sp) > 5 && !memcmp(sp + 1, "/api/", 5);
}

static char head_buf[WEB_DOOR_HEAD_MAX + 1];

/* New bytes on conn i (a head still arriving): look at all it sent so far. */
static void read_head(web_door *d, size_t i, short revents)
{
	door_conn *c = &d->conn[i];
	ssize_t got = recv(c->fd, head_buf, sizeof head_buf, MSG_PEEK | MSG_DONTWAIT);
	if (got < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (got <= 0) {
		drop(d, i); /* gone, or an error */
		return;
	}
	size_t n = (size_t)got, end = head_end(head_buf, n);
	int api = 0, head = 0, exports = 0;
	if (!end) {
		peek_kind(head_buf, n, &api, &head);
		const char *nl = memchr(head_buf, '\n', n);
		if (!nl && n > WEB_DOOR_URI_MAX + 32) {
			count(d, &d->stats.refused_size);
			refuse(d, i, &A_LONG_URI, api, head);
		} else if (n > WEB_DOOR_HEAD_MAX) {
			count(d, &d->stats.refused_size);
			refuse(d, i, &A_BIG_HEAD, api, head);
		} else if (revents & (POLLRDHUP | POLLHUP | POLLERR)) {
			drop(d, i); /* the client stopped sending with half a head */
		} else {
			/* wake again when more than this has arrived */
			int lowat = (int)n + 1;
			setsockopt(c->fd, SOL_SOCKET, SO_RCVLOWAT, &lowat, sizeof lowat);
			c->peeked = n;
		}
		return;
	}
	const answer *a = check_head(head_buf, end, &api, &head, &exports);
	if (a) {
		count(d, &d->stats.refused_bad);
		refuse(d, i, a, api, head);
		return;
	}
	struct MHD_Daemon *to = exports ? d->exports : d->pages;
	unsigned limit = exports ? d->exports_limit : d->pages_limit;
	const union MHD_DaemonInfo *info =
	    MHD_get_daemon_info(to, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
	if ((info && info->num_connections >= limit) ||
	    active_of(d, c->addr) >= WEB_DOOR_PER_ADDRESS_ACTIVE) {
		count(d, &d->stats.refused_busy);
		refuse(d, i, &A_BUSY, api, head);
		return;
	}
	int one = 1;
	setsockopt(c->fd, SOL_SOCKET, SO_RCVLOWAT, &one, sizeof one);
	int fd = c->fd;
	struct sockaddr_storage sa = c->sa;
	socklen_t len = c->sa_len;
	d->conn[i] = d->conn[--d->n];
	count(d, &d->stats.handed);
	/* libmicrohttpd owns fd from here, and closes it when it cannot take it */
	MHD_add_connection(to, fd, (struct sockaddr *)&sa, len);
}

/* A new connection: its head read at once when it is there already, else held.  When
 * its address has WEB_DOOR_PER_ADDRESS heads arriving already, the oldest of them is
 * answered 429 if it has taken WEB_DOOR_SLOW_MS (a burst of quick clients behind one
 * address passes); when the door holds WEB_DOOR_PENDING, the oldest of all is answered
 * 408.  So the slowest give way, and a new client always gets in. */
static void admit(web_door *d, int fd, const struct sockaddr_storage *sa, socklen_t len)
{
	if (d->n >= sizeof d->conn / sizeof d->conn[0]) {
		close(fd);
		count(d, &d->stats.refused_budget);
		return;
	}
	uint32_t addr = sockaddr_v4((const struct sockaddr *)sa);
	long long now = now_ms();
	d->conn[d->n++] = (door_conn){fd, *sa, len, addr, now, 0, 0};
	read_head(d, d->n - 1, 0);
	size_t i = 0;
	while (i < d->n && d->conn[i].fd != fd)
		i++;
	if (i == d->n || d->conn[i].drain)
		return; /* handed over, answered or gone */
	size_t same = 0, pending = 0, oldest = d->n, oldest_same = d->n;
	for (size_t k = 0; k < d->n; k++) {
		if (d->conn[k].drain || k == i)
			continue;
		pending++;
		if (oldest == d->n || d->conn[k].since < d->conn[oldest].since)
			oldest = k;
		if (d->conn[k].addr != addr)
			continue;
		same++;
		if (oldest_same == d->n || d->conn[k].since < d->conn[oldest_same].since)
			oldest_same = k;
	}
	if (same >= WEB_DOOR_PER_ADDRESS && now - d->conn[oldest_same].since >= WEB_DOOR_SLOW_MS) {
		count(d, &d->stats.refused_budget);
		refuse(d, oldest_same, &A_TOO_MANY, 0, 0);
	} else if (pending >= WEB_DOOR_PENDING) {
		count(d, &d->stats.evicted);
		refuse(d, oldest, &A_TIMEOUT, 0, 0);
	}
}

static void *door_main(void *arg)
{
	web_door *d = arg;
	static struct pollfd pf[2 + WEB_DOOR_PENDING + WEB_DOOR_DRAINING];
	long long accept_paused_until = 0;
	char sink[4096];
	for (;;) {
		long long now = now_ms(), next = now + 1000;
		/* deadlines: heads that did not arrive in time, drains that are done */
		for (size_t i = 0; i < d->n;) {
			door_conn *c = &d->conn[i];
			if (c->drain && c->drain <= now) {
				drop(d, i);
				continue;
			}
			if (!c->drain && c->since + WEB_DOOR_HEAD_S * 1000 <= now) {
				count(d, &d->stats.timed_out);
				int api = 0, head = 0;
				if (c->peeked) {
					ssize_t got = recv(c->fd, head_buf, sizeof head_buf,
							   MSG_PEEK | MSG_DONTWAIT);
					if (got > 0)
						peek_kind(head_buf, (size_t)got, &api, &head);
				}
				refuse(d, i, &A_TIMEOUT, api, head);
				continue;
			}
			long long due = c->drain ? c->drain : c->since + WEB_DOOR_HEAD_S * 1000;
			if (due < next)
				next = due;
			i++;
		}
		size_t np = 0;
		pf[np++] = (struct pollfd){d->wake[0], POLLIN, 0};
		int listening = accept_paused_until <= now;
		pf[np++] = (struct pollfd){listening ? d->listen_fd : -1, POLLIN, 0};
		if (!listening && accept_paused_until < next)
			next = accept_paused_until;
		for (size_t i = 0; i < d->n; i++)
			pf[np++] = (struct pollfd){d->conn[i].fd, POLLIN | POLLRDHUP, 0};
		int wait = (int)(next - now);
		if (poll(pf, np, wait < 0 ? 0 : wait) < 0 && errno != EINTR)
			break;
		if (pf[0].revents)
			break;
		/* the connections first, by their fd (the list moves as they leave) */
		for (size_t k = 2; k < np; k++) {
			if (!pf[k].revents)
				continue;
			size_t i = 0;
			while (i < d->n && d->conn[i].fd != pf[k].fd)
				i++;
			if (i == d->n)
				continue;
			if (d->conn[i].drain) {
				ssize_t got = recv(d->conn[i].fd, sink, sizeof sink, MSG_DONTWAIT);
				if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR))
					drop(d, i);
			} else {
				read_head(d, i, pf[k].revents);
			}
		}
		if (pf[1].revents) {
			for (int k = 0; k < 64; k++) {
				struct sockaddr_storage sa;
				socklen_t len = sizeof sa;
				int fd = accept4(d->listen_fd, (struct sockaddr *)&sa, &len,
						 SOCK_NONBLOCK | SOCK_CLOEXEC);
				if (fd < 0) {
					if (errno == EMFILE || errno == ENFILE ||
					    errno == ENOBUFS || errno == ENOMEM)
						accept_paused_until = now_ms() + 100;
					break;
				}
				admit(d, fd, &sa, len);
			}
		}
	}
	return NULL;
}

web_door *web_door_new(int listen_fd)
{
	web_door *d = calloc(1, sizeof *d);
	if (!d)
		return NULL;
	d->listen_fd = listen_fd;
	d->wake[0] = d->wake[1] = -1;
	pthread_mutex_init(&d->lock, NULL);
	return d;
}

int web_door_run(web_door *d, struct MHD_Daemon *pages, unsigned pages_limit,
		 struct MHD_Daemon *exports, unsigned exports_limit)
{
	d->pages = pages;
	d->exports = exports;
	d->pages_limit = pages_limit;
	d->exports_limit = exports_limit;
	if (pipe(d->wake) != 0)
		return -1;
	if (pthread_create(&d->thread, NULL, door_main, d) != 0)
		return -1;
	d->started = 1;
	return 0;
}

void web_door_stop(web_door *d)
{
	if (!d)
		return;
	if (d->started) {
		if (write(d->wake[1], "x", 1) < 0) {
			/* the pipe holds a byte already */
		}
		pthread_join(d->thread, NULL);
	}
	for (size_t i = 0; i < d->n; i++)
		close(d->conn[i].fd);
	if (d->wake[0] >= 0) {
		close(d->wake[0]);
		close(d->wake[1]);
	}
	pthread_mutex_destroy(&d->lock);
	free(d);
}
