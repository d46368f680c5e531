/* tsu-store-sync.c: the store's side of sync
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * All the SQL that changesets need lives here; tsu-changeset.c reads and
 * writes the file format and validates, and calls these functions. An
 * import is one SQLite transaction with foreign keys deferred to the
 * commit: operations may arrive in any order (that is the point of last
 * writer wins per field), only the final state has to be consistent.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tsu-store-private.h"
#include "tsu-store-sync.h"

#define SQL_WATERMARK "SELECT max(hlc) FROM oplog WHERE replica = ?1"
#define SQL_MAX_SEQ "SELECT coalesce(max(seq), 0) FROM oplog"
#define SQL_UNACKED \
  "SELECT hlc, actor, tbl, record_id, fields FROM oplog WHERE replica = ?1 AND hlc > ?2 ORDER BY hlc"
#define SQL_OP_BY_HLC "SELECT seq, actor FROM oplog WHERE hlc = ?1"
#define SQL_HAS_OPS "SELECT 1 FROM oplog WHERE record_id = ?1 LIMIT 1"
#define SQL_RECORD_OPS "SELECT tbl, hlc, fields FROM oplog WHERE record_id = ?1 ORDER BY hlc"
#define SQL_INSERT_CONFLICT \
  "INSERT OR IGNORE INTO sync_conflict (tbl, record_id, field, local_value, local_hlc, local_actor," \
  "  remote_value, remote_hlc, remote_actor, remote_won, detected_ms)" \
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
#define SQL_LOOKUP_ANY \
  "SELECT 'district' FROM district WHERE id = ?1 UNION ALL" \
  " SELECT 'coordinator' FROM coordinator WHERE id = ?1 UNION ALL" \
  " SELECT 'category' FROM category WHERE id = ?1 UNION ALL" \
  " SELECT 'agency' FROM agency WHERE id = ?1 UNION ALL" \
  " SELECT 'household' FROM household WHERE id = ?1 UNION ALL" \
  " SELECT 'resident' FROM resident WHERE id = ?1 UNION ALL" \
  " SELECT 'visit' FROM visit WHERE id = ?1 UNION ALL" \
  " SELECT 'followup' FROM followup WHERE id = ?1 LIMIT 1"
#define SQL_ADD_DEVICE \
  "INSERT INTO hub_device (id, name, key, districts, created_ms) VALUES (?1, ?2, ?3, ?4, ?5)"
#define SQL_DEVICE_COLUMNS \
  "SELECT id, name, key, districts, replica, acked_seq, acked_districts, created_ms," \
  " last_seen_ms, last_export_ms FROM hub_device"
#define SQL_NOTE_INGEST \
  "UPDATE hub_device SET replica = coalesce(replica, ?2), last_seen_ms = ?5," \
  " acked_districts = CASE WHEN ?3 > acked_seq THEN ?4 ELSE acked_districts END," \
  " acked_seq = max(acked_seq, ?3) WHERE id = ?1"
#define SQL_NOTE_EXPORT "UPDATE hub_device SET last_export_ms = ?2 WHERE id = ?1"
#define SQL_COUNT_PENDING "SELECT count(*) FROM oplog WHERE seq > ?1 AND replica IS NOT ?2"
#define SQL_LIST_CONFLICTS \
  "SELECT id, tbl, record_id, field, local_value, local_hlc, local_actor, remote_value," \
  " remote_hlc, remote_actor, remote_won, detected_ms, resolved_ms FROM sync_conflict"
#define SQL_RESOLVE_CONFLICT "UPDATE sync_conflict SET resolved_ms = ?2 WHERE id = ?1"

#define SQL_SCOPE_TABLES \
  "CREATE TEMP TABLE IF NOT EXISTS sync_d (id TEXT PRIMARY KEY);" \
  "CREATE TEMP TABLE IF NOT EXISTS sync_ad (id TEXT PRIMARY KEY);" \
  "CREATE TEMP TABLE IF NOT EXISTS sync_hh (id TEXT PRIMARY KEY, fresh INTEGER);" \
  "CREATE TEMP TABLE IF NOT EXISTS sync_scope (id TEXT PRIMARY KEY);" \
  "CREATE TEMP TABLE IF NOT EXISTS sync_full (id TEXT PRIMARY KEY);" \
  "DELETE FROM temp.sync_d; DELETE FROM temp.sync_ad; DELETE FROM temp.sync_hh;" \
  "DELETE FROM temp.sync_scope; DELETE FROM temp.sync_full;"

/* The records a device needs in full (every operation, not only the new
 * ones): households new to its scope or changed since its last
 * acknowledgement with everything under them, and any record in scope
 * changed since then. Full histories make a record that enters the scope
 * arrive whole; operations the device already has are skipped cheaply. */
#define SQL_HUB_SELECT \
  "INSERT INTO temp.sync_hh SELECT id, district_id NOT IN (SELECT id FROM temp.sync_ad)" \
  "  FROM household WHERE district_id IN (SELECT id FROM temp.sync_d);" \
  "UPDATE temp.sync_hh SET fresh = 1 WHERE fresh = 0 AND id IN (SELECT record_id FROM oplog WHERE seq > $acked);" \
  "INSERT INTO temp.sync_scope SELECT id FROM temp.sync_hh;" \
  "INSERT OR IGNORE INTO temp.sync_scope SELECT r.id FROM resident r JOIN temp.sync_hh h ON h.id = r.household_id;" \
  "INSERT OR IGNORE INTO temp.sync_scope SELECT v.id FROM visit v JOIN temp.sync_hh h ON h.id = v.household_id;" \
  "INSERT OR IGNORE INTO temp.sync_scope SELECT f.id FROM followup f JOIN temp.sync_hh h ON h.id = f.household_id;" \
  "INSERT INTO temp.sync_full SELECT id FROM temp.sync_hh WHERE fresh;" \
  "INSERT OR IGNORE INTO temp.sync_full SELECT r.id FROM resident r JOIN temp.sync_hh h ON h.id = r.household_id WHERE h.fresh;" \
  "INSERT OR IGNORE INTO temp.sync_full SELECT v.id FROM visit v JOIN temp.sync_hh h ON h.id = v.household_id WHERE h.fresh;" \
  "INSERT OR IGNORE INTO temp.sync_full SELECT f.id FROM followup f JOIN temp.sync_hh h ON h.id = f.household_id WHERE h.fresh;" \
  "INSERT OR IGNORE INTO temp.sync_full SELECT DISTINCT o.record_id FROM oplog o" \
  "  WHERE o.seq > $acked AND o.record_id IN (SELECT id FROM temp.sync_scope);"

