/* tsu-visit.c: one visit or contact record (訪問・支援記録)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A plain value object: the list models of the screens hold these, never
 * rows as strings. Properties are set at construction (from a record) and
 * may be changed later by the store's readers only.
 */
#include "config.h"

#include "tsu-visit.h"
#include "tsu-string-property.h"

enum
{
  PROP_0,
  PROP_ID,
  PROP_HOUSEHOLD_ID,
  PROP_VISITED_AT,
  PROP_COORDINATOR_ID,
  PROP_CONTACT_TYPE,
  PROP_OUTCOME,
  PROP_SUPPORT_AREA,
  PROP_CATEGORIES,
  PROP_NOTE,
  PROP_REFERRALS,
  PROP_NEXT_FOLLOW_UP,
  PROP_SENSITIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

struct _TsuVisit
{
  GObject  parent_instance;

  /* String properties are kept by property id, which keeps get/set short. */
  char    *strings[N_PROPS];
  gboolean sensitive;
};

G_DEFINE_FINAL_TYPE (TsuVisit, tsu_visit, G_TYPE_OBJECT)

static void
tsu_visit_finalize (GObject *object)
{
  TsuVisit *self = TSU_VISIT (object);

  for (guint i = 0; i < N_PROPS; i++)
    g_free (self->strings[i]);

  G_OBJECT_CLASS (tsu_visit_parent_class)->finalize (object);
}

static void
tsu_visit_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  TsuVisit *self = TSU_VISIT (object);

