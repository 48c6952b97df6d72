/* fuzz_num.c - the Danish number parser (src/core/num.c).  Any text either fails to
 * parse or gives a number that, formatted back in Danish notation (with thousands
 * dots) or plainly (decimal comma, no dots), parses to the same value at the printed
 * precision. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static void round_trip(double v, const char *z)
{
	char out[128];
	double w;
	for (int decimals = 0; decimals <= 3; decimals++) {
		double step = pow(10, -decimals);
		ib_num_format(v, decimals, out, sizeof out);
		if (ib_num_parse(out, &w) != IB_OK)
			fuzz_fail("'%s' parsed as %.17g, formatted '%s' does not parse", z, v, out);
		if (fabs(w - v) > step / 2 + fabs(v) * 1e-12)
			fuzz_fail("'%s' parsed as %.17g, formatted '%s' parses as %.17g", z, v, out, w);
		ib_num_plain(v, decimals, 1, out, sizeof out);
		if (ib_num_parse(out, &w) != IB_OK || fabs(w - v) > step / 2 + fabs(v) * 1e-12)
			fuzz_fail("'%s' parsed as %.17g, plain '%s' does not parse back", z, v, out);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *z = fuzz_cstr(data, size);
	double v;
	if (ib_num_parse(z, &v) == IB_OK) {
		if (isnan(v))
			fuzz_fail("'%s' parsed as NAN", z);
		if (isfinite(v) && fabs(v) < 1e15)
			round_trip(v, z);
	}
	/* formatting any double, including NAN, infinities and huge values, stays in the buffer */
	if (size >= sizeof(double)) {
		char out[32];
		memcpy(&v, data, sizeof v);
		ib_num_format(v, data[0] % 8, out, sizeof out);
		ib_num_plain(v, data[1] % 8, data[2] & 1, out, sizeof out);
	}
	free(z);
	return 0;
}
