/* tsu-visit-editor.c: the window in which a visit is logged or edited
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Built for a kitchen table: everything has a default (now, the first
 * contact type and outcome), every field is reachable with Tab and a
 * mnemonic, and Ctrl+S saves. The reference lists (categories, agencies)
 * are a few dozen rows read by primary-key order, well under a
 * millisecond, so they are read when the editor is built and it opens
 * ready for input. Saving runs in a worker; the editor closes only after
 * the write has been committed. Unsaved input is kept as a draft when the
 * window is closed any other way than with Cancel.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "tsu-store-visits.h"
#include "tsu-visit-draft.h"
#include "tsu-visit-editor.h"
#include "tsu-visit-validate.h"
#include "tsu-visits-date.h"

enum
{
  FOLLOW_UP_NONE,
  FOLLOW_UP_1_WEEK,
  FOLLOW_UP_2_WEEKS,
  FOLLOW_UP_1_MONTH,
  FOLLOW_UP_3_MONTHS,
  FOLLOW_UP_CUSTOM,
};

struct _TsuVisitEditor
{
  AdwWindow             parent_instance;

  TsuStore             *store;
  char                 *household_id;
  char                 *visit_id;
  char                 *draft_key;
  GCancellable         *cancellable;

  /* Codes parallel to the combo rows' string lists. */
  GPtrArray            *contact_codes;
  GPtrArray            *outcome_codes;
  GPtrArray            *support_codes;   /* [0] is "" (none) */
  GPtrArray            *category_checks; /* GtkCheckButton, code in "code" data */
  GPtrArray            *referral_checks; /* GtkCheckButton, agency id in "code" data */
  GPtrArray            *agencies;        /* JsonObject id, name */
  char                 *referrals;       /* the value while the rows are not built */

  guint                 draft_timeout_id;
  gboolean              loading;
  gboolean              dirty;
  gboolean              saving;
  gboolean              saved;
  gboolean              discard;

  /* template children */
  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkButton            *save_button;
  AdwEntryRow          *date_row;
  GtkLabel             *date_hint;
  AdwEntryRow          *time_row;
  AdwComboRow          *contact_row;
  AdwComboRow          *outcome_row;
  AdwComboRow          *support_row;
  GtkFlowBox           *categories_box;
  GtkTextView          *note_view;
  AdwPreferencesGroup  *referrals_group;
  AdwExpanderRow       *referrals_row;
  AdwComboRow          *follow_up_row;
  AdwEntryRow          *follow_up_date_row;
  GtkLabel             *follow_up_hint;
  GtkSwitch            *sensitive_switch;
};

G_DEFINE_FINAL_TYPE (TsuVisitEditor, tsu_visit_editor, ADW_TYPE_WINDOW)

enum
{
  PROP_0,
  PROP_STORE,
  PROP_HOUSEHOLD_ID,
  PROP_VISIT_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void update_referrals_subtitle (TsuVisitEditor *self);

static void
show_toast (TsuVisitEditor *self,
            const char     *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Fills a combo row from category records of one kind. */
static GPtrArray *
fill_combo (TsuVisitEditor *self,
            AdwComboRow    *row,
            const char     *kind,
            const char     *none_label)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) categories = tsu_store_list_categories (self->store, kind, &error);
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  GPtrArray *codes = g_ptr_array_new_with_free_func (g_free);

  if (categories == NULL)
    {
      g_warning ("Failed to read the %s categories: %s", kind, error->message);
      categories = g_ptr_array_new ();
    }
  if (none_label != NULL)
    {
      gtk_string_list_append (labels, none_label);
      g_ptr_array_add (codes, g_strdup (""));
    }
  for (guint i = 0; i < categories->len; i++)
    {
      JsonObject *category = g_ptr_array_index (categories, i);

      gtk_string_list_append (labels, json_object_get_string_member (category, "label"));
      g_ptr_array_add (codes, g_strdup (json_object_get_string_member (category, "code")));
    }
  adw_combo_row_set_model (row, G_LIST_MODEL (labels));
  return codes;
}

