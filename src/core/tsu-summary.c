/* tsu-summary.c: visit summaries for a period and a set of districts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The summary is a list of plain tables (labels + numbers) built from the
 * count queries of tsu-store-reports.c; the CSV and PDF writers only know
 * tables, so what goes on paper and into Excel is the same. No text from a
 * visit ever enters a table: labels are district names and category labels.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <pango/pangocairo.h>

#include "tsu-date.h"
#include "tsu-store-reports.h"
#include "tsu-summary.h"

#define FONT_FAMILY "Noto Sans CJK JP"

G_DEFINE_QUARK (tsu-summary-error-quark, tsu_summary_error)

struct _TsuSummary
{
  GObject    parent_instance;

  char      *title;
  char      *from;
  char      *to;
  GPtrArray *tables;    /* TsuSummaryTable */
  GPtrArray *maps;      /* TsuMeetingMap */
};

G_DEFINE_FINAL_TYPE (TsuSummary, tsu_summary, G_TYPE_OBJECT)

static void
row_free (gpointer data)
{
  TsuSummaryRow *row = data;
  g_strfreev (row->labels);
  g_free (row->values);
  g_free (row);
}

static void
table_free (gpointer data)
{
  TsuSummaryTable *table = data;
  g_free (table->title);
  g_ptr_array_unref (table->headers);
  g_ptr_array_unref (table->rows);
  g_free (table);
}

static void
tsu_summary_finalize (GObject *object)
{
  TsuSummary *self = TSU_SUMMARY (object);

  g_free (self->title);
  g_free (self->from);
  g_free (self->to);
  g_ptr_array_unref (self->tables);
  g_ptr_array_unref (self->maps);
  G_OBJECT_CLASS (tsu_summary_parent_class)->finalize (object);
}

static void
tsu_summary_class_init (TsuSummaryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tsu_summary_finalize;
}

static void
tsu_summary_init (TsuSummary *self)
{
  self->tables = g_ptr_array_new_with_free_func (table_free);
  self->maps = g_ptr_array_new_with_free_func (g_object_unref);
}

TsuSummary *
tsu_summary_new (const char *title,
                 const char *from,
                 const char *to)
{
  TsuSummary *self = g_object_new (TSU_TYPE_SUMMARY, NULL);

  self->title = g_strdup (title);
  self->from = g_strdup (from);
  self->to = g_strdup (to);
  return self;
}

const char *
tsu_summary_get_title (TsuSummary *self)
{
  g_return_val_if_fail (TSU_IS_SUMMARY (self), NULL);
  return self->title;
}

TsuSummaryTable *
tsu_summary_add_table (TsuSummary         *self,
                       const char         *title,
                       guint               n_label_columns,
                       const char * const *headers)
{
  TsuSummaryTable *table;

  g_return_val_if_fail (TSU_IS_SUMMARY (self), NULL);

  table = g_new0 (TsuSummaryTable, 1);
  table->title = g_strdup (title);
  table->n_label_columns = n_label_columns;
  table->headers = g_ptr_array_new_with_free_func (g_free);
  table->rows = g_ptr_array_new_with_free_func (row_free);
  for (guint i = 0; headers[i] != NULL; i++)
    g_ptr_array_add (table->headers, g_strdup (headers[i]));
  g_ptr_array_add (self->tables, table);
  return table;
}

void
tsu_summary_table_add_row (TsuSummaryTable    *table,
                           const char * const *labels,
                           const gint64       *values,
                           gboolean            total)
{
  TsuSummaryRow *row = g_new0 (TsuSummaryRow, 1);
  guint n_values = table->headers->len - table->n_label_columns;

  row->labels = g_new0 (char *, table->n_label_columns + 1);
  for (guint i = 0; i < table->n_label_columns; i++)
    row->labels[i] = g_strdup (labels[i] ? labels[i] : "");
  row->values = g_memdup2 (values, sizeof (gint64) * MAX (n_values, 1));
  row->total = total;
  g_ptr_array_add (table->rows, row);
}

