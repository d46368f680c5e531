/* bench-store.c: opening a city database, listing households, searching
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-store DB [QUERIES]
 * DB is an existing database, e.g. made by `tsunagu-cli --db DB demo`.
 * Prints the time to open the store and load the household list (what the
 * window does at start), the search latency over realistic queries (median
 * and p95), and the peak RSS; next to the raw SQLite baseline of stepping
 * through every household sorted by address on the same file.
 */
#include "config.h"

#include <stdio.h>
#include <time.h>
#include <sys/resource.h>
#include <sqlite3.h>

#include "tsu-household.h"
#include "tsu-store-households.h"
#include "tsu-store.h"

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static double
raw_baseline_ms (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  double start = now_ms ();
  guint rows = 0;

  sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL);
  sqlite3_prepare_v2 (db, "SELECT id, address, phone, flags FROM household ORDER BY address", -1, &stmt, NULL);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    rows++;
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return now_ms () - start;
}

/* Realistic queries: what a coordinator types to find a household. */
static GPtrArray *
make_queries (GPtrArray *households,
              guint      n)
{
  GPtrArray *queries = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);

  for (guint i = 0; i < n && households->len > 0; i++)
    {
      TsuHousehold *household = households->pdata[g_rand_int_range (rand, 0, households->len)];
      const char *name = tsu_household_get_head_name (household);
      const char *kana = tsu_household_get_head_kana (household);
      const char *address = tsu_household_get_address (household);
      const char *phone = tsu_household_get_phone (household);
      char *query = NULL;

      switch (i % 6)
        {
        case 0: /* the first kanji of the family name */
          if (name != NULL)
            query = g_utf8_substring (name, 0, 1);
          break;
        case 1: /* the family name, usually two kanji */
          if (name != NULL)
            query = g_utf8_substring (name, 0, 2);
          break;
        case 2: /* three kana of the reading, in hiragana as typed */
          if (kana != NULL)
            query = g_utf8_substring (kana, 0, 3);
          break;
        case 3: /* part of the address */
          if (address != NULL && g_utf8_strlen (address, -1) > 6)
            query = g_utf8_substring (address, 3, 6);
          break;
        case 4: /* the last digits of the phone number */
          if (phone != NULL && strlen (phone) > 4)
            query = g_strdup (phone + strlen (phone) - 4);
          break;
        case 5: /* the full name */
          if (name != NULL)
            query = g_strdup (name);
          break;
        }
      if (query != NULL)
        g_ptr_array_add (queries, query);
    }
  return queries;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsuStore) store = NULL;
  g_autoptr(GPtrArray) households = NULL;
  g_autoptr(GPtrArray) queries = NULL;
  g_autoptr(GArray) latencies = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpu_latencies = g_array_new (FALSE, FALSE, sizeof (double));
  struct rusage usage;
  double start, cpu_start, open_ms, list_ms, list_cpu_ms, raw_ms, total_hits = 0;
  guint n_queries = argc > 2 ? (guint) atoi (argv[2]) : 300;

  if (argc < 2)
    {
      g_printerr ("Usage: %s DB [QUERIES]\n", argv[0]);
      return 2;
    }

  raw_ms = raw_baseline_ms (argv[1]);

  start = now_ms ();
  store = tsu_store_open (argv[1], &error);
  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  open_ms = now_ms () - start;

  start = now_ms ();
  cpu_start = cpu_ms ();
  households = tsu_store_list_households (store, NULL, &error);
  list_ms = now_ms () - start;
  list_cpu_ms = cpu_ms () - cpu_start;
  g_assert_no_error (error);

  queries = make_queries (households, n_queries);
  for (guint i = 0; i < queries->len; i++)
    {
      g_autoptr(GPtrArray) results = NULL;
      double t, c;

      start = now_ms ();
      cpu_start = cpu_ms ();
      results = tsu_store_search (store, queries->pdata[i], 50, &error);
      t = now_ms () - start;
      c = cpu_ms () - cpu_start;
      g_assert_no_error (error);
      total_hits += results->len;
      g_array_append_val (latencies, t);
      g_array_append_val (cpu_latencies, c);
      if (g_getenv ("TSU_BENCH_VERBOSE") != NULL)
        g_print ("query %-24s %3u results %7.2f ms CPU\n", (const char *) queries->pdata[i], results->len, c);
    }
  g_array_sort (latencies, compare_doubles);
  g_array_sort (cpu_latencies, compare_doubles);

  getrusage (RUSAGE_SELF, &usage);

  g_print ("households listed:        %u\n", households->len);
  g_print ("open store:               %.1f ms\n", open_ms);
  g_print ("load household list:      %.1f ms (%.1f ms of CPU)\n", list_ms, list_cpu_ms);
  g_print ("open + list:              %.1f ms (target < 300 ms)\n", open_ms + list_ms);
  g_print ("raw SQLite sorted scan:   %.1f ms (baseline; open + list is %.1fx)\n",
           raw_ms, (open_ms + list_ms) / raw_ms);
  if (latencies->len > 0)
    {
      g_print ("search queries:           %u (mean %.1f results)\n", latencies->len, total_hits / latencies->len);
      g_print ("search median:            %.2f ms\n", g_array_index (latencies, double, latencies->len / 2));
      g_print ("search p95:               %.2f ms (target < 10 ms)\n",
               g_array_index (latencies, double, (latencies->len * 95) / 100));
      g_print ("search max:               %.2f ms\n", g_array_index (latencies, double, latencies->len - 1));
      g_print ("search CPU median / p95:  %.2f / %.2f ms\n",
               g_array_index (cpu_latencies, double, cpu_latencies->len / 2),
               g_array_index (cpu_latencies, double, (cpu_latencies->len * 95) / 100));
    }
  g_print ("peak RSS:                 %.1f MB (target < 150 MB)\n", usage.ru_maxrss / 1024.0);
  return 0;
}
