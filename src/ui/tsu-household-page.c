/* tsu-household-page.c: one household, its members and its visit history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything shown is read in one worker call (tsu_store_load_household),
 * so opening a household never blocks the window, and a save is followed
 * by a reload of the same kind. Edits in place are single-record updates
 * written as they are applied, in a worker thread and one at a time, in
 * the order they were made; archiving and deleting a visit can be undone
 * from a toast, and nothing is ever hard-deleted.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "tsu-household-flags.h"
#include "tsu-household-page.h"
#include "tsu-resident-editor.h"
#include "tsu-store-visits.h"
#include "tsu-visit-editor.h"
#include "tsu-visits-date.h"

static const char * const consent_codes[] = { "unknown", "yes", "no" };

struct _TsuHouseholdPage
{
  AdwBin               parent_instance;

  TsuStore            *store;
  char                *household_id;
  GCancellable        *load_cancellable;
  JsonObject          *household;
  GHashTable          *labels;          /* "kind/code" → label */
  GListStore          *residents;
  GListStore          *visits;
  GPtrArray           *flag_checks;
  gboolean             loading;
  TsuVisitEditor      *spare_editor;    /* built ahead for this household */
  guint                spare_timeout_id;
  GQueue               pending_writes;  /* HouseholdWrite, oldest first */
  gboolean             writing;         /* a write is in its worker */
  guint                n_loads;         /* loads started, ever */
  gboolean             load_pending;    /* a load has not shown its result yet */
  guint                loads_at_write;  /* n_loads when the write started */

  /* template children */
  AdwToastOverlay     *toast_overlay;
  GtkStack            *stack;
  GtkLabel            *title_label;
  GtkLabel            *subtitle_label;
  GtkLabel            *followup_label;
  GtkWidget           *archive_button;
  GtkWidget           *restore_button;
  AdwPreferencesGroup *members_group;
  GtkListBox          *members_list;
  AdwPreferencesGroup *visits_group;
  GtkListBox          *visits_list;
  AdwEntryRow         *address_row;
  GtkButton           *place_button;
  AdwEntryRow         *phone_row;
  AdwEntryRow         *jichikai_row;
  AdwEntryRow         *minsei_row;
  GtkSpinButton       *interval_spin;
  AdwExpanderRow      *flags_row;
  AdwComboRow         *consent_row;
  AdwEntryRow         *consent_date_row;
  GtkLabel            *consent_date_hint;
  AdwEntryRow         *consent_scope_row;
  AdwEntryRow         *note_row;
};

G_DEFINE_FINAL_TYPE (TsuHouseholdPage, tsu_household_page, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_STORE,
  PROP_HOUSEHOLD_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_LOADED,
  SIGNAL_VISIT_SAVED,
  SIGNAL_HOUSEHOLD_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
member_text (JsonObject *object,
             const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gint64
member_int (JsonObject *object,
            const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;
  return json_node_get_int (node);
}

static void
toast (TsuHouseholdPage *self,
       const char       *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

static const char *
label_for (TsuHouseholdPage *self,
           const char       *kind,
           const char       *code)
{
  g_autofree char *key = NULL;
  const char *label;

  if (code == NULL)
    return NULL;
  key = g_strconcat (kind, "/", code, NULL);
  label = g_hash_table_lookup (self->labels, key);
  /* An unknown code (reference data not synced yet) is shown as it is. */
  return label != NULL ? label : code;
}

/* The labels of the category codes and agency ids a visit shows, and of
 * the members' relationships, read in a worker when the store is set;
 * the page shows again with them. */
static void
labels_worker (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  static const char * const kinds[] = { "contact_type", "outcome", "support_area", "content", "relationship" };
  TsuStore *store = task_data;
  GHashTable *labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autoptr(GPtrArray) rows = tsu_store_list_categories (store, kinds[k], NULL);

      for (guint i = 0; rows != NULL && i < rows->len; i++)
        {
          JsonObject *row = g_ptr_array_index (rows, i);

          g_hash_table_insert (labels,
                               g_strconcat (kinds[k], "/", member_text (row, "code"), NULL),
                               g_strdup (member_text (row, "label")));
        }
    }
  {
    g_autoptr(GPtrArray) agencies = tsu_store_list_agencies (store, NULL);

    for (guint i = 0; agencies != NULL && i < agencies->len; i++)
      {
        JsonObject *row = g_ptr_array_index (agencies, i);

        g_hash_table_insert (labels,
                             g_strconcat ("agency/", member_text (row, "id"), NULL),
                             g_strdup (member_text (row, "name")));
      }
  }
  g_task_return_pointer (task, labels, (GDestroyNotify) g_hash_table_unref);
}

static void
on_labels_loaded_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  TsuHouseholdPage *self = TSU_HOUSEHOLD_PAGE (source);
  GHashTable *labels = g_task_propagate_pointer (G_TASK (result), NULL);

  if (labels == NULL)
    return;
  g_hash_table_unref (self->labels);
  self->labels = labels;
  tsu_household_page_reload (self);
}

static void
load_labels (TsuHouseholdPage *self)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, on_labels_loaded_cb, NULL);

  g_task_set_source_tag (task, load_labels);
  g_task_set_task_data (task, g_object_ref (self->store), g_object_unref);
  g_task_run_in_thread (task, labels_worker);
}