guint
tsu_summary_get_n_tables (TsuSummary *self)
{
  g_return_val_if_fail (TSU_IS_SUMMARY (self), 0);
  return self->tables->len;
}

TsuSummaryTable *
tsu_summary_get_table (TsuSummary *self,
                       guint       index)
{
  g_return_val_if_fail (TSU_IS_SUMMARY (self), NULL);
  g_return_val_if_fail (index < self->tables->len, NULL);
  return self->tables->pdata[index];
}

void
tsu_summary_add_map (TsuSummary    *self,
                     TsuMeetingMap *map)
{
  g_return_if_fail (TSU_IS_SUMMARY (self));
  g_return_if_fail (TSU_IS_MEETING_MAP (map));
  g_ptr_array_add (self->maps, g_object_ref (map));
}

/* ---- dates ----------------------------------------------------------- */

static gboolean
parse_date (const char *date,
            int        *y,
            int        *m,
            int        *d)
{
  return date != NULL && strlen (date) == 10 && sscanf (date, "%4d-%2d-%2d", y, m, d) == 3 &&
         g_date_valid_dmy (*d, *m, *y);
}

char *
tsu_summary_format_wareki (const char *date)
{
  g_autoptr(GDate) parsed = NULL;
  int y, m, d;

  if (!parse_date (date, &y, &m, &d))
    return NULL;
  parsed = g_date_new_dmy (d, m, y);
  return tsu_date_format_wareki (parsed);
}

char *
tsu_summary_format_period (const char *from,
                           const char *to)
{
  g_autofree char *wa = tsu_summary_format_wareki (from);
  g_autofree char *wb = tsu_summary_format_wareki (to);
  int y1, m1, d1, y2, m2, d2;

  if (wa == NULL || wb == NULL || !parse_date (from, &y1, &m1, &d1) || !parse_date (to, &y2, &m2, &d2))
    return g_strdup_printf ("%s～%s", from ? from : "", to ? to : "");
  return g_strdup_printf ("%d年%d月%d日～%d年%d月%d日（%s～%s）",
                          y1, m1, d1, y2, m2, d2, wa, wb);
}

/* ---- building from the store ---------------------------------------- */

static GPtrArray *
period_months (const char *from,
               const char *to)
{
  GPtrArray *months = g_ptr_array_new_with_free_func (g_free);
  int y, m, d, y2, m2, d2;

  if (!parse_date (from, &y, &m, &d) || !parse_date (to, &y2, &m2, &d2))
    return months;
  while (y * 12 + m <= y2 * 12 + m2)
    {
      g_ptr_array_add (months, g_strdup_printf ("%04d-%02d", y, m));
      if (++m > 12)
        {
          m = 1;
          y++;
        }
    }
  return months;
}

static int
month_index (GPtrArray  *months,
             const char *month)
{
  for (guint i = 0; i < months->len; i++)
    if (g_strcmp0 (months->pdata[i], month) == 0)
      return i;
  return -1;
}

static const char * const *
month_headers (GPtrArray  *months,
               guint       n_labels,
               const char *label1,
               const char *label2)
{
  GPtrArray *headers = g_ptr_array_new ();

  g_ptr_array_add (headers, (gpointer) label1);
  if (n_labels > 1)
    g_ptr_array_add (headers, (gpointer) label2);
  for (guint i = 0; i < months->len; i++)
    g_ptr_array_add (headers, months->pdata[i]);
  g_ptr_array_add (headers, (gpointer) _("Total"));
  g_ptr_array_add (headers, NULL);
  /* The strings belong to months or are static; only the array is freed. */
  return (const char * const *) g_ptr_array_free (headers, FALSE);
}

/* Rows of one category kind: every defined category in its order, then
 * codes found in visits that are not defined (shown as the bare code). */
typedef struct
{
  GPtrArray  *codes;     /* char *, NULL entry for "not recorded" */
  GPtrArray  *labels;
} CodeList;

