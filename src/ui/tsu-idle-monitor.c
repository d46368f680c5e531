/* tsu-idle-monitor.c: tells when the app should lock itself
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Three things lock the app: no keyboard, pointer or touch input in its
 * windows for the configured number of minutes; the desktop locking the
 * screen (org.gnome.ScreenSaver or org.freedesktop.ScreenSaver
 * ActiveChanged, logind's Session.Lock); and the computer going to sleep
 * (logind's PrepareForSleep), since a laptop whose lid is closed is a
 * laptop about to leave the room. The monitor only emits
 * TsuIdleMonitor::lock-requested; what locking means is up to the window.
 *
 * Idle time is measured from our own windows' input rather than from the
 * session's idle time: a coordinator typing in another program has still
 * walked away from the records shown in this one.
 */
#include "config.h"

#include <unistd.h>

#include "tsu-idle-monitor.h"

struct _TsuIdleMonitor
{
  GObject          parent_instance;

  GSettings       *settings;
  GCancellable    *cancellable;
  GDBusConnection *session_bus;
  GDBusConnection *system_bus;
  guint            session_subscriptions[2];
  guint            sleep_subscription;
  guint            logind_lock_subscription;

  gint64           last_activity;   /* monotonic µs */
  guint            timeout_source;
  guint            timeout;         /* seconds; 0 = no idle lock */
  gboolean         fired;           /* lock-requested sent for this idle stretch */
  gboolean         lock_on_screen_lock;
  gboolean         watch_session;
};

G_DEFINE_FINAL_TYPE (TsuIdleMonitor, tsu_idle_monitor, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_WATCH_SESSION,
  PROP_TIMEOUT,
  PROP_LOCK_ON_SCREEN_LOCK,
  N_PROPS
};

