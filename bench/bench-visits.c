/* bench-visits.c: the home-visit screens at Iga scale
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Measures, on a database of 40,000 households, 85,000 residents and
 * 200,000 visits (built once with ordinary store writes and kept next to
 * the program as bench-visits.db):
 *   - "new visit": from asking for the editor to its first frame on screen,
 *     ready for input;
 *   - "save": from pressing save to the household page showing the new
 *     visit (the page's "loaded" after the reload) and that frame drawn.
 * Baselines measured in the same run: an empty window to its first frame,
 * and loading one household's data without any widgets.
 *
 * Run: xvfb-run -a build/bench/bench-visits [--households N] [--runs N]
 */
#include "config.h"

#include <locale.h>
#include <time.h>
#include <glib/gstdio.h>

#include "tsu-household-page.h"
#include "tsu-store-visits.h"
#include "tsu-store-worklist.h"
#include "tsu-visits-date.h"
#include "tsu-visit-editor.h"

static int n_households = 40000;
static int n_runs = 30;
static char *db_path;

static void
set_category (TsuStore   *store,
              const char *kind,
              const char *code,
              const char *label,
              int         order)
{
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autofree char *id = NULL;

  json_object_set_string_member (fields, "kind", kind);
  json_object_set_string_member (fields, "code", code);
  json_object_set_string_member (fields, "label", label);
  json_object_set_int_member (fields, "sort_order", order);
  id = tsu_store_create (store, "category", fields, NULL);
}

static GPtrArray *
build_city (TsuStore *store)
{
  static const char * const contact[] = { "visit", "phone", "office", "accompany", "agency" };
  static const char * const outcome[] = { "met", "absent", "refused", "moved" };
  static const char * const family[] = { "伊賀", "福森", "中森", "山田", "松本", "田中", "岡本", "森" };
  static const char * const given[] = { "太郎", "花子", "茂", "トシ子", "一郎", "和子", "正", "幸子" };
  GPtrArray *households = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) districts = g_ptr_array_new_with_free_func (g_free);
  GRand *rand = g_rand_new_with_seed (2004);
  gint64 start = g_get_monotonic_time ();
  int residents = 0, visits = 0;

  tsu_store_begin (store, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (contact); i++)
    set_category (store, "contact_type", contact[i], contact[i], i);
  for (guint i = 0; i < G_N_ELEMENTS (outcome); i++)
    set_category (store, "outcome", outcome[i], outcome[i], i);
  for (int i = 0; i < 14; i++)
    {
      g_autofree char *code = g_strdup_printf ("c%02d", i + 1);
      set_category (store, "content", code, code, i);
    }
  for (int d = 0; d < 39; d++)
    {
      g_autoptr(JsonObject) fields = json_object_new ();
      g_autofree char *name = g_strdup_printf ("地区%02d", d + 1);

      json_object_set_string_member (fields, "name", name);
      g_ptr_array_add (districts, tsu_store_create (store, "district", fields, NULL));
    }
  tsu_store_commit (store, NULL);

  for (int h = 0; h < n_households; h++)
    {
      g_autoptr(JsonObject) fields = json_object_new ();
      g_autofree char *address = g_strdup_printf ("伊賀市上野%d番地%d", h / 40 + 1, h % 40 + 1);
      char *id;
      int n_res = h % 20 < 3 ? 1 : (h % 20 < 17 ? 2 : 3);  /* ≈ 2.1 per household */
      int n_vis = 5;

      if (h % 1000 == 0)
        tsu_store_begin (store, NULL);

      json_object_set_string_member (fields, "district_id", g_ptr_array_index (districts, h % 39));
      json_object_set_string_member (fields, "address", address);
      json_object_set_int_member (fields, "visit_interval_days", 30 * (1 + h % 3));
      json_object_set_string_member (fields, "status", "active");
      id = tsu_store_create (store, "household", fields, NULL);
      g_ptr_array_add (households, id);

      for (int r = 0; r < n_res; r++)
        {
          g_autoptr(JsonObject) res = json_object_new ();
          g_autofree char *name = g_strdup_printf ("%s %s", family[g_rand_int_range (rand, 0, 8)],
                                                   given[g_rand_int_range (rand, 0, 8)]);
          g_autofree char *birth = g_strdup_printf ("%04d-%02d-%02d", g_rand_int_range (rand, 1930, 2020),
                                                    g_rand_int_range (rand, 1, 13), g_rand_int_range (rand, 1, 29));
          g_autofree char *rid = NULL;

          json_object_set_string_member (res, "household_id", id);
          json_object_set_string_member (res, "name", name);
          json_object_set_string_member (res, "kana", "いが");
          json_object_set_string_member (res, "birth_date", birth);
          json_object_set_int_member (res, "position", r + 1);
          rid = tsu_store_create (store, "resident", res, NULL);
          residents++;
        }
      for (int v = 0; v < n_vis; v++)
        {
          g_autoptr(JsonObject) vis = json_object_new ();
          g_autofree char *at = g_strdup_printf ("%04d-%02d-%02dT%02d:%02d", g_rand_int_range (rand, 2021, 2026),
                                                 g_rand_int_range (rand, 1, 13), g_rand_int_range (rand, 1, 29),
                                                 g_rand_int_range (rand, 8, 18), g_rand_int_range (rand, 0, 60));
          g_autofree char *vid = NULL;

          json_object_set_string_member (vis, "household_id", id);
          json_object_set_string_member (vis, "visited_at", at);
          json_object_set_string_member (vis, "contact_type", contact[g_rand_int_range (rand, 0, 5)]);
          json_object_set_string_member (vis, "outcome", outcome[g_rand_int_range (rand, 0, 4)]);
          json_object_set_string_member (vis, "categories", "c01,c02");
          json_object_set_string_member (vis, "note", "体調は安定。次回は家族の同席を依頼。");
          vid = tsu_store_create (store, "visit", vis, NULL);
          visits++;
        }
      if (h % 1000 == 999 || h == n_households - 1)
        tsu_store_commit (store, NULL);
    }
  g_rand_free (rand);
  g_print ("built %d households, %d residents, %d visits in %.1f s\n",
           n_households, residents, visits, (g_get_monotonic_time () - start) / 1e6);
  return households;
}

