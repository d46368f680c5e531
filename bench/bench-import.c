/* bench-import.c: importing a city's household list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Writes a 40,000-row CSV of households at real Iga towns (from the town
 * list in TSU_SHARED_DATA, or the path given), then times reading it,
 * the preview (address normalisation, placement, duplicate check, district)
 * and the write, and compares with a baseline measured in the same run: the
 * same records written with tsu_store_create() in one transaction and no
 * import around them.
 *
 *   bench-import [TOWNS.json] [ROWS]
 */
#include "config.h"

#include <time.h>
#include <glib/gstdio.h>

#include "tsu-household-import.h"
#include "tsu-store-import.h"

static const char * const family[] = {
  "山田", "中森", "福森", "田中", "森", "谷口", "岡本", "松本", "北川", "奥", "西田",
  "服部", "中村", "山本", "井上", "木村", "林", "清水", "前田", "藤田", "髙橋", "渡邊"
};
static const char * const given[] = {
  "太郎", "花子", "正", "和子", "清", "幸子", "茂", "節子", "博", "美代子", "勝",
  "久美子", "誠", "洋子", "健一", "恵美"
};
static const char * const kana_family[] = {
  "ヤマダ", "ナカモリ", "フクモリ", "タナカ", "モリ", "タニグチ", "オカモト", "マツモト", "キタガワ", "オク", "ニシダ",
  "ハットリ", "ナカムラ", "ヤマモト", "イノウエ", "キムラ", "ハヤシ", "シミズ", "マエダ", "フジタ", "タカハシ", "ワタナベ"
};

/* Wall-clock and CPU time of a phase: on a shared machine the CPU time is
 * the figure that does not depend on what else runs. */
typedef struct { gint64 wall; clock_t cpu; } Stamp;
typedef struct { double wall, cpu; } Span;

static Stamp
now (void)
{
  Stamp stamp = { g_get_monotonic_time (), clock () };
  return stamp;
}

static Span
since (Stamp start)
{
  Span span = { (g_get_monotonic_time () - start.wall) / 1e6,
                (double) (clock () - start.cpu) / CLOCKS_PER_SEC };
  return span;
}

static char *
make_csv (JsonArray *towns,
          guint      n_rows)
{
  GString *csv = g_string_new ("世帯主名,フリガナ,住所,電話,生年月日,自治会,フラグ\r\n");
  g_autoptr(GRand) rand = g_rand_new_with_seed (2024);

  for (guint i = 0; i < n_rows; i++)
    {
      JsonObject *town = json_array_get_object_element (towns, g_rand_int_range (rand, 0, json_array_get_length (towns)));
      guint f = g_rand_int_range (rand, 0, G_N_ELEMENTS (family));
      guint g = g_rand_int_range (rand, 0, G_N_ELEMENTS (given));
      guint number = g_rand_int_range (rand, 1, 3000);
      int year = g_rand_int_range (rand, 1, 64);
      const char *prefix = (i % 3 == 0) ? "伊賀市" : (i % 3 == 1) ? "三重県伊賀市" : "";

      g_string_append_printf (csv, "%s%s,%s,", family[f], given[g], kana_family[f]);
      /* Numbers written the ways spreadsheets write them. */
      if (i % 4 == 0)
        g_string_append_printf (csv, "%s%s%s%u番地", prefix, json_object_get_string_member (town, "town"),
                                json_object_get_string_member (town, "koaza"), number);
      else if (i % 4 == 1)
        g_string_append_printf (csv, "%s%s%s%u-%u", prefix, json_object_get_string_member (town, "town"),
                                json_object_get_string_member (town, "koaza"), number, i % 7 + 1);
      else
        g_string_append_printf (csv, "\"%s%s %u\"", json_object_get_string_member (town, "town"),
                                json_object_get_string_member (town, "koaza"), number * 10 + i % 10);
      g_string_append_printf (csv, ",0595-%02u-%04u,昭和%d年%d月%d日,%s自治会,%s\r\n",
                              20 + i % 80, i % 10000, year, g_rand_int_range (rand, 1, 13),
                              g_rand_int_range (rand, 1, 29), json_object_get_string_member (town, "town"),
                              i % 5 == 0 ? "高齢単身" : "");
    }
  return g_string_free (csv, FALSE);
}

static TsuStore *
open_store (const char *dir,
            const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  TsuStore *store = tsu_store_open (path, &error);

  if (store == NULL)
    g_error ("%s", error->message);
  return store;
}

/* 39 districts and a town → district table over every town, as a 社協
 * would set up before its first import. */