enum {
  LOCK_REQUESTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void schedule (TsuIdleMonitor *self);

static void
request_lock (TsuIdleMonitor *self,
              TsuLockReason   reason)
{
  g_debug ("Lock requested (reason %d)", reason);
  g_signal_emit (self, signals[LOCK_REQUESTED], 0, (int) reason);
}

static gboolean
on_timeout_cb (gpointer user_data)
{
  TsuIdleMonitor *self = user_data;
  gint64 idle_us = g_get_monotonic_time () - self->last_activity;

  self->timeout_source = 0;
  if (self->timeout == 0)
    return G_SOURCE_REMOVE;

  if (idle_us >= (gint64) self->timeout * G_USEC_PER_SEC)
    {
      self->fired = TRUE;
      request_lock (self, TSU_LOCK_REASON_IDLE);
    }
  else
    schedule (self);
  return G_SOURCE_REMOVE;
}

/* One timeout for the rest of the idle time, instead of restarting a
 * timer on every pointer motion event. */
static void
schedule (TsuIdleMonitor *self)
{
  gint64 deadline_us;
  gint64 remaining_ms;

  if (self->timeout_source != 0 || self->timeout == 0 || self->fired)
    return;

  deadline_us = self->last_activity + (gint64) self->timeout * G_USEC_PER_SEC;
  remaining_ms = (deadline_us - g_get_monotonic_time ()) / 1000;
  self->timeout_source = g_timeout_add (MAX (remaining_ms, 0) + 1, on_timeout_cb, self);
  g_source_set_name_by_id (self->timeout_source, "[tsunagu] idle lock");
}

/**
 * tsu_idle_monitor_reset:
 *
 * Notes user activity now. The window's event controller calls this; so
 * may anything else that counts as the user being present.
 */
void
tsu_idle_monitor_reset (TsuIdleMonitor *self)
{
  g_return_if_fail (TSU_IS_IDLE_MONITOR (self));

  self->last_activity = g_get_monotonic_time ();
  self->fired = FALSE;
  schedule (self);
}

static gboolean
on_window_event_cb (GtkEventControllerLegacy *controller,
                    GdkEvent                 *event,
                    TsuIdleMonitor           *self)
{
  switch ((int) gdk_event_get_event_type (event))
    {
    case GDK_KEY_PRESS:
    case GDK_BUTTON_PRESS:
    case GDK_MOTION_NOTIFY:
    case GDK_SCROLL:
    case GDK_TOUCH_BEGIN:
    case GDK_TOUCH_UPDATE:
    case GDK_TOUCHPAD_SWIPE:
    case GDK_TOUCHPAD_PINCH:
      tsu_idle_monitor_reset (self);
      break;
    default:
      break;
    }
  return GDK_EVENT_PROPAGATE;
}

/**
 * tsu_idle_monitor_watch_window:
 * @window: a window whose input counts as activity
 *
 * Watches every key press, click, pointer motion, scroll and touch in
 * @window, before any widget sees it. Call it for each window of the app.
 */
void
tsu_idle_monitor_watch_window (TsuIdleMonitor *self,
                               GtkWindow      *window)
{
  GtkEventController *controller;

  g_return_if_fail (TSU_IS_IDLE_MONITOR (self));
  g_return_if_fail (GTK_IS_WINDOW (window));

  controller = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_name (controller, "tsu-idle-monitor");
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  /* Dies with the monitor: the controller can outlive it on the window. */
  g_signal_connect_object (controller, "event", G_CALLBACK (on_window_event_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (window), controller);

  tsu_idle_monitor_reset (self);
}

guint
tsu_idle_monitor_get_timeout (TsuIdleMonitor *self)
{
  g_return_val_if_fail (TSU_IS_IDLE_MONITOR (self), 0);
  return self->timeout;
}

/* In seconds; 0 turns the idle lock off. */
void
tsu_idle_monitor_set_timeout (TsuIdleMonitor *self,
                              guint           seconds)
{
  g_return_if_fail (TSU_IS_IDLE_MONITOR (self));

  if (self->timeout == seconds)
    return;

  self->timeout = seconds;
  g_clear_handle_id (&self->timeout_source, g_source_remove);
  schedule (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

gboolean
tsu_idle_monitor_get_lock_on_screen_lock (TsuIdleMonitor *self)
{
  g_return_val_if_fail (TSU_IS_IDLE_MONITOR (self), FALSE);
  return self->lock_on_screen_lock;
}

void
tsu_idle_monitor_set_lock_on_screen_lock (TsuIdleMonitor *self,
                                          gboolean        lock)
{
  g_return_if_fail (TSU_IS_IDLE_MONITOR (self));

  lock = !!lock;
  if (self->lock_on_screen_lock == lock)
    return;
  self->lock_on_screen_lock = lock;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCK_ON_SCREEN_LOCK]);
}

/* Session and system bus. Every failure here is normal somewhere (no
 * GNOME, no logind, a sandbox without the bus names), so it is only
 * logged for debugging: the idle timer still works. */

static void
on_screensaver_active_changed_cb (GDBusConnection *connection,
                                  const char      *sender_name,
                                  const char      *object_path,
                                  const char      *interface_name,
                                  const char      *signal_name,
                                  GVariant        *parameters,
                                  gpointer         user_data)
{
  TsuIdleMonitor *self = user_data;
  gboolean active = FALSE;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(b)")))
    return;
  g_variant_get (parameters, "(b)", &active);
  if (active && self->lock_on_screen_lock)
    request_lock (self, TSU_LOCK_REASON_SCREEN_LOCK);
}

static void
on_logind_lock_cb (GDBusConnection *connection,
                   const char      *sender_name,
                   const char      *object_path,
                   const char      *interface_name,
                   const char      *signal_name,
                   GVariant        *parameters,
                   gpointer         user_data)
{
  TsuIdleMonitor *self = user_data;

  if (self->lock_on_screen_lock)
    request_lock (self, TSU_LOCK_REASON_SCREEN_LOCK);
}

static void
on_prepare_for_sleep_cb (GDBusConnection *connection,
                         const char      *sender_name,
                         const char      *object_path,
                         const char      *interface_name,
                         const char      *signal_name,
                         GVariant        *parameters,
                         gpointer         user_data)
{
  TsuIdleMonitor *self = user_data;
  gboolean start = FALSE;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(b)")))
    return;
  g_variant_get (parameters, "(b)", &start);
  if (start && self->lock_on_screen_lock)
    request_lock (self, TSU_LOCK_REASON_SUSPEND);
}

static void
on_session_bus_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(TsuIdleMonitor) self = user_data;
  g_autoptr(GError) error = NULL;
  GDBusConnection *bus = g_bus_get_finish (result, &error);

  if (bus == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No session bus, screen lock not watched: %s", error->message);
      return;
    }
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_object_unref (bus);
      return;
    }

