/* tsu-household-layer.c: the base map with every household drawn in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One ShumateMarker per household does not scale (adding tens of
 * thousands is quadratic and a frame costs hundreds of milliseconds), and
 * even one overlay texture costs as much again per frame as the map
 * itself when there is no GPU. So the households are drawn into the map
 * tiles (TsuHouseholdTileSource): this layer shows them through its own
 * ShumateMapLayer, draws only the selection ring itself, and answers
 * what is under the pointer.
 *
 * New points or a new filter are projected and clustered in a worker
 * (TsuHouseholdPainter); the tiles are then made again by a new map
 * layer stacked over the old one, which goes once the new one has every
 * tile, so the map never flashes empty.
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
#include "tsu-household-tile-source.h"

#define DOT_HIT_RADIUS 8.0
#define CLUSTER_HIT_RADIUS 28.0
/* An old map layer goes after this even if the new one still waits for
 * tiles (a slow network must not keep two layers forever). */
#define RETIRE_TIMEOUT_MS 3000
/* Late base tiles are gathered for this long before the tiles are made
 * again with them. */
#define LATE_BASE_QUIET_MS 700

struct _TsuHouseholdLayer
{
  ShumateLayer         parent_instance;

  TsuMapPoints        *points;
  TsuHouseholdPainter *painter;
  guint                generation;
  GCancellable        *cancellable;

  char                *filter_district;
  guint                filter_status;
  char                *selected;
  gboolean             has_selected_point;
  double               selected_x;
  double               selected_y;

  ShumateMapSource    *base;
  TsuBoundaryPainter  *boundaries;
  gboolean             preparing;     /* a new painter is on its way */
  guint                tiles_generation;
  int                  tiles_scale;
  /* The newest map layer is the last child; older ones wait under it. */
  ShumateMapLayer     *tiles;
  ShumateMapSource    *tiles_source;  /* what tiles shows; not a reference */
  guint                retire_id;
  guint                late_base_id;
  guint                rebuild_id;
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

TsuHouseholdLayer *
tsu_household_layer_new (ShumateViewport *viewport)
{
  return g_object_new (TSU_TYPE_HOUSEHOLD_LAYER, "viewport", viewport, NULL);
}

/* Tiles */

static void
retire_old_tiles (TsuHouseholdLayer *self)
{
  GtkWidget *child;

  g_clear_handle_id (&self->retire_id, g_source_remove);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL &&
         child != GTK_WIDGET (self->tiles))
    gtk_widget_unparent (child);
}

static gboolean
retire_timeout_cb (gpointer user_data)
{
  TsuHouseholdLayer *self = user_data;

  self->retire_id = 0;
  retire_old_tiles (self);
  return G_SOURCE_REMOVE;
}

static void
on_tiles_settled_cb (TsuHouseholdLayer      *self,
                     TsuHouseholdTileSource *source)
{
  if (self->tiles == NULL || self->tiles_source != SHUMATE_MAP_SOURCE (source))
    return;
  retire_old_tiles (self);
}

static void queue_rebuild_tiles (TsuHouseholdLayer *self);

static gboolean
late_base_timeout_cb (gpointer user_data)
{
  TsuHouseholdLayer *self = user_data;

  self->late_base_id = 0;
  queue_rebuild_tiles (self);
  return G_SOURCE_REMOVE;
}

/* Base tiles came after their tiles were shown without them (a slow
 * network): make the tiles again once they have stopped coming. */
static void
on_late_base_cb (TsuHouseholdLayer      *self,
                 TsuHouseholdTileSource *source)
{
  if (self->tiles_source != SHUMATE_MAP_SOURCE (source))
    return;
  g_clear_handle_id (&self->late_base_id, g_source_remove);
  self->late_base_id = g_timeout_add (LATE_BASE_QUIET_MS, late_base_timeout_cb, self);
}

/* A new map layer for the current base map, painter and screen scale,
 * above the ones showing until now. */
