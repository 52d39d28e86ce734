import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 18: the restricted and watch lists keep every period of an ISIN. A change is a new row,
 * never an update: on a date, an ISIN's entry of each kind is the latest-recorded period covering
 * that date (a `lifted` period takes it off the list from its date). So an as-of query and a trade
 * booked late, dated inside an old restriction, still see it, and a RESTRICTED and a WATCH entry of
 * one ISIN coexist.
 */
export class ComplianceRestrictionPeriods1799400000000 implements MigrationInterface {
  name = 'ComplianceRestrictionPeriods1799400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('alter table restricted_list drop constraint restricted_list_pkey');
    await q.query('alter table restricted_list add column period_id bigint generated always as identity primary key');
    await q.query('alter table restricted_list add column lifted boolean not null default false');
    await q.query('create index restricted_list_periods on restricted_list (isin, kind, period_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop index restricted_list_periods');
    await q.query('alter table restricted_list drop column lifted');
    await q.query('alter table restricted_list drop column period_id');
    await q.query(`delete from restricted_list a using restricted_list b where a.isin = b.isin and a.updated_at < b.updated_at`);
    await q.query('alter table restricted_list add primary key (isin)');
  }
}
