/* tsu-meeting-map-page.c: the district meeting map, on screen and on paper
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The preview, the full-screen presentation, the exports and the printout
 * all draw with tsu_meeting_map_render(), so what the coordinator checks on
 * screen is exactly what the residents at the meeting see.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "tsu-meeting-map-page.h"
#include "tsu-store-reports.h"

struct _TsuMeetingMapPage
{
  AdwBin           parent_instance;

  TsuStore        *store;
  TsuMeetingMap   *map;
  GPtrArray       *districts;       /* TsuReportDistrict */
  GCancellable    *cancellable;     /* the district list and the map load */
  guint            reload_id;

  /* template children */
  GtkDropDown     *district_dropdown;
  GtkEntry        *from_entry;
  GtkEntry        *to_entry;
  GtkSpinButton   *cell_spin;
  GtkDropDown     *paper_dropdown;
  GtkStack        *stack;
  AdwStatusPage   *status_page;
  GtkDrawingArea  *preview;
};

G_DEFINE_FINAL_TYPE (TsuMeetingMapPage, tsu_meeting_map_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  TsuStore *store;
  char     *district_id;
  char     *from;
  char     *to;
  double    cell_metres;
} LoadData;

static void
load_data_free (gpointer data)
{
  LoadData *d = data;
  g_clear_object (&d->store);
  g_free (d->district_id);
  g_free (d->from);
  g_free (d->to);
  g_free (d);
}

static void
update_actions (TsuMeetingMapPage *self)
{
  gboolean have = self->map != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "meeting-map.present", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "meeting-map.export-png", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "meeting-map.export-pdf", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "meeting-map.print", have);
}

static void
show_message (TsuMeetingMapPage *self,
              const char        *title,
              const char        *description)
{
  adw_status_page_set_title (self->status_page, title);
  adw_status_page_set_description (self->status_page, description);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

static void
load_map_worker (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  LoadData *d = task_data;
  GError *error = NULL;
  TsuMeetingMap *map = tsu_meeting_map_new_from_store (d->store, d->district_id, d->from, d->to,
                                                       d->cell_metres, TSU_MEETING_MAP_DEFAULT_MIN_COUNT,
                                                       &error);
  if (map == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, map, g_object_unref);
}

static void
on_map_loaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  TsuMeetingMapPage *self = TSU_MEETING_MAP_PAGE (source);
  g_autoptr(GError) error = NULL;
  TsuMeetingMap *map = g_task_propagate_pointer (G_TASK (result), &error);

  if (map == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_clear_object (&self->map);
      update_actions (self);
      show_message (self, _("The map could not be made"), error->message);
      return;
    }
  g_clear_object (&self->map);
  self->map = map;
  update_actions (self);
  gtk_stack_set_visible_child_name (self->stack, "preview");
  gtk_widget_queue_draw (GTK_WIDGET (self->preview));
}

static gboolean
looks_like_date (const char *text)
{
  int y, m, d;

  return strlen (text) == 10 && sscanf (text, "%4d-%2d-%2d", &y, &m, &d) == 3 && g_date_valid_dmy (d, m, y);
}

static gboolean
reload_now (gpointer user_data)
{
  TsuMeetingMapPage *self = user_data;
  g_autoptr(GTask) task = NULL;
  guint selected = gtk_drop_down_get_selected (self->district_dropdown);
  LoadData *d;

  self->reload_id = 0;
  if (self->store == NULL || self->districts == NULL || selected >= self->districts->len)
    return G_SOURCE_REMOVE;

  /* A date being typed is not an error yet: mark it and keep the map. */
  {
    gboolean from_ok = looks_like_date (gtk_editable_get_text (GTK_EDITABLE (self->from_entry)));
    gboolean to_ok = looks_like_date (gtk_editable_get_text (GTK_EDITABLE (self->to_entry)));

    if (from_ok)
      gtk_widget_remove_css_class (GTK_WIDGET (self->from_entry), "error");
    else
      gtk_widget_add_css_class (GTK_WIDGET (self->from_entry), "error");
    if (to_ok)
      gtk_widget_remove_css_class (GTK_WIDGET (self->to_entry), "error");
    else
      gtk_widget_add_css_class (GTK_WIDGET (self->to_entry), "error");
    if (!from_ok || !to_ok)
      return G_SOURCE_REMOVE;
  }

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  d = g_new0 (LoadData, 1);
  d->store = g_object_ref (self->store);
  d->district_id = g_strdup (((TsuReportDistrict *) self->districts->pdata[selected])->id);
  d->from = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->from_entry)));
  d->to = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->to_entry)));
  d->cell_metres = gtk_spin_button_get_value (self->cell_spin);

  task = g_task_new (self, self->cancellable, on_map_loaded_cb, NULL);
  g_task_set_source_tag (task, reload_now);
  g_task_set_task_data (task, d, load_data_free);
  g_task_run_in_thread (task, load_map_worker);
  return G_SOURCE_REMOVE;
}