/* The first export to a device (nothing acknowledged): everything in scope
 * goes in full, so the "changed since" steps are skipped. */
#define SQL_HUB_SELECT_ALL \
  "INSERT INTO temp.sync_hh SELECT id, 1 FROM household WHERE district_id IN (SELECT id FROM temp.sync_d);" \
  "INSERT INTO temp.sync_full SELECT id FROM temp.sync_hh;" \
  "INSERT OR IGNORE INTO temp.sync_full SELECT r.id FROM resident r JOIN temp.sync_hh h ON h.id = r.household_id;" \
  "INSERT OR IGNORE INTO temp.sync_full SELECT v.id FROM visit v JOIN temp.sync_hh h ON h.id = v.household_id;" \
  "INSERT OR IGNORE INTO temp.sync_full SELECT f.id FROM followup f JOIN temp.sync_hh h ON h.id = f.household_id;"

#define SQL_HUB_OPS \
  "SELECT hlc, actor, tbl, record_id, fields FROM oplog WHERE record_id IN (SELECT id FROM temp.sync_full)" \
  " UNION ALL SELECT hlc, actor, tbl, record_id, fields FROM oplog" \
  "  WHERE seq > ?1 AND seq <= ?2 AND tbl IN ('district', 'coordinator', 'category', 'agency')" \
  " ORDER BY 1"

/* A first export to a device whose districts hold every household: the
 * whole log, read in the order of its hlc index. Every resident, visit and
 * follow-up with a household then belongs to the device (the references
 * are foreign keys, so a non-null household_id names a household here), so
 * only the few without one are a reason to take the general path. The
 * read transaction makes "the whole log" the log up to max_seq. */
#define SQL_HUB_COVERS_ALL \
  "SELECT NOT EXISTS (SELECT 1 FROM household WHERE district_id IS NULL" \
  "                     OR district_id NOT IN (SELECT id FROM temp.sync_d))" \
  " AND NOT EXISTS (SELECT 1 FROM resident WHERE household_id IS NULL)" \
  " AND NOT EXISTS (SELECT 1 FROM visit WHERE household_id IS NULL)" \
  " AND NOT EXISTS (SELECT 1 FROM followup WHERE household_id IS NULL)"
#define SQL_HUB_OPS_ALL \
  "SELECT hlc, actor, tbl, record_id, fields FROM oplog ORDER BY hlc"

#define SQL_HUB_LEFT \
  "SELECT DISTINCT o.record_id FROM oplog o JOIN household h ON h.id = o.record_id" \
  " WHERE o.seq > ?1 AND o.seq <= ?2 AND o.tbl = 'household' AND o.fields LIKE '%\"district_id\"%'" \
  "  AND (h.district_id IS NULL OR h.district_id NOT IN (SELECT id FROM temp.sync_d))" \
  " ORDER BY 1"

#define SQL_EVICT \
  "CREATE TEMP TABLE IF NOT EXISTS sync_d (id TEXT PRIMARY KEY);" \
  "CREATE TEMP TABLE IF NOT EXISTS sync_evh (id TEXT PRIMARY KEY);" \
  "CREATE TEMP TABLE IF NOT EXISTS sync_ev (id TEXT PRIMARY KEY, tbl TEXT);" \
  "DELETE FROM temp.sync_evh; DELETE FROM temp.sync_ev;"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsuSyncImport, tsu_sync_import_abort)

static gboolean allow_shortcuts = TRUE;

static gboolean
step_done (TsuStore      *self,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return _tsu_store_set_error (self, error);
  return TRUE;
}

char *
tsu_store_sync_get_state (TsuStore   *self,
                          const char *key)
{
  g_return_val_if_fail (TSU_IS_STORE (self), NULL);
  return _tsu_store_get_key_value (self, TSU_KEY_VALUE_SYNC_STATE, key);
}

gboolean
tsu_store_sync_set_state (TsuStore    *self,
                          const char  *key,
                          const char  *value,
                          GError     **error)
{
  g_return_val_if_fail (TSU_IS_STORE (self), FALSE);
  return _tsu_store_set_key_value (self, TSU_KEY_VALUE_SYNC_STATE, key, value, error);
}

char *
tsu_store_sync_replica_watermark (TsuStore   *self,
                                  const char *replica)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  char *value = NULL;

  g_rec_mutex_lock (&self->mutex);
  if (replica != NULL && _tsu_store_prepare (self, SQL_WATERMARK, &stmt, NULL))
    {
      sqlite3_bind_text (stmt, 1, replica, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) == SQLITE_TEXT)
        value = g_strdup (_tsu_store_column_text (stmt, 0));
    }
  g_rec_mutex_unlock (&self->mutex);
  return value;
}

gint64
tsu_store_sync_max_seq (TsuStore *self)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 seq = 0;

  g_rec_mutex_lock (&self->mutex);
  if (_tsu_store_prepare (self, SQL_MAX_SEQ, &stmt, NULL) && sqlite3_step (stmt) == SQLITE_ROW)
    seq = sqlite3_column_int64 (stmt, 0);
  g_rec_mutex_unlock (&self->mutex);
  return seq;
}

static gboolean
emit_rows (TsuStore      *self,
           sqlite3_stmt  *stmt,
           TsuOpRowFunc   func,
           gpointer       user_data,
           GError       **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TsuOpRow row = {
        _tsu_store_column_text (stmt, 0),
        _tsu_store_column_text (stmt, 1),
        _tsu_store_column_text (stmt, 2),
        _tsu_store_column_text (stmt, 3),
        _tsu_store_column_text (stmt, 4),
      };

      if (!func (&row, user_data, error))
        return FALSE;
    }
  if (rc != SQLITE_DONE)
    return _tsu_store_set_error (self, error);
  return TRUE;
}

gboolean
tsu_store_sync_foreach_unacked (TsuStore     *self,
                                const char   *after_hlc,
                                TsuOpRowFunc  func,
                                gpointer      user_data,
                                GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean ok;

  g_return_val_if_fail (TSU_IS_STORE (self), FALSE);

  /* A read transaction, so that the export is one consistent snapshot. */
  g_rec_mutex_lock (&self->mutex);
  if (!_tsu_store_exec (self, "BEGIN", error))
    {
      g_rec_mutex_unlock (&self->mutex);
      return FALSE;
    }
  ok = _tsu_store_prepare (self, SQL_UNACKED, &stmt, error);
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, self->replica_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, after_hlc != NULL ? after_hlc : "", -1, SQLITE_STATIC);
      ok = emit_rows (self, stmt, func, user_data, error);
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL);
  g_rec_mutex_unlock (&self->mutex);
  return ok;
}

