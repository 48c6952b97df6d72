/* num.h - Danish number notation in and out.
 *
 * In documents and on the terminal "-1.071" is minus one thousand and seventy-one and
 * "0,5" is a half.  Parsing also accepts the typographic minus (U+2212), an en dash
 * used as a minus, "- 300" with a space, and "½".  Unknown values are NAN throughout
 * ideabank: never zero. */
#ifndef IDEABANK_NUM_H
#define IDEABANK_NUM_H

#include <stddef.h>

#define IB_NA (__builtin_nan(""))
int ib_is_na(double v);

/* Parse a Danish-notation number occupying all of z (surrounding blanks allowed).
 * Returns IB_OK and sets *out, or IB_EPARSE when z is not a number. */
int ib_num_parse(const char *z, double *out);

/* Format v in Danish notation with the given number of decimals into out (size n):
 * thousands separated by '.', decimal comma, '-' for minus.  NAN gives "".
 * Returns out. */
char *ib_num_format(double v, int decimals, char *out, size_t n);

/* Format v for a machine (JSON/CSV cell value) with up to 'decimals' decimals and no
 * thousands separator, trailing zeros removed; decimal_comma selects ',' over '.'. */
char *ib_num_plain(double v, int decimals, int decimal_comma, char *out, size_t n);

/* The one range syntax of every range the user types (the CLI's --year, --population
 * and --effect, the web page's aar, folketal and effekt): "A-B", "A..B" (or an en
 * dash), "A-" or "A.." (at least A), "..B" (at most B; "-B" too when negative_ok is
 * 0), or "A" alone (exactly A); Danish-notation numbers, blanks allowed around them.
 * With negative_ok a leading "-" is a minus sign.  Open ends are IB_NA.  Returns 0,
 * or -1 when z is not a range or A > B. */
int ib_range_parse(const char *z, int negative_ok, double *lo, double *hi);
/* A range of budget years by ib_range_parse(): "2021", "2021-2024", "2021..", 0 for an
 * open end; every year given within 1990..2100.  Returns 0, or -1. */
int ib_years_parse(const char *z, int *from, int *to);

#endif
