/* tsu-store.c: the SQLite database of one replica
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every record has a random UUID made on the replica that created it. Every
 * write is an operation: it is appended to the operation log (which is also
 * the audit trail and is never rewritten) and applied to the record's row
 * with last-writer-wins per field. The clock of a field is its row in
 * field_clock if there is one, otherwise the row's creation clock (hlc) when
 * the creating operation set it (bit in hlc_mask), otherwise "never set".
 * That keeps field_clock small: most records are written once.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>
#include <glib/gi18n-lib.h>

#include "tsu-privacy.h"
#include "tsu-store-private.h"
#include "tsu-store-reports-sql.h"

G_DEFINE_QUARK (tsu-store-error-quark, tsu_store_error)

G_DEFINE_FINAL_TYPE (TsuStore, tsu_store, G_TYPE_OBJECT)

#define SQL_PRAGMAS \
  "PRAGMA journal_mode=WAL;" \
  "PRAGMA synchronous=NORMAL;" \
  "PRAGMA foreign_keys=ON;" \
  "PRAGMA busy_timeout=5000;" \
  "PRAGMA secure_delete=ON;"

/* Schema version 1. Synced tables carry id, hlc, hlc_mask and deleted in
 * front of the fields listed in tsu-schema.c. */
#define SQL_SCHEMA_1 \
  "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;" \
  "CREATE TABLE district (id TEXT PRIMARY KEY, hlc TEXT NOT NULL, hlc_mask INTEGER NOT NULL DEFAULT 0," \
  "  deleted INTEGER NOT NULL DEFAULT 0, name TEXT, kana TEXT, full_name TEXT, area TEXT, lat REAL, lon REAL," \
  "  boundary TEXT, boundary_approximate INTEGER, unconfirmed INTEGER, sort_order INTEGER);" \
  "CREATE TABLE coordinator (id TEXT PRIMARY KEY, hlc TEXT NOT NULL, hlc_mask INTEGER NOT NULL DEFAULT 0," \
  "  deleted INTEGER NOT NULL DEFAULT 0, name TEXT, kana TEXT, districts TEXT);" \
  "CREATE TABLE category (id TEXT PRIMARY KEY, hlc TEXT NOT NULL, hlc_mask INTEGER NOT NULL DEFAULT 0," \
  "  deleted INTEGER NOT NULL DEFAULT 0, kind TEXT, code TEXT, label TEXT, sort_order INTEGER);" \
  "CREATE TABLE agency (id TEXT PRIMARY KEY, hlc TEXT NOT NULL, hlc_mask INTEGER NOT NULL DEFAULT 0," \
  "  deleted INTEGER NOT NULL DEFAULT 0, name TEXT, kana TEXT, kind TEXT, phone TEXT, sort_order INTEGER);" \
  "CREATE TABLE household (id TEXT PRIMARY KEY, hlc TEXT NOT NULL, hlc_mask INTEGER NOT NULL DEFAULT 0," \
  "  deleted INTEGER NOT NULL DEFAULT 0, district_id TEXT REFERENCES district(id), jichikai TEXT," \
  "  address TEXT, lat REAL, lon REAL, location_quality TEXT, phone TEXT, flags INTEGER," \
  "  consent TEXT, consent_date TEXT, consent_scope TEXT, minsei_iin TEXT, visit_interval_days INTEGER," \
  "  status TEXT, status_reason TEXT, note TEXT, coordinator_id TEXT REFERENCES coordinator(id));" \
  "CREATE INDEX household_district ON household (district_id);" \
  "CREATE TABLE resident (id TEXT PRIMARY KEY, hlc TEXT NOT NULL, hlc_mask INTEGER NOT NULL DEFAULT 0," \
  "  deleted INTEGER NOT NULL DEFAULT 0, household_id TEXT REFERENCES household(id), name TEXT, kana TEXT," \
  "  birth_date TEXT, relationship TEXT, position INTEGER, note TEXT);" \
  "CREATE INDEX resident_household ON resident (household_id, position);" \
  "CREATE TABLE visit (id TEXT PRIMARY KEY, hlc TEXT NOT NULL, hlc_mask INTEGER NOT NULL DEFAULT 0," \
  "  deleted INTEGER NOT NULL DEFAULT 0, household_id TEXT REFERENCES household(id), visited_at TEXT," \
  "  coordinator_id TEXT REFERENCES coordinator(id), contact_type TEXT, outcome TEXT, support_area TEXT," \
  "  categories TEXT, note TEXT, referrals TEXT, next_follow_up TEXT, sensitive INTEGER);" \
  "CREATE INDEX visit_household ON visit (household_id, visited_at);" \
  "CREATE INDEX visit_date ON visit (visited_at);" \
  "CREATE TABLE followup (id TEXT PRIMARY KEY, hlc TEXT NOT NULL, hlc_mask INTEGER NOT NULL DEFAULT 0," \
  "  deleted INTEGER NOT NULL DEFAULT 0, household_id TEXT REFERENCES household(id), due_date TEXT," \
  "  reason TEXT, visit_id TEXT REFERENCES visit(id), done_date TEXT);" \
  "CREATE INDEX followup_household ON followup (household_id);" \
  "CREATE INDEX followup_due ON followup (due_date);" \
  /* The operation log: append-only, the audit trail, and what sync sends. */ \
  "CREATE TABLE oplog (seq INTEGER PRIMARY KEY AUTOINCREMENT, hlc TEXT NOT NULL UNIQUE," \
  "  replica TEXT NOT NULL, actor TEXT, tbl TEXT NOT NULL, record_id TEXT NOT NULL," \
  "  fields TEXT NOT NULL, received_ms INTEGER NOT NULL);" \
  "CREATE INDEX oplog_record ON oplog (record_id);" \
  "CREATE INDEX oplog_replica ON oplog (replica, hlc);" \
  "CREATE TRIGGER oplog_no_update BEFORE UPDATE ON oplog BEGIN SELECT RAISE(ABORT, 'the operation log is append-only'); END;" \
  "CREATE TRIGGER oplog_no_delete BEFORE DELETE ON oplog BEGIN SELECT RAISE(ABORT, 'the operation log is append-only'); END;" \
  "CREATE TABLE field_clock (tbl TEXT NOT NULL, record_id TEXT NOT NULL, field TEXT NOT NULL," \
  "  hlc TEXT NOT NULL, PRIMARY KEY (tbl, record_id, field)) WITHOUT ROWID;"

