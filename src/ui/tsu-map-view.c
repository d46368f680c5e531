/* tsu-map-view.c: the map page: households, district boundaries, tiles
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A ShumateSimpleMap with two custom layers (district outlines under the
 * households), a legend, the background map switcher and the offline
 * state. Everything read from the store or from files is read in workers;
 * the map itself never waits for the network: without it, households and
 * boundaries are drawn on the plain background and a notice says so.
 */
#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "tsu-boundary-painter.h"
#include "tsu-household-layer.h"
#include "tsu-map-view.h"
#include "tsu-privacy.h"
#include "tsu-mbtiles-source.h"
#include "tsu-store-map.h"
#include "tsu-tile-source.h"

/* A district download: zoom 12 for the overview, up to 17 to find a door;
 * capped so one click cannot fetch an unreasonable number of tiles. */
#define DOWNLOAD_MIN_ZOOM 12
#define DOWNLOAD_MAX_ZOOM 17
#define DOWNLOAD_MAX_TILES 4000

typedef enum
{
  FIT_NONE,
  FIT_ALL,
  FIT_DISTRICT,
  FIT_SAVED,
} PendingFit;

struct _TsuMapView
{
  GtkWidget           parent_instance;

  TsuStore           *store;
  GSettings          *settings;
  GCancellable       *cancellable;
  GCancellable       *download_cancellable;

  TsuHouseholdLayer  *household_layer;
  GPtrArray          *districts;
  gboolean            points_loaded;
  gboolean            districts_loaded;

  char               *tile_source_id;
  TsuTileSource      *tile_source;
  TsuMbtilesSource   *pack;
  char               *attribution;
  gboolean            network_available;
  gboolean            tiles_reachable;  /* the tile server answered last time */

  char               *district;
  gboolean            filter_overdue;
  gboolean            filter_flagged;
  guint               status_filter;

  gboolean            placing;
  char               *place_household;

  PendingFit          pending_fit;
  char               *pending_district;
  guint               fit_tick_id;
  gboolean            first_load_done;

  GtkLabel           *legend_counts[TSU_MAP_N_CLASSES];

  /* template children */
  AdwToastOverlay    *toast_overlay;
  ShumateSimpleMap   *map;
  GtkBox             *legend_box;
  GtkLabel           *legend_title;
  GtkWidget          *legend_approximate;
  GtkWidget          *offline_box;
  GtkLabel           *offline_label;
  GtkWidget          *focus_ring;
  GtkLabel           *attribution_label;
  GtkWidget          *place_box;
  GtkWidget          *download_box;
  GtkLabel           *download_label;
  GtkProgressBar     *download_progress;
};

G_DEFINE_FINAL_TYPE (TsuMapView, tsu_map_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_TILE_SOURCE,
  PROP_FILTER_OVERDUE,
  PROP_FILTER_FLAGGED,
  PROP_READY,
  N_PROPS
};

enum {
  HOUSEHOLD_ACTIVATED,
  LOCATION_PICKED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void apply_tile_source (TsuMapView *self);
static void update_actions (TsuMapView *self);

static void
toast (TsuMapView *self,
       const char *text)
{
  AdwToast *t = adw_toast_new (text);

  adw_toast_set_timeout (t, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

GtkWidget *
tsu_map_view_new (TsuStore *store)
{
  return g_object_new (TSU_TYPE_MAP_VIEW, "store", store, NULL);
}

TsuStore *
tsu_map_view_get_store (TsuMapView *self)
{
  g_return_val_if_fail (TSU_IS_MAP_VIEW (self), NULL);
  return self->store;
}

ShumateSimpleMap *
tsu_map_view_get_map (TsuMapView *self)
{
  g_return_val_if_fail (TSU_IS_MAP_VIEW (self), NULL);
  return self->map;
}

const char *
tsu_map_view_get_attribution (TsuMapView *self)
{
  g_return_val_if_fail (TSU_IS_MAP_VIEW (self), NULL);
  return self->attribution;
}

gboolean
tsu_map_view_get_ready (TsuMapView *self)
{
  g_return_val_if_fail (TSU_IS_MAP_VIEW (self), FALSE);
  return self->points_loaded && self->districts_loaded &&
         tsu_household_layer_get_ready (self->household_layer);
}

/* Viewport helpers */

static ShumateViewport *
get_viewport (TsuMapView *self)
{
  return shumate_simple_map_get_viewport (self->map);
}

static void
go_to (TsuMapView *self,
       double      latitude,
       double      longitude,
       double      zoom)
{
  ShumateViewport *viewport = get_viewport (self);

  /* Jump, not animate: the map must be right in the first frame after a
   * selection, and animations are slow on software rendering. */
  zoom = CLAMP (zoom, shumate_viewport_get_min_zoom_level (viewport),
                shumate_viewport_get_max_zoom_level (viewport));
  shumate_viewport_set_zoom_level (viewport, zoom);
  shumate_location_set_location (SHUMATE_LOCATION (viewport), latitude, longitude);
}

static void
fit_mercator_box (TsuMapView    *self,
                  const TsuBBox *box,
                  double         max_zoom)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self->map));
  int height = gtk_widget_get_height (GTK_WIDGET (self->map));
  double lat, lon, zoom;

  /* A whole zoom: tiles (and the households drawn in them) are then
   * shown at their own size, sharp, not enlarged. Rounded up when the
   * box still fits the whole map (85 % × 2^0.23 ≤ 100 %), so a city is
   * not shown at half the size it could have. */
  zoom = floor (tsu_mercator_fit_zoom (box, width * 0.85, height * 0.85, 3, max_zoom) + 0.23);
  tsu_mercator_unproject ((box->min_x + box->max_x) / 2, (box->min_y + box->max_y) / 2, &lat, &lon);
  go_to (self, lat, lon, zoom);
}

static TsuMapDistrict *
find_district (TsuMapView *self,
               const char *district_id)
{
  for (guint i = 0; self->districts != NULL && i < self->districts->len; i++)
    {
      TsuMapDistrict *district = g_ptr_array_index (self->districts, i);

      if (g_strcmp0 (district->id, district_id) == 0)
        return district;
    }
  return NULL;
}

