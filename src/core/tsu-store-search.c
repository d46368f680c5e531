/* tsu-store-search.c: the name, kana, address and phone index
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SQLite 3.40's trigram tokenizer finds nothing for queries of one or two
 * characters, and most family names are two kanji. So the index has two
 * parts: search_key holds one folded key per name, kana, address and phone,
 * searched by prefix with an index range; search_fts is a trigram table over
 * the same keys for infixes of three or more characters. Short infixes fall
 * back to a bounded scan of search_key.
 */
#include "config.h"

#include <string.h>

#include "tsu-household-private.h"
#include "tsu-store-households.h"
#include "tsu-store-private.h"
#include "tsu-text.h"

#define SQL_SEARCH_SCHEMA \
  "CREATE TABLE search_key (record_id TEXT NOT NULL, household_id TEXT NOT NULL," \
  "  kind INTEGER NOT NULL, key TEXT NOT NULL);" \
  "CREATE INDEX search_key_key ON search_key (key);" \
  "CREATE INDEX search_key_record ON search_key (record_id);" \
  "CREATE VIRTUAL TABLE search_fts USING fts5 (key, record_id UNINDEXED," \
  "  household_id UNINDEXED, kind UNINDEXED, tokenize = 'trigram');"

/* Schema version 8. A search_fts row is paired with its search_key row by
 * rowid, and VACUUM may renumber the rowids of a table that has no INTEGER
 * PRIMARY KEY (SQLite 3.40 does when the table has no index; the
 * documentation allows it always). An explicit id column keeps them fixed.
 * The copy keeps every rowid, and the trigram table is rebuilt from the
 * keys so that a file whose pairs had already drifted is repaired too. */
const char _tsu_store_search_key_id_schema[] =
  "CREATE TABLE search_key_new (id INTEGER PRIMARY KEY, record_id TEXT NOT NULL," \
  "  household_id TEXT NOT NULL, kind INTEGER NOT NULL, key TEXT NOT NULL);" \
  "INSERT INTO search_key_new (id, record_id, household_id, kind, key)" \
  "  SELECT rowid, record_id, household_id, kind, key FROM search_key;" \
  "DROP TABLE search_key;" \
  "ALTER TABLE search_key_new RENAME TO search_key;" \
  "CREATE INDEX search_key_key ON search_key (key);" \
  "CREATE INDEX search_key_record ON search_key (record_id);" \
  "DROP TABLE search_fts;" \
  "CREATE VIRTUAL TABLE search_fts USING fts5 (key, record_id UNINDEXED," \
  "  household_id UNINDEXED, kind UNINDEXED, tokenize = 'trigram');" \
  "INSERT INTO search_fts (rowid, key, record_id, household_id, kind)" \
  "  SELECT id, key, record_id, household_id, kind FROM search_key;";

#define SQL_DELETE_KEYS "DELETE FROM search_key WHERE record_id = ?1"
/* The FTS row of a key has the key's id (its rowid): record_id is UNINDEXED in the
 * FTS table, so deleting by it would scan the whole table on every write. */
#define SQL_DELETE_FTS \
  "DELETE FROM search_fts WHERE rowid IN (SELECT rowid FROM search_key WHERE record_id = ?1)"
#define SQL_KEY_ROWIDS "SELECT rowid FROM search_key WHERE record_id = ?1"
#define SQL_DELETE_FTS_ROW "DELETE FROM search_fts WHERE rowid = ?1"
#define SQL_DELETE_KEY_ROW "DELETE FROM search_key WHERE rowid = ?1"
#define SQL_INSERT_KEY \
  "INSERT INTO search_key (record_id, household_id, kind, key) VALUES (?1, ?2, ?3, ?4)"
#define SQL_INSERT_FTS \
  "INSERT INTO search_fts (rowid, key, record_id, household_id, kind)" \
  " VALUES (last_insert_rowid (), ?4, ?1, ?2, ?3)"
#define SQL_RESIDENT_TEXT \
  "SELECT household_id, name, kana, deleted FROM resident WHERE id = ?1"
#define SQL_HOUSEHOLD_TEXT \
  "SELECT id, address, phone, deleted FROM household WHERE id = ?1"

gboolean
_tsu_store_search_init (TsuStore  *self,
                        GError   **error)
{
  return _tsu_store_exec (self, SQL_SEARCH_SCHEMA, error);
}

