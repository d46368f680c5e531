/* tsu-mbtiles.h: reading an MBTiles tile pack
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TSU_TYPE_MBTILES (tsu_mbtiles_get_type ())
G_DECLARE_FINAL_TYPE (TsuMbtiles, tsu_mbtiles, TSU, MBTILES, GObject)

/* Blocking: call from a worker thread. */
TsuMbtiles *tsu_mbtiles_new             (const char  *path,
                                         GError     **error);
const char *tsu_mbtiles_get_path        (TsuMbtiles  *self);
const char *tsu_mbtiles_get_name        (TsuMbtiles  *self);
const char *tsu_mbtiles_get_attribution (TsuMbtiles  *self);
guint       tsu_mbtiles_get_min_zoom    (TsuMbtiles  *self);
guint       tsu_mbtiles_get_max_zoom    (TsuMbtiles  *self);
/* x and y in XYZ numbering; the TMS row flip happens inside. */
GBytes     *tsu_mbtiles_read_tile       (TsuMbtiles  *self,
                                         int          x,
                                         int          y,
                                         int          zoom,
                                         GError     **error);

G_END_DECLS
