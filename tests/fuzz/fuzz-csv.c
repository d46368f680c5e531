/* fuzz-csv.c: libFuzzer target for the CSV reader
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is read as a household CSV in each encoding the import dialog
 * offers (auto-detected, UTF-8, CP932), and every row and field is walked,
 * so that the accessors meet whatever the parser built.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tsu-csv.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const TsuCsvEncoding encodings[] = {
    TSU_CSV_ENCODING_AUTO, TSU_CSV_ENCODING_UTF8, TSU_CSV_ENCODING_CP932,
  };

  for (guint e = 0; e < G_N_ELEMENTS (encodings); e++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TsuCsv) csv = tsu_csv_new_from_data ((const char *) data, size, encodings[e], "fuzz.csv", &error);
      guint n_columns = 0;
      const char * const *header;

      if (csv == NULL)
        {
          /* Every refusal says why. */
          if (error == NULL || error->message == NULL || *error->message == '\0')
            abort ();
          continue;
        }
      header = tsu_csv_get_header (csv, &n_columns);
      for (guint c = 0; c < n_columns; c++)
        if (header[c] == NULL || !g_utf8_validate (header[c], -1, NULL))
          abort ();
      (void) tsu_csv_find_column (csv, "住所");
      for (guint r = 0; r < tsu_csv_get_n_rows (csv); r++)
        {
          guint n_fields = 0;
          const char * const *row = tsu_csv_get_row (csv, r, &n_fields);

          for (guint f = 0; f < n_fields; f++)
            if (row[f] == NULL || !g_utf8_validate (row[f], -1, NULL))
              abort ();
          (void) tsu_csv_get_row_line (csv, r);
          (void) tsu_csv_get_field (csv, r, (int) n_columns + 1);
        }
    }
  return 0;
}
