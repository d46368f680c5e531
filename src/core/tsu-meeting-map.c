/* tsu-meeting-map.c: the anonymised district map for network meetings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Residents sit at the 地域福祉ネットワーク会議, so this map is anonymous by
 * construction: the model is built only from per-area counts (never from
 * household rows), areas with fewer than min_count watched households are
 * pooled into one line without a position, and the only text drawn is
 * district and 自治会 names, numbers and fixed labels
 * (tsu_meeting_map_dup_text lists all of it).
 */
#include "config.h"

#include <glib/gstdio.h>

#include <math.h>
#include <string.h>
#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <pango/pangocairo.h>

#include "tsu-meeting-map.h"
#include "tsu-summary.h"

#define FONT_FAMILY "Noto Sans CJK JP"

typedef struct
{
  double x, y;
} Point;

struct _TsuMeetingMap
{
  GObject      parent_instance;

  char        *district_name;
  char        *from;
  char        *to;
  char        *attribution;
  double       cell_metres;
  guint        min_count;
  TsuReportGrid grid;

  GPtrArray   *areas;         /* TsuMeetingMapArea, shown */
  TsuMeetingMapArea pooled;   /* too small to show */
  guint        n_suppressed;
  gint64       total_households;
  gint64       total_visited;

  GArray      *rings;         /* of GArray of Point (metres) */
  gboolean     approximate;
};

G_DEFINE_FINAL_TYPE (TsuMeetingMap, tsu_meeting_map, G_TYPE_OBJECT)

static void
area_free (gpointer data)
{
  TsuMeetingMapArea *a = data;
  g_free (a->label);
  g_free (a);
}

static void
tsu_meeting_map_finalize (GObject *object)
{
  TsuMeetingMap *self = TSU_MEETING_MAP (object);

  g_free (self->district_name);
  g_free (self->from);
  g_free (self->to);
  g_free (self->attribution);
  g_clear_pointer (&self->areas, g_ptr_array_unref);
  g_free (self->pooled.label);
  if (self->rings != NULL)
    {
      for (guint i = 0; i < self->rings->len; i++)
        g_array_unref (g_array_index (self->rings, GArray *, i));
      g_array_unref (self->rings);
    }
  G_OBJECT_CLASS (tsu_meeting_map_parent_class)->finalize (object);
}

static void
tsu_meeting_map_class_init (TsuMeetingMapClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tsu_meeting_map_finalize;
}

static void
tsu_meeting_map_init (TsuMeetingMap *self)
{
  self->areas = g_ptr_array_new_with_free_func (area_free);
  self->rings = g_array_new (FALSE, FALSE, sizeof (GArray *));
  self->attribution = g_strdup (_("No base map is drawn: boundary and counts only."));
}

static void
project (const TsuReportGrid *grid,
         double               lat,
         double               lon,
         Point               *p)
{
  p->x = (lon - grid->origin_lon) * grid->metres_per_deg_lon;
  p->y = (lat - grid->origin_lat) * grid->metres_per_deg_lat;
}

/* Reads a GeoJSON Polygon or MultiPolygon (bare, or in a Feature) into
 * outer rings; holes are not needed for an outline. */
static gboolean
parse_boundary (TsuMeetingMap *self,
                const char    *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *geometry;
  JsonArray *coordinates;
  const char *type;

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL))
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return FALSE;
  geometry = json_node_get_object (json_parser_get_root (parser));
  if (json_object_has_member (geometry, "geometry") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (geometry, "geometry")))
    geometry = json_object_get_object_member (geometry, "geometry");
  type = json_object_get_string_member_with_default (geometry, "type", "");
  if (!json_object_has_member (geometry, "coordinates") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (geometry, "coordinates")))
    return FALSE;
  coordinates = json_object_get_array_member (geometry, "coordinates");

  for (guint p = 0; p < json_array_get_length (coordinates); p++)
    {
      JsonArray *polygon;
      JsonArray *ring;
      GArray *points;

      if (g_str_equal (type, "Polygon"))
        {
          polygon = coordinates;
          if (p > 0)
            break;
        }
      else if (g_str_equal (type, "MultiPolygon"))
        {
          if (!JSON_NODE_HOLDS_ARRAY (json_array_get_element (coordinates, p)))
            return FALSE;
          polygon = json_array_get_array_element (coordinates, p);
        }
      else
        return FALSE;

      if (json_array_get_length (polygon) == 0 ||
          !JSON_NODE_HOLDS_ARRAY (json_array_get_element (polygon, 0)))
        return FALSE;
      ring = json_array_get_array_element (polygon, 0);
      points = g_array_new (FALSE, FALSE, sizeof (Point));
      for (guint i = 0; i < json_array_get_length (ring); i++)
        {
          JsonNode *node = json_array_get_element (ring, i);
          JsonArray *pair;
          Point pt;

          if (!JSON_NODE_HOLDS_ARRAY (node) ||
              json_array_get_length (pair = json_node_get_array (node)) < 2)
            {
              g_array_unref (points);
              return FALSE;
            }
          project (&self->grid,
                   json_array_get_double_element (pair, 1),
                   json_array_get_double_element (pair, 0), &pt);
          g_array_append_val (points, pt);
        }
      g_array_append_val (self->rings, points);
    }
  return self->rings->len > 0;
}

