/* tsu-visits-date.c: dates as the visit screens show them (和暦 and 西暦)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The era arithmetic is tsu-date.c's; this file keeps the visit screens'
 * compact form "令和8年11月22日 (2026-11-22)" and the record formats
 * (YYYY-MM-DD, YYYY-MM-DDTHH:MM) in one place.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "tsu-date.h"
#include "tsu-visits-date.h"

gboolean
tsu_visits_date_parse (const char *text,
                       GDate      *date)
{
  int y, m, d;
  char tail;

  g_return_val_if_fail (date != NULL, FALSE);

  g_date_clear (date, 1);
  if (text == NULL)
    return FALSE;
  /* YYYY-MM-DD, optionally followed by a time ("T…"). */
  if (sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) < 3)
    return FALSE;
  if (strlen (text) > 10 && text[10] != 'T' && text[10] != ' ')
    return FALSE;
  if (!g_date_valid_dmy (d, m, y))
    return FALSE;
  g_date_set_dmy (date, d, m, y);
  return TRUE;
}

gboolean
tsu_visits_datetime_parse (const char *text,
                           GDate      *date,
                           int        *hour,
                           int        *minute)
{
  int h = 0, mi = 0;

  if (!tsu_visits_date_parse (text, date))
    return FALSE;
  if (strlen (text) > 10)
    {
      if (sscanf (text + 11, "%2d:%2d", &h, &mi) != 2 ||
          h < 0 || h > 23 || mi < 0 || mi > 59)
        return FALSE;
    }
  if (hour != NULL)
    *hour = h;
  if (minute != NULL)
    *minute = mi;
  return TRUE;
}

char *
tsu_visits_date_to_iso (const GDate *date)
{
  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);
  return g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (date),
                          g_date_get_month (date), g_date_get_day (date));
}

char *
tsu_visits_date_format_wareki (const GDate *date)
{
  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);
  return tsu_date_format_wareki (date);
}

/* "令和8年11月22日 (2026-11-22)": the 和暦 a Japanese reader expects and the
 * 西暦 that forms and the other screens use. */
char *
tsu_visits_date_format_both (const GDate *date)
{
  g_autofree char *wareki = tsu_visits_date_format_wareki (date);
  g_autofree char *iso = tsu_visits_date_to_iso (date);

  return g_strdup_printf ("%s (%s)", wareki, iso);
}

int
tsu_visits_date_age (const GDate *birth,
                     const GDate *today)
{
  g_return_val_if_fail (g_date_valid (birth) && g_date_valid (today), -1);
  return tsu_date_age (birth, today);
}

void
tsu_visits_date_today (GDate *date)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  g_date_clear (date, 1);
  g_date_set_dmy (date, g_date_time_get_day_of_month (now),
                  g_date_time_get_month (now), g_date_time_get_year (now));
}
