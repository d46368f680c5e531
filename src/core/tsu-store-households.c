/* tsu-store-households.c: districts and households as the lists show them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tsu-district-private.h"
#include "tsu-household-private.h"
#include "tsu-store-households.h"
#include "tsu-store-private.h"

/* "Watched" households are those with at least one flag set. */
#define SQL_LIST_DISTRICTS \
  "SELECT d.id, d.name, d.kana, d.area, d.lat, d.lon, d.unconfirmed," \
  "  coalesce(c.households, 0), coalesce(c.watched, 0)" \
  " FROM district d LEFT JOIN (SELECT district_id, count(*) AS households," \
  "     sum(coalesce(flags, 0) != 0) AS watched FROM household_summary" \
  "     WHERE deleted = 0 AND status = 'active' GROUP BY district_id) c ON c.district_id = d.id" \
  " WHERE d.deleted = 0 ORDER BY d.sort_order, d.kana, d.name"

/* The lists read household_summary only: a local, derived copy of each
 * household's list columns plus its head, last visit, next follow-up and
 * member count, which the write path keeps up to date. Joining and
 * computing those per row costs seconds at 40,000 households. */
#define SQL_HOUSEHOLD_COLUMNS \
  "SELECT s.household_id, s.district_id, d.name, s.address, s.head_name, s.head_kana, s.phone," \
  "  s.flags, s.status, s.consent, s.last_visit, s.next_follow_up, s.lat, s.lon, s.resident_count" \
  " FROM household_summary s" \
  " LEFT JOIN district d ON d.id = s.district_id"

/* Sorted by the folded kana so half-width and katakana entries interleave.
 * The whole city is read in table order and sorted: walking the sort index
 * instead looks up every row at a random place in the table, which took
 * most of the list's time at 40,000 households. One district is found
 * through its index. */
#define SQL_LIST_HOUSEHOLD_COLUMNS \
  "SELECT s.household_id, s.district_id, NULL, s.address, s.head_name, s.head_kana, s.phone," \
  "  s.flags, s.status, s.consent, s.last_visit, s.next_follow_up, s.lat, s.lon, s.resident_count"
#define SQL_LIST_HOUSEHOLDS \
  SQL_LIST_HOUSEHOLD_COLUMNS " FROM household_summary s NOT INDEXED" \
  " WHERE s.deleted = 0 ORDER BY s.sort_key, s.address"
#define SQL_LIST_DISTRICT_HOUSEHOLDS \
  SQL_LIST_HOUSEHOLD_COLUMNS " FROM household_summary s INDEXED BY household_summary_district" \
  " WHERE s.deleted = 0 AND s.district_id = ?1 ORDER BY s.sort_key, s.address"
#define SQL_DISTRICT_NAMES "SELECT id, name FROM district"

#define SQL_SUMMARY_SELECT \
  "SELECT h.id, h.deleted, h.district_id, h.address, h.phone, h.flags," \
  "  coalesce(h.status, 'active'), h.consent, h.lat, h.lon, r.id, r.name, r.kana," \
  /* Households with no member recorded sort after everyone else. */ \
  "  coalesce ((SELECT k.key FROM search_key k WHERE k.record_id = r.id AND k.kind = 1), char(1114111))," \
  "  (SELECT max(v.visited_at) FROM visit v WHERE v.household_id = h.id AND v.deleted = 0)," \
  "  (SELECT min(f.due_date) FROM followup f WHERE f.household_id = h.id AND f.deleted = 0" \
  "     AND f.done_date IS NULL)," \
  "  (SELECT count(*) FROM resident c WHERE c.household_id = h.id AND c.deleted = 0)" \
  " FROM household h" \
  " LEFT JOIN resident r ON r.id = (SELECT x.id FROM resident x WHERE x.household_id = h.id" \
  "   AND x.deleted = 0 ORDER BY x.position, x.rowid LIMIT 1)"

#define SQL_SUMMARY_COLUMNS \
  "household_id, deleted, district_id, address, phone, flags, status, consent, lat, lon," \
  " head_id, head_name, head_kana, sort_key, last_visit, next_follow_up, resident_count"

#define SQL_SUMMARY_REFRESH \
  "INSERT OR REPLACE INTO household_summary (" SQL_SUMMARY_COLUMNS ") " \
  SQL_SUMMARY_SELECT " WHERE h.id = ?1"

/* Version 2 of the schema. */
const char _tsu_store_summary_schema[] =
  "CREATE TABLE household_summary (household_id TEXT PRIMARY KEY, deleted INTEGER NOT NULL," \
  "  district_id TEXT, address TEXT, phone TEXT, flags INTEGER, status TEXT, consent TEXT," \
  "  lat REAL, lon REAL, head_id TEXT, head_name TEXT, head_kana TEXT, sort_key TEXT," \
  "  last_visit TEXT, next_follow_up TEXT, resident_count INTEGER NOT NULL DEFAULT 0);" \
  "CREATE INDEX household_summary_district ON household_summary (district_id);" \
  "CREATE INDEX household_summary_sort ON household_summary (sort_key, address);" \
  "INSERT INTO household_summary (" SQL_SUMMARY_COLUMNS ") " SQL_SUMMARY_SELECT ";";

