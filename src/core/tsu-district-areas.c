/* tsu-district-areas.c: approximate areas of districts known only by points
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The council areas (住民自治協議会) have no published polygons, but their
 * towns have points. A grid over the points gives each cell to the
 * district of the nearest point (a Voronoi partition, cut off where no
 * point is near: hills and forest belong to nobody), and the boundary of
 * each district's cells is traced into rings: counter-clockwise around
 * the district, clockwise around the holes in it. At a corner where two
 * of a district's cells touch diagonally, the trace turns left, so each
 * ring stays simple. Rings are then smoothed (Chaikin's corner cutting)
 * so that they do not look like the grid they came from.
 */
#include "config.h"

#include <math.h>

#include "tsu-district-areas.h"

#define METRES_PER_DEGREE 111320.0
#define NOBODY            G_MAXUINT
#define SMOOTHING_ROUNDS  2

typedef struct
{
  guint from;   /* grid vertex: i + j * (nx + 1) */
  guint to;
} Edge;

typedef struct
{
  guint  nx;            /* cells east–west */
  guint  ny;            /* cells south–north */
  double min_lon;
  double min_lat;
  double cell_lon;      /* degrees */
  double cell_lat;
  guint *owner;         /* nx * ny district indices, NOBODY for none */
} Grid;

static guint
owner_at (const Grid *grid,
          int         cx,
          int         cy)
{
  if (cx < 0 || cy < 0 || cx >= (int) grid->nx || cy >= (int) grid->ny)
    return NOBODY;
  return grid->owner[cy * grid->nx + cx];
}

static void
fill_grid (Grid                   *grid,
           const TsuDistrictPoint *points,
           guint                   n_points,
           double                  cell_m,
           double                  reach_m)
{
  double min_lat = G_MAXDOUBLE, max_lat = -G_MAXDOUBLE;
  double min_lon = G_MAXDOUBLE, max_lon = -G_MAXDOUBLE;
  double lon_scale, reach_lat, reach_lon;

  for (guint p = 0; p < n_points; p++)
    {
      min_lat = MIN (min_lat, points[p].latitude);
      max_lat = MAX (max_lat, points[p].latitude);
      min_lon = MIN (min_lon, points[p].longitude);
      max_lon = MAX (max_lon, points[p].longitude);
    }
  /* Metres east–west per degree shrink with the latitude; over one city
   * the middle latitude is close enough. */
  lon_scale = cos ((min_lat + max_lat) / 2 * G_PI / 180);
  reach_lat = reach_m / METRES_PER_DEGREE;
  reach_lon = reach_m / (METRES_PER_DEGREE * lon_scale);
  grid->cell_lat = cell_m / METRES_PER_DEGREE;
  grid->cell_lon = cell_m / (METRES_PER_DEGREE * lon_scale);
  grid->min_lat = min_lat - reach_lat;
  grid->min_lon = min_lon - reach_lon;
  grid->nx = (guint) ceil ((max_lon + reach_lon - grid->min_lon) / grid->cell_lon);
  grid->ny = (guint) ceil ((max_lat + reach_lat - grid->min_lat) / grid->cell_lat);
  grid->owner = g_new (guint, (gsize) grid->nx * grid->ny);

  for (guint cy = 0; cy < grid->ny; cy++)
    for (guint cx = 0; cx < grid->nx; cx++)
      {
        double lat = grid->min_lat + (cy + 0.5) * grid->cell_lat;
        double lon = grid->min_lon + (cx + 0.5) * grid->cell_lon;
        double best = reach_m * reach_m;
        guint owner = NOBODY;

        for (guint p = 0; p < n_points; p++)
          {
            double dy = (points[p].latitude - lat) * METRES_PER_DEGREE;
            double dx = (points[p].longitude - lon) * METRES_PER_DEGREE * lon_scale;
            double d2 = dx * dx + dy * dy;

            if (d2 <= best)
              {
                best = d2;
                owner = points[p].district;
              }
          }
        grid->owner[cy * grid->nx + cx] = owner;
      }
}

/* The boundary edges of one district's cells, each with the district on
 * its left. */
static GArray *
boundary_edges (const Grid *grid,
                guint       district)
{
  GArray *edges = g_array_new (FALSE, FALSE, sizeof (Edge));
  guint stride = grid->nx + 1;

  for (int cy = 0; cy < (int) grid->ny; cy++)
    for (int cx = 0; cx < (int) grid->nx; cx++)
      {
        guint sw = cy * stride + cx, se = sw + 1, nw = sw + stride, ne = nw + 1;

        if (owner_at (grid, cx, cy) != district)
          continue;
        if (owner_at (grid, cx, cy - 1) != district)
          g_array_append_val (edges, ((Edge) { sw, se }));
        if (owner_at (grid, cx + 1, cy) != district)
          g_array_append_val (edges, ((Edge) { se, ne }));
        if (owner_at (grid, cx, cy + 1) != district)
          g_array_append_val (edges, ((Edge) { ne, nw }));
        if (owner_at (grid, cx - 1, cy) != district)
          g_array_append_val (edges, ((Edge) { nw, sw }));
      }
  return edges;
}

