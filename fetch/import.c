/* import.c - `ideabank import`: parse every file first, then store all of it in one
 * transaction, reference data before proposals. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csv.h"
#include "ideabank/array.h"
#include "ideabank/buf.h"
#include "ideabank/doc.h"
#include "ideabank/feed.h"
#include "ideabank/import.h"
#include "ideabank/num.h"
#include "ideabank/progress.h"

typedef struct ref_file {
	const char *path;
	ib_ref_kind kind;
	ib_csv csv;
} ref_file;

/* Parse an integer cell within [lo, hi]. */
static int cell_int(const char *z, long lo, long hi, long *out)
{
	if (!*z)
		return IB_EPARSE;
	for (const char *c = z; *c; c++)
		if (!isdigit((unsigned char)*c))
			return IB_EPARSE;
	long v = strtol(z, NULL, 10);
	if (v < lo || v > hi)
		return IB_EPARSE;
	*out = v;
	return IB_OK;
}

static int ref_error(ib_error *err, const ref_file *f, const ib_csv_row *r, const char *col,
		     const char *want, const char *gotz)
{
	return ib_error_set(err, IB_EPARSE, "%s:%d: %s: expected %s, got \"%s\"", f->path, r->line,
			    col, want, gotz);
}

/* Store one reference file's rows; the header was checked by ib_ref_detect(). */
static int store_ref(ib_store *s, const ref_file *f, ib_import_report *rep, ib_error *err)
{
	for (size_t i = 1; i < f->csv.n; i++) {
		const ib_csv_row *r = &f->csv.rows[i];
		size_t want = f->kind == IB_REF_POPULATION ? 4 : 6;
		if (r->n != want)
			return ib_error_set(err, IB_EPARSE, "%s:%d: expected %zu fields, got %zu",
					    f->path, r->line, want, r->n);
		long code, year, n;
		double kr;
		int rc = IB_OK;
		/* names and sources are shown: no control character reaches a terminal */
		for (size_t k = 0; k < r->n && !rc; k++)
			rc = ib_feed_text_ok(f->csv.rows[0].f[k], r->f[k], err);
		if (rc) {
			ib_error_prefix(err, "%s:%d", f->path, r->line);
			return rc;
		}
		if (cell_int(r->f[0], 1, 999, &code))
			return ref_error(err, f, r, "kommunekode", "a 3-digit code", r->f[0]);
		switch (f->kind) {
		case IB_REF_MUNICIPALITIES: {
			ib_municipality m = {0};
			long g;
			if (cell_int(r->f[3], 1, 9, &g))
				return ref_error(err, f, r, "gruppe_kode", "a group code 1-9",
						 r->f[3]);
			m.code = (int)code;
			snprintf(m.name, sizeof m.name, "%s", r->f[1]);
			snprintf(m.region, sizeof m.region, "%s", r->f[2]);
			m.group_code = (int)g;
			snprintf(m.group_name, sizeof m.group_name, "%s", r->f[4]);
			rc = ib_store_put_municipality(s, &m, r->f[5], err);
			rep->municipalities++;
			break;
		}
		case IB_REF_POPULATION:
			if (cell_int(r->f[1], 1900, 2100, &year))
				return ref_error(err, f, r, "aar", "a year", r->f[1]);
			if (cell_int(r->f[2], 1, 100000000, &n))
				return ref_error(err, f, r, "folketal", "a positive count",
						 r->f[2]);
			rc = ib_store_put_population(s, (int)code, (int)year, n, r->f[3], err);
			rep->population++;
			break;
		case IB_REF_SPENDING:
			if (cell_int(r->f[1], 1900, 2100, &year))
				return ref_error(err, f, r, "aar", "a year", r->f[1]);
			if (ib_num_parse(r->f[4], &kr))
				return ref_error(err, f, r, "kr_pr_indbygger", "a number", r->f[4]);
			rc = ib_store_put_spending(s, (int)code, (int)year, r->f[2], r->f[3], kr,
						   r->f[5], err);
			rep->spending++;
			break;
		default:
			rc = IB_EARG;
		}
		if (rc) {
			ib_error_prefix(err, "%s:%d", f->path, r->line);
			return rc;
		}
	}
	return IB_OK;
}

