/* test-demo.c: the demo city generator, household flags and reference data
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "tsu-demo.h"
#include "tsu-demo-private.h"
#include "tsu-geojson.h"
#include "tsu-household-flags.h"
#include "tsu-reference-data.h"
#include "tsu-store.h"

#define TEST_SEED 20240401
#define BIG_HOUSEHOLDS 4000

static void
set_today (TsuDemoOptions *options)
{
  g_date_set_dmy (&options->today, 1, G_DATE_APRIL, 2025);
}

static TsuStore *
open_memory (void)
{
  g_autoptr(GError) error = NULL;
  TsuStore *store = tsu_store_open (":memory:", &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static TsuStore *
make_city (guint   households,
           guint32 seed)
{
  g_autoptr(GError) error = NULL;
  TsuStore *store = open_memory ();
  TsuDemoOptions options;

  tsu_demo_options_init (&options, TSU_DEMO_SIZE_SMALL);
  options.households = households;
  options.seed = seed;
  set_today (&options);
  g_assert_true (tsu_demo_generate (store, &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return store;
}

/* One city of a few thousand households shared by the statistical tests. */
static TsuStore *
big_city (void)
{
  static TsuStore *store = NULL;

  if (store == NULL)
    store = make_city (BIG_HOUSEHOLDS, TEST_SEED);
  return store;
}

static gint64
get_stat (TsuStore   *store,
          const char *key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) stats = tsu_store_get_stats (store, &error);

  g_assert_no_error (error);
  return json_object_get_int_member (stats, key);
}

static char *
record_text (TsuStore   *store,
             const char *table,
             const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) record = tsu_store_get_record (store, table, id, &error);
  g_autoptr(JsonNode) node = NULL;

  g_assert_no_error (error);
  node = json_node_init_object (json_node_alloc (), record);
  return json_to_string (node, FALSE);
}

