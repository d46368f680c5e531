/* tsu-worklist-page.h: the coordinator's daily work list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tsu-store.h"

G_BEGIN_DECLS

#define TSU_TYPE_WORKLIST_PAGE (tsu_worklist_page_get_type ())
G_DECLARE_FINAL_TYPE (TsuWorklistPage, tsu_worklist_page, TSU, WORKLIST_PAGE, AdwBin)

/* Signals:
 *   "open-household" (household_id)          a row was activated
 *   "new-visit" (household_id) → gboolean    the row's "New Visit" button;
 *       return TRUE if handled, otherwise the page opens the visit editor
 *   "loaded" ()                              the list shows current data
 * Properties: "store", "today" (GDate; unset means the real today),
 *   "district-id", "coordinator-id" (NULL: all). */
GtkWidget *tsu_worklist_page_new                (TsuStore        *store);
void       tsu_worklist_page_reload             (TsuWorklistPage *self);
void       tsu_worklist_page_set_today          (TsuWorklistPage *self,
                                                 const GDate     *today);
void       tsu_worklist_page_set_district_id    (TsuWorklistPage *self,
                                                 const char      *district_id);
void       tsu_worklist_page_set_coordinator_id (TsuWorklistPage *self,
                                                 const char      *coordinator_id);
/* TRUE while the page waits for a list it has not shown before. */
gboolean   tsu_worklist_page_get_loading        (TsuWorklistPage *self);
/* Items in one section (TsuWorkSection) as shown now. */
guint      tsu_worklist_page_get_n_items        (TsuWorklistPage *self,
                                                 guint            section);

G_END_DECLS
