/* tsu-household-layer.c: every household on the map, drawn in one texture
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One ShumateMarker per household does not scale (adding tens of
 * thousands is quadratic and a frame costs hundreds of milliseconds), nor
 * does one render node per point. So the points are projected once to
 * Web-Mercator, and each frame is drawn into a CPU pixel buffer that
 * becomes a single GdkMemoryTexture: dots are blitted from small
 * pre-drawn sprites, clusters (precomputed per integer zoom in a worker)
 * are drawn with cairo into the same buffer.
 *
 * Map rotation is not handled here: the map view keeps it at 0.
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <cairo.h>
#include <glib/gi18n.h>

#include "tsu-cluster.h"
#include "tsu-household-layer.h"

#define DOT_HIT_RADIUS 8.0
#define CLUSTER_CELL_PX 60.0
#define TILE_PX 64

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

/* What the worker prepares from the points and the filter. */
typedef struct
{
  guint            n;
  double          *x;          /* mercator, sorted normal → overdue */
  double          *y;
  guint8          *klass;
  guint           *point;      /* index into TsuMapPoints */
  guint            class_counts[TSU_MAP_N_CLASSES];
  TsuBBox          bbox;
  TsuClusterLevel *levels[TSU_HOUSEHOLD_LAYER_DOTS_ZOOM];
} Prepared;

static void
prepared_free (Prepared *prepared)
{
  if (prepared == NULL)
    return;
  g_free (prepared->x);
  g_free (prepared->y);
  g_free (prepared->klass);
  g_free (prepared->point);
  for (guint i = 0; i < G_N_ELEMENTS (prepared->levels); i++)
    tsu_cluster_level_free (prepared->levels[i]);
  g_free (prepared);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Prepared, prepared_free)

typedef struct
{
  int              size;       /* device pixels, square */
  guint32         *pixels;     /* premultiplied ARGB */
} Sprite;

struct _TsuHouseholdLayer
{
  ShumateLayer   parent_instance;

  TsuMapPoints  *points;
  Prepared      *prepared;
  guint          generation;
  GCancellable  *cancellable;

  char          *filter_district;
  guint          filter_status;
  char          *selected;
  gboolean       has_selected_point;
  double         selected_x;
  double         selected_y;

  GHashTable    *tiles;        /* guint64 key → Tile */
  double         tiles_zoom;
  int            tiles_scale;
  Prepared      *tiles_prepared;

  Sprite         sprites[TSU_MAP_N_CLASSES];
  int            sprite_scale;
  int            sprite_radius;
};

G_DEFINE_FINAL_TYPE (TsuHouseholdLayer, tsu_household_layer, SHUMATE_TYPE_LAYER)

enum {
  PROP_0,
  PROP_READY,
  N_PROPS
};

