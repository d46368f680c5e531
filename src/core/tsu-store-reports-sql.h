/* tsu-store-reports-sql.h: the schema the reports add to the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * visit_period covers every column the summaries read, so a year of a
 * whole city is one range scan of the index instead of one random row
 * read per visit.
 *
 * Every export of personal data for a case conference is recorded here:
 * who, when, which households and where to. Like the operation log the
 * table is append-only; triggers refuse updates and deletes.
 */
#pragma once

#define TSU_STORE_SQL_REPORTS \
  "CREATE INDEX visit_period ON visit (visited_at, household_id, deleted, sensitive," \
  "  support_area, contact_type, outcome, categories);" \
  "CREATE TABLE export_audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL," \
  "  replica TEXT NOT NULL, actor TEXT, kind TEXT NOT NULL, household_ids TEXT NOT NULL, target TEXT);" \
  "CREATE TRIGGER export_audit_no_update BEFORE UPDATE ON export_audit BEGIN SELECT RAISE(ABORT, 'the export audit is append-only'); END;" \
  "CREATE TRIGGER export_audit_no_delete BEFORE DELETE ON export_audit BEGIN SELECT RAISE(ABORT, 'the export audit is append-only'); END;"

/* Version 7: why a case list holds households without recorded consent. */
#define TSU_STORE_SQL_EXPORT_REASON \
  "ALTER TABLE export_audit ADD COLUMN reason TEXT;"
