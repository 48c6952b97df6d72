/* tokenizer.c - the Danish FTS5 tokenizer "ideabank_da": unicode61 + Snowball Danish
 * stemming + compound parts at index time + ASCII spellings at query time. */
#include <libstemmer.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tokenizer.h"

#include <sqlite3.h> /* declares fts5_api and fts5_tokenizer */

#define TOKEN_MAX 128  /* longer tokens are passed on unstemmed */
#define MIN_PART 4     /* letters in a compound part: "kon" + "sulent" is no split */
#define MIN_COMPOUND 8 /* letters in a word worth splitting */
#define MAX_PARTS 8
/* What the tokenizer emits for a text; part of the index's fingerprint, so an index
 * built by an older tokenizer is rebuilt by the next writer.  2: derivational stems
 * (-ering), 3-letter heads from data/short_heads.csv. */
#define TOKENIZER_VERSION 2
#define MIN_DERIV_BASE 4 /* letters left when -ering is taken off: "lev|ering" is not */

/* data/short_heads.csv, compiled in: 3-letter words that may begin a compound */
extern const char ib_short_heads_csv[];

/* ---- the word list: a hash set of lower-case words ---------------------------- */

static struct {
	char *text;  /* the file, words NUL-terminated in place */
	char **slot; /* open addressing, power-of-two size */
	size_t mask;
	int loaded; /* 1 loaded, -1 missing */
} words;
static pthread_once_t words_once = PTHREAD_ONCE_INIT;

static uint32_t hash(const char *z, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)z[i]) * 16777619u;
	return h;
}

static const char *words_path;
static pthread_once_t path_once = PTHREAD_ONCE_INIT;

static void path_resolve(void)
{
	words_path = getenv("IDEABANK_WORDLIST");
	if (!words_path || !*words_path)
		words_path = IB_DA_WORDLIST;
}

void ib_da_wordlist_fingerprint(char *out, size_t n)
{
	pthread_once(&path_once, path_resolve);
	struct stat st;
	if (stat(words_path, &st) != 0 || !S_ISREG(st.st_mode) || access(words_path, R_OK) != 0)
		snprintf(out, n, "none, tokenizer %d", TOKENIZER_VERSION);
	else
		snprintf(out, n, "%s %lld %lld, tokenizer %d", words_path, (long long)st.st_size,
			 (long long)st.st_mtime, TOKENIZER_VERSION);
}

static void words_load(void)
{
	words.loaded = -1;
	pthread_once(&path_once, path_resolve);
	FILE *f = fopen(words_path, "rb");
	if (!f)
		return;
	if (fseek(f, 0, SEEK_END) != 0) {
		fclose(f);
		return;
	}
	long size = ftell(f);
	rewind(f);
	if (size <= 0 || size > 64L * 1024 * 1024 || !(words.text = malloc((size_t)size + 1))) {
		fclose(f);
		return;
	}
	size_t got = fread(words.text, 1, (size_t)size, f);
	fclose(f);
	words.text[got] = '\0';
	size_t n = 0;
	for (size_t i = 0; i < got; i++)
		n += words.text[i] == '\n';
	size_t cap = 1;
	while (cap < 2 * n + 2)
		cap <<= 1;
	words.slot = calloc(cap, sizeof *words.slot);
	if (!words.slot) {
		free(words.text);
		words.text = NULL;
		return;
	}
	words.mask = cap - 1;
	for (char *z = words.text; *z;) {
		char *e = strchr(z, '\n');
		if (e)
			*e = '\0';
		unsigned char c = (unsigned char)z[0];
		/* common nouns only: no names (capitals), no abbreviations with dots */
		int lower =
		    !(c >= 'A' && c <= 'Z') &&
		    !(c == 0xC3 && ((unsigned char)z[1] == 0x86 || (unsigned char)z[1] == 0x98 ||
				    (unsigned char)z[1] == 0x85)) &&
		    !strchr(z, '.') && strlen(z) >= 3;
		if (lower) {
			size_t len = strlen(z);
			size_t h = hash(z, len) & words.mask;
			while (words.slot[h] && strcmp(words.slot[h], z) != 0)
				h = (h + 1) & words.mask;
			words.slot[h] = z;
		}
		if (!e)
			break;
		z = e + 1;
	}
	words.loaded = 1;
}

