/* test-meeting-map-page.c: the meeting map page and the summary dialog
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "tsu-meeting-map-page.h"
#include "tsu-resources.h"
#include "tsu-summary-dialog.h"

static char *
add (TsuStore   *store,
     const char *table,
     JsonObject *fields)
{
  g_autoptr(GError) error = NULL;
  char *id = tsu_store_create (store, table, fields, &error);

  g_assert_no_error (error);
  json_object_unref (fields);
  return id;
}

static TsuStore *
make_store (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "ui.db", NULL);
  g_autoptr(GError) error = NULL;
  TsuStore *store = tsu_store_open (path, &error);
  g_autofree char *district = NULL;
  JsonObject *f;

  g_assert_no_error (error);
  f = json_object_new ();
  json_object_set_string_member (f, "name", "阿保");
  district = add (store, "district", f);
  for (int i = 0; i < 12; i++)
    {
      g_autofree char *id = NULL;
      g_autofree char *v = NULL;
      g_autofree char *address = g_strdup_printf ("伊賀市阿保%d", i);

      f = json_object_new ();
      json_object_set_string_member (f, "district_id", district);
      json_object_set_string_member (f, "address", address);
      json_object_set_string_member (f, "jichikai", i < 6 ? "東区" : "西区");
      json_object_set_double_member (f, "lat", 34.70 + (i < 6 ? 0 : 0.01) + i * 0.0002);
      json_object_set_double_member (f, "lon", 136.20 + (i < 6 ? 0 : 0.01));
      json_object_set_int_member (f, "flags", 1 << (i % 3));
      id = add (store, "household", f);
      if (i % 2 == 0)
        {
          g_autoptr(GDateTime) now = g_date_time_new_now_local ();
          g_autofree char *at = g_date_time_format (now, "%Y-%m-%dT00:00");

          f = json_object_new ();
          json_object_set_string_member (f, "household_id", id);
          json_object_set_string_member (f, "visited_at", at);
          json_object_set_string_member (f, "contact_type", "visit");
          json_object_set_string_member (f, "outcome", "met");
          v = add (store, "visit", f);
        }
    }
  return store;
}

static void
save_screenshot (GtkWidget  *widget,
                 const char *path)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);

  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, w, h));
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

static void
test_page_loads_map (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tsu-test-mmpage-XXXXXX", &error);
  g_autoptr(TsuStore) store = make_store (dir);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page = tsu_meeting_map_page_new ();
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  TsuMeetingMap *map;
  gint64 households = 0, visited = 0;

  g_assert_no_error (error);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 700);
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  tsu_meeting_map_page_set_store (TSU_MEETING_MAP_PAGE (page), store);
  g_assert_true (tsu_meeting_map_page_get_store (TSU_MEETING_MAP_PAGE (page)) == store);

  while (tsu_meeting_map_page_get_map (TSU_MEETING_MAP_PAGE (page)) == NULL &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  map = tsu_meeting_map_page_get_map (TSU_MEETING_MAP_PAGE (page));
  g_assert_nonnull (map);
  g_assert_cmpstr (tsu_meeting_map_get_district_name (map), ==, "阿保");
  tsu_meeting_map_get_totals (map, &households, &visited);
  g_assert_cmpint (households, ==, 12);
  g_assert_cmpint (visited, ==, 6);
  g_assert_cmpuint (tsu_meeting_map_get_areas (map)->len, ==, 2);

  /* Let the preview draw, then keep a picture if asked. */
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  if (g_getenv ("TSU_TEST_SCREENSHOT") != NULL)
    save_screenshot (window, g_getenv ("TSU_TEST_SCREENSHOT"));

  /* The print path: A4 landscape, one page, the district's name on it. */
  {
    g_autofree char *pdf = g_build_filename (dir, "print.pdf", NULL);
    g_autofree char *contents = NULL;
    gsize len;

    g_assert_true (tsu_meeting_map_page_export_print (TSU_MEETING_MAP_PAGE (page), pdf, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (pdf, &contents, &len, NULL));
    g_assert_cmpuint (len, >, 1000);
    g_assert_cmpmem (contents, 5, "%PDF-", 5);
    g_unlink (pdf);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&store);
  {
    const char *names[] = { "ui.db", "ui.db-wal", "ui.db-shm" };
    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autofree char *p = g_build_filename (dir, names[i], NULL);
        g_unlink (p);
      }
    g_rmdir (dir);
  }
}

static void
test_summary_dialog (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tsu-test-sumdlg-XXXXXX", &error);
  g_autoptr(TsuStore) store = make_store (dir);
  TsuSummaryDialog *dialog = tsu_summary_dialog_new (NULL, store);
  g_auto(GStrv) ids = NULL;

  gtk_window_present (GTK_WINDOW (dialog));
  for (int i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  /* Every district is ticked by default, which means "all". */
  ids = tsu_summary_dialog_dup_district_ids (dialog);
  g_assert_null (ids);
  if (g_getenv ("TSU_TEST_SCREENSHOT_DIALOG") != NULL)
    save_screenshot (GTK_WIDGET (dialog), g_getenv ("TSU_TEST_SCREENSHOT_DIALOG"));
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_clear_object (&store);
  {
    const char *names[] = { "ui.db", "ui.db-wal", "ui.db-shm" };
    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autofree char *p = g_build_filename (dir, names[i], NULL);
        g_unlink (p);
      }
    g_rmdir (dir);
  }
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* Referencing the bundle links it in from the static library, and its
   * constructor registers it. */
  g_assert_nonnull (tsu_get_resource ());

  g_test_add_func ("/meeting-map-page/loads-map", test_page_loads_map);
  g_test_add_func ("/summary-dialog/defaults", test_summary_dialog);
  return g_test_run ();
}
