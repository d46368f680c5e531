/* tsu-cli-reports.h: the summary, meeting-map and case-list commands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tsu-store.h"

G_BEGIN_DECLS

int tsu_cli_summary     (TsuStore *store, int argc, char **argv, GError **error);
int tsu_cli_meeting_map (TsuStore *store, int argc, char **argv, GError **error);
int tsu_cli_case_list   (TsuStore *store, int argc, char **argv, GError **error);

G_END_DECLS
