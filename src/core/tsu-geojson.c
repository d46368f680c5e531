/* tsu-geojson.c: district boundaries from GeoJSON files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything is checked before anything is returned, so that an import
 * either takes a whole file or nothing of it. Errors name the input, the
 * feature (counted from 1, as people count) and what is wrong.
 */
#include "config.h"

#include <math.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "tsu-geojson.h"

G_DEFINE_QUARK (tsu-geojson-error-quark, tsu_geojson_error)

void
tsu_geo_feature_free (TsuGeoFeature *feature)
{
  if (feature == NULL)
    return;
  g_free (feature->name);
  tsu_shape_free (feature->shape);
  g_free (feature);
}

/* Where in the input an error was found, for messages. */
typedef struct
{
  const char *label;
  guint       feature;   /* from 1; 0 when there is no feature */
} Context;

G_GNUC_PRINTF (4, 5)
static void
set_error (GError        **error,
           const Context  *ctx,
           int             code,
           const char     *format,
           ...)
{
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  if (ctx->feature > 0)
    /* TRANSLATORS: file name, feature number, then what is wrong */
    g_set_error (error, TSU_GEOJSON_ERROR, code, _("%s: feature %u: %s"),
                 ctx->label, ctx->feature, detail);
  else
    g_set_error (error, TSU_GEOJSON_ERROR, code, "%s: %s", ctx->label, detail);
}

static gboolean
parse_position (JsonNode       *node,
                const Context  *ctx,
                TsuPoint       *point,
                GError        **error)
{
  JsonArray *array;
  JsonNode *x, *y;

  if (!JSON_NODE_HOLDS_ARRAY (node) ||
      json_array_get_length (array = json_node_get_array (node)) < 2)
    {
      set_error (error, ctx, TSU_GEOJSON_ERROR_STRUCTURE,
                 _("a position is not an array of longitude and latitude"));
      return FALSE;
    }
  x = json_array_get_element (array, 0);
  y = json_array_get_element (array, 1);
  if (!JSON_NODE_HOLDS_VALUE (x) || !JSON_NODE_HOLDS_VALUE (y) ||
      (json_node_get_value_type (x) != G_TYPE_DOUBLE && json_node_get_value_type (x) != G_TYPE_INT64) ||
      (json_node_get_value_type (y) != G_TYPE_DOUBLE && json_node_get_value_type (y) != G_TYPE_INT64))
    {
      set_error (error, ctx, TSU_GEOJSON_ERROR_STRUCTURE,
                 _("a position holds something other than numbers"));
      return FALSE;
    }
  point->x = json_node_get_double (x);
  point->y = json_node_get_double (y);
  if (!isfinite (point->x) || !isfinite (point->y) ||
      point->x < -180 || point->x > 180 || point->y < -90 || point->y > 90)
    {
      set_error (error, ctx, TSU_GEOJSON_ERROR_OUT_OF_RANGE,
                 _("the position [%g, %g] is outside longitude −180…180 / latitude −90…90"),
                 point->x, point->y);
      return FALSE;
    }
  return TRUE;
}

static GArray *
parse_ring (JsonNode       *node,
            const Context  *ctx,
            guint           ring_number,
            GError        **error)
{
  g_autoptr(GArray) ring = g_array_new (FALSE, FALSE, sizeof (TsuPoint));
  JsonArray *array;
  guint n, edge_a, edge_b;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      set_error (error, ctx, TSU_GEOJSON_ERROR_STRUCTURE, _("ring %u is not an array of positions"),
                 ring_number);
      return NULL;
    }
  array = json_node_get_array (node);
  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      TsuPoint point;

      if (!parse_position (json_array_get_element (array, i), ctx, &point, error))
        return NULL;
      /* Repeated points add nothing and would look like a self-touch. */
      if (ring->len > 0)
        {
          TsuPoint *last = &g_array_index (ring, TsuPoint, ring->len - 1);
          if (last->x == point.x && last->y == point.y)
            continue;
        }
      g_array_append_val (ring, point);
    }

  /* Files that forget to repeat the first point are common; closing the
   * ring is what they mean. */
  if (ring->len > 0)
    {
      TsuPoint first = g_array_index (ring, TsuPoint, 0);
      TsuPoint *last = &g_array_index (ring, TsuPoint, ring->len - 1);

      if (ring->len == 1 || first.x != last->x || first.y != last->y)
        g_array_append_val (ring, first);
    }

  if (ring->len < 4)
    {
      set_error (error, ctx, TSU_GEOJSON_ERROR_EMPTY,
                 _("ring %u has fewer than three distinct points"), ring_number);
      return NULL;
    }
  if (tsu_ring_self_intersects ((TsuPoint *) ring->data, ring->len, &edge_a, &edge_b))
    {
      set_error (error, ctx, TSU_GEOJSON_ERROR_SELF_INTERSECTING,
                 _("ring %u crosses itself (edges %u and %u)"), ring_number, edge_a + 1, edge_b + 1);
      return NULL;
    }
  if (fabs (tsu_ring_signed_area ((TsuPoint *) ring->data, ring->len)) < 1e-14)
    {
      set_error (error, ctx, TSU_GEOJSON_ERROR_EMPTY, _("ring %u has no area"), ring_number);
      return NULL;
    }
  return g_steal_pointer (&ring);
}

