/* tsu-date.c: 和暦 (Japanese era) dates, parsing of the ways dates are written
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Birth dates in a 社協's lists are written in 和暦 far more often than in
 * 西暦 (「昭和15年3月2日」, 「S15.3.2」), and residents read their own birth
 * dates that way. Dates are stored as ISO text and shown in both.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tsu-date.h"
#include "tsu-text.h"

G_DEFINE_QUARK (tsu-date-error-quark, tsu_date_error)

typedef struct
{
  TsuEra      era;
  const char *name;
  const char *letter;
  const char *short_kanji;
  int         year, month, day;  /* the first day of the era */
} EraInfo;

/* Newest first, so that the first era whose start is not after a date is its era. */
static const EraInfo eras[] = {
  { TSU_ERA_REIWA,  "令和", "R", "令", 2019, 5, 1 },
  { TSU_ERA_HEISEI, "平成", "H", "平", 1989, 1, 8 },
  { TSU_ERA_SHOWA,  "昭和", "S", "昭", 1926, 12, 25 },
  { TSU_ERA_TAISHO, "大正", "T", "大", 1912, 7, 30 },
  { TSU_ERA_MEIJI,  "明治", "M", "明", 1868, 10, 23 },
};

static const EraInfo *
era_info (TsuEra era)
{
  for (guint i = 0; i < G_N_ELEMENTS (eras); i++)
    if (eras[i].era == era)
      return &eras[i];
  return NULL;
}

static int
compare_ymd (int y1, int m1, int d1,
             int y2, int m2, int d2)
{
  if (y1 != y2)
    return y1 < y2 ? -1 : 1;
  if (m1 != m2)
    return m1 < m2 ? -1 : 1;
  if (d1 != d2)
    return d1 < d2 ? -1 : 1;
  return 0;
}

TsuEra
tsu_date_get_era (const GDate *date,
                  guint       *era_year)
{
  int y, m, d;

  g_return_val_if_fail (date != NULL && g_date_valid (date), TSU_ERA_NONE);

  y = g_date_get_year (date);
  m = g_date_get_month (date);
  d = g_date_get_day (date);

  for (guint i = 0; i < G_N_ELEMENTS (eras); i++)
    if (compare_ymd (y, m, d, eras[i].year, eras[i].month, eras[i].day) >= 0)
      {
        if (era_year != NULL)
          *era_year = (guint) (y - eras[i].year + 1);
        return eras[i].era;
      }
  if (era_year != NULL)
    *era_year = 0;
  return TSU_ERA_NONE;
}

const char *
tsu_era_get_name (TsuEra era)
{
  const EraInfo *info = era_info (era);
  return info != NULL ? info->name : "";
}

const char *
tsu_era_get_letter (TsuEra era)
{
  const EraInfo *info = era_info (era);
  return info != NULL ? info->letter : "";
}

static char *
era_year_text (TsuEra era,
               guint  year)
{
  if (year == 1)
    return g_strdup_printf ("%s元年", tsu_era_get_name (era));
  return g_strdup_printf ("%s%u年", tsu_era_get_name (era), year);
}

char *
tsu_date_format_wareki (const GDate *date)
{
  g_autofree char *year_text = NULL;
  guint year;
  TsuEra era;

  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);

  era = tsu_date_get_era (date, &year);
  if (era == TSU_ERA_NONE)
    return tsu_date_format_iso (date);
  year_text = era_year_text (era, year);
  return g_strdup_printf ("%s%d月%d日", year_text,
                          g_date_get_month (date), g_date_get_day (date));
}

char *
tsu_date_format_both (const GDate *date)
{
  g_autofree char *year_text = NULL;
  guint year;
  TsuEra era;

  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);

  era = tsu_date_get_era (date, &year);
  if (era == TSU_ERA_NONE)
    return g_strdup_printf ("%d年%d月%d日", g_date_get_year (date),
                            g_date_get_month (date), g_date_get_day (date));
  year_text = era_year_text (era, year);
  return g_strdup_printf ("%d年（%s）%d月%d日", g_date_get_year (date), year_text,
                          g_date_get_month (date), g_date_get_day (date));
}