/* The mercator box of a district: its boundary, else its households. */
static gboolean
district_box (TsuMapView *self,
              const char *district_id,
              TsuBBox    *box)
{
  TsuMapDistrict *district = find_district (self, district_id);
  TsuMapPoints *points = tsu_household_layer_get_points (self->household_layer);

  tsu_bbox_init_empty (box);
  if (district != NULL && district->boundary != NULL)
    {
      TsuBBox b = tsu_shape_get_bbox (district->boundary);
      double x, y;

      tsu_mercator_project (b.max_y, b.min_x, &x, &y);
      tsu_bbox_extend (box, x, y);
      tsu_mercator_project (b.min_y, b.max_x, &x, &y);
      tsu_bbox_extend (box, x, y);
      return TRUE;
    }
  for (guint i = 0; points != NULL && i < points->n; i++)
    if (g_strcmp0 (points->district_ids[i], district_id) == 0)
      {
        double x, y;

        tsu_mercator_project (points->lat[i], points->lon[i], &x, &y);
        tsu_bbox_extend (box, x, y);
      }
  if (tsu_bbox_is_empty (box) && district != NULL && !isnan (district->lat))
    {
      double x, y;

      tsu_mercator_project (district->lat, district->lon, &x, &y);
      tsu_bbox_extend (box, x, y);
    }
  return !tsu_bbox_is_empty (box);
}

static gboolean
run_pending_fit (TsuMapView *self)
{
  TsuBBox box;

  if (gtk_widget_get_width (GTK_WIDGET (self->map)) <= 0)
    return FALSE;

  switch (self->pending_fit)
    {
    case FIT_ALL:
      if (!self->points_loaded || !tsu_household_layer_get_ready (self->household_layer))
        return FALSE;
      if (tsu_household_layer_get_shown_bbox (self->household_layer, &box))
        fit_mercator_box (self, &box, 16);
      break;
    case FIT_DISTRICT:
      if (!self->districts_loaded || !self->points_loaded)
        return FALSE;
      if (district_box (self, self->pending_district, &box))
        fit_mercator_box (self, &box, 16);
      break;
    case FIT_SAVED:
      go_to (self, g_settings_get_double (self->settings, "map-latitude"),
             g_settings_get_double (self->settings, "map-longitude"),
             g_settings_get_double (self->settings, "map-zoom"));
      break;
    case FIT_NONE:
    default:
      break;
    }
  self->pending_fit = FIT_NONE;
  return TRUE;
}

static gboolean
fit_tick_cb (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       user_data)
{
  TsuMapView *self = TSU_MAP_VIEW (widget);

  if (self->pending_fit == FIT_NONE || run_pending_fit (self))
    {
      self->fit_tick_id = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

/* Fits now if the map has a size and the data is there, otherwise as
 * soon as both are true. */
static void
request_fit (TsuMapView *self,
             PendingFit  fit,
             const char *district_id)
{
  self->pending_fit = fit;
  g_free (self->pending_district);
  self->pending_district = g_strdup (district_id);
  if (run_pending_fit (self))
    return;
  if (self->fit_tick_id == 0)
    self->fit_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), fit_tick_cb, NULL, NULL);
}

/* Data */

static void
update_legend (TsuMapView *self)
{
  guint counts[TSU_MAP_N_CLASSES];
  guint total = tsu_household_layer_get_n_shown (self->household_layer, counts);
  g_autofree char *title = NULL;

  for (guint k = 0; k < TSU_MAP_N_CLASSES; k++)
    {
      char text[16];

      g_snprintf (text, sizeof text, "%u", counts[k]);
      gtk_label_set_text (self->legend_counts[k], text);
    }
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u household", "%u households", total), total);
  gtk_label_set_text (self->legend_title, title);
}

static void
on_layer_ready_cb (TsuMapView *self)
{
  update_legend (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
}

static void
on_points_loaded_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  TsuMapView *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TsuMapPoints) points = tsu_store_load_map_points_finish (TSU_STORE (source), result, &error);

  if (points == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *text = g_strdup_printf (_("The households could not be read: %s"), error->message);
          toast (self, text);
        }
      return;
    }
  tsu_household_layer_set_points (self->household_layer, points);
  self->points_loaded = TRUE;
  if (!self->first_load_done)
    {
      self->first_load_done = TRUE;
      if (g_settings_get_double (self->settings, "map-zoom") > 0 && self->pending_fit == FIT_NONE)
        request_fit (self, FIT_SAVED, NULL);
      else if (self->pending_fit == FIT_NONE)
        request_fit (self, FIT_ALL, NULL);
    }
}

/* District outlines go into the map tiles with the households: a new
 * painter for new districts or a new highlight. */
static void
update_boundaries (TsuMapView *self)
{
  g_autoptr(TsuBoundaryPainter) boundaries = NULL;
  g_autofree char *font = NULL;

  g_object_get (gtk_widget_get_settings (GTK_WIDGET (self)), "gtk-font-name", &font, NULL);
  boundaries = tsu_boundary_painter_new (self->districts, self->district, font);
  tsu_household_layer_set_boundaries (self->household_layer, boundaries);
}

/* Dashed outlines are guesses (the demo's, or any marked approximate):
 * the legend says so while one is drawn. */
static void
update_approximate_note (TsuMapView *self)
{
  gboolean any = FALSE;

  for (guint i = 0; self->districts != NULL && i < self->districts->len && !any; i++)
    {
      TsuMapDistrict *district = g_ptr_array_index (self->districts, i);

      any = district->approximate && district->boundary != NULL;
    }
  gtk_widget_set_visible (self->legend_approximate, any);
}

static void
on_districts_loaded_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  TsuMapView *self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *districts = tsu_store_list_map_districts_finish (TSU_STORE (source), result, &error);

  if (districts == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Failed to read the districts for the map: %s", error->message);
      return;
    }
  g_clear_pointer (&self->districts, g_ptr_array_unref);
  self->districts = districts;
  update_boundaries (self);
  update_approximate_note (self);
  self->districts_loaded = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
}

