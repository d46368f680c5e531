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
#include "tsu-resident-editor.h"
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

/* The editor's date must be the local date at some moment between
 * @before (taken before the editor was shown) and now. Both ends are
 * accepted so that a run crossing midnight does not fail. */
static void
assert_date_is_today (GtkWidget *root,
                      GDateTime *before)
{
  g_autoptr(GDateTime) after = g_date_time_new_now_local ();
  g_autofree char *first = g_date_time_format (before, "%Y-%m-%d");
  g_autofree char *last = g_date_time_format (after, "%Y-%m-%d");
  const char *shown = get_text (root, "date");

  if (g_strcmp0 (shown, first) != 0)
    g_assert_cmpstr (shown, ==, last);
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
  g_autoptr(GDateTime) before = g_date_time_new_now_local ();
  gboolean saved = FALSE;
  TsuVisit *visit;

  g_object_ref_sink (editor);
  gtk_window_present (GTK_WINDOW (editor));

  /* Opens with today's date. */
  assert_date_is_today (root, before);

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
  /* The agencies are listed once the referrals row is unfolded. */
  {
    g_autoptr(GPtrArray) checks = g_ptr_array_new ();
    GtkWidget *referrals = find_named (root, "referrals");

    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (referrals), TRUE);
    collect_type (referrals, GTK_TYPE_CHECK_BUTTON, checks);
    g_assert_cmpuint (checks->len, ==, 2);
    /* Sorted by kana: くらし… comes before ちいき…. */
    gtk_check_button_set_active (g_ptr_array_index (checks, 1), TRUE);
    g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (referrals)), ==, "地域包括支援センター");
  }

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
  {
    g_autoptr(GPtrArray) agencies = tsu_store_list_agencies (store, NULL);

    g_assert_cmpstr (tsu_visit_get_referrals (visit), ==,
                     json_object_get_string_member (g_ptr_array_index (agencies, 1), "id"));
  }

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
  {
    /* The draft holds personal notes: owner only. */
    g_autofree char *name = g_strconcat ("new-", fixture->household, ".json", NULL);
    g_autofree char *draft = g_build_filename (draft_dir, name, NULL);
    GStatBuf st;

    g_assert_cmpint (g_stat (draft, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0600);
    g_assert_cmpint (g_stat (draft_dir, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  }

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
  GtkListBoxRow *old_row;
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
  old_row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (find_named (page, "visits")), 0);

  /* Ctrl+N's action opens the editor; its save shows up on the page. */
  editor = tsu_household_page_new_visit (TSU_HOUSEHOLD_PAGE (page));
  g_assert_nonnull (editor);
  g_signal_connect (page, "visit-saved", G_CALLBACK (set_flag_string_cb), &saved);
  loaded = FALSE;
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  wait_for (&saved);
  wait_for (&loaded);
  g_assert_cmpuint (tsu_household_page_get_n_visits (TSU_HOUSEHOLD_PAGE (page)), ==, 2);
  /* The new visit is a new row on top; the older one's row was kept. */
  g_assert_true (gtk_list_box_get_row_at_index (GTK_LIST_BOX (find_named (page, "visits")), 1) == old_row);

  gtk_window_destroy (GTK_WINDOW (window));
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label,
             const char *tooltip)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  collect_type (root, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    {
      GtkWidget *button = g_ptr_array_index (buttons, i);

      if ((label != NULL && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (button)), label) == 0) ||
          (tooltip != NULL && g_strcmp0 (gtk_widget_get_tooltip_text (button), tooltip) == 0))
        return button;
    }
  return NULL;
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (toplevel, type))
        return GTK_WINDOW (toplevel);
    }
  return NULL;
}

static void
spin (guint times)
{
  for (guint i = 0; i < times; i++)
    g_main_context_iteration (NULL, FALSE);
}

static const char *
record_text (TsuStore   *store,
             const char *table,
             const char *id,
             const char *field,
             JsonObject **keep)
{
  g_clear_pointer (keep, json_object_unref);
  *keep = tsu_store_get_record (store, table, id, NULL);
  g_assert_nonnull (*keep);
  if (json_object_get_null_member (*keep, field))
    return NULL;
  return json_object_get_string_member (*keep, field);
}

