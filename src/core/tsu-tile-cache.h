/* tsu-tile-cache.h: keeps the map tile cache under its size limit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

gboolean tsu_tile_cache_trim        (const char           *cache_dir,
                                     guint64               limit,
                                     guint64              *removed_bytes,
                                     GCancellable         *cancellable,
                                     GError              **error);
void     tsu_tile_cache_trim_async  (const char           *cache_dir,
                                     guint64               limit,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
gboolean tsu_tile_cache_trim_finish (GAsyncResult         *result,
                                     guint64              *removed_bytes,
                                     GError              **error);

G_END_DECLS
