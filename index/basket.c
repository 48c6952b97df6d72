/* basket.c - named baskets of selected proposals, kept in the database. */
#include <stdlib.h>

#include "sql.h"
#include "store_int.h"

int ib_basket_add(ib_store *s, const char *name, int64_t id, ib_error *err)
{
	ib_proposal *p = NULL;
	int rc = ib_store_get_proposal(s, id, &p, err);
	ib_proposal_free(p);
	ib_sql q = IB_SQL(s, &rc, err);
	/* seq keeps the order of adding; a second add keeps the first place */
	return ib_sql_run(
	    &q, "basket",
	    "INSERT OR IGNORE INTO basket(name, proposal_id, added_at) VALUES (?1, ?2,"
	    " (SELECT printf('%08d', count(*)) FROM basket WHERE name = ?1))",
	    "tl", name, id);
}

int ib_basket_remove(ib_store *s, const char *name, int64_t id, ib_error *err)
{
	int rc = IB_OK;
	ib_sql q = IB_SQL(s, &rc, err);
	ib_sql_run(&q, "basket", "DELETE FROM basket WHERE name = ?1 AND proposal_id = ?2", "tl",
		   name, id);
	if (!rc && !sqlite3_changes(s->db))
		rc = ib_error_set(err, IB_ENOTFOUND, "proposal %lld is not in basket '%s'",
				  (long long)id, name);
	return rc;
}

int ib_basket_clear(ib_store *s, const char *name, long *removed, ib_error *err)
{
	int rc = IB_OK;
	ib_sql q = IB_SQL(s, &rc, err);
	ib_sql_run(&q, "basket", "DELETE FROM basket WHERE name = ?1", "t", name);
	if (removed)
		*removed = rc ? 0 : sqlite3_changes(s->db);
	return rc;
}

int ib_basket_ids(ib_store *s, const char *name, int64_t **ids, size_t *n, ib_error *err)
{
	int rc = IB_OK;
	ib_sql q = IB_SQL(s, &rc, err);
	ib_sql_open(&q, "basket",
		    "SELECT proposal_id FROM basket WHERE name = ?1 ORDER BY added_at, proposal_id",
		    "t", name);
	return ib_sql_ids(&q, ids, n);
}