static void
code_list_clear (CodeList *list)
{
  g_ptr_array_unref (list->codes);
  g_ptr_array_unref (list->labels);
}

static int
code_list_find (CodeList   *list,
                const char *code)
{
  for (guint i = 0; i < list->codes->len; i++)
    if (g_strcmp0 (list->codes->pdata[i], code) == 0)
      return i;
  return -1;
}

static gboolean
code_list_init (CodeList    *list,
                TsuStore    *store,
                const char  *kind,
                GPtrArray   *counts,
                GError     **error)
{
  g_autoptr(GPtrArray) categories = tsu_store_report_categories (store, kind, error);

  if (categories == NULL)
    return FALSE;
  list->codes = g_ptr_array_new_with_free_func (g_free);
  list->labels = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < categories->len; i++)
    {
      TsuReportCategory *c = categories->pdata[i];
      g_ptr_array_add (list->codes, g_strdup (c->code));
      g_ptr_array_add (list->labels, g_strdup (c->label));
    }
  for (guint i = 0; i < counts->len; i++)
    {
      TsuReportCount *c = counts->pdata[i];

      if (code_list_find (list, c->code) < 0)
        {
          g_ptr_array_add (list->codes, g_strdup (c->code));
          g_ptr_array_add (list->labels, g_strdup (c->code != NULL ? c->code : _("Not recorded")));
        }
    }
  return TRUE;
}

static gboolean
add_dimension_table (TsuSummary          *self,
                     TsuStore            *store,
                     TsuReportTally      *tally,
                     TsuReportDimension   dimension,
                     const char          *title,
                     const char          *header,
                     gboolean             by_district,
                     GPtrArray           *districts,
                     GPtrArray           *months,
                     const char * const  *district_ids,
                     GError             **error)
{
  GPtrArray *counts = tally->counts[dimension];
  g_autofree const char **headers = NULL;
  TsuSummaryTable *table;
  CodeList codes;
  guint n_districts = by_district ? districts->len : 1;
  guint n_values = months->len + 1;
  guint n_codes;
  g_autofree gint64 *grid = NULL;   /* [district][code][month + total] */
  g_autofree gint64 *sums = g_new0 (gint64, n_values);
  gboolean with_total = dimension != TSU_REPORT_CONTENT;

  if (!code_list_init (&codes, store, tsu_report_dimension_kind (dimension), counts, error))
    return FALSE;

  n_codes = codes.codes->len;
  grid = g_new0 (gint64, (gsize) n_districts * MAX (n_codes, 1) * n_values);
  for (guint i = 0; i < counts->len; i++)
    {
      TsuReportCount *c = counts->pdata[i];
      int m = month_index (months, c->month);
      int k = code_list_find (&codes, c->code);
      guint d = 0;

      if (m < 0 || k < 0)
        continue;
      if (by_district)
        {
          for (d = 0; d < districts->len; d++)
            if (g_strcmp0 (((TsuReportDistrict *) districts->pdata[d])->id, c->district_id) == 0)
              break;
          if (d == districts->len)
            continue;  /* a household without a district */
        }
      grid[((gsize) d * n_codes + k) * n_values + m] += c->count;
      grid[((gsize) d * n_codes + k) * n_values + months->len] += c->count;
    }

  headers = (const char **) month_headers (months, by_district ? 2 : 1, by_district ? _("District") : header, header);
  table = tsu_summary_add_table (self, title, by_district ? 2 : 1, headers);

  for (guint d = 0; d < n_districts; d++)
    {
      g_autofree gint64 *subtotal = g_new0 (gint64, n_values);
      const char *district_name = by_district ? ((TsuReportDistrict *) districts->pdata[d])->name : NULL;

      for (guint k = 0; k < n_codes; k++)
        {
          gint64 *values = &grid[((gsize) d * n_codes + k) * n_values];
          const char *labels[2];

          if (by_district)
            {
              labels[0] = district_name;
              labels[1] = codes.labels->pdata[k];
            }
          else
            labels[0] = codes.labels->pdata[k];
          tsu_summary_table_add_row (table, labels, values, FALSE);
          for (guint v = 0; v < n_values; v++)
            subtotal[v] += values[v];
        }
      if (by_district)
        {
          const char *labels[2] = { district_name, _("Subtotal") };
          tsu_summary_table_add_row (table, labels, subtotal, TRUE);
        }
      for (guint v = 0; v < n_values; v++)
        sums[v] += subtotal[v];
    }
  if (with_total)
    {
      const char *labels[2] = { _("Total"), "" };
      tsu_summary_table_add_row (table, labels, sums, TRUE);
    }

  code_list_clear (&codes);
  return TRUE;
}

