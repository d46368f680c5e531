/* sync-util.c: helpers shared by the sync tests and the benchmark
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "sync-util.h"

char *
sync_util_make_record (TsuStore   *store,
                       const char *table,
                       const char *first_key,
                       ...)
{
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(GError) error = NULL;
  va_list args;
  char *id;

  va_start (args, first_key);
  for (const char *key = first_key; key != NULL; key = va_arg (args, const char *))
    {
      const char *value = va_arg (args, const char *);

      if (value == NULL)
        json_object_set_null_member (fields, key);
      else
        json_object_set_string_member (fields, key, value);
    }
  va_end (args);

  id = tsu_store_create (store, table, fields, &error);
  g_assert_no_error (error);
  return id;
}

void
sync_util_update (TsuStore   *store,
                  const char *table,
                  const char *id,
                  const char *field,
                  const char *value)
{
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (fields, field, value);
  tsu_store_update (store, table, id, fields, &error);
  g_assert_no_error (error);
}

char *
sync_util_register (TsuStore           *hub,
                    TsuStore           *laptop,
                    const char         *name,
                    const char * const *districts,
                    char              **key)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key_file = NULL;
  char *device_id = NULL;

  key_file = tsu_hub_register_device (hub, name, districts, &device_id, &error);
  g_assert_no_error (error);
  tsu_sync_register_with_hub (laptop, key_file, strlen (key_file), &error);
  g_assert_no_error (error);
  if (key != NULL)
    {
      g_autoptr(JsonNode) node = json_from_string (key_file, NULL);
      *key = g_strdup (json_object_get_string_member (json_node_get_object (node), "key"));
    }
  return device_id;
}

GBytes *
sync_util_export (TsuStore   *store,
                  const char *device_id)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  tsu_changeset_export (store, device_id, out, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (out, NULL, NULL);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

gboolean
sync_util_import (TsuStore       *store,
                  GBytes         *changeset,
                  TsuSyncCounts  *counts,
                  GError        **error)
{
  gsize length;
  const char *data = g_bytes_get_data (changeset, &length);

  return tsu_changeset_import (store, data != NULL ? data : "", length, counts, error);
}

GBytes *
sync_util_export_payload (TsuStore   *store,
                          const char *device_id)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  _tsu_changeset_export_payload (store, device_id, out, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (out, NULL, NULL);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

gboolean
sync_util_import_payload (TsuStore       *store,
                          GBytes         *payload,
                          TsuSyncCounts  *counts,
                          GError        **error)
{
  gsize length;
  const char *data = g_bytes_get_data (payload, &length);

  return _tsu_changeset_import_payload (store, data != NULL ? data : "", length, NULL, counts, error);
}

GBytes *
sync_util_sign (const char *body,
                gsize       length,
                const char *key_hex)
{
  g_autoptr(GString) out = g_string_new_len (body, (gssize) length);
  guchar key[32];
  g_autoptr(GHmac) hmac = NULL;

  g_assert_cmpuint (strlen (key_hex), ==, 64);
  for (int i = 0; i < 32; i++)
    key[i] = (guchar) (g_ascii_xdigit_value (key_hex[2 * i]) << 4 | g_ascii_xdigit_value (key_hex[2 * i + 1]));
  hmac = g_hmac_new (G_CHECKSUM_SHA256, key, sizeof key);
  g_hmac_update (hmac, (const guchar *) body, length);
  g_string_append_printf (out, ",\"signature\":\"hmac-sha256:%s\"}\n", g_hmac_get_string (hmac));
  return g_string_free_to_bytes (g_steal_pointer (&out));
}

GBytes *
sync_util_rewrite (GBytes      *changeset,
                   const char  *key_hex,
                   void       (*edit) (JsonObject *root, gpointer data),
                   gpointer     data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  gsize length;
  const char *bytes = g_bytes_get_data (changeset, &length);
  JsonObject *root;

  json_parser_load_from_data (parser, bytes, (gssize) length, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  json_object_remove_member (root, "signature");
  if (edit != NULL)
    edit (root, data);
  json_generator_set_root (generator, json_parser_get_root (parser));
  text = json_generator_to_data (generator, &length);
  g_assert_cmpint (text[length - 1], ==, '}');
  return sync_util_sign (text, length - 1, key_hex);
}

char *
sync_util_dump (TsuStore           *store,
                const char * const *districts)
{
  g_autoptr(GError) error = NULL;
  char *dump = tsu_store_sync_dump (store, districts, &error);

  g_assert_no_error (error);
  return dump;
}

char *
sync_util_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("tsu-sync-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
sync_util_rmdir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        sync_util_rmdir (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}