void ib_import_report_free(ib_import_report *rep)
{
	if (!rep)
		return;
	ib_strings_free(rep->notes, rep->n_notes);
	rep->notes = NULL;
	rep->n_notes = 0;
	ib_strings_free(rep->explain, rep->n_explain);
	rep->explain = NULL;
	rep->n_explain = 0;
}

/* Append "doc: line" to the array *lines of *n. */
static int add_line(char ***lines, size_t *n_lines, const char *doc, const char *line)
{
	return ib_strings_addf(lines, n_lines, "%s: %s", doc, line);
}

static int is_jsonl(const char *path)
{
	return ib_has_suffix(path, ".jsonl") || ib_has_suffix(path, ".ndjson");
}

static int is_document(const char *path)
{
	return ib_has_suffix(path, ".pdf") || ib_has_suffix(path, ".txt") ||
	       ib_has_suffix(path, ".text");
}

/* Same title, compared loosely (case, æ/ø/å spelling). */
static int same_title(const char *a, const char *b)
{
	char fa[1024], fb[1024];
	ib_fold_ascii(a, fa, sizeof fa);
	ib_fold_ascii(b, fb, sizeof fb);
	return !strcmp(fa, fb);
}

/* Attach the follow-up case f (read from the document doc) to target: target takes its
 * follow-up and is adopted; f keeps the rest and stays with its owner. */
static int attach_followup(ib_proposal *target, ib_proposal *f, const char *doc,
			   ib_import_report *rep)
{
	ib_followup_free(target->followup);
	target->followup = f->followup;
	f->followup = NULL;
	target->adopted = IB_ADOPTED_YES;
	rep->followups_attached++;
	char note[768];
	snprintf(note, sizeof note, "follow-up on '%s' attached to %s %s (budget %d)", f->title,
		 target->ref ? "proposal" : "the proposal",
		 target->ref ? target->ref : "of that title", target->budget_year);
	return add_line(&rep->notes, &rep->n_notes, doc, note);
}

/* The files being imported: parsed reference tables and documents, proposals held in
 * memory (in-memory feeds, documents), and the JSON Lines files streamed in the store's
 * transaction.  A document's follow-up case that finds no proposal of its title in
 * memory waits in pending (with its document's path) when feeds are streamed: a proposal
 * of a feed of the same import may be the one it follows up. */
typedef struct import_set {
	ref_file *refs;
	ib_doc_result *docs;
	const char **doc_path;
	ib_proposal_list props;
	size_t n_refs, n_docs;
	ib_feed_ids *ids; /* every feed's proposals: one import takes a proposal once */
	const char **feeds;
	FILE **feed_file;	    /* each streamed file, opened once: checked, then streamed */
	size_t *feed_after;	    /* per streamed file: the proposals held in memory before it */
	size_t n_feeds, n_streamed; /* files, and the proposals they hold */
	ib_proposal_list pending;
	const char **pending_doc;
} import_set;

/* Where the follow-up case f of document path goes when no proposal held in memory
 * has its title: to the stored proposal of that title, else in as a proposal of its
 * own.  *slot is f's place in its document's list; it is emptied when f moves. */
static int place_followup_stored(ib_store *s, ib_proposal **slot, const char *path, import_set *set,
				 ib_import_report *rep, ib_error *err)
{
	ib_proposal *f = *slot, *stored = NULL;
	int64_t id = 0;
	int rc = IB_OK;
	if (ib_store_find_proposal(s, f->kommunekode, f->title, &id, NULL) == IB_OK) {
		rc = ib_store_get_proposal(s, id, &stored, err);
		if (!rc)
			rc = ib_proposal_list_push(&set->props, stored);
		if (!rc)
			rc = attach_followup(stored, f, path, rep);
		return rc;
	}
	if (f->n_flags)
		rep->flagged++;
	*slot = NULL;
	return ib_proposal_list_push(&set->props, f);
}

