/* tsu-household-page.h: one household, its members and its visit history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tsu-store.h"

G_BEGIN_DECLS

#define TSU_TYPE_HOUSEHOLD_PAGE (tsu_household_page_get_type ())
G_DECLARE_FINAL_TYPE (TsuHouseholdPage, tsu_household_page, TSU, HOUSEHOLD_PAGE, AdwBin)

/* Signals:
 *   "loaded" ()                      the page shows the household's current data
 *   "visit-saved" (visit_id)         a visit logged from this page was committed
 *   "household-changed" (household)  an edit, archive or member change was written
 * Actions (reachable by keyboard; Ctrl+N is bound to household.new-visit):
 *   household.new-visit, household.add-resident, household.archive,
 *   household.restore, household.reload */
GtkWidget      *tsu_household_page_new              (TsuStore         *store);
void            tsu_household_page_set_household_id (TsuHouseholdPage *self,
                                                     const char       *household_id);
const char     *tsu_household_page_get_household_id (TsuHouseholdPage *self);
void            tsu_household_page_reload           (TsuHouseholdPage *self);
/* Opens the visit editor for this household (what Ctrl+N does). */
GtkWindow      *tsu_household_page_new_visit        (TsuHouseholdPage *self);
/* How many visits the history shows now (for tests and the benchmark). */
guint           tsu_household_page_get_n_visits     (TsuHouseholdPage *self);

G_END_DECLS
