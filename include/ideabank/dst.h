/* dst.h - convert Statistics Denmark's files (as kept in shared/data) into the
 * project's reference files: kommuner.csv, folketal.csv, regk31_<year>.csv, and the
 * list of agenda portals into agenda_portals.csv. */
#ifndef IDEABANK_DST_H
#define IDEABANK_DST_H

#include "error.h"

typedef struct ib_dst_report {
	long municipalities, population, spending;
	int n_spending_years;
	int unpublished_functions; /* function-years left out: every figure 0 */
	long portals;		   /* agenda_portals.csv: municipalities */
	long portals_firstagenda;  /* of which on a FirstAgenda-style portal */
	long portals_none;	   /* of which without a known agenda publication */
} ib_dst_report;

/* Read DIR/derived/kommuner_master.csv, DIR/derived/folk1a_kommuner_*.csv,
 * DIR/derived/folketal_kommuner_*.csv and DIR/dst-regk31-per-inhabitant/regk31_*.csv,
 * and write OUTDIR/kommuner.csv, OUTDIR/folketal.csv (each municipality's first-
 * quarter population per year) and OUTDIR/regk31_<year>.csv.  Every output row names
 * its Statistics Denmark table and period; a function whose every figure in a year is 0
 * is left out of that year (not published) and counted.  Then
 * DIR/agenda-portals/dagsorden_portaler.json (municipality name -> host name, an object
 * naming another system, or null) becomes OUTDIR/agenda_portals.csv
 * (kommunekode;kommune;system;host;kilde, in the registry's order): its names are
 * matched against the registry (as spelled there, with " Kommune" after it, or with or
 * without a genitive s: "Nordfyns Kommune" is Nordfyns); a name that matches no
 * municipality, two names for one, or a municipality without an entry fails
 * (IB_EPARSE naming it).  Files are written to a temporary name and renamed, so a
 * failure leaves the old files.  Fails with IB_EIO or IB_EPARSE. */
int ib_dst_convert(const char *dir, const char *outdir, ib_dst_report *rep, ib_error *err);

#endif
