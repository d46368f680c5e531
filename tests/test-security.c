/* test-security.c: changesets in transit are sealed and signed; revoked
 * devices, replays and tampering are refused with the database unchanged
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sqlite3.h>
#include <sodium.h>

#include "sync-util.h"
#include "tsu-changeset-private.h"
#include "tsu-store-purge.h"

typedef struct
{
  TsuStore *hub;
  TsuStore *l1;
  TsuStore *l2;
  char     *d1, *d2;
  char     *district;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *districts[2];

  f->hub = tsu_store_open (":memory:", &error);
  g_assert_no_error (error);
  f->l1 = tsu_store_open (":memory:", &error);
  g_assert_no_error (error);
  f->l2 = tsu_store_open (":memory:", &error);
  g_assert_no_error (error);
  tsu_store_set_actor (f->l1, "山田");
  f->district = sync_util_make_record (f->hub, "district", "name", "上野東部", NULL);
  g_free (sync_util_make_record (f->hub, "household", "district_id", f->district, "address", "伊賀市上野丸之内1", NULL));
  districts[0] = f->district;
  districts[1] = NULL;
  f->d1 = sync_util_register (f->hub, f->l1, "laptop 1", districts, NULL);
  f->d2 = sync_util_register (f->hub, f->l2, "laptop 2", districts, NULL);

  /* Both laptops take their first file, with the district. */
  {
    g_autoptr(GBytes) to_l1 = sync_util_export (f->hub, f->d1);
    g_autoptr(GBytes) to_l2 = sync_util_export (f->hub, f->d2);

    sync_util_import (f->l1, to_l1, NULL, &error);
    g_assert_no_error (error);
    sync_util_import (f->l2, to_l2, NULL, &error);
    g_assert_no_error (error);
  }
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->hub);
  g_clear_object (&f->l1);
  g_clear_object (&f->l2);
  g_free (f->d1);
  g_free (f->d2);
  g_free (f->district);
}

/* Imports @file into @store, expects refusal with @code and a message
 * holding @needle, and checks that the database did not change. */
static void
assert_refused (TsuStore   *store,
                GBytes     *file,
                int         code,
                const char *needle)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = sync_util_dump (store, NULL);
  g_autofree char *after = NULL;

  g_assert_false (sync_util_import (store, file, NULL, &error));
  g_assert_error (error, TSU_STORE_ERROR, code);
  if (strstr (error->message, needle) == NULL)
    g_error ("“%s” not in “%s”", needle, error->message);
  after = sync_util_dump (store, NULL);
  g_assert_cmpstr (before, ==, after);
}

/* The file shows its format, version, sender and recipient, and nothing
 * of the records it carries. */
static void
test_sealed (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GBytes) file = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  const char *text;

  g_free (sync_util_make_record (f->l1, "household", "district_id", f->district, "address", "伊賀市秘密町1", NULL));
  file = sync_util_export (f->l1, NULL);
  text = g_bytes_get_data (file, NULL);
  g_assert_null (g_strstr_len (text, (gssize) g_bytes_get_size (file), "秘密"));
  g_assert_null (g_strstr_len (text, (gssize) g_bytes_get_size (file), "household"));

  node = json_from_string (text, &error);
  g_assert_no_error (error);
  root = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, TSU_CHANGESET_FORMAT);
  g_assert_cmpint (json_object_get_int_member (root, "version"), ==, TSU_CHANGESET_VERSION);
  g_assert_cmpstr (json_object_get_string_member (root, "sender"), ==, f->d1);
  g_assert_cmpstr (json_object_get_string_member (root, "recipient"), ==, tsu_store_get_replica_id (f->hub));
  g_assert_cmpint (json_object_get_int_member (root, "seq"), >, 0);

  sync_util_import (f->hub, file, NULL, &error);
  g_assert_no_error (error);
}

