/* test-date.c: 和暦 formatting and parsing, ages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tsu-date.h"

static GDate *
ymd (int y, int m, int d)
{
  return g_date_new_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y);
}

static void
assert_wareki (int y, int m, int d, const char *expected)
{
  g_autoptr(GDate) date = ymd (y, m, d);
  g_autofree char *text = tsu_date_format_wareki (date);
  g_autoptr(GDate) back = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (text, ==, expected);
  /* What we write, we read back. */
  back = tsu_date_parse (text, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_date_compare (back, date), ==, 0);
}

static void
test_era_boundaries (void)
{
  assert_wareki (1868, 10, 23, "明治元年10月23日");
  assert_wareki (1912, 7, 29, "明治45年7月29日");
  assert_wareki (1912, 7, 30, "大正元年7月30日");
  assert_wareki (1926, 12, 24, "大正15年12月24日");
  assert_wareki (1926, 12, 25, "昭和元年12月25日");
  assert_wareki (1927, 1, 1, "昭和2年1月1日");
  assert_wareki (1989, 1, 7, "昭和64年1月7日");
  assert_wareki (1989, 1, 8, "平成元年1月8日");
  assert_wareki (1990, 1, 1, "平成2年1月1日");
  assert_wareki (2019, 4, 30, "平成31年4月30日");
  assert_wareki (2019, 5, 1, "令和元年5月1日");
  assert_wareki (2024, 4, 1, "令和6年4月1日");
}

static void
test_before_meiji (void)
{
  g_autoptr(GDate) date = ymd (1868, 10, 22);
  g_autofree char *text = tsu_date_format_wareki (date);
  g_autofree char *both = tsu_date_format_both (date);
  guint year = 99;

  g_assert_cmpint (tsu_date_get_era (date, &year), ==, TSU_ERA_NONE);
  g_assert_cmpuint (year, ==, 0);
  g_assert_cmpstr (text, ==, "1868-10-22");
  g_assert_cmpstr (both, ==, "1868年10月22日");
}

static void
test_format_both (void)
{
  g_autoptr(GDate) a = ymd (1940, 3, 2);
  g_autoptr(GDate) b = ymd (2019, 5, 1);
  g_autofree char *ta = tsu_date_format_both (a);
  g_autofree char *tb = tsu_date_format_both (b);
  g_autofree char *iso = tsu_date_format_iso (a);

  g_assert_cmpstr (ta, ==, "1940年（昭和15年）3月2日");
  g_assert_cmpstr (tb, ==, "2019年（令和元年）5月1日");
  g_assert_cmpstr (iso, ==, "1940-03-02");
}

static void
test_parse_forms (void)
{
  static const struct { const char *text; const char *iso; } cases[] = {
    { "昭和15年3月2日", "1940-03-02" },
    { "昭和十五年三月二日", "1940-03-02" },
    { "S15.3.2", "1940-03-02" },
    { "s15.3.2", "1940-03-02" },
    { "Ｓ１５．３．２", "1940-03-02" },
    { "昭15.3.2", "1940-03-02" },
    { "昭和15/3/2", "1940-03-02" },
    { "R6/4/1", "2024-04-01" },
    { "令和6年4月1日", "2024-04-01" },
    { "H1.1.8", "1989-01-08" },
    { "平成元年1月8日", "1989-01-08" },
    { "㍻元年1月8日", "1989-01-08" },
    { "T1.7.30", "1912-07-30" },
    { "M45.7.29", "1912-07-29" },
    { "1940/3/2", "1940-03-02" },
    { "1940-03-02", "1940-03-02" },
    { "1940.3.2", "1940-03-02" },
    { "1940年3月2日", "1940-03-02" },
    { "19400302", "1940-03-02" },
    { "１９４０年３月２日", "1940-03-02" },
    { "1940年（昭和15年）3月2日", "1940-03-02" },
    { " 昭和 15年 3月 2日 ", "1940-03-02" },
    { "2000-02-29", "2000-02-29" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GDate) date = tsu_date_parse (cases[i].text, &error);
      g_autofree char *iso = NULL;

      g_test_message ("%s", cases[i].text);
      g_assert_no_error (error);
      iso = tsu_date_format_iso (date);
      g_assert_cmpstr (iso, ==, cases[i].iso);
    }
}

