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
} ib_import_report;

/* Free the report's notes; accepts NULL. */
void ib_import_report_free(ib_import_report *rep);

/* Import the files at paths[0..n-1] in one transaction: reference CSV files
 * (municipalities, population, spending, told apart by their header), proposal feeds
 * (.jsonl, or .csv with the feed's columns), and published documents (.pdf, .txt: see
 * doc.h; their municipality is looked up by name, status-report cases are attached to
 * the proposal with the same title when one exists).  Every file is parsed before anything is
 * stored; reference data is stored before proposals.  On any error nothing is stored
 * and err names the file and line.  rep (may be NULL) receives the counts and notes;
 * the caller frees them with ib_import_report_free(). */
int ib_import_files(ib_store *s, const char *const *paths, size_t n, ib_import_report *rep,
		    ib_error *err);

#endif
