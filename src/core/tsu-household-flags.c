/* tsu-household-flags.c: the flags a household can carry
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tsu-household-flags.h"

/* In bit order, which is also the order they are shown in. */
static const TsuHouseholdFlagInfo flags[] = {
  { TSU_HOUSEHOLD_FLAG_ELDERLY_ALONE, "elderly_alone", "高齢単身" },
  { TSU_HOUSEHOLD_FLAG_ELDERLY_COUPLE, "elderly_couple", "高齢夫婦のみ" },
  { TSU_HOUSEHOLD_FLAG_DISABILITY, "disability", "障がい" },
  { TSU_HOUSEHOLD_FLAG_CARE_NEED, "care_need", "要介護" },
  { TSU_HOUSEHOLD_FLAG_CHILDREARING, "childrearing", "子育て" },
  { TSU_HOUSEHOLD_FLAG_SINGLE_PARENT, "single_parent", "ひとり親" },
  { TSU_HOUSEHOLD_FLAG_POVERTY, "poverty", "生活困窮" },
  { TSU_HOUSEHOLD_FLAG_HIKIKOMORI, "hikikomori", "ひきこもり" },
  { TSU_HOUSEHOLD_FLAG_8050, "8050", "8050" },
  { TSU_HOUSEHOLD_FLAG_FOREIGN_LANGUAGE, "foreign_language", "外国籍・言語支援" },
  { TSU_HOUSEHOLD_FLAG_HOUSING, "housing", "住まいの課題" },
};

G_STATIC_ASSERT (G_N_ELEMENTS (flags) == 11);

const TsuHouseholdFlagInfo *
tsu_household_flag_get_all (guint *n_flags)
{
  if (n_flags != NULL)
    *n_flags = G_N_ELEMENTS (flags);
  return flags;
}

const TsuHouseholdFlagInfo *
tsu_household_flag_lookup (TsuHouseholdFlag flag)
{
  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    if (flags[i].flag == flag)
      return &flags[i];
  return NULL;
}

const TsuHouseholdFlagInfo *
tsu_household_flag_lookup_code (const char *code)
{
  if (code == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    if (strcmp (flags[i].code, code) == 0)
      return &flags[i];
  return NULL;
}

const TsuHouseholdFlagInfo *
tsu_household_flag_lookup_label (const char *label)
{
  if (label == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    if (strcmp (flags[i].label, label) == 0)
      return &flags[i];
  return NULL;
}

/* Returns TSU_HOUSEHOLD_FLAG_NONE for an unknown code. */
TsuHouseholdFlag
tsu_household_flag_from_code (const char *code)
{
  const TsuHouseholdFlagInfo *info = tsu_household_flag_lookup_code (code);

  return info != NULL ? info->flag : TSU_HOUSEHOLD_FLAG_NONE;
}

const char *
tsu_household_flag_to_code (TsuHouseholdFlag flag)
{
  const TsuHouseholdFlagInfo *info = tsu_household_flag_lookup (flag);

  return info != NULL ? info->code : NULL;
}

const char *
tsu_household_flag_to_label (TsuHouseholdFlag flag)
{
  const TsuHouseholdFlagInfo *info = tsu_household_flag_lookup (flag);

  return info != NULL ? info->label : NULL;
}

static char *
join_flags (guint       value,
            gboolean    labels,
            const char *separator)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    {
      if ((value & flags[i].flag) == 0)
        continue;
      if (out->len > 0)
        g_string_append (out, separator);
      g_string_append (out, labels ? flags[i].label : flags[i].code);
    }
  return g_string_free (out, FALSE);
}

/* "elderly_alone,care_need": the form files and exports use. Bits that no
 * known flag has are left out. */
char *
tsu_household_flags_to_codes (guint value)
{
  return join_flags (value, FALSE, ",");
}

/* The Japanese labels joined by separator ("・" when NULL), for display. */
char *
tsu_household_flags_to_labels (guint       value,
                               const char *separator)
{
  return join_flags (value, TRUE, separator != NULL ? separator : "・");
}

/* Parses comma-separated codes or labels (either is accepted, spaces around
 * them are ignored). On an unknown one, returns FALSE and sets *bad_code to
 * it; *flags is then left unchanged. */
gboolean
tsu_household_flags_from_codes (const char  *codes,
                                guint       *value,
                                char       **bad_code)
{
  g_auto(GStrv) parts = NULL;
  guint result = 0;

  g_return_val_if_fail (value != NULL, FALSE);

  if (codes == NULL)
    {
      *value = 0;
      return TRUE;
    }

  parts = g_strsplit (codes, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *part = g_strstrip (parts[i]);
      const TsuHouseholdFlagInfo *info;

      if (*part == '\0')
        continue;
      info = tsu_household_flag_lookup_code (part);
      if (info == NULL)
        info = tsu_household_flag_lookup_label (part);
      if (info == NULL)
        {
          if (bad_code != NULL)
            *bad_code = g_strdup (part);
          return FALSE;
        }
      result |= info->flag;
    }
  *value = result;
  return TRUE;
}
