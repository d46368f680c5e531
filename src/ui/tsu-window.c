/* tsu-window.c: the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window owns the store of the database it shows. It opens the database
 * on a worker thread, then shows the districts in the sidebar and the
 * households of the selected district (or the search results) in a list
 * beside the household page. The map and the work list are pages of the
 * view stack.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tsu-demo.h"
#include "tsu-district-row.h"
#include "tsu-encryption-banner.h"
#include "tsu-household-page.h"
#include "tsu-household-row.h"
#include "tsu-history-dialog.h"
#include "tsu-idle-monitor.h"
#include "tsu-import-dialog.h"
#include "tsu-lock-page.h"
#include "tsu-map-view.h"
#include "tsu-meeting-map-page.h"
#include "tsu-passphrase.h"
#include "tsu-reference-data.h"
#include "tsu-store-households.h"
#include "tsu-store-map.h"
#include "tsu-summary-dialog.h"
#include "tsu-sync-page.h"
#include "tsu-visit-editor.h"
#include "tsu-window.h"
#include "tsu-worklist-page.h"

/* Search results are for finding one household in seconds, not browsing. */
#define SEARCH_LIMIT 100

struct _TsuWindow
{
  AdwApplicationWindow  parent_instance;

  GCancellable         *cancellable;
  GCancellable         *search_cancellable;
  GSettings            *settings;
  TsuStore             *store;

  GListStore           *districts;
  GtkSingleSelection   *district_selection;
  GListStore           *households;
  GtkCustomFilter      *district_filter;
  GtkFilterListModel   *filtered_households;
  GListStore           *search_results;
  GtkSingleSelection   *household_selection;
  char                 *district_id;   /* NULL: the whole city */
  gboolean              create_demo;   /* --demo: fill an empty database */

  /* Pages made once the store is open; their places in the template are
   * empty bins. */
  GtkWidget            *household_page;  /* TsuHouseholdPage */
  GtkWidget            *worklist_page;   /* TsuWorklistPage */
  GtkWidget            *map_view;        /* TsuMapView */
  GtkWidget            *meeting_page;    /* TsuMeetingMapPage */
  GtkWidget            *sync_page;       /* TsuSyncPage */
  GtkWidget            *encryption_banner;

  /* Hides everything personal until the passphrase is entered. */
  GtkWidget            *lock_page;
  TsuIdleMonitor       *idle_monitor;
  char                 *passphrase_path;

  /* template children */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  AdwStatusPage        *error_page;
  AdwStatusPage        *loading_page;
  GtkProgressBar       *loading_progress;
  AdwLeaflet           *leaflet;
  GtkWidget            *sidebar;
  GtkWidget            *content;
  GtkListView          *district_list;
  AdwViewStack         *view_stack;
  AdwLeaflet           *household_leaflet;
  GtkWidget            *household_list_pane;
  GtkSearchEntry       *search_entry;
  GtkLabel             *list_summary_label;
  GtkStack             *list_stack;
  GtkListView          *household_list;
  GtkStack             *detail_stack;
  AdwBin               *household_page_bin;
  AdwBin               *map_bin;
  AdwBin               *worklist_bin;
  AdwBin               *meeting_bin;
  AdwBin               *sync_bin;
  AdwBin               *banner_bin;
};

G_DEFINE_FINAL_TYPE (TsuWindow, tsu_window, ADW_TYPE_APPLICATION_WINDOW)

static void create_demo (TsuWindow *self);

/* While locked, no action opens anything and nothing personal is shown. */
static gboolean
window_is_locked (TsuWindow *self)
{
  return tsu_lock_page_get_locked (TSU_LOCK_PAGE (self->lock_page));
}
static void on_import_changed_cb (TsuWindow *self);

TsuStore *
tsu_window_get_store (TsuWindow *self)
{
  g_return_val_if_fail (TSU_IS_WINDOW (self), NULL);
  return self->store;
}

