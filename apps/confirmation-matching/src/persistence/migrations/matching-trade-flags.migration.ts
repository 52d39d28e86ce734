import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Whether a trade has breaks and operator exclusions, kept on its row by the statements that write
 * them: matching reads the trades of 500 pairing keys a batch, and two index probes a trade (into
 * `match_breaks` and `match_exclusions`, which are empty for most trades) were a third of that read.
 */
export class MatchingTradeFlags1733000000002 implements MigrationInterface {
  name = 'MatchingTradeFlags1733000000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      alter table trades
        add column has_breaks boolean not null default false,
        add column has_exclusions boolean not null default false`);
    await q.query(`
      update trades t set
        has_breaks = exists (select from match_breaks b where b.trade_id = t.trade_id),
        has_exclusions = exists (select from match_exclusions e where e.trade_id = t.trade_id)
      where exists (select from match_breaks b where b.trade_id = t.trade_id)
         or exists (select from match_exclusions e where e.trade_id = t.trade_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('alter table trades drop column has_breaks, drop column has_exclusions');
  }
}
