/* tsu-household-import.c: households from a 社協's spreadsheet
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An import is two passes. The preview works out every row — what would be
 * created, which rows are already in the store, what is wrong with each —
 * and writes nothing, so the coordinator can fix the spreadsheet first. The
 * run then writes the rows to create in one transaction, through the store's
 * write API (so the operation log and sync see ordinary records), and
 * records them as one batch that can be undone as a whole.
 *
 * A household already in the store is recognised by its normalised address
 * and the name of its head, so importing the same file twice adds nothing.
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "tsu-date.h"
#include "tsu-geojson.h"
#include "tsu-household-flags.h"
#include "tsu-household-import.h"
#include "tsu-store-import.h"
#include "tsu-text.h"

#define MAPPING_SETTING "household_mapping"

static const char * const targets[] = { TSU_IMPORT_TARGETS, NULL };

/* The labels of tsu-household-flags.h in bit order, NULL-terminated. */
static const char * const *
get_flag_labels (void)
{
  static const char **labels = NULL;

  if (g_once_init_enter (&labels))
    {
      guint n = 0;
      const TsuHouseholdFlagInfo *flags = tsu_household_flag_get_all (&n);
      const char **array = g_new0 (const char *, n + 1);

      for (guint i = 0; i < n; i++)
        {
          /* Bit i of household.flags is label i. */
          g_assert (flags[i].flag == (TsuHouseholdFlag) (1u << i));
          array[i] = flags[i].label;
        }
      g_once_init_leave (&labels, array);
    }
  return labels;
}

#define flag_labels (get_flag_labels ())

/* Column headers seen in real lists, per target; compared folded. */
static const struct { const char *target; const char *headers; } header_guesses[] = {
  { "name", "世帯主名|世帯主|世帯主氏名|氏名|名前|name" },
  { "kana", "フリガナ|ふりがな|カナ|氏名カナ|世帯主カナ|世帯主フリガナ|よみ|読み|kana" },
  { "address", "住所|所在地|住所1|address" },
  { "phone", "電話|電話番号|tel|phone|連絡先" },
  { "birth_date", "生年月日|誕生日|世帯主生年月日|birth_date|birthday" },
  { "jichikai", "自治会|自治会名|区|jichikai" },
  { "district", "地区|地区名|住民自治協議会|自治協議会|協議会|district" },
  { "flags", "フラグ|世帯区分|区分|属性|世帯の状況|flags" },
  { "note", "備考|メモ|特記事項|note" },
  { "minsei_iin", "民生委員|担当民生委員|minsei_iin" },
  { "lat", "緯度|lat|latitude" },
  { "lon", "経度|lng|lon|longitude" },
};

typedef struct
{
  char      *id;
  char      *name;
  GPtrArray *keys;      /* folded names to match a spreadsheet's 地区 against */
  TsuShape  *boundary;  /* or NULL */
  TsuBBox    bbox;
} District;

struct _TsuHouseholdImport
{
  GObject        parent_instance;

  TsuStore      *store;
  TsuGazetteer  *gazetteer;
  TsuCsv        *csv;
  char          *checksum;
  JsonObject    *mapping;
  GPtrArray     *rows;        /* TsuImportRow */
  gboolean       previewed;
  gint           progress;    /* atomic, 0..10000 */
};

G_DEFINE_FINAL_TYPE (TsuHouseholdImport, tsu_household_import, G_TYPE_OBJECT)

static void
row_free (TsuImportRow *row)
{
  g_free (row->name);
  g_free (row->address);
  g_free (row->district_id);
  g_free (row->district_name);
  g_free (row->place_name);
  g_free (row->matched_id);
  g_ptr_array_unref (row->problems);
  g_clear_pointer (&row->household, json_object_unref);
  g_clear_pointer (&row->resident, json_object_unref);
  g_free (row);
}

static void
district_free (District *district)
{
  g_free (district->id);
  g_free (district->name);
  g_ptr_array_unref (district->keys);
  g_clear_pointer (&district->boundary, tsu_shape_free);
  g_free (district);
}

static void
set_progress (TsuHouseholdImport *self,
              guint               done,
              guint               total)
{
  g_atomic_int_set (&self->progress, total > 0 ? (gint) ((guint64) done * 10000 / total) : 0);
}

double
tsu_household_import_get_progress (TsuHouseholdImport *self)
{
  g_return_val_if_fail (TSU_IS_HOUSEHOLD_IMPORT (self), 0);
  return g_atomic_int_get (&self->progress) / 10000.0;
}

TsuHouseholdImport *
tsu_household_import_new (TsuStore *store)
{
  TsuHouseholdImport *self;

  g_return_val_if_fail (TSU_IS_STORE (store), NULL);

  self = g_object_new (TSU_TYPE_HOUSEHOLD_IMPORT, NULL);
  self->store = g_object_ref (store);
  return self;
}

TsuStore *
tsu_household_import_get_store (TsuHouseholdImport *self)
{
  g_return_val_if_fail (TSU_IS_HOUSEHOLD_IMPORT (self), NULL);
  return self->store;
}