static const char *
combo_code (AdwComboRow *row,
            GPtrArray   *codes)
{
  guint selected = adw_combo_row_get_selected (row);

  if (selected == GTK_INVALID_LIST_POSITION || selected >= codes->len)
    return NULL;
  return g_ptr_array_index (codes, selected);
}

static void
select_code (AdwComboRow *row,
             GPtrArray   *codes,
             const char  *code)
{
  for (guint i = 0; i < codes->len; i++)
    if (g_strcmp0 (g_ptr_array_index (codes, i), code != NULL ? code : "") == 0)
      {
        adw_combo_row_set_selected (row, i);
        return;
      }
}

static GtkWidget *
make_check (GPtrArray  *checks,
            const char *label,
            const char *code)
{
  GtkWidget *check = gtk_check_button_new_with_label (label);

  g_object_set_data_full (G_OBJECT (check), "code", g_strdup (code), g_free);
  g_ptr_array_add (checks, check);
  return check;
}

static char *
checked_codes (GPtrArray *checks)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (checks, i)))
      {
        if (s->len > 0)
          g_string_append_c (s, ',');
        g_string_append (s, g_object_get_data (g_ptr_array_index (checks, i), "code"));
      }
  return g_string_free (s, FALSE);
}

static void
set_checked_codes (GPtrArray  *checks,
                   const char *list)
{
  g_auto(GStrv) codes = g_strsplit (list != NULL ? list : "", ",", -1);

  for (guint i = 0; i < checks->len; i++)
    gtk_check_button_set_active (g_ptr_array_index (checks, i),
                                 g_strv_contains ((const char * const *) codes,
                                                  g_object_get_data (g_ptr_array_index (checks, i), "code")));
}

static char *
get_note (TsuVisitEditor *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->note_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
set_text_member (JsonObject *fields,
                 const char *name,
                 const char *value)
{
  if (value != NULL && *value != '\0')
    json_object_set_string_member (fields, name, value);
  else
    json_object_set_null_member (fields, name);
}

JsonObject *
tsu_visit_editor_get_fields (TsuVisitEditor *self)
{
  JsonObject *fields;
  g_autofree char *visited_at = NULL;
  g_autofree char *categories = NULL;
  g_autofree char *referrals = NULL;
  g_autofree char *note = NULL;
  g_autofree char *date = NULL;
  g_autofree char *time = NULL;
  g_autofree char *follow_up = NULL;

  g_return_val_if_fail (TSU_IS_VISIT_EDITOR (self), NULL);

  date = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->date_row))));
  time = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->time_row))));
  follow_up = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->follow_up_date_row))));
  /* "9:05" is how people type it; the record holds 09:05. */
  {
    int h, m;

    if (sscanf (time, "%d:%d", &h, &m) == 2 && h >= 0 && h < 24 && m >= 0 && m < 60)
      {
        g_free (time);
        time = g_strdup_printf ("%02d:%02d", h, m);
      }
  }
  visited_at = *date != '\0' ? g_strdup_printf ("%sT%s", date, *time != '\0' ? time : "00:00")
                             : g_strdup ("");
  categories = checked_codes (self->category_checks);
  referrals = self->referral_checks->len > 0 ? checked_codes (self->referral_checks)
                                            : g_strdup (self->referrals);
  note = get_note (self);

  fields = json_object_new ();
  json_object_set_string_member (fields, "household_id", self->household_id);
  set_text_member (fields, "visited_at", visited_at);
  set_text_member (fields, "contact_type", combo_code (self->contact_row, self->contact_codes));
  set_text_member (fields, "outcome", combo_code (self->outcome_row, self->outcome_codes));
  set_text_member (fields, "support_area", combo_code (self->support_row, self->support_codes));
  set_text_member (fields, "categories", categories);
  set_text_member (fields, "note", note);
  set_text_member (fields, "referrals", referrals);
  set_text_member (fields, "next_follow_up", follow_up);
  json_object_set_boolean_member (fields, "sensitive", gtk_switch_get_active (self->sensitive_switch));
  {
    const char *actor = tsu_store_get_actor (self->store);

    /* Who logged it, when the store knows (the coordinator's id). */
    if (actor != NULL && g_uuid_string_is_valid (actor) && self->visit_id == NULL)
      json_object_set_string_member (fields, "coordinator_id", actor);
  }
  return fields;
}

