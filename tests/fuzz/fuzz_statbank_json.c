/* fuzz_statbank_json.c - StatBank's JSON answers (fetch/statbank.c): the same input
 * read as a JSON-stat data answer and as a /v1/tableinfo answer.  The variables asked
 * of the JSON-stat reader are picked by the input's last byte.  A JSON-stat parse that
 * succeeds gives a code and label per variable and observation and counts its missing
 * values; tableinfo's variables can be looked up by their own ids. */
#include <math.h>
#include <string.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const sets[][3] = {
	    {"OMRÅDE", "Tid", NULL}, {"OMRÅDE", "ALDER", "Tid"}, {"HERKOMST1", "Tid", NULL}};
	ib_error err = {0};
	unsigned pick = size ? data[size - 1] : 0;
	const char *const *vars = sets[pick % 3];
	size_t n_vars = vars[2] ? 3 : 2;
	ib_sb_data d;
	memset(&d, 0, sizeof d);
	if (ib_sb_parse_jsonstat("fuzz.json", (const char *)data, size, vars, n_vars, &d, &err) ==
	    IB_OK) {
		size_t missing = 0;
		for (size_t i = 0; i < d.n_obs; i++)
			missing += isnan(d.value[i]) != 0;
		if (missing != d.n_missing)
			fuzz_fail("%zu values missing, %zu counted", missing, d.n_missing);
		for (size_t i = 0; i < d.n_obs * d.n_vars; i++)
			if (!d.code[i] || !d.label[i])
				fuzz_fail("observation %zu lacks a code or label", i / d.n_vars);
		ib_sb_data_free(&d);
	}
	ib_sb_tableinfo t;
	memset(&t, 0, sizeof t);
	if (ib_sb_tableinfo_parse("FUZZ", (const char *)data, size, &t, &err) == IB_OK) {
		for (size_t i = 0; i < t.n_vars; i++)
			if (!t.vars[i].id || ib_sb_var_find(&t, t.vars[i].id) == NULL)
				fuzz_fail("tableinfo variable %zu cannot be found by its id", i);
		ib_sb_tableinfo_free(&t);
	}
	return 0;
}
