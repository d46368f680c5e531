/* tsu-boundary-painter.h: district outlines and names, drawn into map tiles
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  TSU_BOUNDARY_OUTLINES,
  TSU_BOUNDARY_NAMES,
} TsuBoundaryPart;

#define TSU_TYPE_BOUNDARY_PAINTER (tsu_boundary_painter_get_type ())
G_DECLARE_FINAL_TYPE (TsuBoundaryPainter, tsu_boundary_painter, TSU, BOUNDARY_PAINTER, GObject)

/* districts: a GPtrArray of TsuMapDistrict (tsu-store-map.h), copied;
 * highlight_id: the district drawn stronger, or NULL; font: a Pango font
 * description for the names (the desktop's interface font). */
TsuBoundaryPainter *tsu_boundary_painter_new        (GPtrArray          *districts,
                                                     const char         *highlight_id,
                                                     const char         *font);
void                tsu_boundary_painter_paint_tile (TsuBoundaryPainter *self,
                                                     TsuBoundaryPart     part,
                                                     cairo_surface_t    *surface,
                                                     int                 zoom,
                                                     int                 tile_x,
                                                     int                 tile_y,
                                                     int                 tile_size);

G_END_DECLS
