/* tsu-resident-editor.c: add, edit or move one member of a household
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Kana is required: search finds people by reading, and a name in kanji
 * alone cannot be looked up by someone who only heard it.
 *
 * Reading the member, searching for a household to move them to and
 * saving all run in worker threads; saving waits until the member has
 * been read, so that an empty form never overwrites them.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "tsu-reference-data.h"
#include "tsu-resident-editor.h"
#include "tsu-store-visits.h"
#include "tsu-visits-date.h"

struct _TsuResidentEditor
{
  AdwWindow        parent_instance;

  TsuStore        *store;
  char            *household_id;
  char            *resident_id;

  AdwToastOverlay *toast_overlay;
  AdwWindowTitle  *window_title;
  AdwEntryRow     *name_row;
  AdwEntryRow     *kana_row;
  AdwEntryRow     *birth_row;
  GtkLabel        *birth_hint;
  AdwEntryRow     *relationship_row;
  char            *relationship;     /* as stored: a code ("head") or text */
  AdwEntryRow     *note_row;
  GtkWidget       *move_group;
  AdwEntryRow     *search_row;
  GtkListBox      *results_list;

  GCancellable    *cancellable;      /* reading and saving; cancelled on close */
  GCancellable    *search_cancellable;
  gboolean         loaded;           /* the member has been read (or is new) */
};

G_DEFINE_FINAL_TYPE (TsuResidentEditor, tsu_resident_editor, ADW_TYPE_WINDOW)

enum
{
  SIGNAL_LOADED,
  SIGNAL_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* What a worker needs, held by its task: the window may be closed (and
 * disposed) while the worker runs. */
typedef struct
{
  TsuStore   *store;
  char       *resident_id;   /* NULL: a new member */
  char       *text;          /* search text */
  JsonObject *fields;        /* to save */
} Job;

static Job *
job_new (TsuResidentEditor *self)
{
  Job *job = g_new0 (Job, 1);

  job->store = g_object_ref (self->store);
  job->resident_id = g_strdup (self->resident_id);
  return job;
}

static void
job_free (Job *job)
{
  g_clear_object (&job->store);
  g_free (job->resident_id);
  g_free (job->text);
  g_clear_pointer (&job->fields, json_object_unref);
  g_free (job);
}

static void
set_text (AdwEntryRow *row,
          JsonObject  *record,
          const char  *field)
{
  JsonNode *node = json_object_get_member (record, field);

  if (node != NULL && json_node_get_value_type (node) == G_TYPE_STRING)
    gtk_editable_set_text (GTK_EDITABLE (row), json_node_get_string (node));
}

/* Shows a stored relationship: the label of a code, other text as it is. */
static void
set_relationship (TsuResidentEditor *self,
                  JsonNode          *node)
{
  const char *label;

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return;
  self->relationship = g_strdup (json_node_get_string (node));
  label = tsu_reference_data_category_label (TSU_CATEGORY_RELATIONSHIP, self->relationship);
  gtk_editable_set_text (GTK_EDITABLE (self->relationship_row), label != NULL ? label : self->relationship);
}

static char *
get_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static void
fail (TsuResidentEditor *self,
      GtkWidget         *row,
      const char        *message)
{
  gtk_widget_add_css_class (row, "error");
  gtk_widget_grab_focus (row);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

static void
on_birth_changed_cb (TsuResidentEditor *self)
{
  GDate date;
  g_autofree char *wareki = NULL;

  if (tsu_visits_date_parse (gtk_editable_get_text (GTK_EDITABLE (self->birth_row)), &date))
    wareki = tsu_visits_date_format_wareki (&date);
  gtk_label_set_label (self->birth_hint, wareki != NULL ? wareki : "");
}

static void
search_worker (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *found = tsu_store_find_households (job->store, job->text, 20, &error);

  if (found == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, found, (GDestroyNotify) g_ptr_array_unref);
}

static void
on_searched_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  TsuResidentEditor *self = TSU_RESIDENT_EDITOR (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = g_task_propagate_pointer (G_TASK (result), &error);

  if (found == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      return;
    }
  for (guint i = 0; i < found->len; i++)
    {
      JsonObject *household = g_ptr_array_index (found, i);
      const char *id = json_object_get_string_member (household, "id");
      GtkWidget *row;

      if (g_strcmp0 (id, self->household_id) == 0)
        continue;
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     json_object_get_string_member (household, "address"));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      g_object_set_data_full (G_OBJECT (row), "household-id", g_strdup (id), g_free);
      gtk_list_box_append (self->results_list, row);
      gtk_widget_set_visible (GTK_WIDGET (self->results_list), TRUE);
    }
}

static void
on_search_changed_cb (TsuResidentEditor *self)
{
  g_autofree char *text = get_text (self->search_row);
  g_autoptr(GTask) task = NULL;
  GtkWidget *child;
  Job *job;

  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->results_list))) != NULL)
    gtk_list_box_remove (self->results_list, child);
  gtk_widget_set_visible (GTK_WIDGET (self->results_list), FALSE);

  /* One character matches half the city; wait for a second one. */
  if (g_utf8_strlen (text, -1) < 2)
    return;
  self->search_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->search_cancellable, on_searched_cb, NULL);
  g_task_set_source_tag (task, on_search_changed_cb);
  g_task_set_return_on_cancel (task, TRUE);
  job = job_new (self);
  job->text = g_steal_pointer (&text);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, search_worker);
}

