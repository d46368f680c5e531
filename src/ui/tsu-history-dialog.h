/* tsu-history-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tsu-store.h"

G_BEGIN_DECLS

#define TSU_TYPE_HISTORY_DIALOG (tsu_history_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TsuHistoryDialog, tsu_history_dialog, TSU, HISTORY_DIALOG, AdwWindow)

TsuHistoryDialog *tsu_history_dialog_new        (GtkWindow        *parent,
                                                 TsuStore         *store,
                                                 const char       *household_id);
guint             tsu_history_dialog_get_n_rows (TsuHistoryDialog *self);

G_END_DECLS