#define SQL_INSERT_OPLOG \
  "INSERT OR IGNORE INTO oplog (hlc, replica, actor, tbl, record_id, fields, received_ms)" \
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
#define SQL_GET_FIELD_CLOCKS \
  "SELECT field, hlc FROM field_clock WHERE tbl = ?1 AND record_id = ?2"
#define SQL_SET_FIELD_CLOCK \
  "INSERT OR REPLACE INTO field_clock (tbl, record_id, field, hlc) VALUES (?1, ?2, ?3, ?4)"
#define SQL_COUNT_OPLOG_RECORD "SELECT count(*) FROM oplog WHERE record_id = ?1"
#define SQL_LIST_OPLOG_RECORD \
  "SELECT seq, hlc, replica, actor, tbl, record_id, fields FROM oplog WHERE record_id = ?1 ORDER BY hlc"

/* Forward migrations: MIGRATIONS[n] takes a file from version n to n + 1. */
static const char * const migrations[] = {
  SQL_SCHEMA_1,
  _tsu_store_summary_schema,   /* 2: household_summary for the lists */
  _tsu_store_import_schema,    /* 3: import batches, town → district table */
  TSU_STORE_SYNC_SCHEMA,       /* 4: sync state, devices, conflicts */
  TSU_STORE_SQL_REPORTS,       /* 5: export audit, visit_period index */
  TSU_STORE_PURGE_SCHEMA,      /* 6: purge_log, the audit of retention purges */
  TSU_STORE_SQL_EXPORT_REASON, /* 7: export_audit.reason */
  _tsu_store_search_key_id_schema, /* 8: search_key.id, so VACUUM keeps the FTS pairs */
  _tsu_store_followup_done_visit_schema, /* 9: followup.done_visit_id */
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == TSU_STORE_SCHEMA_VERSION);

gboolean
_tsu_store_set_error (TsuStore  *self,
                      GError   **error)
{
  int code = sqlite3_errcode (self->db);

  g_set_error (error, TSU_STORE_ERROR,
               code == SQLITE_NOTADB ? TSU_STORE_ERROR_NOT_A_DATABASE : TSU_STORE_ERROR_SQL,
               "%s", sqlite3_errmsg (self->db));
  return FALSE;
}

gboolean
_tsu_store_exec (TsuStore    *self,
                 const char  *sql,
                 GError     **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return _tsu_store_set_error (self, error);
  return TRUE;
}

gboolean
_tsu_store_prepare (TsuStore      *self,
                    const char    *sql,
                    sqlite3_stmt **stmt,
                    GError       **error)
{
  if (sqlite3_prepare_v2 (self->db, sql, -1, stmt, NULL) != SQLITE_OK)
    return _tsu_store_set_error (self, error);
  return TRUE;
}

/* Must be called with the store's mutex held; the statement stays valid
 * until the store is finalized. */
gboolean
_tsu_store_cached (TsuStore       *self,
                   const char     *sql,
                   TsuCachedStmt **stmt,
                   GError        **error)
{
  sqlite3_stmt *cached = g_hash_table_lookup (self->statement_cache, sql);

  if (cached == NULL)
    {
      if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &cached, NULL) != SQLITE_OK)
        return _tsu_store_set_error (self, error);
      g_hash_table_insert (self->statement_cache, g_strdup (sql), cached);
    }
  else
    {
      sqlite3_reset (cached);
      sqlite3_clear_bindings (cached);
    }

  *stmt = cached;
  return TRUE;
}

void
_tsu_store_bind_json (sqlite3_stmt *stmt,
                      int           index,
                      JsonNode     *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      sqlite3_bind_null (stmt, index);
      return;
    }

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_BOOLEAN:
      sqlite3_bind_int (stmt, index, json_node_get_boolean (node) ? 1 : 0);
      break;
    case G_TYPE_INT64:
      sqlite3_bind_int64 (stmt, index, json_node_get_int (node));
      break;
    case G_TYPE_DOUBLE:
      sqlite3_bind_double (stmt, index, json_node_get_double (node));
      break;
    case G_TYPE_STRING:
      sqlite3_bind_text (stmt, index, json_node_get_string (node), -1, SQLITE_TRANSIENT);
      break;
    default:
      sqlite3_bind_null (stmt, index);
      break;
    }
}

JsonNode *
_tsu_store_column_json (sqlite3_stmt *stmt,
                        int           index)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  switch (sqlite3_column_type (stmt, index))
    {
    case SQLITE_INTEGER:
      json_node_set_int (node, sqlite3_column_int64 (stmt, index));
      break;
    case SQLITE_FLOAT:
      json_node_set_double (node, sqlite3_column_double (stmt, index));
      break;
    case SQLITE_TEXT:
      json_node_set_string (node, (const char *) sqlite3_column_text (stmt, index));
      break;
    default:
      json_node_init_null (node);
      break;
    }
  return node;
}

const char *
_tsu_store_column_text (sqlite3_stmt *stmt,
                        int           index)
{
  return (const char *) sqlite3_column_text (stmt, index);
}

/* A string member of fields, or NULL when it is missing or null; FALSE
 * if the member holds something else. */
gboolean
_tsu_store_string_member (JsonObject  *fields,
                          const char  *name,
                          const char **value)
{
  JsonNode *node = json_object_get_member (fields, name);

  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;
  *value = json_node_get_string (node);
  return TRUE;
}

static const struct
{
  const char *get;
  const char *set;
} key_value_sql[] = {
  [TSU_KEY_VALUE_META] = {
    "SELECT value FROM meta WHERE key = ?1",
    "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)" },
  [TSU_KEY_VALUE_IMPORT_SETTING] = {
    "SELECT value FROM import_setting WHERE key = ?1",
    "INSERT OR REPLACE INTO import_setting (key, value) VALUES (?1, ?2)" },
  [TSU_KEY_VALUE_SYNC_STATE] = {
    "SELECT value FROM sync_state WHERE key = ?1",
    "INSERT OR REPLACE INTO sync_state (key, value) VALUES (?1, ?2)" },
};

