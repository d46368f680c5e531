/* tsu-sync-page.h: export and import changesets, review conflicts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tsu-store.h"

G_BEGIN_DECLS

#define TSU_TYPE_SYNC_PAGE (tsu_sync_page_get_type ())
G_DECLARE_FINAL_TYPE (TsuSyncPage, tsu_sync_page, TSU, SYNC_PAGE, GtkWidget)

GtkWidget  *tsu_sync_page_new              (TsuStore    *store);
/* What the buttons do after their file chooser; also for a sync folder. */
void        tsu_sync_page_export_to_file   (TsuSyncPage *self,
                                            GFile       *file);
void        tsu_sync_page_import_from_file (TsuSyncPage *self,
                                            GFile       *file);
/* With the sync folder (GSettings sync-folder): imports every
 * tsunagu-to-device-*.json file in it, then exports into it. */
void        tsu_sync_page_sync_folder      (TsuSyncPage *self);
void        tsu_sync_page_reload           (TsuSyncPage *self);
guint       tsu_sync_page_get_n_conflicts  (TsuSyncPage *self);
const char *tsu_sync_page_get_summary      (TsuSyncPage *self);
gboolean    tsu_sync_page_is_busy          (TsuSyncPage *self);

G_END_DECLS
