/* tsu-household-tile-source.c: map tiles with the households drawn in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Why households go into the map tiles rather than into an overlay: a
 * screen-sized overlay is composited again on every frame of a pan, and
 * on a laptop without a GPU (GTK's GL renderer on llvmpipe, or the cairo
 * renderer) that doubles the cost of a frame. Drawn into the tiles, the
 * households cost nothing per frame: a tile is composed once, in a
 * worker, when the map first needs it, and panning only moves textures
 * the map draws anyway.
 *
 * The source wraps the base map's source: it asks the base for the same
 * tile (or, beyond the base's deepest zoom, for the tile above it, which
 * it enlarges), draws the district outlines and names and the
 * households of its painters over it, and hands the map one texture. Where the base has nothing (offline, no cached
 * tile) the households are drawn on a plain background, so the map is
 * never blank. A base that is slow (a network that hangs rather than
 * fails) is not waited for beyond BASE_DEADLINE_MS: the households go on
 * the plain background, and "late-base" tells the layer to make the tiles
 * again once the base tiles have arrived in their cache. Sources are
 * immutable: new households or a new filter make a new source (see
 * TsuHouseholdLayer).
 */
#include "config.h"

#include <math.h>

#include "tsu-household-tile-source.h"

#define BASE_DEADLINE_MS 1000
#define NAMES_OVER_ZOOM  12

struct _TsuHouseholdTileSource
{
  ShumateMapSource     parent_instance;

  ShumateMapSource    *base;
  TsuBoundaryPainter  *boundaries;
  TsuHouseholdPainter *painter;
  int                  scale;
  guint                n_pending;
  guint                n_filled;
};

G_DEFINE_FINAL_TYPE (TsuHouseholdTileSource, tsu_household_tile_source, SHUMATE_TYPE_MAP_SOURCE)

