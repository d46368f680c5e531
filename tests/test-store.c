/* test-store.c: the core store: schema, writes, operation log, bad files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "tsu-hlc.h"
#include "tsu-store-households.h"
#include "tsu-store-private.h"
#include "tsu-store.h"

typedef struct
{
  char     *dir;
  char     *path;
  TsuStore *store;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("tsu-test-store-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "test.db", NULL);
  fixture->store = tsu_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->store);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&fixture->store);
  dir = g_dir_open (fixture->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static char *
make_district (TsuStore *store)
{
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(GError) error = NULL;
  char *id;

  json_object_set_string_member (fields, "name", "上野南部");
  json_object_set_string_member (fields, "kana", "うえのなんぶ");
  id = tsu_store_create (store, "district", fields, &error);
  g_assert_no_error (error);
  return id;
}

static void
test_store_create_read (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *district = make_district (fixture->store);
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  g_assert_true (g_uuid_string_is_valid (district));

  json_object_set_string_member (fields, "district_id", district);
  json_object_set_string_member (fields, "address", "伊賀市上野丸之内500");
  json_object_set_int_member (fields, "flags", 5);
  id = tsu_store_create (fixture->store, "household", fields, &error);
  g_assert_no_error (error);
  g_assert_true (g_uuid_string_is_valid (id));
  /* A random (version 4, RFC 4122 variant) UUID in lower case. */
  g_assert_cmpint (id[14], ==, '4');
  g_assert_nonnull (strchr ("89ab", id[19]));
  {
    g_autofree char *lower = g_ascii_strdown (id, -1);
    g_assert_cmpstr (id, ==, lower);
  }
  g_assert_cmpstr (id, !=, district);

  record = tsu_store_get_record (fixture->store, "household", id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (record, "address"), ==, "伊賀市上野丸之内500");
  g_assert_cmpint (json_object_get_int_member (record, "flags"), ==, 5);
  g_assert_cmpstr (json_object_get_string_member (record, "district_id"), ==, district);
  g_assert_false (json_object_get_boolean_member (record, "deleted"));
}

/* A create for an id that exists (create_with_id again, or an operation
 * for a record the replica already has) is applied last-writer-wins, not
 * inserted twice; an older operation loses to the stored values. */
