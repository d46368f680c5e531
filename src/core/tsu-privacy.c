/* tsu-privacy.c: owner-only files and the encryption of the data folder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The database holds health, disability and income details of thousands of
 * people. Two things protect it on a laptop: permissions keep other local
 * accounts out, and disk encryption keeps out whoever finds the laptop.
 * The app cannot encrypt the disk, but it can tell whether the disk is
 * encrypted and say so plainly.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <linux/fscrypt.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tsu-privacy.h"
#include "tsu-store-error.h"

/* Tightens the mode of an existing file or folder we own. Someone else's
 * file is left alone: chmod would fail anyway, and it is not ours to fix. */
static gboolean
restrict_mode (const char  *path,
               mode_t       mode,
               GError     **error)
{
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    {
      int saved_errno = errno;

      if (saved_errno == ENOENT)
        return TRUE;
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_IO,
                   _("Could not check the permissions of “%s”: %s"),
                   path, g_strerror (saved_errno));
      return FALSE;
    }

  if (S_ISLNK (st.st_mode) || st.st_uid != getuid ())
    return TRUE;

  if ((st.st_mode & 07777) == mode)
    return TRUE;

  if (g_chmod (path, mode) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_IO,
                   _("Could not make “%s” private to its owner: %s"),
                   path, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

/**
 * tsu_privacy_ensure_private_dir:
 * @path: a folder
 *
 * Creates @path and its missing parents with mode 0700. A folder that
 * already existed is tightened to 0700 only if it is the app's own data
 * folder (named after the app id): parents, the user's home or /tmp are
 * not ours to chmod.
 */
gboolean
tsu_privacy_ensure_private_dir (const char  *path,
                                GError     **error)
{
  gboolean existed;

  g_return_val_if_fail (path != NULL, FALSE);

  existed = g_file_test (path, G_FILE_TEST_IS_DIR);
  if (g_mkdir_with_parents (path, TSU_PRIVATE_DIR_MODE) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_IO,
                   _("Could not create the folder “%s”: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }

  /* Tighten a folder that already existed only when it is the app's own
   * data folder: a file kept in /tmp or ~/Documents must never change
   * the mode of the folder it was put in. */
  if (existed)
    {
      g_autofree char *base = g_path_get_basename (path);

      if (!g_str_equal (base, APP_ID))
        return TRUE;
    }
  return restrict_mode (path, TSU_PRIVATE_DIR_MODE, error);
}

/**
 * tsu_privacy_create_private_file:
 * @file: the file to create or replace
 *
 * Opens @file for writing, readable and writable by its owner only (0600),
 * whatever the umask. An existing file is replaced atomically when the
 * stream is closed. Use this for every export, report and cache file that
 * may contain personal data.
 *
 * Returns: (transfer full): the stream, or %NULL with @error set
 */
GFileOutputStream *
tsu_privacy_create_private_file (GFile         *file,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  /* G_FILE_CREATE_PRIVATE makes GIO create the file (or its temporary
   * replacement) with 0600 instead of copying the old file's mode. */
  stream = g_file_replace (file, NULL, FALSE,
                           G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                           cancellable, &local_error);
  if (stream == NULL)
    {
      g_autofree char *name = g_file_get_parse_name (file);

      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_IO,
                     _("Could not create “%s”: %s"), name, local_error->message);
      return NULL;
    }
  return g_steal_pointer (&stream);
}

/**
 * tsu_privacy_write_private_file:
 * @path: the file to write
 * @contents: the bytes
 * @length: their length, or -1 for a nul-terminated string
 *
 * Writes a small file atomically with mode 0600.
 */
gboolean
tsu_privacy_write_private_file (const char  *path,
                                const char  *contents,
                                gssize       length,
                                GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (contents != NULL || length == 0, FALSE);

  if (!g_file_set_contents_full (path, contents, length,
                                 G_FILE_SET_CONTENTS_CONSISTENT,
                                 TSU_PRIVATE_FILE_MODE, &local_error))
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_IO,
                   _("Could not write “%s”: %s"), path, local_error->message);
      return FALSE;
    }
  return TRUE;
}

