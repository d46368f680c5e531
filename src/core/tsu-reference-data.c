/* tsu-reference-data.c: the categories and agencies every replica starts with
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reference data is data, not code: a 社協 can rename a category or add an
 * agency, and those edits sync like any other record. What lives here is only
 * the starting set. Its ids are derived from a name (kind and code), not
 * random, so that two laptops that each seeded it on first run hold the same
 * records instead of two copies of every category; seeding again never
 * overwrites an edit, it only adds what is missing.
 */
#include "config.h"

#include <string.h>

#include "tsu-household-flags.h"
#include "tsu-reference-data.h"

#define C(kind, code, label) { kind, code, label }

static const TsuReferenceCategory categories[] = {
  C ("contact_type", "visit", "訪問"),
  C ("contact_type", "phone", "電話"),
  C ("contact_type", "office", "来所"),
  C ("contact_type", "accompany", "同行訪問"),
  C ("contact_type", "agency", "関係機関連絡"),

  C ("outcome", "met", "面会"),
  C ("outcome", "absent", "不在"),
  C ("outcome", "refused", "拒否"),
  C ("outcome", "moved_unknown", "転居・不明"),

  C ("support_area", "elderly", "高齢"),
  C ("support_area", "disability", "障がい"),
  C ("support_area", "children", "子ども"),
  C ("support_area", "poverty", "生活困窮"),
  C ("support_area", "other", "その他"),

  /* The 14 content categories of the 民生委員活動記録 (福祉行政報告例). */
  C ("content", "home_welfare", "在宅福祉"),
  C ("content", "care_insurance", "介護保険"),
  C ("content", "health", "健康・保健医療"),
  C ("content", "childcare", "子育て・母子保健"),
  C ("content", "child_community", "子どもの地域生活"),
  C ("content", "child_school", "子どもの教育・学校生活"),
  C ("content", "living_costs", "生活費"),
  C ("content", "pension", "年金・保険"),
  C ("content", "work", "仕事"),
  C ("content", "family", "家族関係"),
  C ("content", "housing", "住居"),
  C ("content", "environment", "生活環境"),
  C ("content", "daily_support", "日常的な支援"),
  C ("content", "other", "その他"),

  C ("relationship", "head", "世帯主"),
  C ("relationship", "spouse", "配偶者"),
  C ("relationship", "child", "子"),
  C ("relationship", "parent", "親"),
  C ("relationship", "grandchild", "孫"),
  C ("relationship", "sibling", "兄弟姉妹"),
  C ("relationship", "other", "その他"),
};

/* Names as the agencies use them; phone numbers are left for the 社協 to
 * fill in rather than guessed. */
static const TsuReferenceAgency agencies[] = {
  { "houkatsu_central", "地域包括支援センター 中部相談支援室", "チイキホウカツシエンセンター チュウブソウダンシエンシツ", "community_care" },
  { "houkatsu_east", "地域包括支援センター 東部相談支援室", "チイキホウカツシエンセンター トウブソウダンシエンシツ", "community_care" },
  { "houkatsu_south", "地域包括支援センター 南部相談支援室", "チイキホウカツシエンセンター ナンブソウダンシエンシツ", "community_care" },
  { "disability_center", "障がい者相談支援センター", "ショウガイシャソウダンシエンセンター", "disability" },
  { "seikatsu_shien", "生活支援課", "セイカツシエンカ", "self_reliance" },
  { "oaiko", "くらしサポートセンターおあいこ", "クラシサポートセンターオアイコ", "self_reliance" },
  { "kodomo_katei", "こども家庭センター", "コドモカテイセンター", "children" },
  { "kodomo_mirai", "こども未来課", "コドモミライカ", "children" },
  { "kaigo_koureifukushi", "介護高齢福祉課", "カイゴコウレイフクシカ", "city" },
  { "shogai_fukushi", "障がい福祉課", "ショウガイフクシカ", "city" },
  { "shakyo_ueno", "社協 上野地域センター", "シャキョウ ウエノチイキセンター", "shakyo" },
  { "shakyo_iga", "社協 伊賀地域センター", "シャキョウ イガチイキセンター", "shakyo" },
  { "shakyo_shimagahara", "社協 島ヶ原地域センター", "シャキョウ シマガハラチイキセンター", "shakyo" },
  { "shakyo_ayama", "社協 阿山地域センター", "シャキョウ アヤマチイキセンター", "shakyo" },
  { "shakyo_ooyamada", "社協 大山田地域センター", "シャキョウ オオヤマダチイキセンター", "shakyo" },
  { "shakyo_aoyama", "社協 青山地域センター", "シャキョウ アオヤマチイキセンター", "shakyo" },
  { "minsei_council", "民生委員児童委員協議会", "ミンセイイインジドウイインキョウギカイ", "minsei" },
  { "hoken_center", "保健センター", "ホケンセンター", "city" },
};

/* Category rows in store order: the fixed list, then one per household
 * flag (kind "flag"), so that flags are named in the data too. */
const TsuReferenceCategory *
tsu_reference_data_get_categories (guint *n_categories)
{
  static TsuReferenceCategory *all = NULL;
  static guint n_all = 0;

  if (g_once_init_enter (&all))
    {
      const TsuHouseholdFlagInfo *flags;
      guint n_flags;
      TsuReferenceCategory *list;

      flags = tsu_household_flag_get_all (&n_flags);
      list = g_new0 (TsuReferenceCategory, G_N_ELEMENTS (categories) + n_flags);
      memcpy (list, categories, sizeof categories);
      for (guint i = 0; i < n_flags; i++)
        {
          list[G_N_ELEMENTS (categories) + i].kind = TSU_CATEGORY_FLAG;
          list[G_N_ELEMENTS (categories) + i].code = flags[i].code;
          list[G_N_ELEMENTS (categories) + i].label = flags[i].label;
        }
      n_all = G_N_ELEMENTS (categories) + n_flags;
      g_once_init_leave (&all, list);
    }

  if (n_categories != NULL)
    *n_categories = n_all;
  return all;
}