static int is_word(const char *z, size_t n)
{
	if (words.loaded != 1)
		return 0;
	size_t h = hash(z, n) & words.mask;
	while (words.slot[h]) {
		if (strncmp(words.slot[h], z, n) == 0 && words.slot[h][n] == '\0')
			return 1;
		h = (h + 1) & words.mask;
	}
	return 0;
}

int ib_da_have_wordlist(void)
{
	pthread_once(&words_once, words_load);
	return words.loaded == 1;
}

/* ---- compound splitting ------------------------------------------------------- */

static size_t letters(const char *z, size_t n);
static int short_head_listed(const char *z, size_t n);

/* May the word z[0..len) begin with the short head z[0..h)?  Only a listed head, and
 * only when no longer word of up to MIN_PART + 2 letters begins the word: "bil" is the
 * head of bilflåde, not of billeder (bille, billed) or billig; "løn" not of lønsom. */
static int short_head(const char *z, size_t h, size_t len)
{
	if (!short_head_listed(z, h))
		return 0;
	for (size_t k = h + 1; k < len; k++) {
		if (((unsigned char)z[k] & 0xC0) == 0x80)
			continue; /* inside a character */
		size_t lk = letters(z, k);
		if (lk > MIN_PART + 2)
			break;
		if (lk >= MIN_PART && is_word(z, k))
			return 0;
	}
	return 1;
}

/* Is z[0..n) one of the short heads (a line of data/short_heads.csv after its header)? */
static int short_head_listed(const char *z, size_t n)
{
	const char *line = strchr(ib_short_heads_csv, '\n');
	while (line && line[1]) {
		line++;
		size_t k = strcspn(line, "\r\n");
		if (k == n && memcmp(line, z, n) == 0)
			return 1;
		line = strchr(line, '\n');
	}
	return 0;
}

static size_t letters(const char *z, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += ((unsigned char)z[i] & 0xC0) != 0x80;
	return k;
}

static int split_from(const char *w, size_t off, size_t n, ib_da_part *parts, int max, int depth)
{
	const char *z = w + off;
	size_t len = n - off;
	if (depth > MAX_PARTS || letters(z, len) < 2 * MIN_PART || max < 2)
		return 0;
	/* heads from the longest down, on character boundaries */
	for (size_t h = len; h > 0; h--) {
		/* z[len] is past the word: the word need not be NUL-terminated */
		if (h < len && ((unsigned char)z[h] & 0xC0) == 0x80)
			continue;
		/* a part has MIN_PART letters; a word may begin with a short head */
		size_t lh = letters(z, h);
		if ((lh < MIN_PART && !(off == 0 && lh == MIN_PART - 1 && short_head(z, h, len))) ||
		    letters(z + h, len - h) < MIN_PART)
			continue;
		if (!is_word(z, h))
			continue;
		static const char *const link[] = {"", "s", "e"};
		for (size_t l = 0; l < 3; l++) {
			size_t k = strlen(link[l]);
			if (k && strncmp(z + h, link[l], k) != 0)
				continue;
			size_t t = h + k;
			if (letters(z + t, len - t) < MIN_PART)
				continue;
			parts[0].start = off;
			parts[0].n = h;
			if (is_word(z + t, len - t)) {
				parts[1].start = off + t;
				parts[1].n = len - t;
				return 2;
			}
			int more = split_from(w, off + t, n, parts + 1, max - 1, depth + 1);
			if (more)
				return 1 + more;
		}
	}
	return 0;
}

int ib_da_split(const char *word, size_t n, ib_da_part *parts, int max)
{
	if (!ib_da_have_wordlist() || letters(word, n) < MIN_COMPOUND)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (word[i] >= '0' && word[i] <= '9')
			return 0;
	return split_from(word, 0, n, parts, max, 0);
}

/* ---- the tokenizer ------------------------------------------------------------ */

/* What a document token is indexed as: its stem and the stems of its compound parts
 * that differ from it and from each other, packed after the token in data[].  A slot
 * is two cache lines: a look-up costs a cache miss for each line it reads. */
