/* test-visits.c: visit validation, saving visits and their follow-ups,
 * and the household reads of the home-visit screens
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "test-visit-helpers.h"
#include "tsu-store-visits.h"
#include "tsu-visit-validate.h"
#include "tsu-visits-date.h"

static JsonObject *
visit_fields (const char *household,
              const char *visited_at,
              const char *contact,
              const char *outcome,
              const char *follow_up)
{
  JsonObject *fields = json_object_new ();

  if (household != NULL)
    json_object_set_string_member (fields, "household_id", household);
  if (visited_at != NULL)
    json_object_set_string_member (fields, "visited_at", visited_at);
  if (contact != NULL)
    json_object_set_string_member (fields, "contact_type", contact);
  if (outcome != NULL)
    json_object_set_string_member (fields, "outcome", outcome);
  if (follow_up != NULL)
    json_object_set_string_member (fields, "next_follow_up", follow_up);
  return fields;
}

static GDateTime *
pinned_now (void)
{
  /* 2024-02-29 10:00 in Japan: a leap day, for the date arithmetic. */
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("+09:00");

  return g_date_time_new (tz, 2024, 2, 29, 10, 0, 0);
}

static void
assert_invalid (JsonObject   *fields,
                TsuVisitError code,
                const char   *fragment)
{
  g_autoptr(GDateTime) now = pinned_now ();
  g_autoptr(GError) error = NULL;

  g_assert_false (tsu_visit_validate (fields, now, &error));
  g_assert_error (error, TSU_VISIT_ERROR, (gint) code);
  if (fragment != NULL && strstr (error->message, fragment) == NULL)
    g_error ("message “%s” does not mention “%s”", error->message, fragment);
}

static void
test_validate_ok (void)
{
  g_autoptr(GDateTime) now = pinned_now ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) fields = visit_fields ("h", "2024-02-29T09:30", "visit", "met", "2024-03-29");
  g_autoptr(JsonObject) same_day = visit_fields ("h", "2024-02-28T09:30", "visit", "met", "2024-02-28");
  g_autoptr(JsonObject) slightly_ahead = visit_fields ("h", "2024-02-29T10:10", "visit", "met", NULL);

  g_assert_true (tsu_visit_validate (fields, now, &error));
  g_assert_no_error (error);
  g_assert_true (tsu_visit_validate (same_day, now, &error));
  g_assert_no_error (error);
  /* Within the tolerance: rounding up to the quarter hour is fine. */
  g_assert_true (tsu_visit_validate (slightly_ahead, now, &error));
  g_assert_no_error (error);
}

static void
test_validate_future (void)
{
  g_autoptr(JsonObject) tomorrow = visit_fields ("h", "2024-03-01T09:00", "visit", "met", NULL);
  g_autoptr(JsonObject) later_today = visit_fields ("h", "2024-02-29T11:00", "visit", "met", NULL);

  /* The message shows the date in 和暦 and 西暦. */
  assert_invalid (tomorrow, TSU_VISIT_ERROR_FUTURE_DATE, "令和6年3月1日 (2024-03-01)");
  assert_invalid (later_today, TSU_VISIT_ERROR_FUTURE_DATE, "11:00");
}

static void
test_validate_follow_up_before_visit (void)
{
  g_autoptr(JsonObject) before = visit_fields ("h", "2024-02-29T09:00", "visit", "met", "2024-02-28");
  g_autoptr(JsonObject) bad = visit_fields ("h", "2024-02-29T09:00", "visit", "met", "2024-02-30");
  g_autoptr(JsonObject) short_form = visit_fields ("h", "2024-02-29T09:00", "visit", "met", "2024-3-1");

  assert_invalid (before, TSU_VISIT_ERROR_FOLLOW_UP_BEFORE_VISIT, "令和6年2月28日");
  assert_invalid (bad, TSU_VISIT_ERROR_BAD_FOLLOW_UP, "2024-02-30");
  assert_invalid (short_form, TSU_VISIT_ERROR_BAD_FOLLOW_UP, "2024-3-1");
}