static const char *
member_text (JsonObject *object,
             const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static void
update_hints (TsuVisitEditor *self)
{
  GDate date;
  g_autofree char *wareki = NULL;
  g_autofree char *follow_wareki = NULL;

  if (tsu_visits_date_parse (gtk_editable_get_text (GTK_EDITABLE (self->date_row)), &date))
    wareki = tsu_visits_date_format_wareki (&date);
  gtk_label_set_label (self->date_hint, wareki != NULL ? wareki : "");

  if (tsu_visits_date_parse (gtk_editable_get_text (GTK_EDITABLE (self->follow_up_date_row)), &date))
    follow_wareki = tsu_visits_date_format_wareki (&date);
  gtk_label_set_label (self->follow_up_hint, follow_wareki != NULL ? follow_wareki : "");
}

/* The follow-up date for a quick choice, counted from the visit date. */
static char *
follow_up_for_choice (TsuVisitEditor *self,
                      guint           choice)
{
  GDate date;

  if (!tsu_visits_date_parse (gtk_editable_get_text (GTK_EDITABLE (self->date_row)), &date))
    tsu_visits_date_today (&date);

  switch (choice)
    {
    case FOLLOW_UP_1_WEEK:
      g_date_add_days (&date, 7);
      break;
    case FOLLOW_UP_2_WEEKS:
      g_date_add_days (&date, 14);
      break;
    case FOLLOW_UP_1_MONTH:
      /* GDate clamps 31 January + 1 month to the end of February. */
      g_date_add_months (&date, 1);
      break;
    case FOLLOW_UP_3_MONTHS:
      g_date_add_months (&date, 3);
      break;
    default:
      return NULL;
    }
  return tsu_visits_date_to_iso (&date);
}

static void
apply_follow_up_choice (TsuVisitEditor *self)
{
  guint choice = adw_combo_row_get_selected (self->follow_up_row);
  g_autofree char *date = NULL;
  gboolean was_loading = self->loading;

  if (choice == FOLLOW_UP_CUSTOM)
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->follow_up_date_row));
      return;
    }
  date = follow_up_for_choice (self, choice);
  /* Setting the text is not a manual edit: keep the choice. */
  self->loading = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->follow_up_date_row), date != NULL ? date : "");
  self->loading = was_loading;
  update_hints (self);
}

static void
on_follow_up_choice_cb (TsuVisitEditor *self)
{
  if (!self->loading)
    apply_follow_up_choice (self);
}

static void
save_draft_now (TsuVisitEditor *self)
{
  g_autoptr(JsonObject) fields = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_handle_id (&self->draft_timeout_id, g_source_remove);
  if (!self->dirty || self->saved || self->discard)
    return;

  fields = tsu_visit_editor_get_fields (self);
  if (!tsu_visit_draft_save (self->store, self->draft_key, fields, &error))
    g_warning ("Failed to keep the draft: %s", error->message);
}

static gboolean
draft_timeout_cb (gpointer user_data)
{
  TsuVisitEditor *self = user_data;

  self->draft_timeout_id = 0;
  save_draft_now (self);
  return G_SOURCE_REMOVE;
}

static void
on_changed_cb (TsuVisitEditor *self)
{
  if (self->loading)
    return;
  self->dirty = TRUE;
  update_hints (self);
  /* Keep the draft a few seconds behind the typing, so that a crash or a
   * flat battery loses little; each write is one small file. */
  if (self->draft_timeout_id == 0)
    self->draft_timeout_id = g_timeout_add_seconds (2, draft_timeout_cb, self);
}

