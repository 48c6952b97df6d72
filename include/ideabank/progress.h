/* progress.h - progress of long work in the library (storing a large import, rebuilding
 * the search index), for a tool that draws a bar.  The library never draws. */
#ifndef IDEABANK_PROGRESS_H
#define IDEABANK_PROGRESS_H

#include <stddef.h>

/* Called with what is being done ("import", "search index"), how much is done and the
 * total, now and then, and once more with done == total when it ends. */
typedef void (*ib_progress_fn)(void *ctx, const char *what, size_t done, size_t total);

/* Report progress to fn (NULL: to nobody, the default).  Process-wide: set it once
 * before the work starts (before ib_store_open for an index rebuild). */
void ib_set_progress(ib_progress_fn fn, void *ctx);

/* Report done of total for what to the function set, if any (library use). */
void ib_progress(const char *what, size_t done, size_t total);

#endif