static char *
format_date (const char *iso)
{
  GDate date;

  if (!tsu_visits_date_parse (iso, &date))
    return g_strdup (iso != NULL ? iso : "");
  return tsu_visits_date_format_both (&date);
}

static void
on_edit_resident_cb (GtkButton        *button,
                     TsuHouseholdPage *self);

static GtkWidget *
create_resident_row (gpointer item,
                     gpointer user_data)
{
  TsuHouseholdPage *self = user_data;
  TsuResident *resident = item;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *edit = gtk_button_new_from_icon_name ("document-edit-symbolic");
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *subtitle = NULL;
  GDate birth;

  if (tsu_resident_get_kana (resident) != NULL)
    g_ptr_array_add (parts, g_strdup (tsu_resident_get_kana (resident)));
  if (tsu_resident_get_relationship (resident) != NULL)
    g_ptr_array_add (parts, g_strdup (label_for (self, "relationship", tsu_resident_get_relationship (resident))));
  if (tsu_visits_date_parse (tsu_resident_get_birth_date (resident), &birth))
    {
      GDate today;

      tsu_visits_date_today (&today);
      g_ptr_array_add (parts, tsu_visits_date_format_both (&birth));
      /* TRANSLATORS: a person's age in years */
      g_ptr_array_add (parts, g_strdup_printf (_("%d years"), tsu_visits_date_age (&birth, &today)));
    }
  g_ptr_array_add (parts, NULL);
  subtitle = g_strjoinv (" · ", (char **) parts->pdata);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), tsu_resident_get_name (resident));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (edit, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (edit, "flat");
  gtk_widget_set_tooltip_text (edit, _("Edit or move this member"));
  g_object_set_data_full (G_OBJECT (edit), "resident-id",
                          g_strdup (tsu_resident_get_id (resident)), g_free);
  g_signal_connect (edit, "clicked", G_CALLBACK (on_edit_resident_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), edit);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), edit);
  return row;
}

static void on_delete_visit_cb (GtkButton        *button,
                                TsuHouseholdPage *self);
static void on_edit_visit_cb   (GtkButton        *button,
                                TsuHouseholdPage *self);

static GtkWidget *
create_visit_row (gpointer item,
                  gpointer user_data)
{
  TsuHouseholdPage *self = user_data;
  TsuVisit *visit = item;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *edit = gtk_button_new_from_icon_name ("document-edit-symbolic");
  GtkWidget *delete = gtk_button_new_from_icon_name ("user-trash-symbolic");
  const char *visited_at = tsu_visit_get_visited_at (visit);
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  g_autofree char *day = format_date (visited_at);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  GString *topics = g_string_new (NULL);
  g_auto(GStrv) categories = g_strsplit (tsu_visit_get_categories (visit) != NULL ?
                                         tsu_visit_get_categories (visit) : "", ",", -1);
  g_autofree char *note = NULL;
  g_autofree char *next_text = NULL;

  title = g_strdup_printf ("%s %s", day,
                           visited_at != NULL && strlen (visited_at) >= 16 ? visited_at + 11 : "");

  g_ptr_array_add (parts, (gpointer) label_for (self, "contact_type", tsu_visit_get_contact_type (visit)));
  g_ptr_array_add (parts, (gpointer) label_for (self, "outcome", tsu_visit_get_outcome (visit)));
  if (tsu_visit_get_support_area (visit) != NULL)
    g_ptr_array_add (parts, (gpointer) label_for (self, "support_area", tsu_visit_get_support_area (visit)));
  for (guint i = 0; categories[i] != NULL; i++)
    if (*categories[i] != '\0')
      {
        if (topics->len > 0)
          g_string_append (topics, C_("list separator", ", "));
        g_string_append (topics, label_for (self, "content", categories[i]));
      }
  if (topics->len > 0)
    g_ptr_array_add (parts, topics->str);
  if (tsu_visit_get_next_follow_up (visit) != NULL)
    {
      g_autofree char *next = format_date (tsu_visit_get_next_follow_up (visit));

      next_text = g_strdup_printf (_("next: %s"), next);
      g_ptr_array_add (parts, next_text);
    }
  if (tsu_visit_get_note (visit) != NULL)
    {
      /* The first line of the note, short enough for one row. */
      const char *text = tsu_visit_get_note (visit);
      const char *newline = strchr (text, '\n');
      glong len = g_utf8_strlen (text, newline != NULL ? newline - text : -1);

      note = g_utf8_substring (text, 0, MIN (len, 60));
      g_ptr_array_add (parts, note);
    }
  g_ptr_array_add (parts, NULL);
  subtitle = g_strjoinv (" · ", (char **) parts->pdata);
  g_string_free (topics, TRUE);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  /* A note may contain "<" or "&". */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);

  if (tsu_visit_get_sensitive (visit))
    {
      GtkWidget *icon = gtk_image_new_from_icon_name ("security-high-symbolic");

      gtk_widget_set_tooltip_text (icon, _("Sensitive (要配慮)"));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
    }

  for (GtkWidget *button = edit; button != NULL; button = button == edit ? delete : NULL)
    {
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      g_object_set_data_full (G_OBJECT (button), "visit-id", g_strdup (tsu_visit_get_id (visit)), g_free);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
  gtk_widget_set_tooltip_text (edit, _("Edit this visit"));
  gtk_widget_set_tooltip_text (delete, _("Delete this visit"));
  g_signal_connect (edit, "clicked", G_CALLBACK (on_edit_visit_cb), self);
  g_signal_connect (delete, "clicked", G_CALLBACK (on_delete_visit_cb), self);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), edit);
  return row;
}

