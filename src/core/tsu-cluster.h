/* tsu-cluster.h: grid clustering of map points per integer zoom level
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Points carry a small class (0..TSU_CLUSTER_N_CLASSES-1, e.g. a colour)
 * whose counts every cluster keeps. */
#define TSU_CLUSTER_N_CLASSES 8

typedef struct
{
  double  x;            /* mean position, mercator 0..1 */
  double  y;
  guint   count;
  guint   first;        /* offset of its members in the level's member list */
  guint64 cell;         /* grid cell key: row * columns + column */
  guint   class_counts[TSU_CLUSTER_N_CLASSES];
} TsuCluster;

typedef struct _TsuClusterLevel TsuClusterLevel;

/* Groups the points by square cells of cell_px pixels at the given zoom.
 * Every point lands in exactly one cluster. classes may be NULL. */
TsuClusterLevel  *tsu_cluster_level_build        (const double  *x,
                                                  const double  *y,
                                                  const guint8  *classes,
                                                  guint          n_points,
                                                  int            zoom,
                                                  double         cell_px);
void              tsu_cluster_level_free         (TsuClusterLevel *level);
int               tsu_cluster_level_get_zoom     (const TsuClusterLevel *level);
double            tsu_cluster_level_get_cell_px  (const TsuClusterLevel *level);
const TsuCluster *tsu_cluster_level_get_clusters (const TsuClusterLevel *level,
                                                  guint                 *n_clusters);
/* The point indices of one cluster. */
const guint      *tsu_cluster_level_get_members  (const TsuClusterLevel *level,
                                                  guint                  cluster,
                                                  guint                 *n_members);
/* The cluster whose centre is nearest to (x, y) (mercator) and within
 * radius_px pixels at the level's zoom, or -1. Looks only at the
 * neighbouring cells, so it is fast at any size. */
int               tsu_cluster_level_hit          (const TsuClusterLevel *level,
                                                  double                 x,
                                                  double                 y,
                                                  double                 radius_px);

/* The point nearest to (x, y) (mercator) within radius_px pixels at the
 * given zoom, or -1: a linear scan, fine for a click or a hover. */
int               tsu_nearest_point              (const double  *xs,
                                                  const double  *ys,
                                                  guint          n_points,
                                                  double         x,
                                                  double         y,
                                                  double         zoom,
                                                  double         radius_px);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsuClusterLevel, tsu_cluster_level_free)

G_END_DECLS
