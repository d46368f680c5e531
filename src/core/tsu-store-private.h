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

gboolean _tsu_store_apply_operation (TsuStore            *self,
                                     const char          *table,
                                     const char          *record_id,
                                     JsonObject          *fields,
                                     const char          *hlc,
                                     const char          *actor,
                                     TsuFieldOutcomeFunc  outcome_func,
                                     gpointer             outcome_data,
                                     TsuApplyResult      *result,
                                     GError             **error);

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

/* tsu-store-households.c */
struct _TsuHousehold *_tsu_store_load_household (TsuStore    *self,
                                                 const char  *household_id,
                                                 GError     **error);

/* tsu-store-search.c */
gboolean _tsu_store_search_init    (TsuStore    *self,
                                    GError     **error);
gboolean _tsu_store_search_reindex (TsuStore    *self,
                                    const char  *table,
                                    const char  *record_id,
                                    GError     **error);

G_END_DECLS
