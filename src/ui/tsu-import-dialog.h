/* tsu-import-dialog.h: importing households from a CSV file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tsu-store.h"

G_BEGIN_DECLS

#define TSU_TYPE_IMPORT_DIALOG (tsu_import_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TsuImportDialog, tsu_import_dialog, TSU, IMPORT_DIALOG, AdwWindow)

/* Signal "changed" (no arguments): households were imported, or an import
 * was undone; lists and the map should reload. */
TsuImportDialog *tsu_import_dialog_new        (GtkWindow       *parent,
                                               TsuStore        *store);
/* Starts with FILE chosen (a dropped file; tests). */
void             tsu_import_dialog_open_file  (TsuImportDialog *self,
                                               GFile           *file);
void             tsu_import_dialog_set_towns  (TsuImportDialog *self,
                                               GFile           *file);
/* "choose", "mapping", "preview", "working" or "done". */
const char      *tsu_import_dialog_get_page   (TsuImportDialog *self);
/* The batch written by the import, once the page is "done". */
const char      *tsu_import_dialog_get_batch  (TsuImportDialog *self);

G_END_DECLS
