/* test-visit-screenshots.c: the household page, the visit editor and the
 * work list in Japanese, rendered headless to PNG files in the build dir
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs with LANG=ja_JP.UTF-8 and the translations built in the build
 * tree. The assertions check that the pages rendered at the expected size
 * and in Japanese; looking at the PNGs is still a person's job.
 */
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "test-visit-helpers.h"
#include "test-visit-ui-helpers.h"
#include "tsu-household-page.h"
#include "tsu-visit-editor.h"
#include "tsu-window.h"
#include "tsu-worklist.h"
#include "tsu-worklist-page.h"

static const char * const contact_types[] = { "訪問", "電話", "来所", "同行訪問", "関係機関連絡" };
static const char * const outcomes[] = { "面会", "不在", "拒否", "転居・不明" };
static const char * const support_areas[] = { "高齢", "障がい", "子ども", "生活困窮", "その他" };
static const char * const contents[] = {
  "在宅福祉", "介護保険", "健康・保健医療", "子育て・母子保健", "子どもの地域生活",
  "子どもの教育・学校生活", "生活費", "年金・保険", "仕事", "家族関係", "住居",
  "生活環境", "日常的な支援", "その他",
};
static const char * const agencies[] = {
  "上野相談支援室（地域包括支援センター）", "障がい者相談支援センター",
  "くらしサポートセンターおあいこ", "こども家庭センター",
};

static void
add_categories (TsuStore           *store,
                const char         *kind,
                const char * const *labels,
                guint               n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *code = g_strdup_printf ("%s-%02u", kind, i + 1);
      g_autofree char *order = g_strdup_printf ("%u", i);

      g_free (make_record (store, "category", "kind", kind, "code", code, "label", labels[i],
                           "sort_order", order, NULL));
    }
}

static char *
make_city (TsuStore *store)
{
  g_autofree char *district = make_record (store, "district", "name", "上野西部", "kana", "うえのせいぶ", NULL);
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(GError) error = NULL;
  char *household;

  add_categories (store, "contact_type", contact_types, G_N_ELEMENTS (contact_types));
  add_categories (store, "outcome", outcomes, G_N_ELEMENTS (outcomes));
  add_categories (store, "support_area", support_areas, G_N_ELEMENTS (support_areas));
  add_categories (store, "content", contents, G_N_ELEMENTS (contents));
  for (guint i = 0; i < G_N_ELEMENTS (agencies); i++)
    g_free (make_record (store, "agency", "name", agencies[i], NULL));

  json_object_set_string_member (fields, "district_id", district);
  json_object_set_string_member (fields, "address", "伊賀市上野丸之内 117-5");
  json_object_set_string_member (fields, "jichikai", "丸之内自治会");
  json_object_set_string_member (fields, "phone", "0595-21-0000");
  json_object_set_int_member (fields, "flags", (1 << 1) | (1 << 3));
  json_object_set_string_member (fields, "consent", "yes");
  json_object_set_string_member (fields, "consent_date", "2023-04-12");
  json_object_set_string_member (fields, "consent_scope", "関係機関との情報共有");
  json_object_set_string_member (fields, "minsei_iin", "中森 和子");
  json_object_set_int_member (fields, "visit_interval_days", 30);
  json_object_set_string_member (fields, "status", "active");
  household = tsu_store_create (store, "household", fields, &error);
  g_assert_no_error (error);

  g_free (make_record (store, "resident", "household_id", household, "name", "福森 茂",
                       "kana", "ふくもり しげる", "birth_date", "1940-02-29", "relationship", "世帯主",
                       "position", "1", NULL));
  g_free (make_record (store, "resident", "household_id", household, "name", "福森 トシ子",
                       "kana", "ふくもり としこ", "birth_date", "1943-11-03", "relationship", "配偶者",
                       "position", "2", NULL));

  g_free (make_record (store, "visit", "household_id", household, "visited_at", "2026-10-14T10:30",
                       "contact_type", "contact_type-01", "outcome", "outcome-01",
                       "support_area", "support_area-01", "categories", "content-02,content-03",
                       "note", "デイサービスの利用を検討中。娘さんが月に一度来訪。", NULL));
  g_free (make_record (store, "visit", "household_id", household, "visited_at", "2026-09-02T14:00",
                       "contact_type", "contact_type-02", "outcome", "outcome-02",
                       "note", "電話に出られず。後日訪問。", NULL));
  g_free (make_record (store, "visit", "household_id", household, "visited_at", "2026-07-21T09:45",
                       "contact_type", "contact_type-04", "outcome", "outcome-01",
                       "support_area", "support_area-01", "categories", "content-01,content-13",
                       "referrals", "", "sensitive", "1", NULL));
  {
    /* Two days overdue whenever the test runs, so the work list shows it. */
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();
    g_autoptr(GDateTime) due = g_date_time_add_days (now, -2);
    g_autofree char *due_text = g_date_time_format (due, "%Y-%m-%d");

    g_free (make_record (store, "followup", "household_id", household, "due_date", due_text, NULL));
  }
  return household;
}

