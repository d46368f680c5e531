/* tsu-cli-import.h: import-households and undo-import
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tsu-store.h"

G_BEGIN_DECLS

int tsu_cli_import_households (TsuStore  *store,
                               int        argc,
                               char     **argv,
                               GError   **error);
int tsu_cli_undo_import       (TsuStore  *store,
                               int        argc,
                               char     **argv,
                               GError   **error);

int tsu_cli_town_district     (TsuStore  *store,
                               int        argc,
                               char     **argv,
                               GError   **error);
int tsu_cli_households_to_place (TsuStore  *store,
                                 int        argc,
                                 char     **argv,
                                 GError   **error);

G_END_DECLS
