/* documents.h - what a proposal's source is: the title map of published documents
 * (data/documents.csv, compiled in), so a source is shown by its title and URL rather
 * than by a hashed file name. */
#ifndef IDEABANK_DOCUMENTS_H
#define IDEABANK_DOCUMENTS_H

/* One published document: its file name as imported, title, publisher, URL ("" when
 * not known).  The strings live as long as the program. */
typedef struct ib_document_info {
	const char *file;
	const char *title;
	const char *publisher;
	const char *url;
} ib_document_info;

/* The document a proposal's source names, or NULL when the map does not know it.
 * source is a file name, a path (its base name is used), or a URL; a file name
 * matches with any extension (000_x.pdf finds the row for 000_x.txt).  Thread-safe
 * after the first call; never fails. */
const ib_document_info *ib_document_lookup(const char *source);

/* The title of source's document, or NULL when the map does not know it (show the
 * source itself then).  The string lives as long as the program. */
const char *ib_source_title(const char *source);

#endif
