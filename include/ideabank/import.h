/* import.h - load files into the store, all or nothing. */
#ifndef IDEABANK_IMPORT_H
#define IDEABANK_IMPORT_H

#include <stddef.h>

#include "error.h"
#include "store.h"

typedef struct ib_import_report {
	long municipalities, population, spending;
	long proposals_new, proposals_updated, proposals_unchanged;
} ib_import_report;

/* Import the files at paths[0..n-1] in one transaction: reference CSV files
 * (municipalities, population, spending, told apart by their header), proposal feeds
 * (.jsonl, or .csv with the feed's columns).  Every file is parsed before anything is
 * stored; reference data is stored before proposals.  On any error nothing is stored
 * and err names the file and line.  rep (may be NULL) receives the counts. */
int ib_import_files(ib_store *s, const char *const *paths, size_t n, ib_import_report *rep,
		    ib_error *err);

#endif
