/* tsu-csv.h: reading CSV files as Japanese offices write them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TSU_CSV_ERROR (tsu_csv_error_quark ())

typedef enum
{
  TSU_CSV_ERROR_IO,           /* the file could not be read */
  TSU_CSV_ERROR_EMPTY,        /* 0 bytes, or nothing but blank lines */
  TSU_CSV_ERROR_HEADER_ONLY,  /* a header line and no rows */
  TSU_CSV_ERROR_ENCODING,     /* bytes that are not text in the encoding */
  TSU_CSV_ERROR_BINARY,       /* NUL or control bytes: not a text file */
  TSU_CSV_ERROR_QUOTE,        /* a quoted field that is not closed, or text after the closing quote */
  TSU_CSV_ERROR_TOO_LARGE,    /* over the size, row, column or field limits */
} TsuCsvError;

typedef enum
{
  TSU_CSV_ENCODING_AUTO,
  TSU_CSV_ENCODING_UTF8,
  TSU_CSV_ENCODING_CP932,     /* Shift_JIS as Excel and Windows write it */
} TsuCsvEncoding;

/* Limits: a city's register is a few MB; anything far larger is not one. */
#define TSU_CSV_MAX_BYTES   (64 * 1024 * 1024)
#define TSU_CSV_MAX_ROWS    1000000
#define TSU_CSV_MAX_COLUMNS 512
#define TSU_CSV_MAX_FIELD   (64 * 1024)

#define TSU_TYPE_CSV (tsu_csv_get_type ())
G_DECLARE_FINAL_TYPE (TsuCsv, tsu_csv, TSU, CSV, GObject)

GQuark              tsu_csv_error_quark     (void);

/* NAME is what error messages call the file. The first record is the header. */
TsuCsv             *tsu_csv_new_from_data   (const char      *data,
                                             gsize            length,
                                             TsuCsvEncoding   encoding,
                                             const char      *name,
                                             GError         **error);
TsuCsv             *tsu_csv_new_from_file   (const char      *path,
                                             TsuCsvEncoding   encoding,
                                             GError         **error);

const char         *tsu_csv_get_name        (TsuCsv          *self);
TsuCsvEncoding      tsu_csv_get_encoding    (TsuCsv          *self);
gboolean            tsu_csv_get_had_bom     (TsuCsv          *self);
const char * const *tsu_csv_get_header      (TsuCsv          *self,
                                             guint           *n_columns);
guint               tsu_csv_get_n_rows      (TsuCsv          *self);
/* Row 0 is the first row after the header. */
const char * const *tsu_csv_get_row         (TsuCsv          *self,
                                             guint            row,
                                             guint           *n_fields);
/* The line of the file the row starts on, counting from 1 (the header is line 1). */
guint               tsu_csv_get_row_line    (TsuCsv          *self,
                                             guint            row);
/* The field of ROW in COLUMN, or "" when the row is shorter. */
const char         *tsu_csv_get_field       (TsuCsv          *self,
                                             guint            row,
                                             int              column);
int                 tsu_csv_find_column     (TsuCsv          *self,
                                             const char      *name);

const char         *tsu_csv_encoding_to_string   (TsuCsvEncoding  encoding);
gboolean            tsu_csv_encoding_from_string (const char     *text,
                                                  TsuCsvEncoding *encoding);

G_END_DECLS
