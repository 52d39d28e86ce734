import type { EntityManager } from 'typeorm';
import { Decimal } from '@postrade/kernel';
import type { BookDayActivity, WashTradeCandidate } from '../domain/compliance-checks';
import type { ScreenedTrade } from '../domain/screened-trade';

/** A trade as compliance stored it, as far as a batch that changes it needs to know. */
export interface StoredScreenedTrade {
  version: number;
  status: string;
  closed: boolean;
  side: ScreenedTrade['side'];
  isin: string;
  book: string;
  quantity: Decimal;
  price: Decimal;
  currency: string;
  netAmount: Decimal;
  unsettled: Decimal;
  executedAt: string;
  counterpartyLei: string;
}

interface StoredTradeRow {
  trade_id: string;
  version: number;
  status: string;
  side: ScreenedTrade['side'];
  isin: string;
  book: string;
  quantity: string;
  price: string;
  currency: string;
  net_amount: string;
  unsettled_amount: string;
  executed_at: Date;
  counterparty_lei: string;
  closed_at: Date | null;
}

function storedTradeOf(r: StoredTradeRow): StoredScreenedTrade {
  return {
    version: r.version,
    status: r.status,
    closed: r.closed_at !== null,
    side: r.side,
    isin: r.isin,
    book: r.book,
    quantity: new Decimal(r.quantity),
    price: new Decimal(r.price),
    currency: r.currency,
    netAmount: new Decimal(r.net_amount),
    unsettled: new Decimal(r.unsettled_amount),
    executedAt: r.executed_at.toISOString(),
    counterpartyLei: r.counterparty_lei,
  };
}

/** What one trade adds to its book-day's equity activity. */
export interface BookDayContribution {
  key: string;
  shares: Decimal;
  usdNotional: Decimal;
}

export const bookDayKey = (book: string, tradeDate: string): string => `${book}\u0000${tradeDate}`;

/** (book, date) order: the one order every writer locks book-days in. */
const byBookDay = (a: { book: string; tradeDate: string }, b: { book: string; tradeDate: string }): number =>
  a.book !== b.book ? (a.book < b.book ? -1 : 1) : a.tradeDate < b.tradeDate ? -1 : a.tradeDate > b.tradeDate ? 1 : 0;

const bookDayOfKey = (key: string): { book: string; tradeDate: string } => {
  const [book, tradeDate] = key.split('\u0000');
  return { book, tradeDate };
};

/** The trades compliance screened, as far as exposure, wash-trade and large-trader checks need them. */
export class ScreenedTradeRepository {
  /**
   * The stored rows of a batch's trades, locked in id order: the batch then screens against them in
   * memory (exposure, wash trades) and writes its versions back with one statement.
   */
  async lockMany(em: EntityManager, tradeIds: readonly string[]): Promise<Map<string, StoredScreenedTrade>> {
    const rows: StoredTradeRow[] = await em.query(
      `select trade_id, version, status, side, isin, book, quantity::text, price::text, currency, net_amount::text, unsettled_amount::text,
              executed_at, counterparty_lei, closed_at
         from screened_trades where trade_id = any($1::uuid[]) order by trade_id for update`,
      [[...new Set(tradeIds)]],
    );
    return new Map(rows.map((r) => [r.trade_id, storedTradeOf(r)]));
  }

