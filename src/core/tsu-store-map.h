/* tsu-store-map.h: what the map reads from and writes to the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tsu-geojson.h"
#include "tsu-geometry.h"
#include "tsu-store.h"

G_BEGIN_DECLS

/* Status bits of a household on the map. The rules (all computed in SQL,
 * for active households, "today" in local time):
 *  OVERDUE         an open follow-up (done_date empty) is due before today,
 *                  or visit_interval_days is set and the last visit (any
 *                  outcome) is older than that many days, or there has
 *                  never been a visit;
 *  FOLLOW_UP_SOON  an open follow-up is due today or in the next 6 days;
 *  FLAGGED         any household flag is set (flags != 0);
 *  CONSENT_MISSING consent is not recorded (empty or "unknown"); an
 *                  explicit "no" is an answer, not a missing one.
 * The map colours a household by the first bit set in this order. */
typedef enum
{
  TSU_MAP_STATUS_OVERDUE         = 1 << 0,
  TSU_MAP_STATUS_FOLLOW_UP_SOON  = 1 << 1,
  TSU_MAP_STATUS_FLAGGED         = 1 << 2,
  TSU_MAP_STATUS_CONSENT_MISSING = 1 << 3,
} TsuMapStatus;

/* The colour class of a status set: 0 overdue, 1 follow-up this week,
 * 2 flagged, 3 consent missing, 4 normal. */
#define TSU_MAP_N_CLASSES 5
guint tsu_map_status_class (guint status);

/* Every active household with a location, as parallel arrays. Immutable
 * once loaded; reference counted so that threads can share it. */
typedef struct
{
  guint        n;
  char       **ids;
  double      *lat;
  double      *lon;
  guint8      *status;         /* TsuMapStatus bits */
  const char **district_ids;   /* NULL when the household has none */
  char       **addresses;
  char       **last_visits;    /* visited_at text, or NULL */
  guint        n_without_location;
  /*< private >*/
  GStringChunk *strings;
} TsuMapPoints;

/* Room for n points, all fields zero; for synthetic data (benchmarks,
 * tests). Strings set by the caller must come from
 * tsu_map_points_intern(). */
TsuMapPoints *tsu_map_points_new   (guint         n);
char         *tsu_map_points_intern (TsuMapPoints *points,
                                     const char   *text);
TsuMapPoints *tsu_map_points_ref   (TsuMapPoints *points);
void          tsu_map_points_unref (TsuMapPoints *points);
/* The index of a household, or -1. Linear: for single look-ups. */
int           tsu_map_points_find  (TsuMapPoints *points,
                                    const char   *household_id);

typedef struct
{
  char     *id;
  char     *name;
  double    lat;            /* NAN when unknown */
  double    lon;
  TsuShape *boundary;       /* NULL when none was imported */
  gboolean  approximate;
} TsuMapDistrict;

void      tsu_map_district_free (TsuMapDistrict *district);

/* today: YYYY-MM-DD, or NULL for the local date. */
TsuMapPoints *tsu_store_load_map_points          (TsuStore      *self,
                                                  const char    *today,
                                                  GError       **error);
void          tsu_store_load_map_points_async    (TsuStore            *self,
                                                  const char          *today,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
TsuMapPoints *tsu_store_load_map_points_finish   (TsuStore      *self,
                                                  GAsyncResult  *result,
                                                  GError       **error);

/* GPtrArray of TsuMapDistrict, sorted like the sidebar. */
GPtrArray    *tsu_store_list_map_districts        (TsuStore      *self,
                                                  GError       **error);
void          tsu_store_list_map_districts_async  (TsuStore            *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
GPtrArray    *tsu_store_list_map_districts_finish (TsuStore      *self,
                                                  GAsyncResult  *result,
                                                  GError       **error);

/* Writes each feature's shape into district.boundary of the district
 * whose name (or full name) is the feature's name, all in one
 * transaction. A feature without a matching district is an error unless
 * create_missing, in which case the district is created. Districts without
 * a centre get the shape's label point. On error nothing is written. */
gboolean      tsu_store_import_boundaries        (TsuStore      *self,
                                                  GPtrArray     *features,
                                                  const char    *label,
                                                  gboolean       create_missing,
                                                  guint         *n_imported,
                                                  GError       **error);
/* Reads, validates and imports a GeoJSON file in a worker thread; the
 * result is the number of districts written. */
void          tsu_store_import_boundaries_file_async  (TsuStore            *self,
                                                       GFile               *file,
                                                       const char          *name_property,
                                                       gboolean             create_missing,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean      tsu_store_import_boundaries_file_finish (TsuStore      *self,
                                                       GAsyncResult  *result,
                                                       guint         *n_imported,
                                                       GError       **error);

/* "Place on map": sets a household's location (exact). */
void          tsu_store_set_household_location_async  (TsuStore            *self,
                                                       const char          *household_id,
                                                       double               latitude,
                                                       double               longitude,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean      tsu_store_set_household_location_finish (TsuStore      *self,
                                                       GAsyncResult  *result,
                                                       GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsuMapPoints, tsu_map_points_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsuMapDistrict, tsu_map_district_free)

G_END_DECLS