static double
cross (const Point *o,
       const Point *a,
       const Point *b)
{
  return (a->x - o->x) * (b->y - o->y) - (a->y - o->y) * (b->x - o->x);
}

static int
compare_points (gconstpointer a,
                gconstpointer b)
{
  const Point *p = a, *q = b;

  if (p->x != q->x)
    return p->x < q->x ? -1 : 1;
  if (p->y != q->y)
    return p->y < q->y ? -1 : 1;
  return 0;
}

/* The convex hull of the corners of every occupied grid cell: an outline
 * that follows where people live without passing through any house. */
static void
approximate_boundary (TsuMeetingMap *self,
                      GArray        *cells)
{
  g_autoptr(GArray) pts = g_array_new (FALSE, FALSE, sizeof (Point));
  GArray *hull;
  double c = self->grid.cell_metres;
  guint n, k = 0;

  for (guint i = 0; i < cells->len; i++)
    {
      TsuReportCell *cell = &g_array_index (cells, TsuReportCell, i);
      Point corners[4] = {
        { cell->x * c, cell->y * c }, { (cell->x + 1) * c, cell->y * c },
        { cell->x * c, (cell->y + 1) * c }, { (cell->x + 1) * c, (cell->y + 1) * c },
      };
      g_array_append_vals (pts, corners, 4);
    }
  if (pts->len < 3)
    return;

  g_array_sort (pts, compare_points);
  n = pts->len;
  hull = g_array_sized_new (FALSE, FALSE, sizeof (Point), 2 * n);
  g_array_set_size (hull, 2 * n);
  /* Andrew's monotone chain. */
  for (guint i = 0; i < n; i++)
    {
      Point *p = &g_array_index (pts, Point, i);
      while (k >= 2 && cross (&g_array_index (hull, Point, k - 2), &g_array_index (hull, Point, k - 1), p) <= 0)
        k--;
      g_array_index (hull, Point, k++) = *p;
    }
  for (int i = (int) n - 2, t = k + 1; i >= 0; i--)
    {
      Point *p = &g_array_index (pts, Point, i);
      while ((int) k >= t && cross (&g_array_index (hull, Point, k - 2), &g_array_index (hull, Point, k - 1), p) <= 0)
        k--;
      g_array_index (hull, Point, k++) = *p;
    }
  g_array_set_size (hull, k > 0 ? k - 1 : 0);
  g_array_append_val (self->rings, hull);
  self->approximate = TRUE;
}

static int
compare_areas (gconstpointer a,
               gconstpointer b)
{
  const TsuMeetingMapArea *p = *(TsuMeetingMapArea **) a;
  const TsuMeetingMapArea *q = *(TsuMeetingMapArea **) b;

  /* Top to bottom, left to right, as people read a printed map. */
  if (p->drawn != q->drawn)
    return p->drawn ? -1 : 1;
  if (fabs (p->y - q->y) > 1)
    return p->y > q->y ? -1 : 1;
  if (p->x != q->x)
    return p->x < q->x ? -1 : 1;
  return g_strcmp0 (p->label, q->label);
}

