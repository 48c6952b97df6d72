/* check_dst.c - the conversion of Statistics Denmark's files in shared/data into the
 * project's reference files: the committed data/ files are exactly what it makes. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ideabank.h"
#include "testutil.h"

static void same_file(const char *a, const char *b)
{
	ib_buf x, y;
	ib_error err = {0};
	ib_buf_init(&x, 0);
	ib_buf_init(&y, 0);
	ck_assert_msg(ib_buf_read_file(&x, a, &err) == IB_OK, "%s", err.msg);
	ck_assert_msg(ib_buf_read_file(&y, b, &err) == IB_OK, "%s", err.msg);
	ck_assert_msg(x.n == y.n && memcmp(x.z, y.z, x.n) == 0, "%s differs from %s", a, b);
	ib_buf_free(&x);
	ib_buf_free(&y);
}

START_TEST(convert_reproduces_data)
{
	const char *out = tu_tmp_path("out");
	ck_assert_int_eq(mkdir(out, 0700), 0);
	ib_dst_report rep;
	ib_error err = {0};
	ck_assert_msg(ib_dst_convert(tu_shared("data"), out, &rep, &err) == IB_OK, "%s", err.msg);
	ck_assert_int_eq(rep.municipalities, 98);
	ck_assert_int_eq(rep.population, 98 * 19); /* 2008..2026, first quarter */
	/* 2016-2024; the three elderly-care functions of 2016 and 2017 are all 0 */
	ck_assert_int_eq(rep.spending, (9 * 25 - 2 * 3) * 98);
	ck_assert_int_eq(rep.n_spending_years, 9);
	ck_assert_int_eq(rep.unpublished_functions, 6);
	/* every municipality's agenda portal: 88 FirstAgenda-style, Ishøj none */
	ck_assert_int_eq(rep.portals, 98);
	ck_assert_int_eq(rep.portals_firstagenda, 88);
	ck_assert_int_eq(rep.portals_none, 1);
	static const char *files[] = {"kommuner.csv",	 "folketal.csv",    "regk31_2016.csv",
				      "regk31_2017.csv", "regk31_2018.csv", "regk31_2019.csv",
				      "regk31_2020.csv", "regk31_2021.csv", "regk31_2022.csv",
				      "regk31_2023.csv", "regk31_2024.csv", "agenda_portals.csv"};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char a[600], b[600];
		snprintf(a, sizeof a, "%s/%s", out, files[i]);
		snprintf(b, sizeof b, "data/%s", files[i]);
		same_file(a, b);
	}
}
END_TEST

START_TEST(converted_figures)
{
	/* anchors from SOURCES.md: Ringsted 36.356 (2024M01), København 659.350 (2024M01);
	   REGK31 2024 negative value 2.28.11 Frederikshavn -58 */
	ib_store *s = tu_store_with("dst.db", "data/kommuner.csv", "data/folketal.csv",
				    "data/regk31_2024.csv", NULL);
	long n;
	int year;
	char *src = NULL;
	ib_error err = {0};
	ck_assert_int_eq(ib_store_population(s, 329, 2024, &n, &year, &src, &err), IB_OK);
	ck_assert_int_eq(n, 36356);
	ck_assert_str_eq(src, "Danmarks Statistik, FOLK1AM 2024M01");
	free(src);
	ck_assert_int_eq(ib_store_population(s, 101, 2024, &n, &year, NULL, &err), IB_OK);
	ck_assert_int_eq(n, 659350);
	ck_assert_int_eq(ib_store_population(s, 101, 2016, &n, &year, &src, &err), IB_OK);
	ck_assert_str_eq(src, "Danmarks Statistik, FOLK1A 2016K1");
	free(src);
	ck_assert_int_eq(tu_count(s, "municipality"), 98);
	ck_assert_int_eq(tu_count(s, "spending"), 2450);
	ib_municipality m;
	ck_assert_int_eq(ib_store_find_municipality(s, "Frederikshavn", &m, &err), IB_OK);
	ck_assert_int_eq(m.group_code, 5);
	ck_assert_str_eq(m.group_name, "Landkommuner");
	ib_store_close(s);
}
END_TEST

START_TEST(convert_missing_dir)
{
	ib_error err = {0};
	ck_assert_int_eq(ib_dst_convert("/nonexistent", tu_tmp_path("x"), NULL, &err), IB_EIO);
	ck_assert_str_eq(err.msg, "cannot open '/nonexistent/derived/kommuner_master.csv': No such "
				  "file or directory");
}
END_TEST

int main(void)
{
	return tu_run_tests(
	    "dst", 0, NULL, NULL,
	    TU_TESTS(convert_reproduces_data, converted_figures, convert_missing_dir));
}