void
tsu_window_add_toast (TsuWindow  *self,
                      const char *message)
{
  g_return_if_fail (TSU_IS_WINDOW (self));
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

static void
show_error (TsuWindow  *self,
            const char *title,
            GError     *error)
{
  adw_status_page_set_title (self->error_page, title);
  adw_status_page_set_description (self->error_page, error->message);
  gtk_stack_set_visible_child_name (self->main_stack, "error");
}

static void
update_summary (TsuWindow *self)
{
  g_autofree char *text = NULL;
  GListModel *model = gtk_single_selection_get_model (self->household_selection);
  guint n = model != NULL ? g_list_model_get_n_items (model) : 0;

  if (model == G_LIST_MODEL (self->search_results))
    {
      if (n >= SEARCH_LIMIT)
        /* Translators: shown when a search has more results than the list shows */
        text = g_strdup_printf (_("The first %u matches"), n);
      else
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u match", "%u matches", n), n);
    }
  else
    {
      guint n_archived = 0;

      /* The list keeps moved and deceased households (marked so); say how
       * many, or the count will not match the districts' counts of active
       * households. */
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(TsuHousehold) household = g_list_model_get_item (model, i);

          if (g_strcmp0 (tsu_household_get_status (household), "active") != 0)
            n_archived++;
        }
      if (n_archived > 0)
        /* Translators: households in the list, of which some are archived (moved away or deceased) */
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u household, %u of them archived",
                                             "%u households, %u of them archived", n), n, n_archived);
      else
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u household", "%u households", n), n);
    }

  gtk_label_set_label (self->list_summary_label, text);
  gtk_stack_set_visible_child_name (self->list_stack, n > 0 ? "list" : "no-results");
}

/* Sidebar ------------------------------------------------------------------ */

static void
setup_district_row_cb (GtkSignalListItemFactory *factory,
                       GtkListItem              *item,
                       gpointer                  user_data)
{
  gtk_list_item_set_child (item, tsu_district_row_new ());
}

static void
bind_district_row_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      gpointer                  user_data)
{
  tsu_district_row_set_district (TSU_DISTRICT_ROW (gtk_list_item_get_child (item)),
                                 gtk_list_item_get_item (item));
}

static void
on_district_selected_cb (GtkSingleSelection *selection,
                         GParamSpec         *pspec,
                         TsuWindow          *self)
{
  TsuDistrict *district = gtk_single_selection_get_selected_item (selection);

  g_free (self->district_id);
  self->district_id = district != NULL ? g_strdup (tsu_district_get_id (district)) : NULL;
  gtk_filter_changed (GTK_FILTER (self->district_filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_summary (self);
  /* The work list follows the district chosen in the sidebar. */
  if (self->worklist_page != NULL)
    tsu_worklist_page_set_district_id (TSU_WORKLIST_PAGE (self->worklist_page), self->district_id);

  /* The map shows the same district as the list. */
  if (self->map_view != NULL)
    {
      tsu_map_view_set_district_filter (TSU_MAP_VIEW (self->map_view), self->district_id);
      if (self->district_id != NULL)
        tsu_map_view_fit_district (TSU_MAP_VIEW (self->map_view), self->district_id);
      else
        tsu_map_view_fit_all (TSU_MAP_VIEW (self->map_view));
    }
}

static void
on_district_activated_cb (GtkListView *list,
                          guint        position,
                          TsuWindow   *self)
{
  adw_leaflet_set_visible_child (self->leaflet, self->content);
}

static gboolean
filter_by_district (gpointer item,
                    gpointer user_data)
{
  TsuWindow *self = user_data;

  return self->district_id == NULL ||
         g_strcmp0 (tsu_household_get_district_id (item), self->district_id) == 0;
}

/* Household list ----------------------------------------------------------- */

static void
setup_household_row_cb (GtkSignalListItemFactory *factory,
                        GtkListItem              *item,
                        gpointer                  user_data)
{
  gtk_list_item_set_child (item, tsu_household_row_new ());
}

static void
bind_household_row_cb (GtkSignalListItemFactory *factory,
                       GtkListItem              *item,
                       gpointer                  user_data)
{
  tsu_household_row_set_household (TSU_HOUSEHOLD_ROW (gtk_list_item_get_child (item)),
                                    gtk_list_item_get_item (item));
}

void
tsu_window_show_household (TsuWindow  *self,
                           const char *household_id)
{
  g_return_if_fail (TSU_IS_WINDOW (self));
  g_return_if_fail (self->household_page != NULL);

  if (self->map_view != NULL)
    tsu_map_view_select_household (TSU_MAP_VIEW (self->map_view), household_id);
  tsu_household_page_set_household_id (TSU_HOUSEHOLD_PAGE (self->household_page), household_id);
  gtk_stack_set_visible_child_name (self->detail_stack, "detail");
  adw_view_stack_set_visible_child_name (self->view_stack, "households");
  adw_leaflet_set_visible_child (self->household_leaflet, GTK_WIDGET (self->detail_stack));
  adw_leaflet_set_visible_child (self->leaflet, self->content);
}

static void
on_household_activated_cb (GtkListView *list,
                           guint        position,
                           TsuWindow   *self)
{
  g_autoptr(TsuHousehold) household =
    g_list_model_get_item (G_LIST_MODEL (self->household_selection), position);

  if (household != NULL)
    tsu_window_show_household (self, tsu_household_get_id (household));
}

static void
on_search_finished_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  TsuWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) households = tsu_store_search_finish (TSU_STORE (source), result, &error);

  if (households == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Failed to search: %s", error->message);
      return;
    }

  g_list_store_splice (self->search_results, 0,
                       g_list_model_get_n_items (G_LIST_MODEL (self->search_results)),
                       households->pdata, households->len);
  gtk_single_selection_set_model (self->household_selection, G_LIST_MODEL (self->search_results));
  update_summary (self);
}

