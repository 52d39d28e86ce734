import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `GET /api/v1/parked-actions` pages by a cursor whose `parked_at` travels as an ISO instant, to the
 * millisecond; actions parked in one transaction share its microsecond `now()`, later than their own
 * cursor, so a page could come back again. Parking times are kept to the millisecond.
 */
export class TradeCaptureParkedMillis1764461000000 implements MigrationInterface {
  name = 'TradeCaptureParkedMillis1764461000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('alter table parked_trade_actions alter column parked_at type timestamptz(3)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('alter table parked_trade_actions alter column parked_at type timestamptz');
  }
}
