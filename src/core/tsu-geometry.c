/* tsu-geometry.c: Web-Mercator projection, polygons and hit-testing math
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "tsu-geometry.h"

struct _TsuShape
{
  GPtrArray *rings;       /* GArray of TsuPoint */
  GArray    *is_outer;    /* gboolean per ring */
};

void
tsu_mercator_project (double  latitude,
                      double  longitude,
                      double *x,
                      double *y)
{
  double lat = CLAMP (latitude, -TSU_MERCATOR_MAX_LATITUDE, TSU_MERCATOR_MAX_LATITUDE);
  double phi = lat * G_PI / 180.0;

  *x = (longitude + 180.0) / 360.0;
  *y = (1.0 - log (tan (phi) + 1.0 / cos (phi)) / G_PI) / 2.0;
}

void
tsu_mercator_unproject (double  x,
                        double  y,
                        double *latitude,
                        double *longitude)
{
  double n = G_PI - 2.0 * G_PI * y;

  *longitude = x * 360.0 - 180.0;
  *latitude = 180.0 / G_PI * atan (0.5 * (exp (n) - exp (-n)));
}

double
tsu_mercator_world_size (double zoom)
{
  return 256.0 * exp2 (zoom);
}

double
tsu_mercator_fit_zoom (const TsuBBox *box,
                       double         width,
                       double         height,
                       double         min_zoom,
                       double         max_zoom)
{
  double w = box->max_x - box->min_x;
  double h = box->max_y - box->min_y;
  double zx, zy;

  if (tsu_bbox_is_empty (box) || width <= 0 || height <= 0)
    return min_zoom;
  /* A single point (or a degenerate box) fits at any zoom: take the most
   * detailed one allowed. */
  zx = w > 0 ? log2 (width / (256.0 * w)) : max_zoom;
  zy = h > 0 ? log2 (height / (256.0 * h)) : max_zoom;
  return CLAMP (MIN (zx, zy), min_zoom, max_zoom);
}

void
tsu_bbox_init_empty (TsuBBox *box)
{
  box->min_x = box->min_y = G_MAXDOUBLE;
  box->max_x = box->max_y = -G_MAXDOUBLE;
}

void
tsu_bbox_extend (TsuBBox *box,
                 double   x,
                 double   y)
{
  box->min_x = MIN (box->min_x, x);
  box->min_y = MIN (box->min_y, y);
  box->max_x = MAX (box->max_x, x);
  box->max_y = MAX (box->max_y, y);
}

gboolean
tsu_bbox_is_empty (const TsuBBox *box)
{
  return box->min_x > box->max_x || box->min_y > box->max_y;
}

gboolean
tsu_bbox_contains (const TsuBBox *box,
                   double         x,
                   double         y)
{
  return x >= box->min_x && x <= box->max_x && y >= box->min_y && y <= box->max_y;
}

double
tsu_ring_signed_area (const TsuPoint *p,
                      guint           n)
{
  double sum = 0;

  /* Shoelace formula; positive for counter-clockwise rings in x-right,
   * y-up coordinates (lon/lat). */
  for (guint i = 0; i + 1 < n; i++)
    sum += p[i].x * p[i + 1].y - p[i + 1].x * p[i].y;
  return sum / 2.0;
}

gboolean
tsu_ring_contains (const TsuPoint *p,
                   guint           n,
                   double          x,
                   double          y)
{
  gboolean inside = FALSE;

  /* Crossing number with half-open edges, so a ray through a vertex is
   * counted once. */
  for (guint i = 0; i + 1 < n; i++)
    {
      const TsuPoint *a = &p[i];
      const TsuPoint *b = &p[i + 1];

      if ((a->y > y) != (b->y > y))
        {
          double cross_x = a->x + (y - a->y) * (b->x - a->x) / (b->y - a->y);
          if (x < cross_x)
            inside = !inside;
        }
    }
  return inside;
}

static int
orientation (const TsuPoint *a,
             const TsuPoint *b,
             const TsuPoint *c)
{
  double v = (b->x - a->x) * (c->y - a->y) - (b->y - a->y) * (c->x - a->x);

  return v > 0 ? 1 : (v < 0 ? -1 : 0);
}

static gboolean
on_segment (const TsuPoint *a,
            const TsuPoint *b,
            const TsuPoint *c)
{
  /* c is collinear with a-b: is it between them? */
  return c->x >= MIN (a->x, b->x) && c->x <= MAX (a->x, b->x) &&
         c->y >= MIN (a->y, b->y) && c->y <= MAX (a->y, b->y);
}

static gboolean
segments_intersect (const TsuPoint *p1,
                    const TsuPoint *p2,
                    const TsuPoint *q1,
                    const TsuPoint *q2)
{
  int o1 = orientation (p1, p2, q1);
  int o2 = orientation (p1, p2, q2);
  int o3 = orientation (q1, q2, p1);
  int o4 = orientation (q1, q2, p2);

  if (o1 != o2 && o3 != o4)
    return TRUE;
  return (o1 == 0 && on_segment (p1, p2, q1)) ||
         (o2 == 0 && on_segment (p1, p2, q2)) ||
         (o3 == 0 && on_segment (q1, q2, p1)) ||
         (o4 == 0 && on_segment (q1, q2, p2));
}

