/* tsu-worklist-page.c: the coordinator's daily work list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Four sections in the order a coordinator works through them. The list
 * is read in a worker; a section shows at most MAX_ROWS rows because a
 * city-wide "no follow-up set" list can run to thousands and nobody
 * scrolls that far: filter by district to see the rest.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tsu-store-visits.h"
#include "tsu-store-worklist.h"
#include "tsu-visit-editor.h"
#include "tsu-visits-date.h"
#include "tsu-work-item.h"
#include "tsu-worklist-page.h"

#define MAX_ROWS 100

struct _TsuWorklistPage
{
  AdwBin               parent_instance;

  TsuStore            *store;
  GCancellable        *cancellable;
  GCancellable        *names_cancellable;  /* the drop-downs' lists */
  GDate                today;          /* invalid: the real today */
  char                *district_id;
  char                *coordinator_id;
  GPtrArray           *district_ids;   /* parallel to the drop-down, [0] NULL */
  GPtrArray           *coordinator_ids;
  gboolean             filling;
  gboolean             stale;          /* a reload waits for the page to be shown */
  char                *shown_filter;   /* what the sections show (see filter_key) */
  char                *asked_filter;   /* what the load under way is for */

  GListStore          *sections[TSU_WORK_N_SECTIONS];
  AdwPreferencesGroup *groups[TSU_WORK_N_SECTIONS];
  guint                totals[TSU_WORK_N_SECTIONS];

  AdwToastOverlay     *toast_overlay;
  GtkLabel            *date_label;
  GtkDropDown         *district_dropdown;
  GtkDropDown         *coordinator_dropdown;
  GtkBox              *sections_box;
  GtkStack            *content_stack;
};

G_DEFINE_FINAL_TYPE (TsuWorklistPage, tsu_worklist_page, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_STORE,
  PROP_TODAY,
  PROP_DISTRICT_ID,
  PROP_COORDINATOR_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_OPEN_HOUSEHOLD,
  SIGNAL_NEW_VISIT,
  SIGNAL_LOADED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
get_today (TsuWorklistPage *self,
           GDate           *today)
{
  if (g_date_valid (&self->today))
    *today = self->today;
  else
    tsu_visits_date_today (today);
}

static char *
format_date (const char *iso)
{
  GDate date;

  if (!tsu_visits_date_parse (iso, &date))
    return g_strdup (iso != NULL ? iso : "");
  return tsu_visits_date_format_both (&date);
}

static char *
describe_item (TsuWorkItem *item)
{
  int days = tsu_work_item_get_days (item);
  g_autofree char *due = format_date (tsu_work_item_get_due_date (item));
  g_autofree char *last = NULL;

  switch (tsu_work_item_get_section (item))
    {
    case TSU_WORK_SECTION_TODAY:
      return g_strdup (_("Follow-up due today"));
    case TSU_WORK_SECTION_OVERDUE:
      return g_strdup_printf (g_dngettext (NULL, "Follow-up was due %s, %d day ago",
                                           "Follow-up was due %s, %d days ago", days),
                              due, days);
    case TSU_WORK_SECTION_THIS_WEEK:
      return g_strdup_printf (g_dngettext (NULL, "Follow-up due %s, in %d day",
                                           "Follow-up due %s, in %d days", days),
                              due, days);
    case TSU_WORK_SECTION_UNSCHEDULED:
      if (tsu_work_item_get_last_visit (item) == NULL)
        return g_strdup (_("Never visited"));
      last = format_date (tsu_work_item_get_last_visit (item));
      return g_strdup_printf (g_dngettext (NULL, "Last visit %s, %d day past the visit interval",
                                           "Last visit %s, %d days past the visit interval", days),
                              last, days);
    case TSU_WORK_SECTION_NONE:
    default:
      return g_strdup ("");
    }
}

static void
on_new_visit_clicked_cb (GtkButton       *button,
                         TsuWorklistPage *self)
{
  const char *household_id = g_object_get_data (G_OBJECT (button), "household-id");
  gboolean handled = FALSE;

  g_signal_emit (self, signals[SIGNAL_NEW_VISIT], 0, household_id, &handled);
  if (!handled && self->store != NULL)
    {
      TsuVisitEditor *editor = tsu_visit_editor_open (GTK_WIDGET (self), self->store, household_id, NULL);

      /* A saved visit changes the list: it answers follow-ups. */
      g_signal_connect_object (editor, "saved", G_CALLBACK (tsu_worklist_page_reload),
                               self, G_CONNECT_SWAPPED);
    }
}

static void
on_row_activated_cb (AdwActionRow    *row,
                     TsuWorklistPage *self)
{
  g_signal_emit (self, signals[SIGNAL_OPEN_HOUSEHOLD], 0,
                 g_object_get_data (G_OBJECT (row), "household-id"));
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  TsuWorklistPage *self = user_data;
  TsuWorkItem *work = item;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (_("New _Visit"));
  GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");
  const char *name = tsu_work_item_get_head_name (work);
  g_autofree char *detail = describe_item (work);
  g_autofree char *subtitle = NULL;
  const char *district = tsu_work_item_get_district_name (work);

  subtitle = g_strdup_printf ("%s%s%s\n%s",
                              name != NULL ? tsu_work_item_get_address (work) : "",
                              name != NULL && district != NULL ? " · " : "",
                              district != NULL ? district : "",
                              detail);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 name != NULL ? name : tsu_work_item_get_address (work));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "household-id",
                          g_strdup (tsu_work_item_get_household_id (work)), g_free);
  g_signal_connect (row, "activated", G_CALLBACK (on_row_activated_cb), self);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Log a visit to this household"));
  g_object_set_data_full (G_OBJECT (button), "household-id",
                          g_strdup (tsu_work_item_get_household_id (work)), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (on_new_visit_clicked_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);

  if (tsu_work_item_get_section (work) == TSU_WORK_SECTION_OVERDUE)
    {
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

      gtk_widget_add_css_class (icon, "warning");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
    }
  return row;
}

