/* array.c - growing arrays and lists of strings (array.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ideabank/array.h"
#include "ideabank/error.h"

int ib_array_grow(void *pv, size_t n, size_t *alloc, size_t size, size_t first)
{
	if (n < *alloc)
		return IB_OK;
	size_t a = *alloc ? *alloc * 2 : first;
	if (a <= n)
		a = n + 1;
	if (a > SIZE_MAX / size)
		return IB_ENOMEM;
	void *v;
	memcpy(&v, pv, sizeof v); /* pv is the address of a T *: one representation */
	v = realloc(v, a * size);
	if (!v)
		return IB_ENOMEM;
	memcpy(pv, &v, sizeof v);
	*alloc = a;
	return IB_OK;
}

int ib_array_append(void *pv, size_t *n, size_t size, const void *x)
{
	if (*n >= SIZE_MAX / size - 1)
		return IB_ENOMEM;
	char *v;
	memcpy(&v, pv, sizeof v); /* pv is the address of a T *: one representation */
	v = realloc(v, (*n + 1) * size);
	if (!v)
		return IB_ENOMEM;
	memcpy(pv, &v, sizeof v);
	memcpy(v + *n * size, x, size);
	(*n)++;
	return IB_OK;
}

void ib_free_all(void *const *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(p[i]);
}

int ib_strings_take(char ***v, size_t *n, char *z)
{
	char **grown = z ? realloc(*v, (*n + 1) * sizeof *grown) : NULL;
	if (!grown) {
		free(z);
		return IB_ENOMEM;
	}
	*v = grown;
	grown[(*n)++] = z;
	return IB_OK;
}

int ib_strings_add(char ***v, size_t *n, const char *z)
{
	return ib_strings_take(v, n, strdup(z));
}

int ib_strings_addv(char ***v, size_t *n, const char *fmt, va_list ap)
{
	va_list again;
	va_copy(again, ap);
	int len = vsnprintf(NULL, 0, fmt, ap);
	char *z = len >= 0 ? malloc((size_t)len + 1) : NULL;
	if (z)
		vsnprintf(z, (size_t)len + 1, fmt, again);
	va_end(again);
	return ib_strings_take(v, n, z);
}

int ib_strings_addf(char ***v, size_t *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = ib_strings_addv(v, n, fmt, ap);
	va_end(ap);
	return rc;
}

void ib_strings_free(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}
