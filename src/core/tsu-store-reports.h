/* tsu-store-reports.h: aggregation queries for summaries and meeting maps
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything here returns counts, never free text from visits or
 * households: the summaries and the meeting map are built only from these,
 * so a note (sensitive or not) cannot reach them. The case list is the one
 * exception and is audited (tsu_store_record_export).
 */
#pragma once

#include "tsu-store.h"

G_BEGIN_DECLS

/* Household flags are bits of household.flags (tsu-household-flags.h).
 * Bits without a label are counted but shown as “Flag N”. */
#define TSU_REPORT_N_FLAGS 16

const char *tsu_report_flag_label (guint bit);

typedef enum
{
  TSU_REPORT_SUPPORT_AREA,
  TSU_REPORT_CONTENT,
  TSU_REPORT_CONTACT_TYPE,
  TSU_REPORT_OUTCOME,
  TSU_REPORT_N_DIMENSIONS,
} TsuReportDimension;

const char *tsu_report_dimension_kind (TsuReportDimension dimension);

typedef struct
{
  char *id;
  char *name;
} TsuReportDistrict;

typedef struct
{
  char *code;
  char *label;
} TsuReportCategory;

typedef struct
{
  char   *district_id;
  char   *code;          /* NULL when the visit has none */
  char   *month;         /* YYYY-MM */
  gint64  count;
} TsuReportCount;

typedef struct
{
  char   *district_id;
  gint64  visits;
  gint64  sensitive_visits;
  gint64  households_reached;  /* distinct households with a visit in the period */
  gint64  new_households;      /* households whose first visit ever is in the period */
} TsuReportTotals;

/* A local flat projection around one district: metres east and north of
 * (origin_lat, origin_lon). Good to a few metres over a district. */
typedef struct
{
  double origin_lat;
  double origin_lon;
  double metres_per_deg_lat;
  double metres_per_deg_lon;
  double cell_metres;
} TsuReportGrid;

void tsu_report_grid_init (TsuReportGrid *grid,
                           double         min_lat,
                           double         min_lon,
                           double         cell_metres);

typedef struct
{
  char   *jichikai;       /* NULL: a grid cell (or no location at all) */
  gboolean located;       /* FALSE: no 自治会 and no position */
  int     cell_x;
  int     cell_y;
  gint64  households;     /* watched households (flags != 0, active) */
  gint64  visited;        /* of those, visited in the period */
  double  mean_lat;
  double  mean_lon;
  gint64  flag_counts[TSU_REPORT_N_FLAGS];
} TsuReportArea;

typedef struct
{
  int x;
  int y;
} TsuReportCell;

/* Dates are YYYY-MM-DD, both ends inclusive. district_ids NULL: all. */
GPtrArray *tsu_store_report_districts       (TsuStore            *self,
                                             const char * const  *district_ids,
                                             GError             **error);
/* Every district, in a worker: for the pages that list them. */
void       tsu_store_report_districts_async  (TsuStore            *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
GPtrArray *tsu_store_report_districts_finish (TsuStore            *self,
                                              GAsyncResult        *result,
                                              GError             **error);
GPtrArray *tsu_store_report_categories      (TsuStore            *self,
                                             const char          *kind,
                                             GError             **error);
GHashTable *tsu_store_report_category_labels (TsuStore           *self,
                                              const char         *kind,
                                              GError            **error);
GPtrArray *tsu_store_report_visit_counts    (TsuStore            *self,
                                             TsuReportDimension   dimension,
                                             const char          *from,
                                             const char          *to,
                                             const char * const  *district_ids,
                                             GError             **error);
GPtrArray *tsu_store_report_totals          (TsuStore            *self,
                                             const char          *from,
                                             const char          *to,
                                             const char * const  *district_ids,
                                             GError             **error);

/* All four dimensions and the totals from one pass over the period: what
 * a summary uses (the two calls above each make a whole pass). */
typedef struct
{
  GPtrArray *counts[TSU_REPORT_N_DIMENSIONS];  /* TsuReportCount */
  GPtrArray *totals;                           /* TsuReportTotals */
} TsuReportTally;

TsuReportTally *tsu_store_report_tally      (TsuStore            *self,
                                             const char          *from,
                                             const char          *to,
                                             const char * const  *district_ids,
                                             GError             **error);
void       tsu_report_tally_free            (TsuReportTally      *tally);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsuReportTally, tsu_report_tally_free)

/* Meeting maps. The extent covers the district's active households with a
 * position; FALSE with no error when there is none. */
gboolean   tsu_store_report_district_extent (TsuStore            *self,
                                             const char          *district_id,
                                             double              *min_lat,
                                             double              *min_lon,
                                             double              *max_lat,
                                             double              *max_lon,
                                             GError             **error);
GPtrArray *tsu_store_report_meeting_areas   (TsuStore            *self,
                                             const char          *district_id,
                                             const char          *from,
                                             const char          *to,
                                             const TsuReportGrid *grid,
                                             GError             **error);
GArray    *tsu_store_report_occupied_cells  (TsuStore            *self,
                                             const char          *district_id,
                                             const TsuReportGrid *grid,
                                             GError             **error);

/* Case lists: rows as JSON objects (column → value). */
GPtrArray *tsu_store_report_residents       (TsuStore            *self,
                                             const char          *household_id,
                                             GError             **error);
GPtrArray *tsu_store_report_visits          (TsuStore            *self,
                                             const char          *household_id,
                                             GError             **error);

/* The export audit: append-only, like the operation log. */
gboolean   tsu_store_record_export          (TsuStore            *self,
                                             const char          *kind,
                                             const char * const  *household_ids,
                                             const char          *target,
                                             GError             **error);
gboolean   tsu_store_record_export_with_reason (TsuStore         *self,
                                                const char       *kind,
                                                const char * const *household_ids,
                                                const char       *target,
                                                const char       *reason,
                                                GError          **error);
GPtrArray *tsu_store_list_exports           (TsuStore            *self,
                                             GError             **error);

G_END_DECLS
