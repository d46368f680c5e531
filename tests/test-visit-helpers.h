/* test-visit-helpers.h: records the visit tests build on
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib/gstdio.h>

#include "tsu-store.h"

typedef struct
{
  char     *dir;
  char     *path;
  TsuStore *store;
} VisitFixture;

static inline void
visit_fixture_setup (VisitFixture  *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("tsu-test-visits-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "test.db", NULL);
  fixture->store = tsu_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->store);
}

static inline void
visit_fixture_teardown (VisitFixture  *fixture,
                        gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&fixture->store);
  dir = g_dir_open (fixture->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          g_autoptr(GDir) sub = g_dir_open (path, 0, NULL);
          const char *subname;

          while (sub != NULL && (subname = g_dir_read_name (sub)) != NULL)
            {
              g_autofree char *subpath = g_build_filename (path, subname, NULL);
              g_unlink (subpath);
            }
          g_rmdir (path);
        }
      else
        g_unlink (path);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static inline char *
make_record (TsuStore   *store,
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
      const char *value = va_arg (args, const char *);

      if (g_str_equal (key, "visit_interval_days") || g_str_equal (key, "position") ||
          g_str_equal (key, "sort_order") || g_str_equal (key, "flags"))
        json_object_set_int_member (fields, key, g_ascii_strtoll (value, NULL, 10));
      else
        json_object_set_string_member (fields, key, value);
      key = va_arg (args, const char *);
    }
  va_end (args);

  id = tsu_store_create (store, table, fields, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  return id;
}

/* The reference data the editors read: a few categories of every kind and
 * two agencies, with codes of the tests' own choosing. */
static inline void
make_reference_data (TsuStore *store)
{
  static const char * const rows[][3] = {
    { "contact_type", "visit", "訪問" },
    { "contact_type", "phone", "電話" },
    { "outcome", "met", "面会" },
    { "outcome", "absent", "不在" },
    { "support_area", "elderly", "高齢" },
    { "support_area", "other", "その他" },
    { "content", "c01", "在宅福祉" },
    { "content", "c02", "介護保険" },
    { "content", "c03", "健康・保健医療" },
    { "relationship", "head", "世帯主" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *order = g_strdup_printf ("%u", i);
      g_autofree char *id = make_record (store, "category", "kind", rows[i][0], "code", rows[i][1],
                                         "label", rows[i][2], "sort_order", order, NULL);
    }
  g_free (make_record (store, "agency", "name", "地域包括支援センター", "kana", "ちいきほうかつ", NULL));
  g_free (make_record (store, "agency", "name", "くらしサポートセンター", "kana", "くらしさぽーと", NULL));
}
