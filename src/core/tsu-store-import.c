/* tsu-store-import.c: what imports keep in the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * These tables are local bookkeeping of this replica, not synced records:
 * the records an import creates travel through the operation log like any
 * others, and undoing a batch writes ordinary tombstones.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "tsu-store-import.h"
#include "tsu-store-private.h"
#include "tsu-text.h"

/* The migration that adds the import tables (see migrations[] in tsu-store.c). */
const char _tsu_store_import_schema[] =
  "CREATE TABLE import_batch (id TEXT PRIMARY KEY, created_at TEXT NOT NULL, actor TEXT,"
  "  file_name TEXT NOT NULL, file_checksum TEXT, encoding TEXT, mapping TEXT,"
  "  n_rows INTEGER NOT NULL DEFAULT 0, n_created INTEGER NOT NULL DEFAULT 0,"
  "  n_matched INTEGER NOT NULL DEFAULT 0, n_skipped INTEGER NOT NULL DEFAULT 0,"
  "  n_exact INTEGER NOT NULL DEFAULT 0, n_approximate INTEGER NOT NULL DEFAULT 0,"
  "  n_unplaced INTEGER NOT NULL DEFAULT 0, undone_at TEXT);"
  "CREATE TABLE import_record (batch_id TEXT NOT NULL REFERENCES import_batch(id),"
  "  tbl TEXT NOT NULL, record_id TEXT NOT NULL, line INTEGER,"
  "  PRIMARY KEY (batch_id, tbl, record_id)) WITHOUT ROWID;"
  "CREATE TABLE import_setting (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
  "CREATE TABLE town_district (town_key TEXT PRIMARY KEY, town TEXT NOT NULL,"
  "  district_id TEXT NOT NULL) WITHOUT ROWID;";

#define SQL_HOUSEHOLD_HEADS \
  "SELECT h.id, h.address, (SELECT r.name FROM resident r WHERE r.household_id = h.id AND r.deleted = 0" \
  "   ORDER BY (r.relationship IN ('head', '世帯主')) DESC, r.position LIMIT 1)" \
  " FROM household h WHERE h.deleted = 0"
#define SQL_LIST_DISTRICTS \
  "SELECT id, name, full_name, boundary FROM district WHERE deleted = 0 ORDER BY sort_order, name"
#define SQL_INSERT_BATCH \
  "INSERT INTO import_batch (id, created_at, actor, file_name, file_checksum, encoding, mapping," \
  "  n_rows, n_created, n_matched, n_skipped, n_exact, n_approximate, n_unplaced)" \
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
#define SQL_INSERT_RECORD \
  "INSERT OR IGNORE INTO import_record (batch_id, tbl, record_id, line) VALUES (?1, ?2, ?3, ?4)"
#define SQL_BATCH_COLUMNS \
  "SELECT id, created_at, actor, file_name, file_checksum, encoding, mapping, n_rows, n_created," \
  "  n_matched, n_skipped, n_exact, n_approximate, n_unplaced, undone_at FROM import_batch"
#define SQL_GET_BATCH SQL_BATCH_COLUMNS " WHERE id = ?1"
#define SQL_LIST_BATCHES SQL_BATCH_COLUMNS " ORDER BY created_at DESC, rowid DESC"
/* An import creates households and residents only; the record's deleted
 * flag and its number of operations come along so that undo needs no
 * further query per record. */
#define SQL_BATCH_RECORDS \
  "SELECT r.tbl, r.record_id," \
  "  CASE r.tbl WHEN 'household' THEN (SELECT deleted FROM household WHERE id = r.record_id)" \
  "             WHEN 'resident' THEN (SELECT deleted FROM resident WHERE id = r.record_id) END," \
  "  (SELECT count(*) FROM oplog o WHERE o.record_id = r.record_id)" \
  " FROM import_record r WHERE r.batch_id = ?1" \
  " ORDER BY r.tbl = 'household', r.tbl, r.record_id"
#define SQL_MARK_UNDONE "UPDATE import_batch SET undone_at = ?2 WHERE id = ?1"
#define SQL_GET_TOWNS "SELECT town_key, district_id FROM town_district"
#define SQL_SET_TOWN "INSERT OR REPLACE INTO town_district (town_key, town, district_id) VALUES (?1, ?2, ?3)"
#define SQL_DELETE_TOWN "DELETE FROM town_district WHERE town_key = ?1"
#define SQL_LIST_TOWNS \
  "SELECT t.town, t.town_key, t.district_id, d.name FROM town_district t" \
  " LEFT JOIN district d ON d.id = t.district_id ORDER BY t.town"

#define SQL_TO_PLACE \
  "SELECT id, address, location_quality FROM household WHERE deleted = 0" \
  " AND location_quality IN ('approximate', 'none') ORDER BY address"