static void
on_search_changed_cb (GtkSearchEntry *entry,
                      TsuWindow      *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);

  if (self->store == NULL)
    return;

  if (*text == '\0')
    {
      gtk_single_selection_set_model (self->household_selection,
                                      G_LIST_MODEL (self->filtered_households));
      update_summary (self);
      return;
    }

  self->search_cancellable = g_cancellable_new ();
  tsu_store_search_async (self->store, text, SEARCH_LIMIT, self->search_cancellable,
                          on_search_finished_cb, self);
}

static void
on_search_activate_cb (GtkSearchEntry *entry,
                       TsuWindow      *self)
{
  /* Enter opens the best match: type a name, press Enter, you are there. */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->household_selection)) > 0)
    on_household_activated_cb (self->household_list, 0, self);
}

/* Loading ------------------------------------------------------------------ */

static void
on_households_loaded_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  TsuWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) households = tsu_store_list_households_finish (TSU_STORE (source), result, &error);

  if (households == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, _("The households could not be read"), error);
      return;
    }

  g_list_store_splice (self->households, 0,
                       g_list_model_get_n_items (G_LIST_MODEL (self->households)),
                       households->pdata, households->len);
  update_summary (self);

  if (households->len == 0 && self->create_demo)
    create_demo (self);
  else
    gtk_stack_set_visible_child_name (self->main_stack, households->len > 0 ? "main" : "empty");
}

static void
on_districts_loaded_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  TsuWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) districts = tsu_store_list_districts_finish (TSU_STORE (source), result, &error);
  g_autoptr(TsuDistrict) whole_city = NULL;
  guint households = 0, watched = 0;

  if (districts == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, _("The districts could not be read"), error);
      return;
    }

  for (guint i = 0; i < districts->len; i++)
    {
      households += tsu_district_get_household_count (districts->pdata[i]);
      watched += tsu_district_get_watched_count (districts->pdata[i]);
    }
  whole_city = g_object_new (TSU_TYPE_DISTRICT,
                             "name", _("All Districts"),
                             "household-count", households,
                             "watched-count", watched,
                             NULL);

  g_list_store_remove_all (self->districts);
  g_list_store_append (self->districts, whole_city);
  g_list_store_splice (self->districts, 1, 0, districts->pdata, districts->len);
  gtk_single_selection_set_selected (self->district_selection, 0);
}

void
tsu_window_reload (TsuWindow *self)
{
  g_return_if_fail (TSU_IS_WINDOW (self));
  g_return_if_fail (self->store != NULL);

  tsu_store_list_districts_async (self->store, self->cancellable, on_districts_loaded_cb, self);
  tsu_store_list_households_async (self->store, NULL, self->cancellable, on_households_loaded_cb, self);
}

static void
on_open_household_cb (TsuWorklistPage *page,
                      const char      *household_id,
                      TsuWindow       *self)
{
  tsu_window_show_household (self, household_id);
}

/* After a visit or an edit, refresh that one household in the list (its
 * last visit, members) rather than rebuilding 40,000 rows, and let the
 * map and the work list read their state again. */
static void
refresh_household_worker (GTask        *task,
                          gpointer      source,
                          gpointer      task_data,
                          GCancellable *cancellable)
{
  GError *error = NULL;
  TsuHousehold *household = tsu_store_get_household (source, task_data, &error);

  if (household == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, household, g_object_unref);
}

static void
on_household_refreshed_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  TsuWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TsuHousehold) household = g_task_propagate_pointer (G_TASK (result), &error);
  guint n;

  if (household == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
          !g_error_matches (error, TSU_STORE_ERROR, TSU_STORE_ERROR_NOT_FOUND))
        g_warning ("Failed to refresh a household: %s", error->message);
      return;
    }

  n = g_list_model_get_n_items (G_LIST_MODEL (self->households));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TsuHousehold) item = g_list_model_get_item (G_LIST_MODEL (self->households), i);

      if (g_strcmp0 (tsu_household_get_id (item), tsu_household_get_id (household)) == 0)
        {
          g_list_store_splice (self->households, i, 1, (gpointer *) &household, 1);
          return;
        }
    }
  g_list_store_append (self->households, household);
  update_summary (self);
}

