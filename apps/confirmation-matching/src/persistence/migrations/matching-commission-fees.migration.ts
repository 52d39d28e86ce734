import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Commission and fees on both sides, so that a matching profile can compare them (FIX 774 codes 8 and 12). */
export class MatchingCommissionFees1733000000004 implements MigrationInterface {
  name = 'MatchingCommissionFees1733000000004';

  async up(q: QueryRunner): Promise<void> {
    await q.query('alter table trades add column commission numeric, add column fees numeric');
    await q.query('alter table confirmations add column commission numeric, add column fees numeric');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('alter table confirmations drop column commission, drop column fees');
    await q.query('alter table trades drop column commission, drop column fees');
  }
}
