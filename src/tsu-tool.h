/* tsu-tool.h: what the app and the command-line tools do first
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  TSU_TOOL_OPTIONS_OK,
  TSU_TOOL_OPTIONS_HELP,
  TSU_TOOL_OPTIONS_UNKNOWN,
} TsuToolOptions;

void           tsu_tool_init_i18n     (void);
TsuToolOptions tsu_tool_parse_options (int     argc,
                                       char  **argv,
                                       int    *first,
                                       char  **db_path);

G_END_DECLS
