/* tsu-cli-privacy.h: the "privacy" command of tsunagu-cli
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tsu-store.h"

G_BEGIN_DECLS

int tsu_cli_privacy (TsuStore  *store,
                     int        argc,
                     char     **argv,
                     GError   **error);

G_END_DECLS