/* Records store a relationship's code ("head"); the editor shows its
 * label ("世帯主"). Text left as it was shown keeps what was stored; a
 * label typed in is stored as its code; anything else as it is typed. */
static const char *
stored_relationship (TsuResidentEditor *self,
                     const char        *text)
{
  const char *shown = self->relationship != NULL
                        ? tsu_reference_data_category_label (TSU_CATEGORY_RELATIONSHIP, self->relationship)
                        : NULL;
  const char *code;

  if (self->relationship != NULL &&
      (g_strcmp0 (text, shown) == 0 || g_strcmp0 (text, self->relationship) == 0))
    return self->relationship;
  code = tsu_reference_data_category_code (TSU_CATEGORY_RELATIONSHIP, text);
  return code != NULL ? code : text;
}

static void
save_worker (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GError) error = NULL;
  char *id = NULL;

  if (job->resident_id == NULL)
    id = tsu_store_create (job->store, "resident", job->fields, &error);
  else if (tsu_store_update (job->store, "resident", job->resident_id, job->fields, &error))
    id = g_strdup (job->resident_id);

  if (id == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, id, g_free);
}

static void
on_saved_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  TsuResidentEditor *self = TSU_RESIDENT_EDITOR (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_task_propagate_pointer (G_TASK (result), &error);

  if (id == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "resident.save", TRUE);
      return;
    }
  g_signal_emit (self, signals[SIGNAL_SAVED], 0, id);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TsuResidentEditor *self = TSU_RESIDENT_EDITOR (widget);
  g_autofree char *name = get_text (self->name_row);
  g_autofree char *kana = get_text (self->kana_row);
  g_autofree char *birth = get_text (self->birth_row);
  g_autofree char *relationship = get_text (self->relationship_row);
  g_autofree char *note = get_text (self->note_row);
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(GTask) task = NULL;
  GtkListBoxRow *target = gtk_list_box_get_selected_row (self->results_list);
  GDate date;
  Job *job;

  gtk_widget_remove_css_class (GTK_WIDGET (self->name_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->kana_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->birth_row), "error");

  if (*name == '\0')
    {
      fail (self, GTK_WIDGET (self->name_row), _("Enter the member's name."));
      return;
    }
  if (*kana == '\0')
    {
      fail (self, GTK_WIDGET (self->kana_row),
            _("Enter the name in kana (フリガナ): search finds people by it."));
      return;
    }
  if (*birth != '\0')
    {
      GDate today;

      tsu_visits_date_today (&today);
      if (!tsu_visits_date_parse (birth, &date) || strlen (birth) != 10)
        {
          g_autofree char *message = g_strdup_printf (_("“%s” is not a date. Use the form 1948-04-01."), birth);

          fail (self, GTK_WIDGET (self->birth_row), message);
          return;
        }
      if (g_date_compare (&date, &today) > 0)
        {
          fail (self, GTK_WIDGET (self->birth_row), _("The birth date is in the future."));
          return;
        }
    }

  json_object_set_string_member (fields, "name", name);
  json_object_set_string_member (fields, "kana", kana);
#define SET_OR_NULL(field, value) \
  if (*(value) != '\0') json_object_set_string_member (fields, field, value); \
  else json_object_set_null_member (fields, field)
  SET_OR_NULL ("birth_date", birth);
  SET_OR_NULL ("relationship", stored_relationship (self, relationship));
  SET_OR_NULL ("note", note);
#undef SET_OR_NULL

  if (self->resident_id == NULL)
    json_object_set_string_member (fields, "household_id", self->household_id);
  else if (target != NULL)
    json_object_set_string_member (fields, "household_id",
                                   g_object_get_data (G_OBJECT (target), "household-id"));

  gtk_widget_action_set_enabled (widget, "resident.save", FALSE);
  task = g_task_new (self, self->cancellable, on_saved_cb, NULL);
  g_task_set_source_tag (task, save_action);
  job = job_new (self);
  job->fields = g_steal_pointer (&fields);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, save_worker);
}

