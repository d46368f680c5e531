/* tsu-text.h: folding Japanese text and addresses for search and comparison
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The search key: NFKC, katakana → hiragana, lower case, no spaces, old
 * kanji forms (瀧, 條, 澤…) → their common forms, ケ/ヶ/が between the parts of
 * a place name → が. */
char *tsu_text_fold        (const char *text);
/* A looser key on top of tsu_text_fold: small kana → large, no long-vowel
 * marks, 之/ノ → の, ゐゑを → いえお. For "did you mean" matches. */
char *tsu_text_fold_loose  (const char *text);
char *tsu_text_digits_only (const char *text);

/* Reads a number written in arabic digits (any width) or kanji numerals
 * (五百, 十二, 二〇二四, 元 is not a number here) at the start of TEXT.
 * Returns FALSE when TEXT does not start with one; END points after it. */
gboolean tsu_text_parse_number (const char  *text,
                                gint64      *value,
                                const char **end);

/* A Japanese address split into its parts. All strings are NFKC with spaces
 * removed; town has 大字/字 removed and excludes the 丁目. */
typedef struct
{
  char  *prefecture;  /* 三重県, or NULL when not written */
  char  *city;        /* 伊賀市, or NULL */
  char  *town;        /* 町・字 (with a 小字 if written), e.g. 上野丸之内, 小田町平松 */
  guint  chome;       /* 丁目, 0 when none */
  char  *block;       /* 番地・号 as numbers joined by "-", e.g. 500-2, or "" */
  char  *rest;        /* what follows the numbers (building, room), or "" */
  char  *town_key;    /* folded town + chome: the key a gazetteer is indexed by */
  char  *key;         /* folded whole address: equal keys mean the same address */
} TsuAddress;

TsuAddress *tsu_address_parse     (const char *address);
void        tsu_address_free      (TsuAddress *address);
char       *tsu_address_normalize (const char *address);
/* The key of a town name and 丁目 as a gazetteer stores it. */
char       *tsu_address_town_key  (const char *town,
                                   guint       chome);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsuAddress, tsu_address_free)

G_END_DECLS
