/* test-reports.c: summaries, meeting maps and case lists on a small city
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The city is built through the store API and every expected number below
 * was counted by hand from the table in build_city().
 */
#include "config.h"

#include <string.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "tsu-case-list.h"
#include "tsu-meeting-map.h"
#include "tsu-store-reports.h"
#include "tsu-summary.h"

#define FROM "2024-04-01"
#define TO   "2024-06-30"
#define TRICKY_LABEL "家族\"関係\", その他\n二行目"

typedef struct
{
  char     *dir;
  char     *path;
  TsuStore *store;
  char     *d1;
  char     *d2;
  char     *h[12];
} Fixture;

static char *
create (TsuStore   *store,
        const char *table,
        const char *first_key,
        ...)
{
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(GError) error = NULL;
  const char *key = first_key;
  va_list args;
  char *id;

  va_start (args, first_key);
  while (key != NULL)
    {
      char type = key[0];
      const char *name = key + 2;   /* "s:name", "i:name", "d:name", "b:name" */

      switch (type)
        {
        case 's': json_object_set_string_member (fields, name, va_arg (args, const char *)); break;
        case 'i': json_object_set_int_member (fields, name, va_arg (args, int)); break;
        case 'd': json_object_set_double_member (fields, name, va_arg (args, double)); break;
        case 'b': json_object_set_boolean_member (fields, name, va_arg (args, int)); break;
        default: g_assert_not_reached ();
        }
      key = va_arg (args, const char *);
    }
  va_end (args);

  id = tsu_store_create (store, table, fields, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  return id;
}

static void
category (TsuStore   *store,
          const char *kind,
          const char *code,
          const char *label,
          int         order)
{
  g_free (create (store, "category", "s:kind", kind, "s:code", code, "s:label", label,
                  "i:sort_order", order, NULL));
}

static void
visit (Fixture    *f,
       int         h,
       const char *at,
       const char *contact,
       const char *outcome,
       const char *area,
       const char *cats,
       gboolean    sensitive,
       const char *note)
{
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  json_object_set_string_member (fields, "household_id", f->h[h]);
  json_object_set_string_member (fields, "visited_at", at);
  json_object_set_string_member (fields, "contact_type", contact);
  json_object_set_string_member (fields, "outcome", outcome);
  if (area)
    json_object_set_string_member (fields, "support_area", area);
  if (cats)
    json_object_set_string_member (fields, "categories", cats);
  json_object_set_boolean_member (fields, "sensitive", sensitive);
  if (note)
    json_object_set_string_member (fields, "note", note);
  id = tsu_store_create (f->store, "visit", fields, &error);
  g_assert_no_error (error);
}

static char *
household (Fixture    *f,
           const char *district,
           const char *jichikai,
           double      lat,
           double      lon,
           int         flags,
           int         n)
{
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *address = g_strdup_printf ("伊賀市上野秘密町%d番地", n);
  g_autofree char *name = g_strdup_printf ("伊賀野 太郎%d", n);
  g_autofree char *note = g_strdup_printf ("世帯メモ%d 内緒", n);
  char *id;
  g_autofree char *rid = NULL;

  json_object_set_string_member (fields, "district_id", district);
  if (jichikai)
    json_object_set_string_member (fields, "jichikai", jichikai);
  json_object_set_string_member (fields, "address", address);
  json_object_set_string_member (fields, "phone", "0595-00-1234");
  json_object_set_string_member (fields, "note", note);
  if (lat != 0)
    {
      json_object_set_double_member (fields, "lat", lat);
      json_object_set_double_member (fields, "lon", lon);
    }
  json_object_set_int_member (fields, "flags", flags);
  id = tsu_store_create (f->store, "household", fields, &error);
  g_assert_no_error (error);

  rid = create (f->store, "resident", "s:household_id", id, "s:name", name,
                "s:kana", "イガノ タロウ", "s:birth_date", "1940-05-01", "s:relationship", "head", NULL);
  return id;
}

/* The city (period 2024-04-01 .. 2024-06-30):
 *
 *  D1 上野南部 (no boundary)           D2 島ヶ原 (boundary polygon)
 *   h1..h4  自治会 東町, flag bit 0       h11 flag bit 0, located
 *   h5, h6  cell A, flag bit 2 (2 only: suppressed at min 3)
 *   h7..h9  cell B ~1.1 km NE, flags bits 0 and 7
 *   h10     not watched (flags 0)
 *
 *  visits:  h1 04-05 visit/met/elderly c01,c03;  h1 05-10 phone/absent/elderly c01
 *           h1 04-06 deleted;  h2 04-20 visit/met/child c02 sensitive
 *           h3 03-15 (before);  h3 06-01 visit/met/elderly
 *           h7 06-30T23:59 visit/met/elderly c03;  h8 07-01T00:00 (after)
 *           h5 05-05 phone/met/(none);  h11 04-02 visit/met/elderly c01
 */
static void
build_city (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  category (f->store, "support_area", "elderly", "高齢", 1);
  category (f->store, "support_area", "child", "子ども", 2);
  category (f->store, "content", "c01", "在宅福祉", 1);
  category (f->store, "content", "c02", TRICKY_LABEL, 2);
  category (f->store, "content", "c03", "住居", 3);
  category (f->store, "contact_type", "visit", "訪問", 1);
  category (f->store, "contact_type", "phone", "電話", 2);
  category (f->store, "outcome", "met", "面会", 1);
  category (f->store, "outcome", "absent", "不在", 2);

  f->d1 = create (f->store, "district", "s:name", "上野南部", "i:sort_order", 1, NULL);
  f->d2 = create (f->store, "district", "s:name", "島ヶ原", "i:sort_order", 2,
                  "s:boundary", "{\"type\":\"Polygon\",\"coordinates\":[[[136.17,34.78],[136.20,34.78],[136.20,34.80],[136.17,34.80],[136.17,34.78]]]}",
                  NULL);

  for (int i = 1; i <= 4; i++)
    f->h[i] = household (f, f->d1, "東町", 34.7720 + i * 0.0002, 136.1250, 1 << 0, i);
  f->h[5] = household (f, f->d1, NULL, 34.7701, 136.1301, 1 << 2, 5);
  f->h[6] = household (f, f->d1, NULL, 34.7702, 136.1302, 1 << 2, 6);
  for (int i = 7; i <= 9; i++)
    f->h[i] = household (f, f->d1, NULL, 34.7791 + (i - 7) * 0.0001, 136.1401, (1 << 0) | (1 << 7), i);
  f->h[10] = household (f, f->d1, NULL, 34.7650, 136.1200, 0, 10);
  f->h[11] = household (f, f->d2, NULL, 34.7900, 136.1850, 1 << 0, 11);

  visit (f, 1, "2024-04-05T10:00", "visit", "met", "elderly", "c01,c03", FALSE, "体調について");
  visit (f, 1, "2024-05-10T14:30", "phone", "absent", "elderly", "c01", FALSE, NULL);
  {
    g_autoptr(JsonObject) fields = json_object_new ();
    g_autofree char *id = NULL;

    json_object_set_string_member (fields, "household_id", f->h[1]);
    json_object_set_string_member (fields, "visited_at", "2024-04-06T10:00");
    json_object_set_string_member (fields, "contact_type", "visit");
    json_object_set_string_member (fields, "outcome", "met");
    id = tsu_store_create (f->store, "visit", fields, &error);
    g_assert_no_error (error);
    tsu_store_delete (f->store, "visit", id, &error);
    g_assert_no_error (error);
  }
  visit (f, 2, "2024-04-20T09:00", "visit", "met", "child", "c02", TRUE, "要配慮の秘密メモ");
  visit (f, 3, "2024-03-15T09:00", "visit", "met", "elderly", NULL, FALSE, NULL);
  visit (f, 3, "2024-06-01T09:00", "visit", "met", "elderly", NULL, FALSE, NULL);
  visit (f, 7, "2024-06-30T23:59", "visit", "met", "elderly", "c03", FALSE, "note with \"quotes\", commas\nand lines");
  visit (f, 8, "2024-07-01T00:00", "visit", "met", "elderly", "c01", FALSE, NULL);
  visit (f, 5, "2024-05-05T11:00", "phone", "met", NULL, NULL, FALSE, NULL);
  visit (f, 11, "2024-04-02T13:00", "visit", "met", "elderly", "c01", FALSE, NULL);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("tsu-test-reports-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "test.db", NULL);
  f->store = tsu_store_open (f->path, &error);
  g_assert_no_error (error);
  tsu_store_set_actor (f->store, "coordinator-test");
  build_city (f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&f->store);
  /* TSU_TEST_KEEP=1 leaves the PDFs and PNGs for a person to look at. */
  if (g_getenv ("TSU_TEST_KEEP") != NULL)
    g_test_message ("kept %s", f->dir);
  else
    dir = g_dir_open (f->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_unlink (path);
    }
  if (g_getenv ("TSU_TEST_KEEP") == NULL)
    g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
  g_free (f->d1);
  g_free (f->d2);
  for (guint i = 0; i < G_N_ELEMENTS (f->h); i++)
    g_free (f->h[i]);
}

static TsuSummaryTable *
find_table (TsuSummary *summary,
            const char *prefix)
{
  for (guint i = 0; i < tsu_summary_get_n_tables (summary); i++)
    if (g_str_has_prefix (tsu_summary_get_table (summary, i)->title, prefix))
      return tsu_summary_get_table (summary, i);
  g_assert_not_reached ();
  return NULL;
}

static TsuSummaryRow *
find_row (TsuSummaryTable *table,
          const char      *label0,
          const char      *label1)
{
  for (guint r = 0; r < table->rows->len; r++)
    {
      TsuSummaryRow *row = table->rows->pdata[r];

      if (g_strcmp0 (row->labels[0], label0) == 0 &&
          (label1 == NULL || g_strcmp0 (row->labels[1], label1) == 0))
        return row;
    }
  g_assert_not_reached ();
  return NULL;
}

static void
assert_values (TsuSummaryRow *row,
               gint64         a,
               gint64         b,
               gint64         c,
               gint64         d)
{
  g_assert_cmpint (row->values[0], ==, a);
  g_assert_cmpint (row->values[1], ==, b);
  g_assert_cmpint (row->values[2], ==, c);
  g_assert_cmpint (row->values[3], ==, d);
}

static void
test_aggregation (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsuSummary) summary = tsu_summary_new_from_store (f->store, FROM, TO, NULL, &error);
  TsuSummaryTable *t;

  g_assert_no_error (error);
  g_assert_nonnull (summary);
  g_assert_cmpuint (tsu_summary_get_n_tables (summary), ==, 5);

  /* Visits, sensitive, reached, new. */
  t = find_table (summary, "Households reached");
  assert_values (find_row (t, "上野南部", NULL), 6, 1, 5, 4);
  assert_values (find_row (t, "島ヶ原", NULL), 1, 0, 1, 1);
  assert_values (find_row (t, "Total", NULL), 7, 1, 6, 5);

  /* Columns: 2024-04, 05, 06, total. */
  t = find_table (summary, "Visits by district and support area");
  g_assert_cmpuint (t->headers->len, ==, 2 + 3 + 1);
  g_assert_cmpstr (t->headers->pdata[2], ==, "2024-04");
  assert_values (find_row (t, "上野南部", "高齢"), 1, 1, 2, 4);
  assert_values (find_row (t, "上野南部", "子ども"), 1, 0, 0, 1);
  assert_values (find_row (t, "上野南部", "Not recorded"), 0, 1, 0, 1);
  assert_values (find_row (t, "上野南部", "Subtotal"), 2, 2, 2, 6);
  assert_values (find_row (t, "島ヶ原", "高齢"), 1, 0, 0, 1);
  assert_values (find_row (t, "Total", NULL), 3, 2, 2, 7);

  t = find_table (summary, "Visits by content");
  g_assert_cmpuint (t->rows->len, ==, 3);
  assert_values (find_row (t, "在宅福祉", NULL), 2, 1, 0, 3);
  assert_values (find_row (t, TRICKY_LABEL, NULL), 1, 0, 0, 1);
  assert_values (find_row (t, "住居", NULL), 1, 0, 1, 2);

  t = find_table (summary, "Visits by contact type");
  assert_values (find_row (t, "訪問", NULL), 3, 0, 2, 5);
  assert_values (find_row (t, "電話", NULL), 0, 2, 0, 2);
  assert_values (find_row (t, "Total", NULL), 3, 2, 2, 7);

  t = find_table (summary, "Visits by outcome");
  assert_values (find_row (t, "面会", NULL), 3, 1, 2, 6);
  assert_values (find_row (t, "不在", NULL), 0, 1, 0, 1);

  /* One district only. */
  {
    const char *ids[] = { f->d2, NULL };
    g_autoptr(TsuSummary) one = tsu_summary_new_from_store (f->store, FROM, TO, ids, &error);

    g_assert_no_error (error);
    t = find_table (one, "Households reached");
    g_assert_cmpuint (t->rows->len, ==, 2);
    assert_values (find_row (t, "Total", NULL), 1, 0, 1, 1);
  }

  /* Bad input: an unknown district and a reversed period are refused. */
  {
    const char *ids[] = { "no-such-district", NULL };
    g_autoptr(TsuSummary) none = tsu_summary_new_from_store (f->store, FROM, TO, ids, &error);

    g_assert_null (none);
    g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_NOT_FOUND);
    g_clear_error (&error);
    none = tsu_summary_new_from_store (f->store, TO, FROM, NULL, &error);
    g_assert_null (none);
    g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID);
  }
}

