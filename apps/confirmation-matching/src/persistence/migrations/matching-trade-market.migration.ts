import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each trade's settlement market, for the same-day affirmation cutoff of US trades (SEC 15c6-2:
 * 9 pm New York time on the trade date) that the match queues show. Trades stored before this
 * have none (no cutoff shown) until their next version.
 */
export class MatchingTradeMarket1733000000007 implements MigrationInterface {
  name = 'MatchingTradeMarket1733000000007';

  async up(q: QueryRunner): Promise<void> {
    await q.query('alter table trades add column settlement_market text');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('alter table trades drop column settlement_market');
  }
}