static GPtrArray *
list_households (TsuStore *store)
{
  /* The benchmark picks households at random from the district lists. */
  g_autoptr(GPtrArray) names = tsu_store_list_names (store, "district", NULL);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  for (guint d = 0; names != NULL && d < names->len && ids->len < 2000; d++)
    {
      g_autoptr(GPtrArray) found = tsu_store_find_households (store, "", 2000, NULL);

      for (guint i = 0; found != NULL && i < found->len; i++)
        g_ptr_array_add (ids, g_strdup (json_object_get_string_member (g_ptr_array_index (found, i), "id")));
      break;
    }
  return ids;
}

/* Process CPU time (all threads) in µs: on a shared, loaded machine the
 * wall-clock figures include waiting for the CPU; this does not. */
static gint64
cpu_now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static gboolean painted;

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       data)
{
  painted = TRUE;
}

static void
wait_painted (GtkWidget *window)
{
  GdkFrameClock *clock;
  gulong id;

  painted = FALSE;
  clock = gtk_widget_get_frame_clock (window);
  while (clock == NULL)
    {
      g_main_context_iteration (NULL, TRUE);
      clock = gtk_widget_get_frame_clock (window);
    }
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), NULL);
  gtk_widget_queue_draw (window);
  while (!painted)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (clock, id);
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static void
report (const char *what,
        GArray     *ms,
        double      baseline)
{
  double median, p95;

  g_array_sort (ms, compare_double);
  median = g_array_index (ms, double, ms->len / 2);
  p95 = g_array_index (ms, double, MIN (ms->len - 1, (guint) (ms->len * 0.95)));
  g_print ("%-44s median %7.1f ms  p95 %7.1f ms", what, median, p95);
  if (baseline > 0)
    g_print ("  (%.1f× baseline)", median / baseline);
  g_print ("\n");
}

static gboolean loaded;
static gint64 loaded_at;

static void
on_loaded_cb (void)
{
  loaded = TRUE;
  loaded_at = g_get_monotonic_time ();
}

static gboolean saved;
static gint64 saved_at;