static void
refresh_household (TsuWindow  *self,
                   const char *household_id)
{
  g_autoptr(GTask) task = g_task_new (self->store, self->cancellable, on_household_refreshed_cb, self);

  g_task_set_task_data (task, g_strdup (household_id), g_free);
  g_task_run_in_thread (task, refresh_household_worker);

  /* A visit answers follow-ups and changes the map's colours. */
  if (self->worklist_page != NULL)
    tsu_worklist_page_reload (TSU_WORKLIST_PAGE (self->worklist_page));
  if (self->map_view != NULL)
    tsu_map_view_reload (TSU_MAP_VIEW (self->map_view));
}

static void
on_visit_saved_cb (TsuHouseholdPage *page,
                   const char       *visit_id,
                   TsuWindow        *self)
{
  refresh_household (self, tsu_household_page_get_household_id (page));
}

static void
on_household_changed_cb (TsuHouseholdPage *page,
                         const char       *household_id,
                         TsuWindow        *self)
{
  refresh_household (self, household_id);
}

static void
on_editor_saved_cb (TsuVisitEditor *editor,
                    const char     *visit_id,
                    TsuWindow      *self)
{
  refresh_household (self, tsu_visit_editor_get_household_id (editor));
  if (self->household_page != NULL)
    tsu_household_page_reload (TSU_HOUSEHOLD_PAGE (self->household_page));
}

static gboolean
on_new_visit_cb (TsuWorklistPage *page,
                 const char      *household_id,
                 TsuWindow       *self)
{
  TsuVisitEditor *editor = tsu_visit_editor_open (GTK_WIDGET (self), self->store, household_id, NULL);

  g_signal_connect_object (editor, "saved", G_CALLBACK (on_editor_saved_cb), self, 0);
  return TRUE;
}

static void
on_map_household_activated_cb (TsuMapView *map,
                               const char *household_id,
                               TsuWindow  *self)
{
  tsu_window_show_household (self, household_id);
}

/* The household page and the work list need the store, so they are made
 * once it is open; their places in the template are empty bins. */
static void
create_pages (TsuWindow *self)
{
  self->household_page = tsu_household_page_new (self->store);
  adw_bin_set_child (self->household_page_bin, self->household_page);
  g_signal_connect_object (self->household_page, "visit-saved",
                           G_CALLBACK (on_visit_saved_cb), self, 0);
  g_signal_connect_object (self->household_page, "household-changed",
                           G_CALLBACK (on_household_changed_cb), self, 0);

  self->worklist_page = tsu_worklist_page_new (self->store);
  tsu_worklist_page_set_district_id (TSU_WORKLIST_PAGE (self->worklist_page), self->district_id);
  adw_bin_set_child (self->worklist_bin, self->worklist_page);
  g_signal_connect_object (self->worklist_page, "open-household",
                           G_CALLBACK (on_open_household_cb), self, 0);
  g_signal_connect_object (self->worklist_page, "new-visit",
                           G_CALLBACK (on_new_visit_cb), self, 0);

  self->map_view = tsu_map_view_new (self->store);
  adw_bin_set_child (self->map_bin, self->map_view);
  g_signal_connect_object (self->map_view, "household-activated",
                           G_CALLBACK (on_map_household_activated_cb), self, 0);

  self->meeting_page = tsu_meeting_map_page_new ();
  tsu_meeting_map_page_set_store (TSU_MEETING_MAP_PAGE (self->meeting_page), self->store);
  adw_bin_set_child (self->meeting_bin, self->meeting_page);

  /* Changesets in and out; an import changes what every page shows. */
  self->sync_page = tsu_sync_page_new (self->store);
  adw_bin_set_child (self->sync_bin, self->sync_page);
  g_signal_connect_object (self->sync_page, "changed", G_CALLBACK (on_import_changed_cb), self, G_CONNECT_SWAPPED);

  /* A laptop full of welfare records on an unencrypted disk: say so. */
  self->encryption_banner = tsu_encryption_banner_new ();
  adw_bin_set_child (self->banner_bin, self->encryption_banner);
  tsu_encryption_banner_check (TSU_ENCRYPTION_BANNER (self->encryption_banner),
                               tsu_store_get_path (self->store));
}

static void
open_store_worker (GTask        *task,
                   gpointer      source,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  const char *path = task_data;
  GError *error = NULL;
  TsuStore *store = tsu_store_open (path, &error);

  /* Contact types, outcomes, categories and agencies are data: a new
   * database gets the standard set once (fixed ids, so every laptop and
   * the hub agree), and a 社協's own edits are never overwritten. */
  if (store != NULL && !tsu_reference_data_ensure (store, &error))
    g_clear_object (&store);

  if (store == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, store, g_object_unref);
}

