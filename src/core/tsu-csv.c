/* tsu-csv.c: reading CSV files as Japanese offices write them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * RFC 4180 with what Excel adds: a UTF-8 byte order mark, or no UTF-8 at
 * all but CP932 (Microsoft's Shift_JIS), CRLF line ends, and quoted fields
 * with line breaks inside. Errors name the file and the line, because the
 * person reading them will open the file in Excel and look for that line.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tsu-csv.h"

G_DEFINE_QUARK (tsu-csv-error-quark, tsu_csv_error)

struct _TsuCsv
{
  GObject         parent_instance;

  char           *name;
  TsuCsvEncoding  encoding;
  gboolean        had_bom;
  GStrv           header;
  guint           n_columns;
  GPtrArray      *rows;    /* GStrv */
  GArray         *lines;   /* guint: first line of each row */
};

G_DEFINE_FINAL_TYPE (TsuCsv, tsu_csv, G_TYPE_OBJECT)

static guint
line_at (const char *data,
         gsize       offset)
{
  guint line = 1;

  for (gsize i = 0; i < offset; i++)
    if (data[i] == '\n' || (data[i] == '\r' && (i + 1 >= offset || data[i + 1] != '\n')))
      line++;
  return line;
}

/* Decodes DATA into UTF-8 text without a BOM, choosing the encoding when
 * asked to. */
static char *
decode (TsuCsv          *self,
        const char      *data,
        gsize            length,
        TsuCsvEncoding   encoding,
        GError         **error)
{
  const char *end = NULL;
  const char *nul;
  gboolean guessed = FALSE;

  nul = memchr (data, '\0', length);
  if (nul != NULL)
    {
      g_set_error (error, TSU_CSV_ERROR, TSU_CSV_ERROR_BINARY,
                   _("“%s” line %u: contains a NUL byte; this is not a text (CSV) file"),
                   self->name, line_at (data, nul - data));
      return NULL;
    }

  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0 && encoding != TSU_CSV_ENCODING_CP932)
    {
      self->had_bom = TRUE;
      data += 3;
      length -= 3;
      encoding = TSU_CSV_ENCODING_UTF8;
    }

  if (encoding == TSU_CSV_ENCODING_AUTO)
    {
      guessed = TRUE;
      encoding = g_utf8_validate (data, length, NULL) ? TSU_CSV_ENCODING_UTF8 : TSU_CSV_ENCODING_CP932;
    }

  self->encoding = encoding;

  if (encoding == TSU_CSV_ENCODING_UTF8)
    {
      if (!g_utf8_validate (data, length, &end))
        {
          g_set_error (error, TSU_CSV_ERROR, TSU_CSV_ERROR_ENCODING,
                       _("“%s” line %u: the text is not UTF-8 (is it Shift_JIS? choose the encoding CP932)"),
                       self->name, line_at (data, end - data));
          return NULL;
        }
      return g_strndup (data, length);
    }
  else
    {
      g_autoptr(GError) local_error = NULL;
      gsize bytes_read = 0;
      char *text;

      text = g_convert (data, length, "UTF-8", "CP932", &bytes_read, NULL, &local_error);
      if (text == NULL)
        {
          if (g_error_matches (local_error, G_CONVERT_ERROR, G_CONVERT_ERROR_NO_CONVERSION))
            g_set_error (error, TSU_CSV_ERROR, TSU_CSV_ERROR_ENCODING,
                         _("“%s”: this system cannot convert from CP932: %s"),
                         self->name, local_error->message);
          else if (guessed)
            g_set_error (error, TSU_CSV_ERROR, TSU_CSV_ERROR_ENCODING,
                         _("“%s” line %u: the text is neither UTF-8 nor Shift_JIS (CP932)"),
                         self->name, line_at (data, MIN (bytes_read, length)));
          else
            g_set_error (error, TSU_CSV_ERROR, TSU_CSV_ERROR_ENCODING,
                         _("“%s” line %u: the text is not Shift_JIS (CP932)"),
                         self->name, line_at (data, MIN (bytes_read, length)));
          return NULL;
        }
      return text;
    }
}

