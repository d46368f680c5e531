/* test-household-import.c: town lookup, household import, batches and undo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "tsu-household-import.h"
#include "tsu-store-import.h"

typedef struct
{
  char               *dir;
  TsuStore           *store;
  TsuGazetteer       *gazetteer;
  TsuHouseholdImport *import;
} Fixture;

#define HEADER "世帯主名,フリガナ,住所,電話,生年月日,自治会,地区,フラグ\r\n"
#define ROWS \
  "山田太郎,ヤマダタロウ,上野丸之内５００番地,0595-21-0000,昭和15年3月2日,丸之内,上野西部,高齢単身\r\n" \
  "\"伊賀 花子\",イガハナコ,\"伊賀市ゆめが丘一丁目3番地の2\",,S20.1.1,,,\"子育て、single_parent\"\r\n" \
  "中森次郎,ナカモリジロウ,玉瀧1234,,R1.5.1,,玉滝,\r\n" \
  "福森三郎,,小田町字平松5,,,,,\r\n" \
  "谷口四郎,,ゆめが丘9丁目1,,,,,\r\n" \
  "森五郎,,存在しない町1,,,,,\r\n"

static char *
shared_data (const char *name)
{
  const char *dir = g_getenv ("TSU_SHARED_DATA");

  if (dir == NULL)
    return NULL;
  return g_build_filename (dir, name, NULL);
}

static char *
make_district (TsuStore   *store,
               const char *name,
               const char *boundary)
{
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(GError) error = NULL;
  char *id;

  json_object_set_string_member (fields, "name", name);
  if (boundary != NULL)
    json_object_set_string_member (fields, "boundary", boundary);
  id = tsu_store_create (store, "district", fields, &error);
  g_assert_no_error (error);
  return id;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *towns = shared_data ("iga-towns.json");

  fixture->dir = g_dir_make_tmp ("tsu-test-import-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "test.db", NULL);
  fixture->store = tsu_store_open (path, &error);
  g_assert_no_error (error);

  fixture->gazetteer = tsu_gazetteer_new ();
  g_assert_nonnull (towns);
  tsu_gazetteer_load_file (fixture->gazetteer, towns, &error);
  g_assert_no_error (error);

  fixture->import = tsu_household_import_new (fixture->store);
  tsu_household_import_set_gazetteer (fixture->import, fixture->gazetteer);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&fixture->import);
  g_clear_object (&fixture->gazetteer);
  g_clear_object (&fixture->store);
  dir = g_dir_open (fixture->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

static char *
write_file (Fixture    *fixture,
            const char *name,
            const char *data,
            gssize      length)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fixture->dir, name, NULL);

  g_file_set_contents (path, data, length, &error);
  g_assert_no_error (error);
  return path;
}

static gint64
count (TsuStore   *store,
       const char *what)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) stats = tsu_store_get_stats (store, &error);

  g_assert_no_error (error);
  return json_object_get_int_member (stats, what);
}

static const TsuImportRow *
row_at_line (TsuHouseholdImport *import,
             guint               line)
{
  for (guint i = 0; i < tsu_household_import_get_n_rows (import); i++)
    if (tsu_household_import_get_row (import, i)->line == line)
      return tsu_household_import_get_row (import, i);
  g_assert_not_reached ();
  return NULL;
}

static gboolean
has_problem (const TsuImportRow *row,
             const char         *text)
{
  for (guint i = 0; i < row->problems->len; i++)
    if (strstr (row->problems->pdata[i], text) != NULL)
      return TRUE;
  return FALSE;
}

/* ---- the town list ---------------------------------------------------- */

