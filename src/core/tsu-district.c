/* tsu-district.c: a district (住民自治協議会) in a list
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

#include "tsu-district-private.h"


G_DEFINE_FINAL_TYPE (TsuDistrict, tsu_district, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_KANA,
  PROP_AREA,
  PROP_LAT,
  PROP_LON,
  PROP_UNCONFIRMED,
  PROP_HOUSEHOLD_COUNT,
  PROP_WATCHED_COUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const char *
tsu_district_get_id (TsuDistrict *self)
{
  g_return_val_if_fail (TSU_IS_DISTRICT (self), NULL);
  return self->id;
}

const char *
tsu_district_get_name (TsuDistrict *self)
{
  g_return_val_if_fail (TSU_IS_DISTRICT (self), NULL);
  return self->name;
}

const char *
tsu_district_get_kana (TsuDistrict *self)
{
  g_return_val_if_fail (TSU_IS_DISTRICT (self), NULL);
  return self->kana;
}

const char *
tsu_district_get_area (TsuDistrict *self)
{
  g_return_val_if_fail (TSU_IS_DISTRICT (self), NULL);
  return self->area;
}

double
tsu_district_get_lat (TsuDistrict *self)
{
  g_return_val_if_fail (TSU_IS_DISTRICT (self), 0);
  return self->lat;
}

double
tsu_district_get_lon (TsuDistrict *self)
{
  g_return_val_if_fail (TSU_IS_DISTRICT (self), 0);
  return self->lon;
}

gboolean
tsu_district_get_unconfirmed (TsuDistrict *self)
{
  g_return_val_if_fail (TSU_IS_DISTRICT (self), 0);
  return self->unconfirmed;
}

guint
tsu_district_get_household_count (TsuDistrict *self)
{
  g_return_val_if_fail (TSU_IS_DISTRICT (self), 0);
  return self->household_count;
}

guint
tsu_district_get_watched_count (TsuDistrict *self)
{
  g_return_val_if_fail (TSU_IS_DISTRICT (self), 0);
  return self->watched_count;
}

static void
tsu_district_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  TsuDistrict *self = (TsuDistrict *) object;

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_KANA:
      g_value_set_string (value, self->kana);
      break;
    case PROP_AREA:
      g_value_set_string (value, self->area);
      break;
    case PROP_LAT:
      g_value_set_double (value, self->lat);
      break;
    case PROP_LON:
      g_value_set_double (value, self->lon);
      break;
    case PROP_UNCONFIRMED:
      g_value_set_boolean (value, self->unconfirmed);
      break;
    case PROP_HOUSEHOLD_COUNT:
      g_value_set_uint (value, self->household_count);
      break;
    case PROP_WATCHED_COUNT:
      g_value_set_uint (value, self->watched_count);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_district_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  TsuDistrict *self = (TsuDistrict *) object;

  switch (prop_id)
    {
    case PROP_ID:
      g_free (self->id);
      self->id = g_value_dup_string (value);
      break;
    case PROP_NAME:
      g_free (self->name);
      self->name = g_value_dup_string (value);
      break;
    case PROP_KANA:
      g_free (self->kana);
      self->kana = g_value_dup_string (value);
      break;
    case PROP_AREA:
      g_free (self->area);
      self->area = g_value_dup_string (value);
      break;
    case PROP_LAT:
      self->lat = g_value_get_double (value);
      break;
    case PROP_LON:
      self->lon = g_value_get_double (value);
      break;
    case PROP_UNCONFIRMED:
      self->unconfirmed = g_value_get_boolean (value);
      break;
    case PROP_HOUSEHOLD_COUNT:
      self->household_count = g_value_get_uint (value);
      break;
    case PROP_WATCHED_COUNT:
      self->watched_count = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_district_finalize (GObject *object)
{
  TsuDistrict *self = (TsuDistrict *) object;

  g_free (self->id);
  g_free (self->name);
  g_free (self->kana);
  g_free (self->area);

  G_OBJECT_CLASS (tsu_district_parent_class)->finalize (object);
}

static void
tsu_district_class_init (TsuDistrictClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tsu_district_finalize;
  object_class->get_property = tsu_district_get_property;
  object_class->set_property = tsu_district_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KANA] =
    g_param_spec_string ("kana", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AREA] =
    g_param_spec_string ("area", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAT] =
    g_param_spec_double ("lat", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LON] =
    g_param_spec_double ("lon", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UNCONFIRMED] =
    g_param_spec_boolean ("unconfirmed", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HOUSEHOLD_COUNT] =
    g_param_spec_uint ("household-count", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WATCHED_COUNT] =
    g_param_spec_uint ("watched-count", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tsu_district_init (TsuDistrict *self)
{
}
