/* tsu-household-flags.h: the bits of household.flags
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * household.flags is a bit set so that a map or a filter can test a flag
 * without parsing text. The bit positions are part of the data format
 * (they travel in changesets): only ever append.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  TSU_HOUSEHOLD_FLAG_ELDERLY_ALONE    = 1 << 0,  /* 高齢単身 */
  TSU_HOUSEHOLD_FLAG_ELDERLY_COUPLE   = 1 << 1,  /* 高齢夫婦のみ */
  TSU_HOUSEHOLD_FLAG_DISABILITY       = 1 << 2,  /* 障がい */
  TSU_HOUSEHOLD_FLAG_CARE_NEEDED      = 1 << 3,  /* 要介護 */
  TSU_HOUSEHOLD_FLAG_CHILD_REARING    = 1 << 4,  /* 子育て */
  TSU_HOUSEHOLD_FLAG_SINGLE_PARENT    = 1 << 5,  /* ひとり親 */
  TSU_HOUSEHOLD_FLAG_HARDSHIP         = 1 << 6,  /* 生活困窮 */
  TSU_HOUSEHOLD_FLAG_HIKIKOMORI       = 1 << 7,  /* ひきこもり */
  TSU_HOUSEHOLD_FLAG_8050             = 1 << 8,  /* 8050 */
  TSU_HOUSEHOLD_FLAG_LANGUAGE_SUPPORT = 1 << 9,  /* 外国籍・言語支援 */
  TSU_HOUSEHOLD_FLAG_HOUSING          = 1 << 10, /* 住まいの課題 */
} TsuHouseholdFlag;

#define TSU_HOUSEHOLD_N_FLAGS 11

/* The translated label of flag bit number @bit (0 .. TSU_HOUSEHOLD_N_FLAGS - 1). */
const char *tsu_household_flag_label (guint bit);
/* Translated labels of the flags set in @flags, joined with "、". */
char       *tsu_household_flags_describe (guint flags);

G_END_DECLS
