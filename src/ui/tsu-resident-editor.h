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

/* @resident_id: NULL to add a member to @household_id. Emits "loaded"
 * once an existing member has been read (saving is off until then) and
 * "saved" (resident id) after the write, then closes. */
GtkWidget *tsu_resident_editor_new        (TsuStore          *store,
                                           const char        *household_id,
                                           const char        *resident_id);
gboolean   tsu_resident_editor_get_loaded (TsuResidentEditor *self);

G_END_DECLS
