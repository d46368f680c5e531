/* tsu-household-painter.c: the households of one filter, ready to draw
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A painter is made in a worker from the map points and a filter: the
 * points are projected once to Web-Mercator, sorted so the most urgent
 * are drawn last, and clustered for every zoom below the dots zoom. It
 * never changes afterwards, so the map's tile workers draw households
 * into tiles from several threads at once without locks: dots are
 * blitted from small pre-drawn sprites, clusters are drawn with cairo.
 */
#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "tsu-household-painter.h"

#define CLUSTER_CELL_PX 60.0
/* The largest cluster bubble reaches this far from its centre. */
#define CLUSTER_MAX_RADIUS 24.0
#define MIN_DOT_RADIUS 3
#define MAX_DOT_RADIUS 5
#define MAX_SCALE 2

/* Drawn from the least to the most urgent, so urgent ones are on top. */
static const struct
{
  const char *label;
  const char *color;
} classes[TSU_MAP_N_CLASSES] = {
  { N_("Overdue for a visit"), "#e01b24" },
  { N_("Follow-up this week"), "#ff7800" },
  { N_("Flagged"), "#9141ac" },
  { N_("Consent missing"), "#c88800" },
  { N_("Up to date"), "#3584e4" },
};

typedef struct
{
  int      size;       /* device pixels, square */
  guint32 *pixels;     /* premultiplied ARGB */
} Sprite;

struct _TsuHouseholdPainter
{
  GObject          parent_instance;

  TsuHouseholdSet  set;
  Sprite           sprites[MAX_SCALE][MAX_DOT_RADIUS - MIN_DOT_RADIUS + 1][TSU_MAP_N_CLASSES];
};

G_DEFINE_FINAL_TYPE (TsuHouseholdPainter, tsu_household_painter, G_TYPE_OBJECT)

void
tsu_household_class_get_color (guint    klass,
                               GdkRGBA *color)
{
  gdk_rgba_parse (color, classes[MIN (klass, TSU_MAP_N_CLASSES - 1)].color);
}

const char *
tsu_household_class_get_label (guint klass)
{
  return _(classes[MIN (klass, TSU_MAP_N_CLASSES - 1)].label);
}

int
tsu_household_painter_dot_radius (int zoom)
{
  if (zoom >= 17)
    return 5;
  return zoom >= TSU_HOUSEHOLD_LAYER_DOTS_ZOOM ? 4 : 3;
}

static void
draw_sprite (Sprite  *sprite,
             guint    klass,
             int      scale,
             int      radius)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  GdkRGBA color;
  int size = (radius + 2) * 2 * scale;
  double c = size / 2.0;

  sprite->size = size;
  sprite->pixels = g_new0 (guint32, size * size);
  surface = cairo_image_surface_create_for_data ((unsigned char *) sprite->pixels, CAIRO_FORMAT_ARGB32,
                                                 size, size, size * 4);
  cr = cairo_create (surface);
  tsu_household_class_get_color (klass, &color);
  cairo_arc (cr, c, c, (radius + 1) * scale, 0, 2 * G_PI);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.95);
  cairo_fill (cr);
  cairo_arc (cr, c, c, radius * scale, 0, 2 * G_PI);
  gdk_cairo_set_source_rgba (cr, &color);
  cairo_fill (cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  cairo_surface_destroy (surface);
}

static const Sprite *
get_sprites (TsuHouseholdPainter *self,
             int                  scale,
             int                  radius)
{
  scale = CLAMP (scale, 1, MAX_SCALE);
  radius = CLAMP (radius, MIN_DOT_RADIUS, MAX_DOT_RADIUS);
  return self->sprites[scale - 1][radius - MIN_DOT_RADIUS];
}

