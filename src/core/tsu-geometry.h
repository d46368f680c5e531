/* tsu-geometry.h: Web-Mercator projection, polygons and hit-testing math
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Web-Mercator stops here: beyond it the projection goes to infinity. */
#define TSU_MERCATOR_MAX_LATITUDE 85.05112877980659

typedef struct
{
  double x;   /* longitude (or mercator x) */
  double y;   /* latitude (or mercator y) */
} TsuPoint;

typedef struct
{
  double min_x;
  double min_y;
  double max_x;
  double max_y;
} TsuBBox;

/* Projection to the unit square: x, y in 0..1, y growing southwards, the
 * same frame libshumate uses once multiplied by 256 · 2^zoom. */
void      tsu_mercator_project     (double  latitude,
                                    double  longitude,
                                    double *x,
                                    double *y);
void      tsu_mercator_unproject   (double  x,
                                    double  y,
                                    double *latitude,
                                    double *longitude);

/* World size in pixels at a (fractional) zoom level, tiles of 256 px. */
double    tsu_mercator_world_size  (double  zoom);

/* The zoom at which the given mercator box fits into width × height
 * pixels, clamped to min_zoom..max_zoom. */
double    tsu_mercator_fit_zoom    (const TsuBBox *mercator_box,
                                    double         width,
                                    double         height,
                                    double         min_zoom,
                                    double         max_zoom);

void      tsu_bbox_init_empty      (TsuBBox       *box);
void      tsu_bbox_extend          (TsuBBox       *box,
                                    double         x,
                                    double         y);
gboolean  tsu_bbox_is_empty        (const TsuBBox *box);
gboolean  tsu_bbox_contains        (const TsuBBox *box,
                                    double         x,
                                    double         y);

/* Rings are closed (first point == last point) in lon/lat order. */
double    tsu_ring_signed_area     (const TsuPoint *points,
                                    guint           n_points);
gboolean  tsu_ring_contains        (const TsuPoint *points,
                                    guint           n_points,
                                    double          x,
                                    double          y);
/* TRUE when two non-adjacent edges cross or touch; the edges found are
 * returned (0-based index of their first point). */
gboolean  tsu_ring_self_intersects (const TsuPoint *points,
                                    guint           n_points,
                                    guint          *edge_a,
                                    guint          *edge_b);

/* A polygon or multipolygon: a list of rings; each polygon's outer ring is
 * followed by its holes. Point-in-shape uses the even-odd rule over all
 * rings, which is right for valid GeoJSON (holes inside their outer ring,
 * polygons of a multipolygon disjoint). */
typedef struct _TsuShape TsuShape;

TsuShape *tsu_shape_new            (void);
void      tsu_shape_free           (TsuShape       *shape);
TsuShape *tsu_shape_copy           (const TsuShape *shape);
/* Takes ownership of ring (a GArray of TsuPoint). */
void      tsu_shape_add_ring       (TsuShape       *shape,
                                    gboolean        starts_polygon,
                                    GArray         *ring);
guint     tsu_shape_get_n_rings    (const TsuShape *shape);
const TsuPoint *tsu_shape_get_ring (const TsuShape *shape,
                                    guint           index,
                                    guint          *n_points,
                                    gboolean       *is_outer);
guint     tsu_shape_get_n_polygons (const TsuShape *shape);
TsuBBox   tsu_shape_get_bbox       (const TsuShape *shape);
gboolean  tsu_shape_contains       (const TsuShape *shape,
                                    double          longitude,
                                    double          latitude);
/* A point inside the largest polygon, good for a label. */
void      tsu_shape_get_label_point (const TsuShape *shape,
                                     double         *longitude,
                                     double         *latitude);
/* The geometry as GeoJSON text (Polygon or MultiPolygon). */
char     *tsu_shape_to_geojson     (const TsuShape *shape);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsuShape, tsu_shape_free)

G_END_DECLS