static void
on_follow_up_date_changed_cb (TsuVisitEditor *self)
{
  if (self->loading)
    return;
  self->loading = TRUE;
  adw_combo_row_set_selected (self->follow_up_row, FOLLOW_UP_CUSTOM);
  self->loading = FALSE;
  on_changed_cb (self);
}

static void
on_date_changed_cb (TsuVisitEditor *self)
{
  guint choice = adw_combo_row_get_selected (self->follow_up_row);

  /* A quick choice follows the visit date it is counted from. */
  if (!self->loading && choice != FOLLOW_UP_NONE && choice != FOLLOW_UP_CUSTOM)
    apply_follow_up_choice (self);
  on_changed_cb (self);
}

static void
load_fields (TsuVisitEditor *self,
             JsonObject     *fields)
{
  const char *visited_at = member_text (fields, "visited_at");
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->note_view);
  const char *note = member_text (fields, "note");
  const char *follow_up = member_text (fields, "next_follow_up");
  JsonNode *sensitive = json_object_get_member (fields, "sensitive");

  self->loading = TRUE;
  if (visited_at != NULL && strlen (visited_at) >= 10)
    {
      g_autofree char *date = g_strndup (visited_at, 10);

      gtk_editable_set_text (GTK_EDITABLE (self->date_row), date);
      gtk_editable_set_text (GTK_EDITABLE (self->time_row), strlen (visited_at) >= 16 ? visited_at + 11 : "");
    }
  select_code (self->contact_row, self->contact_codes, member_text (fields, "contact_type"));
  select_code (self->outcome_row, self->outcome_codes, member_text (fields, "outcome"));
  select_code (self->support_row, self->support_codes, member_text (fields, "support_area"));
  set_checked_codes (self->category_checks, member_text (fields, "categories"));
  g_free (self->referrals);
  self->referrals = g_strdup (member_text (fields, "referrals"));
  set_checked_codes (self->referral_checks, self->referrals);
  update_referrals_subtitle (self);
  gtk_text_buffer_set_text (buffer, note != NULL ? note : "", -1);
  gtk_editable_set_text (GTK_EDITABLE (self->follow_up_date_row), follow_up != NULL ? follow_up : "");
  adw_combo_row_set_selected (self->follow_up_row, follow_up != NULL ? FOLLOW_UP_CUSTOM : FOLLOW_UP_NONE);
  gtk_switch_set_active (self->sensitive_switch,
                         sensitive != NULL && JSON_NODE_HOLDS_VALUE (sensitive) &&
                         json_node_get_int (sensitive) != 0);
  self->loading = FALSE;
  update_hints (self);
}

static void
set_defaults (TsuVisitEditor *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *time = g_date_time_format (now, "%H:%M");

  self->loading = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->date_row), date);
  gtk_editable_set_text (GTK_EDITABLE (self->time_row), time);
  adw_combo_row_set_selected (self->follow_up_row, FOLLOW_UP_NONE);
  self->loading = FALSE;
  update_hints (self);
}

static void
on_discard_draft_cb (AdwToast       *toast,
                     TsuVisitEditor *self)
{
  g_autoptr(JsonObject) empty = json_object_new ();

  tsu_visit_draft_clear (self->store, self->draft_key);
  load_fields (self, empty);
  set_defaults (self);
  self->dirty = FALSE;
}

/* The referral list shows the chosen agencies' names while folded. */
static void
update_referrals_subtitle (TsuVisitEditor *self)
{
  g_autofree char *codes = self->referral_checks->len > 0 ? checked_codes (self->referral_checks)
                                                          : g_strdup (self->referrals);
  g_auto(GStrv) ids = g_strsplit (codes != NULL ? codes : "", ",", -1);
  GString *names = g_string_new (NULL);

  for (guint i = 0; self->agencies != NULL && i < self->agencies->len; i++)
    {
      JsonObject *agency = g_ptr_array_index (self->agencies, i);

      if (g_strv_contains ((const char * const *) ids, json_object_get_string_member (agency, "id")))
        {
          if (names->len > 0)
            g_string_append (names, C_("list separator", ", "));
          g_string_append (names, json_object_get_string_member (agency, "name"));
        }
    }
  adw_expander_row_set_subtitle (self->referrals_row,
                                 names->len > 0 ? names->str
                                                : _("Agencies the household was referred to or that were contacted"));
  g_string_free (names, TRUE);
}

