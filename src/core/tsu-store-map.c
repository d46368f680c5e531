/* tsu-store-map.c: what the map reads from and writes to the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <glib/gi18n-lib.h>

#include "tsu-store-map.h"
#include "tsu-store-private.h"

/* One row per active household. The status bits follow the rules in
 * tsu-store-map.h; ?1 is today and ?2 today + 6 days (YYYY-MM-DD). Dates
 * are compared on their first ten characters so that a visited_at with a
 * time and offset compares as its local date. */
#define SQL_MAP_POINTS \
  "SELECT id, lat, lon, district_id, address, last_visit," \
  "  (CASE WHEN next_due < ?1 OR (interval_days > 0 AND (last_visit IS NULL" \
  "        OR date(substr(last_visit, 1, 10), '+' || interval_days || ' days') < ?1)) THEN 1 ELSE 0 END)" \
  "  | (CASE WHEN soon THEN 2 ELSE 0 END)" \
  "  | (CASE WHEN coalesce(flags, 0) != 0 THEN 4 ELSE 0 END)" \
  "  | (CASE WHEN consent IS NULL OR consent IN ('', 'unknown') THEN 8 ELSE 0 END)" \
  " FROM (SELECT h.id, h.lat, h.lon, h.district_id, h.address, h.flags, h.consent," \
  "         h.visit_interval_days AS interval_days," \
  "         (SELECT max(v.visited_at) FROM visit v WHERE v.household_id = h.id AND v.deleted = 0) AS last_visit," \
  "         (SELECT min(substr(f.due_date, 1, 10)) FROM followup f WHERE f.household_id = h.id AND f.deleted = 0" \
  "            AND coalesce(f.done_date, '') = '' AND coalesce(f.due_date, '') != '') AS next_due," \
  "         EXISTS (SELECT 1 FROM followup f WHERE f.household_id = h.id AND f.deleted = 0" \
  "            AND coalesce(f.done_date, '') = '' AND substr(f.due_date, 1, 10) BETWEEN ?1 AND ?2) AS soon" \
  "       FROM household h WHERE h.deleted = 0 AND coalesce(h.status, 'active') = 'active')"

#define SQL_MAP_DISTRICTS \
  "SELECT id, name, lat, lon, boundary, coalesce(boundary_approximate, 0) FROM district" \
  " WHERE deleted = 0 ORDER BY coalesce(sort_order, 100000), name"

#define SQL_FIND_DISTRICT \
  "SELECT id, lat, lon FROM district WHERE deleted = 0 AND (name = ?1 OR full_name = ?1) ORDER BY id LIMIT 1"

guint
tsu_map_status_class (guint status)
{
  for (guint i = 0; i < TSU_MAP_N_CLASSES - 1; i++)
    if (status & (1u << i))
      return i;
  return TSU_MAP_N_CLASSES - 1;
}

static void
map_points_clear (TsuMapPoints *points)
{
  g_free (points->ids);
  g_free (points->lat);
  g_free (points->lon);
  g_free (points->status);
  g_free (points->district_ids);
  g_free (points->addresses);
  g_free (points->last_visits);
  if (points->strings != NULL)
    g_string_chunk_free (points->strings);
}

TsuMapPoints *
tsu_map_points_new (guint n)
{
  TsuMapPoints *points = g_atomic_rc_box_new0 (TsuMapPoints);

  points->n = n;
  points->strings = g_string_chunk_new (64 * 1024);
  points->ids = g_new0 (char *, MAX (n, 1));
  points->lat = g_new0 (double, MAX (n, 1));
  points->lon = g_new0 (double, MAX (n, 1));
  points->status = g_new0 (guint8, MAX (n, 1));
  points->district_ids = g_new0 (const char *, MAX (n, 1));
  points->addresses = g_new0 (char *, MAX (n, 1));
  points->last_visits = g_new0 (char *, MAX (n, 1));
  return points;
}

char *
tsu_map_points_intern (TsuMapPoints *points,
                       const char   *text)
{
  g_return_val_if_fail (points != NULL, NULL);
  return text != NULL ? g_string_chunk_insert_const (points->strings, text) : NULL;
}

TsuMapPoints *
tsu_map_points_ref (TsuMapPoints *points)
{
  return g_atomic_rc_box_acquire (points);
}

void
tsu_map_points_unref (TsuMapPoints *points)
{
  g_atomic_rc_box_release_full (points, (GDestroyNotify) map_points_clear);
}

