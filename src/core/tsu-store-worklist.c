/* tsu-store-worklist.c: reading the daily work list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two queries: open follow-ups due up to a week ahead, and active
 * households past their visit interval with no open follow-up. SQL only
 * narrows the candidates; which section a row goes to is decided by the
 * rules in tsu-worklist.c, so that there is one definition of "overdue".
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "tsu-store-private.h"
#include "tsu-store-worklist.h"
#include "tsu-visits-date.h"
#include "tsu-worklist.h"

#define SQL_HEAD_NAME \
  "(SELECT r.name FROM resident r WHERE r.household_id = h.id AND r.deleted = 0" \
  "  ORDER BY coalesce(r.position, 1000) LIMIT 1)"
#define SQL_LAST_VISIT \
  "(SELECT max(v.visited_at) FROM visit v WHERE v.household_id = h.id AND v.deleted = 0)"
/* Two variants so that a district's list uses the household_district
 * index instead of scanning the city: "?2 IS NULL OR …" cannot. */
#define SQL_HOUSEHOLD_FILTER_CITY \
  " h.deleted = 0 AND coalesce(h.status, 'active') = 'active'" \
  " AND ?2 IS NULL AND (?3 IS NULL OR h.coordinator_id = ?3)"
#define SQL_HOUSEHOLD_FILTER_DISTRICT \
  " h.deleted = 0 AND coalesce(h.status, 'active') = 'active'" \
  " AND h.district_id = ?2 AND (?3 IS NULL OR h.coordinator_id = ?3)"

/* ?1: the last day of "this week" */
#define SQL_DUE_FOLLOWUPS(FILTER) \
  "SELECT f.id, f.household_id, f.due_date, f.reason, h.address, h.district_id, d.name," \
  " " SQL_HEAD_NAME ", " SQL_LAST_VISIT \
  " FROM followup f JOIN household h ON h.id = f.household_id" \
  " LEFT JOIN district d ON d.id = h.district_id" \
  " WHERE f.deleted = 0 AND f.done_date IS NULL AND f.due_date IS NOT NULL" \
  " AND f.due_date <= ?1 AND" FILTER

/* ?1: today. julianday() counts leap days, as GDate does. */
#define SQL_PAST_INTERVAL(FILTER) \
  "SELECT id, address, district_id, dname, last, interval," \
  " (SELECT r.name FROM resident r WHERE r.household_id = c.id AND r.deleted = 0" \
  "  ORDER BY coalesce(r.position, 1000) LIMIT 1)" \
  " FROM (SELECT h.id AS id, h.address AS address, h.district_id AS district_id," \
  "   d.name AS dname, h.visit_interval_days AS interval, " SQL_LAST_VISIT " AS last" \
  "   FROM household h LEFT JOIN district d ON d.id = h.district_id" \
  "   WHERE h.visit_interval_days > 0 AND" FILTER \
  "   AND NOT EXISTS (SELECT 1 FROM followup f WHERE f.household_id = h.id" \
  "     AND f.deleted = 0 AND f.done_date IS NULL)) AS c" \
  " WHERE last IS NULL OR julianday(?1) - julianday(substr(last, 1, 10)) > interval"

static void
bind_filters (sqlite3_stmt *stmt,
              const char   *first,
              const char   *district_id,
              const char   *coordinator_id)
{
  sqlite3_bind_text (stmt, 1, first, -1, SQLITE_TRANSIENT);
  if (district_id != NULL)
    sqlite3_bind_text (stmt, 2, district_id, -1, SQLITE_TRANSIENT);
  if (coordinator_id != NULL)
    sqlite3_bind_text (stmt, 3, coordinator_id, -1, SQLITE_TRANSIENT);
}

static char *
last_visit_day (sqlite3_stmt *stmt,
                int           column)
{
  const char *text = _tsu_store_column_text (stmt, column);

  return text != NULL ? g_strndup (text, 10) : NULL;
}