/**
 * tsu_privacy_prepare_database_file:
 * @path: where the SQLite database is or will be
 *
 * Call before sqlite3_open on @path. SQLite creates a new database with
 * mode 0644, and its -wal and -shm files copy the database file's mode,
 * so creating the empty file with 0600 first keeps all three private.
 */
gboolean
tsu_privacy_prepare_database_file (const char  *path,
                                   GError     **error)
{
  int fd;

  g_return_val_if_fail (path != NULL, FALSE);

  if (g_str_equal (path, ":memory:"))
    return TRUE;

  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, TSU_PRIVATE_FILE_MODE);
  if (fd < 0)
    {
      int saved_errno = errno;

      if (saved_errno == EEXIST)
        return TRUE;  /* tightened after a successful open instead */
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_IO,
                   _("Could not create “%s”: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }

  /* The umask may have taken more away, never added: fchmod makes it
   * exactly 0600 so that the owner can always write. */
  if (fchmod (fd, TSU_PRIVATE_FILE_MODE) != 0)
    g_debug ("fchmod on a new database file failed: %s", g_strerror (errno));
  close (fd);
  return TRUE;
}

/**
 * tsu_privacy_restrict_database_files:
 * @path: an SQLite database that was opened successfully
 *
 * Makes the database, its -wal, -shm and -journal files and its folder
 * owner-only. Databases made by older versions (or copied in with a
 * generous umask) are fixed this way on the next open.
 */
gboolean
tsu_privacy_restrict_database_files (const char  *path,
                                     GError     **error)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };
  g_autofree char *dir = NULL;

  g_return_val_if_fail (path != NULL, FALSE);

  if (g_str_equal (path, ":memory:"))
    return TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      if (!restrict_mode (file, TSU_PRIVATE_FILE_MODE, error))
        return FALSE;
    }

  dir = g_path_get_dirname (path);
  return restrict_mode (dir, TSU_PRIVATE_DIR_MODE, error);
}

/* Encryption of the data folder. */

