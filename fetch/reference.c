/* reference.c - a new database's reference data: the municipality registry, population
 * and REGK31 spending that data/ holds, compiled in, stored through the importer. */
#include <stdlib.h>

#include "embedded.h"
#include "ideabank/buf.h"
#include "ideabank/import.h"

int ib_import_reference(ib_store *s, ib_import_report *rep, ib_error *err)
{
	ib_buf *bufs = calloc(ib_n_reference_files, sizeof *bufs);
	ib_import_text *texts = calloc(ib_n_reference_files, sizeof *texts);
	int rc = bufs && texts ? IB_OK : ib_error_set(err, IB_ENOMEM, NULL);
	for (size_t i = 0; i < ib_n_reference_files && !rc; i++) {
		const ib_embedded_file *f = &ib_reference_files[i];
		ib_buf_init(&bufs[i], 0);
		for (size_t k = 0; k < f->n && !rc; k++)
			rc = ib_buf_adds(&bufs[i], f->lines[k]);
		if (rc)
			ib_error_set(err, rc, NULL);
		texts[i].name = f->name;
		texts[i].text = bufs[i].z ? bufs[i].z : "";
		texts[i].len = bufs[i].n;
	}
	if (!rc)
		rc = ib_import_texts(s, texts, ib_n_reference_files, rep, err);
	for (size_t i = 0; bufs && i < ib_n_reference_files; i++)
		ib_buf_free(&bufs[i]);
	free(bufs);
	free(texts);
	return rc;
}