static void
test_parse_invalid (void)
{
  static const struct { const char *text; int code; } cases[] = {
    { "平成元年1月7日", TSU_DATE_ERROR_OUT_OF_ERA },   /* still 昭和 */
    { "昭和64年1月8日", TSU_DATE_ERROR_OUT_OF_ERA },   /* already 平成 */
    { "H31.5.1", TSU_DATE_ERROR_OUT_OF_ERA },          /* already 令和 */
    { "令和元年4月30日", TSU_DATE_ERROR_OUT_OF_ERA },  /* still 平成 */
    { "大正元年7月29日", TSU_DATE_ERROR_OUT_OF_ERA },
    { "明治元年10月22日", TSU_DATE_ERROR_OUT_OF_ERA },
    { "昭和15年2月30日", TSU_DATE_ERROR_INVALID },
    { "1900-02-29", TSU_DATE_ERROR_INVALID },
    { "2023-13-01", TSU_DATE_ERROR_INVALID },
    { "", TSU_DATE_ERROR_INVALID },
    { "不明", TSU_DATE_ERROR_INVALID },
    { "S15", TSU_DATE_ERROR_INVALID },
    { "昭和15年3月2日生", TSU_DATE_ERROR_INVALID },
    { "X15.3.2", TSU_DATE_ERROR_INVALID },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GDate) date = tsu_date_parse (cases[i].text, &error);

      g_test_message ("%s", cases[i].text);
      g_assert_null (date);
      g_assert_error (error, TSU_DATE_ERROR, cases[i].code);
      /* The message quotes what was written, so a preview can show it. */
      g_assert_nonnull (strstr (error->message, cases[i].text));
    }
}

static void
test_parse_iso (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDate) ok = tsu_date_parse_iso ("2024-02-29", &error);
  g_autoptr(GDate) bad_day = NULL;
  g_autoptr(GDate) bad_form = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (ok);
  bad_day = tsu_date_parse_iso ("2023-02-29", &error);
  g_assert_null (bad_day);
  g_assert_error (error, TSU_DATE_ERROR, TSU_DATE_ERROR_INVALID);
  g_clear_error (&error);
  bad_form = tsu_date_parse_iso ("2024/02/29", &error);
  g_assert_null (bad_form);
  g_assert_error (error, TSU_DATE_ERROR, TSU_DATE_ERROR_INVALID);
}

static void
test_age (void)
{
  g_autoptr(GDate) birth = ymd (1940, 3, 2);
  g_autoptr(GDate) leap = ymd (2000, 2, 29);
  g_autoptr(GDate) on = NULL;

  on = ymd (2024, 3, 1);
  g_assert_cmpint (tsu_date_age (birth, on), ==, 83);
  g_date_set_dmy (on, 2, 3, 2024);
  g_assert_cmpint (tsu_date_age (birth, on), ==, 84);
  g_date_set_dmy (on, 2, 3, 1940);
  g_assert_cmpint (tsu_date_age (birth, on), ==, 0);

  /* Born on 29 February: a year older on 1 March in common years. */
  g_date_set_dmy (on, 28, 2, 2023);
  g_assert_cmpint (tsu_date_age (leap, on), ==, 22);
  g_date_set_dmy (on, 1, 3, 2023);
  g_assert_cmpint (tsu_date_age (leap, on), ==, 23);
  g_date_set_dmy (on, 28, 2, 2024);
  g_assert_cmpint (tsu_date_age (leap, on), ==, 23);
  g_date_set_dmy (on, 29, 2, 2024);
  g_assert_cmpint (tsu_date_age (leap, on), ==, 24);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/date/era-boundaries", test_era_boundaries);
  g_test_add_func ("/date/before-meiji", test_before_meiji);
  g_test_add_func ("/date/format-both", test_format_both);
  g_test_add_func ("/date/parse-forms", test_parse_forms);
  g_test_add_func ("/date/parse-invalid", test_parse_invalid);
  g_test_add_func ("/date/parse-iso", test_parse_iso);
  g_test_add_func ("/date/age", test_age);

  return g_test_run ();
}
