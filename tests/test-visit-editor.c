/* test-visit-editor.c: driving the visit editor, the household page and the
 * work list page, and checking what reached the database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "test-visit-helpers.h"
#include "test-visit-ui-helpers.h"
#include "tsu-household-page.h"
#include "tsu-store-visits.h"
#include "tsu-visit-editor.h"
#include "tsu-worklist-page.h"
#include "tsu-worklist.h"

typedef struct
{
  VisitFixture base;
  char        *household;
} UiFixture;

static void
ui_fixture_setup (UiFixture     *fixture,
                  gconstpointer  data)
{
  visit_fixture_setup (&fixture->base, data);
  make_reference_data (fixture->base.store);
  fixture->household = make_record (fixture->base.store, "household", "address", "伊賀市上野丸之内500",
                                    "visit_interval_days", "30", NULL);
  g_free (make_record (fixture->base.store, "resident", "household_id", fixture->household,
                       "name", "伊賀 太郎", "kana", "いが たろう", "birth_date", "1944-02-29", NULL));
}

static void
ui_fixture_teardown (UiFixture     *fixture,
                     gconstpointer  data)
{
  g_free (fixture->household);
  visit_fixture_teardown (&fixture->base, data);
}

static void
set_text (GtkWidget  *root,
          const char *name,
          const char *text)
{
  GtkWidget *widget = find_named (root, name);

  g_assert_nonnull (widget);
  gtk_editable_set_text (GTK_EDITABLE (widget), text);
}

static const char *
get_text (GtkWidget  *root,
          const char *name)
{
  GtkWidget *widget = find_named (root, name);

  g_assert_nonnull (widget);
  return gtk_editable_get_text (GTK_EDITABLE (widget));
}

static void
select_row (GtkWidget  *root,
            const char *name,
            guint       position)
{
  GtkWidget *widget = find_named (root, name);

  g_assert_true (ADW_IS_COMBO_ROW (widget));
  adw_combo_row_set_selected (ADW_COMBO_ROW (widget), position);
}

static void
set_note (GtkWidget  *root,
          const char *text)
{
  GtkWidget *view = find_named (root, "note");

  g_assert_true (GTK_IS_TEXT_VIEW (view));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), text, -1);
}

static GtkCheckButton *
category_check (GtkWidget *root,
                guint      index)
{
  g_autoptr(GPtrArray) checks = g_ptr_array_new ();

  collect_type (find_named (root, "categories"), GTK_TYPE_CHECK_BUTTON, checks);
  g_assert_cmpuint (checks->len, ==, 3);
  return g_ptr_array_index (checks, index);
}

static void
test_editor_saves (UiFixture     *fixture,
                   gconstpointer  data)
{
  TsuStore *store = fixture->base.store;
  TsuVisitEditor *editor = tsu_visit_editor_new (store, fixture->household, NULL);
  GtkWidget *root = GTK_WIDGET (editor);
  g_autoptr(GPtrArray) visits = NULL;
  g_autoptr(GPtrArray) followups = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  gboolean saved = FALSE;
  TsuVisit *visit;

  g_object_ref_sink (editor);
  gtk_window_present (GTK_WINDOW (editor));

  /* Opens with today's date. */
  g_assert_cmpstr (get_text (root, "date"), ==, today);

  set_text (root, "date", "2024-02-29");
  set_text (root, "time", "9:15");
  select_row (root, "contact-type", 1);
  select_row (root, "outcome", 1);
  select_row (root, "support-area", 1);
  gtk_check_button_set_active (category_check (root, 0), TRUE);
  gtk_check_button_set_active (category_check (root, 2), TRUE);
  set_note (root, "娘さんと同居の話。<次回> & 介護保険の申請");
  /* The quick choice counts from the visit date: a week from the leap day. */
  select_row (root, "follow-up-choice", 1);
  g_assert_cmpstr (get_text (root, "follow-up-date"), ==, "2024-03-07");
  select_row (root, "follow-up-choice", 3);
  g_assert_cmpstr (get_text (root, "follow-up-date"), ==, "2024-03-29");
  gtk_switch_set_active (GTK_SWITCH (find_named (root, "sensitive")), TRUE);

  g_signal_connect (editor, "saved", G_CALLBACK (set_flag_string_cb), &saved);
  g_assert_true (gtk_widget_activate_action (root, "editor.save", NULL));
  wait_for (&saved);

  visits = tsu_store_list_visits (store, fixture->household, NULL);
  g_assert_cmpuint (visits->len, ==, 1);
  visit = g_ptr_array_index (visits, 0);
  g_assert_cmpstr (tsu_visit_get_visited_at (visit), ==, "2024-02-29T09:15");
  g_assert_cmpstr (tsu_visit_get_contact_type (visit), ==, "phone");
  g_assert_cmpstr (tsu_visit_get_outcome (visit), ==, "absent");
  /* Index 0 of the support area is "not set". */
  g_assert_cmpstr (tsu_visit_get_support_area (visit), ==, "elderly");
  g_assert_cmpstr (tsu_visit_get_categories (visit), ==, "c01,c03");
  g_assert_cmpstr (tsu_visit_get_note (visit), ==, "娘さんと同居の話。<次回> & 介護保険の申請");
  g_assert_cmpstr (tsu_visit_get_next_follow_up (visit), ==, "2024-03-29");
  g_assert_true (tsu_visit_get_sensitive (visit));

  followups = tsu_store_list_followups (store, fixture->household, TRUE, NULL);
  g_assert_cmpuint (followups->len, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (followups, 0), "due_date"),
                   ==, "2024-03-29");

  /* The editor closed itself after the save. */
  g_assert_false (gtk_widget_get_visible (root));
  g_object_unref (editor);
}

