/* import.c - `ideabank import`: parse every file first, then store all of it in one
 * transaction, reference data before proposals. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
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
		int rc;
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
	for (size_t i = 0; i < rep->n_notes; i++)
		free(rep->notes[i]);
	free(rep->notes);
	rep->notes = NULL;
	rep->n_notes = 0;
}

static int add_note(ib_import_report *rep, const char *doc, const char *note)
{
	char **grown = realloc(rep->notes, (rep->n_notes + 1) * sizeof *grown);
	if (!grown)
		return IB_ENOMEM;
	rep->notes = grown;
	size_t n = strlen(doc) + strlen(note) + 3;
	char *z = malloc(n);
	if (!z)
		return IB_ENOMEM;
	snprintf(z, n, "%s: %s", doc, note);
	rep->notes[rep->n_notes++] = z;
	return IB_OK;
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

/* Give a document's proposals their municipality, move them to props, and attach
 * its status-report cases to the proposals they follow up. */
static int place_document(ib_store *s, ib_doc_result *r, const char *path, ib_proposal_list *props,
			  ib_import_report *rep, ib_error *err)
{
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
		int64_t id = 0;
		ib_proposal *stored = NULL;
		if (!target &&
		    ib_store_find_proposal(s, f->kommunekode, f->title, &id, NULL) == IB_OK) {
			rc = ib_store_get_proposal(s, id, &stored, err);
			if (!rc) {
				rc = ib_proposal_list_push(props, stored);
				target = stored;
			}
		}
		if (rc)
			break;
		if (target) {
			ib_followup_free(target->followup);
			target->followup = f->followup;
			f->followup = NULL;
			target->adopted = IB_ADOPTED_YES;
			rep->followups_attached++;
			char note[768];
			snprintf(note, sizeof note,
				 "follow-up on '%s' attached to %s %s (budget %d)", f->title,
				 target->ref ? "proposal" : "the proposal",
				 target->ref ? target->ref : "of that title", target->budget_year);
			rc = add_note(rep, path, note);
		} else {
			if (f->n_flags)
				rep->flagged++;
			rc = ib_proposal_list_push(props, f);
			r->followups.items[i] = NULL;
		}
	}
	/* attached cases stay in r->followups and are freed with it */
	for (size_t i = 0; i < r->n_notes && !rc; i++)
		rc = add_note(rep, path, r->notes[i]);
	rep->failed_checks += r->n_failed_checks;
	if (rc && !err->rc)
		ib_error_set(err, rc, NULL);
	return rc;
}

/* The files being imported: parsed reference tables, documents and feed proposals. */
typedef struct import_set {
	ref_file *refs;
	ib_doc_result *docs;
	const char **doc_path;
	ib_proposal_list props;
	size_t n_refs, n_docs;
} import_set;

static int set_init(import_set *set, size_t n, ib_error *err)
{
	memset(set, 0, sizeof *set);
	set->refs = calloc(n ? n : 1, sizeof *set->refs);
	set->docs = calloc(n ? n : 1, sizeof *set->docs);
	set->doc_path = calloc(n ? n : 1, sizeof *set->doc_path);
	return set->refs && set->docs && set->doc_path ? IB_OK : ib_error_set(err, IB_ENOMEM, NULL);
}

static void set_free(import_set *set)
{
	for (size_t i = 0; i < set->n_refs; i++)
		ib_csv_free(&set->refs[i].csv);
	for (size_t i = 0; i < set->n_docs; i++)
		ib_doc_result_free(&set->docs[i]);
	free(set->refs);
	free(set->docs);
	free(set->doc_path);
	ib_proposal_list_free(&set->props);
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
		if (!rc && (rc = ib_csv_parse(text, len, ';', &f->csv, err)) != IB_OK)
			ib_error_prefix(err, "%s", path);
		else if (!rc)
			set->n_refs++;
	} else if (ib_has_suffix(path, ".jsonl") || ib_has_suffix(path, ".ndjson")) {
		rc = ib_feed_parse_jsonl(ib_base_name(path), text, len, &set->props, err);
	} else if (ib_has_suffix(path, ".csv")) {
		rc = ib_feed_parse_csv(ib_base_name(path), text, len, &set->props, err);
	} else {
		rc = ib_error_set(err, IB_EARG,
				  "%s: unsupported file type (expected .jsonl, .csv, .pdf "
				  "or .txt)",
				  path);
	}
	return rc;
}

/* Store everything parsed in one transaction; on error nothing is stored. */
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
	for (size_t i = 0; i < set->n_docs && !rc; i++)
		rc = place_document(s, &set->docs[i], set->doc_path[i], &set->props, rep, err);
	for (size_t i = 0; i < set->props.n && !rc; i++) {
		int result = 0;
		ib_progress("import", i, set->props.n);
		rc = ib_store_put_proposal(s, set->props.items[i], &result, err);
		if (rc)
			ib_error_prefix(err, "proposal '%s'", set->props.items[i]->title);
		else if (result == IB_PUT_NEW)
			rep->proposals_new++;
		else if (result == IB_PUT_UPDATED)
			rep->proposals_updated++;
		else
			rep->proposals_unchanged++;
	}
	if (rc)
		ib_store_rollback(s);
	else
		rc = ib_store_commit(s, err);
	if (set->props.n)
		ib_progress("import", set->props.n, set->props.n);
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

int ib_import_files(ib_store *s, const char *const *paths, size_t n, ib_import_report *rep,
		    ib_error *err)
{
	ib_import_report local = {0};
	if (!rep)
		rep = &local;
	memset(rep, 0, sizeof *rep);
	import_set set;
	int rc = set_init(&set, n, err);

	for (size_t i = 0; i < n && !rc; i++) {
		if (is_document(paths[i])) {
			ib_doc *d = NULL;
			rc = ib_doc_load(paths[i], &d, err);
			if (!rc)
				rc = ib_doc_parse(d, &set.docs[set.n_docs], err);
			if (!rc)
				set.doc_path[set.n_docs++] = paths[i];
			ib_doc_free(d);
			continue;
		}
		ib_buf b;
		ib_buf_init(&b, 0);
		rc = ib_buf_read_file(&b, paths[i], err);
		if (!rc)
			rc = parse_text(&set, paths[i], b.z ? b.z : "", b.n, err);
		ib_buf_free(&b);
	}
	if (!rc)
		rc = store_set(s, &set, rep, err);
	return import_done(rc, &set, rep, &local);
}

int ib_import_texts(ib_store *s, const ib_import_text *texts, size_t n, ib_import_report *rep,
		    ib_error *err)
{
	ib_import_report local = {0};
	if (!rep)
		rep = &local;
	memset(rep, 0, sizeof *rep);
	import_set set;
	int rc = set_init(&set, n, err);
	for (size_t i = 0; i < n && !rc; i++)
		rc = parse_text(&set, texts[i].name, texts[i].text, texts[i].len, err);
	if (!rc)
		rc = store_set(s, &set, rep, err);
	return import_done(rc, &set, rep, &local);
}