/* Give a document's proposals their municipality, move them to the set's proposals,
 * and attach its status-report cases to the proposals they follow up. */
static int place_document(ib_store *s, ib_doc_result *r, const char *path, import_set *set,
			  ib_import_report *rep, ib_error *err)
{
	ib_proposal_list *props = &set->props;
	ib_municipality m;
	int rc = ib_store_find_municipality(s, r->kommune, &m, err);
	if (rc) {
		ib_error_prefix(err, "%s", path);
		return rc;
	}
	for (size_t i = 0; i < r->proposals.n; i++)
		r->proposals.items[i]->kommunekode = m.code;
	for (size_t i = 0; i < r->followups.n; i++)
		r->followups.items[i]->kommunekode = m.code;
	for (size_t i = 0; i < r->proposals.n && !rc; i++) {
		if (r->proposals.items[i]->n_flags)
			rep->flagged++;
		rc = ib_proposal_list_push(props, r->proposals.items[i]);
		r->proposals.items[i] = NULL;
	}
	r->proposals.n = 0;
	for (size_t i = 0; i < r->followups.n && !rc; i++) {
		ib_proposal *f = r->followups.items[i];
		ib_proposal *target = NULL;
		for (size_t k = 0; k < props->n && !target; k++)
			if (props->items[k]->kommunekode == f->kommunekode &&
			    same_title(props->items[k]->title, f->title))
				target = props->items[k];
		if (target) {
			rc = attach_followup(target, f, path, rep);
		} else if (set->n_feeds) {
			/* pending_doc grows with pending: one slot per push below */
			const char **grown =
			    realloc(set->pending_doc, (set->pending.n + 1) * sizeof *grown);
			if (!grown)
				rc = IB_ENOMEM;
			else
				set->pending_doc = grown;
			if (!rc) {
				grown[set->pending.n] = path;
				rc = ib_proposal_list_push(&set->pending, f);
				r->followups.items[i] = NULL;
			}
		} else {
			rc = place_followup_stored(s, &r->followups.items[i], path, set, rep, err);
		}
	}
	/* attached cases stay in r->followups and are freed with it */
	for (size_t i = 0; i < r->n_notes && !rc; i++)
		rc = add_line(&rep->notes, &rep->n_notes, path, r->notes[i]);
	for (size_t i = 0; i < r->n_explain && !rc; i++)
		rc = add_line(&rep->explain, &rep->n_explain, path, r->explain[i]);
	rep->failed_checks += r->n_failed_checks;
	if (rc && !err->rc)
		ib_error_set(err, rc, NULL);
	return rc;
}

static int set_init(import_set *set, size_t n, ib_error *err)
{
	memset(set, 0, sizeof *set);
	set->refs = calloc(n ? n : 1, sizeof *set->refs);
	set->docs = calloc(n ? n : 1, sizeof *set->docs);
	set->doc_path = calloc(n ? n : 1, sizeof *set->doc_path);
	set->feeds = calloc(n ? n : 1, sizeof *set->feeds);
	set->feed_file = calloc(n ? n : 1, sizeof *set->feed_file);
	set->feed_after = calloc(n ? n : 1, sizeof *set->feed_after);
	set->ids = ib_feed_ids_new();
	return set->refs && set->docs && set->doc_path && set->feeds && set->feed_file &&
		       set->feed_after && set->ids
		   ? IB_OK
		   : ib_error_set(err, IB_ENOMEM, NULL);
}