enum {
  SETTLED,
  LATE_BASE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* One tile being filled. */
typedef struct
{
  ShumateTile         *tile;        /* the map's tile */
  ShumateTile         *base_tile;   /* the base source's tile, maybe a zoom above */
  GdkTexture          *base;        /* NULL: no base image, plain background */
  TsuBoundaryPainter  *boundaries;
  TsuHouseholdPainter *painter;
  int                  zoom;
  int                  x;
  int                  y;
  int                  tile_size;
  int                  scale;
  int                  overzoom;    /* levels beyond the base's deepest zoom */
  guint                deadline_id;
  gboolean             composing;   /* no more waiting for the base */
} Fill;

static void
fill_free (Fill *fill)
{
  g_clear_object (&fill->tile);
  g_clear_object (&fill->base_tile);
  g_clear_object (&fill->base);
  g_clear_object (&fill->boundaries);
  g_clear_object (&fill->painter);
  g_free (fill);
}

TsuHouseholdTileSource *
tsu_household_tile_source_new (ShumateMapSource    *base,
                               TsuBoundaryPainter  *boundaries,
                               TsuHouseholdPainter *painter,
                               guint                generation,
                               int                  scale)
{
  TsuHouseholdTileSource *self;
  g_autofree char *id = NULL;

  g_return_val_if_fail (base == NULL || SHUMATE_IS_MAP_SOURCE (base), NULL);
  g_return_val_if_fail (boundaries == NULL || TSU_IS_BOUNDARY_PAINTER (boundaries), NULL);
  g_return_val_if_fail (painter == NULL || TSU_IS_HOUSEHOLD_PAINTER (painter), NULL);

  self = g_object_new (TSU_TYPE_HOUSEHOLD_TILE_SOURCE, NULL);
  self->base = base != NULL ? g_object_ref (base) : NULL;
  self->boundaries = boundaries != NULL ? g_object_ref (boundaries) : NULL;
  self->painter = painter != NULL ? g_object_ref (painter) : NULL;
  self->scale = CLAMP (scale, 1, 2);

  /* The map layer caches tiles by source id: a new generation of
   * households must not be served the old tiles. */
  id = g_strdup_printf ("%s+households-%u", base != NULL ? shumate_map_source_get_id (base) : "plain", generation);
  shumate_map_source_set_id (SHUMATE_MAP_SOURCE (self), id);
  shumate_map_source_set_name (SHUMATE_MAP_SOURCE (self), base != NULL ? shumate_map_source_get_name (base) : "");
  shumate_map_source_set_license (SHUMATE_MAP_SOURCE (self), base != NULL ? shumate_map_source_get_license (base) : "");
  shumate_map_source_set_license_uri (SHUMATE_MAP_SOURCE (self), base != NULL ? shumate_map_source_get_license_uri (base) : "");
  shumate_map_source_set_min_zoom_level (SHUMATE_MAP_SOURCE (self), base != NULL ? shumate_map_source_get_min_zoom_level (base) : 0);
  shumate_map_source_set_max_zoom_level (SHUMATE_MAP_SOURCE (self),
                                         MAX (TSU_HOUSEHOLD_TILE_SOURCE_MAX_ZOOM,
                                              base != NULL ? shumate_map_source_get_max_zoom_level (base) : 0));
  shumate_map_source_set_tile_size (SHUMATE_MAP_SOURCE (self), base != NULL ? shumate_map_source_get_tile_size (base) : 256);
  shumate_map_source_set_projection (SHUMATE_MAP_SOURCE (self), SHUMATE_MAP_PROJECTION_MERCATOR);
  return self;
}

/* Tiles asked for and not yet filled (or failed). */
guint
tsu_household_tile_source_get_n_pending (TsuHouseholdTileSource *self)
{
  g_return_val_if_fail (TSU_IS_HOUSEHOLD_TILE_SOURCE (self), 0);
  return self->n_pending;
}

guint
tsu_household_tile_source_get_n_filled (TsuHouseholdTileSource *self)
{
  g_return_val_if_fail (TSU_IS_HOUSEHOLD_TILE_SOURCE (self), 0);
  return self->n_filled;
}

static void
finish_fill (GTask      *task,
             GdkTexture *texture,
             GError     *error)
{
  TsuHouseholdTileSource *self = g_task_get_source_object (task);
  Fill *fill = g_task_get_task_data (task);

  if (texture != NULL)
    {
      shumate_tile_set_paintable (fill->tile, GDK_PAINTABLE (texture));
      shumate_tile_set_state (fill->tile, SHUMATE_STATE_DONE);
      self->n_filled++;
      g_task_return_boolean (task, TRUE);
    }
  else
    g_task_return_error (task, error);

  g_assert (self->n_pending > 0);
  if (--self->n_pending == 0)
    g_signal_emit (self, signals[SETTLED], 0);
}

static void
paint_base (cairo_t    *cr,
            const Fill *fill)
{
  g_autofree guchar *pixels = NULL;
  cairo_surface_t *image;
  int width = gdk_texture_get_width (fill->base);
  int height = gdk_texture_get_height (fill->base);
  int factor = 1 << fill->overzoom;
  double part = (double) fill->tile_size / factor;

  pixels = g_malloc ((gsize) width * height * 4);
  gdk_texture_download (fill->base, pixels, (gsize) width * 4);
  image = cairo_image_surface_create_for_data (pixels, CAIRO_FORMAT_ARGB32, width, height, width * 4);

  /* Beyond the base's deepest zoom this tile is one part of a base
   * tile, enlarged. */
  cairo_save (cr);
  cairo_scale (cr, factor, factor);
  cairo_translate (cr, -(fill->x % factor) * part, -(fill->y % factor) * part);
  cairo_scale (cr, (double) fill->tile_size / width, (double) fill->tile_size / height);
  cairo_set_source_surface (cr, image, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr),
                            factor == 1 && width == fill->tile_size * fill->scale ? CAIRO_FILTER_FAST : CAIRO_FILTER_GOOD);
  cairo_paint (cr);
  cairo_restore (cr);
  cairo_surface_destroy (image);
}

/* Tiles are opaque: handed to GTK as RGB, so that renderers copy them
 * instead of blending them (with the cairo renderer an ARGB tile cost
 * about three times as much per frame as the base map's RGB ones). */