static void
test_editor_rejects (UiFixture     *fixture,
                     gconstpointer  data)
{
  TsuStore *store = fixture->base.store;
  TsuVisitEditor *editor = tsu_visit_editor_new (store, fixture->household, NULL);
  GtkWidget *root = GTK_WIDGET (editor);
  g_autoptr(GPtrArray) visits = NULL;

  g_object_ref_sink (editor);
  gtk_window_present (GTK_WINDOW (editor));

  set_text (root, "date", "2024-02-29");
  set_text (root, "follow-up-date", "2024-02-01");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (find_named (root, "follow-up-choice"))),
                    ==, 5 /* custom */);
  g_assert_true (gtk_widget_activate_action (root, "editor.save", NULL));
  /* Validation runs before anything is written: nothing stored, the field
   * is marked, the editor stays open. */
  for (int i = 0; i < 10; i++)
    g_main_context_iteration (NULL, FALSE);
  visits = tsu_store_list_visits (store, fixture->household, NULL);
  g_assert_cmpuint (visits->len, ==, 0);
  g_assert_true (gtk_widget_has_css_class (find_named (root, "follow-up-date"), "error"));
  g_assert_true (gtk_widget_get_visible (root));

  /* A date in the future marks the date. */
  set_text (root, "follow-up-date", "");
  set_text (root, "date", "2999-01-01");
  g_assert_true (gtk_widget_activate_action (root, "editor.save", NULL));
  g_assert_true (gtk_widget_has_css_class (find_named (root, "date"), "error"));
  g_assert_false (gtk_widget_has_css_class (find_named (root, "follow-up-date"), "error"));
  g_clear_pointer (&visits, g_ptr_array_unref);
  visits = tsu_store_list_visits (store, fixture->household, NULL);
  g_assert_cmpuint (visits->len, ==, 0);

  g_assert_true (gtk_widget_activate_action (root, "editor.discard", NULL));
  g_object_unref (editor);
}

static void
test_editor_draft (UiFixture     *fixture,
                   gconstpointer  data)
{
  TsuStore *store = fixture->base.store;
  TsuVisitEditor *editor = tsu_visit_editor_new (store, fixture->household, NULL);
  GtkWidget *root;
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  g_autofree char *note = NULL;
  g_autofree char *draft_dir = g_build_filename (fixture->base.dir, "visit-drafts", NULL);

  gtk_window_present (GTK_WINDOW (editor));
  set_note (GTK_WIDGET (editor), "途中まで書いたメモ");
  select_row (GTK_WIDGET (editor), "outcome", 1);
  /* Closing the window (not Cancel) keeps the draft. */
  gtk_window_close (GTK_WINDOW (editor));
  g_assert_true (g_file_test (draft_dir, G_FILE_TEST_IS_DIR));

  editor = tsu_visit_editor_new (store, fixture->household, NULL);
  root = GTK_WIDGET (editor);
  gtk_window_present (GTK_WINDOW (editor));
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (find_named (root, "note")));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  note = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_cmpstr (note, ==, "途中まで書いたメモ");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (find_named (root, "outcome"))), ==, 1);

  /* Cancel drops it. */
  g_assert_true (gtk_widget_activate_action (root, "editor.discard", NULL));
  editor = tsu_visit_editor_new (store, fixture->household, NULL);
  root = GTK_WIDGET (editor);
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (find_named (root, "note")));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  g_free (note);
  note = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_cmpstr (note, ==, "");
  gtk_window_destroy (GTK_WINDOW (editor));
}

