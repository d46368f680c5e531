/* tsu-visit-validate.h: what a visit record must satisfy before it is saved
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TSU_VISIT_ERROR (tsu_visit_error_quark ())
GQuark tsu_visit_error_quark (void);

/* The code says which field is wrong, so the editor can mark it. */
typedef enum
{
  TSU_VISIT_ERROR_NO_HOUSEHOLD,
  TSU_VISIT_ERROR_BAD_DATE,
  TSU_VISIT_ERROR_FUTURE_DATE,
  TSU_VISIT_ERROR_NO_CONTACT_TYPE,
  TSU_VISIT_ERROR_NO_OUTCOME,
  TSU_VISIT_ERROR_BAD_FOLLOW_UP,
  TSU_VISIT_ERROR_FOLLOW_UP_BEFORE_VISIT,
} TsuVisitError;

/* How far ahead of the clock a visit time may be (a coordinator rounding
 * up to the next quarter hour, a laptop clock a little behind). */
#define TSU_VISIT_FUTURE_TOLERANCE_MINUTES 15

gboolean tsu_visit_validate (JsonObject  *fields,
                             GDateTime   *now,
                             GError     **error);

G_END_DECLS