static GdkTexture *
texture_from_surface (cairo_surface_t *surface,
                      int              size)
{
  const guchar *pixels;
  guchar *rgb = g_malloc ((gsize) size * size * 3);
  g_autoptr(GBytes) bytes = NULL;
  int stride;

  cairo_surface_flush (surface);
  pixels = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  for (int y = 0; y < size; y++)
    {
      const guint32 *row = (const guint32 *) (pixels + (gsize) y * stride);
      guchar *out = rgb + (gsize) y * size * 3;

      for (int x = 0; x < size; x++, out += 3)
        {
          out[0] = (row[x] >> 16) & 0xff;
          out[1] = (row[x] >> 8) & 0xff;
          out[2] = row[x] & 0xff;
        }
    }
  bytes = g_bytes_new_take (rgb, (gsize) size * size * 3);
  return gdk_memory_texture_new (size, size, GDK_MEMORY_R8G8B8, bytes, (gsize) size * 3);
}

static void
compose_worker (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Fill *fill = task_data;
  int size = fill->tile_size * fill->scale;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, size, size);
  cairo_t *cr;

  cairo_surface_set_device_scale (surface, fill->scale, fill->scale);
  cr = cairo_create (surface);
  /* The plain background of the map (as in style.css): all there is
   * where the base has no tile, and under any transparent parts. */
  cairo_set_source_rgb (cr, 0xec / 255.0, 0xea / 255.0, 0xe2 / 255.0);
  cairo_paint (cr);
  if (fill->base != NULL)
    paint_base (cr, fill);
  cairo_destroy (cr);

  /* District names go over the households where clusters are sparse
   * enough that a name hides little; over the whole city the clusters'
   * counts matter more, and the names go under them. */
  if (fill->boundaries != NULL)
    tsu_boundary_painter_paint_tile (fill->boundaries, TSU_BOUNDARY_OUTLINES, surface,
                                     fill->zoom, fill->x, fill->y, fill->tile_size);
  if (fill->boundaries != NULL && fill->zoom < NAMES_OVER_ZOOM)
    tsu_boundary_painter_paint_tile (fill->boundaries, TSU_BOUNDARY_NAMES, surface,
                                     fill->zoom, fill->x, fill->y, fill->tile_size);
  if (fill->painter != NULL)
    tsu_household_painter_paint_tile (fill->painter, surface, fill->zoom, fill->x, fill->y, fill->tile_size);
  if (fill->boundaries != NULL && fill->zoom >= NAMES_OVER_ZOOM)
    tsu_boundary_painter_paint_tile (fill->boundaries, TSU_BOUNDARY_NAMES, surface,
                                     fill->zoom, fill->x, fill->y, fill->tile_size);

  g_task_return_pointer (task, texture_from_surface (surface, size), g_object_unref);
  cairo_surface_destroy (surface);
}

static void
on_composed_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  GError *error = NULL;

  texture = g_task_propagate_pointer (G_TASK (result), &error);
  finish_fill (task, texture, error);
}

static void
start_compose (GTask *task)
{
  g_autoptr(GTask) compose = g_task_new (g_task_get_source_object (task), g_task_get_cancellable (task),
                                         on_composed_cb, g_object_ref (task));

  g_task_set_source_tag (compose, start_compose);
  /* The fill stays owned by the outer task, which outlives this one. */
  g_task_set_task_data (compose, g_task_get_task_data (task), NULL);
  g_task_run_in_thread (compose, compose_worker);
}

static void
on_base_filled_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TsuHouseholdTileSource *self = g_task_get_source_object (task);
  Fill *fill = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GdkPaintable *paintable = NULL;

  g_clear_handle_id (&fill->deadline_id, g_source_remove);
  if (shumate_map_source_fill_tile_finish (SHUMATE_MAP_SOURCE (source), result, &error))
    paintable = shumate_tile_get_paintable (fill->base_tile);

  if (fill->composing)
    {
      /* Too late for this tile, which went out on the plain background. */
      if (GDK_IS_TEXTURE (paintable))
        g_signal_emit (self, signals[LATE_BASE], 0);
      return;
    }
  fill->composing = TRUE;
  if (GDK_IS_TEXTURE (paintable))
    fill->base = g_object_ref (GDK_TEXTURE (paintable));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      finish_fill (task, NULL, g_steal_pointer (&error));
      return;
    }
  /* Any other failure (offline, no such tile): households on a plain
   * background. */
  start_compose (task);
}

