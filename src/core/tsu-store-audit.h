/* tsu-store-audit.h: who changed what, when
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tsu-store.h"

G_BEGIN_DECLS

/* The operations on a household and on its residents, visits and
 * follow-ups, newest first, as JSON objects with the keys hlc, replica,
 * actor, table, id and fields. At most limit entries. */
GPtrArray *tsu_store_list_household_history        (TsuStore             *self,
                                                    const char           *household_id,
                                                    guint                 limit,
                                                    GError              **error);
void       tsu_store_list_household_history_async  (TsuStore             *self,
                                                    const char           *household_id,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
GPtrArray *tsu_store_list_household_history_finish (TsuStore             *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

G_END_DECLS
