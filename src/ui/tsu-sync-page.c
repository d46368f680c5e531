/* tsu-sync-page.c: export and import changesets, review conflicts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything that touches the database or a file runs in a worker thread
 * (the changeset functions have _async variants; the conflict list and a
 * resolution are small GTasks here), so a 200,000-visit import never
 * freezes the window.
 */
#include "config.h"

#include <string.h>
#include <adwaita.h>
#include <glib/gi18n.h>

#include "tsu-changeset.h"
#include "tsu-store-sync.h"
#include "tsu-sync-page.h"

struct _TsuSyncPage
{
  GtkWidget     parent_instance;

  TsuStore     *store;
  GCancellable *cancellable;
  guint         busy;
  guint         n_conflicts;
  char         *summary;

  GSettings    *settings;

  GtkButton    *export_button;
  AdwActionRow *folder_row;
  GtkButton    *choose_folder_button;
  GtkButton    *folder_sync_button;
  GtkButton    *import_button;
  GtkLabel     *summary_label;
  GtkListBox   *conflicts_list;
};

G_DEFINE_FINAL_TYPE (TsuSyncPage, tsu_sync_page, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_STORE, N_PROPS };
enum { CHANGED, N_SIGNALS };

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
set_busy (TsuSyncPage *self,
          gboolean     busy)
{
  if (busy)
    self->busy++;
  else if (self->busy > 0)
    self->busy--;
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), self->busy == 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->import_button), self->busy == 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->choose_folder_button), self->busy == 0);
  if (self->settings != NULL)
    {
      g_autofree char *folder = g_settings_get_string (self->settings, "sync-folder");
      gtk_widget_set_sensitive (GTK_WIDGET (self->folder_sync_button), self->busy == 0 && *folder != '\0');
    }
}

static void
update_folder_row (TsuSyncPage *self)
{
  g_autofree char *folder = g_settings_get_string (self->settings, "sync-folder");

  adw_action_row_set_subtitle (self->folder_row, *folder != '\0' ? folder
                               : _("Not chosen: files go where you choose each time"));
  set_busy (self, FALSE);
}

/* The result of the last action. Failures are styled as errors; a result
 * that needs no action (a file imported twice) is not. */
static void
show_status (TsuSyncPage *self,
             const char  *text,
             gboolean     is_error)
{
  g_free (self->summary);
  self->summary = g_strdup (text);
  gtk_label_set_label (self->summary_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->summary_label), text != NULL);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->summary_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->summary_label), "error");
}

static void
show_summary (TsuSyncPage *self,
              const char  *text)
{
  show_status (self, text, FALSE);
}

static void
show_error (TsuSyncPage *self,
            const char  *text)
{
  show_status (self, text, TRUE);
}

/* A timestamp (HLC text) as local date and time. */
static char *
format_hlc (const char *hlc)
{
  g_autoptr(GDateTime) time = NULL;
  gint64 ms;

  if (hlc == NULL || strlen (hlc) < 16)
    return g_strdup ("");
  ms = g_ascii_strtoll (hlc, NULL, 10);
  time = g_date_time_new_from_unix_local (ms / 1000);
  return time != NULL ? g_date_time_format (time, "%Y-%m-%d %H:%M") : g_strdup ("");
}

static char *
format_value (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup (_("(empty)"));
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (node) ? _("yes") : _("no"));
  return json_to_string (node, FALSE);
}