static void
test_wrong_recipient (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GBytes) for_l2 = sync_util_export (f->hub, f->d2);
  g_autoptr(GBytes) from_l1 = NULL;
  g_autoptr(TsuStore) other_hub = NULL;
  g_autoptr(TsuStore) stranger = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *l2_before = sync_util_dump (f->l2, NULL);
  g_autofree char *l2_after = NULL;
  g_autofree char *district = NULL;
  g_autofree char *stranger_id = NULL;

  assert_refused (f->l1, for_l2, TSU_STORE_ERROR_AUTH, f->d2);

  /* Another hub, with devices of its own, refuses a file sealed to this
   * hub. */
  other_hub = tsu_store_open (":memory:", &error);
  g_assert_no_error (error);
  stranger = tsu_store_open (":memory:", &error);
  g_assert_no_error (error);
  district = sync_util_make_record (other_hub, "district", "name", "阿山", NULL);
  {
    const char *d[] = { district, NULL };

    stranger_id = sync_util_register (other_hub, stranger, "stranger", d, NULL);
  }
  g_free (sync_util_make_record (f->l1, "household", "district_id", f->district, "address", "伊賀市1", NULL));
  from_l1 = sync_util_export (f->l1, NULL);
  assert_refused (other_hub, from_l1, TSU_STORE_ERROR_AUTH, "another hub");

  /* Laptop 2 still takes its own file. */
  sync_util_import (f->l2, for_l2, NULL, &error);
  g_assert_no_error (error);
  l2_after = sync_util_dump (f->l2, NULL);
  g_assert_cmpstr (l2_before, !=, l2_after);
}

/* Changed bytes anywhere: in the payload, in the header, in the signature. */
static void
test_tampered (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GBytes) good = NULL;
  gsize length;
  const char *bytes;
  static const char *places[] = { "\"payload\":\"", "\"seq\":", "\"signature\":\"ed25519-sha256:" };
  g_autoptr(GError) error = NULL;

  g_free (sync_util_make_record (f->l1, "household", "district_id", f->district, "address", "伊賀市2", NULL));
  good = sync_util_export (f->l1, NULL);
  bytes = g_bytes_get_data (good, &length);

  for (guint i = 0; i < G_N_ELEMENTS (places); i++)
    {
      g_autofree char *copy = g_strndup (bytes, length);
      char *p = strstr (copy, places[i]);
      g_autoptr(GBytes) bad = NULL;

      g_assert_nonnull (p);
      p += strlen (places[i]) + 3;
      /* Another digit, valid in a number, base64 and hex alike. */
      *p = *p == '1' ? '2' : '1';
      bad = g_bytes_new (copy, length);
      assert_refused (f->hub, bad, TSU_STORE_ERROR_AUTH, "signature");
    }

  /* A file sealed to the hub but signed by another device's key: laptop 2
   * cannot pass off its file as laptop 1's. */
  {
    g_autoptr(GBytes) from_l2 = sync_util_export (f->l2, NULL);
    g_autofree char *text = g_strndup (g_bytes_get_data (from_l2, NULL), g_bytes_get_size (from_l2));
    g_autoptr(GString) forged = g_string_new (text);
    g_autoptr(GBytes) bad = NULL;

    g_string_replace (forged, f->d2, f->d1, 0);
    bad = g_bytes_new (forged->str, forged->len);
    assert_refused (f->hub, bad, TSU_STORE_ERROR_AUTH, "signature is wrong");
  }

  /* A file of the previous envelope version (plain Ed25519) is refused
   * before its signature is looked at, saying why; so is a newer one. */
  {
    g_autofree char *copy = g_strndup (bytes, length);
    char *version = strstr (copy, "\"version\":3,");
    g_autoptr(GBytes) old = NULL;
    g_autoptr(GBytes) newer = NULL;

    g_assert_nonnull (version);
    version[strlen ("\"version\":")] = '2';
    old = g_bytes_new (copy, length);
    assert_refused (f->hub, old, TSU_STORE_ERROR_AUTH, "format version 2");
    version[strlen ("\"version\":")] = '4';
    newer = g_bytes_new (copy, length);
    assert_refused (f->hub, newer, TSU_STORE_ERROR_TOO_NEW, "format version 4");
  }

  /* An old, unencrypted file is refused. */
  {
    g_autoptr(GBytes) plain = sync_util_export_payload (f->l1, NULL);

    assert_refused (f->hub, plain, TSU_STORE_ERROR_AUTH, "not encrypted");
  }

  sync_util_import (f->hub, good, NULL, &error);
  g_assert_no_error (error);
}