void
tsu_household_import_set_gazetteer (TsuHouseholdImport *self,
                                    TsuGazetteer       *gazetteer)
{
  g_return_if_fail (TSU_IS_HOUSEHOLD_IMPORT (self));

  g_set_object (&self->gazetteer, gazetteer);
  self->previewed = FALSE;
}

const char * const *
tsu_household_flag_labels (guint *n_flags)
{
  if (n_flags != NULL)
    *n_flags = g_strv_length ((char **) flag_labels);
  return flag_labels;
}

const char * const *
tsu_household_import_get_targets (void)
{
  return targets;
}

const char *
tsu_household_import_target_label (const char *target)
{
  static const struct { const char *target; const char *label; } labels[] = {
    { "name", N_("Head of household (世帯主名)") },
    { "kana", N_("Reading (フリガナ)") },
    { "address", N_("Address (住所)") },
    { "phone", N_("Phone (電話)") },
    { "birth_date", N_("Date of birth (生年月日)") },
    { "jichikai", N_("Neighbourhood association (自治会)") },
    { "district", N_("District (地区)") },
    { "flags", N_("Flags, in one column") },
    { "note", N_("Note (備考)") },
    { "minsei_iin", N_("Welfare commissioner (民生委員)") },
    { "lat", N_("Latitude") },
    { "lon", N_("Longitude") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_str_equal (labels[i].target, target))
      return _(labels[i].label);
  if (g_str_has_prefix (target, "flag:"))
    return target + 5;
  return target;
}

JsonObject *
tsu_household_import_guess_mapping (TsuCsv *csv)
{
  JsonObject *mapping = json_object_new ();
  const char * const *header;
  guint n_columns;

  g_return_val_if_fail (TSU_IS_CSV (csv), NULL);

  header = tsu_csv_get_header (csv, &n_columns);
  for (guint c = 0; c < n_columns; c++)
    {
      g_autofree char *folded = tsu_text_fold (header[c]);
      gboolean done = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (header_guesses) && !done; i++)
        {
          g_auto(GStrv) names = g_strsplit (header_guesses[i].headers, "|", -1);

          if (json_object_has_member (mapping, header_guesses[i].target))
            continue;
          for (guint k = 0; names[k] != NULL && !done; k++)
            {
              g_autofree char *name = tsu_text_fold (names[k]);

              if (g_str_equal (name, folded))
                {
                  json_object_set_string_member (mapping, header_guesses[i].target, header[c]);
                  done = TRUE;
                }
            }
        }
      for (guint f = 0; flag_labels[f] != NULL && !done; f++)
        {
          g_autofree char *label = tsu_text_fold (flag_labels[f]);

          if (g_str_equal (label, folded))
            {
              g_autofree char *target = g_strconcat ("flag:", flag_labels[f], NULL);
              json_object_set_string_member (mapping, target, header[c]);
              done = TRUE;
            }
        }
    }
  return mapping;
}

/* Whether every column the mapping names is in the file. */
static gboolean
mapping_fits (JsonObject *mapping,
              TsuCsv     *csv)
{
  g_autoptr(GList) members = json_object_get_members (mapping);

  if (members == NULL)
    return FALSE;
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (mapping, l->data);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
          tsu_csv_find_column (csv, json_node_get_string (node)) < 0)
        return FALSE;
    }
  return TRUE;
}

void
tsu_household_import_set_csv (TsuHouseholdImport *self,
                              TsuCsv             *csv,
                              const char         *checksum)
{
  g_autofree char *last = NULL;

  g_return_if_fail (TSU_IS_HOUSEHOLD_IMPORT (self));
  g_return_if_fail (TSU_IS_CSV (csv));

  g_set_object (&self->csv, csv);
  g_free (self->checksum);
  self->checksum = g_strdup (checksum);
  g_ptr_array_set_size (self->rows, 0);
  self->previewed = FALSE;

  /* The last mapping is remembered in the store; use it when it fits. */
  last = tsu_store_get_import_setting (self->store, MAPPING_SETTING);
  g_clear_pointer (&self->mapping, json_object_unref);
  if (last != NULL)
    {
      g_autoptr(JsonNode) node = json_from_string (last, NULL);

      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node) && mapping_fits (json_node_get_object (node), csv))
        self->mapping = json_object_ref (json_node_get_object (node));
    }
  if (self->mapping == NULL)
    self->mapping = tsu_household_import_guess_mapping (csv);
}

gboolean
tsu_household_import_load (TsuHouseholdImport  *self,
                           const char          *path,
                           TsuCsvEncoding       encoding,
                           GError             **error)
{
  g_autoptr(TsuCsv) csv = NULL;
  g_autoptr(GMappedFile) mapped = NULL;
  g_autofree char *checksum = NULL;

  g_return_val_if_fail (TSU_IS_HOUSEHOLD_IMPORT (self), FALSE);

  csv = tsu_csv_new_from_file (path, encoding, error);
  if (csv == NULL)
    return FALSE;
  mapped = g_mapped_file_new (path, FALSE, NULL);
  if (mapped != NULL)
    checksum = g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                            (const guchar *) g_mapped_file_get_contents (mapped),
                                            g_mapped_file_get_length (mapped));
  tsu_household_import_set_csv (self, csv, checksum);
  return TRUE;
}