static const char *
table_label (const char *table)
{
  static const struct { const char *table; const char *label; } labels[] = {
    { "household", N_("Household") },
    { "resident", N_("Resident") },
    { "visit", N_("Visit") },
    { "followup", N_("Follow-up") },
    { "district", N_("District") },
    { "coordinator", N_("Coordinator") },
    { "category", N_("Category") },
    { "agency", N_("Agency") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (labels[i].table, table) == 0)
      return _(labels[i].label);
  return table;
}

static void resolve_clicked (GtkButton *button, TsuSyncPage *self);

static GtkWidget *
conflict_row (TsuSyncPage *self,
              JsonObject  *conflict)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  g_autofree char *title = NULL;
  g_autofree char *local = format_value (json_object_get_member (conflict, "local_value"));
  g_autofree char *remote = format_value (json_object_get_member (conflict, "remote_value"));
  g_autofree char *local_when = format_hlc (json_object_get_string_member_with_default (conflict, "local_hlc", NULL));
  g_autofree char *remote_when = format_hlc (json_object_get_string_member_with_default (conflict, "remote_hlc", NULL));
  g_autofree char *subtitle = NULL;
  gboolean remote_won = json_object_get_boolean_member (conflict, "remote_won");
  gint64 id = json_object_get_int_member (conflict, "id");
  const char *who_local = json_object_get_string_member_with_default (conflict, "local_actor", NULL);
  const char *who_remote = json_object_get_string_member_with_default (conflict, "remote_actor", NULL);
  struct { const char *label; gboolean remote; const char *name; } choices[] = {
    { N_("Keep Here"), FALSE, "keep-local" },
    { N_("Keep Incoming"), TRUE, "keep-remote" },
  };

  /* Translators: a conflict's title: the kind of record and the field */
  title = g_strdup_printf (_("%s · %s"), table_label (json_object_get_string_member (conflict, "table")),
                           json_object_get_string_member (conflict, "field"));
  /* Translators: both values of a conflict, who wrote each and when; the one in effect is marked */
  subtitle = g_strdup_printf (_("Here: %s (%s, %s)%s\nIncoming: %s (%s, %s)%s"),
                              local, who_local != NULL ? who_local : _("unknown"), local_when,
                              remote_won ? "" : _(" — in effect"),
                              remote, who_remote != NULL ? who_remote : _("unknown"), remote_when,
                              remote_won ? _(" — in effect") : "");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 4);

  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  for (guint i = 0; i < G_N_ELEMENTS (choices); i++)
    {
      GtkWidget *button = gtk_button_new_with_label (_(choices[i].label));

      gtk_widget_set_name (button, choices[i].name);
      g_object_set_data (G_OBJECT (button), "conflict-id", GINT_TO_POINTER ((int) id));
      g_object_set_data (G_OBJECT (button), "keep-remote", GINT_TO_POINTER (choices[i].remote));
      g_signal_connect (button, "clicked", G_CALLBACK (resolve_clicked), self);
      gtk_box_append (GTK_BOX (box), button);
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), box);
  return row;
}

static void
list_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *conflicts = tsu_store_sync_list_conflicts (task_data, FALSE, &error);

  if (conflicts == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, conflicts, (GDestroyNotify) g_ptr_array_unref);
}

static void
list_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  TsuSyncPage *self = TSU_SYNC_PAGE (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) conflicts = g_task_propagate_pointer (G_TASK (result), &error);
  GtkWidget *child;

  set_busy (self, FALSE);
  if (conflicts == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error->message);
      return;
    }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->conflicts_list))) != NULL)
    gtk_list_box_remove (self->conflicts_list, child);
  for (guint i = 0; i < conflicts->len; i++)
    gtk_list_box_append (self->conflicts_list, conflict_row (self, conflicts->pdata[i]));
  self->n_conflicts = conflicts->len;
  if (conflicts->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No conflicts to review"));
      gtk_list_box_append (self->conflicts_list, row);
    }
}

void
tsu_sync_page_reload (TsuSyncPage *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TSU_IS_SYNC_PAGE (self));

  set_busy (self, TRUE);
  task = g_task_new (self, self->cancellable, list_done, NULL);
  g_task_set_task_data (task, g_object_ref (self->store), g_object_unref);
  g_task_run_in_thread (task, list_thread);
}

typedef struct
{
  TsuStore *store;
  gint64    id;
  gboolean  keep_remote;
} Resolve;

static void
resolve_free (gpointer data)
{
  Resolve *resolve = data;

  g_object_unref (resolve->store);
  g_free (resolve);
}