static const char * const batch_columns[] = {
  "id", "created_at", "actor", "file_name", "file_checksum", "encoding", "mapping",
  "n_rows", "n_created", "n_matched", "n_skipped", "n_exact", "n_approximate",
  "n_unplaced", "undone_at",
};

gboolean
tsu_store_foreach_household_head (TsuStore              *self,
                                  TsuHouseholdHeadFunc   func,
                                  gpointer               user_data,
                                  GError               **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (TSU_IS_STORE (self), FALSE);

  g_rec_mutex_lock (&self->mutex);
  if (!_tsu_store_prepare (self, SQL_HOUSEHOLD_HEADS, &stmt, error))
    {
      g_rec_mutex_unlock (&self->mutex);
      return FALSE;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    func (_tsu_store_column_text (stmt, 0), _tsu_store_column_text (stmt, 1),
          _tsu_store_column_text (stmt, 2), user_data);
  if (rc != SQLITE_DONE)
    _tsu_store_set_error (self, error);
  g_rec_mutex_unlock (&self->mutex);
  return rc == SQLITE_DONE;
}

GPtrArray *
tsu_store_list_import_districts (TsuStore  *self,
                                 GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) districts = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  int rc;

  g_return_val_if_fail (TSU_IS_STORE (self), NULL);

  g_rec_mutex_lock (&self->mutex);
  if (!_tsu_store_prepare (self, SQL_LIST_DISTRICTS, &stmt, error))
    {
      g_rec_mutex_unlock (&self->mutex);
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JsonObject *district = json_object_new ();

      json_object_set_string_member (district, "id", _tsu_store_column_text (stmt, 0));
      json_object_set_member (district, "name", _tsu_store_column_json (stmt, 1));
      json_object_set_member (district, "full_name", _tsu_store_column_json (stmt, 2));
      json_object_set_member (district, "boundary", _tsu_store_column_json (stmt, 3));
      g_ptr_array_add (districts, district);
    }
  if (rc != SQLITE_DONE)
    _tsu_store_set_error (self, error);
  g_rec_mutex_unlock (&self->mutex);

  return rc == SQLITE_DONE ? g_steal_pointer (&districts) : NULL;
}

void
tsu_store_set_import_cache (TsuStore *self,
                            gboolean  large)
{
  g_return_if_fail (TSU_IS_STORE (self));

  g_rec_mutex_lock (&self->mutex);
  /* 256 MiB during an import (like a demo city or a changeset import:
   * 40,000 households and their heads dirty more than 64 MiB of pages, and
   * the spilled pages were written to the WAL and read back); SQLite's
   * default (2 MiB) otherwise. Memory is only taken as pages are used. */
  _tsu_store_exec (self, large ? "PRAGMA cache_size = -262144" : "PRAGMA cache_size = -2000", NULL);
  g_rec_mutex_unlock (&self->mutex);
}

gboolean
tsu_store_insert_import_batch (TsuStore    *self,
                               JsonObject  *batch,
                               GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *created_at = g_date_time_format_iso8601 (now);
  gboolean ok;

  g_return_val_if_fail (TSU_IS_STORE (self), FALSE);

  g_rec_mutex_lock (&self->mutex);
  ok = _tsu_store_prepare (self, SQL_INSERT_BATCH, &stmt, error);
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, json_object_get_string_member (batch, "id"), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, created_at, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, self->actor, -1, SQLITE_STATIC);
      for (int i = 3; i < 14; i++)
        _tsu_store_bind_json (stmt, i + 1, json_object_get_member (batch, batch_columns[i]));
      if (sqlite3_step (stmt) != SQLITE_DONE)
        ok = _tsu_store_set_error (self, error);
    }
  g_rec_mutex_unlock (&self->mutex);
  return ok;
}

gboolean
tsu_store_add_import_record (TsuStore    *self,
                             const char  *batch_id,
                             const char  *table,
                             const char  *record_id,
                             guint        line,
                             GError     **error)
{
  g_autoptr(TsuCachedStmt) stmt = NULL;
  gboolean ok;

  g_return_val_if_fail (TSU_IS_STORE (self), FALSE);

  /* Two rows per household of an import: keep the statement prepared. */
  g_rec_mutex_lock (&self->mutex);
  ok = _tsu_store_cached (self, SQL_INSERT_RECORD, &stmt, error);
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, batch_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, table, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, record_id, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 4, (int) line);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        ok = _tsu_store_set_error (self, error);
    }
  g_rec_mutex_unlock (&self->mutex);
  return ok;
}

static JsonObject *
batch_from_row (sqlite3_stmt *stmt)
{
  JsonObject *batch = json_object_new ();

  for (guint i = 0; i < G_N_ELEMENTS (batch_columns); i++)
    json_object_set_member (batch, batch_columns[i], _tsu_store_column_json (stmt, (int) i));
  return batch;
}

