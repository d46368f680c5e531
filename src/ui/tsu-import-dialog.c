/* tsu-import-dialog.c: importing households from a CSV file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Four steps: choose the file (and the town list), check the columns,
 * look at the preview (nothing is written until then), import. Reading,
 * previewing and writing run in worker threads; the dialog polls the
 * import's progress while they run and touches the import object only
 * after they have finished.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tsu-household-import.h"
#include "tsu-import-dialog.h"
#include "tsu-store-import.h"

#define TOWNS_SETTING "towns_file"

struct _TsuImportDialog
{
  AdwWindow           parent_instance;

  TsuStore           *store;
  TsuHouseholdImport *import;
  GCancellable       *cancellable;
  GFile              *file;
  GFile              *towns;
  char               *batch_id;
  guint               progress_id;
  gboolean            busy;
  GPtrArray          *mapping_rows;  /* AdwComboRow, with "target" data */

  /* template children */
  GtkStack           *stack;
  GtkButton          *next_button;
  GtkButton          *cancel_button;
  AdwActionRow       *file_row;
  AdwComboRow        *encoding_row;
  AdwActionRow       *towns_row;
  AdwPreferencesGroup *mapping_group;
  AdwPreferencesGroup *flags_group;
  GtkLabel           *summary_label;
  GtkStringList      *problems;
  AdwStatusPage      *working_page;
  GtkProgressBar     *progress_bar;
  AdwStatusPage      *done_page;
  GtkButton          *undo_button;
};

G_DEFINE_FINAL_TYPE (TsuImportDialog, tsu_import_dialog, ADW_TYPE_WINDOW)

enum
{
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void update_buttons (TsuImportDialog *self);

static void
show_error (TsuImportDialog *self,
            const char      *heading,
            const GError    *error)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, error->message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
set_page (TsuImportDialog *self,
          const char      *page)
{
  gtk_stack_set_visible_child_name (self->stack, page);
  update_buttons (self);
}

const char *
tsu_import_dialog_get_page (TsuImportDialog *self)
{
  g_return_val_if_fail (TSU_IS_IMPORT_DIALOG (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

const char *
tsu_import_dialog_get_batch (TsuImportDialog *self)
{
  g_return_val_if_fail (TSU_IS_IMPORT_DIALOG (self), NULL);
  return self->batch_id;
}

static void
update_buttons (TsuImportDialog *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);
  const char *label = _("_Next");
  gboolean can_next = !self->busy;

  if (g_strcmp0 (page, "choose") == 0)
    can_next = can_next && self->file != NULL;
  else if (g_strcmp0 (page, "mapping") == 0)
    label = _("_Preview");
  else if (g_strcmp0 (page, "preview") == 0)
    {
      TsuImportSummary summary;

      tsu_household_import_get_summary (self->import, &summary);
      label = _("_Import");
      can_next = can_next && summary.create > 0;
    }
  else if (g_strcmp0 (page, "working") == 0)
    can_next = FALSE;
  else if (g_strcmp0 (page, "done") == 0)
    label = _("_Close");

  gtk_button_set_label (self->next_button, label);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.next", can_next);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), g_strcmp0 (page, "done") != 0);
}

/* ---- progress --------------------------------------------------------- */

static gboolean
progress_cb (gpointer user_data)
{
  TsuImportDialog *self = user_data;

  gtk_progress_bar_set_fraction (self->progress_bar, tsu_household_import_get_progress (self->import));
  return G_SOURCE_CONTINUE;
}

static void
start_work (TsuImportDialog *self,
            const char      *title)
{
  self->busy = TRUE;
  adw_status_page_set_title (self->working_page, title);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  set_page (self, "working");
  if (self->progress_id == 0)
    self->progress_id = g_timeout_add (100, progress_cb, self);
}

static void
stop_work (TsuImportDialog *self)
{
  self->busy = FALSE;
  g_clear_handle_id (&self->progress_id, g_source_remove);
}

/* ---- step 1: the file ------------------------------------------------- */

static void
mapping_row_changed_cb (AdwComboRow     *row,
                        GParamSpec      *pspec,
                        TsuImportDialog *self)
{
  g_autoptr(JsonObject) mapping = json_object_new ();
  const char * const *header;
  guint n_columns;

  if (self->busy)
    return;

  header = tsu_csv_get_header (tsu_household_import_get_csv (self->import), &n_columns);
  for (guint i = 0; i < self->mapping_rows->len; i++)
    {
      AdwComboRow *combo = self->mapping_rows->pdata[i];
      guint selected = adw_combo_row_get_selected (combo);

      /* Item 0 is "not in the file". */
      if (selected > 0 && selected <= n_columns)
        json_object_set_string_member (mapping, g_object_get_data (G_OBJECT (combo), "target"),
                                       header[selected - 1]);
    }
  tsu_household_import_set_mapping (self->import, mapping);
}

static void
add_mapping_row (TsuImportDialog     *self,
                 AdwPreferencesGroup *group,
                 const char          *target,
                 const char          *title,
                 GtkStringList       *columns,
                 JsonObject          *mapping)
{
  GtkWidget *row = adw_combo_row_new ();
  const char *column = json_object_get_string_member_with_default (mapping, target, NULL);
  guint selected = 0;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (columns));
  for (guint i = 1; column != NULL && i < g_list_model_get_n_items (G_LIST_MODEL (columns)); i++)
    if (g_strcmp0 (gtk_string_list_get_string (columns, i), column) == 0)
      selected = i;
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
  g_object_set_data_full (G_OBJECT (row), "target", g_strdup (target), g_free);
  g_signal_connect (row, "notify::selected", G_CALLBACK (mapping_row_changed_cb), self);
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->mapping_rows, row);
}

static void
fill_mapping (TsuImportDialog *self)
{
  TsuCsv *csv = tsu_household_import_get_csv (self->import);
  JsonObject *mapping = tsu_household_import_get_mapping (self->import);
  g_autoptr(GtkStringList) columns = gtk_string_list_new (NULL);
  const char * const *targets = tsu_household_import_get_targets ();
  const char * const *flags = tsu_household_flag_labels (NULL);
  const char * const *header;
  guint n_columns;

  for (guint i = 0; i < self->mapping_rows->len; i++)
    {
      GtkWidget *row = self->mapping_rows->pdata[i];
      AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP));