static void
make_tiles (TsuHouseholdLayer *self)
{
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  g_autoptr(TsuHouseholdTileSource) source = NULL;

  if (viewport == NULL)
    return;
  /* The newest layer has not been asked for a single tile yet (changes
   * before the first frame: the base map, the households, the district
   * names): it would only be drawn to be covered, so it goes now. */
  if (self->tiles != NULL &&
      tsu_household_tile_source_get_n_pending (TSU_HOUSEHOLD_TILE_SOURCE (self->tiles_source)) == 0 &&
      tsu_household_tile_source_get_n_filled (TSU_HOUSEHOLD_TILE_SOURCE (self->tiles_source)) == 0)
    {
      gtk_widget_unparent (GTK_WIDGET (self->tiles));
      self->tiles = NULL;
      self->tiles_source = NULL;
    }
  self->tiles_scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  source = tsu_household_tile_source_new (self->base, self->boundaries, self->painter,
                                          ++self->tiles_generation, self->tiles_scale);
  g_signal_connect_object (source, "settled", G_CALLBACK (on_tiles_settled_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (source, "late-base", G_CALLBACK (on_late_base_cb), self, G_CONNECT_SWAPPED);
  g_clear_handle_id (&self->late_base_id, g_source_remove);
  self->tiles = shumate_map_layer_new (SHUMATE_MAP_SOURCE (source), viewport);
  self->tiles_source = SHUMATE_MAP_SOURCE (source);
  gtk_widget_set_can_target (GTK_WIDGET (self->tiles), FALSE);
  gtk_widget_insert_before (GTK_WIDGET (self->tiles), GTK_WIDGET (self), NULL);
  gtk_widget_queue_resize (GTK_WIDGET (self));

  g_clear_handle_id (&self->retire_id, g_source_remove);
  if (gtk_widget_get_first_child (GTK_WIDGET (self)) != GTK_WIDGET (self->tiles))
    self->retire_id = g_timeout_add (RETIRE_TIMEOUT_MS, retire_timeout_cb, self);
}

static gboolean
rebuild_tiles_cb (gpointer user_data)
{
  TsuHouseholdLayer *self = user_data;

  self->rebuild_id = 0;
  make_tiles (self);
  return G_SOURCE_REMOVE;
}

/* Changes that come together (a base map and the households at start,
 * new households and district names) make the tiles once: before the
 * next frame is drawn, not once per change. */
static void
queue_rebuild_tiles (TsuHouseholdLayer *self)
{
  if (self->rebuild_id == 0)
    self->rebuild_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, rebuild_tiles_cb, self, NULL);
}

void
tsu_household_layer_set_map_source (TsuHouseholdLayer *self,
                                    ShumateMapSource  *source)
{
  g_return_if_fail (TSU_IS_HOUSEHOLD_LAYER (self));
  g_return_if_fail (source == NULL || SHUMATE_IS_MAP_SOURCE (source));

  if (!g_set_object (&self->base, source))
    return;
  /* Another map: nothing of the old one may stay under the new. */
  if (self->tiles != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->tiles));
      self->tiles = NULL;
    }
  retire_old_tiles (self);
  queue_rebuild_tiles (self);
}

void
tsu_household_layer_reload_tiles (TsuHouseholdLayer *self)
{
  g_return_if_fail (TSU_IS_HOUSEHOLD_LAYER (self));
  queue_rebuild_tiles (self);
}

