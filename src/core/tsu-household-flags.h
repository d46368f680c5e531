/* tsu-household-flags.h: the flags a household can carry
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A household's flags are one integer (household.flags), one bit per flag.
 * The bits are part of the data format: a bit once given to a flag keeps its
 * meaning forever, new flags take new bits. Each flag also has a stable ASCII
 * code (used in files and in the category records of kind "flag") and a
 * Japanese label, the words the 社協 uses.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  TSU_HOUSEHOLD_FLAG_NONE             = 0,
  TSU_HOUSEHOLD_FLAG_ELDERLY_ALONE    = 1 << 0,   /* 高齢単身 */
  TSU_HOUSEHOLD_FLAG_ELDERLY_COUPLE   = 1 << 1,   /* 高齢夫婦のみ */
  TSU_HOUSEHOLD_FLAG_DISABILITY       = 1 << 2,   /* 障がい */
  TSU_HOUSEHOLD_FLAG_CARE_NEED        = 1 << 3,   /* 要介護 */
  TSU_HOUSEHOLD_FLAG_CHILDREARING     = 1 << 4,   /* 子育て */
  TSU_HOUSEHOLD_FLAG_SINGLE_PARENT    = 1 << 5,   /* ひとり親 */
  TSU_HOUSEHOLD_FLAG_POVERTY          = 1 << 6,   /* 生活困窮 */
  TSU_HOUSEHOLD_FLAG_HIKIKOMORI       = 1 << 7,   /* ひきこもり */
  TSU_HOUSEHOLD_FLAG_8050             = 1 << 8,   /* 8050 */
  TSU_HOUSEHOLD_FLAG_FOREIGN_LANGUAGE = 1 << 9,   /* 外国籍・言語支援 */
  TSU_HOUSEHOLD_FLAG_HOUSING          = 1 << 10,  /* 住まいの課題 */
} TsuHouseholdFlag;

#define TSU_HOUSEHOLD_FLAG_ALL ((TsuHouseholdFlag) ((1 << 11) - 1))

typedef struct
{
  TsuHouseholdFlag  flag;
  const char       *code;    /* stable ASCII code, e.g. "elderly_alone" */
  const char       *label;   /* Japanese label, e.g. "高齢単身" */
} TsuHouseholdFlagInfo;

const TsuHouseholdFlagInfo *tsu_household_flag_get_all       (guint            *n_flags);
const TsuHouseholdFlagInfo *tsu_household_flag_lookup        (TsuHouseholdFlag  flag);
const TsuHouseholdFlagInfo *tsu_household_flag_lookup_code   (const char       *code);
const TsuHouseholdFlagInfo *tsu_household_flag_lookup_label  (const char       *label);
TsuHouseholdFlag            tsu_household_flag_from_code     (const char       *code);
const char                 *tsu_household_flag_to_code       (TsuHouseholdFlag  flag);
const char                 *tsu_household_flag_to_label      (TsuHouseholdFlag  flag);
char                       *tsu_household_flags_to_codes     (guint             flags);
char                       *tsu_household_flags_to_labels    (guint             flags,
                                                              const char       *separator);
gboolean                    tsu_household_flags_from_codes   (const char       *codes,
                                                              guint            *flags,
                                                              char            **bad_code);

G_END_DECLS