JsonObject *
tsu_store_get_import_batch (TsuStore    *self,
                            const char  *batch_id,
                            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  JsonObject *batch = NULL;
  int rc;

  g_return_val_if_fail (TSU_IS_STORE (self), NULL);

  g_rec_mutex_lock (&self->mutex);
  if (_tsu_store_prepare (self, SQL_GET_BATCH, &stmt, error))
    {
      sqlite3_bind_text (stmt, 1, batch_id, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        batch = batch_from_row (stmt);
      else if (rc == SQLITE_DONE)
        g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_NOT_FOUND,
                     _("No import batch “%s”"), batch_id);
      else
        _tsu_store_set_error (self, error);
    }
  g_rec_mutex_unlock (&self->mutex);
  return batch;
}

GPtrArray *
tsu_store_list_import_batches (TsuStore  *self,
                               GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) batches = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  int rc = SQLITE_ERROR;

  g_return_val_if_fail (TSU_IS_STORE (self), NULL);

  g_rec_mutex_lock (&self->mutex);
  if (_tsu_store_prepare (self, SQL_LIST_BATCHES, &stmt, error))
    {
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_ptr_array_add (batches, batch_from_row (stmt));
      if (rc != SQLITE_DONE)
        _tsu_store_set_error (self, error);
    }
  g_rec_mutex_unlock (&self->mutex);
  return rc == SQLITE_DONE ? g_steal_pointer (&batches) : NULL;
}

gboolean
tsu_store_undo_import (TsuStore    *self,
                       const char  *batch_id,
                       guint       *n_deleted,
                       guint       *n_edited,
                       GError     **error)
{
  g_autoptr(JsonObject) batch = NULL;
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) n_ops = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *undone_at = g_date_time_format_iso8601 (now);
  guint deleted = 0, edited = 0;
  int rc;

  g_return_val_if_fail (TSU_IS_STORE (self), FALSE);

  if (!tsu_store_begin (self, error))
    return FALSE;
  tsu_store_set_import_cache (self, TRUE);

  batch = tsu_store_get_import_batch (self, batch_id, error);
  if (batch == NULL)
    goto failed;
  if (!json_object_get_null_member (batch, "undone_at"))
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID,
                   _("The import of “%s” (batch %s) was already undone on %s"),
                   json_object_get_string_member (batch, "file_name"), batch_id,
                   json_object_get_string_member (batch, "undone_at"));
      goto failed;
    }

  {
    g_autoptr(sqlite3_stmt) stmt = NULL;

    if (!_tsu_store_prepare (self, SQL_BATCH_RECORDS, &stmt, error))
      goto failed;
    sqlite3_bind_text (stmt, 1, batch_id, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        int ops = sqlite3_column_int (stmt, 3);

        /* Already deleted (by hand, or it no longer exists): nothing to undo. */
        if (sqlite3_column_type (stmt, 2) == SQLITE_NULL || sqlite3_column_int (stmt, 2) != 0)
          continue;
        g_ptr_array_add (tables, g_strdup (_tsu_store_column_text (stmt, 0)));
        g_ptr_array_add (ids, g_strdup (_tsu_store_column_text (stmt, 1)));
        g_array_append_val (n_ops, ops);
      }
    if (rc != SQLITE_DONE)
      {
        _tsu_store_set_error (self, error);
        goto failed;
      }
  }

  /* Residents come first (the ORDER BY), so that no household is deleted
   * while a live resident still points at it. */
  for (guint i = 0; i < ids->len; i++)
    {
      if (g_array_index (n_ops, int, i) > 1)
        edited++;
      if (!tsu_store_delete (self, tables->pdata[i], ids->pdata[i], error))
        goto failed;
      deleted++;
    }

  {
    g_autoptr(sqlite3_stmt) stmt = NULL;

    if (!_tsu_store_prepare (self, SQL_MARK_UNDONE, &stmt, error))
      goto failed;
    sqlite3_bind_text (stmt, 1, batch_id, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 2, undone_at, -1, SQLITE_STATIC);
    if (sqlite3_step (stmt) != SQLITE_DONE)
      {
        _tsu_store_set_error (self, error);
        goto failed;
      }
  }

  if (!tsu_store_commit (self, error))
    {
      tsu_store_set_import_cache (self, FALSE);
      return FALSE;
    }
  tsu_store_set_import_cache (self, FALSE);
  if (n_deleted != NULL)
    *n_deleted = deleted;
  if (n_edited != NULL)
    *n_edited = edited;
  return TRUE;

failed:
  tsu_store_rollback (self);
  tsu_store_set_import_cache (self, FALSE);
  return FALSE;
}