/* Signs @text again with laptop 1's key, as its own file would be. */
static GBytes *
resign_as_l1 (Fixture    *f,
              const char *text)
{
  g_autofree char *sk_hex = tsu_store_sync_get_state (f->l1, "sign_secret");
  guchar sk[crypto_sign_SECRETKEYBYTES], sig[crypto_sign_BYTES];
  char sig_hex[crypto_sign_BYTES * 2 + 1];
  const char *end = strstr (text, ",\"signature\":");
  g_autoptr(GString) out = NULL;

  g_assert_nonnull (sk_hex);
  g_assert_nonnull (end);
  g_assert_cmpint (sodium_hex2bin (sk, sizeof sk, sk_hex, strlen (sk_hex), NULL, NULL, NULL), ==, 0);
  {
    TsuEnvelopeDigest *digest = _tsu_envelope_digest_new ();

    _tsu_envelope_digest_update (digest, text, (gsize) (end - text));
    _tsu_envelope_digest_sign (digest, sk, sig);
  }
  sodium_bin2hex (sig_hex, sizeof sig_hex, sig, sizeof sig);
  out = g_string_new_len (text, end - text);
  g_string_append_printf (out, ",\"signature\":\"ed25519-sha256:%s\"}\n", sig_hex);
  return g_bytes_new (out->str, out->len);
}

/* A correctly signed file whose payload is not canonical base64 (a
 * character outside the alphabet, bits left over before the padding, a
 * length that is not a multiple of 4) is refused as damaged; re-signing
 * the unchanged text is accepted, so the refusals are the base64's. */
static void
test_payload_base64 (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GBytes) good = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  char *start, *end;

  g_free (sync_util_make_record (f->l1, "household", "district_id", f->district, "address", "伊賀市4", NULL));
  good = sync_util_export (f->l1, NULL);
  text = g_strndup (g_bytes_get_data (good, NULL), g_bytes_get_size (good));
  start = strstr (text, "\"payload\":\"") + strlen ("\"payload\":\"");
  end = strchr (start, '"');
  g_assert_cmpint ((end - start) % 4, ==, 0);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GString) bad = g_string_new (text);
      g_autoptr(GBytes) file = NULL;
      gsize at = (gsize) (start - text);
      gsize len = (gsize) (end - start);

      if (i == 0)
        bad->str[at + len / 2] = '*';
      else if (i == 1)
        {
          /* The last character before the padding with a low bit set:
           * four padded endings decode the same unless they are refused. */
          gsize last = at + len - 1;

          while (bad->str[last] == '=')
            last--;
          if (bad->str[at + len - 1] != '=')
            {
              /* No padding: drop one character to break the length. */
              g_string_erase (bad, (gssize) last, 1);
            }
          else
            {
              static const char alphabet[] =
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
              gsize value = (gsize) (strchr (alphabet, bad->str[last]) - alphabet);

              bad->str[last] = alphabet[value ^ 1];
            }
        }
      else
        g_string_erase (bad, (gssize) (at + len / 2), 1);
      file = resign_as_l1 (f, bad->str);
      assert_refused (f->hub, file, TSU_STORE_ERROR_INVALID, "damaged");
    }

  {
    g_autoptr(GBytes) same = resign_as_l1 (f, text);

    sync_util_import (f->hub, same, NULL, &error);
    g_assert_no_error (error);
  }
}

/* A file delivered again, or an older file after a newer one, changes
 * nothing and says so. */
static void
test_replayed (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) second = NULL;
  g_autoptr(GBytes) to_laptop = NULL;
  g_autoptr(GError) error = NULL;

  g_free (sync_util_make_record (f->l1, "household", "district_id", f->district, "address", "伊賀市3", NULL));
  first = sync_util_export (f->l1, NULL);
  second = sync_util_export (f->l1, NULL);
  sync_util_import (f->hub, first, NULL, &error);
  g_assert_no_error (error);
  assert_refused (f->hub, first, TSU_STORE_ERROR_ALREADY_IMPORTED, "imported already");
  sync_util_import (f->hub, second, NULL, &error);
  g_assert_no_error (error);
  assert_refused (f->hub, first, TSU_STORE_ERROR_ALREADY_IMPORTED, "imported already");

  /* The same on the laptop for the hub's files. */
  to_laptop = sync_util_export (f->hub, f->d1);
  sync_util_import (f->l1, to_laptop, NULL, &error);
  g_assert_no_error (error);
  assert_refused (f->l1, to_laptop, TSU_STORE_ERROR_ALREADY_IMPORTED, "imported already");
}