  self->session_bus = bus;
  /* GNOME Shell, and the freedesktop name that KDE, Xfce and others own. */
  self->session_subscriptions[0] =
    g_dbus_connection_signal_subscribe (bus, "org.gnome.ScreenSaver", "org.gnome.ScreenSaver",
                                        "ActiveChanged", "/org/gnome/ScreenSaver", NULL,
                                        G_DBUS_SIGNAL_FLAGS_NONE,
                                        on_screensaver_active_changed_cb, self, NULL);
  self->session_subscriptions[1] =
    g_dbus_connection_signal_subscribe (bus, "org.freedesktop.ScreenSaver", "org.freedesktop.ScreenSaver",
                                        "ActiveChanged", NULL, NULL,
                                        G_DBUS_SIGNAL_FLAGS_NONE,
                                        on_screensaver_active_changed_cb, self, NULL);
}

static void
on_logind_session_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(TsuIdleMonitor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  const char *session_path = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No logind session, its Lock signal is not watched: %s", error->message);
      return;
    }
  if (self->system_bus == NULL)
    return;

  g_variant_get (reply, "(&o)", &session_path);
  self->logind_lock_subscription =
    g_dbus_connection_signal_subscribe (self->system_bus, "org.freedesktop.login1",
                                        "org.freedesktop.login1.Session", "Lock",
                                        session_path, NULL, G_DBUS_SIGNAL_FLAGS_NONE,
                                        on_logind_lock_cb, self, NULL);
}

static void
on_system_bus_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(TsuIdleMonitor) self = user_data;
  g_autoptr(GError) error = NULL;
  GDBusConnection *bus = g_bus_get_finish (result, &error);
  const char *session_id = g_getenv ("XDG_SESSION_ID");

  if (bus == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No system bus, logind not watched: %s", error->message);
      return;
    }
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_object_unref (bus);
      return;
    }

  self->system_bus = bus;
  self->sleep_subscription =
    g_dbus_connection_signal_subscribe (bus, "org.freedesktop.login1",
                                        "org.freedesktop.login1.Manager", "PrepareForSleep",
                                        "/org/freedesktop/login1", NULL, G_DBUS_SIGNAL_FLAGS_NONE,
                                        on_prepare_for_sleep_cb, self, NULL);

  /* Lock is sent on our own session's object only. Inside a sandbox our
   * pid means nothing to logind, but XDG_SESSION_ID is passed through. */
  if (session_id != NULL && *session_id != '\0')
    g_dbus_connection_call (bus, "org.freedesktop.login1", "/org/freedesktop/login1",
                            "org.freedesktop.login1.Manager", "GetSession",
                            g_variant_new ("(s)", session_id), G_VARIANT_TYPE ("(o)"),
                            G_DBUS_CALL_FLAGS_NO_AUTO_START, -1, self->cancellable,
                            on_logind_session_cb, g_object_ref (self));
  else
    g_dbus_connection_call (bus, "org.freedesktop.login1", "/org/freedesktop/login1",
                            "org.freedesktop.login1.Manager", "GetSessionByPID",
                            g_variant_new ("(u)", (guint32) getpid ()), G_VARIANT_TYPE ("(o)"),
                            G_DBUS_CALL_FLAGS_NO_AUTO_START, -1, self->cancellable,
                            on_logind_session_cb, g_object_ref (self));
}

static gboolean
minutes_to_seconds (GValue   *value,
                    GVariant *variant,
                    gpointer  user_data)
{
  g_value_set_uint (value, g_variant_get_uint32 (variant) * 60);
  return TRUE;
}

