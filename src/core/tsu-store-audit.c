/* tsu-store-audit.c: who changed what, when
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The operation log is the audit trail: every write on every replica is one
 * entry, never rewritten. This reads it back for one household.
 */
#include "config.h"

#include "tsu-store-audit.h"
#include "tsu-store-private.h"

#define SQL_HOUSEHOLD_HISTORY \
  "SELECT hlc, replica, actor, tbl, record_id, fields FROM oplog" \
  " WHERE record_id = ?1 OR record_id IN (" \
  "   SELECT id FROM resident WHERE household_id = ?1 UNION ALL" \
  "   SELECT id FROM visit WHERE household_id = ?1 UNION ALL" \
  "   SELECT id FROM followup WHERE household_id = ?1)" \
  " ORDER BY hlc DESC LIMIT ?2"

GPtrArray *
tsu_store_list_household_history (TsuStore    *self,
                                  const char  *household_id,
                                  guint        limit,
                                  GError     **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (TSU_IS_STORE (self), NULL);
  g_return_val_if_fail (household_id != NULL, NULL);

  g_rec_mutex_lock (&self->mutex);
  if (!_tsu_store_prepare (self, SQL_HOUSEHOLD_HISTORY, &stmt, error))
    {
      g_rec_mutex_unlock (&self->mutex);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, household_id, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, limit > 0 ? (int) limit : 500);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JsonObject *entry = json_object_new ();
      g_autoptr(JsonNode) fields = json_from_string (_tsu_store_column_text (stmt, 5), NULL);

      json_object_set_string_member (entry, "hlc", _tsu_store_column_text (stmt, 0));
      json_object_set_string_member (entry, "replica", _tsu_store_column_text (stmt, 1));
      json_object_set_string_member (entry, "actor", _tsu_store_column_text (stmt, 2));
      json_object_set_string_member (entry, "table", _tsu_store_column_text (stmt, 3));
      json_object_set_string_member (entry, "id", _tsu_store_column_text (stmt, 4));
      if (fields != NULL && JSON_NODE_HOLDS_OBJECT (fields))
        json_object_set_member (entry, "fields", g_steal_pointer (&fields));
      g_ptr_array_add (entries, entry);
    }
  if (rc != SQLITE_DONE)
    _tsu_store_set_error (self, error);
  g_rec_mutex_unlock (&self->mutex);

  return rc == SQLITE_DONE ? g_steal_pointer (&entries) : NULL;
}

static GPtrArray *
read_history (TsuStore    *self,
              const char  *household_id,
              GError     **error)
{
  return tsu_store_list_household_history (self, household_id, 500, error);
}

void
tsu_store_list_household_history_async (TsuStore            *self,
                                        const char          *household_id,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  _tsu_store_list_async (self, read_history, household_id, tsu_store_list_household_history_async,
                         cancellable, callback, user_data);
}

GPtrArray *
tsu_store_list_household_history_finish (TsuStore      *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  return _tsu_store_list_finish (self, result, error);
}
