/* embedded.h - data files compiled into the program as arrays of lines (build/gen,
 * made by the Makefile), for data too large for one string literal. */
#ifndef IDEABANK_EMBEDDED_H
#define IDEABANK_EMBEDDED_H

#include <stddef.h>

typedef struct ib_embedded_file {
	const char *name;	  /* file name in data/ */
	const char *const *lines; /* each line with its "\n" */
	size_t n;
} ib_embedded_file;

/* data/kommuner.csv, data/folketal.csv and data/regk31_*.csv, in that order. */
extern const ib_embedded_file ib_reference_files[];
extern const size_t ib_n_reference_files;

#endif
