/* tsu-text.c: folding Japanese text for search and comparison
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Search keys are folded so that what a coordinator types matches what was
 * entered by someone else: full-width and half-width forms (NFKC), katakana
 * and hiragana, upper and lower case, and spaces all compare equal.
 */
#include "config.h"

#include <string.h>

#include "tsu-text.h"

static gunichar
fold_char (gunichar c)
{
  /* Katakana ァ..ヶ (U+30A1..U+30F6) to hiragana ぁ..ゖ, except that ヵ and
   * ヶ, which are read か/が/け in place names, fold to their full forms. */
  if (c == 0x30F5)
    return 0x304B; /* ヵ → か */
  if (c == 0x30F6)
    return 0x3051; /* ヶ → け */
  if (c >= 0x30A1 && c <= 0x30F4)
    return c - 0x60;
  if (c == 0x30FD || c == 0x30FE)
    return c - 0x60; /* ヽヾ → ゝゞ */
  return g_unichar_tolower (c);
}

char *
tsu_text_fold (const char *text)
{
  g_autofree char *nfkc = NULL;
  GString *out;

  if (text == NULL)
    return g_strdup ("");

  nfkc = g_utf8_normalize (text, -1, G_NORMALIZE_NFKC);
  if (nfkc == NULL)
    return g_strdup ("");

  out = g_string_sized_new (strlen (nfkc));
  for (const char *p = nfkc; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || c == 0x30FB /* ・ */)
        continue;
      g_string_append_unichar (out, fold_char (c));
    }

  return g_string_free (out, FALSE);
}

char *
tsu_text_digits_only (const char *text)
{
  g_autofree char *nfkc = NULL;
  GString *out;

  if (text == NULL)
    return g_strdup ("");

  nfkc = g_utf8_normalize (text, -1, G_NORMALIZE_NFKC);
  out = g_string_new (NULL);
  for (const char *p = nfkc; p != NULL && *p != '\0'; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}
