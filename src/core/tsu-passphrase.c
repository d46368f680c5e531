/* tsu-passphrase.c: the passphrase that unlocks the app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Only a slow hash of the passphrase is kept: libsodium's crypto_pwhash_str
 * with Argon2id at the "moderate" limits (256 MiB, about a second on a
 * laptop), so that a copied hash file cannot be tried against a word list
 * quickly. The string it produces carries its own salt and parameters, so
 * hashes made with other limits (the tests' cheap ones) still verify.
 *
 * The hash lives in its own owner-only file next to the database, never in
 * the database: the database is copied into changesets and backups, and the
 * lock belongs to this laptop and this user.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>

#include "tsu-passphrase.h"
#include "tsu-privacy.h"

G_DEFINE_QUARK (tsu-passphrase-error-quark, tsu_passphrase_error)

static gboolean
ensure_sodium (GError **error)
{
  /* sodium_init is thread-safe and cheap after the first call. */
  if (sodium_init () < 0)
    {
      g_set_error_literal (error, TSU_PASSPHRASE_ERROR, TSU_PASSPHRASE_ERROR_FAILED,
                           _("The cryptography library could not be initialised."));
      return FALSE;
    }
  return TRUE;
}

char *
tsu_passphrase_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), APP_ID, "passphrase", NULL);
}