TsuMeetingMap *
tsu_meeting_map_new_from_store (TsuStore    *store,
                                const char  *district_id,
                                const char  *from,
                                const char  *to,
                                double       cell_metres,
                                guint        min_count,
                                GError     **error)
{
  g_autoptr(TsuMeetingMap) self = NULL;
  g_autoptr(JsonObject) district = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) local_error = NULL;
  double min_lat = 0, min_lon = 0, max_lat = 0, max_lon = 0;
  guint n_cells = 0;

  g_return_val_if_fail (TSU_IS_STORE (store), NULL);
  g_return_val_if_fail (district_id != NULL, NULL);

  district = tsu_store_get_record (store, "district", district_id, error);
  if (district == NULL)
    return NULL;

  self = g_object_new (TSU_TYPE_MEETING_MAP, NULL);
  self->district_name = g_strdup (json_object_get_string_member_with_default (district, "name", ""));
  self->from = g_strdup (from);
  self->to = g_strdup (to);
  self->cell_metres = cell_metres > 0 ? cell_metres : TSU_MEETING_MAP_DEFAULT_CELL_METRES;
  self->min_count = min_count > 0 ? min_count : 1;

  if (!tsu_store_report_district_extent (store, district_id, &min_lat, &min_lon,
                                         &max_lat, &max_lon, &local_error))
    {
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      /* No positions: fall back on the district's centre for the grid. */
      min_lat = json_object_get_double_member_with_default (district, "lat", 34.77);
      min_lon = json_object_get_double_member_with_default (district, "lon", 136.13);
    }
  tsu_report_grid_init (&self->grid, min_lat, min_lon, self->cell_metres);

  rows = tsu_store_report_meeting_areas (store, district_id, from, to, &self->grid, error);
  if (rows == NULL)
    return NULL;

  self->pooled.label = g_strdup (_("Other areas (combined)"));
  for (guint i = 0; i < rows->len; i++)
    {
      TsuReportArea *row = rows->pdata[i];
      TsuMeetingMapArea *area;

      self->total_households += row->households;
      self->total_visited += row->visited;

      if ((guint64) row->households < self->min_count || !row->located)
        {
          /* Too few to show without singling someone out: counted in the
           * district total and in one pooled line that has no position. */
          self->pooled.households += row->households;
          self->pooled.visited += row->visited;
          for (guint bit = 0; bit < TSU_REPORT_N_FLAGS; bit++)
            self->pooled.flag_counts[bit] += row->flag_counts[bit];
          self->n_suppressed++;
          continue;
        }

      area = g_new0 (TsuMeetingMapArea, 1);
      area->households = row->households;
      area->visited = row->visited;
      memcpy (area->flag_counts, row->flag_counts, sizeof area->flag_counts);
      if (row->jichikai != NULL)
        {
          Point p;

          area->label = g_strdup (row->jichikai);
          /* A 自治会 whose households have no position is listed, not drawn. */
          area->drawn = row->mean_lat != 0 || row->mean_lon != 0;
          project (&self->grid, row->mean_lat, row->mean_lon, &p);
          area->x = p.x;
          area->y = p.y;
        }
      else
        {
          area->is_cell = TRUE;
          area->drawn = TRUE;
          area->x = row->cell_x * self->grid.cell_metres;
          area->y = row->cell_y * self->grid.cell_metres;
        }
      g_ptr_array_add (self->areas, area);
    }

  g_ptr_array_sort (self->areas, compare_areas);
  for (guint i = 0; i < self->areas->len; i++)
    {
      TsuMeetingMapArea *area = self->areas->pdata[i];

      if (area->is_cell)
        area->label = g_strdup_printf ("%s%u", C_("grid cell prefix", "C"), ++n_cells);
    }

  if (!parse_boundary (self, json_object_get_string_member_with_default (district, "boundary", NULL)))
    {
      g_autoptr(GArray) cells = tsu_store_report_occupied_cells (store, district_id, &self->grid, error);

      if (cells == NULL)
        return NULL;
      for (guint i = 0; i < self->rings->len; i++)
        g_array_unref (g_array_index (self->rings, GArray *, i));
      g_array_set_size (self->rings, 0);
      approximate_boundary (self, cells);
    }
  else if (json_object_get_boolean_member_with_default (district, "boundary_approximate", FALSE))
    self->approximate = TRUE;

  return g_steal_pointer (&self);
}

