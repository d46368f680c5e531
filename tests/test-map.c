/* test-map.c: map maths, clustering, GeoJSON boundaries and the map queries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <utime.h>
#include <glib/gstdio.h>

#include "tsu-cluster.h"
#include "tsu-district-areas.h"
#include "tsu-geojson.h"
#include "tsu-geometry.h"
#include "tsu-store-map.h"
#include "tsu-store.h"
#include "tsu-tile-cache.h"

/* The real extent of Iga City. */
#define IGA_MIN_LAT 34.55
#define IGA_MAX_LAT 34.91
#define IGA_MIN_LON 136.01
#define IGA_MAX_LON 136.35

static void
test_projection (void)
{
  double x, y, lat, lon;

  tsu_mercator_project (0, 0, &x, &y);
  g_assert_cmpfloat_with_epsilon (x, 0.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (y, 0.5, 1e-12);

  tsu_mercator_project (TSU_MERCATOR_MAX_LATITUDE, -180, &x, &y);
  g_assert_cmpfloat_with_epsilon (x, 0.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (y, 0.0, 1e-9);
  /* Beyond the limit the projection clamps instead of going infinite. */
  tsu_mercator_project (-90, 180, &x, &y);
  g_assert_cmpfloat_with_epsilon (x, 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (y, 1.0, 1e-9);

  /* Iga-ueno castle lies on the zoom-12 tile x 3596, y 1625. */
  tsu_mercator_project (34.7694, 136.1289, &x, &y);
  g_assert_cmpint ((int) floor (x * 4096), ==, 3596);
  g_assert_cmpint ((int) floor (y * 4096), ==, 1625);
  tsu_mercator_unproject (x, y, &lat, &lon);
  g_assert_cmpfloat_with_epsilon (lat, 34.7694, 1e-9);
  g_assert_cmpfloat_with_epsilon (lon, 136.1289, 1e-9);

  for (int i = 0; i <= 16; i++)
    {
      double a = -80 + i * 10.0, b = -170 + i * 21.0;

      tsu_mercator_project (a, b, &x, &y);
      tsu_mercator_unproject (x, y, &lat, &lon);
      g_assert_cmpfloat_with_epsilon (lat, a, 1e-9);
      g_assert_cmpfloat_with_epsilon (lon, b, 1e-9);
    }

  g_assert_cmpfloat (tsu_mercator_world_size (0), ==, 256);
  g_assert_cmpfloat (tsu_mercator_world_size (3), ==, 2048);
}

static void
test_fit_zoom (void)
{
  TsuBBox box;
  double x0, y0, x1, y1, zoom;

  tsu_mercator_project (IGA_MAX_LAT, IGA_MIN_LON, &x0, &y0);
  tsu_mercator_project (IGA_MIN_LAT, IGA_MAX_LON, &x1, &y1);
  tsu_bbox_init_empty (&box);
  g_assert_true (tsu_bbox_is_empty (&box));
  tsu_bbox_extend (&box, x0, y0);
  tsu_bbox_extend (&box, x1, y1);
  g_assert_false (tsu_bbox_is_empty (&box));

  zoom = tsu_mercator_fit_zoom (&box, 1000, 700, 2, 19);
  /* The box must fit at that zoom and not at one step more. */
  g_assert_cmpfloat ((x1 - x0) * tsu_mercator_world_size (zoom), <=, 1000.001);
  g_assert_cmpfloat ((y1 - y0) * tsu_mercator_world_size (zoom), <=, 700.001);
  g_assert_cmpfloat ((x1 - x0) * tsu_mercator_world_size (zoom + 1), >, 1000);
  g_assert_cmpfloat (zoom, >, 10);
  g_assert_cmpfloat (zoom, <, 12);

  /* A single point: the most detailed zoom allowed. */
  tsu_bbox_init_empty (&box);
  tsu_bbox_extend (&box, x0, y0);
  g_assert_cmpfloat (tsu_mercator_fit_zoom (&box, 1000, 700, 2, 17), ==, 17);
}

static GArray *
ring_from (const double *xy,
           guint         n)
{
  GArray *ring = g_array_new (FALSE, FALSE, sizeof (TsuPoint));

  for (guint i = 0; i < n; i++)
    {
      TsuPoint p = { xy[2 * i], xy[2 * i + 1] };
      g_array_append_val (ring, p);
    }
  return ring;
}

static void
test_rings (void)
{
  const double square[] = { 0, 0, 10, 0, 10, 10, 0, 10, 0, 0 };
  const double bowtie[] = { 0, 0, 10, 10, 10, 0, 0, 10, 0, 0 };
  /* A U shape: the centroid falls into the notch. */
  const double u[] = { 0, 0, 10, 0, 10, 10, 8, 10, 8, 2, 2, 2, 2, 10, 0, 10, 0, 0 };
  const double hole[] = { 3, 3, 7, 3, 7, 7, 3, 7, 3, 3 };
  g_autoptr(GArray) sq = ring_from (square, 5);
  g_autoptr(GArray) bt = ring_from (bowtie, 5);
  g_autoptr(TsuShape) shape = tsu_shape_new ();
  g_autoptr(TsuShape) ushape = tsu_shape_new ();
  g_autoptr(TsuShape) copy = NULL;
  g_autofree char *geojson = NULL;
  g_autoptr(TsuShape) parsed = NULL;
  g_autoptr(GError) error = NULL;
  TsuBBox box;
  double lon, lat;
  guint a = 0, b = 0;

  g_assert_cmpfloat (tsu_ring_signed_area ((TsuPoint *) sq->data, sq->len), ==, 100);
  g_assert_true (tsu_ring_contains ((TsuPoint *) sq->data, sq->len, 5, 5));
  g_assert_true (tsu_ring_contains ((TsuPoint *) sq->data, sq->len, 0.001, 9.999));
  g_assert_false (tsu_ring_contains ((TsuPoint *) sq->data, sq->len, -0.001, 5));
  g_assert_false (tsu_ring_contains ((TsuPoint *) sq->data, sq->len, 5, 10.5));
  g_assert_false (tsu_ring_self_intersects ((TsuPoint *) sq->data, sq->len, NULL, NULL));
  g_assert_true (tsu_ring_self_intersects ((TsuPoint *) bt->data, bt->len, &a, &b));
  g_assert_cmpuint (a, ==, 0);
  g_assert_cmpuint (b, ==, 2);

  tsu_shape_add_ring (shape, TRUE, ring_from (square, 5));
  tsu_shape_add_ring (shape, FALSE, ring_from (hole, 5));
  g_assert_true (tsu_shape_contains (shape, 1, 1));
  g_assert_false (tsu_shape_contains (shape, 5, 5));   /* in the hole */
  g_assert_false (tsu_shape_contains (shape, 11, 5));
  g_assert_cmpuint (tsu_shape_get_n_polygons (shape), ==, 1);
  box = tsu_shape_get_bbox (shape);
  g_assert_cmpfloat (box.min_x, ==, 0);
  g_assert_cmpfloat (box.max_y, ==, 10);
  g_assert_true (tsu_bbox_contains (&box, 10, 10));
  tsu_shape_get_label_point (shape, &lon, &lat);
  g_assert_true (tsu_shape_contains (shape, lon, lat));

  tsu_shape_add_ring (ushape, TRUE, ring_from (u, 9));
  tsu_shape_get_label_point (ushape, &lon, &lat);
  g_assert_true (tsu_shape_contains (ushape, lon, lat));

  /* Round trip through the stored GeoJSON text, as a MultiPolygon. */
  copy = tsu_shape_copy (shape);
  tsu_shape_add_ring (copy, TRUE, ring_from ((double[]) { 20, 20, 21, 20, 21, 21, 20, 20 }, 4));
  geojson = tsu_shape_to_geojson (copy);
  g_assert_true (g_str_has_prefix (geojson, "{\"type\":\"MultiPolygon\""));
  parsed = tsu_geojson_parse_geometry (geojson, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tsu_shape_get_n_polygons (parsed), ==, 2);
  g_assert_cmpuint (tsu_shape_get_n_rings (parsed), ==, 3);
  g_assert_true (tsu_shape_contains (parsed, 20.8, 20.5));
  g_assert_false (tsu_shape_contains (parsed, 5, 5));
}

/* Random points over Iga, some on top of each other, some on the world's
 * edge. */
static void
make_points (guint    n,
             double **xs,
             double **ys,
             guint8 **classes)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);

  *xs = g_new (double, n);
  *ys = g_new (double, n);
  *classes = g_new (guint8, n);
  for (guint i = 0; i < n; i++)
    {
      if (i % 97 == 0 && i > 0)
        {
          (*xs)[i] = (*xs)[i - 1];
          (*ys)[i] = (*ys)[i - 1];
        }
      else if (i == 1)
        {
          (*xs)[i] = 1.0;
          (*ys)[i] = 1.0;
        }
      else
        tsu_mercator_project (g_rand_double_range (rand, IGA_MIN_LAT, IGA_MAX_LAT),
                              g_rand_double_range (rand, IGA_MIN_LON, IGA_MAX_LON),
                              &(*xs)[i], &(*ys)[i]);
      (*classes)[i] = g_rand_int_range (rand, 0, TSU_MAP_N_CLASSES);
    }
}

static void
test_cluster_invariants (void)
{
  const guint n = 20000;
  g_autofree double *xs = NULL;
  g_autofree double *ys = NULL;
  g_autofree guint8 *classes = NULL;
  g_autofree guint8 *seen = g_new (guint8, n);

  make_points (n, &xs, &ys, &classes);

  for (int zoom = 0; zoom <= 20; zoom++)
    {
      g_autoptr(TsuClusterLevel) level = tsu_cluster_level_build (xs, ys, classes, n, zoom, 48);
      const TsuCluster *clusters;
      guint n_clusters, total = 0;
      guint class_totals[TSU_CLUSTER_N_CLASSES] = { 0 };
      double world = tsu_mercator_world_size (zoom);

      memset (seen, 0, n);
      clusters = tsu_cluster_level_get_clusters (level, &n_clusters);
      g_assert_cmpint (tsu_cluster_level_get_zoom (level), ==, zoom);
      g_assert_cmpuint (n_clusters, >, 0);
      for (guint c = 0; c < n_clusters; c++)
        {
          guint n_members, class_sum = 0;
          const guint *members = tsu_cluster_level_get_members (level, c, &n_members);

          g_assert_cmpuint (n_members, ==, clusters[c].count);
          g_assert_cmpuint (n_members, >, 0);
          if (c > 0)
            g_assert_cmpuint (clusters[c - 1].cell, <, clusters[c].cell);
          for (guint k = 0; k < TSU_CLUSTER_N_CLASSES; k++)
            {
              class_sum += clusters[c].class_counts[k];
              class_totals[k] += clusters[c].class_counts[k];
            }
          g_assert_cmpuint (class_sum, ==, n_members);
          for (guint m = 0; m < n_members; m++)
            {
              guint p = members[m];

              g_assert_cmpuint (p, <, n);
              g_assert_cmpuint (seen[p], ==, 0);
              seen[p] = 1;
              /* Every member is within one cell of the cluster's centre. */
              g_assert_cmpfloat (fabs (xs[p] - clusters[c].x) * world, <=, 48.0001);
              g_assert_cmpfloat (fabs (ys[p] - clusters[c].y) * world, <=, 48.0001);
            }
          total += n_members;
          /* A click on a cluster's centre finds that cluster. */
          if (c % 37 == 0)
            g_assert_cmpint (tsu_cluster_level_hit (level, clusters[c].x, clusters[c].y, 4), ==, (int) c);
        }
      g_assert_cmpuint (total, ==, n);
      for (guint p = 0; p < n; p++)
        g_assert_cmpuint (seen[p], ==, 1);
      for (guint k = 0; k < TSU_CLUSTER_N_CLASSES; k++)
        {
          guint expected = 0;

          for (guint p = 0; p < n; p++)
            expected += classes[p] == k;
          g_assert_cmpuint (class_totals[k], ==, expected);
        }
      /* Far from every point: no hit. */
      g_assert_cmpint (tsu_cluster_level_hit (level, 0.1, 0.1, 10), ==, -1);
      if (zoom == 0)
        /* Everything over Iga is one cell at zoom 0 (besides the edge point). */
        g_assert_cmpuint (n_clusters, ==, 2);
    }
}

static void
test_cluster_empty (void)
{
  g_autoptr(TsuClusterLevel) level = tsu_cluster_level_build (NULL, NULL, NULL, 0, 10, 48);
  guint n;

  tsu_cluster_level_get_clusters (level, &n);
  g_assert_cmpuint (n, ==, 0);
  g_assert_cmpint (tsu_cluster_level_hit (level, 0.5, 0.5, 100), ==, -1);
}

static void
test_nearest_point (void)
{
  double xs[3], ys[3];
  double world = tsu_mercator_world_size (16);

  tsu_mercator_project (34.77, 136.13, &xs[0], &ys[0]);
  xs[1] = xs[0] + 10 / world;   /* 10 px to the right at zoom 16 */
  ys[1] = ys[0];
  xs[2] = xs[0];
  ys[2] = ys[0] + 30 / world;

  g_assert_cmpint (tsu_nearest_point (xs, ys, 3, xs[0] + 2 / world, ys[0], 16, 6), ==, 0);
  g_assert_cmpint (tsu_nearest_point (xs, ys, 3, xs[0] + 7 / world, ys[0], 16, 6), ==, 1);
  g_assert_cmpint (tsu_nearest_point (xs, ys, 3, xs[0], ys[0] + 20 / world, 16, 6), ==, -1);
  g_assert_cmpint (tsu_nearest_point (xs, ys, 3, xs[0], ys[0] + 20 / world, 16, 12), ==, 2);
  /* At zoom 12 the three are within a pixel or two of each other. */
  g_assert_cmpint (tsu_nearest_point (xs, ys, 3, xs[0], ys[0], 12, 6), ==, 0);
}

/* Store fixture */

typedef struct
{
  char     *dir;
  TsuStore *store;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("tsu-test-map-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "test.db", NULL);
  fixture->store = tsu_store_open (path, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&fixture->store);
  dir = g_dir_open (fixture->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

static char *
create (TsuStore   *store,
        const char *table,
        const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_autoptr(GError) error = NULL;
  char *id;

  g_assert_nonnull (node);
  id = tsu_store_create (store, table, json_node_get_object (node), &error);
  g_assert_no_error (error);
  return id;
}

static char *
write_file (Fixture    *fixture,
            const char *name,
            const char *contents)
{
  char *path = g_build_filename (fixture->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

#define SQUARE "[[[136.10,34.70],[136.20,34.70],[136.20,34.80],[136.10,34.80],[136.10,34.70]]]"
#define GOOD_FEATURE "{\"type\":\"Feature\",\"properties\":{\"name\":\"上野西部\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":" SQUARE "}}"

static const struct
{
  const char *name;
  const char *contents;
  int         code;
  const char *mentions;   /* in the message besides the file name */
} bad_files[] = {
  { "not-json.geojson", "this is { not JSON", TSU_GEOJSON_ERROR_NOT_JSON, NULL },
  { "array.geojson", "[1, 2, 3]", TSU_GEOJSON_ERROR_STRUCTURE, NULL },
  { "geometry-collection.geojson", "{\"type\":\"GeometryCollection\",\"geometries\":[]}",
    TSU_GEOJSON_ERROR_STRUCTURE, "GeometryCollection" },
  { "no-features.geojson", "{\"type\":\"FeatureCollection\",\"features\":[]}", TSU_GEOJSON_ERROR_EMPTY, NULL },
  { "point.geojson", "{\"type\":\"FeatureCollection\",\"features\":[" GOOD_FEATURE ",{\"type\":\"Feature\","
    "\"properties\":{\"name\":\"上野東部\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[136.1,34.7]}}]}",
    TSU_GEOJSON_ERROR_GEOMETRY_TYPE, "2" },
  { "linestring.geojson", "{\"type\":\"Feature\",\"properties\":{\"name\":\"上野西部\"},\"geometry\":"
    "{\"type\":\"LineString\",\"coordinates\":[[136.1,34.7],[136.2,34.8]]}}", TSU_GEOJSON_ERROR_GEOMETRY_TYPE, "LineString" },
  { "self-intersecting.geojson", "{\"type\":\"FeatureCollection\",\"features\":[" GOOD_FEATURE ",{\"type\":\"Feature\","
    "\"properties\":{\"name\":\"上野東部\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
    "[[[136.1,34.7],[136.2,34.8],[136.2,34.7],[136.1,34.8],[136.1,34.7]]]}}]}",
    TSU_GEOJSON_ERROR_SELF_INTERSECTING, "2" },
  { "empty-polygon.geojson", "{\"type\":\"Feature\",\"properties\":{\"name\":\"上野西部\"},\"geometry\":"
    "{\"type\":\"Polygon\",\"coordinates\":[]}}", TSU_GEOJSON_ERROR_EMPTY, NULL },
  { "empty-ring.geojson", "{\"type\":\"Feature\",\"properties\":{\"name\":\"上野西部\"},\"geometry\":"
    "{\"type\":\"Polygon\",\"coordinates\":[[]]}}", TSU_GEOJSON_ERROR_EMPTY, NULL },
  { "flat-ring.geojson", "{\"type\":\"Feature\",\"properties\":{\"name\":\"上野西部\"},\"geometry\":"
    "{\"type\":\"Polygon\",\"coordinates\":[[[136.1,34.7],[136.2,34.7],[136.3,34.7],[136.1,34.7]]]}}",
    TSU_GEOJSON_ERROR_EMPTY, NULL },
  { "empty-multipolygon.geojson", "{\"type\":\"Feature\",\"properties\":{\"name\":\"上野西部\"},\"geometry\":"
    "{\"type\":\"MultiPolygon\",\"coordinates\":[]}}", TSU_GEOJSON_ERROR_EMPTY, NULL },
  { "out-of-range.geojson", "{\"type\":\"Feature\",\"properties\":{\"name\":\"上野西部\"},\"geometry\":"
    "{\"type\":\"Polygon\",\"coordinates\":[[[136.1,34.7],[236.2,34.7],[136.2,34.8],[136.1,34.7]]]}}",
    TSU_GEOJSON_ERROR_OUT_OF_RANGE, "236.2" },
  { "swapped.geojson", "{\"type\":\"Feature\",\"properties\":{\"name\":\"上野西部\"},\"geometry\":"
    "{\"type\":\"Polygon\",\"coordinates\":[[[34.7,136.1],[34.7,136.2],[34.8,136.2],[34.7,136.1]]]}}",
    TSU_GEOJSON_ERROR_OUT_OF_RANGE, "136.1" },
  { "text-coordinate.geojson", "{\"type\":\"Feature\",\"properties\":{\"name\":\"上野西部\"},\"geometry\":"
    "{\"type\":\"Polygon\",\"coordinates\":[[[\"136.1\",34.7],[136.2,34.7],[136.2,34.8],[136.1,34.7]]]}}",
    TSU_GEOJSON_ERROR_STRUCTURE, NULL },
  { "no-name.geojson", "{\"type\":\"Feature\",\"properties\":{\"title\":\"上野西部\"},\"geometry\":"
    "{\"type\":\"Polygon\",\"coordinates\":" SQUARE "}}", TSU_GEOJSON_ERROR_NO_NAME, "name" },
};

static void
test_geojson_bad_files (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *west = create (fixture->store, "district", "{\"name\":\"上野西部\"}");
  g_autofree char *east = create (fixture->store, "district", "{\"name\":\"上野東部\"}");
  guint west_ops = tsu_store_count_oplog (fixture->store, west);
  guint east_ops = tsu_store_count_oplog (fixture->store, east);

  g_assert_cmpuint (west_ops, ==, 1);

  for (guint i = 0; i < G_N_ELEMENTS (bad_files); i++)
    {
      g_autofree char *path = write_file (fixture, bad_files[i].name, bad_files[i].contents);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GPtrArray) features = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) record = NULL;

      g_test_message ("%s", bad_files[i].name);
      features = tsu_geojson_load_boundaries (file, NULL, NULL, &error);
      g_assert_null (features);
      g_assert_error (error, TSU_GEOJSON_ERROR, bad_files[i].code);
      g_assert_nonnull (strstr (error->message, bad_files[i].name));
      if (bad_files[i].mentions != NULL)
        g_assert_nonnull (strstr (error->message, bad_files[i].mentions));

      record = tsu_store_get_record (fixture->store, "district", west, NULL);
      g_assert_true (json_object_get_null_member (record, "boundary"));
    }

  /* A valid file naming a district that does not exist: refused whole,
   * the matching feature before it is not written either. */
  {
    g_autofree char *path = write_file (fixture, "unknown.geojson",
                                        "{\"type\":\"FeatureCollection\",\"features\":[" GOOD_FEATURE ","
                                        "{\"type\":\"Feature\",\"properties\":{\"name\":\"どこでもない\"},"
                                        "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":" SQUARE "}}]}");
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autoptr(GPtrArray) features = tsu_geojson_load_boundaries (file, NULL, NULL, NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonObject) record = NULL;

    g_assert_nonnull (features);
    g_assert_cmpuint (features->len, ==, 2);
    g_assert_false (tsu_store_import_boundaries (fixture->store, features, "unknown.geojson", FALSE, NULL, &error));
    g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_NOT_FOUND);
    g_assert_nonnull (strstr (error->message, "どこでもない"));
    g_assert_nonnull (strstr (error->message, "unknown.geojson"));
    record = tsu_store_get_record (fixture->store, "district", west, NULL);
    g_assert_true (json_object_get_null_member (record, "boundary"));
  }

  /* Not a single operation was logged for either district. */
  g_assert_cmpuint (tsu_store_count_oplog (fixture->store, west), ==, west_ops);
  g_assert_cmpuint (tsu_store_count_oplog (fixture->store, east), ==, east_ops);
}