/* Repeats the first point at the end. (Not g_array_append_val() of the
 * array's own element: appending may move the array under it.) */
static void
close_ring (GArray *ring)
{
  TsuPoint first = g_array_index (ring, TsuPoint, 0);

  g_array_append_val (ring, first);
}

static void
vertex_xy (const Grid *grid,
           guint       vertex,
           int        *x,
           int        *y)
{
  *x = vertex % (grid->nx + 1);
  *y = vertex / (grid->nx + 1);
}

/* Links the edges into closed rings of grid vertices (as TsuPoints in
 * grid units, first point repeated at the end), dropping the vertices
 * where the boundary goes straight on. */
static GPtrArray *
trace_rings (const Grid *grid,
             GArray     *edges)
{
  GPtrArray *rings = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_autoptr(GHashTable) outgoing = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autofree gboolean *used = g_new0 (gboolean, edges->len);
  g_autofree guint *second = g_new (guint, edges->len);

  /* A vertex has at most two edges leaving it (where two cells touch
   * diagonally): the first is in the table, the other chained to it. */
  for (guint e = 0; e < edges->len; e++)
    {
      const Edge *edge = &g_array_index (edges, Edge, e);
      gpointer key = GUINT_TO_POINTER (edge->from + 1);
      gpointer first = g_hash_table_lookup (outgoing, key);

      second[e] = G_MAXUINT;
      if (first == NULL)
        g_hash_table_insert (outgoing, key, GUINT_TO_POINTER (e + 1));
      else
        second[GPOINTER_TO_UINT (first) - 1] = e;
    }

  for (guint start = 0; start < edges->len; start++)
    {
      g_autoptr(GArray) vertices = NULL;
      GArray *ring;
      guint current = start;
      guint origin = g_array_index (edges, Edge, start).from;

      if (used[start])
        continue;
      vertices = g_array_new (FALSE, FALSE, sizeof (guint));
      g_array_append_val (vertices, origin);
      for (;;)
        {
          const Edge *edge = &g_array_index (edges, Edge, current);
          gpointer first;
          guint candidates[2], best = G_MAXUINT;
          int best_turn = G_MININT, fx, fy, tx, ty;

          used[current] = TRUE;
          g_array_append_val (vertices, edge->to);
          if (edge->to == origin)
            break;
          first = g_hash_table_lookup (outgoing, GUINT_TO_POINTER (edge->to + 1));
          if (first == NULL)
            break;
          candidates[0] = GPOINTER_TO_UINT (first) - 1;
          candidates[1] = second[candidates[0]];
          vertex_xy (grid, edge->from, &fx, &fy);
          vertex_xy (grid, edge->to, &tx, &ty);
          for (guint c = 0; c < 2; c++)
            {
              const Edge *next;
              int nx, ny, turn;

              if (candidates[c] == G_MAXUINT || used[candidates[c]])
                continue;
              next = &g_array_index (edges, Edge, candidates[c]);
              vertex_xy (grid, next->to, &nx, &ny);
              /* Left turns first: the cross product of the two steps. */
              turn = (tx - fx) * (ny - ty) - (ty - fy) * (nx - tx);
              if (turn > best_turn)
                {
                  best_turn = turn;
                  best = candidates[c];
                }
            }
          if (best == G_MAXUINT)
            break;
          current = best;
        }

      if (vertices->len < 5 || g_array_index (vertices, guint, vertices->len - 1) != origin)
        continue;

      /* Only the corners. */
      ring = g_array_new (FALSE, FALSE, sizeof (TsuPoint));
      for (guint k = 0; k + 1 < vertices->len; k++)
        {
          guint before = g_array_index (vertices, guint, k == 0 ? vertices->len - 2 : k - 1);
          guint here = g_array_index (vertices, guint, k);
          guint after = g_array_index (vertices, guint, k + 1);
          int bx, by, hx, hy, ax, ay;

          vertex_xy (grid, before, &bx, &by);
          vertex_xy (grid, here, &hx, &hy);
          vertex_xy (grid, after, &ax, &ay);
          if ((hx - bx) * (ay - hy) - (hy - by) * (ax - hx) != 0)
            g_array_append_val (ring, ((TsuPoint) { hx, hy }));
        }
      if (ring->len < 4)
        {
          g_array_unref (ring);
          continue;
        }
      close_ring (ring);
      g_ptr_array_add (rings, ring);
    }
  return rings;
}

