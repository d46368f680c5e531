/* tsu-hub.c: tsunagu-hub, the central office's side of sync
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The hub is one more replica that holds everything. It registers devices
 * and their districts, ingests the changesets laptops export, and exports
 * for each device the changes of its districts. Exit 0 on success; on
 * failure one line on stderr and 1 (2 for a usage error).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tsu-changeset.h"
#include "tsu-store-sync.h"
#include "tsu-tool.h"

static char *db_path = NULL;

static int
usage (void)
{
  g_printerr ("%s\n", _("Usage: tsunagu-hub --db PATH COMMAND [ARGS…]"));
  g_printerr ("%s\n", _("Commands:"));
  g_printerr ("  register-device NAME --districts ID|NAME,… [--out KEY.json]\n");
  g_printerr ("  ingest FILE…\n");
  g_printerr ("  export --device ID OUT.json\n");
  g_printerr ("  revoke-device ID\n");
  g_printerr ("  status\n");
  g_printerr ("  districts\n");
  return 2;
}

static int
command_register (TsuStore  *hub,
                  int        argc,
                  char     **argv,
                  GError   **error)
{
  const char *name = NULL;
  const char *districts = NULL;
  const char *out = NULL;
  g_auto(GStrv) ids = NULL;
  g_autofree char *device_id = NULL;
  g_autofree char *key_file = NULL;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--districts") && i + 1 < argc)
        districts = argv[++i];
      else if (g_str_equal (argv[i], "--out") && i + 1 < argc)
        out = argv[++i];
      else if (name == NULL && !g_str_has_prefix (argv[i], "--"))
        name = argv[i];
      else
        return usage ();
    }
  if (name == NULL || districts == NULL)
    return usage ();

  /* District ids, or names as the office knows them (上野東部). */
  ids = g_strsplit (districts, ",", -1);
  for (guint i = 0; ids[i] != NULL; i++)
    if (!g_uuid_string_is_valid (ids[i]))
      {
        char *id = tsu_store_sync_find_district (hub, ids[i]);

        if (id == NULL)
          {
            g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_NOT_FOUND,
                         _("No district is called “%s” (see tsunagu-hub districts)"), ids[i]);
            return 1;
          }
        g_free (ids[i]);
        ids[i] = id;
      }
  key_file = tsu_hub_register_device (hub, name, (const char * const *) ids, &device_id, error);
  if (key_file == NULL)
    return 1;

  if (out != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      /* The key file holds the signing key: readable by its owner only. */
      if (!g_file_set_contents_full (out, key_file, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local_error))
        {
          g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_IO, _("Could not write “%s”: %s"),
                       out, local_error->message);
          return 1;
        }
      g_print ("%s\n", device_id);
    }
  else
    g_print ("%s\n", key_file);
  return 0;
}

static int
command_ingest (TsuStore  *hub,
                int        argc,
                char     **argv,
                GError   **error)
{
  if (argc < 2)
    return usage ();
  if (!tsu_store_is_hub (hub))
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID,
                   _("This database is not a hub yet: register a device first"));
      return 1;
    }
  for (int i = 1; i < argc; i++)
    {
      TsuSyncCounts counts = { 0, };

      if (!tsu_changeset_import_file (hub, argv[i], &counts, error))
        return 1;
      g_print (_("Ingested %s: %u operations (%u already known), %u records added, %u updated, %u conflicts\n"),
               argv[i], counts.operations, counts.duplicates, counts.added, counts.updated, counts.conflicts);
    }
  return 0;
}

static int
command_export (TsuStore  *hub,
                int        argc,
                char     **argv,
                GError   **error)
{
  const char *device = NULL;
  const char *out = NULL;
  guint n = 0;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--device") && i + 1 < argc)
        device = argv[++i];
      else if (out == NULL && !g_str_has_prefix (argv[i], "--"))
        out = argv[i];
      else
        return usage ();
    }
  if (device == NULL || out == NULL)
    return usage ();
  if (!tsu_changeset_export_file (hub, device, out, &n, error))
    return 1;
  g_print (g_dngettext (GETTEXT_PACKAGE, "Exported %u change to %s\n", "Exported %u changes to %s\n", n), n, out);
  return 0;
}

