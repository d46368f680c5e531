/* tsu-boundary-painter.c: district outlines and names, drawn into map tiles
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Like the households, the outlines go into the map tiles (see
 * TsuHouseholdTileSource for why): a screen-sized overlay redrawn on
 * every frame costs as much as the map itself without a GPU. The rings
 * are projected to Web-Mercator once, when the painter is made; a tile
 * draws only the outlines whose box touches it, and every name whose
 * text reaches into it, at the same world position in every tile so the
 * pieces meet. Outlines and names are drawn apart, so that the tile
 * source can put the names over the households. A painter never changes (a new highlight is a new
 * painter), so tile workers use it from several threads at once.
 */
#include "config.h"

#include <math.h>
#include <pango/pangocairo.h>

#include "tsu-boundary-painter.h"
#include "tsu-geometry.h"
#include "tsu-store-map.h"

/* Names are shown from this zoom on, where they fit. */
#define LABEL_MIN_ZOOM 10
/* Half the widest line drawn (halo of the highlighted outline). */
#define LINE_MARGIN 4.0

typedef struct
{
  char    *id;
  char    *name;
  GArray  *rings;       /* of GArray of TsuPoint (mercator) */
  TsuBBox  box;
  gboolean has_label;
  double   label_x;
  double   label_y;
  gboolean approximate;
  gboolean highlighted;
} Outline;

struct _TsuBoundaryPainter
{
  GObject               parent_instance;

  GPtrArray            *outlines;
  PangoFontDescription *font;
};

G_DEFINE_FINAL_TYPE (TsuBoundaryPainter, tsu_boundary_painter, G_TYPE_OBJECT)

static void
outline_free (Outline *outline)
{
  g_free (outline->id);
  g_free (outline->name);
  g_array_unref (outline->rings);
  g_free (outline);
}

static void
clear_ring (gpointer data)
{
  g_array_unref (*(GArray **) data);
}

TsuBoundaryPainter *
tsu_boundary_painter_new (GPtrArray  *districts,
                          const char *highlight_id,
                          const char *font)
{
  TsuBoundaryPainter *self = g_object_new (TSU_TYPE_BOUNDARY_PAINTER, NULL);

  self->font = pango_font_description_from_string (font != NULL ? font : "Sans 10");
  pango_font_description_set_weight (self->font, PANGO_WEIGHT_BOLD);
  for (guint i = 0; districts != NULL && i < districts->len; i++)
    {
      TsuMapDistrict *district = g_ptr_array_index (districts, i);
      Outline *outline = g_new0 (Outline, 1);

      outline->id = g_strdup (district->id);
      outline->name = g_strdup (district->name);
      outline->approximate = district->approximate;
      outline->highlighted = g_strcmp0 (district->id, highlight_id) == 0;
      outline->rings = g_array_new (FALSE, FALSE, sizeof (GArray *));
      g_array_set_clear_func (outline->rings, clear_ring);
      tsu_bbox_init_empty (&outline->box);
      if (district->boundary != NULL)
        for (guint r = 0; r < tsu_shape_get_n_rings (district->boundary); r++)
          {
            guint n;
            const TsuPoint *pts = tsu_shape_get_ring (district->boundary, r, &n, NULL);
            GArray *ring = g_array_sized_new (FALSE, FALSE, sizeof (TsuPoint), n);

            for (guint k = 0; k < n; k++)
              {
                TsuPoint m;

                tsu_mercator_project (pts[k].y, pts[k].x, &m.x, &m.y);
                tsu_bbox_extend (&outline->box, m.x, m.y);
                g_array_append_val (ring, m);
              }
            g_array_append_val (outline->rings, ring);
          }
      if (!isnan (district->lat) && !isnan (district->lon))
        {
          outline->has_label = TRUE;
          tsu_mercator_project (district->lat, district->lon, &outline->label_x, &outline->label_y);
        }
      g_ptr_array_add (self->outlines, outline);
    }
  return self;
}

static void
paint_outline (cairo_t       *cr,
               const Outline *outline,
               double         world,
               double         ox,
               double         oy)
{
  cairo_new_path (cr);
  for (guint r = 0; r < outline->rings->len; r++)
    {
      GArray *ring = g_array_index (outline->rings, GArray *, r);

      for (guint k = 0; k < ring->len; k++)
        {
          TsuPoint *m = &g_array_index (ring, TsuPoint, k);
          double x = m->x * world - ox, y = m->y * world - oy;

          if (k == 0)
            cairo_move_to (cr, x, y);
          else
            cairo_line_to (cr, x, y);
        }
      cairo_close_path (cr);
    }
  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_EVEN_ODD);
  if (outline->highlighted)
    {
      cairo_set_source_rgba (cr, 0.21, 0.52, 0.89, 0.08);
      cairo_fill_preserve (cr);
    }
  /* A light halo under the line keeps it visible on any tile. */
  cairo_set_source_rgba (cr, 1, 1, 1, 0.8);
  cairo_set_line_width (cr, outline->highlighted ? 6 : 4);
  cairo_set_dash (cr, NULL, 0, 0);
  cairo_stroke_preserve (cr);
  cairo_set_source_rgba (cr, 0.35, 0.2, 0.55, outline->highlighted ? 1 : 0.8);
  cairo_set_line_width (cr, outline->highlighted ? 3 : 1.6);
  /* The dashes start at the ring's first point in every tile, so they
   * line up across tiles. */
  if (outline->approximate)
    cairo_set_dash (cr, (double[]) { 6, 4 }, 2, 0);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
}

