/* replay.c - run a fuzz target without libFuzzer: every file named on the command line,
 * or found in a directory named there, is fed to LLVMFuzzerTestOneInput() once.  Used by
 * `make check` to replay tests/fuzz/regress/<target>/ (inputs that once crashed) and the
 * seed corpus.  Prints "<target>: N inputs" and exits 0; a broken property aborts. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static long n_inputs;

static void replay_file(const char *path)
{
	ib_buf b;
	ib_error err = {0};
	ib_buf_init(&b, 0);
	if (ib_buf_read_file(&b, path, &err)) {
		fprintf(stderr, "replay: %s\n", err.msg);
		exit(1);
	}
	/* a copy of exactly the file's size, so that ASan sees a read past its end */
	uint8_t *data = malloc(b.n ? b.n : 1);
	if (!data)
		abort();
	memcpy(data, b.z ? b.z : "", b.n);
	LLVMFuzzerTestOneInput(data, b.n);
	free(data);
	ib_buf_free(&b);
	n_inputs++;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void replay_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return; /* a target without regression inputs yet */
	char **names = NULL;
	size_t n = 0, alloc = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n == alloc) {
			alloc = alloc ? 2 * alloc : 64;
			names = realloc(names, alloc * sizeof *names);
			if (!names)
				abort();
		}
		if (!(names[n++] = strdup(e->d_name)))
			abort();
	}
	closedir(d);
	qsort(names, n, sizeof *names, by_name);
	for (size_t i = 0; i < n; i++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		struct stat st;
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			replay_file(path);
		free(names[i]);
	}
	free(names);
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			replay_dir(argv[i]);
		else if (stat(argv[i], &st) == 0)
			replay_file(argv[i]);
	}
	const char *name = strrchr(argv[0], '/');
	printf("%s: %ld inputs\n", name ? name + 1 : argv[0], n_inputs);
	return 0;
}