static void
resolve_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Resolve *resolve = task_data;
  GError *error = NULL;

  if (tsu_store_sync_resolve_conflict (resolve->store, resolve->id, resolve->keep_remote, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
resolve_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  TsuSyncPage *self = TSU_SYNC_PAGE (source);
  g_autoptr(GError) error = NULL;

  set_busy (self, FALSE);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error->message);
      return;
    }
  g_signal_emit (self, signals[CHANGED], 0);
  tsu_sync_page_reload (self);
}

static void
resolve_clicked (GtkButton   *button,
                 TsuSyncPage *self)
{
  g_autoptr(GTask) task = NULL;
  Resolve *resolve = g_new0 (Resolve, 1);

  resolve->store = g_object_ref (self->store);
  resolve->id = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "conflict-id"));
  resolve->keep_remote = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "keep-remote"));

  set_busy (self, TRUE);
  task = g_task_new (self, self->cancellable, resolve_done, NULL);
  g_task_set_task_data (task, resolve, resolve_free);
  g_task_run_in_thread (task, resolve_thread);
}

static void
export_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(TsuSyncPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint n = 0;

  set_busy (self, FALSE);
  if (!tsu_changeset_export_file_finish (TSU_STORE (source), result, &n, &error))
    {
      show_error (self, error->message);
      return;
    }
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported %u change. Take the file to the central office.",
                                       "Exported %u changes. Take the file to the central office.", n), n);
  show_summary (self, text);
}

void
tsu_sync_page_export_to_file (TsuSyncPage *self,
                              GFile       *file)
{
  g_autofree char *path = g_file_get_path (file);

  g_return_if_fail (TSU_IS_SYNC_PAGE (self));

  set_busy (self, TRUE);
  tsu_changeset_export_file_async (self->store, path, self->cancellable, export_done, g_object_ref (self));
}

static void
import_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(TsuSyncPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  TsuSyncCounts counts = { 0, };

  set_busy (self, FALSE);
  if (!tsu_changeset_import_file_finish (TSU_STORE (source), result, &counts, &error))
    {
      g_autofree char *message = NULL;

      /* Files travel by hand and are often imported twice: by design that
       * changes nothing, and there is nothing to put right. */
      if (g_error_matches (error, TSU_STORE_ERROR, TSU_STORE_ERROR_ALREADY_IMPORTED))
        {
          show_summary (self, _("Already up to date: this file, or a newer one from the same sender, was imported before. Nothing needed to change."));
          return;
        }
      message = g_strdup_printf (_("Nothing was imported. %s"), error->message);
      show_error (self, message);
      return;
    }
  /* Translators: the result of an import */
  text = g_strdup_printf (_("Imported: %u records added, %u updated, %u conflicts to review, %u records removed because they left your districts."),
                          counts.added, counts.updated, counts.conflicts, counts.evicted);
  show_summary (self, text);
  g_signal_emit (self, signals[CHANGED], 0);
  tsu_sync_page_reload (self);
}

void
tsu_sync_page_import_from_file (TsuSyncPage *self,
                                GFile       *file)
{
  g_autofree char *path = g_file_get_path (file);

  g_return_if_fail (TSU_IS_SYNC_PAGE (self));

  set_busy (self, TRUE);
  tsu_changeset_import_file_async (self->store, path, self->cancellable, import_done, g_object_ref (self));
}