static gboolean
add_totals_table (TsuSummary          *self,
                  TsuReportTally      *tally,
                  GPtrArray           *districts,
                  const char * const  *district_ids,
                  GError             **error)
{
  const char *headers[] = {
    _("District"), _("Visits"), _("of which sensitive"), _("Households reached"), _("New households"), NULL
  };
  GPtrArray *totals = tally->totals;
  TsuSummaryTable *table;
  gint64 sums[4] = { 0, };
  table = tsu_summary_add_table (self, _("Households reached and new households"), 1, headers);
  for (guint d = 0; d < districts->len; d++)
    {
      TsuReportDistrict *district = districts->pdata[d];
      gint64 values[4] = { 0, };
      const char *labels[1] = { district->name };

      for (guint i = 0; i < totals->len; i++)
        {
          TsuReportTotals *t = totals->pdata[i];
          if (g_strcmp0 (t->district_id, district->id) == 0)
            {
              values[0] = t->visits;
              values[1] = t->sensitive_visits;
              values[2] = t->households_reached;
              values[3] = t->new_households;
            }
        }
      tsu_summary_table_add_row (table, labels, values, FALSE);
      for (guint v = 0; v < 4; v++)
        sums[v] += values[v];
    }
  {
    const char *labels[1] = { _("Total") };
    tsu_summary_table_add_row (table, labels, sums, TRUE);
  }
  return TRUE;
}

TsuSummary *
tsu_summary_new_from_store (TsuStore            *store,
                            const char          *from,
                            const char          *to,
                            const char * const  *district_ids,
                            GError             **error)
{
  g_autoptr(TsuSummary) self = NULL;
  g_autoptr(GPtrArray) districts = NULL;
  g_autoptr(GPtrArray) months = NULL;
  g_autoptr(TsuReportTally) tally = NULL;

  g_return_val_if_fail (TSU_IS_STORE (store), NULL);

  districts = tsu_store_report_districts (store, district_ids, error);
  if (districts == NULL)
    return NULL;

  tally = tsu_store_report_tally (store, from, to, district_ids, error);
  if (tally == NULL)
    return NULL;

  self = tsu_summary_new (_("Visit summary"), from, to);
  months = period_months (from, to);

  if (!add_totals_table (self, tally, districts, district_ids, error) ||
      !add_dimension_table (self, store, tally, TSU_REPORT_SUPPORT_AREA, _("Visits by district and support area"),
                            _("Support area"), TRUE, districts, months, district_ids, error) ||
      !add_dimension_table (self, store, tally, TSU_REPORT_CONTENT, _("Visits by content category (a visit may have several)"),
                            _("Content"), FALSE, districts, months, district_ids, error) ||
      !add_dimension_table (self, store, tally, TSU_REPORT_CONTACT_TYPE, _("Visits by contact type"),
                            _("Contact type"), FALSE, districts, months, district_ids, error) ||
      !add_dimension_table (self, store, tally, TSU_REPORT_OUTCOME, _("Visits by outcome"),
                            _("Outcome"), FALSE, districts, months, district_ids, error))
    return NULL;

  return g_steal_pointer (&self);
}

/* ---- CSV ------------------------------------------------------------- */

/* RFC 4180: quote a field holding a comma, a quote, CR or LF; double the
 * quotes. A text cell that Excel would take for a formula gets a leading
 * apostrophe, so a category label cannot run anything. */