static const TsuMeetingMapArea *
find_area (TsuMeetingMap *map,
           const char    *label)
{
  GPtrArray *areas = tsu_meeting_map_get_areas (map);

  for (guint i = 0; i < areas->len; i++)
    if (g_strcmp0 (((TsuMeetingMapArea *) areas->pdata[i])->label, label) == 0)
      return areas->pdata[i];
  return NULL;
}

static void
test_meeting_map_suppression (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsuMeetingMap) map = NULL;
  const TsuMeetingMapArea *area;
  gint64 households, visited;

  map = tsu_meeting_map_new_from_store (f->store, f->d1, FROM, TO, 500, 3, &error);
  g_assert_no_error (error);

  tsu_meeting_map_get_totals (map, &households, &visited);
  g_assert_cmpint (households, ==, 9);
  g_assert_cmpint (visited, ==, 5);

  g_assert_cmpuint (tsu_meeting_map_get_areas (map)->len, ==, 2);
  area = find_area (map, "東町");
  g_assert_nonnull (area);
  g_assert_cmpint (area->households, ==, 4);
  g_assert_cmpint (area->visited, ==, 3);
  g_assert_cmpint (area->flag_counts[0], ==, 4);
  g_assert_false (area->is_cell);

  area = find_area (map, "C1");
  g_assert_nonnull (area);
  g_assert_true (area->is_cell);
  g_assert_cmpint (area->households, ==, 3);
  g_assert_cmpint (area->visited, ==, 1);
  g_assert_cmpint (area->flag_counts[0], ==, 3);
  g_assert_cmpint (area->flag_counts[7], ==, 3);

  /* The two households of cell A are pooled, without a position. */
  g_assert_cmpuint (tsu_meeting_map_get_n_suppressed (map), ==, 1);
  g_assert_cmpint (tsu_meeting_map_get_pooled (map)->households, ==, 2);
  g_assert_cmpint (tsu_meeting_map_get_pooled (map)->visited, ==, 1);
  g_assert_true (tsu_meeting_map_get_boundary_approximate (map));
  g_clear_object (&map);

  /* With a threshold of 2 the cell is shown. */
  map = tsu_meeting_map_new_from_store (f->store, f->d1, FROM, TO, 500, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tsu_meeting_map_get_areas (map)->len, ==, 3);
  g_assert_cmpuint (tsu_meeting_map_get_n_suppressed (map), ==, 0);
  g_clear_object (&map);

  /* D2 has a real boundary and one watched household: nothing is shown. */
  map = tsu_meeting_map_new_from_store (f->store, f->d2, FROM, TO, 500, 3, &error);
  g_assert_no_error (error);
  g_assert_false (tsu_meeting_map_get_boundary_approximate (map));
  g_assert_cmpuint (tsu_meeting_map_get_areas (map)->len, ==, 0);
  g_assert_cmpint (tsu_meeting_map_get_pooled (map)->households, ==, 1);
}

