/* documents.c - the title map of published documents: data/documents.csv compiled in
 * (columns fil, titel, udgiver, url), read once, looked up by file name, stem or URL. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "ideabank/buf.h"
#include "ideabank/documents.h"

extern const char ib_documents_csv[];

static ib_csv table;
static ib_document_info *docs;
static size_t n_docs;
static pthread_once_t docs_once = PTHREAD_ONCE_INIT;

static void docs_load(void)
{
	if (IB_CSV_TABLE(ib_documents_csv, &table, docs, NULL))
		return;
	for (size_t i = 1; i < table.n; i++) { /* fil;titel;udgiver;url */
		char **f = table.rows[i].f;
		if (table.rows[i].n >= 4 && *f[0] && *f[1])
			docs[n_docs++] = (ib_document_info){f[0], f[1], f[2], f[3]};
	}
}

/* Length of z without its extension (the part from the last '.'). */
static size_t stem_len(const char *z)
{
	const char *dot = strrchr(z, '.');
	return dot ? (size_t)(dot - z) : strlen(z);
}

const ib_document_info *ib_document_lookup(const char *source)
{
	if (!source || !*source)
		return NULL;
	pthread_once(&docs_once, docs_load);
	for (size_t i = 0; i < n_docs; i++)
		if (*docs[i].url && strcmp(docs[i].url, source) == 0)
			return &docs[i];
	if (strstr(source, "://"))
		return NULL;
	const char *base = ib_base_name(source);
	size_t n = stem_len(base);
	for (size_t i = 0; i < n_docs; i++)
		if (stem_len(docs[i].file) == n && strncmp(docs[i].file, base, n) == 0)
			return &docs[i];
	return NULL;
}

const char *ib_source_title(const char *source)
{
	const ib_document_info *d = ib_document_lookup(source);
	return d ? d->title : NULL;
}