typedef struct
{
  double min_x;
  double max_x;
  guint  index;
} Edge;

static int
compare_edges (const void *a,
               const void *b)
{
  const Edge *ea = a;
  const Edge *eb = b;

  return (ea->min_x > eb->min_x) - (ea->min_x < eb->min_x);
}

gboolean
tsu_ring_self_intersects (const TsuPoint *p,
                          guint           n,
                          guint          *edge_a,
                          guint          *edge_b)
{
  guint n_edges;
  g_autofree Edge *edges = NULL;

  if (n < 4)
    return FALSE;
  n_edges = n - 1;

  /* Sweep along x: only edges whose x-ranges overlap are compared, which
   * keeps real boundaries (thousands of vertices) near n log n. */
  edges = g_new (Edge, n_edges);
  for (guint i = 0; i < n_edges; i++)
    {
      edges[i].min_x = MIN (p[i].x, p[i + 1].x);
      edges[i].max_x = MAX (p[i].x, p[i + 1].x);
      edges[i].index = i;
    }
  qsort (edges, n_edges, sizeof (Edge), compare_edges);

  for (guint i = 0; i < n_edges; i++)
    for (guint j = i + 1; j < n_edges && edges[j].min_x <= edges[i].max_x; j++)
      {
        guint a = MIN (edges[i].index, edges[j].index);
        guint b = MAX (edges[i].index, edges[j].index);

        /* Neighbours share a point by construction. */
        if (b == a + 1 || (a == 0 && b == n_edges - 1))
          continue;
        if (segments_intersect (&p[a], &p[a + 1], &p[b], &p[b + 1]))
          {
            if (edge_a != NULL)
              *edge_a = a;
            if (edge_b != NULL)
              *edge_b = b;
            return TRUE;
          }
      }
  return FALSE;
}

TsuShape *
tsu_shape_new (void)
{
  TsuShape *shape = g_new0 (TsuShape, 1);

  shape->rings = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  shape->is_outer = g_array_new (FALSE, FALSE, sizeof (gboolean));
  return shape;
}

void
tsu_shape_free (TsuShape *shape)
{
  if (shape == NULL)
    return;
  g_ptr_array_unref (shape->rings);
  g_array_unref (shape->is_outer);
  g_free (shape);
}

TsuShape *
tsu_shape_copy (const TsuShape *shape)
{
  TsuShape *copy = tsu_shape_new ();

  for (guint i = 0; i < shape->rings->len; i++)
    {
      GArray *ring = g_ptr_array_index (shape->rings, i);
      GArray *dup = g_array_sized_new (FALSE, FALSE, sizeof (TsuPoint), ring->len);

      g_array_append_vals (dup, ring->data, ring->len);
      tsu_shape_add_ring (copy, g_array_index (shape->is_outer, gboolean, i), dup);
    }
  return copy;
}

void
tsu_shape_add_ring (TsuShape *shape,
                    gboolean  starts_polygon,
                    GArray   *ring)
{
  g_return_if_fail (shape != NULL);
  g_return_if_fail (ring != NULL);

  g_ptr_array_add (shape->rings, ring);
  g_array_append_val (shape->is_outer, starts_polygon);
}

guint
tsu_shape_get_n_rings (const TsuShape *shape)
{
  return shape->rings->len;
}

const TsuPoint *
tsu_shape_get_ring (const TsuShape *shape,
                    guint           index,
                    guint          *n_points,
                    gboolean       *is_outer)
{
  GArray *ring;

  g_return_val_if_fail (index < shape->rings->len, NULL);

  ring = g_ptr_array_index (shape->rings, index);
  if (n_points != NULL)
    *n_points = ring->len;
  if (is_outer != NULL)
    *is_outer = g_array_index (shape->is_outer, gboolean, index);
  return (const TsuPoint *) ring->data;
}

guint
tsu_shape_get_n_polygons (const TsuShape *shape)
{
  guint n = 0;

  for (guint i = 0; i < shape->is_outer->len; i++)
    if (g_array_index (shape->is_outer, gboolean, i))
      n++;
  return n;
}

TsuBBox
tsu_shape_get_bbox (const TsuShape *shape)
{
  TsuBBox box;

  tsu_bbox_init_empty (&box);
  for (guint i = 0; i < shape->rings->len; i++)
    {
      GArray *ring = g_ptr_array_index (shape->rings, i);

      for (guint j = 0; j < ring->len; j++)
        {
          TsuPoint *pt = &g_array_index (ring, TsuPoint, j);
          tsu_bbox_extend (&box, pt->x, pt->y);
        }
    }
  return box;
}