static void
append_field (GString    *out,
              const char *text)
{
  gboolean quote = strpbrk (text, ",\"\r\n") != NULL || text[0] == ' ' ||
                   (*text && text[strlen (text) - 1] == ' ');

  if (strchr ("=+-@", text[0]) != NULL && text[0] != '\0')
    {
      g_string_append_c (out, '\'');
    }
  if (!quote)
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
append_record (GString    *out,
               GPtrArray  *fields)
{
  for (guint i = 0; i < fields->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      append_field (out, fields->pdata[i]);
    }
  g_string_append (out, "\r\n");
}

/* Converts one field, so that an unencodable character is reported with
 * where it is; a CSV row number helps nobody find a category label. */
static gboolean
encode_field (GString     *out,
              const char  *text,
              const char  *where,
              GError     **error)
{
  gsize read = 0, written = 0;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *converted = g_convert (text, -1, "CP932", "UTF-8", &read, &written, &local_error);

  if (converted == NULL)
    {
      gunichar c = g_utf8_get_char_validated (text + read, -1);
      char ch[8] = { 0, };

      if (c != (gunichar) -1 && c != (gunichar) -2)
        g_unichar_to_utf8 (c, ch);
      g_set_error (error, TSU_SUMMARY_ERROR, TSU_SUMMARY_ERROR_ENCODING,
                   _("The character “%s” (U+%04X) in %s cannot be written in Shift_JIS (CP932). Save as UTF-8 instead, or change the text."),
                   ch, c, where);
      return FALSE;
    }
  g_string_append_len (out, converted, written);
  return TRUE;
}

static gboolean
csv_line (GString             *out,
          TsuSummaryEncoding   encoding,
          GPtrArray           *fields,
          const char          *where,
          GError             **error)
{
  g_autoptr(GString) line = g_string_new (NULL);

  append_record (line, fields);
  if (encoding == TSU_SUMMARY_ENCODING_UTF8_BOM)
    {
      g_string_append_len (out, line->str, line->len);
      return TRUE;
    }
  return encode_field (out, line->str, where, error);
}

GBytes *
tsu_summary_to_csv (TsuSummary          *self,
                    TsuSummaryEncoding   encoding,
                    GError             **error)
{
  g_autoptr(GString) out = g_string_new (NULL);

  g_return_val_if_fail (TSU_IS_SUMMARY (self), NULL);

  /* The BOM is what makes Excel read UTF-8; CP932 files carry none. */
  if (encoding == TSU_SUMMARY_ENCODING_UTF8_BOM)
    g_string_append (out, "\xEF\xBB\xBF");

  {
    g_autoptr(GPtrArray) f = g_ptr_array_new_with_free_func (g_free);
    g_autofree char *wa = tsu_summary_format_wareki (self->from);
    g_autofree char *wb = tsu_summary_format_wareki (self->to);

    g_ptr_array_add (f, g_strdup (self->title));
    if (!csv_line (out, encoding, f, _("the title"), error))
      return NULL;
    g_ptr_array_set_size (f, 0);
    g_ptr_array_add (f, g_strdup (_("Period")));
    g_ptr_array_add (f, g_strdup (self->from));
    g_ptr_array_add (f, g_strdup (self->to));
    g_ptr_array_add (f, g_strdup_printf ("%s～%s", wa ? wa : "", wb ? wb : ""));
    if (!csv_line (out, encoding, f, _("the period"), error))
      return NULL;
  }

  for (guint t = 0; t < self->tables->len; t++)
    {
      TsuSummaryTable *table = self->tables->pdata[t];
      g_autoptr(GPtrArray) f = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *where = g_strdup_printf (_("the table “%s”"), table->title);

      g_string_append (out, "\r\n");
      g_ptr_array_add (f, g_strdup_printf ("[%s]", table->title));
      if (!csv_line (out, encoding, f, where, error))
        return NULL;
      g_ptr_array_set_size (f, 0);
      for (guint i = 0; i < table->headers->len; i++)
        g_ptr_array_add (f, g_strdup (table->headers->pdata[i]));
      if (!csv_line (out, encoding, f, where, error))
        return NULL;

      for (guint r = 0; r < table->rows->len; r++)
        {
          TsuSummaryRow *row = table->rows->pdata[r];
          g_autofree char *row_where = g_strdup_printf (_("row %u of the table “%s”"), r + 1, table->title);

          g_ptr_array_set_size (f, 0);
          for (guint i = 0; i < table->n_label_columns; i++)
            g_ptr_array_add (f, g_strdup (row->labels[i]));
          for (guint i = 0; i < table->headers->len - table->n_label_columns; i++)
            g_ptr_array_add (f, g_strdup_printf ("%" G_GINT64_FORMAT, row->values[i]));
          if (!csv_line (out, encoding, f, row_where, error))
            return NULL;
        }
    }

  return g_bytes_new (out->str, out->len);
}

gboolean
tsu_summary_write_csv (TsuSummary          *self,
                       const char          *path,
                       TsuSummaryEncoding   encoding,
                       GError             **error)
{
  g_autoptr(GBytes) bytes = tsu_summary_to_csv (self, encoding, error);
  g_autoptr(GError) local_error = NULL;
  gsize len;
  const char *data;

  if (bytes == NULL)
    return FALSE;
  data = g_bytes_get_data (bytes, &len);
  /* Atomic: a failed export leaves an older file as it was. */
  if (!g_file_set_contents (path, data, len, &local_error))
    {
      g_set_error (error, TSU_SUMMARY_ERROR, TSU_SUMMARY_ERROR_WRITE,
                   _("Could not write “%s”: %s"), path, local_error->message);
      return FALSE;
    }
  return TRUE;
}

/* ---- PDF ------------------------------------------------------------- */

#define PAGE_W 841.89   /* A4 landscape, points */
#define PAGE_H 595.28
#define MARGIN 36.0
#define ROW_H 12.0
#define HEADER_H 54.0
#define FOOTER_H 20.0
#define TITLE_H 20.0

typedef struct
{
  TsuSummaryTable *table;      /* NULL for a map page */
  TsuMeetingMap   *map;
  guint            first_row;
  guint            n_rows;
  double           y;
} Block;

static PangoLayout *
make_layout (cairo_t    *cr,
             const char *text,
             double      size,
             gboolean    bold)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string (FONT_FAMILY);
  /* A table cell is one line: a label with a line break is shown flat. */
  g_autofree char *flat = g_strdelimit (g_strdup (text), "\r\n\t", ' ');

  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, flat, -1);
  return layout;
}

