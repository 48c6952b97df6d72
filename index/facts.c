/* facts.c - the search facts kept in blocks (facts.h): the blob format, the labels and
 * the fold of pending rows into blocks. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "ideabank/error.h"
#include "ideabank/num.h"

static void put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* Does the known effect v read back exactly from an int32? */
static int fits_i32(double v)
{
	return v >= -2147483647.0 && v <= 2147483647.0 && v == (double)(int32_t)v &&
	       !(v == 0 && signbit(v));
}

/* A blob being written: bytes, size, room. */
typedef struct blob {
	unsigned char *z;
	size_t n, alloc;
} blob;

/* The bytes of c's blob into b.  IB_OK or IB_ENOMEM. */
static int encode(const ib_fact_cols *c, blob *b)
{
	size_t n = (size_t)c->n;
	int f64 = 0;
	for (size_t i = 0; i < n && !f64; i++)
		f64 = c->present[i] && !ib_is_na(c->effect[i]) && !fits_i32(c->effect[i]);
	size_t size = IB_FACT_HEADER + n * (1 + 2 + 2 + 1 + 1 + 4 + (f64 ? 8 : 4));
	if (b->alloc < size) {
		unsigned char *z = realloc(b->z, size);
		if (!z)
			return IB_ENOMEM;
		b->z = z;
		b->alloc = size;
	}
	unsigned char *p = b->z;
	p[0] = IB_FACT_FORMAT;
	p[1] = (unsigned char)((f64 ? IB_FACT_EFFECT_F64 : 0) | (c->unfit ? IB_FACT_UNFIT : 0));
	put16(p + 2, (unsigned)n);
	unsigned char *state = p + IB_FACT_HEADER, *code = state + n, *year = code + 2 * n,
		      *area = year + 2 * n, *kind = area + n, *len = kind + n, *eff = len + 4 * n;
	for (size_t i = 0; i < n; i++) {
		int known = c->present[i] && !ib_is_na(c->effect[i]);
		int adopted = c->adopted[i] == 1 ? 2 : c->adopted[i] == 0 ? 1 : 0;
		state[i] = (unsigned char)(c->present[i] ? IB_FACT_PRESENT | adopted << IB_FACT_ADOPTED_SHIFT |
							       (known ? IB_FACT_EFFECT : 0)
							 : 0);
		put16(code + 2 * i, c->present[i] ? c->kommunekode[i] : 0);
		put16(year + 2 * i, c->present[i] ? c->year[i] : 0);
		area[i] = c->present[i] ? c->area[i] : 0;
		kind[i] = c->present[i] ? c->kind[i] : 0;
		put32(len + 4 * i, c->present[i] ? c->len[i] : 0);
		if (f64) {
			uint64_t bits = 0;
			double v = known ? c->effect[i] : 0;
			memcpy(&bits, &v, sizeof bits);
			put32(eff + 8 * i, (uint32_t)bits);
			put32(eff + 8 * i + 4, (uint32_t)(bits >> 32));
		} else {
			put32(eff + 4 * i, known ? (uint32_t)(int32_t)c->effect[i] : 0);
		}
	}
	b->n = size;
	return IB_OK;
}

int ib_fact_view_init(ib_fact_view *v, const void *blob, int size)
{
	const unsigned char *p = blob;
	memset(v, 0, sizeof *v);
	if (!p)
		return SQLITE_OK;
	if (size < IB_FACT_HEADER || p[0] != IB_FACT_FORMAT)
		return SQLITE_CORRUPT;
	size_t n = ib_fact_get16(p + 2);
	int f64 = p[1] & IB_FACT_EFFECT_F64;
	if (n > IB_FACT_SLOTS ||
	    (size_t)size != IB_FACT_HEADER + n * (1 + 2 + 2 + 1 + 1 + 4 + (f64 ? 8 : 4)))
		return SQLITE_CORRUPT;
	v->z = p;
	v->n = (int)n;
	v->f64 = f64 != 0;
	v->unfit = (p[1] & IB_FACT_UNFIT) != 0;
	return SQLITE_OK;
}


