/* buf.h - one growable byte buffer with a hard size cap (after curl's dynbuf).
 *
 * Used by the HTTP write callback, the document reader, the feed writer and every
 * place that builds a string.  The content is always NUL-terminated. */
#ifndef IDEABANK_BUF_H
#define IDEABANK_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct ib_buf {
	char *z;      /* content, NUL-terminated; NULL until the first append */
	size_t n;     /* bytes used, not counting the NUL */
	size_t alloc; /* bytes allocated */
	size_t cap;   /* hard limit on n; appends beyond it fail with IB_ETOOBIG */
} ib_buf;

#define IB_BUF_DEFAULT_CAP ((size_t)64 * 1024 * 1024)

/* Initialise an empty buffer holding at most cap bytes (0 means IB_BUF_DEFAULT_CAP). */
void ib_buf_init(ib_buf *b, size_t cap);
/* Append n bytes.  Returns IB_OK, IB_ENOMEM or IB_ETOOBIG (then b is unchanged). */
int ib_buf_add(ib_buf *b, const void *p, size_t n);
int ib_buf_adds(ib_buf *b, const char *z);
int ib_buf_addc(ib_buf *b, char c);
int ib_buf_addf(ib_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
int ib_buf_vaddf(ib_buf *b, const char *fmt, va_list ap);
/* Empty the buffer but keep its memory. */
void ib_buf_reset(ib_buf *b);
/* Hand the content to the caller (who frees it with free()) and reset b.  Returns an
 * empty allocated string when nothing was added; NULL only when out of memory. */
char *ib_buf_detach(ib_buf *b);
/* Free the content; b may be reused after ib_buf_init().  Accepts NULL. */
void ib_buf_free(ib_buf *b);
/* The content as a string ("" when empty); owned by b. */
const char *ib_buf_str(const ib_buf *b);

/* Read a whole file into b.  Returns IB_OK, IB_EIO (message names the file),
 * IB_ETOOBIG or IB_ENOMEM. */
struct ib_error;
int ib_buf_read_file(ib_buf *b, const char *path, struct ib_error *err);

/* 1 when z ends with suffix, ASCII letters compared without case ("x.PDF", ".pdf"). */
int ib_has_suffix(const char *z, const char *suffix);
/* The length of the first of the strings any (NULL-terminated) that z begins with; 0
 * when z begins with none of them.  The way a byte sequence is recognised (a blank, a
 * minus sign, a bullet glyph) is a list of its spellings. */
size_t ib_prefix_of(const char *z, const char *const *any);
/* The part of path after its last '/'; points into path. */
const char *ib_base_name(const char *path);

/* Levenshtein distance between two short strings, byte by byte (for "did you mean"
 * suggestions); 99 when either is longer than 63 bytes. */
int ib_edit_distance(const char *a, const char *b);

/* Offset of the first byte of p[0..len) that is not valid UTF-8, or len when all are. */
size_t ib_utf8_invalid_at(const void *p, size_t len);
/* The length of the longest start of z[0..len) of at most max bytes that does not end
 * inside a UTF-8 character (for quoting a cut piece of user text). */
size_t ib_utf8_prefix(const char *z, size_t len, size_t max);
/* IB_OK when p[0..len) is valid UTF-8; otherwise IB_EPARSE with the message
 * "NAME:LINE: not valid UTF-8 (byte 0xE6)", LINE counted from 1. */
int ib_utf8_check(const char *name, const void *p, size_t len, struct ib_error *err);

#endif
