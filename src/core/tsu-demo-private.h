/* tsu-demo-private.h: the embedded tables of the demo city
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  const char *name;        /* short name, e.g. 上野南部 */
  const char *kana;
  const char *full_name;   /* e.g. 上野南部地区住民自治協議会 */
  const char *area;        /* the former municipality, e.g. 上野 */
  double      lat;         /* household-weighted centre of its places */
  double      lon;
  gboolean    unconfirmed; /* the name is not confirmed by a public source */
} TsuDemoDistrict;

typedef struct
{
  const char *town;        /* 町・字 as written in addresses, e.g. 上野丸之内 */
  guint       district;    /* index into tsu_demo_districts */
  double      lat;
  double      lon;
  guint       households;  /* households in 2015: the weight of the place */
  guint       radius;      /* jitter scale in metres */
} TsuDemoPlace;

extern const TsuDemoDistrict tsu_demo_districts[];
extern const guint tsu_demo_n_districts;
extern const TsuDemoPlace tsu_demo_places[];
extern const guint tsu_demo_n_places;

G_END_DECLS