/* The value of @key, or NULL when it is not set (or cannot be read). */
char *
_tsu_store_get_key_value (TsuStore         *self,
                          TsuKeyValueTable  table,
                          const char       *key)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  char *value = NULL;

  g_return_val_if_fail (table < G_N_ELEMENTS (key_value_sql), NULL);

  g_rec_mutex_lock (&self->mutex);
  if (_tsu_store_prepare (self, key_value_sql[table].get, &stmt, NULL))
    {
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        value = g_strdup (_tsu_store_column_text (stmt, 0));
    }
  g_rec_mutex_unlock (&self->mutex);
  return value;
}

gboolean
_tsu_store_set_key_value (TsuStore          *self,
                          TsuKeyValueTable   table,
                          const char        *key,
                          const char        *value,
                          GError           **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean ok;

  g_return_val_if_fail (table < G_N_ELEMENTS (key_value_sql), FALSE);

  g_rec_mutex_lock (&self->mutex);
  ok = _tsu_store_prepare (self, key_value_sql[table].set, &stmt, error);
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        ok = _tsu_store_set_error (self, error);
    }
  g_rec_mutex_unlock (&self->mutex);
  return ok;
}

static int
read_user_version (TsuStore  *self,
                   GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK)
    {
      _tsu_store_set_error (self, error);
      return -1;
    }
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _tsu_store_set_error (self, error);
      return -1;
    }
  return sqlite3_column_int (stmt, 0);
}

static gboolean
check_version (TsuStore  *self,
               GError   **error)
{
  int version = read_user_version (self, error);

  if (version < 0)
    return FALSE;

  if (version > TSU_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_TOO_NEW,
                   _("The database “%s” was written by a newer version of Tsunagu (schema %d; this version understands up to %d). It has not been changed."),
                   self->path, version, TSU_STORE_SCHEMA_VERSION);
      return FALSE;
    }
  return TRUE;
}

static gboolean
migrate (TsuStore  *self,
         int        target_version,
         GError   **error)
{
  int version = read_user_version (self, error);

  if (version < 0)
    return FALSE;

  /* Each step runs in its own transaction together with the user_version
   * bump, so an interrupted upgrade leaves the file at the previous
   * version, never between two. */
  while (version < target_version)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d;", version + 1);

      if (!_tsu_store_exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!_tsu_store_exec (self, migrations[version], error) ||
          !_tsu_store_exec (self, bump, error))
        {
          sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
      if (version == 0 && !_tsu_store_search_init (self, error))
        {
          sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
      if (!_tsu_store_exec (self, "COMMIT", error))
        return FALSE;
      version++;
    }

  self->schema_version = version;
  return TRUE;
}

static gboolean
looks_like_sqlite (const char  *path,
                   GError     **error)
{
  static const char magic[16] = "SQLite format 3";
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = NULL;
  char header[16];
  gsize n = 0;
  g_autoptr(GError) local_error = NULL;

  in = g_file_read (file, NULL, &local_error);
  if (in == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        return TRUE; /* a new database */
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_IO,
                   _("Could not read “%s”: %s"), path, local_error->message);
      return FALSE;
    }

  if (!g_input_stream_read_all (G_INPUT_STREAM (in), header, sizeof header, &n, NULL, &local_error))
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_IO,
                   _("Could not read “%s”: %s"), path, local_error->message);
      return FALSE;
    }

  /* An empty file is what a crash during the very first open leaves. */
  if (n == 0)
    return TRUE;

  if (n < sizeof header || memcmp (header, magic, sizeof magic) != 0)
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_NOT_A_DATABASE,
                   _("“%s” is not a Tsunagu database (it is not an SQLite file). It has not been changed."),
                   path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
ensure_replica_id (TsuStore  *self,
                   GError   **error)
{
  g_autofree char *replica = _tsu_store_get_key_value (self, TSU_KEY_VALUE_META, "replica_id");
  g_autofree char *last_hlc = NULL;

  if (replica == NULL)
    {
      replica = g_uuid_string_random ();
      if (!_tsu_store_set_key_value (self, TSU_KEY_VALUE_META, "replica_id", replica, error))
        return FALSE;
    }

  self->replica_id = g_steal_pointer (&replica);
  self->clock = tsu_hlc_clock_new (self->replica_id);

  /* Start the clock after the newest timestamp in the file, so that a clock
   * that was set back between two runs cannot reorder our own edits. */
  {
    g_autoptr(sqlite3_stmt) stmt = NULL;

    if (sqlite3_prepare_v2 (self->db, "SELECT max(hlc) FROM oplog", -1, &stmt, NULL) == SQLITE_OK &&
        sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) == SQLITE_TEXT)
      last_hlc = g_strdup (_tsu_store_column_text (stmt, 0));
  }
  if (last_hlc != NULL)
    tsu_hlc_clock_observe (self->clock, last_hlc, 0, NULL);

  return TRUE;
}

TsuStore *
_tsu_store_open_at_version (const char  *path,
                            int          target_version,
                            GError     **error)
{
  g_autoptr(TsuStore) self = NULL;
  gboolean in_memory;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  in_memory = g_str_equal (path, ":memory:");
  if (!in_memory && !looks_like_sqlite (path, error))
    return NULL;

  self = g_object_new (TSU_TYPE_STORE, NULL);
  self->path = g_strdup (path);

  if (!in_memory)
    {
      g_autofree char *dir = g_path_get_dirname (path);

      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int saved_errno = errno;
          g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_IO,
                       _("Could not create the folder “%s”: %s"), dir, g_strerror (saved_errno));
          return NULL;
        }
    }

  /* Created 0600 before SQLite sees it: its -wal and -shm copy the mode. */
  if (!in_memory && !tsu_privacy_prepare_database_file (path, error))
    return NULL;

  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_SQL,
                   _("Could not open “%s”: %s"), path,
                   self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }

  /* Check the version before anything writes to the file: even switching
   * the journal to WAL rewrites the header of a file we must not touch. */
  if (!check_version (self, error) ||
      !_tsu_store_exec (self, SQL_PRAGMAS, error) ||
      !migrate (self, target_version, error))
    {
      if (g_error_matches (*error, TSU_STORE_ERROR, TSU_STORE_ERROR_NOT_A_DATABASE))
        {
          g_clear_error (error);
          g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_NOT_A_DATABASE,
                       _("“%s” is not a Tsunagu database. It has not been changed."), path);
        }
      return NULL;
    }

  if (!ensure_replica_id (self, error))
    return NULL;

  /* Files from older versions or copied in with a lax umask. */
  if (!in_memory && !tsu_privacy_restrict_database_files (path, error))
    return NULL;

  return g_steal_pointer (&self);
}

