/* tsu-household-flags.c: labels of the household flags
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "tsu-household-flags.h"

static const char * const labels[TSU_HOUSEHOLD_N_FLAGS] = {
  N_("Elderly living alone"),
  N_("Elderly couple only"),
  N_("Disability"),
  N_("Needs care"),
  N_("Child-rearing"),
  N_("Single parent"),
  N_("Financial hardship"),
  N_("Social withdrawal"),
  N_("8050"),
  N_("Foreign national / language support"),
  N_("Housing problems"),
};

const char *
tsu_household_flag_label (guint bit)
{
  g_return_val_if_fail (bit < TSU_HOUSEHOLD_N_FLAGS, NULL);
  return _(labels[bit]);
}

char *
tsu_household_flags_describe (guint flags)
{
  GString *s = g_string_new (NULL);

  for (guint bit = 0; bit < TSU_HOUSEHOLD_N_FLAGS; bit++)
    if (flags & (1u << bit))
      {
        if (s->len > 0)
          g_string_append (s, C_("list separator", ", "));
        g_string_append (s, _(labels[bit]));
      }
  return g_string_free (s, FALSE);
}