void
tsu_map_view_reload (TsuMapView *self)
{
  g_return_if_fail (TSU_IS_MAP_VIEW (self));

  if (self->store == NULL)
    return;
  tsu_store_load_map_points_async (self->store, NULL, self->cancellable, on_points_loaded_cb, self);
  tsu_store_list_map_districts_async (self->store, self->cancellable, on_districts_loaded_cb, self);
}

void
tsu_map_view_set_store (TsuMapView *self,
                        TsuStore   *store)
{
  g_return_if_fail (TSU_IS_MAP_VIEW (self));
  g_return_if_fail (store == NULL || TSU_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;
  self->points_loaded = FALSE;
  self->districts_loaded = FALSE;
  tsu_map_view_reload (self);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

/* Filters and selection */

static void
apply_filter (TsuMapView *self)
{
  guint mask = self->status_filter;

  if (self->filter_overdue)
    mask |= TSU_MAP_STATUS_OVERDUE;
  if (self->filter_flagged)
    mask |= TSU_MAP_STATUS_FLAGGED;
  tsu_household_layer_set_filter (self->household_layer, self->district, mask);
}

void
tsu_map_view_set_district_filter (TsuMapView *self,
                                  const char *district_id)
{
  g_return_if_fail (TSU_IS_MAP_VIEW (self));

  g_free (self->district);
  self->district = g_strdup (district_id);
  apply_filter (self);
  update_boundaries (self);
  update_actions (self);
}

void
tsu_map_view_set_status_filter (TsuMapView *self,
                                guint       status_mask)
{
  g_return_if_fail (TSU_IS_MAP_VIEW (self));

  self->status_filter = status_mask;
  apply_filter (self);
}

void
tsu_map_view_fit_district (TsuMapView *self,
                           const char *district_id)
{
  g_return_if_fail (TSU_IS_MAP_VIEW (self));
  g_return_if_fail (district_id != NULL);

  g_free (self->district);
  self->district = g_strdup (district_id);
  apply_filter (self);
  update_boundaries (self);
  update_actions (self);
  request_fit (self, FIT_DISTRICT, district_id);
}

void
tsu_map_view_fit_all (TsuMapView *self)
{
  g_return_if_fail (TSU_IS_MAP_VIEW (self));
  request_fit (self, FIT_ALL, NULL);
}

void
tsu_map_view_select_household (TsuMapView *self,
                               const char *household_id)
{
  TsuMapPoints *points;
  int index;

  g_return_if_fail (TSU_IS_MAP_VIEW (self));

  tsu_household_layer_set_selected (self->household_layer, household_id);
  points = tsu_household_layer_get_points (self->household_layer);
  if (household_id == NULL || points == NULL)
    return;
  index = tsu_map_points_find (points, household_id);
  if (index >= 0)
    go_to (self, points->lat[index], points->lon[index],
           MAX (shumate_viewport_get_zoom_level (get_viewport (self)), TSU_HOUSEHOLD_LAYER_DOTS_ZOOM + 1));
}

/* Place on map */

void
tsu_map_view_begin_place (TsuMapView *self,
                          const char *household_id)
{
  g_return_if_fail (TSU_IS_MAP_VIEW (self));

  self->placing = TRUE;
  g_free (self->place_household);
  self->place_household = g_strdup (household_id);
  gtk_widget_set_visible (self->place_box, TRUE);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self->map), "crosshair");
}

void
tsu_map_view_cancel_place (TsuMapView *self)
{
  g_return_if_fail (TSU_IS_MAP_VIEW (self));

  self->placing = FALSE;
  g_clear_pointer (&self->place_household, g_free);
  gtk_widget_set_visible (self->place_box, FALSE);
  gtk_widget_set_cursor (GTK_WIDGET (self->map), NULL);
}

static void
on_location_saved_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(TsuMapView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tsu_store_set_household_location_finish (TSU_STORE (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *text = g_strdup_printf (_("The location could not be saved: %s"), error->message);
          toast (self, text);
        }
      return;
    }
  toast (self, _("Location saved"));
  tsu_map_view_reload (self);
}

static void
pick_location (TsuMapView *self,
               double      x,
               double      y)
{
  g_autofree char *household = g_steal_pointer (&self->place_household);
  double lat, lon;

  shumate_viewport_widget_coords_to_location (get_viewport (self), GTK_WIDGET (self->map), x, y, &lat, &lon);
  tsu_map_view_cancel_place (self);
  g_signal_emit (self, signals[LOCATION_PICKED], 0, lat, lon);
  if (household != NULL && self->store != NULL)
    {
      tsu_store_set_household_location_async (self->store, household, lat, lon, self->cancellable,
                                              on_location_saved_cb, g_object_ref (self));
      tsu_household_layer_set_selected (self->household_layer, household);
    }
}

/* Pointer */

static gboolean map_to_layer (TsuMapView *self, double x, double y, double *lx, double *ly);

const char *
tsu_map_view_get_household_at (TsuMapView *self,
                               double      x,
                               double      y)
{
  TsuHouseholdHit hit;
  double lx, ly;

  g_return_val_if_fail (TSU_IS_MAP_VIEW (self), NULL);

  if (!map_to_layer (self, x, y, &lx, &ly) ||
      !tsu_household_layer_hit (self->household_layer, lx, ly, &hit) ||
      hit.kind != TSU_HOUSEHOLD_HIT_HOUSEHOLD)
    return NULL;
  return tsu_household_layer_get_points (self->household_layer)->ids[hit.point];
}

static gboolean
map_to_layer (TsuMapView *self,
              double      x,
              double      y,
              double     *lx,
              double     *ly)
{
  return gtk_widget_translate_coordinates (GTK_WIDGET (self->map), GTK_WIDGET (self->household_layer),
                                           x, y, lx, ly);
}

static void
on_click_released_cb (GtkGestureClick *gesture,
                      int              n_press,
                      double           x,
                      double           y,
                      TsuMapView      *self)
{
  double lx, ly;

  if (n_press != 1)
    return;
  if (self->placing)
    {
      pick_location (self, x, y);
      return;
    }
  if (map_to_layer (self, x, y, &lx, &ly))
    tsu_household_layer_activate_at (self->household_layer, lx, ly);
}

