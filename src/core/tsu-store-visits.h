/* tsu-store-visits.h: households, residents, visits and follow-ups as the
 * home-visit screens read and write them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tsu-resident.h"
#include "tsu-store.h"
#include "tsu-visit.h"

G_BEGIN_DECLS

/* Everything the household page shows, read in one go. */
typedef struct
{
  JsonObject *household;       /* the record plus district_name, coordinator_name */
  GPtrArray  *residents;       /* TsuResident, by position then kana */
  GPtrArray  *visits;          /* TsuVisit, newest first */
  GPtrArray  *open_followups;  /* JsonObject followup records, soonest first */
} TsuHouseholdDetail;

void tsu_household_detail_free (TsuHouseholdDetail *detail);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsuHouseholdDetail, tsu_household_detail_free)

JsonObject         *tsu_store_get_household_detail (TsuStore      *self,
                                                    const char    *household_id,
                                                    GError       **error);
GPtrArray          *tsu_store_list_residents       (TsuStore      *self,
                                                    const char    *household_id,
                                                    GError       **error);
GPtrArray          *tsu_store_list_visits          (TsuStore      *self,
                                                    const char    *household_id,
                                                    GError       **error);
GPtrArray          *tsu_store_list_followups       (TsuStore      *self,
                                                    const char    *household_id,
                                                    gboolean       open_only,
                                                    GError       **error);
TsuHouseholdDetail *tsu_store_load_household       (TsuStore      *self,
                                                    const char    *household_id,
                                                    GError       **error);
void                tsu_store_load_household_async (TsuStore            *self,
                                                    const char          *household_id,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
TsuHouseholdDetail *tsu_store_load_household_finish (TsuStore     *self,
                                                     GAsyncResult *result,
                                                     GError      **error);

/* Reference data for the editors: JsonObject with id, code (categories),
 * label / name, in sort order. */
GPtrArray          *tsu_store_list_categories      (TsuStore      *self,
                                                    const char    *kind,
                                                    GError       **error);
GPtrArray          *tsu_store_list_agencies        (TsuStore      *self,
                                                    GError       **error);
/* id and name of every district or coordinator, for filters. */
GPtrArray          *tsu_store_list_names           (TsuStore      *self,
                                                    const char    *table,
                                                    GError       **error);
void                tsu_store_list_names_async     (TsuStore             *self,
                                                    const char           *table,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
GPtrArray          *tsu_store_list_names_finish    (TsuStore      *self,
                                                    GAsyncResult  *result,
                                                    GError       **error);
/* Active households whose address contains @text (at most @limit): the
 * target of "move to another household". JsonObject id, address. */
GPtrArray          *tsu_store_find_households      (TsuStore      *self,
                                                    const char    *text,
                                                    guint          limit,
                                                    GError       **error);

/* Saves a visit (new if @visit_id is NULL) and keeps its follow-up in step,
 * in one transaction: validated first, nothing written on error. */
char               *tsu_store_save_visit           (TsuStore      *self,
                                                    const char    *visit_id,
                                                    JsonObject    *fields,
                                                    GError       **error);
void                tsu_store_save_visit_async     (TsuStore            *self,
                                                    const char          *visit_id,
                                                    JsonObject          *fields,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
char               *tsu_store_save_visit_finish    (TsuStore      *self,
                                                    GAsyncResult  *result,
                                                    GError       **error);
/* A deleted visit takes its own follow-up with it and opens again the ones
 * it closed; undelete restores both. */
gboolean            tsu_store_delete_visit         (TsuStore      *self,
                                                    const char    *visit_id,
                                                    GError       **error);
gboolean            tsu_store_undelete_visit       (TsuStore      *self,
                                                    const char    *visit_id,
                                                    GError       **error);
/* Deletes (deleted TRUE) or undeletes the visit in a worker. */
void                tsu_store_set_visit_deleted_async  (TsuStore            *self,
                                                        const char          *visit_id,
                                                        gboolean             deleted,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean            tsu_store_set_visit_deleted_finish (TsuStore      *self,
                                                        GAsyncResult  *result,
                                                        GError       **error);

G_END_DECLS
