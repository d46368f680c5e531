/* test-map-view.c: the map page: MBTiles packs, tile maths, hit-testing
 * against libshumate's own projection, and a headless screenshot
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <adwaita.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <libsoup/soup.h>

#include "tsu-demo.h"
#include "tsu-geometry.h"
#include "tsu-household-layer.h"
#include "tsu-household-tile-source.h"
#include "tsu-map-view.h"
#include "tsu-mbtiles-source.h"
#include "tsu-resources.h"
#include "tsu-store-map.h"
#include "tsu-store.h"
#include "tsu-tile-source.h"

#include "test-widget-helpers.h"

static char *test_dir;

static cairo_status_t
append_png (void                *closure,
            const unsigned char *data,
            unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* A tile PNG: pale land colour, a river, a grid and its own z/x/y written
 * on it, so a screenshot shows whether the rows are the right way up. */
static GBytes *
tile_png (int         zoom,
          int         x,
          int         y,
          const char *label)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 256, 256);
  cairo_t *cr = cairo_create (surface);
  g_autofree char *text = label != NULL ? g_strdup (label) : g_strdup_printf ("%d/%d/%d", zoom, x, y);
  GByteArray *png = g_byte_array_new ();

  cairo_set_source_rgb (cr, 0.85, 0.93, 0.85);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0.72, 0.80, 0.88);
  cairo_set_line_width (cr, 10);
  cairo_move_to (cr, 0, 200);
  cairo_curve_to (cr, 80, 150, 160, 240, 256, 180);
  cairo_stroke (cr);
  cairo_set_source_rgb (cr, 0.6, 0.6, 0.6);
  cairo_set_line_width (cr, 1);
  cairo_rectangle (cr, 0.5, 0.5, 255, 255);
  cairo_stroke (cr);
  cairo_set_font_size (cr, 14);
  cairo_move_to (cr, 8, 20);
  cairo_show_text (cr, text);
  cairo_destroy (cr);
  cairo_surface_write_to_png_stream (surface, append_png, png);
  cairo_surface_destroy (surface);
  return g_byte_array_free_to_bytes (png);
}

static void
exec_sql (sqlite3    *db,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static void
insert_tile (sqlite3_stmt *stmt,
             int           zoom,
             int           column,
             int           tms_row,
             GBytes       *data)
{
  sqlite3_reset (stmt);
  sqlite3_bind_int (stmt, 1, zoom);
  sqlite3_bind_int (stmt, 2, column);
  sqlite3_bind_int (stmt, 3, tms_row);
  sqlite3_bind_blob (stmt, 4, g_bytes_get_data (data, NULL), g_bytes_get_size (data), SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
}

/* Builds an MBTiles pack: world tiles at zoom 0–1 with "north"/"south"
 * markers in raw bytes at zoom 1, and real PNG tiles over Iga at
 * zoom min_zoom..max_zoom. */
static char *
make_pack (const char *name,
           int         min_zoom,
           int         max_zoom)
{
  char *path = g_build_filename (test_dir, name, NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  double x0, y0, x1, y1;

  g_unlink (path);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  exec_sql (db, "CREATE TABLE metadata (name TEXT, value TEXT);"
                "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);"
                "CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);"
                "INSERT INTO metadata VALUES ('name', 'Iga test pack'), ('format', 'png'),"
                " ('attribution', '地理院タイル (test)'), ('minzoom', '0');");
  {
    g_autofree char *sql = g_strdup_printf ("INSERT INTO metadata VALUES ('maxzoom', '%d')", max_zoom);
    exec_sql (db, sql);
  }
  exec_sql (db, "BEGIN");
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO tiles VALUES (?1, ?2, ?3, ?4)", -1, &stmt, NULL), ==, SQLITE_OK);

  /* TMS rows count from the south: at zoom 1, row 1 is the north. */
  insert_tile (stmt, 1, 0, 1, g_bytes_new_static ("north-west", 10));
  insert_tile (stmt, 1, 0, 0, g_bytes_new_static ("south-west", 10));

  tsu_mercator_project (34.98, 135.80, &x0, &y0);
  tsu_mercator_project (34.45, 136.55, &x1, &y1);
  for (int z = min_zoom; z <= max_zoom; z++)
    {
      int n = 1 << z;

      for (int tx = (int) floor (x0 * n); tx <= (int) floor (x1 * n); tx++)
        for (int ty = (int) floor (y0 * n); ty <= (int) floor (y1 * n); ty++)
          {
            g_autoptr(GBytes) png = tile_png (z, tx, ty, NULL);
            insert_tile (stmt, z, tx, n - 1 - ty, png);
          }
    }
  sqlite3_finalize (stmt);
  exec_sql (db, "COMMIT");
  sqlite3_close (db);
  return path;
}

static void
test_mbtiles_read (void)
{
  g_autofree char *path = make_pack ("read.mbtiles", 3, 3);
  g_autofree char *bad_path = g_build_filename (test_dir, "bad.mbtiles", NULL);
  g_autoptr(TsuMbtilesSource) pack = NULL;
  g_autoptr(TsuMbtilesSource) bad = NULL;
  g_autoptr(GBytes) north = NULL;
  g_autoptr(GBytes) south = NULL;
  g_autoptr(GBytes) none = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GError) error = NULL;
  double x, y;

  pack = tsu_mbtiles_source_new (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tsu_mbtiles_source_get_name (pack), ==, "Iga test pack");
  g_assert_cmpstr (tsu_mbtiles_source_get_attribution (pack), ==, "地理院タイル (test)");
  g_assert_cmpuint (tsu_mbtiles_source_get_min_zoom (pack), ==, 0);
  g_assert_cmpuint (tsu_mbtiles_source_get_max_zoom (pack), ==, 3);

  /* XYZ y = 0 is the north: the TMS row 1 at zoom 1. */
  north = tsu_mbtiles_source_read_tile (pack, 0, 0, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (north, NULL), g_bytes_get_size (north), "north-west", 10);
  south = tsu_mbtiles_source_read_tile (pack, 0, 1, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (south, NULL), g_bytes_get_size (south), "south-west", 10);

  /* Missing tiles and tiles outside the world are errors, not crashes. */
  none = tsu_mbtiles_source_read_tile (pack, 1, 0, 1, &error);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (tsu_mbtiles_source_read_tile (pack, 2, 0, 1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* The Iga tile at zoom 3 is a real PNG. */
  tsu_mercator_project (34.77, 136.13, &x, &y);
  png = tsu_mbtiles_source_read_tile (pack, (int) (x * 8), (int) (y * 8), 3, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (png, NULL), 4, "\x89PNG", 4);

  g_file_set_contents (bad_path, "this is not SQLite at all, just some text", -1, &error);
  g_assert_no_error (error);
  bad = tsu_mbtiles_source_new (bad_path, &error);
  g_assert_null (bad);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "bad.mbtiles"));
  g_clear_error (&error);
  g_assert_null (tsu_mbtiles_source_new ("/nonexistent/pack.mbtiles", &error));
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_IO);
}

typedef struct
{
  int     received;
  int     x, y, zoom;
  GBytes *bytes;
  GError *error;
  gboolean done;
} AsyncRead;

static void
on_received_data_cb (ShumateDataSource *source,
                     int                x,
                     int                y,
                     int                zoom,
                     GBytes            *bytes,
                     AsyncRead         *read)
{
  read->received++;
  read->x = x;
  read->y = y;
  read->zoom = zoom;
}

static void
on_tile_data_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  AsyncRead *read = user_data;

  read->bytes = shumate_data_source_get_tile_data_finish (SHUMATE_DATA_SOURCE (source), result, &read->error);
  read->done = TRUE;
}

