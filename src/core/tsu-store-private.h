/* tsu-store-private.h: what the parts of the store share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store is one object split over several files (tsu-store.c for the
 * schema and the write path, tsu-store-*.c for queries of one area). Only
 * these files include <sqlite3.h>.
 */
#pragma once

#include <sqlite3.h>

#include "tsu-hlc.h"
#include "tsu-schema.h"
#include "tsu-store.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* A statement borrowed from the store's cache: g_autoptr resets it instead
 * of finalizing it, so a hot loop does not parse the same SQL again. */
typedef sqlite3_stmt TsuCachedStmt;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsuCachedStmt, sqlite3_reset)

struct _TsuStore
{
  GObject       parent_instance;

  sqlite3      *db;
  char         *path;
  char         *replica_id;
  char         *actor;
  TsuHlcClock  *clock;
  int           schema_version;

  /* SQLITE_OPEN_FULLMUTEX guards single calls; this guards whole units of
   * work (a transaction, a query and its row loop). Recursive so that a
   * public call made inside tsu_store_begin() on the same thread works. */
  GRecMutex     mutex;
  guint         transaction_depth;

  GHashTable   *statement_cache;   /* SQL text → sqlite3_stmt */
  GHashTable   *dirty_households;  /* ids whose household_summary is stale */
  GHashTable   *write_sql;         /* table and field set → INSERT/UPDATE text */
  JsonGenerator *generator;        /* the operation log's JSON, under the mutex */
};

/* What happened to one field when an operation was applied. */
typedef struct
{
  const char *table;
  const char *record_id;
  const char *field;
  JsonNode   *old_value;     /* NULL when the record was new */
  const char *old_clock;     /* NULL when the field had never been set */
  JsonNode   *new_value;
  const char *new_clock;
  gboolean    applied;       /* FALSE: the stored value was newer */
} TsuFieldOutcome;

typedef void (*TsuFieldOutcomeFunc) (const TsuFieldOutcome *outcome,
                                     gpointer               user_data);

typedef enum
{
  TSU_APPLY_NEW,         /* the operation was new and has been applied */
  TSU_APPLY_DUPLICATE,   /* the operation log already had it: nothing changed */
} TsuApplyResult;

/* Applies one operation inside the caller's transaction: logs it (once:
 * an operation already in the log is a duplicate) and writes the fields
 * whose clocks are newer than the stored ones. @maybe_new: the record is
 * probably new to this replica, so it is inserted first, falling back to
 * the ordinary path if the row exists. @fields_text, if not NULL, is
 * exactly what the store's JSON generator writes for @fields (a
 * changeset's operations carry that text already). */
gboolean _tsu_store_apply_operation (TsuStore            *self,
                                     const char          *table,
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
                                     GError             **error);

/* Applies an operation that is already in the operation log again, without
 * logging it (a record coming back into a laptop's districts). */
gboolean _tsu_store_replay_operation (TsuStore    *self,
                                      const char  *table_name,
                                      const char  *record_id,
                                      JsonObject  *fields,
                                      const char  *hlc,
                                      GError     **error);

/* Opens a file migrated only up to target_version: for migration tests. */
TsuStore *_tsu_store_open_at_version (const char  *path,
                                      int          target_version,
                                      GError     **error);

gboolean _tsu_store_exec           (TsuStore    *self,
                                    const char  *sql,
                                    GError     **error);
gboolean _tsu_store_prepare        (TsuStore      *self,
                                    const char    *sql,
                                    sqlite3_stmt **stmt,
                                    GError       **error);
gboolean _tsu_store_cached         (TsuStore       *self,
                                    const char     *sql,
                                    TsuCachedStmt **stmt,
                                    GError        **error);
gboolean _tsu_store_set_error      (TsuStore    *self,
                                    GError     **error);
void     _tsu_store_bind_json      (sqlite3_stmt *stmt,
                                    int           index,
                                    JsonNode     *node);
JsonNode *_tsu_store_column_json   (sqlite3_stmt *stmt,
                                    int           index);
const char *_tsu_store_column_text (sqlite3_stmt *stmt,
                                    int           index);
gboolean _tsu_store_string_member  (JsonObject   *fields,
                                    const char   *name,
                                    const char  **value);

/* The small key-value tables: the store's own (meta), the import's
 * settings and the sync state. One pair of accessors serves them all. */
typedef enum
{
  TSU_KEY_VALUE_META,
  TSU_KEY_VALUE_IMPORT_SETTING,
  TSU_KEY_VALUE_SYNC_STATE,
} TsuKeyValueTable;

char     *_tsu_store_get_key_value (TsuStore          *self,
                                    TsuKeyValueTable   table,
                                    const char        *key);
gboolean  _tsu_store_set_key_value (TsuStore          *self,
                                    TsuKeyValueTable   table,
                                    const char        *key,
                                    const char        *value,
                                    GError           **error);

