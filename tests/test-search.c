/* test-search.c: finding households by name, kana, address and phone
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "tsu-store-households.h"
#include "tsu-store-private.h"
#include "tsu-store-purge.h"
#include "tsu-store.h"
#include "tsu-text.h"

typedef struct
{
  TsuStore *store;
  char     *yamada;     /* 山田 太郎 and 山田 花子, 上野丸之内 */
  char     *nakamori;   /* 中森 正, 阿保 */
  char     *tanaka;     /* ﾀﾅｶ (half-width kana only), phone 0595-21-1234 */
  char     *hanako;     /* the resident 山田 花子 */
} Fixture;

static char *
add_household (TsuStore   *store,
               const char *address,
               const char *phone)
{
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(GError) error = NULL;
  char *id;

  json_object_set_string_member (fields, "address", address);
  if (phone != NULL)
    json_object_set_string_member (fields, "phone", phone);
  id = tsu_store_create (store, "household", fields, &error);
  g_assert_no_error (error);
  return id;
}

static char *
add_resident (TsuStore   *store,
              const char *household,
              const char *name,
              const char *kana,
              int         position)
{
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(GError) error = NULL;
  char *id;

  json_object_set_string_member (fields, "household_id", household);
  json_object_set_string_member (fields, "name", name);
  json_object_set_string_member (fields, "kana", kana);
  json_object_set_int_member (fields, "position", position);
  id = tsu_store_create (store, "resident", fields, &error);
  g_assert_no_error (error);
  return id;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->store = tsu_store_open (":memory:", &error);
  g_assert_no_error (error);

  fixture->yamada = add_household (fixture->store, "伊賀市上野丸之内500", "0595-26-0001");
  g_free (add_resident (fixture->store, fixture->yamada, "山田 太郎", "ヤマダ タロウ", 0));
  fixture->hanako = add_resident (fixture->store, fixture->yamada, "山田 花子", "ヤマダ ハナコ", 1);
  fixture->nakamori = add_household (fixture->store, "伊賀市阿保1234", NULL);
  g_free (add_resident (fixture->store, fixture->nakamori, "中森 正", "ナカモリ タダシ", 0));
  fixture->tanaka = add_household (fixture->store, "伊賀市柘植町1", "0595-21-1234");
  g_free (add_resident (fixture->store, fixture->tanaka, "田中 一", "ﾀﾅｶ ﾊｼﾞﾒ", 0));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->store);
  g_free (fixture->yamada);
  g_free (fixture->nakamori);
  g_free (fixture->tanaka);
  g_free (fixture->hanako);
}

static GPtrArray *
search (Fixture    *fixture,
        const char *query)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *results = tsu_store_search (fixture->store, query, 20, &error);

  g_assert_no_error (error);
  g_assert_nonnull (results);
  return results;
}

static const char *
first_id (GPtrArray *results)
{
  g_assert_cmpuint (results->len, >, 0);
  return tsu_household_get_id (results->pdata[0]);
}

static void
test_fold (void)
{
  g_autofree char *a = tsu_text_fold ("ヤマダ タロウ");
  g_autofree char *b = tsu_text_fold ("ﾔﾏﾀﾞ　ﾀﾛｳ");
  g_autofree char *c = tsu_text_fold ("やまだたろう");
  g_autofree char *d = tsu_text_fold ("ＡＢＣ１２３");
  g_autofree char *e = tsu_text_fold ("桐ヶ丘");
  g_autofree char *f = tsu_text_fold ("桐ケ丘");

  g_assert_cmpstr (a, ==, "やまだたろう");
  g_assert_cmpstr (b, ==, "やまだたろう");
  g_assert_cmpstr (c, ==, "やまだたろう");
  g_assert_cmpstr (d, ==, "abc123");
  g_assert_cmpstr (e, ==, f);
}

static void
test_search_kana (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) hiragana = search (fixture, "やまだ");
  g_autoptr(GPtrArray) katakana = search (fixture, "ヤマダ");
  g_autoptr(GPtrArray) halfwidth = search (fixture, "たなか");

  g_assert_cmpuint (hiragana->len, ==, 1);
  g_assert_cmpstr (first_id (hiragana), ==, fixture->yamada);
  g_assert_cmpstr (tsu_household_get_head_name (hiragana->pdata[0]), ==, "山田 太郎");
  g_assert_cmpuint (katakana->len, ==, 1);
  g_assert_cmpstr (first_id (halfwidth), ==, fixture->tanaka);
}

