/* tsu-visit-draft.c: unsaved visit editor contents kept across a closed window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A draft is a small JSON file next to the database (visit-drafts/), not a
 * setting: it holds personal notes, so it lives with the data it belongs
 * to, readable by the owner only (tsu-privacy.h), and goes when the
 * database goes. It is
 * not synced: a draft is one person's unfinished typing on one laptop.
 * A store in memory keeps no drafts.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <glib/gi18n-lib.h>

#include "tsu-privacy.h"
#include "tsu-visit-draft.h"

char *
tsu_visit_draft_key (const char *household_id,
                     const char *visit_id)
{
  if (visit_id != NULL)
    return g_strdup (visit_id);
  return g_strconcat ("new-", household_id, NULL);
}

static char *
draft_path (TsuStore   *store,
            const char *key)
{
  const char *db = tsu_store_get_path (store);
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;

  if (db == NULL || g_str_equal (db, ":memory:") || key == NULL)
    return NULL;
  /* Keys are ids made of hex digits and dashes; anything else is refused
   * rather than turned into a path. */
  for (const char *p = key; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-')
      return NULL;

  dir = g_path_get_dirname (db);
  name = g_strconcat (key, ".json", NULL);
  return g_build_filename (dir, "visit-drafts", name, NULL);
}

gboolean
tsu_visit_draft_save (TsuStore    *store,
                      const char  *key,
                      JsonObject  *fields,
                      GError     **error)
{
  g_autofree char *path = draft_path (store, key);
  g_autofree char *dir = NULL;
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (TSU_IS_STORE (store), FALSE);
  g_return_val_if_fail (fields != NULL, FALSE);

  if (path == NULL)
    return TRUE;

  dir = g_path_get_dirname (path);
  node = json_node_init_object (json_node_alloc (), fields);
  text = json_to_string (node, FALSE);
  if (!tsu_privacy_ensure_private_dir (dir, &local_error) ||
      !tsu_privacy_write_private_file (path, text, -1, &local_error))
    {
      g_set_error (error, local_error->domain, local_error->code,
                   _("Could not keep the draft visit in “%s”: %s"), path, local_error->message);
      return FALSE;
    }
  return TRUE;
}

JsonObject *
tsu_visit_draft_load (TsuStore   *store,
                      const char *key)
{
  g_autofree char *path = draft_path (store, key);
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (TSU_IS_STORE (store), NULL);

  if (path == NULL || !g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  node = json_from_string (text, NULL);
  /* A damaged draft is dropped: it must never stop the editor opening. */
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_dup_object (node);
}

void
tsu_visit_draft_clear (TsuStore   *store,
                       const char *key)
{
  g_autofree char *path = draft_path (store, key);

  g_return_if_fail (TSU_IS_STORE (store));

  if (path != NULL)
    g_unlink (path);
}