TsuStore *
tsu_store_open (const char  *path,
                GError     **error)
{
  return _tsu_store_open_at_version (path, TSU_STORE_SCHEMA_VERSION, error);
}

char *
tsu_store_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), APP_ID, "tsunagu.db", NULL);
}

const char *
tsu_store_get_path (TsuStore *self)
{
  g_return_val_if_fail (TSU_IS_STORE (self), NULL);
  return self->path;
}

const char *
tsu_store_get_replica_id (TsuStore *self)
{
  g_return_val_if_fail (TSU_IS_STORE (self), NULL);
  return self->replica_id;
}

const char *
tsu_store_get_actor (TsuStore *self)
{
  g_return_val_if_fail (TSU_IS_STORE (self), NULL);
  return self->actor;
}

void
tsu_store_set_actor (TsuStore   *self,
                     const char *actor)
{
  g_return_if_fail (TSU_IS_STORE (self));
  g_free (self->actor);
  self->actor = g_strdup (actor);
}

int
tsu_store_get_schema_version (TsuStore *self)
{
  return self->schema_version;
}

gboolean
tsu_store_begin (TsuStore  *self,
                 GError   **error)
{
  g_return_val_if_fail (TSU_IS_STORE (self), FALSE);

  g_rec_mutex_lock (&self->mutex);
  if (self->transaction_depth++ == 0 && !_tsu_store_exec (self, "BEGIN IMMEDIATE", error))
    {
      self->transaction_depth--;
      g_rec_mutex_unlock (&self->mutex);
      return FALSE;
    }
  return TRUE;
}

gboolean
tsu_store_commit (TsuStore  *self,
                  GError   **error)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (TSU_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->transaction_depth > 0, FALSE);

  if (self->transaction_depth == 1 && !_tsu_store_summary_flush (self, error))
    {
      tsu_store_rollback (self);
      return FALSE;
    }
  if (--self->transaction_depth == 0 && !_tsu_store_exec (self, "COMMIT", error))
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      g_hash_table_remove_all (self->dirty_households);
      ok = FALSE;
    }
  g_rec_mutex_unlock (&self->mutex);
  return ok;
}

void
tsu_store_rollback (TsuStore *self)
{
  g_return_if_fail (TSU_IS_STORE (self));
  g_return_if_fail (self->transaction_depth > 0);

  /* A nested rollback undoes the whole outer transaction: partial success
   * of an import is exactly what must never happen. */
  if (self->transaction_depth == 1)
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  else
    sqlite3_exec (self->db, "ROLLBACK; BEGIN IMMEDIATE", NULL, NULL, NULL);
  g_hash_table_remove_all (self->dirty_households);
  self->transaction_depth--;
  g_rec_mutex_unlock (&self->mutex);
}

/* The position of a field in the hlc_mask; "deleted" comes after the fields. */
static int
field_bit (const TsuTableInfo *table,
           const char         *field)
{
  if (g_str_equal (field, "deleted"))
    return (int) table->n_fields;
  for (guint i = 0; i < table->n_fields; i++)
    if (g_str_equal (table->fields[i].name, field))
      return (int) i;
  return -1;
}

static gboolean
check_fields (const TsuTableInfo  *table,
              JsonObject          *fields,
              GError             **error)
{
  g_autoptr(GList) members = json_object_get_members (fields);

  for (GList *l = members; l != NULL; l = l->next)
    if (field_bit (table, l->data) < 0)
      {
        g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID,
                     _("“%s” records have no field “%s”"), table->name, (const char *) l->data);
        return FALSE;
      }
  return TRUE;
}