static void
test_store_create_existing_id (Fixture       *fixture,
                               gconstpointer  data)
{
  const char *id = "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
  g_autoptr(JsonObject) first = json_object_new ();
  g_autoptr(JsonObject) second = json_object_new ();
  g_autoptr(JsonObject) older = json_object_new ();
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(GPtrArray) found_new = NULL;
  g_autoptr(GPtrArray) found_old = NULL;
  g_autoptr(GPtrArray) households = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *old_hlc = g_strdup_printf ("%016d-0000-%s", 1, tsu_store_get_replica_id (fixture->store));
  TsuApplyResult result = TSU_APPLY_DUPLICATE;

  json_object_set_string_member (first, "address", "伊賀市阿保1234");
  g_assert_true (tsu_store_create_with_id (fixture->store, "household", id, first, &error));
  g_assert_no_error (error);
  json_object_set_string_member (second, "address", "伊賀市柘植町99");
  json_object_set_string_member (second, "phone", "0595-45-0001");
  g_assert_true (tsu_store_create_with_id (fixture->store, "household", id, second, &error));
  g_assert_no_error (error);

  /* An operation from long ago for the same record, as sync may deliver it. */
  json_object_set_string_member (older, "address", "伊賀市古い住所1");
  json_object_set_string_member (older, "note", "古いメモ");
  g_assert_true (tsu_store_begin (fixture->store, &error));
  g_assert_true (_tsu_store_apply_operation (fixture->store, "household", id, older, NULL, 0, old_hlc, NULL,
                                             TRUE, NULL, NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_true (tsu_store_commit (fixture->store, &error));
  g_assert_cmpint (result, ==, TSU_APPLY_NEW);

  record = tsu_store_get_record (fixture->store, "household", id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (record, "address"), ==, "伊賀市柘植町99");
  g_assert_cmpstr (json_object_get_string_member (record, "phone"), ==, "0595-45-0001");
  /* A field nobody had set takes the old operation's value. */
  g_assert_cmpstr (json_object_get_string_member (record, "note"), ==, "古いメモ");
  g_assert_cmpuint (tsu_store_count_oplog (fixture->store, id), ==, 3);

  households = tsu_store_list_households (fixture->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (households->len, ==, 1);
  found_new = tsu_store_search (fixture->store, "柘植町", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found_new->len, ==, 1);
  found_old = tsu_store_search (fixture->store, "阿保", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found_old->len, ==, 0);
}

static void
test_store_required_fields (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  json_object_set_string_member (fields, "phone", "0595-00-0000");
  id = tsu_store_create (fixture->store, "household", fields, &error);
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID);
  g_assert_null (id);
  g_clear_error (&error);

  json_object_set_string_member (fields, "address", "伊賀市");
  json_object_set_string_member (fields, "no_such_field", "x");
  id = tsu_store_create (fixture->store, "household", fields, &error);
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID);
  g_assert_null (id);
}

static void
test_store_oplog_per_write (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(JsonObject) update = json_object_new ();
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  JsonObject *op_fields;

  tsu_store_set_actor (fixture->store, "coordinator-a");
  json_object_set_string_member (fields, "address", "伊賀市阿保1");
  id = tsu_store_create (fixture->store, "household", fields, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tsu_store_count_oplog (fixture->store, id), ==, 1);

  json_object_set_string_member (update, "phone", "0595-52-0000");
  g_assert_true (tsu_store_update (fixture->store, "household", id, update, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tsu_store_count_oplog (fixture->store, id), ==, 2);

  ops = tsu_store_list_oplog (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ops->len, ==, 2);
  /* Oldest first, each with a clock from this replica and the actor. */
  g_assert_cmpint (tsu_hlc_compare (json_object_get_string_member (ops->pdata[0], "hlc"),
                                    json_object_get_string_member (ops->pdata[1], "hlc")), <, 0);
  g_assert_cmpstr (json_object_get_string_member (ops->pdata[1], "replica"), ==,
                   tsu_store_get_replica_id (fixture->store));
  g_assert_cmpstr (json_object_get_string_member (ops->pdata[1], "actor"), ==, "coordinator-a");
  op_fields = json_object_get_object_member (ops->pdata[1], "fields");
  g_assert_cmpstr (json_object_get_string_member (op_fields, "phone"), ==, "0595-52-0000");
  g_assert_false (json_object_has_member (op_fields, "address"));
}

static void
test_store_update_missing (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(JsonObject) update = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_uuid_string_random ();

  json_object_set_string_member (update, "phone", "1");
  g_assert_false (tsu_store_update (fixture->store, "household", id, update, &error));
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_NOT_FOUND);
  g_assert_cmpuint (tsu_store_count_oplog (fixture->store, id), ==, 0);
}

static void
test_store_soft_delete (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *id = make_district (fixture->store);
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(JsonObject) stats = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (tsu_store_delete (fixture->store, "district", id, &error));
  g_assert_no_error (error);

  /* The row stays, marked as a tombstone; counts leave it out. */
  record = tsu_store_get_record (fixture->store, "district", id, &error);
  g_assert_no_error (error);
  g_assert_true (json_object_get_boolean_member (record, "deleted"));
  g_assert_cmpstr (json_object_get_string_member (record, "name"), ==, "上野南部");
  stats = tsu_store_get_stats (fixture->store, &error);
  g_assert_cmpint (json_object_get_int_member (stats, "districts"), ==, 0);
  g_assert_cmpuint (tsu_store_count_oplog (fixture->store, id), ==, 2);

  g_assert_true (tsu_store_undelete (fixture->store, "district", id, &error));
  g_clear_pointer (&stats, json_object_unref);
  stats = tsu_store_get_stats (fixture->store, &error);
  g_assert_cmpint (json_object_get_int_member (stats, "districts"), ==, 1);
}

static void
test_store_oplog_append_only (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *id = make_district (fixture->store);
  sqlite3 *db = NULL;
  char *message = NULL;

  g_clear_object (&fixture->store);
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM oplog", NULL, NULL, &message), !=, SQLITE_OK);
  sqlite3_free (message);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE oplog SET actor = 'x'", NULL, NULL, &message), !=, SQLITE_OK);
  sqlite3_free (message);
  sqlite3_close (db);
}

static void
test_store_replica_persists (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *replica = g_strdup (tsu_store_get_replica_id (fixture->store));
  g_autoptr(GError) error = NULL;

  g_assert_true (g_uuid_string_is_valid (replica));
  g_clear_object (&fixture->store);
  fixture->store = tsu_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tsu_store_get_replica_id (fixture->store), ==, replica);
  g_assert_cmpint (tsu_store_get_schema_version (fixture->store), ==, TSU_STORE_SCHEMA_VERSION);
}