static void
test_gazetteer_iga (Fixture       *fixture,
                    gconstpointer  data)
{
  static const struct { const char *address; TsuPlaceQuality quality; const char *name; } cases[] = {
    { "上野丸之内５００番地", TSU_PLACE_EXACT, "上野丸之内" },
    { "上野丸之内500", TSU_PLACE_EXACT, "上野丸之内" },
    { "伊賀市上野丸之内 ５００", TSU_PLACE_EXACT, "上野丸之内" },
    { "三重県伊賀市上野丸の内五百", TSU_PLACE_EXACT, "上野丸之内" },
    { "ゆめが丘一丁目3番地の2", TSU_PLACE_EXACT, "ゆめが丘一丁目" },
    { "ゆめケ丘1-3-2", TSU_PLACE_EXACT, "ゆめが丘一丁目" },
    { "桐ヶ丘二丁目5-3", TSU_PLACE_EXACT, "桐ケ丘二丁目" },
    { "希望ケ丘西三丁目1", TSU_PLACE_EXACT, "希望ヶ丘西三丁目" },
    { "島ケ原5000", TSU_PLACE_EXACT, "島ヶ原" },
    { "大字玉滝1234", TSU_PLACE_EXACT, "玉瀧" },
    { "西之沢12", TSU_PLACE_EXACT, "西之澤" },
    { "東條45", TSU_PLACE_EXACT, "東条" },
    { "西條1", TSU_PLACE_EXACT, "西条" },
    { "小田町字平松123", TSU_PLACE_EXACT, "小田町平松" },
    { "伊賀市市部１２３", TSU_PLACE_EXACT, "市部" },
    { "四十九町3000", TSU_PLACE_EXACT, "四十九町" },
    { "一之宮十二番地", TSU_PLACE_EXACT, "一之宮" },
    { "川上2丁目5", TSU_PLACE_EXACT, "川上二丁目" },
    /* Known 大字, unknown 字 or 丁目: approximate. */
    { "ゆめが丘9丁目1", TSU_PLACE_APPROXIMATE, "ゆめが丘" },
    { "小田町字どこか5", TSU_PLACE_APPROXIMATE, "小田町" },
    { "存在しない町1", TSU_PLACE_NONE, NULL },
    { "", TSU_PLACE_NONE, NULL },
  };

  g_assert_cmpuint (tsu_gazetteer_get_n_places (fixture->gazetteer), ==, 247);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      TsuPlace place;
      TsuPlaceQuality quality = tsu_gazetteer_lookup (fixture->gazetteer, cases[i].address, &place);

      g_test_message ("%s", cases[i].address);
      g_assert_cmpint (quality, ==, cases[i].quality);
      g_assert_cmpint (place.quality, ==, cases[i].quality);
      g_assert_cmpstr (place.name, ==, cases[i].name);
      if (quality != TSU_PLACE_NONE)
        {
          /* Inside the city's extent. */
          g_assert_cmpfloat (place.lat, >, 34.55);
          g_assert_cmpfloat (place.lat, <, 34.91);
          g_assert_cmpfloat (place.lon, >, 136.01);
          g_assert_cmpfloat (place.lon, <, 136.35);
        }
    }

  /* Every town of the list finds itself exactly, at its own point. */
  {
    g_autofree char *path = shared_data ("iga-towns.json");
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(GError) error = NULL;
    JsonArray *towns;

    json_parser_load_from_file (parser, path, &error);
    g_assert_no_error (error);
    towns = json_node_get_array (json_parser_get_root (parser));
    for (guint i = 0; i < json_array_get_length (towns); i++)
      {
        JsonObject *town = json_array_get_object_element (towns, i);
        g_autofree char *address = g_strconcat (json_object_get_string_member (town, "town"),
                                                json_object_get_string_member (town, "koaza"), "1", NULL);
        TsuPlace place;

        g_test_message ("%s", address);
        g_assert_cmpint (tsu_gazetteer_lookup (fixture->gazetteer, address, &place), ==, TSU_PLACE_EXACT);
        g_assert_cmpfloat_with_epsilon (place.lat, json_object_get_double_member (town, "lat"), 1e-9);
        g_assert_cmpfloat_with_epsilon (place.lon, json_object_get_double_member (town, "lng"), 1e-9);
      }
  }
}

static void
test_gazetteer_mlit_csv (void)
{
  /* The 位置参照情報 大字・町丁目 layout, as MLIT ships it (CP932). */
  const char *utf8 =
    "都道府県コード,都道府県名,市区町村コード,市区町村名,大字町丁目コード,大字町丁目名,緯度,経度,原典資料コード,大字・字・丁目区分コード\r\n"
    "24,三重県,24216,伊賀市,242160001000,上野丸之内,34.769566,136.128784,1,1\r\n"
    "24,三重県,24216,伊賀市,242160002001,ゆめが丘一丁目,34.740468,136.155524,1,3\r\n"
    "24,三重県,24216,伊賀市,242160003000,玉瀧,34.868503,136.172631,1,1\r\n";
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  g_autofree char *cp932 = g_convert (utf8, -1, "CP932", "UTF-8", NULL, &length, &error);
  g_autoptr(TsuCsv) csv = NULL;
  g_autoptr(TsuGazetteer) gazetteer = tsu_gazetteer_new ();
  g_autoptr(TsuCsv) bad_csv = NULL;
  TsuPlace place;

  g_assert_no_error (error);
  csv = tsu_csv_new_from_data (cp932, length, TSU_CSV_ENCODING_AUTO, "24_2021.csv", &error);
  g_assert_no_error (error);
  g_assert_true (tsu_gazetteer_load_csv (gazetteer, csv, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tsu_gazetteer_get_n_places (gazetteer), ==, 3);
  g_assert_cmpint (tsu_gazetteer_lookup (gazetteer, "伊賀市玉滝100", &place), ==, TSU_PLACE_EXACT);
  g_assert_cmpfloat_with_epsilon (place.lat, 34.868503, 1e-9);
  g_assert_cmpint (tsu_gazetteer_lookup (gazetteer, "ゆめが丘1-2-3", &place), ==, TSU_PLACE_EXACT);
  g_assert_cmpint (tsu_gazetteer_lookup (gazetteer, "ゆめが丘2-2-3", &place), ==, TSU_PLACE_APPROXIMATE);

  bad_csv = tsu_csv_new_from_data ("a,b\n1,2\n", 8, TSU_CSV_ENCODING_AUTO, "other.csv", &error);
  g_assert_no_error (error);
  g_assert_false (tsu_gazetteer_load_csv (gazetteer, bad_csv, &error));
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "other.csv"));
}

