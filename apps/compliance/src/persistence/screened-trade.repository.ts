import type { EntityManager } from 'typeorm';
import { Decimal } from '@postrade/kernel';
import type { BookDayActivity, WashTradeCandidate } from '../domain/compliance-checks';
import type { ScreenedTrade } from '../domain/screened-trade';

/** A settlement waiting for trades compliance has not screened yet. */
export interface ParkedSettlement {
  eventId: string;
  tradeIds: string[];
  settledAmount: string;
  settledInFull: boolean;
  parkedAt: string;
}

interface TradeVersionRow {
  trade_id: string;
  version: number;
  status: string;
  closed_at: Date | null;
}

/** What one trade adds to its book-day's equity activity. */
export interface BookDayContribution {
  key: string;
  shares: Decimal;
  usdNotional: Decimal;
}

export const bookDayKey = (book: string, tradeDate: string): string => `${book}\u0000${tradeDate}`;

/** The trades compliance screened, as far as exposure, wash-trade and large-trader checks need them. */
export class ScreenedTradeRepository {
  /** The stored version of a trade, locked for the rest of the transaction. */
  async lock(em: EntityManager, tradeId: string): Promise<{ version: number; status: string; closed: boolean } | null> {
    const rows: TradeVersionRow[] = await em.query('select trade_id, version, status, closed_at from screened_trades where trade_id = $1 for update', [tradeId]);
    const row = rows[0];
    return row ? { version: row.version, status: row.status, closed: row.closed_at !== null } : null;
  }

  /** The stored versions of a batch's trades, locked in id order. */
  async lockMany(em: EntityManager, tradeIds: readonly string[]): Promise<Map<string, { version: number; status: string; closed: boolean }>> {
    const rows: TradeVersionRow[] = await em.query('select trade_id, version, status, closed_at from screened_trades where trade_id = any($1::uuid[]) order by trade_id for update', [
      [...new Set(tradeIds)],
    ]);
    return new Map(rows.map((r) => [r.trade_id, { version: r.version, status: r.status, closed: r.closed_at !== null }]));
  }

  /** Stores a trade version; the unsettled amount starts at the net amount, less what already settled. */
  async save(em: EntityManager, trade: ScreenedTrade): Promise<void> {
    const closedAt = trade.status === 'CANCELLED' ? 'now()' : 'null';
    await em.query(
      `insert into screened_trades (trade_id, version, status, trade_date, executed_at, side, isin, quantity, price, currency, gross_amount,
         net_amount, unsettled_amount, book, counterparty_lei, legal_entity_lei, updated_at, closed_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, abs($12::numeric), $13, $14, $15, now(), ${closedAt})
       on conflict (trade_id) do update set version = excluded.version, status = excluded.status, trade_date = excluded.trade_date,
         executed_at = excluded.executed_at, side = excluded.side, isin = excluded.isin, quantity = excluded.quantity, price = excluded.price,
         currency = excluded.currency, gross_amount = excluded.gross_amount, net_amount = excluded.net_amount,
         -- what already settled stays settled when a version changes the amount
         unsettled_amount = greatest(excluded.unsettled_amount - (abs(screened_trades.net_amount) - screened_trades.unsettled_amount), 0), book = excluded.book, counterparty_lei = excluded.counterparty_lei,
         legal_entity_lei = excluded.legal_entity_lei, updated_at = now(), closed_at = excluded.closed_at`,
      [
        trade.tradeId, trade.version, trade.status, trade.tradeDate, trade.executedAt, trade.side, trade.isin, trade.quantity.toFixed(),
        trade.price.toFixed(), trade.currency, trade.grossAmount.toFixed(), trade.netAmount.toFixed(), trade.book, trade.counterparty.lei,
        trade.legalEntityLei,
      ],
    );
  }

  async cancel(em: EntityManager, tradeId: string, version: number): Promise<void> {
    await em.query(`update screened_trades set status = 'CANCELLED', version = $2, updated_at = now(), closed_at = now() where trade_id = $1`, [tradeId, version]);
  }

  /** Unsettled amount of the counterparty's open trades in a currency, other than `exceptTradeId`. */
  async openExposure(em: EntityManager, counterpartyLei: string, currency: string, exceptTradeId: string): Promise<Decimal> {
    const rows: { total: string }[] = await em.query(
      `select coalesce(sum(unsettled_amount), 0)::text as total from screened_trades
       where counterparty_lei = $1 and currency = $2 and closed_at is null and trade_id <> $3`,
      [counterpartyLei, currency, exceptTradeId],
    );
    return new Decimal(rows[0].total);
  }

