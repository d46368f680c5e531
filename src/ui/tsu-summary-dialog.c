/* tsu-summary-dialog.c: choosing and exporting a visit summary
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The summary is built and written in a worker thread: for a whole city
 * and a year it reads every visit of the year.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tsu-meeting-map.h"
#include "tsu-store-reports.h"
#include "tsu-summary.h"
#include "tsu-summary-dialog.h"

struct _TsuSummaryDialog
{
  AdwWindow        parent_instance;

  TsuStore        *store;
  GPtrArray       *districts;     /* TsuReportDistrict */
  GPtrArray       *checks;        /* GtkCheckButton, one per district */
  GCancellable    *cancellable;
  gboolean         busy;

  /* template children */
  AdwToastOverlay *toast_overlay;
  AdwEntryRow     *from_row;
  AdwEntryRow     *to_row;
  AdwComboRow     *format_row;
  GtkListBox      *district_list;
};

G_DEFINE_FINAL_TYPE (TsuSummaryDialog, tsu_summary_dialog, ADW_TYPE_WINDOW)

enum {
  FORMAT_CSV_UTF8,
  FORMAT_CSV_CP932,
  FORMAT_PDF,
};

typedef struct
{
  TsuStore *store;
  char     *from;
  char     *to;
  char    **district_ids;
  char     *path;
  guint     format;
} ExportData;

static void
export_data_free (gpointer data)
{
  ExportData *d = data;
  g_clear_object (&d->store);
  g_free (d->from);
  g_free (d->to);
  g_strfreev (d->district_ids);
  g_free (d->path);
  g_free (d);
}

static void
export_worker (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportData *d = task_data;
  GError *error = NULL;
  g_autoptr(TsuSummary) summary = tsu_summary_new_from_store (d->store, d->from, d->to,
                                                              (const char * const *) d->district_ids, &error);
  gboolean ok = summary != NULL;

  if (ok && d->format == FORMAT_PDF)
    {
      /* Chosen districts get their meeting map after the tables. */
      for (guint i = 0; ok && d->district_ids != NULL && d->district_ids[i] != NULL; i++)
        {
          g_autoptr(TsuMeetingMap) map =
            tsu_meeting_map_new_from_store (d->store, d->district_ids[i], d->from, d->to,
                                            TSU_MEETING_MAP_DEFAULT_CELL_METRES,
                                            TSU_MEETING_MAP_DEFAULT_MIN_COUNT, &error);
          ok = map != NULL;
          if (ok)
            tsu_summary_add_map (summary, map);
        }
      ok = ok && tsu_summary_write_pdf (summary, d->path, &error);
    }
  else if (ok)
    ok = tsu_summary_write_csv (summary, d->path,
                                d->format == FORMAT_CSV_CP932 ? TSU_SUMMARY_ENCODING_CP932
                                                              : TSU_SUMMARY_ENCODING_UTF8_BOM,
                                &error);
  if (!ok)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
set_busy (TsuSummaryDialog *self,
          gboolean          busy)
{
  self->busy = busy;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "summary.export", !busy);
}

static void
on_exported_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  TsuSummaryDialog *self = TSU_SUMMARY_DIALOG (source);
  g_autoptr(GError) error = NULL;
  ExportData *d = g_task_get_task_data (G_TASK (result));

  set_busy (self, FALSE);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      return;
    }
  {
    g_autofree char *base = g_path_get_basename (d->path);
    g_autofree char *message = g_strdup_printf (_("Saved “%s”"), base);
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
  }
}

char **
tsu_summary_dialog_dup_district_ids (TsuSummaryDialog *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n = 0;

  g_return_val_if_fail (TSU_IS_SUMMARY_DIALOG (self), NULL);

  if (self->districts == NULL)
    return NULL;
  for (guint i = 0; i < self->checks->len; i++)
    if (gtk_check_button_get_active (self->checks->pdata[i]))
      {
        g_strv_builder_add (builder, ((TsuReportDistrict *) self->districts->pdata[i])->id);
        n++;
      }
  if (n == self->districts->len)
    return NULL;
  return g_strv_builder_end (builder);
}

