/* progress.c - the process-wide progress hook of long library work. */
#include "ideabank/progress.h"

static ib_progress_fn progress_fn;
static void *progress_ctx;

void ib_set_progress(ib_progress_fn fn, void *ctx)
{
	progress_fn = fn;
	progress_ctx = ctx;
}

void ib_progress(const char *what, size_t done, size_t total)
{
	if (progress_fn)
		progress_fn(progress_ctx, what, done, total);
}