void
tsu_encryption_info_free (TsuEncryptionInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->path);
  g_free (info->mount_point);
  g_free (info->fs_type);
  g_free (info->source);
  g_free (info->mechanism);
  g_free (info);
}

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static char *
unescape_mount_field (const char *field)
{
  GString *out = g_string_new (NULL);

  for (const char *p = field; *p != '\0'; p++)
    {
      if (p[0] == '\\' &&
          p[1] >= '0' && p[1] <= '3' &&
          p[2] >= '0' && p[2] <= '7' &&
          p[3] >= '0' && p[3] <= '7')
        {
          g_string_append_c (out, (char) (((p[1] - '0') << 6) | ((p[2] - '0') << 3) | (p[3] - '0')));
          p += 3;
        }
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static gboolean
path_is_under (const char *path,
               const char *mount_point)
{
  gsize len = strlen (mount_point);

  if (g_str_equal (mount_point, "/"))
    return TRUE;
  return strncmp (path, mount_point, len) == 0 &&
         (path[len] == '\0' || path[len] == '/');
}

/* The absolute, symlink-free form of @path, which need not exist yet:
 * the nearest existing ancestor is resolved and the rest appended. */
static char *
canonical_path (const char *path)
{
  g_autofree char *cwd = g_get_current_dir ();
  g_autofree char *abs = g_canonicalize_filename (path, cwd);
  g_autoptr(GString) rest = g_string_new (NULL);
  g_autofree char *current = g_strdup (abs);

  while (TRUE)
    {
      g_autofree char *resolved = realpath (current, NULL);

      if (resolved != NULL)
        {
          if (rest->len == 0)
            return g_steal_pointer (&resolved);
          if (g_str_equal (resolved, "/"))
            return g_strconcat (rest->str, NULL);
          return g_strconcat (resolved, rest->str, NULL);
        }
      if (g_str_equal (current, "/"))
        return g_steal_pointer (&abs);

      {
        g_autofree char *base = g_path_get_basename (current);
        g_autofree char *parent = g_path_get_dirname (current);

        g_string_prepend (rest, base);
        g_string_prepend_c (rest, '/');
        g_free (current);
        current = g_steal_pointer (&parent);
      }
    }
}

static char *
read_sysfs_line (const char *path)
{
  g_autofree char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;
  g_strchomp (contents);
  return g_steal_pointer (&contents);
}

/* Looks at a block device in sysfs (its directory under class/block or
 * dev/block) and at the devices it is stacked on: LVM on LUKS, the usual
 * layout of an encrypted Debian or Ubuntu install, is a dm device whose
 * slave is the dm-crypt device. */
static char *
find_crypt_mechanism (const char *sysfs_root,
                      const char *block_dir,
                      guint       depth)
{
  g_autofree char *uuid_path = g_build_filename (block_dir, "dm", "uuid", NULL);
  g_autofree char *uuid = read_sysfs_line (uuid_path);
  g_autofree char *slaves_path = NULL;
  g_autoptr(GDir) slaves = NULL;
  const char *name;

  if (uuid != NULL && g_str_has_prefix (uuid, "CRYPT-"))
    return g_strdup (g_str_has_prefix (uuid, "CRYPT-LUKS") ? "LUKS" : "dm-crypt");

  if (depth >= 8)
    return NULL;

  slaves_path = g_build_filename (block_dir, "slaves", NULL);
  slaves = g_dir_open (slaves_path, 0, NULL);
  while (slaves != NULL && (name = g_dir_read_name (slaves)) != NULL)
    {
      g_autofree char *slave_dir = g_build_filename (sysfs_root, "class", "block", name, NULL);
      char *mechanism = find_crypt_mechanism (sysfs_root, slave_dir, depth + 1);

      if (mechanism != NULL)
        return mechanism;
    }
  return NULL;
}

/* For mounts whose device number is not a block device (btrfs reports an
 * anonymous 0:N), the mount source names the device instead. */
static char *
block_dir_for_source (const char *sysfs_root,
                      const char *source)
{
  g_autofree char *base = NULL;

  if (source == NULL || !g_str_has_prefix (source, "/dev/"))
    return NULL;

  base = g_path_get_basename (source);
  if (g_str_has_prefix (source, "/dev/mapper/"))
    {
      g_autofree char *class_dir = g_build_filename (sysfs_root, "class", "block", NULL);
      g_autoptr(GDir) dir = g_dir_open (class_dir, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *name_path = g_build_filename (class_dir, name, "dm", "name", NULL);
          g_autofree char *dm_name = read_sysfs_line (name_path);

          if (dm_name != NULL && g_str_equal (dm_name, base))
            return g_build_filename (class_dir, name, NULL);
        }
      return NULL;
    }
  return g_build_filename (sysfs_root, "class", "block", base, NULL);
}

static gboolean
is_memory_fs (const char *fs_type)
{
  return g_str_equal (fs_type, "tmpfs") || g_str_equal (fs_type, "ramfs");
}

/* File systems whose backing store is somewhere this computer cannot see. */
static gboolean
is_remote_fs (const char *fs_type)
{
  static const char * const remote[] = {
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "virtiofs", "sshfs",
    "afs", "ceph", "glusterfs", "davfs", "overlay", "zfs",
  };

  if (g_str_has_prefix (fs_type, "fuse"))
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (remote); i++)
    if (g_str_equal (fs_type, remote[i]))
      return TRUE;
  return FALSE;
}

/**
 * tsu_privacy_check_encryption_full:
 * @path: a file or folder (need not exist yet)
 * @mountinfo: the text of /proc/self/mountinfo
 * @sysfs_root: where sysfs is mounted, normally "/sys"
 *
 * Finds the mount that holds @path and works out whether what lies under
 * it is encrypted. Takes its inputs as arguments so that tests can feed
 * sample mount tables; the app calls tsu_privacy_check_encryption().
 *
 * Returns: (transfer full): what was found
 */
TsuEncryptionInfo *
tsu_privacy_check_encryption_full (const char *path,
                                   const char *mountinfo,
                                   const char *sysfs_root)
{
  g_autoptr(TsuEncryptionInfo) info = g_new0 (TsuEncryptionInfo, 1);
  g_auto(GStrv) lines = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *devno = NULL;
  g_autofree char *block_dir = NULL;
  gsize best_len = 0;
  gboolean found = FALSE;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (sysfs_root != NULL, NULL);

  info->path = g_strdup (path);
  info->status = TSU_ENCRYPTION_UNKNOWN;
  if (mountinfo == NULL)
    return g_steal_pointer (&info);

  canonical = canonical_path (path);
  lines = g_strsplit (mountinfo, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], " ", -1);
      g_autofree char *mount_point = NULL;
      guint n = g_strv_length (fields);
      guint sep;

      /* id parent major:minor root mount-point options [optional…] - type source super */
      if (n < 7)
        continue;
      for (sep = 6; sep < n && !g_str_equal (fields[sep], "-"); sep++)
        ;
      if (sep + 2 >= n)
        continue;

      mount_point = unescape_mount_field (fields[4]);
      if (!path_is_under (canonical, mount_point))
        continue;

      /* Later lines mount over earlier ones at the same place. */
      if (found && strlen (mount_point) < best_len)
        continue;

      found = TRUE;
      best_len = strlen (mount_point);
      g_free (info->mount_point);
      info->mount_point = g_steal_pointer (&mount_point);
      g_free (info->fs_type);
      info->fs_type = g_strdup (fields[sep + 1]);
      g_free (info->source);
      info->source = unescape_mount_field (fields[sep + 2]);
      g_free (devno);
      devno = g_strdup (fields[2]);
    }

  if (!found)
    return g_steal_pointer (&info);

  if (g_str_equal (info->fs_type, "ecryptfs"))
    {
      info->status = TSU_ENCRYPTION_ENCRYPTED;
      info->mechanism = g_strdup ("eCryptfs");
      return g_steal_pointer (&info);
    }

  if (is_memory_fs (info->fs_type))
    {
      info->status = TSU_ENCRYPTION_MEMORY;
      return g_steal_pointer (&info);
    }

  if (is_remote_fs (info->fs_type))
    return g_steal_pointer (&info);

  if (devno != NULL && !g_str_has_prefix (devno, "0:"))
    block_dir = g_build_filename (sysfs_root, "dev", "block", devno, NULL);
  else
    block_dir = block_dir_for_source (sysfs_root, info->source);

  if (block_dir == NULL || !g_file_test (block_dir, G_FILE_TEST_IS_DIR))
    return g_steal_pointer (&info);

  info->mechanism = find_crypt_mechanism (sysfs_root, block_dir, 0);
  info->status = info->mechanism != NULL ? TSU_ENCRYPTION_ENCRYPTED : TSU_ENCRYPTION_NONE;
  return g_steal_pointer (&info);
}

