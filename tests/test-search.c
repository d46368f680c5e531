/* test-search.c: finding households by name, kana, address and phone
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tsu-store-households.h"
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
  g_test_add ("/households/list", Fixture, NULL, fixture_setup, test_list_households, fixture_teardown);
  g_test_add ("/households/list-district", Fixture, NULL, fixture_setup, test_list_district_households,
              fixture_teardown);
  g_test_add ("/households/summary-follows-writes", Fixture, NULL, fixture_setup, test_list_summary_follows_writes, fixture_teardown);

  return g_test_run ();
}