char *
tsu_date_format_iso (const GDate *date)
{
  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);

  return g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (date),
                          g_date_get_month (date), g_date_get_day (date));
}

static GDate *
make_date (int          y,
           int          m,
           int          d,
           const char  *text,
           GError     **error)
{
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 ||
      !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    {
      g_set_error (error, TSU_DATE_ERROR, TSU_DATE_ERROR_INVALID,
                   _("“%s” is not a date in the calendar"), text);
      return NULL;
    }
  return g_date_new_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y);
}

GDate *
tsu_date_parse_iso (const char  *text,
                    GError     **error)
{
  int y, m, d;

  g_return_val_if_fail (text != NULL, NULL);

  if (strlen (text) != 10 || text[4] != '-' || text[7] != '-' ||
      !g_ascii_isdigit (text[0]) || !g_ascii_isdigit (text[1]) ||
      !g_ascii_isdigit (text[2]) || !g_ascii_isdigit (text[3]) ||
      !g_ascii_isdigit (text[5]) || !g_ascii_isdigit (text[6]) ||
      !g_ascii_isdigit (text[8]) || !g_ascii_isdigit (text[9]))
    {
      g_set_error (error, TSU_DATE_ERROR, TSU_DATE_ERROR_INVALID,
                   _("“%s” is not a date of the form YYYY-MM-DD"), text);
      return NULL;
    }
  y = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
  m = (text[5] - '0') * 10 + (text[6] - '0');
  d = (text[8] - '0') * 10 + (text[9] - '0');
  return make_date (y, m, d, text, error);
}

/* Reads a number (arabic or kanji) at *p and advances past it. */
static gboolean
read_number (const char **p,
             gint64      *value)
{
  const char *end = NULL;

  if (!tsu_text_parse_number (*p, value, &end))
    return FALSE;
  *p = end;
  return TRUE;
}

static gboolean
read_separator (const char **p,
                const char  *unit)
{
  if (g_str_has_prefix (*p, unit))
    {
      *p += strlen (unit);
      return TRUE;
    }
  if (**p == '.' || **p == '/' || **p == '-')
    {
      (*p)++;
      return TRUE;
    }
  return FALSE;
}

static const EraInfo *
read_era (const char **p)
{
  for (guint i = 0; i < G_N_ELEMENTS (eras); i++)
    {
      if (g_str_has_prefix (*p, eras[i].name))
        {
          *p += strlen (eras[i].name);
          return &eras[i];
        }
      if (g_ascii_toupper (**p) == eras[i].letter[0])
        {
          (*p)++;
          return &eras[i];
        }
      if (g_str_has_prefix (*p, eras[i].short_kanji))
        {
          *p += strlen (eras[i].short_kanji);
          return &eras[i];
        }
    }
  return NULL;
}

