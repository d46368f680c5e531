/* tsu-store-demo.c: store settings for bulk writes (the demo generator)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A city is written in one transaction. Its records have random UUID keys,
 * so every insert lands on a random page of each index; with SQLite's
 * default 2 MB page cache the transaction spills pages to the WAL and reads
 * them back over and over (at 40,000 households: 50 s instead of 34 s).
 * A larger cache for the duration of the bulk write avoids that; memory is
 * only taken as pages are used, and handed back when bulk mode ends.
 */
#include "config.h"

#include "tsu-store-private.h"
#include "tsu-store-demo.h"

#define SQL_BULK_CACHE    "PRAGMA cache_size = -262144"   /* 256 MiB */
#define SQL_DEFAULT_CACHE "PRAGMA cache_size = -2000"     /* SQLite's default */

gboolean
tsu_store_set_bulk_cache (TsuStore  *self,
                          gboolean   bulk,
                          GError   **error)
{
  gboolean ok;

  g_return_val_if_fail (TSU_IS_STORE (self), FALSE);

  g_rec_mutex_lock (&self->mutex);
  ok = _tsu_store_exec (self, bulk ? SQL_BULK_CACHE : SQL_DEFAULT_CACHE, error);
  if (ok && !bulk)
    sqlite3_db_release_memory (self->db);
  g_rec_mutex_unlock (&self->mutex);
  return ok;
}