static void
tsu_resident_editor_dispose (GObject *object)
{
  TsuResidentEditor *self = TSU_RESIDENT_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  g_clear_object (&self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), TSU_TYPE_RESIDENT_EDITOR);
  G_OBJECT_CLASS (tsu_resident_editor_parent_class)->dispose (object);
}

static void
tsu_resident_editor_finalize (GObject *object)
{
  TsuResidentEditor *self = TSU_RESIDENT_EDITOR (object);

  g_free (self->household_id);
  g_free (self->resident_id);
  g_free (self->relationship);
  G_OBJECT_CLASS (tsu_resident_editor_parent_class)->finalize (object);
}

static void
tsu_resident_editor_class_init (TsuResidentEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsu_resident_editor_dispose;
  object_class->finalize = tsu_resident_editor_finalize;

  signals[SIGNAL_LOADED] =
    g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/tsu-resident-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, TsuResidentEditor, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TsuResidentEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, TsuResidentEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, TsuResidentEditor, kana_row);
  gtk_widget_class_bind_template_child (widget_class, TsuResidentEditor, birth_row);
  gtk_widget_class_bind_template_child (widget_class, TsuResidentEditor, birth_hint);
  gtk_widget_class_bind_template_child (widget_class, TsuResidentEditor, relationship_row);
  gtk_widget_class_bind_template_child (widget_class, TsuResidentEditor, note_row);
  gtk_widget_class_bind_template_child (widget_class, TsuResidentEditor, move_group);
  gtk_widget_class_bind_template_child (widget_class, TsuResidentEditor, search_row);
  gtk_widget_class_bind_template_child (widget_class, TsuResidentEditor, results_list);

  gtk_widget_class_install_action (widget_class, "resident.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "resident.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tsu_resident_editor_init (TsuResidentEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  g_signal_connect_swapped (self->birth_row, "changed", G_CALLBACK (on_birth_changed_cb), self);
  g_signal_connect_swapped (self->search_row, "changed", G_CALLBACK (on_search_changed_cb), self);
}

static void
read_record_worker (GTask        *task,
                    gpointer      source,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GError) error = NULL;
  JsonObject *record = tsu_store_get_record (job->store, "resident", job->resident_id, &error);

  if (record == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, record, (GDestroyNotify) json_object_unref);
}

static void
on_record_read_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  TsuResidentEditor *self = TSU_RESIDENT_EDITOR (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) record = g_task_propagate_pointer (G_TASK (result), &error);

  if (record == NULL)
    {
      /* Saving stays off: there is nothing right to save over. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      return;
    }
  set_text (self->name_row, record, "name");
  set_text (self->kana_row, record, "kana");
  set_text (self->birth_row, record, "birth_date");
  set_relationship (self, json_object_get_member (record, "relationship"));
  set_text (self->note_row, record, "note");
  self->loaded = TRUE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "resident.save", TRUE);
  g_signal_emit (self, signals[SIGNAL_LOADED], 0);
}

GtkWidget *
tsu_resident_editor_new (TsuStore   *store,
                         const char *household_id,
                         const char *resident_id)
{
  TsuResidentEditor *self;

  g_return_val_if_fail (TSU_IS_STORE (store), NULL);
  g_return_val_if_fail (household_id != NULL, NULL);

  self = g_object_new (TSU_TYPE_RESIDENT_EDITOR, NULL);
  self->store = g_object_ref (store);
  self->household_id = g_strdup (household_id);
  self->resident_id = g_strdup (resident_id);

  /* Moving only makes sense for someone who is already recorded. */
  gtk_widget_set_visible (self->move_group, resident_id != NULL);
  if (resident_id != NULL)
    {
      g_autoptr(GTask) task = g_task_new (self, self->cancellable, on_record_read_cb, NULL);

      adw_window_title_set_title (self->window_title, _("Edit Member"));
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "resident.save", FALSE);
      g_task_set_source_tag (task, tsu_resident_editor_new);
      g_task_set_task_data (task, job_new (self), (GDestroyNotify) job_free);
      g_task_run_in_thread (task, read_record_worker);
    }
  else
    self->loaded = TRUE;
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
  return GTK_WIDGET (self);
}

gboolean
tsu_resident_editor_get_loaded (TsuResidentEditor *self)
{
  g_return_val_if_fail (TSU_IS_RESIDENT_EDITOR (self), FALSE);
  return self->loaded;
}
