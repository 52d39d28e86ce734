import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 17: a custodian's effective settlement date is checked against the trade date, so
 * settlement keeps each trade's trade date (null for trades gated before this migration: their
 * lower bound is not checked).
 */
export class SettlementTradeDates1798410000000 implements MigrationInterface {
  name = 'SettlementTradeDates1798410000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('alter table settlement_trades add column trade_date date');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('alter table settlement_trades drop column trade_date');
  }
}