int ib_fact_decode(const void *blob, int size, ib_fact_cols *c)
{
	ib_fact_view v;
	int rc = ib_fact_view_init(&v, blob, size);
	if (rc != SQLITE_OK)
		return rc;
	c->n = v.n;
	c->unfit = v.unfit;
	for (int i = 0; i < v.n; i++) {
		ib_fact_row r;
		c->present[i] = (unsigned char)ib_fact_view_slot(&v, i, &r);
		if (!c->present[i])
			continue;
		c->kommunekode[i] = (uint16_t)r.kommunekode;
		c->year[i] = (uint16_t)r.year;
		c->area[i] = (unsigned char)r.area;
		c->kind[i] = (unsigned char)r.kind;
		c->adopted[i] = (signed char)r.adopted;
		c->len[i] = r.len;
		c->effect[i] = r.effect;
	}
	return SQLITE_OK;
}

unsigned ib_fact_varint_sum(const unsigned char *z, int n)
{
	unsigned sum = 0;
	int i = 0;
	while (i < n) {
		uint64_t v = 0;
		int k = 0;
		for (; i < n && k < 8 && (z[i] & 0x80); i++, k++)
			v = (v << 7) | (z[i] & 0x7F);
		if (i < n)
			v = k == 8 ? (v << 8) | z[i++] : (v << 7) | z[i++];
		sum += (unsigned)v;
	}
	return sum;
}

/* ---- labels --------------------------------------------------------------------- */

/* The label texts keep SQL NULL apart from every string: a NULL text is this address. */
static char null_label[1];

void ib_fact_labels_free(ib_fact_labels *l)
{
	for (int f = 0; f < 2; f++) {
		for (int i = 0; i < l->n[f]; i++)
			if (l->text[f][i] != null_label)
				free(l->text[f][i]);
		l->n[f] = 0;
	}
}

int ib_fact_labels_read(sqlite3 *db, ib_fact_labels *l)
{
	memset(l, 0, sizeof *l);
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db, "SELECT field, code, text FROM fact_label ORDER BY 1, 2",
				    -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int f = sqlite3_column_int(st, 0), code = sqlite3_column_int(st, 1);
		if (f < 0 || f > 1 || code != l->n[f] || code >= IB_FACT_LABELS) {
			rc = SQLITE_CORRUPT;
			break;
		}
		const char *z = (const char *)sqlite3_column_text(st, 2);
		char *d = z ? strdup(z) : null_label;
		if (!d) {
			rc = SQLITE_NOMEM;
			break;
		}
		l->text[f][l->n[f]++] = d;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		ib_fact_labels_free(l);
		return rc;
	}
	return SQLITE_OK;
}

int ib_fact_label_find(const ib_fact_labels *l, int f, const char *z)
{
	for (int i = 0; i < l->n[f]; i++) {
		const char *t = l->text[f][i];
		if (t == null_label ? !z : z && strcmp(t, z) == 0)
			return i;
	}
	return -1;
}

/* ---- the fold ------------------------------------------------------------------- */

/* What a fold keeps between blocks. */
typedef struct fold {
	sqlite3 *db;
	sqlite3_stmt *get, *ins, *upd, *del, *label;
	ib_fact_labels labels;
	ib_fact_cols cols;
	blob out;
	int loaded;    /* cols holds a block */
	int stored;    /* it has a row */
	int64_t block; /* the block in cols */
	int64_t stamp; /* the last stamp given */
} fold;

/* The code of text z in field f, added to fact_label when new; -1 when the field has
 * IB_FACT_LABELS codes already; *rc set on failure. */
