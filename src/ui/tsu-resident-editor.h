/* tsu-resident-editor.h: add, edit or move one member of a household
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tsu-store.h"

G_BEGIN_DECLS

#define TSU_TYPE_RESIDENT_EDITOR (tsu_resident_editor_get_type ())
G_DECLARE_FINAL_TYPE (TsuResidentEditor, tsu_resident_editor, TSU, RESIDENT_EDITOR, AdwWindow)

/* @resident_id: NULL to add a member to @household_id. Emits "saved"
 * (resident id) after the write. */
GtkWidget *tsu_resident_editor_new (TsuStore   *store,
                                    const char *household_id,
                                    const char *resident_id);

G_END_DECLS