int
tsu_map_points_find (TsuMapPoints *points,
                     const char   *household_id)
{
  g_return_val_if_fail (points != NULL, -1);

  for (guint i = 0; i < points->n; i++)
    if (g_strcmp0 (points->ids[i], household_id) == 0)
      return i;
  return -1;
}

void
tsu_map_district_free (TsuMapDistrict *district)
{
  if (district == NULL)
    return;
  g_free (district->id);
  g_free (district->name);
  tsu_shape_free (district->boundary);
  g_free (district);
}

static char *
local_today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  return g_date_time_format (now, "%Y-%m-%d");
}

static char *
add_days (const char *date,
          int         days)
{
  GDate d;
  char buf[16];

  g_date_clear (&d, 1);
  g_date_set_parse (&d, date);
  if (!g_date_valid (&d))
    return g_strdup (date);
  g_date_add_days (&d, days);
  g_date_strftime (buf, sizeof buf, "%Y-%m-%d", &d);
  return g_strdup (buf);
}

static const char *
chunk_text (GStringChunk *chunk,
            sqlite3_stmt *stmt,
            int           column,
            GHashTable   *interned)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  if (text == NULL)
    return NULL;
  if (interned != NULL)
    {
      const char *found = g_hash_table_lookup (interned, text);

      if (found == NULL)
        {
          found = g_string_chunk_insert (chunk, text);
          g_hash_table_add (interned, (gpointer) found);
        }
      return found;
    }
  return g_string_chunk_insert (chunk, text);
}

TsuMapPoints *
tsu_store_load_map_points (TsuStore    *self,
                           const char  *today,
                           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(TsuMapPoints) points = NULL;
  g_autoptr(GHashTable) districts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *today_local = NULL;
  g_autofree char *week_end = NULL;
  guint allocated = 1024;
  int rc;

  g_return_val_if_fail (TSU_IS_STORE (self), NULL);

  if (today == NULL)
    today = today_local = local_today ();
  week_end = add_days (today, 6);

  points = g_atomic_rc_box_new0 (TsuMapPoints);
  points->strings = g_string_chunk_new (64 * 1024);
  points->ids = g_new (char *, allocated);
  points->lat = g_new (double, allocated);
  points->lon = g_new (double, allocated);
  points->status = g_new (guint8, allocated);
  points->district_ids = g_new (const char *, allocated);
  points->addresses = g_new (char *, allocated);
  points->last_visits = g_new (char *, allocated);

  g_rec_mutex_lock (&self->mutex);
  if (!_tsu_store_prepare (self, SQL_MAP_POINTS, &stmt, error))
    {
      g_rec_mutex_unlock (&self->mutex);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, today, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, week_end, -1, SQLITE_TRANSIENT);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint i = points->n;

      if (sqlite3_column_type (stmt, 1) == SQLITE_NULL || sqlite3_column_type (stmt, 2) == SQLITE_NULL)
        {
          points->n_without_location++;
          continue;
        }
      if (i == allocated)
        {
          allocated *= 2;
          points->ids = g_renew (char *, points->ids, allocated);
          points->lat = g_renew (double, points->lat, allocated);
          points->lon = g_renew (double, points->lon, allocated);
          points->status = g_renew (guint8, points->status, allocated);
          points->district_ids = g_renew (const char *, points->district_ids, allocated);
          points->addresses = g_renew (char *, points->addresses, allocated);
          points->last_visits = g_renew (char *, points->last_visits, allocated);
        }
      points->ids[i] = (char *) chunk_text (points->strings, stmt, 0, NULL);
      points->lat[i] = sqlite3_column_double (stmt, 1);
      points->lon[i] = sqlite3_column_double (stmt, 2);
      points->district_ids[i] = chunk_text (points->strings, stmt, 3, districts);
      points->addresses[i] = (char *) chunk_text (points->strings, stmt, 4, NULL);
      points->last_visits[i] = (char *) chunk_text (points->strings, stmt, 5, NULL);
      points->status[i] = (guint8) sqlite3_column_int (stmt, 6);
      points->n++;
    }
  if (rc != SQLITE_DONE)
    {
      _tsu_store_set_error (self, error);
      g_rec_mutex_unlock (&self->mutex);
      return NULL;
    }
  g_rec_mutex_unlock (&self->mutex);
  return g_steal_pointer (&points);
}

static void
load_map_points_worker (GTask        *task,
                        gpointer      source,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  GError *error = NULL;
  TsuMapPoints *points = tsu_store_load_map_points (source, task_data, &error);

  if (points == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, points, (GDestroyNotify) tsu_map_points_unref);
}

