/* tsu-privacy.h: keeping personal data on this computer to its owner
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Files holding personal data are readable by their owner only: 0600 for
 * files, 0700 for folders. */
#define TSU_PRIVATE_FILE_MODE 0600
#define TSU_PRIVATE_DIR_MODE  0700

gboolean           tsu_privacy_ensure_private_dir     (const char    *path,
                                                       GError       **error);
GFileOutputStream *tsu_privacy_create_private_file    (GFile         *file,
                                                       GCancellable  *cancellable,
                                                       GError       **error);
gboolean           tsu_privacy_write_private_file     (const char    *path,
                                                       const char    *contents,
                                                       gssize         length,
                                                       GError       **error);
gboolean           tsu_privacy_prepare_database_file  (const char    *path,
                                                       GError       **error);
gboolean           tsu_privacy_restrict_database_files (const char   *path,
                                                        GError      **error);

typedef enum
{
  TSU_ENCRYPTION_UNKNOWN,       /* could not tell (network or FUSE file system, no /proc) */
  TSU_ENCRYPTION_NONE,          /* on a disk without encryption */
  TSU_ENCRYPTION_ENCRYPTED,     /* dm-crypt/LUKS underneath, eCryptfs or fscrypt */
  TSU_ENCRYPTION_MEMORY,        /* tmpfs/ramfs: gone at power-off */
} TsuEncryptionStatus;

/* What was found out about the volume that holds a path. */
typedef struct
{
  TsuEncryptionStatus  status;
  char                *path;          /* the path that was asked about */
  char                *mount_point;
  char                *fs_type;
  char                *source;        /* mount source, e.g. /dev/mapper/luks-… */
  char                *mechanism;     /* "LUKS", "dm-crypt", "eCryptfs", "fscrypt" or NULL */
} TsuEncryptionInfo;

void                tsu_encryption_info_free          (TsuEncryptionInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsuEncryptionInfo, tsu_encryption_info_free)

TsuEncryptionInfo  *tsu_privacy_check_encryption      (const char    *path);
TsuEncryptionInfo  *tsu_privacy_check_encryption_full (const char    *path,
                                                       const char    *mountinfo,
                                                       const char    *sysfs_root);
void                tsu_privacy_check_encryption_async  (const char          *path,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
TsuEncryptionInfo  *tsu_privacy_check_encryption_finish (GAsyncResult        *result,
                                                         GError             **error);

const char         *tsu_encryption_status_to_string   (TsuEncryptionStatus status);
char               *tsu_encryption_info_describe      (const TsuEncryptionInfo *info);
char               *tsu_encryption_info_advice        (const TsuEncryptionInfo *info);

G_END_DECLS
