/* tsu-schema.h: the synced record types and their fields
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One table describes every record type the replicas exchange. The store
 * uses it to read and write rows generically, the sync code to validate
 * incoming operations (types, ranges, references) and the changeset format
 * documentation lists exactly these names. A record type's SQL table has the
 * same name, plus the columns id, hlc (creation clock) and deleted.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  TSU_FIELD_TEXT,
  TSU_FIELD_INT,
  TSU_FIELD_REAL,
  TSU_FIELD_BOOL,
  TSU_FIELD_DATE,       /* YYYY-MM-DD text */
  TSU_FIELD_DATETIME,   /* YYYY-MM-DDTHH:MM local time text */
  TSU_FIELD_REF,        /* the id of a record of ref_table */
} TsuFieldType;

typedef struct
{
  const char   *name;        /* column name, also the JSON key */
  TsuFieldType  type;
  const char   *ref_table;   /* for TSU_FIELD_REF */
  double        min;         /* for INT / REAL: the allowed range */
  double        max;
  gboolean      required;    /* must be set when the record is created */
} TsuFieldInfo;

typedef struct
{
  const char         *name;          /* record type and SQL table name */
  const TsuFieldInfo *fields;
  guint               n_fields;
  gboolean            reference;     /* shared reference data, sent to every device */
  const char         *household_field; /* the field that ties a record to a household, or NULL */
} TsuTableInfo;

const TsuTableInfo  *tsu_schema_get_tables (guint *n_tables);
const TsuTableInfo  *tsu_schema_lookup     (const char         *table);
const TsuFieldInfo  *tsu_table_lookup_field (const TsuTableInfo *table,
                                             const char         *field);

G_END_DECLS
