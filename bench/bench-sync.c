/* bench-sync.c: changeset export and import throughput at Iga scale,
 * next to raw SQLite measured in the same run
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Builds a hub with 39 districts and (at --scale 1) 40,000 households,
 * 85,000 residents and 200,000 visits through the store API, registers one
 * device for every district, then measures:
 *   export  the hub's changeset for that device (operations/s), against a
 *           raw SELECT of the same rows written to a file;
 *   import  that changeset into an empty laptop (operations/s), against raw
 *           prepared INSERTs of the same rows into the same schema in one
 *           transaction.
 * Prints the ratios (targets: import ≥ 30 %, export ≥ 50 %) and the peak
 * memory of the import. --runs N repeats every measurement N times (a new
 * laptop and a new empty database each time) and keeps the best of each.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "tsu-changeset.h"
#include "tsu-store-sync.h"

static gboolean
count_row (const TsuOpRow  *row,
           gpointer         user_data,
           GError         **error)
{
  (*(guint *) user_data)++;
  return TRUE;
}

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1e6;
}

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
         usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

static long
peak_rss_kb (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

static char *
create (TsuStore   *store,
        const char *table,
        JsonObject *fields)
{
  g_autoptr(GError) error = NULL;
  char *id = tsu_store_create (store, table, fields, &error);

  if (id == NULL)
    g_error ("%s", error->message);
  return id;
}

static void
populate (TsuStore *hub,
          double    scale,
          char    **districts)
{
  static const char * const outcomes[] = { "met", "absent", "phone" };
  GRand *rand = g_rand_new_with_seed (39);
  guint n_households = (guint) (40000 * scale);
  g_autoptr(GError) error = NULL;
  g_autofree char *coordinator = NULL;

  if (!tsu_store_begin (hub, &error))
    g_error ("%s", error->message);

  for (guint i = 0; i < 39; i++)
    {
      g_autoptr(JsonObject) f = json_object_new ();
      g_autofree char *name = g_strdup_printf ("地区%02u", i + 1);

      json_object_set_string_member (f, "name", name);
      json_object_set_int_member (f, "sort_order", i);
      districts[i] = create (hub, "district", f);
    }
  districts[39] = NULL;
  {
    g_autoptr(JsonObject) f = json_object_new ();
    json_object_set_string_member (f, "name", "伊賀 花子");
    coordinator = create (hub, "coordinator", f);
  }

  for (guint h = 0; h < n_households; h++)
    {
      g_autoptr(JsonObject) f = json_object_new ();
      g_autofree char *address = g_strdup_printf ("伊賀市上野丸之内%u番地", h);
      g_autofree char *household = NULL;
      guint n_residents = h % 8 == 0 ? 1 : (h % 3 == 0 ? 3 : 2);   /* ≈ 85,000 per 40,000 */
      guint n_visits = 5;

      json_object_set_string_member (f, "district_id", districts[h % 39]);
      json_object_set_string_member (f, "address", address);
      json_object_set_double_member (f, "lat", 34.6 + g_rand_double (rand) * 0.3);
      json_object_set_double_member (f, "lon", 136.0 + g_rand_double (rand) * 0.3);
      json_object_set_string_member (f, "phone", "0595-21-0000");
      json_object_set_int_member (f, "visit_interval_days", 30);
      json_object_set_string_member (f, "consent", "yes");
      json_object_set_string_member (f, "coordinator_id", coordinator);
      household = create (hub, "household", f);

      for (guint r = 0; r < n_residents; r++)
        {
          g_autoptr(JsonObject) rf = json_object_new ();
          g_autofree char *id = NULL;

          json_object_set_string_member (rf, "household_id", household);
          json_object_set_string_member (rf, "name", r == 0 ? "伊賀 太郎" : "伊賀 花子");
          json_object_set_string_member (rf, "kana", r == 0 ? "いが たろう" : "いが はなこ");
          json_object_set_string_member (rf, "birth_date", "1942-04-01");
          json_object_set_int_member (rf, "position", r);
          id = create (hub, "resident", rf);
        }
      for (guint v = 0; v < n_visits; v++)
        {
          g_autoptr(JsonObject) vf = json_object_new ();
          g_autofree char *when = g_strdup_printf ("2025-%02u-%02uT10:%02u", 1 + v * 2, 1 + h % 28, h % 60);
          g_autofree char *id = NULL;

          json_object_set_string_member (vf, "household_id", household);
          json_object_set_string_member (vf, "visited_at", when);
          json_object_set_string_member (vf, "coordinator_id", coordinator);
          json_object_set_string_member (vf, "contact_type", "home");
          json_object_set_string_member (vf, "outcome", outcomes[g_rand_int_range (rand, 0, 3)]);
          json_object_set_string_member (vf, "note", "お元気そうでした。次回も訪問予定。");
          json_object_set_boolean_member (vf, "sensitive", FALSE);
          id = create (hub, "visit", vf);
        }
    }

  if (!tsu_store_commit (hub, &error))
    g_error ("%s", error->message);
  g_rand_free (rand);
}

