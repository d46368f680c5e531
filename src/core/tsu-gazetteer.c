/* tsu-gazetteer.c: offline address → point at 町・字 level
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Laptops in the hills have no network, and household addresses must not
 * leave the office anyway: places are looked up in a town list the user
 * loads once. Each town (and 小字, and 丁目) is indexed by its folded key;
 * an address matches its longest known town. A match of the whole 町・字 is
 * exact; a match of only the 大字 (the 字 or 丁目 is unknown) is approximate.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "tsu-gazetteer.h"
#include "tsu-store-error.h"

typedef struct
{
  char   *name;        /* town + koaza as the source writes it */
  char   *key;
  char   *town_key;    /* without the koaza */
  char   *parent_key;  /* without koaza and chome */
  double  lat_sum;
  double  lon_sum;
  guint   count;
} Entry;

struct _TsuGazetteer
{
  GObject     parent_instance;

  GHashTable *exact;    /* key → Entry (owned) */
  GHashTable *loose;    /* loose key → Entry */
  GHashTable *parents;  /* parent key → Entry (owned): the mean of its parts */
};

G_DEFINE_FINAL_TYPE (TsuGazetteer, tsu_gazetteer, G_TYPE_OBJECT)

static void
entry_free (Entry *entry)
{
  g_free (entry->name);
  g_free (entry->key);
  g_free (entry->town_key);
  g_free (entry->parent_key);
  g_free (entry);
}

static Entry *
accumulate (GHashTable *table,
            const char *key,
            const char *name,
            const char *town_key,
            const char *parent_key,
            double      lat,
            double      lon)
{
  Entry *entry = g_hash_table_lookup (table, key);

  if (entry == NULL)
    {
      entry = g_new0 (Entry, 1);
      entry->name = g_strdup (name);
      entry->key = g_strdup (key);
      entry->town_key = g_strdup (town_key);
      entry->parent_key = g_strdup (parent_key);
      g_hash_table_insert (table, entry->key, entry);
    }
  entry->lat_sum += lat;
  entry->lon_sum += lon;
  entry->count++;
  return entry;
}

static void
add_place (TsuGazetteer *self,
           const char   *town,
           const char   *koaza,
           double        lat,
           double        lon)
{
  g_autoptr(TsuAddress) parsed = tsu_address_parse (town);
  g_autofree char *koaza_key = tsu_text_fold (koaza);
  g_autofree char *key = NULL;
  g_autofree char *name = NULL;
  g_autofree char *parent_key = tsu_address_town_key (parsed->town, 0);
  g_autofree char *loose = NULL;
  Entry *entry;

  if (*parsed->town == '\0')
    return;

  key = g_strconcat (parsed->town_key, koaza_key, NULL);
  name = g_strconcat (town, koaza != NULL ? koaza : "", NULL);
  entry = accumulate (self->exact, key, name, parsed->town_key, parent_key, lat, lon);
  loose = tsu_text_fold_loose (key);
  if (!g_hash_table_contains (self->loose, loose))
    g_hash_table_insert (self->loose, g_steal_pointer (&loose), entry);

  /* The 大字 as a whole: the mean of its 丁目 and 字, for approximate
   * matches of parts the list does not have. */
  accumulate (self->parents, parent_key, parsed->town, parent_key, parent_key, lat, lon);
}

TsuGazetteer *
tsu_gazetteer_new (void)
{
  return g_object_new (TSU_TYPE_GAZETTEER, NULL);
}

gboolean
tsu_gazetteer_load_json_data (TsuGazetteer  *self,
                              const char    *data,
                              gssize         length,
                              const char    *name,
                              GError       **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  JsonArray *array;
  guint added = 0;

  g_return_val_if_fail (TSU_IS_GAZETTEER (self), FALSE);

  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID,
                   _("“%s” is not a town list: %s"), name, local_error->message);
      return FALSE;
    }
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID,
                   _("“%s” is not a town list: expected a JSON array of {\"town\", \"koaza\", \"lat\", \"lng\"}"),
                   name);
      return FALSE;
    }
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object;
      const char *town, *koaza;
      double lat, lon;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        goto bad_entry;
      object = json_node_get_object (node);
      town = json_object_get_string_member_with_default (object, "town", NULL);
      koaza = json_object_get_string_member_with_default (object, "koaza", "");
      if (town == NULL || !json_object_has_member (object, "lat") || !json_object_has_member (object, "lng"))
        goto bad_entry;
      lat = json_object_get_double_member (object, "lat");
      lon = json_object_get_double_member (object, "lng");
      if (lat < -90 || lat > 90 || lon < -180 || lon > 180)
        goto bad_entry;
      add_place (self, town, koaza, lat, lon);
      added++;
      continue;