static gboolean
parse_polygon (JsonNode       *node,
               const Context  *ctx,
               TsuShape       *shape,
               guint          *ring_number,
               GError        **error)
{
  JsonArray *rings;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      set_error (error, ctx, TSU_GEOJSON_ERROR_STRUCTURE, _("a polygon is not an array of rings"));
      return FALSE;
    }
  rings = json_node_get_array (node);
  if (json_array_get_length (rings) == 0)
    {
      set_error (error, ctx, TSU_GEOJSON_ERROR_EMPTY, _("a polygon has no rings"));
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (rings); i++)
    {
      GArray *ring = parse_ring (json_array_get_element (rings, i), ctx, ++*ring_number, error);

      if (ring == NULL)
        return FALSE;
      tsu_shape_add_ring (shape, i == 0, ring);
    }
  return TRUE;
}

static TsuShape *
parse_geometry_node (JsonNode       *node,
                     const Context  *ctx,
                     GError        **error)
{
  g_autoptr(TsuShape) shape = tsu_shape_new ();
  JsonObject *object;
  JsonNode *coordinates;
  const char *type;
  guint ring_number = 0;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      set_error (error, ctx, TSU_GEOJSON_ERROR_EMPTY, _("the feature has no geometry"));
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      set_error (error, ctx, TSU_GEOJSON_ERROR_STRUCTURE, _("the geometry is not an object"));
      return NULL;
    }
  object = json_node_get_object (node);
  type = json_object_get_string_member_with_default (object, "type", NULL);
  if (g_strcmp0 (type, "Polygon") != 0 && g_strcmp0 (type, "MultiPolygon") != 0)
    {
      set_error (error, ctx, TSU_GEOJSON_ERROR_GEOMETRY_TYPE,
                 _("the geometry is a “%s”, but a district boundary must be a Polygon or MultiPolygon"),
                 type != NULL ? type : "?");
      return NULL;
    }
  coordinates = json_object_get_member (object, "coordinates");
  if (coordinates == NULL || !JSON_NODE_HOLDS_ARRAY (coordinates))
    {
      set_error (error, ctx, TSU_GEOJSON_ERROR_STRUCTURE, _("the geometry has no coordinates array"));
      return NULL;
    }

  if (g_str_equal (type, "Polygon"))
    {
      if (!parse_polygon (coordinates, ctx, shape, &ring_number, error))
        return NULL;
    }
  else
    {
      JsonArray *polygons = json_node_get_array (coordinates);

      if (json_array_get_length (polygons) == 0)
        {
          set_error (error, ctx, TSU_GEOJSON_ERROR_EMPTY, _("the MultiPolygon has no polygons"));
          return NULL;
        }
      for (guint i = 0; i < json_array_get_length (polygons); i++)
        if (!parse_polygon (json_array_get_element (polygons, i), ctx, shape, &ring_number, error))
          return NULL;
    }
  return g_steal_pointer (&shape);
}

