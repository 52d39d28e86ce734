import type { EntityManager } from 'typeorm';
import { Decimal, type LocalDate } from '@postrade/kernel';
import type { OurBooksChanges, TradeRow } from '../application/our-books';
import type { OurCash, OurMovement, OurPenalty, OurPosition, OurTrade } from '../domain/model';

const json = (rows: unknown[]): string => JSON.stringify(rows);

/**
 * Our side as the events stated it. Movements are append-only and effective-dated, so the books
 * of any past date are a sum up to that date, and no row is an aggregate that every batch writes;
 * a trade's row is written by its own events only (one partition), an account's market only when
 * it changed.
 */
export class OurBooksRepository {
  async apply(em: EntityManager, changes: OurBooksChanges): Promise<void> {
    await this.upsertTrades(em, changes.trades);
    if (changes.ledgerMovements.length > 0) {
      await em.query(
        `insert into ledger_movements (entry_id, posting_no, trade_id, kind, asset, amount, effective_date)
         select "entryId", "postingNo", "tradeId", kind, asset, amount, "effectiveDate"
           from jsonb_to_recordset($1::jsonb) as r("entryId" uuid, "postingNo" smallint, "tradeId" uuid, kind text, asset text, amount numeric, "effectiveDate" date)
         on conflict do nothing`,
        [json(changes.ledgerMovements)],
      );
    }
    if (changes.settledMovements.length > 0) {
      await em.query(
        `insert into settled_movements (movement_id, instruction_id, account, cash_account, settlement_market, isin, direction, quantity, amount, currency, settlement_date)
         select "movementId", "instructionId", account, "cashAccount", "settlementMarket", isin, direction, quantity, amount, currency, "settlementDate"
           from jsonb_to_recordset($1::jsonb) as r("movementId" uuid, "instructionId" text, account text, "cashAccount" text, "settlementMarket" text, isin text,
                direction text, quantity numeric, amount numeric, currency text, "settlementDate" date)
         on conflict do nothing`,
        [json(changes.settledMovements)],
      );
    }
    if (changes.penalties.length > 0) {
      // The latest assessment of an instruction's day wins (a day is re-assessed when it closes late).
      const latest = [...new Map(changes.penalties.map((p) => [`${p.instructionId}\u0000${p.date}`, p])).values()];
      await em.query(
        `insert into penalties (instruction_id, penalty_date, penalty_id, account, amount, currency, direction, event_id)
         select "instructionId", date, "penaltyId", account, amount, currency, direction, "eventId"
           from jsonb_to_recordset($1::jsonb) as r("instructionId" text, date date, "penaltyId" text, account text, amount numeric, currency text, direction text, "eventId" uuid)
         on conflict (instruction_id, penalty_date) do update
           set penalty_id = excluded.penalty_id, account = excluded.account, amount = excluded.amount, currency = excluded.currency,
               direction = excluded.direction, event_id = excluded.event_id`,
        [json(latest)],
      );
    }
    await this.recordMarkets(em, changes.accountMarkets);
  }

  /** Newer versions replace older ones; the same version again writes only if it says something new (SSIs filled in). */
  private async upsertTrades(em: EntityManager, trades: TradeRow[]): Promise<void> {
    if (trades.length === 0) return;
    const latest = new Map<string, TradeRow>();
    for (const t of trades) {
      const seen = latest.get(t.tradeId);
      if (!seen || t.version >= seen.version) latest.set(t.tradeId, t);
    }
    await em.query(
      `insert into trades (trade_id, version, status, source_system, source_trade_id, trade_date, isin, side, quantity, price, currency, counterparty_lei,
                           settlement_market, safekeeping_account, cash_account, event_id, updated_at)
       select "tradeId", version, status, "sourceSystem", "sourceTradeId", "tradeDate", isin, side, quantity, price, currency, "counterpartyLei",
              "settlementMarket", "safekeepingAccount", "cashAccount", "eventId", "updatedAt"
         from jsonb_to_recordset($1::jsonb) as r("tradeId" uuid, version integer, status text, "sourceSystem" text, "sourceTradeId" text, "tradeDate" date,
              isin text, side text, quantity numeric, price numeric, currency text, "counterpartyLei" text, "settlementMarket" text,
              "safekeepingAccount" text, "cashAccount" text, "eventId" uuid, "updatedAt" timestamptz)
        order by "tradeId"
       on conflict (trade_id) do update set
         version = excluded.version, status = excluded.status, source_system = excluded.source_system, source_trade_id = excluded.source_trade_id,
         trade_date = excluded.trade_date, isin = excluded.isin, side = excluded.side, quantity = excluded.quantity, price = excluded.price,
         currency = excluded.currency, counterparty_lei = excluded.counterparty_lei, settlement_market = excluded.settlement_market,
         safekeeping_account = coalesce(excluded.safekeeping_account, trades.safekeeping_account),
         cash_account = coalesce(excluded.cash_account, trades.cash_account), event_id = excluded.event_id, updated_at = excluded.updated_at
       where trades.version < excluded.version
          or (trades.version = excluded.version and (trades.status <> excluded.status
              or trades.safekeeping_account is distinct from coalesce(excluded.safekeeping_account, trades.safekeeping_account)
              or trades.cash_account is distinct from coalesce(excluded.cash_account, trades.cash_account)))`,
      [json([...latest.values()])],
    );
  }