static void
show_text (cairo_t    *cr,
           const char *text,
           double      x,
           double      y,
           double      size,
           gboolean    bold,
           double      width,
           double      align)
{
  g_autoptr(PangoLayout) layout = make_layout (cr, text, size, bold);
  int w, h;

  if (width > 0)
    {
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, x + (width > 0 && align > 0 ? (width - w) * align : 0), y);
  pango_cairo_show_layout (cr, layout);
}

static double
text_width (cairo_t    *cr,
            const char *text,
            double      size)
{
  g_autoptr(PangoLayout) layout = make_layout (cr, text, size, FALSE);
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  return w;
}

static void
draw_page_frame (TsuSummary *self,
                 cairo_t    *cr,
                 guint       page,
                 guint       n_pages)
{
  g_autofree char *period = tsu_summary_format_period (self->from, self->to);
  g_autofree char *number = g_strdup_printf ("%u / %u", page, n_pages);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *today_wa = tsu_summary_format_wareki (today);
  g_autofree char *made = g_strdup_printf (_("Made on %s (%s)"), today, today_wa);

  cairo_set_source_rgb (cr, 0, 0, 0);
  show_text (cr, self->title, MARGIN, MARGIN - 8, 16, TRUE, 0, 0);
  cairo_set_source_rgb (cr, 0.25, 0.25, 0.25);
  show_text (cr, period, MARGIN, MARGIN + 16, 9.5, FALSE, 0, 0);
  show_text (cr, number, MARGIN, PAGE_H - MARGIN + 4, 8, FALSE, PAGE_W - 2 * MARGIN, 0.5);
  show_text (cr, made, MARGIN, PAGE_H - MARGIN + 4, 8, FALSE, PAGE_W - 2 * MARGIN, 1.0);
}