static void
test_store_not_sqlite (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tsu-test-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "notes.db", NULL);
  g_autofree char *after = NULL;
  const char *contents = "これはデータベースではありません\nnot a database at all, just text\n";
  g_autoptr(TsuStore) store = NULL;

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  store = tsu_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_NOT_A_DATABASE);
  g_assert_nonnull (strstr (error->message, path));

  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, contents);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_store_too_new (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tsu-test-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "future.db", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_len, after_len;
  g_autoptr(TsuStore) store = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE t (x); INSERT INTO t VALUES (1); PRAGMA user_version = 99;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_true (g_file_get_contents (path, &before, &before_len, NULL));

  store = tsu_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "99"));

  g_assert_true (g_file_get_contents (path, &after, &after_len, NULL));
  g_assert_cmpuint (before_len, ==, after_len);
  g_assert_cmpmem (before, before_len, after, after_len);

  g_unlink (path);
  g_rmdir (dir);
}

/* A file written by the first release opens in this one: every migration
 * since runs forward, and what the old file held is still there. */
static void
test_store_migrate_from_v1 (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tsu-test-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "old.db", NULL);
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(TsuHousehold) household = NULL;
  g_autofree char *id = NULL;
  g_autofree char *replica = NULL;
  TsuStore *old;
  g_autoptr(TsuStore) store = NULL;

  old = _tsu_store_open_at_version (path, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tsu_store_get_schema_version (old), ==, 1);
  replica = g_strdup (tsu_store_get_replica_id (old));
  g_object_unref (old);

  /* Rows as version 1 wrote them, without any table added since. */
  id = g_uuid_string_random ();
  {
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;
    const char *hlc = "0001700000000000-0000-00000000-0000-4000-8000-000000000001";

    g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO household (id, hlc, hlc_mask, address, flags)"
                                             " VALUES (?1, ?2, 3, '伊賀市島ヶ原1', 3)", -1, &stmt, NULL), ==, SQLITE_OK);
    sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 2, hlc, -1, SQLITE_STATIC);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
    sqlite3_finalize (stmt);
    g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO oplog (hlc, replica, tbl, record_id, fields, received_ms)"
                                             " VALUES (?2, '00000000-0000-4000-8000-000000000001', 'household', ?1,"
                                             " '{\"address\":\"伊賀市島ヶ原1\",\"flags\":3}', 0)", -1, &stmt, NULL), ==, SQLITE_OK);
    sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 2, hlc, -1, SQLITE_STATIC);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
    sqlite3_finalize (stmt);
    sqlite3_close (db);
  }

  store = tsu_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tsu_store_get_schema_version (store), ==, TSU_STORE_SCHEMA_VERSION);
  g_assert_cmpstr (tsu_store_get_replica_id (store), ==, replica);
  record = tsu_store_get_record (store, "household", id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (record, "address"), ==, "伊賀市島ヶ原1");
  g_assert_cmpint (json_object_get_int_member (record, "flags"), ==, 3);
  g_assert_cmpuint (tsu_store_count_oplog (store, id), ==, 1);
  /* Version 2 derived the list summary from what was there. */
  household = tsu_store_get_household (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tsu_household_get_address (household), ==, "伊賀市島ヶ原1");
  g_assert_cmpuint (tsu_household_get_resident_count (household), ==, 0);

  g_clear_object (&store);
  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *file = g_build_filename (dir, name, NULL);
        g_unlink (file);
      }
  }
  g_rmdir (dir);
}