static void
on_household_activated_cb (TsuMapView *self,
                           const char *household_id)
{
  tsu_household_layer_set_selected (self->household_layer, household_id);
  g_signal_emit (self, signals[HOUSEHOLD_ACTIVATED], 0, household_id);
}

static void
on_cluster_activated_cb (TsuMapView *self,
                         double      latitude,
                         double      longitude,
                         double      zoom)
{
  go_to (self, latitude, longitude, zoom);
}

static gboolean
on_query_tooltip_cb (GtkWidget  *widget,
                     int         x,
                     int         y,
                     gboolean    keyboard,
                     GtkTooltip *tooltip,
                     TsuMapView *self)
{
  g_autofree char *text = NULL;
  double lx, ly;

  if (keyboard || self->placing || !map_to_layer (self, x, y, &lx, &ly))
    return FALSE;
  text = tsu_household_layer_get_tooltip_at (self->household_layer, lx, ly);
  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
on_motion_cb (GtkEventControllerMotion *controller,
              double                    x,
              double                    y,
              TsuMapView               *self)
{
  TsuHouseholdHit hit;
  double lx, ly;
  gboolean over = FALSE;

  if (self->placing)
    return;
  if (map_to_layer (self, x, y, &lx, &ly))
    over = tsu_household_layer_hit (self->household_layer, lx, ly, &hit);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self->map), over ? "pointer" : NULL);
}

/* Keyboard: the map, once focused, shows a ring at its centre. Arrows
 * pan, + and − zoom, Enter acts on what is under the ring (opens a
 * household, zooms into a cluster, or places the household being
 * placed), else opens the household selected elsewhere. */
static void
pan_by_share (TsuMapView *self,
              double      share_x,
              double      share_y)
{
  ShumateViewport *viewport = get_viewport (self);
  double world = 256 * exp2 (shumate_viewport_get_zoom_level (viewport));
  double x, y, lat, lon;

  tsu_mercator_project (shumate_location_get_latitude (SHUMATE_LOCATION (viewport)),
                        shumate_location_get_longitude (SHUMATE_LOCATION (viewport)), &x, &y);
  x += share_x * gtk_widget_get_width (GTK_WIDGET (self->map)) / world;
  y += share_y * gtk_widget_get_height (GTK_WIDGET (self->map)) / world;
  tsu_mercator_unproject (x, CLAMP (y, 0.0, 1.0), &lat, &lon);
  shumate_location_set_location (SHUMATE_LOCATION (viewport), lat, lon);
}

static void
zoom_by (TsuMapView *self,
         int         steps)
{
  ShumateViewport *viewport = get_viewport (self);
  double zoom = floor (shumate_viewport_get_zoom_level (viewport) + 0.5) + steps;

  go_to (self, shumate_location_get_latitude (SHUMATE_LOCATION (viewport)),
         shumate_location_get_longitude (SHUMATE_LOCATION (viewport)), zoom);
}

static gboolean
activate_centre (TsuMapView *self)
{
  double x = gtk_widget_get_width (GTK_WIDGET (self->map)) / 2.0;
  double y = gtk_widget_get_height (GTK_WIDGET (self->map)) / 2.0;
  double lx, ly;

  if (self->placing)
    {
      pick_location (self, x, y);
      return TRUE;
    }
  return map_to_layer (self, x, y, &lx, &ly) &&
         tsu_household_layer_activate_at (self->household_layer, lx, ly);
}

static gboolean
on_key_pressed_cb (GtkEventControllerKey *controller,
                   guint                  keyval,
                   guint                  keycode,
                   GdkModifierType        state,
                   TsuMapView            *self)
{
  const char *selected = tsu_household_layer_get_selected (self->household_layer);
  gboolean map_focused = gtk_widget_is_focus (GTK_WIDGET (self->map));

  if (keyval == GDK_KEY_Escape && self->placing)
    {
      tsu_map_view_cancel_place (self);
      return TRUE;
    }
  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0)
    return FALSE;
  if (map_focused)
    switch (keyval)
      {
      case GDK_KEY_Left: case GDK_KEY_KP_Left:
        pan_by_share (self, -0.25, 0);
        return TRUE;
      case GDK_KEY_Right: case GDK_KEY_KP_Right:
        pan_by_share (self, 0.25, 0);
        return TRUE;
      case GDK_KEY_Up: case GDK_KEY_KP_Up:
        pan_by_share (self, 0, -0.25);
        return TRUE;
      case GDK_KEY_Down: case GDK_KEY_KP_Down:
        pan_by_share (self, 0, 0.25);
        return TRUE;
      case GDK_KEY_plus: case GDK_KEY_equal: case GDK_KEY_KP_Add:
        zoom_by (self, 1);
        return TRUE;
      case GDK_KEY_minus: case GDK_KEY_KP_Subtract:
        zoom_by (self, -1);
        return TRUE;
      case GDK_KEY_Return: case GDK_KEY_KP_Enter: case GDK_KEY_space:
        if (activate_centre (self))
          return TRUE;
        break;
      default:
        break;
      }
  /* The keyboard way to open what is highlighted on the map. */
  if ((keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter) && selected != NULL)
    {
      g_signal_emit (self, signals[HOUSEHOLD_ACTIVATED], 0, selected);
      return TRUE;
    }
  return FALSE;
}

/* Like GTK's own focus rings: only once the keyboard is in use. */
static void
on_map_focus_cb (TsuMapView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  gtk_widget_set_visible (self->focus_ring,
                          gtk_widget_has_focus (GTK_WIDGET (self->map)) &&
                          GTK_IS_WINDOW (root) && gtk_window_get_focus_visible (GTK_WINDOW (root)));
}

static void
on_realize_cb (TsuMapView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (GTK_IS_WINDOW (root))
    g_signal_connect_object (root, "notify::focus-visible", G_CALLBACK (on_map_focus_cb), self, G_CONNECT_SWAPPED);
}

static void
on_rotation_cb (ShumateViewport *viewport,
                GParamSpec      *pspec,
                TsuMapView      *self)
{
  /* The household layer's hit-testing and selection ring assume north
   * up: keep the map unrotated. */
  if (shumate_viewport_get_rotation (viewport) != 0)
    shumate_viewport_set_rotation (viewport, 0);
}