static void
set_entry (AdwEntryRow *row,
           const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
}

static void
update_header (TsuHouseholdPage *self)
{
  const char *status = member_text (self->household, "status");
  gboolean archived = status != NULL && !g_str_equal (status, "active");
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *subtitle = NULL;
  guint flags = (guint) member_int (self->household, "flags");

  gtk_label_set_label (self->title_label, member_text (self->household, "address"));

  if (member_text (self->household, "district_name") != NULL)
    g_ptr_array_add (parts, g_strdup (member_text (self->household, "district_name")));
  if (member_text (self->household, "jichikai") != NULL)
    g_ptr_array_add (parts, g_strdup (member_text (self->household, "jichikai")));
  if (member_text (self->household, "phone") != NULL)
    g_ptr_array_add (parts, g_strdup (member_text (self->household, "phone")));
  if (member_text (self->household, "minsei_iin") != NULL)
    g_ptr_array_add (parts, g_strdup_printf (_("Welfare commissioner: %s"),
                                             member_text (self->household, "minsei_iin")));
  if (flags != 0)
    g_ptr_array_add (parts, tsu_household_flags_to_labels (flags, C_("list separator", ", ")));
  if (archived)
    {
      const char *reason = member_text (self->household, "status_reason");
      const char *what = g_str_equal (status, "deceased") ? _("Archived: deceased") : _("Archived: moved away");

      g_ptr_array_add (parts, reason != NULL ? g_strdup_printf ("%s (%s)", what, reason) : g_strdup (what));
    }
  g_ptr_array_add (parts, NULL);
  subtitle = g_strjoinv (" · ", (char **) parts->pdata);
  gtk_label_set_label (self->subtitle_label, subtitle);

  gtk_widget_set_visible (self->archive_button, !archived);
  gtk_widget_set_visible (self->restore_button, archived);
}

static void prepare_spare_editor (TsuHouseholdPage *self);
static void drop_spare_editor    (TsuHouseholdPage *self);

static gboolean
same_visit (TsuVisit *a,
            TsuVisit *b)
{
  return g_strcmp0 (tsu_visit_get_id (a), tsu_visit_get_id (b)) == 0 &&
         g_strcmp0 (tsu_visit_get_visited_at (a), tsu_visit_get_visited_at (b)) == 0 &&
         g_strcmp0 (tsu_visit_get_contact_type (a), tsu_visit_get_contact_type (b)) == 0 &&
         g_strcmp0 (tsu_visit_get_outcome (a), tsu_visit_get_outcome (b)) == 0 &&
         g_strcmp0 (tsu_visit_get_support_area (a), tsu_visit_get_support_area (b)) == 0 &&
         g_strcmp0 (tsu_visit_get_categories (a), tsu_visit_get_categories (b)) == 0 &&
         g_strcmp0 (tsu_visit_get_note (a), tsu_visit_get_note (b)) == 0 &&
         g_strcmp0 (tsu_visit_get_referrals (a), tsu_visit_get_referrals (b)) == 0 &&
         g_strcmp0 (tsu_visit_get_next_follow_up (a), tsu_visit_get_next_follow_up (b)) == 0 &&
         tsu_visit_get_sensitive (a) == tsu_visit_get_sensitive (b);
}

/* Replaces only the rows that changed: after a save the new visit is one
 * row at the top, and a household visited weekly for years keeps its
 * hundreds of other rows instead of building them again. */
static void
replace_visits (TsuHouseholdPage *self,
                GPtrArray        *visits)
{
  GListModel *model = G_LIST_MODEL (self->visits);
  guint n_old = g_list_model_get_n_items (model);
  guint prefix = 0, suffix = 0;

  while (prefix < n_old && prefix < visits->len)
    {
      g_autoptr(TsuVisit) old = g_list_model_get_item (model, prefix);

      if (!same_visit (old, g_ptr_array_index (visits, prefix)))
        break;
      prefix++;
    }
  while (suffix < n_old - prefix && suffix < visits->len - prefix)
    {
      g_autoptr(TsuVisit) old = g_list_model_get_item (model, n_old - 1 - suffix);

      if (!same_visit (old, g_ptr_array_index (visits, visits->len - 1 - suffix)))
        break;
      suffix++;
    }
  /* A different household shares no rows with the last one. */
  if (prefix == 0 && suffix == 0)
    {
      g_list_store_splice (self->visits, 0, n_old, visits->pdata, visits->len);
      return;
    }
  g_list_store_splice (self->visits, prefix, n_old - prefix - suffix,
                       visits->pdata + prefix, visits->len - prefix - suffix);
}