static void
on_store_opened_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  TsuWindow *self = TSU_WINDOW (source);
  g_autoptr(GError) error = NULL;
  TsuStore *store = g_task_propagate_pointer (G_TASK (result), &error);

  if (store == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, _("The database could not be opened"), error);
      return;
    }

  self->store = store;
  create_pages (self);
  adw_status_page_set_title (self->loading_page, _("Loading households…"));
  tsu_window_reload (self);
}

void
tsu_window_open_database (TsuWindow  *self,
                          const char *path,
                          gboolean    create_demo)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TSU_IS_WINDOW (self));

  self->create_demo = create_demo;
  task = g_task_new (self, self->cancellable, on_store_opened_cb, NULL);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, open_store_worker);
}

/* The demo city -------------------------------------------------------------- */

typedef struct
{
  TsuWindow *window;     /* a reference, released on the main thread */
  double     fraction;
} DemoProgress;

static gboolean
show_demo_progress_cb (gpointer data)
{
  DemoProgress *progress = data;

  gtk_progress_bar_set_fraction (progress->window->loading_progress, progress->fraction);
  return G_SOURCE_REMOVE;
}

static void
demo_progress_free (gpointer data)
{
  DemoProgress *progress = data;

  g_object_unref (progress->window);
  g_free (progress);
}

/* Runs on the generating thread: hand the figure to the main loop. */
static void
on_demo_progress (double      fraction,
                  const char *stage,
                  gpointer    user_data)
{
  DemoProgress *progress = g_new0 (DemoProgress, 1);

  progress->window = g_object_ref (user_data);
  progress->fraction = fraction;
  g_main_context_invoke_full (NULL, G_PRIORITY_DEFAULT, show_demo_progress_cb,
                              progress, demo_progress_free);
}

static void
create_demo_worker (GTask        *task,
                    gpointer      source,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  TsuWindow *self = source;
  TsuDemoOptions options;
  GError *error = NULL;

  tsu_demo_options_init (&options, TSU_DEMO_SIZE_IGA);
  /* Only the store and the options are touched here; progress goes to
   * the main loop through on_demo_progress. */
  if (tsu_demo_generate (task_data, &options, on_demo_progress, self, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_demo_created_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  TsuWindow *self = TSU_WINDOW (source);
  g_autoptr(GError) error = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->loading_progress), FALSE);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, _("The demo city could not be made"), error);
      return;
    }

  adw_status_page_set_title (self->loading_page, _("Loading households…"));
  tsu_window_reload (self);
  if (self->map_view != NULL)
    tsu_map_view_reload (TSU_MAP_VIEW (self->map_view));
  if (self->worklist_page != NULL)
    tsu_worklist_page_reload (TSU_WORKLIST_PAGE (self->worklist_page));
}

static void
create_demo (TsuWindow *self)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, on_demo_created_cb, NULL);

  self->create_demo = FALSE;
  adw_status_page_set_title (self->loading_page, _("Making the demo city…"));
  adw_status_page_set_description (self->loading_page,
                                   _("40,000 invented households in the 39 districts of Iga City, with five years of visits."));
  gtk_progress_bar_set_fraction (self->loading_progress, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->loading_progress), TRUE);
  gtk_stack_set_visible_child_name (self->main_stack, "loading");

  g_task_set_task_data (task, g_object_ref (self->store), g_object_unref);
  g_task_run_in_thread (task, create_demo_worker);
}

static void
create_demo_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  TsuWindow *self = TSU_WINDOW (widget);

  if (window_is_locked (self))
    return;

  if (self->store != NULL)
    create_demo (self);
}

/* Dialogs ---------------------------------------------------------------------- */

static void
on_import_changed_cb (TsuWindow *self)
{
  tsu_window_reload (self);
  if (self->map_view != NULL)
    tsu_map_view_reload (TSU_MAP_VIEW (self->map_view));
  if (self->worklist_page != NULL)
    tsu_worklist_page_reload (TSU_WORKLIST_PAGE (self->worklist_page));
}

