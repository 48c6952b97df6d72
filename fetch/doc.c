/* doc.c - a document read into lines, and the text and number helpers every part of
 * the document reader (doc_*.c) and the extractor (extract*.c) share.  Which reader
 * reads a document is doc_parse.c's. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "doc_int.h"
#include "ideabank/array.h"
#include "ideabank/buf.h"
#include "ideabank/num.h"

/* ---- reading ---------------------------------------------------------------- */

int ib_doc_from_text(const char *name, const char *text, size_t len, ib_doc **out, ib_error *err)
{
	*out = NULL;
	if (len > IB_DOC_MAX)
		return ib_error_set(err, IB_ETOOBIG, "%s: document is larger than %zu MB", name,
				    IB_DOC_MAX / (1024 * 1024));
	if (memchr(text, '\0', len))
		return ib_error_set(err, IB_EPARSE, "%s: not a text document (NUL bytes)", name);
	size_t bad = ib_utf8_invalid_at(text, len);
	if (bad < len) {
		size_t line = 1;
		for (size_t i = 0; i < bad; i++)
			line += text[i] == '\n';
		return ib_error_set(err, IB_EPARSE, "%s:%zu: not valid UTF-8 (byte 0x%02X)", name,
				    line, (unsigned char)text[bad]);
	}
	ib_doc *d = calloc(1, sizeof *d);
	if (!d)
		return ib_error_set(err, IB_ENOMEM, NULL);
	size_t skip = (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) ? 3 : 0;
	d->name = strdup(name);
	d->text = malloc(len - skip + 1);
	size_t n_lines = 1;
	for (size_t i = skip; i < len; i++)
		n_lines += text[i] == '\n';
	d->line = calloc(n_lines, sizeof *d->line);
	d->page = calloc(n_lines, sizeof *d->page);
	if (!d->name || !d->text || !d->line || !d->page) {
		ib_doc_free(d);
		return ib_error_set(err, IB_ENOMEM, NULL);
	}
	memcpy(d->text, text + skip, len - skip);
	d->text[len - skip] = '\0';
	int page = 1;
	char *z = d->text;
	for (;;) {
		char *nl = strchr(z, '\n');
		if (nl) {
			*nl = '\0';
			if (nl > z && nl[-1] == '\r')
				nl[-1] = '\0';
		}
		/* pdftotext ends every page with a form feed */
		while (*z == '\f') {
			page++;
			z++;
		}
		for (char *f = strchr(z, '\f'); f; f = strchr(f, '\f'))
			*f = ' ';
		d->line[d->n_lines] = z;
		d->page[d->n_lines] = page;
		d->n_lines++;
		if (!nl)
			break;
		z = nl + 1;
	}
	/* text without form feeds has no page numbers: say unknown (0), not page 1 */
	if (page == 1)
		memset(d->page, 0, d->n_lines * sizeof *d->page);
	/* a final newline does not start another line */
	if (d->n_lines > 1 && d->line[d->n_lines - 1][0] == '\0')
		d->n_lines--;
	*out = d;
	return IB_OK;
}

/* Run pdftotext -layout on path (no shell) and collect its output in b.  Its stderr
 * (to a temporary file) is read too: pdftotext reports a damaged PDF there and still
 * exits 0 with whatever text it could read, so errors on stderr refuse the document. */
