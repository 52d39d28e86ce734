import type { EntityManager } from 'typeorm';
import { Decimal } from '@postrade/kernel';
import type { BookedTrade } from '../domain/bookkeeper';

interface BookedTradeRow {
  trade_id: string;
  version: number;
  cancelled: boolean;
  side: 'BUY' | 'SELL';
  book: string;
  isin: string;
  currency: string;
  counterparty_lei: string;
  quantity: string;
  net_amount: string;
  trade_date: string;
  settled_quantity: string;
  cancelled_on: string | null;
  settled_amount: string;
  free_of_payment: boolean;
}

/** What the ledger has booked per trade: the version its trade-date legs reflect and what settled. */
export class BookedTradeRepository {
  /**
   * Serialises the batches that touch the same trades, booked or not yet: a transaction-scoped
   * advisory lock per trade id (a trade not booked yet has no row to lock), taken in hash order
   * before any row lock. Without it a settlement could be parked for a trade that a batch of
   * another partition is booking at the same moment, and neither would see the other.
   */
  async lockTradeIds(em: EntityManager, tradeIds: readonly string[]): Promise<void> {
    if (tradeIds.length === 0) return;
    await em.query(
      `select pg_advisory_xact_lock(k) from (
         select distinct hashtextextended('ledger:trade:' || id::text, 0) as k from unnest($1::uuid[]) as id order by 1
       ) as ordered`,
      [[...new Set(tradeIds)]],
    );
  }

  /** Locks the trades a batch touches, in id order (a fixed order: batches never deadlock on them). */
  async lockAndLoad(em: EntityManager, tradeIds: string[]): Promise<Map<string, BookedTrade>> {
    const trades = new Map<string, BookedTrade>();
    if (tradeIds.length === 0) return trades;
    const rows: BookedTradeRow[] = await em.query(
      `select trade_id, version, cancelled, side, book, isin, currency, counterparty_lei, quantity::text as quantity, net_amount::text as net_amount,
              trade_date::text as trade_date, settled_quantity::text as settled_quantity, settled_amount::text as settled_amount,
              cancelled_on::text as cancelled_on, free_of_payment
         from booked_trades where trade_id = any($1::uuid[]) order by trade_id for update`,
      [[...new Set(tradeIds)]],
    );
    for (const r of rows) {
      trades.set(r.trade_id, {
        terms: {
          tradeId: r.trade_id,
          version: r.version,
          side: r.side,
          book: r.book,
          isin: r.isin,
          currency: r.currency,
          counterpartyLei: r.counterparty_lei,
          quantity: new Decimal(r.quantity),
          netAmount: new Decimal(r.net_amount),
          tradeDate: r.trade_date,
          freeOfPayment: r.free_of_payment,
        },
        cancelled: r.cancelled,
        cancelledOn: r.cancelled_on,
        settledQuantity: new Decimal(r.settled_quantity),
        settledAmount: new Decimal(r.settled_amount),
      });
    }
    return trades;
  }

  async save(em: EntityManager, trades: BookedTrade[]): Promise<void> {
    if (trades.length === 0) return;
    const sorted = [...trades].sort((a, b) => (a.terms.tradeId < b.terms.tradeId ? -1 : 1));
    await em.query(
      `insert into booked_trades (trade_id, version, cancelled, side, book, isin, currency, counterparty_lei, quantity, net_amount, trade_date, settled_quantity, settled_amount, cancelled_on, free_of_payment)
       select * from json_to_recordset($1::json) as t(
         trade_id uuid, version int, cancelled boolean, side text, book text, isin text, currency text, counterparty_lei text,
         quantity numeric, net_amount numeric, trade_date date, settled_quantity numeric, settled_amount numeric, cancelled_on date, free_of_payment boolean)
       on conflict (trade_id) do update set
         version = excluded.version, cancelled = excluded.cancelled, side = excluded.side, book = excluded.book, isin = excluded.isin,
         currency = excluded.currency, counterparty_lei = excluded.counterparty_lei, quantity = excluded.quantity, net_amount = excluded.net_amount,
         trade_date = excluded.trade_date, settled_quantity = excluded.settled_quantity, settled_amount = excluded.settled_amount,
         cancelled_on = excluded.cancelled_on, free_of_payment = excluded.free_of_payment, updated_at = now()`,
      [
        JSON.stringify(
          sorted.map((t) => ({
            trade_id: t.terms.tradeId,
            version: t.terms.version,
            cancelled: t.cancelled,
            side: t.terms.side,
            book: t.terms.book,
            isin: t.terms.isin,
            currency: t.terms.currency,
            counterparty_lei: t.terms.counterpartyLei,
            quantity: t.terms.quantity.toFixed(),
            net_amount: t.terms.netAmount.toFixed(),
            trade_date: t.terms.tradeDate,
            settled_quantity: t.settledQuantity.toFixed(),
            settled_amount: t.settledAmount.toFixed(),
            cancelled_on: t.cancelledOn,
            free_of_payment: t.terms.freeOfPayment,
          })),
        ),
      ],
    );
  }
}
