/* tsu-demo.h: a deterministic demo city
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tsu-store.h"

G_BEGIN_DECLS

#define TSU_DEMO_ERROR (tsu_demo_error_quark ())

typedef enum
{
  TSU_DEMO_ERROR_NOT_EMPTY,   /* the database already holds households */
  TSU_DEMO_ERROR_INVALID,     /* an option is out of range */
} TsuDemoError;

typedef enum
{
  TSU_DEMO_SIZE_SMALL,        /* 300 households: for tests */
  TSU_DEMO_SIZE_IGA,          /* 40,000 households, ≈ 85,000 residents, ≈ 200,000 visits */
  TSU_DEMO_SIZE_TENFOLD,      /* 400,000 households */
} TsuDemoSize;

#define TSU_DEMO_DEFAULT_HOUSEHOLDS 40000
#define TSU_DEMO_DEFAULT_SEED       1
#define TSU_DEMO_DEFAULT_YEARS      5
#define TSU_DEMO_MAX_HOUSEHOLDS     2000000

typedef struct
{
  guint     households;   /* how many households */
  guint32   seed;         /* same seed (and today) → identical records */
  guint     years;        /* of visit history before today */
  GDate     today;        /* visits end here; invalid = the current local date */
} TsuDemoOptions;

/* Called from the thread that generates, with 0 ≤ fraction ≤ 1 and what is
 * being written ("households", "residents", "visits", …). */
typedef void (*TsuDemoProgressFunc) (double      fraction,
                                     const char *stage,
                                     gpointer    user_data);

GQuark    tsu_demo_error_quark        (void);

void      tsu_demo_options_init       (TsuDemoOptions       *options,
                                       TsuDemoSize           size);
gboolean  tsu_demo_size_from_string   (const char           *text,
                                       TsuDemoSize          *size);

gboolean  tsu_demo_generate           (TsuStore             *store,
                                       const TsuDemoOptions *options,
                                       TsuDemoProgressFunc   progress,
                                       gpointer              progress_data,
                                       GCancellable         *cancellable,
                                       GError              **error);

void      tsu_demo_generate_async     (TsuStore             *store,
                                       const TsuDemoOptions *options,
                                       TsuDemoProgressFunc   progress,
                                       gpointer              progress_data,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
gboolean  tsu_demo_generate_finish    (TsuStore             *store,
                                       GAsyncResult         *result,
                                       GError              **error);

char     *tsu_demo_record_id          (guint32               seed,
                                       const char           *table,
                                       guint                 index);

G_END_DECLS