GDate *
tsu_date_parse (const char  *text,
                GError     **error)
{
  g_autofree char *nfkc = NULL;
  GString *clean;
  g_autofree char *s = NULL;
  const char *p;
  const EraInfo *era;
  gint64 y = 0, m = 0, d = 0;

  g_return_val_if_fail (text != NULL, NULL);

  /* NFKC turns full-width digits and ㍼ into ASCII and 昭和; spaces and a
   * parenthesised 和暦 year (our own combined form) carry nothing. */
  nfkc = g_utf8_normalize (text, -1, G_NORMALIZE_NFKC);
  if (nfkc == NULL)
    nfkc = g_strdup ("");
  clean = g_string_new (NULL);
  {
    int depth = 0;

    for (const char *q = nfkc; *q != '\0'; q = g_utf8_next_char (q))
      {
        gunichar c = g_utf8_get_char (q);

        if (c == '(')
          depth++;
        else if (c == ')' && depth > 0)
          depth--;
        else if (depth == 0 && !g_unichar_isspace (c))
          g_string_append_unichar (clean, c);
      }
  }
  s = g_string_free (clean, FALSE);
  p = s;

  if (*s == '\0')
    {
      g_set_error (error, TSU_DATE_ERROR, TSU_DATE_ERROR_INVALID, _("The date is empty"));
      return NULL;
    }

  era = read_era (&p);
  if (era != NULL)
    {
      if (g_str_has_prefix (p, "元"))
        {
          p += strlen ("元");
          y = 1;
        }
      else if (!read_number (&p, &y))
        goto invalid;
      if (!read_separator (&p, "年") || !read_number (&p, &m) ||
          !read_separator (&p, "月") || !read_number (&p, &d))
        goto invalid;
      if (g_str_has_prefix (p, "日"))
        p += strlen ("日");
      if (*p != '\0' || y < 1 || y > 99)
        goto invalid;

      {
        int year = era->year + (int) y - 1;
        const EraInfo *next = era == &eras[0] ? NULL : era - 1;
        g_autoptr(GDate) date = make_date (year, (int) m, (int) d, text, error);

        if (date == NULL)
          return NULL;
        if (compare_ymd (year, (int) m, (int) d, era->year, era->month, era->day) < 0 ||
            (next != NULL &&
             compare_ymd (year, (int) m, (int) d, next->year, next->month, next->day) >= 0))
          {
            if (next != NULL)
              g_set_error (error, TSU_DATE_ERROR, TSU_DATE_ERROR_OUT_OF_ERA,
                           _("“%s” is not a day of the %s era (%d-%02d-%02d to the day before %d-%02d-%02d)"),
                           text, era->name, era->year, era->month, era->day,
                           next->year, next->month, next->day);
            else
              g_set_error (error, TSU_DATE_ERROR, TSU_DATE_ERROR_OUT_OF_ERA,
                           _("“%s” is before the %s era began (%d-%02d-%02d)"),
                           text, era->name, era->year, era->month, era->day);
            return NULL;
          }
        return g_steal_pointer (&date);
      }
    }

  /* 西暦: 19400302, or year, month and day with separators. */
  if (strlen (s) == 8 && strspn (s, "0123456789") == 8)
    {
      y = g_ascii_strtoll (s, NULL, 10);
      return make_date ((int) (y / 10000), (int) (y / 100 % 100), (int) (y % 100), text, error);
    }
  if (!read_number (&p, &y) || y < 1000 || !read_separator (&p, "年") ||
      !read_number (&p, &m) || !read_separator (&p, "月") || !read_number (&p, &d))
    goto invalid;
  if (g_str_has_prefix (p, "日"))
    p += strlen ("日");
  if (*p != '\0')
    goto invalid;
  return make_date ((int) y, (int) m, (int) d, text, error);

invalid:
  g_set_error (error, TSU_DATE_ERROR, TSU_DATE_ERROR_INVALID,
               _("“%s” is not a date (write e.g. 昭和15年3月2日, S15.3.2 or 1940-03-02)"), text);
  return NULL;
}

int
tsu_date_age (const GDate *birth,
              const GDate *on)
{
  int age, month, day;

  g_return_val_if_fail (birth != NULL && g_date_valid (birth), 0);
  g_return_val_if_fail (on != NULL && g_date_valid (on), 0);

  age = g_date_get_year (on) - g_date_get_year (birth);
  month = g_date_get_month (birth);
  day = g_date_get_day (birth);
  if (month == 2 && day == 29 && !g_date_is_leap_year (g_date_get_year (on)))
    {
      month = 3;
      day = 1;
    }
  if (compare_ymd (0, g_date_get_month (on), g_date_get_day (on), 0, month, day) < 0)
    age--;
  return age;
}
