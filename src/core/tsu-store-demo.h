/* tsu-store-demo.h: store settings for bulk writes (the demo generator)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tsu-store.h"

G_BEGIN_DECLS

gboolean tsu_store_set_bulk_cache (TsuStore  *self,
                                   gboolean   bulk,
                                   GError   **error);

G_END_DECLS