/* A small RFC 4180 reader: records of fields, CRLF between records. */
static GPtrArray *
parse_csv (const char *text,
           gsize       len)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GPtrArray *record = g_ptr_array_new_with_free_func (g_free);
  GString *field = g_string_new (NULL);
  gboolean quoted = FALSE;
  gsize i = 0;

  while (i < len)
    {
      char c = text[i];

      if (quoted)
        {
          if (c == '"' && i + 1 < len && text[i + 1] == '"')
            {
              g_string_append_c (field, '"');
              i += 2;
              continue;
            }
          if (c == '"')
            quoted = FALSE;
          else
            g_string_append_c (field, c);
          i++;
          continue;
        }
      if (c == '"')
        quoted = TRUE;
      else if (c == ',')
        {
          g_ptr_array_add (record, g_strdup (field->str));
          g_string_truncate (field, 0);
        }
      else if (c == '\r')
        {
          g_assert_cmpint (text[i + 1], ==, '\n');
          g_ptr_array_add (record, g_strdup (field->str));
          g_string_truncate (field, 0);
          g_ptr_array_add (records, record);
          record = g_ptr_array_new_with_free_func (g_free);
          i++;
        }
      else
        {
          /* Outside quotes a bare LF would be a broken record for Excel. */
          g_assert_cmpint (c, !=, '\n');
          g_string_append_c (field, c);
        }
      i++;
    }
  g_assert_false (quoted);
  g_assert_cmpuint (record->len, ==, 0);
  g_assert_cmpuint (field->len, ==, 0);
  g_ptr_array_unref (record);
  g_string_free (field, TRUE);
  return records;
}