      adw_preferences_group_remove (group, row);
    }
  g_ptr_array_set_size (self->mapping_rows, 0);

  header = tsu_csv_get_header (csv, &n_columns);
  gtk_string_list_append (columns, _("(not in the file)"));
  for (guint i = 0; i < n_columns; i++)
    gtk_string_list_append (columns, header[i]);

  /* Setting up the rows must not rewrite the mapping. */
  self->busy = TRUE;
  for (guint i = 0; targets[i] != NULL; i++)
    add_mapping_row (self, self->mapping_group, targets[i],
                     tsu_household_import_target_label (targets[i]), columns, mapping);
  for (guint i = 0; flags[i] != NULL; i++)
    {
      g_autofree char *target = g_strconcat ("flag:", flags[i], NULL);
      add_mapping_row (self, self->flags_group, target, flags[i], columns, mapping);
    }
  self->busy = FALSE;
}

typedef struct
{
  GFile          *file;
  GFile          *towns;
  TsuCsvEncoding  encoding;
  char           *towns_path;  /* out: the town list that was loaded */
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->file);
  g_clear_object (&data->towns);
  g_free (data->towns_path);
  g_free (data);
}

static void
load_worker (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  TsuImportDialog *self = source;
  LoadData *data = task_data;
  g_autofree char *path = g_file_get_path (data->file);
  GError *error = NULL;

  /* The town list is remembered in the store once chosen. */
  data->towns_path = data->towns != NULL ? g_file_get_path (data->towns)
                                         : tsu_store_get_import_setting (self->store, TOWNS_SETTING);
  if (data->towns_path != NULL)
    {
      g_autoptr(TsuGazetteer) gazetteer = tsu_gazetteer_new ();

      if (!tsu_gazetteer_load_file (gazetteer, data->towns_path, &error))
        {
          g_task_return_error (task, error);
          return;
        }
      tsu_household_import_set_gazetteer (self->import, gazetteer);
      if (data->towns != NULL &&
          !tsu_store_set_import_setting (self->store, TOWNS_SETTING, data->towns_path, &error))
        {
          g_task_return_error (task, error);
          return;
        }
    }

  if (!tsu_household_import_load (self->import, path, data->encoding, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_loaded_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  TsuImportDialog *self = TSU_IMPORT_DIALOG (source);
  LoadData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  stop_work (self);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_page (self, "choose");
      show_error (self, _("The file could not be read"), error);
      return;
    }
  if (data->towns_path != NULL)
    {
      g_autofree char *name = g_filename_display_basename (data->towns_path);
      adw_action_row_set_subtitle (self->towns_row, name);
    }
  fill_mapping (self);
  set_page (self, "mapping");
}

static void
load_file (TsuImportDialog *self)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, on_loaded_cb, NULL);
  LoadData *data = g_new0 (LoadData, 1);
  static const TsuCsvEncoding encodings[] = {
    TSU_CSV_ENCODING_AUTO, TSU_CSV_ENCODING_UTF8, TSU_CSV_ENCODING_CP932
  };
  guint selected = adw_combo_row_get_selected (self->encoding_row);

  data->file = g_object_ref (self->file);
  data->towns = self->towns != NULL ? g_object_ref (self->towns) : NULL;
  data->encoding = encodings[MIN (selected, G_N_ELEMENTS (encodings) - 1)];
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  start_work (self, _("Reading the file…"));
  g_task_run_in_thread (task, load_worker);
}

