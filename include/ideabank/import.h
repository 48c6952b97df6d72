/* import.h - load files into the store, all or nothing. */
#ifndef IDEABANK_IMPORT_H
#define IDEABANK_IMPORT_H

#include <stddef.h>

#include "error.h"
#include "store.h"

typedef struct ib_import_report {
	long municipalities, population, spending;
	long proposals_new, proposals_updated, proposals_unchanged;
	long followups_attached; /* status-report cases attached to existing proposals */
	long flagged;		 /* proposals carrying arithmetic or template flags */
	long failed_checks;	 /* document-level checks that did not add up */
	char **notes;		 /* one line per finding, prefixed with the document name */
	size_t n_notes;
	char **explain; /* documents: which rule rows read each part (doc.h), prefixed so */
	size_t n_explain;
} ib_import_report;

/* Free the report's notes and explanations; accepts NULL. */
void ib_import_report_free(ib_import_report *rep);

/* Import the files at paths[0..n-1] in one transaction: reference CSV files
 * (municipalities, population, spending, told apart by their header), proposal feeds
 * (.jsonl, or .csv with the feed's columns), and published documents (.pdf, .txt: see
 * doc.h; their municipality is looked up by name, status-report cases are attached to
 * the proposal with the same title when one exists).  Reference files, CSV feeds and
 * documents are parsed and checked whole before anything is stored; reference data is
 * stored before proposals, feeds in the order given, documents last.  A JSON Lines feed
 * has no size cap: before the transaction only its bytes are checked (UTF-8, lines of
 * at most IB_FEED_LINE_CAP bytes, a proposal at all); each line is then parsed, checked
 * and stored as it is read, so a bad line late in a large feed is found inside the
 * transaction, which is rolled back.  On any error nothing is stored and err names the
 * file and line.  rep (may be NULL) receives the counts
 * and notes; the caller frees them with ib_import_report_free(). */
int ib_import_files(ib_store *s, const char *const *paths, size_t n, ib_import_report *rep,
		    ib_error *err);

/* A file held in memory: its name (for messages and the proposals' source) and text. */
typedef struct ib_import_text {
	const char *name;
	const char *text;
	size_t len;
} ib_import_text;

/* ib_import_files() for reference files and feeds held in memory (no documents): the
 * same checks, one transaction, nothing stored on error. */
int ib_import_texts(ib_store *s, const ib_import_text *texts, size_t n, ib_import_report *rep,
		    ib_error *err);

/* Seed a database with the reference data compiled into the program (data/'s
 * kommuner.csv, folketal.csv and regk31_*.csv: the 98 municipalities with region and
 * DST group, population and REGK31 spending, each row with its source) through
 * ib_import_texts(), in one transaction.  Meant for a database just created; on an
 * existing one it replaces the same rows.  Fails like ib_import_texts(). */
int ib_import_reference(ib_store *s, ib_import_report *rep, ib_error *err);

#endif
