/* bench-map.c: frame time of the map while panning and zooming
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One run, five variants on the same window, map and offline tile pack:
 * the empty map; the household layer with 40,000 and with 400,000
 * households; and ShumateMarkerLayer with one marker per household (its
 * set-up is capped in time). Each
 * variant pans 8 px per frame and steps the zoom between 11 and 16, so
 * both clusters and dots are drawn. The time of a frame is taken from the
 * frame clock's before-paint to after-paint (snapshot and rendering).
 * The process's CPU time per frame (all threads: GTK, the renderer's, and
 * the workers composing tiles) is printed too: on a loaded machine it
 * moves less than wall time.
 *
 * The empty map is a ShumateMapLayer of the pack; the household variants
 * replace it with TsuHouseholdLayer showing the same pack with the
 * households drawn into its tiles; the marker variant adds a
 * ShumateMarkerLayer over the empty map.
 *
 *   GDK_BACKEND=x11 GSK_RENDERER=cairo xvfb-run -a -s "-screen 0 1366x768x24" \
 *     build/bench/bench-map [FRAMES] [MARKER_SECONDS]
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <adwaita.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "tsu-geometry.h"
#include "tsu-household-layer.h"
#include "tsu-mbtiles-source.h"
#include "tsu-store-map.h"

static ShumateMap *map;
static ShumateViewport *viewport;
static ShumateMapSource *pack_source;
static ShumateLayer *base_layer;
static GArray *frame_times;
static gint64 paint_start;
static gboolean measuring;
static guint frame_number;
static gboolean sweep_zoom;

/* Points */

/* Households around a few hundred settlement centres over Iga's extent:
 * dense in the middle, sparse in the hills, like the census says. */
static TsuMapPoints *
make_points (guint n)
{
  TsuMapPoints *points = tsu_map_points_new (n);
  g_autoptr(GRand) rand = g_rand_new_with_seed (2026);
  const guint n_centres = 250;
  double centres[250][3];

  for (guint c = 0; c < n_centres; c++)
    {
      centres[c][0] = g_rand_double_range (rand, 34.58, 34.88);
      centres[c][1] = g_rand_double_range (rand, 136.04, 136.32);
      centres[c][2] = g_rand_double_range (rand, 0.002, 0.012);
    }
  for (guint i = 0; i < n; i++)
    {
      /* Squaring the index favours the first centres: a dense core. */
      double u = g_rand_double (rand);
      guint c = (guint) (u * u * n_centres);
      char buf[64];

      points->lat[i] = centres[c][0] + g_rand_double_range (rand, -1, 1) * centres[c][2];
      points->lon[i] = centres[c][1] + g_rand_double_range (rand, -1, 1) * centres[c][2] * 1.2;
      points->status[i] = g_rand_int_range (rand, 0, 100) < 12 ? TSU_MAP_STATUS_OVERDUE :
                          (g_rand_int_range (rand, 0, 100) < 20 ? TSU_MAP_STATUS_FLAGGED : 0);
      g_snprintf (buf, sizeof buf, "h%u", i);
      points->ids[i] = tsu_map_points_intern (points, buf);
    }
  return points;
}

/* Tile pack */

