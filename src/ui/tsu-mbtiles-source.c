/* tsu-mbtiles-source.c: map tiles from an MBTiles file (an offline pack)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The file itself is read by TsuMbtiles in the core library (it is
 * SQLite; widgets never talk SQL).
 *
 * ShumateRasterRenderer in libshumate 1.0.3 builds the texture only from
 * the "received-data" signal, not from the bytes the async call returns,
 * so every successful read emits it (on the main thread) before the task
 * completes.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tsu-mbtiles.h"
#include "tsu-mbtiles-source.h"
#include "tsu-store-error.h"

struct _TsuMbtilesSource
{
  ShumateDataSource  parent_instance;

  TsuMbtiles        *pack;   /* the file; reads are thread-safe */
};

G_DEFINE_FINAL_TYPE (TsuMbtilesSource, tsu_mbtiles_source, SHUMATE_TYPE_DATA_SOURCE)

TsuMbtilesSource *
tsu_mbtiles_source_new (const char  *path,
                        GError     **error)
{
  g_autoptr(TsuMbtilesSource) self = NULL;
  g_autoptr(TsuMbtiles) pack = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  pack = tsu_mbtiles_new (path, error);
  if (pack == NULL)
    return NULL;
  self = g_object_new (TSU_TYPE_MBTILES_SOURCE, NULL);
  self->pack = g_steal_pointer (&pack);
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
  return tsu_mbtiles_get_path (self->pack);
}

const char *
tsu_mbtiles_source_get_name (TsuMbtilesSource *self)
{
  g_return_val_if_fail (TSU_IS_MBTILES_SOURCE (self), NULL);
  return tsu_mbtiles_get_name (self->pack);
}

const char *
tsu_mbtiles_source_get_attribution (TsuMbtilesSource *self)
{
  g_return_val_if_fail (TSU_IS_MBTILES_SOURCE (self), NULL);
  return tsu_mbtiles_get_attribution (self->pack);
}

guint
tsu_mbtiles_source_get_min_zoom (TsuMbtilesSource *self)
{
  g_return_val_if_fail (TSU_IS_MBTILES_SOURCE (self), 0);
  return tsu_mbtiles_get_min_zoom (self->pack);
}

guint
tsu_mbtiles_source_get_max_zoom (TsuMbtilesSource *self)
{
  g_return_val_if_fail (TSU_IS_MBTILES_SOURCE (self), 0);
  return tsu_mbtiles_get_max_zoom (self->pack);
}

GBytes *
tsu_mbtiles_source_read_tile (TsuMbtilesSource  *self,
                              int                x,
                              int                y,
                              int                zoom,
                              GError           **error)
{
  g_return_val_if_fail (TSU_IS_MBTILES_SOURCE (self), NULL);
  return tsu_mbtiles_read_tile (self->pack, x, y, zoom, error);
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

  id = g_strdup_printf ("tsunagu-mbtiles-%u", g_str_hash (tsu_mbtiles_get_path (self->pack)));
  return SHUMATE_MAP_SOURCE (shumate_raster_renderer_new_full (id, tsu_mbtiles_get_name (self->pack),
                                                               tsu_mbtiles_get_attribution (self->pack) ?: "",
                                                               NULL,
                                                               tsu_mbtiles_get_min_zoom (self->pack),
                                                               tsu_mbtiles_get_max_zoom (self->pack), 256,
                                                               SHUMATE_MAP_PROJECTION_MERCATOR,
                                                               SHUMATE_DATA_SOURCE (self)));
}

static void
tsu_mbtiles_source_finalize (GObject *object)
{
  TsuMbtilesSource *self = TSU_MBTILES_SOURCE (object);

  g_clear_object (&self->pack);

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
}