static void
import_households_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  TsuWindow *self = TSU_WINDOW (widget);
  TsuImportDialog *dialog;

  if (window_is_locked (self))
    return;

  if (self->store == NULL)
    return;
  dialog = tsu_import_dialog_new (GTK_WINDOW (self), self->store);
  g_signal_connect_object (dialog, "changed", G_CALLBACK (on_import_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
export_summary_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  TsuWindow *self = TSU_WINDOW (widget);

  if (window_is_locked (self))
    return;

  if (self->store != NULL)
    gtk_window_present (GTK_WINDOW (tsu_summary_dialog_new (GTK_WINDOW (self), self->store)));
}

static void
on_boundaries_imported_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(TsuWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  guint n = 0;

  if (!tsu_store_import_boundaries_file_finish (TSU_STORE (source), result, &n, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        tsu_window_add_toast (self, error->message);
      return;
    }

  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Imported the boundary of %u district",
                                          "Imported the boundaries of %u districts", n), n);
  tsu_window_add_toast (self, message);
  on_import_changed_cb (self);
}

static void
on_boundary_file_chosen_cb (GtkNativeDialog *chooser,
                            int              response,
                            TsuWindow       *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      tsu_store_import_boundaries_file_async (self->store, file, NULL, FALSE, self->cancellable,
                                              on_boundaries_imported_cb, g_object_ref (self));
    }
  g_object_unref (chooser);
}

static void
import_boundaries_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  TsuWindow *self = TSU_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (window_is_locked (self))
    return;

  if (self->store == NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Import District Boundaries"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("GeoJSON files"));
  gtk_file_filter_add_pattern (filter, "*.geojson");
  gtk_file_filter_add_pattern (filter, "*.json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect (chooser, "response", G_CALLBACK (on_boundary_file_chosen_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Screenshots -------------------------------------------------------------- */

typedef struct
{
  TsuWindow *window;
  char      *path;
  gboolean   quit_after;
  gulong     after_paint_id;
} Screenshot;

static void
screenshot_free (gpointer data)
{
  Screenshot *shot = data;

  g_object_unref (shot->window);
  g_free (shot->path);
  g_free (shot);
}

/* Right after a frame has been drawn, GtkWidgetPaintable has that frame
 * (between frames, a widget waiting to be redrawn, such as a spinner,
 * would leave it empty). */
static void
on_after_paint_cb (GdkFrameClock *clock,
                   gpointer       user_data)
{
  Screenshot *shot = user_data;
  GtkWidget *widget = GTK_WIDGET (shot->window);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    return; /* not this frame: the next one */

  g_signal_handler_disconnect (clock, shot->after_paint_id);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, shot->path))
    g_warning ("Failed to save the screenshot to %s", shot->path);
  if (shot->quit_after)
    gtk_window_destroy (GTK_WINDOW (shot->window));
  screenshot_free (shot);
}

/* The delay has passed: the screenshot is the next frame drawn. */
static gboolean
take_screenshot_cb (gpointer user_data)
{
  Screenshot *shot = user_data;
  GtkWidget *widget = GTK_WIDGET (shot->window);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

  if (clock == NULL)
    {
      g_warning ("Failed to take a screenshot: the window is not on screen");
      if (shot->quit_after)
        gtk_window_destroy (GTK_WINDOW (shot->window));
      screenshot_free (shot);
      return G_SOURCE_REMOVE;
    }
  shot->after_paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint_cb), shot);
  gtk_widget_queue_draw (widget);
  return G_SOURCE_REMOVE;
}

void
tsu_window_take_screenshot_later (TsuWindow  *self,
                                  const char *png_path,
                                  guint       delay_ms,
                                  gboolean    quit_after)
{
  Screenshot *shot = g_new0 (Screenshot, 1);

  shot->window = g_object_ref (self);
  shot->path = g_strdup (png_path);
  shot->quit_after = quit_after;
  g_timeout_add (delay_ms, take_screenshot_cb, shot);
}

/* Actions ------------------------------------------------------------------ */

/* A view of the stack, and the content pane on a narrow window. */
static void
show_view (TsuWindow  *self,
           const char *name)
{
  adw_view_stack_set_visible_child_name (self->view_stack, name);
  adw_leaflet_set_visible_child (self->leaflet, self->content);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TsuWindow *self = TSU_WINDOW (widget);

  if (window_is_locked (self))
    return;

  if (self->store == NULL)
    return;
  show_view (self, "households");
  adw_leaflet_set_visible_child (self->household_leaflet, self->household_list_pane);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
new_visit_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TsuWindow *self = TSU_WINDOW (widget);

  if (window_is_locked (self))
    return;

  /* Ctrl+N logs a visit to the household on screen, from any view. */
  if (self->household_page == NULL ||
      tsu_household_page_get_household_id (TSU_HOUSEHOLD_PAGE (self->household_page)) == NULL)
    {
      tsu_window_add_toast (self, _("Open a household first to log a visit"));
      return;
    }
  tsu_household_page_new_visit (TSU_HOUSEHOLD_PAGE (self->household_page));
}

static void
show_districts_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  TsuWindow *self = TSU_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
}

