/* tsu-tool.c: what the app and the command-line tools do first
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "tsu-tool.h"

/* The user's locale, and the translations: installed ones, or when run
 * from the build tree (README's commands) the ones compiled there. */
void
tsu_tool_init_i18n (void)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
#ifdef TSU_BUILD_LOCALEDIR
  if (!g_file_test (LOCALEDIR "/ja/LC_MESSAGES/" GETTEXT_PACKAGE ".mo", G_FILE_TEST_EXISTS) &&
      g_file_test (TSU_BUILD_LOCALEDIR "/ja/LC_MESSAGES/" GETTEXT_PACKAGE ".mo", G_FILE_TEST_EXISTS))
    bindtextdomain (GETTEXT_PACKAGE, TSU_BUILD_LOCALEDIR);
#endif
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

/**
 * tsu_tool_parse_options:
 * @first: (inout): the first argument to read; on return the first one
 *   after the options (the command), or the unknown option
 * @db_path: (inout): set by --db PATH or --db=PATH
 *
 * Reads the global options that come before a tool's command; each
 * command parses its own.
 */
TsuToolOptions
tsu_tool_parse_options (int    argc,
                        char **argv,
                        int   *first,
                        char **db_path)
{
  while (*first < argc && g_str_has_prefix (argv[*first], "--"))
    {
      if (g_str_equal (argv[*first], "--db") && *first + 1 < argc)
        {
          g_free (*db_path);
          *db_path = g_strdup (argv[*first + 1]);
          *first += 2;
        }
      else if (g_str_has_prefix (argv[*first], "--db="))
        {
          g_free (*db_path);
          *db_path = g_strdup (argv[*first] + 5);
          (*first)++;
        }
      else if (g_str_equal (argv[*first], "--help"))
        return TSU_TOOL_OPTIONS_HELP;
      else
        return TSU_TOOL_OPTIONS_UNKNOWN;
    }
  return TSU_TOOL_OPTIONS_OK;
}