static void
show_detail (TsuHouseholdPage   *self,
             TsuHouseholdDetail *detail)
{
  const char *consent;
  guint flags;

  g_clear_pointer (&self->household, json_object_unref);
  self->household = json_object_ref (detail->household);

  self->loading = TRUE;
  update_header (self);

  if (detail->open_followups->len > 0)
    {
      JsonObject *next = g_ptr_array_index (detail->open_followups, 0);
      g_autofree char *when = format_date (member_text (next, "due_date"));
      g_autofree char *text = g_strdup_printf (_("Next follow-up: %s"), when);

      gtk_label_set_label (self->followup_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->followup_label), detail->open_followups->len > 0);

  g_list_store_splice (self->residents, 0, g_list_model_get_n_items (G_LIST_MODEL (self->residents)),
                       detail->residents->pdata, detail->residents->len);
  replace_visits (self, detail->visits);
  {
    g_autofree char *count = g_strdup_printf (g_dngettext (NULL, "%u visit, newest first",
                                                           "%u visits, newest first",
                                                           detail->visits->len),
                                              detail->visits->len);

    adw_preferences_group_set_description (self->visits_group, count);
  }

  set_entry (self->address_row, member_text (self->household, "address"));
  set_entry (self->phone_row, member_text (self->household, "phone"));
  set_entry (self->jichikai_row, member_text (self->household, "jichikai"));
  set_entry (self->minsei_row, member_text (self->household, "minsei_iin"));
  set_entry (self->consent_date_row, member_text (self->household, "consent_date"));
  set_entry (self->consent_scope_row, member_text (self->household, "consent_scope"));
  set_entry (self->note_row, member_text (self->household, "note"));
  gtk_spin_button_set_value (self->interval_spin, (double) member_int (self->household, "visit_interval_days"));

  consent = member_text (self->household, "consent");
  adw_combo_row_set_selected (self->consent_row, 0);
  for (guint i = 0; i < G_N_ELEMENTS (consent_codes); i++)
    if (g_strcmp0 (consent, consent_codes[i]) == 0)
      adw_combo_row_set_selected (self->consent_row, i);
  {
    GDate date;
    g_autofree char *wareki = NULL;

    if (tsu_visits_date_parse (member_text (self->household, "consent_date"), &date))
      wareki = tsu_visits_date_format_wareki (&date);
    gtk_label_set_label (self->consent_date_hint, wareki != NULL ? wareki : "");
  }

  flags = (guint) member_int (self->household, "flags");
  for (guint i = 0; i < self->flag_checks->len; i++)
    gtk_check_button_set_active (g_ptr_array_index (self->flag_checks, i), (flags & (1u << i)) != 0);
  {
    g_autofree char *described = tsu_household_flags_to_labels (flags, C_("list separator", ", "));

    adw_expander_row_set_subtitle (self->flags_row, *described != '\0' ? described : _("None"));
  }

  self->loading = FALSE;
  gtk_stack_set_visible_child_name (self->stack, "household");
  prepare_spare_editor (self);
  g_signal_emit (self, signals[SIGNAL_LOADED], 0);
}

static void
on_loaded_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  TsuHouseholdPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TsuHouseholdDetail) detail = tsu_store_load_household_finish (TSU_STORE (source), result, &error);

  if (detail == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      self->load_pending = FALSE;
      toast (self, error->message);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  self->load_pending = FALSE;
  show_detail (self, detail);
}

void
tsu_household_page_reload (TsuHouseholdPage *self)
{
  g_return_if_fail (TSU_IS_HOUSEHOLD_PAGE (self));

  /* Only the newest load may fill the page. */
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);

  if (self->store == NULL || self->household_id == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  self->load_cancellable = g_cancellable_new ();
  self->n_loads++;
  self->load_pending = TRUE;
  tsu_store_load_household_async (self->store, self->household_id, self->load_cancellable,
                                  on_loaded_cb, self);
}

/* One edit of the household, as queued and as the worker writes it. */
typedef struct
{
  TsuStore   *store;
  char       *household_id;
  JsonObject *fields;
} HouseholdWrite;

static void
household_write_free (gpointer data)
{
  HouseholdWrite *write = data;

  g_clear_object (&write->store);
  g_free (write->household_id);
  json_object_unref (write->fields);
  g_free (write);
}