static void
test_mbtiles_async (void)
{
  g_autofree char *path = make_pack ("async.mbtiles", 3, 3);
  g_autoptr(TsuMbtilesSource) pack = tsu_mbtiles_source_new (path, NULL);
  g_autoptr(ShumateMapSource) map_source = NULL;
  AsyncRead read = { 0 };

  g_assert_nonnull (pack);
  g_signal_connect (pack, "received-data", G_CALLBACK (on_received_data_cb), &read);

  shumate_data_source_get_tile_data_async (SHUMATE_DATA_SOURCE (pack), 0, 0, 1, NULL, on_tile_data_cb, &read);
  while (!read.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (read.error);
  /* The raster renderer only draws what "received-data" carries. */
  g_assert_cmpint (read.received, ==, 1);
  g_assert_cmpint (read.x, ==, 0);
  g_assert_cmpint (read.y, ==, 0);
  g_assert_cmpint (read.zoom, ==, 1);
  g_assert_cmpmem (g_bytes_get_data (read.bytes, NULL), g_bytes_get_size (read.bytes), "north-west", 10);
  g_clear_pointer (&read.bytes, g_bytes_unref);

  read.done = FALSE;
  shumate_data_source_get_tile_data_async (SHUMATE_DATA_SOURCE (pack), 1, 1, 1, NULL, on_tile_data_cb, &read);
  while (!read.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (read.bytes);
  g_assert_error (read.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_cmpint (read.received, ==, 1);
  g_clear_error (&read.error);

  map_source = tsu_mbtiles_source_create_map_source (pack);
  g_assert_cmpuint (shumate_map_source_get_max_zoom_level (map_source), ==, 3);
  g_assert_cmpstr (shumate_map_source_get_license (map_source), ==, "地理院タイル (test)");
}

static void wait_ms (guint ms);

typedef struct
{
  guint  hits;
  char  *user_agent;
} Server;

static void
serve_tile_cb (SoupServer        *server,
               SoupServerMessage *message,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  Server *state = user_data;
  g_autoptr(GBytes) png = tile_png (12, 0, 0, path);
  const char *ua = soup_message_headers_get_one (soup_server_message_get_request_headers (message), "User-Agent");

  state->hits++;
  g_free (state->user_agent);
  state->user_agent = g_strdup (ua);
  soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (message, "image/png", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (png, NULL), g_bytes_get_size (png));
}

static void
get_tile (ShumateDataSource *source,
          int                x,
          int                y,
          int                zoom,
          AsyncRead         *read)
{
  g_clear_pointer (&read->bytes, g_bytes_unref);
  g_clear_error (&read->error);
  read->done = FALSE;
  shumate_data_source_get_tile_data_async (source, x, y, zoom, NULL, on_tile_data_cb, read);
  while (!read->done)
    g_main_context_iteration (NULL, TRUE);
}

static void
on_download_done_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GError **error = user_data;

  g_assert_false (tsu_tile_source_download_finish (TSU_TILE_SOURCE (source), result, NULL, error));
}

/* A tile server on the loopback at @port (0: any free port), answering
 * with @handler. Returns the server and its URL template. */
static SoupServer *
start_tile_server (SoupServerCallback   handler,
                   Server              *state,
                   int                 *port,
                   char               **url)
{
  SoupServer *server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  soup_server_add_handler (server, NULL, handler, state, NULL);
  g_assert_true (soup_server_listen_local (server, *port, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  *port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  *url = g_strdup_printf ("http://127.0.0.1:%d/{z}/{x}/{y}.png", *port);
  return server;
}

static void
test_tile_source_online (void)
{
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(SoupServer) back = NULL;
  g_autofree char *cache_dir = g_build_filename (test_dir, "tile-cache", NULL);
  g_autofree char *url = NULL;
  g_autofree char *back_url = NULL;
  g_autofree char *pack_path = make_pack ("fallback.mbtiles", 3, 3);
  g_autoptr(TsuMbtilesSource) pack = tsu_mbtiles_source_new (pack_path, NULL);
  g_autoptr(TsuTileSource) source = NULL;
  g_autoptr(TsuTileSource) osm = NULL;
  g_autoptr(GArray) tiles = g_array_new (FALSE, FALSE, sizeof (TsuTileKey));
  Server state = { 0 };
  AsyncRead read = { 0 };
  GError *download_error = NULL;
  int port = 0;

  server = start_tile_server (serve_tile_cb, &state, &port, &url);

  source = tsu_tile_source_new_with_url (TSU_TILE_SOURCE_GSI_PALE, url, cache_dir, 10 * 1024 * 1024);
  g_signal_connect (source, "received-data", G_CALLBACK (on_received_data_cb), &read);
  g_assert_cmpstr (tsu_tile_source_get_attribution_text (source), ==, "地理院タイル");
  g_assert_true (tsu_tile_source_allows_bulk_download (source));

  /* From the server, with our User-Agent, and shown. */
  get_tile (SHUMATE_DATA_SOURCE (source), 3596, 1625, 12, &read);
  g_assert_no_error (read.error);
  g_assert_cmpuint (state.hits, ==, 1);
  g_assert_true (g_str_has_prefix (state.user_agent, "Tsunagu/"));
  g_assert_cmpint (read.received, ==, 1);
  g_assert_true (tsu_tile_source_get_reachable (source));

  /* Again: from the cache, the server is not asked. */
  wait_ms (300);
  get_tile (SHUMATE_DATA_SOURCE (source), 3596, 1625, 12, &read);
  g_assert_no_error (read.error);
  g_assert_cmpuint (state.hits, ==, 1);
  g_assert_cmpint (read.received, ==, 2);

  /* The server goes away: a cached tile still shows, an uncached one
   * comes from the pack if it has it, else it is an error. */
  soup_server_disconnect (server);
  get_tile (SHUMATE_DATA_SOURCE (source), 3596, 1625, 12, &read);
  g_assert_no_error (read.error);
  get_tile (SHUMATE_DATA_SOURCE (source), 3597, 1625, 12, &read);
  g_assert_nonnull (read.error);
  g_assert_false (tsu_tile_source_get_reachable (source));
  tsu_tile_source_set_fallback (source, pack);
  get_tile (SHUMATE_DATA_SOURCE (source), 0, 0, 1, &read);
  g_assert_no_error (read.error);
  g_assert_cmpmem (g_bytes_get_data (read.bytes, NULL), g_bytes_get_size (read.bytes), "north-west", 10);
  g_clear_pointer (&read.bytes, g_bytes_unref);

  /* The server is back on its port, but while the source thinks it
   * unreachable, tiles for the screen do not wait for it... */
  back = start_tile_server (serve_tile_cb, &state, &port, &back_url);
  g_assert_cmpstr (back_url, ==, url);
  state.hits = 0;
  get_tile (SHUMATE_DATA_SOURCE (source), 3598, 1625, 12, &read);
  g_assert_nonnull (read.error);
  g_assert_cmpuint (state.hits, ==, 0);
  g_assert_false (tsu_tile_source_get_reachable (source));
  /* ...until the network comes back, when the next tile asks at once. */
  tsu_tile_source_set_network_allowed (source, FALSE);
  tsu_tile_source_set_network_allowed (source, TRUE);
  get_tile (SHUMATE_DATA_SOURCE (source), 3598, 1625, 12, &read);
  g_assert_no_error (read.error);
  g_assert_cmpuint (state.hits, ==, 1);
  g_assert_true (tsu_tile_source_get_reachable (source));
  soup_server_disconnect (back);

  /* OSM's tile policy: no bulk downloads. */
  osm = tsu_tile_source_new (TSU_TILE_SOURCE_OSM, cache_dir, 1024 * 1024);
  g_assert_false (tsu_tile_source_allows_bulk_download (osm));
  g_assert_cmpstr (tsu_tile_source_get_attribution_text (osm), ==, "© OpenStreetMap contributors");
  tsu_tiles_for_area (34.75, 136.10, 34.76, 136.11, 12, 12, 10, tiles);
  tsu_tile_source_download_async (osm, tiles, NULL, NULL, NULL, on_download_done_cb, &download_error);
  while (download_error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (download_error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&download_error);
  g_free (state.user_agent);
}

/* Tile 3601 hangs (the server never answers); every other tile loses
 * its connection, which the client sees as a network failure. */
static void
serve_badly_cb (SoupServer        *server,
                SoupServerMessage *message,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  Server *state = user_data;
  g_autoptr(GIOStream) stream = NULL;

  state->hits++;
  if (strstr (path, "/3601/") != NULL)
    {
      soup_server_message_pause (message);
      return;
    }
  stream = soup_server_message_steal_connection (message);
  g_io_stream_close (stream, NULL, NULL);
}

static gboolean
set_flag_timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* A tile waiting for a server that hangs stops waiting as soon as
 * another request finds the network failing, instead of holding the
 * households back until its own time-out. */
static void
test_tile_source_abandons_waiting (void)
{
  g_autoptr(SoupServer) server = NULL;
  g_autofree char *cache_dir = g_build_filename (test_dir, "tile-cache-hanging", NULL);
  g_autofree char *url = NULL;
  g_autoptr(TsuTileSource) source = NULL;
  Server state = { 0 };
  AsyncRead hanging = { 0 };
  AsyncRead failing = { 0 };
  gboolean given_up = FALSE;
  guint guard;
  int port = 0;

  server = start_tile_server (serve_badly_cb, &state, &port, &url);
  source = tsu_tile_source_new_with_url (TSU_TILE_SOURCE_GSI_PALE, url, cache_dir, 1024 * 1024);

  shumate_data_source_get_tile_data_async (SHUMATE_DATA_SOURCE (source), 3601, 1625, 12, NULL,
                                           on_tile_data_cb, &hanging);
  while (state.hits == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (hanging.done);

  get_tile (SHUMATE_DATA_SOURCE (source), 3600, 1625, 12, &failing);
  g_assert_nonnull (failing.error);
  g_assert_false (tsu_tile_source_get_reachable (source));

  /* The session would wait 20 s; the hanging tile must not. */
  guard = g_timeout_add_seconds (10, set_flag_timeout_cb, &given_up);
  while (!hanging.done && !given_up)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (hanging.done);
  g_assert_false (given_up);
  g_source_remove (guard);
  /* No cache, no pack: "no tile offline", not "cancelled". */
  g_assert_nonnull (hanging.error);
  g_assert_false (g_error_matches (hanging.error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  g_clear_error (&hanging.error);
  g_clear_error (&failing.error);
  soup_server_disconnect (server);
}

static void
test_tiles_for_area (void)
{
  g_autoptr(GArray) tiles = g_array_new (FALSE, FALSE, sizeof (TsuTileKey));
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (TsuTileKey));
  int top;

  /* A district of a few km: every zoom fits under the cap. */
  top = tsu_tiles_for_area (34.75, 136.10, 34.79, 136.15, 12, 17, 4000, tiles);
  g_assert_cmpint (top, ==, 17);
  g_assert_cmpuint (tiles->len, <=, 4000);
  for (guint i = 0; i < tiles->len; i++)
    {
      TsuTileKey *key = &g_array_index (tiles, TsuTileKey, i);
      double n = exp2 (key->zoom), lat, lon;

      g_assert_cmpint (key->zoom, >=, 12);
      g_assert_cmpint (key->zoom, <=, 17);
      /* Each tile touches the box. */
      tsu_mercator_unproject ((key->x + 0.5) / n, (key->y + 0.5) / n, &lat, &lon);
      g_assert_cmpfloat (lat, >, 34.75 - 180.0 / n);
      g_assert_cmpfloat (lat, <, 34.79 + 180.0 / n);
    }
  /* The corners of the box are covered at the top zoom. */
  {
    double x, y;
    gboolean found = FALSE;

    tsu_mercator_project (34.79, 136.10, &x, &y);
    for (guint i = 0; i < tiles->len; i++)
      {
        TsuTileKey *key = &g_array_index (tiles, TsuTileKey, i);
        if (key->zoom == 17 && key->x == (int) floor (x * 131072) && key->y == (int) floor (y * 131072))
          found = TRUE;
      }
    g_assert_true (found);
  }

  /* The whole city at zoom 17 is too much: whole zooms are dropped. */
  top = tsu_tiles_for_area (34.55, 136.01, 34.91, 136.35, 12, 17, 4000, all);
  g_assert_cmpint (top, <, 17);
  g_assert_cmpint (top, >=, 12);
  g_assert_cmpuint (all->len, <=, 4000);
  for (guint i = 0; i < all->len; i++)
    g_assert_cmpint (g_array_index (all, TsuTileKey, i).zoom, <=, top);

  g_array_set_size (all, 0);
  g_assert_cmpint (tsu_tiles_for_area (34.55, 136.01, 34.91, 136.35, 12, 17, 10, all), ==, -1);
  g_assert_cmpuint (all->len, ==, 0);
}

/* Synthetic households around the real town points of Iga (or spread
 * over the city's extent if the shared data is not there). */
static void
fill_store (TsuStore *store,
            guint     n_households)
{
  const char *shared = g_getenv ("TSU_SHARED_DATA");
  g_autofree char *towns_path = shared != NULL ? g_build_filename (shared, "iga-towns.json", NULL) : NULL;
  g_autofree char *boundary_path = shared != NULL ? g_build_filename (shared, "iga-city-boundary.geojson", NULL) : NULL;
  g_autofree char *towns_text = NULL;
  g_autoptr(JsonNode) towns = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GError) error = NULL;
  g_autofree char *city = NULL;
  g_autofree char *north = NULL;
  JsonArray *array = NULL;

  if (towns_path != NULL && g_file_get_contents (towns_path, &towns_text, NULL, NULL))
    {
      towns = json_from_string (towns_text, NULL);
      array = json_node_get_array (towns);
    }

  g_assert_true (tsu_store_begin (store, &error));
  {
    g_autoptr(JsonObject) fields = json_object_new ();

    json_object_set_string_member (fields, "name", "伊賀市");
    city = tsu_store_create (store, "district", fields, &error);
    g_assert_no_error (error);
  }
  {
    g_autoptr(JsonObject) fields = json_object_new ();

    json_object_set_string_member (fields, "name", "北部地区");
    json_object_set_string_member (fields, "boundary",
                                   "{\"type\":\"Polygon\",\"coordinates\":[[[136.10,34.80],[136.20,34.80],"
                                   "[136.20,34.86],[136.10,34.86],[136.10,34.80]]]}");
    json_object_set_double_member (fields, "lat", 34.83);
    json_object_set_double_member (fields, "lon", 136.15);
    north = tsu_store_create (store, "district", fields, &error);
    g_assert_no_error (error);
  }
  for (guint i = 0; i < n_households; i++)
    {
      g_autoptr(JsonObject) fields = json_object_new ();
      g_autofree char *address = NULL;
      g_autofree char *id = NULL;
      double lat, lon;
      guint r = g_rand_int_range (rand, 0, 100);

      if (array != NULL)
        {
          JsonObject *town = json_array_get_object_element (array, g_rand_int_range (rand, 0, json_array_get_length (array)));

          lat = json_object_get_double_member (town, "lat") + g_rand_double_range (rand, -0.006, 0.006);
          lon = json_object_get_double_member (town, "lng") + g_rand_double_range (rand, -0.007, 0.007);
          address = g_strdup_printf ("伊賀市%s%u", json_object_get_string_member (town, "town"), i % 900 + 1);
        }
      else
        {
          lat = g_rand_double_range (rand, 34.60, 34.88);
          lon = g_rand_double_range (rand, 136.05, 136.30);
          address = g_strdup_printf ("伊賀市%u", i);
        }
      json_object_set_string_member (fields, "address", address);
      json_object_set_string_member (fields, "district_id", lat > 34.80 && lat < 34.86 && lon > 136.10 && lon < 136.20 ? north : city);
      json_object_set_double_member (fields, "lat", lat);
      json_object_set_double_member (fields, "lon", lon);
      json_object_set_int_member (fields, "flags", r < 15 ? 1 : 0);
      json_object_set_string_member (fields, "consent", r >= 15 && r < 25 ? "unknown" : "yes");
      if (r >= 25 && r < 37)
        json_object_set_int_member (fields, "visit_interval_days", 30);
      id = tsu_store_create (store, "household", fields, &error);
      g_assert_no_error (error);
    }
  g_assert_true (tsu_store_commit (store, &error));

  if (boundary_path != NULL && g_file_test (boundary_path, G_FILE_TEST_EXISTS))
    {
      g_autoptr(GFile) file = g_file_new_for_path (boundary_path);
      g_autoptr(GPtrArray) features = tsu_geojson_load_boundaries (file, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_true (tsu_store_import_boundaries (store, features, boundary_path, FALSE, NULL, &error));
      g_assert_no_error (error);
    }
}

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_ms (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

typedef struct
{
  GtkWidget  *window;
  GdkTexture *texture;
} Shot;

static void
on_after_paint_cb (GdkFrameClock *clock,
                   Shot          *shot)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  GtkSnapshot *snapshot;
  g_autoptr(GskRenderNode) node = NULL;
  int width = gtk_widget_get_width (shot->window);
  int height = gtk_widget_get_height (shot->window);

  if (shot->texture != NULL)
    return;
  /* Right after a frame every widget has its render node; at other times
   * a pending redraw may have dropped it. */
  paintable = gtk_widget_paintable_new (shot->window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    return;
  shot->texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (shot->window)), node,
                                               &GRAPHENE_RECT_INIT (0, 0, width, height));
}

static GdkTexture *
take_screenshot (GtkWidget  *window,
                 const char *name)
{
  const char *out_dir = g_getenv ("TSU_TEST_OUTPUT");
  g_autofree char *path = g_build_filename (out_dir != NULL ? out_dir : ".", name, NULL);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  Shot shot = { window, NULL };
  gulong handler;
  gint64 until = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_assert_nonnull (clock);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint_cb), &shot);
  while (shot.texture == NULL && g_get_monotonic_time () < until)
    {
      gtk_widget_queue_draw (window);
      g_main_context_iteration (NULL, TRUE);
    }
  g_signal_handler_disconnect (clock, handler);
  g_assert_nonnull (shot.texture);
  g_assert_true (gdk_texture_save_to_png (shot.texture, path));
  g_test_message ("screenshot: %s", path);
  return shot.texture;
}

/* Pixels close to a colour, as a share of the image. */
static double
share_of_color (GdkTexture *texture,
                guint8      r,
                guint8      g,
                guint8      b,
                int         tolerance)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  g_autofree guint8 *data = g_malloc (width * height * 4);
  guint count = 0;

  gdk_texture_download (texture, data, width * 4);
  for (int i = 0; i < width * height; i++)
    {
      /* GDK_MEMORY_DEFAULT: B, G, R, A */
      guint8 *p = data + i * 4;

      if (ABS (p[2] - r) <= tolerance && ABS (p[1] - g) <= tolerance && ABS (p[0] - b) <= tolerance)
        count++;
    }
  return (double) count / (width * height);
}

static void
wait_ready (TsuMapView *view)
{
  gint64 until = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!tsu_map_view_get_ready (view) && g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (tsu_map_view_get_ready (view));
}

/* Sends a key press to the map view's key handler, as if the focused
 * map had not used it. */
static gboolean
press_key (TsuMapView *view,
           guint       keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (view));
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        g_signal_emit_by_name (controller, "key-pressed", keyval, 0, (GdkModifierType) 0, &handled);
    }
  return handled;
}

static void
on_household_activated_cb (TsuMapView *view,
                           const char *household_id,
                           char      **activated)
{
  g_free (*activated);
  *activated = g_strdup (household_id);
}

/* A window of @width × @height showing a map view of @store on the
 * offline pack at @pack_path ("" for none), the whole city fitted. */
static GtkWidget *
show_map_view (TsuStore    *store,
               const char  *pack_path,
               int          width,
               int          height,
               TsuMapView **view)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWidget *window = gtk_window_new ();

  g_settings_set_string (settings, "tile-source", "mbtiles");
  g_settings_set_string (settings, "mbtiles-path", pack_path);
  g_settings_set_double (settings, "map-zoom", 0);

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  *view = TSU_MAP_VIEW (tsu_map_view_new (store));
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (*view));
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
test_screenshot (void)
{
  g_autofree char *db_path = g_build_filename (test_dir, "screenshot.db", NULL);
  g_autofree char *pack_path = make_pack ("iga.mbtiles", 8, 12);
  g_autoptr(TsuStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) overview = NULL;
  g_autoptr(GdkTexture) close_up = NULL;
  g_autoptr(TsuMapPoints) points = NULL;
  GtkWidget *window;
  TsuMapView *view;
  ShumateViewport *viewport;
  guint hits = 0, tried = 0;

  store = tsu_store_open (db_path, &error);
  g_assert_no_error (error);
  g_test_timer_start ();
  fill_store (store, 2500);
  g_test_message ("filled the store in %.1f s", g_test_timer_elapsed ());

  window = show_map_view (store, pack_path, 1100, 760, &view);

  g_test_timer_start ();
  wait_ready (view);
  g_test_message ("map ready in %.1f s", g_test_timer_elapsed ());
  /* The points may be ready before the pack's first tiles are read. */
  wait_ms (500);
  /* Tiles are read in workers; give them and a few frames time. */
  wait_ms (2500);

  g_assert_cmpstr (tsu_map_view_get_attribution (view), ==, "地理院タイル (test)");
  /* Imported outlines are not guesses: no note about dashes. */
  g_assert_false (gtk_widget_get_visible (find_label (GTK_WIDGET (view), "Dashed outlines: approximate district areas")));
  viewport = shumate_simple_map_get_viewport (tsu_map_view_get_map (view));
  g_assert_cmpfloat (shumate_viewport_get_zoom_level (viewport), >, 9);
  g_assert_cmpfloat (shumate_viewport_get_zoom_level (viewport), <, 13);

  overview = take_screenshot (window, "map-view-overview.png");
  /* The pack's pale green land fills most of the map; the cluster rings
   * show the status colours (overdue red, up-to-date blue). */
  g_assert_cmpfloat (share_of_color (overview, 217, 237, 217, 3), >, 0.3);
  g_assert_cmpfloat (share_of_color (overview, 0xe0, 0x1b, 0x24, 30), >, 0.0005);
  g_assert_cmpfloat (share_of_color (overview, 0x35, 0x84, 0xe4, 30), >, 0.001);

  /* Close up, households are dots; each one the map shows at its
   * projected position (libshumate's own maths) is found there. */
  points = tsu_store_load_map_points (store, NULL, &error);
  g_assert_no_error (error);
  tsu_map_view_select_household (view, points->ids[0]);
  shumate_viewport_set_zoom_level (viewport, 17);
  wait_ms (1500);
  for (guint i = 0; i < points->n; i++)
    {
      double x, y;
      const char *found;

      shumate_viewport_location_to_widget_coords (viewport, GTK_WIDGET (tsu_map_view_get_map (view)),
                                                  points->lat[i], points->lon[i], &x, &y);
      if (x < 20 || y < 20 || x > gtk_widget_get_width (GTK_WIDGET (view)) - 20 ||
          y > gtk_widget_get_height (GTK_WIDGET (view)) - 20)
        continue;
      tried++;
      found = tsu_map_view_get_household_at (view, x + 1.5, y - 1.5);
      g_assert_nonnull (found);
      if (g_str_equal (found, points->ids[i]))
        hits++;
      else
        {
          /* Another household drawn on top of it: it must be close. */
          int j = tsu_map_points_find (points, found);
          double jx, jy;

          shumate_viewport_location_to_widget_coords (viewport, GTK_WIDGET (tsu_map_view_get_map (view)),
                                                      points->lat[j], points->lon[j], &jx, &jy);
          g_assert_cmpfloat (hypot (jx - x - 1.5, jy - y + 1.5), <=, 8.0);
        }
    }
  g_assert_cmpuint (tried, >, 5);
  g_assert_cmpuint (hits, >=, tried / 2);

  close_up = take_screenshot (window, "map-view-close-up.png");
  /* Past the pack's last zoom level its tiles are shown enlarged. */
  g_assert_cmpfloat (share_of_color (close_up, 217, 237, 217, 3), >, 0.3);
  g_assert_cmpfloat (share_of_color (close_up, 0x35, 0x84, 0xe4, 30), >, 0.0002);

  /* Keyboard: focused, the map pans with the arrows, zooms with + and −,
   * and Enter opens the household under its centre. */
  {
    GtkWidget *map = GTK_WIDGET (tsu_map_view_get_map (view));
    double longitude, zoom;
    g_autofree char *activated = NULL;

    gtk_widget_grab_focus (map);
    gtk_window_set_focus_visible (GTK_WINDOW (window), TRUE);
    g_assert_true (gtk_widget_is_focus (map));
    shumate_viewport_set_zoom_level (viewport, 15);
    shumate_location_set_location (SHUMATE_LOCATION (viewport), points->lat[0], points->lon[0]);
    longitude = shumate_location_get_longitude (SHUMATE_LOCATION (viewport));
    g_assert_true (press_key (view, GDK_KEY_Right));
    g_assert_cmpfloat (shumate_location_get_longitude (SHUMATE_LOCATION (viewport)), >, longitude + 1e-4);
    g_assert_true (press_key (view, GDK_KEY_Left));
    g_assert_cmpfloat_with_epsilon (shumate_location_get_longitude (SHUMATE_LOCATION (viewport)), longitude, 1e-9);
    zoom = shumate_viewport_get_zoom_level (viewport);
    g_assert_true (press_key (view, GDK_KEY_plus));
    g_assert_cmpfloat (shumate_viewport_get_zoom_level (viewport), ==, zoom + 1);
    g_assert_true (press_key (view, GDK_KEY_minus));
    g_assert_cmpfloat (shumate_viewport_get_zoom_level (viewport), ==, zoom);

    g_signal_connect (view, "household-activated", G_CALLBACK (on_household_activated_cb), &activated);
    g_assert_true (press_key (view, GDK_KEY_Return));
    g_assert_nonnull (activated);
    g_assert_cmpstr (activated, ==, tsu_map_view_get_household_at (view, gtk_widget_get_width (map) / 2.0,
                                                                    gtk_widget_get_height (map) / 2.0));
    g_signal_handlers_disconnect_by_func (view, on_household_activated_cb, &activated);
    wait_ms (300);
    g_clear_object (&close_up);
    close_up = take_screenshot (window, "map-view-keyboard.png");
  }

  /* Nothing out in the hills west of the city. */
  shumate_location_set_location (SHUMATE_LOCATION (viewport), 34.70, 135.80);
  g_assert_null (tsu_map_view_get_household_at (view, gtk_widget_get_width (GTK_WIDGET (view)) / 2.0,
                                                gtk_widget_get_height (GTK_WIDGET (view)) / 2.0));

  gtk_window_destroy (GTK_WINDOW (window));
  wait_ms (100);
}