static inline void
blit_sprite (const Sprite *sprite,
             guint32      *dst,
             int           stride_px,
             int           width,
             int           height,
             int           left,
             int           top)
{
  int x0 = MAX (0, -left), y0 = MAX (0, -top);
  int x1 = MIN (sprite->size, width - left), y1 = MIN (sprite->size, height - top);

  for (int sy = y0; sy < y1; sy++)
    {
      const guint32 *src = sprite->pixels + sy * sprite->size;
      guint32 *row = dst + (top + sy) * stride_px + left;

      for (int sx = x0; sx < x1; sx++)
        {
          guint32 s = src[sx];
          guint32 a = s >> 24;
          guint32 d, inv;

          if (a == 0)
            continue;
          if (a == 255)
            {
              row[sx] = s;
              continue;
            }
          /* Premultiplied "over", two channels at a time. */
          d = row[sx];
          inv = 255 - a;
          row[sx] = s + ((((d & 0x00ff00ff) * inv + 0x00800080) >> 8) & 0x00ff00ff)
                      + ((((d >> 8) & 0x00ff00ff) * inv + 0x00800080) & 0xff00ff00);
        }
    }
}

TsuHouseholdPainter *
tsu_household_painter_new (TsuMapPoints *points,
                           const char   *district_id,
                           guint         status_mask,
                           GCancellable *cancellable)
{
  g_autoptr(TsuHouseholdPainter) self = g_object_new (TSU_TYPE_HOUSEHOLD_PAINTER, NULL);
  TsuHouseholdSet *set = &self->set;
  guint offsets[TSU_MAP_N_CLASSES + 1] = { 0 };
  guint n = 0;

  g_return_val_if_fail (points != NULL, NULL);

  set->x = g_new (double, MAX (points->n, 1));
  set->y = g_new (double, MAX (points->n, 1));
  set->klass = g_new (guint8, MAX (points->n, 1));
  set->point = g_new (guint, MAX (points->n, 1));
  tsu_bbox_init_empty (&set->bbox);

  /* Counting sort by class, most urgent last so it is drawn on top. */
  for (guint i = 0; i < points->n; i++)
    {
      if (district_id != NULL && g_strcmp0 (points->district_ids[i], district_id) != 0)
        continue;
      if (status_mask != 0 && (points->status[i] & status_mask) == 0)
        continue;
      set->class_counts[tsu_map_status_class (points->status[i])]++;
      n++;
    }
  for (int k = TSU_MAP_N_CLASSES - 1, at = 0; k >= 0; k--)
    {
      offsets[k] = at;
      at += set->class_counts[k];
    }
  for (guint i = 0; i < points->n; i++)
    {
      guint k, slot;

      if (district_id != NULL && g_strcmp0 (points->district_ids[i], district_id) != 0)
        continue;
      if (status_mask != 0 && (points->status[i] & status_mask) == 0)
        continue;
      k = tsu_map_status_class (points->status[i]);
      slot = offsets[k]++;
      tsu_mercator_project (points->lat[i], points->lon[i], &set->x[slot], &set->y[slot]);
      set->klass[slot] = k;
      set->point[slot] = i;
      tsu_bbox_extend (&set->bbox, set->x[slot], set->y[slot]);
    }
  set->n = n;

  for (guint z = 0; z < G_N_ELEMENTS (set->levels); z++)
    {
      if (g_cancellable_is_cancelled (cancellable))
        return NULL;
      set->levels[z] = tsu_cluster_level_build (set->x, set->y, set->klass, n, z, CLUSTER_CELL_PX);
    }

  for (int s = 0; s < MAX_SCALE; s++)
    for (int r = 0; r <= MAX_DOT_RADIUS - MIN_DOT_RADIUS; r++)
      for (guint k = 0; k < TSU_MAP_N_CLASSES; k++)
        draw_sprite (&self->sprites[s][r][k], k, s + 1, r + MIN_DOT_RADIUS);

  return g_steal_pointer (&self);
}

