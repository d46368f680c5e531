/* tsu-passphrase.h: the passphrase that unlocks the app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TSU_PASSPHRASE_ERROR (tsu_passphrase_error_quark ())

typedef enum
{
  TSU_PASSPHRASE_ERROR_WRONG,      /* the passphrase does not match */
  TSU_PASSPHRASE_ERROR_NOT_SET,    /* no passphrase has been chosen yet */
  TSU_PASSPHRASE_ERROR_TOO_SHORT,  /* shorter than TSU_PASSPHRASE_MIN_LENGTH */
  TSU_PASSPHRASE_ERROR_FAILED,     /* hashing failed (out of memory) or the file is damaged */
} TsuPassphraseError;

GQuark tsu_passphrase_error_quark (void);

/* In characters, not bytes: eight kana are as hard to guess as eight letters. */
#define TSU_PASSPHRASE_MIN_LENGTH 8

char     *tsu_passphrase_default_path     (void);
gboolean  tsu_passphrase_is_set           (const char  *path);

char     *tsu_passphrase_hash             (const char  *passphrase,
                                           gsize        opslimit,
                                           gsize        memlimit,
                                           GError     **error);
gboolean  tsu_passphrase_check_hash       (const char  *hash,
                                           const char  *passphrase,
                                           GError     **error);

gboolean  tsu_passphrase_set              (const char  *path,
                                           const char  *passphrase,
                                           GError     **error);
gboolean  tsu_passphrase_set_with_limits  (const char  *path,
                                           const char  *passphrase,
                                           gsize        opslimit,
                                           gsize        memlimit,
                                           GError     **error);
gboolean  tsu_passphrase_verify           (const char  *path,
                                           const char  *passphrase,
                                           GError     **error);

/* Hashing takes about a second by design: the UI uses these. */
void      tsu_passphrase_verify_async     (const char          *path,
                                           const char          *passphrase,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean  tsu_passphrase_verify_finish    (GAsyncResult        *result,
                                           GError             **error);
void      tsu_passphrase_set_async        (const char          *path,
                                           const char          *passphrase,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean  tsu_passphrase_set_finish       (GAsyncResult        *result,
                                           GError             **error);

G_END_DECLS
