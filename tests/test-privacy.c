/* test-privacy.c: owner-only files and the detection of encrypted volumes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sys/stat.h>

#include "tsu-privacy.h"
#include "tsu-store-private.h"

typedef struct
{
  char   *dir;
  mode_t  old_umask;
} Fixture;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* The usual desktop umask: without our care, files come out 0644. */
  fixture->old_umask = umask (022);
  fixture->dir = g_dir_make_tmp ("tsu-test-privacy-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  umask (fixture->old_umask);
}

static int
mode_of (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 07777;
}

static void
test_store_files_private (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *data_dir = g_build_filename (fixture->dir, "data", "jp.tsunagu.Tsunagu", NULL);
  g_autofree char *path = g_build_filename (data_dir, "tsunagu.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autoptr(TsuStore) store = NULL;
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  store = tsu_store_open (path, &error);
  g_assert_no_error (error);

  /* A write makes SQLite create the WAL and shared-memory files. */
  json_object_set_string_member (fields, "name", "上野南部");
  id = tsu_store_create (store, "district", fields, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);

  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (shm, G_FILE_TEST_EXISTS));
  g_assert_cmpint (mode_of (path), ==, 0600);
  g_assert_cmpint (mode_of (wal), ==, 0600);
  g_assert_cmpint (mode_of (shm), ==, 0600);
  g_assert_cmpint (mode_of (data_dir), ==, 0700);
}

static void
test_store_tightens_old_file (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "old.db", NULL);
  g_autoptr(TsuStore) store = NULL;
  g_autoptr(GError) error = NULL;

  /* A database left world-readable by an earlier version or a copy. */
  store = tsu_store_open (path, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  g_assert_cmpint (g_chmod (fixture->dir, 0755), ==, 0);
  g_assert_cmpint (mode_of (path), ==, 0644);

  store = tsu_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (mode_of (path), ==, 0600);
  g_assert_cmpint (mode_of (fixture->dir), ==, 0700);
}

