/* tsu-store-reports.c: aggregation queries for summaries and meeting maps
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Periods are compared as text: visited_at is "YYYY-MM-DDTHH:MM" local
 * time, so "from" <= visited_at < "day after to" selects whole days
 * without any date arithmetic in SQL, and the visit_date index serves it.
 * District filters are passed as one ",id,id," string so that a statement
 * never needs to be rebuilt for a different number of districts.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "tsu-household-flags.h"
#include "tsu-store-private.h"
#include "tsu-store-reports.h"


/* Active households only: moved and deceased households are archived, not
 * part of a district's current picture. */
#define ACTIVE_HOUSEHOLD "h.deleted = 0 AND coalesce(h.status, 'active') = 'active'"
#define IN_DISTRICTS(n) "(?" #n " IS NULL OR instr(?" #n ", ',' || h.district_id || ',') > 0)"
#define IN_PERIOD "v.visited_at >= ?1 AND v.visited_at < ?2"

/* The household register's own labels (tsu-household-flags.c), so a flag
 * reads the same on the meeting map as on the household page. */
const char *
tsu_report_flag_label (guint bit)
{
  if (bit >= 31)
    return NULL;
  return tsu_household_flag_to_label ((TsuHouseholdFlag) (1u << bit));
}

const char *
tsu_report_dimension_kind (TsuReportDimension dimension)
{
  switch (dimension)
    {
    case TSU_REPORT_SUPPORT_AREA: return "support_area";
    case TSU_REPORT_CONTENT: return "content";
    case TSU_REPORT_CONTACT_TYPE: return "contact_type";
    case TSU_REPORT_OUTCOME: return "outcome";
    default: g_return_val_if_reached (NULL);
    }
}

void
tsu_report_grid_init (TsuReportGrid *grid,
                      double         min_lat,
                      double         min_lon,
                      double         cell_metres)
{
  /* Align the origin to whole cells of the equator-based metre grid, so a
   * district's cells do not shift when one household is added at its edge. */
  double mlat = 110574.0;
  double mlon = 111320.0 * cos (min_lat * G_PI / 180.0);

  grid->metres_per_deg_lat = mlat;
  grid->metres_per_deg_lon = mlon;
  grid->cell_metres = cell_metres > 10 ? cell_metres : 10;
  grid->origin_lat = floor (min_lat * mlat / grid->cell_metres) * grid->cell_metres / mlat;
  grid->origin_lon = floor (min_lon * mlon / grid->cell_metres) * grid->cell_metres / mlon;
}

static void
district_free (gpointer data)
{
  TsuReportDistrict *d = data;
  g_free (d->id);
  g_free (d->name);
  g_free (d);
}

static void
category_free (gpointer data)
{
  TsuReportCategory *c = data;
  g_free (c->code);
  g_free (c->label);
  g_free (c);
}

static void
count_free (gpointer data)
{
  TsuReportCount *c = data;
  g_free (c->district_id);
  g_free (c->code);
  g_free (c->month);
  g_free (c);
}

static void
totals_free (gpointer data)
{
  TsuReportTotals *t = data;
  g_free (t->district_id);
  g_free (t);
}

static void
area_free (gpointer data)
{
  TsuReportArea *a = data;
  g_free (a->jichikai);
  g_free (a);
}

static char *
district_filter (const char * const *district_ids)
{
  GString *s;

  if (district_ids == NULL)
    return NULL;
  s = g_string_new (",");
  for (guint i = 0; district_ids[i] != NULL; i++)
    g_string_append_printf (s, "%s,", district_ids[i]);
  return g_string_free (s, FALSE);
}