#define MEMO_SLOT 128
#define MEMO_WORD 40 /* longer tokens are not remembered */
#define MEMO_MAX 8   /* stems a remembered token may have */
/* 4 MiB per indexing connection: a bank's vocabulary is tens of thousands of words, and
 * with 4.096 slots one token in eight (100k bench corpus) was stemmed and split again */
#define MEMO_SLOTS 32768
/* a snippet's memo: a few proposals' words; every page of a memo is a page fault of a
   process that searches once, dearer than the stemming it saves when the memo is large */
#define AUX_MEMO_SLOTS 512
#define MAX_STEMS (2 * MAX_PARTS + 2) /* main, its derivational stem, parts and theirs */

_Static_assert(MEMO_SLOT % 64 == 0, "a memo slot is whole cache lines");

typedef struct memo {
	unsigned char n;	     /* token length, 0 for an empty slot */
	unsigned char n_stems;	     /* stems after the token: the main one first */
	unsigned char len[MEMO_MAX]; /* length of each */
	char data[MEMO_SLOT - 2 - MEMO_MAX]; /* the token, then its stems */
} memo;

typedef struct da_tokenizer {
	fts5_tokenizer parent;	    /* unicode61's methods */
	Fts5Tokenizer *parent_inst; /* its instance */
	struct sb_stemmer *stemmer;
	memo *memo; /* documents repeat their words: each token's stems, direct-mapped */
	memo *aux_memo; /* the same for snippets and highlights (FTS5_TOKENIZE_AUX), whose
			   tokens have no compound parts */
	int memo_failed;
} da_tokenizer;

typedef struct da_call {
	da_tokenizer *t;
	void *ctx;
	int flags;
	int (*xToken)(void *, int, const char *, int, int, int);
} da_call;

/* Stem z[0..n) into out; returns the stem's length. */
static int stem(struct sb_stemmer *st, const char *z, int n, char *out, int size)
{
	const sb_symbol *s = sb_stemmer_stem(st, (const sb_symbol *)z, n);
	int k = s ? sb_stemmer_length(st) : n;
	if (!s)
		s = (const sb_symbol *)z;
	if (k > size)
		k = size;
	memcpy(out, s, (size_t)k);
	return k;
}

/* The derivational stem of a Snowball stem: "koordinering" -> "koordin", the stem
 * Snowball gives koordinere, koordinerende, koordineret, koordinerede, so the noun
 * finds the verb's forms and they find it.  Length of the result in out, 0 when the
 * stem does not end in -ering or too little is left. */
static int deriv_stem(const char *z, int n, char *out)
{
	static const char suffix[] = "ering";
	int k = (int)sizeof suffix - 1;
	if (n <= k || memcmp(z + n - k, suffix, (size_t)k) != 0 ||
	    letters(z, (size_t)(n - k)) < MIN_DERIV_BASE)
		return 0;
	memcpy(out, z, (size_t)(n - k));
	return n - k;
}

/* Emit a colocated token unless it is one of the n_seen already emitted (seen[i] with
 * length nseen[i]), and record it there. */
static int emit_new(da_call *c, const char *z, int n, char seen[][TOKEN_MAX], int *nseen,
		    int *n_seen, int iStart, int iEnd)
{
	for (int j = 0; j < *n_seen; j++)
		if (nseen[j] == n && memcmp(seen[j], z, (size_t)n) == 0)
			return SQLITE_OK;
	if (*n_seen < MAX_STEMS) {
		memcpy(seen[*n_seen], z, (size_t)n);
		nseen[(*n_seen)++] = n;
	}
	return c->xToken(c->ctx, FTS5_TOKEN_COLOCATED, z, n, iStart, iEnd);
}

/* "aeldre" -> "ældre", "oe" -> "ø", "aa" -> "å" in a pure ASCII word; 0 when none. */
static int danish_spelling(const char *z, int n, char *out, int size)
{
	int k = 0, changed = 0;
	for (int i = 0; i < n; i++)
		if ((unsigned char)z[i] >= 0x80)
			return 0;
	for (int i = 0; i < n && k + 2 < size; i++) {
		const char *rep = NULL;
		if (i + 1 < n && z[i] == 'a' && z[i + 1] == 'e')
			rep = "\xC3\xA6";
		else if (i + 1 < n && z[i] == 'o' && z[i + 1] == 'e')
			rep = "\xC3\xB8";
		else if (i + 1 < n && z[i] == 'a' && z[i + 1] == 'a')
			rep = "\xC3\xA5";
		if (rep) {
			out[k++] = rep[0];
			out[k++] = rep[1];
			i++;
			changed = 1;
		} else {
			out[k++] = z[i];
		}
	}
	return changed ? k : 0;
}