static void
on_referral_toggled_cb (TsuVisitEditor *self)
{
  update_referrals_subtitle (self);
  on_changed_cb (self);
}

/* A 社協 lists a dozen or two agencies and most visits refer to none, so
 * their rows are made when the list is first unfolded: that keeps the
 * editor quick to open. */
static void
ensure_referral_rows (TsuVisitEditor *self)
{
  gboolean was_loading = self->loading;

  if (self->referral_checks->len > 0 || self->agencies == NULL)
    return;

  self->loading = TRUE;
  for (guint i = 0; i < self->agencies->len; i++)
    {
      JsonObject *agency = g_ptr_array_index (self->agencies, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = make_check (self->referral_checks, NULL,
                                     json_object_get_string_member (agency, "id"));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     json_object_get_string_member (agency, "name"));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      g_signal_connect_swapped (check, "toggled", G_CALLBACK (on_referral_toggled_cb), self);
      adw_expander_row_add_row (self->referrals_row, row);
    }
  set_checked_codes (self->referral_checks, self->referrals);
  self->loading = was_loading;
}

static void
build (TsuVisitEditor *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) contents = NULL;
  g_autoptr(JsonObject) draft = NULL;
  g_autoptr(GtkStringList) choices = NULL;
  g_autoptr(JsonObject) household = NULL;

  self->contact_codes = fill_combo (self, self->contact_row, "contact_type", NULL);
  self->outcome_codes = fill_combo (self, self->outcome_row, "outcome", NULL);
  self->support_codes = fill_combo (self, self->support_row, "support_area", C_("support area", "Not set"));

  contents = tsu_store_list_categories (self->store, "content", &error);
  if (contents == NULL)
    {
      g_warning ("Failed to read the content categories: %s", error->message);
      g_clear_error (&error);
    }
  for (guint i = 0; contents != NULL && i < contents->len; i++)
    {
      JsonObject *category = g_ptr_array_index (contents, i);
      GtkWidget *check = make_check (self->category_checks,
                                     json_object_get_string_member (category, "label"),
                                     json_object_get_string_member (category, "code"));

      g_signal_connect_swapped (check, "toggled", G_CALLBACK (on_changed_cb), self);
      gtk_flow_box_append (self->categories_box, check);
    }

  self->agencies = tsu_store_list_agencies (self->store, &error);
  if (self->agencies == NULL)
    {
      g_warning ("Failed to read the agencies: %s", error->message);
      g_clear_error (&error);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->referrals_group),
                          self->agencies != NULL && self->agencies->len > 0);
  g_signal_connect_swapped (self->referrals_row, "notify::expanded",
                            G_CALLBACK (ensure_referral_rows), self);

  choices = gtk_string_list_new (NULL);
  gtk_string_list_append (choices, C_("follow-up", "None"));
  gtk_string_list_append (choices, C_("follow-up", "In 1 week"));
  gtk_string_list_append (choices, C_("follow-up", "In 2 weeks"));
  gtk_string_list_append (choices, C_("follow-up", "In 1 month"));
  gtk_string_list_append (choices, C_("follow-up", "In 3 months"));
  gtk_string_list_append (choices, C_("follow-up", "Custom date"));
  adw_combo_row_set_model (self->follow_up_row, G_LIST_MODEL (choices));

  household = tsu_store_get_record (self->store, "household", self->household_id, NULL);
  if (household != NULL)
    adw_window_title_set_subtitle (self->window_title, member_text (household, "address"));

  set_defaults (self);

  if (self->visit_id != NULL)
    {
      g_autoptr(JsonObject) visit = tsu_store_get_record (self->store, "visit", self->visit_id, &error);

      gtk_window_set_title (GTK_WINDOW (self), _("Edit Visit"));
      adw_window_title_set_title (self->window_title, _("Edit Visit"));
      if (visit != NULL)
        load_fields (self, visit);
      else
        show_toast (self, error->message);
    }

  draft = tsu_visit_draft_load (self->store, self->draft_key);
  if (draft != NULL)
    {
      AdwToast *toast = adw_toast_new (_("Your unsaved input from last time was restored"));

      load_fields (self, draft);
      self->dirty = TRUE;
      adw_toast_set_button_label (toast, _("_Discard"));
      adw_toast_set_timeout (toast, 10);
      g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_discard_draft_cb), self, 0);
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
    }

  g_signal_connect_swapped (self->date_row, "changed", G_CALLBACK (on_date_changed_cb), self);
  g_signal_connect_swapped (self->time_row, "changed", G_CALLBACK (on_changed_cb), self);
  g_signal_connect_swapped (self->contact_row, "notify::selected", G_CALLBACK (on_changed_cb), self);
  g_signal_connect_swapped (self->outcome_row, "notify::selected", G_CALLBACK (on_changed_cb), self);
  g_signal_connect_swapped (self->support_row, "notify::selected", G_CALLBACK (on_changed_cb), self);
  g_signal_connect_swapped (gtk_text_view_get_buffer (self->note_view), "changed",
                            G_CALLBACK (on_changed_cb), self);
  g_signal_connect_swapped (self->follow_up_row, "notify::selected", G_CALLBACK (on_follow_up_choice_cb), self);
  g_signal_connect_swapped (self->follow_up_date_row, "changed", G_CALLBACK (on_follow_up_date_changed_cb), self);
  g_signal_connect_swapped (self->sensitive_switch, "notify::active", G_CALLBACK (on_changed_cb), self);

  gtk_widget_grab_focus (GTK_WIDGET (self->contact_row));
}

