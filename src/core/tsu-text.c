/* tsu-text.c: folding Japanese text and addresses for search and comparison
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Search keys are folded so that what a coordinator types matches what was
 * entered by someone else: full-width and half-width forms (NFKC), katakana
 * and hiragana, upper and lower case, spaces, and the old and new forms of
 * the kanji that place and family names are written with both ways (瀧/滝,
 * 東條/東条, 西之澤/西之沢) all compare equal.
 *
 * Addresses get a key of their own: the spreadsheets a 社協 keeps write the
 * same house as 「上野丸之内５００番地」, 「伊賀市上野丸之内 ５００」 or
 * 「三重県伊賀市上野丸之内五百」, and those must be one household.
 */
#include "config.h"

#include <string.h>

#include "tsu-text.h"

/* Old (旧字体) or variant forms → the form in everyday use. */
static const struct { gunichar from, to; } kanji_variants[] = {
  { 0x4F5B, 0x4ECF }, /* 佛 → 仏 */
  { 0x50B3, 0x4F1D }, /* 傳 → 伝 */
  { 0x5152, 0x5150 }, /* 兒 → 児 */
  { 0x5167, 0x5185 }, /* 內 → 内 */
  { 0x51A8, 0x5BCC }, /* 冨 → 富 */
  { 0x5340, 0x533A }, /* 區 → 区 */
  { 0x5718, 0x56E3 }, /* 團 → 団 */
  { 0x570B, 0x56FD }, /* 國 → 国 */
  { 0x5713, 0x5186 }, /* 圓 → 円 */
  { 0x5872, 0x5834 }, /* 塲 → 場 */
  { 0x58FD, 0x5BFF }, /* 壽 → 寿 */
  { 0x5BE6, 0x5B9F }, /* 實 → 実 */
  { 0x5CEF, 0x5CF0 }, /* 峯 → 峰 */
  { 0x5D5C, 0x5D0E }, /* 嵜 → 崎 */
  { 0x5D8B, 0x5CF6 }, /* 嶋 → 島 */
  { 0x5D8C, 0x5CF6 }, /* 嶌 → 島 */
  { 0x5EE3, 0x5E83 }, /* 廣 → 広 */
  { 0x5FB7, 0x5FB3 }, /* 德 → 徳 */
  { 0x60E0, 0x6075 }, /* 惠 → 恵 */
  { 0x66FE, 0x66FD }, /* 曾 → 曽 */
  { 0x6703, 0x4F1A }, /* 會 → 会 */
  { 0x6803, 0x67F3 }, /* 栁 → 柳 */
  { 0x689D, 0x6761 }, /* 條 → 条 */
  { 0x69C7, 0x69D9 }, /* 槇 → 槙 */
  { 0x69AE, 0x6804 }, /* 榮 → 栄 */
  { 0x6A9C, 0x6867 }, /* 檜 → 桧 */
  { 0x6ADB, 0x685C }, /* 櫻 → 桜 */
  { 0x6DE8, 0x6D44 }, /* 淨 → 浄 */
  { 0x6DFA, 0x6D45 }, /* 淺 → 浅 */
  { 0x6DF5, 0x6E15 }, /* 淵 → 渕 */
  { 0x6FA4, 0x6CA2 }, /* 澤 → 沢 */
  { 0x6FF1, 0x6D5C }, /* 濱 → 浜 */
  { 0x6FF5, 0x6D5C }, /* 濵 → 浜 */
  { 0x7027, 0x6EDD }, /* 瀧 → 滝 */
  { 0x7576, 0x5F53 }, /* 當 → 当 */
  { 0x771E, 0x771F }, /* 眞 → 真 */
  { 0x79AE, 0x793C }, /* 禮 → 礼 */
  { 0x7E23, 0x770C }, /* 縣 → 県 */
  { 0x842C, 0x4E07 }, /* 萬 → 万 */
  { 0x85CF, 0x8535 }, /* 藏 → 蔵 */
  { 0x908A, 0x8FBA }, /* 邊 → 辺 */
  { 0x9089, 0x8FBA }, /* 邉 → 辺 */
  { 0x9435, 0x9244 }, /* 鐵 → 鉄 */
  { 0x95DC, 0x95A2 }, /* 關 → 関 */
  { 0x975C, 0x9759 }, /* 靜 → 静 */
  { 0x9A5B, 0x99C5 }, /* 驛 → 駅 */
  { 0x9AD9, 0x9AD8 }, /* 髙 → 高 */
  { 0x9ED1, 0x9ED2 }, /* 黑 → 黒 */
  { 0x9F4A, 0x6589 }, /* 齊 → 斉 */
  { 0x9F4B, 0x658E }, /* 齋 → 斎 */
  { 0xFA11, 0x5D0E }, /* 﨑 → 崎 */
};