/* Reads the row's clock state and the old values of the given fields. */
static gboolean
read_row_state (TsuStore            *self,
                const TsuTableInfo  *table,
                const char          *record_id,
                gboolean            *exists,
                char               **row_hlc,
                gint64              *row_mask,
                GError             **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT hlc, hlc_mask FROM %s WHERE id = ?1", table->name);
  g_autoptr(TsuCachedStmt) stmt = NULL;
  int rc;

  if (!_tsu_store_cached (self, sql, &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *exists = TRUE;
      *row_hlc = g_strdup (_tsu_store_column_text (stmt, 0));
      *row_mask = sqlite3_column_int64 (stmt, 1);
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    return _tsu_store_set_error (self, error);
  *exists = FALSE;
  return TRUE;
}

static JsonNode *
get_field_value (TsuStore           *self,
                 const TsuTableInfo *table,
                 const char         *record_id,
                 const char         *field)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM %s WHERE id = ?1", field, table->name);
  g_autoptr(TsuCachedStmt) stmt = NULL;

  if (!_tsu_store_cached (self, sql, &stmt, NULL))
    return NULL;
  sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    return _tsu_store_column_json (stmt, 0);
  return NULL;
}

static const char *
field_name (const TsuTableInfo *table,
            guint               bit)
{
  return bit == table->n_fields ? "deleted" : table->fields[bit].name;
}

/* The INSERT or UPDATE text for one table and one set of fields (columns in
 * schema order), built once per connection instead of on every write. */
static const char *
write_sql (TsuStore           *self,
           const TsuTableInfo *table,
           gboolean            insert,
           guint64             mask)
{
  char key[128];
  GString *sql;
  int n;

  g_snprintf (key, sizeof key, "%c%s:%" G_GINT64_MODIFIER "x", insert ? 'I' : 'U', table->name, mask);
  sql = g_hash_table_lookup (self->write_sql, key);
  if (sql != NULL)
    return sql->str;

  sql = g_string_new (NULL);
  if (insert)
    {
      g_string_append_printf (sql, "INSERT INTO %s (id, hlc, hlc_mask", table->name);
      for (guint bit = 0; bit <= table->n_fields; bit++)
        if (mask & (G_GUINT64_CONSTANT (1) << bit))
          g_string_append_printf (sql, ", %s", field_name (table, bit));
      g_string_append (sql, ") VALUES (?1, ?2, ?3");
      n = 3;
      for (guint bit = 0; bit <= table->n_fields; bit++)
        if (mask & (G_GUINT64_CONSTANT (1) << bit))
          g_string_append_printf (sql, ", ?%d", ++n);
      g_string_append (sql, ")");
    }
  else
    {
      g_string_append_printf (sql, "UPDATE %s SET ", table->name);
      n = 1;
      for (guint bit = 0; bit <= table->n_fields; bit++)
        if (mask & (G_GUINT64_CONSTANT (1) << bit))
          {
            g_string_append_printf (sql, "%s%s = ?%d", n > 1 ? ", " : "", field_name (table, bit), n + 1);
            n++;
          }
      g_string_append (sql, " WHERE id = ?1");
    }
  g_hash_table_insert (self->write_sql, g_strdup (key), sql);
  return sql->str;
}

/* Binds the fields of mask in schema order from the given parameter on. */
static void
bind_fields (sqlite3_stmt       *stmt,
             const TsuTableInfo *table,
             JsonObject         *fields,
             guint64             mask,
             int                 first)
{
  for (guint bit = 0; bit <= table->n_fields; bit++)
    if (mask & (G_GUINT64_CONSTANT (1) << bit))
      _tsu_store_bind_json (stmt, first++, json_object_get_member (fields, field_name (table, bit)));
}

/* Inserts a new row: the operation's clock becomes the row's creation clock
 * for exactly the fields it sets. With duplicate non-NULL, a row that is
 * already there is reported through it instead of as an error. */
static gboolean
insert_row (TsuStore           *self,
            const TsuTableInfo *table,
            const char         *record_id,
            JsonObject         *fields,
            const char         *hlc,
            guint64             mask,
            gboolean           *duplicate,
            GError            **error)
{
  g_autoptr(TsuCachedStmt) stmt = NULL;

  if (!_tsu_store_cached (self, write_sql (self, table, TRUE, mask), &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, hlc, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, (gint64) mask);
  bind_fields (stmt, table, fields, mask, 4);
  if (sqlite3_step (stmt) == SQLITE_DONE)
    return TRUE;
  if (duplicate != NULL && sqlite3_extended_errcode (self->db) == SQLITE_CONSTRAINT_PRIMARYKEY)
    {
      *duplicate = TRUE;
      return TRUE;
    }
  return _tsu_store_set_error (self, error);
}

/* The clocks of the fields that have a field_clock row, by bit: one range
 * read of the primary key instead of one lookup per field. */
static gboolean
read_field_clocks (TsuStore           *self,
                   const TsuTableInfo *table,
                   const char         *record_id,
                   char              **clocks,
                   GError            **error)
{
  g_autoptr(TsuCachedStmt) stmt = NULL;
  int rc;

  if (!_tsu_store_cached (self, SQL_GET_FIELD_CLOCKS, &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, table->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, record_id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int bit = field_bit (table, _tsu_store_column_text (stmt, 0));

      if (bit >= 0)
        {
          g_free (clocks[bit]);
          clocks[bit] = g_strdup (_tsu_store_column_text (stmt, 1));
        }
    }
  if (rc != SQLITE_DONE)
    return _tsu_store_set_error (self, error);
  return TRUE;
}

static gboolean
update_row (TsuStore            *self,
            const TsuTableInfo  *table,
            const char          *record_id,
            JsonObject          *fields,
            GList               *members,
            const char          *hlc,
            const char          *row_hlc,
            guint64              row_mask,
            TsuFieldOutcomeFunc  outcome_func,
            gpointer             outcome_data,
            GError             **error)
{
  g_autoptr(TsuCachedStmt) stmt = NULL;
  char *clocks[64] = { NULL, };
  guint64 winners = 0;
  gboolean ok = FALSE;

  if (!read_field_clocks (self, table, record_id, clocks, error))
    goto out;

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *field = l->data;
      int bit = field_bit (table, field);
      const char *clock = clocks[bit];
      gboolean applied;

      if (clock == NULL && (row_mask & (G_GUINT64_CONSTANT (1) << bit)) != 0)
        clock = row_hlc;

      applied = clock == NULL || strcmp (hlc, clock) > 0;

      if (outcome_func != NULL)
        {
          g_autoptr(JsonNode) old_value = get_field_value (self, table, record_id, field);
          TsuFieldOutcome outcome = {
            table->name, record_id, field, old_value, clock,
            json_object_get_member (fields, field), hlc, applied
          };
          outcome_func (&outcome, outcome_data);
        }

      if (applied)
        winners |= G_GUINT64_CONSTANT (1) << bit;
    }

  if (winners != 0)
    {
      if (!_tsu_store_cached (self, write_sql (self, table, FALSE, winners), &stmt, error))
        goto out;
      sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_STATIC);
      bind_fields (stmt, table, fields, winners, 2);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          _tsu_store_set_error (self, error);
          goto out;
        }
      g_clear_pointer (&stmt, sqlite3_reset);

      if (!_tsu_store_cached (self, SQL_SET_FIELD_CLOCK, &stmt, error))
        goto out;
      for (guint bit = 0; bit <= table->n_fields; bit++)
        {
          if ((winners & (G_GUINT64_CONSTANT (1) << bit)) == 0)
            continue;
          sqlite3_reset (stmt);
          sqlite3_bind_text (stmt, 1, table->name, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 2, record_id, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 3, field_name (table, bit), -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 4, hlc, -1, SQLITE_STATIC);
          if (sqlite3_step (stmt) != SQLITE_DONE)
            {
              _tsu_store_set_error (self, error);
              goto out;
            }
        }
    }
  ok = TRUE;

out:
  for (guint i = 0; i < G_N_ELEMENTS (clocks); i++)
    g_free (clocks[i]);
  return ok;
}

/* A row's clock state, when the caller has just read it. */
typedef struct
{
  const char *hlc;
  gint64      mask;
} RowState;