/* Deleting a visit and archiving the household, each undone from its
 * toast; nothing is ever removed from the database. */
static void
test_household_page_undo (UiFixture     *fixture,
                          gconstpointer  data)
{
  TsuStore *store = fixture->base.store;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page = tsu_household_page_new (store);
  g_autofree char *visit = make_record (store, "visit", "household_id", fixture->household,
                                        "visited_at", "2024-01-10T10:00", "contact_type", "visit",
                                        "outcome", "met", NULL);
  g_autoptr(JsonObject) record = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *button;
  gboolean loaded = FALSE;
  gboolean changed = FALSE;

  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  g_signal_connect (page, "loaded", G_CALLBACK (set_flag_cb), &loaded);
  tsu_household_page_set_household_id (TSU_HOUSEHOLD_PAGE (page), fixture->household);
  wait_for (&loaded);
  g_assert_cmpuint (tsu_household_page_get_n_visits (TSU_HOUSEHOLD_PAGE (page)), ==, 1);

  /* Delete the visit from its row. */
  button = find_button (page, NULL, "Delete this visit");
  g_assert_nonnull (button);
  loaded = FALSE;
  g_signal_emit_by_name (button, "clicked");
  wait_for (&loaded);
  g_assert_cmpuint (tsu_household_page_get_n_visits (TSU_HOUSEHOLD_PAGE (page)), ==, 0);
  record = tsu_store_get_record (store, "visit", visit, NULL);
  g_assert_true (json_object_get_boolean_member (record, "deleted"));

  /* Undo from the toast. */
  spin (20);
  button = find_button (page, "_Undo", NULL);
  g_assert_nonnull (button);
  loaded = FALSE;
  g_signal_emit_by_name (button, "clicked");
  wait_for (&loaded);
  g_assert_cmpuint (tsu_household_page_get_n_visits (TSU_HOUSEHOLD_PAGE (page)), ==, 1);

  /* Archive as moved, with a reason. */
  g_assert_true (gtk_widget_activate_action (page, "household.archive", NULL));
  dialog = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (dialog);
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), "名張市へ転居");
  /* Household edits are written by a worker: wait for the page to say so. */
  g_signal_connect (page, "household-changed", G_CALLBACK (set_flag_string_cb), &changed);
  adw_message_dialog_response (dialog, "moved");
  gtk_window_destroy (GTK_WINDOW (dialog));
  wait_for (&changed);
  g_assert_cmpstr (record_text (store, "household", fixture->household, "status", &record), ==, "moved");
  g_assert_cmpstr (record_text (store, "household", fixture->household, "status_reason", &record), ==, "名張市へ転居");

  /* And undo it. */
  spin (20);
  button = NULL;
  {
    g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

    /* The newest toast is the archive's; an older one may still be queued. */
    collect_type (page, GTK_TYPE_BUTTON, buttons);
    for (guint i = 0; i < buttons->len; i++)
      if (g_strcmp0 (gtk_button_get_label (g_ptr_array_index (buttons, i)), "_Undo") == 0)
        button = g_ptr_array_index (buttons, i);
  }
  g_assert_nonnull (button);
  changed = FALSE;
  g_signal_emit_by_name (button, "clicked");
  wait_for (&changed);
  g_assert_cmpstr (record_text (store, "household", fixture->household, "status", &record), ==, "active");
  g_assert_null (record_text (store, "household", fixture->household, "status_reason", &record));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Holds the store's lock from another thread, as a long import would,
 * until told to let go (or for 3 s at most). */
typedef struct
{
  TsuStore *store;
  GMutex    mutex;
  GCond     cond;
  gboolean  locked;
  gboolean  release;
} LockHolder;