  /**
   * Writes the final state of each trade a batch changed, with one statement: the terms of its
   * latest version, the unsettled amount and whether it is closed as the batch worked them out.
   */
  async saveMany(em: EntityManager, trades: readonly { trade: ScreenedTrade; unsettled: Decimal; closed: boolean }[]): Promise<void> {
    if (trades.length === 0) return;
    const rows = trades.map(({ trade, unsettled, closed }) => ({
      trade_id: trade.tradeId,
      version: trade.version,
      status: trade.status,
      trade_date: trade.tradeDate,
      executed_at: trade.executedAt,
      side: trade.side,
      isin: trade.isin,
      quantity: trade.quantity.toFixed(),
      price: trade.price.toFixed(),
      currency: trade.currency,
      gross_amount: trade.grossAmount.toFixed(),
      net_amount: trade.netAmount.toFixed(),
      unsettled_amount: unsettled.toFixed(),
      book: trade.book,
      counterparty_lei: trade.counterparty.lei,
      legal_entity_lei: trade.legalEntityLei,
      closed,
    }));
    await em.query(
      `insert into screened_trades (trade_id, version, status, trade_date, executed_at, side, isin, quantity, price, currency, gross_amount,
         net_amount, unsettled_amount, book, counterparty_lei, legal_entity_lei, updated_at, closed_at)
       select r.trade_id, r.version, r.status, r.trade_date, r.executed_at, r.side, r.isin, r.quantity, r.price, r.currency, r.gross_amount,
              r.net_amount, r.unsettled_amount, r.book, r.counterparty_lei, r.legal_entity_lei, now(), case when r.closed then now() end
         from json_to_recordset($1::json) as r(trade_id uuid, version int, status text, trade_date date, executed_at timestamptz, side text, isin text,
              quantity numeric, price numeric, currency text, gross_amount numeric, net_amount numeric, unsettled_amount numeric, book text,
              counterparty_lei text, legal_entity_lei text, closed boolean)
        order by r.trade_id
       on conflict (trade_id) do update set version = excluded.version, status = excluded.status, trade_date = excluded.trade_date,
         executed_at = excluded.executed_at, side = excluded.side, isin = excluded.isin, quantity = excluded.quantity, price = excluded.price,
         currency = excluded.currency, gross_amount = excluded.gross_amount, net_amount = excluded.net_amount,
         unsettled_amount = excluded.unsettled_amount, book = excluded.book, counterparty_lei = excluded.counterparty_lei,
         legal_entity_lei = excluded.legal_entity_lei, updated_at = now(), closed_at = excluded.closed_at`,
      [JSON.stringify(rows)],
    );
  }

  /** A cancellation: the stored terms stay, the trade closes. */
  async cancel(em: EntityManager, tradeId: string, version: number): Promise<void> {
    await em.query(`update screened_trades set status = 'CANCELLED', version = $2, updated_at = now(), closed_at = now() where trade_id = $1`, [tradeId, version]);
  }

  /**
   * Unsettled amount of the open trades of each (counterparty, currency), other than `exceptTradeIds`
   * (the batch's own, which the batch adds as it goes), keyed by `limitKey`-style `lei\u0000currency`.
   */
  async openExposures(em: EntityManager, keys: readonly { lei: string; currency: string }[], exceptTradeIds: readonly string[]): Promise<Map<string, Decimal>> {
    const totals = new Map<string, Decimal>();
    if (keys.length === 0) return totals;
    const rows: { lei: string; currency: string; total: string }[] = await em.query(
      `select t.counterparty_lei as lei, t.currency, sum(t.unsettled_amount)::text as total
         from screened_trades t join unnest($1::text[], $2::text[]) as k(lei, currency) on t.counterparty_lei = k.lei and t.currency = k.currency
        where t.closed_at is null and not (t.trade_id = any($3::uuid[]))
        group by t.counterparty_lei, t.currency`,
      [keys.map((k) => k.lei), keys.map((k) => k.currency), [...new Set(exceptTradeIds)]],
    );
    for (const r of rows) totals.set(`${r.lei}\u0000${r.currency}`, new Decimal(r.total));
    return totals;
  }

