/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib.h>

#include "tsu-application.h"
#include "tsu-tool.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(TsuApplication) app = NULL;

#ifdef TSU_BUILD_DATADIR
  /* Run from the build tree (README's first command) without installing:
   * GSETTINGS_SCHEMA_DIR is searched before the installed schemas, so the
   * schema compiled there is found. Installed copies never have that folder. */
  if (g_getenv ("GSETTINGS_SCHEMA_DIR") == NULL &&
      g_file_test (TSU_BUILD_DATADIR "/gschemas.compiled", G_FILE_TEST_EXISTS))
    g_setenv ("GSETTINGS_SCHEMA_DIR", TSU_BUILD_DATADIR, TRUE);
#endif
  tsu_tool_init_i18n ();

  app = tsu_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