static void
test_validate_required (void)
{
  g_autoptr(JsonObject) no_household = visit_fields (NULL, "2024-02-29T09:00", "visit", "met", NULL);
  g_autoptr(JsonObject) no_date = visit_fields ("h", NULL, "visit", "met", NULL);
  g_autoptr(JsonObject) bad_date = visit_fields ("h", "2023-02-29T09:00", "visit", "met", NULL);
  g_autoptr(JsonObject) bad_time = visit_fields ("h", "2024-02-28T25:00", "visit", "met", NULL);
  g_autoptr(JsonObject) no_contact = visit_fields ("h", "2024-02-29T09:00", NULL, "met", NULL);
  g_autoptr(JsonObject) empty_contact = visit_fields ("h", "2024-02-29T09:00", "", "met", NULL);
  g_autoptr(JsonObject) no_outcome = visit_fields ("h", "2024-02-29T09:00", "visit", NULL, NULL);

  assert_invalid (no_household, TSU_VISIT_ERROR_NO_HOUSEHOLD, NULL);
  assert_invalid (no_date, TSU_VISIT_ERROR_BAD_DATE, NULL);
  /* 2023 is not a leap year. */
  assert_invalid (bad_date, TSU_VISIT_ERROR_BAD_DATE, "2023-02-29");
  assert_invalid (bad_time, TSU_VISIT_ERROR_BAD_DATE, "25:00");
  assert_invalid (no_contact, TSU_VISIT_ERROR_NO_CONTACT_TYPE, NULL);
  assert_invalid (empty_contact, TSU_VISIT_ERROR_NO_CONTACT_TYPE, NULL);
  assert_invalid (no_outcome, TSU_VISIT_ERROR_NO_OUTCOME, NULL);
}

static void
test_wareki (void)
{
  static const struct { int y, m, d; const char *expected; } cases[] = {
    { 2019, 4, 30, "平成31年4月30日" },
    { 2019, 5, 1, "令和元年5月1日" },
    { 2026, 11, 22, "令和8年11月22日" },
    { 1989, 1, 7, "昭和64年1月7日" },
    { 1989, 1, 8, "平成元年1月8日" },
    { 1926, 12, 25, "昭和元年12月25日" },
    { 1940, 2, 29, "昭和15年2月29日" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GDate date;
      g_autofree char *text = NULL;

      g_date_clear (&date, 1);
      g_date_set_dmy (&date, cases[i].d, cases[i].m, cases[i].y);
      text = tsu_visits_date_format_wareki (&date);
      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

static void
test_age (void)
{
  GDate birth, today;

  g_date_clear (&birth, 1);
  g_date_clear (&today, 1);
  g_date_set_dmy (&birth, 29, 2, 1944);
  g_date_set_dmy (&today, 28, 2, 2025);
  g_assert_cmpint (tsu_visits_date_age (&birth, &today), ==, 80);
  g_date_set_dmy (&today, 1, 3, 2025);
  g_assert_cmpint (tsu_visits_date_age (&birth, &today), ==, 81);
  g_date_set_dmy (&today, 29, 2, 2024);
  g_assert_cmpint (tsu_visits_date_age (&birth, &today), ==, 80);
  g_date_set_dmy (&today, 28, 2, 2024);
  g_assert_cmpint (tsu_visits_date_age (&birth, &today), ==, 79);
}

static char *
make_household (TsuStore *store)
{
  return make_record (store, "household", "address", "伊賀市上野丸之内500",
                      "visit_interval_days", "30", NULL);
}

static char *
save (TsuStore   *store,
      const char *visit_id,
      JsonObject *fields)
{
  g_autoptr(GError) error = NULL;
  char *id = tsu_store_save_visit (store, visit_id, fields, &error);

  g_assert_no_error (error);
  g_assert_nonnull (id);
  return id;
}

static void
test_save_creates_followup (VisitFixture  *fixture,
                            gconstpointer  data)
{
  g_autofree char *household = make_household (fixture->store);
  g_autoptr(JsonObject) fields = visit_fields (household, "2024-02-29T09:00", "visit", "met", "2024-03-07");
  g_autofree char *visit = save (fixture->store, NULL, fields);
  g_autoptr(GPtrArray) open = tsu_store_list_followups (fixture->store, household, TRUE, NULL);
  JsonObject *followup;

  g_assert_cmpuint (open->len, ==, 1);
  followup = g_ptr_array_index (open, 0);
  g_assert_cmpstr (json_object_get_string_member (followup, "due_date"), ==, "2024-03-07");
  g_assert_cmpstr (json_object_get_string_member (followup, "visit_id"), ==, visit);

  /* Editing the date moves the same follow-up, it does not add one. */
  {
    g_autoptr(JsonObject) change = json_object_new ();
    g_autofree char *same = NULL;
    g_autoptr(GPtrArray) after = NULL;

    json_object_set_string_member (change, "next_follow_up", "2024-03-14");
    same = save (fixture->store, visit, change);
    g_assert_cmpstr (same, ==, visit);
    after = tsu_store_list_followups (fixture->store, household, FALSE, NULL);
    g_assert_cmpuint (after->len, ==, 1);
    g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (after, 0), "due_date"),
                     ==, "2024-03-14");
  }

  /* Clearing it removes the follow-up. */
  {
    g_autoptr(JsonObject) change = json_object_new ();
    g_autofree char *same = NULL;
    g_autoptr(GPtrArray) after = NULL;

    json_object_set_null_member (change, "next_follow_up");
    same = save (fixture->store, visit, change);
    after = tsu_store_list_followups (fixture->store, household, FALSE, NULL);
    g_assert_cmpuint (after->len, ==, 0);
  }
}

static void
test_save_closes_answered (VisitFixture  *fixture,
                           gconstpointer  data)
{
  g_autofree char *household = make_household (fixture->store);
  g_autofree char *by_hand = make_record (fixture->store, "followup", "household_id", household,
                                          "due_date", "2024-02-20", "reason", "電話の約束", NULL);
  g_autofree char *later = make_record (fixture->store, "followup", "household_id", household,
                                        "due_date", "2024-04-01", "reason", "手続きの確認", NULL);
  g_autoptr(JsonObject) first = visit_fields (household, "2024-02-21T10:00", "visit", "met", "2024-03-21");
  g_autofree char *first_id = save (fixture->store, NULL, first);
  g_autoptr(JsonObject) record = tsu_store_get_record (fixture->store, "followup", by_hand, NULL);
  g_autoptr(GPtrArray) open = NULL;

  /* Due before the visit: answered. Due later and made by hand: still open. */
  g_assert_cmpstr (json_object_get_string_member (record, "done_date"), ==, "2024-02-21");
  open = tsu_store_list_followups (fixture->store, household, TRUE, NULL);
  g_assert_cmpuint (open->len, ==, 2);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (open, 0), "visit_id"), ==, first_id);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (open, 1), "id"), ==, later);

  /* A second visit that sets a new follow-up replaces the first visit's. */
  {
    g_autoptr(JsonObject) second = visit_fields (household, "2024-02-28T10:00", "phone", "met", "2024-03-10");
    g_autofree char *second_id = save (fixture->store, NULL, second);
    g_autoptr(GPtrArray) now_open = tsu_store_list_followups (fixture->store, household, TRUE, NULL);

    g_assert_cmpuint (now_open->len, ==, 2);
    g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (now_open, 0), "visit_id"),
                     ==, second_id);
    g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (now_open, 1), "id"), ==, later);
  }
}

