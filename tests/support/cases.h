/* cases.h - data-driven test cases: a folder of inputs, each beside the result it must
 * give, read by one runner (as tests/cli/run.sh reads tests/cli/cases).
 *
 * A case is an input file NAME.EXT (EXT one of those the test names) and beside it
 * NAME.expected.json: the result as canonical JSON, that is the value the test builds
 * (keys in the order it adds them, numbers as %.15g through tu_json_num()) printed one
 * member a line, two blanks a level, except that a value with nothing nested deeper than
 * an array of numbers or strings is one line as cJSON prints it unformatted (a table
 * row, a year); then a newline.  tu_case_check() builds the result, prints
 * it and compares it with the expected file byte for byte; on a difference it prints a
 * unified diff and fails the case.  With UPDATE=1 in the environment it rewrites the
 * expected file first (read the diff before committing it).  An expected file without
 * an input, or an input without an expected file, fails. */
#ifndef IDEABANK_CASES_H
#define IDEABANK_CASES_H

#include <cjson/cJSON.h>
#include <stddef.h>

/* The result of the input file at path as a JSON value (the runner frees it).  Fails
 * the test itself when the input cannot be read. */
typedef cJSON *(*tu_case_fn)(const char *path);

/* List the cases of dir (sorted by name): every NAME.EXT for EXT in exts (NULL-ended,
 * without dots: "html", "txt") and every NAME.expected.json.  Call once from main();
 * returns how many there are (the loop test's end). */
int tu_cases_list(const char *dir, const char *const *exts);

/* Case i of the list: its input through fn, against its expected file. */
void tu_case_check(int i, tu_case_fn fn);

/* A number for a case's JSON: %.15g (15 significant digits, no noise in the last
 * bits), null for IB_NA. */
cJSON *tu_json_num(double v);
/* A string, or null for NULL. */
cJSON *tu_json_str(const char *z);

#endif