  switch (prop_id)
    {
    case PROP_SENSITIVE:
      g_value_set_boolean (value, self->sensitive);
      break;
    default:
      if (!tsu_string_property_get (self->strings, N_PROPS, prop_id, pspec, value))
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_visit_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  TsuVisit *self = TSU_VISIT (object);

  switch (prop_id)
    {
    case PROP_SENSITIVE:
      if (self->sensitive != g_value_get_boolean (value))
        {
          self->sensitive = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      if (!tsu_string_property_set (object, self->strings, N_PROPS, prop_id, pspec, value))
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_visit_class_init (TsuVisitClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tsu_visit_finalize;
  object_class->get_property = tsu_visit_get_property;
  object_class->set_property = tsu_visit_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HOUSEHOLD_ID] =
    g_param_spec_string ("household-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VISITED_AT] =
    g_param_spec_string ("visited-at", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COORDINATOR_ID] =
    g_param_spec_string ("coordinator-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONTACT_TYPE] =
    g_param_spec_string ("contact-type", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OUTCOME] =
    g_param_spec_string ("outcome", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUPPORT_AREA] =
    g_param_spec_string ("support-area", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CATEGORIES] =
    g_param_spec_string ("categories", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NOTE] =
    g_param_spec_string ("note", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REFERRALS] =
    g_param_spec_string ("referrals", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NEXT_FOLLOW_UP] =
    g_param_spec_string ("next-follow-up", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SENSITIVE] =
    g_param_spec_boolean ("sensitive", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tsu_visit_init (TsuVisit *self)
{
}

const char *
tsu_visit_get_id (TsuVisit *self)
{
  g_return_val_if_fail (TSU_IS_VISIT (self), NULL);
  return self->strings[PROP_ID];
}

const char *
tsu_visit_get_household_id (TsuVisit *self)
{
  g_return_val_if_fail (TSU_IS_VISIT (self), NULL);
  return self->strings[PROP_HOUSEHOLD_ID];
}

const char *
tsu_visit_get_visited_at (TsuVisit *self)
{
  g_return_val_if_fail (TSU_IS_VISIT (self), NULL);
  return self->strings[PROP_VISITED_AT];
}

const char *
tsu_visit_get_coordinator_id (TsuVisit *self)
{
  g_return_val_if_fail (TSU_IS_VISIT (self), NULL);
  return self->strings[PROP_COORDINATOR_ID];
}

const char *
tsu_visit_get_contact_type (TsuVisit *self)
{
  g_return_val_if_fail (TSU_IS_VISIT (self), NULL);
  return self->strings[PROP_CONTACT_TYPE];
}

const char *
tsu_visit_get_outcome (TsuVisit *self)
{
  g_return_val_if_fail (TSU_IS_VISIT (self), NULL);
  return self->strings[PROP_OUTCOME];
}

const char *
tsu_visit_get_support_area (TsuVisit *self)
{
  g_return_val_if_fail (TSU_IS_VISIT (self), NULL);
  return self->strings[PROP_SUPPORT_AREA];
}

const char *
tsu_visit_get_categories (TsuVisit *self)
{
  g_return_val_if_fail (TSU_IS_VISIT (self), NULL);
  return self->strings[PROP_CATEGORIES];
}

const char *
tsu_visit_get_note (TsuVisit *self)
{
  g_return_val_if_fail (TSU_IS_VISIT (self), NULL);
  return self->strings[PROP_NOTE];
}

const char *
tsu_visit_get_referrals (TsuVisit *self)
{
  g_return_val_if_fail (TSU_IS_VISIT (self), NULL);
  return self->strings[PROP_REFERRALS];
}

const char *
tsu_visit_get_next_follow_up (TsuVisit *self)
{
  g_return_val_if_fail (TSU_IS_VISIT (self), NULL);
  return self->strings[PROP_NEXT_FOLLOW_UP];
}

gboolean
tsu_visit_get_sensitive (TsuVisit *self)
{
  g_return_val_if_fail (TSU_IS_VISIT (self), 0);
  return self->sensitive;
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

TsuVisit *
tsu_visit_new_from_record (JsonObject *record)
{
  TsuVisit *self;

  g_return_val_if_fail (record != NULL, NULL);

  self = g_object_new (TSU_TYPE_VISIT, NULL);
  self->strings[PROP_ID] = g_strdup (member_string (record, "id"));
  self->strings[PROP_HOUSEHOLD_ID] = g_strdup (member_string (record, "household_id"));
  self->strings[PROP_VISITED_AT] = g_strdup (member_string (record, "visited_at"));
  self->strings[PROP_COORDINATOR_ID] = g_strdup (member_string (record, "coordinator_id"));
  self->strings[PROP_CONTACT_TYPE] = g_strdup (member_string (record, "contact_type"));
  self->strings[PROP_OUTCOME] = g_strdup (member_string (record, "outcome"));
  self->strings[PROP_SUPPORT_AREA] = g_strdup (member_string (record, "support_area"));
  self->strings[PROP_CATEGORIES] = g_strdup (member_string (record, "categories"));
  self->strings[PROP_NOTE] = g_strdup (member_string (record, "note"));
  self->strings[PROP_REFERRALS] = g_strdup (member_string (record, "referrals"));
  self->strings[PROP_NEXT_FOLLOW_UP] = g_strdup (member_string (record, "next_follow_up"));
  if (json_object_has_member (record, "sensitive") && !json_object_get_null_member (record, "sensitive"))
    self->sensitive = json_object_get_int_member (record, "sensitive") != 0;
  return self;
}

JsonObject *
tsu_visit_to_fields (TsuVisit *self)
{
  static const guint text_props[] = {
    PROP_HOUSEHOLD_ID, PROP_VISITED_AT, PROP_COORDINATOR_ID, PROP_CONTACT_TYPE,
    PROP_OUTCOME, PROP_SUPPORT_AREA, PROP_CATEGORIES, PROP_NOTE, PROP_REFERRALS,
    PROP_NEXT_FOLLOW_UP,
  };
  JsonObject *fields;

  g_return_val_if_fail (TSU_IS_VISIT (self), NULL);

  fields = json_object_new ();
  for (guint i = 0; i < G_N_ELEMENTS (text_props); i++)
    {
      const char *name = g_param_spec_get_name (properties[text_props[i]]);
      g_autofree char *column = g_strdelimit (g_strdup (name), "-", '_');
      const char *value = self->strings[text_props[i]];

      /* Empty means "not set": a cleared follow-up date must clear the
       * stored one too, so it is written as null rather than left out. */
      if (value != NULL && *value != '\0')
        json_object_set_string_member (fields, column, value);
      else
        json_object_set_null_member (fields, column);
    }
  json_object_set_boolean_member (fields, "sensitive", self->sensitive);
  return fields;
}
