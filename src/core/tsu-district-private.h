/* tsu-district-private.h: the fields of TsuDistrict, for the store that fills them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tsu-district.h"

G_BEGIN_DECLS

struct _TsuDistrict
{
  GObject parent_instance;

  char    *id;
  char    *name;
  char    *kana;
  char    *area;
  double   lat;
  double   lon;
  gboolean unconfirmed;
  guint    household_count;
  guint    watched_count;
};

G_END_DECLS