static void
test_search_short_kanji (Fixture       *fixture,
                         gconstpointer  data)
{
  /* One and two kanji: what trigram FTS alone cannot find. */
  g_autoptr(GPtrArray) one = search (fixture, "山");
  g_autoptr(GPtrArray) two = search (fixture, "中森");
  g_autoptr(GPtrArray) infix = search (fixture, "田");
  g_autoptr(GPtrArray) given = search (fixture, "花子");

  g_assert_cmpuint (one->len, ==, 1);
  g_assert_cmpstr (first_id (one), ==, fixture->yamada);
  g_assert_cmpuint (two->len, ==, 1);
  g_assert_cmpstr (first_id (two), ==, fixture->nakamori);
  /* 田中 starts with 田: a prefix hit ranks before 山田's infix hit. */
  g_assert_cmpuint (infix->len, ==, 2);
  g_assert_cmpstr (first_id (infix), ==, fixture->tanaka);
  g_assert_cmpuint (given->len, ==, 1);
  g_assert_cmpstr (tsu_household_get_match (given->pdata[0]), ==, "山田 花子");
}

static void
test_search_address_phone (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) address = search (fixture, "丸之内");
  g_autoptr(GPtrArray) fullwidth = search (fixture, "伊賀市阿保１２３４");
  g_autoptr(GPtrArray) phone = search (fixture, "21-1234");
  g_autoptr(GPtrArray) phone_prefix = search (fixture, "0595-26");
  g_autoptr(GPtrArray) nothing = search (fixture, "存在しない名前");

  g_assert_cmpstr (first_id (address), ==, fixture->yamada);
  g_assert_cmpstr (first_id (fullwidth), ==, fixture->nakamori);
  g_assert_cmpstr (first_id (phone), ==, fixture->tanaka);
  g_assert_cmpstr (first_id (phone_prefix), ==, fixture->yamada);
  g_assert_cmpuint (nothing->len, ==, 0);
}

static void
test_search_follows_edits (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) before = search (fixture, "なかもり");
  g_autoptr(GPtrArray) deleted = NULL;
  g_autoptr(GPtrArray) renamed = NULL;
  g_autoptr(JsonObject) fields = json_object_new ();

  g_assert_cmpuint (before->len, ==, 1);

  g_assert_true (tsu_store_delete (fixture->store, "household", fixture->nakamori, &error));
  deleted = search (fixture, "なかもり");
  g_assert_cmpuint (deleted->len, ==, 0);

  json_object_set_string_member (fields, "address", "伊賀市上野忍町2");
  g_assert_true (tsu_store_update (fixture->store, "household", fixture->tanaka, fields, &error));
  renamed = search (fixture, "忍町");
  g_assert_cmpuint (renamed->len, ==, 1);
  g_assert_cmpstr (first_id (renamed), ==, fixture->tanaka);
}

static void
test_search_fts_syntax (Fixture       *fixture,
                        gconstpointer  data)
{
  /* Quotes and operators are text, never query syntax. */
  g_autoptr(GPtrArray) quotes = search (fixture, "\"山田\" OR *");
  g_autoptr(GPtrArray) empty = search (fixture, "   ");

  g_assert_cmpuint (quotes->len, ==, 0);
  g_assert_cmpuint (empty->len, ==, 0);
}

/* Thirty households, one resident each, whose kana ヨシ?ロウ differ in one
 * letter: "?ロウ" is an infix of three characters that only the trigram
 * table finds, and finds in exactly one household. */
#define N_PAIRED 30
static const char * const paired_letters[N_PAIRED] = {
  "ア", "イ", "ウ", "エ", "オ", "カ", "キ", "ク", "ケ", "コ",
  "サ", "シ", "ス", "セ", "ソ", "タ", "チ", "ツ", "テ", "ト",
  "ナ", "ニ", "ヌ", "ネ", "ノ", "ハ", "ヒ", "フ", "ヘ", "ホ",
};

typedef struct
{
  char *households[N_PAIRED];
  char *residents[N_PAIRED];
} PairedData;

