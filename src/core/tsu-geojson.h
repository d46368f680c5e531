/* tsu-geojson.h: district boundaries from GeoJSON files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tsu-geometry.h"

G_BEGIN_DECLS

#define TSU_GEOJSON_ERROR (tsu_geojson_error_quark ())

typedef enum
{
  TSU_GEOJSON_ERROR_NOT_JSON,          /* the text does not parse as JSON */
  TSU_GEOJSON_ERROR_STRUCTURE,         /* JSON, but not a Feature / FeatureCollection */
  TSU_GEOJSON_ERROR_GEOMETRY_TYPE,     /* not a Polygon or MultiPolygon */
  TSU_GEOJSON_ERROR_EMPTY,             /* no rings, too few points, zero area */
  TSU_GEOJSON_ERROR_SELF_INTERSECTING, /* a ring crosses itself */
  TSU_GEOJSON_ERROR_OUT_OF_RANGE,      /* a coordinate outside lon/lat range */
  TSU_GEOJSON_ERROR_NO_NAME,           /* the name property is missing */
} TsuGeojsonError;

GQuark tsu_geojson_error_quark (void);

typedef struct
{
  guint     index;   /* position in the file, from 0 */
  char     *name;
  TsuShape *shape;
} TsuGeoFeature;

void       tsu_geo_feature_free          (TsuGeoFeature *feature);

/* Every feature of a Feature or FeatureCollection, validated. label names
 * the input in error messages (usually the file name). Returns a
 * GPtrArray of TsuGeoFeature, or NULL and an error for the first problem. */
GPtrArray *tsu_geojson_parse_boundaries  (const char   *data,
                                          gssize        length,
                                          const char   *label,
                                          const char   *name_property,
                                          GError      **error);
GPtrArray *tsu_geojson_load_boundaries   (GFile        *file,
                                          const char   *name_property,
                                          GCancellable *cancellable,
                                          GError      **error);

/* A stored Polygon / MultiPolygon geometry (district.boundary). */
TsuShape  *tsu_geojson_parse_geometry    (const char   *text,
                                          GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsuGeoFeature, tsu_geo_feature_free)

G_END_DECLS
