/* tsu-store-households.c: districts and households as the lists show them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tsu-district-private.h"
#include "tsu-household-private.h"
#include "tsu-store-households.h"
#include "tsu-store-private.h"

/* "Watched" households are those with at least one flag set. */
#define SQL_LIST_DISTRICTS \
  "SELECT d.id, d.name, d.kana, d.area, d.lat, d.lon, d.unconfirmed," \
  "  (SELECT count(*) FROM household h WHERE h.district_id = d.id AND h.deleted = 0" \
  "     AND coalesce(h.status, 'active') = 'active')," \
  "  (SELECT count(*) FROM household h WHERE h.district_id = d.id AND h.deleted = 0" \
  "     AND coalesce(h.status, 'active') = 'active' AND coalesce(h.flags, 0) != 0)" \
  " FROM district d WHERE d.deleted = 0 ORDER BY d.sort_order, d.kana, d.name"

#define SQL_HOUSEHOLD_COLUMNS \
  "SELECT h.id, h.district_id, d.name, h.address, r.name, r.kana, h.phone, h.flags," \
  "  coalesce(h.status, 'active'), h.consent," \
  "  (SELECT max(v.visited_at) FROM visit v WHERE v.household_id = h.id AND v.deleted = 0)," \
  "  (SELECT min(f.due_date) FROM followup f WHERE f.household_id = h.id AND f.deleted = 0" \
  "     AND f.done_date IS NULL)," \
  "  h.lat, h.lon," \
  "  (SELECT count(*) FROM resident c WHERE c.household_id = h.id AND c.deleted = 0)" \
  " FROM household h" \
  " LEFT JOIN district d ON d.id = h.district_id" \
  " LEFT JOIN resident r ON r.id = (SELECT x.id FROM resident x WHERE x.household_id = h.id" \
  "   AND x.deleted = 0 ORDER BY x.position, x.rowid LIMIT 1)"

#define SQL_LIST_HOUSEHOLDS \
  SQL_HOUSEHOLD_COLUMNS \
  " WHERE h.deleted = 0 AND (?1 IS NULL OR h.district_id = ?1)" \
  /* Sort by the folded kana so half-width and katakana entries interleave. */ \
  " ORDER BY (SELECT k.key FROM search_key k WHERE k.record_id = r.id AND k.kind = 1) IS NULL," \
  "   (SELECT k.key FROM search_key k WHERE k.record_id = r.id AND k.kind = 1), h.address"

#define SQL_GET_HOUSEHOLD \
  SQL_HOUSEHOLD_COLUMNS " WHERE h.id = ?1 AND h.deleted = 0"

static char *
dup_column (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup (_tsu_store_column_text (stmt, column));
}

static TsuDistrict *
district_from_row (sqlite3_stmt *stmt)
{
  TsuDistrict *district = g_object_new (TSU_TYPE_DISTRICT, NULL);

  district->id = dup_column (stmt, 0);
  district->name = dup_column (stmt, 1);
  district->kana = dup_column (stmt, 2);
  district->area = dup_column (stmt, 3);
  district->lat = sqlite3_column_double (stmt, 4);
  district->lon = sqlite3_column_double (stmt, 5);
  district->unconfirmed = sqlite3_column_int (stmt, 6) != 0;
  district->household_count = sqlite3_column_int (stmt, 7);
  district->watched_count = sqlite3_column_int (stmt, 8);
  return district;
}

static TsuHousehold *
household_from_row (sqlite3_stmt *stmt)
{
  TsuHousehold *household = g_object_new (TSU_TYPE_HOUSEHOLD, NULL);

  household->id = dup_column (stmt, 0);
  household->district_id = dup_column (stmt, 1);
  household->district_name = dup_column (stmt, 2);
  household->address = dup_column (stmt, 3);
  household->head_name = dup_column (stmt, 4);
  household->head_kana = dup_column (stmt, 5);
  household->phone = dup_column (stmt, 6);
  household->flags = (guint) sqlite3_column_int64 (stmt, 7);
  household->status = dup_column (stmt, 8);
  household->consent = dup_column (stmt, 9);
  household->last_visit = dup_column (stmt, 10);
  household->next_follow_up = dup_column (stmt, 11);
  household->has_location = sqlite3_column_type (stmt, 12) != SQLITE_NULL &&
                            sqlite3_column_type (stmt, 13) != SQLITE_NULL;
  household->lat = sqlite3_column_double (stmt, 12);
  household->lon = sqlite3_column_double (stmt, 13);
  household->resident_count = sqlite3_column_int (stmt, 14);
  return household;
}