TsuCsv *
tsu_household_import_get_csv (TsuHouseholdImport *self)
{
  g_return_val_if_fail (TSU_IS_HOUSEHOLD_IMPORT (self), NULL);
  return self->csv;
}

JsonObject *
tsu_household_import_get_mapping (TsuHouseholdImport *self)
{
  g_return_val_if_fail (TSU_IS_HOUSEHOLD_IMPORT (self), NULL);
  return self->mapping;
}

void
tsu_household_import_set_mapping (TsuHouseholdImport *self,
                                  JsonObject         *mapping)
{
  g_return_if_fail (TSU_IS_HOUSEHOLD_IMPORT (self));
  g_return_if_fail (mapping != NULL);

  json_object_ref (mapping);
  g_clear_pointer (&self->mapping, json_object_unref);
  self->mapping = mapping;
  self->previewed = FALSE;
}

gboolean
tsu_household_import_load_mapping (TsuHouseholdImport  *self,
                                   const char          *path,
                                   GError             **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = g_filename_display_basename (path);
  JsonNode *root;

  g_return_val_if_fail (TSU_IS_HOUSEHOLD_IMPORT (self), FALSE);

  if (!json_parser_load_from_file (parser, path, &local_error))
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID,
                   _("The column mapping “%s” could not be read: %s"), name, local_error->message);
      return FALSE;
    }
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID,
                   _("The column mapping “%s” must be a JSON object such as {\"name\": \"世帯主名\", \"address\": \"住所\"}"),
                   name);
      return FALSE;
    }
  tsu_household_import_set_mapping (self, json_node_get_object (root));
  return TRUE;
}

static int
mapped_column (TsuHouseholdImport *self,
               const char         *target)
{
  const char *header = json_object_get_string_member_with_default (self->mapping, target, NULL);

  return header != NULL ? tsu_csv_find_column (self->csv, header) : -1;
}

/* Validates the mapping against the file: a name and an address column are
 * needed, and every named column must exist. */
static gboolean
check_mapping (TsuHouseholdImport  *self,
               GError             **error)
{
  g_autoptr(GList) members = json_object_get_members (self->mapping);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *target = l->data;
      JsonNode *node = json_object_get_member (self->mapping, target);
      gboolean known = g_str_has_prefix (target, "flag:") && g_strv_contains (flag_labels, target + 5);

      for (guint i = 0; targets[i] != NULL && !known; i++)
        known = g_str_equal (targets[i], target);
      if (!known)
        {
          g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID,
                       _("The column mapping has an unknown field “%s”"), target);
          return FALSE;
        }
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
          tsu_csv_find_column (self->csv, json_node_get_string (node)) < 0)
        {
          g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID,
                       _("“%s” has no column “%s” (mapped to %s)"),
                       tsu_csv_get_name (self->csv),
                       JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
                         ? json_node_get_string (node) : "?",
                       target);
          return FALSE;
        }
    }
  if (mapped_column (self, "name") < 0 || mapped_column (self, "address") < 0)
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID,
                   _("Choose which column of “%s” holds the name of the head of household and which holds the address"),
                   tsu_csv_get_name (self->csv));
      return FALSE;
    }
  return TRUE;
}

/* ---- districts -------------------------------------------------------- */

static const char * const district_suffixes[] = {
  "地区住民自治協議会", "地域住民自治協議会", "住民自治協議会", "地域まちづくり協議会",
  "まちづくり協議会", "自治協議会", "協議会", "地区", "地域", NULL
};

static char *
district_key (const char *name)
{
  g_autofree char *folded = tsu_text_fold (name);

  for (guint i = 0; district_suffixes[i] != NULL; i++)
    {
      g_autofree char *suffix = tsu_text_fold (district_suffixes[i]);

      if (g_str_has_suffix (folded, suffix) && strlen (folded) > strlen (suffix))
        {
          folded[strlen (folded) - strlen (suffix)] = '\0';
          break;
        }
    }
  return g_steal_pointer (&folded);
}

static gboolean
district_contains (District *district,
                   double    lon,
                   double    lat)
{
  return district->boundary != NULL && tsu_bbox_contains (&district->bbox, lon, lat) &&
         tsu_shape_contains (district->boundary, lon, lat);
}

