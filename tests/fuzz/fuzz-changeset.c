/* fuzz-changeset.c: libFuzzer target for changeset parsing and import
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is a changeset: a sealed envelope or the payload inside one.
 * It goes to the envelope reader and to the payload reader as it is, and once more signed
 * with the fixed device key of the fixture (any signature member in the
 * input is cut off first), so that mutations reach the validation and the
 * import, not only the signature check. Both a hub and a registered laptop
 * import it, each inside an outer transaction that is rolled back, so every
 * input meets the same database. The fixture's ids and key are those of
 * the example in docs/changeset-format.md, which is a seed.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "tsu-changeset.h"
#include "tsu-changeset-private.h"
#include "tsu-store-sync.h"

#define HUB_ID "6f1c2f0e-8d3a-4b7e-9c41-2a5d7e9b0c13"
#define DEVICE_ID "a4e1b2c3-d5f6-4a7b-8c9d-0e1f2a3b4c5d"
#define LAPTOP_ID "5e2a7c1d-3f4b-4a6c-9d8e-7f0a1b2c3d4e"
#define DISTRICT_ID "3b0d9f6e-1c2a-4e5b-8f7d-6a9c0b1e2d3f"
#define KEY_HEX "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define SIG_PREFIX ",\"signature\":\"hmac-sha256:"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static TsuStore *hub;
static TsuStore *laptop;

static TsuStore *
open_with_replica (const char *dir,
                   const char *name,
                   const char *replica)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *sql = g_strdup_printf ("UPDATE meta SET value = '%s' WHERE key = 'replica_id'", replica);
  TsuStore *store;
  sqlite3 *db;

  store = tsu_store_open (path, NULL);
  g_assert (store != NULL);
  g_object_unref (store);
  g_assert (sqlite3_open (path, &db) == SQLITE_OK);
  g_assert (sqlite3_exec (db, sql, NULL, NULL, NULL) == SQLITE_OK);
  sqlite3_close (db);
  store = tsu_store_open (path, NULL);
  g_assert (store != NULL);
  return store;
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autofree char *dir = g_dir_make_tmp ("tsu-fuzz-XXXXXX", NULL);
  g_autoptr(JsonObject) fields = json_object_new ();

  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL);
  hub = open_with_replica (dir, "hub.db", HUB_ID);
  laptop = open_with_replica (dir, "laptop.db", LAPTOP_ID);

  json_object_set_string_member (fields, "name", "上野東部");
  g_assert (tsu_store_create_with_id (hub, "district", DISTRICT_ID, fields, NULL));
  g_assert (tsu_store_sync_set_state (hub, "role", "hub", NULL));
  g_assert (tsu_store_hub_add_device (hub, DEVICE_ID, "fuzz", KEY_HEX, DISTRICT_ID, NULL));

  g_assert (tsu_store_create_with_id (laptop, "district", DISTRICT_ID, fields, NULL));
  g_assert (tsu_store_sync_set_state (laptop, "role", "device", NULL));
  g_assert (tsu_store_sync_set_state (laptop, "hub_id", HUB_ID, NULL));
  g_assert (tsu_store_sync_set_state (laptop, "device_id", DEVICE_ID, NULL));
  g_assert (tsu_store_sync_set_state (laptop, "key", KEY_HEX, NULL));
  return 0;
}

static void
import_into (TsuStore   *store,
             const char *data,
             gsize       length)
{
  g_autoptr(GError) error = NULL;
  TsuSyncCounts counts;

  if (!tsu_store_begin (store, NULL))
    abort ();
  /* The envelope reader first (it refuses almost everything before the
   * signature check), then the payload reader the envelope leads to. */
  if (!tsu_changeset_import (store, data, length, &counts, &error))
    {
      if (error == NULL || error->message == NULL || *error->message == '\0')
        abort ();
      g_clear_error (&error);
    }
  if (!_tsu_changeset_import_payload (store, data, length, NULL, &counts, &error))
    {
      /* Every refusal says why. */
      if (error == NULL || error->message == NULL || *error->message == '\0')
        abort ();
      if (g_getenv ("TSU_FUZZ_VERBOSE") != NULL)
        g_printerr ("%s: %s\n", store == hub ? "hub" : "laptop", error->message);
    }
  else if (g_getenv ("TSU_FUZZ_VERBOSE") != NULL)
    g_printerr ("%s: imported %u operations\n", store == hub ? "hub" : "laptop", counts.operations);
  tsu_store_rollback (store);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text = (const char *) data;
  g_autoptr(GString) signed_copy = NULL;
  gsize body_len = size;
  const char *sig;
  guchar key[32];
  g_autoptr(GHmac) hmac = NULL;

  import_into (hub, size > 0 ? text : "", size);
  import_into (laptop, size > 0 ? text : "", size);

  /* Cut an existing signature, or the closing brace, and sign. */
  sig = g_strstr_len (text, (gssize) size, SIG_PREFIX);
  if (sig != NULL)
    body_len = (gsize) (sig - text);
  else
    {
      while (body_len > 0 && g_ascii_isspace (text[body_len - 1]))
        body_len--;
      if (body_len > 0 && text[body_len - 1] == '}')
        body_len--;
    }
  for (int i = 0; i < 32; i++)
    key[i] = (guchar) i;
  hmac = g_hmac_new (G_CHECKSUM_SHA256, key, sizeof key);
  g_hmac_update (hmac, data, body_len);
  signed_copy = g_string_new_len (text, (gssize) body_len);
  g_string_append_printf (signed_copy, SIG_PREFIX "%s\"}\n", g_hmac_get_string (hmac));

  import_into (hub, signed_copy->str, signed_copy->len);
  import_into (laptop, signed_copy->str, signed_copy->len);
  return 0;
}