static void
draw_table_block (cairo_t *cr,
                  Block   *block)
{
  TsuSummaryTable *table = block->table;
  guint n_values = table->headers->len - table->n_label_columns;
  double avail = PAGE_W - 2 * MARGIN;
  double label_w[2] = { 0, 0 };
  double value_w, x, y = block->y;
  gboolean continued = block->first_row > 0;

  /* Label columns as wide as their longest text (capped), numbers share the rest. */
  for (guint c = 0; c < table->n_label_columns && c < 2; c++)
    {
      label_w[c] = text_width (cr, table->headers->pdata[c], 7.5) + 8;
      for (guint r = 0; r < table->rows->len; r++)
        label_w[c] = MAX (label_w[c], text_width (cr, ((TsuSummaryRow *) table->rows->pdata[r])->labels[c], 7.5) + 8);
      label_w[c] = MIN (label_w[c], 170);
    }
  value_w = MIN (70, (avail - label_w[0] - label_w[1]) / MAX (n_values, 1));

  cairo_set_source_rgb (cr, 0, 0, 0);
  {
    g_autofree char *title = continued ? g_strdup_printf (_("%s (continued)"), table->title) : g_strdup (table->title);
    show_text (cr, title, MARGIN, y, 11, TRUE, 0, 0);
  }
  y += TITLE_H;

  /* Header row, repeated on every page the table spans. */
  cairo_set_source_rgb (cr, 0.88, 0.90, 0.94);
  cairo_rectangle (cr, MARGIN, y, label_w[0] + label_w[1] + value_w * n_values, ROW_H);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  x = MARGIN;
  for (guint c = 0; c < table->headers->len; c++)
    {
      double w = c < table->n_label_columns ? label_w[MIN (c, 1)] : value_w;
      show_text (cr, table->headers->pdata[c], x + 2, y + 1.5, 7.5, TRUE, w - 4, c < table->n_label_columns ? 0 : 1);
      x += w;
    }
  y += ROW_H;

  for (guint r = block->first_row; r < block->first_row + block->n_rows; r++)
    {
      TsuSummaryRow *row = table->rows->pdata[r];

      if (row->total)
        {
          cairo_set_source_rgb (cr, 0.95, 0.95, 0.95);
          cairo_rectangle (cr, MARGIN, y, label_w[0] + label_w[1] + value_w * n_values, ROW_H);
          cairo_fill (cr);
        }
      cairo_set_source_rgb (cr, 0, 0, 0);
      x = MARGIN;
      for (guint c = 0; c < table->n_label_columns; c++)
        {
          show_text (cr, row->labels[c], x + 2, y + 1.5, 7.5, row->total, label_w[MIN (c, 1)] - 4, 0);
          x += label_w[MIN (c, 1)];
        }
      for (guint v = 0; v < n_values; v++)
        {
          g_autofree char *n = g_strdup_printf ("%" G_GINT64_FORMAT, row->values[v]);
          show_text (cr, n, x + 2, y + 1.5, 7.5, row->total || v + 1 == n_values, value_w - 4, 1);
          x += value_w;
        }
      cairo_set_source_rgb (cr, 0.8, 0.8, 0.8);
      cairo_set_line_width (cr, 0.4);
      cairo_move_to (cr, MARGIN, y + ROW_H);
      cairo_line_to (cr, x, y + ROW_H);
      cairo_stroke (cr);
      y += ROW_H;
    }
}

