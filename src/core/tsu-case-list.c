/* tsu-case-list.c: the confidential case list for a 支援会議
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one report that carries personal data: it goes to a case conference
 * whose members share a legal duty of confidentiality (社会福祉法 §106-6).
 * Every page says so, and every export is recorded (who, when, which
 * households, which file) in the append-only export audit before the file
 * is put in place.
 */
#include "config.h"

#include <errno.h>
#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <pango/pangocairo.h>

#include "tsu-case-list.h"
#include "tsu-privacy.h"
#include "tsu-reference-data.h"
#include "tsu-store-reports.h"
#include "tsu-summary.h"

#define FONT_FAMILY "Noto Sans CJK JP"
#define PAGE_W 595.28   /* A4 portrait */
#define PAGE_H 841.89
#define MARGIN 40.0
#define TOP (MARGIN + 44)
#define BOTTOM (PAGE_H - MARGIN - 18)

typedef struct
{
  cairo_t    *cr;
  double      y;
  guint       page;
  guint       n_pages;    /* 0 while counting */
  char       *made;
  GHashTable *contact_types;
  GHashTable *outcomes;
  GHashTable *contents;
  GHashTable *support_areas;
} Writer;

static double
text (Writer     *w,
      const char *str,
      double      x,
      double      y,
      double      size,
      gboolean    bold,
      double      width)
{
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (w->cr);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string (FONT_FAMILY);
  int pw, ph;

  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  if (width > 0)
    {
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }
  pango_layout_set_text (layout, str ? str : "", -1);
  pango_layout_get_pixel_size (layout, &pw, &ph);
  if (y >= 0)
    {
      cairo_move_to (w->cr, x, y);
      pango_cairo_show_layout (w->cr, layout);
    }
  return ph;
}

static void
page_frame (Writer *w)
{
  g_autofree char *number = w->n_pages > 0 ? g_strdup_printf ("%u / %u", w->page, w->n_pages)
                                           : g_strdup_printf ("%u", w->page);

  /* The confidentiality mark: a red box, top right, on every page. */
  cairo_set_source_rgb (w->cr, 0.75, 0, 0);
  cairo_set_line_width (w->cr, 1.5);
  cairo_rectangle (w->cr, PAGE_W - MARGIN - 80, MARGIN - 12, 80, 26);
  cairo_stroke (w->cr);
  text (w, "取扱注意", PAGE_W - MARGIN - 72, MARGIN - 8, 14, TRUE, 0);

  cairo_set_source_rgb (w->cr, 0, 0, 0);
  text (w, _("Case list for a support conference"), MARGIN, MARGIN - 10, 15, TRUE, 0);
  cairo_set_source_rgb (w->cr, 0.3, 0.3, 0.3);
  text (w, w->made, MARGIN, MARGIN + 12, 8.5, FALSE, 0);
  text (w, _("Confidential: shared only within the support conference under the duty of confidentiality (Social Welfare Act, Article 106-6). Do not copy or take away."),
        MARGIN, PAGE_H - MARGIN - 6, 7, FALSE, PAGE_W - 2 * MARGIN - 50);
  text (w, number, PAGE_W - MARGIN - 40, PAGE_H - MARGIN - 6, 8, FALSE, 0);
  cairo_set_source_rgb (w->cr, 0, 0, 0);
  w->y = TOP;
}

static void
new_page (Writer *w)
{
  cairo_show_page (w->cr);
  w->page++;
  page_frame (w);
}

static void
need (Writer *w,
      double  height)
{
  if (w->y + height > BOTTOM)
    new_page (w);
}

/* A line of text that wraps and breaks pages as needed. */
static void
paragraph (Writer     *w,
           const char *str,
           double      indent,
           double      size,
           gboolean    bold)
{
  double width = PAGE_W - 2 * MARGIN - indent;
  double h = text (w, str, 0, -1, size, bold, width);

  need (w, h + 2);
  text (w, str, MARGIN + indent, w->y, size, bold, width);
  w->y += h + 2;
}