static gint64
fixed_now (gpointer data)
{
  return *(gint64 *) data;
}

static void
test_hlc_monotonic (void)
{
  g_autoptr(TsuHlcClock) clock = tsu_hlc_clock_new ("00000000-0000-4000-8000-000000000001");
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  gint64 now = 1700000000000;
  TsuHlc parsed;

  tsu_hlc_clock_set_now_func (clock, fixed_now, &now);
  a = tsu_hlc_clock_tick (clock);
  /* The wall clock goes back an hour: our own edits still sort in order. */
  now -= 3600 * 1000;
  b = tsu_hlc_clock_tick (clock);
  g_assert_cmpint (tsu_hlc_compare (a, b), <, 0);
  g_assert_true (tsu_hlc_parse (b, &parsed));
  g_assert_cmpint (parsed.physical_ms, ==, 1700000000000);
  g_assert_cmpuint (parsed.counter, ==, 1);

  /* A remote clock far in the future is refused; a near one is adopted. */
  g_assert_false (tsu_hlc_clock_observe (clock, "0001800000000000-0000-00000000-0000-4000-8000-000000000002",
                                         24 * 3600 * 1000, &error));
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_FUTURE);
  g_clear_error (&error);
  g_assert_true (tsu_hlc_clock_observe (clock, "0001700000005000-0003-00000000-0000-4000-8000-000000000002",
                                        24 * 3600 * 1000, &error));
  c = tsu_hlc_clock_tick (clock);
  g_assert_cmpint (tsu_hlc_compare (c, "0001700000005000-0003-00000000-0000-4000-8000-000000000002"), >, 0);

  g_assert_false (tsu_hlc_parse ("garbage", &parsed));
  g_assert_false (tsu_hlc_parse ("0001700000005000-00G3-00000000-0000-4000-8000-000000000002", &parsed));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/store/create-read", Fixture, NULL, fixture_setup, test_store_create_read, fixture_teardown);
  g_test_add ("/store/create-existing-id", Fixture, NULL, fixture_setup, test_store_create_existing_id,
              fixture_teardown);
  g_test_add ("/store/required-fields", Fixture, NULL, fixture_setup, test_store_required_fields, fixture_teardown);
  g_test_add ("/store/oplog-per-write", Fixture, NULL, fixture_setup, test_store_oplog_per_write, fixture_teardown);
  g_test_add ("/store/update-missing", Fixture, NULL, fixture_setup, test_store_update_missing, fixture_teardown);
  g_test_add ("/store/soft-delete", Fixture, NULL, fixture_setup, test_store_soft_delete, fixture_teardown);
  g_test_add ("/store/oplog-append-only", Fixture, NULL, fixture_setup, test_store_oplog_append_only, fixture_teardown);
  g_test_add ("/store/replica-persists", Fixture, NULL, fixture_setup, test_store_replica_persists, fixture_teardown);
  g_test_add_func ("/store/not-sqlite", test_store_not_sqlite);
  g_test_add_func ("/store/too-new", test_store_too_new);
  g_test_add_func ("/store/migrate-from-v1", test_store_migrate_from_v1);
  g_test_add_func ("/hlc/monotonic", test_hlc_monotonic);

  return g_test_run ();
}
