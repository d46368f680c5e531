/* tsu-cli-purge.c: tsunagu-cli purge-archived
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Purging is explicit and logged: a retention period and a reason are
 * both required, there is no default.
 */
#include "config.h"

#include <stdlib.h>
#include <glib/gi18n.h>

#include "tsu-cli-purge.h"
#include "tsu-store-purge.h"

int
tsu_cli_purge_archived (TsuStore  *store,
                        int        argc,
                        char     **argv,
                        GError   **error)
{
  const char *days_text = NULL;
  const char *reason = NULL;
  guint64 days = 0;
  guint n_households = 0, n_records = 0;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--older-than-days") && i + 1 < argc)
        days_text = argv[++i];
      else if (g_str_equal (argv[i], "--reason") && i + 1 < argc)
        reason = argv[++i];
      else
        {
          g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID,
                       _("Usage: purge-archived --older-than-days N --reason TEXT"));
          return 2;
        }
    }
  if (days_text == NULL || reason == NULL ||
      !g_ascii_string_to_unsigned (days_text, 10, 0, 36500, &days, NULL))
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID,
                   _("Usage: purge-archived --older-than-days N --reason TEXT"));
      return 2;
    }
  if (!tsu_store_purge_archived (store, (guint) days, reason, &n_households, &n_records, error) ||
      !tsu_store_vacuum (store, error))
    return 1;
  g_print (_("Purged %u archived households (%u records) archived more than %u days ago; the purge is logged and passes on with the next sync\n"),
           n_households, n_records, (guint) days);
  return 0;
}
