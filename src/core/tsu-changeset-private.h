/* tsu-changeset-private.h: the changeset payload and its sealed envelope
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A changeset file is an envelope (tsu-changeset-envelope.c) around a
 * payload document (tsu-changeset.c). The payload functions are here for
 * the envelope code, the tests and the fuzz targets only: outside input
 * always goes through tsu_changeset_import, which opens the envelope.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tsu-changeset.h"

G_BEGIN_DECLS

/* What the envelope tells the payload import: who sent it, and the sync
 * state entry (the sequence number) to record in the import transaction. */
typedef struct
{
  const char *sender;
  const char *state_key;
  const char *state_value;
} TsuEnvelopeInfo;

gboolean  _tsu_changeset_export_payload (TsuStore               *store,
                                         const char             *device_id,
                                         GOutputStream          *out,
                                         guint                  *n_operations,
                                         GError                **error);
gboolean  _tsu_changeset_import_payload (TsuStore               *store,
                                         const char             *data,
                                         gsize                   length,
                                         const TsuEnvelopeInfo  *env,
                                         TsuSyncCounts          *counts,
                                         GError                **error);

/* Hub, during registration (inside its transaction): makes the device's
 * box and signing key pairs (and the hub's, the first time), keeps the
 * device's public keys and adds the key file members to @builder. */
gboolean  _tsu_changeset_issue_keys     (TsuStore               *hub,
                                         const char             *device_id,
                                         JsonBuilder            *builder,
                                         GError                **error);
/* Laptop, during registration: checks and keeps the keys of a key file. */
gboolean  _tsu_changeset_store_keys     (TsuStore               *store,
                                         JsonObject             *key_file,
                                         GError                **error);

/* The envelope's signature: Ed25519 over a SHA-256 digest of the signed
 * bytes, taken as they are written (docs/changeset-format.md). */
typedef struct _TsuEnvelopeDigest TsuEnvelopeDigest;

TsuEnvelopeDigest *_tsu_envelope_digest_new    (void);
void               _tsu_envelope_digest_update (TsuEnvelopeDigest *digest,
                                                const void        *data,
                                                gsize              length);
/* Signs what was digested with the 64-byte Ed25519 secret key into
 * @sig (64 bytes), and frees @digest. */
void               _tsu_envelope_digest_sign   (TsuEnvelopeDigest *digest,
                                                const guchar      *secret_key,
                                                guchar            *sig);
gboolean           _tsu_envelope_verify        (const void        *data,
                                                gsize              length,
                                                const guchar      *sig,
                                                const guchar      *public_key);

/* A string member of @object, or NULL when it is missing or not a string. */
const char *_tsu_changeset_get_string   (JsonObject  *object,
                                         const char  *name);
/* Checks the "format" and "version" members of an envelope or payload:
 * the version read into @version, refused when it is above
 * @max_version (as too new), missing or not a whole number. */
gboolean    _tsu_changeset_check_format (JsonObject  *root,
                                         gint64       max_version,
                                         gint64      *version,
                                         GError     **error);

gboolean _tsu_changeset_fail (GError     **error,
                              int          code,
                              const char  *format,
                              ...) G_GNUC_PRINTF (3, 4);

G_END_DECLS