static void
test_save_invalid_changes_nothing (VisitFixture  *fixture,
                                   gconstpointer  data)
{
  g_autofree char *household = make_household (fixture->store);
  g_autoptr(JsonObject) fields = visit_fields (household, "2024-02-29T09:00", "visit", NULL, "2024-03-07");
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  guint before = tsu_store_count_oplog (fixture->store, household);
  g_autoptr(JsonObject) stats = NULL;

  id = tsu_store_save_visit (fixture->store, NULL, fields, &error);
  g_assert_error (error, TSU_VISIT_ERROR, TSU_VISIT_ERROR_NO_OUTCOME);
  g_assert_null (id);
  stats = tsu_store_get_stats (fixture->store, NULL);
  g_assert_cmpint (json_object_get_int_member (stats, "visits"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (stats, "followups"), ==, 0);
  g_assert_cmpuint (tsu_store_count_oplog (fixture->store, household), ==, before);
}

static void
test_delete_undelete_visit (VisitFixture  *fixture,
                            gconstpointer  data)
{
  g_autofree char *household = make_household (fixture->store);
  g_autoptr(JsonObject) fields = visit_fields (household, "2024-02-29T09:00", "visit", "met", "2024-03-07");
  g_autofree char *visit = save (fixture->store, NULL, fields);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) visits = NULL;
  g_autoptr(GPtrArray) open = NULL;

  g_assert_true (tsu_store_delete_visit (fixture->store, visit, &error));
  g_assert_no_error (error);
  visits = tsu_store_list_visits (fixture->store, household, NULL);
  open = tsu_store_list_followups (fixture->store, household, TRUE, NULL);
  g_assert_cmpuint (visits->len, ==, 0);
  g_assert_cmpuint (open->len, ==, 0);

  g_assert_true (tsu_store_undelete_visit (fixture->store, visit, &error));
  g_assert_no_error (error);
  g_clear_pointer (&visits, g_ptr_array_unref);
  g_clear_pointer (&open, g_ptr_array_unref);
  visits = tsu_store_list_visits (fixture->store, household, NULL);
  open = tsu_store_list_followups (fixture->store, household, TRUE, NULL);
  g_assert_cmpuint (visits->len, ==, 1);
  g_assert_cmpuint (open->len, ==, 1);
}

