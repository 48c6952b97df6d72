/* cli.c - shared helpers for the subcommands: errors, exit codes, options, output. */
#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <math.h>

#include <cjson/cJSON.h>

#include "cli.h"
#include "ideabank/agenda.h"

/* 1 when the character at p is one cli_text() replaces: a C0 control (TAB and LF
 * aside), DEL, or a C1 control U+0080-U+009F (C2 80-C2 9F). */
static int control_at(const unsigned char *p)
{
	return (*p < 0x20 && *p != '\t' && *p != '\n') || *p == 0x7F ||
	       (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F);
}

/* The copies cli_text() made, each freed when its slot comes round again. */
static char *text_ring[16];
static unsigned text_next;

const char *cli_text(const char *z, int multiline)
{
	if (!z)
		return NULL;
	const unsigned char *p = (const unsigned char *)z;
	for (; *p; p++)
		if (control_at(p) || (!multiline && (*p == '\n' || *p == '\t')))
			break;
	if (!*p)
		return z;
	ib_buf b;
	ib_buf_init(&b, 0);
	for (p = (const unsigned char *)z; *p; p++) {
		if (*p == '\n' || *p == '\t') {
			ib_buf_addc(&b, multiline ? (char)*p : ' ');
		} else if (control_at(p)) {
			ib_buf_adds(&b, "\xEF\xBF\xBD"); /* U+FFFD, the replacement character */
			p += *p == 0xC2;
		} else {
			ib_buf_addc(&b, (char)*p);
		}
	}
	char *out = ib_buf_detach(&b);
	unsigned slot = text_next++ % (sizeof text_ring / sizeof text_ring[0]);
	free(text_ring[slot]);
	text_ring[slot] = out;
	return out ? out : "";
}

void cli_error(const char *fmt, ...)
{
	va_list ap;
	fflush(stdout); /* what was printed before comes before the error, also in one pipe */
	ib_buf b;
	ib_buf_init(&b, 0);
	va_start(ap, fmt);
	ib_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	fputs("ideabank: ", stderr);
	fputs(cli_text(ib_buf_str(&b), 0), stderr);
	fputc('\n', stderr);
	ib_buf_free(&b);
}

