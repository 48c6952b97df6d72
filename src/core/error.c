/* error.c - return code texts and the ib_error message helpers. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ideabank/error.h"

static const char *const rc_text[IB_RC_COUNT] = {
    [IB_OK] = "ok",
    [IB_ENOMEM] = "out of memory",
    [IB_EIO] = "input/output error",
    [IB_EDB] = "database error",
    [IB_EPARSE] = "malformed input",
    [IB_ENOTFOUND] = "not found",
    [IB_EARG] = "invalid argument",
    [IB_ESCHEMA] = "database schema not supported",
    [IB_ETOOBIG] = "too big",
    [IB_ENET] = "network error",
    [IB_EDUP] = "given twice",
    [IB_ECHECK] = "check failed",
    [IB_ECOST] = "query too costly",
};

const char *ib_strerror(int rc)
{
	if (rc < 0 || rc >= IB_RC_COUNT || !rc_text[rc])
		return "unknown error";
	return rc_text[rc];
}

int ib_error_set(ib_error *e, int rc, const char *fmt, ...)
{
	if (!e)
		return rc;
	e->rc = rc;
	e->detail = 0;
	if (!fmt) {
		snprintf(e->msg, sizeof e->msg, "%s", ib_strerror(rc));
		return rc;
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return rc;
}

void ib_error_prefix(ib_error *e, const char *fmt, ...)
{
	if (!e)
		return;
	char head[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(head, sizeof head, fmt, ap);
	va_end(ap);
	size_t hl = strlen(head);
	size_t ml = strlen(e->msg);
	if (hl + 2 + ml >= sizeof e->msg)
		ml = sizeof e->msg - hl - 3; /* cut the old message, keep the prefix */
	memmove(e->msg + hl + 2, e->msg, ml);
	memcpy(e->msg, head, hl);
	e->msg[hl] = ':';
	e->msg[hl + 1] = ' ';
	e->msg[hl + 2 + ml] = '\0';
}

void ib_error_clear(ib_error *e)
{
	if (!e)
		return;
	e->rc = IB_OK;
	e->msg[0] = '\0';
}
