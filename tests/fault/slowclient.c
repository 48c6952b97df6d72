/* slowclient.c - hold many slow HTTP connections open against a server (the load
 * test's slow-client phase).
 * usage: slowclient HOST PORT CONNECTIONS SECONDS [SOURCE]
 * Opens up to CONNECTIONS connections (from address SOURCE when given, e.g. 127.0.0.2,
 * so that a server's per-address limit tells them from other clients), each sending the start of a request and then
 * one more header byte per second, for SECONDS seconds; then closes them all.  Prints
 * "slowclient: N connections opened, M closed by the server".  Only for 127.0.0.1. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 5 && argc != 6) {
		fputs("usage: slowclient HOST PORT CONNECTIONS SECONDS [SOURCE]\n", stderr);
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
	if (argc == 6 && inet_pton(AF_INET, argv[5], &src.sin_addr) != 1) {
		fprintf(stderr, "slowclient: not an IPv4 address '%s'\n", argv[5]);
		return 2;
	}
	int want = atoi(argv[3]), seconds = atoi(argv[4]);
	int *fd = calloc((size_t)(want > 0 ? want : 1), sizeof *fd);
	if (!fd)
		return 1;
	int n = 0, closed = 0;
	for (; n < want; n++) {
		fd[n] = socket(AF_INET, SOCK_STREAM, 0);
		if (fd[n] >= 0 && argc == 6 && bind(fd[n], (struct sockaddr *)&src, sizeof src) != 0) {
			close(fd[n]);
			fd[n] = -1;
		}
		if (fd[n] < 0 || connect(fd[n], (struct sockaddr *)&addr, sizeof addr) != 0) {
			if (fd[n] >= 0)
				close(fd[n]);
			break;
		}
		static const char start[] = "GET /?q=hjemmepleje HTTP/1.1\r\nHost: 127.0.0.1\r\n";
		if (write(fd[n], start, sizeof start - 1) < 0)
			closed++;
	}
	for (int t = 0; t < seconds; t++) {
		sleep(1);
		for (int i = 0; i < n; i++)
			if (fd[i] >= 0 && write(fd[i], "X", 1) < 0) {
				close(fd[i]);
				fd[i] = -1;
				closed++;
			}
	}
	for (int i = 0; i < n; i++)
		if (fd[i] >= 0)
			close(fd[i]);
	printf("slowclient: %d connections opened, %d closed by the server\n", n, closed);
	free(fd);
	return 0;
}
