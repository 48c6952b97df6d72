/* room.h - where a municipality has room (råderum): every area the database can
 * compare at once, each against its peers as ib_peers() compares it, sorted by the
 * mulighedsrum, with the movement over every year held, the functions each area sums,
 * the comparison per person of the area's target group where the database holds
 * population by age, and the bank's ideas in the areas with room.
 *
 * An area is the sum of the REGK31 functions the database holds that
 * data/area_functions.csv maps to it; a year in which one of them has no figures is a
 * gap, never a zero.  Target groups (0-5 år for Daginstitutioner, 65+ år for Ældre og
 * sundhed, ...) are data: data/target_groups.csv. */
#ifndef IDEABANK_ROOM_H
#define IDEABANK_ROOM_H

#include <stddef.h>

#include "error.h"
#include "peers.h"
#include "search.h"
#include "store.h"

/* One line of data/target_groups.csv. */
typedef struct ib_target_group {
	const char *area;     /* one of ib_areas */
	char name[32];	      /* "0-5 år" */
	int age_from, age_to; /* inclusive; age_to 999 when open ("65+") */
	char reason[300];
} ib_target_group;

/* The compiled-in target groups, in the file's order (an area's first is its default).
 * Caller frees *out with free().  Fails with IB_EPARSE naming the line, or IB_ENOMEM. */
int ib_target_groups(ib_target_group **out, size_t *n, ib_error *err);

typedef enum ib_room_measure {
	IB_ROOM_PER_INHABITANT = 0, /* kr. per inhabitant, as REGK31 gives it */
	IB_ROOM_PER_TARGET	    /* kr. per person of the area's target group (an area
				       without one, or without population by age, stays per
				       inhabitant and says so) */
} ib_room_measure;

typedef struct ib_room_opts {
	/* kommune, year (0: the latest with figures), method, k, lower_n, list,
	   benchmark, weights; area and function are not used */
	ib_peer_opts peer;
	int functions; /* every REGK31 function the database holds instead of KL's areas */
	ib_room_measure measure;
	const char *target_group; /* a group's name: used by the areas that have it (the
				     others keep their first); NULL: each area's first */
	int n_ideas;		  /* ideas per line with room; 0: none */
} ib_room_opts;

/* One year of a line, for the movement: the comparison's figures, or a gap. */
typedef struct ib_room_cell {
	int year;
	int ok; /* 0: a gap (a function without figures that year, or no benchmark) */
	double own, benchmark; /* in the line's measure */
	int rank, n_ranked;    /* 1 = lowest spending */
	double index;	       /* own / benchmark x 100 */
	double mulighedsrum_kr, mulighedsrum_share;
} ib_room_cell;

typedef struct ib_room_line {
	char code[16];	  /* the function's code; "" for an area */
	const char *area; /* the area (for a function: the map's, or NULL) */
	char name[300];	  /* the area, or the function's name */
	char reason[400]; /* a function: why the map puts it where it is; "" when unmapped */
	char **codes;	  /* the functions summed */
	size_t n_codes;
	/* the report year per inhabitant, exactly as ib_peers() compares it (its what,
	   source, peers ...); NULL when the line has no figures that year */
	ib_peer_set *per_inhabitant;
	/* the same per person of the target group, beside it; NULL without a group or
	   population by age for the municipality */
	ib_peer_set *per_target;
	const ib_target_group *group; /* the group used, or NULL */
	int age_year;		      /* the year of the population by age used */
	int uses_target;	      /* the measure of main, cells and sorting is per_target */
	ib_peer_set *main;	      /* per_target when uses_target, else per_inhabitant */
	ib_room_cell *cells;	    /* every year of ib_room_report.years, in the line's measure */
	struct ib_room_line *parts; /* an area's functions, each its own line (no cells) */
	size_t n_parts;
	ib_result *ideas; /* with n_ideas and room: the area's ideas, best score first */
} ib_room_line;

typedef struct ib_room_report {
	ib_municipality self;
	int year;   /* the report year */
	int *years; /* every year the database holds figures for, oldest first */
	size_t n_years;
	ib_room_measure measure;
	const char *benchmark_name; /* Danish: "gennemsnit" ... */
	char method[320];	    /* how the peers were chosen (the first line's) */
	ib_room_line *lines;	    /* by mulighedsrum, largest first; no figures last */
	size_t n_lines;
	double total_positive_kr; /* the sum of the lines' positive mulighedsrum */
	size_t n_positive;
	/* ideas are projected onto the latest population, as search --for does */
	long projection_inhabitants;
	int projection_year;
	char projection_source[96];
	char source[200];	 /* "Danmarks Statistik, REGK31 2016-2024, ..." */
	char age_source[200];	 /* population by age used; "" when none */
	char fetched[64];	 /* when the figures were fetched ("2026-05-22 ..."); "" when
				    they come from files */
	char table_updated[64];	 /* the StatBank table's own date; "" when not known */
	ib_target_group *groups; /* the target groups (lines point into them) */
	size_t n_groups;
} ib_room_report;

/* Make the report.  Caller frees *out with ib_room_free().  Fails like ib_peers()
 * (IB_ENOTFOUND: unknown municipality, a year without figures, listing the years there
 * are; IB_EARG), or IB_ENOTFOUND for a target group no area has. */
int ib_room(ib_store *s, const ib_room_opts *o, ib_room_report **out, ib_error *err);
void ib_room_free(ib_room_report *r);

#endif
