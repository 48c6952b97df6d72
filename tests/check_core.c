/* check_core.c - unit tests for the shared core: Danish numbers, the capped buffer,
 * SHA-256, error messages, areas and kinds. */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ideabank.h"
#include "ideabank/feed.h"
#include "runner.h"

static double parse(const char *z)
{
	double v = -12345.678;
	ck_assert_msg(ib_num_parse(z, &v) == IB_OK, "'%s' should parse", z);
	return v;
}

START_TEST(num_parse_danish)
{
	ck_assert_double_eq(parse("-1.071"), -1071);
	ck_assert_double_eq(parse("0,5"), 0.5);
	ck_assert_double_eq(parse("½"), 0.5);
	ck_assert_double_eq(parse("1½"), 1.5);
	ck_assert_double_eq(parse("- 300"), -300);
	ck_assert_double_eq(parse("\xE2\x88\x92"
				  "2.245"),
			    -2245); /* U+2212 minus */
	ck_assert_double_eq(parse("\xE2\x80\x93"
				  "50"),
			    -50); /* en dash */
	ck_assert_double_eq(parse(" 48.867 "), 48867);
	ck_assert_double_eq(parse("1.234.567,25"), 1234567.25);
	ck_assert_double_eq(parse("-0,5"), -0.5);
	/* the nearest double, so scaling by a unit gives whole numbers (0,7 mio. kr.) */
	ck_assert_double_eq(parse("0,7"), 0.7);
	ck_assert_double_eq(parse("0,7") * 1000, 700);
	ck_assert_double_eq(parse("0,07") * 1000, 70);
	ck_assert_double_eq(parse("12,345"), 12.345);
	ck_assert_double_eq(parse("+7"), 7);
	ck_assert_double_eq(parse("\xC2\xA0"
				  "12"),
			    12); /* no-break space */
}
END_TEST

START_TEST(num_parse_rejects)
{
	static const char *bad[] = {"",	    " ",       "?",	"x",	  "-y",
				    "1.07", "12.3456", "1,2,3", "20x1",	  "1.000.00",
				    "--1",  "abc",     "1 000", "1..000", "."};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		double v = 42;
		ck_assert_msg(ib_num_parse(bad[i], &v) == IB_EPARSE, "'%s' must not parse", bad[i]);
		ck_assert_double_eq(v, 42);
	}
}
END_TEST

START_TEST(num_format)
{
	char b[64];
	ck_assert_str_eq(ib_num_format(-1071, 0, b, sizeof b), "-1.071");
	ck_assert_str_eq(ib_num_format(0.5, 1, b, sizeof b), "0,5");
	ck_assert_str_eq(ib_num_format(1234567.891, 2, b, sizeof b), "1.234.567,89");
	ck_assert_str_eq(ib_num_format(999, 0, b, sizeof b), "999");
	ck_assert_str_eq(ib_num_format(1000, 0, b, sizeof b), "1.000");
	ck_assert_str_eq(ib_num_format(-0.001, 2, b, sizeof b), "0,00");
	ck_assert_str_eq(ib_num_format(4.346, 2, b, sizeof b), "4,35");
	ck_assert_str_eq(ib_num_format(IB_NA, 0, b, sizeof b), "");
	ck_assert_str_eq(ib_num_plain(-2245.5, 2, 1, b, sizeof b), "-2245,5");
	ck_assert_str_eq(ib_num_plain(300, 2, 0, b, sizeof b), "300");
	ck_assert_str_eq(ib_num_plain(-0.0001, 2, 0, b, sizeof b), "0");
	ck_assert_str_eq(ib_num_plain(IB_NA, 2, 0, b, sizeof b), "");
	/* round trip: what we print, we read back */
	double v;
	ck_assert_int_eq(ib_num_parse(ib_num_format(-1234567.5, 1, b, sizeof b), &v), IB_OK);
	ck_assert_double_eq(v, -1234567.5);
}
END_TEST

START_TEST(buf_cap)
{
	ib_buf b;
	ib_buf_init(&b, 8);
	ck_assert_int_eq(ib_buf_adds(&b, "12345"), IB_OK);
	ck_assert_int_eq(ib_buf_addf(&b, "%d", 678), IB_OK);
	ck_assert_str_eq(ib_buf_str(&b), "12345678");
	ck_assert_int_eq(ib_buf_addc(&b, '9'), IB_ETOOBIG);
	ck_assert_int_eq(ib_buf_addf(&b, "%s", "x"), IB_ETOOBIG);
	ck_assert_str_eq(ib_buf_str(&b), "12345678");
	ck_assert_uint_eq(b.n, 8);
	char *z = ib_buf_detach(&b);
	ck_assert_str_eq(z, "12345678");
	free(z);
	ck_assert_str_eq(ib_buf_str(&b), "");
	ib_buf_free(&b);
	ib_buf_free(NULL);
}
END_TEST

