/* test-visit-ui-helpers.h: finding and waiting for widgets in visit tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "test-widget-helpers.h"

static inline gboolean
wait_timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main loop until *@flag is set, failing after 10 s. */
static inline void
wait_for (gboolean *flag)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (10, wait_timeout_cb, &timed_out);

  while (!*flag && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  g_assert_false (timed_out);
}

static inline void
set_flag_cb (gpointer  instance,
             gpointer  data)
{
  *(gboolean *) data = TRUE;
}

static inline void
set_flag_string_cb (gpointer    instance,
                    const char *text,
                    gpointer    data)
{
  *(gboolean *) data = TRUE;
}
