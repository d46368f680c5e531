/* test-worklist.c: which household is on the work list on which day,
 * around month ends, year ends and leap days
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "test-visit-helpers.h"
#include "tsu-store-visits.h"
#include "tsu-store-worklist.h"
#include "tsu-worklist.h"

static GDate
day (int y, int m, int d)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, d, m, y);
  return date;
}

static void
test_classify_due (void)
{
  static const struct
  {
    int ty, tm, td;   /* today */
    int dy, dm, dd;   /* due */
    TsuWorkSection section;
    int days;
  } cases[] = {
    { 2024, 2, 29, 2024, 2, 29, TSU_WORK_SECTION_TODAY, 0 },
    { 2024, 2, 29, 2024, 2, 28, TSU_WORK_SECTION_OVERDUE, 1 },
    { 2024, 3, 1, 2024, 2, 28, TSU_WORK_SECTION_OVERDUE, 2 },
    { 2024, 2, 29, 2024, 3, 7, TSU_WORK_SECTION_THIS_WEEK, 7 },
    { 2024, 2, 29, 2024, 3, 8, TSU_WORK_SECTION_NONE, 0 },
    { 2023, 2, 28, 2023, 3, 1, TSU_WORK_SECTION_THIS_WEEK, 1 },
    { 2023, 3, 1, 2023, 2, 28, TSU_WORK_SECTION_OVERDUE, 1 },
    { 2024, 12, 31, 2025, 1, 7, TSU_WORK_SECTION_THIS_WEEK, 7 },
    { 2025, 1, 1, 2024, 12, 31, TSU_WORK_SECTION_OVERDUE, 1 },
    { 2024, 3, 31, 2024, 4, 30, TSU_WORK_SECTION_NONE, 0 },
    { 2024, 2, 29, 2023, 12, 31, TSU_WORK_SECTION_OVERDUE, 60 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GDate today = day (cases[i].ty, cases[i].tm, cases[i].td);
      GDate due = day (cases[i].dy, cases[i].dm, cases[i].dd);
      int days = -1;

      g_test_message ("case %u", i);
      g_assert_cmpint (tsu_worklist_classify_due (&today, &due, &days), ==, cases[i].section);
      g_assert_cmpint (days, ==, cases[i].days);
    }
}

