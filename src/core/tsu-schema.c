/* tsu-schema.c: the synced record types and their fields
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tsu-schema.h"

#define TEXT(n)          { n, TSU_FIELD_TEXT, NULL, 0, 0, FALSE }
#define TEXT_REQ(n)      { n, TSU_FIELD_TEXT, NULL, 0, 0, TRUE }
#define INT(n, lo, hi)   { n, TSU_FIELD_INT, NULL, lo, hi, FALSE }
#define REAL(n, lo, hi)  { n, TSU_FIELD_REAL, NULL, lo, hi, FALSE }
#define BOOL(n)          { n, TSU_FIELD_BOOL, NULL, 0, 1, FALSE }
#define DATE(n)          { n, TSU_FIELD_DATE, NULL, 0, 0, FALSE }
#define DATETIME_REQ(n)  { n, TSU_FIELD_DATETIME, NULL, 0, 0, TRUE }
#define REF(n, t)        { n, TSU_FIELD_REF, t, 0, 0, FALSE }
#define REF_REQ(n, t)    { n, TSU_FIELD_REF, t, 0, 0, TRUE }

static const TsuFieldInfo district_fields[] = {
  TEXT_REQ ("name"),
  TEXT ("kana"),
  TEXT ("full_name"),
  TEXT ("area"),              /* the former municipality, e.g. 上野 */
  REAL ("lat", -90, 90),
  REAL ("lon", -180, 180),
  TEXT ("boundary"),          /* GeoJSON geometry text */
  BOOL ("boundary_approximate"),
  BOOL ("unconfirmed"),       /* the name is not confirmed by a public source */
  INT ("sort_order", 0, 100000),
};

static const TsuFieldInfo coordinator_fields[] = {
  TEXT_REQ ("name"),
  TEXT ("kana"),
  TEXT ("districts"),         /* comma-separated district ids */
};

static const TsuFieldInfo category_fields[] = {
  TEXT_REQ ("kind"),          /* contact_type, outcome, support_area, content, relationship */
  TEXT_REQ ("code"),
  TEXT_REQ ("label"),
  INT ("sort_order", 0, 100000),
};

static const TsuFieldInfo agency_fields[] = {
  TEXT_REQ ("name"),
  TEXT ("kana"),
  TEXT ("kind"),
  TEXT ("phone"),
  INT ("sort_order", 0, 100000),
};

static const TsuFieldInfo household_fields[] = {
  REF ("district_id", "district"),
  TEXT ("jichikai"),          /* 自治会 */
  TEXT_REQ ("address"),
  REAL ("lat", -90, 90),
  REAL ("lon", -180, 180),
  TEXT ("location_quality"),  /* exact, approximate, none */
  TEXT ("phone"),
  INT ("flags", 0, G_MAXINT32),
  TEXT ("consent"),           /* yes, no, unknown */
  DATE ("consent_date"),
  TEXT ("consent_scope"),
  TEXT ("minsei_iin"),        /* 担当民生委員 */
  INT ("visit_interval_days", 0, 3650),
  TEXT ("status"),            /* active, moved, deceased */
  TEXT ("status_reason"),
  TEXT ("note"),
  REF ("coordinator_id", "coordinator"),
};

static const TsuFieldInfo resident_fields[] = {
  REF_REQ ("household_id", "household"),
  TEXT_REQ ("name"),
  TEXT ("kana"),
  DATE ("birth_date"),
  TEXT ("relationship"),      /* a relationship category code (head, spouse, …), or free text */
  INT ("position", 0, 1000),
  TEXT ("note"),
};

static const TsuFieldInfo visit_fields[] = {
  REF_REQ ("household_id", "household"),
  DATETIME_REQ ("visited_at"),
  REF ("coordinator_id", "coordinator"),
  TEXT_REQ ("contact_type"),
  TEXT_REQ ("outcome"),
  TEXT ("support_area"),
  TEXT ("categories"),        /* comma-separated content category codes */
  TEXT ("note"),
  TEXT ("referrals"),         /* comma-separated agency ids */
  DATE ("next_follow_up"),
  BOOL ("sensitive"),         /* 要配慮: never in the text of aggregated outputs */
};

static const TsuFieldInfo followup_fields[] = {
  REF_REQ ("household_id", "household"),
  DATE ("due_date"),
  TEXT ("reason"),
  REF ("visit_id", "visit"),      /* the visit that set it */
  DATE ("done_date"),
  REF ("done_visit_id", "visit"), /* the visit that closed it; kept when that
                                   * visit is deleted, so undeleting it closes
                                   * the follow-up again */
};

#define TABLE(n, f, ref, hh) { n, f, G_N_ELEMENTS (f), ref, hh }

static const TsuTableInfo tables[] = {
  /* Order matters: a record's references come before it. */
  TABLE ("district", district_fields, TRUE, NULL),
  TABLE ("coordinator", coordinator_fields, TRUE, NULL),
  TABLE ("category", category_fields, TRUE, NULL),
  TABLE ("agency", agency_fields, TRUE, NULL),
  TABLE ("household", household_fields, FALSE, "id"),
  TABLE ("resident", resident_fields, FALSE, "household_id"),
  TABLE ("visit", visit_fields, FALSE, "household_id"),
  TABLE ("followup", followup_fields, FALSE, "household_id"),
};

const TsuTableInfo *
tsu_schema_get_tables (guint *n_tables)
{
  *n_tables = G_N_ELEMENTS (tables);
  return tables;
}

const TsuTableInfo *
tsu_schema_lookup (const char *table)
{
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    if (g_strcmp0 (tables[i].name, table) == 0)
      return &tables[i];
  return NULL;
}

const TsuFieldInfo *
tsu_table_lookup_field (const TsuTableInfo *table,
                        const char         *field)
{
  for (guint i = 0; i < table->n_fields; i++)
    if (strcmp (table->fields[i].name, field) == 0)
      return &table->fields[i];
  return NULL;
}
