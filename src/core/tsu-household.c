/* tsu-household.c: a household (世帯) as lists and search show it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A read-only snapshot of one row, made by the store on a worker thread and
 * handed to the UI; properties exist so list rows can bind to them. The
 * store fills the fields directly (see the -private.h header): setting
 * a dozen properties on 40,000 rows through GValues would cost more than
 * the query.
 */
#include "config.h"

#include "tsu-household-private.h"


G_DEFINE_FINAL_TYPE (TsuHousehold, tsu_household, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_DISTRICT_ID,
  PROP_DISTRICT_NAME,
  PROP_ADDRESS,
  PROP_HEAD_NAME,
  PROP_HEAD_KANA,
  PROP_PHONE,
  PROP_FLAGS,
  PROP_STATUS,
  PROP_CONSENT,
  PROP_LAST_VISIT,
  PROP_NEXT_FOLLOW_UP,
  PROP_LAT,
  PROP_LON,
  PROP_HAS_LOCATION,
  PROP_RESIDENT_COUNT,
  PROP_MATCH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const char *
tsu_household_get_id (TsuHousehold *self)
{
  g_return_val_if_fail (TSU_IS_HOUSEHOLD (self), NULL);
  return self->id;
}

const char *
tsu_household_get_district_id (TsuHousehold *self)
{
  g_return_val_if_fail (TSU_IS_HOUSEHOLD (self), NULL);
  return self->district_id;
}

const char *
tsu_household_get_district_name (TsuHousehold *self)
{
  g_return_val_if_fail (TSU_IS_HOUSEHOLD (self), NULL);
  return self->district_name;
}

const char *
tsu_household_get_address (TsuHousehold *self)
{
  g_return_val_if_fail (TSU_IS_HOUSEHOLD (self), NULL);
  return self->address;
}

const char *
tsu_household_get_head_name (TsuHousehold *self)
{
  g_return_val_if_fail (TSU_IS_HOUSEHOLD (self), NULL);
  return self->head_name;
}

const char *
tsu_household_get_head_kana (TsuHousehold *self)
{
  g_return_val_if_fail (TSU_IS_HOUSEHOLD (self), NULL);
  return self->head_kana;
}

const char *
tsu_household_get_phone (TsuHousehold *self)
{
  g_return_val_if_fail (TSU_IS_HOUSEHOLD (self), NULL);
  return self->phone;
}

guint
tsu_household_get_flags (TsuHousehold *self)
{
  g_return_val_if_fail (TSU_IS_HOUSEHOLD (self), 0);
  return self->flags;
}

const char *
tsu_household_get_status (TsuHousehold *self)
{
  g_return_val_if_fail (TSU_IS_HOUSEHOLD (self), NULL);
  return self->status;
}

const char *
tsu_household_get_consent (TsuHousehold *self)
{
  g_return_val_if_fail (TSU_IS_HOUSEHOLD (self), NULL);
  return self->consent;
}

const char *
tsu_household_get_last_visit (TsuHousehold *self)
{
  g_return_val_if_fail (TSU_IS_HOUSEHOLD (self), NULL);
  return self->last_visit;
}

const char *
tsu_household_get_next_follow_up (TsuHousehold *self)
{
  g_return_val_if_fail (TSU_IS_HOUSEHOLD (self), NULL);
  return self->next_follow_up;
}

double
tsu_household_get_lat (TsuHousehold *self)
{
  g_return_val_if_fail (TSU_IS_HOUSEHOLD (self), 0);
  return self->lat;
}

double
tsu_household_get_lon (TsuHousehold *self)
{
  g_return_val_if_fail (TSU_IS_HOUSEHOLD (self), 0);
  return self->lon;
}

gboolean
tsu_household_get_has_location (TsuHousehold *self)
{
  g_return_val_if_fail (TSU_IS_HOUSEHOLD (self), 0);
  return self->has_location;
}

guint
tsu_household_get_resident_count (TsuHousehold *self)
{
  g_return_val_if_fail (TSU_IS_HOUSEHOLD (self), 0);
  return self->resident_count;
}

const char *
tsu_household_get_match (TsuHousehold *self)
{
  g_return_val_if_fail (TSU_IS_HOUSEHOLD (self), NULL);
  return self->match;
}

static void
tsu_household_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TsuHousehold *self = (TsuHousehold *) object;

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_DISTRICT_ID:
      g_value_set_string (value, self->district_id);
      break;
    case PROP_DISTRICT_NAME:
      g_value_set_string (value, self->district_name);
      break;
    case PROP_ADDRESS:
      g_value_set_string (value, self->address);
      break;
    case PROP_HEAD_NAME:
      g_value_set_string (value, self->head_name);
      break;
    case PROP_HEAD_KANA:
      g_value_set_string (value, self->head_kana);
      break;
    case PROP_PHONE:
      g_value_set_string (value, self->phone);
      break;
    case PROP_FLAGS:
      g_value_set_uint (value, self->flags);
      break;
    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;
    case PROP_CONSENT:
      g_value_set_string (value, self->consent);
      break;
    case PROP_LAST_VISIT:
      g_value_set_string (value, self->last_visit);
      break;
    case PROP_NEXT_FOLLOW_UP:
      g_value_set_string (value, self->next_follow_up);
      break;
    case PROP_LAT:
      g_value_set_double (value, self->lat);
      break;
    case PROP_LON:
      g_value_set_double (value, self->lon);
      break;
    case PROP_HAS_LOCATION:
      g_value_set_boolean (value, self->has_location);
      break;
    case PROP_RESIDENT_COUNT:
      g_value_set_uint (value, self->resident_count);
      break;
    case PROP_MATCH:
      g_value_set_string (value, self->match);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_household_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  TsuHousehold *self = (TsuHousehold *) object;

  switch (prop_id)
    {
    case PROP_ID:
      g_free (self->id);
      self->id = g_value_dup_string (value);
      break;
    case PROP_DISTRICT_ID:
      g_free (self->district_id);
      self->district_id = g_value_dup_string (value);
      break;
    case PROP_DISTRICT_NAME:
      g_free (self->district_name);
      self->district_name = g_value_dup_string (value);
      break;
    case PROP_ADDRESS:
      g_free (self->address);
      self->address = g_value_dup_string (value);
      break;
    case PROP_HEAD_NAME:
      g_free (self->head_name);
      self->head_name = g_value_dup_string (value);
      break;
    case PROP_HEAD_KANA:
      g_free (self->head_kana);
      self->head_kana = g_value_dup_string (value);
      break;
    case PROP_PHONE:
      g_free (self->phone);
      self->phone = g_value_dup_string (value);
      break;
    case PROP_FLAGS:
      self->flags = g_value_get_uint (value);
      break;
    case PROP_STATUS:
      g_free (self->status);
      self->status = g_value_dup_string (value);
      break;
    case PROP_CONSENT:
      g_free (self->consent);
      self->consent = g_value_dup_string (value);
      break;
    case PROP_LAST_VISIT:
      g_free (self->last_visit);
      self->last_visit = g_value_dup_string (value);
      break;
    case PROP_NEXT_FOLLOW_UP:
      g_free (self->next_follow_up);
      self->next_follow_up = g_value_dup_string (value);
      break;
    case PROP_LAT:
      self->lat = g_value_get_double (value);
      break;
    case PROP_LON:
      self->lon = g_value_get_double (value);
      break;
    case PROP_HAS_LOCATION:
      self->has_location = g_value_get_boolean (value);
      break;
    case PROP_RESIDENT_COUNT:
      self->resident_count = g_value_get_uint (value);
      break;
    case PROP_MATCH:
      g_free (self->match);
      self->match = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_household_finalize (GObject *object)
{
  TsuHousehold *self = (TsuHousehold *) object;

  g_free (self->id);
  g_free (self->district_id);
  g_free (self->district_name);
  g_free (self->address);
  g_free (self->head_name);
  g_free (self->head_kana);
  g_free (self->phone);
  g_free (self->status);
  g_free (self->consent);
  g_free (self->last_visit);
  g_free (self->next_follow_up);
  g_free (self->match);

  G_OBJECT_CLASS (tsu_household_parent_class)->finalize (object);
}

static void
tsu_household_class_init (TsuHouseholdClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tsu_household_finalize;
  object_class->get_property = tsu_household_get_property;
  object_class->set_property = tsu_household_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISTRICT_ID] =
    g_param_spec_string ("district-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISTRICT_NAME] =
    g_param_spec_string ("district-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ADDRESS] =
    g_param_spec_string ("address", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HEAD_NAME] =
    g_param_spec_string ("head-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HEAD_KANA] =
    g_param_spec_string ("head-kana", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PHONE] =
    g_param_spec_string ("phone", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FLAGS] =
    g_param_spec_uint ("flags", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONSENT] =
    g_param_spec_string ("consent", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_VISIT] =
    g_param_spec_string ("last-visit", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NEXT_FOLLOW_UP] =
    g_param_spec_string ("next-follow-up", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAT] =
    g_param_spec_double ("lat", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LON] =
    g_param_spec_double ("lon", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HAS_LOCATION] =
    g_param_spec_boolean ("has-location", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RESIDENT_COUNT] =
    g_param_spec_uint ("resident-count", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MATCH] =
    g_param_spec_string ("match", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tsu_household_init (TsuHousehold *self)
{
}
