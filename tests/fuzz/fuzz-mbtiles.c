/* fuzz-mbtiles.c: libFuzzer target for the MBTiles tile-pack reader
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A tile pack is a file the user opens: any bytes may arrive. The input is
 * written to a file and opened as a pack; the metadata (name, attribution,
 * zoom range) is read and a few tiles are fetched. Every refusal must carry
 * a message, and nothing may crash or leak.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "tsu-mbtiles.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TsuMbtiles) pack = NULL;
  int fd;

  fd = g_file_open_tmp ("fuzz-XXXXXX.mbtiles", &path, NULL);
  if (fd < 0)
    return 0;
  if (write (fd, data, size) != (ssize_t) size)
    {
      close (fd);
      g_unlink (path);
      return 0;
    }
  close (fd);

  pack = tsu_mbtiles_new (path, &error);
  if (pack == NULL)
    {
      if (error == NULL || error->message == NULL || *error->message == '\0')
        abort ();
    }
  else
    {
      if (tsu_mbtiles_get_min_zoom (pack) > tsu_mbtiles_get_max_zoom (pack))
        abort ();
      (void) tsu_mbtiles_get_name (pack);
      (void) tsu_mbtiles_get_attribution (pack);
      for (int z = 0; z < 3; z++)
        {
          g_autoptr(GError) tile_error = NULL;
          g_autoptr(GBytes) tile = tsu_mbtiles_read_tile (pack, 0, 0, z, &tile_error);

          if (tile == NULL && (tile_error == NULL || tile_error->message == NULL))
            abort ();
        }
    }

  g_clear_object (&pack);
  g_unlink (path);
  return 0;
}