/* fscrypt (ext4/f2fs per-folder encryption, as on Ubuntu's encrypted
 * home option in recent releases) is a property of the folder, not of the
 * device, so it is asked of the nearest existing folder. */
static gboolean
folder_has_fscrypt_policy (const char *path)
{
  g_autofree char *current = g_strdup (path);

  while (!g_file_test (current, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *parent = g_path_get_dirname (current);

      if (g_str_equal (parent, current))
        return FALSE;
      g_free (current);
      current = g_steal_pointer (&parent);
    }

  {
    struct fscrypt_get_policy_ex_arg arg = { 0 };
    int fd = g_open (current, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
    int rc;

    if (fd < 0)
      return FALSE;
    arg.policy_size = sizeof arg.policy;
    rc = ioctl (fd, FS_IOC_GET_ENCRYPTION_POLICY_EX, &arg);
    close (fd);
    return rc == 0;
  }
}

/**
 * tsu_privacy_check_encryption:
 * @path: a file or folder (need not exist yet), normally the database
 *
 * Reads /proc/self/mountinfo and /sys; this is file I/O, so the UI calls
 * tsu_privacy_check_encryption_async().
 *
 * Returns: (transfer full): what was found
 */
TsuEncryptionInfo *
tsu_privacy_check_encryption (const char *path)
{
  g_autofree char *mountinfo = NULL;
  TsuEncryptionInfo *info;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents ("/proc/self/mountinfo", &mountinfo, NULL, NULL))
    g_clear_pointer (&mountinfo, g_free);

  info = tsu_privacy_check_encryption_full (path, mountinfo, "/sys");
  if (info->status != TSU_ENCRYPTION_ENCRYPTED && folder_has_fscrypt_policy (path))
    {
      info->status = TSU_ENCRYPTION_ENCRYPTED;
      g_free (info->mechanism);
      info->mechanism = g_strdup ("fscrypt");
    }
  return info;
}

static void
check_encryption_worker (GTask        *task,
                         gpointer      source,
                         gpointer      task_data,
                         GCancellable *cancellable)
{
  g_task_return_pointer (task, tsu_privacy_check_encryption (task_data),
                         (GDestroyNotify) tsu_encryption_info_free);
}

void
tsu_privacy_check_encryption_async (const char          *path,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tsu_privacy_check_encryption_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, check_encryption_worker);
}

