/* proposal.h - the data model: municipalities, population, spending and proposals.
 *
 * Amounts in a proposal's yearly table are as printed in the document: 1000 kr,
 * negative = saving.  A proposal's effect is the yearly saving at full phase-in in kr,
 * positive = money freed.  Unknown numbers are IB_NA (NAN), never zero. */
#ifndef IDEABANK_PROPOSAL_H
#define IDEABANK_PROPOSAL_H

#include <stddef.h>
#include <stdint.h>

/* KL's nine fagområder, the only values ib_proposal.area may take (or NULL). */
extern const char *const ib_areas[];
extern const size_t ib_n_areas;
/* Proposal kinds: effektivisering, investering, servicereduktion, innovation, andet. */
extern const char *const ib_kinds[];
extern const size_t ib_n_kinds;

/* Return the canonical spelling of an area or kind that matches z case-insensitively
 * (also without diacritics: "aeldre og sundhed"), or NULL. */
const char *ib_area_canonical(const char *z);
const char *ib_kind_canonical(const char *z);

/* Fold z for loose comparison into out (size n): ASCII lower case, æ/ø/å (either
 * case) spelled ae/oe/aa; other bytes kept.  Used to match names and labels. */
void ib_fold_ascii(const char *z, char *out, size_t n);
/* The key a typed name is matched by: ib_fold_ascii(), without blanks, hyphens and
 * other punctuation, ø as o (oe) and å as a (aa), so that "Kobenhavn", "Hoeje
 * Taastrup" and "Aeldre og sundhed" find their names.  Into out (size n); z and out
 * may be the same. */
void ib_fold_key(const char *z, char *out, size_t n);

typedef struct ib_municipality {
	int code; /* 3-digit kommunekode, e.g. 329 */
	char name[64];
	char region[64];
	int group_code; /* DST kommunegruppe 1..5 */
	char group_name[64];
} ib_municipality;

typedef enum ib_adopted {
	IB_ADOPTED_UNKNOWN = -1,
	IB_ADOPTED_NO = 0,
	IB_ADOPTED_YES = 1
} ib_adopted;

typedef struct ib_proposal_year {
	int year;
	double net;	   /* net effect, 1000 kr, negative = saving */
	double investment; /* investment / implementation cost, 1000 kr */
	double expenses;   /* other expense rows, 1000 kr */
	double income;	   /* income / savings rows, 1000 kr */
	double fte;	   /* årsværk */
	int page;	   /* page the row was read from, 0 unknown */
	int line;	   /* line in the source text, 0 unknown */
} ib_proposal_year;

typedef struct ib_flag {
	char *code;    /* short machine code, e.g. "net_mismatch" */
	char *message; /* one line in Danish (shown on the web page) explaining it */
} ib_flag;

/* The flag codes that record a real inconsistency in the source (figures of one
 * document that contradict each other), as opposed to notes on data quality such as
 * columns_assumed or placeholder.  NULL-terminated; the one list the ranking uses. */
extern const char *const ib_inconsistency_flags[];
/* Whether code is one of ib_inconsistency_flags. */
int ib_flag_is_inconsistency(const char *code);

/* Follow-up on an adopted case (status reports such as seed 003). */
typedef struct ib_followup {
	char *adoption; /* as printed: "Budget 2022", "OFS 21/22" */
	double total_investment_kr;
	double effect_full_kr;	   /* as printed: negative = saving */
	char *full_implementation; /* as printed: "Ultimo 2025" */
	int compensating;	   /* -1 unknown, 0 no, 1 yes */
	char *status;		   /* grøn / gul / rød or NULL */
	char *remark;
	char *source;
	int page;
} ib_followup;

/* One passage of a case through a committee (agenda items): where and when it was
 * treated and what was decided. */
typedef struct ib_appearance {
	char *committee; /* as printed: "Økonomiudvalget" */
	char *date;	 /* meeting date, "2023-11-16" */
	char *item;	 /* item number on that agenda: "10" */
	char *decision;	 /* the decision text (Beslutning), NULL when none yet */
	char *url;	 /* the meeting's URL with the item: "…/dagsorden/{id}#punkt-10" */
} ib_appearance;

