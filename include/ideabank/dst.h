/* dst.h - convert Statistics Denmark's files (as kept in shared/data) into the
 * project's reference files: kommuner.csv, folketal.csv, regk31_<year>.csv. */
#ifndef IDEABANK_DST_H
#define IDEABANK_DST_H

#include "error.h"

typedef struct ib_dst_report {
	long municipalities, population, spending;
	int n_spending_years;
	int unpublished_functions; /* function-years left out: every figure 0 */
} ib_dst_report;

/* Read DIR/derived/kommuner_master.csv, DIR/derived/folk1a_kommuner_*.csv,
 * DIR/derived/folketal_kommuner_*.csv and DIR/dst-regk31-per-inhabitant/regk31_*.csv,
 * and write OUTDIR/kommuner.csv, OUTDIR/folketal.csv (each municipality's first-
 * quarter population per year) and OUTDIR/regk31_<year>.csv.  Every output row names
 * its Statistics Denmark table and period; a function whose every figure in a year is 0
 * is left out of that year (not published) and counted.  Files are written to a temporary name and
 * renamed, so a failure leaves the old files.  Fails with IB_EIO or IB_EPARSE. */
int ib_dst_convert(const char *dir, const char *outdir, ib_dst_report *rep, ib_error *err);

#endif