static void
paint_labels (TsuBoundaryPainter *self,
              cairo_t            *cr,
              double              world,
              double              ox,
              double              oy,
              int                 tile_size)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);

  pango_layout_set_font_description (layout, self->font);
  for (guint i = 0; i < self->outlines->len; i++)
    {
      Outline *outline = g_ptr_array_index (self->outlines, i);
      int tw, th;
      double x, y;

      if (!outline->has_label || outline->name == NULL)
        continue;
      x = outline->label_x * world - ox;
      y = outline->label_y * world - oy;
      /* Cheap test first: no name is wider than 300 px. */
      if (x < -150 || y < -30 || x > tile_size + 150 || y > tile_size + 30)
        continue;
      pango_layout_set_text (layout, outline->name, -1);
      pango_layout_get_pixel_size (layout, &tw, &th);
      if (x + tw / 2.0 + LINE_MARGIN < 0 || x - tw / 2.0 - LINE_MARGIN > tile_size ||
          y + th / 2.0 + LINE_MARGIN < 0 || y - th / 2.0 - LINE_MARGIN > tile_size)
        continue;
      cairo_move_to (cr, x - tw / 2.0, y - th / 2.0);
      pango_cairo_layout_path (cr, layout);
      cairo_set_source_rgba (cr, 1, 1, 1, 0.9);
      cairo_set_line_width (cr, 3.5);
      cairo_stroke_preserve (cr);
      cairo_set_source_rgba (cr, 0.25, 0.12, 0.4, 1);
      cairo_fill (cr);
    }
  g_object_unref (layout);
}

/**
 * tsu_boundary_painter_paint_tile:
 * @surface: an ARGB32 or RGB24 image surface of @tile_size × device scale
 *   pixels square, holding the map tile
 * @part: the outlines or the names
 *
 * Draws the outlines or the names that reach into the map tile (@zoom,
 * @tile_x, @tile_y). Safe to call from several threads at once, each
 * with its own surface.
 */
void
tsu_boundary_painter_paint_tile (TsuBoundaryPainter *self,
                                 TsuBoundaryPart     part,
                                 cairo_surface_t    *surface,
                                 int                 zoom,
                                 int                 tile_x,
                                 int                 tile_y,
                                 int                 tile_size)
{
  double world = tile_size * exp2 (zoom);
  double ox = (double) tile_x * tile_size, oy = (double) tile_y * tile_size;
  double margin = LINE_MARGIN / world;
  TsuBBox tile;
  cairo_t *cr;

  g_return_if_fail (TSU_IS_BOUNDARY_PAINTER (self));

  if (self->outlines->len == 0 || (part == TSU_BOUNDARY_NAMES && zoom < LABEL_MIN_ZOOM))
    return;
  cr = cairo_create (surface);
  if (part == TSU_BOUNDARY_NAMES)
    paint_labels (self, cr, world, ox, oy, tile_size);
  else
    {
      tile.min_x = ox / world - margin;
      tile.min_y = oy / world - margin;
      tile.max_x = (ox + tile_size) / world + margin;
      tile.max_y = (oy + tile_size) / world + margin;
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      for (guint i = 0; i < self->outlines->len; i++)
        {
          const Outline *outline = g_ptr_array_index (self->outlines, i);

          if (outline->rings->len == 0 ||
              outline->box.max_x < tile.min_x || outline->box.min_x > tile.max_x ||
              outline->box.max_y < tile.min_y || outline->box.min_y > tile.max_y)
            continue;
          paint_outline (cr, outline, world, ox, oy);
        }
    }
  cairo_destroy (cr);
}

static void
tsu_boundary_painter_finalize (GObject *object)
{
  TsuBoundaryPainter *self = TSU_BOUNDARY_PAINTER (object);

  g_ptr_array_unref (self->outlines);
  pango_font_description_free (self->font);

  G_OBJECT_CLASS (tsu_boundary_painter_parent_class)->finalize (object);
}

static void
tsu_boundary_painter_class_init (TsuBoundaryPainterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tsu_boundary_painter_finalize;
}

static void
tsu_boundary_painter_init (TsuBoundaryPainter *self)
{
  self->outlines = g_ptr_array_new_with_free_func ((GDestroyNotify) outline_free);
}