static void
update_titles (TsuWorklistPage *self)
{
  GDate today;
  g_autofree char *date = NULL;
  g_autofree char *heading = NULL;

  get_today (self, &today);
  date = tsu_visits_date_format_both (&today);
  heading = g_strdup_printf (_("Work list for %s"), date);
  gtk_label_set_label (self->date_label, heading);

  for (guint s = 0; s < TSU_WORK_N_SECTIONS; s++)
    {
      guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->sections[s]));
      g_autofree char *title = g_strdup_printf ("%s (%u)", tsu_work_section_label (s), self->totals[s]);
      g_autofree char *description = NULL;

      adw_preferences_group_set_title (self->groups[s], title);
      if (shown < self->totals[s])
        description = g_strdup_printf (_("Showing the %u most urgent; choose a district to see the rest"), shown);
      adw_preferences_group_set_description (self->groups[s], description);
    }
}

/* Which list the page shows: the same day, district and coordinator
 * give the same key. */
static char *
filter_key (TsuWorklistPage *self,
            const GDate     *today)
{
  return g_strdup_printf ("%u|%s|%s", g_date_get_julian (today),
                          self->district_id != NULL ? self->district_id : "",
                          self->coordinator_id != NULL ? self->coordinator_id : "");
}

static void
on_loaded_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  TsuWorklistPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = tsu_store_list_worklist_finish (TSU_STORE (source), result, &error);
  GPtrArray *per_section[TSU_WORK_N_SECTIONS] = { NULL };

  if (items == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
          gtk_stack_set_visible_child_name (self->content_stack, "list");
        }
      return;
    }

  for (guint s = 0; s < TSU_WORK_N_SECTIONS; s++)
    {
      per_section[s] = g_ptr_array_new ();
      self->totals[s] = 0;
    }
  for (guint i = 0; i < items->len; i++)
    {
      TsuWorkItem *item = g_ptr_array_index (items, i);
      guint s = tsu_work_item_get_section (item);

      if (s >= TSU_WORK_N_SECTIONS)
        continue;
      self->totals[s]++;
      if (per_section[s]->len < MAX_ROWS)
        g_ptr_array_add (per_section[s], item);
    }
  for (guint s = 0; s < TSU_WORK_N_SECTIONS; s++)
    g_list_store_splice (self->sections[s], 0,
                         g_list_model_get_n_items (G_LIST_MODEL (self->sections[s])),
                         per_section[s]->pdata, per_section[s]->len);
  for (guint s = 0; s < TSU_WORK_N_SECTIONS; s++)
    g_ptr_array_unref (per_section[s]);
  update_titles (self);
  g_free (self->shown_filter);
  self->shown_filter = g_steal_pointer (&self->asked_filter);
  gtk_stack_set_visible_child_name (self->content_stack, "list");
  g_signal_emit (self, signals[SIGNAL_LOADED], 0);
}

