/* sync-util.h: helpers shared by the sync tests and the benchmark
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tsu-changeset.h"
#include "tsu-changeset-private.h"
#include "tsu-store-sync.h"

G_BEGIN_DECLS

char      *sync_util_make_record  (TsuStore    *store,
                                   const char  *table,
                                   const char  *first_key,
                                   ...) G_GNUC_NULL_TERMINATED;
void       sync_util_update       (TsuStore    *store,
                                   const char  *table,
                                   const char  *id,
                                   const char  *field,
                                   const char  *value);
/* Registers @laptop at @hub for @districts; returns the device id and, if
 * @key is not NULL, the signing key. */
char      *sync_util_register     (TsuStore           *hub,
                                   TsuStore           *laptop,
                                   const char         *name,
                                   const char * const *districts,
                                   char              **key);
GBytes    *sync_util_export       (TsuStore    *store,
                                   const char  *device_id);
gboolean   sync_util_import       (TsuStore       *store,
                                   GBytes         *changeset,
                                   TsuSyncCounts  *counts,
                                   GError        **error);
/* Signs @body (a changeset without its signature member) with @key_hex. */
/* The payload inside the sealed envelope, for tests that edit a file's
 * contents and re-sign it with the device's HMAC key. */
GBytes    *sync_util_export_payload (TsuStore    *store,
                                     const char  *device_id);
gboolean   sync_util_import_payload (TsuStore       *store,
                                     GBytes         *payload,
                                     TsuSyncCounts  *counts,
                                     GError        **error);
GBytes    *sync_util_sign         (const char  *body,
                                   gsize        length,
                                   const char  *key_hex);
/* Parses a changeset, lets @edit change it, and signs the result. */
GBytes    *sync_util_rewrite      (GBytes      *changeset,
                                   const char  *key_hex,
                                   void       (*edit) (JsonObject *root, gpointer data),
                                   gpointer     data);
char      *sync_util_dump         (TsuStore           *store,
                                   const char * const *districts);
char      *sync_util_tmpdir       (void);
void       sync_util_rmdir        (const char  *dir);

G_END_DECLS