static void
paired_data_fill (PairedData *paired,
                  TsuStore   *store)
{
  for (guint i = 0; i < N_PAIRED; i++)
    {
      g_autofree char *address = g_strdup_printf ("伊賀市阿保%u", 100 + i);
      g_autofree char *kana = g_strdup_printf ("ヨシ%sロウ", paired_letters[i]);

      paired->households[i] = add_household (store, address, NULL);
      paired->residents[i] = add_resident (store, paired->households[i], kana, kana, 0);
    }
}

static void
paired_data_clear (PairedData *paired)
{
  for (guint i = 0; i < N_PAIRED; i++)
    {
      g_clear_pointer (&paired->households[i], g_free);
      g_clear_pointer (&paired->residents[i], g_free);
    }
}

static gint64
count_rows (TsuStore   *store,
            const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (store->db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

/* Every key has the trigram row of the same rowid, and nothing else does. */
static void
assert_keys_paired (TsuStore *store)
{
  gint64 keys = count_rows (store, "SELECT count(*) FROM search_key");

  g_assert_cmpint (keys, >, 0);
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM search_fts"), ==, keys);
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM search_key k JOIN search_fts f ON f.rowid = k.rowid"
                                      " AND f.key = k.key AND f.record_id = k.record_id"), ==, keys);
}

static GPtrArray *
search_store (TsuStore   *store,
              const char *query)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *results = tsu_store_search (store, query, 20, &error);

  g_assert_no_error (error);
  g_assert_nonnull (results);
  return results;
}

/* After holes in the rowids and a VACUUM, edits still remove the right
 * trigram rows: each household is found by its own infix, and only by it. */
static void
assert_infixes_after_edits (TsuStore   *store,
                            PairedData *paired)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) rename = json_object_new ();
  g_autoptr(GPtrArray) old_name = NULL;
  g_autoptr(GPtrArray) new_name = NULL;

  /* Resident 1 changes name, resident 2 is deleted, household 4 moves:
   * each write deletes the record's trigram rows by rowid. */
  json_object_set_string_member (rename, "name", "ヨシンロウ");
  json_object_set_string_member (rename, "kana", "ヨシンロウ");
  g_assert_true (tsu_store_update (store, "resident", paired->residents[1], rename, &error));
  g_assert_no_error (error);
  g_assert_true (tsu_store_delete (store, "resident", paired->residents[2], &error));
  g_assert_no_error (error);
  {
    g_autoptr(JsonObject) move = json_object_new ();

    json_object_set_string_member (move, "address", "伊賀市島ヶ原9");
    g_assert_true (tsu_store_update (store, "household", paired->households[4], move, &error));
    g_assert_no_error (error);
  }
  assert_keys_paired (store);

  for (guint i = 0; i < N_PAIRED; i++)
    {
      g_autofree char *infix = g_strdup_printf ("%sロウ", paired_letters[i]);
      g_autoptr(GPtrArray) results = search_store (store, infix);

      if (i % 3 == 0 || i == 1 || i == 2)
        {
          g_assert_cmpuint (results->len, ==, 0);
          continue;
        }
      g_assert_cmpuint (results->len, ==, 1);
      g_assert_cmpstr (first_id (results), ==, paired->households[i]);
    }
  old_name = search_store (store, "阿保104");
  g_assert_cmpuint (old_name->len, ==, 0);
  new_name = search_store (store, "ンロウ");
  g_assert_cmpuint (new_name->len, ==, 1);
  g_assert_cmpstr (first_id (new_name), ==, paired->households[1]);
  {
    g_autoptr(GPtrArray) moved = search_store (store, "島ヶ原9");

    g_assert_cmpuint (moved->len, ==, 1);
    g_assert_cmpstr (first_id (moved), ==, paired->households[4]);
  }
}

/* The search index pairs search_key and search_fts rows by rowid. VACUUM
 * (which purge-archived runs) may renumber the rowids of a table without an
 * INTEGER PRIMARY KEY; SQLite 3.40 does it when the table has no index, so
 * one case drops search_key's indexes for the VACUUM to make it happen
 * rather than rely on when this version happens not to. */