int cli_exit_code(int rc)
{
	switch (rc) {
	case IB_OK:
		return EXIT_OK;
	case IB_EARG:
	case IB_ECOST:
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

/* mkdir -p for the directory part of path (the per-user default database only: a
 * path the user gave names a folder that must exist). */
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

/* What the seed of a new database stored, said once the database is published. */
static ib_import_report seeded;

/* ib_store_create.seed: the built-in reference data. */
static int seed_reference(ib_store *s, void *ctx, ib_error *err)
{
	(void)ctx;
	ib_import_report_free(&seeded);
	return ib_import_reference(s, &seeded, err);
}

ib_store *cli_open_store(const ib_cli *cli, cli_store_mode mode)
{
	ib_store *s = NULL;
	ib_error err = {0};
	if (mode == CLI_READ) {
		if (ib_store_open_readonly(cli->db_path, &s, &err)) {
			cli_fail(&err);
			return NULL;
		}
		if (ib_store_wordlist_changed(s))
			cli_error("note: the search index was built with another compound word"
				  " list; the next import or fetch rebuilds it");
		return s;
	}
	if (cli->db_default)
		make_parent_dirs(cli->db_path);
	ib_store_create c = {seed_reference, NULL, 1};
	if (ib_store_open_ex(cli->db_path, &c, &s, &err)) {
		cli_fail(&err);
		return NULL;
	}
	return s;
}

int cli_close_store(ib_store *s, int ok)
{
	int rc = EXIT_OK;
	if (s && ok && ib_store_created(s)) {
		ib_error err = {0};
		if (ib_store_publish(s, &err)) {
			rc = cli_fail(&err);
		} else if (isatty(STDERR_FILENO)) {
			/* said on a terminal only: scripts and tests see the data, not the
			   chatter */
			char m[64], p[64], sp[64];
			fprintf(stderr,
				"ideabank: new database: %s municipalities, %s population and %s "
				"spending figures from the built-in reference data\n",
				cli_num((double)seeded.municipalities, 0, m),
				cli_num((double)seeded.population, 0, p),
				cli_num((double)seeded.spending, 0, sp));
		}
	}
	ib_import_report_free(&seeded);
	ib_store_close(s);
	return rc;
}

int cli_parse_id(const char *z, int64_t *id)
{
	char *end;
	errno = 0;
	long long v = strtoll(z, &end, 10);
	if (end == z || *end || v <= 0 || !isdigit((unsigned char)z[0])) {
		cli_error("proposal ID must be a positive number, got '%s'", z);
		return EXIT_USAGE;
	}
	if (errno == ERANGE) {
		cli_error("proposal ID '%s' is out of range (at most %lld)", z, LLONG_MAX);
		return EXIT_USAGE;
	}
	*id = v;
	return EXIT_OK;
}

const char *cli_nearest(const char *word, const char *const *cands, size_t n)
{
	const char *best = NULL;
	int best_d = 99;
	for (size_t i = 0; i < n; i++) {
		int d = ib_edit_distance(word, cands[i]);
		if (d < best_d) {
			best_d = d;
			best = cands[i];
		}
	}
	/* close enough to be a slip of the finger: two edits, more for long words */
	size_t len = strlen(word);
	int limit = len > 9 ? (int)len / 3 : 2;
	return best && best_d <= limit ? best : NULL;
}

int cli_population_filter(const char *z, ib_search_opts *o)
{
	double lo, hi;
	if (ib_range_parse(z, 0, &lo, &hi) || (!ib_is_na(lo) && (lo < 0 || lo != floor(lo))) ||
	    (!ib_is_na(hi) && (hi < 1 || hi != floor(hi) || hi > 1e9)))
		return -1;
	o->pop_min = ib_is_na(lo) ? 0 : (long)lo;
	o->pop_max = ib_is_na(hi) ? 0 : (long)hi;
	return 0;
}

int cli_effect_filter(const char *z, ib_search_opts *o)
{
	double lo, hi;
	if (ib_range_parse(z, 1, &lo, &hi))
		return -1;
	/* the library reads a bound of 0 as open; an effect of 0 is in no range */
	o->effect_min = lo == 0 ? DBL_MIN : lo;
	o->effect_max = hi == 0 ? -DBL_MIN : hi;
	return 0;
}

const char *cli_source_text(const char *source, int page, char *out, size_t n)
{
	const ib_document_info *d = ib_document_lookup(source);
	char side[32] = "";
	if (page > 0)
		snprintf(side, sizeof side, ", side %d", page);
	if (!d)
		snprintf(out, n, "%s%s", source ? source : "", side);
	else
		snprintf(out, n, "%s, %s%s (%s)", d->title, d->publisher, side,
			 *d->url ? d->url : ib_base_name(source));
	return out;
}

/* What the bar last showed, to redraw only when it changes. */
static struct {
	int percent;
	int drawn;
} bar;

void cli_progress(void *ctx, const char *what, size_t done, size_t total)
{
	(void)ctx;
	/* a small import is over before a bar could be read; a rebuild always shows */
	if (!total || (strcmp(what, "import") == 0 && total < 1000))
		return;
	if (done >= total) {
		if (bar.drawn)
			fputs("\r\033[K", stderr);
		bar.drawn = 0;
		bar.percent = -1;
		return;
	}
	int percent = (int)(done * 100 / total);
	if (bar.drawn && percent == bar.percent)
		return;
	int width = 30, fill = percent * width / 100;
	char a[64], b[64];
	fprintf(stderr, "\r\033[K%-16.16s [%.*s%*s] %s / %s", what, fill,
		"##############################", width - fill, "", cli_num((double)done, 0, a),
		cli_num((double)total, 0, b));
	fflush(stderr);
	bar.percent = percent;
	bar.drawn = 1;
}

int cli_color(const ib_cli *cli)
{
	const char *nc = getenv("NO_COLOR");
	return cli->is_tty && !(nc && *nc);
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
	z = z ? cli_text(z, 0) : "";
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
	z = cli_text(z, 1);
	/* a spreadsheet takes a cell that starts with = + - @ TAB or CR for a formula
	   ("=HYPERLINK(...)"): OWASP's defence, a leading ' keeps it text */
	int formula = strchr("=+-@\t\r", *z) != NULL && *z;
	if (!formula && strpbrk(z, ";\"\r\n") == NULL) {
		fputs(z, f);
		return;
	}
	fputc('"', f);
	if (formula)
		fputc('\'', f);
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

double cli_projected(const ib_hit *h, const cli_projection *pj)
{
	if (!pj)
		return IB_NA;
	/* never projected onto its own municipality: its own effect, in every format */
	if (h->kommunekode == pj->m.code)
		return h->effect_kr;
	if (ib_is_na(h->per_inhabitant) || pj->inhabitants <= 0)
		return IB_NA;
	return h->per_inhabitant * (double)pj->inhabitants;
}

int cli_projection_for(ib_store *s, const char *kommune, cli_projection *pj)
{
	ib_error err = {0};
	if (ib_store_find_municipality(s, kommune, &pj->m, &err))
		return cli_fail(&err);
	/* the latest population there is: the municipality as it is now */
	char *source = NULL;
	if (ib_store_population(s, pj->m.code, 9999, &pj->inhabitants, &pj->year, &source, &err))
		return cli_fail(&err);
	snprintf(pj->source, sizeof pj->source, "%s", source ? source : "");
	free(source);
	return EXIT_OK;
}

const char *cli_plural(long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

int cli_print_json(cJSON *o)
{
	char *z = o ? cJSON_Print(o) : NULL;
	cJSON_Delete(o);
	if (!z)
		return EXIT_STORE;
	puts(z);
	cJSON_free(z);
	return EXIT_OK;
}

void cli_print_agenda(const char *name, const ib_agenda_report *r, int explain)
{
	/* flagged items are stored too, with a flag to check: said as part of the stored */
	printf("%s: agenda: %ld %s, %ld %s: %ld stored in proposals", name, r->meetings,
	       cli_plural(r->meetings, "meeting", "meetings"), r->items,
	       cli_plural(r->items, "item", "items"), r->proposals + r->flagged);
	if (r->flagged)
		printf(" (%ld with a flag to check)", r->flagged);
	printf(", %ld skipped; %ld of %ld %s stored\n", r->skipped, r->cases_stored, r->cases,
	       cli_plural(r->cases, "case", "cases"));
	if (r->cases_waiting)
		printf(
		    "%s: %ld cases kept as they were: they were on meetings stored before schema "
		    "version 7 that are not stored again yet\n",
		    name, r->cases_waiting);
	static const char *const outcomes[] = {"proposal", "flagged", "skipped"};
	for (size_t k = 0; k < 3; k++)
		for (size_t i = 0; i < r->n_reasons; i++)
			if (!strcmp(r->reasons[i].outcome, outcomes[k]) && (k == 2 || explain))
				printf("%s: %s %4ld  %s (%s)\n", name, outcomes[k], r->reasons[i].n,
				       r->reasons[i].reason, r->reasons[i].code);
	for (size_t i = 0; i < r->n_lists; i++)
		printf("%s: skipped %s: a committee list, not a meeting (the meetings it lists "
		       "are read from their own answers)\n",
		       name, cli_text(r->lists[i], 0));
	/* --explain: every item, its outcome and reason, and what decided it */
	for (size_t i = 0; explain && i < r->n_out; i++) {
		const ib_agenda_item_out *o = &r->out[i];
		/* agenda text reaches the terminal only through cli_text() */
		printf("%s %s punkt %s (sag %s) %s: %s: %s (%s)\n", cli_text(o->date, 0),
		       cli_text(o->committee, 0), cli_text(o->item, 0),
		       cli_text(o->case_number ? o->case_number : "-", 0), cli_text(o->title, 0),
		       o->outcome, o->reason, o->code);
		if (o->explain && *o->explain)
			printf("    %s\n", cli_text(o->explain, 0));
	}
}