static gboolean
fill_ids (TsuStore           *self,
          const char         *sql,
          const char * const *ids,
          GError            **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (ids == NULL)
    return TRUE;
  if (!_tsu_store_prepare (self, sql, &stmt, error))
    return FALSE;
  for (guint i = 0; ids[i] != NULL; i++)
    {
      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, ids[i], -1, SQLITE_STATIC);
      if (!step_done (self, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
exec_with_seq (TsuStore    *self,
               const char  *sql,
               gint64       seq,
               GError     **error)
{
  g_autofree char *seq_text = g_strdup_printf ("%" G_GINT64_FORMAT, seq);
  g_auto(GStrv) parts = g_strsplit (sql, "$acked", -1);
  g_autofree char *joined = g_strjoinv (seq_text, parts);

  return _tsu_store_exec (self, joined, error);
}

void
_tsu_store_sync_allow_shortcuts (gboolean allow)
{
  allow_shortcuts = allow;
}

gboolean
tsu_store_hub_foreach_for_device (TsuStore           *self,
                                  const char * const *districts,
                                  gint64              acked_seq,
                                  const char * const *acked_districts,
                                  gint64             *hub_seq,
                                  GPtrArray          *left,
                                  TsuOpRowFunc        func,
                                  gpointer            user_data,
                                  GError            **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean covers_all = FALSE;
  gint64 max_seq;

  g_return_val_if_fail (TSU_IS_STORE (self), FALSE);

  /* The selection lives in temporary tables as large as the device's
   * share of the log: in memory, not in temporary files. */
  g_rec_mutex_lock (&self->mutex);
  if (self->transaction_depth == 0)
    sqlite3_exec (self->db, "PRAGMA temp_store = MEMORY", NULL, NULL, NULL);
  g_rec_mutex_unlock (&self->mutex);

  if (!tsu_store_begin (self, error))
    return FALSE;
  max_seq = tsu_store_sync_max_seq (self);
  if (!_tsu_store_exec (self, SQL_SCOPE_TABLES, error) ||
      !fill_ids (self, "INSERT OR IGNORE INTO temp.sync_d (id) VALUES (?1)", districts, error) ||
      !fill_ids (self, "INSERT OR IGNORE INTO temp.sync_ad (id) VALUES (?1)",
                 acked_seq > 0 ? acked_districts : NULL, error))
    goto failed;

  if (acked_seq == 0 && allow_shortcuts)
    {
      if (!_tsu_store_prepare (self, SQL_HUB_COVERS_ALL, &stmt, error))
        goto failed;
      if (sqlite3_step (stmt) != SQLITE_ROW)
        {
          _tsu_store_set_error (self, error);
          goto failed;
        }
      covers_all = sqlite3_column_int (stmt, 0) != 0;
      g_clear_pointer (&stmt, sqlite3_finalize);
    }

  if (covers_all)
    {
      if (!_tsu_store_prepare (self, SQL_HUB_OPS_ALL, &stmt, error))
        goto failed;
    }
  else if (!(acked_seq > 0 ? exec_with_seq (self, SQL_HUB_SELECT, acked_seq, error)
                           : _tsu_store_exec (self, SQL_HUB_SELECT_ALL, error)) ||
           !_tsu_store_prepare (self, SQL_HUB_OPS, &stmt, error))
    goto failed;

  sqlite3_bind_int64 (stmt, 1, acked_seq);
  sqlite3_bind_int64 (stmt, 2, max_seq);
  if (!emit_rows (self, stmt, func, user_data, error))
    goto failed;
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* Households that moved out of the districts: the device is told their
   * ids (nothing else) so that it removes them. */
  if (acked_seq > 0)
    {
      int rc;

      if (!_tsu_store_prepare (self, SQL_HUB_LEFT, &stmt, error))
        goto failed;
      sqlite3_bind_int64 (stmt, 1, acked_seq);
      sqlite3_bind_int64 (stmt, 2, max_seq);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_ptr_array_add (left, g_strdup (_tsu_store_column_text (stmt, 0)));
      if (rc != SQLITE_DONE)
        {
          _tsu_store_set_error (self, error);
          goto failed;
        }
      g_clear_pointer (&stmt, sqlite3_finalize);
    }

  *hub_seq = max_seq;
  /* Nothing was written outside the temporary tables. */
  tsu_store_rollback (self);
  return TRUE;

failed:
  g_clear_pointer (&stmt, sqlite3_finalize);
  tsu_store_rollback (self);
  return FALSE;
}

GPtrArray *
tsu_store_sync_list_districts (TsuStore  *self,
                               GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) districts = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  int rc = SQLITE_ERROR;

  g_rec_mutex_lock (&self->mutex);
  if (_tsu_store_prepare (self, "SELECT id, name FROM district WHERE deleted = 0 ORDER BY sort_order, name",
                          &stmt, error))
    {
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          char **pair = g_new0 (char *, 3);

          pair[0] = g_strdup (_tsu_store_column_text (stmt, 0));
          pair[1] = g_strdup (_tsu_store_column_text (stmt, 1));
          g_ptr_array_add (districts, pair);
        }
      if (rc != SQLITE_DONE)
        _tsu_store_set_error (self, error);
    }
  g_rec_mutex_unlock (&self->mutex);
  return rc == SQLITE_DONE ? g_steal_pointer (&districts) : NULL;
}

char *
tsu_store_sync_find_district (TsuStore   *self,
                              const char *name)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  char *id = NULL;

  g_rec_mutex_lock (&self->mutex);
  if (_tsu_store_prepare (self, "SELECT id FROM district WHERE deleted = 0 AND (name = ?1 OR full_name = ?1) LIMIT 2",
                          &stmt, NULL))
    {
      sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          id = g_strdup (_tsu_store_column_text (stmt, 0));
          if (sqlite3_step (stmt) == SQLITE_ROW)
            g_clear_pointer (&id, g_free);   /* ambiguous */
        }
    }
  g_rec_mutex_unlock (&self->mutex);
  return id;
}