static void
show_view_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TsuWindow *self = TSU_WINDOW (widget);

  if (window_is_locked (self))
    return;

  show_view (self, g_variant_get_string (parameter, NULL));
}

/* "Place on map" for a household without a location (the household page
 * activates this with the household's id): the next click on the map
 * sets and saves it. */
static void
place_on_map_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  TsuWindow *self = TSU_WINDOW (widget);

  if (self->map_view == NULL || window_is_locked (self))
    return;
  if (*g_variant_get_string (parameter, NULL) == '\0')
    return; /* no household on the page yet */
  show_view (self, "map");
  tsu_map_view_begin_place (TSU_MAP_VIEW (self->map_view), g_variant_get_string (parameter, NULL));
}

/* The audit trail of the household on the page. */
static void
show_history_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  TsuWindow *self = TSU_WINDOW (widget);
  const char *household_id;

  if (self->household_page == NULL || window_is_locked (self))
    return;
  household_id = tsu_household_page_get_household_id (TSU_HOUSEHOLD_PAGE (self->household_page));
  if (household_id == NULL)
    {
      tsu_window_add_toast (self, _("Open a household first to see its history"));
      return;
    }
  gtk_window_present (GTK_WINDOW (tsu_history_dialog_new (GTK_WINDOW (self), self->store, household_id)));
}

/* Export and import of changesets live on the sync page. */
static void
show_sync_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TsuWindow *self = TSU_WINDOW (widget);

  if (window_is_locked (self))
    return;

  show_view (self, "sync");
}

static void
lock_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TsuWindow *self = TSU_WINDOW (widget);

  /* Without a passphrase yet, the lock page asks for a first one. */
  tsu_lock_page_lock (TSU_LOCK_PAGE (self->lock_page));
}

static void
on_lock_requested_cb (TsuIdleMonitor *monitor,
                      int             reason,
                      TsuWindow      *self)
{
  /* Locking by itself before a passphrase exists would let whoever finds
   * the laptop choose one: idle locking starts once one is set. */
  if (tsu_passphrase_is_set (self->passphrase_path))
    tsu_lock_page_lock (TSU_LOCK_PAGE (self->lock_page));
}

/* Window ------------------------------------------------------------------- */

static gboolean
tsu_window_close_request (GtkWindow *window)
{
  TsuWindow *self = TSU_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));

  return GTK_WINDOW_CLASS (tsu_window_parent_class)->close_request (window);
}

static void
tsu_window_dispose (GObject *object)
{
  TsuWindow *self = TSU_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->search_cancellable);
  g_clear_object (&self->idle_monitor);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->passphrase_path, g_free);

  gtk_widget_dispose_template (GTK_WIDGET (self), TSU_TYPE_WINDOW);

  g_clear_object (&self->district_selection);
  g_clear_object (&self->districts);
  g_clear_object (&self->household_selection);
  g_clear_object (&self->filtered_households);
  g_clear_object (&self->households);
  g_clear_object (&self->search_results);
  g_clear_object (&self->store);
  g_clear_pointer (&self->district_id, g_free);

  G_OBJECT_CLASS (tsu_window_parent_class)->dispose (object);
}

static void
tsu_window_class_init (TsuWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = tsu_window_dispose;
  window_class->close_request = tsu_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/tsu-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TsuWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TsuWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, TsuWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, TsuWindow, loading_page);
  gtk_widget_class_bind_template_child (widget_class, TsuWindow, loading_progress);
  gtk_widget_class_bind_template_child (widget_class, TsuWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, TsuWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, TsuWindow, content);
  gtk_widget_class_bind_template_child (widget_class, TsuWindow, district_list);
  gtk_widget_class_bind_template_child (widget_class, TsuWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, TsuWindow, household_leaflet);
  gtk_widget_class_bind_template_child (widget_class, TsuWindow, household_list_pane);
  gtk_widget_class_bind_template_child (widget_class, TsuWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TsuWindow, list_summary_label);
  gtk_widget_class_bind_template_child (widget_class, TsuWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, TsuWindow, household_list);
  gtk_widget_class_bind_template_child (widget_class, TsuWindow, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, TsuWindow, household_page_bin);
  gtk_widget_class_bind_template_child (widget_class, TsuWindow, map_bin);
  gtk_widget_class_bind_template_child (widget_class, TsuWindow, worklist_bin);
  gtk_widget_class_bind_template_child (widget_class, TsuWindow, meeting_bin);
  gtk_widget_class_bind_template_child (widget_class, TsuWindow, sync_bin);
  gtk_widget_class_bind_template_child (widget_class, TsuWindow, banner_bin);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);

  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.show-districts", NULL, show_districts_action);
  gtk_widget_class_install_action (widget_class, "win.show-view", "s", show_view_action);
  gtk_widget_class_install_action (widget_class, "win.place-on-map", "s", place_on_map_action);
  gtk_widget_class_install_action (widget_class, "win.new-visit", NULL, new_visit_action);
  gtk_widget_class_install_action (widget_class, "win.create-demo", NULL, create_demo_action);
  gtk_widget_class_install_action (widget_class, "win.lock", NULL, lock_action);
  gtk_widget_class_install_action (widget_class, "win.show-history", NULL, show_history_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_h, GDK_CONTROL_MASK, "win.show-history", NULL);
  gtk_widget_class_install_action (widget_class, "win.export-changes", NULL, show_sync_action);
  gtk_widget_class_install_action (widget_class, "win.import-changes", NULL, show_sync_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.lock", NULL);
  gtk_widget_class_install_action (widget_class, "win.import-households", NULL, import_households_action);
  gtk_widget_class_install_action (widget_class, "win.import-boundaries", NULL, import_boundaries_action);
  gtk_widget_class_install_action (widget_class, "win.export-summary", NULL, export_summary_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new-visit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK, "win.show-view", "s", "households");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK, "win.show-view", "s", "map");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK, "win.show-view", "s", "worklist");
}

