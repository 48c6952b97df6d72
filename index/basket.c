/* basket.c - named baskets of selected proposals, kept in the database. */
#include <stdlib.h>

#include "store_int.h"

static int exec_one(ib_store *s, const char *sql, const char *name, int64_t id, int *changes,
		    ib_error *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return ib_store_dberr(s, err, "basket");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if (id)
		sqlite3_bind_int64(st, 2, id);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ib_store_dberr(s, err, "basket");
	if (changes)
		*changes = sqlite3_changes(s->db);
	return IB_OK;
}

int ib_basket_add(ib_store *s, const char *name, int64_t id, ib_error *err)
{
	ib_proposal *p = NULL;
	int rc = ib_store_get_proposal(s, id, &p, err);
	ib_proposal_free(p);
	if (rc)
		return rc;
	/* seq keeps the order of adding; a second add keeps the first place */
	return exec_one(s,
			"INSERT OR IGNORE INTO basket(name, proposal_id, added_at) VALUES"
			" (?1, ?2, (SELECT printf('%08d', count(*)) FROM basket WHERE name = ?1))",
			name, id, NULL, err);
}

int ib_basket_remove(ib_store *s, const char *name, int64_t id, ib_error *err)
{
	int n = 0;
	int rc = exec_one(s, "DELETE FROM basket WHERE name = ?1 AND proposal_id = ?2", name, id,
			  &n, err);
	if (!rc && !n)
		rc = ib_error_set(err, IB_ENOTFOUND, "proposal %lld is not in basket '%s'",
				  (long long)id, name);
	return rc;
}

int ib_basket_clear(ib_store *s, const char *name, long *removed, ib_error *err)
{
	int n = 0;
	int rc = exec_one(s, "DELETE FROM basket WHERE name = ?1", name, 0, &n, err);
	if (removed)
		*removed = rc ? 0 : n;
	return rc;
}

int ib_basket_ids(ib_store *s, const char *name, int64_t **ids, size_t *n, ib_error *err)
{
	*ids = NULL;
	*n = 0;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db,
			       "SELECT proposal_id FROM basket WHERE name = ?1"
			       " ORDER BY added_at, proposal_id",
			       -1, &st, NULL) != SQLITE_OK)
		return ib_store_dberr(s, err, "basket");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	size_t alloc = 0;
	int rc = IB_OK, step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == alloc) {
			alloc = alloc ? 2 * alloc : 16;
			int64_t *v = realloc(*ids, alloc * sizeof *v);
			if (!v) {
				rc = ib_error_set(err, IB_ENOMEM, NULL);
				break;
			}
			*ids = v;
		}
		(*ids)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	if (!rc && step != SQLITE_DONE)
		rc = ib_store_dberr(s, err, "basket");
	sqlite3_finalize(st);
	if (rc) {
		free(*ids);
		*ids = NULL;
		*n = 0;
	}
	return rc;
}