static cairo_status_t
append_png (void                *closure,
            const unsigned char *data,
            unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static char *
make_pack (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tsu-bench-map-XXXXXX", NULL);
  char *path = g_build_filename (dir, "iga.mbtiles", NULL);
  sqlite3 *db;
  sqlite3_stmt *stmt;
  double x0, y0, x1, y1;

  sqlite3_open (path, &db);
  sqlite3_exec (db, "CREATE TABLE metadata (name TEXT, value TEXT);"
                    "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);"
                    "CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);"
                    "INSERT INTO metadata VALUES ('name', 'bench'), ('minzoom', '9'), ('maxzoom', '16');"
                    "BEGIN", NULL, NULL, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO tiles VALUES (?1, ?2, ?3, ?4)", -1, &stmt, NULL);
  tsu_mercator_project (34.95, 135.95, &x0, &y0);
  tsu_mercator_project (34.50, 136.42, &x1, &y1);
  for (int z = 9; z <= 16; z++)
    {
      int n = 1 << z;
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 256, 256);
      cairo_t *cr = cairo_create (surface);
      GByteArray *png = g_byte_array_new ();

      /* One tile image per zoom: the bench measures drawing, not PNG
       * decoding variety; z16 only near the centre to keep it small. */
      cairo_set_source_rgb (cr, 0.93, 0.94, 0.90);
      cairo_paint (cr);
      cairo_set_source_rgb (cr, 0.7, 0.8, 0.9);
      cairo_set_line_width (cr, 8);
      cairo_move_to (cr, 0, 180);
      cairo_curve_to (cr, 90, 120, 160, 240, 256, 170);
      cairo_stroke (cr);
      cairo_destroy (cr);
      cairo_surface_write_to_png_stream (surface, append_png, png);
      cairo_surface_destroy (surface);

      for (int tx = (int) floor (x0 * n); tx <= (int) floor (x1 * n); tx++)
        for (int ty = (int) floor (y0 * n); ty <= (int) floor (y1 * n); ty++)
          {
            if (z >= 15 && (abs (tx - (int) (0.8781 * n)) > 12 || abs (ty - (int) (0.3968 * n)) > 8))
              continue;
            sqlite3_reset (stmt);
            sqlite3_bind_int (stmt, 1, z);
            sqlite3_bind_int (stmt, 2, tx);
            sqlite3_bind_int (stmt, 3, n - 1 - ty);
            sqlite3_bind_blob (stmt, 4, png->data, png->len, SQLITE_TRANSIENT);
            sqlite3_step (stmt);
          }
      g_byte_array_unref (png);
    }
  sqlite3_finalize (stmt);
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  sqlite3_close (db);
  return path;
}

/* Frame timing */

static void
on_before_paint_cb (GdkFrameClock *clock)
{
  paint_start = g_get_monotonic_time ();
}

static void
on_after_paint_cb (GdkFrameClock *clock)
{
  double ms = (g_get_monotonic_time () - paint_start) / 1000.0;

  if (measuring)
    g_array_append_val (frame_times, ms);
}

static gboolean
pan_tick_cb (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       user_data)
{
  double zoom = shumate_viewport_get_zoom_level (viewport);
  double x, y, lat, lon, world = 256 * exp2 (zoom);
  /* Zoom 11 → 16 → 11 in steps of half a level every 20 frames. */
  static const double zooms[] = { 11, 11.5, 12, 12.5, 13, 13.5, 14, 14.5, 15, 15.5, 16,
                                  15.5, 15, 14.5, 14, 13.5, 13, 12.5, 12, 11.5 };

  frame_number++;
  tsu_mercator_project (shumate_location_get_latitude (SHUMATE_LOCATION (viewport)),
                        shumate_location_get_longitude (SHUMATE_LOCATION (viewport)), &x, &y);
  /* A slow circle around the city centre, 8 px per frame. */
  x += 8 * cos (frame_number / 25.0) / world;
  y += 8 * sin (frame_number / 25.0) / world;
  tsu_mercator_unproject (x, y, &lat, &lon);
  shumate_location_set_location (SHUMATE_LOCATION (viewport), lat, lon);
  if (sweep_zoom && frame_number % 20 == 0)
    shumate_viewport_set_zoom_level (viewport, zooms[(frame_number / 20) % G_N_ELEMENTS (zooms)]);
  return G_SOURCE_CONTINUE;
}

static void
iterate_ms (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (500), TRUE);
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double da = *(const double *) a, db = *(const double *) b;
  return (da > db) - (da < db);
}

typedef struct
{
  double mean;
  double median;
  double p95;
  double cpu;           /* process CPU ms per frame */
} Stats;

