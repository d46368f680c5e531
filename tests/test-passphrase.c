/* test-passphrase.c: the slow hash of the unlock passphrase
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sodium.h>
#include <sys/stat.h>

#include "tsu-passphrase.h"

/* The moderate limits take a second and 256 MiB per hash; the tests use the
 * minimum, which exercises the same code. One test runs the real ones. */
#define TEST_OPS crypto_pwhash_OPSLIMIT_MIN
#define TEST_MEM crypto_pwhash_MEMLIMIT_MIN

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("tsu-test-passphrase-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "sub", "passphrase", NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *sub = g_path_get_dirname (fixture->path);

  g_unlink (fixture->path);
  g_rmdir (sub);
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static void
test_set_and_verify (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *sub = g_path_get_dirname (fixture->path);
  GStatBuf st;

  g_assert_false (tsu_passphrase_is_set (fixture->path));
  g_assert_false (tsu_passphrase_verify (fixture->path, "whatever-it-is", &error));
  g_assert_error (error, TSU_PASSPHRASE_ERROR, TSU_PASSPHRASE_ERROR_NOT_SET);
  g_clear_error (&error);

  g_assert_true (tsu_passphrase_set_with_limits (fixture->path, "みまもり2026春", TEST_OPS, TEST_MEM, &error));
  g_assert_no_error (error);
  g_assert_true (tsu_passphrase_is_set (fixture->path));

  /* Only the hash is stored, privately. */
  g_assert_cmpint (g_stat (fixture->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);
  g_assert_cmpint (g_stat (sub, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0700);
  g_assert_true (g_file_get_contents (fixture->path, &contents, NULL, &error));
  g_assert_true (g_str_has_prefix (contents, "$argon2id$"));
  g_assert_null (strstr (contents, "みまもり"));

  g_assert_true (tsu_passphrase_verify (fixture->path, "みまもり2026春", &error));
  g_assert_no_error (error);

  g_assert_false (tsu_passphrase_verify (fixture->path, "みまもり2026秋", &error));
  g_assert_error (error, TSU_PASSPHRASE_ERROR, TSU_PASSPHRASE_ERROR_WRONG);
  g_clear_error (&error);

  g_assert_false (tsu_passphrase_verify (fixture->path, "", &error));
  g_assert_error (error, TSU_PASSPHRASE_ERROR, TSU_PASSPHRASE_ERROR_WRONG);
}

static void
test_too_short (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* Seven characters (21 bytes of kana) is still too short. */
  g_assert_false (tsu_passphrase_set_with_limits (fixture->path, "つなぐつなぐつ", TEST_OPS, TEST_MEM, &error));
  g_assert_error (error, TSU_PASSPHRASE_ERROR, TSU_PASSPHRASE_ERROR_TOO_SHORT);
  g_assert_false (tsu_passphrase_is_set (fixture->path));
}

static void
test_damaged_file (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sub = g_path_get_dirname (fixture->path);

  g_assert_cmpint (g_mkdir_with_parents (sub, 0700), ==, 0);
  g_assert_true (g_file_set_contents (fixture->path, "password123\n", -1, &error));
  g_assert_false (tsu_passphrase_verify (fixture->path, "password123", &error));
  g_assert_error (error, TSU_PASSPHRASE_ERROR, TSU_PASSPHRASE_ERROR_FAILED);
}

static void
test_hashes_differ (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a = tsu_passphrase_hash ("correct horse", TEST_OPS, TEST_MEM, &error);
  g_autofree char *b = tsu_passphrase_hash ("correct horse", TEST_OPS, TEST_MEM, &error);

  g_assert_no_error (error);
  /* Random salt: the same passphrase never gives the same file twice. */
  g_assert_cmpstr (a, !=, b);
  g_assert_true (tsu_passphrase_check_hash (a, "correct horse", &error));
  g_assert_true (tsu_passphrase_check_hash (b, "correct horse", &error));
  g_assert_no_error (error);
}

static void
on_done_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_async_moderate (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gint64 start;

  /* The real limits, through the path the UI takes. */
  tsu_passphrase_set_async (fixture->path, "kasumi-yama-2026", NULL, on_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (tsu_passphrase_set_finish (result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  g_assert_true (g_file_get_contents (fixture->path, &contents, NULL, &error));
  g_assert_nonnull (strstr (contents, "m=262144,t=3"));

  start = g_get_monotonic_time ();
  tsu_passphrase_verify_async (fixture->path, "kasumi-yama-2026", NULL, on_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (tsu_passphrase_verify_finish (result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_test_message ("verifying at the moderate limits took %.0f ms",
                  (g_get_monotonic_time () - start) / 1000.0);

  tsu_passphrase_verify_async (fixture->path, "kasumi-yama-2025", NULL, on_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (tsu_passphrase_verify_finish (result, &error));
  g_assert_error (error, TSU_PASSPHRASE_ERROR, TSU_PASSPHRASE_ERROR_WRONG);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/passphrase/set-and-verify", Fixture, NULL, fixture_setup, test_set_and_verify, fixture_teardown);
  g_test_add ("/passphrase/too-short", Fixture, NULL, fixture_setup, test_too_short, fixture_teardown);
  g_test_add ("/passphrase/damaged-file", Fixture, NULL, fixture_setup, test_damaged_file, fixture_teardown);
  g_test_add ("/passphrase/hashes-differ", Fixture, NULL, fixture_setup, test_hashes_differ, fixture_teardown);
  g_test_add ("/passphrase/async-moderate", Fixture, NULL, fixture_setup, test_async_moderate, fixture_teardown);

  return g_test_run ();
}
