/* web_int.h - what the web page's files (src/web*.c) share: the request context with
 * "Min kommune" and the basket taken from the URL, escaping, links and page parts. */
#ifndef IDEABANK_WEB_INT_H
#define IDEABANK_WEB_INT_H

#include <cjson/cJSON.h>

#include "cli.h"
#include "records.h"
#include "web.h"

#define WEB_BASKET_MAX 200 /* proposals in one basket (kurv=1,2,3) */
#define WEB_QUERY_MAX 1000 /* bytes of q, as the query parser allows */

typedef struct web_ctx {
	ib_store *s;
	const web_request *rq;
	web_response *r;
	int english;	   /* the client asked for English before Danish (API errors) */
	cli_projection pj; /* "Min kommune" (for=) */
	int has_pj;
	char for_msg[600];    /* Danish: why for= was not used; "" when fine */
	char for_suggest[64]; /* the name for_msg suggests ("Mente du X?"); "" */
	int64_t basket[WEB_BASKET_MAX];
	size_t n_basket;
	char basket_msg[200];	/* Danish: a kurv= entry that was dropped; "" */
	ib_municipality *munis; /* the registry, loaded on first use */
	const char *rest;	/* the page's id from the path (/forslag/8) or id= */
	size_t n_munis;
} web_ctx;

/* The value of argument key ("" for a key without a value), or NULL when absent. */
const char *web_param(const web_ctx *c, const char *key);
/* The value of key, "" when absent. */
const char *web_param0(const web_ctx *c, const char *key);

/* HTML text or attribute value: < > & " ' escaped, control bytes other than tab and
 * newline dropped (a stored \x02 never becomes markup). */
void web_html(ib_buf *b, const char *z);
/* Percent-encode z for a URL's query (unreserved characters kept). */
void web_url_esc(ib_buf *b, const char *z);
/* A search snippet: text escaped, the matches (between \x02 and \x03) in <mark>. */
void web_snippet_html(ib_buf *b, const char *z);
/* A Danish-notation number, "ukendt" when unknown. */
void web_num(ib_buf *b, double v, int decimals);
/* The same with "+" before a positive number: effects, where + = saving. */
void web_signed(ib_buf *b, double v, int decimals);

/* Append a link target: path, then the request's arguments named in keep (a
 * NULL-terminated list; for= and kurv= are always kept), with the overrides given as
 * key, value pairs ending with NULL applied (a NULL or "" value drops the key).  The
 * result is escaped for an HTML attribute. */
void web_href(ib_buf *b, const web_ctx *c, const char *path, const char *const *keep, ...);
/* The same, unescaped (for JSON). */
void web_url(ib_buf *b, const web_ctx *c, const char *path, const char *const *keep, ...);

/* The basket as a kurv= value with add appended and remove removed (0: none). */
void web_basket_value(const web_ctx *c, int64_t add, int64_t remove, char *out, size_t n);
int web_in_basket(const web_ctx *c, int64_t id);
/* An "add to basket" / "remove from basket" link back to the current page, to the
 * element with id "fID" there (the proposal's row), described by the element with id
 * "tID" (its title). */
void web_basket_toggle(ib_buf *b, const web_ctx *c, int64_t id, const char *const *keep);

/* Page frame: head with the navigation and the "Min kommune" form, and the foot.
 * active names the navigation entry to mark ("soeg", "kurv", "sammenlign"). */
void web_page_head(web_ctx *c, const char *title, const char *active);
void web_page_foot(web_ctx *c);
/* A Danish error line on the page (role=alert). */
void web_page_error(web_ctx *c, const char *msg);
/* The same for a message of web_find_municipality_ex() with a suggestion: "Mente du
 * X?" links to the current page with key set to value (NULL or "": no link). */
void web_page_error_suggest(web_ctx *c, const char *msg, const char *key, const char *value);
/* A page that is only an error (unknown path, bad id), with the search form. */
void web_error_page(web_ctx *c, int status, const char *msg);