static int label_code(fold *w, int f, const char *z, int *rc)
{
	int code = ib_fact_label_find(&w->labels, f, z);
	if (code >= 0 || w->labels.n[f] >= IB_FACT_LABELS)
		return code;
	char *d = z ? strdup(z) : null_label;
	if (!d) {
		*rc = SQLITE_NOMEM;
		return -1;
	}
	code = w->labels.n[f];
	w->labels.text[f][w->labels.n[f]++] = d;
	sqlite3_bind_int(w->label, 1, f);
	sqlite3_bind_int(w->label, 2, code);
	if (z)
		sqlite3_bind_text(w->label, 3, z, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(w->label, 3);
	if (sqlite3_step(w->label) != SQLITE_DONE)
		*rc = sqlite3_errcode(w->db);
	sqlite3_reset(w->label);
	return code;
}

/* Read block b's stored facts into w->cols (none when it has no row). */
static int block_load(fold *w, int64_t b)
{
	memset(&w->cols, 0, sizeof w->cols);
	w->block = b;
	w->loaded = 1;
	sqlite3_bind_int64(w->get, 1, b);
	int rc = sqlite3_step(w->get);
	w->stored = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW)
		rc = ib_fact_decode(sqlite3_column_blob(w->get, 0), sqlite3_column_bytes(w->get, 0),
				    &w->cols);
	else if (rc == SQLITE_DONE)
		rc = SQLITE_OK;
	sqlite3_reset(w->get);
	return rc;
}

/* Write w->cols back as its block's row, with a new stamp (deleted when empty).  An
 * UPDATE or an INSERT, never INSERT OR REPLACE: a replace in a table with an index may
 * write twice, and would open a statement journal. */
static int block_store(fold *w)
{
	while (w->cols.n > 0 && !w->cols.present[w->cols.n - 1])
		w->cols.n--;
	if (!w->cols.n && !w->stored)
		return SQLITE_OK;
	sqlite3_stmt *st = !w->cols.n ? w->del : w->stored ? w->upd : w->ins;
	sqlite3_bind_int64(st, 1, w->block);
	if (w->cols.n) {
		if (encode(&w->cols, &w->out))
			return SQLITE_NOMEM;
		sqlite3_bind_int64(st, 2, ++w->stamp);
		sqlite3_bind_blob(st, 3, w->out.z, (int)w->out.n, SQLITE_STATIC);
	}
	int rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(w->db);
	sqlite3_reset(st);
	return rc;
}

/* Set slot i of w->cols from a fact_pending row of st (columns 1-7: kommunekode, year,
 * area, kind, adopted, effect, docsize). */
static int apply_row(fold *w, sqlite3_stmt *st, int i)
{
	ib_fact_cols *c = &w->cols;
	if (i >= c->n) {
		for (int k = c->n; k < i; k++)
			c->present[k] = 0;
		c->n = i + 1;
	}
	if (sqlite3_column_type(st, 1) == SQLITE_NULL) { /* deleted */
		c->present[i] = 0;
		return SQLITE_OK;
	}
	int rc = SQLITE_OK;
	sqlite3_int64 code = sqlite3_column_int64(st, 1), year = sqlite3_column_int64(st, 2);
	int area = label_code(w, 0, (const char *)sqlite3_column_text(st, 3), &rc);
	int kind = label_code(w, 1, (const char *)sqlite3_column_text(st, 4), &rc);
	if (rc != SQLITE_OK)
		return rc;
	c->present[i] = 1;
	if (code < 0 || code > 65535 || year < 0 || year > 65535 || area < 0 || kind < 0)
		c->unfit = 1;
	c->kommunekode[i] = (uint16_t)code;
	c->year[i] = (uint16_t)year;
	c->area[i] = (unsigned char)(area < 0 ? 0 : area);
	c->kind[i] = (unsigned char)(kind < 0 ? 0 : kind);
	c->adopted[i] = (signed char)(sqlite3_column_type(st, 5) == SQLITE_NULL ? -1
				      : sqlite3_column_int(st, 5)		? 1
										: 0);
	c->effect[i] =
	    sqlite3_column_type(st, 6) == SQLITE_NULL ? IB_NA : sqlite3_column_double(st, 6);
	c->len[i] = ib_fact_varint_sum(sqlite3_column_blob(st, 7), sqlite3_column_bytes(st, 7));
	return SQLITE_OK;
}

