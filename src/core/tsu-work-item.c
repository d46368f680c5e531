/* tsu-work-item.c: one line of the daily work list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A plain value object: the list models of the screens hold these, never
 * rows as strings. Properties are set at construction (from a record) and
 * may be changed later by the store's readers only.
 */
#include "config.h"

#include "tsu-work-item.h"
#include "tsu-string-property.h"

enum
{
  PROP_0,
  PROP_HOUSEHOLD_ID,
  PROP_SECTION,
  PROP_ADDRESS,
  PROP_HEAD_NAME,
  PROP_DISTRICT_ID,
  PROP_DISTRICT_NAME,
  PROP_DUE_DATE,
  PROP_DAYS,
  PROP_LAST_VISIT,
  PROP_FOLLOWUP_ID,
  PROP_REASON,
  PROP_URGENCY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

struct _TsuWorkItem
{
  GObject  parent_instance;

  /* String properties are kept by property id, which keeps get/set short. */
  char    *strings[N_PROPS];
  TsuWorkSection section;
  int days;
  int urgency;
};

G_DEFINE_FINAL_TYPE (TsuWorkItem, tsu_work_item, G_TYPE_OBJECT)

static void
tsu_work_item_finalize (GObject *object)
{
  TsuWorkItem *self = TSU_WORK_ITEM (object);

  for (guint i = 0; i < N_PROPS; i++)
    g_free (self->strings[i]);

  G_OBJECT_CLASS (tsu_work_item_parent_class)->finalize (object);
}

static void
tsu_work_item_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TsuWorkItem *self = TSU_WORK_ITEM (object);

  switch (prop_id)
    {
    case PROP_SECTION:
      g_value_set_enum (value, self->section);
      break;
    case PROP_DAYS:
      g_value_set_int (value, self->days);
      break;
    case PROP_URGENCY:
      g_value_set_int (value, self->urgency);
      break;
    default:
      if (!tsu_string_property_get (self->strings, N_PROPS, prop_id, pspec, value))
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_work_item_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TsuWorkItem *self = TSU_WORK_ITEM (object);

  switch (prop_id)
    {
    case PROP_SECTION:
      if ((int) self->section != g_value_get_enum (value))
        {
          self->section = g_value_get_enum (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_DAYS:
      if (self->days != g_value_get_int (value))
        {
          self->days = g_value_get_int (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_URGENCY:
      if (self->urgency != g_value_get_int (value))
        {
          self->urgency = g_value_get_int (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      if (!tsu_string_property_set (object, self->strings, N_PROPS, prop_id, pspec, value))
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_work_item_class_init (TsuWorkItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tsu_work_item_finalize;
  object_class->get_property = tsu_work_item_get_property;
  object_class->set_property = tsu_work_item_set_property;

  properties[PROP_HOUSEHOLD_ID] =
    g_param_spec_string ("household-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SECTION] =
    g_param_spec_enum ("section", NULL, NULL, TSU_TYPE_WORK_SECTION, TSU_WORK_SECTION_TODAY,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ADDRESS] =
    g_param_spec_string ("address", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HEAD_NAME] =
    g_param_spec_string ("head-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISTRICT_ID] =
    g_param_spec_string ("district-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISTRICT_NAME] =
    g_param_spec_string ("district-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DUE_DATE] =
    g_param_spec_string ("due-date", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DAYS] =
    g_param_spec_int ("days", NULL, NULL, G_MININT, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_VISIT] =
    g_param_spec_string ("last-visit", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FOLLOWUP_ID] =
    g_param_spec_string ("followup-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REASON] =
    g_param_spec_string ("reason", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_URGENCY] =
    g_param_spec_int ("urgency", NULL, NULL, G_MININT, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tsu_work_item_init (TsuWorkItem *self)
{
}

const char *
tsu_work_item_get_household_id (TsuWorkItem *self)
{
  g_return_val_if_fail (TSU_IS_WORK_ITEM (self), NULL);
  return self->strings[PROP_HOUSEHOLD_ID];
}

TsuWorkSection
tsu_work_item_get_section (TsuWorkItem *self)
{
  g_return_val_if_fail (TSU_IS_WORK_ITEM (self), 0);
  return self->section;
}

const char *
tsu_work_item_get_address (TsuWorkItem *self)
{
  g_return_val_if_fail (TSU_IS_WORK_ITEM (self), NULL);
  return self->strings[PROP_ADDRESS];
}

const char *
tsu_work_item_get_head_name (TsuWorkItem *self)
{
  g_return_val_if_fail (TSU_IS_WORK_ITEM (self), NULL);
  return self->strings[PROP_HEAD_NAME];
}

const char *
tsu_work_item_get_district_id (TsuWorkItem *self)
{
  g_return_val_if_fail (TSU_IS_WORK_ITEM (self), NULL);
  return self->strings[PROP_DISTRICT_ID];
}

const char *
tsu_work_item_get_district_name (TsuWorkItem *self)
{
  g_return_val_if_fail (TSU_IS_WORK_ITEM (self), NULL);
  return self->strings[PROP_DISTRICT_NAME];
}

const char *
tsu_work_item_get_due_date (TsuWorkItem *self)
{
  g_return_val_if_fail (TSU_IS_WORK_ITEM (self), NULL);
  return self->strings[PROP_DUE_DATE];
}

int
tsu_work_item_get_days (TsuWorkItem *self)
{
  g_return_val_if_fail (TSU_IS_WORK_ITEM (self), 0);
  return self->days;
}

const char *
tsu_work_item_get_last_visit (TsuWorkItem *self)
{
  g_return_val_if_fail (TSU_IS_WORK_ITEM (self), NULL);
  return self->strings[PROP_LAST_VISIT];
}

const char *
tsu_work_item_get_followup_id (TsuWorkItem *self)
{
  g_return_val_if_fail (TSU_IS_WORK_ITEM (self), NULL);
  return self->strings[PROP_FOLLOWUP_ID];
}

const char *
tsu_work_item_get_reason (TsuWorkItem *self)
{
  g_return_val_if_fail (TSU_IS_WORK_ITEM (self), NULL);
  return self->strings[PROP_REASON];
}

int
tsu_work_item_get_urgency (TsuWorkItem *self)
{
  g_return_val_if_fail (TSU_IS_WORK_ITEM (self), 0);
  return self->urgency;
}

TsuWorkItem *
tsu_work_item_new (void)
{
  return g_object_new (TSU_TYPE_WORK_ITEM, NULL);
}