static void
chooser_response (GtkNativeDialog *chooser,
                  int              response,
                  TsuSyncPage     *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (gtk_file_chooser_get_action (GTK_FILE_CHOOSER (chooser)) == GTK_FILE_CHOOSER_ACTION_SAVE)
        tsu_sync_page_export_to_file (self, file);
      else
        tsu_sync_page_import_from_file (self, file);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
open_chooser (TsuSyncPage          *self,
              GtkFileChooserAction  action)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  gboolean save = action == GTK_FILE_CHOOSER_ACTION_SAVE;
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (save ? _("Export Changes") : _("Import Changes"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, action,
                                         save ? _("_Export") : _("_Import"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Tsunagu changesets"));
  gtk_file_filter_add_pattern (filter, "*.json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  if (save)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *name = g_date_time_format (now, "tsunagu-changes-%Y%m%d-%H%M.json");

      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
    }
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_export_clicked (TsuSyncPage *self)
{
  open_chooser (self, GTK_FILE_CHOOSER_ACTION_SAVE);
}

static void
on_import_clicked (TsuSyncPage *self)
{
  open_chooser (self, GTK_FILE_CHOOSER_ACTION_OPEN);
}

typedef struct
{
  TsuStore *store;
  char     *folder;
} FolderSync;

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
folder_sync_free (gpointer data)
{
  FolderSync *sync = data;

  g_object_unref (sync->store);
  g_free (sync->folder);
  g_free (sync);
}

/* Files from the hub are named tsunagu-to-device-*.json; importing one
 * twice, or an older one after a newer one, changes nothing, so every such
 * file in the folder is imported, oldest name first. */
static void
folder_sync_thread (GTask        *task,
                    gpointer      source,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  FolderSync *sync = task_data;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *out_name = g_date_time_format (now, "tsunagu-to-hub-%Y%m%d-%H%M%S.json");
  g_autofree char *out_path = g_build_filename (sync->folder, out_name, NULL);
  TsuSyncCounts total = { 0, };
  GError *error = NULL;
  const char *name;
  guint n_exported = 0;
  guint n_files = 0;
  guint n_refused = 0;
  guint n_already = 0;

  dir = g_dir_open (sync->folder, 0, &error);
  if (dir == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "tsunagu-to-device-") && g_str_has_suffix (name, ".json"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (sync->folder, names->pdata[i], NULL);
      TsuSyncCounts counts = { 0, };

      if (!tsu_changeset_import_file (sync->store, path, &counts, &error))
        {
          /* A shared folder may hold other laptops' files: they are
           * refused as not ours, counted, and do not stop the others. */
          if (g_error_matches (error, TSU_STORE_ERROR, TSU_STORE_ERROR_AUTH))
            {
              g_clear_error (&error);
              n_refused++;
              continue;
            }
          /* The hub's earlier files stay in the folder: read again, they
           * change nothing, and the newer ones after them still count. */
          if (g_error_matches (error, TSU_STORE_ERROR, TSU_STORE_ERROR_ALREADY_IMPORTED))
            {
              g_clear_error (&error);
              n_already++;
              continue;
            }
          g_task_return_error (task, error);
          return;
        }
      n_files++;
      total.added += counts.added;
      total.updated += counts.updated;
      total.conflicts += counts.conflicts;
      total.evicted += counts.evicted;
    }

  if (!tsu_changeset_export_file (sync->store, NULL, out_path, &n_exported, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task,
                         /* Translators: the result of syncing with the sync folder */
                         g_strdup_printf (_("Synced with the folder: %u files read (%u records added, %u updated, %u conflicts, %u removed), %u files imported before, %u files not for this laptop; %u changes written to %s."),
                                          n_files, total.added, total.updated, total.conflicts, total.evicted,
                                          n_already, n_refused, n_exported, out_name),
                         g_free);
}

static void
folder_sync_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  TsuSyncPage *self = TSU_SYNC_PAGE (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = g_task_propagate_pointer (G_TASK (result), &error);

  set_busy (self, FALSE);
  if (summary == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error->message);
      return;
    }
  show_summary (self, summary);
  g_signal_emit (self, signals[CHANGED], 0);
  tsu_sync_page_reload (self);
}

void
tsu_sync_page_sync_folder (TsuSyncPage *self)
{
  g_autoptr(GTask) task = NULL;
  FolderSync *sync;
  g_autofree char *folder = NULL;

  g_return_if_fail (TSU_IS_SYNC_PAGE (self));

  folder = g_settings_get_string (self->settings, "sync-folder");
  if (*folder == '\0')
    return;
  sync = g_new0 (FolderSync, 1);
  sync->store = g_object_ref (self->store);
  sync->folder = g_steal_pointer (&folder);

  set_busy (self, TRUE);
  task = g_task_new (self, self->cancellable, folder_sync_done, NULL);
  g_task_set_task_data (task, sync, folder_sync_free);
  g_task_run_in_thread (task, folder_sync_thread);
}

static void
on_folder_sync_clicked (TsuSyncPage *self)
{
  tsu_sync_page_sync_folder (self);
}

static void
folder_chosen (GtkNativeDialog *chooser,
               int              response,
               TsuSyncPage     *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        g_settings_set_string (self->settings, "sync-folder", path);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
on_choose_folder_clicked (TsuSyncPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Sync Folder"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (folder_chosen), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

guint
tsu_sync_page_get_n_conflicts (TsuSyncPage *self)
{
  g_return_val_if_fail (TSU_IS_SYNC_PAGE (self), 0);
  return self->n_conflicts;
}

const char *
tsu_sync_page_get_summary (TsuSyncPage *self)
{
  g_return_val_if_fail (TSU_IS_SYNC_PAGE (self), NULL);
  return self->summary;
}

gboolean
tsu_sync_page_is_busy (TsuSyncPage *self)
{
  g_return_val_if_fail (TSU_IS_SYNC_PAGE (self), FALSE);
  return self->busy > 0;
}

GtkWidget *
tsu_sync_page_new (TsuStore *store)
{
  return g_object_new (TSU_TYPE_SYNC_PAGE, "store", store, NULL);
}

static void
tsu_sync_page_constructed (GObject *object)
{
  TsuSyncPage *self = TSU_SYNC_PAGE (object);

  G_OBJECT_CLASS (tsu_sync_page_parent_class)->constructed (object);
  if (self->store != NULL)
    tsu_sync_page_reload (self);
}

static void
tsu_sync_page_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TsuSyncPage *self = TSU_SYNC_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_set_object (&self->store, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_sync_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TsuSyncPage *self = TSU_SYNC_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_sync_page_dispose (GObject *object)
{
  TsuSyncPage *self = TSU_SYNC_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (object), TSU_TYPE_SYNC_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (tsu_sync_page_parent_class)->dispose (object);
}

static void
tsu_sync_page_finalize (GObject *object)
{
  TsuSyncPage *self = TSU_SYNC_PAGE (object);

  g_clear_object (&self->cancellable);
  g_free (self->summary);
  G_OBJECT_CLASS (tsu_sync_page_parent_class)->finalize (object);
}

static void
tsu_sync_page_class_init (TsuSyncPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = tsu_sync_page_constructed;
  object_class->set_property = tsu_sync_page_set_property;
  object_class->get_property = tsu_sync_page_get_property;
  object_class->dispose = tsu_sync_page_dispose;
  object_class->finalize = tsu_sync_page_finalize;

  properties[PROP_STORE] = g_param_spec_object ("store", NULL, NULL, TSU_TYPE_STORE,
                                                G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                                                G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Emitted after an import or a resolved conflict changed records: the
   * window refreshes its lists. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/tsu-sync-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TsuSyncPage, export_button);
  gtk_widget_class_bind_template_child (widget_class, TsuSyncPage, import_button);
  gtk_widget_class_bind_template_child (widget_class, TsuSyncPage, folder_row);
  gtk_widget_class_bind_template_child (widget_class, TsuSyncPage, choose_folder_button);
  gtk_widget_class_bind_template_child (widget_class, TsuSyncPage, folder_sync_button);
  gtk_widget_class_bind_template_child (widget_class, TsuSyncPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, TsuSyncPage, conflicts_list);
  gtk_widget_class_bind_template_callback (widget_class, on_export_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_import_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_folder_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_folder_sync_clicked);
}

static void
tsu_sync_page_init (TsuSyncPage *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  self->settings = g_settings_new (APP_ID);
  g_signal_connect_swapped (self->settings, "changed::sync-folder", G_CALLBACK (update_folder_row), self);
  update_folder_row (self);
}