static const char *
label_of (GHashTable *labels,
          const char *code)
{
  const char *label;

  if (code == NULL || *code == '\0')
    return "—";
  label = g_hash_table_lookup (labels, code);
  return label ? label : code;
}

static char *
format_flags (gint64 flags)
{
  GString *s = g_string_new (NULL);

  for (guint bit = 0; bit < TSU_REPORT_N_FLAGS; bit++)
    if (flags & ((gint64) 1 << bit))
      {
        if (s->len > 0)
          g_string_append (s, "・");
        if (tsu_report_flag_label (bit) != NULL)
          g_string_append (s, tsu_report_flag_label (bit));
        else
          g_string_append_printf (s, "#%u", bit + 1);
      }
  if (s->len == 0)
    g_string_append (s, "—");
  return g_string_free (s, FALSE);
}

static const char *
member (JsonObject *o,
        const char *name)
{
  if (!json_object_has_member (o, name) || json_object_get_null_member (o, name))
    return NULL;
  return json_object_get_string_member_with_default (o, name, NULL);
}

static gboolean
write_household (Writer      *w,
                 TsuStore    *store,
                 JsonObject  *household,
                 guint        index,
                 GError     **error)
{
  g_autoptr(GPtrArray) residents = NULL;
  g_autoptr(GPtrArray) visits = NULL;
  const char *id = json_object_get_string_member (household, "id");
  g_autofree char *flags = format_flags (json_object_get_int_member_with_default (household, "flags", 0));
  g_autofree char *heading = NULL;
  g_autofree char *line = NULL;

  residents = tsu_store_report_residents (store, id, error);
  if (residents == NULL)
    return FALSE;
  visits = tsu_store_report_visits (store, id, error);
  if (visits == NULL)
    return FALSE;

  need (w, 80);
  heading = g_strdup_printf ("%u. %s", index, member (household, "address") ? member (household, "address") : "");
  cairo_set_source_rgb (w->cr, 0.93, 0.93, 0.96);
  cairo_rectangle (w->cr, MARGIN, w->y - 2, PAGE_W - 2 * MARGIN, 20);
  cairo_fill (w->cr);
  cairo_set_source_rgb (w->cr, 0, 0, 0);
  paragraph (w, heading, 4, 12, TRUE);
  w->y += 4;

  line = g_strdup_printf (_("Neighbourhood association: %s   Phone: %s   Consent: %s   Status: %s"),
                          member (household, "jichikai") ? member (household, "jichikai") : "—",
                          member (household, "phone") ? member (household, "phone") : "—",
                          member (household, "consent") ? member (household, "consent") : "—",
                          member (household, "status") ? member (household, "status") : "active");
  paragraph (w, line, 4, 9, FALSE);
  g_free (line);
  line = g_strdup_printf (_("Flags: %s"), flags);
  paragraph (w, line, 4, 9, FALSE);
  if (member (household, "note") != NULL)
    {
      g_free (line);
      line = g_strdup_printf (_("Note: %s"), member (household, "note"));
      paragraph (w, line, 4, 9, FALSE);
    }

  w->y += 4;
  paragraph (w, _("Members"), 4, 10, TRUE);
  if (residents->len == 0)
    paragraph (w, _("No members recorded."), 12, 9, FALSE);
  for (guint i = 0; i < residents->len; i++)
    {
      JsonObject *r = residents->pdata[i];
      g_autofree char *wareki = tsu_summary_format_wareki (member (r, "birth_date"));
      const char *relationship = member (r, "relationship");
      const char *relationship_label = tsu_reference_data_category_label (TSU_CATEGORY_RELATIONSHIP, relationship);
      g_autofree char *m = g_strdup_printf ("%s（%s）  %s  %s%s%s%s%s",
                                            member (r, "name") ? member (r, "name") : "",
                                            member (r, "kana") ? member (r, "kana") : "",
                                            relationship_label != NULL ? relationship_label
                                            : relationship != NULL ? relationship : "",
                                            member (r, "birth_date") ? member (r, "birth_date") : "",
                                            wareki ? "（" : "", wareki ? wareki : "", wareki ? "）" : "",
                                            member (r, "note") ? member (r, "note") : "");
      paragraph (w, m, 12, 9, FALSE);
    }

  w->y += 4;
  paragraph (w, _("Visit history"), 4, 10, TRUE);
  if (visits->len == 0)
    paragraph (w, _("No visits recorded."), 12, 9, FALSE);
  for (guint i = 0; i < visits->len; i++)
    {
      JsonObject *v = visits->pdata[i];
      g_autoptr(GString) cats = g_string_new (NULL);
      g_auto(GStrv) codes = g_strsplit (member (v, "categories") ? member (v, "categories") : "", ",", -1);
      g_autofree char *head = NULL;
      gboolean sensitive = json_object_get_int_member_with_default (v, "sensitive", 0) != 0;

      for (guint c = 0; codes[c] != NULL; c++)
        {
          g_strstrip (codes[c]);
          if (*codes[c] == '\0')
            continue;
          if (cats->len > 0)
            g_string_append (cats, "・");
          g_string_append (cats, label_of (w->contents, codes[c]));
        }
      g_autofree char *when = g_strdelimit (g_strdup (member (v, "visited_at") ? member (v, "visited_at") : ""), "T", ' ');

      head = g_strdup_printf ("%s  %s / %s / %s  %s%s", when,
                              label_of (w->contact_types, member (v, "contact_type")),
                              label_of (w->outcomes, member (v, "outcome")),
                              label_of (w->support_areas, member (v, "support_area")),
                              cats->str, sensitive ? "  【要配慮】" : "");
      paragraph (w, head, 12, 8.5, TRUE);
      if (member (v, "note") != NULL)
        paragraph (w, member (v, "note"), 24, 8.5, FALSE);
    }
  w->y += 12;
  return TRUE;
}