static void set_free(import_set *set)
{
	for (size_t i = 0; i < set->n_refs; i++)
		ib_csv_free(&set->refs[i].csv);
	for (size_t i = 0; i < set->n_docs; i++)
		ib_doc_result_free(&set->docs[i]);
	IB_FREE_ALL(set->refs, set->docs, set->doc_path);
	for (size_t i = 0; set->feed_file && i < set->n_feeds; i++)
		if (set->feed_file[i])
			fclose(set->feed_file[i]);
	IB_FREE_ALL(set->feeds, set->feed_file, set->feed_after);
	ib_feed_ids_free(set->ids);
	ib_proposal_list_free(&set->props);
	ib_proposal_list_free(&set->pending);
	free(set->pending_doc);
}

/* Parse one reference file or feed held in memory (text, len) named path. */
static int parse_text(import_set *set, const char *path, const char *text, size_t len,
		      ib_error *err)
{
	int rc = IB_OK;
	ib_ref_kind kind = ib_ref_detect(text, len);
	if (kind != IB_REF_NONE) {
		ref_file *f = &set->refs[set->n_refs];
		f->path = path;
		f->kind = kind;
		rc = ib_utf8_check(path, text, len, err);
		if (!rc)
			rc = ib_feed_raw_ok(path, text, len, err);
		if (!rc && (rc = ib_csv_parse(text, len, ';', &f->csv, err)) != IB_OK)
			ib_error_prefix(err, "%s", path);
		else if (!rc)
			set->n_refs++;
	} else if (is_jsonl(path)) {
		rc = ib_feed_parse_jsonl_in(set->ids, ib_base_name(path), text, len, &set->props,
					    err);
	} else if (ib_has_suffix(path, ".csv")) {
		rc =
		    ib_feed_parse_csv_in(set->ids, ib_base_name(path), text, len, &set->props, err);
	} else {
		rc = ib_error_set(err, IB_EARG,
				  "%s: unsupported file type (expected .jsonl, .csv, .pdf "
				  "or .txt)",
				  path);
	}
	return rc;
}

/* Storing one streamed feed: where it is and how far. */
typedef struct stream_ctx {
	ib_store *s;
	import_set *set;
	ib_import_report *rep;
	size_t done, total; /* proposals stored, and to store, in this import */
} stream_ctx;

/* Store p, counting it as new, updated or unchanged. */
static int put_counted(stream_ctx *c, ib_proposal *p, ib_error *err)
{
	int result = 0;
	ib_progress("import", c->done++, c->total);
	int rc = ib_store_put_proposal(c->s, p, &result, err);
	if (rc)
		ib_error_prefix(err, "proposal '%s'", p->title);
	else if (result == IB_PUT_NEW)
		c->rep->proposals_new++;
	else if (result == IB_PUT_UPDATED)
		c->rep->proposals_updated++;
	else
		c->rep->proposals_unchanged++;
	return rc;
}

/* ib_feed_sink: a streamed proposal takes the follow-up cases waiting for its title,
 * then is stored and freed. */
static int store_streamed(void *ctx, ib_proposal *p, long line, ib_error *err)
{
	(void)line;
	stream_ctx *c = ctx;
	import_set *set = c->set;
	int rc = IB_OK;
	for (size_t i = 0; i < set->pending.n && !rc; i++) {
		ib_proposal *f = set->pending.items[i];
		if (f->followup && f->kommunekode == p->kommunekode &&
		    same_title(f->title, p->title))
			rc = attach_followup(p, f, set->pending_doc[i], c->rep);
	}
	if (rc)
		rc = ib_error_set(err, rc, NULL);
	else
		rc = put_counted(c, p, err);
	ib_proposal_free(p);
	return rc;
}

/* Store everything parsed in one transaction, streaming the feed files; on error
 * nothing is stored. */