const TsuReferenceAgency *
tsu_reference_data_get_agencies (guint *n_agencies)
{
  if (n_agencies != NULL)
    *n_agencies = G_N_ELEMENTS (agencies);
  return agencies;
}

/* The built-in label of a category code, or NULL. */
const char *
tsu_reference_data_category_label (const char *kind,
                                   const char *code)
{
  const TsuReferenceCategory *all;
  guint n;

  all = tsu_reference_data_get_categories (&n);
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (all[i].kind, kind) == 0 && g_strcmp0 (all[i].code, code) == 0)
      return all[i].label;
  return NULL;
}

/* The code whose label is @label, or NULL: what a label a person typed
 * stands for. */
const char *
tsu_reference_data_category_code (const char *kind,
                                  const char *label)
{
  const TsuReferenceCategory *all;
  guint n;

  all = tsu_reference_data_get_categories (&n);
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (all[i].kind, kind) == 0 && g_strcmp0 (all[i].label, label) == 0)
      return all[i].code;
  return NULL;
}

/* A name-based UUID (the layout of RFC 4122 version 5, SHA-1 of a fixed
 * namespace string and the name): the same on every machine. */
char *
tsu_reference_data_make_id (const char *name)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 digest[20];
  gsize len = sizeof digest;

  g_checksum_update (checksum, (const guchar *) "jp.tsunagu.Tsunagu:", -1);
  g_checksum_update (checksum, (const guchar *) name, -1);
  g_checksum_get_digest (checksum, digest, &len);

  digest[6] = (digest[6] & 0x0f) | 0x50;
  digest[8] = (digest[8] & 0x3f) | 0x80;

  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          digest[0], digest[1], digest[2], digest[3], digest[4], digest[5],
                          digest[6], digest[7], digest[8], digest[9], digest[10], digest[11],
                          digest[12], digest[13], digest[14], digest[15]);
}

char *
tsu_reference_data_category_id (const char *kind,
                                const char *code)
{
  g_autofree char *name = g_strdup_printf ("category/%s/%s", kind, code);

  return tsu_reference_data_make_id (name);
}

char *
tsu_reference_data_agency_id (const char *code)
{
  g_autofree char *name = g_strdup_printf ("agency/%s", code);

  return tsu_reference_data_make_id (name);
}

/* TRUE if the record exists (deleted or not): a category a 社協 removed
 * stays removed. */
static gboolean
record_exists (TsuStore    *store,
               const char  *table,
               const char  *id,
               gboolean    *exists,
               GError     **error)
{
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(GError) local_error = NULL;

  record = tsu_store_get_record (store, table, id, &local_error);
  if (record != NULL)
    {
      *exists = TRUE;
      return TRUE;
    }
  if (g_error_matches (local_error, TSU_STORE_ERROR, TSU_STORE_ERROR_NOT_FOUND))
    {
      *exists = FALSE;
      return TRUE;
    }
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static gboolean
ensure_categories (TsuStore  *store,
                   GError   **error)
{
  const TsuReferenceCategory *all;
  const char *kind = NULL;
  guint n, order = 0;

  all = tsu_reference_data_get_categories (&n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = tsu_reference_data_category_id (all[i].kind, all[i].code);
      g_autoptr(JsonObject) fields = NULL;
      gboolean exists;

      /* sort_order counts within a kind, in steps of 10 so that a 社協 can
       * slot its own entries between. */
      if (g_strcmp0 (kind, all[i].kind) != 0)
        order = 0;
      kind = all[i].kind;
      order += 10;

      if (!record_exists (store, "category", id, &exists, error))
        return FALSE;
      if (exists)
        continue;

      fields = json_object_new ();
      json_object_set_string_member (fields, "kind", all[i].kind);
      json_object_set_string_member (fields, "code", all[i].code);
      json_object_set_string_member (fields, "label", all[i].label);
      json_object_set_int_member (fields, "sort_order", order);
      if (!tsu_store_create_with_id (store, "category", id, fields, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
ensure_agencies (TsuStore  *store,
                 GError   **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (agencies); i++)
    {
      g_autofree char *id = tsu_reference_data_agency_id (agencies[i].code);
      g_autoptr(JsonObject) fields = NULL;
      gboolean exists;

      if (!record_exists (store, "agency", id, &exists, error))
        return FALSE;
      if (exists)
        continue;

      fields = json_object_new ();
      json_object_set_string_member (fields, "name", agencies[i].name);
      json_object_set_string_member (fields, "kana", agencies[i].kana);
      json_object_set_string_member (fields, "kind", agencies[i].kind);
      json_object_set_int_member (fields, "sort_order", (i + 1) * 10);
      if (!tsu_store_create_with_id (store, "agency", id, fields, error))
        return FALSE;
    }
  return TRUE;
}

/* Adds the built-in categories and agencies that are missing; records that
 * exist (edited or deleted by the 社協) are left alone. One transaction:
 * either everything missing is added or nothing. */
gboolean
tsu_reference_data_ensure (TsuStore  *store,
                           GError   **error)
{
  g_return_val_if_fail (TSU_IS_STORE (store), FALSE);

  if (!tsu_store_begin (store, error))
    return FALSE;
  if (!ensure_categories (store, error) || !ensure_agencies (store, error))
    {
      tsu_store_rollback (store);
      return FALSE;
    }
  return tsu_store_commit (store, error);
}