const char *
tsu_meeting_map_get_district_name (TsuMeetingMap *self)
{
  g_return_val_if_fail (TSU_IS_MEETING_MAP (self), NULL);
  return self->district_name;
}

gboolean
tsu_meeting_map_get_boundary_approximate (TsuMeetingMap *self)
{
  g_return_val_if_fail (TSU_IS_MEETING_MAP (self), FALSE);
  return self->approximate;
}

guint
tsu_meeting_map_get_min_count (TsuMeetingMap *self)
{
  g_return_val_if_fail (TSU_IS_MEETING_MAP (self), 0);
  return self->min_count;
}

GPtrArray *
tsu_meeting_map_get_areas (TsuMeetingMap *self)
{
  g_return_val_if_fail (TSU_IS_MEETING_MAP (self), NULL);
  return self->areas;
}

const TsuMeetingMapArea *
tsu_meeting_map_get_pooled (TsuMeetingMap *self)
{
  g_return_val_if_fail (TSU_IS_MEETING_MAP (self), NULL);
  return &self->pooled;
}

guint
tsu_meeting_map_get_n_suppressed (TsuMeetingMap *self)
{
  g_return_val_if_fail (TSU_IS_MEETING_MAP (self), 0);
  return self->n_suppressed;
}

void
tsu_meeting_map_get_totals (TsuMeetingMap *self,
                            gint64        *households,
                            gint64        *visited)
{
  g_return_if_fail (TSU_IS_MEETING_MAP (self));
  if (households)
    *households = self->total_households;
  if (visited)
    *visited = self->total_visited;
}

void
tsu_meeting_map_set_attribution (TsuMeetingMap *self,
                                 const char    *attribution)
{
  g_return_if_fail (TSU_IS_MEETING_MAP (self));
  g_free (self->attribution);
  self->attribution = g_strdup (attribution);
}

/* ---- text ------------------------------------------------------------ */

static char *
format_coverage (gint64 visited,
                 gint64 households)
{
  if (households <= 0)
    return g_strdup ("—");
  return g_strdup_printf ("%d%%", (int) floor (100.0 * visited / households + 0.5));
}

/* The largest flags of an area, only those with at least min_count
 * households, so that a rare flag in a small area is not told apart. */
static char *
format_main_flags (TsuMeetingMap           *self,
                   const TsuMeetingMapArea *area)
{
  GString *s = g_string_new (NULL);
  gboolean used[TSU_REPORT_N_FLAGS] = { FALSE, };

  for (guint n = 0; n < 3; n++)
    {
      int best = -1;

      for (guint bit = 0; bit < TSU_REPORT_N_FLAGS; bit++)
        if (!used[bit] && (guint64) area->flag_counts[bit] >= self->min_count &&
            (best < 0 || area->flag_counts[bit] > area->flag_counts[best]))
          best = bit;
      if (best < 0)
        break;
      used[best] = TRUE;
      if (s->len > 0)
        g_string_append (s, " ");
      if (tsu_report_flag_label (best) != NULL)
        g_string_append_printf (s, "%s %" G_GINT64_FORMAT, tsu_report_flag_label (best), area->flag_counts[best]);
      else
        {
          g_autofree char *label = g_strdup_printf (_("Flag %d"), best + 1);
          g_string_append_printf (s, "%s %" G_GINT64_FORMAT, label, area->flag_counts[best]);
        }
    }
  return g_string_free (s, FALSE);
}

static char *
format_title (TsuMeetingMap *self)
{
  return g_strdup_printf (_("%s: watched households and visits"), self->district_name);
}

static char *
format_total_line (TsuMeetingMap *self)
{
  g_autofree char *coverage = format_coverage (self->total_visited, self->total_households);
  g_autofree char *watched = g_strdup_printf ("%" G_GINT64_FORMAT, self->total_households);
  g_autofree char *visited = g_strdup_printf ("%" G_GINT64_FORMAT, self->total_visited);

  /* TRANSLATORS: the numbers of watched and visited households, and the share */
  return g_strdup_printf (_("Watched households: %s; visited in the period: %s (%s)"),
                          watched, visited, coverage);
}

