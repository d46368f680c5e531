/* tsu-changeset.h: the JSON changeset files that laptops and the hub
 * exchange, and device registration
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The format is documented in docs/changeset-format.md.
 */
#pragma once

#include <gio/gio.h>

#include "tsu-store.h"
#include "tsu-store-sync.h"

G_BEGIN_DECLS

#define TSU_CHANGESET_FORMAT      "tsunagu-changeset"
/* Version 2 and later files are sealed envelopes; the payload inside one
 * is a version 1 changeset document. Version 3 signs with Ed25519ph (one
 * pass over the file, while it is written) instead of plain Ed25519. */
#define TSU_CHANGESET_VERSION     3
#define TSU_CHANGESET_PAYLOAD_VERSION 1
#define TSU_DEVICE_KEY_FORMAT     "tsunagu-device-key"
#define TSU_DEVICE_KEY_VERSION    2
#define TSU_CHANGESET_TO_HUB      "to-hub"
#define TSU_CHANGESET_TO_DEVICE   "to-device"
/* Operations stamped further ahead of the local clock are refused. */
#define TSU_CHANGESET_MAX_SKEW_MS (G_GINT64_CONSTANT (24) * 3600 * 1000)

/* Writes a changeset: on a laptop (@device_id NULL) every own operation the
 * hub has not acknowledged; on the hub, what device @device_id needs. */
gboolean  tsu_changeset_export       (TsuStore       *store,
                                      const char     *device_id,
                                      GOutputStream  *out,
                                      guint          *n_operations,
                                      GError        **error);
/* The same into a file, written beside it and renamed into place. */
gboolean  tsu_changeset_export_file  (TsuStore       *store,
                                      const char     *device_id,
                                      const char     *path,
                                      guint          *n_operations,
                                      GError        **error);

/* Validates the whole changeset, then applies it in one transaction: on
 * any error the database is exactly as it was. A hub ingests files from
 * devices, a registered laptop imports files from its hub. */
gboolean  tsu_changeset_import       (TsuStore       *store,
                                      const char     *data,
                                      gsize           length,
                                      TsuSyncCounts  *counts,
                                      GError        **error);
gboolean  tsu_changeset_import_file  (TsuStore       *store,
                                      const char     *path,
                                      TsuSyncCounts  *counts,
                                      GError        **error);

void      tsu_changeset_import_file_async  (TsuStore            *store,
                                            const char          *path,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean  tsu_changeset_import_file_finish (TsuStore            *store,
                                            GAsyncResult        *result,
                                            TsuSyncCounts       *counts,
                                            GError             **error);
void      tsu_changeset_export_file_async  (TsuStore            *store,
                                            const char          *path,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean  tsu_changeset_export_file_finish (TsuStore            *store,
                                            GAsyncResult        *result,
                                            guint               *n_operations,
                                            GError             **error);

/* Hub: registers a device for @districts (district ids) and returns the
 * device key file (JSON text) the laptop imports once. */
char     *tsu_hub_register_device    (TsuStore           *hub,
                                      const char         *name,
                                      const char * const *districts,
                                      char              **device_id,
                                      GError            **error);
gboolean  tsu_store_is_hub           (TsuStore           *store);
/* Hub: a revoked device's changesets are refused and nothing is exported
 * for it any more. */
gboolean  tsu_hub_revoke_device      (TsuStore           *hub,
                                      const char         *device_id,
                                      GError            **error);
gboolean  tsu_hub_device_is_revoked  (TsuStore           *hub,
                                      const char         *device_id);

/* Laptop: stores the device id, hub id and signing key of a key file. */
gboolean  tsu_sync_register_with_hub (TsuStore           *store,
                                      const char         *key_file,
                                      gsize               length,
                                      GError            **error);
gboolean  tsu_sync_is_registered     (TsuStore           *store);

G_END_DECLS