gboolean
tsu_store_hub_add_device (TsuStore    *self,
                          const char  *id,
                          const char  *name,
                          const char  *key_hex,
                          const char  *districts,
                          GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean ok;

  g_rec_mutex_lock (&self->mutex);
  ok = _tsu_store_prepare (self, SQL_ADD_DEVICE, &stmt, error);
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, key_hex, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, districts, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 5, g_get_real_time () / 1000);
      ok = step_done (self, stmt, error);
    }
  g_rec_mutex_unlock (&self->mutex);
  return ok;
}

static JsonObject *
device_from_row (sqlite3_stmt *stmt)
{
  static const char * const names[] = {
    "id", "name", "key", "districts", "replica", "acked_seq", "acked_districts",
    "created_ms", "last_seen_ms", "last_export_ms",
  };
  JsonObject *device = json_object_new ();

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    json_object_set_member (device, names[i], _tsu_store_column_json (stmt, (int) i));
  return device;
}

JsonObject *
tsu_store_hub_get_device (TsuStore    *self,
                          const char  *id,
                          GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  JsonObject *device = NULL;
  int rc;

  g_rec_mutex_lock (&self->mutex);
  if (_tsu_store_prepare (self, SQL_DEVICE_COLUMNS " WHERE id = ?1", &stmt, error))
    {
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        device = device_from_row (stmt);
      else if (rc == SQLITE_DONE)
        g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_NOT_FOUND,
                     _("No device with id %s is registered at this hub"), id);
      else
        _tsu_store_set_error (self, error);
    }
  g_rec_mutex_unlock (&self->mutex);
  return device;
}

GPtrArray *
tsu_store_hub_list_devices (TsuStore  *self,
                            GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) devices = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  int rc = SQLITE_ERROR;

  g_rec_mutex_lock (&self->mutex);
  if (_tsu_store_prepare (self, SQL_DEVICE_COLUMNS " ORDER BY name, id", &stmt, error))
    {
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_ptr_array_add (devices, device_from_row (stmt));
      if (rc != SQLITE_DONE)
        _tsu_store_set_error (self, error);
    }
  g_rec_mutex_unlock (&self->mutex);
  return rc == SQLITE_DONE ? g_steal_pointer (&devices) : NULL;
}

gboolean
tsu_store_hub_note_export (TsuStore    *self,
                           const char  *device_id,
                           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean ok;

  g_rec_mutex_lock (&self->mutex);
  ok = _tsu_store_prepare (self, SQL_NOTE_EXPORT, &stmt, error);
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, g_get_real_time () / 1000);
      ok = step_done (self, stmt, error);
    }
  g_rec_mutex_unlock (&self->mutex);
  return ok;
}

gboolean
tsu_store_hub_count_pending (TsuStore    *self,
                             const char  *replica,
                             gint64       acked_seq,
                             gint64      *n_pending,
                             GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean ok;

  g_rec_mutex_lock (&self->mutex);
  ok = _tsu_store_prepare (self, SQL_COUNT_PENDING, &stmt, error);
  if (ok)
    {
      sqlite3_bind_int64 (stmt, 1, acked_seq);
      sqlite3_bind_text (stmt, 2, replica, -1, SQLITE_STATIC);
      ok = sqlite3_step (stmt) == SQLITE_ROW;
      if (ok)
        *n_pending = sqlite3_column_int64 (stmt, 0);
      else
        _tsu_store_set_error (self, error);
    }
  g_rec_mutex_unlock (&self->mutex);
  return ok;
}

/* The import transaction */

typedef enum
{
  POLICY_NONE,
  POLICY_LAPTOP,
  POLICY_HUB,
} Policy;

enum
{
  RECORD_EXISTED = 1 << 0,
  RECORD_COUNTED = 1 << 1,
};

struct _TsuSyncImport
{
  TsuStore      *store;
  Policy         policy;
  char          *ack_hlc;
  char          *sender_replica;
  gint64         sender_acked_seq;
  GHashTable    *seen;       /* record id → RECORD_* flags */
  char          *max_hlc;
  TsuSyncCounts  counts;
  GError        *outcome_error;
  sqlite3_stmt  *lookup_any;
  sqlite3_stmt  *exists[16];
  sqlite3_stmt  *has_ops;
  sqlite3_stmt  *op_by_hlc;
  sqlite3_stmt  *insert_conflict;
  gboolean       open;
  gboolean       log_was_empty;   /* the first import into a new database */
};

static void
import_free (TsuSyncImport *imp)
{
  sqlite3_finalize (imp->lookup_any);
  for (guint i = 0; i < G_N_ELEMENTS (imp->exists); i++)
    sqlite3_finalize (imp->exists[i]);
  sqlite3_finalize (imp->has_ops);
  sqlite3_finalize (imp->op_by_hlc);
  sqlite3_finalize (imp->insert_conflict);
  g_clear_pointer (&imp->seen, g_hash_table_unref);
  g_clear_error (&imp->outcome_error);
  g_free (imp->ack_hlc);
  g_free (imp->sender_replica);
  g_free (imp->max_hlc);
  g_object_unref (imp->store);
  g_free (imp);
}

TsuSyncImport *
tsu_store_sync_import_begin (TsuStore  *self,
                             GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  TsuSyncImport *imp;

  g_return_val_if_fail (TSU_IS_STORE (self), NULL);

  if (!tsu_store_begin (self, error))
    return NULL;

  imp = g_new0 (TsuSyncImport, 1);
  imp->store = g_object_ref (self);
  imp->open = TRUE;
  imp->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* A large changeset touches many pages: keep them in memory until the
   * commit instead of spilling them to the WAL half way (restored after). */
  if (!_tsu_store_exec (self, "PRAGMA defer_foreign_keys = ON; PRAGMA cache_size = -262144", error) ||
      !_tsu_store_prepare (self, SQL_LOOKUP_ANY, &imp->lookup_any, error) ||
      !_tsu_store_prepare (self, SQL_HAS_OPS, &imp->has_ops, error) ||
      !_tsu_store_prepare (self, SQL_OP_BY_HLC, &imp->op_by_hlc, error) ||
      !_tsu_store_prepare (self, SQL_INSERT_CONFLICT, &imp->insert_conflict, error))
    {
      tsu_sync_import_abort (imp);
      return NULL;
    }
  /* A database whose log is empty has no records at all (see
   * tsu_sync_import_lookup): its first import, usually the largest, needs
   * no look-up for the records it brings. */
  imp->log_was_empty = _tsu_store_prepare (self, "SELECT 1 FROM oplog LIMIT 1", &stmt, NULL) &&
                       sqlite3_step (stmt) == SQLITE_DONE;
  return imp;
}