static char *
format_note_line (TsuMeetingMap *self)
{
  return g_strdup_printf (_("Areas with fewer than %u watched households are combined without a position. No names, addresses or individual households are shown."),
                          self->min_count);
}

char *
tsu_meeting_map_dup_text (TsuMeetingMap *self)
{
  GString *s = g_string_new (NULL);
  g_autofree char *title = format_title (self);
  g_autofree char *period = tsu_summary_format_period (self->from, self->to);
  g_autofree char *total = format_total_line (self);
  g_autofree char *note = format_note_line (self);

  g_return_val_if_fail (TSU_IS_MEETING_MAP (self), NULL);

  g_string_append_printf (s, "%s\n%s\n%s\n%s\n%s\n", title, period, total, note, self->attribution);
  if (self->approximate)
    g_string_append_printf (s, "%s\n", _("Approximate boundary"));
  for (guint i = 0; i < self->areas->len; i++)
    {
      TsuMeetingMapArea *area = self->areas->pdata[i];
      g_autofree char *coverage = format_coverage (area->visited, area->households);
      g_autofree char *flags = format_main_flags (self, area);

      g_string_append_printf (s, "%s\t%" G_GINT64_FORMAT "\t%" G_GINT64_FORMAT "\t%s\t%s\n",
                              area->label, area->households, area->visited, coverage, flags);
    }
  if (self->pooled.households > 0)
    {
      g_autofree char *coverage = format_coverage (self->pooled.visited, self->pooled.households);
      g_string_append_printf (s, "%s\t%" G_GINT64_FORMAT "\t%" G_GINT64_FORMAT "\t%s\n",
                              self->pooled.label, self->pooled.households, self->pooled.visited, coverage);
    }
  return g_string_free (s, FALSE);
}

/* ---- drawing --------------------------------------------------------- */

/* Coverage classes, light to dark: readable in grey on a black-and-white
 * printer and for colour-blind readers. */
static const double coverage_colours[4][3] = {
  { 0.937, 0.953, 1.000 },
  { 0.741, 0.843, 0.906 },
  { 0.420, 0.682, 0.839 },
  { 0.129, 0.443, 0.710 },
};

static guint
coverage_class (gint64 visited,
                gint64 households)
{
  double share = households > 0 ? (double) visited / households : 0;

  if (share < 0.25)
    return 0;
  if (share < 0.5)
    return 1;
  if (share < 0.75)
    return 2;
  return 3;
}