static gpointer
hold_lock_thread (gpointer data)
{
  LockHolder *holder = data;
  g_autoptr(GError) error = NULL;
  gint64 until = g_get_monotonic_time () + 3 * G_TIME_SPAN_SECOND;

  g_assert_true (tsu_store_begin (holder->store, &error));
  g_mutex_lock (&holder->mutex);
  holder->locked = TRUE;
  g_cond_broadcast (&holder->cond);
  while (!holder->release && g_cond_wait_until (&holder->cond, &holder->mutex, until))
    ;
  g_mutex_unlock (&holder->mutex);
  g_assert_true (tsu_store_commit (holder->store, &error));
  return NULL;
}

static void
count_cb (gpointer    instance,
          const char *text,
          gpointer    data)
{
  (*(guint *) data)++;
}

/* Edits in place are written by a worker, one at a time and in order: the
 * window stays responsive while the database is busy, and three quick
 * changes of one field end with the last. */
static void
test_household_page_edits_async (UiFixture     *fixture,
                                 gconstpointer  data)
{
  TsuStore *store = fixture->base.store;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page = tsu_household_page_new (store);
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(GPtrArray) spins = g_ptr_array_new ();
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(GError) error = NULL;
  LockHolder holder = { .store = store };
  GtkWidget *phone = NULL;
  GThread *thread;
  gboolean loaded = FALSE;
  guint changed = 0;
  gint64 start, took;

  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  g_signal_connect (page, "loaded", G_CALLBACK (set_flag_cb), &loaded);
  g_signal_connect (page, "household-changed", G_CALLBACK (count_cb), &changed);
  tsu_household_page_set_household_id (TSU_HOUSEHOLD_PAGE (page), fixture->household);
  wait_for (&loaded);

  collect_type (page, ADW_TYPE_ENTRY_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (g_object_get_data (rows->pdata[i], "field"), "phone") == 0)
      phone = rows->pdata[i];
  g_assert_nonnull (phone);
  collect_type (page, GTK_TYPE_SPIN_BUTTON, spins);
  g_assert_cmpuint (spins->len, ==, 1);

  g_mutex_init (&holder.mutex);
  g_cond_init (&holder.cond);
  thread = g_thread_new ("hold-lock", hold_lock_thread, &holder);
  g_mutex_lock (&holder.mutex);
  while (!holder.locked)
    g_cond_wait (&holder.cond, &holder.mutex);
  g_mutex_unlock (&holder.mutex);

  /* With the database busy, the edits return at once. */
  start = g_get_monotonic_time ();
  gtk_editable_set_text (GTK_EDITABLE (phone), "0595-48-0001");
  g_signal_emit_by_name (phone, "apply");
  gtk_spin_button_set_value (spins->pdata[0], 31);
  gtk_spin_button_set_value (spins->pdata[0], 32);
  gtk_spin_button_set_value (spins->pdata[0], 33);
  took = g_get_monotonic_time () - start;
  g_assert_cmpint (took, <, G_TIME_SPAN_SECOND / 2);
  g_assert_cmpuint (changed, ==, 0);

  g_mutex_lock (&holder.mutex);
  holder.release = TRUE;
  g_cond_broadcast (&holder.cond);
  g_mutex_unlock (&holder.mutex);
  g_thread_join (thread);
  g_mutex_clear (&holder.mutex);
  g_cond_clear (&holder.cond);

  {
    gboolean timed_out = FALSE;
    guint id = g_timeout_add_seconds (10, wait_timeout_cb, &timed_out);

    while (changed < 4 && !timed_out)
      g_main_context_iteration (NULL, TRUE);
    g_assert_false (timed_out);
    g_source_remove (id);
  }
  record = tsu_store_get_record (store, "household", fixture->household, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (record, "phone"), ==, "0595-48-0001");
  g_assert_cmpint (json_object_get_int_member (record, "visit_interval_days"), ==, 33);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The page builds the next editor ahead; Ctrl+N shows that one, with the
 * date and time of the moment it is shown. */
static void
test_household_page_prepared_editor (UiFixture     *fixture,
                                     gconstpointer  data)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page = tsu_household_page_new (fixture->base.store);
  GtkWindow *prepared;
  GtkWindow *editor;
  gboolean loaded = FALSE;
  gboolean waited = FALSE;
  g_autoptr(GDateTime) before = g_date_time_new_now_local ();

  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  g_signal_connect (page, "loaded", G_CALLBACK (set_flag_cb), &loaded);
  tsu_household_page_set_household_id (TSU_HOUSEHOLD_PAGE (page), fixture->household);
  wait_for (&loaded);
  g_timeout_add (800, wait_timeout_cb, &waited);
  wait_for (&waited);

  prepared = find_toplevel (TSU_TYPE_VISIT_EDITOR);
  g_assert_nonnull (prepared);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (prepared)));
  editor = tsu_household_page_new_visit (TSU_HOUSEHOLD_PAGE (page));
  g_assert_true (editor == prepared);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (editor)));
  assert_date_is_today (GTK_WIDGET (editor), before);
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.discard", NULL);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
wait_until_loaded (TsuResidentEditor *editor)
{
  gboolean loaded = tsu_resident_editor_get_loaded (editor);
  gulong id = g_signal_connect (editor, "loaded", G_CALLBACK (set_flag_cb), &loaded);

  wait_for (&loaded);
  g_signal_handler_disconnect (editor, id);
}