static GPtrArray *
load_districts (TsuHouseholdImport  *self,
                GError             **error)
{
  g_autoptr(GPtrArray) records = tsu_store_list_import_districts (self->store, error);
  GPtrArray *districts;

  if (records == NULL)
    return NULL;

  districts = g_ptr_array_new_with_free_func ((GDestroyNotify) district_free);
  for (guint i = 0; i < records->len; i++)
    {
      JsonObject *record = records->pdata[i];
      District *district = g_new0 (District, 1);
      const char *name = json_object_get_string_member_with_default (record, "name", "");
      const char *full_name = json_object_get_string_member_with_default (record, "full_name", NULL);
      const char *boundary = json_object_get_string_member_with_default (record, "boundary", NULL);

      district->id = g_strdup (json_object_get_string_member (record, "id"));
      district->name = g_strdup (name);
      district->keys = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (district->keys, tsu_text_fold (name));
      g_ptr_array_add (district->keys, district_key (name));
      if (full_name != NULL)
        {
          g_ptr_array_add (district->keys, tsu_text_fold (full_name));
          g_ptr_array_add (district->keys, district_key (full_name));
        }
      if (boundary != NULL && *boundary != '\0')
        {
          g_autoptr(GError) shape_error = NULL;

          /* A boundary that does not parse is left out: the town table
           * still assigns the district. */
          district->boundary = tsu_geojson_parse_geometry (boundary, &shape_error);
          if (district->boundary != NULL)
            district->bbox = tsu_shape_get_bbox (district->boundary);
          else
            g_debug ("District %s: boundary not used: %s", name, shape_error->message);
        }
      g_ptr_array_add (districts, district);
    }
  return districts;
}

static District *
find_district_by_name (GPtrArray  *districts,
                       const char *text)
{
  g_autofree char *folded = tsu_text_fold (text);
  g_autofree char *key = district_key (text);

  for (guint i = 0; i < districts->len; i++)
    {
      District *district = districts->pdata[i];

      for (guint k = 0; k < district->keys->len; k++)
        if (g_str_equal (district->keys->pdata[k], folded) || g_str_equal (district->keys->pdata[k], key))
          return district;
    }
  return NULL;
}

static District *
find_district_by_id (GPtrArray  *districts,
                     const char *id)
{
  for (guint i = 0; id != NULL && i < districts->len; i++)
    if (g_str_equal (((District *) districts->pdata[i])->id, id))
      return districts->pdata[i];
  return NULL;
}

/* ---- preview ---------------------------------------------------------- */

/* Two rows are the same household when their address keys and head names
 * agree, loosely (之/の, long vowels, small kana). 「ゆめが丘1-3-2」 is
 * 「ゆめが丘一丁目3番2号」 when the town list says ゆめが丘 has 丁目. */
static char *
household_key (TsuGazetteer     *gazetteer,
               const TsuAddress *address,
               const char       *name)
{
  g_autofree char *town = NULL;
  g_autofree char *rest = tsu_text_fold_loose (address->rest);
  g_autofree char *folded_name = tsu_text_fold_loose (name);
  g_autofree char *chome_key = NULL;
  const char *town_key = address->town_key;
  const char *block = address->block;
  const char *dash = strchr (block, '-');

  if (gazetteer != NULL && address->chome == 0 && g_ascii_isdigit (block[0]) && dash != NULL)
    {
      guint64 chome = g_ascii_strtoull (block, NULL, 10);
      TsuPlace place;

      chome_key = tsu_address_town_key (address->town, (guint) MIN (chome, 1000));
      if (tsu_gazetteer_lookup_parsed (gazetteer, address, &place) == TSU_PLACE_EXACT &&
          g_strcmp0 (place.town_key, chome_key) == 0)
        {
          town_key = chome_key;
          block = dash + 1;
        }
    }

  town = tsu_text_fold_loose (town_key);
  return g_strdup_printf ("%s|%s|%s|%s", town, block, rest, folded_name);
}

typedef struct
{
  GHashTable   *existing;
  TsuGazetteer *gazetteer;
} CollectData;

static void
collect_existing (const char *household_id,
                  const char *address,
                  const char *head_name,
                  gpointer    user_data)
{
  CollectData *data = user_data;
  g_autoptr(TsuAddress) parsed = NULL;
  char *key;

  if (address == NULL || head_name == NULL)
    return;
  parsed = tsu_address_parse (address);
  key = household_key (data->gazetteer, parsed, head_name);
  if (!g_hash_table_contains (data->existing, key))
    g_hash_table_insert (data->existing, key, g_strdup (household_id));
  else
    g_free (key);
}

static char *
trimmed_field (TsuHouseholdImport *self,
               guint               row,
               int                 column)
{
  g_autofree char *nfkc = NULL;

  if (column < 0)
    return g_strdup ("");
  /* NFKC: half-width katakana and full-width digits become the usual forms. */
  nfkc = g_utf8_normalize (tsu_csv_get_field (self->csv, row, column), -1, G_NORMALIZE_NFKC);
  if (nfkc == NULL)
    return g_strdup ("");
  return g_strdup (g_strstrip (nfkc));
}