static void
test_past_interval (void)
{
  static const struct
  {
    int ty, tm, td;   /* today */
    int ly, lm, ld;   /* last visit */
    int interval;
    gboolean past;
    int days;
  } cases[] = {
    /* 30 days from 31 January: 1 March in a leap year, 2 March otherwise. */
    { 2024, 3, 1, 2024, 1, 31, 30, FALSE, 0 },
    { 2024, 3, 2, 2024, 1, 31, 30, TRUE, 1 },
    { 2023, 3, 2, 2023, 1, 31, 30, FALSE, 0 },
    { 2023, 3, 3, 2023, 1, 31, 30, TRUE, 1 },
    /* A year from a leap day. */
    { 2025, 2, 28, 2024, 2, 29, 365, FALSE, 0 },
    { 2025, 3, 1, 2024, 2, 29, 365, TRUE, 1 },
    /* Across the year end. */
    { 2025, 1, 1, 2024, 12, 1, 30, TRUE, 1 },
    { 2024, 12, 31, 2024, 12, 1, 30, FALSE, 0 },
    /* No interval: never on the list. */
    { 2030, 1, 1, 2020, 1, 1, 0, FALSE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GDate today = day (cases[i].ty, cases[i].tm, cases[i].td);
      GDate last = day (cases[i].ly, cases[i].lm, cases[i].ld);
      int days = -1;

      g_test_message ("case %u", i);
      g_assert_cmpint (tsu_worklist_past_interval (&today, &last, cases[i].interval, &days), ==, cases[i].past);
      g_assert_cmpint (days, ==, cases[i].days);
    }

  {
    GDate today = day (2024, 2, 29);

    g_assert_true (tsu_worklist_past_interval (&today, NULL, 90, NULL));
  }
}

typedef struct
{
  VisitFixture base;
  char *district_a;
  char *district_b;
  char *coordinator;
} WorkFixture;

static void
work_fixture_setup (WorkFixture   *fixture,
                    gconstpointer  data)
{
  visit_fixture_setup (&fixture->base, data);
  fixture->district_a = make_record (fixture->base.store, "district", "name", "上野南部", NULL);
  fixture->district_b = make_record (fixture->base.store, "district", "name", "島ヶ原", NULL);
  fixture->coordinator = make_record (fixture->base.store, "coordinator", "name", "福森", NULL);
}

static void
work_fixture_teardown (WorkFixture   *fixture,
                       gconstpointer  data)
{
  g_free (fixture->district_a);
  g_free (fixture->district_b);
  g_free (fixture->coordinator);
  visit_fixture_teardown (&fixture->base, data);
}

static char *
household (WorkFixture *fixture,
           const char  *address,
           const char  *district,
           const char  *interval,
           const char  *status)
{
  TsuStore *store = fixture->base.store;
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(GError) error = NULL;
  char *id;

  json_object_set_string_member (fields, "address", address);
  json_object_set_string_member (fields, "district_id", district);
  if (interval != NULL)
    json_object_set_int_member (fields, "visit_interval_days", g_ascii_strtoll (interval, NULL, 10));
  if (status != NULL)
    json_object_set_string_member (fields, "status", status);
  if (district == fixture->district_a)
    json_object_set_string_member (fields, "coordinator_id", fixture->coordinator);
  id = tsu_store_create (store, "household", fields, &error);
  g_assert_no_error (error);
  g_free (make_record (store, "resident", "household_id", id, "name", address, "position", "1", NULL));
  return id;
}

static char *
visit (WorkFixture *fixture,
       const char  *household_id,
       const char  *visited_at)
{
  return make_record (fixture->base.store, "visit", "household_id", household_id,
                      "visited_at", visited_at, "contact_type", "visit", "outcome", "met", NULL);
}

static char *
followup (WorkFixture *fixture,
          const char  *household_id,
          const char  *due)
{
  return make_record (fixture->base.store, "followup", "household_id", household_id,
                      "due_date", due, NULL);
}

/* "section:address:days" lines of the list on @today. */
static char *
describe (WorkFixture *fixture,
          GDate        today,
          const char  *district,
          const char  *coordinator)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = tsu_store_list_worklist (fixture->base.store, &today, district,
                                                        coordinator, &error);
  GString *s = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < items->len; i++)
    {
      TsuWorkItem *item = g_ptr_array_index (items, i);
      g_autoptr(GEnumClass) klass = g_type_class_ref (TSU_TYPE_WORK_SECTION);

      g_string_append_printf (s, "%s:%s:%d\n",
                              g_enum_get_value (klass, tsu_work_item_get_section (item))->value_nick,
                              tsu_work_item_get_address (item),
                              tsu_work_item_get_days (item));
      /* The head of the household is named, for the row's title. */
      g_assert_cmpstr (tsu_work_item_get_head_name (item), ==, tsu_work_item_get_address (item));
    }
  return g_string_free (s, FALSE);
}

static void
test_list_rules (WorkFixture   *fixture,
                 gconstpointer  data)
{
  g_autofree char *a = household (fixture, "A", fixture->district_a, "30", NULL);
  g_autofree char *b = household (fixture, "B", fixture->district_a, "30", NULL);
  g_autofree char *c = household (fixture, "C", fixture->district_b, "365", NULL);
  g_autofree char *d = household (fixture, "D", fixture->district_b, "90", NULL);
  g_autofree char *e = household (fixture, "E", fixture->district_a, "30", "moved");
  g_autofree char *f = household (fixture, "F", fixture->district_a, NULL, NULL);
  g_autofree char *g = household (fixture, "G", fixture->district_b, "30", NULL);
  g_autofree char *list = NULL;

  /* A: visited 31 January, 30-day interval, nothing planned. */
  g_free (visit (fixture, a, "2024-01-31T10:00"));
  /* B: follow-ups due 28 February and 7 March. */
  g_free (visit (fixture, b, "2024-01-10T10:00"));
  g_free (followup (fixture, b, "2024-02-28"));
  /* C: visited on the leap day, yearly. */
  g_free (visit (fixture, c, "2024-02-29T09:00"));
  /* D: never visited, a 90-day interval. */
  /* E: moved; long overdue but archived. */
  g_free (visit (fixture, e, "2020-01-01T10:00"));
  g_free (followup (fixture, e, "2021-01-01"));
  /* F: no interval, never visited: not listed. */
  /* G: past its interval but a follow-up is set for later: not listed
   * while it is more than a week away. */
  g_free (visit (fixture, g, "2023-01-01T10:00"));
  g_free (followup (fixture, g, "2024-03-20"));
  {
    /* A deleted visit does not count as the last visit. */
    g_autofree char *deleted = visit (fixture, g, "2024-02-20T10:00");
    g_assert_true (tsu_store_delete (fixture->base.store, "visit", deleted, NULL));
  }

  list = describe (fixture, day (2024, 2, 29), NULL, NULL);
  g_assert_cmpstr (list, ==,
                   "overdue:B:1\n"
                   "unscheduled:D:0\n");
  g_free (list);

  list = describe (fixture, day (2024, 3, 2), NULL, NULL);
  g_assert_cmpstr (list, ==,
                   "overdue:B:3\n"
                   "unscheduled:D:0\n"
                   "unscheduled:A:1\n");
  g_free (list);

  /* 13 March: G's follow-up (20 March) is now within the week. */
  list = describe (fixture, day (2024, 3, 13), NULL, NULL);
  g_assert_cmpstr (list, ==,
                   "overdue:B:14\n"
                   "this-week:G:7\n"
                   "unscheduled:D:0\n"
                   "unscheduled:A:12\n");
  g_free (list);

  list = describe (fixture, day (2024, 3, 20), NULL, NULL);
  g_assert_cmpstr (list, ==,
                   "today:G:0\n"
                   "overdue:B:21\n"
                   "unscheduled:D:0\n"
                   "unscheduled:A:19\n");
  g_free (list);

  /* A year after the leap day: C is due on 28 February 2025, listed from
   * 1 March. */
  {
    g_autofree char *at_end = describe (fixture, day (2025, 2, 28), fixture->district_b, NULL);
    g_autofree char *after = describe (fixture, day (2025, 3, 1), fixture->district_b, NULL);

    g_assert_null (strstr (at_end, "unscheduled:C"));
    g_assert_nonnull (strstr (after, "unscheduled:C:1\n"));
  }

  /* Filters. */
  list = describe (fixture, day (2024, 3, 2), fixture->district_b, NULL);
  g_assert_cmpstr (list, ==, "unscheduled:D:0\n");
  g_free (list);
  list = describe (fixture, day (2024, 3, 2), NULL, fixture->coordinator);
  g_assert_cmpstr (list, ==,
                   "overdue:B:3\n"
                   "unscheduled:A:1\n");
}