/* Raw export: the same rows straight from SQLite to a file. */
static guint
raw_export (const char *db_path,
            const char *out_path)
{
  static const char * const tables[] = {
    "district", "coordinator", "category", "agency", "household", "resident", "visit", "followup",
  };
  sqlite3 *db;
  FILE *out = fopen (out_path, "w");
  guint rows = 0;

  sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL);
  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s", tables[t]);
      sqlite3_stmt *stmt;

      sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          int n = sqlite3_column_count (stmt);

          fputs (tables[t], out);
          for (int c = 0; c < n; c++)
            {
              const unsigned char *text = sqlite3_column_text (stmt, c);
              fprintf (out, "\t%s", text != NULL ? (const char *) text : "");
            }
          fputc ('\n', out);
          rows++;
        }
      sqlite3_finalize (stmt);
    }
  sqlite3_close (db);
  fclose (out);
  return rows;
}

typedef struct
{
  const char *table;
  int         n_columns;
  GPtrArray  *values;   /* sqlite3_value copies, n_columns per row */
} TableRows;

/* Raw import: the same rows, read into memory first, then inserted with
 * one prepared statement per table in one transaction. */
static double
raw_insert (const char *source_path,
            const char *empty_path,
            guint      *n_rows,
            double     *cpu)
{
  static const char * const tables[] = {
    "district", "coordinator", "category", "agency", "household", "resident", "visit", "followup",
  };
  TableRows loaded[G_N_ELEMENTS (tables)];
  sqlite3 *src, *dst;
  gint64 start;
  double elapsed;

  *n_rows = 0;
  sqlite3_open_v2 (source_path, &src, SQLITE_OPEN_READONLY, NULL);
  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s", tables[t]);
      sqlite3_stmt *stmt;

      loaded[t].table = tables[t];
      loaded[t].values = g_ptr_array_new_with_free_func ((GDestroyNotify) sqlite3_value_free);
      sqlite3_prepare_v2 (src, sql, -1, &stmt, NULL);
      loaded[t].n_columns = sqlite3_column_count (stmt);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        for (int c = 0; c < loaded[t].n_columns; c++)
          g_ptr_array_add (loaded[t].values, sqlite3_value_dup (sqlite3_column_value (stmt, c)));
      sqlite3_finalize (stmt);
    }
  sqlite3_close (src);

  sqlite3_open (empty_path, &dst);
  sqlite3_exec (dst, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON", NULL, NULL, NULL);
  start = g_get_monotonic_time ();
  *cpu = cpu_seconds ();
  sqlite3_exec (dst, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      g_autoptr(GString) sql = g_string_new (NULL);
      sqlite3_stmt *stmt;
      guint n_rows_t = loaded[t].values->len / MAX (loaded[t].n_columns, 1);

      g_string_append_printf (sql, "INSERT INTO %s VALUES (", tables[t]);
      for (int c = 0; c < loaded[t].n_columns; c++)
        g_string_append (sql, c == 0 ? "?" : ", ?");
      g_string_append (sql, ")");
      if (sqlite3_prepare_v2 (dst, sql->str, -1, &stmt, NULL) != SQLITE_OK)
        g_error ("%s", sqlite3_errmsg (dst));
      for (guint r = 0; r < n_rows_t; r++)
        {
          sqlite3_reset (stmt);
          for (int c = 0; c < loaded[t].n_columns; c++)
            sqlite3_bind_value (stmt, c + 1, loaded[t].values->pdata[r * loaded[t].n_columns + c]);
          if (sqlite3_step (stmt) != SQLITE_DONE)
            g_error ("%s", sqlite3_errmsg (dst));
          (*n_rows)++;
        }
      sqlite3_finalize (stmt);
    }
  sqlite3_exec (dst, "COMMIT", NULL, NULL, NULL);
  elapsed = seconds_since (start);
  *cpu = cpu_seconds () - *cpu;
  sqlite3_close (dst);

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    g_ptr_array_unref (loaded[t].values);
  return elapsed;
}

