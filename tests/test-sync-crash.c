/* test-sync-crash.c: an import killed at a random point leaves the
 * database exactly before or exactly after, and intact
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "sync-util.h"

static void
copy_file (const char *from,
           const char *to)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;
  g_autofree char *wal = g_strconcat (to, "-wal", NULL);
  g_autofree char *shm = g_strconcat (to, "-shm", NULL);

  g_unlink (wal);
  g_unlink (shm);
  g_file_get_contents (from, &contents, &length, &error);
  g_assert_no_error (error);
  g_file_set_contents (to, contents, (gssize) length, &error);
  g_assert_no_error (error);
}

static char *
integrity (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *result = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    result = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return result;
}

static char *
dump_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsuStore) store = tsu_store_open (path, &error);

  g_assert_no_error (error);
  return sync_util_dump (store, NULL);
}

static void
test_kill_during_import (void)
{
  g_autofree char *dir = sync_util_tmpdir ();
  g_autofree char *hub_path = g_build_filename (dir, "hub.db", NULL);
  g_autofree char *work_path = g_build_filename (dir, "work.db", NULL);
  g_autofree char *before_path = g_build_filename (dir, "before.db", NULL);
  g_autofree char *changeset_path = g_build_filename (dir, "changeset.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  gint64 import_us;
  guint n_before = 0, n_after = 0;
  guint n_runs = g_strcmp0 (g_getenv ("TSU_SOAK"), "1") == 0 ? 200 : 20;

  /* A hub, and a laptop with a few thousand new records for it. */
  {
    g_autoptr(TsuStore) hub = tsu_store_open (hub_path, &error);
    g_autoptr(TsuStore) laptop = tsu_store_open (":memory:", &error);
    g_autofree char *district = NULL;
    g_autofree char *device = NULL;
    const char *districts[2] = { NULL, NULL };
    g_autoptr(GBytes) first = NULL;
    g_autoptr(GBytes) changeset = NULL;

    g_assert_no_error (error);
    district = sync_util_make_record (hub, "district", "name", "島ヶ原", NULL);
    districts[0] = district;
    device = sync_util_register (hub, laptop, "laptop", districts, NULL);
    first = sync_util_export (hub, device);
    sync_util_import (laptop, first, NULL, &error);
    g_assert_no_error (error);

    tsu_store_begin (laptop, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < 600; i++)
      {
        g_autofree char *address = g_strdup_printf ("伊賀市島ヶ原%u", i);
        g_autofree char *h = sync_util_make_record (laptop, "household", "district_id", district,
                                                    "address", address, NULL);
        g_autofree char *r = sync_util_make_record (laptop, "resident", "household_id", h,
                                                    "name", "島 太郎", NULL);

        for (guint v = 0; v < 3; v++)
          {
            g_autofree char *visit = sync_util_make_record (laptop, "visit", "household_id", h,
                                                            "visited_at", "2026-10-01T10:00",
                                                            "contact_type", "home", "outcome", "met", NULL);
          }
      }
    tsu_store_commit (laptop, &error);
    g_assert_no_error (error);

    changeset = sync_util_export (laptop, NULL);
    g_file_set_contents (changeset_path, g_bytes_get_data (changeset, NULL),
                         (gssize) g_bytes_get_size (changeset), &error);
    g_assert_no_error (error);
  }
  /* Closed: the WAL is checkpointed into the file. */
  copy_file (hub_path, before_path);
  before = dump_file (before_path);

  /* The state after a complete import, and how long one takes. */
  copy_file (before_path, work_path);
  {
    g_autoptr(TsuStore) store = tsu_store_open (work_path, &error);
    gint64 start = g_get_monotonic_time ();

    g_assert_no_error (error);
    tsu_changeset_import_file (store, changeset_path, NULL, &error);
    g_assert_no_error (error);
    import_us = g_get_monotonic_time () - start;
    after = sync_util_dump (store, NULL);
  }
  g_assert_cmpstr (before, !=, after);
  g_test_message ("one import takes %" G_GINT64_FORMAT " ms", import_us / 1000);

  for (guint run = 0; run < n_runs; run++)
    {
      g_autofree char *check = NULL;
      g_autofree char *state = NULL;
      gint64 delay = g_rand_int_range (rand, 0, (gint32) (import_us * 12 / 10 + 20000));
      pid_t pid;
      int status;

      copy_file (before_path, work_path);
      pid = fork ();
      g_assert_cmpint (pid, >=, 0);
      if (pid == 0)
        {
          TsuStore *store = tsu_store_open (work_path, NULL);

          if (store == NULL || !tsu_changeset_import_file (store, changeset_path, NULL, NULL))
            _exit (1);
          _exit (0);
        }
      g_usleep (delay);
      kill (pid, SIGKILL);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_assert_true ((WIFEXITED (status) && WEXITSTATUS (status) == 0) ||
                     (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL));

      check = integrity (work_path);
      g_assert_cmpstr (check, ==, "ok");
      state = dump_file (work_path);
      if (g_str_equal (state, before))
        n_before++;
      else if (g_str_equal (state, after))
        n_after++;
      else
        g_error ("run %u (killed after %" G_GINT64_FORMAT " µs): the database is neither before nor after", run, delay);
    }

  g_test_message ("%u runs: %u left before, %u after", n_runs, n_before, n_after);
  g_assert_cmpuint (n_before + n_after, ==, n_runs);
  g_assert_cmpuint (n_before, >, 0);

  sync_util_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sync/kill-during-import", test_kill_during_import);
  return g_test_run ();
}