static gboolean
insert_key (TsuStore    *self,
            const char  *record_id,
            const char  *household_id,
            int          kind,
            const char  *key,
            GError     **error)
{
  static const char * const statements[] = { SQL_INSERT_KEY, SQL_INSERT_FTS };

  if (key == NULL || *key == '\0')
    return TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (statements); i++)
    {
      g_autoptr(TsuCachedStmt) stmt = NULL;

      if (!_tsu_store_cached (self, statements[i], &stmt, error))
        return FALSE;
      sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, household_id, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 3, kind);
      sqlite3_bind_text (stmt, 4, key, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        return _tsu_store_set_error (self, error);
    }
  return TRUE;
}

gboolean
_tsu_store_search_reindex (TsuStore    *self,
                           const char  *table,
                           const char  *record_id,
                           GError     **error)
{
  gboolean is_resident = g_str_equal (table, "resident");
  g_autoptr(TsuCachedStmt) stmt = NULL;
  gint64 rowids[8];
  guint n_rowids = 0;
  gboolean more = FALSE;

  if (!is_resident && !g_str_equal (table, "household"))
    return TRUE;

  /* The record's keys, deleted one rowid at a time (FTS first: it is found
   * through the key's rowid). record_id is UNINDEXED in search_fts, so
   * deleting by it would scan the whole table; and a single-row statement
   * needs no statement journal, whose savepoint makes FTS5 flush its
   * pending changes as a new segment. A new record has no keys at all. */
  {
    g_autoptr(TsuCachedStmt) keys = NULL;
    int rc;

    if (!_tsu_store_cached (self, SQL_KEY_ROWIDS, &keys, error))
      return FALSE;
    sqlite3_bind_text (keys, 1, record_id, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step (keys)) == SQLITE_ROW)
      {
        if (n_rowids == G_N_ELEMENTS (rowids))
          {
            more = TRUE;
            break;
          }
        rowids[n_rowids++] = sqlite3_column_int64 (keys, 0);
      }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
      return _tsu_store_set_error (self, error);
  }

  if (more)
    {
      /* More keys than a record ever has: the general statements. */
      static const char * const deletes[] = { SQL_DELETE_FTS, SQL_DELETE_KEYS };

      for (guint i = 0; i < G_N_ELEMENTS (deletes); i++)
        {
          g_autoptr(TsuCachedStmt) del = NULL;

          if (!_tsu_store_cached (self, deletes[i], &del, error))
            return FALSE;
          sqlite3_bind_text (del, 1, record_id, -1, SQLITE_STATIC);
          if (sqlite3_step (del) != SQLITE_DONE)
            return _tsu_store_set_error (self, error);
        }
    }
  else
    for (guint i = 0; i < n_rowids; i++)
      {
        static const char * const deletes[] = { SQL_DELETE_FTS_ROW, SQL_DELETE_KEY_ROW };

        for (guint j = 0; j < G_N_ELEMENTS (deletes); j++)
          {
            g_autoptr(TsuCachedStmt) del = NULL;

            if (!_tsu_store_cached (self, deletes[j], &del, error))
              return FALSE;
            sqlite3_bind_int64 (del, 1, rowids[i]);
            if (sqlite3_step (del) != SQLITE_DONE)
              return _tsu_store_set_error (self, error);
          }
      }

  if (!_tsu_store_cached (self, is_resident ? SQL_RESIDENT_TEXT : SQL_HOUSEHOLD_TEXT, &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return TRUE;
  if (sqlite3_column_int (stmt, 3) != 0 || sqlite3_column_type (stmt, 0) != SQLITE_TEXT)
    return TRUE; /* deleted records are not found by search */

  {
    const char *household_id = _tsu_store_column_text (stmt, 0);
    g_autofree char *first = NULL;
    g_autofree char *second = NULL;

    if (is_resident)
      {
        first = tsu_text_fold (_tsu_store_column_text (stmt, 1));
        second = tsu_text_fold (_tsu_store_column_text (stmt, 2));
      }
    else
      {
        first = tsu_text_fold (_tsu_store_column_text (stmt, 1));
        second = tsu_text_digits_only (_tsu_store_column_text (stmt, 2));
      }

    if (!insert_key (self, record_id, household_id, is_resident ? 0 : 2, first, error) ||
        !insert_key (self, record_id, household_id, is_resident ? 1 : 3, second, error))
      return FALSE;
  }
  return TRUE;
}

gboolean
_tsu_store_search_index_new (TsuStore    *self,
                             const char  *table,
                             const char  *record_id,
                             JsonObject  *fields,
                             GError     **error)
{
  gboolean is_resident = g_str_equal (table, "resident");
  JsonNode *deleted;
  const char *household_id;
  const char *first_text;
  const char *second_text;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  if (!is_resident && !g_str_equal (table, "household"))
    return TRUE;

  /* Anything but plain strings is stored as SQLite converts it: let the
   * general path read it back rather than guess that conversion here. */
  deleted = json_object_get_member (fields, "deleted");
  if (deleted != NULL && !JSON_NODE_HOLDS_NULL (deleted))
    return _tsu_store_search_reindex (self, table, record_id, error);
  if (is_resident)
    {
      if (!_tsu_store_string_member (fields, "household_id", &household_id) ||
          !_tsu_store_string_member (fields, "name", &first_text) ||
          !_tsu_store_string_member (fields, "kana", &second_text))
        return _tsu_store_search_reindex (self, table, record_id, error);
      if (household_id == NULL)
        return TRUE;
      first = tsu_text_fold (first_text);
      second = tsu_text_fold (second_text);
    }
  else
    {
      household_id = record_id;
      if (!_tsu_store_string_member (fields, "address", &first_text) ||
          !_tsu_store_string_member (fields, "phone", &second_text))
        return _tsu_store_search_reindex (self, table, record_id, error);
      first = tsu_text_fold (first_text);
      second = tsu_text_digits_only (second_text);
    }

  /* A new record has no keys yet, so there is nothing to delete first. */
  return insert_key (self, record_id, household_id, is_resident ? 0 : 2, first, error) &&
         insert_key (self, record_id, household_id, is_resident ? 1 : 3, second, error);
}

/* Kinds of search keys, also the order of preference between equal ranks. */
enum
{
  KIND_NAME = 0,
  KIND_KANA = 1,
  KIND_ADDRESS = 2,
  KIND_PHONE = 3,
};

#define SQL_SEARCH_PREFIX \
  "SELECT household_id, record_id, kind, key FROM search_key" \
  " WHERE key >= ?1 AND key < ?1 || char(1114111) ORDER BY length(key) LIMIT ?2"
#define SQL_SEARCH_TRIGRAM \
  "SELECT household_id, record_id, kind, key FROM search_fts WHERE search_fts MATCH ?1 LIMIT ?2"
#define SQL_SEARCH_SHORT_INFIX \
  "SELECT household_id, record_id, kind, key FROM search_key WHERE instr(key, ?1) > 0 LIMIT ?2"
#define SQL_RESIDENT_NAME "SELECT name FROM resident WHERE id = ?1"

typedef struct
{
  char *household_id;
  char *record_id;
  int   kind;
  int   rank;      /* 0 exact, 1 prefix, 2 infix */
} Hit;

static void
hit_free (gpointer data)
{
  Hit *hit = data;

  g_free (hit->household_id);
  g_free (hit->record_id);
  g_free (hit);
}

static int
compare_hits (gconstpointer a,
              gconstpointer b)
{
  const Hit *x = *(const Hit * const *) a;
  const Hit *y = *(const Hit * const *) b;

  if (x->rank != y->rank)
    return x->rank - y->rank;
  return x->kind - y->kind;
}

/* Collects hits into best, keeping the best rank per household. */
static gboolean
collect (TsuStore    *self,
         const char  *sql,
         const char  *argument,
         const char  *folded,
         guint        limit,
         int          rank,
         GHashTable  *best,
         GError     **error)
{
  g_autoptr(TsuCachedStmt) stmt = NULL;
  int rc;

  if (!_tsu_store_cached (self, sql, &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, argument, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, (int) limit);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *household_id = _tsu_store_column_text (stmt, 0);
      int kind = sqlite3_column_int (stmt, 2);
      const char *key = _tsu_store_column_text (stmt, 3);
      int this_rank = (rank == 1 && g_strcmp0 (key, folded) == 0) ? 0 : rank;
      Hit *existing = g_hash_table_lookup (best, household_id);

      if (existing != NULL &&
          (existing->rank < this_rank || (existing->rank == this_rank && existing->kind <= kind)))
        continue;

      if (existing == NULL)
        {
          existing = g_new0 (Hit, 1);
          existing->household_id = g_strdup (household_id);
          g_hash_table_insert (best, existing->household_id, existing);
        }
      g_free (existing->record_id);
      existing->record_id = g_strdup (_tsu_store_column_text (stmt, 1));
      existing->kind = kind;
      existing->rank = this_rank;
    }

  if (rc != SQLITE_DONE)
    return _tsu_store_set_error (self, error);
  return TRUE;
}

static char *
trigram_query (const char *folded)
{
  GString *query = g_string_new ("\"");

  /* A phrase query: double any quote so user text is never FTS syntax. */
  for (const char *p = folded; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (query, '"');
      g_string_append_c (query, *p);
    }
  g_string_append_c (query, '"');
  return g_string_free (query, FALSE);
}

static char *
describe_match (TsuStore     *self,
                Hit          *hit,
                TsuHousehold *household)
{
  /* Say why a household matched when it was not through the head's name:
   * "山田 花子" found the household of 山田 太郎. */
  if (hit->kind == KIND_NAME || hit->kind == KIND_KANA)
    {
      g_autoptr(TsuCachedStmt) stmt = NULL;

      if (_tsu_store_cached (self, SQL_RESIDENT_NAME, &stmt, NULL))
        {
          sqlite3_bind_text (stmt, 1, hit->record_id, -1, SQLITE_STATIC);
          if (sqlite3_step (stmt) == SQLITE_ROW &&
              g_strcmp0 (_tsu_store_column_text (stmt, 0), household->head_name) != 0)
            return g_strdup (_tsu_store_column_text (stmt, 0));
        }
      return NULL;
    }
  if (hit->kind == KIND_PHONE)
    return g_strdup (household->phone);
  return NULL;
}

GPtrArray *
tsu_store_search (TsuStore    *self,
                  const char  *query,
                  guint        limit,
                  GError     **error)
{
  g_autoptr(GHashTable) best = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, hit_free);
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GPtrArray) households = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *folded = NULL;
  g_autofree char *digits = NULL;
  GHashTableIter iter;
  gpointer value;
  glong n_chars;
  guint candidates;

  g_return_val_if_fail (TSU_IS_STORE (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  if (limit == 0)
    limit = 50;
  /* Rank a bounded candidate set, not every hit of a common name. */
  candidates = MAX (limit * 4, 200);

  folded = tsu_text_fold (query);
  n_chars = g_utf8_strlen (folded, -1);
  if (n_chars == 0)
    return g_steal_pointer (&households);

  /* "0595-21" and "059521" both search phone numbers. */
  digits = tsu_text_digits_only (query);
  if (strlen (digits) >= 3 && strlen (digits) * 2 >= strlen (folded))
    {
      g_free (folded);
      folded = g_steal_pointer (&digits);
      n_chars = g_utf8_strlen (folded, -1);
    }

  g_rec_mutex_lock (&self->mutex);

  if (!collect (self, SQL_SEARCH_PREFIX, folded, folded, candidates, 1, best, error))
    goto failed;

  if (g_hash_table_size (best) < limit)
    {
      if (n_chars >= 3)
        {
          g_autofree char *fts = trigram_query (folded);

          if (!collect (self, SQL_SEARCH_TRIGRAM, fts, folded, candidates, 2, best, error))
            goto failed;
        }
      else if (!collect (self, SQL_SEARCH_SHORT_INFIX, folded, folded, candidates, 2, best, error))
        goto failed;
    }

  hits = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, best);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (hits, value);
  g_ptr_array_sort (hits, compare_hits);

  for (guint i = 0; i < hits->len && households->len < limit; i++)
    {
      Hit *hit = hits->pdata[i];
      g_autoptr(GError) local_error = NULL;
      TsuHousehold *household = _tsu_store_load_household (self, hit->household_id, &local_error);

      if (household == NULL)
        {
          if (g_error_matches (local_error, TSU_STORE_ERROR, TSU_STORE_ERROR_NOT_FOUND))
            continue;
          g_propagate_error (error, g_steal_pointer (&local_error));
          goto failed;
        }
      household->match = describe_match (self, hit, household);
      g_ptr_array_add (households, household);
    }

  g_rec_mutex_unlock (&self->mutex);
  return g_steal_pointer (&households);

failed:
  g_rec_mutex_unlock (&self->mutex);
  return NULL;
}

typedef struct
{
  char  *query;
  guint  limit;
} SearchData;

static void
search_data_free (gpointer data)
{
  SearchData *search = data;

  g_free (search->query);
  g_free (search);
}

static void
search_worker (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SearchData *search = task_data;
  GError *error = NULL;
  GPtrArray *households;

  /* Typing fast cancels the previous search: skip the work if so. */
  if (g_task_return_error_if_cancelled (task))
    return;

  households = tsu_store_search (source, search->query, search->limit, &error);
  if (households == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, households, (GDestroyNotify) g_ptr_array_unref);
}

void
tsu_store_search_async (TsuStore            *self,
                        const char          *query,
                        guint                limit,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  SearchData *search = g_new0 (SearchData, 1);

  search->query = g_strdup (query);
  search->limit = limit;
  g_task_set_source_tag (task, tsu_store_search_async);
  g_task_set_task_data (task, search, search_data_free);
  g_task_run_in_thread (task, search_worker);
}

GPtrArray *
tsu_store_search_finish (TsuStore      *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