static JsonObject *
get_record (TsuStore   *store,
            const char *table,
            const char *id)
{
  g_autoptr(GError) error = NULL;
  JsonObject *record = tsu_store_get_record (store, table, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (record);
  return record;
}

/* Household flags ------------------------------------------------------ */

static void
test_flags_lookup (void)
{
  const TsuHouseholdFlagInfo *all;
  guint n, value = 0;
  guint seen = 0;
  g_autofree char *codes = NULL;
  g_autofree char *labels = NULL;
  g_autofree char *bad = NULL;

  all = tsu_household_flag_get_all (&n);
  g_assert_cmpuint (n, ==, 11);
  for (guint i = 0; i < n; i++)
    {
      /* One bit each, all different, and the lookups agree. */
      g_assert_cmpuint (all[i].flag & (all[i].flag - 1), ==, 0);
      g_assert_cmpuint (seen & all[i].flag, ==, 0);
      seen |= all[i].flag;
      g_assert_cmpuint (tsu_household_flag_from_code (all[i].code), ==, all[i].flag);
      g_assert_cmpstr (tsu_household_flag_to_code (all[i].flag), ==, all[i].code);
      g_assert_cmpstr (tsu_household_flag_to_label (all[i].flag), ==, all[i].label);
      g_assert_true (tsu_household_flag_lookup_label (all[i].label) == &all[i]);
      for (const char *c = all[i].code; *c != '\0'; c++)
        g_assert_true (g_ascii_isalnum (*c) || *c == '_');
    }
  g_assert_cmpuint (seen, ==, TSU_HOUSEHOLD_FLAG_ALL);
  g_assert_cmpstr (tsu_household_flag_to_label (TSU_HOUSEHOLD_FLAG_ELDERLY_ALONE), ==, "高齢単身");
  g_assert_cmpuint (tsu_household_flag_from_code ("no_such_flag"), ==, TSU_HOUSEHOLD_FLAG_NONE);

  codes = tsu_household_flags_to_codes (TSU_HOUSEHOLD_FLAG_ELDERLY_ALONE | TSU_HOUSEHOLD_FLAG_8050);
  g_assert_cmpstr (codes, ==, "elderly_alone,8050");
  labels = tsu_household_flags_to_labels (TSU_HOUSEHOLD_FLAG_ELDERLY_ALONE | TSU_HOUSEHOLD_FLAG_CARE_NEED, NULL);
  g_assert_cmpstr (labels, ==, "高齢単身・要介護");

  g_assert_true (tsu_household_flags_from_codes (" elderly_alone, 要介護 ,", &value, NULL));
  g_assert_cmpuint (value, ==, TSU_HOUSEHOLD_FLAG_ELDERLY_ALONE | TSU_HOUSEHOLD_FLAG_CARE_NEED);
  g_assert_false (tsu_household_flags_from_codes ("poverty,unknown", &value, &bad));
  g_assert_cmpstr (bad, ==, "unknown");
  g_assert_cmpuint (value, ==, TSU_HOUSEHOLD_FLAG_ELDERLY_ALONE | TSU_HOUSEHOLD_FLAG_CARE_NEED);
}

/* Reference data ------------------------------------------------------- */

static void
test_reference_idempotent (void)
{
  g_autoptr(TsuStore) store = open_memory ();
  g_autoptr(TsuStore) other = open_memory ();
  g_autoptr(GError) error = NULL;
  const TsuReferenceCategory *categories;
  const TsuReferenceAgency *agencies;
  g_autofree char *visit_id = tsu_reference_data_category_id ("contact_type", "visit");
  g_autoptr(JsonObject) edit = json_object_new ();
  g_autoptr(JsonObject) record = NULL;
  guint n_categories, n_agencies;
  gint64 operations;

  categories = tsu_reference_data_get_categories (&n_categories);
  agencies = tsu_reference_data_get_agencies (&n_agencies);
  /* 5 contact types, 4 outcomes, 5 support areas, 14 contents,
   * 7 relationships, 11 flags. */
  g_assert_cmpuint (n_categories, ==, 5 + 4 + 5 + 14 + 7 + 11);
  g_assert_cmpuint (n_agencies, >=, 12);

  g_assert_true (tsu_reference_data_ensure (store, &error));
  g_assert_no_error (error);
  operations = get_stat (store, "operations");
  g_assert_cmpint (operations, ==, n_categories + n_agencies);
  g_assert_cmpint (get_stat (store, "agencies"), ==, n_agencies);

  for (guint i = 0; i < n_categories; i++)
    {
      g_autofree char *id = tsu_reference_data_category_id (categories[i].kind, categories[i].code);
      g_autoptr(JsonObject) category = get_record (store, "category", id);

      g_assert_cmpstr (json_object_get_string_member (category, "kind"), ==, categories[i].kind);
      g_assert_cmpstr (json_object_get_string_member (category, "code"), ==, categories[i].code);
      g_assert_cmpstr (json_object_get_string_member (category, "label"), ==, categories[i].label);
    }
  g_assert_cmpstr (tsu_reference_data_category_label ("content", "child_school"), ==, "子どもの教育・学校生活");
  g_assert_cmpstr (tsu_reference_data_category_label ("flag", "8050"), ==, "8050");

  /* An edit by the 社協 survives seeding again; nothing is added twice. */
  json_object_set_string_member (edit, "label", "家庭訪問");
  g_assert_true (tsu_store_update (store, "category", visit_id, edit, &error));
  g_assert_no_error (error);
  g_assert_true (tsu_reference_data_ensure (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (get_stat (store, "operations"), ==, operations + 1);
  record = get_record (store, "category", visit_id);
  g_assert_cmpstr (json_object_get_string_member (record, "label"), ==, "家庭訪問");

  /* Another replica seeds the same ids. */
  g_assert_true (tsu_reference_data_ensure (other, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < n_agencies; i++)
    {
      g_autofree char *id = tsu_reference_data_agency_id (agencies[i].code);
      g_autofree char *a = record_text (store, "agency", id);
      g_autofree char *b = record_text (other, "agency", id);

      g_assert_cmpstr (a, ==, b);
    }
}

/* The generator -------------------------------------------------------- */

static void
test_sizes (void)
{
  TsuDemoOptions options;
  TsuDemoSize size;

  tsu_demo_options_init (&options, TSU_DEMO_SIZE_SMALL);
  g_assert_cmpuint (options.households, ==, 300);
  tsu_demo_options_init (&options, TSU_DEMO_SIZE_IGA);
  g_assert_cmpuint (options.households, ==, 40000);
  g_assert_cmpuint (options.years, ==, 5);
  g_assert_false (g_date_valid (&options.today));
  tsu_demo_options_init (&options, TSU_DEMO_SIZE_TENFOLD);
  g_assert_cmpuint (options.households, ==, 400000);

  g_assert_true (tsu_demo_size_from_string ("tenfold", &size));
  g_assert_cmpint (size, ==, TSU_DEMO_SIZE_TENFOLD);
  g_assert_true (tsu_demo_size_from_string ("small", &size));
  g_assert_cmpint (size, ==, TSU_DEMO_SIZE_SMALL);
  g_assert_false (tsu_demo_size_from_string ("huge", &size));
}

static char *
dump_sample (TsuStore *store,
             guint32   seed)
{
  GString *dump = g_string_new (NULL);
  static const struct { const char *table; guint n; } sample[] = {
    { "household", 150 }, { "resident", 300 }, { "visit", 600 }, { "followup", 50 },
  };

  for (guint t = 0; t < G_N_ELEMENTS (sample); t++)
    for (guint i = 0; i < sample[t].n; i += 7)
      {
        g_autofree char *id = tsu_demo_record_id (seed, sample[t].table, i);
        g_autofree char *text = record_text (store, sample[t].table, id);

        g_string_append_printf (dump, "%s\n", text);
      }
  return g_string_free (dump, FALSE);
}

static void
test_deterministic (void)
{
  g_autoptr(TsuStore) a = make_city (200, 7);
  g_autoptr(TsuStore) b = make_city (200, 7);
  g_autoptr(TsuStore) c = make_city (200, 8);
  g_autoptr(JsonObject) stats_a = tsu_store_get_stats (a, NULL);
  g_autoptr(JsonObject) stats_b = tsu_store_get_stats (b, NULL);
  g_autoptr(JsonNode) node_a = json_node_init_object (json_node_alloc (), stats_a);
  g_autoptr(JsonNode) node_b = json_node_init_object (json_node_alloc (), stats_b);
  g_autofree char *text_a = json_to_string (node_a, FALSE);
  g_autofree char *text_b = json_to_string (node_b, FALSE);
  g_autofree char *dump_a = dump_sample (a, 7);
  g_autofree char *dump_b = dump_sample (b, 7);
  g_autofree char *id = tsu_demo_record_id (8, "household", 0);
  g_autofree char *first_c = record_text (c, "household", id);
  g_autofree char *id_7 = tsu_demo_record_id (7, "household", 0);
  g_autofree char *first_a = record_text (a, "household", id_7);

  g_assert_cmpstr (text_a, ==, text_b);
  g_assert_cmpstr (dump_a, ==, dump_b);
  g_assert_cmpuint (strlen (dump_a), >, 10000);
  /* A different seed is a different city (ids aside). */
  g_assert_cmpstr (strchr (first_a, ','), !=, strchr (first_c, ','));
}

static void
test_counts (void)
{
  TsuStore *store = big_city ();
  gint64 households = get_stat (store, "households");
  gint64 residents = get_stat (store, "residents");
  gint64 visits = get_stat (store, "visits");
  gint64 categories = 5 + 4 + 5 + 14 + 7 + 11;

  g_assert_cmpint (get_stat (store, "districts"), ==, 39);
  g_assert_cmpint (get_stat (store, "coordinators"), ==, 13);
  g_assert_cmpint (households, ==, BIG_HOUSEHOLDS);
  /* Iga: 85,000 residents in 40,000 households; 200,000 visits in 5 years. */
  g_assert_cmpfloat ((double) residents / households, >, 2.0);
  g_assert_cmpfloat ((double) residents / households, <, 2.3);
  g_assert_cmpfloat ((double) visits / households, >, 4.5);
  g_assert_cmpfloat ((double) visits / households, <, 5.5);
  g_assert_cmpint (get_stat (store, "followups"), >, households / 20);

  /* Every record came through the operation log: one operation each. */
  g_assert_cmpint (get_stat (store, "operations"), ==,
                   get_stat (store, "districts") + get_stat (store, "coordinators") +
                   get_stat (store, "agencies") + categories + households + residents +
                   visits + get_stat (store, "followups"));
}

typedef struct
{
  TsuHouseholdFlag flag;
  double           low;    /* per cent of households */
  double           high;
} Share;

static void
test_proportions (void)
{
  /* The city's figures (of 40,500 households): 7,508 elderly living alone
   * (18.5 %), 13,284 elderly only (32.8 %, so 14.3 % couples), 667
   * single parents (1.6 %), 538 on public assistance (1.3 %, and more in
   * need); the others are estimates with room either side. */
  static const Share shares[] = {
    { TSU_HOUSEHOLD_FLAG_ELDERLY_ALONE, 16.5, 20.5 },
    { TSU_HOUSEHOLD_FLAG_ELDERLY_COUPLE, 12.3, 16.3 },
    { TSU_HOUSEHOLD_FLAG_SINGLE_PARENT, 0.8, 2.8 },
    { TSU_HOUSEHOLD_FLAG_POVERTY, 1.3, 4.5 },
    { TSU_HOUSEHOLD_FLAG_CHILDREARING, 12.0, 26.0 },
    { TSU_HOUSEHOLD_FLAG_CARE_NEED, 6.0, 18.0 },
    { TSU_HOUSEHOLD_FLAG_DISABILITY, 3.5, 8.0 },
    { TSU_HOUSEHOLD_FLAG_HIKIKOMORI, 0.3, 2.5 },
    { TSU_HOUSEHOLD_FLAG_8050, 0.1, 1.5 },
    { TSU_HOUSEHOLD_FLAG_FOREIGN_LANGUAGE, 0.8, 5.0 },
    { TSU_HOUSEHOLD_FLAG_HOUSING, 0.5, 3.5 },
  };
  TsuStore *store = big_city ();
  guint counts[G_N_ELEMENTS (shares)] = { 0 };
  guint elderly = 0, moved = 0, deceased = 0;
  gint64 residents = get_stat (store, "residents");

  for (guint i = 0; i < BIG_HOUSEHOLDS; i++)
    {
      g_autofree char *id = tsu_demo_record_id (TEST_SEED, "household", i);
      g_autoptr(JsonObject) household = get_record (store, "household", id);
      guint flags = json_object_get_int_member (household, "flags");
      const char *status = json_object_get_string_member (household, "status");

      for (guint s = 0; s < G_N_ELEMENTS (shares); s++)
        if (flags & shares[s].flag)
          counts[s]++;
      moved += g_str_equal (status, "moved");
      deceased += g_str_equal (status, "deceased");
    }

  for (guint s = 0; s < G_N_ELEMENTS (shares); s++)
    {
      double percent = 100.0 * counts[s] / BIG_HOUSEHOLDS;

      g_test_message ("%s: %.2f %%", tsu_household_flag_to_code (shares[s].flag), percent);
      g_assert_cmpfloat (percent, >=, shares[s].low);
      g_assert_cmpfloat (percent, <=, shares[s].high);
    }
  g_assert_cmpuint (moved, >, 0);
  g_assert_cmpuint (deceased, >, 0);
  g_assert_cmpuint (moved + deceased, <, BIG_HOUSEHOLDS / 20);

  /* Ageing rate 34 %: residents aged 65 or more on the city's "today". */
  for (gint64 i = 0; i < residents; i++)
    {
      g_autofree char *id = tsu_demo_record_id (TEST_SEED, "resident", i);
      g_autoptr(JsonObject) resident = get_record (store, "resident", id);
      const char *birth = json_object_get_string_member (resident, "birth_date");
      const char *kana = json_object_get_string_member (resident, "kana");

      g_assert_nonnull (kana);
      /* Readings are katakana (or a space between family and given name). */
      for (const char *p = kana; *p != '\0'; p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);
          g_assert_true (c == ' ' || (c >= 0x30A0 && c <= 0x30FF));
        }
      if (strcmp (birth, "1960-04-01") <= 0)
        elderly++;
    }
  g_test_message ("ageing rate: %.1f %%", 100.0 * elderly / residents);
  g_assert_cmpfloat (100.0 * elderly / residents, >, 30.0);
  g_assert_cmpfloat (100.0 * elderly / residents, <, 38.0);
}

static void
test_places_in_city (void)
{
  TsuStore *store = big_city ();
  g_autoptr(GHashTable) used = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) district_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) areas = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                       (GDestroyNotify) tsu_shape_free);
  gboolean found_unconfirmed = FALSE;
  guint inside = 0;

  for (guint d = 0; d < tsu_demo_n_districts; d++)
    {
      g_autofree char *name = g_strdup_printf ("district/%s", tsu_demo_districts[d].name);
      char *id = tsu_reference_data_make_id (name);
      g_autoptr(JsonObject) district = get_record (store, "district", id);

      g_ptr_array_add (district_ids, id);
      g_assert_cmpstr (json_object_get_string_member (district, "name"), ==, tsu_demo_districts[d].name);
      /* Every district has an outline, marked approximate: the council
       * areas are not published. */
      {
        g_autoptr(GError) error = NULL;
        TsuShape *area = tsu_geojson_parse_geometry (json_object_get_string_member (district, "boundary"), &error);

        g_assert_no_error (error);
        g_assert_true (json_object_get_boolean_member (district, "boundary_approximate"));
        g_hash_table_insert (areas, id, area);
      }
      if (json_object_get_boolean_member (district, "unconfirmed"))
        {
          g_assert_cmpstr (tsu_demo_districts[d].name, ==, "緑ケ丘");
          found_unconfirmed = TRUE;
        }
    }
  g_assert_true (found_unconfirmed);

  for (guint i = 0; i < BIG_HOUSEHOLDS; i++)
    {
      g_autofree char *id = tsu_demo_record_id (TEST_SEED, "household", i);
      g_autoptr(JsonObject) household = get_record (store, "household", id);
      const char *district_id = json_object_get_string_member (household, "district_id");
      double lat = json_object_get_double_member (household, "lat");
      double lon = json_object_get_double_member (household, "lon");
      const char *address = json_object_get_string_member (household, "address");

      g_assert_nonnull (district_id);
      g_assert_true (g_ptr_array_find_with_equal_func (district_ids, district_id, g_str_equal, NULL));
      g_hash_table_add (used, (gpointer) g_intern_string (district_id));
      g_assert_cmpfloat (lat, >=, 34.55);
      g_assert_cmpfloat (lat, <=, 34.91);
      g_assert_cmpfloat (lon, >=, 136.01);
      g_assert_cmpfloat (lon, <=, 136.35);
      g_assert_true (g_str_has_prefix (address, "伊賀市"));
      if (tsu_shape_contains (g_hash_table_lookup (areas, district_id), lon, lat))
        inside++;
    }
  g_assert_cmpuint (g_hash_table_size (used), ==, 39);
  /* The outlines are drawn around the households' own towns: nearly all
   * of them lie inside their district's (a few are placed further out
   * than the outline reaches). */
  g_test_message ("%u of %u households inside their district's outline", inside, BIG_HOUSEHOLDS);
  g_assert_cmpuint (inside, >=, BIG_HOUSEHOLDS * 95 / 100);
}

