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

#include "tsu-store-private.h"
#include "tsu-text.h"

#define SQL_SEARCH_SCHEMA \
  "CREATE TABLE search_key (record_id TEXT NOT NULL, household_id TEXT NOT NULL," \
  "  kind INTEGER NOT NULL, key TEXT NOT NULL);" \
  "CREATE INDEX search_key_key ON search_key (key);" \
  "CREATE INDEX search_key_record ON search_key (record_id);" \
  "CREATE VIRTUAL TABLE search_fts USING fts5 (key, record_id UNINDEXED," \
  "  household_id UNINDEXED, kind UNINDEXED, tokenize = 'trigram');"

#define SQL_DELETE_KEYS "DELETE FROM search_key WHERE record_id = ?1"
#define SQL_DELETE_FTS "DELETE FROM search_fts WHERE record_id = ?1"
#define SQL_INSERT_KEY \
  "INSERT INTO search_key (record_id, household_id, kind, key) VALUES (?1, ?2, ?3, ?4)"
#define SQL_INSERT_FTS \
  "INSERT INTO search_fts (key, record_id, household_id, kind) VALUES (?4, ?1, ?2, ?3)"
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
      g_autoptr(sqlite3_stmt) stmt = NULL;

      if (!_tsu_store_prepare (self, statements[i], &stmt, error))
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
  static const char * const deletes[] = { SQL_DELETE_KEYS, SQL_DELETE_FTS };
  gboolean is_resident = g_str_equal (table, "resident");
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!is_resident && !g_str_equal (table, "household"))
    return TRUE;

  /* search_fts cannot look up record_id (it is UNINDEXED), so deleting
   * from it scans the whole table. Every FTS row has a search_key twin,
   * so a record without keys (a new one) skips the deletes entirely. */
  {
    g_autoptr(sqlite3_stmt) any = NULL;

    if (!_tsu_store_prepare (self, "SELECT 1 FROM search_key WHERE record_id = ?1 LIMIT 1", &any, error))
      return FALSE;
    sqlite3_bind_text (any, 1, record_id, -1, SQLITE_STATIC);
    if (sqlite3_step (any) != SQLITE_ROW)
      goto insert;
  }

  for (guint i = 0; i < G_N_ELEMENTS (deletes); i++)
    {
      g_autoptr(sqlite3_stmt) del = NULL;

      if (!_tsu_store_prepare (self, deletes[i], &del, error))
        return FALSE;
      sqlite3_bind_text (del, 1, record_id, -1, SQLITE_STATIC);
      if (sqlite3_step (del) != SQLITE_DONE)
        return _tsu_store_set_error (self, error);
    }

insert:
  if (!_tsu_store_prepare (self, is_resident ? SQL_RESIDENT_TEXT : SQL_HOUSEHOLD_TEXT, &stmt, error))
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