static void
test_geojson_import (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *west = create (fixture->store, "district", "{\"name\":\"上野西部\",\"full_name\":\"上野西部地区住民自治協議会\"}");
  g_autofree char *path = write_file (fixture, "good.geojson",
                                      "{\"type\":\"FeatureCollection\",\"features\":["
                                      "{\"type\":\"Feature\",\"properties\":{\"N\":\"上野西部地区住民自治協議会\"},"
                                      "\"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":[" SQUARE "]}}]}");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GPtrArray) features = NULL;
  g_autoptr(GPtrArray) districts = NULL;
  g_autoptr(GError) error = NULL;
  TsuMapDistrict *district;
  guint n = 0;

  features = tsu_geojson_load_boundaries (file, "N", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (tsu_store_import_boundaries (fixture->store, features, path, FALSE, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 1);

  districts = tsu_store_list_map_districts (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (districts->len, ==, 1);
  district = g_ptr_array_index (districts, 0);
  g_assert_cmpstr (district->id, ==, west);
  g_assert_nonnull (district->boundary);
  g_assert_true (tsu_shape_contains (district->boundary, 136.15, 34.75));
  g_assert_false (tsu_shape_contains (district->boundary, 136.25, 34.75));
  /* The centre was missing, so the import set it inside the shape. */
  g_assert_cmpfloat_with_epsilon (district->lat, 34.75, 1e-6);
  g_assert_cmpfloat_with_epsilon (district->lon, 136.15, 1e-6);
}

static void
test_geojson_real_city (Fixture       *fixture,
                        gconstpointer  data)
{
  const char *shared = g_getenv ("TSU_SHARED_DATA");
  g_autofree char *boundary_path = NULL;
  g_autofree char *towns_path = NULL;
  g_autofree char *towns_text = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GPtrArray) features = NULL;
  g_autoptr(GPtrArray) districts = NULL;
  g_autoptr(JsonNode) towns = NULL;
  g_autoptr(GError) error = NULL;
  TsuMapDistrict *city;
  JsonArray *array;
  guint n = 0;

  if (shared == NULL)
    {
      g_test_skip ("TSU_SHARED_DATA is not set");
      return;
    }
  boundary_path = g_build_filename (shared, "iga-city-boundary.geojson", NULL);
  towns_path = g_build_filename (shared, "iga-towns.json", NULL);
  if (!g_file_test (boundary_path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("the shared data is not available");
      return;
    }

  file = g_file_new_for_path (boundary_path);
  features = tsu_geojson_load_boundaries (file, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (features->len, ==, 1);
  g_assert_cmpstr (((TsuGeoFeature *) g_ptr_array_index (features, 0))->name, ==, "伊賀市");

  /* The city is not a district yet: --create-missing makes it one. */
  g_assert_true (tsu_store_import_boundaries (fixture->store, features, boundary_path, TRUE, &n, &error));
  g_assert_no_error (error);
  districts = tsu_store_list_map_districts (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (districts->len, ==, 1);
  city = g_ptr_array_index (districts, 0);
  g_assert_nonnull (city->boundary);
  g_assert_cmpuint (tsu_shape_get_n_rings (city->boundary), ==, 1);
  g_assert_true (tsu_shape_contains (city->boundary, city->lon, city->lat));

  g_file_get_contents (towns_path, &towns_text, NULL, &error);
  g_assert_no_error (error);
  towns = json_from_string (towns_text, &error);
  g_assert_no_error (error);
  array = json_node_get_array (towns);
  g_assert_cmpuint (json_array_get_length (array), >, 200);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *town = json_array_get_object_element (array, i);

      g_assert_true (tsu_shape_contains (city->boundary,
                                         json_object_get_double_member (town, "lng"),
                                         json_object_get_double_member (town, "lat")));
    }
  /* Neighbours are outside: Nabari, Nara, Tsu, Koka. */
  g_assert_false (tsu_shape_contains (city->boundary, 136.1087, 34.6277));
  g_assert_false (tsu_shape_contains (city->boundary, 135.8048, 34.6851));
  g_assert_false (tsu_shape_contains (city->boundary, 136.5086, 34.7185));
  g_assert_false (tsu_shape_contains (city->boundary, 136.1664, 34.9664));
}

static void
test_map_points_status (Fixture       *fixture,
                        gconstpointer  data)
{
  TsuStore *store = fixture->store;
  g_autofree char *d = create (store, "district", "{\"name\":\"上野西部\"}");
  g_autofree char *json = NULL;
  g_autofree char *normal = NULL, *overdue_visit = NULL, *never = NULL, *overdue_fu = NULL;
  g_autofree char *soon = NULL, *flagged = NULL, *consent = NULL, *refused = NULL, *moved = NULL;
  g_autofree char *unplaced = NULL, *done_fu = NULL;
  g_autoptr(TsuMapPoints) points = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *v = NULL;

#define HH(extra) g_strdup_printf ("{\"district_id\":\"%s\",\"address\":\"伊賀市上野丸之内1\",\"lat\":34.77,\"lon\":136.13," \
                                   "\"consent\":\"yes\",\"flags\":0%s}", d, extra)
  json = HH (""); normal = create (store, "household", json); g_clear_pointer (&json, g_free);
  json = HH (",\"visit_interval_days\":30"); overdue_visit = create (store, "household", json); g_clear_pointer (&json, g_free);
  json = HH (",\"visit_interval_days\":30"); never = create (store, "household", json); g_clear_pointer (&json, g_free);
  json = HH (""); overdue_fu = create (store, "household", json); g_clear_pointer (&json, g_free);
  json = HH (""); soon = create (store, "household", json); g_clear_pointer (&json, g_free);
  json = HH (""); done_fu = create (store, "household", json); g_clear_pointer (&json, g_free);
  json = g_strdup_printf ("{\"district_id\":\"%s\",\"address\":\"x\",\"lat\":34.7,\"lon\":136.1,\"consent\":\"yes\",\"flags\":5}", d);
  flagged = create (store, "household", json); g_clear_pointer (&json, g_free);
  json = g_strdup_printf ("{\"address\":\"x\",\"lat\":34.7,\"lon\":136.1,\"consent\":\"unknown\"}");
  consent = create (store, "household", json); g_clear_pointer (&json, g_free);
  json = g_strdup_printf ("{\"address\":\"x\",\"lat\":34.7,\"lon\":136.1,\"consent\":\"no\"}");
  refused = create (store, "household", json); g_clear_pointer (&json, g_free);
  json = HH (",\"status\":\"moved\""); moved = create (store, "household", json); g_clear_pointer (&json, g_free);
  json = g_strdup_printf ("{\"address\":\"x\",\"consent\":\"yes\"}");
  unplaced = create (store, "household", json); g_clear_pointer (&json, g_free);
#undef HH

#define MAKE(table, fmt, ...) json = g_strdup_printf (fmt, __VA_ARGS__); g_free (v); v = create (store, table, json); g_clear_pointer (&json, g_free);
  MAKE ("visit", "{\"household_id\":\"%s\",\"visited_at\":\"2026-11-01T10:00:00+09:00\",\"contact_type\":\"visit\",\"outcome\":\"met\"}", normal);
  MAKE ("visit", "{\"household_id\":\"%s\",\"visited_at\":\"2026-09-01T10:00:00+09:00\",\"contact_type\":\"visit\",\"outcome\":\"met\"}", overdue_visit);
  MAKE ("visit", "{\"household_id\":\"%s\",\"visited_at\":\"2026-11-10T10:00:00+09:00\",\"contact_type\":\"visit\",\"outcome\":\"met\"}", overdue_visit);
  MAKE ("followup", "{\"household_id\":\"%s\",\"due_date\":\"2026-11-19\"}", overdue_fu);
  MAKE ("followup", "{\"household_id\":\"%s\",\"due_date\":\"2026-11-26\"}", soon);
  MAKE ("followup", "{\"household_id\":\"%s\",\"due_date\":\"2026-12-26\"}", soon);
  MAKE ("followup", "{\"household_id\":\"%s\",\"due_date\":\"2026-11-01\",\"done_date\":\"2026-11-02\"}", done_fu);
#undef MAKE

  /* 2026-11-20: the overdue_visit household was last seen on 11-10, so
   * it is not overdue; on 12-20 it is. */
  points = tsu_store_load_map_points (store, "2026-11-20", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (points->n, ==, 9);
  g_assert_cmpuint (points->n_without_location, ==, 1);
  g_assert_cmpint (tsu_map_points_find (points, moved), ==, -1);
  g_assert_cmpint (tsu_map_points_find (points, unplaced), ==, -1);

#define STATUS(id) points->status[tsu_map_points_find (points, id)]
  g_assert_cmpuint (STATUS (normal), ==, 0);
  g_assert_cmpuint (STATUS (overdue_visit), ==, 0);
  g_assert_cmpuint (STATUS (never), ==, TSU_MAP_STATUS_OVERDUE);
  g_assert_cmpuint (STATUS (overdue_fu), ==, TSU_MAP_STATUS_OVERDUE);
  g_assert_cmpuint (STATUS (soon), ==, TSU_MAP_STATUS_FOLLOW_UP_SOON);
  g_assert_cmpuint (STATUS (done_fu), ==, 0);
  g_assert_cmpuint (STATUS (flagged), ==, TSU_MAP_STATUS_FLAGGED);
  g_assert_cmpuint (STATUS (consent), ==, TSU_MAP_STATUS_CONSENT_MISSING);
  g_assert_cmpuint (STATUS (refused), ==, 0);
  g_assert_cmpstr (points->last_visits[tsu_map_points_find (points, overdue_visit)], ==, "2026-11-10T10:00:00+09:00");
  g_assert_null (points->last_visits[tsu_map_points_find (points, never)]);
  g_assert_cmpstr (points->district_ids[tsu_map_points_find (points, normal)], ==, d);
  g_assert_true (points->district_ids[tsu_map_points_find (points, normal)] ==
                 points->district_ids[tsu_map_points_find (points, never)]);
  g_assert_null (points->district_ids[tsu_map_points_find (points, consent)]);
  g_assert_cmpuint (tsu_map_status_class (STATUS (never)), ==, 0);
  g_assert_cmpuint (tsu_map_status_class (TSU_MAP_STATUS_FLAGGED | TSU_MAP_STATUS_CONSENT_MISSING), ==, 2);
  g_assert_cmpuint (tsu_map_status_class (0), ==, TSU_MAP_N_CLASSES - 1);
  tsu_map_points_unref (g_steal_pointer (&points));

  points = tsu_store_load_map_points (store, "2026-12-20", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (STATUS (overdue_visit), ==, TSU_MAP_STATUS_OVERDUE);
  /* The first follow-up is overdue by then, the second due within a week. */
  g_assert_cmpuint (STATUS (soon), ==, TSU_MAP_STATUS_OVERDUE | TSU_MAP_STATUS_FOLLOW_UP_SOON);
#undef STATUS
}

static void
on_points_loaded_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  TsuMapPoints **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = tsu_store_load_map_points_finish (TSU_STORE (source), result, &error);
  g_assert_no_error (error);
}

static void
on_located_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (tsu_store_set_household_location_finish (TSU_STORE (source), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static void
test_map_points_async (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *id = create (fixture->store, "household", "{\"address\":\"伊賀市阿保1\"}");
  g_autoptr(TsuMapPoints) points = NULL;
  gboolean done = FALSE;

  tsu_store_load_map_points_async (fixture->store, NULL, NULL, on_points_loaded_cb, &points);
  while (points == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (points->n, ==, 0);
  g_assert_cmpuint (points->n_without_location, ==, 1);
  tsu_map_points_unref (g_steal_pointer (&points));

  tsu_store_set_household_location_async (fixture->store, id, 34.66631, 136.178221, NULL, on_located_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  tsu_store_load_map_points_async (fixture->store, NULL, NULL, on_points_loaded_cb, &points);
  while (points == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (points->n, ==, 1);
  g_assert_cmpfloat (points->lat[0], ==, 34.66631);
  g_assert_cmpstr (points->addresses[0], ==, "伊賀市阿保1");
}

/* Tile cache trimming */

static void
write_sized_file (const char *path,
                  gsize       size,
                  gint64      modified)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *data = g_malloc0 (size);
  struct utimbuf times = { (time_t) modified, (time_t) modified };
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, data, (gssize) size, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_utime (path, &times), ==, 0);
}

static void
on_trimmed_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  guint64 *removed = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (tsu_tile_cache_trim_finish (result, removed, &error));
  g_assert_no_error (error);
}

static void
test_tile_cache_trim (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tsu-test-tiles-XXXXXX", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing", NULL);
  g_autofree char *index = g_build_filename (dir, "cache.db", NULL);
  g_autoptr(GError) error = NULL;
  guint64 removed = 1;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  /* Ten tiles of 1,000 bytes in two sources, fetched one minute apart
   * (tile i is the i-th oldest), and the cache's own index. */
  write_sized_file (index, 5000, now);
  for (int i = 0; i < 10; i++)
    {
      g_autofree char *name = g_strdup_printf ("%d.png", i);
      g_autofree char *path = g_build_filename (dir, i % 2 ? "gsi-pale" : "osm-mapnik", "14", "100", name, NULL);

      write_sized_file (path, 1000, now - 600 + i * 60);
    }

  /* Under the limit: nothing goes. */
  g_assert_true (tsu_tile_cache_trim (dir, 10000, &removed, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (removed, ==, 0);

  /* Over it: the oldest go until the tiles take at most 80 % of it
   * (4,800 bytes of a 6,000 byte limit: six tiles go); the index stays. */
  g_assert_true (tsu_tile_cache_trim (dir, 6000, &removed, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (removed, ==, 6000);
  for (int i = 0; i < 10; i++)
    {
      g_autofree char *name = g_strdup_printf ("%d.png", i);
      g_autofree char *path = g_build_filename (dir, i % 2 ? "gsi-pale" : "osm-mapnik", "14", "100", name, NULL);

      g_assert_cmpint (g_file_test (path, G_FILE_TEST_EXISTS), ==, i >= 6);
    }
  g_assert_true (g_file_test (index, G_FILE_TEST_EXISTS));

  /* In a worker, as the app runs it: the rest goes under a tiny limit. */
  removed = 0;
  tsu_tile_cache_trim_async (dir, 1000, NULL, on_trimmed_cb, &removed);
  while (removed == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (removed, ==, 4000);

  /* No cache yet: nothing to do, no error. */
  g_assert_true (tsu_tile_cache_trim (missing, 1, &removed, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (removed, ==, 0);

  g_unlink (index);
  for (int i = 0; i < 2; i++)
    {
      g_autofree char *source = g_build_filename (dir, i ? "gsi-pale" : "osm-mapnik", NULL);
      g_autofree char *zoom = g_build_filename (source, "14", NULL);
      g_autofree char *column = g_build_filename (zoom, "100", NULL);

      g_rmdir (column);
      g_rmdir (zoom);
      g_rmdir (source);
    }
  g_rmdir (dir);
}

/* Every ring of @shape is valid GeoJSON as the store reads it back. */
static void
assert_valid_geojson (const TsuShape *shape)
{
  g_autofree char *text = tsu_shape_to_geojson (shape);
  g_autoptr(GError) error = NULL;
  g_autoptr(TsuShape) read = tsu_geojson_parse_geometry (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (read);
  g_assert_cmpuint (tsu_shape_get_n_rings (read), ==, tsu_shape_get_n_rings (shape));
}

/* Districts known by points get areas that hold their own points and
 * not the others', holes where another district lies inside, nothing far
 * from every point, and rings the GeoJSON reader accepts. */
static void
test_district_areas (void)
{
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (TsuDistrictPoint));
  g_autoptr(GPtrArray) areas = NULL;
  const double lat0 = 34.77, lon0 = 136.13;
  const double m_lat = 1 / 111320.0, m_lon = 1 / (111320.0 * cos (lat0 * G_PI / 180));

  /* District 0: a point in the middle, and one far to the north. */
  g_array_append_val (points, ((TsuDistrictPoint) { lat0, lon0, 0 }));
  g_array_append_val (points, ((TsuDistrictPoint) { lat0 + 6000 * m_lat, lon0, 0 }));
  /* District 1: a ring of points 1 km around district 0's middle. */
  for (int k = 0; k < 12; k++)
    {
      double a = k * G_PI / 6;
      g_array_append_val (points, ((TsuDistrictPoint) { lat0 + 1000 * sin (a) * m_lat,
                                                         lon0 + 1000 * cos (a) * m_lon, 1 }));
    }
  /* District 2: 4 km to the east. */
  g_array_append_val (points, ((TsuDistrictPoint) { lat0, lon0 + 4000 * m_lon, 2 }));

  areas = tsu_district_areas_from_points ((TsuDistrictPoint *) points->data, points->len, 4, 100, 900);
  g_assert_cmpuint (areas->len, ==, 4);
  /* District 3 has no points. */
  g_assert_null (g_ptr_array_index (areas, 3));

  for (guint i = 0; i < points->len; i++)
    {
      const TsuDistrictPoint *p = &g_array_index (points, TsuDistrictPoint, i);

      for (guint d = 0; d < 3; d++)
        g_assert_true (tsu_shape_contains (g_ptr_array_index (areas, d), p->longitude, p->latitude) ==
                       (p->district == d));
    }
  /* District 0: the middle and the northern island; district 1 around
   * the middle, with a hole for it. */
  g_assert_cmpuint (tsu_shape_get_n_polygons (g_ptr_array_index (areas, 0)), ==, 2);
  g_assert_cmpuint (tsu_shape_get_n_polygons (g_ptr_array_index (areas, 1)), ==, 1);
  g_assert_cmpuint (tsu_shape_get_n_rings (g_ptr_array_index (areas, 1)), ==, 2);
  /* Nobody's: between the island and the ring, and far away. */
  for (guint d = 0; d < 3; d++)
    {
      g_assert_false (tsu_shape_contains (g_ptr_array_index (areas, d), lon0, lat0 + 3500 * m_lat));
      g_assert_false (tsu_shape_contains (g_ptr_array_index (areas, d), lon0 - 5000 * m_lon, lat0));
    }
  for (guint d = 0; d < 3; d++)
    {
      const TsuShape *shape = g_ptr_array_index (areas, d);

      for (guint r = 0; r < tsu_shape_get_n_rings (shape); r++)
        {
          guint n;
          const TsuPoint *ring = tsu_shape_get_ring (shape, r, &n, NULL);

          g_assert_false (tsu_ring_self_intersects (ring, n, NULL, NULL));
        }
      assert_valid_geojson (shape);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/map/projection", test_projection);
  g_test_add_func ("/map/fit-zoom", test_fit_zoom);
  g_test_add_func ("/map/rings", test_rings);
  g_test_add_func ("/map/district-areas", test_district_areas);
  g_test_add_func ("/map/cluster/invariants", test_cluster_invariants);
  g_test_add_func ("/map/cluster/empty", test_cluster_empty);
  g_test_add_func ("/map/nearest-point", test_nearest_point);
  g_test_add_func ("/map/tile-cache/trim", test_tile_cache_trim);
  g_test_add ("/map/geojson/bad-files", Fixture, NULL, fixture_setup, test_geojson_bad_files, fixture_teardown);
  g_test_add ("/map/geojson/import", Fixture, NULL, fixture_setup, test_geojson_import, fixture_teardown);
  g_test_add ("/map/geojson/real-city", Fixture, NULL, fixture_setup, test_geojson_real_city, fixture_teardown);
  g_test_add ("/map/points/status", Fixture, NULL, fixture_setup, test_map_points_status, fixture_teardown);
  g_test_add ("/map/points/async", Fixture, NULL, fixture_setup, test_map_points_async, fixture_teardown);

  return g_test_run ();
}