static int store_set(ib_store *s, import_set *set, ib_import_report *rep, ib_error *err)
{
	int rc = ib_store_begin(s, err);
	if (rc)
		return rc;
	/* municipalities first: population, spending and proposals refer to them */
	for (int pass = 0; pass < 2 && !rc; pass++)
		for (size_t i = 0; i < set->n_refs && !rc; i++)
			if ((set->refs[i].kind == IB_REF_MUNICIPALITIES) == (pass == 0))
				rc = store_ref(s, &set->refs[i], rep, err);
	/* the feeds held in memory come first in props, the documents' proposals after */
	size_t n_mem = set->props.n, next = 0;
	for (size_t i = 0; i < set->n_docs && !rc; i++)
		rc = place_document(s, &set->docs[i], set->doc_path[i], set, rep, err);
	stream_ctx c = {s, set, rep, 0, set->n_streamed + set->props.n + set->pending.n};
	/* feeds in the order they were given (a later one's version of a proposal wins),
	   streamed or from memory; documents last */
	for (size_t i = 0; i < set->n_feeds && !rc; i++) {
		for (; next < set->feed_after[i] && !rc; next++)
			rc = put_counted(&c, set->props.items[next], err);
		if (!rc)
			rc = ib_feed_stream_jsonl_file(set->feed_file[i],
						       ib_base_name(set->feeds[i]), set->ids,
						       store_streamed, &c, err);
	}
	for (; next < n_mem && !rc; next++)
		rc = put_counted(&c, set->props.items[next], err);
	/* follow-up cases no streamed proposal took: a stored proposal, or their own */
	for (size_t i = 0; i < set->pending.n && !rc; i++)
		if (set->pending.items[i]->followup)
			rc = place_followup_stored(s, &set->pending.items[i], set->pending_doc[i],
						   set, rep, err);
	for (size_t i = next; i < set->props.n && !rc; i++)
		rc = put_counted(&c, set->props.items[i], err);
	if (rc)
		ib_store_rollback(s);
	else
		rc = ib_store_commit(s, err);
	if (c.total)
		ib_progress("import", c.total, c.total);
	return rc;
}

/* The end of an import: free the set, and on failure the report. */
static int import_done(int rc, import_set *set, ib_import_report *rep, ib_import_report *local)
{
	set_free(set);
	if (rc) {
		ib_import_report_free(rep);
		memset(rep, 0, sizeof *rep);
	}
	if (rep == local)
		ib_import_report_free(rep);
	return rc;
}

/* Open the input at path, once: *f reads it, *regular says whether it is a regular
 * file (which can be read again from the start) or not (a named pipe, /dev/stdin:
 * read once, into memory).  A folder is refused: "x.jsonl: is a folder, not a file". */
static int open_input(const char *path, FILE **f, int *regular, ib_error *err)
{
	struct stat sb;
	*f = fopen(path, "rb");
	if (!*f)
		return ib_error_set(err, IB_EIO, "cannot open '%s': %s", path, strerror(errno));
	if (fstat(fileno(*f), &sb) != 0) {
		int e = errno;
		fclose(*f);
		*f = NULL;
		return ib_error_set(err, IB_EIO, "cannot read '%s': %s", path, strerror(e));
	}
	if (S_ISDIR(sb.st_mode)) {
		fclose(*f);
		*f = NULL;
		return ib_error_set(err, IB_EIO, "%s: is a folder, not a file", path);
	}
	*regular = S_ISREG(sb.st_mode);
	return IB_OK;
}

/* The rest of f (the input path) into b. */
static int read_rest(FILE *f, const char *path, ib_buf *b, ib_error *err)
{
	char chunk[65536];
	size_t got;
	int rc = IB_OK;
	while (!rc && (got = fread(chunk, 1, sizeof chunk, f)) > 0)
		if ((rc = ib_buf_add(b, chunk, got)) != IB_OK)
			ib_error_set(err, rc, "cannot read '%s': %s", path, ib_strerror(rc));
	if (!rc && ferror(f))
		rc = ib_error_set(err, IB_EIO, "cannot read '%s': %s", path, strerror(errno));
	if (!rc && !b->z)
		rc = ib_buf_add(b, "", 0);
	return rc;
}