bad_entry:
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID,
                   _("“%s”, entry %u: expected {\"town\", \"koaza\", \"lat\", \"lng\"}"),
                   name, i + 1);
      return FALSE;
    }
  if (added == 0)
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID,
                   _("“%s” lists no towns"), name);
      return FALSE;
    }
  return TRUE;
}

static int
find_first_column (TsuCsv             *csv,
                   const char * const *names)
{
  for (guint i = 0; names[i] != NULL; i++)
    {
      int column = tsu_csv_find_column (csv, names[i]);
      if (column >= 0)
        return column;
    }
  return -1;
}

gboolean
tsu_gazetteer_load_csv (TsuGazetteer  *self,
                        TsuCsv        *csv,
                        GError       **error)
{
  /* 位置参照情報: 大字・町丁目レベル has 大字町丁目名; 街区レベル has
   * 大字・丁目名 and 小字・通称名, one row per block (averaged here). */
  static const char * const town_names[] = { "大字町丁目名", "大字・丁目名", "町丁目名", "town", NULL };
  static const char * const koaza_names[] = { "小字・通称名", "koaza", NULL };
  static const char * const lat_names[] = { "緯度", "lat", NULL };
  static const char * const lon_names[] = { "経度", "lng", "lon", NULL };
  int town_col, koaza_col, lat_col, lon_col;

  g_return_val_if_fail (TSU_IS_GAZETTEER (self), FALSE);

  town_col = find_first_column (csv, town_names);
  koaza_col = find_first_column (csv, koaza_names);
  lat_col = find_first_column (csv, lat_names);
  lon_col = find_first_column (csv, lon_names);
  if (town_col < 0 || lat_col < 0 || lon_col < 0)
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID,
                   _("“%s” is not a 位置参照情報 town list: it needs the columns 大字町丁目名 (or 大字・丁目名), 緯度 and 経度"),
                   tsu_csv_get_name (csv));
      return FALSE;
    }

  for (guint row = 0; row < tsu_csv_get_n_rows (csv); row++)
    {
      const char *town = tsu_csv_get_field (csv, row, town_col);
      const char *koaza = tsu_csv_get_field (csv, row, koaza_col);
      const char *lat_text = tsu_csv_get_field (csv, row, lat_col);
      const char *lon_text = tsu_csv_get_field (csv, row, lon_col);
      char *end_lat = NULL, *end_lon = NULL;
      double lat = g_ascii_strtod (lat_text, &end_lat);
      double lon = g_ascii_strtod (lon_text, &end_lon);

      if (*town == '\0' || end_lat == lat_text || end_lon == lon_text ||
          lat < -90 || lat > 90 || lon < -180 || lon > 180)
        {
          g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID,
                       _("“%s” line %u: a town name and a latitude and longitude in degrees are needed"),
                       tsu_csv_get_name (csv), tsu_csv_get_row_line (csv, row));
          return FALSE;
        }
      add_place (self, town, koaza, lat, lon);
    }
  return TRUE;
}

gboolean
tsu_gazetteer_load_file (TsuGazetteer  *self,
                         const char    *path,
                         GError       **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length = 0;
  const char *p;

  g_return_val_if_fail (TSU_IS_GAZETTEER (self), FALSE);

  name = g_filename_display_basename (path);
  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_IO,
                   _("Could not read “%s”: %s"), name, local_error->message);
      return FALSE;
    }

  p = contents;
  if (length >= 3 && memcmp (p, "\xEF\xBB\xBF", 3) == 0)
    p += 3;
  while (*p != '\0' && g_ascii_isspace (*p))
    p++;
  if (*p == '[')
    return tsu_gazetteer_load_json_data (self, p, length - (p - contents), name, error);

  {
    g_autoptr(TsuCsv) csv = tsu_csv_new_from_data (contents, length, TSU_CSV_ENCODING_AUTO, name, error);

    if (csv == NULL)
      return FALSE;
    return tsu_gazetteer_load_csv (self, csv, error);
  }
}

