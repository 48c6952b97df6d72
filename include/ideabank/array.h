/* array.h - the one way the library grows a C array (as git's ALLOC_GROW) and keeps a
 * list of strings, and the one way it frees an array of records. */
#ifndef IDEABANK_ARRAY_H
#define IDEABANK_ARRAY_H

#include <stdarg.h>
#include <stddef.h>

/* Make room for element n of the array *pv (the address of a T *) of *alloc elements
 * of size bytes each: when n is not below *alloc it grows to twice (first at first).
 * Returns IB_OK, or IB_ENOMEM with the array as it was. */
int ib_array_grow(void *pv, size_t n, size_t *alloc, size_t size, size_t first);
/* ib_array_grow() for the array v (a T *) of n used and alloc allocated elements. */
#define IB_GROW(v, n, alloc, first) ib_array_grow(&(v), (n), &(alloc), sizeof *(v), (first))

/* Append a copy of the record *x (size bytes) to the array *pv of *n records, grown by
 * one.  Returns IB_OK, or IB_ENOMEM with the array as it was. */
int ib_array_append(void *pv, size_t *n, size_t size, const void *x);
/* ib_array_append() of the record x (an lvalue of v's element type: checked when
 * compiled) to the array v (a T *) of n records (a size_t). */
#define IB_APPEND(v, n, x)                                                                         \
	((void)sizeof((v)[0] = (x)), ib_array_append(&(v), &(n), sizeof *(v), &(x)))

/* Free every pointer given (any may be NULL): IB_FREE_ALL(s->name, s->url, ...). */
#define IB_FREE_ALL(...)                                                                           \
	ib_free_all((void *[]){__VA_ARGS__}, sizeof((void *[]){__VA_ARGS__}) / sizeof(void *))
void ib_free_all(void *const *p, size_t n);

/* Free each of the n records of the array v with free_one(&v[i]), then v itself. */
#define IB_FREE_EACH(v, n, free_one)                                                               \
	do {                                                                                       \
		for (size_t ib_each_ = 0; ib_each_ < (n); ib_each_++)                              \
			free_one(&(v)[ib_each_]);                                                  \
		free(v);                                                                           \
	} while (0)

/* Append a copy of z (ib_strings_add), a string formatted by printf's rules
 * (ib_strings_addf), or z itself (ib_strings_take: the array owns it from now on, and
 * frees it when it cannot; NULL fails) to the array *v of *n strings, which owns them;
 * the array grows by one.  Returns IB_OK or IB_ENOMEM (then *v and *n are as they
 * were). */
int ib_strings_add(char ***v, size_t *n, const char *z);
int ib_strings_take(char ***v, size_t *n, char *z);
int ib_strings_addf(char ***v, size_t *n, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
int ib_strings_addv(char ***v, size_t *n, const char *fmt, va_list ap);
/* Free the n strings of v and v.  Accepts NULL. */
void ib_strings_free(char **v, size_t n);

#endif
