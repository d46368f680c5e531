/* tsu-cli-demo.c: the "demo" command of tsunagu-cli
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tsunagu-cli --db PATH demo [--size small|iga|tenfold] [--households N]
 *                            [--seed S] [--years Y] [--today YYYY-MM-DD]
 *
 * --size picks a preset; --households overrides its household count.
 */
#include "config.h"

#include <stdio.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "tsu-cli-demo.h"
#include "tsu-demo.h"

static void
print_progress (double      fraction,
                const char *stage,
                gpointer    user_data)
{
  fprintf (stderr, "\r%3d%% %-12s", (int) (fraction * 100), stage);
  if (g_str_equal (stage, "done"))
    fprintf (stderr, "\n");
  fflush (stderr);
}

static gboolean
parse_uint (const char  *option,
            const char  *text,
            guint64      max,
            guint64     *value,
            GError     **error)
{
  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 0, max, value, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%s needs a whole number from 0 to %llu, not “%s”"),
                   option, (unsigned long long) max, text != NULL ? text : "");
      return FALSE;
    }
  return TRUE;
}

int
tsu_cli_demo (TsuStore  *store,
              int        argc,
              char     **argv,
              GError   **error)
{
  TsuDemoOptions options;
  TsuDemoSize size = TSU_DEMO_SIZE_IGA;
  guint64 households = 0, seed = TSU_DEMO_DEFAULT_SEED, years = TSU_DEMO_DEFAULT_YEARS;
  const char *today = NULL;
  g_autoptr(GTimer) timer = NULL;
  g_autoptr(JsonObject) stats = NULL;

  for (int i = 1; i < argc; i++)
    {
      const char *arg = argv[i];
      const char *value = i + 1 < argc ? argv[i + 1] : NULL;

      if (g_str_equal (arg, "--size"))
        {
          if (value == NULL || !tsu_demo_size_from_string (value, &size))
            {
              g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--size must be small, iga or tenfold, not “%s”"), value != NULL ? value : "");
              return 2;
            }
        }
      else if (g_str_equal (arg, "--households"))
        {
          if (!parse_uint (arg, value, TSU_DEMO_MAX_HOUSEHOLDS, &households, error))
            return 2;
        }
      else if (g_str_equal (arg, "--seed"))
        {
          if (!parse_uint (arg, value, G_MAXUINT32, &seed, error))
            return 2;
        }
      else if (g_str_equal (arg, "--years"))
        {
          if (!parse_uint (arg, value, 30, &years, error))
            return 2;
        }
      else if (g_str_equal (arg, "--today"))
        today = value;
      else
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_UNKNOWN_OPTION,
                       _("demo: unknown option “%s”"), arg);
          return 2;
        }
      i++;
    }

  tsu_demo_options_init (&options, size);
  if (households > 0)
    options.households = households;
  options.seed = seed;
  options.years = years;
  if (today != NULL)
    {
      g_date_set_parse (&options.today, today);
      if (!g_date_valid (&options.today))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--today needs a date like 2025-04-01, not “%s”"), today);
          return 2;
        }
    }

  timer = g_timer_new ();
  if (!tsu_demo_generate (store, &options, isatty (STDERR_FILENO) ? print_progress : NULL, NULL,
                          NULL, error))
    return 1;

  stats = tsu_store_get_stats (store, error);
  if (stats == NULL)
    return 1;
  /* gettext cannot see through G_GINT64_FORMAT inside _(): use long long. */
  g_print (_("Made the demo city in %.1f s: %lld districts, %lld households, %lld residents, %lld visits, %lld follow-ups"),
           g_timer_elapsed (timer, NULL),
           (long long) json_object_get_int_member (stats, "districts"),
           (long long) json_object_get_int_member (stats, "households"),
           (long long) json_object_get_int_member (stats, "residents"),
           (long long) json_object_get_int_member (stats, "visits"),
           (long long) json_object_get_int_member (stats, "followups"));
  g_print ("\n");
  return 0;
}