/* maybe_new: the caller expects the record to be new (a local create, a
 * record a changeset brings for the first time). The row is then inserted
 * without looking for it first; if it is there after all (sync may deliver
 * an update before its create, create_with_id may name an existing id),
 * the primary key refuses the insert and the operation takes the ordinary
 * last-writer-wins path. known: the row exists with this state (a local
 * update has just looked it up). */
static gboolean
apply_operation (TsuStore            *self,
                 const char          *table_name,
                 const char          *record_id,
                 JsonObject          *fields,
                 const char          *hlc,
                 const char          *actor,
                 gboolean             log_it,
                 const char          *fields_text,
                 gsize                fields_len,
                 gboolean             maybe_new,
                 const RowState      *known,
                 TsuFieldOutcomeFunc  outcome_func,
                 gpointer             outcome_data,
                 TsuApplyResult      *result,
                 GError             **error)
{
  const TsuTableInfo *table = tsu_schema_lookup (table_name);
  g_autofree char *row_hlc = NULL;
  g_autoptr(GList) members = NULL;
  TsuHlc parsed;
  gboolean exists = FALSE;
  gboolean inserted = FALSE;
  gint64 row_mask = 0;
  guint64 mask = 0;

  g_assert (self->transaction_depth > 0);

  if (table == NULL)
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID,
                   _("Unknown record type “%s”"), table_name);
      return FALSE;
    }
  if (!tsu_hlc_parse (hlc, &parsed))
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID,
                   _("Invalid timestamp “%s”"), hlc);
      return FALSE;
    }

  members = json_object_get_members (fields);
  for (GList *l = members; l != NULL; l = l->next)
    {
      int bit = field_bit (table, l->data);

      if (bit < 0)
        {
          g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID,
                       _("“%s” records have no field “%s”"), table->name, (const char *) l->data);
          return FALSE;
        }
      mask |= G_GUINT64_CONSTANT (1) << bit;
    }

  /* Replaying an operation that is already in the log (a record restored
   * after it had left this laptop's districts) must not log it again. */
  if (log_it)
    {
      g_autoptr(TsuCachedStmt) stmt = NULL;
      g_autofree char *generated = NULL;

      /* The caller may hand over the text the generator would write (a
       * changeset's operations are that text already); otherwise one
       * generator per store, reused under the store's mutex. */
      if (fields_text == NULL)
        {
          g_autoptr(JsonNode) fields_node = json_node_init_object (json_node_alloc (), fields);

          json_generator_set_root (self->generator, fields_node);
          generated = json_generator_to_data (self->generator, &fields_len);
          json_generator_set_root (self->generator, NULL);
          fields_text = generated;
        }

      /* The operation log's UNIQUE(hlc) makes applying an operation twice a
       * no-op: that is what makes a changeset import idempotent. */
      if (!_tsu_store_cached (self, SQL_INSERT_OPLOG, &stmt, error))
        return FALSE;
      sqlite3_bind_text (stmt, 1, hlc, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, parsed.replica, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, actor, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, table->name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, record_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, fields_text, (int) fields_len, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 7, g_get_real_time () / 1000);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        return _tsu_store_set_error (self, error);
      if (sqlite3_changes (self->db) == 0)
        {
          if (result != NULL)
            *result = TSU_APPLY_DUPLICATE;
          return TRUE;
        }
    }

  if (maybe_new)
    {
      gboolean duplicate = FALSE;

      if (!insert_row (self, table, record_id, fields, hlc, mask, &duplicate, error))
        return FALSE;
      inserted = !duplicate;
    }

  if (known != NULL)
    {
      exists = TRUE;
      row_hlc = g_strdup (known->hlc);
      row_mask = known->mask;
      if (!_tsu_store_summary_note (self, table->name, record_id, error))
        return FALSE;
    }
  else if (!inserted)
    {
      if (!read_row_state (self, table, record_id, &exists, &row_hlc, &row_mask, error))
        return FALSE;
      if (exists && !_tsu_store_summary_note (self, table->name, record_id, error))
        return FALSE;
    }

  if (!exists)
    {
      if (!inserted && !insert_row (self, table, record_id, fields, hlc, mask, NULL, error))
        return FALSE;

      if (outcome_func != NULL)
        for (GList *l = members; l != NULL; l = l->next)
          {
            TsuFieldOutcome outcome = {
              table->name, record_id, l->data, NULL, NULL,
              json_object_get_member (fields, l->data), hlc, TRUE
            };
            outcome_func (&outcome, outcome_data);
          }

      /* A new row holds exactly the operation's fields: index those. */
      if (!_tsu_store_search_index_new (self, table->name, record_id, fields, error) ||
          !_tsu_store_summary_note_new (self, table->name, record_id, fields, error))
        return FALSE;
    }
  else
    {
      if (!update_row (self, table, record_id, fields, members, hlc, row_hlc, (guint64) row_mask,
                       outcome_func, outcome_data, error))
        return FALSE;
      /* The summary was noted before the write; only a member moving to
       * another household has a second one to refresh. */
      if (!_tsu_store_search_reindex (self, table->name, record_id, error) ||
          (json_object_has_member (fields, "household_id") &&
           !_tsu_store_summary_note (self, table->name, record_id, error)))
        return FALSE;
    }

  if (result != NULL)
    *result = TSU_APPLY_NEW;
  return TRUE;
}

gboolean
_tsu_store_apply_operation (TsuStore            *self,
                            const char          *table_name,
                            const char          *record_id,
                            JsonObject          *fields,
                            const char          *fields_text,
                            gsize                fields_len,
                            const char          *hlc,
                            const char          *actor,
                            gboolean             maybe_new,
                            TsuFieldOutcomeFunc  outcome_func,
                            gpointer             outcome_data,
                            TsuApplyResult      *result,
                            GError             **error)
{
  return apply_operation (self, table_name, record_id, fields, hlc, actor, TRUE, fields_text, fields_len,
                          maybe_new, NULL, outcome_func, outcome_data, result, error);
}

gboolean
_tsu_store_replay_operation (TsuStore    *self,
                             const char  *table_name,
                             const char  *record_id,
                             JsonObject  *fields,
                             const char  *hlc,
                             GError     **error)
{
  return apply_operation (self, table_name, record_id, fields, hlc, NULL, FALSE, NULL, 0, FALSE, NULL,
                          NULL, NULL, NULL, error);
}