static void
write_worker (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  HouseholdWrite *write = task_data;
  GError *error = NULL;

  if (tsu_store_update (write->store, "household", write->household_id, write->fields, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void start_next_write (TsuHouseholdPage *self);

static void
update_flags_subtitle (TsuHouseholdPage *self,
                       guint             flags)
{
  g_autofree char *described = tsu_household_flags_to_labels (flags, C_("list separator", ", "));

  adw_expander_row_set_subtitle (self->flags_row, *described != '\0' ? described : _("None"));
}

static void
on_household_written_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  TsuHouseholdPage *self = TSU_HOUSEHOLD_PAGE (source);
  HouseholdWrite *write = g_task_get_task_data (G_TASK (result));
  gboolean shown = g_strcmp0 (write->household_id, self->household_id) == 0 && self->household != NULL;
  g_autoptr(GError) error = NULL;

  self->writing = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      toast (self, error->message);
      /* Show what the database holds again. */
      if (shown)
        tsu_household_page_reload (self);
      start_next_write (self);
      return;
    }

  if (shown)
    {
      /* Keep the cached record in step for the header. */
      g_autoptr(GList) members = json_object_get_members (write->fields);

      for (GList *l = members; l != NULL; l = l->next)
        json_object_set_member (self->household, l->data,
                                json_node_copy (json_object_get_member (write->fields, l->data)));
      update_header (self);
      if (json_object_has_member (write->fields, "flags"))
        update_flags_subtitle (self, (guint) json_object_get_int_member (write->fields, "flags"));
      /* A load that ran beside the write may have read the record from
       * before it: read it again. */
      if (self->load_pending || self->n_loads != self->loads_at_write)
        tsu_household_page_reload (self);
    }
  g_signal_emit (self, signals[SIGNAL_HOUSEHOLD_CHANGED], 0, write->household_id);
  start_next_write (self);
}

static void
start_next_write (TsuHouseholdPage *self)
{
  g_autoptr(GTask) task = NULL;
  HouseholdWrite *write;

  if (self->writing || g_queue_is_empty (&self->pending_writes))
    return;
  write = g_queue_pop_head (&self->pending_writes);
  self->writing = TRUE;
  self->loads_at_write = self->n_loads;
  /* No cancellable: an edit the user made is written even if the page
   * goes away meanwhile (the task keeps the page alive until then). */
  task = g_task_new (self, NULL, on_household_written_cb, NULL);
  g_task_set_source_tag (task, start_next_write);
  g_task_set_task_data (task, write, household_write_free);
  g_task_run_in_thread (task, write_worker);
}

/* Queues an update of the shown household. Writes run one at a time, so
 * two quick edits of one field land in the order they were made. */
static void
write_household (TsuHouseholdPage *self,
                 JsonObject       *fields)
{
  HouseholdWrite *write;

  if (self->store == NULL || self->household_id == NULL)
    return;
  write = g_new0 (HouseholdWrite, 1);
  write->store = g_object_ref (self->store);
  write->household_id = g_strdup (self->household_id);
  write->fields = json_object_ref (fields);
  g_queue_push_tail (&self->pending_writes, write);
  start_next_write (self);
}

static void
write_text (TsuHouseholdPage *self,
            const char       *field,
            const char       *text)
{
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  if (*stripped != '\0')
    json_object_set_string_member (fields, field, stripped);
  else
    json_object_set_null_member (fields, field);
  write_household (self, fields);
}

static void
on_entry_applied_cb (AdwEntryRow      *row,
                     TsuHouseholdPage *self)
{
  const char *field = g_object_get_data (G_OBJECT (row), "field");
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));

  if (g_str_equal (field, "address") && *text == '\0')
    {
      toast (self, _("A household needs an address."));
      set_entry (row, member_text (self->household, "address"));
      return;
    }
  if (g_str_equal (field, "consent_date") && *text != '\0')
    {
      GDate date;

      if (!tsu_visits_date_parse (text, &date) || strlen (text) != 10)
        {
          g_autofree char *message = g_strdup_printf (_("“%s” is not a date. Use the form 2026-04-01."), text);

          toast (self, message);
          return;
        }
    }
  write_text (self, field, text);
}

static void
on_interval_changed_cb (GtkSpinButton    *spin,
                        TsuHouseholdPage *self)
{
  g_autoptr(JsonObject) fields = json_object_new ();

  if (self->loading)
    return;
  json_object_set_int_member (fields, "visit_interval_days", gtk_spin_button_get_value_as_int (spin));
  write_household (self, fields);
}

static void
on_consent_changed_cb (AdwComboRow      *row,
                       GParamSpec       *pspec,
                       TsuHouseholdPage *self)
{
  guint selected = adw_combo_row_get_selected (row);
  g_autoptr(JsonObject) fields = json_object_new ();

  if (self->loading || selected >= G_N_ELEMENTS (consent_codes))
    return;
  json_object_set_string_member (fields, "consent", consent_codes[selected]);
  write_household (self, fields);
}

static void
on_flag_toggled_cb (GtkCheckButton   *check,
                    TsuHouseholdPage *self)
{
  g_autoptr(JsonObject) fields = json_object_new ();
  guint flags = 0;

  if (self->loading)
    return;
  for (guint i = 0; i < self->flag_checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->flag_checks, i)))
      flags |= 1u << i;
  json_object_set_int_member (fields, "flags", flags);
  write_household (self, fields);
}

static void
on_editor_saved_cb (TsuVisitEditor   *editor,
                    const char       *visit_id,
                    TsuHouseholdPage *self)
{
  /* The editor may belong to another household if the page moved on. */
  if (g_strcmp0 (tsu_visit_editor_get_household_id (editor), self->household_id) == 0)
    tsu_household_page_reload (self);
  g_signal_emit (self, signals[SIGNAL_VISIT_SAVED], 0, visit_id);
}

static void
drop_spare_editor (TsuHouseholdPage *self)
{
  g_clear_handle_id (&self->spare_timeout_id, g_source_remove);
  if (self->spare_editor != NULL)
    {
      gtk_window_destroy (GTK_WINDOW (self->spare_editor));
      g_clear_object (&self->spare_editor);
    }
}

static gboolean
build_spare_editor_cb (gpointer user_data)
{
  TsuHouseholdPage *self = user_data;

  self->spare_timeout_id = 0;
  if (self->store != NULL && self->household_id != NULL && self->spare_editor == NULL)
    self->spare_editor = g_object_ref (tsu_visit_editor_new (self->store, self->household_id, NULL));
  return G_SOURCE_REMOVE;
}

/* Building the editor is most of the time "new visit" takes, so one is
 * built ahead, shortly after a household is shown (not at once: someone
 * paging through search results should not pay for editors they never
 * open). It is not shown until asked for. */
static void
prepare_spare_editor (TsuHouseholdPage *self)
{
  if (self->spare_editor != NULL &&
      g_strcmp0 (tsu_visit_editor_get_household_id (self->spare_editor), self->household_id) == 0)
    return;
  drop_spare_editor (self);
  self->spare_timeout_id = g_timeout_add (400, build_spare_editor_cb, self);
}