static void
check_csv_against_summary (GPtrArray  *records,
                           TsuSummary *summary)
{
  guint r = 2;

  g_assert_cmpstr (((GPtrArray *) records->pdata[0])->pdata[0], ==, tsu_summary_get_title (summary));
  g_assert_cmpstr (((GPtrArray *) records->pdata[1])->pdata[1], ==, FROM);
  g_assert_cmpstr (((GPtrArray *) records->pdata[1])->pdata[3], ==, "令和6年4月1日～令和6年6月30日");

  for (guint t = 0; t < tsu_summary_get_n_tables (summary); t++)
    {
      TsuSummaryTable *table = tsu_summary_get_table (summary, t);
      g_autofree char *title = g_strdup_printf ("[%s]", table->title);
      GPtrArray *rec;

      /* A blank line, the title, the headers, the rows. */
      g_assert_cmpuint (((GPtrArray *) records->pdata[r])->len, ==, 1);
      g_assert_cmpstr (((GPtrArray *) records->pdata[r])->pdata[0], ==, "");
      r++;
      g_assert_cmpstr (((GPtrArray *) records->pdata[r++])->pdata[0], ==, title);
      rec = records->pdata[r++];
      g_assert_cmpuint (rec->len, ==, table->headers->len);
      for (guint i = 0; i < rec->len; i++)
        g_assert_cmpstr (rec->pdata[i], ==, table->headers->pdata[i]);
      for (guint k = 0; k < table->rows->len; k++)
        {
          TsuSummaryRow *row = table->rows->pdata[k];

          rec = records->pdata[r++];
          g_assert_cmpuint (rec->len, ==, table->headers->len);
          for (guint i = 0; i < table->n_label_columns; i++)
            g_assert_cmpstr (rec->pdata[i], ==, row->labels[i]);
          for (guint i = table->n_label_columns; i < rec->len; i++)
            g_assert_cmpint (g_ascii_strtoll (rec->pdata[i], NULL, 10), ==, row->values[i - table->n_label_columns]);
        }
    }
  g_assert_cmpuint (r, ==, records->len);
}