static gboolean
truthy (const char *value)
{
  static const char * const yes[] = {
    "1", "○", "〇", "◯", "●", "✓", "✔", "レ", "y", "yes", "true", "はい", "有", "あり", "該当", "*", NULL
  };
  g_autofree char *folded = tsu_text_fold (value);

  return g_strv_contains (yes, folded);
}

static gint64
parse_flags (const char *value,
             GPtrArray  *problems)
{
  g_auto(GStrv) parts = NULL;
  gint64 flags = 0;

  if (*value == '\0')
    return 0;
  parts = g_regex_split_simple ("[,、，/／;；|\\s]+", value, 0, 0);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *part = tsu_text_fold (parts[i]);
      gboolean known = FALSE;

      if (*part == '\0')
        continue;
      for (guint f = 0; flag_labels[f] != NULL; f++)
        {
          g_autofree char *label = tsu_text_fold (flag_labels[f]);
          g_autofree char *loose_label = tsu_text_fold_loose (flag_labels[f]);
          g_autofree char *loose_part = tsu_text_fold_loose (parts[i]);

          if (g_str_equal (label, part) || g_str_equal (loose_label, loose_part))
            {
              flags |= G_GINT64_CONSTANT (1) << f;
              known = TRUE;
              break;
            }
        }
      if (!known && tsu_household_flag_from_code (parts[i]) != TSU_HOUSEHOLD_FLAG_NONE)
        {
          flags |= tsu_household_flag_from_code (parts[i]);
          known = TRUE;
        }
      if (!known)
        g_ptr_array_add (problems, g_strdup_printf (_("Unknown flag “%s” (ignored)"), parts[i]));
    }
  return flags;
}

static gboolean
parse_coordinate (const char *text,
                  double      min,
                  double      max,
                  double     *value)
{
  char *end = NULL;

  if (*text == '\0')
    return FALSE;
  *value = g_ascii_strtod (text, &end);
  return end != text && *end == '\0' && isfinite (*value) && *value >= min && *value <= max;
}