static void
test_visits (void)
{
  TsuStore *store = big_city ();
  gint64 visits = get_stat (store, "visits");
  guint sensitive = 0, with_next = 0, met = 0;
  guint weekdays[8] = { 0 };
  g_autoptr(GHashTable) contact_types = g_hash_table_new (g_str_hash, g_str_equal);

  for (gint64 i = 0; i < visits; i += 3)
    {
      g_autofree char *id = tsu_demo_record_id (TEST_SEED, "visit", i);
      g_autoptr(JsonObject) visit = get_record (store, "visit", id);
      const char *at = json_object_get_string_member (visit, "visited_at");
      const char *contact = json_object_get_string_member (visit, "contact_type");
      const char *outcome = json_object_get_string_member (visit, "outcome");
      const char *categories = json_object_get_string_member (visit, "categories");

      /* Five years before the city's "today", in working hours. */
      g_assert_cmpstr (at, >=, "2020-04-01");
      g_assert_cmpstr (at, <=, "2025-04-01T99");
      g_assert_cmpuint (strlen (at), ==, 16);
      {
        GDate date;
        g_autofree char *day = g_strndup (at, 10);

        g_date_clear (&date, 1);
        g_date_set_parse (&date, day);
        g_assert_true (g_date_valid (&date));
        /* Coordinators do not visit at weekends; every weekday is used. */
        g_assert_cmpint (g_date_get_weekday (&date), <=, G_DATE_FRIDAY);
        weekdays[g_date_get_weekday (&date)]++;
      }
      g_assert_nonnull (tsu_reference_data_category_label ("contact_type", contact));
      g_assert_nonnull (tsu_reference_data_category_label ("outcome", outcome));
      g_assert_nonnull (tsu_reference_data_category_label ("support_area",
                                                           json_object_get_string_member (visit, "support_area")));
      g_hash_table_add (contact_types, (gpointer) g_intern_string (contact));
      if (categories != NULL)
        {
          g_auto(GStrv) codes = g_strsplit (categories, ",", -1);

          for (guint c = 0; codes[c] != NULL; c++)
            g_assert_nonnull (tsu_reference_data_category_label ("content", codes[c]));
        }
      met += g_str_equal (outcome, "met");
      sensitive += json_object_get_boolean_member (visit, "sensitive");
      with_next += json_object_get_string_member (visit, "next_follow_up") != NULL;
    }
  g_assert_cmpuint (g_hash_table_size (contact_types), ==, 5);
  for (guint d = G_DATE_MONDAY; d <= G_DATE_FRIDAY; d++)
    {
      g_assert_cmpuint (weekdays[d], >, visits / 3 / 5 * 8 / 10);
      g_assert_cmpuint (weekdays[d], <, visits / 3 / 5 * 12 / 10);
    }
  g_assert_cmpuint (met, >, visits / 3 / 2);
  g_assert_cmpuint (sensitive, >, 0);
  g_assert_cmpuint (sensitive, <, visits / 3 / 4);
  g_assert_cmpuint (with_next, >, 0);
}