static int on_token(void *pCtx, int tflags, const char *z, int n, int iStart, int iEnd)
{
	da_call *c = pCtx;
	if (n <= 0 || n > TOKEN_MAX || (c->flags & FTS5_TOKENIZE_PREFIX))
		return c->xToken(c->ctx, tflags, z, n, iStart, iEnd);
	memo *m = NULL;
	/* a snippet stems every word of its proposal again: three quarters of the
	   instructions of a CLI search (callgrind) before the memo served snippets too */
	memo **table = NULL;
	size_t slots = 0;
	if (c->flags & FTS5_TOKENIZE_DOCUMENT)
		table = &c->t->memo, slots = MEMO_SLOTS;
	else if (c->flags & FTS5_TOKENIZE_AUX)
		table = &c->t->aux_memo, slots = AUX_MEMO_SLOTS;
	if (table && !*table && !c->t->memo_failed) {
		/* on the first document or snippet: a query's few words never need it */
		/* whole slots on cache lines */
		*table = aligned_alloc(64, slots * sizeof **table);
		if (*table)
			memset(*table, 0, slots * sizeof **table);
		c->t->memo_failed = !*table; /* then tokens are stemmed every time */
	}
	if (table && *table && n <= MEMO_WORD) {
		m = &(*table)[hash(z, (size_t)n) & (slots - 1)];
		if (m->n == n && memcmp(m->data, z, (size_t)n) == 0) {
			int rc = SQLITE_OK;
			const char *p = m->data + n;
			for (int i = 0; i < m->n_stems && rc == SQLITE_OK; i++) {
				rc = c->xToken(c->ctx, i ? FTS5_TOKEN_COLOCATED : tflags, p,
					       m->len[i], iStart, iEnd);
				p += m->len[i];
			}
			return rc;
		}
	}
	/* the stems emitted for this token, the main one first */
	char seen[MAX_STEMS][TOKEN_MAX];
	int nseen[MAX_STEMS], n_seen = 1;
	nseen[0] = stem(c->t->stemmer, z, n, seen[0], TOKEN_MAX);
	char d[TOKEN_MAX];
	int nd = deriv_stem(seen[0], nseen[0], d), rc;
	if ((c->flags & FTS5_TOKENIZE_QUERY) && nd) {
		/* a query needs the derivational stem alone: every indexed position of the
		   main stem has it too (colocated), so it matches the same rows and instances,
		   and FTS5 walks one list instead of merging two */
		memcpy(seen[n_seen], d, (size_t)nd);
		nseen[n_seen++] = nd;
		rc = c->xToken(c->ctx, tflags, d, nd, iStart, iEnd);
	} else {
		rc = c->xToken(c->ctx, tflags, seen[0], nseen[0], iStart, iEnd);
		if (rc == SQLITE_OK && nd)
			rc = emit_new(c, d, nd, seen, nseen, &n_seen, iStart, iEnd);
	}
	if (c->flags & FTS5_TOKENIZE_DOCUMENT) {
		ib_da_part part[MAX_PARTS];
		int np = ib_da_split(z, (size_t)n, part, MAX_PARTS);
		for (int i = 0; i < np && rc == SQLITE_OK; i++) {
			char ps[TOKEN_MAX];
			int nps = stem(c->t->stemmer, z + part[i].start, (int)part[i].n, ps,
				       TOKEN_MAX);
			rc = emit_new(c, ps, nps, seen, nseen, &n_seen, iStart, iEnd);
			if (rc == SQLITE_OK && (nd = deriv_stem(ps, nps, d)))
				rc = emit_new(c, d, nd, seen, nseen, &n_seen, iStart, iEnd);
		}
	} else if ((c->flags & FTS5_TOKENIZE_QUERY) && rc == SQLITE_OK) {
		char alt[2 * TOKEN_MAX], alt_stem[TOKEN_MAX];
		int na = danish_spelling(z, n, alt, sizeof alt);
		if (na) {
			int ns = stem(c->t->stemmer, alt, na, alt_stem, sizeof alt_stem);
			if ((nd = deriv_stem(alt_stem, ns, d))) /* the same holds for it */
				rc = emit_new(c, d, nd, seen, nseen, &n_seen, iStart, iEnd);
			else
				rc = emit_new(c, alt_stem, ns, seen, nseen, &n_seen, iStart, iEnd);
		}
	}
	/* remember a document's or snippet's token when its stems fit */
	int total = 0;
	for (int i = 0; i < n_seen; i++)
		total += nseen[i];
	if (m && rc == SQLITE_OK && n_seen <= MEMO_MAX && n + total <= (int)sizeof m->data) {
		m->n = (unsigned char)n;
		memcpy(m->data, z, (size_t)n);
		m->n_stems = (unsigned char)n_seen;
		char *p = m->data + n;
		for (int i = 0; i < n_seen; i++) {
			m->len[i] = (unsigned char)nseen[i];
			memcpy(p, seen[i], (size_t)nseen[i]);
			p += nseen[i];
		}
	}
	return rc;
}