static void
tsu_window_init (TsuWindow *self)
{
  g_autoptr(GtkListItemFactory) district_factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkListItemFactory) household_factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  /* The lock page wraps all the window's content. */
  self->lock_page = tsu_lock_page_new ();
  g_object_ref (self->toast_overlay);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (self), NULL);
  tsu_lock_page_set_content (TSU_LOCK_PAGE (self->lock_page), GTK_WIDGET (self->toast_overlay));
  g_object_unref (self->toast_overlay);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (self), self->lock_page);
  self->passphrase_path = g_build_filename (g_get_user_data_dir (), APP_ID, "passphrase", NULL);
  tsu_lock_page_set_passphrase_path (TSU_LOCK_PAGE (self->lock_page), self->passphrase_path);

  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (APP_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  /* Open where the coordinator left off: the list, the map or the work list. */
  g_settings_bind (self->settings, "last-view", self->view_stack, "visible-child-name",
                   G_SETTINGS_BIND_DEFAULT);

  self->idle_monitor = tsu_idle_monitor_new (self->settings, TRUE);
  tsu_idle_monitor_watch_window (self->idle_monitor, GTK_WINDOW (self));
  g_signal_connect_object (self->idle_monitor, "lock-requested",
                           G_CALLBACK (on_lock_requested_cb), self, 0);

  self->districts = g_list_store_new (TSU_TYPE_DISTRICT);
  self->district_selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->districts)));
  g_signal_connect_object (self->district_selection, "notify::selected-item",
                           G_CALLBACK (on_district_selected_cb), self, 0);
  g_signal_connect (district_factory, "setup", G_CALLBACK (setup_district_row_cb), NULL);
  g_signal_connect (district_factory, "bind", G_CALLBACK (bind_district_row_cb), NULL);
  gtk_list_view_set_factory (self->district_list, district_factory);
  gtk_list_view_set_model (self->district_list, GTK_SELECTION_MODEL (self->district_selection));
  g_signal_connect_object (self->district_list, "activate",
                           G_CALLBACK (on_district_activated_cb), self, 0);

  self->households = g_list_store_new (TSU_TYPE_HOUSEHOLD);
  self->search_results = g_list_store_new (TSU_TYPE_HOUSEHOLD);
  self->district_filter = gtk_custom_filter_new (filter_by_district, self, NULL);
  self->filtered_households = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->households)),
                                                         GTK_FILTER (self->district_filter));
  self->household_selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->filtered_households)));
  gtk_single_selection_set_autoselect (self->household_selection, FALSE);
  gtk_single_selection_set_can_unselect (self->household_selection, TRUE);
  g_signal_connect (household_factory, "setup", G_CALLBACK (setup_household_row_cb), NULL);
  g_signal_connect (household_factory, "bind", G_CALLBACK (bind_household_row_cb), NULL);
  gtk_list_view_set_factory (self->household_list, household_factory);
  gtk_list_view_set_model (self->household_list, GTK_SELECTION_MODEL (self->household_selection));
  g_signal_connect_object (self->household_list, "activate",
                           G_CALLBACK (on_household_activated_cb), self, 0);
  g_signal_connect_object (self->search_entry, "activate",
                           G_CALLBACK (on_search_activate_cb), self, 0);
  gtk_search_entry_set_key_capture_widget (self->search_entry, self->household_list_pane);
}