  /** Opposite-side trades of the same book, ISIN and quantity executed within `seconds` of `executedAt`. */
  async washTradeCandidates(em: EntityManager, trade: ScreenedTrade, seconds: number): Promise<WashTradeCandidate[]> {
    const rows: { trade_id: string; side: 'BUY' | 'SELL'; executed_at: Date; price: string; quantity: string; book: string; isin: string }[] = await em.query(
      `select trade_id, side, executed_at, price::text, quantity::text, book, isin from screened_trades
       where book = $1 and isin = $2 and quantity = $3 and status <> 'CANCELLED' and side <> $4 and trade_id <> $5
         and executed_at between $6::timestamptz - make_interval(secs => $7) and $6::timestamptz + make_interval(secs => $7)`,
      [trade.book, trade.isin, trade.quantity.toFixed(), trade.side, trade.tradeId, trade.executedAt, seconds],
    );
    return rows.map((r) => ({
      tradeId: r.trade_id,
      side: r.side,
      executedAt: r.executed_at.toISOString(),
      price: new Decimal(r.price),
      quantity: new Decimal(r.quantity),
      book: r.book,
      isin: r.isin,
    }));
  }

  /**
   * What the given trades (as stored) add to their book-days' equity activity: the batch reads it
   * before it stores new versions, so that the large-trader check sees the book-day as it was.
   */
  async bookDayContributions(em: EntityManager, tradeIds: readonly string[]): Promise<Map<string, BookDayContribution>> {
    const rows: { trade_id: string; book: string; trade_date: string; quantity: string; usd_notional: string }[] = await em.query(
      `select t.trade_id, t.book, t.trade_date::text as trade_date, t.quantity::text as quantity,
              (case when t.currency = 'USD' then abs(t.gross_amount) else 0 end)::text as usd_notional
         from screened_trades t left join instruments i on i.isin = t.isin
        where t.trade_id = any($1::uuid[]) and t.status <> 'CANCELLED' and coalesce(i.asset_class, 'EQUITY') in ('EQUITY', 'ETF')`,
      [[...new Set(tradeIds)]],
    );
    return new Map(rows.map((r) => [r.trade_id, { key: bookDayKey(r.book, r.trade_date), shares: new Decimal(r.quantity), usdNotional: new Decimal(r.usd_notional) }]));
  }

  /**
   * Locks the book-days a batch trades on, in (book, date) order, so that two batches cross a
   * large-trader threshold one after the other; returns each book-day's equity activity apart from
   * the trades in `exceptTradeIds` (the batch's own, which the caller adds in its order).
   */
  async lockBookDays(em: EntityManager, bookDays: readonly { book: string; tradeDate: string }[], exceptTradeIds: readonly string[]): Promise<Map<string, BookDayActivity>> {
    const keys = [...new Map(bookDays.map((d) => [bookDayKey(d.book, d.tradeDate), d])).values()].sort((a, b) =>
      a.book !== b.book ? (a.book < b.book ? -1 : 1) : a.tradeDate < b.tradeDate ? -1 : a.tradeDate > b.tradeDate ? 1 : 0,
    );
    const activity = new Map<string, BookDayActivity>();
    if (keys.length === 0) return activity;
    const books = keys.map((k) => k.book);
    const dates = keys.map((k) => k.tradeDate);
    await em.query(
      `insert into book_days (book, trade_date)
       select d.book, d.trade_date from unnest($1::text[], $2::date[]) with ordinality as d(book, trade_date, ord)
        where not exists (select 1 from book_days b where b.book = d.book and b.trade_date = d.trade_date)
        order by d.ord
       on conflict do nothing`,
      [books, dates],
    );
    await em.query(
      `select 1 from book_days b join unnest($1::text[], $2::date[]) as d(book, trade_date) on b.book = d.book and b.trade_date = d.trade_date
        order by b.book, b.trade_date for update of b`,
      [books, dates],
    );
    const rows: { book: string; trade_date: string; shares: string; usd_notional: string }[] = await em.query(
      `select t.book, t.trade_date::text as trade_date, coalesce(sum(t.quantity), 0)::text as shares,
              coalesce(sum(abs(t.gross_amount)) filter (where t.currency = 'USD'), 0)::text as usd_notional
         from screened_trades t
         join unnest($1::text[], $2::date[]) as d(book, trade_date) on t.book = d.book and t.trade_date = d.trade_date
         left join instruments i on i.isin = t.isin
        where t.status <> 'CANCELLED' and not (t.trade_id = any($3::uuid[]))
          and coalesce(i.asset_class, 'EQUITY') in ('EQUITY', 'ETF')
        group by t.book, t.trade_date`,
      [books, dates, [...new Set(exceptTradeIds)]],
    );
    for (const k of keys) activity.set(bookDayKey(k.book, k.tradeDate), { shares: new Decimal(0), usdNotional: new Decimal(0) });
    for (const r of rows) activity.set(bookDayKey(r.book, r.trade_date), { shares: new Decimal(r.shares), usdNotional: new Decimal(r.usd_notional) });
    return activity;
  }

