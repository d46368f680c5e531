/* tsu-idle-monitor.h: tells when the app should lock itself
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum
{
  TSU_LOCK_REASON_IDLE,         /* no input for the configured time */
  TSU_LOCK_REASON_SCREEN_LOCK,  /* the screen saver or logind locked the session */
  TSU_LOCK_REASON_SUSPEND,      /* the computer is going to sleep (lid closed) */
} TsuLockReason;

#define TSU_TYPE_IDLE_MONITOR (tsu_idle_monitor_get_type ())
G_DECLARE_FINAL_TYPE (TsuIdleMonitor, tsu_idle_monitor, TSU, IDLE_MONITOR, GObject)

TsuIdleMonitor *tsu_idle_monitor_new                     (GSettings      *settings,
                                                          gboolean        watch_session);
void            tsu_idle_monitor_watch_window            (TsuIdleMonitor *self,
                                                          GtkWindow      *window);
void            tsu_idle_monitor_reset                   (TsuIdleMonitor *self);
guint           tsu_idle_monitor_get_timeout             (TsuIdleMonitor *self);
void            tsu_idle_monitor_set_timeout             (TsuIdleMonitor *self,
                                                          guint           seconds);
gboolean        tsu_idle_monitor_get_lock_on_screen_lock (TsuIdleMonitor *self);
void            tsu_idle_monitor_set_lock_on_screen_lock (TsuIdleMonitor *self,
                                                          gboolean        lock);

G_END_DECLS