#define SQL_HOUSEHOLD_OF_RESIDENT "SELECT household_id FROM resident WHERE id = ?1"
#define SQL_HOUSEHOLD_OF_VISIT "SELECT household_id FROM visit WHERE id = ?1"
#define SQL_HOUSEHOLD_OF_FOLLOWUP "SELECT household_id FROM followup WHERE id = ?1"

#define SQL_GET_HOUSEHOLD \
  SQL_HOUSEHOLD_COLUMNS " WHERE s.household_id = ?1 AND s.deleted = 0"

/* Remembers which household's summary a write touches. Called before and
 * after the write, so that a member moving between households refreshes
 * both. The summaries are rebuilt when the outermost transaction commits. */
gboolean
_tsu_store_summary_note (TsuStore    *self,
                         const char  *table,
                         const char  *record_id,
                         GError     **error)
{
  g_autoptr(TsuCachedStmt) stmt = NULL;
  const char *sql;
  int rc;

  if (g_str_equal (table, "household"))
    {
      g_hash_table_add (self->dirty_households, g_strdup (record_id));
      return TRUE;
    }
  if (g_str_equal (table, "resident"))
    sql = SQL_HOUSEHOLD_OF_RESIDENT;
  else if (g_str_equal (table, "visit"))
    sql = SQL_HOUSEHOLD_OF_VISIT;
  else if (g_str_equal (table, "followup"))
    sql = SQL_HOUSEHOLD_OF_FOLLOWUP;
  else
    return TRUE;

  if (!_tsu_store_cached (self, sql, &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && sqlite3_column_type (stmt, 0) == SQLITE_TEXT)
    g_hash_table_add (self->dirty_households, g_strdup (_tsu_store_column_text (stmt, 0)));
  else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _tsu_store_set_error (self, error);
  return TRUE;
}

/* A new row's household is in the fields that made it: no need to read it. */
gboolean
_tsu_store_summary_note_new (TsuStore    *self,
                             const char  *table,
                             const char  *record_id,
                             JsonObject  *fields,
                             GError     **error)
{
  const char *household_id;

  if (g_str_equal (table, "household"))
    {
      g_hash_table_add (self->dirty_households, g_strdup (record_id));
      return TRUE;
    }
  if (!g_str_equal (table, "resident") && !g_str_equal (table, "visit") &&
      !g_str_equal (table, "followup"))
    return TRUE;
  if (!_tsu_store_string_member (fields, "household_id", &household_id))
    return _tsu_store_summary_note (self, table, record_id, error);
  if (household_id != NULL)
    g_hash_table_add (self->dirty_households, g_strdup (household_id));
  return TRUE;
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

gboolean
_tsu_store_summary_flush (TsuStore  *self,
                          GError   **error)
{
  g_autofree gpointer *ids = NULL;
  g_autoptr(TsuCachedStmt) stmt = NULL;
  guint n_ids = 0;

  if (g_hash_table_size (self->dirty_households) == 0)
    return TRUE;

  /* In id order: every index the refresh reads (household, resident,
   * visit and follow-up by household) is keyed by the household's id, so a
   * bulk write's refresh walks them in order instead of at random. */
  ids = g_hash_table_get_keys_as_array (self->dirty_households, &n_ids);
  qsort (ids, n_ids, sizeof (gpointer), compare_ids);

  if (!_tsu_store_cached (self, SQL_SUMMARY_REFRESH, &stmt, error))
    return FALSE;
  for (guint i = 0; i < n_ids; i++)
    {
      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, ids[i], -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        return _tsu_store_set_error (self, error);
    }
  g_clear_pointer (&ids, g_free);
  g_hash_table_remove_all (self->dirty_households);
  return TRUE;
}

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

  g_autoptr(GHashTable) district_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_rec_mutex_lock (&self->mutex);

  /* 39 district names looked up in C, not joined into 40,000 rows. */
  if (!_tsu_store_prepare (self, SQL_DISTRICT_NAMES, &stmt, error))
    {
      g_rec_mutex_unlock (&self->mutex);
      return NULL;
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_insert (district_names, dup_column (stmt, 0), dup_column (stmt, 1));
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (!_tsu_store_prepare (self, district_id != NULL ? SQL_LIST_DISTRICT_HOUSEHOLDS : SQL_LIST_HOUSEHOLDS,
                          &stmt, error))
    {
      g_rec_mutex_unlock (&self->mutex);
      return NULL;
    }
  if (district_id != NULL)
    sqlite3_bind_text (stmt, 1, district_id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TsuHousehold *household = household_from_row (stmt);

      if (household->district_id != NULL)
        household->district_name = g_strdup (g_hash_table_lookup (district_names, household->district_id));
      g_ptr_array_add (households, household);
    }
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

static GPtrArray *
read_districts (TsuStore    *self,
                const char  *unused,
                GError     **error)
{
  return tsu_store_list_districts (self, error);
}

void
tsu_store_list_districts_async (TsuStore            *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  _tsu_store_list_async (self, read_districts, NULL, tsu_store_list_districts_async,
                         cancellable, callback, user_data);
}

GPtrArray *
tsu_store_list_districts_finish (TsuStore      *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return _tsu_store_list_finish (self, result, error);
}

void
tsu_store_list_households_async (TsuStore            *self,
                                 const char          *district_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  _tsu_store_list_async (self, tsu_store_list_households, district_id, tsu_store_list_households_async,
                         cancellable, callback, user_data);
}

GPtrArray *
tsu_store_list_households_finish (TsuStore      *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return _tsu_store_list_finish (self, result, error);
}
