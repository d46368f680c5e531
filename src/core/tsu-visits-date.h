/* tsu-visits-date.h: dates as the visit screens show them (和暦 and 西暦)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The home-visit screens' date forms; 和暦 and ages come from tsu-date.h.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean  tsu_visits_date_parse          (const char  *text,
                                          GDate       *date);
gboolean  tsu_visits_datetime_parse      (const char  *text,
                                          GDate       *date,
                                          int         *hour,
                                          int         *minute);
char     *tsu_visits_date_to_iso         (const GDate *date);
char     *tsu_visits_date_format_wareki  (const GDate *date);
char     *tsu_visits_date_format_both    (const GDate *date);
int       tsu_visits_date_age            (const GDate *birth,
                                          const GDate *today);
void      tsu_visits_date_today          (GDate       *date);

G_END_DECLS