static GtkWindow *
open_editor (TsuHouseholdPage *self,
             const char       *visit_id)
{
  TsuVisitEditor *editor;

  if (self->store == NULL || self->household_id == NULL)
    return NULL;
  if (visit_id == NULL && self->spare_editor != NULL &&
      g_strcmp0 (tsu_visit_editor_get_household_id (self->spare_editor), self->household_id) == 0)
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

      editor = g_steal_pointer (&self->spare_editor);
      if (GTK_IS_WINDOW (root))
        gtk_window_set_transient_for (GTK_WINDOW (editor), GTK_WINDOW (root));
      gtk_window_present (GTK_WINDOW (editor));
      /* GTK keeps its own reference to a toplevel until it is destroyed. */
      g_object_unref (editor);
    }
  else
    editor = tsu_visit_editor_open (GTK_WIDGET (self), self->store, self->household_id, visit_id);
  g_signal_connect_object (editor, "saved", G_CALLBACK (on_editor_saved_cb), self, 0);
  return GTK_WINDOW (editor);
}

GtkWindow *
tsu_household_page_new_visit (TsuHouseholdPage *self)
{
  g_return_val_if_fail (TSU_IS_HOUSEHOLD_PAGE (self), NULL);
  return open_editor (self, NULL);
}

static void
on_edit_visit_cb (GtkButton        *button,
                  TsuHouseholdPage *self)
{
  open_editor (self, g_object_get_data (G_OBJECT (button), "visit-id"));
}

/* Deleting and undeleting a visit run in a worker (they touch its
 * follow-ups too); the page reloads when they are done. */
typedef struct
{
  TsuHouseholdPage *self;
  char             *visit_id;
  gboolean          deleted;
} VisitDeletion;

static void
visit_deletion_free (VisitDeletion *deletion)
{
  g_object_unref (deletion->self);
  g_free (deletion->visit_id);
  g_free (deletion);
}

static void on_undo_delete_visit_cb (AdwToast *toast_, TsuHouseholdPage *self);

static void
on_visit_deleted_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  VisitDeletion *deletion = user_data;
  TsuHouseholdPage *self = deletion->self;
  g_autoptr(GError) error = NULL;

  if (!tsu_store_set_visit_deleted_finish (TSU_STORE (source), result, &error))
    toast (self, error->message);
  else if (deletion->deleted)
    {
      AdwToast *undo = adw_toast_new (_("Visit deleted"));

      adw_toast_set_button_label (undo, _("_Undo"));
      adw_toast_set_priority (undo, ADW_TOAST_PRIORITY_HIGH);
      g_object_set_data_full (G_OBJECT (undo), "visit-id", g_strdup (deletion->visit_id), g_free);
      g_signal_connect_object (undo, "button-clicked", G_CALLBACK (on_undo_delete_visit_cb), self, 0);
      adw_toast_overlay_add_toast (self->toast_overlay, undo);
    }
  if (self->store != NULL)
    {
      tsu_household_page_reload (self);
      g_signal_emit (self, signals[SIGNAL_HOUSEHOLD_CHANGED], 0, self->household_id);
    }
  visit_deletion_free (deletion);
}

static void
set_visit_deleted (TsuHouseholdPage *self,
                   const char       *visit_id,
                   gboolean          deleted)
{
  VisitDeletion *deletion = g_new0 (VisitDeletion, 1);

  deletion->self = g_object_ref (self);
  deletion->visit_id = g_strdup (visit_id);
  deletion->deleted = deleted;
  tsu_store_set_visit_deleted_async (self->store, visit_id, deleted, NULL, on_visit_deleted_cb, deletion);
}

static void
on_undo_delete_visit_cb (AdwToast         *toast_,
                         TsuHouseholdPage *self)
{
  set_visit_deleted (self, g_object_get_data (G_OBJECT (toast_), "visit-id"), FALSE);
}

static void
on_delete_visit_cb (GtkButton        *button,
                    TsuHouseholdPage *self)
{
  set_visit_deleted (self, g_object_get_data (G_OBJECT (button), "visit-id"), TRUE);
}

static void
on_resident_saved_cb (GtkWidget        *editor,
                      const char       *resident_id,
                      TsuHouseholdPage *self)
{
  tsu_household_page_reload (self);
  g_signal_emit (self, signals[SIGNAL_HOUSEHOLD_CHANGED], 0, self->household_id);
}

static void
open_resident_editor (TsuHouseholdPage *self,
                      const char       *resident_id)
{
  GtkWidget *editor;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->household_id == NULL)
    return;
  editor = tsu_resident_editor_new (self->store, self->household_id, resident_id);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (editor), GTK_WINDOW (root));
  g_signal_connect_object (editor, "saved", G_CALLBACK (on_resident_saved_cb), self, 0);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
on_edit_resident_cb (GtkButton        *button,
                     TsuHouseholdPage *self)
{
  open_resident_editor (self, g_object_get_data (G_OBJECT (button), "resident-id"));
}

static void
set_status (TsuHouseholdPage *self,
            const char       *status,
            const char       *reason)
{
  g_autoptr(JsonObject) fields = json_object_new ();

  json_object_set_string_member (fields, "status", status);
  if (reason != NULL && *reason != '\0')
    json_object_set_string_member (fields, "status_reason", reason);
  else
    json_object_set_null_member (fields, "status_reason");
  write_household (self, fields);
}

