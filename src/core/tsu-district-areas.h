/* tsu-district-areas.h: approximate areas of districts known only by points
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tsu-geometry.h"

G_BEGIN_DECLS

/* One point of a district (a town, a census area's centre). */
typedef struct
{
  double latitude;
  double longitude;
  guint  district;    /* 0 .. n_districts - 1 */
} TsuDistrictPoint;

/* Every place within @reach_m of some point belongs to the district of
 * the nearest point (on a grid of @cell_m cells); each district's places
 * are returned as a shape, smoothed. The result has @n_districts
 * entries, NULL for a district without points. These are guesses, to be
 * shown as approximate: the real council areas are not published. */
GPtrArray *tsu_district_areas_from_points (const TsuDistrictPoint *points,
                                           guint                   n_points,
                                           guint                   n_districts,
                                           double                  cell_m,
                                           double                  reach_m);

G_END_DECLS