static double
cpu_ms (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec * 1e3 + usage.ru_utime.tv_usec / 1e3 +
         usage.ru_stime.tv_sec * 1e3 + usage.ru_stime.tv_usec / 1e3;
}

typedef struct
{
  Stats pan_clusters;   /* panning at zoom 12 */
  Stats pan_dots;       /* panning at zoom 16 */
  Stats sweep;          /* panning while stepping zoom 11 → 16 → 11 */
} Result;

static Stats
measure_phase (guint  n_frames,
               double zoom,
               gboolean sweep)
{
  Stats stats = { 0 };
  double cpu;
  guint tick;

  sweep_zoom = sweep;
  shumate_location_set_location (SHUMATE_LOCATION (viewport), 34.77, 136.13);
  shumate_viewport_set_zoom_level (viewport, zoom);
  frame_number = 0;
  g_array_set_size (frame_times, 0);
  tick = gtk_widget_add_tick_callback (GTK_WIDGET (map), pan_tick_cb, NULL, NULL);
  /* Warm up: the tiles of the route get decoded once. */
  measuring = FALSE;
  iterate_ms (1500);
  frame_number = 0;
  measuring = TRUE;
  cpu = cpu_ms ();
  while (frame_times->len < n_frames)
    g_main_context_iteration (NULL, TRUE);
  measuring = FALSE;
  stats.cpu = (cpu_ms () - cpu) / frame_times->len;
  gtk_widget_remove_tick_callback (GTK_WIDGET (map), tick);

  qsort (frame_times->data, frame_times->len, sizeof (double), compare_doubles);
  for (guint i = 0; i < frame_times->len; i++)
    stats.mean += g_array_index (frame_times, double, i);
  stats.mean /= frame_times->len;
  stats.median = g_array_index (frame_times, double, frame_times->len / 2);
  stats.p95 = g_array_index (frame_times, double, (guint) (frame_times->len * 0.95));
  return stats;
}

static Result
measure (guint n_frames)
{
  Result result;

  result.pan_clusters = measure_phase (n_frames, 12, FALSE);
  result.pan_dots = measure_phase (n_frames, 16, FALSE);
  result.sweep = measure_phase (n_frames, 11, TRUE);
  return result;
}

static Result
measure_households (TsuMapPoints *points,
                    guint         n_frames)
{
  TsuHouseholdLayer *layer = tsu_household_layer_new (viewport);
  gint64 start = g_get_monotonic_time ();
  Result stats;

  /* The household layer shows the pack itself, households drawn in. */
  g_object_ref (base_layer);
  shumate_map_remove_layer (map, base_layer);
  tsu_household_layer_set_map_source (layer, pack_source);
  shumate_map_add_layer (map, SHUMATE_LAYER (layer));
  tsu_household_layer_set_points (layer, points);
  while (!tsu_household_layer_get_ready (layer))
    g_main_context_iteration (NULL, TRUE);
  g_print ("  %u households: projected and clustered (%d zoom levels, in a worker) in %.0f ms\n",
           points->n, TSU_HOUSEHOLD_LAYER_DOTS_ZOOM, (g_get_monotonic_time () - start) / 1000.0);
  stats = measure (n_frames);
  shumate_map_remove_layer (map, SHUMATE_LAYER (layer));
  shumate_map_add_layer (map, base_layer);
  g_object_unref (base_layer);
  return stats;
}

/* ShumateMarkerLayer measures each marker as it is added, and a marker
 * measured among n siblings costs O(n) (its style is matched against
 * them), so adding 40,000 markers to a layer on the map's viewport takes
 * minutes. The layer gets its own viewport instead, with no map source
 * while the markers go in (libshumate then skips the measuring), and is
 * bound to the map's viewport afterwards: all markers are then measured
 * at once, in about a second. Panning and zooming are the same as for a
 * layer on the map's own viewport. */