static cairo_status_t
discard_write (void                *closure,
               const unsigned char *data,
               unsigned int         length)
{
  return CAIRO_STATUS_SUCCESS;
}

static gboolean
render (Writer      *w,
        TsuStore    *store,
        GPtrArray   *households,
        GError     **error)
{
  w->page = 1;
  page_frame (w);
  for (guint i = 0; i < households->len; i++)
    if (!write_household (w, store, households->pdata[i], i + 1, error))
      return FALSE;
  cairo_show_page (w->cr);
  return TRUE;
}

gboolean
tsu_case_list_write_pdf (TsuStore            *store,
                         const char * const  *household_ids,
                         const char          *reason,
                         const char          *path,
                         GError             **error)
{
  g_autoptr(GPtrArray) households = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d %H:%M");
  g_autofree char *today_date = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *wareki = tsu_summary_format_wareki (today_date);
  g_autofree char *tmp = NULL;
  Writer w = { 0, };
  cairo_surface_t *surface;
  cairo_status_t status;
  gboolean ok;

  g_return_val_if_fail (TSU_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (household_ids == NULL || household_ids[0] == NULL)
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID,
                   _("No households were chosen for the case list “%s”"), path);
      return FALSE;
    }

  /* Every id must exist before anything is written or recorded. */
  for (guint i = 0; household_ids[i] != NULL; i++)
    {
      JsonObject *h = tsu_store_get_record (store, "household", household_ids[i], error);

      if (h == NULL)
        return FALSE;
      if (json_object_get_boolean_member_with_default (h, "deleted", FALSE))
        {
          json_object_unref (h);
          g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_NOT_FOUND,
                       _("The household %s has been deleted"), household_ids[i]);
          return FALSE;
        }
      g_ptr_array_add (households, h);
    }

  /* 社会福祉法 allows sharing without consent at a 支援会議, but the
   * coordinator must say why: no reason, no list, and nothing written. */
  g_autofree char *trimmed_reason = reason != NULL ? g_strstrip (g_strdup (reason)) : NULL;

  if (trimmed_reason == NULL || *trimmed_reason == '\0')
    {
      g_autoptr(GString) missing = g_string_new (NULL);
      guint n_missing = 0;

      for (guint i = 0; i < households->len; i++)
        {
          JsonObject *h = households->pdata[i];

          if (g_strcmp0 (member (h, "consent"), "yes") != 0)
            {
              if (n_missing++ > 0)
                g_string_append (missing, ", ");
              g_string_append (missing, member (h, "address") ? member (h, "address") : household_ids[i]);
            }
        }
      if (n_missing > 0)
        {
          g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID,
                       g_dngettext (GETTEXT_PACKAGE,
                                    "%u household has no recorded consent (%s). Give the reason for sharing it; the reason is kept in the export log.",
                                    "%u households have no recorded consent (%s). Give the reason for sharing them; the reason is kept in the export log.",
                                    n_missing),
                       n_missing, missing->str);
          return FALSE;
        }
    }

  w.contact_types = tsu_store_report_category_labels (store, "contact_type", error);
  w.outcomes = w.contact_types ? tsu_store_report_category_labels (store, "outcome", error) : NULL;
  w.contents = w.outcomes ? tsu_store_report_category_labels (store, "content", error) : NULL;
  w.support_areas = w.contents ? tsu_store_report_category_labels (store, "support_area", error) : NULL;
  if (w.support_areas == NULL)
    {
      g_clear_pointer (&w.contact_types, g_hash_table_unref);
      g_clear_pointer (&w.outcomes, g_hash_table_unref);
      g_clear_pointer (&w.contents, g_hash_table_unref);
      return FALSE;
    }
  w.made = g_strdup_printf (_("Made on %s (%s) by %s"), today, wareki,
                            tsu_store_get_actor (store) ? tsu_store_get_actor (store) : g_get_user_name ());

  /* First pass counts the pages so every footer can say "n / N". */
  surface = cairo_pdf_surface_create_for_stream (discard_write, NULL, PAGE_W, PAGE_H);
  w.cr = cairo_create (surface);
  ok = render (&w, store, households, error);
  cairo_destroy (w.cr);
  cairo_surface_destroy (surface);

  if (ok)
    {
      w.n_pages = w.page;
      tmp = g_strdup_printf ("%s.part", path);
      surface = cairo_pdf_surface_create (tmp, PAGE_W, PAGE_H);
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, "取扱注意");
      w.cr = cairo_create (surface);
      ok = render (&w, store, households, error);
      status = cairo_status (w.cr);
      cairo_destroy (w.cr);
      cairo_surface_finish (surface);
      if (status == CAIRO_STATUS_SUCCESS)
        status = cairo_surface_status (surface);
      cairo_surface_destroy (surface);
      if (ok && status != CAIRO_STATUS_SUCCESS)
        {
          g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_IO,
                       _("Could not write “%s”: %s"), path, cairo_status_to_string (status));
          ok = FALSE;
        }
      /* Names, members and visit notes: readable by the owner only. */
      if (ok && !tsu_privacy_make_file_private (tmp, error))
        ok = FALSE;
      /* The audit row comes before the file is in place: an export that
       * cannot be recorded does not happen. */
      if (ok)
        ok = tsu_store_record_export_with_reason (store, "case-list", household_ids, path, reason, error);
      if (ok && g_rename (tmp, path) != 0)
        {
          int saved = errno;
          g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_IO,
                       _("Could not write “%s”: %s"), path, g_strerror (saved));
          ok = FALSE;
        }
      if (!ok)
        g_unlink (tmp);
    }

  g_hash_table_unref (w.contact_types);
  g_hash_table_unref (w.outcomes);
  g_hash_table_unref (w.contents);
  g_hash_table_unref (w.support_areas);
  g_free (w.made);
  return ok;
}
