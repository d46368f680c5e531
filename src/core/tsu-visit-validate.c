/* tsu-visit-validate.c: what a visit record must satisfy before it is saved
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The checks run on the fields as they will be stored, with "now" passed
 * in, so that the editor, the store and the tests agree on one rule set.
 * Messages show dates as the user reads them (和暦 and 西暦).
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tsu-visit-validate.h"
#include "tsu-visits-date.h"

G_DEFINE_QUARK (tsu-visit-error-quark, tsu_visit_error)

static const char *
get_text (JsonObject *fields,
          const char *name)
{
  JsonNode *node = json_object_get_member (fields, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  if (*json_node_get_string (node) == '\0')
    return NULL;
  return json_node_get_string (node);
}

gboolean
tsu_visit_validate (JsonObject  *fields,
                    GDateTime   *now,
                    GError     **error)
{
  const char *visited_at = get_text (fields, "visited_at");
  const char *follow_up = get_text (fields, "next_follow_up");
  GDate visit_date, follow_up_date;
  int hour, minute;

  g_return_val_if_fail (fields != NULL, FALSE);
  g_return_val_if_fail (now != NULL, FALSE);

  if (get_text (fields, "household_id") == NULL)
    {
      g_set_error (error, TSU_VISIT_ERROR, TSU_VISIT_ERROR_NO_HOUSEHOLD,
                   _("The visit is not linked to a household."));
      return FALSE;
    }

  if (visited_at == NULL)
    {
      g_set_error (error, TSU_VISIT_ERROR, TSU_VISIT_ERROR_BAD_DATE,
                   _("Enter the date of the visit."));
      return FALSE;
    }
  if (!tsu_visits_datetime_parse (visited_at, &visit_date, &hour, &minute))
    {
      g_set_error (error, TSU_VISIT_ERROR, TSU_VISIT_ERROR_BAD_DATE,
                   _("“%s” is not a date and time. Use the form 2026-04-01 14:30."),
                   visited_at);
      return FALSE;
    }

  {
    g_autoptr(GDateTime) when = g_date_time_new (g_date_time_get_timezone (now),
                                                 g_date_get_year (&visit_date),
                                                 g_date_get_month (&visit_date),
                                                 g_date_get_day (&visit_date),
                                                 hour, minute, 0);
    g_autoptr(GDateTime) limit = g_date_time_add_minutes (now, TSU_VISIT_FUTURE_TOLERANCE_MINUTES);

    if (when == NULL || g_date_time_compare (when, limit) > 0)
      {
        g_autofree char *shown = tsu_visits_date_format_both (&visit_date);

        g_set_error (error, TSU_VISIT_ERROR, TSU_VISIT_ERROR_FUTURE_DATE,
                     _("The visit date %s %02d:%02d is in the future. Log a visit after it has happened; plan the next one with a follow-up date."),
                     shown, hour, minute);
        return FALSE;
      }
  }

  if (get_text (fields, "contact_type") == NULL)
    {
      g_set_error (error, TSU_VISIT_ERROR, TSU_VISIT_ERROR_NO_CONTACT_TYPE,
                   _("Choose how the contact was made (home visit, phone call, …)."));
      return FALSE;
    }

  if (get_text (fields, "outcome") == NULL)
    {
      g_set_error (error, TSU_VISIT_ERROR, TSU_VISIT_ERROR_NO_OUTCOME,
                   _("Choose the outcome of the contact (met, not at home, …)."));
      return FALSE;
    }

  if (follow_up != NULL)
    {
      if (!tsu_visits_date_parse (follow_up, &follow_up_date) ||
          strlen (follow_up) != 10)
        {
          g_set_error (error, TSU_VISIT_ERROR, TSU_VISIT_ERROR_BAD_FOLLOW_UP,
                       _("“%s” is not a date. Use the form 2026-04-01 for the next follow-up."),
                       follow_up);
          return FALSE;
        }
      if (g_date_compare (&follow_up_date, &visit_date) < 0)
        {
          g_autofree char *shown_follow_up = tsu_visits_date_format_both (&follow_up_date);
          g_autofree char *shown_visit = tsu_visits_date_format_both (&visit_date);

          g_set_error (error, TSU_VISIT_ERROR, TSU_VISIT_ERROR_FOLLOW_UP_BEFORE_VISIT,
                       _("The next follow-up %s is before the visit date %s."),
                       shown_follow_up, shown_visit);
          return FALSE;
        }
    }

  return TRUE;
}