static Result
measure_markers (TsuMapPoints *points,
                 guint         n_frames,
                 double        max_seconds,
                 guint        *n_added)
{
  static const char *mirrored[] = {
    "min-zoom-level", "max-zoom-level", "zoom-level", "rotation",
    "latitude", "longitude", "reference-map-source",
  };
  g_autoptr(ShumateViewport) marker_viewport = shumate_viewport_new ();
  ShumateMarkerLayer *layer = shumate_marker_layer_new (marker_viewport);
  gint64 start = g_get_monotonic_time ();
  gint64 limit = start + (gint64) (max_seconds * G_USEC_PER_SEC);
  Result stats;
  guint i;

  for (i = 0; i < points->n && g_get_monotonic_time () < limit; i++)
    {
      ShumateMarker *marker = shumate_marker_new ();
      GtkWidget *dot = gtk_image_new_from_icon_name ("media-record-symbolic");

      shumate_marker_set_child (marker, dot);
      shumate_location_set_location (SHUMATE_LOCATION (marker), points->lat[i], points->lon[i]);
      shumate_marker_layer_add_marker (layer, marker);
    }
  *n_added = i;
  shumate_map_add_layer (map, SHUMATE_LAYER (layer));
  for (guint p = 0; p < G_N_ELEMENTS (mirrored); p++)
    g_object_bind_property (viewport, mirrored[p], marker_viewport, mirrored[p], G_BINDING_SYNC_CREATE);
  iterate_ms (100);
  g_print ("  markers: added %u of %u and laid out in %.1f s%s\n", i, points->n,
           (g_get_monotonic_time () - start) / 1e6, i < points->n ? " (stopped at the time cap)" : "");
  stats = measure (n_frames);
  shumate_map_remove_layer (map, SHUMATE_LAYER (layer));
  return stats;
}

static void
print_stats (const char *name,
             Result      r)
{
  g_print ("%-34s %8.1f %8.1f %8.1f %8.1f %8.1f   %6.1f %6.1f %6.1f\n", name, r.pan_clusters.median, r.pan_dots.median,
           r.sweep.median, r.sweep.mean, r.sweep.p95, r.pan_clusters.cpu, r.pan_dots.cpu, r.sweep.cpu);
}

static void
print_ratio (const char *name,
             Result      a,
             Result      b)
{
  g_print ("%-34s %+7.0f%% %+7.0f%% %+7.0f%% %+7.0f%%   CPU %+4.0f%% %+4.0f%% %+4.0f%%\n", name,
           (a.pan_clusters.median / b.pan_clusters.median - 1) * 100,
           (a.pan_dots.median / b.pan_dots.median - 1) * 100,
           (a.sweep.median / b.sweep.median - 1) * 100,
           (a.sweep.mean / b.sweep.mean - 1) * 100,
           (a.pan_clusters.cpu / b.pan_clusters.cpu - 1) * 100,
           (a.pan_dots.cpu / b.pan_dots.cpu - 1) * 100,
           (a.sweep.cpu / b.sweep.cpu - 1) * 100);
}

