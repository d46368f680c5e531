/* tsu-tile-source.c: online map tiles with a persistent cache and an
 * offline fallback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libshumate 1.0.3's own downloader ignores shumate_set_user_agent() (the
 * libsoup 3 build hard-codes it) and can only cache under XDG_CACHE_HOME,
 * so this source does the fetching itself: our own libsoup session with a
 * descriptive User-Agent and at most two connections per host, our own
 * ShumateFileCache (its size limit kept by tsu_tile_cache_trim(), when
 * the source starts and after every TRIM_EVERY new tiles), then the
 * stale cached copy, then the offline pack. Like every data source it
 * must emit "received-data" for ShumateRasterRenderer to show anything.
 *
 * Once a request has failed for want of a network, tiles for the screen
 * stop going to the server: those already waiting for it and those asked
 * for later come from the cache or the pack at once, and one request
 * every RETRY_SECONDS finds out whether the server is back. Otherwise,
 * on a network that hangs rather than fails (a weak mobile signal, a
 * captive portal), every tile of every pan would wait for its own
 * time-out before the households could be drawn on it.
 */
#include "config.h"

#include <math.h>
#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "tsu-geometry.h"
#include "tsu-tile-cache.h"
#include "tsu-tile-source.h"

#define TRIM_EVERY 128

/* While the server is unreachable, how often one tile asks it again. */
#define RETRY_SECONDS 30

/* Tiles younger than this are used without asking the server. */
#define FRESH_SECONDS (7 * 24 * 3600)
#define USER_AGENT "Tsunagu/" PACKAGE_VERSION " (" APP_ID "; community welfare outreach map)"

typedef struct
{
  const char *id;
  const char *name;          /* translatable */
  const char *url;
  const char *attribution_text;
  const char *attribution_markup;
  int         min_zoom;
  int         max_zoom;
  gboolean    bulk_download;
} SourceInfo;

static const SourceInfo sources[] = {
  [TSU_TILE_SOURCE_GSI_STD] = {
    "gsi-std", N_("GSI Standard Map"),
    "https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png",
    "地理院タイル",
    "<a href=\"https://maps.gsi.go.jp/development/ichiran.html\">地理院タイル</a>",
    2, 18, TRUE },
  [TSU_TILE_SOURCE_GSI_PALE] = {
    "gsi-pale", N_("GSI Pale Map"),
    "https://cyberjapandata.gsi.go.jp/xyz/pale/{z}/{x}/{y}.png",
    "地理院タイル",
    "<a href=\"https://maps.gsi.go.jp/development/ichiran.html\">地理院タイル</a>",
    2, 18, TRUE },
  [TSU_TILE_SOURCE_OSM] = {
    "osm", N_("OpenStreetMap"),
    "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    "© OpenStreetMap contributors",
    "<a href=\"https://www.openstreetmap.org/copyright\">© OpenStreetMap contributors</a>",
    0, 19, FALSE },
};

struct _TsuTileSource
{
  ShumateDataSource  parent_instance;

  TsuTileSourceKind  kind;
  char              *url;
  SoupSession       *session;
  ShumateFileCache  *cache;
  char              *cache_dir;
  guint64            cache_limit;
  guint              stored_since_trim;
  GCancellable      *cancellable;
  TsuMbtilesSource  *fallback;
  gboolean           network_allowed;
  gboolean           reachable;
  gint64             next_retry;   /* monotonic µs; while unreachable */
  GPtrArray         *fetching;     /* Requests waiting for the server */
};

G_DEFINE_FINAL_TYPE (TsuTileSource, tsu_tile_source, SHUMATE_TYPE_DATA_SOURCE)