static gboolean
frame_timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
shoot (GtkWidget  *window,
       const char *name)
{
  const char *dir = g_getenv ("TSU_SCREENSHOT_DIR");
  g_autofree char *path = g_build_filename (dir != NULL ? dir : ".", name, NULL);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GdkTexture) reread = NULL;
  g_autoptr(GError) error = NULL;
  gboolean drawn = FALSE;
  int width, height;

  /* GtkWidgetPaintable gives the last frame drawn: let a few be drawn. */
  g_timeout_add (1200, frame_timeout_cb, &drawn);
  wait_for (&drawn);

  width = gtk_widget_get_width (window);
  height = gtk_widget_get_height (window);
  paintable = gtk_widget_paintable_new (window);
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);

  reread = gdk_texture_new_from_filename (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (reread), ==, width);
  g_assert_cmpint (gdk_texture_get_height (reread), ==, height);
}

static void
test_screenshots (VisitFixture  *fixture,
                  gconstpointer  data)
{
  g_autofree char *household = make_city (fixture->store);
  GtkWidget *window = adw_window_new ();
  GtkWidget *page = tsu_household_page_new (fixture->store);
  GtkWidget *worklist_window = adw_window_new ();
  GtkWidget *worklist = tsu_worklist_page_new (fixture->store);
  TsuVisitEditor *editor;
  gboolean loaded = FALSE;

  /* The translations were found: the page is in Japanese. */
  g_assert_cmpstr (_("Visit History"), ==, "訪問・支援記録");

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 760);
  adw_window_set_content (ADW_WINDOW (window), page);
  g_signal_connect (page, "loaded", G_CALLBACK (set_flag_cb), &loaded);
  tsu_household_page_set_household_id (TSU_HOUSEHOLD_PAGE (page), household);
  gtk_window_present (GTK_WINDOW (window));
  wait_for (&loaded);
  g_assert_nonnull (find_label (page, "世帯員"));
  shoot (window, "visits-household-page.png");
  /* A narrow window (a phone-sized pane of the leaflet) still fits. */
  gtk_window_set_default_size (GTK_WINDOW (window), 400, 760);
  shoot (window, "visits-household-page-narrow.png");
  g_assert_cmpint (gtk_widget_get_width (window), <=, 420);

  editor = tsu_visit_editor_new (fixture->store, household, NULL);
  gtk_window_set_transient_for (GTK_WINDOW (editor), GTK_WINDOW (window));
  gtk_window_set_default_size (GTK_WINDOW (editor), 620, 760);
  gtk_window_present (GTK_WINDOW (editor));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (find_named (GTK_WIDGET (editor), "note"))),
                            "体調は安定。介護保険の申請について説明した。", -1);
  adw_combo_row_set_selected (ADW_COMBO_ROW (find_named (GTK_WIDGET (editor), "support-area")), 1);
  adw_combo_row_set_selected (ADW_COMBO_ROW (find_named (GTK_WIDGET (editor), "follow-up-choice")), 2);
  g_assert_nonnull (find_label (GTK_WIDGET (editor), "相談・支援の内容"));
  shoot (GTK_WIDGET (editor), "visits-visit-editor.png");
  /* The lower half: referrals, next follow-up, sensitivity. */
  {
    g_autoptr(GPtrArray) scrolled = g_ptr_array_new ();
    GtkAdjustment *adjustment;

    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (find_named (GTK_WIDGET (editor), "referrals")), TRUE);
    collect_type (GTK_WIDGET (editor), GTK_TYPE_SCROLLED_WINDOW, scrolled);
    adjustment = gtk_scrolled_window_get_vadjustment (g_ptr_array_index (scrolled, 0));
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
    shoot (GTK_WIDGET (editor), "visits-visit-editor-bottom.png");
  }
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.discard", NULL);

  loaded = FALSE;
  gtk_window_set_default_size (GTK_WINDOW (worklist_window), 1000, 760);
  adw_window_set_content (ADW_WINDOW (worklist_window), worklist);
  g_signal_connect (worklist, "loaded", G_CALLBACK (set_flag_cb), &loaded);
  /* Today as the clock says: the city's follow-up is two days overdue. */
  tsu_worklist_page_reload (TSU_WORKLIST_PAGE (worklist));
  gtk_window_present (GTK_WINDOW (worklist_window));
  wait_for (&loaded);
  shoot (worklist_window, "visits-worklist-page.png");

  gtk_window_destroy (GTK_WINDOW (worklist_window));
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
window_ready (GtkWidget *window)
{
  GtkStack *stack = GTK_STACK (find_named (window, "main-stack"));

  return stack != NULL && g_strcmp0 (gtk_stack_get_visible_child_name (stack), "main") == 0;
}

