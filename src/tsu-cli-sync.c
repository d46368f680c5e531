/* tsu-cli-sync.c: tsunagu-cli's sync commands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * export-changeset OUT.json, import-changeset IN.json, register-with-hub
 * KEYFILE, conflicts, resolve-conflict ID local|remote.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tsu-changeset.h"
#include "tsu-cli-sync.h"
#include "tsu-store-sync.h"

static int
usage_error (GError     **error,
             const char  *usage)
{
  g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID, _("Usage: tsunagu-cli %s"), usage);
  return 2;
}

int
tsu_cli_export_changeset (TsuStore  *store,
                          int        argc,
                          char     **argv,
                          GError   **error)
{
  guint n = 0;

  if (argc != 2)
    return usage_error (error, "export-changeset OUT.json");
  if (!tsu_changeset_export_file (store, NULL, argv[1], &n, error))
    return 1;
  g_print (g_dngettext (GETTEXT_PACKAGE, "Exported %u change to %s\n", "Exported %u changes to %s\n", n),
           n, argv[1]);
  return 0;
}

int
tsu_cli_import_changeset (TsuStore  *store,
                          int        argc,
                          char     **argv,
                          GError   **error)
{
  TsuSyncCounts counts = { 0, };

  if (argc != 2)
    return usage_error (error, "import-changeset IN.json");
  if (!tsu_changeset_import_file (store, argv[1], &counts, error))
    return 1;
  g_print (_("Imported %s: %u operations (%u already known), %u records added, %u updated, %u conflicts, %u records removed (no longer in this laptop's districts)\n"),
           argv[1], counts.operations, counts.duplicates, counts.added, counts.updated,
           counts.conflicts, counts.evicted);
  return 0;
}

int
tsu_cli_register_with_hub (TsuStore  *store,
                           int        argc,
                           char     **argv,
                           GError   **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GError) local_error = NULL;

  if (argc != 2)
    return usage_error (error, "register-with-hub KEYFILE");
  if (!g_file_get_contents (argv[1], &contents, &length, &local_error))
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_IO, _("Could not read “%s”: %s"),
                   argv[1], local_error->message);
      return 1;
    }
  if (!tsu_sync_register_with_hub (store, contents, length, error))
    return 1;
  g_print (_("Registered with the hub\n"));
  return 0;
}

int
tsu_cli_list_conflicts (TsuStore  *store,
                        int        argc,
                        char     **argv,
                        GError   **error)
{
  g_autoptr(GPtrArray) conflicts = tsu_store_sync_list_conflicts (store, FALSE, error);

  if (conflicts == NULL)
    return 1;
  for (guint i = 0; i < conflicts->len; i++)
    {
      JsonObject *c = conflicts->pdata[i];
      g_autofree char *local = json_to_string (json_object_get_member (c, "local_value"), FALSE);
      g_autofree char *remote = json_to_string (json_object_get_member (c, "remote_value"), FALSE);

      g_print ("%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%s (%s)\t%s (%s)\t%s\n",
               json_object_get_int_member (c, "id"),
               json_object_get_string_member (c, "table"),
               json_object_get_string_member (c, "record_id"),
               json_object_get_string_member (c, "field"),
               local, json_object_get_string_member_with_default (c, "local_actor", "?"),
               remote, json_object_get_string_member_with_default (c, "remote_actor", "?"),
               json_object_get_boolean_member (c, "remote_won") ? "remote" : "local");
    }
  return 0;
}

int
tsu_cli_resolve_conflict (TsuStore  *store,
                          int        argc,
                          char     **argv,
                          GError   **error)
{
  gint64 id;

  if (argc != 3 || (!g_str_equal (argv[2], "local") && !g_str_equal (argv[2], "remote")))
    return usage_error (error, "resolve-conflict ID local|remote");
  id = g_ascii_strtoll (argv[1], NULL, 10);
  if (!tsu_store_sync_resolve_conflict (store, id, g_str_equal (argv[2], "remote"), error))
    return 1;
  return 0;
}
