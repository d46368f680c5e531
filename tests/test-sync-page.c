/* test-sync-page.c: the sync page imports, shows a conflict, keeps a value
 * with one click, and exports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "sync-util.h"
#include "tsu-sync-page.h"

#include "test-widget-helpers.h"

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
idle_page (gpointer data)
{
  return !tsu_sync_page_is_busy (data);
}

static void
wait_idle (TsuSyncPage *page)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (20000, timeout_cb, &timed_out);

  /* Let queued work start before asking whether it is done. */
  for (int i = 0; i < 5; i++)
    g_main_context_iteration (NULL, FALSE);
  while (!idle_page (page) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
}

static void
save_screenshot (GtkWidget  *window,
                 const char *path)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width = gtk_widget_get_width (window);
  int height = gtk_widget_get_height (window);

  gboolean done = FALSE;

  /* Long enough for a frame or two: the label's new text is laid out then. */
  g_timeout_add (300, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    return;
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_texture_save_to_png (texture, path);
}

static void
test_page (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsuStore) hub = tsu_store_open (":memory:", &error);
  g_autoptr(TsuStore) laptop = tsu_store_open (":memory:", &error);
  g_autofree char *district = sync_util_make_record (hub, "district", "name", "上野東部", NULL);
  g_autofree char *household = sync_util_make_record (hub, "household", "district_id", district,
                                                      "address", "伊賀市上野丸之内1", NULL);
  const char *districts[] = { district, NULL };
  g_autofree char *device = sync_util_register (hub, laptop, "laptop", districts, NULL);
  g_autofree char *dir = sync_util_tmpdir ();
  g_autofree char *in_path = g_build_filename (dir, "from-hub.json", NULL);
  g_autofree char *out_path = g_build_filename (dir, "to-hub.json", NULL);
  g_autoptr(GFile) in_file = g_file_new_for_path (in_path);
  g_autoptr(GFile) out_file = g_file_new_for_path (out_path);
  g_autoptr(JsonObject) record = NULL;
  GtkWidget *window, *page, *keep, *summary_label;

  g_assert_no_error (error);
  tsu_store_set_actor (hub, "佐藤");
  tsu_store_set_actor (laptop, "山田");
  {
    g_autoptr(GBytes) first = sync_util_export (hub, device);
    sync_util_import (laptop, first, NULL, &error);
    g_assert_no_error (error);
  }
  /* The same note written on the laptop and, later, at the office. */
  sync_util_update (laptop, "household", household, "note", "鍵は裏口");
  g_usleep (2000);
  sync_util_update (hub, "household", household, "note", "鍵は玄関");
  tsu_changeset_export_file (hub, device, in_path, NULL, &error);
  g_assert_no_error (error);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  page = tsu_sync_page_new (laptop);
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  wait_idle (TSU_SYNC_PAGE (page));
  g_assert_cmpuint (tsu_sync_page_get_n_conflicts (TSU_SYNC_PAGE (page)), ==, 0);
  g_assert_nonnull (find_named (window, "export-button"));
  g_assert_nonnull (find_named (window, "import-button"));

  tsu_sync_page_import_from_file (TSU_SYNC_PAGE (page), in_file);
  wait_idle (TSU_SYNC_PAGE (page));
  g_assert_nonnull (tsu_sync_page_get_summary (TSU_SYNC_PAGE (page)));
  g_assert_nonnull (strstr (tsu_sync_page_get_summary (TSU_SYNC_PAGE (page)), "1 conflicts"));
  g_assert_cmpuint (tsu_sync_page_get_n_conflicts (TSU_SYNC_PAGE (page)), ==, 1);
  summary_label = find_named (window, "summary-label");
  g_assert_nonnull (summary_label);
  g_assert_false (gtk_widget_has_css_class (summary_label, "error"));

  /* The same file again: a designed no-op, said as such, not an error. */
  tsu_sync_page_import_from_file (TSU_SYNC_PAGE (page), in_file);
  wait_idle (TSU_SYNC_PAGE (page));
  g_assert_cmpstr (tsu_sync_page_get_summary (TSU_SYNC_PAGE (page)), ==,
                   "Already up to date: this file, or a newer one from the same sender, was imported before. Nothing needed to change.");
  g_assert_false (gtk_widget_has_css_class (summary_label, "error"));
  g_assert_cmpuint (tsu_sync_page_get_n_conflicts (TSU_SYNC_PAGE (page)), ==, 1);

  if (g_getenv ("TSU_SCREENSHOT") != NULL)
    save_screenshot (window, g_getenv ("TSU_SCREENSHOT"));

  /* A file that is not a changeset is an error. */
  {
    g_autofree char *bad_path = g_build_filename (dir, "not-a-changeset.json", NULL);
    g_autoptr(GFile) bad_file = g_file_new_for_path (bad_path);

    g_assert_true (g_file_set_contents (bad_path, "{\"format\":\"something else\"}", -1, NULL));
    tsu_sync_page_import_from_file (TSU_SYNC_PAGE (page), bad_file);
    wait_idle (TSU_SYNC_PAGE (page));
    g_assert_true (g_str_has_prefix (tsu_sync_page_get_summary (TSU_SYNC_PAGE (page)), "Nothing was imported."));
    g_assert_true (gtk_widget_has_css_class (summary_label, "error"));
  }

  /* One click keeps the laptop's value, as a new operation. */
  keep = find_named (window, "keep-local");
  g_assert_nonnull (keep);
  g_signal_emit_by_name (keep, "clicked");
  wait_idle (TSU_SYNC_PAGE (page));
  g_assert_cmpuint (tsu_sync_page_get_n_conflicts (TSU_SYNC_PAGE (page)), ==, 0);
  record = tsu_store_get_record (laptop, "household", household, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (record, "note"), ==, "鍵は裏口");

  tsu_sync_page_export_to_file (TSU_SYNC_PAGE (page), out_file);
  wait_idle (TSU_SYNC_PAGE (page));
  g_assert_true (g_str_has_prefix (tsu_sync_page_get_summary (TSU_SYNC_PAGE (page)), "Exported 2 changes"));
  g_assert_true (g_file_test (out_path, G_FILE_TEST_EXISTS));

  /* The sync folder: the hub's file is picked up, an export is written. */
  {
    g_autoptr(GSettings) settings = g_settings_new (APP_ID);
    g_autofree char *folder = g_build_filename (dir, "usb", NULL);
    g_autofree char *from_hub = g_build_filename (folder, "tsunagu-to-device-2.json", NULL);
    g_autoptr(GDir) listing = NULL;
    const char *name;
    gboolean exported = FALSE;

    g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
    sync_util_update (hub, "household", household, "phone", "0595-21-1234");
    tsu_changeset_export_file (hub, device, from_hub, NULL, &error);
    g_assert_no_error (error);
    g_settings_set_string (settings, "sync-folder", folder);
    tsu_sync_page_sync_folder (TSU_SYNC_PAGE (page));
    wait_idle (TSU_SYNC_PAGE (page));
    g_assert_true (g_str_has_prefix (tsu_sync_page_get_summary (TSU_SYNC_PAGE (page)), "Synced with the folder: 1 files read"));
    g_clear_pointer (&record, json_object_unref);
    record = tsu_store_get_record (laptop, "household", household, &error);
    g_assert_cmpstr (json_object_get_string_member (record, "phone"), ==, "0595-21-1234");
    listing = g_dir_open (folder, 0, NULL);
    while ((name = g_dir_read_name (listing)) != NULL)
      exported |= g_str_has_prefix (name, "tsunagu-to-hub-");
    g_assert_true (exported);

    /* The hub's file stays in the folder: the next sync reads it again as
     * a no-op, takes the newer one after it and still exports. */
    {
      g_autofree char *newer = g_build_filename (folder, "tsunagu-to-device-3.json", NULL);

      sync_util_update (hub, "household", household, "phone", "0595-21-5678");
      tsu_changeset_export_file (hub, device, newer, NULL, &error);
      g_assert_no_error (error);
      tsu_sync_page_sync_folder (TSU_SYNC_PAGE (page));
      wait_idle (TSU_SYNC_PAGE (page));
      g_assert_true (g_str_has_prefix (tsu_sync_page_get_summary (TSU_SYNC_PAGE (page)),
                                       "Synced with the folder: 1 files read"));
      g_assert_nonnull (strstr (tsu_sync_page_get_summary (TSU_SYNC_PAGE (page)), "1 files imported before"));
      g_assert_false (gtk_widget_has_css_class (summary_label, "error"));
      g_clear_pointer (&record, json_object_unref);
      record = tsu_store_get_record (laptop, "household", household, &error);
      g_assert_cmpstr (json_object_get_string_member (record, "phone"), ==, "0595-21-5678");
    }
    g_settings_set_string (settings, "sync-folder", "");
  }

  gtk_window_destroy (GTK_WINDOW (window));
  sync_util_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/sync-page/import-conflict-export", test_page);
  return g_test_run ();
}
