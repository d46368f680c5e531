/* test-csv.c: the CSV reader: encodings, quoting, broken files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "tsu-csv.h"

#define SAMPLE \
  "世帯主名,フリガナ,住所,備考\r\n" \
  "山田太郎,ヤマダタロウ,伊賀市上野丸之内500,\"二階建て, 南向き\"\r\n" \
  "\"伊賀 花子\",イガハナコ,\"ゆめが丘一丁目\r\n3番地の2\",\"「高齢」\"\"独居\"\"\"\r\n" \
  "髙橋𠮷子,タカハシヨシコ,阿保100,①②\r\n"

static char *
to_cp932 (const char *utf8,
          gsize      *length)
{
  g_autoptr(GError) error = NULL;
  char *text = g_convert (utf8, -1, "CP932", "UTF-8", NULL, length, &error);

  g_assert_no_error (error);
  return text;
}

static void
check_sample (TsuCsv *csv)
{
  const char * const *header;
  guint n_columns, n_fields;
  const char * const *row;

  header = tsu_csv_get_header (csv, &n_columns);
  g_assert_cmpuint (n_columns, ==, 4);
  g_assert_cmpstr (header[0], ==, "世帯主名");
  g_assert_cmpuint (tsu_csv_get_n_rows (csv), ==, 3);

  row = tsu_csv_get_row (csv, 0, &n_fields);
  g_assert_cmpuint (n_fields, ==, 4);
  g_assert_cmpstr (row[3], ==, "二階建て, 南向き");
  g_assert_cmpuint (tsu_csv_get_row_line (csv, 0), ==, 2);

  g_assert_cmpstr (tsu_csv_get_field (csv, 1, 0), ==, "伊賀 花子");
  g_assert_cmpstr (tsu_csv_get_field (csv, 1, 2), ==, "ゆめが丘一丁目\n3番地の2");
  g_assert_cmpstr (tsu_csv_get_field (csv, 1, 3), ==, "「高齢」\"独居\"");
  g_assert_cmpuint (tsu_csv_get_row_line (csv, 1), ==, 3);
  /* The embedded line break moves the next row down a line. */
  g_assert_cmpuint (tsu_csv_get_row_line (csv, 2), ==, 5);
  g_assert_cmpstr (tsu_csv_get_field (csv, 2, 2), ==, "阿保100");
  g_assert_cmpstr (tsu_csv_get_field (csv, 2, 9), ==, "");
  g_assert_cmpint (tsu_csv_find_column (csv, "住所"), ==, 2);
  g_assert_cmpint (tsu_csv_find_column (csv, "電話"), ==, -1);
}

static void
test_utf8 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsuCsv) csv = tsu_csv_new_from_data (SAMPLE, strlen (SAMPLE), TSU_CSV_ENCODING_AUTO, "a.csv", &error);

  g_assert_no_error (error);
  g_assert_cmpint (tsu_csv_get_encoding (csv), ==, TSU_CSV_ENCODING_UTF8);
  g_assert_false (tsu_csv_get_had_bom (csv));
  check_sample (csv);
}

static void
test_utf8_bom (void)
{
  g_autofree char *data = g_strconcat ("\xEF\xBB\xBF", SAMPLE, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TsuCsv) csv = tsu_csv_new_from_data (data, strlen (data), TSU_CSV_ENCODING_AUTO, "a.csv", &error);

  g_assert_no_error (error);
  g_assert_cmpint (tsu_csv_get_encoding (csv), ==, TSU_CSV_ENCODING_UTF8);
  g_assert_true (tsu_csv_get_had_bom (csv));
  check_sample (csv);
}

static void
test_lf_only (void)
{
  g_autoptr(GString) data = g_string_new (SAMPLE);
  g_autoptr(GError) error = NULL;
  g_autoptr(TsuCsv) csv = NULL;

  g_string_replace (data, "\r\n", "\n", 0);
  /* No line end after the last row. */
  g_string_truncate (data, data->len - 1);
  csv = tsu_csv_new_from_data (data->str, data->len, TSU_CSV_ENCODING_AUTO, "a.csv", &error);
  g_assert_no_error (error);
  check_sample (csv);
}

