/* tsu-resident.c: one member of a household (世帯員)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A plain value object: the list models of the screens hold these, never
 * rows as strings. Properties are set at construction (from a record) and
 * may be changed later by the store's readers only.
 */
#include "config.h"

#include "tsu-resident.h"
#include "tsu-string-property.h"

enum
{
  PROP_0,
  PROP_ID,
  PROP_HOUSEHOLD_ID,
  PROP_NAME,
  PROP_KANA,
  PROP_BIRTH_DATE,
  PROP_RELATIONSHIP,
  PROP_POSITION,
  PROP_NOTE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

struct _TsuResident
{
  GObject  parent_instance;

  /* String properties are kept by property id, which keeps get/set short. */
  char    *strings[N_PROPS];
  int position;
};

G_DEFINE_FINAL_TYPE (TsuResident, tsu_resident, G_TYPE_OBJECT)

static void
tsu_resident_finalize (GObject *object)
{
  TsuResident *self = TSU_RESIDENT (object);

  for (guint i = 0; i < N_PROPS; i++)
    g_free (self->strings[i]);

  G_OBJECT_CLASS (tsu_resident_parent_class)->finalize (object);
}

static void
tsu_resident_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TsuResident *self = TSU_RESIDENT (object);

  switch (prop_id)
    {
    case PROP_POSITION:
      g_value_set_int (value, self->position);
      break;
    default:
      if (!tsu_string_property_get (self->strings, N_PROPS, prop_id, pspec, value))
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_resident_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  TsuResident *self = TSU_RESIDENT (object);

  switch (prop_id)
    {
    case PROP_POSITION:
      if (self->position != g_value_get_int (value))
        {
          self->position = g_value_get_int (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      if (!tsu_string_property_set (object, self->strings, N_PROPS, prop_id, pspec, value))
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_resident_class_init (TsuResidentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tsu_resident_finalize;
  object_class->get_property = tsu_resident_get_property;
  object_class->set_property = tsu_resident_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HOUSEHOLD_ID] =
    g_param_spec_string ("household-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KANA] =
    g_param_spec_string ("kana", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BIRTH_DATE] =
    g_param_spec_string ("birth-date", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RELATIONSHIP] =
    g_param_spec_string ("relationship", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_POSITION] =
    g_param_spec_int ("position", NULL, NULL, G_MININT, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NOTE] =
    g_param_spec_string ("note", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tsu_resident_init (TsuResident *self)
{
}

const char *
tsu_resident_get_id (TsuResident *self)
{
  g_return_val_if_fail (TSU_IS_RESIDENT (self), NULL);
  return self->strings[PROP_ID];
}

const char *
tsu_resident_get_household_id (TsuResident *self)
{
  g_return_val_if_fail (TSU_IS_RESIDENT (self), NULL);
  return self->strings[PROP_HOUSEHOLD_ID];
}

const char *
tsu_resident_get_name (TsuResident *self)
{
  g_return_val_if_fail (TSU_IS_RESIDENT (self), NULL);
  return self->strings[PROP_NAME];
}

const char *
tsu_resident_get_kana (TsuResident *self)
{
  g_return_val_if_fail (TSU_IS_RESIDENT (self), NULL);
  return self->strings[PROP_KANA];
}

const char *
tsu_resident_get_birth_date (TsuResident *self)
{
  g_return_val_if_fail (TSU_IS_RESIDENT (self), NULL);
  return self->strings[PROP_BIRTH_DATE];
}

const char *
tsu_resident_get_relationship (TsuResident *self)
{
  g_return_val_if_fail (TSU_IS_RESIDENT (self), NULL);
  return self->strings[PROP_RELATIONSHIP];
}

int
tsu_resident_get_position (TsuResident *self)
{
  g_return_val_if_fail (TSU_IS_RESIDENT (self), 0);
  return self->position;
}

const char *
tsu_resident_get_note (TsuResident *self)
{
  g_return_val_if_fail (TSU_IS_RESIDENT (self), NULL);
  return self->strings[PROP_NOTE];
}

static const char *
member_string (JsonObject *record,
               const char *name)
{
  JsonNode *node = json_object_get_member (record, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

TsuResident *
tsu_resident_new_from_record (JsonObject *record)
{
  TsuResident *self;

  g_return_val_if_fail (record != NULL, NULL);

  self = g_object_new (TSU_TYPE_RESIDENT, NULL);
  self->strings[PROP_ID] = g_strdup (member_string (record, "id"));
  self->strings[PROP_HOUSEHOLD_ID] = g_strdup (member_string (record, "household_id"));
  self->strings[PROP_NAME] = g_strdup (member_string (record, "name"));
  self->strings[PROP_KANA] = g_strdup (member_string (record, "kana"));
  self->strings[PROP_BIRTH_DATE] = g_strdup (member_string (record, "birth_date"));
  self->strings[PROP_RELATIONSHIP] = g_strdup (member_string (record, "relationship"));
  if (json_object_has_member (record, "position") && !json_object_get_null_member (record, "position"))
    self->position = (int) json_object_get_int_member (record, "position");
  self->strings[PROP_NOTE] = g_strdup (member_string (record, "note"));
  return self;
}