static TsuGeoFeature *
parse_feature (JsonNode       *node,
               const Context  *ctx,
               const char     *name_property,
               GError        **error)
{
  g_autoptr(TsuGeoFeature) feature = g_new0 (TsuGeoFeature, 1);
  JsonObject *object, *properties = NULL;
  JsonNode *name_node = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node) ||
      g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (node), "type", NULL),
                 "Feature") != 0)
    {
      set_error (error, ctx, TSU_GEOJSON_ERROR_STRUCTURE, _("this is not a GeoJSON Feature"));
      return NULL;
    }
  object = json_node_get_object (node);
  feature->index = ctx->feature - 1;

  feature->shape = parse_geometry_node (json_object_get_member (object, "geometry"), ctx, error);
  if (feature->shape == NULL)
    return NULL;

  if (json_object_has_member (object, "properties") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "properties")))
    properties = json_object_get_object_member (object, "properties");
  if (properties != NULL)
    name_node = json_object_get_member (properties, name_property);
  if (name_node != NULL && JSON_NODE_HOLDS_VALUE (name_node) &&
      json_node_get_value_type (name_node) == G_TYPE_STRING)
    feature->name = g_strstrip (g_strdup (json_node_get_string (name_node)));
  if (feature->name == NULL || *feature->name == '\0')
    {
      set_error (error, ctx, TSU_GEOJSON_ERROR_NO_NAME,
                 _("there is no text property “%s” to name the district (choose another with --name-property)"),
                 name_property);
      return NULL;
    }
  return g_steal_pointer (&feature);
}

GPtrArray *
tsu_geojson_parse_boundaries (const char  *data,
                              gssize       length,
                              const char  *label,
                              const char  *name_property,
                              GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) features = g_ptr_array_new_with_free_func ((GDestroyNotify) tsu_geo_feature_free);
  g_autoptr(GError) local_error = NULL;
  Context ctx = { label, 0 };
  JsonNode *root;
  JsonObject *object;
  const char *type;

  g_return_val_if_fail (data != NULL, NULL);
  if (name_property == NULL)
    name_property = "name";

  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      set_error (error, &ctx, TSU_GEOJSON_ERROR_NOT_JSON, _("not a JSON file (%s)"), local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      set_error (error, &ctx, TSU_GEOJSON_ERROR_STRUCTURE,
                 _("not GeoJSON: expected a Feature or a FeatureCollection"));
      return NULL;
    }
  object = json_node_get_object (root);
  type = json_object_get_string_member_with_default (object, "type", NULL);

  if (g_strcmp0 (type, "Feature") == 0)
    {
      TsuGeoFeature *feature;

      ctx.feature = 1;
      feature = parse_feature (root, &ctx, name_property, error);
      if (feature == NULL)
        return NULL;
      g_ptr_array_add (features, feature);
    }
  else if (g_strcmp0 (type, "FeatureCollection") == 0)
    {
      JsonNode *list = json_object_get_member (object, "features");
      JsonArray *array;

      if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
        {
          set_error (error, &ctx, TSU_GEOJSON_ERROR_STRUCTURE, _("the FeatureCollection has no “features” array"));
          return NULL;
        }
      array = json_node_get_array (list);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          TsuGeoFeature *feature;

          ctx.feature = i + 1;
          feature = parse_feature (json_array_get_element (array, i), &ctx, name_property, error);
          if (feature == NULL)
            return NULL;
          g_ptr_array_add (features, feature);
        }
    }
  else
    {
      set_error (error, &ctx, TSU_GEOJSON_ERROR_STRUCTURE,
                 _("the top level is a “%s”, expected a Feature or a FeatureCollection"),
                 type != NULL ? type : "?");
      return NULL;
    }

  if (features->len == 0)
    {
      set_error (error, &ctx, TSU_GEOJSON_ERROR_EMPTY, _("the file holds no features"));
      return NULL;
    }
  return g_steal_pointer (&features);
}

GPtrArray *
tsu_geojson_load_boundaries (GFile         *file,
                             const char    *name_property,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *label = NULL;
  gsize length;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  label = g_file_get_parse_name (file);
  if (!g_file_load_contents (file, cancellable, &contents, &length, NULL, error))
    return NULL;
  return tsu_geojson_parse_boundaries (contents, length, label, name_property, error);
}

TsuShape *
tsu_geojson_parse_geometry (const char  *text,
                            GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  Context ctx = { "boundary", 0 };

  if (!json_parser_load_from_data (parser, text, -1, error))
    return NULL;
  return parse_geometry_node (json_parser_get_root (parser), &ctx, error);
}
