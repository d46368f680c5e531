/* tsu-string-property.h: text properties kept in an array by property id
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* For the list models' item objects (residents, visits, work items),
 * whose text properties live in strings[prop_id]. Each returns FALSE when
 * prop_id is not one of them (0 or ≥ n_props, or not a string). */
gboolean tsu_string_property_get (char       **strings,
                                  guint        n_props,
                                  guint        prop_id,
                                  GParamSpec  *pspec,
                                  GValue      *value);
/* Sets it, and notifies only on a change. */
gboolean tsu_string_property_set (GObject      *object,
                                  char        **strings,
                                  guint         n_props,
                                  guint         prop_id,
                                  GParamSpec   *pspec,
                                  const GValue *value);

G_END_DECLS
