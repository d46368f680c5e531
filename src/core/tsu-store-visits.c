/* tsu-store-visits.c: households, residents, visits and follow-ups as the
 * home-visit screens read and write them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Follow-ups and visits are kept in step here, in the same transaction as
 * the visit itself: a visit with a next follow-up date owns one followup
 * record (followup.visit_id); logging a new visit closes (done_date) the
 * household's open follow-ups that were due on or before its date, and,
 * when it sets a new follow-up, also the later ones earlier visits set,
 * because the coordinator has just decided when to come back. The closing
 * visit is recorded (done_visit_id): deleting it opens those follow-ups
 * again, undeleting it closes them again.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "tsu-store-private.h"
#include "tsu-store-visits.h"
#include "tsu-visit-validate.h"
#include "tsu-visits-date.h"

#define SQL_HOUSEHOLD_DETAIL \
  "SELECT d.name, c.name FROM household h" \
  " LEFT JOIN district d ON d.id = h.district_id" \
  " LEFT JOIN coordinator c ON c.id = h.coordinator_id WHERE h.id = ?1"
#define SQL_LIST_RESIDENTS \
  "SELECT id, household_id, name, kana, birth_date, relationship, position, note" \
  " FROM resident WHERE household_id = ?1 AND deleted = 0" \
  " ORDER BY coalesce(position, 1000), kana, name"
#define SQL_LIST_VISITS \
  "SELECT id, household_id, visited_at, coordinator_id, contact_type, outcome," \
  " support_area, categories, note, referrals, next_follow_up, sensitive" \
  " FROM visit WHERE household_id = ?1 AND deleted = 0" \
  " ORDER BY visited_at DESC, hlc DESC"
#define SQL_LIST_FOLLOWUPS \
  "SELECT id, household_id, due_date, reason, visit_id, done_date FROM followup" \
  " WHERE household_id = ?1 AND deleted = 0 AND (?2 = 0 OR done_date IS NULL)" \
  " ORDER BY due_date IS NULL, due_date, id"
#define SQL_LIST_CATEGORIES \
  "SELECT id, code, label FROM category WHERE kind = ?1 AND deleted = 0" \
  " ORDER BY coalesce(sort_order, 100000), code"
#define SQL_LIST_AGENCIES \
  "SELECT id, name, kind FROM agency WHERE deleted = 0" \
  " ORDER BY coalesce(sort_order, 100000), kana, name"
#define SQL_FIND_HOUSEHOLDS \
  "SELECT id, address FROM household WHERE deleted = 0" \
  " AND coalesce(status, 'active') = 'active' AND instr(address, ?1) > 0" \
  " ORDER BY address LIMIT ?2"
/* Through the household's index: a household has a handful of follow-ups,
 * the city tens of thousands, and visit_id has no index of its own. */
#define SQL_OWN_FOLLOWUP \
  "SELECT id, due_date, done_date, deleted FROM followup WHERE household_id = ?1" \
  " AND visit_id = ?2 ORDER BY id"
/* Schema version 9: which visit closed a follow-up. */
const char _tsu_store_followup_done_visit_schema[] =
  "ALTER TABLE followup ADD COLUMN done_visit_id TEXT REFERENCES visit(id);";

/* Follow-ups a visit closed, still there; also through the household's
 * index. */
#define SQL_CLOSED_BY_VISIT \
  "SELECT id, done_date FROM followup WHERE household_id = ?1" \
  " AND done_visit_id = ?2 AND deleted = 0 ORDER BY id"
#define SQL_OPEN_FOLLOWUPS \
  "SELECT id, due_date, visit_id FROM followup WHERE household_id = ?1" \
  " AND deleted = 0 AND done_date IS NULL"

void
tsu_household_detail_free (TsuHouseholdDetail *detail)
{
  if (detail == NULL)
    return;
  g_clear_pointer (&detail->household, json_object_unref);
  g_clear_pointer (&detail->residents, g_ptr_array_unref);
  g_clear_pointer (&detail->visits, g_ptr_array_unref);
  g_clear_pointer (&detail->open_followups, g_ptr_array_unref);
  g_free (detail);
}