/* The period as the two bounds compared against visited_at. */
static gboolean
period_bounds (const char  *from,
               const char  *to,
               char       **lower,
               char       **upper,
               GError     **error)
{
  g_autoptr(GDateTime) a = NULL;
  g_autoptr(GDateTime) b = NULL;
  g_autoptr(GDateTime) next = NULL;
  int y, m, d;

  if (from == NULL || sscanf (from, "%4d-%2d-%2d", &y, &m, &d) != 3 ||
      strlen (from) != 10 || (a = g_date_time_new_utc (y, m, d, 0, 0, 0)) == NULL)
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID,
                   _("“%s” is not a date (expected YYYY-MM-DD)"), from ? from : "");
      return FALSE;
    }
  if (to == NULL || sscanf (to, "%4d-%2d-%2d", &y, &m, &d) != 3 ||
      strlen (to) != 10 || (b = g_date_time_new_utc (y, m, d, 0, 0, 0)) == NULL)
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID,
                   _("“%s” is not a date (expected YYYY-MM-DD)"), to ? to : "");
      return FALSE;
    }
  if (g_date_time_compare (a, b) > 0)
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID,
                   _("The period starts (%s) after it ends (%s)"), from, to);
      return FALSE;
    }
  next = g_date_time_add_days (b, 1);
  *lower = g_strdup (from);
  *upper = g_date_time_format (next, "%Y-%m-%d");
  return TRUE;
}

static char *
dup_column (sqlite3_stmt *stmt,
            int           i)
{
  return g_strdup (_tsu_store_column_text (stmt, i));
}

/* Runs a prepared statement to the end, handing each row to a callback;
 * the store mutex is held for the whole loop. */
typedef void (*RowFunc) (sqlite3_stmt *stmt, gpointer data);

static gboolean
run_rows (TsuStore      *self,
          sqlite3_stmt  *stmt,
          RowFunc        func,
          gpointer       data,
          GError       **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    func (stmt, data);
  if (rc != SQLITE_DONE)
    return _tsu_store_set_error (self, error);
  return TRUE;
}

static void
add_district_row (sqlite3_stmt *stmt,
                  gpointer      data)
{
  TsuReportDistrict *d = g_new0 (TsuReportDistrict, 1);

  d->id = dup_column (stmt, 0);
  d->name = dup_column (stmt, 1);
  g_ptr_array_add (data, d);
}

GPtrArray *
tsu_store_report_districts (TsuStore            *self,
                            const char * const  *district_ids,
                            GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (district_free);
  g_autofree char *filter = district_filter (district_ids);
  gboolean ok;

  g_return_val_if_fail (TSU_IS_STORE (self), NULL);

  g_rec_mutex_lock (&self->mutex);
  ok = _tsu_store_prepare (self,
                           "SELECT id, name FROM district WHERE deleted = 0"
                           " AND (?1 IS NULL OR instr(?1, ',' || id || ',') > 0)"
                           " ORDER BY coalesce(sort_order, 100000), kana, name", &stmt, error);
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, filter, -1, SQLITE_STATIC);
      ok = run_rows (self, stmt, add_district_row, rows, error);
    }
  g_rec_mutex_unlock (&self->mutex);

  if (!ok)
    return NULL;

  /* An id that names no district is a mistake the caller must hear about:
   * a summary silently missing a district would be wrong on paper. */
  if (district_ids != NULL)
    for (guint i = 0; district_ids[i] != NULL; i++)
      {
        gboolean found = FALSE;

        for (guint j = 0; j < rows->len && !found; j++)
          found = g_str_equal (((TsuReportDistrict *) rows->pdata[j])->id, district_ids[i]);
        if (!found)
          {
            g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_NOT_FOUND,
                         _("No district with id %s"), district_ids[i]);
            return NULL;
          }
      }
  return g_steal_pointer (&rows);
}

static GPtrArray *
read_report_districts (TsuStore    *self,
                       const char  *unused,
                       GError     **error)
{
  return tsu_store_report_districts (self, NULL, error);
}

void
tsu_store_report_districts_async (TsuStore            *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (TSU_IS_STORE (self));
  _tsu_store_list_async (self, read_report_districts, NULL, tsu_store_report_districts_async,
                         cancellable, callback, user_data);
}

GPtrArray *
tsu_store_report_districts_finish (TsuStore      *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return _tsu_store_list_finish (self, result, error);
}

static void
add_category_row (sqlite3_stmt *stmt,
                  gpointer      data)
{
  TsuReportCategory *c = g_new0 (TsuReportCategory, 1);

  c->code = dup_column (stmt, 0);
  c->label = dup_column (stmt, 1);
  g_ptr_array_add (data, c);
}