  /** Reference data copied from events is written only when it changed: a bank's one account is on every event. */
  private async recordMarkets(em: EntityManager, markets: OurBooksChanges['accountMarkets']): Promise<void> {
    if (markets.length === 0) return;
    const wanted = new Map(markets.map((m) => [m.account, m.market]));
    const known: { account: string; market: string }[] = await em.query('select account, market from account_markets where account = any($1)', [[...wanted.keys()]]);
    const knownMarket = new Map(known.map((k) => [k.account, k.market]));
    const changed = [...wanted].filter(([account, market]) => knownMarket.get(account) !== market).sort(([a], [b]) => (a < b ? -1 : 1));
    if (changed.length === 0) return;
    await em.query(
      `insert into account_markets (account, market) select * from unnest($1::text[], $2::text[])
       on conflict (account) do update set market = excluded.market where account_markets.market <> excluded.market`,
      [changed.map(([a]) => a), changed.map(([, m]) => m)],
    );
  }

  async marketOf(em: EntityManager, account: string): Promise<string | null> {
    const rows: { market: string }[] = await em.query('select market from account_markets where account = $1', [account]);
    return rows[0]?.market ?? null;
  }

  /** Settled quantity per ISIN in a safekeeping account as of the end of `asOf`. */
  async positions(em: EntityManager, account: string, asOf: LocalDate): Promise<OurPosition[]> {
    const rows: { asset: string; amount: string }[] = await em.query(
      `select m.asset, sum(m.amount)::text as amount
         from trades t join ledger_movements m on m.trade_id = t.trade_id
        where t.safekeeping_account = $1 and m.kind = 'SECURITIES' and m.effective_date <= $2
        group by m.asset`,
      [account, asOf],
    );
    return rows.map((r) => ({ isin: r.asset, quantity: new Decimal(r.amount) }));
  }

  /** Settled cash per currency in a cash account as of the end of `asOf`. */
  async cash(em: EntityManager, account: string, asOf: LocalDate): Promise<OurCash[]> {
    const rows: { asset: string; amount: string }[] = await em.query(
      `select m.asset, sum(m.amount)::text as amount
         from trades t join ledger_movements m on m.trade_id = t.trade_id
        where t.cash_account = $1 and m.kind = 'CASH' and m.effective_date <= $2
        group by m.asset`,
      [account, asOf],
    );
    return rows.map((r) => ({ currency: r.asset, amount: new Decimal(r.amount) }));
  }

  /** Settled movements of a safekeeping account with settlement dates in [from, to]. */
  async movements(em: EntityManager, account: string, from: LocalDate, to: LocalDate): Promise<OurMovement[]> {
    const rows: Record<string, string>[] = await em.query(
      `select movement_id, instruction_id, isin, quantity::text, amount::text, currency, direction, settlement_date::text
         from settled_movements where account = $1 and settlement_date between $2 and $3`,
      [account, from, to],
    );
    return rows.map((r) => ({
      movementId: r.movement_id,
      instructionId: r.instruction_id,
      isin: r.isin,
      quantity: new Decimal(r.quantity),
      amount: new Decimal(r.amount),
      currency: r.currency,
      direction: r.direction as OurMovement['direction'],
      settlementDate: r.settlement_date,
    }));
  }

  /** Penalties assessed on a safekeeping account's instructions for days in [from, to]. */
  async penalties(em: EntityManager, account: string, from: LocalDate, to: LocalDate): Promise<OurPenalty[]> {
    const rows: Record<string, string>[] = await em.query(
      `select penalty_id, instruction_id, penalty_date::text as date, amount::text, currency, direction
         from penalties where account = $1 and penalty_date between $2 and $3`,
      [account, from, to],
    );
    return rows.map((r) => ({
      penaltyId: r.penalty_id,
      instructionId: r.instruction_id,
      date: r.date,
      amount: new Decimal(r.amount),
      currency: r.currency,
      direction: r.direction as OurPenalty['direction'],
    }));
  }

  /** The live trades (not cancelled) a source system captured for a trade date, latest versions. */
  async trades(em: EntityManager, sourceSystem: string, tradeDate: LocalDate): Promise<OurTrade[]> {
    const rows: Record<string, string>[] = await em.query(
      `select trade_id, source_trade_id, isin, side, quantity::text, price::text, currency, counterparty_lei
         from trades where source_system = $1 and trade_date = $2 and status <> 'CANCELLED'`,
      [sourceSystem, tradeDate],
    );
    return rows.map((r) => ({
      tradeId: r.trade_id,
      sourceTradeId: r.source_trade_id,
      isin: r.isin,
      side: r.side as OurTrade['side'],
      quantity: new Decimal(r.quantity),
      price: new Decimal(r.price),
      currency: r.currency,
      counterpartyLei: r.counterparty_lei,
    }));
  }

  /**
   * Settled postings no account can be named for yet (their trade not seen, or seen without our
   * SSI): they count in no reconciliation until it arrives, and are listed rather than hidden.
   */
  async unassigned(em: EntityManager, limit: number): Promise<{ entryId: string; tradeId: string | null; kind: string; asset: string; amount: string; effectiveDate: string }[]> {
    const rows: Record<string, string>[] = await em.query(
      `select m.entry_id, m.trade_id, m.kind, m.asset, m.amount::text, m.effective_date::text
         from ledger_movements m left join trades t on t.trade_id = m.trade_id
        where t.trade_id is null
           or (m.kind = 'SECURITIES' and t.safekeeping_account is null)
           or (m.kind = 'CASH' and t.cash_account is null)
        order by m.effective_date, m.entry_id, m.posting_no limit $1`,
      [limit],
    );
    return rows.map((r) => ({ entryId: r.entry_id, tradeId: r.trade_id, kind: r.kind, asset: r.asset, amount: r.amount, effectiveDate: r.effective_date }));
  }
}