static void
on_file_response_cb (GtkNativeDialog *dialog,
                     int              response,
                     gpointer         user_data)
{
  TsuSummaryDialog *self = TSU_SUMMARY_DIALOG (user_data);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GTask) task = g_task_new (self, self->cancellable, on_exported_cb, NULL);
      ExportData *d = g_new0 (ExportData, 1);

      d->store = g_object_ref (self->store);
      d->from = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->from_row)));
      d->to = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->to_row)));
      d->district_ids = tsu_summary_dialog_dup_district_ids (self);
      d->path = g_file_get_path (file);
      d->format = adw_combo_row_get_selected (self->format_row);
      g_task_set_task_data (task, d, export_data_free);
      set_busy (self, TRUE);
      g_task_run_in_thread (task, export_worker);
    }
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TsuSummaryDialog *self = TSU_SUMMARY_DIALOG (widget);
  g_auto(GStrv) ids = tsu_summary_dialog_dup_district_ids (self);
  gboolean pdf = adw_combo_row_get_selected (self->format_row) == FORMAT_PDF;
  GtkFileChooserNative *dialog;
  g_autofree char *name = NULL;

  if (self->busy || self->store == NULL)
    return;
  if (ids != NULL && ids[0] == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Choose at least one district")));
      return;
    }
  dialog = gtk_file_chooser_native_new (_("Export Visit Summary"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  /* TRANSLATORS: a file name: summary, first and last day of the period */
  name = g_strdup_printf (_("visit-summary_%s_%s.%s"),
                          gtk_editable_get_text (GTK_EDITABLE (self->from_row)),
                          gtk_editable_get_text (GTK_EDITABLE (self->to_row)), pdf ? "pdf" : "csv");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_signal_connect (dialog, "response", G_CALLBACK (on_file_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
on_districts_loaded_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *districts = tsu_store_report_districts_finish (TSU_STORE (source), result, &error);
  TsuSummaryDialog *self = user_data;

  if (districts == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      return;
    }
  self->districts = districts;
  /* Rows made from data: one check per district, all ticked. */
  for (guint i = 0; i < districts->len; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), ((TsuReportDistrict *) districts->pdata[i])->name);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      gtk_list_box_append (self->district_list, row);
      g_ptr_array_add (self->checks, check);
    }
}

TsuSummaryDialog *
tsu_summary_dialog_new (GtkWindow *parent,
                        TsuStore  *store)
{
  TsuSummaryDialog *self;

  g_return_val_if_fail (TSU_IS_STORE (store), NULL);

  self = g_object_new (TSU_TYPE_SUMMARY_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  tsu_store_report_districts_async (store, self->cancellable, on_districts_loaded_cb, self);
  return self;
}

static void
tsu_summary_dialog_dispose (GObject *object)
{
  TsuSummaryDialog *self = TSU_SUMMARY_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_pointer (&self->districts, g_ptr_array_unref);
  g_clear_pointer (&self->checks, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), TSU_TYPE_SUMMARY_DIALOG);
  G_OBJECT_CLASS (tsu_summary_dialog_parent_class)->dispose (object);
}

static void
tsu_summary_dialog_class_init (TsuSummaryDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsu_summary_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/tsu-summary-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TsuSummaryDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TsuSummaryDialog, from_row);
  gtk_widget_class_bind_template_child (widget_class, TsuSummaryDialog, to_row);
  gtk_widget_class_bind_template_child (widget_class, TsuSummaryDialog, format_row);
  gtk_widget_class_bind_template_child (widget_class, TsuSummaryDialog, district_list);

  gtk_widget_class_install_action (widget_class, "summary.export", NULL, export_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tsu_summary_dialog_init (TsuSummaryDialog *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  int year = g_date_time_get_year (now);
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->checks = g_ptr_array_new ();

  /* The fiscal year (April to March) that holds today. */
  if (g_date_time_get_month (now) < 4)
    year--;
  from = g_strdup_printf ("%04d-04-01", year);
  to = g_strdup_printf ("%04d-03-31", year + 1);
  gtk_editable_set_text (GTK_EDITABLE (self->from_row), from);
  gtk_editable_set_text (GTK_EDITABLE (self->to_row), to);
}
