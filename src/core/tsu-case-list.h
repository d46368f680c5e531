/* tsu-case-list.h: the confidential case list for a 支援会議
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tsu-store.h"

G_BEGIN_DECLS

/* Writes an A4 PDF with the members, flags and visit history of each
 * household, marked 取扱注意 on every page, and records the export in the
 * audit table. Nothing is written if any id is unknown. */
/* A household without recorded consent (consent other than "yes") is
 * listed only when @reason says why; the reason is kept in the export
 * audit with the list. */
gboolean tsu_case_list_write_pdf (TsuStore            *store,
                                  const char * const  *household_ids,
                                  const char          *reason,
                                  const char          *path,
                                  GError             **error);

G_END_DECLS
