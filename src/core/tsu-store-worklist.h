/* tsu-store-worklist.h: reading the daily work list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tsu-store.h"
#include "tsu-work-item.h"

G_BEGIN_DECLS

/* The work list on @today (pinned by tests) as TsuWorkItem, sorted by
 * section then urgency. @district_id, @coordinator_id: NULL for all. */
GPtrArray *tsu_store_list_worklist        (TsuStore            *self,
                                           const GDate         *today,
                                           const char          *district_id,
                                           const char          *coordinator_id,
                                           GError             **error);
void       tsu_store_list_worklist_async  (TsuStore            *self,
                                           const GDate         *today,
                                           const char          *district_id,
                                           const char          *coordinator_id,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
GPtrArray *tsu_store_list_worklist_finish (TsuStore            *self,
                                           GAsyncResult        *result,
                                           GError             **error);

G_END_DECLS