static void
on_undo_archive_cb (AdwToast         *toast_,
                    TsuHouseholdPage *self)
{
  set_status (self,
              g_object_get_data (G_OBJECT (toast_), "old-status"),
              g_object_get_data (G_OBJECT (toast_), "old-reason"));
}

static void
on_archive_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        TsuHouseholdPage *self)
{
  GtkEditable *reason = g_object_get_data (G_OBJECT (dialog), "reason");
  const char *old_status = member_text (self->household, "status");
  AdwToast *undo;

  if (!g_str_equal (response, "moved") && !g_str_equal (response, "deceased"))
    return;

  undo = adw_toast_new (_("Household archived"));
  g_object_set_data_full (G_OBJECT (undo), "old-status",
                          g_strdup (old_status != NULL ? old_status : "active"), g_free);
  g_object_set_data_full (G_OBJECT (undo), "old-reason",
                          g_strdup (member_text (self->household, "status_reason")), g_free);
  set_status (self, response, gtk_editable_get_text (reason));

  adw_toast_set_button_label (undo, _("_Undo"));
  adw_toast_set_priority (undo, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect_object (undo, "button-clicked", G_CALLBACK (on_undo_archive_cb), self, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, undo);
}

static void
archive_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TsuHouseholdPage *self = TSU_HOUSEHOLD_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog;
  GtkWidget *entry;

  if (self->household == NULL)
    return;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Archive This Household?"),
                                   _("It leaves the map and the work list but its records are kept. You can restore it later."));
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Reason (for example: moved to Nabari in March)"));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  g_object_set_data (G_OBJECT (dialog), "reason", entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "deceased", _("_Deceased"),
                                    "moved", _("_Moved Away"),
                                    NULL);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "moved");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_archive_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
restore_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TsuHouseholdPage *self = TSU_HOUSEHOLD_PAGE (widget);

  if (self->household != NULL)
    set_status (self, "active", NULL);
}

static void
new_visit_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  tsu_household_page_new_visit (TSU_HOUSEHOLD_PAGE (widget));
}

static void
add_resident_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  open_resident_editor (TSU_HOUSEHOLD_PAGE (widget), NULL);
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  tsu_household_page_reload (TSU_HOUSEHOLD_PAGE (widget));
}

void
tsu_household_page_set_household_id (TsuHouseholdPage *self,
                                     const char       *household_id)
{
  g_return_if_fail (TSU_IS_HOUSEHOLD_PAGE (self));

  if (g_strcmp0 (self->household_id, household_id) == 0)
    return;
  g_free (self->household_id);
  self->household_id = g_strdup (household_id);
  /* The window's map places this household where the user clicks. */
  if (household_id != NULL)
    gtk_actionable_set_action_target (GTK_ACTIONABLE (self->place_button), "s", household_id);
  drop_spare_editor (self);
  tsu_household_page_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOUSEHOLD_ID]);
}

const char *
tsu_household_page_get_household_id (TsuHouseholdPage *self)
{
  g_return_val_if_fail (TSU_IS_HOUSEHOLD_PAGE (self), NULL);
  return self->household_id;
}

guint
tsu_household_page_get_n_visits (TsuHouseholdPage *self)
{
  g_return_val_if_fail (TSU_IS_HOUSEHOLD_PAGE (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->visits));
}

