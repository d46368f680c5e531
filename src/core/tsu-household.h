/* tsu-household.h: a household (世帯) as lists and search show it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define TSU_TYPE_HOUSEHOLD (tsu_household_get_type ())
G_DECLARE_FINAL_TYPE (TsuHousehold, tsu_household, TSU, HOUSEHOLD, GObject)

const char *tsu_household_get_id (TsuHousehold *self);
const char *tsu_household_get_district_id (TsuHousehold *self);
const char *tsu_household_get_district_name (TsuHousehold *self);
const char *tsu_household_get_address (TsuHousehold *self);
const char *tsu_household_get_head_name (TsuHousehold *self);
const char *tsu_household_get_head_kana (TsuHousehold *self);
const char *tsu_household_get_phone (TsuHousehold *self);
guint       tsu_household_get_flags (TsuHousehold *self);
const char *tsu_household_get_status (TsuHousehold *self);
const char *tsu_household_get_consent (TsuHousehold *self);
const char *tsu_household_get_last_visit (TsuHousehold *self);
const char *tsu_household_get_next_follow_up (TsuHousehold *self);
double      tsu_household_get_lat (TsuHousehold *self);
double      tsu_household_get_lon (TsuHousehold *self);
gboolean    tsu_household_get_has_location (TsuHousehold *self);
guint       tsu_household_get_resident_count (TsuHousehold *self);
const char *tsu_household_get_match (TsuHousehold *self);

G_END_DECLS