static void
test_revoked (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GBytes) before_revoke = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_free (sync_util_make_record (f->l1, "household", "district_id", f->district, "address", "伊賀市4", NULL));
  before_revoke = sync_util_export (f->l1, NULL);

  g_assert_false (tsu_hub_device_is_revoked (f->hub, f->d1));
  tsu_hub_revoke_device (f->hub, f->d1, &error);
  g_assert_no_error (error);
  g_assert_true (tsu_hub_device_is_revoked (f->hub, f->d1));
  g_assert_false (tsu_hub_device_is_revoked (f->hub, f->d2));

  /* Its files are refused, even one written before the revocation. */
  assert_refused (f->hub, before_revoke, TSU_STORE_ERROR_AUTH, "revoked");
  /* And it receives nothing. */
  g_assert_false (tsu_changeset_export (f->hub, f->d1, out, NULL, &error));
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "revoked"));
  g_clear_error (&error);
  {
    gsize n = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out));

    g_assert_cmpuint (n, ==, 0);
  }

  /* Unknown ids are an error, not a silent success. */
  g_assert_false (tsu_hub_revoke_device (f->hub, "00000000-0000-4000-8000-000000000000", &error));
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Laptop 2 goes on as before. */
  {
    g_autoptr(GBytes) for_l2 = sync_util_export (f->hub, f->d2);

    sync_util_import (f->l2, for_l2, NULL, &error);
    g_assert_no_error (error);
  }
}

/* A key file without encryption keys (an older hub's) is refused. */
static void
test_old_key_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsuStore) laptop = tsu_store_open (":memory:", &error);
  const char *old = "{\"format\":\"tsunagu-device-key\",\"version\":1,"
                    "\"hub\":\"6f1c2f0e-8d3a-4b7e-9c41-2a5d7e9b0c13\","
                    "\"device\":\"a4e1b2c3-d5f6-4a7b-8c9d-0e1f2a3b4c5d\",\"name\":\"x\",\"districts\":[],"
                    "\"key\":\"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\"}";

  g_assert_no_error (error);
  g_assert_false (tsu_sync_register_with_hub (laptop, old, strlen (old), &error));
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "register the device again"));
  g_assert_false (tsu_sync_is_registered (laptop));
}

/* Whether the bytes of the database file (and its WAL) contain @text. */
static gboolean
file_contains (const char *path,
               const char *text)
{
  const char *suffixes[] = { "", "-wal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *name = g_strconcat (path, suffixes[i], NULL);
      g_autofree char *data = NULL;
      gsize length = 0;

      if (!g_file_get_contents (name, &data, &length, NULL))
        continue;
      if (memmem (data, length, text, strlen (text)) != NULL)
        return TRUE;
    }
  return FALSE;
}

/* A retention purge removes every trace of the household, on the replica
 * that ran it and, through sync, at the hub. */
