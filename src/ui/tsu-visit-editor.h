/* tsu-visit-editor.h: the window in which a visit is logged or edited
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tsu-store.h"

G_BEGIN_DECLS

#define TSU_TYPE_VISIT_EDITOR (tsu_visit_editor_get_type ())
G_DECLARE_FINAL_TYPE (TsuVisitEditor, tsu_visit_editor, TSU, VISIT_EDITOR, AdwWindow)

/* @visit_id: NULL for a new visit. The editor is ready for input when this
 * returns; "saved" (visit id) is emitted once the visit is committed to the
 * database, just before the editor closes. */
TsuVisitEditor *tsu_visit_editor_new          (TsuStore       *store,
                                               const char     *household_id,
                                               const char     *visit_id);
const char     *tsu_visit_editor_get_household_id (TsuVisitEditor *self);
const char     *tsu_visit_editor_get_visit_id (TsuVisitEditor *self);
/* The fields as they would be saved now (for tests and drafts). */
JsonObject     *tsu_visit_editor_get_fields   (TsuVisitEditor *self);
/* Same as the Save button: validates, then saves in a worker thread. */
void            tsu_visit_editor_save         (TsuVisitEditor *self);
/* Opens an editor for @household_id over @parent's window and presents it. */
TsuVisitEditor *tsu_visit_editor_open         (GtkWidget      *parent,
                                               TsuStore       *store,
                                               const char     *household_id,
                                               const char     *visit_id);

G_END_DECLS