/* Tile sources and offline state */

static char *
tile_cache_dir (void)
{
  g_autofree char *own = g_build_filename (g_get_user_cache_dir (), APP_ID, NULL);
  g_autoptr(GError) error = NULL;

  /* The tiles viewed show where visits happen: keep them owner-only. */
  if (!tsu_privacy_ensure_private_dir (own, &error))
    g_debug ("Could not make the tile cache private: %s", error->message);
  return g_build_filename (own, "tiles", NULL);
}

static void
update_offline_notice (TsuMapView *self)
{
  gboolean online_source = g_strcmp0 (self->tile_source_id, "mbtiles") != 0;
  gboolean offline = !self->network_available ||
                     (self->tile_source != NULL && !tsu_tile_source_get_reachable (self->tile_source));
  const char *text = NULL;
  const char *explanation = NULL;

  if (!online_source && self->pack == NULL)
    {
      text = _("No offline tile pack");
      explanation = _("No offline tile pack is open: households and boundaries are shown on a plain background.");
    }
  else if (online_source && offline && self->pack != NULL)
    {
      text = _("Offline: saved tiles and tile pack");
      explanation = _("Offline: showing saved map tiles and the offline tile pack.");
    }
  else if (online_source && offline)
    {
      text = _("Offline: saved tiles only");
      explanation = _("Offline: showing saved map tiles only. Households and boundaries are complete.");
    }

  gtk_label_set_text (self->offline_label, text != NULL ? text : "");
  gtk_widget_set_tooltip_text (self->offline_box, explanation);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->offline_box),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, explanation != NULL ? explanation : "",
                                  -1);
  gtk_widget_set_visible (self->offline_box, text != NULL);
  update_actions (self);
}

/* The tile server answers again: the tiles drawn meanwhile on the plain
 * background (or the pack) are made again with the base map. */
static void
on_reachable_cb (TsuMapView *self)
{
  gboolean reachable = self->tile_source != NULL && tsu_tile_source_get_reachable (self->tile_source);

  if (reachable && !self->tiles_reachable)
    tsu_household_layer_reload_tiles (self->household_layer);
  self->tiles_reachable = reachable;
  update_offline_notice (self);
}

static void
on_network_changed_cb (GNetworkMonitor *monitor,
                       gboolean         available,
                       TsuMapView      *self)
{
  gboolean was_available = self->network_available;

  self->network_available = available;
  if (self->tile_source != NULL)
    tsu_tile_source_set_network_allowed (self->tile_source, available);
  /* A network again: tiles asked for now try the server, and the first
   * to get an answer makes the source reachable (see on_reachable_cb). */
  if (available && !was_available && self->tile_source != NULL)
    tsu_household_layer_reload_tiles (self->household_layer);
  self->tiles_reachable = self->tile_source != NULL && tsu_tile_source_get_reachable (self->tile_source);
  update_offline_notice (self);
}

/* The household layer shows the base map itself, with the households
 * drawn into its tiles (see TsuHouseholdTileSource), so the simple map
 * gets no tile layer of its own: only the scale and the zoom limits need
 * to know the source. */
static void
set_map_source (TsuMapView       *self,
                ShumateMapSource *source)
{
  ShumateViewport *viewport = get_viewport (self);

  shumate_viewport_set_reference_map_source (viewport, source);
  shumate_map_set_map_source (shumate_simple_map_get_map (self->map), source);
  tsu_household_layer_set_map_source (self->household_layer, source);
  /* Households need a closer look than an offline pack's last level. */
  shumate_viewport_set_max_zoom_level (viewport, 19);
}

static void
apply_tile_source (TsuMapView *self)
{
  g_autoptr(ShumateMapSource) map_source = NULL;
  TsuTileSourceKind kind;

  if (self->tile_source != NULL)
    g_signal_handlers_disconnect_by_data (self->tile_source, self);
  g_clear_object (&self->tile_source);
  g_clear_pointer (&self->attribution, g_free);

  if (tsu_tile_source_kind_from_string (self->tile_source_id, &kind))
    {
      g_autofree char *cache_dir = tile_cache_dir ();
      guint limit = (guint) g_settings_get_int (self->settings, "tile-cache-size") * 1024u * 1024u;

      self->tile_source = tsu_tile_source_new (kind, cache_dir, limit);
      tsu_tile_source_set_fallback (self->tile_source, self->pack);
      tsu_tile_source_set_network_allowed (self->tile_source, self->network_available);
      g_signal_connect_object (self->tile_source, "notify::reachable", G_CALLBACK (on_reachable_cb),
                               self, G_CONNECT_SWAPPED);
      self->tiles_reachable = tsu_tile_source_get_reachable (self->tile_source);
      map_source = tsu_tile_source_create_map_source (self->tile_source);
      self->attribution = g_strdup (tsu_tile_source_get_attribution_text (self->tile_source));
      gtk_label_set_markup (self->attribution_label, tsu_tile_source_get_attribution_markup (self->tile_source));
    }
  else if (self->pack != NULL)
    {
      const char *attribution = tsu_mbtiles_source_get_attribution (self->pack);
      g_autofree char *escaped = NULL;

      map_source = tsu_mbtiles_source_create_map_source (self->pack);
      /* Packs made from GSI tiles carry 地理院タイル; say so if they do not
       * say anything, since that is what this app's packs hold. */
      self->attribution = g_strdup (attribution != NULL && *attribution != '\0' ? attribution : "地理院タイル");
      escaped = g_markup_escape_text (self->attribution, -1);
      gtk_label_set_markup (self->attribution_label, escaped);
    }
  else
    {
      /* No pack to show: the GSI cache only, never the network, so that
       * "offline only" means what it says. */
      g_autofree char *cache_dir = tile_cache_dir ();

      self->tile_source = tsu_tile_source_new (TSU_TILE_SOURCE_GSI_PALE, cache_dir,
                                               (guint) g_settings_get_int (self->settings, "tile-cache-size") * 1024u * 1024u);
      tsu_tile_source_set_network_allowed (self->tile_source, FALSE);
      map_source = tsu_tile_source_create_map_source (self->tile_source);
      self->attribution = g_strdup (tsu_tile_source_get_attribution_text (self->tile_source));
      gtk_label_set_markup (self->attribution_label, tsu_tile_source_get_attribution_markup (self->tile_source));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->attribution_label), *self->attribution != '\0');
  set_map_source (self, map_source);
  /* The simple map's own license shows plain text; ours links. */
  gtk_widget_set_visible (GTK_WIDGET (shumate_simple_map_get_license (self->map)), FALSE);
  update_offline_notice (self);
}

