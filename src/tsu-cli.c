/* tsu-cli.c: tsunagu-cli, the command line on the core library
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each command exits 0 on success; on failure it prints one line on stderr
 * and exits 1 (2 for a usage error).
 */
#include "config.h"

#include <stdio.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "tsu-household.h"
#include "tsu-store-households.h"
#include "tsu-cli-demo.h"
#include "tsu-cli-import.h"
#include "tsu-cli-sync.h"
#include "tsu-cli-map.h"
#include "tsu-cli-privacy.h"
#include "tsu-cli-reports.h"
#include "tsu-cli-purge.h"
#include "tsu-store-reports.h"
#include "tsu-store.h"
#include "tsu-tool.h"

typedef int (*CommandFunc) (TsuStore *store, int argc, char **argv, GError **error);

static void
print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

static int
command_stats (TsuStore  *store,
               int        argc,
               char     **argv,
               GError   **error)
{
  g_autoptr(JsonObject) stats = tsu_store_get_stats (store, error);
  g_autoptr(JsonNode) node = NULL;

  if (stats == NULL)
    return 1;
  node = json_node_init_object (json_node_alloc (), stats);
  print_json (node);
  return 0;
}

static int
command_search (TsuStore  *store,
                int        argc,
                char     **argv,
                GError   **error)
{
  g_autoptr(GPtrArray) results = NULL;
  g_autofree char *query = NULL;

  if (argc < 2)
    {
      g_set_error_literal (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID,
                           _("search needs the text to look for"));
      return 2;
    }

  query = g_strjoinv (" ", argv + 1);
  results = tsu_store_search (store, query, 50, error);
  if (results == NULL)
    return 1;

  /* One household per line, tab-separated, best match first. */
  for (guint i = 0; i < results->len; i++)
    {
      TsuHousehold *household = results->pdata[i];

      g_print ("%s\t%s\t%s\t%s\t%s\n",
               tsu_household_get_id (household),
               tsu_household_get_head_name (household) ? tsu_household_get_head_name (household) : "",
               tsu_household_get_head_kana (household) ? tsu_household_get_head_kana (household) : "",
               tsu_household_get_address (household) ? tsu_household_get_address (household) : "",
               tsu_household_get_match (household) ? tsu_household_get_match (household) : "");
    }
  return 0;
}

/* The export audit: who wrote which households to a file, when, and why. */
static int
command_exports (TsuStore  *store,
                 int        argc,
                 char     **argv,
                 GError   **error)
{
  g_autoptr(GPtrArray) rows = tsu_store_list_exports (store, error);
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) node = NULL;

  if (rows == NULL)
    return 1;
  for (guint i = 0; i < rows->len; i++)
    json_array_add_object_element (array, json_object_ref (rows->pdata[i]));
  node = json_node_init_array (json_node_alloc (), array);
  print_json (node);
  return 0;
}

static const struct
{
  const char  *name;
  CommandFunc  func;
  const char  *usage;
} commands[] = {
  { "search", command_search, "search TEXT" },
  { "demo", tsu_cli_demo, "demo [--size small|iga|tenfold] [--households N] [--seed S] [--years Y] [--today YYYY-MM-DD]" },
  { "households-to-place", tsu_cli_households_to_place, "households-to-place" },
  { "import-households", tsu_cli_import_households,
    "import-households FILE.csv [--mapping FILE] [--encoding utf-8|cp932] [--towns FILE] [--dry-run]" },
  { "import-boundaries", tsu_cli_import_boundaries, "import-boundaries FILE [--name-property P] [--create-missing]" },
  { "privacy", tsu_cli_privacy, "privacy" },
  { "purge-archived", tsu_cli_purge_archived, "purge-archived --older-than-days N --reason TEXT" },
  { "stats", command_stats, "stats" },
  { "exports", command_exports, "exports" },
  { "town-district", tsu_cli_town_district, "town-district [TOWN DISTRICT|-]" },
  { "undo-import", tsu_cli_undo_import, "undo-import BATCH" },
  { "export-changeset", tsu_cli_export_changeset, "export-changeset OUT.json" },
  { "import-changeset", tsu_cli_import_changeset, "import-changeset IN.json" },
  { "register-with-hub", tsu_cli_register_with_hub, "register-with-hub KEYFILE" },
  { "conflicts", tsu_cli_list_conflicts, "conflicts" },
  { "resolve-conflict", tsu_cli_resolve_conflict, "resolve-conflict ID local|remote" },
  { "summary", tsu_cli_summary,
    "summary --from DATE --to DATE [--district ID…] --format csv|pdf [--encoding cp932] OUT" },
  { "meeting-map", tsu_cli_meeting_map,
    "meeting-map --district ID --from DATE --to DATE [--cell-metres N] [--min-count 3] --format png|pdf [--paper a4|a3] OUT" },
  { "case-list", tsu_cli_case_list, "case-list --household ID… [--reason TEXT] OUT.pdf" },
};

static void
print_usage (void)
{
  g_printerr ("%s\n", _("Usage: tsunagu-cli [--db PATH] COMMAND [ARGS…]"));
  g_printerr ("%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_printerr ("  %s\n", commands[i].usage);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *db_path = NULL;
  g_autoptr(TsuStore) store = NULL;
  g_autoptr(GError) error = NULL;
  int first = 1;

  tsu_tool_init_i18n ();
  /* Global options come before the command; each command parses its own. */
  switch (tsu_tool_parse_options (argc, argv, &first, &db_path))
    {
    case TSU_TOOL_OPTIONS_HELP:
      print_usage ();
      return 0;
    case TSU_TOOL_OPTIONS_UNKNOWN:
      g_printerr (_("tsunagu-cli: unknown option “%s”"), argv[first]);
      g_printerr ("\n");
      return 2;
    case TSU_TOOL_OPTIONS_OK:
      break;
    }

  if (first >= argc)
    {
      print_usage ();
      return 2;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      int status;

      if (!g_str_equal (argv[first], commands[i].name))
        continue;

      if (db_path == NULL)
        db_path = tsu_store_default_path ();
      store = tsu_store_open (db_path, &error);
      if (store == NULL)
        {
          g_printerr ("tsunagu-cli: %s\n", error->message);
          return 1;
        }

      status = commands[i].func (store, argc - first, argv + first, &error);
      if (status != 0)
        {
          if (error != NULL)
            g_printerr ("tsunagu-cli: %s\n", error->message);
          return status;
        }
      return 0;
    }

  g_printerr (_("tsunagu-cli: unknown command “%s”"), argv[first]);
  g_printerr ("\n");
  print_usage ();
  return 2;
}
