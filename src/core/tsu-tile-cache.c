/* tsu-tile-cache.c: keeps the map tile cache under its size limit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libshumate 1.0.3's ShumateFileCache takes a size limit but only applies
 * it in shumate_file_cache_purge_cache_async(), which crashes in that
 * version. So the app trims the cache folder itself: it sums the tile
 * files under it and, when they exceed the limit, removes the ones
 * fetched longest ago (oldest modification time: the file cache rewrites
 * a tile when it is fetched again) until they take at most a fraction of
 * the limit, so that trimming does not run again after every new tile.
 * The cache's index (cache.db) is left alone: a row whose file is gone is
 * a cache miss, and the tile is fetched again.
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "tsu-tile-cache.h"

/* After trimming, the tiles take at most this share of the limit. */
#define TRIM_TO 0.8

typedef struct
{
  char    *path;
  guint64  size;
  gint64   modified;
} CachedFile;

static void
cached_file_clear (gpointer data)
{
  g_free (((CachedFile *) data)->path);
}

static gboolean
collect_files (GFile         *dir,
               GArray        *files,
               guint64       *total,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(GFileEnumerator) children = NULL;

  children = g_file_enumerate_children (dir,
                                        G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                        G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                                        G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                                        G_FILE_ATTRIBUTE_TIME_MODIFIED,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, cancellable, error);
  if (children == NULL)
    return FALSE;

  for (;;)
    {
      GFileInfo *info;
      GFile *child;
      const char *name;

      if (!g_file_enumerator_iterate (children, &info, &child, cancellable, error))
        return FALSE;
      if (info == NULL)
        return TRUE;
      name = g_file_info_get_name (info);
      switch (g_file_info_get_file_type (info))
        {
        case G_FILE_TYPE_DIRECTORY:
          if (!collect_files (child, files, total, cancellable, error))
            return FALSE;
          break;
        case G_FILE_TYPE_REGULAR:
          /* The index and its journal are not tiles. */
          if (!g_str_has_prefix (name, "cache.db"))
            {
              CachedFile file;

              file.path = g_file_get_path (child);
              file.size = (guint64) g_file_info_get_size (info);
              file.modified = (gint64) g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED);
              g_array_append_val (files, file);
              *total += file.size;
            }
          break;
        default:
          break;
        }
    }
}

static int
compare_oldest_first (gconstpointer a,
                      gconstpointer b)
{
  const CachedFile *fa = a, *fb = b;

  if (fa->modified != fb->modified)
    return fa->modified < fb->modified ? -1 : 1;
  return g_strcmp0 (fa->path, fb->path);
}

/**
 * tsu_tile_cache_trim:
 * @cache_dir: the folder of the tile cache (a missing folder is empty)
 * @limit: the size limit in bytes
 * @removed_bytes: (out) (optional): how much was removed
 *
 * Removes the tiles fetched longest ago while the cache exceeds @limit.
 * Blocks on file I/O: call it from a worker (see the async variant).
 */
gboolean
tsu_tile_cache_trim (const char    *cache_dir,
                     guint64        limit,
                     guint64       *removed_bytes,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(GFile) dir = NULL;
  g_autoptr(GArray) files = NULL;
  g_autoptr(GError) local_error = NULL;
  guint64 total = 0, removed = 0;

  g_return_val_if_fail (cache_dir != NULL, FALSE);

  if (removed_bytes != NULL)
    *removed_bytes = 0;
  dir = g_file_new_for_path (cache_dir);
  files = g_array_new (FALSE, FALSE, sizeof (CachedFile));
  g_array_set_clear_func (files, cached_file_clear);
  if (!collect_files (dir, files, &total, cancellable, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (total <= limit)
    return TRUE;

  g_array_sort (files, compare_oldest_first);
  for (guint i = 0; i < files->len && total - removed > (guint64) (limit * TRIM_TO); i++)
    {
      CachedFile *file = &g_array_index (files, CachedFile, i);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      /* A tile the cache is rewriting right now may be gone already. */
      if (g_unlink (file->path) == 0 || errno == ENOENT)
        removed += file->size;
    }
  if (removed_bytes != NULL)
    *removed_bytes = removed;
  return TRUE;
}

typedef struct
{
  char    *cache_dir;
  guint64  limit;
} TrimInput;

static void
trim_input_free (TrimInput *input)
{
  g_free (input->cache_dir);
  g_free (input);
}

static void
trim_worker (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  TrimInput *input = task_data;
  GError *error = NULL;
  guint64 removed = 0;

  if (!tsu_tile_cache_trim (input->cache_dir, input->limit, &removed, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_memdup2 (&removed, sizeof removed), g_free);
}

void
tsu_tile_cache_trim_async (const char          *cache_dir,
                           guint64              limit,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  TrimInput *input = g_new0 (TrimInput, 1);

  g_return_if_fail (cache_dir != NULL);

  input->cache_dir = g_strdup (cache_dir);
  input->limit = limit;
  g_task_set_source_tag (task, tsu_tile_cache_trim_async);
  g_task_set_task_data (task, input, (GDestroyNotify) trim_input_free);
  g_task_run_in_thread (task, trim_worker);
}

gboolean
tsu_tile_cache_trim_finish (GAsyncResult  *result,
                            guint64       *removed_bytes,
                            GError       **error)
{
  g_autofree guint64 *removed = g_task_propagate_pointer (G_TASK (result), error);

  if (removed_bytes != NULL)
    *removed_bytes = removed != NULL ? *removed : 0;
  return removed != NULL;
}