void
tsu_store_load_map_points_async (TsuStore            *self,
                                 const char          *today,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TSU_IS_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tsu_store_load_map_points_async);
  g_task_set_task_data (task, g_strdup (today), g_free);
  g_task_run_in_thread (task, load_map_points_worker);
}

TsuMapPoints *
tsu_store_load_map_points_finish (TsuStore      *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

GPtrArray *
tsu_store_list_map_districts (TsuStore  *self,
                              GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) districts = g_ptr_array_new_with_free_func ((GDestroyNotify) tsu_map_district_free);
  g_autoptr(GRecMutexLocker) locker = NULL;
  int rc;

  g_return_val_if_fail (TSU_IS_STORE (self), NULL);

  locker = g_rec_mutex_locker_new (&self->mutex);
  if (!_tsu_store_prepare (self, SQL_MAP_DISTRICTS, &stmt, error))
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TsuMapDistrict *district = g_new0 (TsuMapDistrict, 1);
      const char *boundary = (const char *) sqlite3_column_text (stmt, 4);

      district->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      district->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      district->lat = sqlite3_column_type (stmt, 2) == SQLITE_NULL ? NAN : sqlite3_column_double (stmt, 2);
      district->lon = sqlite3_column_type (stmt, 3) == SQLITE_NULL ? NAN : sqlite3_column_double (stmt, 3);
      district->approximate = sqlite3_column_int (stmt, 5) != 0;
      if (boundary != NULL && *boundary != '\0')
        {
          g_autoptr(GError) local_error = NULL;

          /* A bad stored boundary (written by an older or foreign
           * replica) should not hide the district's households. */
          district->boundary = tsu_geojson_parse_geometry (boundary, &local_error);
          if (district->boundary == NULL)
            g_warning ("Ignoring the boundary of district %s: %s", district->id, local_error->message);
        }
      if (isnan (district->lat) && district->boundary != NULL)
        tsu_shape_get_label_point (district->boundary, &district->lon, &district->lat);
      g_ptr_array_add (districts, district);
    }
  if (rc != SQLITE_DONE)
    {
      _tsu_store_set_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&districts);
}

static GPtrArray *
read_map_districts (TsuStore    *self,
                    const char  *unused,
                    GError     **error)
{
  return tsu_store_list_map_districts (self, error);
}

void
tsu_store_list_map_districts_async (TsuStore            *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (TSU_IS_STORE (self));
  _tsu_store_list_async (self, read_map_districts, NULL, tsu_store_list_map_districts_async,
                         cancellable, callback, user_data);
}

GPtrArray *
tsu_store_list_map_districts_finish (TsuStore      *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return _tsu_store_list_finish (self, result, error);
}

typedef struct
{
  char     *id;          /* NULL: to be created */
  gboolean  has_center;
} Match;

gboolean
tsu_store_import_boundaries (TsuStore    *self,
                             GPtrArray   *features,
                             const char  *label,
                             gboolean     create_missing,
                             guint       *n_imported,
                             GError     **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree Match *matches = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (TSU_IS_STORE (self), FALSE);
  g_return_val_if_fail (features != NULL, FALSE);

  if (label == NULL)
    label = "GeoJSON";

  /* Everything is checked inside the transaction so that no district can
   * change between the check and the write. */
  if (!tsu_store_begin (self, error))
    return FALSE;
  matches = g_new0 (Match, features->len);
  if (!_tsu_store_prepare (self, SQL_FIND_DISTRICT, &stmt, error))
    goto out;

  for (guint i = 0; i < features->len; i++)
    {
      TsuGeoFeature *feature = g_ptr_array_index (features, i);
      int rc;

      if (g_hash_table_contains (seen, feature->name))
        {
          g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID,
                       _("%s: feature %u: a second boundary for the district “%s”"),
                       label, feature->index + 1, feature->name);
          goto out;
        }
      g_hash_table_add (seen, feature->name);

      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, feature->name, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          matches[i].id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
          matches[i].has_center = sqlite3_column_type (stmt, 1) != SQLITE_NULL &&
                                  sqlite3_column_type (stmt, 2) != SQLITE_NULL;
        }
      else if (rc != SQLITE_DONE)
        {
          _tsu_store_set_error (self, error);
          goto out;
        }
      else if (!create_missing)
        {
          g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_NOT_FOUND,
                       _("%s: feature %u: there is no district named “%s”"),
                       label, feature->index + 1, feature->name);
          goto out;
        }
    }

  for (guint i = 0; i < features->len; i++)
    {
      TsuGeoFeature *feature = g_ptr_array_index (features, i);
      g_autoptr(JsonObject) fields = json_object_new ();
      g_autofree char *geometry = tsu_shape_to_geojson (feature->shape);
      g_autofree char *created = NULL;

      json_object_set_string_member (fields, "boundary", geometry);
      json_object_set_boolean_member (fields, "boundary_approximate", FALSE);
      if (!matches[i].has_center)
        {
          double lon, lat;

          tsu_shape_get_label_point (feature->shape, &lon, &lat);
          json_object_set_double_member (fields, "lat", lat);
          json_object_set_double_member (fields, "lon", lon);
        }
      if (matches[i].id != NULL)
        {
          if (!tsu_store_update (self, "district", matches[i].id, fields, error))
            goto out;
        }
      else
        {
          json_object_set_string_member (fields, "name", feature->name);
          created = tsu_store_create (self, "district", fields, error);
          if (created == NULL)
            goto out;
        }
    }
  ok = TRUE;