/* The map page as the app shows it: the demo city (its 39 districts
 * with their approximate, dashed outlines and names, households in every
 * status) on an offline tile pack. */
static void
test_demo_screenshot (void)
{
  g_autofree char *db_path = g_build_filename (test_dir, "demo.db", NULL);
  g_autofree char *pack_path = make_pack ("demo.mbtiles", 8, 12);
  g_autoptr(TsuStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) shot = NULL;
  TsuDemoOptions options;
  GtkWidget *notice;
  GtkWidget *window;
  TsuMapView *view;

  store = tsu_store_open (db_path, &error);
  g_assert_no_error (error);
  tsu_demo_options_init (&options, TSU_DEMO_SIZE_SMALL);
  options.households = 3000;
  g_date_set_dmy (&options.today, 1, 11, 2026);
  g_test_timer_start ();
  g_assert_true (tsu_demo_generate (store, &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("made the demo city in %.1f s", g_test_timer_elapsed ());

  window = show_map_view (store, pack_path, 1100, 760, &view);
  wait_ready (view);
  wait_ms (3000);

  shot = take_screenshot (window, "map-view-demo.png");
  /* The pack's land, the clusters' status colours (overdue red,
   * up-to-date blue) and the districts' dark purple names. (The thin
   * dashed outlines are too few pixels to count reliably; that they are
   * drawn into tiles is tested in test_household_tiles, that the demo
   * has them in test-demo.) */
  g_assert_cmpfloat (share_of_color (shot, 217, 237, 217, 3), >, 0.2);
  g_assert_cmpfloat (share_of_color (shot, 0xe0, 0x1b, 0x24, 30), >, 0.0005);
  g_assert_cmpfloat (share_of_color (shot, 0x35, 0x84, 0xe4, 30), >, 0.0005);
  g_assert_cmpfloat (share_of_color (shot, 64, 31, 102, 20), >, 0.0002);
  /* The legend says what the dashes mean. */
  notice = find_label (GTK_WIDGET (view), "Dashed outlines: approximate district areas");
  g_assert_nonnull (notice);
  g_assert_true (gtk_widget_get_visible (notice));

  gtk_window_destroy (GTK_WINDOW (window));
  wait_ms (100);
}

static void
test_offline_without_tiles (void)
{
  g_autofree char *db_path = g_build_filename (test_dir, "offline.db", NULL);
  g_autoptr(TsuStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) shot = NULL;
  GtkWidget *window;
  GtkWidget *notice;
  TsuMapView *view;

  store = tsu_store_open (db_path, &error);
  g_assert_no_error (error);
  fill_store (store, 800);

  /* "Offline pack only" without any pack: plain background, households
   * and boundaries, and a notice. */
  window = show_map_view (store, "", 900, 640, &view);
  wait_ready (view);
  wait_ms (800);

  shot = take_screenshot (window, "map-view-offline.png");
  /* The plain background (#eceae2) and some households. */
  g_assert_cmpfloat (share_of_color (shot, 0xec, 0xea, 0xe2, 3), >, 0.3);
  g_assert_cmpfloat (share_of_color (shot, 0x35, 0x84, 0xe4, 30), >, 0.0001);
  /* A short notice, which explains itself in its tooltip. */
  notice = find_label (GTK_WIDGET (view), "No offline tile pack");
  g_assert_nonnull (notice);
  g_assert_true (gtk_widget_is_visible (notice));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (gtk_widget_get_parent (notice)), "plain background"));

  gtk_window_destroy (GTK_WINDOW (window));
  wait_ms (100);
}