static void
test_search_survives_vacuum (gconstpointer data)
{
  gboolean without_indexes = GPOINTER_TO_INT (data) != 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(TsuStore) store = tsu_store_open (":memory:", &error);
  PairedData paired = { { NULL, }, };

  g_assert_no_error (error);
  paired_data_fill (&paired, store);

  /* Holes in the middle of the rowids: a renumbering VACUUM closes them. */
  for (guint i = 0; i < N_PAIRED; i += 3)
    {
      g_assert_true (tsu_store_delete (store, "resident", paired.residents[i], &error));
      g_assert_true (tsu_store_delete (store, "household", paired.households[i], &error));
      g_assert_no_error (error);
    }
  assert_keys_paired (store);

  if (without_indexes)
    g_assert_true (_tsu_store_exec (store, "DROP INDEX search_key_key; DROP INDEX search_key_record;", &error));
  g_assert_true (tsu_store_vacuum (store, &error));
  g_assert_no_error (error);
  if (without_indexes)
    g_assert_true (_tsu_store_exec (store, "CREATE INDEX search_key_key ON search_key (key);"
                                           "CREATE INDEX search_key_record ON search_key (record_id);", &error));
  g_assert_no_error (error);

  assert_keys_paired (store);
  assert_infixes_after_edits (store, &paired);
  paired_data_clear (&paired);
}

/* A file from schema 7, with holes in its rowids, keeps every key's rowid
 * through the migration, and its index works afterwards. */
static void
test_search_key_migration (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tsu-test-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "v7.db", NULL);
  g_autoptr(GHashTable) before = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autoptr(TsuStore) store = NULL;
  PairedData paired = { { NULL, }, };

  {
    g_autoptr(TsuStore) old = _tsu_store_open_at_version (path, 7, &error);
    g_autoptr(sqlite3_stmt) stmt = NULL;

    g_assert_no_error (error);
    g_assert_cmpint (tsu_store_get_schema_version (old), ==, 7);
    paired_data_fill (&paired, old);
    for (guint i = 0; i < N_PAIRED; i += 3)
      {
        g_assert_true (tsu_store_delete (old, "resident", paired.residents[i], &error));
        g_assert_true (tsu_store_delete (old, "household", paired.households[i], &error));
        g_assert_no_error (error);
      }
    g_assert_cmpint (sqlite3_prepare_v2 (old->db, "SELECT rowid, record_id || ' ' || key FROM search_key",
                                         -1, &stmt, NULL), ==, SQLITE_OK);
    while (sqlite3_step (stmt) == SQLITE_ROW)
      g_hash_table_insert (before, g_memdup2 (&(gint64) { sqlite3_column_int64 (stmt, 0) }, sizeof (gint64)),
                           g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
  }
  g_assert_cmpuint (g_hash_table_size (before), >, 0);

  store = tsu_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tsu_store_get_schema_version (store), ==, TSU_STORE_SCHEMA_VERSION);
  /* search_key.id is the rowid, so no VACUUM can renumber it. */
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM pragma_table_info('search_key')"
                                      " WHERE name = 'id' AND pk = 1 AND type = 'INTEGER'"), ==, 1);
  {
    g_autoptr(sqlite3_stmt) stmt = NULL;
    guint n = 0;

    g_assert_cmpint (sqlite3_prepare_v2 (store->db, "SELECT id, record_id || ' ' || key FROM search_key",
                                         -1, &stmt, NULL), ==, SQLITE_OK);
    while (sqlite3_step (stmt) == SQLITE_ROW)
      {
        gint64 id = sqlite3_column_int64 (stmt, 0);

        g_assert_cmpstr (g_hash_table_lookup (before, &id), ==, (const char *) sqlite3_column_text (stmt, 1));
        n++;
      }
    g_assert_cmpuint (n, ==, g_hash_table_size (before));
  }
  assert_keys_paired (store);
  g_assert_true (tsu_store_vacuum (store, &error));
  g_assert_no_error (error);
  assert_infixes_after_edits (store, &paired);

  g_clear_object (&store);
  paired_data_clear (&paired);
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

static void
test_list_households (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) households = tsu_store_list_households (fixture->store, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (households->len, ==, 3);
  /* あいうえお順 of the head's kana: たなか, なかもり, やまだ. */
  g_assert_cmpstr (tsu_household_get_id (households->pdata[0]), ==, fixture->tanaka);
  g_assert_cmpstr (tsu_household_get_id (households->pdata[2]), ==, fixture->yamada);
  g_assert_cmpuint (tsu_household_get_resident_count (households->pdata[2]), ==, 2);
  g_assert_null (tsu_household_get_last_visit (households->pdata[2]));
}

