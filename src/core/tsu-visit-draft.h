/* tsu-visit-draft.h: unsaved visit editor contents kept across a closed window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tsu-store.h"

G_BEGIN_DECLS

/* @key: the visit id being edited, or "new-" + household id. */
char       *tsu_visit_draft_key    (const char  *household_id,
                                    const char  *visit_id);
gboolean    tsu_visit_draft_save   (TsuStore    *store,
                                    const char  *key,
                                    JsonObject  *fields,
                                    GError     **error);
JsonObject *tsu_visit_draft_load   (TsuStore    *store,
                                    const char  *key);
void        tsu_visit_draft_clear  (TsuStore    *store,
                                    const char  *key);

G_END_DECLS
