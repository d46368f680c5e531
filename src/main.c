/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "tsu-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(TsuApplication) app = NULL;

  setlocale (LC_ALL, "");

#ifdef TSU_BUILD_DATADIR
  /* Run from the build tree (README's first command) without installing:
   * GSETTINGS_SCHEMA_DIR is searched before the installed schemas, so the
   * schema compiled there is found. Installed copies never have that folder. */
  if (g_getenv ("GSETTINGS_SCHEMA_DIR") == NULL &&
      g_file_test (TSU_BUILD_DATADIR "/gschemas.compiled", G_FILE_TEST_EXISTS))
    g_setenv ("GSETTINGS_SCHEMA_DIR", TSU_BUILD_DATADIR, TRUE);
#endif
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
#ifdef TSU_BUILD_LOCALEDIR
  /* Uninstalled, use the translations compiled in the build tree. */
  if (!g_file_test (LOCALEDIR "/ja/LC_MESSAGES/" GETTEXT_PACKAGE ".mo", G_FILE_TEST_EXISTS) &&
      g_file_test (TSU_BUILD_LOCALEDIR "/ja/LC_MESSAGES/" GETTEXT_PACKAGE ".mo", G_FILE_TEST_EXISTS))
    bindtextdomain (GETTEXT_PACKAGE, TSU_BUILD_LOCALEDIR);
#endif
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = tsu_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