static int
command_districts (TsuStore  *hub,
                   int        argc,
                   char     **argv,
                   GError   **error)
{
  g_autoptr(GPtrArray) districts = tsu_store_sync_list_districts (hub, error);

  if (districts == NULL)
    return 1;
  for (guint i = 0; i < districts->len; i++)
    {
      char **pair = districts->pdata[i];
      g_print ("%s\t%s\n", pair[0], pair[1]);
    }
  return 0;
}

static char *
format_ms (JsonObject *object,
           const char *member)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autoptr(GDateTime) time = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup (_("never"));
  time = g_date_time_new_from_unix_local (json_node_get_int (node) / 1000);
  return g_date_time_format (time, "%Y-%m-%d %H:%M");
}

static int
command_status (TsuStore  *hub,
                int        argc,
                char     **argv,
                GError   **error)
{
  g_autoptr(GPtrArray) devices = tsu_store_hub_list_devices (hub, error);

  if (devices == NULL)
    return 1;
  g_print (_("Hub %s: %u devices, %u open conflicts, %lld operations\n"),
           tsu_store_get_replica_id (hub), devices->len, tsu_store_sync_count_conflicts (hub),
           (long long) tsu_store_sync_max_seq (hub));
  for (guint i = 0; i < devices->len; i++)
    {
      JsonObject *d = devices->pdata[i];
      g_autofree char *seen = format_ms (d, "last_seen_ms");
      g_autofree char *exported = format_ms (d, "last_export_ms");
      gint64 pending = 0;

      if (!tsu_store_hub_count_pending (hub, json_object_get_string_member_with_default (d, "replica", NULL),
                                        json_object_get_int_member (d, "acked_seq"), &pending, error))
        return 1;
      g_print (_("  %s  %s  districts %s  last seen %s  last export %s  operations not yet acknowledged by the device: %lld\n"),
               json_object_get_string_member (d, "id"), json_object_get_string_member (d, "name"),
               json_object_get_string_member (d, "districts"), seen, exported, (long long) pending);
      if (tsu_hub_device_is_revoked (hub, json_object_get_string_member (d, "id")))
        g_print ("    %s\n", _("REVOKED: its changesets are refused and nothing is exported for it"));
    }
  return 0;
}

/* A lost or stolen laptop: its files are refused from now on, and the hub
 * no longer writes files it could read. */
static int
command_revoke (TsuStore  *hub,
                int        argc,
                char     **argv,
                GError   **error)
{
  if (argc != 2)
    return usage ();
  if (!tsu_hub_revoke_device (hub, argv[1], error))
    return 1;
  g_print (_("Device %s is revoked: its changesets are refused and nothing is exported for it\n"), argv[1]);
  return 0;
}

static const struct
{
  const char *name;
  int (*func) (TsuStore *hub, int argc, char **argv, GError **error);
} commands[] = {
  { "register-device", command_register },
  { "ingest", command_ingest },
  { "export", command_export },
  { "revoke-device", command_revoke },
  { "status", command_status },
  { "districts", command_districts },
};

int
main (int   argc,
      char *argv[])
{
  g_autoptr(TsuStore) hub = NULL;
  g_autoptr(GError) error = NULL;
  int first = 1;

  tsu_tool_init_i18n ();
  switch (tsu_tool_parse_options (argc, argv, &first, &db_path))
    {
    case TSU_TOOL_OPTIONS_HELP:
      usage ();
      return 0;
    case TSU_TOOL_OPTIONS_UNKNOWN:
      return usage ();
    case TSU_TOOL_OPTIONS_OK:
      break;
    }
  if (first >= argc || db_path == NULL)
    return usage ();

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      int status;

      if (!g_str_equal (argv[first], commands[i].name))
        continue;
      hub = tsu_store_open (db_path, &error);
      if (hub == NULL)
        {
          g_printerr ("tsunagu-hub: %s\n", error->message);
          return 1;
        }
      tsu_store_set_actor (hub, g_get_user_name ());
      status = commands[i].func (hub, argc - first, argv + first, &error);
      if (status != 0 && error != NULL)
        g_printerr ("tsunagu-hub: %s\n", error->message);
      return status;
    }
  g_printerr (_("tsunagu-hub: unknown command “%s”"), argv[first]);
  g_printerr ("\n");
  return usage ();
}
