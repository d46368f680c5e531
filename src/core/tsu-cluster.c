/* tsu-cluster.c: grid clustering of map points per integer zoom level
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A fixed grid (not distance-based clustering) because it is O(n log n),
 * deterministic, and puts every point in exactly one cluster; the sorted
 * cell keys double as an index for hit-testing.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "tsu-cluster.h"
#include "tsu-geometry.h"

struct _TsuClusterLevel
{
  int         zoom;
  double      cell_px;
  guint64     columns;
  GArray     *clusters;    /* TsuCluster, sorted by cell */
  guint      *members;     /* point indices grouped by cluster */
  guint       n_members;
};

typedef struct
{
  guint64 key;
  guint   index;
} KeyedPoint;

static int
compare_keyed (const void *a,
               const void *b)
{
  const KeyedPoint *ka = a;
  const KeyedPoint *kb = b;

  if (ka->key != kb->key)
    return ka->key < kb->key ? -1 : 1;
  return (ka->index > kb->index) - (ka->index < kb->index);
}

static guint64
cell_coordinate (double v,
                 double cells,
                 guint64 columns)
{
  double c = floor (v * cells);

  /* Points exactly on the world's edge belong to the last cell. */
  return (guint64) CLAMP (c, 0, (double) (columns - 1));
}

TsuClusterLevel *
tsu_cluster_level_build (const double *x,
                         const double *y,
                         const guint8 *classes,
                         guint         n_points,
                         int           zoom,
                         double        cell_px)
{
  TsuClusterLevel *level;
  g_autofree KeyedPoint *keyed = NULL;
  double cells;

  g_return_val_if_fail (n_points == 0 || (x != NULL && y != NULL), NULL);
  g_return_val_if_fail (cell_px > 0, NULL);
  g_return_val_if_fail (zoom >= 0 && zoom <= 30, NULL);

  level = g_new0 (TsuClusterLevel, 1);
  level->zoom = zoom;
  level->cell_px = cell_px;
  cells = tsu_mercator_world_size (zoom) / cell_px;
  level->columns = (guint64) ceil (cells);
  level->clusters = g_array_new (FALSE, FALSE, sizeof (TsuCluster));
  level->members = g_new (guint, MAX (n_points, 1));
  level->n_members = n_points;

  keyed = g_new (KeyedPoint, MAX (n_points, 1));
  for (guint i = 0; i < n_points; i++)
    {
      guint64 cx = cell_coordinate (x[i], cells, level->columns);
      guint64 cy = cell_coordinate (y[i], cells, level->columns);

      keyed[i].key = cy * level->columns + cx;
      keyed[i].index = i;
    }
  qsort (keyed, n_points, sizeof (KeyedPoint), compare_keyed);

  for (guint i = 0; i < n_points;)
    {
      TsuCluster cluster = { 0 };
      double sx = 0, sy = 0;
      guint j = i;

      cluster.cell = keyed[i].key;
      cluster.first = i;
      for (; j < n_points && keyed[j].key == cluster.cell; j++)
        {
          guint p = keyed[j].index;

          level->members[j] = p;
          sx += x[p];
          sy += y[p];
          cluster.class_counts[classes != NULL ? MIN (classes[p], TSU_CLUSTER_N_CLASSES - 1) : 0]++;
        }
      cluster.count = j - i;
      cluster.x = sx / cluster.count;
      cluster.y = sy / cluster.count;
      g_array_append_val (level->clusters, cluster);
      i = j;
    }
  return level;
}

void
tsu_cluster_level_free (TsuClusterLevel *level)
{
  if (level == NULL)
    return;
  g_array_unref (level->clusters);
  g_free (level->members);
  g_free (level);
}

int
tsu_cluster_level_get_zoom (const TsuClusterLevel *level)
{
  return level->zoom;
}

double
tsu_cluster_level_get_cell_px (const TsuClusterLevel *level)
{
  return level->cell_px;
}

const TsuCluster *
tsu_cluster_level_get_clusters (const TsuClusterLevel *level,
                                guint                 *n_clusters)
{
  *n_clusters = level->clusters->len;
  return (const TsuCluster *) level->clusters->data;
}

const guint *
tsu_cluster_level_get_members (const TsuClusterLevel *level,
                               guint                  cluster,
                               guint                 *n_members)
{
  const TsuCluster *c;

  g_return_val_if_fail (cluster < level->clusters->len, NULL);
  c = &g_array_index (level->clusters, TsuCluster, cluster);
  *n_members = c->count;
  return level->members + c->first;
}

static int
find_cell (const TsuClusterLevel *level,
           guint64                key)
{
  guint lo = 0, hi = level->clusters->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      guint64 k = g_array_index (level->clusters, TsuCluster, mid).cell;

      if (k == key)
        return mid;
      if (k < key)
        lo = mid + 1;
      else
        hi = mid;
    }
  return -1;
}

int
tsu_cluster_level_hit (const TsuClusterLevel *level,
                       double                 x,
                       double                 y,
                       double                 radius_px)
{
  double world = tsu_mercator_world_size (level->zoom);
  double cells = world / level->cell_px;
  gint64 cx = (gint64) floor (x * cells);
  gint64 cy = (gint64) floor (y * cells);
  gint64 reach = (gint64) ceil (radius_px / level->cell_px);
  double best = radius_px * radius_px;
  int best_index = -1;

  /* A cluster's centre lies inside its cell, so only cells within the
   * radius can hold a hit. */
  for (gint64 row = cy - reach; row <= cy + reach; row++)
    for (gint64 col = cx - reach; col <= cx + reach; col++)
      {
        int index;
        const TsuCluster *c;
        double dx, dy, d;

        if (row < 0 || col < 0 || (guint64) row >= level->columns || (guint64) col >= level->columns)
          continue;
        index = find_cell (level, (guint64) row * level->columns + (guint64) col);
        if (index < 0)
          continue;
        c = &g_array_index (level->clusters, TsuCluster, index);
        dx = (c->x - x) * world;
        dy = (c->y - y) * world;
        d = dx * dx + dy * dy;
        if (d <= best)
          {
            best = d;
            best_index = index;
          }
      }
  return best_index;
}

int
tsu_nearest_point (const double *xs,
                   const double *ys,
                   guint         n_points,
                   double        x,
                   double        y,
                   double        zoom,
                   double        radius_px)
{
  double world = tsu_mercator_world_size (zoom);
  double r = radius_px / world;
  double best = r * r;
  int best_index = -1;

  for (guint i = 0; i < n_points; i++)
    {
      double dx = xs[i] - x;
      double dy = ys[i] - y;
      double d;

      if (fabs (dx) > r || fabs (dy) > r)
        continue;
      d = dx * dx + dy * dy;
      if (d <= best)
        {
          best = d;
          best_index = i;
        }
    }
  return best_index;
}
