/* tsu-cli-import.c: import-households and undo-import
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tsu-cli-import.h"
#include "tsu-household-import.h"
#include "tsu-store-import.h"
#include "tsu-text.h"

#define TOWNS_SETTING "towns_file"

static const char *
action_text (TsuImportAction action)
{
  switch (action)
    {
    case TSU_IMPORT_CREATE: return _("new");
    case TSU_IMPORT_MATCH: return _("already there");
    case TSU_IMPORT_SKIP:
    default: return _("skipped");
    }
}

int
tsu_cli_import_households (TsuStore  *store,
                           int        argc,
                           char     **argv,
                           GError   **error)
{
  g_autofree char *mapping_path = NULL;
  g_autofree char *encoding_text = NULL;
  g_autofree char *towns_path = NULL;
  gboolean dry_run = FALSE;
  gboolean quiet = FALSE;
  GOptionEntry entries[] = {
    { "mapping", 0, 0, G_OPTION_ARG_FILENAME, &mapping_path, N_("Column mapping (JSON)"), N_("FILE") },
    { "encoding", 0, 0, G_OPTION_ARG_STRING, &encoding_text, N_("utf-8 or cp932 (default: detect)"), N_("ENCODING") },
    { "towns", 0, 0, G_OPTION_ARG_FILENAME, &towns_path, N_("Town list for placing addresses (remembered)"), N_("FILE") },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, N_("Show what would happen; write nothing"), NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_("Print only the summary"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE.csv"));
  g_autoptr(TsuHouseholdImport) import = NULL;
  g_autoptr(TsuGazetteer) gazetteer = NULL;
  g_autofree char *batch_id = NULL;
  TsuCsvEncoding encoding = TSU_CSV_ENCODING_AUTO;
  TsuImportSummary summary;
  TsuCsv *csv;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_help_enabled (context, TRUE);
  if (!g_option_context_parse (context, &argc, &argv, error))
    return 2;
  if (argc != 2)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("Usage: import-households FILE.csv [--mapping FILE] [--encoding utf-8|cp932] [--towns FILE] [--dry-run]"));
      return 2;
    }
  if (!tsu_csv_encoding_from_string (encoding_text, &encoding))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Unknown encoding “%s” (use utf-8 or cp932)"), encoding_text);
      return 2;
    }

  import = tsu_household_import_new (store);

  if (towns_path == NULL)
    towns_path = tsu_store_get_import_setting (store, TOWNS_SETTING);
  if (towns_path != NULL)
    {
      gazetteer = tsu_gazetteer_new ();
      if (!tsu_gazetteer_load_file (gazetteer, towns_path, error))
        return 1;
      tsu_household_import_set_gazetteer (import, gazetteer);
    }

  if (!tsu_household_import_load (import, argv[1], encoding, error))
    return 1;
  if (mapping_path != NULL && !tsu_household_import_load_mapping (import, mapping_path, error))
    return 1;
  if (!tsu_household_import_preview (import, NULL, error))
    return 1;

  csv = tsu_household_import_get_csv (import);
  if (!quiet)
    for (guint i = 0; i < tsu_household_import_get_n_rows (import); i++)
      {
        const TsuImportRow *row = tsu_household_import_get_row (import, i);

        if (row->action == TSU_IMPORT_MATCH)
          g_print (_("%s line %u: %s, %s: already there (household %s)\n"),
                   tsu_csv_get_name (csv), row->line, row->name, row->address, row->matched_id);
        for (guint p = 0; p < row->problems->len; p++)
          g_print ("%s line %u (%s): %s\n", tsu_csv_get_name (csv), row->line,
                   action_text (row->action), (const char *) row->problems->pdata[p]);
      }

  tsu_household_import_get_summary (import, &summary);
  g_print (_("%u rows (%s): %u new, %u already there, %u skipped; placed %u exactly, %u approximately, %u not at all\n"),
           summary.rows, tsu_csv_encoding_to_string (tsu_csv_get_encoding (csv)),
           summary.create, summary.match, summary.skip,
           summary.exact, summary.approximate, summary.unplaced);

  if (dry_run)
    {
      g_print ("%s\n", _("Dry run: nothing was written."));
      return 0;
    }

  if (summary.create == 0)
    {
      g_print ("%s\n", _("Nothing to import: every row is already there or skipped."));
      return 0;
    }

  batch_id = tsu_household_import_run (import, NULL, error);
  if (batch_id == NULL)
    return 1;
  if (towns_path != NULL && !tsu_store_set_import_setting (store, TOWNS_SETTING, towns_path, error))
    return 1;
  g_print (_("Imported as batch %s (undo with: tsunagu-cli undo-import %s)\n"), batch_id, batch_id);
  return 0;
}

int
tsu_cli_undo_import (TsuStore  *store,
                     int        argc,
                     char     **argv,
                     GError   **error)
{
  guint deleted = 0, edited = 0;

  if (argc != 2)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, _("Usage: undo-import BATCH"));
      return 2;
    }
  if (!tsu_store_undo_import (store, argv[1], &deleted, &edited, error))
    return 1;
  g_print (_("Undid import batch %s: %u records deleted (%u of them had been edited since the import)\n"),
           argv[1], deleted, edited);
  return 0;
}

static char *
find_district (TsuStore    *store,
               const char  *name_or_id,
               GError     **error)
{
  g_autoptr(GPtrArray) districts = tsu_store_list_import_districts (store, error);
  g_autofree char *folded = tsu_text_fold (name_or_id);

  if (districts == NULL)
    return NULL;
  for (guint i = 0; i < districts->len; i++)
    {
      JsonObject *district = districts->pdata[i];
      g_autofree char *name = tsu_text_fold (json_object_get_string_member_with_default (district, "name", ""));

      if (g_str_equal (json_object_get_string_member (district, "id"), name_or_id) || g_str_equal (name, folded))
        return g_strdup (json_object_get_string_member (district, "id"));
    }
  g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_NOT_FOUND, _("No district “%s”"), name_or_id);
  return NULL;
}

int
tsu_cli_town_district (TsuStore  *store,
                       int        argc,
                       char     **argv,
                       GError   **error)
{
  g_autofree char *district_id = NULL;

  if (argc == 1)
    {
      g_autoptr(GPtrArray) towns = tsu_store_list_town_districts (store, error);

      if (towns == NULL)
        return 1;
      for (guint i = 0; i < towns->len; i++)
        g_print ("%s\t%s\n", json_object_get_string_member (towns->pdata[i], "town"),
                 json_object_get_string_member_with_default (towns->pdata[i], "district_name", "?"));
      return 0;
    }
  if (argc != 3)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, _("Usage: town-district [TOWN DISTRICT|-]"));
      return 2;
    }
  if (!g_str_equal (argv[2], "-"))
    {
      district_id = find_district (store, argv[2], error);
      if (district_id == NULL)
        return 1;
    }
  return tsu_store_set_town_district (store, argv[1], district_id, error) ? 0 : 1;
}

int
tsu_cli_households_to_place (TsuStore  *store,
                             int        argc,
                             char     **argv,
                             GError   **error)
{
  g_autoptr(GPtrArray) households = tsu_store_list_households_to_place (store, error);

  if (households == NULL)
    return 1;
  for (guint i = 0; i < households->len; i++)
    g_print ("%s\t%s\t%s\n", json_object_get_string_member (households->pdata[i], "id"),
             json_object_get_string_member (households->pdata[i], "location_quality"),
             json_object_get_string_member_with_default (households->pdata[i], "address", ""));
  return 0;
}