static void
test_purge (void)
{
  g_autofree char *dir = sync_util_tmpdir ();
  g_autofree char *hub_path = g_build_filename (dir, "hub.db", NULL);
  g_autofree char *laptop_path = g_build_filename (dir, "laptop.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TsuStore) hub = tsu_store_open (hub_path, &error);
  g_autoptr(TsuStore) laptop = tsu_store_open (laptop_path, &error);
  g_autofree char *district = NULL;
  g_autofree char *device = NULL;
  g_autofree char *gone = NULL;
  g_autofree char *gone_resident = NULL;
  g_autofree char *gone_visit = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *kept_resident = NULL;
  guint n_households = 99, n_records = 0;
  const char *districts[2];

  g_assert_no_error (error);
  tsu_store_set_actor (laptop, "山田");
  district = sync_util_make_record (hub, "district", "name", "上野東部", NULL);
  districts[0] = district;
  districts[1] = NULL;
  device = sync_util_register (hub, laptop, "laptop", districts, NULL);
  {
    g_autoptr(GBytes) first = sync_util_export (hub, device);

    sync_util_import (laptop, first, NULL, &error);
    g_assert_no_error (error);
  }

  gone = sync_util_make_record (laptop, "household", "district_id", district, "address", "伊賀市消去町9", NULL);
  gone_resident = sync_util_make_record (laptop, "resident", "household_id", gone, "name", "伊賀 消去太郎", NULL);
  sync_util_update (laptop, "resident", gone_resident, "name", "伊賀 消去次郎");
  gone_visit = sync_util_make_record (laptop, "visit", "household_id", gone, "visited_at", "2026-11-01T10:00", "contact_type", "home", "outcome", "met",
                                      "note", "消去メモ", NULL);
  kept = sync_util_make_record (laptop, "household", "district_id", district, "address", "伊賀市残町1", NULL);
  kept_resident = sync_util_make_record (laptop, "resident", "household_id", kept, "name", "伊賀 残花子", NULL);
  sync_util_update (laptop, "household", gone, "status", "moved");
  {
    g_autoptr(GBytes) up = sync_util_export (laptop, NULL);

    sync_util_import (hub, up, NULL, &error);
    g_assert_no_error (error);
  }
  g_usleep (5000);

  /* A reason is required. */
  g_assert_false (tsu_store_purge_archived (laptop, 0, "  ", NULL, NULL, &error));
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* Archived only minutes ago: not older than a day, nothing purged. */
  tsu_store_purge_archived (laptop, 1, "保存期間満了", &n_households, &n_records, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_households, ==, 0);
  {
    g_autoptr(JsonObject) still_there = tsu_store_get_record (laptop, "resident", gone_resident, NULL);

    g_assert_nonnull (still_there);
  }

  tsu_store_purge_archived (laptop, 0, "保存期間満了", &n_households, &n_records, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_households, ==, 1);
  g_assert_cmpuint (n_records, ==, 3);
  g_assert_cmpint (tsu_store_purge_count_log (laptop), ==, 2);
  tsu_store_vacuum (laptop, &error);
  g_assert_no_error (error);

  g_assert_true (file_contains (laptop_path, "伊賀 残花子"));   /* the search works */
  g_assert_false (file_contains (laptop_path, "消去太郎"));
  g_assert_false (file_contains (laptop_path, "消去次郎"));
  g_assert_false (file_contains (laptop_path, "消去町"));
  g_assert_false (file_contains (laptop_path, "消去メモ"));
  {
    g_autoptr(JsonObject) household = tsu_store_get_record (laptop, "household", gone, NULL);

    g_assert_nonnull (household);
    g_assert_cmpstr (json_object_get_string_member (household, "status"), ==, TSU_HOUSEHOLD_STATUS_PURGED);
  }

  /* The operation log is append-only again after the purge. */
  {
    sqlite3 *db;

    g_assert_cmpint (sqlite3_open (laptop_path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "UPDATE oplog SET actor = 'x'", NULL, NULL, NULL), ==, SQLITE_CONSTRAINT);
    sqlite3_close (db);
  }

  /* The purge goes to the hub with the next file, and the hub purges too. */
  {
    g_autoptr(GBytes) up = sync_util_export (laptop, NULL);

    sync_util_import (hub, up, NULL, &error);
    g_assert_no_error (error);
  }
  tsu_store_vacuum (hub, &error);
  g_assert_no_error (error);
  g_assert_true (file_contains (hub_path, "伊賀 残花子"));
  g_assert_false (file_contains (hub_path, "消去太郎"));
  g_assert_false (file_contains (hub_path, "消去次郎"));
  g_assert_false (file_contains (hub_path, "消去メモ"));
  {
    g_autoptr(JsonObject) resident = tsu_store_get_record (hub, "resident", gone_resident, NULL);

    g_assert_true (resident == NULL || !json_object_has_member (resident, "name") ||
                   json_object_get_null_member (resident, "name"));
  }

  g_clear_object (&hub);
  g_clear_object (&laptop);
  sync_util_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/security/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("sealed", test_sealed);
  ADD ("wrong-recipient", test_wrong_recipient);
  ADD ("tampered", test_tampered);
  ADD ("payload-base64", test_payload_base64);
  ADD ("replayed", test_replayed);
  ADD ("revoked", test_revoked);
#undef ADD
  g_test_add_func ("/security/old-key-file", test_old_key_file);
  g_test_add_func ("/security/purge", test_purge);
  return g_test_run ();
}