/* tsu-store-sync.c: sync state, devices, acknowledgements, conflicts.
 * Creates tables only, so that it can be renumbered at merge. */
#define TSU_STORE_SYNC_SCHEMA \
  "CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;" \
  "CREATE TABLE sync_conflict (id INTEGER PRIMARY KEY AUTOINCREMENT, tbl TEXT NOT NULL," \
  "  record_id TEXT NOT NULL, field TEXT NOT NULL, local_value TEXT, local_hlc TEXT, local_actor TEXT," \
  "  remote_value TEXT, remote_hlc TEXT NOT NULL, remote_actor TEXT, remote_won INTEGER NOT NULL," \
  "  detected_ms INTEGER NOT NULL, resolved_ms INTEGER, UNIQUE (remote_hlc, field));" \
  "CREATE INDEX sync_conflict_open ON sync_conflict (resolved_ms, record_id);" \
  "CREATE TABLE hub_device (id TEXT PRIMARY KEY, name TEXT NOT NULL, key TEXT NOT NULL," \
  "  districts TEXT NOT NULL, replica TEXT, acked_seq INTEGER NOT NULL DEFAULT 0," \
  "  acked_districts TEXT NOT NULL DEFAULT '', created_ms INTEGER NOT NULL, last_seen_ms INTEGER," \
  "  last_export_ms INTEGER);"

/* tsu-store-sync.c: FALSE makes sync take only its general paths (the
 * hub's selection for a device, and for an import the full lookups and
 * the last-writer-wins apply even for records new to the replica), so that
 * tests can compare them with the shortcuts. */
void _tsu_store_sync_allow_shortcuts (gboolean allow);

/* tsu-store-households.c */
extern const char _tsu_store_summary_schema[];
gboolean _tsu_store_summary_note  (TsuStore    *self,
                                   const char  *table,
                                   const char  *record_id,
                                   GError     **error);
/* The same for a record just inserted with exactly these fields. */
gboolean _tsu_store_summary_note_new (TsuStore    *self,
                                      const char  *table,
                                      const char  *record_id,
                                      JsonObject  *fields,
                                      GError     **error);
gboolean _tsu_store_summary_flush (TsuStore    *self,
                                   GError     **error);
struct _TsuHousehold *_tsu_store_load_household (TsuStore    *self,
                                                 const char  *household_id,
                                                 GError     **error);
/* tsu-store-import.c: the SQL of its migration */
extern const char _tsu_store_import_schema[];

/* tsu-store-purge.c: the audit of retention purges (append-only). */
#define TSU_STORE_PURGE_SCHEMA \
  "CREATE TABLE purge_log (seq INTEGER PRIMARY KEY AUTOINCREMENT, at_ms INTEGER NOT NULL," \
  "  replica TEXT NOT NULL, actor TEXT, reason TEXT NOT NULL, older_than_days INTEGER," \
  "  household_ids TEXT NOT NULL, n_records INTEGER NOT NULL);" \
  "CREATE TRIGGER purge_log_no_update BEFORE UPDATE ON purge_log BEGIN SELECT RAISE(ABORT, 'the purge log is append-only'); END;" \
  "CREATE TRIGGER purge_log_no_delete BEFORE DELETE ON purge_log BEGIN SELECT RAISE(ABORT, 'the purge log is append-only'); END;"

/* A list read in a worker thread: the async halves of the store's
 * list functions. @read runs in the worker with @key (copied; may be
 * NULL); the array it returns, or its error, is what
 * _tsu_store_list_finish() gives back. @source_tag is the public async
 * function, as g_task_set_source_tag() wants it. */
typedef GPtrArray *(*TsuStoreListFunc) (TsuStore    *self,
                                        const char  *key,
                                        GError     **error);

void       _tsu_store_list_async  (TsuStore            *self,
                                   TsuStoreListFunc     read,
                                   const char          *key,
                                   gpointer             source_tag,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
GPtrArray *_tsu_store_list_finish (TsuStore            *self,
                                   GAsyncResult        *result,
                                   GError             **error);

/* tsu-store-visits.c: the SQL of its migration */
extern const char _tsu_store_followup_done_visit_schema[];

/* tsu-store-search.c */
extern const char _tsu_store_search_key_id_schema[];
gboolean _tsu_store_search_init    (TsuStore    *self,
                                    GError     **error);
gboolean _tsu_store_search_reindex (TsuStore    *self,
                                    const char  *table,
                                    const char  *record_id,
                                    GError     **error);
/* Indexes a record just inserted with exactly these fields, from the values
 * in hand instead of reading the row back. */
gboolean _tsu_store_search_index_new (TsuStore    *self,
                                      const char  *table,
                                      const char  *record_id,
                                      JsonObject  *fields,
                                      GError     **error);

G_END_DECLS
