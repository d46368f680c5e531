/* tsu-string-property.c: text properties kept in an array by property id
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tsu-string-property.h"

static gboolean
is_string_property (guint       n_props,
                    guint       prop_id,
                    GParamSpec *pspec)
{
  return prop_id > 0 && prop_id < n_props && G_PARAM_SPEC_VALUE_TYPE (pspec) == G_TYPE_STRING;
}

gboolean
tsu_string_property_get (char       **strings,
                         guint        n_props,
                         guint        prop_id,
                         GParamSpec  *pspec,
                         GValue      *value)
{
  if (!is_string_property (n_props, prop_id, pspec))
    return FALSE;
  g_value_set_string (value, strings[prop_id]);
  return TRUE;
}

gboolean
tsu_string_property_set (GObject      *object,
                         char        **strings,
                         guint         n_props,
                         guint         prop_id,
                         GParamSpec   *pspec,
                         const GValue *value)
{
  if (!is_string_property (n_props, prop_id, pspec))
    return FALSE;
  if (g_strcmp0 (strings[prop_id], g_value_get_string (value)) != 0)
    {
      g_free (strings[prop_id]);
      strings[prop_id] = g_value_dup_string (value);
      g_object_notify_by_pspec (object, pspec);
    }
  return TRUE;
}