static gboolean
on_base_deadline_cb (gpointer user_data)
{
  GTask *task = user_data;
  Fill *fill = g_task_get_task_data (task);

  fill->deadline_id = 0;
  if (!fill->composing)
    {
      fill->composing = TRUE;
      start_compose (task);
    }
  return G_SOURCE_REMOVE;
}

static void
tsu_household_tile_source_fill_tile_async (ShumateMapSource    *source,
                                           ShumateTile         *tile,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  TsuHouseholdTileSource *self = TSU_HOUSEHOLD_TILE_SOURCE (source);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Fill *fill = g_new0 (Fill, 1);

  g_task_set_source_tag (task, tsu_household_tile_source_fill_tile_async);
  fill->tile = g_object_ref (tile);
  fill->boundaries = self->boundaries != NULL ? g_object_ref (self->boundaries) : NULL;
  fill->painter = self->painter != NULL ? g_object_ref (self->painter) : NULL;
  fill->zoom = (int) shumate_tile_get_zoom_level (tile);
  fill->x = (int) shumate_tile_get_x (tile);
  fill->y = (int) shumate_tile_get_y (tile);
  fill->tile_size = (int) shumate_tile_get_size (tile);
  fill->scale = self->scale;
  g_task_set_task_data (task, fill, (GDestroyNotify) fill_free);
  self->n_pending++;
  shumate_tile_set_state (tile, SHUMATE_STATE_LOADING);

  if (self->base != NULL && fill->zoom >= (int) shumate_map_source_get_min_zoom_level (self->base))
    {
      int deepest = (int) shumate_map_source_get_max_zoom_level (self->base);

      fill->overzoom = MAX (0, fill->zoom - deepest);
      fill->base_tile = shumate_tile_new_full ((guint) fill->x >> fill->overzoom, (guint) fill->y >> fill->overzoom,
                                               (guint) fill->tile_size, (guint) (fill->zoom - fill->overzoom));
      fill->deadline_id = g_timeout_add_full (G_PRIORITY_DEFAULT, BASE_DEADLINE_MS, on_base_deadline_cb,
                                              g_object_ref (task), g_object_unref);
      shumate_map_source_fill_tile_async (self->base, fill->base_tile, cancellable,
                                          on_base_filled_cb, g_steal_pointer (&task));
      return;
    }
  start_compose (task);
}

static gboolean
tsu_household_tile_source_fill_tile_finish (ShumateMapSource  *source,
                                            GAsyncResult      *result,
                                            GError           **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
tsu_household_tile_source_finalize (GObject *object)
{
  TsuHouseholdTileSource *self = TSU_HOUSEHOLD_TILE_SOURCE (object);

  g_clear_object (&self->base);
  g_clear_object (&self->boundaries);
  g_clear_object (&self->painter);

  G_OBJECT_CLASS (tsu_household_tile_source_parent_class)->finalize (object);
}

static void
tsu_household_tile_source_class_init (TsuHouseholdTileSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  ShumateMapSourceClass *source_class = SHUMATE_MAP_SOURCE_CLASS (klass);

  object_class->finalize = tsu_household_tile_source_finalize;
  source_class->fill_tile_async = tsu_household_tile_source_fill_tile_async;
  source_class->fill_tile_finish = tsu_household_tile_source_fill_tile_finish;

  /**
   * TsuHouseholdTileSource::settled:
   *
   * Every tile asked for so far has been filled (or has failed).
   */
  signals[SETTLED] =
    g_signal_new ("settled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * TsuHouseholdTileSource::late-base:
   *
   * A base tile arrived after its tile was filled without it.
   */
  signals[LATE_BASE] =
    g_signal_new ("late-base", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tsu_household_tile_source_init (TsuHouseholdTileSource *self)
{
}