static int da_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text, int n,
		       int (*xToken)(void *, int, const char *, int, int, int))
{
	da_tokenizer *t = (da_tokenizer *)p;
	da_call c = {t, ctx, flags, xToken};
	return t->parent.xTokenize(t->parent_inst, &c, flags, text, n, on_token);
}

static void da_delete(Fts5Tokenizer *p)
{
	da_tokenizer *t = (da_tokenizer *)p;
	if (!t)
		return;
	if (t->parent_inst)
		t->parent.xDelete(t->parent_inst);
	if (t->stemmer)
		sb_stemmer_delete(t->stemmer);
	free(t->memo);
	free(t->aux_memo);
	sqlite3_free(t);
}

static int da_create(void *api, const char **azArg, int nArg, Fts5Tokenizer **out)
{
	(void)azArg;
	(void)nArg;
	fts5_api *fts = api;
	da_tokenizer *t = sqlite3_malloc(sizeof *t);
	if (!t)
		return SQLITE_NOMEM;
	memset(t, 0, sizeof *t);
	void *user = NULL;
	int rc = fts->xFindTokenizer(fts, "unicode61", &user, &t->parent);
	if (rc == SQLITE_OK) {
		const char *args[] = {"remove_diacritics", "0"};
		rc = t->parent.xCreate(user, args, 2, &t->parent_inst);
	}
	if (rc == SQLITE_OK) {
		t->stemmer = sb_stemmer_new("danish", "UTF_8");
		if (!t->stemmer)
			rc = SQLITE_NOMEM;
	}

	if (rc != SQLITE_OK) {
		da_delete((Fts5Tokenizer *)t);
		return rc;
	}
	/* the word list is loaded on first use by a document, so searches don't pay for it */
	*out = (Fts5Tokenizer *)t;
	return SQLITE_OK;
}

int ib_fts5_api(sqlite3 *db, fts5_api **out)
{
	*out = NULL;
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_pointer(st, 1, (void *)out, "fts5_api_ptr", NULL);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? SQLITE_ERROR : rc;
	return *out ? SQLITE_OK : SQLITE_ERROR;
}

int ib_tokenizer_register(sqlite3 *db)
{
	fts5_api *api = NULL;
	int rc = ib_fts5_api(db, &api);
	if (rc != SQLITE_OK)
		return rc;
	fts5_tokenizer tok = {da_create, da_delete, da_tokenize};
	return api->xCreateTokenizer(api, "ideabank_da", api, &tok, NULL);
}

char *ib_da_stem(const char *word, size_t len, char *out, size_t n)
{
	struct sb_stemmer *st = sb_stemmer_new("danish", "UTF_8");
	if (!st || n == 0) {
		if (n)
			out[0] = '\0';
		sb_stemmer_delete(st);
		return out;
	}
	int k = stem(st, word, (int)len, out, (int)n - 1);
	out[k] = '\0';
	sb_stemmer_delete(st);
	return out;
}
