/* tsu-district-row.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tsu-district.h"

G_BEGIN_DECLS

#define TSU_TYPE_DISTRICT_ROW (tsu_district_row_get_type ())
G_DECLARE_FINAL_TYPE (TsuDistrictRow, tsu_district_row, TSU, DISTRICT_ROW, GtkWidget)

GtkWidget *tsu_district_row_new          (void);
void       tsu_district_row_set_district (TsuDistrictRow *self,
                                          TsuDistrict    *district);

G_END_DECLS