static void
draw_text (cairo_t    *cr,
           const char *text,
           double      x,
           double      y,
           double      size,
           gboolean    bold,
           double      max_width,
           double      align)  /* 0 left, 0.5 centre, 1 right */
{
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string (FONT_FAMILY);
  g_autofree char *flat = g_strdelimit (g_strdup (text), "\r\n\t", ' ');
  int w, h;

  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, flat, -1);
  if (max_width > 0)
    {
      pango_layout_set_width (layout, (int) (max_width * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, x - align * w, y);
  pango_cairo_show_layout (cr, layout);
}

static void
extent (TsuMeetingMap *self,
        double        *x0,
        double        *y0,
        double        *x1,
        double        *y1)
{
  double c = self->grid.cell_metres;

  *x0 = *y0 = G_MAXDOUBLE;
  *x1 = *y1 = -G_MAXDOUBLE;
  for (guint r = 0; r < self->rings->len; r++)
    {
      GArray *ring = g_array_index (self->rings, GArray *, r);
      for (guint i = 0; i < ring->len; i++)
        {
          Point *p = &g_array_index (ring, Point, i);
          *x0 = MIN (*x0, p->x); *x1 = MAX (*x1, p->x);
          *y0 = MIN (*y0, p->y); *y1 = MAX (*y1, p->y);
        }
    }
  for (guint i = 0; i < self->areas->len; i++)
    {
      TsuMeetingMapArea *a = self->areas->pdata[i];
      if (!a->drawn)
        continue;
      *x0 = MIN (*x0, a->x); *x1 = MAX (*x1, a->x + (a->is_cell ? c : 0));
      *y0 = MIN (*y0, a->y); *y1 = MAX (*y1, a->y + (a->is_cell ? c : 0));
    }
  if (*x0 > *x1)
    {
      *x0 = *y0 = 0;
      *x1 = *y1 = c;
    }
}

static void
draw_map (TsuMeetingMap *self,
          cairo_t       *cr,
          double         mx,
          double         my,
          double         mw,
          double         mh,
          double         u)     /* scale of the page: 1 on A4 in points */
{
  double x0, y0, x1, y1, scale, ox, oy;
  double c = self->grid.cell_metres;

  extent (self, &x0, &y0, &x1, &y1);
  x0 -= c / 2; y0 -= c / 2; x1 += c / 2; y1 += c / 2;
  scale = MIN (mw / (x1 - x0), mh / (y1 - y0));
  ox = mx + (mw - (x1 - x0) * scale) / 2;
  oy = my + (mh - (y1 - y0) * scale) / 2;

#define TX(vx) (ox + ((vx) - x0) * scale)
#define TY(vy) (oy + (y1 - (vy)) * scale)

  cairo_save (cr);
  cairo_rectangle (cr, mx, my, mw, mh);
  cairo_clip (cr);

  /* District outline. */
  for (guint r = 0; r < self->rings->len; r++)
    {
      GArray *ring = g_array_index (self->rings, GArray *, r);
      for (guint i = 0; i < ring->len; i++)
        {
          Point *p = &g_array_index (ring, Point, i);
          if (i == 0)
            cairo_move_to (cr, TX (p->x), TY (p->y));
          else
            cairo_line_to (cr, TX (p->x), TY (p->y));
        }
      cairo_close_path (cr);
    }
  cairo_set_source_rgb (cr, 0.97, 0.97, 0.95);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
  cairo_set_line_width (cr, 1.5 * u);
  if (self->approximate)
    {
      double dash[] = { 6 * u, 4 * u };
      cairo_set_dash (cr, dash, 2, 0);
    }
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);

  /* Cells: squares; 自治会: discs at their mean position, sized by count. */
  /* Cells first, discs on top, so a 自治会 inside a cell stays readable. */
  for (guint i = 0; i < 2 * self->areas->len; i++)
    {
      TsuMeetingMapArea *a = self->areas->pdata[i % self->areas->len];
      const double *rgb = coverage_colours[coverage_class (a->visited, a->households)];
      g_autofree char *count = NULL;
      double cx, cy, size;

      if (!a->drawn || a->is_cell != (i < self->areas->len))
        continue;
      count = g_strdup_printf ("%" G_GINT64_FORMAT, a->households);
      if (a->is_cell)
        {
          cairo_rectangle (cr, TX (a->x), TY (a->y + c), c * scale, c * scale);
          cx = TX (a->x + c / 2);
          cy = TY (a->y + c / 2);
          size = c * scale;
        }
      else
        {
          /* Sized by count but kept readable on a projector and on paper. */
          double base = MIN (mw, mh);
          double radius = CLAMP (base * 0.015 * sqrt ((double) a->households), base * 0.05, base * 0.1);
          cx = TX (a->x);
          cy = TY (a->y);
          cairo_new_sub_path (cr);
          cairo_arc (cr, cx, cy, radius, 0, 2 * G_PI);
          size = 2 * radius;
        }
      cairo_set_source_rgba (cr, rgb[0], rgb[1], rgb[2], 0.9);
      cairo_fill_preserve (cr);
      cairo_set_source_rgb (cr, 0.2, 0.2, 0.3);
      cairo_set_line_width (cr, 0.75 * u);
      cairo_stroke (cr);

      {
        double fs = CLAMP (size / 4, 6 * u, 12 * u);
        gboolean dark = coverage_class (a->visited, a->households) >= 2;

        if (dark)
          cairo_set_source_rgb (cr, 1, 1, 1);
        else
          cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
        draw_text (cr, a->label, cx, cy - fs * 1.25, fs * 0.85, FALSE, 0, 0.5);
        draw_text (cr, count, cx, cy - fs * 0.25, fs * 1.1, TRUE, 0, 0.5);
      }
    }

  if (self->approximate)
    {
      cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
      draw_text (cr, _("Approximate boundary"), mx + 6 * u, my + 4 * u, 9 * u, TRUE, 0, 0);
    }

  /* Scale bar. */
  {
    double metres = c * 2;
    double len = metres * scale;
    g_autofree char *label = metres >= 1000 ? g_strdup_printf ("%g km", metres / 1000) : g_strdup_printf ("%g m", metres);

    cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
    cairo_set_line_width (cr, 2 * u);
    cairo_move_to (cr, mx + 8 * u, my + mh - 10 * u);
    cairo_line_to (cr, mx + 8 * u + len, my + mh - 10 * u);
    cairo_stroke (cr);
    draw_text (cr, label, mx + 8 * u, my + mh - 24 * u, 8 * u, FALSE, 0, 0);
    /* North arrow. */
    draw_text (cr, "N ↑", mx + mw - 8 * u, my + 4 * u, 10 * u, TRUE, 0, 1);
  }
  cairo_restore (cr);
#undef TX
#undef TY
}