static void
test_secure_delete (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "wipe.db", NULL);
  g_autoptr(TsuStore) store = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;

  /* secure_delete is a setting of the connection, not of the file, so it
   * is read back from the store's own connection. */
  store = tsu_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (_tsu_store_prepare (store, "PRAGMA secure_delete", &stmt, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
}

static void
test_private_file (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "export.json", NULL);
  g_autofree char *small = g_build_filename (fixture->dir, "small.txt", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;

  out = tsu_privacy_create_private_file (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (G_OUTPUT_STREAM (out), "{}", 2, NULL, NULL, &error));
  g_assert_true (g_output_stream_close (G_OUTPUT_STREAM (out), NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (mode_of (path), ==, 0600);

  /* Replacing a file someone made world-readable leaves a private one. */
  g_clear_object (&out);
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  out = tsu_privacy_create_private_file (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (G_OUTPUT_STREAM (out), "[]", 2, NULL, NULL, &error));
  g_assert_true (g_output_stream_close (G_OUTPUT_STREAM (out), NULL, &error));
  g_assert_cmpint (mode_of (path), ==, 0600);
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_cmpstr (contents, ==, "[]");

  g_assert_true (tsu_privacy_write_private_file (small, "abc", -1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (mode_of (small), ==, 0600);
}

static void
test_private_dir (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *nested = g_build_filename (fixture->dir, "a", "b", NULL);
  g_autofree char *parent = g_build_filename (fixture->dir, "a", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (tsu_privacy_ensure_private_dir (nested, &error));
  g_assert_no_error (error);
  g_assert_cmpint (mode_of (nested), ==, 0700);
  g_assert_cmpint (mode_of (parent), ==, 0700);

  /* A folder that existed is not ours to chmod (a database kept in /tmp
   * must never make /tmp private)... */
  g_assert_cmpint (g_chmod (nested, 0755), ==, 0);
  g_assert_true (tsu_privacy_ensure_private_dir (nested, &error));
  g_assert_cmpint (mode_of (nested), ==, 0755);

  /* ...except the app's own data folder, which is tightened. */
  {
    g_autofree char *own = g_build_filename (fixture->dir, APP_ID, NULL);

    g_assert_cmpint (g_mkdir (own, 0755), ==, 0);
    g_assert_true (tsu_privacy_ensure_private_dir (own, &error));
    g_assert_cmpint (mode_of (own), ==, 0700);
  }
}

/* A fake sysfs: block devices with their dm uuid, name and slaves. */
static void
add_block (const char *sysfs,
           const char *name,
           const char *devno,
           const char *dm_uuid,
           const char *dm_name,
           const char *slave)
{
  g_autofree char *class_dir = g_build_filename (sysfs, "class", "block", name, NULL);
  g_autofree char *dev_dir = g_build_filename (sysfs, "dev", "block", NULL);
  g_autofree char *dev_link = g_build_filename (dev_dir, devno, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (class_dir, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (dev_dir, 0700), ==, 0);
  /* As in the real sysfs, dev/block/MAJ:MIN points at the device. */
  g_assert_cmpint (symlink (class_dir, dev_link), ==, 0);

  if (dm_uuid != NULL)
    {
      g_autofree char *dm_dir = g_build_filename (class_dir, "dm", NULL);
      g_autofree char *uuid = g_build_filename (dm_dir, "uuid", NULL);
      g_autofree char *dmname = g_build_filename (dm_dir, "name", NULL);

      g_assert_cmpint (g_mkdir_with_parents (dm_dir, 0700), ==, 0);
      g_assert_true (g_file_set_contents (uuid, dm_uuid, -1, &error));
      g_assert_true (g_file_set_contents (dmname, dm_name, -1, &error));
    }
  if (slave != NULL)
    {
      g_autofree char *slave_dir = g_build_filename (class_dir, "slaves", slave, NULL);
      g_assert_cmpint (g_mkdir_with_parents (slave_dir, 0700), ==, 0);
    }
}

/* Mounts as a Debian laptop with LVM on LUKS, a plain USB stick, a tmpfs,
 * an NFS home, an eCryptfs private folder and a btrfs volume on LUKS. */
static const char mountinfo[] =
  "22 1 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw\n"
  "23 1 0:22 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw\n"
  "26 1 254:1 / / rw,relatime shared:1 - ext4 /dev/mapper/vg-root rw,errors=remount-ro\n"
  "40 26 8:17 / /media/user/USB\\040STICK rw,nosuid,nodev shared:300 - vfat /dev/sdb1 rw,fmask=0022\n"
  "41 26 0:35 / /tmp rw,nosuid,nodev shared:20 - tmpfs tmpfs rw\n"
  "42 26 0:50 / /srv/nfshome rw,relatime shared:40 - nfs4 server:/home rw,vers=4.2\n"
  "43 26 0:51 / /home/eve/Private rw,relatime shared:41 - ecryptfs /home/eve/.Private rw,ecryptfs_sig=abc\n"
  "44 26 0:52 / /data rw,relatime shared:42 - btrfs /dev/mapper/luks-1234 rw,space_cache=v2\n"
  "45 26 8:2 / /plain rw,relatime shared:43 - ext4 /dev/sda2 rw\n"
  "46 45 8:3 / /plain/inner rw,relatime shared:44 - ext4 /dev/sda3 rw\n";

static void
test_encryption_detection (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *sysfs = g_build_filename (fixture->dir, "sys", NULL);
  static const struct {
    const char          *path;
    TsuEncryptionStatus  status;
    const char          *mechanism;
    const char          *mount_point;
  } cases[] = {
    /* Paths below an existing "/" that do not exist here. */
    { "/home/nobody-tsu/.local/share/jp.tsunagu.Tsunagu/tsunagu.db", TSU_ENCRYPTION_ENCRYPTED, "LUKS", "/" },
    { "/media/user/USB STICK/export.json", TSU_ENCRYPTION_NONE, NULL, "/media/user/USB STICK" },
    { "/media/user/USB STICKY/x", TSU_ENCRYPTION_ENCRYPTED, "LUKS", "/" },
    { "/srv/nfshome/a/tsunagu.db", TSU_ENCRYPTION_UNKNOWN, NULL, "/srv/nfshome" },
    { "/home/eve/Private/tsunagu.db", TSU_ENCRYPTION_ENCRYPTED, "eCryptfs", "/home/eve/Private" },
    { "/data/tsunagu.db", TSU_ENCRYPTION_ENCRYPTED, "LUKS", "/data" },
    { "/plain/tsunagu.db", TSU_ENCRYPTION_NONE, NULL, "/plain" },
    { "/plain/inner/deeper/tsunagu.db", TSU_ENCRYPTION_NONE, NULL, "/plain/inner" },
  };

  /* dm-1 (vg-root, LVM) sits on dm-0 (LUKS) which sits on nvme0n1p3. */
  add_block (sysfs, "nvme0n1p3", "259:3", NULL, NULL, NULL);
  add_block (sysfs, "dm-0", "254:0", "CRYPT-LUKS2-0123456789abcdef-nvme0n1p3_crypt", "nvme0n1p3_crypt", "nvme0n1p3");
  add_block (sysfs, "dm-1", "254:1", "LVM-abcdefABCDEF0123456789", "vg-root", "dm-0");
  add_block (sysfs, "sdb1", "8:17", NULL, NULL, NULL);
  add_block (sysfs, "dm-2", "254:2", "CRYPT-LUKS1-fedcba-luks-1234", "luks-1234", "sdc1");
  add_block (sysfs, "sdc1", "8:33", NULL, NULL, NULL);
  add_block (sysfs, "sda2", "8:2", NULL, NULL, NULL);
  add_block (sysfs, "sda3", "8:3", NULL, NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TsuEncryptionInfo) info = tsu_privacy_check_encryption_full (cases[i].path, mountinfo, sysfs);
      g_autofree char *advice = tsu_encryption_info_advice (info);
      g_autofree char *summary = tsu_encryption_info_describe (info);

      g_test_message ("%s: %s (%s)", cases[i].path, summary, info->fs_type);
      g_assert_cmpstr (tsu_encryption_status_to_string (info->status), ==,
                       tsu_encryption_status_to_string (cases[i].status));
      g_assert_cmpstr (info->mechanism, ==, cases[i].mechanism);
      g_assert_cmpstr (info->mount_point, ==, cases[i].mount_point);
      g_assert_nonnull (strstr (advice, cases[i].path));
    }

  {
    g_autoptr(TsuEncryptionInfo) info = tsu_privacy_check_encryption_full ("/tmp/x.db", mountinfo, sysfs);
    g_assert_cmpint (info->status, ==, TSU_ENCRYPTION_MEMORY);
    g_assert_cmpstr (info->fs_type, ==, "tmpfs");
  }
  {
    /* No mount table at all (no /proc): unknown, never "encrypted". */
    g_autoptr(TsuEncryptionInfo) info = tsu_privacy_check_encryption_full ("/x", NULL, sysfs);
    g_assert_cmpint (info->status, ==, TSU_ENCRYPTION_UNKNOWN);
  }
  {
    /* Garbage lines are skipped. */
    g_autoptr(TsuEncryptionInfo) info = tsu_privacy_check_encryption_full ("/x", "junk\n1 2 3\n\n", sysfs);
    g_assert_cmpint (info->status, ==, TSU_ENCRYPTION_UNKNOWN);
    g_assert_null (info->mount_point);
  }
}

static void
on_checked_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  TsuEncryptionInfo **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = tsu_privacy_check_encryption_finish (result, &error);
  g_assert_no_error (error);
}

static void
test_encryption_this_machine (Fixture       *fixture,
                              gconstpointer  data)
{
  TsuEncryptionInfo *info = NULL;

  /* Whatever this machine is, the real check finds a mount for a real path. */
  tsu_privacy_check_encryption_async (fixture->dir, NULL, on_checked_cb, &info);
  while (info == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_test_message ("%s: %s on %s (%s)", fixture->dir, tsu_encryption_status_to_string (info->status),
                  info->mount_point, info->fs_type);
  g_assert_nonnull (info->mount_point);
  g_assert_nonnull (info->fs_type);
  tsu_encryption_info_free (info);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/privacy/store-files-private", Fixture, NULL, fixture_setup, test_store_files_private, fixture_teardown);
  g_test_add ("/privacy/store-tightens-old-file", Fixture, NULL, fixture_setup, test_store_tightens_old_file, fixture_teardown);
  g_test_add ("/privacy/secure-delete", Fixture, NULL, fixture_setup, test_secure_delete, fixture_teardown);
  g_test_add ("/privacy/private-file", Fixture, NULL, fixture_setup, test_private_file, fixture_teardown);
  g_test_add ("/privacy/private-dir", Fixture, NULL, fixture_setup, test_private_dir, fixture_teardown);
  g_test_add ("/privacy/encryption-detection", Fixture, NULL, fixture_setup, test_encryption_detection, fixture_teardown);
  g_test_add ("/privacy/encryption-this-machine", Fixture, NULL, fixture_setup, test_encryption_this_machine, fixture_teardown);

  return g_test_run ();
}