/* Lays every table out into pages first, so the footer can say "n / N". */
static GPtrArray *
plan_pages (TsuSummary *self)
{
  GPtrArray *pages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GPtrArray *page = g_ptr_array_new_with_free_func (g_free);
  double top = MARGIN + HEADER_H - 14;
  double bottom = PAGE_H - MARGIN - FOOTER_H;
  double y = top;

  g_ptr_array_add (pages, page);
  for (guint t = 0; t < self->tables->len; t++)
    {
      TsuSummaryTable *table = self->tables->pdata[t];
      guint r = 0;

      do
        {
          guint fits;
          Block *block;

          if (y + TITLE_H + 2 * ROW_H > bottom && page->len > 0)
            {
              page = g_ptr_array_new_with_free_func (g_free);
              g_ptr_array_add (pages, page);
              y = top;
            }
          fits = (guint) floor ((bottom - y - TITLE_H - ROW_H) / ROW_H);
          block = g_new0 (Block, 1);
          block->table = table;
          block->first_row = r;
          block->n_rows = MIN (fits, table->rows->len - r);
          block->y = y;
          g_ptr_array_add (page, block);
          r += block->n_rows;
          y += TITLE_H + ROW_H * (block->n_rows + 1) + 16;
        }
      while (r < table->rows->len);
    }

  for (guint m = 0; m < self->maps->len; m++)
    {
      Block *block = g_new0 (Block, 1);

      block->map = self->maps->pdata[m];
      page = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (page, block);
      g_ptr_array_add (pages, page);
    }
  return pages;
}

gboolean
tsu_summary_write_pdf (TsuSummary  *self,
                       const char  *path,
                       GError     **error)
{
  g_autoptr(GPtrArray) pages = NULL;
  g_autofree char *tmp = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;

  g_return_val_if_fail (TSU_IS_SUMMARY (self), FALSE);

  /* Written beside the target and renamed, so a failure leaves no half PDF. */
  tmp = g_strdup_printf ("%s.part", path);
  surface = cairo_pdf_surface_create (tmp, PAGE_W, PAGE_H);
  if ((status = cairo_surface_status (surface)) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      g_set_error (error, TSU_SUMMARY_ERROR, TSU_SUMMARY_ERROR_WRITE,
                   _("Could not write “%s”: %s"), path, cairo_status_to_string (status));
      return FALSE;
    }
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, self->title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Tsunagu " PACKAGE_VERSION);
  cr = cairo_create (surface);

  pages = plan_pages (self);
  for (guint p = 0; p < pages->len; p++)
    {
      GPtrArray *page = pages->pdata[p];

      for (guint b = 0; b < page->len; b++)
        {
          Block *block = page->pdata[b];

          if (block->map != NULL)
            /* A map page is the meeting map as it is printed on its own,
             * so the district sees the same picture in both. */
            tsu_meeting_map_render (block->map, cr, 0, 0, PAGE_W, PAGE_H - FOOTER_H);
          else
            draw_table_block (cr, block);
        }
      if (page->len == 0 || ((Block *) page->pdata[0])->map == NULL)
        draw_page_frame (self, cr, p + 1, pages->len);
      else
        {
          g_autofree char *number = g_strdup_printf ("%u / %u", p + 1, pages->len);
          cairo_set_source_rgb (cr, 0.25, 0.25, 0.25);
          show_text (cr, number, MARGIN, PAGE_H - MARGIN + 4, 8, FALSE, PAGE_W - 2 * MARGIN, 0.5);
        }
      cairo_show_page (cr);
    }

  status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_unlink (tmp);
      g_set_error (error, TSU_SUMMARY_ERROR, TSU_SUMMARY_ERROR_WRITE,
                   _("Could not write “%s”: %s"), path, cairo_status_to_string (status));
      return FALSE;
    }
  if (g_rename (tmp, path) != 0)
    {
      int saved = errno;
      g_unlink (tmp);
      g_set_error (error, TSU_SUMMARY_ERROR, TSU_SUMMARY_ERROR_WRITE,
                   _("Could not write “%s”: %s"), path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}