static void
test_csv_round_trip (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsuSummary) summary = tsu_summary_new_from_store (f->store, FROM, TO, NULL, &error);
  g_autofree char *path = g_build_filename (f->dir, "summary.csv", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) records = NULL;
  gsize len;

  g_assert_no_error (error);
  g_assert_true (tsu_summary_write_csv (summary, path, TSU_SUMMARY_ENCODING_UTF8_BOM, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &len, &error));

  g_assert_cmpuint (len, >, 3);
  g_assert_cmpmem (contents, 3, "\xEF\xBB\xBF", 3);
  g_assert_true (g_utf8_validate (contents, len, NULL));
  g_assert_nonnull (strstr (contents, "\"家族\"\"関係\"\", その他\n二行目\""));
  g_assert_nonnull (strstr (contents, "上野南部"));
  /* No free text from visits or households reaches a summary. */
  g_assert_null (strstr (contents, "秘密"));
  g_assert_null (strstr (contents, "体調"));
  g_assert_null (strstr (contents, "quotes"));

  records = parse_csv (contents + 3, len - 3);
  check_csv_against_summary (records, summary);
}

static void
test_csv_cp932 (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsuSummary) summary = tsu_summary_new_from_store (f->store, FROM, TO, NULL, &error);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *utf8 = NULL;
  g_autoptr(GPtrArray) records = NULL;
  gsize len;

  g_assert_no_error (error);
  bytes = tsu_summary_to_csv (summary, TSU_SUMMARY_ENCODING_CP932, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (bytes), >, 3);
  g_assert_cmpint (memcmp (g_bytes_get_data (bytes, NULL), "\xEF\xBB\xBF", 3), !=, 0);
  utf8 = g_convert (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "UTF-8", "CP932", NULL, &len, &error);
  g_assert_no_error (error);
  records = parse_csv (utf8, len);
  check_csv_against_summary (records, summary);

  /* A character outside CP932 (𠮷, U+20BB7) is refused by name and place. */
  {
    g_autoptr(TsuSummary) bad = tsu_summary_new ("集計", FROM, TO);
    const char *headers[] = { "地区", "件数", NULL };
    const char *labels[] = { "𠮷田", NULL };
    gint64 values[] = { 1 };
    g_autoptr(GBytes) none = NULL;

    tsu_summary_table_add_row (tsu_summary_add_table (bad, "表", 1, headers), labels, values, FALSE);
    none = tsu_summary_to_csv (bad, TSU_SUMMARY_ENCODING_CP932, &error);
    g_assert_null (none);
    g_assert_error (error, TSU_SUMMARY_ERROR, TSU_SUMMARY_ERROR_ENCODING);
    g_assert_nonnull (strstr (error->message, "𠮷"));
    g_assert_nonnull (strstr (error->message, "表"));
  }
}