int
main (int   argc,
      char *argv[])
{
  guint n_frames = argc > 1 ? (guint) atoi (argv[1]) : 200;
  double marker_seconds = argc > 2 ? atof (argv[2]) : 20;
  g_autofree char *pack_path = NULL;
  g_autoptr(TsuMbtilesSource) pack = NULL;
  g_autoptr(ShumateMapSource) source = NULL;
  g_autoptr(TsuMapPoints) points_40k = NULL;
  g_autoptr(TsuMapPoints) points_400k = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *window;
  GdkFrameClock *clock;
  Result empty, empty_again, hh40, hh400, markers;
  guint n_markers = 0;

  gtk_init ();
  adw_init ();
  frame_times = g_array_new (FALSE, FALSE, sizeof (double));

  pack_path = make_pack ();
  pack = tsu_mbtiles_source_new (pack_path, &error);
  g_assert_no_error (error);
  source = tsu_mbtiles_source_create_map_source (pack);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 720);
  map = shumate_map_new ();
  viewport = shumate_map_get_viewport (map);
  shumate_viewport_set_reference_map_source (viewport, source);
  shumate_map_set_map_source (map, source);
  shumate_viewport_set_max_zoom_level (viewport, 19);
  pack_source = source;
  base_layer = SHUMATE_LAYER (shumate_map_layer_new (source, viewport));
  shumate_map_add_layer (map, base_layer);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (map));
  gtk_window_present (GTK_WINDOW (window));
  iterate_ms (500);

  clock = gtk_widget_get_frame_clock (window);
  g_signal_connect (clock, "before-paint", G_CALLBACK (on_before_paint_cb), NULL);
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint_cb), NULL);

  g_print ("Map frame time, %u frames per variant, 1280×720 window, renderer %s\n", n_frames,
           g_getenv ("GSK_RENDERER") != NULL ? g_getenv ("GSK_RENDERER") : "default");
  points_40k = make_points (40000);
  points_400k = make_points (400000);

  empty = measure (n_frames);
  hh40 = measure_households (points_40k, n_frames);
  hh400 = measure_households (points_400k, n_frames);
  markers = measure_markers (points_40k, n_frames, marker_seconds, &n_markers);
  /* Once more at the end: how much the baseline itself moves in a run. */
  empty_again = measure (n_frames);

  g_print ("\nframe time (ms)                    pan z12  pan z16   sweep:median  mean     p95"
           "   CPU ms/frame: z12  z16  sweep\n");
  print_stats ("empty map (tiles only)", empty);
  print_stats ("empty map, again at the end", empty_again);
  print_stats ("household layer, 40,000", hh40);
  print_stats ("household layer, 400,000", hh400);
  {
    g_autofree char *name = g_strdup_printf ("ShumateMarkerLayer, %u markers", n_markers);
    print_stats (name, markers);
  }
  g_print ("\nadded to the empty map              pan z12  pan z16   sweep:median  mean\n");
  print_ratio ("40,000 (target ≤ +50 %)", hh40, empty);
  print_ratio ("400,000 (target ≤ +100 %)", hh400, empty);
  g_print ("\nmarkers (%u of 40,000) vs the layer with 40,000 (target ≥ 10×):\n", n_markers);
  g_print ("  frame time  %.1f× (pan z12)  %.1f× (pan z16)  %.1f× (sweep median)\n",
           markers.pan_clusters.median / hh40.pan_clusters.median,
           markers.pan_dots.median / hh40.pan_dots.median,
           markers.sweep.median / hh40.sweep.median);
  g_print ("  CPU per frame  %.1f× (pan z12)  %.1f× (pan z16)  %.1f× (sweep)\n",
           markers.pan_clusters.cpu / hh40.pan_clusters.cpu,
           markers.pan_dots.cpu / hh40.pan_dots.cpu,
           markers.sweep.cpu / hh40.sweep.cpu);
  /* No layer can draw faster than the map under it: this is the most
   * the frame-time ratio above could reach. */
  g_print ("  markers vs the empty map itself  %.1f× (pan z12)  %.1f× (pan z16)  %.1f× (sweep median)\n",
           markers.pan_clusters.median / empty.pan_clusters.median,
           markers.pan_dots.median / empty.pan_dots.median,
           markers.sweep.median / empty.sweep.median);
  g_print ("  cost over the empty map  %.1f× (pan z12)  %.1f× (pan z16)\n",
           (markers.pan_clusters.median - empty.pan_clusters.median) / MAX (hh40.pan_clusters.median - empty.pan_clusters.median, 0.5),
           (markers.pan_dots.median - empty.pan_dots.median) / MAX (hh40.pan_dots.median - empty.pan_dots.median, 0.5));

  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (pack_path);
  {
    g_autofree char *dir = g_path_get_dirname (pack_path);
    g_rmdir (dir);
  }
  return 0;
}