static void
test_household_page (UiFixture     *fixture,
                     gconstpointer  data)
{
  TsuStore *store = fixture->base.store;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page = tsu_household_page_new (store);
  GtkWindow *editor;
  gboolean loaded = FALSE;
  gboolean saved = FALSE;
  g_autofree char *visit = make_record (store, "visit", "household_id", fixture->household,
                                        "visited_at", "2024-01-10T10:00", "contact_type", "visit",
                                        "outcome", "met", NULL);

  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  g_signal_connect (page, "loaded", G_CALLBACK (set_flag_cb), &loaded);
  tsu_household_page_set_household_id (TSU_HOUSEHOLD_PAGE (page), fixture->household);
  wait_for (&loaded);
  g_assert_cmpuint (tsu_household_page_get_n_visits (TSU_HOUSEHOLD_PAGE (page)), ==, 1);

  /* Ctrl+N's action opens the editor; its save shows up on the page. */
  editor = tsu_household_page_new_visit (TSU_HOUSEHOLD_PAGE (page));
  g_assert_nonnull (editor);
  g_signal_connect (page, "visit-saved", G_CALLBACK (set_flag_string_cb), &saved);
  loaded = FALSE;
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  wait_for (&saved);
  wait_for (&loaded);
  g_assert_cmpuint (tsu_household_page_get_n_visits (TSU_HOUSEHOLD_PAGE (page)), ==, 2);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_worklist_page (UiFixture     *fixture,
                    gconstpointer  data)
{
  TsuStore *store = fixture->base.store;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page = tsu_worklist_page_new (store);
  gboolean loaded = FALSE;
  GDate today;

  g_free (make_record (store, "followup", "household_id", fixture->household, "due_date", "2024-02-28", NULL));
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  g_signal_connect (page, "loaded", G_CALLBACK (set_flag_cb), &loaded);
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 29, 2, 2024);
  tsu_worklist_page_set_today (TSU_WORKLIST_PAGE (page), &today);
  wait_for (&loaded);
  g_assert_cmpuint (tsu_worklist_page_get_n_items (TSU_WORKLIST_PAGE (page), TSU_WORK_SECTION_OVERDUE), ==, 1);
  g_assert_cmpuint (tsu_worklist_page_get_n_items (TSU_WORKLIST_PAGE (page), TSU_WORK_SECTION_TODAY), ==, 0);

  loaded = FALSE;
  g_date_set_dmy (&today, 28, 2, 2024);
  tsu_worklist_page_set_today (TSU_WORKLIST_PAGE (page), &today);
  wait_for (&loaded);
  g_assert_cmpuint (tsu_worklist_page_get_n_items (TSU_WORKLIST_PAGE (page), TSU_WORK_SECTION_OVERDUE), ==, 0);
  g_assert_cmpuint (tsu_worklist_page_get_n_items (TSU_WORKLIST_PAGE (page), TSU_WORK_SECTION_TODAY), ==, 1);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_shortcuts_window (void)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource (RESOURCE_BASE "/gtk/help-overlay.ui");
  GObject *overlay = gtk_builder_get_object (builder, "help_overlay");
  g_autoptr(GPtrArray) shortcuts = g_ptr_array_new ();
  gboolean has_new_visit = FALSE;

  /* GtkApplication finds it under this name and binds it to Ctrl+?. */
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));
  collect_type (GTK_WIDGET (overlay), GTK_TYPE_SHORTCUTS_SHORTCUT, shortcuts);
  for (guint i = 0; i < shortcuts->len; i++)
    {
      g_autofree char *accel = NULL;

      g_object_get (g_ptr_array_index (shortcuts, i), "accelerator", &accel, NULL);
      has_new_visit |= g_strcmp0 (accel, "<Primary>n") == 0;
    }
  g_assert_true (has_new_visit);
  gtk_window_destroy (GTK_WINDOW (overlay));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) \
  g_test_add (path, UiFixture, NULL, ui_fixture_setup, func, ui_fixture_teardown)
  ADD ("/visit-editor/saves", test_editor_saves);
  ADD ("/visit-editor/rejects", test_editor_rejects);
  ADD ("/visit-editor/draft", test_editor_draft);
  ADD ("/household-page/new-visit", test_household_page);
  ADD ("/worklist-page/sections", test_worklist_page);
#undef ADD
  g_test_add_func ("/visit-editor/shortcuts-window", test_shortcuts_window);

  return g_test_run ();
}