static void
wait_for_row (GtkListBox *list)
{
  gint64 until = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (gtk_list_box_get_row_at_index (list, 0) == NULL && g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);
}

/* Members: kana is required; a member can be moved to another household. */
static void
test_resident_editor (UiFixture     *fixture,
                      gconstpointer  data)
{
  TsuStore *store = fixture->base.store;
  g_autofree char *other = make_record (store, "household", "address", "伊賀市島ヶ原1234", NULL);
  GtkWidget *editor = tsu_resident_editor_new (store, fixture->household, NULL);
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();
  g_autoptr(GPtrArray) residents = NULL;
  g_autoptr(GPtrArray) moved = NULL;
  gboolean saved = FALSE;
  char *id;

  g_object_ref_sink (editor);
  gtk_window_present (GTK_WINDOW (editor));
  collect_type (editor, ADW_TYPE_ENTRY_ROW, entries);
  /* name, kana, birth date, relationship, note, address search */
  g_assert_cmpuint (entries->len, ==, 6);
  gtk_editable_set_text (g_ptr_array_index (entries, 0), "伊賀 次郎");
  g_assert_true (gtk_widget_activate_action (editor, "resident.save", NULL));
  /* Checked before anything is written. */
  g_assert_true (gtk_widget_has_css_class (g_ptr_array_index (entries, 1), "error"));
  residents = tsu_store_list_residents (store, fixture->household, NULL);
  g_assert_cmpuint (residents->len, ==, 1);

  gtk_editable_set_text (g_ptr_array_index (entries, 1), "いが じろう");
  gtk_editable_set_text (g_ptr_array_index (entries, 2), "1975-04-01");
  g_signal_connect (editor, "saved", G_CALLBACK (set_flag_string_cb), &saved);
  g_assert_true (gtk_widget_activate_action (editor, "resident.save", NULL));
  wait_for (&saved);
  g_clear_pointer (&residents, g_ptr_array_unref);
  residents = tsu_store_list_residents (store, fixture->household, NULL);
  g_assert_cmpuint (residents->len, ==, 2);
  g_object_unref (editor);

  /* Move the first member to the other household. */
  id = g_strdup (tsu_resident_get_id (g_ptr_array_index (residents, 0)));
  editor = tsu_resident_editor_new (store, fixture->household, id);
  g_object_ref_sink (editor);
  gtk_window_present (GTK_WINDOW (editor));
  wait_until_loaded (TSU_RESIDENT_EDITOR (editor));
  g_ptr_array_set_size (entries, 0);
  collect_type (editor, ADW_TYPE_ENTRY_ROW, entries);
  gtk_editable_set_text (g_ptr_array_index (entries, 5), "島ヶ原");
  {
    g_autoptr(GPtrArray) lists = g_ptr_array_new ();
    GtkListBox *results;
    GtkListBoxRow *row;

    collect_type (editor, GTK_TYPE_LIST_BOX, lists);
    results = g_ptr_array_index (lists, lists->len - 1);
    /* The search runs in a worker. */
    wait_for_row (results);
    row = gtk_list_box_get_row_at_index (results, 0);
    g_assert_nonnull (row);
    gtk_list_box_select_row (results, row);
  }
  saved = FALSE;
  g_signal_connect (editor, "saved", G_CALLBACK (set_flag_string_cb), &saved);
  g_assert_true (gtk_widget_activate_action (editor, "resident.save", NULL));
  wait_for (&saved);
  moved = tsu_store_list_residents (store, other, NULL);
  g_assert_cmpuint (moved->len, ==, 1);
  g_assert_cmpstr (tsu_resident_get_id (g_ptr_array_index (moved, 0)), ==, id);
  g_free (id);
  g_object_unref (editor);
}