enum {
  PROP_0,
  PROP_REACHABLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const char *
tsu_tile_source_kind_to_string (TsuTileSourceKind kind)
{
  g_return_val_if_fail (kind < G_N_ELEMENTS (sources), NULL);
  return sources[kind].id;
}

gboolean
tsu_tile_source_kind_from_string (const char        *text,
                                  TsuTileSourceKind *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    if (g_strcmp0 (text, sources[i].id) == 0)
      {
        *kind = i;
        return TRUE;
      }
  return FALSE;
}

static void
on_cache_trimmed_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  guint64 removed = 0;

  if (!tsu_tile_cache_trim_finish (result, &removed, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Failed to trim the map tile cache: %s", error->message);
  else if (removed > 0)
    g_debug ("Map tile cache: removed %" G_GUINT64_FORMAT " bytes of old tiles", removed);
}

static void
trim_cache (TsuTileSource *self)
{
  self->stored_since_trim = 0;
  if (self->cache_limit > 0)
    tsu_tile_cache_trim_async (self->cache_dir, self->cache_limit, self->cancellable, on_cache_trimmed_cb, NULL);
}

TsuTileSource *
tsu_tile_source_new (TsuTileSourceKind  kind,
                     const char        *cache_dir,
                     guint              cache_limit)
{
  TsuTileSource *self;

  g_return_val_if_fail (kind < G_N_ELEMENTS (sources), NULL);
  g_return_val_if_fail (cache_dir != NULL, NULL);

  self = g_object_new (TSU_TYPE_TILE_SOURCE, NULL);
  self->kind = kind;
  self->cache = shumate_file_cache_new_full (cache_limit, sources[kind].id, cache_dir);
  self->cache_dir = g_strdup (cache_dir);
  self->cache_limit = cache_limit;
  trim_cache (self);
  return self;
}

TsuTileSource *
tsu_tile_source_new_with_url (TsuTileSourceKind  kind,
                              const char        *url_template,
                              const char        *cache_dir,
                              guint              cache_limit)
{
  TsuTileSource *self = tsu_tile_source_new (kind, cache_dir, cache_limit);

  g_return_val_if_fail (url_template != NULL, self);
  self->url = g_strdup (url_template);
  return self;
}

TsuTileSourceKind
tsu_tile_source_get_kind (TsuTileSource *self)
{
  return self->kind;
}

const char *
tsu_tile_source_get_name (TsuTileSource *self)
{
  return _(sources[self->kind].name);
}

const char *
tsu_tile_source_get_attribution_markup (TsuTileSource *self)
{
  return sources[self->kind].attribution_markup;
}

const char *
tsu_tile_source_get_attribution_text (TsuTileSource *self)
{
  return sources[self->kind].attribution_text;
}

gboolean
tsu_tile_source_allows_bulk_download (TsuTileSource *self)
{
  return sources[self->kind].bulk_download;
}

void
tsu_tile_source_set_fallback (TsuTileSource    *self,
                              TsuMbtilesSource *pack)
{
  g_return_if_fail (TSU_IS_TILE_SOURCE (self));
  g_set_object (&self->fallback, pack);
}

void
tsu_tile_source_set_network_allowed (TsuTileSource *self,
                                     gboolean       allowed)
{
  g_return_if_fail (TSU_IS_TILE_SOURCE (self));
  /* A network that has just come (back) is worth asking at once. */
  if (allowed && !self->network_allowed)
    self->next_retry = 0;
  self->network_allowed = allowed;
}

gboolean
tsu_tile_source_get_reachable (TsuTileSource *self)
{
  g_return_val_if_fail (TSU_IS_TILE_SOURCE (self), FALSE);
  return self->reachable && self->network_allowed;
}

static void
set_reachable (TsuTileSource *self,
               gboolean       reachable)
{
  if (self->reachable == reachable)
    return;
  self->reachable = reachable;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REACHABLE]);
}