static GtkWidget *
widget_for_error (TsuVisitEditor *self,
                  GError         *error)
{
  if (error->domain != TSU_VISIT_ERROR)
    return NULL;
  switch ((TsuVisitError) error->code)
    {
    case TSU_VISIT_ERROR_BAD_DATE:
    case TSU_VISIT_ERROR_FUTURE_DATE:
      return GTK_WIDGET (self->date_row);
    case TSU_VISIT_ERROR_NO_CONTACT_TYPE:
      return GTK_WIDGET (self->contact_row);
    case TSU_VISIT_ERROR_NO_OUTCOME:
      return GTK_WIDGET (self->outcome_row);
    case TSU_VISIT_ERROR_BAD_FOLLOW_UP:
    case TSU_VISIT_ERROR_FOLLOW_UP_BEFORE_VISIT:
      return GTK_WIDGET (self->follow_up_date_row);
    case TSU_VISIT_ERROR_NO_HOUSEHOLD:
    default:
      return NULL;
    }
}

static void
clear_error_marks (TsuVisitEditor *self)
{
  GtkWidget *rows[] = {
    GTK_WIDGET (self->date_row), GTK_WIDGET (self->contact_row),
    GTK_WIDGET (self->outcome_row), GTK_WIDGET (self->follow_up_date_row),
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    gtk_widget_remove_css_class (rows[i], "error");
}

static void
report_error (TsuVisitEditor *self,
              GError         *error)
{
  GtkWidget *widget = widget_for_error (self, error);

  clear_error_marks (self);
  if (widget != NULL)
    {
      gtk_widget_add_css_class (widget, "error");
      gtk_widget_grab_focus (widget);
    }
  show_toast (self, error->message);
}

static void
on_saved_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(TsuVisitEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = tsu_store_save_visit_finish (TSU_STORE (source), result, &error);

  self->saving = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), TRUE);

  if (id == NULL)
    {
      report_error (self, error);
      return;
    }

  self->saved = TRUE;
  g_clear_handle_id (&self->draft_timeout_id, g_source_remove);
  tsu_visit_draft_clear (self->store, self->draft_key);
  g_signal_emit (self, signals[SIGNAL_SAVED], 0, id);
  gtk_window_destroy (GTK_WINDOW (self));
}