/* A view of a column table (cols.h) on the page: its headings (<th>: the label, the
 * note in small print), and rec's cells (<td>: right-aligned when the column is, named
 * for the cards on a phone); a value as its cell shows it. */
void web_cols_head(ib_buf *b, const cli_col *cols, const char *view, const cli_cols_ctx *x);
void web_cols_cells(ib_buf *b, const cli_col *cols, const char *view, const void *rec,
		    const cli_cols_ctx *x);
void web_col_value(ib_buf *b, const cli_col *c, const cli_val *v);
/* A proposal's row of a results table (the search, the basket): its title linked,
 * what it is, its snippet, the figures of cli_line_html_view and the basket link back
 * to this page with the arguments in keep. */
void web_line_row(web_ctx *c, const cli_line *l, const cli_cols_ctx *x, const char *const *keep);
/* A CSV download: write(f, arg) into the body, served as filename. */
void web_csv(web_ctx *c, void (*write)(FILE *f, const void *arg), const void *arg,
	     const char *filename);

/* The start of a comparison's form (/sammenlign, /raaderum) named name, to action:
 * its municipality (kommune=, else Min kommune). */
void web_comparison_form(web_ctx *c, const char *action, const char *name);
/* A form's hidden fields that keep "Min kommune" and the basket (for=, kurv=). */
void web_state_inputs(web_ctx *c);
/* What Min kommune's projection multiplies by: "36.010 indbyggere, Ringsteds seneste
 * folketal (2026; kilde), som hvis forslaget blev gennemført nu". */
void web_pj_basis(ib_buf *b, const web_ctx *c);

/* JSON answers: o is printed and deleted. */
void web_json(web_ctx *c, cJSON *o);
/* {"error": ..., "status": N} in Danish or English as the client asks. */
void web_api_error(web_ctx *c, int status, const char *da, const char *en);

/* The registry (loaded once per request); NULL with *n = 0 when it cannot be read. */
const ib_municipality *web_municipalities(web_ctx *c, size_t *n);
/* Find a municipality by name or code; on failure 0 and a Danish message suggesting
 * the closest name ("Ukendt kommune »Ringsteed«. Mente du Ringsted?") in da and the
 * library's English one in en. */
int web_find_municipality(web_ctx *c, const char *z, ib_municipality *m, char *da, char *en,
			  size_t n);
/* The same, with the name suggested copied to suggest (size sn; "" when none). */
int web_find_municipality_ex(web_ctx *c, const char *z, ib_municipality *m, char *da, char *en,
			     size_t n, char *suggest, size_t sn);
/* Fill a <datalist id="kommuner"> with the registry's names. */
void web_municipality_datalist(web_ctx *c);
/* A <select>'s option. */
void web_option(ib_buf *b, const char *value, const char *label, const char *current);

/* A comparison's municipality (kommune, else Min kommune), year (aar), method (metode,
 * n, k, liste) and benchmark from the address, as /sammenlign reads them (web_peers.c);
 * -1 with the reason in Danish (da) and English (en) when one is wrong. */
int web_peer_opts(web_ctx *c, ib_peer_opts *o, const char **benchmark_name, char *da, char *en,
		  size_t n_msg);
/* The form fields of a comparison's method and benchmark (web_peers.c). */
void web_peer_fields(web_ctx *c);

/* Pages (web_search.c, web_proposal.c, web_basket.c, web_peers.c, web_room.c). */
enum { WEB_HTML, WEB_CSV, WEB_JSON };
void web_search(web_ctx *c, int format);
void web_proposal(web_ctx *c, int format); /* the id: c->rest */
void web_basket(web_ctx *c, int format);
void web_peers(web_ctx *c, int format);
void web_room(web_ctx *c, int format);
/* The room page's own style sheet, screen and print (/raaderum.css). */
extern const char web_room_css[];

#endif
