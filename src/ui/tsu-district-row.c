/* tsu-district-row.c: one district in the sidebar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tsu-district-row.h"

struct _TsuDistrictRow
{
  GtkWidget  parent_instance;

  GtkLabel  *name_label;
  GtkLabel  *area_label;
  GtkLabel  *count_label;
};

G_DEFINE_FINAL_TYPE (TsuDistrictRow, tsu_district_row, GTK_TYPE_WIDGET)

GtkWidget *
tsu_district_row_new (void)
{
  return g_object_new (TSU_TYPE_DISTRICT_ROW, NULL);
}

void
tsu_district_row_set_district (TsuDistrictRow *self,
                               TsuDistrict    *district)
{
  g_autofree char *count = NULL;
  g_autofree char *area = NULL;
  const char *id;

  g_return_if_fail (TSU_IS_DISTRICT_ROW (self));

  id = tsu_district_get_id (district);
  gtk_label_set_label (self->name_label, tsu_district_get_name (district));

  if (id == NULL)
    area = g_strdup (_("The whole city"));
  else if (tsu_district_get_unconfirmed (district))
    /* Translators: %s is a former municipality such as 上野; the council name is not confirmed */
    area = g_strdup_printf (_("%s (name unconfirmed)"), tsu_district_get_area (district) ?: "");
  else
    area = g_strdup (tsu_district_get_area (district) ?: "");
  gtk_label_set_label (self->area_label, area);

  /* Translators: households in a district, and how many of them are watched (have a flag) */
  count = g_strdup_printf (_("%u households · %u watched"),
                           tsu_district_get_household_count (district),
                           tsu_district_get_watched_count (district));
  gtk_label_set_label (self->count_label, count);
}

static void
tsu_district_row_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), TSU_TYPE_DISTRICT_ROW);
  /* The box under the template is not a bound child, so unparent it here. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (tsu_district_row_parent_class)->dispose (object);
}

static void
tsu_district_row_class_init (TsuDistrictRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsu_district_row_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/tsu-district-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TsuDistrictRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, TsuDistrictRow, area_label);
  gtk_widget_class_bind_template_child (widget_class, TsuDistrictRow, count_label);
}

static void
tsu_district_row_init (TsuDistrictRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
