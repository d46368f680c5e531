/* tsu-household-tile-source.h: map tiles with the households drawn in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <shumate/shumate.h>

#include "tsu-boundary-painter.h"
#include "tsu-household-painter.h"

G_BEGIN_DECLS

/* Households are still drawn where the base map has no tiles. */
#define TSU_HOUSEHOLD_TILE_SOURCE_MAX_ZOOM 19

#define TSU_TYPE_HOUSEHOLD_TILE_SOURCE (tsu_household_tile_source_get_type ())
G_DECLARE_FINAL_TYPE (TsuHouseholdTileSource, tsu_household_tile_source, TSU, HOUSEHOLD_TILE_SOURCE, ShumateMapSource)

TsuHouseholdTileSource *tsu_household_tile_source_new           (ShumateMapSource       *base,
                                                                 TsuBoundaryPainter     *boundaries,
                                                                 TsuHouseholdPainter    *painter,
                                                                 guint                   generation,
                                                                 int                     scale);
guint                   tsu_household_tile_source_get_n_pending (TsuHouseholdTileSource *self);
guint                   tsu_household_tile_source_get_n_filled  (TsuHouseholdTileSource *self);

G_END_DECLS
