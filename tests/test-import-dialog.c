/* test-import-dialog.c: the household import dialog, start to finish
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <adwaita.h>

#include "tsu-import-dialog.h"
#include "tsu-resources.h"
#include "tsu-store-import.h"

static void
wait_for_page (TsuImportDialog *dialog,
               const char      *page)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (g_strcmp0 (tsu_import_dialog_get_page (dialog), page) != 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
activate (TsuImportDialog *dialog,
          const char      *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), action, NULL));
}

static void
count_changed (guint *n_changed)
{
  (*n_changed)++;
}

static gint64
households (TsuStore *store)
{
  g_autoptr(JsonObject) stats = tsu_store_get_stats (store, NULL);
  return json_object_get_int_member (stats, "households");
}

static void
test_import_dialog (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tsu-test-dialog-XXXXXX", &error);
  g_autofree char *db = g_build_filename (dir, "t.db", NULL);
  g_autofree char *csv = g_build_filename (dir, "世帯.csv", NULL);
  g_autofree char *towns_path = g_build_filename (g_getenv ("TSU_SHARED_DATA"), "iga-towns.json", NULL);
  g_autoptr(TsuStore) store = tsu_store_open (db, &error);
  g_autoptr(GFile) file = g_file_new_for_path (csv);
  g_autoptr(GFile) towns = g_file_new_for_path (towns_path);
  TsuImportDialog *dialog;
  g_autofree char *batch = NULL;
  guint n_changed = 0;

  g_assert_no_error (error);
  g_file_set_contents (csv,
                       "\xEF\xBB\xBF世帯主名,住所,生年月日\r\n"
                       "山田太郎,上野丸之内500,S15.3.2\r\n"
                       "伊賀花子,ゆめが丘9丁目1,不明\r\n"
                       ",阿保1,\r\n", -1, &error);
  g_assert_no_error (error);

  dialog = tsu_import_dialog_new (NULL, store);
  g_object_ref_sink (dialog);
  g_signal_connect_swapped (dialog, "changed", G_CALLBACK (count_changed), &n_changed);
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_cmpstr (tsu_import_dialog_get_page (dialog), ==, "choose");

  tsu_import_dialog_open_file (dialog, file);
  tsu_import_dialog_set_towns (dialog, towns);
  activate (dialog, "import.next");
  wait_for_page (dialog, "mapping");

  activate (dialog, "import.next");
  wait_for_page (dialog, "preview");
  /* The preview wrote nothing. */
  g_assert_cmpint (households (store), ==, 0);

  activate (dialog, "import.next");
  wait_for_page (dialog, "done");
  g_assert_nonnull (tsu_import_dialog_get_batch (dialog));
  batch = g_strdup (tsu_import_dialog_get_batch (dialog));
  g_assert_cmpint (households (store), ==, 2);
  g_assert_cmpuint (n_changed, ==, 1);

  /* The town list is remembered for next time. */
  {
    g_autofree char *remembered = tsu_store_get_import_setting (store, "towns_file");
    g_autoptr(GFile) remembered_file = g_file_new_for_path (remembered);
    g_assert_true (g_file_equal (remembered_file, towns));
  }

  activate (dialog, "import.undo");
  while (households (store) != 0)
    g_main_context_iteration (NULL, TRUE);
  wait_for_page (dialog, "done");
  while (n_changed < 2)
    g_main_context_iteration (NULL, TRUE);
  {
    g_autoptr(JsonObject) record = tsu_store_get_import_batch (store, batch, &error);
    g_assert_no_error (error);
    g_assert_false (json_object_get_null_member (record, "undone_at"));
  }

  gtk_window_destroy (GTK_WINDOW (dialog));
  g_clear_object (&dialog);
  g_clear_object (&store);
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
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* Links the compiled resources in (their constructor registers them). */
  g_assert_nonnull (tsu_get_resource ());

  g_test_add_func ("/import-dialog/import-and-undo", test_import_dialog);

  return g_test_run ();
}