static void
test_cp932 (void)
{
  /* CP932 cannot write 𠮷, so leave that row's name as 吉. */
  g_autoptr(GString) utf8 = g_string_new (SAMPLE);
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TsuCsv) csv = NULL;
  g_autoptr(TsuCsv) forced = NULL;
  gsize length = 0;

  g_string_replace (utf8, "𠮷", "吉", 0);
  data = to_cp932 (utf8->str, &length);
  g_assert_false (g_utf8_validate (data, length, NULL));

  csv = tsu_csv_new_from_data (data, length, TSU_CSV_ENCODING_AUTO, "sjis.csv", &error);
  g_assert_no_error (error);
  g_assert_cmpint (tsu_csv_get_encoding (csv), ==, TSU_CSV_ENCODING_CP932);
  /* CP932 has ① and 髙 (NEC and IBM extensions), which plain Shift_JIS lacks. */
  g_assert_cmpstr (tsu_csv_get_field (csv, 2, 0), ==, "髙橋吉子");
  g_assert_cmpstr (tsu_csv_get_field (csv, 2, 3), ==, "①②");
  g_assert_cmpstr (tsu_csv_get_field (csv, 1, 2), ==, "ゆめが丘一丁目\n3番地の2");

  forced = tsu_csv_new_from_data (data, length, TSU_CSV_ENCODING_CP932, "sjis.csv", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tsu_csv_get_field (forced, 0, 0), ==, "山田太郎");
}

static void
test_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tsu-test-csv-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "世帯.csv", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.csv", NULL);
  g_autoptr(TsuCsv) csv = NULL;
  g_autoptr(TsuCsv) none = NULL;
  g_autofree char *after = NULL;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, SAMPLE, -1, &error));
  csv = tsu_csv_new_from_file (path, TSU_CSV_ENCODING_AUTO, &error);
  g_assert_no_error (error);
  check_sample (csv);
  g_assert_cmpstr (tsu_csv_get_name (csv), ==, "世帯.csv");
  /* Reading never changes the file. */
  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, SAMPLE);

  none = tsu_csv_new_from_file (missing, TSU_CSV_ENCODING_AUTO, &error);
  g_assert_null (none);
  g_assert_error (error, TSU_CSV_ERROR, TSU_CSV_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "missing.csv"));

  g_unlink (path);
  g_rmdir (dir);
}

static void
assert_broken (const char     *data,
               gsize           length,
               TsuCsvEncoding  encoding,
               int             code,
               const char     *expect_in_message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsuCsv) csv = tsu_csv_new_from_data (data, length, encoding, "bad.csv", &error);

  g_assert_null (csv);
  g_assert_error (error, TSU_CSV_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "bad.csv"));
  if (expect_in_message != NULL)
    g_assert_nonnull (strstr (error->message, expect_in_message));
}

static void
test_wrong_encoding (void)
{
  g_autofree char *cp932 = NULL;
  g_autofree char *utf8_bad = NULL;
  gsize length = 0;

  /* A CP932 file read as UTF-8: the first line with kanji is line 1. */
  cp932 = to_cp932 ("name,address\r\nabc,def\r\n山田,阿保\r\n", &length);
  assert_broken (cp932, length, TSU_CSV_ENCODING_UTF8, TSU_CSV_ERROR_ENCODING, "line 3");

  /* Bytes that are neither UTF-8 nor CP932, on line 2. */
  utf8_bad = g_strdup ("a,b\n\x82\xFF\xFF,c\n");
  assert_broken (utf8_bad, strlen (utf8_bad), TSU_CSV_ENCODING_AUTO, TSU_CSV_ERROR_ENCODING, "line 2");
  assert_broken (utf8_bad, strlen (utf8_bad), TSU_CSV_ENCODING_CP932, TSU_CSV_ERROR_ENCODING, "line 2");
}

static void
test_unbalanced_quote (void)
{
  const char *open = "a,b\n1,2\n3,\"4\n5,6\n";
  const char *after = "a,b\n1,\"2\"x\n";

  assert_broken (open, strlen (open), TSU_CSV_ENCODING_AUTO, TSU_CSV_ERROR_QUOTE, "line 3");
  assert_broken (after, strlen (after), TSU_CSV_ENCODING_AUTO, TSU_CSV_ERROR_QUOTE, "line 2");
}

