/* tsu-map-view.h: the map page: households, district boundaries, tiles
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <shumate/shumate.h>

#include "tsu-store.h"

G_BEGIN_DECLS

#define TSU_TYPE_MAP_VIEW (tsu_map_view_get_type ())
G_DECLARE_FINAL_TYPE (TsuMapView, tsu_map_view, TSU, MAP_VIEW, GtkWidget)

GtkWidget        *tsu_map_view_new                  (TsuStore    *store);
TsuStore         *tsu_map_view_get_store            (TsuMapView  *self);
void              tsu_map_view_set_store            (TsuMapView  *self,
                                                     TsuStore    *store);
/* Reads households and districts again (after edits, imports, sync). */
void              tsu_map_view_reload               (TsuMapView  *self);

/* NULL shows every district. */
void              tsu_map_view_set_district_filter  (TsuMapView  *self,
                                                     const char  *district_id);
/* TsuMapStatus bits; 0 shows every household. */
void              tsu_map_view_set_status_filter    (TsuMapView  *self,
                                                     guint        status_mask);
void              tsu_map_view_fit_district         (TsuMapView  *self,
                                                     const char  *district_id);
void              tsu_map_view_fit_all              (TsuMapView  *self);
/* Highlights the household and centres the map on it. */
void              tsu_map_view_select_household     (TsuMapView  *self,
                                                     const char  *household_id);

/* "Place on map": the next click emits "location-picked". With a
 * household id the location is also saved to that household. */
void              tsu_map_view_begin_place          (TsuMapView  *self,
                                                     const char  *household_id);
void              tsu_map_view_cancel_place         (TsuMapView  *self);

/* The attribution of the background map, for exports. */
const char       *tsu_map_view_get_attribution      (TsuMapView  *self);
/* "ready" is TRUE once households and districts are on the map. */
gboolean          tsu_map_view_get_ready            (TsuMapView  *self);
ShumateSimpleMap *tsu_map_view_get_map              (TsuMapView  *self);
/* The household drawn at x, y (the map widget's coordinates), or NULL;
 * for tests and for the keyboard path. */
const char       *tsu_map_view_get_household_at     (TsuMapView  *self,
                                                     double       x,
                                                     double       y);

G_END_DECLS
