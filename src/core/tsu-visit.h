/* tsu-visit.h: one visit or contact record (訪問・支援記録)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TSU_TYPE_VISIT (tsu_visit_get_type ())
G_DECLARE_FINAL_TYPE (TsuVisit, tsu_visit, TSU, VISIT, GObject)

/* From a row as tsu_store_get_record() returns it. */
TsuVisit *tsu_visit_new_from_record (JsonObject *record);
const char *tsu_visit_get_id (TsuVisit *self);
const char *tsu_visit_get_household_id (TsuVisit *self);
const char *tsu_visit_get_visited_at (TsuVisit *self);
const char *tsu_visit_get_coordinator_id (TsuVisit *self);
const char *tsu_visit_get_contact_type (TsuVisit *self);
const char *tsu_visit_get_outcome (TsuVisit *self);
const char *tsu_visit_get_support_area (TsuVisit *self);
const char *tsu_visit_get_categories (TsuVisit *self);
const char *tsu_visit_get_note (TsuVisit *self);
const char *tsu_visit_get_referrals (TsuVisit *self);
const char *tsu_visit_get_next_follow_up (TsuVisit *self);
gboolean    tsu_visit_get_sensitive (TsuVisit *self);

/* The fields of the visit record (without id) for tsu_store_create/update. */
JsonObject *tsu_visit_to_fields (TsuVisit *self);

G_END_DECLS