gboolean
tsu_shape_contains (const TsuShape *shape,
                    double          longitude,
                    double          latitude)
{
  gboolean inside = FALSE;

  for (guint i = 0; i < shape->rings->len; i++)
    {
      GArray *ring = g_ptr_array_index (shape->rings, i);

      if (tsu_ring_contains ((const TsuPoint *) ring->data, ring->len, longitude, latitude))
        inside = !inside;
    }
  return inside;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double da = *(const double *) a;
  double db = *(const double *) b;

  return (da > db) - (da < db);
}

void
tsu_shape_get_label_point (const TsuShape *shape,
                           double         *longitude,
                           double         *latitude)
{
  GArray *best = NULL;
  double best_area = -1;
  double cx = 0, cy = 0, a = 0;
  g_autoptr(GArray) crossings = NULL;
  double widest = -1;

  *longitude = *latitude = 0;
  for (guint i = 0; i < shape->rings->len; i++)
    {
      GArray *ring = g_ptr_array_index (shape->rings, i);
      double area;

      if (!g_array_index (shape->is_outer, gboolean, i))
        continue;
      area = fabs (tsu_ring_signed_area ((const TsuPoint *) ring->data, ring->len));
      if (area > best_area)
        {
          best_area = area;
          best = ring;
        }
    }
  if (best == NULL || best->len == 0)
    return;

  /* Area-weighted centroid of the largest outer ring. */
  for (guint i = 0; i + 1 < best->len; i++)
    {
      TsuPoint *p = &g_array_index (best, TsuPoint, i);
      TsuPoint *q = &g_array_index (best, TsuPoint, i + 1);
      double f = p->x * q->y - q->x * p->y;

      cx += (p->x + q->x) * f;
      cy += (p->y + q->y) * f;
      a += f;
    }
  if (fabs (a) < 1e-18)
    {
      TsuPoint *p = &g_array_index (best, TsuPoint, 0);
      *longitude = p->x;
      *latitude = p->y;
      return;
    }
  cx /= 3 * a;
  cy /= 3 * a;
  if (tsu_shape_contains (shape, cx, cy))
    {
      *longitude = cx;
      *latitude = cy;
      return;
    }

  /* A crescent's centroid falls outside: take the middle of the widest
   * inside stretch of the horizontal line through it instead. */
  crossings = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint r = 0; r < shape->rings->len; r++)
    {
      GArray *ring = g_ptr_array_index (shape->rings, r);

      for (guint i = 0; i + 1 < ring->len; i++)
        {
          TsuPoint *p = &g_array_index (ring, TsuPoint, i);
          TsuPoint *q = &g_array_index (ring, TsuPoint, i + 1);

          if ((p->y > cy) != (q->y > cy))
            {
              double x = p->x + (cy - p->y) * (q->x - p->x) / (q->y - p->y);
              g_array_append_val (crossings, x);
            }
        }
    }
  g_array_sort (crossings, compare_doubles);
  *longitude = cx;
  *latitude = cy;
  for (guint i = 0; i + 1 < crossings->len; i += 2)
    {
      double x0 = g_array_index (crossings, double, i);
      double x1 = g_array_index (crossings, double, i + 1);

      if (x1 - x0 > widest)
        {
          widest = x1 - x0;
          *longitude = (x0 + x1) / 2;
        }
    }
}

static void
append_ring (GString *out,
             GArray  *ring)
{
  g_string_append_c (out, '[');
  for (guint i = 0; i < ring->len; i++)
    {
      TsuPoint *p = &g_array_index (ring, TsuPoint, i);
      char bx[G_ASCII_DTOSTR_BUF_SIZE], by[G_ASCII_DTOSTR_BUF_SIZE];

      g_string_append_printf (out, "%s[%s,%s]", i > 0 ? "," : "",
                              g_ascii_formatd (bx, sizeof bx, "%.7f", p->x),
                              g_ascii_formatd (by, sizeof by, "%.7f", p->y));
    }
  g_string_append_c (out, ']');
}

char *
tsu_shape_to_geojson (const TsuShape *shape)
{
  GString *out = g_string_new (NULL);
  gboolean multi = tsu_shape_get_n_polygons (shape) > 1;
  gboolean open_polygon = FALSE;

  g_string_append_printf (out, "{\"type\":\"%s\",\"coordinates\":", multi ? "MultiPolygon" : "Polygon");
  if (multi)
    g_string_append_c (out, '[');
  for (guint i = 0; i < shape->rings->len; i++)
    {
      gboolean outer = g_array_index (shape->is_outer, gboolean, i);

      if (outer)
        {
          if (open_polygon)
            g_string_append (out, "],");
          g_string_append_c (out, '[');
          open_polygon = TRUE;
        }
      else
        g_string_append_c (out, ',');
      append_ring (out, g_ptr_array_index (shape->rings, i));
    }
  if (open_polygon)
    g_string_append_c (out, ']');
  else
    g_string_append (out, "[]");
  if (multi)
    g_string_append_c (out, ']');
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}
