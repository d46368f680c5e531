/* tsu-boundary-layer.c: district outlines and names on the map
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A few dozen polygons of a few hundred vertices: cairo paths in one
 * gtk_snapshot_append_cairo are cheap enough. The rings are projected to
 * Web-Mercator once, when the districts are set.
 */
#include "config.h"

#include <math.h>

#include "tsu-boundary-layer.h"
#include "tsu-geometry.h"
#include "tsu-store-map.h"

typedef struct
{
  char    *id;
  char    *name;
  GArray  *rings;       /* of GArray of TsuPoint (mercator) */
  gboolean has_label;
  double   label_x;
  double   label_y;
  gboolean approximate;
} Outline;

struct _TsuBoundaryLayer
{
  ShumateLayer  parent_instance;

  GPtrArray    *outlines;
  char         *highlight;
};

G_DEFINE_FINAL_TYPE (TsuBoundaryLayer, tsu_boundary_layer, SHUMATE_TYPE_LAYER)

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

TsuBoundaryLayer *
tsu_boundary_layer_new (ShumateViewport *viewport)
{
  return g_object_new (TSU_TYPE_BOUNDARY_LAYER, "viewport", viewport, NULL);
}

void
tsu_boundary_layer_set_districts (TsuBoundaryLayer *self,
                                  GPtrArray        *districts)
{
  g_return_if_fail (TSU_IS_BOUNDARY_LAYER (self));

  g_ptr_array_set_size (self->outlines, 0);
  for (guint i = 0; districts != NULL && i < districts->len; i++)
    {
      TsuMapDistrict *district = g_ptr_array_index (districts, i);
      Outline *outline = g_new0 (Outline, 1);

      outline->id = g_strdup (district->id);
      outline->name = g_strdup (district->name);
      outline->approximate = district->approximate;
      outline->rings = g_array_new (FALSE, FALSE, sizeof (GArray *));
      g_array_set_clear_func (outline->rings, clear_ring);
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
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
tsu_boundary_layer_set_highlight (TsuBoundaryLayer *self,
                                  const char       *district_id)
{
  g_return_if_fail (TSU_IS_BOUNDARY_LAYER (self));

  g_free (self->highlight);
  self->highlight = g_strdup (district_id);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
tsu_boundary_layer_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  TsuBoundaryLayer *self = TSU_BOUNDARY_LAYER (widget);
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  ShumateMapSource *source;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  double zoom, world, cx, cy, ox, oy, tile_size = 256;
  cairo_t *cr;

  if (viewport == NULL || self->outlines->len == 0 || width <= 0 || height <= 0)
    return;
  source = shumate_viewport_get_reference_map_source (viewport);
  if (source != NULL)
    tile_size = shumate_map_source_get_tile_size (source);
  zoom = shumate_viewport_get_zoom_level (viewport);
  world = tile_size * exp2 (zoom);
  tsu_mercator_project (shumate_location_get_latitude (SHUMATE_LOCATION (viewport)),
                        shumate_location_get_longitude (SHUMATE_LOCATION (viewport)), &cx, &cy);
  ox = cx * world - width / 2.0;
  oy = cy * world - height / 2.0;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);

  for (guint i = 0; i < self->outlines->len; i++)
    {
      Outline *outline = g_ptr_array_index (self->outlines, i);
      gboolean highlighted = g_strcmp0 (outline->id, self->highlight) == 0;

      if (outline->rings->len == 0)
        continue;
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
      if (highlighted)
        {
          cairo_set_source_rgba (cr, 0.21, 0.52, 0.89, 0.08);
          cairo_fill_preserve (cr);
        }
      /* A light halo under the line keeps it visible on any tile. */
      cairo_set_source_rgba (cr, 1, 1, 1, 0.8);
      cairo_set_line_width (cr, highlighted ? 6 : 4);
      cairo_set_dash (cr, NULL, 0, 0);
      cairo_stroke_preserve (cr);
      cairo_set_source_rgba (cr, 0.35, 0.2, 0.55, highlighted ? 1 : 0.8);
      cairo_set_line_width (cr, highlighted ? 3 : 1.6);
      if (outline->approximate)
        cairo_set_dash (cr, (double[]) { 6, 4 }, 2, 0);
      cairo_stroke (cr);
    }
  cairo_set_dash (cr, NULL, 0, 0);

  /* Names over the outlines, once zoomed in far enough to read them. */
  if (zoom >= 10)
    {
      PangoLayout *layout = gtk_widget_create_pango_layout (widget, NULL);
      PangoAttrList *attrs = pango_attr_list_new ();

      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      pango_layout_set_attributes (layout, attrs);
      for (guint i = 0; i < self->outlines->len; i++)
        {
          Outline *outline = g_ptr_array_index (self->outlines, i);
          int tw, th;
          double x, y;

          if (!outline->has_label || outline->name == NULL)
            continue;
          x = outline->label_x * world - ox;
          y = outline->label_y * world - oy;
          if (x < -100 || y < -30 || x > width + 100 || y > height + 30)
            continue;
          pango_layout_set_text (layout, outline->name, -1);
          pango_layout_get_pixel_size (layout, &tw, &th);
          cairo_move_to (cr, x - tw / 2.0, y - th / 2.0);
          pango_cairo_layout_path (cr, layout);
          cairo_set_source_rgba (cr, 1, 1, 1, 0.9);
          cairo_set_line_width (cr, 3.5);
          cairo_stroke_preserve (cr);
          cairo_set_source_rgba (cr, 0.25, 0.12, 0.4, 1);
          cairo_fill (cr);
        }
      pango_attr_list_unref (attrs);
      g_object_unref (layout);
    }
  cairo_destroy (cr);
}

static void
tsu_boundary_layer_constructed (GObject *object)
{
  TsuBoundaryLayer *self = TSU_BOUNDARY_LAYER (object);
  ShumateViewport *viewport;

  G_OBJECT_CLASS (tsu_boundary_layer_parent_class)->constructed (object);

  viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  if (viewport != NULL)
    g_signal_connect_object (viewport, "notify", G_CALLBACK (gtk_widget_queue_draw), self, G_CONNECT_SWAPPED);
}

static void
tsu_boundary_layer_finalize (GObject *object)
{
  TsuBoundaryLayer *self = TSU_BOUNDARY_LAYER (object);

  g_ptr_array_unref (self->outlines);
  g_free (self->highlight);

  G_OBJECT_CLASS (tsu_boundary_layer_parent_class)->finalize (object);
}

static void
tsu_boundary_layer_class_init (TsuBoundaryLayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = tsu_boundary_layer_constructed;
  object_class->finalize = tsu_boundary_layer_finalize;
  widget_class->snapshot = tsu_boundary_layer_snapshot;
}

static void
tsu_boundary_layer_init (TsuBoundaryLayer *self)
{
  self->outlines = g_ptr_array_new_with_free_func ((GDestroyNotify) outline_free);
  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
}