GPtrArray *
tsu_store_report_categories (TsuStore    *self,
                             const char  *kind,
                             GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (category_free);
  gboolean ok;

  g_return_val_if_fail (TSU_IS_STORE (self), NULL);

  g_rec_mutex_lock (&self->mutex);
  ok = _tsu_store_prepare (self,
                           "SELECT code, label FROM category WHERE deleted = 0 AND kind = ?1"
                           " ORDER BY coalesce(sort_order, 100000), code", &stmt, error);
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
      ok = run_rows (self, stmt, add_category_row, rows, error);
    }
  g_rec_mutex_unlock (&self->mutex);

  return ok ? g_steal_pointer (&rows) : NULL;
}

GHashTable *
tsu_store_report_category_labels (TsuStore    *self,
                                  const char  *kind,
                                  GError     **error)
{
  g_autoptr(GPtrArray) rows = tsu_store_report_categories (self, kind, error);
  GHashTable *labels;

  if (rows == NULL)
    return NULL;
  labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < rows->len; i++)
    {
      TsuReportCategory *c = rows->pdata[i];
      g_hash_table_replace (labels, g_strdup (c->code), g_strdup (c->label));
    }
  return labels;
}

/* Everything the summary counts comes from one pass over the period's
 * visits: one range scan of the covering index visit_period, one lookup
 * of each visit's household for its district, and sums kept in C while
 * the rows stream by (no temporary B-tree for GROUP BY, no string search
 * per visit and category, which SQL needs to split a code list). Joining
 * the household is the expensive part, so it is done once, not once per
 * table. */
typedef struct
{
  GHashTable *sums[TSU_REPORT_N_DIMENSIONS];  /* "district\x1fcode\x1fmonth" ("\x1e" code: none) → count */
  GHashTable *content_codes;                  /* codes that have a category record */
  GHashTable *districts;                      /* district id ("" none) → TsuReportTotals */
  GHashTable *households;                     /* household id → its TsuReportTotals */
} Collector;

static void
tally_add (GHashTable *sums,
           const char *district,
           const char *code,
           const char *month)
{
  char *key = g_strdup_printf ("%s\x1f%s\x1f%s", district ? district : "", code ? code : "\x1e", month);
  gpointer old = g_hash_table_lookup (sums, key);

  g_hash_table_replace (sums, key, GSIZE_TO_POINTER (GPOINTER_TO_SIZE (old) + 1));
}

static void
collect_row (sqlite3_stmt *stmt,
             gpointer      data)
{
  Collector *c = data;
  const char *district = _tsu_store_column_text (stmt, 0);
  const char *household = _tsu_store_column_text (stmt, 1);
  const char *categories = _tsu_store_column_text (stmt, 7);
  TsuReportTotals *t;
  char month[8];

  g_strlcpy (month, _tsu_store_column_text (stmt, 2), sizeof month);
  tally_add (c->sums[TSU_REPORT_SUPPORT_AREA], district, _tsu_store_column_text (stmt, 4), month);
  tally_add (c->sums[TSU_REPORT_CONTACT_TYPE], district, _tsu_store_column_text (stmt, 5), month);
  tally_add (c->sums[TSU_REPORT_OUTCOME], district, _tsu_store_column_text (stmt, 6), month);

  /* A visit counts once under each content category it lists; only codes
   * with a category record count (the list of categories is data). */
  if (categories != NULL)
    {
      g_auto(GStrv) codes = g_strsplit (categories, ",", -1);

      for (guint k = 0; codes[k] != NULL; k++)
        {
          gboolean seen = FALSE;

          g_strstrip (codes[k]);
          if (!g_hash_table_contains (c->content_codes, codes[k]))
            continue;
          for (guint j = 0; j < k && !seen; j++)
            seen = g_str_equal (codes[j], codes[k]);
          if (!seen)
            tally_add (c->sums[TSU_REPORT_CONTENT], district, codes[k], month);
        }
    }

  t = g_hash_table_lookup (c->districts, district ? district : "");
  if (t == NULL)
    {
      t = g_new0 (TsuReportTotals, 1);
      t->district_id = g_strdup (district);
      g_hash_table_insert (c->districts, g_strdup (district ? district : ""), t);
    }
  t->visits++;
  t->sensitive_visits += sqlite3_column_int (stmt, 3) != 0;
  if (!g_hash_table_contains (c->households, household))
    {
      g_hash_table_insert (c->households, g_strdup (household), t);
      t->households_reached++;
    }
}

