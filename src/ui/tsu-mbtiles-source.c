/* tsu-mbtiles-source.c: map tiles from an MBTiles file (an offline pack)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * MBTiles is SQLite with a tiles table in TMS numbering: rows count from
 * the south, so row = 2^zoom − 1 − y. This is the one file outside the
 * store that talks SQLite, because the pack is not the app's database.
 *
 * ShumateRasterRenderer in libshumate 1.0.3 builds the texture only from
 * the "received-data" signal, not from the bytes the async call returns,
 * so every successful read emits it (on the main thread) before the task
 * completes.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <sqlite3.h>

#include "tsu-mbtiles-source.h"
#include "tsu-store-error.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

#define SQL_TILE "SELECT tile_data FROM tiles WHERE zoom_level = ?1 AND tile_column = ?2 AND tile_row = ?3"
#define SQL_METADATA "SELECT name, value FROM metadata"

struct _TsuMbtilesSource
{
  ShumateDataSource  parent_instance;

  sqlite3           *db;
  GMutex             mutex;
  char              *path;
  char              *name;
  char              *attribution;
  guint              min_zoom;
  guint              max_zoom;
};

G_DEFINE_FINAL_TYPE (TsuMbtilesSource, tsu_mbtiles_source, SHUMATE_TYPE_DATA_SOURCE)

static gboolean
read_metadata (TsuMbtilesSource  *self,
               GError           **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) probe = NULL;
  int rc;

  /* Every pack must have the tiles table; metadata is optional. */
  if (sqlite3_prepare_v2 (self->db, SQL_TILE, -1, &probe, NULL) != SQLITE_OK)
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_NOT_A_DATABASE,
                   _("%s is not an MBTiles tile pack (%s)"), self->path, sqlite3_errmsg (self->db));
      return FALSE;
    }

  self->min_zoom = 0;
  self->max_zoom = 18;
  if (sqlite3_prepare_v2 (self->db, SQL_METADATA, -1, &stmt, NULL) != SQLITE_OK)
    return TRUE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *key = (const char *) sqlite3_column_text (stmt, 0);
      const char *value = (const char *) sqlite3_column_text (stmt, 1);

      if (key == NULL || value == NULL)
        continue;
      if (g_str_equal (key, "name"))
        {
          g_free (self->name);
          self->name = g_strdup (value);
        }
      else if (g_str_equal (key, "attribution"))
        {
          g_free (self->attribution);
          self->attribution = g_strdup (value);
        }
      else if (g_str_equal (key, "minzoom"))
        self->min_zoom = MIN (g_ascii_strtoull (value, NULL, 10), 22);
      else if (g_str_equal (key, "maxzoom"))
        self->max_zoom = MIN (g_ascii_strtoull (value, NULL, 10), 22);
    }
  if (self->max_zoom < self->min_zoom)
    self->max_zoom = self->min_zoom;
  return TRUE;
}

TsuMbtilesSource *
tsu_mbtiles_source_new (const char  *path,
                        GError     **error)
{
  g_autoptr(TsuMbtilesSource) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (TSU_TYPE_MBTILES_SOURCE, NULL);
  self->path = g_strdup (path);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_IO, _("The tile pack %s does not exist"), path);
      return NULL;
    }
  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK)
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_NOT_A_DATABASE,
                   _("%s could not be opened as a tile pack (%s)"), path, sqlite3_errmsg (self->db));
      return NULL;
    }
  if (!read_metadata (self, error))
    return NULL;
  if (self->name == NULL)
    self->name = g_path_get_basename (path);
  return g_steal_pointer (&self);
}

static void
new_worker (GTask        *task,
            gpointer      source,
            gpointer      task_data,
            GCancellable *cancellable)
{
  GError *error = NULL;
  TsuMbtilesSource *self = tsu_mbtiles_source_new (task_data, &error);

  if (self == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, self, g_object_unref);
}

void
tsu_mbtiles_source_new_async (const char          *path,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, tsu_mbtiles_source_new_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, new_worker);
}