void
tsu_visit_editor_save (TsuVisitEditor *self)
{
  g_autoptr(JsonObject) fields = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GError) error = NULL;

  g_return_if_fail (TSU_IS_VISIT_EDITOR (self));

  if (self->saving)
    return;

  fields = tsu_visit_editor_get_fields (self);
  /* Checked here first so that the message points at the field at once;
   * the store checks again inside its transaction. */
  if (!tsu_visit_validate (fields, now, &error))
    {
      report_error (self, error);
      return;
    }

  clear_error_marks (self);
  self->saving = TRUE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), FALSE);
  tsu_store_save_visit_async (self->store, self->visit_id, fields, NULL,
                              on_saved_cb, g_object_ref (self));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  tsu_visit_editor_save (TSU_VISIT_EDITOR (widget));
}

static void
discard_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TsuVisitEditor *self = TSU_VISIT_EDITOR (widget);

  self->discard = TRUE;
  g_clear_handle_id (&self->draft_timeout_id, g_source_remove);
  tsu_visit_draft_clear (self->store, self->draft_key);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
tsu_visit_editor_map (GtkWidget *widget)
{
  TsuVisitEditor *self = TSU_VISIT_EDITOR (widget);

  /* An editor built ahead of time opens with the time it is opened at,
   * unless something was typed or restored into it. */
  if (!self->dirty && self->visit_id == NULL)
    set_defaults (self);
  GTK_WIDGET_CLASS (tsu_visit_editor_parent_class)->map (widget);
}

static gboolean
tsu_visit_editor_close_request (GtkWindow *window)
{
  TsuVisitEditor *self = TSU_VISIT_EDITOR (window);

  /* Closed with Escape, the window manager or the app quitting: keep what
   * was typed for next time. */
  save_draft_now (self);
  return GTK_WINDOW_CLASS (tsu_visit_editor_parent_class)->close_request (window);
}

static void
tsu_visit_editor_constructed (GObject *object)
{
  TsuVisitEditor *self = TSU_VISIT_EDITOR (object);

  G_OBJECT_CLASS (tsu_visit_editor_parent_class)->constructed (object);

  g_assert (self->store != NULL && self->household_id != NULL);
  self->draft_key = tsu_visit_draft_key (self->household_id, self->visit_id);
  build (self);
}

static void
tsu_visit_editor_dispose (GObject *object)
{
  TsuVisitEditor *self = TSU_VISIT_EDITOR (object);

  save_draft_now (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_pointer (&self->contact_codes, g_ptr_array_unref);
  g_clear_pointer (&self->outcome_codes, g_ptr_array_unref);
  g_clear_pointer (&self->support_codes, g_ptr_array_unref);
  g_clear_pointer (&self->category_checks, g_ptr_array_unref);
  g_clear_pointer (&self->referral_checks, g_ptr_array_unref);
  g_clear_pointer (&self->agencies, g_ptr_array_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), TSU_TYPE_VISIT_EDITOR);

  G_OBJECT_CLASS (tsu_visit_editor_parent_class)->dispose (object);
}

static void
tsu_visit_editor_finalize (GObject *object)
{
  TsuVisitEditor *self = TSU_VISIT_EDITOR (object);

  g_free (self->household_id);
  g_free (self->visit_id);
  g_free (self->draft_key);
  g_free (self->referrals);

  G_OBJECT_CLASS (tsu_visit_editor_parent_class)->finalize (object);
}

