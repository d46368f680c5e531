/* tsu-household-painter.h: the households of one filter, ready to draw
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <gtk/gtk.h>

#include "tsu-cluster.h"
#include "tsu-geometry.h"
#include "tsu-store-map.h"

G_BEGIN_DECLS

/* At this zoom and above every household is a dot; below, households are
 * grouped in grid clusters with counts. */
#define TSU_HOUSEHOLD_LAYER_DOTS_ZOOM 15

/* What a painter holds, read by the layer for hit-testing. Never changes
 * once the painter exists, so tile workers read it without locks. */
typedef struct
{
  guint            n;
  double          *x;          /* mercator 0..1, sorted normal → overdue */
  double          *y;
  guint8          *klass;
  guint           *point;      /* index into the TsuMapPoints */
  guint            class_counts[TSU_MAP_N_CLASSES];
  TsuBBox          bbox;
  TsuClusterLevel *levels[TSU_HOUSEHOLD_LAYER_DOTS_ZOOM];
} TsuHouseholdSet;

#define TSU_TYPE_HOUSEHOLD_PAINTER (tsu_household_painter_get_type ())
G_DECLARE_FINAL_TYPE (TsuHouseholdPainter, tsu_household_painter, TSU, HOUSEHOLD_PAINTER, GObject)

TsuHouseholdPainter   *tsu_household_painter_new        (TsuMapPoints        *points,
                                                         const char          *district_id,
                                                         guint                status_mask,
                                                         GCancellable        *cancellable);
const TsuHouseholdSet *tsu_household_painter_get_set    (TsuHouseholdPainter *self);
const TsuClusterLevel *tsu_household_painter_get_level  (TsuHouseholdPainter *self,
                                                         int                  zoom);
int                    tsu_household_painter_dot_radius (int                  zoom);
void                   tsu_household_painter_paint_tile (TsuHouseholdPainter *self,
                                                         cairo_surface_t     *surface,
                                                         int                  zoom,
                                                         int                  tile_x,
                                                         int                  tile_y,
                                                         int                  tile_size);

void        tsu_household_class_get_color (guint    klass,
                                           GdkRGBA *color);
const char *tsu_household_class_get_label (guint    klass);

G_END_DECLS
