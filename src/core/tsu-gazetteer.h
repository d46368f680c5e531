/* tsu-gazetteer.h: offline address → point at 町・字 level
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tsu-csv.h"
#include "tsu-text.h"

G_BEGIN_DECLS

typedef enum
{
  TSU_PLACE_NONE,         /* no town of the address is known */
  TSU_PLACE_APPROXIMATE,  /* only a larger area (the 大字 without its 字 or 丁目) is known */
  TSU_PLACE_EXACT,        /* the address's 町・字 (and 丁目) is known */
} TsuPlaceQuality;

typedef struct
{
  TsuPlaceQuality  quality;
  double           lat;
  double           lon;
  const char      *name;      /* the gazetteer's name of the place found */
  const char      *town_key;  /* its key without a 小字, for the town → district table */
  const char      *parent_key;/* the key of the 大字 without 丁目 or 小字 */
} TsuPlace;

#define TSU_TYPE_GAZETTEER (tsu_gazetteer_get_type ())
G_DECLARE_FINAL_TYPE (TsuGazetteer, tsu_gazetteer, TSU, GAZETTEER, GObject)

TsuGazetteer    *tsu_gazetteer_new             (void);
/* Geolonia 住所データ JSON ([{"town","koaza","lat","lng"}]) or the 国土交通省
 * 位置参照情報 CSV (大字・町丁目 or 街区 level, UTF-8 or CP932), by content. */
gboolean         tsu_gazetteer_load_file       (TsuGazetteer  *self,
                                                const char    *path,
                                                GError       **error);
gboolean         tsu_gazetteer_load_json_data  (TsuGazetteer  *self,
                                                const char    *data,
                                                gssize         length,
                                                const char    *name,
                                                GError       **error);
gboolean         tsu_gazetteer_load_csv        (TsuGazetteer  *self,
                                                TsuCsv        *csv,
                                                GError       **error);
guint            tsu_gazetteer_get_n_places    (TsuGazetteer  *self);

TsuPlaceQuality  tsu_gazetteer_lookup          (TsuGazetteer  *self,
                                                const char    *address,
                                                TsuPlace      *place);
TsuPlaceQuality  tsu_gazetteer_lookup_parsed   (TsuGazetteer     *self,
                                                const TsuAddress *address,
                                                TsuPlace         *place);

G_END_DECLS
