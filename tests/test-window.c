/* test-window.c: the main window on a small real database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "tsu-store.h"
#include "tsu-history-dialog.h"
#include "tsu-window.h"

#include "test-widget-helpers.h"

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Spins the main loop until the condition holds or 10 s pass. */
static gboolean
wait_for (gboolean (*condition) (gpointer), gpointer data)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (10000, timeout_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return !timed_out;
}

static guint
list_items (GtkWidget *window,
            const char *name)
{
  GtkListView *list = GTK_LIST_VIEW (find_named (window, name));
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (list));

  return g_list_model_get_n_items (model);
}

static gboolean
main_visible (gpointer data)
{
  GtkStack *stack = GTK_STACK (find_named (data, "main-stack"));

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), "main") == 0;
}

static gboolean
main_allocated (gpointer data)
{
  return main_visible (data) && gtk_widget_get_width (find_named (data, "main-stack")) > 0;
}

static gboolean
households_listed (gpointer data)
{
  return list_items (data, "household-list") == 3;
}

static gboolean
one_search_result (gpointer data)
{
  return list_items (data, "household-list") == 1;
}

static gboolean
detail_visible (gpointer data)
{
  GtkStack *stack = GTK_STACK (find_named (data, "detail-stack"));

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), "detail") == 0;
}

static gboolean
error_visible (gpointer data)
{
  GtkStack *stack = GTK_STACK (find_named (data, "main-stack"));

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), "error") == 0;
}

static char *
make_database (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tsu-test-window-XXXXXX", NULL);
  char *path = g_build_filename (dir, "city.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TsuStore) store = tsu_store_open (path, &error);
  const char *names[][3] = {
    { "伊賀市上野丸之内500", "山田 太郎", "ヤマダ タロウ" },
    { "伊賀市阿保1234", "中森 正", "ナカモリ タダシ" },
    { "伊賀市柘植町1", "福森 花子", "フクモリ ハナコ" },
  };
  g_autofree char *district = NULL;

  g_assert_no_error (error);
  {
    g_autoptr(JsonObject) fields = json_object_new ();

    json_object_set_string_member (fields, "name", "上野南部");
    district = tsu_store_create (store, "district", fields, &error);
    g_assert_no_error (error);
  }

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(JsonObject) household = json_object_new ();
      g_autoptr(JsonObject) resident = json_object_new ();
      g_autofree char *id = NULL;
      g_autofree char *resident_id = NULL;

      json_object_set_string_member (household, "address", names[i][0]);
      json_object_set_string_member (household, "district_id", district);
      id = tsu_store_create (store, "household", household, &error);
      g_assert_no_error (error);
      json_object_set_string_member (resident, "household_id", id);
      json_object_set_string_member (resident, "name", names[i][1]);
      json_object_set_string_member (resident, "kana", names[i][2]);
      resident_id = tsu_store_create (store, "resident", resident, &error);
      g_assert_no_error (error);
    }
  return path;
}

static void
test_window_lists_and_searches (void)
{
  g_autofree char *path = make_database ();
  GtkWidget *window = g_object_new (TSU_TYPE_WINDOW, NULL);
  GtkWidget *search;

  g_object_ref_sink (window);
  tsu_window_open_database (TSU_WINDOW (window), path, FALSE);
  gtk_window_present (GTK_WINDOW (window));

  g_assert_true (wait_for (main_visible, window));
  g_assert_true (wait_for (households_listed, window));
  /* "All districts" and the one district. */
  g_assert_cmpuint (list_items (window, "district-list"), ==, 2);

  search = find_named (window, "search-entry");
  gtk_editable_set_text (GTK_EDITABLE (search), "なかもり");
  g_assert_true (wait_for (one_search_result, window));

  /* Enter in the search entry opens the best match. */
  g_signal_emit_by_name (search, "activate");
  g_assert_true (wait_for (detail_visible, window));

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
}

/* A laptop window of 1000 px shows the districts beside the content:
 * no page may need so much width that the window folds to one pane. */
static void
test_window_unfolded_at_1000 (void)
{
  g_autofree char *path = make_database ();
  g_autoptr(GPtrArray) leaflets = g_ptr_array_new ();
  GtkWidget *window = g_object_new (TSU_TYPE_WINDOW, NULL);

  g_object_ref_sink (window);
  tsu_window_open_database (TSU_WINDOW (window), path, FALSE);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_for (main_allocated, window));

  /* The first leaflet found is the outer one: districts | content. */
  collect_type (window, ADW_TYPE_LEAFLET, leaflets);
  g_assert_cmpuint (leaflets->len, >, 0);
  /* 1000 px less the shadow around a client-side decorated window. */
  g_assert_cmpint (gtk_widget_get_width (window), <=, 1000);
  g_assert_cmpint (gtk_widget_get_width (window), >=, 960);
  g_assert_false (adw_leaflet_get_folded (g_ptr_array_index (leaflets, 0)));

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
}

static void
test_window_bad_database (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tsu-test-window-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "broken.db", NULL);
  GtkWidget *window = g_object_new (TSU_TYPE_WINDOW, NULL);

  g_assert_true (g_file_set_contents (path, "not a database", -1, NULL));
  g_object_ref_sink (window);
  tsu_window_open_database (TSU_WINDOW (window), path, FALSE);
  gtk_window_present (GTK_WINDOW (window));

  g_assert_true (wait_for (error_visible, window));

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  g_unlink (path);
  g_rmdir (dir);
}

static gboolean
history_loaded (gpointer data)
{
  return tsu_history_dialog_get_n_rows (data) > 0;
}

/* The audit viewer shows every operation on the household and its members. */
static void
test_history_dialog (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsuStore) store = tsu_store_open (":memory:", &error);
  g_autoptr(JsonObject) household = json_object_new ();
  g_autoptr(JsonObject) resident = json_object_new ();
  g_autoptr(JsonObject) edit = json_object_new ();
  g_autofree char *id = NULL;
  g_autofree char *resident_id = NULL;
  TsuHistoryDialog *dialog;

  g_assert_no_error (error);
  tsu_store_set_actor (store, "相談員A");
  json_object_set_string_member (household, "address", "伊賀市阿保1");
  id = tsu_store_create (store, "household", household, &error);
  json_object_set_string_member (resident, "household_id", id);
  json_object_set_string_member (resident, "name", "中森 正");
  resident_id = tsu_store_create (store, "resident", resident, &error);
  json_object_set_string_member (edit, "phone", "0595-52-0000");
  g_assert_true (tsu_store_update (store, "household", id, edit, &error));
  g_assert_no_error (error);

  dialog = tsu_history_dialog_new (NULL, store, id);
  g_object_ref_sink (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (wait_for (history_loaded, dialog));
  g_assert_cmpuint (tsu_history_dialog_get_n_rows (dialog), ==, 3);

  gtk_window_destroy (GTK_WINDOW (dialog));
  g_object_unref (dialog);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/window/lists-and-searches", test_window_lists_and_searches);
  g_test_add_func ("/window/bad-database", test_window_bad_database);
  g_test_add_func ("/window/unfolded-at-1000", test_window_unfolded_at_1000);
  g_test_add_func ("/window/history-dialog", test_history_dialog);

  return g_test_run ();
}