static gunichar
fold_variant (gunichar c)
{
  if (c < 0x4E00)
    return c;
  for (guint i = 0; i < G_N_ELEMENTS (kanji_variants); i++)
    if (kanji_variants[i].from == c)
      return kanji_variants[i].to;
  return c;
}

static gboolean
is_kanji (gunichar c)
{
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0xF900 && c <= 0xFAFF) || c == 0x3005 /* 々 */;
}

static gboolean
is_hiragana (gunichar c)
{
  return c >= 0x3041 && c <= 0x309F;
}

/* ヶ, ヵ, ケ, ガ and が written between the parts of a place name (桐ケ丘,
 * 島ヶ原, ゆめが丘, 希望ヶ丘) are read が and are the same name. */
static gboolean
is_ga_variant (const gunichar *s,
               glong           i,
               glong           n)
{
  gunichar c = s[i];

  if (c != 0x30F6 && c != 0x30F5 && c != 0x30B1 && c != 0x30AC && c != 0x304C)
    return FALSE;
  if (i == 0 || i + 1 >= n)
    return FALSE;
  if (!is_kanji (s[i + 1]))
    return FALSE;
  return is_kanji (s[i - 1]) || is_hiragana (s[i - 1]);
}

static gunichar
fold_char (gunichar c)
{
  /* Katakana ァ..ヶ (U+30A1..U+30F6) to hiragana ぁ..ゖ, except that ヵ and
   * ヶ, which are read か/が/け in place names, fold to their full forms. */
  if (c == 0x30F5)
    return 0x304B; /* ヵ → か */
  if (c == 0x30F6)
    return 0x3051; /* ヶ → け */
  if (c >= 0x30A1 && c <= 0x30F4)
    return c - 0x60;
  if (c == 0x30FD || c == 0x30FE)
    return c - 0x60; /* ヽヾ → ゝゞ */
  if (c >= 0x4E00)
    return fold_variant (c);
  return g_unichar_tolower (c);
}

/* TRUE if NFKC leaves the text as it is because every character is one
 * that has no decomposition and composes with nothing: ASCII, hiragana
 * ぁ..ゖ, katakana ァ..ー and the CJK unified ideographs. Names, kana and
 * most addresses are only these, and normalising them is most of the cost
 * of a search key. */
static gboolean
is_nfkc_stable (const char *text)
{
  const char *end;

  if (!g_utf8_validate (text, -1, &end))
    return FALSE;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c;

      if ((guchar) *p < 0x80)
        continue;
      c = g_utf8_get_char (p);
      if (!((c >= 0x3041 && c <= 0x3096) || (c >= 0x30A1 && c <= 0x30FC) ||
            (c >= 0x4E00 && c <= 0x9FFF)))
        return FALSE;
    }
  return TRUE;
}

static gunichar *
to_nfkc_ucs4 (const char *text,
              glong      *n)
{
  g_autofree char *nfkc = NULL;

  *n = 0;
  if (text == NULL)
    return NULL;
  if (is_nfkc_stable (text))
    return g_utf8_to_ucs4_fast (text, -1, n);
  nfkc = g_utf8_normalize (text, -1, G_NORMALIZE_NFKC);
  if (nfkc == NULL)
    return NULL;
  return g_utf8_to_ucs4_fast (nfkc, -1, n);
}

