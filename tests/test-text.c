/* test-text.c: folding and address normalisation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tsu-text.h"

static void
assert_fold (const char *a,
             const char *b)
{
  g_autofree char *fa = tsu_text_fold (a);
  g_autofree char *fb = tsu_text_fold (b);

  g_assert_cmpstr (fa, ==, fb);
}

static void
test_fold (void)
{
  g_autofree char *kana = tsu_text_fold ("ヤマダ　ﾀﾛｳ");

  g_assert_cmpstr (kana, ==, "やまだたろう");
  assert_fold ("桐ケ丘", "桐ヶ丘");
  assert_fold ("桐ケ丘", "桐が丘");
  assert_fold ("島ヶ原", "島ケ原");
  assert_fold ("ゆめが丘", "ゆめヶ丘");
  assert_fold ("玉瀧", "玉滝");
  assert_fold ("東條", "東条");
  assert_fold ("西之澤", "西之沢");
  assert_fold ("髙橋", "高橋");
  assert_fold ("渡邊", "渡辺");
  assert_fold ("ＡＢＣ１２３", "abc123");

  /* が elsewhere is not touched: a name is not a place. */
  {
    g_autofree char *f = tsu_text_fold ("ながい");
    g_assert_cmpstr (f, ==, "ながい");
  }
  /* ヶ alone (not between two parts of a name) stays け. */
  {
    g_autofree char *f = tsu_text_fold ("ヶ");
    g_assert_cmpstr (f, ==, "け");
  }
}

/* Text that NFKC leaves as it is skips normalising; text with anything
 * else (combining marks, half-width kana, full-width Latin next to kana and
 * kanji) still folds to the same key. */
static void
test_fold_stable (void)
{
  g_autofree char *plain = tsu_text_fold ("伊賀市上野丸之内 ヤマダ タロウ 12-3");
  g_autofree char *combining = tsu_text_fold ("か\u3099\u3099");
  g_autofree char *bad = tsu_text_fold ("\xff\xfe");
  g_autofree char *digits = tsu_text_digits_only ("0595-21-1234");
  g_autofree char *bad_digits = tsu_text_digits_only ("05\xff" "95");

  g_assert_cmpstr (plain, ==, "伊賀市上野丸之内やまだたろう12-3");
  g_assert_cmpstr (combining, ==, "が\u3099");
  g_assert_cmpstr (bad, ==, "");
  g_assert_cmpstr (digits, ==, "0595211234");
  g_assert_cmpstr (bad_digits, ==, "");
  assert_fold ("ヤマダ　ﾀﾛｳ", "ヤマダタロウ");
  assert_fold ("ｶﾞｽ１２３ＡＢ", "ガス123ab");
  assert_fold ("カ\u3099ス", "ガス");
}

static void
test_fold_loose (void)
{
  g_autofree char *a = tsu_text_fold_loose ("キョーコ");
  g_autofree char *b = tsu_text_fold_loose ("きよこ");
  g_autofree char *c = tsu_text_fold_loose ("上野丸之内");
  g_autofree char *d = tsu_text_fold_loose ("上野丸の内");
  g_autofree char *e = tsu_text_fold_loose ("ヴァイオリン");

  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (c, ==, d);
  g_assert_cmpstr (e, ==, "ぶあいおりん");
}

static void
test_digits (void)
{
  g_autofree char *d = tsu_text_digits_only ("０５９５-２１-１２３４");

  g_assert_cmpstr (d, ==, "0595211234");
}

