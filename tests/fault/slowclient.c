/* slowclient.c - hold many slow HTTP connections open against a server (the load
 * test's slow-client phase).
 * usage: slowclient HOST PORT CONNECTIONS SECONDS [SOURCE [ADDRESSES]]
 * Opens up to CONNECTIONS connections, each sending the start of a request and then
 * one more header byte per second, for SECONDS seconds; then closes them all.  With
 * SOURCE (e.g. 127.0.0.2) the connections come from that address, or from ADDRESSES
 * consecutive addresses starting there (127.0.0.2 ... 127.0.0.41 for 40), taken in
 * turn, so that a server's per-address budget meets many addresses at once.  Prints
 * "slowclient: N connections from A addresses opened, M closed by the server (answers:
 * 408 x, 429 y, ...)".  Only for loopback addresses. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* The statuses the server answered with, counted. */
static struct {
	int status;
	int n;
} seen[16];

static void saw(const char *z, ssize_t n)
{
	int st = 0;
	if (n >= 12 && !strncmp(z, "HTTP/1.", 7))
		st = atoi(z + 9);
	for (int i = 0; i < 16; i++)
		if (seen[i].status == st || !seen[i].n) {
			seen[i].status = st;
			seen[i].n++;
			return;
		}
}

int main(int argc, char **argv)
{
	if (argc < 5 || argc > 7) {
		fputs("usage: slowclient HOST PORT CONNECTIONS SECONDS [SOURCE [ADDRESSES]]\n",
		      stderr);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	struct sockaddr_in addr;
	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_port = htons((unsigned short)atoi(argv[2]));
	if (inet_pton(AF_INET, argv[1], &addr.sin_addr) != 1) {
		fprintf(stderr, "slowclient: not an IPv4 address '%s'\n", argv[1]);
		return 2;
	}
	struct sockaddr_in src;
	memset(&src, 0, sizeof src);
	src.sin_family = AF_INET;
	if (argc >= 6 && inet_pton(AF_INET, argv[5], &src.sin_addr) != 1) {
		fprintf(stderr, "slowclient: not an IPv4 address '%s'\n", argv[5]);
		return 2;
	}
	int n_src = argc == 7 ? atoi(argv[6]) : 1;
	if (n_src < 1)
		n_src = 1;
	uint32_t first = ntohl(src.sin_addr.s_addr);
	int want = atoi(argv[3]), seconds = atoi(argv[4]);
	int *fd = calloc((size_t)(want > 0 ? want : 1), sizeof *fd);
	if (!fd)
		return 1;
	int n = 0, closed = 0;
	for (; n < want; n++) {
		fd[n] = socket(AF_INET, SOCK_STREAM, 0);
		if (fd[n] >= 0 && argc >= 6) {
			src.sin_addr.s_addr = htonl(first + (uint32_t)(n % n_src));
			if (bind(fd[n], (struct sockaddr *)&src, sizeof src) != 0) {
				close(fd[n]);
				fd[n] = -1;
			}
		}
		if (fd[n] < 0 || connect(fd[n], (struct sockaddr *)&addr, sizeof addr) != 0) {
			if (fd[n] >= 0)
				close(fd[n]);
			break;
		}
		static const char start[] = "GET /?q=hjemmepleje HTTP/1.1\r\nHost: 127.0.0.1\r\n";
		if (write(fd[n], start, sizeof start - 1) < 0)
			closed++;
		fcntl(fd[n], F_SETFL, O_NONBLOCK);
	}
	for (int t = 0; t < seconds; t++) {
		sleep(1);
		for (int i = 0; i < n; i++) {
			if (fd[i] < 0)
				continue;
			char buf[512];
			ssize_t got = read(fd[i], buf, sizeof buf);
			if (got > 0)
				saw(buf, got);
			if (got >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK) ||
			    write(fd[i], "X", 1) < 0) {
				close(fd[i]);
				fd[i] = -1;
				closed++;
			}
		}
	}
	for (int i = 0; i < n; i++)
		if (fd[i] >= 0)
			close(fd[i]);
	printf("slowclient: %d connections from %d addresses opened, %d closed by the server", n,
	       n_src, closed);
	for (int i = 0; i < 16 && seen[i].n; i++)
		printf("%s%d x %d", i ? ", " : " (answers: ", seen[i].status, seen[i].n);
	printf("%s\n", seen[0].n ? ")" : "");
	free(fd);
	return 0;
}