static void
preview_row (TsuHouseholdImport *self,
             guint               index,
             GHashTable         *existing,
             GHashTable         *seen,
             GPtrArray          *districts,
             GHashTable         *towns,
             int                *columns)
{
  TsuImportRow *row = g_new0 (TsuImportRow, 1);
  g_autoptr(TsuAddress) parsed = NULL;
  g_autofree char *kana = NULL, *phone = NULL, *birth = NULL, *jichikai = NULL;
  g_autofree char *district_text = NULL, *flags_text = NULL, *note = NULL, *minsei = NULL;
  g_autofree char *lat_text = NULL, *lon_text = NULL;
  District *district = NULL;
  gint64 flags = 0;
  double lat = 0, lon = 0;
  gboolean placed = FALSE;
  TsuPlace place = { 0 };

  row->line = tsu_csv_get_row_line (self->csv, index);
  row->problems = g_ptr_array_new_with_free_func (g_free);
  row->action = TSU_IMPORT_CREATE;
  g_ptr_array_add (self->rows, row);

  row->name = trimmed_field (self, index, columns[0]);
  row->address = trimmed_field (self, index, columns[2]);
  kana = trimmed_field (self, index, columns[1]);
  phone = trimmed_field (self, index, columns[3]);
  birth = trimmed_field (self, index, columns[4]);
  jichikai = trimmed_field (self, index, columns[5]);
  district_text = trimmed_field (self, index, columns[6]);
  flags_text = trimmed_field (self, index, columns[7]);
  note = trimmed_field (self, index, columns[8]);
  minsei = trimmed_field (self, index, columns[9]);
  lat_text = trimmed_field (self, index, columns[10]);
  lon_text = trimmed_field (self, index, columns[11]);

  if (*row->name == '\0')
    {
      g_ptr_array_add (row->problems, g_strdup (_("No name of the head of household")));
      row->action = TSU_IMPORT_SKIP;
    }
  if (*row->address == '\0')
    {
      g_ptr_array_add (row->problems, g_strdup (_("No address")));
      row->action = TSU_IMPORT_SKIP;
    }

  parsed = tsu_address_parse (row->address);

  if (row->action == TSU_IMPORT_CREATE)
    {
      g_autofree char *key = household_key (self->gazetteer, parsed, row->name);
      const char *match = g_hash_table_lookup (existing, key);
      gpointer first_line;

      if (match != NULL)
        {
          row->action = TSU_IMPORT_MATCH;
          row->matched_id = g_strdup (match);
        }
      else if (g_hash_table_lookup_extended (seen, key, NULL, &first_line))
        {
          row->action = TSU_IMPORT_SKIP;
          row->duplicate_of = GPOINTER_TO_UINT (first_line);
          g_ptr_array_add (row->problems,
                           g_strdup_printf (_("The same household as line %u (same address and name)"),
                                            row->duplicate_of));
        }
      else
        g_hash_table_insert (seen, g_steal_pointer (&key), GUINT_TO_POINTER (row->line));
    }

  /* Birth date: 和暦 or 西暦; a date we cannot read is left empty, not guessed. */
  if (*birth != '\0')
    {
      g_autoptr(GError) date_error = NULL;
      g_autoptr(GDate) date = tsu_date_parse (birth, &date_error);

      if (date == NULL)
        {
          g_ptr_array_add (row->problems,
                           g_strdup_printf (_("Date of birth not understood (left empty): %s"),
                                            date_error->message));
          g_clear_pointer (&birth, g_free);
        }
      else
        {
          g_free (birth);
          birth = tsu_date_format_iso (date);
        }
    }
  else
    g_clear_pointer (&birth, g_free);

  /* Place: coordinates in the file win, then the town list. */
  if (columns[10] >= 0 && columns[11] >= 0 && (*lat_text != '\0' || *lon_text != '\0'))
    {
      if (parse_coordinate (lat_text, -90, 90, &lat) && parse_coordinate (lon_text, -180, 180, &lon))
        {
          placed = TRUE;
          row->quality = TSU_PLACE_EXACT;
        }
      else
        g_ptr_array_add (row->problems,
                         g_strdup_printf (_("Latitude/longitude “%s, %s” not understood"), lat_text, lon_text));
    }
  if (!placed && self->gazetteer != NULL && *parsed->town != '\0')
    {
      row->quality = tsu_gazetteer_lookup_parsed (self->gazetteer, parsed, &place);
      if (row->quality != TSU_PLACE_NONE)
        {
          placed = TRUE;
          lat = place.lat;
          lon = place.lon;
          row->place_name = g_strdup (place.name);
          if (row->quality == TSU_PLACE_APPROXIMATE)
            g_ptr_array_add (row->problems,
                             g_strdup_printf (_("Placed approximately at “%s”: the town of the address is not in the town list"),
                                              place.name));
        }
    }
  if (!placed)
    {
      row->quality = TSU_PLACE_NONE;
      if (row->action == TSU_IMPORT_CREATE)
        g_ptr_array_add (row->problems, g_strdup (_("Not placed on the map: the town of the address is not in the town list")));
    }

  /* District: the file's column, else the boundaries, else the town table. */
  if (*district_text != '\0')
    {
      district = find_district_by_name (districts, district_text);
      if (district == NULL)
        g_ptr_array_add (row->problems, g_strdup_printf (_("Unknown district “%s”"), district_text));
    }
  if (district == NULL && placed)
    for (guint i = 0; i < districts->len && district == NULL; i++)
      if (district_contains (districts->pdata[i], lon, lat))
        district = districts->pdata[i];
  if (district == NULL)
    {
      const char *keys[] = { place.town_key, place.parent_key, parsed->town_key, NULL };
      g_autofree char *parent = tsu_address_town_key (parsed->town, 0);

      for (guint k = 0; keys[k] != NULL && district == NULL; k++)
        district = find_district_by_id (districts, g_hash_table_lookup (towns, keys[k]));
      if (district == NULL)
        district = find_district_by_id (districts, g_hash_table_lookup (towns, parent));
    }
  if (district == NULL && row->action == TSU_IMPORT_CREATE && *district_text == '\0')
    g_ptr_array_add (row->problems, g_strdup (_("No district: not in the file, not inside a boundary, and the town is not in the town → district table")));
  if (district != NULL)
    {
      row->district_id = g_strdup (district->id);
      row->district_name = g_strdup (district->name);
    }

  flags = parse_flags (flags_text, row->problems);
  {
    g_autoptr(GList) members = json_object_get_members (self->mapping);

    for (GList *l = members; l != NULL; l = l->next)
      {
        const char *target = l->data;
        g_autofree char *value = NULL;

        if (!g_str_has_prefix (target, "flag:"))
          continue;
        value = trimmed_field (self, index, mapped_column (self, target));
        for (guint f = 0; flag_labels[f] != NULL; f++)
          if (g_str_equal (flag_labels[f], target + 5) && truthy (value))
            flags |= G_GINT64_CONSTANT (1) << f;
      }
  }

  if (row->action != TSU_IMPORT_CREATE)
    return;

  row->household = json_object_new ();
  json_object_set_string_member (row->household, "address", row->address);
  json_object_set_string_member (row->household, "status", "active");
  if (row->district_id != NULL)
    json_object_set_string_member (row->household, "district_id", row->district_id);
  if (*jichikai != '\0')
    json_object_set_string_member (row->household, "jichikai", jichikai);
  if (*phone != '\0')
    json_object_set_string_member (row->household, "phone", phone);
  if (*note != '\0')
    json_object_set_string_member (row->household, "note", note);
  if (*minsei != '\0')
    json_object_set_string_member (row->household, "minsei_iin", minsei);
  if (flags != 0)
    json_object_set_int_member (row->household, "flags", flags);
  if (placed)
    {
      json_object_set_double_member (row->household, "lat", lat);
      json_object_set_double_member (row->household, "lon", lon);
    }
  json_object_set_string_member (row->household, "location_quality",
                                 row->quality == TSU_PLACE_EXACT ? "exact" :
                                 row->quality == TSU_PLACE_APPROXIMATE ? "approximate" : "none");

  row->resident = json_object_new ();
  json_object_set_string_member (row->resident, "name", row->name);
  if (*kana != '\0')
    json_object_set_string_member (row->resident, "kana", kana);
  if (birth != NULL)
    json_object_set_string_member (row->resident, "birth_date", birth);
  json_object_set_string_member (row->resident, "relationship", "head");
  json_object_set_int_member (row->resident, "position", 0);
}

