/* tsu-store-households.h: districts and households as the lists show them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tsu-district.h"
#include "tsu-household.h"
#include "tsu-store.h"

G_BEGIN_DECLS

/* Each returns a GPtrArray of TsuDistrict / TsuHousehold (owned). */
GPtrArray *tsu_store_list_districts         (TsuStore             *self,
                                             GError              **error);
void       tsu_store_list_districts_async   (TsuStore             *self,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
GPtrArray *tsu_store_list_districts_finish  (TsuStore             *self,
                                             GAsyncResult         *result,
                                             GError              **error);

/* district_id NULL: every district. Sorted by the kana of the head of
 * household, the order of a 世帯台帳. */
GPtrArray *tsu_store_list_households        (TsuStore             *self,
                                             const char           *district_id,
                                             GError              **error);
void       tsu_store_list_households_async  (TsuStore             *self,
                                             const char           *district_id,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
GPtrArray *tsu_store_list_households_finish (TsuStore             *self,
                                             GAsyncResult         *result,
                                             GError              **error);

TsuHousehold *tsu_store_get_household       (TsuStore             *self,
                                             const char           *household_id,
                                             GError              **error);

/* Search by name in kanji or kana, address or phone; best matches first. */
GPtrArray *tsu_store_search                 (TsuStore             *self,
                                             const char           *query,
                                             guint                 limit,
                                             GError              **error);
void       tsu_store_search_async           (TsuStore             *self,
                                             const char           *query,
                                             guint                 limit,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
GPtrArray *tsu_store_search_finish          (TsuStore             *self,
                                             GAsyncResult         *result,
                                             GError              **error);

G_END_DECLS