/* The subtitle of an action row under @root that contains @text. */
static gboolean
has_row_subtitle_with (GtkWidget  *root,
                       const char *text)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect_type (root, ADW_TYPE_ACTION_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      const char *subtitle = adw_action_row_get_subtitle (g_ptr_array_index (rows, i));

      if (subtitle != NULL && strstr (subtitle, text) != NULL)
        return TRUE;
    }
  return FALSE;
}

static char *
save_relationship (TsuStore   *store,
                   const char *household,
                   const char *resident,
                   const char *text)
{
  GtkWidget *editor = g_object_ref_sink (tsu_resident_editor_new (store, household, resident));
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();
  g_autoptr(JsonObject) record = NULL;
  gboolean saved = FALSE;

  gtk_window_present (GTK_WINDOW (editor));
  wait_until_loaded (TSU_RESIDENT_EDITOR (editor));
  collect_type (editor, ADW_TYPE_ENTRY_ROW, entries);
  /* name, kana, birth date, relationship, … */
  if (text != NULL)
    gtk_editable_set_text (g_ptr_array_index (entries, 3), text);
  g_signal_connect (editor, "saved", G_CALLBACK (set_flag_string_cb), &saved);
  g_assert_true (gtk_widget_activate_action (editor, "resident.save", NULL));
  wait_for (&saved);
  g_object_unref (editor);
  record = tsu_store_get_record (store, "resident", resident, NULL);
  return g_strdup (json_object_get_string_member (record, "relationship"));
}

/* Records keep a relationship's code; people see and type its label. */
static void
test_resident_relationship (UiFixture     *fixture,
                            gconstpointer  data)
{
  TsuStore *store = fixture->base.store;
  g_autofree char *id = make_record (store, "resident", "household_id", fixture->household,
                                     "name", "伊賀 花子", "kana", "いが はなこ", "relationship", "head", NULL);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page = tsu_household_page_new (store);
  GtkWidget *editor;
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();
  gint64 until = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  char *stored;

  /* The household page shows the label, once the labels are read. */
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  tsu_household_page_set_household_id (TSU_HOUSEHOLD_PAGE (page), fixture->household);
  while (!has_row_subtitle_with (page, "世帯主") && g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);
  g_assert_true (has_row_subtitle_with (page, "世帯主"));
  g_assert_false (has_row_subtitle_with (page, "head"));
  gtk_window_destroy (GTK_WINDOW (window));

  /* The editor reads the member in a worker, and cannot save an empty
   * form over them meanwhile... */
  editor = g_object_ref_sink (tsu_resident_editor_new (store, fixture->household, id));
  g_assert_false (tsu_resident_editor_get_loaded (TSU_RESIDENT_EDITOR (editor)));
  collect_type (editor, ADW_TYPE_ENTRY_ROW, entries);
  /* (Had it tried, the still empty name would be marked as missing.) */
  gtk_widget_activate_action (editor, "resident.save", NULL);
  g_assert_false (gtk_widget_has_css_class (g_ptr_array_index (entries, 0), "error"));
  g_ptr_array_set_size (entries, 0);
  wait_until_loaded (TSU_RESIDENT_EDITOR (editor));
  /* ...and then shows the label too... */
  collect_type (editor, ADW_TYPE_ENTRY_ROW, entries);
  g_assert_cmpstr (gtk_editable_get_text (g_ptr_array_index (entries, 3)), ==, "世帯主");
  g_object_unref (editor);

  /* ...saving it unchanged keeps the code, a label typed in is stored
   * as its code, and anything else as it was typed. */
  stored = save_relationship (store, fixture->household, id, NULL);
  g_assert_cmpstr (stored, ==, "head");
  g_free (stored);
  stored = save_relationship (store, fixture->household, id, "配偶者");
  g_assert_cmpstr (stored, ==, "spouse");
  g_free (stored);
  stored = save_relationship (store, fixture->household, id, "叔母");
  g_assert_cmpstr (stored, ==, "叔母");
  g_free (stored);
}

