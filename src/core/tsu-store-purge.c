/* tsu-store-purge.c: retention purge of archived households
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A 社協 keeps the records of households that moved away or whose members
 * died only for its retention period. Purging one is an explicit action
 * with a reason, and it must leave no personal trace, yet the operation
 * log is append-only (a trigger refuses UPDATE and DELETE) and sync relies
 * on it. So a purge is two things:
 *
 * - a normal, logged operation that syncs: the household gets
 *   status "purged" and the deleted tombstone, its residents, visits and
 *   follow-ups the deleted tombstone. Every replica that imports the
 *   household's purged status runs the redaction below for it too.
 * - a redaction, the one path that may rewrite the operation log: inside
 *   the same transaction the update trigger is dropped, the household's
 *   and its records' log entries keep their keys, timestamps, tombstones and
 *   references but every other value becomes null, and the trigger is
 *   created again. The record rows keep only their id, clocks, tombstone
 *   and references; conflicts, search keys and the list summary of the
 *   household are deleted. Each run is logged in purge_log (append-only),
 *   with the reason, the actor and the household ids (random ids, nothing
 *   personal). VACUUM afterwards leaves no freed page with old bytes
 *   (secure_delete is on as well).
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "tsu-store-purge.h"
#include "tsu-store-private.h"
#include "tsu-schema.h"

#define SQL_TRIGGER_NO_UPDATE \
  "CREATE TRIGGER oplog_no_update BEFORE UPDATE ON oplog BEGIN SELECT RAISE(ABORT, 'the operation log is append-only'); END;"

#define SQL_CANDIDATES \
  "SELECT h.id, h.status FROM household h" \
  " LEFT JOIN field_clock c ON c.tbl = 'household' AND c.record_id = h.id AND c.field = 'status'" \
  " WHERE (h.status IN ('moved', 'deceased') AND substr(coalesce(c.hlc, ''), 1, 16) < ?1)" \
  "    OR h.status = '" TSU_HOUSEHOLD_STATUS_PURGED "' ORDER BY h.id"
#define SQL_CHILDREN \
  "SELECT 'resident', id FROM resident WHERE household_id = ?1" \
  " UNION ALL SELECT 'visit', id FROM visit WHERE household_id = ?1" \
  " UNION ALL SELECT 'followup', id FROM followup WHERE household_id = ?1"
#define SQL_OPLOG_OF "SELECT seq, tbl, fields FROM oplog WHERE record_id = ?1"
#define SQL_OPLOG_SET "UPDATE oplog SET fields = ?2 WHERE seq = ?1"
#define SQL_INSERT_LOG \
  "INSERT INTO purge_log (at_ms, replica, actor, reason, older_than_days, household_ids, n_records)" \
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"

static gboolean
fail (GError     **error,
      int          code,
      const char  *message)
{
  g_set_error_literal (error, TSU_STORE_ERROR, code, message);
  return FALSE;
}

/* Whether @field of @table keeps its value in a purged record: the
 * tombstone, the status and references (ids, nothing personal), so that
 * late operations still validate and scope still works. */
static gboolean
keep_field (const TsuTableInfo *table,
            const char         *field)
{
  const TsuFieldInfo *info;

  if (g_str_equal (field, "deleted") || g_str_equal (field, "status"))
    return TRUE;
  info = tsu_table_lookup_field (table, field);
  return info != NULL && info->type == TSU_FIELD_REF;
}