static void
test_numbers (void)
{
  static const struct { const char *text; gint64 value; const char *rest; } cases[] = {
    { "五百", 500, "" },
    { "十二", 12, "" },
    { "二十", 20, "" },
    { "十", 10, "" },
    { "百五", 105, "" },
    { "千二百三十四番地", 1234, "番地" },
    { "二〇二四年", 2024, "年" },
    { "１２３号", 123, "号" },
    { "500", 500, "" },
    { "三", 3, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 value = -1;
      const char *end = NULL;

      g_assert_true (tsu_text_parse_number (cases[i].text, &value, &end));
      g_assert_cmpint (value, ==, cases[i].value);
      g_assert_cmpstr (end, ==, cases[i].rest);
    }
  g_assert_false (tsu_text_parse_number ("丸之内", NULL, NULL));
  g_assert_false (tsu_text_parse_number ("", NULL, NULL));
}

static void
test_address_agree (void)
{
  /* The cases of the issue, and more ways the same house is written. */
  static const char * const same[] = {
    "上野丸之内５００番地",
    "上野丸之内500",
    "伊賀市上野丸之内 ５００",
    "三重県伊賀市上野丸之内五百",
    "三重県 伊賀市 上野丸之内 500番地",
    "上野市丸之内500",
    "上野丸之内　５００",
  };
  g_autofree char *first = tsu_address_normalize (same[0]);

  g_assert_cmpstr (first, ==, "上野丸之内 500");
  for (guint i = 1; i < G_N_ELEMENTS (same); i++)
    {
      g_autofree char *key = tsu_address_normalize (same[i]);
      g_assert_cmpstr (key, ==, first);
    }
}

static void
test_address_forms (void)
{
  static const struct { const char *a; const char *b; } same[] = {
    { "ゆめが丘一丁目3番地の2", "ゆめが丘1丁目3-2" },
    { "ゆめが丘一丁目3番2号", "ゆめが丘1丁目3の2" },
    { "ゆめが丘1丁目3ー2", "ゆめが丘1丁目3−2" },
    { "桐ヶ丘二丁目5-3", "桐ケ丘2丁目5番地3" },
    { "大字玉瀧1234", "玉滝1234" },
    { "小田町字平松123", "小田町平松123" },
    { "東條45", "東条４５" },
    { "一之宮十二番地", "一之宮12" },
  };
  static const char * const different[][2] = {
    { "上野丸之内500", "上野丸之内501" },
    { "上野丸之内500-1", "上野丸之内5001" },
    { "ゆめが丘1丁目3-2", "ゆめが丘2丁目3-2" },
    { "上野丸之内500", "上野中町500" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (same); i++)
    {
      g_autofree char *a = tsu_address_normalize (same[i].a);
      g_autofree char *b = tsu_address_normalize (same[i].b);
      g_assert_cmpstr (a, ==, b);
    }
  for (guint i = 0; i < G_N_ELEMENTS (different); i++)
    {
      g_autofree char *a = tsu_address_normalize (different[i][0]);
      g_autofree char *b = tsu_address_normalize (different[i][1]);
      g_assert_cmpstr (a, !=, b);
    }
}

static void
test_address_parse (void)
{
  static const struct {
    const char *text;
    const char *prefecture, *city, *town;
    guint chome;
    const char *block, *rest;
  } cases[] = {
    { "三重県伊賀市上野丸之内500番地", "三重県", "伊賀市", "上野丸之内", 0, "500", "" },
    { "伊賀市市部１２３", NULL, "伊賀市", "市部", 0, "123", "" },
    { "三田1234", NULL, NULL, "三田", 0, "1234", "" },
    { "四十九町3000", NULL, NULL, "四十九町", 0, "3000", "" },
    { "七本木五百", NULL, NULL, "七本木", 0, "500", "" },
    { "上野三之西町12", NULL, NULL, "上野三之西町", 0, "12", "" },
    { "川上二丁目5番地", NULL, NULL, "川上", 2, "5", "" },
    { "服部町三丁目", NULL, NULL, "服部町", 3, "", "" },
    { "上野新町100 サンハイツ101号室", NULL, NULL, "上野新町", 0, "100", "サンハイツ101号室" },
    { "東京都新宿区西新宿2-8-1", "東京都", NULL, "新宿区西新宿", 0, "2-8-1", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TsuAddress) a = tsu_address_parse (cases[i].text);

      g_test_message ("%s", cases[i].text);
      g_assert_cmpstr (a->prefecture, ==, cases[i].prefecture);
      g_assert_cmpstr (a->city, ==, cases[i].city);
      g_assert_cmpstr (a->town, ==, cases[i].town);
      g_assert_cmpuint (a->chome, ==, cases[i].chome);
      g_assert_cmpstr (a->block, ==, cases[i].block);
      g_assert_cmpstr (a->rest, ==, cases[i].rest);
    }
}

static void
test_address_empty (void)
{
  g_autoptr(TsuAddress) a = tsu_address_parse (NULL);
  g_autoptr(TsuAddress) b = tsu_address_parse ("");

  g_assert_cmpstr (a->town, ==, "");
  g_assert_cmpstr (b->key, ==, "");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/text/fold", test_fold);
  g_test_add_func ("/text/fold-loose", test_fold_loose);
  g_test_add_func ("/text/fold-stable", test_fold_stable);
  g_test_add_func ("/text/digits", test_digits);
  g_test_add_func ("/text/numbers", test_numbers);
  g_test_add_func ("/text/address/agree", test_address_agree);
  g_test_add_func ("/text/address/forms", test_address_forms);
  g_test_add_func ("/text/address/parse", test_address_parse);
  g_test_add_func ("/text/address/empty", test_address_empty);

  return g_test_run ();
}