/* ---- step 3: preview -------------------------------------------------- */

static void
fill_preview (TsuImportDialog *self)
{
  TsuCsv *csv = tsu_household_import_get_csv (self->import);
  TsuImportSummary summary;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *text = NULL;

  tsu_household_import_get_summary (self->import, &summary);
  text = g_strdup_printf (_("%u rows: %u new households, %u already in the database, %u skipped. "
                            "Placed on the map: %u at their town, %u approximately, %u not at all."),
                          summary.rows, summary.create, summary.match, summary.skip,
                          summary.exact, summary.approximate, summary.unplaced);
  gtk_label_set_text (self->summary_label, text);

  for (guint i = 0; i < tsu_household_import_get_n_rows (self->import); i++)
    {
      const TsuImportRow *row = tsu_household_import_get_row (self->import, i);

      if (row->action == TSU_IMPORT_MATCH)
        g_ptr_array_add (lines, g_strdup_printf (_("Line %u, %s: already in the database (%s)"),
                                                 row->line, row->name, row->address));
      for (guint p = 0; p < row->problems->len; p++)
        g_ptr_array_add (lines, g_strdup_printf (_("Line %u, %s: %s%s"), row->line,
                                                 *row->name != '\0' ? row->name : "—",
                                                 (const char *) row->problems->pdata[p],
                                                 row->action == TSU_IMPORT_SKIP ? _(" (skipped)") : ""));
    }
  g_ptr_array_add (lines, NULL);
  gtk_string_list_splice (self->problems, 0, g_list_model_get_n_items (G_LIST_MODEL (self->problems)),
                          (const char * const *) lines->pdata);
  (void) csv;
}

static void
on_previewed_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  TsuImportDialog *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tsu_household_import_preview_finish (TSU_HOUSEHOLD_IMPORT (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      stop_work (self);
      set_page (self, "mapping");
      show_error (self, _("The preview could not be made"), error);
      return;
    }
  stop_work (self);
  fill_preview (self);
  set_page (self, "preview");
}

/* ---- step 4: import --------------------------------------------------- */