TsuEncryptionInfo *
tsu_privacy_check_encryption_finish (GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
tsu_encryption_status_to_string (TsuEncryptionStatus status)
{
  switch (status)
    {
    case TSU_ENCRYPTION_NONE: return "none";
    case TSU_ENCRYPTION_ENCRYPTED: return "encrypted";
    case TSU_ENCRYPTION_MEMORY: return "memory";
    case TSU_ENCRYPTION_UNKNOWN:
    default: return "unknown";
    }
}

/* A short line for a status row: "Encrypted (LUKS)". */
char *
tsu_encryption_info_describe (const TsuEncryptionInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);

  switch (info->status)
    {
    case TSU_ENCRYPTION_ENCRYPTED:
      /* Translators: %s is an encryption method such as LUKS or fscrypt */
      return g_strdup_printf (_("Encrypted (%s)"), info->mechanism);
    case TSU_ENCRYPTION_NONE:
      return g_strdup (_("Not encrypted"));
    case TSU_ENCRYPTION_MEMORY:
      return g_strdup (_("In memory only"));
    case TSU_ENCRYPTION_UNKNOWN:
    default:
      return g_strdup (_("Encryption unknown"));
    }
}

/* What to tell the user, in full sentences. */
char *
tsu_encryption_info_advice (const TsuEncryptionInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);

  switch (info->status)
    {
    case TSU_ENCRYPTION_ENCRYPTED:
      return g_strdup_printf (_("The records in “%s” are on an encrypted volume (%s). They cannot be read from a lost or stolen laptop while it is switched off. Lock Tsunagu or the screen whenever you leave the computer."),
                              info->path, info->mechanism);
    case TSU_ENCRYPTION_NONE:
      return g_strdup_printf (_("The records in “%s” are on a disk that is not encrypted. Anyone who finds this laptop can read them by taking out the disk. Ask your IT contact to set up full-disk encryption (LUKS, chosen when Linux is installed) or to move the data folder to an encrypted volume, and do not keep real residents’ data here until then."),
                              info->path);
    case TSU_ENCRYPTION_MEMORY:
      return g_strdup_printf (_("The records in “%s” are kept in memory only and are lost when the computer is switched off. This is fine for trying the app with the demo city, not for real data."),
                              info->path);
    case TSU_ENCRYPTION_UNKNOWN:
    default:
      return g_strdup_printf (_("Tsunagu could not tell whether “%s” is on an encrypted disk (file system: %s). Make sure that it is, for example with full-disk encryption (LUKS), before keeping real residents’ data here."),
                              info->path, info->fs_type != NULL ? info->fs_type : _("unknown"));
    }
}
