/* tsu-date.h: 和暦 (Japanese era) dates, parsing of the ways dates are written
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TSU_DATE_ERROR (tsu_date_error_quark ())

typedef enum
{
  TSU_DATE_ERROR_INVALID,     /* not a date in any form we read */
  TSU_DATE_ERROR_OUT_OF_ERA,  /* e.g. 平成元年1月7日: before the era began */
} TsuDateError;

typedef enum
{
  TSU_ERA_NONE,
  TSU_ERA_MEIJI,   /* 明治, from 1868-10-23 */
  TSU_ERA_TAISHO,  /* 大正, from 1912-07-30 */
  TSU_ERA_SHOWA,   /* 昭和, from 1926-12-25 */
  TSU_ERA_HEISEI,  /* 平成, from 1989-01-08 */
  TSU_ERA_REIWA,   /* 令和, from 2019-05-01 */
} TsuEra;

GQuark      tsu_date_error_quark    (void);

TsuEra      tsu_date_get_era        (const GDate *date,
                                     guint       *era_year);
const char *tsu_era_get_name        (TsuEra       era);
const char *tsu_era_get_letter      (TsuEra       era);

/* 令和6年4月1日 (元年 for the first year); the ISO form before 明治. */
char       *tsu_date_format_wareki  (const GDate *date);
/* 1940年（昭和15年）3月2日 */
char       *tsu_date_format_both    (const GDate *date);
/* 1940-03-02 */
char       *tsu_date_format_iso     (const GDate *date);

/* Strict YYYY-MM-DD, a real day of the Gregorian calendar. */
GDate      *tsu_date_parse_iso      (const char  *text,
                                     GError     **error);
/* Every way a spreadsheet writes a date: 昭和15年3月2日, 昭和十五年三月二日,
 * S15.3.2, R6/4/1, 平成元年1月8日, 1940/3/2, 1940年3月2日, 19400302,
 * 1940-03-02, and our own 1940年（昭和15年）3月2日. Full-width digits too. */
GDate      *tsu_date_parse          (const char  *text,
                                     GError     **error);

/* Age in whole years on the day ON. Someone born on 29 February gets one
 * year older on 1 March in common years (in law: at the end of 28 February). */
int         tsu_date_age            (const GDate *birth,
                                     const GDate *on);

G_END_DECLS