static void
add_row (TsuCsv    *self,
         GPtrArray *fields,
         guint      line)
{
  /* A blank line is one empty field: skip it rather than make an empty row. */
  if (fields->len == 1 && *(const char *) fields->pdata[0] == '\0')
    {
      g_ptr_array_set_size (fields, 0);
      return;
    }
  g_ptr_array_add (fields, NULL);
  if (self->header == NULL)
    {
      self->header = (GStrv) g_ptr_array_steal (fields, NULL);
      self->n_columns = g_strv_length (self->header);
      for (guint i = 0; i < self->n_columns; i++)
        g_strstrip (self->header[i]);
    }
  else
    {
      g_ptr_array_add (self->rows, g_ptr_array_steal (fields, NULL));
      g_array_append_val (self->lines, line);
    }
}

static gboolean
parse (TsuCsv      *self,
       const char  *text,
       GError     **error)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  GString *field = g_string_new (NULL);
  const char *p = text;
  guint line = 1;
  guint row_line = 1;
  gboolean ok = FALSE;

  while (TRUE)
    {
      /* One field. */
      if (*p == '"')
        {
          guint quote_line = line;

          p++;
          while (TRUE)
            {
              if (*p == '\0')
                {
                  g_set_error (error, TSU_CSV_ERROR, TSU_CSV_ERROR_QUOTE,
                               _("“%s” line %u: a quoted field starts here and is never closed (a \" is missing)"),
                               self->name, quote_line);
                  goto out;
                }
              if (*p == '"')
                {
                  if (p[1] == '"')
                    {
                      g_string_append_c (field, '"');
                      p += 2;
                      continue;
                    }
                  p++;
                  break;
                }
              if (*p == '\r' && p[1] == '\n')
                {
                  /* A line break inside a field is kept as \n. */
                  g_string_append_c (field, '\n');
                  p += 2;
                  line++;
                  continue;
                }
              if (*p == '\n' || *p == '\r')
                {
                  g_string_append_c (field, '\n');
                  p++;
                  line++;
                  continue;
                }
              g_string_append_c (field, *p++);
              if (field->len > TSU_CSV_MAX_FIELD)
                {
                  g_set_error (error, TSU_CSV_ERROR, TSU_CSV_ERROR_TOO_LARGE,
                               _("“%s” line %u: a field is longer than %d bytes (is a \" missing?)"),
                               self->name, quote_line, TSU_CSV_MAX_FIELD);
                  goto out;
                }
            }
          if (*p != ',' && *p != '\n' && *p != '\r' && *p != '\0')
            {
              g_set_error (error, TSU_CSV_ERROR, TSU_CSV_ERROR_QUOTE,
                           _("“%s” line %u: text after the closing \" of a quoted field"),
                           self->name, line);
              goto out;
            }
        }
      else
        {
          while (*p != ',' && *p != '\n' && *p != '\r' && *p != '\0')
            {
              g_string_append_c (field, *p++);
              if (field->len > TSU_CSV_MAX_FIELD)
                {
                  g_set_error (error, TSU_CSV_ERROR, TSU_CSV_ERROR_TOO_LARGE,
                               _("“%s” line %u: a field is longer than %d bytes"),
                               self->name, line, TSU_CSV_MAX_FIELD);
                  goto out;
                }
            }
        }

      g_ptr_array_add (fields, g_strndup (field->str, field->len));
      g_string_truncate (field, 0);
      if (fields->len > TSU_CSV_MAX_COLUMNS)
        {
          g_set_error (error, TSU_CSV_ERROR, TSU_CSV_ERROR_TOO_LARGE,
                       _("“%s” line %u: more than %d columns"),
                       self->name, row_line, TSU_CSV_MAX_COLUMNS);
          goto out;
        }

      if (*p == ',')
        {
          p++;
          continue;
        }

      /* The end of a record. */
      add_row (self, fields, row_line);
      if (self->rows->len > TSU_CSV_MAX_ROWS)
        {
          g_set_error (error, TSU_CSV_ERROR, TSU_CSV_ERROR_TOO_LARGE,
                       _("“%s”: more than %d rows"), self->name, TSU_CSV_MAX_ROWS);
          goto out;
        }
      if (*p == '\0')
        break;
      if (*p == '\r' && p[1] == '\n')
        p += 2;
      else
        p++;
      line++;
      row_line = line;
      if (*p == '\0')
        break;
    }

  ok = TRUE;
