/* tsu-meeting-map.h: the anonymised district map for network meetings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>

#include "tsu-store.h"
#include "tsu-store-reports.h"

G_BEGIN_DECLS

#define TSU_MEETING_MAP_DEFAULT_CELL_METRES 500
#define TSU_MEETING_MAP_DEFAULT_MIN_COUNT   3

typedef struct
{
  char    *label;          /* 自治会 name, or a cell number like "C3" */
  gboolean is_cell;
  gboolean drawn;          /* has a position on the map */
  double   x, y;           /* metres from the grid origin: cell corner or mean position */
  gint64   households;     /* watched households */
  gint64   visited;
  gint64   flag_counts[TSU_REPORT_N_FLAGS];
} TsuMeetingMapArea;

#define TSU_TYPE_MEETING_MAP (tsu_meeting_map_get_type ())
G_DECLARE_FINAL_TYPE (TsuMeetingMap, tsu_meeting_map, TSU, MEETING_MAP, GObject)

TsuMeetingMap *tsu_meeting_map_new_from_store (TsuStore       *store,
                                               const char     *district_id,
                                               const char     *from,
                                               const char     *to,
                                               double          cell_metres,
                                               guint           min_count,
                                               GError        **error);

const char    *tsu_meeting_map_get_district_name (TsuMeetingMap *self);
gboolean       tsu_meeting_map_get_boundary_approximate (TsuMeetingMap *self);
guint          tsu_meeting_map_get_min_count  (TsuMeetingMap  *self);
/* Areas shown with their own numbers (each has >= min_count households). */
GPtrArray     *tsu_meeting_map_get_areas      (TsuMeetingMap  *self);
/* Households of areas too small to show, pooled without a position. */
const TsuMeetingMapArea *tsu_meeting_map_get_pooled (TsuMeetingMap *self);
guint          tsu_meeting_map_get_n_suppressed (TsuMeetingMap *self);
void           tsu_meeting_map_get_totals     (TsuMeetingMap  *self,
                                               gint64         *households,
                                               gint64         *visited);
void           tsu_meeting_map_set_attribution (TsuMeetingMap *self,
                                                const char    *attribution);
/* Every piece of text the rendering draws, one per line: what a reviewer
 * (or a test) checks for personal data. */
char          *tsu_meeting_map_dup_text       (TsuMeetingMap  *self);

/* Draws the whole map page (title, map, legend, table) into the rectangle. */
void           tsu_meeting_map_render         (TsuMeetingMap  *self,
                                               cairo_t        *cr,
                                               double          x,
                                               double          y,
                                               double          width,
                                               double          height);
gboolean       tsu_meeting_map_write_png      (TsuMeetingMap  *self,
                                               const char     *path,
                                               int             width,
                                               int             height,
                                               GError        **error);
/* A4 (or A3 when a3 is TRUE) landscape. */
gboolean       tsu_meeting_map_write_pdf      (TsuMeetingMap  *self,
                                               const char     *path,
                                               gboolean        a3,
                                               GError        **error);

G_END_DECLS