out:
  for (guint i = 0; i < features->len; i++)
    g_free (matches[i].id);
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (!ok)
    {
      tsu_store_rollback (self);
      return FALSE;
    }
  if (!tsu_store_commit (self, error))
    return FALSE;
  if (n_imported != NULL)
    *n_imported = features->len;
  return TRUE;
}

typedef struct
{
  GFile    *file;
  char     *name_property;
  gboolean  create_missing;
} ImportData;

static void
import_data_free (ImportData *data)
{
  g_object_unref (data->file);
  g_free (data->name_property);
  g_free (data);
}

static void
import_boundaries_worker (GTask        *task,
                          gpointer      source,
                          gpointer      task_data,
                          GCancellable *cancellable)
{
  ImportData *data = task_data;
  g_autoptr(GPtrArray) features = NULL;
  g_autofree char *label = g_file_get_parse_name (data->file);
  GError *error = NULL;
  guint n = 0;

  features = tsu_geojson_load_boundaries (data->file, data->name_property, cancellable, &error);
  if (features == NULL ||
      !tsu_store_import_boundaries (source, features, label, data->create_missing, &n, &error))
    g_task_return_error (task, error);
  else
    g_task_return_int (task, n);
}

void
tsu_store_import_boundaries_file_async (TsuStore            *self,
                                        GFile               *file,
                                        const char          *name_property,
                                        gboolean             create_missing,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ImportData *data;

  g_return_if_fail (TSU_IS_STORE (self));
  g_return_if_fail (G_IS_FILE (file));

  data = g_new0 (ImportData, 1);
  data->file = g_object_ref (file);
  data->name_property = g_strdup (name_property);
  data->create_missing = create_missing;
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tsu_store_import_boundaries_file_async);
  g_task_set_task_data (task, data, (GDestroyNotify) import_data_free);
  g_task_run_in_thread (task, import_boundaries_worker);
}

gboolean
tsu_store_import_boundaries_file_finish (TsuStore      *self,
                                         GAsyncResult  *result,
                                         guint         *n_imported,
                                         GError       **error)
{
  gssize n;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  n = g_task_propagate_int (G_TASK (result), error);
  if (n < 0)
    return FALSE;
  if (n_imported != NULL)
    *n_imported = n;
  return TRUE;
}

typedef struct
{
  char   *id;
  double  lat;
  double  lon;
} LocationData;

static void
location_data_free (LocationData *data)
{
  g_free (data->id);
  g_free (data);
}

static void
set_location_worker (GTask        *task,
                     gpointer      source,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  LocationData *data = task_data;
  g_autoptr(JsonObject) fields = json_object_new ();
  GError *error = NULL;

  json_object_set_double_member (fields, "lat", data->lat);
  json_object_set_double_member (fields, "lon", data->lon);
  json_object_set_string_member (fields, "location_quality", "exact");
  if (!tsu_store_update (source, "household", data->id, fields, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
tsu_store_set_household_location_async (TsuStore            *self,
                                        const char          *household_id,
                                        double               latitude,
                                        double               longitude,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LocationData *data;

  g_return_if_fail (TSU_IS_STORE (self));
  g_return_if_fail (household_id != NULL);

  data = g_new0 (LocationData, 1);
  data->id = g_strdup (household_id);
  data->lat = latitude;
  data->lon = longitude;
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tsu_store_set_household_location_async);
  g_task_set_task_data (task, data, (GDestroyNotify) location_data_free);
  g_task_run_in_thread (task, set_location_worker);
}

gboolean
tsu_store_set_household_location_finish (TsuStore      *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