static GPtrArray *
tally_rows (GHashTable *sums)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func (count_free);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, sums);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_auto(GStrv) parts = g_strsplit (key, "\x1f", 3);
      TsuReportCount *c = g_new0 (TsuReportCount, 1);

      c->district_id = *parts[0] ? g_strdup (parts[0]) : NULL;
      c->code = g_str_equal (parts[1], "\x1e") ? NULL : g_strdup (parts[1]);
      c->month = g_strdup (parts[2]);
      c->count = GPOINTER_TO_SIZE (value);
      g_ptr_array_add (rows, c);
    }
  return rows;
}

void
tsu_report_tally_free (TsuReportTally *tally)
{
  if (tally == NULL)
    return;
  for (guint d = 0; d < TSU_REPORT_N_DIMENSIONS; d++)
    g_clear_pointer (&tally->counts[d], g_ptr_array_unref);
  g_clear_pointer (&tally->totals, g_ptr_array_unref);
  g_free (tally);
}

TsuReportTally *
tsu_store_report_tally (TsuStore            *self,
                        const char          *from,
                        const char          *to,
                        const char * const  *district_ids,
                        GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) earlier = NULL;
  g_autofree char *filter = district_filter (district_ids);
  g_autofree char *lower = NULL;
  g_autofree char *upper = NULL;
  g_autoptr(GHashTable) codes = NULL;
  g_autoptr(GHashTable) districts = NULL;
  g_autoptr(GHashTable) households = NULL;
  TsuReportTally *tally;
  Collector c = { { NULL, }, };
  GHashTableIter iter;
  gpointer key, value;
  gboolean own_transaction;
  gboolean ok;

  g_return_val_if_fail (TSU_IS_STORE (self), NULL);

  if (!period_bounds (from, to, &lower, &upper, error))
    return NULL;
  codes = tsu_store_report_category_labels (self, "content", error);
  if (codes == NULL)
    return NULL;

  districts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  households = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint d = 0; d < TSU_REPORT_N_DIMENSIONS; d++)
    c.sums[d] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  c.content_codes = codes;
  c.districts = districts;
  c.households = households;

  g_rec_mutex_lock (&self->mutex);
  /* One read transaction: one snapshot for every statement below, and one
   * file lock instead of one per lookup of a household's earlier visits. */
  own_transaction = self->transaction_depth == 0 && sqlite3_get_autocommit (self->db);
  ok = !own_transaction || _tsu_store_exec (self, "BEGIN", error);
  ok = ok && _tsu_store_prepare (self,
                           "SELECT h.district_id, v.household_id, v.visited_at, coalesce(v.sensitive, 0),"
                           " v.support_area, v.contact_type, v.outcome, v.categories"
                           " FROM visit v JOIN household h ON h.id = v.household_id"
                           " WHERE v.deleted = 0 AND h.deleted = 0 AND " IN_PERIOD " AND " IN_DISTRICTS (3),
                           &stmt, error);
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, lower, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, upper, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, filter, -1, SQLITE_STATIC);
      ok = run_rows (self, stmt, collect_row, &c, error);
    }

  /* "New" is a household whose first visit ever falls in the period: the
   * record's creation time says when it was typed in or imported, not
   * when the 社協 first reached it. */
  if (ok)
    ok = _tsu_store_prepare (self,
                             "SELECT 1 FROM visit WHERE household_id = ?1 AND visited_at < ?2 AND deleted = 0 LIMIT 1",
                             &earlier, error);
  if (ok)
    {
      g_hash_table_iter_init (&iter, households);
      while (ok && g_hash_table_iter_next (&iter, &key, &value))
        {
          int rc;

          sqlite3_reset (earlier);
          sqlite3_bind_text (earlier, 1, key, -1, SQLITE_STATIC);
          sqlite3_bind_text (earlier, 2, lower, -1, SQLITE_STATIC);
          rc = sqlite3_step (earlier);
          if (rc == SQLITE_DONE)
            ((TsuReportTotals *) value)->new_households++;
          else if (rc != SQLITE_ROW)
            ok = _tsu_store_set_error (self, error);
        }
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  g_clear_pointer (&earlier, sqlite3_finalize);
  if (own_transaction)
    sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL);
  g_rec_mutex_unlock (&self->mutex);

  tally = g_new0 (TsuReportTally, 1);
  tally->totals = g_ptr_array_new_with_free_func (totals_free);
  g_hash_table_iter_init (&iter, districts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_ptr_array_add (tally->totals, value);
  for (guint d = 0; d < TSU_REPORT_N_DIMENSIONS; d++)
    {
      tally->counts[d] = tally_rows (c.sums[d]);
      g_hash_table_unref (c.sums[d]);
    }

  if (!ok)
    {
      tsu_report_tally_free (tally);
      return NULL;
    }
  return tally;
}