void
tsu_worklist_page_reload (TsuWorklistPage *self)
{
  GDate today;

  g_return_if_fail (TSU_IS_WORKLIST_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->store == NULL)
    return;

  /* A city-wide list costs a second of work: read it only when the page
   * is on screen (the window makes it at start-up, hidden). */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->stale = TRUE;
      return;
    }
  self->stale = FALSE;

  self->cancellable = g_cancellable_new ();
  get_today (self, &today);
  /* Another day, district or coordinator: what is on screen is not an
   * answer to it. The same one again (after a save): keep it showing. */
  g_free (self->asked_filter);
  self->asked_filter = filter_key (self, &today);
  if (g_strcmp0 (self->asked_filter, self->shown_filter) != 0)
    gtk_stack_set_visible_child_name (self->content_stack, "loading");
  update_titles (self);
  tsu_store_list_worklist_async (self->store, &today, self->district_id, self->coordinator_id,
                                 self->cancellable, on_loaded_cb, self);
}

static GPtrArray *
fill_dropdown (TsuWorklistPage *self,
               GtkDropDown     *dropdown,
               GPtrArray       *rows,
               const char      *all_label)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  gtk_string_list_append (labels, all_label);
  g_ptr_array_add (ids, NULL);
  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      JsonObject *row = g_ptr_array_index (rows, i);

      gtk_string_list_append (labels, json_object_get_string_member (row, "name"));
      g_ptr_array_add (ids, g_strdup (json_object_get_string_member (row, "id")));
    }
  self->filling = TRUE;
  gtk_drop_down_set_model (dropdown, G_LIST_MODEL (labels));
  gtk_drop_down_set_selected (dropdown, 0);
  self->filling = FALSE;
  return ids;
}

static void
select_id (TsuWorklistPage *self,
           GtkDropDown     *dropdown,
           GPtrArray       *ids,
           const char      *id)
{
  self->filling = TRUE;
  for (guint i = 0; ids != NULL && i < ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (ids, i), id) == 0)
      gtk_drop_down_set_selected (dropdown, i);
  self->filling = FALSE;
}

static void
on_filter_changed_cb (TsuWorklistPage *self)
{
  guint district = gtk_drop_down_get_selected (self->district_dropdown);
  guint coordinator = gtk_drop_down_get_selected (self->coordinator_dropdown);

  if (self->filling)
    return;
  /* Either list may still be on its way (read in a worker). */
  if (self->district_ids != NULL)
    tsu_worklist_page_set_district_id (self, district < self->district_ids->len ?
                                       g_ptr_array_index (self->district_ids, district) : NULL);
  if (self->coordinator_ids != NULL)
    tsu_worklist_page_set_coordinator_id (self, coordinator < self->coordinator_ids->len ?
                                          g_ptr_array_index (self->coordinator_ids, coordinator) : NULL);
}

static void
on_districts_read_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = tsu_store_list_names_finish (TSU_STORE (source), result, &error);
  TsuWorklistPage *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = TSU_WORKLIST_PAGE (user_data);
  g_clear_pointer (&self->district_ids, g_ptr_array_unref);
  self->district_ids = fill_dropdown (self, self->district_dropdown, rows, _("All districts"));
  select_id (self, self->district_dropdown, self->district_ids, self->district_id);
}

