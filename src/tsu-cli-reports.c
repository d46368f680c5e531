/* tsu-cli-reports.c: the summary, meeting-map and case-list commands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Thin wrappers: the same core calls the application uses, so a summary
 * made on the command line is the one the dialog would have made.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tsu-case-list.h"
#include "tsu-cli-reports.h"
#include "tsu-meeting-map.h"
#include "tsu-summary.h"

static gboolean
parse_options (const char    *name,
               GOptionEntry  *entries,
               int           *argc,
               char        ***argv,
               GError       **error)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);

  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;
  return TRUE;
}

static int
usage_error (GError     **error,
             const char  *usage)
{
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, _("usage: %s"), usage);
  return 2;
}

int
tsu_cli_summary (TsuStore  *store,
                 int        argc,
                 char     **argv,
                 GError   **error)
{
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *format = NULL;
  g_autofree char *encoding = NULL;
  g_auto(GStrv) districts = NULL;
  GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, NULL, "DATE" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, NULL, "DATE" },
    { "district", 0, 0, G_OPTION_ARG_STRING_ARRAY, &districts, NULL, "ID" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, NULL, "csv|pdf" },
    { "encoding", 0, 0, G_OPTION_ARG_STRING, &encoding, NULL, "utf-8|cp932" },
    { NULL }
  };
  const char *usage = "summary --from DATE --to DATE [--district ID…] --format csv|pdf [--encoding cp932] OUT";
  g_autoptr(TsuSummary) summary = NULL;
  TsuSummaryEncoding enc = TSU_SUMMARY_ENCODING_UTF8_BOM;

  if (!parse_options ("summary", entries, &argc, &argv, error))
    return 2;
  if (from == NULL || to == NULL || argc != 2 ||
      (format != NULL && !g_str_equal (format, "csv") && !g_str_equal (format, "pdf")))
    return usage_error (error, usage);
  if (encoding != NULL)
    {
      if (g_ascii_strcasecmp (encoding, "cp932") == 0 || g_ascii_strcasecmp (encoding, "shift_jis") == 0)
        enc = TSU_SUMMARY_ENCODING_CP932;
      else if (g_ascii_strcasecmp (encoding, "utf-8") != 0 && g_ascii_strcasecmp (encoding, "utf8") != 0)
        return usage_error (error, usage);
    }
  if (format == NULL)
    format = g_strdup (g_str_has_suffix (argv[1], ".pdf") ? "pdf" : "csv");

  summary = tsu_summary_new_from_store (store, from, to, (const char * const *) districts, error);
  if (summary == NULL)
    return 1;

  if (g_str_equal (format, "pdf"))
    {
      /* With chosen districts the report ends with each district's map. */
      for (guint i = 0; districts != NULL && districts[i] != NULL; i++)
        {
          g_autoptr(TsuMeetingMap) map =
            tsu_meeting_map_new_from_store (store, districts[i], from, to,
                                            TSU_MEETING_MAP_DEFAULT_CELL_METRES,
                                            TSU_MEETING_MAP_DEFAULT_MIN_COUNT, error);
          if (map == NULL)
            return 1;
          tsu_summary_add_map (summary, map);
        }
      return tsu_summary_write_pdf (summary, argv[1], error) ? 0 : 1;
    }
  return tsu_summary_write_csv (summary, argv[1], enc, error) ? 0 : 1;
}

int
tsu_cli_meeting_map (TsuStore  *store,
                     int        argc,
                     char     **argv,
                     GError   **error)
{
  g_autofree char *district = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *format = NULL;
  g_autofree char *paper = NULL;
  int cell_metres = TSU_MEETING_MAP_DEFAULT_CELL_METRES;
  int min_count = TSU_MEETING_MAP_DEFAULT_MIN_COUNT;
  GOptionEntry entries[] = {
    { "district", 0, 0, G_OPTION_ARG_STRING, &district, NULL, "ID" },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, NULL, "DATE" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, NULL, "DATE" },
    { "cell-metres", 0, 0, G_OPTION_ARG_INT, &cell_metres, NULL, "N" },
    { "min-count", 0, 0, G_OPTION_ARG_INT, &min_count, NULL, "N" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, NULL, "png|pdf" },
    { "paper", 0, 0, G_OPTION_ARG_STRING, &paper, NULL, "a4|a3" },
    { NULL }
  };
  const char *usage = "meeting-map --district ID --from DATE --to DATE [--cell-metres N] [--min-count 3] --format png|pdf [--paper a4|a3] OUT";
  g_autoptr(TsuMeetingMap) map = NULL;

  if (!parse_options ("meeting-map", entries, &argc, &argv, error))
    return 2;
  if (district == NULL || from == NULL || to == NULL || argc != 2 ||
      cell_metres < 10 || cell_metres > 100000 || min_count < 1 ||
      (format != NULL && !g_str_equal (format, "png") && !g_str_equal (format, "pdf")) ||
      (paper != NULL && !g_str_equal (paper, "a4") && !g_str_equal (paper, "a3")))
    return usage_error (error, usage);
  if (format == NULL)
    format = g_strdup (g_str_has_suffix (argv[1], ".pdf") ? "pdf" : "png");

  map = tsu_meeting_map_new_from_store (store, district, from, to, cell_metres, min_count, error);
  if (map == NULL)
    return 1;
  if (g_str_equal (format, "pdf"))
    return tsu_meeting_map_write_pdf (map, argv[1], g_strcmp0 (paper, "a3") == 0, error) ? 0 : 1;
  return tsu_meeting_map_write_png (map, argv[1], 0, 0, error) ? 0 : 1;
}

int
tsu_cli_case_list (TsuStore  *store,
                   int        argc,
                   char     **argv,
                   GError   **error)
{
  g_auto(GStrv) households = NULL;
  g_autofree char *reason = NULL;
  GOptionEntry entries[] = {
    { "household", 0, 0, G_OPTION_ARG_STRING_ARRAY, &households, NULL, "ID" },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, NULL, "TEXT" },
    { NULL }
  };
  const char *usage = "case-list --household ID… [--reason TEXT] OUT.pdf";

  if (!parse_options ("case-list", entries, &argc, &argv, error))
    return 2;
  if (households == NULL || argc != 2)
    return usage_error (error, usage);
  return tsu_case_list_write_pdf (store, (const char * const *) households, reason, argv[1], error) ? 0 : 1;
}
