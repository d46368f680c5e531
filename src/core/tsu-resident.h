/* tsu-resident.h: one member of a household (世帯員)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TSU_TYPE_RESIDENT (tsu_resident_get_type ())
G_DECLARE_FINAL_TYPE (TsuResident, tsu_resident, TSU, RESIDENT, GObject)

/* From a row as tsu_store_get_record() returns it. */
TsuResident *tsu_resident_new_from_record (JsonObject *record);
const char *tsu_resident_get_id (TsuResident *self);
const char *tsu_resident_get_household_id (TsuResident *self);
const char *tsu_resident_get_name (TsuResident *self);
const char *tsu_resident_get_kana (TsuResident *self);
const char *tsu_resident_get_birth_date (TsuResident *self);
const char *tsu_resident_get_relationship (TsuResident *self);
int         tsu_resident_get_position (TsuResident *self);
const char *tsu_resident_get_note (TsuResident *self);

G_END_DECLS