void
tsu_meeting_map_render (TsuMeetingMap *self,
                        cairo_t       *cr,
                        double         x,
                        double         y,
                        double         width,
                        double         height)
{
  g_autofree char *title = NULL;
  g_autofree char *period = NULL;
  g_autofree char *total = NULL;
  g_autofree char *note = NULL;
  double u, map_w, panel_x, panel_w, ty;
  double top, bottom;

  g_return_if_fail (TSU_IS_MEETING_MAP (self));

  title = format_title (self);
  period = tsu_summary_format_period (self->from, self->to);
  total = format_total_line (self);
  note = format_note_line (self);

  /* Everything scales with the page so the same drawing serves a
   * preview, an A4 or A3 page and a full-screen projector. */
  u = MIN (width / 842.0, height / 595.0);

  cairo_save (cr);
  cairo_rectangle (cr, x, y, width, height);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_fill (cr);

  cairo_set_source_rgb (cr, 0, 0, 0);
  draw_text (cr, title, x + 20 * u, y + 14 * u, 18 * u, TRUE, width - 40 * u, 0);
  cairo_set_source_rgb (cr, 0.25, 0.25, 0.25);
  draw_text (cr, period, x + 20 * u, y + 40 * u, 10 * u, FALSE, width - 40 * u, 0);

  top = y + 60 * u;
  bottom = y + height - 34 * u;
  map_w = width * 0.6;
  draw_map (self, cr, x + 20 * u, top, map_w - 30 * u, bottom - top, u);

  /* Right panel: legend, totals and the table of areas. */
  panel_x = x + map_w;
  panel_w = width - map_w - 20 * u;
  ty = top;
  cairo_set_source_rgb (cr, 0, 0, 0);
  draw_text (cr, _("Visit coverage of watched households"), panel_x, ty, 9 * u, TRUE, panel_w, 0);
  ty += 14 * u;
  for (guint i = 0; i < 4; i++)
    {
      static const char *ranges[] = { "0–24%", "25–49%", "50–74%", "75–100%" };
      double bx = panel_x + i * panel_w / 4;

      cairo_rectangle (cr, bx, ty, 14 * u, 10 * u);
      cairo_set_source_rgb (cr, coverage_colours[i][0], coverage_colours[i][1], coverage_colours[i][2]);
      cairo_fill_preserve (cr);
      cairo_set_source_rgb (cr, 0.2, 0.2, 0.3);
      cairo_set_line_width (cr, 0.5 * u);
      cairo_stroke (cr);
      draw_text (cr, ranges[i], bx + 17 * u, ty - 1 * u, 7.5 * u, FALSE, 0, 0);
    }
  ty += 16 * u;
  cairo_set_source_rgb (cr, 0, 0, 0);
  draw_text (cr, _("Numbers on the map: watched households in the area"), panel_x, ty, 7.5 * u, FALSE, panel_w, 0);
  ty += 12 * u;
  draw_text (cr, total, panel_x, ty, 8.5 * u, TRUE, panel_w, 0);
  ty += 18 * u;

  {
    double cols[] = { 0, 0.28, 0.40, 0.52, 0.64 };
    const char *heads[] = { _("Area"), _("Watched"), _("Visited"), _("Coverage"), _("Main flags") };
    double row_h = 11 * u;
    guint n_rows = self->areas->len + (self->pooled.households > 0 ? 1 : 0);
    guint max_rows = (guint) MAX (1, floor ((bottom - ty - row_h) / row_h));

    for (guint c = 0; c < G_N_ELEMENTS (heads); c++)
      draw_text (cr, heads[c], panel_x + cols[c] * panel_w, ty, 7.5 * u, TRUE,
                 (c + 1 < G_N_ELEMENTS (cols) ? cols[c + 1] - cols[c] : 1 - cols[c]) * panel_w, 0);
    ty += row_h;
    cairo_set_line_width (cr, 0.5 * u);
    cairo_move_to (cr, panel_x, ty - 1 * u);
    cairo_line_to (cr, panel_x + panel_w, ty - 1 * u);
    cairo_stroke (cr);

    for (guint r = 0; r < n_rows && r < max_rows; r++)
      {
        const TsuMeetingMapArea *a = r < self->areas->len ? self->areas->pdata[r] : &self->pooled;
        g_autofree char *n = g_strdup_printf ("%" G_GINT64_FORMAT, a->households);
        g_autofree char *v = g_strdup_printf ("%" G_GINT64_FORMAT, a->visited);
        g_autofree char *cov = format_coverage (a->visited, a->households);
        g_autofree char *flags = a == &self->pooled ? g_strdup ("") : format_main_flags (self, a);

        if (r + 1 == max_rows && r + 1 < n_rows)
          {
            g_autofree char *more = g_strdup_printf (_("… %u more areas"), n_rows - r);
            draw_text (cr, more, panel_x, ty, 7 * u, FALSE, panel_w, 0);
            break;
          }
        draw_text (cr, a->label, panel_x, ty, 7 * u, FALSE, (cols[1] - 0.01) * panel_w, 0);
        draw_text (cr, n, panel_x + (cols[2] - 0.02) * panel_w, ty, 7 * u, FALSE, 0, 1);
        draw_text (cr, v, panel_x + (cols[3] - 0.02) * panel_w, ty, 7 * u, FALSE, 0, 1);
        draw_text (cr, cov, panel_x + (cols[4] - 0.02) * panel_w, ty, 7 * u, FALSE, 0, 1);
        draw_text (cr, flags, panel_x + cols[4] * panel_w, ty, 6 * u, FALSE, (1 - cols[4]) * panel_w, 0);
        ty += row_h;
      }
  }

  cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
  draw_text (cr, note, x + 20 * u, bottom + 6 * u, 7 * u, FALSE, width - 40 * u, 0);
  draw_text (cr, self->attribution, x + 20 * u, bottom + 17 * u, 7 * u, FALSE, width - 40 * u, 0);
  cairo_restore (cr);
}