static JsonObject *
row_to_object (sqlite3_stmt *stmt)
{
  JsonObject *object = json_object_new ();

  for (int i = 0; i < sqlite3_column_count (stmt); i++)
    json_object_set_member (object, sqlite3_column_name (stmt, i),
                            _tsu_store_column_json (stmt, i));
  return object;
}

/* Runs @sql with text parameters and returns one JsonObject per row. */
static GPtrArray *
query_objects (TsuStore    *self,
               const char  *sql,
               const char  *param1,
               gint64       param2,
               GError     **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_rec_mutex_lock (&self->mutex);
  if (!_tsu_store_prepare (self, sql, &stmt, error))
    {
      g_rec_mutex_unlock (&self->mutex);
      return NULL;
    }
  if (sqlite3_bind_parameter_count (stmt) >= 1)
    sqlite3_bind_text (stmt, 1, param1, -1, SQLITE_TRANSIENT);
  if (sqlite3_bind_parameter_count (stmt) >= 2)
    sqlite3_bind_int64 (stmt, 2, param2);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, row_to_object (stmt));
  if (rc != SQLITE_DONE)
    _tsu_store_set_error (self, error);
  g_rec_mutex_unlock (&self->mutex);

  return rc == SQLITE_DONE ? g_steal_pointer (&rows) : NULL;
}

static GPtrArray *
query_objects_2 (TsuStore    *self,
                 const char  *sql,
                 const char  *param1,
                 const char  *param2,
                 GError     **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_rec_mutex_lock (&self->mutex);
  if (!_tsu_store_prepare (self, sql, &stmt, error))
    {
      g_rec_mutex_unlock (&self->mutex);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, param1, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, param2, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, row_to_object (stmt));
  if (rc != SQLITE_DONE)
    _tsu_store_set_error (self, error);
  g_rec_mutex_unlock (&self->mutex);

  return rc == SQLITE_DONE ? g_steal_pointer (&rows) : NULL;
}

JsonObject *
tsu_store_get_household_detail (TsuStore    *self,
                                const char  *household_id,
                                GError     **error)
{
  g_autoptr(JsonObject) household = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (TSU_IS_STORE (self), NULL);
  g_return_val_if_fail (household_id != NULL, NULL);

  household = tsu_store_get_record (self, "household", household_id, error);
  if (household == NULL)
    return NULL;

  g_rec_mutex_lock (&self->mutex);
  if (_tsu_store_prepare (self, SQL_HOUSEHOLD_DETAIL, &stmt, error))
    {
      sqlite3_bind_text (stmt, 1, household_id, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          json_object_set_member (household, "district_name", _tsu_store_column_json (stmt, 0));
          json_object_set_member (household, "coordinator_name", _tsu_store_column_json (stmt, 1));
        }
    }
  else
    g_clear_pointer (&household, json_object_unref);
  g_rec_mutex_unlock (&self->mutex);

  return g_steal_pointer (&household);
}

static GPtrArray *
objects_to_models (GPtrArray *rows,
                   gpointer (*make) (JsonObject *))
{
  GPtrArray *models;

  if (rows == NULL)
    return NULL;
  models = g_ptr_array_new_full (rows->len, g_object_unref);
  for (guint i = 0; i < rows->len; i++)
    g_ptr_array_add (models, make (g_ptr_array_index (rows, i)));
  return models;
}

GPtrArray *
tsu_store_list_residents (TsuStore    *self,
                          const char  *household_id,
                          GError     **error)
{
  g_autoptr(GPtrArray) rows = NULL;

  g_return_val_if_fail (TSU_IS_STORE (self), NULL);

  rows = query_objects (self, SQL_LIST_RESIDENTS, household_id, 0, error);
  return objects_to_models (rows, (gpointer (*) (JsonObject *)) tsu_resident_new_from_record);
}

GPtrArray *
tsu_store_list_visits (TsuStore    *self,
                       const char  *household_id,
                       GError     **error)
{
  g_autoptr(GPtrArray) rows = NULL;

  g_return_val_if_fail (TSU_IS_STORE (self), NULL);

  rows = query_objects (self, SQL_LIST_VISITS, household_id, 0, error);
  return objects_to_models (rows, (gpointer (*) (JsonObject *)) tsu_visit_new_from_record);
}

