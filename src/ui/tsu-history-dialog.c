/* tsu-history-dialog.c: the audit trail of one household
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Who changed what, and when: one row per operation in the log, on the
 * household and on its residents, visits and follow-ups, newest first.
 * The log cannot be edited, and neither can anything shown here.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tsu-hlc.h"
#include "tsu-history-dialog.h"
#include "tsu-store-audit.h"

struct _TsuHistoryDialog
{
  AdwWindow      parent_instance;

  TsuStore      *store;
  char          *household_id;
  GCancellable  *cancellable;
  guint          n_rows;

  GtkListBox    *list;
  GtkStack      *stack;
};

G_DEFINE_FINAL_TYPE (TsuHistoryDialog, tsu_history_dialog, ADW_TYPE_WINDOW)

static const char *
table_label (const char *table)
{
  if (g_strcmp0 (table, "household") == 0)
    return _("Household");
  if (g_strcmp0 (table, "resident") == 0)
    return _("Member");
  if (g_strcmp0 (table, "visit") == 0)
    return _("Visit");
  if (g_strcmp0 (table, "followup") == 0)
    return _("Follow-up");
  return table;
}

static char *
describe_fields (JsonObject *fields)
{
  g_autoptr(GList) members = fields != NULL ? json_object_get_members (fields) : NULL;
  GString *text = g_string_new (NULL);

  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (fields, l->data);
      g_autofree char *value = NULL;

      if (JSON_NODE_HOLDS_NULL (node))
        value = g_strdup ("—");
      else if (json_node_get_value_type (node) == G_TYPE_STRING)
        value = g_strdup (json_node_get_string (node));
      else
        value = json_to_string (node, FALSE);

      /* Long notes are cut: the row says that a field changed, the visit
       * itself shows the whole text. */
      if (g_utf8_strlen (value, -1) > 40)
        {
          g_autofree char *cut = g_utf8_substring (value, 0, 40);
          g_free (value);
          value = g_strconcat (cut, "…", NULL);
        }
      g_string_append_printf (text, "%s%s = %s", text->len > 0 ? ", " : "",
                              (const char *) l->data, value);
    }
  return g_string_free (text, FALSE);
}

static GtkWidget *
make_row (JsonObject *entry)
{
  GtkWidget *row = adw_action_row_new ();
  const char *hlc = json_object_get_string_member_with_default (entry, "hlc", NULL);
  const char *actor = json_object_get_string_member_with_default (entry, "actor", NULL);
  JsonObject *fields = json_object_has_member (entry, "fields")
                       ? json_object_get_object_member (entry, "fields") : NULL;
  g_autofree char *when = NULL;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  TsuHlc parsed;

  if (hlc != NULL && tsu_hlc_parse (hlc, &parsed))
    {
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (parsed.physical_ms / 1000);
      g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

      if (local != NULL)
        when = g_date_time_format (local, "%Y-%m-%d %H:%M");
    }

  /* Translators: one entry of the audit trail: when, what kind of record, who */
  title = g_strdup_printf (_("%s · %s · %s"), when != NULL ? when : "—",
                           table_label (json_object_get_string_member_with_default (entry, "table", "")),
                           actor != NULL && *actor != '\0' ? actor : _("(unknown)"));
  subtitle = describe_fields (fields);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
  return row;
}

static void
on_history_loaded_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  TsuHistoryDialog *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = tsu_store_list_household_history_finish (TSU_STORE (source), result, &error);

  if (entries == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Failed to read the history: %s", error->message);
      return;
    }

  for (guint i = 0; i < entries->len; i++)
    gtk_list_box_append (self->list, make_row (entries->pdata[i]));
  self->n_rows = entries->len;
  gtk_stack_set_visible_child_name (self->stack, entries->len > 0 ? "list" : "empty");
}

guint
tsu_history_dialog_get_n_rows (TsuHistoryDialog *self)
{
  g_return_val_if_fail (TSU_IS_HISTORY_DIALOG (self), 0);
  return self->n_rows;
}

TsuHistoryDialog *
tsu_history_dialog_new (GtkWindow  *parent,
                        TsuStore   *store,
                        const char *household_id)
{
  TsuHistoryDialog *self;

  g_return_val_if_fail (TSU_IS_STORE (store), NULL);
  g_return_val_if_fail (household_id != NULL, NULL);

  self = g_object_new (TSU_TYPE_HISTORY_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
  self->store = g_object_ref (store);
  self->household_id = g_strdup (household_id);
  tsu_store_list_household_history_async (store, household_id, self->cancellable,
                                          on_history_loaded_cb, self);
  return self;
}

static void
tsu_history_dialog_dispose (GObject *object)
{
  TsuHistoryDialog *self = TSU_HISTORY_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), TSU_TYPE_HISTORY_DIALOG);
  g_clear_object (&self->store);
  g_clear_pointer (&self->household_id, g_free);

  G_OBJECT_CLASS (tsu_history_dialog_parent_class)->dispose (object);
}

static void
tsu_history_dialog_class_init (TsuHistoryDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsu_history_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/tsu-history-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TsuHistoryDialog, list);
  gtk_widget_class_bind_template_child (widget_class, TsuHistoryDialog, stack);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tsu_history_dialog_init (TsuHistoryDialog *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