/* Typing a date or spinning the grid size fires many changes; one reload
 * after a short pause is enough. */
static void
queue_reload (TsuMeetingMapPage *self)
{
  g_clear_handle_id (&self->reload_id, g_source_remove);
  self->reload_id = g_timeout_add (250, reload_now, self);
}

static void
on_districts_loaded_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *districts = tsu_store_report_districts_finish (TSU_STORE (source), result, &error);
  TsuMeetingMapPage *self = user_data;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  if (districts == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_message (self, _("The districts could not be read"), error->message);
      return;
    }
  g_clear_pointer (&self->districts, g_ptr_array_unref);
  self->districts = districts;
  for (guint i = 0; i < districts->len; i++)
    gtk_string_list_append (names, ((TsuReportDistrict *) districts->pdata[i])->name);
  gtk_drop_down_set_model (self->district_dropdown, G_LIST_MODEL (names));
  if (districts->len == 0)
    show_message (self, _("No districts yet"), _("Import districts or create the demo city first."));
  else
    queue_reload (self);
}

static void
load_districts (TsuMeetingMapPage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  tsu_store_report_districts_async (self->store, self->cancellable, on_districts_loaded_cb, self);
}

static void
draw_preview (GtkDrawingArea *area,
              cairo_t        *cr,
              int             width,
              int             height,
              gpointer        user_data)
{
  TsuMeetingMapPage *self = user_data;
  double page_w, page_h, x, y;

  if (self->map == NULL)
    return;
  /* Keep the page's landscape A-series proportions, centred. */
  page_w = MIN (width, height * G_SQRT2);
  page_h = page_w / G_SQRT2;
  x = (width - page_w) / 2;
  y = (height - page_h) / 2;
  tsu_meeting_map_render (self->map, cr, x, y, page_w, page_h);
}

/* ---- presentation ---------------------------------------------------- */

static void
draw_presentation (GtkDrawingArea *area,
                   cairo_t        *cr,
                   int             width,
                   int             height,
                   gpointer        user_data)
{
  tsu_meeting_map_render (TSU_MEETING_MAP (user_data), cr, 0, 0, width, height);
}

static void
present_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TsuMeetingMapPage *self = TSU_MEETING_MAP_PAGE (widget);
  GtkWidget *window;
  GtkWidget *area;
  GtkEventController *keys;
  GtkShortcut *escape;

  if (self->map == NULL)
    return;

  /* A bare window with nothing but the map: a projector shows no header
   * bar. Escape (or closing) ends the presentation. */
  window = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (window), tsu_meeting_map_get_district_name (self->map));
  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (gtk_widget_get_root (widget)));
  area = gtk_drawing_area_new ();
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (area), draw_presentation,
                                  g_object_ref (self->map), g_object_unref);
  gtk_window_set_child (GTK_WINDOW (window), area);

  keys = gtk_shortcut_controller_new ();
  escape = gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                             gtk_named_action_new ("window.close"));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys), escape);
  gtk_widget_add_controller (window, keys);

  gtk_window_fullscreen (GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (window));
}

/* ---- export ---------------------------------------------------------- */

typedef struct
{
  TsuMeetingMap *map;
  char          *path;
  gboolean       pdf;
  gboolean       a3;
} ExportData;

static void
export_data_free (gpointer data)
{
  ExportData *d = data;
  g_clear_object (&d->map);
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
  gboolean ok = d->pdf ? tsu_meeting_map_write_pdf (d->map, d->path, d->a3, &error)
                       : tsu_meeting_map_write_png (d->map, d->path, 0, 0, &error);

  if (!ok)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
toast (GtkWidget  *widget,
       const char *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (message));
  else
    g_message ("%s", message);
}

static void
on_exported_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  ExportData *d = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    toast (GTK_WIDGET (source), error->message);
  else
    {
      g_autofree char *base = g_path_get_basename (d->path);
      g_autofree char *message = g_strdup_printf (_("Saved “%s”"), base);
      toast (GTK_WIDGET (source), message);
    }
}