char *
tsu_store_get_import_setting (TsuStore   *self,
                              const char *key)
{
  g_return_val_if_fail (TSU_IS_STORE (self), NULL);
  return _tsu_store_get_key_value (self, TSU_KEY_VALUE_IMPORT_SETTING, key);
}

gboolean
tsu_store_set_import_setting (TsuStore    *self,
                              const char  *key,
                              const char  *value,
                              GError     **error)
{
  g_return_val_if_fail (TSU_IS_STORE (self), FALSE);
  return _tsu_store_set_key_value (self, TSU_KEY_VALUE_IMPORT_SETTING, key, value, error);
}

GHashTable *
tsu_store_get_town_districts (TsuStore  *self,
                              GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GHashTable) towns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  int rc = SQLITE_ERROR;

  g_return_val_if_fail (TSU_IS_STORE (self), NULL);

  g_rec_mutex_lock (&self->mutex);
  if (_tsu_store_prepare (self, SQL_GET_TOWNS, &stmt, error))
    {
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_hash_table_insert (towns, g_strdup (_tsu_store_column_text (stmt, 0)),
                             g_strdup (_tsu_store_column_text (stmt, 1)));
      if (rc != SQLITE_DONE)
        _tsu_store_set_error (self, error);
    }
  g_rec_mutex_unlock (&self->mutex);
  return rc == SQLITE_DONE ? g_steal_pointer (&towns) : NULL;
}

gboolean
tsu_store_set_town_district (TsuStore    *self,
                             const char  *town,
                             const char  *district_id,
                             GError     **error)
{
  g_autoptr(TsuAddress) parsed = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean ok;

  g_return_val_if_fail (TSU_IS_STORE (self), FALSE);
  g_return_val_if_fail (town != NULL, FALSE);

  parsed = tsu_address_parse (town);
  if (*parsed->town == '\0')
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID,
                   _("“%s” is not a town name"), town);
      return FALSE;
    }

  g_rec_mutex_lock (&self->mutex);
  if (district_id != NULL)
    {
      g_autoptr(JsonObject) district = tsu_store_get_record (self, "district", district_id, error);

      ok = district != NULL && _tsu_store_prepare (self, SQL_SET_TOWN, &stmt, error);
      if (ok)
        {
          sqlite3_bind_text (stmt, 1, parsed->town_key, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 2, town, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 3, district_id, -1, SQLITE_STATIC);
        }
    }
  else
    {
      ok = _tsu_store_prepare (self, SQL_DELETE_TOWN, &stmt, error);
      if (ok)
        sqlite3_bind_text (stmt, 1, parsed->town_key, -1, SQLITE_STATIC);
    }
  if (ok && sqlite3_step (stmt) != SQLITE_DONE)
    ok = _tsu_store_set_error (self, error);
  g_rec_mutex_unlock (&self->mutex);
  return ok;
}

GPtrArray *
tsu_store_list_town_districts (TsuStore  *self,
                               GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) towns = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  int rc = SQLITE_ERROR;

  g_return_val_if_fail (TSU_IS_STORE (self), NULL);

  g_rec_mutex_lock (&self->mutex);
  if (_tsu_store_prepare (self, SQL_LIST_TOWNS, &stmt, error))
    {
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          JsonObject *town = json_object_new ();

          json_object_set_string_member (town, "town", _tsu_store_column_text (stmt, 0));
          json_object_set_string_member (town, "town_key", _tsu_store_column_text (stmt, 1));
          json_object_set_string_member (town, "district_id", _tsu_store_column_text (stmt, 2));
          json_object_set_member (town, "district_name", _tsu_store_column_json (stmt, 3));
          g_ptr_array_add (towns, town);
        }
      if (rc != SQLITE_DONE)
        _tsu_store_set_error (self, error);
    }
  g_rec_mutex_unlock (&self->mutex);
  return rc == SQLITE_DONE ? g_steal_pointer (&towns) : NULL;
}

GPtrArray *
tsu_store_list_households_to_place (TsuStore  *self,
                                    GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) households = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  int rc = SQLITE_ERROR;

  g_return_val_if_fail (TSU_IS_STORE (self), NULL);

  g_rec_mutex_lock (&self->mutex);
  if (_tsu_store_prepare (self, SQL_TO_PLACE, &stmt, error))
    {
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          JsonObject *household = json_object_new ();

          json_object_set_string_member (household, "id", _tsu_store_column_text (stmt, 0));
          json_object_set_member (household, "address", _tsu_store_column_json (stmt, 1));
          json_object_set_string_member (household, "location_quality", _tsu_store_column_text (stmt, 2));
          g_ptr_array_add (households, household);
        }
      if (rc != SQLITE_DONE)
        _tsu_store_set_error (self, error);
    }
  g_rec_mutex_unlock (&self->mutex);
  return rc == SQLITE_DONE ? g_steal_pointer (&households) : NULL;
}