/* Households drawn into map tiles */

typedef struct
{
  gboolean done;
  gboolean ok;
} FillResult;

static void
on_tile_filled_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  FillResult *fill = user_data;
  g_autoptr(GError) error = NULL;

  fill->ok = shumate_map_source_fill_tile_finish (SHUMATE_MAP_SOURCE (source), result, &error);
  g_assert_no_error (error);
  fill->done = TRUE;
}

static GdkTexture *
fill_tile (ShumateMapSource *source,
           int               zoom,
           int               x,
           int               y)
{
  g_autoptr(ShumateTile) tile = shumate_tile_new_full (x, y, 256, zoom);
  FillResult fill = { FALSE, FALSE };
  GdkPaintable *paintable;

  shumate_map_source_fill_tile_async (source, tile, NULL, on_tile_filled_cb, &fill);
  while (!fill.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (fill.ok);
  g_assert_cmpint (shumate_tile_get_state (tile), ==, SHUMATE_STATE_DONE);
  paintable = shumate_tile_get_paintable (tile);
  g_assert_true (GDK_IS_TEXTURE (paintable));
  g_assert_cmpint (gdk_texture_get_width (GDK_TEXTURE (paintable)), ==, 256);
  return g_object_ref (GDK_TEXTURE (paintable));
}

/* The colour at x, y as 0xRRGGBB (tiles are opaque). */
static guint32
texture_rgb_at (GdkTexture *texture,
                int         x,
                int         y)
{
  int width = gdk_texture_get_width (texture);
  g_autofree guint32 *pixels = g_new (guint32, width * gdk_texture_get_height (texture));

  gdk_texture_download (texture, (guchar *) pixels, width * 4);
  return pixels[y * width + x] & 0xffffff;
}

static gboolean
rgb_near (guint32 a,
          guint32 b,
          int     tolerance)
{
  for (int shift = 0; shift <= 16; shift += 8)
    if (ABS ((int) ((a >> shift) & 0xff) - (int) ((b >> shift) & 0xff)) > tolerance)
      return FALSE;
  return TRUE;
}

/* Where a place falls at a zoom: its tile and the pixel in it. */
static void
locate (double  lat,
        double  lon,
        int     zoom,
        int    *tile_x,
        int    *tile_y,
        int    *px,
        int    *py)
{
  double x, y, world = 256.0 * (1 << zoom);

  tsu_mercator_project (lat, lon, &x, &y);
  *tile_x = (int) floor (x * world / 256);
  *tile_y = (int) floor (y * world / 256);
  *px = (int) floor (x * world) - *tile_x * 256;
  *py = (int) floor (y * world) - *tile_y * 256;
}

/* A base map whose tiles come after 1.5 s: a network that is slow
 * rather than down. */
#define TEST_TYPE_SLOW_SOURCE (test_slow_source_get_type ())
G_DECLARE_FINAL_TYPE (TestSlowSource, test_slow_source, TEST, SLOW_SOURCE, ShumateMapSource)

struct _TestSlowSource
{
  ShumateMapSource parent_instance;
};

G_DEFINE_FINAL_TYPE (TestSlowSource, test_slow_source, SHUMATE_TYPE_MAP_SOURCE)

static gboolean
slow_fill_done_cb (gpointer user_data)
{
  GTask *task = user_data;
  ShumateTile *tile = g_task_get_task_data (task);
  g_autoptr(GBytes) black = g_bytes_new_take (g_malloc0 (256 * 256 * 3), 256 * 256 * 3);
  g_autoptr(GdkTexture) texture = gdk_memory_texture_new (256, 256, GDK_MEMORY_R8G8B8, black, 256 * 3);

  shumate_tile_set_paintable (tile, GDK_PAINTABLE (texture));
  g_task_return_boolean (task, TRUE);
  return G_SOURCE_REMOVE;
}

static void
test_slow_source_fill_tile_async (ShumateMapSource    *source,
                                  ShumateTile         *tile,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task = g_task_new (source, cancellable, callback, user_data);

  g_task_set_task_data (task, g_object_ref (tile), g_object_unref);
  g_timeout_add_full (G_PRIORITY_DEFAULT, 1500, slow_fill_done_cb, task, g_object_unref);
}

static gboolean
test_slow_source_fill_tile_finish (ShumateMapSource  *source,
                                   GAsyncResult      *result,
                                   GError           **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
test_slow_source_class_init (TestSlowSourceClass *klass)
{
  SHUMATE_MAP_SOURCE_CLASS (klass)->fill_tile_async = test_slow_source_fill_tile_async;
  SHUMATE_MAP_SOURCE_CLASS (klass)->fill_tile_finish = test_slow_source_fill_tile_finish;
}

static void
test_slow_source_init (TestSlowSource *self)
{
  shumate_map_source_set_id (SHUMATE_MAP_SOURCE (self), "slow");
  shumate_map_source_set_max_zoom_level (SHUMATE_MAP_SOURCE (self), 18);
  shumate_map_source_set_tile_size (SHUMATE_MAP_SOURCE (self), 256);
}

static void
on_late_base_cb (TsuHouseholdTileSource *source,
                 guint                  *late)
{
  (*late)++;
}

/* A slow base is not waited for: households first, on the plain
 * background, and a "late-base" when the base tile comes after all. */
static void
test_household_tiles_slow_base (void)
{
  g_autoptr(ShumateMapSource) slow = g_object_new (TEST_TYPE_SLOW_SOURCE, NULL);
  g_autoptr(TsuHouseholdTileSource) source = tsu_household_tile_source_new (slow, NULL, NULL, 1, 1);
  g_autoptr(GdkTexture) tile = NULL;
  guint late = 0;
  gint64 start = g_get_monotonic_time ();

  g_signal_connect (source, "late-base", G_CALLBACK (on_late_base_cb), &late);
  tile = fill_tile (SHUMATE_MAP_SOURCE (source), 14, 14000, 6500);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 1400 * 1000);
  g_assert_cmphex (texture_rgb_at (tile, 128, 128), ==, 0xeceae2);
  g_assert_cmpuint (late, ==, 0);
  while (late == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 1500 * 1000);
}

/* One household in Ueno. */
static TsuMapPoints *
one_household (void)
{
  TsuMapPoints *points = tsu_map_points_new (1);

  points->ids[0] = tsu_map_points_intern (points, "h-1");
  points->lat[0] = 34.7660;
  points->lon[0] = 136.1300;
  points->district_ids[0] = tsu_map_points_intern (points, "d-ueno");
  return points;
}

static guint
count_children (GtkWidget *widget)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

/* Changes that come before the map is first drawn (the base map, then
 * the households) leave one map layer, not one per change: layers that
 * no tile was asked of are dropped, not drawn and then covered. */
static void
test_household_layer_unseen_layers (void)
{
  g_autofree char *path = make_pack ("unseen.mbtiles", 10, 12);
  g_autoptr(TsuMbtilesSource) pack = tsu_mbtiles_source_new (path, NULL);
  g_autoptr(ShumateMapSource) base = tsu_mbtiles_source_create_map_source (pack);
  g_autoptr(ShumateViewport) viewport = shumate_viewport_new ();
  g_autoptr(TsuHouseholdLayer) layer = g_object_ref_sink (tsu_household_layer_new (viewport));
  g_autoptr(TsuMapPoints) points = one_household ();


  tsu_household_layer_set_map_source (layer, base);
  wait_ms (50);
  tsu_household_layer_set_points (layer, points);
  while (!tsu_household_layer_get_ready (layer))
    g_main_context_iteration (NULL, TRUE);
  wait_ms (50);

  g_assert_cmpuint (count_children (GTK_WIDGET (layer)), ==, 1);
}

typedef struct
{
  GtkWidget *layer;
  guint      n;
  gboolean   done;
} ChildCount;

static void
set_painted_cb (GdkFrameClock *clock,
                gboolean      *painted)
{
  *painted = TRUE;
}

static gboolean
count_children_idle_cb (gpointer user_data)
{
  ChildCount *count = user_data;

  count->n = count_children (count->layer);
  count->done = TRUE;
  return G_SOURCE_REMOVE;
}

/* Reloading makes the tiles again (for base tiles that can be had now)
 * while the ones on screen stay until the new ones are in. */
static void
test_household_layer_reload (void)
{
  g_autofree char *path = make_pack ("reload.mbtiles", 10, 12);
  g_autoptr(TsuMbtilesSource) pack = tsu_mbtiles_source_new (path, NULL);
  g_autoptr(ShumateMapSource) base = tsu_mbtiles_source_create_map_source (pack);
  g_autoptr(TsuMapPoints) points = one_household ();
  GtkWidget *window = gtk_window_new ();
  ShumateMap *map = shumate_map_new ();
  ShumateViewport *viewport = shumate_map_get_viewport (map);
  TsuHouseholdLayer *layer;
  GtkWidget *old_tiles;
  ChildCount count = { 0 };
  gint64 until;


  shumate_viewport_set_reference_map_source (viewport, base);
  shumate_viewport_set_zoom_level (viewport, 12);
  shumate_location_set_location (SHUMATE_LOCATION (viewport), 34.766, 136.13);
  layer = tsu_household_layer_new (viewport);
  shumate_map_add_layer (map, SHUMATE_LAYER (layer));
  tsu_household_layer_set_map_source (layer, base);
  tsu_household_layer_set_points (layer, points);
  gtk_window_set_default_size (GTK_WINDOW (window), 400, 300);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (map));
  gtk_window_present (GTK_WINDOW (window));
  while (!tsu_household_layer_get_ready (layer))
    g_main_context_iteration (NULL, TRUE);
  /* A frame drawn with the households, so that their tiles were asked for. */
  {
    GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
    gboolean painted = FALSE;
    gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (set_painted_cb), &painted);

    gtk_widget_queue_draw (window);
    while (!painted)
      g_main_context_iteration (NULL, TRUE);
    g_signal_handler_disconnect (clock, id);
  }
  wait_ms (300);
  g_assert_cmpuint (count_children (GTK_WIDGET (layer)), ==, 1);

  old_tiles = gtk_widget_get_first_child (GTK_WIDGET (layer));
  tsu_household_layer_reload_tiles (layer);
  /* Right after the layer has made the new tiles' layer (its idle runs
   * at G_PRIORITY_HIGH_IDLE) and before the next frame asks for tiles:
   * both layers are there, the old one still showing. */
  count.layer = GTK_WIDGET (layer);
  g_idle_add_full (G_PRIORITY_HIGH_IDLE + 1, count_children_idle_cb, &count, NULL);
  while (!count.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (count.n, ==, 2);
  /* Once the new tiles are in, the old layer goes. */
  until = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (gtk_widget_get_first_child (GTK_WIDGET (layer)) == old_tiles && g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);
  g_assert_cmpuint (count_children (GTK_WIDGET (layer)), ==, 1);
  g_assert_true (gtk_widget_get_first_child (GTK_WIDGET (layer)) != old_tiles);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_household_tiles (void)
{
  g_autofree char *path = make_pack ("households.mbtiles", 10, 12);
  g_autoptr(TsuMbtilesSource) pack = NULL;
  g_autoptr(ShumateMapSource) base = NULL;
  g_autoptr(TsuMapPoints) points = tsu_map_points_new (2);
  g_autoptr(TsuHouseholdPainter) all = NULL;
  g_autoptr(TsuHouseholdPainter) other_district = NULL;
  g_autoptr(GError) error = NULL;
  const guint32 overdue_red = 0xe01b24, plain = 0xeceae2, land = 0xd9edd9;
  int tx, ty, px, py;

  pack = tsu_mbtiles_source_new (path, &error);
  g_assert_no_error (error);
  base = tsu_mbtiles_source_create_map_source (pack);

  /* An overdue household in Ueno, an up-to-date one in Nabari's direction. */
  points->ids[0] = tsu_map_points_intern (points, "h-overdue");
  points->lat[0] = 34.7660;
  points->lon[0] = 136.1300;
  points->status[0] = TSU_MAP_STATUS_OVERDUE;
  points->district_ids[0] = tsu_map_points_intern (points, "d-ueno");
  points->ids[1] = tsu_map_points_intern (points, "h-normal");
  points->lat[1] = 34.6500;
  points->lon[1] = 136.2500;
  points->district_ids[1] = tsu_map_points_intern (points, "d-south");
  all = tsu_household_painter_new (points, NULL, 0, NULL);
  other_district = tsu_household_painter_new (points, "d-south", 0, NULL);
  g_assert_cmpuint (tsu_household_painter_get_set (all)->n, ==, 2);
  g_assert_cmpuint (tsu_household_painter_get_set (other_district)->n, ==, 1);

  /* Dots, beyond the pack's deepest zoom (12): the pack's tile enlarged,
   * the household's colour at its place. */
  {
    g_autoptr(TsuHouseholdTileSource) source = tsu_household_tile_source_new (base, NULL, all, 1, 1);
    g_autoptr(GdkTexture) tile = NULL;

    locate (points->lat[0], points->lon[0], 16, &tx, &ty, &px, &py);
    tile = fill_tile (SHUMATE_MAP_SOURCE (source), 16, tx, ty);
    g_assert_true (rgb_near (texture_rgb_at (tile, px, py), overdue_red, 8));
    /* Away from the dot: the land colour of the pack, not the plain
     * background. */
    g_assert_true (rgb_near (texture_rgb_at (tile, (px + 128) % 256, (py + 100) % 256), land, 12));
    g_assert_cmpuint (tsu_household_tile_source_get_n_filled (source), ==, 1);
    g_assert_cmpuint (tsu_household_tile_source_get_n_pending (source), ==, 0);
  }

  /* Filtered out: no dot there any more. */
  {
    g_autoptr(TsuHouseholdTileSource) source = tsu_household_tile_source_new (base, NULL, other_district, 2, 1);
    g_autoptr(GdkTexture) tile = NULL;

    locate (points->lat[0], points->lon[0], 16, &tx, &ty, &px, &py);
    tile = fill_tile (SHUMATE_MAP_SOURCE (source), 16, tx, ty);
    g_assert_false (rgb_near (texture_rgb_at (tile, px, py), overdue_red, 60));
  }

  /* Cluster zoom: a lone household is still a dot of its colour. */
  {
    g_autoptr(TsuHouseholdTileSource) source = tsu_household_tile_source_new (base, NULL, all, 3, 1);
    g_autoptr(GdkTexture) tile = NULL;

    locate (points->lat[0], points->lon[0], 11, &tx, &ty, &px, &py);
    tile = fill_tile (SHUMATE_MAP_SOURCE (source), 11, tx, ty);
    g_assert_true (rgb_near (texture_rgb_at (tile, px, py), overdue_red, 8));
  }

  /* No base map (offline, no pack), and a place the pack does not cover:
   * households on the plain background. */
  {
    g_autoptr(TsuHouseholdTileSource) offline = tsu_household_tile_source_new (NULL, NULL, all, 4, 1);
    g_autoptr(TsuHouseholdTileSource) outside = tsu_household_tile_source_new (base, NULL, all, 5, 1);
    g_autoptr(GdkTexture) tile = NULL;
    g_autoptr(GdkTexture) far = NULL;

    locate (points->lat[0], points->lon[0], 15, &tx, &ty, &px, &py);
    tile = fill_tile (SHUMATE_MAP_SOURCE (offline), 15, tx, ty);
    g_assert_true (rgb_near (texture_rgb_at (tile, px, py), overdue_red, 8));
    g_assert_cmphex (texture_rgb_at (tile, (px + 128) % 256, (py + 100) % 256), ==, plain);

    /* District outlines go into the same tiles: the line on the
     * district's west edge, the inside tinted only when highlighted. */
    {
      g_autoptr(GPtrArray) districts = g_ptr_array_new_with_free_func ((GDestroyNotify) tsu_map_district_free);
      TsuMapDistrict *district = g_new0 (TsuMapDistrict, 1);
      GArray *ring = g_array_new (FALSE, FALSE, sizeof (TsuPoint));
      TsuPoint corners[] = { { 136.12, 34.76 }, { 136.14, 34.76 }, { 136.14, 34.77 }, { 136.12, 34.77 } };
      g_autoptr(TsuBoundaryPainter) plain_outline = NULL;
      g_autoptr(TsuBoundaryPainter) highlighted = NULL;
      g_autoptr(TsuHouseholdTileSource) with_outline = NULL;
      g_autoptr(TsuHouseholdTileSource) with_highlight = NULL;
      g_autoptr(GdkTexture) edge = NULL;
      g_autoptr(GdkTexture) inside = NULL;
      gboolean line_found = FALSE;
      int ix, iy, itx, ity;

      g_array_append_vals (ring, corners, G_N_ELEMENTS (corners));
      district->id = g_strdup ("d-ueno");
      district->name = g_strdup ("上野");
      district->lat = NAN;
      district->lon = NAN;
      district->boundary = tsu_shape_new ();
      tsu_shape_add_ring (district->boundary, TRUE, ring);
      g_ptr_array_add (districts, district);
      plain_outline = tsu_boundary_painter_new (districts, NULL, NULL);
      highlighted = tsu_boundary_painter_new (districts, "d-ueno", NULL);
      with_outline = tsu_household_tile_source_new (NULL, plain_outline, NULL, 6, 1);
      with_highlight = tsu_household_tile_source_new (NULL, highlighted, NULL, 7, 1);

      locate (34.765, 136.12, 15, &tx, &ty, &px, &py);
      edge = fill_tile (SHUMATE_MAP_SOURCE (with_outline), 15, tx, ty);
      for (int dy = -1; dy <= 1; dy++)
        for (int dx = -1; dx <= 1; dx++)
          {
            guint32 rgb = texture_rgb_at (edge, CLAMP (px + dx, 0, 255), CLAMP (py + dy, 0, 255));

            line_found |= (int) (rgb & 0xff) > (int) ((rgb >> 8) & 0xff) + 40;
          }
      g_assert_true (line_found);

      locate (34.765, 136.13, 15, &itx, &ity, &ix, &iy);
      g_clear_object (&edge);
      edge = fill_tile (SHUMATE_MAP_SOURCE (with_outline), 15, itx, ity);
      inside = fill_tile (SHUMATE_MAP_SOURCE (with_highlight), 15, itx, ity);
      g_assert_cmphex (texture_rgb_at (edge, ix, iy), ==, plain);
      g_assert_cmphex (texture_rgb_at (inside, ix, iy), !=, plain);
    }

    locate (43.06, 141.35, 12, &tx, &ty, &px, &py);
    far = fill_tile (SHUMATE_MAP_SOURCE (outside), 12, tx, ty);
    g_assert_cmphex (texture_rgb_at (far, 128, 128), ==, plain);
  }
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  test_dir = g_dir_make_tmp ("tsu-test-map-view-XXXXXX", &error);
  g_assert_no_error (error);
  /* Tile caches go to a directory of our own, not the user's. */
  g_setenv ("XDG_CACHE_HOME", test_dir, TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* Referencing the resource bundle links it in from the static library
   * (its constructor registers it). */
  g_assert_nonnull (tsu_get_resource ());
  /* What AdwApplication does in the app: the style sheet. */
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, RESOURCE_BASE "/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  g_test_add_func ("/map-view/mbtiles/read", test_mbtiles_read);
  g_test_add_func ("/map-view/mbtiles/async", test_mbtiles_async);
  g_test_add_func ("/map-view/tiles-for-area", test_tiles_for_area);
  g_test_add_func ("/map-view/tile-source/online", test_tile_source_online);
  g_test_add_func ("/map-view/tile-source/abandons-waiting", test_tile_source_abandons_waiting);
  g_test_add_func ("/map-view/screenshot", test_screenshot);
  g_test_add_func ("/map-view/screenshot-demo", test_demo_screenshot);
  g_test_add_func ("/map-view/offline-without-tiles", test_offline_without_tiles);
  g_test_add_func ("/map-view/household-tiles", test_household_tiles);
  g_test_add_func ("/map-view/household-layer/unseen-layers", test_household_layer_unseen_layers);
  g_test_add_func ("/map-view/household-layer/reload", test_household_layer_reload);
  g_test_add_func ("/map-view/household-tiles/slow-base", test_household_tiles_slow_base);

  status = g_test_run ();
  remove_tree (test_dir);
  g_free (test_dir);
  return status;
}
