import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each book-day keeps its NMS-equity totals (shares, USD notional) beside the lock that serialises
 * its large-trader check. Before, every batch summed the whole book-day's trades again under that
 * lock — one more index probe per trade of the day, so a batch late in a busy day read thousands
 * of rows while every other partition waited for it. A batch now reads the totals it locks and
 * writes them back with its own trades' changes.
 */
export class ComplianceBookDayTotals1799200000000 implements MigrationInterface {
  name = 'ComplianceBookDayTotals1799200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('alter table book_days add column shares numeric not null default 0, add column usd_notional numeric not null default 0');
    await q.query(`
      insert into book_days (book, trade_date)
      select distinct t.book, t.trade_date from screened_trades t where t.status <> 'CANCELLED'
      on conflict do nothing`);
    await q.query(`
      update book_days b set shares = s.shares, usd_notional = s.usd_notional
        from (select t.book, t.trade_date, sum(t.quantity) as shares,
                     coalesce(sum(abs(t.gross_amount)) filter (where t.currency = 'USD'), 0) as usd_notional
                from screened_trades t left join instruments i on i.isin = t.isin
               where t.status <> 'CANCELLED' and coalesce(i.asset_class, 'EQUITY') in ('EQUITY', 'ETF')
               group by t.book, t.trade_date) s
       where b.book = s.book and b.trade_date = s.trade_date`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('alter table book_days drop column shares, drop column usd_notional');
  }
}