void
tsu_sync_import_set_laptop_policy (TsuSyncImport *imp,
                                   const char    *ack_hlc)
{
  imp->policy = POLICY_LAPTOP;
  g_free (imp->ack_hlc);
  imp->ack_hlc = g_strdup (ack_hlc);
}

void
tsu_sync_import_set_hub_policy (TsuSyncImport *imp,
                                const char    *sender_replica,
                                gint64         sender_acked_seq)
{
  imp->policy = POLICY_HUB;
  g_free (imp->sender_replica);
  imp->sender_replica = g_strdup (sender_replica);
  imp->sender_acked_seq = sender_acked_seq;
}

const char *
tsu_sync_import_lookup (TsuSyncImport  *imp,
                        const char     *id,
                        GError        **error)
{
  const TsuTableInfo *table = NULL;
  gboolean in_log = FALSE;
  int rc;

  /* Every row of a record table was written through the operation log,
   * which never loses an entry (a purge redacts values, keeps ids): an id
   * the log has never seen is in no table. That is one index probe instead
   * of eight for each record new to this replica, and the apply that
   * follows knows the record is new without looking again. */
  if (allow_shortcuts && !imp->log_was_empty && !tsu_sync_import_in_log (imp, id, &in_log, error))
    return NULL;
  if (allow_shortcuts && !in_log)
    {
      if (!g_hash_table_contains (imp->seen, id))
        g_hash_table_insert (imp->seen, g_strdup (id), GUINT_TO_POINTER (0));
      return NULL;
    }

  sqlite3_reset (imp->lookup_any);
  sqlite3_bind_text (imp->lookup_any, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (imp->lookup_any);
  if (rc == SQLITE_ROW)
    table = tsu_schema_lookup (_tsu_store_column_text (imp->lookup_any, 0));
  else if (rc != SQLITE_DONE)
    _tsu_store_set_error (imp->store, error);
  sqlite3_reset (imp->lookup_any);
  return table != NULL ? table->name : NULL;
}

static int
table_index (const char *table)
{
  guint n;
  const TsuTableInfo *tables = tsu_schema_get_tables (&n);

  for (guint i = 0; i < n; i++)
    if (g_str_equal (tables[i].name, table))
      return (int) i;
  return -1;
}

gboolean
tsu_sync_import_exists (TsuSyncImport  *imp,
                        const char     *table,
                        const char     *id,
                        gboolean       *exists,
                        GError        **error)
{
  int index = table_index (table);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (index >= 0 && index < (int) G_N_ELEMENTS (imp->exists), FALSE);

  if (imp->exists[index] == NULL)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT 1 FROM %s WHERE id = ?1", table);

      if (!_tsu_store_prepare (imp->store, sql, &imp->exists[index], error))
        return FALSE;
    }
  stmt = imp->exists[index];
  sqlite3_reset (stmt);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _tsu_store_set_error (imp->store, error);
  *exists = rc == SQLITE_ROW;
  return TRUE;
}

/* Numbers compare as numbers (a REAL column gives back 35.0 for 35), and
 * booleans as the 0/1 they are stored as. */
static gboolean
values_equal (JsonNode *a,
              JsonNode *b)
{
  gboolean a_null = a == NULL || JSON_NODE_HOLDS_NULL (a);
  gboolean b_null = b == NULL || JSON_NODE_HOLDS_NULL (b);
  GType ta, tb;

  if (a_null || b_null)
    return a_null == b_null;
  if (!JSON_NODE_HOLDS_VALUE (a) || !JSON_NODE_HOLDS_VALUE (b))
    return FALSE;

  ta = json_node_get_value_type (a);
  tb = json_node_get_value_type (b);
  if (ta == G_TYPE_STRING || tb == G_TYPE_STRING)
    return ta == tb && g_strcmp0 (json_node_get_string (a), json_node_get_string (b)) == 0;

#define NUM(n, t) ((t) == G_TYPE_BOOLEAN ? (double) json_node_get_boolean (n) : \
                   (t) == G_TYPE_INT64 ? (double) json_node_get_int (n) : json_node_get_double (n))
  return NUM (a, ta) == NUM (b, tb);
#undef NUM
}

static char *
node_text (JsonNode *node)
{
  if (node == NULL)
    return NULL;
  return json_to_string (node, FALSE);
}

static void
record_conflict (TsuSyncImport         *imp,
                 const TsuFieldOutcome *outcome,
                 const char            *local_actor,
                 const char            *remote_actor)
{
  sqlite3_stmt *stmt = imp->insert_conflict;
  g_autofree char *local_text = node_text (outcome->old_value);
  g_autofree char *remote_text = node_text (outcome->new_value);

  sqlite3_reset (stmt);
  sqlite3_bind_text (stmt, 1, outcome->table, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, outcome->record_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, outcome->field, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, local_text, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, outcome->old_clock, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, local_actor, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, remote_text, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, outcome->new_clock, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, remote_actor, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 10, outcome->applied ? 1 : 0);
  sqlite3_bind_int64 (stmt, 11, g_get_real_time () / 1000);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      if (imp->outcome_error == NULL)
        _tsu_store_set_error (imp->store, &imp->outcome_error);
    }
  else if (sqlite3_changes (imp->store->db) > 0)
    imp->counts.conflicts++;
  sqlite3_reset (stmt);
}

typedef struct
{
  TsuSyncImport *imp;
  const char    *actor;
} OutcomeData;

/* SYNC.md property 5. A laptop: the incoming value meets a value this
 * laptop wrote and the hub has not acknowledged, whichever wins. The hub:
 * the incoming value lost (its writer cannot have seen the newer one), or
 * it overwrote a value from another replica that the sender had not been
 * sent yet. Equal values are no conflict. */
