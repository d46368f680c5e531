/* tsu-cli-privacy.c: the "privacy" command of tsunagu-cli
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prints, as JSON, what an IT contact checks on a laptop before real data
 * goes on it: the permissions of the database files and their folder,
 * whether the folder is on an encrypted volume, and whether an unlock
 * passphrase has been chosen. Exits 0 when all is well, 1 otherwise (with
 * the advice on stderr), so that it can be run from a setup script.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sys/stat.h>

#include "tsu-cli-privacy.h"
#include "tsu-passphrase.h"
#include "tsu-privacy.h"

/* Private means no access at all for group and others. */
static gboolean
add_file (JsonBuilder *builder,
          const char  *path)
{
  GStatBuf st;
  g_autofree char *mode = NULL;
  gboolean ok;

  if (g_stat (path, &st) != 0)
    return TRUE;

  mode = g_strdup_printf ("%04o", (unsigned) (st.st_mode & 07777));
  ok = (st.st_mode & 077) == 0;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "path");
  json_builder_add_string_value (builder, path);
  json_builder_set_member_name (builder, "mode");
  json_builder_add_string_value (builder, mode);
  json_builder_set_member_name (builder, "private");
  json_builder_add_boolean_value (builder, ok);
  json_builder_end_object (builder);
  return ok;
}

int
tsu_cli_privacy (TsuStore  *store,
                 int        argc,
                 char     **argv,
                 GError   **error)
{
  static const char * const suffixes[] = { "", "-wal", "-shm" };
  const char *path = tsu_store_get_path (store);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(TsuEncryptionInfo) info = NULL;
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *passphrase_path = tsu_passphrase_default_path ();
  g_autofree char *advice = NULL;
  g_autofree char *text = NULL;
  gboolean private = TRUE;

  if (argc > 1)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“privacy” takes no arguments"));
      return 2;
    }

  info = tsu_privacy_check_encryption (path);
  advice = tsu_encryption_info_advice (info);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "database");
  json_builder_add_string_value (builder, path);

  json_builder_set_member_name (builder, "files");
  json_builder_begin_array (builder);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      private &= add_file (builder, file);
    }
  private &= add_file (builder, dir);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "encryption");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, tsu_encryption_status_to_string (info->status));
  json_builder_set_member_name (builder, "mechanism");
  json_builder_add_string_value (builder, info->mechanism);
  json_builder_set_member_name (builder, "mount_point");
  json_builder_add_string_value (builder, info->mount_point);
  json_builder_set_member_name (builder, "fs_type");
  json_builder_add_string_value (builder, info->fs_type);
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder, info->source);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "passphrase_set");
  json_builder_add_boolean_value (builder, tsu_passphrase_is_set (passphrase_path));
  json_builder_set_member_name (builder, "advice");
  json_builder_add_string_value (builder, advice);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);

  if (!private)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_PERM,
                   _("Other users can read the files of “%s”; open it once with Tsunagu to fix this."), path);
      return 1;
    }
  if (info->status != TSU_ENCRYPTION_ENCRYPTED)
    {
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, advice);
      return 1;
    }
  return 0;
}