void
tsu_household_layer_set_boundaries (TsuHouseholdLayer  *self,
                                    TsuBoundaryPainter *boundaries)
{
  g_return_if_fail (TSU_IS_HOUSEHOLD_LAYER (self));
  g_return_if_fail (boundaries == NULL || TSU_IS_BOUNDARY_PAINTER (boundaries));

  if (!g_set_object (&self->boundaries, boundaries))
    return;
  /* A new district filter brings new households too: make the tiles
   * once, when they are ready. */
  if (!self->preparing)
    queue_rebuild_tiles (self);
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
  TsuHouseholdPainter *painter;

  painter = tsu_household_painter_new (input->points, input->district, input->status_mask, cancellable);
  if (painter == NULL)
    g_task_return_error_if_cancelled (task);
  else
    g_task_return_pointer (task, painter, g_object_unref);
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
set_painter (TsuHouseholdLayer   *self,
             TsuHouseholdPainter *painter)
{
  g_set_object (&self->painter, painter);
  queue_rebuild_tiles (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
}

static void
on_prepared_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  TsuHouseholdLayer *self = TSU_HOUSEHOLD_LAYER (source);
  guint generation = GPOINTER_TO_UINT (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(TsuHouseholdPainter) painter = g_task_propagate_pointer (G_TASK (result), &error);

  if (painter == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_warning ("Failed to prepare the households for the map: %s", error->message);
          self->preparing = FALSE;
        }
      return;
    }
  /* A newer request is on its way: this result is already out of date. */
  if (generation != self->generation)
    return;
  self->preparing = FALSE;
  set_painter (self, painter);
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

  self->preparing = TRUE;
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
      self->generation++;
      self->preparing = FALSE;
      set_painter (self, NULL);
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
  return self->painter != NULL;
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
  const TsuHouseholdSet *set;

  g_return_val_if_fail (TSU_IS_HOUSEHOLD_LAYER (self), 0);

  set = self->painter != NULL ? tsu_household_painter_get_set (self->painter) : NULL;
  if (class_counts != NULL)
    {
      for (guint k = 0; k < TSU_MAP_N_CLASSES; k++)
        class_counts[k] = set != NULL ? set->class_counts[k] : 0;
    }
  return set != NULL ? set->n : 0;
}

gboolean
tsu_household_layer_get_shown_bbox (TsuHouseholdLayer *self,
                                    TsuBBox           *box)
{
  const TsuHouseholdSet *set;

  g_return_val_if_fail (TSU_IS_HOUSEHOLD_LAYER (self), FALSE);

  set = self->painter != NULL ? tsu_household_painter_get_set (self->painter) : NULL;
  if (set == NULL || set->n == 0)
    return FALSE;
  *box = set->bbox;
  return TRUE;
}

/* Geometry of the current frame */

typedef struct
{
  double zoom;
  int    tile_zoom;  /* the zoom of the tiles drawn, enlarged to zoom */
  double enlarge;    /* 2^(zoom − tile_zoom) */
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
  frame->tile_zoom = (int) floor (frame->zoom + 1e-9);
  frame->enlarge = exp2 (frame->zoom - frame->tile_zoom);
  frame->world = tile_size * exp2 (frame->zoom);
  tsu_mercator_project (shumate_location_get_latitude (SHUMATE_LOCATION (viewport)),
                        shumate_location_get_longitude (SHUMATE_LOCATION (viewport)), &cx, &cy);
  frame->origin_x = cx * frame->world - frame->width / 2.0;
  frame->origin_y = cy * frame->world - frame->height / 2.0;
  return frame->width > 0 && frame->height > 0;
}

/* Drawing: the tiles are the map layers below; only the ring around the
 * selected household is drawn here, in a node just its size. */

#define RING_RADIUS 10.0
#define RING_EXTENT 14.0

static void
snapshot_selected (TsuHouseholdLayer *self,
                   GtkSnapshot       *snapshot)
{
  Frame frame;
  double px, py;
  cairo_t *cr;

  if (!self->has_selected_point || !get_frame (self, &frame))
    return;
  px = self->selected_x * frame.world - frame.origin_x;
  py = self->selected_y * frame.world - frame.origin_y;
  if (px < -RING_EXTENT || py < -RING_EXTENT || px > frame.width + RING_EXTENT || py > frame.height + RING_EXTENT)
    return;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (px - RING_EXTENT, py - RING_EXTENT,
                                                                 2 * RING_EXTENT, 2 * RING_EXTENT));
  cairo_new_path (cr);
  cairo_arc (cr, px, py, RING_RADIUS, 0, 2 * G_PI);
  cairo_set_source_rgba (cr, 1, 1, 1, 1);
  cairo_set_line_width (cr, 5);
  cairo_stroke_preserve (cr);
  cairo_set_source_rgba (cr, 0.1, 0.1, 0.12, 1);
  cairo_set_line_width (cr, 2.5);
  cairo_stroke (cr);
  cairo_destroy (cr);
}