static void
test_not_empty (void)
{
  g_autoptr(TsuStore) store = make_city (50, 1);
  g_autoptr(GError) error = NULL;
  TsuDemoOptions options;
  gint64 operations = get_stat (store, "operations");

  tsu_demo_options_init (&options, TSU_DEMO_SIZE_SMALL);
  g_assert_false (tsu_demo_generate (store, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, TSU_DEMO_ERROR, TSU_DEMO_ERROR_NOT_EMPTY);
  g_assert_cmpint (get_stat (store, "operations"), ==, operations);
  g_assert_cmpint (get_stat (store, "households"), ==, 50);
}

static void
count_progress (double      fraction,
                const char *stage,
                gpointer    user_data)
{
  GCancellable *cancellable = user_data;

  g_assert_cmpfloat (fraction, >=, 0.0);
  g_assert_cmpfloat (fraction, <=, 1.0);
  if (g_str_equal (stage, "visits"))
    g_cancellable_cancel (cancellable);
}

static void
test_cancel_leaves_nothing (void)
{
  g_autoptr(TsuStore) store = open_memory ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  TsuDemoOptions options;

  tsu_demo_options_init (&options, TSU_DEMO_SIZE_SMALL);
  set_today (&options);
  g_assert_false (tsu_demo_generate (store, &options, count_progress, cancellable, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (get_stat (store, "operations"), ==, 0);
  g_assert_cmpint (get_stat (store, "households"), ==, 0);
  g_assert_cmpint (get_stat (store, "districts"), ==, 0);
}

static void
test_bad_options (void)
{
  g_autoptr(TsuStore) store = open_memory ();
  g_autoptr(GError) error = NULL;
  TsuDemoOptions options;

  tsu_demo_options_init (&options, TSU_DEMO_SIZE_SMALL);
  options.households = 0;
  g_assert_false (tsu_demo_generate (store, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, TSU_DEMO_ERROR, TSU_DEMO_ERROR_INVALID);
  g_assert_cmpint (get_stat (store, "operations"), ==, 0);
}

static void
generated_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (tsu_demo_generate_finish (TSU_STORE (source), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

typedef struct
{
  GThread *thread;
  guint    calls;
  double   last;
} ProgressSeen;

static void
async_progress (double      fraction,
                const char *stage,
                gpointer    user_data)
{
  ProgressSeen *seen = user_data;

  /* Reported in the caller's thread, in order. */
  g_assert_true (g_thread_self () == seen->thread);
  g_assert_cmpfloat (fraction, >=, seen->last);
  seen->last = fraction;
  seen->calls++;
}

static void
test_async (void)
{
  g_autoptr(TsuStore) store = open_memory ();
  TsuDemoOptions options;
  ProgressSeen seen = { g_thread_self (), 0, 0 };
  gboolean done = FALSE;

  tsu_demo_options_init (&options, TSU_DEMO_SIZE_SMALL);
  tsu_demo_generate_async (store, &options, async_progress, &seen, NULL, generated_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpint (get_stat (store, "households"), ==, 300);
  g_assert_cmpuint (seen.calls, >, 1);
  g_assert_cmpfloat (seen.last, ==, 1.0);
}

/* The embedded places against the census data they were made from. */
static void
test_places_match_census (void)
{
  const char *dir = g_getenv ("TSU_SHARED_DATA");
  g_autofree char *path = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *features;
  guint file_total = 0, places_total = 0, matched = 0;
  guint n_with_households = 0;

  if (dir == NULL)
    {
      g_test_skip ("TSU_SHARED_DATA is not set");
      return;
    }
  path = g_build_filename (dir, "iga-census-areas-2015.geojson", NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("the census areas file is not there");
      return;
    }
  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  features = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "features");

  for (guint i = 0; i < tsu_demo_n_places; i++)
    {
      g_assert_cmpuint (tsu_demo_places[i].district, <, tsu_demo_n_districts);
      g_assert_cmpuint (tsu_demo_places[i].households, >, 0);
      places_total += tsu_demo_places[i].households;
    }

  for (guint f = 0; f < json_array_get_length (features); f++)
    {
      JsonObject *feature = json_array_get_object_element (features, f);
      JsonObject *properties = json_object_get_object_member (feature, "properties");
      JsonArray *coordinates = json_object_get_array_member (json_object_get_object_member (feature, "geometry"),
                                                              "coordinates");
      double lon = json_array_get_double_element (coordinates, 0);
      double lat = json_array_get_double_element (coordinates, 1);
      guint households = json_object_get_int_member (properties, "households_2015");
      gboolean found = FALSE;

      file_total += households;
      if (households == 0)
        continue;
      n_with_households++;

      for (guint i = 0; i < tsu_demo_n_places && !found; i++)
        {
          const TsuDemoPlace *place = &tsu_demo_places[i];

          if (fabs (place->lat - lat) > 1e-5 || fabs (place->lon - lon) > 1e-5)
            continue;
          found = TRUE;
          /* 上神戸 gave part of its households to きじが台. */
          if (place->households != households)
            g_assert_cmpstr (json_object_get_string_member (properties, "name"), ==, "上神戸");
        }
      g_assert_true (found);
      matched++;
    }

  g_assert_cmpuint (file_total, ==, places_total);
  g_assert_cmpuint (matched, ==, n_with_households);
  /* One place per area with households, plus きじが台. */
  g_assert_cmpuint (tsu_demo_n_places, ==, n_with_households + 1);

  /* Every district centre lies inside the city's extent. */
  for (guint d = 0; d < tsu_demo_n_districts; d++)
    {
      g_assert_cmpfloat (tsu_demo_districts[d].lat, >, 34.55);
      g_assert_cmpfloat (tsu_demo_districts[d].lat, <, 34.91);
      g_assert_cmpfloat (tsu_demo_districts[d].lon, >, 136.01);
      g_assert_cmpfloat (tsu_demo_districts[d].lon, <, 136.35);
    }
}

/* Generated addresses use the 町・字 names of the address data, so that
 * an address → point lookup finds them. */
static void
test_places_match_towns (void)
{
  const char *dir = g_getenv ("TSU_SHARED_DATA");
  g_autofree char *path = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GHashTable) towns = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  JsonArray *array;
  guint total = 0, found = 0;

  if (dir == NULL)
    {
      g_test_skip ("TSU_SHARED_DATA is not set");
      return;
    }
  path = g_build_filename (dir, "iga-towns.json", NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("the towns file is not there");
      return;
    }
  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  array = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (array); i++)
    g_hash_table_add (towns, (gpointer) json_object_get_string_member (json_array_get_object_element (array, i),
                                                                      "town"));

  for (guint i = 0; i < tsu_demo_n_places; i++)
    {
      total += tsu_demo_places[i].households;
      if (g_hash_table_contains (towns, tsu_demo_places[i].town))
        found += tsu_demo_places[i].households;
      else
        g_test_message ("not in the address data: %s", tsu_demo_places[i].town);
    }
  g_assert_cmpfloat ((double) found / total, >=, 0.97);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/flags/lookup", test_flags_lookup);
  g_test_add_func ("/reference/idempotent", test_reference_idempotent);
  g_test_add_func ("/demo/sizes", test_sizes);
  g_test_add_func ("/demo/deterministic", test_deterministic);
  g_test_add_func ("/demo/counts", test_counts);
  g_test_add_func ("/demo/proportions", test_proportions);
  g_test_add_func ("/demo/places-in-city", test_places_in_city);
  g_test_add_func ("/demo/visits", test_visits);
  g_test_add_func ("/demo/not-empty", test_not_empty);
  g_test_add_func ("/demo/cancel-leaves-nothing", test_cancel_leaves_nothing);
  g_test_add_func ("/demo/bad-options", test_bad_options);
  g_test_add_func ("/demo/async", test_async);
  g_test_add_func ("/demo/places-match-census", test_places_match_census);
  g_test_add_func ("/demo/places-match-towns", test_places_match_towns);

  status = g_test_run ();
  return status;
}