static gboolean
have_program (const char *name)
{
  g_autofree char *path = g_find_program_in_path (name);
  return path != NULL;
}

static int
pdf_pages (const char *path)
{
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "pdfinfo", path, NULL };
  const char *p;
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  p = strstr (out, "Pages:");
  g_assert_nonnull (p);
  return atoi (p + 6);
}

static char *
pdf_text (const char *path,
          int         page)
{
  g_autofree char *first = g_strdup_printf ("%d", page);
  const char *argv[] = { "pdftotext", "-enc", "UTF-8", "-f", first, "-l", first, path, "-", NULL };
  const char *all[] = { "pdftotext", "-enc", "UTF-8", path, "-", NULL };
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) (page > 0 ? argv : all), NULL,
                               G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

static void
render_page (const char *pdf,
             const char *prefix)
{
  const char *argv[] = { "pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", pdf, prefix, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *png = g_strdup_printf ("%s-1.png", prefix);
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
}

static void
assert_no_personal_data (Fixture    *f,
                         const char *text)
{
  for (int i = 1; i <= 11; i++)
    {
      g_autofree char *address = g_strdup_printf ("秘密町%d番地", i);
      g_autofree char *name = g_strdup_printf ("太郎%d", i);
      g_autofree char *note = g_strdup_printf ("世帯メモ%d", i);

      g_assert_null (strstr (text, address));
      g_assert_null (strstr (text, name));
      g_assert_null (strstr (text, note));
    }
  g_assert_null (strstr (text, "秘密"));
  g_assert_null (strstr (text, "0595-00-1234"));
  g_assert_null (strstr (text, "イガノ"));
  g_assert_null (strstr (text, "体調"));
  g_assert_null (strstr (text, "quotes"));
}

static void
test_summary_pdf (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsuSummary) summary = tsu_summary_new_from_store (f->store, FROM, TO, NULL, &error);
  g_autoptr(TsuMeetingMap) map = tsu_meeting_map_new_from_store (f->store, f->d1, FROM, TO, 500, 3, &error);
  g_autofree char *path = g_build_filename (f->dir, "summary.pdf", NULL);
  g_autofree char *prefix = g_build_filename (f->dir, "summary", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *text = NULL;
  gsize len;

  g_assert_no_error (error);
  tsu_summary_add_map (summary, map);
  g_assert_true (tsu_summary_write_pdf (summary, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpuint (len, >, 1000);
  g_assert_cmpmem (contents, 5, "%PDF-", 5);

  if (!have_program ("pdfinfo") || !have_program ("pdftotext") || !have_program ("pdftoppm"))
    {
      g_test_skip ("poppler-utils is not installed");
      return;
    }
  /* Five tables of 3+9+3+3+3 rows: 84+156+84+84+84 pt of a 463 pt page
   * area, so the tables take two pages, then one page for the map. */
  g_assert_cmpint (pdf_pages (path), ==, 3);
  text = pdf_text (path, 0);
  g_assert_nonnull (strstr (text, "上野南部"));
  g_assert_nonnull (strstr (text, "令和6年4月1日"));
  /* pdftotext drops the spaces around the slash of "1 / 3". */
  g_assert_true (strstr (text, "1 / 3") != NULL || strstr (text, "1/3") != NULL);
  assert_no_personal_data (f, text);
  render_page (path, prefix);
}

static void
test_meeting_map_privacy (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsuMeetingMap) map = tsu_meeting_map_new_from_store (f->store, f->d1, FROM, TO, 500, 2, &error);
  g_autofree char *pdf = g_build_filename (f->dir, "map.pdf", NULL);
  g_autofree char *png = g_build_filename (f->dir, "map.png", NULL);
  g_autofree char *model = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  g_assert_no_error (error);
  model = tsu_meeting_map_dup_text (map);
  assert_no_personal_data (f, model);
  g_assert_nonnull (strstr (model, "東町"));

  g_assert_true (tsu_meeting_map_write_png (map, png, 1200, 850, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (png, &contents, &len, NULL));
  g_assert_cmpmem (contents, 4, "\x89PNG", 4);

  g_assert_true (tsu_meeting_map_write_pdf (map, pdf, FALSE, &error));
  g_assert_no_error (error);
  if (!have_program ("pdftotext") || !have_program ("pdfinfo"))
    {
      g_test_skip ("poppler-utils is not installed");
      return;
    }
  g_assert_cmpint (pdf_pages (pdf), ==, 1);
  {
    g_autofree char *text = pdf_text (pdf, 0);

    g_assert_nonnull (strstr (text, "上野南部"));
    g_assert_nonnull (strstr (text, "東町"));
    assert_no_personal_data (f, text);
  }
}

static void
test_case_list (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "cases.pdf", NULL);
  g_autoptr(GPtrArray) audit = NULL;
  const char *ids[] = { f->h[1], f->h[2], NULL };
  const char *bad[] = { f->h[1], "no-such-household", NULL };
  sqlite3 *db = NULL;
  JsonObject *row;

  /* An unknown id: nothing written, nothing recorded. */
  g_assert_false (tsu_case_list_write_pdf (f->store, bad, "test", path, &error));
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  audit = tsu_store_list_exports (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (audit->len, ==, 0);
  g_clear_pointer (&audit, g_ptr_array_unref);

  /* No recorded consent and no reason: refused, nothing written. */
  g_assert_false (tsu_case_list_write_pdf (f->store, ids, "  ", path, &error));
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  audit = tsu_store_list_exports (f->store, &error);
  g_assert_cmpuint (audit->len, ==, 0);
  g_clear_pointer (&audit, g_ptr_array_unref);

  g_assert_true (tsu_case_list_write_pdf (f->store, ids, "支援会議で安否確認が急を要するため", path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  audit = tsu_store_list_exports (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (audit->len, ==, 1);
  row = audit->pdata[0];
  g_assert_cmpstr (json_object_get_string_member (row, "actor"), ==, "coordinator-test");
  g_assert_cmpstr (json_object_get_string_member (row, "kind"), ==, "case-list");
  g_assert_nonnull (strstr (json_object_get_string_member (row, "household_ids"), f->h[1]));
  g_assert_nonnull (strstr (json_object_get_string_member (row, "household_ids"), f->h[2]));
  g_assert_cmpstr (json_object_get_string_member (row, "target"), ==, path);
  g_assert_cmpstr (json_object_get_string_member (row, "reason"), ==, "支援会議で安否確認が急を要するため");

  /* The audit cannot be rewritten. */
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE export_audit SET actor = 'x'", NULL, NULL, NULL), !=, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM export_audit", NULL, NULL, NULL), !=, SQLITE_OK);
  sqlite3_close (db);

  if (!have_program ("pdftotext") || !have_program ("pdfinfo"))
    {
      g_test_skip ("poppler-utils is not installed");
      return;
    }
  {
    int pages = pdf_pages (path);
    g_autofree char *all = pdf_text (path, 0);

    g_assert_cmpint (pages, >=, 1);
    for (int p = 1; p <= pages; p++)
      {
        g_autofree char *text = pdf_text (path, p);
        g_assert_nonnull (strstr (text, "取扱注意"));
      }
    /* It is the one report with personal data: names, history, and the
     * sensitive visit marked as such. */
    g_assert_nonnull (strstr (all, "伊賀野 太郎1"));
    g_assert_nonnull (strstr (all, "要配慮"));
    g_assert_nonnull (strstr (all, "昭和15年5月1日"));
    /* The relationship's label, not its stored code. */
    g_assert_nonnull (strstr (all, "世帯主"));
    g_assert_null (strstr (all, "head"));
  }
}

static int
run_cli (Fixture     *f,
         const char **args,
         char       **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status;

  g_ptr_array_add (argv, (gpointer) g_getenv ("TSU_CLI"));
  g_ptr_array_add (argv, "--db");
  g_ptr_array_add (argv, f->path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT,
                               NULL, NULL, NULL, err, &status, &error));
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

/* The command line makes the same files as the library calls. */
static void
test_cli (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *csv = g_build_filename (f->dir, "cli.csv", NULL);
  g_autofree char *pdf = g_build_filename (f->dir, "cli.pdf", NULL);
  g_autofree char *png = g_build_filename (f->dir, "cli.png", NULL);
  g_autofree char *cases = g_build_filename (f->dir, "cli-cases.pdf", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) expected = NULL;
  g_autoptr(TsuSummary) summary = NULL;
  gsize len;

  if (g_getenv ("TSU_CLI") == NULL)
    {
      g_test_skip ("TSU_CLI is not set");
      return;
    }
  /* The store is closed so that the command has the file to itself. */
  g_clear_object (&f->store);

  {
    const char *args[] = { "summary", "--from", FROM, "--to", TO, "--format", "csv", csv, NULL };
    g_assert_cmpint (run_cli (f, args, NULL), ==, 0);
  }
  {
    const char *args[] = { "summary", "--from", FROM, "--to", TO, "--district", f->d1, "--format", "pdf", pdf, NULL };
    g_assert_cmpint (run_cli (f, args, NULL), ==, 0);
  }
  {
    const char *args[] = { "meeting-map", "--district", f->d1, "--from", FROM, "--to", TO,
                           "--cell-metres", "500", "--min-count", "3", "--format", "png", png, NULL };
    g_assert_cmpint (run_cli (f, args, NULL), ==, 0);
  }
  {
    const char *args[] = { "case-list", "--household", f->h[1], cases, NULL };
    const char *with_reason[] = { "case-list", "--household", f->h[1], "--reason", "支援会議", cases, NULL };

    /* Without consent on record, the command wants a reason. */
    g_assert_cmpint (run_cli (f, args, NULL), ==, 1);
    g_assert_cmpint (run_cli (f, with_reason, NULL), ==, 0);
  }
  {
    const char *args[] = { "summary", "--from", "2024-02-30", "--to", TO, csv, NULL };
    g_assert_cmpint (run_cli (f, args, &err), ==, 1);
    g_assert_nonnull (strstr (err, "2024-02-30"));
    /* One line on stderr. */
    g_assert_true (g_str_has_suffix (err, "\n"));
    g_assert_true (strchr (err, '\n') == err + strlen (err) - 1);
  }
  {
    const char *args[] = { "meeting-map", "--from", FROM, png, NULL };
    g_assert_cmpint (run_cli (f, args, NULL), ==, 2);
  }

  f->store = tsu_store_open (f->path, &error);
  g_assert_no_error (error);
  summary = tsu_summary_new_from_store (f->store, FROM, TO, NULL, &error);
  g_assert_no_error (error);
  expected = tsu_summary_to_csv (summary, TSU_SUMMARY_ENCODING_UTF8_BOM, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (csv, &contents, &len, NULL));
  g_assert_cmpmem (contents, len, g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
  g_assert_true (g_file_test (pdf, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (cases, G_FILE_TEST_IS_REGULAR));
  {
    g_autoptr(GPtrArray) audit = tsu_store_list_exports (f->store, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (audit->len, ==, 1);
  }
}

static void
test_wareki (void)
{
  struct { const char *in, *out; } cases[] = {
    { "2019-04-30", "平成31年4月30日" },
    { "2019-05-01", "令和元年5月1日" },
    { "2024-04-01", "令和6年4月1日" },
    { "1989-01-07", "昭和64年1月7日" },
    { "1989-01-08", "平成元年1月8日" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = tsu_summary_format_wareki (cases[i].in);
      g_assert_cmpstr (out, ==, cases[i].out);
    }
  g_assert_null (tsu_summary_format_wareki ("2024-02-30"));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reports/wareki", test_wareki);
#define ADD(path, func) g_test_add ("/reports/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("aggregation", test_aggregation);
  ADD ("meeting-map-suppression", test_meeting_map_suppression);
  ADD ("csv-round-trip", test_csv_round_trip);
  ADD ("csv-cp932", test_csv_cp932);
  ADD ("summary-pdf", test_summary_pdf);
  ADD ("meeting-map-privacy", test_meeting_map_privacy);
  ADD ("case-list", test_case_list);
  ADD ("cli", test_cli);
  return g_test_run ();
}