guint
tsu_gazetteer_get_n_places (TsuGazetteer *self)
{
  g_return_val_if_fail (TSU_IS_GAZETTEER (self), 0);
  return g_hash_table_size (self->exact);
}

static TsuPlaceQuality
found (Entry           *entry,
       TsuPlaceQuality  quality,
       TsuPlace        *place)
{
  if (place != NULL)
    {
      place->quality = quality;
      place->lat = entry->lat_sum / entry->count;
      place->lon = entry->lon_sum / entry->count;
      place->name = entry->name;
      place->town_key = entry->town_key;
      place->parent_key = entry->parent_key;
    }
  return quality;
}

TsuPlaceQuality
tsu_gazetteer_lookup_parsed (TsuGazetteer     *self,
                             const TsuAddress *address,
                             TsuPlace         *place)
{
  g_autofree char *town_fold = NULL;
  g_autofree char *loose = NULL;
  Entry *entry;
  glong n_chars;

  g_return_val_if_fail (TSU_IS_GAZETTEER (self), TSU_PLACE_NONE);

  if (place != NULL)
    memset (place, 0, sizeof *place);

  if (*address->town == '\0')
    return TSU_PLACE_NONE;

  entry = g_hash_table_lookup (self->exact, address->town_key);
  if (entry != NULL)
    return found (entry, TSU_PLACE_EXACT, place);

  /* 「ゆめが丘1-3-2」: the first number is the 丁目 when the town has 丁目. */
  if (address->chome == 0 && g_ascii_isdigit (address->block[0]))
    {
      guint64 chome = g_ascii_strtoull (address->block, NULL, 10);

      if (chome > 0 && chome < 100)
        {
          g_autofree char *key = tsu_address_town_key (address->town, (guint) chome);

          entry = g_hash_table_lookup (self->exact, key);
          if (entry != NULL)
            return found (entry, TSU_PLACE_EXACT, place);
        }
    }

  /* Spelling variants: 上野丸の内 for 上野丸之内, long vowels, small kana. */
  loose = tsu_text_fold_loose (address->town_key);
  entry = g_hash_table_lookup (self->loose, loose);
  if (entry != NULL)
    return found (entry, TSU_PLACE_EXACT, place);

  /* The longest known town the address starts with: a 大字 whose 字 or 丁目
   * the list does not have. */
  town_fold = tsu_text_fold (address->town);
  n_chars = g_utf8_strlen (town_fold, -1);
  entry = g_hash_table_lookup (self->parents, town_fold);
  if (entry != NULL)
    return found (entry, TSU_PLACE_APPROXIMATE, place);
  for (glong len = n_chars - 1; len >= 2; len--)
    {
      const char *end = g_utf8_offset_to_pointer (town_fold, len);
      g_autofree char *prefix = g_strndup (town_fold, end - town_fold);

      entry = g_hash_table_lookup (self->exact, prefix);
      if (entry == NULL)
        entry = g_hash_table_lookup (self->parents, prefix);
      if (entry != NULL)
        return found (entry, TSU_PLACE_APPROXIMATE, place);
    }

  return TSU_PLACE_NONE;
}

TsuPlaceQuality
tsu_gazetteer_lookup (TsuGazetteer *self,
                      const char   *address,
                      TsuPlace     *place)
{
  g_autoptr(TsuAddress) parsed = NULL;

  g_return_val_if_fail (TSU_IS_GAZETTEER (self), TSU_PLACE_NONE);

  parsed = tsu_address_parse (address);
  /* The TsuPlace strings point into the gazetteer, not into PARSED. */
  return tsu_gazetteer_lookup_parsed (self, parsed, place);
}

static void
tsu_gazetteer_finalize (GObject *object)
{
  TsuGazetteer *self = (TsuGazetteer *) object;

  g_hash_table_unref (self->loose);
  g_hash_table_unref (self->exact);
  g_hash_table_unref (self->parents);

  G_OBJECT_CLASS (tsu_gazetteer_parent_class)->finalize (object);
}

static void
tsu_gazetteer_class_init (TsuGazetteerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tsu_gazetteer_finalize;
}

static void
tsu_gazetteer_init (TsuGazetteer *self)
{
  self->exact = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) entry_free);
  self->parents = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) entry_free);
  self->loose = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}