static void
test_empty_and_header_only (void)
{
  assert_broken ("", 0, TSU_CSV_ENCODING_AUTO, TSU_CSV_ERROR_EMPTY, "0 bytes");
  assert_broken ("\r\n\r\n", 4, TSU_CSV_ENCODING_AUTO, TSU_CSV_ERROR_EMPTY, NULL);
  assert_broken ("\xEF\xBB\xBF", 3, TSU_CSV_ENCODING_AUTO, TSU_CSV_ERROR_EMPTY, NULL);
  assert_broken ("世帯主名,住所\r\n", strlen ("世帯主名,住所\r\n"), TSU_CSV_ENCODING_AUTO,
                 TSU_CSV_ERROR_HEADER_ONLY, "header");
  assert_broken ("世帯主名,住所\r\n\r\n\r\n", strlen ("世帯主名,住所\r\n\r\n\r\n"), TSU_CSV_ENCODING_AUTO,
                 TSU_CSV_ERROR_HEADER_ONLY, NULL);
}

static void
test_junk (void)
{
  /* 50 MB of random bytes: refused quickly, with a line number. */
  gsize length = 50 * 1024 * 1024;
  g_autofree guint32 *junk = g_new (guint32, length / 4);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  gint64 start = g_get_monotonic_time ();

  for (gsize i = 0; i < length / 4; i++)
    junk[i] = g_rand_int (rand);
  assert_broken ((const char *) junk, length, TSU_CSV_ENCODING_AUTO, TSU_CSV_ERROR_BINARY, "line ");
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);

  /* Printable junk without NUL: not text either. */
  for (gsize i = 0; i < length / 4; i++)
    junk[i] |= 0x01010101;
  assert_broken ((const char *) junk, length, TSU_CSV_ENCODING_AUTO, TSU_CSV_ERROR_ENCODING, "line ");

  /* Control characters in otherwise valid UTF-8. */
  assert_broken ("a,b\n1,\x01\x02\n", 8, TSU_CSV_ENCODING_AUTO, TSU_CSV_ERROR_BINARY, "line 2");
}

static void
test_limits (void)
{
  g_autoptr(GString) wide = g_string_new (NULL);
  g_autoptr(GString) big_field = g_string_new ("a\n\"");

  for (int i = 0; i <= TSU_CSV_MAX_COLUMNS; i++)
    g_string_append (wide, "x,");
  g_string_append (wide, "\n1\n");
  assert_broken (wide->str, wide->len, TSU_CSV_ENCODING_AUTO, TSU_CSV_ERROR_TOO_LARGE, "line 1");

  for (int i = 0; i <= TSU_CSV_MAX_FIELD; i++)
    g_string_append_c (big_field, 'y');
  g_string_append (big_field, "\"\n");
  assert_broken (big_field->str, big_field->len, TSU_CSV_ENCODING_AUTO, TSU_CSV_ERROR_TOO_LARGE, "line 2");

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TsuCsv) csv = tsu_csv_new_from_data ("x", TSU_CSV_MAX_BYTES + 1, TSU_CSV_ENCODING_AUTO, "bad.csv", &error);
    g_assert_null (csv);
    g_assert_error (error, TSU_CSV_ERROR, TSU_CSV_ERROR_TOO_LARGE);
  }
}

static void
test_encoding_names (void)
{
  TsuCsvEncoding encoding;

  g_assert_true (tsu_csv_encoding_from_string ("utf-8", &encoding));
  g_assert_cmpint (encoding, ==, TSU_CSV_ENCODING_UTF8);
  g_assert_true (tsu_csv_encoding_from_string ("CP932", &encoding));
  g_assert_cmpint (encoding, ==, TSU_CSV_ENCODING_CP932);
  g_assert_true (tsu_csv_encoding_from_string ("Shift_JIS", &encoding));
  g_assert_cmpint (encoding, ==, TSU_CSV_ENCODING_CP932);
  g_assert_false (tsu_csv_encoding_from_string ("latin1", &encoding));
  g_assert_cmpstr (tsu_csv_encoding_to_string (TSU_CSV_ENCODING_CP932), ==, "cp932");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/csv/utf8", test_utf8);
  g_test_add_func ("/csv/utf8-bom", test_utf8_bom);
  g_test_add_func ("/csv/lf-only", test_lf_only);
  g_test_add_func ("/csv/cp932", test_cp932);
  g_test_add_func ("/csv/file", test_file);
  g_test_add_func ("/csv/broken/wrong-encoding", test_wrong_encoding);
  g_test_add_func ("/csv/broken/unbalanced-quote", test_unbalanced_quote);
  g_test_add_func ("/csv/broken/empty-and-header-only", test_empty_and_header_only);
  g_test_add_func ("/csv/broken/junk", test_junk);
  g_test_add_func ("/csv/broken/limits", test_limits);
  g_test_add_func ("/csv/encoding-names", test_encoding_names);

  return g_test_run ();
}
