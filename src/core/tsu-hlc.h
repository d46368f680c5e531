/* tsu-hlc.h: hybrid logical clock timestamps
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A timestamp is text so that SQLite and JSON compare it the same way:
 * 16 digits of physical milliseconds, 4 hex digits of counter, the replica id.
 * "0001732300000000-0000-<uuid>" compares correctly with strcmp(). */
#define TSU_HLC_TEXT_LEN (16 + 1 + 4 + 1 + 36)

typedef struct
{
  gint64  physical_ms;
  guint32 counter;
  char    replica[37];
} TsuHlc;

typedef struct _TsuHlcClock TsuHlcClock;

TsuHlcClock *tsu_hlc_clock_new        (const char   *replica_id);
void         tsu_hlc_clock_free       (TsuHlcClock  *clock);
void         tsu_hlc_clock_set_now_func (TsuHlcClock *clock,
                                         gint64     (*now_ms) (gpointer data),
                                         gpointer     data);
const char  *tsu_hlc_clock_get_replica (TsuHlcClock *clock);
char        *tsu_hlc_clock_tick       (TsuHlcClock  *clock);
gboolean     tsu_hlc_clock_observe    (TsuHlcClock  *clock,
                                       const char   *remote,
                                       gint64        max_skew_ms,
                                       GError      **error);
gint64       tsu_hlc_clock_now_ms     (TsuHlcClock  *clock);

gboolean     tsu_hlc_parse            (const char   *text,
                                       TsuHlc       *out);
char        *tsu_hlc_format           (const TsuHlc *hlc);
int          tsu_hlc_compare          (const char   *a,
                                       const char   *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsuHlcClock, tsu_hlc_clock_free)

G_END_DECLS