static int pdf_to_text(const char *path, ib_buf *b, ib_error *err)
{
	/* a missing or unreadable file is said as such, not as pdftotext's exit 1 */
	int in = open(path, O_RDONLY), fd[2] = {-1, -1}, rc = IB_OK, status = 0;
	if (in < 0)
		return ib_error_set(err, IB_EIO, "cannot open '%s': %s", path, strerror(errno));
	close(in);
	FILE *errs = tmpfile();
	pid_t pid = -1;
	if (!errs || pipe(fd) || (pid = fork()) < 0) {
		int e = errno;
		close(fd[0]), close(fd[1]); /* (-1: EBADF) */
		if (errs)
			fclose(errs);
		return ib_error_set(err, IB_EIO, "%s: cannot run pdftotext: %s", path, strerror(e));
	}
	if (pid == 0) {
		if (dup2(fd[1], STDOUT_FILENO) < 0 || dup2(fileno(errs), STDERR_FILENO) < 0)
			_exit(126);
		close(fd[0]);
		close(fd[1]);
		char *argv[] = {"pdftotext", "-layout", "-enc", "UTF-8", (char *)path, "-", NULL};
		execvp(argv[0], argv);
		_exit(127);
	}
	close(fd[1]);
	char chunk[65536];
	for (ssize_t k; (k = read(fd[0], chunk, sizeof chunk)) != 0;)
		if (k > 0 && !rc && ib_buf_add(b, chunk, (size_t)k) != IB_OK)
			rc = ib_error_set(err, IB_ETOOBIG, "%s: text is larger than %zu MB", path,
					  IB_DOC_MAX / (1024 * 1024));
		else if (k < 0 && errno != EINTR)
			break;
	close(fd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	/* the first error pdftotext printed (a line with "Error": "Syntax Error: Unterminated
	   string"; warnings do not count), and how many */
	char first[256] = "", line[256], more[48] = "";
	int n_errors = 0;
	rewind(errs);
	while (fgets(line, sizeof line, errs))
		if (strstr(line, "Error") && !n_errors++)
			line[strcspn(line, "\n")] = '\0',
					   snprintf(first, sizeof first, "%s", doc_squeeze(line));
	fclose(errs);
	if (rc)
		return rc;
	if (!WIFEXITED(status) || WEXITSTATUS(status) == 127)
		return ib_error_set(err, IB_EIO,
				    "%s: pdftotext is not installed (Debian package poppler-utils)",
				    path);
	/* a file pdftotext cannot read is bad input, as a damaged .txt is (exit 3) */
	if (WEXITSTATUS(status) != 0 && strstr(first, "Incorrect password"))
		return ib_error_set(err, IB_EPARSE,
				    "%s: the PDF is encrypted (it asks for a password); decrypt it "
				    "first, e.g. with 'qpdf --decrypt'",
				    path);
	if (WEXITSTATUS(status) != 0 && first[0])
		return ib_error_set(err, IB_EPARSE,
				    "%s: not a readable PDF: pdftotext reports '%s'", path, first);
	if (WEXITSTATUS(status) != 0)
		return ib_error_set(err, IB_EPARSE,
				    "%s: pdftotext failed (exit %d): not a readable PDF", path,
				    WEXITSTATUS(status));
	if (n_errors > 1)
		snprintf(more, sizeof more, " and %d more error%s", n_errors - 1,
			 n_errors > 2 ? "s" : "");
	return n_errors ? ib_error_set(err, IB_EPARSE,
				       "%s: damaged PDF: pdftotext reports '%s'%s; its text may be "
				       "incomplete, nothing imported",
				       path, first, more)
			: IB_OK;
}

int ib_doc_load(const char *path, ib_doc **out, ib_error *err)
{
	ib_buf b;
	ib_buf_init(&b, IB_DOC_MAX);
	int rc = ib_has_suffix(path, ".pdf") ? pdf_to_text(path, &b, err)
					     : ib_buf_read_file(&b, path, err);
	if (!rc)
		rc = ib_doc_from_text(ib_base_name(path), b.z ? b.z : "", b.n, out, err);
	ib_buf_free(&b);
	return rc;
}

void ib_doc_free(ib_doc *d)
{
	if (!d)
		return;
	IB_FREE_ALL(d->name, d->text, d->line, d->page, d);
}

/* ---- lines and text --------------------------------------------------------- */

const char *doc_skip_blank(const char *z)
{
	for (;;) {
		if (*z == ' ' || *z == '\t')
			z++;
		else if ((unsigned char)z[0] == 0xC2 && (unsigned char)z[1] == 0xA0)
			z += 2;
		else
			return z;
	}
}

int doc_is_blank(const char *z)
{
	return *doc_skip_blank(z) == '\0';
}

/* Bytes of a bullet glyph at z (U+F0B7, U+2022, U+25AA, U+F0A7), 0 if none. */
static size_t bullet_len(const unsigned char *z)
{
	static const char *const bullets[] = {"\xEF\x82\xB7", "\xE2\x80\xA2", "\xE2\x96\xAA",
					      "\xEF\x82\xA7", NULL};
	return ib_prefix_of((const char *)z, bullets);
}

char *doc_squeeze(char *z)
{
	char *w = z;
	int space = 1; /* drop leading blanks */
	for (const char *r = z; *r;) {
		size_t k = bullet_len((const unsigned char *)r), blank = 0;
		if (!k && (*r == ' ' || *r == '\t' || *r == '\r'))
			k = blank = 1;
		else if (!k && (unsigned char)r[0] == 0xC2 && (unsigned char)r[1] == 0xA0)
			k = blank = 2;
		if (blank && !space)
			*w++ = ' ';
		if (!k)
			*w++ = *r;
		r += k ? k : 1;
		space = k ? space || blank : 0;
	}
	while (w > z && w[-1] == ' ')
		w--;
	*w = '\0';
	return z;
}

/* Whether the joined text so far ends in a word split by a hyphen: a letter right
 * before a final '-' ("omkostnin-"), which is not a Danish "og"-construction such as
 * "Social- og" (then the next line starts with "og"). */
static int split_word(const ib_buf *b, const char *next)
{
	if (b->n < 2 || b->z[b->n - 1] != '-')
		return 0;
	unsigned char c = (unsigned char)b->z[b->n - 2];
	if (!(c >= 'a' && c <= 'z') && c < 0x80)
		return 0;
	if (!strncmp(next, "og ", 3) || !strncmp(next, "eller ", 6))
		return 0;
	/* lower-case continuation: a broken word; upper-case: a real hyphen */
	return (*next >= 'a' && *next <= 'z') || (unsigned char)*next == 0xC3;
}

static char *join(const ib_doc *d, size_t from, size_t to, size_t skip, int paragraphs,
		  const unsigned char *omit)
{
	ib_buf b;
	ib_buf_init(&b, IB_DOC_MAX);
	int rc = IB_OK, pending_break = 0;
	for (size_t i = from; i < to && i < d->n_lines && !rc; i++) {
		const char *z = d->line[i];
		if (i == from)
			z += strlen(z) < skip ? strlen(z) : skip;
		char *copy = strdup(omit && omit[i] ? "" : z);
		if (!copy) {
			rc = IB_ENOMEM;
			break;
		}
		doc_squeeze(copy);
		if (!*copy) {
			pending_break = paragraphs && b.n > 0;
			free(copy);
			continue;
		}
		if (b.n > 0) {
			if (split_word(&b, copy)) {
				b.n--; /* drop the hyphen */
				b.z[b.n] = '\0';
			} else {
				rc = ib_buf_addc(&b, pending_break ? '\n' : ' ');
			}
		}
		pending_break = 0;
		if (!rc)
			rc = ib_buf_adds(&b, copy);
		free(copy);
	}
	if (rc) {
		ib_buf_free(&b);
		return NULL;
	}
	return ib_buf_detach(&b);
}

char *doc_join(const ib_doc *d, size_t from, size_t to, size_t skip)
{
	return join(d, from, to, skip, 0, NULL);
}

char *doc_join_text(const ib_doc *d, size_t from, size_t to, const unsigned char *omit)
{
	return join(d, from, to, 0, 1, omit);
}

char *doc_summary(char *z)
{
	enum { MAX = 420 };
	size_t len = z ? strlen(z) : 0;
	if (len <= MAX)
		return z;
	size_t cut = 0; /* the last sentence end before MAX */
	int depth = 0;	/* a sentence does not end inside brackets: "(R: 3%-19%)" */
	for (size_t i = 0; i < MAX; i++) {
		depth += (z[i] == '(' || z[i] == '[') - (depth > 0 && (z[i] == ')' || z[i] == ']'));
		if (i >= 80 && !depth && (z[i] == '.' || z[i] == ':') && z[i + 1] == ' ')
			cut = i + 1;
	}
	for (size_t i = MAX; i > 0 && !cut; i--) /* else the last word boundary */
		if (z[i] == ' ' && i + 4 <= len)
			memcpy(z + i, " \xE2\x80\xA6", 4), cut = i + 4; /* " …" */
	z[cut] = '\0';
	return z;
}

/* ---- numbers ---------------------------------------------------------------- */

static int is_placeholder(const char *t)
{
	if (*t == '-' || *t == '+')
		t++;
	return (!strcmp(t, "?") || !strcmp(t, "x") || !strcmp(t, "y") || !strcmp(t, "X") ||
		!strcmp(t, "Y"));
}

/* A lone minus: ASCII or U+2212.  An en dash alone is punctuation in running text. */
static int is_dash(const char *t)
{
	return !strcmp(t, "-") || !strcmp(t, "\xE2\x88\x92");
}

/* Whether t is an unsigned number in Danish notation. */
static int is_bare_number(const char *t, double *v)
{
	return (*t >= '0' && *t <= '9') || !strncmp(t, "\xC2\xBD", 2) ? ib_num_parse(t, v) == IB_OK
								      : 0;
}

int ib_doc_tail_numbers(const char *z, double *vals, int max, int *n_placeholders,
			size_t *label_len)
{
	/* the line's tokens (the last MAXTOK kept; a long word is no number: "#") */
	enum { MAXTOK = 64 };
	char tok[MAXTOK][32];
	size_t start[MAXTOK];
	int nt = 0;
	for (const char *p = doc_skip_blank(z), *e; *p; p = doc_skip_blank(e)) {
		for (e = p; *e && *e != ' ' && *e != '\t' &&
			    !((unsigned char)e[0] == 0xC2 && (unsigned char)e[1] == 0xA0);)
			e++;
		if (nt == MAXTOK) {
			memmove(tok, tok + 1, sizeof tok[0] * (MAXTOK - 1));
			memmove(start, start + 1, sizeof start[0] * --nt);
		}
		int k = (int)(e - p);
		snprintf(tok[nt], sizeof tok[nt], "%.*s", k < 32 ? k : 1, k < 32 ? p : "#");
		start[nt++] = (size_t)(p - z);
	}
	/* the numeric tail */
	int first = nt;
	double v;
	while (first > 0) {
		const char *t = tok[first - 1];
		if (is_placeholder(t) || is_dash(t) || ib_num_parse(t, &v) == IB_OK)
			first--;
		else
			break;
	}
	/* one dash alone ends a line of text ("Social- og Sundheds -"), not a table */
	if (first == nt - 1 && is_dash(tok[first]))
		first = nt;
	if (label_len)
		*label_len = first < nt ? start[first] : strlen(z);
	int n = 0, ph = 0;
	for (int i = first; i < nt; i++) {
		double x;
		if (is_placeholder(tok[i])) {
			x = IB_NA;
			ph++;
		} else if (is_dash(tok[i])) {
			if (i + 1 < nt && is_bare_number(tok[i + 1], &x)) {
				x = -x; /* "- 300" */
				i++;
			} else {
				x = 0; /* a printed dash is zero */
			}
		} else {
			ib_num_parse(tok[i], &x);
		}
		if (n < max)
			vals[n] = x;
		n++;
	}
	if (n_placeholders)
		*n_placeholders = ph;
	return n < max ? n : max;
}

int doc_year_columns(const char *z, int *years, int max)
{
	double v[DOC_MAX_COLS + 1];
	int ph = 0;
	int n = ib_doc_tail_numbers(z, v, DOC_MAX_COLS + 1, &ph, NULL);
	if (n < 2 || n > max || ph)
		return 0;
	for (int i = 0; i < n; i++) {
		if (v[i] != floor(v[i]) || v[i] < 1990 || v[i] > 2100)
			return 0;
		if (i && v[i] != v[i - 1] + 1)
			return 0;
		years[i] = (int)v[i];
	}
	return n;
}

int doc_near_equal(double a, double b)
{
	return fabs(a - b) < 0.0005;
}

/* ---- results ---------------------------------------------------------------- */

void doc_list_values(const double *v, int n, int decimals, char *out, size_t size)
{
	size_t k = 0;
	out[0] = '\0';
	for (int i = 0; i < n && k < size; i++) {
		char num[48];
		if (ib_is_na(v[i]))
			snprintf(num, sizeof num, "?");
		else
			ib_num_format(v[i], decimals, num, sizeof num);
		k += (size_t)snprintf(out + k, size - k, "%s%s", i ? ", " : "", num);
	}
}

int doc_lower_start(const char *z)
{
	const unsigned char *w = (const unsigned char *)doc_skip_blank(z);
	return (*w >= 'a' && *w <= 'z') ||
	       (w[0] == 0xC3 && (w[1] == 0xA6 || w[1] == 0xB8 || w[1] == 0xA5));
}

void doc_label_add(char *dst, size_t n, const char *z)
{
	size_t k = strlen(dst);
	char part[512];
	snprintf(part, sizeof part, "%s", z);
	doc_squeeze(part);
	if (!*part)
		return;
	/* "implementeringsomkostnin-" + "ger" */
	if (k > 1 && dst[k - 1] == '-' && dst[k - 2] != ' ' && *part >= 'a' && *part <= 'z')
		dst[--k] = '\0';
	else if (k && k + 1 < n)
		dst[k++] = ' ', dst[k] = '\0';
	snprintf(dst + k, n - k, "%s", part);
}

void doc_effect_from_net(ib_proposal *p)
{
	p->effect_kr = IB_NA;
	p->full_year = 0;
	if (!p->n_years)
		return;
	double last = p->years[p->n_years - 1].net;
	if (ib_is_na(last))
		return;
	p->effect_kr = -last * 1000.0;
	size_t k = p->n_years - 1;
	while (k > 0 && !ib_is_na(p->years[k - 1].net) && doc_near_equal(p->years[k - 1].net, last))
		k--;
	p->full_year = p->years[k].year;
}
