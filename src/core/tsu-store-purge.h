/* tsu-store-purge.h: retention purge of archived households
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tsu-store.h"

G_BEGIN_DECLS

/* The status a purged household is left with: the tombstone that sync
 * passes on, so that every replica purges it too. */
#define TSU_HOUSEHOLD_STATUS_PURGED "purged"

/* Purges every household whose status has been "moved" or "deceased" for
 * more than @older_than_days days (and any household already marked
 * purged): see tsu-store-purge.c. One transaction, one purge_log entry.
 * The caller runs tsu_store_vacuum afterwards. */
gboolean  tsu_store_purge_archived  (TsuStore     *self,
                                     guint         older_than_days,
                                     const char   *reason,
                                     guint        *n_households,
                                     guint        *n_records,
                                     GError      **error);
/* Erases the personal data of @household_id and everything under it;
 * for the sync import, which calls it when a purge tombstone arrives,
 * inside its own transaction. */
gboolean  tsu_store_purge_household (TsuStore     *self,
                                     const char   *household_id,
                                     guint        *n_records,
                                     GError      **error);
/* Whether @household_id is here with the purged status. The sync import
 * asks it for every household a changeset touched: one cached lookup by
 * primary key, not a whole record read back. */
gboolean  tsu_store_household_is_purged (TsuStore     *self,
                                         const char   *household_id,
                                         GError      **error);
/* Merges the search index, VACUUM and a WAL checkpoint, so no freed page
 * or index segment keeps old bytes. */
gboolean  tsu_store_vacuum          (TsuStore     *self,
                                     GError      **error);
/* Number of purge_log entries (the audit of purges). */
gint64    tsu_store_purge_count_log (TsuStore     *self);

G_END_DECLS
