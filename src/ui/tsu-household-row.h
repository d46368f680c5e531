/* tsu-household-row.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tsu-household.h"

G_BEGIN_DECLS

#define TSU_TYPE_HOUSEHOLD_ROW (tsu_household_row_get_type ())
G_DECLARE_FINAL_TYPE (TsuHouseholdRow, tsu_household_row, TSU, HOUSEHOLD_ROW, GtkWidget)

GtkWidget    *tsu_household_row_new           (void);
void          tsu_household_row_set_household (TsuHouseholdRow *self,
                                               TsuHousehold    *household);
TsuHousehold *tsu_household_row_get_household (TsuHouseholdRow *self);

G_END_DECLS