static void
on_saved_cb (void)
{
  saved = TRUE;
  saved_at = g_get_monotonic_time ();
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  GOptionEntry entries[] = {
    { "households", 0, 0, G_OPTION_ARG_INT, &n_households, "Households in a new database", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &n_runs, "Measurements of each kind", "N" },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, "Use this database (e.g. a demo city); visits are added to it", "PATH" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (argv[0]);
  g_autofree char *path = NULL;
  g_autoptr(TsuStore) store = NULL;
  g_autoptr(GPtrArray) households = NULL;
  g_autoptr(GArray) t_window = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) t_load = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) t_editor = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) t_save = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) t_committed = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) t_reloaded = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) t_built = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) c_window = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) c_editor = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) c_save = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) t_cold = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) c_cold = g_array_new (FALSE, FALSE, sizeof (double));
  GtkWidget *window;
  GtkWidget *page;
  GRand *rand = g_rand_new_with_seed (42);
  double base_window, base_load;
  gboolean fresh;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  gtk_init ();
  adw_init ();

  path = db_path != NULL ? g_strdup (db_path) : g_strdup_printf ("%s/bench-visits-%d.db", dir, n_households);
  fresh = !g_file_test (path, G_FILE_TEST_EXISTS);
  store = tsu_store_open (path, &error);
  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  if (fresh)
    households = build_city (store);
  else
    households = list_households (store);
  {
    g_autoptr(JsonObject) stats = tsu_store_get_stats (store, NULL);

    g_print ("database: %" G_GINT64_FORMAT " households, %" G_GINT64_FORMAT " residents, %"
             G_GINT64_FORMAT " visits\n",
             json_object_get_int_member (stats, "households"),
             json_object_get_int_member (stats, "residents"),
             json_object_get_int_member (stats, "visits"));
  }

  /* The work list of the whole city and of one district (not a < 100 ms
   * target: it is read in a worker when the view opens). */
  {
    GDate today;
    g_autoptr(GPtrArray) names = tsu_store_list_names (store, "district", NULL);
    const char *one = names != NULL && names->len > 0 ?
      json_object_get_string_member (g_ptr_array_index (names, 0), "id") : NULL;

    tsu_visits_date_today (&today);
    for (int pass = 0; pass < 2; pass++)
      {
        gint64 t0 = g_get_monotonic_time ();
        g_autoptr(GPtrArray) items = tsu_store_list_worklist (store, &today, pass == 0 ? NULL : one, NULL, NULL);

        g_print ("work list (%s): %u entries in %.1f ms\n", pass == 0 ? "whole city" : "one district",
                 items != NULL ? items->len : 0, (g_get_monotonic_time () - t0) / 1000.0);
      }
  }

  /* Baseline 1: an empty window to its first frame. */
  for (int i = 0; i < n_runs; i++)
    {
      gint64 t0 = g_get_monotonic_time ();
      gint64 c0 = cpu_now ();
      GtkWidget *w = gtk_window_new ();
      double ms;

      gtk_window_set_default_size (GTK_WINDOW (w), 620, 720);
      gtk_window_present (GTK_WINDOW (w));
      wait_painted (w);
      ms = (g_get_monotonic_time () - t0) / 1000.0;
      g_array_append_val (t_window, ms);
      ms = (cpu_now () - c0) / 1000.0;
      g_array_append_val (c_window, ms);
      gtk_window_destroy (GTK_WINDOW (w));
    }

  /* Baseline 2: one household's data, no widgets. */
  for (int i = 0; i < n_runs; i++)
    {
      const char *id = g_ptr_array_index (households, g_rand_int_range (rand, 0, households->len));
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr(TsuHouseholdDetail) detail = tsu_store_load_household (store, id, NULL);
      double ms = (g_get_monotonic_time () - t0) / 1000.0;

      g_assert (detail != NULL);
      g_array_append_val (t_load, ms);
    }

  window = adw_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 760);
  page = tsu_household_page_new (store);
  adw_window_set_content (ADW_WINDOW (window), page);
  g_signal_connect (page, "loaded", G_CALLBACK (on_loaded_cb), NULL);
  gtk_window_present (GTK_WINDOW (window));

  for (int i = 0; i < n_runs; i++)
    {
      const char *id = g_ptr_array_index (households, g_rand_int_range (rand, 0, households->len));
      TsuVisitEditor *editor;
      guint before;
      gint64 t0, c0;
      double ms;

      loaded = FALSE;
      tsu_household_page_set_household_id (TSU_HOUSEHOLD_PAGE (page), id);
      while (!loaded)
        g_main_context_iteration (NULL, TRUE);
      wait_painted (window);
      before = tsu_household_page_get_n_visits (TSU_HOUSEHOLD_PAGE (page));

      /* Cold: an editor built on demand (opened from the map or the work
       * list for a household that is not on screen). */
      {
        TsuVisitEditor *cold;

        t0 = g_get_monotonic_time ();
        c0 = cpu_now ();
        cold = tsu_visit_editor_open (page, store, id, NULL);
        wait_painted (GTK_WIDGET (cold));
        ms = (g_get_monotonic_time () - t0) / 1000.0;
        g_array_append_val (t_cold, ms);
        ms = (cpu_now () - c0) / 1000.0;
        g_array_append_val (c_cold, ms);
        gtk_widget_activate_action (GTK_WIDGET (cold), "editor.discard", NULL);
      }

      /* A coordinator reads the page for a moment before pressing Ctrl+N:
       * time for the page to prepare its editor. */
      {
        gint64 until = g_get_monotonic_time () + 800 * 1000;

        while (g_get_monotonic_time () < until)
          g_main_context_iteration (NULL, FALSE);
      }

      /* "New visit" (Ctrl+N) → the editor on screen, ready for input. */
      t0 = g_get_monotonic_time ();
      c0 = cpu_now ();
      editor = TSU_VISIT_EDITOR (tsu_household_page_new_visit (TSU_HOUSEHOLD_PAGE (page)));
      ms = (g_get_monotonic_time () - t0) / 1000.0;
      g_array_append_val (t_built, ms);
      wait_painted (GTK_WIDGET (editor));
      ms = (g_get_monotonic_time () - t0) / 1000.0;
      g_array_append_val (t_editor, ms);
      ms = (cpu_now () - c0) / 1000.0;
      g_array_append_val (c_editor, ms);

      /* "Save" → the page shows the new visit. */
      saved = loaded = FALSE;
      g_signal_connect (editor, "saved", G_CALLBACK (on_saved_cb), NULL);
      t0 = g_get_monotonic_time ();
      c0 = cpu_now ();
      tsu_visit_editor_save (editor);
      while (!saved || !loaded)
        g_main_context_iteration (NULL, TRUE);
      wait_painted (window);
      ms = (g_get_monotonic_time () - t0) / 1000.0;
      g_array_append_val (t_save, ms);
      ms = (cpu_now () - c0) / 1000.0;
      g_array_append_val (c_save, ms);
      ms = (saved_at - t0) / 1000.0;
      g_array_append_val (t_committed, ms);
      ms = (loaded_at - t0) / 1000.0;
      g_array_append_val (t_reloaded, ms);
      g_assert (tsu_household_page_get_n_visits (TSU_HOUSEHOLD_PAGE (page)) == before + 1);
    }

  base_window = 0;
  base_load = 0;
  report ("baseline: empty window to first frame", t_window, 0);
  report ("baseline: load one household (no widgets)", t_load, 0);
  g_array_sort (t_window, compare_double);
  g_array_sort (t_load, compare_double);
  base_window = g_array_index (t_window, double, t_window->len / 2);
  base_load = g_array_index (t_load, double, t_load->len / 2);
  report ("new visit → editor ready (first frame)", t_editor, base_window);
  report ("  of which: editor shown (before drawing)", t_built, 0);
  report ("cold: editor built on demand → ready", t_cold, base_window);
  report ("save → household page shows the visit", t_save, base_window);
  report ("  of which: save → committed (\"saved\")", t_committed, 0);
  report ("  of which: save → page reloaded (\"loaded\")", t_reloaded, 0);
  report ("CPU: empty window to first frame", c_window, 0);
  report ("CPU: new visit → editor ready", c_editor, 0);
  report ("CPU: cold editor → ready", c_cold, 0);
  report ("CPU: save → household page shows the visit", c_save, 0);
  g_print ("household load share of save: %.1f%%\n", 100.0 * base_load /
           g_array_index (t_save, double, t_save->len / 2));

  gtk_window_destroy (GTK_WINDOW (window));
  g_rand_free (rand);
  return 0;
}
