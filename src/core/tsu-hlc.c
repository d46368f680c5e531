/* tsu-hlc.c: hybrid logical clock
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A laptop's wall clock may be wrong by hours. The hybrid logical clock keeps
 * the local edits ordered anyway: the physical part never goes backwards, and
 * the counter breaks ties within one millisecond. Observing a remote timestamp
 * moves the clock forward so that a later local edit always sorts after
 * everything this replica has seen. See SYNC.md, property 3.
 */
#include "config.h"

#include <string.h>
#include <stdio.h>

#include "tsu-hlc.h"
#include "tsu-store-error.h"

struct _TsuHlcClock
{
  gint64    last_ms;
  guint32   counter;
  char      replica[37];
  gint64  (*now_func) (gpointer data);
  gpointer  now_data;
};

TsuHlcClock *
tsu_hlc_clock_new (const char *replica_id)
{
  TsuHlcClock *clock;

  g_return_val_if_fail (replica_id != NULL && strlen (replica_id) == 36, NULL);

  clock = g_new0 (TsuHlcClock, 1);
  g_strlcpy (clock->replica, replica_id, sizeof clock->replica);
  return clock;
}

void
tsu_hlc_clock_free (TsuHlcClock *clock)
{
  g_free (clock);
}

void
tsu_hlc_clock_set_now_func (TsuHlcClock *clock,
                            gint64     (*now_ms) (gpointer data),
                            gpointer     data)
{
  clock->now_func = now_ms;
  clock->now_data = data;
}

const char *
tsu_hlc_clock_get_replica (TsuHlcClock *clock)
{
  return clock->replica;
}

gint64
tsu_hlc_clock_now_ms (TsuHlcClock *clock)
{
  if (clock->now_func != NULL)
    return clock->now_func (clock->now_data);
  return g_get_real_time () / 1000;
}

char *
tsu_hlc_clock_tick (TsuHlcClock *clock)
{
  gint64 now = tsu_hlc_clock_now_ms (clock);
  TsuHlc hlc;

  if (now > clock->last_ms)
    {
      clock->last_ms = now;
      clock->counter = 0;
    }
  else
    {
      clock->counter++;
      /* 65536 edits in one millisecond: borrow the next millisecond. */
      if (clock->counter > 0xffff)
        {
          clock->last_ms++;
          clock->counter = 0;
        }
    }

  hlc.physical_ms = clock->last_ms;
  hlc.counter = clock->counter;
  memcpy (hlc.replica, clock->replica, sizeof hlc.replica);
  return tsu_hlc_format (&hlc);
}

gboolean
tsu_hlc_clock_observe (TsuHlcClock  *clock,
                       const char   *remote,
                       gint64        max_skew_ms,
                       GError      **error)
{
  TsuHlc hlc;
  gint64 now;

  if (!tsu_hlc_parse (remote, &hlc))
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID,
                   "Invalid timestamp “%s”", remote);
      return FALSE;
    }

  now = tsu_hlc_clock_now_ms (clock);
  if (max_skew_ms > 0 && hlc.physical_ms > now + max_skew_ms)
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_FUTURE,
                   "Timestamp %s is %" G_GINT64_FORMAT " minutes ahead of this computer's clock",
                   remote, (hlc.physical_ms - now) / 60000);
      return FALSE;
    }

  if (hlc.physical_ms > clock->last_ms)
    {
      clock->last_ms = hlc.physical_ms;
      clock->counter = hlc.counter;
    }
  else if (hlc.physical_ms == clock->last_ms && hlc.counter > clock->counter)
    {
      clock->counter = hlc.counter;
    }

  return TRUE;
}

gboolean
tsu_hlc_parse (const char *text,
               TsuHlc     *out)
{
  const char *p = text;

  if (text == NULL || strlen (text) != TSU_HLC_TEXT_LEN)
    return FALSE;

  for (int i = 0; i < 16; i++)
    if (!g_ascii_isdigit (p[i]))
      return FALSE;
  if (p[16] != '-' || p[21] != '-')
    return FALSE;
  for (int i = 17; i < 21; i++)
    if (!g_ascii_isxdigit (p[i]) || g_ascii_isupper (p[i]))
      return FALSE;
  if (!g_uuid_string_is_valid (p + 22))
    return FALSE;

  out->physical_ms = g_ascii_strtoll (p, NULL, 10);
  out->counter = (guint32) g_ascii_strtoull (p + 17, NULL, 16);
  memcpy (out->replica, p + 22, 36);
  out->replica[36] = '\0';
  return TRUE;
}

char *
tsu_hlc_format (const TsuHlc *hlc)
{
  return g_strdup_printf ("%016" G_GINT64_FORMAT "-%04x-%s",
                          hlc->physical_ms, hlc->counter, hlc->replica);
}

int
tsu_hlc_compare (const char *a,
                 const char *b)
{
  if (a == NULL || b == NULL)
    return (a != NULL) - (b != NULL);
  return strcmp (a, b);
}