static void
on_coordinators_read_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = tsu_store_list_names_finish (TSU_STORE (source), result, &error);
  TsuWorklistPage *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = TSU_WORKLIST_PAGE (user_data);
  g_clear_pointer (&self->coordinator_ids, g_ptr_array_unref);
  self->coordinator_ids = fill_dropdown (self, self->coordinator_dropdown, rows, _("All coordinators"));
  select_id (self, self->coordinator_dropdown, self->coordinator_ids, self->coordinator_id);
}

static void
set_store (TsuWorklistPage *self,
           TsuStore        *store)
{
  if (!g_set_object (&self->store, store))
    return;

  g_cancellable_cancel (self->names_cancellable);
  g_clear_object (&self->names_cancellable);
  if (store != NULL)
    {
      /* Read in a worker: on the main thread, even these short lists
       * would wait for the store while a long read holds it. */
      self->names_cancellable = g_cancellable_new ();
      tsu_store_list_names_async (store, "district", self->names_cancellable,
                                  on_districts_read_cb, self);
      tsu_store_list_names_async (store, "coordinator", self->names_cancellable,
                                  on_coordinators_read_cb, self);
    }
  tsu_worklist_page_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

void
tsu_worklist_page_set_today (TsuWorklistPage *self,
                             const GDate     *today)
{
  g_return_if_fail (TSU_IS_WORKLIST_PAGE (self));

  if (today != NULL && g_date_valid (today))
    self->today = *today;
  else
    g_date_clear (&self->today, 1);
  tsu_worklist_page_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TODAY]);
}

void
tsu_worklist_page_set_district_id (TsuWorklistPage *self,
                                   const char      *district_id)
{
  g_return_if_fail (TSU_IS_WORKLIST_PAGE (self));

  if (g_strcmp0 (self->district_id, district_id) == 0)
    return;
  g_free (self->district_id);
  self->district_id = g_strdup (district_id);
  select_id (self, self->district_dropdown, self->district_ids, district_id);
  tsu_worklist_page_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISTRICT_ID]);
}

void
tsu_worklist_page_set_coordinator_id (TsuWorklistPage *self,
                                      const char      *coordinator_id)
{
  g_return_if_fail (TSU_IS_WORKLIST_PAGE (self));

  if (g_strcmp0 (self->coordinator_id, coordinator_id) == 0)
    return;
  g_free (self->coordinator_id);
  self->coordinator_id = g_strdup (coordinator_id);
  select_id (self, self->coordinator_dropdown, self->coordinator_ids, coordinator_id);
  tsu_worklist_page_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COORDINATOR_ID]);
}

gboolean
tsu_worklist_page_get_loading (TsuWorklistPage *self)
{
  g_return_val_if_fail (TSU_IS_WORKLIST_PAGE (self), FALSE);
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "loading") == 0;
}

guint
tsu_worklist_page_get_n_items (TsuWorklistPage *self,
                               guint            section)
{
  g_return_val_if_fail (TSU_IS_WORKLIST_PAGE (self), 0);
  g_return_val_if_fail (section < TSU_WORK_N_SECTIONS, 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->sections[section]));
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  tsu_worklist_page_reload (TSU_WORKLIST_PAGE (widget));
}

static void
tsu_worklist_page_map (GtkWidget *widget)
{
  TsuWorklistPage *self = TSU_WORKLIST_PAGE (widget);

  GTK_WIDGET_CLASS (tsu_worklist_page_parent_class)->map (widget);
  if (self->stale)
    tsu_worklist_page_reload (self);
}

static void
tsu_worklist_page_dispose (GObject *object)
{
  TsuWorklistPage *self = TSU_WORKLIST_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->names_cancellable);
  g_clear_object (&self->names_cancellable);
  g_clear_object (&self->store);
  for (guint s = 0; s < TSU_WORK_N_SECTIONS; s++)
    g_clear_object (&self->sections[s]);
  g_clear_pointer (&self->district_ids, g_ptr_array_unref);
  g_clear_pointer (&self->coordinator_ids, g_ptr_array_unref);

  /* AdwBin unparents its child (the whole template) itself; disposing
   * the template as well would unparent it twice. */

  G_OBJECT_CLASS (tsu_worklist_page_parent_class)->dispose (object);
}

