/* tsu-summary.h: visit summaries for a period and a set of districts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tsu-meeting-map.h"
#include "tsu-store.h"

G_BEGIN_DECLS

#define TSU_SUMMARY_ERROR (tsu_summary_error_quark ())

typedef enum
{
  TSU_SUMMARY_ERROR_ENCODING,   /* a character the chosen encoding cannot hold */
  TSU_SUMMARY_ERROR_WRITE,      /* the file could not be written */
} TsuSummaryError;

GQuark tsu_summary_error_quark (void);

typedef enum
{
  TSU_SUMMARY_ENCODING_UTF8_BOM,
  TSU_SUMMARY_ENCODING_CP932,
} TsuSummaryEncoding;

/* One table: label columns (district, category…) then number columns. */
typedef struct
{
  char      *title;
  guint      n_label_columns;
  GPtrArray *headers;     /* char *: label headers, then value headers */
  GPtrArray *rows;        /* TsuSummaryRow */
} TsuSummaryTable;

typedef struct
{
  char    **labels;       /* n_label_columns strings */
  gint64   *values;       /* headers->len - n_label_columns numbers */
  gboolean  total;        /* a subtotal or total row (bold in print) */
} TsuSummaryRow;

#define TSU_TYPE_SUMMARY (tsu_summary_get_type ())
G_DECLARE_FINAL_TYPE (TsuSummary, tsu_summary, TSU, SUMMARY, GObject)

TsuSummary      *tsu_summary_new              (const char          *title,
                                               const char          *from,
                                               const char          *to);
TsuSummary      *tsu_summary_new_from_store   (TsuStore            *store,
                                               const char          *from,
                                               const char          *to,
                                               const char * const  *district_ids,
                                               GError             **error);
const char      *tsu_summary_get_title        (TsuSummary          *self);
TsuSummaryTable *tsu_summary_add_table        (TsuSummary          *self,
                                               const char          *title,
                                               guint                n_label_columns,
                                               const char * const  *headers);
void             tsu_summary_table_add_row    (TsuSummaryTable     *table,
                                               const char * const  *labels,
                                               const gint64        *values,
                                               gboolean             total);
guint            tsu_summary_get_n_tables     (TsuSummary          *self);
TsuSummaryTable *tsu_summary_get_table        (TsuSummary          *self,
                                               guint                index);
/* Maps printed after the tables in the PDF (one page each). */
void             tsu_summary_add_map          (TsuSummary          *self,
                                               TsuMeetingMap       *map);

/* CSV: the layout is described in docs/summaries.md. */
GBytes          *tsu_summary_to_csv           (TsuSummary          *self,
                                               TsuSummaryEncoding   encoding,
                                               GError             **error);
gboolean         tsu_summary_write_csv        (TsuSummary          *self,
                                               const char          *path,
                                               TsuSummaryEncoding   encoding,
                                               GError             **error);
gboolean         tsu_summary_write_pdf        (TsuSummary          *self,
                                               const char          *path,
                                               GError             **error);

/* "2024年4月1日～2025年3月31日（令和6年4月1日～令和7年3月31日）" */
char            *tsu_summary_format_period    (const char          *from,
                                               const char          *to);
/* 和暦 of a YYYY-MM-DD date: "令和6年4月1日"; NULL if not a date. */
char            *tsu_summary_format_wareki    (const char          *date);

G_END_DECLS