static void
on_outcome (const TsuFieldOutcome *outcome,
            gpointer               user_data)
{
  OutcomeData *data = user_data;
  TsuSyncImport *imp = data->imp;
  const char *old_replica;
  gboolean conflict = FALSE;
  gint64 old_seq = 0;
  g_autofree char *old_actor = NULL;

  if (outcome->old_clock == NULL || strlen (outcome->old_clock) != TSU_HLC_TEXT_LEN)
    return;
  if (values_equal (outcome->old_value, outcome->new_value))
    return;
  old_replica = outcome->old_clock + 22;

  sqlite3_reset (imp->op_by_hlc);
  sqlite3_bind_text (imp->op_by_hlc, 1, outcome->old_clock, -1, SQLITE_STATIC);
  if (sqlite3_step (imp->op_by_hlc) == SQLITE_ROW)
    {
      old_seq = sqlite3_column_int64 (imp->op_by_hlc, 0);
      old_actor = g_strdup (_tsu_store_column_text (imp->op_by_hlc, 1));
    }
  sqlite3_reset (imp->op_by_hlc);

  switch (imp->policy)
    {
    case POLICY_LAPTOP:
      conflict = g_str_equal (old_replica, imp->store->replica_id) &&
                 (imp->ack_hlc == NULL || strcmp (outcome->old_clock, imp->ack_hlc) > 0);
      break;
    case POLICY_HUB:
      if (imp->sender_replica != NULL && g_str_equal (old_replica, imp->sender_replica))
        conflict = FALSE;
      else if (!outcome->applied)
        conflict = TRUE;
      else
        conflict = old_seq > imp->sender_acked_seq;
      break;
    case POLICY_NONE:
    default:
      break;
    }

  if (conflict)
    record_conflict (imp, outcome, old_actor, data->actor);
}

static gboolean
restore_record (TsuSyncImport  *imp,
                const char     *record_id,
                GError        **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  int rc;

  if (!_tsu_store_prepare (imp->store, SQL_RECORD_OPS, &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *fields_text = _tsu_store_column_text (stmt, 2);
      JsonNode *root;

      if (!json_parser_load_from_data (parser, fields_text, -1, error))
        return FALSE;
      root = json_parser_get_root (parser);
      if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
        continue;
      if (!_tsu_store_replay_operation (imp->store, _tsu_store_column_text (stmt, 0), record_id,
                                        json_node_get_object (root),
                                        _tsu_store_column_text (stmt, 1), error))
        return FALSE;
    }
  if (rc != SQLITE_DONE)
    return _tsu_store_set_error (imp->store, error);
  return TRUE;
}

gboolean
tsu_sync_import_in_log (TsuSyncImport  *imp,
                        const char     *record_id,
                        gboolean       *in_log,
                        GError        **error)
{
  int rc;

  sqlite3_reset (imp->has_ops);
  sqlite3_bind_text (imp->has_ops, 1, record_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (imp->has_ops);
  sqlite3_reset (imp->has_ops);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _tsu_store_set_error (imp->store, error);
  *in_log = rc == SQLITE_ROW;
  return TRUE;
}

/* The first time the import meets a record: is it here? If not, but in
 * the log, the record left this laptop's districts once and is coming
 * back: its history is replayed from the log (which is never rewritten). */
static gboolean
ensure_present (TsuSyncImport  *imp,
                const char     *table,
                const char     *record_id,
                guint          *flags,
                GError        **error)
{
  gpointer flags_ptr;
  gboolean exists = FALSE;
  gboolean in_log = FALSE;

  if (g_hash_table_lookup_extended (imp->seen, record_id, NULL, &flags_ptr))
    {
      *flags = GPOINTER_TO_UINT (flags_ptr);
      return TRUE;
    }

  if (!tsu_sync_import_exists (imp, table, record_id, &exists, error))
    return FALSE;
  if (!exists)
    {
      if (!tsu_sync_import_in_log (imp, record_id, &in_log, error))
        return FALSE;
      if (in_log && !restore_record (imp, record_id, error))
        return FALSE;
    }
  *flags = exists ? RECORD_EXISTED : 0;
  g_hash_table_insert (imp->seen, g_strdup (record_id), GUINT_TO_POINTER (*flags));
  return TRUE;
}

gboolean
tsu_sync_import_apply (TsuSyncImport  *imp,
                       const char     *table,
                       const char     *record_id,
                       JsonObject     *fields,
                       const char     *fields_text,
                       gsize           fields_len,
                       const char     *hlc,
                       const char     *actor,
                       GError        **error)
{
  OutcomeData data = { imp, actor };
  TsuApplyResult result = TSU_APPLY_DUPLICATE;
  guint flags = 0;

  imp->counts.operations++;
  if (imp->max_hlc == NULL || strcmp (hlc, imp->max_hlc) > 0)
    {
      g_free (imp->max_hlc);
      imp->max_hlc = g_strdup (hlc);
    }

  if (!ensure_present (imp, table, record_id, &flags, error))
    return FALSE;

  /* A reference to a record that left this laptop (a visit by someone
   * else to a household this laptop moved away) brings the record back
   * for the length of the import; eviction at the end decides. */
  {
    const TsuTableInfo *info = tsu_schema_lookup (table);

    for (guint i = 0; info != NULL && i < info->n_fields; i++)
      {
        JsonNode *value;
        guint ref_flags;

        if (info->fields[i].type != TSU_FIELD_REF)
          continue;
        value = json_object_get_member (fields, info->fields[i].name);
        if (value == NULL || !JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
          continue;
        if (!ensure_present (imp, info->fields[i].ref_table, json_node_get_string (value), &ref_flags, error))
          return FALSE;
      }
  }

  /* A record this replica did not have is inserted without looking for it
   * first; the store falls back to last-writer-wins if it is there by now. */
  if (!_tsu_store_apply_operation (imp->store, table, record_id, fields,
                                   allow_shortcuts ? fields_text : NULL, fields_len, hlc, actor,
                                   !(flags & RECORD_EXISTED) && allow_shortcuts,
                                   imp->policy != POLICY_NONE ? on_outcome : NULL, &data, &result, error))
    return FALSE;
  if (imp->outcome_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&imp->outcome_error));
      return FALSE;
    }

  if (result == TSU_APPLY_DUPLICATE)
    imp->counts.duplicates++;
  else if ((flags & RECORD_COUNTED) == 0)
    {
      if (flags & RECORD_EXISTED)
        imp->counts.updated++;
      else
        imp->counts.added++;
      g_hash_table_insert (imp->seen, g_strdup (record_id), GUINT_TO_POINTER (flags | RECORD_COUNTED));
    }
  return TRUE;
}

void
tsu_sync_import_skip (TsuSyncImport *imp,
                      guint          n)
{
  imp->counts.operations += n;
  imp->counts.duplicates += n;
}

gboolean
tsu_sync_import_observe (TsuSyncImport  *imp,
                         const char     *hlc,
                         GError        **error)
{
  if (hlc == NULL)
    return TRUE;
  return tsu_hlc_clock_observe (imp->store->clock, hlc, 0, error);
}

#define SQL_EVICT_SELECT \
  "INSERT OR IGNORE INTO temp.sync_evh SELECT id FROM household" \
  "  WHERE district_id IS NOT NULL AND district_id NOT IN (SELECT id FROM temp.sync_d);" \
  "DELETE FROM temp.sync_evh WHERE id NOT IN (SELECT id FROM household);" \
  "INSERT INTO temp.sync_ev SELECT id, 'household' FROM temp.sync_evh;" \
  "INSERT OR IGNORE INTO temp.sync_ev SELECT id, 'resident' FROM resident WHERE household_id IN (SELECT id FROM temp.sync_evh);" \
  "INSERT OR IGNORE INTO temp.sync_ev SELECT id, 'visit' FROM visit WHERE household_id IN (SELECT id FROM temp.sync_evh);" \
  "INSERT OR IGNORE INTO temp.sync_ev SELECT id, 'followup' FROM followup WHERE household_id IN (SELECT id FROM temp.sync_evh);" \
  "DELETE FROM field_clock WHERE record_id IN (SELECT id FROM temp.sync_ev);" \
  "DELETE FROM search_key WHERE record_id IN (SELECT id FROM temp.sync_ev WHERE tbl IN ('household', 'resident'));" \
  "DELETE FROM search_fts WHERE record_id IN (SELECT id FROM temp.sync_ev WHERE tbl IN ('household', 'resident'));"

gboolean
tsu_sync_import_evict (TsuSyncImport      *imp,
                       const char * const *districts,
                       const char * const *left,
                       GError            **error)
{
  static const char * const deletes[] = {
    "DELETE FROM followup WHERE id IN (SELECT id FROM temp.sync_ev WHERE tbl = 'followup')",
    "DELETE FROM visit WHERE id IN (SELECT id FROM temp.sync_ev WHERE tbl = 'visit')",
    "DELETE FROM resident WHERE id IN (SELECT id FROM temp.sync_ev WHERE tbl = 'resident')",
    "DELETE FROM household WHERE id IN (SELECT id FROM temp.sync_evh)",
  };
  TsuStore *self = imp->store;

  /* Eviction, not deletion: the records stay in the log and at the hub,
   * and come back whole if the household returns to these districts. */
  if (!_tsu_store_exec (self, SQL_EVICT "DELETE FROM temp.sync_d;", error) ||
      !fill_ids (self, "INSERT OR IGNORE INTO temp.sync_d (id) VALUES (?1)", districts, error) ||
      !fill_ids (self, "INSERT OR IGNORE INTO temp.sync_evh (id) VALUES (?1)", left, error) ||
      !_tsu_store_exec (self, SQL_EVICT_SELECT, error))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (deletes); i++)
    {
      if (!_tsu_store_exec (self, deletes[i], error))
        return FALSE;
      imp->counts.evicted += sqlite3_changes (self->db);
    }
  return TRUE;
}

