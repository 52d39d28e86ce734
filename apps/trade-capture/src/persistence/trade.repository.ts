import type { EntityManager } from 'typeorm';
import type { TradeAction, TradeStatus } from '@postrade/contracts';
import type { CapturedTrade } from '../domain/trade';
import type { RecordedVersion } from '../domain/trade-lifecycle';

export interface TradeListFilter {
  status?: TradeStatus;
  counterpartyLei?: string;
  isin?: string;
  tradeDate?: string;
  book?: string;
  after?: { createdAt: string; tradeId: string };
  limit: number;
}

/** A lifecycle action that arrived before its trade (or before an earlier version). */
export interface ParkedAction {
  sourceSystem: string;
  sourceTradeId: string;
  version: number;
  action: TradeAction;
  payload: Record<string, unknown>;
  eventId: string | null;
}

/** Trades (current version), their version history and parked actions. */
export class TradeRepository {
  /** Serialises every action on one upstream trade, including the first NEW (no row to lock yet). */
  async lockSourceTrade(em: EntityManager, sourceSystem: string, sourceTradeId: string): Promise<void> {
    // Two 32-bit keys: a hash collision only serialises two unrelated trades, never merges them.
    await em.query('select pg_advisory_xact_lock(hashtext($1), hashtext($2))', [sourceSystem, sourceTradeId]);
  }

  async bySourceKey(em: EntityManager, sourceSystem: string, sourceTradeId: string): Promise<CapturedTrade | null> {
    const rows: { resource: CapturedTrade }[] = await em.query(
      'select resource from trades where source_system = $1 and source_trade_id = $2',
      [sourceSystem, sourceTradeId],
    );
    return rows[0]?.resource ?? null;
  }

  async byId(em: EntityManager, tradeId: string): Promise<CapturedTrade | null> {
    const rows: { resource: CapturedTrade }[] = await em.query('select resource from trades where trade_id = $1', [tradeId]);
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
    await em.query(
      `insert into trades (trade_id, source_system, source_trade_id, version, status, trade_date, settlement_date, side, isin,
         quantity, price, currency, net_amount, counterparty_lei, legal_entity_lei, book, resource, created_at, updated_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
       on conflict (trade_id) do update set version = $4, status = $5, trade_date = $6, settlement_date = $7, side = $8, isin = $9,
         quantity = $10, price = $11, currency = $12, net_amount = $13, counterparty_lei = $14, legal_entity_lei = $15, book = $16,
         resource = $17, updated_at = $19`,
      [
        trade.tradeId, trade.sourceSystem, trade.sourceTradeId, trade.version, trade.status, trade.tradeDate, trade.settlementDate,
        trade.side, trade.isin, trade.quantity, trade.price, trade.currency, trade.netAmount, trade.counterparty.lei,
        trade.legalEntity.lei, trade.book, JSON.stringify(trade), trade.createdAt, trade.updatedAt,
      ],
    );
    await em.query(
      'insert into trade_versions (trade_id, version, action, content_hash, resource) values ($1, $2, $3, $4, $5)',
      [trade.tradeId, trade.version, action, contentHash, JSON.stringify(trade)],
    );
  }

  async list(em: EntityManager, filter: TradeListFilter): Promise<{ resource: CapturedTrade; created_at: string }[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.status) add('status = ?', filter.status);
    if (filter.counterpartyLei) add('counterparty_lei = ?', filter.counterpartyLei);
    if (filter.isin) add('isin = ?', filter.isin);
    if (filter.tradeDate) add('trade_date = ?', filter.tradeDate);
    if (filter.book) add('book = ?', filter.book);
    if (filter.after) {
      params.push(filter.after.createdAt, filter.after.tradeId);
      where.push(`(created_at, trade_id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(filter.limit);
    return em.query(
      `select resource, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_at from trades
       ${where.length ? `where ${where.join(' and ')}` : ''} order by created_at, trade_id limit $${params.length}`,
      params,
    );
  }

  async park(em: EntityManager, parked: ParkedAction): Promise<void> {
    await em.query(
      `insert into parked_trade_actions (source_system, source_trade_id, version, action, payload, event_id)
       values ($1, $2, $3, $4, $5, $6) on conflict do nothing`,
      [parked.sourceSystem, parked.sourceTradeId, parked.version, parked.action, JSON.stringify(parked.payload), parked.eventId],
    );
  }

  /** Removes and returns the parked action for exactly this version, if any. */
  async unpark(em: EntityManager, sourceSystem: string, sourceTradeId: string, version: number): Promise<ParkedAction | null> {
    const rows: { version: number; action: TradeAction; payload: Record<string, unknown>; event_id: string | null }[] = await em.query(
      // Wrapped in a select: TypeORM answers a bare DELETE with [rows, count] rather than the rows.
      `with released as (
         delete from parked_trade_actions where source_system = $1 and source_trade_id = $2 and version = $3
         returning version, action, payload, event_id)
       select * from released`,
      [sourceSystem, sourceTradeId, version],
    );
    const row = rows[0];
    return row ? { sourceSystem, sourceTradeId, version: row.version, action: row.action, payload: row.payload, eventId: row.event_id } : null;
  }

  async parkedCount(em: EntityManager, sourceSystem: string, sourceTradeId: string): Promise<number> {
    const rows: { n: number }[] = await em.query(
      'select count(*)::int as n from parked_trade_actions where source_system = $1 and source_trade_id = $2',
      [sourceSystem, sourceTradeId],
    );
    return rows[0]?.n ?? 0;
  }
}
