/* tsu-meeting-map-page.h: the district meeting map, on screen and on paper
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tsu-meeting-map.h"
#include "tsu-store.h"

G_BEGIN_DECLS

#define TSU_TYPE_MEETING_MAP_PAGE (tsu_meeting_map_page_get_type ())
G_DECLARE_FINAL_TYPE (TsuMeetingMapPage, tsu_meeting_map_page, TSU, MEETING_MAP_PAGE, AdwBin)

GtkWidget     *tsu_meeting_map_page_new      (void);
void           tsu_meeting_map_page_set_store (TsuMeetingMapPage *self,
                                              TsuStore          *store);
TsuStore      *tsu_meeting_map_page_get_store (TsuMeetingMapPage *self);
/* The map now shown, or NULL while none is loaded. */
TsuMeetingMap *tsu_meeting_map_page_get_map  (TsuMeetingMapPage *self);
void           tsu_meeting_map_page_set_period (TsuMeetingMapPage *self,
                                                const char        *from,
                                                const char        *to);

/* Runs the print path (same page setup and drawing as Print) into a PDF
 * without a dialog. */
gboolean       tsu_meeting_map_page_export_print (TsuMeetingMapPage  *self,
                                                  const char         *pdf_path,
                                                  GError            **error);

G_END_DECLS