static void
test_gazetteer_bad_json (void)
{
  g_autoptr(TsuGazetteer) gazetteer = tsu_gazetteer_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (tsu_gazetteer_load_json_data (gazetteer, "[{\"town\": 1}]", -1, "t.json", &error));
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "entry 1"));
  g_clear_error (&error);
  g_assert_false (tsu_gazetteer_load_json_data (gazetteer, "[", -1, "t.json", &error));
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (tsu_gazetteer_load_json_data (gazetteer, "[]", -1, "t.json", &error));
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID);
}

/* ---- import ----------------------------------------------------------- */

static void
load (Fixture        *fixture,
      const char     *name,
      const char     *data,
      gssize          length,
      TsuCsvEncoding  encoding)
{
  g_autofree char *path = write_file (fixture, name, data, length);
  g_autoptr(GError) error = NULL;

  tsu_household_import_load (fixture->import, path, encoding, &error);
  g_assert_no_error (error);
}

static char *
import_all (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  char *batch;

  tsu_household_import_preview (fixture->import, NULL, &error);
  g_assert_no_error (error);
  batch = tsu_household_import_run (fixture->import, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (batch);
  return batch;
}

static void
check_imported (Fixture *fixture)
{
  TsuImportSummary summary;
  const TsuImportRow *row;
  g_autoptr(JsonObject) household = NULL;
  g_autoptr(JsonObject) resident = NULL;
  g_autoptr(GError) error = NULL;
  guint n_flags;

  tsu_household_import_get_summary (fixture->import, &summary);
  g_assert_cmpuint (summary.rows, ==, 6);
  g_assert_cmpuint (summary.create, ==, 6);
  g_assert_cmpuint (summary.exact, ==, 4);
  g_assert_cmpuint (summary.approximate, ==, 1);
  g_assert_cmpuint (summary.unplaced, ==, 1);
  g_assert_cmpint (count (fixture->store, "households"), ==, 6);
  g_assert_cmpint (count (fixture->store, "residents"), ==, 6);

  row = row_at_line (fixture->import, 2);
  g_assert_cmpint (row->action, ==, TSU_IMPORT_CREATE);
  g_assert_cmpint (row->quality, ==, TSU_PLACE_EXACT);
  household = tsu_store_get_record (fixture->store, "household",
                                    json_object_get_string_member (row->resident, "household_id"), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (household, "address"), ==, "上野丸之内500番地");
  g_assert_cmpstr (json_object_get_string_member (household, "location_quality"), ==, "exact");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (household, "lat"), 34.769566, 1e-6);
  g_assert_cmpstr (json_object_get_string_member (household, "jichikai"), ==, "丸之内");
  g_assert_cmpstr (json_object_get_string_member (household, "phone"), ==, "0595-21-0000");
  tsu_household_flag_labels (&n_flags);
  g_assert_cmpint (json_object_get_int_member (household, "flags"), ==, 1 << 0);

  row = row_at_line (fixture->import, 3);
  g_assert_cmpint (json_object_get_int_member (row->household, "flags"), ==, (1 << 4) | (1 << 5));
  g_assert_cmpstr (json_object_get_string_member (row->resident, "birth_date"), ==, "1945-01-01");
  g_assert_cmpstr (json_object_get_string_member (row->resident, "kana"), ==, "イガハナコ");
  g_assert_cmpstr (json_object_get_string_member (row->resident, "relationship"), ==, "head");

  row = row_at_line (fixture->import, 4);
  g_assert_cmpstr (json_object_get_string_member (row->resident, "birth_date"), ==, "2019-05-01");

  /* ゆめが丘9丁目 does not exist: placed at ゆめが丘, flagged. */
  row = row_at_line (fixture->import, 6);
  g_assert_cmpint (row->quality, ==, TSU_PLACE_APPROXIMATE);
  g_assert_cmpstr (json_object_get_string_member (row->household, "location_quality"), ==, "approximate");
  g_assert_true (has_problem (row, "approximately"));

  row = row_at_line (fixture->import, 7);
  g_assert_cmpint (row->quality, ==, TSU_PLACE_NONE);
  g_assert_false (json_object_has_member (row->household, "lat"));
  g_assert_cmpstr (json_object_get_string_member (row->household, "location_quality"), ==, "none");

  resident = tsu_store_get_record (fixture->store, "resident",
                                   json_object_get_string_member (row->resident, "household_id"), &error);
  g_assert_null (resident);
  g_clear_error (&error);

  /* The approximate and unplaced households are listed for placing by hand. */
  {
    g_autoptr(GPtrArray) to_place = tsu_store_list_households_to_place (fixture->store, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (to_place->len, ==, 2);
    g_assert_cmpstr (json_object_get_string_member (to_place->pdata[0], "address"), ==, "ゆめが丘9丁目1");
    g_assert_cmpstr (json_object_get_string_member (to_place->pdata[0], "location_quality"), ==, "approximate");
    g_assert_cmpstr (json_object_get_string_member (to_place->pdata[1], "location_quality"), ==, "none");
  }
}

static void
test_import_utf8 (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *batch = NULL;

  load (fixture, "utf8.csv", HEADER ROWS, -1, TSU_CSV_ENCODING_AUTO);
  g_assert_cmpint (tsu_csv_get_encoding (tsu_household_import_get_csv (fixture->import)), ==, TSU_CSV_ENCODING_UTF8);
  batch = import_all (fixture);
  check_imported (fixture);
}

static void
test_import_utf8_bom (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *batch = NULL;

  load (fixture, "bom.csv", "\xEF\xBB\xBF" HEADER ROWS, -1, TSU_CSV_ENCODING_AUTO);
  g_assert_true (tsu_csv_get_had_bom (tsu_household_import_get_csv (fixture->import)));
  batch = import_all (fixture);
  check_imported (fixture);
}

static void
test_import_cp932 (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  g_autofree char *cp932 = g_convert (HEADER ROWS, -1, "CP932", "UTF-8", NULL, &length, &error);
  g_autofree char *batch = NULL;

  g_assert_no_error (error);
  load (fixture, "sjis.csv", cp932, length, TSU_CSV_ENCODING_AUTO);
  g_assert_cmpint (tsu_csv_get_encoding (tsu_household_import_get_csv (fixture->import)), ==, TSU_CSV_ENCODING_CP932);
  batch = import_all (fixture);
  check_imported (fixture);
}

static void
test_import_twice (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *first = NULL;
  g_autofree char *path = write_file (fixture, "a.csv", HEADER ROWS, -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(TsuHouseholdImport) again = tsu_household_import_new (fixture->store);
  TsuImportSummary summary;
  gint64 operations;

  load (fixture, "a.csv", HEADER ROWS, -1, TSU_CSV_ENCODING_AUTO);
  first = import_all (fixture);
  operations = count (fixture->store, "operations");

  /* The same households written differently are recognised too. */
  {
    const char *other = "世帯主名,住所\n山田太郎,三重県伊賀市上野丸之内五百\n伊賀花子,ゆめが丘1-3-2\n新しい人,阿保1\n";
    g_autofree char *other_path = write_file (fixture, "b.csv", other, -1);

    tsu_household_import_set_gazetteer (again, fixture->gazetteer);
    tsu_household_import_load (again, other_path, TSU_CSV_ENCODING_AUTO, &error);
    g_assert_no_error (error);
    tsu_household_import_preview (again, NULL, &error);
    g_assert_no_error (error);
    tsu_household_import_get_summary (again, &summary);
    g_assert_cmpuint (summary.match, ==, 2);
    g_assert_cmpuint (summary.create, ==, 1);
    g_assert_nonnull (tsu_household_import_get_row (again, 0)->matched_id);
  }

  tsu_household_import_load (again, path, TSU_CSV_ENCODING_AUTO, &error);
  g_assert_no_error (error);
  tsu_household_import_preview (again, NULL, &error);
  g_assert_no_error (error);
  tsu_household_import_get_summary (again, &summary);
  g_assert_cmpuint (summary.create, ==, 0);
  g_assert_cmpuint (summary.match, ==, 6);
  for (guint i = 0; i < summary.rows; i++)
    {
      const TsuImportRow *row = tsu_household_import_get_row (again, i);
      g_autoptr(JsonObject) matched = tsu_store_get_record (fixture->store, "household", row->matched_id, &error);

      g_assert_no_error (error);
      g_assert_cmpint (row->action, ==, TSU_IMPORT_MATCH);
    }
  /* Nothing written by the preview. */
  g_assert_cmpint (count (fixture->store, "operations"), ==, operations);
  g_assert_cmpint (count (fixture->store, "households"), ==, 6);
}

static void
test_preview_problems (Fixture       *fixture,
                       gconstpointer  data)
{
  const char *csv =
    HEADER
    "山田太郎,,上野丸之内500,,昭和99年1月1日,,謎の地区,謎フラグ\n"
    ",,阿保100,,,,,\n"
    "名無し住所,,,,,,,\n"
    "\"山田 太郎\",,伊賀市上野丸之内 ５００,,,,,\n"
    "正しい人,,阿保1,,平成2年2月2日,,,\n";
  g_autoptr(GError) error = NULL;
  TsuImportSummary summary;
  const TsuImportRow *row;
  gint64 operations = count (fixture->store, "operations");

  load (fixture, "p.csv", csv, -1, TSU_CSV_ENCODING_AUTO);
  tsu_household_import_preview (fixture->import, NULL, &error);
  g_assert_no_error (error);

  row = row_at_line (fixture->import, 2);
  g_assert_cmpint (row->action, ==, TSU_IMPORT_CREATE);
  g_assert_true (has_problem (row, "昭和99年1月1日"));
  g_assert_true (has_problem (row, "謎の地区"));
  g_assert_true (has_problem (row, "謎フラグ"));
  g_assert_false (json_object_has_member (row->resident, "birth_date"));

  row = row_at_line (fixture->import, 3);
  g_assert_cmpint (row->action, ==, TSU_IMPORT_SKIP);
  g_assert_true (has_problem (row, "name"));

  row = row_at_line (fixture->import, 4);
  g_assert_cmpint (row->action, ==, TSU_IMPORT_SKIP);
  g_assert_true (has_problem (row, "address"));

  /* The same household twice in one file (space in the name, other form of address). */
  row = row_at_line (fixture->import, 5);
  g_assert_cmpint (row->action, ==, TSU_IMPORT_SKIP);
  g_assert_cmpuint (row->duplicate_of, ==, 2);
  g_assert_true (has_problem (row, "line 2"));

  row = row_at_line (fixture->import, 6);
  g_assert_cmpint (row->action, ==, TSU_IMPORT_CREATE);

  tsu_household_import_get_summary (fixture->import, &summary);
  g_assert_cmpuint (summary.create, ==, 2);
  g_assert_cmpuint (summary.skip, ==, 3);
  g_assert_cmpint (count (fixture->store, "operations"), ==, operations);
}

static void
test_undo (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *batch_id = NULL;
  g_autoptr(JsonObject) batch = NULL;
  g_autoptr(GPtrArray) batches = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *household_id = NULL;
  g_autoptr(JsonObject) update = json_object_new ();
  g_autoptr(JsonObject) record = NULL;
  g_autofree char *other = NULL;
  guint deleted = 0, edited = 0;
  gint64 operations;

  /* A household made by hand before the import must survive its undo. */
  {
    g_autoptr(JsonObject) fields = json_object_new ();
    json_object_set_string_member (fields, "address", "阿保1");
    other = tsu_store_create (fixture->store, "household", fields, &error);
    g_assert_no_error (error);
  }

  load (fixture, "a.csv", HEADER ROWS, -1, TSU_CSV_ENCODING_AUTO);
  batch_id = import_all (fixture);
  g_assert_cmpint (count (fixture->store, "households"), ==, 7);

  batch = tsu_store_get_import_batch (fixture->store, batch_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (batch, "file_name"), ==, "a.csv");
  g_assert_cmpint (json_object_get_int_member (batch, "n_created"), ==, 6);
  g_assert_cmpint (json_object_get_int_member (batch, "n_exact"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (batch, "n_approximate"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (batch, "n_unplaced"), ==, 1);
  g_assert_cmpint (strlen (json_object_get_string_member (batch, "file_checksum")), ==, 64);
  g_assert_true (json_object_get_null_member (batch, "undone_at"));
  batches = tsu_store_list_import_batches (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (batches->len, ==, 1);

  /* Edit one imported household afterwards: undo still removes it, and says so. */
  household_id = g_strdup (json_object_get_string_member (tsu_household_import_get_row (fixture->import, 0)->resident,
                                                          "household_id"));
  json_object_set_string_member (update, "note", "訪問済み");
  tsu_store_update (fixture->store, "household", household_id, update, &error);
  g_assert_no_error (error);

  operations = count (fixture->store, "operations");
  g_assert_true (tsu_store_undo_import (fixture->store, batch_id, &deleted, &edited, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (deleted, ==, 12);
  g_assert_cmpuint (edited, ==, 1);
  g_assert_cmpint (count (fixture->store, "households"), ==, 1);
  g_assert_cmpint (count (fixture->store, "residents"), ==, 0);
  /* Tombstones, not physical deletes: each is one more operation. */
  g_assert_cmpint (count (fixture->store, "operations"), ==, operations + 12);
  record = tsu_store_get_record (fixture->store, "household", household_id, &error);
  g_assert_no_error (error);
  g_assert_true (json_object_get_boolean_member (record, "deleted"));
  g_clear_pointer (&record, json_object_unref);
  record = tsu_store_get_record (fixture->store, "household", other, &error);
  g_assert_false (json_object_get_boolean_member (record, "deleted"));

  g_clear_pointer (&batch, json_object_unref);
  batch = tsu_store_get_import_batch (fixture->store, batch_id, &error);
  g_assert_false (json_object_get_null_member (batch, "undone_at"));

  /* Twice is an error that changes nothing. */
  g_assert_false (tsu_store_undo_import (fixture->store, batch_id, NULL, NULL, &error));
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (tsu_store_undo_import (fixture->store, "no-such-batch", NULL, NULL, &error));
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* After the undo the same file imports again as new. */
  {
    g_autofree char *again = NULL;
    TsuImportSummary summary;

    load (fixture, "a.csv", HEADER ROWS, -1, TSU_CSV_ENCODING_AUTO);
    again = import_all (fixture);
    tsu_household_import_get_summary (fixture->import, &summary);
    g_assert_cmpuint (summary.create, ==, 6);
  }
}

static void
test_broken_files (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  g_autofree char *cp932 = g_convert (HEADER ROWS, -1, "CP932", "UTF-8", NULL, &length, &error);
  g_autofree char *junk = g_malloc (50 * 1024 * 1024);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  gint64 operations = count (fixture->store, "operations");
  struct { const char *name; const char *data; gssize length; TsuCsvEncoding encoding; int code; const char *text; } cases[] = {
    { "wrong-encoding.csv", cp932, (gssize) length, TSU_CSV_ENCODING_UTF8, TSU_CSV_ERROR_ENCODING, "line 1" },
    { "quote.csv", HEADER "山田太郎,,\"上野丸之内500\n", -1, TSU_CSV_ENCODING_AUTO, TSU_CSV_ERROR_QUOTE, "line 2" },
    { "empty.csv", "", 0, TSU_CSV_ENCODING_AUTO, TSU_CSV_ERROR_EMPTY, "empty.csv" },
    { "junk.csv", junk, 50 * 1024 * 1024, TSU_CSV_ENCODING_AUTO, TSU_CSV_ERROR_BINARY, "line " },
    { "header.csv", HEADER, -1, TSU_CSV_ENCODING_AUTO, TSU_CSV_ERROR_HEADER_ONLY, "header.csv" },
  };

  g_assert_no_error (error);
  for (gsize i = 0; i < 50 * 1024 * 1024; i++)
    junk[i] = (char) g_rand_int_range (rand, 0, 256);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = write_file (fixture, cases[i].name, cases[i].data, cases[i].length);
      g_autoptr(TsuHouseholdImport) import = tsu_household_import_new (fixture->store);

      g_test_message ("%s", cases[i].name);
      g_assert_false (tsu_household_import_load (import, path, cases[i].encoding, &error));
      g_assert_error (error, TSU_CSV_ERROR, cases[i].code);
      g_assert_nonnull (strstr (error->message, cases[i].name));
      g_assert_nonnull (strstr (error->message, cases[i].text));
      g_clear_error (&error);
      /* Nothing could be imported from it, and nothing was written. */
      g_assert_null (tsu_household_import_run (import, NULL, &error));
      g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID);
      g_clear_error (&error);
      g_unlink (path);
    }
  g_assert_cmpint (count (fixture->store, "operations"), ==, operations);
  g_assert_cmpint (count (fixture->store, "households"), ==, 0);
}

static void
test_mapping (Fixture       *fixture,
              gconstpointer  data)
{
  const char *csv = "氏名,所在地,独居,要介護,メモ\n山田太郎,阿保1,○,,\n伊賀花子,阿保2,,1,メモ書き\n";
  const char *custom = "名前だよ,ところ,独居\n山田太郎,阿保1,○\n";
  g_autoptr(GError) error = NULL;
  g_autofree char *batch = NULL;
  g_autofree char *mapping_path = NULL;
  g_autoptr(TsuHouseholdImport) second = tsu_household_import_new (fixture->store);
  JsonObject *mapping;
  const TsuImportRow *row;

  load (fixture, "m.csv", csv, -1, TSU_CSV_ENCODING_AUTO);
  mapping = tsu_household_import_get_mapping (fixture->import);
  g_assert_cmpstr (json_object_get_string_member (mapping, "name"), ==, "氏名");
  g_assert_cmpstr (json_object_get_string_member (mapping, "address"), ==, "所在地");
  g_assert_cmpstr (json_object_get_string_member (mapping, "note"), ==, "メモ");
  g_assert_cmpstr (json_object_get_string_member (mapping, "flag:要介護"), ==, "要介護");
  /* 独居 is not a flag name: map it by hand. */
  json_object_set_string_member (mapping, "flag:高齢単身", "独居");
  batch = import_all (fixture);
  row = tsu_household_import_get_row (fixture->import, 0);
  g_assert_cmpint (json_object_get_int_member (row->household, "flags"), ==, 1 << 0);
  row = tsu_household_import_get_row (fixture->import, 1);
  g_assert_cmpint (json_object_get_int_member (row->household, "flags"), ==, 1 << 3);
  g_assert_cmpstr (json_object_get_string_member (row->household, "note"), ==, "メモ書き");

  /* The next file with the same header gets the remembered mapping. */
  load (fixture, "m2.csv", csv, -1, TSU_CSV_ENCODING_AUTO);
  mapping = tsu_household_import_get_mapping (fixture->import);
  g_assert_cmpstr (json_object_get_string_member (mapping, "flag:高齢単身"), ==, "独居");

  /* A mapping file for other headers. */
  mapping_path = write_file (fixture, "mapping.json",
                             "{\"name\": \"名前だよ\", \"address\": \"ところ\", \"flag:高齢単身\": \"独居\"}", -1);
  load (fixture, "custom.csv", custom, -1, TSU_CSV_ENCODING_AUTO);
  g_assert_false (tsu_household_import_preview (fixture->import, NULL, &error));
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID);
  g_clear_error (&error);
  tsu_household_import_load_mapping (fixture->import, mapping_path, &error);
  g_assert_no_error (error);
  tsu_household_import_preview (fixture->import, NULL, &error);
  g_assert_no_error (error);
  row = tsu_household_import_get_row (fixture->import, 0);
  g_assert_cmpint (row->action, ==, TSU_IMPORT_MATCH);

  /* A mapping that names a missing column or an unknown field. */
  {
    g_autoptr(JsonObject) bad = json_object_new ();

    json_object_set_string_member (bad, "name", "名前だよ");
    json_object_set_string_member (bad, "address", "ないよ");
    tsu_household_import_set_mapping (fixture->import, bad);
    g_assert_false (tsu_household_import_preview (fixture->import, NULL, &error));
    g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "ないよ"));
    g_clear_error (&error);
    json_object_set_string_member (bad, "address", "ところ");
    json_object_set_string_member (bad, "shoe_size", "ところ");
    g_assert_false (tsu_household_import_preview (fixture->import, NULL, &error));
    g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "shoe_size"));
  }
  (void) second;
}

