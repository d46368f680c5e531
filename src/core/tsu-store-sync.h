/* tsu-store-sync.h: the store's side of sync (state, devices, export
 * queries, the import transaction, conflicts, canonical dumps)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tsu-store.h"

G_BEGIN_DECLS

/* One row of the operation log as the changeset writer needs it. The
 * strings are only valid during the callback. */
typedef struct
{
  const char *hlc;
  const char *actor;     /* may be NULL */
  const char *table;
  const char *record_id;
  const char *fields;    /* the JSON object text, exactly as logged */
} TsuOpRow;

typedef gboolean (*TsuOpRowFunc) (const TsuOpRow  *row,
                                  gpointer         user_data,
                                  GError         **error);

typedef struct
{
  guint operations;   /* operations in the file */
  guint duplicates;   /* already known: skipped */
  guint added;        /* records that did not exist here before */
  guint updated;      /* existing records changed */
  guint conflicts;    /* conflicts recorded */
  guint evicted;      /* records removed because they left this laptop's districts */
} TsuSyncCounts;

/* Key/value sync state (the laptop's registration and acknowledgements). */
char       *tsu_store_sync_get_state      (TsuStore    *self,
                                           const char  *key);
gboolean    tsu_store_sync_set_state      (TsuStore    *self,
                                           const char  *key,
                                           const char  *value,
                                           GError     **error);

/* The newest timestamp of an operation made by @replica that this store
 * has, or NULL: the acknowledgement watermark of that replica. */
char       *tsu_store_sync_replica_watermark (TsuStore   *self,
                                              const char *replica);
gint64      tsu_store_sync_max_seq        (TsuStore    *self);

/* This replica's own operations newer than @after_hlc (NULL: all), oldest first. */
gboolean    tsu_store_sync_foreach_unacked (TsuStore     *self,
                                            const char   *after_hlc,
                                            TsuOpRowFunc  func,
                                            gpointer      user_data,
                                            GError      **error);

/* Hub: the operations a device needs. @districts is the device's scope;
 * @acked_seq and @acked_districts what it acknowledged last (0 and NULL:
 * nothing). Sets @hub_seq to the log position the export covers and adds
 * to @left the ids of households changed since that left the districts. */
gboolean    tsu_store_hub_foreach_for_device (TsuStore           *self,
                                              const char * const *districts,
                                              gint64              acked_seq,
                                              const char * const *acked_districts,
                                              gint64             *hub_seq,
                                              GPtrArray          *left,
                                              TsuOpRowFunc        func,
                                              gpointer            user_data,
                                              GError            **error);

/* Districts as [id, name] pairs in their sort order, and the id of the
 * district with @name (NULL if none or several). */
GPtrArray  *tsu_store_sync_list_districts (TsuStore    *self,
                                           GError     **error);
char       *tsu_store_sync_find_district  (TsuStore    *self,
                                           const char  *name);

/* Hub devices. A device is a JsonObject with id, name, key, districts
 * (comma-separated), replica, acked_seq, acked_districts, created_ms,
 * last_seen_ms, last_export_ms. */
gboolean    tsu_store_hub_add_device      (TsuStore    *self,
                                           const char  *id,
                                           const char  *name,
                                           const char  *key_hex,
                                           const char  *districts,
                                           GError     **error);
JsonObject *tsu_store_hub_get_device      (TsuStore    *self,
                                           const char  *id,
                                           GError     **error);
GPtrArray  *tsu_store_hub_list_devices    (TsuStore    *self,
                                           GError     **error);
gboolean    tsu_store_hub_note_export     (TsuStore    *self,
                                           const char  *device_id,
                                           GError     **error);
gboolean    tsu_store_hub_count_pending   (TsuStore    *self,
                                           const char  *replica,
                                           gint64       acked_seq,
                                           gint64      *n_pending,
                                           GError     **error);

/* The import transaction: everything between begin and commit is one
 * SQLite transaction; abort leaves the database exactly as it was. */
typedef struct _TsuSyncImport TsuSyncImport;

TsuSyncImport *tsu_store_sync_import_begin (TsuStore      *self,
                                            GError       **error);
/* Laptop: own operations newer than @ack_hlc are "not yet synced". */
void        tsu_sync_import_set_laptop_policy (TsuSyncImport *imp,
                                               const char    *ack_hlc);
/* Hub: the sender had seen the hub's log up to @sender_acked_seq. */
void        tsu_sync_import_set_hub_policy    (TsuSyncImport *imp,
                                               const char    *sender_replica,
                                               gint64         sender_acked_seq);
/* The record type of @id in the database, or NULL. */
const char *tsu_sync_import_lookup        (TsuSyncImport *imp,
                                           const char    *id,
                                           GError       **error);
gboolean    tsu_sync_import_exists        (TsuSyncImport *imp,
                                           const char    *table,
                                           const char    *id,
                                           gboolean      *exists,
                                           GError       **error);
/* Whether the operation log has operations on @record_id (a record that
 * left this laptop's districts is still in the log). */
gboolean    tsu_sync_import_in_log        (TsuSyncImport *imp,
                                           const char    *record_id,
                                           gboolean      *in_log,
                                           GError       **error);
/* @fields_text: NULL, or the text the operation log keeps for @fields
 * when the caller has it: exactly what JSON-GLib's generator writes. */
gboolean    tsu_sync_import_apply         (TsuSyncImport *imp,
                                           const char    *table,
                                           const char    *record_id,
                                           JsonObject    *fields,
                                           const char    *fields_text,
                                           gsize          fields_len,
                                           const char    *hlc,
                                           const char    *actor,
                                           GError       **error);
/* Counts @n operations that are known already and not applied. */
void        tsu_sync_import_skip          (TsuSyncImport *imp,
                                           guint          n);
gboolean    tsu_sync_import_observe       (TsuSyncImport *imp,
                                           const char    *hlc,
                                           GError       **error);
gboolean    tsu_sync_import_evict         (TsuSyncImport      *imp,
                                           const char * const *districts,
                                           const char * const *left,
                                           GError            **error);
gboolean    tsu_sync_import_note_device   (TsuSyncImport *imp,
                                           const char    *device_id,
                                           const char    *replica,
                                           gint64         acked_seq,
                                           const char    *acked_districts,
                                           GError       **error);
gboolean    tsu_sync_import_set_state     (TsuSyncImport *imp,
                                           const char    *key,
                                           const char    *value,
                                           GError       **error);
gboolean    tsu_sync_import_commit        (TsuSyncImport *imp,
                                           TsuSyncCounts *counts,
                                           GError       **error);
void        tsu_sync_import_abort         (TsuSyncImport *imp);

/* Conflicts: JsonObjects with id, table, record_id, field, local_value,
 * local_hlc, local_actor, remote_value, remote_hlc, remote_actor,
 * remote_won, detected_ms, resolved_ms. */
GPtrArray  *tsu_store_sync_list_conflicts (TsuStore    *self,
                                           gboolean     include_resolved,
                                           GError     **error);
guint       tsu_store_sync_count_conflicts (TsuStore   *self);
/* Keeps one side's value: writes it as a new operation, which syncs. */
gboolean    tsu_store_sync_resolve_conflict (TsuStore  *self,
                                             gint64     conflict_id,
                                             gboolean   keep_remote,
                                             GError   **error);

/* A canonical text dump of the records (values, not clocks): everything,
 * or the reference tables plus the records of @districts. */
char       *tsu_store_sync_dump           (TsuStore           *self,
                                           const char * const *districts,
                                           GError            **error);

G_END_DECLS
