/* tsu-store-import.h: what imports keep in the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An import batch remembers which records it created, so that it can be
 * undone as a whole (by tombstones, like every other delete). The town →
 * district table and the last column mapping are kept here too.
 */
#pragma once

#include "tsu-store.h"

G_BEGIN_DECLS

/* Called for each household that is not deleted, with the name and kana of
 * its head (the resident whose relationship is "head", or 世帯主 as older
 * imports wrote it, else the first one). */
typedef void (*TsuHouseholdHeadFunc) (const char *household_id,
                                      const char *address,
                                      const char *head_name,
                                      gpointer    user_data);

gboolean    tsu_store_foreach_household_head  (TsuStore              *self,
                                               TsuHouseholdHeadFunc   func,
                                               gpointer               user_data,
                                               GError               **error);
/* The districts that are not deleted: JsonObjects with id, name, full_name, boundary. */
GPtrArray  *tsu_store_list_import_districts   (TsuStore    *self,
                                               GError     **error);

/* A large page cache while an import's transaction runs: its dirty pages
 * would otherwise spill to the write-ahead log and be read back. */
void        tsu_store_set_import_cache        (TsuStore    *self,
                                               gboolean     large);

/* The batch: a JsonObject with id, file_name, file_checksum, encoding,
 * mapping, n_rows, n_created, n_matched, n_skipped, n_exact,
 * n_approximate, n_unplaced. Call inside tsu_store_begin(). */
gboolean    tsu_store_insert_import_batch     (TsuStore    *self,
                                               JsonObject  *batch,
                                               GError     **error);
gboolean    tsu_store_add_import_record       (TsuStore    *self,
                                               const char  *batch_id,
                                               const char  *table,
                                               const char  *record_id,
                                               guint        line,
                                               GError     **error);
/* Also has created_at, actor and undone_at (null while not undone). */
JsonObject *tsu_store_get_import_batch        (TsuStore    *self,
                                               const char  *batch_id,
                                               GError     **error);
/* Newest first. */
GPtrArray  *tsu_store_list_import_batches     (TsuStore    *self,
                                               GError     **error);
/* Deletes (tombstones) every record the batch created that is not already
 * deleted, residents before households, in one transaction. N_DELETED is
 * how many were deleted; N_EDITED how many of them were changed after the
 * import (their later edits are in the operation log). */
gboolean    tsu_store_undo_import             (TsuStore    *self,
                                               const char  *batch_id,
                                               guint       *n_deleted,
                                               guint       *n_edited,
                                               GError     **error);

/* Small settings of the import (the last column mapping, the town list). */
char       *tsu_store_get_import_setting      (TsuStore    *self,
                                               const char  *key);
gboolean    tsu_store_set_import_setting      (TsuStore    *self,
                                               const char  *key,
                                               const char  *value,
                                               GError     **error);

/* Households placed only approximately or not at all, for "place on the
 * map" later: JsonObjects with id, address, location_quality, by address. */
GPtrArray  *tsu_store_list_households_to_place (TsuStore   *self,
                                                GError    **error);

/* The town → district table, keyed by tsu_address_town_key(). */
GHashTable *tsu_store_get_town_districts      (TsuStore    *self,
                                               GError     **error);
/* DISTRICT_ID NULL removes the town from the table. */
gboolean    tsu_store_set_town_district       (TsuStore    *self,
                                               const char  *town,
                                               const char  *district_id,
                                               GError     **error);
/* JsonObjects with town, town_key, district_id, district_name; by town. */
GPtrArray  *tsu_store_list_town_districts     (TsuStore    *self,
                                               GError     **error);

G_END_DECLS