static gboolean
validate_local_fields (const TsuTableInfo  *table,
                       JsonObject          *fields,
                       gboolean             creating,
                       GError             **error)
{
  if (!check_fields (table, fields, error))
    return FALSE;

  if (creating)
    for (guint i = 0; i < table->n_fields; i++)
      {
        const TsuFieldInfo *info = &table->fields[i];
        JsonNode *node;

        if (!info->required)
          continue;
        node = json_object_get_member (fields, info->name);
        if (node == NULL || JSON_NODE_HOLDS_NULL (node) ||
            (json_node_get_value_type (node) == G_TYPE_STRING &&
             *json_node_get_string (node) == '\0'))
          {
            g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID,
                         _("A new “%s” record needs “%s”"), table->name, info->name);
            return FALSE;
          }
      }
  return TRUE;
}

static gboolean
write_local (TsuStore    *self,
             const char  *table_name,
             const char  *id,
             JsonObject  *fields,
             gboolean     creating,
             GError     **error)
{
  const TsuTableInfo *table = tsu_schema_lookup (table_name);
  g_autofree char *hlc = NULL;

  if (table == NULL)
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID,
                   _("Unknown record type “%s”"), table_name);
      return FALSE;
    }
  if (!validate_local_fields (table, fields, creating, error))
    return FALSE;

  if (!tsu_store_begin (self, error))
    return FALSE;

  if (creating)
    {
      hlc = tsu_hlc_clock_tick (self->clock);
      if (!_tsu_store_apply_operation (self, table_name, id, fields, NULL, 0, hlc, self->actor, TRUE,
                                       NULL, NULL, NULL, error))
        goto failed;
    }
  else
    {
      gboolean exists = FALSE;
      g_autofree char *row_hlc = NULL;
      gint64 mask = 0;
      RowState known;

      if (!read_row_state (self, table, id, &exists, &row_hlc, &mask, error))
        goto failed;
      if (!exists)
        {
          g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_NOT_FOUND,
                       _("No “%s” record with id %s"), table_name, id);
          goto failed;
        }
      known.hlc = row_hlc;
      known.mask = mask;
      hlc = tsu_hlc_clock_tick (self->clock);
      if (!apply_operation (self, table_name, id, fields, hlc, self->actor, TRUE, NULL, 0, FALSE, &known,
                            NULL, NULL, NULL, error))
        goto failed;
    }

  return tsu_store_commit (self, error);

failed:
  tsu_store_rollback (self);
  return FALSE;
}

/* A random (version 4) UUID in the form g_uuid_string_random() writes,
 * without its printf: a bulk import makes two per row. */
static char *
random_uuid (void)
{
  static const char hex[] = "0123456789abcdef";
  guint8 bytes[16];
  char *text = g_malloc (37);
  char *out = text;

  for (guint i = 0; i < 16; i += 4)
    {
      guint32 r = g_random_int ();

      bytes[i] = r & 0xff;
      bytes[i + 1] = (r >> 8) & 0xff;
      bytes[i + 2] = (r >> 16) & 0xff;
      bytes[i + 3] = (r >> 24) & 0xff;
    }
  bytes[6] = (bytes[6] & 0x0f) | 0x40; /* version 4 */
  bytes[8] = (bytes[8] & 0x3f) | 0x80; /* RFC 4122 variant */

  for (guint i = 0; i < 16; i++)
    {
      if (i == 4 || i == 6 || i == 8 || i == 10)
        *out++ = '-';
      *out++ = hex[bytes[i] >> 4];
      *out++ = hex[bytes[i] & 0x0f];
    }
  *out = '\0';
  return text;
}

char *
tsu_store_create (TsuStore    *self,
                  const char  *table,
                  JsonObject  *fields,
                  GError     **error)
{
  g_autofree char *id = random_uuid ();

  g_return_val_if_fail (TSU_IS_STORE (self), NULL);

  if (!write_local (self, table, id, fields, TRUE, error))
    return NULL;
  return g_steal_pointer (&id);
}

gboolean
tsu_store_create_with_id (TsuStore    *self,
                          const char  *table,
                          const char  *id,
                          JsonObject  *fields,
                          GError     **error)
{
  g_return_val_if_fail (TSU_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_uuid_string_is_valid (id), FALSE);

  return write_local (self, table, id, fields, TRUE, error);
}

gboolean
tsu_store_update (TsuStore    *self,
                  const char  *table,
                  const char  *id,
                  JsonObject  *fields,
                  GError     **error)
{
  g_return_val_if_fail (TSU_IS_STORE (self), FALSE);
  return write_local (self, table, id, fields, FALSE, error);
}

static gboolean
set_deleted (TsuStore    *self,
             const char  *table,
             const char  *id,
             gboolean     deleted,
             GError     **error)
{
  g_autoptr(JsonObject) fields = json_object_new ();

  json_object_set_boolean_member (fields, "deleted", deleted);
  return write_local (self, table, id, fields, FALSE, error);
}

gboolean
tsu_store_delete (TsuStore    *self,
                  const char  *table,
                  const char  *id,
                  GError     **error)
{
  g_return_val_if_fail (TSU_IS_STORE (self), FALSE);
  return set_deleted (self, table, id, TRUE, error);
}

gboolean
tsu_store_undelete (TsuStore    *self,
                    const char  *table,
                    const char  *id,
                    GError     **error)
{
  g_return_val_if_fail (TSU_IS_STORE (self), FALSE);
  return set_deleted (self, table, id, FALSE, error);
}

JsonObject *
tsu_store_get_record (TsuStore    *self,
                      const char  *table_name,
                      const char  *id,
                      GError     **error)
{
  const TsuTableInfo *table = tsu_schema_lookup (table_name);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonObject) record = NULL;
  g_autofree char *sql = NULL;
  int rc;

  g_return_val_if_fail (TSU_IS_STORE (self), NULL);
  g_return_val_if_fail (table != NULL, NULL);

  sql = g_strdup_printf ("SELECT * FROM %s WHERE id = ?1", table->name);

  g_rec_mutex_lock (&self->mutex);
  if (!_tsu_store_prepare (self, sql, &stmt, error))
    {
      g_rec_mutex_unlock (&self->mutex);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      record = json_object_new ();
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        {
          const char *name = sqlite3_column_name (stmt, i);

          if (g_str_equal (name, "hlc_mask") || g_str_equal (name, "hlc"))
            continue;
          if (g_str_equal (name, "deleted"))
            json_object_set_boolean_member (record, name, sqlite3_column_int (stmt, i) != 0);
          else
            json_object_set_member (record, name, _tsu_store_column_json (stmt, i));
        }
    }
  else if (rc == SQLITE_DONE)
    g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_NOT_FOUND,
                 _("No “%s” record with id %s"), table_name, id);
  else
    _tsu_store_set_error (self, error);
  g_rec_mutex_unlock (&self->mutex);

  return g_steal_pointer (&record);
}

