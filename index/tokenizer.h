/* tokenizer.h - ideabank's Danish FTS5 tokenizer "ideabank_da" (private to index/).
 *
 * unicode61 (remove_diacritics 0, so æ ø å stay letters of their own) finds the words
 * and folds case; each word is then stemmed with Snowball's Danish stemmer.  When
 * indexing, the parts of a Danish compound are added at the same position
 * ("medicindispenseringsrobotter" also indexes medicin, dispensering, robot), so a
 * query for a part finds the whole.  At query time an ASCII spelling ("aeldre") also
 * matches the Danish letters ("ældre").  Offsets are those of the original word, so
 * snippets show the text as written. */
#ifndef IDEABANK_TOKENIZER_H
#define IDEABANK_TOKENIZER_H

#include <sqlite3.h>
#include <stddef.h>

/* Register "ideabank_da" on db.  Returns SQLITE_OK or an SQLite error code. */
int ib_tokenizer_register(sqlite3 *db);

/* FTS5's API of db (for tokenizers and auxiliary functions) into *out.  SQLITE_OK, or
 * an SQLite error code with *out NULL when db has no FTS5. */
int ib_fts5_api(sqlite3 *db, fts5_api **out);

/* Where the compound splitter takes its Danish word list from (Debian wdanish), unless
 * $IDEABANK_WORDLIST names another file (read once per process). */
#define IB_DA_WORDLIST "/usr/share/dict/danish"

/* Which word list this process splits with: "path size mtime", or "none".  The index
 * stores it: an index built with another list is rebuilt on open, because FTS5's
 * 'delete' re-tokenizes old rows and must meet the same compound parts. */
void ib_da_wordlist_fingerprint(char *out, size_t n);

/* One part of a compound: bytes [start, start + n) of the word. */
typedef struct ib_da_part {
	size_t start, n;
} ib_da_part;

/* Split a lower-case UTF-8 word into compound parts using the word list: the longest
 * head that is a word, an optional linking -s- or -e-, then a tail that is a word or
 * splits again; every part at least 4 letters.  Returns the number of parts (0 when
 * the word is not split, or the word list is missing); at most max are written. */
int ib_da_split(const char *word, size_t n, ib_da_part *parts, int max);

/* Snowball Danish stem of a lower-case UTF-8 word into out (size n); returns out. */
char *ib_da_stem(const char *word, size_t len, char *out, size_t n);

/* Whether the word list could be loaded (compound splitting is active). */
int ib_da_have_wordlist(void);

#endif