static void
tsu_visit_editor_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TsuVisitEditor *self = TSU_VISIT_EDITOR (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_HOUSEHOLD_ID:
      g_value_set_string (value, self->household_id);
      break;
    case PROP_VISIT_ID:
      g_value_set_string (value, self->visit_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_visit_editor_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  TsuVisitEditor *self = TSU_VISIT_EDITOR (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_HOUSEHOLD_ID:
      self->household_id = g_value_dup_string (value);
      break;
    case PROP_VISIT_ID:
      self->visit_id = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_visit_editor_class_init (TsuVisitEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = tsu_visit_editor_constructed;
  object_class->dispose = tsu_visit_editor_dispose;
  object_class->finalize = tsu_visit_editor_finalize;
  object_class->get_property = tsu_visit_editor_get_property;
  object_class->set_property = tsu_visit_editor_set_property;
  window_class->close_request = tsu_visit_editor_close_request;
  widget_class->map = tsu_visit_editor_map;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, TSU_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HOUSEHOLD_ID] =
    g_param_spec_string ("household-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VISIT_ID] =
    g_param_spec_string ("visit-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TsuVisitEditor::saved:
   * @visit_id: the id of the visit, now committed to the database
   */
  signals[SIGNAL_SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/tsu-visit-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, TsuVisitEditor, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TsuVisitEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, TsuVisitEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, TsuVisitEditor, date_row);
  gtk_widget_class_bind_template_child (widget_class, TsuVisitEditor, date_hint);
  gtk_widget_class_bind_template_child (widget_class, TsuVisitEditor, time_row);
  gtk_widget_class_bind_template_child (widget_class, TsuVisitEditor, contact_row);
  gtk_widget_class_bind_template_child (widget_class, TsuVisitEditor, outcome_row);
  gtk_widget_class_bind_template_child (widget_class, TsuVisitEditor, support_row);
  gtk_widget_class_bind_template_child (widget_class, TsuVisitEditor, categories_box);
  gtk_widget_class_bind_template_child (widget_class, TsuVisitEditor, note_view);
  gtk_widget_class_bind_template_child (widget_class, TsuVisitEditor, referrals_group);
  gtk_widget_class_bind_template_child (widget_class, TsuVisitEditor, referrals_row);
  gtk_widget_class_bind_template_child (widget_class, TsuVisitEditor, follow_up_row);
  gtk_widget_class_bind_template_child (widget_class, TsuVisitEditor, follow_up_date_row);
  gtk_widget_class_bind_template_child (widget_class, TsuVisitEditor, follow_up_hint);
  gtk_widget_class_bind_template_child (widget_class, TsuVisitEditor, sensitive_switch);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.discard", NULL, discard_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tsu_visit_editor_init (TsuVisitEditor *self)
{
  self->cancellable = g_cancellable_new ();
  self->category_checks = g_ptr_array_new ();
  self->referral_checks = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

TsuVisitEditor *
tsu_visit_editor_new (TsuStore   *store,
                      const char *household_id,
                      const char *visit_id)
{
  g_return_val_if_fail (TSU_IS_STORE (store), NULL);
  g_return_val_if_fail (household_id != NULL, NULL);

  return g_object_new (TSU_TYPE_VISIT_EDITOR,
                       "store", store,
                       "household-id", household_id,
                       "visit-id", visit_id,
                       NULL);
}

const char *
tsu_visit_editor_get_household_id (TsuVisitEditor *self)
{
  g_return_val_if_fail (TSU_IS_VISIT_EDITOR (self), NULL);
  return self->household_id;
}

const char *
tsu_visit_editor_get_visit_id (TsuVisitEditor *self)
{
  g_return_val_if_fail (TSU_IS_VISIT_EDITOR (self), NULL);
  return self->visit_id;
}

TsuVisitEditor *
tsu_visit_editor_open (GtkWidget  *parent,
                       TsuStore   *store,
                       const char *household_id,
                       const char *visit_id)
{
  TsuVisitEditor *editor = tsu_visit_editor_new (store, household_id, visit_id);
  GtkRoot *root = parent != NULL ? gtk_widget_get_root (parent) : NULL;

  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (editor), GTK_WINDOW (root));
  gtk_window_present (GTK_WINDOW (editor));
  return editor;
}
