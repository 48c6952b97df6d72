/* statbank.h - Statistics Denmark's StatBank API (api.statbank.dk/v1): table
 * metadata, data requests and the two answer formats ideabank reads.
 *
 * A data request names a table and, per variable, the value codes wanted; variables
 * left out are eliminated (their total is given).  Answers come as CSV (';'-separated,
 * UTF-8 with BOM, CRLF, a header of variable codes then INDHOLD, value labels in the
 * cells, ".." for a missing value) or JSON-stat (dataset.dimension.<id>.category.index
 * and .label, dataset.value in row-major order).  Both are read into one shape, a list
 * of observations with each variable's value code and label. */
#ifndef IDEABANK_STATBANK_H
#define IDEABANK_STATBANK_H

#include <stddef.h>

#include "error.h"

/* The API's limit on the cells of one data request. */
#define IB_SB_MAX_CELLS 1000000L

typedef struct ib_sb_value {
	char *id, *text;
} ib_sb_value;

typedef struct ib_sb_var {
	char *id, *text;
	int time;	 /* the time variable (Tid) */
	int elimination; /* may be left out of a request */
	ib_sb_value *values;
	size_t n_values;
} ib_sb_var;

typedef struct ib_sb_tableinfo {
	char *id, *text, *unit, *updated;
	ib_sb_var *vars;
	size_t n_vars;
} ib_sb_tableinfo;

/* Parse a /v1/tableinfo answer (format=JSON).  name labels messages.  Caller frees
 * with ib_sb_tableinfo_free().  Fails with IB_EPARSE (not JSON, missing keys, not
 * UTF-8). */
int ib_sb_tableinfo_parse(const char *name, const char *json, size_t len, ib_sb_tableinfo *out,
			  ib_error *err);
void ib_sb_tableinfo_free(ib_sb_tableinfo *t);
/* 1 when two variable ids are the same as StatBank spells them in different places
 * ("Tid" in metadata, "TID" in CSV headers; Æ Ø Å folded like ASCII letters). */
int ib_sb_same_id(const char *a, const char *b);
/* The variable with id (compared with ib_sb_same_id()), or NULL. */
const ib_sb_var *ib_sb_var_find(const ib_sb_tableinfo *t, const char *id);

/* The values of one variable in a request. */
typedef struct ib_sb_select {
	char *var;  /* variable id as the table spells it */
	char **ids; /* value ids */
	size_t n;
} ib_sb_select;

/* Resolve wanted[0..n-1] against variable var of t into out: "*" is every value, else
 * each is a value id, a value text, or the start of a text up to a space ("3.22.01"
 * matches "3.22.01 Folkeskoler"); "2008..2026" on the time variable is every period of
 * those years, "K1" appended to a year on a quarterly table picks the first quarter.
 * Fails with IB_ENOTFOUND naming the table, variable and value ("FOLK1A: variable
 * OMRÅDE has no value 'x'") or an unknown variable (listing the table's).  Caller
 * frees with ib_sb_select_free(). */
int ib_sb_resolve(const ib_sb_tableinfo *t, const char *var, const char *const *wanted, size_t n,
		  ib_sb_select *out, ib_error *err);
void ib_sb_select_free(ib_sb_select *s);

/* The JSON bodies for POST /v1/data asking for table with the selections sel[0..n-1],
 * split along the largest variable so that no body asks for more than max_cells cells.
 * format is "CSV" or "JSONSTAT"; lang "da" or "en".  *bodies (n_bodies strings) is
 * freed by the caller, each string and the array, with free().  Fails with IB_ENOMEM,
 * or IB_EARG when a selection is empty. */
int ib_sb_request_bodies(const char *table, const ib_sb_select *sel, size_t n, const char *format,
			 const char *lang, long max_cells, char ***bodies, size_t *n_bodies,
			 ib_error *err);

/* Observations: obs i has, for variable v, code[i * n_vars + v] and label[...]. */
typedef struct ib_sb_data {
	char **var_ids; /* n_vars variable ids as in the answer */
	size_t n_vars;
	char **code, **label;
	double *value; /* NAN where the answer says ".." or null */
	size_t n_obs, n_missing;
} ib_sb_data;

/* Read a CSV answer.  vars[0..n_vars-1] are the variables asked for: the header must
 * be exactly those (any order, case-insensitive) and INDHOLD last.  Labels are turned
 * into codes with t (may be NULL: codes are then the labels).  Fails with IB_EPARSE
 * naming name and line: not UTF-8, wrong header, a label t does not know, a value that
 * is not a number. */
int ib_sb_parse_csv(const char *name, const char *text, size_t len, const char *const *vars,
		    size_t n_vars, const ib_sb_tableinfo *t, ib_sb_data *out, ib_error *err);
/* Read a JSON-stat answer.  Dimensions not among vars must have size 1 (ContentsCode).
 * Fails with IB_EPARSE naming the missing or inconsistent key. */
int ib_sb_parse_jsonstat(const char *name, const char *text, size_t len, const char *const *vars,
			 size_t n_vars, ib_sb_data *out, ib_error *err);
void ib_sb_data_free(ib_sb_data *d);
/* Column of variable id in d (case-insensitive), or -1. */
int ib_sb_data_var(const ib_sb_data *d, const char *id);

#endif
