/* records.h - the records the tool and the web page show, each with its column table
 * (cols.h) and what is built on it: a proposal as a line (rec_line.c: search hits,
 * basket lines, ideas), a peer row (rec_peer.c), a room row (rec_room.c) and a row of
 * a proposal's yearly table (rec_years.c). */
#ifndef IDEABANK_RECORDS_H
#define IDEABANK_RECORDS_H

#include "cols.h"

/* ---- a proposal as a line (rec_line.c) -------------------------------------------- */

/* A search hit, a basket line or an idea: the proposal's figures as ib_hit holds them,
 * and its projection. */
typedef struct cli_line {
	const ib_hit *h;
	double projected;      /* kr. a year in the projection's municipality; IB_NA */
	int own;	       /* h is a proposal of the projection's municipality itself */
	int64_t alternative_of; /* basket: the alternative of the same case the totals
				   count instead of this one, 0 when this one counts */
} cli_line;

/* Its columns: id … folketal_kilde, the projection, the score, the source. */
extern const cli_col cli_line_cols[];
/* The terminal table of a list of proposals (search, basket list). */
extern const char cli_line_term_view[];
/* The web page's figures of a proposal (the title and basket cells are the page's). */
extern const char cli_line_html_view[];

/* h as a line of a list projected by pj (NULL: none), as search projects: the effect
 * per inhabitant x pj's population, own proposals too. */
cli_line cli_line_of_hit(const ib_hit *h, const cli_projection *pj);
/* The context of writing lines: pj (NULL: none), the score, the basket's columns. */
cli_cols_ctx cli_line_ctx(const cli_projection *pj, int with_score, int basket);

/* The document `search --json` prints and /api/search serves: query, total, results
 * (machine numbers, projected_kr with pj, the score with with_score) and with facets
 * the counts per area, budget year, municipality and kind.  Caller frees with
 * cJSON_Delete(). */
struct cJSON *cli_search_json(const ib_result *r, const char *query, int facets,
			      const cli_projection *pj, int with_score);

/* A basket: its proposals as lines with Idébanken's totals.  A case's alternatives
 * (Model A, Model B of one agenda case) count once in the totals: the first of them in
 * the basket; the others are in the lines with alternative_of set. */
typedef struct cli_basket {
	ib_proposal **ps; /* the proposals, in the basket's order */
	ib_hit *hits;	  /* each as a line's figures (pointing into ps) */
	cli_line *lines;
	size_t n;
	int64_t missing[16]; /* ids of the basket that are no longer stored (the first 16) */
	size_t n_missing;
	double effect, per_inhabitant, projected; /* the totals of the lines counted */
	size_t n_counted, n_unknown;		  /* lines counted; of them unknown effect */
} cli_basket;

/* Load the proposals ids[0..n) into b with their population in the budget year,
 * projected by pj (NULL: none; its own proposals as they are).  IB_OK, or the store's
 * error (a proposal no longer stored is only noted in b->missing).  Free b with
 * cli_basket_free(), also after an error. */
int cli_basket_load(ib_store *s, const int64_t *ids, size_t n, const cli_projection *pj,
		    cli_basket *b, ib_error *err);
void cli_basket_free(cli_basket *b);
/* The basket CSV (`basket export --csv`, /kurv.csv): the columns of `search --csv`, with
 * pj the projection's municipality, population and year, then the source and, for an
 * alternative left out of the totals, the alternative counted. */
void cli_basket_csv(FILE *f, const cli_basket *b, const cli_projection *pj);
/* The totals' note on alternatives in Danish: "66 (Model B) er et alternativ til 65
 * (Model A) i sag 23-003614 og tæller ikke med i summen." per line left out, into out
 * (size n); "" when none. */
const char *cli_basket_alternatives(const cli_basket *b, char *out, size_t n);

#endif