gboolean
tsu_household_import_preview (TsuHouseholdImport  *self,
                              GCancellable        *cancellable,
                              GError             **error)
{
  g_autoptr(GHashTable) existing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) districts = NULL;
  g_autoptr(GHashTable) towns = NULL;
  int columns[G_N_ELEMENTS (targets) - 1];
  guint n_rows;

  g_return_val_if_fail (TSU_IS_HOUSEHOLD_IMPORT (self), FALSE);

  if (self->csv == NULL)
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID, _("No file chosen"));
      return FALSE;
    }
  if (!check_mapping (self, error))
    return FALSE;

  g_ptr_array_set_size (self->rows, 0);
  self->previewed = FALSE;
  set_progress (self, 0, 1);

  {
    CollectData data = { existing, self->gazetteer };

    if (!tsu_store_foreach_household_head (self->store, collect_existing, &data, error))
      return FALSE;
  }
  districts = load_districts (self, error);
  if (districts == NULL)
    return FALSE;
  towns = tsu_store_get_town_districts (self->store, error);
  if (towns == NULL)
    return FALSE;

  for (guint i = 0; targets[i] != NULL; i++)
    columns[i] = mapped_column (self, targets[i]);

  n_rows = tsu_csv_get_n_rows (self->csv);
  for (guint i = 0; i < n_rows; i++)
    {
      if (i % 256 == 0)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
          set_progress (self, i, n_rows);
        }
      preview_row (self, i, existing, seen, districts, towns, columns);
    }

  set_progress (self, 1, 1);
  self->previewed = TRUE;
  return TRUE;
}

guint
tsu_household_import_get_n_rows (TsuHouseholdImport *self)
{
  g_return_val_if_fail (TSU_IS_HOUSEHOLD_IMPORT (self), 0);
  return self->rows->len;
}

const TsuImportRow *
tsu_household_import_get_row (TsuHouseholdImport *self,
                              guint               row)
{
  g_return_val_if_fail (TSU_IS_HOUSEHOLD_IMPORT (self), NULL);
  g_return_val_if_fail (row < self->rows->len, NULL);
  return self->rows->pdata[row];
}

void
tsu_household_import_get_summary (TsuHouseholdImport *self,
                                  TsuImportSummary   *summary)
{
  g_return_if_fail (TSU_IS_HOUSEHOLD_IMPORT (self));

  memset (summary, 0, sizeof *summary);
  for (guint i = 0; i < self->rows->len; i++)
    {
      const TsuImportRow *row = self->rows->pdata[i];

      summary->rows++;
      if (row->problems->len > 0)
        summary->with_problems++;
      switch (row->action)
        {
        case TSU_IMPORT_CREATE:
          summary->create++;
          if (row->quality == TSU_PLACE_EXACT)
            summary->exact++;
          else if (row->quality == TSU_PLACE_APPROXIMATE)
            summary->approximate++;
          else
            summary->unplaced++;
          break;
        case TSU_IMPORT_MATCH:
          summary->match++;
          break;
        case TSU_IMPORT_SKIP:
        default:
          summary->skip++;
          break;
        }
    }
}

/* ---- run -------------------------------------------------------------- */

