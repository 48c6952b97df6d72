/* num.c - Danish number notation: parse "-1.071", "0,5", "- 300", "½"; format back. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ideabank/buf.h"
#include "ideabank/error.h"
#include "ideabank/num.h"

int ib_is_na(double v)
{
	return isnan(v);
}

/* Length of a blank at z (ASCII space/tab, CR/LF, or U+00A0), 0 if none. */
static size_t blank_len(const unsigned char *z)
{
	static const char *const blanks[] = {" ", "\t", "\r", "\n", "\xC2\xA0", NULL};
	return ib_prefix_of((const char *)z, blanks);
}

/* Length of a minus sign at z: '-', U+2212 minus, U+2013 en dash; 0 if none. */
static size_t minus_len(const unsigned char *z)
{
	static const char *const minus[] = {"-", "\xE2\x88\x92", "\xE2\x80\x93", NULL};
	return ib_prefix_of((const char *)z, minus);
}

static int is_half(const unsigned char *z)
{
	return z[0] == 0xC2 && z[1] == 0xBD;
}

int ib_num_parse(const char *zIn, double *out)
{
	const unsigned char *z = (const unsigned char *)zIn;
	size_t k;
	while ((k = blank_len(z)) > 0)
		z += k;
	int neg = 0;
	if ((k = minus_len(z)) > 0) {
		neg = 1;
		z += k;
		while ((k = blank_len(z)) > 0)
			z += k;
	} else if (*z == '+') {
		z++;
	}
	double v = 0;
	int digits = 0;
	int group = 0; /* digits since the last thousands dot, -1 before any dot */
	int dotted = 0;
	while (*z >= '0' && *z <= '9') {
		v = v * 10 + (*z - '0');
		digits++;
		group++;
		z++;
		if (*z == '.' && z[1] >= '0' && z[1] <= '9') {
			/* thousands dot: the group before it has 1-3 digits (first) or 3 */
			if ((dotted && group != 3) || (!dotted && group > 3))
				return IB_EPARSE;
			dotted = 1;
			group = 0;
			z++;
		}
	}
	if (dotted && group != 3)
		return IB_EPARSE;
	if (*z == ',' && z[1] >= '0' && z[1] <= '9') {
		/* the number as one integer divided once, so "0,7" is the double nearest
		 * 0.7 (adding 7 x 0.1 gave 0.7000000000000001, and 0,7 mio. kr. became
		 * 700,00 thousand); digits past the 15th cannot change a double */
		double frac = 0, scale = 1;
		z++;
		while (*z >= '0' && *z <= '9') {
			if (scale < 1e15) {
				frac = frac * 10 + (*z - '0');
				scale *= 10;
			}
			z++;
		}
		v = (v * scale + frac) / scale;
		if (!digits)
			digits = 1;
	}
	if (is_half(z)) {
		v += 0.5;
		digits++;
		z += 2;
	}
	if (!digits)
		return IB_EPARSE;
	while ((k = blank_len(z)) > 0)
		z += k;
	if (*z)
		return IB_EPARSE;
	*out = neg ? -v : v;
	return IB_OK;
}

char *ib_num_format(double v, int decimals, char *out, size_t n)
{
	if (!n)
		return out;
	if (isnan(v)) {
		out[0] = '\0';
		return out;
	}
	char raw[64];
	snprintf(raw, sizeof raw, "%.*f", decimals, fabs(v));
	/* a value that rounds to zero prints without a sign */
	int neg = v < 0;
	if (neg) {
		int allzero = 1;
		for (const char *p = raw; *p; p++)
			if (*p >= '1' && *p <= '9')
				allzero = 0;
		neg = !allzero;
	}
	const char *dot = strchr(raw, '.');
	size_t intlen = dot ? (size_t)(dot - raw) : strlen(raw);
	char tmp[96];
	size_t j = 0;
	if (neg)
		tmp[j++] = '-';
	for (size_t i = 0; i < intlen; i++) {
		if (i > 0 && (intlen - i) % 3 == 0)
			tmp[j++] = '.';
		tmp[j++] = raw[i];
	}
	if (dot) {
		tmp[j++] = ',';
		for (const char *p = dot + 1; *p; p++)
			tmp[j++] = *p;
	}
	tmp[j] = '\0';
	snprintf(out, n, "%s", tmp);
	return out;
}

char *ib_num_plain(double v, int decimals, int decimal_comma, char *out, size_t n)
{
	if (!n)
		return out;
	if (isnan(v)) {
		out[0] = '\0';
		return out;
	}
	snprintf(out, n, "%.*f", decimals, v);
	char *dot = strchr(out, '.');
	if (dot) {
		char *end = out + strlen(out) - 1;
		while (end > dot && *end == '0')
			*end-- = '\0';
		if (end == dot)
			*end = '\0';
		else if (decimal_comma)
			*dot = ',';
	}
	if (strcmp(out, "-0") == 0)
		snprintf(out, n, "0");
	return out;
}

/* Trim blanks off both ends of z[0..n) into out (size on). */
static void trim_copy(const char *z, size_t n, char *out, size_t on)
{
	while (n && (*z == ' ' || *z == '\t'))
		z++, n--;
	while (n && (z[n - 1] == ' ' || z[n - 1] == '\t'))
		n--;
	snprintf(out, on, "%.*s", (int)(n < on ? n : on - 1), z);
}

int ib_range_parse(const char *z, int negative_ok, double *lo, double *hi)
{
	char a[64], bnd[64];
	size_t len = strlen(z);
	const char *sep = strstr(z, "..");
	size_t seplen = 2;
	if (!sep && (sep = strstr(z, "\xE2\x80\x93"))) /* en dash */
		seplen = 3;
	if (!sep) {
		/* a hyphen after the first character (before it, a minus sign when
		 * negative numbers are allowed) */
		const char *from = z + strspn(z, " ");
		from += negative_ok && *from == '-';
		sep = strchr(from, '-');
		seplen = 1;
	}
	*lo = *hi = IB_NA;
	if (len >= sizeof a)
		return -1;
	if (!sep) {
		trim_copy(z, len, a, sizeof a);
		if (!*a || ib_num_parse(a, lo))
			return -1;
		*hi = *lo; /* one number: exactly that */
		return 0;
	}
	trim_copy(z, (size_t)(sep - z), a, sizeof a);
	trim_copy(sep + seplen, strlen(sep + seplen), bnd, sizeof bnd);
	if ((!*a && !*bnd) || (*a && ib_num_parse(a, lo)) || (*bnd && ib_num_parse(bnd, hi)))
		return -1;
	return !ib_is_na(*lo) && !ib_is_na(*hi) && *lo > *hi ? -1 : 0;
}

int ib_years_parse(const char *z, int *from, int *to)
{
	double lo, hi;
	if (ib_range_parse(z, 0, &lo, &hi))
		return -1;
	for (int i = 0; i < 2; i++) {
		double v = i ? hi : lo;
		if (!ib_is_na(v) && (v != floor(v) || v < 1990 || v > 2100))
			return -1;
	}
	*from = ib_is_na(lo) ? 0 : (int)lo;
	*to = ib_is_na(hi) ? 0 : (int)hi;
	return 0;
}