static char *
tile_url (TsuTileSource *self,
          int            x,
          int            y,
          int            zoom)
{
  g_autoptr(GString) url = g_string_new (self->url != NULL ? self->url : sources[self->kind].url);
  char buf[16];

  g_snprintf (buf, sizeof buf, "%d", zoom);
  g_string_replace (url, "{z}", buf, 1);
  g_snprintf (buf, sizeof buf, "%d", x);
  g_string_replace (url, "{x}", buf, 1);
  g_snprintf (buf, sizeof buf, "%d", y);
  g_string_replace (url, "{y}", buf, 1);
  return g_string_free (g_steal_pointer (&url), FALSE);
}

/* One tile request, walking cache → network → stale cache → pack. */
typedef struct
{
  TsuTileSource *self;
  GTask         *task;
  int            x;
  int            y;
  int            zoom;
  GBytes        *cached;
  char          *etag;
  SoupMessage   *message;
  GCancellable  *fetch_cancellable;
  gulong         fetch_cancel_link;
  gboolean       emit;      /* FALSE for downloads: nothing is on screen */
  gboolean       abandoned; /* the network failed meanwhile: fall back */
} Request;

static void
request_free (Request *request)
{
  if (request->fetch_cancel_link != 0)
    g_cancellable_disconnect (g_task_get_cancellable (request->task), request->fetch_cancel_link);
  g_clear_object (&request->fetch_cancellable);
  g_clear_object (&request->self);
  g_clear_object (&request->task);
  g_clear_pointer (&request->cached, g_bytes_unref);
  g_clear_object (&request->message);
  g_free (request->etag);
  g_free (request);
}

static void
request_return_bytes (Request *request,
                      GBytes  *bytes)
{
  if (request->emit)
    g_signal_emit_by_name (request->self, "received-data", request->x, request->y, request->zoom, bytes);
  g_task_return_pointer (request->task, g_bytes_ref (bytes), (GDestroyNotify) g_bytes_unref);
  request_free (request);
}

static void
on_pack_read_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Request *request = user_data;
  GError *error = NULL;
  g_autoptr(GBytes) bytes = shumate_data_source_get_tile_data_finish (SHUMATE_DATA_SOURCE (source), result, &error);

  if (bytes == NULL)
    {
      g_task_return_error (request->task, error);
      request_free (request);
      return;
    }
  request_return_bytes (request, bytes);
}

static void
request_fall_back (Request *request,
                   GError  *error)
{
  if (request->cached != NULL)
    {
      /* Stale, but better than an empty square when offline. */
      g_clear_error (&error);
      request_return_bytes (request, request->cached);
      return;
    }
  if (request->self->fallback != NULL)
    {
      g_clear_error (&error);
      shumate_data_source_get_tile_data_async (SHUMATE_DATA_SOURCE (request->self->fallback),
                                               request->x, request->y, request->zoom,
                                               g_task_get_cancellable (request->task),
                                               on_pack_read_cb, request);
      return;
    }
  if (error == NULL)
    error = g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "No tile %d/%d/%d offline",
                         request->zoom, request->x, request->y);
  g_task_return_error (request->task, error);
  request_free (request);
}

static void
on_tile_stored_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(TsuTileSource) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!shumate_file_cache_store_tile_finish (SHUMATE_FILE_CACHE (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Failed to cache a map tile: %s", error->message);
      return;
    }
  if (++self->stored_since_trim >= TRIM_EVERY && self->cancellable != NULL)
    trim_cache (self);
}

/* The network has just failed: tiles for the screen still waiting for
 * the server (queued behind a hanging connection, say) stop waiting. */
static void
abandon_fetches (TsuTileSource *self)
{
  g_autoptr(GPtrArray) waiting = g_ptr_array_copy (self->fetching, NULL, NULL);

  for (guint i = 0; i < waiting->len; i++)
    {
      Request *request = g_ptr_array_index (waiting, i);

      if (request->emit && !request->abandoned)
        {
          request->abandoned = TRUE;
          g_cancellable_cancel (request->fetch_cancellable);
        }
    }
}