/* Chaikin's corner cutting, on a copy of a closed ring; a plain copy
 * should the cutting ever make it cross itself. */
static GArray *
smooth_ring (GArray *ring)
{
  g_autoptr(GArray) current = g_array_ref (ring);

  for (guint round = 0; round < SMOOTHING_ROUNDS; round++)
    {
      GArray *cut = g_array_sized_new (FALSE, FALSE, sizeof (TsuPoint), current->len * 2);

      for (guint k = 0; k + 1 < current->len; k++)
        {
          TsuPoint a = g_array_index (current, TsuPoint, k);
          TsuPoint b = g_array_index (current, TsuPoint, k + 1);

          g_array_append_val (cut, ((TsuPoint) { 0.75 * a.x + 0.25 * b.x, 0.75 * a.y + 0.25 * b.y }));
          g_array_append_val (cut, ((TsuPoint) { 0.25 * a.x + 0.75 * b.x, 0.25 * a.y + 0.75 * b.y }));
        }
      close_ring (cut);
      g_array_unref (current);
      current = cut;
    }
  if (tsu_ring_self_intersects ((const TsuPoint *) current->data, current->len, NULL, NULL))
    return g_array_copy (ring);
  return g_steal_pointer (&current);
}

static GArray *
to_degrees (const Grid *grid,
            GArray     *ring)
{
  for (guint k = 0; k < ring->len; k++)
    {
      TsuPoint *p = &g_array_index (ring, TsuPoint, k);

      p->x = grid->min_lon + p->x * grid->cell_lon;
      p->y = grid->min_lat + p->y * grid->cell_lat;
    }
  return ring;
}

/* The rings as a shape: each outer ring (counter-clockwise) followed by
 * the holes (clockwise) that lie in it. */
static TsuShape *
shape_from_rings (const Grid *grid,
                  GPtrArray  *rings)
{
  TsuShape *shape = tsu_shape_new ();
  g_autofree gboolean *placed = g_new0 (gboolean, rings->len);

  for (guint o = 0; o < rings->len; o++)
    {
      GArray *outer = g_ptr_array_index (rings, o);

      if (tsu_ring_signed_area ((const TsuPoint *) outer->data, outer->len) <= 0)
        continue;
      tsu_shape_add_ring (shape, TRUE, to_degrees (grid, smooth_ring (outer)));
      for (guint h = 0; h < rings->len; h++)
        {
          GArray *hole = g_ptr_array_index (rings, h);
          TsuPoint inside;

          if (placed[h] || tsu_ring_signed_area ((const TsuPoint *) hole->data, hole->len) >= 0)
            continue;
          /* A point just inside the hole's first edge, off the grid lines. */
          inside.x = (g_array_index (hole, TsuPoint, 0).x + g_array_index (hole, TsuPoint, 1).x) / 2 + 0.01;
          inside.y = (g_array_index (hole, TsuPoint, 0).y + g_array_index (hole, TsuPoint, 1).y) / 2 + 0.01;
          if (tsu_ring_contains ((const TsuPoint *) outer->data, outer->len, inside.x, inside.y))
            {
              tsu_shape_add_ring (shape, FALSE, to_degrees (grid, smooth_ring (hole)));
              placed[h] = TRUE;
            }
        }
    }
  return shape;
}

GPtrArray *
tsu_district_areas_from_points (const TsuDistrictPoint *points,
                                guint                   n_points,
                                guint                   n_districts,
                                double                  cell_m,
                                double                  reach_m)
{
  GPtrArray *areas = g_ptr_array_new_full (n_districts, (GDestroyNotify) tsu_shape_free);
  Grid grid = { 0 };

  g_return_val_if_fail (points != NULL || n_points == 0, areas);
  g_return_val_if_fail (cell_m > 0 && reach_m > 0, areas);

  g_ptr_array_set_size (areas, n_districts);
  if (n_points == 0)
    return areas;

  fill_grid (&grid, points, n_points, cell_m, reach_m);
  for (guint d = 0; d < n_districts; d++)
    {
      g_autoptr(GArray) edges = boundary_edges (&grid, d);
      g_autoptr(GPtrArray) rings = NULL;

      if (edges->len == 0)
        continue;
      rings = trace_rings (&grid, edges);
      g_ptr_array_index (areas, d) = shape_from_rings (&grid, rings);
    }
  g_free (grid.owner);
  return areas;
}