JsonObject *
tsu_store_get_stats (TsuStore  *self,
                     GError   **error)
{
  static const struct { const char *key; const char *sql; } counts[] = {
    { "districts", "SELECT count(*) FROM district WHERE deleted = 0" },
    { "households", "SELECT count(*) FROM household WHERE deleted = 0" },
    { "residents", "SELECT count(*) FROM resident WHERE deleted = 0" },
    { "visits", "SELECT count(*) FROM visit WHERE deleted = 0" },
    { "followups", "SELECT count(*) FROM followup WHERE deleted = 0" },
    { "coordinators", "SELECT count(*) FROM coordinator WHERE deleted = 0" },
    { "agencies", "SELECT count(*) FROM agency WHERE deleted = 0" },
    { "operations", "SELECT count(*) FROM oplog" },
  };
  g_autoptr(JsonObject) stats = json_object_new ();

  g_return_val_if_fail (TSU_IS_STORE (self), NULL);

  g_rec_mutex_lock (&self->mutex);
  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      g_autoptr(sqlite3_stmt) stmt = NULL;

      if (!_tsu_store_prepare (self, counts[i].sql, &stmt, error) ||
          sqlite3_step (stmt) != SQLITE_ROW)
        {
          if (stmt != NULL)
            _tsu_store_set_error (self, error);
          g_rec_mutex_unlock (&self->mutex);
          return NULL;
        }
      json_object_set_int_member (stats, counts[i].key, sqlite3_column_int64 (stmt, 0));
    }
  g_rec_mutex_unlock (&self->mutex);

  return g_steal_pointer (&stats);
}

guint
tsu_store_count_oplog (TsuStore   *self,
                       const char *record_id)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  guint n = 0;

  g_return_val_if_fail (TSU_IS_STORE (self), 0);

  g_rec_mutex_lock (&self->mutex);
  if (_tsu_store_prepare (self, SQL_COUNT_OPLOG_RECORD, &stmt, NULL))
    {
      sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        n = sqlite3_column_int (stmt, 0);
    }
  g_rec_mutex_unlock (&self->mutex);
  return n;
}

/* Returns the operations on one record, oldest first, as JSON objects with
 * the keys hlc, replica, actor, table, id and fields. */
GPtrArray *
tsu_store_list_oplog (TsuStore    *self,
                      const char  *record_id,
                      GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  int rc;

  g_return_val_if_fail (TSU_IS_STORE (self), NULL);

  g_rec_mutex_lock (&self->mutex);
  if (!_tsu_store_prepare (self, SQL_LIST_OPLOG_RECORD, &stmt, error))
    {
      g_rec_mutex_unlock (&self->mutex);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JsonObject *op = json_object_new ();
      g_autoptr(JsonNode) fields = json_from_string (_tsu_store_column_text (stmt, 6), NULL);

      json_object_set_string_member (op, "hlc", _tsu_store_column_text (stmt, 1));
      json_object_set_string_member (op, "replica", _tsu_store_column_text (stmt, 2));
      json_object_set_string_member (op, "actor", _tsu_store_column_text (stmt, 3));
      json_object_set_string_member (op, "table", _tsu_store_column_text (stmt, 4));
      json_object_set_string_member (op, "id", _tsu_store_column_text (stmt, 5));
      if (fields != NULL)
        json_object_set_member (op, "fields", g_steal_pointer (&fields));
      g_ptr_array_add (ops, op);
    }
  if (rc != SQLITE_DONE)
    _tsu_store_set_error (self, error);
  g_rec_mutex_unlock (&self->mutex);

  return rc == SQLITE_DONE ? g_steal_pointer (&ops) : NULL;
}

static void
string_free (gpointer data)
{
  g_string_free (data, TRUE);
}

static void
tsu_store_finalize (GObject *object)
{
  TsuStore *self = (TsuStore *) object;

  g_clear_pointer (&self->statement_cache, g_hash_table_unref);
  g_clear_pointer (&self->dirty_households, g_hash_table_unref);
  g_clear_pointer (&self->write_sql, g_hash_table_unref);
  g_clear_object (&self->generator);
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_clear_pointer (&self->clock, tsu_hlc_clock_free);
  g_free (self->path);
  g_free (self->replica_id);
  g_free (self->actor);
  g_rec_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (tsu_store_parent_class)->finalize (object);
}

static void
tsu_store_class_init (TsuStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tsu_store_finalize;
}

static void
tsu_store_init (TsuStore *self)
{
  g_rec_mutex_init (&self->mutex);
  self->dirty_households = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->write_sql = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, string_free);
  self->generator = json_generator_new ();
  self->statement_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                 (GDestroyNotify) sqlite3_finalize);
}

/* Lists read in a worker ---------------------------------------------------- */

typedef struct
{
  TsuStoreListFunc  read;
  char             *key;
} ListJob;

static void
list_job_free (ListJob *job)
{
  g_free (job->key);
  g_free (job);
}

static void
list_worker (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  ListJob *job = task_data;
  GError *error = NULL;
  GPtrArray *list = job->read (source, job->key, &error);

  if (list == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, list, (GDestroyNotify) g_ptr_array_unref);
}

void
_tsu_store_list_async (TsuStore            *self,
                       TsuStoreListFunc     read,
                       const char          *key,
                       gpointer             source_tag,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  ListJob *job = g_new0 (ListJob, 1);

  job->read = read;
  job->key = g_strdup (key);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, job, (GDestroyNotify) list_job_free);
  g_task_run_in_thread (task, list_worker);
}

GPtrArray *
_tsu_store_list_finish (TsuStore      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