/* done_date of a follow-up, or NULL while it is open. */
static char *
done_date_of (TsuStore   *store,
              const char *followup)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) record = tsu_store_get_record (store, "followup", followup, &error);

  g_assert_no_error (error);
  return g_strdup (json_object_get_string_member (record, "done_date"));
}

/* Deleting the visit that closed a follow-up opens it again, as a logged
 * operation that syncs; undeleting the visit closes it again, unless a
 * later visit has closed it since. */
static void
test_delete_visit_reopens (VisitFixture  *fixture,
                           gconstpointer  data)
{
  g_autofree char *household = make_household (fixture->store);
  g_autofree char *call = make_record (fixture->store, "followup", "household_id", household,
                                       "due_date", "2024-02-20", "reason", "電話の約束", NULL);
  g_autoptr(JsonObject) answer_fields = visit_fields (household, "2024-02-21T10:00", "visit", "met", NULL);
  g_autofree char *answer = save (fixture->store, NULL, answer_fields);
  g_autofree char *papers = make_record (fixture->store, "followup", "household_id", household,
                                         "due_date", "2024-02-24", "reason", "書類の確認", NULL);
  g_autoptr(JsonObject) other_fields = visit_fields (household, "2024-02-26T10:00", "phone", "met", NULL);
  g_autofree char *other = save (fixture->store, NULL, other_fields);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) record = NULL;
  g_autofree char *done = NULL;
  guint ops;

  done = done_date_of (fixture->store, call);
  g_assert_cmpstr (done, ==, "2024-02-21");
  g_clear_pointer (&done, g_free);
  record = tsu_store_get_record (fixture->store, "followup", call, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (record, "done_visit_id"), ==, answer);
  g_clear_pointer (&record, json_object_unref);
  done = done_date_of (fixture->store, papers);
  g_assert_cmpstr (done, ==, "2024-02-26");
  g_clear_pointer (&done, g_free);

  ops = tsu_store_count_oplog (fixture->store, call);
  g_assert_true (tsu_store_delete_visit (fixture->store, answer, &error));
  g_assert_no_error (error);
  done = done_date_of (fixture->store, call);
  g_assert_null (done);
  /* A normal update: one more operation in the log, which sync sends. */
  g_assert_cmpuint (tsu_store_count_oplog (fixture->store, call), ==, ops + 1);
  {
    g_autoptr(GPtrArray) open = tsu_store_list_followups (fixture->store, household, TRUE, NULL);

    g_assert_cmpuint (open->len, ==, 1);
    g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (open, 0), "id"), ==, call);
  }
  /* What another visit closed stays closed. */
  done = done_date_of (fixture->store, papers);
  g_assert_cmpstr (done, ==, "2024-02-26");
  g_clear_pointer (&done, g_free);

  /* Undo closes it again, on the visit's day. */
  g_assert_true (tsu_store_undelete_visit (fixture->store, answer, &error));
  g_assert_no_error (error);
  done = done_date_of (fixture->store, call);
  g_assert_cmpstr (done, ==, "2024-02-21");
  g_clear_pointer (&done, g_free);

  /* Deleted again, then answered by a new visit: undeleting the old one
   * leaves the new answer in place. */
  g_assert_true (tsu_store_delete_visit (fixture->store, answer, &error));
  g_assert_no_error (error);
  {
    g_autoptr(JsonObject) again_fields = visit_fields (household, "2024-02-27T10:00", "visit", "met", NULL);
    g_autofree char *again = save (fixture->store, NULL, again_fields);

    g_assert_true (tsu_store_undelete_visit (fixture->store, answer, &error));
    g_assert_no_error (error);
    done = done_date_of (fixture->store, call);
    g_assert_cmpstr (done, ==, "2024-02-27");
    g_clear_pointer (&done, g_free);
    record = tsu_store_get_record (fixture->store, "followup", call, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (json_object_get_string_member (record, "done_visit_id"), ==, again);
  }
}

