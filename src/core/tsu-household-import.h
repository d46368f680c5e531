/* tsu-household-import.h: households from a 社協's spreadsheet
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tsu-csv.h"
#include "tsu-gazetteer.h"
#include "tsu-store.h"

G_BEGIN_DECLS

typedef enum
{
  TSU_IMPORT_CREATE,  /* a new household (and its head as a resident) */
  TSU_IMPORT_MATCH,   /* the same address and name are already in the store: nothing written */
  TSU_IMPORT_SKIP,    /* a problem that stops the row (no name, no address, a repeated row) */
} TsuImportAction;

typedef struct
{
  guint            line;          /* the line of the file the row starts on */
  TsuImportAction  action;
  char            *name;
  char            *address;
  char            *district_id;   /* or NULL */
  char            *district_name;
  TsuPlaceQuality  quality;
  char            *place_name;    /* the town the address was placed at, or NULL */
  char            *matched_id;    /* MATCH: the household already in the store */
  guint            duplicate_of;  /* SKIP of a repeated row: the first row's line */
  GPtrArray       *problems;      /* char *, translated, one sentence each */
  JsonObject      *household;     /* the fields to write */
  JsonObject      *resident;
} TsuImportRow;

typedef struct
{
  guint rows;
  guint create;
  guint match;
  guint skip;
  guint exact;        /* among the rows to create: placed at their 町・字 */
  guint approximate;  /* placed at a larger area: location_quality "approximate" */
  guint unplaced;
  guint with_problems;
} TsuImportSummary;

/* The mapping targets, besides "flag:<label>" for one column per flag. */
#define TSU_IMPORT_TARGETS "name", "kana", "address", "phone", "birth_date", "jichikai", \
  "district", "flags", "note", "minsei_iin", "lat", "lon"

#define TSU_TYPE_HOUSEHOLD_IMPORT (tsu_household_import_get_type ())
G_DECLARE_FINAL_TYPE (TsuHouseholdImport, tsu_household_import, TSU, HOUSEHOLD_IMPORT, GObject)

TsuHouseholdImport *tsu_household_import_new             (TsuStore            *store);
TsuStore           *tsu_household_import_get_store       (TsuHouseholdImport  *self);
void                tsu_household_import_set_gazetteer   (TsuHouseholdImport  *self,
                                                          TsuGazetteer        *gazetteer);

/* Reads the file (never writes it). The mapping becomes the last one used
 * if it fits this file's header, otherwise a guess from the header. */
gboolean            tsu_household_import_load            (TsuHouseholdImport  *self,
                                                          const char          *path,
                                                          TsuCsvEncoding       encoding,
                                                          GError             **error);
void                tsu_household_import_set_csv         (TsuHouseholdImport  *self,
                                                          TsuCsv              *csv,
                                                          const char          *checksum);
TsuCsv             *tsu_household_import_get_csv         (TsuHouseholdImport  *self);

/* The mapping: a JsonObject from target ("name", "flag:高齢単身"…) to the
 * header of a column of the file. */
JsonObject         *tsu_household_import_get_mapping     (TsuHouseholdImport  *self);
void                tsu_household_import_set_mapping     (TsuHouseholdImport  *self,
                                                          JsonObject          *mapping);
gboolean            tsu_household_import_load_mapping    (TsuHouseholdImport  *self,
                                                          const char          *path,
                                                          GError             **error);
JsonObject         *tsu_household_import_guess_mapping   (TsuCsv              *csv);
const char * const *tsu_household_import_get_targets     (void);
const char *        tsu_household_import_target_label    (const char          *target);

/* The flags a household can carry: bit i of household.flags is label i. */
const char * const *tsu_household_flag_labels            (guint               *n_flags);

/* Works out every row (what would be created, matched or skipped and why)
 * without writing anything. */
gboolean            tsu_household_import_preview         (TsuHouseholdImport  *self,
                                                          GCancellable        *cancellable,
                                                          GError             **error);
guint               tsu_household_import_get_n_rows      (TsuHouseholdImport  *self);
const TsuImportRow *tsu_household_import_get_row         (TsuHouseholdImport  *self,
                                                          guint                row);
void                tsu_household_import_get_summary     (TsuHouseholdImport  *self,
                                                          TsuImportSummary    *summary);

/* Writes the rows to create in one transaction, as one import batch.
 * Returns the batch id. Previews first if that has not been done. */
char               *tsu_household_import_run             (TsuHouseholdImport  *self,
                                                          GCancellable        *cancellable,
                                                          GError             **error);
/* From 0 to 1 while preview or run work; safe to read from any thread. */
double              tsu_household_import_get_progress    (TsuHouseholdImport  *self);

/* The same in a worker thread; do not touch SELF until the callback. */
void                tsu_household_import_load_async      (TsuHouseholdImport  *self,
                                                          const char          *path,
                                                          TsuCsvEncoding       encoding,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
gboolean            tsu_household_import_load_finish     (TsuHouseholdImport  *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);
void                tsu_household_import_preview_async   (TsuHouseholdImport  *self,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
gboolean            tsu_household_import_preview_finish  (TsuHouseholdImport  *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);
void                tsu_household_import_run_async       (TsuHouseholdImport  *self,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
char               *tsu_household_import_run_finish      (TsuHouseholdImport  *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);

G_END_DECLS