static void
on_imported_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  TsuImportDialog *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *batch = tsu_household_import_run_finish (TSU_HOUSEHOLD_IMPORT (source), result, &error);
  TsuImportSummary summary;
  g_autofree char *text = NULL;

  if (batch == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      stop_work (self);
      set_page (self, "preview");
      show_error (self, _("Nothing was imported"), error);
      return;
    }
  stop_work (self);
  g_free (self->batch_id);
  self->batch_id = g_steal_pointer (&batch);

  tsu_household_import_get_summary (self->import, &summary);
  text = g_strdup_printf (_("%u households added (%u placed at their town, %u approximately: "
                            "mark those on the map later, %u not placed). "
                            "%u rows were already in the database and %u were skipped."),
                          summary.create, summary.exact, summary.approximate, summary.unplaced,
                          summary.match, summary.skip);
  adw_status_page_set_description (self->done_page, text);
  set_page (self, "done");
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

typedef struct
{
  char  *batch_id;
  guint  deleted;
} UndoData;

static void
undo_data_free (UndoData *data)
{
  g_free (data->batch_id);
  g_free (data);
}

static void
undo_worker (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  TsuImportDialog *self = source;
  UndoData *data = task_data;
  GError *error = NULL;

  if (tsu_store_undo_import (self->store, data->batch_id, &data->deleted, NULL, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_undone_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  TsuImportDialog *self = TSU_IMPORT_DIALOG (source);
  UndoData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  stop_work (self);
  set_page (self, "done");
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, _("The import could not be undone"), error);
      return;
    }
  text = g_strdup_printf (_("The %u records of this import were deleted."), data->deleted);
  adw_status_page_set_title (self->done_page, _("Import undone"));
  adw_status_page_set_description (self->done_page, text);
  gtk_widget_set_sensitive (GTK_WIDGET (self->undo_button), FALSE);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

/* ---- actions ---------------------------------------------------------- */

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TsuImportDialog *self = TSU_IMPORT_DIALOG (widget);
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  if (self->busy)
    return;

  if (g_strcmp0 (page, "choose") == 0 && self->file != NULL)
    load_file (self);
  else if (g_strcmp0 (page, "mapping") == 0)
    {
      start_work (self, _("Checking every row…"));
      tsu_household_import_preview_async (self->import, self->cancellable, on_previewed_cb, self);
    }
  else if (g_strcmp0 (page, "preview") == 0)
    {
      start_work (self, _("Importing…"));
      tsu_household_import_run_async (self->import, self->cancellable, on_imported_cb, self);
    }
  else if (g_strcmp0 (page, "done") == 0)
    gtk_window_close (GTK_WINDOW (self));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TsuImportDialog *self = TSU_IMPORT_DIALOG (widget);

  /* A running import rolls back: nothing is half written. */
  g_cancellable_cancel (self->cancellable);
  gtk_window_close (GTK_WINDOW (self));
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TsuImportDialog *self = TSU_IMPORT_DIALOG (widget);
  g_autoptr(GTask) task = NULL;
  UndoData *data;

  if (self->batch_id == NULL || self->busy)
    return;
  task = g_task_new (self, self->cancellable, on_undone_cb, NULL);
  data = g_new0 (UndoData, 1);
  data->batch_id = g_strdup (self->batch_id);
  g_task_set_task_data (task, data, (GDestroyNotify) undo_data_free);
  start_work (self, _("Undoing the import…"));
  g_task_run_in_thread (task, undo_worker);
}

void
tsu_import_dialog_open_file (TsuImportDialog *self,
                             GFile           *file)
{
  g_autofree char *name = NULL;

  g_return_if_fail (TSU_IS_IMPORT_DIALOG (self));
  g_return_if_fail (G_IS_FILE (file));

  g_set_object (&self->file, file);
  name = g_file_get_basename (file);
  adw_action_row_set_subtitle (self->file_row, name);
  update_buttons (self);
}

void
tsu_import_dialog_set_towns (TsuImportDialog *self,
                             GFile           *file)
{
  g_autofree char *name = NULL;

  g_return_if_fail (TSU_IS_IMPORT_DIALOG (self));

  g_set_object (&self->towns, file);
  name = g_file_get_basename (file);
  adw_action_row_set_subtitle (self->towns_row, name);
}