static gboolean
redact_row (TsuStore    *self,
            const char  *table_name,
            const char  *id,
            GError     **error)
{
  const TsuTableInfo *table = tsu_schema_lookup (table_name);
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (table == NULL)
    return TRUE;
  g_string_append_printf (sql, "UPDATE %s SET deleted = 1", table->name);
  for (guint i = 0; i < table->n_fields; i++)
    if (!keep_field (table, table->fields[i].name))
      g_string_append_printf (sql, ", %s = NULL", table->fields[i].name);
  g_string_append (sql, " WHERE id = ?1");
  if (!_tsu_store_prepare (self, sql->str, &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return _tsu_store_set_error (self, error);
  return TRUE;
}

/* Nulls the personal values of every log entry of @id. */
static gboolean
redact_log (TsuStore    *self,
            const char  *id,
            GError     **error)
{
  g_autoptr(sqlite3_stmt) select = NULL;
  g_autoptr(sqlite3_stmt) update = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  int rc;

  if (!_tsu_store_prepare (self, SQL_OPLOG_OF, &select, error) ||
      !_tsu_store_prepare (self, SQL_OPLOG_SET, &update, error))
    return FALSE;
  sqlite3_bind_text (select, 1, id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (select, 0);
      const TsuTableInfo *table = tsu_schema_lookup ((const char *) sqlite3_column_text (select, 1));
      const char *fields = (const char *) sqlite3_column_text (select, 2);
      g_autoptr(JsonObject) redacted = json_object_new ();
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *text = NULL;
      JsonObject *object;
      GList *members;
      gboolean changed = FALSE;

      if (table == NULL || fields == NULL || !json_parser_load_from_data (parser, fields, -1, NULL) ||
          !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        continue;
      object = json_node_get_object (json_parser_get_root (parser));
      members = json_object_get_members (object);
      for (GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *value = json_object_get_member (object, l->data);

          if (keep_field (table, l->data) || JSON_NODE_HOLDS_NULL (value))
            json_object_set_member (redacted, l->data, json_node_copy (value));
          else
            {
              json_object_set_null_member (redacted, l->data);
              changed = TRUE;
            }
        }
      g_list_free (members);
      if (!changed)
        continue;
      node = json_node_init_object (json_node_alloc (), redacted);
      text = json_to_string (node, FALSE);
      sqlite3_reset (update);
      sqlite3_bind_int64 (update, 1, seq);
      sqlite3_bind_text (update, 2, text, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (update) != SQLITE_DONE)
        return _tsu_store_set_error (self, error);
    }
  if (rc != SQLITE_DONE)
    return _tsu_store_set_error (self, error);
  return TRUE;
}

static gboolean
exec_with_id (TsuStore    *self,
              const char  *sql,
              const char  *id,
              GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!_tsu_store_prepare (self, sql, &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return _tsu_store_set_error (self, error);
  return TRUE;
}

/* The household's records as (table, id) pairs, the household first. */
static GPtrArray *
list_records (TsuStore    *self,
              const char  *household_id,
              GError     **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_ptr_array_add (records, g_strdup ("household"));
  g_ptr_array_add (records, g_strdup (household_id));
  if (!_tsu_store_prepare (self, SQL_CHILDREN, &stmt, error))
    return NULL;
  sqlite3_bind_text (stmt, 1, household_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (records, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      g_ptr_array_add (records, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
    }
  if (rc != SQLITE_DONE)
    {
      _tsu_store_set_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&records);
}

gboolean
tsu_store_purge_household (TsuStore     *self,
                           const char   *household_id,
                           guint        *n_records,
                           GError      **error)
{
  g_autoptr(GPtrArray) records = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (TSU_IS_STORE (self), FALSE);

  if (!tsu_store_begin (self, error))
    return FALSE;
  /* Pending list-summary updates are written now, so that the summary row
   * deleted below is not written again at commit. */
  records = list_records (self, household_id, error);
  if (records == NULL || !_tsu_store_summary_flush (self, error))
    goto failed;

  /* The one marked path that may rewrite the log: dropped and re-created
   * inside this transaction, so no other writer ever sees it missing. */
  if (!_tsu_store_exec (self, "DROP TRIGGER oplog_no_update", error))
    goto failed;
  for (guint i = 0; ok && i < records->len; i += 2)
    {
      const char *table = records->pdata[i];
      const char *id = records->pdata[i + 1];

      ok = redact_row (self, table, id, error) &&
           redact_log (self, id, error) &&
           exec_with_id (self, "DELETE FROM sync_conflict WHERE record_id = ?1", id, error);
    }
  if (!ok || !_tsu_store_exec (self, SQL_TRIGGER_NO_UPDATE, error))
    goto failed;
  if (!exec_with_id (self, "DELETE FROM search_fts WHERE rowid IN (SELECT rowid FROM search_key WHERE household_id = ?1)",
                     household_id, error) ||
      !exec_with_id (self, "DELETE FROM search_key WHERE household_id = ?1", household_id, error) ||
      !exec_with_id (self, "DELETE FROM household_summary WHERE household_id = ?1", household_id, error))
    goto failed;
  if (n_records != NULL)
    *n_records += records->len / 2;
  return tsu_store_commit (self, error);

failed:
  tsu_store_rollback (self);
  return FALSE;
}

gboolean
tsu_store_purge_archived (TsuStore     *self,
                          guint         older_than_days,
                          const char   *reason,
                          guint        *n_households,
                          guint        *n_records,
                          GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) already = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *cutoff = NULL;
  g_autofree char *id_text = NULL;
  g_autofree char *stripped = NULL;
  gint64 now_ms = g_get_real_time () / 1000;
  guint records = 0;
  int rc;

  g_return_val_if_fail (TSU_IS_STORE (self), FALSE);

  stripped = g_strstrip (g_strdup (reason != NULL ? reason : ""));
  if (*stripped == '\0')
    return fail (error, TSU_STORE_ERROR_INVALID, _("A purge needs a reason, for the audit log"));

  cutoff = g_strdup_printf ("%016" G_GINT64_FORMAT, now_ms - (gint64) older_than_days * 24 * 3600 * 1000);
  if (!tsu_store_begin (self, error))
    return FALSE;
  if (!_tsu_store_prepare (self, SQL_CANDIDATES, &stmt, error))
    goto failed;
  sqlite3_bind_text (stmt, 1, cutoff, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *status = (const char *) sqlite3_column_text (stmt, 1);

      g_ptr_array_add (g_strcmp0 (status, TSU_HOUSEHOLD_STATUS_PURGED) == 0 ? already : ids,
                       g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (rc != SQLITE_DONE)
    {
      _tsu_store_set_error (self, error);
      goto failed;
    }

  /* The tombstones: normal operations, so the purge reaches every replica. */
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(GPtrArray) list = list_records (self, ids->pdata[i], error);

      if (list == NULL)
        goto failed;
      for (guint j = 2; j < list->len; j += 2)
        {
          g_autoptr(JsonObject) fields = json_object_new ();

          json_object_set_boolean_member (fields, "deleted", TRUE);
          if (!tsu_store_update (self, list->pdata[j], list->pdata[j + 1], fields, error))
            goto failed;
        }
      {
        g_autoptr(JsonObject) fields = json_object_new ();

        json_object_set_string_member (fields, "status", TSU_HOUSEHOLD_STATUS_PURGED);
        json_object_set_boolean_member (fields, "deleted", TRUE);
        if (!tsu_store_update (self, "household", ids->pdata[i], fields, error))
          goto failed;
      }
    }

  /* Households purged before, or by another replica, are redacted again:
   * a late operation may have brought values back. */
  for (guint i = 0; i < ids->len; i++)
    if (!tsu_store_purge_household (self, ids->pdata[i], &records, error))
      goto failed;
  for (guint i = 0; i < already->len; i++)
    if (!tsu_store_purge_household (self, already->pdata[i], NULL, error))
      goto failed;

  g_ptr_array_add (ids, NULL);
  id_text = g_strjoinv (",", (char **) ids->pdata);
  if (!_tsu_store_prepare (self, SQL_INSERT_LOG, &stmt, error))
    goto failed;
  sqlite3_bind_int64 (stmt, 1, now_ms);
  sqlite3_bind_text (stmt, 2, tsu_store_get_replica_id (self), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, tsu_store_get_actor (self), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, reason, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, older_than_days);
  sqlite3_bind_text (stmt, 6, id_text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 7, records);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _tsu_store_set_error (self, error);
      goto failed;
    }
  if (!tsu_store_commit (self, error))
    return FALSE;
  if (n_households != NULL)
    *n_households = ids->len - 1;
  if (n_records != NULL)
    *n_records = records;
  return TRUE;

failed:
  tsu_store_rollback (self);
  return FALSE;
}

gboolean
tsu_store_vacuum (TsuStore  *self,
                  GError   **error)
{
  g_return_val_if_fail (TSU_IS_STORE (self), FALSE);

  /* FTS5 keeps deleted terms in its segments until they are merged:
   * optimize merges them into one, without the purged households. */
  return _tsu_store_exec (self, "INSERT INTO search_fts (search_fts) VALUES ('optimize')", error) &&
         _tsu_store_exec (self, "VACUUM", error) &&
         _tsu_store_exec (self, "PRAGMA wal_checkpoint(TRUNCATE)", error);
}

gint64
tsu_store_purge_count_log (TsuStore *self)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 n = -1;

  if (_tsu_store_prepare (self, "SELECT count(*) FROM purge_log", &stmt, NULL) &&
      sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  return n;
}

gboolean
tsu_store_household_is_purged (TsuStore     *self,
                               const char   *household_id,
                               GError      **error)
{
  g_autoptr(TsuCachedStmt) stmt = NULL;
  gboolean purged = FALSE;
  int rc;

  g_return_val_if_fail (TSU_IS_STORE (self), FALSE);

  g_rec_mutex_lock (&self->mutex);
  if (_tsu_store_cached (self, "SELECT status = '" TSU_HOUSEHOLD_STATUS_PURGED "' FROM household WHERE id = ?1",
                         &stmt, error))
    {
      sqlite3_bind_text (stmt, 1, household_id, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        purged = sqlite3_column_int (stmt, 0) != 0;
      else if (rc != SQLITE_DONE)
        _tsu_store_set_error (self, error);
    }
  g_clear_pointer (&stmt, sqlite3_reset);
  g_rec_mutex_unlock (&self->mutex);
  return purged;
}