/* The pages in their places in the main window, at the size of a small
 * laptop screen, and Ctrl+N's action from the window. */
static void
test_window (VisitFixture  *fixture,
             gconstpointer  data)
{
  g_autofree char *household = make_city (fixture->store);
  GtkWidget *window = g_object_new (TSU_TYPE_WINDOW, NULL);
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();
  gboolean ready = FALSE;
  gboolean loaded = FALSE;
  gboolean editor_open = FALSE;
  GListModel *toplevels;

  g_object_ref_sink (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 1366, 768);
  tsu_window_open_database (TSU_WINDOW (window), fixture->path, FALSE);
  gtk_window_present (GTK_WINDOW (window));
  while (!ready)
    {
      g_main_context_iteration (NULL, TRUE);
      ready = window_ready (window);
    }

  collect_type (window, TSU_TYPE_HOUSEHOLD_PAGE, pages);
  g_assert_cmpuint (pages->len, ==, 1);
  g_signal_connect (g_ptr_array_index (pages, 0), "loaded", G_CALLBACK (set_flag_cb), &loaded);
  tsu_window_show_household (TSU_WINDOW (window), household);
  wait_for (&loaded);
  shoot (window, "visits-window.png");

  g_assert_true (gtk_widget_activate_action (window, "win.new-visit", NULL));
  toplevels = gtk_window_get_toplevels ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (TSU_IS_VISIT_EDITOR (toplevel))
        {
          editor_open = TRUE;
          g_assert_cmpstr (tsu_visit_editor_get_household_id (TSU_VISIT_EDITOR (toplevel)), ==, household);
          gtk_widget_activate_action (GTK_WIDGET (toplevel), "editor.discard", NULL);
          break;
        }
    }
  g_assert_true (editor_open);

  /* The work list view (Alt+3) of the same window. */
  {
    g_autoptr(GPtrArray) worklists = g_ptr_array_new ();
    TsuWorklistPage *worklist;
    gboolean shown = FALSE;
    guint id;

    g_assert_true (gtk_widget_activate_action (window, "win.show-view", "s", "worklist"));
    collect_type (window, TSU_TYPE_WORKLIST_PAGE, worklists);
    g_assert_cmpuint (worklists->len, ==, 1);
    worklist = g_ptr_array_index (worklists, 0);
    id = g_timeout_add_seconds (10, frame_timeout_cb, &shown);
    while (!shown && tsu_worklist_page_get_n_items (worklist, TSU_WORK_SECTION_OVERDUE) == 0)
      g_main_context_iteration (NULL, TRUE);
    g_assert_false (shown);
    g_source_remove (id);
    shoot (window, "visits-window-worklist.png");
  }

  /* The keyboard shortcuts window (Ctrl+?), in Japanese, with the map's
   * keys; its first page is the one a user sees first. */
  {
    g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource (RESOURCE_BASE "/gtk/help-overlay.ui");
    GtkWindow *shortcuts = GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay"));

    g_assert_nonnull (shortcuts);
    gtk_window_set_transient_for (shortcuts, GTK_WINDOW (window));
    gtk_window_set_default_size (shortcuts, 1100, 720);
    gtk_window_present (shortcuts);
    shoot (GTK_WIDGET (shortcuts), "visits-shortcuts.png");
    gtk_window_destroy (shortcuts);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
}

int
main (int   argc,
      char *argv[])
{
  const char *locale_dir = g_getenv ("TSU_LOCALE_DIR");

  gtk_test_init (&argc, &argv, NULL);
  /* gtk_test_init() pins the locale to en_US; this test is about ja_JP. */
  setlocale (LC_ALL, "");
  adw_init ();
  bindtextdomain (GETTEXT_PACKAGE, locale_dir != NULL ? locale_dir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_add ("/visit-screenshots/japanese", VisitFixture, NULL,
              visit_fixture_setup, test_screenshots, visit_fixture_teardown);
  g_test_add ("/visit-screenshots/window", VisitFixture, NULL,
              visit_fixture_setup, test_window, visit_fixture_teardown);

  return g_test_run ();
}