out:
  g_string_free (field, TRUE);
  return ok;
}

static gboolean
check_control_chars (TsuCsv      *self,
                     const char  *text,
                     GError     **error)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
        {
          g_set_error (error, TSU_CSV_ERROR, TSU_CSV_ERROR_BINARY,
                       _("“%s” line %u: contains control character 0x%02X; this is not a text (CSV) file"),
                       self->name, line_at (text, p - text), c);
          return FALSE;
        }
    }
  return TRUE;
}

TsuCsv *
tsu_csv_new_from_data (const char      *data,
                       gsize            length,
                       TsuCsvEncoding   encoding,
                       const char      *name,
                       GError         **error)
{
  g_autoptr(TsuCsv) self = g_object_new (TSU_TYPE_CSV, NULL);
  g_autofree char *text = NULL;
  gboolean blank = TRUE;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  self->name = g_strdup (name != NULL ? name : "CSV");

  if (length == 0)
    {
      g_set_error (error, TSU_CSV_ERROR, TSU_CSV_ERROR_EMPTY,
                   _("“%s” is empty (0 bytes)"), self->name);
      return NULL;
    }
  if (length > TSU_CSV_MAX_BYTES)
    {
      g_set_error (error, TSU_CSV_ERROR, TSU_CSV_ERROR_TOO_LARGE,
                   _("“%s” is %u MB; a household list is at most %d MB"),
                   self->name, (guint) (length / (1024 * 1024)), TSU_CSV_MAX_BYTES / (1024 * 1024));
      return NULL;
    }

  text = decode (self, data, length, encoding, error);
  if (text == NULL)
    return NULL;
  if (!check_control_chars (self, text, error))
    return NULL;

  for (const char *p = text; *p != '\0' && blank; p++)
    if (!g_ascii_isspace (*p) && *p != ',')
      blank = FALSE;
  if (blank)
    {
      g_set_error (error, TSU_CSV_ERROR, TSU_CSV_ERROR_EMPTY,
                   _("“%s” has no text, only blank lines"), self->name);
      return NULL;
    }

  if (!parse (self, text, error))
    return NULL;

  if (self->rows->len == 0)
    {
      g_set_error (error, TSU_CSV_ERROR, TSU_CSV_ERROR_HEADER_ONLY,
                   _("“%s” has a header line but no rows"), self->name);
      return NULL;
    }
  return g_steal_pointer (&self);
}

TsuCsv *
tsu_csv_new_from_file (const char      *path,
                       TsuCsvEncoding   encoding,
                       GError         **error)
{
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  name = g_filename_display_basename (path);
  /* Mapped read-only: the source file is never modified. */
  mapped = g_mapped_file_new (path, FALSE, &local_error);
  if (mapped == NULL)
    {
      g_set_error (error, TSU_CSV_ERROR, TSU_CSV_ERROR_IO,
                   _("Could not read “%s”: %s"), name, local_error->message);
      return NULL;
    }
  return tsu_csv_new_from_data (g_mapped_file_get_contents (mapped),
                                g_mapped_file_get_length (mapped),
                                encoding, name, error);
}

const char *
tsu_csv_get_name (TsuCsv *self)
{
  g_return_val_if_fail (TSU_IS_CSV (self), NULL);
  return self->name;
}

TsuCsvEncoding
tsu_csv_get_encoding (TsuCsv *self)
{
  g_return_val_if_fail (TSU_IS_CSV (self), TSU_CSV_ENCODING_AUTO);
  return self->encoding;
}

