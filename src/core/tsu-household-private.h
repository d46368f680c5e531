/* tsu-household-private.h: the fields of TsuHousehold, for the store that fills them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tsu-household.h"

G_BEGIN_DECLS

struct _TsuHousehold
{
  GObject parent_instance;

  char    *id;
  char    *district_id;
  char    *district_name;
  char    *address;
  char    *head_name;
  char    *head_kana;
  char    *phone;
  guint    flags;
  char    *status;
  char    *consent;
  char    *last_visit;
  char    *next_follow_up;
  double   lat;
  double   lon;
  gboolean has_location;
  guint    resident_count;
  char    *match;
};

G_END_DECLS