enum {
  HOUSEHOLD_ACTIVATED,
  CLUSTER_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

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

TsuHouseholdLayer *
tsu_household_layer_new (ShumateViewport *viewport)
{
  return g_object_new (TSU_TYPE_HOUSEHOLD_LAYER, "viewport", viewport, NULL);
}

/* Worker */

typedef struct
{
  TsuMapPoints *points;
  char         *district;
  guint         status_mask;
} PrepareInput;

static void
prepare_input_free (PrepareInput *input)
{
  tsu_map_points_unref (input->points);
  g_free (input->district);
  g_free (input);
}

static void
prepare_worker (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  PrepareInput *input = task_data;
  TsuMapPoints *points = input->points;
  g_autoptr(Prepared) prepared = g_new0 (Prepared, 1);
  guint offsets[TSU_MAP_N_CLASSES + 1] = { 0 };
  guint n = 0;

  prepared->x = g_new (double, MAX (points->n, 1));
  prepared->y = g_new (double, MAX (points->n, 1));
  prepared->klass = g_new (guint8, MAX (points->n, 1));
  prepared->point = g_new (guint, MAX (points->n, 1));
  tsu_bbox_init_empty (&prepared->bbox);

  /* Counting sort by class, most urgent last so it is drawn on top. */
  for (guint i = 0; i < points->n; i++)
    {
      if (input->district != NULL && g_strcmp0 (points->district_ids[i], input->district) != 0)
        continue;
      if (input->status_mask != 0 && (points->status[i] & input->status_mask) == 0)
        continue;
      prepared->class_counts[tsu_map_status_class (points->status[i])]++;
      n++;
    }
  for (int k = TSU_MAP_N_CLASSES - 1, at = 0; k >= 0; k--)
    {
      offsets[k] = at;
      at += prepared->class_counts[k];
    }
  for (guint i = 0; i < points->n; i++)
    {
      guint k, slot;

      if (input->district != NULL && g_strcmp0 (points->district_ids[i], input->district) != 0)
        continue;
      if (input->status_mask != 0 && (points->status[i] & input->status_mask) == 0)
        continue;
      k = tsu_map_status_class (points->status[i]);
      slot = offsets[k]++;
      tsu_mercator_project (points->lat[i], points->lon[i], &prepared->x[slot], &prepared->y[slot]);
      prepared->klass[slot] = k;
      prepared->point[slot] = i;
      tsu_bbox_extend (&prepared->bbox, prepared->x[slot], prepared->y[slot]);
    }
  prepared->n = n;

  for (guint z = 0; z < G_N_ELEMENTS (prepared->levels); z++)
    {
      if (g_task_return_error_if_cancelled (task))
        return;
      prepared->levels[z] = tsu_cluster_level_build (prepared->x, prepared->y, prepared->klass,
                                                     n, z, CLUSTER_CELL_PX);
    }
  g_task_return_pointer (task, g_steal_pointer (&prepared), (GDestroyNotify) prepared_free);
}

static void
update_selected_point (TsuHouseholdLayer *self)
{
  int index;

  self->has_selected_point = FALSE;
  if (self->selected == NULL || self->points == NULL)
    return;
  index = tsu_map_points_find (self->points, self->selected);
  if (index < 0)
    return;
  tsu_mercator_project (self->points->lat[index], self->points->lon[index],
                        &self->selected_x, &self->selected_y);
  self->has_selected_point = TRUE;
}

static void
on_prepared_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  TsuHouseholdLayer *self = TSU_HOUSEHOLD_LAYER (source);
  guint generation = GPOINTER_TO_UINT (user_data);
  g_autoptr(GError) error = NULL;
  Prepared *prepared = g_task_propagate_pointer (G_TASK (result), &error);

  if (prepared == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Failed to prepare the households for the map: %s", error->message);
      return;
    }
  /* A newer request is on its way: this result is already out of date. */
  if (generation != self->generation)
    {
      prepared_free (prepared);
      return;
    }
  g_clear_pointer (&self->prepared, prepared_free);
  self->prepared = prepared;
  g_hash_table_remove_all (self->tiles);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
}

static void
start_prepare (TsuHouseholdLayer *self)
{
  g_autoptr(GTask) task = NULL;
  PrepareInput *input;

  if (self->points == NULL)
    return;
  input = g_new0 (PrepareInput, 1);
  input->points = tsu_map_points_ref (self->points);
  input->district = g_strdup (self->filter_district);
  input->status_mask = self->filter_status;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  task = g_task_new (self, self->cancellable, on_prepared_cb, GUINT_TO_POINTER (++self->generation));
  g_task_set_source_tag (task, start_prepare);
  g_task_set_task_data (task, input, (GDestroyNotify) prepare_input_free);
  g_task_run_in_thread (task, prepare_worker);
}

void
tsu_household_layer_set_points (TsuHouseholdLayer *self,
                                TsuMapPoints      *points)
{
  g_return_if_fail (TSU_IS_HOUSEHOLD_LAYER (self));

  if (points != NULL)
    tsu_map_points_ref (points);
  g_clear_pointer (&self->points, tsu_map_points_unref);
  self->points = points;
  update_selected_point (self);
  if (points == NULL)
    {
      g_clear_pointer (&self->prepared, prepared_free);
      g_hash_table_remove_all (self->tiles);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return;
    }
  start_prepare (self);
}

