import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The day a booked trade's cancellation took effect. A settlement the depository reports after
 * the cancellation reached the ledger is still booked (the fact wins), and what settled is put
 * back on the trade-date view as of that day. Trades cancelled before this column existed keep it
 * null and their late settlements are booked without that re-instatement date (there were none:
 * such settlements were refused until now).
 */
export class LedgerCancelledOn1797100000000 implements MigrationInterface {
  name = 'LedgerCancelledOn1797100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('alter table booked_trades add column cancelled_on date');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('alter table booked_trades drop column cancelled_on');
  }
}