static void
tsu_worklist_page_finalize (GObject *object)
{
  TsuWorklistPage *self = TSU_WORKLIST_PAGE (object);

  g_free (self->district_id);
  g_free (self->coordinator_id);
  g_free (self->shown_filter);
  g_free (self->asked_filter);

  G_OBJECT_CLASS (tsu_worklist_page_parent_class)->finalize (object);
}

static void
tsu_worklist_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TsuWorklistPage *self = TSU_WORKLIST_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_TODAY:
      g_value_set_boxed (value, g_date_valid (&self->today) ? &self->today : NULL);
      break;
    case PROP_DISTRICT_ID:
      g_value_set_string (value, self->district_id);
      break;
    case PROP_COORDINATOR_ID:
      g_value_set_string (value, self->coordinator_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_worklist_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TsuWorklistPage *self = TSU_WORKLIST_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      set_store (self, g_value_get_object (value));
      break;
    case PROP_TODAY:
      tsu_worklist_page_set_today (self, g_value_get_boxed (value));
      break;
    case PROP_DISTRICT_ID:
      tsu_worklist_page_set_district_id (self, g_value_get_string (value));
      break;
    case PROP_COORDINATOR_ID:
      tsu_worklist_page_set_coordinator_id (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_worklist_page_class_init (TsuWorklistPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsu_worklist_page_dispose;
  object_class->finalize = tsu_worklist_page_finalize;
  object_class->get_property = tsu_worklist_page_get_property;
  object_class->set_property = tsu_worklist_page_set_property;
  widget_class->map = tsu_worklist_page_map;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, TSU_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TODAY] =
    g_param_spec_boxed ("today", NULL, NULL, G_TYPE_DATE,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISTRICT_ID] =
    g_param_spec_string ("district-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COORDINATOR_ID] =
    g_param_spec_string ("coordinator-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_OPEN_HOUSEHOLD] =
    g_signal_new ("open-household", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_NEW_VISIT] =
    g_signal_new ("new-visit", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  g_signal_accumulator_true_handled, NULL, NULL,
                  G_TYPE_BOOLEAN, 1, G_TYPE_STRING);
  signals[SIGNAL_LOADED] =
    g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/tsu-worklist-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TsuWorklistPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TsuWorklistPage, date_label);
  gtk_widget_class_bind_template_child (widget_class, TsuWorklistPage, district_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsuWorklistPage, coordinator_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsuWorklistPage, sections_box);
  gtk_widget_class_bind_template_child (widget_class, TsuWorklistPage, content_stack);

  gtk_widget_class_install_action (widget_class, "worklist.reload", NULL, reload_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "worklist.reload", NULL);
}

static void
tsu_worklist_page_init (TsuWorklistPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_date_clear (&self->today, 1);

  for (guint s = 0; s < TSU_WORK_N_SECTIONS; s++)
    {
      GtkWidget *list = gtk_list_box_new ();
      GtkWidget *empty = gtk_label_new (_("Nothing here"));

      self->sections[s] = g_list_store_new (TSU_TYPE_WORK_ITEM);
      self->groups[s] = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
      gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
      gtk_widget_add_css_class (list, "boxed-list");
      gtk_widget_add_css_class (empty, "dim-label");
      gtk_widget_set_margin_top (empty, 12);
      gtk_widget_set_margin_bottom (empty, 12);
      gtk_list_box_set_placeholder (GTK_LIST_BOX (list), empty);
      gtk_list_box_bind_model (GTK_LIST_BOX (list), G_LIST_MODEL (self->sections[s]),
                               create_row, self, NULL);
      adw_preferences_group_add (self->groups[s], list);
      gtk_box_append (self->sections_box, GTK_WIDGET (self->groups[s]));
    }

  g_signal_connect_swapped (self->district_dropdown, "notify::selected",
                            G_CALLBACK (on_filter_changed_cb), self);
  g_signal_connect_swapped (self->coordinator_dropdown, "notify::selected",
                            G_CALLBACK (on_filter_changed_cb), self);
  update_titles (self);
}

GtkWidget *
tsu_worklist_page_new (TsuStore *store)
{
  return g_object_new (TSU_TYPE_WORKLIST_PAGE, "store", store, NULL);
}
