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

#endif
