/* tsu-mbtiles-source.h: map tiles from an MBTiles file (an offline pack)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <shumate/shumate.h>

G_BEGIN_DECLS

#define TSU_TYPE_MBTILES_SOURCE (tsu_mbtiles_source_get_type ())
G_DECLARE_FINAL_TYPE (TsuMbtilesSource, tsu_mbtiles_source, TSU, MBTILES_SOURCE, ShumateDataSource)

/* Opens the file read-only and reads its metadata (blocking: call it
 * from a worker, or use the async variant). */
TsuMbtilesSource *tsu_mbtiles_source_new           (const char          *path,
                                                    GError             **error);
void              tsu_mbtiles_source_new_async     (const char          *path,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
TsuMbtilesSource *tsu_mbtiles_source_new_finish    (GAsyncResult        *result,
                                                    GError             **error);

const char       *tsu_mbtiles_source_get_path        (TsuMbtilesSource *self);
const char       *tsu_mbtiles_source_get_name        (TsuMbtilesSource *self);
const char       *tsu_mbtiles_source_get_attribution (TsuMbtilesSource *self);
guint             tsu_mbtiles_source_get_min_zoom    (TsuMbtilesSource *self);
guint             tsu_mbtiles_source_get_max_zoom    (TsuMbtilesSource *self);

/* One tile in XYZ numbering (y from the north, as the map asks for it);
 * thread-safe. G_IO_ERROR_NOT_FOUND when the pack lacks the tile. */
GBytes           *tsu_mbtiles_source_read_tile       (TsuMbtilesSource *self,
                                                      int               x,
                                                      int               y,
                                                      int               zoom,
                                                      GError          **error);

/* A raster map source over this pack, for ShumateSimpleMap. */
ShumateMapSource *tsu_mbtiles_source_create_map_source (TsuMbtilesSource *self);

G_END_DECLS