static void
test_household_reads (VisitFixture  *fixture,
                      gconstpointer  data)
{
  g_autofree char *district = make_record (fixture->store, "district", "name", "上野南部", NULL);
  g_autofree char *household = make_record (fixture->store, "household", "address", "伊賀市上野丸之内500",
                                            "district_id", district, NULL);
  g_autofree char *wife = make_record (fixture->store, "resident", "household_id", household,
                                       "name", "伊賀 花子", "kana", "いが はなこ", "position", "2", NULL);
  g_autofree char *husband = make_record (fixture->store, "resident", "household_id", household,
                                          "name", "伊賀 太郎", "kana", "いが たろう", "position", "1",
                                          "birth_date", "1944-02-29", NULL);
  g_autoptr(JsonObject) older = visit_fields (household, "2023-05-01T10:00", "visit", "met", NULL);
  g_autoptr(JsonObject) newer = visit_fields (household, "2024-01-15T14:30", "phone", "absent", NULL);
  g_autofree char *older_id = save (fixture->store, NULL, older);
  g_autofree char *newer_id = save (fixture->store, NULL, newer);
  g_autoptr(GError) error = NULL;
  g_autoptr(TsuHouseholdDetail) detail = tsu_store_load_household (fixture->store, household, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (detail->household, "district_name"), ==, "上野南部");
  g_assert_cmpuint (detail->residents->len, ==, 2);
  g_assert_cmpstr (tsu_resident_get_id (g_ptr_array_index (detail->residents, 0)), ==, husband);
  g_assert_cmpstr (tsu_resident_get_birth_date (g_ptr_array_index (detail->residents, 0)), ==, "1944-02-29");
  g_assert_cmpstr (tsu_resident_get_id (g_ptr_array_index (detail->residents, 1)), ==, wife);
  g_assert_cmpuint (detail->visits->len, ==, 2);
  g_assert_cmpstr (tsu_visit_get_id (g_ptr_array_index (detail->visits, 0)), ==, newer_id);
  g_assert_cmpstr (tsu_visit_get_contact_type (g_ptr_array_index (detail->visits, 0)), ==, "phone");
  g_assert_cmpstr (tsu_visit_get_id (g_ptr_array_index (detail->visits, 1)), ==, older_id);
}

static void
test_reference_lists (VisitFixture  *fixture,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) contact = NULL;
  g_autoptr(GPtrArray) agencies = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GError) error = NULL;

  make_reference_data (fixture->store);
  contact = tsu_store_list_categories (fixture->store, "contact_type", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (contact->len, ==, 2);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (contact, 0), "code"), ==, "visit");
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (contact, 1), "label"), ==, "電話");
  agencies = tsu_store_list_agencies (fixture->store, &error);
  g_assert_cmpuint (agencies->len, ==, 2);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (agencies, 0), "name"), ==, "くらしサポートセンター");
  names = tsu_store_list_names (fixture->store, "visit", &error);
  g_assert_null (names);
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/visits/validate/ok", test_validate_ok);
  g_test_add_func ("/visits/validate/future", test_validate_future);
  g_test_add_func ("/visits/validate/follow-up-before-visit", test_validate_follow_up_before_visit);
  g_test_add_func ("/visits/validate/required", test_validate_required);
  g_test_add_func ("/visits/date/wareki", test_wareki);
  g_test_add_func ("/visits/date/age", test_age);
#define ADD(path, func) \
  g_test_add (path, VisitFixture, NULL, visit_fixture_setup, func, visit_fixture_teardown)
  ADD ("/visits/save/creates-followup", test_save_creates_followup);
  ADD ("/visits/save/closes-answered", test_save_closes_answered);
  ADD ("/visits/save/invalid-changes-nothing", test_save_invalid_changes_nothing);
  ADD ("/visits/delete-undelete", test_delete_undelete_visit);
  ADD ("/visits/delete-reopens-followups", test_delete_visit_reopens);
  ADD ("/visits/household-reads", test_household_reads);
  ADD ("/visits/reference-lists", test_reference_lists);
#undef ADD

  return g_test_run ();
}