static void
setup_districts (TsuStore  *store,
                 JsonArray *towns)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 39; i++)
    {
      g_autoptr(JsonObject) fields = json_object_new ();
      g_autofree char *name = g_strdup_printf ("地区%u", i + 1);

      json_object_set_string_member (fields, "name", name);
      g_ptr_array_add (ids, tsu_store_create (store, "district", fields, &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < json_array_get_length (towns); i++)
    {
      JsonObject *town = json_array_get_object_element (towns, i);

      tsu_store_set_town_district (store, json_object_get_string_member (town, "town"),
                                   ids->pdata[i % 39], &error);
      g_assert_no_error (error);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *towns_path = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *csv_path = NULL;
  g_autofree char *csv = NULL;
  g_autoptr(TsuGazetteer) gazetteer = tsu_gazetteer_new ();
  g_autoptr(TsuStore) store = NULL;
  g_autoptr(TsuStore) baseline_store = NULL;
  g_autoptr(TsuHouseholdImport) import = NULL;
  g_autoptr(TsuHouseholdImport) again = NULL;
  g_autofree char *batch = NULL;
  TsuImportSummary summary;
  JsonArray *towns;
  guint n_rows = 40000;
  Span t_gazetteer, t_load, t_preview, t_run, t_baseline, t_reimport, t_undo;
  Stamp start;

  if (argc > 1)
    towns_path = g_strdup (argv[1]);
  else if (g_getenv ("TSU_SHARED_DATA") != NULL)
    towns_path = g_build_filename (g_getenv ("TSU_SHARED_DATA"), "iga-towns.json", NULL);
  else
    towns_path = g_strdup ("../shared/data/iga-towns.json");
  if (argc > 2)
    n_rows = (guint) g_ascii_strtoull (argv[2], NULL, 10);

  if (!json_parser_load_from_file (parser, towns_path, &error))
    g_error ("%s", error->message);
  towns = json_node_get_array (json_parser_get_root (parser));

  dir = g_dir_make_tmp ("tsu-bench-import-XXXXXX", &error);
  g_assert_no_error (error);
  csv_path = g_build_filename (dir, "households.csv", NULL);
  csv = make_csv (towns, n_rows);
  g_file_set_contents (csv_path, csv, -1, &error);
  g_assert_no_error (error);

  store = open_store (dir, "import.db");
  setup_districts (store, towns);

  start = now ();
  tsu_gazetteer_load_file (gazetteer, towns_path, &error);
  g_assert_no_error (error);
  t_gazetteer = since (start);

  import = tsu_household_import_new (store);
  tsu_household_import_set_gazetteer (import, gazetteer);

  start = now ();
  tsu_household_import_load (import, csv_path, TSU_CSV_ENCODING_AUTO, &error);
  g_assert_no_error (error);
  t_load = since (start);

  start = now ();
  tsu_household_import_preview (import, NULL, &error);
  g_assert_no_error (error);
  t_preview = since (start);

  start = now ();
  batch = tsu_household_import_run (import, NULL, &error);
  g_assert_no_error (error);
  t_run = since (start);
  tsu_household_import_get_summary (import, &summary);

  /* Baseline: the same records, written straight through the store. */
  baseline_store = open_store (dir, "baseline.db");
  start = now ();
  tsu_store_begin (baseline_store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < tsu_household_import_get_n_rows (import); i++)
    {
      const TsuImportRow *row = tsu_household_import_get_row (import, i);
      g_autofree char *household_id = NULL;
      g_autofree char *resident_id = NULL;
      g_autoptr(JsonObject) household = NULL;

      if (row->action != TSU_IMPORT_CREATE)
        continue;
      household = json_object_new ();
      json_object_set_string_member (household, "address", row->address);
      if (json_object_has_member (row->household, "lat"))
        {
          json_object_set_double_member (household, "lat", json_object_get_double_member (row->household, "lat"));
          json_object_set_double_member (household, "lon", json_object_get_double_member (row->household, "lon"));
        }
      household_id = tsu_store_create (baseline_store, "household", household, &error);
      g_assert_no_error (error);
      json_object_set_string_member (row->resident, "household_id", household_id);
      resident_id = tsu_store_create (baseline_store, "resident", row->resident, &error);
      g_assert_no_error (error);
    }
  tsu_store_commit (baseline_store, &error);
  g_assert_no_error (error);
  t_baseline = since (start);

  /* The same file again: every row matches, nothing is written. */
  again = tsu_household_import_new (store);
  tsu_household_import_set_gazetteer (again, gazetteer);
  start = now ();
  tsu_household_import_load (again, csv_path, TSU_CSV_ENCODING_AUTO, &error);
  g_assert_no_error (error);
  tsu_household_import_preview (again, NULL, &error);
  g_assert_no_error (error);
  t_reimport = since (start);
  {
    TsuImportSummary second;

    tsu_household_import_get_summary (again, &second);
    g_print ("re-import: %u rows matched, %u new\n", second.match, second.create);
  }

  start = now ();
  tsu_store_undo_import (store, batch, NULL, NULL, &error);
  g_assert_no_error (error);
  t_undo = since (start);

  g_print ("rows: %u (%.1f MB CSV); created %u, matched %u, skipped %u\n",
           summary.rows, strlen (csv) / 1e6, summary.create, summary.match, summary.skip);
  g_print ("placed: %u exactly, %u approximately, %u not at all\n",
           summary.exact, summary.approximate, summary.unplaced);
  g_print ("phase                     wall (s)   cpu (s)\n");
  g_print ("load town list          %9.3f %9.3f\n", t_gazetteer.wall, t_gazetteer.cpu);
  g_print ("read CSV                %9.3f %9.3f\n", t_load.wall, t_load.cpu);
  g_print ("preview (place, match)  %9.3f %9.3f  (%.1f us/row cpu)\n", t_preview.wall, t_preview.cpu,
           t_preview.cpu * 1e6 / summary.rows);
  g_print ("write (one transaction) %9.3f %9.3f\n", t_run.wall, t_run.cpu);
  g_print ("import total            %9.3f %9.3f  (target < 10 s)\n",
           t_load.wall + t_preview.wall + t_run.wall, t_load.cpu + t_preview.cpu + t_run.cpu);
  g_print ("baseline store writes   %9.3f %9.3f  (import write / baseline: %.2fx cpu)\n",
           t_baseline.wall, t_baseline.cpu, t_run.cpu / t_baseline.cpu);
  g_print ("re-import (all matched) %9.3f %9.3f\n", t_reimport.wall, t_reimport.cpu);
  g_print ("undo batch              %9.3f %9.3f\n", t_undo.wall, t_undo.cpu);

  g_clear_object (&store);
  g_clear_object (&baseline_store);
  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;

    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);
        g_unlink (path);
      }
    g_rmdir (dir);
  }
  return 0;
}