/* The last stamp given (0 before the first fold). */
static int stamp_read(sqlite3 *db, int64_t *stamp)
{
	sqlite3_stmt *st;
	*stamp = 0;
	int rc = sqlite3_prepare_v2(db, "SELECT n FROM fact_stamp", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*stamp = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int ib_facts_fold(sqlite3 *db)
{
	fold *w = calloc(1, sizeof *w); /* its columns are 20 KiB */
	if (!w)
		return SQLITE_NOMEM;
	w->db = db;
	sqlite3_stmt *rows = NULL;
	int rc = sqlite3_prepare_v2(db,
				    "SELECT p.id, p.kommunekode, p.budget_year, p.area, p.kind,"
				    " p.adopted, p.effect_kr, d.sz FROM fact_pending p LEFT JOIN"
				    " proposal_fts_docsize d ON d.id = p.id ORDER BY p.id",
				    -1, &rows, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(rows);
	if (rc == SQLITE_DONE) { /* nothing pending */
		sqlite3_finalize(rows);
		free(w);
		return SQLITE_OK;
	}
	if (rc == SQLITE_ROW)
		rc = SQLITE_OK;
	if (rc == SQLITE_OK)
		rc = stamp_read(db, &w->stamp);
	if (rc == SQLITE_OK)
		rc = ib_fact_labels_read(db, &w->labels);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "SELECT facts FROM fact_block WHERE block = ?1", -1,
					&w->get, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(
		    db, "INSERT INTO fact_block(block, stamp, facts) VALUES(?1, ?2, ?3)", -1,
		    &w->ins, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(
		    db, "UPDATE fact_block SET stamp = ?2, facts = ?3 WHERE block = ?1", -1,
		    &w->upd, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "DELETE FROM fact_block WHERE block = ?1", -1, &w->del,
					NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db,
					"INSERT INTO fact_label(field, code, text)"
					" VALUES(?1, ?2, ?3)",
					-1, &w->label, NULL);
	/* the rows come in id order: each block is read and written once */
	int step = SQLITE_ROW;
	while (rc == SQLITE_OK && step == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(rows, 0);
		int64_t b = id >> IB_FACT_BITS; /* an arithmetic shift: floor, negative ids too */
		if (!w->loaded || b != w->block) {
			if (w->loaded)
				rc = block_store(w);
			if (rc == SQLITE_OK)
				rc = block_load(w, b);
		}
		if (rc == SQLITE_OK)
			rc = apply_row(w, rows, (int)(id & (IB_FACT_SLOTS - 1)));
		if (rc == SQLITE_OK)
			step = sqlite3_step(rows);
	}
	if (rc == SQLITE_OK && step != SQLITE_DONE)
		rc = sqlite3_errcode(db);
	if (rc == SQLITE_OK)
		rc = block_store(w);
	sqlite3_finalize(rows);
	sqlite3_finalize(w->get);
	sqlite3_finalize(w->ins);
	sqlite3_finalize(w->upd);
	sqlite3_finalize(w->del);
	sqlite3_finalize(w->label);
	ib_fact_labels_free(&w->labels);
	free(w->out.z);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "DELETE FROM fact_pending", NULL, NULL, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_stmt *st;
		rc = sqlite3_prepare_v2(db, "UPDATE fact_stamp SET n = ?1", -1, &st, NULL);
		if (rc == SQLITE_OK) {
			sqlite3_bind_int64(st, 1, w->stamp);
			rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
			sqlite3_finalize(st);
		}
	}
	free(w);
	return rc;
}

int ib_facts_rebuild(sqlite3 *db)
{
	int rc =
	    sqlite3_exec(db,
			 "DELETE FROM fact_block; DELETE FROM fact_label; DELETE FROM fact_pending;"
			 "INSERT INTO fact_pending SELECT id, kommunekode, budget_year, area,"
			 " kind, adopted, effect_kr FROM proposal",
			 NULL, NULL, NULL);
	return rc == SQLITE_OK ? ib_facts_fold(db) : rc;
}