/* Read one input that is not a document: a JSON Lines feed in a regular file is
 * checked whole now (UTF-8, line lengths, a proposal at all) and counted for the
 * progress bar, then streamed in the store's transaction from the same open file;
 * anything else (CSV, reference files, a feed from a pipe) is read once into memory
 * and parsed. */
static int read_input(import_set *set, const char *path, ib_error *err)
{
	FILE *f = NULL;
	int regular = 0;
	int rc = open_input(path, &f, &regular, err);
	if (rc)
		return rc;
	if (is_jsonl(path) && regular) {
		ib_feed_scan scan;
		rc = ib_feed_scan_jsonl_file(f, ib_base_name(path), &scan, err);
		if (!rc && scan.ref == IB_REF_NONE && fseek(f, 0, SEEK_SET) == 0) {
			set->feed_after[set->n_feeds] = set->props.n;
			set->feed_file[set->n_feeds] = f;
			set->feeds[set->n_feeds++] = path;
			set->n_streamed += scan.n;
			return IB_OK;
		}
		/* a reference file named .jsonl: read whole as one */
		if (!rc && fseek(f, 0, SEEK_SET) != 0)
			rc = ib_error_set(err, IB_EIO, "cannot read '%s': %s", path,
					  strerror(errno));
	}
	ib_buf b;
	ib_buf_init(&b, 0);
	if (!rc)
		rc = read_rest(f, path, &b, err);
	fclose(f);
	if (!rc)
		rc = parse_text(set, path, b.z ? b.z : "", b.n, err);
	ib_buf_free(&b);
	return rc;
}

/* Input i of inputs (paths or texts) read into set. */
typedef int (*read_one)(import_set *set, const void *inputs, size_t i, ib_error *err);

/* Read the n inputs with read, then store them all or nothing (ib_import_files). */
static int import_all(ib_store *s, const void *inputs, size_t n, read_one read,
		      ib_import_report *rep, ib_error *err)
{
	ib_import_report local = {0};
	if (!rep)
		rep = &local;
	memset(rep, 0, sizeof *rep);
	import_set set;
	int rc = set_init(&set, n, err);
	for (size_t i = 0; i < n && !rc; i++)
		rc = read(&set, inputs, i, err);
	if (!rc)
		rc = store_set(s, &set, rep, err);
	return import_done(rc, &set, rep, &local);
}

/* The file at path i: a document (parsed here), or a feed or reference file. */
static int read_path(import_set *set, const void *inputs, size_t i, ib_error *err)
{
	const char *path = ((const char *const *)inputs)[i];
	if (!is_document(path))
		return read_input(set, path, err);
	struct stat sb;
	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
		return ib_error_set(err, IB_EIO, "%s: is a folder, not a file", path);
	ib_doc *d = NULL;
	int rc = ib_doc_load(path, &d, err);
	if (!rc)
		rc = ib_doc_parse(d, &set->docs[set->n_docs], err);
	if (!rc)
		set->doc_path[set->n_docs++] = path;
	ib_doc_free(d);
	return rc;
}

static int read_text(import_set *set, const void *inputs, size_t i, ib_error *err)
{
	const ib_import_text *t = (const ib_import_text *)inputs + i;
	return parse_text(set, t->name, t->text, t->len, err);
}

int ib_import_files(ib_store *s, const char *const *paths, size_t n, ib_import_report *rep,
		    ib_error *err)
{
	return import_all(s, paths, n, read_path, rep, err);
}

int ib_import_texts(ib_store *s, const ib_import_text *texts, size_t n, ib_import_report *rep,
		    ib_error *err)
{
	return import_all(s, texts, n, read_text, rep, err);
}