static void
set_store (TsuHouseholdPage *self,
           TsuStore         *store)
{
  if (!g_set_object (&self->store, store))
    return;
  if (store != NULL)
    load_labels (self);
  tsu_household_page_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

static void
tsu_household_page_dispose (GObject *object)
{
  TsuHouseholdPage *self = TSU_HOUSEHOLD_PAGE (object);

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  drop_spare_editor (self);
  g_clear_object (&self->store);
  g_clear_object (&self->residents);
  g_clear_object (&self->visits);
  g_clear_pointer (&self->household, json_object_unref);
  g_clear_pointer (&self->flag_checks, g_ptr_array_unref);

  /* AdwBin unparents its child (the whole template) itself; disposing
   * the template as well would unparent it twice. */

  G_OBJECT_CLASS (tsu_household_page_parent_class)->dispose (object);
}

static void
tsu_household_page_finalize (GObject *object)
{
  TsuHouseholdPage *self = TSU_HOUSEHOLD_PAGE (object);

  g_free (self->household_id);
  g_hash_table_unref (self->labels);
  g_queue_clear_full (&self->pending_writes, household_write_free);

  G_OBJECT_CLASS (tsu_household_page_parent_class)->finalize (object);
}

static void
tsu_household_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  TsuHouseholdPage *self = TSU_HOUSEHOLD_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_HOUSEHOLD_ID:
      g_value_set_string (value, self->household_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_household_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  TsuHouseholdPage *self = TSU_HOUSEHOLD_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      set_store (self, g_value_get_object (value));
      break;
    case PROP_HOUSEHOLD_ID:
      tsu_household_page_set_household_id (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_household_page_class_init (TsuHouseholdPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsu_household_page_dispose;
  object_class->finalize = tsu_household_page_finalize;
  object_class->get_property = tsu_household_page_get_property;
  object_class->set_property = tsu_household_page_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, TSU_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HOUSEHOLD_ID] =
    g_param_spec_string ("household-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_LOADED] =
    g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_VISIT_SAVED] =
    g_signal_new ("visit-saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_HOUSEHOLD_CHANGED] =
    g_signal_new ("household-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/tsu-household-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TsuHouseholdPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TsuHouseholdPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TsuHouseholdPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, TsuHouseholdPage, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, TsuHouseholdPage, followup_label);
  gtk_widget_class_bind_template_child (widget_class, TsuHouseholdPage, archive_button);
  gtk_widget_class_bind_template_child (widget_class, TsuHouseholdPage, restore_button);
  gtk_widget_class_bind_template_child (widget_class, TsuHouseholdPage, members_group);
  gtk_widget_class_bind_template_child (widget_class, TsuHouseholdPage, members_list);
  gtk_widget_class_bind_template_child (widget_class, TsuHouseholdPage, visits_group);
  gtk_widget_class_bind_template_child (widget_class, TsuHouseholdPage, visits_list);
  gtk_widget_class_bind_template_child (widget_class, TsuHouseholdPage, address_row);
  gtk_widget_class_bind_template_child (widget_class, TsuHouseholdPage, place_button);
  gtk_widget_class_bind_template_child (widget_class, TsuHouseholdPage, phone_row);
  gtk_widget_class_bind_template_child (widget_class, TsuHouseholdPage, jichikai_row);
  gtk_widget_class_bind_template_child (widget_class, TsuHouseholdPage, minsei_row);
  gtk_widget_class_bind_template_child (widget_class, TsuHouseholdPage, interval_spin);
  gtk_widget_class_bind_template_child (widget_class, TsuHouseholdPage, flags_row);
  gtk_widget_class_bind_template_child (widget_class, TsuHouseholdPage, consent_row);
  gtk_widget_class_bind_template_child (widget_class, TsuHouseholdPage, consent_date_row);
  gtk_widget_class_bind_template_child (widget_class, TsuHouseholdPage, consent_date_hint);
  gtk_widget_class_bind_template_child (widget_class, TsuHouseholdPage, consent_scope_row);
  gtk_widget_class_bind_template_child (widget_class, TsuHouseholdPage, note_row);

  gtk_widget_class_install_action (widget_class, "household.new-visit", NULL, new_visit_action);
  gtk_widget_class_install_action (widget_class, "household.add-resident", NULL, add_resident_action);
  gtk_widget_class_install_action (widget_class, "household.archive", NULL, archive_action);
  gtk_widget_class_install_action (widget_class, "household.restore", NULL, restore_action);
  gtk_widget_class_install_action (widget_class, "household.reload", NULL, reload_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "household.new-visit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "household.reload", NULL);
}

static void
tsu_household_page_init (TsuHouseholdPage *self)
{
  static const char * const entry_fields[] = {
    "address", "phone", "jichikai", "minsei_iin", "consent_date", "consent_scope", "note",
  };
  AdwEntryRow *entry_rows[G_N_ELEMENTS (entry_fields)];

  gtk_widget_init_template (GTK_WIDGET (self));

  self->labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->residents = g_list_store_new (TSU_TYPE_RESIDENT);
  self->visits = g_list_store_new (TSU_TYPE_VISIT);
  self->flag_checks = g_ptr_array_new ();

  gtk_list_box_bind_model (self->members_list, G_LIST_MODEL (self->residents),
                           create_resident_row, self, NULL);
  gtk_list_box_bind_model (self->visits_list, G_LIST_MODEL (self->visits),
                           create_visit_row, self, NULL);
  gtk_list_box_set_placeholder (self->visits_list,
                                g_object_new (GTK_TYPE_LABEL, "label", _("No visits yet"),
                                              "margin-top", 12, "margin-bottom", 12,
                                              "css-classes", (const char *[]) { "dim-label", NULL },
                                              NULL));

  entry_rows[0] = self->address_row;
  entry_rows[1] = self->phone_row;
  entry_rows[2] = self->jichikai_row;
  entry_rows[3] = self->minsei_row;
  entry_rows[4] = self->consent_date_row;
  entry_rows[5] = self->consent_scope_row;
  entry_rows[6] = self->note_row;
  for (guint i = 0; i < G_N_ELEMENTS (entry_fields); i++)
    {
      g_object_set_data (G_OBJECT (entry_rows[i]), "field", (gpointer) entry_fields[i]);
      g_signal_connect (entry_rows[i], "apply", G_CALLBACK (on_entry_applied_cb), self);
    }

  /* One check per bit, in bit order: flag_checks[i] is bit i. */
  for (guint bit = 0; bit < 31 && tsu_household_flag_lookup (1u << bit) != NULL; bit++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), tsu_household_flag_to_label (1u << bit));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      g_signal_connect (check, "toggled", G_CALLBACK (on_flag_toggled_cb), self);
      g_ptr_array_add (self->flag_checks, check);
      adw_expander_row_add_row (self->flags_row, row);
    }

  g_signal_connect (self->interval_spin, "value-changed", G_CALLBACK (on_interval_changed_cb), self);
  g_signal_connect (self->consent_row, "notify::selected", G_CALLBACK (on_consent_changed_cb), self);
}

GtkWidget *
tsu_household_page_new (TsuStore *store)
{
  return g_object_new (TSU_TYPE_HOUSEHOLD_PAGE, "store", store, NULL);
}
