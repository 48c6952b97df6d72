/* feed.h - the project's interchange formats.
 *
 * Proposals travel as JSON Lines (one proposal per line, see docs in README.md) or as
 * CSV with the same columns.  Reference data (municipalities, population, spending)
 * travels as ';'-separated CSV files whose header names their kind.  Readers are
 * all-or-nothing: the in-memory ones parse the whole input before handing anything
 * over; a JSON Lines file is streamed line by line into the caller's transaction, which
 * rolls back on the first error. */
#ifndef IDEABANK_FEED_H
#define IDEABANK_FEED_H

#include <stdio.h>

#include "buf.h"
#include "error.h"
#include "proposal.h"

/* Parse a JSON Lines feed held in text (len bytes); name is used in messages
 * ("name:17: budget_year: expected a year, got \"20x1\"").  On success the proposals
 * are appended to out.  On failure nothing is appended and err says where.  Nothing
 * is changed silently: a NUL byte, \u0000, a byte order mark past the file's start,
 * a control character other than TAB and line feed in a text, a key given twice, a
 * number beyond a double's range, a number where a text belongs ("title":123) are all
 * refused; -0 is stored as 0. */
int ib_feed_parse_jsonl(const char *name, const char *text, size_t len, ib_proposal_list *out,
			ib_error *err);
/* The same for a CSV feed (';' or ',' separated, header row with the JSON key names;
 * 'years' and 'flags' cells hold JSON arrays; numbers may use Danish notation). */
int ib_feed_parse_csv(const char *name, const char *text, size_t len, ib_proposal_list *out,
		      ib_error *err);

/* The identities of the proposals of one import, across its feeds: a proposal given
 * in two feeds of one import is an error naming both places (IB_EDUP, "b.jsonl:4: the
 * same proposal as a.csv:2 (...)"), as two lines of one feed are.  The _in readers
 * below record in it; a reader given NULL checks its own feed alone. */
typedef struct ib_feed_ids ib_feed_ids;
/* A new, empty set; NULL when out of memory.  Free with ib_feed_ids_free(). */
ib_feed_ids *ib_feed_ids_new(void);
/* Accepts NULL. */
void ib_feed_ids_free(ib_feed_ids *ids);
/* ib_feed_parse_jsonl() and ib_feed_parse_csv() recording in ids (may be NULL). */
int ib_feed_parse_jsonl_in(ib_feed_ids *ids, const char *name, const char *text, size_t len,
			   ib_proposal_list *out, ib_error *err);
int ib_feed_parse_csv_in(ib_feed_ids *ids, const char *name, const char *text, size_t len,
			 ib_proposal_list *out, ib_error *err);

/* The longest line of a streamed JSON Lines feed (one proposal); the feed itself has no
 * cap. */
#define IB_FEED_LINE_CAP IB_BUF_DEFAULT_CAP

/* What a first pass over a JSON Lines file found. */
typedef struct ib_feed_scan {
	size_t n;	       /* proposals (non-blank lines) */
	size_t bytes;	       /* the file's size */
	int ends_with_newline; /* 1 when the last line ends with '\n' */
	int ref;	       /* an ib_ref_kind: the first line is a reference file's header
				  (the scan stops there), or IB_REF_NONE */
} ib_feed_scan;

/* Read the JSON Lines file at path once, in bounded memory: every line valid UTF-8 and
 * at most IB_FEED_LINE_CAP bytes, at least one proposal.  name is used in messages.
 * Fails with IB_EIO, IB_EPARSE ("name:LINE: not valid UTF-8 (byte 0xE6)", "name: no
 * proposals in feed"), IB_ETOOBIG ("name:LINE: line longer than 64 MiB ...") or
 * IB_ENOMEM.  out is filled either way as far as the file was read. */
int ib_feed_scan_jsonl(const char *path, const char *name, ib_feed_scan *out, ib_error *err);
/* The same from the open file f, read from where it stands; f stays the caller's (to
 * rewind and stream it: a file is opened once, so a named pipe can be read, and the
 * file streamed is the one checked). */
int ib_feed_scan_jsonl_file(FILE *f, const char *name, ib_feed_scan *out, ib_error *err);

/* Receives each proposal of a streamed feed with its line number and owns it (frees it
 * with ib_proposal_free()).  Returns IB_OK, or an error code with err set to stop the
 * stream. */
typedef int (*ib_feed_sink)(void *ctx, ib_proposal *p, long line, ib_error *err);

/* Stream the JSON Lines file at path: each line is checked and parsed as it is read
 * (as ib_feed_parse_jsonl() does) and its proposal handed to sink, in file order; only
 * the current line and a 16-byte note of every identity seen are held in memory.  Two
 * lines with the same identity fail with IB_EDUP naming both; that error is given once
 * the rest of the file has parsed, and no proposal after the repeat reaches sink.  Fails
 * like ib_feed_scan_jsonl() and ib_feed_parse_jsonl(), or with sink's code; proposals
 * already handed to sink stay with it, so the caller streams inside a transaction and
 * rolls back on failure. */
int ib_feed_stream_jsonl(const char *path, const char *name, ib_feed_sink sink, void *ctx,
			 ib_error *err);
/* The same from the open file f (the caller's), recording identities in ids (may be
 * NULL). */
int ib_feed_stream_jsonl_file(FILE *f, const char *name, ib_feed_ids *ids, ib_feed_sink sink,
			      void *ctx, ib_error *err);

/* IB_OK when text[0..len), read from the file name, holds no NUL byte and no byte
 * order mark past its start; else IB_EPARSE naming the line ("name:3: byte order mark
 * U+FEFF inside the file ..."). */
int ib_feed_raw_ok(const char *name, const char *text, size_t len, ib_error *err);
/* IB_OK when the text z of field holds no control character other than TAB and line
 * feed (C0, DEL, C1) and no byte order mark; else IB_EPARSE naming the character and
 * where ("title: control character U+001B at character 5 ..."). */
int ib_feed_text_ok(const char *field, const char *z, ib_error *err);

/* Kinds of reference file, told apart by their header row. */
typedef enum ib_ref_kind {
	IB_REF_NONE = 0,
	IB_REF_MUNICIPALITIES, /* kommunekode;kommune;region;gruppe_kode;gruppe;kilde */
	IB_REF_POPULATION,     /* kommunekode;aar;folketal;kilde */
	IB_REF_SPENDING	       /* kommunekode;aar;funktion;funktionsnavn;kr_pr_indbygger;kilde */
} ib_ref_kind;

/* Which reference kind text's first line announces, or IB_REF_NONE. */
ib_ref_kind ib_ref_detect(const char *text, size_t len);

#endif