static void
fold_ucs4_into (GString        *out,
                const gunichar *s,
                glong           n)
{
  for (glong i = 0; i < n; i++)
    {
      gunichar c = s[i];

      if (g_unichar_isspace (c) || c == 0x30FB /* ・ */)
        continue;
      if (is_ga_variant (s, i, n))
        g_string_append_unichar (out, 0x304C); /* が */
      else
        g_string_append_unichar (out, fold_char (c));
    }
}

char *
tsu_text_fold (const char *text)
{
  g_autofree gunichar *s = NULL;
  GString *out;
  glong n;

  s = to_nfkc_ucs4 (text, &n);
  if (s == NULL)
    return g_strdup ("");

  out = g_string_sized_new (n * 3);
  fold_ucs4_into (out, s, n);
  return g_string_free (out, FALSE);
}

/* Small kana → large, for the loose key. */
static gunichar
unsmall (gunichar c)
{
  switch (c)
    {
    case 0x3041: case 0x3043: case 0x3045: case 0x3047: case 0x3049: /* ぁぃぅぇぉ */
    case 0x3063: /* っ */
    case 0x3083: case 0x3085: case 0x3087: /* ゃゅょ */
    case 0x308E: /* ゎ */
      return c + 1;
    case 0x3095: return 0x304B; /* ゕ → か */
    case 0x3096: return 0x3051; /* ゖ → け */
    case 0x3090: return 0x3044; /* ゐ → い */
    case 0x3091: return 0x3048; /* ゑ → え */
    case 0x3092: return 0x304A; /* を → お */
    case 0x3094: return 0x3076; /* ゔ → ぶ */
    case 0x4E4B: return 0x306E; /* 之 → の */
    default: return c;
    }
}

char *
tsu_text_fold_loose (const char *text)
{
  g_autofree char *folded = tsu_text_fold (text);
  GString *out = g_string_sized_new (strlen (folded));

  for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* Long vowels and dashes between kana are written, left out and
       * mistyped in every way; the loose key has none. */
      if (c == 0x30FC || c == 0x301C || c == 0xFF5E || c == '-' || c == 0x2010 ||
          c == 0x2015 || c == 0x2212)
        continue;
      g_string_append_unichar (out, unsmall (c));
    }
  return g_string_free (out, FALSE);
}