/* A stat: cheap enough for the main thread when deciding which page to show. */
gboolean
tsu_passphrase_is_set (const char *path)
{
  g_return_val_if_fail (path != NULL, FALSE);
  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

/**
 * tsu_passphrase_hash:
 * @passphrase: UTF-8 text of at least %TSU_PASSPHRASE_MIN_LENGTH characters
 * @opslimit: Argon2id passes, e.g. crypto_pwhash_OPSLIMIT_MODERATE
 * @memlimit: Argon2id memory in bytes, e.g. crypto_pwhash_MEMLIMIT_MODERATE
 *
 * Returns: (transfer full): the encoded hash, "$argon2id$v=19$m=…"
 */
char *
tsu_passphrase_hash (const char  *passphrase,
                     gsize        opslimit,
                     gsize        memlimit,
                     GError     **error)
{
  char hash[crypto_pwhash_STRBYTES];

  g_return_val_if_fail (passphrase != NULL, NULL);

  if (!ensure_sodium (error))
    return NULL;

  if (!g_utf8_validate (passphrase, -1, NULL) ||
      g_utf8_strlen (passphrase, -1) < TSU_PASSPHRASE_MIN_LENGTH)
    {
      g_set_error (error, TSU_PASSPHRASE_ERROR, TSU_PASSPHRASE_ERROR_TOO_SHORT,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The passphrase must have at least %d character.",
                                "The passphrase must have at least %d characters.",
                                TSU_PASSPHRASE_MIN_LENGTH),
                   TSU_PASSPHRASE_MIN_LENGTH);
      return NULL;
    }

  if (crypto_pwhash_str_alg (hash, passphrase, strlen (passphrase),
                             opslimit, memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0)
    {
      g_set_error_literal (error, TSU_PASSPHRASE_ERROR, TSU_PASSPHRASE_ERROR_FAILED,
                           _("There is not enough memory to protect the passphrase."));
      return NULL;
    }
  return g_strdup (hash);
}

/* TRUE if @passphrase matches @hash; a mismatch is the WRONG error. */
gboolean
tsu_passphrase_check_hash (const char  *hash,
                           const char  *passphrase,
                           GError     **error)
{
  g_return_val_if_fail (hash != NULL, FALSE);
  g_return_val_if_fail (passphrase != NULL, FALSE);

  if (!ensure_sodium (error))
    return FALSE;

  if (!g_str_has_prefix (hash, "$argon2id$") || strlen (hash) >= crypto_pwhash_STRBYTES)
    {
      g_set_error_literal (error, TSU_PASSPHRASE_ERROR, TSU_PASSPHRASE_ERROR_FAILED,
                           _("The stored passphrase is damaged. Remove the passphrase file and choose a new passphrase."));
      return FALSE;
    }

  if (crypto_pwhash_str_verify (hash, passphrase, strlen (passphrase)) != 0)
    {
      g_set_error_literal (error, TSU_PASSPHRASE_ERROR, TSU_PASSPHRASE_ERROR_WRONG,
                           _("Wrong passphrase."));
      return FALSE;
    }
  return TRUE;
}

gboolean
tsu_passphrase_set_with_limits (const char  *path,
                                const char  *passphrase,
                                gsize        opslimit,
                                gsize        memlimit,
                                GError     **error)
{
  g_autofree char *hash = NULL;
  g_autofree char *line = NULL;
  g_autofree char *dir = NULL;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (passphrase != NULL, FALSE);

  hash = tsu_passphrase_hash (passphrase, opslimit, memlimit, error);
  if (hash == NULL)
    return FALSE;

  dir = g_path_get_dirname (path);
  if (!tsu_privacy_ensure_private_dir (dir, error))
    return FALSE;

  line = g_strconcat (hash, "\n", NULL);
  return tsu_privacy_write_private_file (path, line, -1, error);
}

/* Slow (about a second): not for the main thread. */
gboolean
tsu_passphrase_set (const char  *path,
                    const char  *passphrase,
                    GError     **error)
{
  return tsu_passphrase_set_with_limits (path, passphrase,
                                         crypto_pwhash_OPSLIMIT_MODERATE,
                                         crypto_pwhash_MEMLIMIT_MODERATE,
                                         error);
}

/* Slow (about a second): not for the main thread. */
gboolean
tsu_passphrase_verify (const char  *path,
                       const char  *passphrase,
                       GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (passphrase != NULL, FALSE);

  if (!g_file_get_contents (path, &contents, NULL, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error_literal (error, TSU_PASSPHRASE_ERROR, TSU_PASSPHRASE_ERROR_NOT_SET,
                             _("No passphrase has been chosen yet."));
      else
        g_set_error (error, TSU_PASSPHRASE_ERROR, TSU_PASSPHRASE_ERROR_FAILED,
                     _("Could not read “%s”: %s"), path, local_error->message);
      return FALSE;
    }

  g_strstrip (contents);
  return tsu_passphrase_check_hash (contents, passphrase, error);
}

/* The task data: the passphrase is wiped from memory when the task ends. */
typedef struct
{
  char *path;
  char *passphrase;
} PassphraseJob;

static void
passphrase_job_free (gpointer data)
{
  PassphraseJob *job = data;

  g_free (job->path);
  if (job->passphrase != NULL)
    {
      sodium_memzero (job->passphrase, strlen (job->passphrase));
      g_free (job->passphrase);
    }
  g_free (job);
}

static GTask *
new_job_task (const char          *path,
              const char          *passphrase,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data,
              gpointer             source_tag)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  PassphraseJob *job = g_new0 (PassphraseJob, 1);

  job->path = g_strdup (path);
  job->passphrase = g_strdup (passphrase);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, job, passphrase_job_free);
  return task;
}

static void
verify_worker (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  PassphraseJob *job = task_data;
  GError *error = NULL;

  if (tsu_passphrase_verify (job->path, job->passphrase, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
tsu_passphrase_verify_async (const char          *path,
                             const char          *passphrase,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (path != NULL);
  g_return_if_fail (passphrase != NULL);

  task = new_job_task (path, passphrase, cancellable, callback, user_data,
                       tsu_passphrase_verify_async);
  g_task_run_in_thread (task, verify_worker);
}

gboolean
tsu_passphrase_verify_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
set_worker (GTask        *task,
            gpointer      source,
            gpointer      task_data,
            GCancellable *cancellable)
{
  PassphraseJob *job = task_data;
  GError *error = NULL;

  if (tsu_passphrase_set (job->path, job->passphrase, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
tsu_passphrase_set_async (const char          *path,
                          const char          *passphrase,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (path != NULL);
  g_return_if_fail (passphrase != NULL);

  task = new_job_task (path, passphrase, cancellable, callback, user_data,
                       tsu_passphrase_set_async);
  g_task_run_in_thread (task, set_worker);
}

gboolean
tsu_passphrase_set_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