GPtrArray *
tsu_store_list_followups (TsuStore    *self,
                          const char  *household_id,
                          gboolean     open_only,
                          GError     **error)
{
  g_return_val_if_fail (TSU_IS_STORE (self), NULL);
  return query_objects (self, SQL_LIST_FOLLOWUPS, household_id, open_only ? 1 : 0, error);
}

TsuHouseholdDetail *
tsu_store_load_household (TsuStore    *self,
                          const char  *household_id,
                          GError     **error)
{
  g_autoptr(TsuHouseholdDetail) detail = g_new0 (TsuHouseholdDetail, 1);

  g_return_val_if_fail (TSU_IS_STORE (self), NULL);
  g_return_val_if_fail (household_id != NULL, NULL);

  /* One lock for the four reads: the page never shows a visit list from
   * after a save together with follow-ups from before it. */
  g_rec_mutex_lock (&self->mutex);
  detail->household = tsu_store_get_household_detail (self, household_id, error);
  if (detail->household != NULL)
    detail->residents = tsu_store_list_residents (self, household_id, error);
  if (detail->residents != NULL)
    detail->visits = tsu_store_list_visits (self, household_id, error);
  if (detail->visits != NULL)
    detail->open_followups = tsu_store_list_followups (self, household_id, TRUE, error);
  g_rec_mutex_unlock (&self->mutex);

  if (detail->open_followups == NULL)
    return NULL;
  return g_steal_pointer (&detail);
}

static void
load_household_worker (GTask        *task,
                       gpointer      source,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  GError *error = NULL;
  TsuHouseholdDetail *detail = tsu_store_load_household (source, task_data, &error);

  if (detail == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, detail, (GDestroyNotify) tsu_household_detail_free);
}

void
tsu_store_load_household_async (TsuStore            *self,
                                const char          *household_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TSU_IS_STORE (self));
  g_return_if_fail (household_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tsu_store_load_household_async);
  g_task_set_task_data (task, g_strdup (household_id), g_free);
  g_task_run_in_thread (task, load_household_worker);
}

TsuHouseholdDetail *
tsu_store_load_household_finish (TsuStore      *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

GPtrArray *
tsu_store_list_categories (TsuStore    *self,
                           const char  *kind,
                           GError     **error)
{
  g_return_val_if_fail (TSU_IS_STORE (self), NULL);
  return query_objects (self, SQL_LIST_CATEGORIES, kind, 0, error);
}

GPtrArray *
tsu_store_list_agencies (TsuStore  *self,
                         GError   **error)
{
  g_return_val_if_fail (TSU_IS_STORE (self), NULL);
  return query_objects (self, SQL_LIST_AGENCIES, NULL, 0, error);
}

GPtrArray *
tsu_store_list_names (TsuStore    *self,
                      const char  *table,
                      GError     **error)
{
  g_return_val_if_fail (TSU_IS_STORE (self), NULL);

  /* Only two fixed statements: the table name never comes from input. */
  if (g_strcmp0 (table, "district") == 0)
    return query_objects (self, "SELECT id, name FROM district WHERE deleted = 0"
                          " ORDER BY coalesce(sort_order, 100000), kana, name", NULL, 0, error);
  if (g_strcmp0 (table, "coordinator") == 0)
    return query_objects (self, "SELECT id, name FROM coordinator WHERE deleted = 0"
                          " ORDER BY kana, name", NULL, 0, error);
  g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID,
               _("Unknown record type “%s”"), table);
  return NULL;
}

void
tsu_store_list_names_async (TsuStore            *self,
                            const char          *table,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (TSU_IS_STORE (self));
  _tsu_store_list_async (self, tsu_store_list_names, table, tsu_store_list_names_async,
                         cancellable, callback, user_data);
}

GPtrArray *
tsu_store_list_names_finish (TsuStore      *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return _tsu_store_list_finish (self, result, error);
}