static void
set_tile_source_id (TsuMapView *self,
                    const char *id)
{
  if (g_strcmp0 (self->tile_source_id, id) == 0)
    return;
  g_free (self->tile_source_id);
  self->tile_source_id = g_strdup (id);
  apply_tile_source (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TILE_SOURCE]);
}

static gboolean
nudge_viewport_cb (gpointer user_data)
{
  g_autoptr(TsuMapView) self = user_data;
  ShumateViewport *viewport;
  double lat, lon;

  if (self->settings == NULL)   /* disposed */
    return G_SOURCE_REMOVE;
  /* A new tile layer on a map that does not move may not ask for its
   * tiles: move the map by a hair so that it does. */
  viewport = get_viewport (self);
  lat = shumate_location_get_latitude (SHUMATE_LOCATION (viewport));
  lon = shumate_location_get_longitude (SHUMATE_LOCATION (viewport));
  shumate_location_set_location (SHUMATE_LOCATION (viewport), lat, lon + 1e-7);
  shumate_location_set_location (SHUMATE_LOCATION (viewport), lat, lon);
  return G_SOURCE_REMOVE;
}

static void
on_pack_opened_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(TsuMapView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TsuMbtilesSource) pack = tsu_mbtiles_source_new_finish (result, &error);

  if (pack == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      return;
    }
  g_set_object (&self->pack, pack);
  if (g_strcmp0 (g_settings_get_string (self->settings, "mbtiles-path"), tsu_mbtiles_source_get_path (pack)) != 0)
    {
      g_autofree char *text = g_strdup_printf (_("Offline tile pack “%s” opened"), tsu_mbtiles_source_get_name (pack));

      g_settings_set_string (self->settings, "mbtiles-path", tsu_mbtiles_source_get_path (pack));
      toast (self, text);
    }
  apply_tile_source (self);
  g_timeout_add (300, nudge_viewport_cb, g_object_ref (self));
}

static void
open_pack (TsuMapView *self,
           const char *path)
{
  if (path == NULL || *path == '\0')
    return;
  tsu_mbtiles_source_new_async (path, self->cancellable, on_pack_opened_cb, g_object_ref (self));
}

/* Actions */

static void
update_actions (TsuMapView *self)
{
  gboolean can_download = self->district != NULL && self->tile_source != NULL &&
                          g_strcmp0 (self->tile_source_id, "mbtiles") != 0 &&
                          tsu_tile_source_allows_bulk_download (self->tile_source) &&
                          self->network_available && self->download_cancellable == NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "map.download-district", can_download);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "map.import-boundaries", self->store != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "map.cancel-download", self->download_cancellable != NULL);
}

static void
on_pack_chosen_cb (GtkNativeDialog *dialog,
                   int              response,
                   TsuMapView      *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);

      open_pack (self, path);
    }
  g_object_unref (dialog);
}

static GtkFileChooserNative *
new_file_chooser (TsuMapView *self,
                  const char *title,
                  const char *filter_name,
                  const char *pattern1,
                  const char *pattern2)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  dialog = gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_OPEN, NULL, NULL);
  gtk_file_filter_set_name (filter, filter_name);
  gtk_file_filter_add_pattern (filter, pattern1);
  if (pattern2 != NULL)
    gtk_file_filter_add_pattern (filter, pattern2);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  return dialog;
}

static void
open_pack_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TsuMapView *self = TSU_MAP_VIEW (widget);
  GtkFileChooserNative *dialog = new_file_chooser (self, _("Open Offline Tile Pack"),
                                                   _("MBTiles tile packs"), "*.mbtiles", NULL);

  g_signal_connect_object (dialog, "response", G_CALLBACK (on_pack_chosen_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
on_boundaries_imported_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(TsuMapView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint n = 0;

  if (!tsu_store_import_boundaries_file_finish (TSU_STORE (source), result, &n, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      toast (self, error->message);
      return;
    }
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Imported the boundary of %u district",
                                       "Imported the boundaries of %u districts", n), n);
  toast (self, text);
  tsu_map_view_reload (self);
}

static void
on_boundaries_chosen_cb (GtkNativeDialog *dialog,
                         int              response,
                         TsuMapView      *self)
{
  if (response == GTK_RESPONSE_ACCEPT && self->store != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      tsu_store_import_boundaries_file_async (self->store, file, NULL, FALSE, self->cancellable,
                                              on_boundaries_imported_cb, g_object_ref (self));
    }
  g_object_unref (dialog);
}

static void
import_boundaries_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  TsuMapView *self = TSU_MAP_VIEW (widget);
  GtkFileChooserNative *dialog = new_file_chooser (self, _("Import District Boundaries"),
                                                   _("GeoJSON files"), "*.geojson", "*.json");

  g_signal_connect_object (dialog, "response", G_CALLBACK (on_boundaries_chosen_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
download_progress_cb (guint    done,
                      guint    total,
                      gpointer user_data)
{
  TsuMapView *self = user_data;
  g_autofree char *text = g_strdup_printf (_("Saving map tiles for offline use: %u of %u"), done, total);

  gtk_label_set_text (self->download_label, text);
  gtk_progress_bar_set_fraction (self->download_progress, total > 0 ? (double) done / total : 1.0);
}

static void
on_download_done_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(TsuMapView) self = user_data;
  g_autoptr(GError) error = NULL;
  guint failed = 0;

  g_clear_object (&self->download_cancellable);
  gtk_widget_set_visible (self->download_box, FALSE);
  update_actions (self);

  if (!tsu_tile_source_download_finish (TSU_TILE_SOURCE (source), result, &failed, &error))
    {
      toast (self, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                   ? _("Download cancelled; the tiles saved so far are kept")
                   : error->message);
      return;
    }
  if (failed > 0)
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "The district is saved for offline use, but %u tile could not be fetched",
                                                            "The district is saved for offline use, but %u tiles could not be fetched",
                                                            failed), failed);
      toast (self, text);
    }
  else
    toast (self, _("The district’s map is saved for offline use"));
}