TsuMbtilesSource *
tsu_mbtiles_source_new_finish (GAsyncResult  *result,
                               GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
tsu_mbtiles_source_get_path (TsuMbtilesSource *self)
{
  g_return_val_if_fail (TSU_IS_MBTILES_SOURCE (self), NULL);
  return self->path;
}

const char *
tsu_mbtiles_source_get_name (TsuMbtilesSource *self)
{
  g_return_val_if_fail (TSU_IS_MBTILES_SOURCE (self), NULL);
  return self->name;
}

const char *
tsu_mbtiles_source_get_attribution (TsuMbtilesSource *self)
{
  g_return_val_if_fail (TSU_IS_MBTILES_SOURCE (self), NULL);
  return self->attribution;
}

guint
tsu_mbtiles_source_get_min_zoom (TsuMbtilesSource *self)
{
  g_return_val_if_fail (TSU_IS_MBTILES_SOURCE (self), 0);
  return self->min_zoom;
}

guint
tsu_mbtiles_source_get_max_zoom (TsuMbtilesSource *self)
{
  g_return_val_if_fail (TSU_IS_MBTILES_SOURCE (self), 0);
  return self->max_zoom;
}

GBytes *
tsu_mbtiles_source_read_tile (TsuMbtilesSource  *self,
                              int                x,
                              int                y,
                              int                zoom,
                              GError           **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GMutexLocker) locker = NULL;
  GBytes *bytes = NULL;
  int rc;

  g_return_val_if_fail (TSU_IS_MBTILES_SOURCE (self), NULL);

  if (zoom < 0 || zoom > 30 || x < 0 || y < 0 || x >= (1 << zoom) || y >= (1 << zoom))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "No tile %d/%d/%d in the world", zoom, x, y);
      return NULL;
    }

  locker = g_mutex_locker_new (&self->mutex);
  if (sqlite3_prepare_v2 (self->db, SQL_TILE, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_SQL, "%s", sqlite3_errmsg (self->db));
      return NULL;
    }
  sqlite3_bind_int (stmt, 1, zoom);
  sqlite3_bind_int (stmt, 2, x);
  sqlite3_bind_int (stmt, 3, (1 << zoom) - 1 - y);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && sqlite3_column_bytes (stmt, 0) > 0)
    bytes = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  else if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 "The tile pack has no tile %d/%d/%d", zoom, x, y);
  else
    g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_SQL, "%s", sqlite3_errmsg (self->db));
  return bytes;
}

typedef struct
{
  int x;
  int y;
  int zoom;
} TileKey;

static void
read_tile_worker (GTask        *task,
                  gpointer      source,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  TileKey *key = task_data;
  GError *error = NULL;
  GBytes *bytes = tsu_mbtiles_source_read_tile (source, key->x, key->y, key->zoom, &error);

  if (bytes == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
}

static void
on_tile_read_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  TileKey *key = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;
  GBytes *bytes = g_task_propagate_pointer (G_TASK (result), &error);

  if (bytes == NULL)
    {
      g_task_return_error (outer, error);
      return;
    }
  /* Back on the main thread: this is what the renderer listens to. */
  g_signal_emit_by_name (source, "received-data", key->x, key->y, key->zoom, bytes);
  g_task_return_pointer (outer, bytes, (GDestroyNotify) g_bytes_unref);
}

static void
tsu_mbtiles_source_get_tile_data_async (ShumateDataSource   *source,
                                        int                  x,
                                        int                  y,
                                        int                  zoom,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  GTask *outer = g_task_new (source, cancellable, callback, user_data);
  g_autoptr(GTask) inner = g_task_new (source, cancellable, on_tile_read_cb, outer);
  TileKey *key = g_new (TileKey, 1);

  g_task_set_source_tag (outer, tsu_mbtiles_source_get_tile_data_async);
  key->x = x;
  key->y = y;
  key->zoom = zoom;
  g_task_set_task_data (inner, key, g_free);
  g_task_set_return_on_cancel (inner, FALSE);
  g_task_run_in_thread (inner, read_tile_worker);
}

static GBytes *
tsu_mbtiles_source_get_tile_data_finish (ShumateDataSource  *source,
                                         GAsyncResult       *result,
                                         GError            **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

ShumateMapSource *
tsu_mbtiles_source_create_map_source (TsuMbtilesSource *self)
{
  g_autofree char *id = NULL;

  g_return_val_if_fail (TSU_IS_MBTILES_SOURCE (self), NULL);

  id = g_strdup_printf ("tsunagu-mbtiles-%u", g_str_hash (self->path));
  return SHUMATE_MAP_SOURCE (shumate_raster_renderer_new_full (id, self->name,
                                                               self->attribution != NULL ? self->attribution : "",
                                                               NULL, self->min_zoom, self->max_zoom, 256,
                                                               SHUMATE_MAP_PROJECTION_MERCATOR,
                                                               SHUMATE_DATA_SOURCE (self)));
}

static void
tsu_mbtiles_source_finalize (GObject *object)
{
  TsuMbtilesSource *self = TSU_MBTILES_SOURCE (object);

  g_clear_pointer (&self->db, sqlite3_close);
  g_mutex_clear (&self->mutex);
  g_free (self->path);
  g_free (self->name);
  g_free (self->attribution);

  G_OBJECT_CLASS (tsu_mbtiles_source_parent_class)->finalize (object);
}

static void
tsu_mbtiles_source_class_init (TsuMbtilesSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  ShumateDataSourceClass *source_class = SHUMATE_DATA_SOURCE_CLASS (klass);

  object_class->finalize = tsu_mbtiles_source_finalize;
  source_class->get_tile_data_async = tsu_mbtiles_source_get_tile_data_async;
  source_class->get_tile_data_finish = tsu_mbtiles_source_get_tile_data_finish;
}

static void
tsu_mbtiles_source_init (TsuMbtilesSource *self)
{
  g_mutex_init (&self->mutex);
}