const TsuHouseholdSet *
tsu_household_painter_get_set (TsuHouseholdPainter *self)
{
  g_return_val_if_fail (TSU_IS_HOUSEHOLD_PAINTER (self), NULL);
  return &self->set;
}

/* The clusters drawn at @zoom, or NULL where every household is a dot. */
const TsuClusterLevel *
tsu_household_painter_get_level (TsuHouseholdPainter *self,
                                 int                  zoom)
{
  g_return_val_if_fail (TSU_IS_HOUSEHOLD_PAINTER (self), NULL);

  if (zoom >= TSU_HOUSEHOLD_LAYER_DOTS_ZOOM)
    return NULL;
  return self->set.levels[MAX (zoom, 0)];
}

static void
draw_cluster (cairo_t          *cr,
              const TsuCluster *cluster,
              double            px,
              double            py)
{
  double radius = MIN (9 + 2 * log2 (cluster->count), 23), angle = -G_PI / 2;
  char text[16];
  cairo_text_extents_t extents;

  cairo_new_path (cr);
  cairo_arc (cr, px, py, radius, 0, 2 * G_PI);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.92);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.25);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);

  /* A ring showing the share of each status, urgent first. */
  cairo_set_line_width (cr, 4.5);
  for (guint k = 0; k < TSU_MAP_N_CLASSES; k++)
    {
      double sweep = 2 * G_PI * cluster->class_counts[k] / cluster->count;
      GdkRGBA color;

      if (cluster->class_counts[k] == 0)
        continue;
      tsu_household_class_get_color (k, &color);
      gdk_cairo_set_source_rgba (cr, &color);
      cairo_new_path (cr);
      cairo_arc (cr, px, py, radius - 3, angle, angle + sweep);
      cairo_stroke (cr);
      angle += sweep;
    }

  g_snprintf (text, sizeof text, "%u", cluster->count);
  cairo_text_extents (cr, text, &extents);
  cairo_set_source_rgba (cr, 0.1, 0.1, 0.12, 1);
  cairo_move_to (cr, px - extents.width / 2 - extents.x_bearing, py - extents.height / 2 - extents.y_bearing);
  cairo_show_text (cr, text);
}

static void
paint_clusters (TsuHouseholdPainter   *self,
                const TsuClusterLevel *level,
                cairo_surface_t       *surface,
                double                 world,
                double                 ox,
                double                 oy,
                int                    tile_size,
                int                    scale)
{
  const Sprite *sprites = get_sprites (self, scale, tsu_household_painter_dot_radius (TSU_HOUSEHOLD_LAYER_DOTS_ZOOM));
  int half = sprites[0].size / 2, size = tile_size * scale;
  const TsuCluster *clusters;
  guint n_clusters;
  cairo_t *cr = NULL;

  clusters = tsu_cluster_level_get_clusters (level, &n_clusters);
  for (guint c = 0; c < n_clusters; c++)
    {
      const TsuCluster *cluster = &clusters[c];
      double px = cluster->x * world - ox;
      double py = cluster->y * world - oy;

      if (px < -CLUSTER_MAX_RADIUS || py < -CLUSTER_MAX_RADIUS ||
          px > tile_size + CLUSTER_MAX_RADIUS || py > tile_size + CLUSTER_MAX_RADIUS)
        continue;

      if (cluster->count == 1)
        {
          guint n_members;
          const guint *member = tsu_cluster_level_get_members (level, c, &n_members);

          if (cr != NULL)
            cairo_surface_flush (surface);
          blit_sprite (&sprites[self->set.klass[member[0]]],
                       (guint32 *) cairo_image_surface_get_data (surface),
                       cairo_image_surface_get_stride (surface) / 4, size, size,
                       (int) lround (px * scale) - half, (int) lround (py * scale) - half);
          cairo_surface_mark_dirty (surface);
          continue;
        }
      if (cr == NULL)
        {
          cr = cairo_create (surface);
          cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
          cairo_set_font_size (cr, 11);
        }
      draw_cluster (cr, cluster, px, py);
    }
  if (cr != NULL)
    cairo_destroy (cr);
}

