/* cli.c - shared helpers for the subcommands: errors, exit codes, options, output. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

void cli_error(const char *fmt, ...)
{
	va_list ap;
	fputs("ideabank: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_exit_code(int rc)
{
	switch (rc) {
	case IB_OK:
		return EXIT_OK;
	case IB_EARG:
		return EXIT_USAGE;
	case IB_EPARSE:
	case IB_ENOTFOUND:
	case IB_EDUP:
	case IB_ECHECK:
	case IB_ETOOBIG:
		return EXIT_DATA;
	case IB_ENET:
		return EXIT_NETWORK;
	default:
		return EXIT_STORE;
	}
}

int cli_fail(const ib_error *err)
{
	cli_error("%s", err->msg[0] ? err->msg : ib_strerror(err->rc));
	return cli_exit_code(err->rc);
}

/* mkdir -p for the directory part of path. */
static void make_parent_dirs(const char *path)
{
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s", path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(tmp, 0700);
		*p = '/';
	}
}

ib_store *cli_open_store(const ib_cli *cli)
{
	ib_store *s = NULL;
	ib_error err = {0};
	make_parent_dirs(cli->db_path);
	if (ib_store_open(cli->db_path, &s, &err)) {
		cli_fail(&err);
		return NULL;
	}
	return s;
}

int cli_opt_value(int argc, char **argv, int *i, const char *name, const char **val)
{
	const char *a = argv[*i];
	size_t n = strlen(name);
	if (strncmp(a, name, n) != 0)
		return 0;
	if (a[n] == '=') {
		*val = a + n + 1;
		return 1;
	}
	if (a[n] != '\0')
		return 0;
	if (*i + 1 >= argc) {
		cli_error("option '%s' needs a value", name);
		return -1;
	}
	*val = argv[++*i];
	return 1;
}

const char *cli_num(double v, int decimals, char buf[64])
{
	return ib_num_format(v, decimals, buf, 64);
}

size_t cli_width(const char *z)
{
	size_t w = 0;
	for (const unsigned char *p = (const unsigned char *)z; *p; p++)
		if ((*p & 0xC0) != 0x80)
			w++;
	return w;
}

void cli_cell(FILE *f, const char *z, size_t w, int right)
{
	if (!z)
		z = "";
	size_t have = cli_width(z);
	if (have > w) {
		/* cut at a code point boundary, leaving room for the ellipsis */
		size_t cols = 0;
		const unsigned char *p = (const unsigned char *)z;
		while (*p) {
			if ((*p & 0xC0) != 0x80) {
				if (cols + 1 >= w)
					break;
				cols++;
			}
			p++;
		}
		fwrite(z, 1, (size_t)(p - (const unsigned char *)z), f);
		if (w)
			fputs("…", f);
		for (size_t k = cols + (w ? 1 : 0); k < w; k++)
			fputc(' ', f);
		return;
	}
	if (right)
		for (size_t k = have; k < w; k++)
			fputc(' ', f);
	fputs(z, f);
	if (!right)
		for (size_t k = have; k < w; k++)
			fputc(' ', f);
}

void csv_begin(FILE *f)
{
	fputs("\xEF\xBB\xBF", f);
}

void csv_field(FILE *f, const char *z, int first)
{
	if (!first)
		fputc(';', f);
	if (!z)
		return;
	if (strpbrk(z, ";\"\r\n") == NULL) {
		fputs(z, f);
		return;
	}
	fputc('"', f);
	for (const char *p = z; *p; p++) {
		if (*p == '"')
			fputc('"', f);
		fputc(*p, f);
	}
	fputc('"', f);
}

void csv_num(FILE *f, double v, int decimals)
{
	char b[64];
	fputc(';', f);
	fputs(ib_num_plain(v, decimals, 1, b, sizeof b), f);
}

void csv_end_row(FILE *f)
{
	fputs("\r\n", f);
}