TsuMapPoints *
tsu_household_layer_get_points (TsuHouseholdLayer *self)
{
  g_return_val_if_fail (TSU_IS_HOUSEHOLD_LAYER (self), NULL);
  return self->points;
}

gboolean
tsu_household_layer_get_ready (TsuHouseholdLayer *self)
{
  g_return_val_if_fail (TSU_IS_HOUSEHOLD_LAYER (self), FALSE);
  return self->prepared != NULL;
}

void
tsu_household_layer_set_filter (TsuHouseholdLayer *self,
                                const char        *district_id,
                                guint              status_mask)
{
  g_return_if_fail (TSU_IS_HOUSEHOLD_LAYER (self));

  if (g_strcmp0 (district_id, self->filter_district) == 0 && status_mask == self->filter_status)
    return;
  g_free (self->filter_district);
  self->filter_district = g_strdup (district_id);
  self->filter_status = status_mask;
  start_prepare (self);
}

void
tsu_household_layer_set_selected (TsuHouseholdLayer *self,
                                  const char        *household_id)
{
  g_return_if_fail (TSU_IS_HOUSEHOLD_LAYER (self));

  if (g_strcmp0 (household_id, self->selected) == 0)
    return;
  g_free (self->selected);
  self->selected = g_strdup (household_id);
  update_selected_point (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const char *
tsu_household_layer_get_selected (TsuHouseholdLayer *self)
{
  g_return_val_if_fail (TSU_IS_HOUSEHOLD_LAYER (self), NULL);
  return self->selected;
}

guint
tsu_household_layer_get_n_shown (TsuHouseholdLayer *self,
                                 guint             *class_counts)
{
  g_return_val_if_fail (TSU_IS_HOUSEHOLD_LAYER (self), 0);

  if (class_counts != NULL)
    {
      for (guint k = 0; k < TSU_MAP_N_CLASSES; k++)
        class_counts[k] = self->prepared != NULL ? self->prepared->class_counts[k] : 0;
    }
  return self->prepared != NULL ? self->prepared->n : 0;
}

gboolean
tsu_household_layer_get_shown_bbox (TsuHouseholdLayer *self,
                                    TsuBBox           *box)
{
  g_return_val_if_fail (TSU_IS_HOUSEHOLD_LAYER (self), FALSE);

  if (self->prepared == NULL || self->prepared->n == 0)
    return FALSE;
  *box = self->prepared->bbox;
  return TRUE;
}

/* Geometry of the current frame */

typedef struct
{
  double zoom;
  double world;      /* world size in logical pixels */
  double origin_x;   /* world pixel at the widget's left edge */
  double origin_y;
  int    width;
  int    height;
} Frame;

static gboolean
get_frame (TsuHouseholdLayer *self,
           Frame             *frame)
{
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  ShumateMapSource *source;
  double cx, cy, tile_size = 256;

  if (viewport == NULL)
    return FALSE;
  source = shumate_viewport_get_reference_map_source (viewport);
  if (source != NULL)
    tile_size = shumate_map_source_get_tile_size (source);

  frame->width = gtk_widget_get_width (GTK_WIDGET (self));
  frame->height = gtk_widget_get_height (GTK_WIDGET (self));
  frame->zoom = shumate_viewport_get_zoom_level (viewport);
  frame->world = tile_size * exp2 (frame->zoom);
  tsu_mercator_project (shumate_location_get_latitude (SHUMATE_LOCATION (viewport)),
                        shumate_location_get_longitude (SHUMATE_LOCATION (viewport)), &cx, &cy);
  frame->origin_x = cx * frame->world - frame->width / 2.0;
  frame->origin_y = cy * frame->world - frame->height / 2.0;
  return frame->width > 0 && frame->height > 0;
}

static const TsuClusterLevel *
frame_level (TsuHouseholdLayer *self,
             const Frame       *frame)
{
  int z = (int) floor (frame->zoom + 1e-9);

  if (self->prepared == NULL || z >= TSU_HOUSEHOLD_LAYER_DOTS_ZOOM)
    return NULL;
  return self->prepared->levels[MAX (z, 0)];
}

/* Drawing */

static void
ensure_sprites (TsuHouseholdLayer *self,
                int                scale,
                int                radius)
{
  if (self->sprite_scale == scale && self->sprite_radius == radius)
    return;
  self->sprite_scale = scale;
  self->sprite_radius = radius;
  for (guint k = 0; k < TSU_MAP_N_CLASSES; k++)
    {
      Sprite *sprite = &self->sprites[k];
      cairo_surface_t *surface;
      cairo_t *cr;
      GdkRGBA color;
      int size = (radius + 2) * 2 * scale;
      double c = size / 2.0;

      g_free (sprite->pixels);
      sprite->size = size;
      sprite->pixels = g_new0 (guint32, size * size);
      surface = cairo_image_surface_create_for_data ((unsigned char *) sprite->pixels, CAIRO_FORMAT_ARGB32,
                                                     size, size, size * 4);
      cr = cairo_create (surface);
      tsu_household_class_get_color (k, &color);
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

/* The layer is drawn in tiles of TILE_PX × TILE_PX at the current zoom,
 * cached until the zoom, the data or the screen scale changes: panning
 * then only draws the tiles that come into view, and each frame is a
 * cairo node compositing the cached tiles (no texture copy per frame). */

typedef struct
{
  int              tx;
  int              ty;
  cairo_surface_t *surface;    /* NULL: nothing in this tile */
  GdkTexture      *texture;    /* made from surface once it is drawn */
} Tile;

static void
tile_free (Tile *tile)
{
  g_clear_object (&tile->texture);
  g_clear_pointer (&tile->surface, cairo_surface_destroy);
  g_free (tile);
}

static void
release_surface (gpointer data)
{
  cairo_surface_destroy (data);
}

/* A texture per tile: renderers cache what they make of a texture
 * (GL uploads it once), and it is drawn without a per-frame
 * intermediate surface. */
static void
tile_make_texture (Tile *tile)
{
  g_autoptr(GBytes) bytes = NULL;
  int stride;

  if (tile->surface == NULL || tile->texture != NULL)
    return;
  cairo_surface_flush (tile->surface);
  stride = cairo_image_surface_get_stride (tile->surface);
  bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (tile->surface),
                                      (gsize) stride * cairo_image_surface_get_height (tile->surface),
                                      release_surface, cairo_surface_reference (tile->surface));
  tile->texture = gdk_memory_texture_new (cairo_image_surface_get_width (tile->surface),
                                          cairo_image_surface_get_height (tile->surface),
                                          GDK_MEMORY_DEFAULT, bytes, stride);
}

static guint64
tile_key (int tx,
          int ty)
{
  return ((guint64) (guint32) tx << 32) | (guint32) ty;
}

static void
clear_tiles (TsuHouseholdLayer *self)
{
  g_hash_table_remove_all (self->tiles);
}

static cairo_surface_t *
tile_surface (Tile *tile,
              int   scale)
{
  if (tile->surface == NULL)
    {
      tile->surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, TILE_PX * scale, TILE_PX * scale);
      cairo_surface_set_device_scale (tile->surface, scale, scale);
    }
  return tile->surface;
}

/* Dots: one pass over the points for all the tiles being drawn. */
static void
render_dot_tiles (TsuHouseholdLayer *self,
                  const Frame       *frame,
                  Tile             **pending,
                  guint              n_pending,
                  int                tx0,
                  int                ty0,
                  int                columns,
                  int                rows,
                  int                scale)
{
  Prepared *p = self->prepared;
  int radius = frame->zoom >= 17 ? 5 : (frame->zoom >= TSU_HOUSEHOLD_LAYER_DOTS_ZOOM ? 4 : 3);
  g_autofree Tile **grid = g_new0 (Tile *, columns * rows);
  int half, size = TILE_PX * scale;
  double x0 = (double) tx0 * TILE_PX, y0 = (double) ty0 * TILE_PX;
  double x1 = x0 + columns * TILE_PX, y1 = y0 + rows * TILE_PX;

  ensure_sprites (self, scale, radius);
  half = self->sprites[0].size / 2;
  for (guint i = 0; i < n_pending; i++)
    grid[(pending[i]->ty - ty0) * columns + (pending[i]->tx - tx0)] = pending[i];

  for (guint i = 0; i < p->n; i++)
    {
      double wx = p->x[i] * frame->world, wy = p->y[i] * frame->world;
      double m = (double) half / scale;
      int left_c, right_c, top_r, bottom_r;

      if (wx < x0 - m || wy < y0 - m || wx >= x1 + m || wy >= y1 + m)
        continue;
      /* The tiles the sprite touches (usually one). */
      left_c = (int) floor ((wx - m - x0) / TILE_PX);
      right_c = (int) floor ((wx + m - x0) / TILE_PX);
      top_r = (int) floor ((wy - m - y0) / TILE_PX);
      bottom_r = (int) floor ((wy + m - y0) / TILE_PX);
      for (int r = MAX (top_r, 0); r <= MIN (bottom_r, rows - 1); r++)
        for (int c = MAX (left_c, 0); c <= MIN (right_c, columns - 1); c++)
          {
            Tile *tile = grid[r * columns + c];
            cairo_surface_t *surface;
            double ox, oy;

            if (tile == NULL)
              continue;
            surface = tile_surface (tile, scale);
            ox = (double) tile->tx * TILE_PX;
            oy = (double) tile->ty * TILE_PX;
            blit_sprite (&self->sprites[p->klass[i]],
                         (guint32 *) cairo_image_surface_get_data (surface),
                         cairo_image_surface_get_stride (surface) / 4, size, size,
                         (int) lround ((wx - ox) * scale) - half, (int) lround ((wy - oy) * scale) - half);
          }
    }
  for (guint i = 0; i < n_pending; i++)
    if (pending[i]->surface != NULL)
      cairo_surface_mark_dirty (pending[i]->surface);
}

static void
draw_cluster (TsuHouseholdLayer *self,
              cairo_t           *cr,
              const TsuCluster  *cluster,
              double             px,
              double             py)
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

#define CLUSTER_MAX_RADIUS 24.0

static void
render_cluster_tile (TsuHouseholdLayer     *self,
                     const Frame           *frame,
                     const TsuClusterLevel *level,
                     Tile                  *tile,
                     int                    scale)
{
  Prepared *p = self->prepared;
  const TsuCluster *clusters;
  guint n_clusters;
  double ox = (double) tile->tx * TILE_PX, oy = (double) tile->ty * TILE_PX;
  cairo_t *cr = NULL;
  int half;

  ensure_sprites (self, scale, 4);
  half = self->sprites[0].size / 2;
  clusters = tsu_cluster_level_get_clusters (level, &n_clusters);
  for (guint c = 0; c < n_clusters; c++)
    {
      const TsuCluster *cluster = &clusters[c];
      double px = cluster->x * frame->world - ox;
      double py = cluster->y * frame->world - oy;

      if (px < -CLUSTER_MAX_RADIUS || py < -CLUSTER_MAX_RADIUS ||
          px > TILE_PX + CLUSTER_MAX_RADIUS || py > TILE_PX + CLUSTER_MAX_RADIUS)
        continue;

      if (cluster->count == 1)
        {
          guint n_members;
          const guint *member = tsu_cluster_level_get_members (level, c, &n_members);
          cairo_surface_t *surface = tile_surface (tile, scale);

          if (cr != NULL)
            cairo_surface_flush (surface);
          blit_sprite (&self->sprites[p->klass[member[0]]],
                       (guint32 *) cairo_image_surface_get_data (surface),
                       cairo_image_surface_get_stride (surface) / 4, TILE_PX * scale, TILE_PX * scale,
                       (int) lround (px * scale) - half, (int) lround (py * scale) - half);
          cairo_surface_mark_dirty (surface);
          continue;
        }
      if (cr == NULL)
        {
          cr = cairo_create (tile_surface (tile, scale));
          cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
          cairo_set_font_size (cr, 11);
        }
      draw_cluster (self, cr, cluster, px, py);
    }
  if (cr != NULL)
    cairo_destroy (cr);
}

static void
draw_selected (TsuHouseholdLayer *self,
               const Frame       *frame,
               cairo_t           *cr)
{
  double px, py;

  if (!self->has_selected_point)
    return;
  px = self->selected_x * frame->world - frame->origin_x;
  py = self->selected_y * frame->world - frame->origin_y;
  if (px < -20 || py < -20 || px > frame->width + 20 || py > frame->height + 20)
    return;

  cairo_new_path (cr);
  cairo_arc (cr, px, py, 10, 0, 2 * G_PI);
  cairo_set_source_rgba (cr, 1, 1, 1, 1);
  cairo_set_line_width (cr, 5);
  cairo_stroke_preserve (cr);
  cairo_set_source_rgba (cr, 0.1, 0.1, 0.12, 1);
  cairo_set_line_width (cr, 2.5);
  cairo_stroke (cr);
}

static void
tsu_household_layer_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  TsuHouseholdLayer *self = TSU_HOUSEHOLD_LAYER (widget);
  int scale = gtk_widget_get_scale_factor (widget);
  g_autoptr(GPtrArray) pending = g_ptr_array_new ();
  g_autoptr(GPtrArray) visible = g_ptr_array_new ();
  const TsuClusterLevel *level;
  Frame frame;
  cairo_t *cr;
  int tx0, ty0, tx1, ty1;
  double shift_x, shift_y;

  if ((self->prepared == NULL || self->prepared->n == 0) && !self->has_selected_point)
    return;
  if (!get_frame (self, &frame))
    return;

  if (frame.zoom != self->tiles_zoom || scale != self->tiles_scale ||
      self->prepared != self->tiles_prepared || g_hash_table_size (self->tiles) > 4000)
    {
      clear_tiles (self);
      self->tiles_zoom = frame.zoom;
      self->tiles_scale = scale;
      self->tiles_prepared = self->prepared;
    }

  /* Whole pixels: a sub-pixel offset would make cairo filter every tile. */
  shift_x = floor (frame.origin_x + 0.5);
  shift_y = floor (frame.origin_y + 0.5);
  tx0 = (int) floor (shift_x / TILE_PX);
  ty0 = (int) floor (shift_y / TILE_PX);
  tx1 = (int) floor ((shift_x + frame.width - 1) / TILE_PX);
  ty1 = (int) floor ((shift_y + frame.height - 1) / TILE_PX);

  if (self->prepared != NULL && self->prepared->n > 0)
    {
      for (int ty = ty0; ty <= ty1; ty++)
        for (int tx = tx0; tx <= tx1; tx++)
          {
            guint64 key = tile_key (tx, ty);
            Tile *tile = g_hash_table_lookup (self->tiles, &key);

            if (tile == NULL)
              {
                guint64 *stored = g_new (guint64, 1);

                *stored = key;
                tile = g_new0 (Tile, 1);
                tile->tx = tx;
                tile->ty = ty;
                g_hash_table_insert (self->tiles, stored, tile);
                g_ptr_array_add (pending, tile);
              }
            g_ptr_array_add (visible, tile);
          }

      level = frame_level (self, &frame);
      if (pending->len > 0 && level != NULL)
        for (guint i = 0; i < pending->len; i++)
          render_cluster_tile (self, &frame, level, g_ptr_array_index (pending, i), scale);
      else if (pending->len > 0)
        render_dot_tiles (self, &frame, (Tile **) pending->pdata, pending->len,
                          tx0, ty0, tx1 - tx0 + 1, ty1 - ty0 + 1, scale);
    }

  for (guint i = 0; i < visible->len; i++)
    {
      Tile *tile = g_ptr_array_index (visible, i);
      double x = tile->tx * (double) TILE_PX - shift_x;
      double y = tile->ty * (double) TILE_PX - shift_y;

      if (tile->surface == NULL)
        continue;
      tile_make_texture (tile);
      gtk_snapshot_append_texture (snapshot, tile->texture, &GRAPHENE_RECT_INIT (x, y, TILE_PX, TILE_PX));
    }
  if (self->has_selected_point)
    {
      cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, frame.width, frame.height));
      draw_selected (self, &frame, cr);
      cairo_destroy (cr);
    }
}