gboolean
tsu_csv_get_had_bom (TsuCsv *self)
{
  g_return_val_if_fail (TSU_IS_CSV (self), FALSE);
  return self->had_bom;
}

const char * const *
tsu_csv_get_header (TsuCsv *self,
                    guint  *n_columns)
{
  g_return_val_if_fail (TSU_IS_CSV (self), NULL);
  if (n_columns != NULL)
    *n_columns = self->n_columns;
  return (const char * const *) self->header;
}

guint
tsu_csv_get_n_rows (TsuCsv *self)
{
  g_return_val_if_fail (TSU_IS_CSV (self), 0);
  return self->rows->len;
}

const char * const *
tsu_csv_get_row (TsuCsv *self,
                 guint   row,
                 guint  *n_fields)
{
  GStrv fields;

  g_return_val_if_fail (TSU_IS_CSV (self), NULL);
  g_return_val_if_fail (row < self->rows->len, NULL);

  fields = self->rows->pdata[row];
  if (n_fields != NULL)
    *n_fields = g_strv_length (fields);
  return (const char * const *) fields;
}

guint
tsu_csv_get_row_line (TsuCsv *self,
                      guint   row)
{
  g_return_val_if_fail (TSU_IS_CSV (self), 0);
  g_return_val_if_fail (row < self->lines->len, 0);
  return g_array_index (self->lines, guint, row);
}

const char *
tsu_csv_get_field (TsuCsv *self,
                   guint   row,
                   int     column)
{
  GStrv fields;

  g_return_val_if_fail (TSU_IS_CSV (self), "");
  g_return_val_if_fail (row < self->rows->len, "");

  if (column < 0)
    return "";
  fields = self->rows->pdata[row];
  for (int i = 0; i < column; i++)
    if (fields[i] == NULL)
      return "";
  return fields[column] != NULL ? fields[column] : "";
}

int
tsu_csv_find_column (TsuCsv     *self,
                     const char *name)
{
  g_return_val_if_fail (TSU_IS_CSV (self), -1);

  for (guint i = 0; i < self->n_columns; i++)
    if (g_strcmp0 (self->header[i], name) == 0)
      return (int) i;
  return -1;
}

const char *
tsu_csv_encoding_to_string (TsuCsvEncoding encoding)
{
  switch (encoding)
    {
    case TSU_CSV_ENCODING_UTF8: return "utf-8";
    case TSU_CSV_ENCODING_CP932: return "cp932";
    case TSU_CSV_ENCODING_AUTO:
    default: return "auto";
    }
}

gboolean
tsu_csv_encoding_from_string (const char     *text,
                              TsuCsvEncoding *encoding)
{
  if (text == NULL || g_ascii_strcasecmp (text, "auto") == 0)
    *encoding = TSU_CSV_ENCODING_AUTO;
  else if (g_ascii_strcasecmp (text, "utf-8") == 0 || g_ascii_strcasecmp (text, "utf8") == 0)
    *encoding = TSU_CSV_ENCODING_UTF8;
  else if (g_ascii_strcasecmp (text, "cp932") == 0 || g_ascii_strcasecmp (text, "shift_jis") == 0 ||
           g_ascii_strcasecmp (text, "sjis") == 0 || g_ascii_strcasecmp (text, "windows-31j") == 0)
    *encoding = TSU_CSV_ENCODING_CP932;
  else
    return FALSE;
  return TRUE;
}

static void
tsu_csv_finalize (GObject *object)
{
  TsuCsv *self = (TsuCsv *) object;

  g_free (self->name);
  g_strfreev (self->header);
  g_ptr_array_unref (self->rows);
  g_array_unref (self->lines);

  G_OBJECT_CLASS (tsu_csv_parent_class)->finalize (object);
}

static void
tsu_csv_class_init (TsuCsvClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tsu_csv_finalize;
}

static void
tsu_csv_init (TsuCsv *self)
{
  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  self->lines = g_array_new (FALSE, FALSE, sizeof (guint));
}
