/* tsu-lock-page.h: hides the records until the passphrase is entered
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TSU_TYPE_LOCK_PAGE (tsu_lock_page_get_type ())
G_DECLARE_FINAL_TYPE (TsuLockPage, tsu_lock_page, TSU, LOCK_PAGE, GtkWidget)

GtkWidget  *tsu_lock_page_new                 (void);
GtkWidget  *tsu_lock_page_get_content         (TsuLockPage *self);
void        tsu_lock_page_set_content         (TsuLockPage *self,
                                               GtkWidget   *content);
const char *tsu_lock_page_get_passphrase_path (TsuLockPage *self);
void        tsu_lock_page_set_passphrase_path (TsuLockPage *self,
                                               const char  *path);
gboolean    tsu_lock_page_get_locked          (TsuLockPage *self);
void        tsu_lock_page_lock                (TsuLockPage *self);

G_END_DECLS