/* Hit-testing */

gboolean
tsu_household_layer_hit (TsuHouseholdLayer *self,
                         double             x,
                         double             y,
                         TsuHouseholdHit   *hit)
{
  Prepared *p;
  const TsuClusterLevel *level;
  Frame frame;
  double mx, my;

  g_return_val_if_fail (TSU_IS_HOUSEHOLD_LAYER (self), FALSE);
  g_return_val_if_fail (hit != NULL, FALSE);

  memset (hit, 0, sizeof *hit);
  hit->point = -1;
  p = self->prepared;
  if (p == NULL || p->n == 0 || !get_frame (self, &frame))
    return FALSE;

  mx = (frame.origin_x + x) / frame.world;
  my = (frame.origin_y + y) / frame.world;
  level = frame_level (self, &frame);

  if (level == NULL)
    {
      int i = tsu_nearest_point (p->x, p->y, p->n, mx, my, frame.zoom, DOT_HIT_RADIUS);

      if (i < 0)
        return FALSE;
      hit->kind = TSU_HOUSEHOLD_HIT_HOUSEHOLD;
      hit->point = p->point[i];
      hit->count = 1;
      hit->class_counts[p->klass[i]] = 1;
      tsu_mercator_unproject (p->x[i], p->y[i], &hit->latitude, &hit->longitude);
      return TRUE;
    }
  else
    {
      /* The level is drawn at a fractional zoom: convert the radius. */
      double shrink = exp2 (frame.zoom - tsu_cluster_level_get_zoom (level));
      int c = tsu_cluster_level_hit (level, mx, my, 28.0 / shrink);
      const TsuCluster *clusters;
      const guint *members;
      guint n_clusters, n_members;
      TsuBBox box;

      if (c < 0)
        return FALSE;
      clusters = tsu_cluster_level_get_clusters (level, &n_clusters);
      members = tsu_cluster_level_get_members (level, c, &n_members);
      hit->count = clusters[c].count;
      for (guint k = 0; k < TSU_MAP_N_CLASSES; k++)
        hit->class_counts[k] = clusters[c].class_counts[k];
      if (hit->count == 1)
        {
          /* A lone household is drawn as a dot: it must be near it. */
          double dx = (clusters[c].x - mx) * frame.world, dy = (clusters[c].y - my) * frame.world;

          if (dx * dx + dy * dy > DOT_HIT_RADIUS * DOT_HIT_RADIUS)
            return FALSE;
          hit->kind = TSU_HOUSEHOLD_HIT_HOUSEHOLD;
          hit->point = p->point[members[0]];
          tsu_mercator_unproject (clusters[c].x, clusters[c].y, &hit->latitude, &hit->longitude);
          return TRUE;
        }

      hit->kind = TSU_HOUSEHOLD_HIT_CLUSTER;
      tsu_bbox_init_empty (&box);
      for (guint m = 0; m < n_members; m++)
        tsu_bbox_extend (&box, p->x[members[m]], p->y[members[m]]);
      tsu_mercator_unproject ((box.min_x + box.max_x) / 2, (box.min_y + box.max_y) / 2,
                              &hit->latitude, &hit->longitude);
      /* Zoom in far enough to show the cluster's households spread out,
       * and at least one step. */
      hit->zoom = tsu_mercator_fit_zoom (&box, frame.width * 0.6, frame.height * 0.6,
                                         floor (frame.zoom) + 1, 18);
      return TRUE;
    }
}