static void
test_districts (Fixture       *fixture,
                gconstpointer  data)
{
  /* A square around 上野丸之内 (34.7696, 136.1288) with a hole around
   * nothing we use, and one around 玉瀧. */
  const char *ueno_square =
    "{\"type\":\"Polygon\",\"coordinates\":[[[136.12,34.76],[136.14,34.76],[136.14,34.78],[136.12,34.78],[136.12,34.76]],"
    "[[136.135,34.775],[136.139,34.775],[136.139,34.779],[136.135,34.779],[136.135,34.775]]]}";
  const char *tamataki =
    "{\"type\":\"MultiPolygon\",\"coordinates\":"
    "[[[[136.16,34.86],[136.18,34.86],[136.18,34.88],[136.16,34.88],[136.16,34.86]]]]}";
  g_autofree char *west = make_district (fixture->store, "上野西部", ueno_square);
  g_autofree char *tama = make_district (fixture->store, "玉滝", tamataki);
  g_autofree char *yume = make_district (fixture->store, "ゆめが丘", NULL);
  g_autofree char *kiji = make_district (fixture->store, "きじが台", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) towns = NULL;
  const char *csv =
    "世帯主名,住所,地区\n"
    "a,上野丸之内500,\n"                 /* inside the square */
    "b,玉瀧1,\n"                          /* inside the multipolygon */
    "c,ゆめが丘1丁目1,\n"                 /* town table, by 丁目 */
    "d,ゆめが丘5-1,\n"                    /* town table, by the 大字 */
    "e,阿保1,きじが台地区住民自治協議会\n" /* the file names it (full name) */
    "f,阿保2,\n";                         /* nothing: no district */
  const TsuImportRow *row;

  g_assert_true (tsu_store_set_town_district (fixture->store, "ゆめが丘一丁目", yume, &error));
  g_assert_true (tsu_store_set_town_district (fixture->store, "ゆめが丘", yume, &error));
  g_assert_true (tsu_store_set_town_district (fixture->store, "阿保", west, &error));
  g_assert_true (tsu_store_set_town_district (fixture->store, "阿保", NULL, &error));
  g_assert_no_error (error);
  g_assert_false (tsu_store_set_town_district (fixture->store, "桂", "no-such-district", &error));
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  towns = tsu_store_list_town_districts (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (towns->len, ==, 2);
  g_assert_cmpstr (json_object_get_string_member (towns->pdata[0], "district_name"), ==, "ゆめが丘");

  load (fixture, "d.csv", csv, -1, TSU_CSV_ENCODING_AUTO);
  tsu_household_import_preview (fixture->import, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (row_at_line (fixture->import, 2)->district_id, ==, west);
  g_assert_cmpstr (row_at_line (fixture->import, 3)->district_id, ==, tama);
  g_assert_cmpstr (row_at_line (fixture->import, 4)->district_id, ==, yume);
  g_assert_cmpstr (row_at_line (fixture->import, 5)->district_id, ==, yume);
  g_assert_cmpstr (row_at_line (fixture->import, 6)->district_id, ==, kiji);
  row = row_at_line (fixture->import, 7);
  g_assert_null (row->district_id);
  g_assert_true (has_problem (row, "district"));
  g_assert_false (json_object_has_member (row->household, "district_id"));
}

static void
on_run_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  char **batch = user_data;
  g_autoptr(GError) error = NULL;

  *batch = tsu_household_import_run_finish (TSU_HOUSEHOLD_IMPORT (source), result, &error);
  g_assert_no_error (error);
}

static void
on_load_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  *done = tsu_household_import_load_finish (TSU_HOUSEHOLD_IMPORT (source), result, &error);
  g_assert_no_error (error);
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *path = write_file (fixture, "a.csv", HEADER ROWS, -1);
  g_autofree char *batch = NULL;
  gboolean loaded = FALSE;

  tsu_household_import_load_async (fixture->import, path, TSU_CSV_ENCODING_AUTO, NULL, on_load_done, &loaded);
  while (!loaded)
    g_main_context_iteration (NULL, TRUE);
  tsu_household_import_run_async (fixture->import, NULL, on_run_done, &batch);
  while (batch == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpfloat (tsu_household_import_get_progress (fixture->import), ==, 1.0);
  check_imported (fixture);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *batch = NULL;

  load (fixture, "a.csv", HEADER ROWS, -1, TSU_CSV_ENCODING_AUTO);
  tsu_household_import_preview (fixture->import, NULL, &error);
  g_assert_no_error (error);
  g_cancellable_cancel (cancellable);
  batch = tsu_household_import_run (fixture->import, cancellable, &error);
  g_assert_null (batch);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (count (fixture->store, "households"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/import/gazetteer/iga", test_gazetteer_iga);
  g_test_add_func ("/import/gazetteer/mlit-csv", test_gazetteer_mlit_csv);
  g_test_add_func ("/import/gazetteer/bad-json", test_gazetteer_bad_json);
  ADD ("/import/households/utf8", test_import_utf8);
  ADD ("/import/households/utf8-bom", test_import_utf8_bom);
  ADD ("/import/households/cp932", test_import_cp932);
  ADD ("/import/households/twice", test_import_twice);
  ADD ("/import/households/preview-problems", test_preview_problems);
  ADD ("/import/households/undo", test_undo);
  ADD ("/import/households/broken-files", test_broken_files);
  ADD ("/import/households/mapping", test_mapping);
  ADD ("/import/households/districts", test_districts);
  ADD ("/import/households/async", test_async);
  ADD ("/import/households/cancel", test_cancel);

  return g_test_run ();
}
