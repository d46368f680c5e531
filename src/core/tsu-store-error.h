/* tsu-store-error.h: the error domain of the core library
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TSU_STORE_ERROR (tsu_store_error_quark ())

typedef enum
{
  TSU_STORE_ERROR_SQL,          /* SQLite failed */
  TSU_STORE_ERROR_NOT_A_DATABASE, /* the file is not a SQLite database */
  TSU_STORE_ERROR_TOO_NEW,      /* schema or format newer than this program */
  TSU_STORE_ERROR_NOT_FOUND,    /* no such record */
  TSU_STORE_ERROR_INVALID,      /* a value failed validation */
  TSU_STORE_ERROR_FUTURE,       /* a timestamp too far ahead of the local clock */
  TSU_STORE_ERROR_AUTH,         /* unknown device or bad signature */
  TSU_STORE_ERROR_IO,           /* reading or writing a file failed */
  TSU_STORE_ERROR_ALREADY_IMPORTED, /* a changeset not newer than one applied */
} TsuStoreError;

GQuark tsu_store_error_quark (void);

G_END_DECLS
