/* tsu-worklist.c: the rules of the coordinator's daily work list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The rules are plain date arithmetic on GDate (day numbers), kept apart
 * from the SQL so that tests can pin "today" to month ends and leap days.
 * A follow-up is due on its date: before today it is overdue, today it is
 * today's work, within the next TSU_WORKLIST_WEEK_DAYS days it is this
 * week's. A household with a visit interval and no open follow-up is
 * "unscheduled" once more than interval days have passed since its last
 * visit (so with a 30-day interval, a visit on 31 January makes the
 * household due on 2 March and listed from 3 March in a common year).
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "tsu-work-item.h"
#include "tsu-worklist.h"

G_DEFINE_ENUM_TYPE (TsuWorkSection, tsu_work_section,
  G_DEFINE_ENUM_VALUE (TSU_WORK_SECTION_TODAY, "today"),
  G_DEFINE_ENUM_VALUE (TSU_WORK_SECTION_OVERDUE, "overdue"),
  G_DEFINE_ENUM_VALUE (TSU_WORK_SECTION_THIS_WEEK, "this-week"),
  G_DEFINE_ENUM_VALUE (TSU_WORK_SECTION_UNSCHEDULED, "unscheduled"),
  G_DEFINE_ENUM_VALUE (TSU_WORK_SECTION_NONE, "none"))

const char *
tsu_work_section_label (TsuWorkSection section)
{
  switch (section)
    {
    case TSU_WORK_SECTION_TODAY:
      return C_("work list", "Today");
    case TSU_WORK_SECTION_OVERDUE:
      return C_("work list", "Overdue");
    case TSU_WORK_SECTION_THIS_WEEK:
      return C_("work list", "This week");
    case TSU_WORK_SECTION_UNSCHEDULED:
      return C_("work list", "No follow-up set");
    case TSU_WORK_SECTION_NONE:
    default:
      return "";
    }
}

/* @days: for OVERDUE the days since the due date, for THIS_WEEK the days
 * until it, otherwise 0. */
TsuWorkSection
tsu_worklist_classify_due (const GDate *today,
                           const GDate *due,
                           int         *days)
{
  int diff;

  g_return_val_if_fail (today != NULL && g_date_valid (today), TSU_WORK_SECTION_NONE);

  if (days != NULL)
    *days = 0;
  if (due == NULL || !g_date_valid (due))
    return TSU_WORK_SECTION_NONE;

  diff = g_date_days_between (today, due);
  if (diff < 0)
    {
      if (days != NULL)
        *days = -diff;
      return TSU_WORK_SECTION_OVERDUE;
    }
  if (diff == 0)
    return TSU_WORK_SECTION_TODAY;
  if (diff <= TSU_WORKLIST_WEEK_DAYS)
    {
      if (days != NULL)
        *days = diff;
      return TSU_WORK_SECTION_THIS_WEEK;
    }
  return TSU_WORK_SECTION_NONE;
}

/* Whether a household last visited on @last_visit (NULL or invalid: never)
 * is past its target interval on @today. @days_past: the days since the
 * target date (last visit + interval); 0 for a household never visited. */
gboolean
tsu_worklist_past_interval (const GDate *today,
                            const GDate *last_visit,
                            int          interval_days,
                            int         *days_past)
{
  int since;

  g_return_val_if_fail (today != NULL && g_date_valid (today), FALSE);

  if (days_past != NULL)
    *days_past = 0;
  if (interval_days <= 0)
    return FALSE;
  /* A household that should be visited and never was is the most
   * urgent kind of "unscheduled". */
  if (last_visit == NULL || !g_date_valid (last_visit))
    return TRUE;

  since = g_date_days_between (last_visit, today);
  if (since <= interval_days)
    return FALSE;
  if (days_past != NULL)
    *days_past = since - interval_days;
  return TRUE;
}

/* Larger is more urgent; only compared within one section. */
int
tsu_worklist_urgency (TsuWorkSection section,
                      int            days,
                      gboolean       never_visited)
{
  switch (section)
    {
    case TSU_WORK_SECTION_OVERDUE:
      return days;
    case TSU_WORK_SECTION_THIS_WEEK:
      return -days;
    case TSU_WORK_SECTION_UNSCHEDULED:
      return never_visited ? G_MAXINT / 2 : days;
    case TSU_WORK_SECTION_TODAY:
    case TSU_WORK_SECTION_NONE:
    default:
      return 0;
    }
}

/* Section order, then urgency (most urgent first), then address so that
 * the order is stable between refreshes. For g_ptr_array_sort(). */
int
tsu_worklist_compare_items (gconstpointer a,
                            gconstpointer b)
{
  TsuWorkItem *x = *(TsuWorkItem **) a;
  TsuWorkItem *y = *(TsuWorkItem **) b;
  int sx = tsu_work_item_get_section (x);
  int sy = tsu_work_item_get_section (y);
  int ux = tsu_work_item_get_urgency (x);
  int uy = tsu_work_item_get_urgency (y);

  if (sx != sy)
    return sx < sy ? -1 : 1;
  if (ux != uy)
    return ux > uy ? -1 : 1;
  return g_strcmp0 (tsu_work_item_get_address (x), tsu_work_item_get_address (y));
}
