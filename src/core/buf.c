/* buf.c - the growable, capped byte buffer. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ideabank/buf.h"
#include "ideabank/error.h"

void ib_buf_init(ib_buf *b, size_t cap)
{
	b->z = NULL;
	b->n = 0;
	b->alloc = 0;
	b->cap = cap ? cap : IB_BUF_DEFAULT_CAP;
}

static int buf_grow(ib_buf *b, size_t extra)
{
	if (extra > b->cap || b->n > b->cap - extra)
		return IB_ETOOBIG;
	size_t need = b->n + extra + 1;
	if (need <= b->alloc)
		return IB_OK;
	size_t a = b->alloc ? b->alloc : 64;
	while (a < need)
		a = a > SIZE_MAX / 2 ? need : a * 2;
	char *z = realloc(b->z, a);
	if (!z)
		return IB_ENOMEM;
	b->z = z;
	b->alloc = a;
	return IB_OK;
}

int ib_buf_add(ib_buf *b, const void *p, size_t n)
{
	int rc = buf_grow(b, n);
	if (rc)
		return rc;
	if (n)
		memcpy(b->z + b->n, p, n);
	b->n += n;
	b->z[b->n] = '\0';
	return IB_OK;
}

int ib_buf_adds(ib_buf *b, const char *z)
{
	return ib_buf_add(b, z, strlen(z));
}

int ib_buf_addc(ib_buf *b, char c)
{
	return ib_buf_add(b, &c, 1);
}

int ib_buf_vaddf(ib_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int len = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (len < 0)
		return IB_EARG;
	int rc = buf_grow(b, (size_t)len);
	if (rc)
		return rc;
	vsnprintf(b->z + b->n, (size_t)len + 1, fmt, ap);
	b->n += (size_t)len;
	return IB_OK;
}

int ib_buf_addf(ib_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = ib_buf_vaddf(b, fmt, ap);
	va_end(ap);
	return rc;
}

void ib_buf_reset(ib_buf *b)
{
	b->n = 0;
	if (b->z)
		b->z[0] = '\0';
}

char *ib_buf_detach(ib_buf *b)
{
	char *z = b->z;
	if (!z)
		z = calloc(1, 1);
	b->z = NULL;
	b->n = 0;
	b->alloc = 0;
	return z;
}

void ib_buf_free(ib_buf *b)
{
	if (!b)
		return;
	free(b->z);
	b->z = NULL;
	b->n = 0;
	b->alloc = 0;
}

const char *ib_buf_str(const ib_buf *b)
{
	return b->z ? b->z : "";
}

int ib_buf_read_file(ib_buf *b, const char *path, ib_error *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return ib_error_set(err, IB_EIO, "cannot open '%s': %s", path, strerror(errno));
	char chunk[65536];
	size_t got;
	int rc = IB_OK;
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
		rc = ib_buf_add(b, chunk, got);
		if (rc) {
			ib_error_set(err, rc, "cannot read '%s': %s", path, ib_strerror(rc));
			break;
		}
	}
	if (!rc && ferror(f))
		rc = ib_error_set(err, IB_EIO, "cannot read '%s': %s", path, strerror(errno));
	fclose(f);
	if (!rc && !b->z)
		rc = ib_buf_add(b, "", 0);
	return rc;
}

int ib_has_suffix(const char *z, const char *suffix)
{
	size_t n = strlen(z), k = strlen(suffix);
	return n >= k && strcasecmp(z + n - k, suffix) == 0;
}

size_t ib_prefix_of(const char *z, const char *const *any)
{
	for (; *any; any++) {
		size_t n = strlen(*any);
		if (!strncmp(z, *any, n))
			return n;
	}
	return 0;
}

const char *ib_base_name(const char *path)
{
	const char *z = strrchr(path, '/');
	return z ? z + 1 : path;
}

size_t ib_utf8_invalid_at(const void *p, size_t len)
{
	const unsigned char *z = p;
	size_t i = 0;
	while (i < len) {
		unsigned c = z[i];
		size_t k;
		unsigned min;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			k = 2, min = 0x80;
		} else if ((c & 0xF0) == 0xE0) {
			k = 3, min = 0x800;
		} else if ((c & 0xF8) == 0xF0) {
			k = 4, min = 0x10000;
		} else {
			return i;
		}
		if (i + k > len)
			return i;
		unsigned cp = c & (0x7F >> k);
		for (size_t j = 1; j < k; j++) {
			if ((z[i + j] & 0xC0) != 0x80)
				return i;
			cp = (cp << 6) | (z[i + j] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return i;
		i += k;
	}
	return len;
}

size_t ib_utf8_prefix(const char *z, size_t len, size_t max)
{
	if (len <= max)
		return len;
	/* back over continuation bytes to the start of the character that is cut */
	size_t n = max;
	while (n > 0 && ((unsigned char)z[n] & 0xC0) == 0x80)
		n--;
	return n;
}

int ib_utf8_check(const char *name, const void *p, size_t len, ib_error *err)
{
	size_t bad = ib_utf8_invalid_at(p, len);
	if (bad == len)
		return IB_OK;
	const unsigned char *z = p;
	size_t line = 1;
	for (size_t i = 0; i < bad; i++)
		line += z[i] == '\n';
	return ib_error_set(err, IB_EPARSE, "%s:%zu: not valid UTF-8 (byte 0x%02X)", name, line,
			    z[bad]);
}

int ib_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 63 || lb > 63)
		return 99;
	int d[64][64];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			int c = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			int del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;
			d[i][j] = c < del ? (c < ins ? c : ins) : (del < ins ? del : ins);
		}
	return d[la][lb];
}