static void
tsu_idle_monitor_constructed (GObject *object)
{
  TsuIdleMonitor *self = TSU_IDLE_MONITOR (object);

  G_OBJECT_CLASS (tsu_idle_monitor_parent_class)->constructed (object);

  if (self->settings != NULL)
    {
      g_settings_bind_with_mapping (self->settings, "idle-lock-minutes",
                                    self, "timeout", G_SETTINGS_BIND_GET,
                                    minutes_to_seconds, NULL, NULL, NULL);
      g_settings_bind (self->settings, "lock-on-screen-lock",
                       self, "lock-on-screen-lock", G_SETTINGS_BIND_GET);
    }

  if (self->watch_session)
    {
      g_bus_get (G_BUS_TYPE_SESSION, self->cancellable, on_session_bus_cb, g_object_ref (self));
      g_bus_get (G_BUS_TYPE_SYSTEM, self->cancellable, on_system_bus_cb, g_object_ref (self));
    }

  tsu_idle_monitor_reset (self);
}

static void
tsu_idle_monitor_dispose (GObject *object)
{
  TsuIdleMonitor *self = TSU_IDLE_MONITOR (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->timeout_source, g_source_remove);

  if (self->session_bus != NULL)
    for (guint i = 0; i < G_N_ELEMENTS (self->session_subscriptions); i++)
      if (self->session_subscriptions[i] != 0)
        g_dbus_connection_signal_unsubscribe (self->session_bus, self->session_subscriptions[i]);
  memset (self->session_subscriptions, 0, sizeof self->session_subscriptions);

  if (self->system_bus != NULL)
    {
      if (self->sleep_subscription != 0)
        g_dbus_connection_signal_unsubscribe (self->system_bus, self->sleep_subscription);
      if (self->logind_lock_subscription != 0)
        g_dbus_connection_signal_unsubscribe (self->system_bus, self->logind_lock_subscription);
    }
  self->sleep_subscription = 0;
  self->logind_lock_subscription = 0;

  g_clear_object (&self->session_bus);
  g_clear_object (&self->system_bus);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (tsu_idle_monitor_parent_class)->dispose (object);
}

static void
tsu_idle_monitor_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TsuIdleMonitor *self = TSU_IDLE_MONITOR (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_WATCH_SESSION:
      g_value_set_boolean (value, self->watch_session);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;
    case PROP_LOCK_ON_SCREEN_LOCK:
      g_value_set_boolean (value, self->lock_on_screen_lock);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_idle_monitor_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  TsuIdleMonitor *self = TSU_IDLE_MONITOR (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case PROP_WATCH_SESSION:
      self->watch_session = g_value_get_boolean (value);
      break;
    case PROP_TIMEOUT:
      tsu_idle_monitor_set_timeout (self, g_value_get_uint (value));
      break;
    case PROP_LOCK_ON_SCREEN_LOCK:
      tsu_idle_monitor_set_lock_on_screen_lock (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_idle_monitor_class_init (TsuIdleMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = tsu_idle_monitor_constructed;
  object_class->dispose = tsu_idle_monitor_dispose;
  object_class->get_property = tsu_idle_monitor_get_property;
  object_class->set_property = tsu_idle_monitor_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WATCH_SESSION] =
    g_param_spec_boolean ("watch-session", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 0, G_MAXUINT / 1000, 600,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOCK_ON_SCREEN_LOCK] =
    g_param_spec_boolean ("lock-on-screen-lock", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TsuIdleMonitor::lock-requested:
   * @reason: a #TsuLockReason
   *
   * The app should lock now. Emitted once per idle stretch; screen lock
   * and suspend emit it every time.
   */
  signals[LOCK_REQUESTED] =
    g_signal_new ("lock-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
}

static void
tsu_idle_monitor_init (TsuIdleMonitor *self)
{
  self->cancellable = g_cancellable_new ();
  self->timeout = 600;
  self->lock_on_screen_lock = TRUE;
  self->watch_session = TRUE;
}

/**
 * tsu_idle_monitor_new:
 * @settings: (nullable): the app's settings, for idle-lock-minutes and
 *   lock-on-screen-lock; %NULL to set them by hand
 * @watch_session: whether to listen on the session and system bus
 */
TsuIdleMonitor *
tsu_idle_monitor_new (GSettings *settings,
                      gboolean   watch_session)
{
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (TSU_TYPE_IDLE_MONITOR,
                       "settings", settings,
                       "watch-session", watch_session,
                       NULL);
}