GPtrArray *
tsu_store_report_visit_counts (TsuStore            *self,
                               TsuReportDimension   dimension,
                               const char          *from,
                               const char          *to,
                               const char * const  *district_ids,
                               GError             **error)
{
  g_autoptr(TsuReportTally) tally = NULL;

  g_return_val_if_fail (dimension < TSU_REPORT_N_DIMENSIONS, NULL);

  tally = tsu_store_report_tally (self, from, to, district_ids, error);
  return tally ? g_steal_pointer (&tally->counts[dimension]) : NULL;
}

GPtrArray *
tsu_store_report_totals (TsuStore            *self,
                         const char          *from,
                         const char          *to,
                         const char * const  *district_ids,
                         GError             **error)
{
  g_autoptr(TsuReportTally) tally = tsu_store_report_tally (self, from, to, district_ids, error);

  return tally ? g_steal_pointer (&tally->totals) : NULL;
}

gboolean
tsu_store_report_district_extent (TsuStore    *self,
                                  const char  *district_id,
                                  double      *min_lat,
                                  double      *min_lon,
                                  double      *max_lat,
                                  double      *max_lon,
                                  GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean found = FALSE;

  g_return_val_if_fail (TSU_IS_STORE (self), FALSE);

  g_rec_mutex_lock (&self->mutex);
  if (_tsu_store_prepare (self,
                          "SELECT min(lat), min(lon), max(lat), max(lon), count(*) FROM household h"
                          " WHERE h.district_id = ?1 AND " ACTIVE_HOUSEHOLD
                          " AND h.lat IS NOT NULL AND h.lon IS NOT NULL", &stmt, error))
    {
      sqlite3_bind_text (stmt, 1, district_id, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_ROW)
        _tsu_store_set_error (self, error);
      else if (sqlite3_column_int64 (stmt, 4) > 0)
        {
          *min_lat = sqlite3_column_double (stmt, 0);
          *min_lon = sqlite3_column_double (stmt, 1);
          *max_lat = sqlite3_column_double (stmt, 2);
          *max_lon = sqlite3_column_double (stmt, 3);
          found = TRUE;
        }
    }
  g_rec_mutex_unlock (&self->mutex);
  return found;
}

static void
add_area_row (sqlite3_stmt *stmt,
              gpointer      data)
{
  TsuReportArea *a = g_new0 (TsuReportArea, 1);
  int kind = sqlite3_column_int (stmt, 0);

  if (kind == 0)
    a->jichikai = dup_column (stmt, 1);
  a->located = kind != 2;
  a->cell_x = sqlite3_column_int (stmt, 2);
  a->cell_y = sqlite3_column_int (stmt, 3);
  a->households = sqlite3_column_int64 (stmt, 4);
  a->visited = sqlite3_column_int64 (stmt, 5);
  a->mean_lat = sqlite3_column_double (stmt, 6);
  a->mean_lon = sqlite3_column_double (stmt, 7);
  for (guint bit = 0; bit < TSU_REPORT_N_FLAGS; bit++)
    a->flag_counts[bit] = sqlite3_column_int64 (stmt, 8 + bit);
  g_ptr_array_add (data, a);
}