static void
test_worklist_page (UiFixture     *fixture,
                    gconstpointer  data)
{
  TsuStore *store = fixture->base.store;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page;
  gboolean loaded = FALSE;
  GDate today;

  g_free (make_record (store, "followup", "household_id", fixture->household, "due_date", "2024-02-28", NULL));
  g_free (make_record (store, "district", "name", "上野南部", NULL));
  /* After the records: the page starts reading its filters' lists. */
  page = tsu_worklist_page_new (store);
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  g_signal_connect (page, "loaded", G_CALLBACK (set_flag_cb), &loaded);
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 29, 2, 2024);
  tsu_worklist_page_set_today (TSU_WORKLIST_PAGE (page), &today);
  /* Not "nothing due" before the list is in: a spinner. */
  g_assert_true (tsu_worklist_page_get_loading (TSU_WORKLIST_PAGE (page)));
  wait_for (&loaded);
  g_assert_false (tsu_worklist_page_get_loading (TSU_WORKLIST_PAGE (page)));
  g_assert_cmpuint (tsu_worklist_page_get_n_items (TSU_WORKLIST_PAGE (page), TSU_WORK_SECTION_OVERDUE), ==, 1);
  g_assert_cmpuint (tsu_worklist_page_get_n_items (TSU_WORKLIST_PAGE (page), TSU_WORK_SECTION_TODAY), ==, 0);

  /* The same list again (as after a save) stays on screen meanwhile. */
  loaded = FALSE;
  tsu_worklist_page_reload (TSU_WORKLIST_PAGE (page));
  g_assert_false (tsu_worklist_page_get_loading (TSU_WORKLIST_PAGE (page)));
  wait_for (&loaded);

  loaded = FALSE;
  g_date_set_dmy (&today, 28, 2, 2024);
  tsu_worklist_page_set_today (TSU_WORKLIST_PAGE (page), &today);
  g_assert_true (tsu_worklist_page_get_loading (TSU_WORKLIST_PAGE (page)));
  wait_for (&loaded);
  g_assert_cmpuint (tsu_worklist_page_get_n_items (TSU_WORKLIST_PAGE (page), TSU_WORK_SECTION_OVERDUE), ==, 0);
  g_assert_cmpuint (tsu_worklist_page_get_n_items (TSU_WORKLIST_PAGE (page), TSU_WORK_SECTION_TODAY), ==, 1);

  /* The district filter lists the districts (read in a worker). */
  {
    g_autoptr(GPtrArray) dropdowns = g_ptr_array_new ();
    GtkDropDown *districts;
    gint64 until = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    collect_type (page, GTK_TYPE_DROP_DOWN, dropdowns);
    districts = g_ptr_array_index (dropdowns, 0);
    while ((gtk_drop_down_get_model (districts) == NULL ||
            g_list_model_get_n_items (gtk_drop_down_get_model (districts)) < 2) &&
           g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);
    g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (districts)), ==, 2);
    g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (gtk_drop_down_get_model (districts)), 1),
                     ==, "上野南部");
  }

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
  ADD ("/household-page/undo", test_household_page_undo);
  ADD ("/household-page/edits-async", test_household_page_edits_async);
  ADD ("/household-page/prepared-editor", test_household_page_prepared_editor);
  ADD ("/resident-editor/kana-and-move", test_resident_editor);
  ADD ("/resident-editor/relationship", test_resident_relationship);
  ADD ("/worklist-page/sections", test_worklist_page);
#undef ADD
  g_test_add_func ("/visit-editor/shortcuts-window", test_shortcuts_window);

  return g_test_run ();
}