  /** Open trades of a counterparty (neither cancelled nor fully settled). */
  async openTradeIdsOf(em: EntityManager, counterpartyLei: string): Promise<{ tradeId: string; version: number }[]> {
    const rows: { trade_id: string; version: number }[] = await em.query(
      'select trade_id, version from screened_trades where counterparty_lei = $1 and closed_at is null order by trade_id for update',
      [counterpartyLei],
    );
    return rows.map((r) => ({ tradeId: r.trade_id, version: r.version }));
  }

  /**
   * Lowers the unsettled amounts of the trades an instruction settles by `settledAmount`, trade by
   * trade in id order, or to zero when `settledInFull`; a trade with nothing left unsettled closes.
   */
  async settle(em: EntityManager, tradeIds: string[], settledAmount: Decimal, settledInFull: boolean): Promise<void> {
    const rows: { trade_id: string; unsettled_amount: string }[] = await em.query(
      'select trade_id, unsettled_amount::text from screened_trades where trade_id = any($1::uuid[]) and closed_at is null order by trade_id for update',
      [tradeIds],
    );
    let remaining = settledAmount.abs();
    for (const row of rows) {
      const unsettled = new Decimal(row.unsettled_amount);
      const settled = settledInFull ? unsettled : Decimal.min(unsettled, remaining);
      remaining = remaining.minus(settled);
      const left = unsettled.minus(settled);
      await em.query(`update screened_trades set unsettled_amount = $2, closed_at = case when $2::numeric = 0 then now() else null end where trade_id = $1`, [
        row.trade_id,
        left.toFixed(),
      ]);
    }
  }

  /** The ids among `tradeIds` that compliance has screened. */
  async knownTradeIds(em: EntityManager, tradeIds: string[]): Promise<Set<string>> {
    const rows: { trade_id: string }[] = await em.query('select trade_id from screened_trades where trade_id = any($1::uuid[])', [tradeIds]);
    return new Set(rows.map((r) => r.trade_id));
  }

  async parkSettlement(em: EntityManager, eventId: string, settlement: { tradeIds: string[]; settledAmount: Decimal; settledInFull: boolean }): Promise<void> {
    await em.query('insert into parked_settlements (event_id, trade_ids, settled_amount, settled_in_full) values ($1, $2, $3, $4)', [
      eventId,
      settlement.tradeIds,
      settlement.settledAmount.toFixed(),
      settlement.settledInFull,
    ]);
  }

  /** Parked settlements naming any of `tradeIds`, oldest first, removed from the parking lot (the caller applies or re-parks them). */
  async unparkSettlements(em: EntityManager, tradeIds: readonly string[]): Promise<{ eventId: string; tradeIds: string[]; settledAmount: Decimal; settledInFull: boolean }[]> {
    const rows: { event_id: string; trade_ids: string[]; settled_amount: string; settled_in_full: boolean }[] = await em.query(
      `with gone as (delete from parked_settlements where trade_ids && $1::uuid[] returning *)
       select event_id, trade_ids, settled_amount::text, settled_in_full from gone order by parked_at, event_id`,
      [[...new Set(tradeIds)]],
    );
    return rows.map((r) => ({ eventId: r.event_id, tradeIds: r.trade_ids, settledAmount: new Decimal(r.settled_amount), settledInFull: r.settled_in_full }));
  }

  /** Settlements waiting for their trades, oldest first, after `after`. */
  async parkedSettlements(
    em: EntityManager,
    limit: number,
    after?: { parkedAt: string; eventId: string },
  ): Promise<ParkedSettlement[]> {
    const rows: { event_id: string; trade_ids: string[]; settled_amount: string; settled_in_full: boolean; parked_at: Date }[] = await em.query(
      `select event_id, trade_ids, settled_amount::text, settled_in_full, parked_at from parked_settlements
       where ($1::timestamptz is null or (parked_at, event_id) > ($1::timestamptz, $2::uuid)) order by parked_at, event_id limit $3`,
      [after?.parkedAt ?? null, after?.eventId ?? null, limit],
    );
    return rows.map((r) => ({ eventId: r.event_id, tradeIds: r.trade_ids, settledAmount: r.settled_amount, settledInFull: r.settled_in_full, parkedAt: r.parked_at.toISOString() }));
  }
}