gboolean
tsu_household_layer_activate_at (TsuHouseholdLayer *self,
                                  double             x,
                                  double             y)
{
  TsuHouseholdHit hit;

  g_return_val_if_fail (TSU_IS_HOUSEHOLD_LAYER (self), FALSE);

  if (!tsu_household_layer_hit (self, x, y, &hit))
    return FALSE;
  if (hit.kind == TSU_HOUSEHOLD_HIT_HOUSEHOLD)
    g_signal_emit (self, signals[HOUSEHOLD_ACTIVATED], 0, self->points->ids[hit.point]);
  else
    g_signal_emit (self, signals[CLUSTER_ACTIVATED], 0, hit.latitude, hit.longitude, hit.zoom);
  return TRUE;
}

static char *
format_visit_date (const char *visited_at)
{
  g_autoptr(GDateTime) when = NULL;

  if (visited_at == NULL)
    return g_strdup (_("never visited"));
  when = g_date_time_new_from_iso8601 (visited_at, NULL);
  if (when == NULL)
    return g_strndup (visited_at, 10);
  /* TRANSLATORS: a date; see the strftime manual for the codes */
  return g_date_time_format (when, _("%Y-%m-%d"));
}

char *
tsu_household_layer_get_tooltip_at (TsuHouseholdLayer *self,
                                    double             x,
                                    double             y)
{
  TsuHouseholdHit hit;

  g_return_val_if_fail (TSU_IS_HOUSEHOLD_LAYER (self), NULL);

  if (!tsu_household_layer_hit (self, x, y, &hit))
    return NULL;
  if (hit.kind == TSU_HOUSEHOLD_HIT_HOUSEHOLD)
    {
      g_autofree char *date = format_visit_date (self->points->last_visits[hit.point]);
      const char *address = self->points->addresses[hit.point];

      /* TRANSLATORS: address, then the date of the last visit */
      return g_strdup_printf (_("%s\nLast visit: %s"), address != NULL ? address : "", date);
    }
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u household (%u overdue)\nClick to zoom in",
                                       "%u households (%u overdue)\nClick to zoom in", hit.count),
                          hit.count, hit.class_counts[0]);
}

