import type { EntityManager } from 'typeorm';
import type { TradeAction, TradeException, TradeStatus } from '@postrade/contracts';
import type { CapturedTrade } from '../domain/trade';
import type { RecordedVersion } from '../domain/trade-lifecycle';

export interface TradeListFilter {
  status?: TradeStatus;
  counterpartyLei?: string;
  isin?: string;
  tradeDate?: string;
  settlementDate?: string;
  book?: string;
  /** Only these source systems (an upstream key's own); undefined for every system. */
  sourceSystems?: readonly string[];
  sourceSystem?: string;
  sourceTradeId?: string;
  exception?: TradeException;
  after?: { createdAt: string; tradeId: string };
  limit: number;
}

/** A listed trade and its position in the list order. */
export interface ListedTrade {
  trade: CapturedTrade;
  createdAt: string;
}

/** Trades (current version) and their version history. */
export class TradeRepository {
  /** Serialises every action on one upstream trade, including the first NEW (no row to lock yet). */
  async lockSourceTrade(em: EntityManager, sourceSystem: string, sourceTradeId: string): Promise<void> {
    // Two 32-bit keys: a hash collision only serialises two unrelated trades, never merges them.
    await em.query('select pg_advisory_xact_lock(hashtext($1), hashtext($2))', [sourceSystem, sourceTradeId]);
  }

  /** The current version; with `lock`, the row is locked for the rest of the transaction. */
  async bySourceKey(em: EntityManager, sourceSystem: string, sourceTradeId: string, options: { lock?: boolean } = {}): Promise<CapturedTrade | null> {
    const rows: { resource: CapturedTrade }[] = await em.query(
      `select resource from trades where source_system = $1 and source_trade_id = $2${options.lock ? ' for update' : ''}`,
      [sourceSystem, sourceTradeId],
    );
    return rows[0]?.resource ?? null;
  }

  async byId(em: EntityManager, tradeId: string, options: { lock?: boolean } = {}): Promise<CapturedTrade | null> {
    const rows: { resource: CapturedTrade }[] = await em.query(`select resource from trades where trade_id = $1${options.lock ? ' for update' : ''}`, [tradeId]);
    return rows[0]?.resource ?? null;
  }

  async recordedVersion(em: EntityManager, tradeId: string, version: number): Promise<RecordedVersion | null> {
    const rows: { version: number; content_hash: string }[] = await em.query(
      'select version, content_hash from trade_versions where trade_id = $1 and version = $2',
      [tradeId, version],
    );
    return rows[0] ? { version: rows[0].version, contentHash: rows[0].content_hash } : null;
  }

  async versions(em: EntityManager, tradeId: string): Promise<CapturedTrade[]> {
    const rows: { resource: CapturedTrade }[] = await em.query('select resource from trade_versions where trade_id = $1 order by version', [tradeId]);
    return rows.map((r) => r.resource);
  }

  /** Writes the trade's current version and appends it to the history. */
  async save(em: EntityManager, trade: CapturedTrade, action: TradeAction, contentHash: string): Promise<void> {
    await this.saveCurrent(em, trade);
    await em.query(
      'insert into trade_versions (trade_id, version, action, content_hash, resource) values ($1, $2, $3, $4, $5)',
      [trade.tradeId, trade.version, action, contentHash, JSON.stringify(trade)],
    );
  }

  /** Rewrites the current version in place (an SSI filled in): the history keeps the version as it was captured. */
  async saveCurrent(em: EntityManager, trade: CapturedTrade): Promise<void> {
    await em.query(
      `insert into trades (trade_id, source_system, source_trade_id, version, status, trade_date, settlement_date, side, isin,
         quantity, price, currency, net_amount, counterparty_lei, legal_entity_lei, book, resource, created_at, updated_at,
         settlement_market, accrued_interest, exceptions, cancel_reason)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)
       on conflict (trade_id) do update set version = $4, status = $5, trade_date = $6, settlement_date = $7, side = $8, isin = $9,
         quantity = $10, price = $11, currency = $12, net_amount = $13, counterparty_lei = $14, legal_entity_lei = $15, book = $16,
         resource = $17, updated_at = $19, settlement_market = $20, accrued_interest = $21, exceptions = $22, cancel_reason = $23`,
      [
        trade.tradeId, trade.sourceSystem, trade.sourceTradeId, trade.version, trade.status, trade.tradeDate, trade.settlementDate,
        trade.side, trade.isin, trade.quantity, trade.price, trade.currency, trade.netAmount, trade.counterparty.lei,
        trade.legalEntity.lei, trade.book, JSON.stringify(trade), trade.createdAt, trade.updatedAt,
        trade.settlementMarket, trade.accruedInterest, trade.exceptions, trade.cancelReason,
      ],
    );
  }

  /**
   * Live trades waiting for an SSI that has now been stored, locked for the re-enrichment: ours
   * when the LEI is the trade's legal entity, theirs when it is the counterparty.
   */
  async lockTradesMissingSsi(em: EntityManager, lei: string, market: string, currency: string): Promise<CapturedTrade[]> {
    const rows: { resource: CapturedTrade }[] = await em.query(
      `select resource from trades
       where status <> 'CANCELLED' and settlement_market = $2 and currency = $3
         and ((legal_entity_lei = $1 and 'MISSING_OUR_SSI' = any(exceptions))
           or (counterparty_lei = $1 and 'MISSING_COUNTERPARTY_SSI' = any(exceptions)))
       order by trade_id
       for update`,
      [lei, market, currency],
    );
    return rows.map((r) => r.resource);
  }

  async list(em: EntityManager, filter: TradeListFilter): Promise<ListedTrade[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.status) add('status = ?', filter.status);
    if (filter.counterpartyLei) add('counterparty_lei = ?', filter.counterpartyLei);
    if (filter.isin) add('isin = ?', filter.isin);
    if (filter.tradeDate) add('trade_date = ?::date', filter.tradeDate);
    if (filter.settlementDate) add('settlement_date = ?::date', filter.settlementDate);
    if (filter.book) add('book = ?', filter.book);
    if (filter.sourceSystems) add('source_system = any(?::text[])', filter.sourceSystems);
    if (filter.sourceSystem) add('source_system = ?', filter.sourceSystem);
    if (filter.sourceTradeId) add('source_trade_id = ?', filter.sourceTradeId);
    if (filter.exception) add('? = any(exceptions)', filter.exception);
    if (filter.after) {
      params.push(filter.after.createdAt, filter.after.tradeId);
      where.push(`(created_at, trade_id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(filter.limit);
    const rows: { resource: CapturedTrade; created_at: string }[] = await em.query(
      `select resource, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_at from trades
       ${where.length ? `where ${where.join(' and ')}` : ''} order by created_at, trade_id limit $${params.length}`,
      params,
    );
    return rows.map((r) => ({ trade: r.resource, createdAt: r.created_at }));
  }
}