static void
paint_dots (TsuHouseholdPainter *self,
            cairo_surface_t     *surface,
            int                  zoom,
            double               world,
            double               ox,
            double               oy,
            int                  tile_size,
            int                  scale)
{
  const TsuHouseholdSet *set = &self->set;
  const Sprite *sprites = get_sprites (self, scale, tsu_household_painter_dot_radius (zoom));
  int half = sprites[0].size / 2, size = tile_size * scale;
  double margin = (double) half / scale;
  double x0 = (ox - margin) / world, y0 = (oy - margin) / world;
  double x1 = (ox + tile_size + margin) / world, y1 = (oy + tile_size + margin) / world;
  guint32 *data;
  int stride_px;

  cairo_surface_flush (surface);
  data = (guint32 *) cairo_image_surface_get_data (surface);
  stride_px = cairo_image_surface_get_stride (surface) / 4;
  for (guint i = 0; i < set->n; i++)
    {
      if (set->x[i] < x0 || set->y[i] < y0 || set->x[i] >= x1 || set->y[i] >= y1)
        continue;
      blit_sprite (&sprites[set->klass[i]], data, stride_px, size, size,
                   (int) lround ((set->x[i] * world - ox) * scale) - half,
                   (int) lround ((set->y[i] * world - oy) * scale) - half);
    }
  cairo_surface_mark_dirty (surface);
}

/**
 * tsu_household_painter_paint_tile:
 * @surface: an ARGB32 image surface of @tile_size × device scale pixels
 *   square, holding the map tile
 *
 * Draws the households of the map tile (@zoom, @tile_x, @tile_y) over it:
 * clusters below the dots zoom, dots from there on. Safe to call from
 * several threads at once, each with its own surface.
 */
void
tsu_household_painter_paint_tile (TsuHouseholdPainter *self,
                                  cairo_surface_t     *surface,
                                  int                  zoom,
                                  int                  tile_x,
                                  int                  tile_y,
                                  int                  tile_size)
{
  const TsuClusterLevel *level;
  double world = tile_size * exp2 (zoom), scale_x = 1, scale_y = 1;
  double ox = (double) tile_x * tile_size, oy = (double) tile_y * tile_size;
  int scale;

  g_return_if_fail (TSU_IS_HOUSEHOLD_PAINTER (self));

  if (self->set.n == 0)
    return;
  cairo_surface_get_device_scale (surface, &scale_x, &scale_y);
  scale = (int) lround (scale_x);
  level = tsu_household_painter_get_level (self, zoom);
  if (level != NULL)
    paint_clusters (self, level, surface, world, ox, oy, tile_size, scale);
  else
    paint_dots (self, surface, zoom, world, ox, oy, tile_size, scale);
}

static void
tsu_household_painter_finalize (GObject *object)
{
  TsuHouseholdPainter *self = TSU_HOUSEHOLD_PAINTER (object);

  g_free (self->set.x);
  g_free (self->set.y);
  g_free (self->set.klass);
  g_free (self->set.point);
  for (guint i = 0; i < G_N_ELEMENTS (self->set.levels); i++)
    g_clear_pointer (&self->set.levels[i], tsu_cluster_level_free);
  for (int s = 0; s < MAX_SCALE; s++)
    for (int r = 0; r <= MAX_DOT_RADIUS - MIN_DOT_RADIUS; r++)
      for (guint k = 0; k < TSU_MAP_N_CLASSES; k++)
        g_free (self->sprites[s][r][k].pixels);

  G_OBJECT_CLASS (tsu_household_painter_parent_class)->finalize (object);
}

static void
tsu_household_painter_class_init (TsuHouseholdPainterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tsu_household_painter_finalize;
}

static void
tsu_household_painter_init (TsuHouseholdPainter *self)
{
}