  /**
   * Stored opposite-side trades of the same book, ISIN and quantity executed within `seconds` of
   * any of `trades`, other than `exceptTradeIds` (the batch's own, which the batch checks in memory).
   */
  async washTradeCandidates(em: EntityManager, trades: readonly ScreenedTrade[], seconds: number, exceptTradeIds: readonly string[]): Promise<WashTradeCandidate[]> {
    if (trades.length === 0) return [];
    const rows: { trade_id: string; side: 'BUY' | 'SELL'; executed_at: Date; price: string; quantity: string; book: string; isin: string }[] = await em.query(
      `select distinct t.trade_id, t.side, t.executed_at, t.price::text, t.quantity::text, t.book, t.isin
         from screened_trades t
         join unnest($1::text[], $2::text[], $3::numeric[], $4::text[], $5::timestamptz[]) as d(book, isin, quantity, side, executed_at)
           on t.book = d.book and t.isin = d.isin and t.quantity = d.quantity and t.side <> d.side
          and t.executed_at between d.executed_at - make_interval(secs => $6) and d.executed_at + make_interval(secs => $6)
        where t.status <> 'CANCELLED' and not (t.trade_id = any($7::uuid[]))`,
      [
        trades.map((t) => t.book),
        trades.map((t) => t.isin),
        trades.map((t) => t.quantity.toFixed()),
        trades.map((t) => t.side),
        trades.map((t) => t.executedAt),
        seconds,
        [...new Set(exceptTradeIds)],
      ],
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
   * Locks the book-days a batch trades on or takes trades from, in (book, date) order, so that two
   * batches cross a large-trader threshold one after the other; returns each book-day's equity
   * activity apart from the batch's changing trades (their stored contributions, `changingAsStored`,
   * taken off the totals: the caller adds their new versions in its order).
   */
  async lockBookDays(
    em: EntityManager,
    bookDays: readonly { book: string; tradeDate: string }[],
    changingAsStored: ReadonlyMap<string, BookDayContribution>,
  ): Promise<Map<string, BookDayActivity>> {
    const all = [...bookDays, ...[...changingAsStored.values()].map((c) => bookDayOfKey(c.key))];
    const keys = [...new Map(all.map((d) => [bookDayKey(d.book, d.tradeDate), d])).values()].sort(byBookDay);
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
    const rows: { book: string; trade_date: string; shares: string; usd_notional: string }[] = await em.query(
      `select b.book, b.trade_date::text as trade_date, b.shares::text as shares, b.usd_notional::text as usd_notional
         from book_days b join unnest($1::text[], $2::date[]) as d(book, trade_date) on b.book = d.book and b.trade_date = d.trade_date
        order by b.book, b.trade_date for update of b`,
      [books, dates],
    );
    for (const r of rows) activity.set(bookDayKey(r.book, r.trade_date), { shares: new Decimal(r.shares), usdNotional: new Decimal(r.usd_notional) });
    for (const c of changingAsStored.values()) {
      const total = activity.get(c.key)!;
      activity.set(c.key, { shares: total.shares.minus(c.shares), usdNotional: total.usdNotional.minus(c.usdNotional) });
    }
    return activity;
  }

  /** Writes the book-days' totals a batch worked out (rows it has locked), in (book, date) order. */
  async saveBookDayTotals(em: EntityManager, totals: ReadonlyMap<string, BookDayActivity>): Promise<void> {
    if (totals.size === 0) return;
    const rows = [...totals].map(([key, t]) => ({ ...bookDayOfKey(key), shares: t.shares.toFixed(), usdNotional: t.usdNotional.toFixed() }));
    rows.sort(byBookDay);
    await em.query(
      `update book_days b set shares = d.shares, usd_notional = d.usd_notional
         from unnest($1::text[], $2::date[], $3::numeric[], $4::numeric[]) as d(book, trade_date, shares, usd_notional)
        where b.book = d.book and b.trade_date = d.trade_date`,
      [rows.map((r) => r.book), rows.map((r) => r.tradeDate), rows.map((r) => r.shares), rows.map((r) => r.usdNotional)],
    );
  }

  /** Open trades of a counterparty (neither cancelled nor fully settled). */
  async openTradeIdsOf(em: EntityManager, counterpartyLei: string): Promise<{ tradeId: string; version: number }[]> {
    const rows: { trade_id: string; version: number }[] = await em.query(
      'select trade_id, version from screened_trades where counterparty_lei = $1 and closed_at is null order by trade_id for update',
      [counterpartyLei],
    );
    return rows.map((r) => ({ tradeId: r.trade_id, version: r.version }));
  }

  /** Writes trades' unsettled amounts in one statement; a trade left with nothing closes. */
  async saveUnsettled(em: EntityManager, amounts: ReadonlyMap<string, Decimal>): Promise<void> {
    if (amounts.size === 0) return;
    const ids = [...amounts.keys()];
    await em.query(
      `update screened_trades t set unsettled_amount = u.amount, closed_at = case when u.amount = 0 then now() else null end
         from unnest($1::uuid[], $2::numeric[]) as u(trade_id, amount) where t.trade_id = u.trade_id`,
      [ids, ids.map((id) => amounts.get(id)!.toFixed())],
    );
  }

  /** Locks the trade's row: a release step takes it before the decision, in the order screening does. */
  async lockOne(em: EntityManager, tradeId: string): Promise<void> {
    await em.query('select 1 from screened_trades where trade_id = $1 for update', [tradeId]);
  }

  /** A trade rejected by compliance will not settle: it leaves its counterparty's exposure (closed for limits). */
  async closeRejected(em: EntityManager, tradeId: string): Promise<void> {
    await em.query('update screened_trades set closed_at = now(), updated_at = now() where trade_id = $1 and closed_at is null', [tradeId]);
  }
}