/* A cut piece of user text never ends inside a character: "blåbær" (b l å=2 b æ=2 r). */
START_TEST(utf8_prefix)
{
	const char *z = "bl\xC3\xA5""b\xC3\xA6r";
	size_t n = strlen(z);
	ck_assert_uint_eq(ib_utf8_prefix(z, n, 99), n);
	ck_assert_uint_eq(ib_utf8_prefix(z, n, 2), 2);
	ck_assert_uint_eq(ib_utf8_prefix(z, n, 3), 2); /* inside å */
	ck_assert_uint_eq(ib_utf8_prefix(z, n, 4), 4);
	ck_assert_uint_eq(ib_utf8_prefix(z, n, 6), 5); /* inside æ */
	ck_assert_uint_eq(ib_utf8_prefix(z, n, 0), 0);
	/* a three-byte character (–) cut after its first and its second byte */
	const char *d = "a\xE2\x80\x93";
	ck_assert_uint_eq(ib_utf8_prefix(d, 4, 2), 1);
	ck_assert_uint_eq(ib_utf8_prefix(d, 4, 3), 1);
}
END_TEST

START_TEST(buf_read_missing_file)
{
	ib_buf b;
	ib_error err = {0};
	ib_buf_init(&b, 0);
	ck_assert_int_eq(ib_buf_read_file(&b, "/nonexistent/x.jsonl", &err), IB_EIO);
	ck_assert_str_eq(err.msg, "cannot open '/nonexistent/x.jsonl': No such file or directory");
	ib_buf_free(&b);
}
END_TEST

/* The canonical record's exact bytes: every stored content hash is over them, so they
 * are the ones cJSON_PrintUnformatted gave (escapes, 17-digit fractions, integers past
 * INT_MAX, -0, NA as null, optional keys left out). */
START_TEST(canonical_json_bytes)
{
	ib_proposal *p = ib_proposal_new();
	ck_assert_ptr_nonnull(p);
	p->id = 42;
	p->kommunekode = 7;
	p->budget_year = 2024;
	p->title = strdup("a\"b\\c\x01\t/\xc3\xb8");
	p->source = strdup("x");
	p->effect_kr = 0.1;
	p->impl_cost_kr = 2147483648.0;
	p->adopted = 0;
	ib_proposal_year y = {2025, 1.0 / 3, -1071000, IB_NA, -0.0, 0.5, 0, 12};
	ck_assert_int_eq(ib_proposal_add_year(p, &y), IB_OK);
	ck_assert_int_eq(ib_proposal_add_flag(p, "net_mismatch", "%s", "1e21"), IB_OK);
	p->content_hash = strdup("h");
	ib_buf b;
	ib_buf_init(&b, 0);
	ck_assert_int_eq(ib_proposal_write_jsonl(&b, p, 1), IB_OK);
	ck_assert_str_eq(
	    b.z,
	    "{\"id\":42,\"kommunekode\":\"007\",\"budget_year\":2024,\"ref\":null,"
	    "\"title\":\"a\\\"b\\\\c\\u0001\\t/\xc3\xb8\",\"summary\":null,\"text\":null,"
	    "\"area\":null,\"committee\":null,\"kind\":null,\"adopted\":\"no\","
	    "\"full_year\":null,\"effect_kr\":0.1,\"impl_cost_kr\":2147483648,\"source\":\"x\","
	    "\"page\":null,\"years\":[{\"year\":2025,\"net\":0.33333333333333331,"
	    "\"investment\":-1071000,\"expenses\":null,\"income\":-0,\"fte\":0.5,\"page\":null,"
	    "\"line\":12}],\"flags\":[{\"code\":\"net_mismatch\",\"message\":\"1e21\"}],"
	    "\"content_hash\":\"h\"}\n");
	ib_buf_free(&b);
	ib_proposal_free(p);
}
END_TEST