static void
on_fetched_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Request *request = user_data;
  TsuTileSource *self = request->self;
  GError *error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  guint status;

  g_ptr_array_remove_fast (self->fetching, request);
  if (bytes == NULL)
    {
      if (request->abandoned && !g_cancellable_is_cancelled (g_task_get_cancellable (request->task)))
        g_clear_error (&error);
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          self->next_retry = g_get_monotonic_time () + RETRY_SECONDS * G_USEC_PER_SEC;
          set_reachable (self, FALSE);
          abandon_fetches (self);
        }
      request_fall_back (request, error);
      return;
    }
  set_reachable (self, TRUE);
  status = soup_message_get_status (request->message);
  if (status == SOUP_STATUS_NOT_MODIFIED && request->cached != NULL)
    {
      shumate_file_cache_mark_up_to_date (self->cache, request->x, request->y, request->zoom);
      request_return_bytes (request, request->cached);
      return;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (status) || g_bytes_get_size (bytes) == 0)
    {
      request_fall_back (request, g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, "HTTP %u for tile %d/%d/%d",
                                               status, request->zoom, request->x, request->y));
      return;
    }

  shumate_file_cache_store_tile_async (self->cache, request->x, request->y, request->zoom, bytes,
                                       soup_message_headers_get_one (soup_message_get_response_headers (request->message), "ETag"),
                                       NULL, on_tile_stored_cb, g_object_ref (self));
  request_return_bytes (request, bytes);
}

static void
on_caller_cancelled_cb (GCancellable *caller,
                        gpointer      fetch_cancellable)
{
  g_cancellable_cancel (G_CANCELLABLE (fetch_cancellable));
}

static void
request_fetch (Request *request)
{
  TsuTileSource *self = request->self;
  g_autofree char *url = NULL;

  if (!self->network_allowed)
    {
      request_fall_back (request, NULL);
      return;
    }
  /* Unreachable: only one tile now and then asks the server. Downloads
   * for offline use were asked for by the user and always try. */
  if (!self->reachable && request->emit)
    {
      gint64 now = g_get_monotonic_time ();

      if (now < self->next_retry)
        {
          request_fall_back (request, NULL);
          return;
        }
      self->next_retry = now + RETRY_SECONDS * G_USEC_PER_SEC;
    }
  url = tile_url (self, request->x, request->y, request->zoom);
  request->message = soup_message_new (SOUP_METHOD_GET, url);
  if (request->etag != NULL)
    soup_message_headers_append (soup_message_get_request_headers (request->message),
                                 "If-None-Match", request->etag);
  /* A cancellable of its own, so that the request can be abandoned
   * without cancelling the caller's. */
  request->fetch_cancellable = g_cancellable_new ();
  if (g_task_get_cancellable (request->task) != NULL)
    request->fetch_cancel_link = g_cancellable_connect (g_task_get_cancellable (request->task),
                                                        G_CALLBACK (on_caller_cancelled_cb),
                                                        g_object_ref (request->fetch_cancellable),
                                                        g_object_unref);
  g_ptr_array_add (self->fetching, request);
  soup_session_send_and_read_async (self->session, request->message, G_PRIORITY_DEFAULT,
                                    request->fetch_cancellable, on_fetched_cb, request);
}

static void
on_cache_read_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Request *request = user_data;
  g_autoptr(GDateTime) modtime = NULL;
  g_autoptr(GError) error = NULL;

  request->cached = shumate_file_cache_get_tile_finish (SHUMATE_FILE_CACHE (source), &request->etag,
                                                        &modtime, result, &error);
  if (request->cached != NULL && modtime != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      if (g_date_time_difference (now, modtime) < (GTimeSpan) FRESH_SECONDS * G_TIME_SPAN_SECOND)
        {
          request_return_bytes (request, request->cached);
          return;
        }
    }
  request_fetch (request);
}

static Request *
request_new (TsuTileSource       *self,
             int                  x,
             int                  y,
             int                  zoom,
             gboolean             emit,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  Request *request = g_new0 (Request, 1);

  request->self = g_object_ref (self);
  request->task = g_task_new (self, cancellable, callback, user_data);
  request->x = x;
  request->y = y;
  request->zoom = zoom;
  request->emit = emit;
  return request;
}