static void
tsu_household_layer_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  TsuHouseholdLayer *self = TSU_HOUSEHOLD_LAYER (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_widget_snapshot_child (widget, child, snapshot);
  snapshot_selected (self, snapshot);
}

static void
tsu_household_layer_size_allocate (GtkWidget *widget,
                                   int        width,
                                   int        height,
                                   int        baseline)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_widget_allocate (child, width, height, baseline, NULL);
}

static void
on_scale_factor_cb (TsuHouseholdLayer *self)
{
  if (self->tiles != NULL && gtk_widget_get_scale_factor (GTK_WIDGET (self)) != self->tiles_scale)
    queue_rebuild_tiles (self);
}

/* Hit-testing */

gboolean
tsu_household_layer_hit (TsuHouseholdLayer *self,
                         double             x,
                         double             y,
                         TsuHouseholdHit   *hit)
{
  const TsuHouseholdSet *p;
  const TsuClusterLevel *level;
  Frame frame;
  double mx, my;

  g_return_val_if_fail (TSU_IS_HOUSEHOLD_LAYER (self), FALSE);
  g_return_val_if_fail (hit != NULL, FALSE);

  memset (hit, 0, sizeof *hit);
  hit->point = -1;
  if (self->painter == NULL || !get_frame (self, &frame))
    return FALSE;
  p = tsu_household_painter_get_set (self->painter);
  if (p->n == 0)
    return FALSE;

  mx = (frame.origin_x + x) / frame.world;
  my = (frame.origin_y + y) / frame.world;
  level = tsu_household_painter_get_level (self->painter, frame.tile_zoom);

  if (level == NULL)
    {
      /* Dots are drawn at the tiles' zoom and enlarged with them. */
      int i = tsu_nearest_point (p->x, p->y, p->n, mx, my, frame.zoom, DOT_HIT_RADIUS * frame.enlarge);

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
      /* Clusters are drawn at the level's zoom: the radius is in its pixels. */
      int c = tsu_cluster_level_hit (level, mx, my, CLUSTER_HIT_RADIUS);
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
          double radius = DOT_HIT_RADIUS * frame.enlarge;

          if (dx * dx + dy * dy > radius * radius)
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
      hit->zoom = floor (tsu_mercator_fit_zoom (&box, frame.width * 0.6, frame.height * 0.6,
                                                frame.tile_zoom + 1, 18));
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
  /* Until there is a base map, households on a plain background. */
  queue_rebuild_tiles (self);
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

  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->retire_id, g_source_remove);
  g_clear_handle_id (&self->late_base_id, g_source_remove);
  g_clear_handle_id (&self->rebuild_id, g_source_remove);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  self->tiles = NULL;
  self->tiles_source = NULL;
  g_clear_object (&self->base);
  g_clear_object (&self->boundaries);
  g_clear_object (&self->painter);

  G_OBJECT_CLASS (tsu_household_layer_parent_class)->dispose (object);
}

static void
tsu_household_layer_finalize (GObject *object)
{
  TsuHouseholdLayer *self = TSU_HOUSEHOLD_LAYER (object);

  g_clear_pointer (&self->points, tsu_map_points_unref);
  g_free (self->filter_district);
  g_free (self->selected);

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
  widget_class->size_allocate = tsu_household_layer_size_allocate;

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
  g_signal_connect (self, "notify::scale-factor", G_CALLBACK (on_scale_factor_cb), NULL);
}
