/* tsu-encryption-banner.h: a warning while the records are on an unencrypted disk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tsu-privacy.h"

G_BEGIN_DECLS

#define TSU_TYPE_ENCRYPTION_BANNER (tsu_encryption_banner_get_type ())
G_DECLARE_FINAL_TYPE (TsuEncryptionBanner, tsu_encryption_banner, TSU, ENCRYPTION_BANNER, GtkWidget)

GtkWidget               *tsu_encryption_banner_new      (void);
void                     tsu_encryption_banner_check    (TsuEncryptionBanner     *self,
                                                         const char              *path);
void                     tsu_encryption_banner_set_info (TsuEncryptionBanner     *self,
                                                         const TsuEncryptionInfo *info);
TsuEncryptionStatus      tsu_encryption_banner_get_status (TsuEncryptionBanner   *self);
const char              *tsu_encryption_banner_get_advice (TsuEncryptionBanner   *self);

G_END_DECLS
