/* tsu-worklist.h: the rules of the coordinator's daily work list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* In the order the work list shows them. */
typedef enum
{
  TSU_WORK_SECTION_TODAY,        /* 今日: a follow-up is due today */
  TSU_WORK_SECTION_OVERDUE,      /* 期限切れ: a follow-up was due before today */
  TSU_WORK_SECTION_THIS_WEEK,    /* 今週: a follow-up is due in the next 7 days */
  TSU_WORK_SECTION_UNSCHEDULED,  /* 予定なし: past the visit interval, no follow-up set */
  TSU_WORK_SECTION_NONE,         /* not on the list */
} TsuWorkSection;

#define TSU_WORK_N_SECTIONS 4

#define TSU_TYPE_WORK_SECTION (tsu_work_section_get_type ())
GType tsu_work_section_get_type (void);

/* How many days ahead "this week" reaches: tomorrow up to today + 7. */
#define TSU_WORKLIST_WEEK_DAYS 7

const char     *tsu_work_section_label          (TsuWorkSection  section);

TsuWorkSection  tsu_worklist_classify_due       (const GDate    *today,
                                                 const GDate    *due,
                                                 int            *days);
gboolean        tsu_worklist_past_interval      (const GDate    *today,
                                                 const GDate    *last_visit,
                                                 int             interval_days,
                                                 int            *days_past);
int             tsu_worklist_urgency            (TsuWorkSection  section,
                                                 int             days,
                                                 gboolean        never_visited);
int             tsu_worklist_compare_items      (gconstpointer   a,
                                                 gconstpointer   b);

G_END_DECLS