GPtrArray *
tsu_store_find_households (TsuStore    *self,
                           const char  *text,
                           guint        limit,
                           GError     **error)
{
  g_return_val_if_fail (TSU_IS_STORE (self), NULL);
  return query_objects (self, SQL_FIND_HOUSEHOLDS, text != NULL ? text : "", limit, error);
}

static const char *
get_text (JsonObject *object,
          const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  if (*json_node_get_string (node) == '\0')
    return NULL;
  return json_node_get_string (node);
}

static gboolean
close_answered_followups (TsuStore    *self,
                          const char  *household_id,
                          const char  *visit_id,
                          const char  *visit_day,
                          gboolean     sets_follow_up,
                          GError     **error)
{
  g_autoptr(GPtrArray) open = query_objects (self, SQL_OPEN_FOLLOWUPS, household_id, 0, error);

  if (open == NULL)
    return FALSE;

  for (guint i = 0; i < open->len; i++)
    {
      JsonObject *followup = g_ptr_array_index (open, i);
      const char *due = get_text (followup, "due_date");
      const char *from_visit = get_text (followup, "visit_id");
      gboolean answered;

      if (g_strcmp0 (from_visit, visit_id) == 0)
        continue;
      answered = (due != NULL && g_strcmp0 (due, visit_day) <= 0) ||
                 (sets_follow_up && from_visit != NULL);
      if (answered)
        {
          g_autoptr(JsonObject) fields = json_object_new ();

          json_object_set_string_member (fields, "done_date", visit_day);
          json_object_set_string_member (fields, "done_visit_id", visit_id);
          if (!tsu_store_update (self, "followup", get_text (followup, "id"), fields, error))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
sync_own_followup (TsuStore    *self,
                   const char  *household_id,
                   const char  *visit_id,
                   const char  *next_follow_up,
                   GError     **error)
{
  g_autoptr(GPtrArray) own = query_objects_2 (self, SQL_OWN_FOLLOWUP, household_id, visit_id, error);
  JsonObject *existing;

  if (own == NULL)
    return FALSE;
  existing = own->len > 0 ? g_ptr_array_index (own, 0) : NULL;

  if (next_follow_up == NULL)
    {
      if (existing != NULL && json_object_get_int_member (existing, "deleted") == 0)
        return tsu_store_delete (self, "followup", get_text (existing, "id"), error);
      return TRUE;
    }

  if (existing == NULL)
    {
      g_autoptr(JsonObject) fields = json_object_new ();
      g_autofree char *id = NULL;

      json_object_set_string_member (fields, "household_id", household_id);
      json_object_set_string_member (fields, "due_date", next_follow_up);
      json_object_set_string_member (fields, "visit_id", visit_id);
      id = tsu_store_create (self, "followup", fields, error);
      return id != NULL;
    }

  {
    g_autoptr(JsonObject) fields = json_object_new ();
    const char *id = get_text (existing, "id");

    if (json_object_get_int_member (existing, "deleted") != 0 &&
        !tsu_store_undelete (self, "followup", id, error))
      return FALSE;
    /* A new date is a new appointment: it is open again even if a later
     * visit had closed the old one. */
    if (g_strcmp0 (get_text (existing, "due_date"), next_follow_up) != 0)
      {
        json_object_set_string_member (fields, "due_date", next_follow_up);
        json_object_set_null_member (fields, "done_date");
        json_object_set_null_member (fields, "done_visit_id");
        return tsu_store_update (self, "followup", id, fields, error);
      }
  }
  return TRUE;
}

char *
tsu_store_save_visit (TsuStore    *self,
                      const char  *visit_id,
                      JsonObject  *fields,
                      GError     **error)
{
  g_autoptr(JsonObject) merged = json_object_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *id = NULL;
  g_autofree char *visit_day = NULL;
  const char *household_id;
  const char *next_follow_up;

  g_return_val_if_fail (TSU_IS_STORE (self), NULL);
  g_return_val_if_fail (fields != NULL, NULL);

  /* Validate the record as it will be after the write, not just the
   * fields that change. */
  if (visit_id != NULL)
    {
      g_autoptr(JsonObject) current = tsu_store_get_record (self, "visit", visit_id, error);
      g_autoptr(GList) members = NULL;

      if (current == NULL)
        return NULL;
      members = json_object_get_members (current);
      for (GList *l = members; l != NULL; l = l->next)
        json_object_set_member (merged, l->data,
                                json_node_copy (json_object_get_member (current, l->data)));
    }
  {
    g_autoptr(GList) members = json_object_get_members (fields);

    for (GList *l = members; l != NULL; l = l->next)
      json_object_set_member (merged, l->data,
                              json_node_copy (json_object_get_member (fields, l->data)));
  }
  if (!tsu_visit_validate (merged, now, error))
    return NULL;

  household_id = get_text (merged, "household_id");
  next_follow_up = get_text (merged, "next_follow_up");
  visit_day = g_strndup (get_text (merged, "visited_at"), 10);

  if (!tsu_store_begin (self, error))
    return NULL;

  if (visit_id == NULL)
    {
      id = tsu_store_create (self, "visit", fields, error);
      if (id == NULL)
        goto failed;
      if (!close_answered_followups (self, household_id, id, visit_day,
                                     next_follow_up != NULL, error))
        goto failed;
    }
  else
    {
      id = g_strdup (visit_id);
      if (!tsu_store_update (self, "visit", id, fields, error))
        goto failed;
    }

  if (!sync_own_followup (self, household_id, id, next_follow_up, error))
    goto failed;

  if (!tsu_store_commit (self, error))
    return NULL;
  return g_steal_pointer (&id);

failed:
  tsu_store_rollback (self);
  return NULL;
}

typedef struct
{
  char       *visit_id;
  JsonObject *fields;
} SaveVisitData;

static void
save_visit_data_free (SaveVisitData *data)
{
  g_free (data->visit_id);
  json_object_unref (data->fields);
  g_free (data);
}

static void
save_visit_worker (GTask        *task,
                   gpointer      source,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  SaveVisitData *data = task_data;
  GError *error = NULL;
  char *id = tsu_store_save_visit (source, data->visit_id, data->fields, &error);

  if (id == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, id, g_free);
}

void
tsu_store_save_visit_async (TsuStore            *self,
                            const char          *visit_id,
                            JsonObject          *fields,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) copy = NULL;
  SaveVisitData *data;

  g_return_if_fail (TSU_IS_STORE (self));
  g_return_if_fail (fields != NULL);

  /* The worker gets its own copy: JsonObject is not thread-safe and the
   * caller may go on editing. */
  node = json_node_init_object (json_node_alloc (), fields);
  copy = json_node_copy (node);

  data = g_new0 (SaveVisitData, 1);
  data->visit_id = g_strdup (visit_id);
  data->fields = json_node_dup_object (copy);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tsu_store_save_visit_async);
  /* A save that has started is finished even if the editor goes away:
   * the visit must be in the database, not lost with the window. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, data, (GDestroyNotify) save_visit_data_free);
  g_task_run_in_thread (task, save_visit_worker);
}

char *
tsu_store_save_visit_finish (TsuStore      *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The follow-ups @visit closed open again when it is deleted (the answer
 * to them is gone) and close again, on its day, when it is undeleted.
 * Normal updates, so the change syncs; done_visit_id stays, so that an
 * undelete finds them, unless another visit has closed them since. */
static gboolean
reclose_followups (TsuStore    *self,
                   JsonObject  *visit,
                   gboolean     close,
                   GError     **error)
{
  const char *visit_id = get_text (visit, "id");
  const char *visited_at = get_text (visit, "visited_at");
  g_autofree char *visit_day = g_strndup (visited_at != NULL ? visited_at : "", 10);
  g_autoptr(GPtrArray) closed = query_objects_2 (self, SQL_CLOSED_BY_VISIT, get_text (visit, "household_id"),
                                                 visit_id, error);

  if (closed == NULL)
    return FALSE;
  for (guint i = 0; i < closed->len; i++)
    {
      JsonObject *followup = g_ptr_array_index (closed, i);
      g_autoptr(JsonObject) fields = json_object_new ();
      gboolean is_open = get_text (followup, "done_date") == NULL;

      /* Only a change: what is already as it should be gets no operation. */
      if (close ? !is_open || *visit_day == '\0' : is_open)
        continue;
      if (close)
        json_object_set_string_member (fields, "done_date", visit_day);
      else
        json_object_set_null_member (fields, "done_date");
      if (!tsu_store_update (self, "followup", get_text (followup, "id"), fields, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
tsu_store_delete_visit (TsuStore    *self,
                        const char  *visit_id,
                        GError     **error)
{
  g_autoptr(GPtrArray) own = NULL;
  g_autoptr(JsonObject) visit = NULL;

  g_return_val_if_fail (TSU_IS_STORE (self), FALSE);

  if (!tsu_store_begin (self, error))
    return FALSE;
  visit = tsu_store_get_record (self, "visit", visit_id, error);
  if (visit == NULL || !tsu_store_delete (self, "visit", visit_id, error))
    goto failed;
  own = query_objects_2 (self, SQL_OWN_FOLLOWUP, get_text (visit, "household_id"), visit_id, error);
  if (own == NULL)
    goto failed;
  for (guint i = 0; i < own->len; i++)
    {
      JsonObject *followup = g_ptr_array_index (own, i);

      if (json_object_get_int_member (followup, "deleted") == 0 &&
          !tsu_store_delete (self, "followup", get_text (followup, "id"), error))
        goto failed;
    }
  if (!reclose_followups (self, visit, FALSE, error))
    goto failed;
  return tsu_store_commit (self, error);

failed:
  tsu_store_rollback (self);
  return FALSE;
}

gboolean
tsu_store_undelete_visit (TsuStore    *self,
                          const char  *visit_id,
                          GError     **error)
{
  g_autoptr(JsonObject) visit = NULL;
  g_autoptr(GPtrArray) own = NULL;

  g_return_val_if_fail (TSU_IS_STORE (self), FALSE);

  if (!tsu_store_begin (self, error))
    return FALSE;
  if (!tsu_store_undelete (self, "visit", visit_id, error))
    goto failed;
  visit = tsu_store_get_record (self, "visit", visit_id, error);
  if (visit == NULL)
    goto failed;
  own = query_objects_2 (self, SQL_OWN_FOLLOWUP, get_text (visit, "household_id"), visit_id, error);
  if (own == NULL)
    goto failed;
  /* Only the follow-up that still matches the visit's date comes back: one
   * the visit had dropped before it was deleted stays deleted. */
  for (guint i = 0; i < own->len; i++)
    {
      JsonObject *followup = g_ptr_array_index (own, i);

      if (json_object_get_int_member (followup, "deleted") != 0 &&
          get_text (visit, "next_follow_up") != NULL &&
          g_strcmp0 (get_text (followup, "due_date"), get_text (visit, "next_follow_up")) == 0 &&
          !tsu_store_undelete (self, "followup", get_text (followup, "id"), error))
        goto failed;
    }
  if (!reclose_followups (self, visit, TRUE, error))
    goto failed;
  return tsu_store_commit (self, error);

failed:
  tsu_store_rollback (self);
  return FALSE;
}

static void
set_visit_deleted_worker (GTask        *task,
                          gpointer      source,
                          gpointer      task_data,
                          GCancellable *cancellable)
{
  const char *visit_id = task_data;
  gboolean deleted = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (task), "deleted"));
  GError *error = NULL;
  gboolean ok;

  ok = deleted ? tsu_store_delete_visit (source, visit_id, &error)
               : tsu_store_undelete_visit (source, visit_id, &error);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
tsu_store_set_visit_deleted_async (TsuStore            *self,
                                   const char          *visit_id,
                                   gboolean             deleted,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TSU_IS_STORE (self));
  g_return_if_fail (visit_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tsu_store_set_visit_deleted_async);
  /* Like a save: once asked for, it happens even if the page goes away. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, g_strdup (visit_id), g_free);
  g_object_set_data (G_OBJECT (task), "deleted", GINT_TO_POINTER (deleted));
  g_task_run_in_thread (task, set_visit_deleted_worker);
}

gboolean
tsu_store_set_visit_deleted_finish (TsuStore      *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
