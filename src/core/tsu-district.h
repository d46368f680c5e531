/* tsu-district.h: a district (住民自治協議会) in a list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define TSU_TYPE_DISTRICT (tsu_district_get_type ())
G_DECLARE_FINAL_TYPE (TsuDistrict, tsu_district, TSU, DISTRICT, GObject)

const char *tsu_district_get_id (TsuDistrict *self);
const char *tsu_district_get_name (TsuDistrict *self);
const char *tsu_district_get_kana (TsuDistrict *self);
const char *tsu_district_get_area (TsuDistrict *self);
double      tsu_district_get_lat (TsuDistrict *self);
double      tsu_district_get_lon (TsuDistrict *self);
gboolean    tsu_district_get_unconfirmed (TsuDistrict *self);
guint       tsu_district_get_household_count (TsuDistrict *self);
guint       tsu_district_get_watched_count (TsuDistrict *self);

G_END_DECLS
