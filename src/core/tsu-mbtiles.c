/* tsu-mbtiles.c: reading an MBTiles tile pack
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * MBTiles is SQLite with a tiles table in TMS numbering: rows count from
 * the south, so row = 2^zoom − 1 − y. The pack is not the app's database,
 * so this reader keeps its own read-only connection; the map's tile
 * source (src/ui/tsu-mbtiles-source.c) calls it from worker threads.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <sqlite3.h>

#include "tsu-mbtiles.h"
#include "tsu-store-error.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

#define SQL_TILE "SELECT tile_data FROM tiles WHERE zoom_level = ?1 AND tile_column = ?2 AND tile_row = ?3"
#define SQL_METADATA "SELECT name, value FROM metadata"

struct _TsuMbtiles
{
  GObject   parent_instance;

  sqlite3  *db;
  GMutex    mutex;   /* one statement at a time on the connection */
  char     *path;
  char     *name;
  char     *attribution;
  guint     min_zoom;
  guint     max_zoom;
};

G_DEFINE_FINAL_TYPE (TsuMbtiles, tsu_mbtiles, G_TYPE_OBJECT)

static gboolean
read_metadata (TsuMbtiles  *self,
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

TsuMbtiles *
tsu_mbtiles_new (const char  *path,
                        GError     **error)
{
  g_autoptr(TsuMbtiles) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (TSU_TYPE_MBTILES, NULL);
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

const char *
tsu_mbtiles_get_path (TsuMbtiles *self)
{
  g_return_val_if_fail (TSU_IS_MBTILES (self), NULL);
  return self->path;
}

const char *
tsu_mbtiles_get_name (TsuMbtiles *self)
{
  g_return_val_if_fail (TSU_IS_MBTILES (self), NULL);
  return self->name;
}

const char *
tsu_mbtiles_get_attribution (TsuMbtiles *self)
{
  g_return_val_if_fail (TSU_IS_MBTILES (self), NULL);
  return self->attribution;
}

guint
tsu_mbtiles_get_min_zoom (TsuMbtiles *self)
{
  g_return_val_if_fail (TSU_IS_MBTILES (self), 0);
  return self->min_zoom;
}

guint
tsu_mbtiles_get_max_zoom (TsuMbtiles *self)
{
  g_return_val_if_fail (TSU_IS_MBTILES (self), 0);
  return self->max_zoom;
}

GBytes *
tsu_mbtiles_read_tile (TsuMbtiles  *self,
                              int                x,
                              int                y,
                              int                zoom,
                              GError           **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GMutexLocker) locker = NULL;
  GBytes *bytes = NULL;
  int rc;

  g_return_val_if_fail (TSU_IS_MBTILES (self), NULL);

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


static void
tsu_mbtiles_finalize (GObject *object)
{
  TsuMbtiles *self = TSU_MBTILES (object);

  g_clear_pointer (&self->db, sqlite3_close);
  g_mutex_clear (&self->mutex);
  g_free (self->path);
  g_free (self->name);
  g_free (self->attribution);

  G_OBJECT_CLASS (tsu_mbtiles_parent_class)->finalize (object);
}

static void
tsu_mbtiles_class_init (TsuMbtilesClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tsu_mbtiles_finalize;
}

static void
tsu_mbtiles_init (TsuMbtiles *self)
{
  g_mutex_init (&self->mutex);
}
