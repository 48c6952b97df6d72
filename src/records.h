/* records.h - the records the tool and the web page show: a proposal as a line (a
 * search hit, a basket line, an idea), a row of a peer comparison, a line of the room
 * report, a year of a proposal's yearly table.  Each has one column table (records.c,
 * read by cols.h's engine); the documents made of them are reports.c's, the basket
 * basket.c's. */
#ifndef IDEABANK_RECORDS_H
#define IDEABANK_RECORDS_H

#include "cols.h"

/* ---- a proposal as a line -------------------------------------------------------- */

/* A search hit, a basket line or an idea: the proposal's figures as ib_hit holds them,
 * and its projection. */
typedef struct cli_line {
	const ib_hit *h;
	double projected;	/* kr. a year in the projection's municipality; IB_NA */
	int own;		/* h is a proposal of the projection's municipality itself */
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

/* ---- a row of a peer comparison -------------------------------------------------- */

typedef enum { PEER_ROLE_OWN, PEER_ROLE_PEER, PEER_ROLE_BENCHMARK } cli_peer_role;

typedef struct cli_peer_line {
	const ib_peer_set *p;
	const ib_peer_row *r;
	cli_peer_role role;
	const char *benchmark_name; /* Danish: "gennemsnit" */
	const char *own_source;	    /* the own row's sources (spending; population), or NULL */
} cli_peer_line;

/* Its columns: code, name, role, kr. per inhabitant, rank, distance, the mulighedsrum
 * (the own row's), the source. */
extern const cli_col cli_peer_cols[];
/* The ranking as the terminal and the web page show it: rank, name, kr., distance. */
extern const char cli_peer_view[];
/* The context of p's rows: the distance with the nearest; "-" for unknown. */
cli_cols_ctx cli_peer_ctx(const ib_peer_set *p);
/* The own row and the benchmark's of p as lines (row is their storage). */
cli_peer_line cli_peer_own(const ib_peer_set *p, const char *benchmark_name, ib_peer_row *row);
cli_peer_line cli_peer_benchmark(const ib_peer_set *p, const char *benchmark_name,
				 ib_peer_row *row);
/* Call row for the peers by spending with the own row in its place among them, then
 * with with_benchmark the benchmark's. */
void cli_peer_rows(const ib_peer_set *p, const char *benchmark_name, int with_benchmark,
		   void (*row)(const cli_peer_line *l, void *ctx), void *ctx);
/* How p's peers were chosen in Danish, with the names of an own list ("egen liste:
 * Køge, Sorø") when list (the method is IB_PEER_LIST), into out (size n); returns out. */
const char *cli_peer_method(const ib_peer_set *p, int list, char *out, size_t n);
/* The document `peers --json` prints and /api/peers serves; benchmark_name is the
 * benchmark's Danish name.  Caller frees with cJSON_Delete(). */
struct cJSON *cli_peers_json(const ib_peer_set *p, const char *benchmark_name);
/* `peers --csv`: own row, peers, the benchmark; the mulighedsrum (kr. and % of own
 * spending) with the population it was scaled by (population_source: its StatBank
 * table and period, or NULL); every row names its source. */
void cli_peers_csv(FILE *f, const ib_peer_set *p, const char *benchmark_name,
		   const char *population_source);

/* ---- a line of the room report --------------------------------------------------- */

/* An area or a function of the report, an area's function, or (l NULL) the total. */
typedef struct cli_room_row {
	const ib_room_line *l;
	const char *role; /* the CSV's: "fagområde", "funktion", "funktion i fagområdet" */
	const char *area; /* the area it is counted in, or NULL */
} cli_room_row;

/* The report a row belongs to, and the source of its municipality's population in the
 * report year (NULL: not known), for the context's aux. */
typedef struct cli_room_aux {
	const ib_room_report *r;
	const char *population_source;
	const char *method; /* how the peers were chosen (cli_room_method) */
} cli_room_aux;

/* Its columns: role, area, function, name, measure, the figures, index and rank per
 * year, the source, the method, the benchmark and what the kr. are scaled by. */
extern const cli_col cli_room_cols[];
/* The overview's figures on the terminal and the web page; an area's functions'. */
extern const char cli_room_view[];
extern const char cli_room_parts_view[];
cli_cols_ctx cli_room_ctx(const cli_room_aux *a);
/* The line's measure in Danish ("kr. pr. indbygger"), its label ("3.22.01
 * Folkeskoler" or the area), into out; both return out. */
const char *cli_room_unit(const ib_room_line *l, char *out, size_t n);
const char *cli_room_label(const ib_room_line *l, char *out, size_t n);
/* How the report's peers were chosen, with the names of an own list (list: the method
 * is IB_PEER_LIST), into out (size n); returns out. */
const char *cli_room_method(const ib_room_report *r, int list, char *out, size_t n);
/* The projection of ideas the report uses (its municipality's latest population). */
cli_projection cli_room_projection(const ib_room_report *r);
/* The document `room --json` prints and /api/raaderum serves.  Caller frees with
 * cJSON_Delete(). */
struct cJSON *cli_room_json(const ib_room_report *r);
/* `room --csv`: a row per line and per function of an area, then the total. */
void cli_room_csv(FILE *f, const cli_room_aux *a);

/* ---- a year of a proposal's yearly table ----------------------------------------- */

typedef struct cli_year {
	const ib_proposal *p;
	size_t i; /* of p->years */
} cli_year;

/* Its columns: the year, investment, expenses, income, net, FTEs (as the document
 * prints them, 1.000 kr.; unknown "?" for people), where it was read. */
extern const cli_col cli_year_cols[];
/* 1 when some year of p has a figure in column c (a line of the turned table). */
int cli_year_col_any(const ib_proposal *p, const cli_col *c);
/* 1 when p's years were read from a document with pages; 1 when from known lines. */
int cli_year_pages(const ib_proposal *p);
int cli_year_sources(const ib_proposal *p);

#endif
