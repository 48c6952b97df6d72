/* peers.h - compare a municipality's spending per inhabitant with its peers
 * (RåderumsBenchmark), and the mulighedsrum that follows.
 *
 * Spending is REGK31 net operating expenditure in kr. per inhabitant for one function
 * ("3.22.01") or for one of KL's nine areas (the sum of the functions the database
 * holds that data/area_functions.csv maps to it).  The mulighedsrum is (own - benchmark) x own
 * inhabitants, in kr.; it is negative when the municipality already spends less than
 * the benchmark. */
#ifndef IDEABANK_PEERS_H
#define IDEABANK_PEERS_H

#include <stddef.h>

#include "error.h"
#include "proposal.h"
#include "store.h"

typedef enum ib_peer_method {
	IB_PEER_GROUP = 0, /* the same DST municipality group */
	IB_PEER_NEAREST,   /* k nearest on structural indicators: DST group as a category,
			      z-scored log population, ten-year population growth and the
			      shares aged 0-16 and 65+ when stored */
	IB_PEER_LOWER,	   /* the municipality N places cheaper in the ranking */
	IB_PEER_LIST	   /* the user's own list */
} ib_peer_method;

typedef enum ib_benchmark {
	IB_BENCH_MEAN = 0,
	IB_BENCH_MEDIAN,
	IB_BENCH_LOWER_QUARTILE /* 25th percentile, linear interpolation */
} ib_benchmark;

typedef struct ib_peer_opts {
	const char *kommune;  /* name or code */
	const char *area;     /* a KL area, or NULL */
	const char *function; /* a REGK31 function code, or NULL (one of the two is given) */
	int year;	      /* 0: the latest year with figures */
	ib_peer_method method;
	int k;		  /* nearest: how many peers (0 = 10) */
	int lower_n;	  /* lower: how many places cheaper (0 = 5) */
	const char *list; /* list: names or codes separated by commas */
	ib_benchmark benchmark;
	/* nearest: indicator weights; all 0 means the defaults (1 each) */
	double w_size, w_group, w_young, w_old;
	double w_growth; /* population growth over the ten years before the year */
} ib_peer_opts;

typedef struct ib_peer_row {
	int code;
	char name[64];
	double kr;	 /* kr. per inhabitant */
	int rank;	 /* 1 = lowest spending of all municipalities with figures */
	double distance; /* nearest: distance on the indicators, else 0 */
} ib_peer_row;

typedef struct ib_peer_set {
	ib_municipality self;
	int year;
	char what[320];	  /* "3.22.01 Folkeskoler" or "Skoler (3.22.01, 3.22.05, ...)" */
	char source[160]; /* "Danmarks Statistik, REGK31 2024" */
	double own_kr;
	long inhabitants; /* own population used for the mulighedsrum */
	int population_year;
	int own_rank, n_ranked;
	ib_peer_row *peers; /* sorted by kr. per inhabitant, lowest first */
	size_t n_peers;
	ib_peer_row *all; /* every municipality with figures, lowest first */
	size_t n_all;
	double benchmark;
	double mulighedsrum_kr;
	double mulighedsrum_share; /* of own spending, 0..1 (negative: below benchmark) */
	char method[320];	   /* how the peers were chosen, in Danish */
	char note[256];		   /* e.g. fewer peers than asked for; "" when none */
	const char *area;	   /* the area of the comparison (given, or the function's) */
	char indicators[256];	   /* nearest: the indicators used, in Danish; "" otherwise */
	char ties[512];		   /* lower: which municipalities tie and how it was broken */
} ib_peer_set;

/* Compare.  Caller frees *out with ib_peer_set_free().  Fails with IB_ENOTFOUND
 * (unknown municipality: the message suggests names; unknown area or function; a year
 * without figures: the message lists the years there are) or IB_EARG. */
int ib_peers(ib_store *s, const ib_peer_opts *o, ib_peer_set **out, ib_error *err);
void ib_peer_set_free(ib_peer_set *p);

/* The KL area a REGK31 function belongs to in data/area_functions.csv (the line with
 * the longest code that is the function's or a group of it: "5.38" holds 5.38.45), or
 * NULL when no line or a "-" line decides it. */
const char *ib_function_area(const char *function_code);

/* The option words of a comparison, shared by every command and page that compares.
 * "group", "nearest", "lower:N" or "list:A,B,C" into o->method (and o->lower_n or
 * o->list, which then points into z); IB_EARG with a message otherwise. */
int ib_peer_method_parse(const char *z, ib_peer_opts *o, ib_error *err);
/* "mean", "median" or "lowest-quartile"; IB_EARG with a message otherwise. */
int ib_benchmark_parse(const char *z, ib_benchmark *b, ib_error *err);
/* The benchmark's Danish name: "gennemsnit", "median", "nedre kvartil". */
const char *ib_benchmark_name(ib_benchmark b);
/* --weights "S,G,V,Y,O" (or the older "S,G,Y,O", growth 0): finite numbers of 0 or
 * more into o's weights; IB_EARG (nothing changed) otherwise. */
int ib_peer_weights_parse(const char *z, ib_peer_opts *o);

#endif
