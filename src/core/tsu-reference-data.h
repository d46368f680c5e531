/* tsu-reference-data.h: the categories and agencies every replica starts with
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tsu-store.h"

G_BEGIN_DECLS

/* Category kinds (category.kind). */
#define TSU_CATEGORY_CONTACT_TYPE "contact_type"
#define TSU_CATEGORY_OUTCOME      "outcome"
#define TSU_CATEGORY_SUPPORT_AREA "support_area"
#define TSU_CATEGORY_CONTENT      "content"
#define TSU_CATEGORY_RELATIONSHIP "relationship"
#define TSU_CATEGORY_FLAG         "flag"

typedef struct
{
  const char *kind;
  const char *code;    /* stable ASCII code, what records store */
  const char *label;   /* Japanese label */
} TsuReferenceCategory;

typedef struct
{
  const char *code;    /* stable ASCII code; the record id is derived from it */
  const char *name;
  const char *kana;
  const char *kind;    /* community_care, disability, self_reliance, children, shakyo, minsei, city */
} TsuReferenceAgency;

gboolean                     tsu_reference_data_ensure        (TsuStore    *store,
                                                               GError     **error);

const TsuReferenceCategory  *tsu_reference_data_get_categories (guint       *n_categories);
const TsuReferenceAgency    *tsu_reference_data_get_agencies   (guint       *n_agencies);
const char                  *tsu_reference_data_category_label (const char  *kind,
                                                                const char  *code);
const char                  *tsu_reference_data_category_code  (const char  *kind,
                                                                const char  *label);

char                        *tsu_reference_data_category_id    (const char  *kind,
                                                                const char  *code);
char                        *tsu_reference_data_agency_id      (const char  *code);
char                        *tsu_reference_data_make_id        (const char  *name);

G_END_DECLS