static void
on_export_response_cb (GtkNativeDialog *dialog,
                       int              response,
                       gpointer         user_data)
{
  TsuMeetingMapPage *self = TSU_MEETING_MAP_PAGE (user_data);
  gboolean pdf = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "pdf"));

  if (response == GTK_RESPONSE_ACCEPT && self->map != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GTask) task = g_task_new (self, NULL, on_exported_cb, NULL);
      ExportData *d = g_new0 (ExportData, 1);

      d->map = g_object_ref (self->map);
      d->path = g_file_get_path (file);
      d->pdf = pdf;
      d->a3 = gtk_drop_down_get_selected (self->paper_dropdown) == 1;
      g_task_set_task_data (task, d, export_data_free);
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
  TsuMeetingMapPage *self = TSU_MEETING_MAP_PAGE (widget);
  gboolean pdf = g_str_equal (action_name, "meeting-map.export-pdf");
  GtkFileChooserNative *dialog;
  g_autofree char *name = NULL;

  if (self->map == NULL)
    return;
  dialog = gtk_file_chooser_native_new (pdf ? _("Export the Meeting Map as PDF") : _("Export the Meeting Map as PNG"),
                                        GTK_WINDOW (gtk_widget_get_root (widget)),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  name = g_strdup_printf ("%s-%s.%s", tsu_meeting_map_get_district_name (self->map),
                          gtk_editable_get_text (GTK_EDITABLE (self->to_entry)), pdf ? "pdf" : "png");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_object_set_data (G_OBJECT (dialog), "pdf", GINT_TO_POINTER (pdf));
  g_signal_connect (dialog, "response", G_CALLBACK (on_export_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* ---- print ----------------------------------------------------------- */

static void
on_draw_page_cb (GtkPrintOperation *operation,
                 GtkPrintContext   *context,
                 int                page_nr,
                 gpointer           user_data)
{
  TsuMeetingMap *map = user_data;

  tsu_meeting_map_render (map, gtk_print_context_get_cairo_context (context), 0, 0,
                          gtk_print_context_get_width (context),
                          gtk_print_context_get_height (context));
}

static GtkPrintOperation *
make_print_operation (TsuMeetingMapPage *self)
{
  GtkPrintOperation *operation = gtk_print_operation_new ();
  g_autoptr(GtkPageSetup) setup = gtk_page_setup_new ();
  g_autoptr(GtkPaperSize) paper = NULL;
  gboolean a3 = gtk_drop_down_get_selected (self->paper_dropdown) == 1;

  paper = gtk_paper_size_new (a3 ? GTK_PAPER_NAME_A3 : GTK_PAPER_NAME_A4);
  gtk_page_setup_set_paper_size_and_default_margins (setup, paper);
  gtk_page_setup_set_orientation (setup, GTK_PAGE_ORIENTATION_LANDSCAPE);
  gtk_print_operation_set_default_page_setup (operation, setup);
  gtk_print_operation_set_n_pages (operation, 1);
  gtk_print_operation_set_job_name (operation, tsu_meeting_map_get_district_name (self->map));
  g_signal_connect_data (operation, "draw-page", G_CALLBACK (on_draw_page_cb),
                         g_object_ref (self->map), (GClosureNotify) (void (*) (void)) g_object_unref, 0);
  return operation;
}

gboolean
tsu_meeting_map_page_export_print (TsuMeetingMapPage  *self,
                                   const char         *pdf_path,
                                   GError            **error)
{
  g_autoptr(GtkPrintOperation) operation = NULL;

  g_return_val_if_fail (TSU_IS_MEETING_MAP_PAGE (self), FALSE);

  if (self->map == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, _("No meeting map is shown"));
      return FALSE;
    }
  operation = make_print_operation (self);
  gtk_print_operation_set_export_filename (operation, pdf_path);
  return gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL, error)
         != GTK_PRINT_OPERATION_RESULT_ERROR;
}

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  TsuMeetingMapPage *self = TSU_MEETING_MAP_PAGE (widget);
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GError) error = NULL;

  if (self->map == NULL)
    return;

  operation = make_print_operation (self);
  gtk_print_operation_set_allow_async (operation, TRUE);
  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                               GTK_WINDOW (gtk_widget_get_root (widget)), &error) == GTK_PRINT_OPERATION_RESULT_ERROR)
    toast (widget, error->message);
}

/* ---- object ---------------------------------------------------------- */