START_TEST(sha256_vectors)
{
	char hex[65];
	ib_sha256_hex("", 0, hex);
	ck_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	ib_sha256_hex("abc", 3, hex);
	ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	ib_sha256_hex(two, strlen(two), hex);
	ck_assert_str_eq(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	/* streaming in odd pieces gives the same digest as one shot */
	ib_sha256 c;
	ib_sha256_init(&c);
	for (size_t i = 0; i < 1000; i++)
		ib_sha256_update(&c, "a", 1);
	char a1[65], a2[65];
	ib_sha256_hex_final(&c, a1);
	char thousand[1000];
	memset(thousand, 'a', sizeof thousand);
	ib_sha256_hex(thousand, sizeof thousand, a2);
	ck_assert_str_eq(a1, a2);
	ck_assert_str_eq(a1, "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3");
	/* FIPS 180-2's two-block message and a million 'a' (many whole blocks at once, the
	 * path SHA-NI takes when the CPU has it) */
	const char *four = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
			   "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
	ib_sha256_hex(four, strlen(four), hex);
	ck_assert_str_eq(hex, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
	char *million = malloc(1000000);
	ck_assert_ptr_nonnull(million);
	memset(million, 'a', 1000000);
	ib_sha256_init(&c);
	ib_sha256_update(&c, million, 3);
	ib_sha256_update(&c, million + 3, 1000000 - 3);
	ib_sha256_hex_final(&c, hex);
	free(million);
	ck_assert_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}
END_TEST

START_TEST(error_messages)
{
	ib_error e = {0};
	ck_assert_int_eq(
	    ib_error_set(&e, IB_EPARSE, "budget_year: expected a year, got %s", "\"20x1\""),
	    IB_EPARSE);
	ib_error_prefix(&e, "%s:%d", "feed.jsonl", 17);
	ck_assert_str_eq(e.msg, "feed.jsonl:17: budget_year: expected a year, got \"20x1\"");
	ck_assert_int_eq(e.rc, IB_EPARSE);
	ck_assert_str_eq(ib_strerror(IB_ENOMEM), "out of memory");
	ck_assert_str_eq(ib_strerror(9999), "unknown error");
	ck_assert_int_eq(ib_error_set(NULL, IB_EIO, "x"), IB_EIO);
	/* a long prefix never overflows the message */
	char longp[300];
	memset(longp, 'p', sizeof longp - 1);
	longp[sizeof longp - 1] = '\0';
	memset(e.msg, 'm', sizeof e.msg - 1);
	e.msg[sizeof e.msg - 1] = '\0';
	ib_error_prefix(&e, "%s", longp);
	ck_assert_uint_eq(strlen(e.msg), sizeof e.msg - 1);
}
END_TEST

START_TEST(areas_and_kinds)
{
	ck_assert_uint_eq(ib_n_areas, 9);
	ck_assert_str_eq(ib_area_canonical("ældre og sundhed"), "Ældre og sundhed");
	ck_assert_str_eq(ib_area_canonical("AELDRE OG SUNDHED"), "Ældre og sundhed");
	ck_assert_str_eq(ib_area_canonical("udsatte boern"), "Udsatte børn");
	ck_assert_ptr_null(ib_area_canonical("Sundhed"));
	ck_assert_str_eq(ib_kind_canonical("Investering"), "investering");
	ck_assert_ptr_null(ib_kind_canonical("besparelse"));
}
END_TEST

/* One way to grow an array and to keep a list of strings (array.h). */
START_TEST(arrays_and_string_lists)
{
	int *v = NULL;
	size_t n = 0, alloc = 0;
	for (int i = 0; i < 100; i++) {
		ck_assert_int_eq(IB_GROW(v, n, alloc, 4), IB_OK);
		v[n++] = i * i;
	}
	ck_assert_uint_eq(n, 100);
	ck_assert_uint_eq(alloc, 128); /* 4, 8, ... doubled */
	ck_assert_int_eq(v[99], 9801);
	/* room already there: nothing moves */
	int *before = v;
	n = 50;
	ck_assert_int_eq(IB_GROW(v, n, alloc, 4), IB_OK);
	ck_assert_ptr_eq(v, before);
	ck_assert_uint_eq(alloc, 128);
	/* more than a size_t can count: refused, the array as it was */
	size_t huge = SIZE_MAX / 2;
	ck_assert_int_eq(ib_array_grow(&v, huge, &huge, sizeof *v, 4), IB_ENOMEM);
	ck_assert_ptr_eq(v, before);
	free(v);

	char **z = NULL;
	size_t nz = 0;
	ck_assert_int_eq(ib_strings_add(&z, &nz, "første"), IB_OK);
	ck_assert_int_eq(ib_strings_addf(&z, &nz, "%s:%d: %s", "a.csv", 17, "for lang"), IB_OK);
	char *long_line = malloc(2001);
	memset(long_line, 'x', 2000);
	long_line[2000] = '\0';
	ck_assert_int_eq(ib_strings_addf(&z, &nz, "<%s>", long_line), IB_OK); /* not cut */
	ck_assert_int_eq(ib_strings_take(&z, &nz, long_line), IB_OK);
	ck_assert_int_eq(ib_strings_take(&z, &nz, NULL), IB_ENOMEM);
	ck_assert_uint_eq(nz, 4);
	ck_assert_str_eq(z[0], "første");
	ck_assert_str_eq(z[1], "a.csv:17: for lang");
	ck_assert_uint_eq(strlen(z[2]), 2002);
	ck_assert_ptr_eq(z[3], long_line);
	ib_strings_free(z, nz);
	ib_strings_free(NULL, 0);
}
END_TEST

int main(void)
{
	return tu_run_tests("core", 0, NULL, NULL,
			    TU_TESTS(num_parse_danish, num_parse_rejects, num_format, buf_cap, utf8_prefix,
				     buf_read_missing_file, sha256_vectors, canonical_json_bytes,
				     error_messages, areas_and_kinds, arrays_and_string_lists));
}
