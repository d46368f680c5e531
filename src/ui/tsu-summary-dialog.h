/* tsu-summary-dialog.h: choosing and exporting a visit summary
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tsu-store.h"

G_BEGIN_DECLS

#define TSU_TYPE_SUMMARY_DIALOG (tsu_summary_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TsuSummaryDialog, tsu_summary_dialog, TSU, SUMMARY_DIALOG, AdwWindow)

TsuSummaryDialog *tsu_summary_dialog_new (GtkWindow *parent,
                                          TsuStore  *store);
/* The ids of the districts ticked, or NULL when all are (NULL-terminated). */
char            **tsu_summary_dialog_dup_district_ids (TsuSummaryDialog *self);

G_END_DECLS