static void
download_district_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  TsuMapView *self = TSU_MAP_VIEW (widget);
  g_autoptr(GArray) tiles = g_array_new (FALSE, FALSE, sizeof (TsuTileKey));
  double north, west, south, east;
  TsuBBox box;
  int top;

  if (self->district == NULL || self->tile_source == NULL ||
      !tsu_tile_source_allows_bulk_download (self->tile_source))
    return;
  if (!district_box (self, self->district, &box))
    {
      toast (self, _("This district has neither a boundary nor placed households to download a map for"));
      return;
    }
  tsu_mercator_unproject (box.min_x, box.min_y, &north, &west);
  tsu_mercator_unproject (box.max_x, box.max_y, &south, &east);
  top = tsu_tiles_for_area (south, west, north, east, DOWNLOAD_MIN_ZOOM, DOWNLOAD_MAX_ZOOM,
                            DOWNLOAD_MAX_TILES, tiles);
  if (top < 0)
    {
      toast (self, _("This district is too large to download for offline use"));
      return;
    }

  self->download_cancellable = g_cancellable_new ();
  download_progress_cb (0, tiles->len, self);
  gtk_widget_set_visible (self->download_box, TRUE);
  update_actions (self);
  tsu_tile_source_download_async (self->tile_source, tiles, self->download_cancellable,
                                  download_progress_cb, self, on_download_done_cb, g_object_ref (self));
}

static void
cancel_download_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  TsuMapView *self = TSU_MAP_VIEW (widget);

  g_cancellable_cancel (self->download_cancellable);
}

static void
cancel_place_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  tsu_map_view_cancel_place (TSU_MAP_VIEW (widget));
}

static void
fit_all_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  tsu_map_view_fit_all (TSU_MAP_VIEW (widget));
}

/* GObject */

