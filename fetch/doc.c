/* doc.c - reading documents into lines and the layer the templates share. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "doc_int.h"
#include "embedded.h"
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

/* The first error pdftotext printed on stderr (a line with "Error" in it, such as
 * "Syntax Error: Unterminated string"; warnings do not count) into first, and how
 * many error lines there are. */
static int pdf_errors(const ib_buf *e, char *first, size_t size)
{
	int n = 0;
	first[0] = '\0';
	for (const char *z = e->z; z && *z;) {
		size_t k = strcspn(z, "\n");
		char line[256];
		snprintf(line, sizeof line, "%.*s", (int)k, z);
		if (strstr(line, "Error")) {
			if (!n++)
				snprintf(first, size, "%s", doc_squeeze(line));
		}
		z += k + (z[k] == '\n');
	}
	return n;
}

/* Run pdftotext -layout on path (no shell) and collect its output in b.  Its stderr
 * is read too: pdftotext reports a damaged PDF there and still exits 0 with whatever
 * text it could read, so errors on stderr refuse the document. */
static int pdf_to_text(const char *path, ib_buf *b, ib_error *err)
{
	/* a missing or unreadable file is said as such, not as pdftotext's exit 1 */
	int in = open(path, O_RDONLY);
	if (in < 0)
		return ib_error_set(err, IB_EIO, "cannot open '%s': %s", path, strerror(errno));
	close(in);
	int fd[2], fe[2];
	if (pipe(fd) != 0)
		return ib_error_set(err, IB_EIO, "%s: cannot run pdftotext: %s", path,
				    strerror(errno));
	if (pipe(fe) != 0) {
		close(fd[0]);
		close(fd[1]);
		return ib_error_set(err, IB_EIO, "%s: cannot run pdftotext: %s", path,
				    strerror(errno));
	}
	pid_t pid = fork();
	if (pid < 0) {
		close(fd[0]);
		close(fd[1]);
		close(fe[0]);
		close(fe[1]);
		return ib_error_set(err, IB_EIO, "%s: cannot run pdftotext: %s", path,
				    strerror(errno));
	}
	if (pid == 0) {
		close(fd[0]);
		close(fe[0]);
		if (dup2(fd[1], STDOUT_FILENO) < 0 || dup2(fe[1], STDERR_FILENO) < 0)
			_exit(126);
		close(fd[1]);
		close(fe[1]);
		char *argv[] = {"pdftotext", "-layout", "-enc", "UTF-8", (char *)path, "-", NULL};
		execvp(argv[0], argv);
		_exit(127);
	}
	close(fd[1]);
	close(fe[1]);
	int rc = IB_OK;
	ib_buf e; /* stderr, kept to its first 64 KB */
	ib_buf_init(&e, 65536);
	struct pollfd pf[2] = {{.fd = fd[0], .events = POLLIN}, {.fd = fe[0], .events = POLLIN}};
	int open_fds = 2;
	char chunk[65536];
	while (open_fds > 0) {
		if (poll(pf, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int i = 0; i < 2; i++) {
			if (pf[i].fd < 0 || !(pf[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			ssize_t k = read(pf[i].fd, chunk, sizeof chunk);
			if (k < 0 && errno == EINTR)
				continue;
			if (k <= 0) {
				close(pf[i].fd);
				pf[i].fd = -1;
				open_fds--;
				continue;
			}
			if (i == 1)
				ib_buf_add(&e, chunk, (size_t)k); /* past the cap: dropped */
			else if (!rc && ib_buf_add(b, chunk, (size_t)k) != IB_OK)
				rc = ib_error_set(err, IB_ETOOBIG, "%s: text is larger than %zu MB",
						  path, IB_DOC_MAX / (1024 * 1024));
		}
	}
	for (int i = 0; i < 2; i++)
		if (pf[i].fd >= 0)
			close(pf[i].fd);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	char first[256];
	int n_errors = pdf_errors(&e, first, sizeof first);
	ib_buf_free(&e);
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
	if (n_errors == 1)
		return ib_error_set(err, IB_EPARSE,
				    "%s: damaged PDF: pdftotext reports '%s'; its text may be "
				    "incomplete, nothing imported",
				    path, first);
	if (n_errors > 1)
		return ib_error_set(err, IB_EPARSE,
				    "%s: damaged PDF: pdftotext reports '%s' and %d more error%s; "
				    "its text may be incomplete, nothing imported",
				    path, first, n_errors - 1, n_errors > 2 ? "s" : "");
	return IB_OK;
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
	free(d->name);
	free(d->text);
	free(d->line);
	free(d->page);
	free(d);
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

int doc_starts(const char *z, const char *prefix)
{
	z = doc_skip_blank(z);
	return !strncmp(z, prefix, strlen(prefix));
}

long doc_find(const ib_doc *d, size_t from, size_t to, const char *needle)
{
	for (size_t i = from; i < to && i < d->n_lines; i++)
		if (strstr(d->line[i], needle))
			return (long)i;
	return -1;
}

long doc_find_start(const ib_doc *d, size_t from, size_t to, const char *prefix)
{
	for (size_t i = from; i < to && i < d->n_lines; i++)
		if (doc_starts(d->line[i], prefix))
			return (long)i;
	return -1;
}

/* Bytes of a bullet glyph at z (U+F0B7, U+2022, U+25AA, U+F0A7), 0 if none. */
static size_t bullet_len(const unsigned char *z)
{
	if (z[0] == 0xEF && z[1] == 0x82 && (z[2] == 0xB7 || z[2] == 0xA7))
		return 3;
	if (z[0] == 0xE2 && z[1] == 0x80 && z[2] == 0xA2)
		return 3;
	if (z[0] == 0xE2 && z[1] == 0x96 && z[2] == 0xAA)
		return 3;
	return 0;
}

char *doc_squeeze(char *z)
{
	char *w = z;
	int space = 1; /* drop leading blanks */
	for (const char *r = z; *r;) {
		size_t k = bullet_len((const unsigned char *)r);
		if (k) {
			r += k;
			continue;
		}
		if (*r == ' ' || *r == '\t' || *r == '\r') {
			r++;
			if (!space)
				*w++ = ' ';
			space = 1;
			continue;
		}
		if ((unsigned char)r[0] == 0xC2 && (unsigned char)r[1] == 0xA0) {
			r += 2;
			if (!space)
				*w++ = ' ';
			space = 1;
			continue;
		}
		*w++ = *r++;
		space = 0;
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

static char *join(const ib_doc *d, size_t from, size_t to, size_t skip, int paragraphs)
{
	ib_buf b;
	ib_buf_init(&b, IB_DOC_MAX);
	int rc = IB_OK, pending_break = 0;
	for (size_t i = from; i < to && i < d->n_lines && !rc; i++) {
		const char *z = d->line[i];
		if (i == from)
			z += strlen(z) < skip ? strlen(z) : skip;
		char *copy = strdup(z);
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
	return join(d, from, to, skip, 0);
}

char *doc_join_text(const ib_doc *d, size_t from, size_t to)
{
	return join(d, from, to, 0, 1);
}

char *doc_summary(char *z)
{
	enum { MAX = 420 };
	size_t len = z ? strlen(z) : 0;
	if (len <= MAX)
		return z;
	/* the last sentence end before MAX, else the last word boundary */
	size_t cut = 0;
	for (size_t i = 80; i < MAX; i++)
		if ((z[i] == '.' || z[i] == ':') && z[i + 1] == ' ')
			cut = i + 1;
	if (!cut) {
		for (size_t i = MAX; i > 0 && !cut; i--)
			if (z[i] == ' ')
				cut = i;
		if (cut + 4 <= len) {
			memcpy(z + cut, " \xE2\x80\xA6", 4); /* " …" */
			cut += 4;
		}
	}
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
	/* split into tokens, remembering where each starts */
	enum { MAXTOK = 64 };
	char tok[MAXTOK][32];
	size_t start[MAXTOK];
	int nt = 0;
	const char *p = z;
	int overflow = 0;
	for (;;) {
		p = doc_skip_blank(p);
		if (!*p)
			break;
		const char *e = p;
		while (*e && *e != ' ' && *e != '\t' &&
		       !((unsigned char)e[0] == 0xC2 && (unsigned char)e[1] == 0xA0))
			e++;
		if (nt == MAXTOK) {
			/* keep the last MAXTOK tokens */
			memmove(tok, tok + 1, sizeof tok[0] * (MAXTOK - 1));
			memmove(start, start + 1, sizeof start[0] * (MAXTOK - 1));
			nt--;
			overflow = 1;
		}
		size_t k = (size_t)(e - p);
		if (k >= sizeof tok[0])
			k = sizeof tok[0] - 1; /* long words are never numbers; keep a prefix */
		memcpy(tok[nt], p, k);
		tok[nt][k] = '\0';
		if ((size_t)(e - p) >= sizeof tok[0])
			tok[nt][0] = '#';
		start[nt] = (size_t)(p - z);
		nt++;
		p = e;
	}
	(void)overflow;
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

int doc_lines_addv(char ***lines, size_t *n, const char *fmt, va_list ap)
{
	char line[512];
	vsnprintf(line, sizeof line, fmt, ap);
	char **grown = realloc(*lines, (*n + 1) * sizeof *grown);
	if (!grown)
		return IB_ENOMEM;
	*lines = grown;
	grown[*n] = strdup(line);
	if (!grown[*n])
		return IB_ENOMEM;
	(*n)++;
	return IB_OK;
}

int doc_note(ib_doc_result *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = doc_lines_addv(&r->notes, &r->n_notes, fmt, ap);
	va_end(ap);
	return rc;
}

/* Whether the registry (data/kommuner.csv, compiled in) has a municipality named
 * z[0..n) exactly; the name's bytes are compared as printed. */
static int registry_has(const char *z, size_t n)
{
	const ib_embedded_file *f = &ib_reference_files[0];
	for (size_t i = 1; i < f->n; i++) {
		const char *name = strchr(f->lines[i], ';');
		if (!name)
			continue;
		name++;
		const char *end = strchr(name, ';');
		if (end && (size_t)(end - name) == n && !memcmp(name, z, n))
			return 1;
	}
	return 0;
}

/* The first registry name standing as a whole word in z, or NULL (caller frees). */
static char *registry_name_in(const char *z)
{
	const ib_embedded_file *f = &ib_reference_files[0];
	for (size_t i = 1; i < f->n; i++) {
		const char *name = strchr(f->lines[i], ';');
		const char *end = name ? strchr(name + 1, ';') : NULL;
		if (!end)
			continue;
		name++;
		size_t n = (size_t)(end - name);
		for (const char *h = z; *h; h++) {
			if (strncmp(h, name, n) != 0)
				continue;
			/* a whole word: no letter or digit (ASCII or UTF-8) on either side */
			unsigned char before = h > z ? (unsigned char)h[-1] : ' ';
			unsigned char after = (unsigned char)h[n];
			if (before < 0x80 && !isalnum(before) && after < 0x80 && !isalnum(after))
				return strndup(name, n);
		}
	}
	return NULL;
}

char *doc_find_kommune(const ib_doc *d)
{
	for (size_t i = 0; i < d->n_lines; i++) {
		const char *z = d->line[i];
		const char *k = strstr(z, " Kommune");
		if (!k || k == z)
			continue;
		/* the word before " Kommune" */
		const char *w = k;
		while (w > z && w[-1] != ' ' && w[-1] != '(' && w[-1] != '\t')
			w--;
		unsigned char c = (unsigned char)*w;
		if (!((c >= 'A' && c <= 'Z') || c == 0xC3) || k - w < 3)
			continue;
		size_t n = (size_t)(k - w);
		/* a registry name as printed, or its genitive ("Københavns Kommune") */
		if (!registry_has(w, n) && w[n - 1] == 's' && registry_has(w, n - 1))
			n--;
		return strndup(w, n);
	}
	/* no "X Kommune": the first line naming a municipality of the registry */
	for (size_t i = 0; i < d->n_lines; i++) {
		char *name = registry_name_in(d->line[i]);
		if (name)
			return name;
	}
	return NULL;
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

void ib_doc_result_free(ib_doc_result *r)
{
	if (!r)
		return;
	free(r->kommune);
	ib_proposal_list_free(&r->proposals);
	ib_proposal_list_free(&r->followups);
	for (size_t i = 0; i < r->n_notes; i++)
		free(r->notes[i]);
	free(r->notes);
	memset(r, 0, sizeof *r);
}

int ib_doc_parse(const ib_doc *d, ib_doc_result *r, ib_error *err)
{
	static int (*const templates[])(const ib_doc *, ib_doc_result *, ib_error *) = {
	    doc_parse_ringsted,
	    doc_parse_kk_business_case,
	    doc_parse_kk_proposals,
	    doc_parse_status_report,
	    doc_parse_general, /* last: any layout with a table of yearly amounts */
	};
	memset(r, 0, sizeof *r);
	for (size_t i = 0; i < sizeof templates / sizeof templates[0]; i++) {
		int got = templates[i](d, r, err);
		if (got < 0) {
			ib_doc_result_free(r);
			return err && err->rc ? err->rc : IB_EPARSE;
		}
		if (got == 0)
			continue;
		if (!r->proposals.n && !r->followups.n) {
			ib_doc_result_free(r);
			return ib_error_set(err, IB_EPARSE,
					    "%s: recognised as %s but no proposal could be read",
					    d->name,
					    templates[i] == doc_parse_ringsted
						? "Ringsted-style investment proposals"
						: "a known template");
		}
		for (size_t k = 0; k < r->proposals.n; k++)
			if (!r->proposals.items[k]->area)
				r->proposals.items[k]->area = ib_doc_area(r->proposals.items[k]);
		for (size_t k = 0; k < r->followups.n; k++)
			if (!r->followups.items[k]->area)
				r->followups.items[k]->area = ib_doc_area(r->followups.items[k]);
		return IB_OK;
	}
	return ib_error_set(err, IB_EPARSE,
			    "%s: unknown document template and no table of yearly amounts "
			    "(known: Ringsted-style investment proposals, København business cases, "
			    "effektiviserings- and innovationsforslag, status reports); nothing "
			    "imported",
			    d->name);
}
