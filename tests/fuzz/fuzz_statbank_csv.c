/* fuzz_statbank_csv.c - StatBank's CSV answers (fetch/statbank.c).  The variables
 * asked for, and whether labels are turned into codes with a table's metadata, are
 * picked by the input's last byte.  A parse that succeeds gives, per observation, a
 * code and a label for every variable; a failure has a message. */
#include <string.h>

#include "fuzz.h"

/* A small table's metadata (shape of /v1/tableinfo) to turn labels into codes. */
static const char tableinfo_json[] =
    "{\"id\":\"FOLK1A\",\"text\":\"Befolkningen\",\"unit\":\"antal\","
    "\"updated\":\"2025-02-11T08:00:00\",\"variables\":["
    "{\"id\":\"OMRÅDE\",\"text\":\"område\",\"elimination\":true,\"time\":false,\"values\":["
    "{\"id\":\"000\",\"text\":\"Hele landet\"},{\"id\":\"101\",\"text\":\"København\"},"
    "{\"id\":\"329\",\"text\":\"Ringsted\"}]},"
    "{\"id\":\"ALDER\",\"text\":\"alder\",\"elimination\":true,\"time\":false,\"values\":["
    "{\"id\":\"IALT\",\"text\":\"Alder i alt\"},{\"id\":\"0\",\"text\":\"0 år\"}]},"
    "{\"id\":\"Tid\",\"text\":\"tid\",\"elimination\":false,\"time\":true,\"values\":["
    "{\"id\":\"2021K1\",\"text\":\"2021K1\"},{\"id\":\"2022K1\",\"text\":\"2022K1\"}]}]}";

static ib_sb_tableinfo info;
static int have_info;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const sets[][3] = {
	    {"OMRÅDE", "Tid", NULL}, {"OMRÅDE", "ALDER", "Tid"}, {"HERKOMST1", "Tid", NULL}};
	ib_error err = {0};
	if (!have_info) {
		if (ib_sb_tableinfo_parse("FOLK1A", tableinfo_json, sizeof tableinfo_json - 1,
					  &info, &err))
			fuzz_fail("tableinfo: %s", err.msg);
		have_info = 1;
	}
	unsigned pick = size ? data[size - 1] : 0;
	const char *const *vars = sets[pick % 3];
	size_t n_vars = vars[2] ? 3 : 2;
	ib_sb_data d;
	memset(&d, 0, sizeof d);
	int rc = ib_sb_parse_csv("fuzz.csv", (const char *)data, size, vars, n_vars,
				 pick / 3 % 2 ? &info : NULL, &d, &err);
	if (rc == IB_OK) {
		if (d.n_vars != n_vars)
			fuzz_fail("%zu variables asked for, %zu read", n_vars, d.n_vars);
		for (size_t i = 0; i < d.n_obs * d.n_vars; i++)
			if (!d.code[i] || !d.label[i])
				fuzz_fail("observation %zu lacks a code or label", i / d.n_vars);
		ib_sb_data_free(&d);
	} else if (!err.msg[0]) {
		fuzz_fail("failed with code %d and no message", rc);
	}
	return 0;
}
