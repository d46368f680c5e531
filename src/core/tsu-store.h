/* tsu-store.h: the SQLite database of one replica
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tsu-store-error.h"

G_BEGIN_DECLS

/* The schema version this program writes. Files with a newer version are
 * refused rather than guessed at. */
#define TSU_STORE_SCHEMA_VERSION 9

#define TSU_TYPE_STORE (tsu_store_get_type ())
G_DECLARE_FINAL_TYPE (TsuStore, tsu_store, TSU, STORE, GObject)

TsuStore    *tsu_store_open               (const char   *path,
                                           GError      **error);
const char  *tsu_store_get_path           (TsuStore     *self);
const char  *tsu_store_get_replica_id     (TsuStore     *self);
const char  *tsu_store_get_actor          (TsuStore     *self);
void         tsu_store_set_actor          (TsuStore     *self,
                                           const char   *actor);
int          tsu_store_get_schema_version (TsuStore     *self);
char        *tsu_store_default_path       (void);

/* Every write goes through these: each one appends one operation to the
 * operation log and is stamped with a hybrid logical clock. */
char        *tsu_store_create             (TsuStore     *self,
                                           const char   *table,
                                           JsonObject   *fields,
                                           GError      **error);
gboolean     tsu_store_create_with_id     (TsuStore     *self,
                                           const char   *table,
                                           const char   *id,
                                           JsonObject   *fields,
                                           GError      **error);
gboolean     tsu_store_update             (TsuStore     *self,
                                           const char   *table,
                                           const char   *id,
                                           JsonObject   *fields,
                                           GError      **error);
gboolean     tsu_store_delete             (TsuStore     *self,
                                           const char   *table,
                                           const char   *id,
                                           GError      **error);
gboolean     tsu_store_undelete           (TsuStore     *self,
                                           const char   *table,
                                           const char   *id,
                                           GError      **error);
JsonObject  *tsu_store_get_record         (TsuStore     *self,
                                           const char   *table,
                                           const char   *id,
                                           GError      **error);

/* Group many writes into one transaction (imports, the demo generator). */
gboolean     tsu_store_begin              (TsuStore     *self,
                                           GError      **error);
gboolean     tsu_store_commit             (TsuStore     *self,
                                           GError      **error);
void         tsu_store_rollback           (TsuStore     *self);

/* Counts of every record type, as the "stats" command prints them. */
JsonObject  *tsu_store_get_stats          (TsuStore     *self,
                                           GError      **error);
guint        tsu_store_count_oplog        (TsuStore     *self,
                                           const char   *record_id);
GPtrArray   *tsu_store_list_oplog         (TsuStore     *self,
                                           const char   *record_id,
                                           GError      **error);

G_END_DECLS
