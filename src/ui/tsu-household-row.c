/* tsu-household-row.c: one household in the list and in search results
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "tsu-household-row.h"

struct _TsuHouseholdRow
{
  GtkWidget     parent_instance;

  TsuHousehold *household;

  GtkLabel     *name_label;
  GtkLabel     *kana_label;
  GtkLabel     *address_label;
  GtkLabel     *detail_label;
  GtkLabel     *status_label;
};

G_DEFINE_FINAL_TYPE (TsuHouseholdRow, tsu_household_row, GTK_TYPE_WIDGET)

GtkWidget *
tsu_household_row_new (void)
{
  return g_object_new (TSU_TYPE_HOUSEHOLD_ROW, NULL);
}

TsuHousehold *
tsu_household_row_get_household (TsuHouseholdRow *self)
{
  g_return_val_if_fail (TSU_IS_HOUSEHOLD_ROW (self), NULL);
  return self->household;
}

static char *
format_date (const char *iso)
{
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *text = NULL;

  if (iso == NULL || strlen (iso) < 10)
    return NULL;
  text = g_strndup (iso, 10);
  /* Year, month and day as the locale writes them (2024年4月1日). */
  {
    int y, m, d;

    if (sscanf (text, "%d-%d-%d", &y, &m, &d) != 3)
      return NULL;
    when = g_date_time_new_local (y, m, d, 0, 0, 0);
  }
  if (when == NULL)
    return NULL;
  /* Translators: a short date, see strftime(3); %-m and %-d drop the leading zero */
  return g_date_time_format (when, _("%b %-d, %Y"));
}

void
tsu_household_row_set_household (TsuHouseholdRow *self,
                                 TsuHousehold    *household)
{
  g_autofree char *last = NULL;
  g_autofree char *detail = NULL;
  const char *name;
  const char *status;

  g_return_if_fail (TSU_IS_HOUSEHOLD_ROW (self));

  if (!g_set_object (&self->household, household) || household == NULL)
    return;

  name = tsu_household_get_head_name (household);
  gtk_label_set_label (self->name_label, name != NULL ? name : _("(no members recorded)"));
  gtk_label_set_label (self->kana_label, tsu_household_get_head_kana (household) ?: "");
  gtk_label_set_label (self->address_label, tsu_household_get_address (household) ?: "");

  last = format_date (tsu_household_get_last_visit (household));
  if (tsu_household_get_match (household) != NULL)
    /* Translators: a search found this household through another member or the phone */
    detail = g_strdup_printf (_("Found: %s"), tsu_household_get_match (household));
  else if (last != NULL)
    detail = g_strdup_printf (_("Last visit %s"), last);
  else
    detail = g_strdup (_("Not visited yet"));
  gtk_label_set_label (self->detail_label, detail);

  status = tsu_household_get_status (household);
  if (g_strcmp0 (status, "moved") == 0)
    gtk_label_set_label (self->status_label, _("Moved"));
  else if (g_strcmp0 (status, "deceased") == 0)
    gtk_label_set_label (self->status_label, _("Deceased"));
  else
    gtk_label_set_label (self->status_label, "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label),
                          *gtk_label_get_label (self->status_label) != '\0');
}

static void
tsu_household_row_dispose (GObject *object)
{
  TsuHouseholdRow *self = TSU_HOUSEHOLD_ROW (object);

  g_clear_object (&self->household);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), TSU_TYPE_HOUSEHOLD_ROW);
  /* The box under the template is not a bound child, so unparent it here. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (tsu_household_row_parent_class)->dispose (object);
}

static void
tsu_household_row_class_init (TsuHouseholdRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsu_household_row_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/tsu-household-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TsuHouseholdRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, TsuHouseholdRow, kana_label);
  gtk_widget_class_bind_template_child (widget_class, TsuHouseholdRow, address_label);
  gtk_widget_class_bind_template_child (widget_class, TsuHouseholdRow, detail_label);
  gtk_widget_class_bind_template_child (widget_class, TsuHouseholdRow, status_label);
}

static void
tsu_household_row_init (TsuHouseholdRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