gboolean
tsu_sync_import_note_device (TsuSyncImport  *imp,
                             const char     *device_id,
                             const char     *replica,
                             gint64          acked_seq,
                             const char     *acked_districts,
                             GError        **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!_tsu_store_prepare (imp->store, SQL_NOTE_INGEST, &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, replica, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, acked_seq);
  sqlite3_bind_text (stmt, 4, acked_districts != NULL ? acked_districts : "", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, g_get_real_time () / 1000);
  return step_done (imp->store, stmt, error);
}

gboolean
tsu_sync_import_set_state (TsuSyncImport  *imp,
                           const char     *key,
                           const char     *value,
                           GError        **error)
{
  return tsu_store_sync_set_state (imp->store, key, value, error);
}

gboolean
tsu_sync_import_commit (TsuSyncImport  *imp,
                        TsuSyncCounts  *counts,
                        GError        **error)
{
  TsuStore *store = g_object_ref (imp->store);
  gboolean ok;

  if (counts != NULL)
    *counts = imp->counts;
  imp->open = FALSE;
  /* Statements must be finished before COMMIT can release the lock. */
  sqlite3_reset (imp->lookup_any);
  ok = tsu_store_commit (store, error);
  sqlite3_exec (store->db, "PRAGMA cache_size = -2000", NULL, NULL, NULL);
  import_free (imp);
  g_object_unref (store);
  return ok;
}

void
tsu_sync_import_abort (TsuSyncImport *imp)
{
  if (imp == NULL)
    return;
  if (imp->open)
    {
      imp->open = FALSE;
      tsu_store_rollback (imp->store);
      sqlite3_exec (imp->store->db, "PRAGMA cache_size = -2000", NULL, NULL, NULL);
    }
  import_free (imp);
}

/* Conflicts */

GPtrArray *
tsu_store_sync_list_conflicts (TsuStore  *self,
                               gboolean   include_resolved,
                               GError   **error)
{
  static const char * const names[] = {
    "id", "table", "record_id", "field", "local_value", "local_hlc", "local_actor",
    "remote_value", "remote_hlc", "remote_actor", "remote_won", "detected_ms", "resolved_ms",
  };
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  int rc = SQLITE_ERROR;

  g_rec_mutex_lock (&self->mutex);
  if (_tsu_store_prepare (self, include_resolved ? SQL_LIST_CONFLICTS " ORDER BY id"
                                                 : SQL_LIST_CONFLICTS " WHERE resolved_ms IS NULL ORDER BY id",
                          &stmt, error))
    {
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          JsonObject *conflict = json_object_new ();

          for (guint i = 0; i < G_N_ELEMENTS (names); i++)
            {
              if ((i == 4 || i == 7) && sqlite3_column_type (stmt, (int) i) == SQLITE_TEXT)
                {
                  JsonNode *value = json_from_string (_tsu_store_column_text (stmt, (int) i), NULL);
                  json_object_set_member (conflict, names[i], value != NULL ? value : json_node_new (JSON_NODE_NULL));
                }
              else if (i == 10)
                json_object_set_boolean_member (conflict, names[i], sqlite3_column_int (stmt, (int) i) != 0);
              else
                json_object_set_member (conflict, names[i], _tsu_store_column_json (stmt, (int) i));
            }
          g_ptr_array_add (conflicts, conflict);
        }
      if (rc != SQLITE_DONE)
        _tsu_store_set_error (self, error);
    }
  g_rec_mutex_unlock (&self->mutex);
  return rc == SQLITE_DONE ? g_steal_pointer (&conflicts) : NULL;
}

guint
tsu_store_sync_count_conflicts (TsuStore *self)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  guint n = 0;

  g_rec_mutex_lock (&self->mutex);
  if (_tsu_store_prepare (self, "SELECT count(*) FROM sync_conflict WHERE resolved_ms IS NULL", &stmt, NULL) &&
      sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int (stmt, 0);
  g_rec_mutex_unlock (&self->mutex);
  return n;
}

