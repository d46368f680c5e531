/* tsu-cli-sync.h: tsunagu-cli's sync commands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tsu-store.h"

G_BEGIN_DECLS

int tsu_cli_export_changeset  (TsuStore *store, int argc, char **argv, GError **error);
int tsu_cli_import_changeset  (TsuStore *store, int argc, char **argv, GError **error);
int tsu_cli_register_with_hub (TsuStore *store, int argc, char **argv, GError **error);
int tsu_cli_list_conflicts    (TsuStore *store, int argc, char **argv, GError **error);
int tsu_cli_resolve_conflict  (TsuStore *store, int argc, char **argv, GError **error);

G_END_DECLS