static void
tsu_map_view_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TsuMapView *self = TSU_MAP_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_TILE_SOURCE:
      g_value_set_string (value, self->tile_source_id);
      break;
    case PROP_FILTER_OVERDUE:
      g_value_set_boolean (value, self->filter_overdue);
      break;
    case PROP_FILTER_FLAGGED:
      g_value_set_boolean (value, self->filter_flagged);
      break;
    case PROP_READY:
      g_value_set_boolean (value, tsu_map_view_get_ready (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_map_view_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  TsuMapView *self = TSU_MAP_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      tsu_map_view_set_store (self, g_value_get_object (value));
      break;
    case PROP_TILE_SOURCE:
      set_tile_source_id (self, g_value_get_string (value));
      break;
    case PROP_FILTER_OVERDUE:
      if (self->filter_overdue != g_value_get_boolean (value))
        {
          self->filter_overdue = g_value_get_boolean (value);
          apply_filter (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_FILTER_FLAGGED:
      if (self->filter_flagged != g_value_get_boolean (value))
        {
          self->filter_flagged = g_value_get_boolean (value);
          apply_filter (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_map_view_dispose (GObject *object)
{
  TsuMapView *self = TSU_MAP_VIEW (object);

  if (self->settings != NULL && self->first_load_done)
    {
      ShumateViewport *viewport = get_viewport (self);

      /* Open where the coordinator left off next time. */
      g_settings_set_double (self->settings, "map-latitude", shumate_location_get_latitude (SHUMATE_LOCATION (viewport)));
      g_settings_set_double (self->settings, "map-longitude", shumate_location_get_longitude (SHUMATE_LOCATION (viewport)));
      g_settings_set_double (self->settings, "map-zoom", shumate_viewport_get_zoom_level (viewport));
    }

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->download_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->download_cancellable);
  if (self->fit_tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->fit_tick_id);
      self->fit_tick_id = 0;
    }
  g_signal_handlers_disconnect_by_data (g_network_monitor_get_default (), self);
  g_clear_object (&self->tile_source);
  g_clear_object (&self->pack);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->districts, g_ptr_array_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), TSU_TYPE_MAP_VIEW);

  G_OBJECT_CLASS (tsu_map_view_parent_class)->dispose (object);
}

static void
tsu_map_view_finalize (GObject *object)
{
  TsuMapView *self = TSU_MAP_VIEW (object);

  g_free (self->tile_source_id);
  g_free (self->attribution);
  g_free (self->district);
  g_free (self->place_household);
  g_free (self->pending_district);

  G_OBJECT_CLASS (tsu_map_view_parent_class)->finalize (object);
}

static void
tsu_map_view_class_init (TsuMapViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = tsu_map_view_get_property;
  object_class->set_property = tsu_map_view_set_property;
  object_class->dispose = tsu_map_view_dispose;
  object_class->finalize = tsu_map_view_finalize;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, TSU_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TILE_SOURCE] =
    g_param_spec_string ("tile-source", NULL, NULL, "gsi-pale",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILTER_OVERDUE] =
    g_param_spec_boolean ("filter-overdue", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILTER_FLAGGED] =
    g_param_spec_boolean ("filter-flagged", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TsuMapView::household-activated:
   * @household_id: the household clicked on the map (or Enter on the
   *   selected one): the window opens it.
   */
  signals[HOUSEHOLD_ACTIVATED] =
    g_signal_new ("household-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * TsuMapView::location-picked:
   * @latitude, @longitude: where the map was clicked in "place on map" mode
   */
  signals[LOCATION_PICKED] =
    g_signal_new ("location-picked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_DOUBLE, G_TYPE_DOUBLE);

  g_type_ensure (SHUMATE_TYPE_SIMPLE_MAP);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/tsu-map-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TsuMapView, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TsuMapView, map);
  gtk_widget_class_bind_template_child (widget_class, TsuMapView, legend_box);
  gtk_widget_class_bind_template_child (widget_class, TsuMapView, legend_title);
  gtk_widget_class_bind_template_child (widget_class, TsuMapView, offline_box);
  gtk_widget_class_bind_template_child (widget_class, TsuMapView, offline_label);
  gtk_widget_class_bind_template_child (widget_class, TsuMapView, focus_ring);
  gtk_widget_class_bind_template_child (widget_class, TsuMapView, attribution_label);
  gtk_widget_class_bind_template_child (widget_class, TsuMapView, place_box);
  gtk_widget_class_bind_template_child (widget_class, TsuMapView, download_box);
  gtk_widget_class_bind_template_child (widget_class, TsuMapView, download_label);
  gtk_widget_class_bind_template_child (widget_class, TsuMapView, download_progress);

  gtk_widget_class_install_property_action (widget_class, "map.tile-source", "tile-source");
  gtk_widget_class_install_property_action (widget_class, "map.filter-overdue", "filter-overdue");
  gtk_widget_class_install_property_action (widget_class, "map.filter-flagged", "filter-flagged");
  gtk_widget_class_install_action (widget_class, "map.open-pack", NULL, open_pack_action);
  gtk_widget_class_install_action (widget_class, "map.import-boundaries", NULL, import_boundaries_action);
  gtk_widget_class_install_action (widget_class, "map.download-district", NULL, download_district_action);
  gtk_widget_class_install_action (widget_class, "map.cancel-download", NULL, cancel_download_action);
  gtk_widget_class_install_action (widget_class, "map.cancel-place", NULL, cancel_place_action);
  gtk_widget_class_install_action (widget_class, "map.fit-all", NULL, fit_all_action);

  gtk_widget_class_set_css_name (widget_class, "tsu-map-view");
}

static void
build_legend (TsuMapView *self)
{
  for (guint k = 0; k < TSU_MAP_N_CLASSES; k++)
    {
      GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *swatch = gtk_label_new (NULL);
      GtkWidget *label = gtk_label_new (tsu_household_class_get_label (k));
      GtkWidget *count = gtk_label_new ("0");
      GdkRGBA color;
      g_autofree char *hex = NULL;
      g_autofree char *markup = NULL;

      tsu_household_class_get_color (k, &color);
      hex = g_strdup_printf ("#%02x%02x%02x", (int) (color.red * 255), (int) (color.green * 255),
                             (int) (color.blue * 255));
      markup = g_strdup_printf ("<span foreground=\"%s\">●</span>", hex);
      gtk_label_set_markup (GTK_LABEL (swatch), markup);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_xalign (GTK_LABEL (count), 1);
      gtk_widget_add_css_class (count, "numeric");
      gtk_widget_set_margin_start (count, 12);
      gtk_widget_add_css_class (count, "dim-label");
      gtk_box_append (GTK_BOX (row), swatch);
      gtk_box_append (GTK_BOX (row), label);
      gtk_box_append (GTK_BOX (row), count);
      gtk_box_append (self->legend_box, row);
      self->legend_counts[k] = GTK_LABEL (count);
    }

  self->legend_approximate = gtk_label_new (_("Dashed outlines: approximate district areas"));
  gtk_label_set_xalign (GTK_LABEL (self->legend_approximate), 0);
  gtk_label_set_wrap (GTK_LABEL (self->legend_approximate), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (self->legend_approximate), 22);
  gtk_widget_add_css_class (self->legend_approximate, "caption");
  gtk_widget_add_css_class (self->legend_approximate, "dim-label");
  gtk_widget_set_margin_top (self->legend_approximate, 4);
  gtk_widget_set_visible (self->legend_approximate, FALSE);
  gtk_box_append (self->legend_box, self->legend_approximate);
}

static void
tsu_map_view_init (TsuMapView *self)
{
  ShumateViewport *viewport;
  ShumateMap *map;
  GtkGesture *click;
  GtkEventController *motion, *keys;
  GNetworkMonitor *monitor = g_network_monitor_get_default ();
  g_autofree char *pack_path = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (APP_ID);
  build_legend (self);

  viewport = get_viewport (self);
  map = shumate_simple_map_get_map (self->map);
  shumate_viewport_set_max_zoom_level (viewport, 18);
  shumate_map_set_animate_zoom (map, FALSE);
  g_signal_connect_object (viewport, "notify::rotation", G_CALLBACK (on_rotation_cb), self, 0);
  gtk_widget_set_visible (GTK_WIDGET (shumate_simple_map_get_compass (self->map)), FALSE);

  self->network_available = g_network_monitor_get_network_available (monitor);
  /* The household layer is the base map, with district boundaries and
   * households drawn into its tiles (see set_map_source). */
  self->household_layer = tsu_household_layer_new (viewport);
  shumate_simple_map_add_overlay_layer (self->map, SHUMATE_LAYER (self->household_layer));
  g_settings_bind (self->settings, "tile-source", self, "tile-source", G_SETTINGS_BIND_DEFAULT);
  if (self->tile_source_id == NULL)
    set_tile_source_id (self, "gsi-pale");

  g_signal_connect_object (self->household_layer, "notify::ready", G_CALLBACK (on_layer_ready_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->household_layer, "household-activated", G_CALLBACK (on_household_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->household_layer, "cluster-activated", G_CALLBACK (on_cluster_activated_cb), self, G_CONNECT_SWAPPED);

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "released", G_CALLBACK (on_click_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->map), GTK_EVENT_CONTROLLER (click));
  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->map), motion);
  /* Tab reaches the map; a ring then marks what Enter acts on. */
  gtk_widget_set_focusable (GTK_WIDGET (self->map), TRUE);
  g_signal_connect_object (self->map, "notify::has-focus", G_CALLBACK (on_map_focus_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "realize", G_CALLBACK (on_realize_cb), NULL);
  keys = gtk_event_controller_key_new ();
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  g_signal_connect (self->map, "query-tooltip", G_CALLBACK (on_query_tooltip_cb), self);

  g_signal_connect (monitor, "network-changed", G_CALLBACK (on_network_changed_cb), self);

  /* Iga until the households are loaded. */
  go_to (self, 34.73, 136.18, 11);

  pack_path = g_settings_get_string (self->settings, "mbtiles-path");
  open_pack (self, pack_path);
  update_actions (self);
}