gboolean
tsu_store_sync_resolve_conflict (TsuStore  *self,
                                 gint64     conflict_id,
                                 gboolean   keep_remote,
                                 GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autofree char *table = NULL;
  g_autofree char *record_id = NULL;
  g_autofree char *field = NULL;
  JsonNode *value = NULL;
  int rc;

  g_return_val_if_fail (TSU_IS_STORE (self), FALSE);

  if (!tsu_store_begin (self, error))
    return FALSE;
  if (!_tsu_store_prepare (self, "SELECT tbl, record_id, field, local_value, remote_value FROM sync_conflict WHERE id = ?1",
                           &stmt, error))
    goto failed;
  sqlite3_bind_int64 (stmt, 1, conflict_id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_NOT_FOUND,
                     _("No conflict with number %lld"), (long long) conflict_id);
      else
        _tsu_store_set_error (self, error);
      goto failed;
    }
  table = g_strdup (_tsu_store_column_text (stmt, 0));
  record_id = g_strdup (_tsu_store_column_text (stmt, 1));
  field = g_strdup (_tsu_store_column_text (stmt, 2));
  if (sqlite3_column_type (stmt, keep_remote ? 4 : 3) == SQLITE_TEXT)
    value = json_from_string (_tsu_store_column_text (stmt, keep_remote ? 4 : 3), NULL);
  if (value == NULL)
    value = json_node_new (JSON_NODE_NULL);
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* The choice is a new operation: newer than both values, so it wins on
   * every replica once it has synced. */
  json_object_set_member (fields, field, value);
  if (!tsu_store_update (self, table, record_id, fields, error))
    goto failed;

  if (!_tsu_store_prepare (self, SQL_RESOLVE_CONFLICT, &stmt, error))
    goto failed;
  sqlite3_bind_int64 (stmt, 1, conflict_id);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time () / 1000);
  if (!step_done (self, stmt, error))
    goto failed;
  g_clear_pointer (&stmt, sqlite3_finalize);

  return tsu_store_commit (self, error);

failed:
  g_clear_pointer (&stmt, sqlite3_finalize);
  tsu_store_rollback (self);
  return FALSE;
}

/* Canonical dump */

static void
append_value (GString      *out,
              sqlite3_stmt *stmt,
              int           i)
{
  switch (sqlite3_column_type (stmt, i))
    {
    case SQLITE_INTEGER:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, i));
      break;
    case SQLITE_FLOAT:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];
        g_string_append (out, g_ascii_dtostr (buf, sizeof buf, sqlite3_column_double (stmt, i)));
      }
      break;
    case SQLITE_TEXT:
      {
        g_autofree char *escaped = g_strescape (_tsu_store_column_text (stmt, i), "");
        g_string_append_printf (out, "\"%s\"", escaped);
      }
      break;
    default:
      g_string_append (out, "null");
      break;
    }
}

char *
tsu_store_sync_dump (TsuStore           *self,
                     const char * const *districts,
                     GError            **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const TsuTableInfo *tables;
  guint n_tables;
  gboolean ok = TRUE;

  g_return_val_if_fail (TSU_IS_STORE (self), NULL);

  tables = tsu_schema_get_tables (&n_tables);

  if (!tsu_store_begin (self, error))
    return NULL;
  if (districts != NULL)
    ok = _tsu_store_exec (self, "CREATE TEMP TABLE IF NOT EXISTS sync_dd (id TEXT PRIMARY KEY);"
                          "DELETE FROM temp.sync_dd;", error) &&
         fill_ids (self, "INSERT OR IGNORE INTO temp.sync_dd (id) VALUES (?1)", districts, error);

  for (guint t = 0; ok && t < n_tables; t++)
    {
      const TsuTableInfo *table = &tables[t];
      g_autoptr(sqlite3_stmt) stmt = NULL;
      g_autofree char *sql = NULL;
      int rc;

      if (districts == NULL || table->reference)
        sql = g_strdup_printf ("SELECT * FROM %s ORDER BY id", table->name);
      else if (g_str_equal (table->household_field, "id"))
        sql = g_strdup_printf ("SELECT * FROM %s WHERE district_id IN (SELECT id FROM temp.sync_dd) ORDER BY id",
                               table->name);
      else
        sql = g_strdup_printf ("SELECT * FROM %s WHERE %s IN (SELECT id FROM household"
                               " WHERE district_id IN (SELECT id FROM temp.sync_dd)) ORDER BY id",
                               table->name, table->household_field);

      if (!_tsu_store_prepare (self, sql, &stmt, error))
        {
          ok = FALSE;
          break;
        }
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          g_string_append (out, table->name);
          for (int i = 0; i < sqlite3_column_count (stmt); i++)
            {
              const char *name = sqlite3_column_name (stmt, i);

              if (g_str_equal (name, "hlc") || g_str_equal (name, "hlc_mask"))
                continue;
              g_string_append_printf (out, "\t%s=", name);
              append_value (out, stmt, i);
            }
          g_string_append_c (out, '\n');
        }
      if (rc != SQLITE_DONE)
        ok = _tsu_store_set_error (self, error);
    }

  if (ok && districts == NULL)
    {
      /* The whole-database dump also covers the log and the sync state, so
       * that "exactly as before" means exactly. */
      static const char * const extra[] = {
        "SELECT 'oplog', count(*), max(hlc), max(seq) FROM oplog",
        "SELECT 'conflicts', count(*), max(id), NULL FROM sync_conflict",
        "SELECT 'state', key, value, NULL FROM sync_state ORDER BY key",
        "SELECT 'device', id, acked_seq, replica FROM hub_device ORDER BY id",
        "SELECT 'clock', count(*), max(hlc), NULL FROM field_clock",
      };

      for (guint i = 0; ok && i < G_N_ELEMENTS (extra); i++)
        {
          g_autoptr(sqlite3_stmt) stmt = NULL;
          int rc;

          if (!_tsu_store_prepare (self, extra[i], &stmt, error))
            {
              ok = FALSE;
              break;
            }
          while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
            {
              for (int c = 0; c < 4; c++)
                {
                  if (c > 0)
                    g_string_append_c (out, '\t');
                  append_value (out, stmt, c);
                }
              g_string_append_c (out, '\n');
            }
          if (rc != SQLITE_DONE)
            ok = _tsu_store_set_error (self, error);
        }
    }

  tsu_store_rollback (self);
  return ok ? g_strdup (out->str) : NULL;
}