static const char *
meeting_areas_sql (void)
{
  static char *sql;
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      GString *s = g_string_new (NULL);

      /* kind 0: a 自治会; kind 1: a grid cell; kind 2: neither known.
       * Cell numbers are offsets from the grid origin, so always >= 0 and
       * CAST truncation is floor. */
      g_string_append (s,
        "WITH w AS (SELECT h.id, h.flags, h.lat, h.lon,"
        "   CASE WHEN coalesce(trim(h.jichikai), '') <> '' THEN 0"
        "        WHEN h.lat IS NOT NULL AND h.lon IS NOT NULL THEN 1 ELSE 2 END AS kind,"
        "   trim(h.jichikai) AS j,"
        "   CAST((h.lon - ?3) * ?5 / ?7 AS INTEGER) AS cx,"
        "   CAST((h.lat - ?4) * ?6 / ?7 AS INTEGER) AS cy,"
        "   EXISTS (SELECT 1 FROM visit v WHERE v.household_id = h.id AND v.deleted = 0 AND " IN_PERIOD ") AS seen"
        "  FROM household h WHERE h.district_id = ?8 AND " ACTIVE_HOUSEHOLD " AND coalesce(h.flags, 0) <> 0)"
        " SELECT kind, j, CASE kind WHEN 1 THEN cx ELSE 0 END AS gx, CASE kind WHEN 1 THEN cy ELSE 0 END AS gy,"
        "  count(*), sum(seen), avg(lat), avg(lon)");
      for (guint bit = 0; bit < TSU_REPORT_N_FLAGS; bit++)
        g_string_append_printf (s, ", sum((flags >> %u) & 1)", bit);
      g_string_append (s, " FROM w GROUP BY kind, CASE kind WHEN 0 THEN j END, gx, gy ORDER BY kind, j, gy, gx");
      sql = g_string_free (s, FALSE);
      g_once_init_leave (&once, 1);
    }
  return sql;
}

GPtrArray *
tsu_store_report_meeting_areas (TsuStore            *self,
                                const char          *district_id,
                                const char          *from,
                                const char          *to,
                                const TsuReportGrid *grid,
                                GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (area_free);
  g_autofree char *lower = NULL;
  g_autofree char *upper = NULL;
  gboolean ok;

  g_return_val_if_fail (TSU_IS_STORE (self), NULL);
  g_return_val_if_fail (grid != NULL, NULL);

  if (!period_bounds (from, to, &lower, &upper, error))
    return NULL;

  g_rec_mutex_lock (&self->mutex);
  ok = _tsu_store_prepare (self, meeting_areas_sql (), &stmt, error);
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, lower, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, upper, -1, SQLITE_STATIC);
      sqlite3_bind_double (stmt, 3, grid->origin_lon);
      sqlite3_bind_double (stmt, 4, grid->origin_lat);
      sqlite3_bind_double (stmt, 5, grid->metres_per_deg_lon);
      sqlite3_bind_double (stmt, 6, grid->metres_per_deg_lat);
      sqlite3_bind_double (stmt, 7, grid->cell_metres);
      sqlite3_bind_text (stmt, 8, district_id, -1, SQLITE_STATIC);
      ok = run_rows (self, stmt, add_area_row, rows, error);
    }
  g_rec_mutex_unlock (&self->mutex);

  return ok ? g_steal_pointer (&rows) : NULL;
}

static void
add_cell_row (sqlite3_stmt *stmt,
              gpointer      data)
{
  TsuReportCell cell = { sqlite3_column_int (stmt, 0), sqlite3_column_int (stmt, 1) };

  g_array_append_val ((GArray *) data, cell);
}

GArray *
tsu_store_report_occupied_cells (TsuStore            *self,
                                 const char          *district_id,
                                 const TsuReportGrid *grid,
                                 GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GArray) cells = g_array_new (FALSE, FALSE, sizeof (TsuReportCell));
  gboolean ok;

  g_return_val_if_fail (TSU_IS_STORE (self), NULL);

  g_rec_mutex_lock (&self->mutex);
  ok = _tsu_store_prepare (self,
                           "SELECT DISTINCT CAST((h.lon - ?1) * ?3 / ?5 AS INTEGER),"
                           " CAST((h.lat - ?2) * ?4 / ?5 AS INTEGER) FROM household h"
                           " WHERE h.district_id = ?6 AND " ACTIVE_HOUSEHOLD
                           " AND h.lat IS NOT NULL AND h.lon IS NOT NULL", &stmt, error);
  if (ok)
    {
      sqlite3_bind_double (stmt, 1, grid->origin_lon);
      sqlite3_bind_double (stmt, 2, grid->origin_lat);
      sqlite3_bind_double (stmt, 3, grid->metres_per_deg_lon);
      sqlite3_bind_double (stmt, 4, grid->metres_per_deg_lat);
      sqlite3_bind_double (stmt, 5, grid->cell_metres);
      sqlite3_bind_text (stmt, 6, district_id, -1, SQLITE_STATIC);
      ok = run_rows (self, stmt, add_cell_row, cells, error);
    }
  g_rec_mutex_unlock (&self->mutex);

  return ok ? g_steal_pointer (&cells) : NULL;
}

