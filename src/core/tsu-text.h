/* tsu-text.h: folding Japanese text for search and comparison
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *tsu_text_fold        (const char *text);
char *tsu_text_digits_only (const char *text);

G_END_DECLS