/* One district's list: only its households, in the same kana order. */
static void
test_list_district_households (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) district = json_object_new ();
  g_autoptr(JsonObject) move = json_object_new ();
  g_autoptr(GPtrArray) households = NULL;
  g_autoptr(GPtrArray) empty = NULL;
  g_autofree char *district_id = NULL;

  json_object_set_string_member (district, "name", "上野");
  district_id = tsu_store_create (fixture->store, "district", district, &error);
  g_assert_no_error (error);
  json_object_set_string_member (move, "district_id", district_id);
  tsu_store_update (fixture->store, "household", fixture->yamada, move, &error);
  g_assert_no_error (error);
  tsu_store_update (fixture->store, "household", fixture->tanaka, move, &error);
  g_assert_no_error (error);

  households = tsu_store_list_households (fixture->store, district_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (households->len, ==, 2);
  g_assert_cmpstr (tsu_household_get_id (households->pdata[0]), ==, fixture->tanaka);
  g_assert_cmpstr (tsu_household_get_id (households->pdata[1]), ==, fixture->yamada);
  g_assert_cmpstr (tsu_household_get_district_name (households->pdata[1]), ==, "上野");

  empty = tsu_store_list_households (fixture->store, "no-such-district", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (empty->len, ==, 0);
}

/* The list's summary (head, members, last visit) follows every write. */
static void
test_list_summary_follows_writes (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) visit = json_object_new ();
  g_autoptr(JsonObject) move = json_object_new ();
  g_autoptr(TsuHousehold) yamada = NULL;
  g_autoptr(TsuHousehold) nakamori = NULL;
  g_autoptr(TsuHousehold) after_delete = NULL;
  g_autofree char *visit_id = NULL;

  json_object_set_string_member (visit, "household_id", fixture->yamada);
  json_object_set_string_member (visit, "visited_at", "2026-11-20T10:30");
  json_object_set_string_member (visit, "contact_type", "visit");
  json_object_set_string_member (visit, "outcome", "met");
  visit_id = tsu_store_create (fixture->store, "visit", visit, &error);
  g_assert_no_error (error);

  /* 山田 花子 moves to the 中森 household: both summaries change. */
  json_object_set_string_member (move, "household_id", fixture->nakamori);
  g_assert_true (tsu_store_update (fixture->store, "resident", fixture->hanako, move, &error));
  g_assert_no_error (error);

  yamada = tsu_store_get_household (fixture->store, fixture->yamada, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tsu_household_get_last_visit (yamada), ==, "2026-11-20T10:30");
  g_assert_cmpuint (tsu_household_get_resident_count (yamada), ==, 1);
  nakamori = tsu_store_get_household (fixture->store, fixture->nakamori, &error);
  g_assert_cmpuint (tsu_household_get_resident_count (nakamori), ==, 2);
  g_assert_cmpstr (tsu_household_get_head_name (nakamori), ==, "中森 正");

  g_assert_true (tsu_store_delete (fixture->store, "visit", visit_id, &error));
  after_delete = tsu_store_get_household (fixture->store, fixture->yamada, &error);
  g_assert_null (tsu_household_get_last_visit (after_delete));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/text/fold", test_fold);
  g_test_add ("/search/kana", Fixture, NULL, fixture_setup, test_search_kana, fixture_teardown);
  g_test_add ("/search/short-kanji", Fixture, NULL, fixture_setup, test_search_short_kanji, fixture_teardown);
  g_test_add ("/search/address-phone", Fixture, NULL, fixture_setup, test_search_address_phone, fixture_teardown);
  g_test_add ("/search/follows-edits", Fixture, NULL, fixture_setup, test_search_follows_edits, fixture_teardown);
  g_test_add ("/search/fts-syntax", Fixture, NULL, fixture_setup, test_search_fts_syntax, fixture_teardown);
  g_test_add_data_func ("/search/survives-vacuum", GINT_TO_POINTER (0), test_search_survives_vacuum);
  g_test_add_data_func ("/search/survives-renumbering-vacuum", GINT_TO_POINTER (1),
                        test_search_survives_vacuum);
  g_test_add_func ("/search/key-migration", test_search_key_migration);
  g_test_add ("/households/list", Fixture, NULL, fixture_setup, test_list_households, fixture_teardown);
  g_test_add ("/households/list-district", Fixture, NULL, fixture_setup, test_list_district_households,
              fixture_teardown);
  g_test_add ("/households/summary-follows-writes", Fixture, NULL, fixture_setup, test_list_summary_follows_writes, fixture_teardown);

  return g_test_run ();
}