static void
tsu_tile_source_get_tile_data_async (ShumateDataSource   *source,
                                     int                  x,
                                     int                  y,
                                     int                  zoom,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  TsuTileSource *self = TSU_TILE_SOURCE (source);
  Request *request = request_new (self, x, y, zoom, TRUE, cancellable, callback, user_data);

  g_task_set_source_tag (request->task, tsu_tile_source_get_tile_data_async);
  shumate_file_cache_get_tile_async (self->cache, x, y, zoom, cancellable, on_cache_read_cb, request);
}

static GBytes *
tsu_tile_source_get_tile_data_finish (ShumateDataSource  *source,
                                      GAsyncResult       *result,
                                      GError            **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

ShumateMapSource *
tsu_tile_source_create_map_source (TsuTileSource *self)
{
  const SourceInfo *info;

  g_return_val_if_fail (TSU_IS_TILE_SOURCE (self), NULL);

  info = &sources[self->kind];
  return SHUMATE_MAP_SOURCE (shumate_raster_renderer_new_full (info->id, _(info->name),
                                                               info->attribution_text, NULL,
                                                               info->min_zoom, info->max_zoom, 256,
                                                               SHUMATE_MAP_PROJECTION_MERCATOR,
                                                               SHUMATE_DATA_SOURCE (self)));
}

int
tsu_tiles_for_area (double  min_lat,
                    double  min_lon,
                    double  max_lat,
                    double  max_lon,
                    int     min_zoom,
                    int     max_zoom,
                    guint   max_tiles,
                    GArray *tiles)
{
  double x0, y0, x1, y1;
  guint64 total = 0;
  int top = -1;

  tsu_mercator_project (max_lat, min_lon, &x0, &y0);
  tsu_mercator_project (min_lat, max_lon, &x1, &y1);

  /* Count first, so that whole zoom levels are dropped rather than a
   * district fetched half at its most detailed level. */
  for (int z = min_zoom; z <= max_zoom; z++)
    {
      double n = exp2 (z);
      guint64 cols = (guint64) (floor (MIN (x1 * n, n - 1)) - floor (x0 * n) + 1);
      guint64 rows = (guint64) (floor (MIN (y1 * n, n - 1)) - floor (y0 * n) + 1);

      if (total + cols * rows > max_tiles)
        break;
      total += cols * rows;
      top = z;
    }

  for (int z = min_zoom; z <= top; z++)
    {
      double n = exp2 (z);
      int tx0 = (int) floor (x0 * n), tx1 = (int) floor (MIN (x1 * n, n - 1));
      int ty0 = (int) floor (y0 * n), ty1 = (int) floor (MIN (y1 * n, n - 1));

      for (int ty = ty0; ty <= ty1; ty++)
        for (int tx = tx0; tx <= tx1; tx++)
          {
            TsuTileKey key = { tx, ty, z };
            g_array_append_val (tiles, key);
          }
    }
  return top;
}

/* A district download: a queue worked through two tiles at a time (the
 * session allows two connections per host anyway). */
typedef struct
{
  GArray              *tiles;
  guint                next;
  guint                done;
  guint                failed;
  guint                in_flight;
  TsuTileProgressFunc  progress;
  gpointer             progress_data;
} Download;

static void
download_free (Download *download)
{
  g_array_unref (download->tiles);
  g_free (download);
}

static void download_pump (GTask *task);

static void
on_download_tile_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Download *download = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_task_propagate_pointer (G_TASK (result), &error);

  download->in_flight--;
  download->done++;
  if (bytes == NULL)
    download->failed++;
  if (download->progress != NULL)
    download->progress (download->done, download->tiles->len, download->progress_data);
  download_pump (task);
}