static void
set_default_period (TsuMeetingMapPage *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  int year = g_date_time_get_year (now);
  g_autofree char *from = NULL;
  g_autofree char *to = g_date_time_format (now, "%Y-%m-%d");

  /* This fiscal year so far: April to today. */
  if (g_date_time_get_month (now) < 4)
    year--;
  from = g_strdup_printf ("%04d-04-01", year);
  gtk_editable_set_text (GTK_EDITABLE (self->from_entry), from);
  gtk_editable_set_text (GTK_EDITABLE (self->to_entry), to);
}

void
tsu_meeting_map_page_set_period (TsuMeetingMapPage *self,
                                 const char        *from,
                                 const char        *to)
{
  g_return_if_fail (TSU_IS_MEETING_MAP_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->from_entry), from);
  gtk_editable_set_text (GTK_EDITABLE (self->to_entry), to);
}

void
tsu_meeting_map_page_set_store (TsuMeetingMapPage *self,
                                TsuStore          *store)
{
  g_return_if_fail (TSU_IS_MEETING_MAP_PAGE (self));

  if (!g_set_object (&self->store, store))
    return;
  g_clear_object (&self->map);
  update_actions (self);
  if (store != NULL)
    load_districts (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

TsuStore *
tsu_meeting_map_page_get_store (TsuMeetingMapPage *self)
{
  g_return_val_if_fail (TSU_IS_MEETING_MAP_PAGE (self), NULL);
  return self->store;
}

TsuMeetingMap *
tsu_meeting_map_page_get_map (TsuMeetingMapPage *self)
{
  g_return_val_if_fail (TSU_IS_MEETING_MAP_PAGE (self), NULL);
  return self->map;
}

GtkWidget *
tsu_meeting_map_page_new (void)
{
  return g_object_new (TSU_TYPE_MEETING_MAP_PAGE, NULL);
}

static void
on_input_changed_cb (TsuMeetingMapPage *self)
{
  queue_reload (self);
}

static void
tsu_meeting_map_page_dispose (GObject *object)
{
  TsuMeetingMapPage *self = TSU_MEETING_MAP_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->reload_id, g_source_remove);
  g_clear_object (&self->map);
  g_clear_object (&self->store);
  g_clear_pointer (&self->districts, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), TSU_TYPE_MEETING_MAP_PAGE);
  G_OBJECT_CLASS (tsu_meeting_map_page_parent_class)->dispose (object);
}

static void
tsu_meeting_map_page_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  TsuMeetingMapPage *self = TSU_MEETING_MAP_PAGE (object);

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
tsu_meeting_map_page_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  TsuMeetingMapPage *self = TSU_MEETING_MAP_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      tsu_meeting_map_page_set_store (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_meeting_map_page_class_init (TsuMeetingMapPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsu_meeting_map_page_dispose;
  object_class->get_property = tsu_meeting_map_page_get_property;
  object_class->set_property = tsu_meeting_map_page_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, TSU_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/tsu-meeting-map-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TsuMeetingMapPage, district_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsuMeetingMapPage, from_entry);
  gtk_widget_class_bind_template_child (widget_class, TsuMeetingMapPage, to_entry);
  gtk_widget_class_bind_template_child (widget_class, TsuMeetingMapPage, cell_spin);
  gtk_widget_class_bind_template_child (widget_class, TsuMeetingMapPage, paper_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsuMeetingMapPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TsuMeetingMapPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, TsuMeetingMapPage, preview);

  gtk_widget_class_install_action (widget_class, "meeting-map.present", NULL, present_action);
  gtk_widget_class_install_action (widget_class, "meeting-map.export-png", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "meeting-map.export-pdf", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "meeting-map.print", NULL, print_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F11, 0, "meeting-map.present", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "meeting-map.print", NULL);
}

static void
tsu_meeting_map_page_init (TsuMeetingMapPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_drawing_area_set_draw_func (self->preview, draw_preview, self, NULL);
  set_default_period (self);
  update_actions (self);

  g_signal_connect_swapped (self->district_dropdown, "notify::selected", G_CALLBACK (on_input_changed_cb), self);
  g_signal_connect_swapped (self->from_entry, "changed", G_CALLBACK (on_input_changed_cb), self);
  g_signal_connect_swapped (self->to_entry, "changed", G_CALLBACK (on_input_changed_cb), self);
  g_signal_connect_swapped (self->cell_spin, "value-changed", G_CALLBACK (on_input_changed_cb), self);
}