static gboolean
check_cairo (cairo_status_t   status,
             const char      *path,
             GError         **error)
{
  if (status == CAIRO_STATUS_SUCCESS)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
               _("Could not write “%s”: %s"), path, cairo_status_to_string (status));
  return FALSE;
}

gboolean
tsu_meeting_map_write_png (TsuMeetingMap  *self,
                           const char     *path,
                           int             width,
                           int             height,
                           GError        **error)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;

  g_return_val_if_fail (TSU_IS_MEETING_MAP (self), FALSE);

  if (width <= 0 || height <= 0)
    {
      width = 1684;
      height = 1190;
    }
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cr = cairo_create (surface);
  tsu_meeting_map_render (self, cr, 0, 0, width, height);
  status = cairo_status (cr);
  cairo_destroy (cr);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_write_to_png (surface, path);
  cairo_surface_destroy (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    g_chmod (path, 0600); /* owner-only, like every file the app writes */
  return check_cairo (status, path, error);
}

gboolean
tsu_meeting_map_write_pdf (TsuMeetingMap  *self,
                           const char     *path,
                           gboolean        a3,
                           GError        **error)
{
  double w = a3 ? 1190.55 : 841.89;
  double h = a3 ? 841.89 : 595.28;
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  g_autofree char *title = NULL;

  g_return_val_if_fail (TSU_IS_MEETING_MAP (self), FALSE);

  surface = cairo_pdf_surface_create (path, w, h);
  if ((status = cairo_surface_status (surface)) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      return check_cairo (status, path, error);
    }
  title = format_title (self);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cr = cairo_create (surface);
  tsu_meeting_map_render (self, cr, 0, 0, w, h);
  cairo_show_page (cr);
  status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    g_chmod (path, 0600); /* owner-only, like every file the app writes */
  return check_cairo (status, path, error);
}
