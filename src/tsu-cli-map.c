/* tsu-cli-map.c: map commands of tsunagu-cli
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tsu-cli-map.h"
#include "tsu-geojson.h"
#include "tsu-store-map.h"

/* import-boundaries FILE [--name-property P] [--create-missing] */
int
tsu_cli_import_boundaries (TsuStore  *store,
                           int        argc,
                           char     **argv,
                           GError   **error)
{
  g_autofree char *name_property = NULL;
  gboolean create_missing = FALSE;
  const GOptionEntry entries[] = {
    { "name-property", 0, 0, G_OPTION_ARG_STRING, &name_property,
      N_("The feature property that holds the district name (default: name)"), "P" },
    { "create-missing", 0, 0, G_OPTION_ARG_NONE, &create_missing,
      N_("Create districts that do not exist yet instead of failing"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE"));
  g_autoptr(GPtrArray) features = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *label = NULL;
  guint n = 0;

  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, error))
    return 2;
  if (argc != 2)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("Usage: import-boundaries FILE [--name-property P] [--create-missing]"));
      return 2;
    }

  file = g_file_new_for_commandline_arg (argv[1]);
  label = g_file_get_parse_name (file);
  features = tsu_geojson_load_boundaries (file, name_property, NULL, error);
  if (features == NULL)
    return 1;
  if (!tsu_store_import_boundaries (store, features, label, create_missing, &n, error))
    return 1;

  g_print (g_dngettext (GETTEXT_PACKAGE, "Imported the boundary of %u district\n",
                        "Imported the boundaries of %u districts\n", n), n);
  return 0;
}