static void
download_pump (GTask *task)
{
  TsuTileSource *self = g_task_get_source_object (task);
  Download *download = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (g_cancellable_is_cancelled (cancellable))
    {
      if (download->in_flight == 0 && !g_task_get_completed (task))
        g_task_return_error_if_cancelled (task);
      return;
    }
  while (download->in_flight < 2 && download->next < download->tiles->len)
    {
      TsuTileKey *key = &g_array_index (download->tiles, TsuTileKey, download->next++);
      Request *request = request_new (self, key->x, key->y, key->zoom, FALSE, cancellable,
                                      on_download_tile_cb, g_object_ref (task));

      download->in_flight++;
      shumate_file_cache_get_tile_async (self->cache, key->x, key->y, key->zoom, cancellable,
                                         on_cache_read_cb, request);
    }
  if (download->in_flight == 0 && download->next >= download->tiles->len && !g_task_get_completed (task))
    g_task_return_boolean (task, TRUE);
}

void
tsu_tile_source_download_async (TsuTileSource       *self,
                                GArray              *tiles,
                                GCancellable        *cancellable,
                                TsuTileProgressFunc  progress,
                                gpointer             progress_data,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Download *download;

  g_return_if_fail (TSU_IS_TILE_SOURCE (self));
  g_return_if_fail (tiles != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tsu_tile_source_download_async);
  if (!sources[self->kind].bulk_download)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("The terms of %s do not allow downloading an area for offline use"),
                               _(sources[self->kind].name));
      return;
    }
  download = g_new0 (Download, 1);
  download->tiles = g_array_ref (tiles);
  download->progress = progress;
  download->progress_data = progress_data;
  g_task_set_task_data (task, download, (GDestroyNotify) download_free);
  download_pump (task);
}

gboolean
tsu_tile_source_download_finish (TsuTileSource  *self,
                                 GAsyncResult   *result,
                                 guint          *n_failed,
                                 GError        **error)
{
  Download *download;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  download = g_task_get_task_data (G_TASK (result));
  if (n_failed != NULL)
    *n_failed = download != NULL ? download->failed : 0;
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
tsu_tile_source_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TsuTileSource *self = TSU_TILE_SOURCE (object);

  switch (prop_id)
    {
    case PROP_REACHABLE:
      g_value_set_boolean (value, tsu_tile_source_get_reachable (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_tile_source_dispose (GObject *object)
{
  TsuTileSource *self = TSU_TILE_SOURCE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_object (&self->cache);
  g_clear_object (&self->fallback);

  G_OBJECT_CLASS (tsu_tile_source_parent_class)->dispose (object);
}

static void
tsu_tile_source_finalize (GObject *object)
{
  TsuTileSource *self = TSU_TILE_SOURCE (object);

  g_free (self->url);
  g_free (self->cache_dir);
  g_ptr_array_unref (self->fetching);

  G_OBJECT_CLASS (tsu_tile_source_parent_class)->finalize (object);
}

static void
tsu_tile_source_class_init (TsuTileSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  ShumateDataSourceClass *source_class = SHUMATE_DATA_SOURCE_CLASS (klass);

  object_class->dispose = tsu_tile_source_dispose;
  object_class->finalize = tsu_tile_source_finalize;
  object_class->get_property = tsu_tile_source_get_property;
  source_class->get_tile_data_async = tsu_tile_source_get_tile_data_async;
  source_class->get_tile_data_finish = tsu_tile_source_get_tile_data_finish;

  properties[PROP_REACHABLE] =
    g_param_spec_boolean ("reachable", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tsu_tile_source_init (TsuTileSource *self)
{
  /* Tile servers ask for an identifying User-Agent and few parallel
   * connections (OSM's tile usage policy; GSI asks for moderate use). */
  self->session = soup_session_new_with_options ("user-agent", USER_AGENT,
                                                 "max-conns-per-host", 2,
                                                 "timeout", 20,
                                                 NULL);
  self->network_allowed = TRUE;
  self->reachable = TRUE;
  self->fetching = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();
}
