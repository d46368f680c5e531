/* fuzz-geojson.c: libFuzzer target for GeoJSON district boundaries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input goes to the boundary file reader (with and without a name
 * property) and to the reader of a stored geometry (district.boundary).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "tsu-geojson.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check_refusal (GError *error)
{
  /* Every refusal says why. */
  if (error == NULL || error->message == NULL || *error->message == '\0')
    abort ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char *properties[] = { "name", "N03_004" };
  g_autofree char *text = g_strndup ((const char *) data, size);

  for (guint p = 0; p < G_N_ELEMENTS (properties); p++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) features = tsu_geojson_parse_boundaries ((const char *) data, (gssize) size,
                                                                    "fuzz.geojson", properties[p], &error);

      if (features == NULL)
        check_refusal (error);
      else
        for (guint i = 0; i < features->len; i++)
          {
            TsuGeoFeature *feature = features->pdata[i];

            if (feature->shape == NULL)
              abort ();
          }
    }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TsuShape) shape = tsu_geojson_parse_geometry (text, &error);

    if (shape == NULL)
      check_refusal (error);
  }
  return 0;
}
