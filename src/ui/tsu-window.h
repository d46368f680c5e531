/* tsu-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tsu-store.h"

G_BEGIN_DECLS

#define TSU_TYPE_WINDOW (tsu_window_get_type ())
G_DECLARE_FINAL_TYPE (TsuWindow, tsu_window, TSU, WINDOW, AdwApplicationWindow)

void      tsu_window_open_database         (TsuWindow  *self,
                                            const char *path,
                                            gboolean    create_demo);
TsuStore *tsu_window_get_store             (TsuWindow  *self);
void      tsu_window_reload                (TsuWindow  *self);
void      tsu_window_show_household        (TsuWindow  *self,
                                            const char *household_id);
void      tsu_window_add_toast             (TsuWindow  *self,
                                            const char *message);
void      tsu_window_take_screenshot_later (TsuWindow  *self,
                                            const char *png_path,
                                            guint       delay_ms,
                                            gboolean    quit_after);

G_END_DECLS