char *
tsu_text_digits_only (const char *text)
{
  g_autofree char *nfkc = NULL;
  GString *out;

  if (text == NULL)
    return g_strdup ("");

  /* Text that NFKC leaves as it is needs no normalising. */
  nfkc = is_nfkc_stable (text) ? g_strdup (text) : g_utf8_normalize (text, -1, G_NORMALIZE_NFKC);
  out = g_string_new (NULL);
  for (const char *p = nfkc; p != NULL && *p != '\0'; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

/* ---- numbers ---------------------------------------------------------- */

static int
kanji_digit (gunichar c)
{
  switch (c)
    {
    case 0x3007: case 0x96F6: return 0;  /* 〇 零 */
    case 0x4E00: case 0x58F1: return 1;  /* 一 壱 */
    case 0x4E8C: case 0x5F10: return 2;  /* 二 弐 */
    case 0x4E09: return 3;               /* 三 */
    case 0x56DB: return 4;               /* 四 */
    case 0x4E94: return 5;               /* 五 */
    case 0x516D: return 6;               /* 六 */
    case 0x4E03: return 7;               /* 七 */
    case 0x516B: return 8;               /* 八 */
    case 0x4E5D: return 9;               /* 九 */
    default: return -1;
    }
}

static int
kanji_unit (gunichar c)
{
  switch (c)
    {
    case 0x5341: case 0x62FE: return 10;   /* 十 拾 */
    case 0x767E: return 100;               /* 百 */
    case 0x5343: return 1000;              /* 千 */
    default: return 0;
    }
}

static gboolean
is_kanji_numeral (gunichar c)
{
  return kanji_digit (c) >= 0 || kanji_unit (c) > 0;
}

/* Parses s[*i..n) as a number; arabic digits (after NFKC) or kanji. */
static gboolean
parse_number_ucs4 (const gunichar *s,
                   glong           n,
                   glong          *i,
                   gint64         *value)
{
  glong j = *i;
  gint64 v = 0;

  if (j >= n)
    return FALSE;

  if (s[j] < 0x80 && g_ascii_isdigit ((char) s[j]))
    {
      while (j < n && s[j] < 0x80 && g_ascii_isdigit ((char) s[j]) && v < G_GINT64_CONSTANT (100000000000))
        v = v * 10 + (s[j++] - '0');
      *i = j;
      *value = v;
      return TRUE;
    }

  if (!is_kanji_numeral (s[j]))
    return FALSE;

  {
    /* 五百 = 5 × 100; 十二 = 10 + 2; 二〇二四 = positional digits. */
    gint64 total = 0, digits = 0;
    gboolean have_digits = FALSE, positional = TRUE;
    glong k;

    for (k = j; k < n && is_kanji_numeral (s[k]); k++)
      if (kanji_unit (s[k]) > 0)
        positional = FALSE;

    if (positional)
      {
        for (k = j; k < n && kanji_digit (s[k]) >= 0 && v < G_GINT64_CONSTANT (100000000000); k++)
          v = v * 10 + kanji_digit (s[k]);
        *i = k;
        *value = v;
        return TRUE;
      }

    for (k = j; k < n && is_kanji_numeral (s[k]); k++)
      {
        int d = kanji_digit (s[k]);
        int unit = kanji_unit (s[k]);

        if (d >= 0)
          {
            digits = digits * 10 + d;
            have_digits = TRUE;
          }
        else
          {
            total += (have_digits ? digits : 1) * unit;
            digits = 0;
            have_digits = FALSE;
          }
      }
    total += digits;
    *i = k;
    *value = total;
    return TRUE;
  }
}

gboolean
tsu_text_parse_number (const char  *text,
                       gint64      *value,
                       const char **end)
{
  const char *p = text;
  gint64 v = 0;
  gboolean any = FALSE;

  g_return_val_if_fail (text != NULL, FALSE);

  /* Work character by character on the original text so that END points
   * into it; NFKC of one character is enough for digits. */
  if (g_unichar_isdigit (g_utf8_get_char (p)))
    {
      while (*p != '\0' && g_unichar_isdigit (g_utf8_get_char (p)))
        {
          v = v * 10 + g_unichar_digit_value (g_utf8_get_char (p));
          p = g_utf8_next_char (p);
          any = TRUE;
        }
    }
  else
    {
      g_autofree gunichar *s = NULL;
      glong n = 0, count = 0, i = 0;
      const char *q = text;

      while (*q != '\0' && is_kanji_numeral (g_utf8_get_char (q)))
        {
          q = g_utf8_next_char (q);
          count++;
        }
      if (count == 0)
        return FALSE;
      s = g_utf8_to_ucs4_fast (text, q - text, &n);
      any = parse_number_ucs4 (s, n, &i, &v);
      p = g_utf8_offset_to_pointer (text, i);
    }

  if (!any)
    return FALSE;
  if (value != NULL)
    *value = v;
  if (end != NULL)
    *end = p;
  return TRUE;
}

/* ---- addresses -------------------------------------------------------- */

static gboolean
is_dash (gunichar c)
{
  return c == '-' || c == 0x2010 || c == 0x2011 || c == 0x2012 || c == 0x2013 ||
         c == 0x2014 || c == 0x2015 || c == 0x2212 || c == 0x30FC || c == 0xFF70 ||
         c == 0x2500 || c == 0x2501;
}

static gboolean
at (const gunichar *s,
    glong           n,
    glong           i,
    const char     *word)
{
  for (const char *p = word; *p != '\0'; p = g_utf8_next_char (p), i++)
    if (i >= n || s[i] != g_utf8_get_char (p))
      return FALSE;
  return TRUE;
}

static glong
word_len (const char *word)
{
  return g_utf8_strlen (word, -1);
}

static char *
ucs4_to_utf8 (const gunichar *s,
              glong           n)
{
  char *text = g_ucs4_to_utf8 (s, n, NULL, NULL, NULL);
  return text != NULL ? text : g_strdup ("");
}

/* Whether a kanji numeral run at s[i] is a number in the address (五百番地,
 * 十二, 一丁目) and not part of a town name (三田, 七本木, 四十九町, 一之宮). */
static gboolean
kanji_number_starts_here (const gunichar *s,
                          glong           n,
                          glong           i)
{
  glong j = i;
  gint64 v;

  if (!is_kanji_numeral (s[i]))
    return FALSE;
  if (!parse_number_ucs4 (s, n, &j, &v))
    return FALSE;
  if (j >= n)
    return TRUE;
  if (at (s, n, j, "丁目") || at (s, n, j, "番") || at (s, n, j, "号") ||
      at (s, n, j, "地割") || is_dash (s[j]))
    return TRUE;
  if ((s[j] == 0x306E /* の */ || s[j] == 0x30CE /* ノ */) && j + 1 < n &&
      (is_kanji_numeral (s[j + 1]) || (s[j + 1] < 0x80 && g_ascii_isdigit ((char) s[j + 1]))))
    return TRUE;
  return FALSE;
}

static gboolean
is_ascii_digit (gunichar c)
{
  return c < 0x80 && g_ascii_isdigit ((char) c);
}

/* Strips a leading prefecture (三重県, 東京都, 北海道…): returns its length. */
static glong
prefecture_len (const gunichar *s,
                glong           n)
{
  static const char * const special[] = { "北海道", "東京都", "京都府", "大阪府" };

  for (guint k = 0; k < G_N_ELEMENTS (special); k++)
    if (at (s, n, 0, special[k]))
      return word_len (special[k]);
  for (glong j = 2; j <= 3 && j < n; j++)
    {
      if (s[j] == 0x770C /* 県 */)
        {
          for (glong k = 0; k < j; k++)
            if (!is_kanji (s[k]))
              return 0;
          return j + 1;
        }
    }
  return 0;
}

static glong
city_len (const gunichar *s,
          glong           n,
          gboolean        after_prefecture)
{
  /* 伊賀市 is always the city; another X市 only right after a prefecture,
   * since a town name may begin with a kanji and 市 (市部). */
  if (at (s, n, 0, "伊賀市"))
    return 3;
  if (!after_prefecture)
    return 0;
  for (glong j = 1; j <= 4 && j < n - 1; j++)
    {
      if (!is_kanji (s[j - 1]))
        return 0;
      if (s[j] == 0x5E02 /* 市 */)
        return j + 1;
    }
  return 0;
}

TsuAddress *
tsu_address_parse (const char *address)
{
  g_autofree gunichar *raw = NULL;
  g_autofree gunichar *s = NULL;
  TsuAddress *result = g_new0 (TsuAddress, 1);
  GString *block = g_string_new (NULL);
  glong n_raw = 0, n = 0, i = 0;
  glong len;
  gboolean town_prefix = FALSE;

  raw = to_nfkc_ucs4 (address, &n_raw);
  s = g_new0 (gunichar, n_raw + 1);

  /* Spaces never matter in an address; fold old kanji forms so that 瀧 and
   * 滝 are one town. */
  for (glong k = 0; k < n_raw; k++)
    if (!g_unichar_isspace (raw[k]) && raw[k] != 0x3000)
      s[n++] = fold_variant (raw[k]);

  len = prefecture_len (s, n);
  if (len > 0)
    {
      result->prefecture = ucs4_to_utf8 (s, len);
      i = len;
    }
  len = city_len (s + i, n - i, result->prefecture != NULL);
  if (len > 0)
    {
      result->city = ucs4_to_utf8 (s + i, len);
      i += len;
    }
  else if (at (s, n, i, "上野市"))
    {
      /* The former 上野市 (until 2004): its towns are now 伊賀市上野… */
      result->city = g_strdup ("上野市");
      i += 3;
      town_prefix = TRUE;
    }

  /* The town: everything up to the first number. 大字 and 字 are markers,
   * not part of the name. */
  {
    g_autofree gunichar *town = g_new0 (gunichar, n + 3);
    glong t = 0;

    if (town_prefix)
      {
        town[t++] = 0x4E0A; /* 上 */
        town[t++] = 0x91CE; /* 野 */
      }
    while (i < n)
      {
        if (is_ascii_digit (s[i]) || kanji_number_starts_here (s, n, i))
          break;
        if (is_dash (s[i]) && t > 0 && s[i] != 0x30FC)
          break;
        if (at (s, n, i, "大字"))
          {
            i += 2;
            continue;
          }
        if (s[i] == 0x5B57 /* 字 */)
          {
            i++;
            continue;
          }
        town[t++] = s[i++];
      }
    result->town = ucs4_to_utf8 (town, t);
  }

  /* 丁目 */
  {
    glong j = i;
    gint64 v;

    if (parse_number_ucs4 (s, n, &j, &v) && at (s, n, j, "丁目") && v > 0 && v < 100)
      {
        result->chome = (guint) v;
        i = j + 2;
        if (i < n && is_dash (s[i]))
          i++;
      }
    else if (parse_number_ucs4 (s, n, &j, &v) && at (s, n, j, "丁") && v > 0 && v < 100)
      {
        result->chome = (guint) v;
        i = j + 1;
      }
  }

  /* 番地・番・号・の・- between numbers all become "-". */
  while (i < n)
    {
      glong j = i;
      gint64 v;

      if (!parse_number_ucs4 (s, n, &j, &v))
        break;
      if (block->len > 0)
        g_string_append_c (block, '-');
      g_string_append_printf (block, "%" G_GINT64_FORMAT, v);
      i = j;

      if (at (s, n, i, "番地"))
        i += 2;
      else if (at (s, n, i, "地割"))
        i += 2;
      else if (s[i] == 0x756A /* 番 */ || s[i] == 0x53F7 /* 号 */)
        i++;

      if (i < n && (is_dash (s[i]) || s[i] == 0x306E /* の */ || s[i] == 0x30CE /* ノ */))
        {
          glong k = i + 1;
          gint64 w;

          if (parse_number_ucs4 (s, n, &k, &w))
            i++;
          else
            break;
        }
    }
  result->block = g_string_free (block, FALSE);
  result->rest = ucs4_to_utf8 (s + i, n - i);

  result->town_key = tsu_address_town_key (result->town, result->chome);
  {
    GString *key = g_string_new (result->town_key);
    g_autofree char *rest = tsu_text_fold (result->rest);

    if (*result->block != '\0')
      {
        if (key->len > 0)
          g_string_append_c (key, ' ');
        g_string_append (key, result->block);
      }
    if (*rest != '\0')
      {
        g_string_append_c (key, ' ');
        g_string_append (key, rest);
      }
    result->key = g_string_free (key, FALSE);
  }

  return result;
}

char *
tsu_address_town_key (const char *town,
                      guint       chome)
{
  g_autofree char *folded = tsu_text_fold (town);

  if (chome > 0)
    return g_strdup_printf ("%s%u丁目", folded, chome);
  return g_steal_pointer (&folded);
}

void
tsu_address_free (TsuAddress *address)
{
  if (address == NULL)
    return;
  g_free (address->prefecture);
  g_free (address->city);
  g_free (address->town);
  g_free (address->block);
  g_free (address->rest);
  g_free (address->town_key);
  g_free (address->key);
  g_free (address);
}

char *
tsu_address_normalize (const char *address)
{
  g_autoptr(TsuAddress) parsed = tsu_address_parse (address);

  return g_strdup (parsed->key);
}
