/* tsu-window.c: the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tsu-window.h"

struct _TsuWindow
{
  AdwApplicationWindow  parent_instance;

  GCancellable         *cancellable;
  TsuStore             *store;

  /* template children */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  AdwStatusPage        *error_page;
};

G_DEFINE_FINAL_TYPE (TsuWindow, tsu_window, ADW_TYPE_APPLICATION_WINDOW)

TsuStore *
tsu_window_get_store (TsuWindow *self)
{
  g_return_val_if_fail (TSU_IS_WINDOW (self), NULL);
  return self->store;
}

static void
open_store_worker (GTask        *task,
                   gpointer      source,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  const char *path = task_data;
  GError *error = NULL;
  TsuStore *store = tsu_store_open (path, &error);

  if (store == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, store, g_object_unref);
}

static void
on_store_opened_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  TsuWindow *self = TSU_WINDOW (source);
  g_autoptr(GError) error = NULL;
  TsuStore *store = g_task_propagate_pointer (G_TASK (result), &error);

  if (store == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->main_stack, "error");
      return;
    }

  self->store = store;
  gtk_stack_set_visible_child_name (self->main_stack, "main");
}

void
tsu_window_open_database (TsuWindow  *self,
                          const char *path,
                          gboolean    create_demo)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TSU_IS_WINDOW (self));

  task = g_task_new (self, self->cancellable, on_store_opened_cb, NULL);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, open_store_worker);
}

typedef struct
{
  TsuWindow *window;
  char      *path;
  gboolean   quit_after;
} Screenshot;

static gboolean
take_screenshot_cb (gpointer user_data)
{
  Screenshot *shot = user_data;
  GtkWidget *widget = GTK_WIDGET (shot->window);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  /* GtkWidgetPaintable gives the last frame that was drawn, so this runs
   * from a timeout after the window has been on screen for a while. */
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node != NULL)
    {
      GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (widget));

      texture = gsk_renderer_render_texture (renderer, node,
                                             &GRAPHENE_RECT_INIT (0, 0, width, height));
      if (!gdk_texture_save_to_png (texture, shot->path))
        g_warning ("Failed to save the screenshot to %s", shot->path);
    }
  else
    g_warning ("Failed to take a screenshot: nothing has been drawn yet");

  if (shot->quit_after)
    gtk_window_destroy (GTK_WINDOW (shot->window));
  return G_SOURCE_REMOVE;
}

static void
screenshot_free (gpointer data)
{
  Screenshot *shot = data;

  g_object_unref (shot->window);
  g_free (shot->path);
  g_free (shot);
}

void
tsu_window_take_screenshot_later (TsuWindow  *self,
                                  const char *png_path,
                                  guint       delay_ms,
                                  gboolean    quit_after)
{
  Screenshot *shot = g_new0 (Screenshot, 1);

  shot->window = g_object_ref (self);
  shot->path = g_strdup (png_path);
  shot->quit_after = quit_after;
  g_timeout_add_full (G_PRIORITY_DEFAULT, delay_ms, take_screenshot_cb, shot, screenshot_free);
}

static void
tsu_window_dispose (GObject *object)
{
  TsuWindow *self = TSU_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);

  gtk_widget_dispose_template (GTK_WIDGET (self), TSU_TYPE_WINDOW);

  G_OBJECT_CLASS (tsu_window_parent_class)->dispose (object);
}

static void
tsu_window_class_init (TsuWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsu_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/tsu-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TsuWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TsuWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, TsuWindow, error_page);
}

static void
tsu_window_init (TsuWindow *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