static void
add_json_row (sqlite3_stmt *stmt,
              gpointer      data)
{
  JsonObject *row = json_object_new ();

  for (int i = 0; i < sqlite3_column_count (stmt); i++)
    json_object_set_member (row, sqlite3_column_name (stmt, i), _tsu_store_column_json (stmt, i));
  g_ptr_array_add (data, row);
}

static GPtrArray *
query_json_rows (TsuStore    *self,
                 const char  *sql,
                 const char  *param,
                 GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  gboolean ok;

  g_rec_mutex_lock (&self->mutex);
  ok = _tsu_store_prepare (self, sql, &stmt, error);
  if (ok)
    {
      if (param != NULL)
        sqlite3_bind_text (stmt, 1, param, -1, SQLITE_STATIC);
      ok = run_rows (self, stmt, add_json_row, rows, error);
    }
  g_rec_mutex_unlock (&self->mutex);

  return ok ? g_steal_pointer (&rows) : NULL;
}

GPtrArray *
tsu_store_report_residents (TsuStore    *self,
                            const char  *household_id,
                            GError     **error)
{
  g_return_val_if_fail (TSU_IS_STORE (self), NULL);
  return query_json_rows (self,
                          "SELECT id, name, kana, birth_date, relationship, note FROM resident"
                          " WHERE household_id = ?1 AND deleted = 0 ORDER BY coalesce(position, 1000), kana",
                          household_id, error);
}

GPtrArray *
tsu_store_report_visits (TsuStore    *self,
                         const char  *household_id,
                         GError     **error)
{
  g_return_val_if_fail (TSU_IS_STORE (self), NULL);
  return query_json_rows (self,
                          "SELECT id, visited_at, contact_type, outcome, support_area, categories, note,"
                          " next_follow_up, coalesce(sensitive, 0) AS sensitive FROM visit"
                          " WHERE household_id = ?1 AND deleted = 0 ORDER BY visited_at DESC",
                          household_id, error);
}

gboolean
tsu_store_record_export (TsuStore            *self,
                         const char          *kind,
                         const char * const  *household_ids,
                         const char          *target,
                         GError             **error)
{
  return tsu_store_record_export_with_reason (self, kind, household_ids, target, NULL, error);
}

gboolean
tsu_store_record_export_with_reason (TsuStore            *self,
                                     const char          *kind,
                                     const char * const  *household_ids,
                                     const char          *target,
                                     const char          *reason,
                                     GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *at = g_date_time_format_iso8601 (now);
  g_autofree char *ids = NULL;
  gboolean ok;

  g_return_val_if_fail (TSU_IS_STORE (self), FALSE);
  g_return_val_if_fail (household_ids != NULL, FALSE);

  ids = g_strjoinv (",", (char **) household_ids);

  g_rec_mutex_lock (&self->mutex);
  ok = _tsu_store_prepare (self,
                           "INSERT INTO export_audit (at, replica, actor, kind, household_ids, target, reason)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", &stmt, error);
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, at, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, self->replica_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, self->actor, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, kind, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, ids, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, target, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 7, reason, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        ok = _tsu_store_set_error (self, error);
    }
  g_rec_mutex_unlock (&self->mutex);
  return ok;
}

GPtrArray *
tsu_store_list_exports (TsuStore  *self,
                        GError   **error)
{
  g_return_val_if_fail (TSU_IS_STORE (self), NULL);
  return query_json_rows (self,
                          "SELECT seq, at, replica, actor, kind, household_ids, target, reason FROM export_audit ORDER BY seq",
                          NULL, error);
}