/* The figures of one measurement: wall and CPU seconds, the best (least
 * CPU) of the runs kept. */
typedef struct
{
  double wall;
  double cpu;
} Timing;

static void
keep_best (Timing *best,
           double  wall,
           double  cpu)
{
  if (best->cpu == 0 || cpu < best->cpu)
    {
      best->wall = wall;
      best->cpu = cpu;
    }
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
remove_file (const char *dir,
             const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
}

int
main (int   argc,
      char *argv[])
{
  double scale = 1.0;
  int runs = 1;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tsu-bench-sync-XXXXXX", &error);
  g_autofree char *hub_path = g_build_filename (dir, "hub.db", NULL);
  g_autofree char *laptop_path = g_build_filename (dir, "laptop.db", NULL);
  g_autofree char *empty_path = g_build_filename (dir, "empty.db", NULL);
  g_autofree char *cs_path = g_build_filename (dir, "changeset.json", NULL);
  g_autofree char *raw_path = g_build_filename (dir, "raw.txt", NULL);
  g_autofree char *device = NULL;
  g_autofree char *key_file = NULL;
  char *districts[40];
  TsuSyncCounts counts = { 0, };
  guint n_ops = 0, raw_rows = 0, insert_rows = 0, select_rows = 0;
  Timing export = { 0, }, raw_export_t = { 0, }, import = { 0, }, raw_insert_t = { 0, }, select = { 0, };
  double t_populate;
  long rss_before = 0, rss_after = 0;
  g_autoptr(GArray) export_ratios = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) import_ratios = g_array_new (FALSE, FALSE, sizeof (double));
  gint64 start;
  GStatBuf st;

  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--scale") && i + 1 < argc)
      scale = g_ascii_strtod (argv[++i], NULL);
    else if (g_str_equal (argv[i], "--runs") && i + 1 < argc)
      runs = atoi (argv[++i]);
  runs = MAX (runs, 1);

  {
    g_autoptr(TsuStore) hub = tsu_store_open (hub_path, &error);

    if (error != NULL)
      g_error ("%s", error->message);

    start = g_get_monotonic_time ();
    populate (hub, scale, districts);
    t_populate = seconds_since (start);
    printf ("populated the hub (scale %.2f) in %.1f s\n", scale, t_populate);

    key_file = tsu_hub_register_device (hub, "all districts", (const char * const *) districts, &device, &error);
    if (key_file == NULL)
      g_error ("%s", error->message);
  }

  /* Each run measures both sides one after the other, so that a busy
   * moment of the machine hits the pair; the best of each is kept. */
  for (int run = 0; run < runs; run++)
    {
      double wall, cpu;
      Timing this_export, this_raw_export, this_import, this_raw_insert;

      {
        g_autoptr(TsuStore) hub = tsu_store_open (hub_path, &error);

        if (hub == NULL)
          g_error ("%s", error->message);
        start = g_get_monotonic_time ();
        cpu = cpu_seconds ();
        if (!tsu_changeset_export_file (hub, device, cs_path, &n_ops, &error))
          g_error ("%s", error->message);
        this_export = (Timing) { seconds_since (start), cpu_seconds () - cpu };
        keep_best (&export, this_export.wall, this_export.cpu);

        /* The same rows with nothing written: the share of the export
         * that is the selection of the device's records in the store. */
        {
          g_autoptr(GPtrArray) left = g_ptr_array_new_with_free_func (g_free);
          gint64 hub_seq = 0;

          select_rows = 0;
          start = g_get_monotonic_time ();
          cpu = cpu_seconds ();
          if (!tsu_store_hub_foreach_for_device (hub, (const char * const *) districts, 0, NULL,
                                                 &hub_seq, left, count_row, &select_rows, &error))
            g_error ("%s", error->message);
          keep_best (&select, seconds_since (start), cpu_seconds () - cpu);
        }
      }

      start = g_get_monotonic_time ();
      cpu = cpu_seconds ();
      raw_rows = raw_export (hub_path, raw_path);
      this_raw_export = (Timing) { seconds_since (start), cpu_seconds () - cpu };
      keep_best (&raw_export_t, this_raw_export.wall, this_raw_export.cpu);

      /* A new laptop each run, registered with the same key file. */
      remove_file (dir, "laptop.db");
      {
        g_autoptr(TsuStore) laptop = tsu_store_open (laptop_path, &error);

        if (laptop == NULL || !tsu_sync_register_with_hub (laptop, key_file, strlen (key_file), &error))
          g_error ("%s", error->message);
        rss_before = MAX (rss_before, peak_rss_kb ());
        start = g_get_monotonic_time ();
        cpu = cpu_seconds ();
        if (!tsu_changeset_import_file (laptop, cs_path, &counts, &error))
          g_error ("%s", error->message);
        this_import = (Timing) { seconds_since (start), cpu_seconds () - cpu };
        keep_best (&import, this_import.wall, this_import.cpu);
        rss_after = MAX (rss_after, peak_rss_kb ());
      }

      remove_file (dir, "empty.db");
      {
        g_autoptr(TsuStore) empty = tsu_store_open (empty_path, &error);

        if (empty == NULL)
          g_error ("%s", error->message);
      }
      wall = raw_insert (hub_path, empty_path, &insert_rows, &cpu);
      this_raw_insert = (Timing) { wall, cpu };
      keep_best (&raw_insert_t, wall, cpu);

      {
        double e = 100.0 * (n_ops / this_export.cpu) / (raw_rows / this_raw_export.cpu);
        double i = 100.0 * (counts.operations / this_import.cpu) / (insert_rows / this_raw_insert.cpu);

        g_array_append_val (export_ratios, e);
        g_array_append_val (import_ratios, i);
      }
      if (runs > 1)
        printf ("run %d: export %.2f s / raw %.2f s: %.0f %%; import %.2f s / raw %.2f s: %.0f %% (cpu)\n", run + 1,
                this_export.cpu, this_raw_export.cpu,
                100.0 * (n_ops / this_export.cpu) / (raw_rows / this_raw_export.cpu),
                this_import.cpu, this_raw_insert.cpu,
                100.0 * (counts.operations / this_import.cpu) / (insert_rows / this_raw_insert.cpu));
    }

  g_stat (cs_path, &st);
  printf ("changeset: %u operations, %.1f MB\n", n_ops, st.st_size / 1e6);
  if (runs > 1)
    printf ("best of %d runs for each row:\n", runs);
  printf ("                   wall       ops/s (wall)   cpu       ops/s (cpu)\n");
#define ROW(label, t, n) printf ("%-18s %6.2f s  %10.0f   %6.2f s  %10.0f\n", label, (t).wall, (n) / (t).wall, (t).cpu, (n) / (t).cpu)
  ROW ("export", export, (double) n_ops);
  ROW (" of it selection", select, (double) select_rows);
  ROW ("raw select+write", raw_export_t, (double) raw_rows);
  ROW ("import", import, (double) counts.operations);
  ROW ("raw insert", raw_insert_t, (double) insert_rows);
#undef ROW
  printf ("export / raw select+write: %.0f %% wall, %.0f %% cpu (target ≥ 50 %%)\n",
          100.0 * (n_ops / export.wall) / (raw_rows / raw_export_t.wall),
          100.0 * (n_ops / export.cpu) / (raw_rows / raw_export_t.cpu));
  printf ("import / raw insert:       %.0f %% wall, %.0f %% cpu (target ≥ 30 %%)\n",
          100.0 * (counts.operations / import.wall) / (insert_rows / raw_insert_t.wall),
          100.0 * (counts.operations / import.cpu) / (insert_rows / raw_insert_t.cpu));
  if (runs > 1)
    {
      g_array_sort (export_ratios, compare_doubles);
      g_array_sort (import_ratios, compare_doubles);
      printf ("median of the %d runs' own ratios (cpu): export %.0f %%, import %.0f %%\n", runs,
              g_array_index (export_ratios, double, runs / 2), g_array_index (import_ratios, double, runs / 2));
    }
  printf ("peak RSS during import: %.0f MB (before: %.0f MB)\n", rss_after / 1024.0, rss_before / 1024.0);

  for (guint i = 0; i < 39; i++)
    g_free (districts[i]);
  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;

    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *p = g_build_filename (dir, name, NULL);
        g_unlink (p);
      }
    g_rmdir (dir);
  }
  return 0;
}