GPtrArray *
tsu_store_list_districts (TsuStore  *self,
                          GError   **error)
{
  g_autoptr(GPtrArray) districts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (TSU_IS_STORE (self), NULL);

  g_rec_mutex_lock (&self->mutex);
  if (!_tsu_store_prepare (self, SQL_LIST_DISTRICTS, &stmt, error))
    {
      g_rec_mutex_unlock (&self->mutex);
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (districts, district_from_row (stmt));
  if (rc != SQLITE_DONE)
    _tsu_store_set_error (self, error);
  g_rec_mutex_unlock (&self->mutex);

  return rc == SQLITE_DONE ? g_steal_pointer (&districts) : NULL;
}

GPtrArray *
tsu_store_list_households (TsuStore    *self,
                           const char  *district_id,
                           GError     **error)
{
  g_autoptr(GPtrArray) households = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (TSU_IS_STORE (self), NULL);

  g_rec_mutex_lock (&self->mutex);
  if (!_tsu_store_prepare (self, SQL_LIST_HOUSEHOLDS, &stmt, error))
    {
      g_rec_mutex_unlock (&self->mutex);
      return NULL;
    }
  if (district_id != NULL)
    sqlite3_bind_text (stmt, 1, district_id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (households, household_from_row (stmt));
  if (rc != SQLITE_DONE)
    _tsu_store_set_error (self, error);
  g_rec_mutex_unlock (&self->mutex);

  return rc == SQLITE_DONE ? g_steal_pointer (&households) : NULL;
}

/* Called with the mutex held, by search too. */
TsuHousehold *
_tsu_store_load_household (TsuStore    *self,
                           const char  *household_id,
                           GError     **error)
{
  g_autoptr(TsuCachedStmt) stmt = NULL;
  int rc;

  if (!_tsu_store_cached (self, SQL_GET_HOUSEHOLD, &stmt, error))
    return NULL;
  sqlite3_bind_text (stmt, 1, household_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return household_from_row (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_NOT_FOUND,
                 "No household with id %s", household_id);
  else
    _tsu_store_set_error (self, error);
  return NULL;
}

TsuHousehold *
tsu_store_get_household (TsuStore    *self,
                         const char  *household_id,
                         GError     **error)
{
  TsuHousehold *household;

  g_return_val_if_fail (TSU_IS_STORE (self), NULL);
  g_return_val_if_fail (household_id != NULL, NULL);

  g_rec_mutex_lock (&self->mutex);
  household = _tsu_store_load_household (self, household_id, error);
  g_rec_mutex_unlock (&self->mutex);
  return household;
}

static void
list_districts_worker (GTask        *task,
                       gpointer      source,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *districts = tsu_store_list_districts (source, &error);

  if (districts == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, districts, (GDestroyNotify) g_ptr_array_unref);
}

void
tsu_store_list_districts_async (TsuStore            *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, tsu_store_list_districts_async);
  g_task_run_in_thread (task, list_districts_worker);
}

GPtrArray *
tsu_store_list_districts_finish (TsuStore      *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
list_households_worker (GTask        *task,
                        gpointer      source,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *households = tsu_store_list_households (source, task_data, &error);

  if (households == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, households, (GDestroyNotify) g_ptr_array_unref);
}

void
tsu_store_list_households_async (TsuStore            *self,
                                 const char          *district_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, tsu_store_list_households_async);
  g_task_set_task_data (task, g_strdup (district_id), g_free);
  g_task_run_in_thread (task, list_households_worker);
}

GPtrArray *
tsu_store_list_households_finish (TsuStore      *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
