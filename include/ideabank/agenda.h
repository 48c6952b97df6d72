/* agenda.h - proposals from the municipalities' committee agendas.
 *
 * Many municipalities publish their committee agendas through a FirstAgenda-style JSON
 * API: GET {base}/udvalgsliste lists committees and meetings, GET {base}/dagsorden/{id}
 * is one meeting with its items (title, case number, case text as HTML, attachments).
 * This module turns meetings into cases: one case per case number (SagsNummer),
 * however many committees it passes, with every appearance kept and `adopted` read
 * from the last decision.  Every item is classified with a reason from the rule table
 * data/agenda_rules.csv: stored as a proposal (it states its money effect per budget
 * year in a table), stored with a flag (something could not be read), or skipped.
 * Decisions are read through data/decision_rules.csv; the attachments worth reading
 * are named by data/attachment_words.csv.  The same code serves `ideabank fetch` and
 * `ideabank import` of saved answers. */
#ifndef IDEABANK_AGENDA_H
#define IDEABANK_AGENDA_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "store.h"

/* One meeting answer (the JSON of /dagsorden/{id}) to store. */
typedef struct ib_agenda_meeting {
	const char *name; /* for messages: the URL or file */
	const char *url;  /* where the answer came from (the API's URL, or the file) */
	const char *body; /* the JSON */
	size_t len;
	const char *sha256; /* of the body, hex */
	int64_t fetch_id;   /* its fetch_log row; 0 for files */
	/* the portal's site ("https://HOST"): an item is cited as its page there,
	 * {site}/vis?id={meeting}&punktid={item} (ib_portal_item_url()); NULL: url#punkt-N */
	const char *site;
	/* the municipality was named by the user (import --kommune), not by the portal the
	 * answer came from: a meeting stored for another municipality is refused */
	int named_by_user;
} ib_agenda_meeting;

/* What became of one agenda item. */
typedef struct ib_agenda_item_out {
	char *date, *committee, *item, *case_number, *title;
	char *meeting_id;    /* the meeting's Id */
	const char *outcome; /* "proposal", "skipped" or "flagged" */
	char *reason;	     /* Danish, from data/agenda_reasons.csv */
	char *code;	     /* the reason's code: "table", "text", "table+text" for a
				proposal; "agenda_business", "budget_overview", ... */
	char *explain;	     /* which parts, tables, sentences and rule rows decided it */
} ib_agenda_item_out;

/* An attachment whose name says it holds proposals (data/attachment_words.csv). */
typedef struct ib_agenda_attachment {
	char *id, *name;
	char *item_url; /* the agenda item it is attached to */
} ib_agenda_attachment;

typedef struct ib_agenda_reason {
	char *outcome, *reason, *code;
	long n;
} ib_agenda_reason;

typedef struct ib_agenda_report {
	long meetings, items;		  /* read */
	long proposals, skipped, flagged; /* items by outcome */
	long cases, cases_stored;	  /* case numbers seen, stored as proposals */
	long proposals_new, proposals_updated, proposals_unchanged;
	long proposals_removed; /* alternatives or cases the stored meetings no longer make */
	long cases_waiting;	/* cases of a database of schema 6 or older kept as they
				   were until all their meetings are stored again */
	ib_agenda_reason *reasons; /* items per outcome and reason, first seen first */
	size_t n_reasons;
	ib_agenda_item_out *out; /* every item, in meeting and item order */
	size_t n_out;
	ib_agenda_attachment *att; /* proposal attachments, once each */
	size_t n_att;
	char **lists; /* saved committee lists (/udvalgsliste) among the answers, skipped */
	size_t n_lists;
} ib_agenda_report;

/* Free the report's contents (not r); accepts NULL. */
void ib_agenda_report_free(ib_agenda_report *r);

/* Store meetings m[0..n-1] of municipality kommunekode inside the caller's
 * transaction: the meetings (each replacing what the store held of it), their items
 * with their case text, and every case they touch, derived from all the meetings
 * stored, as proposals (identity: case number and variant; source: the item's URL);
 * a case's proposals that it no longer makes are deleted.  So storing one meeting again
 * leaves its cases as storing every meeting made them.  rep (caller frees with
 * ib_agenda_report_free()) receives the counts.  Fails with IB_EPARSE (a body that is
 * not a meeting answer: the message names it), IB_EDB or IB_ENOMEM; the caller rolls
 * back then. */
int ib_agenda_store(ib_store *s, int kommunekode, const ib_agenda_meeting *m, size_t n,
		    ib_agenda_report *rep, ib_error *err);

/* The attachments worth reading of meetings m[0..n-1], the same as ib_agenda_store()
 * lists in rep->att, without the store: a fetcher downloads them before it opens its
 * transaction.  Only rep->att and rep->n_att are filled (caller frees with
 * ib_agenda_report_free()); a body that is not a meeting answer is passed over
 * (ib_agenda_store() refuses it).  IB_OK or IB_ENOMEM. */
int ib_agenda_attachments(const ib_agenda_meeting *m, size_t n, ib_agenda_report *rep,
			  ib_error *err);

/* A meeting listed by /udvalgsliste. */
typedef struct ib_agenda_ref {
	char *id, *committee, *date; /* date as "2023-11-16" */
} ib_agenda_ref;

/* The meetings of an /udvalgsliste answer held in body, from every group of
 * committees (current, historical, per election period, ...), filtered: dates within
 * [from, to] ("2022-01-01"; NULL = open) and, when n_committees > 0, committees whose
 * name begins with one of committees[] (compared without case, æ/ø/å folded).  A
 * meeting listed twice is taken once.  Sorted by date, then id.  Caller frees *out with
 * ib_agenda_refs_free().  Fails with IB_EPARSE (not a committee list, naming name) or
 * IB_ENOMEM. */
int ib_agenda_meetings(const char *name, const char *body, size_t len, const char *from,
		       const char *to, const char *const *committees, size_t n_committees,
		       ib_agenda_ref **out, size_t *n, ib_error *err);
void ib_agenda_refs_free(ib_agenda_ref *r, size_t n);

/* 1 when path names a saved meeting answer (.json or .json.gz) or a directory. */
int ib_agenda_is_input(const char *path);

/* Import saved meeting answers of municipality kommune (name or code) in one
 * transaction: files (.json, .json.gz) and directories of them.  Through
 * ib_agenda_store(); attachments are listed in rep, not downloaded.  Items cite their
 * page on the municipality's portal (data/agenda_portals.csv) when it has a
 * FirstAgenda-style one, else the file (file#punkt-N).  Fails with
 * IB_EIO, IB_EPARSE, IB_ENOTFOUND (municipality), IB_EDB or IB_ENOMEM; then nothing
 * is stored. */
int ib_agenda_import(ib_store *s, const char *kommune, const char *const *paths, size_t n,
		     ib_agenda_report *rep, ib_error *err);

#endif