GPtrArray *
tsu_store_list_worklist (TsuStore    *self,
                         const GDate *today,
                         const char  *district_id,
                         const char  *coordinator_id,
                         GError     **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(sqlite3_stmt) due = NULL;
  g_autoptr(sqlite3_stmt) past = NULL;
  g_autofree char *today_iso = NULL;
  g_autofree char *week_end_iso = NULL;
  GDate week_end;
  int rc;

  g_return_val_if_fail (TSU_IS_STORE (self), NULL);
  g_return_val_if_fail (today != NULL && g_date_valid (today), NULL);

  week_end = *today;
  g_date_add_days (&week_end, TSU_WORKLIST_WEEK_DAYS);
  today_iso = tsu_visits_date_to_iso (today);
  week_end_iso = tsu_visits_date_to_iso (&week_end);

  g_rec_mutex_lock (&self->mutex);

  if (!_tsu_store_prepare (self, district_id != NULL ? SQL_DUE_FOLLOWUPS (SQL_HOUSEHOLD_FILTER_DISTRICT)
                                                     : SQL_DUE_FOLLOWUPS (SQL_HOUSEHOLD_FILTER_CITY),
                           &due, error))
    goto failed;
  bind_filters (due, week_end_iso, district_id, coordinator_id);
  while ((rc = sqlite3_step (due)) == SQLITE_ROW)
    {
      g_autofree char *last = last_visit_day (due, 8);
      GDate due_date;
      TsuWorkSection section;
      int days = 0;

      if (!tsu_visits_date_parse (_tsu_store_column_text (due, 2), &due_date))
        continue; /* a malformed date from elsewhere: not a reason to fail the list */
      section = tsu_worklist_classify_due (today, &due_date, &days);
      if (section == TSU_WORK_SECTION_NONE)
        continue;

      g_ptr_array_add (items, g_object_new (TSU_TYPE_WORK_ITEM,
                                            "followup-id", _tsu_store_column_text (due, 0),
                                            "household-id", _tsu_store_column_text (due, 1),
                                            "due-date", _tsu_store_column_text (due, 2),
                                            "reason", _tsu_store_column_text (due, 3),
                                            "address", _tsu_store_column_text (due, 4),
                                            "district-id", _tsu_store_column_text (due, 5),
                                            "district-name", _tsu_store_column_text (due, 6),
                                            "head-name", _tsu_store_column_text (due, 7),
                                            "last-visit", last,
                                            "section", section,
                                            "days", days,
                                            "urgency", tsu_worklist_urgency (section, days, FALSE),
                                            NULL));
    }
  if (rc != SQLITE_DONE)
    {
      _tsu_store_set_error (self, error);
      goto failed;
    }

  if (!_tsu_store_prepare (self, district_id != NULL ? SQL_PAST_INTERVAL (SQL_HOUSEHOLD_FILTER_DISTRICT)
                                                     : SQL_PAST_INTERVAL (SQL_HOUSEHOLD_FILTER_CITY),
                           &past, error))
    goto failed;
  bind_filters (past, today_iso, district_id, coordinator_id);
  while ((rc = sqlite3_step (past)) == SQLITE_ROW)
    {
      g_autofree char *last = last_visit_day (past, 4);
      GDate last_date;
      gboolean never = last == NULL;
      int days = 0;

      if (!never && !tsu_visits_date_parse (last, &last_date))
        continue;
      if (!tsu_worklist_past_interval (today, never ? NULL : &last_date,
                                       sqlite3_column_int (past, 5), &days))
        continue;

      g_ptr_array_add (items, g_object_new (TSU_TYPE_WORK_ITEM,
                                            "household-id", _tsu_store_column_text (past, 0),
                                            "address", _tsu_store_column_text (past, 1),
                                            "district-id", _tsu_store_column_text (past, 2),
                                            "district-name", _tsu_store_column_text (past, 3),
                                            "last-visit", last,
                                            "head-name", _tsu_store_column_text (past, 6),
                                            "section", TSU_WORK_SECTION_UNSCHEDULED,
                                            "days", days,
                                            "urgency", tsu_worklist_urgency (TSU_WORK_SECTION_UNSCHEDULED,
                                                                             days, never),
                                            NULL));
    }
  if (rc != SQLITE_DONE)
    {
      _tsu_store_set_error (self, error);
      goto failed;
    }

  g_rec_mutex_unlock (&self->mutex);

  g_ptr_array_sort (items, tsu_worklist_compare_items);
  return g_steal_pointer (&items);

failed:
  g_rec_mutex_unlock (&self->mutex);
  return NULL;
}

typedef struct
{
  GDate  today;
  char  *district_id;
  char  *coordinator_id;
} WorklistQuery;

static void
worklist_query_free (WorklistQuery *query)
{
  g_free (query->district_id);
  g_free (query->coordinator_id);
  g_free (query);
}

static void
list_worklist_worker (GTask        *task,
                      gpointer      source,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  WorklistQuery *query = task_data;
  GError *error = NULL;
  GPtrArray *items = tsu_store_list_worklist (source, &query->today, query->district_id,
                                              query->coordinator_id, &error);

  if (items == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, items, (GDestroyNotify) g_ptr_array_unref);
}

void
tsu_store_list_worklist_async (TsuStore            *self,
                               const GDate         *today,
                               const char          *district_id,
                               const char          *coordinator_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  WorklistQuery *query;

  g_return_if_fail (TSU_IS_STORE (self));
  g_return_if_fail (today != NULL && g_date_valid (today));

  query = g_new0 (WorklistQuery, 1);
  query->today = *today;
  query->district_id = g_strdup (district_id);
  query->coordinator_id = g_strdup (coordinator_id);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tsu_store_list_worklist_async);
  g_task_set_task_data (task, query, (GDestroyNotify) worklist_query_free);
  g_task_run_in_thread (task, list_worklist_worker);
}

GPtrArray *
tsu_store_list_worklist_finish (TsuStore      *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
