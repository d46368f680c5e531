/* tsu-tile-source.h: online map tiles with a persistent cache and an
 * offline fallback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <shumate/shumate.h>

#include "tsu-mbtiles-source.h"

G_BEGIN_DECLS

typedef enum
{
  TSU_TILE_SOURCE_GSI_STD,    /* 地理院タイル 標準地図 */
  TSU_TILE_SOURCE_GSI_PALE,   /* 地理院タイル 淡色地図 */
  TSU_TILE_SOURCE_OSM,        /* OpenStreetMap's own tile servers */
} TsuTileSourceKind;

typedef struct
{
  int x;
  int y;
  int zoom;
} TsuTileKey;

#define TSU_TYPE_TILE_SOURCE (tsu_tile_source_get_type ())
G_DECLARE_FINAL_TYPE (TsuTileSource, tsu_tile_source, TSU, TILE_SOURCE, ShumateDataSource)

/* The identifier stored in GSettings ("gsi-std", "gsi-pale", "osm"). */
const char        *tsu_tile_source_kind_to_string    (TsuTileSourceKind kind);
gboolean           tsu_tile_source_kind_from_string  (const char        *text,
                                                      TsuTileSourceKind *kind);

/* cache_dir: where the tile cache lives; cache_limit in bytes. */
TsuTileSource     *tsu_tile_source_new               (TsuTileSourceKind  kind,
                                                      const char        *cache_dir,
                                                      guint              cache_limit);
/* The same with another server (a mirror, or a local one in tests). */
TsuTileSource     *tsu_tile_source_new_with_url      (TsuTileSourceKind  kind,
                                                      const char        *url_template,
                                                      const char        *cache_dir,
                                                      guint              cache_limit);
TsuTileSourceKind  tsu_tile_source_get_kind          (TsuTileSource     *self);
/* The translated name shown in the source switcher. */
const char        *tsu_tile_source_get_name          (TsuTileSource     *self);
/* Pango markup with a link, to show on the map and in exports. */
const char        *tsu_tile_source_get_attribution_markup (TsuTileSource *self);
const char        *tsu_tile_source_get_attribution_text   (TsuTileSource *self);
/* GSI allows fetching an area ahead of time; OSM's tile usage policy
 * forbids bulk downloads from its servers. */
gboolean           tsu_tile_source_allows_bulk_download (TsuTileSource  *self);

/* Used for tiles neither the network nor the cache can give. */
void               tsu_tile_source_set_fallback      (TsuTileSource     *self,
                                                      TsuMbtilesSource  *pack);
/* FALSE: do not even try the network (the system says it is offline). */
void               tsu_tile_source_set_network_allowed (TsuTileSource   *self,
                                                        gboolean         allowed);
/* FALSE once a tile request failed for want of a network; TRUE again
 * after one succeeded. Notifies "reachable". */
gboolean           tsu_tile_source_get_reachable     (TsuTileSource     *self);

ShumateMapSource  *tsu_tile_source_create_map_source (TsuTileSource     *self);

/* Tiles covering a lon/lat box at min_zoom..max_zoom, dropping the most
 * detailed zoom levels until at most max_tiles remain. Returns the highest
 * zoom kept (or -1 if even min_zoom needs more tiles). */
int                tsu_tiles_for_area                (double             min_lat,
                                                      double             min_lon,
                                                      double             max_lat,
                                                      double             max_lon,
                                                      int                min_zoom,
                                                      int                max_zoom,
                                                      guint              max_tiles,
                                                      GArray            *tiles);

typedef void (*TsuTileProgressFunc) (guint    done,
                                     guint    total,
                                     gpointer user_data);

/* Fetches the tiles into the cache (those still fresh in it are skipped),
 * two at a time. */
void               tsu_tile_source_download_async    (TsuTileSource       *self,
                                                      GArray              *tiles,
                                                      GCancellable        *cancellable,
                                                      TsuTileProgressFunc  progress,
                                                      gpointer             progress_data,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean           tsu_tile_source_download_finish   (TsuTileSource       *self,
                                                      GAsyncResult        *result,
                                                      guint               *n_failed,
                                                      GError             **error);

G_END_DECLS
