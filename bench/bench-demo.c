/* bench-demo.c: how long the demo city takes to generate, and its size
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bench-demo [HOUSEHOLDS] [DIR]
 *
 * Generates a city of HOUSEHOLDS (default 40,000: Iga scale) into a new
 * database file, and as the baseline one a tenth of the size in the same
 * run, so that the ratio of the per-household costs shows whether the
 * generator (and the store's write path under it) scales linearly.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sys/resource.h>

#include "tsu-demo.h"

typedef struct
{
  double  wall;
  double  cpu;
  gint64  bytes;
  gint64  households;
  gint64  residents;
  gint64  visits;
  gint64  followups;
  gint64  operations;
} Run;

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
         usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

static gint64
file_size (const char *path)
{
  GStatBuf buf;

  return g_stat (path, &buf) == 0 ? (gint64) buf.st_size : 0;
}

static Run
run (const char *dir,
     guint       households)
{
  g_autofree char *name = g_strdup_printf ("demo-%u.db", households);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) stats = NULL;
  TsuDemoOptions options;
  TsuStore *store;
  Run result = { 0 };
  gint64 start;
  double cpu;

  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);

  tsu_demo_options_init (&options, TSU_DEMO_SIZE_IGA);
  options.households = households;

  store = tsu_store_open (path, &error);
  if (store == NULL)
    g_error ("%s", error->message);

  start = g_get_monotonic_time ();
  cpu = cpu_seconds ();
  if (!tsu_demo_generate (store, &options, NULL, NULL, NULL, &error))
    g_error ("%s", error->message);
  result.wall = (g_get_monotonic_time () - start) / 1e6;
  result.cpu = cpu_seconds () - cpu;

  stats = tsu_store_get_stats (store, &error);
  result.households = json_object_get_int_member (stats, "households");
  result.residents = json_object_get_int_member (stats, "residents");
  result.visits = json_object_get_int_member (stats, "visits");
  result.followups = json_object_get_int_member (stats, "followups");
  result.operations = json_object_get_int_member (stats, "operations");
  g_object_unref (store);   /* checkpoints the WAL into the file */
  result.bytes = file_size (path) + file_size (wal);

  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  return result;
}

static void
print_run (const char *label,
           const Run  *r)
{
  g_print ("%-9s %7" G_GINT64_FORMAT " households %7" G_GINT64_FORMAT " residents %8" G_GINT64_FORMAT
           " visits %7" G_GINT64_FORMAT " follow-ups\n",
           label, r->households, r->residents, r->visits, r->followups);
  g_print ("%-9s %.1f s wall, %.1f s CPU, %.0f operations/s, %.1f MB (%.1f kB per household)\n",
           "", r->wall, r->cpu, r->operations / r->wall, r->bytes / 1e6,
           r->bytes / 1e3 / MAX (1, r->households));
}

int
main (int   argc,
      char *argv[])
{
  guint households = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : TSU_DEMO_DEFAULT_HOUSEHOLDS;
  g_autofree char *dir = argc > 2 ? g_strdup (argv[2]) : g_dir_make_tmp ("tsu-bench-demo-XXXXXX", NULL);
  Run baseline, full;
  struct rusage usage;

  if (households < 10 || dir == NULL)
    {
      g_printerr ("usage: bench-demo [HOUSEHOLDS ≥ 10] [DIR]\n");
      return 2;
    }

  baseline = run (dir, households / 10);
  full = run (dir, households);
  if (argc <= 2)
    g_rmdir (dir);

  print_run ("baseline", &baseline);
  print_run ("full", &full);
  g_print ("per-household wall time, full / baseline: %.2f (1.00 = linear)\n",
           (full.wall / full.households) / (baseline.wall / baseline.households));
  getrusage (RUSAGE_SELF, &usage);
  g_print ("peak RSS: %.0f MB\n", usage.ru_maxrss / 1024.0);
  return 0;
}