typedef struct ib_proposal {
	int64_t id; /* 0 until stored */
	int kommunekode;
	int budget_year;
	char *ref; /* the document's own reference: "217", "SU01"; may be NULL */
	char *title;
	char *summary;
	char *text;
	const char *area; /* one of ib_areas, or NULL when not assigned */
	char *committee;  /* committee / forvaltning as printed */
	const char *kind; /* one of ib_kinds */
	int adopted;	  /* ib_adopted */
	int full_year;	  /* year fully phased in, 0 unknown */
	double effect_kr; /* yearly effect at full phase-in, kr, positive = saving */
	double impl_cost_kr;
	char *source;	    /* file name or URL */
	int page;	    /* page of the proposal's heading, 0 unknown */
	char *content_hash; /* SHA-256 hex of the canonical record; set by the store */
	ib_proposal_year *years;
	size_t n_years;
	ib_flag *flags;
	size_t n_flags;
	ib_followup *followup; /* NULL when there is none */
	/* Identity beyond the document position: the case an agenda item belongs to
	 * ("253:22-015185", municipality and case number) and which alternative of it this
	 * is ("Model 2"); both NULL for a document's proposals. */
	char *case_key;
	char *variant;
	ib_appearance *appearances; /* oldest first; none for documents */
	size_t n_appearances;
} ib_proposal;

/* Allocate an empty proposal (numbers IB_NA, adopted unknown).  Caller frees with
 * ib_proposal_free().  NULL when out of memory. */
ib_proposal *ib_proposal_new(void);
/* Free p and everything it owns.  Accepts NULL. */
void ib_proposal_free(ib_proposal *p);
/* Free a follow-up record and its strings.  Accepts NULL. */
void ib_followup_free(ib_followup *f);
/* Append a year row (copied); returns IB_OK or IB_ENOMEM. */
int ib_proposal_add_year(ib_proposal *p, const ib_proposal_year *y);
/* Append a flag (strings copied); returns IB_OK or IB_ENOMEM. */
int ib_proposal_add_flag(ib_proposal *p, const char *code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* Append an appearance (strings copied, any may be NULL); IB_OK or IB_ENOMEM. */
int ib_proposal_add_appearance(ib_proposal *p, const ib_appearance *a);
/* The proposal's identity within its municipality, written to out (size n): with a
 * case_key "case|KEY|VARIANT", else "doc|YEAR|SOURCE|REF|VARIANT" when it has a ref, else
 * "doc|YEAR|SOURCE|pPAGE|TITLE|VARIANT".  The store keeps one proposal per identity. */
void ib_proposal_identity(const ib_proposal *p, char *out, size_t n);
/* An ib_proposal_year with every number IB_NA. */
ib_proposal_year ib_proposal_year_blank(int year);
/* Proposals in order; the list owns them. */
typedef struct ib_proposal_list {
	ib_proposal **items;
	size_t n;
	size_t alloc;
} ib_proposal_list;

/* Append p to the list, which takes ownership; on failure (IB_ENOMEM) p is freed. */
int ib_proposal_list_push(ib_proposal_list *l, ib_proposal *p);
/* Free every proposal in l and the list's array, leaving l empty.  Accepts NULL. */
void ib_proposal_list_free(ib_proposal_list *l);

/* Append p to b as one line (with '\n') of the JSON Lines feed: the proposal's
 * canonical record, keys in a fixed order (README: "The proposal feed").  with_id 0
 * leaves out the id and content_hash: the record the content hash is taken over.
 * Returns IB_OK, or ib_buf_add()'s failure (IB_ENOMEM, IB_ETOOBIG). */
struct ib_buf;
int ib_proposal_write_jsonl(struct ib_buf *b, const ib_proposal *p, int with_id);

/* Replace *dst (freed) with a copy of src (NULL allowed); returns IB_OK or IB_ENOMEM. */
int ib_strset(char **dst, const char *src);

#endif