static void
tsu_household_layer_constructed (GObject *object)
{
  TsuHouseholdLayer *self = TSU_HOUSEHOLD_LAYER (object);
  ShumateViewport *viewport;

  G_OBJECT_CLASS (tsu_household_layer_parent_class)->constructed (object);

  viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  if (viewport != NULL)
    g_signal_connect_object (viewport, "notify", G_CALLBACK (gtk_widget_queue_draw), self, G_CONNECT_SWAPPED);
}

static void
tsu_household_layer_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  TsuHouseholdLayer *self = TSU_HOUSEHOLD_LAYER (object);

  switch (prop_id)
    {
    case PROP_READY:
      g_value_set_boolean (value, tsu_household_layer_get_ready (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_household_layer_dispose (GObject *object)
{
  TsuHouseholdLayer *self = TSU_HOUSEHOLD_LAYER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (tsu_household_layer_parent_class)->dispose (object);
}

static void
tsu_household_layer_finalize (GObject *object)
{
  TsuHouseholdLayer *self = TSU_HOUSEHOLD_LAYER (object);

  g_clear_pointer (&self->points, tsu_map_points_unref);
  g_clear_pointer (&self->tiles, g_hash_table_unref);
  g_clear_pointer (&self->prepared, prepared_free);
  g_free (self->filter_district);
  g_free (self->selected);
  for (guint k = 0; k < TSU_MAP_N_CLASSES; k++)
    g_free (self->sprites[k].pixels);

  G_OBJECT_CLASS (tsu_household_layer_parent_class)->finalize (object);
}

static void
tsu_household_layer_class_init (TsuHouseholdLayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = tsu_household_layer_constructed;
  object_class->get_property = tsu_household_layer_get_property;
  object_class->dispose = tsu_household_layer_dispose;
  object_class->finalize = tsu_household_layer_finalize;
  widget_class->snapshot = tsu_household_layer_snapshot;

  properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TsuHouseholdLayer::household-activated:
   * @household_id: the household clicked
   */
  signals[HOUSEHOLD_ACTIVATED] =
    g_signal_new ("household-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * TsuHouseholdLayer::cluster-activated:
   * @latitude, @longitude: the centre of the cluster's households
   * @zoom: the zoom at which they spread out
   */
  signals[CLUSTER_ACTIVATED] =
    g_signal_new ("cluster-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_DOUBLE, G_TYPE_DOUBLE, G_TYPE_DOUBLE);
}

static void
tsu_household_layer_init (TsuHouseholdLayer *self)
{
  /* Clicks go to the map (drags must pan it); the map view asks this
   * layer what is under the pointer. */
  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
  self->tiles = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) tile_free);
}
