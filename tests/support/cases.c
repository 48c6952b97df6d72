/* cases.c - the runner of data-driven cases (cases.h). */
#include <check.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases.h"
#include "ideabank.h"
#include "testutil.h"

#define EXPECTED ".expected.json"

typedef struct tu_case {
	char *stem;   /* NAME */
	char *input;  /* dir/NAME.EXT, NULL when there is none */
	int n_inputs; /* inputs with this NAME (more than one is an error) */
	int expected; /* NAME.expected.json exists */
} tu_case;

static char *cases_dir;
static tu_case *cases;
static int n_cases;

/* (the list is made in main(), outside any test: no ck_assert there) */
static void out_of_memory(void)
{
	fprintf(stderr, "cases: out of memory\n");
	exit(EXIT_FAILURE);
}

static tu_case *case_named(const char *stem, size_t len)
{
	for (int i = 0; i < n_cases; i++)
		if (strlen(cases[i].stem) == len && !strncmp(cases[i].stem, stem, len))
			return &cases[i];
	tu_case *c = realloc(cases, (size_t)(n_cases + 1) * sizeof *cases);
	if (!c)
		out_of_memory();
	cases = c;
	c = &cases[n_cases++];
	memset(c, 0, sizeof *c);
	if (!(c->stem = strndup(stem, len)))
		out_of_memory();
	return c;
}

static int by_stem(const void *a, const void *b)
{
	return strcmp(((const tu_case *)a)->stem, ((const tu_case *)b)->stem);
}

int tu_cases_list(const char *dir, const char *const *exts)
{
	DIR *dp = opendir(dir);
	if (!dp) {
		fprintf(stderr, "cases: cannot open %s\n", dir);
		exit(EXIT_FAILURE);
	}
	if (!(cases_dir = strdup(dir)))
		out_of_memory();
	for (struct dirent *e; (e = readdir(dp)) != NULL;) {
		const char *name = e->d_name;
		size_t len = strlen(name);
		if (name[0] == '.')
			continue;
		if (ib_has_suffix(name, EXPECTED)) {
			case_named(name, len - strlen(EXPECTED))->expected = 1;
			continue;
		}
		const char *dot = strrchr(name, '.');
		for (size_t k = 0; dot && exts[k]; k++)
			if (!strcmp(dot + 1, exts[k])) {
				tu_case *c = case_named(name, (size_t)(dot - name));
				if (!c->n_inputs++) {
					size_t n = strlen(dir) + len + 2;
					if (!(c->input = malloc(n)))
						out_of_memory();
					snprintf(c->input, n, "%s/%s", dir, name);
				}
			}
	}
	closedir(dp);
	if (!n_cases) {
		fprintf(stderr, "cases: no case in %s\n", dir);
		exit(EXIT_FAILURE);
	}
	qsort(cases, (size_t)n_cases, sizeof *cases, by_stem);
	return n_cases;
}

/* Print the differences of a and b (files) to stderr, the first 80 lines. */
static void print_diff(const char *a, const char *b)
{
	char cmd[2048];
	snprintf(cmd, sizeof cmd, "diff -u '%s' '%s' | head -80 >&2", a, b);
	if (system(cmd) == -1)
		fprintf(stderr, "cannot run diff\n");
}

static void write_file(const char *path, const ib_buf *b)
{
	FILE *f = fopen(path, "wb");
	ck_assert_msg(f != NULL, "cannot write %s", path);
	ck_assert_uint_eq(fwrite(b->z, 1, b->n, f), b->n);
	ck_assert_int_eq(fclose(f), 0);
}

/* A value with nothing nested deeper than an array of scalars is printed on one line. */
static int is_flat(const cJSON *v)
{
	const cJSON *c, *g;
	cJSON_ArrayForEach(c, v)
	{
		if (cJSON_IsObject(c))
			return 0;
		if (cJSON_IsArray(c))
			cJSON_ArrayForEach(g,
					   c) if (cJSON_IsObject(g) || cJSON_IsArray(g)) return 0;
	}
	return 1;
}

/* v as a case's canonical JSON: a flat value on one line as cJSON prints it unformatted,
 * any other object or array one member a line, indented by two blanks a level. */
static void print_json(ib_buf *b, const cJSON *v, int depth)
{
	if (is_flat(v)) {
		char *z = cJSON_PrintUnformatted(v);
		ck_assert_ptr_nonnull(z);
		ib_buf_adds(b, z);
		free(z);
		return;
	}
	int object = cJSON_IsObject(v);
	ib_buf_adds(b, object ? "{\n" : "[\n");
	const cJSON *c;
	cJSON_ArrayForEach(c, v)
	{
		ib_buf_addf(b, "%*s", 2 * (depth + 1), "");
		if (object) {
			cJSON *name = cJSON_CreateStringReference(c->string);
			char *key = cJSON_PrintUnformatted(name);
			ib_buf_addf(b, "%s: ", key);
			free(key);
			cJSON_Delete(name);
		}
		print_json(b, c, depth + 1);
		ib_buf_adds(b, c->next ? ",\n" : "\n");
	}
	ib_buf_addf(b, "%*s%s", 2 * depth, "", object ? "}" : "]");
}

void tu_case_check(int i, tu_case_fn fn)
{
	ck_assert_int_lt(i, n_cases);
	const tu_case *c = &cases[i];
	ck_assert_msg(c->input != NULL, "%s/%s" EXPECTED ": no input beside it", cases_dir,
		      c->stem);
	ck_assert_msg(c->n_inputs == 1, "%s/%s: %d inputs of that name", cases_dir, c->stem,
		      c->n_inputs);
	cJSON *j = fn(c->input);
	ck_assert_ptr_nonnull(j);
	ib_buf got, want;
	ib_buf_init(&got, 0);
	ib_buf_init(&want, 0);
	print_json(&got, j, 0);
	ib_buf_addc(&got, '\n');
	cJSON_Delete(j);
	char expected[1024];
	snprintf(expected, sizeof expected, "%s/%s" EXPECTED, cases_dir, c->stem);
	const char *update = getenv("UPDATE");
	if (update && !strcmp(update, "1"))
		write_file(expected, &got);
	ib_error err = {0};
	ck_assert_msg(ib_buf_read_file(&want, expected, &err) == IB_OK,
		      "%s: no expected result (UPDATE=1 writes it)", c->input);
	if (want.n != got.n || memcmp(want.z, got.z, got.n) != 0) {
		char name[512];
		snprintf(name, sizeof name, "%s" EXPECTED, c->stem);
		const char *actual = tu_tmp_path(name);
		write_file(actual, &got);
		fprintf(stderr, "%s: the result differs from %s:\n", c->input, expected);
		print_diff(expected, actual);
		ck_abort_msg("%s differs from %s (UPDATE=1 rewrites it; read the diff first)",
			     c->input, expected);
	}
	ib_buf_free(&got);
	ib_buf_free(&want);
}

cJSON *tu_json_num(double v)
{
	if (isnan(v))
		return cJSON_CreateNull();
	char z[64];
	snprintf(z, sizeof z, "%.15g", v);
	return cJSON_CreateRaw(z);
}

cJSON *tu_json_str(const char *z)
{
	return z ? cJSON_CreateString(z) : cJSON_CreateNull();
}
