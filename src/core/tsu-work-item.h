/* tsu-work-item.h: one line of the daily work list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tsu-worklist.h"

G_BEGIN_DECLS

#define TSU_TYPE_WORK_ITEM (tsu_work_item_get_type ())
G_DECLARE_FINAL_TYPE (TsuWorkItem, tsu_work_item, TSU, WORK_ITEM, GObject)

TsuWorkItem *tsu_work_item_new (void);
const char *tsu_work_item_get_household_id (TsuWorkItem *self);
TsuWorkSection tsu_work_item_get_section (TsuWorkItem *self);
const char *tsu_work_item_get_address (TsuWorkItem *self);
const char *tsu_work_item_get_head_name (TsuWorkItem *self);
const char *tsu_work_item_get_district_id (TsuWorkItem *self);
const char *tsu_work_item_get_district_name (TsuWorkItem *self);
const char *tsu_work_item_get_due_date (TsuWorkItem *self);
int         tsu_work_item_get_days (TsuWorkItem *self);
const char *tsu_work_item_get_last_visit (TsuWorkItem *self);
const char *tsu_work_item_get_followup_id (TsuWorkItem *self);
const char *tsu_work_item_get_reason (TsuWorkItem *self);
int         tsu_work_item_get_urgency (TsuWorkItem *self);

G_END_DECLS
