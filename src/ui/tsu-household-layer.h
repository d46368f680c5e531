/* tsu-household-layer.h: the base map with every household drawn in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <shumate/shumate.h>

#include "tsu-boundary-painter.h"
#include "tsu-geometry.h"
#include "tsu-household-painter.h"
#include "tsu-store-map.h"

G_BEGIN_DECLS

typedef enum
{
  TSU_HOUSEHOLD_HIT_NONE,
  TSU_HOUSEHOLD_HIT_HOUSEHOLD,
  TSU_HOUSEHOLD_HIT_CLUSTER,
} TsuHouseholdHitKind;

typedef struct
{
  TsuHouseholdHitKind kind;
  int                 point;        /* index into the points, for a household */
  guint               count;        /* households in a cluster */
  guint               class_counts[TSU_MAP_N_CLASSES];
  double              latitude;     /* the household, or the cluster's centre */
  double              longitude;
  double              zoom;         /* for a cluster: the zoom that splits it */
} TsuHouseholdHit;

#define TSU_TYPE_HOUSEHOLD_LAYER (tsu_household_layer_get_type ())
G_DECLARE_FINAL_TYPE (TsuHouseholdLayer, tsu_household_layer, TSU, HOUSEHOLD_LAYER, ShumateLayer)

TsuHouseholdLayer *tsu_household_layer_new           (ShumateViewport   *viewport);

/* The map tiles the households are drawn into; NULL: a plain background. */
void          tsu_household_layer_set_map_source    (TsuHouseholdLayer *self,
                                                     ShumateMapSource  *source);
/* Makes the tiles again, keeping the ones on screen until the new ones
 * are in: for base tiles that could not be had before (the network is
 * back). */
void          tsu_household_layer_reload_tiles      (TsuHouseholdLayer *self);
/* District outlines drawn into the same tiles, under the households. */
void          tsu_household_layer_set_boundaries    (TsuHouseholdLayer  *self,
                                                     TsuBoundaryPainter *boundaries);

/* Projection, filtering and clustering run in a worker; "ready" is
 * notified when the new points are on screen. */
void          tsu_household_layer_set_points        (TsuHouseholdLayer *self,
                                                     TsuMapPoints      *points);
TsuMapPoints *tsu_household_layer_get_points        (TsuHouseholdLayer *self);
gboolean      tsu_household_layer_get_ready         (TsuHouseholdLayer *self);
/* district_id NULL: all districts; status_mask 0: every household,
 * otherwise those with any of the TsuMapStatus bits. */
void          tsu_household_layer_set_filter        (TsuHouseholdLayer *self,
                                                     const char        *district_id,
                                                     guint              status_mask);
void          tsu_household_layer_set_selected      (TsuHouseholdLayer *self,
                                                     const char        *household_id);
const char   *tsu_household_layer_get_selected      (TsuHouseholdLayer *self);
/* Households shown after filtering, per colour class. */
guint         tsu_household_layer_get_n_shown       (TsuHouseholdLayer *self,
                                                     guint             *class_counts);
/* The mercator box of the households shown; FALSE if there are none. */
gboolean      tsu_household_layer_get_shown_bbox    (TsuHouseholdLayer *self,
                                                     TsuBBox           *box);

/* x, y in the layer's coordinates (the map's). */
gboolean      tsu_household_layer_hit               (TsuHouseholdLayer *self,
                                                     double             x,
                                                     double             y,
                                                     TsuHouseholdHit   *hit);
/* Emits "household-activated" or "cluster-activated" for what is at x, y. */
gboolean      tsu_household_layer_activate_at       (TsuHouseholdLayer *self,
                                                     double             x,
                                                     double             y);
char         *tsu_household_layer_get_tooltip_at    (TsuHouseholdLayer *self,
                                                     double             x,
                                                     double             y);

G_END_DECLS