static void
on_file_chosen_cb (GtkNativeDialog *chooser,
                   int              response,
                   gpointer         user_data)
{
  TsuImportDialog *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (g_object_get_data (G_OBJECT (chooser), "towns") != NULL)
        tsu_import_dialog_set_towns (self, file);
      else
        tsu_import_dialog_open_file (self, file);
    }
  g_object_unref (chooser);
}

static void
choose (TsuImportDialog *self,
        gboolean         towns)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (towns ? _("Choose a Town List") : _("Choose a Household List"),
                                         GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  if (towns)
    {
      gtk_file_filter_set_name (filter, _("Town lists (JSON, CSV)"));
      gtk_file_filter_add_suffix (filter, "json");
      gtk_file_filter_add_suffix (filter, "csv");
      g_object_set_data (G_OBJECT (chooser), "towns", GINT_TO_POINTER (1));
    }
  else
    {
      gtk_file_filter_set_name (filter, _("CSV files"));
      gtk_file_filter_add_suffix (filter, "csv");
      gtk_file_filter_add_suffix (filter, "txt");
    }
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect (chooser, "response", G_CALLBACK (on_file_chosen_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
choose_file_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  choose (TSU_IMPORT_DIALOG (widget), FALSE);
}

static void
choose_towns_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  choose (TSU_IMPORT_DIALOG (widget), TRUE);
}

TsuImportDialog *
tsu_import_dialog_new (GtkWindow *parent,
                       TsuStore  *store)
{
  TsuImportDialog *self;

  g_return_val_if_fail (TSU_IS_STORE (store), NULL);

  self = g_object_new (TSU_TYPE_IMPORT_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->import = tsu_household_import_new (store);
  update_buttons (self);
  return self;
}

static void
tsu_import_dialog_dispose (GObject *object)
{
  TsuImportDialog *self = TSU_IMPORT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->progress_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), TSU_TYPE_IMPORT_DIALOG);

  G_OBJECT_CLASS (tsu_import_dialog_parent_class)->dispose (object);
}

static void
tsu_import_dialog_finalize (GObject *object)
{
  TsuImportDialog *self = TSU_IMPORT_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->import);
  g_clear_object (&self->store);
  g_clear_object (&self->file);
  g_clear_object (&self->towns);
  g_clear_pointer (&self->mapping_rows, g_ptr_array_unref);
  g_free (self->batch_id);

  G_OBJECT_CLASS (tsu_import_dialog_parent_class)->finalize (object);
}

static void
tsu_import_dialog_class_init (TsuImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsu_import_dialog_dispose;
  object_class->finalize = tsu_import_dialog_finalize;

  /* Households were added or, by an undo, removed: lists and the map
   * should reload. */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/tsu-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TsuImportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, TsuImportDialog, next_button);
  gtk_widget_class_bind_template_child (widget_class, TsuImportDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, TsuImportDialog, file_row);
  gtk_widget_class_bind_template_child (widget_class, TsuImportDialog, encoding_row);
  gtk_widget_class_bind_template_child (widget_class, TsuImportDialog, towns_row);
  gtk_widget_class_bind_template_child (widget_class, TsuImportDialog, mapping_group);
  gtk_widget_class_bind_template_child (widget_class, TsuImportDialog, flags_group);
  gtk_widget_class_bind_template_child (widget_class, TsuImportDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, TsuImportDialog, problems);
  gtk_widget_class_bind_template_child (widget_class, TsuImportDialog, working_page);
  gtk_widget_class_bind_template_child (widget_class, TsuImportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, TsuImportDialog, done_page);
  gtk_widget_class_bind_template_child (widget_class, TsuImportDialog, undo_button);

  gtk_widget_class_install_action (widget_class, "import.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "import.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "import.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "import.choose-file", NULL, choose_file_action);
  gtk_widget_class_install_action (widget_class, "import.choose-towns", NULL, choose_towns_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "import.cancel", NULL);
}

static void
tsu_import_dialog_init (TsuImportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->mapping_rows = g_ptr_array_new ();
}