static void
test_visit_clears_list (WorkFixture   *fixture,
                        gconstpointer  data)
{
  g_autofree char *a = household (fixture, "A", fixture->district_a, "30", NULL);
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *visit_id = NULL;
  g_autofree char *list = NULL;

  g_free (followup (fixture, a, "2024-02-26"));
  list = describe (fixture, day (2024, 2, 29), NULL, NULL);
  g_assert_cmpstr (list, ==, "overdue:A:3\n");
  g_free (list);

  /* Logging the visit answers the follow-up and sets the next one. */
  json_object_set_string_member (fields, "household_id", a);
  json_object_set_string_member (fields, "visited_at", "2024-02-29T10:00");
  json_object_set_string_member (fields, "contact_type", "visit");
  json_object_set_string_member (fields, "outcome", "met");
  json_object_set_string_member (fields, "next_follow_up", "2024-03-07");
  visit_id = tsu_store_save_visit (fixture->base.store, NULL, fields, &error);
  g_assert_no_error (error);

  list = describe (fixture, day (2024, 2, 29), NULL, NULL);
  g_assert_cmpstr (list, ==, "this-week:A:7\n");
  g_free (list);
  list = describe (fixture, day (2024, 3, 7), NULL, NULL);
  g_assert_cmpstr (list, ==, "today:A:0\n");
}

static void
async_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GPtrArray **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = tsu_store_list_worklist_finish (TSU_STORE (source), result, &error);
  g_assert_no_error (error);
}

static void
test_list_async (WorkFixture   *fixture,
                 gconstpointer  data)
{
  g_autofree char *a = household (fixture, "A", fixture->district_a, "30", NULL);
  GDate today = day (2024, 2, 29);
  g_autoptr(GPtrArray) items = NULL;

  tsu_store_list_worklist_async (fixture->base.store, &today, NULL, NULL, NULL, async_done_cb, &items);
  while (items == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_cmpint (tsu_work_item_get_section (g_ptr_array_index (items, 0)), ==, TSU_WORK_SECTION_UNSCHEDULED);
  g_assert_null (tsu_work_item_get_last_visit (g_ptr_array_index (items, 0)));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/worklist/classify-due", test_classify_due);
  g_test_add_func ("/worklist/past-interval", test_past_interval);
#define ADD(path, func) \
  g_test_add (path, WorkFixture, NULL, work_fixture_setup, func, work_fixture_teardown)
  ADD ("/worklist/list-rules", test_list_rules);
  ADD ("/worklist/visit-clears-list", test_visit_clears_list);
  ADD ("/worklist/async", test_list_async);
#undef ADD

  return g_test_run ();
}