char *
tsu_household_import_run (TsuHouseholdImport  *self,
                          GCancellable        *cancellable,
                          GError             **error)
{
  g_autoptr(JsonObject) batch = json_object_new ();
  g_autoptr(JsonNode) mapping_node = NULL;
  g_autofree char *batch_id = g_uuid_string_random ();
  g_autofree char *mapping_text = NULL;
  TsuImportSummary summary;
  guint done = 0;

  g_return_val_if_fail (TSU_IS_HOUSEHOLD_IMPORT (self), NULL);

  if (!self->previewed && !tsu_household_import_preview (self, cancellable, error))
    return NULL;

  tsu_household_import_get_summary (self, &summary);
  mapping_node = json_node_init_object (json_node_alloc (), self->mapping);
  mapping_text = json_to_string (mapping_node, FALSE);

  json_object_set_string_member (batch, "id", batch_id);
  json_object_set_string_member (batch, "file_name", tsu_csv_get_name (self->csv));
  if (self->checksum != NULL)
    json_object_set_string_member (batch, "file_checksum", self->checksum);
  json_object_set_string_member (batch, "encoding", tsu_csv_encoding_to_string (tsu_csv_get_encoding (self->csv)));
  json_object_set_string_member (batch, "mapping", mapping_text);
  json_object_set_int_member (batch, "n_rows", summary.rows);
  json_object_set_int_member (batch, "n_created", summary.create);
  json_object_set_int_member (batch, "n_matched", summary.match);
  json_object_set_int_member (batch, "n_skipped", summary.skip);
  json_object_set_int_member (batch, "n_exact", summary.exact);
  json_object_set_int_member (batch, "n_approximate", summary.approximate);
  json_object_set_int_member (batch, "n_unplaced", summary.unplaced);

  set_progress (self, 0, 1);
  if (!tsu_store_begin (self->store, error))
    return NULL;
  tsu_store_set_import_cache (self->store, TRUE);
  if (!tsu_store_insert_import_batch (self->store, batch, error))
    goto failed;

  for (guint i = 0; i < self->rows->len; i++)
    {
      TsuImportRow *row = self->rows->pdata[i];
      g_autofree char *household_id = NULL;
      g_autofree char *resident_id = NULL;

      if (i % 256 == 0)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            goto failed;
          set_progress (self, i, self->rows->len);
        }
      if (row->action != TSU_IMPORT_CREATE)
        continue;

      household_id = tsu_store_create (self->store, "household", row->household, error);
      if (household_id == NULL)
        goto failed_row;
      json_object_set_string_member (row->resident, "household_id", household_id);
      resident_id = tsu_store_create (self->store, "resident", row->resident, error);
      if (resident_id == NULL)
        goto failed_row;
      if (!tsu_store_add_import_record (self->store, batch_id, "household", household_id, row->line, error) ||
          !tsu_store_add_import_record (self->store, batch_id, "resident", resident_id, row->line, error))
        goto failed;
      done++;
      continue;

failed_row:
      g_prefix_error (error, _("“%s” line %u: "), tsu_csv_get_name (self->csv), row->line);
      goto failed;
    }

  if (!tsu_store_set_import_setting (self->store, MAPPING_SETTING, mapping_text, error))
    goto failed;
  if (!tsu_store_commit (self->store, error))
    {
      tsu_store_set_import_cache (self->store, FALSE);
      return NULL;
    }
  tsu_store_set_import_cache (self->store, FALSE);

  set_progress (self, 1, 1);
  g_debug ("Imported %u households from %s as batch %s", done, tsu_csv_get_name (self->csv), batch_id);
  return g_steal_pointer (&batch_id);

failed:
  tsu_store_rollback (self->store);
  tsu_store_set_import_cache (self->store, FALSE);
  return NULL;
}

/* ---- async ------------------------------------------------------------ */

typedef struct
{
  char           *path;
  TsuCsvEncoding  encoding;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_free (data->path);
  g_free (data);
}

static void
load_worker (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;
  GError *error = NULL;

  if (tsu_household_import_load (source, data->path, data->encoding, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
tsu_household_import_load_async (TsuHouseholdImport  *self,
                                 const char          *path,
                                 TsuCsvEncoding       encoding,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  LoadData *data = g_new0 (LoadData, 1);

  data->path = g_strdup (path);
  data->encoding = encoding;
  g_task_set_source_tag (task, tsu_household_import_load_async);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_worker);
}

gboolean
tsu_household_import_load_finish (TsuHouseholdImport  *self,
                                  GAsyncResult        *result,
                                  GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
preview_worker (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;

  if (tsu_household_import_preview (source, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
tsu_household_import_preview_async (TsuHouseholdImport  *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, tsu_household_import_preview_async);
  g_task_run_in_thread (task, preview_worker);
}

gboolean
tsu_household_import_preview_finish (TsuHouseholdImport  *self,
                                     GAsyncResult        *result,
                                     GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
run_worker (GTask        *task,
            gpointer      source,
            gpointer      task_data,
            GCancellable *cancellable)
{
  GError *error = NULL;
  char *batch_id = tsu_household_import_run (source, cancellable, &error);

  if (batch_id != NULL)
    g_task_return_pointer (task, batch_id, g_free);
  else
    g_task_return_error (task, error);
}

void
tsu_household_import_run_async (TsuHouseholdImport  *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, tsu_household_import_run_async);
  g_task_run_in_thread (task, run_worker);
}

char *
tsu_household_import_run_finish (TsuHouseholdImport  *self,
                                 GAsyncResult        *result,
                                 GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
tsu_household_import_finalize (GObject *object)
{
  TsuHouseholdImport *self = (TsuHouseholdImport *) object;

  g_clear_object (&self->store);
  g_clear_object (&self->gazetteer);
  g_clear_object (&self->csv);
  g_clear_pointer (&self->mapping, json_object_unref);
  g_free (self->checksum);
  g_ptr_array_unref (self->rows);

  G_OBJECT_CLASS (tsu_household_import_parent_class)->finalize (object);
}

static void
tsu_household_import_class_init (TsuHouseholdImportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tsu_household_import_finalize;
}

static void
tsu_household_import_init (TsuHouseholdImport *self)
{
  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
}
