/* tsu-boundary-layer.h: district outlines and names on the map
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <shumate/shumate.h>

G_BEGIN_DECLS

#define TSU_TYPE_BOUNDARY_LAYER (tsu_boundary_layer_get_type ())
G_DECLARE_FINAL_TYPE (TsuBoundaryLayer, tsu_boundary_layer, TSU, BOUNDARY_LAYER, ShumateLayer)

TsuBoundaryLayer *tsu_boundary_layer_new          (ShumateViewport  *viewport);
/* A GPtrArray of TsuMapDistrict (tsu-store-map.h); the layer keeps a ref. */
void              tsu_boundary_layer_set_districts (TsuBoundaryLayer *self,
                                                    GPtrArray        *districts);
/* The highlighted district, or NULL. */
void              tsu_boundary_layer_set_highlight (TsuBoundaryLayer *self,
                                                    const char       *district_id);

G_END_DECLS
